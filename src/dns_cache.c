/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dns_cache.c - the DNS answer cache (see dns_cache.h).
 */
#include "dns_cache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct dns_cache_node {
	struct dns_cache_ent e;
	struct dns_cache_node *hnext;		/* hash chain */
	struct dns_cache_node *lprev, *lnext;	/* LRU: head is newest */
	uint32_t hash;
	char *name;				/* after the packet */
	uint8_t data[];
};

struct dns_cache {
	uint32_t max;
	uint32_t n;
	uint32_t nbuckets;			/* power of two */
	struct dns_cache_node **buckets;
	struct dns_cache_node *head, *tail;
	struct dns_cache_stats st;
};

static uint32_t
dns_cache_hash(const char *lname, uint16_t qtype, uint16_t qclass)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *lname != '\0'; lname++)
		h = (h ^ (uint8_t)*lname) * 16777619u;
	h = (h ^ qtype) * 16777619u;
	return (h ^ qclass) * 16777619u;
}

struct dns_cache *
dns_cache_new(uint32_t max)
{
	struct dns_cache *c = calloc(1, sizeof(*c));
	uint32_t nb = 16;

	if (c == NULL)
		return NULL;
	while (nb < max && nb < (1u << 22))
		nb <<= 1;
	c->max = max;
	c->nbuckets = nb;
	c->buckets = calloc(nb, sizeof(*c->buckets));
	if (c->buckets == NULL) {
		free(c);
		return NULL;
	}
	c->st.max = max;
	return c;
}

static void
dns_cache_unlink(struct dns_cache *c, struct dns_cache_node *n)
{
	struct dns_cache_node **pp = &c->buckets[n->hash & (c->nbuckets - 1)];

	while (*pp != n)
		pp = &(*pp)->hnext;
	*pp = n->hnext;
	if (n->lprev != NULL)
		n->lprev->lnext = n->lnext;
	else
		c->head = n->lnext;
	if (n->lnext != NULL)
		n->lnext->lprev = n->lprev;
	else
		c->tail = n->lprev;
	c->n--;
	free(n);
}

void
dns_cache_clear(struct dns_cache *c)
{
	if (c == NULL)
		return;
	while (c->head != NULL)
		dns_cache_unlink(c, c->head);
}

void
dns_cache_free(struct dns_cache *c)
{
	if (c == NULL)
		return;
	dns_cache_clear(c);
	free(c->buckets);
	free(c);
}

static struct dns_cache_node *
dns_cache_find(const struct dns_cache *c, const char *lname, uint16_t qtype,
    uint16_t qclass, uint32_t h)
{
	struct dns_cache_node *n;

	for (n = c->buckets[h & (c->nbuckets - 1)]; n != NULL; n = n->hnext)
		if (n->hash == h && n->e.qtype == qtype &&
		    n->e.qclass == qclass && strcmp(n->name, lname) == 0)
			return n;
	return NULL;
}

static void
dns_cache_push_front(struct dns_cache *c, struct dns_cache_node *n)
{
	n->lprev = NULL;
	n->lnext = c->head;
	if (c->head != NULL)
		c->head->lprev = n;
	c->head = n;
	if (c->tail == NULL)
		c->tail = n;
}

int
dns_cache_put(struct dns_cache *c, const char *lname, uint16_t qtype,
    uint16_t qclass, const uint8_t *pkt, size_t len, uint32_t ttl,
    bool neg, int64_t now_ms)
{
	uint32_t h = dns_cache_hash(lname, qtype, qclass);
	size_t nl = strlen(lname) + 1;
	struct dns_cache_node *n;

	if (c == NULL || c->max == 0 || ttl == 0)
		return 0;
	if ((n = dns_cache_find(c, lname, qtype, qclass, h)) != NULL)
		dns_cache_unlink(c, n);
	while (c->n >= c->max && c->tail != NULL) {
		if (c->tail->e.expires_ms > now_ms)
			c->st.evictions++;	/* a live entry goes */
		dns_cache_unlink(c, c->tail);
	}
	if ((n = malloc(sizeof(*n) + len + nl)) == NULL)
		return -ENOMEM;
	memcpy(n->data, pkt, len);
	n->name = (char *)n->data + len;
	memcpy(n->name, lname, nl);
	n->hash = h;
	n->e.stored_ms = now_ms;
	n->e.expires_ms = now_ms + (int64_t)ttl * 1000;
	n->e.neg = neg;
	n->e.qtype = qtype;
	n->e.qclass = qclass;
	n->e.len = len;
	n->e.pkt = n->data;
	n->hnext = c->buckets[h & (c->nbuckets - 1)];
	c->buckets[h & (c->nbuckets - 1)] = n;
	dns_cache_push_front(c, n);
	c->n++;
	c->st.inserts++;
	return 0;
}

const struct dns_cache_ent *
dns_cache_get(struct dns_cache *c, const char *lname, uint16_t qtype,
    uint16_t qclass, int64_t now_ms)
{
	struct dns_cache_node *n;
	uint32_t h;

	if (c == NULL || c->n == 0)
		return NULL;
	h = dns_cache_hash(lname, qtype, qclass);
	n = dns_cache_find(c, lname, qtype, qclass, h);
	if (n == NULL) {
		c->st.misses++;
		return NULL;
	}
	if (n->e.expires_ms <= now_ms) {
		c->st.expired++;
		c->st.misses++;
		dns_cache_unlink(c, n);
		return NULL;
	}
	if (c->head != n) {	/* most recently used first */
		n->lprev->lnext = n->lnext;
		if (n->lnext != NULL)
			n->lnext->lprev = n->lprev;
		else
			c->tail = n->lprev;
		dns_cache_push_front(c, n);
	}
	c->st.hits++;
	return &n->e;
}

const struct dns_cache_ent *
dns_cache_peek(const struct dns_cache *c, const char *lname, uint16_t qtype,
    uint16_t qclass, int64_t now_ms)
{
	struct dns_cache_node *n;

	if (c == NULL || c->n == 0)
		return NULL;
	n = dns_cache_find(c, lname, qtype, qclass,
	    dns_cache_hash(lname, qtype, qclass));
	return n == NULL || n->e.expires_ms <= now_ms ? NULL : &n->e;
}

void
dns_cache_get_stats(const struct dns_cache *c, struct dns_cache_stats *s)
{
	if (c == NULL) {
		memset(s, 0, sizeof(*s));
		return;
	}
	*s = c->st;
	s->size = c->n;
}
