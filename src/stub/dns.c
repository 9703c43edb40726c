/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stub/dns.c - dnsd.h for a build without DNS (make NO_DNS=1): no
 * server is ever wanted, so the daemon never opens one; the rest only
 * has to link.  The configuration refuses DNS options (conf_features.c).
 */
#include <stdio.h>

#include "dnsd.h"

bool
dnsd_wanted(const struct conf *cf)
{
	(void)cf;
	return false;
}

struct dnsd *
dnsd_open(struct ev_loop *ev, const struct conf *cf, char *msg,
    size_t msgsz, int *exit_code)
{
	(void)ev;
	(void)cf;
	snprintf(msg, msgsz, "DNS not compiled in");
	*exit_code = 1;
	return NULL;
}

void
dnsd_log_started(struct dnsd *d)
{
	(void)d;
}

void
dnsd_set_conf(struct dnsd *d, const struct conf *cf)
{
	(void)d;
	(void)cf;
}

void
dnsd_set_hosts(struct dnsd *d, struct hostsfile *const *h,
    const char *const *paths, size_t n)
{
	(void)d;
	(void)h;
	(void)paths;
	(void)n;
}

void
dnsd_set_leases(struct dnsd *d, const struct dnsd_lease_ops *ops)
{
	(void)d;
	(void)ops;
}

void
dnsd_log_stats(struct dnsd *d)
{
	(void)d;
}

void
dnsd_set_dump(struct dnsd *d, struct pcapdump *p)
{
	(void)d;
	(void)p;
}

void
dnsd_metrics(const struct dnsd *d, struct mx *m)
{
	(void)d;
	(void)m;
}

void
dnsd_lease_name_check(struct dnsd *d, const char *name, struct in_addr addr)
{
	(void)d;
	(void)name;
	(void)addr;
}

void
dnsd_flush(struct dnsd *d)
{
	(void)d;
}

void
dnsd_close(struct dnsd *d)
{
	(void)d;
}
