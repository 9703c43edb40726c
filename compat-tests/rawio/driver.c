/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver.c - a small program for compat-tests/rawio/test.sh: the I/O layer
 * (rawio, netio, iface, frame) on a real kernel, without the daemon.
 *
 *   driver IFNAME [udp] [maxsec]
 *
 * Tracks interfaces through rtnetlink and prints each event; keeps a raw
 * socket open on the interface named IFNAME (re-opened when it comes back
 * with a new index, as the daemon's shell does); with "udp" binds the UDP
 * sockets of ports 67 and 4011 (drop-all filter).  Prints one line per
 * received frame:
 *   rx if=N type=host|broadcast|other why=RAWIO frame=FRAME trusted=0|1
 *      dport=P dst=A tag=TAG
 * where TAG is the payload up to the first ';'.  A frame tagged "echo"
 * makes it send a broadcast frame tagged "own" to port 67 out of the same
 * interface (it must not come back to us); "udpreply" makes it send a UDP
 * datagram tagged "viaudp" from port 67 to the frame's source address,
 * port 68, with IP_PKTINFO naming 198.51.100.1 and the interface.
 * Exits after maxsec seconds (default 60) or on SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>

#include "frame.h"
#include "iface.h"
#include "netio.h"
#include "rawio.h"

struct drv {
	const char *ifname;
	struct iface_table t;
	struct rawio raw;
	struct netio udp67, udp4011;
	uint16_t ip_id;
};

static void
drv_reopen(struct drv *d, const struct iface *ifp)
{
	int rc;

	rawio_close(&d->raw);
	if ((rc = rawio_open(&d->raw, ifp->index)) < 0) {
		printf("rawio open %s %d failed %s\n", ifp->name, ifp->index,
		    strerror(-rc));
		return;
	}
	printf("rawio open %s %d\n", ifp->name, ifp->index);
}

static void
drv_iface(void *arg, struct iface *ifp, enum iface_event ev)
{
	static const char *const names[] = { "new", "change", "del", "addr" };
	struct drv *d = arg;
	char a[INET_ADDRSTRLEN] = "-";

	if (ifp->naddr > 0)
		inet_ntop(AF_INET, &ifp->addr[0].addr, a, sizeof(a));
	printf("iface %s %s %d mtu=%u naddr=%u addr=%s/%u\n", names[ev],
	    ifp->name, ifp->index, ifp->mtu, ifp->naddr, a,
	    ifp->naddr ? ifp->addr[0].prefixlen : 0);
	if (strcmp(ifp->name, d->ifname) != 0)
		return;
	if (ev == IFACE_EV_NEW)
		drv_reopen(d, ifp);
	else if (ev == IFACE_EV_DEL && d->raw.ifindex == ifp->index) {
		rawio_close(&d->raw);
		printf("rawio closed %d\n", ifp->index);
	}
	fflush(stdout);
}

/* A broadcast frame tagged "own" to port 67, out of our interface. */
static void
drv_send_own(struct drv *d)
{
	uint8_t buf[600];
	struct frame_tx tx;
	const struct iface *ifp = iface_find(&d->t, d->raw.ifindex);
	ssize_t n;
	int rc;

	memset(&tx, 0, sizeof(tx));
	memset(tx.dst_mac, 0xff, FRAME_MAC_LEN);
	if (ifp != NULL && ifp->mac_len == FRAME_MAC_LEN)
		memcpy(tx.src_mac, ifp->mac, FRAME_MAC_LEN);
	inet_pton(AF_INET, "198.51.100.1", &tx.src);
	inet_pton(AF_INET, "255.255.255.255", &tx.dst);
	tx.sport = 68;
	tx.dport = 67;
	tx.ip_id = ++d->ip_id;
	memset(buf + FRAME_HDR_LEN, 0, 300);
	memcpy(buf + FRAME_HDR_LEN, "own;", 4);
	n = frame_encode(buf, sizeof(buf), &tx, 300);
	rc = n < 0 ? (int)n : rawio_send(&d->raw, buf, (size_t)n);
	printf("sent own rc=%d\n", rc);
}

static void
drv_send_udp(struct drv *d, struct in_addr to)
{
	struct in_addr src;
	int rc;

	inet_pton(AF_INET, "198.51.100.1", &src);
	rc = netio_send(&d->udp67, to, NETIO_PORT_CLIENT, d->raw.ifindex, src,
	    "viaudp;", 7);
	printf("sent viaudp rc=%d\n", rc);
}

static const char *
drv_pkttype(uint8_t t)
{
	return t == PACKET_HOST ? "host" : t == PACKET_BROADCAST ?
	    "broadcast" : "other";
}

static void
drv_rx(struct drv *d)
{
	uint8_t buf[2048];
	struct rawio_meta m;
	struct frame_rx rx;
	enum frame_drop fd = FRAME_DROP_SHORT_ETH;
	char tag[32] = "", dst[INET_ADDRSTRLEN] = "-";
	ssize_t n;
	size_t i;

	while ((n = rawio_recv(&d->raw, buf, sizeof(buf), &m)) >= 0) {
		fd = frame_decode(buf, (size_t)n, m.csum_trusted ?
		    FRAME_RX_CSUM_TRUSTED : 0, &rx);
		if (fd != FRAME_OK && (size_t)n > FRAME_HDR_LEN) {
			/* dropped: the tag where it would be without options */
			rx.payload = buf + FRAME_HDR_LEN;
			rx.payload_len = (size_t)n - FRAME_HDR_LEN;
		}
		for (i = 0; i < rx.payload_len && i + 1 < sizeof(tag) &&
		    rx.payload[i] != ';' && rx.payload[i] >= 0x20 &&
		    rx.payload[i] < 0x7f; i++)
			tag[i] = (char)rx.payload[i];
		tag[i] = '\0';
		inet_ntop(AF_INET, &rx.dst, dst, sizeof(dst));
		printf("rx if=%d type=%s why=%s frame=%s trusted=%d dport=%u "
		    "dst=%s dstok=%d tag=%s\n", m.ifindex,
		    drv_pkttype(m.pkttype), rawio_drop_name(m.why),
		    frame_drop_name(fd), m.csum_trusted, rx.dport, dst,
		    iface_dst_ok(&d->t, iface_find(&d->t, m.ifindex), rx.dst),
		    tag);
		if (m.why == RAWIO_OK && fd == FRAME_OK) {
			if (strcmp(tag, "echo") == 0)
				drv_send_own(d);
			else if (strcmp(tag, "udpreply") == 0)
				drv_send_udp(d, rx.src);
		}
		fflush(stdout);
	}
}

static int
drv_udp(struct drv *d)
{
	enum netio_step step;
	int rc;

	if ((rc = netio_open(&d->udp67, NETIO_PORT_DHCP, 0, &step)) < 0 ||
	    (rc = netio_open(&d->udp4011, NETIO_PORT_PXE, 0, &step)) < 0) {
		printf("netio failed step=%d %s\n", step, strerror(-rc));
		return rc;
	}
	printf("netio bound 67 4011\n");
	return 0;
}

int
main(int argc, char **argv)
{
	struct drv d;
	struct pollfd p[2];
	time_t end;
	sigset_t ss;
	int rc;

	if (argc < 2)
		return 2;
	memset(&d, 0, sizeof(d));
	d.ifname = argv[1];
	d.raw.fd = d.udp67.fd = d.udp4011.fd = -1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	end = time(NULL) + (argc > 3 ? atoi(argv[3]) : 60);
	if (argc > 2 && strcmp(argv[2], "udp") == 0 && drv_udp(&d) < 0)
		return 1;
	if ((rc = iface_table_open(&d.t, drv_iface, &d)) < 0) {
		printf("iface failed %s\n", strerror(-rc));
		return 1;
	}
	sigemptyset(&ss);
	printf("ready\n");
	fflush(stdout);
	while (time(NULL) < end) {
		p[0].fd = d.t.fd;
		p[0].events = POLLIN;
		p[1].fd = d.raw.fd;
		p[1].events = POLLIN;
		if (poll(p, 2, 200) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN)
			iface_table_read(&d.t);
		if (d.raw.fd >= 0 && (p[1].revents & POLLIN))
			drv_rx(&d);
	}
	rawio_close(&d.raw);
	netio_close(&d.udp67);
	netio_close(&d.udp4011);
	iface_table_close(&d.t);
	return 0;
}
