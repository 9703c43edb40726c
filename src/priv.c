/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * priv.c - capability rule, user/group lookup and the privilege drop.
 * See priv.h for the rule and the two start modes.
 */
#include "priv.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "conf.h"

/* dnsmasq's config.h: CHUSER "nobody", CHGRP "dip". */
#define PRIV_DEFAULT_USER "nobody"
#define PRIV_DEFAULT_GROUP "dip"

/* Ordered as dnsmasq checks them (dnsmasq.c: NET_ADMIN, NET_RAW,
 * NET_BIND_SERVICE), with the names it prints. */
static const struct {
	unsigned bit;
	cap_value_t cap;
	const char *name;
} priv_cap_tab[] = {
	{ PRIV_CAP_NET_ADMIN, CAP_NET_ADMIN, "NET_ADMIN" },
	{ PRIV_CAP_NET_RAW, CAP_NET_RAW, "NET_RAW" },
	{ PRIV_CAP_NET_BIND_SERVICE, CAP_NET_BIND_SERVICE,
	    "NET_BIND_SERVICE" },
};
#define PRIV_NCAPS (sizeof(priv_cap_tab) / sizeof(priv_cap_tab[0]))

/* Ports below 1024 need CAP_NET_BIND_SERVICE (the kernel's default
 * net.ipv4.ip_unprivileged_port_start). */
static bool
priv_port_low(uint16_t port)
{
	return port != 0 && port < 1024;
}

static bool
priv_any_port_low(const struct priv_needs *n)
{
	return (n->dhcp && priv_port_low(n->dhcp_port)) ||
	    priv_port_low(n->dns_port) || priv_port_low(n->tftp_port);
}

unsigned
priv_caps_needed(const struct priv_needs *n)
{
	unsigned caps = 0;

	if (n->dhcp)
		caps |= PRIV_CAP_NET_RAW;
	if (n->late_bind && priv_any_port_low(n))
		caps |= PRIV_CAP_NET_BIND_SERVICE;
	return caps;
}

unsigned
priv_caps_startup(const struct priv_needs *n)
{
	unsigned caps = priv_caps_needed(n);

	if (priv_any_port_low(n))
		caps |= PRIV_CAP_NET_BIND_SERVICE;
	return caps;
}

const char *
priv_cap_name(unsigned cap)
{
	size_t i;

	for (i = 0; i < PRIV_NCAPS; i++)
		if (priv_cap_tab[i].bit == cap)
			return priv_cap_tab[i].name;
	return NULL;
}

/* Formats msg and returns -1. */
static int __attribute__((format(printf, 3, 4)))
priv_fail(char *msg, size_t msgsz, const char *fmt, ...)
{
	va_list ap;

	if (msg != NULL && msgsz > 0) {
		va_start(ap, fmt);
		vsnprintf(msg, msgsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void
priv_copy_name(char *dst, const char *src)
{
	snprintf(dst, PRIV_NAME_MAX, "%s", src);
}

static void
priv_set_group(struct priv_target *t, const struct group *gr)
{
	t->gid = gr->gr_gid;
	t->set_gid = true;
	priv_copy_name(t->group_name, gr->gr_name);
}

/* dnsmasq.c: the user is looked up first, then a given group; a missing
 * one is "unknown user or group: NAME".  Without group=, the group is
 * "dip" if it exists, else the user's primary group (when it has an
 * entry); group= with an empty value sets no group at all. */
int
priv_resolve(const struct conf *cf, bool debug, struct priv_target *t,
    char *msg, size_t msgsz)
{
	const char *user = cf->user_set ? cf->user : PRIV_DEFAULT_USER;
	const char *group = cf->group_set ? cf->group : NULL;
	const struct passwd *pw;
	const struct group *gr;
	gid_t user_gid = 0;

	memset(t, 0, sizeof(*t));
	t->change_ids = !debug;
	if (user != NULL) {
		if ((pw = getpwnam(user)) == NULL)
			return priv_fail(msg, msgsz,
			    "unknown user or group: %s", user);
		t->uid = pw->pw_uid;
		t->set_uid = true;
		user_gid = pw->pw_gid;
		priv_copy_name(t->user_name, user);
	}
	if (group != NULL) {
		if ((gr = getgrnam(group)) == NULL)
			return priv_fail(msg, msgsz,
			    "unknown user or group: %s", group);
		priv_set_group(t, gr);
	} else if (!cf->group_set) {
		gr = getgrnam(PRIV_DEFAULT_GROUP);
		if (gr == NULL && t->set_uid)
			gr = getgrgid(user_gid);
		if (gr != NULL)
			priv_set_group(t, gr);
	}
	return 0;
}

/* cap_free() keeping errno for the message. */
static void
priv_cap_free(cap_t cap)
{
	int e = errno;

	cap_free(cap);
	errno = e;
}

/* Drops from the bounding set every capability not in keep, when
 * CAP_SETPCAP is permitted (raising it into the effective set for that).
 * Without it (start mode (2) under systemd, whose CapabilityBoundingSet=
 * already did this) there is nothing we may do. */
static int
priv_bound_drop(const cap_value_t *keep, int nkeep)
{
	cap_value_t setpcap = CAP_SETPCAP;
	cap_flag_value_t v = CAP_CLEAR;
	cap_value_t c, max = (cap_value_t)cap_max_bits();
	cap_t cur;
	int i, rc = -1;

	if ((cur = cap_get_proc()) == NULL)
		return -1;
	if (cap_get_flag(cur, CAP_SETPCAP, CAP_PERMITTED, &v) < 0)
		goto out_free;
	if (v != CAP_SET) {
		rc = 0;
		goto out_free;
	}
	if (cap_set_flag(cur, CAP_EFFECTIVE, 1, &setpcap, CAP_SET) < 0 ||
	    cap_set_proc(cur) < 0)
		goto out_free;
	for (c = 0; c < max; c++) {
		for (i = 0; i < nkeep && keep[i] != c; i++)
			;
		if (i == nkeep && cap_get_bound(c) == 1 &&
		    cap_drop_bound(c) < 0)
			goto out_free;
	}
	rc = 0;
out_free:
	priv_cap_free(cur);
	return rc;
}

/* PR_CAP_AMBIENT exists since Linux 4.3; before that (EINVAL) there is no
 * ambient set to clear. */
static int
priv_ambient_clear(void)
{
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return -1;
	return 0;
}

/* Sets permitted = effective = keep, inheritable empty, and reads the
 * result back. */
static int
priv_caps_set(const cap_value_t *keep, int nkeep)
{
	cap_t want, got = NULL;
	int rc = -1;

	if ((want = cap_init()) == NULL)
		return -1;
	if (nkeep > 0 &&
	    (cap_set_flag(want, CAP_PERMITTED, nkeep, keep, CAP_SET) < 0 ||
	    cap_set_flag(want, CAP_EFFECTIVE, nkeep, keep, CAP_SET) < 0))
		goto out_free;
	if (cap_set_proc(want) < 0)
		goto out_free;
	if ((got = cap_get_proc()) == NULL)
		goto out_free;
	if (cap_compare(want, got) != 0) {
		errno = EPERM;
		goto out_free;
	}
	rc = 0;
out_free:
	if (got != NULL)
		priv_cap_free(got);
	priv_cap_free(want);
	return rc;
}

/* Root only: no supplementary groups (dnsmasq: setgroups(0, ...)), the
 * target gid, then the target uid keeping the permitted set
 * (PR_SET_KEEPCAPS; setuid() clears the effective set). */
static int
priv_ids(const struct priv_target *t, char *msg, size_t msgsz)
{
	const char *gname = t->set_gid ? t->group_name : t->user_name;

	if ((t->set_gid || t->set_uid) && setgroups(0, NULL) < 0)
		return priv_fail(msg, msgsz, "failed to change group-id to "
		    "%s: %s", gname, strerror(errno));
	if (t->set_gid && setgid(t->gid) < 0)
		return priv_fail(msg, msgsz, "failed to change group-id to "
		    "%s: %s", gname, strerror(errno));
	if (!t->set_uid)
		return 0;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return priv_fail(msg, msgsz, "setting capabilities failed: "
		    "%s", strerror(errno));
	if (setuid(t->uid) < 0)
		return priv_fail(msg, msgsz, "failed to change user-id to "
		    "%s: %s", t->user_name, strerror(errno));
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return priv_fail(msg, msgsz, "setting capabilities failed: "
		    "%s", strerror(errno));
	return 0;
}

int
priv_drop(const struct priv_target *t, unsigned caps, char *msg,
    size_t msgsz)
{
	cap_value_t keep[PRIV_NCAPS];
	int nkeep = 0;
	size_t i;

	for (i = 0; i < PRIV_NCAPS; i++)
		if (caps & priv_cap_tab[i].bit)
			keep[nkeep++] = priv_cap_tab[i].cap;
	if (priv_bound_drop(keep, nkeep) < 0 || priv_ambient_clear() < 0)
		return priv_fail(msg, msgsz, "setting capabilities failed: "
		    "%s", strerror(errno));
	if (t->change_ids && geteuid() == 0 &&
	    priv_ids(t, msg, msgsz) < 0)
		return -1;
	if (priv_caps_set(keep, nkeep) < 0)
		return priv_fail(msg, msgsz, "setting capabilities failed: "
		    "%s", strerror(errno));
	return 0;
}

int
priv_check(unsigned caps, char *msg, size_t msgsz)
{
	cap_flag_value_t v;
	cap_t cur;
	size_t i;

	if ((cur = cap_get_proc()) == NULL)
		return priv_fail(msg, msgsz, "setting capabilities failed: "
		    "%s", strerror(errno));
	for (i = 0; i < PRIV_NCAPS; i++) {
		if (!(caps & priv_cap_tab[i].bit))
			continue;
		if (cap_get_flag(cur, priv_cap_tab[i].cap, CAP_PERMITTED,
		    &v) < 0 || v != CAP_SET) {
			cap_free(cur);
			return priv_fail(msg, msgsz, "process is missing "
			    "required capability %s", priv_cap_tab[i].name);
		}
	}
	cap_free(cur);
	return 0;
}
