/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_conf_other.c - the options pxemasq reads but does not implement:
 * ignored ones load with a warning, refused ones stop the load unless
 * --ignore-unsupported, values keep their quoting, dnsmasq's messages.
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

#include "conf.h"
#include "conf_dns.h"

/* A writable copy of a string literal, for argv. */
#define ARG(s) ((char []){ s })

struct load {
	struct conf *cf;
	struct conf_result res;
	char path[64];
	char err[4096];		/* what conf_load wrote to stderr */
};

/* Writes text to a new file; the name is in l->path. */
static void
write_conf(struct load *l, const char *text)
{
	int fd;

	snprintf(l->path, sizeof(l->path), "/tmp/test_conf_other.XXXXXX");
	fd = mkstemp(l->path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* Runs conf_load on argv, catching what it writes to stderr. */
static void
run(struct load *l, int argc, char **argv)
{
	int saved, fd;
	FILE *cap;
	size_t n;

	cap = tmpfile();
	assert_non_null(cap);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = fileno(cap);
	dup2(fd, STDERR_FILENO);
	l->cf = conf_load(argc, argv, &l->res);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(cap);
	n = fread(l->err, 1, sizeof(l->err) - 1, cap);
	l->err[n] = '\0';
	fclose(cap);
}

/* Loads text with --test (and --ignore-unsupported when asked). */
static void
load(struct load *l, const char *text, bool ignore)
{
	char *argv[6] = { ARG("pxemasq"), ARG("--test"), ARG("-C"), NULL };
	char *ign = ARG("--ignore-unsupported");
	int argc = 4;

	memset(l, 0, sizeof(*l));
	write_conf(l, text);
	argv[3] = l->path;
	if (ignore)
		argv[argc++] = ign;
	run(l, argc, argv);
}

static void
unload(struct load *l)
{
	conf_free(l->cf);
	unlink(l->path);
}

static const struct conf_unsup *
find_unsup(const struct conf *cf, const char *name)
{
	const struct conf_unsup *u;

	for (u = cf->unsup_head; u != NULL; u = u->next)
		if (strcmp(u->name, name) == 0)
			return u;
	return NULL;
}

/* (a) An ignored option loads, is warned about and listed, not refused. */
static void
ignored_option_warns(void **state)
{
	struct load l;
	const struct conf_unsup *u;
	char want[256];

	(void)state;
	load(&l, "# limit\nport-limit=60\n", false);
	assert_non_null(l.cf);
	assert_int_equal(l.res.exit_code, 0);
	u = find_unsup(l.cf, "port-limit");
	assert_non_null(u);
	assert_false(u->refused);
	assert_string_equal(u->value, "60");
	assert_int_equal(u->src.line, 2);
	snprintf(want, sizeof(want), "warning: option 'port-limit' is not "
	    "supported by pxemasq; ignored at line 2 of %s", l.path);
	assert_non_null(strstr(l.err, want));
	unload(&l);
}

/* (b) A refused option stops the load, naming the option and line. */
static void
refused_option_stops(void **state)
{
	struct load l;
	char want[256];

	(void)state;
	load(&l, "port=53\n\nalias=192.0.2.1,192.0.2.2\n", false);
	assert_null(l.cf);
	assert_int_equal(l.res.exit_code, 1);
	assert_non_null(strstr(l.res.msg, "'alias'"));
	snprintf(want, sizeof(want), "at line 3 of %s", l.path);
	assert_non_null(strstr(l.res.msg, want));
	unload(&l);
}

static void
refused_option_ignored_on_request(void **state)
{
	struct load l;
	const struct conf_unsup *u;

	(void)state;
	load(&l, "alias=192.0.2.1,192.0.2.2\n", true);
	assert_non_null(l.cf);
	assert_int_equal(l.res.exit_code, 0);
	u = find_unsup(l.cf, "alias");
	assert_non_null(u);
	assert_true(u->refused);
	assert_non_null(strstr(l.err, "'alias'"));
	unload(&l);
}

/* Flags the dispatcher records: classes come from the table. */
static void
flags_recorded(void **state)
{
	struct load l;

	(void)state;
	load(&l, "quiet-ra\ndnssec\n", true);
	assert_non_null(l.cf);
	assert_false(find_unsup(l.cf, "quiet-ra")->refused);
	assert_true(find_unsup(l.cf, "dnssec")->refused);
	assert_null(find_unsup(l.cf, "dnssec")->value);
	unload(&l);
}

/* The value is kept as lexed: quoted characters stay hidden (control
 * bytes), so that the printer can quote them again. */
static void
raw_value_keeps_hidden_bytes(void **state)
{
	struct load l;
	const struct conf_dns_rr *u;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	load(&l, "txt-record=example.com,\"a,b\",c\n", true);
	assert_non_null(l.cf);
	assert_null(find_unsup(l.cf, "txt-record"));	/* served */
	u = l.cf->dns->rrs;
	assert_non_null(u);
	assert_int_equal(strlen(u->raw), strlen("example.com,a,b,c"));
	assert_true((unsigned char)u->raw[13] < 0x20);
	/* the quoted comma is in the first string: "a,b" then "c" */
	assert_int_equal(u->len, 6);
	assert_memory_equal(u->data, "\3a,b\1c", 6);
	out = open_memstream(&buf, &len);
	conf_print(l.cf, out);
	fclose(out);
	assert_non_null(strstr(buf, "\ntxt-record=example.com,\"a,b\",c\n"));
	free(buf);
	unload(&l);
}

/* A single-valued option on the command line and in a file: the file's
 * value replaces it, and it is listed once. */
static void
file_overrides_command_line(void **state)
{
	struct load l;
	char *argv[] = { ARG("pxemasq"), ARG("--test"),
		ARG("--ignore-unsupported"), ARG("--port-limit=5"), ARG("-C"),
		NULL };
	const struct conf_unsup *u;
	unsigned n = 0;

	(void)state;
	memset(&l, 0, sizeof(l));
	write_conf(&l, "port-limit=7\n");
	argv[5] = l.path;
	run(&l, 6, argv);
	assert_non_null(l.cf);
	for (u = l.cf->unsup_head; u != NULL; u = u->next)
		if (strcmp(u->name, "port-limit") == 0) {
			n++;
			assert_string_equal(u->value, "7");
			assert_int_equal(u->src.line, 1);
		}
	assert_int_equal(n, 1);
	unload(&l);
}

struct verdict {
	const char *conf;
	const char *msg;	/* NULL: accepted */
	int code;
};

/* dnsmasq's verdicts (checked with dnsmasq 2.90 --test). */
static const struct verdict verdicts[] = {
	{ "local-ttl=x\n", "error at line 1", 1 },
	{ "query-port=4294967296\n", NULL, 0 },
	{ "query-port=65536\n", "error at line 1", 1 },
	{ "bogus-nxdomain=1.2.3.4/2147483648\n", NULL, 0 },
	{ "mx-host=a.com,b.com,x\n", "bad MX preference at line 1", 1 },
	{ "mx-host=Xn--abc.com\n", "bad MX name at line 1", 1 },
	{ "mx-host=-a.com\n", NULL, 0 },
	{ "srv-host=_a._tcp.example.com,t.example.com,389,1,2,3\n",
	  "invalid weight at line 1", 1 },
	{ "dns-rr=example.com,51,zz\n", "could not get memory", 4 },
	{ "dhcp-luascript=/x.lua\n", "recompile with HAVE_LUASCRIPT defined "
	  "to enable Lua scripts at line 1", 1 },
	{ "connmark-allowlist=1,a.example.com\n"
	  "connmark-allowlist=1,b.example.com\n", "error at line 2", 1 },
	{ "connmark-allowlist=1,a.example.com\n"
	  "connmark-allowlist=1/255,b.example.com\n", NULL, 0 },
	{ "rev-server=1.2.3.0/33,1.1.1.1#x\n", "bad port at line 1", 1 },
	{ "synth-domain=example.com,fd00::/48,h-*\n",
	  "prefix length too small at line 1", 1 },
	{ "dhcp-relay=anything,goes\n", NULL, 0 },
	{ "umbrella=xorgid:5\n", "error at line 1", 1 },
	{ "umbrella=orgid:5,assetid:6\n", NULL, 0 },
	{ "alias=1.2.3.4-1.2.3.5,5.6.7.8\n", "invalid alias range at line 1",
	  1 },
	{ "filter-A=1\n", "extraneous parameter at line 1", 1 },
	{ "max-ttl=1\nmax-ttl=2\n", "illegal repeated keyword at line 2", 1 },
};

/* Names with upper case or non-ASCII letters go through IDNA2008 in the
 * locale's character set, as in dnsmasq (which calls setlocale). */
static const struct verdict idn_verdicts[] = {
	{ "ptr-record=f\xc3\xb6\xc3\xb6.com\n", NULL, 0 },
	{ "ptr-record=\xc3\x84" "B\n", NULL, 0 },
	{ "ptr-record=f\xf6.com\n", "bad PTR record at line 1", 1 },
	{ "ptr-record=Foo.com\n", NULL, 0 },
	{ "ptr-record=A_B.com\n", NULL, 0 },
	{ "ptr-record=A-.com\n", "bad PTR record at line 1", 1 },
	{ "ptr-record=Xn--abc.com\n", "bad PTR record at line 1", 1 },
	{ "ptr-record=xn--abc.com\n", NULL, 0 },
	{ "ptr-record=a..b\n", NULL, 0 },
	{ "ptr-record=.\n", NULL, 0 },
	{ "ptr-record=\" \"\n", "bad PTR record at line 1", 1 },
	{ "ptr-record=\"a\\tb\"\n", "bad PTR record at line 1", 1 },
};

static void
check_verdicts(const struct verdict *tab, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct verdict *v = &tab[i];
		struct load l;

		load(&l, v->conf, true);
		if (v->msg == NULL) {
			if (l.cf == NULL)
				fail_msg("%s: %s", v->conf, l.res.msg);
		} else {
			if (l.cf != NULL)
				fail_msg("%s: accepted", v->conf);
			if (strstr(l.res.msg, v->msg) != l.res.msg)
				fail_msg("%s: got \"%s\"", v->conf, l.res.msg);
			assert_int_equal(l.res.exit_code, v->code);
		}
		unload(&l);
	}
}

static void
dnsmasq_verdicts(void **state)
{
	(void)state;
	check_verdicts(verdicts, sizeof(verdicts) / sizeof(verdicts[0]));
}

static void
idn_names(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		skip();
	check_verdicts(idn_verdicts,
	    sizeof(idn_verdicts) / sizeof(idn_verdicts[0]));
	setlocale(LC_ALL, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ignored_option_warns),
		cmocka_unit_test(refused_option_stops),
		cmocka_unit_test(refused_option_ignored_on_request),
		cmocka_unit_test(flags_recorded),
		cmocka_unit_test(raw_value_keeps_hidden_bytes),
		cmocka_unit_test(file_overrides_command_line),
		cmocka_unit_test(dnsmasq_verdicts),
		cmocka_unit_test(idn_names),
	};

	/* dnsmasq reads names in the locale's character set (IDN2). */
	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
