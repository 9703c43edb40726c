/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_dns_fwd.c - the forwarder's logic with a fake clock and fake
 * sockets: local answers, forwarding, anti-spoofing, failover, retries,
 * id randomness, the cache, the pending-table cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>

#include "conf_fixture.h"
#include "dns_fwd.h"
#include "dns_msg.h"

#define MAXSENT 64

struct sent {
	int up;			/* upstream index, -1: to the client */
	struct dns_pending *p;
	uint8_t pkt[1500];
	size_t len;
};

struct fake {
	struct conf *cf;
	struct dns_fwd *f;
	uint32_t seed;
	struct sent s[MAXSENT];
	unsigned n;
	int fail_up;		/* this upstream's send fails */
	char lease_name[64];
	struct in_addr lease_addr;
	uint32_t lease_left;	/* seconds; UINT32_MAX: infinite */
};

static uint32_t
fake_random(void *arg)
{
	struct fake *k = arg;

	k->seed ^= k->seed << 13;
	k->seed ^= k->seed >> 17;
	k->seed ^= k->seed << 5;
	return k->seed;
}

static int
fake_send_up(void *arg, struct dns_pending *p, const struct dns_upstream *u,
    const uint8_t *pkt, size_t len)
{
	struct fake *k = arg;
	struct sent *s;
	unsigned i;

	for (i = 0; i < dns_fwd_n_upstreams(k->f); i++)
		if (dns_fwd_upstream(k->f, i) == u)
			break;
	if ((int)i == k->fail_up)
		return -ENETUNREACH;
	p->sock = 7;
	assert_true(k->n < MAXSENT);
	s = &k->s[k->n++];
	s->up = (int)i;
	s->p = p;
	memcpy(s->pkt, pkt, len);
	s->len = len;
	return 0;
}

static void
fake_send_client(void *arg, const struct dns_client *c, const uint8_t *pkt,
    size_t len)
{
	struct fake *k = arg;
	struct sent *s;

	(void)c;
	assert_true(k->n < MAXSENT);
	s = &k->s[k->n++];
	s->up = -1;
	s->p = NULL;
	memcpy(s->pkt, pkt, len);
	s->len = len;
}

static bool
fake_lease_name(void *arg, const char *name, struct in_addr *out)
{
	struct fake *k = arg;

	if (strcmp(name, k->lease_name) != 0)
		return false;
	*out = k->lease_addr;
	return true;
}

static bool
fake_lease_addr(void *arg, struct in_addr a, char *name, size_t size)
{
	struct fake *k = arg;

	if (a.s_addr != k->lease_addr.s_addr)
		return false;
	snprintf(name, size, "%s", k->lease_name);
	return true;
}

static bool
fake_lease_left(void *arg, struct in_addr a, uint32_t *secs)
{
	struct fake *k = arg;

	if (a.s_addr != k->lease_addr.s_addr)
		return false;
	*secs = k->lease_left;
	return true;
}

static struct fake *
fake_new(const char *conftext)
{
	struct fake *k = calloc(1, sizeof(*k));
	struct dns_fwd_io io = {
		.random = fake_random,
		.send_up = fake_send_up,
		.send_client = fake_send_client,
		.lease_by_name = fake_lease_name,
		.lease_by_addr = fake_lease_addr,
		.lease_left = fake_lease_left,
	};

	assert_non_null(k);
	k->seed = 2463534242u;
	k->fail_up = -1;
	k->lease_left = 3600;
	k->cf = load_ok(conftext);
	io.arg = k;
	k->f = dns_fwd_new(k->cf, &io);
	assert_non_null(k->f);
	snprintf(k->lease_name, sizeof(k->lease_name), "laptop");
	inet_pton(AF_INET, "198.51.100.77", &k->lease_addr);
	return k;
}

static void
fake_free(struct fake *k)
{
	dns_fwd_free(k->f);
	conf_free(k->cf);
	free(k);
}

static const char two_servers[] =
    "no-resolv\nserver=192.0.2.53\nserver=192.0.2.54\n";

static struct dns_client
client(void)
{
	struct dns_client c;
	struct sockaddr_in *s = (struct sockaddr_in *)&c.sa;

	memset(&c, 0, sizeof(c));
	s->sin_family = AF_INET;
	s->sin_port = htons(40000);
	inet_pton(AF_INET, "198.51.100.2", &s->sin_addr);
	c.salen = sizeof(*s);
	c.family = AF_INET;
	return c;
}

/* A query for name/type with id. */
static size_t
mkq(uint8_t *p, const char *name, uint16_t type, uint16_t id)
{
	struct wr w;

	wr_init(&w, p, 512);
	wr_be16(&w, id);
	wr_be16(&w, DNS_F_RD);
	wr_be16(&w, 1);
	wr_zero(&w, 6);
	dns_name_write(&w, name);
	wr_be16(&w, type);
	wr_be16(&w, DNS_C_IN);
	assert_true(wr_ok(&w));
	return w.off;
}

/* The upstream's answer to a sent query: one A record, TTL 300. */
static size_t
mka(uint8_t *out, const struct sent *s, const char *addr, uint8_t rcode)
{
	struct dns_msg q;
	struct dns_build b;
	struct in_addr a;
	size_t n;

	assert_int_equal(dns_msg_parse(s->pkt, s->len, true, &q), DNS_OK);
	dns_build_begin(&b, out, 1500, 1500, s->pkt, &q, rcode);
	if (addr != NULL) {
		inet_pton(AF_INET, addr, &a);
		dns_build_rr(&b, 1, NULL, DNS_T_A, 300, &a, 4);
	}
	n = dns_build_end(&b);
	assert_true(n > 0);
	return n;
}

static struct sockaddr_in
upaddr(const char *ip, uint16_t port)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	s.sin_port = htons(port);
	inet_pton(AF_INET, ip, &s.sin_addr);
	return s;
}

static void
reply_from(struct fake *k, int64_t now, const char *ip, uint8_t *pkt,
    size_t len)
{
	struct sockaddr_in sa = upaddr(ip, 53);

	dns_fwd_reply(k->f, now, 7, (struct sockaddr *)&sa, sizeof(sa), pkt,
	    len);
}

static void
assert_client_got(const struct sent *s, uint16_t id, unsigned rcode,
    uint16_t ancount)
{
	struct dns_msg m;

	assert_int_equal(s->up, -1);
	assert_int_equal(dns_msg_parse(s->pkt, s->len, true, &m), DNS_OK);
	assert_int_equal(m.id, id);
	assert_int_equal(m.flags & DNS_F_RCODE, rcode);
	assert_int_equal(m.ancount, ancount);
}

static void
forwards_with_new_id_and_restores(void **state)
{
	struct fake *k = fake_new(two_servers);
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = mkq(q, "www.example.com", DNS_T_A, 0x4242), rn;

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(k->n, 1);
	assert_int_equal(k->s[0].up, 0);
	assert_int_not_equal(dns_msg_get_id(k->s[0].pkt), 0x4242);
	rn = mka(r, &k->s[0], "203.0.113.9", DNS_RC_NOERROR);
	reply_from(k, 1010, "192.0.2.53", r, rn);
	assert_int_equal(k->n, 2);
	assert_client_got(&k->s[1], 0x4242, DNS_RC_NOERROR, 1);
	fake_free(k);
}

static void
spoofed_replies_ignored(void **state)
{
	struct fake *k = fake_new(two_servers);
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = mkq(q, "www.example.com", DNS_T_A, 0x4242), rn;
	struct sockaddr_in sa;
	uint16_t id;

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	rn = mka(r, &k->s[0], "203.0.113.9", DNS_RC_NOERROR);
	id = dns_msg_get_id(r);
	/* wrong source address */
	reply_from(k, 1001, "192.0.2.99", r, rn);
	/* the other server, to which nothing was sent */
	reply_from(k, 1001, "192.0.2.54", r, rn);
	/* wrong source port */
	sa = upaddr("192.0.2.53", 5353);
	dns_fwd_reply(k->f, 1001, 7, (struct sockaddr *)&sa, sizeof(sa), r,
	    rn);
	/* wrong socket */
	sa = upaddr("192.0.2.53", 53);
	dns_fwd_reply(k->f, 1001, 8, (struct sockaddr *)&sa, sizeof(sa), r,
	    rn);
	/* wrong id */
	dns_msg_set_id(r, (uint16_t)(id + 1));
	reply_from(k, 1001, "192.0.2.53", r, rn);
	dns_msg_set_id(r, id);
	/* wrong question */
	r[13] = 'W';
	r[14] = 'x';
	reply_from(k, 1001, "192.0.2.53", r, rn);
	r[14] = 'w';
	assert_int_equal(k->n, 1);	/* nothing reached the client */
	reply_from(k, 1002, "192.0.2.53", r, rn);
	assert_int_equal(k->n, 2);
	assert_client_got(&k->s[1], 0x4242, DNS_RC_NOERROR, 1);
	fake_free(k);
}

static void
servfail_fails_over(void **state)
{
	struct fake *k = fake_new(two_servers);
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = mkq(q, "a.example.com", DNS_T_A, 7), rn;

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	rn = mka(r, &k->s[0], NULL, DNS_RC_SERVFAIL);
	reply_from(k, 1001, "192.0.2.53", r, rn);
	assert_int_equal(k->n, 2);
	assert_int_equal(k->s[1].up, 1);	/* next server */
	rn = mka(r, &k->s[1], "203.0.113.1", DNS_RC_NOERROR);
	reply_from(k, 1002, "192.0.2.54", r, rn);
	assert_client_got(&k->s[2], 7, DNS_RC_NOERROR, 1);
	/* the good one is used first now */
	n = mkq(q, "b.example.com", DNS_T_A, 8);
	dns_fwd_query(k->f, 1003, &c, q, n);
	assert_int_equal(k->s[3].up, 1);
	fake_free(k);
}

static void
timeout_fails_over_then_expires(void **state)
{
	struct fake *k = fake_new(two_servers);
	struct dns_client c = client();
	uint8_t q[512];
	size_t n = mkq(q, "slow.example.com", DNS_T_A, 9);
	int64_t next;

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(k->n, 1);
	next = dns_fwd_tick(k->f, 1500);
	assert_int_equal(next, 1000 + DNS_FWD_RETRY_MS);
	assert_int_equal(k->n, 1);
	dns_fwd_tick(k->f, 1000 + DNS_FWD_RETRY_MS);
	assert_int_equal(k->n, 2);
	assert_int_equal(k->s[1].up, 1);
	assert_int_equal(dns_msg_get_id(k->s[1].pkt),
	    dns_msg_get_id(k->s[0].pkt));
	next = dns_fwd_tick(k->f, 3000);
	assert_int_equal(next, 1000 + DNS_FWD_TIMEOUT_MS);
	dns_fwd_tick(k->f, 1000 + DNS_FWD_TIMEOUT_MS);
	assert_int_equal(dns_fwd_tick(k->f, 20000), INT64_MAX);
	assert_null(dns_fwd_pending_by_id(k->f, dns_msg_get_id(k->s[0].pkt)));
	fake_free(k);
}

static void
client_retry_goes_to_all(void **state)
{
	struct fake *k = fake_new(two_servers);
	struct dns_client c = client();
	uint8_t q[512];
	size_t n = mkq(q, "retry.example.com", DNS_T_A, 10);

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	dns_fwd_query(k->f, 1200, &c, q, n);
	assert_int_equal(k->n, 3);
	assert_int_equal(k->s[1].up, 0);
	assert_int_equal(k->s[2].up, 1);
	fake_free(k);
}

static void
ids_are_random(void **state)
{
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "cache-size=0\n");
	struct dns_client c = client();
	uint8_t q[512];
	unsigned i, same = 0;
	uint16_t prev = 0;

	(void)state;
	for (i = 0; i < 40; i++) {
		char name[32];
		size_t n;

		snprintf(name, sizeof(name), "n%u.example.com", i);
		n = mkq(q, name, DNS_T_A, 1);
		dns_fwd_query(k->f, 1000, &c, q, n);
		if (dns_msg_get_id(k->s[i].pkt) == (uint16_t)(prev + 1))
			same++;
		prev = dns_msg_get_id(k->s[i].pkt);
	}
	assert_true(same < 3);	/* not sequential */
	fake_free(k);
}

static void
table_full_refused(void **state)
{
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "dns-forward-max=2\n");
	struct dns_client c = client();
	uint8_t q[512];
	struct dns_fwd_stats st;
	size_t n;

	(void)state;
	n = mkq(q, "a.example.com", DNS_T_A, 1);
	dns_fwd_query(k->f, 1000, &c, q, n);
	n = mkq(q, "b.example.com", DNS_T_A, 2);
	dns_fwd_query(k->f, 1000, &c, q, n);
	n = mkq(q, "c.example.com", DNS_T_A, 3);
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(k->n, 3);
	assert_client_got(&k->s[2], 3, DNS_RC_REFUSED, 0);
	dns_fwd_get_stats(k->f, &st);
	assert_int_equal(st.drops[DNS_DROP_TABLE_FULL], 1);
	fake_free(k);
}

static void
cache_answers_and_counts_down(void **state)
{
	struct fake *k = fake_new(two_servers);
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = mkq(q, "cached.example.com", DNS_T_A, 0x100), rn;
	struct dns_msg m;
	bool neg;

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	rn = mka(r, &k->s[0], "203.0.113.5", DNS_RC_NOERROR);
	reply_from(k, 1000, "192.0.2.53", r, rn);
	n = mkq(q, "CACHED.example.com", DNS_T_A, 0x101);
	dns_fwd_query(k->f, 101000, &c, q, n);
	assert_int_equal(k->n, 3);	/* no new upstream query */
	assert_client_got(&k->s[2], 0x101, DNS_RC_NOERROR, 1);
	assert_int_equal(dns_msg_parse(k->s[2].pkt, k->s[2].len, true, &m),
	    DNS_OK);
	assert_int_equal(dns_msg_cache_ttl(k->s[2].pkt, k->s[2].len, &m,
	    0, &neg), 200);
	/* expired after 300 s: forwarded again */
	dns_fwd_query(k->f, 301000, &c, q, n);
	assert_int_equal(k->s[3].up, 0);
	fake_free(k);
}

static void
local_answers(void **state)
{
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "address=/ads.test/\naddress=/local.test/198.51.100.200\n"
	    "address=/zero.test/#\nlocal=/lan/\ndomain-needed\nbogus-priv\n"
	    "host-record=printer.lan,198.51.100.9\n"
	    "cname=alias.lan,printer.lan\n");
	struct dns_client c = client();
	static const struct {
		const char *name;
		uint16_t type;
		unsigned rcode;
		uint16_t an;
	} rows[] = {
		{ "x.ads.test", DNS_T_A, DNS_RC_NXDOMAIN, 0 },
		{ "local.test", DNS_T_A, DNS_RC_NOERROR, 1 },
		{ "sub.local.test", DNS_T_A, DNS_RC_NOERROR, 1 },
		{ "zero.test", DNS_T_AAAA, DNS_RC_NOERROR, 1 },
		{ "unknown.lan", DNS_T_A, DNS_RC_NXDOMAIN, 0 },
		{ "printer.lan", DNS_T_A, DNS_RC_NOERROR, 1 },
		{ "alias.lan", DNS_T_A, DNS_RC_NOERROR, 2 },
		{ "9.100.51.198.in-addr.arpa", DNS_T_PTR, DNS_RC_NOERROR, 1 },
		{ "1.1.168.192.in-addr.arpa", DNS_T_PTR, DNS_RC_NXDOMAIN, 0 },
		{ "plainname", DNS_T_A, DNS_RC_NXDOMAIN, 0 },
		{ "laptop", DNS_T_A, DNS_RC_NOERROR, 1 },
		{ "77.100.51.198.in-addr.arpa", DNS_T_PTR, DNS_RC_NOERROR, 1 },
	};
	unsigned i;

	(void)state;
	dns_fwd_set_hosts(k->f, NULL, 0, NULL);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t q[512];
		size_t n = mkq(q, rows[i].name, rows[i].type, (uint16_t)i);

		print_message("row %s\n", rows[i].name);
		k->n = 0;
		dns_fwd_query(k->f, 1000, &c, q, n);
		assert_int_equal(k->n, 1);
		assert_client_got(&k->s[0], (uint16_t)i, rows[i].rcode,
		    rows[i].an);
	}
	fake_free(k);
}

static void
malformed_gets_formerr_or_silence(void **state)
{
	struct fake *k = fake_new(two_servers);
	struct dns_client c = client();
	uint8_t q[512];
	size_t n = mkq(q, "a.example.com", DNS_T_A, 5);
	struct dns_fwd_stats st;

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, 5);	/* no header */
	assert_int_equal(k->n, 0);
	q[12] = 0xc0;	/* pointer loop */
	q[13] = 12;
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(k->n, 1);
	assert_int_equal(k->s[0].len, 12);
	assert_int_equal(k->s[0].pkt[3] & 0x0f, DNS_RC_FORMERR);
	q[2] |= 0x80;	/* a reply sent as a query */
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(k->n, 1);
	dns_fwd_get_stats(k->f, &st);
	assert_int_equal(st.drops[DNS_DROP_MALFORMED], 3);
	fake_free(k);
}

static void
no_server_refused(void **state)
{
	struct fake *k = fake_new("no-resolv\n");
	struct dns_client c = client();
	uint8_t q[512];
	size_t n = mkq(q, "a.example.com", DNS_T_A, 5);

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_client_got(&k->s[0], 5, DNS_RC_REFUSED, 0);
	fake_free(k);
}


static void
edns_size_bounded_and_tc_for_small_clients(void **state)
{
	struct fake *k = fake_new(two_servers);
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = mkq(q, "big.example.com", DNS_T_A, 0x77), rn;
	struct dns_msg m, qm;
	struct dns_build b;
	struct in_addr a;
	unsigned i;

	(void)state;
	/* with EDNS0 4096: forwarded with 1232 */
	q[11] = 1;
	q[n++] = 0;
	q[n++] = 0;
	q[n++] = DNS_T_OPT;
	q[n++] = 0x10;
	q[n++] = 0;
	memset(q + n, 0, 6);
	n += 6;
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(dns_msg_parse(k->s[0].pkt, k->s[0].len, true, &m),
	    DNS_OK);
	assert_true(m.has_opt);
	assert_int_equal(m.opt_size, 1232);
	/* without EDNS0: a 700-byte answer reaches the client as TC */
	n = mkq(q, "big2.example.com", DNS_T_A, 0x78);
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(dns_msg_parse(k->s[1].pkt, k->s[1].len, true, &qm),
	    DNS_OK);
	assert_false(qm.has_opt);
	dns_build_begin(&b, r, sizeof(r), sizeof(r), k->s[1].pkt, &qm, 0);
	inet_pton(AF_INET, "203.0.113.1", &a);
	for (i = 0; i < 40; i++)
		dns_build_rr(&b, 1, NULL, DNS_T_A, 60, &a, 4);
	rn = dns_build_end(&b);
	assert_true(rn > 512);
	reply_from(k, 1001, "192.0.2.53", r, rn);
	assert_int_equal(k->s[2].up, -1);
	assert_true(k->s[2].len <= 512);
	assert_int_equal(dns_msg_parse(k->s[2].pkt, k->s[2].len, true, &m),
	    DNS_OK);
	assert_true(m.flags & DNS_F_TC);
	assert_int_equal(m.id, 0x78);
	fake_free(k);
}

static void
tcp_client_gets_whole_reply(void **state)
{
	struct fake *k = fake_new(two_servers);
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = mkq(q, "tcp.example.com", DNS_T_A, 0x99), rn;
	struct dns_build b;
	struct dns_msg qm, m;
	struct in_addr a;
	int conn;
	unsigned i;

	(void)state;
	c.tcp = &conn;
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(k->n, 1);
	assert_true(k->s[0].p->client.tcp == &conn);
	assert_int_equal(dns_msg_parse(k->s[0].pkt, k->s[0].len, true, &qm),
	    DNS_OK);
	dns_build_begin(&b, r, sizeof(r), sizeof(r), k->s[0].pkt, &qm, 0);
	inet_pton(AF_INET, "203.0.113.1", &a);
	for (i = 0; i < 40; i++)
		dns_build_rr(&b, 1, NULL, DNS_T_A, 60, &a, 4);
	rn = dns_build_end(&b);
	dns_fwd_reply_tcp(k->f, 1001, k->s[0].p, r, rn);
	assert_int_equal(k->s[1].len, rn);
	assert_int_equal(dns_msg_parse(k->s[1].pkt, k->s[1].len, true, &m),
	    DNS_OK);
	assert_false(m.flags & DNS_F_TC);
	assert_int_equal(m.ancount, 40);
	/* a UDP reply with the id of a TCP query is not taken */
	n = mkq(q, "tcp2.example.com", DNS_T_A, 0x9a);
	dns_fwd_query(k->f, 1002, &c, q, n);
	rn = mka(r, &k->s[2], "203.0.113.2", 0);
	reply_from(k, 1003, "192.0.2.53", r, rn);
	assert_int_equal(k->n, 3);
	dns_fwd_client_gone(k->f, &conn);
	assert_null(dns_fwd_pending_by_id(k->f, dns_msg_get_id(k->s[2].pkt)));
	fake_free(k);
}

static void
rebind_answer_stripped(void **state)
{
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "stop-dns-rebind\n");
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = mkq(q, "evil.example.com", DNS_T_A, 0x31), rn;

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	rn = mka(r, &k->s[0], "192.168.1.1", 0);
	reply_from(k, 1001, "192.0.2.53", r, rn);
	assert_client_got(&k->s[1], 0x31, DNS_RC_NOERROR, 0);
	fake_free(k);
}

/* bogus-nxdomain: NXDOMAIN, then the name is NXDOMAIN for every type
 * from the cache; ignore-address: the answer is not taken, a later one
 * for the same query is. */
static void
bogus_and_ignored_addresses(void **state)
{
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "bogus-nxdomain=8.8.8.0/24\nignore-address=203.0.113.10\n");
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n, rn;

	(void)state;
	n = mkq(q, "pub.example.com", DNS_T_A, 0x41);
	dns_fwd_query(k->f, 1000, &c, q, n);
	rn = mka(r, &k->s[0], "8.8.8.200", 0);
	reply_from(k, 1001, "192.0.2.53", r, rn);
	assert_client_got(&k->s[1], 0x41, DNS_RC_NXDOMAIN, 0);
	n = mkq(q, "PUB.example.com", DNS_T_AAAA, 0x42);
	dns_fwd_query(k->f, 2000, &c, q, n);
	assert_int_equal(k->n, 3);	/* not forwarded */
	assert_client_got(&k->s[2], 0x42, DNS_RC_NXDOMAIN, 0);
	/* 8.8.9.1 is outside the /24 */
	n = mkq(q, "other.example.com", DNS_T_A, 0x43);
	dns_fwd_query(k->f, 3000, &c, q, n);
	rn = mka(r, &k->s[3], "8.8.9.1", 0);
	reply_from(k, 3001, "192.0.2.53", r, rn);
	assert_client_got(&k->s[4], 0x43, DNS_RC_NOERROR, 1);
	/* ignored, then a good answer to the same query */
	n = mkq(q, "www.example.com", DNS_T_A, 0x44);
	dns_fwd_query(k->f, 4000, &c, q, n);
	rn = mka(r, &k->s[5], "203.0.113.10", 0);
	reply_from(k, 4001, "192.0.2.53", r, rn);
	assert_int_equal(k->n, 6);
	rn = mka(r, &k->s[5], "203.0.113.11", 0);
	reply_from(k, 4002, "192.0.2.53", r, rn);
	assert_client_got(&k->s[6], 0x44, DNS_RC_NOERROR, 1);
	fake_free(k);
}

/* filter-A: the A records leave the answer, the reply is cached whole and
 * filtered again on the way out. */
static void
filter_a_removes_and_caches(void **state)
{
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "filter-A\n");
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n, rn;

	(void)state;
	n = mkq(q, "f.example.com", DNS_T_A, 0x51);
	dns_fwd_query(k->f, 1000, &c, q, n);
	rn = mka(r, &k->s[0], "203.0.113.5", 0);
	reply_from(k, 1001, "192.0.2.53", r, rn);
	assert_client_got(&k->s[1], 0x51, DNS_RC_NOERROR, 0);
	n = mkq(q, "f.example.com", DNS_T_A, 0x52);
	dns_fwd_query(k->f, 2000, &c, q, n);
	assert_int_equal(k->n, 3);	/* from the cache */
	assert_client_got(&k->s[2], 0x52, DNS_RC_NOERROR, 0);
	fake_free(k);
}

/* No server could be sent the query: REFUSED (forward.c EDE_NETERR). */
static void
unreachable_server_refused(void **state)
{
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n");
	struct dns_client c = client();
	uint8_t q[512];
	size_t n = mkq(q, "a.example.com", DNS_T_A, 6);

	(void)state;
	k->fail_up = 0;
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_client_got(&k->s[0], 6, DNS_RC_REFUSED, 0);
	fake_free(k);
}

/* rebind-domain-ok (dnsmasq's domain_no_rebind()): a private answer for
 * a name in (or below, whole labels) a listed domain is kept. */
static const struct {
	const char *row;
	const char *conf;	/* added to the stop-dns-rebind config */
	const char *qname;
	uint16_t ancount;	/* 1 kept, 0 stripped */
} rebind_ok_rows[] = {
	{ "the domain itself", "rebind-domain-ok=/ok.example/\n",
	    "ok.example", 1 },
	{ "a name below it", "rebind-domain-ok=/ok.example/\n",
	    "www.ok.example", 1 },
	{ "two labels below", "rebind-domain-ok=ok.example\n",
	    "a.b.ok.example", 1 },
	{ "case-insensitive", "rebind-domain-ok=/Ok.Example./\n",
	    "WWW.oK.example", 1 },
	{ "whole labels only", "rebind-domain-ok=/ok.example/\n",
	    "notok.example", 0 },
	{ "a sibling", "rebind-domain-ok=/ok.example/\n",
	    "other.example", 0 },
	{ "the parent", "rebind-domain-ok=/ok.example/\n",
	    "example", 0 },
	{ "a longer name ending elsewhere",
	    "rebind-domain-ok=/ok.example/\n", "ok.example.com", 0 },
	{ "list form, first", "rebind-domain-ok=/a.example/b.example/\n",
	    "x.a.example", 1 },
	{ "list form, second", "rebind-domain-ok=/a.example/b.example/\n",
	    "x.b.example", 1 },
	{ "two lines", "rebind-domain-ok=a.example\nrebind-domain-ok=c\n",
	    "x.c", 1 },
	{ "empty domain: a single label", "rebind-domain-ok=//\n",
	    "printer", 1 },
	{ "empty domain: not a dotted name", "rebind-domain-ok=//\n",
	    "printer.lan", 0 },
	{ "bad domain ignored, no crash", "rebind-domain-ok=/Xn--bad/\n",
	    "xn--bad", 0 },
	{ "bad domain ignored, the next kept",
	    "rebind-domain-ok=/Xn--bad/ok.example/\n", "ok.example", 1 },
	{ "no rebind-domain-ok", "", "ok.example", 0 },
};

static void
rebind_domain_ok(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(rebind_ok_rows) / sizeof(rebind_ok_rows[0]);
	    i++) {
		char conf[256];
		struct fake *k;
		struct dns_client c = client();
		uint8_t q[512], r[1500];
		size_t n, rn;

		print_message("row: %s\n", rebind_ok_rows[i].row);
		snprintf(conf, sizeof(conf), "no-resolv\nserver=192.0.2.53\n"
		    "stop-dns-rebind\n%s", rebind_ok_rows[i].conf);
		k = fake_new(conf);
		n = mkq(q, rebind_ok_rows[i].qname, DNS_T_A, 0x41);
		dns_fwd_query(k->f, 1000, &c, q, n);
		assert_int_equal(k->n, 1);
		rn = mka(r, &k->s[0], "192.168.1.1", 0);
		reply_from(k, 1001, "192.0.2.53", r, rn);
		assert_client_got(&k->s[1], 0x41, DNS_RC_NOERROR,
		    rebind_ok_rows[i].ancount);
		fake_free(k);
	}
}

static void
domain_servers_and_order(void **state)
{
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "server=192.0.2.54\nserver=/corp.example/192.0.2.55\n"
	    "strict-order\n");
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n, rn;

	(void)state;
	n = mkq(q, "www.corp.example", DNS_T_A, 1);
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_string_equal(dns_fwd_upstream(k->f,
	    (unsigned)k->s[0].up)->label, "192.0.2.55");
	n = mkq(q, "www.other.example", DNS_T_A, 2);
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(k->s[1].up, 0);	/* strict order: the first */
	fake_free(k);
	k = fake_new("no-resolv\nserver=192.0.2.53\nserver=192.0.2.54\n"
	    "all-servers\n");
	n = mkq(q, "www.other.example", DNS_T_A, 3);
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(k->n, 2);	/* both at once */
	/* one SERVFAIL: the other's answer is awaited */
	rn = mka(r, &k->s[0], NULL, DNS_RC_SERVFAIL);
	reply_from(k, 1001, "192.0.2.53", r, rn);
	assert_int_equal(k->n, 2);
	rn = mka(r, &k->s[1], "203.0.113.3", DNS_RC_NOERROR);
	reply_from(k, 1002, "192.0.2.54", r, rn);
	assert_client_got(&k->s[2], 3, DNS_RC_NOERROR, 1);
	fake_free(k);
}

/* --- TTL options and edns-packet-max (option.c, rfc1035.c, cache.c) --- */

struct ttl_list {
	unsigned n;
	uint32_t ttl[8];
	uint16_t type[8];
};

static bool
ttl_cb(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct ttl_list *l = arg;

	(void)pkt;
	if (rr->type != DNS_T_OPT && l->n < 8) {
		l->type[l->n] = rr->type;
		l->ttl[l->n++] = rr->ttl;
	}
	return true;
}

/* The TTLs of the records (OPT aside) of a sent message. */
static struct ttl_list
ttls_of(const struct sent *s)
{
	struct ttl_list l;
	struct dns_msg m;

	memset(&l, 0, sizeof(l));
	assert_int_equal(dns_msg_parse(s->pkt, s->len, true, &m), DNS_OK);
	assert_int_equal(dns_msg_walk(s->pkt, s->len, &m, false, ttl_cb, &l),
	    DNS_OK);
	return l;
}

/* The upstream's answer: an A record with ttl (addr non-NULL), and for a
 * negative one an SOA (minimum soa_min) unless soa_min is -1. */
static size_t
mkttl(uint8_t *out, const struct sent *s, const char *addr, uint32_t ttl,
    uint8_t rcode, long soa_min)
{
	/* root MNAME and RNAME, SERIAL 1, REFRESH 2, RETRY 3, EXPIRE 4,
	 * MINIMUM in the last byte */
	static uint8_t soa[22] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
	    0, 0, 0, 4 };
	struct dns_msg q;
	struct dns_build b;
	struct in_addr a;
	size_t n;

	assert_int_equal(dns_msg_parse(s->pkt, s->len, true, &q), DNS_OK);
	dns_build_begin(&b, out, 1500, 1500, s->pkt, &q, rcode);
	if (addr != NULL) {
		inet_pton(AF_INET, addr, &a);
		dns_build_rr(&b, 1, NULL, DNS_T_A, ttl, &a, 4);
	}
	if (soa_min >= 0) {
		soa[21] = (uint8_t)soa_min;
		dns_build_rr(&b, 2, "", DNS_T_SOA, 3600, soa, sizeof(soa));
	}
	n = dns_build_end(&b);
	assert_true(n > 0);
	return n;
}

/* local-ttl for hosts, address=, host-record, cname; dhcp-ttl (else
 * local-ttl) for lease names and their PTR. */
static void
local_ttls(void **state)
{
	static const char base[] = "no-resolv\nserver=192.0.2.53\n"
	    "address=/local.test/198.51.100.200\naddress=/zero.test/#\n"
	    "host-record=printer.lan,198.51.100.9\n"
	    "host-record=scanner.lan,198.51.100.10,300\n"
	    "cname=alias.lan,printer.lan\ncname=leased.lan,laptop,90\n";
	static const struct {
		const char *conf;	/* after base */
		const char *name;
		uint16_t type;
		unsigned n;
		uint32_t ttl[2];
		uint32_t left;		/* the lease's time left, 0: 3600 */
	} rows[] = {
		{ "", "local.test", DNS_T_A, 1, { 0 }, 0 },
		{ "", "printer.lan", DNS_T_A, 1, { 0 }, 0 },
		{ "", "laptop", DNS_T_A, 1, { 0 }, 0 },
		{ "local-ttl=60\n", "local.test", DNS_T_A, 1, { 60 }, 0 },
		{ "local-ttl=60\n", "zero.test", DNS_T_AAAA, 1, { 60 }, 0 },
		{ "local-ttl=60\n", "printer.lan", DNS_T_A, 1, { 60 }, 0 },
		{ "local-ttl=60\n", "scanner.lan", DNS_T_A, 1, { 300 }, 0 },
		{ "local-ttl=60\n", "9.100.51.198.in-addr.arpa", DNS_T_PTR, 1,
		  { 60 }, 0 },
		{ "local-ttl=60\n", "alias.lan", DNS_T_A, 2, { 60, 60 }, 0 },
		{ "local-ttl=60\n", "laptop", DNS_T_A, 1, { 60 }, 0 },
		{ "local-ttl=60\ndhcp-ttl=30\n", "laptop", DNS_T_A, 1, { 30 },
		  0 },
		{ "local-ttl=60\ndhcp-ttl=30\n", "77.100.51.198.in-addr.arpa",
		  DNS_T_PTR, 1, { 30 }, 0 },
		{ "local-ttl=60\ndhcp-ttl=30\n", "leased.lan", DNS_T_A, 2,
		  { 90, 30 }, 0 },
		{ "local-ttl=60\ndhcp-ttl=0\n", "laptop", DNS_T_A, 1, { 0 }, 0 },
		{ "dhcp-ttl=30\n", "printer.lan", DNS_T_A, 1, { 0 }, 0 },
		{ "local-ttl=60\nmax-ttl=10\n", "local.test", DNS_T_A, 1,
		  { 60 }, 0 },
		/* a lease with less time left than dhcp-ttl: that time */
		{ "dhcp-ttl=30\n", "laptop", DNS_T_A, 1, { 20 }, 20 },
		{ "dhcp-ttl=30\n", "77.100.51.198.in-addr.arpa", DNS_T_PTR, 1,
		  { 20 }, 20 },
		{ "dhcp-ttl=30\n", "laptop", DNS_T_A, 1, { 30 }, UINT32_MAX },
		{ "dhcp-ttl=0\n", "laptop", DNS_T_A, 1, { 0 }, 20 },
	};
	struct dns_client c = client();
	unsigned i, j;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char conf[1024];
		struct fake *k;
		struct ttl_list l;
		uint8_t q[512];
		size_t n = mkq(q, rows[i].name, rows[i].type, 1);

		print_message("row %u: %s%s\n", i, rows[i].conf, rows[i].name);
		snprintf(conf, sizeof(conf), "%s%s", base, rows[i].conf);
		k = fake_new(conf);
		if (rows[i].left != 0)
			k->lease_left = rows[i].left;
		dns_fwd_set_hosts(k->f, NULL, 0, NULL);
		dns_fwd_query(k->f, 1000, &c, q, n);
		assert_int_equal(k->n, 1);
		assert_int_equal(k->s[0].up, -1);
		l = ttls_of(&k->s[0]);
		assert_int_equal(l.n, rows[i].n);
		for (j = 0; j < l.n; j++)
			assert_int_equal(l.ttl[j], rows[i].ttl[j]);
		fake_free(k);
	}
}

/* One forwarded query and answer for "t.example.com", then the same
 * question at each later time: rows of (seconds after, forwarded again?,
 * TTL seen or -1). */
struct ttl_step {
	int64_t at_s;
	bool forwarded;
	long ttl;
};

static void
run_cache_steps(const char *conf, const char *addr, uint32_t ttl,
    uint8_t rcode, long soa_min, long first_ttl,
    const struct ttl_step *steps, unsigned n_steps)
{
	struct fake *k;
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = mkq(q, "t.example.com", DNS_T_A, 0x55), rn;
	char full[512];
	unsigned i, before;
	struct ttl_list l;

	snprintf(full, sizeof(full), "no-resolv\nserver=192.0.2.53\n%s", conf);
	k = fake_new(full);
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(k->n, 1);
	rn = mkttl(r, &k->s[0], addr, ttl, rcode, soa_min);
	reply_from(k, 1000, "192.0.2.53", r, rn);
	assert_int_equal(k->n, 2);
	l = ttls_of(&k->s[1]);
	if (first_ttl >= 0) {
		assert_true(l.n >= 1);
		assert_int_equal(l.ttl[0], first_ttl);
	}
	for (i = 0; i < n_steps; i++) {
		print_message("%s: step %u at +%lds\n", conf, i,
		    (long)steps[i].at_s);
		before = k->n;
		dns_fwd_query(k->f, 1000 + steps[i].at_s * 1000, &c, q, n);
		assert_int_equal(k->n, before + 1);
		if (steps[i].forwarded) {
			assert_int_not_equal(k->s[before].up, -1);
			/* answer it again, as the first time */
			rn = mkttl(r, &k->s[before], addr, ttl, rcode, soa_min);
			reply_from(k, 1000 + steps[i].at_s * 1000, "192.0.2.53",
			    r, rn);
			continue;
		}
		assert_int_equal(k->s[before].up, -1);
		if (steps[i].ttl >= 0) {
			l = ttls_of(&k->s[before]);
			assert_true(l.n >= 1);
			assert_int_equal(l.ttl[0], steps[i].ttl);
		}
	}
	fake_free(k);
}

/* max-ttl: the client never sees more, first answer or cached; the
 * cache keeps the true TTL. */
static void
max_ttl_caps(void **state)
{
	static const struct ttl_step st[] = {
		{ 10, false, 100 }, { 250, false, 50 }, { 301, true, -1 },
	};
	static const struct ttl_step plain[] = { { 10, false, 290 } };

	(void)state;
	run_cache_steps("max-ttl=100\n", "203.0.113.1", 300, 0, -1, 100, st,
	    3);
	run_cache_steps("", "203.0.113.1", 300, 0, -1, 300, plain, 1);
}

/* max-cache-ttl: kept at most that long, counting down from it;
 * min-cache-ttl: kept at least that long (the first answer unchanged). */
static void
cache_ttl_bounds(void **state)
{
	static const struct ttl_step maxc[] = {
		{ 10, false, 90 }, { 101, true, -1 },
	};
	static const struct ttl_step minc[] = {
		{ 10, false, 50 }, { 59, false, 1 }, { 61, true, -1 },
	};
	static const struct ttl_step plain5[] = { { 6, true, -1 } };
	static const struct ttl_step zero[] = { { 1, false, 59 } };

	(void)state;
	run_cache_steps("max-cache-ttl=100\n", "203.0.113.1", 300, 0, -1, 300,
	    maxc, 2);
	run_cache_steps("min-cache-ttl=60\n", "203.0.113.1", 5, 0, -1, 5,
	    minc, 3);
	run_cache_steps("", "203.0.113.1", 5, 0, -1, 5, plain5, 1);
	/* a TTL 0 answer is kept too (cache.c: raised before the check) */
	run_cache_steps("min-cache-ttl=60\n", "203.0.113.1", 0, 0, -1, 0,
	    zero, 1);
}

/* neg-ttl: a negative answer without SOA is kept that long; without it,
 * not at all; no-negcache: no negative answer is kept. */
static void
neg_ttl_and_no_negcache(void **state)
{
	static const struct ttl_step fwd[] = { { 1, true, -1 } };
	static const struct ttl_step neg60[] = {
		{ 30, false, -1 }, { 61, true, -1 },
	};
	static const struct ttl_step soa30[] = {
		{ 10, false, -1 }, { 31, true, -1 },
	};

	(void)state;
	run_cache_steps("", NULL, 0, DNS_RC_NXDOMAIN, -1, -1, fwd, 1);
	run_cache_steps("neg-ttl=60\n", NULL, 0, DNS_RC_NXDOMAIN, -1, -1,
	    neg60, 2);
	run_cache_steps("neg-ttl=60\n", NULL, 0, DNS_RC_NOERROR, -1, -1,
	    neg60, 2);
	/* an SOA's minimum wins over neg-ttl */
	run_cache_steps("neg-ttl=60\n", NULL, 0, DNS_RC_NXDOMAIN, 30, -1,
	    soa30, 2);
	run_cache_steps("", NULL, 0, DNS_RC_NXDOMAIN, 30, -1, soa30, 2);
	run_cache_steps("no-negcache\n", NULL, 0, DNS_RC_NXDOMAIN, 30, -1,
	    fwd, 1);
	run_cache_steps("no-negcache\nneg-ttl=60\n", NULL, 0,
	    DNS_RC_NXDOMAIN, -1, -1, fwd, 1);
	/* min-cache-ttl keeps a negative answer without TTL (cache.c
	 * raises 0), except for PTR (rfc1035.c asks for a TTL first) */
	run_cache_steps("min-cache-ttl=60\n", NULL, 0, DNS_RC_NXDOMAIN, -1,
	    -1, neg60, 2);
	/* positive answers are still kept */
	run_cache_steps("no-negcache\n", "203.0.113.1", 300, 0, -1, 300,
	    soa30, 1);
}

/* A negative PTR reply without SOA is not kept even with min-cache-ttl
 * (rfc1035.c inserts it only with a TTL). */
static void
neg_ptr_needs_ttl(void **state)
{
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "min-cache-ttl=60\n");
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = mkq(q, "4.3.2.1.in-addr.arpa", DNS_T_PTR, 3), rn;

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	rn = mkttl(r, &k->s[0], NULL, 0, DNS_RC_NXDOMAIN, -1);
	reply_from(k, 1000, "192.0.2.53", r, rn);
	assert_client_got(&k->s[1], 3, DNS_RC_NXDOMAIN, 0);
	dns_fwd_query(k->f, 2000, &c, q, n);
	assert_int_equal(k->s[2].up, 0);	/* asked again */
	fake_free(k);
}

/* neg-ttl with another zone's SOA: kept for neg-ttl, and answered from
 * the cache without that SOA (rfc1035.c find_soa(), F_NO_RR). */
static void
neg_foreign_soa(void **state)
{
	static const uint8_t soa[22] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0,
	    0, 3, 0, 0, 0, 4, 0, 0, 0, 30 };
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "neg-ttl=60\n");
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = mkq(q, "t.example.com", DNS_T_A, 4), rn;
	struct dns_msg qm, m;
	struct dns_build b;

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(dns_msg_parse(k->s[0].pkt, k->s[0].len, true, &qm),
	    DNS_OK);
	dns_build_begin(&b, r, sizeof(r), sizeof(r), k->s[0].pkt, &qm,
	    DNS_RC_NXDOMAIN);
	dns_build_rr(&b, 2, "other.test", DNS_T_SOA, 300, soa, sizeof(soa));
	rn = dns_build_end(&b);
	reply_from(k, 1000, "192.0.2.53", r, rn);
	assert_int_equal(dns_msg_parse(k->s[1].pkt, k->s[1].len, true, &m),
	    DNS_OK);
	assert_int_equal(m.nscount, 1);		/* relayed as it came */
	dns_fwd_query(k->f, 50000, &c, q, n);	/* after 30 s, before 60 */
	assert_int_equal(k->s[2].up, -1);
	assert_int_equal(dns_msg_parse(k->s[2].pkt, k->s[2].len, true, &m),
	    DNS_OK);
	assert_int_equal(m.flags & DNS_F_RCODE, DNS_RC_NXDOMAIN);
	assert_int_equal(m.nscount, 0);
	dns_fwd_query(k->f, 62000, &c, q, n);
	assert_int_equal(k->s[3].up, 0);	/* gone after 60 s */
	fake_free(k);
}

/* Appends an OPT record of size to a query. */
static size_t
add_opt(uint8_t *q, size_t n, uint16_t size)
{
	q[11] = 1;
	q[n++] = 0;
	q[n++] = 0;
	q[n++] = DNS_T_OPT;
	q[n++] = (uint8_t)(size >> 8);
	q[n++] = (uint8_t)size;
	memset(q + n, 0, 6);
	return n + 6;
}

/* edns-packet-max: the size sent upstream, advertised to clients and
 * the most a UDP answer may take; under 512 it is 512. */
static void
edns_packet_max_applies(void **state)
{
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "edns-packet-max=600\naddress=/local.test/198.51.100.1\n");
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	size_t n = add_opt(q, mkq(q, "big.example.com", DNS_T_A, 0x77), 4096);
	size_t rn;
	struct dns_msg m, qm;
	struct dns_build b;
	struct in_addr a;
	unsigned i;

	(void)state;
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(dns_msg_parse(k->s[0].pkt, k->s[0].len, true, &qm),
	    DNS_OK);
	assert_true(qm.has_opt);
	assert_int_equal(qm.opt_size, 600);
	/* 40 A records (about 700 bytes) with the upstream's OPT 1232 */
	dns_build_begin(&b, r, sizeof(r), sizeof(r), k->s[0].pkt, &qm, 0);
	inet_pton(AF_INET, "203.0.113.1", &a);
	for (i = 0; i < 40; i++)
		dns_build_rr(&b, 1, NULL, DNS_T_A, 60, &a, 4);
	dns_build_opt(&b, 1232, false);
	rn = dns_build_end(&b);
	assert_true(rn > 600 && rn < 1232);
	reply_from(k, 1001, "192.0.2.53", r, rn);
	assert_true(k->s[1].len <= 600);
	assert_int_equal(dns_msg_parse(k->s[1].pkt, k->s[1].len, true, &m),
	    DNS_OK);
	assert_true(m.flags & DNS_F_TC);
	/* a small answer: the upstream's OPT 1232 trimmed to 600 */
	n = add_opt(q, mkq(q, "small.example.com", DNS_T_A, 0x7a), 4096);
	dns_fwd_query(k->f, 1001, &c, q, n);
	assert_int_equal(dns_msg_parse(k->s[2].pkt, k->s[2].len, true, &qm),
	    DNS_OK);
	dns_build_begin(&b, r, sizeof(r), sizeof(r), k->s[2].pkt, &qm, 0);
	dns_build_rr(&b, 1, NULL, DNS_T_A, 60, &a, 4);
	dns_build_opt(&b, 1232, false);
	rn = dns_build_end(&b);
	reply_from(k, 1001, "192.0.2.53", r, rn);
	assert_int_equal(dns_msg_parse(k->s[3].pkt, k->s[3].len, true, &m),
	    DNS_OK);
	assert_int_equal(m.ancount, 1);
	assert_true(m.has_opt);
	assert_int_equal(m.opt_size, 600);
	/* a local answer advertises 600 */
	n = add_opt(q, mkq(q, "local.test", DNS_T_A, 0x78), 4096);
	dns_fwd_query(k->f, 1002, &c, q, n);
	assert_int_equal(dns_msg_parse(k->s[4].pkt, k->s[4].len, true, &m),
	    DNS_OK);
	assert_int_equal(m.opt_size, 600);
	fake_free(k);
	/* under 512: 512 (dnsmasq.c) */
	k = fake_new("no-resolv\nserver=192.0.2.53\nedns-packet-max=100\n");
	n = add_opt(q, mkq(q, "x.example.com", DNS_T_A, 0x79), 4096);
	dns_fwd_query(k->f, 1000, &c, q, n);
	assert_int_equal(dns_msg_parse(k->s[0].pkt, k->s[0].len, true, &qm),
	    DNS_OK);
	assert_int_equal(qm.opt_size, 512);
	fake_free(k);
}

/* forward.c: an upstream NXDOMAIN for a name known here (a txt-record,
 * a host-record, an address=/D/IP domain) becomes NODATA with AA; other
 * names keep it. */
static void
nxdomain_for_local_name_is_nodata(void **state)
{
	static const char *const names[] = { "txt.test", "test", "h.test",
	    "x.addr.test", "other.test" };
	struct fake *k = fake_new("no-resolv\nserver=192.0.2.53\n"
	    "txt-record=txt.test,x\nhost-record=h.test,192.0.2.9\n"
	    "address=/addr.test/192.0.2.10\n");
	struct dns_client c = client();
	uint8_t q[512], r[1500];
	struct dns_msg m;
	size_t n, rn, i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		k->n = 0;
		n = mkq(q, names[i], DNS_T_MX, (uint16_t)(0x100 + i));
		dns_fwd_query(k->f, 1000, &c, q, n);
		assert_int_equal(k->n, 1);
		assert_int_equal(k->s[0].up, 0);
		rn = mka(r, &k->s[0], NULL, DNS_RC_NXDOMAIN);
		reply_from(k, 1001, "192.0.2.53", r, rn);
		assert_int_equal(k->n, 2);
		assert_int_equal(dns_msg_parse(k->s[1].pkt, k->s[1].len, true,
		    &m), DNS_OK);
		if (i + 1 < sizeof(names) / sizeof(names[0])) {
			assert_int_equal(m.flags & DNS_F_RCODE, DNS_RC_NOERROR);
			assert_true(m.flags & DNS_F_AA);
		} else {
			assert_int_equal(m.flags & DNS_F_RCODE,
			    DNS_RC_NXDOMAIN);
		}
	}
	fake_free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forwards_with_new_id_and_restores),
		cmocka_unit_test(spoofed_replies_ignored),
		cmocka_unit_test(servfail_fails_over),
		cmocka_unit_test(timeout_fails_over_then_expires),
		cmocka_unit_test(client_retry_goes_to_all),
		cmocka_unit_test(ids_are_random),
		cmocka_unit_test(table_full_refused),
		cmocka_unit_test(cache_answers_and_counts_down),
		cmocka_unit_test(local_answers),
		cmocka_unit_test(malformed_gets_formerr_or_silence),
		cmocka_unit_test(no_server_refused),
		cmocka_unit_test(edns_size_bounded_and_tc_for_small_clients),
		cmocka_unit_test(tcp_client_gets_whole_reply),
		cmocka_unit_test(rebind_answer_stripped),
		cmocka_unit_test(rebind_domain_ok),
		cmocka_unit_test(domain_servers_and_order),
		cmocka_unit_test(bogus_and_ignored_addresses),
		cmocka_unit_test(unreachable_server_refused),
		cmocka_unit_test(filter_a_removes_and_caches),
		cmocka_unit_test(local_ttls),
		cmocka_unit_test(max_ttl_caps),
		cmocka_unit_test(cache_ttl_bounds),
		cmocka_unit_test(neg_ttl_and_no_negcache),
		cmocka_unit_test(neg_ptr_needs_ttl),
		cmocka_unit_test(neg_foreign_soa),
		cmocka_unit_test(edns_packet_max_applies),
		cmocka_unit_test(nxdomain_for_local_name_is_nodata),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
