/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dns_msg.c - the DNS message codec (see dns_msg.h).
 */
#include "dns_msg.h"
#include "dnsname.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const dns_bad_names[DNS_BAD__N] = {
	[DNS_OK] = "ok",
	[DNS_BAD_SHORT] = "short",
	[DNS_BAD_QDCOUNT] = "qdcount",
	[DNS_BAD_LABEL] = "bad-label",
	[DNS_BAD_POINTER] = "bad-pointer",
	[DNS_BAD_COUNTS] = "bad-counts",
	[DNS_BAD_OPT] = "bad-opt",
};

const char *
dns_bad_str(enum dns_bad why)
{
	if ((unsigned)why >= DNS_BAD__N)
		return "?";
	return dns_bad_names[why];
}

static bool
dns_label_byte_plain(uint8_t c)
{
	return c > 0x20 && c < 0x7f && c != '.' && c != '\\';
}

/* Appends one label to out at *o; out has DNSNAME_BUF bytes. */
static enum dns_bad
dns_label_append(char *out, size_t *o, const uint8_t *lab, unsigned n)
{
	unsigned i;

	if (*o != 0) {
		if (*o + 1 >= DNSNAME_BUF)
			return DNS_BAD_LABEL;
		out[(*o)++] = '.';
	}
	for (i = 0; i < n; i++) {
		if (dns_label_byte_plain(lab[i])) {
			if (*o + 1 >= DNSNAME_BUF)
				return DNS_BAD_LABEL;
			out[(*o)++] = (char)lab[i];
		} else {
			if (*o + 4 >= DNSNAME_BUF)
				return DNS_BAD_LABEL;
			snprintf(out + *o, 5, "\\%03u", lab[i]);
			*o += 4;
		}
	}
	out[*o] = '\0';
	return DNS_OK;
}

enum dns_bad
dns_name_read(struct rd *r, const uint8_t *pkt, char *out)
{
	struct rd cur = *r;
	size_t o = 0, wire = 1, end = 0;
	size_t lim = SIZE_MAX;	/* after a jump: the pointer's offset */
	unsigned jumps = 0;
	bool jumped = false;

	out[0] = '\0';
	for (;;) {
		size_t here = cur.off;
		uint8_t n = rd_u8(&cur);
		const uint8_t *lab;
		enum dns_bad why;

		if (!rd_ok(&cur))
			return DNS_BAD_SHORT;
		if (here >= lim || ((n & 0xc0) == 0 && here + 1u + n > lim) ||
		    ((n & 0xc0) == 0xc0 && here + 2u > lim))
			return DNS_BAD_POINTER;
		if (n == 0)
			break;
		if ((n & 0xc0) == 0xc0) {
			size_t to = ((size_t)(n & 0x3f) << 8) | rd_u8(&cur);

			if (!rd_ok(&cur))
				return DNS_BAD_SHORT;
			/* RFC 1035 4.1.4; strictly backwards, never into
			 * the header: every jump shortens the walk */
			if (to >= here || to < DNS_HDR_LEN || ++jumps > 127)
				return DNS_BAD_POINTER;
			if (!jumped)
				end = cur.off;
			jumped = true;
			/* "a prior occurrence": what follows the target lies
			 * before the pointer too.  Else the question's name
			 * could run on into the answers, and a reply cut to
			 * the question (TC) would carry a broken name. */
			lim = here;
			cur.off = to;
			continue;
		}
		if (n & 0xc0)
			return DNS_BAD_LABEL;	/* RFC 6891 extended labels */
		wire += 1u + n;
		if (wire > DNS_WIRE_NAME_MAX)
			return DNS_BAD_LABEL;
		if ((lab = rd_ptr(&cur, n)) == NULL)
			return DNS_BAD_SHORT;
		if ((why = dns_label_append(out, &o, lab, n)) != DNS_OK)
			return why;
	}
	(void)pkt;
	r->off = jumped ? end : cur.off;
	return DNS_OK;
}

enum dns_bad
dns_name_skip(struct rd *r)
{
	size_t wire = 1;

	for (;;) {
		uint8_t n = rd_u8(r);

		if (!rd_ok(r))
			return DNS_BAD_SHORT;
		if (n == 0)
			return DNS_OK;
		if ((n & 0xc0) == 0xc0) {
			rd_u8(r);
			return rd_ok(r) ? DNS_OK : DNS_BAD_SHORT;
		}
		if (n & 0xc0)
			return DNS_BAD_LABEL;
		wire += 1u + n;
		if (wire > DNS_WIRE_NAME_MAX)
			return DNS_BAD_LABEL;
		rd_skip(r, n);
	}
}

static char
dns_lc(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

bool
dns_name_eq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (dns_lc(*a) != dns_lc(*b))
			return false;
	return *a == *b;
}

void
dns_name_lower(const char *in, char *out)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < DNSNAME_BUF; i++)
		out[i] = dns_lc(in[i]);
	out[i] = '\0';
}

/* One label of a presentation name into lab; returns its length or -1. */
static int
dns_label_parse(const char **sp, uint8_t *lab)
{
	const char *s = *sp;
	int n = 0;

	while (*s != '\0' && *s != '.') {
		unsigned v;

		if (n >= DNSNAME_LABEL_MAX)
			return -1;
		if (*s == '\\' && s[1] >= '0' && s[1] <= '9' &&
		    s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9') {
			v = (unsigned)(s[1] - '0') * 100 +
			    (unsigned)(s[2] - '0') * 10 +
			    (unsigned)(s[3] - '0');
			if (v > 255)
				return -1;
			lab[n++] = (uint8_t)v;
			s += 4;
		} else {
			lab[n++] = (uint8_t)*s++;
		}
	}
	*sp = s;
	return n;
}

int
dns_name_write(struct wr *w, const char *name)
{
	uint8_t lab[DNSNAME_LABEL_MAX];
	size_t wire = 1;
	const char *s = name;

	while (*s != '\0') {
		int n = dns_label_parse(&s, lab);

		if (n <= 0 || (wire += 1u + (unsigned)n) > DNS_WIRE_NAME_MAX) {
			w->bad = true;
			return -EINVAL;
		}
		wr_u8(w, (uint8_t)n);
		wr_bytes(w, lab, (size_t)n);
		if (*s == '.')
			s++;
	}
	wr_u8(w, 0);
	return 0;
}

const char *
dns_type_str(uint16_t type, char *buf, size_t size)
{
	const char *name = dnsname_rrtype_name(type);

	if (name != NULL)
		return name;
	snprintf(buf, size, "type=%u", type);	/* cache.c querystr() */
	return buf;
}

/* --- parsing ------------------------------------------------------- */

enum dns_bad
dns_msg_walk(const uint8_t *pkt, size_t len, const struct dns_msg *m,
    bool names, dns_rr_fn *fn, void *arg)
{
	unsigned total = (unsigned)m->ancount + m->nscount + m->arcount;
	unsigned i;
	struct rd r;
	struct dns_rr rr;

	/* each record takes at least 11 bytes */
	if (total > DNS_RR_MAX || (size_t)total * 11 > len - m->qend)
		return DNS_BAD_COUNTS;
	rd_init(&r, pkt, len);
	r.off = m->qend;
	for (i = 0; i < total; i++) {
		enum dns_bad why;

		rr.section = i < m->ancount ? 1 :
		    i < (unsigned)m->ancount + m->nscount ? 2 : 3;
		why = names ? dns_name_read(&r, pkt, rr.name) :
		    dns_name_skip(&r);
		if (why != DNS_OK)
			return why;
		if (!names)
			rr.name[0] = '\0';
		rr.type = rd_be16(&r);
		rr.class = rd_be16(&r);
		rr.ttl_off = r.off;
		rr.ttl = rd_be32(&r);
		rr.rdlen = rd_be16(&r);
		rr.rdata_off = r.off;
		rd_skip(&r, rr.rdlen);
		if (!rd_ok(&r))
			return DNS_BAD_SHORT;
		if (fn != NULL && !fn(arg, pkt, &rr))
			break;
	}
	return DNS_OK;
}

struct dns_opt_find {
	struct dns_msg *m;
	size_t len;
	size_t start;		/* the record's first byte */
	enum dns_bad why;
};

static bool
dns_opt_find_cb(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct dns_opt_find *f = arg;
	struct dns_msg *m = f->m;

	(void)pkt;
	if (rr->type != DNS_T_OPT)
		return true;
	/* RFC 6891 6.1.1: one OPT, in the additional section, root owner */
	if (rr->section != 3 || m->has_opt || rr->ttl_off < 5 + f->start) {
		f->why = DNS_BAD_OPT;
		return false;
	}
	m->has_opt = true;
	m->opt_off = rr->ttl_off - 5;	/* root name, type, class */
	if (pkt[m->opt_off] != 0) {
		f->why = DNS_BAD_OPT;
		return false;
	}
	m->opt_size = rr->class;
	m->opt_do = (rr->ttl & 0x8000u) != 0;
	m->opt_last = rr->rdata_off + rr->rdlen == f->len;
	return true;
}

enum dns_bad
dns_msg_parse(const uint8_t *pkt, size_t len, bool walk, struct dns_msg *m)
{
	struct dns_opt_find f;
	enum dns_bad why;
	struct rd r;

	rd_init(&r, pkt, len);
	m->id = rd_be16(&r);
	m->flags = rd_be16(&r);
	m->qdcount = rd_be16(&r);
	m->ancount = rd_be16(&r);
	m->nscount = rd_be16(&r);
	m->arcount = rd_be16(&r);
	m->has_opt = false;
	m->opt_do = false;
	m->opt_last = false;
	m->opt_size = 0;
	m->qname[0] = '\0';
	if (!rd_ok(&r))
		return DNS_BAD_SHORT;
	if (m->qdcount != 1)
		return DNS_BAD_QDCOUNT;
	if ((why = dns_name_read(&r, pkt, m->qname)) != DNS_OK)
		return why;
	m->qtype = rd_be16(&r);
	m->qclass = rd_be16(&r);
	if (!rd_ok(&r))
		return DNS_BAD_SHORT;
	m->qend = r.off;
	if (!walk)
		return DNS_OK;
	f.m = m;
	f.len = len;
	f.start = m->qend;
	f.why = DNS_OK;
	if ((why = dns_msg_walk(pkt, len, m, false, dns_opt_find_cb, &f)) !=
	    DNS_OK)
		return why;
	return f.why;
}

/* --- reply handling ------------------------------------------------ */

struct dns_ttl_scan {
	uint32_t min_an;
	bool have_an;
	uint32_t soa;
	bool have_soa;
	size_t len;
	/* when set: an SOA counts only when this name ends in its owner
	 * (names decoded) */
	const char *zone_of;
};

/* rfc1035.c find_soa(): the SOA's owner is a tail of the name (as
 * extracted, compared byte for byte). */
static bool
dns_soa_covers(const char *owner, const char *name)
{
	size_t ol = strlen(owner), nl = strlen(name);

	return ol <= nl && memcmp(owner, name + nl - ol, ol) == 0;
}

static uint32_t
dns_u32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static bool
dns_ttl_cb(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct dns_ttl_scan *s = arg;

	if (rr->section == 1) {
		if (!s->have_an || rr->ttl < s->min_an)
			s->min_an = rr->ttl;
		s->have_an = true;
	} else if (rr->section == 2 && rr->type == DNS_T_SOA &&
	    rr->rdlen >= 22 && !s->have_soa && (s->zone_of == NULL ||
	    (rr->class == DNS_C_IN && dns_soa_covers(rr->name, s->zone_of)))) {
		/* the first one; its MINIMUM is its rdata's last 4 bytes */
		uint32_t min = dns_u32_at(pkt + rr->rdata_off + rr->rdlen - 4);

		s->soa = min < rr->ttl ? min : rr->ttl;
		s->have_soa = true;
	}
	return true;
}

struct dns_cname_step {
	const char *name;
	char *target;
	size_t len;
	bool found;
};

static bool
dns_cname_step_cb(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct dns_cname_step *c = arg;
	struct rd r;

	if (rr->section != 1 || rr->type != DNS_T_CNAME ||
	    rr->class != DNS_C_IN || !dns_name_eq(rr->name, c->name))
		return true;
	rd_init(&r, pkt, c->len);
	r.off = rr->rdata_off;
	c->found = dns_name_read(&r, pkt, c->target) == DNS_OK;
	return false;
}

/*
 * rfc1035.c extract_addresses(): the name a negative answer is about is
 * the question's, then each CNAME target in turn (at most 10 steps); a
 * PTR NXDOMAIN is not followed.  Into out (DNSNAME_BUF).
 */
static void
dns_neg_name(const uint8_t *pkt, size_t len, const struct dns_msg *m,
    char *out)
{
	char tmp[DNSNAME_BUF];
	struct dns_cname_step c = { .len = len };
	unsigned hop;

	snprintf(out, DNSNAME_BUF, "%s", m->qname);
	if (m->qtype == DNS_T_PTR &&
	    (m->flags & DNS_F_RCODE) == DNS_RC_NXDOMAIN)
		return;
	for (hop = 0; hop < 10; hop++) {
		c.name = out;
		c.target = tmp;
		c.found = false;
		if (dns_msg_walk(pkt, len, m, true, dns_cname_step_cb, &c) !=
		    DNS_OK || !c.found)
			return;
		memcpy(out, tmp, DNSNAME_BUF);
	}
}

uint32_t
dns_msg_cache_ttl(const uint8_t *pkt, size_t len, const struct dns_msg *m,
    uint32_t neg_ttl, bool *neg)
{
	struct dns_ttl_scan s = { .len = len };
	unsigned rc = m->flags & DNS_F_RCODE;
	char zone_of[DNSNAME_BUF];

	*neg = false;
	if (dns_msg_walk(pkt, len, m, false, dns_ttl_cb, &s) != DNS_OK)
		return 0;
	if (rc == DNS_RC_NOERROR && s.have_an)
		return s.min_an;
	if (rc != DNS_RC_NXDOMAIN && rc != DNS_RC_NOERROR)
		return 0;
	*neg = true;
	if (s.have_soa) {
		/* again, taking only an SOA of the name's zone */
		dns_neg_name(pkt, len, m, zone_of);
		s.have_soa = false;
		s.zone_of = zone_of;
		if (dns_msg_walk(pkt, len, m, true, dns_ttl_cb, &s) != DNS_OK)
			return 0;
	}
	if (s.have_soa)
		return s.soa;
	/* rfc1035.c find_soa(): no SOA, neg-ttl; without neg-ttl, a
	 * CNAME chain's smallest TTL (extract_addresses()) */
	if (neg_ttl != 0)
		return neg_ttl;
	return s.have_an ? s.min_an : 0;
}

static void
dns_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

struct dns_bound {
	uint8_t *pkt;
	unsigned sections;
	uint32_t lo, hi;
};

static bool
dns_bound_cb(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct dns_bound *b = arg;
	uint32_t t = rr->ttl;

	(void)pkt;
	if (rr->type == DNS_T_OPT || !(b->sections & (1u << rr->section)))
		return true;
	if (b->hi != 0 && t > b->hi)
		t = b->hi;
	if (b->lo != 0 && t < b->lo)
		t = b->lo;
	if (t != rr->ttl)
		dns_put_u32(b->pkt + rr->ttl_off, t);
	return true;
}

void
dns_msg_ttl_bound(uint8_t *pkt, size_t len, const struct dns_msg *m,
    unsigned sections, uint32_t lo, uint32_t hi)
{
	struct dns_bound b = { pkt, sections, lo, hi };

	if (lo != 0 || hi != 0)
		(void)dns_msg_walk(pkt, len, m, false, dns_bound_cb, &b);
}

bool
dns_msg_neg_has_soa(const uint8_t *pkt, size_t len, const struct dns_msg *m)
{
	char zone_of[DNSNAME_BUF];
	struct dns_ttl_scan s = { .len = len, .zone_of = zone_of };

	dns_neg_name(pkt, len, m, zone_of);
	return dns_msg_walk(pkt, len, m, true, dns_ttl_cb, &s) == DNS_OK &&
	    s.have_soa;
}

struct dns_age {
	uint8_t *pkt;
	uint32_t age;
};

static bool
dns_age_cb(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct dns_age *a = arg;
	uint32_t t = rr->ttl > a->age ? rr->ttl - a->age : 0;

	(void)pkt;
	if (rr->type == DNS_T_OPT)
		return true;
	dns_put_u32(a->pkt + rr->ttl_off, t);
	return true;
}

void
dns_msg_age(uint8_t *pkt, size_t len, const struct dns_msg *m, uint32_t age)
{
	struct dns_age a = { pkt, age };

	if (age != 0)
		(void)dns_msg_walk(pkt, len, m, false, dns_age_cb, &a);
}

/* dnsmasq's private_net(addr, ban_localhost): 127/8 and 0/8 only when
 * ban_localhost */
static bool
dns_private4(const uint8_t *a, bool ban_lo)
{
	uint32_t ip = dns_u32_at(a);

	return ((ip & 0xff000000u) == 0x7f000000u && ban_lo) ||
	    ((ip & 0xff000000u) == 0 && ban_lo) ||
	    (ip & 0xff000000u) == 0x0a000000u ||
	    (ip & 0xfff00000u) == 0xac100000u ||
	    (ip & 0xffff0000u) == 0xc0a80000u ||
	    (ip & 0xffff0000u) == 0xa9fe0000u ||
	    (ip & 0xffffff00u) == 0xc0000200u ||
	    (ip & 0xffffff00u) == 0xc6336400u ||
	    (ip & 0xffffff00u) == 0xcb007100u ||
	    ip == 0xffffffffu;
}

/* dnsmasq's private_net6(addr, ban_localhost) */
static bool
dns_private6(const uint8_t *a, bool ban_lo)
{
	static const uint8_t zero[16], mapped[12] = { [10] = 0xff,
	    [11] = 0xff };

	if (memcmp(a, mapped, 12) == 0)
		return dns_private4(a + 12, ban_lo);
	if (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1))
		return ban_lo;	/* :: and ::1 */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return true;	/* link-local */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return true;	/* site-local */
	return a[0] == 0xfd ||
	    (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8);
}

struct dns_private_walk {
	bool found;
	bool ban_lo;
};

static bool
dns_private_cb(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct dns_private_walk *w = arg;

	if (rr->section != 1 || rr->class != DNS_C_IN)
		return true;
	if ((rr->type == DNS_T_A && rr->rdlen == 4 &&
	    dns_private4(pkt + rr->rdata_off, w->ban_lo)) ||
	    (rr->type == DNS_T_AAAA && rr->rdlen == 16 &&
	    dns_private6(pkt + rr->rdata_off, w->ban_lo))) {
		w->found = true;
		return false;
	}
	return true;
}

bool
dns_msg_has_private(const uint8_t *pkt, size_t len, const struct dns_msg *m)
{
	return dns_msg_has_private_lo(pkt, len, m, true);
}

bool
dns_msg_has_private_lo(const uint8_t *pkt, size_t len,
    const struct dns_msg *m, bool ban_localhost)
{
	struct dns_private_walk w = { false, ban_localhost };

	(void)dns_msg_walk(pkt, len, m, false, dns_private_cb, &w);
	return w.found;
}

size_t
dns_msg_add_opt(uint8_t *pkt, size_t len, size_t cap, uint16_t udp_size)
{
	uint16_t ar = (uint16_t)(pkt[10] << 8 | pkt[11]);

	if (len + 11 > cap || ar == 0xffff)
		return len;
	/* root name, type OPT, class = UDP size, TTL 0, no data */
	pkt[len] = 0;
	pkt[len + 1] = 0;
	pkt[len + 2] = DNS_T_OPT;
	pkt[len + 3] = (uint8_t)(udp_size >> 8);
	pkt[len + 4] = (uint8_t)udp_size;
	memset(pkt + len + 5, 0, 6);
	ar++;
	pkt[10] = (uint8_t)(ar >> 8);
	pkt[11] = (uint8_t)ar;
	return len + 11;
}

void
dns_msg_set_id(uint8_t *pkt, uint16_t id)
{
	pkt[0] = (uint8_t)(id >> 8);
	pkt[1] = (uint8_t)id;
}

uint16_t
dns_msg_get_id(const uint8_t *pkt)
{
	return (uint16_t)(pkt[0] << 8 | pkt[1]);
}

void
dns_msg_set_opt_size(uint8_t *pkt, const struct dns_msg *m, uint16_t size)
{
	if (!m->has_opt)
		return;
	pkt[m->opt_off + 3] = (uint8_t)(size >> 8);
	pkt[m->opt_off + 4] = (uint8_t)size;
}

size_t
dns_msg_strip_opt(uint8_t *pkt, size_t len, const struct dns_msg *m)
{
	uint16_t ar;

	if (!m->has_opt || !m->opt_last || m->arcount == 0)
		return len;
	ar = (uint16_t)(m->arcount - 1);
	pkt[10] = (uint8_t)(ar >> 8);
	pkt[11] = (uint8_t)ar;
	return m->opt_off;
}

size_t
dns_msg_add_ede(uint8_t *pkt, size_t len, size_t cap, const struct dns_msg *m,
    uint16_t code)
{
	size_t rdl_at = m->opt_off + 9, data = m->opt_off + 11, i, rdlen;

	if (!m->has_opt || !m->opt_last || data > len)
		return len;
	rdlen = (size_t)(pkt[rdl_at] << 8 | pkt[rdl_at + 1]);
	if (data + rdlen != len)
		return len;
	for (i = 0; i + 4 < rdlen;) {	/* dnsmasq: "<" */
		size_t olen = (size_t)(pkt[data + i + 2] << 8 |
		    pkt[data + i + 3]);
		uint16_t ocode = (uint16_t)(pkt[data + i] << 8 |
		    pkt[data + i + 1]);

		if (i + 4 + olen > rdlen) {
			rdlen = 0;	/* malformed: no options kept */
			break;
		}
		if (ocode == DNS_OPT_EDE) {
			memmove(pkt + data + i, pkt + data + i + 4 + olen,
			    rdlen - i - 4 - olen);
			rdlen -= 4 + olen;
		} else {
			i += 4 + olen;
		}
	}
	if (data + rdlen + 6 <= cap) {
		pkt[data + rdlen] = 0;
		pkt[data + rdlen + 1] = DNS_OPT_EDE;
		pkt[data + rdlen + 2] = 0;
		pkt[data + rdlen + 3] = 2;
		pkt[data + rdlen + 4] = (uint8_t)(code >> 8);
		pkt[data + rdlen + 5] = (uint8_t)code;
		rdlen += 6;
	}
	pkt[rdl_at] = (uint8_t)(rdlen >> 8);
	pkt[rdl_at + 1] = (uint8_t)rdlen;
	return data + rdlen;
}

/* --- removing answer records ---------------------------------------- */

/* Where the names are in the rdata of the types whose names may be
 * compressed (RFC 1035 3.3, RFC 3597 4, RFC 2782): bytes to skip before
 * each name, up to two names. */
static const struct {
	uint16_t type;
	int8_t skip[3];		/* -1 ends */
} dns_name_rdata[] = {
	{ 2, { 0, -1 } }, { 3, { 0, -1 } }, { 4, { 0, -1 } },
	{ 5, { 0, -1 } }, { 6, { 0, 0, -1 } }, { 7, { 0, -1 } },
	{ 8, { 0, -1 } }, { 9, { 0, -1 } }, { 12, { 0, -1 } },
	{ 14, { 0, 0, -1 } }, { 15, { 2, -1 } }, { 17, { 0, 0, -1 } },
	{ 18, { 2, -1 } }, { 21, { 2, -1 } }, { 24, { 18, -1 } },
	{ 26, { 2, 0, 0 } }, { 30, { 0, -1 } }, { 36, { 2, -1 } },
	{ 33, { 6, -1 } }, { 39, { 0, -1 } },
};

/* A record as the removal needs it. */
struct dns_drop_rr {
	size_t start, ttl_off, rdata_off, end;
	uint16_t type, class;
	bool gone;
};

struct dns_drop_scan {
	struct dns_drop_rr *rr;		/* every record, in order */
	unsigned n, max;
	bool (*drop)(void *arg, const struct dns_rr *rr);
	void *arg;
	unsigned dropped;
	size_t next;			/* the next record's first byte */
};

static bool
dns_drop_scan_cb(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct dns_drop_scan *s = arg;
	struct dns_drop_rr *d;

	(void)pkt;
	if (s->n == s->max)
		return false;
	d = &s->rr[s->n++];
	d->start = s->next;
	d->ttl_off = rr->ttl_off;
	d->rdata_off = rr->rdata_off;
	d->end = rr->rdata_off + rr->rdlen;
	d->type = rr->type;
	d->class = rr->class;
	d->gone = rr->section == 1 && s->drop(s->arg, rr);
	s->dropped += d->gone;
	s->next = d->end;
	return true;
}

/* The new offset of target, or -1 when it lies in a removed record. */
static long
dns_drop_relocate(const struct dns_drop_scan *s, size_t target)
{
	size_t shift = 0;
	unsigned i;

	for (i = 0; i < s->n && s->rr[i].start <= target; i++) {
		if (!s->rr[i].gone)
			continue;
		if (target < s->rr[i].end)
			return -1;
		shift += s->rr[i].end - s->rr[i].start;
	}
	return (long)(target - shift);
}

/* Finds the pointer ending the name at *at (bounded by end) and checks
 * or rewrites it; *at moves past the name.  False: malformed, or a
 * pointer into a removed record. */
static bool
dns_drop_name(uint8_t *pkt, size_t end, size_t *at,
    const struct dns_drop_scan *s, bool fix)
{
	size_t p = *at;

	while (p < end) {
		uint8_t l = pkt[p];

		if ((l & 0xc0) == 0xc0) {
			long to;

			if (p + 2 > end)
				return false;
			to = dns_drop_relocate(s,
			    (size_t)((l & 0x3f) << 8 | pkt[p + 1]));
			if (to < 0)
				return false;
			if (fix) {
				pkt[p] = (uint8_t)(0xc0 | to >> 8);
				pkt[p + 1] = (uint8_t)to;
			}
			*at = p + 2;
			return true;
		}
		if (l & 0xc0)
			return false;
		p += 1u + l;
		if (l == 0) {
			*at = p;
			return true;
		}
	}
	return false;
}

/* Every kept record's names: checked (fix false) or rewritten. */
static bool
dns_drop_names(uint8_t *pkt, const struct dns_drop_scan *s, bool fix)
{
	unsigned i, j, k;

	for (i = 0; i < s->n; i++) {
		const struct dns_drop_rr *rr = &s->rr[i];
		size_t at = rr->start;

		if (rr->gone)
			continue;
		if (!dns_drop_name(pkt, rr->ttl_off, &at, s, fix))
			return false;
		if (rr->class != DNS_C_IN)
			continue;
		for (j = 0; j < sizeof(dns_name_rdata) /
		    sizeof(dns_name_rdata[0]); j++) {
			if (dns_name_rdata[j].type != rr->type)
				continue;
			at = rr->rdata_off;
			for (k = 0; k < 3 && dns_name_rdata[j].skip[k] >= 0;
			    k++) {
				at += (size_t)dns_name_rdata[j].skip[k];
				if (!dns_drop_name(pkt, rr->end, &at, s, fix))
					return false;
			}
		}
	}
	return true;
}

unsigned
dns_msg_drop_answers(uint8_t *pkt, size_t *len, struct dns_msg *m,
    bool (*drop)(void *arg, const struct dns_rr *rr), void *arg)
{
	struct dns_drop_scan s = { .drop = drop, .arg = arg };
	size_t out;
	unsigned i, removed = 0;

	s.max = (unsigned)m->ancount + m->nscount + m->arcount;
	if (m->ancount == 0 || s.max > DNS_RR_MAX ||
	    (s.rr = calloc(s.max, sizeof(*s.rr))) == NULL)
		return 0;
	s.next = m->qend;
	if (dns_msg_walk(pkt, *len, m, true, dns_drop_scan_cb, &s) !=
	    DNS_OK || s.n != s.max || s.dropped == 0 || s.next != *len ||
	    !dns_drop_names(pkt, &s, false)) {
		free(s.rr);
		return 0;
	}
	(void)dns_drop_names(pkt, &s, true);
	out = m->qend;
	for (i = 0; i < s.n; i++) {
		size_t l = s.rr[i].end - s.rr[i].start;

		if (s.rr[i].gone) {
			removed++;
			continue;
		}
		memmove(pkt + out, pkt + s.rr[i].start, l);
		out += l;
	}
	free(s.rr);
	*len = out;
	m->ancount = (uint16_t)(m->ancount - removed);
	pkt[6] = (uint8_t)(m->ancount >> 8);
	pkt[7] = (uint8_t)m->ancount;
	if (dns_msg_parse(pkt, out, true, m) != DNS_OK)
		memset(m, 0, sizeof(*m));	/* cannot happen */
	return removed;
}

size_t
dns_msg_strip_records(uint8_t *pkt, size_t len, struct dns_msg *m)
{
	size_t n = m->qend;

	memset(pkt + 6, 0, 6);
	m->ancount = m->nscount = m->arcount = 0;
	if (m->has_opt && m->opt_last && m->opt_off >= n) {
		memmove(pkt + n, pkt + m->opt_off, len - m->opt_off);
		n += len - m->opt_off;
		m->opt_off = m->qend;
		pkt[11] = 1;
		m->arcount = 1;
	} else {
		m->has_opt = false;
	}
	return n;
}

size_t
dns_msg_truncate(uint8_t *pkt, const struct dns_msg *m)
{
	memset(pkt + 6, 0, 6);
	pkt[2] |= (uint8_t)(DNS_F_TC >> 8);
	return m->qend;
}

/* --- building ------------------------------------------------------ */

void
dns_build_begin(struct dns_build *b, void *buf, size_t cap, size_t limit,
    const uint8_t *q_pkt, const struct dns_msg *q, enum dns_rcode rcode)
{
	uint16_t flags = (uint16_t)(DNS_F_QR | DNS_F_RA |
	    (q->flags & (DNS_F_OPCODE | DNS_F_RD | DNS_F_CD)) | rcode);

	wr_init(&b->w, buf, cap);
	b->limit = limit < cap ? limit : cap;
	b->an = b->ns = b->ar = 0;
	b->trunc = false;
	b->flags = flags;
	b->ede = DNS_EDE_NONE;
	wr_be16(&b->w, q->id);
	wr_be16(&b->w, flags);
	wr_be16(&b->w, 1);
	wr_zero(&b->w, 6);
	wr_bytes(&b->w, q_pkt + DNS_HDR_LEN, q->qend - DNS_HDR_LEN);
}

void
dns_build_set_flags(struct dns_build *b, uint16_t set)
{
	b->flags |= set;
}

void
dns_build_set_ede(struct dns_build *b, uint16_t code)
{
	b->ede = code;
}

static void
dns_build_count(struct dns_build *b, int section)
{
	if (section == 1)
		b->an++;
	else if (section == 2)
		b->ns++;
	else
		b->ar++;
}

/* Keeps the record when it fits the limit, else rolls back to mark. */
static void
dns_build_commit(struct dns_build *b, int section, size_t mark)
{
	if (!wr_ok(&b->w) || b->w.off > b->limit) {
		b->w.off = mark;
		b->w.bad = false;
		b->trunc = true;
		return;
	}
	dns_build_count(b, section);
}

static void
dns_build_owner(struct dns_build *b, const char *owner)
{
	if (owner == NULL)
		wr_be16(&b->w, 0xc000 | DNS_HDR_LEN);	/* the question */
	else
		(void)dns_name_write(&b->w, owner);
}

void
dns_build_rr(struct dns_build *b, int section, const char *owner,
    uint16_t type, uint32_t ttl, const void *rdata, uint16_t rdlen)
{
	size_t mark = wr_mark(&b->w);

	if (b->trunc)
		return;
	dns_build_owner(b, owner);
	wr_be16(&b->w, type);
	wr_be16(&b->w, DNS_C_IN);
	wr_be32(&b->w, ttl);
	wr_be16(&b->w, rdlen);
	wr_bytes(&b->w, rdata, rdlen);
	dns_build_commit(b, section, mark);
}

void
dns_build_rr_name(struct dns_build *b, int section, const char *owner,
    uint16_t type, uint32_t ttl, const char *target)
{
	dns_build_rr_pname(b, section, owner, type, ttl, NULL, 0, target);
}

void
dns_build_rr_pname(struct dns_build *b, int section, const char *owner,
    uint16_t type, uint32_t ttl, const void *pre, uint16_t prelen,
    const char *target)
{
	size_t mark = wr_mark(&b->w), at;

	if (b->trunc)
		return;
	dns_build_owner(b, owner);
	wr_be16(&b->w, type);
	wr_be16(&b->w, DNS_C_IN);
	wr_be32(&b->w, ttl);
	at = wr_mark(&b->w);
	wr_be16(&b->w, 0);
	if (prelen != 0)
		wr_bytes(&b->w, pre, prelen);
	(void)dns_name_write(&b->w, target != NULL ? target : "");
	if (wr_ok(&b->w))
		wr_patch_be16(&b->w, at, (uint16_t)(b->w.off - at - 2));
	dns_build_commit(b, section, mark);
}

void
dns_build_opt(struct dns_build *b, uint16_t udp_size, bool do_bit)
{
	size_t mark = wr_mark(&b->w);

	wr_u8(&b->w, 0);
	wr_be16(&b->w, DNS_T_OPT);
	wr_be16(&b->w, udp_size);
	wr_be32(&b->w, do_bit ? 0x8000u : 0);
	if (b->ede == DNS_EDE_NONE) {
		wr_be16(&b->w, 0);
	} else {
		wr_be16(&b->w, 6);
		wr_be16(&b->w, DNS_OPT_EDE);
		wr_be16(&b->w, 2);
		wr_be16(&b->w, b->ede);
	}
	/* the OPT always goes in: room was kept by the caller's limit */
	if (!wr_ok(&b->w)) {
		b->w.off = mark;
		b->w.bad = false;
		return;
	}
	b->ar++;
}

size_t
dns_build_end(struct dns_build *b)
{
	uint16_t flags = b->flags;

	if (!wr_ok(&b->w) || b->w.off < DNS_HDR_LEN)
		return 0;
	if (b->trunc)
		flags |= DNS_F_TC;
	wr_patch_be16(&b->w, 2, flags);
	wr_patch_be16(&b->w, 6, b->an);
	wr_patch_be16(&b->w, 8, b->ns);
	wr_patch_be16(&b->w, 10, b->ar);
	return b->w.off;
}
