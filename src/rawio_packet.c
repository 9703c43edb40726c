/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rawio_packet.c - rawio.h on Linux AF_PACKET sockets (packet(7)). */
#include "rawio.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "bpf.h"

static const char *const rawio_drop_names[RAWIO_DROP_COUNT] = {
	[RAWIO_OK] = "ok",
	[RAWIO_DROP_PKTTYPE] = "not-for-host",
	[RAWIO_DROP_VLAN] = "vlan-tagged",
	[RAWIO_DROP_TRUNC] = "truncated",
};

const char *
rawio_drop_name(enum rawio_drop why)
{
	if ((unsigned)why >= RAWIO_DROP_COUNT)
		return "unknown";
	return rawio_drop_names[why];
}

static int
rawio_setopt(int fd, int name, int val)
{
	if (setsockopt(fd, SOL_PACKET, name, &val, sizeof(val)) < 0)
		return -errno;
	return 0;
}

/*
 * The receive buffer: a burst of DHCP near the top rate outruns the
 * default (net.core.rmem_default, 208 KiB, a few hundred frames once the
 * kernel's per-frame overhead is counted).  The size is a cap on what may
 * wait, charged only while frames wait, not memory held; it is not a
 * capture ring.  SO_RCVBUFFORCE needs CAP_NET_ADMIN (root at start-up);
 * a socket reopened later gets what net.core.rmem_max allows.
 */
#define RAWIO_RCVBUF (1 << 20)

static void
rawio_rcvbuf(int fd)
{
	int v = RAWIO_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
}

/* The socket is created for protocol 0, which delivers nothing until
 * bind() names ETH_P_IP: by then the filter is in place and no
 * unfiltered frame was ever queued (no drain needed). */
int
rawio_open(struct rawio *r, int ifindex)
{
	struct sockaddr_ll sll;
	int fd, rc;

	r->fd = -1;
	r->ifindex = ifindex;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if ((rc = bpf_attach_dhcp(fd)) < 0)
		goto out_close;
	if ((rc = rawio_setopt(fd, PACKET_AUXDATA, 1)) < 0)
		goto out_close;
	/* Linux >= 4.20: our own frames are not even queued.  Older
	 * kernels: PACKET_OUTGOING is dropped in rawio_recv(). */
	(void)rawio_setopt(fd, PACKET_IGNORE_OUTGOING, 1);
	rawio_rcvbuf(fd);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rc = -errno;
		goto out_close;
	}
	r->fd = fd;
	return 0;

out_close:
	close(fd);
	return rc;
}

void
rawio_close(struct rawio *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

unsigned long
rawio_queue_drops(struct rawio *r)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (r->fd < 0 || getsockopt(r->fd, SOL_PACKET, PACKET_STATISTICS, &st,
	    &len) < 0)
		return 0;
	return st.tp_drops;
}

static void
rawio_read_aux(struct msghdr *msg, struct rawio_meta *m)
{
	struct tpacket_auxdata aux;
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_PACKET ||
		    c->cmsg_type != PACKET_AUXDATA ||
		    c->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		m->tp_status = aux.tp_status;
		/* a priority tag (VID 0) is a tag too; kernels before
		 * 3.0 set the TCI without the VALID bit */
		m->vlan = (aux.tp_status & TP_STATUS_VLAN_VALID) ||
		    aux.tp_vlan_tci != 0;
		m->csum_trusted = (aux.tp_status &
		    (TP_STATUS_CSUMNOTREADY | TP_STATUS_CSUM_VALID)) != 0;
	}
}

ssize_t
rawio_recv(struct rawio *r, uint8_t *buf, size_t cap,
    struct rawio_meta *meta)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct sockaddr_ll sll;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr msg;
	ssize_t n;

	memset(meta, 0, sizeof(*meta));
	memset(&msg, 0, sizeof(msg));
	memset(&sll, 0, sizeof(sll));
	msg.msg_name = &sll;
	msg.msg_namelen = sizeof(sll);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	/* MSG_TRUNC: the real length even when it did not fit */
	n = recvmsg(r->fd, &msg, MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	meta->ifindex = sll.sll_ifindex;
	meta->pkttype = sll.sll_pkttype;
	meta->wire_len = (size_t)n;
	rawio_read_aux(&msg, meta);
	if (sll.sll_pkttype != PACKET_HOST &&
	    sll.sll_pkttype != PACKET_BROADCAST)
		meta->why = RAWIO_DROP_PKTTYPE;
	else if (meta->vlan)
		meta->why = RAWIO_DROP_VLAN;
	else if ((size_t)n > cap || (msg.msg_flags & MSG_TRUNC))
		meta->why = RAWIO_DROP_TRUNC;
	return (size_t)n > cap ? (ssize_t)cap : n;
}

int
rawio_send(struct rawio *r, const void *frame, size_t len)
{
	struct sockaddr_ll sll;
	ssize_t n;

	if (len < ETH_HLEN)
		return -EINVAL;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = r->ifindex;
	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, frame, ETH_ALEN);
	n = sendto(r->fd, frame, len, MSG_DONTWAIT,
	    (const struct sockaddr *)&sll, sizeof(sll));
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}
