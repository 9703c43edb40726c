/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_hostsfile.c - the hosts-file parser against dnsmasq 2.90.
 *
 * Every row of the table was checked with the real dnsmasq 2.90
 * (Debian 12, under a UTF-8 locale): the file given as addn-hosts to
 * "dnsmasq -k --port=5399 --listen-address=127.0.0.1 --no-hosts" on
 * loopback, its "bad address/name at FILE line N" and "read FILE - N
 * names" lines compared with ours; the canonical names of "upper",
 * "utf8", "nbsp", "underscore", "star" and "nul_in_token" were also
 * confirmed by querying that dnsmasq for them.
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
#include <sys/stat.h>
#include <unistd.h>

#include "hostsfile.h"

#define IN(s) s, sizeof(s) - 1

struct hf_case {
	const char *name;
	const char *in;
	size_t len;
	size_t names;		/* dnsmasq's "read FILE - N names" */
	const char *diags;	/* "A3": bad address line 3, "N4": bad name */
	const char *entries;	/* "ADDR NAME|..." in file order */
};

static const struct hf_case hf_cases[] = {
	{ "basic",
	    IN("127.0.0.1 localhost\n"),
	    1, "",
	    "127.0.0.1 localhost" },
	{ "several_names",
	    IN("10.0.0.1 a b c\n"),
	    3, "",
	    "10.0.0.1 a|10.0.0.1 b|10.0.0.1 c" },
	{ "ipv6",
	    IN("::1 localhost ip6-localhost\n"
	    "fe80::1 x\n"),
	    3, "",
	    "::1 localhost|::1 ip6-localhost|fe80::1 x" },
	{ "ipv6_scope_bad",
	    IN("fe80::1%eth0 x\n"
	    "10.0.0.1 y\n"),
	    1, "A1",
	    "10.0.0.1 y" },
	{ "ipv4_mapped",
	    IN("::ffff:1.2.3.4 m\n"),
	    1, "",
	    "::ffff:1.2.3.4 m" },
	{ "comment_line",
	    IN("# c\n"
	    "10.0.0.1 a # b c\n"
	    "10.0.0.2 d\n"),
	    2, "",
	    "10.0.0.1 a|10.0.0.2 d" },
	{ "hash_in_token",
	    IN("10.0.0.1 a#b c\n"
	    "10.0.0.2 d\n"),
	    2, "",
	    "10.0.0.1 a|10.0.0.2 d" },
	{ "hash_after_addr",
	    IN("10.0.0.1#x\n"
	    "10.0.0.2 b\n"),
	    1, "",
	    "10.0.0.2 b" },
	{ "no_final_newline",
	    IN("10.0.0.1 a"),
	    1, "",
	    "10.0.0.1 a" },
	{ "address_only",
	    IN("10.0.0.1\n"
	    "10.0.0.2\n"),
	    0, "",
	    "" },
	{ "bad_octet",
	    IN("10.0.0.256 a\n"
	    "10.0.0.1 b\n"),
	    1, "A1",
	    "10.0.0.1 b" },
	{ "short_ipv4",
	    IN("1.2.3 a\n"),
	    0, "A1",
	    "" },
	{ "leading_zero",
	    IN("010.0.0.1 a\n"),
	    0, "A1",
	    "" },
	{ "name_first",
	    IN("host 1.2.3.4\n"),
	    0, "A1",
	    "" },
	{ "bad_name_line",
	    IN("\n"
	    "\n"
	    "10.0.0.1 ok\n"
	    "10.0.0.2 a\001b c\n"),
	    2, "N4",
	    "10.0.0.1 ok|10.0.0.2 c" },
	{ "label_63",
	    IN("10.0.0.1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaa.x\n"),
	    1, "",
	    "10.0.0.1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaa.x" },
	{ "label_64",
	    IN("10.0.0.1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaa.x\n"),
	    0, "N1",
	    "" },
	{ "upper",
	    IN("10.0.0.1 Foo BAR.Example\n"),
	    2, "",
	    "10.0.0.1 foo|10.0.0.1 bar.example" },
	{ "hyphen_lower",
	    IN("10.0.0.1 -ab ab-\n"),
	    2, "",
	    "10.0.0.1 -ab|10.0.0.1 ab-" },
	{ "hyphen_upper",
	    IN("10.0.0.1 -Ab\n"),
	    0, "N1",
	    "" },
	{ "utf8",
	    IN("10.0.0.1 b\303\274cher.example\n"),
	    1, "",
	    "10.0.0.1 xn--bcher-kva.example" },
	{ "bad_utf8",
	    IN("10.0.0.1 a\377b\n"),
	    0, "N1",
	    "" },
	{ "trailing_dot",
	    IN("10.0.0.1 a. b.c.\n"),
	    2, "",
	    "10.0.0.1 a|10.0.0.1 b.c" },
	{ "dot_only",
	    IN("10.0.0.1 . ..\n"),
	    2, "",
	    "10.0.0.1 |10.0.0.1 ." },
	{ "crlf",
	    IN("10.0.0.1 a\r\n"
	    "10.0.0.2 b\r\n"
	    "bad\r\n"),
	    2, "A3",
	    "10.0.0.1 a|10.0.0.2 b" },
	{ "white_space",
	    IN("  \t10.0.0.1\t\ta \013 b\014 c\n"),
	    3, "",
	    "10.0.0.1 a|10.0.0.1 b|10.0.0.1 c" },
	{ "line_count",
	    IN("\n"
	    "\n"
	    "# x\n"
	    "\n"
	    "bad a\n"
	    "\n"
	    "1.1.1.1 \002\n"),
	    0, "A5 N7",
	    "" },
	{ "bad_then_good",
	    IN("x y z\n"
	    "1.1.1.1 a\n"
	    "q\n"),
	    1, "A1 A3",
	    "1.1.1.1 a" },
	{ "nul_in_token",
	    IN("10.0.0.1 a\000b c\n"),
	    2, "",
	    "10.0.0.1 a|10.0.0.1 c" },
	{ "empty",
	    IN(""),
	    0, "",
	    "" },
	{ "comments_only",
	    IN("#only"),
	    0, "",
	    "" },
	{ "del_char",
	    IN("10.0.0.1 a\177b\n"),
	    0, "N1",
	    "" },
	{ "underscore",
	    IN("10.0.0.1 a_b A_B _x\n"),
	    3, "",
	    "10.0.0.1 a_b|10.0.0.1 a_b|10.0.0.1 _x" },
	{ "duplicate",
	    IN("1.1.1.1 a a\n"
	    "1.1.1.1 a\n"),
	    3, "",
	    "1.1.1.1 a|1.1.1.1 a|1.1.1.1 a" },
	{ "bad_at_eof",
	    IN("bad"),
	    0, "A1",
	    "" },
	{ "star",
	    IN("10.0.0.1 *.x a*b\n"),
	    2, "",
	    "10.0.0.1 *.x|10.0.0.1 a*b" },
	{ "xn_label",
	    IN("10.0.0.1 xn--bcher-kva.example xn--zz\n"),
	    2, "",
	    "10.0.0.1 xn--bcher-kva.example|10.0.0.1 xn--zz" },
	{ "xn_label_upper",
	    IN("10.0.0.1 XN--ZZ\n"),
	    0, "N1",
	    "" },
	{ "nbsp",
	    IN("10.0.0.1 \302\240x\n"),
	    1, "",
	    "10.0.0.1  x" },
	{ "emoji",
	    IN("10.0.0.1 \360\237\230\200.x\n"),
	    0, "N1",
	    "" },
	{ "space_vt_addr",
	    IN("\01310.0.0.1 a\n"),
	    1, "",
	    "10.0.0.1 a" },
	{ "ipv6_brackets",
	    IN("[::1] a\n"),
	    0, "A1",
	    "" },
	{ "ipv4_trailing_dot",
	    IN("10.0.0.1. a\n"),
	    0, "A1",
	    "" },
	{ "hash_name",
	    IN("10.0.0.1 a\n"
	    "#10.0.0.2 b\n"
	    " 10.0.0.3 c\n"),
	    2, "",
	    "10.0.0.1 a|10.0.0.3 c" },
};

static struct hostsfile *
hf_parse_mem(const char *in, size_t len)
{
	struct hostsfile *h = NULL;
	FILE *f = len == 0 ? fopen("/dev/null", "r") :
	    fmemopen((void *)(uintptr_t)in, len, "r");

	assert_non_null(f);
	assert_int_equal(hostsfile_read(f, &h), 0);
	fclose(f);
	assert_non_null(h);
	return h;
}

/* The table's notation for a result. */
static void
hf_render(const struct hostsfile *h, char *diags, char *entries, size_t sz)
{
	size_t i, dl = 0, el = 0;

	diags[0] = entries[0] = '\0';
	for (i = 0; i < h->n_diags; i++)
		dl += (size_t)snprintf(diags + dl, sz - dl, "%s%c%u",
		    i ? " " : "", h->diags[i].what == HOSTSFILE_BAD_ADDRESS ?
		    'A' : 'N', h->diags[i].line);
	for (i = 0; i < h->n; i++) {
		char a[INET6_ADDRSTRLEN];

		inet_ntop(h->entries[i].family, &h->entries[i].addr, a,
		    sizeof(a));
		el += (size_t)snprintf(entries + el, sz - el, "%s%s %s",
		    i ? "|" : "", a, h->entries[i].name);
	}
}

static void
table_as_dnsmasq(void **state)
{
	static char diags[4096], entries[4096];
	size_t i, names;

	(void)state;
	for (i = 0; i < sizeof(hf_cases) / sizeof(hf_cases[0]); i++) {
		const struct hf_case *c = &hf_cases[i];
		struct hostsfile *h = hf_parse_mem(c->in, c->len);

		hf_render(h, diags, entries, sizeof(diags));
		names = hostsfile_names(h, NULL, NULL);
		if (names != c->names)
			fail_msg("%s: %zu names, want %zu", c->name, names,
			    c->names);
		if (strcmp(diags, c->diags) != 0)
			fail_msg("%s: problems \"%s\", want \"%s\"", c->name,
			    diags, c->diags);
		if (strcmp(entries, c->entries) != 0)
			fail_msg("%s: entries \"%s\", want \"%s\"", c->name,
			    entries, c->entries);
		hostsfile_free(h);
	}
}

/* A token keeps its first 1024 bytes: 2000 letters are one label too
 * long (bad name); 600 "a." are cut to a valid name of 1024 bytes. */
static void
long_tokens(void **state)
{
	char *in = malloc(4096);
	struct hostsfile *h;
	size_t n;

	(void)state;
	assert_non_null(in);
	n = (size_t)sprintf(in, "10.0.0.1 ");
	memset(in + n, 'a', 2000);
	n += 2000;
	n += (size_t)sprintf(in + n, "\n10.0.0.2 b\n");
	h = hf_parse_mem(in, n);
	assert_int_equal(h->n, 1);
	assert_string_equal(h->entries[0].name, "b");
	assert_int_equal(h->n_diags, 1);
	assert_int_equal(h->diags[0].what, HOSTSFILE_BAD_NAME);
	hostsfile_free(h);

	n = (size_t)sprintf(in, "10.0.0.1 ");
	for (size_t i = 0; i < 600; i++)
		n += (size_t)sprintf(in + n, "a.");
	h = hf_parse_mem(in, n);
	assert_int_equal(h->n, 1);
	/* 1024 bytes ending in a dot, which goes */
	assert_int_equal(strlen(h->entries[0].name), HOSTSFILE_TOKEN_MAX - 1);
	assert_true(h->entries[0].fqdn);
	hostsfile_free(h);
	free(in);
}

/* Names of 976 bytes: accepted as ASCII; with capitals they go through
 * IDNA, whose limit is 253 bytes (dnsmasq: bad name). */
static void
long_names(void **state)
{
	char in[1100];
	struct hostsfile *h;
	size_t n, i;

	(void)state;
	for (int upper = 0; upper < 2; upper++) {
		n = (size_t)sprintf(in, "10.0.0.1 ");
		for (i = 0; i < 16; i++) {
			memset(in + n, upper ? 'A' : 'a', 60);
			n += 60;
			in[n++] = '.';
		}
		h = hf_parse_mem(in, n);
		assert_int_equal(h->n, upper ? 0 : 1);
		assert_int_equal(h->n_diags, upper ? 1 : 0);
		hostsfile_free(h);
	}
}

static bool
hf_domain_v4(const struct hostsfile_entry *e, void *arg)
{
	(void)arg;
	return e->family == AF_INET;
}

/* expand-hosts: one more name per dotless name with a domain; checked
 * with dnsmasq: "1.1.1.1 a b.c d." "2.2.2.2 e" "fd00::1 f" is 5 names,
 * 8 with expand-hosts and domain=lan, 7 with domains for the two IPv4
 * addresses only. */
static void
expand_hosts_count(void **state)
{
	static const char in[] = "1.1.1.1 a b.c d.\n2.2.2.2 e\nfd00::1 f\n";
	struct hostsfile *h = hf_parse_mem(in, sizeof(in) - 1);

	(void)state;
	assert_int_equal(hostsfile_names(h, NULL, NULL), 5);
	assert_int_equal(hostsfile_names(h, hf_domain_v4, NULL), 7);
	assert_false(h->entries[0].fqdn);
	assert_true(h->entries[1].fqdn);
	assert_true(h->entries[2].fqdn);	/* "d." */
	assert_string_equal(h->entries[2].name, "d");
	hostsfile_free(h);
}

static void
diag_messages(void **state)
{
	struct hostsfile_diag a = { HOSTSFILE_BAD_ADDRESS, 5 };
	struct hostsfile_diag n = { HOSTSFILE_BAD_NAME, 7 };
	char buf[128];

	(void)state;
	hostsfile_diag_msg(&a, "/etc/hosts", buf, sizeof(buf));
	assert_string_equal(buf, "bad address at /etc/hosts line 5");
	hostsfile_diag_msg(&n, "/x", buf, sizeof(buf));
	assert_string_equal(buf, "bad name at /x line 7");
}

static void
load_errors(void **state)
{
	struct hostsfile *h = (struct hostsfile *)1;

	(void)state;
	assert_int_equal(hostsfile_load("/nonexistent/hosts", &h), -ENOENT);
	assert_null(h);
	assert_int_equal(hostsfile_load(NULL, &h), -EFAULT);
}

/* A scratch directory for the addn-hosts expansion tests. */
static char hf_dir[64];

static void
hf_touch(const char *rel)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", hf_dir, rel);
	assert_non_null(f = fopen(p, "w"));
	fclose(f);
}

static const char *
hf_rel(const char *path)
{
	size_t n = strlen(hf_dir);

	return path != NULL && strncmp(path, hf_dir, n) == 0 ? path + n + 1 :
	    path;
}

/* Checked with dnsmasq: addn-hosts=/h1, addn-hosts=/dir, addn-hosts=/h2
 * from a file plus --addn-hosts=/dir/b read h2, h1, dir/a, dir/b (the
 * list is built backwards; a directory's files go to the end, sorted;
 * dot files and backups are skipped; dir/b is read once). */
static void
expand_dirs(void **state)
{
	char h1[128], h2[128], dir[128], dirb[128], sub[128];
	const char *paths[6];
	struct hostsfile_paths out;
	int rc;

	(void)state;
	strcpy(hf_dir, "/tmp/test_hostsfile.XXXXXX");
	assert_non_null(mkdtemp(hf_dir));
	snprintf(dir, sizeof(dir), "%s/dir", hf_dir);
	snprintf(sub, sizeof(sub), "%s/dir/sub", hf_dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	hf_touch("h1");
	hf_touch("h2");
	hf_touch("dir/b");
	hf_touch("dir/a");
	hf_touch("dir/.hidden");
	hf_touch("dir/a~");
	hf_touch("dir/#a#");
	snprintf(h1, sizeof(h1), "%s/h1", hf_dir);
	snprintf(h2, sizeof(h2), "%s/h2", hf_dir);
	snprintf(dirb, sizeof(dirb), "%s/dir/b", hf_dir);
	/* dnsmasq's list order: last read first */
	paths[0] = h2;
	paths[1] = dir;
	paths[2] = h1;
	paths[3] = NULL;	/* addn-hosts= */
	paths[4] = dirb;
	rc = hostsfile_expand(paths, 5, &out);
	assert_int_equal(rc, 0);
	assert_int_equal(out.n, 5);
	assert_string_equal(hf_rel(out.v[0].path), "h2");
	assert_string_equal(hf_rel(out.v[1].path), "h1");
	assert_null(out.v[2].path);
	assert_string_equal(hf_rel(out.v[3].path), "dir/a");
	assert_string_equal(hf_rel(out.v[4].path), "dir/b");
	for (size_t i = 0; i < out.n; i++)
		assert_int_equal(out.v[i].dir_errno, 0);
	hostsfile_paths_free(&out);

	/* a directory that cannot be listed is reported first */
	assert_int_equal(chmod(dir, 0), 0);
	if (geteuid() != 0) {
		rc = hostsfile_expand(paths, 3, &out);
		assert_int_equal(rc, 0);
		assert_int_equal(out.v[0].dir_errno, EACCES);
		assert_string_equal(hf_rel(out.v[0].path), "dir");
		hostsfile_paths_free(&out);
	}
	assert_int_equal(chmod(dir, 0755), 0);
	{
		char cmd[160];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", hf_dir);
		assert_int_equal(system(cmd), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_as_dnsmasq),
		cmocka_unit_test(long_tokens),
		cmocka_unit_test(long_names),
		cmocka_unit_test(expand_hosts_count),
		cmocka_unit_test(diag_messages),
		cmocka_unit_test(load_errors),
		cmocka_unit_test(expand_dirs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
