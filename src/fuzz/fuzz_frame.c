/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_frame.c - frame_decode() on arbitrary bytes.  The first byte picks
 * the flags (bit 0: FRAME_RX_CSUM_TRUSTED); the rest is the frame.
 * Invariants: an accepted frame's payload lies inside the input; encoding
 * it again with the decoded addresses and ports and decoding that (with
 * checksums checked) gives the same fields and payload.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_frame_check(const uint8_t *frame, size_t len, const struct frame_rx *rx)
{
	static uint8_t buf[FRAME_HDR_LEN + 65536];
	struct frame_tx tx;
	struct frame_rx again;
	ssize_t n;

	if (rx->payload_len > len || rx->payload < frame ||
	    rx->payload + rx->payload_len > frame + len)
		abort();
	memset(&tx, 0, sizeof(tx));
	memcpy(tx.dst_mac, rx->dst_mac, FRAME_MAC_LEN);
	memcpy(tx.src_mac, rx->src_mac, FRAME_MAC_LEN);
	tx.src = rx->src;
	tx.dst = rx->dst;
	tx.sport = rx->sport;
	tx.dport = rx->dport;
	memcpy(buf + FRAME_HDR_LEN, rx->payload, rx->payload_len);
	n = frame_encode(buf, sizeof(buf), &tx, rx->payload_len);
	if (n < 0)
		abort();
	if (frame_decode(buf, (size_t)n, 0, &again) != FRAME_OK)
		abort();
	if (memcmp(again.dst_mac, rx->dst_mac, FRAME_MAC_LEN) != 0 ||
	    memcmp(again.src_mac, rx->src_mac, FRAME_MAC_LEN) != 0 ||
	    again.src.s_addr != rx->src.s_addr ||
	    again.dst.s_addr != rx->dst.s_addr ||
	    again.sport != rx->sport || again.dport != rx->dport ||
	    again.payload_len != rx->payload_len ||
	    memcmp(again.payload, rx->payload, rx->payload_len) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_rx rx;
	enum frame_drop why;
	unsigned flags;

	if (size < 1)
		return 0;
	flags = data[0] & 1 ? FRAME_RX_CSUM_TRUSTED : 0;
	why = frame_decode(data + 1, size - 1, flags, &rx);
	if ((unsigned)why >= FRAME_DROP_COUNT)
		abort();
	if (why == FRAME_OK)
		fuzz_frame_check(data + 1, size - 1, &rx);
	return 0;
}
