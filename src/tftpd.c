/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tftpd.c - the TFTP shell (see tftpd.h).
 *
 * Facts from dnsmasq 2.90 (tftp.c, network.c, dnsmasq.c), re-implemented:
 * log and error texts ("sent %s to %s", "failed sending %s to %s",
 * "error %d %s received from %s", "file %s not found for %s", "cannot
 * access %s: %s", "cannot read %s: %s", "unsupported request from %s",
 * "ignoring packet from %s (TID mismatch)", "unable to get free port for
 * TFTP", "TFTP root is ..."), the listening socket's options
 * (SO_REUSEADDR, IP_PKTINFO), the transfer sockets' (bound to the
 * request's destination address, path MTU discovery off), the interface
 * rules and the tftp-max arithmetic.
 */
#include "tftpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addrwatch.h"
#include "conf.h"
#include "conf_dns.h"
#include "conf_int.h"
#include "conf_tftp.h"
#include "ev.h"
#include "iface.h"
#include "log.h"
#include "metrics.h"
#include "pcapdump.h"
#include "script.h"
#include "tftp_file.h"
#include "tftp_proto.h"
#include "tftp_xfer.h"

#define TFTPD_PORT		69
#define TFTPD_LSN_MAX		128	/* bind-dynamic: port-69 sockets */
#define TFTPD_RX_MAX		65536	/* one datagram */
#define TFTPD_EVICT_MS		3000	/* no ACK this long: may give way */
#define TFTPD_SCRATCH		(2u << 20)	/* shared send buffer */
#define TFTPD_BATCH		64	/* datagrams per sendmmsg() */
#define TFTPD_RX_BURST		32	/* requests read per wake-up */
#define TFTPD_PATH_MAX		1100
#define TFTPD_DNSMASQ_PATH	1024	/* MAXDNAME - 1: its path buffer */
#define TFTPD_READAHEAD		(64u << 10)	/* per transfer */
/* a peer as dnsmasq prints it: IPv6 with "%IFNAME" for a scoped one */
#define TFTPD_ADDRSTRLEN	(INET6_ADDRSTRLEN + IF_NAMESIZE + 1)
#define TFTPD_CMSG_SPACE	CMSG_SPACE(sizeof(struct in6_pktinfo))

/* Counters: every drop has a reason. */
#define TFTPD_COUNTERS(X) \
	X(REQUESTS, "requests") \
	X(REQ_SHORT, "requests too short") \
	X(REQ_UNSUPPORTED, "requests unsupported (WRQ, mode, format)") \
	X(REQ_IFACE, "requests on other interfaces") \
	X(REQ_FULL, "requests dropped at tftp-max (single port)") \
	X(REQ_REPEAT, "repeated requests replacing a transfer") \
	X(REQ_DUP, "retransmitted requests of a starting transfer") \
	X(REQ_NOSOCK, "requests without a transfer socket") \
	X(REQ_NOPORT, "requests without a free port") \
	X(REQ_NOMEM, "requests dropped for memory") \
	X(REQ_OPTS_UNKNOWN, "unknown options ignored") \
	X(ERR_FNF, "file not found") \
	X(ERR_PERM, "access refused") \
	X(ERR_READ, "cannot read") \
	X(XFER_STARTED, "transfers started") \
	X(XFER_SENT, "transfers completed") \
	X(XFER_FAILED, "transfers failed") \
	X(XFER_ABORTED, "transfers aborted by the client") \
	X(XFER_OACK, "transfers with OACK") \
	X(XFER_WINDOWED, "transfers windowed") \
	X(PKT_ACK, "ACKs received") \
	X(ACK_DUP, "duplicate ACKs ignored") \
	X(ACK_DUP_RESTART, "repeated restart ACKs ignored") \
	X(ACK_STALE, "stale ACKs ignored") \
	X(ACK_FUTURE, "ACKs for unsent blocks ignored") \
	X(ACK_RESTART, "window restarts") \
	X(PKT_OTHER, "unexpected packets ignored") \
	X(PKT_SHORT, "short packets ignored") \
	X(PKT_TID, "packets from a wrong TID") \
	X(TIMEOUTS, "retransmission timeouts") \
	X(TX_PACKETS, "packets sent") \
	X(TX_BYTES, "bytes sent") \
	X(TX_BLOCKED, "sends deferred (socket buffer full)") \
	X(TX_ERRORS, "send errors") \
	X(PAUSED, "times the request socket was paused at tftp-max") \
	X(EVICTED, "never-acknowledged transfers ended at tftp-max")

enum tftpd_counter {
#define X_ENUM(id, text) TFTPD_C_##id,
	TFTPD_COUNTERS(X_ENUM)
#undef X_ENUM
	TFTPD_C_N
};

static const char *const tftpd_counter_text[TFTPD_C_N] = {
#define X_TEXT(id, text) text,
	TFTPD_COUNTERS(X_TEXT)
#undef X_TEXT
};

/* An IPv4 or IPv6 address and port. */
union tftpd_sa {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

/* A port-69 socket: IPv4 (0.0.0.0) and IPv6 (::, v6-only), as dnsmasq's
 * wildcard listeners; with bind-dynamic one per address (fd -1: a free
 * slot), as dnsmasq's bound listeners. */
struct tftpd_lsn {
	struct tftpd *t;
	int fd;
	int family;
	struct ev_io io;
	/* bind-dynamic: the address bound, and for an interface's address
	 * (closed when it goes) that interface */
	struct sockaddr_storage sa;
	bool dyn;
	bool seen;		/* found by the current tftpd_dyn_sync() */
	int ifindex;
	char ifname[IF_NAMESIZE];
};

struct tftpd_conn {
	struct tftpd *t;
	struct tftp_xfer x;
	struct tftp_file *file;
	union tftpd_sa peer;
	union tftpd_sa local;	/* the request's destination, port 0 */
	socklen_t peer_len;
	int ifindex;
	int fd;			/* own socket, or the port-69 one */
	bool own_fd;
	bool want_out;
	struct ev_io io;
	struct ev_timer tm;
	/* read-ahead: one pread() serves many blocks (owned; lazily made) */
	uint8_t *ra;
	size_t ra_cap, ra_len;
	uint64_t ra_off;
	int rd_err;		/* errno of a failed read */
	bool acked;		/* an ACK from the client arrived */
	int64_t born_ms;	/* when the request was taken */
	char client[TFTPD_ADDRSTRLEN];
	struct tftpd_conn *prev, *next;
};

struct tftpd {
	struct ev_loop *ev;
	const struct conf *cf;
	struct tftpd_lsn lsn[TFTPD_LSN_MAX];	/* wildcard: IPv4, IPv6 */
	unsigned n_lsn;			/* slots in use or freed */
	struct addrwatch aw;		/* bind-dynamic: address events */
	bool dyn_start;			/* tftpd_dyn_sync() at start-up */
	char *dyn_msg;			/* ... its message buffer */
	size_t dyn_msgsz;
	bool listening;
	struct tftp_files files;
	struct tftpd_conn *conns;
	unsigned n_conns;
	int max;		/* tftp-max after dnsmasq's descriptor cap */
	unsigned window_cap;
	uint16_t next_port;
	uid_t euid;
	tftpd_mac_fn *mac_fn;
	void *mac_arg;
	struct script *script;	/* dhcp-script helper (borrowed) or NULL */
	uint8_t *scratch;
	size_t scratch_cap;
	uint8_t rx[TFTPD_RX_MAX];
	unsigned long c[TFTPD_C_N];
	struct pcapdump *dump;	/* dumpfile=, borrowed, or NULL */
};

/* --- helpers ------------------------------------------------------------ */

static bool
tftpd_single(const struct tftpd *t)
{
	return conf_flag(t->cf, CONF_KW_TFTP_SINGLE_PORT);
}

static socklen_t
tftpd_salen(const union tftpd_sa *a)
{
	return a->sa.sa_family == AF_INET6 ? sizeof(a->in6) : sizeof(a->in);
}

/* dnsmasq's prettyprint_addr(): an IPv6 address with a scope gets
 * "%IFNAME" (sz is TFTPD_ADDRSTRLEN). */
static const char *
tftpd_addr(const union tftpd_sa *a, char *buf, size_t sz)
{
	char ifn[IF_NAMESIZE];
	const void *ap = a->sa.sa_family == AF_INET6 ?
	    (const void *)&a->in6.sin6_addr : (const void *)&a->in.sin_addr;

	if (inet_ntop(a->sa.sa_family, ap, buf, (socklen_t)sz) == NULL) {
		snprintf(buf, sz, "?");
		return buf;
	}
	if (a->sa.sa_family == AF_INET6 && a->in6.sin6_scope_id != 0 &&
	    if_indextoname(a->in6.sin6_scope_id, ifn) != NULL &&
	    strlen(buf) + strlen(ifn) + 2 <= INET6_ADDRSTRLEN)
		snprintf(buf + strlen(buf), sz - strlen(buf), "%%%s", ifn);
	return buf;
}

/* Any open port-69 socket (for ioctls). */
static int
tftpd_anyfd(const struct tftpd *t)
{
	unsigned i;

	for (i = 0; i < t->n_lsn; i++)
		if (t->lsn[i].fd >= 0)
			return t->lsn[i].fd;
	return -1;
}

/* dnsmasq: with an enable-tftp list only those interfaces; without one
 * the DHCP interfaces (interface=, except-interface=, no-dhcp-interface=) */
static bool
tftpd_iface_ok(const struct conf *cf, const char *name)
{
	if (cf->tftp->interfaces.n > 0)
		return iface_name_listed(&cf->tftp->interfaces, name);
	if (cf->interfaces.n > 0 && !iface_name_listed(&cf->interfaces, name) &&
	    strcmp(name, "lo") != 0)
		return false;
	if (iface_name_listed(&cf->except_interfaces, name))
		return false;
	return !iface_name_listed(&cf->no_dhcp_interfaces, name);
}

static unsigned
tftpd_mtu(const struct tftpd *t, const char *ifname)
{
	unsigned mtu = 0, cap = (unsigned)t->cf->tftp->mtu;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(tftpd_anyfd(t), SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0)
		mtu = (unsigned)ifr.ifr_mtu;
	if (mtu == 0 || (cap != 0 && cap < mtu))
		mtu = cap;
	return mtu;
}

/* tftp-unique-root=mac: the client's MAC from the kernel's ARP table. */
static bool
tftpd_arp_mac(struct in_addr a, uint8_t mac[6])
{
	char line[256], ip[64], hw[64];
	unsigned m[6];
	bool found = false;
	FILE *f = fopen("/proc/net/arp", "re");
	struct in_addr la;
	int i;

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%63s %*s %*s %63s", ip, hw) != 2 ||
		    inet_pton(AF_INET, ip, &la) != 1 ||
		    la.s_addr != a.s_addr ||
		    sscanf(hw, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
		    &m[4], &m[5]) != 6)
			continue;
		for (i = 0; i < 6; i++)
			mac[i] = (uint8_t)m[i];
		found = (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) != 0;
	}
	fclose(f);
	return found;
}

/* The MAC of a usable entry (not NOARP, INCOMPLETE or FAILED, as
 * dnsmasq's netlink.c filters) in one RTM_NEWNEIGH message for a. */
static bool
tftpd_nd_entry(const struct nlmsghdr *h, const struct in6_addr *a,
    uint8_t mac[6])
{
	const struct ndmsg *nd = NLMSG_DATA(h);
	const struct rtattr *rta;
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*nd));
	const void *dst = NULL, *ll = NULL;
	size_t lllen = 0;

	if (h->nlmsg_type != RTM_NEWNEIGH || len < 0 ||
	    nd->ndm_family != AF_INET6 ||
	    (nd->ndm_state & (NUD_NOARP | NUD_INCOMPLETE | NUD_FAILED)))
		return false;
	rta = (const struct rtattr *)((const char *)nd +
	    NLMSG_ALIGN(sizeof(*nd)));
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		size_t n = RTA_PAYLOAD(rta);

		if (rta->rta_type == NDA_DST && n == sizeof(*a))
			dst = RTA_DATA(rta);
		else if (rta->rta_type == NDA_LLADDR) {
			ll = RTA_DATA(rta);
			lllen = n;
		}
	}
	if (dst == NULL || ll == NULL || lllen != 6 ||
	    memcmp(dst, a, sizeof(*a)) != 0)
		return false;
	memcpy(mac, ll, 6);
	return true;
}

/* tftp-unique-root=mac for an IPv6 client: the kernel's neighbour table
 * (dnsmasq's find_mac() asks it over netlink for both families). */
static bool
tftpd_nd_mac(const struct in6_addr *a, uint8_t mac[6])
{
	struct {
		struct nlmsghdr h;
		struct ndmsg nd;
	} req = {
		.h.nlmsg_len = sizeof(req),
		.h.nlmsg_type = RTM_GETNEIGH,
		.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.h.nlmsg_seq = 1,
		.nd.ndm_family = AF_INET6,
	};
	union {
		struct nlmsghdr align;
		char b[16384];
	} rb;
	bool found = false, done = false;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	const struct nlmsghdr *h;
	ssize_t n;

	if (fd < 0)
		return false;
	if (send(fd, &req, sizeof(req), 0) < 0)
		done = true;
	while (!done && (n = recv(fd, rb.b, sizeof(rb.b), 0)) > 0) {
		int left = (int)n;

		for (h = &rb.align; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			if (!found && tftpd_nd_entry(h, a, mac))
				found = true;
		}
	}
	close(fd);
	return found;
}

/* --- sending ------------------------------------------------------------ */

/* The source address and interface of a datagram sent through a shared
 * port-69 socket (IP_PKTINFO or IPV6_PKTINFO); cbuf holds
 * TFTPD_CMSG_SPACE bytes. */
static void
tftpd_pktinfo(struct msghdr *mh, void *cbuf, size_t cbufsz,
    const union tftpd_sa *src, int ifindex)
{
	struct cmsghdr *cm;
	struct in_pktinfo pi;
	struct in6_pktinfo pi6;
	bool v6 = src->sa.sa_family == AF_INET6;
	size_t sz = v6 ? sizeof(pi6) : sizeof(pi);

	memset(cbuf, 0, cbufsz);
	mh->msg_control = cbuf;
	mh->msg_controllen = CMSG_SPACE(sz);
	cm = CMSG_FIRSTHDR(mh);
	cm->cmsg_level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	cm->cmsg_type = v6 ? IPV6_PKTINFO : IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sz);
	if (v6) {
		memset(&pi6, 0, sizeof(pi6));
		pi6.ipi6_addr = src->in6.sin6_addr;
		pi6.ipi6_ifindex = (unsigned)ifindex;
		memcpy(CMSG_DATA(cm), &pi6, sizeof(pi6));
		return;
	}
	memset(&pi, 0, sizeof(pi));
	pi.ipi_spec_dst = src->in.sin_addr;
	pi.ipi_ifindex = ifindex;
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
}

/* One datagram to a peer from fd (with the source address when fd is
 * the shared port-69 socket). */
static void
tftpd_send1(struct tftpd *t, int fd, bool shared,
    const union tftpd_sa *to, const union tftpd_sa *src, int ifindex,
    const void *p, size_t len)
{
	union {
		struct cmsghdr align;
		char buf[TFTPD_CMSG_SPACE];
	} cb;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)p, .iov_len = len };
	struct msghdr mh = {
		.msg_name = (void *)(uintptr_t)to,
		.msg_namelen = tftpd_salen(to),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};

	if (shared)
		tftpd_pktinfo(&mh, cb.buf, sizeof(cb.buf), src, ifindex);
	if (sendmsg(fd, &mh, MSG_DONTWAIT) < 0) {
		t->c[TFTPD_C_TX_ERRORS]++;
		return;
	}
	t->c[TFTPD_C_TX_PACKETS]++;
	t->c[TFTPD_C_TX_BYTES] += len;
	pcapdump_udp(t->dump, PCAPDUMP_TFTP, NULL, (const void *)to, fd, p,
	    len);
}

/* An ERROR packet, logged as dnsmasq logs it (not ERROR 1 with
 * quiet-tftp). */
static void
tftpd_send_err(struct tftpd *t, int fd, bool shared,
    const union tftpd_sa *to, const union tftpd_sa *src, int ifindex,
    uint16_t code, const char *msg)
{
	uint8_t pkt[TFTP_ERRMSG_MAX + TFTP_HDR_LEN];
	size_t len = tftp_err_encode(pkt, sizeof(pkt), code, msg);

	if (code != TFTP_ERR_FNF || !conf_flag(t->cf, CONF_KW_QUIET_TFTP))
		log_err(LOG_SVC_TFTP, "%.*s", TFTP_ERRMSG_MAX - 1, msg);
	if (len > 0)
		tftpd_send1(t, fd, shared, to, src, ifindex, pkt, len);
}

static ssize_t
tftpd_pread(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, (uint8_t *)buf + got, n - got,
		    (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* tftp_xfer's reader: from the transfer's read-ahead window, refilled
 * with one pread() of TFTPD_READAHEAD bytes (or one block if larger). */
static ssize_t
tftpd_read(void *arg, void *buf, size_t n, uint64_t off)
{
	struct tftpd_conn *k = arg;
	ssize_t r;

	if (k->ra == NULL) {
		k->ra_cap = n > TFTPD_READAHEAD ? n : TFTPD_READAHEAD;
		if ((k->ra = malloc(k->ra_cap)) == NULL)
			return tftpd_pread(k->file->fd, buf, n, off);
	}
	if (n > k->ra_cap)
		return tftpd_pread(k->file->fd, buf, n, off);
	if (off < k->ra_off || off + n > k->ra_off + k->ra_len) {
		r = tftpd_pread(k->file->fd, k->ra, k->ra_cap, off);
		if (r < 0)
			return r;
		k->ra_off = off;
		k->ra_len = (size_t)r;
		if (n > k->ra_len)
			n = k->ra_len;
	}
	memcpy(buf, k->ra + (off - k->ra_off), n);
	return (ssize_t)n;
}

static void tftpd_conn_end(struct tftpd_conn *k, bool ok);

static void
tftpd_want_out(struct tftpd_conn *k, bool on)
{
	if (!k->own_fd || k->want_out == on)
		return;
	k->want_out = on;
	ev_io_mod(k->t->ev, &k->io, EPOLLIN | (on ? EPOLLOUT : 0));
}

/* Builds up to one batch of queued blocks into the scratch buffer. */
static unsigned
tftpd_build_batch(struct tftpd_conn *k, struct iovec *iov, unsigned max)
{
	struct tftpd *t = k->t;
	size_t slot = k->x.p.blksize + TFTP_HDR_LEN;
	uint64_t blk;
	unsigned n = 0;

	if (!tftp_xfer_tx_next(&k->x, &blk))
		return 0;
	if (slot < 512)
		slot = 512;	/* an OACK */
	if (max > t->scratch_cap / slot)
		max = (unsigned)(t->scratch_cap / slot);
	for (; n < max && blk + n <= k->x.tx_end; n++) {
		uint8_t *buf = t->scratch + n * slot;
		ssize_t len = tftp_xfer_build(&k->x, blk + n, buf, slot,
		    tftpd_read, k);

		if (len < 0)
			k->rd_err = (int)-len;
		if (len <= 0)
			break;
		iov[n].iov_base = buf;
		iov[n].iov_len = (size_t)len;
	}
	return n;
}

/* Sends what the transfer has queued, a batch per sendmmsg().  Returns
 * false when the transfer ended (a read error): k is gone then. */
static bool
tftpd_drain(struct tftpd_conn *k)
{
	struct tftpd *t = k->t;
	bool shared = !k->own_fd;
	struct iovec iov[TFTPD_BATCH];
	struct mmsghdr mm[TFTPD_BATCH];
	union {
		struct cmsghdr align;
		char buf[TFTPD_CMSG_SPACE];
	} cb;
	unsigned n, i;
	int sent;

	for (;;) {
		n = tftpd_build_batch(k, iov, TFTPD_BATCH);
		if (k->x.state == TFTP_XS_FAILED) {
			char msg[TFTPD_PATH_MAX + 64], path[TFTPD_PATH_MAX];

			log_sanitise(path, sizeof(path), k->file->path,
			    strlen(k->file->path));
			snprintf(msg, sizeof(msg), "cannot read %s: %s", path,
			    strerror(k->rd_err ? k->rd_err : EIO));
			tftpd_send_err(t, k->fd, shared, &k->peer, &k->local,
			    k->ifindex, TFTP_ERR_NOTDEF, msg);
			t->c[TFTPD_C_ERR_READ]++;
			tftpd_conn_end(k, false);
			return false;
		}
		if (n == 0)
			break;
		memset(mm, 0, sizeof(mm[0]) * n);
		for (i = 0; i < n; i++) {
			mm[i].msg_hdr.msg_name = &k->peer;
			mm[i].msg_hdr.msg_namelen = k->peer_len;
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			if (shared)
				tftpd_pktinfo(&mm[i].msg_hdr, cb.buf,
				    sizeof(cb.buf), &k->local, k->ifindex);
		}
		sent = sendmmsg(k->fd, mm, n, MSG_DONTWAIT);
		if (sent < 0 && errno != EAGAIN && errno != ENOBUFS &&
		    errno != EINTR) {
			/* the timer retransmits; the peer may be gone */
			t->c[TFTPD_C_TX_ERRORS]++;
			break;
		}
		for (i = 0; sent > 0 && i < (unsigned)sent; i++) {
			tftp_xfer_tx_done(&k->x);
			t->c[TFTPD_C_TX_PACKETS]++;
			t->c[TFTPD_C_TX_BYTES] += iov[i].iov_len;
			pcapdump_udp(t->dump, PCAPDUMP_TFTP, NULL,
			    (const void *)&k->peer, k->fd, iov[i].iov_base,
			    iov[i].iov_len);
		}
		if (sent < (int)n) {
			t->c[TFTPD_C_TX_BLOCKED]++;
			if (shared)
				break;	/* the timer retries */
			tftpd_want_out(k, true);
			return true;
		}
	}
	tftpd_want_out(k, false);
	return true;
}

/* --- transfers ---------------------------------------------------------- */

static void
tftpd_listen(struct tftpd *t, bool on)
{
	unsigned i;

	if (t->listening == on || tftpd_single(t))
		return;
	t->listening = on;
	if (!on)
		t->c[TFTPD_C_PAUSED]++;
	for (i = 0; i < t->n_lsn; i++)
		if (t->lsn[i].fd >= 0)
			ev_io_mod(t->ev, &t->lsn[i].io, on ? EPOLLIN : 0);
}

static void
tftpd_conn_free(struct tftpd_conn *k)
{
	struct tftpd *t = k->t;

	if (k->prev != NULL)
		k->prev->next = k->next;
	else
		t->conns = k->next;
	if (k->next != NULL)
		k->next->prev = k->prev;
	t->n_conns--;
	ev_timer_cancel(t->ev, &k->tm);
	if (k->own_fd) {
		if (k->io.added)
			ev_io_del(t->ev, &k->io);
		close(k->fd);
	}
	tftp_file_put(&t->files, k->file);
	free(k->ra);
	free(k);
	if (t->n_conns < (unsigned)t->max)
		tftpd_listen(t, true);
}

/* dnsmasq's closing line: "sent" or "failed sending", with the path
 * sanitised. */
static void
tftpd_conn_end(struct tftpd_conn *k, bool ok)
{
	char path[TFTPD_PATH_MAX];

	log_sanitise(path, sizeof(path), k->file->path, strlen(k->file->path));
	if (ok) {
		log_info(LOG_SVC_TFTP, "sent %s to %s", path, k->client);
		/* dnsmasq: the unsanitised path, the address without scope */
		script_queue_tftp(k->t->script, k->file->size,
		    k->peer.sa.sa_family, k->peer.sa.sa_family == AF_INET6 ?
		    (const void *)&k->peer.in6.sin6_addr :
		    (const void *)&k->peer.in.sin_addr, k->file->path);
	} else
		log_info(LOG_SVC_TFTP, "failed sending %s to %s", path,
		    k->client);
	k->t->c[ok ? TFTPD_C_XFER_SENT : TFTPD_C_XFER_FAILED]++;
	tftpd_conn_free(k);
}

/* Lazy re-arming: every ACK moves the deadline later, so a timer already
 * due earlier stays; when it fires early the callback finds nothing to do
 * and arms the real deadline.  Saves two heap operations per ACK. */
static void
tftpd_arm(struct tftpd_conn *k)
{
	int64_t due = tftp_xfer_deadline(&k->x);
	int64_t evict = k->born_ms + TFTPD_EVICT_MS;

	/* a transfer nobody acknowledged also wakes when it may give way
	 * (a client's timeout option can put its deadline minutes away) */
	if (!k->acked && evict > ev_now_ms(k->t->ev) && evict < due)
		due = evict;

	if (ev_timer_armed(&k->tm) && k->tm.due_ms <= due)
		return;
	ev_timer_arm(k->t->ev, &k->tm, due);
}

/*
 * RRQ floods (issue 9): at tftp-max, a transfer whose client has not
 * acknowledged anything for TFTPD_EVICT_MS (two timeouts with the default
 * timer) gives its slot to the requests waiting, instead of retrying for
 * half a minute while well-behaved clients queue behind it
 * (docs/differences.md D16).  Below tftp-max nothing changes.
 */
static bool
tftpd_evictable(const struct tftpd_conn *k, int64_t now)
{
	return !k->acked && now - k->born_ms >= TFTPD_EVICT_MS &&
	    k->t->n_conns >= (unsigned)k->t->max;
}

static void
tftpd_evict(struct tftpd_conn *k)
{
	k->t->c[TFTPD_C_EVICTED]++;
	tftpd_conn_end(k, false);
}

/* The oldest evictable transfer gives way; false when there is none. */
static bool
tftpd_evict_one(struct tftpd *t)
{
	int64_t now = ev_now_ms(t->ev);
	struct tftpd_conn *k, *old = NULL;

	for (k = t->conns; k != NULL; k = k->next)
		if (tftpd_evictable(k, now) &&
		    (old == NULL || k->born_ms < old->born_ms))
			old = k;
	if (old == NULL)
		return false;
	tftpd_evict(old);
	return true;
}

static void
tftpd_conn_timer(struct ev_loop *ev, struct ev_timer *tm)
{
	struct tftpd_conn *k = tm->data;

	if (tftpd_evictable(k, ev_now_ms(ev))) {
		tftpd_evict(k);
		return;
	}
	if (ev_now_ms(ev) < tftp_xfer_deadline(&k->x)) {
		tftpd_arm(k);	/* fired early (lazy re-arming) */
		return;
	}
	k->t->c[TFTPD_C_TIMEOUTS]++;
	switch (tftp_xfer_timeout(&k->x, ev_now_ms(ev))) {
	case TFTP_XS_DONE:
		tftpd_conn_end(k, true);
		return;
	case TFTP_XS_ACTIVE:
		if (tftpd_drain(k))
			tftpd_arm(k);
		return;
	default:
		tftpd_conn_end(k, false);
		return;
	}
}

/* The client's ERROR ends the transfer.  dnsmasq then still logs its
 * closing line: "failed sending" when a full data block was outstanding,
 * "sent" otherwise (the OACK, or the short final block). */
static void
tftpd_conn_client_err(struct tftpd_conn *k, uint16_t code, const char *text)
{
	uint64_t last = tftp_xfer_last(&k->x);
	bool full = k->x.una != 0 && (last == 0 || k->x.una < last);

	log_err(LOG_SVC_TFTP, "error %u %s received from %s", (unsigned)code,
	    text, k->client);
	tftp_xfer_abort(&k->x);
	k->t->c[TFTPD_C_XFER_ABORTED]++;
	tftpd_conn_end(k, !full);
}

static void
tftpd_conn_packet(struct tftpd_conn *k, const uint8_t *p, size_t len)
{
	struct tftpd *t = k->t;
	char text[TFTP_ERRMSG_MAX];
	uint16_t op, num;

	if (!tftp_pkt_peek(p, len, &op, &num, text, sizeof(text))) {
		t->c[TFTPD_C_PKT_SHORT]++;
		return;
	}
	if (op == TFTP_OP_ERROR) {
		tftpd_conn_client_err(k, num, text);
		return;
	}
	if (op != TFTP_OP_ACK) {
		t->c[TFTPD_C_PKT_OTHER]++;
		return;
	}
	t->c[TFTPD_C_PKT_ACK]++;
	k->acked = true;
	switch (tftp_xfer_ack(&k->x, num, ev_now_ms(t->ev))) {
	case TFTP_ACK_DONE:
		tftpd_conn_end(k, true);
		return;
	case TFTP_ACK_RESTART:
		t->c[TFTPD_C_ACK_RESTART]++;
		break;
	case TFTP_ACK_ADVANCE:
		break;
	case TFTP_ACK_DUP:
		t->c[TFTPD_C_ACK_DUP]++;
		return;
	case TFTP_ACK_DUP_RESTART:
		t->c[TFTPD_C_ACK_DUP_RESTART]++;
		return;
	case TFTP_ACK_STALE:
		t->c[TFTPD_C_ACK_STALE]++;
		return;
	default:
		t->c[TFTPD_C_ACK_FUTURE]++;
		return;
	}
	if (tftpd_drain(k))
		tftpd_arm(k);
}

static bool
tftpd_same_peer(const union tftpd_sa *a, const union tftpd_sa *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET6)
		return a->in6.sin6_port == b->in6.sin6_port &&
		    a->in6.sin6_scope_id == b->in6.sin6_scope_id &&
		    memcmp(&a->in6.sin6_addr, &b->in6.sin6_addr,
		    sizeof(a->in6.sin6_addr)) == 0;
	return a->in.sin_addr.s_addr == b->in.sin_addr.s_addr &&
	    a->in.sin_port == b->in.sin_port;
}

static void
tftpd_conn_io(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct tftpd_conn *k = io->data;
	struct tftpd *t = k->t;
	union tftpd_sa from;
	socklen_t flen;
	ssize_t n;
	int i;

	(void)ev;
	if (revents & EPOLLOUT) {
		(void)tftpd_drain(k);
		return;	/* k may be gone; the next turn reads */
	}
	for (i = 0; i < TFTPD_RX_BURST; i++) {
		char msg[128], addr[TFTPD_ADDRSTRLEN];

		flen = sizeof(from);
		n = recvfrom(k->fd, t->rx, sizeof(t->rx), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		if (tftpd_same_peer(&from, &k->peer)) {
			tftpd_conn_packet(k, t->rx, (size_t)n);
			return;	/* k may be gone */
		}
		/* RFC 1350 4: a stranger gets ERROR 5, the transfer goes on */
		t->c[TFTPD_C_PKT_TID]++;
		snprintf(msg, sizeof(msg),
		    "ignoring packet from %s (TID mismatch)",
		    tftpd_addr(&from, addr, sizeof(addr)));
		tftpd_send_err(t, k->fd, false, &from, &k->local, 0,
		    TFTP_ERR_TID, msg);
	}
}

/* --- requests ----------------------------------------------------------- */

/* What the request arrived on. */
struct tftpd_rx {
	union tftpd_sa peer;
	union tftpd_sa local;	/* port 0 */
	const struct tftpd_lsn *lsn;
	int ifindex;
	char ifname[IF_NAMESIZE];
	const uint8_t *p;
	size_t len;
};

/* The transfer's own socket: the request's destination address and an
 * ephemeral port or the next free one of tftp-port-range. */
static int
tftpd_conn_socket(struct tftpd *t, const union tftpd_sa *local, int ifindex)
{
	const struct conf_tftp *ct = t->cf->tftp;
	union tftpd_sa sa = *local;
	bool v6 = local->sa.sa_family == AF_INET6;
	unsigned span = 1, i;
	int off = IP_PMTUDISC_DONT, off6 = IPV6_PMTUDISC_DONT;
	int fd;

	fd = socket(local->sa.sa_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0) {
		t->c[TFTPD_C_REQ_NOSOCK]++;
		return -1;
	}
	(void)setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &off, sizeof(off));
	/* a link-local address binds only with its interface (dnsmasq
	 * leaves the scope out and cannot answer there: D16) */
	if (v6 && IN6_IS_ADDR_LINKLOCAL(&sa.in6.sin6_addr))
		sa.in6.sin6_scope_id = (uint32_t)ifindex;
	if (v6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &off6,
		    sizeof(off6));
	if (ct->has_port_range) {
		span = (unsigned)(ct->port_last - ct->port_first) + 1;
		if (t->next_port < ct->port_first ||
		    t->next_port > ct->port_last)
			t->next_port = ct->port_first;
	}
	for (i = 0; i < span; i++) {
		uint16_t port = htons(ct->has_port_range ? t->next_port : 0);

		if (v6)
			sa.in6.sin6_port = port;
		else
			sa.in.sin_port = port;
		if (ct->has_port_range && ++t->next_port > ct->port_last)
			t->next_port = ct->port_first;
		if (bind(fd, &sa.sa, tftpd_salen(&sa)) == 0)
			return fd;
		if (errno != EADDRINUSE || !ct->has_port_range)
			break;
	}
	if (errno == EADDRINUSE && ct->has_port_range) {
		log_err(LOG_SVC_TFTP, "unable to get free port for TFTP");
		t->c[TFTPD_C_REQ_NOPORT]++;
	} else {
		t->c[TFTPD_C_REQ_NOSOCK]++;
	}
	close(fd);
	return -1;
}

/* A socket buffer that holds a whole window (best effort). */
static void
tftpd_conn_sndbuf(struct tftpd_conn *k)
{
	int want = (int)((k->x.p.blksize + 64) * k->x.p.window * 2);

	if (!k->own_fd || k->x.p.window <= 1 || want <= 0)
		return;
	if (want > (8 << 20))
		want = 8 << 20;
	if (setsockopt(k->fd, SOL_SOCKET, SO_SNDBUFFORCE, &want,
	    sizeof(want)) < 0)
		(void)setsockopt(k->fd, SOL_SOCKET, SO_SNDBUF, &want,
		    sizeof(want));
}

/* Maps tftp_file_get()'s errors to dnsmasq's packets and log lines. */
static void
tftpd_open_err(struct tftpd *t, struct tftpd_conn *k, int rc,
    const char *path)
{
	char spath[TFTPD_PATH_MAX], msg[TFTPD_PATH_MAX + 128];
	uint16_t code;

	log_sanitise(spath, sizeof(spath), path, strlen(path));
	if (rc == -ENOENT) {
		code = TFTP_ERR_FNF;
		snprintf(msg, sizeof(msg), "file %s not found for %s", spath,
		    k->client);
		t->c[TFTPD_C_ERR_FNF]++;
	} else if (rc == -EACCES || rc == -EPERM) {
		code = TFTP_ERR_PERM;
		snprintf(msg, sizeof(msg), "cannot access %s: %s", spath,
		    strerror(EACCES));
		t->c[TFTPD_C_ERR_PERM]++;
	} else {
		code = TFTP_ERR_NOTDEF;
		snprintf(msg, sizeof(msg), "cannot read %s: %s", spath,
		    strerror(-rc));
		t->c[TFTPD_C_ERR_READ]++;
	}
	tftpd_send_err(t, k->fd, !k->own_fd, &k->peer, &k->local, k->ifindex,
	    code, msg);
}

/*
 * The path named in the error for a name too long to look up: dnsmasq's
 * namebuff, "/" or the root with a '/' after it, then the name (a leading
 * '/' dropped after a root; backslashes as slashes), cut at MAXDNAME - 1
 * (1024) bytes.  path has TFTPD_PATH_MAX bytes.
 */
static void
tftpd_long_path(char *path, const char *root, const char *name, size_t len)
{
	size_t n = 0, i;

	if (root != NULL && root[0] != '\0') {
		n = (size_t)snprintf(path, TFTPD_DNSMASQ_PATH + 1, "%s%s%s",
		    root[0] == '/' ? "" : "/", root,
		    root[strlen(root) - 1] == '/' ? "" : "/");
		if (len > 0 && name[0] == '/') {
			name++;
			len--;
		}
	} else if (len == 0 || name[0] != '/')
		path[n++] = '/';
	if (n > TFTPD_DNSMASQ_PATH)
		n = TFTPD_DNSMASQ_PATH;
	for (i = 0; i < len && name[i] != '\0' && n < TFTPD_DNSMASQ_PATH; i++)
		path[n++] = name[i] == '\\' ? '/' : name[i];
	path[n] = '\0';
}

/* Finds and opens the file; returns 0 or -errno (answered already). */
static int
tftpd_conn_file(struct tftpd_conn *k, const struct tftp_req *req,
    const struct tftpd_rx *rx)
{
	struct tftpd *t = k->t;
	const struct conf_tftp *ct = t->cf->tftp;
	char name[TFTPD_PATH_MAX], path[TFTPD_PATH_MAX];
	uint8_t mac[6];
	struct tftp_lookup l = {
		.root = conf_tftp_root_for(ct, rx->ifname),
		.name = name,
		.client = k->client,
		.unique_ip = ct->unique_root_ip,
		.unique_mac = ct->unique_root_mac,
		.secure = conf_flag(t->cf, CONF_KW_TFTP_SECURE),
		.euid = t->euid,
	};
	int rc;

	/* dnsmasq: the lease table (IPv4 only), then the ARP or
	 * neighbour table */
	if (ct->unique_root_mac && rx->peer.sa.sa_family == AF_INET &&
	    ((t->mac_fn != NULL && t->mac_fn(t->mac_arg, rx->peer.in.sin_addr,
	    mac)) || tftpd_arp_mac(rx->peer.in.sin_addr, mac)))
		l.mac = mac;
	if (ct->unique_root_mac && rx->peer.sa.sa_family == AF_INET6 &&
	    tftpd_nd_mac(&rx->peer.in6.sin6_addr, mac))
		l.mac = mac;
	path[0] = '\0';
	if (!tftp_name_normalise(req->name, req->name_len,
	    conf_flag(t->cf, CONF_KW_TFTP_LOWERCASE), name, sizeof(name)))
		rc = -ENAMETOOLONG;
	else
		rc = tftp_file_get(&t->files, &l, path, sizeof(path),
		    &k->file);
	if (rc < 0) {
		if (path[0] == '\0')
			tftpd_long_path(path, l.root, req->name, req->name_len);
		tftpd_open_err(t, k, rc, path);
	}
	return rc;
}

static void
tftpd_conn_start(struct tftpd_conn *k, const struct tftp_req *req,
    const char *ifname)
{
	struct tftpd *t = k->t;
	struct tftp_neg_in in = {
		.mtu = tftpd_mtu(t, ifname),
		.ipv6 = k->peer.sa.sa_family == AF_INET6,
		.no_blocksize = conf_flag(t->cf, CONF_KW_TFTP_NO_BLOCKSIZE),
		.window_cap = t->window_cap,
		.file_size = k->file->size,
	};
	struct tftp_params p;

	tftp_negotiate(req, &in, &p);
	tftp_xfer_init(&k->x, &p, k->file->size, ev_now_ms(t->ev));
	t->c[TFTPD_C_XFER_STARTED]++;
	if (tftp_params_oack(&p))
		t->c[TFTPD_C_XFER_OACK]++;
	if (k->x.p.window > 1)
		t->c[TFTPD_C_XFER_WINDOWED]++;
	t->c[TFTPD_C_REQ_OPTS_UNKNOWN] += req->n_unknown;
	tftpd_conn_sndbuf(k);
	ev_timer_init(&k->tm, tftpd_conn_timer, k);
	if (tftpd_drain(k))
		tftpd_arm(k);
}

static struct tftpd_conn *
tftpd_find_peer(struct tftpd *t, const union tftpd_sa *peer)
{
	struct tftpd_conn *k;

	for (k = t->conns; k != NULL; k = k->next)
		if (tftpd_same_peer(&k->peer, peer))
			return k;
	return NULL;
}

static struct tftpd_conn *
tftpd_conn_new(struct tftpd *t, const struct tftpd_rx *rx)
{
	struct tftpd_conn *k = calloc(1, sizeof(*k));

	if (k == NULL) {
		t->c[TFTPD_C_REQ_NOMEM]++;
		return NULL;
	}
	k->t = t;
	k->born_ms = ev_now_ms(t->ev);
	k->peer = rx->peer;
	k->peer_len = tftpd_salen(&rx->peer);
	k->local = rx->local;
	k->ifindex = rx->ifindex;
	tftpd_addr(&rx->peer, k->client, sizeof(k->client));
	if (tftpd_single(t)) {
		k->fd = rx->lsn->fd;
	} else if ((k->fd = tftpd_conn_socket(t, &rx->local,
	    rx->ifindex)) < 0) {
		free(k);
		return NULL;
	} else {
		k->own_fd = true;
	}
	return k;
}

static void
tftpd_conn_link(struct tftpd *t, struct tftpd_conn *k)
{
	k->next = t->conns;
	if (t->conns != NULL)
		t->conns->prev = k;
	t->conns = k;
	t->n_conns++;
	if (t->n_conns >= (unsigned)t->max)
		tftpd_listen(t, false);
}

static void
tftpd_request(struct tftpd *t, const struct tftpd_rx *rx)
{
	struct tftpd_conn *k;
	struct tftp_req req;
	enum tftp_req_verdict v;
	char msg[128];

	v = tftp_req_parse(rx->p, rx->len, &req);
	if (v == TFTP_REQ_SHORT) {
		t->c[TFTPD_C_REQ_SHORT]++;
		return;
	}
	if ((k = tftpd_conn_new(t, rx)) == NULL)
		return;
	if (v != TFTP_REQ_OK) {
		t->c[TFTPD_C_REQ_UNSUPPORTED]++;
		snprintf(msg, sizeof(msg), "unsupported request from %s",
		    k->client);
		tftpd_send_err(t, k->fd, !k->own_fd, &k->peer, &k->local,
		    k->ifindex, TFTP_ERR_ILL, msg);
		goto out_free;
	}
	if (tftpd_conn_file(k, &req, rx) < 0)
		goto out_free;
	if (k->own_fd) {
		k->io.fd = k->fd;
		k->io.events = EPOLLIN;
		k->io.cb = tftpd_conn_io;
		k->io.data = k;
		if (ev_io_add(t->ev, &k->io) < 0) {
			t->c[TFTPD_C_REQ_NOSOCK]++;
			goto out_free;
		}
	}
	tftpd_conn_link(t, k);
	tftpd_conn_start(k, &req, rx->ifname);
	return;

out_free:
	tftp_file_put(&t->files, k->file);
	if (k->own_fd)
		close(k->fd);
	free(k);
}

/* Single-port mode: everything arrives here; known peers are transfers. */
static bool
tftpd_single_dispatch(struct tftpd *t, const struct tftpd_rx *rx)
{
	struct tftpd_conn *k = tftpd_find_peer(t, &rx->peer);
	uint16_t op = rx->len >= 2 ? (uint16_t)(rx->p[0] << 8 | rx->p[1]) : 0;

	if (k != NULL && op != TFTP_OP_RRQ) {
		tftpd_conn_packet(k, rx->p, rx->len);
		return true;
	}
	if (k != NULL) {	/* dnsmasq: a repeated RRQ restarts */
		t->c[TFTPD_C_REQ_REPEAT]++;
		tftpd_conn_free(k);
		return false;
	}
	if (t->n_conns >= (unsigned)t->max) {
		t->c[TFTPD_C_REQ_FULL]++;
		return true;
	}
	return false;
}

/* A client that repeats its RRQ before our first packet reached it (same
 * address and port, nothing acknowledged yet) would get a second transfer
 * from another port and answer it with ERROR 5; the first one's timer
 * already retransmits, so the copy is dropped.  But a client that ended
 * that transfer with an ERROR and asks again from the same port (PXE ROMs:
 * ERROR 8 to the tsize OACK, then the real RRQ) must not be taken for
 * one: what waits on the transfer's socket is read first. */
static bool
tftpd_dup_request(struct tftpd *t, const struct tftpd_rx *rx)
{
	struct tftpd_conn *k = tftpd_find_peer(t, &rx->peer);

	uint8_t *req;

	if (k != NULL && k->own_fd && rx->p[0] == 0 &&
	    rx->p[1] == TFTP_OP_RRQ && (req = malloc(rx->len)) != NULL) {
		/* t->rx holds the request: the transfer's read reuses it */
		memcpy(req, rx->p, rx->len);
		tftpd_conn_io(t->ev, &k->io, EPOLLIN);
		memcpy(t->rx, req, rx->len);
		free(req);
		k = tftpd_find_peer(t, &rx->peer);
	}
	if (k == NULL || rx->p[0] != 0 || rx->p[1] != TFTP_OP_RRQ ||
	    k->x.una > (tftp_params_oack(&k->x.p) ? 0 : 1))
		return false;
	t->c[TFTPD_C_REQ_DUP]++;
	return true;
}

static bool
tftpd_recv(struct tftpd *t, const struct tftpd_lsn *l, struct tftpd_rx *rx)
{
	union {
		struct cmsghdr align;
		char buf[TFTPD_CMSG_SPACE + 64];
	} cb;
	struct iovec iov = { .iov_base = t->rx, .iov_len = sizeof(t->rx) };
	struct msghdr mh = {
		.msg_name = &rx->peer,
		.msg_namelen = sizeof(rx->peer),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cb.buf,
		.msg_controllen = sizeof(cb.buf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	memset(rx, 0, sizeof(*rx));
	n = recvmsg(l->fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return false;
	rx->p = t->rx;
	rx->len = (size_t)n;
	rx->lsn = l;
	rx->local.sa.sa_family = (sa_family_t)l->family;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			rx->local.in.sin_addr = pi.ipi_spec_dst;
			rx->ifindex = pi.ipi_ifindex;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi6;

			memcpy(&pi6, CMSG_DATA(cm), sizeof(pi6));
			rx->local.in6.sin6_addr = pi6.ipi6_addr;
			rx->ifindex = (int)pi6.ipi6_ifindex;
		}
	return true;
}

static void
tftpd_io69(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct tftpd_lsn *l = io->data;
	struct tftpd *t = l->t;
	struct tftpd_rx rx;
	int i;

	(void)ev;
	(void)revents;
	for (i = 0; i < TFTPD_RX_BURST; i++) {
		if (!tftpd_single(t) && t->n_conns >= (unsigned)t->max &&
		    !tftpd_evict_one(t)) {
			tftpd_listen(t, false);
			return;
		}
		if (!tftpd_recv(t, l, &rx))
			return;
		t->c[TFTPD_C_REQUESTS]++;
		pcapdump_udp(t->dump, PCAPDUMP_TFTP, (const void *)&rx.peer,
		    NULL, l->fd, rx.p, rx.len);
		if (rx.len < 2) {
			t->c[TFTPD_C_REQ_SHORT]++;
			continue;
		}
		/* dnsmasq: interface unknown or not ours: silently ignored */
		if (if_indextoname((unsigned)rx.ifindex, rx.ifname) == NULL ||
		    !tftpd_iface_ok(t->cf, rx.ifname)) {
			t->c[TFTPD_C_REQ_IFACE]++;
			continue;
		}
		if (tftpd_single(t) && tftpd_single_dispatch(t, &rx))
			continue;
		if (!tftpd_single(t) && tftpd_dup_request(t, &rx))
			continue;
		tftpd_request(t, &rx);
	}
}

/* --- life cycle --------------------------------------------------------- */

bool
tftpd_wanted(const struct conf *cf)
{
	return cf->tftp->enabled;
}

/* dnsmasq's cap on tftp-max from the descriptor limit and port range
 * (logged at start-up when it bites). */
static int
tftpd_max(const struct conf *cf)
{
	const struct conf_tftp *ct = cf->tftp;
	struct rlimit rl;
	long fds = 1024;
	int max = ct->max;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		fds = (long)rl.rlim_cur;
	fds -= 30;
	if (fds < 0)
		fds = 5;
	else if (fds < 100 && !conf_flag(cf, CONF_KW_TFTP_SINGLE_PORT))
		fds /= 2;
	else
		fds -= 20;
	if (ct->has_port_range &&
	    (long)ct->port_last - ct->port_first + 1 < fds)
		fds = (long)ct->port_last - ct->port_first + 1;
	if (max > fds)
		max = (int)fds;
	return max > 0 ? max : 1;
}

/* A port-69 socket bound to sa (port set): IPv6 v6-only, with
 * IP_PKTINFO / IPV6_RECVPKTINFO, as dnsmasq's. */
static int
tftpd_socket69_at(const union tftpd_sa *sa, int *fdp)
{
	int one = 1, sndbuf = 1 << 20, fd, family = sa->sa.sa_family;
	bool v6 = family == AF_INET6;

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* single-port mode sends every window through this socket */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
	    sizeof(one)) < 0) ||
	    setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
	    v6 ? IPV6_RECVPKTINFO : IP_PKTINFO, &one, sizeof(one)) < 0 ||
	    bind(fd, &sa->sa, tftpd_salen(sa)) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	*fdp = fd;
	return 0;
}

/* The wildcard port-69 socket of a family.  loopback: 127.0.0.1 or ::1
 * instead (local-service=host: dnsmasq listens on the loopback interface
 * only). */
static int
tftpd_socket69(int family, bool loopback, int *fdp)
{
	union tftpd_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa.sa_family = (sa_family_t)family;
	if (family == AF_INET6) {
		sa.in6.sin6_port = htons(TFTPD_PORT);
		sa.in6.sin6_addr = loopback ? in6addr_loopback : in6addr_any;
	} else {
		sa.in.sin_port = htons(TFTPD_PORT);
		sa.in.sin_addr.s_addr = htonl(loopback ? INADDR_LOOPBACK :
		    INADDR_ANY);
	}
	return tftpd_socket69_at(&sa, fdp);
}

/* Watches l (its fd open): paused like the others at tftp-max.  Returns
 * 0, or -errno with the fd closed. */
static int
tftpd_lsn_watch(struct tftpd *t, struct tftpd_lsn *l, int family)
{
	int rc;

	l->t = t;
	l->family = family;
	l->io.fd = l->fd;
	l->io.events = t->listening || tftpd_single(t) ? EPOLLIN : 0;
	l->io.cb = tftpd_io69;
	l->io.data = l;
	if ((rc = ev_io_add(t->ev, &l->io)) < 0) {
		close(l->fd);
		l->fd = -1;
		return rc < 0 ? rc : -EIO;
	}
	return 0;
}

/* Opens and watches lsn[i]; a kernel without the family is no error
 * (dnsmasq: EPROTONOSUPPORT, EAFNOSUPPORT, EINVAL from socket()), nor a
 * loopback without ::1. */
static int
tftpd_lsn_open(struct tftpd *t, unsigned i, int family)
{
	struct tftpd_lsn *l = &t->lsn[i];
	bool lo = t->cf->dns->local_service_effective == CONF_DNS_LS_HOST;
	int rc = tftpd_socket69(family, lo, &l->fd);

	if (rc == -EPROTONOSUPPORT || rc == -EAFNOSUPPORT || rc == -EINVAL ||
	    (lo && rc == -EADDRNOTAVAIL)) {
		l->fd = -1;
		return 0;
	}
	if (rc < 0) {
		l->fd = -1;
		return rc;
	}
	return tftpd_lsn_watch(t, l, family);
}

/* --- bind-dynamic --------------------------------------------------------
 * dnsmasq 2.90 gives each bound listener its TFTP socket too
 * (network.c create_listeners(), iface_allowed()'s tftp_ok): with
 * bind-dynamic, port 69 on each address that DNS would bind whose
 * interface TFTP serves (the enable-tftp list when given, else not a
 * no-dhcp-interface one; every listen-address), opened and closed as
 * addresses come and go (addrwatch.h).  Requests are still checked by
 * arrival interface (tftpd_io69()). */

/* iface_allowed(): tftp_ok for a's interface. */
static bool
tftpd_dyn_ok(const struct tftpd *t, const struct addrwatch_addr *a)
{
	const struct conf *cf = t->cf;

	if (a->ifindex == 0)
		return true;	/* a listen-address: always */
	if (cf->tftp->interfaces.n > 0)
		return iface_name_listed(&cf->tftp->interfaces, a->ifname);
	return !iface_name_listed(&cf->no_dhcp_interfaces, a->ifname);
}

/* Marks the socket on a->sa seen; true when there is one. */
static bool
tftpd_dyn_seen(struct tftpd *t, const struct addrwatch_addr *a)
{
	unsigned i;

	for (i = 0; i < t->n_lsn; i++) {
		struct tftpd_lsn *l = &t->lsn[i];

		if (l->fd < 0 || !addrwatch_same(&l->sa, &a->sa))
			continue;
		l->seen = true;
		if (l->dyn && a->ifindex != 0) {
			l->ifindex = a->ifindex;
			memcpy(l->ifname, a->ifname, sizeof(l->ifname));
		}
		return true;
	}
	return false;
}

/* dnsmasq logs one line per listener (DNS and TFTP together): TFTP logs
 * only when DNS is off, with dnsmasq's port (the DNS port, 0). */
static bool
tftpd_dyn_logs(const struct tftpd *t)
{
	return t->cf->dns->port == 0 &&
	    conf_flag(t->cf, CONF_KW_LOG_DEBUG);
}

/* make_sock() for port 69 on a: EADDRNOTAVAIL silent (tried again at the
 * next event), another failure fatal at start-up, logged later.  Returns
 * 0 or -errno. */
static int
tftpd_dyn_open(struct tftpd *t, const struct addrwatch_addr *a)
{
	char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	union tftpd_sa sa;
	struct tftpd_lsn *l = NULL;
	unsigned i;
	int fd, rc;

	addrwatch_text(&a->sa, text, sizeof(text));
	memset(&sa, 0, sizeof(sa));
	memcpy(&sa, &a->sa, a->salen);
	if (sa.sa.sa_family == AF_INET6)
		sa.in6.sin6_port = htons(TFTPD_PORT);
	else
		sa.in.sin_port = htons(TFTPD_PORT);
	rc = tftpd_socket69_at(&sa, &fd);
	if (rc == -EADDRNOTAVAIL || rc == -EAFNOSUPPORT ||
	    rc == -EPROTONOSUPPORT)
		return 0;
	for (i = 0; i < t->n_lsn && l == NULL; i++)
		if (t->lsn[i].fd < 0)
			l = &t->lsn[i];
	if (l == NULL && t->n_lsn < TFTPD_LSN_MAX) {
		l = &t->lsn[t->n_lsn++];
		l->fd = -1;
	}
	if (rc == 0 && l == NULL) {
		close(fd);
		rc = -ENOSPC;
	}
	if (rc < 0 && t->dyn_start) {
		snprintf(t->dyn_msg, t->dyn_msgsz, "failed to create "
		    "listening socket for %s: %s", text, strerror(-rc));
		return rc;
	}
	if (rc < 0) {
		log_warn(LOG_SVC_MAIN, "failed to create listening socket "
		    "for %s: %s", text, strerror(-rc));
		return 0;
	}
	l->fd = fd;
	if (tftpd_lsn_watch(t, l, sa.sa.sa_family) < 0)
		return 0;
	memcpy(&l->sa, &a->sa, sizeof(l->sa));
	l->seen = true;
	l->dyn = a->ifindex != 0;
	l->ifindex = a->ifindex;
	memcpy(l->ifname, a->ifname, sizeof(l->ifname));
	if (t->dyn_start || !tftpd_dyn_logs(t))
		return 0;
	if (a->ifindex != 0)
		log_debug(LOG_SVC_DEBUG, "listening on %s(#%d): %s port %u",
		    a->ifname, a->ifindex, text, t->cf->dns->port);
	else
		log_debug(LOG_SVC_DEBUG, "listening on %s port %u", text,
		    t->cf->dns->port);
	return 0;
}

static int
tftpd_dyn_addr(void *arg, const struct addrwatch_addr *a)
{
	struct tftpd *t = arg;

	if (!tftpd_dyn_ok(t, a) || tftpd_dyn_seen(t, a))
		return 0;
	return tftpd_dyn_open(t, a);
}

/* Closes the sockets of addresses gone; tftp-single-port transfers that
 * went through one end with it. */
static void
tftpd_dyn_release(struct tftpd *t)
{
	unsigned i;

	for (i = 0; i < t->n_lsn; i++) {
		struct tftpd_lsn *l = &t->lsn[i];
		struct tftpd_conn *k, *next;
		char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];

		if (l->fd < 0 || !l->dyn || l->seen)
			continue;
		for (k = t->conns; k != NULL; k = next) {
			next = k->next;
			if (!k->own_fd && k->fd == l->fd)
				tftpd_conn_end(k, false);
		}
		addrwatch_text(&l->sa, text, sizeof(text));
		if (tftpd_dyn_logs(t))
			log_debug(LOG_SVC_DEBUG, "stopped listening on "
			    "%s(#%d): %s port %u", l->ifname, l->ifindex,
			    text, t->cf->dns->port);
		if (l->io.added)
			ev_io_del(t->ev, &l->io);
		close(l->fd);
		l->fd = -1;
	}
}

/* Brings the sockets in line with the addresses present.  At start-up
 * a failure returns -errno with dnsmasq's message in t->dyn_msg and
 * *code its exit status. */
static int
tftpd_dyn_sync(struct tftpd *t, int *code)
{
	unsigned k;
	int rc;

	for (k = 0; k < t->n_lsn; k++)
		t->lsn[k].seen = false;
	rc = addrwatch_each(t->cf, TFTPD_PORT, tftpd_dyn_addr, t);
	if (rc == 0)
		rc = addrwatch_listen_each(t->cf, TFTPD_PORT, tftpd_dyn_addr,
		    t);
	if (rc < 0 && t->dyn_start) {
		*code = 2;	/* EC_BADNET: a socket */
		if (t->dyn_msg[0] == '\0') {	/* getifaddrs(): EC_MISC */
			snprintf(t->dyn_msg, t->dyn_msgsz, "failed to find "
			    "list of interfaces: %s", strerror(-rc));
			*code = 5;
		}
		return rc;
	}
	if (rc == 0)
		tftpd_dyn_release(t);
	return 0;
}

static void
tftpd_dyn_event(void *arg)
{
	int code;

	tftpd_dyn_sync(arg, &code);
}

/* bind-dynamic at start-up: the event socket, then the addresses now
 * present.  Returns 0, or -1 with msg and *code. */
static int
tftpd_dyn_start(struct tftpd *t, char *msg, size_t msgsz, int *code)
{
	int rc;

	if ((rc = addrwatch_open(&t->aw, t->ev, tftpd_dyn_event, t)) < 0) {
		snprintf(msg, msgsz, "cannot create netlink socket: %s",
		    strerror(-rc));
		*code = 5;	/* EC_MISC */
		return -1;
	}
	msg[0] = '\0';
	t->dyn_msg = msg;
	t->dyn_msgsz = msgsz;
	t->dyn_start = true;
	rc = tftpd_dyn_sync(t, code);
	t->dyn_start = false;
	t->dyn_msg = NULL;
	return rc < 0 ? -1 : 0;
}

struct tftpd *
tftpd_open(struct ev_loop *ev, const struct conf *cf, char *msg,
    size_t msgsz, int *exit_code)
{
	struct tftpd *t = calloc(1, sizeof(*t));
	const char *env = getenv("PXEMASQ_TFTP_WINDOW_MAX");
	int rc;

	if (t == NULL || (t->scratch = malloc(TFTPD_SCRATCH)) == NULL) {
		free(t);
		snprintf(msg, msgsz, "could not get memory");
		*exit_code = 4;
		return NULL;
	}
	t->scratch_cap = TFTPD_SCRATCH;
	t->ev = ev;
	t->cf = cf;
	t->window_cap = TFTP_WINDOW_CAP_DEFAULT;
	addrwatch_init(&t->aw);
	if (env != NULL && atoi(env) > 0)
		tftpd_set_window_cap(t, (unsigned)atoi(env));
	t->listening = true;
	t->max = CONF_TFTP_MAX_DEFAULT;
	if (conf_flag(cf, CONF_KW_BIND_DYNAMIC)) {
		if (tftpd_dyn_start(t, msg, msgsz, exit_code) < 0) {
			tftpd_close(t);
			return NULL;
		}
		return t;
	}
	t->n_lsn = 2;
	t->lsn[0].fd = t->lsn[1].fd = -1;
	if ((rc = tftpd_lsn_open(t, 0, AF_INET)) < 0 ||
	    (rc = tftpd_lsn_open(t, 1, AF_INET6)) < 0) {
		snprintf(msg, msgsz, "failed to create listening socket for "
		    "port %d: %s", TFTPD_PORT, strerror(-rc));
		*exit_code = 2;
		tftpd_close(t);
		return NULL;
	}
	return t;
}

void
tftpd_set_mac_lookup(struct tftpd *t, tftpd_mac_fn *fn, void *arg)
{
	t->mac_fn = fn;
	t->mac_arg = arg;
}

void
tftpd_set_script(struct tftpd *t, struct script *s)
{
	t->script = s;
}

void
tftpd_set_window_cap(struct tftpd *t, unsigned cap)
{
	t->window_cap = cap < 1 ? 1 : cap > TFTP_WINDOW_MAX ?
	    TFTP_WINDOW_MAX : cap;
}

static int
tftpd_check_dir(const char *dir, bool *missing, int *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		*missing = true;
		*err = errno;
		return -1;
	}
	close(fd);
	return 0;
}

int
tftpd_check_roots(struct tftpd *t, char *msg, size_t msgsz, int *exit_code)
{
	const struct conf_tftp *ct = t->cf->tftp;
	bool nofail = conf_flag(t->cf, CONF_KW_TFTP_NO_FAIL);
	const struct conf_tftp_root *r;
	bool missing = false;
	int err = 0;

	t->euid = geteuid();
	t->max = tftpd_max(t->cf);
	if (ct->root != NULL && tftpd_check_dir(ct->root, &missing, &err) < 0 &&
	    !nofail) {
		snprintf(msg, msgsz, "TFTP directory %s inaccessible: %s",
		    ct->root, strerror(err));
		*exit_code = 3;
		return -1;
	}
	for (r = ct->roots; r != NULL; r = r->next)
		if (r->dir != NULL && tftpd_check_dir(r->dir, &missing,
		    &err) < 0 && !nofail) {
			snprintf(msg, msgsz, "TFTP directory %s inaccessible: "
			    "%s", r->dir, strerror(err));
			*exit_code = 3;
			return -1;
		}
	return 0;
}

void
tftpd_log_started(struct tftpd *t)
{
	const struct conf_tftp *ct = t->cf->tftp;
	const struct conf_tftp_root *r;
	bool missing = false;
	int err;

	/* dnsmasq's "TFTP %s%s %s %s" shape, trailing spaces included */
	log_info(LOG_SVC_TFTP, "TFTP %s%s %s %s",
	    ct->root != NULL ? "root is " : "enabled",
	    ct->root != NULL ? ct->root : "",
	    conf_flag(t->cf, CONF_KW_TFTP_SECURE) ? "secure mode" : "",
	    tftpd_single(t) ? "single port mode" : "");
	if (ct->root != NULL && tftpd_check_dir(ct->root, &missing, &err) < 0)
		log_warn(LOG_SVC_TFTP, "warning: %s inaccessible", ct->root);
	for (r = ct->roots; r != NULL; r = r->next)
		if (r->dir != NULL && tftpd_check_dir(r->dir, &missing,
		    &err) < 0)
			log_warn(LOG_SVC_TFTP, "warning: TFTP directory %s "
			    "inaccessible", r->dir);
	if (t->max < ct->max)
		log_warn(LOG_SVC_TFTP, "restricting maximum simultaneous TFTP "
		    "transfers to %d", t->max);
}

void
tftpd_set_conf(struct tftpd *t, const struct conf *cf)
{
	t->cf = cf;
}

void
tftpd_set_dump(struct tftpd *t, struct pcapdump *p)
{
	t->dump = p;
}

void
tftpd_log_stats(const struct tftpd *t)
{
	unsigned i;

	log_info(LOG_SVC_TFTP, "TFTP: %u transfers active (max %d), %u "
	    "files open, %lu opens, %lu shared", t->n_conns, t->max,
	    t->files.n, t->files.opens, t->files.hits);
	for (i = 0; i < TFTPD_C_N; i++)
		if (t->c[i] != 0)
			log_info(LOG_SVC_TFTP, "TFTP: %s: %lu",
			    tftpd_counter_text[i], t->c[i]);
}

/* Counter names for the metrics: the counter's id in lower case. */
static const char *const tftpd_counter_id[TFTPD_C_N] = {
#define X_ID(id, text) #id,
	TFTPD_COUNTERS(X_ID)
#undef X_ID
};

void
tftpd_metrics(const struct tftpd *t, struct mx *m)
{
	char lbl[64], id[40];
	unsigned i, j;

	mx_family(m, "pxemasq_tftp_transfers_active", "gauge",
	    "TFTP transfers in progress.");
	mx_sample(m, "pxemasq_tftp_transfers_active", NULL, t->n_conns);
	mx_family(m, "pxemasq_tftp_transfers_total", "counter",
	    "TFTP transfers, by outcome.");
	mx_sample(m, "pxemasq_tftp_transfers_total", "result=\"started\"",
	    t->c[TFTPD_C_XFER_STARTED]);
	mx_sample(m, "pxemasq_tftp_transfers_total", "result=\"completed\"",
	    t->c[TFTPD_C_XFER_SENT]);
	mx_sample(m, "pxemasq_tftp_transfers_total", "result=\"failed\"",
	    t->c[TFTPD_C_XFER_FAILED]);
	mx_sample(m, "pxemasq_tftp_transfers_total", "result=\"aborted\"",
	    t->c[TFTPD_C_XFER_ABORTED]);
	mx_family(m, "pxemasq_tftp_sent_bytes_total", "counter",
	    "TFTP bytes sent (payload of the UDP datagrams).");
	mx_sample(m, "pxemasq_tftp_sent_bytes_total", NULL,
	    t->c[TFTPD_C_TX_BYTES]);
	mx_family(m, "pxemasq_tftp_retransmits_total", "counter",
	    "TFTP retransmission timeouts (the window is sent again).");
	mx_sample(m, "pxemasq_tftp_retransmits_total", NULL,
	    t->c[TFTPD_C_TIMEOUTS]);
	mx_family(m, "pxemasq_tftp_failures_total", "counter",
	    "TFTP requests refused with an error, by reason.");
	mx_sample(m, "pxemasq_tftp_failures_total", "reason=\"not-found\"",
	    t->c[TFTPD_C_ERR_FNF]);
	mx_sample(m, "pxemasq_tftp_failures_total", "reason=\"access\"",
	    t->c[TFTPD_C_ERR_PERM]);
	mx_sample(m, "pxemasq_tftp_failures_total", "reason=\"read\"",
	    t->c[TFTPD_C_ERR_READ]);
	mx_family(m, "pxemasq_tftp_events_total", "counter",
	    "Every TFTP counter (as SIGUSR1 logs them), by name.");
	for (i = 0; i < TFTPD_C_N; i++) {
		for (j = 0; tftpd_counter_id[i][j] != '\0' &&
		    j + 1 < sizeof(id); j++)
			id[j] = (char)(tftpd_counter_id[i][j] == '_' ? '-' :
			    tftpd_counter_id[i][j] | 0x20);
		id[j] = '\0';
		mx_sample(m, "pxemasq_tftp_events_total", mx_label(lbl,
		    sizeof(lbl), "event", id), t->c[i]);
	}
}

void
tftpd_close(struct tftpd *t)
{
	unsigned i;

	if (t == NULL)
		return;
	while (t->conns != NULL)
		tftpd_conn_free(t->conns);
	for (i = 0; i < t->n_lsn; i++)
		if (t->lsn[i].fd >= 0) {
			if (t->lsn[i].io.added)
				ev_io_del(t->ev, &t->lsn[i].io);
			close(t->lsn[i].fd);
		}
	addrwatch_close(&t->aw);
	tftp_files_clear(&t->files);
	free(t->scratch);
	free(t);
}
