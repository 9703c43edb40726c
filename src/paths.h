/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * paths.h - default file locations.  They differ from dnsmasq's on
 * purpose, so pxemasq and dnsmasq can run on one host without writing
 * each other's lease or pid file (docs/differences.md D6); a config that
 * names a file gets that file, as in dnsmasq.
 */
#ifndef PXEMASQ_PATHS_H
#define PXEMASQ_PATHS_H

#ifndef PXEMASQ_LEASEFILE
#define PXEMASQ_LEASEFILE "/var/lib/misc/pxemasq.leases"
#endif
#ifndef PXEMASQ_PIDFILE
#define PXEMASQ_PIDFILE "/run/pxemasq.pid"
#endif

#endif
