/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * frame.h - Ethernet II / IPv4 / UDP framing for the AF_PACKET path (L1:
 * no I/O, no time, no config).
 *
 * Decoding takes a whole frame as the packet socket delivers it (link
 * header included, VLAN tag already removed by the kernel and reported in
 * PACKET_AUXDATA, which the shell checks) and either yields the UDP
 * payload with its addresses and ports, or a named reason (enum
 * frame_drop).  What the kernel's own receive path would drop is dropped
 * here too: a tagged frame, a bad IPv4 header or header checksum, any
 * fragment (RFC 791: MF set or a non-zero offset; the kernel would
 * reassemble, we never do), a UDP length that does not fit (RFC 768), and
 * a wrong UDP checksum.  IP options (IHL > 5) are skipped.  Bytes after
 * the IP total length (Ethernet padding) are ignored; a UDP length
 * shorter than the IP payload trims the payload, as Linux's udp_rcv does.
 *
 * Checksums: a frame the kernel marks as locally generated and not yet
 * summed (TP_STATUS_CSUMNOTREADY, a veth peer or a local sender with
 * checksum offload) or as already verified by the device
 * (TP_STATUS_CSUM_VALID) carries FRAME_RX_CSUM_TRUSTED and its UDP
 * checksum is not checked: in the first case the field holds only the
 * pseudo-header sum.  The IPv4 header checksum is always checked (the
 * stack always computes it in software).  A UDP checksum of zero means
 * "none" (RFC 768) and is accepted.
 *
 * Encoding builds a whole frame for a DHCP reply in front of a payload
 * that the caller already placed at FRAME_HDR_LEN: IPv4 header without
 * options, TOS CS6 and DF clear (dnsmasq 2.90 sets IP_TOS to
 * IPTOS_CLASS_CS6 and IP_PMTUDISC_DONT on its DHCP socket), TTL 64, the
 * caller's IP id, header and UDP checksums computed.
 */
#ifndef PXEMASQ_FRAME_H
#define PXEMASQ_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

#define FRAME_MAC_LEN 6
#define FRAME_ETH_LEN 14	/* dst, src, ethertype */
#define FRAME_IP_LEN 20		/* IPv4 header without options */
#define FRAME_UDP_LEN 8
#define FRAME_HDR_LEN (FRAME_ETH_LEN + FRAME_IP_LEN + FRAME_UDP_LEN)
/* Bytes of IP and UDP header around a payload: the MTU minus this is the
 * largest UDP payload (DHCP message) that goes out unfragmented. */
#define FRAME_IP_UDP_OVERHEAD (FRAME_IP_LEN + FRAME_UDP_LEN)

#define FRAME_ETHERTYPE_IPV4 0x0800
#define FRAME_IPPROTO_UDP 17
#define FRAME_TTL 64
#define FRAME_TOS_CS6 0xc0	/* IPTOS_CLASS_CS6 */

/* frame_decode() flags */
#define FRAME_RX_CSUM_TRUSTED 0x1u /* TP_STATUS_CSUMNOTREADY or _CSUM_VALID */

/* Why a frame was dropped; each has a name for logs and counters. */
enum frame_drop {
	FRAME_OK = 0,
	FRAME_DROP_SHORT_ETH,	/* shorter than an Ethernet header */
	FRAME_DROP_VLAN,	/* 802.1Q / 802.1ad tag inside the frame */
	FRAME_DROP_NOT_IPV4,	/* another ethertype */
	FRAME_DROP_SHORT_IP,	/* shorter than the IPv4 header (or IHL) */
	FRAME_DROP_IP_VERSION,	/* version is not 4 */
	FRAME_DROP_IP_HDR_LEN,	/* IHL below 5 */
	FRAME_DROP_IP_LEN,	/* total length below IHL or past the frame */
	FRAME_DROP_IP_CSUM,	/* IPv4 header checksum wrong */
	FRAME_DROP_FRAGMENT,	/* MF set or fragment offset non-zero */
	FRAME_DROP_NOT_UDP,	/* another IP protocol */
	FRAME_DROP_UDP_LEN,	/* UDP header cut, or length < 8 or too big */
	FRAME_DROP_UDP_CSUM,	/* UDP checksum wrong */
	FRAME_DROP_COUNT
};
const char *frame_drop_name(enum frame_drop why);

/* A decoded frame.  payload points into the caller's frame (borrowed). */
struct frame_rx {
	uint8_t dst_mac[FRAME_MAC_LEN];
	uint8_t src_mac[FRAME_MAC_LEN];
	struct in_addr src, dst;	/* network order */
	uint8_t ttl;
	uint16_t sport, dport;		/* host order */
	const uint8_t *payload;
	size_t payload_len;
};

/* Decodes frame (len bytes, borrowed).  flags: FRAME_RX_*.  Returns
 * FRAME_OK with rx filled, or the drop reason (rx then partly filled). */
enum frame_drop frame_decode(const void *frame, size_t len, unsigned flags,
    struct frame_rx *rx);

/* Header fields of a frame to send. */
struct frame_tx {
	uint8_t dst_mac[FRAME_MAC_LEN];
	uint8_t src_mac[FRAME_MAC_LEN];	/* the interface's MAC */
	struct in_addr src, dst;	/* network order */
	uint16_t sport, dport;		/* host order */
	uint16_t ip_id;
};

/* Writes the Ethernet, IPv4 and UDP headers into the first FRAME_HDR_LEN
 * bytes of buf (cap bytes, borrowed), in front of the payload_len bytes
 * the caller already put at buf + FRAME_HDR_LEN.  Returns the frame
 * length, or -EMSGSIZE when the payload does not fit in cap or in an IPv4
 * datagram. */
ssize_t frame_encode(void *buf, size_t cap, const struct frame_tx *tx,
    size_t payload_len);

/* The largest UDP payload (DHCP message) that leaves an interface of this
 * MTU unfragmented: the cap for a client's maximum message size (option
 * 57).  0 for an MTU too small to carry the headers. */
size_t frame_max_payload(unsigned mtu);

/* RFC 1071 one's-complement sum of len bytes added to sum (not folded,
 * not inverted).  An odd trailing byte is summed as if followed by a zero
 * byte, so only the last piece of a message may have an odd length. */
uint32_t frame_csum_add(uint32_t sum, const void *p, size_t len);
/* Folds a sum to 16 bits and inverts it: the checksum field's value. */
uint16_t frame_csum_fold(uint32_t sum);
/* The UDP checksum (RFC 768) of a datagram of udp_len bytes (header and
 * payload, checksum field as it is) from src to dst.  For a received
 * datagram with a checksum, 0 means right; to fill the field, compute it
 * with the field zeroed and send 0xffff for a result of 0 (RFC 768). */
uint16_t frame_udp_csum(struct in_addr src, struct in_addr dst,
    const void *udp, size_t udp_len);

#endif
