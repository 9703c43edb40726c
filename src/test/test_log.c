/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_log.c - the log sink: exact bytes of syslog datagrams, log file
 * lines and stderr lines against the shapes dnsmasq 2.90 was observed to
 * write (see the top of log.c), truncation, queueing, overflow counting,
 * reconnection, rotation, and the escape functions.
 *
 * The syslog socket is a datagram socket bound in a temporary directory;
 * stderr is captured by pointing descriptor 2 at a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* ctime() + 4 followed by a space: "Nov  5 09:04:05 " */
#define TS "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) " \
	"[ 123][0-9] [012][0-9]:[0-5][0-9]:[0-6][0-9] "

struct fx {
	char dir[64];
	char sock[128];		/* syslog socket path */
	char file[128];		/* log file path */
	char cap[128];		/* captured stderr */
	int rx;			/* bound syslog receiver, or -1 */
	int saved_err;		/* the real stderr while capturing, or -1 */
	char pid[16];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	strcpy(f->dir, "/tmp/pxemasq-log-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->sock, sizeof(f->sock), "%s/log", f->dir);
	snprintf(f->file, sizeof(f->file), "%s/pxemasq.log", f->dir);
	snprintf(f->cap, sizeof(f->cap), "%s/stderr", f->dir);
	snprintf(f->pid, sizeof(f->pid), "%d", (int)getpid());
	f->rx = -1;
	f->saved_err = -1;
	umask(022);
	*state = f;
	return 0;
}

static void
rx_close(struct fx *f)
{
	if (f->rx >= 0)
		close(f->rx);
	f->rx = -1;
	unlink(f->sock);
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char p[192];

	log_close();
	if (f->saved_err >= 0) {
		dup2(f->saved_err, STDERR_FILENO);
		close(f->saved_err);
	}
	rx_close(f);
	unlink(f->file);
	unlink(f->cap);
	snprintf(p, sizeof(p), "%s.1", f->file);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Binds the syslog receiver at f->sock. */
static void
rx_bind(struct fx *f)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	f->rx = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(f->rx >= 0);
	strcpy(a.sun_path, f->sock);
	assert_int_equal(bind(f->rx, (struct sockaddr *)&a, sizeof(a)), 0);
}

/* One datagram into buf (NUL added), or -1 when none is waiting. */
static ssize_t
rx_recv(struct fx *f, char *buf, size_t sz)
{
	ssize_t n = recv(f->rx, buf, sz - 1, MSG_DONTWAIT);

	buf[n < 0 ? 0 : n] = '\0';
	return n;
}

static void
cap_begin(struct fx *f)
{
	int fd = open(f->cap, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	f->saved_err = dup(STDERR_FILENO);
	assert_true(f->saved_err >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

static size_t
read_file(const char *path, char *buf, size_t sz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t len = 0;

	assert_true(fd >= 0);
	while ((n = read(fd, buf + len, sz - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* Restores stderr and returns what was written to it. */
static size_t
cap_end(struct fx *f, char *buf, size_t sz)
{
	dup2(f->saved_err, STDERR_FILENO);
	close(f->saved_err);
	f->saved_err = -1;
	return read_file(f->cap, buf, sz);
}

/* Asserts that s matches the extended regular expression re (anchored). */
static void
assert_re(const char *re, const char *s)
{
	regex_t rx;
	int rc;

	assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&rx, s, 0, NULL, 0);
	regfree(&rx);
	if (rc != 0)
		fail_msg("\"%s\" does not match /%s/", s, re);
}

static void
open_syslog(struct fx *f, int facility, bool debug)
{
	struct log_opts o = { .target = NULL, .facility = facility,
		.debug = debug, .syslog_path = f->sock };

	assert_int_equal(log_open(&o), 0);
}

static void
open_target(struct fx *f, const char *target, bool debug, bool fg)
{
	struct log_opts o = { .target = target, .facility = -1,
		.debug = debug, .foreground = fg, .syslog_path = f->sock };

	assert_int_equal(log_open(&o), 0);
}

/* The exact datagram: "<PRI>" TS "TAG[PID]: MSG", no terminator. */
static void
expect_dgram(struct fx *f, int pri, const char *tag, const char *msg)
{
	char buf[2048], re[1200];
	ssize_t n = rx_recv(f, buf, sizeof(buf));

	assert_true(n > 0);
	assert_int_equal(strlen(buf), (size_t)n);	/* no NUL inside */
	snprintf(re, sizeof(re), "^<%d>" TS "%s\\[%s\\]: %s$", pri, tag,
	    f->pid, msg);
	assert_re(re, buf);
	assert_int_not_equal(buf[n - 1], '\n');
}

static const struct sev_row {
	const char *name;
	enum log_svc svc;
	int sev;
	const char *tag;
} sev_rows[] = {
	{ "main info", LOG_SVC_MAIN, LOG_INFO, "pxemasq" },
	{ "dhcp err", LOG_SVC_DHCP, LOG_ERR, "pxemasq-dhcp" },
	{ "tftp warning", LOG_SVC_TFTP, LOG_WARNING, "pxemasq-tftp" },
	{ "script debug", LOG_SVC_SCRIPT, LOG_DEBUG, "pxemasq-script" },
	{ "log-debug line", LOG_SVC_DEBUG, LOG_DEBUG, "pxemasq-debug" },
	{ "main crit", LOG_SVC_MAIN, LOG_CRIT, "pxemasq" },
	{ "dhcp notice", LOG_SVC_DHCP, LOG_NOTICE, "pxemasq-dhcp" },
};

/* Default facility DAEMON (<30> for info, as dnsmasq -k), no echo. */
static void
syslog_daemon_datagrams(void **state)
{
	struct fx *f = *state;
	char err[256];
	size_t i;

	rx_bind(f);
	cap_begin(f);
	open_syslog(f, -1, false);
	for (i = 0; i < sizeof(sev_rows) / sizeof(sev_rows[0]); i++)
		log_msg(sev_rows[i].svc, sev_rows[i].sev, "%s %d",
		    sev_rows[i].name, 42);
	assert_int_equal(cap_end(f, err, sizeof(err)), 0);
	for (i = 0; i < sizeof(sev_rows) / sizeof(sev_rows[0]); i++) {
		char m[64];

		snprintf(m, sizeof(m), "%s 42", sev_rows[i].name);
		expect_dgram(f, LOG_DAEMON | sev_rows[i].sev, sev_rows[i].tag,
		    m);
	}
	assert_int_equal(log_lost(), 0);
	assert_int_equal(log_fd(), -1);
}

/* -d: facility LOCAL0 (<134> for info, as dnsmasq -d) and the echo. */
static void
syslog_debug_local0_echo(void **state)
{
	struct fx *f = *state;
	char err[512];

	rx_bind(f);
	cap_begin(f);
	open_syslog(f, -1, true);
	log_info(LOG_SVC_MAIN, "started, version %s", "0.1.0");
	log_err(LOG_SVC_DHCP, "DHCPOFFER(eth0) 192.0.2.7 52:54:00:12:34:56 ");
	log_warn(LOG_SVC_TFTP, "file %s not found", "/srv/x");
	cap_end(f, err, sizeof(err));
	expect_dgram(f, 134, "pxemasq", "started, version 0\\.1\\.0");
	expect_dgram(f, LOG_LOCAL0 | LOG_ERR, "pxemasq-dhcp",
	    "DHCPOFFER\\(eth0\\) 192\\.0\\.2\\.7 52:54:00:12:34:56 ");
	expect_dgram(f, LOG_LOCAL0 | LOG_WARNING, "pxemasq-tftp",
	    "file /srv/x not found");
	assert_string_equal(err, "pxemasq: started, version 0.1.0\n"
	    "pxemasq-dhcp: DHCPOFFER(eth0) 192.0.2.7 52:54:00:12:34:56 \n"
	    "pxemasq-tftp: file /srv/x not found\n");
}

/* log-facility=NAME wins over -d's LOCAL0 (dnsmasq: LOCAL3 -> <158>,
 * daemon with -d -> <30>); severity bits beyond 7 are masked. */
static void
syslog_named_facility(void **state)
{
	struct fx *f = *state;
	char err[256];

	rx_bind(f);
	open_syslog(f, LOG_LOCAL3, false);
	log_info(LOG_SVC_MAIN, "a");
	expect_dgram(f, 158, "pxemasq", "a");
	cap_begin(f);
	open_syslog(f, LOG_DAEMON, true);
	log_info(LOG_SVC_MAIN, "b");
	log_msg(LOG_SVC_MAIN, LOG_INFO | LOG_LOCAL1, "c");
	cap_end(f, err, sizeof(err));
	expect_dgram(f, 30, "pxemasq", "b");
	expect_dgram(f, 30, "pxemasq", "c");
	assert_string_equal(err, "pxemasq: b\npxemasq: c\n");
}

/* log-facility=/path: timestamped lines, file created 0640, no PRI. */
static void
file_lines(void **state)
{
	struct fx *f = *state;
	char buf[1024], re[512], err[64];
	struct stat st;

	cap_begin(f);
	open_target(f, f->file, false, true);
	log_info(LOG_SVC_MAIN, "started, version 0.1.0");
	log_info(LOG_SVC_DHCP, "DHCPACK(eth0) 192.0.2.7 52:54:00:12:34:56 pc");
	log_close();
	assert_int_equal(cap_end(f, err, sizeof(err)), 0);
	read_file(f->file, buf, sizeof(buf));
	snprintf(re, sizeof(re), "^" TS "pxemasq\\[%s\\]: started, version "
	    "0\\.1\\.0\n" TS "pxemasq-dhcp\\[%s\\]: DHCPACK\\(eth0\\) "
	    "192\\.0\\.2\\.7 52:54:00:12:34:56 pc\n$", f->pid, f->pid);
	assert_re(re, buf);
	assert_int_equal(stat(f->file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
}

/* Appends to an existing file; -d echoes "TAG: MSG" on stderr. */
static void
file_append_debug_echo(void **state)
{
	struct fx *f = *state;
	char buf[1024], re[512], err[256];
	int fd;

	fd = open(f->file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "old\n", 4), 4);
	close(fd);
	cap_begin(f);
	open_target(f, f->file, true, false);
	log_info(LOG_SVC_TFTP, "sent /srv/tftp/pxelinux.0 to 192.0.2.7");
	log_close();
	cap_end(f, err, sizeof(err));
	assert_string_equal(err,
	    "pxemasq-tftp: sent /srv/tftp/pxelinux.0 to 192.0.2.7\n");
	read_file(f->file, buf, sizeof(buf));
	snprintf(re, sizeof(re), "^old\n" TS "pxemasq-tftp\\[%s\\]: sent "
	    "/srv/tftp/pxelinux\\.0 to 192\\.0\\.2\\.7\n$", f->pid);
	assert_re(re, buf);
}

/* log-facility=- with -k: no timestamp (dnsmasq: `!log_stderr ||
 * !OPT_NO_FORK`); with -d too: one line, no echo. */
static void
stderr_target_foreground(void **state)
{
	struct fx *f = *state;
	char err[256], want[256];

	cap_begin(f);
	open_target(f, "-", true, true);
	log_info(LOG_SVC_MAIN, "started");
	log_warn(LOG_SVC_SCRIPT, "x y");
	log_close();
	log_info(LOG_SVC_MAIN, "closed");
	cap_end(f, err, sizeof(err));
	snprintf(want, sizeof(want), "pxemasq[%s]: started\n"
	    "pxemasq-script[%s]: x y\npxemasq: closed\n", f->pid, f->pid);
	assert_string_equal(err, want);
}

/* log-facility=- without -k (e.g. -d alone): timestamped, no echo. */
static void
stderr_target_stamped(void **state)
{
	struct fx *f = *state;
	char err[256], re[512];

	cap_begin(f);
	open_target(f, "-", true, false);
	log_info(LOG_SVC_DHCP, "m");
	log_close();
	cap_end(f, err, sizeof(err));
	snprintf(re, sizeof(re), "^" TS "pxemasq-dhcp\\[%s\\]: m\n$", f->pid);
	assert_re(re, err);
}

/* Before log_open() and after log_close(): "TAG: MSG" on stderr. */
static void
early_stderr(void **state)
{
	struct fx *f = *state;
	char err[256];

	cap_begin(f);
	log_err(LOG_SVC_MAIN, "cannot open log %s: %s", "/x", "No such file");
	log_info(LOG_SVC_DHCP, "d");
	cap_end(f, err, sizeof(err));
	assert_string_equal(err,
	    "pxemasq: cannot open log /x: No such file\npxemasq-dhcp: d\n");
}

/* RFC 3164: an entry is at most 1024 bytes with its terminator, so a
 * datagram at most 1023 and a file line at most 1023 + newline. */
static void
truncation(void **state)
{
	struct fx *f = *state;
	char big[3000], buf[4096];
	size_t hdr;
	ssize_t n;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	rx_bind(f);
	open_syslog(f, -1, false);
	log_info(LOG_SVC_MAIN, "%s", big);
	n = rx_recv(f, buf, sizeof(buf));
	assert_int_equal(n, LOG_MAX_MESSAGE - 1);
	assert_int_equal(buf[n - 1], 'a');
	/* A message that exactly fills the entry is kept whole... */
	hdr = (size_t)(strchr(buf, ']') - buf) + 3;	/* "]: " */
	big[LOG_MAX_MESSAGE - 1 - hdr] = '\0';
	log_info(LOG_SVC_MAIN, "%sZ", big + 1);
	n = rx_recv(f, buf, sizeof(buf));
	assert_int_equal(n, LOG_MAX_MESSAGE - 1);
	assert_int_equal(buf[n - 1], 'Z');
	/* ...one more byte is cut. */
	log_info(LOG_SVC_MAIN, "%sZ", big);
	n = rx_recv(f, buf, sizeof(buf));
	assert_int_equal(n, LOG_MAX_MESSAGE - 1);
	assert_int_equal(buf[n - 1], 'a');

	big[LOG_MAX_MESSAGE - 1 - hdr] = 'a';
	open_target(f, f->file, false, false);
	log_info(LOG_SVC_MAIN, "%s", big);
	log_close();
	assert_int_equal(read_file(f->file, buf, sizeof(buf)),
	    LOG_MAX_MESSAGE);
	assert_int_equal(buf[LOG_MAX_MESSAGE - 1], '\n');
	assert_int_equal(buf[LOG_MAX_MESSAGE - 2], 'a');
}

/* Counts the overflow report in received datagrams and checks order:
 * messages are "m<N>" with increasing N, the report comes last. */
struct rx_tally {
	int got, last_seq;
	unsigned long reported;
	bool report_last;
};

static void
rx_tally_one(struct fx *f, struct rx_tally *t, const char *buf)
{
	const char *m = strstr(buf, "]: ");
	unsigned long lost;
	int seq;

	assert_non_null(m);
	m += 3;
	if (sscanf(m, "overflow: %lu log entries lost", &lost) == 1) {
		char re[512];

		snprintf(re, sizeof(re), "^<28>" TS "pxemasq\\[%s\\]: "
		    "overflow: [0-9]+ log entries lost$", f->pid);
		assert_re(re, buf);
		t->reported += lost;
		t->report_last = true;
		return;
	}
	assert_int_equal(sscanf(m, "m%d", &seq), 1);
	assert_true(seq > t->last_seq);
	t->last_seq = seq;
	t->got++;
	t->report_last = false;
}

/* Reads the receiver and lets the sink write until both are idle. */
static void
rx_drain(struct fx *f, struct rx_tally *t)
{
	char buf[2048];
	int idle = 0;

	while (idle < 3) {
		bool any = false;

		while (rx_recv(f, buf, sizeof(buf)) > 0) {
			rx_tally_one(f, t, buf);
			any = true;
		}
		log_flush();
		idle = any || log_fd() != -1 ? 0 : idle + 1;
	}
}

/* A receiver that does not read: the socket would block, entries queue
 * (log_fd() is to be polled, and is not writable), then are lost; once the
 * receiver reads, log_fd() becomes writable, the queue drains, and
 * "overflow: N log entries lost" reports exactly the losses. */
static void
queue_overflow(void **state)
{
	struct fx *f = *state;
	struct rx_tally t = { .last_seq = -1 };
	struct pollfd p;
	int i, sent;

	rx_bind(f);
	open_syslog(f, -1, false);
	for (i = 0; i < 100000 && log_lost() == 0; i++)
		log_info(LOG_SVC_MAIN, "m%d", i);
	assert_int_equal(log_lost(), 1);
	for (sent = i; sent < i + 10; sent++)
		log_info(LOG_SVC_MAIN, "m%d", sent);
	assert_int_equal(log_lost(), 11);
	p.fd = log_fd();
	p.events = POLLOUT;
	assert_true(p.fd >= 0);
	assert_int_equal(poll(&p, 1, 0), 0);

	rx_drain(f, &t);
	assert_int_equal(log_fd(), -1);
	assert_int_equal(t.got + (int)log_lost(), sent);
	assert_int_equal(t.reported, 11);
	assert_true(t.report_last);
}

/* log_fd() turns writable when the receiver reads. */
static void
queue_poll_writable(void **state)
{
	struct fx *f = *state;
	char buf[2048];
	struct pollfd p;
	int i;

	rx_bind(f);
	open_syslog(f, -1, false);
	for (i = 0; i < 100000 && log_fd() == -1; i++)
		log_info(LOG_SVC_MAIN, "m%d", i);
	p.fd = log_fd();
	p.events = POLLOUT;
	assert_true(p.fd >= 0);
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_true(rx_recv(f, buf, sizeof(buf)) > 0);
	assert_int_equal(poll(&p, 1, 1000), 1);
	assert_true(p.revents & POLLOUT);
	log_flush();
}

/* No syslog socket at start: nothing blocks, LOG_QUEUE_MAX entries wait,
 * the rest are counted; when the socket appears the queue is written in
 * order and the loss reported.  When syslogd goes away and comes back,
 * entries wait and are delivered at the next message. */
static void
reconnect(void **state)
{
	struct fx *f = *state;
	struct rx_tally t = { .last_seq = -1 };
	char buf[2048], err[64];
	int i;

	cap_begin(f);
	open_syslog(f, -1, false);
	for (i = 0; i < LOG_QUEUE_MAX + 6; i++)
		log_info(LOG_SVC_MAIN, "m%d", i);
	assert_int_equal(log_lost(), 6);
	assert_int_equal(log_fd(), -1);
	rx_bind(f);
	log_flush();
	rx_drain(f, &t);
	assert_int_equal(t.got, LOG_QUEUE_MAX);
	assert_int_equal(t.last_seq, LOG_QUEUE_MAX - 1);
	assert_int_equal(t.reported, 6);
	assert_true(t.report_last);

	rx_close(f);
	log_info(LOG_SVC_MAIN, "down");
	assert_int_equal(log_fd(), -1);
	rx_bind(f);
	log_info(LOG_SVC_DHCP, "up");
	assert_int_equal(cap_end(f, err, sizeof(err)), 0);
	expect_dgram(f, 30, "pxemasq", "down");
	expect_dgram(f, 30, "pxemasq-dhcp", "up");
	assert_true(rx_recv(f, buf, sizeof(buf)) < 0);
	assert_int_equal(log_lost(), 6);
}

/* SIGUSR2 rotation: after rename + log_reopen() lines go to a new file. */
static void
reopen_after_rotation(void **state)
{
	struct fx *f = *state;
	char old[192], buf[512], re[512];

	snprintf(old, sizeof(old), "%s.1", f->file);
	open_target(f, f->file, false, false);
	log_info(LOG_SVC_MAIN, "before");
	assert_int_equal(rename(f->file, old), 0);
	log_info(LOG_SVC_MAIN, "between");
	assert_int_equal(log_reopen(), 0);
	log_info(LOG_SVC_MAIN, "after");
	log_close();
	read_file(old, buf, sizeof(buf));
	snprintf(re, sizeof(re), "^" TS "pxemasq\\[%s\\]: before\n" TS
	    "pxemasq\\[%s\\]: between\n$", f->pid, f->pid);
	assert_re(re, buf);
	read_file(f->file, buf, sizeof(buf));
	snprintf(re, sizeof(re), "^" TS "pxemasq\\[%s\\]: after\n$", f->pid);
	assert_re(re, buf);
}

/* A file that cannot be opened is an error (exit 3 in the caller), and
 * the sink stays on stderr; an over-long socket path is refused. */
static void
open_errors(void **state)
{
	struct fx *f = *state;
	struct log_opts o = { .target = "/nonexistent/dir/x.log",
		.facility = -1 };
	char longp[200], err[64];

	assert_int_equal(log_open(&o), -ENOENT);
	memset(longp, 'x', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	o.target = NULL;
	o.syslog_path = longp;
	assert_int_equal(log_open(&o), -ENAMETOOLONG);
	assert_int_equal(log_reopen(), 0);
	cap_begin(f);
	log_info(LOG_SVC_MAIN, "still here");
	cap_end(f, err, sizeof(err));
	assert_string_equal(err, "pxemasq: still here\n");
}

/* A log file that fails (ENOSPC on /dev/full) is abandoned for syslog
 * with "log failed: ..." at LOG_CRIT, as dnsmasq does. */
static void
file_failure_falls_back(void **state)
{
	struct fx *f = *state;

	rx_bind(f);
	open_target(f, "/dev/full", false, false);
	log_info(LOG_SVC_MAIN, "lost");
	log_info(LOG_SVC_DHCP, "y");
	expect_dgram(f, LOG_DAEMON | LOG_CRIT, "pxemasq",
	    "log failed: No space left on device");
	expect_dgram(f, 30, "pxemasq-dhcp", "y");
	assert_int_equal(log_lost(), 1);
}

/* dnsmasq's die(): "\n" + echo, message and "FAILED to start up" in the
 * log; before log_open() only the echo. */
static void
fatal(void **state)
{
	struct fx *f = *state;
	char err[256], buf[512], re[512];

	cap_begin(f);
	log_fatal("bad %s", "thing");
	open_target(f, f->file, false, false);
	log_fatal("cannot read %s: %s", "/x", "Permission denied");
	log_close();
	cap_end(f, err, sizeof(err));
	assert_string_equal(err, "\npxemasq: bad thing\n"
	    "\npxemasq: cannot read /x: Permission denied\n");
	read_file(f->file, buf, sizeof(buf));
	snprintf(re, sizeof(re), "^" TS "pxemasq\\[%s\\]: cannot read /x: "
	    "Permission denied\n" TS "pxemasq\\[%s\\]: FAILED to start up\n$",
	    f->pid, f->pid);
	assert_re(re, buf);
}

/* With log-facility=- the fatal message is not echoed a second time. */
static void
fatal_stderr_target(void **state)
{
	struct fx *f = *state;
	char err[256], want[256];

	cap_begin(f);
	open_target(f, "-", false, true);
	log_fatal("boom");
	log_close();
	cap_end(f, err, sizeof(err));
	snprintf(want, sizeof(want), "pxemasq[%s]: boom\n"
	    "pxemasq[%s]: FAILED to start up\n", f->pid, f->pid);
	assert_string_equal(err, want);
}

/* dnsmasq gives the log file to its run user and, when we are group root
 * and the file has group root, makes it group-writable (observed:
 * -rw-rw---- nobody root). */
static void
chown_file(void **state)
{
	struct fx *f = *state;
	struct stat st;
	int rc;

	open_target(f, f->file, false, false);
	assert_int_equal(log_chown(0), 0);
	rc = log_chown(65534);
	assert_int_equal(stat(f->file, &st), 0);
	if (geteuid() != 0) {
		assert_int_equal(rc, -EPERM);
		return;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(st.st_uid, 65534);
	if (getgid() == 0 && st.st_gid == 0)
		assert_int_equal(st.st_mode & 07777, 0660);
}

/* A stream /dev/log (connect gives EPROTOTYPE): dnsmasq switches socket
 * type and ends every record with a NUL. */
static void
syslog_stream_socket(void **state)
{
	struct fx *f = *state;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char buf[512], re[512];
	size_t len = 0;
	ssize_t n;
	int c;

	f->rx = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(f->rx >= 0);
	strcpy(a.sun_path, f->sock);
	assert_int_equal(bind(f->rx, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(f->rx, 4), 0);
	open_syslog(f, -1, false);
	log_info(LOG_SVC_MAIN, "a");
	log_warn(LOG_SVC_DHCP, "b");
	c = accept(f->rx, NULL, NULL);
	assert_true(c >= 0);
	log_close();
	while ((n = read(c, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(c);
	assert_int_equal(buf[len - 1], '\0');
	assert_non_null(memchr(buf, '\0', len - 1));
	for (n = 0; n < (ssize_t)len - 1; n++)
		if (buf[n] == '\0')
			buf[n] = '|';
	snprintf(re, sizeof(re), "^<30>" TS "pxemasq\\[%s\\]: a\\|<28>" TS
	    "pxemasq-dhcp\\[%s\\]: b$", f->pid, f->pid);
	assert_re(re, buf);
}

/* The timestamp is ctime() + 4, 15 characters, exactly as dnsmasq. */
static void
stamp_is_ctime(void **state)
{
	struct fx *f = *state;
	char buf[256], a[32], b[32];
	time_t t0, t1;

	rx_bind(f);
	open_syslog(f, -1, false);
	t0 = time(NULL);
	log_info(LOG_SVC_MAIN, "t");
	t1 = time(NULL);
	assert_true(rx_recv(f, buf, sizeof(buf)) > 0);
	snprintf(a, sizeof(a), "%.15s ", ctime(&t0) + 4);
	snprintf(b, sizeof(b), "%.15s ", ctime(&t1) + 4);
	assert_true(strncmp(buf + 4, a, 16) == 0 ||
	    strncmp(buf + 4, b, 16) == 0);
}

/* Entries queued before a fork() are written by the parent only (dnsmasq:
 * "avoid duplicates over a fork"); the child's own entries carry its pid. */
static void
fork_no_duplicates(void **state)
{
	struct fx *f = *state;
	char buf[256], re[256];
	int go[2], st;
	pid_t child;

	open_syslog(f, -1, false);
	log_info(LOG_SVC_MAIN, "queued");
	assert_int_equal(pipe(go), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		log_info(LOG_SVC_SCRIPT, "child");
		_exit(log_lost() == 0 ? 0 : 2);
	}
	close(go[0]);
	rx_bind(f);
	assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(rx_recv(f, buf, sizeof(buf)) > 0);
	snprintf(re, sizeof(re), "^<30>" TS "pxemasq-script\\[%d\\]: child$",
	    (int)child);
	assert_re(re, buf);
	assert_true(rx_recv(f, buf, sizeof(buf)) < 0);
	log_flush();
	expect_dgram(f, 30, "pxemasq", "queued");
	assert_true(rx_recv(f, buf, sizeof(buf)) < 0);
}

static const struct esc_row {
	const char *name;
	const char *in;
	size_t inlen;
	size_t outsz;
	const char *esc;	/* log_escape */
	const char *san;	/* log_sanitise */
} esc_rows[] = {
	{ "plain", "PXEClient:Arch:00000", 20, 64, "PXEClient:Arch:00000",
	  "PXEClient:Arch:00000" },
	{ "empty", "", 0, 8, "", "" },
	{ "controls", "a\nb\tc\r", 6, 64, "a\\012b\\011c\\015", "abc" },
	{ "nul inside", "a\0b", 3, 64, "a\\000b", "ab" },
	{ "high bytes", "\xff\x80~", 3, 64, "\\377\\200~", "~" },
	{ "del", "\x7f", 1, 64, "\\177", "" },
	{ "backslash", "a\\b", 3, 64, "a\\\\b", "a\\b" },
	{ "space kept", " x ", 3, 64, " x ", " x " },
	{ "cut plain", "abcdef", 6, 4, "abc", "abc" },
	{ "escape not cut", "ab\001", 3, 5, "ab", "ab" },
	{ "escape fits", "ab\001", 3, 7, "ab\\001", "ab" },
	{ "backslash not cut", "abc\\", 4, 5, "abc", "abc\\" },
	{ "size one", "abc", 3, 1, "", "" },
};

static void
escape_table(void **state)
{
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(esc_rows) / sizeof(esc_rows[0]); i++) {
		const struct esc_row *r = &esc_rows[i];

		memset(out, 'X', sizeof(out));
		assert_ptr_equal(log_escape(out, r->outsz, r->in, r->inlen),
		    out);
		if (strcmp(out, r->esc) != 0)
			fail_msg("escape row %s: got \"%s\"", r->name, out);
		memset(out, 'X', sizeof(out));
		log_sanitise(out, r->outsz, r->in, r->inlen);
		if (strcmp(out, r->san) != 0)
			fail_msg("sanitise row %s: got \"%s\"", r->name, out);
	}
	out[0] = 'X';
	log_escape(out, 0, "abc", 3);
	log_sanitise(out, 0, "abc", 3);
	assert_int_equal(out[0], 'X');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(syslog_daemon_datagrams,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(syslog_debug_local0_echo,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(syslog_named_facility,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(file_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(file_append_debug_echo,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(stderr_target_foreground,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(stderr_target_stamped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(early_stderr, setup, teardown),
		cmocka_unit_test_setup_teardown(truncation, setup, teardown),
		cmocka_unit_test_setup_teardown(queue_overflow, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(queue_poll_writable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(reopen_after_rotation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(open_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(file_failure_falls_back,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(fatal, setup, teardown),
		cmocka_unit_test_setup_teardown(fatal_stderr_target, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(chown_file, setup, teardown),
		cmocka_unit_test_setup_teardown(syslog_stream_socket, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(stamp_is_ctime, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(fork_no_duplicates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(escape_table, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
