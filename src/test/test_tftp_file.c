/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_tftp_file.c - TFTP path composition and confinement: a corpus of
 * traversal and odd names against a temporary root (symlinks in and
 * out, absolute links, loops, a FIFO, a device, directories), each tried
 * with openat2() and with the component walk; unique roots; dnsmasq's
 * permission rules; the shared open-file cache. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>

#include "tftp_file.h"
#include "tftp_proto.h"

struct fx {
	char tmp[64];
	char root[PATH_MAX];
	bool have_dev;
};

static void
mk(const char *dir, const char *name, const char *text, mode_t mode)
{
	char p[PATH_MAX * 2];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
}

static void
ln(const char *target, const char *dir, const char *name)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(symlink(target, p), 0);
}

static void
mkd(const char *dir, const char *name)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(mkdir(p, 0755), 0);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char p[PATH_MAX * 2];

	assert_non_null(f);
	snprintf(f->tmp, sizeof(f->tmp), "/tmp/test_tftp_file.XXXXXX");
	assert_non_null(mkdtemp(f->tmp));
	assert_int_equal(chmod(f->tmp, 0755), 0);
	snprintf(f->root, sizeof(f->root), "%s/root", f->tmp);
	assert_int_equal(mkdir(f->root, 0755), 0);
	mk(f->tmp, "outside.txt", "OUTSIDE", 0644);
	mk(f->root, "a.txt", "A", 0644);
	mk(f->root, "UPPER.TXT", "UP", 0644);
	mk(f->root, "private", "P", 0600);
	mk(f->root, "...", "DOTS", 0644);
	mkd(f->root, "sub");
	mkd(f->root, "dir");
	mk(f->root, "sub/b.txt", "B", 0644);
	mkd(f->root, "sub/deep");
	mk(f->root, "sub/deep/c.txt", "C", 0644);
	ln("sub/b.txt", f->root, "link-in");
	snprintf(p, sizeof(p), "%s/sub/b.txt", f->root);
	ln(p, f->root, "link-abs-in");
	ln("../a.txt", f->root, "sub/up");
	ln("../outside.txt", f->root, "link-out");
	snprintf(p, sizeof(p), "%s/outside.txt", f->tmp);
	ln(p, f->root, "link-abs-out");
	ln("..", f->root, "dirlink-out");
	ln("sub", f->root, "dirlink-in");
	ln("loop2", f->root, "loop1");
	ln("loop1", f->root, "loop2");
	ln("/etc/passwd", f->root, "link-etc");
	snprintf(p, sizeof(p), "%s/fifo", f->root);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/null", f->root);
	f->have_dev = mknod(p, S_IFCHR | 0666, makedev(1, 3)) == 0;
	/* tftp-unique-root */
	mkd(f->root, "198.51.100.7");
	mk(f->root, "198.51.100.7/u.txt", "U-IP", 0644);
	ln("../a.txt", f->root, "198.51.100.7/shared");
	mkd(f->root, "02-00-00-00-00-07");
	mk(f->root, "02-00-00-00-00-07/u.txt", "U-MAC", 0644);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->tmp);
	free(f);
	return 0;
}

/* An expected outcome: 0 with the file's text, or -errno. */
struct name_row {
	const char *name;	/* raw, as on the wire ("@" = the root) */
	int rc;
	const char *text;
};

static const struct name_row name_rows[] = {
	{ "a.txt", 0, "A" },
	{ "/a.txt", 0, "A" },
	{ "//a.txt", 0, "A" },
	{ "\\a.txt", 0, "A" },
	{ "./a.txt", 0, "A" },
	{ "sub/b.txt", 0, "B" },
	{ "sub//b.txt", 0, "B" },
	{ "sub/./b.txt", 0, "B" },
	{ "sub\\b.txt", 0, "B" },
	{ "sub/deep/c.txt", 0, "C" },
	{ "link-in", 0, "B" },
	{ "link-abs-in", 0, "B" },
	{ "sub/up", 0, "A" },
	{ "dirlink-in/b.txt", 0, "B" },
	{ "UPPER.TXT", 0, "UP" },
	{ "...", 0, "DOTS" },
	{ "@/a.txt", 0, "A" },
	{ "../outside.txt", -EACCES, NULL },
	{ "..\\outside.txt", -EACCES, NULL },
	{ "sub/../a.txt", -EACCES, NULL },
	{ "sub/deep/../../../outside.txt", -EACCES, NULL },
	{ "@/../outside.txt", -EACCES, NULL },
	{ "/../outside.txt", -EACCES, NULL },
	{ "..", -EACCES, NULL },
	{ "sub/..", -EISDIR, NULL },
	{ "link-out", -EACCES, NULL },
	{ "link-abs-out", -EACCES, NULL },
	{ "link-etc", -EACCES, NULL },
	{ "dirlink-out/outside.txt", -EACCES, NULL },
	{ "dirlink-out", -EACCES, NULL },
	{ "loop1", -ELOOP, NULL },
	{ "fifo", -EACCES, NULL },
	{ "dir", -EISDIR, NULL },
	{ ".", -EISDIR, NULL },
	{ "/", -EISDIR, NULL },
	{ "nofile", -ENOENT, NULL },
	{ "sub/nofile", -ENOENT, NULL },
	{ "nodir/x", -ENOENT, NULL },
	{ "a.txt/x", -ENOTDIR, NULL },
	{ "link-in/", -ENOTDIR, NULL },
	{ "%2e%2e/outside.txt", -ENOENT, NULL },
	{ "..%2foutside.txt", -ENOENT, NULL },
	{ "%2e%2e%2foutside.txt", -ENOENT, NULL },
	{ "upper.txt", -ENOENT, NULL },
	{ "/etc/passwd", -ENOENT, NULL },
	{ "~root", -ENOENT, NULL },
	{ "*", -ENOENT, NULL },
	{ "a.txt ", -ENOENT, NULL },
	{ "....", -ENOENT, NULL },
	{ "a.txt\n", -ENOENT, NULL },
	{ "\x01\x7f\xff", -ENOENT, NULL },
};

static void
check_row(struct fx *f, const char *raw, int want_rc, const char *want,
    bool walk, const char *label)
{
	struct tftp_files fs = { 0 };
	struct tftp_file *tf = NULL;
	char name[1200], path[1100];
	char full[PATH_MAX * 2];
	struct tftp_lookup l = {
		.root = f->root, .name = name, .client = "198.51.100.9",
		.euid = 65534, .force_walk = walk,
	};
	char text[64];
	int rc;

	if (raw[0] == '@') {
		snprintf(full, sizeof(full), "%s%s", f->root, raw + 1);
		raw = full;
	}
	if (!tftp_name_normalise(raw, strlen(raw), false, name, sizeof(name)))
		rc = -ENAMETOOLONG;
	else
		rc = tftp_file_get(&fs, &l, path, sizeof(path), &tf);
	if (rc != want_rc)
		fail_msg("%s \"%s\" (%s): %d (%s), want %d", label, raw,
		    walk ? "walk" : "openat2", rc, strerror(-rc), want_rc);
	if (rc == 0) {
		ssize_t n = pread(tf->fd, text, sizeof(text) - 1, 0);

		assert_true(n >= 0);
		text[n] = '\0';
		if (strcmp(text, want) != 0)
			fail_msg("%s \"%s\": read \"%s\"", label, raw, text);
		tftp_file_put(&fs, tf);
	}
	assert_int_equal(fs.n, 0);
}

static void
name_corpus(void **state)
{
	struct fx *f = *state;
	size_t i;
	int walk;

	for (walk = 0; walk <= 1; walk++)
		for (i = 0; i < sizeof(name_rows) / sizeof(name_rows[0]); i++)
			check_row(f, name_rows[i].name, name_rows[i].rc,
			    name_rows[i].text, walk, "row");
	if (f->have_dev) {
		check_row(f, "null", -EACCES, NULL, false, "device");
		check_row(f, "null", -EACCES, NULL, true, "device");
	}
}

static void
long_names(void **state)
{
	struct fx *f = *state;
	char name[1200];
	size_t i;

	memset(name, 'a', 255);
	name[255] = '\0';
	check_row(f, name, -ENOENT, NULL, false, "255 bytes");
	check_row(f, name, -ENOENT, NULL, true, "255 bytes");
	memset(name, 'a', 256);
	name[256] = '\0';
	check_row(f, name, -ENAMETOOLONG, NULL, false, "256 bytes");
	check_row(f, name, -ENAMETOOLONG, NULL, true, "256 bytes");
	for (i = 0; i + 2 < 1150; i += 2)
		memcpy(name + i, "a/", 2);
	name[i] = '\0';
	check_row(f, name, -ENAMETOOLONG, NULL, false, "1150 bytes");
	for (i = 0; i + 3 < 900; i += 3)
		memcpy(name + i, "../", 3);
	name[i] = '\0';
	check_row(f, name, -EACCES, NULL, false, "many ..");
}

/* Names with a NUL inside or empty never reach the file system: the
 * request parser refuses them or stops at the NUL. */
static void
parser_guards(void **state)
{
	static const uint8_t nul_in_name[] = "\0\1a.txt\0../x\0octet";
	static const uint8_t empty_name[] = "\0\1\0octet";
	struct tftp_req req;

	(void)state;
	assert_int_equal(tftp_req_parse(nul_in_name, sizeof(nul_in_name),
	    &req), TFTP_REQ_MODE);
	assert_int_equal(tftp_req_parse(empty_name, sizeof(empty_name), &req),
	    TFTP_REQ_NO_NAME);
}

static void
lookup(struct fx *f, struct tftp_lookup *l, const char *name, int want_rc,
    const char *want_text, const char *want_path)
{
	struct tftp_files fs = { 0 };
	struct tftp_file *tf = NULL;
	char path[1100], text[32];
	int rc;

	(void)f;
	l->name = name;
	rc = tftp_file_get(&fs, l, path, sizeof(path), &tf);
	if (rc != want_rc)
		fail_msg("\"%s\": %d, want %d", name, rc, want_rc);
	if (want_path != NULL && strcmp(path, want_path) != 0)
		fail_msg("\"%s\": path %s, want %s", name, path, want_path);
	if (rc == 0) {
		ssize_t n = pread(tf->fd, text, sizeof(text) - 1, 0);

		text[n > 0 ? n : 0] = '\0';
		assert_string_equal(text, want_text);
		tftp_file_put(&fs, tf);
	}
}

static void
unique_roots(void **state)
{
	struct fx *f = *state;
	static const uint8_t mac7[6] = { 2, 0, 0, 0, 0, 7 };
	static const uint8_t mac8[6] = { 2, 0, 0, 0, 0, 8 };
	struct tftp_lookup l = { .root = f->root, .euid = 65534,
		.unique_ip = true, .client = "198.51.100.7" };
	char want[PATH_MAX * 2];

	snprintf(want, sizeof(want), "%s/198.51.100.7/u.txt", f->root);
	lookup(f, &l, "u.txt", 0, "U-IP", want);
	/* once the directory exists only it is searched (reference A.8) */
	lookup(f, &l, "a.txt", -ENOENT, NULL, NULL);
	/* a link inside it to the common root stays inside the root */
	lookup(f, &l, "shared", 0, "A", NULL);
	l.client = "198.51.100.8";
	snprintf(want, sizeof(want), "%s/a.txt", f->root);
	lookup(f, &l, "a.txt", 0, "A", want);
	l.unique_ip = false;
	l.unique_mac = true;
	l.mac = mac7;
	lookup(f, &l, "u.txt", 0, "U-MAC", NULL);
	l.mac = mac8;
	lookup(f, &l, "a.txt", 0, "A", NULL);
	l.mac = NULL;
	lookup(f, &l, "a.txt", 0, "A", NULL);
}

static void
path_shapes(void **state)
{
	char path[64];
	size_t rl;
	struct tftp_lookup l = { .root = NULL, .name = "x/y" };

	(void)state;
	assert_int_equal(tftp_file_path(&l, path, sizeof(path), &rl), 0);
	assert_string_equal(path, "/x/y");
	l.name = "/etc/x";
	assert_int_equal(tftp_file_path(&l, path, sizeof(path), &rl), 0);
	assert_string_equal(path, "/etc/x");
	l.root = "tftp";	/* relative roots hang off / as in dnsmasq */
	l.name = "a";
	assert_int_equal(tftp_file_path(&l, path, sizeof(path), &rl), 0);
	assert_string_equal(path, "/tftp/a");
	l.root = "/srv/tftp/";
	l.name = "/srv/tftp/a";
	assert_int_equal(tftp_file_path(&l, path, sizeof(path), &rl), 0);
	assert_string_equal(path, "/srv/tftp/a");
	l.name = "/etc/passwd";
	assert_int_equal(tftp_file_path(&l, path, sizeof(path), &rl), 0);
	assert_string_equal(path, "/srv/tftp/etc/passwd");
	assert_int_equal(rl, strlen("/srv/tftp/"));
	assert_int_equal(tftp_file_path(&l, path, 12, &rl), -ENAMETOOLONG);
}

static void
permission_rules(void **state)
{
	struct fx *f = *state;
	struct tftp_lookup l = { .root = f->root, .euid = 0 };
	struct stat st;
	char p[PATH_MAX * 2];

	/* as root: world-readable files only */
	lookup(f, &l, "private", -EACCES, NULL, NULL);
	lookup(f, &l, "a.txt", 0, "A", NULL);
	/* tftp-secure, unprivileged: only files the daemon owns */
	snprintf(p, sizeof(p), "%s/a.txt", f->root);
	assert_int_equal(stat(p, &st), 0);
	l.secure = true;
	l.euid = st.st_uid + 1;
	lookup(f, &l, "a.txt", -EACCES, NULL, NULL);
	l.euid = st.st_uid == 0 ? 1 : st.st_uid;
	if (st.st_uid != 0)
		lookup(f, &l, "a.txt", 0, "A", NULL);
	l.secure = false;
	l.euid = 65534;
	lookup(f, &l, "a.txt", 0, "A", NULL);
}

static void
cache_shares_descriptor(void **state)
{
	struct fx *f = *state;
	struct tftp_files fs = { 0 };
	struct tftp_file *a = NULL, *b = NULL, *c = NULL;
	struct tftp_lookup l = { .root = f->root, .euid = 65534 };
	char path[1100];

	l.name = "a.txt";
	assert_int_equal(tftp_file_get(&fs, &l, path, sizeof(path), &a), 0);
	assert_int_equal(tftp_file_get(&fs, &l, path, sizeof(path), &b), 0);
	assert_ptr_equal(a, b);
	assert_int_equal(a->refs, 2);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.hits, 1);
	/* the same inode by another name: another entry (dnsmasq) */
	l.name = "sub/up";
	assert_int_equal(tftp_file_get(&fs, &l, path, sizeof(path), &c), 0);
	assert_ptr_not_equal(a, c);
	assert_int_equal(fs.n, 2);
	tftp_file_put(&fs, a);
	assert_int_equal(fs.n, 2);
	tftp_file_put(&fs, b);
	assert_int_equal(fs.n, 1);
	tftp_file_put(&fs, c);
	assert_int_equal(fs.n, 0);
	tftp_files_clear(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_corpus),
		cmocka_unit_test(long_names),
		cmocka_unit_test(parser_guards),
		cmocka_unit_test(unique_roots),
		cmocka_unit_test(path_shapes),
		cmocka_unit_test(permission_rules),
		cmocka_unit_test(cache_shares_descriptor),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
