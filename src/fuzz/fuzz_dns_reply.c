/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_dns_reply.c - an upstream's reply on arbitrary bytes: the codec
 * (parse, walk, cache TTL, ageing, OPT strip, truncation) and the
 * forwarder's reply path (a query for www.example.com A is pending; the
 * input's first two bytes are replaced by its id, so it gets past the id
 * check).
 * Invariants: whatever reaches the client parses with the client's id
 * and question and fits 512 bytes (the query had no EDNS0); ageing never
 * raises a TTL; strip and truncate only shorten.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dns_fwd.h"
#include "dns_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(x) \
	do { \
		if (!(x)) \
			abort(); \
	} while (0)

static const char *const fuzz_opts[] = {
	"pxemasq", "--test", "-C", "/dev/null", "--no-resolv",
	"--server=192.0.2.53", "--server=192.0.2.54", "--log-queries",
	"--filter-AAAA", "--filter-rr=TXT", "--bogus-nxdomain=8.8.8.0/24",
	"--ignore-address=1.2.3.4", "--stop-dns-rebind", NULL,
};

static struct conf *fuzz_cf;
static uint32_t fuzz_seed = 7;
static uint16_t fuzz_id;
static unsigned fuzz_to_client;

static uint32_t
fuzz_random(void *arg)
{
	(void)arg;
	fuzz_seed = fuzz_seed * 1103515245u + 12345u;
	return fuzz_seed >> 8;
}

static int
fuzz_send_up(void *arg, struct dns_pending *p, const struct dns_upstream *u,
    const uint8_t *pkt, size_t len)
{
	(void)arg;
	(void)u;
	(void)len;
	p->sock = 1;
	fuzz_id = dns_msg_get_id(pkt);
	return 0;
}

static void
fuzz_send_client(void *arg, const struct dns_client *c, const uint8_t *pkt,
    size_t len)
{
	struct dns_msg m;

	(void)arg;
	(void)c;
	fuzz_to_client++;
	FUZZ_CHECK(len <= 512);
	FUZZ_CHECK(dns_msg_parse(pkt, len, true, &m) == DNS_OK);
	FUZZ_CHECK(m.id == 0x5151);
	FUZZ_CHECK(dns_name_eq(m.qname, "www.example.com"));
}

static bool
fuzz_drop_cb(void *arg, const struct dns_rr *rr)
{
	unsigned *n = arg;

	if (rr->type != DNS_T_AAAA && rr->type != DNS_T_TXT)
		return false;
	(*n)++;
	return true;
}

/* Records removed from the answer section: what is left still parses,
 * is no longer, and holds as many fewer answers as were removed. */
static void
fuzz_drop(const uint8_t *data, size_t size)
{
	static uint8_t buf[65536 + 6];
	struct dns_msg m;
	unsigned asked = 0, removed;
	uint16_t an;
	size_t n = size;

	if (dns_msg_parse(data, size, true, &m) != DNS_OK)
		return;
	memcpy(buf, data, size);
	an = m.ancount;
	removed = dns_msg_drop_answers(buf, &n, &m, fuzz_drop_cb, &asked);
	FUZZ_CHECK(removed == 0 || removed == asked);
	FUZZ_CHECK(n <= size);
	if (removed == 0) {
		FUZZ_CHECK(n == size && memcmp(buf, data, size) == 0);
		return;
	}
	FUZZ_CHECK(dns_msg_parse(buf, n, true, &m) == DNS_OK);
	FUZZ_CHECK(m.ancount + removed == an);
	n = dns_msg_add_ede(buf, n, n + 6, &m, DNS_EDE_FILTERED);
	FUZZ_CHECK(dns_msg_parse(buf, n, true, &m) == DNS_OK);
}

static void
fuzz_codec(const uint8_t *data, size_t size)
{
	static uint8_t buf[65536];
	struct dns_msg m;
	uint32_t t1, t2;
	bool neg;
	size_t n;

	if (size > sizeof(buf) || dns_msg_parse(data, size, true, &m) !=
	    DNS_OK)
		return;
	memcpy(buf, data, size);
	t1 = dns_msg_cache_ttl(buf, size, &m, 0, &neg);
	dns_msg_age(buf, size, &m, 17);
	t2 = dns_msg_cache_ttl(buf, size, &m, 0, &neg);
	FUZZ_CHECK(t2 <= t1);
	/* min-cache-ttl 30, max-cache-ttl 60: every TTL within, so the
	 * reply's is at most 60 (an SOA's MINIMUM field may be less) */
	dns_msg_ttl_bound(buf, size, &m, DNS_SEC_ALL, 30, 60);
	t2 = dns_msg_cache_ttl(buf, size, &m, 40, &neg);
	FUZZ_CHECK(t2 <= 60);
	(void)dns_msg_has_private(buf, size, &m);
	(void)dns_msg_neg_has_soa(buf, size, &m);
	n = dns_msg_strip_opt(buf, size, &m);
	FUZZ_CHECK(n <= size);
	n = dns_msg_truncate(buf, &m);
	FUZZ_CHECK(n <= size);
	FUZZ_CHECK(dns_msg_parse(buf, n, true, &m) == DNS_OK);
}

static size_t
fuzz_query(uint8_t *p)
{
	static const uint8_t q[] = { 0x51, 0x51, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
	    3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c',
	    'o', 'm', 0, 0, 1, 0, 1 };

	memcpy(p, q, sizeof(q));
	return sizeof(q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_fwd_io io = {
		.random = fuzz_random,
		.send_up = fuzz_send_up,
		.send_client = fuzz_send_client,
	};
	static uint8_t buf[65536];
	struct sockaddr_in up;
	struct sockaddr_in *s;
	struct dns_client c;
	struct dns_fwd *f;
	uint8_t q[64];
	size_t qn;

	if (fuzz_cf == NULL) {
		static char *argv[sizeof(fuzz_opts) / sizeof(fuzz_opts[0])];
		struct conf_result res;
		int argc = 0;

		for (; fuzz_opts[argc] != NULL; argc++)
			FUZZ_CHECK((argv[argc] = strdup(fuzz_opts[argc])) !=
			    NULL);
		fuzz_cf = conf_load(argc, argv, &res);
		FUZZ_CHECK(fuzz_cf != NULL);
	}
	fuzz_codec(data, size);
	fuzz_drop(data, size);
	if (size < 2 || size > sizeof(buf))
		return 0;
	memset(&c, 0, sizeof(c));
	s = (struct sockaddr_in *)&c.sa;
	s->sin_family = AF_INET;
	c.salen = sizeof(*s);
	c.family = AF_INET;
	f = dns_fwd_new(fuzz_cf, &io);
	FUZZ_CHECK(f != NULL);
	qn = fuzz_query(q);
	dns_fwd_query(f, 1000, &c, q, qn);
	memcpy(buf, data, size);
	dns_msg_set_id(buf, fuzz_id);
	memset(&up, 0, sizeof(up));
	up.sin_family = AF_INET;
	up.sin_port = htons(53);
	inet_pton(AF_INET, "192.0.2.53", &up.sin_addr);
	fuzz_to_client = 0;
	dns_fwd_reply(f, 1001, 1, (struct sockaddr *)&up, sizeof(up), buf,
	    size);
	/* a second reply for the same query is never delivered twice */
	memcpy(buf, data, size);
	dns_msg_set_id(buf, fuzz_id);
	dns_fwd_reply(f, 1002, 1, (struct sockaddr *)&up, sizeof(up), buf,
	    size);
	FUZZ_CHECK(fuzz_to_client <= 1);
	dns_fwd_free(f);
	return 0;
}
