/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.c - the log sink (see log.h).
 *
 * Facts taken from dnsmasq 2.90 (src/log.c, dnsmasq.c), re-implemented:
 *  - an entry is "<PRI>" (syslog only, PRI = severity | facility), then
 *    "Mmm dd hh:mm:ss " (ctime() + 4, local time; left out only when the
 *    log goes to stderr and -k is given: `!log_stderr || !OPT_NO_FORK`),
 *    then "TAG[PID]: ", then the message; the whole entry, terminator
 *    included, is cut to 1024 bytes (RFC 3164 MAX_MESSAGE);
 *  - a datagram carries no terminator, a stream socket gets a NUL as
 *    record terminator, a file or stderr gets a newline;
 *  - facility: log-facility=NAME, else LOCAL0 with -d, else DAEMON;
 *  - -d echoes "TAG: MSG\n" on stderr, except with log-facility=-;
 *  - the syslog socket is non-blocking; ENOTCONN, ECONNREFUSED,
 *    EDESTADDRREQ, ECONNRESET (and EPIPE on a stream) mean "reconnect";
 *    a connect that fails leaves the entries queued until the next
 *    message; EPROTOTYPE from connect switches datagram <-> stream;
 *    EAGAIN waits for POLLOUT; ENOBUFS waits for the next message;
 *  - when the queue is full the message is counted; after the next entry
 *    is written "overflow: N log entries lost" is logged (LOG_WARNING,
 *    main tag) at the end of the queue;
 *  - entries queued before a fork() are not written by the child;
 *  - a log file is opened O_WRONLY|O_CREAT|O_APPEND, mode 0640; a write
 *    error abandons it for syslog, logging "log failed: %s" (LOG_CRIT);
 *  - die(): "\n" then the message echoed (unless the log is stderr), the
 *    message logged at LOG_CRIT, then "FAILED to start up" (not echoed).
 *
 * Observed from the real dnsmasq 2.90 (port=0, -C /dev/null, 2 seconds):
 *   -k --log-facility=/tmp/dl.log, file lines (file 0660 nobody:root):
 *     "Nov 25 20:49:25 dnsmasq[9917]: started, version 2.90 DNS disabled\n"
 *   -k --log-facility=- on stderr:
 *     "dnsmasq[9922]: started, version 2.90 DNS disabled\n"
 *   -d --log-facility=- on stderr (timestamp kept, no echo):
 *     "Nov 25 20:49:29 dnsmasq[9925]: started, version 2.90 DNS disabled\n"
 *   -d --log-facility=/tmp/dl2.log: stderr "dnsmasq: started, ...\n",
 *     the file as with -k;
 *   syslog (receiver bound at /dev/log in a private mount namespace),
 *   datagrams without NUL or newline:
 *     -k: "<30>Nov 25 20:50:26 dnsmasq[11941]: started, version 2.90 ..."
 *     -d: "<134>Nov 25 20:50:05 dnsmasq[10990]: started, ..." plus the
 *         echo "dnsmasq: started, ...\n" on stderr
 *     -k --log-facility=LOCAL3: "<158>...", -d --log-facility=daemon:
 *         "<30>...".
 *
 * Deliberate differences: dnsmasq leaves the syslog socket blocking unless
 * log-async is given and sleeps up to 256 ms as its queue fills; pxemasq
 * always queues (LOG_QUEUE_MAX entries) and never sleeps.  dnsmasq
 * connects at the first write (after dropping privileges); pxemasq also
 * tries in log_open().  When a write fails for another reason dnsmasq
 * falls back to libc syslog(); pxemasq drops that entry (counted lost).
 * The -d echo is cut to LOG_MAX_MESSAGE bytes too.
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <paths.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

enum log_kind {
	LOG_K_EARLY,	/* not open: "TAG: MSG" on stderr */
	LOG_K_SYSLOG,
	LOG_K_FILE,
	LOG_K_STDERR,	/* log-facility=- */
};

struct log_entry {
	pid_t pid;		/* dnsmasq: avoid duplicates over a fork */
	size_t len;		/* bytes of text, without terminator */
	size_t off;		/* bytes already written (stream sockets) */
	char text[LOG_MAX_MESSAGE];
};

struct log_sink {
	enum log_kind kind;
	int fd;
	int facility;
	int socktype;		/* SOCK_DGRAM, or SOCK_STREAM after EPROTOTYPE */
	bool echo;		/* -d and not log-facility=- */
	bool stamp;		/* timestamp in entries */
	bool connected;
	bool conn_good;		/* worth waiting for POLLOUT */
	struct sockaddr_un addr;
	char path[PATH_MAX];	/* log file */
	unsigned head, count;	/* ring of queued syslog entries */
	unsigned long lost_pending, lost_total;
	struct log_entry *q;	/* LOG_QUEUE_MAX entries: log_queue */
};

/* The one piece of process-wide state (STYLE.md "One context"). */
/* The queue lives apart, zeroed (.bss): inside the initialised sink it
 * would put 70 KB of zeros into the binary's .data. */
static struct log_entry log_queue[LOG_QUEUE_MAX];
static struct log_sink log_sink = {
	.kind = LOG_K_EARLY, .fd = -1, .q = log_queue
};

static const char *const log_tags[] = {
	[LOG_SVC_MAIN] = "pxemasq",
	[LOG_SVC_DHCP] = "pxemasq-dhcp",
	[LOG_SVC_TFTP] = "pxemasq-tftp",
	[LOG_SVC_SCRIPT] = "pxemasq-script",
	[LOG_SVC_DEBUG] = "pxemasq-debug",
};

static const char *
log_tag(enum log_svc svc)
{
	if ((unsigned)svc >= sizeof(log_tags) / sizeof(log_tags[0]))
		return log_tags[LOG_SVC_MAIN];
	return log_tags[svc];
}

/* Writes all of buf; returns 0 or -errno. */
static int
log_write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* "TAG: MSG\n" on stderr in one write; errors are ignored (nowhere to
 * report them).  lead_nl: dnsmasq's die() "prettyfy" newline first. */
static void
log_echo(const char *tag, const char *msg, bool lead_nl)
{
	char buf[LOG_MAX_MESSAGE + 32];
	int n;

	n = snprintf(buf, sizeof(buf), "%s%s: %s\n", lead_nl ? "\n" : "",
	    tag, msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf)) {
		n = (int)sizeof(buf) - 1;
		buf[n - 1] = '\n';
	}
	(void)log_write_all(STDERR_FILENO, buf, (size_t)n);
}

/* Appends s to an entry of len bytes, cutting it so that text plus
 * terminator fit in LOG_MAX_MESSAGE.  Returns the new length. */
static size_t
log_append(char *text, size_t len, const char *s)
{
	size_t n = strlen(s);
	size_t room = LOG_MAX_MESSAGE - 1 - len;

	if (n > room)
		n = room;
	memcpy(text + len, s, n);
	text[len + n] = '\0';
	return len + n;
}

/* Builds an entry into text[LOG_MAX_MESSAGE]; returns its length. */
static size_t
log_format(const struct log_sink *s, char *text, const char *tag, int sev,
    const char *msg)
{
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr",
		"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char hdr[96];
	size_t len = 0;
	time_t now;
	struct tm tm;

	text[0] = '\0';
	if (s->kind == LOG_K_SYSLOG) {
		snprintf(hdr, sizeof(hdr), "<%d>", sev | s->facility);
		len = log_append(text, len, hdr);
	}
	now = time(NULL);
	if (s->stamp && localtime_r(&now, &tm) != NULL) {
		/* ctime() + 4, 15 characters: "Nov  5 09:04:05" */
		snprintf(hdr, sizeof(hdr), "%s %2d %02d:%02d:%02d ",
		    months[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
		len = log_append(text, len, hdr);
	}
	snprintf(hdr, sizeof(hdr), "%s[%d]: ", tag, (int)getpid());
	len = log_append(text, len, hdr);
	return log_append(text, len, msg);
}

static void
log_disconnect(struct log_sink *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->connected = false;
}

/* (Re)connects the syslog socket.  Returns 0 or -errno. */
static int
log_connect(struct log_sink *s)
{
	int tries, err = ENOTCONN;

	for (tries = 0; tries < 2; tries++) {
		log_disconnect(s);
		s->fd = socket(AF_UNIX, s->socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (s->fd < 0)
			return -errno;
		if (connect(s->fd, (const struct sockaddr *)&s->addr,
		    sizeof(s->addr)) == 0) {
			s->connected = true;
			return 0;
		}
		err = errno;
		log_disconnect(s);
		if (err != EPROTOTYPE)
			break;
		/* dnsmasq: "try the other sort of socket" */
		s->socktype = s->socktype == SOCK_DGRAM ? SOCK_STREAM :
		    SOCK_DGRAM;
	}
	return -err;
}

/* Queues an entry for syslog, or counts it lost when the queue is full. */
static void
log_enqueue(struct log_sink *s, const char *tag, int sev, const char *msg)
{
	struct log_entry *e;

	if (s->count == LOG_QUEUE_MAX) {
		s->lost_pending++;
		s->lost_total++;
		return;
	}
	e = &s->q[(s->head + s->count) % LOG_QUEUE_MAX];
	e->pid = getpid();
	e->off = 0;
	e->len = log_format(s, e->text, tag, sev, msg);
	s->count++;
}

static void
log_pop(struct log_sink *s)
{
	s->head = (s->head + 1) % LOG_QUEUE_MAX;
	s->count--;
}

/* The head entry is written: drop it, report earlier losses. */
static void
log_sent(struct log_sink *s)
{
	char msg[64];

	log_pop(s);
	if (s->lost_pending == 0)
		return;
	snprintf(msg, sizeof(msg), "overflow: %lu log entries lost",
	    s->lost_pending);
	s->lost_pending = 0;
	if (s->echo)
		log_echo(log_tag(LOG_SVC_MAIN), msg, false);
	log_enqueue(s, log_tag(LOG_SVC_MAIN), LOG_WARNING, msg);
}

/* A send() error on the head entry.  Returns true to go on writing. */
static bool
log_send_failed(struct log_sink *s, int err, bool *fresh)
{
	switch (err) {
	case EINTR:
		return true;
	case EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
		return false;		/* syslogd busy: wait for POLLOUT */
	case ENOBUFS:
		s->conn_good = false;	/* retry at the next message */
		return false;
	case EPIPE:
	case ECONNREFUSED:
	case ENOTCONN:
	case EDESTADDRREQ:
	case ECONNRESET:
		/* syslogd went away: reconnect, at most once per call */
		log_disconnect(s);
		s->q[s->head].off = 0;
		if (*fresh) {
			s->conn_good = false;
			return false;
		}
		return true;
	default:
		log_pop(s);
		s->lost_pending++;
		s->lost_total++;
		return true;
	}
}

/* Writes queued entries until done or the socket would block. */
static void
log_drain(struct log_sink *s)
{
	struct log_entry *e;
	bool fresh = false;
	size_t size;
	ssize_t n;

	while (s->count > 0) {
		e = &s->q[s->head];
		if (e->pid != getpid()) {
			log_pop(s);
			continue;
		}
		if (!s->connected) {
			if (log_connect(s) < 0) {
				s->conn_good = false;
				return;
			}
			fresh = true;
		}
		s->conn_good = true;
		size = e->len + (s->socktype == SOCK_STREAM);
		n = send(s->fd, e->text + e->off, size - e->off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0) {
			e->off += (size_t)n;
			if (e->off >= size)
				log_sent(s);
		} else if (!log_send_failed(s, errno, &fresh)) {
			return;
		}
	}
}

static void log_emit(enum log_svc svc, int sev, const char *msg, bool echo);

/* dnsmasq: a failing log file is abandoned for syslog. */
static void
log_give_up(struct log_sink *s, int err)
{
	char msg[128];

	log_disconnect(s);
	s->kind = LOG_K_SYSLOG;
	s->socktype = SOCK_DGRAM;
	s->stamp = true;
	s->lost_total++;
	(void)log_connect(s);
	snprintf(msg, sizeof(msg), "log failed: %s", strerror(err));
	log_emit(LOG_SVC_MAIN, LOG_CRIT, msg, true);
}

/* One line to the log file or stderr. */
static void
log_line(struct log_sink *s, const char *tag, int sev, const char *msg)
{
	char text[LOG_MAX_MESSAGE];
	size_t len;
	int rc;

	len = log_format(s, text, tag, sev, msg);
	text[len++] = '\n';	/* in place of the terminator */
	rc = log_write_all(s->fd, text, len);
	if (rc == -EAGAIN) {
		s->lost_total++;
	} else if (rc < 0) {
		log_give_up(s, -rc);
	}
}

static void
log_emit(enum log_svc svc, int sev, const char *msg, bool echo)
{
	struct log_sink *s = &log_sink;
	const char *tag = log_tag(svc);

	sev &= LOG_PRIMASK;
	if (s->kind == LOG_K_EARLY) {
		log_echo(tag, msg, false);
		return;
	}
	if (echo && s->echo)
		log_echo(tag, msg, false);
	if (s->kind == LOG_K_SYSLOG) {
		log_enqueue(s, tag, sev, msg);
		log_drain(s);
	} else {
		log_line(s, tag, sev, msg);
	}
}

void
log_msg(enum log_svc svc, int severity, const char *fmt, ...)
{
	char msg[LOG_MAX_MESSAGE];
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_emit(svc, severity, msg, true);
	errno = saved;
}

/* Writes the queue for up to about a second (dnsmasq's flush_log()). */
static void
log_settle(struct log_sink *s)
{
	const struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < 1000 && s->kind == LOG_K_SYSLOG; i++) {
		log_drain(s);
		if (s->count == 0 || !s->conn_good)
			break;
		nanosleep(&ms, NULL);
	}
}

void
log_fatal(const char *fmt, ...)
{
	struct log_sink *s = &log_sink;
	char msg[LOG_MAX_MESSAGE];
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->kind != LOG_K_STDERR)
		log_echo(log_tag(LOG_SVC_MAIN), msg, true);
	if (s->kind != LOG_K_EARLY) {
		log_emit(LOG_SVC_MAIN, LOG_CRIT, msg, false);
		log_emit(LOG_SVC_MAIN, LOG_CRIT, "FAILED to start up", false);
		log_settle(s);
	}
	errno = saved;
}

static void
log_reset(struct log_sink *s)
{
	log_disconnect(s);
	s->kind = LOG_K_EARLY;
	s->head = s->count = 0;
	s->lost_pending = s->lost_total = 0;
	s->connected = s->conn_good = false;
	s->path[0] = '\0';
}

static int
log_open_file(struct log_sink *s)
{
	s->fd = open(s->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
	    O_NOCTTY, S_IRUSR | S_IWUSR | S_IRGRP);
	return s->fd < 0 ? -errno : 0;
}

/* Chooses and opens the target; s is reset and kind still EARLY. */
static int
log_open_target(struct log_sink *s, const struct log_opts *o)
{
	if (o->target == NULL) {
		s->socktype = SOCK_DGRAM;
		if (log_connect(s) < 0)
			s->conn_good = false;	/* retried later */
		s->kind = LOG_K_SYSLOG;
		return 0;
	}
	if (strcmp(o->target, "-") == 0) {
		s->fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		if (s->fd < 0)
			return -errno;
		s->echo = false;	/* dnsmasq: no duplicate on stderr */
		s->stamp = !o->foreground;
		s->kind = LOG_K_STDERR;
		return 0;
	}
	if (strlen(o->target) >= sizeof(s->path))
		return -ENAMETOOLONG;
	strcpy(s->path, o->target);
	if (log_open_file(s) < 0)
		return -errno;
	s->kind = LOG_K_FILE;
	return 0;
}

int
log_open(const struct log_opts *o)
{
	struct log_sink *s = &log_sink;
	const char *sock = o->syslog_path ? o->syslog_path : _PATH_LOG;
	int rc;

	log_close();
	if (strlen(sock) >= sizeof(s->addr.sun_path))
		return -ENAMETOOLONG;
	memset(&s->addr, 0, sizeof(s->addr));
	s->addr.sun_family = AF_UNIX;
	strcpy(s->addr.sun_path, sock);
	if (o->facility >= 0)
		s->facility = o->facility & LOG_FACMASK;
	else
		s->facility = o->debug ? LOG_LOCAL0 : LOG_DAEMON;
	s->echo = o->debug;
	s->stamp = true;
	tzset();
	rc = log_open_target(s, o);
	if (rc < 0)
		log_reset(s);
	return rc;
}

int
log_reopen(void)
{
	struct log_sink *s = &log_sink;
	int old = s->fd;

	if (s->kind != LOG_K_FILE)
		return 0;
	if (log_open_file(s) < 0) {
		int rc = -errno;

		s->fd = old;
		return rc;
	}
	close(old);
	return 0;
}

int
log_chown(uid_t uid)
{
	struct log_sink *s = &log_sink;
	struct stat st;

	if (s->kind != LOG_K_FILE || uid == 0)
		return 0;
	/* dnsmasq: a file created with group root becomes group-writable,
	 * so root-group processes can still write it once it is ours */
	if (getgid() == 0 && fstat(s->fd, &st) == 0 && st.st_gid == 0 &&
	    (st.st_mode & S_IWGRP) == 0)
		(void)fchmod(s->fd, S_IRUSR | S_IWUSR | S_IRGRP | S_IWGRP);
	if (fchown(s->fd, uid, (gid_t)-1) < 0)
		return -errno;
	return 0;
}

void
log_close(void)
{
	struct log_sink *s = &log_sink;

	log_settle(s);
	log_reset(s);
}

int
log_fd(void)
{
	const struct log_sink *s = &log_sink;

	if (s->kind == LOG_K_SYSLOG && s->count > 0 && s->connected &&
	    s->conn_good)
		return s->fd;
	return -1;
}

void
log_flush(void)
{
	struct log_sink *s = &log_sink;
	int saved = errno;

	if (s->kind == LOG_K_SYSLOG)
		log_drain(s);
	errno = saved;
}

unsigned long
log_lost(void)
{
	return log_sink.lost_total;
}

char *
log_escape(char *out, size_t outsz, const void *in, size_t inlen)
{
	const unsigned char *p = in;
	char tmp[8];
	size_t i, n, o = 0;

	if (outsz == 0)
		return out;
	for (i = 0; i < inlen; i++) {
		if (p[i] == '\\') {
			memcpy(tmp, "\\\\", 2);
			n = 2;
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			tmp[0] = (char)p[i];
			n = 1;
		} else {
			snprintf(tmp, sizeof(tmp), "\\%03o", (unsigned)p[i]);
			n = 4;
		}
		if (n > outsz - 1 - o)
			break;
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

char *
log_sanitise(char *out, size_t outsz, const void *in, size_t inlen)
{
	const unsigned char *p = in;
	size_t i, o = 0;

	if (outsz == 0)
		return out;
	for (i = 0; i < inlen && o < outsz - 1; i++)
		if (p[i] >= 0x20 && p[i] < 0x7f)
			out[o++] = (char)p[i];
	out[o] = '\0';
	return out;
}
