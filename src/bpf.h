/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpf.h - classic BPF socket filters, written by hand (the daemon does not
 * link libpcap; src/test/test_bpf.c checks the program against libpcap's
 * compiler and runs both on a table of frames).
 *
 * The DHCP filter, for the AF_PACKET sockets, is instruction for
 * instruction what libpcap 1.10 compiles (optimised, DLT_EN10MB, snaplen
 * 262144) from
 *	ip proto 17 and ip[6:2] & 0x3fff = 0 and
 *	    (udp dst port 67 or udp dst port 4011)
 * that is: an untagged IPv4 frame (the kernel has already taken an outer
 * VLAN tag off; rawio checks the auxdata for it), UDP, neither MF nor a
 * fragment offset, destination port 67 (DHCP server) or 4011 (PXE boot
 * server).  IP options are honoured through the IHL.  An accepted frame
 * is kept whole (262144 is more than any MTU).
 *
 * The drop-all filter is for sockets that only send (netio): a bound
 * socket keeps the kernel from answering ICMP port-unreachable, and its
 * filter keeps datagrams from queueing.
 */
#ifndef PXEMASQ_BPF_H
#define PXEMASQ_BPF_H

#include <stddef.h>
#include <linux/filter.h>

#define BPF_ACCEPT_LEN 262144u	/* libpcap's MAXIMUM_SNAPLEN */
#define BPF_DHCP_PORT 67
#define BPF_PXE_PORT 4011

/* The DHCP/PXE program; *n receives its length.  Static, read-only. */
const struct sock_filter *bpf_dhcp_insns(size_t *n);
/* A program that drops every packet. */
const struct sock_filter *bpf_drop_all_insns(size_t *n);

/* SO_ATTACH_FILTER of the programs above.  Returns 0 or -errno. */
int bpf_attach_dhcp(int fd);
int bpf_attach_drop_all(int fd);

#endif
