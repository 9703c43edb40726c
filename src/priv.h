/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * priv.h - privileges: which capabilities a configuration needs, and
 * dropping everything else after start-up.
 *
 * Two start modes (issue 3):
 *  (1) started as root: everything that needs root is opened first, then
 *      priv_drop() switches to user/group (default "nobody", group as
 *      dnsmasq: "dip" if it exists, else the user's primary group) and
 *      keeps only the capabilities in need;
 *  (2) started unprivileged with ambient capabilities (systemd User= plus
 *      AmbientCapabilities=): no uid change; priv_drop() clears every
 *      capability not in need from the permitted, effective, inheritable
 *      and ambient sets and the bounding set.
 * -d (debug) keeps the uid, as dnsmasq does, but still drops capabilities.
 */
#ifndef PXEMASQ_PRIV_H
#define PXEMASQ_PRIV_H

#include <stdbool.h>
#include <sys/types.h>

struct conf;

enum priv_cap {
	PRIV_CAP_NET_RAW = 1u << 0,		/* DHCP AF_PACKET sockets */
	PRIV_CAP_NET_BIND_SERVICE = 1u << 1,	/* binding < 1024 later */
	PRIV_CAP_NET_ADMIN = 1u << 2,		/* reserved; not used now */
};

/* Capabilities the configuration needs after start-up (a bit set). */
unsigned priv_caps_needed(const struct conf *cf);

struct priv_target {
	uid_t uid;
	gid_t gid;
	bool change_ids;	/* false: keep the current uid/gid */
	const char *user_name;
};

/* Resolves user/group from the configuration.  Returns 0, or -1 with msg
 * set to dnsmasq's "unknown user or group: NAME" (exit 1). */
int priv_resolve(const struct conf *cf, bool debug, struct priv_target *t,
    char *msg, size_t msgsz);

/* Switches ids (when t->change_ids and we are root) keeping exactly the
 * capabilities in caps.  Returns 0, or -1 with msg set to dnsmasq's wording
 * ("setting capabilities failed: %s", "failed to change user-id to %s:
 * %s", "failed to change group-id to %s: %s"; exit 5). */
int priv_drop(const struct priv_target *t, unsigned caps, char *msg,
    size_t msgsz);

/* Checks that the current process holds caps in its permitted set; used in
 * start mode (2) before anything is opened.  Returns 0, or -1 with msg
 * "process is missing required capability %s" (exit 5). */
int priv_check(unsigned caps, char *msg, size_t msgsz);

#endif
