/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dnsd.h - the DNS shell (L3): listening sockets (UDP and TCP, IPv4 and
 * IPv6), upstream sockets, TCP connections and the timer around the
 * forwarder logic of dns_fwd.c.
 *
 * Listening, as dnsmasq 2.90 (network.c): without bind-interfaces one
 * wildcard socket per family and protocol on `port`, packets checked
 * against interface=, except-interface and listen-address by their
 * arrival interface and destination (IP_PKTINFO / IPV6_PKTINFO; the reply
 * leaves from the address the query was sent to); with bind-interfaces
 * one socket per listen-address and per address of each interface=
 * interface at start.  With bind-dynamic (network.c
 * create_bound_listeners(), newaddress()) one socket per address of the
 * served interfaces and per listen-address, following rtnetlink address
 * events (IPv4 and IPv6): sockets are opened as addresses appear (after
 * the privilege drop: priv.c keeps CAP_NET_BIND_SERVICE) and closed when
 * they go, packets still checked by arrival interface; log-debug logs
 * dnsmasq's "listening on" / "stopped listening on" lines.
 * local-service: only sources on a subnet of a local interface (net) or
 * local addresses (host).  Upstream queries leave from
 * a pool of UDP sockets on kernel-chosen random ports, each replaced
 * after a number of uses (bound to the source address and device of a
 * server=ADDR@SOURCE / ADDR@IF; @SOURCE#PORT has one fixed socket bound
 * before the privilege drop); TCP client queries go upstream over TCP.
 * resolv-files: their directories are watched with inotify (dnsmasq's
 * inotify.c), a file written or renamed there is read at once.
 * Client TCP connections: at most DNSD_TCP_MAX (dnsmasq's MAX_PROCS, 20),
 * closed after 150 s idle; more are refused (closed) and counted.
 */
#ifndef PXEMASQ_DNSD_H
#define PXEMASQ_DNSD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

struct conf;
struct dnsd;
struct ev_loop;
struct hostsfile;

#define DNSD_TCP_MAX		20
#define DNSD_TCP_IDLE_MS	150000
#define DNSD_RFD_MAX		64	/* upstream UDP sockets */
#define DNSD_RFD_USES		128	/* queries before a new port */

/* DHCP lease names for the DNS side (dhcpd.h provides them). */
struct dnsd_lease_ops {
	void *arg;
	/* The lease address of an unqualified name (lower case). */
	bool (*by_name)(void *arg, const char *name, struct in_addr *out);
	/* The unqualified name of a lease address. */
	bool (*by_addr)(void *arg, struct in_addr a, char *name, size_t size);
	/* Optional: the seconds the live lease of a has left (UINT32_MAX:
	 * infinite), for the TTL of its names. */
	bool (*left)(void *arg, struct in_addr a, uint32_t *secs);
};

/* True when DNS is served (port != 0). */
bool dnsd_wanted(const struct conf *cf);
/* Opens the listening sockets (needs root for port 53).  Returns the
 * shell, or NULL with dnsmasq's message in msg and *exit_code 2. */
struct dnsd *dnsd_open(struct ev_loop *ev, const struct conf *cf,
    char *msg, size_t msgsz, int *exit_code);
/* The resolv-file and server lines of the start-up log. */
void dnsd_log_started(struct dnsd *d);
void dnsd_set_conf(struct dnsd *d, const struct conf *cf);
/* Hosts files in effect (borrowed until the next call). */
void dnsd_set_hosts(struct dnsd *d, struct hostsfile *const *h,
    const char *const *paths, size_t n);
/* Lease names (copied; the functions' arg is borrowed). */
void dnsd_set_leases(struct dnsd *d, const struct dnsd_lease_ops *ops);
struct pcapdump;
/* dumpfile=: client and upstream UDP packets are copied to p (borrowed). */
void dnsd_set_dump(struct dnsd *d, struct pcapdump *p);
/* dnsmasq's warnings when a DHCP lease's name (NAME.DOMAIN, then NAME)
 * is a cname= alias or is in a hosts file with another address (the
 * hosts file's answer stays); the caller passes every named lease when
 * the leases change, at start and after SIGHUP, as lease_update_dns(). */
void dnsd_lease_name_check(struct dnsd *d, const char *name,
    struct in_addr addr);
void dnsd_log_stats(struct dnsd *d);
struct mx;
/* The DNS part of the metrics text. */
void dnsd_metrics(const struct dnsd *d, struct mx *m);
/* Sends the UDP replies queued for one sendmmsg() (end of a loop turn;
 * the shell's own callbacks flush too). */
void dnsd_flush(struct dnsd *d);
void dnsd_close(struct dnsd *d);

#endif
