/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_lease.c - a stand-in for the lease table of src/lease.c (written
 * elsewhere), linked only into the DHCP server tests while that file does
 * not exist.  Lists instead of hash tables: correct, not fast.
 */
#include "lease.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct lease_table {
	struct lease *head, *tail;	/* insertion order */
	unsigned n, max;
};

struct lease_table *
lease_table_new(void)
{
	struct lease_table *t = calloc(1, sizeof(struct lease_table));

	if (t != NULL)
		t->max = ~0u;
	return t;
}

void
lease_table_set_max(struct lease_table *t, unsigned max)
{
	t->max = max;
}

bool
lease_table_full(const struct lease_table *t)
{
	return t->n >= t->max;
}

struct lease *
lease_find_by_name(struct lease_table *t, const char *name)
{
	struct lease *l;

	for (l = t->tail; name[0] != '\0' && l != NULL; l = l->all_prev)
		if (strcasecmp(l->hostname, name) == 0)
			return l;
	return NULL;
}

struct lease *
lease_first_expired(struct lease_table *t, int64_t now_ms)
{
	struct lease *l, *best = NULL;

	for (l = t->head; l != NULL; l = l->all_next)
		if (l->expires_ms <= now_ms &&
		    (best == NULL || l->expires_ms < best->expires_ms))
			best = l;
	return best;
}

static void
lease_free(struct lease *l)
{
	free(l->clid);
	free(l);
}

void
lease_table_free(struct lease_table *t)
{
	struct lease *l, *n;

	if (t == NULL)
		return;
	for (l = t->head; l != NULL; l = n) {
		n = l->all_next;
		lease_free(l);
	}
	free(t);
}

unsigned
lease_count(const struct lease_table *t)
{
	return t->n;
}

struct lease *
lease_find_by_addr(struct lease_table *t, struct in_addr a)
{
	struct lease *l;

	for (l = t->tail; l != NULL; l = l->all_prev)
		if (l->addr.s_addr == a.s_addr)
			return l;
	return NULL;
}

struct lease *
lease_find_by_clid(struct lease_table *t, const uint8_t *clid, size_t len)
{
	struct lease *l;

	for (l = t->tail; l != NULL; l = l->all_prev)
		if (l->clid_len != 0 && l->clid_len == len &&
		    memcmp(l->clid, clid, len) == 0)
			return l;
	return NULL;
}

static struct lease *
find_hw(struct lease_table *t, uint8_t htype, const uint8_t *hw, size_t hlen,
    bool any)
{
	struct lease *l;

	for (l = t->tail; l != NULL; l = l->all_prev)
		if ((any || l->clid_len == 0) && hlen != 0 && l->hlen == hlen &&
		    l->htype == htype && memcmp(l->hwaddr, hw, hlen) == 0)
			return l;
	return NULL;
}

struct lease *
lease_find_by_hw(struct lease_table *t, uint8_t htype, const uint8_t *hw,
    size_t hlen)
{
	return find_hw(t, htype, hw, hlen, false);
}

struct lease *
lease_find_by_hw_any(struct lease_table *t, uint8_t htype, const uint8_t *hw,
    size_t hlen)
{
	return find_hw(t, htype, hw, hlen, true);
}

struct lease *
lease_add(struct lease_table *t, struct in_addr addr)
{
	struct lease *l;

	if (t->n >= t->max || lease_find_by_addr(t, addr) != NULL ||
	    (l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->addr = addr;
	l->table = t;
	l->all_prev = t->tail;
	if (t->tail != NULL)
		t->tail->all_next = l;
	else
		t->head = l;
	t->tail = l;
	t->n++;
	return l;
}

int
lease_set_client(struct lease_table *t, struct lease *l, uint8_t htype,
    const uint8_t *hw, size_t hlen, const uint8_t *clid, size_t clid_len)
{
	uint8_t *c = NULL;

	(void)t;
	if (hlen > LEASE_HWADDR_MAX || clid_len > LEASE_CLID_MAX)
		return -EINVAL;
	if (clid_len != 0 && (c = malloc(clid_len)) == NULL)
		return -ENOMEM;
	if (c != NULL)
		memcpy(c, clid, clid_len);
	free(l->clid);
	l->clid = c;
	l->clid_len = (uint8_t)clid_len;
	l->htype = htype;
	l->hlen = (uint8_t)hlen;
	memset(l->hwaddr, 0, sizeof(l->hwaddr));
	memcpy(l->hwaddr, hw, hlen);
	return 0;
}

void
lease_set_hostname(struct lease *l, const char *name)
{
	size_t n = name != NULL ? strlen(name) : 0;

	if (n > LEASE_NAME_MAX)
		n = LEASE_NAME_MAX;
	if (n > 0)
		memcpy(l->hostname, name, n);
	l->hostname[n] = '\0';
}

void
lease_set_expiry(struct lease *l, int64_t expires_ms)
{
	l->expires_ms = expires_ms;
}

void
lease_remove(struct lease_table *t, struct lease *l)
{
	if (l->all_prev != NULL)
		l->all_prev->all_next = l->all_next;
	else
		t->head = l->all_next;
	if (l->all_next != NULL)
		l->all_next->all_prev = l->all_prev;
	else
		t->tail = l->all_prev;
	t->n--;
	lease_free(l);
}

unsigned
lease_expire(struct lease_table *t, int64_t now_ms)
{
	struct lease *l, *n;
	unsigned k = 0;

	for (l = t->head; l != NULL; l = n) {
		n = l->all_next;
		if (l->expires_ms != CLOCK_INFINITE_MS &&
		    now_ms >= l->expires_ms) {
			lease_remove(t, l);
			k++;
		}
	}
	return k;
}

struct lease *
lease_first(struct lease_table *t)
{
	return t->head;
}

struct lease *
lease_next(struct lease *l)
{
	return l->all_next;
}

void
lease_store_note(struct lease_store *s, const struct lease *l, bool removed,
    const struct clock_now *now)
{
	(void)s;
	(void)l;
	(void)removed;
	(void)now;
}
