/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bpf.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* Offsets in an Ethernet II frame. */
#define ETH_TYPE 12
#define IP_HDR 14
#define IP_FRAG (IP_HDR + 6)
#define IP_PROTO (IP_HDR + 9)
#define UDP_DPORT_X (IP_HDR + 2)	/* from the UDP header, x = IP hlen */

#define BPF_DHCP_LEN 13

static const struct sock_filter bpf_dhcp[BPF_DHCP_LEN] = {
	/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, ETH_TYPE),
	/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 0, 10),
	/* 2 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, IP_PROTO),
	/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 8),
	/* 4 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, IP_FRAG),
	/* 5: RFC 791: MF flag or fragment offset set */
	/* 5 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 6, 0),
	/* 6: libpcap's own first-fragment test of its port primitive,
	 * already implied by 5; kept so the program equals libpcap's */
	/* 6 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 5, 0),
	/* 7 */ BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, IP_HDR),
	/* 8 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, UDP_DPORT_X),
	/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_DHCP_PORT, 1, 0),
	/* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_PXE_PORT, 0, 1),
	/* 11 */ BPF_STMT(BPF_RET | BPF_K, BPF_ACCEPT_LEN),
	/* 12 */ BPF_STMT(BPF_RET | BPF_K, 0),
};

static const struct sock_filter bpf_drop_all[1] = {
	BPF_STMT(BPF_RET | BPF_K, 0),
};

const struct sock_filter *
bpf_dhcp_insns(size_t *n)
{
	*n = BPF_DHCP_LEN;
	return bpf_dhcp;
}

const struct sock_filter *
bpf_drop_all_insns(size_t *n)
{
	*n = 1;
	return bpf_drop_all;
}

/* The kernel copies the program; sock_fprog wants a writable pointer, so
 * hand it a copy rather than cast away const. */
static int
bpf_attach(int fd, const struct sock_filter *insns, size_t n)
{
	struct sock_filter copy[BPF_DHCP_LEN];
	struct sock_fprog prog;

	if (n > BPF_DHCP_LEN)
		return -EINVAL;
	memcpy(copy, insns, n * sizeof(*insns));
	prog.len = (unsigned short)n;
	prog.filter = copy;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog)) < 0)
		return -errno;
	return 0;
}

int
bpf_attach_dhcp(int fd)
{
	return bpf_attach(fd, bpf_dhcp, BPF_DHCP_LEN);
}

int
bpf_attach_drop_all(int fd)
{
	return bpf_attach(fd, bpf_drop_all, 1);
}
