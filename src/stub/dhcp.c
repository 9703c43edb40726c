/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stub/dhcp.c - dhcpd.h for a build without DHCP and PXE (make
 * NO_DHCP=1): no server is ever wanted, so the daemon never opens one and
 * has no lease table (dhcpd_leases() is NULL, so the lease look-ups are
 * never reached); the rest only has to link.  The configuration
 * refuses DHCP and PXE options (conf_features.c).
 */
#include <stdio.h>

#include "dhcpd.h"
#include "explain.h"
#include "lease.h"

bool
dhcpd_wanted(const struct conf *cf)
{
	(void)cf;
	return false;
}

struct dhcpd *
dhcpd_open(struct ev_loop *ev, const struct conf *cf, char *msg,
    size_t msgsz, int *exit_code)
{
	(void)ev;
	(void)cf;
	snprintf(msg, msgsz, "DHCP not compiled in");
	*exit_code = 1;
	return NULL;
}

void
dhcpd_set_script(struct dhcpd *d, struct script *s)
{
	(void)d;
	(void)s;
}

void
dhcpd_log_started(const struct dhcpd *d)
{
	(void)d;
}

void
dhcpd_set_conf(struct dhcpd *d, const struct conf *cf)
{
	(void)d;
	(void)cf;
}

void
dhcpd_set_hosts(struct dhcpd *d, struct hostsfile *const *h, size_t n)
{
	(void)d;
	(void)h;
	(void)n;
}

void
dhcpd_turn_end(struct dhcpd *d)
{
	(void)d;
}

struct lease_table *
dhcpd_leases(struct dhcpd *d)
{
	(void)d;
	return NULL;
}

void
dhcpd_log_stats(struct dhcpd *d)
{
	(void)d;
}

void
dhcpd_set_dump(struct dhcpd *d, struct pcapdump *p)
{
	(void)d;
	(void)p;
}

void
dhcpd_metrics(const struct dhcpd *d, struct mx *m)
{
	(void)d;
	(void)m;
}

void
dhcpd_close(struct dhcpd *d)
{
	(void)d;
}

struct lease *
lease_find_by_addr(struct lease_table *t, struct in_addr a)
{
	(void)t;
	(void)a;
	return NULL;
}

struct lease *
lease_find_by_name(struct lease_table *t, const char *name)
{
	(void)t;
	(void)name;
	return NULL;
}

unsigned long
lease_table_gen(const struct lease_table *t)
{
	(void)t;
	return 0;
}

struct lease *
lease_first(struct lease_table *t)
{
	(void)t;
	return NULL;
}

struct lease *
lease_next(struct lease *l)
{
	(void)l;
	return NULL;
}

/* --explain runs the DHCP server's decisions: nothing to explain here. */
int
explain_main(const struct conf *cf, FILE *out)
{
	(void)cf;
	(void)out;
	fprintf(stderr, "pxemasq: --explain needs DHCP, which this build "
	    "leaves out\n");
	return 1;
}
