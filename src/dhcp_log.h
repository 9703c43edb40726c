/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp_log.h - the text of dnsmasq 2.90's DHCP log lines (L1: formatting
 * only; the server hands finished lines to the shell, which logs them).
 *
 * Shapes (reference section 7, rfc2131.c log_packet/log_options, dhcp-
 * common.c option_string/log_tags, util.c prettyprint_time/print_mac):
 *   "[XID ]TYPE(IFACE) [ADDR ]MAC STRINGERR"  (the XID, in decimal, only
 *                                               with log-dhcp)
 *   "XID sent size:%3d option:%3d NAME  VALUE"
 *   "XID requested options: 1:netmask, 3:router, ..." wrapped after 40
 *   characters
 * Wire text is made printable before it lands in a line.
 */
#ifndef PXEMASQ_DHCP_LOG_H
#define PXEMASQ_DHCP_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* Longest line built here; longer ones are cut (dnsmasq's MAXDNAME). */
#define DHCP_LOG_LINE_MAX 1100

/* A finished log line: severity is syslog's (LOG_INFO, LOG_WARNING ...). */
typedef void dhcp_log_fn(void *ctx, int severity, const char *line);

/* dnsmasq's prettyprint_time: "1h", "52m30s", "1d2h", "infinite"; 0 gives
 * "".  out needs 32 bytes.  Returns out. */
char *dhcp_log_time(char *out, uint32_t t);
/* aa:bb:cc..., "<null>" for len 0.  Returns out (3 * len + 8 bytes). */
char *dhcp_log_mac(char *out, size_t outsz, const uint8_t *mac, size_t len);

/* One packet event line (log_packet).  addr NULL: no address field. */
void dhcp_log_packet(char *out, size_t outsz, bool with_xid, uint32_t xid,
    const char *type, const char *iface, const struct in_addr *addr,
    const uint8_t *mac, size_t maclen, const char *string, const char *err);

/* The option's name from dnsmasq's table ("" when unknown) and, when out
 * is not NULL, its value decoded as dnsmasq logs it (option_string). */
const char *dhcp_log_optval(unsigned code, const uint8_t *val, size_t len,
    char *out, size_t outsz);

/* "XID sent size:%3d option:%3d NAME  VALUE". */
void dhcp_log_sent(char *out, size_t outsz, uint32_t xid, unsigned code,
    const uint8_t *val, size_t len);

/* Emits the "XID requested options: ..." lines for a parameter request
 * list (prl, n bytes) through fn (severity LOG_INFO). */
void dhcp_log_prl(dhcp_log_fn *fn, void *ctx, uint32_t xid,
    const uint8_t *prl, size_t n);

#endif
