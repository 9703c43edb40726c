/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - the log sink, dnsmasq-compatible.
 *
 * Lines look exactly as dnsmasq 2.90 writes them, with "pxemasq" in place
 * of "dnsmasq" (reference section 7):
 *   syslog (RFC 3164 datagrams to /dev/log, written by us, never
 *   blocking):  "<PRI>Mmm dd hh:mm:ss pxemasq-dhcp[PID]: MSG"
 *   log-facility=/path: "Mmm dd hh:mm:ss pxemasq-dhcp[PID]: MSG\n"
 *   log-facility=-: the same on stderr (without the timestamp under -k)
 *   -d additionally echoes "pxemasq-dhcp: MSG" on stderr.
 * Service tags: pxemasq, pxemasq-dhcp (DHCP and PXE), pxemasq-tftp,
 * pxemasq-script.
 *
 * The sink is the one piece of process-wide state besides struct daemon
 * (STYLE.md): it is set up once by log_open() and used by every module.
 * Before log_open() messages go to stderr as "pxemasq: MSG".
 */
#ifndef PXEMASQ_LOG_H
#define PXEMASQ_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_svc { LOG_SVC_MAIN, LOG_SVC_DHCP, LOG_SVC_TFTP, LOG_SVC_SCRIPT };

/* Severities are syslog's: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG... */
struct log_opts {
	const char *target;	/* NULL: syslog; "-": stderr; else a file path */
	int facility;		/* syslog facility (LOG_DAEMON ...), -1 default */
	bool debug;		/* -d: echo to stderr, default facility LOCAL0 */
	bool foreground;	/* -k: no timestamp when logging to stderr */
	const char *syslog_path; /* NULL: "/dev/log" (tests point elsewhere) */
};

/* Opens the sink.  Returns 0 or -errno (the file could not be opened:
 * dnsmasq's "cannot open log %s: %s", exit 3). */
int log_open(const struct log_opts *o);
/* Re-opens a log file (SIGUSR2) after rotation. */
int log_reopen(void);
void log_close(void);

void log_msg(enum log_svc svc, int severity, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_err(svc, ...)  log_msg((svc), 3, __VA_ARGS__)
#define log_warn(svc, ...) log_msg((svc), 4, __VA_ARGS__)
#define log_info(svc, ...) log_msg((svc), 6, __VA_ARGS__)
#define log_debug(svc, ...) log_msg((svc), 7, __VA_ARGS__)

/* Copies untrusted bytes into out as printable text (control and
 * non-ASCII bytes become \ooo octal), always NUL terminated.  Returns out. */
char *log_escape(char *out, size_t outsz, const void *in, size_t inlen);

/* Messages lost because the syslog socket would block (queue full). */
unsigned long log_lost(void);

#endif
