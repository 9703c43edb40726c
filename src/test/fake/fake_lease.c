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

struct lease_table {
	struct lease *head, *tail;	/* insertion order */
	unsigned n;
};

struct lease_table *
lease_table_new(void)
{
	return calloc(1, sizeof(struct lease_table));
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
	struct lease *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->addr = addr;
	l->expires_ms = CLOCK_INFINITE_MS;
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
	l->dirty = true;
	return 0;
}

void
lease_set_hostname(struct lease *l, const char *name)
{
	size_t n = strlen(name);

	if (n > LEASE_NAME_MAX)
		n = LEASE_NAME_MAX;
	memcpy(l->hostname, name, n);
	l->hostname[n] = '\0';
	l->dirty = true;
}

void
lease_set_expiry(struct lease *l, int64_t expires_ms)
{
	l->expires_ms = expires_ms;
	l->dirty = true;
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
