/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcapdump.h - dumpfile= / dumpmask=: copies of the packets the daemon
 * sees and sends, written to a classic pcap file (no libpcap).
 *
 * Facts from dnsmasq 2.90 (dump.c, dnsmasq.h, man page), re-implemented:
 * the file is a classic pcap file (magic 0xa1b2c3d4 in host byte order,
 * version 2.4, link type 101 LINKTYPE_RAW: every record starts with an
 * IP header), snap length EDNS packet size (1232) + 200; packets seen at
 * the socket level get a made-up IPv4 (TTL 64, id 0) or IPv6 (hop limit
 * 64) header and a UDP header with a correct checksum; an existing file
 * is appended to after its header was checked ("bad header in %s") and
 * its records counted; a missing one is created mode 0600 ("cannot
 * create %s: %s"; "cannot access %s: %s" when it cannot be opened); both
 * with exit status 3.  Each record written is logged at LOG_INFO as
 * "dumping packet N mask 0xMMMM" (N counts on from the records already in
 * the file).  The mask defaults to 0 (nothing is written).  The file is
 * opened before the privilege drop; records are written whole, with one
 * writev(), so a reader never sees buffered half-records.
 */
#ifndef PXEMASQ_PCAPDUMP_H
#define PXEMASQ_PCAPDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* dumpmask bits, dnsmasq.h's DUMP_* values. */
enum pcapdump_kind {
	PCAPDUMP_QUERY = 0x0001,	/* DNS query from a client */
	PCAPDUMP_REPLY = 0x0002,	/* DNS reply to a client */
	PCAPDUMP_UP_QUERY = 0x0004,	/* DNS query to an upstream */
	PCAPDUMP_UP_REPLY = 0x0008,	/* DNS reply from an upstream */
	PCAPDUMP_SEC_QUERY = 0x0010,	/* DNSSEC (not built) */
	PCAPDUMP_SEC_REPLY = 0x0020,
	PCAPDUMP_BOGUS = 0x0040,
	PCAPDUMP_SEC_BOGUS = 0x0080,
	PCAPDUMP_DHCP = 0x1000,		/* DHCPv4 */
	PCAPDUMP_DHCPV6 = 0x2000,	/* (not served) */
	PCAPDUMP_RA = 0x4000,		/* (not served) */
	PCAPDUMP_TFTP = 0x8000,
};

#define PCAPDUMP_MAGIC		0xa1b2c3d4u
#define PCAPDUMP_LINKTYPE_RAW	101u
#define PCAPDUMP_SNAPLEN	(1232u + 200u)
#define PCAPDUMP_FILE_HDR	24u
#define PCAPDUMP_REC_HDR	16u
#define PCAPDUMP_IP4_HDR	20u
#define PCAPDUMP_IP6_HDR	40u
#define PCAPDUMP_UDP_HDR	8u
/* record header + IPv6 + UDP: the most made-up bytes of one record */
#define PCAPDUMP_PREFIX_MAX \
	(PCAPDUMP_REC_HDR + PCAPDUMP_IP6_HDR + PCAPDUMP_UDP_HDR)

struct pcapdump;

/* The file header, host byte order as dnsmasq writes it. */
void pcapdump_file_header(uint8_t out[PCAPDUMP_FILE_HDR]);

/*
 * Pure part: writes the record header (timestamp sec/usec), the made-up
 * IP header and the UDP header for a payload of len bytes from src to dst
 * (both AF_INET or both AF_INET6; the family of src rules) into out.
 * Returns the number of bytes written, or 0 for an unusable family or a
 * payload over 65000 bytes.
 */
size_t pcapdump_prefix(uint8_t out[PCAPDUMP_PREFIX_MAX],
    const struct sockaddr *src, const struct sockaddr *dst,
    const void *payload, size_t len, uint32_t sec, uint32_t usec);

/*
 * Opens (or creates) path for mask.  Returns the dumper, or NULL with msg
 * set to dnsmasq's wording and *exit_code to its exit status (3; 1 in a
 * build without packet dumps, make NO_METRICS=1).
 */
struct pcapdump *pcapdump_open(const char *path, uint32_t mask, char *msg,
    size_t msgsz, int *exit_code);

/* True when records of kind are written (p may be NULL). */
bool pcapdump_wants(const struct pcapdump *p, unsigned kind);

/*
 * One UDP payload of kind (p may be NULL: nothing happens).  A NULL src or
 * dst is the local end: the address fd is bound to (getsockname()), as
 * dnsmasq does.  Write errors are logged ("failed to write packet dump").
 */
void pcapdump_udp(struct pcapdump *p, unsigned kind,
    const struct sockaddr *src, const struct sockaddr *dst, int fd,
    const void *payload, size_t len);

struct in_addr;
/* The same for IPv4 addresses and ports (host order) known already. */
void pcapdump_udp4(struct pcapdump *p, unsigned kind, struct in_addr src,
    uint16_t sport, struct in_addr dst, uint16_t dport,
    const void *payload, size_t len);

void pcapdump_close(struct pcapdump *p);

#endif
