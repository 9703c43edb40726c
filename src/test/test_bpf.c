/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_bpf.c - the hand-written socket filter against libpcap's compiler:
 * the same instructions as pcap_compile() of the equivalent expression,
 * and the same verdicts (libpcap's interpreter running both programs) on
 * a table of crafted frames with the verdict each should get.  Only this
 * test links libpcap; the daemon does not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "frame.h"

#define EXPR "ip proto 17 and ip[6:2] & 0x3fff = 0 and " \
	"(udp dst port 67 or udp dst port 4011)"

#define OFF_IP FRAME_ETH_LEN
#define OFF_UDP (FRAME_ETH_LEN + FRAME_IP_LEN)

struct fixture {
	pcap_t *pcap;
	struct bpf_program ref;		/* libpcap's */
	struct bpf_insn ours[16];
	size_t nours;
};

_Static_assert(sizeof(struct bpf_insn) == sizeof(struct sock_filter),
    "libpcap and Linux share the classic BPF instruction layout");

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const struct sock_filter *p;
	size_t i;

	if (f == NULL)
		return -1;
	f->pcap = pcap_open_dead(DLT_EN10MB, (int)BPF_ACCEPT_LEN);
	if (f->pcap == NULL ||
	    pcap_compile(f->pcap, &f->ref, EXPR, 1, PCAP_NETMASK_UNKNOWN) != 0)
		return -1;
	p = bpf_dhcp_insns(&f->nours);
	if (f->nours > 16)
		return -1;
	for (i = 0; i < f->nours; i++) {
		f->ours[i].code = p[i].code;
		f->ours[i].jt = p[i].jt;
		f->ours[i].jf = p[i].jf;
		f->ours[i].k = p[i].k;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	pcap_freecode(&f->ref);
	pcap_close(f->pcap);
	free(f);
	return 0;
}

static void
dump(const char *who, const struct bpf_insn *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		print_message("%s %2zu: { 0x%02x, %u, %u, 0x%08x }\n", who, i,
		    p[i].code, p[i].jt, p[i].jf, p[i].k);
}

/* Instruction for instruction what libpcap compiles. */
static void
same_instructions(void **state)
{
	struct fixture *f = *state;

	if (f->ref.bf_len != f->nours ||
	    memcmp(f->ref.bf_insns, f->ours, f->nours * sizeof(f->ours[0]))) {
		print_message("%s\n", pcap_lib_version());
		dump("libpcap", f->ref.bf_insns, f->ref.bf_len);
		dump("ours", f->ours, f->nours);
		fail_msg("the program differs from libpcap's for: %s", EXPR);
	}
	assert_true(bpf_validate(f->ours, (int)f->nours));
}

/* --- verdicts ------------------------------------------------------- */

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

#define CUT_EMPTY ((size_t)-1)

struct verdict_row {
	const char *name;
	uint16_t dport;
	size_t at;		/* a 16-bit field to change (0: none) */
	unsigned val;
	int ihl_extra;		/* 4-byte words of IP options inserted */
	size_t cut;		/* frame length (0: whole, CUT_EMPTY: 0) */
	bool pass;
};

static const struct verdict_row verdict_rows[] = {
	{ "broadcast to 67", 67, 0, 0, 0, 0, true },
	{ "to 4011", 4011, 0, 0, 0, 0, true },
	{ "to 68 (client port)", 68, 0, 0, 0, 0, false },
	{ "to 69 (tftp)", 69, 0, 0, 0, 0, false },
	{ "to 547 (dhcpv6 port)", 547, 0, 0, 0, 0, false },
	{ "source 67, destination 68", 68, OFF_UDP, 67, 0, 0, false },
	{ "ipv6 ethertype", 67, 12, 0x86dd, 0, 0, false },
	{ "arp ethertype", 67, 12, 0x0806, 0, 0, false },
	{ "802.1Q tag in the frame", 67, 12, 0x8100, 0, 0, false },
	{ "tcp to 67", 67, OFF_IP + 8, 0x4006, 0, 0, false },
	{ "icmp", 67, OFF_IP + 8, 0x4001, 0, 0, false },
	{ "more fragments", 67, OFF_IP + 6, 0x2000, 0, 0, false },
	{ "later fragment", 67, OFF_IP + 6, 0x00b9, 0, 0, false },
	{ "DF set", 67, OFF_IP + 6, 0x4000, 0, 0, true },
	{ "reserved flag set", 67, OFF_IP + 6, 0x8000, 0, 0, true },
	{ "ip options, to 67", 67, 0, 0, 1, 0, true },
	{ "ip options, to 68", 68, 0, 0, 1, 0, false },
	{ "ten option words, to 4011", 4011, 0, 0, 10, 0, true },
	{ "cut inside the ip header", 67, 0, 0, 0, OFF_IP + 10, false },
	{ "cut inside the udp ports", 67, 0, 0, 0, OFF_UDP + 3, false },
	{ "cut after the destination port", 67, 0, 0, 0, OFF_UDP + 4, true },
	{ "empty", 67, 0, 0, 0, CUT_EMPTY, false },
};

/* Builds the frame of a row into buf; returns its length. */
static size_t
build_row(const struct verdict_row *row, uint8_t *buf, size_t cap)
{
	uint8_t tmp[600];
	struct frame_tx tx;
	size_t len, extra = (size_t)row->ihl_extra * 4;
	ssize_t n;

	memset(&tx, 0, sizeof(tx));
	memset(tx.dst_mac, 0xff, 6);
	tx.src_mac[0] = 2;
	inet_pton(AF_INET, "255.255.255.255", &tx.dst);
	tx.sport = 68;
	tx.dport = row->dport;
	memset(tmp + FRAME_HDR_LEN, 0, 300);
	n = frame_encode(tmp, sizeof(tmp), &tx, 300);
	assert_true(n > 0);
	len = (size_t)n;
	assert_true(len + extra <= cap);
	memcpy(buf, tmp, OFF_UDP);
	memset(buf + OFF_UDP, 1, extra);	/* NOP options */
	memcpy(buf + OFF_UDP + extra, tmp + OFF_UDP, len - OFF_UDP);
	buf[OFF_IP] = (uint8_t)(0x45 + row->ihl_extra);
	len += extra;
	if (row->at != 0)
		put16(buf + row->at + (row->at >= OFF_UDP ? extra : 0),
		    row->val);
	if (row->cut == CUT_EMPTY)
		len = 0;
	else if (row->cut != 0)
		len = row->cut;
	return len;
}

static void
verdict_table(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[700];
	size_t i, len;

	for (i = 0; i < sizeof(verdict_rows) / sizeof(verdict_rows[0]); i++) {
		const struct verdict_row *row = &verdict_rows[i];
		unsigned ours, ref;

		len = build_row(row, buf, sizeof(buf));
		ours = bpf_filter(f->ours, buf, (unsigned)len, (unsigned)len);
		ref = bpf_filter(f->ref.bf_insns, buf, (unsigned)len,
		    (unsigned)len);
		if (ours != ref)
			fail_msg("row \"%s\": ours %u, libpcap %u", row->name,
			    ours, ref);
		if ((ours != 0) != row->pass)
			fail_msg("row \"%s\": verdict %u, want %s", row->name,
			    ours, row->pass ? "pass" : "drop");
		if (ours != 0)
			assert_int_equal(ours, BPF_ACCEPT_LEN);
	}
}

/* Random bytes on top of good frames: both programs agree on each. */
static void
random_frames_agree(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[700];
	unsigned seed = 12345, i, j, passed = 0;
	size_t len;

	for (i = 0; i < 200000; i++) {
		const struct verdict_row *row =
		    &verdict_rows[i % (sizeof(verdict_rows) /
		    sizeof(verdict_rows[0]))];
		unsigned ours, ref;

		len = build_row(row, buf, sizeof(buf));
		for (j = 0; j < 1 + i % 3; j++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly the headers, where the program looks */
			buf[(seed >> 8) % (OFF_UDP + 48)] =
			    (uint8_t)(seed >> 20);
		}
		ours = bpf_filter(f->ours, buf, (unsigned)len, (unsigned)len);
		ref = bpf_filter(f->ref.bf_insns, buf, (unsigned)len,
		    (unsigned)len);
		assert_int_equal(ours, ref);
		passed += ours != 0;
	}
	/* the mutations must have exercised both outcomes */
	assert_true(passed > 1000 && passed < 190000);
}

static void
drop_all_is_one_return(void **state)
{
	const struct sock_filter *p;
	size_t n;

	(void)state;
	p = bpf_drop_all_insns(&n);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].code, BPF_RET | BPF_K);
	assert_int_equal(p[0].k, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_instructions),
		cmocka_unit_test(verdict_table),
		cmocka_unit_test(random_frames_agree),
		cmocka_unit_test(drop_all_is_one_return),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
