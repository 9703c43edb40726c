/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lease.h - the DHCP lease table and its durable store (L2: no sockets;
 * file access only through the narrow lease_store API; time passed in).
 *
 * Table: O(1) lookup by address, by client identifier and by hardware
 * address (hash tables with chaining, resized by doubling); the per-packet
 * path never scans the table.  Expiry times are monotonic milliseconds
 * (clock.h); CLOCK_INFINITE_MS for infinite leases.
 *
 * Store: the file users and tools read is dnsmasq's format byte for byte,
 * one current line per lease, no stale duplicates:
 *     EXPIRY MAC IP HOSTNAME CLIENTID
 * (EXPIRY absolute time_t, 0 = infinite; MAC lower-case colon hex with a
 * "TT-" hardware-type prefix when the type is not Ethernet (1); HOSTNAME
 * or "*"; CLIENTID colon hex or "*").  Durability comes from journals
 * opened before the privilege drop beside the lease file (FILE.j0 and
 * FILE.j1): every change is appended to the active journal and one
 * fdatasync per event-loop turn covers every ACK of that turn; an ACK is
 * sent only after lease_store_sync() succeeded for its lease.  Compaction
 * writes a complete snapshot into the other journal, switches to it, then
 * rewrites the lease file in place; so at every instant one journal (plus
 * nothing else) holds the whole state, and a kill -9 at any moment loses
 * nothing that was synced.  Loading takes the newest complete journal, or
 * the lease file alone when there are no journals (a file written by
 * dnsmasq), tolerates a truncated last line and drops expired leases.
 */
#ifndef PXEMASQ_LEASE_H
#define PXEMASQ_LEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "clock.h"

#define LEASE_HWADDR_MAX 16
#define LEASE_CLID_MAX 255
#define LEASE_NAME_MAX 63

struct lease {
	struct in_addr addr;
	int64_t expires_ms;		/* monotonic; CLOCK_INFINITE_MS */
	uint8_t htype, hlen;
	uint8_t hwaddr[LEASE_HWADDR_MAX];
	uint8_t clid_len;		/* 0: none */
	uint8_t *clid;			/* owned */
	char hostname[LEASE_NAME_MAX + 1]; /* "" when none */
	uint32_t flags;
	/* hash chains, owned by the table */
	struct lease *next_addr, *next_clid, *next_hw;
	struct lease *all_prev, *all_next;
	bool dirty;			/* changed since the last journal write */
};

struct lease_table;

struct lease_table *lease_table_new(void);
void lease_table_free(struct lease_table *t);
unsigned lease_count(const struct lease_table *t);

struct lease *lease_find_by_addr(struct lease_table *t, struct in_addr a);
struct lease *lease_find_by_clid(struct lease_table *t, const uint8_t *clid,
    size_t len);
/* Lease whose hardware address matches and that has no client id. */
struct lease *lease_find_by_hw(struct lease_table *t, uint8_t htype,
    const uint8_t *hw, size_t hlen);
/* Lease whose hardware address matches, with or without a client id
 * (dnsmasq's lease_find_by_client() for a request without option 61):
 * the most recently added one when several match. */
struct lease *lease_find_by_hw_any(struct lease_table *t, uint8_t htype,
    const uint8_t *hw, size_t hlen);

/* Returns a new lease for addr (not yet durable), or NULL on ENOMEM. */
struct lease *lease_add(struct lease_table *t, struct in_addr addr);
/* Updates identity fields and re-hashes. */
int lease_set_client(struct lease_table *t, struct lease *l, uint8_t htype,
    const uint8_t *hw, size_t hlen, const uint8_t *clid, size_t clid_len);
void lease_set_hostname(struct lease *l, const char *name);
void lease_set_expiry(struct lease *l, int64_t expires_ms);
/* Removes and frees (the store records the deletion). */
void lease_remove(struct lease_table *t, struct lease *l);
/* Removes every lease expired at now; returns how many. */
unsigned lease_expire(struct lease_table *t, int64_t now_ms);
/* Iteration in insertion order. */
struct lease *lease_first(struct lease_table *t);
struct lease *lease_next(struct lease *l);

/* One dnsmasq-format line for l (no newline); returns its length. */
size_t lease_format(const struct lease *l, const struct clock_now *now,
    char *out, size_t outsz);
/* Parses one dnsmasq-format line; returns 0 or -EINVAL. */
int lease_parse_line(const char *line, const struct clock_now *now,
    uint32_t max_remaining_s, struct lease *out, uint8_t *clid_buf);

/* --- durable store ---------------------------------------------------- */

struct lease_store;

/* Opens (creating as needed) the lease file and its journals; call before
 * dropping privileges.  ro: leasefile-ro (nothing is written).  Returns
 * NULL with *err = -errno. */
struct lease_store *lease_store_open(const char *path, bool ro, int *err);
void lease_store_close(struct lease_store *s);
/* Loads the newest complete state into t. */
int lease_store_load(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now, uint32_t max_remaining_s);
/* Records a change (add/update/remove) of l; buffered until sync. */
void lease_store_note(struct lease_store *s, const struct lease *l,
    bool removed, const struct clock_now *now);
/* Writes buffered changes and fdatasyncs once.  Returns 0 when every noted
 * change is on stable storage, else -errno (disk full, read-only): the
 * caller must not send the ACKs of this turn, and retries later. */
int lease_store_sync(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now);
/* Rewrites the dnsmasq-format file if it is stale (at most once a second
 * under load, at once on exit); compacts journals when they grow. */
int lease_store_maintain(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now, bool force);

#endif
