/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_dns_msg.c - the DNS message codec: names, compression pointers,
 * loops, bad labels, counts, OPT, building and truncating answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dns_msg.h"

/* A query header: id 0x1234, RD, counts as given. */
static size_t
hdr(uint8_t *p, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar)
{
	static const uint8_t h[4] = { 0x12, 0x34, 0x01, 0x00 };

	memcpy(p, h, 4);
	p[4] = (uint8_t)(qd >> 8);
	p[5] = (uint8_t)qd;
	p[6] = (uint8_t)(an >> 8);
	p[7] = (uint8_t)an;
	p[8] = (uint8_t)(ns >> 8);
	p[9] = (uint8_t)ns;
	p[10] = (uint8_t)(ar >> 8);
	p[11] = (uint8_t)ar;
	return 12;
}

/* www.Example.com A IN */
static size_t
query(uint8_t *p)
{
	static const uint8_t q[] = { 3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm',
	    'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1 };
	size_t n = hdr(p, 1, 0, 0, 0);

	memcpy(p + n, q, sizeof(q));
	return n + sizeof(q);
}

static void
parses_simple_query(void **state)
{
	uint8_t p[512];
	size_t n = query(p);
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_OK);
	assert_int_equal(m.id, 0x1234);
	assert_string_equal(m.qname, "www.Example.com");
	assert_int_equal(m.qtype, DNS_T_A);
	assert_int_equal(m.qclass, DNS_C_IN);
	assert_int_equal(m.qend, n);
	assert_false(m.has_opt);
	assert_true(dns_name_eq(m.qname, "WWW.example.COM"));
	assert_false(dns_name_eq(m.qname, "www.example.co"));
}

static void
rejects_short_and_counts(void **state)
{
	uint8_t p[512];
	size_t n = query(p);
	struct dns_msg m;
	unsigned i;

	(void)state;
	for (i = 0; i < n; i++)	/* every prefix is short */
		assert_int_equal(dns_msg_parse(p, i, false, &m),
		    i < 12 ? DNS_BAD_SHORT : DNS_BAD_SHORT);
	p[5] = 0;
	assert_int_equal(dns_msg_parse(p, n, false, &m), DNS_BAD_QDCOUNT);
	p[5] = 2;
	assert_int_equal(dns_msg_parse(p, n, false, &m), DNS_BAD_QDCOUNT);
	p[5] = 1;
	p[6] = 0xff;	/* 65280 answers in no bytes */
	assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_BAD_COUNTS);
	p[6] = 0;
	p[11] = 1;	/* one additional record that is not there */
	assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_BAD_COUNTS);
}

static void
rejects_pointer_loops(void **state)
{
	struct {
		const char *name;
		uint8_t q[8];
		size_t len;
		enum dns_bad why;
	} rows[] = {
		{ "self", { 0xc0, 12 }, 2, DNS_BAD_POINTER },
		{ "forward", { 0xc0, 20, 0, 0, 1, 0, 1 }, 7, DNS_BAD_POINTER },
		{ "into header", { 0xc0, 2 }, 2, DNS_BAD_POINTER },
		{ "label then back", { 1, 'a', 0xc0, 12 }, 4,
		    DNS_BAD_POINTER },
		/* back into the name, whose labels then run past the
		 * pointer (and past the question): not a prior occurrence */
		{ "back, then past itself", { 1, 2, 0xc0, 13, 0, 0, 1, 0 }, 8,
		    DNS_BAD_POINTER },
		{ "0x40 label", { 0x41, 'a' }, 2, DNS_BAD_LABEL },
		{ "0x80 label", { 0x81, 'a' }, 2, DNS_BAD_LABEL },
		{ "cut pointer", { 0xc0 }, 1, DNS_BAD_SHORT },
		{ "cut label", { 5, 'a', 'b' }, 3, DNS_BAD_SHORT },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t p[64];
		struct dns_msg m;
		size_t n = hdr(p, 1, 0, 0, 0);

		memcpy(p + n, rows[i].q, rows[i].len);
		print_message("row %s\n", rows[i].name);
		assert_int_equal(dns_msg_parse(p, n + rows[i].len, false, &m),
		    rows[i].why);
	}
}

/* A pointer back to an earlier name is followed. */
static void
follows_compression(void **state)
{
	uint8_t p[512];
	size_t n = query(p);
	static const uint8_t rr[] = { 0xc0, 16, 0, 5, 0, 1, 0, 0, 0, 60,
	    0, 2, 0xc0, 12 };
	struct dns_msg m;
	struct rd r;
	char name[DNSNAME_BUF];

	(void)state;
	p[7] = 1;
	p[2] |= 0x80;
	memcpy(p + n, rr, sizeof(rr));
	n += sizeof(rr);
	assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_OK);
	rd_init(&r, p, n);
	r.off = m.qend;
	assert_int_equal(dns_name_read(&r, p, name), DNS_OK);
	assert_string_equal(name, "Example.com");
	assert_int_equal(r.off, m.qend + 2);
	r.off = n - 2;
	assert_int_equal(dns_name_read(&r, p, name), DNS_OK);
	assert_string_equal(name, "www.Example.com");
}

static void
escapes_odd_bytes(void **state)
{
	uint8_t p[64];
	size_t n = hdr(p, 1, 0, 0, 0);
	static const uint8_t q[] = { 3, 'a', '.', 0x01, 0, 0, 1, 0, 1 };
	struct dns_msg m;
	struct wr w;
	uint8_t out[64];

	(void)state;
	memcpy(p + n, q, sizeof(q));
	assert_int_equal(dns_msg_parse(p, n + sizeof(q), false, &m), DNS_OK);
	assert_string_equal(m.qname, "a\\046\\001");
	wr_init(&w, out, sizeof(out));
	assert_int_equal(dns_name_write(&w, m.qname), 0);
	assert_int_equal(w.off, 5);
	assert_memory_equal(out, q, 5);
}

static void
name_too_long(void **state)
{
	uint8_t p[600];
	size_t n = hdr(p, 1, 0, 0, 0);
	struct dns_msg m;
	unsigned i;

	(void)state;
	for (i = 0; i < 5; i++) {	/* 5 x 64 = 320 wire bytes */
		p[n++] = 63;
		memset(p + n, 'a', 63);
		n += 63;
	}
	p[n++] = 0;
	memset(p + n, 0, 4);
	n += 4;
	assert_int_equal(dns_msg_parse(p, n, false, &m), DNS_BAD_LABEL);
}

static size_t
add_opt(uint8_t *p, size_t n, uint16_t size, bool dobit)
{
	p[n++] = 0;
	p[n++] = 0;
	p[n++] = DNS_T_OPT;
	p[n++] = (uint8_t)(size >> 8);
	p[n++] = (uint8_t)size;
	p[n++] = 0;
	p[n++] = 0;
	p[n++] = dobit ? 0x80 : 0;
	p[n++] = 0;
	p[n++] = 0;
	p[n++] = 0;
	return n;
}

static void
finds_opt(void **state)
{
	uint8_t p[512];
	size_t n = query(p);
	struct dns_msg m;

	(void)state;
	p[11] = 1;
	n = add_opt(p, n, 4096, true);
	assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_OK);
	assert_true(m.has_opt);
	assert_true(m.opt_do);
	assert_true(m.opt_last);
	assert_int_equal(m.opt_size, 4096);
	dns_msg_set_opt_size(p, &m, 1232);
	assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_OK);
	assert_int_equal(m.opt_size, 1232);
	assert_int_equal(dns_msg_strip_opt(p, n, &m), m.qend);
	assert_int_equal(p[11], 0);
	/* two OPT records: bad */
	p[11] = 2;
	n = add_opt(p, n, 512, false);
	assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_BAD_OPT);
}

static void
builds_answer_and_truncates(void **state)
{
	uint8_t p[512], out[600];
	size_t n = query(p), len;
	struct dns_msg q, m;
	struct dns_build b;
	uint8_t a[4] = { 192, 0, 2, 1 };
	unsigned i;

	(void)state;
	assert_int_equal(dns_msg_parse(p, n, false, &q), DNS_OK);
	dns_build_begin(&b, out, sizeof(out), 512, p, &q, DNS_RC_NOERROR);
	dns_build_set_flags(&b, DNS_F_AA);
	for (i = 0; i < 40; i++)	/* 16 bytes each: 30 fit in 512 */
		dns_build_rr(&b, 1, NULL, DNS_T_A, 0, a, 4);
	len = dns_build_end(&b);
	assert_true(len <= 512);
	assert_int_equal(dns_msg_parse(out, len, true, &m), DNS_OK);
	assert_true(m.flags & DNS_F_TC);
	assert_true(m.flags & DNS_F_QR);
	assert_true(m.flags & DNS_F_AA);
	assert_true(m.flags & DNS_F_RD);
	assert_int_equal(m.ancount, (512 - n) / 16);
	assert_int_equal(m.id, 0x1234);
	assert_string_equal(m.qname, "www.Example.com");
	len = dns_msg_truncate(out, &m);
	assert_int_equal(len, n);
	assert_int_equal(dns_msg_parse(out, len, true, &m), DNS_OK);
	assert_int_equal(m.ancount, 0);
	assert_true(m.flags & DNS_F_TC);
}

static void
rcode_answers_echo_question(void **state)
{
	static const enum dns_rcode rcs[] = { DNS_RC_NXDOMAIN,
	    DNS_RC_REFUSED, DNS_RC_SERVFAIL, DNS_RC_FORMERR };
	uint8_t p[512], out[512];
	size_t n = query(p), len;
	struct dns_msg q, m;
	struct dns_build b;
	unsigned i;

	(void)state;
	assert_int_equal(dns_msg_parse(p, n, false, &q), DNS_OK);
	for (i = 0; i < 4; i++) {
		dns_build_begin(&b, out, sizeof(out), 512, p, &q, rcs[i]);
		len = dns_build_end(&b);
		assert_int_equal(len, n);
		assert_int_equal(dns_msg_parse(out, len, true, &m), DNS_OK);
		assert_int_equal(m.flags & DNS_F_RCODE, rcs[i]);
		assert_memory_equal(out + 12, p + 12, n - 12);
	}
}

static void
cache_ttl_and_age(void **state)
{
	uint8_t p[512];
	size_t n = query(p);
	static const uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60,
	    0, 4, 192, 0, 2, 1 };
	static const uint8_t soa[] = { 0xc0, 16, 0, 6, 0, 1, 0, 0, 1, 0,
	    0, 22, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0,
	    4, 0, 0, 0, 30 };
	struct dns_msg m;
	bool neg;
	size_t nr = n + sizeof(rr), ns = n + sizeof(soa);

	(void)state;
	p[2] |= 0x80;
	p[7] = 1;
	memcpy(p + n, rr, sizeof(rr));
	assert_int_equal(dns_msg_parse(p, n + sizeof(rr), true, &m), DNS_OK);
	assert_int_equal(dns_msg_cache_ttl(p, nr, &m, 0, &neg), 60);
	assert_false(neg);
	dns_msg_age(p, n + sizeof(rr), &m, 45);
	assert_int_equal(dns_msg_cache_ttl(p, nr, &m, 0, &neg), 15);
	dns_msg_age(p, n + sizeof(rr), &m, 100);
	assert_int_equal(dns_msg_cache_ttl(p, nr, &m, 0, &neg), 0);
	/* NXDOMAIN with SOA: min(SOA TTL 256, minimum 30) */
	p[3] |= DNS_RC_NXDOMAIN;
	p[7] = 0;
	p[9] = 1;
	memcpy(p + n, soa, sizeof(soa));
	assert_int_equal(dns_msg_parse(p, n + sizeof(soa), true, &m), DNS_OK);
	assert_int_equal(dns_msg_cache_ttl(p, ns, &m, 0, &neg), 30);
	assert_true(neg);
	/* neg-ttl does not replace an SOA's minimum */
	assert_int_equal(dns_msg_cache_ttl(p, ns, &m, 600, &neg), 30);
	/* NXDOMAIN without SOA: neg-ttl, else 0 (rfc1035.c find_soa()) */
	p[9] = 0;
	assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_OK);
	assert_int_equal(dns_msg_cache_ttl(p, n, &m, 0, &neg), 0);
	assert_true(neg);
	assert_int_equal(dns_msg_cache_ttl(p, n, &m, 600, &neg), 600);
	assert_true(neg);
	/* NXDOMAIN after a CNAME-like answer, no SOA: its TTL */
	p[7] = 1;
	memcpy(p + n, rr, sizeof(rr));
	assert_int_equal(dns_msg_parse(p, nr, true, &m), DNS_OK);
	assert_int_equal(dns_msg_cache_ttl(p, nr, &m, 0, &neg), 60);
	assert_true(neg);
	assert_int_equal(dns_msg_cache_ttl(p, nr, &m, 600, &neg), 600);
}

/* A negative reply's SOA counts only for the name's zone: its owner ends
 * the question's name, or the last CNAME target's (rfc1035.c
 * find_soa(), byte for byte); else neg-ttl. */
static void
negative_soa_zone(void **state)
{
	static const struct {
		const char *cname;	/* www.Example.com CNAME this, or NULL */
		const char *soa;	/* the SOA's owner */
		uint16_t qtype;
		uint32_t want0, want600;	/* neg_ttl 0 and 600 */
	} rows[] = {
		{ NULL, "Example.com", DNS_T_A, 30, 30 },
		{ NULL, "", DNS_T_A, 30, 30 },
		{ NULL, "other.com", DNS_T_A, 0, 600 },
		{ NULL, "example.com", DNS_T_A, 0, 600 },	/* case */
		{ "t.other.com", "other.com", DNS_T_A, 30, 30 },
		{ "t.other.com", "Example.com", DNS_T_A, 0, 600 },
		/* PTR NXDOMAIN: the question's name only */
		{ "t.other.com", "other.com", DNS_T_PTR, 0, 600 },
	};
	static const uint8_t soa[22] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0,
	    0, 3, 0, 0, 0, 4, 0, 0, 0, 30 };
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t q[512], out[512];
		size_t n = query(q), len;
		struct dns_msg qm, m;
		struct dns_build b;
		bool neg;

		print_message("row %u\n", i);
		q[n - 3] = (uint8_t)rows[i].qtype;
		assert_int_equal(dns_msg_parse(q, n, true, &qm), DNS_OK);
		dns_build_begin(&b, out, sizeof(out), sizeof(out), q, &qm,
		    DNS_RC_NXDOMAIN);
		if (rows[i].cname != NULL)
			dns_build_rr_name(&b, 1, NULL, DNS_T_CNAME, 300,
			    rows[i].cname);
		dns_build_rr(&b, 2, rows[i].soa, DNS_T_SOA, 256, soa,
		    sizeof(soa));
		len = dns_build_end(&b);
		assert_int_equal(dns_msg_parse(out, len, true, &m), DNS_OK);
		assert_int_equal(dns_msg_cache_ttl(out, len, &m, 0, &neg),
		    rows[i].want0 == 0 && rows[i].cname != NULL ? 300 :
		    rows[i].want0);
		assert_true(neg);
		assert_int_equal(dns_msg_cache_ttl(out, len, &m, 600, &neg),
		    rows[i].want600);
	}
}

/* dns_msg_ttl_bound(): raised to lo, lowered to hi, in the sections
 * asked for; OPT untouched. */
static void
ttl_bounds(void **state)
{
	static const struct {
		unsigned sections;
		uint32_t lo, hi;
		uint32_t an, ns;	/* from 60 and 256 */
	} rows[] = {
		{ DNS_SEC_ALL, 0, 0, 60, 256 },
		{ DNS_SEC_ALL, 100, 0, 100, 256 },
		{ DNS_SEC_ALL, 0, 100, 60, 100 },
		{ DNS_SEC_ALL, 70, 100, 70, 100 },
		{ DNS_SEC_BIT(1), 0, 10, 10, 256 },
		{ DNS_SEC_BIT(2), 0, 10, 60, 10 },
	};
	static const uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60,
	    0, 4, 192, 0, 2, 1 };
	static const uint8_t soa[] = { 0xc0, 16, 0, 6, 0, 1, 0, 0, 1, 0,
	    0, 22, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0,
	    4, 0, 0, 0, 30 };
	static const uint8_t opt[] = { 0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0,
	    0 };
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t p[512];
		size_t n = query(p), len;
		struct dns_msg m;

		p[2] |= 0x80;
		p[7] = 1;
		p[9] = 1;
		p[11] = 1;
		memcpy(p + n, rr, sizeof(rr));
		memcpy(p + n + sizeof(rr), soa, sizeof(soa));
		memcpy(p + n + sizeof(rr) + sizeof(soa), opt, sizeof(opt));
		len = n + sizeof(rr) + sizeof(soa) + sizeof(opt);
		assert_int_equal(dns_msg_parse(p, len, true, &m), DNS_OK);
		dns_msg_ttl_bound(p, len, &m, rows[i].sections, rows[i].lo,
		    rows[i].hi);
		assert_int_equal(p[n + 9], rows[i].an);
		assert_int_equal(p[n + sizeof(rr) + 8] << 8 |
		    p[n + sizeof(rr) + 9], rows[i].ns);
		assert_memory_equal(p + len - sizeof(opt), opt, sizeof(opt));
	}
}


static void
private_addresses(void **state)
{
	/* priv: ban_localhost (stop-dns-rebind); lo_ok: with
	 * rebind-localhost-ok (127/8 and 0/8 pass) */
	static const struct {
		uint8_t a[4];
		bool priv, lo_ok;
	} rows[] = {
		{ { 10, 1, 2, 3 }, true, true },
		{ { 192, 168, 0, 1 }, true, true },
		{ { 172, 16, 0, 1 }, true, true },
		{ { 172, 32, 0, 1 }, false, false },
		{ { 127, 0, 0, 1 }, true, false },
		{ { 0, 0, 0, 0 }, true, false },
		{ { 169, 254, 1, 1 }, true, true },
		{ { 198, 51, 100, 7 }, true, true },
		{ { 8, 8, 8, 8 }, false, false },
		{ { 255, 255, 255, 255 }, true, true },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t p[512];
		size_t n = query(p);
		uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4,
		    rows[i].a[0], rows[i].a[1], rows[i].a[2], rows[i].a[3] };
		struct dns_msg m;

		p[7] = 1;
		memcpy(p + n, rr, sizeof(rr));
		assert_int_equal(dns_msg_parse(p, n + sizeof(rr), true, &m),
		    DNS_OK);
		assert_int_equal(dns_msg_has_private(p, n + sizeof(rr), &m),
		    rows[i].priv);
		assert_int_equal(dns_msg_has_private_lo(p, n + sizeof(rr), &m,
		    false), rows[i].lo_ok);
	}
}

/* An OPT record appended to a message without one parses as EDNS0. */
static void
adds_opt(void **state)
{
	uint8_t p[512];
	size_t n = query(p), n2;
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_OK);
	assert_false(m.has_opt);
	n2 = dns_msg_add_opt(p, n, sizeof(p), 1232);
	assert_int_equal(n2, n + 11);
	assert_int_equal(dns_msg_parse(p, n2, true, &m), DNS_OK);
	assert_true(m.has_opt);
	assert_int_equal(m.opt_size, 1232);
	/* no room: unchanged */
	assert_int_equal(dns_msg_add_opt(p, n2, n2 + 10, 1232), n2);
}

/*
 * An EDE option put into the trailing OPT record (RFC 8914 4: option 15,
 * length 2, INFO-CODE): rows give the OPT's options before, the bytes
 * after and whether it fits in cap (extra bytes of room).
 */
static void
adds_ede(void **state)
{
	static const struct {
		const char *name;
		uint8_t before[16];
		size_t nbefore;
		uint8_t after[24];
		size_t nafter;
		size_t room;
	} rows[] = {
		{ "no options", { 0 }, 0,
		    { 0, 15, 0, 2, 0, 23 }, 6, 6 },
		{ "a cookie kept, EDE after it",
		    { 0, 10, 0, 2, 0xaa, 0xbb }, 6,
		    { 0, 10, 0, 2, 0xaa, 0xbb, 0, 15, 0, 2, 0, 23 }, 12, 6 },
		{ "an EDE with text replaced",
		    { 0, 15, 0, 4, 0, 9, 'h', 'i' }, 8,
		    { 0, 15, 0, 2, 0, 23 }, 6, 6 },
		{ "an option overrunning the record: all dropped",
		    { 0, 10, 0, 9, 1, 2 }, 6,
		    { 0, 15, 0, 2, 0, 23 }, 6, 6 },
		{ "no room: the option not added",
		    { 0, 10, 0, 2, 0xaa, 0xbb }, 6,
		    { 0, 10, 0, 2, 0xaa, 0xbb }, 6, 5 },
		{ "no room, an EDE of the same size: replaced",
		    { 0, 15, 0, 2, 0, 14 }, 6,
		    { 0, 15, 0, 2, 0, 23 }, 6, 0 },
		{ "a last option of 4 bytes is not looked at (dnsmasq's "
		    "i + 4 < rdlen), no room: unchanged",
		    { 0, 15, 0, 0 }, 4, { 0, 15, 0, 0 }, 4, 5 },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t p[512];
		size_t n = query(p), len;
		struct dns_msg m;

		print_message("row: %s\n", rows[i].name);
		p[11] = 1;
		n = add_opt(p, n, 1232, false);
		p[n - 1] = (uint8_t)rows[i].nbefore;
		memcpy(p + n, rows[i].before, rows[i].nbefore);
		n += rows[i].nbefore;
		assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_OK);
		len = dns_msg_add_ede(p, n, n + rows[i].room, &m, 23);
		assert_int_equal(len, m.opt_off + 11 + rows[i].nafter);
		assert_int_equal(p[m.opt_off + 10], rows[i].nafter);
		assert_memory_equal(p + m.opt_off + 11, rows[i].after,
		    rows[i].nafter);
		assert_int_equal(dns_msg_parse(p, len, true, &m), DNS_OK);
	}
}

/* A message without OPT gets no EDE; the builder's OPT carries one. */
static void
ede_needs_opt(void **state)
{
	uint8_t p[512], out[600];
	size_t n = query(p), len;
	struct dns_msg m;
	struct dns_build b;
	static const uint8_t opt[] = { 0, 0, DNS_T_OPT, 0x04, 0xd0, 0, 0, 0,
	    0, 0, 6, 0, 15, 0, 2, 0, 14 };

	(void)state;
	assert_int_equal(dns_msg_parse(p, n, true, &m), DNS_OK);
	assert_int_equal(dns_msg_add_ede(p, n, sizeof(p), &m, 15), n);
	dns_build_begin(&b, out, sizeof(out), sizeof(out), p, &m,
	    DNS_RC_REFUSED);
	dns_build_set_ede(&b, DNS_EDE_NOT_READY);
	dns_build_opt(&b, DNS_EDNS_PKTSZ, false);
	len = dns_build_end(&b);
	assert_int_equal(len, m.qend + sizeof(opt));
	assert_memory_equal(out + m.qend, opt, sizeof(opt));
	assert_int_equal(out[11], 1);
}

/* --- removing answer records -------------------------------------- */

static bool
drop_aaaa(void *arg, const struct dns_rr *rr)
{
	(void)arg;
	return rr->type == DNS_T_AAAA;
}

/* A record head: owner (a pointer when ptr is non-zero, else the name
 * "t.ex"), type, class IN, TTL 60, rdlength. */
static void
rr_head(struct wr *w, uint16_t ptr, uint16_t type, uint16_t rdlen)
{
	static const uint8_t tex[] = { 1, 't', 2, 'e', 'x', 0 };

	if (ptr != 0)
		wr_be16(w, (uint16_t)(0xc000 | ptr));
	else
		wr_bytes(w, tex, sizeof(tex));
	wr_be16(w, type);
	wr_be16(w, DNS_C_IN);
	wr_be32(w, 60);
	wr_be16(w, rdlen);
}

/*
 * www.Example.com AAAA: answers CNAME -> t.ex (written out), AAAA t.ex
 * (pointer to the CNAME's rdata), then per row a record after it: an A
 * whose owner points at the CNAME's rdata (kept as is), an A whose owner
 * points at the AAAA's own owner (into the removed record: nothing
 * removed), or an NS in the authority section named t.ex whose rdata
 * points at its own owner, after the AAAA (moved: the pointer follows).
 */
static void
drops_answers_and_moves_pointers(void **state)
{
	enum { AFTER_A_TO_CNAME, AFTER_A_INTO_AAAA, AFTER_NS_SELF };
	static const struct {
		const char *name;
		int after;
		unsigned removed;
	} rows[] = {
		{ "later owner points before the removed record", AFTER_A_TO_CNAME,
		    1 },
		{ "later owner points into the removed record: kept whole",
		    AFTER_A_INTO_AAAA, 0 },
		{ "pointer past the removed record moves with it", AFTER_NS_SELF,
		    1 },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t p[512];
		size_t n = query(p), cn_rdata, aaaa_at, ns_at, len;
		struct dns_msg m;
		struct wr w;
		struct rd r;
		char name[DNSNAME_BUF];
		static const uint8_t tex[] = { 1, 't', 2, 'e', 'x', 0 };

		print_message("row: %s\n", rows[i].name);
		p[15] = DNS_T_AAAA;	/* the question's type */
		wr_init(&w, p + n, sizeof(p) - n);
		rr_head(&w, DNS_HDR_LEN, DNS_T_CNAME, sizeof(tex));
		cn_rdata = n + w.off;
		wr_bytes(&w, tex, sizeof(tex));
		aaaa_at = n + w.off;
		rr_head(&w, 0, DNS_T_AAAA, 16);
		wr_zero(&w, 16);
		ns_at = n + w.off;
		if (rows[i].after == AFTER_NS_SELF) {
			rr_head(&w, 0, DNS_T_NS, 2);
			wr_be16(&w, (uint16_t)(0xc000 | ns_at));
		} else {
			rr_head(&w, (uint16_t)(rows[i].after ==
			    AFTER_A_TO_CNAME ? cn_rdata : aaaa_at), DNS_T_A, 4);
			wr_be32(&w, 0x01020304);
		}
		assert_true(wr_ok(&w));
		len = n + w.off;
		p[7] = rows[i].after == AFTER_NS_SELF ? 2 : 3;
		p[9] = rows[i].after == AFTER_NS_SELF ? 1 : 0;
		assert_int_equal(dns_msg_parse(p, len, true, &m), DNS_OK);
		assert_int_equal(dns_msg_drop_answers(p, &len, &m, drop_aaaa,
		    NULL), rows[i].removed);
		assert_int_equal(dns_msg_parse(p, len, true, &m), DNS_OK);
		if (rows[i].removed == 0) {
			assert_int_equal(m.ancount, 3);
			continue;
		}
		assert_int_equal(len, n + w.off - 32);	/* 6 + 10 + 16 */
		if (rows[i].after == AFTER_NS_SELF) {
			assert_int_equal(m.ancount, 1);
			assert_int_equal(m.nscount, 1);
			/* the NS's rdata, 2 bytes at the end, reads t.ex */
			rd_init(&r, p, len);
			r.off = len - 2;
			assert_int_equal(dns_name_read(&r, p, name), DNS_OK);
			assert_string_equal(name, "t.ex");
		} else {
			assert_int_equal(m.ancount, 2);
			rd_init(&r, p, len);
			r.off = len - 16;	/* the A's owner */
			assert_int_equal(dns_name_read(&r, p, name), DNS_OK);
			assert_string_equal(name, "t.ex");
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_simple_query),
		cmocka_unit_test(rejects_short_and_counts),
		cmocka_unit_test(rejects_pointer_loops),
		cmocka_unit_test(follows_compression),
		cmocka_unit_test(escapes_odd_bytes),
		cmocka_unit_test(name_too_long),
		cmocka_unit_test(finds_opt),
		cmocka_unit_test(builds_answer_and_truncates),
		cmocka_unit_test(rcode_answers_echo_question),
		cmocka_unit_test(cache_ttl_and_age),
		cmocka_unit_test(ttl_bounds),
		cmocka_unit_test(negative_soa_zone),
		cmocka_unit_test(private_addresses),
		cmocka_unit_test(adds_opt),
		cmocka_unit_test(adds_ede),
		cmocka_unit_test(ede_needs_opt),
		cmocka_unit_test(drops_answers_and_moves_pointers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
