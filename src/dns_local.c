/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dns_local.c - locally known names (see dns_local.h).
 */
#include "dns_local.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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
