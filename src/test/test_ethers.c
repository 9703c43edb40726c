/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_ethers.c - the /etc/ethers parser against dnsmasq 2.90.
 *
 * Every row of the table was checked with the real dnsmasq 2.90 (Debian
 * 12, under a UTF-8 locale): the text as /etc/ethers (a copy of /etc
 * bind-mounted in a private mount and network namespace) with
 * "dnsmasq -k --port=0 --dhcp-range=198.51.100.10,198.51.100.20
 * --read-ethers", its "bad line/address/name at /etc/ethers line N",
 * "ignoring /etc/ethers line N, duplicate name or IP address" and "read
 * /etc/ethers - N addresses" lines compared with ours.  The entries
 * follow dnsmasq's dhcp_read_ethers() (not visible in its log).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_dhcp.h"
#include "ethers.h"
#include "conf_fixture.h"

#define IN(s) s, sizeof(s) - 1

struct et_case {
	const char *name;
	const char *in;
	size_t len;
	unsigned count;		/* dnsmasq's "read FILE - N addresses" */
	const char *diags;	/* L: bad line, A: bad address, N: bad name,
				 * D: duplicate; then the line */
	const char *entries;	/* "MAC ADDR|- NAME|-|..." */
};

static const struct et_case et_cases[] = {
	{ "addr",
	    IN("52:54:00:00:00:01 198.51.100.11\n"),
	    1, "",
	    "52:54:00:00:00:01 198.51.100.11 -" },
	{ "name",
	    IN("52:54:00:00:00:02 host2\n"),
	    1, "",
	    "52:54:00:00:00:02 - host2" },
	{ "comments",
	    IN("# c\n"
	    "+nis\n"
	    "\n"
	    "52:54:00:00:00:01 a\n"),
	    1, "",
	    "52:54:00:00:00:01 - a" },
	{ "bad_mac",
	    IN("zz 1.2.3.4\n"
	    "52:54:00:00:00:01 a\n"),
	    1, "L1",
	    "52:54:00:00:00:01 - a" },
	{ "no_rest",
	    IN("52:54:00:00:00:01\n"
	    "52:54:00:00:00:02   \n"),
	    0, "L1 L2",
	    "" },
	{ "mac_nosep",
	    IN("525400000001 a\n"),
	    1, "",
	    "52:54:00:00:00:01 - a" },
	{ "mac_dash",
	    IN("52-54-00-00-00-01 a\n"),
	    1, "",
	    "52:54:00:00:00:01 - a" },
	{ "mac_single_digits",
	    IN("5:4:0:0:0:1 a\n"),
	    1, "",
	    "05:04:00:00:00:01 - a" },
	{ "mac_5_bytes",
	    IN("52:54:00:00:00 a\n"),
	    0, "L1",
	    "" },
	{ "mac_7_bytes",
	    IN("52:54:00:00:00:01:02 a\n"),
	    1, "",
	    "52:54:00:00:00:01 - a" },
	{ "mac_trailing_junk",
	    IN("52:54:00:00:00:01:zz a\n"),
	    1, "",
	    "52:54:00:00:00:01 - a" },
	{ "mac_empty_groups",
	    IN("52::54:00:00:00:01 a\n"),
	    1, "",
	    "52:54:00:00:00:01 - a" },
	{ "mac_stars",
	    IN("*:*:*:*:*:* a\n"),
	    1, "",
	    "00:00:00:00:00:00 - a" },
	{ "mac_star_mixed",
	    IN("5*:54:00:00:00:01 a\n"),
	    0, "L1",
	    "" },
	{ "mac_3digit_groups",
	    IN("525:400:000:001 a\n"),
	    1, "",
	    "52:05:40:00:00:00 - a" },
	{ "mac_upper",
	    IN("52:54:00:AB:CD:EF a\n"),
	    1, "",
	    "52:54:00:ab:cd:ef - a" },
	{ "bad_addr_short",
	    IN("52:54:00:00:00:01 1.2.3\n"),
	    0, "A1",
	    "" },
	{ "bad_addr_long",
	    IN("52:54:00:00:00:01 1.2.3.4.5\n"
	    "52:54:00:00:00:02 256.1.1.1\n"),
	    0, "A1 A2",
	    "" },
	{ "bad_name_hyphen",
	    IN("52:54:00:00:00:01 -bad\n"),
	    0, "N1",
	    "" },
	{ "name_with_space",
	    IN("52:54:00:00:00:01 a b\n"),
	    0, "N1",
	    "" },
	{ "name_second_label",
	    IN("52:54:00:00:00:01 a.-b\n"),
	    1, "",
	    "52:54:00:00:00:01 - a.-b" },
	{ "name_underscore",
	    IN("52:54:00:00:00:01 _a\n"
	    "52:54:00:00:00:02 a_b\n"),
	    1, "N1",
	    "52:54:00:00:00:02 - a_b" },
	{ "dup_addr",
	    IN("52:54:00:00:00:01 198.51.100.11\n"
	    "52:54:00:00:00:02 198.51.100.11\n"),
	    1, "D2",
	    "52:54:00:00:00:01 198.51.100.11 -" },
	{ "dup_name_case",
	    IN("52:54:00:00:00:01 host\n"
	    "52:54:00:00:00:02 HOST\n"),
	    1, "D2",
	    "52:54:00:00:00:01 - host" },
	{ "merge_mac",
	    IN("52:54:00:00:00:01 198.51.100.11\n"
	    "52:54:00:00:00:01 host\n"
	    "52:54:00:00:00:01 198.51.100.12\n"),
	    3, "",
	    "52:54:00:00:00:01 198.51.100.12 host" },
	{ "merge_then_dup",
	    IN("52:54:00:00:00:01 198.51.100.11\n"
	    "52:54:00:00:00:01 198.51.100.12\n"
	    "52:54:00:00:00:02 198.51.100.11\n"),
	    3, "",
	    "52:54:00:00:00:01 198.51.100.12 -|52:54:00:00:00:02 1"
	    "98.51.100.11 -" },
	{ "leading_space",
	    IN(" 52:54:00:00:00:01 a\n"),
	    0, "L1",
	    "" },
	{ "tab",
	    IN("52:54:00:00:00:01\thost\n"),
	    1, "",
	    "52:54:00:00:00:01 - host" },
	{ "trailing_comment",
	    IN("52:54:00:00:00:01 1.2.3.4 # x\n"),
	    1, "",
	    "52:54:00:00:00:01 - 1.2.3.4 # x" },
	{ "crlf",
	    IN("52:54:00:00:00:01 a\r\n"
	    "52:54:00:00:00:02 b\r\n"),
	    2, "",
	    "52:54:00:00:00:01 - a|52:54:00:00:00:02 - b" },
	{ "name_dots",
	    IN("52:54:00:00:00:01 host.\n"
	    "52:54:00:00:00:02 x..\n"
	    "52:54:00:00:00:03 .\n"),
	    2, "A3",
	    "52:54:00:00:00:01 - host|52:54:00:00:00:02 - x" },
	{ "ipv6_rest",
	    IN("52:54:00:00:00:01 ::1\n"),
	    0, "N1",
	    "" },
	{ "zero_addr",
	    IN("52:54:00:00:00:01 0.0.0.0\n"),
	    1, "",
	    "52:54:00:00:00:01 0.0.0.0 -" },
	{ "nul_in_line",
	    IN("52:54:00:00:00:01 a\000b\n"
	    "52:54:00:00:00:02 c\n"),
	    2, "",
	    "52:54:00:00:00:01 - a|52:54:00:00:00:02 - c" },
	{ "upper_name",
	    IN("52:54:00:00:00:01 MyHost.Lan\n"),
	    1, "",
	    "52:54:00:00:00:01 - myhost.lan" },
	{ "utf8_name",
	    IN("52:54:00:00:00:01 b\303\274cher\n"),
	    1, "",
	    "52:54:00:00:00:01 - xn--bcher-kva" },
	{ "empty",
	    IN(""),
	    0, "",
	    "" },
	{ "no_newline",
	    IN("52:54:00:00:00:01 a"),
	    1, "",
	    "52:54:00:00:00:01 - a" },
	{ "name_fqdn_digits",
	    IN("52:54:00:00:00:01 1host\n"
	    "52:54:00:00:00:02 10.0.0.1x\n"),
	    2, "",
	    "52:54:00:00:00:01 - 1host|52:54:00:00:00:02 - 10.0.0."
	    "1x" },
	{ "hash_mid",
	    IN("52:54:00:00:00:01#x a\n"),
	    0, "L1",
	    "" },
};

static struct ethers *
et_parse_mem(const char *in, size_t len)
{
	struct ethers *e = NULL;
	FILE *f = len == 0 ? fopen("/dev/null", "r") :
	    fmemopen((void *)(uintptr_t)in, len, "r");

	assert_non_null(f);
	assert_int_equal(ethers_read(f, &e), 0);
	fclose(f);
	assert_non_null(e);
	return e;
}

static void
et_render(const struct ethers *e, char *diags, char *entries, size_t sz)
{
	static const char code[] = "LAND";
	size_t i, dl = 0, el = 0;

	diags[0] = entries[0] = '\0';
	for (i = 0; i < e->n_diags; i++)
		dl += (size_t)snprintf(diags + dl, sz - dl, "%s%c%u",
		    i ? " " : "", code[e->diags[i].what], e->diags[i].line);
	for (i = 0; i < e->n; i++) {
		const struct ethers_entry *x = &e->entries[i];
		char a[INET_ADDRSTRLEN] = "-";

		if (x->has_addr)
			inet_ntop(AF_INET, &x->addr, a, sizeof(a));
		el += (size_t)snprintf(entries + el, sz - el,
		    "%s%02x:%02x:%02x:%02x:%02x:%02x %s %s", i ? "|" : "",
		    x->mac[0], x->mac[1], x->mac[2], x->mac[3], x->mac[4],
		    x->mac[5], a, x->name != NULL ? x->name : "-");
	}
}

static void
table_as_dnsmasq(void **state)
{
	static char diags[4096], entries[4096];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(et_cases) / sizeof(et_cases[0]); i++) {
		const struct et_case *c = &et_cases[i];
		struct ethers *e = et_parse_mem(c->in, c->len);

		et_render(e, diags, entries, sizeof(diags));
		if (e->count != c->count)
			fail_msg("%s: %u addresses, want %u", c->name,
			    e->count, c->count);
		if (strcmp(diags, c->diags) != 0)
			fail_msg("%s: problems \"%s\", want \"%s\"", c->name,
			    diags, c->diags);
		if (strcmp(entries, c->entries) != 0)
			fail_msg("%s: entries \"%s\", want \"%s\"", c->name,
			    entries, c->entries);
		ethers_free(e);
	}
}

/* fgets() with dnsmasq's 1025-byte buffer: a line of 1118 bytes is read
 * as two (bad name at 1: a label over 63; bad line at 2: no space), and
 * the next line is line 3; 1024 bytes and a newline are a line and an
 * empty one. */
static void
long_lines(void **state)
{
	char in[2200];
	struct ethers *e;
	size_t n;

	(void)state;
	n = (size_t)sprintf(in, "52:54:00:00:00:01 ");
	memset(in + n, 'a', 1100);
	n += 1100;
	n += (size_t)sprintf(in + n, "\n52:54:00:00:00:02 b\n");
	e = et_parse_mem(in, n);
	assert_int_equal(e->count, 1);
	assert_int_equal(e->n_diags, 2);
	assert_int_equal(e->diags[0].what, ETHERS_BAD_NAME);
	assert_int_equal(e->diags[0].line, 1);
	assert_int_equal(e->diags[1].what, ETHERS_BAD_LINE);
	assert_int_equal(e->diags[1].line, 2);
	assert_string_equal(e->entries[0].name, "b");
	ethers_free(e);

	n = (size_t)sprintf(in, "52:54:00:00:00:01 ");
	for (size_t i = 0; i < 503; i++)
		n += (size_t)sprintf(in + n, "a.");
	in[n++] = '\n';
	assert_int_equal(n, 1025);
	e = et_parse_mem(in, n);
	assert_int_equal(e->count, 1);
	assert_int_equal(e->n_diags, 0);
	ethers_free(e);
}

static void
diag_messages(void **state)
{
	static const struct {
		enum ethers_problem what;
		const char *want;
	} m[] = {
		{ ETHERS_BAD_LINE, "bad line at /etc/ethers line 3" },
		{ ETHERS_BAD_ADDRESS, "bad address at /etc/ethers line 3" },
		{ ETHERS_BAD_NAME, "bad name at /etc/ethers line 3" },
		{ ETHERS_DUPLICATE, "ignoring /etc/ethers line 3, duplicate "
		    "name or IP address" },
	};
	char buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		struct ethers_diag d = { m[i].what, 3 };

		ethers_diag_msg(&d, "/etc/ethers", buf, sizeof(buf));
		assert_string_equal(buf, m[i].want);
	}
}

static void
load_errors(void **state)
{
	struct ethers *e = (struct ethers *)1;

	(void)state;
	assert_int_equal(ethers_load("/nonexistent/ethers", &e), -ENOENT);
	assert_null(e);
}

/*
 * ethers_apply(): the entries merged into dhcp-host as dnsmasq 2.90's
 * dhcp_read_ethers() merges them (dhcp.c: search by address, else name;
 * else by the single exact MAC; else a new config ahead of the others).
 * Hosts rendered in reading order: "MAC ADDR NAME noclid|-".
 */
struct ap_case {
	const char *name, *conf, *ethers, *want;
};

static const struct ap_case ap_cases[] = {
	{ "new entries go after the main dhcp-hosts",
	  "dhcp-range=198.51.100.10,198.51.100.20\n"
	  "dhcp-host=02:00:00:00:00:01,198.51.100.5\n",
	  "02:00:00:00:00:02 198.51.100.6\n02:00:00:00:00:03 pc3\n",
	  "02:00:00:00:00:01 198.51.100.5 - -|"
	  "02:00:00:00:00:02 198.51.100.6 - noclid|"
	  "02:00:00:00:00:03 - pc3 noclid" },
	{ "an address a dhcp-host gives: its MAC replaced",
	  "dhcp-range=198.51.100.10,198.51.100.20\n"
	  "dhcp-host=02:00:00:00:00:01,02:00:00:00:00:09,198.51.100.5,h1\n",
	  "02:00:00:00:00:07 198.51.100.5\n",
	  "02:00:00:00:00:07 198.51.100.5 h1 noclid" },
	{ "a name a dhcp-host gives: its MAC replaced",
	  "dhcp-range=198.51.100.10,198.51.100.20\n"
	  "dhcp-host=02:00:00:00:00:01,pc1\n",
	  "02:00:00:00:00:07 PC1\n",
	  "02:00:00:00:00:07 - pc1 noclid" },
	{ "a dhcp-host's single MAC: address added",
	  "dhcp-range=198.51.100.10,198.51.100.20\n"
	  "dhcp-host=02:00:00:00:00:01,pc1\n",
	  "02:00:00:00:00:01 198.51.100.7\n",
	  "02:00:00:00:00:01 198.51.100.7 pc1 noclid" },
	{ "a wildcard MAC does not take the entry",
	  "dhcp-range=198.51.100.10,198.51.100.20\n"
	  "dhcp-host=02:00:00:00:00:*,pc1\n",
	  "02:00:00:00:00:01 198.51.100.7\n",
	  "02:00:00:00:00:* - pc1 -|"
	  "02:00:00:00:00:01 198.51.100.7 - noclid" },
	{ "two MACs on a dhcp-host do not take the entry",
	  "dhcp-range=198.51.100.10,198.51.100.20\n"
	  "dhcp-host=02:00:00:00:00:01,02:00:00:00:00:02,pc1\n",
	  "02:00:00:00:00:01 198.51.100.7\n",
	  "02:00:00:00:00:01 - pc1 -|"
	  "02:00:00:00:00:01 198.51.100.7 - noclid" },
};

static void
ap_render(const struct conf *cf, char *out, size_t sz)
{
	const struct conf_dhcp_host *h;
	size_t n = 0;

	out[0] = '\0';
	for (h = cf->dhcp->hosts; h != NULL; h = h->next) {
		char a[INET_ADDRSTRLEN] = "-", mac[24] = "-";
		unsigned k;

		if (h->flags & CONF_DHCP_HOST_ADDR)
			inet_ntop(AF_INET, &h->addr, a, sizeof(a));
		for (k = 0; h->nhw > 0 && k < 6; k++) {
			char *p = mac + (k ? 3 * k - 1 : 0);

			if (h->hw[0].wild & (1u << k))
				snprintf(p, 4, "%s*", k ? ":" : "");
			else
				snprintf(p, 4, "%s%02x", k ? ":" : "",
				    h->hw[0].addr[k]);
		}
		n += (size_t)snprintf(out + n, sz - n, "%s%s %s %s %s",
		    n ? "|" : "", mac, a,
		    (h->flags & CONF_DHCP_HOST_NAME) ? h->hostname : "-",
		    (h->flags & CONF_DHCP_HOST_NOCLID) ? "noclid" : "-");
	}
}

static void
apply_as_dnsmasq(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ap_cases) / sizeof(ap_cases[0]); i++) {
		const struct ap_case *c = &ap_cases[i];
		struct conf *cf = load_ok(c->conf);
		struct ethers *e = et_parse_mem(c->ethers, strlen(c->ethers));
		char got[1024];

		assert_int_equal(ethers_apply(e, "/etc/ethers", cf), 0);
		ap_render(cf, got, sizeof(got));
		if (strcmp(got, c->want) != 0)
			fail_msg("%s:\n got  %s\n want %s", c->name, got,
			    c->want);
		ethers_free(e);
		conf_free(cf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_as_dnsmasq),
		cmocka_unit_test(long_lines),
		cmocka_unit_test(diag_messages),
		cmocka_unit_test(load_errors),
		cmocka_unit_test(apply_as_dnsmasq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
