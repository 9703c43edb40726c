/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reload.h - --reload-config: which options a running daemon can take from
 * a re-read main configuration, and which need a restart.
 *
 * An option needs a restart when acting on it would need root or a new
 * listening socket after the privilege drop (issue 9): the run user and
 * group, the pid file, the log target, the DNS port, the lease file and
 * the dhcp-script helper (both opened or forked as root), the interfaces
 * and addresses sockets are bound to, the TFTP port range, and sizes fixed
 * when a service opened (tftp-max, dns-forward-max, dhcp-lease-max).  For
 * those the new configuration gets the running value back, so the daemon
 * stays consistent with what it opened.  Everything else takes effect at
 * once.  Turning a whole service on or off (DHCP's first or last
 * dhcp-range, enable-tftp, port=0) cannot be kept that way: such a
 * reload is refused whole.
 *
 * L2: works on two configurations only; the caller logs.
 */
#ifndef PXEMASQ_RELOAD_H
#define PXEMASQ_RELOAD_H

#include <stdbool.h>

struct conf;

/* Called once per option name whose new value was replaced by the
 * running one. */
typedef void reload_kept_fn(void *arg, const char *name);

/*
 * Compares old (running) with nw (just loaded, not in use yet): for every
 * restart-only option whose value differs, copies old's value into nw
 * (copies live in nw's arena) and calls kept with the option's name.
 * Returns the number of options kept, -ENOMEM, or -EBUSY when a service
 * would be turned on or off (nw is then unusable; *what names it: "DHCP",
 * "TFTP" or "DNS").
 */
int reload_keep_restart(const struct conf *old, struct conf *nw,
    reload_kept_fn *kept, void *arg, const char **what);

/* The restart-only option names, NULL-terminated (for the man page test
 * and the unit tests). */
extern const char *const reload_restart_names[];

#endif
