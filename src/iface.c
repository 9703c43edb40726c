/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "iface.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "conf.h"
#include "conf_dns.h"

#define IFACE_NL_BUF 32768
#define IFACE_DUMP_WAIT_MS 2000

/* --- the table --------------------------------------------------------- */

void
iface_table_init(struct iface_table *t, iface_cb *cb, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->cb = cb;
	t->cb_arg = arg;
}

static void
iface_emit(struct iface_table *t, struct iface *ifp, enum iface_event ev)
{
	if (t->cb != NULL)
		t->cb(t->cb_arg, ifp, ev);
}

struct iface *
iface_find(const struct iface_table *t, int index)
{
	unsigned i;

	for (i = 0; i < t->n; i++)
		if (t->v[i]->index == index)
			return t->v[i];
	return NULL;
}

struct iface *
iface_find_name(const struct iface_table *t, const char *name)
{
	unsigned i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i]->name, name) == 0)
			return t->v[i];
	return NULL;
}

/* Returns a new zeroed entry for index, or NULL at the cap. */
static struct iface *
iface_add(struct iface_table *t, int index)
{
	struct iface *ifp, **v;
	unsigned cap;

	if (t->n >= IFACE_MAX) {
		t->dropped++;
		return NULL;
	}
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 16;
		if ((v = realloc(t->v, cap * sizeof(*v))) == NULL)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	if ((ifp = calloc(1, sizeof(*ifp))) == NULL)
		return NULL;
	ifp->index = index;
	t->v[t->n++] = ifp;
	return ifp;
}

static void
iface_remove(struct iface_table *t, struct iface *ifp)
{
	unsigned i;

	for (i = 0; i < t->n; i++)
		if (t->v[i] == ifp) {
			iface_emit(t, ifp, IFACE_EV_DEL);
			t->v[i] = t->v[--t->n];
			free(ifp);
			return;
		}
}

void
iface_table_close(struct iface_table *t)
{
	unsigned i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

/* --- messages ---------------------------------------------------------- */

static void
iface_link(struct iface_table *t, struct nlmsghdr *h)
{
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct iface *ifp, old;
	struct rtattr *a;
	int alen;
	bool is_new = false;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return;
	if ((ifp = iface_find(t, ifi->ifi_index)) == NULL) {
		if (h->nlmsg_type == RTM_DELLINK ||
		    (ifp = iface_add(t, ifi->ifi_index)) == NULL)
			return;
		is_new = true;
	}
	if (h->nlmsg_type == RTM_DELLINK) {
		iface_remove(t, ifp);
		return;
	}
	old = *ifp;
	ifp->gen = t->gen;
	ifp->type = ifi->ifi_type;
	ifp->flags = ifi->ifi_flags;
	alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)));
	for (a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
		size_t plen = RTA_PAYLOAD(a);

		switch (a->rta_type) {
		case IFLA_IFNAME:
			if (plen > sizeof(ifp->name))
				plen = sizeof(ifp->name);
			memset(ifp->name, 0, sizeof(ifp->name));
			memcpy(ifp->name, RTA_DATA(a), plen);
			ifp->name[sizeof(ifp->name) - 1] = '\0';
			break;
		case IFLA_MTU:
			if (plen >= sizeof(uint32_t))
				memcpy(&ifp->mtu, RTA_DATA(a), 4);
			break;
		case IFLA_ADDRESS:
			if (plen > IFACE_HWADDR_MAX)
				plen = IFACE_HWADDR_MAX;
			memcpy(ifp->mac, RTA_DATA(a), plen);
			ifp->mac_len = (uint8_t)plen;
			break;
		default:
			break;
		}
	}
	if (is_new)
		iface_emit(t, ifp, IFACE_EV_NEW);
	else if (strcmp(old.name, ifp->name) != 0 || old.type != ifp->type ||
	    old.flags != ifp->flags || old.mtu != ifp->mtu ||
	    old.mac_len != ifp->mac_len ||
	    memcmp(old.mac, ifp->mac, ifp->mac_len) != 0)
		iface_emit(t, ifp, IFACE_EV_CHANGE);
}

static int
iface_addr_index(const struct iface *ifp, const struct iface_addr *a)
{
	unsigned i;

	for (i = 0; i < ifp->naddr; i++)
		if (ifp->addr[i].addr.s_addr == a->addr.s_addr &&
		    ifp->addr[i].prefixlen == a->prefixlen)
			return (int)i;
	return -1;
}

/* Applies one address to ifp.  Returns true when ifp changed. */
static bool
iface_addr_apply(struct iface_table *t, struct iface *ifp, bool del,
    const struct iface_addr *a)
{
	int i = iface_addr_index(ifp, a);

	if (del) {
		if (i < 0)
			return false;
		memmove(&ifp->addr[i], &ifp->addr[i + 1],
		    (ifp->naddr - (unsigned)i - 1) * sizeof(ifp->addr[0]));
		ifp->naddr--;
		return true;
	}
	if (i >= 0) {
		if (ifp->addr[i].bcast.s_addr == a->bcast.s_addr)
			return false;
		ifp->addr[i] = *a;
		return true;
	}
	if (ifp->naddr >= IFACE_MAX_ADDRS) {
		t->dropped++;
		return false;
	}
	ifp->addr[ifp->naddr++] = *a;
	return true;
}

static void
iface_address(struct iface_table *t, struct nlmsghdr *h, bool quiet)
{
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct iface_addr a;
	struct iface *ifp;
	struct rtattr *r;
	bool have_local = false, have_addr = false;
	int alen;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) ||
	    ifa->ifa_family != AF_INET ||
	    (ifp = iface_find(t, (int)ifa->ifa_index)) == NULL)
		return;
	memset(&a, 0, sizeof(a));
	a.prefixlen = ifa->ifa_prefixlen;
	alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifa)));
	for (r = IFA_RTA(ifa); RTA_OK(r, alen); r = RTA_NEXT(r, alen)) {
		if (RTA_PAYLOAD(r) < 4)
			continue;
		/* IFA_ADDRESS is the peer on point-to-point links */
		if (r->rta_type == IFA_LOCAL) {
			memcpy(&a.addr, RTA_DATA(r), 4);
			have_local = true;
		} else if (r->rta_type == IFA_ADDRESS && !have_local) {
			memcpy(&a.addr, RTA_DATA(r), 4);
			have_addr = true;
		} else if (r->rta_type == IFA_BROADCAST) {
			memcpy(&a.bcast, RTA_DATA(r), 4);
		}
	}
	if (!have_local && !have_addr)
		return;
	if (iface_addr_apply(t, ifp, h->nlmsg_type == RTM_DELADDR, &a) &&
	    !quiet)
		iface_emit(t, ifp, IFACE_EV_ADDR);
}

static unsigned
iface_feed(struct iface_table *t, void *buf, size_t len, bool quiet_addr)
{
	struct nlmsghdr *h;
	unsigned applied = 0;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;

	for (h = buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		switch (h->nlmsg_type) {
		case RTM_NEWLINK:
		case RTM_DELLINK:
			iface_link(t, h);
			applied++;
			break;
		case RTM_NEWADDR:
		case RTM_DELADDR:
			iface_address(t, h, quiet_addr);
			applied++;
			break;
		default:
			break;
		}
	}
	return applied;
}

unsigned
iface_table_feed(struct iface_table *t, void *buf, size_t len)
{
	return iface_feed(t, buf, len, false);
}

/* --- the socket -------------------------------------------------------- */

static int
iface_request_dump(struct iface_table *t, uint16_t type)
{
	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
	} req;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.g));
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = ++t->seq;
	req.g.rtgen_family = type == RTM_GETADDR ? AF_INET : AF_UNSPEC;
	if (send(t->fd, &req, req.h.nlmsg_len, 0) < 0)
		return -errno;
	return 0;
}

/* True when buf holds the end (or an error) of dump seq; *intr is set
 * when the kernel says the dump was inconsistent (NLM_F_DUMP_INTR). */
static bool
iface_dump_done(void *buf, size_t len, uint32_t seq, int *err, bool *intr)
{
	struct nlmsghdr *h;
	int left = (int)len;

	for (h = buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		if (h->nlmsg_seq != seq)
			continue;
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		if (h->nlmsg_type == NLMSG_DONE)
			return true;
		if (h->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			*err = e->error;
			return true;
		}
	}
	return false;
}

/* Receives into buf; returns the length or -errno (-EAGAIN: empty). */
static ssize_t
iface_recv(struct iface_table *t, void *buf, size_t cap)
{
	struct sockaddr_nl sa;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr msg;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &sa;
	msg.msg_namelen = sizeof(sa);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	n = recvmsg(t->fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	/* only the kernel speaks here */
	if (msg.msg_namelen < sizeof(sa) || sa.nl_pid != 0)
		return 0;
	return n;
}

/* Runs one dump to its end, applying everything that arrives meanwhile
 * (events included).  Returns 0, -EAGAIN when the dump must be run again
 * (inconsistent, or events lost meanwhile), or -errno. */
static int
iface_dump_once(struct iface_table *t, uint16_t type, void *buf, bool quiet)
{
	struct pollfd p = { .fd = t->fd, .events = POLLIN };
	bool intr = false;
	int rc, err = 0;
	ssize_t n;

	if ((rc = iface_request_dump(t, type)) < 0)
		return rc;
	for (;;) {
		n = iface_recv(t, buf, IFACE_NL_BUF);
		if (n == -EAGAIN) {
			if ((rc = poll(&p, 1, IFACE_DUMP_WAIT_MS)) <= 0)
				return rc < 0 ? -errno : -ETIMEDOUT;
			continue;
		}
		if (n == -ENOBUFS) {
			/* events lost (the dump itself is not): the caller
			 * dumps everything again */
			t->lost = true;
			continue;
		}
		if (n < 0)
			return (int)n;
		iface_feed(t, buf, (size_t)n, quiet);
		if (iface_dump_done(buf, (size_t)n, t->seq, &err, &intr))
			return err < 0 ? err : intr ? -EAGAIN : 0;
	}
}

/* Dumps are repeated (idempotently) while the kernel says they were
 * disturbed, a few times at most. */
static int
iface_dump(struct iface_table *t, uint16_t type, void *buf, bool quiet)
{
	int rc = 0, tries = 0;

	do
		rc = iface_dump_once(t, type, buf, quiet);
	while (rc == -EAGAIN && ++tries < 5);
	return rc;
}

struct iface_saved {
	int index;
	unsigned naddr;
	struct iface_addr addr[IFACE_MAX_ADDRS];
};

/* Dumps everything; links not seen are deleted and address changes are
 * reported per interface (matched by index: events may arrive during
 * the dump). */
static int
iface_resync_once(struct iface_table *t, void *buf)
{
	struct iface_saved *saved;
	struct iface *ifp;
	unsigned i, n;
	int rc;

	t->gen++;
	if ((rc = iface_dump(t, RTM_GETLINK, buf, false)) < 0)
		return rc;
	for (i = t->n; i-- > 0;)
		if (t->v[i]->gen != t->gen)
			iface_remove(t, t->v[i]);
	n = t->n;
	if ((saved = calloc(n ? n : 1, sizeof(*saved))) == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		saved[i].index = t->v[i]->index;
		saved[i].naddr = t->v[i]->naddr;
		memcpy(saved[i].addr, t->v[i]->addr, sizeof(saved[i].addr));
		t->v[i]->naddr = 0;
	}
	rc = iface_dump(t, RTM_GETADDR, buf, true);
	for (i = 0; i < n; i++) {
		if ((ifp = iface_find(t, saved[i].index)) == NULL)
			continue;
		if (saved[i].naddr != ifp->naddr ||
		    memcmp(saved[i].addr, ifp->addr,
		    ifp->naddr * sizeof(ifp->addr[0])) != 0)
			iface_emit(t, ifp, IFACE_EV_ADDR);
	}
	free(saved);
	return rc;
}

/* Again while events were lost during the dumps, a few times at most. */
static int
iface_resync(struct iface_table *t, void *buf)
{
	int rc = 0, tries = 0;

	do {
		t->lost = false;
		rc = iface_resync_once(t, buf);
	} while (rc == 0 && t->lost && ++tries < 5);
	return rc;
}

int
iface_table_open(struct iface_table *t, iface_cb *cb, void *arg)
{
	struct sockaddr_nl sa;
	void *buf;
	int rc;

	iface_table_init(t, cb, arg);
	t->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_ROUTE);
	if (t->fd < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR;
	if (bind(t->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		goto out_close;
	}
	if ((buf = malloc(IFACE_NL_BUF)) == NULL) {
		rc = -ENOMEM;
		goto out_close;
	}
	rc = iface_resync(t, buf);
	free(buf);
	if (rc < 0)
		goto out_close;
	return 0;

out_close:
	iface_table_close(t);
	return rc;
}

int
iface_table_read(struct iface_table *t)
{
	void *buf;
	ssize_t n;
	int rc = 0;

	if ((buf = malloc(IFACE_NL_BUF)) == NULL)
		return -ENOMEM;
	for (;;) {
		n = iface_recv(t, buf, IFACE_NL_BUF);
		if (n == -EAGAIN)
			break;
		if (n == -ENOBUFS) {
			/* events were lost: start again from a dump */
			t->resyncs++;
			if ((rc = iface_resync(t, buf)) < 0)
				break;
			continue;
		}
		if (n < 0) {
			rc = (int)n;
			break;
		}
		iface_feed(t, buf, (size_t)n, false);
	}
	free(buf);
	return rc;
}

/* --- questions --------------------------------------------------------- */

static uint32_t
iface_mask(uint8_t prefixlen)
{
	return prefixlen == 0 ? 0 :
	    prefixlen >= 32 ? 0xffffffffu : ~(0xffffffffu >> prefixlen);
}

bool
iface_dst_ok(const struct iface_table *t, const struct iface *ifp,
    struct in_addr ip)
{
	uint32_t dst = ntohl(ip.s_addr), mask;
	unsigned i, j;

	if (ip.s_addr == htonl(INADDR_BROADCAST))
		return true;
	for (i = 0; ifp != NULL && i < ifp->naddr; i++) {
		const struct iface_addr *a = &ifp->addr[i];

		mask = iface_mask(a->prefixlen);
		if (a->bcast.s_addr != htonl(INADDR_ANY) &&
		    a->bcast.s_addr == ip.s_addr)
			return true;
		if (a->prefixlen < 31 &&
		    dst == (ntohl(a->addr.s_addr) | ~mask))
			return true;
	}
	for (i = 0; i < t->n; i++)
		for (j = 0; j < t->v[i]->naddr; j++)
			if (t->v[i]->addr[j].addr.s_addr == ip.s_addr)
				return true;
	return false;
}

bool
iface_wildcard_match(const char *pattern, const char *name)
{
	/* dnsmasq util.c: a '*' matches the rest, but only if some of the
	 * name is left ("eth*" does not match "eth") */
	for (; *pattern != '\0' && *name != '\0'; pattern++, name++) {
		if (*pattern == '*')
			return true;
		if (*pattern != *name)
			return false;
	}
	return *pattern == *name;
}

bool
iface_name_listed(const struct conf_strlist *l, const char *name)
{
	const struct conf_str *s;

	for (s = l->head; s != NULL; s = s->next)
		if (s->s != NULL && iface_wildcard_match(s->s, name))
			return true;
	return false;
}

static bool
iface_holds_listen_address(const struct conf *cf, const struct iface *ifp)
{
	const struct conf_str *s;
	struct in_addr a;
	unsigned i;

	for (s = cf->listen_addresses.head; s != NULL; s = s->next) {
		if (s->s == NULL || inet_pton(AF_INET, s->s, &a) != 1)
			continue;
		for (i = 0; i < ifp->naddr; i++)
			if (ifp->addr[i].addr.s_addr == a.s_addr)
				return true;
	}
	return false;
}

/* dnsmasq iface_check() without an address: interface= (when interface=
 * or listen-address is given) and except-interface.  local-service=host
 * (in effect only without those) stands for dnsmasq's emulated
 * "interface=lo": no other interface is selected. */
static bool
iface_name_selected(const struct conf *cf, const char *name)
{
	if (cf->dns->local_service_effective == CONF_DNS_LS_HOST)
		return false;
	if ((cf->interfaces.n != 0 || cf->listen_addresses.n != 0) &&
	    !iface_name_listed(&cf->interfaces, name))
		return false;
	return !iface_name_listed(&cf->except_interfaces, name);
}

enum iface_sel
iface_dhcp_select(const struct conf *cf, const struct iface *ifp)
{
	if (ifp->flags & IFF_LOOPBACK)
		return IFACE_SEL_NO;
	/* dnsmasq looks for the address before no-dhcp-interface */
	if (ifp->naddr == 0)
		return iface_name_selected(cf, ifp->name) ?
		    IFACE_SEL_NOADDR : IFACE_SEL_NO;
	if (iface_name_listed(&cf->no_dhcp_interfaces, ifp->name))
		return IFACE_SEL_NO;
	if (iface_holds_listen_address(cf, ifp))
		return IFACE_SEL_YES;
	return iface_name_selected(cf, ifp->name) ? IFACE_SEL_YES :
	    IFACE_SEL_NO;
}
