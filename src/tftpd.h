/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tftpd.h - the TFTP shell (L3): the port-69 socket, one socket per
 * transfer, timers, the shared open-file cache, log lines and counters,
 * around tftp_proto (requests, options), tftp_xfer (what to send when)
 * and tftp_file (confined open).
 *
 * Receive path: 0.0.0.0:69 with IP_PKTINFO and [::]:69 (v6-only) with
 * IPV6_RECVPKTINFO, as dnsmasq's wildcard listeners; with bind-dynamic
 * one such socket per address of the served interfaces, following
 * address events (addrwatch.h), as dnsmasq's bound listeners (the arrival
 * interface picks the per-interface root, the enable-tftp interface list
 * and the MTU that caps blksize; the local address becomes the
 * transfer's source).
 * Each accepted request gets its own socket bound to that address and
 * an ephemeral port (or the next free one of tftp-port-range), unless
 * tftp-single-port, where everything goes through port 69 and packets
 * are matched to transfers by the client's address and port.  All
 * sockets are non-blocking; each transfer has one timer of the event
 * loop (absolute deadlines, no polling); a window goes out with one
 * sendmmsg() (several when the kernel buffer fills, then EPOLLOUT).
 * Beyond tftp-max active transfers the port-69 socket is not read
 * (requests wait in the kernel, as in dnsmasq); in single-port mode new
 * requests are dropped then.
 *
 * Memory: a transfer is one fixed-size struct; one send buffer of at most
 * TFTPD_SCRATCH bytes is shared by all of them.
 */
#ifndef PXEMASQ_TFTPD_H
#define PXEMASQ_TFTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct conf;
struct ev_loop;
struct tftpd;

/* True when the configuration serves TFTP (enable-tftp). */
bool tftpd_wanted(const struct conf *cf);

/* Opens the port-69 socket (needs root for the port).  Returns the shell,
 * or NULL with msg set to dnsmasq's wording and *exit_code (2). */
struct tftpd *tftpd_open(struct ev_loop *ev, const struct conf *cf,
    char *msg, size_t msgsz, int *exit_code);

/* After the privilege drop: checks the roots as the run user, as
 * dnsmasq does ("TFTP directory %s inaccessible: %s", exit 3, unless
 * tftp-no-fail).  Returns 0, or -1 with msg and *exit_code set. */
int tftpd_check_roots(struct tftpd *t, char *msg, size_t msgsz,
    int *exit_code);
/* Logs the start-up lines ("TFTP root is ...", warnings). */
void tftpd_log_started(struct tftpd *t);
/* A new configuration after SIGHUP (borrowed; transfers keep going). */
void tftpd_set_conf(struct tftpd *t, const struct conf *cf);
/* Statistics lines for SIGUSR1: every counter that is not zero. */
struct pcapdump;
/* dumpfile=: requests and sent packets are copied to p (borrowed). */
void tftpd_set_dump(struct tftpd *t, struct pcapdump *p);
void tftpd_log_stats(const struct tftpd *t);
struct mx;
/* The TFTP part of the metrics text. */
void tftpd_metrics(const struct tftpd *t, struct mx *m);
/* Ends every transfer and closes everything. */
void tftpd_close(struct tftpd *t);

/* tftp-unique-root=mac: how to find a client's MAC from its address
 * before the kernel's ARP table is asked (dnsmasq asks its lease table
 * first).  fn returns true and fills mac[6]. */
typedef bool tftpd_mac_fn(void *arg, struct in_addr addr, uint8_t mac[6]);
void tftpd_set_mac_lookup(struct tftpd *t, tftpd_mac_fn *fn, void *arg);

/* dhcp-script: every transfer that ends as "sent" is queued as a "tftp"
 * event (dnsmasq's queue_tftp()).  s is borrowed; NULL detaches. */
struct script;
void tftpd_set_script(struct tftpd *t, struct script *s);

/* For tests and benchmarks: the largest window granted (default
 * TFTP_WINDOW_CAP_DEFAULT; the environment variable
 * PXEMASQ_TFTP_WINDOW_MAX sets it at start-up). */
void tftpd_set_window_cap(struct tftpd *t, unsigned cap);

#endif
