/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_priv.c - the capability rule and user/group resolution (anyone),
 * and the real privilege drop (root only, each case in a forked child that
 * reports its /proc/self/status through a pipe; skipped when not root).
 *
 * Users and groups used are those of every Debian system: root (0),
 * daemon (1), nobody (65534), and the group "dip" when present.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "conf.h"
#include "priv.h"

#define RAW PRIV_CAP_NET_RAW
#define BIND PRIV_CAP_NET_BIND_SERVICE
#define ADMIN PRIV_CAP_NET_ADMIN

/* Kernel bit masks as /proc/self/status prints them. */
#define K_RAW (1ull << CAP_NET_RAW)		/* 0x2000 */
#define K_BIND (1ull << CAP_NET_BIND_SERVICE)	/* 0x0400 */
#define K_ADMIN (1ull << CAP_NET_ADMIN)		/* 0x1000 */

#define NOSUCH "pxemasq-no-such-name"

/* ---- priv_caps_needed / priv_caps_startup ---- */

struct caps_row {
	const char *name;
	struct priv_needs n;
	unsigned needed;
	unsigned startup;
};

static const struct caps_row caps_rows[] = {
	{ "nothing served", { false, false, 0, 0, 0 }, 0, 0 },
	{ "dhcp", { true, false, 67, 0, 0 }, RAW, RAW | BIND },
	{ "dhcp bind-dynamic", { true, true, 67, 0, 0 }, RAW | BIND,
	    RAW | BIND },
	{ "dhcp alternate port late", { true, true, 1067, 0, 0 }, RAW, RAW },
	{ "dhcp port without dhcp", { false, true, 67, 0, 0 }, 0, 0 },
	{ "dns 53", { false, false, 0, 53, 0 }, 0, BIND },
	{ "dns 53 late", { false, true, 0, 53, 0 }, BIND, BIND },
	{ "dns 5353 late", { false, true, 0, 5353, 0 }, 0, 0 },
	/* dnsmasq says port <= 1024; the kernel only guards < 1024. */
	{ "dns 1024 late", { false, true, 0, 1024, 0 }, 0, 0 },
	{ "dns 1023 late", { false, true, 0, 1023, 0 }, BIND, BIND },
	{ "tftp 69", { false, false, 0, 0, 69 }, 0, BIND },
	{ "tftp 69 late", { false, true, 0, 0, 69 }, BIND, BIND },
	{ "tftp 6969 late", { false, true, 0, 0, 6969 }, 0, 0 },
	{ "pxe full late", { true, true, 67, 0, 69 }, RAW | BIND,
	    RAW | BIND },
	{ "pxe full", { true, false, 67, 53, 69 }, RAW, RAW | BIND },
};

static void
caps_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(caps_rows) / sizeof(caps_rows[0]); i++) {
		const struct caps_row *r = &caps_rows[i];

		print_message("row: %s\n", r->name);
		assert_int_equal(priv_caps_needed(&r->n), r->needed);
		assert_int_equal(priv_caps_startup(&r->n), r->startup);
	}
}

static void
cap_names(void **state)
{
	(void)state;
	assert_string_equal(priv_cap_name(RAW), "NET_RAW");
	assert_string_equal(priv_cap_name(BIND), "NET_BIND_SERVICE");
	assert_string_equal(priv_cap_name(ADMIN), "NET_ADMIN");
	assert_null(priv_cap_name(0));
	assert_null(priv_cap_name(RAW | BIND));
}

/* ---- priv_resolve ---- */

/* The group dnsmasq picks without group=: "dip", else the primary group of
 * the user (uid's entry), else none (gid returned as -1). */
static gid_t
default_gid(const char *user)
{
	const struct group *gr;
	const struct passwd *pw;

	if ((gr = getgrnam("dip")) != NULL)
		return gr->gr_gid;
	if (user == NULL || (pw = getpwnam(user)) == NULL)
		return (gid_t)-1;
	if ((gr = getgrgid(pw->pw_gid)) == NULL)
		return (gid_t)-1;
	return gr->gr_gid;
}

static void
check_default_group(const struct priv_target *t, const char *user)
{
	gid_t g = default_gid(user);

	if (g == (gid_t)-1) {
		assert_false(t->set_gid);
		return;
	}
	assert_true(t->set_gid);
	assert_int_equal(t->gid, g);
}

static void
resolve_default_nobody(void **state)
{
	struct conf cf = { 0 };
	struct priv_target t;
	char msg[256] = "";

	(void)state;
	assert_int_equal(priv_resolve(&cf, false, &t, msg, sizeof(msg)), 0);
	assert_true(t.change_ids);
	assert_true(t.set_uid);
	assert_int_equal(t.uid, 65534);
	assert_string_equal(t.user_name, "nobody");
	check_default_group(&t, "nobody");
}

static void
resolve_user_daemon(void **state)
{
	struct conf cf = { 0 };
	struct priv_target t;
	char msg[256] = "";

	(void)state;
	cf.user = "daemon";
	cf.user_set = true;
	assert_int_equal(priv_resolve(&cf, false, &t, msg, sizeof(msg)), 0);
	assert_int_equal(t.uid, 1);
	assert_string_equal(t.user_name, "daemon");
	check_default_group(&t, "daemon");
}

static void
resolve_user_and_group(void **state)
{
	struct conf cf = { 0 };
	struct priv_target t;
	char msg[256] = "";

	(void)state;
	cf.user = "root";
	cf.user_set = true;
	cf.group = "daemon";
	cf.group_set = true;
	assert_int_equal(priv_resolve(&cf, false, &t, msg, sizeof(msg)), 0);
	assert_true(t.set_uid);
	assert_int_equal(t.uid, 0);
	assert_true(t.set_gid);
	assert_int_equal(t.gid, 1);
	assert_string_equal(t.group_name, "daemon");
}

/* user= (empty): dnsmasq's opt_string_alloc gives NULL, no setuid. */
static void
resolve_user_empty(void **state)
{
	struct conf cf = { 0 };
	struct priv_target t;
	char msg[256] = "";

	(void)state;
	cf.user_set = true;
	assert_int_equal(priv_resolve(&cf, false, &t, msg, sizeof(msg)), 0);
	assert_false(t.set_uid);
	check_default_group(&t, NULL);
}

/* group= (empty): group_set without a name, no setgid. */
static void
resolve_group_empty(void **state)
{
	struct conf cf = { 0 };
	struct priv_target t;
	char msg[256] = "";

	(void)state;
	cf.group_set = true;
	assert_int_equal(priv_resolve(&cf, false, &t, msg, sizeof(msg)), 0);
	assert_true(t.set_uid);
	assert_false(t.set_gid);
}

static void
resolve_debug_keeps_ids(void **state)
{
	struct conf cf = { 0 };
	struct priv_target t;
	char msg[256] = "";

	(void)state;
	assert_int_equal(priv_resolve(&cf, true, &t, msg, sizeof(msg)), 0);
	assert_false(t.change_ids);
	assert_int_equal(t.uid, 65534);
}

struct bad_row {
	const char *name;
	const char *user;
	const char *group;
	const char *msg;
};

/* Checked against dnsmasq 2.90: dnsmasq -k -p 0 --conf-file=/dev/null
 * -u U -g G (exit 1 each). */
static const struct bad_row bad_rows[] = {
	{ "bad user", NOSUCH "u", NULL,
	    "unknown user or group: " NOSUCH "u" },
	{ "bad group", NULL, NOSUCH "g",
	    "unknown user or group: " NOSUCH "g" },
	{ "both bad: user first", NOSUCH "u", NOSUCH "g",
	    "unknown user or group: " NOSUCH "u" },
	{ "good user, bad group", "daemon", NOSUCH "g",
	    "unknown user or group: " NOSUCH "g" },
};

static void
resolve_unknown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		const struct bad_row *r = &bad_rows[i];
		struct conf cf = { 0 };
		struct priv_target t;
		char msg[256] = "";

		print_message("row: %s\n", r->name);
		cf.user = r->user;
		cf.user_set = r->user != NULL;
		cf.group = r->group;
		cf.group_set = r->group != NULL;
		assert_int_equal(priv_resolve(&cf, false, &t, msg,
		    sizeof(msg)), -1);
		assert_string_equal(msg, r->msg);
		/* -d does not skip the lookups (dnsmasq.c dies first). */
		assert_int_equal(priv_resolve(&cf, true, &t, msg,
		    sizeof(msg)), -1);
		assert_string_equal(msg, r->msg);
	}
}

/* The same through the command line parser. */
static void
resolve_from_conf_load(void **state)
{
	char *argv[] = { (char *)(uintptr_t)"pxemasq",
	    (char *)(uintptr_t)"--conf-file=/dev/null",
	    (char *)(uintptr_t)"--user=daemon",
	    (char *)(uintptr_t)"--group=", NULL };
	struct conf_result res;
	struct priv_target t;
	struct conf *cf;
	char msg[256] = "";

	(void)state;
	cf = conf_load(4, argv, &res);
	if (cf == NULL)
		fail_msg("conf_load: %s", res.msg);
	assert_int_equal(priv_resolve(cf, false, &t, msg, sizeof(msg)), 0);
	assert_int_equal(t.uid, 1);
	assert_false(t.set_gid);
	conf_free(cf);
}

/* ---- priv_check in this process (the children below do the rest) ---- */

static void
check_current(void **state)
{
	char msg[256] = "";

	(void)state;
	assert_int_equal(priv_check(0, msg, sizeof(msg)), 0);
	if (geteuid() == 0)
		assert_int_equal(priv_check(RAW | BIND | ADMIN, msg,
		    sizeof(msg)), 0);
}

/* ---- the real drop: root only, one forked child per case ---- */

struct status {
	int rc;			/* priv_drop / priv_check result */
	char msg[256];
	unsigned uid[4], gid[4];
	int ngroups;
	unsigned long long inh, prm, eff, bnd, amb;
	int nnp;
};

typedef int child_fn(char *msg, size_t msgsz);

static void
parse_status(FILE *f, struct status *st)
{
	char line[1024];

	st->rc = -99;
	st->ngroups = -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p;

		if (sscanf(line, "RC=%d", &st->rc) == 1) {
			if ((p = strstr(line, " MSG=")) != NULL)
				snprintf(st->msg, sizeof(st->msg), "%s", p + 5);
			st->msg[strcspn(st->msg, "\n")] = '\0';
		}
		sscanf(line, "Uid: %u %u %u %u", &st->uid[0], &st->uid[1],
		    &st->uid[2], &st->uid[3]);
		sscanf(line, "Gid: %u %u %u %u", &st->gid[0], &st->gid[1],
		    &st->gid[2], &st->gid[3]);
		if (strncmp(line, "Groups:", 7) == 0) {
			st->ngroups = 0;
			for (p = strtok(line + 7, " \t\n"); p != NULL;
			    p = strtok(NULL, " \t\n"))
				st->ngroups++;
		}
		sscanf(line, "CapInh: %llx", &st->inh);
		sscanf(line, "CapPrm: %llx", &st->prm);
		sscanf(line, "CapEff: %llx", &st->eff);
		sscanf(line, "CapBnd: %llx", &st->bnd);
		sscanf(line, "CapAmb: %llx", &st->amb);
		sscanf(line, "NoNewPrivs: %d", &st->nnp);
	}
}

/* In the child: writes "RC=.. MSG=..\n" and its /proc/self/status, or, when
 * exec_cat, lets an exec'd cat(1) print its own status (what a program
 * started after the drop gets). */
static void __attribute__((noreturn))
child_main(int fd, child_fn *fn, bool exec_cat)
{
	char msg[256] = "", buf[4096];
	ssize_t n;
	int rc, in;

	rc = fn(msg, sizeof(msg));
	dprintf(fd, "RC=%d MSG=%s\n", rc, msg);
	if (exec_cat && rc == 0) {
		if (dup2(fd, STDOUT_FILENO) < 0)
			_exit(2);
		execl("/bin/cat", "cat", "/proc/self/status", (char *)NULL);
		_exit(3);
	}
	if ((in = open("/proc/self/status", O_RDONLY)) < 0)
		_exit(4);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			_exit(5);
	_exit(0);
}

static void
run_child(child_fn *fn, bool exec_cat, struct status *st)
{
	int p[2], wst;
	pid_t pid;
	FILE *f;

	memset(st, 0, sizeof(*st));
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		child_main(p[1], fn, exec_cat);
	}
	close(p[1]);
	assert_non_null(f = fdopen(p[0], "r"));
	parse_status(f, st);
	fclose(f);
	assert_int_equal(waitpid(pid, &wst, 0), pid);
	assert_true(WIFEXITED(wst));
	assert_int_equal(WEXITSTATUS(wst), 0);
}

static int
need_root(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	return 0;
}

static void
assert_ids(const struct status *st, unsigned uid, unsigned gid)
{
	int i;

	for (i = 0; i < 4; i++) {
		assert_int_equal(st->uid[i], uid);
		assert_int_equal(st->gid[i], gid);
	}
}

static void
assert_caps(const struct status *st, unsigned long long want)
{
	assert_int_equal(st->eff, want);
	assert_int_equal(st->prm, want);
	assert_int_equal(st->inh, 0);
	assert_int_equal(st->amb, 0);
}

/* The default target: nobody, group dip (or nobody's). */
static int
default_target(struct priv_target *t, bool debug, char *msg, size_t msgsz)
{
	struct conf cf = { 0 };

	return priv_resolve(&cf, debug, t, msg, msgsz);
}

static int
drop_default(unsigned caps, bool debug, char *msg, size_t msgsz)
{
	struct priv_target t;

	if (default_target(&t, debug, msg, msgsz) < 0)
		return -2;
	return priv_drop(&t, caps, msg, msgsz);
}

/* Supplementary groups root may have (here root and daemon) must go. */
static int
c_root_raw(char *msg, size_t msgsz)
{
	const gid_t groups[] = { 0, 1 };

	if (setgroups(2, groups) < 0)
		return -3;
	return drop_default(RAW, false, msg, msgsz);
}

static int
c_root_raw_bind(char *msg, size_t msgsz)
{
	return drop_default(RAW | BIND, false, msg, msgsz);
}

static int
c_root_none(char *msg, size_t msgsz)
{
	return drop_default(0, false, msg, msgsz);
}

static int
c_root_debug(char *msg, size_t msgsz)
{
	return drop_default(RAW, true, msg, msgsz);
}

static void
root_to_nobody_raw(void **state)
{
	struct status st;

	need_root(state);
	run_child(c_root_raw, false, &st);
	assert_int_equal(st.rc, 0);
	assert_ids(&st, 65534, (unsigned)default_gid("nobody"));
	assert_int_equal(st.ngroups, 0);
	assert_caps(&st, K_RAW);
	assert_int_equal(st.bnd, K_RAW);
	assert_int_equal(st.nnp, 0);
}

static void
root_to_nobody_raw_bind(void **state)
{
	struct status st;

	need_root(state);
	run_child(c_root_raw_bind, false, &st);
	assert_int_equal(st.rc, 0);
	assert_ids(&st, 65534, (unsigned)default_gid("nobody"));
	assert_caps(&st, K_RAW | K_BIND);
	assert_int_equal(st.bnd, K_RAW | K_BIND);
}

static void
root_to_nobody_none(void **state)
{
	struct status st;

	need_root(state);
	run_child(c_root_none, false, &st);
	assert_int_equal(st.rc, 0);
	assert_ids(&st, 65534, (unsigned)default_gid("nobody"));
	assert_caps(&st, 0);
	assert_int_equal(st.bnd, 0);
}

/* -d: ids kept (dnsmasq), capabilities still reduced (pxemasq). */
static void
root_debug_keeps_ids(void **state)
{
	struct status st;

	need_root(state);
	run_child(c_root_debug, false, &st);
	assert_int_equal(st.rc, 0);
	assert_int_equal(st.uid[0], 0);
	assert_int_equal(st.uid[1], 0);
	assert_caps(&st, K_RAW);
	assert_int_equal(st.bnd, K_RAW);
}

/* A program exec'd after the drop (a future dhcp-script) gets nothing:
 * no ambient or inheritable capabilities survive. */
static void
root_exec_after_drop(void **state)
{
	struct status st;

	need_root(state);
	run_child(c_root_raw_bind, true, &st);
	assert_int_equal(st.rc, 0);
	assert_int_equal(st.uid[1], 65534);
	assert_caps(&st, 0);
	assert_int_equal(st.bnd, K_RAW | K_BIND);
}

/* Removes cap from the permitted and effective sets (as root). */
static int
lose_cap(cap_value_t cap)
{
	cap_t c;
	int rc;

	if ((c = cap_get_proc()) == NULL)
		return -1;
	rc = cap_set_flag(c, CAP_PERMITTED, 1, &cap, CAP_CLEAR);
	if (rc == 0)
		rc = cap_set_flag(c, CAP_EFFECTIVE, 1, &cap, CAP_CLEAR);
	if (rc == 0)
		rc = cap_set_proc(c);
	cap_free(c);
	return rc;
}

static int
c_no_setuid(char *msg, size_t msgsz)
{
	if (lose_cap(CAP_SETUID) < 0)
		return -3;
	return drop_default(RAW, false, msg, msgsz);
}

static int
c_no_setgid(char *msg, size_t msgsz)
{
	if (lose_cap(CAP_SETGID) < 0)
		return -3;
	return drop_default(RAW, false, msg, msgsz);
}

static void
root_setuid_fails(void **state)
{
	struct status st;

	need_root(state);
	run_child(c_no_setuid, false, &st);
	assert_int_equal(st.rc, -1);
	assert_string_equal(st.msg, "failed to change user-id to nobody: "
	    "Operation not permitted");
}

static void
root_setgid_fails(void **state)
{
	struct status st;
	char want[300];
	const struct group *gr = getgrnam("dip");

	need_root(state);
	if (gr == NULL)
		gr = getgrgid((gid_t)default_gid("nobody"));
	assert_non_null(gr);
	snprintf(want, sizeof(want), "failed to change group-id to %s: "
	    "Operation not permitted", gr->gr_name);
	run_child(c_no_setgid, false, &st);
	assert_int_equal(st.rc, -1);
	assert_string_equal(st.msg, want);
}

/*
 * Start mode (2), simulated the way systemd sets up User=nobody with
 * AmbientCapabilities=CAP_NET_RAW CAP_NET_BIND_SERVICE CAP_NET_ADMIN: the
 * process runs as nobody and holds those three in its permitted,
 * effective, inheritable and ambient sets.  with_setpcap adds CAP_SETPCAP
 * (without it the bounding set cannot be touched, as under systemd).
 */
static int
become_mode2(const cap_value_t *v, int n)
{
	cap_t c;
	int i, rc;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
	    setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
		return -1;
	if ((c = cap_init()) == NULL)
		return -1;
	if (n == 0) {	/* cap_set_flag() refuses an empty list */
		rc = cap_set_proc(c);
		cap_free(c);
		return rc;
	}
	rc = cap_set_flag(c, CAP_PERMITTED, n, v, CAP_SET);
	if (rc == 0)
		rc = cap_set_flag(c, CAP_EFFECTIVE, n, v, CAP_SET);
	if (rc == 0)
		rc = cap_set_flag(c, CAP_INHERITABLE, n, v, CAP_SET);
	if (rc == 0)
		rc = cap_set_proc(c);
	cap_free(c);
	for (i = 0; rc == 0 && i < n; i++)
		if (v[i] != CAP_SETPCAP)
			rc = cap_set_ambient(v[i], CAP_SET);
	if (rc == 0)
		rc = prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	return rc;
}

static const cap_value_t mode2_caps[] = {
	CAP_NET_RAW, CAP_NET_BIND_SERVICE, CAP_NET_ADMIN,
};

static int
mode2_drop(bool with_setpcap, unsigned caps, char *msg, size_t msgsz)
{
	cap_value_t v[4] = { CAP_NET_RAW, CAP_NET_BIND_SERVICE,
	    CAP_NET_ADMIN, CAP_SETPCAP };
	struct priv_target t;

	if (become_mode2(v, with_setpcap ? 4 : 3) < 0)
		return -3;
	if (default_target(&t, false, msg, msgsz) < 0)
		return -2;
	if (priv_check(caps, msg, msgsz) < 0)
		return -4;
	return priv_drop(&t, caps, msg, msgsz);
}

static int
c_mode2_raw(char *msg, size_t msgsz)
{
	return mode2_drop(false, RAW, msg, msgsz);
}

static int
c_mode2_raw_setpcap(char *msg, size_t msgsz)
{
	return mode2_drop(true, RAW, msg, msgsz);
}

static int
c_mode2_setup_only(char *msg, size_t msgsz)
{
	(void)msg;
	(void)msgsz;
	return become_mode2(mode2_caps, 3);
}

static void
mode2_simulation_is_faithful(void **state)
{
	struct status st;

	need_root(state);
	run_child(c_mode2_setup_only, false, &st);
	assert_int_equal(st.rc, 0);
	assert_int_equal(st.uid[0], 65534);
	assert_int_equal(st.amb, K_RAW | K_BIND | K_ADMIN);
	assert_int_equal(st.eff, K_RAW | K_BIND | K_ADMIN);
}

static void
mode2_keeps_only_needed(void **state)
{
	struct status st, before;

	need_root(state);
	run_child(c_mode2_setup_only, false, &before);
	run_child(c_mode2_raw, false, &st);
	assert_int_equal(st.rc, 0);
	assert_ids(&st, 65534, 65534);
	assert_caps(&st, K_RAW);
	/* No CAP_SETPCAP: the bounding set stays as it was. */
	assert_int_equal(st.bnd, before.bnd);
}

static void
mode2_setpcap_trims_bounding(void **state)
{
	struct status st;

	need_root(state);
	run_child(c_mode2_raw_setpcap, false, &st);
	assert_int_equal(st.rc, 0);
	assert_ids(&st, 65534, 65534);
	assert_caps(&st, K_RAW);
	assert_int_equal(st.bnd, K_RAW);
}

/* Mode (2) with only NET_BIND_SERVICE granted. */
static int
c_mode2_missing_raw(char *msg, size_t msgsz)
{
	cap_value_t v = CAP_NET_BIND_SERVICE;

	if (become_mode2(&v, 1) < 0)
		return -3;
	return priv_check(RAW | BIND, msg, msgsz);
}

static int
c_mode2_missing_order(char *msg, size_t msgsz)
{
	if (become_mode2(NULL, 0) < 0)
		return -3;
	return priv_check(RAW | BIND | ADMIN, msg, msgsz);
}

static int
c_mode2_drop_missing(char *msg, size_t msgsz)
{
	cap_value_t v = CAP_NET_BIND_SERVICE;
	struct priv_target t;

	if (become_mode2(&v, 1) < 0)
		return -3;
	if (default_target(&t, false, msg, msgsz) < 0)
		return -2;
	return priv_drop(&t, RAW, msg, msgsz);
}

static void
mode2_missing_cap(void **state)
{
	struct status st;

	need_root(state);
	run_child(c_mode2_missing_raw, false, &st);
	assert_int_equal(st.rc, -1);
	assert_string_equal(st.msg,
	    "process is missing required capability NET_RAW");
	run_child(c_mode2_missing_order, false, &st);
	assert_int_equal(st.rc, -1);
	assert_string_equal(st.msg,
	    "process is missing required capability NET_ADMIN");
	run_child(c_mode2_drop_missing, false, &st);
	assert_int_equal(st.rc, -1);
	assert_string_equal(st.msg,
	    "setting capabilities failed: Operation not permitted");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(caps_table),
		cmocka_unit_test(cap_names),
		cmocka_unit_test(resolve_default_nobody),
		cmocka_unit_test(resolve_user_daemon),
		cmocka_unit_test(resolve_user_and_group),
		cmocka_unit_test(resolve_user_empty),
		cmocka_unit_test(resolve_group_empty),
		cmocka_unit_test(resolve_debug_keeps_ids),
		cmocka_unit_test(resolve_unknown),
		cmocka_unit_test(resolve_from_conf_load),
		cmocka_unit_test(check_current),
		cmocka_unit_test(root_to_nobody_raw),
		cmocka_unit_test(root_to_nobody_raw_bind),
		cmocka_unit_test(root_to_nobody_none),
		cmocka_unit_test(root_debug_keeps_ids),
		cmocka_unit_test(root_exec_after_drop),
		cmocka_unit_test(root_setuid_fails),
		cmocka_unit_test(root_setgid_fails),
		cmocka_unit_test(mode2_simulation_is_faithful),
		cmocka_unit_test(mode2_keeps_only_needed),
		cmocka_unit_test(mode2_setpcap_trims_bounding),
		cmocka_unit_test(mode2_missing_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
