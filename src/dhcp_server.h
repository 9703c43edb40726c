/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp_server.h - the DHCPv4 server logic (L2: no sockets, no clock; the
 * shell passes decoded requests in and sends what comes out).
 *
 * One call per received request:
 *
 *	v = dhcp_server_handle(srv, &rx, &tx, &now);
 *
 * rx carries the decoded message (dhcp_msg.h) and where it came from; tx
 * receives the reply bytes and where they go.  The verdict says what to
 * do:
 *   DHCP_V_DROP     nothing to send; tx->why names the reason (counted)
 *   DHCP_V_DONE     handled, no reply by protocol (RELEASE, DECLINE)
 *   DHCP_V_OFFER, DHCP_V_ACK, DHCP_V_NAK, DHCP_V_BOOTP
 *                   send tx->buf (tx->len bytes) as tx->dest says; when
 *                   tx->needs_sync, only after lease_store_sync() returned
 *                   0 (the ACK waits until its lease is on disk; when the
 *                   sync fails, drop the reply: the client retries)
 *   DHCP_V_PROBE    before offering tx->probe.addr, ping it (ICMP echo,
 *                   DHCP_PING_WAIT_MS); report with
 *                   dhcp_server_probe_done(), then call
 *                   dhcp_server_handle() again with the same rx.  Nothing
 *                   was logged or changed for this request yet.
 *
 * Behaviour is dnsmasq 2.90's (reference sections 2.1, 3, 7 and Appendix
 * A; rfc2131.c dhcp_reply()).  The server owns the lease table; struct
 * conf is only read.  Log lines (dnsmasq's wording, dhcp_log.h) go to the
 * log hook, already formatted; with log-dhcp they carry the xid.
 *
 * PXE (issue 5): requests from the PXE port (4011) and proxy ranges are
 * dropped with DHCP_DROP_PXE for now; dhcp_server.c calls a PXE hook at
 * the points where dnsmasq does its PXE handling.
 */
#ifndef PXEMASQ_DHCP_SERVER_H
#define PXEMASQ_DHCP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <netinet/in.h>

#include "clock.h"
#include "dhcp_log.h"
#include "dhcp_msg.h"
#include "dhcp_pool.h"

struct conf;
struct conf_dhcp_boot;
struct conf_dhcp_range;
struct conf_src;
struct conf_tagset;
struct lease;
struct tag_set;
struct lease_table;
struct lease_store;
struct dhcp_server;

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_PXE_PORT 4011

/* struct lease.flags bit: the hostname came from dhcp-host (or hosts),
 * a client-supplied name may not take it (dnsmasq LEASE_AUTH_NAME). */
#define DHCP_LEASE_AUTH_NAME (1u << 31)

/* Which socket a request arrived on. */
enum dhcp_path {
	DHCP_PATH_RAW,		/* AF_PACKET, port 67 */
	DHCP_PATH_UDP67,	/* the UDP socket on 67 */
	DHCP_PATH_UDP4011,	/* the PXE socket on 4011 */
};

/* The arrival interface, as the shell knows it now. */
struct dhcp_iface {
	unsigned index;
	const char *name;		/* the interface tag, logs */
	const struct dhcp_ifaddr *addrs; /* IPv4 addresses, primary first */
	unsigned naddrs;
	unsigned mtu;			/* 0: unknown */
	uint8_t hwaddr[16];
	uint8_t hwlen;
	bool loopback;			/* no ping on loopback */
};

struct dhcp_rx {
	const struct dhcp_msg *msg;	/* decoded request (borrowed) */
	const struct dhcp_iface *iface;	/* borrowed */
	enum dhcp_path path;
	struct in_addr src;		/* IP source of the request */
	uint16_t sport;			/* UDP source port */
	/* IP destination was not 255.255.255.255 (dnsmasq's unicast_dest,
	 * from IP_PKTINFO: a subnet broadcast counts as unicast).  An
	 * unknown RENEW is NAKed only when unicast, else ignored. */
	bool unicast;
};

/* Where a reply goes (reference 3.9). */
enum dhcp_dest {
	DHCP_DEST_NONE,
	/* Ethernet broadcast, 255.255.255.255:68, out of tx->ifindex */
	DHCP_DEST_L2_BROADCAST,
	/* Ethernet frame to tx->dst_hw, IP tx->dst (yiaddr) port 68, out of
	 * tx->ifindex; no ARP entry is written */
	DHCP_DEST_L2_UNICAST,
	/* UDP through the socket of tx->sport to tx->dst:tx->dport, the
	 * routing table picks the next hop: relays (giaddr:67), clients
	 * with an address (ciaddr:68 or the request's source), PXE */
	DHCP_DEST_UDP,
};

/* Why nothing was sent.  dhcp_drop_name() gives the counter's name. */
enum dhcp_drop {
	DHCP_DROP_NONE = 0,
	DHCP_DROP_NOT_REQUEST,		/* op != 1, hlen > 16, htype 0/hlen */
	DHCP_DROP_NO_COOKIE,		/* option 53 without the cookie */
	DHCP_DROP_NO_RANGE,		/* no dhcp-range for the network */
	DHCP_DROP_PXE,			/* PXE port or proxy range (issue 5) */
	DHCP_DROP_IGNORED,		/* dhcp-ignore or dhcp-host ignore */
	DHCP_DROP_BOOTP,		/* BOOTP refused (message logged) */
	DHCP_DROP_NO_ADDRESS,		/* no address available */
	DHCP_DROP_NO_UNIQUE_ID,		/* no MAC and no client id */
	DHCP_DROP_WRONG_NETWORK,	/* chosen address fits no range */
	DHCP_DROP_OTHER_SERVER,		/* REQUEST/DECLINE/RELEASE for another
					 * server-id */
	DHCP_DROP_UNKNOWN_CLIENT,	/* INIT-REBOOT, not authoritative */
	DHCP_DROP_NOT_OUR_LEASE,	/* broadcast RENEW/REBIND, unknown */
	DHCP_DROP_BAD_DECLINE,		/* DECLINE without option 50 */
	DHCP_DROP_NO_CIADDR,		/* INFORM without ciaddr */
	DHCP_DROP_BAD_TYPE,		/* message type we do not serve */
	DHCP_DROP_NO_SPACE,		/* reply did not fit (cannot happen
					 * with sane limits) */
	DHCP_DROP_PXE_PORT_CLOSED,	/* port 4011 without pxe-service or
					 * pxe-prompt: dnsmasq has no socket
					 * there (the raw socket sees it) */
	DHCP_DROP_COUNT
};

const char *dhcp_drop_name(enum dhcp_drop why);

enum dhcp_verdict {
	DHCP_V_DROP,
	DHCP_V_DONE,
	DHCP_V_OFFER,
	DHCP_V_ACK,
	DHCP_V_NAK,
	DHCP_V_BOOTP,
	DHCP_V_PROBE,
};

/* True for the verdicts that send tx. */
bool dhcp_verdict_sends(enum dhcp_verdict v);

/* An address to ping before it is offered. */
struct dhcp_probe {
	struct in_addr addr;
	uint32_t hash;			/* give it back unchanged */
};

struct dhcp_tx {
	uint8_t buf[DHCP_MAX_MSG];
	size_t len;
	enum dhcp_dest dest;
	unsigned ifindex;		/* arrival interface */
	struct in_addr dst;
	uint16_t dport;
	uint8_t dst_hw[DHCP_CHADDR_LEN]; /* L2 unicast: chaddr */
	uint8_t dst_hlen, dst_htype;
	struct in_addr src;		/* our address (server id) */
	uint16_t sport;			/* 67, or 4011 for the PXE socket */
	bool needs_sync;		/* send only after lease_store_sync() */
	unsigned delay_s;		/* dhcp-reply-delay: send this late */
	struct dhcp_probe probe;	/* DHCP_V_PROBE */
	enum dhcp_drop why;		/* DHCP_V_DROP */
};

/*
 * Lease events for the dhcp-script (dnsmasq's do_script_run() and the
 * "extradata" of rfc2131.c).  The server reports, in dnsmasq's order for
 * one request (removals, lost names, then the changed lease):
 *   DEL          a lease removed (RELEASE, DECLINE, expiry, a client's
 *                other lease, a lease on the wrong network)
 *   OLD_HOSTNAME a lease lost its name (changed, or taken by another
 *                lease): "old" with the lost name in DNSMASQ_OLD_HOSTNAME
 *   ADD          a new lease (with the request's client data, has_extra)
 *   OLD          a REQUEST with option 50 for an existing lease (with the
 *                client data), or a change of hardware address, name or
 *                interface; with leasefile-ro also a change of expiry or
 *                client id; with script-on-renewal a change of expiry
 * The re-announcement of every lease (start-up, SIGHUP) is the shell's:
 * dhcp_server_lease_event() makes its events.
 */
enum dhcp_lease_action {
	DHCP_LEASE_ADD,
	DHCP_LEASE_OLD,
	DHCP_LEASE_DEL,
	DHCP_LEASE_OLD_HOSTNAME,
};

/* dnsmasq's extradata fields, in its order. */
enum dhcp_lease_field {
	DHCP_LF_VENDOR_CLASS,		/* option 60 */
	DHCP_LF_SUPPLIED_HOSTNAME,	/* option 12 */
	DHCP_LF_CPEWAN_OUI,		/* option 125, enterprise 3561: 1 */
	DHCP_LF_CPEWAN_SERIAL,		/* 2 */
	DHCP_LF_CPEWAN_CLASS,		/* 3 */
	DHCP_LF_CIRCUIT_ID,		/* option 82 sub-option 1 */
	DHCP_LF_SUBSCRIBER_ID,		/* 6 */
	DHCP_LF_REMOTE_ID,		/* 2 */
	DHCP_LF_REQUESTED_OPTIONS,	/* option 55 as "1,3,6" */
	DHCP_LF_MUD_URL,		/* option 161 */
	DHCP_LF_TAGS,			/* the request's tags, "a b c" */
	DHCP_LF_COUNT
};

struct dhcp_bytes {
	const uint8_t *p;		/* NULL: absent */
	size_t len;
};

/* One event; every pointer is borrowed for the callback only. */
struct dhcp_lease_event {
	enum dhcp_lease_action action;
	const struct lease *lease;	/* client, address, ifindex, giaddr */
	const char *name;		/* "host" or "host.domain", NULL none;
					 * OLD_HOSTNAME: the lost name */
	time_t expires;			/* wall clock; 0 infinite */
	uint32_t remaining;		/* seconds left; 0 infinite or none */
	bool has_extra;			/* field[] and user_class are set */
	struct dhcp_bytes field[DHCP_LF_COUNT];
	struct dhcp_bytes user_class;	/* option 77 as dnsmasq passes it:
					 * RFC 3004 counts zeroed, a leading
					 * zero dropped */
};

typedef void dhcp_lease_event_fn(void *ctx, const struct dhcp_lease_event *ev);

/*
 * Explain mode (explain.h) follows one request's decisions through
 * hooks.trace; the daemon leaves it NULL.  With a trace the log-dhcp lines
 * are made whatever the configuration says.  Every pointer is borrowed
 * for the call only.
 */
enum dhcp_trace_what {
	DHCP_TRACE_TAGS,	/* option (src; NULL: not a line) added set,
				 * the tag id, or name */
	DHCP_TRACE_RANGE,	/* the dhcp-range answering, with tags */
	DHCP_TRACE_BOOT,	/* dhcp-boot looked up with tags: boot or
				 * NULL */
};

struct dhcp_trace_ev {
	enum dhcp_trace_what what;
	const char *option;
	const struct conf_src *src;
	const struct conf_tagset *set;
	int id;				/* -1: none */
	const char *name;
	const struct conf_dhcp_range *range;
	const struct conf_dhcp_boot *boot;
	const struct tag_set *tags;
};

typedef void dhcp_trace_fn(void *ctx, const struct dhcp_trace_ev *ev);

/* Hooks into the shell.  All optional. */
struct dhcp_server_hooks {
	/* a finished log line, dnsmasq's wording */
	dhcp_log_fn *log;
	/* a_record_from_hosts(): address of a name from /etc/hosts (the
	 * dhcp-boot server name); false when unknown */
	bool (*host_addr)(void *ctx, const char *name, struct in_addr *out);
	/* host_from_dns(): a name for the address from /etc/hosts, NULL */
	const char *(*host_name)(void *ctx, struct in_addr a);
	/* explain mode only */
	dhcp_trace_fn *trace;
	void *ctx;
};

/* Replies by client architecture (option 93, RFC 4578; IANA "Processor
 * Architecture Types"): rows 0..DHCP_STATS_ARCH-1 are that value, then
 * one row for larger values and one for clients that sent none. */
#define DHCP_STATS_ARCH		64
#define DHCP_STATS_ARCH_OTHER	DHCP_STATS_ARCH
#define DHCP_STATS_ARCH_NONE	(DHCP_STATS_ARCH + 1)
enum dhcp_stats_reply { DHCP_STATS_OFFER, DHCP_STATS_ACK, DHCP_STATS_NAK,
	DHCP_STATS_REPLY_N };

struct dhcp_server_stats {
	unsigned long rx[DHCP_INFORM + 1];	/* by message type, 0 BOOTP */
	unsigned long offer, ack, nak, bootp;
	unsigned long by_arch[DHCP_STATS_ARCH + 2][DHCP_STATS_REPLY_N];
	unsigned long proxy;	/* proxy-DHCP replies (of offer and ack) */
	unsigned long drops[DHCP_DROP_COUNT];
	unsigned long probes;
};

/*
 * Creates the server for cf (borrowed, must outlive the server or be
 * replaced with dhcp_server_set_conf()).  Takes leases (the loaded table;
 * freed with the server; from now on changed only through the server,
 * see dhcp_server_expire()); sets its cap to dhcp-lease-max.  Borrows
 * store (NULL: nothing is recorded, as with leasefile-ro and no script).
 * seed: for the RENEW T1/T2 desynchronisation.  Returns NULL on ENOMEM
 * (leases then stay the caller's).
 */
struct dhcp_server *dhcp_server_new(const struct conf *cf,
    struct lease_table *leases, struct lease_store *store,
    const struct dhcp_server_hooks *hooks, uint64_t seed);
void dhcp_server_free(struct dhcp_server *srv);
/* After a reload: cf replaces the old configuration (borrowed). */
int dhcp_server_set_conf(struct dhcp_server *srv, const struct conf *cf);

struct lease_table *dhcp_server_leases(struct dhcp_server *srv);
const struct dhcp_server_stats *dhcp_server_stats(
    const struct dhcp_server *srv);

/* Handles one request; see the top of this file.  Borrows rx and now. */
enum dhcp_verdict dhcp_server_handle(struct dhcp_server *srv,
    const struct dhcp_rx *rx, struct dhcp_tx *tx,
    const struct clock_now *now);

/* Lease events go to fn(ctx, ...) from now on (NULL: none are made). */
void dhcp_server_set_lease_events(struct dhcp_server *srv,
    dhcp_lease_event_fn *fn, void *ctx);

/* Removes every lease expired at now (reporting DEL events), as dnsmasq's
 * lease_prune() on its expiry alarm; returns how many.  loaded: the
 * leases were only just read (lease_init()'s prune: dnsmasq has not
 * qualified their names yet, so the script gets them without domain). */
unsigned dhcp_server_expire(struct dhcp_server *srv,
    const struct clock_now *now, bool loaded);

/* Fills ev as an "old" for l (name with its domain, no client data), for
 * the re-announcement at start-up and after SIGHUP.  Borrows l until the
 * next call. */
void dhcp_server_lease_event(struct dhcp_server *srv, const struct lease *l,
    const struct clock_now *now, struct dhcp_lease_event *ev);

/* The ping asked for by DHCP_V_PROBE ended: in_use when something
 * answered within the wait. */
void dhcp_server_probe_done(struct dhcp_server *srv,
    const struct dhcp_probe *probe, bool in_use,
    const struct clock_now *now);

#endif
