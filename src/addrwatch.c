/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * addrwatch.c - bind-dynamic's addresses and their events (see
 * addrwatch.h).
 */
#include "addrwatch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "conf.h"
#include "iface.h"

#define ADDRWATCH_READS	64	/* reads per wake-up; the rest next turn */

/* True when a (family fam) is one of the listen-address lines. */
static bool
addrwatch_listed(const struct conf *cf, int fam, const void *a)
{
	const struct conf_str *s;

	for (s = cf->listen_addresses.head; s != NULL; s = s->next) {
		uint8_t b[16];

		if (s->s != NULL && inet_pton(fam, s->s, b) == 1 &&
		    memcmp(a, b, fam == AF_INET ? 4 : 16) == 0)
			return true;
	}
	return false;
}

bool
addrwatch_wanted(const struct conf *cf, const char *label, bool loopback,
    int fam, const void *a)
{
	bool ok = true, by_addr = false;

	if (cf->interfaces.n != 0 || cf->listen_addresses.n != 0) {
		by_addr = addrwatch_listed(cf, fam, a);
		ok = by_addr || iface_name_listed(&cf->interfaces, label) ||
		    (loopback && cf->interfaces.n != 0);
	}
	if (!by_addr && iface_name_listed(&cf->except_interfaces, label))
		ok = false;
	return ok;
}

/* One getifaddrs() entry as an address to bind, if wanted. */
static bool
addrwatch_entry(const struct conf *cf, uint16_t port, const struct ifaddrs *i,
    struct addrwatch_addr *out)
{
	int fam = i->ifa_addr->sa_family;
	const void *a;

	memset(out, 0, sizeof(*out));
	if (fam == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&out->sa;

		memcpy(s, i->ifa_addr, sizeof(*s));
		s->sin_port = htons(port);
		a = &s->sin_addr;
		out->salen = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&out->sa;

		memcpy(s, i->ifa_addr, sizeof(*s));
		s->sin6_port = htons(port);
		s->sin6_flowinfo = 0;
		if (!IN6_IS_ADDR_LINKLOCAL(&s->sin6_addr))
			s->sin6_scope_id = 0;
		a = &s->sin6_addr;
		out->salen = sizeof(*s);
	}
	/* IPv4 names are labels ("eth0:1"); the interface is before ':' */
	if (!addrwatch_wanted(cf, i->ifa_name,
	    (i->ifa_flags & IFF_LOOPBACK) != 0, fam, a))
		return false;
	snprintf(out->ifname, sizeof(out->ifname), "%.*s",
	    (int)strcspn(i->ifa_name, ":"), i->ifa_name);
	out->ifindex = (int)if_nametoindex(out->ifname);
	return out->ifindex != 0;	/* 0: gone meanwhile */
}

int
addrwatch_each(const struct conf *cf, uint16_t port, addrwatch_each_fn *fn,
    void *arg)
{
	struct ifaddrs *ifa, *i;
	int rc = 0;

	if (getifaddrs(&ifa) != 0)
		return -errno;
	for (i = ifa; i != NULL && rc >= 0; i = i->ifa_next) {
		struct addrwatch_addr a;

		if (i->ifa_addr == NULL || i->ifa_name == NULL ||
		    (i->ifa_addr->sa_family != AF_INET &&
		    i->ifa_addr->sa_family != AF_INET6))
			continue;
		if (addrwatch_entry(cf, port, i, &a))
			rc = fn(arg, &a);
	}
	freeifaddrs(ifa);
	return rc < 0 ? rc : 0;
}

int
addrwatch_listen_each(const struct conf *cf, uint16_t port,
    addrwatch_each_fn *fn, void *arg)
{
	const struct conf_str *s;
	int rc;

	for (s = cf->listen_addresses.head; s != NULL; s = s->next) {
		struct addrwatch_addr a;
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a.sa;
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a.sa;

		memset(&a, 0, sizeof(a));
		if (s->s == NULL)
			continue;
		if (inet_pton(AF_INET, s->s, &s4->sin_addr) == 1) {
			s4->sin_family = AF_INET;
			s4->sin_port = htons(port);
			a.salen = sizeof(*s4);
		} else if (inet_pton(AF_INET6, s->s, &s6->sin6_addr) == 1) {
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons(port);
			a.salen = sizeof(*s6);
		} else {
			continue;
		}
		if ((rc = fn(arg, &a)) < 0)
			return rc;
	}
	return 0;
}

void
addrwatch_text(const struct sockaddr_storage *ss, char *buf, size_t sz)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	char name[IF_NAMESIZE];
	size_t n;

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
		    buf, (socklen_t)sz);
		return;
	}
	inet_ntop(AF_INET6, &s6->sin6_addr, buf, (socklen_t)sz);
	n = strlen(buf);
	if (s6->sin6_scope_id != 0 &&
	    if_indextoname(s6->sin6_scope_id, name) != NULL &&
	    n + strlen(name) + 2 <= sz)
		snprintf(buf + n, sz - n, "%%%s", name);
}

bool
addrwatch_same(const struct sockaddr_storage *x,
    const struct sockaddr_storage *y)
{
	const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)x;
	const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)y;

	if (x->ss_family != y->ss_family)
		return false;
	if (x->ss_family == AF_INET)
		return ((const struct sockaddr_in *)x)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)y)->sin_addr.s_addr;
	return IN6_ARE_ADDR_EQUAL(&a->sin6_addr, &b->sin6_addr) &&
	    a->sin6_scope_id == b->sin6_scope_id;
}

/* netlink.c nl_async(): address events from the kernel, or lost events
 * (ENOBUFS), make the owner look again. */
static void
addrwatch_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct addrwatch *w = io->data;
	union {
		char buf[8192];
		struct nlmsghdr align;
	} u;
	bool changed = false;
	unsigned round;

	(void)ev;
	(void)revents;
	for (round = 0; round < ADDRWATCH_READS; round++) {
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		struct nlmsghdr *h;
		ssize_t n = recvfrom(io->fd, u.buf, sizeof(u.buf),
		    MSG_DONTWAIT, (struct sockaddr *)&from, &fl);

		if (n < 0 && errno == ENOBUFS) {
			changed = true;
			continue;
		}
		if (n <= 0)
			break;
		if (from.nl_pid != 0)
			continue;	/* not the kernel */
		for (h = &u.align; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n))
			if (h->nlmsg_type == RTM_NEWADDR ||
			    h->nlmsg_type == RTM_DELADDR)
				changed = true;
	}
	if (changed) {
		w->events++;
		w->cb(w->arg);
	}
}

void
addrwatch_init(struct addrwatch *w)
{
	memset(w, 0, sizeof(*w));
	w->io.fd = -1;
}

int
addrwatch_open(struct addrwatch *w, struct ev_loop *ev, addrwatch_fn *cb,
    void *arg)
{
	struct sockaddr_nl sa;
	int fd, rc;

	addrwatch_init(w);
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	w->ev = ev;
	w->cb = cb;
	w->arg = arg;
	w->io.fd = fd;
	w->io.events = EPOLLIN;
	w->io.cb = addrwatch_cb;
	w->io.data = w;
	if ((rc = ev_io_add(ev, &w->io)) < 0) {
		close(fd);
		w->io.fd = -1;
		return rc;
	}
	return 0;
}

void
addrwatch_close(struct addrwatch *w)
{
	if (w->io.fd < 0)
		return;
	if (w->io.added)
		ev_io_del(w->ev, &w->io);
	close(w->io.fd);
	w->io.fd = -1;
}
