/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dhcpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if_arp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "buf.h"
#include "clock.h"
#include "conf.h"
#include "conf_dhcp.h"
#include "conf_int.h"
#include "dhcp_log.h"
#include "dhcp_msg.h"
#include "dhcp_server.h"
#include "ev.h"
#include "frame.h"
#include "hostsfile.h"
#include "iface.h"
#include "lease.h"
#include "log.h"
#include "metrics.h"
#include "netio.h"
#include "paths.h"
#include "pcapdump.h"
#include "rawio.h"
#include "script.h"

#define DHCPD_RX_BUDGET 64	/* frames per socket per wake-up */
#define DHCPD_PENDING_MAX 512	/* replies waiting for one sync */
#define DHCPD_FRAME_MAX (FRAME_HDR_LEN + DHCP_MAX_MSG)
#define DHCPD_PROBE_MAX 64	/* pings in flight */
#define DHCPD_PROBE_WAIT_MS 3000 /* dnsmasq waits 3 s for an echo reply */
#define DHCPD_PROBE_REQ_MAX 1500 /* requests longer than this skip it */

/* Drop counters of the shell (the server counts its own). */
enum dhcpd_drop {
	DHCPD_DROP_RAWIO,	/* rawio: not for us, VLAN, truncated */
	DHCPD_DROP_FRAME,	/* frame: headers, checksum, not UDP */
	DHCPD_DROP_DEST,	/* IP destination not ours or a broadcast */
	DHCPD_DROP_DECODE,	/* dhcp_msg rejected it */
	DHCPD_DROP_PENDING,	/* too many replies waiting for a sync */
	DHCPD_DROP_SYNC,	/* the lease could not be written */
	DHCPD_DROP_SEND,	/* sendto failed */
	DHCPD_DROP_QUEUE,	/* the kernel's receive queue was full */
	DHCPD_DROP_COUNT
};

static const char *const dhcpd_drop_names[DHCPD_DROP_COUNT] = {
	"rawio", "frame", "destination", "decode", "pending-full",
	"lease-write", "send", "queue-full",
};

struct dhcpd;

/* One interface DHCP is served on. */
struct dhcpd_if {
	struct dhcpd *d;
	struct rawio raw;
	struct ev_io io;
	int index;
	struct dhcp_ifaddr addrs[IFACE_MAX_ADDRS];
	struct dhcp_iface dif;
	char name[IF_NAMESIZE];
	uint8_t mac[6];
	uint32_t mtu;
};

/*
 * An ICMP echo in flight before an OFFER, as dnsmasq's (reference 3.7):
 * the request is kept and handled again when the echo is answered (the
 * address is in use: the server picks another) or after 3 s of silence.
 */
struct dhcpd_probe {
	struct dhcpd *d;
	struct ev_timer timer;
	struct dhcp_probe probe;
	int ifindex;
	uint16_t seq;
	struct frame_rx fr;		/* payload points into req */
	size_t len;
	uint8_t req[DHCPD_PROBE_REQ_MAX];
};

/*
 * The log lines of one exchange, held while its reply waits for the lease
 * sync: records of a severity byte and a NUL-terminated line.  They are
 * printed when the reply goes out; when it is withheld (the lease could
 * not be written) the lines from its DHCPACK on are not, so the log never
 * claims an ACK that no client saw.
 */
#define DHCPD_LOGHOLD_MAX 8192

struct dhcpd_pending {
	struct dhcpd_pending *next;
	char *log;			/* held lines, or NULL */
	size_t loglen;
	struct dhcp_tx tx;
};

/*
 * A reply held back by dhcp-reply-delay.  dnsmasq sleeps in its loop
 * (delay_dhcp(), polling only for pings) and so holds every other client
 * too; here the reply waits on a timer and the loop goes on.
 */
#define DHCPD_DELAYED_MAX 256

struct dhcpd_delayed {
	struct dhcpd_delayed *next;
	int64_t due_ms;
	struct dhcp_tx tx;
};

/* How often a server name was looked up since the hosts files were read
 * (dnsmasq's cache rotates a name's addresses on every lookup). */
struct dhcpd_rr {
	char *name;
	unsigned long turn;
};

struct dhcpd {
	struct ev_loop *ev;
	const struct conf *cf;
	struct iface_table ifs;
	struct ev_io ifs_io;
	struct netio udp67, udp4011;
	struct lease_store *store;
	struct lease_table *leases;	/* owned by srv */
	struct dhcp_server *srv;
	struct ev_timer maint;
	int icmp_fd;			/* raw ICMP socket; -1 with no-ping */
	struct ev_io icmp_io;
	uint16_t icmp_id, icmp_seq;
	struct dhcpd_probe *probes[DHCPD_PROBE_MAX];
	struct dhcpd_pending *pending, **pending_tail;
	unsigned npending;
	struct dhcpd_delayed *delayed;	/* by due time */
	unsigned ndelayed;
	struct ev_timer delay_timer;
	struct hostsfile *const *hosts;	/* borrowed from the daemon */
	size_t n_hosts;
	struct dhcpd_rr *rr;		/* lookups per server name */
	size_t n_rr;
	struct pcapdump *dump;		/* dumpfile=, borrowed, or NULL */
	unsigned long drops[DHCPD_DROP_COUNT];
	unsigned long frame_drops[32];
	uint16_t ip_id;
	bool holding;			/* log lines go to loghold */
	size_t loghold_len;
	char loghold[DHCPD_LOGHOLD_MAX];
	struct dhcp_msg msg;		/* per packet, reused */
	struct dhcp_tx tx;		/* per packet, reused */
	uint8_t rxbuf[65536];
	uint8_t txframe[DHCPD_FRAME_MAX];
};

bool
dhcpd_wanted(const struct conf *cf)
{
	return cf->dhcp != NULL && cf->dhcp->ranges != NULL;
}

static void
dhcpd_now(struct clock_now *n)
{
	clock_read(n);
}

/* --- interfaces ----------------------------------------------------------- */

static void dhcpd_raw_cb(struct ev_loop *ev, struct ev_io *io,
    uint32_t revents);

static void
dhcpd_if_fill(struct dhcpd_if *di, const struct iface *ifp)
{
	unsigned i;

	di->index = ifp->index;
	snprintf(di->name, sizeof(di->name), "%s", ifp->name);
	memcpy(di->mac, ifp->mac, sizeof(di->mac));
	di->mtu = ifp->mtu;
	for (i = 0; i < ifp->naddr && i < IFACE_MAX_ADDRS; i++) {
		uint32_t m = ifp->addr[i].prefixlen == 0 ? 0 :
		    0xffffffffu << (32 - ifp->addr[i].prefixlen);

		di->addrs[i].addr = ifp->addr[i].addr;
		di->addrs[i].netmask.s_addr = htonl(m);
		di->addrs[i].broadcast = ifp->addr[i].bcast;
		if (di->addrs[i].broadcast.s_addr == INADDR_ANY)
			di->addrs[i].broadcast.s_addr =
			    ifp->addr[i].addr.s_addr | htonl(~m);
	}
	di->dif.index = (unsigned)ifp->index;
	di->dif.name = di->name;
	di->dif.addrs = di->addrs;
	di->dif.naddrs = i;
	di->dif.mtu = ifp->mtu;
	memcpy(di->dif.hwaddr, ifp->mac, 6);
	di->dif.hwlen = 6;
	di->dif.loopback = (ifp->flags & IFF_LOOPBACK) != 0;
}

static void
dhcpd_if_close(struct dhcpd *d, struct iface *ifp)
{
	struct dhcpd_if *di = ifp->user;

	if (di == NULL)
		return;
	d->drops[DHCPD_DROP_QUEUE] += rawio_queue_drops(&di->raw);
	ev_io_del(d->ev, &di->io);
	rawio_close(&di->raw);
	free(di);
	ifp->user = NULL;
}

/* Opens or refreshes the raw socket of ifp when DHCP is served there. */
static void
dhcpd_if_update(struct dhcpd *d, struct iface *ifp)
{
	struct dhcpd_if *di = ifp->user;
	enum iface_sel sel = iface_dhcp_select(d->cf, ifp);
	int rc;

	if (sel == IFACE_SEL_NO || ifp->type != ARPHRD_ETHER ||
	    !(ifp->flags & IFF_UP)) {
		dhcpd_if_close(d, ifp);
		return;
	}
	if (di == NULL) {
		if ((di = calloc(1, sizeof(*di))) == NULL)
			return;
		di->d = d;
		if ((rc = rawio_open(&di->raw, ifp->index)) < 0) {
			log_err(LOG_SVC_DHCP, "cannot open DHCP socket on %s: "
			    "%s", ifp->name, strerror(-rc));
			free(di);
			return;
		}
		di->io.fd = di->raw.fd;
		di->io.events = EPOLLIN;
		di->io.cb = dhcpd_raw_cb;
		di->io.data = di;
		if (ev_io_add(d->ev, &di->io) < 0) {
			rawio_close(&di->raw);
			free(di);
			return;
		}
		ifp->user = di;
	}
	dhcpd_if_fill(di, ifp);
}

static void
dhcpd_iface_cb(void *arg, struct iface *ifp, enum iface_event ev)
{
	struct dhcpd *d = arg;

	if (ev == IFACE_EV_DEL)
		dhcpd_if_close(d, ifp);
	else
		dhcpd_if_update(d, ifp);
}

static void
dhcpd_ifs_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct dhcpd *d = io->data;

	(void)ev;
	(void)revents;
	iface_table_read(&d->ifs);
}

/* --- sending ---------------------------------------------------------------- */

static struct dhcpd_if *
dhcpd_if_by_index(struct dhcpd *d, unsigned index)
{
	struct iface *ifp = iface_find(&d->ifs, (int)index);

	return ifp != NULL ? ifp->user : NULL;
}

static void
dhcpd_send(struct dhcpd *d, const struct dhcp_tx *tx)
{
	char abuf[INET_ADDRSTRLEN];
	struct dhcpd_if *di;
	struct frame_tx ft;
	ssize_t flen;
	int rc;

	if (tx->dest == DHCP_DEST_UDP) {
		struct netio *n = tx->sport == 4011 ? &d->udp4011 : &d->udp67;

		if (n->fd < 0)
			n = d->udp67.fd >= 0 ? &d->udp67 : &d->udp4011;
		pcapdump_udp4(d->dump, PCAPDUMP_DHCP, tx->src, tx->sport,
		    tx->dst, tx->dport, tx->buf, tx->len);
		rc = netio_send(n, tx->dst, tx->dport, 0, tx->src, tx->buf,
		    tx->len);
		goto out;
	}
	if ((di = dhcpd_if_by_index(d, tx->ifindex)) == NULL) {
		rc = -ENODEV;
		goto out;
	}
	memset(&ft, 0, sizeof(ft));
	memcpy(ft.src_mac, di->mac, 6);
	ft.src = tx->src;
	ft.sport = tx->sport ? tx->sport : 67;
	ft.dport = tx->dport ? tx->dport : 68;
	ft.ip_id = d->ip_id++;
	if (tx->dest == DHCP_DEST_L2_UNICAST && tx->dst_hlen == 6) {
		memcpy(ft.dst_mac, tx->dst_hw, 6);
		ft.dst = tx->dst;
	} else {
		memset(ft.dst_mac, 0xff, 6);
		ft.dst.s_addr = INADDR_BROADCAST;
	}
	memcpy(d->txframe + FRAME_HDR_LEN, tx->buf, tx->len);
	flen = frame_encode(d->txframe, sizeof(d->txframe), &ft, tx->len);
	if (flen < 0) {
		rc = (int)flen;
		goto out;
	}
	pcapdump_udp4(d->dump, PCAPDUMP_DHCP, ft.src, ft.sport, ft.dst,
	    ft.dport, tx->buf, tx->len);
	rc = rawio_send(&di->raw, d->txframe, (size_t)flen);
out:
	if (rc < 0) {
		d->drops[DHCPD_DROP_SEND]++;
		log_err(LOG_SVC_DHCP, "Error sending DHCP packet to %s: %s",
		    inet_ntop(AF_INET, &tx->dst, abuf, sizeof(abuf)),
		    strerror(-rc));
	}
}

/* Copies a reply: its used bytes and the fields after the buffer. */
static void
dhcpd_tx_copy(struct dhcp_tx *dst, const struct dhcp_tx *src)
{
	memcpy(dst, src, offsetof(struct dhcp_tx, buf) + src->len);
	memcpy((char *)dst + offsetof(struct dhcp_tx, buf) + DHCP_MAX_MSG,
	    (const char *)src + offsetof(struct dhcp_tx, buf) + DHCP_MAX_MSG,
	    sizeof(*src) - offsetof(struct dhcp_tx, buf) - DHCP_MAX_MSG);
}

/* Prints held log records; with upto_ack, stops at the DHCPACK line (after
 * the transaction id that log-dhcp puts first). */
static void
dhcpd_log_flush(const char *buf, size_t len, bool upto_ack)
{
	size_t off = 0;

	while (off < len) {
		int sev = (unsigned char)buf[off];
		const char *line = buf + off + 1;
		const char *m = line + strspn(line, "0123456789 ");

		if (upto_ack && strncmp(m, "DHCPACK(", 8) == 0)
			return;
		log_msg(LOG_SVC_DHCP, sev, "%s", line);
		off += strlen(line) + 2;
	}
}

static void
dhcpd_hold_end(struct dhcpd *d)
{
	d->holding = false;
	dhcpd_log_flush(d->loghold, d->loghold_len, false);
	d->loghold_len = 0;
}

/* A reply whose lease must reach the disk first waits for turn end, with
 * the log lines of its exchange. */
static void
dhcpd_queue(struct dhcpd *d, const struct dhcp_tx *tx)
{
	struct dhcpd_pending *p;

	if (d->npending >= DHCPD_PENDING_MAX ||
	    (p = malloc(sizeof(*p))) == NULL) {
		d->drops[DHCPD_DROP_PENDING]++;
		d->holding = false;
		dhcpd_log_flush(d->loghold, d->loghold_len, true);
		d->loghold_len = 0;
		return;
	}
	p->log = NULL;
	p->loglen = 0;
	if (d->loghold_len > 0 &&
	    (p->log = malloc(d->loghold_len)) != NULL) {
		memcpy(p->log, d->loghold, d->loghold_len);
		p->loglen = d->loghold_len;
		d->loghold_len = 0;
	}
	dhcpd_hold_end(d);	/* what could not be kept: printed now */
	p->next = NULL;
	dhcpd_tx_copy(&p->tx, tx);
	*d->pending_tail = p;
	d->pending_tail = &p->next;
	d->npending++;
}

/*
 * True when the lease a queued reply binds (its yiaddr, for its chaddr) is
 * already on stable storage: a renewal (or a repeated ACK) of it may go
 * out although this turn's sync failed (lease.h: the disk holds the
 * binding, with an older expiry).  New leases are never durable before a
 * sync succeeded.  Reads the reply we encoded (BOOTP header, RFC 2131
 * section 2: htype at 1, hlen at 2, yiaddr at 16, chaddr at 28).
 */
static bool
dhcpd_reply_durable(struct dhcpd *d, const struct dhcp_tx *tx)
{
	uint8_t htype, hlen, chaddr[DHCP_CHADDR_LEN];
	struct in_addr yiaddr;
	const struct lease *l;
	struct rd r;

	rd_init(&r, tx->buf, tx->len);
	rd_skip(&r, 1);
	htype = rd_u8(&r);
	hlen = rd_u8(&r);
	rd_skip(&r, 13);
	rd_bytes(&r, &yiaddr, 4);
	rd_skip(&r, 8);
	rd_bytes(&r, chaddr, sizeof(chaddr));
	if (!rd_ok(&r) || d->store == NULL ||
	    (l = lease_find_by_addr(d->leases, yiaddr)) == NULL)
		return false;
	if (hlen > sizeof(chaddr))
		hlen = sizeof(chaddr);
	if (l->hlen != hlen || (hlen != 0 && (l->htype != htype ||
	    memcmp(l->hwaddr, chaddr, hlen) != 0)))
		return false;
	return lease_store_is_durable(d->store, l);
}

void
dhcpd_turn_end(struct dhcpd *d)
{
	struct dhcpd_pending *p, *n;
	struct clock_now now;
	int rc = 0;

	dhcpd_now(&now);
	if (d->pending != NULL && d->store != NULL)
		rc = lease_store_sync(d->store, d->leases, &now);
	for (p = d->pending; p != NULL; p = n) {
		n = p->next;
		if (rc == 0 || dhcpd_reply_durable(d, &p->tx)) {
			dhcpd_log_flush(p->log, p->loglen, false);
			dhcpd_send(d, &p->tx);
		} else {
			dhcpd_log_flush(p->log, p->loglen, true);
			d->drops[DHCPD_DROP_SYNC]++;
		}
		free(p->log);
		free(p);
	}
	d->pending = NULL;
	d->pending_tail = &d->pending;
	d->npending = 0;
	if (d->store != NULL) {
		int64_t due;

		lease_store_maintain(d->store, d->leases, &now, false);
		due = lease_store_next_due(d->store);
		if (due != CLOCK_INFINITE_MS &&
		    (!ev_timer_armed(&d->maint) || d->maint.due_ms > due))
			ev_timer_arm(d->ev, &d->maint, due);
	}
}

static void
dhcpd_maint_cb(struct ev_loop *ev, struct ev_timer *t)
{
	struct dhcpd *d = t->data;

	(void)ev;
	dhcpd_turn_end(d);
}

/* --- ICMP probes ------------------------------------------------------------ */

static void dhcpd_handle_decoded(struct dhcpd *d, struct dhcpd_if *di,
    const struct frame_rx *fr);

static int
dhcpd_icmp_open(struct dhcpd *d)
{
	d->icmp_fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_ICMP);
	if (d->icmp_fd < 0)
		return -errno;
	d->icmp_id = (uint16_t)(getpid() ^ time(NULL));
	return 0;
}

static void
dhcpd_probe_free(struct dhcpd *d, unsigned slot)
{
	struct dhcpd_probe *p = d->probes[slot];

	if (p == NULL)
		return;
	ev_timer_cancel(d->ev, &p->timer);
	free(p);
	d->probes[slot] = NULL;
}

/* The echo was answered (in_use) or timed out: tell the server and handle
 * the kept request again. */
static void
dhcpd_probe_finish(struct dhcpd *d, unsigned slot, bool in_use)
{
	struct dhcpd_probe *p = d->probes[slot];
	struct clock_now now;
	struct dhcpd_if *di;
	struct iface *ifp;

	dhcpd_now(&now);
	dhcp_server_probe_done(d->srv, &p->probe, in_use, &now);
	ifp = iface_find(&d->ifs, p->ifindex);
	di = ifp != NULL ? ifp->user : NULL;
	d->probes[slot] = NULL;
	ev_timer_cancel(d->ev, &p->timer);
	if (di != NULL) {
		p->fr.payload = p->req;
		dhcpd_handle_decoded(d, di, &p->fr);
	}
	free(p);
}

static void
dhcpd_probe_timeout(struct ev_loop *ev, struct ev_timer *t)
{
	struct dhcpd_probe *p = t->data;
	struct dhcpd *d = p->d;
	unsigned i;

	(void)ev;
	for (i = 0; i < DHCPD_PROBE_MAX; i++)
		if (d->probes[i] == p) {
			dhcpd_probe_finish(d, i, false);
			return;
		}
}

/* Starts a ping of tx->probe.addr; false when none can be sent (then the
 * address counts as free, as when dnsmasq stops pinging under load). */
static bool
dhcpd_probe_start(struct dhcpd *d, struct dhcpd_if *di,
    const struct frame_rx *fr, const struct dhcp_tx *tx)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct dhcpd_probe *p;
	uint8_t icmp[8 + 8];
	unsigned slot;
	uint16_t cs;

	if (d->icmp_fd < 0 || fr->payload_len > DHCPD_PROBE_REQ_MAX)
		return false;
	for (slot = 0; slot < DHCPD_PROBE_MAX; slot++)
		if (d->probes[slot] == NULL)
			break;
	if (slot == DHCPD_PROBE_MAX || (p = calloc(1, sizeof(*p))) == NULL)
		return false;
	p->d = d;
	p->probe = tx->probe;
	p->ifindex = di->index;
	p->seq = (uint16_t)(d->icmp_seq++ * DHCPD_PROBE_MAX + slot);
	p->fr = *fr;
	p->len = fr->payload_len;
	memcpy(p->req, fr->payload, fr->payload_len);
	memset(icmp, 0, sizeof(icmp));
	icmp[0] = 8;			/* echo request (RFC 792) */
	icmp[4] = (uint8_t)(d->icmp_id >> 8);
	icmp[5] = (uint8_t)d->icmp_id;
	icmp[6] = (uint8_t)(p->seq >> 8);
	icmp[7] = (uint8_t)p->seq;
	memcpy(icmp + 8, "pxemasq", 7);
	cs = frame_csum_fold(frame_csum_add(0, icmp, sizeof(icmp)));
	icmp[2] = (uint8_t)(cs >> 8);
	icmp[3] = (uint8_t)cs;
	to.sin_addr = tx->probe.addr;
	if (sendto(d->icmp_fd, icmp, sizeof(icmp), 0, (struct sockaddr *)&to,
	    sizeof(to)) < 0) {
		free(p);
		return false;
	}
	ev_timer_init(&p->timer, dhcpd_probe_timeout, p);
	ev_timer_arm(d->ev, &p->timer, ev_now_ms(d->ev) + DHCPD_PROBE_WAIT_MS);
	d->probes[slot] = p;
	return true;
}

static void
dhcpd_icmp_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct dhcpd *d = io->data;
	uint8_t buf[1500];
	struct sockaddr_in from;
	socklen_t fl;
	ssize_t n;
	unsigned budget, slot;

	(void)ev;
	(void)revents;
	for (budget = 0; budget < DHCPD_RX_BUDGET; budget++) {
		struct rd r;
		unsigned ihl;
		uint16_t id, seq;

		fl = sizeof(from);
		n = recvfrom(d->icmp_fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fl);
		if (n < 0)
			break;
		rd_init(&r, buf, (size_t)n);
		ihl = (rd_u8(&r) & 0x0fu) * 4u;
		rd_init(&r, buf, (size_t)n);
		rd_skip(&r, ihl);
		if (rd_u8(&r) != 0)	/* echo reply */
			continue;
		rd_skip(&r, 3);
		id = rd_be16(&r);
		seq = rd_be16(&r);
		if (!rd_ok(&r) || id != d->icmp_id)
			continue;
		slot = seq % DHCPD_PROBE_MAX;
		if (d->probes[slot] != NULL && d->probes[slot]->seq == seq &&
		    d->probes[slot]->probe.addr.s_addr == from.sin_addr.s_addr)
			dhcpd_probe_finish(d, slot, true);
	}
}

/* --- receiving ------------------------------------------------------------ */

static void
dhcpd_handle(struct dhcpd *d, struct dhcpd_if *di, const struct frame_rx *fr)
{
	if (!iface_dst_ok(&d->ifs, iface_find(&d->ifs, di->index), fr->dst)) {
		d->drops[DHCPD_DROP_DEST]++;
		return;
	}
	dhcpd_handle_decoded(d, di, fr);
}

/* dhcp-reply-delay: the reply leaves delay_s seconds after its request.
 * dnsmasq's delay_dhcp() waits until time() has passed arrival + delay_s
 * or until delay_s * 4 polls of 250 ms ran out, whichever is first: in
 * practice delay_s seconds (measured: 2.1 to 2.2 s for 2).  At most
 * DHCPD_DELAYED_MAX wait; more are dropped. */
static void
dhcpd_delay(struct dhcpd *d, const struct dhcp_tx *tx)
{
	struct dhcpd_delayed *x, **pp;

	if (d->ndelayed >= DHCPD_DELAYED_MAX ||
	    (x = malloc(sizeof(*x))) == NULL) {
		d->drops[DHCPD_DROP_PENDING]++;
		return;
	}
	dhcpd_tx_copy(&x->tx, tx);
	x->due_ms = ev_now_ms(d->ev) + (int64_t)tx->delay_s * 1000;
	for (pp = &d->delayed; *pp != NULL && (*pp)->due_ms <= x->due_ms;
	    pp = &(*pp)->next)
		;
	x->next = *pp;
	*pp = x;
	d->ndelayed++;
	ev_timer_arm(d->ev, &d->delay_timer, d->delayed->due_ms);
}

static void
dhcpd_delay_cb(struct ev_loop *ev, struct ev_timer *t)
{
	struct dhcpd *d = t->data;
	struct dhcpd_delayed *x;

	while ((x = d->delayed) != NULL && x->due_ms <= ev_now_ms(ev)) {
		d->delayed = x->next;
		d->ndelayed--;
		if (x->tx.needs_sync)
			dhcpd_queue(d, &x->tx);	/* sent at this turn's end */
		else
			dhcpd_send(d, &x->tx);
		free(x);
	}
	if (d->delayed != NULL)
		ev_timer_arm(ev, &d->delay_timer, d->delayed->due_ms);
}

static void
dhcpd_handle_decoded(struct dhcpd *d, struct dhcpd_if *di,
    const struct frame_rx *fr)
{
	struct clock_now now;
	struct dhcp_rx rx;
	enum dhcp_verdict v;
	enum dhcp_bad bad;
	unsigned tries = 0;

	bad = dhcp_msg_decode(&d->msg, fr->payload, fr->payload_len);
	if (bad != DHCP_OK) {
		d->drops[DHCPD_DROP_DECODE]++;
		return;
	}
	memset(&rx, 0, sizeof(rx));
	rx.msg = &d->msg;
	rx.iface = &di->dif;
	rx.path = fr->dport == 4011 ? DHCP_PATH_UDP4011 : DHCP_PATH_RAW;
	rx.src = fr->src;
	rx.sport = fr->sport;
	rx.unicast = fr->dst.s_addr != INADDR_BROADCAST &&
	    iface_dst_ok(&d->ifs, NULL, fr->dst);
	dhcpd_now(&now);
	d->holding = true;
	d->loghold_len = 0;
	for (;;) {
		v = dhcp_server_handle(d->srv, &rx, &d->tx, &now);
		if (v != DHCP_V_PROBE)
			break;
		if (++tries <= 8 && dhcpd_probe_start(d, di, fr, &d->tx)) {
			dhcpd_hold_end(d);
			return;	/* handled again when the ping ends */
		}
		dhcp_server_probe_done(d->srv, &d->tx.probe, false, &now);
	}
	if (dhcp_verdict_sends(v) && d->tx.delay_s > 0) {
		dhcpd_hold_end(d);
		dhcpd_delay(d, &d->tx);
		return;
	}
	if (dhcp_verdict_sends(v) && d->tx.needs_sync) {
		dhcpd_queue(d, &d->tx);
		return;
	}
	dhcpd_hold_end(d);
	if (dhcp_verdict_sends(v))
		dhcpd_send(d, &d->tx);
}

static void
dhcpd_raw_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct dhcpd_if *di = io->data;
	struct dhcpd *d = di->d;
	unsigned budget;

	(void)ev;
	(void)revents;
	for (budget = 0; budget < DHCPD_RX_BUDGET; budget++) {
		struct rawio_meta meta;
		struct frame_rx fr;
		enum frame_drop why;
		ssize_t n;

		n = rawio_recv(&di->raw, d->rxbuf, sizeof(d->rxbuf), &meta);
		if (n < 0)
			break;
		if (meta.why != RAWIO_OK) {
			d->drops[DHCPD_DROP_RAWIO]++;
			continue;
		}
		why = frame_decode(d->rxbuf, (size_t)n,
		    meta.csum_trusted ? FRAME_RX_CSUM_TRUSTED : 0, &fr);
		if (why != FRAME_OK) {
			d->drops[DHCPD_DROP_FRAME]++;
			if ((unsigned)why < 32)
				d->frame_drops[why]++;
			continue;
		}
		pcapdump_udp4(d->dump, PCAPDUMP_DHCP, fr.src, fr.sport, fr.dst,
		    fr.dport, fr.payload, fr.payload_len);
		dhcpd_handle(d, di, &fr);
	}
}

/* --- log hooks ------------------------------------------------------------ */

static void
dhcpd_log_line(void *ctx, int severity, const char *line)
{
	struct dhcpd *d = ctx;
	size_t n = strlen(line) + 2;

	if (d->holding && severity >= 0 && severity <= 255) {
		if (d->loghold_len + n > sizeof(d->loghold))
			dhcpd_hold_end(d);	/* too much: in order, now */
		else {
			d->loghold[d->loghold_len] = (char)severity;
			memcpy(d->loghold + d->loghold_len + 1, line, n - 1);
			d->loghold_len += n;
			return;
		}
	}
	log_msg(LOG_SVC_DHCP, severity, "%s", line);
}

static void
dhcpd_rr_clear(struct dhcpd *d)
{
	size_t i;

	for (i = 0; i < d->n_rr; i++)
		free(d->rr[i].name);
	free(d->rr);
	d->rr = NULL;
	d->n_rr = 0;
}

void
dhcpd_set_hosts(struct dhcpd *d, struct hostsfile *const *h, size_t n)
{
	d->hosts = h;
	d->n_hosts = n;
	dhcpd_rr_clear(d);	/* a re-read cache starts in file order */
}

/* A name's IPv4 addresses in one class of dnsmasq's hash chain. */
struct hosts_rr_list {
	struct in_addr *v;
	size_t n;
};

/* cache_find_by_name() moves the first match behind the others. */
static void
hosts_rr_rotate(struct hosts_rr_list *g)
{
	struct in_addr first;

	if (g->n < 2)
		return;
	first = g->v[0];
	memmove(g->v, g->v + 1, (g->n - 1) * sizeof(*g->v));
	g->v[g->n - 1] = first;
}

static bool
hosts_rr_has(const struct hosts_rr_list *g, struct in_addr a)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->v[i].s_addr == a.s_addr)
			return true;
	return false;
}

/* No IPv4 entry of any name read before entry ei of file fi has its
 * address: the cache marks only that first one F_REVERSE. */
static bool
hosts_first_of_addr(struct hostsfile *const *h, size_t fi, size_t ei)
{
	const struct hostsfile_entry *e = &h[fi]->entries[ei];
	size_t f, j;

	for (f = 0; f <= fi; f++)
		for (j = 0; j < (f == fi ? ei : h[f]->n); j++)
			if (h[f]->entries[j].family == AF_INET &&
			    h[f]->entries[j].addr.v4.s_addr ==
			    e->addr.v4.s_addr)
				return false;
	return true;
}

/*
 * Replays how dnsmasq's cache reads the hosts files (cache.c
 * add_hosts_entry(), cache_hash()): every IPv4 line of the name first
 * looks the name up, which rotates the class that leads the chain (the
 * F_REVERSE entries when there are any); a repeated address is then
 * dropped; a new one joins the end of its class.  rev and oth hold room
 * for every entry.
 */
static void
hosts_rr_replay(struct hostsfile *const *h, size_t n, const char *name,
    struct hosts_rr_list *rev, struct hosts_rr_list *oth)
{
	size_t f, j;

	for (f = 0; f < n; f++)
		for (j = 0; j < h[f]->n; j++) {
			const struct hostsfile_entry *e = &h[f]->entries[j];
			struct hosts_rr_list *g;

			if (e->family != AF_INET ||
			    strcasecmp(e->name, name) != 0)
				continue;
			hosts_rr_rotate(rev->n != 0 ? rev : oth);
			if (hosts_rr_has(rev, e->addr.v4) ||
			    hosts_rr_has(oth, e->addr.v4))
				continue;
			g = hosts_first_of_addr(h, f, j) ? rev : oth;
			g->v[g->n++] = e->addr.v4;
		}
}

bool
dhcpd_hosts_pick(struct hostsfile *const *h, size_t n, const char *name,
    unsigned long turn, struct in_addr *out)
{
	struct hosts_rr_list rev = { NULL, 0 }, oth = { NULL, 0 }, *g;
	size_t f, total = 0;
	bool found = false;

	for (f = 0; f < n; f++)
		total += h[f]->n;
	if (total == 0)
		return false;
	rev.v = calloc(total, sizeof(*rev.v));
	oth.v = calloc(total, sizeof(*oth.v));
	if (rev.v != NULL && oth.v != NULL) {
		hosts_rr_replay(h, n, name, &rev, &oth);
		/* the F_REVERSE class leads the chain and is the one that
		 * rotates on each lookup; the other only without it */
		g = rev.n != 0 ? &rev : &oth;
		if (g->n != 0) {
			*out = g->v[turn % g->n];
			found = true;
		}
	}
	free(rev.v);
	free(oth.v);
	return found;
}

/* dnsmasq's a_record_from_hosts(): a name's addresses in turn.
 * Config-time names only (pxe-service and dhcp-boot servers), so a scan
 * is fine. */
static bool
dhcpd_host_addr(void *ctx, const char *name, struct in_addr *out)
{
	struct dhcpd *d = ctx;
	struct dhcpd_rr *rr = NULL, *nv;
	size_t i;

	for (i = 0; i < d->n_rr && rr == NULL; i++)
		if (strcasecmp(d->rr[i].name, name) == 0)
			rr = &d->rr[i];
	if (rr == NULL &&
	    (nv = realloc(d->rr, (d->n_rr + 1) * sizeof(*nv))) != NULL) {
		d->rr = nv;
		if ((nv[d->n_rr].name = strdup(name)) != NULL) {
			nv[d->n_rr].turn = 0;
			rr = &nv[d->n_rr++];
		}
	}
	if (!dhcpd_hosts_pick(d->hosts, d->n_hosts, name,
	    rr != NULL ? rr->turn : 0, out))
		return false;
	if (rr != NULL)
		rr->turn++;
	return true;
}

/* --- life cycle ------------------------------------------------------------ */

static uint32_t
dhcpd_max_lease(const struct conf *cf)
{
	const struct conf_dhcp_range *r;
	const struct conf_dhcp_host *h;
	uint32_t max = 3600;

	for (r = cf->dhcp->ranges; r != NULL; r = r->next)
		if (r->lease > max)
			max = r->lease;
	for (h = cf->dhcp->hosts; h != NULL; h = h->next)
		if ((h->flags & CONF_DHCP_HOST_LEASE) && h->lease > max)
			max = h->lease;
	return max;
}

struct dhcpd *
dhcpd_open(struct ev_loop *ev, const struct conf *cf, char *msg,
    size_t msgsz, int *exit_code)
{
	struct dhcpd *d = calloc(1, sizeof(*d));
	struct dhcp_server_hooks hooks = {
		.log = dhcpd_log_line,
		.host_addr = dhcpd_host_addr,
		.ctx = d,
	};
	const char *path;
	struct clock_now now;
	enum netio_step step;
	int rc, err = 0;

	if (d == NULL) {
		snprintf(msg, msgsz, "could not get memory");
		*exit_code = 4;
		return NULL;
	}
	d->ev = ev;
	d->cf = cf;
	d->udp67.fd = d->udp4011.fd = -1;
	d->icmp_fd = -1;
	d->pending_tail = &d->pending;
	d->ip_id = (uint16_t)time(NULL);
	ev_timer_init(&d->maint, dhcpd_maint_cb, d);
	ev_timer_init(&d->delay_timer, dhcpd_delay_cb, d);
	iface_table_init(&d->ifs, dhcpd_iface_cb, d);
	*exit_code = 2;

	if (netio_wants_dhcp_port(cf) &&
	    (rc = netio_open(&d->udp67, 67, 0, &step)) < 0)
		goto sock_err;
	if (netio_wants_pxe_port(cf) &&
	    (rc = netio_open(&d->udp4011, 4011, 0, &step)) < 0)
		goto sock_err;

	path = cf->dhcp->leasefile ? cf->dhcp->leasefile : PXEMASQ_LEASEFILE;
	d->leases = lease_table_new();
	if (d->leases == NULL) {
		snprintf(msg, msgsz, "could not get memory");
		*exit_code = 4;
		goto fail;
	}
	lease_table_set_max(d->leases, (unsigned)cf->dhcp->lease_max);
	d->store = lease_store_open(path, conf_flag(cf, CONF_KW_LEASEFILE_RO),
	    &err);
	if (d->store == NULL) {
		snprintf(msg, msgsz, "cannot open or create lease file %s: %s",
		    path, strerror(-err));
		*exit_code = 3;
		goto fail;
	}
	/* with a dhcp-script, what expired meanwhile is announced "del" */
	lease_store_keep_expired(d->store, cf->dhcp->script != NULL);
	dhcpd_now(&now);
	rc = lease_store_load(d->store, d->leases, &now, dhcpd_max_lease(cf));
	if (rc == -E2BIG) {
		/* dnsmasq's lease_init(): more leases than dhcp-lease-max is
		 * fatal (EC_MISC).  Going on with the first ones would drop the
		 * others from the file at its next rewrite. */
		snprintf(msg, msgsz, "too many stored leases");
		*exit_code = 5;
		goto fail;
	}
	if (rc < 0) {
		snprintf(msg, msgsz, "failed to read lease file %s: %s", path,
		    strerror(-rc));
		*exit_code = 3;
		goto fail;
	}
	/* leasefile-ro: the dhcp-script's "init" output is the database */
	if (conf_flag(cf, CONF_KW_LEASEFILE_RO) && cf->dhcp->script != NULL &&
	    script_init_leases(cf->dhcp->script, d->leases, &now,
	    dhcpd_max_lease(cf), msg, msgsz, exit_code) < 0)
		goto fail;
	d->srv = dhcp_server_new(cf, d->leases, d->store, &hooks,
	    ((uint64_t)now.wall << 20) ^ (uint64_t)now.mono_ms);
	if (d->srv == NULL) {
		snprintf(msg, msgsz, "could not get memory");
		*exit_code = 4;
		goto fail;
	}
	d->icmp_fd = -1;
	if (!conf_flag(cf, CONF_KW_NO_PING) && dhcpd_icmp_open(d) == 0) {
		d->icmp_io.fd = d->icmp_fd;
		d->icmp_io.events = EPOLLIN;
		d->icmp_io.cb = dhcpd_icmp_cb;
		d->icmp_io.data = d;
		ev_io_add(ev, &d->icmp_io);
	}
	/* interfaces last: their callbacks open the raw sockets */
	if ((rc = iface_table_open(&d->ifs, dhcpd_iface_cb, d)) < 0) {
		snprintf(msg, msgsz, "failed to create listening socket: %s",
		    strerror(-rc));
		goto fail;
	}
	d->ifs_io.fd = d->ifs.fd;
	d->ifs_io.events = EPOLLIN;
	d->ifs_io.cb = dhcpd_ifs_cb;
	d->ifs_io.data = d;
	ev_io_add(ev, &d->ifs_io);
	return d;

sock_err:
	snprintf(msg, msgsz, step == NETIO_STEP_SOCKET ?
	    "cannot create DHCP socket: %s" : step == NETIO_STEP_OPTIONS ?
	    "failed to set options on DHCP socket: %s" :
	    "failed to bind DHCP server socket: %s", strerror(-rc));
fail:
	dhcpd_close(d);
	return NULL;
}

void
dhcpd_set_script(struct dhcpd *d, struct script *s)
{
	struct clock_now now;

	dhcpd_now(&now);
	script_attach(s, d->srv, d->leases, &d->ifs, &now);
}

void
dhcpd_log_started(const struct dhcpd *d)
{
	const struct conf_dhcp_range *r, *v[256] = { NULL };
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], t[32];
	unsigned n = 0;

	for (r = d->cf->dhcp->ranges; r != NULL && n < 256; r = r->next)
		v[n++] = r;
	/* dnsmasq keeps ranges newest first and logs in that order */
	while (n-- > 0) {
		r = v[n];
		inet_ntop(AF_INET, &r->start, a, sizeof(a));
		inet_ntop(AF_INET, &r->end, b, sizeof(b));
		dhcp_log_time(t, r->lease);
		if (r->flags & CONF_DHCP_RANGE_PROXY)
			log_info(LOG_SVC_DHCP, "DHCP, proxy on subnet %s", a);
		else if (r->flags & CONF_DHCP_RANGE_STATIC)
			log_info(LOG_SVC_DHCP, "DHCP, static leases only on %s, "
			    "lease time %s", a, t);
		else
			log_info(LOG_SVC_DHCP, "DHCP, IP range %s -- %s, lease "
			    "time %s", a, b, t);
	}
}

void
dhcpd_set_conf(struct dhcpd *d, const struct conf *cf)
{
	struct iface *ifp;
	unsigned i;

	d->cf = cf;
	dhcp_server_set_conf(d->srv, cf);
	for (i = 0; i < d->ifs.n; i++) {
		ifp = d->ifs.v[i];
		dhcpd_if_update(d, ifp);
	}
}

void
dhcpd_set_dump(struct dhcpd *d, struct pcapdump *p)
{
	d->dump = p;
}

void
dhcpd_log_stats(struct dhcpd *d)
{
	const struct dhcp_server_stats *st = dhcp_server_stats(d->srv);
	unsigned i;

	/* floods (issue 9): what the kernel dropped before we could read */
	for (i = 0; i < d->ifs.n; i++) {
		struct dhcpd_if *di = d->ifs.v[i]->user;

		if (di != NULL)
			d->drops[DHCPD_DROP_QUEUE] +=
			    rawio_queue_drops(&di->raw);
	}

	log_info(LOG_SVC_DHCP, "DHCP: %u leases, %lu offers, %lu acks, "
	    "%lu naks", lease_count(d->leases), st->offer, st->ack, st->nak);
	log_info(LOG_SVC_DHCP, "DHCP: received %lu DISCOVER, %lu REQUEST, "
	    "%lu DECLINE, %lu RELEASE, %lu INFORM, %lu BOOTP; %lu proxy "
	    "replies, %lu BOOTP replies, %lu ping checks",
	    st->rx[DHCP_DISCOVER], st->rx[DHCP_REQUEST], st->rx[DHCP_DECLINE],
	    st->rx[DHCP_RELEASE], st->rx[DHCP_INFORM], st->rx[0], st->proxy,
	    st->bootp, st->probes);
	for (i = 0; i < DHCPD_DROP_COUNT; i++)
		if (d->drops[i] != 0)
			log_info(LOG_SVC_DHCP, "DHCP: dropped (%s): %lu",
			    dhcpd_drop_names[i], d->drops[i]);
	for (i = 0; i < DHCP_DROP_COUNT; i++)
		if (st->drops[i] != 0)
			log_info(LOG_SVC_DHCP, "DHCP: dropped (%s): %lu",
			    dhcp_drop_name(i), st->drops[i]);
}

/* Leases in use per dhcp-range (proxy ranges have none); leases in no
 * range (dhcp-host addresses outside them) under range="other". */
static void
dhcpd_metrics_leases(const struct dhcpd *d, struct mx *m)
{
	const struct conf_dhcp_range *r;
	struct lease *l;
	unsigned long other = 0;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], lab[80], lbl[100];

	mx_family(m, "pxemasq_dhcp_leases", "gauge",
	    "DHCP leases in use, by dhcp-range.");
	for (l = lease_first(d->leases); l != NULL; l = lease_next(l)) {
		uint32_t x = ntohl(l->addr.s_addr);
		bool in = false;

		for (r = d->cf->dhcp->ranges; r != NULL && !in; r = r->next)
			in = !(r->flags & CONF_DHCP_RANGE_PROXY) &&
			    x >= ntohl(r->start.s_addr) &&
			    x <= ntohl(r->end.s_addr);
		other += !in;
	}
	for (r = d->cf->dhcp->ranges; r != NULL; r = r->next) {
		unsigned long n = 0;

		if (r->flags & CONF_DHCP_RANGE_PROXY)
			continue;
		for (l = lease_first(d->leases); l != NULL; l = lease_next(l))
			n += ntohl(l->addr.s_addr) >= ntohl(r->start.s_addr) &&
			    ntohl(l->addr.s_addr) <= ntohl(r->end.s_addr);
		inet_ntop(AF_INET, &r->start, a, sizeof(a));
		inet_ntop(AF_INET, &r->end, b, sizeof(b));
		snprintf(lab, sizeof(lab), "%s-%s", a, b);
		mx_sample(m, "pxemasq_dhcp_leases", mx_label(lbl, sizeof(lbl),
		    "range", lab), n);
	}
	mx_sample(m, "pxemasq_dhcp_leases", "range=\"other\"", other);
}

static void
dhcpd_metrics_arch(const struct dhcp_server_stats *st, struct mx *m)
{
	static const char *const kind[DHCP_STATS_REPLY_N] = {
		"offer", "ack", "nak",
	};
	char lbl[64], arch[16];
	unsigned a, k;

	mx_family(m, "pxemasq_dhcp_replies_by_arch_total", "counter",
	    "DHCP OFFER, ACK and NAK sent, by client architecture (option "
	    "93; none: not sent).");
	for (a = 0; a < DHCP_STATS_ARCH + 2; a++)
		for (k = 0; k < DHCP_STATS_REPLY_N; k++) {
			if (st->by_arch[a][k] == 0)
				continue;
			if (a == DHCP_STATS_ARCH_NONE)
				snprintf(arch, sizeof(arch), "none");
			else if (a == DHCP_STATS_ARCH_OTHER)
				snprintf(arch, sizeof(arch), "other");
			else
				snprintf(arch, sizeof(arch), "%u", a);
			snprintf(lbl, sizeof(lbl), "type=\"%s\",arch=\"%s\"",
			    kind[k], arch);
			mx_sample(m, "pxemasq_dhcp_replies_by_arch_total",
			    lbl, st->by_arch[a][k]);
		}
}

void
dhcpd_metrics(const struct dhcpd *d, struct mx *m)
{
	const struct dhcp_server_stats *st = dhcp_server_stats(d->srv);
	static const char *const rxname[DHCP_INFORM + 1] = {
		"bootp", "discover", "offer", "request", "decline", "ack",
		"nak", "release", "inform",
	};
	unsigned long sent = st->offer + st->ack + st->nak + st->bootp;
	char lbl[64];
	unsigned i;

	dhcpd_metrics_leases(d, m);
	mx_family(m, "pxemasq_dhcp_received_total", "counter",
	    "DHCP messages handled, by message type.");
	for (i = 0; i <= DHCP_INFORM; i++)
		mx_sample(m, "pxemasq_dhcp_received_total",
		    mx_label(lbl, sizeof(lbl), "type", rxname[i]), st->rx[i]);
	mx_family(m, "pxemasq_dhcp_replies_total", "counter",
	    "DHCP replies sent, by type.");
	mx_sample(m, "pxemasq_dhcp_replies_total", "type=\"offer\"",
	    st->offer);
	mx_sample(m, "pxemasq_dhcp_replies_total", "type=\"ack\"", st->ack);
	mx_sample(m, "pxemasq_dhcp_replies_total", "type=\"nak\"", st->nak);
	mx_sample(m, "pxemasq_dhcp_replies_total", "type=\"bootp\"",
	    st->bootp);
	dhcpd_metrics_arch(st, m);
	mx_family(m, "pxemasq_dhcp_replies_by_mode_total", "counter",
	    "DHCP replies sent as proxy-DHCP or as the full server.");
	mx_sample(m, "pxemasq_dhcp_replies_by_mode_total", "mode=\"proxy\"",
	    st->proxy);
	mx_sample(m, "pxemasq_dhcp_replies_by_mode_total", "mode=\"full\"",
	    sent - st->proxy);
	mx_family(m, "pxemasq_dhcp_ping_checks_total", "counter",
	    "ICMP echo checks started before an OFFER.");
	mx_sample(m, "pxemasq_dhcp_ping_checks_total", NULL, st->probes);
	mx_family(m, "pxemasq_dhcp_dropped_total", "counter",
	    "DHCP packets dropped, by reason.");
	for (i = 0; i < DHCPD_DROP_COUNT; i++)
		mx_sample(m, "pxemasq_dhcp_dropped_total", mx_label(lbl,
		    sizeof(lbl), "reason", dhcpd_drop_names[i]), d->drops[i]);
	for (i = 0; i < DHCP_DROP_COUNT; i++)
		if (st->drops[i] != 0)
			mx_sample(m, "pxemasq_dhcp_dropped_total",
			    mx_label(lbl, sizeof(lbl), "reason",
			    dhcp_drop_name(i)), st->drops[i]);
}

void
dhcpd_close(struct dhcpd *d)
{
	struct clock_now now;
	unsigned i;

	if (d == NULL)
		return;
	for (i = 0; i < d->ifs.n; i++)
		dhcpd_if_close(d, d->ifs.v[i]);
	ev_io_del(d->ev, &d->ifs_io);
	iface_table_close(&d->ifs);
	ev_timer_cancel(d->ev, &d->maint);
	ev_timer_cancel(d->ev, &d->delay_timer);
	while (d->delayed != NULL) {
		struct dhcpd_delayed *x = d->delayed;

		d->delayed = x->next;
		free(x);
	}
	for (i = 0; i < DHCPD_PROBE_MAX; i++)
		dhcpd_probe_free(d, i);
	if (d->icmp_fd >= 0) {
		ev_io_del(d->ev, &d->icmp_io);
		close(d->icmp_fd);
	}
	if (d->store != NULL) {
		dhcpd_now(&now);
		lease_store_maintain(d->store, d->leases, &now, true);
		lease_store_close(d->store);
	}
	if (d->srv != NULL)
		dhcp_server_free(d->srv);	/* frees the lease table */
	else if (d->leases != NULL)
		lease_table_free(d->leases);
	netio_close(&d->udp67);
	netio_close(&d->udp4011);
	dhcpd_rr_clear(d);
	free(d);
}

struct lease_table *
dhcpd_leases(struct dhcpd *d)
{
	return d->leases;
}
