/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rawio.h - DHCP frames on one interface through a link-layer socket
 * (L3).  The backend is rawio_packet.c (Linux AF_PACKET with
 * PACKET_AUXDATA); tests link a fake in its place.
 *
 * Why a link-layer socket: a client without an address sends from 0.0.0.0
 * and must be answered at its MAC before it has an address, without
 * writing the ARP table; and the interface a frame came in on is exact.
 * One socket per DHCP interface.
 *
 * Receive path (issue 4): the socket sees only what bpf.h's DHCP filter
 * passes (IPv4, UDP, no fragment, destination port 67 or 4011), attached
 * before the socket is bound, so nothing unfiltered is ever queued.  Of
 * those, rawio_recv() marks as drops (meta->why, for the caller to count)
 * frames not addressed to this host (only PACKET_HOST and
 * PACKET_BROADCAST pass: never our own outgoing frames, other hosts'
 * unicast or multicast) and frames that carried a VLAN tag (the kernel
 * took it off and said so in the auxdata).  No promiscuous mode, no
 * multicast membership, the default receive buffer, no ring.
 *
 * Observed on Linux 6.x (compat-tests/rawio): a socket bound to ETH_P_IP
 * sees frames after the kernel's VLAN handling, so a frame tagged with a
 * VID no VLAN device claims arrives untagged as PACKET_OTHERHOST (dropped
 * for its type), and a priority tag (VID 0) is removed and the frame
 * treated as untagged, as the IP stack does; the VLAN check stays for
 * kernels and drivers that report the tag in the auxdata.  A frame a
 * local UDP socket sent over a veth arrives with TP_STATUS_CSUMNOTREADY
 * (its checksum field holds only the pseudo-header sum); a frame written
 * whole to a packet socket arrives with neither bit and is verified.
 *
 * The caller then decodes the frame (frame.h) with FRAME_RX_CSUM_TRUSTED
 * when meta->csum_trusted, and checks the IP destination against the
 * interface's addresses (iface.h).
 *
 * Sending: a whole Ethernet frame (frame_encode()) goes out of this
 * interface to the destination MAC written in the frame.
 *
 * Privileges: opening needs CAP_NET_RAW; an open socket needs nothing.
 * Keep the capability if interfaces may come back with a new index.
 */
#ifndef PXEMASQ_RAWIO_H
#define PXEMASQ_RAWIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct rawio {
	int fd;			/* -1 when closed; register it with ev */
	int ifindex;
};

/* Why a received frame is not for us; each has a name for counters. */
enum rawio_drop {
	RAWIO_OK = 0,
	RAWIO_DROP_PKTTYPE,	/* outgoing, other host's, multicast */
	RAWIO_DROP_VLAN,	/* arrived with an 802.1Q/802.1ad tag */
	RAWIO_DROP_TRUNC,	/* longer than the caller's buffer */
	RAWIO_DROP_COUNT
};
const char *rawio_drop_name(enum rawio_drop why);

/* What the kernel said about a received frame. */
struct rawio_meta {
	int ifindex;		/* arrival interface */
	uint8_t pkttype;	/* PACKET_HOST, PACKET_BROADCAST, ... */
	bool vlan;		/* a tag was removed (TP_STATUS_VLAN_VALID) */
	bool csum_trusted;	/* TP_STATUS_CSUMNOTREADY or _CSUM_VALID */
	uint32_t tp_status;	/* the auxdata status bits, for debugging */
	size_t wire_len;	/* the frame's real length */
	enum rawio_drop why;	/* RAWIO_OK: decode it; else count, drop */
};

/* Opens the socket on ifindex into r.  Returns 0 or -errno (-EPERM
 * without CAP_NET_RAW, -ENODEV when the interface is gone). */
int rawio_open(struct rawio *r, int ifindex);
/* Closes r (no-op when closed). */
void rawio_close(struct rawio *r);

/* Reads one frame into buf (cap bytes; make it at least the interface
 * MTU + 14, a DHCP request fits in 1514).  Returns the number of bytes
 * stored (meta filled; meta->why says whether to use it), or -EAGAIN when
 * nothing is queued, or another -errno. */
ssize_t rawio_recv(struct rawio *r, uint8_t *buf, size_t cap,
    struct rawio_meta *meta);

/* Frames the kernel dropped because r's receive queue was full, since the
 * last call (PACKET_STATISTICS, which resets its counters on reading);
 * 0 when closed or unknown. */
unsigned long rawio_queue_drops(struct rawio *r);

/* Sends a whole Ethernet frame (len bytes, borrowed) on r's interface;
 * the destination is the MAC in its first 6 bytes.  Returns 0, or -errno
 * (-EAGAIN when the device queue is full, -EMSGSIZE over the MTU,
 * -ENETDOWN, -ENXIO when the interface is gone). */
int rawio_send(struct rawio *r, const void *frame, size_t len);

#endif
