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
 *      AmbientCapabilities=, contrib/systemd/pxemasq.service): no uid change;
 *      priv_drop() clears every capability not in need from the
 *      permitted, effective, inheritable and ambient sets, and from the
 *      bounding set when CAP_SETPCAP allows it.
 * -d (debug) keeps uid and gid, as dnsmasq does (dnsmasq.c changes ids
 * only "if (!option_bool(OPT_DEBUG) && getuid() == 0)"), but unlike
 * dnsmasq pxemasq still reduces the capability sets.
 *
 * The call order in the daemon:
 *	priv_resolve()          user/group names -> ids ("unknown user or
 *	                        group", exit 1), also under -d; not under
 *	                        --test (dnsmasq looks them up only when
 *	                        starting, after the syntax check has exited)
 *	priv_check(startup)     mode (2): fail early when systemd did not
 *	                        grant what the sockets need (exit 5)
 *	... open sockets, lease file, pid file, log ...
 *	priv_drop(needed)       exit 5 on failure
 *
 * Capability rule (priv_caps_needed), what must survive priv_drop():
 *  - CAP_NET_RAW when DHCP (or proxy DHCP) is served: the DHCP server sends
 *    through AF_PACKET sockets (to clients without an address) and opens
 *    them again when interfaces come and go.
 *  - CAP_NET_BIND_SERVICE when sockets are bound after the drop
 *    (late_bind: bind-dynamic, which binds each address as it appears) and
 *    one of the ports in use is privileged (< 1024: DHCP 67, DNS port,
 *    TFTP 69).  dnsmasq's own rule (dnsmasq.c) is the same shape: "if we
 *    have yet to bind ports because of DAD, or we're doing it dynamically,
 *    we need CAP_NET_BIND_SERVICE" for TFTP or a DNS port <= 1024; it binds
 *    DHCP's port once on the wildcard address so never needs it for 67.
 *  - CAP_NET_ADMIN: never needed now (dnsmasq keeps it for ARP cache
 *    injection, which pxemasq does not do).
 * Start-up additionally needs (priv_caps_startup) CAP_NET_BIND_SERVICE
 * whenever any port in use is privileged, and CAP_NET_RAW for DHCP.
 */
#ifndef PXEMASQ_PRIV_H
#define PXEMASQ_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct conf;

enum priv_cap {
	PRIV_CAP_NET_RAW = 1u << 0,		/* DHCP AF_PACKET sockets */
	PRIV_CAP_NET_BIND_SERVICE = 1u << 1,	/* binding < 1024 later */
	PRIV_CAP_NET_ADMIN = 1u << 2,		/* reserved, unused */
};

/* Exit statuses, dnsmasq's EC_BADCONF and EC_MISC. */
#define PRIV_EXIT_RESOLVE 1
#define PRIV_EXIT_DROP 5

/* What the configuration serves, filled by the caller from struct conf (the
 * conf_* modules own those facts; priv only applies the rule above). */
struct priv_needs {
	bool dhcp;		/* DHCP or proxy DHCP served (a dhcp-range) */
	bool late_bind;		/* binds after priv_drop: bind-dynamic */
	uint16_t dhcp_port;	/* server port: 67 or dhcp-alternate-port */
	uint16_t dns_port;	/* port=, 0: DNS off */
	uint16_t tftp_port;	/* 69 or tftp-port=; 0: TFTP off */
};

/* Capabilities the configuration needs after priv_drop() (a bit set). */
unsigned priv_caps_needed(const struct priv_needs *n);

/* Capabilities needed before priv_drop(), while sockets are opened; a
 * superset of priv_caps_needed(). */
unsigned priv_caps_startup(const struct priv_needs *n);

/* dnsmasq's name of one capability bit ("NET_RAW"), or NULL. */
const char *priv_cap_name(unsigned cap);

#define PRIV_NAME_MAX 256

struct priv_target {
	uid_t uid;
	gid_t gid;
	bool change_ids;	/* false under -d: keep the current ids */
	bool set_uid;		/* a user is named (user=: keep uid) */
	bool set_gid;		/* a group was found (given, "dip", or the
				 * user's primary group) */
	char user_name[PRIV_NAME_MAX];	/* for messages */
	char group_name[PRIV_NAME_MAX];
};

/* Resolves user/group from the configuration (cf->user, cf->group and
 * their _set flags), borrowing cf.  User: cf->user if given, "nobody" if
 * not; user= with an empty value keeps the uid.  Group: cf->group if given
 * (group= empty: keep the gid), else "dip" if that group exists, else the
 * user's primary group.  The user is looked up first.  Returns 0, or -1
 * with msg set to dnsmasq's "unknown user or group: NAME" (exit
 * PRIV_EXIT_RESOLVE). */
int priv_resolve(const struct conf *cf, bool debug, struct priv_target *t,
    char *msg, size_t msgsz);

/* Keeps exactly the capabilities in caps (PRIV_CAP_* bits) in the
 * permitted and effective sets, clears the inheritable and ambient sets,
 * drops every other capability from the bounding set when CAP_SETPCAP is
 * permitted (always as root), and, when t->change_ids and the process runs
 * as root, first clears the supplementary groups and switches to t's
 * gid/uid.  PR_SET_NO_NEW_PRIVS is not set: a dhcp-script helper forked
 * before the drop may need to exec as another user (dnsmasq's helper stays
 * root to run scripts as the script user); set it once that design is
 * settled.  Returns 0, or -1 with msg set to dnsmasq's wording ("setting
 * capabilities failed: %s", "failed to change user-id to %s: %s", "failed
 * to change group-id to %s: %s"; exit PRIV_EXIT_DROP). */
int priv_drop(const struct priv_target *t, unsigned caps, char *msg,
    size_t msgsz);

/* Checks that the current process holds caps in its permitted set; used in
 * start mode (2) before anything is opened.  Checks NET_ADMIN, NET_RAW,
 * NET_BIND_SERVICE in dnsmasq's order.  Returns 0, or -1 with msg
 * "process is missing required capability %s" (exit PRIV_EXIT_DROP). */
int priv_check(unsigned caps, char *msg, size_t msgsz);

#endif
