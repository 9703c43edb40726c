/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_dhcp_msg.c - the DHCPv4/BOOTP codec: acceptance and rejection
 * reasons, overload, RFC 3396 concatenation, accessors, and replies laid
 * out byte for byte as dnsmasq 2.90 lays them out (reference Appendix A).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp_msg.h"

#define PKT_MAX 17000
#define BIT(x) (1u << (x))

/* Hex digits; spaces and dots are ignored; "61*250" repeats a byte. */
static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, v;
	char *end;
	unsigned long rep;

	for (; s != NULL && *s != '\0'; s++) {
		if (*s == ' ' || *s == '.')
			continue;
		if (*s == '*' && hi < 0 && n > 0) {
			rep = strtoul(s + 1, &end, 10);
			if (rep == 0 || n - 1 + rep > cap)
				fail_msg("bad repeat %s", s);
			memset(out + n, out[n - 1], rep - 1);
			n += rep - 1;
			s = end - 1;
			continue;
		}
		if (!isxdigit((unsigned char)*s))
			fail_msg("bad hex %s", s);
		v = isdigit((unsigned char)*s) ? *s - '0' :
		    tolower((unsigned char)*s) - 'a' + 10;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			fail_msg("hex too long");
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		fail_msg("odd hex digits");
	return n;
}

struct pkt {
	uint8_t b[PKT_MAX];
	size_t len;
};

/* A request: op 1, htype 1, hlen 6, xid 12345678, chaddr
 * 52:54:00:12:34:56, the cookie, then opts; hdr overrides bytes 0..3. */
struct spec {
	const char *hdr;
	bool nocookie;
	const char *opts;
	const char *file;
	const char *sname;
	size_t len;		/* 0: 240 + options */
};

static void
pkt_build(struct pkt *p, const struct spec *s)
{
	static const uint8_t mac[] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	size_t n;

	memset(p->b, 0, sizeof(p->b));
	p->b[0] = 1;
	p->b[1] = 1;
	p->b[2] = 6;
	if (s->hdr != NULL)
		unhex(s->hdr, p->b, 4);
	unhex("12345678", p->b + 4, 4);
	memcpy(p->b + 28, mac, sizeof(mac));
	unhex(s->sname, p->b + DHCP_SNAME_OFF, DHCP_SNAME_LEN);
	unhex(s->file, p->b + DHCP_FILE_OFF, DHCP_FILE_LEN);
	if (!s->nocookie)
		unhex("63825363", p->b + 236, 4);
	n = unhex(s->opts, p->b + DHCP_OPTIONS_OFF,
	    sizeof(p->b) - DHCP_OPTIONS_OFF);
	p->len = s->len != 0 ? s->len : DHCP_OPTIONS_OFF + n;
}

static struct dhcp_msg msg, msg2;	/* large: not on the stack */
static struct pkt pkt;

static enum dhcp_bad
decode_spec(const struct spec *s)
{
	pkt_build(&pkt, s);
	return dhcp_msg_decode(&msg, pkt.b, pkt.len);
}

/* Option bytes as hex, "-" when absent. */
static const char *
opt_hex(const struct dhcp_msg *m, uint8_t code)
{
	static char out[2 * DHCP_MAX_MSG + 1];
	const struct dhcp_optval *o = &m->opt[code];
	size_t i;

	if (o->count == 0)
		return "-";
	for (i = 0; i < o->len; i++)
		snprintf(out + 2 * i, 3, "%02x", o->p[i]);
	out[2 * i] = '\0';
	return out;
}

/* --- decoding: verdicts ------------------------------------------------ */

struct dec_row {
	const char *name;
	struct spec s;
	enum dhcp_bad want;
	int type;
	unsigned tolerated;
};

#define DISCOVER "35 01 01 3d 07 01 525400123456 37 04 01 03 06 2b ff"

static const struct dec_row dec_rows[] = {
	{ "discover", { .opts = DISCOVER }, DHCP_OK, DHCP_DISCOVER, 0 },
	{ "request selecting", { .opts = "35 01 03 32 04 c000026b"
	    " 36 04 c0000201 ff" }, DHCP_OK, DHCP_REQUEST, 0 },
	{ "inform", { .hdr = "01 01 06 00", .opts = "35 01 08 ff" },
	    DHCP_OK, DHCP_INFORM, 0 },
	{ "release", { .opts = "35 01 07 36 04 c0000201 ff" }, DHCP_OK,
	    DHCP_RELEASE, 0 },
	{ "decline", { .opts = "35 01 04 32 04 c000026b 36 04 c0000201 ff" },
	    DHCP_OK, DHCP_DECLINE, 0 },
	{ "padded to 300 after END", { .opts = DISCOVER, .len = 300 },
	    DHCP_OK, DHCP_DISCOVER, 0 },
	{ "bootp with cookie", { .opts = "01 04 ffffff00 ff", .len = 300 },
	    DHCP_OK, DHCP_NONE, 0 },
	{ "bootp without cookie, zero vend", { .nocookie = true,
	    .len = 300 }, DHCP_OK, DHCP_NONE, BIT(DHCP_BAD_NO_END) },
	{ "header only, no vend", { .len = 236 }, DHCP_OK, DHCP_NONE, 0 },
	{ "header and cookie only", { .len = 240 }, DHCP_OK, DHCP_NONE, 0 },
	{ "truncated header", { .opts = DISCOVER, .len = 235 },
	    DHCP_BAD_SHORT, DHCP_NONE, 0 },
	{ "oversized", { .opts = DISCOVER, .len = DHCP_MAX_MSG + 1 },
	    DHCP_BAD_LONG, DHCP_NONE, 0 },
	{ "largest accepted", { .opts = DISCOVER, .len = DHCP_MAX_MSG },
	    DHCP_OK, DHCP_DISCOVER, 0 },
	{ "op 2", { .hdr = "02", .opts = DISCOVER }, DHCP_BAD_OP, DHCP_NONE,
	    0 },
	{ "op 0", { .hdr = "00", .opts = DISCOVER }, DHCP_BAD_OP, DHCP_NONE,
	    0 },
	{ "hlen 17", { .hdr = "01 01 11", .opts = DISCOVER }, DHCP_BAD_HLEN,
	    DHCP_NONE, 0 },
	{ "hlen 16", { .hdr = "01 01 10", .opts = DISCOVER }, DHCP_OK,
	    DHCP_DISCOVER, 0 },
	{ "htype 0 hlen 6", { .hdr = "01 00 06", .opts = DISCOVER },
	    DHCP_BAD_HTYPE, DHCP_NONE, 0 },
	{ "htype 0 hlen 0", { .hdr = "01 00 00", .opts = DISCOVER }, DHCP_OK,
	    DHCP_DISCOVER, 0 },
	{ "53 without cookie", { .nocookie = true, .opts = "35 01 01 ff" },
	    DHCP_BAD_COOKIE, DHCP_NONE, 0 },
	{ "no cookie, options still read", { .nocookie = true,
	    .opts = "3d 02 01 02 ff" }, DHCP_OK, DHCP_NONE, 0 },
	{ "53 empty", { .opts = "35 00 ff" }, DHCP_BAD_TYPE_LEN, DHCP_NONE,
	    0 },
	{ "53 two bytes", { .opts = "35 02 01 01 ff" }, DHCP_BAD_TYPE_LEN,
	    DHCP_NONE, 0 },
	{ "53 repeated", { .opts = "35 01 01 35 01 01 ff" },
	    DHCP_BAD_TYPE_LEN, DHCP_NONE, 0 },
	{ "53 zero is bootp", { .opts = "35 01 00 ff" }, DHCP_OK, DHCP_NONE,
	    0 },
	{ "53 unknown type kept", { .opts = "35 01 0d ff" }, DHCP_OK, 13, 0 },
	{ "option overrun at end", { .opts = "35 01 01 0c 05 41 42" },
	    DHCP_OK, DHCP_DISCOVER, BIT(DHCP_BAD_OPT_OVERRUN) },
	{ "length byte missing", { .opts = "35 01 01 0c" }, DHCP_OK,
	    DHCP_DISCOVER, BIT(DHCP_BAD_OPT_OVERRUN) },
	{ "missing END accepted", { .opts = "35 01 01" }, DHCP_OK,
	    DHCP_DISCOVER, BIT(DHCP_BAD_NO_END) },
	{ "PADs around", { .opts = "00 00 35 01 01 00 ff" }, DHCP_OK,
	    DHCP_DISCOVER, 0 },
	{ "after END ignored", { .opts = "35 01 01 ff 35 05 01" }, DHCP_OK,
	    DHCP_DISCOVER, 0 },
	{ "52 in file", { .opts = "34 01 01 35 01 01 ff",
	    .file = "34 01 02 ff" }, DHCP_BAD_OVERLOAD, DHCP_NONE, 0 },
	{ "overload loop", { .opts = "34 01 01 35 01 01 ff",
	    .file = "34 01 01 ff" }, DHCP_BAD_OVERLOAD, DHCP_NONE, 0 },
	{ "52 in sname", { .opts = "34 01 02 35 01 01 ff",
	    .sname = "34 01 02 ff" }, DHCP_BAD_OVERLOAD, DHCP_NONE, 0 },
	{ "52 two bytes", { .opts = "34 02 01 00 35 01 01 ff" },
	    DHCP_BAD_OVERLOAD, DHCP_NONE, 0 },
	{ "52 empty", { .opts = "34 00 35 01 01 ff" }, DHCP_BAD_OVERLOAD,
	    DHCP_NONE, 0 },
	{ "52 value 0", { .opts = "34 01 00 35 01 01 ff" },
	    DHCP_BAD_OVERLOAD, DHCP_NONE, 0 },
	{ "52 value 4", { .opts = "34 01 04 35 01 01 ff" },
	    DHCP_BAD_OVERLOAD, DHCP_NONE, 0 },
	{ "52 repeated", { .opts = "34 01 01 34 01 01 35 01 01 ff" },
	    DHCP_BAD_OVERLOAD, DHCP_NONE, 0 },
	{ "file without 52 is a name", { .opts = "35 01 01 ff",
	    .file = "34 01 01 ff" }, DHCP_OK, DHCP_DISCOVER, 0 },
	{ "53 found in file", { .opts = "34 01 01 ff", .file = "35 01 03 ff" },
	    DHCP_OK, DHCP_REQUEST, 0 },
	{ "53 found in sname", { .opts = "34 01 03 ff", .file = "ff",
	    .sname = "35 01 05 ff" }, DHCP_OK, DHCP_ACK, 0 },
	{ "overrun in file tolerated", { .opts = "34 01 01 35 01 01 ff",
	    .file = "0c 7f 41" }, DHCP_OK, DHCP_DISCOVER,
	    BIT(DHCP_BAD_OPT_OVERRUN) },
	{ "52 after an overrun unseen", { .opts = "35 01 01 0c 30 41",
	    .file = "34 01 01 ff" }, DHCP_OK, DHCP_DISCOVER,
	    BIT(DHCP_BAD_OPT_OVERRUN) },
};

static void
dec_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dec_rows) / sizeof(dec_rows[0]); i++) {
		const struct dec_row *r = &dec_rows[i];
		enum dhcp_bad got = decode_spec(&r->s);

		if (got != r->want)
			fail_msg("%s: %s, want %s", r->name, dhcp_bad_name(got),
			    dhcp_bad_name(r->want));
		if ((int)msg.type != r->type)
			fail_msg("%s: type %d, want %d", r->name, msg.type,
			    r->type);
		if (msg.tolerated != r->tolerated)
			fail_msg("%s: tolerated %#x, want %#x", r->name,
			    msg.tolerated, r->tolerated);
		if (got != DHCP_OK && (msg.norder != 0 ||
		    dhcp_msg_has(&msg, DHCP_OPT_MSG_TYPE)))
			fail_msg("%s: options kept on rejection", r->name);
	}
}

/* Header fields and the options seen, in order. */
static void
dec_fields(void **state)
{
	static const struct spec s = { .hdr = "01 01 06 02", .opts = DISCOVER,
	    .len = 300 };
	static const uint8_t mac[] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	(void)state;
	pkt_build(&pkt, &s);
	unhex("0003 8000 c0000214 00000000 00000000 c6336401", pkt.b + 8, 20);
	assert_int_equal(dhcp_msg_decode(&msg, pkt.b, pkt.len), DHCP_OK);
	assert_int_equal(msg.op, 1);
	assert_int_equal(msg.hops, 2);
	assert_int_equal(msg.xid, 0x12345678);
	assert_int_equal(msg.secs, 3);
	assert_int_equal(msg.flags, 0x8000);
	assert_int_equal(ntohl(msg.ciaddr.s_addr), 0xc0000214);
	assert_int_equal(ntohl(msg.giaddr.s_addr), 0xc6336401);
	assert_memory_equal(msg.chaddr, mac, sizeof(mac));
	assert_true(msg.cookie);
	assert_int_equal(msg.len, 300);
	assert_int_equal(msg.norder, 3);
	assert_int_equal(msg.order[0], 53);
	assert_int_equal(msg.order[1], 61);
	assert_int_equal(msg.order[2], 55);
	/* END is the 22nd option byte */
	assert_int_equal(msg.end_off, DHCP_OPTIONS_OFF + 18);
	assert_string_equal(opt_hex(&msg, 61), "01525400123456");
	assert_string_equal(opt_hex(&msg, 55), "0103062b");
	assert_false(dhcp_msg_has(&msg, 52));
	assert_string_equal(dhcp_bad_name(DHCP_BAD_OVERLOAD), "bad-overload");
	assert_string_equal(dhcp_bad_name(DHCP_BAD_COUNT), "unknown");
	/* vend cut before byte 240: no options, whatever its bytes */
	unhex("350101", pkt.b + 236, 3);
	assert_int_equal(dhcp_msg_decode(&msg, pkt.b, 239), DHCP_OK);
	assert_int_equal(msg.norder, 0);
	assert_false(msg.cookie);
	assert_int_equal(msg.tolerated, 0);
	assert_int_equal(dhcp_msg_decode(&msg, NULL, 0), DHCP_BAD_SHORT);
	assert_int_equal(dhcp_msg_decode(&msg, pkt.b, 0), DHCP_BAD_SHORT);
}

/* --- decoding: RFC 3396 concatenation ---------------------------------- */

struct cat_row {
	const char *name;
	struct spec s;
	uint8_t code;
	const char *hex;
	unsigned count, first_len;
};

static const struct cat_row cat_rows[] = {
	{ "two instances", { .opts = "0c 02 4142 0c 01 43 ff" }, 12,
	    "414243", 2, 2 },
	{ "empty first instance", { .opts = "0c 00 0c 02 4142 ff" }, 12,
	    "4142", 2, 2 },
	{ "only empty", { .opts = "50 00 ff" }, 80, "", 1, 0 },
	{ "interleaved", { .opts = "4d 01 61 0c 01 41 4d 01 62 ff" }, 77,
	    "6162", 2, 1 },
	{ "options, file, sname", { .opts = "34 01 03 4d 01 61 ff",
	    .file = "4d 01 62 ff", .sname = "4d 01 63 ff" }, 77, "616263",
	    3, 1 },
	{ "file only when 52 says 1", { .opts = "34 01 01 4d 01 61 ff",
	    .file = "4d 01 62 ff", .sname = "4d 01 63 ff" }, 77, "6162",
	    2, 1 },
	{ "sname only when 52 says 2", { .opts = "34 01 02 4d 01 61 ff",
	    .file = "4d 01 62 ff", .sname = "4d 01 63 ff" }, 77, "6163",
	    2, 1 },
	{ "121 split", { .opts = "79 05 18c0a801 c0 79 03 a80101 ff" }, 121,
	    "18c0a801c0a80101", 2, 5 },
};

static void
cat_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cat_rows) / sizeof(cat_rows[0]); i++) {
		const struct cat_row *r = &cat_rows[i];
		const struct dhcp_optval *o = &msg.opt[r->code];

		if (decode_spec(&r->s) != DHCP_OK)
			fail_msg("%s: rejected", r->name);
		if (strcmp(opt_hex(&msg, r->code), r->hex) != 0)
			fail_msg("%s: %s, want %s", r->name,
			    opt_hex(&msg, r->code), r->hex);
		if (o->count != r->count || o->first_len != r->first_len)
			fail_msg("%s: count %u first %u", r->name, o->count,
			    o->first_len);
	}
}

/* An option longer than 255 bytes in two instances. */
static void
cat_long(void **state)
{
	static char hex[2 * 600 + 64];
	struct spec s = { .opts = hex };
	size_t i, n = 0;

	(void)state;
	n += (size_t)sprintf(hex + n, "2b ff ");
	for (i = 0; i < 255; i++)
		n += (size_t)sprintf(hex + n, "61");
	n += (size_t)sprintf(hex + n, " 2b 05 6262626262 ff");
	assert_int_equal(decode_spec(&s), DHCP_OK);
	assert_int_equal(msg.opt[43].len, 260);
	assert_int_equal(msg.opt[43].first_len, 255);
	assert_int_equal(msg.opt[43].p[254], 'a');
	assert_int_equal(msg.opt[43].p[255], 'b');
	/* the length rule of 43 is "at least 1" */
	assert_non_null(dhcp_msg_get(&msg, 43, &n));
	assert_int_equal(n, 260);
}

/* --- accessors --------------------------------------------------------- */

struct get_row {
	const char *name;
	const char *opts;
	uint8_t code;
	bool ok;
	size_t len;
};

static const struct get_row get_rows[] = {
	{ "50 exactly 4", "32 04 c000026b ff", 50, true, 4 },
	{ "50 of 5 refused", "32 05 c000026b00 ff", 50, false, 0 },
	{ "54 of 3 refused", "36 03 c00002 ff", 54, false, 0 },
	{ "54 split into 2+2", "36 02 c000 36 02 0201 ff", 54, true, 4 },
	{ "57 exactly 2", "39 02 04ec ff", 57, true, 2 },
	{ "57 of 4 refused", "39 04 04ec0000 ff", 57, false, 0 },
	{ "61 empty is absent", "3d 00 ff", 61, false, 0 },
	{ "55 empty is present", "37 00 ff", 55, true, 0 },
	{ "80 empty is present", "50 00 ff", 80, true, 0 },
	{ "93 list of two", "5d 04 0007 0009 ff", 93, true, 4 },
	{ "93 of 1 refused", "5d 01 07 ff", 93, false, 0 },
	{ "97 of 16 refused", "61 10 00112233445566778899aabbccddeeff ff", 97,
	    false, 0 },
	{ "97 of 17", "61 11 00 00112233445566778899aabbccddeeff ff", 97,
	    true, 17 },
	{ "81 of 2 refused", "51 02 0000 ff", 81, false, 0 },
	{ "175 empty is absent", "af 00 ff", 175, false, 0 },
	{ "absent", "ff", 12, false, 0 },
};

static void
get_table(void **state)
{
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(get_rows) / sizeof(get_rows[0]); i++) {
		const struct get_row *r = &get_rows[i];
		struct spec s = { .opts = r->opts };
		const uint8_t *p;

		if (decode_spec(&s) != DHCP_OK)
			fail_msg("%s: rejected", r->name);
		p = dhcp_msg_get(&msg, r->code, &len);
		if ((p != NULL) != r->ok || len != r->len)
			fail_msg("%s: got %s len %zu", r->name,
			    p != NULL ? "value" : "none", len);
	}
}

static void
typed_accessors(void **state)
{
	static const struct spec s = { .opts = "32 04 c000026b 33 04 00000e10"
	    " 5d 04 0007 0009 36 05 c000020100 ff" };
	struct in_addr a;
	uint16_t v16;
	uint32_t v32;

	(void)state;
	assert_int_equal(decode_spec(&s), DHCP_OK);
	assert_true(dhcp_msg_addr(&msg, 50, &a));
	assert_int_equal(ntohl(a.s_addr), 0xc000026b);
	assert_false(dhcp_msg_addr(&msg, 54, &a));	/* 5 bytes */
	assert_true(dhcp_msg_has(&msg, 54));
	assert_false(dhcp_msg_addr(&msg, 12, &a));	/* absent */
	assert_true(dhcp_msg_u32(&msg, 51, &v32));
	assert_int_equal(v32, 3600);
	assert_true(dhcp_msg_u16(&msg, 93, &v16));	/* first arch */
	assert_int_equal(v16, 7);
	assert_false(dhcp_msg_u16(&msg, 57, &v16));
	assert_true(dhcp_msg_u32(&msg, 93, &v32));
	assert_int_equal(v32, 0x00070009);
}

struct prl_row {
	const char *name;
	const char *opts;
	uint8_t code;
	bool want;
};

static const struct prl_row prl_rows[] = {
	{ "listed", "37 03 01 03 43 ff", 67, true },
	{ "not listed", "37 03 01 03 06 ff", 67, false },
	{ "after a 255 byte", "37 03 01 ff 43 ff", 67, false },
	{ "before a 255 byte", "37 03 43 ff 01 ff", 67, true },
	{ "255 itself", "37 02 01 ff ff", 255, false },
	{ "split list", "37 01 01 37 01 43 ff", 67, true },
	{ "no list", "ff", 1, false },
};

static void
prl_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(prl_rows) / sizeof(prl_rows[0]); i++) {
		const struct prl_row *r = &prl_rows[i];
		struct spec s = { .opts = r->opts };

		if (decode_spec(&s) != DHCP_OK)
			fail_msg("%s: rejected", r->name);
		if (dhcp_msg_requested(&msg, r->code) != r->want)
			fail_msg("%s: wrong answer", r->name);
	}
}

struct size_row {
	const char *name;
	const char *opts;
	size_t want;
};

static const struct size_row size_rows[] = {
	{ "no 57", "35 01 01 ff", 548 },
	{ "57 = 1260 (Intel ROM)", "35 01 01 39 02 04ec ff", 1232 },
	{ "57 = 576", "35 01 01 39 02 0240 ff", 548 },
	{ "57 = 577", "35 01 01 39 02 0241 ff", 549 },
	{ "57 = 500 below RFC minimum", "35 01 01 39 02 01f4 ff", 548 },
	{ "57 = 1500", "35 01 01 39 02 05dc ff", 1472 },
	{ "57 = 16412", "35 01 01 39 02 401c ff", 16384 },
	{ "57 = 65535", "35 01 01 39 02 ffff ff", 16384 },
	{ "57 = 27 wraps", "35 01 01 39 02 001b ff", 16384 },
	{ "57 = 28", "35 01 01 39 02 001c ff", 548 },
	{ "57 of 3 bytes", "35 01 01 39 03 05dc00 ff", 548 },
	{ "bootp ignores 57", "39 02 05dc ff", 548 },
	{ "53 = 0 still reads 57", "35 01 00 39 02 05dc ff", 1472 },
};

static void
size_table(void **state)
{
	size_t i, got;

	(void)state;
	for (i = 0; i < sizeof(size_rows) / sizeof(size_rows[0]); i++) {
		const struct size_row *r = &size_rows[i];
		struct spec s = { .opts = r->opts };

		if (decode_spec(&s) != DHCP_OK)
			fail_msg("%s: rejected", r->name);
		if ((got = dhcp_msg_reply_size(&msg)) != r->want)
			fail_msg("%s: %zu, want %zu", r->name, got, r->want);
	}
}

struct clid_row {
	const char *name;
	const char *hdr;
	const char *opts;
	bool ignore;
	const char *clid;	/* NULL: none */
	const char *mac;
};

static const struct clid_row clid_rows[] = {
	{ "61 and chaddr", NULL, "3d 07 01525400123456 ff", false,
	    "01525400123456", "525400123456" },
	{ "no 61", NULL, "ff", false, NULL, "525400123456" },
	{ "dhcp-ignore-clid", NULL, "3d 07 01525400123456 ff", true, NULL,
	    "525400123456" },
	{ "hlen 0: clid minus matching type", "01 01 00",
	    "3d 07 01aabbccddeeff ff", false, "01aabbccddeeff",
	    "aabbccddeeff" },
	{ "hlen 0: other type, whole clid", "01 01 00",
	    "3d 05 ff00010203 ff", false, "ff00010203", "ff00010203" },
	{ "hlen 0: clid of 3 is too short", "01 01 00", "3d 03 010203 ff",
	    false, "010203", "" },
	{ "hlen 0: EUI-64 on IEEE 1394", "01 18 00",
	    "3d 09 1b0011223344556677 ff", false, "1b0011223344556677",
	    "0011223344556677" },
	{ "hlen 0 htype 0", "01 00 00", "3d 04 00010203 ff", false,
	    "00010203", "010203" },
};

static void
hex_eq(const char *row, const char *what, const uint8_t *p, size_t len,
    const char *want)
{
	uint8_t w[64];
	size_t n = unhex(want, w, sizeof(w));

	if (n != len || (n != 0 && memcmp(p, w, n) != 0))
		fail_msg("%s: %s differs (len %zu, want %zu)", row, what, len,
		    n);
}

static void
clid_table(void **state)
{
	struct dhcp_client_id id;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(clid_rows) / sizeof(clid_rows[0]); i++) {
		const struct clid_row *r = &clid_rows[i];
		struct spec s = { .hdr = r->hdr, .opts = r->opts };

		if (decode_spec(&s) != DHCP_OK)
			fail_msg("%s: rejected", r->name);
		dhcp_msg_client_id(&msg, r->ignore, &id);
		if ((id.clid != NULL) != (r->clid != NULL))
			fail_msg("%s: client-id presence", r->name);
		if (r->clid != NULL)
			hex_eq(r->name, "clid", id.clid, id.clid_len, r->clid);
		hex_eq(r->name, "mac", id.mac, id.mac_len, r->mac);
		assert_int_equal(id.htype, msg.htype);
	}
}

static void
suboptions(void **state)
{
	static const uint8_t v43[] = { 0x47, 0x04, 0x80, 0x00, 0x00, 0x00,
	    0x00, 0x06, 0x01, 0x03, 0xff, 0x09, 0x01, 0x00 };
	static const uint8_t cut[] = { 0x01, 0x02, 0xaa, 0xbb, 0x05, 0x09 };
	struct dhcp_walk w;
	const uint8_t *v;
	uint8_t code, n;

	(void)state;
	v = dhcp_subopt(v43, sizeof(v43), 71, 4, &n);
	assert_ptr_equal(v, v43 + 2);
	assert_int_equal(n, 4);
	assert_null(dhcp_subopt(v43, sizeof(v43), 71, 5, &n));
	assert_non_null(dhcp_subopt(v43, sizeof(v43), 6, 1, &n));
	assert_null(dhcp_subopt(v43, sizeof(v43), 9, 1, &n)); /* after END */
	dhcp_walk_init(&w, cut, sizeof(cut));
	assert_true(dhcp_walk_next(&w, &code, &v, &n));
	assert_int_equal(code, 1);
	assert_false(dhcp_walk_next(&w, &code, &v, &n));
	assert_true(w.overrun);
	assert_int_equal(w.off, 4);
	assert_false(dhcp_walk_next(&w, &code, &v, &n));
	dhcp_walk_init(&w, NULL, 10);
	assert_false(dhcp_walk_next(&w, &code, &v, &n));
}

/* --- encoding ---------------------------------------------------------- */

static uint8_t out[DHCP_MAX_MSG];

static struct in_addr
ip(uint32_t host)
{
	struct in_addr a = { htonl(host) };

	return a;
}

static void
put32(struct dhcp_out *o, uint8_t code, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	assert_int_equal(dhcp_out_opt(o, code, b, 4), 0);
}

#define SRV 0xc0000201u		/* 192.0.2.1 (reference Appendix A) */
#define CLI 0xc000026bu		/* 192.0.2.107 */

/* Reference "BASE" after 53: 54, 51, [67], 58, 59, 1, 28, 3, 6. */
static void
put_base(struct dhcp_out *o, uint8_t type, const char *file67)
{
	uint8_t t = type;

	assert_int_equal(dhcp_out_opt(o, 53, &t, 1), 0);
	put32(o, 54, SRV);
	put32(o, 51, 3600);
	if (file67 != NULL)
		assert_int_equal(dhcp_out_opt(o, 67, file67,
		    strlen(file67) + 1), 0);
	put32(o, 58, 1800);
	put32(o, 59, 3150);
	put32(o, 1, 0xffffff00);
	put32(o, 28, 0xc00002ff);
	put32(o, 3, SRV);
	put32(o, 6, SRV);
}

/* The Intel ROM DISCOVER of Appendix A (57 = 1260, PRL with 67). */
#define ROM_DISCOVER "35 01 01 39 02 04ec 5d 02 0000 5e 03 010201" \
	" 37 23 0102030506 0b0c0d0f1011 1216 171c 28292a2b 3233 363a 3b3c" \
	" 4243 8081828384858687 ff"

static void
rom_discover(const char *hdr, const char *prl_override)
{
	struct spec s = { .hdr = hdr, .opts = prl_override != NULL ?
	    prl_override : ROM_DISCOVER };

	assert_int_equal(decode_spec(&s), DHCP_OK);
}

/* Appendix A.1: OFFER with 67 = "pxelinux.0\0", UDP payload 305. */
static void
enc_offer_a1(void **state)
{
	static const char want_opts[] =
	    "350102 3604c0000201 330400000e10"
	    " 430b7078656c696e75782e3000"
	    " 3a0400000708 3b0400000c4e 0104ffffff00 1c04c00002ff"
	    " 0304c0000201 0604c0000201 ff";
	uint8_t want[305];
	struct dhcp_out o;
	size_t n;

	(void)state;
	rom_discover(NULL, NULL);
	assert_int_equal(dhcp_msg_reply_size(&msg), 1232);
	dhcp_out_init(&o, out, dhcp_msg_reply_size(&msg), &msg);
	assert_true(o.allow_overload);
	dhcp_out_yiaddr(&o, ip(CLI));
	dhcp_out_siaddr(&o, ip(SRV));
	put_base(&o, DHCP_OFFER, "pxelinux.0");
	assert_int_equal(dhcp_out_finish(&o), 305);

	memset(want, 0, sizeof(want));
	unhex("02010600 12345678 0000 0000 00000000 c000026b c0000201"
	    " 00000000 525400123456", want, sizeof(want));
	unhex("63825363", want + 236, 4);
	n = unhex(want_opts, want + 240, sizeof(want) - 240);
	assert_int_equal(240 + n, 305);
	assert_memory_equal(out, want, sizeof(want));
}

/* Appendix A.1, PRL 1,3,6,43,60 + broadcast: 67 not requested, so the
 * caller puts the name in `file`; BASE only, padded to 300. */
static void
enc_offer_file_field(void **state)
{
	struct dhcp_out o;
	const uint8_t *p;
	size_t n, i;

	(void)state;
	rom_discover("01 01 06 00", "35 01 01 39 02 04ec 37 05 0103062b3c ff");
	dhcp_out_init(&o, out, dhcp_msg_reply_size(&msg), &msg);
	dhcp_out_flags(&o, 0x8000);
	dhcp_out_yiaddr(&o, ip(CLI));
	dhcp_out_siaddr(&o, ip(SRV));
	assert_int_equal(dhcp_out_file(&o, "pxelinux.0"), 0);
	put_base(&o, DHCP_OFFER, NULL);
	assert_int_equal(dhcp_out_finish(&o), 300);
	assert_int_equal(out[10], 0x80);
	assert_string_equal((const char *)out + DHCP_FILE_OFF, "pxelinux.0");
	assert_true(dhcp_out_area(&o, DHCP_AREA_OPTIONS, &p, &n));
	assert_int_equal(n, 52);	/* BASE 51 + END */
	assert_int_equal(p[n - 1], 0xff);
	for (i = 240 + n; i < 300; i++)
		assert_int_equal(out[i], 0);
	assert_false(dhcp_out_area(&o, DHCP_AREA_FILE, &p, &n));
}

/* A reply captured from dnsmasq 2.90 (netns; dhcp-option-force=205,
 * 204, 203, 201, 200 with values of 5, 40, 60, 61, 250 bytes, PRL 1,28,
 * broadcast flag): 201 and 203 went to file, 204 to sname, 205 back into
 * the options after 52. */
static void put_base7(struct dhcp_out *o);

static void
enc_dnsmasq_capture(void **state)
{
	static const struct spec s = { .hdr = "01 01 06 00",
	    .opts = "35 01 01 37 02 011c ff", .len = 300 };
	static const char *const want_hex[] = {
	    "02010600 00001200 0000 8000 00000000 c633646b c6336401 00000000"
	    " 525400123456 00*10",
	    "cc 28 64*40 ff 00*21",
	    "c9 3d 62*61 cb 3c 63*60 ff 00*2",
	    "63825363 350102 3604c6336401 330400000e10 3a0400000708"
	    " 3b0400000c4e 0104ffffff00 1c04c63364ff c8fa 61*250 340103"
	    " cd05 65*5 ff",
	};
	static const size_t sizes[] = { 250, 61, 60, 40, 5 };
	static const uint8_t codes[] = { 200, 201, 203, 204, 205 };
	static uint8_t want[600], val[250];
	struct dhcp_out o;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 4; i++)
		n += unhex(want_hex[i], want + n, sizeof(want) - n);
	assert_int_equal(n, 542);
	pkt_build(&pkt, &s);
	unhex("00001200 0000 8000", pkt.b + 4, 8);
	assert_int_equal(dhcp_msg_decode(&msg, pkt.b, pkt.len), DHCP_OK);
	dhcp_out_init(&o, out, dhcp_msg_reply_size(&msg), &msg);
	dhcp_out_yiaddr(&o, ip(0xc633646b));
	dhcp_out_siaddr(&o, ip(0xc6336401));
	put_base7(&o);
	for (i = 0; i < sizeof(codes); i++) {
		memset(val, 'a' + (int)i, sizeof(val));
		assert_int_equal(dhcp_out_opt(&o, codes[i], val, sizes[i]), 0);
	}
	assert_int_equal(dhcp_out_finish(&o), 542);
	assert_memory_equal(out, want, 542);
}

/* Header as dnsmasq reuses the request (reference 3.8). */
static void
enc_header_kept(void **state)
{
	static const struct spec s = { .hdr = "01 01 06 03", .opts = DISCOVER,
	    .len = 300 };
	struct dhcp_out o;

	(void)state;
	pkt_build(&pkt, &s);
	/* secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr tail */
	unhex("0009 8000 0a000001 0a000002 0a000003 c6336401", pkt.b + 8, 20);
	pkt.b[28 + 15] = 0xee;
	unhex("41", pkt.b + DHCP_FILE_OFF, 1);
	unhex("42", pkt.b + DHCP_SNAME_OFF, 1);
	assert_int_equal(dhcp_msg_decode(&msg, pkt.b, pkt.len), DHCP_OK);
	dhcp_out_init(&o, out, 548, &msg);
	assert_int_equal(dhcp_out_finish(&o), 300);
	assert_int_equal(out[0], 2);
	assert_memory_equal(out + 1, pkt.b + 1, 19);	/* .. yiaddr */
	assert_memory_equal(out + 20, "\0\0\0\0", 4);	/* siaddr */
	assert_memory_equal(out + 24, pkt.b + 24, 20);	/* giaddr, chaddr */
	assert_int_equal(out[DHCP_FILE_OFF], 0);
	assert_int_equal(out[DHCP_SNAME_OFF], 0);
	assert_memory_equal(out + 236, pkt.b + 236, 4);
	assert_int_equal(out[240], 0xff);
	dhcp_out_ciaddr(&o, ip(0));
	assert_memory_equal(out + 12, "\0\0\0\0", 4);
}

/* A BOOTP client without a cookie gets its own vend bytes back. */
static void
enc_bootp_vend(void **state)
{
	static const struct spec s = { .nocookie = true, .len = 300 };
	uint8_t v[50];
	struct dhcp_out o;

	(void)state;
	pkt_build(&pkt, &s);
	unhex("434d5500", pkt.b + 236, 4);	/* "CMU\0", RFC 951 */
	assert_int_equal(dhcp_msg_decode(&msg, pkt.b, pkt.len), DHCP_OK);
	dhcp_out_init(&o, out, dhcp_msg_reply_size(&msg), &msg);
	assert_false(o.allow_overload);
	dhcp_out_bootp(&o);
	memset(v, 0x11, sizeof(v));
	/* 240 + 52 + 3 < 300 */
	assert_int_equal(dhcp_out_opt(&o, 1, v, 4), 0);
	assert_int_equal(dhcp_out_opt(&o, 43, v, 48), 0);
	assert_int_equal(dhcp_out_opt(&o, 3, v, 4), -ENOSPC);
	assert_int_equal(dhcp_out_opt(&o, 80, v, 0), 0);	/* 296..297 */
	assert_int_equal(dhcp_out_finish(&o), 300);
	assert_memory_equal(out + 236, "CMU", 4);
	assert_int_equal(out[296], 80);
	assert_int_equal(out[298], 0xff);
	assert_int_equal(out[299], 0);
}

/* Spill into file and sname.  Options 200.. with the row's sizes; areas
 * per option: O options field, F file, S sname, - refused. */
struct spill_row {
	const char *name;
	size_t cap;
	bool allow;
	const char *file, *sname;
	size_t sizes[5];
	const char *areas;
	uint8_t ovl;		/* option 52 value, 0 = none */
	int len;
	/* first 53, 54, 51, 58, 59, 1, 28 (39 bytes) as dnsmasq's OFFER */
	bool base;
	bool bootp;
	const char *req;	/* request options (default: Intel ROM) */
	bool agent;		/* echo the request's 82 */
};

/* Layouts observed from dnsmasq 2.90 (netns, dhcp-option-force=20x
 * values of these sizes, PRL 1,28 unless said; replies identical byte
 * for byte to what the encoder builds): */
#define AGENT_REQ "35 01 01 37 02 011c 52 14 01 04 00000001" \
	" 02 0c 414141414141414141414141 ff"

static const struct spill_row spill_rows[] = {
	/* reserve: end = 548 - 3; a 44-byte option ends at 543, 2 free */
	{ "fits with the 3-byte reserve", 548, true, NULL, NULL,
	    { 255, 44 }, "OO", 0, 544, .base = false },
	{ "one more byte spills to file", 548, true, NULL, NULL,
	    { 255, 45 }, "OF", 1, 501, .base = false },
	{ "later small option back in options", 548, true, NULL, NULL,
	    { 255, 45, 40 }, "OFO", 1, 543, .base = false },
	{ "file full, then sname", 548, true, NULL, NULL,
	    { 255, 45, 60, 50 }, "OFFS", 3, 501, .base = false },
	{ "fits nowhere: 52 set anyway", 548, true, NULL, NULL,
	    { 255, 45, 100 }, "OF-", 3, 501, .base = false },
	{ "no overload: 45 fits without the reserve", 548, false, NULL,
	    NULL, { 255, 45 }, "OO", 0, 545, .base = false },
	{ "no overload: no reserve", 548, false, NULL, NULL,
	    { 255, 47 }, "OO", 0, 547, .base = false },
	{ "no overload: 48 too many", 548, false, NULL, NULL,
	    { 255, 48 }, "O-", 0, 498, .base = false },
	{ "boot file: spill to sname", 548, true, "boot.0", NULL,
	    { 255, 45 }, "OS", 2, 501, .base = false },
	{ "boot sname: spill to file", 548, true, NULL, "srv",
	    { 255, 45, 100 }, "OF-", 1, 501, .base = false },
	{ "both names: no reserve, no spill", 548, true, "boot.0", "srv",
	    { 255, 47, 1 }, "OO-", 0, 547, .base = false },
	{ "300-byte option split", 548, true, NULL, NULL,
	    { 300 }, "O", 1, 501, .base = false },
	{ "600-byte option: none, no 52", 548, true, NULL, NULL,
	    { 255, 600 }, "O-", 0, 498, .base = false },
	{ "big cap: 600 bytes in options", 1232, true, NULL, NULL,
	    { 600, 255 }, "OO", 0, 1104, .base = false },
	{ "small cap 300", 300, true, NULL, NULL, { 40, 20, 30 }, "OFF", 1,
	    300, .base = false },
	{ "dnsmasq: file, sname, back in options", 548, true, NULL, NULL,
	    { 250, 61, 60, 40, 5 }, "OFFSO", 3, 542, .base = true },
	{ "dnsmasq: last byte before the reserve", 548, true, NULL, NULL,
	    { 250, 10 }, "OO", 0, 544, .base = true },
	{ "dnsmasq: one byte more spills", 548, true, NULL, NULL,
	    { 250, 11 }, "OF", 1, 535, .base = true },
	{ "dnsmasq: no PRL, no overload", 548, false, NULL, NULL,
	    { 4, 250, 20 }, "OO-", 0, 538, .base = true },
	{ "dnsmasq: dhcp-boot file, spill to sname", 548, true, "pxelinux.0",
	    NULL, { 250, 20 }, "OS", 2, 535, .base = true },
	{ "dnsmasq: file and sname, no reserve", 548, true, "pxelinux.0",
	    "bootsrv", { 250, 13 }, "OO", 0, 547, .base = true },
	{ "dnsmasq: file and sname, refused", 548, true, "pxelinux.0",
	    "bootsrv", { 250, 14 }, "O-", 0, 532, .base = true },
	{ "dnsmasq: 57=576, refused, 52=3", 548, true, NULL, NULL,
	    { 250, 250, 250 }, "O--", 3, 535, .base = true },
	{ "dnsmasq: 57=1500 (or 20: wraps)", 1472, true, NULL, NULL,
	    { 250, 250, 250 }, "OOO", 0, 1036, .base = true },
	{ "dnsmasq: relay agent 82 reserved", 548, true, NULL, NULL,
	    { 200, 40, 5 }, "OFO", 1, 514, .base = true, .req = AGENT_REQ,
	    .agent = true },
	{ "dnsmasq: BOOTP 1, 28, 3, 20, 20", 548, false, NULL, NULL,
	    { 4, 4, 4, 20, 20 }, "OOOO-", 0, 300, .bootp = true },
};

/* 53, 54, 51, 58, 59, 1, 28 as in dnsmasq's OFFER. */
static void
put_base7(struct dhcp_out *o)
{
	uint8_t t = DHCP_OFFER;

	assert_int_equal(dhcp_out_opt(o, 53, &t, 1), 0);
	put32(o, 54, 0xc6336401);
	put32(o, 51, 3600);
	put32(o, 58, 1800);
	put32(o, 59, 3150);
	put32(o, 1, 0xffffff00);
	put32(o, 28, 0xc63364ff);
}

/* Which area holds option code, by walking each after finish. */
static char
area_of(const struct dhcp_out *o, uint8_t code)
{
	static const char names[] = "OFS";
	struct dhcp_walk w;
	const uint8_t *p, *v;
	size_t len;
	uint8_t c, n;
	int a;

	for (a = DHCP_AREA_OPTIONS; a <= DHCP_AREA_SNAME; a++) {
		if (!dhcp_out_area(o, (enum dhcp_area)a, &p, &len))
			continue;
		dhcp_walk_init(&w, p, len);
		while (dhcp_walk_next(&w, &c, &v, &n))
			if (c == code)
				return names[a];
	}
	return '-';
}

static void
spill_row(const struct spill_row *r)
{
	static uint8_t val[1024];
	struct dhcp_out o;
	size_t i, len;
	const uint8_t *p;
	int rc, got;

	rom_discover(NULL, r->req);
	dhcp_out_init(&o, out, r->cap, &msg);
	o.allow_overload = r->allow;
	if (r->agent)
		assert_int_equal(dhcp_out_agent(&o, &msg), 0);
	if (r->bootp)
		dhcp_out_bootp(&o);
	if (r->base)
		put_base7(&o);
	if (r->file != NULL)
		assert_int_equal(dhcp_out_file(&o, r->file), 0);
	if (r->sname != NULL)
		assert_int_equal(dhcp_out_sname(&o, r->sname), 0);
	for (i = 0; i < strlen(r->areas); i++) {
		memset(val, (int)i + 1, sizeof(val));
		rc = dhcp_out_opt(&o, (uint8_t)(200 + i), val, r->sizes[i]);
		if (rc != (r->areas[i] == '-' ? -ENOSPC : 0))
			fail_msg("%s: option %zu: rc %d", r->name, i, rc);
	}
	if ((got = dhcp_out_finish(&o)) != r->len)
		fail_msg("%s: length %d, want %d", r->name, got, r->len);
	for (i = 0; i < strlen(r->areas); i++)
		if (area_of(&o, (uint8_t)(200 + i)) != r->areas[i])
			fail_msg("%s: option %zu in %c, want %c", r->name, i,
			    area_of(&o, (uint8_t)(200 + i)), r->areas[i]);
	/* decoded again: same values, 52 as expected */
	out[0] = 1;
	if (dhcp_msg_decode(&msg2, out, (size_t)got) != DHCP_OK)
		fail_msg("%s: reply does not decode", r->name);
	if (msg2.overload != r->ovl || msg2.tolerated != 0)
		fail_msg("%s: 52 = %u, want %u", r->name, msg2.overload,
		    r->ovl);
	for (i = 0; i < strlen(r->areas); i++) {
		p = dhcp_msg_get(&msg2, (uint8_t)(200 + i), &len);
		if (r->areas[i] == '-') {
			if (p != NULL)
				fail_msg("%s: refused option present", r->name);
			continue;
		}
		memset(val, (int)i + 1, sizeof(val));
		if (p == NULL || len != r->sizes[i] ||
		    memcmp(p, val, len) != 0)
			fail_msg("%s: option %zu differs", r->name, i);
	}
	if (r->file != NULL && strcmp((const char *)msg2.file, r->file) != 0)
		fail_msg("%s: file field lost", r->name);
}

static void
spill_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(spill_rows) / sizeof(spill_rows[0]); i++)
		spill_row(&spill_rows[i]);
}

/* The exact bytes of a spill: 52 where the option would have gone, END
 * in each area used. */
static void
spill_bytes(void **state)
{
	static uint8_t val[255];
	struct dhcp_out o;
	const uint8_t *p;
	size_t n;

	(void)state;
	rom_discover(NULL, NULL);
	dhcp_out_init(&o, out, 548, &msg);
	memset(val, 0xaa, sizeof(val));
	assert_int_equal(dhcp_out_opt(&o, 200, val, 255), 0);
	assert_int_equal(dhcp_out_opt(&o, 201, val, 45), 0);
	assert_int_equal(dhcp_out_opt(&o, 202, val, 1), 0);
	/* the field carries options now */
	assert_int_equal(dhcp_out_file(&o, "x"), -EBUSY);
	assert_int_equal(dhcp_out_finish(&o), 504);
	assert_memory_equal(out + 240 + 257, "\x34\x01\x01\xca\x01\xaa\xff",
	    7);
	assert_int_equal(out[DHCP_FILE_OFF], 201);
	assert_int_equal(out[DHCP_FILE_OFF + 1], 45);
	assert_int_equal(out[DHCP_FILE_OFF + 47], 0xff);
	assert_int_equal(out[DHCP_FILE_OFF + 48], 0);
	assert_int_equal(out[DHCP_SNAME_OFF], 0);
	assert_true(dhcp_out_area(&o, DHCP_AREA_FILE, &p, &n));
	assert_int_equal(n, 48);
	assert_false(dhcp_out_area(&o, DHCP_AREA_SNAME, &p, &n));
	assert_int_equal(dhcp_out_file(&o, "x"), -EINVAL);	/* finished */
}

static void
enc_errors(void **state)
{
	uint8_t v[4] = { 0 };
	struct dhcp_out o;
	char name[200];

	(void)state;
	rom_discover(NULL, NULL);
	/* cap below the header: nothing fits */
	dhcp_out_init(&o, out, 200, &msg);
	assert_int_equal(dhcp_out_opt(&o, 1, v, 4), -ENOSPC);
	assert_int_equal(dhcp_out_finish(&o), -ENOSPC);
	/* cap below the BOOTP minimum */
	dhcp_out_init(&o, out, 299, &msg);
	assert_int_equal(dhcp_out_opt(&o, 1, v, 4), 0);
	assert_int_equal(dhcp_out_finish(&o), -ENOSPC);
	/* codes the encoder owns */
	dhcp_out_init(&o, out, 548, &msg);
	assert_int_equal(dhcp_out_opt(&o, 0, v, 1), -EINVAL);
	assert_int_equal(dhcp_out_opt(&o, 52, v, 1), -EINVAL);
	assert_int_equal(dhcp_out_opt(&o, 255, v, 1), -EINVAL);
	assert_int_equal(dhcp_out_opt(&o, 1, NULL, 4), -EINVAL);
	assert_int_equal(dhcp_out_opt(&o, 80, NULL, 0), 0);
	/* a sname field already used by overload */
	o.overload_used = 2;
	assert_int_equal(dhcp_out_sname(&o, "s"), -EBUSY);
	o.overload_used = 0;
	/* names are cut like safe_strncpy */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(dhcp_out_file(&o, name), 0);
	assert_int_equal(strlen((const char *)out + DHCP_FILE_OFF), 127);
	assert_int_equal(dhcp_out_sname(&o, name), 0);
	assert_int_equal(out[DHCP_SNAME_OFF + 62], 'n');
	assert_int_equal(out[DHCP_SNAME_OFF + 63], 0);
	assert_int_equal(out[DHCP_FILE_OFF], 'n');
	assert_int_equal(dhcp_out_file(&o, ""), 0);	/* free again */
	assert_false(o.file_taken);
	assert_int_equal(out[DHCP_FILE_OFF], 0);
	/* finish twice, nothing after */
	assert_int_equal(dhcp_out_finish(&o), 300);
	assert_int_equal(dhcp_out_finish(&o), 300);
	assert_int_equal(dhcp_out_opt(&o, 1, v, 4), -EINVAL);
	/* a fresh message without request */
	dhcp_out_init(&o, out, 548, NULL);
	assert_false(o.allow_overload);
	assert_int_equal(dhcp_out_finish(&o), 300);
	assert_int_equal(out[0], 2);
	assert_memory_equal(out + 236, "\x63\x82\x53\x63\xff", 5);
}

/* Option 82 echoed last, its room reserved first (rfc2131.c). */
static void
enc_agent(void **state)
{
	static uint8_t val[255];
	struct dhcp_out o;
	struct spec s = { .opts = "35 01 01 37 02 0103"
	    " 52 0a 0104 00000001 0202 aabb ff" };
	struct in_addr a;

	(void)state;
	assert_int_equal(decode_spec(&s), DHCP_OK);
	dhcp_out_init(&o, out, 548, &msg);
	assert_int_equal(dhcp_out_agent(&o, &msg), 0);
	assert_int_equal(o.agent_total, 12);
	memset(val, 0x55, sizeof(val));
	put32(&o, 1, 0xffffff00);
	/* options end at 548 - 12 - 3 = 533 (each leaves 2 bytes) */
	assert_int_equal(dhcp_out_opt(&o, 200, val, 255), 0);	/* ..503 */
	assert_int_equal(dhcp_out_opt(&o, 201, val, 26), 0);	/* ..531 */
	assert_int_equal(dhcp_out_opt(&o, 202, val, 1), 0);	/* file */
	assert_int_equal(dhcp_out_finish(&o), 531 + 3 + 12 + 1);
	assert_memory_equal(out + 531, "\x34\x01\x01\x52\x0a\x01\x04", 7);
	assert_int_equal(out[546], 0xff);
	assert_int_equal(area_of(&o, 201), 'O');
	assert_int_equal(area_of(&o, 202), 'F');
	assert_int_equal(area_of(&o, 82), 'O');
	out[0] = 1;
	assert_int_equal(dhcp_msg_decode(&msg2, out, 547), DHCP_OK);
	assert_string_equal(opt_hex(&msg2, 82), "0104000000010202aabb");
	assert_true(dhcp_msg_addr(&msg2, 1, &a));

	/* no 82 */
	s.opts = "35 01 01 ff";
	assert_int_equal(decode_spec(&s), DHCP_OK);
	dhcp_out_init(&o, out, 548, &msg);
	assert_int_equal(dhcp_out_agent(&o, &msg), -ENOENT);
	/* no END in the request: dnsmasq cannot park the option */
	s.opts = "35 01 01 52 04 01020304";
	assert_int_equal(decode_spec(&s), DHCP_OK);
	dhcp_out_init(&o, out, 548, &msg);
	assert_int_equal(dhcp_out_agent(&o, &msg), -ENOSPC);
	/* END at 540, below 548 - 6: echoed */
	s.opts = "35 01 01 52 04 01020304";
	s.len = 0;
	pkt_build(&pkt, &s);
	memset(pkt.b + 249, 0, 540 - 249);
	pkt.b[540] = 0xff;
	pkt.len = 541;
	assert_int_equal(dhcp_msg_decode(&msg, pkt.b, pkt.len), DHCP_OK);
	assert_int_equal(msg.end_off, 540);
	dhcp_out_init(&o, out, 548, &msg);
	assert_int_equal(dhcp_out_agent(&o, &msg), 0);
	/* END at 542, not below 548 - 6: not echoed */
	memset(pkt.b + 249, 0, 300);
	pkt.b[542] = 0xff;
	pkt.len = 543;
	assert_int_equal(dhcp_msg_decode(&msg, pkt.b, pkt.len), DHCP_OK);
	dhcp_out_init(&o, out, 548, &msg);
	assert_int_equal(dhcp_out_agent(&o, &msg), -ENOSPC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dec_table),
		cmocka_unit_test(dec_fields),
		cmocka_unit_test(cat_table),
		cmocka_unit_test(cat_long),
		cmocka_unit_test(get_table),
		cmocka_unit_test(typed_accessors),
		cmocka_unit_test(prl_table),
		cmocka_unit_test(size_table),
		cmocka_unit_test(clid_table),
		cmocka_unit_test(suboptions),
		cmocka_unit_test(enc_offer_a1),
		cmocka_unit_test(enc_offer_file_field),
		cmocka_unit_test(enc_dnsmasq_capture),
		cmocka_unit_test(enc_header_kept),
		cmocka_unit_test(enc_bootp_vend),
		cmocka_unit_test(spill_table),
		cmocka_unit_test(spill_bytes),
		cmocka_unit_test(enc_errors),
		cmocka_unit_test(enc_agent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
