/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp_pool.c - dhcp-range candidates, dhcp-host lookup, address
 * allocation and the probe cache (see dhcp_pool.h for the rules).
 */
#include "dhcp_pool.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "conf.h"
#include "conf_dhcp.h"
#include "conf_int.h"

#define RANGE_DYN_SKIP (CONF_DHCP_RANGE_STATIC | CONF_DHCP_RANGE_PROXY)

bool
dhcp_same_net(struct in_addr a, struct in_addr b, struct in_addr mask)
{
	return (a.s_addr & mask.s_addr) == (b.s_addr & mask.s_addr);
}

static uint32_t
h32(struct in_addr a)
{
	return ntohl(a.s_addr);
}

static struct in_addr
a32(uint32_t v)
{
	struct in_addr a;

	a.s_addr = htonl(v);
	return a;
}

static uint32_t
addr_hash(struct in_addr a)
{
	return h32(a) * 2654435761u;
}

/* --- set-up ------------------------------------------------------------- */

static int
pool_ranges(struct dhcp_pool *p)
{
	const struct conf_dhcp_range *r;
	unsigned i;

	for (r = p->cf->dhcp->ranges; r != NULL; r = r->next)
		p->nranges++;
	if (p->nranges > UINT16_MAX)
		return -E2BIG;
	p->range = calloc(p->nranges + 1, sizeof(*p->range));
	p->rs = calloc(p->nranges + 1, sizeof(*p->rs));
	if (p->range == NULL || p->rs == NULL)
		return -ENOMEM;
	/* newest first, as dnsmasq's list */
	i = p->nranges;
	for (r = p->cf->dhcp->ranges; r != NULL; r = r->next) {
		struct dhcp_range_state *s = &p->rs[--i];

		p->range[i] = r;
		if (r->flags & CONF_DHCP_RANGE_NETMASK)
			s->netmask = r->netmask;
		if (r->flags & CONF_DHCP_RANGE_BROADCAST)
			s->broadcast = r->broadcast;
		s->seq_hint = r->end;
		if (!(r->flags & RANGE_DYN_SKIP) &&
		    h32(r->end) - h32(r->start) < DHCP_POOL_BITMAP_MAX &&
		    (s->used = calloc((h32(r->end) - h32(r->start)) / 64 + 1,
		    sizeof(uint64_t))) == NULL)
			return -ENOMEM;
	}
	return 0;
}

static int
pool_hosts(struct dhcp_pool *p)
{
	const struct conf_dhcp_host *h;
	unsigned i, size = 16;

	for (h = p->cf->dhcp->hosts; h != NULL; h = h->next)
		p->nhosts++;
	p->host = calloc(p->nhosts + 1, sizeof(*p->host));
	p->declined_ms = calloc(p->nhosts + 1, sizeof(*p->declined_ms));
	while (size < 2 * p->nhosts)
		size *= 2;
	p->addr_slot = calloc(size, sizeof(*p->addr_slot));
	if (p->host == NULL || p->declined_ms == NULL || p->addr_slot == NULL)
		return -ENOMEM;
	p->addr_mask = size - 1;
	i = p->nhosts;
	for (h = p->cf->dhcp->hosts; h != NULL; h = h->next)
		p->host[--i] = h;
	for (i = 0; i < p->nhosts; i++) {
		unsigned s;

		p->declined_ms[i] = INT64_MIN;
		if (!(p->host[i]->flags & CONF_DHCP_HOST_ADDR))
			continue;
		/* the parser refuses duplicate addresses; keep the first */
		if (dhcp_pool_host_by_addr(p, p->host[i]->addr) >= 0)
			continue;
		s = addr_hash(p->host[i]->addr) & p->addr_mask;
		while (p->addr_slot[s] != 0)
			s = (s + 1) & p->addr_mask;
		p->addr_slot[s] = i + 1;
	}
	return 0;
}

int
dhcp_pool_init(struct dhcp_pool *p, const struct conf *cf,
    const struct tag_names *tn, dhcp_log_fn *log, void *log_ctx)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->cf = cf;
	p->tn = tn;
	p->log = log;
	p->log_ctx = log_ctx;
	if (cf->dhcp == NULL)
		return 0;
	if ((rc = pool_ranges(p)) < 0 || (rc = pool_hosts(p)) < 0) {
		dhcp_pool_fini(p);
		return rc;
	}
	return 0;
}

void
dhcp_pool_fini(struct dhcp_pool *p)
{
	unsigned i;

	for (i = 0; p->rs != NULL && i < p->nranges; i++)
		free(p->rs[i].used);
	free(p->range);
	free(p->rs);
	free(p->host);
	free(p->declined_ms);
	free(p->addr_slot);
	p->range = NULL;
	p->rs = NULL;
	p->host = NULL;
	p->declined_ms = NULL;
	p->addr_slot = NULL;
	p->nranges = p->nhosts = 0;
}

static bool
pool_same_src(const struct conf_src *a, const struct conf_src *b)
{
	if (a->line != b->line || (a->file == NULL) != (b->file == NULL))
		return false;
	return a->file == NULL || strcmp(a->file, b->file) == 0;
}

void
dhcp_pool_carry(struct dhcp_pool *to, const struct dhcp_pool *from)
{
	unsigned i;

	if (to->nranges == from->nranges)
		for (i = 0; i < to->nranges; i++) {
			const struct conf_dhcp_range *a = to->range[i];
			const struct conf_dhcp_range *b = from->range[i];
			struct dhcp_range_state *s = &to->rs[i];
			uint64_t *used = s->used;

			if (a->start.s_addr != b->start.s_addr ||
			    a->end.s_addr != b->end.s_addr ||
			    a->flags != b->flags)
				continue;
			*s = from->rs[i];
			s->used = used;	/* kept current by the owner */
		}
	for (i = 0; i < to->nhosts && i < from->nhosts; i++) {
		const struct conf_dhcp_host *a = to->host[to->nhosts - 1 - i];
		const struct conf_dhcp_host *b =
		    from->host[from->nhosts - 1 - i];

		/* oldest first: the main configuration's entries */
		if ((a->flags | b->flags) & CONF_DHCP_HOST_BANK)
			break;
		if (pool_same_src(&a->src, &b->src) &&
		    (a->flags & CONF_DHCP_HOST_ADDR) &&
		    (b->flags & CONF_DHCP_HOST_ADDR) &&
		    a->addr.s_addr == b->addr.s_addr)
			to->declined_ms[to->nhosts - 1 - i] =
			    from->declined_ms[from->nhosts - 1 - i];
	}
}

/* --- candidate ranges -------------------------------------------------- */

static bool
chain_has(const struct dhcp_chain *c, unsigned idx)
{
	unsigned i;

	for (i = 0; i < c->n; i++)
		if (c->v[i] == idx)
			return true;
	return false;
}

/* dnsmasq prepends to ->current; we append and reverse once. */
static void
chain_reverse(struct dhcp_chain *c)
{
	unsigned i;

	for (i = 0; i < c->n / 2; i++) {
		uint16_t t = c->v[i];

		c->v[i] = c->v[c->n - 1 - i];
		c->v[c->n - 1 - i] = t;
	}
}

/* guess_range_netmask(): ranges without a netmask take the interface's. */
static void
pool_guess_netmask(struct dhcp_pool *p, struct in_addr local,
    struct in_addr mask)
{
	unsigned i;

	for (i = 0; i < p->nranges; i++) {
		const struct conf_dhcp_range *r = p->range[i];
		struct dhcp_range_state *s = &p->rs[i];
		bool st = dhcp_same_net(local, r->start, mask);
		bool en = dhcp_same_net(local, r->end, mask);

		if ((r->flags & CONF_DHCP_RANGE_NETMASK) || (!st && !en))
			continue;
		if (s->netmask.s_addr != mask.s_addr && !(st && en) &&
		    !s->warned && p->log != NULL) {
			char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
			char m[INET_ADDRSTRLEN], line[200];

			inet_ntop(AF_INET, &r->start, a, sizeof(a));
			inet_ntop(AF_INET, &r->end, b, sizeof(b));
			inet_ntop(AF_INET, &mask, m, sizeof(m));
			snprintf(line, sizeof(line), "DHCP range %s -- %s is "
			    "not consistent with netmask %s", a, b, m);
			p->log(p->log_ctx, LOG_WARNING, line);
			s->warned = true;
		}
		s->netmask = mask;
	}
}

void
dhcp_pool_iface(struct dhcp_pool *p, const struct dhcp_ifaddr *addrs,
    unsigned naddrs, struct dhcp_chain *out)
{
	unsigned a, i;

	out->n = 0;
	for (a = 0; a < naddrs; a++) {
		const struct dhcp_ifaddr *ia = &addrs[a];

		pool_guess_netmask(p, ia->addr, ia->netmask);
		for (i = 0; i < p->nranges; i++) {
			const struct conf_dhcp_range *r = p->range[i];
			struct dhcp_range_state *s = &p->rs[i];

			if (s->netmask.s_addr == 0 ||
			    !dhcp_same_net(ia->addr, r->start, s->netmask) ||
			    !dhcp_same_net(ia->addr, r->end, s->netmask))
				continue;
			if (!chain_has(out, i)) {
				s->router = ia->addr;
				s->local = ia->addr;
				out->v[out->n++] = (uint16_t)i;
			}
			if (r->flags & CONF_DHCP_RANGE_BROADCAST)
				continue;
			if (dhcp_same_net(ia->broadcast, r->start, s->netmask))
				s->broadcast = ia->broadcast;
			else
				s->broadcast.s_addr = r->start.s_addr |
				    ~s->netmask.s_addr;
		}
	}
	chain_reverse(out);
}

/* The classful netmask dnsmasq guesses for a relayed range. */
static struct in_addr
classful(const struct conf_dhcp_range *r)
{
	uint32_t s = h32(r->start), e = h32(r->end);

	if ((s & 0x80000000u) == 0 && (e & 0x80000000u) == 0)
		return a32(0xff000000u);
	if ((s & 0xc0000000u) == 0x80000000u &&
	    (e & 0xc0000000u) == 0x80000000u)
		return a32(0xffff0000u);
	if ((s & 0xe0000000u) == 0xc0000000u &&
	    (e & 0xe0000000u) == 0xc0000000u)
		return a32(0xffffff00u);
	return a32(0);
}

void
dhcp_pool_remote(struct dhcp_pool *p, struct dhcp_chain *c,
    struct in_addr addr, bool force, bool relay, struct in_addr giaddr,
    struct in_addr fallback)
{
	unsigned i, n = 0;

	(void)relay;	/* shared-network is refused at start-up */
	if (!force)
		for (i = 0; i < c->n; i++) {
			const struct conf_dhcp_range *r = p->range[c->v[i]];
			struct in_addr m = p->rs[c->v[i]].netmask;

			if (m.s_addr != 0 && dhcp_same_net(addr, r->start, m) &&
			    dhcp_same_net(addr, r->end, m))
				return;
		}
	/* The new set is built in place: the old one is not read again. */
	for (i = 0; i < p->nranges; i++) {
		const struct conf_dhcp_range *r = p->range[i];
		struct dhcp_range_state *s = &p->rs[i];
		struct in_addr m = s->netmask;

		if (!(r->flags & CONF_DHCP_RANGE_NETMASK) && m.s_addr == 0)
			m = classful(r);
		if (m.s_addr == 0 || !dhcp_same_net(addr, r->start, m) ||
		    !dhcp_same_net(addr, r->end, m))
			continue;
		s->netmask = m;
		if (s->local.s_addr == 0)
			s->local = fallback;
		if (s->router.s_addr == 0)
			s->router = giaddr;
		if (!(r->flags & CONF_DHCP_RANGE_BROADCAST) &&
		    s->broadcast.s_addr == 0)
			s->broadcast.s_addr = r->start.s_addr | ~m.s_addr;
		c->v[n++] = (uint16_t)i;
		c->n = n;
	}
	if (n > 0)
		chain_reverse(c);
	else if (force)
		c->n = 0;
}

int
dhcp_pool_available(const struct dhcp_pool *p, const struct dhcp_chain *c,
    struct in_addr a, const struct tag_set *tags)
{
	uint32_t x = h32(a);
	unsigned i;

	/* dnsmasq compares with the first candidate's router only */
	if (c->n > 0 && a.s_addr == p->rs[c->v[0]].router.s_addr)
		return -1;
	for (i = 0; i < c->n; i++) {
		const struct conf_dhcp_range *r = p->range[c->v[i]];

		if (!(r->flags & RANGE_DYN_SKIP) && x >= h32(r->start) &&
		    x <= h32(r->end) && tag_expr_match(tags, &r->filter, true))
			return c->v[i];
	}
	return -1;
}

int
dhcp_pool_narrow(const struct dhcp_pool *p, const struct dhcp_chain *c,
    struct in_addr a, const struct tag_set *tags)
{
	int r = dhcp_pool_available(p, c, a, tags);
	unsigned pass, i;

	for (pass = 0; r < 0 && pass < 2; pass++)
		for (i = 0; i < c->n; i++) {
			const struct conf_dhcp_range *x = p->range[c->v[i]];

			if (!tag_expr_match(tags, &x->filter, true) ||
			    !dhcp_same_net(a, x->start, p->rs[c->v[i]].netmask))
				continue;
			if (pass == 0 ?
			    (x->flags & CONF_DHCP_RANGE_STATIC) != 0 :
			    (x->flags & CONF_DHCP_RANGE_PROXY) == 0) {
				r = c->v[i];
				break;
			}
		}
	return r;
}

/* --- hosts ------------------------------------------------------------- */

int
dhcp_pool_host_by_addr(const struct dhcp_pool *p, struct in_addr a)
{
	unsigned s;

	if (p->addr_slot == NULL)
		return -1;
	for (s = addr_hash(a) & p->addr_mask; p->addr_slot[s] != 0;
	    s = (s + 1) & p->addr_mask) {
		unsigned i = p->addr_slot[s] - 1;

		if (p->host[i]->addr.s_addr == a.s_addr)
			return (int)i;
	}
	return -1;
}

static bool
hw_type_ok(const struct conf_dhcp_hwaddr *w, unsigned htype)
{
	return w->type == 0 || (unsigned)w->type == htype;
}

bool
dhcp_pool_host_has_mac(const struct dhcp_pool *p, int h, const uint8_t *hw,
    size_t hlen, unsigned htype)
{
	const struct conf_dhcp_host *x = p->host[h];
	unsigned i;

	for (i = 0; i < x->nhw; i++) {
		const struct conf_dhcp_hwaddr *w = &x->hw[i];

		if (w->wild == 0 && w->len == hlen && hw_type_ok(w, htype) &&
		    memcmp(w->addr, hw, hlen) == 0)
			return true;
	}
	return false;
}

/* memcmp_masked(): 0 on a mismatch, else 1 + the fixed bytes. */
static int
hw_masked(const struct conf_dhcp_hwaddr *w, const uint8_t *hw, size_t hlen)
{
	int count = 1;
	size_t i;

	for (i = 0; i < hlen; i++) {
		if (i < 32 && ((w->wild >> i) & 1))
			continue;
		if (w->addr[i] != hw[i])
			return 0;
		count++;
	}
	return count;
}

/* is_config_in_context(). */
static bool
host_in_chain(const struct dhcp_pool *p, const struct dhcp_chain *c,
    const struct conf_dhcp_host *h)
{
	unsigned i;

	if (c == NULL)
		return true;
	if (!(h->flags & CONF_DHCP_HOST_ADDR))
		return h->naddr6 == 0;
	for (i = 0; i < c->n; i++)
		if (dhcp_same_net(h->addr, p->range[c->v[i]]->start,
		    p->rs[c->v[i]].netmask))
			return true;
	return false;
}

static bool
name_equal(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

struct host_key {
	const struct dhcp_chain *c;
	const uint8_t *clid;
	size_t clid_len;
	const uint8_t *hw;
	size_t hlen;
	unsigned htype;
	const char *hostname;
	const struct tag_set *tags;
	bool untagged_ok;
};

static bool
host_usable(const struct dhcp_pool *p, const struct host_key *k, unsigned i)
{
	return host_in_chain(p, k->c, p->host[i]) &&
	    tag_expr_match(k->tags, &p->host[i]->filter, k->untagged_ok);
}

static int
host_by_clid(const struct dhcp_pool *p, const struct host_key *k)
{
	unsigned i;

	for (i = 0; k->clid != NULL && i < p->nhosts; i++) {
		const struct conf_dhcp_host *h = p->host[i];

		if (!(h->flags & CONF_DHCP_HOST_CLID))
			continue;
		if (h->clid_len == k->clid_len &&
		    memcmp(h->clid, k->clid, k->clid_len) == 0 &&
		    host_usable(p, k, i))
			return (int)i;
		/* dhcpcd puts a zero before text client ids */
		if (k->clid_len > 0 && k->clid[0] == 0 &&
		    h->clid_len == k->clid_len - 1 &&
		    memcmp(h->clid, k->clid + 1, h->clid_len) == 0 &&
		    host_usable(p, k, i))
			return (int)i;
	}
	return -1;
}

static int
host_match(const struct dhcp_pool *p, const struct host_key *k)
{
	int best = -1, count = 0;
	unsigned i, j;

	if ((best = host_by_clid(p, k)) >= 0)
		return best;
	for (i = 0; k->hw != NULL && i < p->nhosts; i++)
		if (dhcp_pool_host_has_mac(p, (int)i, k->hw, k->hlen,
		    k->htype) && host_usable(p, k, i))
			return (int)i;
	for (i = 0; k->hostname != NULL && k->c != NULL && i < p->nhosts; i++)
		if ((p->host[i]->flags & CONF_DHCP_HOST_NAME) &&
		    name_equal(p->host[i]->hostname, k->hostname) &&
		    host_usable(p, k, i))
			return (int)i;
	if (k->hw == NULL)
		return -1;
	for (i = 0; i < p->nhosts; i++) {
		const struct conf_dhcp_host *h = p->host[i];

		if (!host_usable(p, k, i))
			continue;
		for (j = 0; j < h->nhw; j++) {
			const struct conf_dhcp_hwaddr *w = &h->hw[j];
			int n;

			if (w->wild == 0 || w->len != k->hlen ||
			    !hw_type_ok(w, k->htype))
				continue;
			if ((n = hw_masked(w, k->hw, k->hlen)) > count) {
				count = n;
				best = (int)i;
			}
		}
	}
	return best;
}

int
dhcp_pool_find_host(const struct dhcp_pool *p, const struct dhcp_chain *c,
    const uint8_t *clid, size_t clid_len, const uint8_t *hw, size_t hlen,
    unsigned htype, const char *hostname, const struct tag_set *tags)
{
	struct host_key k = { c, clid, clid_len, hw, hlen, htype, hostname,
		tags, false };
	int h;

	if ((h = host_match(p, &k)) >= 0)
		return h;
	k.untagged_ok = true;
	return host_match(p, &k);
}

void
dhcp_pool_host_decline(struct dhcp_pool *p, int h, int64_t now_ms)
{
	if (h >= 0 && (unsigned)h < p->nhosts)
		p->declined_ms[h] = now_ms;
}

bool
dhcp_pool_host_declined(const struct dhcp_pool *p, int h, int64_t now_ms)
{
	if (h < 0 || (unsigned)h >= p->nhosts ||
	    p->declined_ms[h] == INT64_MIN)
		return false;
	return now_ms - p->declined_ms[h] < DHCP_DECLINE_BACKOFF_MS;
}

/* --- probe cache -------------------------------------------------------- */

static struct dhcp_ping_entry *
ping_find(struct dhcp_pool *p, struct in_addr a, int64_t now_ms,
    unsigned *recent)
{
	struct dhcp_ping_entry *found = NULL;
	unsigned i;

	*recent = 0;
	for (i = 0; i < DHCP_PING_CACHE; i++) {
		struct dhcp_ping_entry *e = &p->ping[i];

		if (e->state == DHCP_PING_FREE)
			continue;
		if (now_ms - e->when_ms > DHCP_PING_CACHE_MS) {
			e->state = DHCP_PING_FREE;
			continue;
		}
		/* every check counts, so that busy answers cannot keep a
		 * request probing forever */
		(*recent)++;
		if (e->addr.s_addr == a.s_addr)
			found = e;
	}
	return found;
}

static struct dhcp_ping_entry *
ping_slot(struct dhcp_pool *p)
{
	struct dhcp_ping_entry *victim = &p->ping[0];
	unsigned i;

	for (i = 0; i < DHCP_PING_CACHE; i++) {
		if (p->ping[i].state == DHCP_PING_FREE)
			return &p->ping[i];
		if (p->ping[i].when_ms < victim->when_ms)
			victim = &p->ping[i];
	}
	return victim;
}

/* Result of one candidate: usable (with the hash it was offered to),
 * in use, or to be probed. */
enum ping_verdict { PING_USE, PING_BUSY, PING_PROBE };

static enum ping_verdict
ping_verdict(struct dhcp_pool *p, struct in_addr a, uint32_t hash,
    bool ping, int64_t now_ms, uint32_t *hash_out)
{
	unsigned recent;
	struct dhcp_ping_entry *e = ping_find(p, a, now_ms, &recent);

	*hash_out = hash;
	if (e != NULL) {
		if (e->state == DHCP_PING_PENDING)
			return PING_PROBE;
		if (e->state == DHCP_PING_BUSY)
			return PING_BUSY;
		*hash_out = e->hash;
		return PING_USE;
	}
	/* overloaded, no-ping or loopback: "not in use" */
	if (recent >= DHCP_PING_MAX_RECENT || !ping)
		return PING_USE;
	return PING_PROBE;
}

static void
ping_pending(struct dhcp_pool *p, struct in_addr a, uint32_t hash,
    int64_t now_ms)
{
	unsigned recent;
	struct dhcp_ping_entry *e;

	if (ping_find(p, a, now_ms, &recent) != NULL)
		return;
	e = ping_slot(p);

	e->state = DHCP_PING_PENDING;
	e->addr = a;
	e->hash = hash;
	e->when_ms = now_ms;
}

bool
dhcp_pool_ping_check(struct dhcp_pool *p, struct in_addr a, uint32_t hash,
    bool ping, int64_t now_ms, bool *probe)
{
	uint32_t h;
	enum ping_verdict v = ping_verdict(p, a, hash, ping, now_ms, &h);

	*probe = v == PING_PROBE;
	if (*probe)
		ping_pending(p, a, hash, now_ms);
	return v == PING_USE;
}

void
dhcp_pool_probe_done(struct dhcp_pool *p, struct in_addr a, uint32_t hash,
    bool in_use, int64_t now_ms)
{
	unsigned recent, i;
	struct dhcp_ping_entry *e = ping_find(p, a, now_ms, &recent);
	uint32_t x = h32(a);

	if (e == NULL)
		e = ping_slot(p);
	e->state = in_use ? DHCP_PING_BUSY : DHCP_PING_CLEAN;
	e->addr = a;
	e->hash = hash;
	e->when_ms = now_ms;
	if (!in_use || conf_flag(p->cf, CONF_KW_DHCP_SEQUENTIAL_IP))
		return;
	/* address in use: perturb the selection of its range */
	for (i = 0; i < p->nranges; i++)
		if (!(p->range[i]->flags & RANGE_DYN_SKIP) &&
		    x >= h32(p->range[i]->start) && x <= h32(p->range[i]->end))
			p->rs[i].epoch++;
}

/* --- allocation ------------------------------------------------------- */

uint32_t
dhcp_pool_hash(const uint8_t *hw, size_t len)
{
	uint32_t j = 0;
	size_t i;

	for (i = 0; i < len; i++)
		j = hw[i] + (j << 6) + (j << 16) - j;
	return j == 0 ? 1 : j;
}

/* lease_find_max_addr(): the highest leased address above start, else
 * start.  The hint only moves down here (and up in note_lease), so the
 * walk is amortised over the leases of the range. */
static struct in_addr
seq_start(struct dhcp_pool *p, unsigned idx, const struct dhcp_alloc_req *r)
{
	const struct conf_dhcp_range *x = p->range[idx];
	struct dhcp_range_state *s = &p->rs[idx];
	uint32_t a = h32(s->seq_hint), lo = h32(x->start);

	if (a > h32(x->end))
		a = h32(x->end);
	for (; a > lo; a--)
		if (r->leased(r->ctx, a32(a)))
			break;
	if (a < lo)
		a = lo;
	s->seq_hint = a32(a);
	return a32(a);
}

void
dhcp_pool_note_lease(struct dhcp_pool *p, struct in_addr a)
{
	uint32_t x = h32(a);
	unsigned i;

	for (i = 0; i < p->nranges; i++)
		if (x >= h32(p->range[i]->start) &&
		    x <= h32(p->range[i]->end) && x > h32(p->rs[i].seq_hint))
			p->rs[i].seq_hint = a;
}

void
dhcp_pool_mark(struct dhcp_pool *p, struct in_addr a, bool leased)
{
	uint32_t x = h32(a), off;
	unsigned i;

	for (i = 0; i < p->nranges; i++) {
		uint64_t *u = p->rs[i].used;

		if (u == NULL || x < h32(p->range[i]->start) ||
		    x > h32(p->range[i]->end))
			continue;
		off = x - h32(p->range[i]->start);
		if (leased)
			u[off / 64] |= (uint64_t)1 << (off % 64);
		else
			u[off / 64] &= ~((uint64_t)1 << (off % 64));
	}
}

/* How many addresses from off on (wrapping at size) are marked leased,
 * at most left. */
static uint32_t
used_run(const uint64_t *u, uint32_t size, uint32_t off, uint32_t left)
{
	uint32_t n = 0;

	while (n < left) {
		uint32_t idx = off + n < size ? off + n : off + n - size;
		uint32_t b = idx % 64, t;
		uint64_t w = u[idx / 64] >> b;

		t = ~w == 0 ? 64 : (uint32_t)__builtin_ctzll(~w);
		if (t > size - idx)
			t = size - idx;
		n += t;
		/* a free address inside this word (not the range's end) */
		if (t < 64 - b && idx + t < size)
			break;
	}
	return n < left ? n : left;
}

static bool
addr_is_router(const struct dhcp_pool *p, const struct dhcp_chain *c,
    struct in_addr a)
{
	unsigned i;

	for (i = 0; i < c->n; i++)
		if (p->rs[c->v[i]].router.s_addr == a.s_addr)
			return true;
	return false;
}

/* Windows breaks on .0 and .255 in the old class C space (KB281579). */
static bool
addr_windows_bad(uint32_t x)
{
	return (x & 0xe0000000u) == 0xc0000000u &&
	    ((x & 0xff) == 0xff || (x & 0xff) == 0);
}

struct alloc_scan {
	uint32_t hash;
	uint32_t *epoch;		/* working copy for this range */
	bool sequential;
};

/* Scans one range.  Returns OK/PROBE with *out, or NONE. */
static enum dhcp_alloc
alloc_range(struct dhcp_pool *p, const struct dhcp_chain *c, unsigned idx,
    const struct dhcp_alloc_req *r, struct alloc_scan *sc,
    struct in_addr *out)
{
	const struct conf_dhcp_range *x = p->range[idx];
	const uint64_t *used = p->rs[idx].used;
	uint32_t lo = h32(x->start), hi = h32(x->end), size = hi - lo + 1;
	uint32_t start, off, left;

	if (size == 0)
		size = UINT32_MAX;	/* the whole address space */

	if (sc->sequential)
		start = h32(seq_start(p, idx, r));
	else
		start = lo + (sc->hash + *sc->epoch) % size;
	/* upwards from start, wrapping, each address once */
	for (off = start - lo, left = size; left > 0;
	    off = off + 1 == size ? 0 : off + 1, left--) {
		struct in_addr ia;
		uint32_t a, skip;

		if (used != NULL &&
		    (skip = used_run(used, size, off, left)) > 0) {
			if ((left -= skip) == 0)
				break;
			off = off + skip < size ? off + skip :
			    off + skip - size;
		}
		a = lo + off;
		ia = a32(a);

		if (!addr_is_router(p, c, ia) && !r->leased(r->ctx, ia) &&
		    dhcp_pool_host_by_addr(p, ia) < 0 && !addr_windows_bad(a)) {
			uint32_t h;
			enum ping_verdict v;

			/* dhcp-sequential-ip: skip as many free addresses as
			 * clients declined */
			if (sc->sequential && *sc->epoch > 0)
				(*sc->epoch)--;
			else if ((v = ping_verdict(p, ia, sc->hash, r->ping,
			    r->now_ms, &h)) == PING_PROBE) {
				*out = ia;
				return DHCP_ALLOC_PROBE;
			} else if (v == PING_USE &&
			    (!sc->sequential || h == sc->hash)) {
				*out = ia;
				return DHCP_ALLOC_OK;
			}
		}
	}
	return DHCP_ALLOC_NONE;
}

enum dhcp_alloc
dhcp_pool_allocate(struct dhcp_pool *p, const struct dhcp_chain *c,
    const struct dhcp_alloc_req *r, struct in_addr *out)
{
	struct alloc_scan sc;
	enum dhcp_alloc res = DHCP_ALLOC_NONE;
	unsigned pass, i;
	uint32_t epoch[64];
	unsigned changed[64], nchanged = 0;

	sc.hash = dhcp_pool_hash(r->hw, r->hlen);
	sc.sequential = r->sequential;
	for (pass = 0; pass < 2 && res == DHCP_ALLOC_NONE; pass++)
		for (i = 0; i < c->n && res == DHCP_ALLOC_NONE; i++) {
			unsigned idx = c->v[i];
			uint32_t e = p->rs[idx].epoch;

			if ((p->range[idx]->flags & RANGE_DYN_SKIP) ||
			    !tag_expr_match(r->tags, &p->range[idx]->filter,
			    pass == 1))
				continue;
			sc.epoch = &e;
			res = alloc_range(p, c, idx, r, &sc, out);
			/* sequential skips are kept unless we must probe */
			if (e != p->rs[idx].epoch && nchanged < 64) {
				changed[nchanged] = idx;
				epoch[nchanged++] = e;
			}
		}
	if (res == DHCP_ALLOC_PROBE) {
		ping_pending(p, *out, sc.hash, r->now_ms);
		return res;
	}
	for (i = 0; i < nchanged; i++)
		p->rs[changed[i]].epoch = epoch[i];
	return res;
}

void
dhcp_pool_bump_epoch(struct dhcp_pool *p, const struct dhcp_chain *c)
{
	unsigned i;

	for (i = 0; i < c->n; i++)
		p->rs[c->v[i]].epoch++;
}
