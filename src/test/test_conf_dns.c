/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_conf_dns.c - the DNS options: typed
 * values after conf_load(), errors, and the --dump-config form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "conf.h"
#include "conf_fixture.h"
#include "conf_int.h"
#include "conf_dns.h"

static char *
dump(const struct conf *cf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	conf_dns_print(cf, m);
	fclose(m);
	return buf;
}

/* Errors found after reading carry no position. */
static void
assert_load_err_exact(const char *text, const char *msg)
{
	struct conf_result res;
	struct conf *cf = load(text, &res);

	assert_null(cf);
	assert_int_equal(res.exit_code, 1);
	assert_string_equal(res.msg, msg);
}

static const struct conf_dns_server *
server(const struct conf *cf, unsigned i)
{
	const struct conf_dns_server *s = cf->dns->servers;

	while (s != NULL && i--)
		s = s->next;
	assert_non_null(s);
	return s;
}

static void
assert_ip(const struct conf_dns_ip *ip, int family, const char *text)
{
	char buf[INET6_ADDRSTRLEN];

	assert_int_equal(ip->family, family);
	inet_ntop(family, &ip->u, buf, sizeof(buf));
	assert_string_equal(buf, text);
}

static void
defaults(void **state)
{
	struct conf *cf = load_ok("\n");
	const struct conf_dns *d = cf->dns;

	(void)state;
	assert_int_equal(d->port, 53);
	assert_false(d->has_port);
	assert_int_equal(d->cache_size, 150);
	assert_true(d->resolv_default);
	assert_null(d->resolv_files.head);
	assert_null(d->servers);
	assert_false(d->log_queries);
	assert_int_equal(d->local_service_effective, CONF_DNS_LS_NONE);
	conf_free(cf);
}

static void
server_two_domains_port(void **state)
{
	struct conf *cf = load_ok("server=/a/b/1.2.3.4#5353\n");
	const struct conf_dns_server *s = server(cf, 0);

	(void)state;
	assert_string_equal(s->opt, "server");
	assert_int_equal(s->action, CONF_DNS_FORWARD);
	assert_true(s->has_domains);
	assert_int_equal(s->n_domains, 2);
	assert_string_equal(s->domains[0].name, "a");
	assert_string_equal(s->domains[1].name, "b");
	assert_false(s->domains[0].wildcard);
	assert_false(s->domains[1].nodots);
	assert_int_equal(s->n_addrs, 1);
	assert_ip(&s->addrs[0], AF_INET, "1.2.3.4");
	assert_int_equal(s->port, 5353);
	assert_false(s->has_source);
	assert_null(s->host);
	conf_free(cf);
}

static void
server_sources(void **state)
{
	struct conf *cf = load_ok(
	    "server=192.0.2.53@192.0.2.2#1053\n"
	    "server=192.0.2.53@lo\n"
	    "server=192.0.2.53#5353@lo@192.0.2.2#99\n"
	    "server=2001:db8::53\n"
	    "server=fe80::1%lo\n");
	const struct conf_dns_server *s;

	(void)state;
	s = server(cf, 0);
	assert_true(s->has_source);
	assert_ip(&s->source, AF_INET, "192.0.2.2");
	assert_int_equal(s->source_port, 1053);
	assert_null(s->iface);
	s = server(cf, 1);
	assert_true(s->has_source);
	assert_int_equal(s->source.family, AF_UNSPEC);
	assert_string_equal(s->iface, "lo");
	s = server(cf, 2);
	assert_int_equal(s->port, 5353);
	assert_string_equal(s->iface, "lo");
	assert_ip(&s->source, AF_INET, "192.0.2.2");
	assert_int_equal(s->source_port, 99);
	s = server(cf, 3);
	assert_ip(&s->addrs[0], AF_INET6, "2001:db8::53");
	assert_int_equal(s->port, 53);
	s = server(cf, 4);
	assert_string_equal(s->scope, "lo");
	assert_true(s->scope_index > 0);
	conf_free(cf);
}

static void
server_local_and_resolv(void **state)
{
	struct conf *cf = load_ok(
	    "server=/lan/\n"
	    "local=/home.arpa/\n"
	    "server=/pub.corp/#\n"
	    "server=/*.example.org//#/./..x.com/192.0.2.1\n");
	const struct conf_dns_server *s;

	(void)state;
	assert_int_equal(cf->dns->n_servers, 4);
	s = server(cf, 0);
	assert_int_equal(s->action, CONF_DNS_LOCAL);
	assert_string_equal(s->domains[0].name, "lan");
	s = server(cf, 1);
	assert_string_equal(s->opt, "local");
	assert_int_equal(s->action, CONF_DNS_LOCAL);
	s = server(cf, 2);
	assert_int_equal(s->action, CONF_DNS_RESOLV);
	s = server(cf, 3);
	/* dnsmasq's walk clears "#" in place and then sees one more empty
	 * (dotless) domain after it */
	assert_int_equal(s->n_domains, 6);
	assert_true(s->domains[0].wildcard);
	assert_string_equal(s->domains[0].name, ".example.org");
	assert_true(s->domains[1].nodots);
	assert_string_equal(s->domains[2].name, "");	/* # = all */
	assert_false(s->domains[2].nodots);
	assert_true(s->domains[3].nodots);		/* the quirk */
	assert_string_equal(s->domains[4].name, "");	/* . = all */
	assert_false(s->domains[4].nodots);
	assert_string_equal(s->domains[5].name, "x.com");
	conf_free(cf);
}

static void
address_forms(void **state)
{
	struct conf *cf = load_ok(
	    "address=/ads.example/0.0.0.0\n"
	    "address=/v6.example/2001:db8::1\n"
	    "address=/zero.example/#\n"
	    "address=/block.example/\n"
	    "address=/Foo_Bar.Example./192.0.2.8\n");
	const struct conf_dns_server *s;

	(void)state;
	s = server(cf, 0);
	assert_string_equal(s->opt, "address");
	assert_int_equal(s->action, CONF_DNS_ADDR4);
	assert_ip(&s->answer, AF_INET, "0.0.0.0");
	s = server(cf, 1);
	assert_int_equal(s->action, CONF_DNS_ADDR6);
	assert_ip(&s->answer, AF_INET6, "2001:db8::1");
	assert_int_equal(server(cf, 2)->action, CONF_DNS_ZEROS);
	assert_int_equal(server(cf, 3)->action, CONF_DNS_LOCAL);
	/* capitals folded (IDNA), trailing dot dropped */
	assert_string_equal(server(cf, 4)->domains[0].name, "foo_bar.example");
	conf_free(cf);
}

static void
resolv_files(void **state)
{
	struct conf *cf = load_ok("resolv-file=/a\nresolv-file=/b\n");

	(void)state;
	assert_false(cf->dns->resolv_default);
	assert_int_equal(cf->dns->resolv_files.n, 2);
	assert_string_equal(cf->dns->resolv_files.head->s, "/a");
	conf_free(cf);
	cf = load_ok("resolv-file=\n");
	assert_false(cf->dns->resolv_default);
	assert_int_equal(cf->dns->resolv_files.n, 0);
	conf_free(cf);
	cf = load_ok("resolv-file=\nresolv-file=/c\nno-poll\n");
	assert_int_equal(cf->dns->resolv_files.n, 1);
	conf_free(cf);
	cf = load_ok("resolv-file=/a\nresolv-file=/b\nno-poll\nno-resolv\n");
	conf_free(cf);
}

static void
numbers(void **state)
{
	struct conf *cf = load_ok("port=5353\ncache-size=99999999999\n");

	(void)state;
	assert_int_equal(cf->dns->port, 5353);
	assert_true(cf->dns->has_port);
	assert_int_equal(cf->dns->cache_size, CONF_DNS_CACHE_MAX);
	conf_free(cf);
	cf = load_ok("port=\ncache-size=0\n");
	assert_int_equal(cf->dns->port, 0);
	assert_int_equal(cf->dns->cache_size, 0);
	conf_free(cf);
}

/* The TTL options and edns-packet-max (option.c, dnsmasq.c): atoi()
 * values, min-cache-ttl capped at 3600, edns-packet-max cut to 16 bits
 * and raised to 512 when used; the dump prints them back. */
static void
ttl_options(void **state)
{
	static const struct {
		const char *conf;
		uint32_t local, dhcp, neg, max, maxc, minc;
		uint16_t edns_written, edns;
		const char *dump;
	} rows[] = {
		{ "", 0, 0, 0, 0, 0, 0, 1232, 1232, "" },
		{ "local-ttl=60\n", 60, 60, 0, 0, 0, 0, 1232, 1232,
		  "local-ttl=60\n" },
		{ "local-ttl=60\ndhcp-ttl=0\n", 60, 0, 0, 0, 0, 0, 1232, 1232,
		  "local-ttl=60\ndhcp-ttl=0\n" },
		{ "min-cache-ttl=100000\nmax-cache-ttl=7\nneg-ttl=5\n"
		  "max-ttl=9\n", 0, 0, 5, 9, 7, 3600, 1232, 1232,
		  "neg-ttl=5\nmax-ttl=9\nmax-cache-ttl=7\n"
		  "min-cache-ttl=3600\n" },
		{ "local-ttl=4294967295\n", 0xffffffffu, 0xffffffffu, 0, 0, 0,
		  0, 1232, 1232, "local-ttl=4294967295\n" },
		{ "local-ttl=\n", 0, 0, 0, 0, 0, 0, 1232, 1232,
		  "local-ttl=0\n" },
		{ "edns-packet-max=100\n", 0, 0, 0, 0, 0, 0, 100, 512,
		  "edns-packet-max=100\n" },
		{ "edns-packet-max=70000\n", 0, 0, 0, 0, 0, 0, 4464, 4464,
		  "edns-packet-max=4464\n" },
		{ "edns-packet-max=4096\n", 0, 0, 0, 0, 0, 0, 4096, 4096,
		  "edns-packet-max=4096\n" },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct conf *cf = load_ok(rows[i].conf);
		const struct conf_dns *d = cf->dns;
		char *out = dump(cf);

		print_message("row %u: %s", i, rows[i].conf);
		assert_int_equal(d->local_ttl, rows[i].local);
		assert_int_equal(conf_dns_dhcp_ttl(d), rows[i].dhcp);
		assert_int_equal(d->neg_ttl, rows[i].neg);
		assert_int_equal(d->max_ttl, rows[i].max);
		assert_int_equal(d->max_cache_ttl, rows[i].maxc);
		assert_int_equal(d->min_cache_ttl, rows[i].minc);
		assert_int_equal(d->edns_packet_max, rows[i].edns_written);
		assert_int_equal(conf_dns_edns_max(d), rows[i].edns);
		assert_string_equal(out, rows[i].dump);
		free(out);
		conf_free(cf);
	}
}

static void
host_records(void **state)
{
	struct conf *cf = load_ok(
	    "host-record=gw,GW.lan,192.0.2.1,192.0.2.2,2001:db8::1,300\n"
	    "host-record=x,,\n"
	    "host-record=\"192.0.2.9\",192.0.2.9\n");
	const struct conf_dns_host_record *h = cf->dns->host_records;
	char buf[INET_ADDRSTRLEN];

	(void)state;
	assert_int_equal(h->n_names, 2);
	assert_string_equal(h->names[0], "gw");
	assert_string_equal(h->names[1], "gw.lan");
	assert_true(h->has_v4);
	assert_string_equal(inet_ntop(AF_INET, &h->v4, buf, sizeof(buf)),
	    "192.0.2.2");			/* the last one */
	assert_true(h->has_v6);
	assert_int_equal(h->ttl, 300);
	h = h->next;
	assert_false(h->has_v4);
	assert_int_equal(h->ttl, 0);		/* empty field: TTL 0 */
	h = h->next;
	assert_string_equal(h->names[0], "192.0.2.9");	/* quoted: a name */
	assert_true(h->has_v4);
	assert_int_equal(h->next, NULL);
	conf_free(cf);
}

static void
cnames(void **state)
{
	struct conf *cf = load_ok("cname=www,ftp,host.lan,600\n"
	    "cname=mail,host.lan\n");
	const struct conf_dns_cname *cn = cf->dns->cnames;

	(void)state;
	assert_string_equal(cn->alias, "www");
	assert_string_equal(cn->target, "host.lan");
	assert_int_equal(cn->ttl, 600);
	cn = cn->next;
	assert_string_equal(cn->alias, "ftp");
	assert_int_equal(cn->ttl, 600);
	cn = cn->next;
	assert_string_equal(cn->alias, "mail");
	assert_int_equal(cn->ttl, CONF_DNS_TTL_DEFAULT);
	assert_non_null(conf_dns_cname_find(cf->dns, "FTP"));
	assert_null(conf_dns_cname_find(cf->dns, "host.lan"));
	conf_free(cf);
}

static void
local_service_and_logging(void **state)
{
	struct conf *cf = load_ok("local-service=host\nlog-queries=extra\n");

	(void)state;
	assert_true(cf->dns->local_service_host);
	assert_int_equal(cf->dns->local_service_effective, CONF_DNS_LS_HOST);
	assert_true(cf->dns->log_queries);
	assert_true(cf->dns->log_queries_extra);
	conf_free(cf);
	cf = load_ok("local-service\ninterface=eth0\nlog-queries=proto\n");
	assert_true(cf->dns->local_service_net);
	assert_int_equal(cf->dns->local_service_effective, CONF_DNS_LS_NONE);
	assert_true(cf->dns->log_queries);
	assert_false(cf->dns->log_queries_extra);
	conf_free(cf);
}

static void
errors(void **state)
{
	(void)state;
	assert_load_err("port=70000\n", "error", 1);
	assert_load_err("cache-size=-1\n", "error", 1);
	assert_load_err("cache-size\n", "error", 1);
	assert_load_err("local-service=all\n", "error", 1);
	assert_load_err("server=1.2.3.4#x\n", "bad port", 1);
	assert_load_err("server=1.2.3.4@1.1.1.1#x\n", "bad port", 1);
	assert_load_err("server=1.2.3.4@::1\n", "cannot use IPv4 server "
	    "address with IPv6 source address", 1);
	assert_load_err("server=::1@1.2.3.4\n", "cannot use IPv6 server "
	    "address with IPv4 source address", 1);
	assert_load_err("server=1.2.3.4@lo@eth1\n",
	    "interface can only be specified once", 1);
	assert_load_err("server=fe80::1%nosuchif0\n", "bad interface name", 1);
	assert_load_err("server=/-A/1.2.3.4\n", "error", 1);
	assert_load_err("server=/a / b/1.2.3.4\n", "error", 1);
	assert_load_err("address=/a/1.2.3.4#53\n", "Bad address in --address",
	    1);
	assert_load_err("host-record=a\n", "Bad host-record", 1);
	assert_load_err("host-record=-A,1.2.3.4\n", "Bad name in host-record",
	    1);
	assert_load_err("cname=a\n", "bad CNAME", 1);
	assert_load_err("cname=A,b\ncname=a,c\n", "duplicate CNAME", 2);
	assert_load_err_exact("cname=a,b\ncname=b,a\n",
	    "CNAME loop involving b");
	assert_load_err_exact("cname=x,y\ncname=y,z\ncname=z,y\n",
	    "CNAME loop involving z");
	assert_load_err_exact("cname=,\n", "CNAME loop involving ");
	assert_load_err_exact("resolv-file=/a\nresolv-file=/b\nno-poll\n",
	    "only one resolv.conf file allowed in no-poll mode.");
}

static void
print_canonical(void **state)
{
	struct conf *cf = load_ok(
	    "port=5353\n"
	    "cache-size=1000\n"
	    "log-queries\n"
	    "resolv-file=/etc/resolv.conf\n"
	    "addn-hosts=/etc/hosts.extra\n"
	    "server=/a/b/1.2.3.4#5353\n"
	    "local=/lan/\n"
	    "server=/#/x/192.0.2.1@lo@192.0.2.2#99\n"
	    "server=/*.w//192.0.2.1#53\n"
	    "address=/ads/#\n"
	    "address=/c../::1\n"
	    "host-record=192.0.2.10,192.0.2.11\n"
	    "host-record=\"1.2.3.4\",h.lan,1.2.3.4,30\n"
	    "cname=a,b,c,60\n");
	char *out = dump(cf);

	(void)state;
	assert_string_equal(out,
	    "port=5353\n"
	    "cache-size=1000\n"
	    "log-queries\n"
	    "resolv-file=/etc/resolv.conf\n"
	    "addn-hosts=/etc/hosts.extra\n"
	    "server=/a/b/1.2.3.4#5353\n"
	    "local=/lan/\n"
	    "server=/.//x/192.0.2.1@lo@192.0.2.2#99\n"
	    "server=/*.w//192.0.2.1\n"
	    "address=/ads/#\n"
	    "address=/c../::1\n"
	    "host-record=192.0.2.11,192.0.2.11\n"
	    "host-record=\"1.2.3.4\",h.lan,1.2.3.4,30\n"
	    "cname=a,c,60\n"
	    "cname=b,c,60\n");
	free(out);
	conf_free(cf);
	cf = load_ok("resolv-file=\n");
	out = dump(cf);
	assert_string_equal(out, "resolv-file\n");
	free(out);
	conf_free(cf);
}

/* A kept trailing dot is printed doubled (one is dropped on reading);
 * this once recursed for ever. */
static void
print_trailing_dot_names(void **state)
{
	struct conf *cf = load_ok("cname=x..,\"1.2.3.4\"\n"
	    "host-record=h..,192.0.2.1\n");
	char *out = dump(cf);

	(void)state;
	assert_string_equal(cf->dns->cnames->alias, "x.");
	assert_string_equal(out,
	    "host-record=h..,192.0.2.1\n"
	    "cname=x..,\"1.2.3.4\"\n");
	free(out);
	conf_free(cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(server_two_domains_port),
		cmocka_unit_test(server_sources),
		cmocka_unit_test(server_local_and_resolv),
		cmocka_unit_test(address_forms),
		cmocka_unit_test(resolv_files),
		cmocka_unit_test(numbers),
		cmocka_unit_test(ttl_options),
		cmocka_unit_test(host_records),
		cmocka_unit_test(cnames),
		cmocka_unit_test(local_service_and_logging),
		cmocka_unit_test(errors),
		cmocka_unit_test(print_canonical),
		cmocka_unit_test(print_trailing_dot_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
