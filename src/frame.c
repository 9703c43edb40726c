/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "frame.h"

#include <errno.h>
#include <string.h>

#include "buf.h"

_Static_assert(FRAME_HDR_LEN == 42, "Ethernet + IPv4 + UDP headers");

#define FRAME_ETHERTYPE_8021Q 0x8100
#define FRAME_ETHERTYPE_8021AD 0x88a8
#define FRAME_ETHERTYPE_QINQ 0x9100	/* pre-standard double tag */
#define FRAME_IP_MF 0x2000
#define FRAME_IP_OFFSET 0x1fff

static const char *const frame_drop_names[FRAME_DROP_COUNT] = {
	[FRAME_OK] = "ok",
	[FRAME_DROP_SHORT_ETH] = "short-ethernet",
	[FRAME_DROP_VLAN] = "vlan-tagged",
	[FRAME_DROP_NOT_IPV4] = "not-ipv4",
	[FRAME_DROP_SHORT_IP] = "short-ip-header",
	[FRAME_DROP_IP_VERSION] = "ip-version",
	[FRAME_DROP_IP_HDR_LEN] = "ip-header-length",
	[FRAME_DROP_IP_LEN] = "ip-total-length",
	[FRAME_DROP_IP_CSUM] = "ip-checksum",
	[FRAME_DROP_FRAGMENT] = "ip-fragment",
	[FRAME_DROP_NOT_UDP] = "not-udp",
	[FRAME_DROP_UDP_LEN] = "udp-length",
	[FRAME_DROP_UDP_CSUM] = "udp-checksum",
};

const char *
frame_drop_name(enum frame_drop why)
{
	if ((unsigned)why >= FRAME_DROP_COUNT)
		return "unknown";
	return frame_drop_names[why];
}

size_t
frame_max_payload(unsigned mtu)
{
	return mtu > FRAME_IP_UDP_OVERHEAD ? mtu - FRAME_IP_UDP_OVERHEAD : 0;
}

uint32_t
frame_csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t
frame_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
frame_udp_csum(struct in_addr src, struct in_addr dst, const void *udp,
    size_t udp_len)
{
	uint8_t ph[12];
	uint32_t sum;

	/* RFC 768: source, destination, zero, protocol, UDP length */
	memcpy(ph, &src.s_addr, 4);
	memcpy(ph + 4, &dst.s_addr, 4);
	ph[8] = 0;
	ph[9] = FRAME_IPPROTO_UDP;
	ph[10] = (uint8_t)(udp_len >> 8);
	ph[11] = (uint8_t)udp_len;
	sum = frame_csum_add(0, ph, sizeof(ph));
	return frame_csum_fold(frame_csum_add(sum, udp, udp_len));
}

/* Ethernet II header; VLAN tags are refused (the kernel strips the outer
 * tag into the auxdata; a tag left in the frame means a second one). */
static enum frame_drop
frame_decode_eth(struct rd *r, struct frame_rx *rx)
{
	uint16_t type;

	rd_bytes(r, rx->dst_mac, FRAME_MAC_LEN);
	rd_bytes(r, rx->src_mac, FRAME_MAC_LEN);
	type = rd_be16(r);
	if (!rd_ok(r))
		return FRAME_DROP_SHORT_ETH;
	if (type == FRAME_ETHERTYPE_8021Q || type == FRAME_ETHERTYPE_8021AD ||
	    type == FRAME_ETHERTYPE_QINQ)
		return FRAME_DROP_VLAN;
	if (type != FRAME_ETHERTYPE_IPV4)
		return FRAME_DROP_NOT_IPV4;
	return FRAME_OK;
}

/* RFC 791 header checks.  On success r covers the IP payload only. */
static enum frame_drop
frame_decode_ip(struct rd *r, struct frame_rx *rx)
{
	struct rd h = *r;	/* fields first, then the whole header */
	const uint8_t *hdr, *payload;
	size_t avail = rd_left(r), hlen;
	uint16_t total, frag;
	uint8_t vihl, proto;

	vihl = rd_u8(&h);
	rd_skip(&h, 1);			/* TOS */
	total = rd_be16(&h);
	rd_skip(&h, 2);			/* id */
	frag = rd_be16(&h);
	rx->ttl = rd_u8(&h);
	proto = rd_u8(&h);
	rd_skip(&h, 2);			/* header checksum */
	rd_bytes(&h, &rx->src.s_addr, 4);
	rd_bytes(&h, &rx->dst.s_addr, 4);
	if (!rd_ok(&h))
		return FRAME_DROP_SHORT_IP;
	if (vihl >> 4 != 4)
		return FRAME_DROP_IP_VERSION;
	hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < FRAME_IP_LEN)
		return FRAME_DROP_IP_HDR_LEN;
	if ((hdr = rd_ptr(r, hlen)) == NULL)	/* options included */
		return FRAME_DROP_SHORT_IP;
	if (total < hlen || total > avail)
		return FRAME_DROP_IP_LEN;
	if (frame_csum_fold(frame_csum_add(0, hdr, hlen)) != 0)
		return FRAME_DROP_IP_CSUM;
	if (frag & (FRAME_IP_MF | FRAME_IP_OFFSET))
		return FRAME_DROP_FRAGMENT;
	if (proto != FRAME_IPPROTO_UDP)
		return FRAME_DROP_NOT_UDP;
	/* the payload ends at the total length: Ethernet padding dropped */
	payload = rd_ptr(r, total - hlen);
	rd_init(r, payload, total - hlen);
	return FRAME_OK;
}

/* RFC 768 over the IP payload in r. */
static enum frame_drop
frame_decode_udp(struct rd *r, unsigned flags, struct frame_rx *rx)
{
	struct rd h = *r;
	const uint8_t *udp;
	uint16_t ulen, csum;

	rx->sport = rd_be16(&h);
	rx->dport = rd_be16(&h);
	ulen = rd_be16(&h);
	csum = rd_be16(&h);
	if (!rd_ok(&h) || ulen < FRAME_UDP_LEN)
		return FRAME_DROP_UDP_LEN;
	if ((udp = rd_ptr(r, ulen)) == NULL)
		return FRAME_DROP_UDP_LEN;
	if (csum != 0 && !(flags & FRAME_RX_CSUM_TRUSTED) &&
	    frame_udp_csum(rx->src, rx->dst, udp, ulen) != 0)
		return FRAME_DROP_UDP_CSUM;
	rx->payload = udp + FRAME_UDP_LEN;
	rx->payload_len = (size_t)ulen - FRAME_UDP_LEN;
	return FRAME_OK;
}

enum frame_drop
frame_decode(const void *frame, size_t len, unsigned flags,
    struct frame_rx *rx)
{
	enum frame_drop why;
	struct rd r;

	memset(rx, 0, sizeof(*rx));
	rd_init(&r, frame, len);
	if ((why = frame_decode_eth(&r, rx)) != FRAME_OK)
		return why;
	if ((why = frame_decode_ip(&r, rx)) != FRAME_OK)
		return why;
	return frame_decode_udp(&r, flags, rx);
}

ssize_t
frame_encode(void *buf, size_t cap, const struct frame_tx *tx,
    size_t payload_len)
{
	uint8_t *b = buf;
	size_t ip_len = FRAME_IP_LEN + FRAME_UDP_LEN + payload_len;
	uint16_t csum;
	struct wr w;

	if (cap < FRAME_HDR_LEN || payload_len > cap - FRAME_HDR_LEN ||
	    ip_len > 0xffff)
		return -EMSGSIZE;
	wr_init(&w, b, FRAME_HDR_LEN);
	wr_bytes(&w, tx->dst_mac, FRAME_MAC_LEN);
	wr_bytes(&w, tx->src_mac, FRAME_MAC_LEN);
	wr_be16(&w, FRAME_ETHERTYPE_IPV4);
	wr_u8(&w, 0x45);		/* version 4, IHL 5 */
	wr_u8(&w, FRAME_TOS_CS6);
	wr_be16(&w, (uint16_t)ip_len);
	wr_be16(&w, tx->ip_id);
	wr_be16(&w, 0);			/* DF clear, no fragment */
	wr_u8(&w, FRAME_TTL);
	wr_u8(&w, FRAME_IPPROTO_UDP);
	wr_be16(&w, 0);			/* header checksum, below */
	wr_bytes(&w, &tx->src.s_addr, 4);
	wr_bytes(&w, &tx->dst.s_addr, 4);
	wr_be16(&w, tx->sport);
	wr_be16(&w, tx->dport);
	wr_be16(&w, (uint16_t)(FRAME_UDP_LEN + payload_len));
	wr_be16(&w, 0);			/* UDP checksum, below */
	if (!wr_ok(&w))
		return -EMSGSIZE;
	csum = frame_csum_fold(frame_csum_add(0, b + FRAME_ETH_LEN,
	    FRAME_IP_LEN));
	wr_patch_be16(&w, FRAME_ETH_LEN + 10, csum);
	csum = frame_udp_csum(tx->src, tx->dst, b + FRAME_ETH_LEN +
	    FRAME_IP_LEN, FRAME_UDP_LEN + payload_len);
	/* RFC 768: a computed zero is sent as all ones */
	wr_patch_be16(&w, FRAME_ETH_LEN + FRAME_IP_LEN + 6,
	    csum != 0 ? csum : 0xffff);
	return (ssize_t)(FRAME_HDR_LEN + payload_len);
}
