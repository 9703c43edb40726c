/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dns_cache.h - the DNS answer cache (L2): whole upstream replies keyed by
 * question (lower-case name, type, class), at most cache-size entries
 * (dnsmasq's default 150, 0 = no cache), least recently used evicted
 * first.  An entry lives for the TTL given at insertion (the smallest
 * answer TTL, or for a negative answer the SOA minimum, RFC 2308); the
 * caller ages the TTLs of a copy when it answers from it.  Time is passed
 * in (monotonic ms).  Deliberate difference: dnsmasq caches records, this
 * caches replies (docs/differences.md).
 */
#ifndef PXEMASQ_DNS_CACHE_H
#define PXEMASQ_DNS_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dns_cache;

struct dns_cache_ent {
	int64_t stored_ms;
	int64_t expires_ms;
	bool neg;		/* NXDOMAIN or NODATA */
	uint16_t qtype, qclass;
	size_t len;
	const uint8_t *pkt;	/* the reply as received (id of that query) */
};

struct dns_cache_stats {
	unsigned long inserts, evictions, hits, misses, expired;
	unsigned size, max;
};

/* Returns owned, or NULL (max 0 gives a cache that stores nothing). */
struct dns_cache *dns_cache_new(uint32_t max);
void dns_cache_free(struct dns_cache *c);
void dns_cache_clear(struct dns_cache *c);
/* Stores a copy of pkt for ttl seconds (0: not stored); replaces an entry
 * for the same question.  Returns 0, or -ENOMEM. */
int dns_cache_put(struct dns_cache *c, const char *lname, uint16_t qtype,
    uint16_t qclass, const uint8_t *pkt, size_t len, uint32_t ttl,
    bool neg, int64_t now_ms);
/* The live entry for the question (lname lower case), or NULL; borrowed
 * until the next put, clear or free. */
const struct dns_cache_ent *dns_cache_get(struct dns_cache *c,
    const char *lname, uint16_t qtype, uint16_t qclass, int64_t now_ms);
/* The same without counting a hit or a miss and without making the
 * entry the most recently used (a question about the cache's content). */
const struct dns_cache_ent *dns_cache_peek(const struct dns_cache *c,
    const char *lname, uint16_t qtype, uint16_t qclass, int64_t now_ms);
void dns_cache_get_stats(const struct dns_cache *c,
    struct dns_cache_stats *s);

#endif
