/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp_server.c - DHCPv4 request handling as dnsmasq 2.90 does it
 * (rfc2131.c dhcp_reply(), do_options(); see dhcp_server.h).
 *
 * The steps follow dnsmasq's order, because the order decides the tags a
 * request sees, the log lines and the reply bytes:
 *   header checks -> client identity, lease -> dhcp-mac tags -> candidate
 *   ranges -> dhcp-match, vendor/user class tags -> dhcp-host, known ->
 *   BOOTP | names, dhcp-host set:, tag-if, dhcp-ignore -> PXE hook ->
 *   per message type -> options -> destination.
 */
#include "dhcp_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "conf.h"
#include "conf_dhcp.h"
#include "conf_dhcpopt.h"
#include "conf_dns.h"
#include "conf_int.h"
#include "conf_pxe.h"
#include "lease.h"
#include "log.h"
#include "pxe.h"
#include "tag.h"

/* Offsets in a finished reply (RFC 951), read for the destination. */
#define HDR_FLAGS 10
#define HDR_CIADDR 12
#define HDR_YIADDR 16
#define HDR_SIADDR 20
#define HDR_GIADDR 24
#define HDR_CHADDR 28
#define BRDBAND_FORUM_IANA 3561		/* TR-069 (option 125) */

/* Per-reply option flags (dnsmasq's DHOPT_TAGOK and friends). */
#define OF_TAGOK	0x01
#define OF_VMATCH	0x02
#define OF_EMATCH	0x04
#define OF_EDONE	0x08

#define LOG_LINES_MAX 512
#define LOG_BUF_MAX (64 * 1024)

struct log_line {
	int sev;
	unsigned off;
};

struct dhcp_server {
	const struct conf *cf;
	struct tag_names tn;
	struct dhcp_pool pool;
	struct lease_table *leases;
	struct lease_store *store;
	struct dhcp_server_hooks hooks;
	dhcp_lease_event_fn *ev_fn;	/* dhcp-script events, or NULL */
	void *ev_ctx;
	char ev_name[2 * 256];		/* dhcp_server_lease_event()'s name */
	struct dhcp_server_stats stats;
	uint64_t rng;
	/* dnsmasq's lists, newest first */
	unsigned nopts;
	const struct conf_dhcp_opt **opts;
	uint8_t *oflags;
	/* pxe-prompt entries as vendor options (sub-option 10), at the
	 * head of opts: dnsmasq keeps them in its option list */
	uint8_t *pxeflag;		/* per opts entry: a pxe-prompt */
	struct conf_dhcp_opt *pxeopts;
	uint8_t *pxebytes;
	unsigned nboots;
	const struct conf_dhcp_boot **boots;
	unsigned ndomains;
	const struct conf_dhcp_domain **domains;
	unsigned nclasses, nmacs, nmatches;
	const struct conf_dhcp_class **classes;
	const struct conf_dhcp_mac **macs;
	const struct conf_dhcp_match **matches;
	/* per-request scratch */
	uint16_t *chain_buf;
	uint8_t ucbuf[DHCP_MAX_MSG];
	/* log lines of the request in progress */
	char *logbuf;
	unsigned loglen, nlines;
	struct log_line lines[LOG_LINES_MAX];
};

/* State of one request. */
struct req {
	struct dhcp_server *srv;
	const struct conf *cf;
	const struct dhcp_rx *rx;
	const struct dhcp_msg *m;
	struct dhcp_tx *tx;
	const struct clock_now *now;
	int mess_type;			/* 0: BOOTP */
	uint32_t xid;
	bool logopts;
	size_t cap;			/* reply size limit */
	struct in_addr ciaddr, yiaddr;
	struct in_addr subnet_addr, override, fallback;
	const uint8_t *clid;
	size_t clid_len;
	uint8_t clid_buf[LEASE_CLID_MAX];
	const uint8_t *emac;
	size_t emac_len;
	struct lease *lease;
	bool agent;			/* option 82 to echo */
	struct dhcp_chain chain;
	struct tag_set netid;		/* tags so far (dnsmasq's netid) */
	struct tag_set tagif;		/* netid after tag-if, + range tag */
	struct tag_set otags;		/* do_options' tag set */
	int host;			/* dhcp-host index, -1: none */
	char namebuf[256];
	const char *client_hostname, *offer_hostname, *hostname, *domain;
	bool hostname_auth, borken;
	uint8_t fqdn_flags;
	bool has_prl;
	const uint8_t *prl;
	size_t prl_len;
	int pxearch;
	const char *pxevendor;		/* matched dhcp-pxe-vendor */
	const uint8_t *uuid;		/* option 97, 17 bytes, or NULL */
	const uint8_t *vclass;		/* client's option 60 */
	/* dhcp-script events (dnsmasq's LEASE_NEW, LEASE_CHANGED flags) */
	bool ev_new;			/* q->lease was created here */
	bool ev_changed;		/* q->lease's name changed */
	bool ev_bare_names;		/* no domain on event names */
	struct lease *ev_other;		/* lost its name to q->lease */
	char ev_lost[LEASE_NAME_MAX + 1];	/* q->lease's former name */
	char ev_other_lost[LEASE_NAME_MAX + 1];	/* ev_other's */
	const uint8_t *cpe[3];		/* option 125 (TR-069) 1, 2, 3 */
	uint8_t cpe_len[3];
	size_t vclass_len;
	const char *message;
	bool unicast;
	bool is_inform;
	char bootp_file[DHCP_FILE_LEN + 1];
	struct dhcp_optval optview[256];
};

/* --- small helpers ------------------------------------------------------ */

static const char *const drop_names[DHCP_DROP_COUNT] = {
	[DHCP_DROP_NONE] = "none",
	[DHCP_DROP_NOT_REQUEST] = "not-request",
	[DHCP_DROP_NO_COOKIE] = "no-cookie",
	[DHCP_DROP_NO_RANGE] = "no-range",
	[DHCP_DROP_PXE] = "pxe",
	[DHCP_DROP_IGNORED] = "ignored",
	[DHCP_DROP_BOOTP] = "bootp-refused",
	[DHCP_DROP_NO_ADDRESS] = "no-address",
	[DHCP_DROP_NO_UNIQUE_ID] = "no-unique-id",
	[DHCP_DROP_WRONG_NETWORK] = "wrong-network",
	[DHCP_DROP_OTHER_SERVER] = "other-server",
	[DHCP_DROP_UNKNOWN_CLIENT] = "unknown-client",
	[DHCP_DROP_NOT_OUR_LEASE] = "not-our-lease",
	[DHCP_DROP_BAD_DECLINE] = "bad-decline",
	[DHCP_DROP_NO_CIADDR] = "no-ciaddr",
	[DHCP_DROP_BAD_TYPE] = "bad-type",
	[DHCP_DROP_NO_SPACE] = "no-space",
	[DHCP_DROP_PXE_PORT_CLOSED] = "pxe-port-closed",
};

const char *
dhcp_drop_name(enum dhcp_drop why)
{
	return (unsigned)why < DHCP_DROP_COUNT ? drop_names[why] : "?";
}

bool
dhcp_verdict_sends(enum dhcp_verdict v)
{
	return v == DHCP_V_OFFER || v == DHCP_V_ACK || v == DHCP_V_NAK ||
	    v == DHCP_V_BOOTP;
}

static bool
flag(const struct req *q, unsigned id)
{
	return conf_flag(q->cf, id);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static struct in_addr
addr_at(const uint8_t *p)
{
	struct in_addr a;

	memcpy(&a, p, 4);
	return a;
}

static uint16_t
rand16(struct dhcp_server *srv)
{
	uint64_t x = srv->rng;	/* xorshift64 */

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	srv->rng = x;
	return (uint16_t)(x >> 24);
}

/* dnsmasq's option_find(): the first instance of the option, if it has
 * at least minlen bytes (the codec keeps it beside the RFC 3396
 * concatenation).  Returns a view valid for the request. */
static const struct dhcp_optval *
opt_find(struct req *q, unsigned code, size_t minlen)
{
	const struct dhcp_optval *o = &q->m->opt[code & 0xff];
	struct dhcp_optval *v = &q->optview[code & 0xff];

	if (o->p == NULL || o->first_len < minlen)
		return NULL;
	*v = *o;
	v->len = o->first_len;
	return v;
}

/* in_list(): no list means "everything"; the list ends at a 255. */
static bool
in_prl(const struct req *q, unsigned code)
{
	size_t i;

	if (!q->has_prl)
		return true;
	for (i = 0; i < q->prl_len; i++)
		if (q->prl[i] == code)
			return true;
	return false;
}

/* --- logging ------------------------------------------------------------ */

/* Lines are kept until the request is decided: a request answered with
 * DHCP_V_PROBE is handled again later and must not log twice. */
static void
srv_log_line(void *ctx, int sev, const char *line)
{
	struct dhcp_server *srv = ctx;
	size_t len = strlen(line) + 1;

	if (srv->nlines == LOG_LINES_MAX || srv->loglen + len > LOG_BUF_MAX)
		return;
	memcpy(srv->logbuf + srv->loglen, line, len);
	srv->lines[srv->nlines].sev = sev;
	srv->lines[srv->nlines].off = srv->loglen;
	srv->nlines++;
	srv->loglen += (unsigned)len;
}

static void
srv_log_flush(struct dhcp_server *srv, bool emit)
{
	unsigned i;

	for (i = 0; emit && srv->hooks.log != NULL && i < srv->nlines; i++)
		srv->hooks.log(srv->hooks.ctx, srv->lines[i].sev,
		    srv->logbuf + srv->lines[i].off);
	srv->nlines = 0;
	srv->loglen = 0;
}

static void qlog(struct req *q, int sev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
qlog(struct req *q, int sev, const char *fmt, ...)
{
	char line[DHCP_LOG_LINE_MAX];
	va_list ap;

	if (q->srv->hooks.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	srv_log_line(q->srv, sev, line);
}

/* log_packet(): "[XID ]TYPE(IF) [ADDR ]MAC STRINGERR". */
static void
log_packet(struct req *q, const char *type, const struct in_addr *addr,
    const char *string, const char *err)
{
	char line[DHCP_LOG_LINE_MAX];

	if (q->srv->hooks.log == NULL)
		return;
	dhcp_log_packet(line, sizeof(line), q->logopts, q->xid, type,
	    q->rx->iface->name, addr, q->emac, q->emac_len, string, err);
	srv_log_line(q->srv, LOG_INFO, line);
}

static void
log_tags(struct req *q, const struct tag_set *s)
{
	char buf[DHCP_LOG_LINE_MAX];

	if (!q->logopts)
		return;
	tag_set_format(s, &q->srv->tn, buf, sizeof(buf));
	qlog(q, LOG_INFO, "%u tags: %s", q->xid, buf);
}

/* --- explain mode (hooks.trace; NULL in the daemon) -------------------- */

/* A line (src) of option added set (or id, or name) to the request. */
static void
trace_tags(const struct req *q, const char *option,
    const struct conf_src *src, const struct conf_tagset *set, int id,
    const char *name)
{
	const struct dhcp_trace_ev ev = { .what = DHCP_TRACE_TAGS,
		.option = option, .src = src, .set = set, .id = id,
		.name = name };

	if (q->srv->hooks.trace != NULL)
		q->srv->hooks.trace(q->srv->hooks.ctx, &ev);
}

/* The range answering, or the dhcp-boot looked up, with the tags. */
static void
trace_pick(const struct req *q, enum dhcp_trace_what what,
    const struct conf_dhcp_range *range, const struct conf_dhcp_boot *boot,
    const struct tag_set *tags)
{
	const struct dhcp_trace_ev ev = { .what = what, .id = -1,
		.range = range, .boot = boot, .tags = tags };

	if (q->srv->hooks.trace != NULL)
		q->srv->hooks.trace(q->srv->hooks.ctx, &ev);
}

/* --- leases ------------------------------------------------------------- */

static void
lease_note(struct req *q, struct lease *l, bool removed)
{
	if (q->srv->store != NULL)
		lease_store_note(q->srv->store, l, removed, q->now);
}

static void ev_emit(struct req *q, struct lease *l,
    enum dhcp_lease_action a, const char *name, bool extra);

static void
lease_drop(struct req *q, struct lease *l)
{
	if (q->lease == l)
		q->lease = NULL;
	if (q->ev_other == l)
		q->ev_other = NULL;
	ev_emit(q, l, DHCP_LEASE_DEL, l->hostname, false);
	lease_note(q, l, true);
	dhcp_pool_mark(&q->srv->pool, l->addr, false);
	lease_remove(q->srv->leases, l);
}

/* dnsmasq prunes expired leases before each packet (lease_prune); the
 * table's expiry heap makes that O(log n) per expired lease.  Lookups
 * check again, for leases that expire within this turn. */
static void
prune_expired(struct req *q)
{
	struct lease *l;

	while ((l = lease_first_expired(q->srv->leases,
	    q->now->mono_ms)) != NULL)
		lease_drop(q, l);
}

static struct lease *
lease_live(struct req *q, struct lease *l)
{
	if (l != NULL && l->expires_ms != CLOCK_INFINITE_MS &&
	    q->now->mono_ms >= l->expires_ms) {
		lease_drop(q, l);
		return NULL;
	}
	return l;
}

static struct lease *
lease_by_addr(struct req *q, struct in_addr a)
{
	return lease_live(q, lease_find_by_addr(q->srv->leases, a));
}

static bool
leased_cb(void *ctx, struct in_addr a)
{
	return lease_by_addr(ctx, a) != NULL;
}

/* lease_find_by_client(): client id first, then the hardware address of
 * a lease without one (or of any lease when the request has none). */
static struct lease *
lease_by_client(struct req *q, const uint8_t *clid, size_t clid_len)
{
	struct lease_table *t = q->srv->leases;
	const struct dhcp_msg *m = q->m;
	struct lease *l;

	if (clid != NULL &&
	    (l = lease_live(q, lease_find_by_clid(t, clid, clid_len))) != NULL)
		return l;
	if (m->hlen == 0)
		return NULL;
	if (clid != NULL)
		return lease_live(q, lease_find_by_hw(t, m->htype, m->chaddr,
		    m->hlen));
	return lease_live(q, lease_find_by_hw_any(t, m->htype, m->chaddr,
	    m->hlen));
}

/* --- the domain of an address (domain.c get_domain) ---------------------- */

static bool
domain_iface_match(const struct dhcp_iface *ifc,
    const struct conf_dhcp_domain *d, struct in_addr a)
{
	unsigned i;

	if (d->iface == NULL || ifc == NULL || ifc->name == NULL ||
	    strcmp(d->iface, ifc->name) != 0)
		return false;
	for (i = 0; i < ifc->naddrs; i++)
		if (dhcp_same_net(a, ifc->addrs[i].addr, ifc->addrs[i].netmask))
			return true;
	return false;
}

/* ifc: the request's interface, for domain=DOM,INTERFACE; NULL outside a
 * request (such domains then match nothing). */
static const char *
domain_of(const struct dhcp_server *srv, const struct dhcp_iface *ifc,
    struct in_addr a)
{
	const struct conf_dhcp *d = srv->cf->dhcp;
	uint32_t x = ntohl(a.s_addr);
	unsigned i;

	for (i = 0; i < srv->ndomains; i++) {
		const struct conf_dhcp_domain *e = srv->domains[i];

		if (e->kind == CONF_DHCP_DOMAIN_IFACE) {
			if (domain_iface_match(ifc, e, a))
				return e->domain;
		} else if (!e->is6 && x >= ntohl(e->start.s_addr) &&
		    x <= ntohl(e->end.s_addr))
			return e->domain;
	}
	if (d->domain_from_resolv)
		return d->domain_resolved;
	return d->domain_suffix;
}

static const char *
get_domain(const struct req *q, struct in_addr a)
{
	return domain_of(q->srv, q->rx != NULL ? q->rx->iface : NULL, a);
}

/* --- hostnames ---------------------------------------------------------- */

/* legal_hostname(): a sane first label (a trailing dot is dropped). */
static bool
legal_hostname(char *name)
{
	size_t len = strlen(name), gap = 0;
	bool first = true, nowhite = false;
	char *p;

	if (len == 0 || len > 1025)
		return false;
	if (name[len - 1] == '.') {
		name[len - 1] = '\0';
		nowhite = true;
	}
	for (p = name; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.')
			gap = 0;
		else if (++gap > 63)
			return false;
		else if (c < 0x20 || c == 0x7f)
			return false;
		else if (c != ' ')
			nowhite = true;
	}
	if (!nowhite)
		return false;
	for (p = name; *p != '\0'; p++, first = false) {
		char c = *p;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (!first && (c == '-' || c == '_'))
			continue;
		return c == '.';
	}
	return true;
}

/* strip_hostname(): cuts at the first dot; the domain or NULL. */
static const char *
strip_hostname(char *name)
{
	char *dot = strchr(name, '.');

	if (dot == NULL)
		return NULL;
	*dot = '\0';
	return dot[1] != '\0' ? dot + 1 : NULL;
}

/* Client FQDN (81), RFC 4702, as dnsmasq reads it. */
static void
parse_fqdn(struct req *q, const struct dhcp_optval *o)
{
	size_t len = o->len > 255 ? 255 : o->len, k = 0;
	const uint8_t *op = o->p + 3, *pp;
	uint8_t f = o->p[0];

	/* dhcp-client-update is refused at start-up: S and O set, N off */
	if (!(f & 0x01))
		f |= 0x03;
	f &= (uint8_t)~0x08;
	q->fqdn_flags = f;
	len -= 3;
	pp = op;
	if (f & 0x04) {
		while ((size_t)(op - pp) < len && *op != 0 &&
		    (size_t)(op + *op - pp) < len) {
			size_t l = *op;

			if (k + l + 1 >= sizeof(q->namebuf))
				break;
			memcpy(q->namebuf + k, op + 1, l);
			k += l;
			op += l + 1;
			q->namebuf[k++] = '.';
		}
		if (k > 0)
			k--;
	} else {
		memcpy(q->namebuf, op, len);
		if (len > 0 && op[len - 1] == 0)
			q->borken = true;
		k = len;
	}
	q->namebuf[k] = '\0';
	if (legal_hostname(q->namebuf))
		q->offer_hostname = q->client_hostname = q->namebuf;
}

static void
parse_client_name(struct req *q)
{
	const struct dhcp_optval *o;

	if ((o = opt_find(q, DHCP_OPT_FQDN, 3)) != NULL)
		parse_fqdn(q, o);
	else if ((o = opt_find(q, DHCP_OPT_HOSTNAME, 1)) != NULL) {
		size_t len = o->len > 255 ? 255 : o->len;

		memcpy(q->namebuf, o->p, len);
		/* Microsoft clients NUL-terminate: do the same for them */
		if (len > 0 && q->namebuf[len - 1] == '\0')
			q->borken = true;
		else
			q->namebuf[len] = '\0';
		if (legal_hostname(q->namebuf))
			q->client_hostname = q->namebuf;
	}
	if (q->client_hostname != NULL && q->logopts)
		qlog(q, LOG_INFO, "%u client provides name: %s", q->xid,
		    q->client_hostname);
}

/* The name part of dhcp_reply() after the client's name is read. */
static void
choose_hostname(struct req *q)
{
	struct dhcp_pool *p = &q->srv->pool;
	char *cname = q->namebuf;

	if (q->host >= 0 &&
	    (p->host[q->host]->flags & CONF_DHCP_HOST_NAME)) {
		const struct conf_dhcp_host *h = p->host[q->host];

		q->hostname = h->hostname;
		q->domain = h->domain;
		q->hostname_auth = true;
		/* no OFFER with a name the DISCOVER did not ask for */
		if (q->fqdn_flags != 0 || q->client_hostname == NULL ||
		    strcasecmp(q->hostname, q->client_hostname) == 0)
			q->offer_hostname = q->hostname;
		return;
	}
	if (q->client_hostname == NULL)
		return;
	q->domain = strip_hostname(cname);
	if (cname[0] == '\0')
		return;
	q->hostname = cname;
	if (q->host < 0) {
		struct tag_set t = q->netid;
		int h;

		/* by name: only entries without client id and MAC */
		tag_if_run(&t, &q->srv->tn, q->cf->dhcp->tagifs);
		h = dhcp_pool_find_host(p, &q->chain, NULL, 0, q->m->chaddr,
		    q->m->hlen, q->m->htype, cname, &t);
		if (h >= 0 && !(p->host[h]->flags & CONF_DHCP_HOST_CLID) &&
		    p->host[h]->nhw == 0) {
			q->host = h;
			tag_set_add_name(&q->netid, &q->srv->tn, "known");
		}
	}
}

/* --- reply building ------------------------------------------------------ */

static struct in_addr
out_get_addr(const struct dhcp_out *o, size_t off)
{
	return addr_at(o->buf + off);
}

static void
out_set_broadcast(struct dhcp_out *o)
{
	dhcp_out_flags(o, (uint16_t)((o->buf[HDR_FLAGS] << 8 |
	    o->buf[HDR_FLAGS + 1]) | 0x8000));
}

/* free_space() + copy: "cannot send" when it does not fit. */
static bool
put(struct req *q, struct dhcp_out *o, unsigned code, const void *v,
    size_t len)
{
	if (dhcp_out_opt(o, (uint8_t)code, v, len) == 0)
		return true;
	qlog(q, LOG_WARNING, "cannot send DHCP/BOOTP option %u: no space "
	    "left in packet", code & 0xff);
	return false;
}

static void
put_u32(struct req *q, struct dhcp_out *o, unsigned code, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
		(uint8_t)(v >> 8), (uint8_t)v };

	put(q, o, code, b, 4);
}

static void
put_addr(struct req *q, struct dhcp_out *o, unsigned code, struct in_addr a)
{
	put(q, o, code, &a, 4);
}

/* option_put_string(): a NUL is added when asked and it fits 255. */
static void
put_str(struct req *q, struct dhcp_out *o, unsigned code, const char *s,
    bool nul)
{
	size_t len = strlen(s);

	if (len > 255)
		len = 255;
	if (nul && len != 255)
		len++;
	put(q, o, code, s, len);
}

/* Starts a reply in tx->buf: dnsmasq answers in the request's buffer,
 * so the header keeps the request's fields; ciaddr may have been
 * cleared; the agent option (82) is echoed last. */
static void
reply_begin(struct req *q, struct dhcp_out *o)
{
	dhcp_out_init(o, q->tx->buf, q->cap, q->m);
	dhcp_out_ciaddr(o, q->ciaddr);
	dhcp_out_yiaddr(o, q->yiaddr);
	if (q->agent)
		(void)dhcp_out_agent(o, q->m);
}

/* Logs the options of one area, in packet order (log_options). */
static void
log_area(struct req *q, const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len && p[i] != DHCP_OPT_END) {
		char line[DHCP_LOG_LINE_MAX];
		size_t l;

		if (p[i] == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + p[i + 1] > len)
			break;
		l = p[i + 1];
		dhcp_log_sent(line, sizeof(line), q->xid, p[i], p + i + 2, l);
		srv_log_line(q->srv, LOG_INFO, line);
		i += 2 + l;
	}
}

/* dhcp_packet_size(): END in each area, the log-dhcp lines. */
static int
reply_finish(struct req *q, struct dhcp_out *o)
{
	struct dhcp_tx *tx = q->tx;
	struct in_addr si;
	const uint8_t *p;
	size_t len;
	int n;

	if ((n = dhcp_out_finish(o)) < 0)
		return n;
	tx->len = (size_t)n;
	if (!q->logopts)
		return 0;
	if (dhcp_out_area(o, DHCP_AREA_FILE, &p, &len))
		log_area(q, p, len);
	else if (tx->buf[DHCP_FILE_OFF] != 0)
		qlog(q, LOG_INFO, "%u bootfile name: %.128s", q->xid,
		    (const char *)tx->buf + DHCP_FILE_OFF);
	if (dhcp_out_area(o, DHCP_AREA_SNAME, &p, &len))
		log_area(q, p, len);
	else if (tx->buf[DHCP_SNAME_OFF] != 0)
		qlog(q, LOG_INFO, "%u server name: %.64s", q->xid,
		    (const char *)tx->buf + DHCP_SNAME_OFF);
	if ((si = out_get_addr(o, HDR_SIADDR)).s_addr != 0) {
		char a[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &si, a, sizeof(a));
		qlog(q, LOG_INFO, "%u next server: %s", q->xid, a);
	}
	if ((tx->buf[HDR_FLAGS] & 0x80) &&
	    out_get_addr(o, HDR_CIADDR).s_addr == 0)
		qlog(q, LOG_INFO, "%u broadcast response", q->xid);
	if (dhcp_out_area(o, DHCP_AREA_OPTIONS, &p, &len))
		log_area(q, p, len);
	return 0;
}

/* Reference 3.9: where the reply goes. */
static void
reply_dest(struct req *q)
{
	struct dhcp_tx *tx = q->tx;
	const uint8_t *b = tx->buf;
	struct in_addr ci = addr_at(b + HDR_CIADDR);
	struct in_addr gi = addr_at(b + HDR_GIADDR);
	const struct dhcp_rx *rx = q->rx;

	tx->ifindex = rx->iface->index;
	tx->sport = DHCP_SERVER_PORT;
	tx->dest = DHCP_DEST_UDP;
	if (rx->path == DHCP_PATH_UDP4011) {
		tx->sport = DHCP_PXE_PORT;
		tx->dst = ci.s_addr != 0 ? ci : rx->src;
		tx->dport = rx->sport;
	} else if (gi.s_addr != 0) {
		tx->dst = gi;
		tx->dport = DHCP_SERVER_PORT;
	} else if (ci.s_addr != 0) {
		tx->dst = rx->src;
		tx->dport = rx->sport;
		if ((!q->is_inform && rx->src.s_addr != ci.s_addr) ||
		    rx->sport == 0 || rx->src.s_addr == 0) {
			tx->dst = ci;
			tx->dport = DHCP_CLIENT_PORT;
		}
	} else if ((b[HDR_FLAGS] & 0x80) || b[2] == 0 || b[2] > 14 ||
	    b[1] == 0) {
		tx->dest = DHCP_DEST_L2_BROADCAST;
		tx->dst.s_addr = INADDR_BROADCAST;
		tx->dport = DHCP_CLIENT_PORT;
	} else {
		tx->dest = DHCP_DEST_L2_UNICAST;
		tx->dst = addr_at(b + HDR_YIADDR);
		tx->dport = DHCP_CLIENT_PORT;
		tx->dst_htype = b[1];
		tx->dst_hlen = b[2];
		memcpy(tx->dst_hw, b + HDR_CHADDR, b[2]);
	}
}

/* --- options (do_options) ------------------------------------------------ */

static bool
opt_excluded(const struct conf_dhcp_opt *o)
{
	return (o->flags & (CONF_DHCPOPT_ENCAP | CONF_DHCPOPT_VENDOR |
	    CONF_DHCPOPT_VI_ENCAP)) != 0;
}

/* First TAGOK entry for code (option_find2). */
static const struct conf_dhcp_opt *
opt_find2(const struct req *q, int code)
{
	const struct dhcp_server *srv = q->srv;
	unsigned i;

	for (i = 0; i < srv->nopts; i++)
		if (srv->opts[i]->code == code && (srv->oflags[i] & OF_TAGOK))
			return srv->opts[i];
	return NULL;
}

/* Some entry for code holds TAGOK; *first_untagged when the first such
 * one has no tags. */
static bool
opt_tagok_exists(const struct req *q, int code, bool *first_untagged)
{
	const struct dhcp_server *srv = q->srv;
	unsigned i;

	for (i = 0; i < srv->nopts; i++)
		if (srv->opts[i]->code == code &&
		    (srv->oflags[i] & OF_TAGOK)) {
			if (first_untagged != NULL)
				*first_untagged = srv->opts[i]->tags.n == 0;
			return true;
		}
	return false;
}

/* option_filter(): which dhcp-option entry of each number is sent.
 * Leaves the tag set (with range tag and tag-if) in q->otags. */
static void
option_filter(struct req *q, int ctx)
{
	struct dhcp_server *srv = q->srv;
	const struct conf_tagset *rtag =
	    ctx >= 0 ? &srv->pool.range[ctx]->set : NULL;
	unsigned i, j;

	q->otags = q->netid;
	tag_if_run(&q->otags, &srv->tn, q->cf->dhcp->tagifs);
	for (i = 0; i < srv->nopts; i++) {
		srv->oflags[i] &= (uint8_t)~OF_TAGOK;
		if (!opt_excluded(srv->opts[i]) &&
		    tag_expr_match(&q->otags, &srv->opts[i]->tags, false))
			srv->oflags[i] |= OF_TAGOK;
	}
	if (rtag != NULL && rtag->n > 0) {
		q->otags = q->netid;
		tag_set_add_list(&q->otags, rtag);
		tag_if_run(&q->otags, &srv->tn, q->cf->dhcp->tagifs);
		/* tag:!X entries that stop matching with the range tag */
		for (i = 0; i < srv->nopts; i++)
			if (!opt_excluded(srv->opts[i]) &&
			    (srv->oflags[i] & OF_TAGOK) &&
			    !tag_expr_match(&q->otags, &srv->opts[i]->tags,
			    false))
				srv->oflags[i] &= (uint8_t)~OF_TAGOK;
		for (i = 0; i < srv->nopts; i++)
			if (!opt_excluded(srv->opts[i]) &&
			    !(srv->oflags[i] & OF_TAGOK) &&
			    tag_expr_match(&q->otags, &srv->opts[i]->tags,
			    false) &&
			    !opt_tagok_exists(q, srv->opts[i]->code, NULL))
				srv->oflags[i] |= OF_TAGOK;
	}
	/* untagged entries, unless a tagged one won */
	for (i = 0; i < srv->nopts; i++) {
		bool untagged = false;

		if (opt_excluded(srv->opts[i]) || (srv->oflags[i] & OF_TAGOK) ||
		    srv->opts[i]->tags.n != 0)
			continue;
		if (!opt_tagok_exists(q, srv->opts[i]->code, &untagged))
			srv->oflags[i] |= OF_TAGOK;
		else if (untagged)
			qlog(q, LOG_WARNING, "Ignoring duplicate dhcp-option "
			    "%d", srv->opts[i]->code);
	}
	/* of several winners the newest (last in the file) */
	for (i = 0; i < srv->nopts; i++)
		if (srv->oflags[i] & OF_TAGOK)
			for (j = i + 1; j < srv->nopts; j++)
				if (srv->opts[j]->code == srv->opts[i]->code)
					srv->oflags[j] &= (uint8_t)~OF_TAGOK;
}

/* A dhcp-pxe-vendor string (default PXEClient) occurs in v: how
 * dnsmasq matches the vendor class of a pxe-prompt. */
static bool
pxe_vendor_in(const struct conf_pxe *p, const uint8_t *v, size_t vlen)
{
	const struct conf_str *e = p != NULL ? p->vendors.head : NULL;
	const char *s = "PXEClient";

	do {
		size_t len, k;

		if (e != NULL)
			s = e->s != NULL ? e->s : "";
		len = strlen(s);
		for (k = 0; len <= vlen && k <= vlen - len; k++)
			if (len == 0 || memcmp(s, v + k, len) == 0)
				return true;
		e = e != NULL ? e->next : NULL;
	} while (e != NULL);
	return false;
}

/* match_vendor_opts(): vendor:CLASS entries whose class occurs in the
 * vendor class v (the client's, or the one we send). */
static void
match_vendor_opts(struct req *q, const uint8_t *v, size_t vlen)
{
	struct dhcp_server *srv = q->srv;
	unsigned i;

	for (i = 0; i < srv->nopts; i++) {
		const char *cls = srv->opts[i]->vendor_class;
		size_t len = cls != NULL ? strlen(cls) : 0, k;

		srv->oflags[i] &= (uint8_t)~OF_VMATCH;
		if (v == NULL || !(srv->opts[i]->flags & CONF_DHCPOPT_VENDOR))
			continue;
		if (srv->pxeflag != NULL && srv->pxeflag[i]) {
			if (pxe_vendor_in(q->cf->pxe, v, vlen))
				srv->oflags[i] |= OF_VMATCH;
			continue;
		}
		for (k = 0; len <= vlen && k <= vlen - len; k++)
			if (len == 0 || memcmp(cls, v + k, len) == 0) {
				srv->oflags[i] |= OF_VMATCH;
				break;
			}
	}
}

/* do_opt(): the value's length, and its bytes at p when p != NULL; in
 * top-level address options 0.0.0.0 becomes our local address. */
static size_t
do_opt(const struct conf_dhcp_opt *o, uint8_t *p, const struct in_addr *local,
    bool null_term)
{
	size_t len = o->v.len, i;

	if (o->v.kind == CONF_DHCPOPT_TEXT && null_term && len != 255)
		len++;
	if (p == NULL || len == 0)
		return len;
	if (local != NULL && o->v.kind == CONF_DHCPOPT_ADDR) {
		memcpy(p, o->v.val, o->v.len);
		for (i = 0; i + 4 <= o->v.len; i += 4)
			if (i / 4 < 64 && ((o->v.self_mask >> (i / 4)) & 1))
				memcpy(p + i, local, 4);
	} else if (o->v.val != NULL)
		memcpy(p, o->v.val, len);
	else
		memset(p, 0, len);
	return len;
}

/* One entry of an encapsulation list: a pre-built sub-option (pre[i]
 * for i < npre) or a configured entry. */
static size_t
encap_entry(const struct req *q, const struct pxe_sub *pre, unsigned npre,
    unsigned i, uint8_t fl, bool null_term, uint8_t *p, uint8_t *code)
{
	const struct conf_dhcp_opt *x;

	if (i < npre) {
		*code = pre[i].code;
		if (p != NULL && pre[i].len != 0)
			memcpy(p, pre[i].val, pre[i].len);
		return pre[i].len;
	}
	i -= npre;
	if (!(q->srv->oflags[i] & fl))
		return SIZE_MAX;
	x = q->srv->opts[i];
	*code = (uint8_t)x->code;
	return do_opt(x, p, NULL, null_term);
}

/* do_encap_opts(): the pre-built sub-options, then the entries with fl,
 * as sub-options of option code, in as many options as needed, END
 * after the last.  True when any. */
static bool
do_encap_pre(struct req *q, struct dhcp_out *o, uint8_t fl, unsigned code,
    bool null_term, const struct pxe_sub *pre, unsigned npre)
{
	unsigned total = q->srv->nopts + npre;
	uint8_t buf[256 + 3];
	size_t enc = 0;
	unsigned i, start = 0;
	bool any = false;
	uint8_t c;

	for (i = 0; i <= total; i++) {
		size_t n = 0, k, l;

		if (i < total) {
			l = encap_entry(q, pre, npre, i, fl, null_term, NULL,
			    &c);
			if (l == SIZE_MAX)
				continue;
			n = l + 2;
			any = true;
			if (enc + n <= 255) {
				enc += n;
				continue;
			}
		} else if (enc == 0)
			break;
		/* emit entries start..i-1 (and END after the last group) */
		for (k = 0; start < i; start++) {
			l = encap_entry(q, pre, npre, start, fl, null_term,
			    buf + k + 2, &c);
			if (l == SIZE_MAX)
				continue;
			buf[k] = c;
			buf[k + 1] = (uint8_t)l;
			k += 2 + l;
		}
		if (i == total)
			buf[k++] = DHCP_OPT_END;
		put(q, o, code, buf, k);
		enc = n;
		start = i;
	}
	return any;
}

static bool
do_encap(struct req *q, struct dhcp_out *o, uint8_t fl, unsigned code,
    bool null_term)
{
	return do_encap_pre(q, o, fl, code, null_term, NULL, 0);
}

/* Groups of encap:N and vi-encap:E entries. */
static void
do_encap_groups(struct req *q, struct dhcp_out *o, bool null_term)
{
	struct dhcp_server *srv = q->srv;
	const unsigned kinds = CONF_DHCPOPT_ENCAP | CONF_DHCPOPT_VI_ENCAP;
	unsigned i, j;

	for (i = 0; i < srv->nopts; i++)
		srv->oflags[i] &= (uint8_t)~OF_EDONE;
	for (i = 0; i < srv->nopts; i++) {
		const struct conf_dhcp_opt *g = srv->opts[i];
		unsigned fl = g->flags & kinds;
		size_t len = 0;
		bool found = false;

		if (fl == 0 || (g->flags & CONF_DHCPOPT_VENDOR) ||
		    (srv->oflags[i] & OF_EDONE))
			continue;
		for (j = 0; j < srv->nopts; j++) {
			const struct conf_dhcp_opt *x = srv->opts[j];
			unsigned outer = (fl & CONF_DHCPOPT_ENCAP) ? x->encap :
			    125;

			srv->oflags[j] &= (uint8_t)~OF_EMATCH;
			if (!(x->flags & fl) ||
			    (x->flags & CONF_DHCPOPT_VENDOR) ||
			    x->encap != g->encap)
				continue;
			srv->oflags[j] |= OF_EDONE;
			if (tag_expr_match(&q->otags, &x->tags, true) &&
			    ((x->flags & CONF_DHCPOPT_FORCE) ||
			    in_prl(q, outer))) {
				srv->oflags[j] |= OF_EMATCH;
				found = true;
				len += do_opt(x, NULL, NULL, false) + 2;
			}
		}
		if (!found)
			continue;
		if (fl & CONF_DHCPOPT_ENCAP)
			do_encap(q, o, OF_EMATCH, g->encap, null_term);
		else if (len > 250)
			qlog(q, LOG_WARNING, "cannot send RFC3925 option: too "
			    "many options for enterprise number %d",
			    (int)g->encap);
		else {
			uint8_t b[260];
			size_t k = 5;

			b[0] = (uint8_t)(g->encap >> 24);
			b[1] = (uint8_t)(g->encap >> 16);
			b[2] = (uint8_t)(g->encap >> 8);
			b[3] = (uint8_t)g->encap;
			b[4] = (uint8_t)len;
			for (j = 0; j < srv->nopts; j++)
				if (srv->oflags[j] & OF_EMATCH) {
					b[k] = (uint8_t)srv->opts[j]->code;
					b[k + 1] = (uint8_t)do_opt(srv->opts[j],
					    b + k + 2, NULL, false);
					k += 2 + b[k + 1];
				}
			put(q, o, 125, b, k);
		}
	}
}

/* prune_vendor_opts(): vendor entries whose tags fail; true when one
 * left is forced. */
static bool
prune_vendor_opts(struct req *q)
{
	struct dhcp_server *srv = q->srv;
	bool force = false;
	unsigned i;

	for (i = 0; i < srv->nopts; i++) {
		if (!(srv->oflags[i] & OF_VMATCH))
			continue;
		if (!tag_expr_match(&q->otags, &srv->opts[i]->tags, true))
			srv->oflags[i] &= (uint8_t)~OF_VMATCH;
		else if (srv->opts[i]->flags & CONF_DHCPOPT_FORCE)
			force = true;
	}
	return force;
}

/* find_boot(): the newest dhcp-boot whose tags match, else the newest
 * without tags. */
static const struct conf_dhcp_boot *
find_boot(const struct req *q)
{
	const struct dhcp_server *srv = q->srv;
	const struct conf_dhcp_boot *b = NULL;
	unsigned i;

	for (i = 0; i < srv->nboots && b == NULL; i++)
		if (tag_expr_match(&q->otags, &srv->boots[i]->filter, false))
			b = srv->boots[i];
	for (i = 0; i < srv->nboots && b == NULL; i++)
		if (tag_expr_match(&q->otags, &srv->boots[i]->filter, true))
			b = srv->boots[i];
	trace_pick(q, DHCP_TRACE_BOOT, NULL, b, &q->otags);
	return b;
}

/* A server name of pxe-service or dhcp-boot (a_record_from_hosts): a
 * name the hosts files do not hold is logged as a warning every time, as
 * dnsmasq does (also when DNS is off: then no hosts file is read). */
static struct in_addr
host_addr(struct req *q, const char *name)
{
	struct in_addr a = { 0 };

	if (q->srv->hooks.host_addr == NULL ||
	    !q->srv->hooks.host_addr(q->srv->hooks.ctx, name, &a)) {
		a.s_addr = 0;
		qlog(q, LOG_WARNING, "No IPv4 address found for %s", name);
	}
	return a;
}

/* An option value as a C string, as dnsmasq's safe_strncpy reads it. */
static const char *
opt_text(const struct conf_dhcp_opt *x, char *buf, size_t size)
{
	size_t n = x->v.len < size - 1 ? x->v.len : size - 1;

	if (x->v.val != NULL)
		memcpy(buf, x->v.val, n);
	else
		n = 0;
	buf[n] = '\0';
	return buf;
}

/* dhcp-boot (or options 66/67/255 without it): names into options when
 * requested, else into the sname/file fields; siaddr. */
static void
do_boot(struct req *q, struct dhcp_out *o, bool *done_file,
    bool *done_server)
{
	const struct conf_dhcp_boot *boot = find_boot(q);
	bool move = !flag(q, CONF_KW_DHCP_NO_OVERRIDE) && q->has_prl;
	const struct conf_dhcp_opt *x;
	char name[256];

	if (boot != NULL) {
		if (boot->sname != NULL) {
			if (move && in_prl(q, DHCP_OPT_TFTP_SERVER))
				put_str(q, o, DHCP_OPT_TFTP_SERVER, boot->sname,
				    true);
			else
				(void)dhcp_out_sname(o, boot->sname);
		}
		if (boot->file != NULL) {
			if (move && in_prl(q, DHCP_OPT_BOOTFILE))
				put_str(q, o, DHCP_OPT_BOOTFILE, boot->file,
				    true);
			else
				(void)dhcp_out_file(o, boot->file);
		}
		if (boot->next_server.s_addr != 0)
			dhcp_out_siaddr(o, boot->next_server);
		else if (boot->tftp_sname != NULL)
			dhcp_out_siaddr(o, host_addr(q, boot->tftp_sname));
		return;
	}
	if ((!q->has_prl || !in_prl(q, DHCP_OPT_BOOTFILE)) &&
	    (x = opt_find2(q, DHCP_OPT_BOOTFILE)) != NULL &&
	    !(x->flags & CONF_DHCPOPT_FORCE)) {
		(void)dhcp_out_file(o, opt_text(x, name, sizeof(name)));
		*done_file = true;
	}
	if ((!q->has_prl || !in_prl(q, DHCP_OPT_TFTP_SERVER)) &&
	    (x = opt_find2(q, DHCP_OPT_TFTP_SERVER)) != NULL &&
	    !(x->flags & CONF_DHCPOPT_FORCE)) {
		(void)dhcp_out_sname(o, opt_text(x, name, sizeof(name)));
		*done_server = true;
	}
	if ((x = opt_find2(q, 255)) != NULL && x->v.len >= 4)
		dhcp_out_siaddr(o, addr_at(x->v.val));
}

/* T1 and T2 (58, 59): half and 7/8 of the lease unless configured
 * within it; renewals move both back by a random amount. */
static void
do_times(struct req *q, struct dhcp_out *o, uint32_t lease_time,
    uint16_t fuzz)
{
	uint32_t t1 = lease_time / 2, t2 = (uint32_t)(((uint64_t)lease_time *
	    7) / 8), h;
	const struct conf_dhcp_opt *x;

	if (lease_time == 0xffffffffu)
		return;
	if ((x = opt_find2(q, DHCP_OPT_T1)) != NULL && x->v.len == 4 &&
	    (h = be32(x->v.val)) < lease_time && h > 2)
		t1 = h;
	if ((x = opt_find2(q, DHCP_OPT_T2)) != NULL && x->v.len == 4 &&
	    (h = be32(x->v.val)) < lease_time && h > 2)
		t2 = h;
	if (t2 <= t1)
		t1 = t2 - 1;
	while (fuzz > t1 / 8)
		fuzz /= 2;
	t1 -= fuzz;
	t2 -= fuzz;
	put_u32(q, o, DHCP_OPT_T1, t1);
	put_u32(q, o, DHCP_OPT_T2, t2);
}

static bool
dns_on_53(const struct req *q)
{
	return q->cf->dns == NULL || q->cf->dns->port == 53;
}

/* Network defaults: netmask and broadcast always, router and DNS when
 * requested; configured entries replace them. */
static void
do_defaults(struct req *q, struct dhcp_out *o, int ctx)
{
	const struct dhcp_range_state *s;

	if (ctx < 0)
		return;
	s = &q->srv->pool.rs[ctx];
	if (opt_find2(q, DHCP_OPT_NETMASK) == NULL)
		put_addr(q, o, DHCP_OPT_NETMASK, s->netmask);
	if (s->broadcast.s_addr != 0 &&
	    opt_find2(q, DHCP_OPT_BROADCAST) == NULL)
		put_addr(q, o, DHCP_OPT_BROADCAST, s->broadcast);
	if (s->router.s_addr != 0 && in_prl(q, DHCP_OPT_ROUTER) &&
	    opt_find2(q, DHCP_OPT_ROUTER) == NULL)
		put_addr(q, o, DHCP_OPT_ROUTER, s->router);
	if (dns_on_53(q) && in_prl(q, DHCP_OPT_DNS) &&
	    opt_find2(q, DHCP_OPT_DNS) == NULL)
		put_addr(q, o, DHCP_OPT_DNS, s->local);
}

/* A DNS name as RFC 1035 labels (no final zero), as do_rfc1035_name. */
static size_t
put_labels(uint8_t *p, const char *s)
{
	size_t k = 0;

	while (s != NULL && *s != '\0') {
		size_t at = k++, j = 0;

		for (; *s != '\0' && *s != '.'; s++, j++)
			p[k++] = (uint8_t)*s;
		p[at] = (uint8_t)j;
		if (*s == '.')
			s++;
	}
	return k;
}

/* Client FQDN reply (81), flags with the MBZ bits cleared. */
static void
do_fqdn(struct req *q, struct dhcp_out *o, const char *hostname,
    const char *domain)
{
	uint8_t b[600];
	size_t k = 3;
	uint8_t f = q->fqdn_flags;

	if (strlen(hostname) + (domain != NULL ? strlen(domain) : 0) > 500)
		return;
	b[0] = f & 0x0f;
	b[1] = 255;
	b[2] = 255;
	if (f & 0x04) {
		k += put_labels(b + k, hostname);
		if (domain != NULL) {
			k += put_labels(b + k, domain);
			b[k++] = 0;
		}
	} else {
		memcpy(b + k, hostname, strlen(hostname));
		k += strlen(hostname);
		if (domain != NULL) {
			b[k++] = '.';
			memcpy(b + k, domain, strlen(domain));
			k += strlen(domain);
		}
		if (q->borken)
			b[k++] = 0;
	}
	if (k <= 255)
		put(q, o, DHCP_OPT_FQDN, b, k);
}

/* Options 0, 52, 57, 58, 59, 81 and 255 never come from the config. */
static bool
opt_internal(int code)
{
	return code == DHCP_OPT_FQDN || code == DHCP_OPT_MAX_SIZE ||
	    code == DHCP_OPT_OVERLOAD || code == DHCP_OPT_PAD ||
	    code == DHCP_OPT_END || code == DHCP_OPT_T1 || code == DHCP_OPT_T2;
}

/* For these an empty dhcp-option means "do not send the default". */
static bool
opt_default_suppressor(const struct conf_dhcp_opt *x)
{
	int c = x->code;

	return x->v.len == 0 && (c == DHCP_OPT_NETMASK ||
	    c == DHCP_OPT_BROADCAST || c == DHCP_OPT_ROUTER ||
	    c == DHCP_OPT_DNS || c == DHCP_OPT_DOMAIN ||
	    c == DHCP_OPT_HOSTNAME);
}

/* The configured options that won, in dnsmasq's list order.  True when
 * an option 60 was sent. */
static bool
do_config_opts(struct req *q, struct dhcp_out *o, int ctx, bool done_file,
    bool done_server)
{
	struct dhcp_server *srv = q->srv;
	const struct in_addr *local = ctx >= 0 ? &srv->pool.rs[ctx].local :
	    NULL;
	bool sent60 = false;
	unsigned i;

	for (i = 0; i < srv->nopts; i++) {
		const struct conf_dhcp_opt *x = srv->opts[i];
		int code = x->code;
		bool nt = q->borken;
		uint8_t b[260];
		size_t len;

		if (!(srv->oflags[i] & OF_TAGOK))
			continue;
		if (!(x->flags & CONF_DHCPOPT_FORCE) &&
		    (code > 255 || !in_prl(q, (unsigned)code)))
			continue;
		if (opt_internal(code) ||
		    (code == DHCP_OPT_TFTP_SERVER && done_server) ||
		    (code == DHCP_OPT_BOOTFILE && done_file) ||
		    opt_default_suppressor(x))
			continue;
		/* vendor-class comes from elsewhere for PXE */
		if (q->pxearch != -1 && code == DHCP_OPT_VENDOR_CLASS)
			continue;
		/* buggy PXE ROMs: names always NUL-terminated */
		if (code == DHCP_OPT_TFTP_SERVER || code == DHCP_OPT_BOOTFILE)
			nt = true;
		len = do_opt(x, b, local, nt);
		if (!put(q, o, (unsigned)code, b, len))
			continue;
		/* sending a vendor class re-decides the vendor: options */
		if (code == DHCP_OPT_VENDOR_CLASS) {
			match_vendor_opts(q, b, len);
			sent60 = true;
		}
	}
	return sent60;
}

/* pxe_misc(): option 60 = the matched PXE vendor string, option 97
 * echoed when the client sent 17 bytes. */
static void
pxe_misc(struct req *q, struct dhcp_out *o)
{
	put_str(q, o, DHCP_OPT_VENDOR_CLASS,
	    q->pxevendor != NULL ? q->pxevendor : "PXEClient", false);
	if (q->uuid != NULL)
		put(q, o, 97, q->uuid, 17);
}

/* The boot server of a menu entry: ours for a basename service. */
static struct in_addr
pxe_server(struct req *q, const struct conf_pxe_service *s,
    struct in_addr local)
{
	if (s->basename != NULL)
		return local;
	if (s->sname != NULL)
		return host_addr(q, s->sname);
	return s->has_server ? s->server : (struct in_addr){ 0 };
}

/* pxe_opts(): the synthetic sub-options of the menu for the client's
 * architecture; their count (0 when the menu is too large). */
static size_t
pxe_build(struct req *q, const struct tag_set *tags, struct in_addr local,
    struct pxe_menu *m, struct pxe_sub subs[4])
{
	const struct conf_pxe_service *s;
	bool have_prompt = false;
	unsigned i;

	pxe_menu_init(m);
	for (s = q->cf->pxe->services; s != NULL; s = s->next) {
		if (s->csa != q->pxearch ||
		    !tag_expr_match(tags, &s->tags, true))
			continue;
		if (pxe_menu_add(m, s->type, s->menu,
		    pxe_server(q, s, local)) < 0) {
			qlog(q, LOG_ERR, "PXE menu too large");
			return 0;
		}
	}
	for (i = 0; i < q->srv->nopts; i++)
		if ((q->srv->oflags[i] & OF_VMATCH) &&
		    q->srv->opts[i]->code == PXE_SUB_PROMPT)
			have_prompt = true;
	return pxe_menu_subs(m, have_prompt, subs);
}

/* pxe_uefi_workaround(): for arch >= 6 the only basename service of the
 * client's architecture, or NULL (none, or more than one). */
static const struct conf_pxe_service *
pxe_uefi_one(const struct req *q, const struct tag_set *tags)
{
	const struct conf_pxe_service *s, *found = NULL;

	if (q->pxearch < 6)
		return NULL;
	for (s = q->cf->pxe->services; s != NULL; s = s->next)
		if (s->csa == q->pxearch && s->basename != NULL &&
		    tag_expr_match(tags, &s->tags, true)) {
			if (found != NULL)
				return NULL;
			found = s;
		}
	return found;
}

/* On port 4011 the single UEFI service goes into siaddr, sname, file. */
static void
pxe_uefi_fill(struct req *q, struct dhcp_out *o,
    const struct conf_pxe_service *s, struct in_addr local)
{
	char name[PXE_FILE_MAX];
	struct in_addr a;

	if (s->sname != NULL) {
		a = host_addr(q, s->sname);
		(void)dhcp_out_sname(o, s->sname);
	} else {
		a = s->has_server && s->server.s_addr != 0 ? s->server : local;
		inet_ntop(AF_INET, &a, name, sizeof(name));
		(void)dhcp_out_sname(o, name);
	}
	dhcp_out_siaddr(o, a);
	pxe_boot_file(name, s->basename, 0);
	(void)dhcp_out_file(o, name);
}

/*
 * PXE part of do_options(): option 60 ("PXEClient"), 97 and, unless the
 * UEFI single-service rule applies, the menu sub-options that go before
 * the configured vendor options in 43.  Returns their count.
 */
static size_t
pxe_options_hook(struct req *q, struct dhcp_out *o, int ctx,
    struct pxe_menu *m, struct pxe_sub subs[4])
{
	struct in_addr local = q->srv->pool.rs[ctx].local;

	pxe_misc(q, o);
	if (pxe_uefi_one(q, &q->otags) != NULL)
		return 0;
	return pxe_build(q, &q->otags, local, m, subs);
}

/* do_options(). */
static void
do_options(struct req *q, struct dhcp_out *o, int ctx, const char *hostname,
    const char *domain, uint32_t lease_time, uint16_t fuzz)
{
	struct dhcp_server *srv = q->srv;
	const struct conf_dhcp_taglist *b;
	bool done_file = false, done_server = false, sent60, force_encap;
	struct pxe_menu menu;
	struct pxe_sub subs[4];
	size_t nsub = 0;

	option_filter(q, ctx);
	if (q->logopts && q->has_prl)
		dhcp_log_prl(srv_log_line, srv, q->xid, q->prl, q->prl_len);
	for (b = q->cf->dhcp->broadcasts; b != NULL; b = b->next)
		if (b->tags.n == 0 ||
		    tag_expr_match(&q->netid, &b->tags, false)) {
			out_set_broadcast(o);
			break;
		}
	if (ctx >= 0)
		dhcp_out_siaddr(o, srv->pool.rs[ctx].local);
	do_boot(q, o, &done_file, &done_server);
	/* dhcp-no-override: no option overload (the codec allows it only
	 * with a request list and a message type, as dnsmasq) */
	if (flag(q, CONF_KW_DHCP_NO_OVERRIDE))
		o->allow_overload = false;
	if (q->subnet_addr.s_addr != 0)
		put_addr(q, o, DHCP_OPT_SUBNET_SELECT, q->subnet_addr);
	do_times(q, o, lease_time, fuzz);
	do_defaults(q, o, ctx);
	if (domain != NULL && in_prl(q, DHCP_OPT_DOMAIN) &&
	    opt_find2(q, DHCP_OPT_DOMAIN) == NULL)
		put_str(q, o, DHCP_OPT_DOMAIN, domain, q->borken);
	if (hostname != NULL) {
		if (in_prl(q, DHCP_OPT_HOSTNAME) &&
		    opt_find2(q, DHCP_OPT_HOSTNAME) == NULL)
			put_str(q, o, DHCP_OPT_HOSTNAME, hostname, q->borken);
		if (q->fqdn_flags != 0)
			do_fqdn(q, o, hostname, domain);
	}
	sent60 = do_config_opts(q, o, ctx, done_file, done_server);
	do_encap_groups(q, o, q->borken);
	force_encap = prune_vendor_opts(q);
	if (ctx >= 0 && q->pxearch != -1)
		nsub = pxe_options_hook(q, o, ctx, &menu, subs);
	if ((force_encap || in_prl(q, DHCP_OPT_VENDOR_ENCAP)) &&
	    do_encap_pre(q, o, OF_VMATCH, DHCP_OPT_VENDOR_ENCAP, q->borken,
	    subs, (unsigned)nsub) &&
	    q->pxearch == -1 && !sent60 && q->vclass_len != 0)
		/* 43 sent, no 60 from us: echo the client's */
		put(q, o, DHCP_OPT_VENDOR_CLASS, q->vclass, q->vclass_len);
}

/* --- request classification ---------------------------------------------- */

static struct in_addr
server_id(const struct req *q, int ctx)
{
	if (q->override.s_addr != 0)
		return q->override;
	if (ctx >= 0 && q->srv->pool.rs[ctx].local.s_addr != 0)
		return q->srv->pool.rs[ctx].local;
	return q->fallback;
}

static int
chain_head(const struct req *q)
{
	return q->chain.n > 0 ? q->chain.v[0] : -1;
}

/* TR-069 devices: option 125 for the Broadband Forum with an OUI and a
 * serial number set the tag cpewan-id. */
static void
find_cpewan(struct req *q)
{
	const struct dhcp_optval *o = opt_find(q, 125, 5);
	size_t off, len;

	if (o == NULL)
		return;
	len = o->len;
	for (off = 0; off + 5 < len; off += (size_t)o->p[off + 4] + 5) {
		size_t elen = o->p[off + 4];
		const uint8_t *x = o->p + off + 5;

		if (be32(o->p + off) != BRDBAND_FORUM_IANA ||
		    off + elen + 5 > len)
			continue;
		/* OUI, serial and class: the dhcp-script's CPEWAN_* */
		q->cpe[0] = dhcp_subopt(x, elen, 1, 1, &q->cpe_len[0]);
		q->cpe[1] = dhcp_subopt(x, elen, 2, 1, &q->cpe_len[1]);
		q->cpe[2] = dhcp_subopt(x, elen, 3, 1, &q->cpe_len[2]);
		if (q->cpe[0] != NULL && q->cpe[1] != NULL)
			tag_set_add_name(&q->netid, &q->srv->tn, "cpewan-id");
		break;
	}
}

/* Option 82: echoed last; RFC 3527 link selection; RFC 5107 override. */
static void
find_agent(struct req *q)
{
	const struct dhcp_optval *o = opt_find(q, DHCP_OPT_AGENT, 1);
	const uint8_t *s;

	if (o == NULL)
		return;
	q->agent = true;
	if ((s = dhcp_subopt(o->p, o->len, 5, 4, NULL)) != NULL)
		q->subnet_addr = addr_at(s);
	if ((s = dhcp_subopt(o->p, o->len, 11, 4, NULL)) != NULL)
		q->override = addr_at(s);
}

/* The DHCP-only part of the first block of dhcp_reply(). */
static void
classify_dhcp(struct req *q)
{
	const struct dhcp_optval *o;

	/* buggy clients set ciaddr when they should not */
	if (opt_find(q, DHCP_OPT_REQ_ADDR, 4) != NULL ||
	    q->mess_type == DHCP_DISCOVER)
		q->ciaddr.s_addr = 0;
	find_cpewan(q);
	find_agent(q);
	if (q->subnet_addr.s_addr == 0 &&
	    (o = opt_find(q, DHCP_OPT_SUBNET_SELECT, 4)) != NULL)
		q->subnet_addr = addr_at(o->p);
	if (!flag(q, CONF_KW_DHCP_IGNORE_CLID) &&
	    (o = opt_find(q, DHCP_OPT_CLIENT_ID, 1)) != NULL) {
		q->clid = o->p;
		q->clid_len = o->len;
	}
	q->lease = lease_by_client(q, q->clid, q->clid_len);
	/* a client that dropped its client id keeps the remembered one
	 * (copied: the lease may go before the request is done) */
	if (q->lease != NULL && q->clid == NULL && q->lease->clid_len != 0) {
		memcpy(q->clid_buf, q->lease->clid, q->lease->clid_len);
		q->clid = q->clid_buf;
		q->clid_len = q->lease->clid_len;
	}
	q->emac = dhcp_ext_hwaddr(q->m->htype, q->m->hlen, q->m->chaddr,
	    q->clid, q->clid_len, &q->emac_len);
}

/* dhcp-mac: masked hardware address matches. */
static void
tag_macs(struct req *q)
{
	const struct dhcp_msg *m = q->m;
	unsigned k;

	for (k = 0; k < q->srv->nmacs; k++) {
		const struct conf_dhcp_mac *x = q->srv->macs[k];
		size_t i;

		if (x->hw.len != m->hlen ||
		    (x->hw.type != 0 && (unsigned)x->hw.type != m->htype))
			continue;
		for (i = 0; i < m->hlen; i++)
			if (!(i < 32 && ((x->hw.wild >> i) & 1)) &&
			    x->hw.addr[i] != m->chaddr[i])
				break;
		if (i < m->hlen)
			continue;
		if (x->set.n > 0)
			tag_set_add_list(&q->netid, &x->set);
		else
			tag_set_add_name(&q->netid, &q->srv->tn, "");
		trace_tags(q, "dhcp-mac", &x->src, &x->set, -1, NULL);
	}
}

/* 2.1: the candidate ranges.  False: none (logged). */
static bool
find_ranges(struct req *q)
{
	struct dhcp_pool *p = &q->srv->pool;
	const struct dhcp_iface *ifc = q->rx->iface;
	const struct dhcp_msg *m = q->m;
	char a[INET_ADDRSTRLEN];
	unsigned i;

	q->chain.v = q->srv->chain_buf;
	dhcp_pool_iface(p, ifc->addrs, ifc->naddrs, &q->chain);
	if (m->giaddr.s_addr != 0 || q->subnet_addr.s_addr != 0 ||
	    q->ciaddr.s_addr != 0) {
		if (q->subnet_addr.s_addr != 0)
			dhcp_pool_remote(p, &q->chain, q->subnet_addr, true,
			    false, m->giaddr, q->fallback);
		else if (m->giaddr.s_addr != 0)
			dhcp_pool_remote(p, &q->chain, m->giaddr, true, true,
			    m->giaddr, q->fallback);
		else
			dhcp_pool_remote(p, &q->chain, q->ciaddr, false, false,
			    m->giaddr, q->fallback);
	}
	if (q->chain.n == 0) {
		if (q->subnet_addr.s_addr != 0) {
			inet_ntop(AF_INET, &q->subnet_addr, a, sizeof(a));
			qlog(q, LOG_WARNING, "no address range available for "
			    "DHCP request with subnet selector %s", a);
		} else if (m->giaddr.s_addr != 0) {
			inet_ntop(AF_INET, &m->giaddr, a, sizeof(a));
			qlog(q, LOG_WARNING, "no address range available for "
			    "DHCP request via %s", a);
		} else
			qlog(q, LOG_WARNING, "no address range available for "
			    "DHCP request via %.*s", INET_ADDRSTRLEN - 1,
			    ifc->name);
		return false;
	}
	for (i = 0; q->logopts && i < q->chain.n; i++) {
		const struct conf_dhcp_range *r = p->range[q->chain.v[i]];
		char b[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &r->start, a, sizeof(a));
		if (r->flags &
		    (CONF_DHCP_RANGE_STATIC | CONF_DHCP_RANGE_PROXY)) {
			inet_ntop(AF_INET, &p->rs[q->chain.v[i]].netmask, b,
			    sizeof(b));
			qlog(q, LOG_INFO, "%u available DHCP subnet: %s/%s",
			    q->xid, a, b);
		} else {
			inet_ntop(AF_INET, &r->end, b, sizeof(b));
			qlog(q, LOG_INFO, "%u available DHCP range: %s -- %s",
			    q->xid, a, b);
		}
	}
	return true;
}

/* match_bytes() of dhcp-match (see conf_dhcpopt.h). */
static bool
match_bytes(const struct conf_dhcp_match *x, const uint8_t *p, size_t len)
{
	const struct conf_dhcpopt_value *v = &x->v;
	size_t i;

	if (v->len > len)
		return false;
	if (v->len == 0)
		return true;
	if (v->kind == CONF_DHCPOPT_HEX) {
		for (i = 0; i < v->len; i++)
			if (!(v->wild != NULL && v->wild[i]) &&
			    v->val[i] != p[i])
				return false;
		return true;
	}
	for (i = 0; i + v->len <= len;) {
		if (memcmp(v->val, p + i, v->len) == 0)
			return true;
		i += v->kind == CONF_DHCPOPT_TEXT ? 1 : v->len;
	}
	return false;
}

/* dhcp-match vi-encap:E: a sub-option of option 125 for E. */
static bool
match_vi(struct req *q, const struct conf_dhcp_match *x)
{
	const struct dhcp_optval *o = opt_find(q, 125, 5);
	size_t off, o2;

	if (o == NULL)
		return false;
	for (off = 0; off + 5 < o->len; off += (size_t)o->p[off + 4] + 5) {
		size_t len = o->p[off + 4];

		if (off + len + 5 > o->len || be32(o->p + off) != x->enterprise)
			continue;
		for (o2 = off + 5; o2 < off + len + 5;
		    o2 += (size_t)o->p[o2] + 1) {
			size_t elen = o->p[o2];

			if (o2 + elen + 1 <= o->len &&
			    match_bytes(x, o->p + o2 + 1, elen))
				return true;
		}
	}
	return false;
}

static void
tag_matches(struct req *q)
{
	unsigned k;

	for (k = 0; k < q->srv->nmatches; k++) {
		const struct conf_dhcp_match *x = q->srv->matches[k];
		const struct dhcp_optval *o;
		bool hit;

		if (x->vi_encap)
			hit = match_vi(q, x);
		else
			hit = x->code >= 0 && x->code <= 255 &&
			    (o = opt_find(q, (unsigned)x->code, 1)) != NULL &&
			    match_bytes(x, o->p, o->len);
		if (hit) {
			tag_set_add_id(&q->netid, x->tag);
			trace_tags(q, "dhcp-match", &x->src, NULL, x->tag,
			    NULL);
		}
	}
}

/* Option 77 with RFC 3004 counts zeroed when they add up (dnsmasq does
 * this in the packet; we work on a copy). */
static const uint8_t *
user_class(struct req *q, size_t *len)
{
	const struct dhcp_optval *o = opt_find(q, DHCP_OPT_USER_CLASS, 1);
	uint8_t *u = q->srv->ucbuf;
	size_t j;

	if (o == NULL)
		return NULL;
	memcpy(u, o->p, o->len);
	*len = o->len;
	for (j = 0; j < o->len; j += (size_t)u[j] + 1)
		;
	if (j == o->len)
		for (j = 0; j < o->len;) {
			size_t next = j + u[j] + 1;

			u[j] = 0;
			j = next;
		}
	return u;
}

static bool
substr(const uint8_t *hay, size_t hlen, const uint8_t *needle, size_t nlen)
{
	size_t i;

	for (i = 0; nlen <= hlen && i <= hlen - nlen; i++)
		if (memcmp(needle, hay + i, nlen) == 0)
			return true;
	return false;
}

/* dhcp-vendorclass / dhcp-userclass, newest first as dnsmasq. */
static void
tag_classes(struct req *q, const uint8_t *uc, size_t uclen)
{
	unsigned i;

	for (i = 0; i < q->srv->nclasses; i++) {
		const struct conf_dhcp_class *c = q->srv->classes[i];
		const uint8_t *v = NULL;
		size_t vlen = 0;

		if (c->kind == CONF_DHCP_CLASS_VENDOR && q->vclass != NULL) {
			v = q->vclass;
			vlen = q->vclass_len;
		} else if (c->kind == CONF_DHCP_CLASS_USER && uc != NULL) {
			v = uc;
			vlen = uclen;
		}
		if (v == NULL || !substr(v, vlen, c->data, c->len))
			continue;
		if (c->set.n > 0)
			tag_set_add_list(&q->netid, &c->set);
		else
			tag_set_add_name(&q->netid, &q->srv->tn, "");
		trace_tags(q, c->kind == CONF_DHCP_CLASS_VENDOR ?
		    "dhcp-vendorclass" : "dhcp-userclass", &c->src, &c->set,
		    -1, NULL);
	}
}

/* Tags from the client's options, vendor-option matching, the log lines
 * of vendor and user class. */
static void
tag_options(struct req *q)
{
	const struct dhcp_optval *o;
	const uint8_t *uc;
	size_t uclen = 0;
	char buf[DHCP_LOG_LINE_MAX];

	tag_matches(q);
	uc = user_class(q, &uclen);
	if ((o = opt_find(q, DHCP_OPT_VENDOR_CLASS, 1)) != NULL) {
		q->vclass = o->p;
		q->vclass_len = o->len;
	}
	tag_classes(q, uc, uclen);
	match_vendor_opts(q, q->vclass, q->vclass_len);
	if (!q->logopts)
		return;
	if (q->vclass != NULL)
		qlog(q, LOG_INFO, "%u vendor class: %s", q->xid,
		    log_sanitise(buf, sizeof(buf), q->vclass, q->vclass_len));
	if (uc != NULL)
		qlog(q, LOG_INFO, "%u user class: %s", q->xid,
		    log_sanitise(buf, sizeof(buf), uc, uclen));
}

/* dhcp-host, then the known / known-othernet tag. */
static void
find_host(struct req *q)
{
	struct dhcp_pool *p = &q->srv->pool;
	const struct dhcp_msg *m = q->m;
	struct tag_set t = q->netid;
	int other;

	tag_if_run(&t, &q->srv->tn, q->cf->dhcp->tagifs);
	q->host = dhcp_pool_find_host(p, &q->chain, q->clid, q->clid_len,
	    m->chaddr, m->hlen, m->htype, NULL, &t);
	if (q->host >= 0) {
		tag_set_add_name(&q->netid, &q->srv->tn, "known");
		trace_tags(q, "dhcp-host", &p->host[q->host]->src, NULL, -1,
		    "known");
	} else if ((other = dhcp_pool_find_host(p, NULL, q->clid,
	    q->clid_len, m->chaddr, m->hlen, m->htype, NULL, &t)) >= 0) {
		tag_set_add_name(&q->netid, &q->srv->tn, "known-othernet");
		trace_tags(q, "dhcp-host", &p->host[other]->src, NULL, -1,
		    "known-othernet");
	}
}

static const struct conf_dhcp_host *
host_of(const struct req *q)
{
	return q->host >= 0 ? q->srv->pool.host[q->host] : NULL;
}

static bool
host_has(const struct req *q, unsigned fl)
{
	const struct conf_dhcp_host *h = host_of(q);

	return h != NULL && (h->flags & fl) != 0;
}

/* dhcp-ignore: every tag of one entry present. */
static bool
ignored(const struct req *q, const struct tag_set *tags)
{
	const struct conf_dhcp_taglist *x;

	for (x = q->cf->dhcp->ignores; x != NULL; x = x->next)
		if (tag_expr_match(tags, &x->tags, false))
			return true;
	return false;
}

/* Range tag + tag-if once the range is known. */
static void
tags_with_range(struct req *q, int ctx)
{
	const struct conf_dhcp_range *r = q->srv->pool.range[ctx];

	if (r->set.n == 0)
		return;
	q->tagif = q->netid;
	tag_set_add_list(&q->tagif, &r->set);
	tag_if_run(&q->tagif, &q->srv->tn, q->cf->dhcp->tagifs);
}

/* calc_time(): dhcp-host, else range lease; the client may ask less. */
static uint32_t
calc_time(struct req *q, int ctx)
{
	const struct conf_dhcp_host *h = host_of(q);
	const struct dhcp_optval *o = opt_find(q, DHCP_OPT_LEASE_TIME, 4);
	uint32_t t = (h != NULL && (h->flags & CONF_DHCP_HOST_LEASE)) ?
	    h->lease : q->srv->pool.range[ctx]->lease;

	if (o != NULL) {
		uint32_t req = be32(o->p);

		if (req < 120)
			req = 120;
		if (t == 0xffffffffu || (req != 0xffffffffu && req < t))
			t = req;
	}
	return t;
}

static int64_t
expiry(const struct req *q, uint32_t t)
{
	if (t == 0xffffffffu)
		return CLOCK_INFINITE_MS;
	return q->now->mono_ms + (int64_t)t * 1000;
}

/* dhcp-reply-delay: newest tagged entry that matches, else untagged. */
static void
apply_delay(struct req *q)
{
	const struct conf_dhcp_delay *d, *hit = NULL;
	unsigned pass;

	for (pass = 0; pass < 2 && hit == NULL; pass++)
		for (d = q->cf->dhcp->delays; d != NULL; d = d->next)
			if (tag_expr_match(&q->tagif, &d->filter, pass == 1))
				hit = d;	/* the last one read wins */
	if (hit == NULL)
		return;
	qlog(q, LOG_INFO, "%u reply delay: %d", q->xid, hit->delay);
	q->tx->delay_s = hit->delay > 0 ? (unsigned)hit->delay : 0;
}

/* lease_set_hostname(). */
static void
set_lease_name(struct req *q, struct lease *l, const char *name, bool auth,
    const char *cdomain)
{
	const char *dom = get_domain(q, l->addr);
	struct lease *other;

	if (cdomain != NULL && (dom == NULL || strcasecmp(dom, cdomain) != 0))
		qlog(q, LOG_WARNING, "Ignoring domain %s for DHCP host name %s",
		    cdomain, name);
	if (l->hostname[0] != '\0' && strcasecmp(l->hostname, name) == 0) {
		if (auth)
			l->flags |= DHCP_LEASE_AUTH_NAME;
		return;
	}
	if ((other = lease_find_by_name(q->srv->leases, name)) != NULL &&
	    other != l) {
		/* a client name may not take a configured one */
		if ((other->flags & DHCP_LEASE_AUTH_NAME) && !auth)
			return;
		/* kill_name(): its "old" with the lost name comes with
		 * l's events (ev_after_update) */
		snprintf(q->ev_other_lost, sizeof(q->ev_other_lost), "%s",
		    other->hostname);
		lease_set_hostname(other, "");
		lease_note(q, other, false);
		q->ev_other = other;
	}
	if (l->hostname[0] != '\0' && q->ev_lost[0] == '\0')
		snprintf(q->ev_lost, sizeof(q->ev_lost), "%s", l->hostname);
	q->ev_changed = true;
	lease_set_hostname(l, name);
	if (auth)
		l->flags |= DHCP_LEASE_AUTH_NAME;
}

/* lease_set_hwaddr(): the hardware address always, the client id only
 * when there is one. */
static int
set_lease_client(struct req *q, struct lease *l)
{
	const struct dhcp_msg *m = q->m;
	uint8_t clid[LEASE_CLID_MAX];
	size_t clen = 0;

	if (q->clid != NULL && q->clid_len > 0) {
		clen = q->clid_len > LEASE_CLID_MAX ? LEASE_CLID_MAX :
		    q->clid_len;
		memcpy(clid, q->clid, clen);
	} else if (l->clid_len != 0) {
		clen = l->clid_len;
		memcpy(clid, l->clid, clen);
	}
	return lease_set_client(q->srv->leases, l, m->htype, m->chaddr,
	    m->hlen, clen != 0 ? clid : NULL, clen);
}

static struct lease *
new_lease(struct req *q, struct in_addr a)
{
	struct lease *l;

	/* NULL also when dhcp-lease-max is reached (lease_table_set_max) */
	if ((l = lease_add(q->srv->leases, a)) == NULL)
		return NULL;
	q->ev_new = true;
	lease_set_expiry(l, CLOCK_INFINITE_MS);	/* set for real by the ACK */
	dhcp_pool_note_lease(&q->srv->pool, a);
	dhcp_pool_mark(&q->srv->pool, a, true);
	return l;
}

/* --- dhcp-script events --------------------------------------------------- */

/* What the script compares: dnsmasq's LEASE_CHANGED and LEASE_AUX_CHANGED
 * conditions are differences in these. */
struct lease_state {
	uint8_t htype, hlen, clid_len;
	uint8_t hwaddr[LEASE_HWADDR_MAX];
	uint8_t clid[LEASE_CLID_MAX];
	time_t expires;
	uint32_t ifindex;
};

static void
lease_state_get(const struct req *q, const struct lease *l,
    struct lease_state *st)
{
	if (q->srv->ev_fn == NULL)
		return;		/* nobody listens: nothing to compare */
	memset(st, 0, sizeof(*st));
	st->htype = l->htype;
	st->hlen = l->hlen;
	memcpy(st->hwaddr, l->hwaddr, sizeof(st->hwaddr));
	st->clid_len = l->clid_len;
	if (l->clid_len != 0)
		memcpy(st->clid, l->clid, l->clid_len);
	st->expires = clock_mono_to_wall(q->now, l->expires_ms);
	st->ifindex = l->ifindex;
}

/* The name as the script gets it: dnsmasq passes the lease's FQDN when
 * the address has a domain (lease_set_hostname() builds it). */
static const char *
ev_name(const struct dhcp_server *srv, const struct dhcp_iface *ifc,
    const struct lease *l, const char *name, char *buf, size_t bufsz)
{
	const char *dom;

	if (name == NULL || name[0] == '\0')
		return NULL;
	if ((dom = domain_of(srv, ifc, l->addr)) == NULL)
		return name;
	snprintf(buf, bufsz, "%s.%s", name, dom);
	return buf;
}

static void
ev_init(const struct dhcp_server *srv, const struct dhcp_iface *ifc,
    const struct lease *l, enum dhcp_lease_action a, const char *name,
    const struct clock_now *now, struct dhcp_lease_event *ev, char *buf,
    size_t bufsz)
{
	memset(ev, 0, sizeof(*ev));
	ev->action = a;
	ev->lease = l;
	ev->name = ev_name(srv, ifc, l, name, buf, bufsz);
	ev->expires = clock_mono_to_wall(now, l->expires_ms);
	/* queue_script(): difftime(expires, now) unless infinite */
	if (ev->expires != 0 && ev->expires > now->wall)
		ev->remaining = (uint32_t)(ev->expires - now->wall);
}

static void
ev_field(struct dhcp_lease_event *ev, enum dhcp_lease_field f,
    const uint8_t *p, size_t len)
{
	ev->field[f].p = p;
	ev->field[f].len = p != NULL ? len : 0;
}

static void
ev_opt(struct req *q, struct dhcp_lease_event *ev, enum dhcp_lease_field f,
    unsigned code)
{
	const struct dhcp_optval *o = opt_find(q, code, 1);

	if (o != NULL)
		ev_field(ev, f, o->p, o->len);
}

/* DNSMASQ_TAGS: the request's tags newest first, each once, separated
 * by spaces (rfc2131.c builds it from tagif_netid as log_tags() does). */
static size_t
ev_tags(const struct req *q, char *out, size_t outsz)
{
	const struct tag_set *s = &q->tagif;
	size_t used = 0, k;
	unsigned i;

	out[0] = '\0';
	for (i = s->n; i-- > 0;) {
		uint16_t e = s->order[i];
		const char *name = e >= TAG_EXTERN_BASE ?
		    s->ext[e - TAG_EXTERN_BASE] : q->srv->tn.tags->name[e];

		k = strlen(name);
		if (used + k + 2 > outsz)
			break;
		if (used != 0)
			out[used++] = ' ';
		memcpy(out + used, name, k + 1);
		used += k;
	}
	return used;
}

/* The client data dnsmasq keeps with a lease for its next script run
 * (rfc2131.c, "if (do_classes)"). */
static void
ev_extra(struct req *q, struct dhcp_lease_event *ev, char *prl, size_t prlsz,
    char *tags, size_t tagsz)
{
	const struct dhcp_optval *o;
	const uint8_t *s, *u;
	size_t i, used = 0, len;
	uint8_t n;

	ev->has_extra = true;
	ev_opt(q, ev, DHCP_LF_VENDOR_CLASS, DHCP_OPT_VENDOR_CLASS);
	ev_opt(q, ev, DHCP_LF_SUPPLIED_HOSTNAME, DHCP_OPT_HOSTNAME);
	for (i = 0; i < 3; i++)
		ev_field(ev, DHCP_LF_CPEWAN_OUI + i, q->cpe[i], q->cpe_len[i]);
	if ((o = opt_find(q, DHCP_OPT_AGENT, 1)) != NULL) {
		static const uint8_t sub[3] = { 1, 6, 2 };

		for (i = 0; i < 3; i++)
			if ((s = dhcp_subopt(o->p, o->len, sub[i], 1,
			    &n)) != NULL)
				ev_field(ev, DHCP_LF_CIRCUIT_ID + i, s, n);
	}
	if ((o = opt_find(q, DHCP_OPT_PRL, 1)) != NULL) {
		for (i = 0; i < o->len && used + 5 < prlsz; i++)
			used += (size_t)snprintf(prl + used, prlsz - used,
			    "%s%u", i != 0 ? "," : "", o->p[i]);
		ev_field(ev, DHCP_LF_REQUESTED_OPTIONS, (const uint8_t *)prl,
		    used);
	}
	ev_opt(q, ev, DHCP_LF_MUD_URL, 161);
	if ((len = ev_tags(q, tags, tagsz)) != 0)
		ev_field(ev, DHCP_LF_TAGS, (const uint8_t *)tags, len);
	/* option 77 as user_class() left it: counts zeroed; a leading
	 * zero (it started as counted strings) dropped */
	if ((u = user_class(q, &len)) != NULL) {
		if (len != 0 && u[0] == 0) {
			u++;
			len--;
		}
		ev->user_class.p = u;
		ev->user_class.len = len;
	}
}

/* Reports one event for l (name: its unqualified name, or NULL). */
static void
ev_emit(struct req *q, struct lease *l, enum dhcp_lease_action a,
    const char *name, bool extra)
{
	struct dhcp_lease_event ev;
	char nb[2 * 256], prl[256 * 4 + 1], tags[1024];

	if (q->srv->ev_fn == NULL)
		return;
	ev_init(q->srv, q->rx != NULL ? q->rx->iface : NULL, l, a, name,
	    q->now, &ev, nb, sizeof(nb));
	if (q->ev_bare_names && ev.name != NULL)
		ev.name = name;
	if (extra)
		ev_extra(q, &ev, prl, sizeof(prl), tags, sizeof(tags));
	q->srv->ev_fn(q->srv->ev_ctx, &ev);
}

/* After an ACK or BOOTP reply updated l (was: its state before): "add"
 * for a new lease, else "old" when dnsmasq's flags would say so; then the
 * lease that lost its name to l.  classes: the request carries client
 * data for the script (dnsmasq's do_classes). */
static void
ev_after_update(struct req *q, struct lease *l, const struct lease_state *was,
    bool classes)
{
	struct lease_state now;
	bool changed = q->ev_changed || classes, aux, exp;

	if (q->srv->ev_fn == NULL)
		return;
	/* do_script_run(): lost names first (the lease's own comes with the
	 * request's client data, which dnsmasq has attached by then), then
	 * the new or changed lease, then the one that lost its name */
	if (q->ev_lost[0] != '\0')
		ev_emit(q, l, DHCP_LEASE_OLD_HOSTNAME, q->ev_lost, classes);
	if (q->ev_other != NULL && q->ev_other != l &&
	    q->ev_other_lost[0] != '\0')
		ev_emit(q, q->ev_other, DHCP_LEASE_OLD_HOSTNAME,
		    q->ev_other_lost, false);
	lease_state_get(q, l, &now);
	exp = now.expires != was->expires;
	aux = exp || now.clid_len != was->clid_len ||
	    memcmp(now.clid, was->clid, now.clid_len) != 0;
	changed = changed || now.htype != was->htype ||
	    now.hlen != was->hlen ||
	    memcmp(now.hwaddr, was->hwaddr, now.hlen) != 0 ||
	    now.ifindex != was->ifindex ||
	    (aux && flag(q, CONF_KW_LEASEFILE_RO)) ||
	    (exp && flag(q, CONF_KW_SCRIPT_ON_RENEWAL));
	if (q->ev_new)
		ev_emit(q, l, DHCP_LEASE_ADD, l->hostname, classes);
	else if (changed)
		ev_emit(q, l, DHCP_LEASE_OLD, l->hostname, classes);
	if (q->ev_other != NULL && q->ev_other != l)
		ev_emit(q, q->ev_other, DHCP_LEASE_OLD, NULL, false);
	q->ev_new = q->ev_changed = false;
	q->ev_other = NULL;
	q->ev_lost[0] = q->ev_other_lost[0] = '\0';
}

/* --- BOOTP ---------------------------------------------------------------- */

static enum dhcp_verdict
drop(struct req *q, enum dhcp_drop why)
{
	q->tx->why = why;
	return DHCP_V_DROP;
}

/* The metrics' per-architecture reply counts: option 93 (its first
 * value), whether or not PXE is served; -1: none. */
static void
stats_by_arch(struct req *q, enum dhcp_verdict v)
{
	const struct dhcp_optval *o = opt_find(q, 93, 2);
	int a = o != NULL ? pxe_arch(o->p, o->len) : -1;
	unsigned row = a < 0 ? DHCP_STATS_ARCH_NONE :
	    a < DHCP_STATS_ARCH ? (unsigned)a : DHCP_STATS_ARCH_OTHER;

	if (v == DHCP_V_OFFER)
		q->srv->stats.by_arch[row][DHCP_STATS_OFFER]++;
	else if (v == DHCP_V_ACK)
		q->srv->stats.by_arch[row][DHCP_STATS_ACK]++;
	else if (v == DHCP_V_NAK)
		q->srv->stats.by_arch[row][DHCP_STATS_NAK]++;
}

/* Finishes the reply built in o, picks its destination, sets our source
 * address src and counts it; returns v, or a drop when it does not fit. */
static enum dhcp_verdict
reply_send(struct req *q, struct dhcp_out *o, struct in_addr src,
    enum dhcp_verdict v)
{
	if (reply_finish(q, o) < 0)
		return drop(q, DHCP_DROP_NO_SPACE);
	reply_dest(q);
	q->tx->src = src;
	switch (v) {
	case DHCP_V_OFFER: q->srv->stats.offer++; break;
	case DHCP_V_ACK: q->srv->stats.ack++; break;
	case DHCP_V_NAK: q->srv->stats.nak++; break;
	case DHCP_V_BOOTP: q->srv->stats.bootp++; break;
	default: break;
	}
	stats_by_arch(q, v);
	return v;
}

/* The address of a BOOTP client: dhcp-host only (bootp-dynamic is
 * refused at start-up), so a dynamic one ends in "no address
 * configured" unless none is free. */
static const char *
bootp_address(struct req *q, bool *nailed)
{
	const struct conf_dhcp_host *h = host_of(q);
	const struct dhcp_msg *m = q->m;
	struct dhcp_pool *p = &q->srv->pool;
	struct dhcp_alloc_req ar;
	struct lease *l;

	if (h != NULL && (h->flags & CONF_DHCP_HOST_ADDR)) {
		*nailed = true;
		q->yiaddr = h->addr;
		l = lease_by_addr(q, h->addr);
		if (l != NULL && (l->hlen != m->hlen || l->htype != m->htype ||
		    memcmp(l->hwaddr, m->chaddr, l->hlen) != 0))
			return "address in use";
		q->lease = l;
		return NULL;
	}
	l = lease_by_client(q, NULL, 0);
	if (l != NULL &&
	    dhcp_pool_available(p, &q->chain, l->addr, &q->tagif) >= 0) {
		q->yiaddr = l->addr;
		q->lease = l;
		return NULL;
	}
	if (l != NULL)
		lease_drop(q, l);	/* lease exists, wrong network */
	memset(&ar, 0, sizeof(ar));
	ar.hw = m->chaddr;
	ar.hlen = m->hlen;
	ar.tags = &q->tagif;
	ar.leased = leased_cb;
	ar.ctx = q;
	ar.ping = false;	/* the answer is refused below anyway */
	ar.sequential = flag(q, CONF_KW_DHCP_SEQUENTIAL_IP);
	ar.now_ms = q->now->mono_ms;
	if (dhcp_pool_allocate(p, &q->chain, &ar, &q->yiaddr) !=
	    DHCP_ALLOC_OK)
		return "no address available";
	return NULL;
}

static void
bootp_lease(struct req *q)
{
	const struct conf_dhcp_host *h = host_of(q);
	struct lease *l = q->lease;
	struct lease_state was;

	lease_state_get(q, l, &was);
	set_lease_client(q, l);
	if (q->hostname != NULL)
		set_lease_name(q, l, q->hostname, true, q->domain);
	lease_set_expiry(l, (h != NULL && (h->flags & CONF_DHCP_HOST_LEASE)) ?
	    expiry(q, h->lease) : CLOCK_INFINITE_MS);
	l->ifindex = q->rx->iface->index;
	lease_note(q, l, false);
	ev_after_update(q, l, &was, false);
	q->tx->needs_sync = true;
}

static enum dhcp_verdict
handle_bootp(struct req *q)
{
	const struct dhcp_msg *m = q->m;
	const struct conf_dhcp_host *h = host_of(q);
	const char *msg = NULL;
	bool nailed = false;
	struct dhcp_out o;
	int ctx = -1;

	if (m->htype == 0 || m->hlen == 0 ||
	    (q->srv->pool.range[chain_head(q)]->flags & CONF_DHCP_RANGE_PROXY))
		return drop(q, DHCP_DROP_NOT_REQUEST);
	if (h != NULL && (h->flags & CONF_DHCP_HOST_IGNORE))
		msg = "disabled";
	if (h != NULL && (h->flags & CONF_DHCP_HOST_NAME)) {
		q->hostname = h->hostname;
		q->domain = h->domain;
	}
	if (h != NULL)
		tag_set_add_list(&q->netid, &h->set);
	/* the request's file field is a tag, then "bootp" */
	if (m->file[0] != 0) {
		memcpy(q->bootp_file, m->file, DHCP_FILE_LEN);
		q->bootp_file[DHCP_FILE_LEN] = '\0';
		tag_set_add_name(&q->netid, &q->srv->tn, q->bootp_file);
	}
	tag_set_add_name(&q->netid, &q->srv->tn, "bootp");
	q->tagif = q->netid;
	tag_if_run(&q->tagif, &q->srv->tn, q->cf->dhcp->tagifs);
	if (ignored(q, &q->tagif))
		msg = "ignored";
	if (msg == NULL) {
		msg = bootp_address(q, &nailed);
		/* dnsmasq adds the first candidate's tag when the address
		 * failed, the chosen range's when it narrowed */
		if (msg != NULL)
			tags_with_range(q, chain_head(q));
		else if ((ctx = dhcp_pool_narrow(&q->srv->pool, &q->chain,
		    q->yiaddr, &q->netid)) < 0)
			msg = "wrong network";
		else
			tags_with_range(q, ctx);
		log_tags(q, &q->tagif);
		if (msg == NULL && !nailed)
			msg = "no address configured";
		if (msg == NULL && q->lease == NULL &&
		    (q->lease = new_lease(q, q->yiaddr)) == NULL)
			msg = "no leases left";
		if (msg == NULL) {
			bootp_lease(q);
			reply_begin(q, &o);
			dhcp_out_bootp(&o);
			do_options(q, &o, ctx, q->hostname,
			    get_domain(q, q->yiaddr), 0xffffffffu, 0);
		}
	}
	log_packet(q, "BOOTP", msg == NULL || nailed ? &q->yiaddr : NULL,
	    NULL, msg);
	if (msg != NULL)
		return drop(q, strcmp(msg, "ignored") == 0 ? DHCP_DROP_IGNORED :
		    DHCP_DROP_BOOTP);
	return reply_send(q, &o, server_id(q, ctx), DHCP_V_BOOTP);
}

/* --- DHCP messages ------------------------------------------------------- */

/* dnsmasq's test "the server or relay uses the configured address"
 * looks at the first candidate range only. */
static bool
host_addr_is_router(const struct req *q)
{
	const struct conf_dhcp_host *h = host_of(q);
	int head = chain_head(q);

	return h != NULL && (h->flags & CONF_DHCP_HOST_ADDR) && head >= 0 &&
	    q->srv->pool.rs[head].router.s_addr == h->addr.s_addr;
}

/* DISCOVER: the configured address if usable (warnings otherwise). */
static struct in_addr
discover_host_addr(struct req *q)
{
	const struct conf_dhcp_host *h = host_of(q);
	struct in_addr none = { 0 };
	char a[INET_ADDRSTRLEN];
	struct lease *l;

	if (h == NULL || !(h->flags & CONF_DHCP_HOST_ADDR))
		return none;
	inet_ntop(AF_INET, &h->addr, a, sizeof(a));
	l = lease_by_addr(q, h->addr);
	if (l != NULL && l != q->lease &&
	    !dhcp_pool_host_has_mac(&q->srv->pool, q->host, l->hwaddr, l->hlen,
	    l->htype)) {
		char mac[3 * 256 + 8];
		const uint8_t *em = l->hwaddr;
		size_t elen = l->hlen;

		if (l->hlen == 0 && l->clid_len > 3) {
			em = l->clid[0] == l->htype ? l->clid + 1 : l->clid;
			elen = l->clid[0] == l->htype ? l->clid_len - 1u :
			    l->clid_len;
		}
		qlog(q, LOG_WARNING, "not using configured address %s because "
		    "it is leased to %s", a, dhcp_log_mac(mac, sizeof(mac), em,
		    elen));
	} else if (host_addr_is_router(q))
		qlog(q, LOG_WARNING, "not using configured address %s because "
		    "it is in use by the server or relay", a);
	else if (dhcp_pool_host_declined(&q->srv->pool, q->host,
	    q->now->mono_ms))
		qlog(q, LOG_WARNING, "not using configured address %s because "
		    "it was previously declined", a);
	else
		return h->addr;
	return none;
}

/* The address to offer; NULL message when found, PROBE via *probe. */
static const char *
discover_address(struct req *q, const struct dhcp_optval *o50,
    bool *probe)
{
	struct dhcp_pool *p = &q->srv->pool;
	struct in_addr conf = discover_host_addr(q), want = { 0 };
	struct dhcp_alloc_req ar;
	bool ping = !flag(q, CONF_KW_NO_PING) && !q->rx->iface->loopback;
	enum dhcp_alloc r;

	*probe = false;
	if (o50 != NULL)
		want = addr_at(o50->p);
	if (conf.s_addr != 0) {
		q->yiaddr = conf;
		return NULL;
	}
	if (q->lease != NULL &&
	    dhcp_pool_available(p, &q->chain, q->lease->addr, &q->tagif) >= 0 &&
	    dhcp_pool_host_by_addr(p, q->lease->addr) < 0) {
		q->yiaddr = q->lease->addr;
		return NULL;
	}
	if (o50 != NULL &&
	    dhcp_pool_available(p, &q->chain, want, &q->tagif) >= 0 &&
	    lease_by_addr(q, want) == NULL &&
	    dhcp_pool_host_by_addr(p, want) < 0) {
		bool usable = dhcp_pool_ping_check(p, want, 0, ping,
		    q->now->mono_ms, probe);

		if (*probe) {
			q->tx->probe.addr = want;
			q->tx->probe.hash = 0;
			return NULL;
		}
		if (usable) {
			q->yiaddr = want;
			return NULL;
		}
	}
	if (q->emac_len == 0)
		return "no unique-id";
	memset(&ar, 0, sizeof(ar));
	ar.hw = q->emac;
	ar.hlen = q->emac_len;
	ar.tags = &q->tagif;
	ar.leased = leased_cb;
	ar.ctx = q;
	ar.ping = ping;
	ar.sequential = flag(q, CONF_KW_DHCP_SEQUENTIAL_IP);
	ar.now_ms = q->now->mono_ms;
	r = dhcp_pool_allocate(p, &q->chain, &ar, &q->yiaddr);
	if (r == DHCP_ALLOC_PROBE) {
		*probe = true;
		q->tx->probe.addr = q->yiaddr;
		q->tx->probe.hash = dhcp_pool_hash(q->emac, q->emac_len);
		return NULL;
	}
	return r == DHCP_ALLOC_OK ? NULL : "no address available";
}

static enum dhcp_verdict
handle_discover(struct req *q, bool ignore)
{
	const struct dhcp_optval *o50 = NULL;
	const char *msg = NULL;
	struct dhcp_out o;
	bool probe = false;
	uint32_t t;
	int ctx;

	if (ignore || host_has(q, CONF_DHCP_HOST_IGNORE))
		msg = "ignored";
	else {
		o50 = opt_find(q, DHCP_OPT_REQ_ADDR, 4);
		msg = discover_address(q, o50, &probe);
		if (probe)
			return DHCP_V_PROBE;
	}
	{
		struct in_addr a = o50 != NULL ? addr_at(o50->p) :
		    (struct in_addr){ 0 };

		log_packet(q, "DHCPDISCOVER", o50 != NULL ? &a : NULL, NULL,
		    msg);
	}
	if (msg != NULL)
		return drop(q, strcmp(msg, "ignored") == 0 ? DHCP_DROP_IGNORED :
		    strcmp(msg, "no unique-id") == 0 ?
		    DHCP_DROP_NO_UNIQUE_ID : DHCP_DROP_NO_ADDRESS);
	if ((ctx = dhcp_pool_narrow(&q->srv->pool, &q->chain, q->yiaddr,
	    &q->tagif)) < 0)
		return drop(q, DHCP_DROP_WRONG_NETWORK);
	tags_with_range(q, ctx);
	trace_pick(q, DHCP_TRACE_RANGE, q->srv->pool.range[ctx], NULL,
	    &q->tagif);
	apply_delay(q);
	log_tags(q, &q->tagif);
	log_packet(q, "DHCPOFFER", &q->yiaddr, NULL, NULL);
	t = calc_time(q, ctx);
	reply_begin(q, &o);
	put(q, &o, DHCP_OPT_MSG_TYPE, (uint8_t[]){ DHCP_OFFER }, 1);
	put_addr(q, &o, DHCP_OPT_SERVER_ID, server_id(q, ctx));
	put_u32(q, &o, DHCP_OPT_LEASE_TIME, t);
	do_options(q, &o, ctx, q->offer_hostname, get_domain(q, q->yiaddr), t,
	    0);
	return reply_send(q, &o, server_id(q, ctx), DHCP_V_OFFER);
}

/* NAK: 53, 54, 56; broadcast unless the client is remote and unicast. */
static enum dhcp_verdict
send_nak(struct req *q, int cur, const char *msg)
{
	struct dhcp_out o;
	const struct dhcp_range_state *s = cur >= 0 ? &q->srv->pool.rs[cur] :
	    NULL;
	bool bcast;

	log_packet(q, "DHCPNAK", &q->yiaddr, NULL, msg);
	bcast = !q->unicast || q->m->giaddr.s_addr != 0 ||
	    q->ciaddr.s_addr == 0 ||
	    (s != NULL && dhcp_same_net(s->local, q->ciaddr, s->netmask));
	q->yiaddr.s_addr = 0;
	if (bcast)
		q->ciaddr.s_addr = 0;
	reply_begin(q, &o);
	if (bcast)
		out_set_broadcast(&o);
	put(q, &o, DHCP_OPT_MSG_TYPE, (uint8_t[]){ DHCP_NAK }, 1);
	put_addr(q, &o, DHCP_OPT_SERVER_ID, server_id(q, cur));
	put_str(q, &o, DHCP_OPT_MESSAGE, msg, q->borken);
	return reply_send(q, &o, server_id(q, cur), DHCP_V_NAK);
}

/* SELECTING: option 54 names one of our candidate ranges' addresses (the
 * chain from that range on stays), or one of the interface's. *cur is
 * the head of what is left, -1 for none.  Returns a NAK text, or NULL;
 * *drop_it when the request is for another server. */
static const char *
request_selecting(struct req *q, struct in_addr sid, struct dhcp_chain *sub,
    bool *drop_it)
{
	const struct dhcp_iface *ifc = q->rx->iface;
	unsigned i;

	*drop_it = false;
	if (q->override.s_addr != 0) {
		if (sid.s_addr != q->override.s_addr)
			*drop_it = true;
		return NULL;
	}
	for (i = 0; i < sub->n; i++)
		if (q->srv->pool.rs[sub->v[i]].local.s_addr == sid.s_addr) {
			sub->v += i;
			sub->n -= i;
			return NULL;
		}
	sub->n = 0;
	/* clients with more than one route to us: any of our addresses */
	for (i = 0; i < ifc->naddrs; i++)
		if (ifc->addrs[i].addr.s_addr == sid.s_addr) {
			q->override = sid;
			return NULL;
		}
	if (!flag(q, CONF_KW_DHCP_AUTHORITATIVE))
		*drop_it = true;
	return "wrong server-ID";
}

/* The checks after the client's state is known (first failing one
 * gives the NAK text).  *ctx: the narrowed range. */
static const char *
request_checks(struct req *q, const struct dhcp_chain *sub, bool selecting,
    int *ctx)
{
	struct dhcp_pool *p = &q->srv->pool;
	const struct conf_dhcp_host *h = host_of(q);
	bool has_addr = h != NULL && (h->flags & CONF_DHCP_HOST_ADDR);
	bool router = has_addr && sub->n > 0 &&
	    p->rs[sub->v[0]].router.s_addr == h->addr.s_addr;
	struct dhcp_chain one;
	uint16_t idx;
	struct lease *l;
	int ah;

	if ((*ctx = dhcp_pool_narrow(p, sub, q->yiaddr, &q->tagif)) < 0) {
		q->unicast = false;	/* moved network: broadcast the NAK */
		return "wrong network";
	}
	idx = (uint16_t)*ctx;
	one.n = 1;
	one.v = &idx;
	if (dhcp_pool_available(p, &one, q->yiaddr, &q->tagif) < 0 &&
	    (!has_addr || h->addr.s_addr != q->yiaddr.s_addr))
		return "address not available";
	/* a new static address: the client must DISCOVER to get it */
	if (!router && !selecting && has_addr &&
	    !dhcp_pool_host_declined(p, q->host, q->now->mono_ms) &&
	    h->addr.s_addr != q->yiaddr.s_addr &&
	    ((l = lease_by_addr(q, h->addr)) == NULL || l == q->lease))
		return "static lease available";
	if ((ah = dhcp_pool_host_by_addr(p, q->yiaddr)) >= 0 && ah != q->host)
		return "address reserved";
	if (q->lease == NULL && (l = lease_by_addr(q, q->yiaddr)) != NULL) {
		char mac[3 * 256 + 8], a[INET_ADDRSTRLEN];

		/* a host with several MACs may move its lease */
		if (q->host < 0 || !dhcp_pool_host_has_mac(p, q->host,
		    l->hwaddr, l->hlen, l->htype))
			return "address in use";
		inet_ntop(AF_INET, &l->addr, a, sizeof(a));
		qlog(q, LOG_INFO, "abandoning lease to %s of %s",
		    dhcp_log_mac(mac, sizeof(mac), l->hwaddr, l->hlen), a);
		q->lease = l;
	}
	if (q->emac_len == 0)
		return "no unique-id";
	if (q->lease == NULL && (q->lease = new_lease(q, q->yiaddr)) == NULL)
		return "no leases left";
	return NULL;
}

/* ACK: the lease is written, then the reply. */
static enum dhcp_verdict
send_ack(struct req *q, int ctx, uint16_t fuzz)
{
	struct lease *l = q->lease;
	struct lease_state was;
	struct dhcp_out o;
	const char *name;
	uint32_t t;
	/* dnsmasq's do_classes: a new lease or a REQUEST with option 50 */
	bool classes = q->ev_new || opt_find(q, DHCP_OPT_REQ_ADDR, 4) != NULL;

	lease_state_get(q, l, &was);
	tags_with_range(q, ctx);
	trace_pick(q, DHCP_TRACE_RANGE, q->srv->pool.range[ctx], NULL,
	    &q->tagif);
	log_tags(q, &q->tagif);
	if (!q->hostname_auth && q->srv->hooks.host_name != NULL &&
	    (name = q->srv->hooks.host_name(q->srv->hooks.ctx,
	    q->yiaddr)) != NULL) {
		snprintf(q->namebuf, sizeof(q->namebuf), "%s", name);
		q->hostname = q->namebuf;
		q->domain = get_domain(q, q->yiaddr);
		q->hostname_auth = true;
	}
	t = calc_time(q, ctx);
	if (set_lease_client(q, l) < 0)
		return drop(q, DHCP_DROP_NO_ADDRESS);
	if (q->hostname != NULL)
		set_lease_name(q, l, q->hostname, q->hostname_auth, q->domain);
	lease_set_expiry(l, expiry(q, t));
	l->ifindex = q->rx->iface->index;
	if (classes && q->m->giaddr.s_addr != 0)
		l->giaddr = q->m->giaddr;
	lease_note(q, l, false);
	ev_after_update(q, l, &was, classes);
	q->tx->needs_sync = true;
	log_packet(q, "DHCPACK", &q->yiaddr, q->hostname, NULL);
	reply_begin(q, &o);
	put(q, &o, DHCP_OPT_MSG_TYPE, (uint8_t[]){ DHCP_ACK }, 1);
	put_addr(q, &o, DHCP_OPT_SERVER_ID, server_id(q, ctx));
	put_u32(q, &o, DHCP_OPT_LEASE_TIME, t);
	do_options(q, &o, ctx, q->hostname, get_domain(q, q->yiaddr), t,
	    fuzz);
	return reply_send(q, &o, server_id(q, ctx), DHCP_V_ACK);
}

static enum dhcp_verdict
handle_request(struct req *q, bool ignore)
{
	const struct dhcp_optval *o50, *o54;
	struct dhcp_chain sub = q->chain;
	const char *msg = NULL;
	bool selecting = false, auth = flag(q, CONF_KW_DHCP_AUTHORITATIVE);
	uint16_t fuzz = 0;
	int ctx = -1;

	if (ignore || host_has(q, CONF_DHCP_HOST_IGNORE))
		return drop(q, DHCP_DROP_IGNORED);
	if ((o50 = opt_find(q, DHCP_OPT_REQ_ADDR, 4)) != NULL) {
		q->yiaddr = addr_at(o50->p);
		if ((o54 = opt_find(q, DHCP_OPT_SERVER_ID, 4)) != NULL) {
			bool other;

			selecting = true;
			msg = request_selecting(q, addr_at(o54->p), &sub,
			    &other);
			if (other)
				return drop(q, DHCP_DROP_OTHER_SERVER);
			/* another lease of this client is dropped */
			if (q->lease != NULL &&
			    q->lease->addr.s_addr != q->yiaddr.s_addr)
				lease_drop(q, q->lease);
		} else {
			/* INIT-REBOOT */
			if (q->lease == NULL && !auth)
				return drop(q, DHCP_DROP_UNKNOWN_CLIENT);
			if (q->lease != NULL &&
			    q->lease->addr.s_addr != q->yiaddr.s_addr)
				msg = "wrong address";
		}
	} else {
		/* RENEWING or REBINDING: authoritative servers re-create a
		 * lost lease below */
		if ((q->lease != NULL &&
		    q->ciaddr.s_addr != q->lease->addr.s_addr) ||
		    (q->lease == NULL && !auth)) {
			/* a broadcast rebind may be for another server */
			if (!q->unicast)
				return drop(q, DHCP_DROP_NOT_OUR_LEASE);
			msg = "lease not found";
			q->unicast = false;
		}
		fuzz = rand16(q->srv);
		q->yiaddr = q->ciaddr;
	}
	log_packet(q, "DHCPREQUEST", &q->yiaddr, NULL, NULL);
	/* dnsmasq's context for a NAK decided so far: what is left of the
	 * candidates; after the checks the narrowed range (or none) */
	if (msg != NULL)
		return send_nak(q, sub.n > 0 ? sub.v[0] : -1, msg);
	if ((msg = request_checks(q, &sub, selecting, &ctx)) != NULL)
		return send_nak(q, ctx, msg);
	return send_ack(q, ctx, fuzz);
}

static enum dhcp_verdict
handle_decline(struct req *q)
{
	const struct dhcp_optval *o54 = opt_find(q, DHCP_OPT_SERVER_ID, 4);
	const struct dhcp_optval *o50, *o56;
	const struct conf_dhcp_host *h = host_of(q);
	char text[DHCP_LOG_LINE_MAX] = "", t[32], a[INET_ADDRSTRLEN];
	struct in_addr want;

	if (o54 == NULL ||
	    addr_at(o54->p).s_addr != server_id(q, chain_head(q)).s_addr)
		return drop(q, DHCP_DROP_OTHER_SERVER);
	if ((o56 = opt_find(q, DHCP_OPT_MESSAGE, 1)) != NULL)
		log_sanitise(text, sizeof(text), o56->p, o56->len);
	if ((o50 = opt_find(q, DHCP_OPT_REQ_ADDR, 4)) == NULL)
		return drop(q, DHCP_DROP_BAD_DECLINE);
	want = addr_at(o50->p);
	log_packet(q, "DHCPDECLINE", &want, NULL, text);
	if (q->lease != NULL && q->lease->addr.s_addr == want.s_addr)
		lease_drop(q, q->lease);
	if (h != NULL && (h->flags & CONF_DHCP_HOST_ADDR) &&
	    h->addr.s_addr == want.s_addr) {
		inet_ntop(AF_INET, &h->addr, a, sizeof(a));
		qlog(q, LOG_WARNING, "disabling DHCP static address %s for %s",
		    a, dhcp_log_time(t, DHCP_DECLINE_BACKOFF_MS / 1000));
		dhcp_pool_host_decline(&q->srv->pool, q->host, q->now->mono_ms);
	} else
		/* make sure this client gets another address next time */
		dhcp_pool_bump_epoch(&q->srv->pool, &q->chain);
	return DHCP_V_DONE;
}

static enum dhcp_verdict
handle_release(struct req *q)
{
	const struct dhcp_optval *o54 = opt_find(q, DHCP_OPT_SERVER_ID, 4);
	int ctx = dhcp_pool_narrow(&q->srv->pool, &q->chain, q->ciaddr,
	    &q->tagif);
	const char *msg = NULL;

	if (ctx < 0)
		return drop(q, DHCP_DROP_WRONG_NETWORK);
	if (o54 == NULL ||
	    addr_at(o54->p).s_addr != server_id(q, ctx).s_addr)
		return drop(q, DHCP_DROP_OTHER_SERVER);
	if (q->lease != NULL && q->lease->addr.s_addr == q->ciaddr.s_addr)
		lease_drop(q, q->lease);
	else
		msg = "unknown lease";
	log_packet(q, "DHCPRELEASE", &q->ciaddr, NULL, msg);
	return DHCP_V_DONE;
}

static enum dhcp_verdict
handle_inform(struct req *q, bool ignore)
{
	const char *msg = NULL, *name;
	struct dhcp_out o;
	struct lease *l;
	int ctx;

	if (ignore || host_has(q, CONF_DHCP_HOST_IGNORE))
		msg = "ignored";
	log_packet(q, "DHCPINFORM", &q->ciaddr, msg, NULL);
	if (msg != NULL)
		return drop(q, DHCP_DROP_IGNORED);
	if (q->ciaddr.s_addr == 0)
		return drop(q, DHCP_DROP_NO_CIADDR);
	/* INFORM copes without a range */
	ctx = dhcp_pool_narrow(&q->srv->pool, &q->chain, q->ciaddr, &q->tagif);
	if (q->lease == NULL &&
	    (q->lease = lease_by_addr(q, q->ciaddr)) != NULL &&
	    q->lease->hostname[0] != '\0')
		q->hostname = q->lease->hostname;
	/* lease_set_interface(): a new interface runs the script */
	if ((l = q->lease) != NULL && l->ifindex != q->rx->iface->index) {
		l->ifindex = q->rx->iface->index;
		ev_emit(q, l, DHCP_LEASE_OLD, l->hostname, false);
	}
	if (q->hostname == NULL && q->srv->hooks.host_name != NULL &&
	    (name = q->srv->hooks.host_name(q->srv->hooks.ctx,
	    q->ciaddr)) != NULL) {
		snprintf(q->namebuf, sizeof(q->namebuf), "%s", name);
		q->hostname = q->namebuf;
	}
	if (ctx >= 0)
		tags_with_range(q, ctx);
	log_tags(q, &q->tagif);
	log_packet(q, "DHCPACK", &q->ciaddr, q->hostname, NULL);
	q->is_inform = true;
	reply_begin(q, &o);
	put(q, &o, DHCP_OPT_MSG_TYPE, (uint8_t[]){ DHCP_ACK }, 1);
	put_addr(q, &o, DHCP_OPT_SERVER_ID, server_id(q, ctx));
	/* only for lease-time tools that ask for 51 */
	if ((l = q->lease) != NULL && in_prl(q, DHCP_OPT_LEASE_TIME))
		put_u32(q, &o, DHCP_OPT_LEASE_TIME,
		    l->expires_ms == CLOCK_INFINITE_MS ? 0xffffffffu :
		    (uint32_t)((l->expires_ms - q->now->mono_ms) / 1000));
	do_options(q, &o, ctx, q->hostname, get_domain(q, q->ciaddr),
	    0xffffffffu, 0);
	return reply_send(q, &o, server_id(q, ctx), DHCP_V_ACK);
}


/* A boot-server request (option 43 sub-option 71) on 67 or 4011: the
 * first service of that type with a basename, from a range holding
 * ciaddr; ACK with the file for the requested layer (reference 4.6). */
static int
pxe_boot_request(struct req *q, bool ignore, uint16_t type, uint16_t layer,
    const uint8_t *item)
{
	const struct conf_pxe_service *s;
	struct pxe_sub sub71 = { PXE_SUB_BOOT_ITEM, 4, item };
	struct dhcp_pool *p = &q->srv->pool;
	char file[PXE_FILE_MAX];
	struct in_addr local, a;
	struct dhcp_out o;
	int ctx = -1;
	unsigned k;

	if (ignore)
		return drop(q, DHCP_DROP_IGNORED);
	if (layer & 0x8000) {
		qlog(q, LOG_ERR, "PXE BIS not supported");
		return drop(q, DHCP_DROP_PXE);
	}
	for (s = q->cf->pxe->services; s != NULL; s = s->next)
		if (s->type == type)
			break;
	for (k = 0; k < q->chain.n && ctx < 0; k++) {
		unsigned r = q->chain.v[k];

		if (tag_expr_match(&q->tagif, &p->range[r]->filter, true) &&
		    dhcp_same_net(q->ciaddr, p->range[r]->start,
		    p->rs[r].netmask))
			ctx = (int)r;
	}
	if (s == NULL || s->basename == NULL || ctx < 0)
		return drop(q, DHCP_DROP_PXE);
	local = p->rs[ctx].local;
	q->yiaddr = q->ciaddr;
	q->ciaddr.s_addr = 0;
	reply_begin(q, &o);
	if (s->sname != NULL)
		a = host_addr(q, s->sname);
	else if (s->has_server && s->server.s_addr != 0)
		a = s->server;
	else
		a = local;
	dhcp_out_siaddr(&o, a);
	pxe_boot_file(file, s->basename, layer);
	(void)dhcp_out_file(&o, file);
	put(q, &o, DHCP_OPT_MSG_TYPE, (uint8_t[]){ DHCP_ACK }, 1);
	put_addr(q, &o, DHCP_OPT_SERVER_ID, local);
	pxe_misc(q, &o);
	q->otags = q->tagif;
	trace_pick(q, DHCP_TRACE_RANGE, p->range[ctx], NULL, &q->otags);
	(void)prune_vendor_opts(q);
	(void)do_encap_pre(q, &o, OF_VMATCH, DHCP_OPT_VENDOR_ENCAP, false,
	    &sub71, 1);
	log_packet(q, "PXE", &q->yiaddr, file, NULL);
	log_tags(q, &q->tagif);
	return reply_send(q, &o, local, DHCP_V_ACK);
}

/* The first proxy range of the request whose tags match, or -1. */
static int
pxe_proxy_range(const struct req *q)
{
	const struct dhcp_pool *p = &q->srv->pool;
	unsigned k;

	for (k = 0; k < q->chain.n; k++) {
		unsigned r = q->chain.v[k];

		if ((p->range[r]->flags & CONF_DHCP_RANGE_PROXY) &&
		    tag_expr_match(&q->tagif, &p->range[r]->filter, true))
			return (int)r;
	}
	return -1;
}

/* Proxy DHCP (reference 4.6): an OFFER to a DISCOVER, an ACK to a 4011
 * REQUEST, without an address. */
static int
pxe_proxy(struct req *q, bool ignore, int ctx, bool port4011)
{
	const struct conf_dhcp_range *r = q->srv->pool.range[ctx];
	struct in_addr local = q->srv->pool.rs[ctx].local;
	const struct conf_pxe_service *one;
	const struct conf_dhcp_boot *boot;
	bool discover = q->mess_type == DHCP_DISCOVER;
	struct pxe_menu menu;
	struct pxe_sub subs[4];
	struct dhcp_out o;
	enum dhcp_verdict v;
	size_t nsub;

	q->otags = q->tagif;
	if (r->set.n > 0) {
		q->otags = q->netid;
		tag_set_add_list(&q->otags, &r->set);
		tag_if_run(&q->otags, &q->srv->tn, q->cf->dhcp->tagifs);
	}
	trace_pick(q, DHCP_TRACE_RANGE, r, NULL, &q->otags);
	boot = find_boot(q);
	q->yiaddr.s_addr = 0;
	if (discover || q->ciaddr.s_addr == 0)
		q->ciaddr.s_addr = 0;
	reply_begin(q, &o);
	if (discover || q->ciaddr.s_addr == 0)
		out_set_broadcast(&o);
	/* EFI clients are sent to port 4011 */
	if (q->pxearch >= 6)
		dhcp_out_siaddr(&o, local);
	one = pxe_uefi_one(q, &q->otags);
	if (one != NULL && port4011)
		pxe_uefi_fill(q, &o, one, local);
	if (one == NULL && boot != NULL) {
		/* for iPXE, and for no menu (discovery control 8) */
		if (boot->next_server.s_addr != 0)
			dhcp_out_siaddr(&o, boot->next_server);
		else if (boot->tftp_sname != NULL)
			dhcp_out_siaddr(&o, host_addr(q, boot->tftp_sname));
		if (boot->file != NULL)
			(void)dhcp_out_file(&o, boot->file);
	}
	put(q, &o, DHCP_OPT_MSG_TYPE,
	    (uint8_t[]){ discover ? DHCP_OFFER : DHCP_ACK }, 1);
	put_addr(q, &o, DHCP_OPT_SERVER_ID, local);
	pxe_misc(q, &o);
	(void)prune_vendor_opts(q);
	if ((port4011 && one == NULL) || q->pxearch < 6) {
		nsub = pxe_build(q, &q->otags, local, &menu, subs);
		(void)do_encap_pre(q, &o, OF_VMATCH, DHCP_OPT_VENDOR_ENCAP,
		    false, subs, (unsigned)nsub);
	}
	log_packet(q, "PXE", NULL, ignore ? "proxy-ignored" : "proxy", NULL);
	log_tags(q, &q->otags);
	if (ignore)
		return drop(q, DHCP_DROP_IGNORED);
	q->tagif = q->otags;	/* dnsmasq's tagif_netid here */
	apply_delay(q);
	v = reply_send(q, &o, local, discover ? DHCP_V_OFFER : DHCP_V_ACK);
	if (v != DHCP_V_DROP)
		q->srv->stats.proxy++;
	return v;
}

/*
 * dnsmasq's PXE block of dhcp_reply(): for a PXE client (option 60
 * starts with a dhcp-pxe-vendor string) it answers boot-server requests
 * (option 43 sub-option 71) and proxy-DHCP requests, and sets the
 * client architecture (option 93) that do_options() uses.  Returns a
 * verdict when it handled the request, or -1 to go on.
 */
static int
pxe_request_hook(struct req *q, bool ignore)
{
	const struct conf_pxe *px = q->cf->pxe;
	const struct dhcp_optval *o;
	bool port4011 = q->rx->path == DHCP_PATH_UDP4011;
	uint16_t type, layer;
	int ctx;

	if (px == NULL || !px->enabled || q->vclass == NULL ||
	    (q->pxevendor = conf_pxe_vendor_match(px,
	    (const char *)q->vclass, q->vclass_len)) == NULL)
		return -1;
	if ((o = opt_find(q, 97, 17)) != NULL)
		q->uuid = o->p;
	if ((q->mess_type == DHCP_REQUEST || q->mess_type == DHCP_INFORM) &&
	    (o = opt_find(q, DHCP_OPT_VENDOR_ENCAP, 1)) != NULL &&
	    pxe_boot_item(o->p, o->len, &type, &layer))
		return pxe_boot_request(q, ignore, type, layer,
		    dhcp_subopt(o->p, o->len, PXE_SUB_BOOT_ITEM, 4, NULL));
	if ((o = opt_find(q, 93, 2)) == NULL)
		return -1;
	q->pxearch = pxe_arch(o->p, o->len);
	if (q->mess_type != DHCP_DISCOVER &&
	    !(port4011 && q->mess_type == DHCP_REQUEST))
		return -1;
	if ((ctx = pxe_proxy_range(q)) < 0)
		return -1;
	return pxe_proxy(q, ignore, ctx, port4011);
}

/* The first block of dhcp_reply(): everything before the message type
 * decides.  Returns -1 to go on, else a verdict. */
static int
classify(struct req *q)
{
	const struct dhcp_msg *m = q->m;
	const struct dhcp_optval *o;

	if (m->op != DHCP_OP_REQUEST || m->hlen > DHCP_CHADDR_LEN ||
	    (m->htype == 0 && m->hlen != 0))
		return drop(q, DHCP_DROP_NOT_REQUEST);
	tag_set_add_name(&q->netid, &q->srv->tn, q->rx->iface->name);
	trace_tags(q, "interface", NULL, NULL, -1, q->rx->iface->name);
	q->emac = m->chaddr;
	q->emac_len = m->hlen;
	if ((o = opt_find(q, DHCP_OPT_MSG_TYPE, 1)) != NULL) {
		if (!m->cookie)
			return drop(q, DHCP_DROP_NO_COOKIE);
		q->mess_type = o->p[0];
		classify_dhcp(q);
	}
	if (q->mess_type <= DHCP_INFORM)
		q->srv->stats.rx[q->mess_type]++;
	tag_macs(q);
	if (!find_ranges(q))
		return drop(q, DHCP_DROP_NO_RANGE);
	tag_options(q);
	find_host(q);
	return -1;
}

/* Names, the dhcp-host tags, tag-if and dhcp-ignore (DHCP only). */
static bool
classify_names(struct req *q)
{
	const struct conf_dhcp_host *h;

	parse_client_name(q);
	choose_hostname(q);
	if ((h = host_of(q)) != NULL) {
		tag_set_add_list(&q->netid, &h->set);
		trace_tags(q, "dhcp-host", &h->src, &h->set, -1, NULL);
	}
	q->tagif = q->netid;
	tag_if_run(&q->tagif, &q->srv->tn, q->cf->dhcp->tagifs);
	if (h != NULL && (h->flags & CONF_DHCP_HOST_NOCLID)) {
		q->clid = NULL;
		q->clid_len = 0;
	}
	return ignored(q, &q->tagif);
}

static enum dhcp_verdict
process(struct req *q)
{
	const struct dhcp_optval *o;
	size_t i;
	bool ignore;
	int v;

	/* Without pxe-service or pxe-prompt dnsmasq opens no socket on 4011
	 * (reference 4.1): it never sees such a packet, so nothing about it
	 * is logged either. */
	if (q->rx->path == DHCP_PATH_UDP4011 &&
	    (q->cf->pxe == NULL || !q->cf->pxe->enabled))
		return drop(q, DHCP_DROP_PXE_PORT_CLOSED);
	if ((v = classify(q)) >= 0)
		return (enum dhcp_verdict)v;
	if (q->mess_type == 0 && q->rx->path != DHCP_PATH_UDP4011)
		return handle_bootp(q);
	ignore = classify_names(q);
	if ((v = pxe_request_hook(q, ignore)) >= 0)
		return (enum dhcp_verdict)v;
	/* proxy-DHCP and the PXE port answer PXE clients only */
	if ((q->srv->pool.range[chain_head(q)]->flags &
	    CONF_DHCP_RANGE_PROXY) || q->rx->path == DHCP_PATH_UDP4011)
		return drop(q, DHCP_DROP_PXE);
	if ((o = opt_find(q, DHCP_OPT_PRL, 0)) != NULL) {
		q->has_prl = true;
		q->prl = o->p;
		for (i = 0; i < o->len && o->p[i] != DHCP_OPT_END; i++)
			;
		q->prl_len = i;
	}
	switch (q->mess_type) {
	case DHCP_DECLINE:
		return handle_decline(q);
	case DHCP_RELEASE:
		return handle_release(q);
	case DHCP_DISCOVER:
		return handle_discover(q, ignore);
	case DHCP_REQUEST:
		return handle_request(q, ignore);
	case DHCP_INFORM:
		return handle_inform(q, ignore);
	default:
		return drop(q, DHCP_DROP_BAD_TYPE);
	}
}

static void
tx_reset(struct dhcp_tx *tx)
{
	tx->len = 0;
	tx->dest = DHCP_DEST_NONE;
	tx->ifindex = 0;
	tx->dst.s_addr = 0;
	tx->dport = 0;
	tx->dst_hlen = tx->dst_htype = 0;
	tx->src.s_addr = 0;
	tx->sport = 0;
	tx->needs_sync = false;
	tx->delay_s = 0;
	tx->probe.addr.s_addr = 0;
	tx->probe.hash = 0;
	tx->why = DHCP_DROP_NONE;
}

enum dhcp_verdict
dhcp_server_handle(struct dhcp_server *srv, const struct dhcp_rx *rx,
    struct dhcp_tx *tx, const struct clock_now *now)
{
	struct req *q = &(struct req){ 0 };
	enum dhcp_verdict v;

	q->srv = srv;
	q->cf = srv->cf;
	q->rx = rx;
	q->m = rx->msg;
	q->tx = tx;
	q->now = now;
	q->xid = rx->msg->xid;
	q->logopts = conf_flag(srv->cf, CONF_KW_LOG_DHCP) ||
	    srv->hooks.trace != NULL;
	q->cap = dhcp_msg_reply_size(rx->msg);
	/* never beyond the interface MTU */
	if (rx->iface->mtu >= DHCP_MIN_LEN + 28 && q->cap > rx->iface->mtu - 28)
		q->cap = rx->iface->mtu - 28;
	q->ciaddr = rx->msg->ciaddr;
	q->yiaddr = rx->msg->yiaddr;
	q->fallback = rx->iface->naddrs > 0 ? rx->iface->addrs[0].addr :
	    (struct in_addr){ 0 };
	q->unicast = rx->unicast;
	q->host = -1;
	q->pxearch = -1;
	tag_set_clear(&q->netid);
	tx_reset(tx);
	prune_expired(q);
	v = process(q);
	srv_log_flush(srv, v != DHCP_V_PROBE);
	if (v == DHCP_V_DROP)
		srv->stats.drops[tx->why]++;
	else if (v == DHCP_V_PROBE)
		srv->stats.probes++;
	return v;
}

unsigned
dhcp_server_expire(struct dhcp_server *srv, const struct clock_now *now,
    bool loaded)
{
	struct req *q = &(struct req){ 0 };
	struct lease *l;
	unsigned n = 0;

	q->srv = srv;
	q->cf = srv->cf;
	q->now = now;
	q->ev_bare_names = loaded;
	while ((l = lease_first_expired(srv->leases, now->mono_ms)) != NULL) {
		lease_drop(q, l);
		n++;
	}
	return n;
}

void
dhcp_server_set_lease_events(struct dhcp_server *srv,
    dhcp_lease_event_fn *fn, void *ctx)
{
	srv->ev_fn = fn;
	srv->ev_ctx = ctx;
}

void
dhcp_server_lease_event(struct dhcp_server *srv, const struct lease *l,
    const struct clock_now *now, struct dhcp_lease_event *ev)
{
	ev_init(srv, NULL, l, DHCP_LEASE_OLD, l->hostname, now, ev,
	    srv->ev_name, sizeof(srv->ev_name));
}

void
dhcp_server_probe_done(struct dhcp_server *srv,
    const struct dhcp_probe *probe, bool in_use, const struct clock_now *now)
{
	dhcp_pool_probe_done(&srv->pool, probe->addr, probe->hash, in_use,
	    now->mono_ms);
}

/* --- set-up ------------------------------------------------------------ */

/* Reversed copy of a list (dnsmasq's newest-first order). */
#define REVERSE_LIST(srv_arr, srv_n, head, type)			\
	do {								\
		const type *e_;						\
		unsigned i_;						\
		for (srv_n = 0, e_ = (head); e_ != NULL; e_ = e_->next)	\
			srv_n++;					\
		srv_arr = calloc(srv_n + 1, sizeof(*srv_arr));		\
		if (srv_arr == NULL)					\
			return -ENOMEM;					\
		for (i_ = srv_n, e_ = (head); e_ != NULL; e_ = e_->next) \
			srv_arr[--i_] = e_;				\
	} while (0)

static void
conf_state_free(struct dhcp_server *srv)
{
	dhcp_pool_fini(&srv->pool);
	tag_names_free(&srv->tn);
	free(srv->opts);
	free(srv->oflags);
	free(srv->pxeopts);
	free(srv->pxebytes);
	free(srv->pxeflag);
	srv->pxeopts = NULL;
	srv->pxebytes = NULL;
	srv->pxeflag = NULL;
	free(srv->boots);
	free(srv->domains);
	free(srv->classes);
	free(srv->macs);
	free(srv->matches);
	free(srv->chain_buf);
	srv->opts = NULL;
	srv->oflags = NULL;
	srv->boots = NULL;
	srv->domains = NULL;
	srv->classes = NULL;
	srv->macs = NULL;
	srv->matches = NULL;
	srv->chain_buf = NULL;
}

/* Reading position of an entry: command line first, then the files in
 * the order read, by line (a file included in the middle of another
 * counts as after it: an approximation). */
static uint64_t
src_key(const struct conf *cf, const struct conf_src *src)
{
	const struct conf_str *f;
	uint64_t rank = 0;

	if (src->file != NULL)
		for (f = cf->files_read.head, rank = 1; f != NULL;
		    f = f->next, rank++)
			if (f->s != NULL && strcmp(f->s, src->file) == 0)
				break;
	return rank << 32 | src->line;
}

/* One pxe-prompt as a vendor-class option: sub-option 10 = one timeout
 * byte + text (matched against the dhcp-pxe-vendor strings). */
static void
pxe_prompt_opt(struct conf_dhcp_opt *x, uint8_t *b,
    const struct conf_pxe_prompt *pr)
{
	size_t len = strlen(pr->text);

	if (len > 254)
		len = 254;
	x->src = pr->src;
	x->code = PXE_SUB_PROMPT;
	x->flags = CONF_DHCPOPT_VENDOR;
	x->tags = pr->tags;
	x->v.kind = CONF_DHCPOPT_HEX;
	x->v.len = (uint16_t)(len + 1);
	b[0] = pr->timeout;
	memcpy(b + 1, pr->text, len);
	x->v.val = b;
}

/* dnsmasq keeps pxe-prompt in its option list, newest first like
 * dhcp-option: merge them by reading position.  Prompt entries are
 * flagged in srv->pxeflag. */
static int
pxe_prompt_opts(struct dhcp_server *srv, const struct conf *cf)
{
	const struct conf_pxe_prompt *pr;
	const struct conf_dhcp_opt **all;
	size_t bytes = 0, off = 0;
	unsigned n = 0, i, k, j;

	if (cf->pxe == NULL || cf->pxe->prompts == NULL)
		return 0;
	for (pr = cf->pxe->prompts; pr != NULL; pr = pr->next, n++)
		bytes += 1 + strlen(pr->text);
	srv->pxeopts = calloc(n, sizeof(*srv->pxeopts));
	srv->pxebytes = malloc(bytes);
	srv->pxeflag = calloc(srv->nopts + n + 1, 1);
	all = calloc(srv->nopts + n + 1, sizeof(*all));
	if (srv->pxeopts == NULL || srv->pxebytes == NULL ||
	    srv->pxeflag == NULL || all == NULL) {
		free(all);
		return -ENOMEM;
	}
	/* walk both lists in reading order; fill all[] from the end */
	k = srv->nopts + n;
	j = srv->nopts;		/* srv->opts is newest first */
	for (i = 0, pr = cf->pxe->prompts; pr != NULL || j > 0;) {
		if (pr != NULL && (j == 0 || src_key(cf, &pr->src) <
		    src_key(cf, &srv->opts[j - 1]->src))) {
			pxe_prompt_opt(&srv->pxeopts[i], srv->pxebytes + off,
			    pr);
			off += srv->pxeopts[i].v.len;
			all[--k] = &srv->pxeopts[i++];
			srv->pxeflag[k] = 1;
			pr = pr->next;
		} else
			all[--k] = srv->opts[--j];
	}
	free(srv->opts);
	srv->opts = all;
	srv->nopts += n;
	return 0;
}

static int
conf_state_init(struct dhcp_server *srv, const struct conf *cf)
{
	struct lease *l;
	int rc;

	srv->cf = cf;
	if (cf->dhcp == NULL || cf->dhcpopt == NULL)
		return -EINVAL;
	if ((rc = tag_names_init(&srv->tn, &cf->tags)) < 0 ||
	    (rc = dhcp_pool_init(&srv->pool, cf, &srv->tn, srv_log_line,
	    srv)) < 0)
		return rc;
	REVERSE_LIST(srv->opts, srv->nopts, cf->dhcpopt->opts,
	    struct conf_dhcp_opt);
	if ((rc = pxe_prompt_opts(srv, cf)) < 0)
		return rc;
	REVERSE_LIST(srv->boots, srv->nboots, cf->dhcp->boots,
	    struct conf_dhcp_boot);
	REVERSE_LIST(srv->domains, srv->ndomains, cf->dhcp->domains,
	    struct conf_dhcp_domain);
	REVERSE_LIST(srv->classes, srv->nclasses, cf->dhcp->classes,
	    struct conf_dhcp_class);
	REVERSE_LIST(srv->macs, srv->nmacs, cf->dhcp->macs,
	    struct conf_dhcp_mac);
	REVERSE_LIST(srv->matches, srv->nmatches, cf->dhcpopt->matches,
	    struct conf_dhcp_match);
	/* dhcp-lease-max: lease_add() refuses more */
	if (srv->leases != NULL)
		lease_table_set_max(srv->leases,
		    cf->dhcp->lease_max > 0 ? (unsigned)cf->dhcp->lease_max :
		    0);
	for (l = lease_first(srv->leases); l != NULL; l = lease_next(l))
		dhcp_pool_mark(&srv->pool, l->addr, true);
	srv->oflags = calloc(srv->nopts + 1, 1);
	srv->chain_buf = calloc(srv->pool.nranges + 1, sizeof(uint16_t));
	if (srv->oflags == NULL || srv->chain_buf == NULL)
		return -ENOMEM;
	return 0;
}

struct dhcp_server *
dhcp_server_new(const struct conf *cf, struct lease_table *leases,
    struct lease_store *store, const struct dhcp_server_hooks *hooks,
    uint64_t seed)
{
	struct dhcp_server *srv = calloc(1, sizeof(*srv));
	if (srv == NULL)
		return NULL;
	srv->leases = leases;
	srv->store = store;
	if (hooks != NULL)
		srv->hooks = *hooks;
	srv->rng = seed != 0 ? seed : 0x9e3779b97f4a7c15ull;
	srv->logbuf = malloc(LOG_BUF_MAX);
	if (srv->logbuf == NULL || conf_state_init(srv, cf) < 0) {
		srv->leases = NULL;	/* the caller keeps it on failure */
		dhcp_server_free(srv);
		return NULL;
	}
	return srv;
}

void
dhcp_server_free(struct dhcp_server *srv)
{
	if (srv == NULL)
		return;
	conf_state_free(srv);
	free(srv->logbuf);
	if (srv->leases != NULL)
		lease_table_free(srv->leases);
	free(srv);
}

int
dhcp_server_set_conf(struct dhcp_server *srv, const struct conf *cf)
{
	struct dhcp_pool old = srv->pool;
	int rc;

	/* the old pool lives on until its state is carried over */
	memset(&srv->pool, 0, sizeof(srv->pool));
	conf_state_free(srv);
	if ((rc = conf_state_init(srv, cf)) < 0)
		conf_state_free(srv);
	else
		dhcp_pool_carry(&srv->pool, &old);
	dhcp_pool_fini(&old);
	return rc;
}

struct lease_table *
dhcp_server_leases(struct dhcp_server *srv)
{
	return srv->leases;
}

const struct dhcp_server_stats *
dhcp_server_stats(const struct dhcp_server *srv)
{
	return &srv->stats;
}
