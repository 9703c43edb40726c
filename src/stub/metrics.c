/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stub/metrics.c - metrics.h's responder and pcapdump.h for a build
 * without metrics and packet dumps (make NO_METRICS=1).  The configuration
 * refuses --metrics-listen (conf_features.c), so no responder is ever
 * wanted; dumpfile= and dumpmask= are read as dnsmasq 2.90 built without
 * HAVE_DUMPFILE reads them, and a dumpfile stops the start as there
 * (dnsmasq.c: "Packet dumps not available: set HAVE_DUMP in
 * src/config.h", exit status 1).  The rest only has to link; the exposition
 * text builder (mx.c) is built regardless.
 */
#include <netinet/in.h>
#include <stdio.h>

#include "metrics.h"
#include "pcapdump.h"

bool
metrics_wanted(const struct conf *cf)
{
	(void)cf;
	return false;
}

struct metrics *
metrics_open(struct ev_loop *ev, const struct conf *cf, char *msg,
    size_t msgsz)
{
	(void)ev;
	(void)cf;
	snprintf(msg, msgsz, "metrics not compiled in");
	return NULL;
}

void
metrics_set_render(struct metrics *ms, metrics_render_fn *fn, void *arg)
{
	(void)ms;
	(void)fn;
	(void)arg;
}

void
metrics_log_started(const struct metrics *ms)
{
	(void)ms;
}

void
metrics_log_stats(const struct metrics *ms)
{
	(void)ms;
}

void
metrics_render_self(const struct metrics *ms, struct mx *m)
{
	(void)ms;
	(void)m;
}

void
metrics_close(struct metrics *ms)
{
	(void)ms;
}

struct pcapdump *
pcapdump_open(const char *path, uint32_t mask, char *msg, size_t msgsz,
    int *exit_code)
{
	(void)path;
	(void)mask;
	snprintf(msg, msgsz, "Packet dumps not available: set HAVE_DUMP in "
	    "src/config.h");
	*exit_code = 1;
	return NULL;
}

bool
pcapdump_wants(const struct pcapdump *p, unsigned kind)
{
	(void)p;
	(void)kind;
	return false;
}

void
pcapdump_udp(struct pcapdump *p, unsigned kind, const struct sockaddr *src,
    const struct sockaddr *dst, int fd, const void *payload, size_t len)
{
	(void)p;
	(void)kind;
	(void)src;
	(void)dst;
	(void)fd;
	(void)payload;
	(void)len;
}

void
pcapdump_udp4(struct pcapdump *p, unsigned kind, struct in_addr src,
    uint16_t sport, struct in_addr dst, uint16_t dport, const void *payload,
    size_t len)
{
	(void)p;
	(void)kind;
	(void)src;
	(void)sport;
	(void)dst;
	(void)dport;
	(void)payload;
	(void)len;
}

void
pcapdump_close(struct pcapdump *p)
{
	(void)p;
}
