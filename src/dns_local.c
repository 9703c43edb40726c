/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dns_local.c - locally known names (see dns_local.h).
 */
#include "dns_local.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "conf.h"
#include "conf_dhcp.h"
#include "conf_dns.h"
#include "conf_int.h"
#include "dns_msg.h"
#include "dnsname.h"
#include "hostsfile.h"

struct dns_local {
	size_t n, cap;
	struct dns_local_ent *v;	/* owned; names in the arena below */
	char *names;
	size_t names_len, names_cap;
	uint32_t nb;			/* buckets, power of two */
	struct dns_local_ent **nbuck, **abuck;
};

static uint32_t
dns_local_hash(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *b++) * 16777619u;
	return h;
}

static size_t
dns_local_addr_len(int family)
{
	return family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
}

/* Pass 1 counts (l->v NULL); pass 2 stores. */
static void
dns_local_add(struct dns_local *l, const char *name, int family,
    const void *addr, const char *src, unsigned ttl)
{
	char lname[DNSNAME_BUF];
	size_t nl;
	struct dns_local_ent *e;

	dns_name_lower(name, lname);
	nl = strlen(lname) + 1;
	if (l->v == NULL) {
		l->cap++;
		l->names_cap += nl;
		return;
	}
	if (l->n >= l->cap || l->names_len + nl > l->names_cap)
		return;
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	memcpy(l->names + l->names_len, lname, nl);
	e->name = l->names + l->names_len;
	l->names_len += nl;
	e->family = family;
	memcpy(&e->addr, addr, dns_local_addr_len(family));
	e->src = src;
	e->ttl = ttl;
}

/* option.c: a host-record without TTL gets local-ttl. */
static void
dns_local_add_rec(struct dns_local *l, const struct conf_dns_host_record *r,
    uint32_t local_ttl)
{
	unsigned i;
	unsigned ttl = r->ttl == CONF_DNS_TTL_DEFAULT ? local_ttl :
	    (unsigned)r->ttl;

	for (i = 0; i < r->n_names; i++) {
		if (r->has_v4)
			dns_local_add(l, r->names[i], AF_INET, &r->v4,
			    "config", ttl);
		if (r->has_v6)
			dns_local_add(l, r->names[i], AF_INET6, &r->v6,
			    "config", ttl);
	}
}

static void
dns_local_add_all(struct dns_local *l, const struct conf *cf,
    struct hostsfile *const *h, const char *const *paths, size_t n)
{
	const struct conf_dns_host_record *r;
	const char *dom = cf->dhcp->domain_from_resolv ?
	    cf->dhcp->domain_resolved : cf->dhcp->domain_suffix;
	bool expand = conf_flag(cf, CONF_KW_EXPAND_HOSTS) && dom != NULL &&
	    dom[0] != '\0';
	char full[DNSNAME_BUF];
	size_t i, j;
	/* cache.c: hosts-file names are answered with local-ttl */
	uint32_t ttl = cf->dns->local_ttl;

	for (r = cf->dns->host_records; r != NULL; r = r->next)
		dns_local_add_rec(l, r, ttl);
	for (i = 0; i < n; i++) {
		for (j = 0; j < h[i]->n; j++) {
			const struct hostsfile_entry *e = &h[i]->entries[j];

			/* expand-hosts: NAME.DOMAIN first, so it gets the
			 * PTR record, as dnsmasq answers */
			if (expand && !e->fqdn && (size_t)snprintf(full,
			    sizeof(full), "%s.%s", e->name, dom) <
			    sizeof(full))
				dns_local_add(l, full, e->family, &e->addr,
				    paths[i], ttl);
			dns_local_add(l, e->name, e->family, &e->addr,
			    paths[i], ttl);
		}
	}
}

static void
dns_local_index(struct dns_local *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct dns_local_ent *e = &l->v[i], **pp;
		uint32_t hn = dns_local_hash(e->name, strlen(e->name));
		uint32_t ha = dns_local_hash(&e->addr,
		    dns_local_addr_len(e->family));

		/* append: the first name given stays first */
		for (pp = &l->nbuck[hn & (l->nb - 1)]; *pp; pp = &(*pp)->nnext)
			;
		*pp = e;
		if (dns_local_by_addr(l, e->family, &e->addr) != NULL)
			continue;
		e->ptr = true;
		e->anext = l->abuck[ha & (l->nb - 1)];
		l->abuck[ha & (l->nb - 1)] = e;
	}
}

struct dns_local *
dns_local_new(const struct conf *cf, struct hostsfile *const *h,
    const char *const *paths, size_t n)
{
	struct dns_local *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	dns_local_add_all(l, cf, h, paths, n);	/* count */
	l->nb = 16;
	while (l->nb < l->cap * 2 && l->nb < (1u << 24))
		l->nb <<= 1;
	l->v = calloc(l->cap ? l->cap : 1, sizeof(*l->v));
	l->names = malloc(l->names_cap ? l->names_cap : 1);
	l->nbuck = calloc(l->nb, sizeof(*l->nbuck));
	l->abuck = calloc(l->nb, sizeof(*l->abuck));
	if (l->v == NULL || l->names == NULL || l->nbuck == NULL ||
	    l->abuck == NULL) {
		dns_local_free(l);
		return NULL;
	}
	dns_local_add_all(l, cf, h, paths, n);	/* store */
	dns_local_index(l);
	return l;
}

void
dns_local_free(struct dns_local *l)
{
	if (l == NULL)
		return;
	free(l->v);
	free(l->names);
	free(l->nbuck);
	free(l->abuck);
	free(l);
}

const struct dns_local_ent *
dns_local_by_name(const struct dns_local *l, const char *lname)
{
	const struct dns_local_ent *e;

	if (l == NULL || l->n == 0)
		return NULL;
	e = l->nbuck[dns_local_hash(lname, strlen(lname)) & (l->nb - 1)];
	for (; e != NULL; e = e->nnext)
		if (strcmp(e->name, lname) == 0)
			return e;
	return NULL;
}

const struct dns_local_ent *
dns_local_by_addr(const struct dns_local *l, int family, const void *addr)
{
	size_t al = dns_local_addr_len(family);
	const struct dns_local_ent *e;

	if (l == NULL || l->n == 0)
		return NULL;
	e = l->abuck[dns_local_hash(addr, al) & (l->nb - 1)];
	for (; e != NULL; e = e->anext)
		if (e->family == family && memcmp(&e->addr, addr, al) == 0)
			return e;
	return NULL;
}

/* --- local records ------------------------------------------------------ */

#define DNS_RRS_TARGETS_MAX 64	/* MX/SRV targets given additional data */

struct dns_local_rrs {
	const struct conf *cf;
	size_t n;
	const struct conf_dns_rr **v;	/* newest first, as dnsmasq */
	unsigned *turn;		/* SRV rotation, by first entry */
	char host[DNSNAME_BUF];	/* gethostname(), as option.c */
	bool host_mx;		/* localmx / mx-target: MX for host */
	const char *mx_default;	/* mx-target, else the host name */
};

/* One answer being built: the question, the builder, what was added. */
struct dns_rrs_run {
	struct dns_local_rrs *r;
	const struct dns_local_rrq *q;
	struct dns_build *b;
	bool ans;
	unsigned n_targets;
	const char *targets[DNS_RRS_TARGETS_MAX];
};

struct dns_local_rrs *
dns_local_rrs_new(const struct conf *cf, const char *hostname)
{
	struct dns_local_rrs *r = calloc(1, sizeof(*r));
	const struct conf_dns *d = cf->dns;
	const struct conf_dns_rr *e;
	bool any_mx = false, mx_for_host = false;
	size_t i;

	if (r == NULL)
		return NULL;
	r->cf = cf;
	r->n = d->n_rrs;
	r->v = calloc(r->n ? r->n : 1, sizeof(*r->v));
	r->turn = calloc(r->n ? r->n : 1, sizeof(*r->turn));
	if (r->v == NULL || r->turn == NULL) {
		dns_local_rrs_free(r);
		return NULL;
	}
	snprintf(r->host, sizeof(r->host), "%s", hostname ? hostname : "");
	i = r->n;
	for (e = d->rrs; e != NULL && i > 0; e = e->next) {
		r->v[--i] = e;
		if (e->kind == CONF_DNS_RR_MX || e->kind == CONF_DNS_RR_SRV)
			any_mx = true;
		if (e->kind == CONF_DNS_RR_MX &&
		    strcasecmp(e->name, r->host) == 0)
			mx_for_host = true;
	}
	/* option.c: localmx or mx-target without an mx-host for this
	 * host's name adds one (preference 0: zeroed memory) */
	if (conf_flag(cf, CONF_KW_LOCALMX) || any_mx || d->mx_target) {
		r->mx_default = d->mx_target ? d->mx_target : r->host;
		r->host_mx = (d->mx_target || conf_flag(cf, CONF_KW_LOCALMX)) &&
		    !mx_for_host;
	}
	return r;
}

void
dns_local_rrs_free(struct dns_local_rrs *r)
{
	if (r == NULL)
		return;
	free(r->v);
	free(r->turn);
	free(r);
}

static void
dns_rrs_log(const struct dns_rrs_run *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
dns_rrs_log(const struct dns_rrs_run *x, const char *fmt, ...)
{
	char line[DNSNAME_BUF * 2 + 64];
	va_list ap;

	if (x->q->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	x->q->log(x->q->log_arg, line);
}

static bool
dns_rrs_is(const struct conf_dns_rr *e, enum conf_dns_rr_kind k,
    const char *lname)
{
	return e->kind == k && strcasecmp(e->name, lname) == 0;
}

static bool
dns_rrs_want(const struct dns_local_rrq *q, uint16_t type)
{
	return q->qtype == type || q->qtype == DNS_T_ANY;
}

static void
dns_rrs_target(struct dns_rrs_run *x, const char *t)
{
	if (t != NULL && x->n_targets < DNS_RRS_TARGETS_MAX)
		x->targets[x->n_targets++] = t;
}

/* txt-record (TXT) and dns-rr / caa-record (their type) */
static void
dns_rrs_txt_raw(struct dns_rrs_run *x)
{
	const struct dns_local_rrq *q = x->q;
	char tb[16];
	size_t i;

	for (i = 0; i < x->r->n; i++) {
		const struct conf_dns_rr *e = x->r->v[i];

		if (dns_rrs_want(q, DNS_T_TXT) &&
		    dns_rrs_is(e, CONF_DNS_RR_TXT, q->lname)) {
			x->ans = true;
			dns_rrs_log(x, "config %s is <TXT>", q->lname);
			dns_build_rr(x->b, 1, q->owner, DNS_T_TXT, q->ttl,
			    e->data, e->len);
		}
	}
	for (i = 0; i < x->r->n; i++) {
		const struct conf_dns_rr *e = x->r->v[i];

		if (dns_rrs_is(e, CONF_DNS_RR_RAW, q->lname) &&
		    dns_rrs_want(q, e->type)) {
			x->ans = true;
			dns_rrs_log(x, "config %s is <%s>", q->lname,
			    dns_type_str(e->type, tb, sizeof(tb)));
			dns_build_rr(x->b, 1, q->owner, e->type, q->ttl,
			    e->data, e->len);
		}
	}
}

static unsigned
dns_rrs_ifaddrs(const struct dns_rrs_run *x, const struct conf_dns_rr *e,
    struct dns_local_ifaddr *v)
{
	if (e->target == NULL || x->q->if_addrs == NULL)
		return 0;
	return x->q->if_addrs(x->q->arg, e->target, v, DNS_LOCAL_IFADDRS_MAX);
}

/* interface-name PTR: the first name (reading order) whose interface has
 * the address, reverse-only addresses included. */
static bool
dns_rrs_ifname_ptr(struct dns_rrs_run *x)
{
	const struct dns_local_rrq *q = x->q;
	struct dns_local_ifaddr v[DNS_LOCAL_IFADDRS_MAX];
	const struct conf_dns_rr *e;
	size_t al = q->arpa_family == AF_INET ? 4 : 16;
	char t[INET6_ADDRSTRLEN];
	unsigned n, i;

	for (e = x->r->cf->dns->rrs; e != NULL; e = e->next) {
		if (e->kind != CONF_DNS_RR_IFNAME)
			continue;
		n = dns_rrs_ifaddrs(x, e, v);
		for (i = 0; i < n; i++) {
			if (v[i].family != q->arpa_family ||
			    (v[i].family == AF_INET ? !e->if4 : !e->if6) ||
			    memcmp(&v[i].addr, q->arpa, al) != 0)
				continue;
			x->ans = true;
			dns_rrs_log(x, "config %s is %s", inet_ntop(
			    q->arpa_family, q->arpa, t, sizeof(t)), e->name);
			dns_build_rr_name(x->b, 1, q->owner, DNS_T_PTR,
			    q->ttl, e->name);
			return true;
		}
	}
	return false;
}

/* PTR: interface-name first, else every ptr-record of the name. */
static void
dns_rrs_ptr(struct dns_rrs_run *x)
{
	const struct dns_local_rrq *q = x->q;
	bool logged = false;
	size_t i;

	if (!dns_rrs_want(q, DNS_T_PTR))
		return;
	if (q->arpa_family != 0 && dns_rrs_ifname_ptr(x))
		return;
	for (i = 0; i < x->r->n; i++) {
		const struct conf_dns_rr *e = x->r->v[i];

		if (!dns_rrs_is(e, CONF_DNS_RR_PTR, q->lname))
			continue;
		x->ans = true;
		if (!logged)
			dns_rrs_log(x, "config %s is <PTR>", q->lname);
		logged = true;
		dns_build_rr_name(x->b, 1, x->q->owner, DNS_T_PTR, q->ttl,
		    e->target != NULL ? e->target : "");
	}
}

/* The hosts data's addresses of one family, for ANY (cache.c entries
 * from hosts files, host-record and leases). */
static void
dns_rrs_hosts(struct dns_rrs_run *x, int family)
{
	const struct dns_local_rrq *q = x->q;
	const struct dns_local_ent *e;
	char t[INET6_ADDRSTRLEN];
	struct in_addr la;

	for (e = dns_local_by_name(q->hosts, q->lname); e != NULL;
	    e = e->nnext) {
		if (strcmp(e->name, q->lname) != 0 || e->family != family)
			continue;
		dns_build_rr(x->b, 1, x->q->owner, family == AF_INET ? DNS_T_A :
		    DNS_T_AAAA, e->ttl, &e->addr, family == AF_INET ? 4 : 16);
		dns_rrs_log(x, "%s %s is %s", e->src, q->lname,
		    inet_ntop(family, &e->addr, t, sizeof(t)));
	}
	if (family == AF_INET && q->lease_by_name != NULL &&
	    dns_local_by_name(q->hosts, q->lname) == NULL &&
	    q->lease_by_name(q->arg, q->lname, &la)) {
		dns_build_rr(x->b, 1, x->q->owner, DNS_T_A, 0, &la, 4);
		dns_rrs_log(x, "DHCP %s is %s", q->lname,
		    inet_ntop(AF_INET, &la, t, sizeof(t)));
	}
}

/* A or AAAA of interface-name names; true when the name has one (then
 * the hosts data is not looked at for this family). */
static bool
dns_rrs_ifname_addr(struct dns_rrs_run *x, int family)
{
	const struct dns_local_rrq *q = x->q;
	struct dns_local_ifaddr v[DNS_LOCAL_IFADDRS_MAX];
	const struct conf_dns_rr *e;
	bool named = false, got = false;
	char t[INET6_ADDRSTRLEN];
	unsigned n, i;

	for (e = x->r->cf->dns->rrs; e != NULL; e = e->next) {
		if (!dns_rrs_is(e, CONF_DNS_RR_IFNAME, q->lname))
			continue;
		named = true;
		if (family == AF_INET ? !e->if4 : !e->if6)
			continue;
		n = dns_rrs_ifaddrs(x, e, v);
		for (i = 0; i < n; i++) {
			if (v[i].family != family || v[i].revonly)
				continue;
			got = x->ans = true;
			dns_rrs_log(x, "config %s is %s", q->lname, inet_ntop(
			    family, &v[i].addr, t, sizeof(t)));
			dns_build_rr(x->b, 1, x->q->owner, family == AF_INET ?
			    DNS_T_A : DNS_T_AAAA, q->ttl, &v[i].addr,
			    family == AF_INET ? 4 : 16);
		}
	}
	if (named && !got)
		dns_rrs_log(x, "config %s is NODATA-IPv%c", q->lname,
		    family == AF_INET ? '4' : '6');
	return named;
}

static void
dns_rrs_addrs(struct dns_rrs_run *x, bool *hosts4, bool *hosts6)
{
	*hosts4 = *hosts6 = false;
	if (dns_rrs_want(x->q, DNS_T_A))
		*hosts4 = !dns_rrs_ifname_addr(x, AF_INET);
	if (dns_rrs_want(x->q, DNS_T_AAAA))
		*hosts6 = !dns_rrs_ifname_addr(x, AF_INET6);
}

static void
dns_rrs_mx_one(struct dns_rrs_run *x, uint16_t pref, const char *target,
    bool additional)
{
	uint8_t pre[2] = { (uint8_t)(pref >> 8), (uint8_t)pref };

	dns_build_rr_pname(x->b, 1, x->q->owner, DNS_T_MX, x->q->ttl, pre,
	    sizeof(pre), target);
	if (additional)
		dns_rrs_target(x, target);
}

/* mx-host (the added one for this host first); else selfmx / localmx
 * for a name of the hosts data or a lease. */
static void
dns_rrs_mx(struct dns_rrs_run *x)
{
	const struct dns_local_rrq *q = x->q;
	struct dns_local_rrs *r = x->r;
	struct in_addr la;
	bool found = false;
	size_t i;

	if (!dns_rrs_want(q, DNS_T_MX))
		return;
	if (r->host_mx && strcasecmp(r->host, q->lname) == 0) {
		found = true;
		dns_rrs_log(x, "config %s is <MX>", q->lname);
		dns_rrs_mx_one(x, 0, r->mx_default, true);
	}
	for (i = 0; i < r->n; i++) {
		const struct conf_dns_rr *e = r->v[i];

		if (!dns_rrs_is(e, CONF_DNS_RR_MX, q->lname))
			continue;
		found = true;
		dns_rrs_log(x, "config %s is <MX>", q->lname);
		dns_rrs_mx_one(x, e->pref, e->target ? e->target :
		    r->mx_default, true);
	}
	x->ans = x->ans || found;
	if (found || !(conf_flag(r->cf, CONF_KW_SELFMX) ||
	    conf_flag(r->cf, CONF_KW_LOCALMX)))
		return;
	if (dns_local_by_name(q->hosts, q->lname) == NULL &&
	    (q->lease_by_name == NULL ||
	    !q->lease_by_name(q->arg, q->lname, &la)))
		return;
	x->ans = true;
	dns_rrs_log(x, "config %s is <MX>", q->lname);
	dns_rrs_mx_one(x, 1, conf_flag(r->cf, CONF_KW_SELFMX) ? q->qname :
	    r->mx_default, false);
}

static void
dns_rrs_srv_one(struct dns_rrs_run *x, const struct conf_dns_rr *e)
{
	uint8_t pre[6] = { (uint8_t)(e->prio >> 8), (uint8_t)e->prio,
	    (uint8_t)(e->weight >> 8), (uint8_t)e->weight,
	    (uint8_t)(e->port >> 8), (uint8_t)e->port };

	dns_rrs_log(x, "config %s is <SRV>", x->q->lname);
	dns_build_rr_pname(x->b, 1, x->q->owner, DNS_T_SRV, x->q->ttl, pre,
	    sizeof(pre), e->target);
	dns_rrs_target(x, e->target);
}

/* srv-host: dnsmasq moves the first record of the name to the end of its
 * list after each answer, so the next answer starts one further on. */
static void
dns_rrs_srv(struct dns_rrs_run *x)
{
	struct dns_local_rrs *r = x->r;
	size_t i, k = 0, first = 0, start, j;

	if (!dns_rrs_want(x->q, DNS_T_SRV))
		return;
	for (i = 0; i < r->n; i++)
		if (dns_rrs_is(r->v[i], CONF_DNS_RR_SRV, x->q->lname) &&
		    k++ == 0)
			first = i;
	if (k == 0)
		return;
	x->ans = true;
	start = r->turn[first]++ % k;
	for (j = 0; j < k; j++) {
		size_t want = (start + j) % k, seen = 0;

		for (i = first; i < r->n; i++) {
			if (!dns_rrs_is(r->v[i], CONF_DNS_RR_SRV,
			    x->q->lname))
				continue;
			if (seen++ == want) {
				dns_rrs_srv_one(x, r->v[i]);
				break;
			}
		}
	}
}

static size_t
dns_rrs_cstr(uint8_t *p, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n > 255)
		n = 255;
	p[0] = (uint8_t)n;
	if (n > 0)
		memcpy(p + 1, s, n);
	return n + 1;
}

static void
dns_rrs_naptr(struct dns_rrs_run *x)
{
	uint8_t pre[4 + 3 * 256];
	size_t i, n;

	if (!dns_rrs_want(x->q, DNS_T_NAPTR))
		return;
	for (i = 0; i < x->r->n; i++) {
		const struct conf_dns_rr *e = x->r->v[i];

		if (!dns_rrs_is(e, CONF_DNS_RR_NAPTR, x->q->lname))
			continue;
		x->ans = true;
		pre[0] = (uint8_t)(e->pref >> 8);
		pre[1] = (uint8_t)e->pref;
		pre[2] = (uint8_t)(e->port >> 8);
		pre[3] = (uint8_t)e->port;
		n = 4;
		n += dns_rrs_cstr(pre + n, e->naptr_flags);
		n += dns_rrs_cstr(pre + n, e->naptr_services);
		n += dns_rrs_cstr(pre + n, e->naptr_regexp);
		dns_rrs_log(x, "config %s is <NAPTR>", x->q->lname);
		dns_build_rr_pname(x->b, 1, x->q->owner, DNS_T_NAPTR,
		    x->q->ttl, pre, (uint16_t)n, e->target);
	}
}

/* The A/AAAA of each MX/SRV target in the hosts data, once per target;
 * records that do not fit are left out without TC (rfc1035.c). */
static void
dns_rrs_additional(struct dns_rrs_run *x)
{
	const struct dns_local_ent *e;
	char lt[DNSNAME_BUF];
	struct in_addr la;
	bool trunc = x->b->trunc;
	unsigned i, j;

	for (i = 0; i < x->n_targets && !trunc; i++) {
		for (j = 0; j < i; j++)
			if (strcasecmp(x->targets[j], x->targets[i]) == 0)
				break;
		if (j < i)
			continue;
		dns_name_lower(x->targets[i], lt);
		for (e = dns_local_by_name(x->q->hosts, lt); e != NULL;
		    e = e->nnext) {
			if (strcmp(e->name, lt) != 0)
				continue;
			dns_build_rr(x->b, 3, x->targets[i],
			    e->family == AF_INET ? DNS_T_A : DNS_T_AAAA,
			    e->ttl, &e->addr, e->family == AF_INET ? 4 : 16);
			x->b->trunc = false;
		}
		/* a DHCP lease's name (cache.c keeps them as F_DHCP) */
		if (dns_local_by_name(x->q->hosts, lt) == NULL &&
		    x->q->lease_by_name != NULL &&
		    x->q->lease_by_name(x->q->arg, lt, &la)) {
			dns_build_rr(x->b, 3, x->targets[i], DNS_T_A, 0, &la,
			    4);
			x->b->trunc = false;
		}
	}
	x->b->trunc = trunc;
}

bool
dns_local_rrs_answer(struct dns_local_rrs *r, const struct dns_local_rrq *q,
    struct dns_build *b)
{
	struct dns_rrs_run x;
	bool h4, h6;

	if (r == NULL)
		return false;
	memset(&x, 0, sizeof(x));
	x.r = r;
	x.q = q;
	x.b = b;
	dns_rrs_txt_raw(&x);
	dns_rrs_ptr(&x);
	dns_rrs_addrs(&x, &h4, &h6);
	dns_rrs_mx(&x);
	dns_rrs_srv(&x);
	dns_rrs_naptr(&x);
	if (!x.ans)
		return false;
	/* ANY: the hosts data's addresses come with the rest */
	if (q->qtype == DNS_T_ANY && h4)
		dns_rrs_hosts(&x, AF_INET);
	if (q->qtype == DNS_T_ANY && h6)
		dns_rrs_hosts(&x, AF_INET6);
	dns_rrs_additional(&x);
	return true;
}

bool
dns_local_rrs_has_ifname(const struct dns_local_rrs *r, const char *lname)
{
	size_t i;

	if (r == NULL)
		return false;
	for (i = 0; i < r->n; i++)
		if (dns_rrs_is(r->v[i], CONF_DNS_RR_IFNAME, lname))
			return true;
	return false;
}

/* util.c hostname_issubdomain(name, rec) != 0: rec is name or below. */
static bool
dns_rrs_below(const char *lname, const char *rec)
{
	size_t nl = strlen(lname), rl = strlen(rec);

	if (nl == 0 || rl < nl || strcasecmp(rec + rl - nl, lname) != 0)
		return false;
	return rl == nl || rec[rl - nl - 1] == '.';
}

bool
dns_local_rrs_has_domain(const struct dns_local_rrs *r, const char *lname)
{
	size_t i;

	if (r == NULL)
		return false;
	for (i = 0; i < r->n; i++) {
		const struct conf_dns_rr *e = r->v[i];

		if (e->kind != CONF_DNS_RR_RAW && dns_rrs_below(lname, e->name))
			return true;
	}
	return r->host_mx && dns_rrs_below(lname, r->host);
}
