/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * metrics.c - the --metrics-listen HTTP/1.0 responder (see metrics.h).
 */
#include "metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "ev.h"
#include "log.h"

/* --- the request head (pure) -------------------------------------------- */

/*
 * The next line of r: *line and *n without its LF (skipped) or a CR just
 * before it.  False when r holds no LF (r unchanged).
 */
static bool
metrics_http_line(struct rd *r, const uint8_t **line, size_t *n)
{
	struct rd look = *r;
	size_t left = rd_left(r);
	const uint8_t *p, *lf;

	if (left == 0 || (p = rd_ptr(&look, left)) == NULL ||
	    (lf = memchr(p, '\n', left)) == NULL)
		return false;
	*line = p;
	*n = (size_t)(lf - p);
	rd_skip(r, *n + 1);
	if (*n > 0 && p[*n - 1] == '\r')
		(*n)--;
	return true;
}

/* Length of the token at p (visible ASCII, RFC 1945's CHAR minus CTLs and
 * SP), up to n. */
static size_t
metrics_http_token(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && p[i] > 0x20 && p[i] < 0x7f; i++)
		;
	return i;
}

/* "HTTP/" 1*DIGIT "." 1*DIGIT (RFC 1945 section 3.1). */
static bool
metrics_http_version(const uint8_t *p, size_t n)
{
	size_t i = 5, d;

	if (n < 8 || memcmp(p, "HTTP/", 5) != 0)
		return false;
	for (d = i; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		;
	if (i == d || i >= n || p[i++] != '.')
		return false;
	for (d = i; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		;
	return i > d && i == n;
}

/* Method SP Request-URI SP HTTP-Version: BAD, METHOD or OK (req set). */
static enum metrics_http_verdict
metrics_http_reqline(const uint8_t *p, size_t n, struct metrics_http_req *req)
{
	size_t m = metrics_http_token(p, n), u, v;
	const uint8_t *uri, *q;

	if (m == 0 || m >= n || p[m] != ' ')
		return METRICS_HTTP_BAD;
	uri = p + m + 1;
	u = metrics_http_token(uri, n - m - 1);
	if (u == 0 || m + 1 + u >= n || uri[u] != ' ')
		return METRICS_HTTP_BAD;	/* HTTP/0.9 lands here */
	v = n - m - 1 - u - 1;
	if (!metrics_http_version(uri + u + 1, v))
		return METRICS_HTTP_BAD;
	req->head = m == 4 && memcmp(p, "HEAD", 4) == 0;
	if (!req->head && !(m == 3 && memcmp(p, "GET", 3) == 0))
		return METRICS_HTTP_METHOD;
	q = memchr(uri, '?', u);
	req->path = uri;
	req->path_len = q != NULL ? (size_t)(q - uri) : u;
	return METRICS_HTTP_OK;
}

enum metrics_http_verdict
metrics_http_parse(const uint8_t *p, size_t len, struct metrics_http_req *req)
{
	enum metrics_http_verdict v;
	const uint8_t *line;
	struct rd r;
	size_t n;

	memset(req, 0, sizeof(*req));
	if (len > METRICS_REQ_MAX)
		len = METRICS_REQ_MAX;
	rd_init(&r, p, len);
	if (!metrics_http_line(&r, &line, &n))
		return len == METRICS_REQ_MAX ? METRICS_HTTP_TOO_LARGE :
		    METRICS_HTTP_PARTIAL;
	v = metrics_http_reqline(line, n, req);
	if (v == METRICS_HTTP_BAD)
		return v;
	do {
		if (!metrics_http_line(&r, &line, &n))
			return len == METRICS_REQ_MAX ?
			    METRICS_HTTP_TOO_LARGE : METRICS_HTTP_PARTIAL;
		if (memchr(line, '\0', n) != NULL)
			return METRICS_HTTP_BAD;
	} while (n > 0);
	return v;
}

/* --- the server --------------------------------------------------------- */

struct metrics_conn {
	struct metrics *ms;
	struct ev_io io;
	struct ev_timer tm;
	uint8_t req[METRICS_REQ_MAX];
	size_t reqlen;
	struct mx out;
	size_t outoff;
	bool replying;
};

struct metrics {
	struct ev_loop *ev;
	struct ev_io lio;
	char where[INET6_ADDRSTRLEN + 8];
	metrics_render_fn *render;
	void *render_arg;
	struct metrics_conn *conns[METRICS_CONN_MAX];
	unsigned long scrapes, refused, bad, timeouts, not_found;
};

bool
metrics_wanted(const struct conf *cf)
{
	return cf->metrics_family != 0;
}

static void
metrics_conn_free(struct metrics_conn *k)
{
	struct metrics *ms = k->ms;
	unsigned i;

	for (i = 0; i < METRICS_CONN_MAX; i++)
		if (ms->conns[i] == k)
			ms->conns[i] = NULL;
	ev_timer_cancel(ms->ev, &k->tm);
	if (k->io.added)
		ev_io_del(ms->ev, &k->io);
	close(k->io.fd);
	mx_free(&k->out);
	free(k);
}

static void
metrics_reply(struct metrics_conn *k, const char *status, bool body,
    bool head)
{
	struct mx b;

	mx_init(&b);
	if (body && k->ms->render != NULL)
		k->ms->render(k->ms->render_arg, &b);
	if (!body)
		mx_printf(&b, "%s\n", status);
	if (b.oom) {
		mx_free(&b);
		mx_init(&b);
		status = "500 Internal Server Error";
		mx_printf(&b, "%s\n", status);
	}
	mx_printf(&k->out, "HTTP/1.0 %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n", status,
	    body ? "text/plain; version=0.0.4; charset=utf-8" :
	    "text/plain; charset=utf-8", b.len);
	if (!head && b.len > 0)
		mx_printf(&k->out, "%.*s", (int)b.len, b.buf);
	mx_free(&b);
	k->replying = true;
	ev_io_mod(k->ms->ev, &k->io, EPOLLOUT);
}

/* Answers once metrics_http_parse() has a verdict. */
static void
metrics_request(struct metrics_conn *k)
{
	struct metrics_http_req req;
	struct metrics *ms = k->ms;

	switch (metrics_http_parse(k->req, k->reqlen, &req)) {
	case METRICS_HTTP_PARTIAL:
		return;
	case METRICS_HTTP_BAD:
		ms->bad++;
		metrics_reply(k, "400 Bad Request", false, false);
		return;
	case METRICS_HTTP_METHOD:
		ms->bad++;
		metrics_reply(k, "405 Method Not Allowed", false, false);
		return;
	case METRICS_HTTP_TOO_LARGE:
		ms->bad++;
		metrics_reply(k, "431 Request Header Fields Too Large", false,
		    false);
		return;
	case METRICS_HTTP_OK:
		break;
	}
	if (req.path_len != 8 || memcmp(req.path, "/metrics", 8) != 0) {
		ms->not_found++;
		metrics_reply(k, "404 Not Found", false, req.head);
	} else {
		ms->scrapes++;
		metrics_reply(k, "200 OK", true, req.head);
	}
}

static void
metrics_conn_read(struct metrics_conn *k)
{
	ssize_t n;

	n = read(k->io.fd, k->req + k->reqlen, sizeof(k->req) - k->reqlen);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		metrics_conn_free(k);
		return;
	}
	k->reqlen += (size_t)n;
	metrics_request(k);
}

static void
metrics_conn_write(struct metrics_conn *k)
{
	ssize_t n;

	n = send(k->io.fd, k->out.buf + k->outoff, k->out.len - k->outoff,
	    MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		metrics_conn_free(k);
		return;
	}
	k->outoff += (size_t)n;
	if (k->outoff >= k->out.len)
		metrics_conn_free(k);
}

static void
metrics_conn_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct metrics_conn *k = io->data;

	(void)ev;
	if (k->replying && (revents & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
		metrics_conn_write(k);
	else if (!k->replying)
		metrics_conn_read(k);
}

static void
metrics_conn_timeout(struct ev_loop *ev, struct ev_timer *t)
{
	struct metrics_conn *k = t->data;

	(void)ev;
	k->ms->timeouts++;
	metrics_conn_free(k);
}

static void
metrics_accept_one(struct metrics *ms, int fd)
{
	struct metrics_conn *k;
	unsigned i;

	for (i = 0; i < METRICS_CONN_MAX && ms->conns[i] != NULL; i++)
		;
	if (i == METRICS_CONN_MAX || (k = calloc(1, sizeof(*k))) == NULL) {
		ms->refused++;
		close(fd);
		return;
	}
	k->ms = ms;
	k->io.fd = fd;
	k->io.events = EPOLLIN;
	k->io.cb = metrics_conn_cb;
	k->io.data = k;
	ev_timer_init(&k->tm, metrics_conn_timeout, k);
	if (ev_io_add(ms->ev, &k->io) < 0) {
		close(fd);
		free(k);
		return;
	}
	ms->conns[i] = k;
	ev_timer_arm(ms->ev, &k->tm, ev_now_ms(ms->ev) + METRICS_TIMEOUT_MS);
}

static void
metrics_accept_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct metrics *ms = io->data;
	unsigned n;
	int fd;

	(void)ev;
	(void)revents;
	for (n = 0; n < 16; n++) {
		fd = accept4(io->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		metrics_accept_one(ms, fd);
	}
}

static int
metrics_socket(const struct conf *cf, char *where, size_t wsz)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char a[INET6_ADDRSTRLEN];
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (cf->metrics_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(cf->metrics_port);
		memcpy(&s6->sin6_addr, cf->metrics_addr, 16);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(cf->metrics_port);
		memcpy(&s4->sin_addr, cf->metrics_addr, 4);
		sl = sizeof(*s4);
	}
	inet_ntop(cf->metrics_family, cf->metrics_addr, a, sizeof(a));
	snprintf(where, wsz, "%s#%u", a, (unsigned)cf->metrics_port);
	fd = socket(cf->metrics_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (cf->metrics_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 ||
	    listen(fd, METRICS_CONN_MAX * 2) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

struct metrics *
metrics_open(struct ev_loop *ev, const struct conf *cf, char *msg,
    size_t msgsz)
{
	struct metrics *ms = calloc(1, sizeof(*ms));
	int fd;

	if (ms == NULL) {
		snprintf(msg, msgsz, "could not get memory");
		return NULL;
	}
	ms->ev = ev;
	fd = metrics_socket(cf, ms->where, sizeof(ms->where));
	if (fd < 0) {
		snprintf(msg, msgsz, "failed to create listening socket for "
		    "metrics on %s: %s", ms->where, strerror(-fd));
		free(ms);
		return NULL;
	}
	ms->lio.fd = fd;
	ms->lio.events = EPOLLIN;
	ms->lio.cb = metrics_accept_cb;
	ms->lio.data = ms;
	if (ev_io_add(ev, &ms->lio) < 0) {
		snprintf(msg, msgsz, "failed to create listening socket for "
		    "metrics on %s: %s", ms->where, strerror(errno));
		close(fd);
		free(ms);
		return NULL;
	}
	return ms;
}

void
metrics_set_render(struct metrics *ms, metrics_render_fn *fn, void *arg)
{
	ms->render = fn;
	ms->render_arg = arg;
}

void
metrics_log_started(const struct metrics *ms)
{
	log_info(LOG_SVC_MAIN, "metrics on %s", ms->where);
}

void
metrics_log_stats(const struct metrics *ms)
{
	log_info(LOG_SVC_MAIN, "metrics: %lu scrapes, %lu not found, %lu bad "
	    "requests, %lu refused (busy), %lu timed out", ms->scrapes,
	    ms->not_found, ms->bad, ms->refused, ms->timeouts);
}

void
metrics_render_self(const struct metrics *ms, struct mx *m)
{
	mx_family(m, "pxemasq_metrics_scrapes_total", "counter",
	    "Scrapes of this endpoint answered.");
	mx_sample(m, "pxemasq_metrics_scrapes_total", NULL, ms->scrapes);
	mx_family(m, "pxemasq_metrics_refused_total", "counter",
	    "Connections to this endpoint refused, by reason.");
	mx_sample(m, "pxemasq_metrics_refused_total", "reason=\"busy\"",
	    ms->refused);
	mx_sample(m, "pxemasq_metrics_refused_total", "reason=\"bad\"",
	    ms->bad);
	mx_sample(m, "pxemasq_metrics_refused_total", "reason=\"timeout\"",
	    ms->timeouts);
	mx_sample(m, "pxemasq_metrics_refused_total", "reason=\"not-found\"",
	    ms->not_found);
}

void
metrics_close(struct metrics *ms)
{
	unsigned i;

	if (ms == NULL)
		return;
	for (i = 0; i < METRICS_CONN_MAX; i++)
		if (ms->conns[i] != NULL)
			metrics_conn_free(ms->conns[i]);
	if (ms->lio.added)
		ev_io_del(ms->ev, &ms->lio);
	close(ms->lio.fd);
	free(ms);
}
