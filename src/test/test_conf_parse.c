/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_conf_parse.c - the configuration framework through conf_load():
 * dnsmasq's line lexer, the command line, repetition rules, conf-file and
 * conf-dir, provenance and the unsupported-option list.
 *
 * Table driven: each row is one named cmocka case.  A row gives files to
 * create in a private directory (the working directory during the case),
 * the command line, and either the expected error (exit status and
 * message) or a description of the loaded configuration (see
 * tc_describe()).  Expected values are dnsmasq 2.90's behaviour, checked
 * with dnsmasq --test (the same cases are in src/test/conf/ where a file
 * can express them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_int.h"

#define TC_MAX_FILES 6
#define TC_MAX_ARGS 12

struct tc_file {
	const char *name;	/* relative; a name ending in '/' is a dir */
	const char *text;
	size_t len;		/* 0: strlen(text) */
};

struct tc_row {
	const char *name;
	struct tc_file files[TC_MAX_FILES];
	const char *argv[TC_MAX_ARGS];	/* after the program name */
	int exit_code;			/* expected; 0 = loads */
	const char *msg;		/* expected message when exit_code */
	const char *want;		/* expected tc_describe() when loads */
	const char *stdin_text;		/* stdin contents, NULL: empty */
};

/* --- fixture: a private working directory per group ------------------- */

struct tc_group {
	char dir[64];
	int home_fd;
};

static struct tc_group tc_group;

static int
tc_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
tc_clean_dir(void)
{
	/* Empty the working directory but keep it. */
	DIR *d = opendir(".");
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		nftw(e->d_name, tc_rm, 8, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
}

static int
tc_group_setup(void **state)
{
	(void)state;
	snprintf(tc_group.dir, sizeof(tc_group.dir),
	    "/tmp/pxemasq-unit.XXXXXX");
	if (mkdtemp(tc_group.dir) == NULL)
		return -1;
	tc_group.home_fd = open(".", O_RDONLY | O_DIRECTORY);
	if (tc_group.home_fd < 0 || chdir(tc_group.dir) < 0)
		return -1;
	return 0;
}

static int
tc_group_teardown(void **state)
{
	(void)state;
	if (fchdir(tc_group.home_fd) < 0)
		return -1;
	close(tc_group.home_fd);
	nftw(tc_group.dir, tc_rm, 8, FTW_DEPTH | FTW_PHYS);
	if (freopen("/dev/null", "r", stdin) == NULL)
		return -1;
	return 0;
}

static void
tc_mkdirs(const char *path)
{
	char buf[256], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0700);
			*p = '/';
		}
}

static void
tc_write(const char *name, const char *text, size_t len)
{
	FILE *f;

	tc_mkdirs(name);
	if (name[strlen(name) - 1] == '/') {
		mkdir(name, 0700);
		return;
	}
	f = fopen(name, "w");
	assert_non_null(f);
	if (len == 0)
		len = strlen(text);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
tc_set_stdin(const char *text)
{
	if (text == NULL) {
		assert_non_null(freopen("/dev/null", "r", stdin));
		return;
	}
	tc_write(".stdin", text, 0);
	assert_non_null(freopen(".stdin", "r", stdin));
}

/* --- loading and describing --------------------------------------------- */

static struct conf *
tc_load(const char *const *args, struct conf_result *res)
{
	char *argv[TC_MAX_ARGS + 2];
	int argc = 0;

	argv[argc++] = (char *)(uintptr_t)"pxemasq";
	for (; *args != NULL && argc < TC_MAX_ARGS + 1; args++)
		argv[argc++] = (char *)(uintptr_t)*args;
	argv[argc] = NULL;
	return conf_load(argc, argv, res);
}

struct tc_buf {
	char s[4096];
	size_t n;
};

static void
tc_put(struct tc_buf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->n >= sizeof(b->s))
		return;
	va_start(ap, fmt);
	b->n += (size_t)vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
}

/* Text with control bytes shown as \xNN, so mismatches print legibly. */
static void
tc_put_str(struct tc_buf *b, const char *s)
{
	if (s == NULL) {
		tc_put(b, "(null)");
		return;
	}
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch >= 0x7f || ch == '\\')
			tc_put(b, "\\x%02x", ch);
		else
			tc_put(b, "%c", ch);
	}
}

static void
tc_put_list(struct tc_buf *b, const char *key, const struct conf_strlist *l)
{
	const struct conf_str *e;

	for (e = l->head; e != NULL; e = e->next) {
		tc_put(b, "%s=", key);
		tc_put_str(b, e->s);
		tc_put(b, ";");
	}
}

/*
 * A compact description of the core part of a configuration:
 *   i=IF;  x=EXCEPT-IF;  n=NO-DHCP-IF;  a=LISTEN-ADDR;  u=USER;  g=GROUP;
 *   p=PID-FILE;  l=FACILITY/NUM;  d=DUMPFILE;  m=0xMASK;  f=FLAG-NAME;
 *   U=unsupported-name(!refused)
 * in that order, lists in reading order.
 */
static void
tc_describe(const struct conf *cf, struct tc_buf *b)
{
	const struct conf_unsup *u;
	unsigned i;

	b->n = 0;
	b->s[0] = '\0';
	tc_put_list(b, "i", &cf->interfaces);
	tc_put_list(b, "x", &cf->except_interfaces);
	tc_put_list(b, "n", &cf->no_dhcp_interfaces);
	tc_put_list(b, "a", &cf->listen_addresses);
	if (cf->user_set) {
		tc_put(b, "u=");
		tc_put_str(b, cf->user);
		tc_put(b, ";");
	}
	if (cf->group_set) {
		tc_put(b, "g=");
		tc_put_str(b, cf->group);
		tc_put(b, ";");
	}
	if (cf->pid_file_set) {
		tc_put(b, "p=");
		tc_put_str(b, cf->pid_file);
		tc_put(b, ";");
	}
	if (cf->log_facility != NULL) {
		tc_put(b, "l=");
		tc_put_str(b, cf->log_facility);
		tc_put(b, "/%d;", cf->log_facility_num);
	}
	if (cf->dumpfile != NULL) {
		tc_put(b, "d=");
		tc_put_str(b, cf->dumpfile);
		tc_put(b, ";");
	}
	if (cf->has_dumpmask)
		tc_put(b, "m=0x%x;", (unsigned)cf->dumpmask);
	for (i = 0; i < conf_kw_table_len; i++) {
		const struct conf_kw *k = &conf_kw_table[i];

		if (!k->alias && k->rep == CONF_REP_FLAG && conf_flag(cf, k->id))
			tc_put(b, "f=%s;", k->name);
	}
	for (u = cf->unsup_head; u != NULL; u = u->next)
		tc_put(b, "U=%s%s;", u->name, u->refused ? "!" : "");
}

static void
tc_run_row(void **state)
{
	const struct tc_row *r = *state;
	struct conf_result res;
	struct tc_buf b;
	struct conf *cf;
	unsigned i;

	tc_clean_dir();
	for (i = 0; i < TC_MAX_FILES && r->files[i].name != NULL; i++)
		tc_write(r->files[i].name, r->files[i].text, r->files[i].len);
	tc_set_stdin(r->stdin_text);
	cf = tc_load(r->argv, &res);
	if (r->exit_code != 0) {
		if (cf != NULL) {
			tc_describe(cf, &b);
			conf_free(cf);
			fail_msg("%s: loaded (%s), expected exit %d \"%s\"",
			    r->name, b.s, r->exit_code, r->msg);
		}
		assert_string_equal(res.msg, r->msg);
		assert_int_equal(res.exit_code, r->exit_code);
		return;
	}
	if (cf == NULL)
		fail_msg("%s: exit %d \"%s\", expected to load as \"%s\"",
		    r->name, res.exit_code, res.msg, r->want);
	tc_describe(cf, &b);
	conf_free(cf);
	assert_string_equal(b.s, r->want);
}

/* --- rows ------------------------------------------------------------------ */

#define F1(n, t) { { n, t, 0 } }
#define CL(...) { "--test", __VA_ARGS__, NULL }
#define C1 CL("-C", "a.conf")
/* A file-only row: a.conf with TEXT. */
#define FILE_ROW(nm, text, code, m, w) \
	{ .name = nm, .files = F1("a.conf", text), .argv = C1, \
	  .exit_code = code, .msg = m, .want = w }
#define OK_ROW(nm, text, w) FILE_ROW(nm, text, 0, NULL, w)
#define ERR_ROW(nm, text, m) FILE_ROW(nm, text, 1, m, NULL)

/* "interface=" (10) + 1014 = 1024 bytes: fgets' whole piece. */
#define A64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define A54 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define A1014 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A54
#define IF1024 "interface=" A1014

static const struct tc_row tc_lex_rows[] = {
	/* comments */
	OK_ROW("comment at line start", "#interface=x\ninterface=a\n", "i=a;"),
	OK_ROW("comment after space", "interface=a #c\n", "i=a;"),
	OK_ROW("comment after tab", "interface=a\t#c\n", "i=a;"),
	OK_ROW("hash after non-space is data", "interface=a#c\n", "i=a#c;"),
	OK_ROW("hash after closing quote is data", "interface=\"a\"#c\n",
	    "i=a#c;"),
	/* white space before a quoted string still counts after it */
	OK_ROW("hash after space and quoted string is a comment",
	    "interface= \"a\"#c\n", "i=a;"),
	OK_ROW("comment makes the value empty", "interface= #a\n",
	    "i=(null);"),
	OK_ROW("indented comment", "   # interface=x\n", ""),
	/* quoting */
	OK_ROW("quotes hide commas", "interface=\"a,b\"\n", "i=a,b;"),
	OK_ROW("quoted hash and space", "interface=\"a #b\"\n", "i=a #b;"),
	OK_ROW("quote inside a word", "interface=a\"b,c\"d,e\n",
	    "i=ab,cd;i=e;"),
	/* dnsmasq steps over the character after a closing quote, so a quote
	 * right after one is literal and the next one opens a string */
	ERR_ROW("quote after closing quote is literal",
	    "interface=\"a\"\"b\"\n", "missing \" at line 1 of a.conf"),
	OK_ROW("quote after closing quote kept", "interface=\"a\"\"b\"\"\n",
	    "i=a\"b;"),
	OK_ROW("quoted pieces with a word between", "interface=\"a\"x\"b\"\n",
	    "i=axb;"),
	OK_ROW("quoted empty value", "interface=\"\"\n", "i=(null);"),
	OK_ROW("quoted spaces kept", "interface=\"  a  \"\n", "i=  a  ;"),
	ERR_ROW("missing quote", "interface=\"a\n",
	    "missing \" at line 1 of a.conf"),
	ERR_ROW("escaped quote does not close", "interface=\"a\\\"\n",
	    "missing \" at line 1 of a.conf"),
	ERR_ROW("quoted keyword is hidden", "\"interface\"=a\n",
	    "bad option at line 1 of a.conf"),
	/* escapes */
	OK_ROW("escape tab", "user=\"a\\tb\"\n", "u=a\\x09b;"),
	OK_ROW("escape newline", "user=\"a\\nb\"\n", "u=a\\x0ab;"),
	OK_ROW("escape cr bs esc", "user=\"\\r\\b\\e\"\n", "u=\\x0d\\x08\\x1b;"),
	OK_ROW("escape quote and backslash", "user=\"q\\\"\\\\q\"\n",
	    "u=q\"\\x5cq;"),
	OK_ROW("unknown escape kept", "user=\"a\\qb\"\n", "u=a\\x5cqb;"),
	OK_ROW("backslash outside quotes", "user=a\\tb\n", "u=a\\x5ctb;"),
	/* white space and = */
	OK_ROW("spaces around equals", "interface   =   a\n", "i=a;"),
	OK_ROW("tabs around equals", "interface\t=\ta\n", "i=a;"),
	OK_ROW("leading and trailing space", "  \tinterface=a \t \n", "i=a;"),
	OK_ROW("crlf line end", "interface=a\r\nbind-interfaces\r\n",
	    "i=a;f=bind-interfaces;"),
	OK_ROW("vt and ff are white space", "interface\v=\fa\v\n", "i=a;"),
	OK_ROW("spaces around commas", "interface=a , b ,c,  d\n",
	    "i=a;i=b;i=c;i=d;"),
	OK_ROW("trailing comma", "interface=a,\n", "i=a;i=(null);"),
	OK_ROW("equals in value", "user==x\n", "u==x;"),
	OK_ROW("second equals kept", "interface=a=b\n", "i=a=b;"),
	OK_ROW("empty file", "", ""),
	OK_ROW("blank lines", "\n   \n\t\n", ""),
	OK_ROW("no final newline", "interface=a", "i=a;"),
	/* keywords and parameters */
	ERR_ROW("dashdash in a file", "--port=1\n",
	    "bad option at line 1 of a.conf"),
	ERR_ROW("unknown keyword", "\nno-such-option\n",
	    "bad option at line 2 of a.conf"),
	ERR_ROW("uppercase keyword", "Interface=a\n",
	    "bad option at line 1 of a.conf"),
	ERR_ROW("abbreviation in a file", "interf=a\n",
	    "bad option at line 1 of a.conf"),
	ERR_ROW("short letter in a file", "i=a\n",
	    "bad option at line 1 of a.conf"),
	ERR_ROW("empty keyword", "=a\n", "bad option at line 1 of a.conf"),
	ERR_ROW("command-line-only keyword", "dump-config\n",
	    "bad option at line 1 of a.conf"),
	ERR_ROW("extraneous parameter", "bind-interfaces=yes\n",
	    "extraneous parameter at line 1 of a.conf"),
	ERR_ROW("extraneous empty parameter", "bind-interfaces=\n",
	    "extraneous parameter at line 1 of a.conf"),
	ERR_ROW("missing parameter", "interface\n",
	    "missing parameter at line 1 of a.conf"),
	OK_ROW("optional parameter absent", "user\ngroup\n",
	    "u=(null);g=(null);"),
	/* dnsmasq sets option bit 0 (bogus-priv) for these words in a file */
	OK_ROW("test in a file is bogus-priv", "test\n", "f=bogus-priv;"),
	OK_ROW("help in a file is bogus-priv", "help\n", "f=bogus-priv;"),
	OK_ROW("version in a file is bogus-priv", "version\n",
	    "f=bogus-priv;"),
	/* NUL bytes end the line's text */
	{ .name = "nul ends the line",
	  .files = { { "a.conf", "interface=a\0junk\nbind-interfaces\n", 33 } },
	  .argv = C1, .want = "i=a;f=bind-interfaces;" },
	/* the 1024-byte pieces */
	OK_ROW("line of 1024 bytes is whole", IF1024 "\n",
	    "i=" A1014 ";"),
	OK_ROW("tail of a long line is a line", IF1024 "bind-interfaces\n",
	    "i=" A1014 ";f=bind-interfaces;"),
	ERR_ROW("error in the tail is on the next line",
	    IF1024 "nosuch\n", "bad option at line 2 of a.conf"),
	ERR_ROW("newline after 1024 bytes counts as a line",
	    IF1024 "\nbind-interfaces=1\n",
	    "extraneous parameter at line 3 of a.conf"),
	ERR_ROW("tail of a long comment is read", "#" A1014 "123456789nosuch\n",
	    "bad option at line 2 of a.conf"),
	ERR_ROW("quote open across the split", "interface=\"" A1014 "\"\n",
	    "missing \" at line 1 of a.conf"),
};

static const struct tc_row tc_core_rows[] = {
	/* repetition */
	ERR_ROW("repeated keyword", "user=a\n\nuser=b\n",
	    "illegal repeated keyword at line 3 of a.conf"),
	OK_ROW("repeated flag", "bind-interfaces\nbind-interfaces\n",
	    "f=bind-interfaces;"),
	OK_ROW("repeated list", "interface=a\ninterface=a\n", "i=a;i=a;"),
	/* log-facility */
	OK_ROW("facility name", "log-facility=daemon\n", "l=daemon/24;"),
	OK_ROW("facility name any case", "log-facility=LOCAL5\n",
	    "l=local5/168;"),
	OK_ROW("facility authpriv", "log-facility=authpriv\n",
	    "l=authpriv/80;"),
	OK_ROW("facility security", "log-facility=security\n",
	    "l=security/32;"),
	OK_ROW("facility ftp", "log-facility=ftp\n", "l=ftp/88;"),
	ERR_ROW("facility audit is not glibc's", "log-facility=audit\n",
	    "bad log facility at line 1 of a.conf"),
	OK_ROW("facility file", "log-facility=/var/log/x.log\n",
	    "l=/var/log/x.log/-1;"),
	OK_ROW("facility stderr", "log-facility=-\n", "l=-/-1;"),
	ERR_ROW("facility bad", "log-facility=nosuch\n",
	    "bad log facility at line 1 of a.conf"),
	ERR_ROW("facility empty", "log-facility=\n",
	    "bad log facility at line 1 of a.conf"),
	/* addresses */
	OK_ROW("listen-address forms",
	    "listen-address=127.0.0.1, 0:0::1\n", "a=127.0.0.1;a=::1;"),
	ERR_ROW("listen-address bad", "listen-address=1.2.3.999\n",
	    "error at line 1 of a.conf"),
	ERR_ROW("listen-address empty", "listen-address=\n",
	    "error at line 1 of a.conf"),
	/* dumpmask: strtol base 0 */
	OK_ROW("dumpmask forms", "dumpmask=010x\n", "m=0x8;"),
	OK_ROW("dumpmask junk", "dumpfile=/tmp/d\ndumpmask=junk\n",
	    "d=/tmp/d;m=0x0;"),
};

static const struct tc_row tc_cmdline_rows[] = {
	{ .name = "file overrides command line",
	  .files = F1("a.conf", "user=file\n"),
	  .argv = CL("--user=cl", "-C", "a.conf"), .want = "u=file;" },
	{ .name = "twice on the command line",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "--user=a", "-u", "b"),
	  .exit_code = 1,
	  .msg = "bad command line options: illegal repeated flag" },
	{ .name = "flag twice on the command line",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "-z", "--bind-interfaces"),
	  .want = "f=bind-interfaces;" },
	/* A later -C is read at once: its single-valued options count as
	 * file options before the rest of the command line (dnsmasq keeps
	 * the "used in a file" state then). */
	{ .name = "later -C then command line then first -C",
	  .files = { { "a.conf", "user=z\n", 0 }, { "b.conf", "user=y\n", 0 } },
	  .argv = CL("-C", "a.conf", "-C", "b.conf", "--user=x"),
	  .exit_code = 1,
	  .msg = "illegal repeated keyword at line 1 of a.conf" },
	{ .name = "command line twice after a later -C",
	  .files = { { "a.conf", "", 0 }, { "b.conf", "user=y\n", 0 } },
	  .argv = CL("-C", "a.conf", "-C", "b.conf", "--user=x", "-u", "w"),
	  .want = "u=w;" },
	{ .name = "junk on the command line",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "junk"), .exit_code = 1,
	  .msg = "junk found in command line" },
	{ .name = "white space words are not junk",
	  .files = F1("a.conf", "interface=a\n"),
	  .argv = CL("-C", "a.conf", " \t", ""), .want = "i=a;" },
	{ .name = "unknown long option",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "--nosuch"), .exit_code = 1,
	  .msg = "bad command line options: try --help" },
	{ .name = "unknown short option",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "-%"), .exit_code = 1,
	  .msg = "bad command line options: try --help" },
	{ .name = "value on a flag",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "--bind-interfaces=yes"),
	  .exit_code = 1, .msg = "bad command line options: try --help" },
	{ .name = "ambiguous abbreviation",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "--interf=a"), .exit_code = 1,
	  .msg = "bad command line options: try --help" },
	{ .name = "unique abbreviation",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "--except-i=lo", "--bind-i"),
	  .want = "x=lo;f=bind-interfaces;" },
	{ .name = "handler error on the command line",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "--log-facility=nosuch"),
	  .exit_code = 1,
	  .msg = "bad command line options: bad log facility" },
	{ .name = "generic error on the command line",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "--listen-address=x"),
	  .exit_code = 1, .msg = "bad command line options: try --help" },
	{ .name = "command line is not lexed",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "--user=\"a#b\""),
	  .want = "u=\"a#b\";" },
	{ .name = "short option cluster",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "-zieth0"),
	  .want = "i=eth0;f=bind-interfaces;" },
	/* -C: the first names the main file, read last; later ones at once */
	{ .name = "first -C deferred, later -C immediate",
	  .files = { { "m.conf", "interface=main\n", 0 },
		     { "x.conf", "interface=extra\n", 0 } },
	  .argv = CL("-C", "m.conf", "--interface=cl1", "-C", "x.conf",
	      "--interface=cl2"),
	  .want = "i=cl1;i=extra;i=cl2;i=main;" },
	{ .name = "-C - reads stdin once",
	  .files = F1("m.conf", "interface=main\nconf-file=-\n"),
	  .argv = CL("-C", "m.conf", "-C", "-"),
	  .stdin_text = "interface=stdin\n",
	  .want = "i=stdin;i=main;" },
	{ .name = "-C - as the main file",
	  .argv = CL("-C", "-"), .stdin_text = "interface=in\n",
	  .want = "i=in;" },
	{ .name = "error in stdin",
	  .argv = CL("-C", "-"), .stdin_text = "\nnosuch\n",
	  .exit_code = 1, .msg = "bad option at line 2 of stdin" },
	{ .name = "missing main file",
	  .argv = CL("-C", "none.conf"), .exit_code = 3,
	  .msg = "cannot read none.conf: No such file or directory" },
	{ .name = "missing later -C",
	  .files = F1("a.conf", ""),
	  .argv = CL("-C", "a.conf", "-C", "none.conf"), .exit_code = 3,
	  .msg = "cannot read none.conf: No such file or directory" },
	/* unsupported options */
	{ .name = "ignored option is listed",
	  .files = F1("a.conf", "quiet-ra\n"),
	  .argv = { "--test", "-C", "a.conf", NULL }, .want = "f=quiet-ra;U=quiet-ra;" },
	{ .name = "refused option stops the load",
	  .files = F1("a.conf", "interface=a\n\nconntrack\n"),
	  .argv = { "--test", "-C", "a.conf", NULL }, .exit_code = 1,
	  .msg = "option 'conntrack' is not supported by pxemasq and changes "
	      "what the network gets; remove it or pass "
	      "--ignore-unsupported at line 3 of a.conf" },
	{ .name = "refused option with --ignore-unsupported",
	  .files = F1("a.conf", "conntrack\nquiet-ra\n"),
	  .argv = { "--ignore-unsupported", "-C", "a.conf", NULL },
	  .want = "f=conntrack;f=quiet-ra;U=conntrack!;U=quiet-ra;" },
	{ .name = "refused option on the command line",
	  .files = F1("a.conf", ""),
	  .argv = { "-C", "a.conf", "--conntrack", NULL }, .exit_code = 1,
	  .msg = "option 'conntrack' is not supported by pxemasq and changes "
	      "what the network gets; remove it or pass "
	      "--ignore-unsupported" },
};

static const struct tc_row tc_include_rows[] = {
	{ .name = "conf-file nesting in reading order",
	  .files = { { "a.conf", "interface=a1\nconf-file=i/b.conf\n"
		       "interface=a2\n", 0 },
		     { "i/b.conf", "interface=b1\nconf-file=i/c.conf\n"
		       "interface=b2\n", 0 },
		     { "i/c.conf", "interface=c\n", 0 } },
	  .argv = C1, .want = "i=a1;i=b1;i=c;i=b2;i=a2;" },
	{ .name = "conf-file loop is cut",
	  .files = { { "a.conf", "interface=a\nconf-file=b.conf\n", 0 },
		     { "b.conf", "interface=b\nconf-file=a.conf\n"
		       "conf-file=./b.conf\n", 0 } },
	  .argv = C1, .want = "i=a;i=b;" },
	{ .name = "conf-file of itself",
	  .files = F1("a.conf", "conf-file=a.conf\ninterface=a\n"),
	  .argv = C1, .want = "i=a;" },
	{ .name = "conf-file missing",
	  .files = F1("a.conf", "interface=a\nconf-file=none.conf\n"),
	  .argv = C1, .exit_code = 3,
	  .msg = "cannot read none.conf: No such file or directory" },
	{ .name = "conf-file error names the inner file",
	  .files = { { "a.conf", "conf-file=b.conf\n", 0 },
		     { "b.conf", "\n\nnosuch\n", 0 } },
	  .argv = C1, .exit_code = 1, .msg = "bad option at line 3 of b.conf" },
	{ .name = "conf-file without value",
	  .files = F1("a.conf", "conf-file\nconf-file=\ninterface=a\n"),
	  .argv = C1, .want = "i=a;" },
	{ .name = "repetition across files",
	  .files = { { "a.conf", "user=a\nconf-file=b.conf\n", 0 },
		     { "b.conf", "user=b\n", 0 } },
	  .argv = C1, .exit_code = 1,
	  .msg = "illegal repeated keyword at line 1 of b.conf" },
	{ .name = "conf-dir order is strcmp of the path",
	  .files = { { "a.conf", "conf-dir=d\n", 0 },
		     { "d/20.conf", "interface=20\n", 0 },
		     { "d/10.conf", "interface=10\n", 0 },
		     { "d/3.conf", "interface=3\n", 0 },
		     { "d/B.conf", "interface=B\n", 0 } },
	  .argv = C1, .want = "i=10;i=20;i=3;i=B;" },
	{ .name = "conf-dir skips dot, backup, autosave and dirs",
	  .files = { { "a.conf", "conf-dir=d\n", 0 },
		     { "d/ok", "interface=ok\n", 0 },
		     { "d/.dot", "nosuch\n", 0 },
		     { "d/b~", "nosuch\n", 0 },
		     { "d/#e#", "nosuch\n", 0 },
		     { "d/sub/x", "nosuch\n", 0 } },
	  .argv = C1, .want = "i=ok;" },
	{ .name = "conf-dir match suffix",
	  .files = { { "a.conf", "conf-dir=d,*.conf,*.cf\n", 0 },
		     { "d/x.conf", "interface=x\n", 0 },
		     { "d/y.cf", "interface=y\n", 0 },
		     { "d/z.txt", "nosuch\n", 0 },
		     { "d/.conf2", "nosuch\n", 0 },
		     { "d/conf", "nosuch\n", 0 } },
	  .argv = C1, .want = "i=x;i=y;" },
	{ .name = "conf-dir suffix must be shorter than the name",
	  .files = { { "a.conf", "conf-dir=d,*conf\n", 0 },
		     { "d/conf", "nosuch\n", 0 },
		     { "d/xconf", "interface=x\n", 0 } },
	  .argv = C1, .want = "i=x;" },
	{ .name = "conf-dir ignore suffix",
	  .files = { { "a.conf", "conf-dir=d,.bak\n", 0 },
		     { "d/x", "interface=x\n", 0 },
		     { "d/y.bak", "nosuch\n", 0 } },
	  .argv = C1, .want = "i=x;" },
	{ .name = "conf-dir match and ignore",
	  .files = { { "a.conf", "conf-dir=d,*.conf,old.conf\n", 0 },
		     { "d/x.conf", "interface=x\n", 0 },
		     { "d/xold.conf", "nosuch\n", 0 },
		     { "d/y", "nosuch\n", 0 } },
	  .argv = C1, .want = "i=x;" },
	{ .name = "conf-dir lone star is a no-op",
	  .files = { { "a.conf", "conf-dir=d,*\n", 0 },
		     { "d/x", "interface=x\n", 0 },
		     { "d/y.z", "interface=y\n", 0 } },
	  .argv = C1, .want = "i=x;i=y;" },
	{ .name = "conf-dir missing",
	  .files = F1("a.conf", "conf-dir=none\n"),
	  .argv = C1, .exit_code = 3,
	  .msg = "cannot access directory none: No such file or directory" },
	{ .name = "conf-dir error path has the slash",
	  .files = { { "a.conf", "conf-dir=d/\n", 0 },
		     { "d/x", "nosuch\n", 0 } },
	  .argv = C1, .exit_code = 1, .msg = "bad option at line 1 of d//x" },
	{ .name = "conf-dir file already read",
	  .files = { { "a.conf", "conf-file=d/x\nconf-dir=d\n", 0 },
		     { "d/x", "interface=x\n", 0 } },
	  .argv = C1, .want = "i=x;" },
	{ .name = "conf-dir on the command line",
	  .files = { { "a.conf", "interface=a\n", 0 },
		     { "d/x", "interface=x\n", 0 } },
	  .argv = CL("-C", "a.conf", "-7", "d"), .want = "i=x;i=a;" },
};

/* --- tests that are not rows ------------------------------------------------ */

static void
tc_load_ok(const char *const *args, struct conf **cf)
{
	struct conf_result res;

	*cf = tc_load(args, &res);
	if (*cf == NULL)
		fail_msg("load failed: exit %d: %s", res.exit_code, res.msg);
}

/* Provenance: every entry knows its file and line; the command line has
 * no file. */
static void
test_provenance(void **state)
{
	static const char *const args[] = { "-C", "a.conf",
		"--interface=cl", NULL };
	const struct conf_str *e;
	struct conf *cf;

	(void)state;
	tc_clean_dir();
	tc_write("a.conf", "# c\ninterface=a\nconf-file=i/b.conf\n\n"
	    "interface=c, d\nquiet-ra\n", 0);
	tc_write("i/b.conf", "\n\ninterface=b\n", 0);
	tc_load_ok(args, &cf);
	e = cf->interfaces.head;
	assert_non_null(e);
	assert_string_equal(e->s, "cl");
	assert_null(e->src.file);
	e = e->next;
	assert_string_equal(e->s, "a");
	assert_string_equal(e->src.file, "a.conf");
	assert_int_equal(e->src.line, 2);
	e = e->next;
	assert_string_equal(e->s, "b");
	assert_string_equal(e->src.file, "i/b.conf");
	assert_int_equal(e->src.line, 3);
	e = e->next;
	assert_string_equal(e->s, "c");
	assert_string_equal(e->src.file, "a.conf");
	assert_int_equal(e->src.line, 5);
	e = e->next;
	assert_string_equal(e->s, "d");
	assert_int_equal(e->src.line, 5);
	assert_null(e->next);
	assert_int_equal(cf->interfaces.n, 5);
	assert_non_null(cf->unsup_head);
	assert_string_equal(cf->unsup_head->name, "quiet-ra");
	assert_string_equal(cf->unsup_head->src.file, "a.conf");
	assert_int_equal(cf->unsup_head->src.line, 6);
	assert_false(cf->unsup_head->refused);
	/* files read, in order */
	assert_int_equal(cf->files_read.n, 2);
	assert_string_equal(cf->files_read.head->s, "a.conf");
	assert_string_equal(cf->files_read.head->next->s, "i/b.conf");
	conf_free(cf);
}

/* The command-line-only switches. */
static void
test_modes(void **state)
{
	static const char *const a1[] = { "-C", "a.conf", NULL };
	static const char *const a2[] = { "--test", "--dump-config",
		"--ignore-unsupported", "-C", "a.conf", NULL };
	struct conf *cf;

	(void)state;
	tc_clean_dir();
	tc_write("a.conf", "", 0);
	tc_load_ok(a1, &cf);
	assert_false(cf->test_mode);
	assert_false(cf->dump_mode);
	assert_false(cf->ignore_unsupported);
	conf_free(cf);
	tc_load_ok(a2, &cf);
	assert_true(cf->test_mode);
	assert_true(cf->dump_mode);
	assert_true(cf->ignore_unsupported);
	conf_free(cf);
}

/*
 * getopt keeps state between calls: a load that stopped inside a cluster
 * of short options ("-%z": '%' fails, 'z' is pending) must not leak the
 * pending 'z' into the next load of a different command line.
 */
static void
test_getopt_reset(void **state)
{
	static const char *const bad[] = { "-C", "a.conf", "-%z", NULL };
	static const char *const good[] = { "-C", "a.conf", NULL };
	struct conf_result res;
	struct conf *cf;

	(void)state;
	tc_clean_dir();
	tc_write("a.conf", "", 0);
	cf = tc_load(bad, &res);
	assert_null(cf);
	assert_string_equal(res.msg, "bad command line options: try --help");
	tc_load_ok(good, &cf);
	assert_false(conf_flag(cf, CONF_KW_BIND_INTERFACES));
	conf_free(cf);
}

/* A configuration loads the same way twice in one process (reload). */
static void
test_reload_same(void **state)
{
	static const char *const args[] = { "-C", "a.conf", "-z", NULL };
	struct tc_buf b1, b2;
	struct conf *cf;

	(void)state;
	tc_clean_dir();
	tc_write("a.conf", "interface=a\nuser=u\nconf-file=-\n", 0);
	tc_set_stdin("interface=s\n");
	tc_load_ok(args, &cf);
	tc_describe(cf, &b1);
	conf_free(cf);
	tc_set_stdin("interface=s\n");
	tc_load_ok(args, &cf);
	tc_describe(cf, &b2);
	conf_free(cf);
	assert_string_equal(b1.s, "i=a;i=s;u=u;f=bind-interfaces;");
	assert_string_equal(b2.s, b1.s);
}

/* --dump-config of the core options reads back to the same dump. */
static void
test_dump_roundtrip(void **state)
{
	static const char *const a1[] = { "-C", "a.conf", NULL };
	static const char *const a2[] = { "-C", "d1.conf", NULL };
	char *d1 = NULL, *d2 = NULL;
	size_t l1, l2;
	struct conf *cf;
	FILE *f;

	(void)state;
	tc_clean_dir();
	tc_write("a.conf", "interface=\"a,b\",c\ninterface=x#y\n"
	    "interface=\" sp \"\nuser=\"t\\tab\"\npid-file=/r/p\\q\n"
	    "log-facility=LOCAL3\nlisten-address=::ffff:1.2.3.4\n"
	    "dumpmask=-1\nexcept-interface=\"#\"\n", 0);
	tc_load_ok(a1, &cf);
	f = open_memstream(&d1, &l1);
	assert_non_null(f);
	conf_print(cf, f);
	fclose(f);
	conf_free(cf);
	tc_write("d1.conf", d1, l1);
	tc_load_ok(a2, &cf);
	f = open_memstream(&d2, &l2);
	assert_non_null(f);
	conf_print(cf, f);
	fclose(f);
	assert_int_equal(cf->interfaces.n, 4);
	assert_string_equal(cf->interfaces.head->s, "a,b");
	conf_free(cf);
	assert_string_equal(d2, d1);
	free(d1);
	free(d2);
}

/* Tag names print so that the option's field split gives them back:
 * a comma in a name (from quotes) is quoted. */
static void
test_print_tagexpr(void **state)
{
	static const char *const args[] = { "-C", "a.conf", NULL };
	struct conf_tagexpr e = { 0, NULL };
	struct conf_ctx c;
	struct conf *cf;
	char *out = NULL;
	size_t len;
	FILE *f;

	(void)state;
	tc_clean_dir();
	tc_write("a.conf", "", 0);
	tc_load_ok(args, &cf);
	memset(&c, 0, sizeof(c));
	c.cf = cf;
	assert_int_equal(conf_tagexpr_add(&c, &e, "a,b"), 0);
	assert_int_equal(conf_tagexpr_add(&c, &e, "!x y"), 0);
	assert_int_equal(conf_tagexpr_add(&c, &e, "q#"), 0);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	conf_print_tagexpr(cf, f, &e);
	fclose(f);
	assert_string_equal(out, "tag:\"a,b\",tag:!x y,tag:q\"#\",");
	free(out);
	conf_free(cf);
}

/* conf_print_value() prints hidden-form text (as the lexer left it): an
 * unquoted space stays bare, a hidden one (quoted in the file) is quoted
 * again, and so are bytes the lexer would take as syntax. */
static void
test_print_value(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "a  b", "a  b" },		/* inner run: bare */
		{ ":,  option6:", ":,  option6:" },
		{ "a\007b", "a\" \"b" },	/* hidden space */
		{ "a\036b", "a\",\"b" },	/* hidden comma */
		{ "\001\002", "\"12\"" },	/* hidden digits */
		{ " a", "\" \"a" },		/* would be trimmed */
		{ "a ", "a\" \"" },
		{ "a#b", "a\"#\"b" },
		{ "q\"\\", "q\"\\\"\\\\\"" },
		{ "t\tn", "t\"\\t\"n" },
		{ "", "\"\"" },
	};
	size_t i, len;
	char *out;
	FILE *f;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		out = NULL;
		f = open_memstream(&out, &len);
		assert_non_null(f);
		conf_print_value(f, rows[i].in);
		fclose(f);
		assert_string_equal(out, rows[i].out);
		free(out);
	}
}

/* The keyword table: every name is unique, every row has a handler, the
 * aliases point at rows, and the flag bitmap is large enough. */
static void
test_keyword_table(void **state)
{
	unsigned i, j;

	(void)state;
	for (i = 0; i < conf_kw_table_len; i++) {
		const struct conf_kw *k = &conf_kw_table[i];

		assert_non_null(k->name);
		assert_true(k->id < CONF_KW_COUNT);
		if (!k->alias)
			assert_non_null(k->fn);
		assert_non_null(conf_kw_by_id(k->id));
		assert_ptr_equal(conf_kw_by_name(k->name), k);
		for (j = i + 1; j < conf_kw_table_len; j++)
			if (strcmp(k->name, conf_kw_table[j].name) == 0)
				fail_msg("keyword %s twice", k->name);
	}
}

/* --- main ------------------------------------------------------------------- */

static int
tc_run_table(const char *group, const struct tc_row *rows, size_t n)
{
	struct CMUnitTest *t = calloc(n, sizeof(*t));
	size_t i;
	int rc;

	if (t == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		t[i].name = rows[i].name;
		t[i].test_func = tc_run_row;
		t[i].initial_state = (void *)(uintptr_t)&rows[i];
	}
	rc = _cmocka_run_group_tests(group, t, n, tc_group_setup,
	    tc_group_teardown);
	free(t);
	return rc;
}

#define TC_TABLE(g, rows) tc_run_table(g, rows, sizeof(rows) / sizeof(rows[0]))

int
main(void)
{
	static const struct CMUnitTest others[] = {
		cmocka_unit_test(test_provenance),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_getopt_reset),
		cmocka_unit_test(test_reload_same),
		cmocka_unit_test(test_dump_roundtrip),
		cmocka_unit_test(test_print_tagexpr),
		cmocka_unit_test(test_print_value),
		cmocka_unit_test(test_keyword_table),
	};
	int rc = 0;

	rc += TC_TABLE("lexer", tc_lex_rows);
	rc += TC_TABLE("core options", tc_core_rows);
	rc += TC_TABLE("command line", tc_cmdline_rows);
	rc += TC_TABLE("conf-file and conf-dir", tc_include_rows);
	rc += cmocka_run_group_tests_name("framework", others, tc_group_setup,
	    tc_group_teardown);
	return rc != 0;
}
