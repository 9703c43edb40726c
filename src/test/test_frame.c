/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_frame.c - Ethernet/IPv4/UDP decoding, drop reasons, encoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "frame.h"

#define OFF_IP FRAME_ETH_LEN
#define OFF_UDP (FRAME_ETH_LEN + FRAME_IP_LEN)

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct in_addr
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* A client's broadcast to port 67 with plen payload bytes 0, 1, 2, ... */
static size_t
build(uint8_t *buf, size_t cap, size_t plen)
{
	struct frame_tx tx;
	ssize_t n;
	size_t i;

	memset(&tx, 0, sizeof(tx));
	memcpy(tx.dst_mac, mac_b, 6);
	memcpy(tx.src_mac, mac_a, 6);
	tx.src = ip4("0.0.0.0");
	tx.dst = ip4("255.255.255.255");
	tx.sport = 68;
	tx.dport = 67;
	tx.ip_id = 7;
	for (i = 0; i < plen; i++)
		buf[FRAME_HDR_LEN + i] = (uint8_t)i;
	n = frame_encode(buf, cap, &tx, plen);
	assert_int_equal(n, (ssize_t)(FRAME_HDR_LEN + plen));
	return (size_t)n;
}

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Recomputes the IPv4 header checksum after a change to the header. */
static void
fix_ip_csum(uint8_t *f)
{
	size_t hlen = (size_t)(f[OFF_IP] & 0x0f) * 4;

	if (hlen < 20)
		hlen = 20;
	put16(f + OFF_IP + 10, 0);
	put16(f + OFF_IP + 10,
	    frame_csum_fold(frame_csum_add(0, f + OFF_IP, hlen)));
}

/* --- drop reasons, one row each -------------------------------------- */

struct drop_row {
	const char *name;
	size_t at;		/* offset of the changed 16-bit field */
	unsigned val;		/* new value (-1u: unchanged) */
	bool fix_ip;		/* recompute the IP header checksum */
	size_t cut;		/* frame length after it (0: as built) */
	unsigned flags;
	enum frame_drop want;
};

#define NOCHANGE 0xffffffffu

static const struct drop_row drop_rows[] = {
	{ "as built", 0, NOCHANGE, false, 0, 0, FRAME_OK },
	{ "shorter than ethernet", 0, NOCHANGE, false, 13, 0,
	    FRAME_DROP_SHORT_ETH },
	{ "802.1Q tag", 12, 0x8100, false, 0, 0, FRAME_DROP_VLAN },
	{ "802.1ad tag", 12, 0x88a8, false, 0, 0, FRAME_DROP_VLAN },
	{ "IPv6 ethertype", 12, 0x86dd, false, 0, 0, FRAME_DROP_NOT_IPV4 },
	{ "ARP ethertype", 12, 0x0806, false, 0, 0, FRAME_DROP_NOT_IPV4 },
	{ "ip header cut", 0, NOCHANGE, false, OFF_IP + 19, 0,
	    FRAME_DROP_SHORT_IP },
	{ "ip version 6", OFF_IP, 0x65c0, true, 0, 0, FRAME_DROP_IP_VERSION },
	{ "ihl 4", OFF_IP, 0x44c0, false, 0, 0, FRAME_DROP_IP_HDR_LEN },
	{ "ihl 15 past the frame", OFF_IP, 0x4fc0, false, OFF_IP + 40, 0,
	    FRAME_DROP_SHORT_IP },
	{ "total length past the frame", OFF_IP + 2, 1000, true, 0, 0,
	    FRAME_DROP_IP_LEN },
	{ "total length below ihl", OFF_IP + 2, 19, true, 0, 0,
	    FRAME_DROP_IP_LEN },
	{ "ip header checksum", OFF_IP + 10, 0x1234, false, 0, 0,
	    FRAME_DROP_IP_CSUM },
	{ "more fragments", OFF_IP + 6, 0x2000, true, 0, 0,
	    FRAME_DROP_FRAGMENT },
	{ "fragment offset", OFF_IP + 6, 0x0001, true, 0, 0,
	    FRAME_DROP_FRAGMENT },
	{ "DF alone is fine", OFF_IP + 6, 0x4000, true, 0, 0, FRAME_OK },
	{ "tcp", OFF_IP + 8, 0x4006, true, 0, 0, FRAME_DROP_NOT_UDP },
	{ "ip payload shorter than udp header", OFF_IP + 2, 24, true, 0, 0,
	    FRAME_DROP_UDP_LEN },
	{ "udp length 7", OFF_UDP + 4, 7, false, 0, 0, FRAME_DROP_UDP_LEN },
	{ "udp length past ip payload", OFF_UDP + 4, 8 + 301, false, 0, 0,
	    FRAME_DROP_UDP_LEN },
	{ "udp checksum wrong", OFF_UDP + 6, 0x1111, false, 0, 0,
	    FRAME_DROP_UDP_CSUM },
	{ "udp checksum wrong, kernel vouches", OFF_UDP + 6, 0x1111, false, 0,
	    FRAME_RX_CSUM_TRUSTED, FRAME_OK },
	{ "udp checksum absent", OFF_UDP + 6, 0, false, 0, 0, FRAME_OK },
	{ "ip checksum wrong, kernel vouches for udp", OFF_IP + 10, 0x1234,
	    false, 0, FRAME_RX_CSUM_TRUSTED, FRAME_DROP_IP_CSUM },
};

static void
drop_reasons(void **state)
{
	uint8_t f[400];
	struct frame_rx rx;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(drop_rows) / sizeof(drop_rows[0]); i++) {
		const struct drop_row *row = &drop_rows[i];
		enum frame_drop got;

		len = build(f, sizeof(f), 300);
		if (row->val != NOCHANGE)
			put16(f + row->at, row->val);
		if (row->fix_ip)
			fix_ip_csum(f);
		if (row->cut != 0)
			len = row->cut;
		got = frame_decode(f, len, row->flags, &rx);
		if (got != row->want)
			fail_msg("row \"%s\": got %s, want %s", row->name,
			    frame_drop_name(got), frame_drop_name(row->want));
	}
}

static void
drop_names_distinct(void **state)
{
	unsigned i, j;

	(void)state;
	for (i = 0; i < FRAME_DROP_COUNT; i++) {
		assert_non_null(frame_drop_name((enum frame_drop)i));
		for (j = 0; j < i; j++)
			assert_string_not_equal(
			    frame_drop_name((enum frame_drop)i),
			    frame_drop_name((enum frame_drop)j));
	}
	assert_string_equal(frame_drop_name(FRAME_DROP_COUNT), "unknown");
}

/* Every prefix of a good frame is dropped, none read past its end (the
 * sanitizer build checks the second half). */
static void
every_prefix_dropped(void **state)
{
	uint8_t f[400];
	struct frame_rx rx;
	size_t len, n;

	(void)state;
	len = build(f, sizeof(f), 300);
	for (n = 0; n < len; n++)
		assert_int_not_equal(frame_decode(f, n, 0, &rx), FRAME_OK);
	assert_int_equal(frame_decode(f, len, 0, &rx), FRAME_OK);
	assert_int_equal(frame_decode(NULL, 0, 0, &rx), FRAME_DROP_SHORT_ETH);
}

/* --- accepted shapes ------------------------------------------------- */

static void
decode_fields(void **state)
{
	uint8_t f[400];
	struct frame_rx rx;
	size_t len, i;

	(void)state;
	len = build(f, sizeof(f), 300);
	assert_int_equal(frame_decode(f, len, 0, &rx), FRAME_OK);
	assert_memory_equal(rx.dst_mac, mac_b, 6);
	assert_memory_equal(rx.src_mac, mac_a, 6);
	assert_int_equal(rx.src.s_addr, ip4("0.0.0.0").s_addr);
	assert_int_equal(rx.dst.s_addr, ip4("255.255.255.255").s_addr);
	assert_int_equal(rx.sport, 68);
	assert_int_equal(rx.dport, 67);
	assert_int_equal(rx.ttl, FRAME_TTL);
	assert_int_equal(rx.payload_len, 300);
	assert_ptr_equal(rx.payload, f + FRAME_HDR_LEN);
	for (i = 0; i < 300; i++)
		assert_int_equal(rx.payload[i], (uint8_t)i);
}

/* Ethernet padding after the IP total length is not payload. */
static void
padding_ignored(void **state)
{
	uint8_t f[100];
	struct frame_rx rx;
	size_t len;

	(void)state;
	len = build(f, sizeof(f), 5);
	assert_int_equal(len, 47);
	memset(f + len, 0xee, 60 - len);
	assert_int_equal(frame_decode(f, 60, 0, &rx), FRAME_OK);
	assert_int_equal(rx.payload_len, 5);
}

/* A UDP length below the IP payload trims the payload (Linux udp_rcv);
 * the checksum covers only the UDP length. */
static void
udp_shorter_than_ip(void **state)
{
	uint8_t f[400], g[400];
	struct frame_rx rx;
	size_t len;

	(void)state;
	build(g, sizeof(g), 100);
	len = build(f, sizeof(f), 120);
	/* same UDP datagram as g (100 bytes) in a longer IP packet */
	memcpy(f + OFF_UDP, g + OFF_UDP, FRAME_UDP_LEN + 100);
	assert_int_equal(frame_decode(f, len, 0, &rx), FRAME_OK);
	assert_int_equal(rx.payload_len, 100);
}

/* IHL 6: four bytes of options (a Router Alert) are skipped. */
static void
ip_options_skipped(void **state)
{
	uint8_t f[400], g[400];
	struct frame_rx rx;
	size_t len;

	(void)state;
	len = build(g, sizeof(g), 50);
	memcpy(f, g, OFF_UDP);
	memcpy(f + OFF_UDP + 4, g + OFF_UDP, len - OFF_UDP);
	f[OFF_UDP] = 0x94;	/* RFC 2113 Router Alert */
	f[OFF_UDP + 1] = 4;
	f[OFF_UDP + 2] = 0;
	f[OFF_UDP + 3] = 0;
	f[OFF_IP] = 0x46;
	put16(f + OFF_IP + 2, (unsigned)(len - OFF_IP + 4));
	fix_ip_csum(f);
	assert_int_equal(frame_decode(f, len + 4, 0, &rx), FRAME_OK);
	assert_int_equal(rx.dport, 67);
	assert_int_equal(rx.payload_len, 50);
	assert_ptr_equal(rx.payload, f + FRAME_HDR_LEN + 4);
	assert_int_equal(rx.payload[49], 49);
}

/* --- checksums ------------------------------------------------------- */

/* A reply from 198.51.100.1:67 to 255.255.255.255:68, IP id 0x1234, with
 * the 9-byte payload "pxemasq!x" (odd length).  Checksums computed
 * independently in Python (RFC 1071 over 16-bit words, zero pad):
 * IP 0x3da0, UDP 0xb495. */
static void
known_frame_checksums(void **state)
{
	uint8_t f[100];
	struct frame_tx tx;
	struct frame_rx rx;
	ssize_t n;

	(void)state;
	memset(&tx, 0, sizeof(tx));
	memcpy(tx.dst_mac, mac_b, 6);
	memcpy(tx.src_mac, mac_a, 6);
	tx.src = ip4("198.51.100.1");
	tx.dst = ip4("255.255.255.255");
	tx.sport = 67;
	tx.dport = 68;
	tx.ip_id = 0x1234;
	memcpy(f + FRAME_HDR_LEN, "pxemasq!x", 9);
	n = frame_encode(f, sizeof(f), &tx, 9);
	assert_int_equal(n, FRAME_HDR_LEN + 9);
	{
		static const uint8_t want_hdr[FRAME_HDR_LEN] = {
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x08, 0x00,
			0x45, 0xc0, 0x00, 0x25, 0x12, 0x34, 0x00, 0x00,
			0x40, 0x11, 0x3d, 0xa0, 198, 51, 100, 1,
			255, 255, 255, 255,
			0x00, 0x43, 0x00, 0x44, 0x00, 0x11, 0xb4, 0x95,
		};
		assert_memory_equal(f, want_hdr, FRAME_HDR_LEN);
	}
	assert_int_equal(frame_decode(f, (size_t)n, 0, &rx), FRAME_OK);
	assert_int_equal(rx.payload_len, 9);
	assert_memory_equal(rx.payload, "pxemasq!x", 9);
}

/* Each payload length 0..64 (odd and even) survives a round trip with
 * the checksum checked, and flipping any payload bit is caught. */
static void
checksum_all_lengths(void **state)
{
	uint8_t f[200];
	struct frame_rx rx;
	size_t plen, len, i;

	(void)state;
	for (plen = 0; plen <= 64; plen++) {
		len = build(f, sizeof(f), plen);
		assert_int_equal(frame_decode(f, len, 0, &rx), FRAME_OK);
		assert_int_equal(rx.payload_len, plen);
		for (i = 0; i < plen; i++) {
			f[FRAME_HDR_LEN + i] ^= 0x01;
			assert_int_equal(frame_decode(f, len, 0, &rx),
			    FRAME_DROP_UDP_CSUM);
			f[FRAME_HDR_LEN + i] ^= 0x01;
		}
	}
}

/* RFC 1071 examples: the sum of 00 01 f2 03 f4 f5 f6 f7 is 0xddf2. */
static void
rfc1071_sum(void **state)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
		0xf6, 0xf7 };
	uint32_t s;

	(void)state;
	s = frame_csum_add(0, b, sizeof(b));
	assert_int_equal(frame_csum_fold(s), (uint16_t)~0xddf2);
	/* in pieces of even length: the same */
	s = frame_csum_add(frame_csum_add(0, b, 2), b + 2, 6);
	assert_int_equal(frame_csum_fold(s), (uint16_t)~0xddf2);
	/* odd tail: 0xab counts as 0xab00 */
	assert_int_equal(frame_csum_fold(frame_csum_add(0, "\xab", 1)),
	    (uint16_t)~0xab00);
}

/* A computed UDP checksum of 0 goes out as 0xffff (RFC 768). */
static void
zero_checksum_sent_as_ones(void **state)
{
	uint8_t f[200];
	struct frame_tx tx;
	struct frame_rx rx;
	uint16_t c;
	ssize_t n;

	(void)state;
	memset(&tx, 0, sizeof(tx));
	tx.src = ip4("0.0.0.0");
	tx.dst = ip4("0.0.0.0");
	tx.sport = 0;
	tx.dport = 0;
	/* pseudo header + header sum to 17 + 2 * 10; payload word makes the
	 * folded sum 0xffff, so the checksum computes as 0 */
	f[FRAME_HDR_LEN] = (uint8_t)((0xffff - 17 - 10 - 10) >> 8);
	f[FRAME_HDR_LEN + 1] = (uint8_t)(0xffff - 17 - 10 - 10);
	n = frame_encode(f, sizeof(f), &tx, 2);
	assert_int_equal(n, FRAME_HDR_LEN + 2);
	c = (uint16_t)(f[OFF_UDP + 6] << 8 | f[OFF_UDP + 7]);
	assert_int_equal(c, 0xffff);
	assert_int_equal(frame_decode(f, (size_t)n, 0, &rx), FRAME_OK);
}

/* --- encoding limits ------------------------------------------------- */

static void
encode_limits(void **state)
{
	static uint8_t big[70000];
	struct frame_tx tx;

	(void)state;
	memset(&tx, 0, sizeof(tx));
	assert_int_equal(frame_encode(big, 10, &tx, 0), -EMSGSIZE);
	assert_int_equal(frame_encode(big, 100, &tx, 59), -EMSGSIZE);
	assert_int_equal(frame_encode(big, 100, &tx, 58), 100);
	/* IPv4 total length is 16 bits: 65535 - 28 bytes of payload */
	assert_int_equal(frame_encode(big, sizeof(big), &tx, 65507),
	    FRAME_HDR_LEN + 65507);
	assert_int_equal(frame_encode(big, sizeof(big), &tx, 65508),
	    -EMSGSIZE);
}

static void
max_payload_from_mtu(void **state)
{
	(void)state;
	assert_int_equal(frame_max_payload(1500), 1472);
	assert_int_equal(frame_max_payload(576), 548);	/* RFC 2131 minimum */
	assert_int_equal(frame_max_payload(28), 0);
	assert_int_equal(frame_max_payload(0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(drop_reasons),
		cmocka_unit_test(drop_names_distinct),
		cmocka_unit_test(every_prefix_dropped),
		cmocka_unit_test(decode_fields),
		cmocka_unit_test(padding_ignored),
		cmocka_unit_test(udp_shorter_than_ip),
		cmocka_unit_test(ip_options_skipped),
		cmocka_unit_test(known_frame_checksums),
		cmocka_unit_test(checksum_all_lengths),
		cmocka_unit_test(rfc1071_sum),
		cmocka_unit_test(zero_checksum_sent_as_ones),
		cmocka_unit_test(encode_limits),
		cmocka_unit_test(max_payload_from_mtu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
