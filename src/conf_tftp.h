/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_tftp.h - typed TFTP configuration: enable-tftp, tftp-root,
 * tftp-unique-root, tftp-max, tftp-mtu, tftp-port-range.  Filled by
 * conf_tftp.c, read by the TFTP server.  The plain flags (tftp-secure,
 * tftp-no-fail, tftp-lowercase, tftp-single-port, tftp-no-blocksize) are
 * keyword bits: conf_flag(cf, CONF_KW_TFTP_SECURE) and so on.
 */
#ifndef PXEMASQ_CONF_TFTP_H
#define PXEMASQ_CONF_TFTP_H

#include "conf.h"

#define CONF_TFTP_MAX_DEFAULT	50	/* dnsmasq's TFTP_MAX_CONNECTIONS */

/* tftp-root=DIR,IF: the root for requests arriving on interface IF. */
struct conf_tftp_root {
	struct conf_src src;
	const char *dir;	/* NULL when written empty */
	const char *iface;	/* exact interface name; NULL when empty */
	struct conf_tftp_root *next;
};

struct conf_tftp {
	/* enable-tftp given at least once */
	bool enabled;
	/* enable-tftp=IF,...: serve only these interfaces (names may end in
	 * '*'; s NULL for an empty field).  Empty list: the interfaces DNS
	 * and DHCP use, minus no-dhcp-interface ones. */
	struct conf_strlist interfaces;

	/* tftp-root=DIR without an interface: the last one read wins */
	const char *root;	/* NULL: no root (names relative to /) */
	struct conf_src root_src;
	/* tftp-root=DIR,IF in reading order; for a request on IF the
	 * first entry read for IF applies, even when its DIR is empty
	 * (dnsmasq prepends its list and keeps the last match) */
	struct conf_tftp_root *roots;
	struct conf_tftp_root **roots_tail;

	/* tftp-unique-root[=ip|mac]: both may be set */
	bool unique_root_ip;
	bool unique_root_mac;

	int max;		/* tftp-max, concurrent transfers (50) */
	int mtu;		/* tftp-mtu, 0 = interface MTU only */
	bool has_port_range;	/* tftp-port-range given */
	uint16_t port_first;	/* inclusive, first <= last */
	uint16_t port_last;
};

/* The root for a request that arrived on interface ifname (may be NULL):
 * the first per-interface root read for it, else the global one; NULL
 * means no root.  Borrows t. */
const char *conf_tftp_root_for(const struct conf_tftp *t, const char *ifname);

#endif
