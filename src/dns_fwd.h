/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dns_fwd.h - the DNS forwarder's logic (L2): local answers, the cache,
 * upstream choice, pending queries and reply checks.  No sockets and no
 * clock here: the shell (dnsd.c) passes `now` (monotonic ms) and does the
 * sending through struct dns_fwd_io; the tests use fakes.
 *
 * dnsmasq 2.90 facts followed (forward.c, rfc1035.c, cache.c):
 *   - a query for a name with a local answer (address=, local=, server=/D/,
 *     hosts files, host-record, cname, DHCP leases) is answered here, AA
 *     set; domain-needed: A/AAAA for a name without a dot is never
 *     forwarded (NXDOMAIN unless known); bogus-priv: PTR for a private
 *     address not known locally is NXDOMAIN;
 *   - each forwarded query gets a fresh random id, restored on the reply;
 *     a reply is taken only from an upstream the query went to, with the
 *     same id and question; the EDNS0 UDP size of a query is bounded to
 *     [512, edns-packet-max] (1232 by default) on the way up; local
 *     answers and cached ones carry the TTL options (local-ttl, dhcp-ttl,
 *     max-ttl; the cache neg-ttl, max-cache-ttl, min-cache-ttl,
 *     no-negcache);
 *   - upstream choice: the last server that answered; every 50 queries or
 *     20 s all are tried; strict-order: in order; all-servers: all at once;
 *     SERVFAIL or REFUSED moves on to the next server; a client retrying
 *     the same query sends it to every server; pending entries live 10 s,
 *     at most dns-forward-max (150); when full the query gets REFUSED;
 *   - no server at all: REFUSED (dnsmasq adds EDE 14, "not ready");
 *   - stop-dns-rebind: an upstream answer holding a private address loses
 *     its records ("possible DNS-rebind attack detected: NAME"), unless
 *     the question's name is in a rebind-domain-ok domain.
 */
#ifndef PXEMASQ_DNS_FWD_H
#define PXEMASQ_DNS_FWD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dns_msg.h"

struct dns_local_ifaddr;

struct conf;
struct hostsfile;
struct dns_fwd;

#define DNS_FWD_MAX_DEFAULT	150	/* dnsmasq's FTABSIZ */
#define DNS_FWD_TIMEOUT_MS	10000	/* dnsmasq's TIMEOUT */
#define DNS_FWD_RETRY_MS	1000	/* next server without an answer */
#define DNS_FWD_RACE_QUERIES	50	/* dnsmasq: race all every 50 ... */
#define DNS_FWD_RACE_MS		20000	/* ... or 20 s */
#define DNS_FWD_MAX_UPSTREAMS	64
#define DNS_FWD_SOCKS		4	/* sockets one query may use */

/* Where a query came from; the shell fills it, the logic copies it. */
struct dns_client {
	struct sockaddr_storage sa;
	socklen_t salen;
	int ifindex;			/* arrival interface, 0 unknown */
	int family;			/* of dst */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} dst;				/* the address it was sent to */
	int lsock;			/* the shell's listener */
	void *tcp;			/* the shell's TCP connection, or NULL */
};

/* An upstream server. */
struct dns_upstream {
	struct sockaddr_storage sa;
	socklen_t salen;
	char label[INET6_ADDRSTRLEN + 8];	/* "IP" or "IP#PORT" */
	char addr[INET6_ADDRSTRLEN];		/* "IP" */
	uint16_t port;
	const char *domain;		/* for "... for domain D" or NULL */
	/* server=ADDR@SOURCE[#PORT] or ADDR@IF[@SOURCE]: the socket is
	 * bound to src (any address unless SOURCE; port 0: a random one)
	 * and, with IF, to that device (SO_BINDTODEVICE) */
	bool bound;
	struct sockaddr_storage src;
	socklen_t srclen;
	const char *iface;		/* or NULL */
	bool from_resolv;
	unsigned long queries, replies, failed, retries, nxdomain;
	uint64_t latency_ms_sum;	/* over the replies */
};

/* Drop reasons, each counted. */
enum dns_drop {
	DNS_DROP_NONE = 0,
	DNS_DROP_MALFORMED,	/* query not decodable: FORMERR or dropped */
	DNS_DROP_NOT_QUERY,	/* QR set on a query */
	DNS_DROP_REPLY_BAD,	/* reply not decodable */
	DNS_DROP_REPLY_UNKNOWN,	/* no pending query with that id */
	DNS_DROP_REPLY_SOURCE,	/* not from a server the query went to */
	DNS_DROP_REPLY_QUESTION,/* question differs */
	DNS_DROP_TABLE_FULL,	/* dns-forward-max reached: REFUSED */
	DNS_DROP_SEND,		/* upstream send failed */
	DNS_DROP_TIMEOUT,	/* no answer in 10 s */
	DNS_DROP_REPLY_IGNORED,	/* ignore-address: an answer holds one */
	DNS_DROP__N
};

const char *dns_drop_str(enum dns_drop why);

/* A forwarded query waiting for its answer. */
struct dns_pending {
	bool used;
	uint16_t new_id, client_id;
	struct dns_client client;
	char qname[DNSNAME_BUF];
	uint16_t qtype, qclass;
	uint8_t *query;			/* owned: as sent upstream */
	size_t qlen;
	bool client_opt;		/* the client sent EDNS0 */
	uint16_t client_size;		/* what the client takes over UDP */
	bool no_cache;			/* CD or DO: not cached */
	int64_t started_ms, retry_ms, expire_ms;
	unsigned n_cand;		/* candidate upstreams */
	uint8_t cand[DNS_FWD_MAX_UPSTREAMS];
	uint64_t sent_mask;		/* by upstream index */
	uint64_t failed_mask;		/* answered SERVFAIL or REFUSED */
	unsigned next;			/* next candidate to try */
	int sock;			/* the shell's UDP socket, per send */
	/* earlier sockets of this query (another family or binding for
	 * another server): their replies count too */
	int socks[DNS_FWD_SOCKS];
	unsigned n_socks;
	void *shell;			/* the shell's per-query state */
	struct dns_pending *hnext;
};

struct dns_fwd_io {
	void *arg;
	/* 32 random bits (getrandom in the shell) */
	uint32_t (*random)(void *arg);
	/* Sends the query to upstream u (over TCP when p->client.tcp);
	 * the shell records the socket in p->sock.  Returns 0 or -errno. */
	int (*send_up)(void *arg, struct dns_pending *p,
	    const struct dns_upstream *u, const uint8_t *pkt, size_t len);
	/* Sends a reply to the client. */
	void (*send_client)(void *arg, const struct dns_client *c,
	    const uint8_t *pkt, size_t len);
	/* p is finished: the shell drops what it keeps for it. */
	void (*pending_done)(void *arg, struct dns_pending *p);
	/* Optional: ends a TCP client's connection without an answer
	 * (forward.c tcp_request() when no server could be reached). */
	void (*close_client)(void *arg, const struct dns_client *c);
	/* Optional: DHCP lease names (may be NULL). */
	bool (*lease_by_name)(void *arg, const char *name,
	    struct in_addr *out);
	bool (*lease_by_addr)(void *arg, struct in_addr a, char *name,
	    size_t size);
	/* Optional: the whole seconds the live lease of a has left
	 * (UINT32_MAX: an infinite lease); false when there is none. */
	bool (*lease_left)(void *arg, struct in_addr a, uint32_t *secs);
	/* Optional: the addresses of an interface (interface-name); see
	 * dns_local.h. */
	unsigned (*if_addrs)(void *arg, const char *ifname,
	    struct dns_local_ifaddr *v, unsigned max);
	/* Log lines (log-queries), already formatted. */
	void (*log)(void *arg, int severity, const char *line);
};

struct dns_fwd_stats {
	unsigned long queries, forwarded, answered_local, answered_cache;
	unsigned long replies, tcp_queries, drops[DNS_DROP__N];
};

/* Builds the logic for a configuration (borrowed while it lives). */
struct dns_fwd *dns_fwd_new(const struct conf *cf,
    const struct dns_fwd_io *io);
void dns_fwd_free(struct dns_fwd *f);

/* A new configuration (SIGHUP) and the hosts files (borrowed until the
 * next call); clears the cache as dnsmasq's SIGHUP does. */
void dns_fwd_set_conf(struct dns_fwd *f, const struct conf *cf);
void dns_fwd_set_hosts(struct dns_fwd *f, struct hostsfile *const *h,
    size_t n, const char *const *paths);

/* Reads resolv-file now if it changed (mtime) and at least a second has
 * passed since the last look (always with force).  Logs what it uses. */
void dns_fwd_poll_resolv(struct dns_fwd *f, int64_t now, bool force);
/* The shell watches the resolv-files (inotify): no look from queries. */
void dns_fwd_resolv_watched(struct dns_fwd *f);
/* A watched resolv-file was written or renamed into place: the newest
 * file is read (unless no-poll) and the servers logged, as dnsmasq's
 * inotify_check() then poll_resolv(force). */
void dns_fwd_resolv_changed(struct dns_fwd *f, int64_t now);

/* Logs the server list as dnsmasq does at start-up. */
void dns_fwd_log_servers(struct dns_fwd *f);

/* A query from a client (pkt of len bytes, any size). */
void dns_fwd_query(struct dns_fwd *f, int64_t now, const struct dns_client *c,
    const uint8_t *pkt, size_t len);

/* A reply on the shell's UDP socket sock from sa. */
void dns_fwd_reply(struct dns_fwd *f, int64_t now, int sock,
    const struct sockaddr *sa, socklen_t salen, uint8_t *pkt, size_t len);
/* A reply over TCP for p. */
void dns_fwd_reply_tcp(struct dns_fwd *f, int64_t now, struct dns_pending *p,
    uint8_t *pkt, size_t len);
/* The upstream TCP connection of p failed: try the next server. */
void dns_fwd_up_failed(struct dns_fwd *f, int64_t now, struct dns_pending *p);
/* A client's TCP connection went away: its pending queries go too. */
void dns_fwd_client_gone(struct dns_fwd *f, void *tcp);

/* Retries and expiry; returns the next due time, or INT64_MAX. */
int64_t dns_fwd_tick(struct dns_fwd *f, int64_t now);

/* cache.c cache_add_dhcp_entry(): a DHCP lease's name NAME (or
 * NAME.DOMAIN) against the local names.  CNAME: NAME is a cname= alias;
 * CLASH: a hosts file or host-record (*src, "config") has NAME with
 * another IPv4 address (*other) and none with addr. */
enum dns_lease_clash {
	DNS_LEASE_OK,
	DNS_LEASE_CNAME,
	DNS_LEASE_CLASH
};
enum dns_lease_clash dns_fwd_lease_clash(const struct dns_fwd *f,
    const char *name, struct in_addr addr, const char **src,
    struct in_addr *other);

void dns_fwd_get_stats(const struct dns_fwd *f, struct dns_fwd_stats *s);
struct dns_cache_stats;
void dns_fwd_get_cache_stats(const struct dns_fwd *f,
    struct dns_cache_stats *s);
/* dnsmasq's SIGUSR1 lines, through io->log: the cache and query counts,
 * then (after the shell's TCP line) the servers and the drop counters. */
void dns_fwd_log_stats(struct dns_fwd *f, int64_t now);
void dns_fwd_log_server_stats(struct dns_fwd *f);
/* The upstreams (for tests). */
const struct dns_upstream *dns_fwd_upstream(const struct dns_fwd *f,
    unsigned i);
unsigned dns_fwd_n_upstreams(const struct dns_fwd *f);
/* The pending entry with this upstream id, or NULL (for tests). */
struct dns_pending *dns_fwd_pending_by_id(struct dns_fwd *f, uint16_t id);

#endif
