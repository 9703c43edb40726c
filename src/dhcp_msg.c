/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp_msg.c - DHCPv4/BOOTP codec.  The facts (what dnsmasq 2.90 accepts,
 * where it puts options) are cited from its rfc2131.c; the header lists
 * where pxemasq is stricter.
 */
#include "dhcp_msg.h"

#include <errno.h>
#include <string.h>

#include "buf.h"

#define DHCP_OPT_MAX 255		/* one instance (RFC 2132 2) */
#define DHCP_HDR_OVERLOAD 3		/* 52, 1, value */

/* ARP hardware types (ARPHRD_IEEE1394, ARPHRD_EUI64 on Linux). */
#define DHCP_HTYPE_IEEE1394 24
#define DHCP_HTYPE_EUI64 27

/* Offsets of the fixed fields (RFC 2131 2, figure 1). */
#define DHCP_FLAGS_OFF 10
#define DHCP_CIADDR_OFF 12
#define DHCP_YIADDR_OFF 16
#define DHCP_SIADDR_OFF 20

static const uint8_t dhcp_cookie[4] = { 0x63, 0x82, 0x53, 0x63 };

static const char *const dhcp_bad_names[DHCP_BAD_COUNT] = {
	[DHCP_OK] = "ok",
	[DHCP_BAD_SHORT] = "short",
	[DHCP_BAD_LONG] = "oversized",
	[DHCP_BAD_OP] = "bad-op",
	[DHCP_BAD_HLEN] = "bad-hlen",
	[DHCP_BAD_HTYPE] = "bad-htype",
	[DHCP_BAD_COOKIE] = "no-cookie",
	[DHCP_BAD_TYPE_LEN] = "bad-type-length",
	[DHCP_BAD_OVERLOAD] = "bad-overload",
	[DHCP_BAD_OPT_OVERRUN] = "option-overrun",
	[DHCP_BAD_NO_END] = "no-end",
};

const char *
dhcp_bad_name(enum dhcp_bad why)
{
	if ((unsigned)why >= DHCP_BAD_COUNT)
		return "unknown";
	return dhcp_bad_names[why];
}

/* --- walking ----------------------------------------------------------- */

void
dhcp_walk_init(struct dhcp_walk *w, const void *p, size_t len)
{
	w->p = p;
	w->len = p != NULL ? len : 0;
	w->off = 0;
	w->done = false;
	w->overrun = false;
	w->ended = false;
}

/* rfc2131.c option_find1(): PAD skipped, END stops, an item whose length
 * byte or value is cut off stops the walk.  On END, w->off is its
 * offset. */
bool
dhcp_walk_next(struct dhcp_walk *w, uint8_t *code, const uint8_t **val,
    uint8_t *len)
{
	struct rd r;
	size_t start;
	uint8_t c, n;
	const uint8_t *v;

	if (w->done)
		return false;
	rd_init(&r, w->p, w->len);
	rd_skip(&r, w->off);
	for (;;) {
		start = w->len - rd_left(&r);
		if (rd_left(&r) == 0)
			break;
		c = rd_u8(&r);
		if (c == DHCP_OPT_PAD)
			continue;
		if (c == DHCP_OPT_END) {
			w->ended = true;
			break;
		}
		n = rd_u8(&r);
		v = rd_ptr(&r, n);
		if (!rd_ok(&r)) {
			w->overrun = true;
			break;
		}
		*code = c;
		*val = v;
		*len = n;
		w->off = w->len - rd_left(&r);
		return true;
	}
	w->off = start;
	w->done = true;
	return false;
}

const uint8_t *
dhcp_subopt(const void *p, size_t len, uint8_t code, size_t minlen,
    uint8_t *len_out)
{
	struct dhcp_walk w;
	const uint8_t *v;
	uint8_t c, n;

	dhcp_walk_init(&w, p, len);
	while (dhcp_walk_next(&w, &c, &v, &n))
		if (c == code && n >= minlen) {
			if (len_out != NULL)
				*len_out = n;
			return v;
		}
	return NULL;
}

/* --- decoding ---------------------------------------------------------- */

/* Two passes over the same areas: the first validates, counts and sizes
 * every option, the second copies the bytes to their place in optbuf, so
 * each option's instances end up contiguous (RFC 3396). */
struct dhcp_dec {
	struct dhcp_msg *m;
	bool fill;
	size_t pos[256];
};

static void
dhcp_dec_count(struct dhcp_msg *m, uint8_t code, uint8_t n)
{
	struct dhcp_optval *o = &m->opt[code];

	if (o->count == 0)
		m->order[m->norder++] = code;
	if (o->first_len == 0)
		o->first_len = n;
	/* at most 8192 instances and 16336 bytes in a 16384-byte packet */
	o->count++;
	o->len = (uint16_t)(o->len + n);
}

static enum dhcp_bad
dhcp_dec_item(struct dhcp_dec *d, enum dhcp_area a, uint8_t code,
    const uint8_t *v, uint8_t n)
{
	struct dhcp_msg *m = d->m;

	if (code == DHCP_OPT_OVERLOAD) {
		/* RFC 2131 4.1 / RFC 2132 9.3: one byte, 1..3, and only in
		 * the options field; so overload cannot loop. */
		if (d->fill)
			return DHCP_OK;
		if (a != DHCP_AREA_OPTIONS || m->overload != 0 || n != 1 ||
		    v[0] < 1 || v[0] > 3)
			return DHCP_BAD_OVERLOAD;
		m->overload = v[0];
		return DHCP_OK;
	}
	if (!d->fill) {
		dhcp_dec_count(m, code, n);
		return DHCP_OK;
	}
	memcpy(m->optbuf + d->pos[code], v, n);
	d->pos[code] += n;
	return DHCP_OK;
}

static enum dhcp_bad
dhcp_dec_area(struct dhcp_dec *d, enum dhcp_area a, const uint8_t *p,
    size_t len)
{
	struct dhcp_msg *m = d->m;
	struct dhcp_walk w;
	enum dhcp_bad why;
	const uint8_t *v;
	uint8_t code, n;

	dhcp_walk_init(&w, p, len);
	while (dhcp_walk_next(&w, &code, &v, &n))
		if ((why = dhcp_dec_item(d, a, code, v, n)) != DHCP_OK)
			return why;
	if (d->fill)
		return DHCP_OK;
	if (w.overrun)
		m->tolerated |= 1u << DHCP_BAD_OPT_OVERRUN;
	if (a == DHCP_AREA_OPTIONS && w.ended)
		m->end_off = DHCP_OPTIONS_OFF + w.off;
	else if (a == DHCP_AREA_OPTIONS && len != 0 && !w.overrun)
		m->tolerated |= 1u << DHCP_BAD_NO_END;
	return DHCP_OK;
}

/* The options field, then file and sname when 52 says so (rfc2131.c
 * option_find searches in this order; RFC 3396 5 concatenates in it). */
static enum dhcp_bad
dhcp_dec_pass(struct dhcp_dec *d, const uint8_t *opts, size_t olen)
{
	struct dhcp_msg *m = d->m;
	enum dhcp_bad why;

	if ((why = dhcp_dec_area(d, DHCP_AREA_OPTIONS, opts, olen)) != DHCP_OK)
		return why;
	if ((m->overload & 1) && (why = dhcp_dec_area(d, DHCP_AREA_FILE,
	    m->file, sizeof(m->file))) != DHCP_OK)
		return why;
	if ((m->overload & 2) && (why = dhcp_dec_area(d, DHCP_AREA_SNAME,
	    m->sname, sizeof(m->sname))) != DHCP_OK)
		return why;
	return DHCP_OK;
}

/* Lays out optbuf: each option's bytes in first-seen order. */
static bool
dhcp_dec_layout(struct dhcp_dec *d)
{
	struct dhcp_msg *m = d->m;
	size_t off = 0;
	unsigned i;
	uint8_t code;

	for (i = 0; i < m->norder; i++) {
		code = m->order[i];
		if (m->opt[code].len > sizeof(m->optbuf) - off)
			return false;	/* cannot happen: see dhcp_dec_count */
		m->opt[code].p = m->optbuf + off;
		d->pos[code] = off;
		off += m->opt[code].len;
	}
	m->optbuf_used = off;
	return true;
}

static void
dhcp_dec_header(struct dhcp_msg *m, struct rd *r)
{
	m->op = rd_u8(r);
	m->htype = rd_u8(r);
	m->hlen = rd_u8(r);
	m->hops = rd_u8(r);
	m->xid = rd_be32(r);
	m->secs = rd_be16(r);
	m->flags = rd_be16(r);
	rd_bytes(r, &m->ciaddr, 4);
	rd_bytes(r, &m->yiaddr, 4);
	rd_bytes(r, &m->siaddr, 4);
	rd_bytes(r, &m->giaddr, 4);
	rd_bytes(r, m->chaddr, sizeof(m->chaddr));
	rd_bytes(r, m->sname, sizeof(m->sname));
	rd_bytes(r, m->file, sizeof(m->file));
}

/* Options and the message type; header already checked. */
static enum dhcp_bad
dhcp_dec_options(struct dhcp_msg *m, struct rd *r)
{
	struct dhcp_dec d = { .m = m, .fill = false };
	const struct dhcp_optval *t = &m->opt[DHCP_OPT_MSG_TYPE];
	const uint8_t *opts;
	size_t olen;
	enum dhcp_bad why;

	/* rfc2131.c: options start after 4 vend bytes, cookie or not; a
	 * packet that ends before them has no options */
	if (rd_left(r) < sizeof(m->magic))
		return DHCP_OK;
	rd_bytes(r, m->magic, sizeof(m->magic));
	m->cookie = memcmp(m->magic, dhcp_cookie, 4) == 0;
	olen = rd_left(r);
	opts = rd_ptr(r, olen);
	if ((why = dhcp_dec_pass(&d, opts, olen)) != DHCP_OK)
		return why;
	if (!dhcp_dec_layout(&d))
		return DHCP_BAD_LONG;
	d.fill = true;
	(void)dhcp_dec_pass(&d, opts, olen);
	if (t->count != 0) {
		/* rfc2131.c: "only insist on a cookie for DHCP" */
		if (!m->cookie)
			return DHCP_BAD_COOKIE;
		if (t->len != 1)
			return DHCP_BAD_TYPE_LEN;
		m->type = (enum dhcp_type)t->p[0];
	}
	return DHCP_OK;
}

static void
dhcp_dec_forget(struct dhcp_msg *m)
{
	memset(m->opt, 0, sizeof(m->opt));
	m->norder = 0;
	m->optbuf_used = 0;
	m->overload = 0;
	m->type = DHCP_NONE;
	m->end_off = 0;
}

static enum dhcp_bad
dhcp_dec(struct dhcp_msg *m, const void *pkt, size_t len, uint8_t op)
{
	struct rd r;
	enum dhcp_bad why;

	memset(m, 0, sizeof(*m));
	m->len = len;
	rd_init(&r, pkt, len);
	dhcp_dec_header(m, &r);
	/* dhcp.c: shorter than the fixed part is dropped */
	if (!rd_ok(&r))
		return DHCP_BAD_SHORT;
	if (len > DHCP_MAX_MSG)
		return DHCP_BAD_LONG;
	/* rfc2131.c dhcp_reply: op, hlen > DHCP_CHADDR_MAX, htype 0 */
	if (m->op != op)
		return DHCP_BAD_OP;
	if (m->hlen > DHCP_CHADDR_LEN)
		return DHCP_BAD_HLEN;
	if (m->htype == 0 && m->hlen != 0)
		return DHCP_BAD_HTYPE;
	if ((why = dhcp_dec_options(m, &r)) != DHCP_OK)
		dhcp_dec_forget(m);
	return why;
}

enum dhcp_bad
dhcp_msg_decode(struct dhcp_msg *m, const void *pkt, size_t len)
{
	return dhcp_dec(m, pkt, len, DHCP_OP_REQUEST);
}

enum dhcp_bad
dhcp_msg_decode_reply(struct dhcp_msg *m, const void *pkt, size_t len)
{
	return dhcp_dec(m, pkt, len, DHCP_OP_REPLY);
}

/* --- accessors --------------------------------------------------------- */

/* Length rules: exact, minimum, or any (max 0 = no maximum). */
struct dhcp_len_rule {
	uint8_t code, min, max;
};

static const struct dhcp_len_rule dhcp_len_rules[] = {
	{ DHCP_OPT_REQ_ADDR, 4, 4 },		/* RFC 2132 9.1 */
	{ DHCP_OPT_LEASE_TIME, 4, 4 },		/* 9.2 */
	{ DHCP_OPT_MSG_TYPE, 1, 1 },		/* 9.6 */
	{ DHCP_OPT_SERVER_ID, 4, 4 },		/* 9.7 */
	{ DHCP_OPT_PRL, 0, 0 },			/* dnsmasq: any, even empty */
	{ DHCP_OPT_MAX_SIZE, 2, 2 },		/* 9.10 */
	{ DHCP_OPT_RAPID_COMMIT, 0, 0 },	/* RFC 4039: empty */
	{ DHCP_OPT_FQDN, 3, 0 },		/* RFC 4702: flags, rcodes */
	{ DHCP_OPT_CLIENT_ARCH, 2, 0 },		/* RFC 4578: 2-byte list */
	{ DHCP_OPT_CLIENT_UUID, 17, 0 },	/* RFC 4578: type + 16 */
	{ DHCP_OPT_SUBNET_SELECT, 4, 4 },	/* RFC 3011 */
	{ DHCP_OPT_VENDOR_IDENT, 5, 0 },	/* RFC 3925: enterprise, len */
};

static void
dhcp_len_rule(uint8_t code, size_t *min, size_t *max)
{
	size_t i;

	*min = 1;
	*max = 0;
	for (i = 0; i < sizeof(dhcp_len_rules) / sizeof(dhcp_len_rules[0]);
	    i++)
		if (dhcp_len_rules[i].code == code) {
			*min = dhcp_len_rules[i].min;
			*max = dhcp_len_rules[i].max;
			break;
		}
}

bool
dhcp_msg_has(const struct dhcp_msg *m, uint8_t code)
{
	return m->opt[code].count != 0;
}

const uint8_t *
dhcp_msg_get(const struct dhcp_msg *m, uint8_t code, size_t *len)
{
	const struct dhcp_optval *o = &m->opt[code];
	size_t min, max;

	if (len != NULL)
		*len = 0;
	if (o->count == 0)
		return NULL;
	dhcp_len_rule(code, &min, &max);
	if (o->len < min || (max != 0 && o->len > max))
		return NULL;
	if (len != NULL)
		*len = o->len;
	return o->p;
}

bool
dhcp_msg_addr(const struct dhcp_msg *m, uint8_t code, struct in_addr *out)
{
	const uint8_t *p;
	size_t len;

	if ((p = dhcp_msg_get(m, code, &len)) == NULL || len != 4)
		return false;
	memcpy(out, p, 4);
	return true;
}

bool
dhcp_msg_u16(const struct dhcp_msg *m, uint8_t code, uint16_t *out)
{
	const uint8_t *p;
	size_t len;
	struct rd r;

	if ((p = dhcp_msg_get(m, code, &len)) == NULL)
		return false;
	rd_init(&r, p, len);
	*out = rd_be16(&r);
	return rd_ok(&r);
}

bool
dhcp_msg_u32(const struct dhcp_msg *m, uint8_t code, uint32_t *out)
{
	const uint8_t *p;
	size_t len;
	struct rd r;

	if ((p = dhcp_msg_get(m, code, &len)) == NULL)
		return false;
	rd_init(&r, p, len);
	*out = rd_be32(&r);
	return rd_ok(&r);
}

bool
dhcp_msg_requested(const struct dhcp_msg *m, uint8_t code)
{
	const uint8_t *p;
	size_t len, i;

	if ((p = dhcp_msg_get(m, DHCP_OPT_PRL, &len)) == NULL)
		return false;
	/* rfc2131.c in_list(): the copied list is ended by a 255 byte */
	for (i = 0; i < len && p[i] != DHCP_OPT_END; i++)
		if (p[i] == code)
			return true;
	return false;
}

size_t
dhcp_msg_reply_size(const struct dhcp_msg *m)
{
	uint16_t v;
	size_t size;

	/* rfc2131.c: 57 is read only inside "if 53 was found" */
	if (!dhcp_msg_has(m, DHCP_OPT_MSG_TYPE) ||
	    !dhcp_msg_u16(m, DHCP_OPT_MAX_SIZE, &v))
		return DHCP_MIN_BUF;
	/* "the size sent includes the IP and UDP headers, hence -28";
	 * computed in size_t, so a value under 28 wraps to the maximum */
	if (v < 28)
		return DHCP_MAX_MSG;
	size = (size_t)v - 28;
	if (size > DHCP_MAX_MSG)
		return DHCP_MAX_MSG;
	if (size < DHCP_MIN_BUF)
		return DHCP_MIN_BUF;
	return size;
}

const uint8_t *
dhcp_ext_hwaddr(uint8_t htype, uint8_t hlen, const uint8_t *chaddr,
    const uint8_t *clid, size_t clid_len, size_t *len_out)
{
	/* rfc2131.c extended_hwaddr() */
	if (hlen == 0 && clid != NULL && clid_len > 3) {
		if (clid[0] == htype || (clid[0] == DHCP_HTYPE_EUI64 &&
		    htype == DHCP_HTYPE_IEEE1394)) {
			*len_out = clid_len - 1;
			return clid + 1;
		}
		*len_out = clid_len;
		return clid;
	}
	*len_out = hlen <= DHCP_CHADDR_LEN ? hlen : DHCP_CHADDR_LEN;
	return chaddr;
}

void
dhcp_msg_client_id(const struct dhcp_msg *m, bool ignore_clid,
    struct dhcp_client_id *out)
{
	memset(out, 0, sizeof(*out));
	out->htype = m->htype;
	if (!ignore_clid)
		out->clid = dhcp_msg_get(m, DHCP_OPT_CLIENT_ID,
		    &out->clid_len);
	out->mac = dhcp_ext_hwaddr(m->htype, m->hlen, m->chaddr, out->clid,
	    out->clid_len, &out->mac_len);
}

/* --- encoding ---------------------------------------------------------- */

void
dhcp_out_init(struct dhcp_out *o, void *buf, size_t cap,
    const struct dhcp_msg *req)
{
	struct wr w;

	memset(o, 0, sizeof(*o));
	o->buf = buf;
	o->cap = buf == NULL ? 0 : cap < DHCP_MAX_MSG ? cap : DHCP_MAX_MSG;
	o->opt_end = DHCP_OPTIONS_OFF;
	if (o->cap < DHCP_OPTIONS_OFF) {
		o->bad = true;
		return;
	}
	memset(buf, 0, o->cap);
	wr_init(&w, buf, o->cap);
	wr_u8(&w, DHCP_OP_REPLY);
	if (req == NULL) {
		wr_zero(&w, DHCP_FIXED_LEN - 1);
		wr_bytes(&w, dhcp_cookie, sizeof(dhcp_cookie));
		return;
	}
	wr_u8(&w, req->htype);
	wr_u8(&w, req->hlen);
	wr_u8(&w, req->hops);
	wr_be32(&w, req->xid);
	wr_be16(&w, req->secs);
	wr_be16(&w, req->flags);
	wr_bytes(&w, &req->ciaddr, 4);
	wr_bytes(&w, &req->yiaddr, 4);
	wr_zero(&w, 4);			/* siaddr: clear_packet() */
	wr_bytes(&w, &req->giaddr, 4);
	wr_bytes(&w, req->chaddr, sizeof(req->chaddr));
	wr_zero(&w, DHCP_SNAME_LEN + DHCP_FILE_LEN);
	/* dnsmasq answers in the request's buffer and never rewrites the
	 * first 4 vend bytes */
	if (req->len >= DHCP_OPTIONS_OFF)
		wr_bytes(&w, req->magic, sizeof(req->magic));
	else
		wr_bytes(&w, dhcp_cookie, sizeof(dhcp_cookie));
	o->allow_overload = req->type != DHCP_NONE &&
	    dhcp_msg_has(req, DHCP_OPT_PRL);
}

static void
dhcp_out_field(struct dhcp_out *o, size_t off, const void *v, size_t n)
{
	struct wr w;

	if (o->bad)
		return;
	wr_init(&w, o->buf + off, n);
	wr_bytes(&w, v, n);
}

void
dhcp_out_yiaddr(struct dhcp_out *o, struct in_addr a)
{
	dhcp_out_field(o, DHCP_YIADDR_OFF, &a, 4);
}

void
dhcp_out_siaddr(struct dhcp_out *o, struct in_addr a)
{
	dhcp_out_field(o, DHCP_SIADDR_OFF, &a, 4);
}

void
dhcp_out_ciaddr(struct dhcp_out *o, struct in_addr a)
{
	dhcp_out_field(o, DHCP_CIADDR_OFF, &a, 4);
}

void
dhcp_out_flags(struct dhcp_out *o, uint16_t flags)
{
	uint8_t b[2] = { (uint8_t)(flags >> 8), (uint8_t)flags };

	dhcp_out_field(o, DHCP_FLAGS_OFF, b, sizeof(b));
}

/* rfc2131.c do_options: safe_strncpy() into the field. */
static int
dhcp_out_name(struct dhcp_out *o, size_t off, size_t size, uint8_t bit,
    const char *name, bool *taken)
{
	size_t n;

	if (o->ended)
		return -EINVAL;
	if (o->bad)
		return -ENOSPC;
	if (o->overload_used & bit)
		return -EBUSY;
	n = name != NULL ? strnlen(name, size - 1) : 0;
	memset(o->buf + off, 0, size);
	dhcp_out_field(o, off, name, n);
	*taken = n != 0;
	return 0;
}

int
dhcp_out_file(struct dhcp_out *o, const char *name)
{
	return dhcp_out_name(o, DHCP_FILE_OFF, DHCP_FILE_LEN, 1, name,
	    &o->file_taken);
}

int
dhcp_out_sname(struct dhcp_out *o, const char *name)
{
	return dhcp_out_name(o, DHCP_SNAME_OFF, DHCP_SNAME_LEN, 2, name,
	    &o->sname_taken);
}

void
dhcp_out_bootp(struct dhcp_out *o)
{
	o->bootp = true;
	o->allow_overload = false;
}

static size_t
dhcp_out_instances(size_t len)
{
	return len == 0 ? 1 : (len + DHCP_OPT_MAX - 1) / DHCP_OPT_MAX;
}

int
dhcp_out_agent(struct dhcp_out *o, const struct dhcp_msg *req)
{
	const uint8_t *v;
	size_t len, total;

	if (o->ended)
		return -EINVAL;
	if ((v = dhcp_msg_get(req, DHCP_OPT_AGENT, &len)) == NULL)
		return -ENOENT;
	if (o->bad)
		return -ENOSPC;
	total = len + 2 * dhcp_out_instances(len);
	/* rfc2131.c: kept only if the request's END lies below end - total
	 * (dnsmasq parks the option there while the request is read) */
	if (req->end_off == 0 || o->cap < total ||
	    req->end_off >= o->cap - total)
		return -ENOSPC;
	/* called late: the options already added keep their room */
	if (o->opt_end + total + 1 > o->cap)
		return -ENOSPC;
	o->agent = v;
	o->agent_len = len;
	o->agent_total = total;
	return 0;
}

/* rfc2131.c do_options: "if mess->sname or mess->file are zeroed, they
 * are available for option overload, reserve space for the overload
 * option" (end -= 3, for the rest of the reply). */
static bool
dhcp_out_reserve(const struct dhcp_out *o)
{
	return o->ovl_at != 0 ||
	    (o->allow_overload && (!o->file_taken || !o->sname_taken));
}

/* dnsmasq's `end` for the options field. */
static size_t
dhcp_out_main_end(const struct dhcp_out *o)
{
	size_t end;

	end = o->cap;
	if (end < o->agent_total)
		return 0;
	end -= o->agent_total;
	/* "BOOTP vend area is only 64 bytes"; dnsmasq lets the echoed 82
	 * run past its buffer's end when over 248 bytes, pxemasq not */
	if (o->bootp)
		return end < DHCP_MIN_LEN ? end : DHCP_MIN_LEN;
	if (dhcp_out_reserve(o)) {
		if (end < DHCP_HDR_OVERLOAD)
			return 0;
		end -= DHCP_HDR_OVERLOAD;
	}
	return end;
}

/* rfc2131.c free_space(): an option of n bytes fits at `at` when its two
 * header bytes, the value and END leave at least one byte before end. */
static bool
dhcp_out_fits(size_t at, size_t n, size_t end)
{
	return at <= end && n + 3 < end - at;
}

/* Where the next instance of n bytes goes, in an area at or after
 * `from`; moves the cursors.  As free_space(): the options field first;
 * then (inserting option 52 where the option would have gone) file
 * unless it holds a boot name, then sname likewise.  The 52 and its bits
 * stay even when nothing fits. */
static int
dhcp_out_place(struct dhcp_out *o, size_t n, enum dhcp_area from,
    enum dhcp_area *area, size_t *at)
{
	if (from == DHCP_AREA_OPTIONS &&
	    dhcp_out_fits(o->opt_end, n, dhcp_out_main_end(o))) {
		*area = DHCP_AREA_OPTIONS;
		*at = o->opt_end;
		o->opt_end += 2 + n;
		return 0;
	}
	if (o->bootp || !o->allow_overload)
		return -ENOSPC;
	if (o->ovl_at == 0) {
		if (o->file_taken && o->sname_taken)
			return -ENOSPC;
		if (o->opt_end + DHCP_HDR_OVERLOAD + o->agent_total + 1 >
		    o->cap)
			return -ENOSPC;	/* only if the reserve was skipped */
		o->ovl_at = o->opt_end;
		o->opt_end += DHCP_HDR_OVERLOAD;
	}
	if (!o->file_taken)
		o->overload_used |= 1;
	if (from <= DHCP_AREA_FILE && (o->overload_used & 1) &&
	    dhcp_out_fits(o->file_off, n, DHCP_FILE_LEN)) {
		*area = DHCP_AREA_FILE;
		*at = o->file_off;
		o->file_off += 2 + n;
		return 0;
	}
	if (!o->sname_taken)
		o->overload_used |= 2;
	if ((o->overload_used & 2) &&
	    dhcp_out_fits(o->sname_off, n, DHCP_SNAME_LEN)) {
		*area = DHCP_AREA_SNAME;
		*at = o->sname_off;
		o->sname_off += 2 + n;
		return 0;
	}
	return -ENOSPC;
}

static void
dhcp_out_put(struct dhcp_out *o, enum dhcp_area a, size_t at, uint8_t code,
    const uint8_t *v, size_t n)
{
	size_t base = a == DHCP_AREA_FILE ? DHCP_FILE_OFF :
	    a == DHCP_AREA_SNAME ? DHCP_SNAME_OFF : 0;
	struct wr w;

	wr_init(&w, o->buf + base + at, 2 + n);
	wr_u8(&w, code);
	wr_u8(&w, (uint8_t)n);
	wr_bytes(&w, v, n);
}

/* Places and writes the instances of one option; with dry set, only
 * checks on a copy that all fit. */
static int
dhcp_out_instances_put(struct dhcp_out *o, uint8_t code, const uint8_t *v,
    size_t len, bool dry)
{
	enum dhcp_area from = DHCP_AREA_OPTIONS, a;
	size_t off, n, at;
	int rc;

	off = 0;
	do {
		n = len - off < DHCP_OPT_MAX ? len - off : DHCP_OPT_MAX;
		if ((rc = dhcp_out_place(o, n, from, &a, &at)) < 0)
			return rc;
		if (!dry)
			dhcp_out_put(o, a, at, code, v + off, n);
		from = a;	/* RFC 3396: later instances never earlier */
		off += n;
	} while (off < len);
	return 0;
}

int
dhcp_out_opt(struct dhcp_out *o, uint8_t code, const void *val, size_t len)
{
	struct dhcp_out t;
	int rc;

	if (code == DHCP_OPT_PAD || code == DHCP_OPT_OVERLOAD ||
	    code == DHCP_OPT_END || o->ended || (val == NULL && len != 0))
		return -EINVAL;
	if (o->bad)
		return -ENOSPC;
	if (dhcp_out_instances(len) > 1) {
		/* all or nothing, and no trace when refused */
		t = *o;
		if ((rc = dhcp_out_instances_put(&t, code, val, len, true)) < 0)
			return rc;
	}
	return dhcp_out_instances_put(o, code, val, len, false);
}

int
dhcp_out_finish(struct dhcp_out *o)
{
	struct wr w;
	size_t off, n;

	if (o->ended)
		return (int)o->len;
	if (o->bad || o->cap < DHCP_MIN_LEN ||
	    o->opt_end + o->agent_total + 1 > o->cap)
		return -ENOSPC;
	if (o->ovl_at != 0) {
		wr_init(&w, o->buf + o->ovl_at, DHCP_HDR_OVERLOAD);
		wr_u8(&w, DHCP_OPT_OVERLOAD);
		wr_u8(&w, 1);
		wr_u8(&w, o->overload_used);
	}
	/* rfc2131.c dhcp_packet_size(): the agent option moves back after
	 * the last option, then END */
	wr_init(&w, o->buf + o->opt_end, o->cap - o->opt_end);
	for (off = 0; o->agent != NULL && off < o->agent_len; off += n) {
		n = o->agent_len - off < DHCP_OPT_MAX ? o->agent_len - off :
		    DHCP_OPT_MAX;
		wr_u8(&w, DHCP_OPT_AGENT);
		wr_u8(&w, (uint8_t)n);
		wr_bytes(&w, o->agent + off, n);
	}
	wr_u8(&w, DHCP_OPT_END);
	o->opt_end += wr_mark(&w);
	if (o->overload_used & 1)
		o->buf[DHCP_FILE_OFF + o->file_off] = DHCP_OPT_END;
	if (o->overload_used & 2)
		o->buf[DHCP_SNAME_OFF + o->sname_off] = DHCP_OPT_END;
	o->len = o->opt_end < DHCP_MIN_LEN ? DHCP_MIN_LEN : o->opt_end;
	o->ended = true;
	return (int)o->len;
}

bool
dhcp_out_area(const struct dhcp_out *o, enum dhcp_area a, const uint8_t **p,
    size_t *len)
{
	if (!o->ended)
		return false;
	switch (a) {
	case DHCP_AREA_OPTIONS:
		*p = o->buf + DHCP_OPTIONS_OFF;
		*len = o->opt_end - DHCP_OPTIONS_OFF;
		return true;
	case DHCP_AREA_FILE:
		if (!(o->overload_used & 1))
			return false;
		*p = o->buf + DHCP_FILE_OFF;
		*len = o->file_off + 1;
		return true;
	case DHCP_AREA_SNAME:
		if (!(o->overload_used & 2))
			return false;
		*p = o->buf + DHCP_SNAME_OFF;
		*len = o->sname_off + 1;
		return true;
	}
	return false;
}
