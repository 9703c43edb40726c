/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_conf_dhcp.c - the typed values the DHCP options leave in struct
 * conf_dhcp, the messages of refused values, and --dump-config output
 * reading back to itself.  Expected values come from dnsmasq 2.90's
 * behaviour (checked with dnsmasq --test) and the reference notes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "conf_dhcp.h"
#include "conf_int.h"

/* --- helpers ------------------------------------------------------------ */

static char *
write_temp(const char *text)
{
	char *path = strdup("/tmp/test_conf_dhcp.XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Loads text as the only configuration file.  Returns owned conf or NULL
 * with res filled in. */
static struct conf *
load_opts(const char *text, struct conf_result *res, bool ignore_unsup)
{
	char *path = write_temp(text);
	char a0[] = "pxemasq", a1[] = "--test", a2[] = "-C";
	char a4[] = "--ignore-unsupported";
	char *argv[] = { a0, a1, a2, path, a4, NULL };
	struct conf *cf;

	cf = conf_load(ignore_unsup ? 5 : 4, argv, res);
	unlink(path);
	free(path);
	return cf;
}

static struct conf *
load_ok(const char *text)
{
	struct conf_result res;
	struct conf *cf = load_opts(text, &res, true);

	if (cf == NULL)
		fail_msg("config refused: %s", res.msg);
	return cf;
}

static uint32_t
ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static const char *
tag(const struct conf *cf, uint16_t id)
{
	return conf_tag_name(cf, id);
}

/* --- dhcp-range ----------------------------------------------------------- */

static void
range_lease_units(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-range=192.168.0.50,192.168.0.150,12h\n"
	    "dhcp-range=192.168.1.50,192.168.1.150,1h\n"
	    "dhcp-range=192.168.2.50,192.168.2.150,30\n"
	    "dhcp-range=192.168.3.50,192.168.3.150,2w\n"
	    "dhcp-range=192.168.4.50,192.168.4.150,infinite\n"
	    "dhcp-range=192.168.5.50,192.168.5.150\n");
	const struct conf_dhcp_range *r = cf->dhcp->ranges;

	(void)state;
	assert_int_equal(r->lease, 12 * 3600);
	assert_true(r->flags & CONF_DHCP_RANGE_LEASE);
	r = r->next;
	assert_int_equal(r->lease, 3600);
	r = r->next;
	assert_int_equal(r->lease, 120);	/* raised to the minimum */
	r = r->next;
	assert_int_equal(r->lease, 14 * 86400);
	r = r->next;
	assert_int_equal(r->lease, CONF_DHCP_LEASE_INFINITE);
	r = r->next;
	assert_int_equal(r->lease, CONF_DHCP_LEASE_DEFAULT);
	assert_false(r->flags & CONF_DHCP_RANGE_LEASE);
	assert_null(r->next);
	conf_free(cf);
}

static void
range_addresses(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-range=192.168.0.150,192.168.0.50,255.255.255.0,"
	    "192.168.0.255\n"
	    "dhcp-range=10.0.0.0,proxy\n"
	    "dhcp-range=10.1.0.0,static,255.255.0.0,5m\n");
	const struct conf_dhcp_range *r = cf->dhcp->ranges;

	(void)state;
	/* START > END is swapped */
	assert_int_equal(r->start.s_addr, ip("192.168.0.50"));
	assert_int_equal(r->end.s_addr, ip("192.168.0.150"));
	assert_int_equal(r->netmask.s_addr, ip("255.255.255.0"));
	assert_int_equal(r->broadcast.s_addr, ip("192.168.0.255"));
	assert_int_equal(r->flags, CONF_DHCP_RANGE_NETMASK |
	    CONF_DHCP_RANGE_BROADCAST);
	r = r->next;
	assert_int_equal(r->flags, CONF_DHCP_RANGE_PROXY);
	assert_int_equal(r->start.s_addr, r->end.s_addr);
	r = r->next;
	assert_int_equal(r->flags, CONF_DHCP_RANGE_STATIC |
	    CONF_DHCP_RANGE_NETMASK | CONF_DHCP_RANGE_LEASE);
	assert_int_equal(r->lease, 300);
	conf_free(cf);
}

static void
range_tags(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-range=tag:eth1,tag:!known,set:pool,192.168.0.5,"
	    "192.168.0.9\n"
	    "dhcp-range=lan,tag:,10.0.0.5,10.0.0.9\n");
	const struct conf_dhcp_range *r = cf->dhcp->ranges;

	(void)state;
	assert_int_equal(r->filter.n, 2);
	assert_string_equal(tag(cf, r->filter.v[0].id), "eth1");
	assert_false(r->filter.v[0].neg);
	assert_string_equal(tag(cf, r->filter.v[1].id), "known");
	assert_true(r->filter.v[1].neg);
	assert_int_equal(r->set.n, 1);
	assert_string_equal(tag(cf, r->set.id[0]), "pool");
	r = r->next;
	assert_int_equal(r->filter.n, 0);	/* empty tag: dropped */
	assert_int_equal(r->set.n, 1);
	assert_string_equal(tag(cf, r->set.id[0]), "lan");
	conf_free(cf);
}

static void
range6_kept_apart(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-range=192.168.0.5,192.168.0.9\n"
	    "dhcp-range=2001:db8::10,2001:db8::ff,ra-names,64,1d\n");
	const struct conf_dhcp_range6 *r6 = cf->dhcp->ranges6;

	(void)state;
	assert_non_null(cf->dhcp->ranges);
	assert_null(cf->dhcp->ranges->next);
	assert_non_null(r6);
	assert_int_equal(r6->prefix, 64);
	assert_int_equal(r6->lease, 86400);
	assert_true(r6->flags & CONF_DHCP_RANGE6_END);
	assert_true(r6->flags & CONF_DHCP_RANGE6_RA_NAMES);
	conf_free(cf);
}

/* Without --ignore-unsupported an IPv6 range stops the start, naming the
 * line; with it the configuration loads. */
static void
range6_refused(void **state)
{
	struct conf_result res;
	struct conf *cf;

	(void)state;
	cf = load_opts("\ndhcp-range=::1,::9\n", &res, false);
	assert_null(cf);
	assert_int_equal(res.exit_code, 1);
	assert_non_null(strstr(res.msg, "option 'dhcp-range' with an IPv6 "
	    "range is not supported by pxemasq"));
	assert_non_null(strstr(res.msg, "--ignore-unsupported at line 2 of "));
	cf = load_opts("\ndhcp-range=::1,::9\n", &res, true);
	assert_non_null(cf);
	conf_free(cf);
}

/* --- dhcp-host ------------------------------------------------------------ */

static void
host_mac_addr_name_lease(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-host=52:54:00:12:34:56,192.168.0.20,Host1.Example.COM,1h\n");
	const struct conf_dhcp_host *h = cf->dhcp->hosts;
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	(void)state;
	assert_int_equal(h->nhw, 1);
	assert_int_equal(h->hw[0].len, 6);
	assert_memory_equal(h->hw[0].addr, mac, 6);
	assert_int_equal(h->hw[0].wild, 0);
	assert_int_equal(h->hw[0].type, 0);
	assert_int_equal(h->addr.s_addr, ip("192.168.0.20"));
	assert_string_equal(h->hostname, "host1");
	assert_string_equal(h->domain, "example.com");
	assert_int_equal(h->lease, 3600);
	assert_int_equal(h->flags, CONF_DHCP_HOST_ADDR | CONF_DHCP_HOST_NAME |
	    CONF_DHCP_HOST_LEASE);
	assert_int_equal(h->src.line, 1);
	conf_free(cf);
}

static void
host_wildcards_and_types(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-host=00:11:22:*:*:*,1-aa:bb:cc:dd:ee:ff,ignore\n");
	const struct conf_dhcp_host *h = cf->dhcp->hosts;

	(void)state;
	assert_int_equal(h->nhw, 2);
	assert_int_equal(h->hw[0].len, 6);
	assert_int_equal(h->hw[0].wild, 0x38);	/* bytes 3, 4, 5 */
	assert_int_equal(h->hw[1].type, 1);
	assert_int_equal(h->hw[1].len, 6);
	assert_int_equal(h->hw[1].addr[0], 0xaa);
	assert_true(h->flags & CONF_DHCP_HOST_IGNORE);
	conf_free(cf);
}

static void
host_client_ids(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-host=id:01:52:54:00:aa:bb:cc,192.168.0.40\n"
	    "dhcp-host=id:myclient,192.168.0.41\n"
	    "dhcp-host=id:*,52:54:00:aa:bb:cd\n");
	const struct conf_dhcp_host *h = cf->dhcp->hosts;
	static const uint8_t id[7] = { 1, 0x52, 0x54, 0, 0xaa, 0xbb, 0xcc };

	(void)state;
	assert_true(h->flags & CONF_DHCP_HOST_CLID);
	assert_int_equal(h->clid_len, 7);
	assert_memory_equal(h->clid, id, 7);
	h = h->next;
	assert_true(h->flags & CONF_DHCP_HOST_CLID_TEXT);
	assert_int_equal(h->clid_len, 8);
	assert_memory_equal(h->clid, "myclient", 8);
	h = h->next;
	assert_true(h->flags & CONF_DHCP_HOST_NOCLID);
	assert_false(h->flags & CONF_DHCP_HOST_CLID);
	conf_free(cf);
}

/* dnsmasq reads an all-digit "MAC" without colons as a lease time, and
 * a quoted keyword as a host name. */
static void
host_field_classification(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-host=001122334455\n"
	    "dhcp-host=aa:bb:cc:dd:ee:01,\"ignore\",12 h\n"
	    "dhcp-host=aa:bb:cc:dd:ee:02,set:red,net:blue,tag:eth0,"
	    "tag:!guest,[2001:db8::100/120]\n");
	const struct conf_dhcp_host *h = cf->dhcp->hosts;

	(void)state;
	assert_int_equal(h->flags, CONF_DHCP_HOST_LEASE);
	assert_int_equal(h->lease, 1122334455u);
	assert_int_equal(h->nhw, 0);
	h = h->next;
	assert_false(h->flags & CONF_DHCP_HOST_IGNORE);
	assert_string_equal(h->hostname, "ignore");
	assert_int_equal(h->lease, 12 * 3600);
	h = h->next;
	assert_int_equal(h->set.n, 2);
	assert_string_equal(tag(cf, h->set.id[0]), "red");
	assert_string_equal(tag(cf, h->set.id[1]), "blue");
	assert_int_equal(h->filter.n, 2);
	assert_true(h->filter.v[1].neg);
	assert_int_equal(h->naddr6, 1);
	assert_true(h->addr6[0].has_prefix);
	assert_int_equal(h->addr6[0].prefixlen, 120);
	conf_free(cf);
}

static void
host_short_lease_raised(void **state)
{
	struct conf *cf = load_ok("dhcp-host=aa:bb:cc:dd:ee:ff,60s\n");

	(void)state;
	assert_int_equal(cf->dhcp->hosts->lease, CONF_DHCP_LEASE_MIN);
	conf_free(cf);
}

/* --- dhcp-boot, domain ---------------------------------------------------- */

static void
boot_fields(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-boot=pxelinux.0\n"
	    "dhcp-boot=tag:efi,tag:!ipxe,grubx64.efi,bootsrv,192.168.0.2\n"
	    "dhcp-boot=undionly.kpxe,,tftp.example.com\n");
	const struct conf_dhcp_boot *b = cf->dhcp->boots;

	(void)state;
	assert_string_equal(b->file, "pxelinux.0");
	assert_null(b->sname);
	assert_int_equal(b->next_server.s_addr, 0);
	assert_int_equal(b->filter.n, 0);
	b = b->next;
	assert_int_equal(b->filter.n, 2);
	assert_string_equal(b->file, "grubx64.efi");
	assert_string_equal(b->sname, "bootsrv");
	assert_int_equal(b->next_server.s_addr, ip("192.168.0.2"));
	assert_null(b->tftp_sname);
	b = b->next;
	assert_null(b->sname);
	assert_string_equal(b->tftp_sname, "tftp.example.com");
	conf_free(cf);
}

static void
domain_forms(void **state)
{
	struct conf *cf = load_ok(
	    "domain=Example.COM.\n"
	    "domain=lab.example.com,192.168.1.77/24,local\n"
	    "domain=pool.example.com,192.168.2.10,192.168.2.50\n"
	    "domain=if.example.com,eth0\n");
	const struct conf_dhcp_domain *e = cf->dhcp->domains;

	(void)state;
	assert_string_equal(cf->dhcp->domain_suffix, "example.com");
	assert_int_equal(e->kind, CONF_DHCP_DOMAIN_PREFIX);
	assert_int_equal(e->start.s_addr, ip("192.168.1.0"));
	assert_int_equal(e->end.s_addr, ip("192.168.1.255"));
	assert_int_equal(e->prefixlen, 24);
	assert_true(e->local);
	e = e->next;
	assert_int_equal(e->kind, CONF_DHCP_DOMAIN_RANGE);
	assert_int_equal(e->end.s_addr, ip("192.168.2.50"));
	e = e->next;
	assert_int_equal(e->kind, CONF_DHCP_DOMAIN_IFACE);
	assert_string_equal(e->iface, "eth0");
	conf_free(cf);
}

/* --- classes and tag rules ----------------------------------------------- */

static void
classes_and_mac(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-vendorclass=set:pxe,PXEClient\n"
	    "dhcp-userclass=ipxe,iPXE\n"
	    "dhcp-vendorclass=win,enterprise:311,MSFT 5.0\n"
	    "dhcp-mac=set:3com,01:34:23:*:*:*\n");
	const struct conf_dhcp_class *e = cf->dhcp->classes;
	const struct conf_dhcp_mac *m = cf->dhcp->macs;

	(void)state;
	assert_int_equal(e->kind, CONF_DHCP_CLASS_VENDOR);
	assert_string_equal(tag(cf, e->set.id[0]), "pxe");
	assert_int_equal(e->len, 9);
	assert_memory_equal(e->data, "PXEClient", 9);
	e = e->next;
	assert_int_equal(e->kind, CONF_DHCP_CLASS_USER);
	assert_string_equal(tag(cf, e->set.id[0]), "ipxe");
	e = e->next;
	assert_int_equal(e->enterprise, 311);
	assert_memory_equal(e->data, "MSFT 5.0", 8);
	assert_string_equal(tag(cf, m->set.id[0]), "3com");
	assert_int_equal(m->hw.len, 6);
	assert_int_equal(m->hw.wild, 0x38);
	assert_int_equal(m->hw.addr[2], 0x23);
	conf_free(cf);
}

static void
tag_rules(void **state)
{
	struct conf *cf = load_ok(
	    "tag-if=set:efi,set:any,tag:efi64,tag:!ipxe\n"
	    "dhcp-ignore=tag:!known\n"
	    "dhcp-broadcast\n"
	    "dhcp-broadcast=old,net:older\n"
	    "dhcp-reply-delay=tag:slow,2\n");
	const struct conf_dhcp *d = cf->dhcp;

	(void)state;
	assert_int_equal(d->tagifs->set.n, 2);
	assert_int_equal(d->tagifs->tag.n, 2);
	assert_string_equal(tag(cf, d->tagifs->tag.v[1].id), "ipxe");
	assert_true(d->tagifs->tag.v[1].neg);
	assert_int_equal(d->ignores->tags.n, 1);
	assert_true(d->ignores->tags.v[0].neg);
	assert_string_equal(tag(cf, d->ignores->tags.v[0].id), "known");
	assert_int_equal(d->broadcasts->tags.n, 0);
	assert_int_equal(d->broadcasts->next->tags.n, 2);
	assert_string_equal(tag(cf, d->broadcasts->next->tags.v[1].id),
	    "older");
	assert_int_equal(d->delays->delay, 2);
	assert_int_equal(d->delays->filter.n, 1);
	conf_free(cf);
}

static void
scalars_and_paths(void **state)
{
	struct conf *cf = load_ok("dhcp-range=10.0.0.1,10.0.0.9\n");
	struct conf *cf2;

	(void)state;
	assert_int_equal(cf->dhcp->lease_max, CONF_DHCP_LEASE_MAX_DEFAULT);
	assert_null(cf->dhcp->leasefile);
	assert_null(cf->dhcp->script);
	conf_free(cf);
	cf2 = load_ok(
	    "dhcp-lease-max=150\n"
	    "dhcp-leasefile=/tmp/x.leases\n"
	    "dhcp-script=/bin/true\n"
	    "dhcp-hostsfile=/etc/h1\n"
	    "dhcp-hostsfile=/etc/h2\n"
	    "dhcp-optsdir=/etc/o.d\n");
	assert_int_equal(cf2->dhcp->lease_max, 150);
	assert_string_equal(cf2->dhcp->leasefile, "/tmp/x.leases");
	assert_string_equal(cf2->dhcp->script, "/bin/true");
	assert_int_equal(cf2->dhcp->hostsfiles.n, 2);
	assert_string_equal(cf2->dhcp->hostsfiles.head->next->s, "/etc/h2");
	assert_string_equal(cf2->dhcp->optsdirs.head->s, "/etc/o.d");
	conf_free(cf2);
}

/* --- refused values ------------------------------------------------------- */

struct bad_case {
	const char *name;
	const char *text;
	const char *msg;	/* without the " at line N of F" suffix */
};

static const struct bad_case bad_cases[] = {
	{ "range: two set tags", "dhcp-range=set:a,set:b,1.2.3.4,1.2.3.9\n",
	  "only one tag allowed" },
	{ "range: end outside mask",
	  "dhcp-range=192.168.0.5,192.168.1.5,255.255.255.0\n",
	  "inconsistent DHCP range" },
	{ "range: lease junk", "dhcp-range=1.2.3.4,1.2.3.9,1x\n",
	  "bad dhcp-range" },
	{ "range: start only", "dhcp-range=1.2.3.4\n", "bad dhcp-range" },
	{ "range: hex-only tag", "dhcp-range=cafe,1.2.3.4,1.2.3.9\n",
	  "bad dhcp-range" },
	{ "range6: short prefix", "dhcp-range=2001:db8::1,2001:db8::9,56\n",
	  "prefix length must be at least 64" },
	{ "host: duplicate address",
	  "dhcp-host=aa:bb:cc:dd:ee:01,192.0.2.5\n"
	  "dhcp-host=aa:bb:cc:dd:ee:02,192.0.2.5\n",
	  "duplicate dhcp-host IP address 192.0.2.5" },
	{ "host: bad mac", "dhcp-host=00:11:22:33:44:5g\n",
	  "bad hex constant" },
	{ "host: bad name", "dhcp-host=aa:bb:cc:dd:ee:ff,-x\n",
	  "bad DHCP host name" },
	{ "host: bad v6", "dhcp-host=[2001:zz::1]\n", "bad IPv6 address" },
	{ "host: bad v6 prefix", "dhcp-host=[2001:db8::1/120]\n",
	  "bad IPv6 prefix" },
	{ "boot: tags only", "dhcp-boot=tag:x\n", "error" },
	{ "vendorclass: no value", "dhcp-vendorclass=PXEClient\n", "error" },
	{ "mac: bad hex", "dhcp-mac=set:a,zz\n", "error" },
	{ "tag-if: no set", "tag-if=tag:a\n", "bad tag-if" },
	{ "lease-max: not a number", "dhcp-lease-max=abc\n", "error" },
	{ "reply-delay: tags only", "dhcp-reply-delay=tag:x\n", "error" },
	{ "domain: prefix length", "domain=x.org,10.0.0.0/33\n",
	  "bad prefix length" },
	{ "domain: not local", "domain=x.org,10.0.0.0/8,foo\n", "error" },
};

static void
refused_values(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *t = &bad_cases[i];
		struct conf_result res;
		struct conf *cf = load_opts(t->text, &res, true);
		size_t n = strlen(t->msg);

		if (cf != NULL)
			fail_msg("%s: accepted", t->name);
		if (strncmp(res.msg, t->msg, n) != 0 ||
		    strncmp(res.msg + n, " at line ", 9) != 0)
			fail_msg("%s: got '%s'", t->name, res.msg);
		assert_int_equal(res.exit_code, 1);
	}
}

static void
fqdn_needs_domain(void **state)
{
	struct conf_result res;
	struct conf *cf;

	(void)state;
	cf = load_opts("dhcp-fqdn\n", &res, true);
	assert_null(cf);
	assert_string_equal(res.msg, "there must be a default domain when "
	    "--dhcp-fqdn is set");
	cf = load_opts("dhcp-fqdn\ndomain=example.com\n", &res, true);
	assert_non_null(cf);
	conf_free(cf);
}

/* --- domain=# ------------------------------------------------------------- */

struct resolv_fixture {
	struct conf cf;
	struct conf_ctx c;
};

static void
resolv_setup(struct resolv_fixture *f)
{
	memset(f, 0, sizeof(*f));
	arena_init(&f->cf.arena, 4096);
	f->c.cf = &f->cf;
	assert_int_equal(conf_dhcp_init(&f->c), 0);
	f->cf.dhcp->domain_from_resolv = true;
}

static void
resolv_domain(void **state)
{
	struct resolv_fixture f;
	char *good = write_temp("nameserver 1.1.1.1\nsearch Lab.Example. "
	    "other\n");
	char *none = write_temp("nameserver 1.1.1.1\n");

	(void)state;
	resolv_setup(&f);
	assert_int_equal(conf_dhcp_resolv_domain(&f.c, 1, good), 0);
	assert_string_equal(f.cf.dhcp->domain_resolved, "lab.example");
	assert_int_equal(conf_dhcp_resolv_domain(&f.c, 0, NULL), -1);
	assert_string_equal(f.c.errbuf, "must have exactly one resolv.conf "
	    "to read domain from.");
	f.c.exit_code = 0;
	assert_int_equal(conf_dhcp_resolv_domain(&f.c, 1, none), -1);
	assert_int_equal(f.c.exit_code, 5);
	f.c.exit_code = 0;
	assert_int_equal(conf_dhcp_resolv_domain(&f.c, 1, "/nonexistent/x"),
	    -1);
	assert_int_equal(f.c.exit_code, 3);
	unlink(good);
	unlink(none);
	free(good);
	free(none);
	arena_free(&f.cf.arena);
}

/* dhcp-hostsfile lines are dhcp-host values; the entries are marked as
 * coming from the file and the address check spans both sources. */
static void
hostsfile_entries(void **state)
{
	struct resolv_fixture f;
	const struct conf_kw *kw = conf_kw_by_id(CONF_KW_DHCP_HOST);
	char *hosts = write_temp("# comment\n"
	    "52:54:00:00:00:01,192.0.2.10,h1\n"
	    "52:54:00:00:00:02,192.0.2.11\n");
	char *dup = write_temp("52:54:00:00:00:03,192.0.2.10\n");
	char line[] = "52:54:00:00:00:09,192.0.2.9";
	const struct conf_dhcp_host *h;

	(void)state;
	resolv_setup(&f);
	assert_int_equal(conf_dhcp_host(&f.c, kw, line), 0);
	assert_int_equal(conf_read_hard_file(&f.c, kw, hosts), 0);
	h = f.cf.dhcp->hosts;
	assert_false(h->flags & CONF_DHCP_HOST_BANK);
	h = h->next;
	assert_true(h->flags & CONF_DHCP_HOST_BANK);
	assert_string_equal(h->hostname, "h1");
	assert_int_equal(h->src.line, 2);
	assert_true(h->next->flags & CONF_DHCP_HOST_BANK);
	assert_int_equal(conf_read_hard_file(&f.c, kw, dup), -1);
	assert_non_null(strstr(f.c.errbuf, "duplicate dhcp-host IP address "
	    "192.0.2.10 at line 1 of "));
	unlink(hosts);
	unlink(dup);
	free(hosts);
	free(dup);
	arena_free(&f.cf.arena);
}

/* --- --dump-config ------------------------------------------------------- */

static char *
dump(const struct conf *cf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	conf_dhcp_print(cf, f);
	fclose(f);
	return buf;
}

/* The dump of a dump is the dump; values are normalised. */
static void
dump_reads_back(void **state)
{
	static const char text[] =
	    "dhcp-leasefile=/tmp/l\n"
	    "dhcp-lease-max=99\n"
	    "domain=Example.org\n"
	    "domain=lab.example.org,10.1.0.0/16,local\n"
	    "dhcp-range=tag:a,tag:!b,set:c,10.0.0.9,10.0.0.1,255.0.0.0,1h\n"
	    "dhcp-range=10.2.0.0,proxy\n"
	    "dhcp-range=2001:db8::,ra-only\n"
	    "dhcp-host=00:11:22:*:*:*,1-aa:bb:cc:dd:ee:ff,id:01:02,"
	    "set:x,tag:y,10.0.0.5,h1.lab,1d\n"
	    "dhcp-host=aa:,id:\"a:b\",\"infinite\",ignore\n"
	    "dhcp-host=aa:bb:cc:dd:ee:01,host..\n"
	    "dhcp-boot=tag:efi,\"a,b\",,boot.example.org\n"
	    "dhcp-vendorclass=set:v,enterprise:311,x,y\n"
	    "dhcp-userclass=,\" lead\"\n"
	    "dhcp-mac=m,*:*:01\n"
	    "tag-if=set:t,tag:u*\n"
	    "dhcp-ignore=tag:!known\n"
	    "dhcp-broadcast\n"
	    "dhcp-reply-delay=tag:z,3\n"
	    "dhcp-hostsfile=/tmp/h\n";
	static const char want[] =
	    "dhcp-leasefile=/tmp/l\n"
	    "dhcp-lease-max=99\n"
	    "dhcp-reply-delay=tag:z,3\n"
	    "domain=example.org\n"
	    "domain=lab.example.org,10.1.0.0/16,local\n"
	    "dhcp-range=tag:a,tag:!b,set:c,10.0.0.1,10.0.0.9,255.0.0.0,3600\n"
	    "dhcp-range=10.2.0.0,proxy\n"
	    "dhcp-range=2001:db8::,ra-only,64\n"
	    "dhcp-host=00:11:22:*:*:*,1-aa:bb:cc:dd:ee:ff,id:01:02,set:x,"
	    "tag:y,10.0.0.5,h1.lab,86400\n"
	    "dhcp-host=aa:,id:\"a:b\",\"infinite\",ignore\n"
	    "dhcp-host=aa:bb:cc:dd:ee:01,host\n"
	    "dhcp-boot=tag:efi,\"a,b\",,boot.example.org\n"
	    "dhcp-vendorclass=set:v,enterprise:311,\"x,y\"\n"
	    "dhcp-userclass=,\" lead\"\n"
	    "dhcp-mac=set:m,*:*:01\n"
	    "tag-if=set:t,tag:u*\n"
	    "dhcp-ignore=tag:!known\n"
	    "dhcp-broadcast\n"
	    "dhcp-hostsfile=/tmp/h\n";
	struct conf *cf = load_ok(text), *cf2;
	char *d1 = dump(cf), *d2;

	(void)state;
	assert_string_equal(d1, want);
	cf2 = load_ok(d1);
	d2 = dump(cf2);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	conf_free(cf);
	conf_free(cf2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(range_lease_units),
		cmocka_unit_test(range_addresses),
		cmocka_unit_test(range_tags),
		cmocka_unit_test(range6_kept_apart),
		cmocka_unit_test(range6_refused),
		cmocka_unit_test(host_mac_addr_name_lease),
		cmocka_unit_test(host_wildcards_and_types),
		cmocka_unit_test(host_client_ids),
		cmocka_unit_test(host_field_classification),
		cmocka_unit_test(host_short_lease_raised),
		cmocka_unit_test(boot_fields),
		cmocka_unit_test(domain_forms),
		cmocka_unit_test(classes_and_mac),
		cmocka_unit_test(tag_rules),
		cmocka_unit_test(scalars_and_paths),
		cmocka_unit_test(refused_values),
		cmocka_unit_test(fqdn_needs_domain),
		cmocka_unit_test(resolv_domain),
		cmocka_unit_test(hostsfile_entries),
		cmocka_unit_test(dump_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
