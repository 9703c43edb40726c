/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lease.h - the DHCP lease table and its durable store (L2: no sockets;
 * file access only through the narrow lease_store API; time passed in).
 *
 * Table: O(1) lookup by address, by client identifier, by hardware
 * address and by host name (keyed hash tables with chaining, resized by
 * doubling); the per-packet path never scans the table.  Expiry times are
 * monotonic milliseconds (clock.h); CLOCK_INFINITE_MS for infinite leases.
 * A binary heap on the expiry gives the next expiry in O(1) and removes
 * expired leases in O(log n) each, so no timer ever walks the table.
 *
 * Store: the file users and tools read is dnsmasq's format byte for byte,
 * one current line per lease, no stale duplicates, newest lease first (as
 * dnsmasq 2.90 lease_update_file() writes its list, whose head is the
 * newest allocation):
 *     EXPIRY MAC IP HOSTNAME CLIENTID
 * (EXPIRY absolute time_t, 0 = infinite; MAC lower-case colon hex, with a
 * "TT-" hardware-type prefix when the type is not Ethernet (1) or when
 * there is no hardware address at all; HOSTNAME or "*"; CLIENTID colon hex
 * or "*").  Durability comes from two journals opened before the
 * privilege drop beside the lease file (FILE.j0 and FILE.j1):
 *
 *  - lease_store_note() buffers a change record (put or delete) in
 *    memory; lease_store_sync() appends every buffered record to the
 *    active journal with one write and one fdatasync (one call per
 *    event-loop turn) and returns 0 only when everything noted so far is
 *    on stable storage.  An ACK is sent only after that.  On a write
 *    error (ENOSPC, EROFS, EIO) the records stay buffered and are written
 *    again, at the same offset, by a later sync (at most one attempt a
 *    second); meanwhile lease_store_is_durable() tells which leases are
 *    already on disk with their current client (renewals of those may be
 *    ACKed: the disk still holds the binding, with an older expiry).
 *    The buffer is bounded (LEASE_STORE_PENDING_MAX); beyond it the
 *    records are dropped and the store owes a full snapshot instead,
 *    which the next successful sync writes.
 *  - Every record carries a sequence number and a CRC-32C keyed with the
 *    journal's random-looking nonce; a journal is a snapshot (header,
 *    one record per lease, the state of the lease file, end marker)
 *    followed by appended records with increasing sequence numbers.
 *    Replay stops at the first record that does not check.
 *  - Compaction (when the journal holds more than max(1000, 2 x leases)
 *    appended records, and at start-up) writes a complete snapshot into
 *    the other journal (truncated first), fdatasyncs it, switches to it,
 *    then rewrites the lease file.  A journal is trusted only when its
 *    snapshot is complete; of two complete journals the one with the
 *    higher last sequence number wins.  So at every instant one journal
 *    holds the whole synced state, and a kill -9 (or power loss) at any
 *    moment loses nothing that a sync reported durable.
 *  - The lease file is rewritten in place (pwrite, ftruncate, fdatasync:
 *    the daemon runs as nobody in a root-owned directory, so no rename),
 *    at most once a second while it is stale (less often for large
 *    tables: every lease_count / 20 ms), at once when forced (exit).
 *    Before a rewrite a durable "rewrite started" record goes to the
 *    journal, after it (with the next sync, or on exit) a record with the
 *    file's length and a 64-bit fingerprint.  At load, a lease file that
 *    differs from the recorded one although no rewrite was in progress
 *    was changed by someone else (deleted to clear the leases, edited, or
 *    written by dnsmasq in between): then the file wins over the
 *    journals.
 *  - Loading takes the newest complete journal; else the lease file alone
 *    (written by dnsmasq, or journals lost), read exactly as dnsmasq 2.90
 *    read_leases() reads it (whitespace-separated fields, not lines; IPv6
 *    leases and the "duid" line are skipped; invalid entries logged as
 *    "ignoring invalid line in lease database: ..."); tolerates a
 *    truncated last line; drops expired leases.  A fresh snapshot is then
 *    written, so each run appends to a journal of its own.
 *  - When the journals cannot be created, the store falls back to
 *    dnsmasq's own durability: each sync rewrites the lease file.
 *  - leasefile-ro: nothing is read or written; sync always succeeds.
 */
#ifndef PXEMASQ_LEASE_H
#define PXEMASQ_LEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

#include "clock.h"

#define LEASE_HWADDR_MAX 16		/* dnsmasq DHCP_CHADDR_MAX */
#define LEASE_CLID_MAX 255
#define LEASE_NAME_MAX 63
/* Longest line lease_format() writes, newline and NUL included. */
#define LEASE_LINE_MAX 1024

struct lease;
struct lease_table;

/* One hash chain link (pprev: the pointer that points at us). */
/*
 * One lease.  Laid out small (120 bytes on LP64): a router keeps tens of
 * thousands of these and the memory target is dnsmasq's own
 * (whose struct dhcp_lease is about 150 bytes plus its strings).  The
 * name and client id are allocated only when present; the indexes are
 * singly linked hash chains (an unlink walks the chain from its bucket,
 * one or two entries on average).
 */
struct lease {
	/* owned by the table: next in each hash chain, insertion order */
	struct lease *nx_addr, *nx_clid, *nx_hw, *nx_name;
	struct lease *all_prev, *all_next;
	struct lease_table *table;
	uint8_t *clid;			/* owned; NULL when clid_len is 0 */
	const char *hostname;		/* "" when none, else owned */
	int64_t expires_ms;		/* monotonic; CLOCK_INFINITE_MS */
	struct in_addr addr;
	/* Free for the DHCP server (not stored): the interface of the last
	 * request (dnsmasq's last_interface, 0 unknown) and the relay that
	 * brought it (giaddr; 0 none), for the dhcp-script. */
	struct in_addr giaddr;
	uint32_t ifindex;
	uint32_t flags;			/* free for the DHCP server */
	uint32_t heap_idx;		/* owned by the table */
	uint8_t htype, hlen;		/* hlen 0: no hardware address */
	uint8_t clid_len;		/* 0: none */
	/* Set by the store when a sync or snapshot put this lease, with its
	 * current address and client, on stable storage; cleared by the
	 * table when the lease is new or its client changes. */
	bool durable;
	uint8_t hwaddr[LEASE_HWADDR_MAX];
};

/* Returns a new, empty table, or NULL on ENOMEM. */
struct lease_table *lease_table_new(void);
/* Frees the table and every lease in it. */
void lease_table_free(struct lease_table *t);
unsigned lease_count(const struct lease_table *t);
/* Caps the number of leases (dhcp-lease-max); lease_add() refuses more.
 * Default: no cap. */
void lease_table_set_max(struct lease_table *t, unsigned max);
bool lease_table_full(const struct lease_table *t);
/* Counts additions, removals and name changes: what the DNS side's
 * names depend on (dnsmasq's dns_dirty). */
unsigned long lease_table_gen(const struct lease_table *t);

struct lease *lease_find_by_addr(struct lease_table *t, struct in_addr a);
/* The most recently bound lease with this client identifier. */
struct lease *lease_find_by_clid(struct lease_table *t, const uint8_t *clid,
    size_t len);
/* The most recently bound lease whose hardware address matches and that
 * has no client id (dnsmasq lease_find_by_client(), second loop, when the
 * request carries a client id); hlen 0 never matches. */
struct lease *lease_find_by_hw(struct lease_table *t, uint8_t htype,
    const uint8_t *hw, size_t hlen);
/* The same, with or without client id (the request carries none). */
struct lease *lease_find_by_hw_any(struct lease_table *t, uint8_t htype,
    const uint8_t *hw, size_t hlen);
/* The lease holding this host name, compared as dnsmasq's
 * hostname_isequal() does (ASCII case-insensitive), or NULL. */
struct lease *lease_find_by_name(struct lease_table *t, const char *name);

/* Returns a new lease for addr (not durable, no client, expiry 0), owned
 * by the table; NULL when addr already has a lease, when the table is
 * full (lease_table_full()) or on ENOMEM. */
struct lease *lease_add(struct lease_table *t, struct in_addr addr);
/* Sets the client exactly as given (no clid: clid NULL or clid_len 0;
 * dnsmasq's "keep the old clid when the request has none" is the
 * caller's policy) and re-hashes.  Returns 0, -EINVAL (hlen > 16) or
 * -ENOMEM (lease unchanged). */
int lease_set_client(struct lease_table *t, struct lease *l, uint8_t htype,
    const uint8_t *hw, size_t hlen, const uint8_t *clid, size_t clid_len);
/* Sets the unqualified host name (NULL or "": none) and re-hashes.  Names
 * that the lease file cannot hold (longer than 63 bytes, "*", bytes that
 * are blanks or controls) are stored as none.  Does not take the name
 * from another lease: the caller applies dnsmasq's rule with
 * lease_find_by_name(). */
void lease_set_hostname(struct lease *l, const char *name);
void lease_set_expiry(struct lease *l, int64_t expires_ms);
/* Removes and frees l.  Note the removal in the store first
 * (lease_store_note(s, l, true, now)). */
void lease_remove(struct lease_table *t, struct lease *l);
/* Earliest expiry of any lease; CLOCK_INFINITE_MS when none expires. */
int64_t lease_next_expiry(const struct lease_table *t);
/* The lease with the earliest expiry if it has expired at now_ms
 * (expiry <= now, as dnsmasq's lease_prune()), else NULL.  For
 *     while ((l = lease_first_expired(t, now)) != NULL) { ...remove... } */
struct lease *lease_first_expired(struct lease_table *t, int64_t now_ms);
/* Removes every lease expired at now_ms without telling any store;
 * returns how many.  lease_store_expire() is the durable variant. */
unsigned lease_expire(struct lease_table *t, int64_t now_ms);
/* Iteration in insertion order (oldest first). */
struct lease *lease_first(struct lease_table *t);
struct lease *lease_next(struct lease *l);
/* Newest first, the order of the lease file. */
struct lease *lease_last(struct lease_table *t);
struct lease *lease_prev(struct lease *l);

/* --- dnsmasq lease file format ------------------------------------------ */

/* One dnsmasq-format line for l, without newline, NUL terminated when
 * outsz > 0.  Returns the line's length (as snprintf: may be >= outsz;
 * never more than LEASE_LINE_MAX - 2). */
size_t lease_format(const struct lease *l, const struct clock_now *now,
    char *out, size_t outsz);
/* Room lease_parse_line() needs: the client id, then the name. */
#define LEASE_PARSE_BUF (LEASE_CLID_MAX + LEASE_NAME_MAX + 1)

/* Parses one dnsmasq-format line (exactly five fields).  out's addr,
 * expires_ms, htype, hlen, hwaddr, hostname, clid_len are set; out->clid
 * and out->hostname point into clid_buf (LEASE_PARSE_BUF bytes), or are
 * NULL and "" when absent; the table fields are not touched.  Returns 0, -EINVAL (invalid line),
 * -EAFNOSUPPORT (a valid IPv6 lease: skipped, as pxemasq does no
 * DHCPv6) or -ESTALE (expired at now: dropped). */
int lease_parse_line(const char *line, const struct clock_now *now,
    uint32_t max_remaining_s, struct lease *out, uint8_t *clid_buf);

/* Flags for lease_parse_file(). */
#define LEASE_PARSE_QUIET 1u	/* no log messages (fuzzing, tests) */
/* Expired leases are added, expiring at now->mono_ms, instead of dropped
 * (dnsmasq reads them and lease_prune() then removes them, calling the
 * dhcp-script with "del": leasefile-ro's "init" output). */
#define LEASE_PARSE_KEEP_EXPIRED 2u

/* Reads a whole lease file held in memory as dnsmasq 2.90 read_leases()
 * does and adds its unexpired IPv4 leases to t (a later entry for the
 * same address replaces the earlier one; a later entry's host name is
 * taken from the earlier holder, as lease_set_hostname() does in
 * dnsmasq).  Logs dnsmasq's warnings unless LEASE_PARSE_QUIET.  Returns
 * the number of leases added, -E2BIG when the table is full (dnsmasq
 * dies: "too many stored leases") or -ENOMEM. */
int lease_parse_file(struct lease_table *t, const char *buf, size_t len,
    const struct clock_now *now, uint32_t max_remaining_s, unsigned flags);

/* Replays one journal image (FILE.j0 or FILE.j1) into t when its snapshot
 * is complete: the snapshot, then the appended records up to the first
 * that does not check.  Returns 1 (replayed), 0 (no complete snapshot:
 * t untouched) or -E2BIG / -ENOMEM.  For tools and fuzzing; the store
 * chooses between the two journals itself. */
int lease_journal_replay(struct lease_table *t, const uint8_t *buf,
    size_t len, const struct clock_now *now, uint32_t max_remaining_s);

/* --- durable store ------------------------------------------------------ */

struct lease_store;

/* Buffered change records beyond this many bytes are dropped; the store
 * then owes (and writes at the next sync) a full snapshot. */
#define LEASE_STORE_PENDING_MAX (1u << 20)
/* Seconds between two "failed to write" messages, and between retries
 * after a failed write. */
#define LEASE_STORE_LOG_EVERY_S 60
#define LEASE_STORE_RETRY_MS 1000

/* Opens (creating as needed) the lease file and its journals; call before
 * dropping privileges.  ro: leasefile-ro (nothing is opened, read or
 * written).  Returns NULL with *err = -errno when the lease file cannot
 * be opened (dnsmasq: "cannot open or create lease file %s: %s"); journals
 * that cannot be opened only cost performance (logged). */
struct lease_store *lease_store_open(const char *path, bool ro, int *err);
/* keep: lease_store_load() keeps the leases that expired while the daemon
 * was down, expiring at now, so that their removal can run the
 * dhcp-script's "del" as dnsmasq's does (default: dropped). */
void lease_store_keep_expired(struct lease_store *s, bool keep);
/* Closes the files and frees the store (call lease_store_maintain() with
 * force first). */
void lease_store_close(struct lease_store *s);
/* Loads the newest complete state into t (empty), drops expired leases,
 * then writes a fresh snapshot (a failure there is not fatal: it is
 * retried by the next sync).  Returns the number of leases loaded,
 * -E2BIG (more leases than the table takes), -ENOMEM or -EIO (a read
 * error: dnsmasq's "failed to read lease file %s: %s"). */
int lease_store_load(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now, uint32_t max_remaining_s);
/* Records a change (add/update: removed false; removal: removed true,
 * before lease_remove()) of l; buffered until the next sync.  Borrows
 * l. */
void lease_store_note(struct lease_store *s, const struct lease *l,
    bool removed, const struct clock_now *now);
/* Writes buffered changes with one write and one fdatasync.  Returns 0
 * when every noted change is on stable storage, else -errno (disk full,
 * read-only, I/O error; after a failure, further attempts within
 * LEASE_STORE_RETRY_MS return the same error without writing): the caller
 * must not send the ACKs of this turn, except for leases that
 * lease_store_is_durable() reports.  Logs dnsmasq's "failed to write %s:
 * %s (retry in %u s)" at most once a minute. */
int lease_store_sync(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now);
/* True when l is on stable storage with its current address and client
 * (its expiry may be older): a renewal of l may be ACKed even while sync
 * fails.  Always true for leasefile-ro. */
bool lease_store_is_durable(const struct lease_store *s,
    const struct lease *l);
/* Notes and removes every lease expired at now; returns how many. */
unsigned lease_store_expire(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now);
/* Retries a failed sync, compacts the journal when it has grown, and
 * rewrites the lease file when it is stale (at most once a second, less
 * often for large tables, unless force; force also writes everything
 * pending: call it on exit).  Call it after each turn's sync and when
 * lease_store_next_due() is reached.  Returns 0 or -errno (logged). */
int lease_store_maintain(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now, bool force);
/* Monotonic time at which lease_store_maintain() has work to do, for the
 * event loop's timer; CLOCK_INFINITE_MS when none. */
int64_t lease_store_next_due(const struct lease_store *s);

/* Counters for statistics and tests. */
struct lease_store_stats {
	unsigned long syncs;		/* successful syncs that wrote */
	unsigned long sync_errors;
	unsigned long records;		/* records appended */
	unsigned long compactions;
	unsigned long file_writes;	/* lease file rewrites */
	unsigned long dropped_records;	/* overflow: a snapshot is owed */
	bool journaled;			/* false: without journals */
	bool loaded_from_file;		/* the last load read FILE */
};
void lease_store_get_stats(const struct lease_store *s,
    struct lease_store_stats *st);

/* Test hook: the system calls that write (fault injection).  NULL
 * members (or io NULL) mean the real ones; each gets io->ctx first and
 * returns as the system call does (-1 with errno set on failure).
 * Borrows io for the store's lifetime. */
struct lease_store_io {
	ssize_t (*pwrite)(void *ctx, int fd, const void *buf, size_t n,
	    off_t off);
	int (*fdatasync)(void *ctx, int fd);
	int (*ftruncate)(void *ctx, int fd, off_t len);
	void *ctx;
	/* Appended records that always allow a compaction; 0: 1000. */
	unsigned compact_min;
};
void lease_store_set_io(struct lease_store *s,
    const struct lease_store_io *io);

#endif
