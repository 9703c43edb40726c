/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_conf_dhcpopt.c - the bytes dhcp-option, dhcp-option-force and
 * dhcp-match values encode to, the messages of refused values, the
 * option-name table, and --dump-config output reading back into the same
 * bytes.  Expected bytes follow dnsmasq 2.90 (option.c parse_dhcp_opt);
 * they were cross-checked against dnsmasq's own parser.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf_dhcpopt.h"
#include "conf_int.h"

/* --- helpers ------------------------------------------------------------ */

static char *
write_temp(const char *text)
{
	char *path = strdup("/tmp/test_conf_dhcpopt.XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Loads text as the only configuration file; owned conf or NULL. */
static struct conf *
load(const char *text, struct conf_result *res)
{
	char *path = write_temp(text);
	char a0[] = "pxemasq", a1[] = "--test", a2[] = "-C";
	char a4[] = "--ignore-unsupported";
	char *argv[] = { a0, a1, a2, path, a4, NULL };
	struct conf *cf;

	cf = conf_load(5, argv, res);
	unlink(path);
	free(path);
	return cf;
}

static struct conf *
load_ok(const char *text)
{
	struct conf_result res;
	struct conf *cf = load(text, &res);

	if (cf == NULL)
		fail_msg("%s: refused: %s", text, res.msg);
	return cf;
}

/* "01 02 0a" or "0102:0a" style hex into b; returns the length. */
static size_t
unhex(const char *s, uint8_t *b)
{
	size_t n = 0;

	while (*s) {
		unsigned v;

		if (*s == ' ' || *s == ':') {
			s++;
			continue;
		}
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		b[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void
assert_bytes(const char *what, const struct conf_dhcpopt_value *v,
    const char *hex)
{
	uint8_t want[300];
	size_t n = unhex(hex, want);

	if (v->len != n || (n && memcmp(v->val, want, n) != 0)) {
		char got[1000] = "";
		unsigned i;

		for (i = 0; i < v->len && i < 300; i++)
			snprintf(got + 2 * i, 3, "%02x", v->val[i]);
		fail_msg("%s: got [%s] (%u bytes), want [%s]", what, got,
		    v->len, hex);
	}
}

static const struct conf_dhcp_opt *
first_opt(const struct conf *cf)
{
	assert_non_null(cf->dhcpopt->opts);
	return cf->dhcpopt->opts;
}

/* --- dhcp-option value encoding ----------------------------------------- */

struct enc_row {
	const char *line;
	enum conf_dhcpopt_kind kind;
	const char *hex;
};

static const struct enc_row enc_rows[] = {
	/* address options: addresses only */
	{ "dhcp-option=3,1.2.3.4", CONF_DHCPOPT_ADDR, "01020304" },
	{ "dhcp-option=option:router,1.2.3.4,5.6.7.8", CONF_DHCPOPT_ADDR,
	    "01020304 05060708" },
	{ "dhcp-option=3,10.0.0.0/8", CONF_DHCPOPT_ADDR_PREFIX, "08 0a" },
	/* name options: text even when it looks like an address */
	{ "dhcp-option=66,1.2.3.4", CONF_DHCPOPT_TEXT, "312e322e332e34" },
	{ "dhcp-option=67,pxelinux.0", CONF_DHCPOPT_TEXT,
	    "7078656c696e75782e30" },
	{ "dhcp-option=67,5b", CONF_DHCPOPT_TEXT, "35" },
	/* untyped: quoting makes text */
	{ "dhcp-option=60,\"1.2.3.4\"", CONF_DHCPOPT_TEXT, "312e322e332e34" },
	{ "dhcp-option=60,foo,bar", CONF_DHCPOPT_TEXT, "666f6f2c626172" },
	{ "dhcp-option=60,b", CONF_DHCPOPT_TEXT, "" },
	{ "dhcp-option=121,/10.0.0.0", CONF_DHCPOPT_TEXT,
	    "2f31302e302e302e30" },
	/* 119: RFC 1035 names with dnsmasq's compression */
	{ "dhcp-option=119,a.example,b.example", CONF_DHCPOPT_DOMAINS,
	    "01 61 07 6578616d706c65 00 01 62 c0 02" },
	{ "dhcp-option=119,a.example,a.example", CONF_DHCPOPT_DOMAINS,
	    "01 61 07 6578616d706c65 00 c0 00" },
	{ "dhcp-option=119,A.Example.", CONF_DHCPOPT_DOMAINS,
	    "01 61 07 6578616d706c65 00" },
	{ "dhcp-option=119,.", CONF_DHCPOPT_DOMAINS, "00" },
	{ "dhcp-option=119,a..b", CONF_DHCPOPT_DOMAINS, "0161 00 0162 00" },
	{ "dhcp-option=119,a,,b", CONF_DHCPOPT_DOMAINS, "0161 00" },
	{ "dhcp-option=119,", CONF_DHCPOPT_DOMAINS, "" },
	/* 120: RFC 3361 enc byte, names or addresses */
	{ "dhcp-option=120,a.example,b.example", CONF_DHCPOPT_DOMAINS,
	    "00 01 61 07 6578616d706c65 00 01 62 c0 02" },
	{ "dhcp-option=120,1.2.3.4", CONF_DHCPOPT_ADDR_PREFIX, "01 01020304" },
	{ "dhcp-option=120,", CONF_DHCPOPT_DOMAINS, "00" },
	/* 121: RFC 3442 compact descriptors */
	{ "dhcp-option=121,10.0.0.0/8,1.2.3.4", CONF_DHCPOPT_ADDR_PREFIX,
	    "08 0a 01020304" },
	{ "dhcp-option=121,10.1.2.3/12,0.0.0.0/0,1.2.3.4",
	    CONF_DHCPOPT_ADDR_PREFIX, "0c 0a01 00 01020304" },
	{ "dhcp-option=121,10.0.0.0/", CONF_DHCPOPT_ADDR_PREFIX, "00" },
	{ "dhcp-option=121,1.2.3.4/300", CONF_DHCPOPT_ADDR_PREFIX,
	    "2c 01020304" },
	/* integers: the option's width, else the smallest that fits */
	{ "dhcp-option=93,7", CONF_DHCPOPT_INT, "0007" },
	{ "dhcp-option=option:client-arch,7b", CONF_DHCPOPT_INT, "07" },
	{ "dhcp-option=19,1", CONF_DHCPOPT_INT, "01" },
	{ "dhcp-option=2,5", CONF_DHCPOPT_INT, "00000005" },
	{ "dhcp-option=26,1500", CONF_DHCPOPT_INT, "05dc" },
	{ "dhcp-option=60,0102", CONF_DHCPOPT_INT, "66" },
	{ "dhcp-option=60,300", CONF_DHCPOPT_INT, "012c" },
	{ "dhcp-option=60,70000", CONF_DHCPOPT_INT, "00011170" },
	{ "dhcp-option=60,5s", CONF_DHCPOPT_INT, "0005" },
	{ "dhcp-option=60,5i", CONF_DHCPOPT_INT, "00000005" },
	{ "dhcp-option=60,99999999999", CONF_DHCPOPT_INT, "4876e7ff" },
	{ "dhcp-option=93,70000", CONF_DHCPOPT_INT, "1170" },
	{ "dhcp-option=60,1-2", CONF_DHCPOPT_INT, "01" },
	{ "dhcp-option=43,5b", CONF_DHCPOPT_INT, "05" },
	/* times */
	{ "dhcp-option=51,1h", CONF_DHCPOPT_TIME, "00000e10" },
	{ "dhcp-option=58,1w", CONF_DHCPOPT_TIME, "00093a80" },
	{ "dhcp-option=59,90", CONF_DHCPOPT_TIME, "0000005a" },
	{ "dhcp-option=58,1.5h", CONF_DHCPOPT_TIME, "00000e10" },
	{ "dhcp-option=58,-5", CONF_DHCPOPT_TIME, "fffffffb" },
	{ "dhcp-option=58,aa:bb", CONF_DHCPOPT_HEX, "aabb" },
	{ "dhcp-option=51,abc", CONF_DHCPOPT_TEXT, "616263" },
	/* hex */
	{ "dhcp-option=60,01:02:03", CONF_DHCPOPT_HEX, "010203" },
	{ "dhcp-option=60,AB:cd", CONF_DHCPOPT_HEX, "abcd" },
	{ "dhcp-option=60,01::02", CONF_DHCPOPT_HEX, "010200" },
	{ "dhcp-option=60,0102:03", CONF_DHCPOPT_HEX, "0102" },
	{ "dhcp-option=60,123:4", CONF_DHCPOPT_HEX, "1203" },
	{ "dhcp-option=60,*:01", CONF_DHCPOPT_TEXT, "2a3a3031" },
	/* no value */
	{ "dhcp-option=3", CONF_DHCPOPT_EMPTY, "" },
	{ "dhcp-option=tag:x,option:domain-name", CONF_DHCPOPT_EMPTY, "" },
	/* encapsulated: numeric codes are untyped, names are typed */
	{ "dhcp-option=vendor:PXEClient,6,2b", CONF_DHCPOPT_INT, "02" },
	{ "dhcp-option=vendor:X,15,1.2.3.4", CONF_DHCPOPT_ADDR, "01020304" },
	{ "dhcp-option=vendor:X,option:domain-name,1.2.3.4",
	    CONF_DHCPOPT_TEXT, "312e322e332e34" },
	{ "dhcp-option=vendor:X,119,a.b", CONF_DHCPOPT_TEXT, "612e62" },
	{ "dhcp-option=vi-encap:3561,option:domain-search,a.b,a.b",
	    CONF_DHCPOPT_DOMAINS, "0161 0162 00 0161 0162 00" },
	{ "dhcp-option=encap:175,120,1.2.3.4", CONF_DHCPOPT_ADDR, "01020304" },
};

static void
enc_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(enc_rows) / sizeof(enc_rows[0]); i++) {
		const struct enc_row *r = &enc_rows[i];
		char text[600];
		struct conf *cf;

		snprintf(text, sizeof(text), "%s\n", r->line);
		cf = load_ok(text);
		if (first_opt(cf)->v.kind != r->kind)
			fail_msg("%s: kind %d, want %d", r->line,
			    first_opt(cf)->v.kind, r->kind);
		assert_bytes(r->line, &first_opt(cf)->v, r->hex);
		conf_free(cf);
	}
}

static void
option_fields(void **state)
{
	struct conf *cf;
	const struct conf_dhcp_opt *o;

	(void)state;
	cf = load_ok("dhcp-option=tag:a,tag:!b,c,set:d,net:e,tag:#f,3\n"
	    "dhcp-option-force=encap:175,5,1b\n"
	    "dhcp-option=vendor:PXEClient,vi-encap:3561,1,2b\n"
	    "dhcp-option=vendor:,1,5\n"
	    "dhcp-option=0300,1\n"
	    "dhcp-option=,foo\n");
	o = first_opt(cf);
	assert_int_equal(o->code, 3);
	assert_int_equal(o->flags, 0);
	assert_int_equal(o->tags.n, 6);
	assert_string_equal(conf_tag_name(cf, o->tags.v[0].id), "a");
	assert_false(o->tags.v[0].neg);
	assert_string_equal(conf_tag_name(cf, o->tags.v[1].id), "b");
	assert_true(o->tags.v[1].neg);
	assert_string_equal(conf_tag_name(cf, o->tags.v[2].id), "c");
	assert_string_equal(conf_tag_name(cf, o->tags.v[3].id), "d");
	assert_false(o->tags.v[3].neg);	/* set: means tag: here */
	assert_string_equal(conf_tag_name(cf, o->tags.v[4].id), "e");
	assert_true(o->tags.v[5].neg);	/* legacy # negation */
	o = o->next;
	assert_int_equal(o->flags, CONF_DHCPOPT_FORCE | CONF_DHCPOPT_ENCAP);
	assert_int_equal(o->encap, 175);
	assert_int_equal(o->code, 5);
	assert_bytes("encap", &o->v, "01");
	o = o->next;
	assert_int_equal(o->flags, CONF_DHCPOPT_VENDOR | CONF_DHCPOPT_VI_ENCAP);
	assert_string_equal(o->vendor_class, "PXEClient");
	assert_int_equal(o->encap, 3561);
	o = o->next;
	assert_int_equal(o->flags, CONF_DHCPOPT_VENDOR);
	assert_null(o->vendor_class);	/* any client */
	o = o->next;
	assert_int_equal(o->code, 300);	/* no range check */
	o = o->next;
	assert_int_equal(o->code, 0);	/* an empty field is option 0 */
	assert_int_equal(cf->dhcpopt->nopts, 6);
	conf_free(cf);
}

static void
self_mask(void **state)
{
	struct conf *cf;
	const struct conf_dhcp_opt *o;

	(void)state;
	cf = load_ok("dhcp-option=6,0.0.0.0,1.2.3.4,0.0.0.0\n"
	    "dhcp-option=vendor:X,6,0.0.0.0\n"
	    "dhcp-option=encap:175,3,0.0.0.0\n"
	    "dhcp-option=121,0.0.0.0/0,0.0.0.0\n");
	o = first_opt(cf);
	assert_int_equal(o->v.self_mask, 0x5);
	assert_int_equal(o->next->v.self_mask, 0);
	assert_int_equal(o->next->next->v.self_mask, 0);
	assert_int_equal(o->next->next->next->v.self_mask, 0);
	conf_free(cf);
}

static void
lengths(void **state)
{
	char text[1200], *p;
	struct conf_result res;
	struct conf *cf;
	int i;

	(void)state;
	/* 255 bytes of hex are fine, 256 are not */
	p = text + sprintf(text, "dhcp-option=60,00");
	for (i = 1; i < 255; i++)
		p += sprintf(p, ":%02x", i & 0xff);
	strcpy(p, "\n");
	cf = load_ok(text);
	assert_int_equal(first_opt(cf)->v.len, 255);
	conf_free(cf);
	strcpy(p, ":ff\n");
	assert_null(load(text, &res));
	assert_int_equal(strncmp(res.msg, "dhcp-option too long at line 1 ",
	    31), 0);
}

/* IDNA makes names longer ("\xc3\xbc" is xn--tda); dnsmasq reads them in
 * the locale's character set, so this needs a UTF-8 locale. */
static void
idna_names(void **state)
{
	struct conf *cf;

	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		skip();
	cf = load_ok("dhcp-option=119,\xc3\xbc.a,\xc3\xa4.b,\xc3\xb6.c,"
	    "\xc3\xa9.d,\xc3\xbc.a\n");
	assert_bytes("idna", &first_opt(cf)->v,
	    "07786e2d2d746461 0161 00 07786e2d2d346361 0162 00"
	    "07786e2d2d6e6461 0163 00 07786e2d2d396361 0164 00 c000");
	assert_string_equal(first_opt(cf)->v.name[0], "xn--tda.a");
	conf_free(cf);
	setlocale(LC_ALL, "C");
}

/* --- dhcp-match --------------------------------------------------------- */

static void
match_forms(void **state)
{
	struct conf *cf;
	const struct conf_dhcp_match *m;

	(void)state;
	cf = load_ok("dhcp-match=set:efi,option:client-arch,7\n"
	    "dhcp-match=ipxe,175\n"
	    "dhcp-match=tag:x,60,*:01\n"
	    "dhcp-match=set:y,vi-encap:3561\n"
	    "dhcp-match=set:z,60,PXEClient\n"
	    "dhcp-match=set:w,60,*:01:\n"
	    "dhcp-match=set:h,option:hostname\n");
	m = cf->dhcpopt->matches;
	assert_string_equal(conf_tag_name(cf, m->tag), "efi");
	assert_int_equal(m->code, 93);
	assert_int_equal(m->v.kind, CONF_DHCPOPT_INT);
	assert_bytes("client-arch", &m->v, "0007");
	m = m->next;
	assert_string_equal(conf_tag_name(cf, m->tag), "ipxe");
	assert_int_equal(m->code, 175);
	assert_int_equal(m->v.kind, CONF_DHCPOPT_EMPTY);
	m = m->next;
	assert_string_equal(conf_tag_name(cf, m->tag), "x");
	assert_int_equal(m->v.kind, CONF_DHCPOPT_HEX);
	assert_bytes("wild", &m->v, "0001");
	assert_non_null(m->v.wild);
	assert_true(m->v.wild[0]);
	assert_false(m->v.wild[1]);
	m = m->next;
	assert_true(m->vi_encap);
	assert_int_equal(m->enterprise, 3561);
	assert_int_equal(m->code, 0);
	m = m->next;
	assert_int_equal(m->v.kind, CONF_DHCPOPT_TEXT);
	assert_bytes("text", &m->v, "505845436c69656e74");
	m = m->next;
	/* dnsmasq's mask counts bytes written, from the end: the empty
	 * last field shifts the wildcard onto the 01 */
	assert_bytes("shifted", &m->v, "000000");
	assert_false(m->v.wild[0]);
	assert_true(m->v.wild[1]);
	assert_false(m->v.wild[2]);
	m = m->next;
	assert_int_equal(m->code, 12);	/* internal names are fine here */
	assert_int_equal(cf->dhcpopt->nmatches, 7);
	conf_free(cf);
}

/* --- errors ------------------------------------------------------------- */

struct err_row {
	const char *line;
	const char *msg;
};

static const struct err_row err_rows[] = {
	{ "dhcp-option=tag:x", "bad dhcp-option" },
	{ "dhcp-option=foo", "bad dhcp-option" },
	{ "dhcp-option=option:foo,1", "bad dhcp-option" },
	{ "dhcp-option=option:hostname,foo", "bad dhcp-option" },
	{ "dhcp-option=option:3,1.2.3.4", "bad dhcp-option" },
	{ "dhcp-option=3,", "bad IP address" },
	{ "dhcp-option=3,1", "bad IP address" },
	{ "dhcp-option=3,abc", "bad IP address" },
	{ "dhcp-option=3,tag:x", "bad IP address" },
	{ "dhcp-option=4294967299,1", "bad IP address" },
	{ "dhcp-option=3,1.2.3", "bad IPv4 address" },
	{ "dhcp-option=121,1.2.3.4,,5.6.7.8", "bad IPv4 address" },
	{ "dhcp-option=1,1.2.3.4 5", "bad IPv4 address" },
	{ "dhcp-option=encap:5,vendor:X,1", "inappropriate vendor:" },
	{ "dhcp-option=vendor:X,encap:5,1", "inappropriate encap:" },
	{ "dhcp-match=set:x,vendor:a,3", "inappropriate vendor:" },
	{ "dhcp-match=set:x,encap:3,3", "inappropriate encap:" },
	{ "dhcp-match=3", "illegal dhcp-match" },
	{ "dhcp-match=a,b,3", "illegal dhcp-match" },
	{ "dhcp-match=set:x,tag:y,3", "illegal dhcp-match" },
	{ "dhcp-match=set:x,60,1.2.3", "bad IPv4 address" },
	{ "dhcp-option=53,5", "dhcp-option too long" },
	{ "dhcp-option=43,5", "dhcp-option too long" },
	{ "dhcp-option=119,-A.example", "bad domain in dhcp-option" },
	{ "dhcp-option=119,Ab--c", "bad domain in dhcp-option" },
	{ "dhcp-option=119,A.xn--abc", "bad domain in dhcp-option" },
	{ "dhcp-option=119,\" \"", "bad domain in dhcp-option" },
	{ "dhcp-option=119,\"a\\tb\"", "bad domain in dhcp-option" },
	{ "dhcp-option=vendor:x,option:domain-search,-A",
	    "bad domain in dhcp-option" },
	{ "dhcp-option=vendor:x,option6:1,1",
	    "unsupported encapsulation for IPv6 option" },
	{ "dhcp-option=option6:dns-server,1.2.3.4", "bad IPv6 address" },
	{ "dhcp-option=option6:foo,1", "bad dhcp-option" },
	{ "dhcp-option=option6:client-id,1", "bad dhcp-option" },
	{ "dhcp-option=option6:domain-search,-A", "bad domain in dhcp-option" },
};

static void
err_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(err_rows) / sizeof(err_rows[0]); i++) {
		const struct err_row *r = &err_rows[i];
		struct conf_result res;
		char text[600];
		size_t n = strlen(r->msg);

		snprintf(text, sizeof(text), "%s\n", r->line);
		if (load(text, &res) != NULL)
			fail_msg("%s: accepted, want \"%s\"", r->line, r->msg);
		assert_int_equal(res.exit_code, 1);
		if (strncmp(res.msg, r->msg, n) != 0 ||
		    strncmp(res.msg + n, " at line 1 of ", 14) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", r->line, res.msg,
			    r->msg);
	}
}

static void
encap_limits(void **state)
{
	char text[1200], *p;
	struct conf_result res;
	struct conf *cf;
	int i;

	(void)state;
	/* 253 bytes fit under vendor: and encap:, 250 under vi-encap: */
	p = text + sprintf(text, "dhcp-option=vendor:X,1,00");
	for (i = 1; i < 253; i++)
		p += sprintf(p, ":00");
	strcpy(p, "\n");
	cf = load_ok(text);
	conf_free(cf);
	strcpy(p, ":00\n");
	assert_null(load(text, &res));
	assert_int_equal(strncmp(res.msg, "dhcp-option too long", 20), 0);
	p = text + sprintf(text, "dhcp-option=vi-encap:1,1,00");
	for (i = 1; i < 250; i++)
		p += sprintf(p, ":00");
	strcpy(p, "\n");
	cf = load_ok(text);
	conf_free(cf);
	strcpy(p, ":00\n");
	assert_null(load(text, &res));
	assert_int_equal(strncmp(res.msg, "dhcp-option too long", 20), 0);
}

static void
dhcpv6_is_unsupported(void **state)
{
	struct conf *cf;

	(void)state;
	cf = load_ok("dhcp-option=option6:dns-server,[::1]\n"
	    "dhcp-match=set:x,option6:16\n");
	assert_null(cf->dhcpopt->opts);
	assert_null(cf->dhcpopt->matches);
	assert_non_null(cf->unsup_head);
	assert_string_equal(cf->unsup_head->name, "dhcp-option");
	assert_string_equal(cf->unsup_head->value, "option6:dns-server,[::1]");
	conf_free(cf);
}

/* --- option names ------------------------------------------------------- */

static void
optnames(void **state)
{
	const struct dhcp_optname *o;
	unsigned i;

	(void)state;
	o = dhcp_optname_by_name("ROUTER");
	assert_non_null(o);
	assert_int_equal(o->code, 3);
	assert_true(o->type & DHCP_OT_ADDR_LIST);
	o = dhcp_optname_by_code(93);
	assert_string_equal(o->name, "client-arch");
	assert_int_equal(o->type & DHCP_OT_WIDTH, 2);
	o = dhcp_optname_by_code(255);
	assert_string_equal(o->name, "server-ip-address");
	assert_true(dhcp_optname_by_code(53)->type & DHCP_OT_INTERNAL);
	assert_true(dhcp_optname_by_name("t1")->type & DHCP_OT_TIME);
	assert_null(dhcp_optname_by_code(4));
	assert_null(dhcp_optname_by_name("bogus"));
	for (i = 0; dhcp_optname_at(i) != NULL; i++)
		assert_ptr_equal(dhcp_optname_by_code(dhcp_optname_at(i)->code),
		    dhcp_optname_at(i));
	assert_int_equal(i, 76);
}

/* --- --dump-config ------------------------------------------------------ */

static char *
dump(const struct conf *cf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	conf_dhcpopt_print(cf, f);
	fclose(f);
	return buf;
}

static void
same_value(const char *what, const struct conf_dhcpopt_value *a,
    const struct conf_dhcpopt_value *b)
{
	unsigned i;

	if (a->kind != b->kind || a->len != b->len ||
	    (a->len && memcmp(a->val, b->val, a->len) != 0) ||
	    a->self_mask != b->self_mask || (a->wild == NULL) != (b->wild ==
	    NULL))
		fail_msg("%s: re-read differs", what);
	for (i = 0; a->wild != NULL && i < a->len; i++)
		assert_int_equal(a->wild[i], b->wild[i]);
}

static const char *const dump_lines[] = {
	"dhcp-option=3,1.2.3.4,0.0.0.0",
	"dhcp-option=66,1.2.3.4",
	"dhcp-option=67,\"a \\\"b\\\"\\tc\"",
	"dhcp-option=60,\"\"",
	"dhcp-option=60,b",
	"dhcp-option=119,a.example,b.example,.,a..b",
	"dhcp-option=119,\"x,y\".example,\"sp ace\",\" .\"",
	"dhcp-option=119,\"-b\"",
	"dhcp-option=119,5s.",
	"dhcp-option=120,\"1.2.3.4\",s.",
	"dhcp-option=120,1.2.3.4,10.0.0.0/8",
	"dhcp-option=121,10.1.2.3/12,0.0.0.0/,1.2.3.4/4294967295",
	"dhcp-option=93,7b",
	"dhcp-option=60,5i",
	"dhcp-option=43,5b",
	"dhcp-option=58,1w",
	"dhcp-option=58,-5",
	"dhcp-option=58,a::b",
	"dhcp-option=60,01::02",
	"dhcp-option=tag:a,tag:!b,set:c,vendor:\"MSFT 5.0\",6,1.2.3.4",
	"dhcp-option=vendor:X,option:domain-name,1.2.3.4",
	"dhcp-option=vi-encap:3561,option:domain-search,a.b",
	"dhcp-option=encap:175,vi-encap:5,1,2",
	"dhcp-option-force=4294967295,1",
	"dhcp-option=tag:x,3",
	"dhcp-match=set:w,60,*:01:",
	"dhcp-match=set:x,58,*:a",
	"dhcp-match=set:y,vi-encap:3561,\"iPXE\"",
	"dhcp-match=set:z,option:client-arch,7",
};

static void
dump_rereads(void **state)
{
	char text[4000] = "", *d1, *d2;
	const struct conf_dhcp_opt *a, *b;
	const struct conf_dhcp_match *ma, *mb;
	struct conf *cf1, *cf2;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dump_lines) / sizeof(dump_lines[0]); i++) {
		strcat(text, dump_lines[i]);
		strcat(text, "\n");
	}
	cf1 = load_ok(text);
	d1 = dump(cf1);
	cf2 = load_ok(d1);
	d2 = dump(cf2);
	assert_string_equal(d1, d2);
	for (a = cf1->dhcpopt->opts, b = cf2->dhcpopt->opts; a || b;
	    a = a->next, b = b->next) {
		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(a->code, b->code);
		assert_int_equal(a->flags, b->flags);
		assert_int_equal(a->encap, b->encap);
		assert_int_equal(a->tags.n, b->tags.n);
		same_value(d1, &a->v, &b->v);
	}
	for (ma = cf1->dhcpopt->matches, mb = cf2->dhcpopt->matches; ma || mb;
	    ma = ma->next, mb = mb->next) {
		assert_non_null(ma);
		assert_non_null(mb);
		assert_int_equal(ma->code, mb->code);
		assert_int_equal(ma->enterprise, mb->enterprise);
		same_value(d1, &ma->v, &mb->v);
	}
	assert_non_null(strstr(d1, "dhcp-option=3,1.2.3.4,0.0.0.0\n"));
	assert_non_null(strstr(d1, "dhcp-option=66,\"1.2.3.4\"\n"));
	assert_non_null(strstr(d1, "dhcp-option=93,7b\n"));
	assert_non_null(strstr(d1, "dhcp-option=58,604800\n"));
	assert_non_null(strstr(d1, "dhcp-option=tag:a,tag:!b,tag:c,"
	    "vendor:\"MSFT 5.0\",6,1.2.3.4\n"));
	assert_non_null(strstr(d1, "dhcp-option=vendor:X,"
	    "option:domain-name,\"1.2.3.4\"\n"));
	assert_non_null(strstr(d1, "dhcp-match=set:w,60,00:*:00\n"));
	free(d1);
	free(d2);
	conf_free(cf1);
	conf_free(cf2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enc_table),
		cmocka_unit_test(option_fields),
		cmocka_unit_test(self_mask),
		cmocka_unit_test(lengths),
		cmocka_unit_test(idna_names),
		cmocka_unit_test(match_forms),
		cmocka_unit_test(err_table),
		cmocka_unit_test(encap_limits),
		cmocka_unit_test(dhcpv6_is_unsupported),
		cmocka_unit_test(optnames),
		cmocka_unit_test(dump_rereads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
