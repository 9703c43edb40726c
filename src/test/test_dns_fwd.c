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
	};

	assert_non_null(k);
	k->seed = 2463534242u;
	k->fail_up = -1;
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
	    &neg), 200);
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
		cmocka_unit_test(domain_servers_and_order),
		cmocka_unit_test(nxdomain_for_local_name_is_nodata),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
