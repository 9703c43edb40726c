/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp_pool.h - where DHCPv4 addresses come from (L2: no I/O; time passed
 * in): the dhcp-range candidates of a request, dhcp-host lookup, address
 * allocation and the ICMP-probe cache.
 *
 * dnsmasq 2.90 facts followed here (dhcp.c, dhcp-common.c, rfc2131.c):
 *  - dnsmasq keeps dhcp-range and dhcp-host newest first and takes the
 *    first match, so the last matching line in the file wins; the pool
 *    keeps both in that order (index 0 = last line read).
 *  - A range learns its netmask from the interface it sits on, its
 *    "local" (server id, default router, DNS) from the address it was
 *    matched with and, for relayed subnets, its router from giaddr; these
 *    stay with the range between packets as in dnsmasq (struct
 *    dhcp_range_state).
 *  - Allocation (address_allocate): SDBM hash of the client's hardware
 *    address plus the range's epoch, modulo the range size, then upwards
 *    with wrap-around; skip the server or relay address, leased and
 *    dhcp-host addresses and, in 192.0.0.0-223.255.255.255 only, x.x.x.0
 *    and x.x.x.255.  Ranges whose tag: filters match go first.
 *  - ICMP probe (do_icmp_ping): a candidate is used only after a ping got
 *    no answer.  The pool never waits: it answers DHCP_ALLOC_PROBE with
 *    the address, the caller pings and reports with dhcp_pool_probe_done()
 *    and asks again.  Results are remembered 30 s; when 60 % of the
 *    pings possible in 30 s (3 s each) were made, candidates are taken
 *    without a ping, as dnsmasq's overload rule does (dnsmasq counts only
 *    clean answers, because its loop ends by itself; here a busy answer
 *    counts too, or a range of busy addresses would be probed forever).
 *
 * Every loop here is over configuration entries (ranges, hosts) or over
 * addresses of one range; none walks the lease table.  The allocation
 * scan skips leased addresses 64 at a time with a per-range bitmap that
 * the owner of the lease table keeps current (dhcp_pool_mark()), so a
 * table of 100,000 leases in long runs costs no more than an empty one;
 * every candidate is still checked against the table itself.
 */
#ifndef PXEMASQ_DHCP_POOL_H
#define PXEMASQ_DHCP_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "dhcp_log.h"
#include "tag.h"

struct conf;
struct conf_dhcp_range;
struct conf_dhcp_host;

/* One IPv4 address of an interface. */
struct dhcp_ifaddr {
	struct in_addr addr, netmask, broadcast;
};

/* What a range has learnt (dnsmasq's struct dhcp_context fields). */
struct dhcp_range_state {
	struct in_addr netmask;		/* configured, else guessed */
	struct in_addr local;		/* our address on its network */
	struct in_addr router;		/* default router: local or giaddr */
	struct in_addr broadcast;
	uint32_t epoch;			/* bumped on DECLINE / busy ping */
	struct in_addr seq_hint;	/* dhcp-sequential-ip: >= top lease */
	/* A bit per address of a dynamic range that has a lease, so that a
	 * scan steps over leased runs a word at a time (NULL for static and
	 * proxy ranges and ranges over DHCP_POOL_BITMAP_MAX addresses). */
	uint64_t *used;
	bool warned;			/* inconsistent netmask logged */
};

/* Per-request candidate ranges (dnsmasq's ->current chain). */
struct dhcp_chain {
	unsigned n;
	uint16_t *v;			/* pool range indices; caller storage
					 * of dhcp_pool.nranges entries */
};

#define DHCP_PING_CACHE 32
#define DHCP_PING_CACHE_MS 30000	/* dnsmasq PING_CACHE_TIME */
#define DHCP_PING_WAIT_MS 3000		/* dnsmasq PING_WAIT */
/* dnsmasq: (int)(0.6 * PING_CACHE_TIME / PING_WAIT) */
#define DHCP_PING_MAX_RECENT 6
#define DHCP_DECLINE_BACKOFF_MS 600000	/* dnsmasq DECLINE_BACKOFF */
#define DHCP_POOL_BITMAP_MAX (1u << 24)	/* 2 MiB of bits at most */

enum dhcp_ping_state { DHCP_PING_FREE, DHCP_PING_PENDING, DHCP_PING_CLEAN,
	DHCP_PING_BUSY };

struct dhcp_ping_entry {
	enum dhcp_ping_state state;
	struct in_addr addr;
	int64_t when_ms;
	uint32_t hash;			/* client hash it was offered to */
};

struct dhcp_pool {
	const struct conf *cf;
	const struct tag_names *tn;	/* borrowed */
	unsigned nranges;
	const struct conf_dhcp_range **range;	/* newest first */
	struct dhcp_range_state *rs;
	unsigned nhosts;
	const struct conf_dhcp_host **host;	/* newest first */
	int64_t *declined_ms;		/* per host; INT64_MIN: never */
	uint32_t *addr_slot;		/* host index + 1 by address */
	unsigned addr_mask;
	struct dhcp_ping_entry ping[DHCP_PING_CACHE];
	dhcp_log_fn *log;
	void *log_ctx;
};

/* Builds the pool for cf (borrowed, must outlive it).  Returns 0 or
 * -ENOMEM. */
int dhcp_pool_init(struct dhcp_pool *p, const struct conf *cf,
    const struct tag_names *tn, dhcp_log_fn *log, void *log_ctx);
void dhcp_pool_fini(struct dhcp_pool *p);

bool dhcp_same_net(struct in_addr a, struct in_addr b, struct in_addr mask);

/* After a reload (SIGHUP rebuilds the configuration from the same main
 * files): what dnsmasq's long-lived dhcp-range and dhcp-host entries keep
 * goes from `from` to `to` - each range's epoch (moved by DECLINEs),
 * learnt netmask, addresses and sequential hint when the range is the
 * same one (same position, start, end and flags), and the DECLINE time of
 * each main-configuration dhcp-host written at the same place (file and
 * line) with the same address; dhcp-hostsfile entries are new ones, as in
 * dnsmasq.  Both pools must be alive. */
void dhcp_pool_carry(struct dhcp_pool *to, const struct dhcp_pool *from);

/* 2.1 step 1: the ranges on the arrival interface (complete_context). */
void dhcp_pool_iface(struct dhcp_pool *p, const struct dhcp_ifaddr *addrs,
    unsigned naddrs, struct dhcp_chain *out);

/* 2.1 step 2: a request with a subnet selector, giaddr or ciaddr.  addr
 * is that address; force: selector or relay (the interface set is then
 * dropped even when nothing matches); relay: giaddr given; fallback: the
 * arrival interface's address.  Replaces *c when something matched or
 * force. */
void dhcp_pool_remote(struct dhcp_pool *p, struct dhcp_chain *c,
    struct in_addr addr, bool force, bool relay, struct in_addr giaddr,
    struct in_addr fallback);

/* address_available(): the dynamic range of c holding a whose filter
 * matches, else -1.  The chain's first router address is never free. */
int dhcp_pool_available(const struct dhcp_pool *p, const struct dhcp_chain *c,
    struct in_addr a, const struct tag_set *tags);
/* narrow_context(): the one range for a (dynamic, else static on its
 * subnet, else any non-proxy one on its subnet), or -1. */
int dhcp_pool_narrow(const struct dhcp_pool *p, const struct dhcp_chain *c,
    struct in_addr a, const struct tag_set *tags);

/* --- hosts ------------------------------------------------------------ */

/* find_config(): exact client id, exact MAC, name, then the wildcard MAC
 * with most fixed bytes; entries whose tag: filters match first.  c NULL:
 * any network.  hostname NULL: no name pass.  Returns an index or -1. */
int dhcp_pool_find_host(const struct dhcp_pool *p, const struct dhcp_chain *c,
    const uint8_t *clid, size_t clid_len, const uint8_t *hw, size_t hlen,
    unsigned htype, const char *hostname, const struct tag_set *tags);
/* The dhcp-host holding address a, or -1 (config_find_by_address). */
int dhcp_pool_host_by_addr(const struct dhcp_pool *p, struct in_addr a);
/* config_has_mac(): one of h's fixed MACs. */
bool dhcp_pool_host_has_mac(const struct dhcp_pool *p, int h,
    const uint8_t *hw, size_t hlen, unsigned htype);
/* DECLINE of host h's address at now: refused for 600 s. */
void dhcp_pool_host_decline(struct dhcp_pool *p, int h, int64_t now_ms);
bool dhcp_pool_host_declined(const struct dhcp_pool *p, int h,
    int64_t now_ms);

/* --- allocation --------------------------------------------------------- */

enum dhcp_alloc { DHCP_ALLOC_OK, DHCP_ALLOC_NONE, DHCP_ALLOC_PROBE };

struct dhcp_alloc_req {
	const uint8_t *hw;		/* hashed bytes (chaddr or client id) */
	size_t hlen;
	const struct tag_set *tags;
	/* true when a has a (live) lease */
	bool (*leased)(void *ctx, struct in_addr a);
	void *ctx;
	bool ping;			/* false: no-ping or loopback */
	bool sequential;		/* dhcp-sequential-ip */
	int64_t now_ms;
};

/* SDBM hash of the hardware address, 0 replaced by 1 (dnsmasq). */
uint32_t dhcp_pool_hash(const uint8_t *hw, size_t len);

/* address_allocate().  OK: *out is the address; PROBE: *out must be
 * pinged first (state is unchanged, ask again after
 * dhcp_pool_probe_done()); NONE: no address available. */
enum dhcp_alloc dhcp_pool_allocate(struct dhcp_pool *p,
    const struct dhcp_chain *c, const struct dhcp_alloc_req *r,
    struct in_addr *out);

/* do_icmp_ping() for one address: true when usable now, false when in use;
 * *probe set when it must be pinged first. */
bool dhcp_pool_ping_check(struct dhcp_pool *p, struct in_addr a,
    uint32_t hash, bool ping, int64_t now_ms, bool *probe);
/* The ping of a ended: in_use when something answered. */
void dhcp_pool_probe_done(struct dhcp_pool *p, struct in_addr a,
    uint32_t hash, bool in_use, int64_t now_ms);

/* Range epoch bump (DECLINE of a dynamic address): every range of c. */
void dhcp_pool_bump_epoch(struct dhcp_pool *p, const struct dhcp_chain *c);
/* A lease for a now exists (dhcp-sequential-ip bookkeeping). */
void dhcp_pool_note_lease(struct dhcp_pool *p, struct in_addr a);
/* The lease at a was added (leased) or removed: the allocation bitmaps. */
void dhcp_pool_mark(struct dhcp_pool *p, struct in_addr a, bool leased);

#endif
