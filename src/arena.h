/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arena.h - bump allocator for data that lives and dies together.
 *
 * The parsed configuration is one arena: every string, list node and array
 * of a struct conf is carved out of it, so freeing the configuration is one
 * call and a reload can build a new arena beside the old one.  Per-packet
 * scratch space later uses the same type, reset after each packet.
 */
#ifndef PXEMASQ_ARENA_H
#define PXEMASQ_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t chunk_size;
	size_t total;		/* bytes handed out, for statistics */
};

void arena_init(struct arena *a, size_t chunk_size);
/* Returns zeroed memory owned by the arena, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
/* Returns an arena copy of s (len bytes plus a NUL), or NULL. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
/* Frees every chunk; the arena may be reused afterwards. */
void arena_free(struct arena *a);

#endif
