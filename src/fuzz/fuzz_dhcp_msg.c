/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_dhcp_msg.c - the input is one UDP payload received on port 67.
 *
 * Invariants:
 *   - decoding never reads outside the input (the replay and libFuzzer
 *     builds hand over exactly `size` bytes, so ASan sees any overrun);
 *   - a rejected message keeps no options; an accepted one has every
 *     option inside optbuf, in first-seen order, 52 never among them;
 *   - for an accepted message, a reply carrying a copy of every option
 *     (built with the modes below, taken from the xid so seeds can pick
 *     them) never exceeds its cap, is at least 300 bytes, leaves the
 *     bytes after it zero, and decodes again to the same header fields
 *     and exactly the options that were accepted, with equal bytes.
 *
 * Modes, xid bits: 0 no overload (dhcp-no-override), 1 boot file in
 * `file`, 2 server name in `sname`, 3 BOOTP vend limit, 4 echo 82,
 * 5-6 cap: reply size / 300 / 576-28 / 240 + xid bits 8-21.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(c) \
	do { \
		if (!(c)) \
			abort(); \
	} while (0)

static const char fuzz_file[] = "pxelinux.0";
static const char fuzz_sname[] = "boot-server";

static void
fuzz_check_decoded(const struct dhcp_msg *m, enum dhcp_bad why)
{
	const struct dhcp_optval *o;
	size_t total = 0, seen = 0;
	unsigned i;

	if (why != DHCP_OK) {
		FUZZ_CHECK(m->norder == 0 && m->optbuf_used == 0);
		for (i = 0; i < 256; i++)
			FUZZ_CHECK(m->opt[i].count == 0);
		return;
	}
	FUZZ_CHECK(m->opt[DHCP_OPT_OVERLOAD].count == 0);
	FUZZ_CHECK(m->opt[DHCP_OPT_PAD].count == 0);
	FUZZ_CHECK(m->opt[DHCP_OPT_END].count == 0);
	FUZZ_CHECK(m->overload <= 3);
	FUZZ_CHECK(m->hlen <= DHCP_CHADDR_LEN);
	FUZZ_CHECK(m->len <= DHCP_MAX_MSG);
	for (i = 0; i < m->norder; i++) {
		o = &m->opt[m->order[i]];
		FUZZ_CHECK(o->count != 0 && o->p != NULL);
		/* laid out in first-seen order, back to back */
		FUZZ_CHECK(o->p == m->optbuf + total);
		FUZZ_CHECK(o->first_len <= o->len);
		total += o->len;
	}
	for (i = 0; i < 256; i++)
		seen += m->opt[i].count != 0;
	FUZZ_CHECK(seen == m->norder && total == m->optbuf_used);
	FUZZ_CHECK(total <= sizeof(m->optbuf));
	if (dhcp_msg_has(m, DHCP_OPT_MSG_TYPE))
		FUZZ_CHECK(m->cookie && m->opt[DHCP_OPT_MSG_TYPE].len == 1 &&
		    (unsigned)m->type == m->opt[DHCP_OPT_MSG_TYPE].p[0]);
	else
		FUZZ_CHECK(m->type == DHCP_NONE);
	FUZZ_CHECK(dhcp_msg_reply_size(m) >= DHCP_MIN_BUF &&
	    dhcp_msg_reply_size(m) <= DHCP_MAX_MSG);
}

static size_t
fuzz_cap(const struct dhcp_msg *m)
{
	switch ((m->xid >> 5) & 3) {
	case 0:
		return dhcp_msg_reply_size(m);
	case 1:
		return DHCP_MIN_LEN;
	case 2:
		return DHCP_DEFAULT_MAX - 28;
	default:
		return 240 + ((m->xid >> 8) & 0x3fff) % (DHCP_MAX_MSG - 239);
	}
}

/* Builds the reply; ok[code] says which options went in. */
static int
fuzz_encode(const struct dhcp_msg *m, struct dhcp_out *o, uint8_t *buf,
    size_t cap, bool ok[256])
{
	unsigned i;
	uint8_t code;
	int rc;

	dhcp_out_init(o, buf, cap, m);
	if (m->xid & 1)
		o->allow_overload = false;
	if (m->xid & 2)
		FUZZ_CHECK(dhcp_out_file(o, fuzz_file) == (o->bad ? -ENOSPC :
		    0));
	if (m->xid & 4)
		FUZZ_CHECK(dhcp_out_sname(o, fuzz_sname) == (o->bad ?
		    -ENOSPC : 0));
	if (m->xid & 8)
		dhcp_out_bootp(o);
	if ((m->xid & 16) && dhcp_out_agent(o, m) == 0)
		ok[DHCP_OPT_AGENT] = true;
	for (i = 0; i < m->norder; i++) {
		code = m->order[i];
		if (code == DHCP_OPT_AGENT && ok[code])
			continue;
		rc = dhcp_out_opt(o, code, m->opt[code].p, m->opt[code].len);
		FUZZ_CHECK(rc == 0 || rc == -ENOSPC);
		ok[code] = rc == 0;
	}
	return dhcp_out_finish(o);
}

static void
fuzz_check_reply(const struct dhcp_msg *m, const struct dhcp_msg *r,
    const struct dhcp_out *o, const bool ok[256])
{
	unsigned i;

	FUZZ_CHECK(r->htype == m->htype && r->hlen == m->hlen &&
	    r->hops == m->hops && r->xid == m->xid && r->secs == m->secs &&
	    r->flags == m->flags);
	FUZZ_CHECK(memcmp(&r->ciaddr, &m->ciaddr, 4) == 0 &&
	    memcmp(&r->giaddr, &m->giaddr, 4) == 0 &&
	    memcmp(r->chaddr, m->chaddr, sizeof(m->chaddr)) == 0);
	FUZZ_CHECK(r->tolerated == 0 && r->overload == o->overload_used);
	for (i = 1; i < 255; i++) {
		if (i == DHCP_OPT_OVERLOAD)
			continue;
		if (!ok[i]) {
			FUZZ_CHECK(r->opt[i].count == 0);
			continue;
		}
		FUZZ_CHECK(r->opt[i].len == m->opt[i].len);
		FUZZ_CHECK(m->opt[i].len == 0 ||
		    memcmp(r->opt[i].p, m->opt[i].p, m->opt[i].len) == 0);
	}
	if (o->file_taken)
		FUZZ_CHECK(!(r->overload & 1) &&
		    strcmp((const char *)r->file, fuzz_file) == 0);
	if (o->sname_taken)
		FUZZ_CHECK(!(r->overload & 2) &&
		    strcmp((const char *)r->sname, fuzz_sname) == 0);
}

/* Each area holding options is a clean walk ending in END. */
static void
fuzz_check_areas(const struct dhcp_out *o)
{
	struct dhcp_walk w;
	const uint8_t *p, *v;
	size_t len;
	uint8_t code, n;
	int a;

	FUZZ_CHECK(dhcp_out_area(o, DHCP_AREA_OPTIONS, &p, &len));
	for (a = DHCP_AREA_OPTIONS; a <= DHCP_AREA_SNAME; a++) {
		if (!dhcp_out_area(o, (enum dhcp_area)a, &p, &len))
			continue;
		dhcp_walk_init(&w, p, len);
		while (dhcp_walk_next(&w, &code, &v, &n))
			FUZZ_CHECK(code != DHCP_OPT_OVERLOAD ||
			    a == DHCP_AREA_OPTIONS);
		FUZZ_CHECK(w.ended && !w.overrun && w.off == len - 1);
	}
}

static void
fuzz_roundtrip(const struct dhcp_msg *m)
{
	static uint8_t buf[DHCP_MAX_MSG];
	static struct dhcp_msg r;
	struct dhcp_out o;
	bool ok[256] = { false };
	size_t cap = fuzz_cap(m), i;
	int n;

	n = fuzz_encode(m, &o, buf, cap, ok);
	if (cap < DHCP_MIN_LEN) {
		FUZZ_CHECK(n == -ENOSPC);
		return;
	}
	FUZZ_CHECK(n >= DHCP_MIN_LEN && (size_t)n <= cap);
	for (i = (size_t)n; i < cap; i++)
		FUZZ_CHECK(buf[i] == 0);
	FUZZ_CHECK(buf[0] == DHCP_OP_REPLY);
	fuzz_check_areas(&o);
	FUZZ_CHECK(dhcp_msg_decode_reply(&r, buf, (size_t)n) == DHCP_OK);
	fuzz_check_reply(m, &r, &o, ok);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_msg m;
	struct dhcp_client_id id;
	enum dhcp_bad why;
	uint8_t n;

	/* the walker alone, on the raw bytes (sub-option use) */
	(void)dhcp_subopt(data, size, 71, 4, &n);
	why = dhcp_msg_decode(&m, data, size);
	FUZZ_CHECK((unsigned)why < DHCP_BAD_OPT_OVERRUN);
	fuzz_check_decoded(&m, why);
	if (why != DHCP_OK)
		return 0;
	dhcp_msg_client_id(&m, false, &id);
	FUZZ_CHECK(id.mac_len <= DHCP_CHADDR_LEN ||
	    (id.clid != NULL && id.mac_len <= id.clid_len));
	(void)dhcp_msg_requested(&m, DHCP_OPT_BOOTFILE);
	fuzz_roundtrip(&m);
	return 0;
}
