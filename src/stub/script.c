/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stub/script.c - the daemon side of script.h for a build without lease
 * scripts (make NO_SCRIPT=1, implied by NO_DHCP=1).  dhcp-script is then
 * refused by the configuration (conf_features.c), so no script is ever
 * started; these only have to link.
 */
#include <stdio.h>

#include "script.h"

int
script_start(struct script **out, const struct script_conf *c,
    struct ev_loop *ev, char *msg, size_t msgsz, int *exit_code)
{
	(void)c;
	(void)ev;
	*out = NULL;
	snprintf(msg, msgsz, "lease-change scripts not compiled in");
	*exit_code = 1;
	return -1;
}

void
script_attach(struct script *s, struct dhcp_server *srv,
    struct lease_table *t, const struct iface_table *ifs,
    const struct clock_now *now)
{
	(void)s;
	(void)srv;
	(void)t;
	(void)ifs;
	(void)now;
}

void
script_rerun_all(struct script *s)
{
	(void)s;
}

void
script_queue_tftp(struct script *s, uint64_t size, int family,
    const void *addr, const char *path)
{
	(void)s;
	(void)size;
	(void)family;
	(void)addr;
	(void)path;
}

void
script_close(struct script *s)
{
	(void)s;
}

int
script_init_leases(const char *path, struct lease_table *t,
    const struct clock_now *now, uint32_t max_remaining_s, char *msg,
    size_t msgsz, int *exit_code)
{
	(void)path;
	(void)t;
	(void)now;
	(void)max_remaining_s;
	snprintf(msg, msgsz, "lease-change scripts not compiled in");
	*exit_code = 1;
	return -1;
}
