/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tag.h - DHCP tag sets (L1: no I/O, no time).
 *
 * The configuration interns every tag name it mentions to a small id
 * (conf.h, CONF_TAG_MAX).  A request collects tags: interned ones go in a
 * bitmap, names the configuration never mentions (the interface name,
 * "known", "bootp", the BOOTP file name ...) are kept by pointer, because
 * tag-if prefix wildcards (tag:eth*) and the log-dhcp "tags:" line still
 * see them.
 *
 * Semantics are dnsmasq 2.90's (dhcp-common.c): a condition list holds when
 * every tag:X is present and every tag:!X absent; an empty list holds only
 * when the caller says untagged is fine (match_netid's tagnotneeded);
 * tag-if rules run once in file order, each seeing the tags set by the
 * rules before it, and only tag-if conditions understand a trailing '*'.
 * dnsmasq keeps tags as a list, newest first, and logs each name once at
 * the place of its oldest occurrence; we record the order of first
 * insertion and print it reversed, which is the same line.
 */
#ifndef PXEMASQ_TAG_H
#define PXEMASQ_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

struct conf_dhcp_tagif;

/* Names outside the configuration one request may carry. */
#define TAG_EXTERN_MAX 16
/* Insertion order kept for the log line; more tags still match. */
#define TAG_ORDER_MAX 256
/* Order entries >= this are indices into tag_set.ext. */
#define TAG_EXTERN_BASE CONF_TAG_MAX

/* Name -> id lookup over the configuration's interned names (owned
 * arrays; the names themselves are borrowed from the configuration). */
struct tag_names {
	const struct conf_tags *tags;
	uint16_t *slot;		/* id + 1, 0 = empty */
	unsigned mask;		/* slots - 1 */
	uint64_t wild[CONF_TAG_MAX / 64];	/* names ending in '*' */
};

/* Builds the lookup for tags (borrowed).  Returns 0 or -ENOMEM. */
int tag_names_init(struct tag_names *tn, const struct conf_tags *tags);
void tag_names_free(struct tag_names *tn);
/* The id of name, or -1 when the configuration never mentions it. */
int tag_names_lookup(const struct tag_names *tn, const char *name);

struct tag_set {
	uint64_t bits[CONF_TAG_MAX / 64];
	unsigned n;			/* entries in order[] */
	uint16_t order[TAG_ORDER_MAX];	/* first insertion order */
	unsigned next_ext;
	const char *ext[TAG_EXTERN_MAX];	/* borrowed names */
};

void tag_set_clear(struct tag_set *s);
bool tag_set_has(const struct tag_set *s, uint16_t id);
void tag_set_add_id(struct tag_set *s, uint16_t id);
/* Adds a tag by name; name is borrowed and must outlive s. */
void tag_set_add_name(struct tag_set *s, const struct tag_names *tn,
    const char *name);
/* Adds every tag of a set: list. */
void tag_set_add_list(struct tag_set *s, const struct conf_tagset *l);

/* dnsmasq's match_netid(): every tag:X present, every tag:!X absent; an
 * empty expression holds only with untagged_ok. */
bool tag_expr_match(const struct tag_set *s, const struct conf_tagexpr *e,
    bool untagged_ok);
/* As tag_expr_match() with untagged_ok, except that a name ending in
 * '*' matches any tag starting with the rest (dnsmasq's
 * match_netid_wild(), used by tag-if only). */
bool tag_expr_match_wild(const struct tag_set *s, const struct tag_names *tn,
    const struct conf_tagexpr *e);
/* Runs the tag-if rules (list in file order) over s. */
void tag_if_run(struct tag_set *s, const struct tag_names *tn,
    const struct conf_dhcp_tagif *rules);

/* "a, b, c": newest first, each name once (dnsmasq's log_tags()).
 * Returns out, always NUL terminated when outsz > 0. */
char *tag_set_format(const struct tag_set *s, const struct tag_names *tn,
    char *out, size_t outsz);

#endif
