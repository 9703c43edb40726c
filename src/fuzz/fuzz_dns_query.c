/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_dns_query.c - dns_fwd_query() on arbitrary bytes from a client,
 * with local data (address=, local=, host-record, cname), a cache and two
 * upstreams behind fake sockets.
 * Invariants: every reply to the client parses, carries the query's id
 * and question, and fits the client's size (512 without EDNS0, else its
 * size bounded to [512, 1232]); a forwarded query parses, with the same
 * question and an EDNS0 size within [512, 1232]; nothing leaks.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dns_fwd.h"
#include "dns_local.h"
#include "dns_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(x) \
	do { \
		if (!(x)) \
			abort(); \
	} while (0)

static const char *const fuzz_opts[] = {
	"pxemasq", "--test", "-C", "/dev/null", "--no-resolv",
	"--server=192.0.2.53", "--server=/sub.example/192.0.2.54",
	"--address=/ads.test/", "--address=/local.test/198.51.100.200",
	"--address=/zero.test/#", "--local=/lan/", "--domain-needed",
	"--bogus-priv", "--stop-dns-rebind", "--log-queries",
	"--host-record=printer.lan,198.51.100.9,2001:db8::9",
	"--cname=alias.lan,printer.lan",
	"--txt-record=txt.lan,\"v=spf1 -all\",two",
	"--ptr-record=_http._tcp.lan,printer.lan",
	"--ptr-record=10.100.51.198.in-addr.arpa,ptr.lan",
	"--srv-host=_ipp._tcp.lan,printer.lan,631,1,2",
	"--srv-host=_ipp._tcp.lan,other.lan,632", "--srv-host=_none._tcp.lan",
	"--mx-host=mail.lan,printer.lan,5", "--mx-host=mail2.lan",
	"--mx-target=mx.lan", "--localmx",
	"--naptr-record=naptr.lan,10,20,U,E2U+sip,!^.*$!sip:x@lan!",
	"--caa-record=caa.lan,0,issue,ca.test",
	"--dns-rr=raw.lan,65280,0a:0b",
	"--interface-name=if.lan,eth9", "--cname=talias.lan,txt.lan", NULL,
};

static struct conf *fuzz_cf;
static const uint8_t *fuzz_q;
static size_t fuzz_qlen;
static struct dns_msg fuzz_qm;
static uint32_t fuzz_seed = 1;

static uint32_t
fuzz_random(void *arg)
{
	(void)arg;
	fuzz_seed = fuzz_seed * 1103515245u + 12345u;
	return fuzz_seed >> 8;
}

static size_t
fuzz_limit(const struct dns_msg *q)
{
	if (!q->has_opt)
		return 512;
	if (q->opt_size > 1232)
		return 1232;
	return q->opt_size < 512 ? 512 : q->opt_size;
}

static int
fuzz_send_up(void *arg, struct dns_pending *p, const struct dns_upstream *u,
    const uint8_t *pkt, size_t len)
{
	struct dns_msg m;

	(void)arg;
	(void)u;
	p->sock = 1;
	FUZZ_CHECK(dns_msg_parse(pkt, len, true, &m) == DNS_OK);
	FUZZ_CHECK(m.qtype == fuzz_qm.qtype);
	FUZZ_CHECK(strcmp(m.qname, fuzz_qm.qname) == 0);
	FUZZ_CHECK(!m.has_opt || (m.opt_size >= 512 && m.opt_size <= 1232));
	return 0;
}

static void
fuzz_send_client(void *arg, const struct dns_client *c, const uint8_t *pkt,
    size_t len)
{
	struct dns_msg m;

	(void)arg;
	(void)c;
	FUZZ_CHECK(len >= 12);
	FUZZ_CHECK(dns_msg_get_id(pkt) == dns_msg_get_id(fuzz_q));
	if (len == 12)
		return;		/* FORMERR: header only */
	FUZZ_CHECK(dns_msg_parse(pkt, len, true, &m) == DNS_OK);
	FUZZ_CHECK(len <= fuzz_limit(&fuzz_qm));
	FUZZ_CHECK(m.qtype == fuzz_qm.qtype);
	FUZZ_CHECK(strcmp(m.qname, fuzz_qm.qname) == 0);
}

/* interface-name: eth9 has one address of each family */
static unsigned
fuzz_if_addrs(void *arg, const char *ifname, struct dns_local_ifaddr *v,
    unsigned max)
{
	(void)arg;
	if (strcmp(ifname, "eth9") != 0 || max < 2)
		return 0;
	memset(v, 0, 2 * sizeof(*v));
	v[0].family = AF_INET;
	v[0].addr.v4.s_addr = htonl(0xcb0071fa);	/* 203.0.113.250 */
	v[1].family = AF_INET6;
	v[1].addr.v6.s6_addr[0] = 0x20;
	v[1].addr.v6.s6_addr[1] = 0x01;
	v[1].addr.v6.s6_addr[15] = 0x50;
	return 2;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_fwd_io io = {
		.random = fuzz_random,
		.send_up = fuzz_send_up,
		.send_client = fuzz_send_client,
		.if_addrs = fuzz_if_addrs,
	};
	struct sockaddr_in *s;
	struct dns_client c;
	struct dns_fwd *f;

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
	memset(&c, 0, sizeof(c));
	s = (struct sockaddr_in *)&c.sa;
	s->sin_family = AF_INET;
	s->sin_port = htons(4000);
	c.salen = sizeof(*s);
	c.family = AF_INET;
	fuzz_q = data;
	fuzz_qlen = size;
	if (dns_msg_parse(data, size, true, &fuzz_qm) != DNS_OK)
		memset(&fuzz_qm, 0, sizeof(fuzz_qm));
	f = dns_fwd_new(fuzz_cf, &io);
	FUZZ_CHECK(f != NULL);
	dns_fwd_set_hosts(f, NULL, 0, NULL);
	dns_fwd_query(f, 1000, &c, data, size);
	dns_fwd_query(f, 1100, &c, data, size);	/* a retry */
	(void)dns_fwd_tick(f, 2500);
	dns_fwd_free(f);
	return 0;
}
