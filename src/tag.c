/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tag.c - DHCP tag sets, conditions and tag-if (see tag.h).
 */
#include "tag.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_dhcp.h"

static uint32_t
tag_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static bool
tag_name_is_wild(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && s[len - 1] == '*';
}

int
tag_names_init(struct tag_names *tn, const struct conf_tags *tags)
{
	unsigned size = 16, i;

	memset(tn, 0, sizeof(*tn));
	tn->tags = tags;
	while (size < 2 * tags->n)
		size *= 2;
	if ((tn->slot = calloc(size, sizeof(*tn->slot))) == NULL)
		return -ENOMEM;
	tn->mask = size - 1;
	for (i = 0; i < tags->n && i < CONF_TAG_MAX; i++) {
		unsigned h = tag_hash(tags->name[i]) & tn->mask;

		while (tn->slot[h] != 0)
			h = (h + 1) & tn->mask;
		tn->slot[h] = (uint16_t)(i + 1);
		if (tag_name_is_wild(tags->name[i]))
			tn->wild[i / 64] |= (uint64_t)1 << (i % 64);
	}
	return 0;
}

void
tag_names_free(struct tag_names *tn)
{
	free(tn->slot);
	tn->slot = NULL;
}

int
tag_names_lookup(const struct tag_names *tn, const char *name)
{
	unsigned h;

	if (tn->slot == NULL)
		return -1;
	for (h = tag_hash(name) & tn->mask; tn->slot[h] != 0;
	    h = (h + 1) & tn->mask) {
		unsigned id = tn->slot[h] - 1u;

		if (strcmp(tn->tags->name[id], name) == 0)
			return (int)id;
	}
	return -1;
}

void
tag_set_clear(struct tag_set *s)
{
	memset(s->bits, 0, sizeof(s->bits));
	s->n = 0;
	s->next_ext = 0;
}

bool
tag_set_has(const struct tag_set *s, uint16_t id)
{
	return id < CONF_TAG_MAX && ((s->bits[id / 64] >> (id % 64)) & 1);
}

static void
tag_set_order(struct tag_set *s, uint16_t entry)
{
	if (s->n < TAG_ORDER_MAX)
		s->order[s->n++] = entry;
}

void
tag_set_add_id(struct tag_set *s, uint16_t id)
{
	if (id >= CONF_TAG_MAX || tag_set_has(s, id))
		return;
	s->bits[id / 64] |= (uint64_t)1 << (id % 64);
	tag_set_order(s, id);
}

void
tag_set_add_name(struct tag_set *s, const struct tag_names *tn,
    const char *name)
{
	int id = tag_names_lookup(tn, name);
	unsigned i;

	if (id >= 0) {
		tag_set_add_id(s, (uint16_t)id);
		return;
	}
	for (i = 0; i < s->next_ext; i++)
		if (strcmp(s->ext[i], name) == 0)
			return;
	if (s->next_ext == TAG_EXTERN_MAX)
		return;
	s->ext[s->next_ext] = name;
	tag_set_order(s, (uint16_t)(TAG_EXTERN_BASE + s->next_ext));
	s->next_ext++;
}

/* dnsmasq keeps a set: list newest first and adds it in that order. */
void
tag_set_add_list(struct tag_set *s, const struct conf_tagset *l)
{
	unsigned i;

	for (i = l->n; i-- > 0;)
		tag_set_add_id(s, l->id[i]);
}

bool
tag_expr_match(const struct tag_set *s, const struct conf_tagexpr *e,
    bool untagged_ok)
{
	unsigned i;

	if (e->n == 0)
		return untagged_ok;
	for (i = 0; i < e->n; i++)
		if (tag_set_has(s, e->v[i].id) == e->v[i].neg)
			return false;
	return true;
}

/* True when some tag of s starts with the len bytes of prefix. */
static bool
tag_set_has_prefix(const struct tag_set *s, const struct tag_names *tn,
    const char *prefix, size_t len)
{
	unsigned w, i;

	for (w = 0; w < CONF_TAG_MAX / 64; w++) {
		uint64_t bits = s->bits[w];

		while (bits != 0) {
			unsigned id = w * 64 + (unsigned)__builtin_ctzll(bits);

			bits &= bits - 1;
			if (strncmp(tn->tags->name[id], prefix, len) == 0)
				return true;
		}
	}
	for (i = 0; i < s->next_ext; i++)
		if (strncmp(s->ext[i], prefix, len) == 0)
			return true;
	return false;
}

bool
tag_expr_match_wild(const struct tag_set *s, const struct tag_names *tn,
    const struct conf_tagexpr *e)
{
	unsigned i;

	for (i = 0; i < e->n; i++) {
		uint16_t id = e->v[i].id;
		bool present;

		if (id < CONF_TAG_MAX &&
		    ((tn->wild[id / 64] >> (id % 64)) & 1)) {
			const char *name = tn->tags->name[id];

			present = tag_set_has_prefix(s, tn, name,
			    strlen(name) - 1);
		} else
			present = tag_set_has(s, id);
		if (present == e->v[i].neg)
			return false;
	}
	return true;
}

void
tag_if_run(struct tag_set *s, const struct tag_names *tn,
    const struct conf_dhcp_tagif *rules)
{
	for (; rules != NULL; rules = rules->next)
		if (tag_expr_match_wild(s, tn, &rules->tag))
			tag_set_add_list(s, &rules->set);
}

char *
tag_set_format(const struct tag_set *s, const struct tag_names *tn,
    char *out, size_t outsz)
{
	size_t used = 0;
	unsigned i;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	for (i = s->n; i-- > 0;) {
		uint16_t e = s->order[i];
		const char *name = e >= TAG_EXTERN_BASE ?
		    s->ext[e - TAG_EXTERN_BASE] : tn->tags->name[e];
		int k = snprintf(out + used, outsz - used, "%s%s", name,
		    i > 0 ? ", " : "");

		if (k < 0 || (size_t)k >= outsz - used) {
			out[outsz - 1] = '\0';
			break;
		}
		used += (size_t)k;
	}
	return out;
}
