/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netio.h - the UDP sockets of the DHCP server, ports 67 and 4011 (L3).
 *
 * The receive path for DHCP and PXE is the AF_PACKET socket of each DHCP
 * interface (rawio.h): it sees broadcasts from clients without an address,
 * relayed requests to our address on 67, and unicast to 4011 alike, and
 * it names the arrival interface exactly.  The UDP sockets exist for two
 * other reasons (issue 4):
 *  - while no UDP socket is bound to a port, the kernel answers every
 *    unicast datagram to it with ICMP port-unreachable, which a renewing
 *    client or PXE firmware talking to 4011 treats as failure;
 *  - routed replies (to a relay's giaddr port 67, to a client's ciaddr
 *    port 68, and every reply from 4011) go through them: the routing
 *    table picks the next hop and the kernel resolves it, nothing is
 *    written into the ARP table.
 * So by default a socket is opened with a drop-all filter, attached
 * before bind(): nothing queues on it and nothing is handled twice.
 * NETIO_RECV keeps datagrams instead (netio_recv() with IP_PKTINFO), for
 * a shell that wants 4011 through UDP; the raw filter passes 4011 too, so
 * only one of the two may receive it.
 *
 * Port 67 is bound only when pxemasq serves DHCP on some interface; with
 * proxy-only ranges another local DHCP server keeps 67.  Never
 * SO_REUSEADDR or SO_REUSEPORT: a port someone else holds is an error
 * (-EADDRINUSE), not a shared socket.  As dnsmasq 2.90's DHCP socket: IP
 * TOS CS6, path MTU discovery off (DF clear), SO_BROADCAST, IP_PKTINFO.
 * dnsmasq's messages for failures here: "cannot create DHCP socket: %s",
 * "failed to set options on DHCP socket: %s", "failed to bind DHCP
 * server socket: %s" (all exit status 2, EC_BADNET).
 */
#ifndef PXEMASQ_NETIO_H
#define PXEMASQ_NETIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

struct conf;

#define NETIO_PORT_DHCP 67
#define NETIO_PORT_CLIENT 68
#define NETIO_PORT_PXE 4011

/* netio_open() flags */
#define NETIO_RECV 0x1u		/* keep datagrams (no drop-all filter) */

/* Which step of netio_open() failed, for dnsmasq's message. */
enum netio_step {
	NETIO_STEP_NONE = 0,
	NETIO_STEP_SOCKET,	/* "cannot create DHCP socket: %s" */
	NETIO_STEP_OPTIONS,	/* "failed to set options on DHCP socket: %s" */
	NETIO_STEP_BIND,	/* "failed to bind DHCP server socket: %s" */
};

struct netio {
	int fd;			/* -1 when closed */
	uint16_t port;
};

/* Where a datagram came from and went to (IP_PKTINFO). */
struct netio_meta {
	int ifindex;			/* arrival interface */
	struct in_addr src, dst;	/* dst: the header's destination */
	uint16_t sport;
};

/* Port 67 is bound when some dhcp-range is not "proxy" (pxemasq serves
 * DHCP itself); with proxy-only ranges another local server keeps it. */
bool netio_wants_dhcp_port(const struct conf *cf);
/* Port 4011 is bound when PXE is enabled (pxe-service or pxe-prompt, as
 * dnsmasq's enable_pxe). */
bool netio_wants_pxe_port(const struct conf *cf);

/* Opens 0.0.0.0:port (non-blocking) into n.  Returns 0 or -errno with
 * *failed (may be NULL) saying which step failed. */
int netio_open(struct netio *n, uint16_t port, unsigned flags,
    enum netio_step *failed);
/* Closes n (no-op when closed). */
void netio_close(struct netio *n);

/* Reads one datagram (NETIO_RECV sockets).  Returns its length, -EAGAIN,
 * -EMSGSIZE when it was longer than cap (dropped), or another -errno. */
ssize_t netio_recv(struct netio *n, void *buf, size_t cap,
    struct netio_meta *m);

/* Sends len bytes (borrowed) to dst:dport.  src (network order, may be
 * INADDR_ANY) becomes the source address and ifindex (may be 0) the
 * outgoing interface through IP_PKTINFO; with both zero the routing table
 * decides everything.  Returns 0 or -errno (dnsmasq logs "Error sending
 * DHCP packet to %s: %s"). */
int netio_send(struct netio *n, struct in_addr dst, uint16_t dport,
    int ifindex, struct in_addr src, const void *p, size_t len);

#endif
