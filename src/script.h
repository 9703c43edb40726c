/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * script.h - dhcp-script: the lease-change script, run as dnsmasq 2.90
 * runs it (helper.c, lease.c do_script_run(), rfc2131.c), from a helper
 * process (L3).
 *
 * What the script sees (facts of dnsmasq's interface, checked against the
 * real dnsmasq by compat-tests/dhcp-script):
 *   argv:  BASENAME add|old|del MAC IP [HOSTNAME]
 *          BASENAME tftp SIZE ADDR PATH after a TFTP transfer that ended
 *          as "sent" (dnsmasq's helper.c ACTION_TFTP: the file's size in
 *          bytes, the client's IPv4 or IPv6 address without scope, the
 *          path as composed; no DNSMASQ_* variable of its own, so the
 *          environment is the daemon's without them -- dnsmasq's helper
 *          leaves there whatever the previous lease event set).
 *          MAC lower-case colon hex, prefixed "TT-" (hardware type, hex)
 *          when the type is not Ethernet or there is no address; HOSTNAME
 *          only when the lease has a legal name (the part before the first
 *          dot; the rest is DNSMASQ_DOMAIN).
 *   envp:  the daemon's environment without the DNSMASQ_* names below,
 *          then DNSMASQ_CLIENT_ID, _INTERFACE, _LEASE_EXPIRES (absolute
 *          time_t, 0 infinite: Debian's build has no HAVE_BROKEN_RTC, so
 *          never _LEASE_LENGTH), _DOMAIN, _DATA_MISSING ("1" unless the
 *          event carries the request's client data), _VENDOR_CLASS,
 *          _SUPPLIED_HOSTNAME, _CPEWAN_OUI/_SERIAL/_CLASS, _CIRCUIT_ID,
 *          _SUBSCRIBER_ID, _REMOTE_ID, _REQUESTED_OPTIONS, _MUD_URL, _TAGS,
 *          _RELAY_ADDRESS, _USER_CLASS0.., _TIME_REMAINING (not for del),
 *          _OLD_HOSTNAME (the "old" that announces a lost name: then no
 *          HOSTNAME argument), _LOG_DHCP ("1" with log-dhcp).  Unset when
 *          empty; a client-supplied value stops at its first '='.
 *   order: one script at a time, events in the order they happened; the
 *          script's stdout and stderr lines are logged (pxemasq-script,
 *          debug level); a non-zero exit "script process exited with
 *          status N", a signal "script process killed by signal N", a
 *          failed exec "failed to execute PATH: ERROR" (pxemasq tag).
 *   leasefile-ro: "PATH init" (through /bin/sh -c, as popen() does) runs
 *          once at start-up; its stdout in lease-file format is the lease
 *          database (script_init_leases()).
 *
 * Process design.  script_start() forks the helper at start-up, after
 * the daemon went to the background and before it drops its privileges.
 * The two talk over a SOCK_SEQPACKET socketpair: one message per record,
 * each with a version, a type and an explicit length that the reader
 * checks against what arrived.  Daemon -> helper: lease events.  Helper ->
 * daemon: "ready" (or the set-up error), script exit status, exec errors,
 * output lines; the daemon logs them, so every line carries the daemon's
 * tag and pid as dnsmasq's do.
 *
 * The daemon never waits for the helper: records are sent with
 * MSG_DONTWAIT; what the socket does not take waits in a bounded queue
 * (SCRIPT_QUEUE_MAX records, SCRIPT_QUEUE_BYTES bytes) that the event loop
 * drains when the socket is writable.  A record that finds the queue full
 * is dropped, counted, and logged (at most once a minute).  Re-announcing
 * every lease (start-up, SIGHUP) does not go through that queue at once:
 * script_rerun() keeps the addresses and turns them into events only as
 * the queue drains, so a table of 100,000 leases neither drops events nor
 * costs a queue of that size (dnsmasq keeps the same backlog as per-lease
 * flags).  On exit the queue is flushed for at most SCRIPT_EXIT_WAIT_MS
 * (dnsmasq blocks until its pipe took everything); the helper runs what it
 * received, then sees end-of-file and exits.
 *
 * The helper runs the script for one event at a time: fork, exec, read the
 * script's output to end-of-file, wait for it, report, take the next
 * record.  It never reads the next record while a script runs, so events
 * are serialised and in order.
 *
 * Privileges (what the helper keeps, and why).  dnsmasq runs the script as
 * root unless dhcp-scriptuser names a user; OpenWrt's scripts rely on that
 * (ubus calls, firewall and hosts updates).  The script is administrator
 * code, so the helper keeps exactly one privilege: the identity it passes
 * on to the script.
 *  - Started as root without dhcp-scriptuser (or with -d, as dnsmasq skips
 *    the change then): the helper stays uid 0 with root's capabilities,
 *    because a root script without its capabilities is not the root
 *    script dnsmasq runs.  That power stays out of the network-facing
 *    process: the daemon drops to nobody right after the fork and can
 *    only send records; the helper takes its program (the dhcp-script
 *    path), the log-dhcp flag and the user at fork time, never from a
 *    record, and every record is decoded by a bounds-checked reader that
 *    rejects anything malformed (a compromised daemon can choose the
 *    values a script sees, as any DHCP client can, but not what runs or
 *    under which identity).
 *  - dhcp-scriptuser=USER: the helper clears its supplementary groups and
 *    switches to USER's gid and uid before it reads any record (dnsmasq's
 *    setgroups, setgid, setuid); capabilities go with the uid change.
 *  - Started unprivileged (systemd User= with ambient capabilities): the
 *    helper clears every capability set (permitted, effective,
 *    inheritable, ambient) before it reads any record, so the script does
 *    not inherit the daemon's CAP_NET_RAW; it runs as the daemon's user.
 *  - In every case the helper closes every descriptor it inherited except
 *    its end of the socket (sockets, lease files, netlink, epoll, log), so
 *    the script gets stdin /dev/null (the terminal under -d), stdout and
 *    stderr to the capture pipe (the daemon's under -d, as dnsmasq), and
 *    nothing else.  It ignores SIGTERM, SIGINT, SIGHUP, SIGUSR1/2 and
 *    SIGPIPE (a signal to the process group must not cut the queue short;
 *    it ends when the daemon closes the socket) and gives the script
 *    default dispositions and an empty signal mask (dnsmasq lets scripts
 *    inherit SIGTERM, SIGINT, SIGALRM and SIGPIPE ignored; pxemasq does
 *    not, so `timeout` and pipelines in scripts behave normally).
 *
 * Layers: the record codec and the argv/envp construction are pure
 * (script_encode, script_decode, script_build_exec) and unit tested; the
 * rest is the shell around them.
 */
#ifndef PXEMASQ_SCRIPT_H
#define PXEMASQ_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/types.h>

#include "clock.h"

struct dhcp_lease_event;
struct dhcp_server;
struct ev_loop;
struct iface_table;
struct lease_table;
struct script;

/* --- records (pure) ------------------------------------------------------ */

#define SCRIPT_REC_VERSION 1
#define SCRIPT_REC_MAX 8192		/* a whole record, either way */
#define SCRIPT_NAME_MAX 255		/* "host.domain" */
#define SCRIPT_EXTRA_MAX 6144		/* dnsmasq's extradata fields */
#define SCRIPT_LINE_MAX 1024		/* one logged output line */
#define SCRIPT_HWADDR_MAX 16		/* dnsmasq DHCP_CHADDR_MAX */
#define SCRIPT_PATH_MAX 1100		/* a TFTP path (tftpd TFTPD_PATH_MAX) */

/* The action as dnsmasq's helper knows it (argv[1] "add", "old", "old",
 * "del"). */
enum script_action {
	SCRIPT_ADD,
	SCRIPT_OLD,
	SCRIPT_DEL,
	SCRIPT_OLD_HOSTNAME,	/* "old": the name is DNSMASQ_OLD_HOSTNAME */
	SCRIPT_TFTP,		/* "tftp": a file was sent */
	SCRIPT_ACTION_COUNT
};

/* A lease event as the helper receives it (script_decode()). */
struct script_event {
	enum script_action action;
	uint8_t htype, hlen;
	uint8_t hwaddr[SCRIPT_HWADDR_MAX];
	uint8_t clid_len;
	uint8_t clid[255];
	struct in_addr addr, giaddr;
	int64_t expires;		/* wall clock, 0 infinite */
	uint32_t remaining;		/* seconds, 0 none */
	char ifname[IF_NAMESIZE];	/* "" unknown */
	char name[SCRIPT_NAME_MAX + 1];	/* "" none */
	bool has_extra;
	/* dnsmasq's extradata: NUL-terminated fields in its order (vendor
	 * class ... tags), then the user classes, NUL separated */
	uint16_t extra_len;
	uint8_t extra[SCRIPT_EXTRA_MAX];
	/* SCRIPT_TFTP only: the file's size, the client (family AF_INET:
	 * addr above; AF_INET6: addr6) and the path */
	uint64_t file_size;
	int family;
	struct in6_addr addr6;
	char path[SCRIPT_PATH_MAX + 1];
};

/* Encodes a TFTP event (SCRIPT_TFTP) into buf: family AF_INET or
 * AF_INET6, addr 4 or 16 bytes.  Returns its length, or -ENOSPC (path
 * longer than SCRIPT_PATH_MAX, or cap too small). */
int script_encode_tftp(uint64_t size, int family, const void *addr,
    const char *path, uint8_t *buf, size_t cap);

/* Encodes ev (with the arrival interface's name, "" or NULL when unknown)
 * into buf as one record.  Returns its length, or -ENOSPC.  Borrows ev. */
int script_encode(const struct dhcp_lease_event *ev, const char *ifname,
    uint8_t *buf, size_t cap);

/* Why script_decode() refused a record. */
enum script_bad {
	SCRIPT_OK = 0,
	SCRIPT_BAD_SHORT,	/* shorter than its fields say */
	SCRIPT_BAD_LONG,	/* bytes after the last field */
	SCRIPT_BAD_VERSION,
	SCRIPT_BAD_TYPE,
	SCRIPT_BAD_ACTION,
	SCRIPT_BAD_FIELD,	/* a length over its limit, a NUL in a name */
	SCRIPT_BAD_COUNT
};
const char *script_bad_name(enum script_bad why);

/* Decodes one event record; everything is checked (the helper trusts
 * nothing from the daemon). */
enum script_bad script_decode(const uint8_t *buf, size_t len,
    struct script_event *out);

/* The argument and environment vectors of one run. */
#define SCRIPT_ENV_OWN_MAX 48		/* DNSMASQ_* entries at most */
struct script_exec {
	char *argv[6];
	char **envp;			/* owned (script_exec_free) */
	char *strings;			/* owned: what argv/envp point into */
};

/* Builds the vectors for e: argv[0] is path's basename; envp is base (the
 * daemon's environment, borrowed; NULL: empty) without the DNSMASQ_*
 * names dnsmasq sets or unsets, followed by this event's variables.
 * Returns 0 or -ENOMEM.  Works on a copy of e. */
int script_build_exec(const struct script_event *e, const char *path,
    bool log_dhcp, char *const *base, struct script_exec *out);
void script_exec_free(struct script_exec *x);

/* dnsmasq's MAC text for the script and its lease file ("01-"-style type
 * prefix rule); out needs 3 * SCRIPT_HWADDR_MAX + 4 bytes. */
char *script_mac_text(char *out, size_t outsz, uint8_t htype,
    const uint8_t *hw, size_t hlen);

/* --- the helper and the daemon's side ------------------------------------ */

#define SCRIPT_QUEUE_MAX 4096		/* records waiting in the daemon */
#define SCRIPT_QUEUE_BYTES (2u << 20)
#define SCRIPT_RERUN_LOW 64		/* refill from a rerun below this */
#define SCRIPT_EXIT_WAIT_MS 10000
#define SCRIPT_DROP_LOG_MS 60000

struct script_conf {
	const char *path;		/* dhcp-script (borrowed) */
	const char *user;		/* dhcp-scriptuser, or NULL */
	bool debug;			/* -d: no uid change, no capture */
	bool log_dhcp;			/* DNSMASQ_LOG_DHCP */
};

/*
 * Forks the helper (see the top of this file) and waits until it is ready.
 * Call after going to the background and before dropping privileges.
 * Returns 0 with *out set, or -1 with msg set to dnsmasq's wording and
 * *exit_code: "unknown user or group: %s" (1), "failed to change user-id
 * to %s: %s" (5), "failed to create helper: %s" (5).  Borrows c and ev.
 */
int script_start(struct script **out, const struct script_conf *c,
    struct ev_loop *ev, char *msg, size_t msgsz, int *exit_code);

/* Queues one lease event (never blocks; dropped and counted when the
 * queue is full or the helper is gone).  Borrows ev and ifname. */
void script_queue(struct script *s, const struct dhcp_lease_event *ev,
    const char *ifname);

/* Queues a TFTP event (see script_encode_tftp; same queue and rules as
 * lease events).  NULL s is a no-op. */
void script_queue_tftp(struct script *s, uint64_t size, int family,
    const void *addr, const char *path);

/*
 * Connects s to the DHCP server: its lease events go to the script (the
 * interface named from ifs), expiries run the script when they happen
 * (dnsmasq's alarm and lease_prune()), and the leases loaded at start-up
 * are announced as dnsmasq 2.90 announces them: "del" for those already
 * expired, then "old" for every lease, newest first.  dnsmasq's first
 * loop turn runs one event before the start-up reload re-flags every
 * lease, so when nothing expired, the newest lease on a local subnet
 * (lease_find_interfaces() flagged it) gets its "old" twice; pxemasq
 * does the same, so the two daemons' scripts see the same lines.  Leases
 * get their interface from the local subnet that holds them (longest
 * prefix).  Borrows srv, t and ifs; they must outlive s (script_close()
 * detaches).
 */
void script_attach(struct script *s, struct dhcp_server *srv,
    struct lease_table *t, const struct iface_table *ifs,
    const struct clock_now *now);

/* SIGHUP: every lease "old" again, newest first (rerun_scripts()). */
void script_rerun_all(struct script *s);

/* Events still to send (queue plus rerun), for tests and statistics. */
struct script_stats {
	unsigned long queued, sent, dropped, bad_from_helper;
	unsigned pending, rerun_left;
	bool helper_alive;
};
void script_get_stats(const struct script *s, struct script_stats *st);

/* Test hook: smaller queue limits, and the socket's send buffer (bytes;
 * 0 keeps the kernel's), so that a test can fill them. */
void script_set_limits(struct script *s, unsigned max_records,
    size_t max_bytes, int sndbuf);

/* Flushes what is pending (at most SCRIPT_EXIT_WAIT_MS, logging what had
 * to be dropped), closes the socket (the helper then finishes and exits)
 * and frees s.  NULL is a no-op. */
void script_close(struct script *s);

/*
 * leasefile-ro with dhcp-script: runs "PATH init" through /bin/sh -c (as
 * root, before the sockets are handed to anyone) and reads its output as
 * a lease file (lease_parse_file(), expired leases kept as expired so the
 * start-up turn announces them with "del", as dnsmasq's lease_prune()
 * does).  Returns the number of leases read, or -1 with msg and
 * *exit_code as dnsmasq dies: "cannot run lease-init script %s: %s" (3;
 * shell status 127 is ENOENT, 126 EACCES), "lease-init script returned
 * exit code %s" (10 + code), "too many stored leases" (5).
 */
int script_init_leases(const char *path, struct lease_table *t,
    const struct clock_now *now, uint32_t max_remaining_s, char *msg,
    size_t msgsz, int *exit_code);

#endif
