/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcpd.h - the DHCP shell (L3): interfaces, sockets, the lease store and
 * the event loop around the pure server logic of dhcp_server.c.
 *
 * Receive path: one AF_PACKET socket per DHCP interface (rawio), frame
 * decoding and checksum checks (frame), the arrival checks (the IP
 * destination is a broadcast, one of the interface's addresses or a subnet
 * broadcast), DHCP decoding (dhcp_msg), then dhcp_server_handle().
 * Send path: L2 broadcast and unicast replies as whole frames on the raw
 * socket (no ARP-table writes); routed replies (relays, ciaddr, 4011)
 * through the UDP sockets with IP_PKTINFO.  A reply whose lease must be
 * durable first (tx.needs_sync) waits for the end of the loop turn, where
 * one lease_store_sync() covers every ACK of that turn; if the write fails
 * the ACKs of new leases are not sent (renewals of leases already on disk
 * are).  Interfaces are followed through rtnetlink: a recreated interface
 * (new ifindex, OpenWrt's br-lan) gets a new raw socket.
 */
#ifndef PXEMASQ_DHCPD_H
#define PXEMASQ_DHCPD_H

#include <stdbool.h>
#include <stddef.h>

struct conf;
struct dhcpd;
struct ev_loop;
struct script;

/* True when the configuration serves DHCP (has an IPv4 dhcp-range). */
bool dhcpd_wanted(const struct conf *cf);

/* Opens everything that needs root: netlink, raw and UDP sockets, the
 * lease file.  Returns the shell, or NULL with msg set to dnsmasq's
 * wording and *exit_code (2 network, 3 file). */
struct dhcpd *dhcpd_open(struct ev_loop *ev, const struct conf *cf,
    char *msg, size_t msgsz, int *exit_code);
/* Lease changes go to the dhcp-script helper s (borrowed; detach with
 * script_close() before dhcpd_close()); the loaded leases are announced
 * as dnsmasq does at start-up. */
void dhcpd_set_script(struct dhcpd *d, struct script *s);
/* Logs the start-up lines ("DHCP, IP range ..."). */
void dhcpd_log_started(const struct dhcpd *d);
/* A new configuration after SIGHUP (borrowed). */
void dhcpd_set_conf(struct dhcpd *d, const struct conf *cf);
struct hostsfile;
/* The hosts files in effect (borrowed until the next call): server names
 * in pxe-service and dhcp-boot resolve through them, as dnsmasq's do. */
void dhcpd_set_hosts(struct dhcpd *d, struct hostsfile *const *h, size_t n);
struct in_addr;
/*
 * The address dnsmasq's a_record_from_hosts() gives for name on its
 * turn-th lookup since the hosts files h[0..n) (reading order) were read:
 * its cache rotates a name's IPv4 addresses one step per lookup
 * (round-robin), among the entries that are the first of their address
 * (F_REVERSE), or, when there is none, among the others; a repeated name
 * and address counts once; reading the files already rotated them once
 * per line of the name after the first.  False when the name has no
 * IPv4 address (or memory ran out).
 */
bool dhcpd_hosts_pick(struct hostsfile *const *h, size_t n,
    const char *name, unsigned long turn, struct in_addr *out);
/* End of a loop turn: one sync for every reply waiting for its lease. */
void dhcpd_turn_end(struct dhcpd *d);
struct lease_table;
/* The lease table (borrowed; the DNS side looks names up in it, so lease
 * names come and go with the leases). */
struct lease_table *dhcpd_leases(struct dhcpd *d);
struct pcapdump;
/* dumpfile=: received and sent packets are copied to p (borrowed; NULL:
 * none). */
void dhcpd_set_dump(struct dhcpd *d, struct pcapdump *p);
/* Statistics lines for SIGUSR1. */
void dhcpd_log_stats(struct dhcpd *d);
struct mx;
/* The DHCP part of the metrics text. */
void dhcpd_metrics(const struct dhcpd *d, struct mx *m);
/* Writes pending lease state and closes everything. */
void dhcpd_close(struct dhcpd *d);

#endif
