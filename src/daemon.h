/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemon.h - the running daemon: one context (struct daemon) created in
 * main.c and passed down; the start-up sequence; signals.
 *
 * Start-up order, as dnsmasq's (reference section 8): configuration
 * checked (before this module runs) -> user and group resolved ->
 * capabilities checked (unprivileged start) -> log opened -> sockets and
 * files that need root opened -> fork into the background unless -d or -k
 * (errors after the fork travel back through a pipe, so the shell sees the
 * right exit status) -> pid file written (not with -d) -> user, group and
 * capabilities dropped (not with -d) -> "started" logged -> event loop.
 */
#ifndef PXEMASQ_DAEMON_H
#define PXEMASQ_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ev.h"

struct conf;
struct conf_cache;
struct dhcpd;
struct dnsd;
struct ethers;
struct hostsfile;
struct pcapdump;
struct metrics;
struct script;
struct tftpd;

struct daemon_stats {
	unsigned long sighup, sigusr1, sigusr2;
	int64_t started_ms;
};

struct daemon {
	struct conf *cf;	/* owned; replaced whole on reload */
	struct conf_cache *cache; /* owned: the main files as read at start */
	/* Read at start and on SIGHUP, replaced whole then: the hosts
	 * files (/etc/hosts, then addn-hosts in dnsmasq's reading order)
	 * for the DNS side, and /etc/ethers (read-ethers) for the DHCP
	 * side.  Owned; NULL/0 when not read. */
	struct hostsfile **hosts;
	char **hosts_paths;	/* the path of each, owned */
	size_t n_hosts;
	struct ethers *ethers;
	int argc;
	char **argv;
	struct ev_loop ev;
	struct ev_io sig_io;
	struct ev_io log_io;	/* the log sink's socket while it has a queue */
	/* dhcp-hostsdir / dhcp-optsdir watches (fd -1: none) */
	struct ev_io inotify_io;
#define DAEMON_WATCH_MAX 16
	struct {
		int wd;
		char *dir;	/* owned copy */
	} watch[DAEMON_WATCH_MAX];
	unsigned nwatch;
	struct dhcpd *dhcp;	/* NULL when DHCP is not served */
	struct dnsd *dns;	/* NULL when DNS is off (port=0) */
	unsigned long dns_lease_gen;	/* leases as the DNS last saw them */
	struct tftpd *tftp;	/* NULL when TFTP is not served */
	struct script *script;	/* dhcp-script helper, or NULL */
	struct pcapdump *dump;	/* dumpfile=, or NULL */
	struct metrics *metrics; /* --metrics-listen, or NULL */
	bool debug;		/* -d */
	bool foreground;	/* -k */
	char *pid_path;		/* owned; NULL: no pid file */
	bool pid_written;
	int err_pipe;		/* start-up error channel to the shell, or -1 */
	int exit_code;
	struct daemon_stats stats;
};

/* Runs the daemon with a loaded configuration and its file cache (both
 * taken).  Returns the exit status for main(). */
int daemon_main(struct conf *cf, struct conf_cache *cc, int argc,
    char **argv);

#endif
