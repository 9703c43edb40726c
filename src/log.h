/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - the log sink, dnsmasq-compatible.
 *
 * Lines look exactly as dnsmasq 2.90 writes them, with "pxemasq" in place
 * of "dnsmasq" (reference section 7; shapes observed from the real
 * dnsmasq 2.90 are recorded at the top of log.c):
 *   syslog (RFC 3164 datagrams to /dev/log, written by us, never
 *   blocking):  "<PRI>Mmm dd hh:mm:ss pxemasq-dhcp[PID]: MSG"
 *   log-facility=/path: "Mmm dd hh:mm:ss pxemasq-dhcp[PID]: MSG\n"
 *   log-facility=-: the same on stderr (without the timestamp under -k)
 *   -d additionally echoes "pxemasq-dhcp: MSG" on stderr (not with "-").
 * Service tags: pxemasq, pxemasq-dhcp (DHCP and PXE), pxemasq-tftp,
 * pxemasq-script.
 *
 * The sink is the one piece of process-wide state besides struct daemon
 * (STYLE.md): it is set up once by log_open() and used by every module.
 * Before log_open() and after log_close() messages go to stderr as
 * "pxemasq: MSG" (the service's tag, then ": MSG").
 *
 * Event loop duty (syslog target only): when log_fd() is not -1, poll it
 * for POLLOUT and call log_flush() when it is writable.  log_flush() may
 * also be called at any time (e.g. from a timer) to retry a lost syslog
 * connection; otherwise the next message retries it, as in dnsmasq.
 * Query log_fd() every loop turn: the descriptor changes on reconnection.
 *
 * Not async-signal-safe: log from the main loop, not from signal handlers.
 * The daemon must ignore SIGPIPE (as dnsmasq does) in case stderr is a
 * pipe whose reader went away.
 */
#ifndef PXEMASQ_LOG_H
#define PXEMASQ_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* LOG_SVC_DEBUG: dnsmasq's MS_DEBUG lines ("dnsmasq-debug"), written only
 * with log-debug. */
enum log_svc {
	LOG_SVC_MAIN, LOG_SVC_DHCP, LOG_SVC_TFTP, LOG_SVC_SCRIPT, LOG_SVC_DEBUG
};

/* RFC 3164 4.1: a whole entry (PRI, header, message and the terminating
 * NUL or newline) is at most this many bytes; longer ones are cut. */
#define LOG_MAX_MESSAGE 1024
/* Entries kept while the syslog socket would block or is down; more are
 * counted as lost and reported as "overflow: N log entries lost". */
#define LOG_QUEUE_MAX 64

/* Severities are syslog's: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG... */
struct log_opts {
	/* NULL: syslog; "-": stderr; else a file path.  Map conf.h's
	 * log_facility this way: log_facility_num != -1 is a facility
	 * (target NULL), otherwise log_facility is the target. */
	const char *target;
	int facility;		/* syslog facility (LOG_DAEMON ...), -1 default */
	bool debug;		/* -d: echo to stderr, default facility LOCAL0 */
	bool foreground;	/* -k only (not -d): no timestamp on stderr */
	const char *syslog_path; /* NULL: "/dev/log" (tests point elsewhere) */
};

/* Opens the sink (borrows o; strings are copied).  Returns 0 or -errno:
 * the file could not be opened (dnsmasq's "cannot open log %s: %s",
 * exit 3), or -ENAMETOOLONG for an over-long path.  A missing or refusing
 * syslog socket is not an error: it is retried later. */
int log_open(const struct log_opts *o);
/* Re-opens a log file (SIGUSR2) after rotation; no-op for syslog and "-".
 * Returns 0 or -errno (the old file is then kept). */
int log_reopen(void);
/* As dnsmasq after opening its log file as root: when logging to a file
 * and uid is not 0, gives the file to uid (and makes it group-writable if
 * we are gid 0 and it has group root).  Returns 0 or -errno; dnsmasq then
 * logs "warning: failed to change owner of %s: %s". */
int log_chown(uid_t uid);
/* Flushes what is queued (waiting at most about a second), closes the
 * sink; messages go to stderr again. */
void log_close(void);

void log_msg(enum log_svc svc, int severity, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_err(svc, ...)  log_msg((svc), 3, __VA_ARGS__)
#define log_warn(svc, ...) log_msg((svc), 4, __VA_ARGS__)
#define log_info(svc, ...) log_msg((svc), 6, __VA_ARGS__)
#define log_debug(svc, ...) log_msg((svc), 7, __VA_ARGS__)

/* dnsmasq's die() minus the exit: "\npxemasq: MSG" on stderr (unless the
 * log already goes there), MSG logged at LOG_CRIT, then "FAILED to start
 * up" logged (not echoed), then the queue flushed.  The caller exits. */
void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The syslog socket while entries wait for it to become writable, else
 * -1.  Poll it for POLLOUT, then call log_flush(). */
int log_fd(void);
/* Writes queued entries (reconnecting to syslog if needed); never blocks. */
void log_flush(void);

/* Copies untrusted bytes into out as printable text (control and
 * non-ASCII bytes become \ooo octal, a backslash becomes \\), always NUL
 * terminated when outsz > 0; an escape is never cut.  Returns out. */
char *log_escape(char *out, size_t outsz, const void *in, size_t inlen);
/* dnsmasq's sanitise() for lines compared with dnsmasq's (vendor class,
 * user class): keeps printable ASCII, drops every other byte.  Always NUL
 * terminated when outsz > 0.  Returns out. */
char *log_sanitise(char *out, size_t outsz, const void *in, size_t inlen);

/* Messages lost since log_open(): queue full, or a write failed. */
unsigned long log_lost(void);

#endif
