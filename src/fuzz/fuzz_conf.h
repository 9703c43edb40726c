/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_conf.h - what the configuration fuzz targets share: a private
 * directory to run in, loading a configuration text through conf_load()
 * as the daemon does, and the --dump-config round trip.
 *
 * The invariants checked (abort() on violation, so that libFuzzer and the
 * replay runner both report it):
 *   - conf_load() fails only with an exit status and a message;
 *   - a configuration that loads dumps to a text that loads again, and
 *     whose dump is byte-identical to the first (idempotent dump);
 *   - nothing leaks (LeakSanitizer, in the sanitizer builds).
 *
 * Containment: the input is a configuration, and configurations name
 * files.  Every load runs with its working directory in an empty
 * directory three levels inside a private temporary directory, and stdin
 * is /dev/null, so relative names (conf-file=x, conf-dir=.., conf-file=-)
 * find nothing of the machine's.  Absolute names cannot be contained that
 * way, so inputs that hold a '/' together with the name of an option
 * that reads files at load time are skipped (fuzz_conf_skip()).  That
 * keeps conf-file=/dev/zero from hanging a fuzzer; path values of other
 * options (tftp-root=/srv, dhcp-boot=/x) are still fuzzed.
 *
 * This is a header of static functions because the Makefile builds each
 * target from its one .c file plus replay.c.
 */
#ifndef PXEMASQ_FUZZ_CONF_H
#define PXEMASQ_FUZZ_CONF_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

/* dnsmasq reads lines in 1024-byte pieces (CONF_LINE_MAX - 1): a dump line
 * longer than that cannot be read back as one line by anyone. */
#define FUZZ_LINE_MAX 1024

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_env {
	bool ready;
	int home_fd;		/* the caller's working directory */
	char root[64];		/* private directory */
	char in[96];		/* root/in.conf: the input */
	char dump[96];		/* root/dump.conf: the first dump */
	char empty[96];		/* root/empty.conf */
	char work[96];		/* root/w/a/b: working directory */
};

static struct fuzz_env fuzz_env;

static void
fuzz_die(const char *what)
{
	perror(what);
	abort();
}

static void
fuzz_cleanup(void)
{
	char p[128];

	if (!fuzz_env.ready)
		return;
	unlink(fuzz_env.in);
	unlink(fuzz_env.dump);
	unlink(fuzz_env.empty);
	rmdir(fuzz_env.work);
	snprintf(p, sizeof(p), "%s/w/a", fuzz_env.root);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/w", fuzz_env.root);
	rmdir(p);
	rmdir(fuzz_env.root);
	fuzz_env.ready = false;
}

static void
fuzz_write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		fuzz_die(path);
	if (size != 0 && fwrite(data, 1, size, f) != size)
		fuzz_die(path);
	if (fclose(f) != 0)
		fuzz_die(path);
}

static void
fuzz_setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char p[128];

	if (fuzz_env.ready)
		return;
	if (tmp == NULL || strlen(tmp) > 24 || tmp[0] != '/')
		tmp = "/tmp";
	snprintf(fuzz_env.root, sizeof(fuzz_env.root),
	    "%s/pxemasq-fuzz.XXXXXX", tmp);
	if (mkdtemp(fuzz_env.root) == NULL)
		fuzz_die("mkdtemp");
	snprintf(fuzz_env.in, sizeof(fuzz_env.in), "%s/in.conf",
	    fuzz_env.root);
	snprintf(fuzz_env.dump, sizeof(fuzz_env.dump), "%s/dump.conf",
	    fuzz_env.root);
	snprintf(fuzz_env.empty, sizeof(fuzz_env.empty), "%s/empty.conf",
	    fuzz_env.root);
	snprintf(p, sizeof(p), "%s/w", fuzz_env.root);
	if (mkdir(p, 0700) < 0)
		fuzz_die(p);
	snprintf(p, sizeof(p), "%s/w/a", fuzz_env.root);
	if (mkdir(p, 0700) < 0)
		fuzz_die(p);
	snprintf(fuzz_env.work, sizeof(fuzz_env.work), "%s/w/a/b",
	    fuzz_env.root);
	if (mkdir(fuzz_env.work, 0700) < 0)
		fuzz_die(fuzz_env.work);
	fuzz_write_file(fuzz_env.empty, "", 0);
	fuzz_env.home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fuzz_env.home_fd < 0)
		fuzz_die("open .");
	/* conf-file=- reads stdin: make that an empty file. */
	if (freopen("/dev/null", "r", stdin) == NULL)
		fuzz_die("/dev/null");
	fuzz_env.ready = true;
	atexit(fuzz_cleanup);
}

static bool
fuzz_has(const uint8_t *data, size_t size, const char *needle)
{
	size_t n = strlen(needle);

	return size >= n && memmem(data, size, needle, n) != NULL;
}

/*
 * True for inputs that could make a load read a file outside the private
 * directory: a '/' and the name (or a piece of the name, for getopt
 * abbreviations) of an option that reads files or directories while the
 * configuration is loaded.  Quotes cannot hide these letters from the
 * test: the lexer removes quotes but never joins letters across them
 * into a keyword without the letters being in the input.
 */
static bool
fuzz_conf_skip(const uint8_t *data, size_t size)
{
	static const char *const readers[] = {
		"conf-", "file", "dir", "hosts", "opts", "ethers", "script",
	};
	size_t i;

	if (memchr(data, '/', size) == NULL)
		return false;
	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (fuzz_has(data, size, readers[i]))
			return true;
	return false;
}

/* Loads argv with the working directory in the private directory. */
static struct conf *
fuzz_load(int argc, char **argv, struct conf_result *res)
{
	struct conf *cf;

	if (chdir(fuzz_env.work) < 0)
		fuzz_die(fuzz_env.work);
	cf = conf_load(argc, argv, res);
	if (fchdir(fuzz_env.home_fd) < 0)
		fuzz_die("fchdir");
	if (cf == NULL && (res->exit_code == 0 || res->msg[0] == '\0') &&
	    !res->exit_now) {
		fprintf(stderr, "fuzz: conf_load failed with exit %d and "
		    "message \"%s\"\n", res->exit_code, res->msg);
		abort();
	}
	return cf;
}

/* --test --ignore-unsupported -C PATH: the corpus harness's view. */
static struct conf *
fuzz_load_file(const char *path, struct conf_result *res)
{
	char a0[] = "pxemasq", a1[] = "--test", a2[] = "--ignore-unsupported",
	    a3[] = "-C";
	char *argv[] = { a0, a1, a2, a3, (char *)(uintptr_t)path, NULL };

	return fuzz_load(5, argv, res);
}

/* The dump of cf as a NUL-terminated malloc'd string. */
static char *
fuzz_dump(const struct conf *cf, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		fuzz_die("open_memstream");
	conf_print(cf, f);
	if (fclose(f) != 0)
		fuzz_die("fclose memstream");
	return buf;
}

static bool
fuzz_lines_fit(const char *s, size_t len)
{
	const char *end = s + len, *nl;

	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		if (nl - s > FUZZ_LINE_MAX)
			return false;
	}
	return true;
}

static void
fuzz_report(const char *what, const char *d1, const char *d2,
    const struct conf_result *res)
{
	fprintf(stderr, "fuzz: round-trip violation: %s\n", what);
	if (res != NULL)
		fprintf(stderr, "fuzz: reload of the dump: exit %d: %s\n",
		    res->exit_code, res->msg);
	fprintf(stderr, "---- first dump ----\n%s", d1);
	if (d2 != NULL)
		fprintf(stderr, "---- second dump ----\n%s", d2);
	fprintf(stderr, "----\n");
	abort();
}

/*
 * The round trip: dump cf, load the dump, dump again, compare.  A dump
 * with a line over 1024 bytes is not checked: no dnsmasq-syntax reader
 * can take it back (the printer's quoting can make a value longer than
 * the line that gave it).
 */
static void
fuzz_roundtrip(const struct conf *cf)
{
	struct conf_result res;
	struct conf *cf2;
	size_t l1, l2;
	char *d1, *d2;

	d1 = fuzz_dump(cf, &l1);
	if (strlen(d1) != l1)
		fuzz_report("NUL byte in the dump", d1, NULL, NULL);
	if (!fuzz_lines_fit(d1, l1)) {
		free(d1);
		return;
	}
	fuzz_write_file(fuzz_env.dump, d1, l1);
	cf2 = fuzz_load_file(fuzz_env.dump, &res);
	if (cf2 == NULL)
		fuzz_report("the dump does not load", d1, NULL, &res);
	d2 = fuzz_dump(cf2, &l2);
	conf_free(cf2);
	if (l1 != l2 || memcmp(d1, d2, l1) != 0)
		fuzz_report("the dump of the dump differs", d1, d2, NULL);
	free(d1);
	free(d2);
}

#endif
