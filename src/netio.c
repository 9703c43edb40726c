/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "netio.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/ip.h>

#include "bpf.h"
#include "conf.h"
#include "conf_dhcp.h"
#include "conf_pxe.h"

bool
netio_wants_dhcp_port(const struct conf *cf)
{
	const struct conf_dhcp_range *r;

	if (cf->dhcp == NULL)
		return false;
	for (r = cf->dhcp->ranges; r != NULL; r = r->next)
		if (!(r->flags & CONF_DHCP_RANGE_PROXY))
			return true;
	return false;
}

bool
netio_wants_pxe_port(const struct conf *cf)
{
	return cf->pxe != NULL && cf->pxe->enabled;
}

static int
netio_setopt(int fd, int level, int name, int val)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)) < 0)
		return -errno;
	return 0;
}

/* dnsmasq 2.90 make_fd(): PMTU discovery off, TOS CS6, IP_PKTINFO,
 * SO_BROADCAST; plus our drop-all filter before bind. */
static int
netio_options(int fd, unsigned flags)
{
	int rc;

	if ((rc = netio_setopt(fd, IPPROTO_IP, IP_MTU_DISCOVER,
	    IP_PMTUDISC_DONT)) < 0 ||
	    (rc = netio_setopt(fd, IPPROTO_IP, IP_TOS, IPTOS_CLASS_CS6)) < 0 ||
	    (rc = netio_setopt(fd, IPPROTO_IP, IP_PKTINFO, 1)) < 0 ||
	    (rc = netio_setopt(fd, SOL_SOCKET, SO_BROADCAST, 1)) < 0)
		return rc;
	if (!(flags & NETIO_RECV))
		return bpf_attach_drop_all(fd);
	return 0;
}

int
netio_open(struct netio *n, uint16_t port, unsigned flags,
    enum netio_step *failed)
{
	struct sockaddr_in sin;
	enum netio_step step = NETIO_STEP_SOCKET;
	int fd, rc;

	n->fd = -1;
	n->port = port;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_UDP);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	step = NETIO_STEP_OPTIONS;
	if ((rc = netio_options(fd, flags)) < 0)
		goto out_close;
	step = NETIO_STEP_BIND;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		rc = -errno;
		goto out_close;
	}
	n->fd = fd;
	step = NETIO_STEP_NONE;
	rc = 0;
	goto out;

out_close:
	close(fd);
out:
	if (failed != NULL)
		*failed = step;
	return rc;
}

void
netio_close(struct netio *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

ssize_t
netio_recv(struct netio *n, void *buf, size_t cap, struct netio_meta *m)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} ctl;
	struct sockaddr_in from;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr msg;
	struct cmsghdr *c;
	ssize_t len;

	memset(m, 0, sizeof(*m));
	memset(&msg, 0, sizeof(msg));
	memset(&from, 0, sizeof(from));
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	len = recvmsg(n->fd, &msg, MSG_DONTWAIT);
	if (len < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	m->src = from.sin_addr;
	m->sport = ntohs(from.sin_port);
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		struct in_pktinfo pi;

		if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO ||
		    c->cmsg_len < CMSG_LEN(sizeof(pi)))
			continue;
		memcpy(&pi, CMSG_DATA(c), sizeof(pi));
		m->ifindex = pi.ipi_ifindex;
		m->dst = pi.ipi_addr;
	}
	return len;
}

int
netio_send(struct netio *n, struct in_addr dst, uint16_t dport,
    int ifindex, struct in_addr src, const void *p, size_t len)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} ctl;
	struct sockaddr_in to;
	struct iovec iov;
	struct msghdr msg;
	struct in_pktinfo pi;
	struct cmsghdr *c;
	ssize_t sent;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr = dst;
	to.sin_port = htons(dport);
	memcpy(&iov.iov_base, &p, sizeof(p));	/* msghdr is not const */
	iov.iov_len = len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &to;
	msg.msg_namelen = sizeof(to);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (ifindex != 0 || src.s_addr != htonl(INADDR_ANY)) {
		memset(&ctl, 0, sizeof(ctl));
		memset(&pi, 0, sizeof(pi));
		pi.ipi_ifindex = ifindex;
		pi.ipi_spec_dst = src;
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	sent = sendmsg(n->fd, &msg, MSG_DONTWAIT);
	if (sent < 0)
		return -errno;
	return (size_t)sent == len ? 0 : -EIO;
}
