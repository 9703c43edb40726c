/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dnsd.c - the DNS shell (see dnsd.h).
 */
#include "dnsd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/param.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "addrwatch.h"
#include "conf.h"
#include "conf_dns.h"
#include "conf_int.h"
#include "dns_fwd.h"
#include "ev.h"
#include "iface.h"
#include "log.h"
#include "metrics.h"
#include "dns_cache.h"
#include "dns_local.h"
#include "pcapdump.h"

#define DNSD_LISTEN_MAX		256	/* bind-dynamic: 2 per address */
#define DNSD_IFCACHE		32
#define DNSD_NETS_MAX		128
#define DNSD_NETS_TTL_MS	5000
#define DNSD_BATCH		32	/* datagrams per recvmmsg/sendmmsg */
#define DNSD_UDP_OUT_MAX	1500	/* a UDP reply slot: 1232 by default;
					 * a larger one (edns-packet-max)
					 * goes out alone from out.big */
#define DNSD_UDP_IN_MAX		4096	/* queries, and upstream replies */
#define DNSD_BIND_MAX		16	/* distinct server=...@ bindings */
#define DNSD_RFD_ALL		(DNSD_RFD_MAX + DNSD_BIND_MAX)
#define DNSD_WATCH_MAX		16	/* resolv-files watched */

struct dnsd;

/* A listening socket: a slot of d->ls, free while io.fd is -1.  A
 * query's lsock names the slot and its generation (dnsd_lsock()), so a
 * reply never leaves from a socket opened later in the same slot. */
struct dnsd_listen {
	struct dnsd *d;
	struct ev_io io;
	int family;
	bool tcp;
	bool wildcard;		/* filter by interface and destination */
	int idx;
	unsigned gen;		/* bumped when the slot is freed */
	/* bind-dynamic: the address bound, and for one of an interface
	 * (closed when the address goes) its name and index */
	struct sockaddr_storage sa;
	bool dyn;		/* an interface's address: follows it */
	bool seen;		/* found by the current dnsd_dyn_sync() */
	unsigned long seq;	/* opening order (release: newest first) */
	int ifindex;
	char ifname[IF_NAMESIZE];
};

/* An upstream UDP socket of the pool (idx < DNSD_RFD_MAX), or the
 * fixed socket of a binding with a source port (DNSD_RFD_MAX + key - 1,
 * never replaced). */
struct dnsd_rfd {
	struct dnsd *d;
	struct ev_io io;
	int family;
	int idx;
	int key;		/* binding: 0 none, else d->binds[key - 1] */
	unsigned uses, refs;
};

/* A resolv-file's directory watch (inotify.c). */
struct dnsd_watch {
	int wd;
	char file[NAME_MAX + 1];	/* the name in that directory */
};

/* A server=...@SOURCE / @IF binding (network.c local_bind()). */
struct dnsd_bind {
	struct sockaddr_storage src;
	socklen_t srclen;
	char iface[IF_NAMESIZE];
};

/* A client's TCP connection. */
struct dnsd_tcp {
	struct dnsd *d;
	struct ev_io io;
	struct ev_timer idle;
	struct dns_client client;
	uint8_t *rbuf;		/* 2 + 65535 */
	size_t rlen;
	uint8_t *wbuf;		/* unsent reply bytes, or NULL */
	size_t wlen, woff;
	struct dnsd_tcp *next;
};

/* A TCP query to an upstream for one pending entry. */
struct dnsd_uptcp {
	struct dnsd *d;
	struct ev_io io;
	struct dns_pending *p;
	uint8_t *wbuf;
	size_t wlen, woff;
	uint8_t *rbuf;
	size_t rlen;
};

struct dnsd_ifcache {
	int index;
	bool ok;
	int64_t until;
};

struct dnsd_net {
	int ifindex;
	int family;
	uint8_t addr[16];
	unsigned prefix;
};

/* UDP replies waiting for one sendmmsg() on their listener. */
struct dnsd_out {
	int lsock;		/* -1: empty */
	unsigned n;
	struct mmsghdr mm[DNSD_BATCH];
	struct iovec iov[DNSD_BATCH];
	struct sockaddr_storage sa[DNSD_BATCH];
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cm[DNSD_BATCH];
	uint8_t pkt[DNSD_BATCH][DNSD_UDP_OUT_MAX];
	uint8_t big[DNS_MSG_MAX];
};

/* Datagrams read by one recvmmsg(). */
struct dnsd_in {
	struct mmsghdr mm[DNSD_BATCH];
	struct iovec iov[DNSD_BATCH];
	struct sockaddr_storage sa[DNSD_BATCH];
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
		struct cmsghdr align;
	} cm[DNSD_BATCH];
	uint8_t pkt[DNSD_BATCH][DNSD_UDP_IN_MAX];
};

struct dnsd {
	struct ev_loop *ev;
	const struct conf *cf;
	struct dns_fwd *fwd;
	struct dnsd_lease_ops leases;
	struct dnsd_listen ls[DNSD_LISTEN_MAX];
	unsigned n_ls;			/* slots in use or freed */
	struct addrwatch aw;		/* bind-dynamic: address events */
	bool dyn_start;			/* dnsd_dyn_sync() at start-up */
	char *dyn_msg;			/* ... its message buffer */
	size_t dyn_msgsz;
	unsigned long ls_gone;		/* replies, listener closed */
	unsigned long ls_closed;	/* bind-dynamic: addresses gone */
	unsigned long ls_seq;		/* bind-dynamic: sockets opened */
	struct dnsd_rfd rfd[DNSD_RFD_ALL];
	struct dnsd_bind binds[DNSD_BIND_MAX];
	unsigned n_binds;
	struct ev_io ino;		/* inotify, fd -1 when unused */
	struct dnsd_watch watch[DNSD_WATCH_MAX];
	unsigned n_watch;
	struct dnsd_tcp *tcp;
	unsigned n_tcp, tcp_hwm;
	unsigned long tcp_refused;	/* over DNSD_TCP_MAX or not allowed */
	unsigned long not_served;	/* interface or local-service */
	bool nonlocal_logged;		/* the UDP warning is given once */
	unsigned long send_dropped;	/* UDP replies the kernel refused */
	struct ev_timer timer;
	uint32_t rnd[64];
	unsigned n_rnd;
	struct dnsd_ifcache ifc[DNSD_IFCACHE];
	struct dnsd_net nets[DNSD_NETS_MAX];
	unsigned n_nets;
	int64_t nets_until;
	struct dnsd_out out;
	struct dnsd_in in;
	struct pcapdump *dump;		/* dumpfile=, borrowed, or NULL */
	uint8_t buf[DNS_MSG_MAX + 1];
};

bool
dnsd_wanted(const struct conf *cf)
{
	return cf->dns->port != 0;
}

/* --- helpers ------------------------------------------------------- */

static uint32_t
dnsd_random(void *arg)
{
	struct dnsd *d = arg;

	if (d->n_rnd == 0) {
		ssize_t n = getrandom(d->rnd, sizeof(d->rnd), 0);

		if (n != (ssize_t)sizeof(d->rnd)) {
			unsigned i;	/* cannot happen after boot */

			for (i = 0; i < 64; i++)
				d->rnd[i] ^= (uint32_t)rand();
		}
		d->n_rnd = 64;
	}
	return d->rnd[--d->n_rnd];
}

static void
dnsd_arm(struct dnsd *d)
{
	if (!ev_timer_armed(&d->timer))
		ev_timer_arm(d->ev, &d->timer, ev_now_ms(d->ev) +
		    DNS_FWD_RETRY_MS);
}

static void
dnsd_timer_cb(struct ev_loop *ev, struct ev_timer *t)
{
	struct dnsd *d = t->data;
	int64_t next = dns_fwd_tick(d->fwd, ev_now_ms(ev));

	dnsd_flush(d);
	if (next != INT64_MAX)
		ev_timer_arm(ev, &d->timer, next);
}

/* --- access checks ------------------------------------------------- */

/* network.c iface_check(): interface= and except-interface by name;
 * loopback is always served when interface= is used. */
static bool
dnsd_iface_ok(struct dnsd *d, int index)
{
	const struct conf *cf = d->cf;
	int64_t now = ev_now_ms(d->ev);
	char name[IF_NAMESIZE];
	struct dnsd_ifcache *c = &d->ifc[(unsigned)index % DNSD_IFCACHE];
	bool ok;

	if (cf->interfaces.n == 0 && cf->except_interfaces.n == 0)
		return true;
	if (c->index == index && c->until > now)
		return c->ok;
	if (if_indextoname((unsigned)index, name) == NULL)
		return false;
	ok = !iface_name_listed(&cf->except_interfaces, name);
	if (ok && cf->interfaces.n != 0)
		ok = iface_name_listed(&cf->interfaces, name) ||
		    strcmp(name, "lo") == 0;
	c->index = index;
	c->ok = ok;
	c->until = now + DNSD_NETS_TTL_MS;
	return ok;
}

static bool
dnsd_dst_listed(const struct conf *cf, const struct dns_client *c)
{
	const struct conf_str *s;

	for (s = cf->listen_addresses.head; s != NULL; s = s->next) {
		uint8_t a[16];

		if (s->s == NULL || inet_pton(c->family, s->s, a) != 1)
			continue;
		if (memcmp(a, &c->dst, c->family == AF_INET ? 4 : 16) == 0)
			return true;
	}
	return false;
}

static void
dnsd_nets_load(struct dnsd *d)
{
	struct ifaddrs *ifa, *i;

	d->n_nets = 0;
	d->nets_until = ev_now_ms(d->ev) + DNSD_NETS_TTL_MS;
	if (getifaddrs(&ifa) != 0)
		return;
	for (i = ifa; i != NULL && d->n_nets < DNSD_NETS_MAX; i = i->ifa_next) {
		struct dnsd_net *n = &d->nets[d->n_nets];
		const uint8_t *m;
		unsigned k, len;

		if (i->ifa_addr == NULL || i->ifa_netmask == NULL)
			continue;
		n->family = i->ifa_addr->sa_family;
		if (n->family == AF_INET) {
			memcpy(n->addr, &((struct sockaddr_in *)(void *)
			    i->ifa_addr)->sin_addr, 4);
			m = (const uint8_t *)&((struct sockaddr_in *)(void *)
			    i->ifa_netmask)->sin_addr;
			len = 4;
		} else if (n->family == AF_INET6) {
			memcpy(n->addr, &((struct sockaddr_in6 *)(void *)
			    i->ifa_addr)->sin6_addr, 16);
			m = (const uint8_t *)&((struct sockaddr_in6 *)(void *)
			    i->ifa_netmask)->sin6_addr;
			len = 16;
		} else {
			continue;
		}
		n->ifindex = (int)if_nametoindex(i->ifa_name);
		for (n->prefix = 0, k = 0; k < len * 8; k++)
			if (m[k / 8] & (0x80u >> (k % 8)))
				n->prefix++;
		d->n_nets++;
	}
	freeifaddrs(ifa);
}

static bool
dnsd_prefix_eq(const uint8_t *a, const uint8_t *b, unsigned prefix)
{
	unsigned k;

	for (k = 0; k < prefix; k++)
		if ((a[k / 8] ^ b[k / 8]) & (0x80u >> (k % 8)))
			return false;
	return true;
}

/* local-service[=net]: the source is on a local subnet.  local-service=
 * host needs no check: only the loopback addresses are bound. */
static bool
dnsd_source_ok(struct dnsd *d, const struct dns_client *c)
{
	enum conf_dns_local_service ls = d->cf->dns->local_service_effective;
	const uint8_t *src;
	int fam = c->sa.ss_family;
	unsigned i;

	if (ls != CONF_DNS_LS_NET)
		return true;
	if (ev_now_ms(d->ev) >= d->nets_until)
		dnsd_nets_load(d);
	src = fam == AF_INET ?
	    (const uint8_t *)&((const struct sockaddr_in *)&c->sa)->sin_addr :
	    (const uint8_t *)&((const struct sockaddr_in6 *)&c->sa)->sin6_addr;
	for (i = 0; i < d->n_nets; i++) {
		const struct dnsd_net *n = &d->nets[i];

		if (n->family != fam)
			continue;
		if (dnsd_prefix_eq(src, n->addr, n->prefix))
			return true;
	}
	return false;
}

/* TCP has no IP_PKTINFO: the interface holding the destination. */
static int
dnsd_dst_ifindex(struct dnsd *d, const struct dns_client *c)
{
	unsigned i, al = c->family == AF_INET ? 4 : 16;

	if (ev_now_ms(d->ev) >= d->nets_until)
		dnsd_nets_load(d);
	for (i = 0; i < d->n_nets; i++)
		if (d->nets[i].family == c->family &&
		    memcmp(d->nets[i].addr, &c->dst, al) == 0)
			return d->nets[i].ifindex;
	return 0;
}

/* forward.c: a query from outside the local subnets is ignored with a
 * warning, over UDP once per run, over TCP every time. */
static void
dnsd_log_nonlocal(struct dnsd *d, const struct dns_client *c, bool tcp)
{
	char a[INET6_ADDRSTRLEN] = "?";
	const void *src = c->sa.ss_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)&c->sa)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)&c->sa)->sin6_addr;

	if (!tcp && d->nonlocal_logged)
		return;
	inet_ntop(c->sa.ss_family, src, a, sizeof(a));
	if (tcp) {
		log_warn(LOG_SVC_MAIN, "ignoring query from non-local network "
		    "%s", a);
		return;
	}
	d->nonlocal_logged = true;
	log_warn(LOG_SVC_MAIN, "ignoring query from non-local network %s "
	    "(logged only once)", a);
}

static bool
dnsd_client_ok(struct dnsd *d, const struct dnsd_listen *l,
    const struct dns_client *c)
{
	const struct conf *cf = d->cf;

	if (l->wildcard && (cf->interfaces.n != 0 ||
	    cf->except_interfaces.n != 0 || cf->listen_addresses.n != 0)) {
		/* a listen-address is served whatever its interface */
		if (!dnsd_dst_listed(cf, c) && (cf->interfaces.n == 0 &&
		    cf->except_interfaces.n == 0 ? true :
		    !dnsd_iface_ok(d, c->ifindex)))
			return false;
	}
	if (!dnsd_source_ok(d, c)) {
		dnsd_log_nonlocal(d, c, l->tcp);
		return false;
	}
	return true;
}

/* --- sending to clients -------------------------------------------- */

static void dnsd_tcp_send(struct dnsd_tcp *t, const uint8_t *pkt,
    size_t len);

/* A query's handle on its listener: slot and generation. */
static int
dnsd_lsock(const struct dnsd_listen *l)
{
	return l->idx + DNSD_LISTEN_MAX *
	    (int)(l->gen % (INT_MAX / DNSD_LISTEN_MAX - 1));
}

/* The listener a query came in on, or NULL when it has been closed
 * since (bind-dynamic: its address went away). */
static struct dnsd_listen *
dnsd_ls_find(struct dnsd *d, int lsock)
{
	struct dnsd_listen *l;

	if (lsock < 0 || (unsigned)(lsock % DNSD_LISTEN_MAX) >= d->n_ls)
		return NULL;
	l = &d->ls[lsock % DNSD_LISTEN_MAX];
	if (l->io.fd < 0 || dnsd_lsock(l) != lsock)
		return NULL;
	return l;
}

void
dnsd_flush(struct dnsd *d)
{
	struct dnsd_out *o = &d->out;
	struct dnsd_listen *l = dnsd_ls_find(d, o->lsock);
	unsigned done = 0;

	if (l == NULL) {
		d->ls_gone += o->n;
		o->n = 0;
	}
	while (done < o->n) {
		int n = sendmmsg(l->io.fd, o->mm + done,
		    o->n - done, MSG_DONTWAIT);

		if (n <= 0) {
			/* a full buffer drops, as UDP does */
			d->send_dropped += o->n - done;
			break;
		}
		done += (unsigned)n;
	}
	o->n = 0;
	o->lsock = -1;
}

/* Queues a UDP reply from the address the query went to (IP_PKTINFO /
 * IPV6_PKTINFO on wildcard sockets). */
static void
dnsd_send_udp(struct dnsd *d, const struct dns_client *c, const uint8_t *pkt,
    size_t len)
{
	const struct dnsd_listen *l = dnsd_ls_find(d, c->lsock);
	struct dnsd_out *o = &d->out;
	struct msghdr *mh;
	struct cmsghdr *cm;
	unsigned i;
	bool big = len > DNSD_UDP_OUT_MAX;

	if (len > DNS_MSG_MAX)
		return;
	if (l == NULL) {
		d->ls_gone++;
		return;
	}
	pcapdump_udp(d->dump, PCAPDUMP_REPLY, NULL, (const void *)&c->sa,
	    l->io.fd, pkt, len);
	if (big || o->n == DNSD_BATCH || (o->n > 0 && o->lsock != c->lsock))
		dnsd_flush(d);
	i = o->n++;
	o->lsock = c->lsock;
	memcpy(big ? o->big : o->pkt[i], pkt, len);
	memcpy(&o->sa[i], &c->sa, c->salen);
	o->iov[i].iov_base = big ? o->big : o->pkt[i];
	o->iov[i].iov_len = len;
	mh = &o->mm[i].msg_hdr;
	memset(mh, 0, sizeof(*mh));
	mh->msg_name = &o->sa[i];
	mh->msg_namelen = c->salen;
	mh->msg_iov = &o->iov[i];
	mh->msg_iovlen = 1;
	if (!l->wildcard)
		return;
	memset(&o->cm[i], 0, sizeof(o->cm[i]));
	mh->msg_control = o->cm[i].buf;
	if (c->family == AF_INET && c->sa.ss_family == AF_INET) {
		struct in_pktinfo pi = { 0 };

		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
		cm = CMSG_FIRSTHDR(mh);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		pi.ipi_spec_dst = c->dst.v4;
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	} else if (c->family == AF_INET6) {
		struct in6_pktinfo pi = { 0 };

		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
		cm = CMSG_FIRSTHDR(mh);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		pi.ipi6_addr = c->dst.v6;
		pi.ipi6_ifindex = (unsigned)c->ifindex;
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	} else {
		mh->msg_control = NULL;
	}
}

/* The read side sees the shutdown and closes the connection the usual
 * way (dnsd_tcp_cb), so nothing is freed under the caller. */
static void
dnsd_close_client(void *arg, const struct dns_client *c)
{
	struct dnsd_tcp *t = c->tcp;

	(void)arg;
	if (t != NULL)
		(void)shutdown(t->io.fd, SHUT_RDWR);
}

/* A reply over the slot size (edns-packet-max above 1500) is sent at
 * once, from the one big buffer. */
static void
dnsd_send_udp_any(struct dnsd *d, const struct dns_client *c,
    const uint8_t *pkt, size_t len)
{
	dnsd_send_udp(d, c, pkt, len);
	if (len > DNSD_UDP_OUT_MAX)
		dnsd_flush(d);
}

static void
dnsd_send_client(void *arg, const struct dns_client *c, const uint8_t *pkt,
    size_t len)
{
	struct dnsd *d = arg;

	if (c->tcp != NULL)
		dnsd_tcp_send(c->tcp, pkt, len);
	else
		dnsd_send_udp_any(d, c, pkt, len);
}

/* --- upstream UDP sockets ------------------------------------------ */

static void dnsd_rfd_cb(struct ev_loop *ev, struct ev_io *io,
    uint32_t revents);

static void
dnsd_rfd_close(struct dnsd *d, struct dnsd_rfd *r)
{
	if (r->io.fd < 0)
		return;
	if (r->io.added)
		ev_io_del(d->ev, &r->io);
	close(r->io.fd);
	r->io.fd = -1;
}

/* network.c local_bind(): the source address and port (a random port
 * when 0, no bind() for the any address with port 0), then the device. */
static int
dnsd_bind_fd(int fd, const struct dnsd_bind *b, bool tcp)
{
	struct sockaddr_storage a = b->src;
	int one = 1;
	bool any;

	if (a.ss_family == AF_INET6 && !tcp &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
		return -errno;
	if (a.ss_family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a;

		if (tcp)
			s4->sin_port = 0;	/* no source port for TCP */
		any = s4->sin_port == 0 && s4->sin_addr.s_addr == 0;
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a;

		if (tcp)
			s6->sin6_port = 0;
		any = s6->sin6_port == 0 &&
		    IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr);
	}
	if (!any && bind(fd, (struct sockaddr *)&a, b->srclen) < 0)
		return -errno;
	if (b->iface[0] != '\0' && setsockopt(fd, SOL_SOCKET,
	    SO_BINDTODEVICE, b->iface, IF_NAMESIZE) < 0)
		return -errno;
	return 0;
}

/* The binding key of an upstream (0: none), added when new; -1 when
 * the table is full. */
static int
dnsd_bind_key(struct dnsd *d, const struct dns_upstream *up)
{
	struct dnsd_bind *b;
	unsigned i;

	if (!up->bound)
		return 0;
	for (i = 0; i < d->n_binds; i++) {
		b = &d->binds[i];
		if (b->srclen == up->srclen &&
		    memcmp(&b->src, &up->src, up->srclen) == 0 &&
		    strcmp(b->iface, up->iface != NULL ? up->iface : "") == 0)
			return (int)i + 1;
	}
	if (d->n_binds >= DNSD_BIND_MAX)
		return -1;
	b = &d->binds[d->n_binds++];
	memset(b, 0, sizeof(*b));
	memcpy(&b->src, &up->src, up->srclen);
	b->srclen = up->srclen;
	snprintf(b->iface, sizeof(b->iface), "%s",
	    up->iface != NULL ? up->iface : "");
	return (int)d->n_binds;
}

static bool
dnsd_bind_fixed(const struct dnsd_bind *b)
{
	return b->src.ss_family == AF_INET ?
	    ((const struct sockaddr_in *)&b->src)->sin_port != 0 :
	    ((const struct sockaddr_in6 *)&b->src)->sin6_port != 0;
}

/* A socket on a new kernel-chosen (random) port, or bound as binding
 * key says. */
static int
dnsd_rfd_open(struct dnsd *d, struct dnsd_rfd *r, int family, int key)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return -errno;
	if (key > 0 && (rc = dnsd_bind_fd(fd, &d->binds[key - 1], false)) < 0) {
		close(fd);
		return rc;
	}
	r->key = key;
	r->d = d;
	r->io.fd = fd;
	r->io.events = EPOLLIN;
	r->io.cb = dnsd_rfd_cb;
	r->io.data = r;
	r->family = family;
	r->uses = 0;
	if (ev_io_add(d->ev, &r->io) < 0) {
		close(fd);
		r->io.fd = -1;
		return -EIO;
	}
	return 0;
}

/* Picks a random socket of the family and binding; a worn one gets a
 * new port, an idle one of another binding is reopened; busy ones of
 * another binding are passed over.  A binding with a source port has
 * its one fixed socket. */
static struct dnsd_rfd *
dnsd_rfd_pick(struct dnsd *d, int family, int key)
{
	unsigned half = DNSD_RFD_MAX / 2;
	unsigned base = family == AF_INET6 ? half : 0;
	unsigned i, k, start = dnsd_random(d) % half;
	struct dnsd_rfd *r;

	if (key > 0 && dnsd_bind_fixed(&d->binds[key - 1])) {
		r = &d->rfd[DNSD_RFD_MAX + key - 1];
		if (r->io.fd < 0 && dnsd_rfd_open(d, r, family, key) < 0)
			return NULL;
		return r;
	}
	for (k = 0; k < half; k++) {
		i = base + (start + k) % half;
		r = &d->rfd[i];
		if (r->io.fd >= 0 && r->key != key && r->refs > 0)
			continue;
		if (r->io.fd >= 0 && r->refs == 0 && (r->key != key ||
		    r->uses >= DNSD_RFD_USES))
			dnsd_rfd_close(d, r);
		if (r->io.fd < 0 && dnsd_rfd_open(d, r, family, key) < 0)
			return NULL;
		r->uses++;
		return r;
	}
	return NULL;
}

/* Sets up d->in for a recvmmsg() of up to DNSD_BATCH datagrams. */
static void
dnsd_in_prepare(struct dnsd *d, bool cmsg)
{
	struct dnsd_in *in = &d->in;
	unsigned i;

	for (i = 0; i < DNSD_BATCH; i++) {
		struct msghdr *mh = &in->mm[i].msg_hdr;

		in->iov[i].iov_base = in->pkt[i];
		in->iov[i].iov_len = sizeof(in->pkt[i]);
		memset(mh, 0, sizeof(*mh));
		mh->msg_name = &in->sa[i];
		mh->msg_namelen = sizeof(in->sa[i]);
		mh->msg_iov = &in->iov[i];
		mh->msg_iovlen = 1;
		if (cmsg) {
			mh->msg_control = in->cm[i].buf;
			mh->msg_controllen = sizeof(in->cm[i].buf);
		}
	}
}

static void
dnsd_rfd_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct dnsd_rfd *r = io->data;
	struct dnsd *d = r->d;
	unsigned round;
	int n, i;

	(void)revents;
	for (round = 0; round < 4 && r->io.fd >= 0; round++) {
		dnsd_in_prepare(d, false);
		n = recvmmsg(io->fd, d->in.mm, DNSD_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			struct msghdr *mh = &d->in.mm[i].msg_hdr;

			if (mh->msg_flags & MSG_TRUNC)
				continue;	/* over 4096 bytes: dropped */
			pcapdump_udp(d->dump, PCAPDUMP_UP_REPLY, mh->msg_name,
			    NULL, io->fd, d->in.pkt[i], d->in.mm[i].msg_len);
			dns_fwd_reply(d->fwd, ev_now_ms(ev), r->idx,
			    mh->msg_name, mh->msg_namelen, d->in.pkt[i],
			    d->in.mm[i].msg_len);
		}
		if (n < DNSD_BATCH)
			break;
	}
	/* replies go out in one sendmmsg at the end of the loop turn
	 * (daemon.c before_wait): every upstream socket's answers of the
	 * turn together */
}

/* --- upstream TCP -------------------------------------------------- */

static void
dnsd_uptcp_free(struct dnsd_uptcp *u)
{
	if (u == NULL)
		return;
	if (u->io.added)
		ev_io_del(u->d->ev, &u->io);
	if (u->io.fd >= 0)
		close(u->io.fd);
	if (u->p != NULL)
		u->p->shell = NULL;
	free(u->wbuf);
	free(u->rbuf);
	free(u);
}

static void
dnsd_uptcp_fail(struct dnsd_uptcp *u)
{
	struct dnsd *d = u->d;
	struct dns_pending *p = u->p;

	dnsd_uptcp_free(u);
	dns_fwd_up_failed(d->fwd, ev_now_ms(d->ev), p);
	dnsd_flush(d);
}

static void
dnsd_uptcp_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct dnsd_uptcp *u = io->data;
	struct dnsd *d = u->d;
	ssize_t n;

	if (revents & (EPOLLERR | EPOLLHUP) && !(revents & EPOLLIN)) {
		dnsd_uptcp_fail(u);
		return;
	}
	if (u->woff < u->wlen) {
		n = send(io->fd, u->wbuf + u->woff, u->wlen - u->woff,
		    MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN) {
			dnsd_uptcp_fail(u);
			return;
		}
		if (n > 0)
			u->woff += (size_t)n;
		if (u->woff == u->wlen)
			ev_io_mod(ev, io, EPOLLIN);
		return;
	}
	n = recv(io->fd, u->rbuf + u->rlen, 2 + DNS_MSG_MAX - u->rlen, 0);
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		dnsd_uptcp_fail(u);
		return;
	}
	if (n < 0)
		return;
	u->rlen += (size_t)n;
	if (u->rlen >= 2) {
		size_t want = (size_t)u->rbuf[0] << 8 | u->rbuf[1];
		struct dns_pending *p = u->p;

		if (u->rlen < 2 + want)
			return;
		memcpy(d->buf, u->rbuf + 2, want);
		dnsd_uptcp_free(u);	/* detached before the logic runs */
		dns_fwd_reply_tcp(d->fwd, ev_now_ms(ev), p, d->buf, want);
		dnsd_flush(d);
	}
}

static int
dnsd_send_up_tcp(struct dnsd *d, struct dns_pending *p,
    const struct dns_upstream *up, int key, const uint8_t *pkt, size_t len)
{
	struct dnsd_uptcp *u;
	int fd, rc;

	dnsd_uptcp_free(p->shell);
	fd = socket(up->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (key > 0 && (rc = dnsd_bind_fd(fd, &d->binds[key - 1], true)) < 0) {
		close(fd);
		return rc;
	}
	if (connect(fd, (const struct sockaddr *)&up->sa, up->salen) < 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -errno;
	}
	if ((u = calloc(1, sizeof(*u))) == NULL ||
	    (u->wbuf = malloc(len + 2)) == NULL ||
	    (u->rbuf = malloc(2 + DNS_MSG_MAX)) == NULL) {
		if (u != NULL)
			free(u->wbuf);
		free(u);
		close(fd);
		return -ENOMEM;
	}
	u->d = d;
	u->p = p;
	u->wbuf[0] = (uint8_t)(len >> 8);
	u->wbuf[1] = (uint8_t)len;
	memcpy(u->wbuf + 2, pkt, len);
	u->wlen = len + 2;
	u->io.fd = fd;
	u->io.events = EPOLLOUT;
	u->io.cb = dnsd_uptcp_cb;
	u->io.data = u;
	if (ev_io_add(d->ev, &u->io) < 0) {
		u->p = NULL;
		dnsd_uptcp_free(u);
		return -EIO;
	}
	p->shell = u;
	return 0;
}

static int
dnsd_send_up(void *arg, struct dns_pending *p, const struct dns_upstream *up,
    const uint8_t *pkt, size_t len)
{
	struct dnsd *d = arg;
	struct dnsd_rfd *r;
	int key;

	dnsd_arm(d);
	if ((key = dnsd_bind_key(d, up)) < 0)
		return -ENOSPC;
	if (p->client.tcp != NULL)
		return dnsd_send_up_tcp(d, p, up, key, pkt, len);
	/* one socket per pending query: a retry to another server
	 * leaves from the same port, so its reply matches too */
	if (p->sock >= 0 && d->rfd[p->sock].io.fd >= 0 &&
	    d->rfd[p->sock].family == up->sa.ss_family &&
	    d->rfd[p->sock].key == key) {
		r = &d->rfd[p->sock];
	} else {
		/* another family or binding: the old socket stays open for
		 * the replies of the servers already asked (all-servers) */
		if (p->sock >= 0 && p->n_socks < DNS_FWD_SOCKS)
			p->socks[p->n_socks++] = p->sock;
		else if (p->sock >= 0 && d->rfd[p->sock].refs > 0)
			d->rfd[p->sock].refs--;
		if ((r = dnsd_rfd_pick(d, up->sa.ss_family, key)) == NULL)
			return -EIO;
		r->refs++;
		p->sock = r->idx;
	}
	if (sendto(r->io.fd, pkt, len, MSG_DONTWAIT,
	    (const struct sockaddr *)&up->sa, up->salen) < 0)
		return -errno;
	pcapdump_udp(d->dump, PCAPDUMP_UP_QUERY, NULL, (const void *)&up->sa,
	    r->io.fd, pkt, len);
	return 0;
}

static void
dnsd_pending_done(void *arg, struct dns_pending *p)
{
	struct dnsd *d = arg;
	unsigned i;

	if (p->sock >= 0 && d->rfd[p->sock].refs > 0)
		d->rfd[p->sock].refs--;
	for (i = 0; i < p->n_socks; i++)
		if (d->rfd[p->socks[i]].refs > 0)
			d->rfd[p->socks[i]].refs--;
	p->n_socks = 0;
	p->sock = -1;
	dnsd_uptcp_free(p->shell);
	p->shell = NULL;
}

/* --- client TCP ---------------------------------------------------- */

static void
dnsd_tcp_close(struct dnsd_tcp *t)
{
	struct dnsd *d = t->d;
	struct dnsd_tcp **pp;

	dns_fwd_client_gone(d->fwd, t);
	for (pp = &d->tcp; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	d->n_tcp--;
	ev_timer_cancel(d->ev, &t->idle);
	if (t->io.added)
		ev_io_del(d->ev, &t->io);
	close(t->io.fd);
	free(t->rbuf);
	free(t->wbuf);
	free(t);
}

static void
dnsd_tcp_send(struct dnsd_tcp *t, const uint8_t *pkt, size_t len)
{
	uint8_t *nb;
	ssize_t n = 0;
	size_t off = 0;
	uint8_t hdr[2] = { (uint8_t)(len >> 8), (uint8_t)len };
	struct iovec iov[2] = { { hdr, 2 }, { (void *)(uintptr_t)pkt, len } };

	if (t->wbuf == NULL) {
		n = writev(t->io.fd, iov, 2);
		if (n < 0 && errno != EAGAIN)
			return;	/* the read side will see the close */
		off = n < 0 ? 0 : (size_t)n;
		if (off == len + 2)
			return;
	}
	nb = realloc(t->wbuf, t->wlen + len + 2);
	if (nb == NULL)
		return;
	t->wbuf = nb;
	if (off < 2) {
		memcpy(nb + t->wlen, hdr + off, 2 - off);
		t->wlen += 2 - off;
		off = 0;
	} else {
		off -= 2;
	}
	memcpy(nb + t->wlen, pkt + off, len - off);
	t->wlen += len - off;
	ev_io_mod(t->d->ev, &t->io, EPOLLIN | EPOLLOUT);
}

static bool
dnsd_tcp_flush(struct dnsd_tcp *t)
{
	ssize_t n;

	if (t->wbuf == NULL)
		return true;
	n = send(t->io.fd, t->wbuf + t->woff, t->wlen - t->woff,
	    MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN;
	t->woff += (size_t)n;
	if (t->woff == t->wlen) {
		free(t->wbuf);
		t->wbuf = NULL;
		t->wlen = t->woff = 0;
		ev_io_mod(t->d->ev, &t->io, EPOLLIN);
	}
	return true;
}

static void
dnsd_tcp_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct dnsd_tcp *t = io->data;
	struct dnsd *d = t->d;
	ssize_t n;

	if ((revents & EPOLLOUT) && !dnsd_tcp_flush(t)) {
		dnsd_tcp_close(t);
		return;
	}
	if (!(revents & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	n = recv(io->fd, t->rbuf + t->rlen, 2 + DNS_MSG_MAX - t->rlen, 0);
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		dnsd_tcp_close(t);
		return;
	}
	if (n < 0)
		return;
	t->rlen += (size_t)n;
	ev_timer_arm(ev, &t->idle, ev_now_ms(ev) + DNSD_TCP_IDLE_MS);
	while (t->rlen >= 2) {
		size_t want = (size_t)t->rbuf[0] << 8 | t->rbuf[1];

		if (t->rlen < 2 + want)
			break;
		memcpy(d->buf, t->rbuf + 2, want);
		memmove(t->rbuf, t->rbuf + 2 + want, t->rlen - 2 - want);
		t->rlen -= 2 + want;
		dns_fwd_query(d->fwd, ev_now_ms(ev), &t->client, d->buf, want);
	}
}

static void
dnsd_tcp_idle_cb(struct ev_loop *ev, struct ev_timer *tm)
{
	(void)ev;
	dnsd_tcp_close(tm->data);
}

/* dnsmasq.c tcp_interface(): the interface a TCP connection arrived on
 * (IPv4: IP_PKTOPTIONS once IP_PKTINFO is on; IPv6: the RFC 2292
 * option, which Linux fills only after data), or 0 when the kernel does
 * not say. */
static int
dnsd_tcp_arrival(int fd, int family)
{
	union {
		char buf[256];
		struct cmsghdr align;
	} u;
	struct msghdr mh;
	struct cmsghdr *cm;
	socklen_t len = sizeof(u.buf);
	int one = 1, ifindex = 0;
	bool v6 = family == AF_INET6;

	if (setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
	    v6 ? IPV6_RECVPKTINFO : IP_PKTINFO, &one, sizeof(one)) < 0 ||
	    getsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
	    v6 ? IPV6_2292PKTOPTIONS : IP_PKTOPTIONS, u.buf, &len) < 0)
		return 0;
	memset(&mh, 0, sizeof(mh));
	mh.msg_control = u.buf;
	mh.msg_controllen = len;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (!v6 && cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			ifindex = pi.ipi_ifindex;
		} else if (v6 && cm->cmsg_level == IPPROTO_IPV6 &&
		    (cm->cmsg_type == IPV6_PKTINFO ||
		    cm->cmsg_type == IPV6_2292PKTINFO)) {
			struct in6_pktinfo pi6;

			memcpy(&pi6, CMSG_DATA(cm), sizeof(pi6));
			ifindex = (int)pi6.ipi6_ifindex;
		}
	return ifindex;
}

static void
dnsd_accept(struct dnsd *d, struct dnsd_listen *l)
{
	struct dns_client c;
	struct dnsd_tcp *t;
	struct sockaddr_storage da;
	socklen_t dl = sizeof(da);
	int fd;

	memset(&c, 0, sizeof(c));
	c.salen = sizeof(c.sa);
	fd = accept4(l->io.fd, (struct sockaddr *)&c.sa, &c.salen,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	c.family = l->family;
	c.lsock = dnsd_lsock(l);
	if (getsockname(fd, (struct sockaddr *)&da, &dl) == 0) {
		if (da.ss_family == AF_INET)
			c.dst.v4 = ((struct sockaddr_in *)&da)->sin_addr;
		else
			c.dst.v6 = ((struct sockaddr_in6 *)&da)->sin6_addr;
	}
	/* the interface is the one holding the destination address; with
	 * bind-dynamic the one it arrived on, when the kernel says */
	if (d->aw.io.fd >= 0)
		c.ifindex = dnsd_tcp_arrival(fd, c.family);
	if (c.ifindex == 0)
		c.ifindex = dnsd_dst_ifindex(d, &c);
	if (d->n_tcp >= DNSD_TCP_MAX || !dnsd_client_ok(d, l, &c) ||
	    (t = calloc(1, sizeof(*t))) == NULL) {
		d->tcp_refused++;
		close(fd);
		return;
	}
	if ((t->rbuf = malloc(2 + DNS_MSG_MAX)) == NULL) {
		free(t);
		close(fd);
		return;
	}
	t->d = d;
	t->client = c;
	t->client.tcp = t;
	t->io.fd = fd;
	t->io.events = EPOLLIN;
	t->io.cb = dnsd_tcp_cb;
	t->io.data = t;
	ev_timer_init(&t->idle, dnsd_tcp_idle_cb, t);
	t->next = d->tcp;
	d->tcp = t;
	if (++d->n_tcp > d->tcp_hwm)
		d->tcp_hwm = d->n_tcp;
	if (ev_io_add(d->ev, &t->io) < 0) {
		dnsd_tcp_close(t);
		return;
	}
	ev_timer_arm(d->ev, &t->idle, ev_now_ms(d->ev) + DNSD_TCP_IDLE_MS);
}

/* --- client UDP ---------------------------------------------------- */

static void
dnsd_pktinfo(struct msghdr *mh, struct dns_client *c)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			c->dst.v4 = pi.ipi_addr;
			c->ifindex = pi.ipi_ifindex;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			c->dst.v6 = pi.ipi6_addr;
			c->ifindex = (int)pi.ipi6_ifindex;
		}
	}
}

static void
dnsd_listen_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct dnsd_listen *l = io->data;
	struct dnsd *d = l->d;
	unsigned round;
	int n, i;

	(void)revents;
	if (io->fd < 0)
		return;		/* closed earlier in this loop turn */
	if (l->tcp) {
		dnsd_accept(d, l);
		return;
	}
	for (round = 0; round < 4; round++) {
		dnsd_in_prepare(d, true);
		n = recvmmsg(io->fd, d->in.mm, DNSD_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			struct msghdr *mh = &d->in.mm[i].msg_hdr;
			struct dns_client c;

			memset(&c, 0, sizeof(c));
			memcpy(&c.sa, mh->msg_name, mh->msg_namelen);
			c.salen = mh->msg_namelen;
			c.family = l->family;
			c.lsock = dnsd_lsock(l);
			dnsd_pktinfo(mh, &c);
			if (!dnsd_client_ok(d, l, &c)) {
				d->not_served++;
				continue;
			}
			pcapdump_udp(d->dump, PCAPDUMP_QUERY, (const void *)&c.sa,
			    NULL, io->fd, d->in.pkt[i], d->in.mm[i].msg_len);
			/* a datagram over 4096 bytes arrives cut: the codec
			 * sees the cut one and answers FORMERR */
			dns_fwd_query(d->fwd, ev_now_ms(ev), &c, d->in.pkt[i],
			    d->in.mm[i].msg_len);
		}
		if (n < DNSD_BATCH)
			break;
	}
	dnsd_flush(d);
}

/* --- opening ------------------------------------------------------- */

/* A socket bound to sa (listening for TCP).  Returns it, or -errno. */
static int
dnsd_listen_sock(const struct sockaddr *sa, socklen_t sl, bool tcp)
{
	int one = 1, fam = sa->sa_family;
	int fd;

	fd = socket(fam, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fam == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (!tcp && fam == AF_INET)
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	if (!tcp && fam == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
		    sizeof(one));
	if (bind(fd, sa, sl) < 0 || (tcp && listen(fd, 32) < 0)) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* Puts fd (taken) in a free slot of d->ls, on the loop.  Returns the
 * listener, or NULL (fd closed) when there is no slot. */
static struct dnsd_listen *
dnsd_listen_put(struct dnsd *d, int fd, const struct sockaddr *sa,
    socklen_t sl, bool tcp, bool wildcard)
{
	struct dnsd_listen *l = NULL;
	unsigned i;

	for (i = 0; i < d->n_ls && l == NULL; i++)
		if (d->ls[i].io.fd < 0)
			l = &d->ls[i];
	if (l == NULL && d->n_ls < DNSD_LISTEN_MAX)
		l = &d->ls[d->n_ls++];
	if (l == NULL) {
		close(fd);
		return NULL;
	}
	l->d = d;
	l->idx = (int)(l - d->ls);
	l->family = sa->sa_family;
	l->tcp = tcp;
	l->wildcard = wildcard;
	memset(&l->sa, 0, sizeof(l->sa));
	memcpy(&l->sa, sa, sl);
	l->dyn = l->seen = false;
	l->ifindex = 0;
	l->ifname[0] = '\0';
	l->io.fd = fd;
	l->io.events = EPOLLIN;
	l->io.cb = dnsd_listen_cb;
	l->io.data = l;
	if (ev_io_add(d->ev, &l->io) < 0) {
		close(fd);
		l->io.fd = -1;
		return NULL;
	}
	return l;
}

/* Closes a listener and frees its slot; a reply still queued for it is
 * sent first, later ones are dropped (dnsd_ls_find()). */
static void
dnsd_listen_free(struct dnsd *d, struct dnsd_listen *l)
{
	if (l->io.fd < 0)
		return;
	if (d->out.n > 0 && d->out.lsock == dnsd_lsock(l))
		dnsd_flush(d);
	if (l->io.added)
		ev_io_del(d->ev, &l->io);
	close(l->io.fd);
	l->io.fd = -1;
	l->gen++;
}

static int
dnsd_listen_add(struct dnsd *d, const struct sockaddr *sa, socklen_t sl,
    bool tcp, bool wildcard)
{
	int fd = dnsd_listen_sock(sa, sl, tcp);

	if (fd == -EAFNOSUPPORT)
		return 1;
	/* no IPv6 on this machine: dnsmasq carries on */
	if (fd == -EADDRNOTAVAIL && sa->sa_family == AF_INET6)
		return 1;
	if (fd < 0)
		return fd;
	if (dnsd_listen_put(d, fd, sa, sl, tcp, wildcard) == NULL)
		return -ENOSPC;
	return 0;
}

static int
dnsd_listen_addr(struct dnsd *d, int fam, const void *a, uint16_t port,
    bool wildcard)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int rc;

	memset(&ss, 0, sizeof(ss));
	if (fam == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		memcpy(&s->sin_addr, a, 4);
		sl = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		memcpy(&s->sin6_addr, a, 16);
		sl = sizeof(*s);
	}
	if ((rc = dnsd_listen_add(d, (struct sockaddr *)&ss, sl, false,
	    wildcard)) < 0)
		return rc;
	if (rc > 0)
		return 0;
	rc = dnsd_listen_add(d, (struct sockaddr *)&ss, sl, true, wildcard);
	return rc < 0 ? rc : 0;
}

/* The address of a getifaddrs() entry (IPv4 or IPv6) and its family. */
static const void *
dnsd_ifa_addr(const struct ifaddrs *i, int *fam)
{
	const void *sa = i->ifa_addr;

	*fam = i->ifa_addr->sa_family;
	if (*fam == AF_INET)
		return &((const struct sockaddr_in *)sa)->sin_addr;
	if (*fam == AF_INET6)
		return &((const struct sockaddr_in6 *)sa)->sin6_addr;
	return NULL;
}

/* bind-interfaces: listen-address, then every address of each
 * interface= interface (and lo) as found now. */
static int
dnsd_bind_each(struct dnsd *d, uint16_t port, char *what, size_t wsz)
{
	const struct conf *cf = d->cf;
	const struct conf_str *s;
	struct ifaddrs *ifa, *i;
	int rc;

	for (s = cf->listen_addresses.head; s != NULL; s = s->next) {
		uint8_t a[16];
		int fam;

		if (s->s == NULL)
			continue;
		fam = strchr(s->s, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(fam, s->s, a) != 1)
			continue;
		snprintf(what, wsz, "%s", s->s);
		if ((rc = dnsd_listen_addr(d, fam, a, port, false)) < 0)
			return rc;
	}
	if (cf->interfaces.n == 0 || getifaddrs(&ifa) != 0)
		return 0;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		const void *a;
		int fam;

		if (i->ifa_addr == NULL || i->ifa_name == NULL ||
		    (!iface_name_listed(&cf->interfaces, i->ifa_name) &&
		    strcmp(i->ifa_name, "lo") != 0) ||
		    iface_name_listed(&cf->except_interfaces, i->ifa_name))
			continue;
		if ((a = dnsd_ifa_addr(i, &fam)) == NULL)
			continue;
		inet_ntop(fam, a, what, (socklen_t)wsz);
		if (fam == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(
		    (const struct in6_addr *)a))
			continue;	/* would need a scope */
		if ((rc = dnsd_listen_addr(d, fam, a, port, false)) < 0) {
			freeifaddrs(ifa);
			return rc;
		}
	}
	freeifaddrs(ifa);
	return 0;
}

/* local-service=host (without interface=, except-interface, listen-
 * address or auth-server): dnsmasq listens as with interface=lo and
 * bind-interfaces, on every address of the loopback interfaces, so a
 * query to any other address gets ICMP port unreachable. */
static int
dnsd_bind_loopback(struct dnsd *d, uint16_t port, char *what, size_t wsz)
{
	struct ifaddrs *ifa, *i;
	int rc = 0;

	if (getifaddrs(&ifa) != 0)
		return 0;
	for (i = ifa; i != NULL && rc == 0; i = i->ifa_next) {
		const void *a;
		int fam;

		if (i->ifa_addr == NULL || !(i->ifa_flags & IFF_LOOPBACK))
			continue;
		if ((a = dnsd_ifa_addr(i, &fam)) == NULL)
			continue;
		if (fam == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(
		    (const struct in6_addr *)a))
			continue;
		inet_ntop(fam, a, what, (socklen_t)wsz);
		rc = dnsd_listen_addr(d, fam, a, port, false);
	}
	freeifaddrs(ifa);
	return rc;
}

/* --- bind-dynamic ---------------------------------------------------
 * As dnsmasq 2.90 with bind-dynamic (network.c enumerate_interfaces(),
 * create_bound_listeners(), newaddress()): one UDP and one TCP socket
 * per address of each served interface and per listen-address, opened
 * when the address appears and closed when it goes (addrwatch.h: each
 * rtnetlink address event compares the addresses present with the
 * sockets).  Packets on these sockets are still checked by arrival
 * interface, as dnsmasq does in this mode (forward.c: check_dst). */

/* Marks the open listeners on a->sa seen (and now of a's interface).
 * Returns true when there is one. */
static bool
dnsd_dyn_seen(struct dnsd *d, const struct addrwatch_addr *a)
{
	bool found = false;
	unsigned i;

	for (i = 0; i < d->n_ls; i++) {
		struct dnsd_listen *l = &d->ls[i];

		if (l->io.fd < 0 || !addrwatch_same(&l->sa, &a->sa))
			continue;
		found = true;
		l->seen = true;
		if (l->dyn && a->ifindex != 0) {
			l->ifindex = a->ifindex;
			memcpy(l->ifname, a->ifname, sizeof(l->ifname));
		}
	}
	return found;
}

/* network.c create_listeners() and make_sock(): UDP and TCP sockets on
 * a (ifindex 0: a listen-address that is no interface's, never closed).
 * EADDRNOTAVAIL (not there yet, or IPv6 still in duplicate address
 * detection) is silent: the next address event tries again.  Another
 * failure is fatal at start-up (msg set, -errno returned), logged
 * afterwards.  Returns 0 or -errno. */
static int
dnsd_dyn_open(struct dnsd *d, const struct addrwatch_addr *a)
{
	char t[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	int tcp, opened = 0;

	addrwatch_text(&a->sa, t, sizeof(t));
	for (tcp = 0; tcp <= 1; tcp++) {
		struct dnsd_listen *l;
		int fd = dnsd_listen_sock((const struct sockaddr *)&a->sa,
		    a->salen, tcp);

		if (fd == -EADDRNOTAVAIL || fd == -EAFNOSUPPORT ||
		    fd == -EPROTONOSUPPORT)
			continue;
		if (fd < 0 && d->dyn_start) {
			snprintf(d->dyn_msg, d->dyn_msgsz, "failed to create "
			    "listening socket for %s: %s", t, strerror(-fd));
			return fd;
		}
		if (fd < 0) {
			log_warn(LOG_SVC_MAIN, "failed to create listening "
			    "socket for %s: %s", t, strerror(-fd));
			continue;
		}
		l = dnsd_listen_put(d, fd, (const struct sockaddr *)&a->sa,
		    a->salen, tcp, true);
		if (l == NULL) {	/* DNSD_LISTEN_MAX sockets open */
			log_warn(LOG_SVC_MAIN, "failed to create listening "
			    "socket for %s: %s", t, strerror(ENOSPC));
			continue;
		}
		l->seen = true;
		l->seq = ++d->ls_seq;
		l->dyn = a->ifindex != 0;
		l->ifindex = a->ifindex;
		memcpy(l->ifname, a->ifname, sizeof(l->ifname));
		opened++;
	}
	/* not logged at start-up (before the "started" line), as dnsmasq */
	if (opened == 0 || d->dyn_start || !conf_flag(d->cf, CONF_KW_LOG_DEBUG))
		return 0;
	if (a->ifindex != 0)
		log_debug(LOG_SVC_DEBUG, "listening on %s(#%d): %s port %u",
		    a->ifname, a->ifindex, t, d->cf->dns->port);
	else
		log_debug(LOG_SVC_DEBUG, "listening on %s port %u", t,
		    d->cf->dns->port);
	return 0;
}

/* addrwatch_each() / addrwatch_listen_each(): bound unless it is. */
static int
dnsd_dyn_addr(void *arg, const struct addrwatch_addr *a)
{
	struct dnsd *d = arg;

	if (dnsd_dyn_seen(d, a))
		return 0;
	return dnsd_dyn_open(d, a);
}

/* The newest listener of an address gone, or NULL. */
static struct dnsd_listen *
dnsd_dyn_gone(struct dnsd *d)
{
	struct dnsd_listen *best = NULL;
	unsigned i;

	for (i = 0; i < d->n_ls; i++) {
		struct dnsd_listen *l = &d->ls[i];

		if (l->io.fd >= 0 && l->dyn && !l->seen &&
		    (best == NULL || l->seq > best->seq))
			best = l;
	}
	return best;
}

/* network.c release_listener(): closes the sockets of addresses that
 * are gone, newest first (dnsmasq's list order), with dnsmasq's debug
 * line. */
static void
dnsd_dyn_release(struct dnsd *d)
{
	struct dnsd_listen *l;
	unsigned j;

	while ((l = dnsd_dyn_gone(d)) != NULL) {
		char a[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];

		addrwatch_text(&l->sa, a, sizeof(a));
		if (conf_flag(d->cf, CONF_KW_LOG_DEBUG))
			log_debug(LOG_SVC_DEBUG, "stopped listening on "
			    "%s(#%d): %s port %u", l->ifname, l->ifindex, a,
			    d->cf->dns->port);
		/* its UDP or TCP twin goes with it (one line for both) */
		for (j = 0; j < d->n_ls; j++)
			if (&d->ls[j] != l && d->ls[j].io.fd >= 0 &&
			    d->ls[j].dyn && !d->ls[j].seen &&
			    addrwatch_same(&d->ls[j].sa, &l->sa))
				dnsd_listen_free(d, &d->ls[j]);
		dnsd_listen_free(d, l);
		d->ls_closed++;
	}
}

/* Brings the sockets in line with the addresses present.  At start-up
 * (d->dyn_start) a failure returns -errno with dnsmasq's message in
 * d->dyn_msg and *code its exit status; afterwards failures are logged
 * and the sockets of addresses still present are kept. */
static int
dnsd_dyn_sync(struct dnsd *d, int *code)
{
	uint16_t port = d->cf->dns->port;
	unsigned k;
	int rc;

	for (k = 0; k < d->n_ls; k++)
		d->ls[k].seen = false;
	rc = addrwatch_each(d->cf, port, dnsd_dyn_addr, d);
	if (rc == 0)
		rc = addrwatch_listen_each(d->cf, port, dnsd_dyn_addr, d);
	if (rc < 0 && d->dyn_start) {
		*code = 2;	/* EC_BADNET: a socket */
		if (d->dyn_msg[0] == '\0') {	/* getifaddrs(): EC_MISC */
			snprintf(d->dyn_msg, d->dyn_msgsz, "failed to find "
			    "list of interfaces: %s", strerror(-rc));
			*code = 5;
		}
		return rc;
	}
	if (rc < 0)
		return 0;	/* could not look: everything stays */
	dnsd_dyn_release(d);
	d->nets_until = 0;	/* dnsd_dst_ifindex(): new addresses */
	return 0;
}

/* addrwatch: an address came or went. */
static void
dnsd_dyn_event(void *arg)
{
	struct dnsd *d = arg;
	int code;

	dnsd_dyn_sync(d, &code);
}

/* bind-dynamic at start-up: the event socket first (no change falls
 * between), then the addresses now present.  Returns 0, or -1 with msg
 * and *code. */
static int
dnsd_dyn_start(struct dnsd *d, char *msg, size_t msgsz, int *code)
{
	int rc;

	if ((rc = addrwatch_open(&d->aw, d->ev, dnsd_dyn_event, d)) < 0) {
		snprintf(msg, msgsz, "cannot create netlink socket: %s",
		    strerror(-rc));
		*code = 5;	/* EC_MISC */
		return -1;
	}
	msg[0] = '\0';
	d->dyn_msg = msg;
	d->dyn_msgsz = msgsz;
	d->dyn_start = true;
	rc = dnsd_dyn_sync(d, code);
	d->dyn_start = false;
	d->dyn_msg = NULL;
	return rc < 0 ? -1 : 0;
}

static void
dnsd_log_cb(void *arg, int sev, const char *line)
{
	(void)arg;
	log_msg(LOG_SVC_MAIN, sev, "%s", line);
}

static bool
dnsd_lease_name(void *arg, const char *name, struct in_addr *out)
{
	struct dnsd *d = arg;

	return d->leases.by_name != NULL &&
	    d->leases.by_name(d->leases.arg, name, out);
}

/* IPv6 addresses of ifname from /proc/net/if_inet6, which has the flags
 * dnsmasq looks at (network.c): link-local ones are left out, those not
 * permanent (IFA_F_PERMANENT 0x80) or tentative (0x40) or deprecated
 * (0x20) answer PTR only. */
static unsigned
dnsd_if_addrs6(const char *ifname, struct dns_local_ifaddr *v, unsigned n,
    unsigned max)
{
	char hex[33], name[IF_NAMESIZE + 1];
	unsigned idx, plen, scope, flags, i;
	FILE *fp = fopen("/proc/net/if_inet6", "re");

	if (fp == NULL)
		return n;
	while (n < max && fscanf(fp, "%32s %x %x %x %x %16s", hex, &idx,
	    &plen, &scope, &flags, name) == 6) {
		struct dns_local_ifaddr *a = &v[n];

		if (strcmp(name, ifname) != 0 || strlen(hex) != 32)
			continue;
		memset(a, 0, sizeof(*a));
		a->family = AF_INET6;
		for (i = 0; i < 16; i++) {
			unsigned byte;

			if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
				break;
			a->addr.v6.s6_addr[i] = (uint8_t)byte;
		}
		if (i < 16 || IN6_IS_ADDR_LINKLOCAL(&a->addr.v6))
			continue;
		a->revonly = !(flags & 0x80) || (flags & 0x60);
		n++;
	}
	fclose(fp);
	return n;
}

/* interface-name: the interface's addresses now (dnsmasq enumerates them
 * for each such query).  IPv4 addresses go by their label. */
static unsigned
dnsd_if_addrs(void *arg, const char *ifname, struct dns_local_ifaddr *v,
    unsigned max)
{
	struct ifaddrs *ifa, *i;
	unsigned n = 0;

	(void)arg;
	if (getifaddrs(&ifa) != 0)
		return 0;
	for (i = ifa; i != NULL && n < max; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    strcmp(i->ifa_name, ifname) != 0)
			continue;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].family = AF_INET;
		v[n].addr.v4 = ((const struct sockaddr_in *)(const void *)
		    i->ifa_addr)->sin_addr;
		n++;
	}
	freeifaddrs(ifa);
	return dnsd_if_addrs6(ifname, v, n, max);
}

static bool
dnsd_lease_addr(void *arg, struct in_addr a, char *name, size_t size)
{
	struct dnsd *d = arg;

	return d->leases.by_addr != NULL &&
	    d->leases.by_addr(d->leases.arg, a, name, size);
}

static bool
dnsd_lease_left(void *arg, struct in_addr a, uint32_t *secs)
{
	struct dnsd *d = arg;

	return d->leases.left != NULL &&
	    d->leases.left(d->leases.arg, a, secs);
}

/* --- resolv-file watch (inotify) ----------------------------------- */

/* inotify.c: editor backups and dot files are not resolv-files. */
static bool
dnsd_ino_ignored(const char *name)
{
	size_t n = strlen(name);

	return n == 0 || name[n - 1] == '~' ||
	    (name[0] == '#' && name[n - 1] == '#') || name[0] == '.';
}

static void
dnsd_ino_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct dnsd *d = io->data;
	union {
		char buf[sizeof(struct inotify_event) + NAME_MAX + 1];
		struct inotify_event align;
	} u;
	bool hit = false;
	ssize_t n;

	(void)revents;
	while ((n = read(io->fd, u.buf, sizeof(u.buf))) > 0) {
		size_t off = 0;

		while (off + sizeof(struct inotify_event) <= (size_t)n) {
			const struct inotify_event *e =
			    (const void *)(u.buf + off);
			unsigned i;

			off += sizeof(*e) + e->len;
			if (e->len == 0 || off > (size_t)n ||
			    dnsd_ino_ignored(e->name))
				continue;
			for (i = 0; i < d->n_watch; i++)
				if (d->watch[i].wd == e->wd &&
				    strcmp(d->watch[i].file, e->name) == 0)
					hit = true;
		}
	}
	if (hit)
		dns_fwd_resolv_changed(d->fwd, ev_now_ms(ev));
}

/* inotify.c my_readlink() loop: the path a chain of symbolic links ends
 * at (a relative link is taken from the link's directory).  Returns 0,
 * 1 for too many links, -errno for another readlink() error. */
static int
dnsd_ino_resolve(char *path, size_t size)
{
	int links = MAXSYMLINKS;

	for (;;) {
		char buf[PATH_MAX], *slash;
		ssize_t n = readlink(path, buf, sizeof(buf) - 1);

		if (n < 0)
			return errno == EINVAL || errno == ENOENT ? 0 : -errno;
		if (links-- == 0)
			return 1;
		buf[n] = '\0';
		if (buf[0] != '/' && (slash = strrchr(path, '/')) != NULL) {
			char rel[PATH_MAX];

			slash[1] = '\0';
			if (snprintf(rel, sizeof(rel), "%s%s", path, buf) >=
			    (int)sizeof(rel))
				return -ENAMETOOLONG;
			snprintf(path, size, "%s", rel);
		} else {
			snprintf(path, size, "%s", buf);
		}
	}
}

/* One resolv-file: a watch on its directory for files written
 * (IN_CLOSE_WRITE) or renamed there (IN_MOVED_TO).  dnsmasq's fatal
 * messages on failure. */
static int
dnsd_ino_add(struct dnsd *d, const char *name, char *msg, size_t msgsz)
{
	char path[PATH_MAX], *slash;
	struct dnsd_watch *w;
	int rc;

	snprintf(path, sizeof(path), "%s", name);
	if ((rc = dnsd_ino_resolve(path, sizeof(path))) != 0) {
		if (rc == 1)
			snprintf(msg, msgsz, "too many symlinks following %s",
			    name);
		else
			snprintf(msg, msgsz, "cannot access path %s: %s", path,
			    strerror(-rc));
		return -1;
	}
	if (d->n_watch >= DNSD_WATCH_MAX)
		return 0;	/* beyond: read at start only */
	w = &d->watch[d->n_watch];
	w->wd = -1;
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		w->wd = inotify_add_watch(d->ino.fd, path[0] ? path : "/",
		    IN_CLOSE_WRITE | IN_MOVED_TO);
		snprintf(w->file, sizeof(w->file), "%s", slash + 1);
		if (w->wd < 0 && errno == ENOENT) {
			snprintf(msg, msgsz, "directory %s for resolv-file is "
			    "missing, cannot poll", name);
			return -1;
		}
	}
	if (w->wd < 0) {
		snprintf(msg, msgsz, "failed to create inotify for %s: %s",
		    name, strerror(errno));
		return -1;
	}
	d->n_watch++;
	return 0;
}

/* dnsmasq.c: with DNS on and resolv-files in use, inotify replaces the
 * once-a-second look at their mtimes. */
static int
dnsd_ino_open(struct dnsd *d, char *msg, size_t msgsz)
{
	const struct conf_dns *cd = d->cf->dns;
	const struct conf_str *s;

	if (conf_flag(d->cf, CONF_KW_NO_RESOLV))
		return 0;
	d->ino.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (d->ino.fd < 0) {
		snprintf(msg, msgsz, "failed to create inotify: %s",
		    strerror(errno));
		return -1;
	}
	d->ino.events = EPOLLIN;
	d->ino.cb = dnsd_ino_cb;
	d->ino.data = d;
	if (cd->resolv_default &&
	    dnsd_ino_add(d, CONF_DNS_RESOLV_DEFAULT, msg, msgsz) < 0)
		return -1;
	for (s = cd->resolv_files.head; s != NULL; s = s->next)
		if (s->s != NULL && dnsd_ino_add(d, s->s, msg, msgsz) < 0)
			return -1;
	if (ev_io_add(d->ev, &d->ino) < 0) {
		snprintf(msg, msgsz, "failed to create inotify: %s",
		    strerror(EIO));
		return -1;
	}
	dns_fwd_resolv_watched(d->fwd);
	return 0;
}

/* network.c pre_allocate_sfds(): the sockets of server=...@SRC#PORT are
 * bound before the privilege drop (the port may be below 1024).  A
 * failure is fatal with bind-interfaces, else that server is ignored
 * with a warning (check_servers()). */
static int
dnsd_open_fixed(struct dnsd *d, char *msg, size_t msgsz)
{
	unsigned i, n = dns_fwd_n_upstreams(d->fwd);

	for (i = 0; i < n; i++) {
		const struct dns_upstream *up = dns_fwd_upstream(d->fwd, i);
		struct dnsd_rfd *r;
		int key = dnsd_bind_key(d, up), rc;

		if (key <= 0 || !dnsd_bind_fixed(&d->binds[key - 1]))
			continue;
		r = &d->rfd[DNSD_RFD_MAX + key - 1];
		if (r->io.fd >= 0 ||
		    (rc = dnsd_rfd_open(d, r, up->sa.ss_family, key)) == 0)
			continue;
		if (conf_flag(d->cf, CONF_KW_BIND_INTERFACES)) {
			char a[INET6_ADDRSTRLEN] = "";
			const struct dnsd_bind *b = &d->binds[key - 1];

			inet_ntop(b->src.ss_family, b->src.ss_family ==
			    AF_INET ? (const void *)&((const struct
			    sockaddr_in *)&b->src)->sin_addr : (const void *)
			    &((const struct sockaddr_in6 *)&b->src)->sin6_addr,
			    a, sizeof(a));
			snprintf(msg, msgsz, "failed to bind server socket for "
			    "%s%s%s: %s", a, b->iface[0] ? " " : "", b->iface,
			    strerror(-rc));
			return rc;
		}
		log_warn(LOG_SVC_MAIN, "ignoring nameserver %s - cannot "
		    "make/bind socket: %s", up->addr, strerror(-rc));
	}
	return 0;
}

struct dnsd *
dnsd_open(struct ev_loop *ev, const struct conf *cf, char *msg,
    size_t msgsz, int *exit_code)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;
	struct dnsd *d = calloc(1, sizeof(*d));
	struct dns_fwd_io io = {
		.random = dnsd_random,
		.send_up = dnsd_send_up,
		.send_client = dnsd_send_client,
		.pending_done = dnsd_pending_done,
		.close_client = dnsd_close_client,
		.lease_by_name = dnsd_lease_name,
		.lease_by_addr = dnsd_lease_addr,
		.lease_left = dnsd_lease_left,
		.if_addrs = dnsd_if_addrs,
		.log = dnsd_log_cb,
	};
	struct in_addr any4 = { htonl(INADDR_ANY) };
	uint16_t port = cf->dns->port;
	char what[INET6_ADDRSTRLEN + 16];
	unsigned i;
	int rc;

	*exit_code = 2;
	if (d == NULL) {
		snprintf(msg, msgsz, "out of memory");
		return NULL;
	}
	d->ev = ev;
	d->cf = cf;
	io.arg = d;
	for (i = 0; i < DNSD_RFD_ALL; i++) {
		d->rfd[i].io.fd = -1;
		d->rfd[i].idx = (int)i;
		d->rfd[i].d = d;
	}
	ev_timer_init(&d->timer, dnsd_timer_cb, d);
	d->out.lsock = -1;
	d->ino.fd = -1;
	addrwatch_init(&d->aw);
	if ((d->fwd = dns_fwd_new(cf, &io)) == NULL) {
		snprintf(msg, msgsz, "out of memory");
		free(d);
		return NULL;
	}
	if ((rc = dnsd_open_fixed(d, msg, msgsz)) < 0) {
		dnsd_close(d);	/* EC_BADNET, 2 */
		return NULL;
	}
	if (dnsd_ino_open(d, msg, msgsz) < 0) {
		*exit_code = 5;	/* inotify.c: EC_MISC */
		dnsd_close(d);
		return NULL;
	}
	if (cf->dns->local_service_effective != CONF_DNS_LS_HOST &&
	    conf_flag(cf, CONF_KW_BIND_DYNAMIC)) {
		if (dnsd_dyn_start(d, msg, msgsz, exit_code) < 0) {
			dnsd_close(d);
			return NULL;
		}
		return d;
	}
	if (cf->dns->local_service_effective == CONF_DNS_LS_HOST) {
		rc = dnsd_bind_loopback(d, port, what, sizeof(what));
	} else if (conf_flag(cf, CONF_KW_BIND_INTERFACES) &&
	    (cf->interfaces.n != 0 || cf->listen_addresses.n != 0)) {
		rc = dnsd_bind_each(d, port, what, sizeof(what));
	} else {
		snprintf(what, sizeof(what), "port %u", port);
		rc = dnsd_listen_addr(d, AF_INET, &any4, port, true);
		if (rc == 0)
			rc = dnsd_listen_addr(d, AF_INET6, &any6, port, true);
	}
	if (rc < 0) {
		/* network.c make_sock() */
		snprintf(msg, msgsz, "failed to create listening socket for "
		    "%s: %s", what, strerror(-rc));
		dnsd_close(d);
		return NULL;
	}
	return d;
}

void
dnsd_log_started(struct dnsd *d)
{
	dns_fwd_poll_resolv(d->fwd, ev_now_ms(d->ev), true);
	dns_fwd_log_servers(d->fwd);
}

void
dnsd_set_conf(struct dnsd *d, const struct conf *cf)
{
	d->cf = cf;
	dns_fwd_set_conf(d->fwd, cf);
}

void
dnsd_set_hosts(struct dnsd *d, struct hostsfile *const *h,
    const char *const *paths, size_t n)
{
	dns_fwd_set_hosts(d->fwd, h, n, paths);
}

void
dnsd_set_leases(struct dnsd *d, const struct dnsd_lease_ops *ops)
{
	d->leases = *ops;
}

void
dnsd_set_dump(struct dnsd *d, struct pcapdump *p)
{
	d->dump = p;
}

/* pxemasq's own per-protocol line, after dnsmasq's. */
static void
dnsd_log_totals(const struct dnsd *d)
{
	struct dns_fwd_stats st;
	struct dns_cache_stats cs;

	dns_fwd_get_stats(d->fwd, &st);
	dns_fwd_get_cache_stats(d->fwd, &cs);
	log_info(LOG_SVC_MAIN, "dns: %lu queries (%lu TCP), %lu answered "
	    "locally, %lu from the cache, %lu forwarded, %lu upstream "
	    "replies; cache %u entries, %lu hits, %lu misses", st.queries,
	    st.tcp_queries, st.answered_local, st.answered_cache,
	    st.forwarded, st.replies, cs.size, cs.hits, cs.misses);
}

void
dnsd_lease_name_check(struct dnsd *d, const char *name, struct in_addr addr)
{
	char a[INET_ADDRSTRLEN], o[INET_ADDRSTRLEN];
	const char *src = NULL;
	struct in_addr other;

	inet_ntop(AF_INET, &addr, a, sizeof(a));
	switch (dns_fwd_lease_clash(d->fwd, name, addr, &src, &other)) {
	case DNS_LEASE_CNAME:
		log_warn(LOG_SVC_DHCP, "%s is a CNAME, not giving it to the "
		    "DHCP lease of %s", name, a);
		break;
	case DNS_LEASE_CLASH:
		inet_ntop(AF_INET, &other, o, sizeof(o));
		log_warn(LOG_SVC_DHCP, "not giving name %s to the DHCP lease "
		    "of %s because the name exists in %s with address %s",
		    name, a, src, o);
		break;
	default:
		break;
	}
}

void
dnsd_log_stats(struct dnsd *d)
{
	dns_fwd_log_stats(d->fwd, ev_now_ms(d->ev));
	log_info(LOG_SVC_MAIN, "child processes for TCP requests: in use %u, "
	    "highest since last SIGUSR1 %u, max allowed %u.", d->n_tcp,
	    d->tcp_hwm, DNSD_TCP_MAX);
	d->tcp_hwm = d->n_tcp;
	dns_fwd_log_server_stats(d->fwd);
	dnsd_log_totals(d);
	if (d->tcp_refused != 0)
		log_info(LOG_SVC_MAIN, "dns drops tcp-refused: %lu",
		    d->tcp_refused);
	if (d->not_served != 0)
		log_info(LOG_SVC_MAIN, "dns drops not-served: %lu",
		    d->not_served);
	if (d->send_dropped != 0)
		log_info(LOG_SVC_MAIN, "dns drops send-buffer: %lu",
		    d->send_dropped);
}

static void
dnsd_metrics_upstreams(const struct dnsd *d, struct mx *m)
{
	static const char *const fam[] = {
		"pxemasq_dns_upstream_queries_total",
		"pxemasq_dns_upstream_replies_total",
		"pxemasq_dns_upstream_failures_total",
		"pxemasq_dns_upstream_retries_total",
	};
	static const char *const help[] = {
		"DNS queries sent to each upstream server.",
		"DNS replies taken from each upstream server.",
		"DNS queries an upstream server failed (SERVFAIL, REFUSED, "
		    "no answer, send error).",
		"DNS queries sent again to an upstream server.",
	};
	unsigned i, k, n = dns_fwd_n_upstreams(d->fwd);
	char lbl[96];

	for (k = 0; k < 4; k++) {
		mx_family(m, fam[k], "counter", help[k]);
		for (i = 0; i < n; i++) {
			const struct dns_upstream *u =
			    dns_fwd_upstream(d->fwd, i);
			unsigned long v = k == 0 ? u->queries : k == 1 ?
			    u->replies : k == 2 ? u->failed : u->retries;

			mx_sample(m, fam[k], mx_label(lbl, sizeof(lbl),
			    "server", u->label), v);
		}
	}
}

void
dnsd_metrics(const struct dnsd *d, struct mx *m)
{
	struct dns_fwd_stats st;
	struct dns_cache_stats cs;
	char lbl[64];
	unsigned i;

	dns_fwd_get_stats(d->fwd, &st);
	dns_fwd_get_cache_stats(d->fwd, &cs);
	mx_family(m, "pxemasq_dns_queries_total", "counter",
	    "DNS queries from clients (UDP and TCP).");
	mx_sample(m, "pxemasq_dns_queries_total", NULL, st.queries);
	mx_family(m, "pxemasq_dns_answers_total", "counter",
	    "DNS queries answered, by source of the answer.");
	mx_sample(m, "pxemasq_dns_answers_total", "source=\"local\"",
	    st.answered_local);
	mx_sample(m, "pxemasq_dns_answers_total", "source=\"cache\"",
	    st.answered_cache);
	mx_sample(m, "pxemasq_dns_answers_total", "source=\"upstream\"",
	    st.replies);
	mx_family(m, "pxemasq_dns_forwarded_total", "counter",
	    "DNS queries forwarded upstream.");
	mx_sample(m, "pxemasq_dns_forwarded_total", NULL, st.forwarded);
	mx_family(m, "pxemasq_dns_cache_hits_total", "counter",
	    "DNS cache look-ups that found a live answer.");
	mx_sample(m, "pxemasq_dns_cache_hits_total", NULL, cs.hits);
	mx_family(m, "pxemasq_dns_cache_misses_total", "counter",
	    "DNS cache look-ups that found nothing.");
	mx_sample(m, "pxemasq_dns_cache_misses_total", NULL, cs.misses);
	mx_family(m, "pxemasq_dns_cache_entries", "gauge",
	    "DNS answers in the cache.");
	mx_sample(m, "pxemasq_dns_cache_entries", NULL, cs.size);
	dnsd_metrics_upstreams(d, m);
	mx_family(m, "pxemasq_dns_dropped_total", "counter",
	    "DNS packets dropped or refused, by reason.");
	for (i = 1; i < DNS_DROP__N; i++)
		mx_sample(m, "pxemasq_dns_dropped_total", mx_label(lbl,
		    sizeof(lbl), "reason", dns_drop_str((enum dns_drop)i)),
		    st.drops[i]);
	mx_sample(m, "pxemasq_dns_dropped_total", "reason=\"tcp-refused\"",
	    d->tcp_refused);
	mx_sample(m, "pxemasq_dns_dropped_total", "reason=\"not-served\"",
	    d->not_served);
	mx_sample(m, "pxemasq_dns_dropped_total", "reason=\"send-buffer\"",
	    d->send_dropped);
	mx_sample(m, "pxemasq_dns_dropped_total",
	    "reason=\"listener-gone\"", d->ls_gone);
	if (d->aw.io.fd < 0)
		return;
	mx_family(m, "pxemasq_dns_address_events_total", "counter",
	    "bind-dynamic: address changes that made DNS look again.");
	mx_sample(m, "pxemasq_dns_address_events_total", NULL, d->aw.events);
	mx_family(m, "pxemasq_dns_listeners_closed_total", "counter",
	    "bind-dynamic: addresses gone whose DNS sockets were closed.");
	mx_sample(m, "pxemasq_dns_listeners_closed_total", NULL,
	    d->ls_closed);
}

void
dnsd_close(struct dnsd *d)
{
	unsigned i;

	if (d == NULL)
		return;
	while (d->tcp != NULL)
		dnsd_tcp_close(d->tcp);
	dns_fwd_free(d->fwd);	/* pending_done closes upstream TCP */
	for (i = 0; i < d->n_ls; i++)
		dnsd_listen_free(d, &d->ls[i]);
	addrwatch_close(&d->aw);
	for (i = 0; i < DNSD_RFD_ALL; i++)
		dnsd_rfd_close(d, &d->rfd[i]);
	if (d->ino.fd >= 0) {
		if (d->ino.added)
			ev_io_del(d->ev, &d->ino);
		close(d->ino.fd);
	}
	ev_timer_cancel(d->ev, &d->timer);
	free(d);
}
