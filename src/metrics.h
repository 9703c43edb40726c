/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * metrics.h - --metrics-listen=ADDR:PORT: a Prometheus text endpoint.
 *
 * pxemasq's own option (command line only, so every configuration file
 * stays one dnsmasq reads), off by default, loopback when no address is
 * given.  A tiny HTTP/1.0 responder inside the event loop: GET (or HEAD)
 * /metrics answers "200 OK" with the text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), any
 * other path "404 Not Found", any other method "405 Method Not Allowed";
 * the connection is closed after the reply (HTTP/1.0, RFC 1945).
 * Bounded: METRICS_CONN_MAX connections at once (more are closed at
 * accept), a request head of at most METRICS_REQ_MAX bytes (more: "431"
 * and close), METRICS_TIMEOUT_MS for the whole exchange.  The socket is
 * bound before the privilege drop.
 *
 * The exposition text is built by the daemon and the services into a
 * struct mx with mx_family() (one "# HELP" and "# TYPE" pair per metric
 * name) and mx_sample() ("name{labels} value").
 */
#ifndef PXEMASQ_METRICS_H
#define PXEMASQ_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_CONN_MAX	4
#define METRICS_REQ_MAX		2048
#define METRICS_TIMEOUT_MS	5000
#define METRICS_TEXT_MAX	(4u << 20)	/* a larger reply is cut */

/* Exposition text being built; on overflow or ENOMEM, oom is set and
 * later writes are ignored. */
struct mx {
	char *buf;
	size_t len, cap;
	bool oom;
};

void mx_init(struct mx *m);
/* Appends printf-style text. */
void mx_printf(struct mx *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void mx_free(struct mx *m);
/* "# HELP name help" and "# TYPE name type" (counter, gauge). */
void mx_family(struct mx *m, const char *name, const char *type,
    const char *help);
/* "name{labels} value", or "name value" when labels is NULL or empty.
 * labels: already formatted, e.g. "reason=\"decode\"" (see mx_label). */
void mx_sample(struct mx *m, const char *name, const char *labels,
    uint64_t value);
/* Formats key="value" into buf, escaping \, " and newline as the format
 * asks; returns buf. */
const char *mx_label(char *buf, size_t size, const char *key,
    const char *value);

/*
 * The request head, as far as it has arrived (pure: no I/O).  RFC 1945
 * section 5: Request-Line = Method SP Request-URI SP HTTP-Version CRLF,
 * then header lines up to an empty line; a bare LF ends a line too
 * (section B, tolerant applications).  Only the first METRICS_REQ_MAX
 * bytes count.  A request line is judged as soon as it is complete; a
 * well-formed one waits for the rest of the head.
 */
enum metrics_http_verdict {
	METRICS_HTTP_PARTIAL,	/* head not complete: read on */
	METRICS_HTTP_OK,	/* GET or HEAD, head complete: path set */
	/* 400: request line not Method SP URI SP HTTP/d.d (an HTTP/0.9
	 * Simple-Request "GET /metrics" included: its client sends no
	 * more), control bytes or NUL in the line, NUL in a header line */
	METRICS_HTTP_BAD,
	METRICS_HTTP_METHOD,	/* 405: well-formed, not GET or HEAD */
	METRICS_HTTP_TOO_LARGE,	/* 431: no end of head in METRICS_REQ_MAX */
};

struct metrics_http_req {
	bool head;		/* HEAD: the reply has no body */
	const uint8_t *path;	/* the Request-URI before any '?', in p */
	size_t path_len;
};

enum metrics_http_verdict metrics_http_parse(const uint8_t *p, size_t len,
    struct metrics_http_req *req);

struct conf;
struct ev_loop;
struct metrics;

typedef void metrics_render_fn(void *arg, struct mx *m);

/* True when --metrics-listen was given. */
bool metrics_wanted(const struct conf *cf);
/* Binds and listens (before the privilege drop).  Returns the server, or
 * NULL with msg set (exit status 2). */
struct metrics *metrics_open(struct ev_loop *ev, const struct conf *cf,
    char *msg, size_t msgsz);
/* fn(arg, m) fills the text for each scrape. */
void metrics_set_render(struct metrics *ms, metrics_render_fn *fn,
    void *arg);
/* Logs "metrics on ADDR#PORT". */
void metrics_log_started(const struct metrics *ms);
/* Scrapes served, refused (full), bad requests, timeouts (SIGUSR1). */
void metrics_log_stats(const struct metrics *ms);
void metrics_render_self(const struct metrics *ms, struct mx *m);
void metrics_close(struct metrics *ms);

#endif
