/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_dhcp_pool.c - candidate ranges (reference 2.1), dhcp-host lookup
 * order (3.2), address allocation and the probe cache (3.7), as dnsmasq
 * 2.90 does them (dhcp.c, dhcp-common.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf_dhcp.h"
#include "dhcp_pool.h"
#include "dhcp_test_util.h"

struct px {
	struct conf *cf;
	struct tag_names tn;
	struct dhcp_pool p;
	uint16_t buf[64];
	struct dhcp_chain c;
	struct dhcp_ifaddr ia;
	struct tag_set tags;
	uint32_t leased[512];	/* host-order addresses with a lease */
	unsigned nleased;
	char warn[256];
};

static void
px_log(void *ctx, int sev, const char *line)
{
	struct px *x = ctx;

	(void)sev;
	snprintf(x->warn, sizeof(x->warn), "%s", line);
}

static struct px *
px_new(const char *conf)
{
	struct px *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->cf = tu_conf(conf);
	assert_non_null(x->cf);
	assert_int_equal(tag_names_init(&x->tn, &x->cf->tags), 0);
	assert_int_equal(dhcp_pool_init(&x->p, x->cf, &x->tn, px_log, x), 0);
	x->c.v = x->buf;
	x->ia.addr = tu_ip("198.51.100.1");
	x->ia.netmask = tu_ip("255.255.255.0");
	x->ia.broadcast = tu_ip("198.51.100.255");
	tag_set_clear(&x->tags);
	return x;
}

static void
px_free(struct px *x)
{
	dhcp_pool_fini(&x->p);
	tag_names_free(&x->tn);
	conf_free(x->cf);
	free(x);
}

static bool
px_leased(void *ctx, struct in_addr a)
{
	struct px *x = ctx;

	for (unsigned i = 0; i < x->nleased; i++)
		if (x->leased[i] == ntohl(a.s_addr))
			return true;
	return false;
}

static void
px_lease(struct px *x, const char *ip)
{
	assert_true(x->nleased < sizeof(x->leased) / sizeof(x->leased[0]));
	x->leased[x->nleased++] = ntohl(tu_ip(ip).s_addr);
	dhcp_pool_mark(&x->p, tu_ip(ip), true);
}

/* Allocates for mac without pings; "" when none. */
static const char *
px_alloc(struct px *x, const char *mac, bool sequential)
{
	static char out[INET_ADDRSTRLEN];
	struct dhcp_alloc_req r = { 0 };
	uint8_t hw[6];
	struct in_addr a;

	tu_mac(mac, hw);
	r.hw = hw;
	r.hlen = 6;
	r.tags = &x->tags;
	r.leased = px_leased;
	r.ctx = x;
	r.sequential = sequential;
	r.now_ms = 1000;
	if (dhcp_pool_allocate(&x->p, &x->c, &r, &a) != DHCP_ALLOC_OK)
		return "";
	inet_ntop(AF_INET, &a, out, sizeof(out));
	return out;
}

static const char *
range_str(const struct px *x, int idx)
{
	static char out[64];
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (idx < 0)
		return "none";
	inet_ntop(AF_INET, &x->p.range[idx]->start, a, sizeof(a));
	inet_ntop(AF_INET, &x->p.range[idx]->end, b, sizeof(b));
	snprintf(out, sizeof(out), "%s-%s", a, b);
	return out;
}

/* --- candidate ranges ---------------------------------------------------- */

static void
iface_ranges_in_file_order(void **state)
{
	struct px *x = px_new("dhcp-range=198.51.100.10,198.51.100.20\n"
	    "dhcp-range=203.0.113.10,203.0.113.20\n"
	    "dhcp-range=198.51.100.30,198.51.100.40\n");

	(void)state;
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	assert_int_equal(x->c.n, 2);
	assert_string_equal(range_str(x, x->c.v[0]),
	    "198.51.100.10-198.51.100.20");
	assert_string_equal(range_str(x, x->c.v[1]),
	    "198.51.100.30-198.51.100.40");
	/* local, router and broadcast learnt from the interface */
	assert_int_equal(x->p.rs[x->c.v[0]].local.s_addr, x->ia.addr.s_addr);
	assert_int_equal(x->p.rs[x->c.v[0]].router.s_addr, x->ia.addr.s_addr);
	assert_int_equal(x->p.rs[x->c.v[0]].broadcast.s_addr,
	    x->ia.broadcast.s_addr);
	px_free(x);
}

static void
iface_netmask_inconsistent(void **state)
{
	struct px *x = px_new("dhcp-range=198.51.100.10,198.51.101.20\n");

	(void)state;
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	assert_int_equal(x->c.n, 0);
	assert_string_equal(x->warn, "DHCP range 198.51.100.10 -- "
	    "198.51.101.20 is not consistent with netmask 255.255.255.0");
	px_free(x);
}

/* A relay's subnet: the range with its own netmask or a classful one;
 * router = giaddr, local = our address. */
static void
remote_relay(void **state)
{
	struct px *x = px_new("dhcp-range=198.51.100.10,198.51.100.20\n"
	    "dhcp-range=203.0.113.10,203.0.113.20\n");

	(void)state;
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	dhcp_pool_remote(&x->p, &x->c, tu_ip("203.0.113.1"), true, true,
	    tu_ip("203.0.113.1"), x->ia.addr);
	assert_int_equal(x->c.n, 1);
	assert_string_equal(range_str(x, x->c.v[0]),
	    "203.0.113.10-203.0.113.20");
	assert_int_equal(x->p.rs[x->c.v[0]].router.s_addr,
	    tu_ip("203.0.113.1").s_addr);
	assert_int_equal(x->p.rs[x->c.v[0]].local.s_addr, x->ia.addr.s_addr);
	assert_int_equal(x->p.rs[x->c.v[0]].netmask.s_addr,
	    tu_ip("255.255.255.0").s_addr);
	assert_int_equal(x->p.rs[x->c.v[0]].broadcast.s_addr,
	    tu_ip("203.0.113.255").s_addr);
	/* an unknown relay subnet leaves nothing */
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	dhcp_pool_remote(&x->p, &x->c, tu_ip("192.168.7.1"), true, true,
	    tu_ip("192.168.7.1"), x->ia.addr);
	assert_int_equal(x->c.n, 0);
	/* a ciaddr on the interface's subnet keeps the interface set */
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	dhcp_pool_remote(&x->p, &x->c, tu_ip("198.51.100.15"), false, false,
	    tu_ip("0.0.0.0"), x->ia.addr);
	assert_int_equal(x->c.n, 1);
	px_free(x);
}

static void
available_and_narrow(void **state)
{
	struct px *x = px_new("dhcp-range=198.51.100.1,198.51.100.20\n"
	    "dhcp-range=tag:t,198.51.100.30,198.51.100.40\n"
	    "dhcp-range=198.51.100.0,static\n");

	(void)state;
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	assert_int_equal(x->c.n, 3);
	/* the server's own address is never available */
	assert_int_equal(dhcp_pool_available(&x->p, &x->c, x->ia.addr,
	    &x->tags), -1);
	assert_string_equal(range_str(x, dhcp_pool_available(&x->p, &x->c,
	    tu_ip("198.51.100.5"), &x->tags)), "198.51.100.1-198.51.100.20");
	/* the tagged range needs its tag */
	assert_int_equal(dhcp_pool_available(&x->p, &x->c,
	    tu_ip("198.51.100.35"), &x->tags), -1);
	tag_set_add_id(&x->tags, (uint16_t)tag_names_lookup(&x->tn, "t"));
	assert_string_equal(range_str(x, dhcp_pool_available(&x->p, &x->c,
	    tu_ip("198.51.100.35"), &x->tags)), "198.51.100.30-198.51.100.40");
	/* outside every dynamic range: the static one on the subnet */
	assert_string_equal(range_str(x, dhcp_pool_narrow(&x->p, &x->c,
	    tu_ip("198.51.100.99"), &x->tags)), "198.51.100.0-198.51.100.0");
	assert_int_equal(dhcp_pool_narrow(&x->p, &x->c, tu_ip("10.1.1.1"),
	    &x->tags), -1);
	px_free(x);
}

/* --- allocation ---------------------------------------------------------- */

static void
alloc_hash_and_skips(void **state)
{
	struct px *x = px_new("dhcp-range=198.51.100.50,198.51.100.150\n"
	    "dhcp-host=00:11:22:33:44:55,198.51.100.108\n");

	(void)state;
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	assert_int_equal(dhcp_pool_hash((const uint8_t *)"\x52\x54\x00\x12"
	    "\x34\x56", 6), 1826059958u);
	assert_string_equal(px_alloc(x, "52:54:00:12:34:56", false),
	    "198.51.100.107");
	px_lease(x, "198.51.100.107");
	/* .108 belongs to a dhcp-host */
	assert_string_equal(px_alloc(x, "52:54:00:12:34:56", false),
	    "198.51.100.109");
	/* the epoch moves the start */
	x->p.rs[x->c.v[0]].epoch = 5;
	assert_string_equal(px_alloc(x, "52:54:00:12:34:56", false),
	    "198.51.100.112");
	px_free(x);
}

static void
alloc_wraps_and_fills(void **state)
{
	struct px *x = px_new("dhcp-range=198.51.100.149,198.51.100.151\n");

	(void)state;
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	px_lease(x, "198.51.100.150");
	px_lease(x, "198.51.100.151");
	/* 52:54:00:12:34:56 starts at .149 + (h % 3) = .151 */
	assert_string_equal(px_alloc(x, "52:54:00:12:34:56", false),
	    "198.51.100.149");
	px_lease(x, "198.51.100.149");
	assert_string_equal(px_alloc(x, "52:54:00:12:34:56", false), "");
	px_free(x);
}

static void
alloc_tagged_first(void **state)
{
	struct px *x = px_new("dhcp-range=198.51.100.50,198.51.100.60\n"
	    "dhcp-range=tag:vip,198.51.100.200,198.51.100.200\n");

	(void)state;
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	assert_string_not_equal(px_alloc(x, "52:54:00:12:34:56", false),
	    "198.51.100.200");
	tag_set_add_id(&x->tags, (uint16_t)tag_names_lookup(&x->tn, "vip"));
	assert_string_equal(px_alloc(x, "52:54:00:12:34:56", false),
	    "198.51.100.200");
	px_free(x);
}

/* Long leased runs are stepped over through the bitmap, across words
 * and around the end of the range, with the same result as one by one. */
struct run_row {
	const char *name;
	unsigned first, count;		/* leased: .first .. .first+count-1 */
	unsigned first2, count2;	/* and these */
	const char *want;
};

static const struct run_row run_rows[] = {
	/* 52:54:00:12:34:56 starts at .83 in .0-.200 */
	{ "free start", 0, 0, 0, 0, "198.51.100.83" },
	{ "run to the end, then .0 (class C) and .1 (ours) skipped", 83, 118,
	    0, 0, "198.51.100.2" },
	{ "run across two words", 83, 70, 0, 0, "198.51.100.153" },
	{ "run to the end and on after the wrap", 83, 118, 0, 70,
	    "198.51.100.70" },
	{ "everything", 0, 201, 0, 0, "" },
};
static void
alloc_leased_runs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(run_rows) / sizeof(run_rows[0]); i++) {
		const struct run_row *r = &run_rows[i];
		struct px *x =
		    px_new("dhcp-range=198.51.100.0,198.51.100.200\n");
		const char *got;

		dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
		for (unsigned k = 0; k < r->count + r->count2; k++) {
			char ip[INET_ADDRSTRLEN];
			struct in_addr a;

			a.s_addr = htonl(ntohl(tu_ip("198.51.100.0").s_addr) +
			    (k < r->count ? r->first + k :
			    r->first2 + k - r->count));
			inet_ntop(AF_INET, &a, ip, sizeof(ip));
			px_lease(x, ip);
		}
		got = px_alloc(x, "52:54:00:12:34:56", false);
		if (strcmp(got, r->want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", r->name, got,
			    r->want);
		/* a lease removed from the table frees its bit */
		if (r->count == 201) {
			x->leased[60] = 0;	/* was .60 */
			dhcp_pool_mark(&x->p, tu_ip("198.51.100.60"), false);
			assert_string_equal(px_alloc(x, "52:54:00:12:34:56",
			    false), "198.51.100.60");
		}
		px_free(x);
	}
}

/* The bitmap scan and the address-by-address scan agree, for random
 * lease sets and clients (fixed seed). */
static void
alloc_bitmap_equivalence(void **state)
{
	uint32_t seed = 12345;

	(void)state;
	for (int round = 0; round < 200; round++) {
		struct px *x = px_new("dhcp-range=198.51.100.0,198.51.100.250\n"
		    "dhcp-host=00:00:00:00:00:01,198.51.100.77\n");
		unsigned n;
		char mac[32], a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
		uint64_t *saved;

		dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 8) % 252;
		for (unsigned k = 0; k < n; k++) {
			char ip[INET_ADDRSTRLEN];
			struct in_addr ad;

			seed = seed * 1103515245u + 12345u;
			/* runs: mostly next to the previous one */
			ad.s_addr = htonl(ntohl(tu_ip("198.51.100.0").s_addr) +
			    ((seed >> 16) % 4 == 0 ? (seed >> 8) % 251 :
			    (k * 3 + round) % 251));
			inet_ntop(AF_INET, &ad, ip, sizeof(ip));
			if (!px_leased(x, ad))
				px_lease(x, ip);
		}
		seed = seed * 1103515245u + 12345u;
		snprintf(mac, sizeof(mac), "52:54:00:%02x:%02x:%02x",
		    seed >> 24, (seed >> 16) & 255, (seed >> 8) & 255);
		snprintf(a, sizeof(a), "%s", px_alloc(x, mac, false));
		saved = x->p.rs[x->c.v[0]].used;
		x->p.rs[x->c.v[0]].used = NULL;
		snprintf(b, sizeof(b), "%s", px_alloc(x, mac, false));
		x->p.rs[x->c.v[0]].used = saved;
		if (strcmp(a, b) != 0)
			fail_msg("round %d: bitmap %s, scan %s", round, a, b);
		px_free(x);
	}
}

/* dhcp-sequential-ip: one above the highest leased address. */
static void
alloc_sequential(void **state)
{
	struct px *x = px_new("dhcp-range=198.51.100.50,198.51.100.150\n");

	(void)state;
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	assert_string_equal(px_alloc(x, "52:54:00:12:34:56", true),
	    "198.51.100.50");
	px_lease(x, "198.51.100.50");
	px_lease(x, "198.51.100.90");
	dhcp_pool_note_lease(&x->p, tu_ip("198.51.100.90"));
	assert_string_equal(px_alloc(x, "52:54:00:aa:bb:cc", true),
	    "198.51.100.91");
	px_free(x);
}

/* Probe: the pool never waits; clean results are remembered 30 s; a busy
 * address moves the range epoch. */
static void
probe_cache(void **state)
{
	struct px *x = px_new("dhcp-range=198.51.100.50,198.51.100.150\n");
	struct dhcp_alloc_req r = { 0 };
	const uint8_t hw[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	struct in_addr a;
	bool probe;

	(void)state;
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	r.hw = hw;
	r.hlen = 6;
	r.tags = &x->tags;
	r.leased = px_leased;
	r.ctx = x;
	r.ping = true;
	r.now_ms = 1000;
	assert_int_equal(dhcp_pool_allocate(&x->p, &x->c, &r, &a),
	    DHCP_ALLOC_PROBE);
	assert_int_equal(a.s_addr, tu_ip("198.51.100.107").s_addr);
	/* asked again before the answer: the same probe */
	assert_int_equal(dhcp_pool_allocate(&x->p, &x->c, &r, &a),
	    DHCP_ALLOC_PROBE);
	dhcp_pool_probe_done(&x->p, a, dhcp_pool_hash(hw, 6), true, 2000);
	assert_int_equal(x->p.rs[x->c.v[0]].epoch, 1);
	r.now_ms = 2000;
	assert_int_equal(dhcp_pool_allocate(&x->p, &x->c, &r, &a),
	    DHCP_ALLOC_PROBE);
	assert_int_equal(a.s_addr, tu_ip("198.51.100.108").s_addr);
	dhcp_pool_probe_done(&x->p, a, dhcp_pool_hash(hw, 6), false, 2000);
	assert_int_equal(dhcp_pool_allocate(&x->p, &x->c, &r, &a),
	    DHCP_ALLOC_OK);
	assert_int_equal(a.s_addr, tu_ip("198.51.100.108").s_addr);
	/* 30 s later the result is forgotten */
	r.now_ms = 33000;
	assert_int_equal(dhcp_pool_allocate(&x->p, &x->c, &r, &a),
	    DHCP_ALLOC_PROBE);
	/* once 6 pings ran in 30 s, no more pings */
	for (int i = 0; i < 6; i++) {
		struct in_addr b = tu_ip("203.0.113.1");

		b.s_addr = htonl(ntohl(b.s_addr) + (uint32_t)i);
		dhcp_pool_probe_done(&x->p, b, 0, false, 33000);
	}
	assert_false(dhcp_pool_ping_check(&x->p, a, 0, true, 33000, &probe) &&
	    probe);
	px_free(x);
}

/* --- hosts --------------------------------------------------------------- */

struct host_row {
	const char *name;
	const char *clid;		/* hex, or NULL */
	const char *mac;
	const char *hostname;
	const char *tag;		/* present tag, or NULL */
	unsigned want;			/* line of the dhcp-host, 0: none */
};

/* The file lines of the dhcp-host entries below are 2..9. */
#define HOSTS_CONF \
	"dhcp-range=198.51.100.50,198.51.100.150\n" \
	"dhcp-host=52:54:00:00:00:01,198.51.100.11\n" \
	"dhcp-host=id:01:02:03,198.51.100.12\n" \
	"dhcp-host=52:54:00:*:*:*,198.51.100.13\n" \
	"dhcp-host=52:54:*:*:*:*,198.51.100.14\n" \
	"dhcp-host=byname,198.51.100.15\n" \
	"dhcp-host=tag:t,52:54:00:00:00:02,198.51.100.16\n" \
	"dhcp-host=52:54:00:00:00:02,198.51.100.17\n" \
	"dhcp-host=52:54:00:00:00:03,10.0.0.3\n"

static const struct host_row host_rows[] = {
	{ "exact MAC", NULL, "52:54:00:00:00:01", NULL, NULL, 2 },
	{ "client id before MAC", "010203", "52:54:00:00:00:01", NULL, NULL,
	    3 },
	{ "dhcpcd zero before the id", "00010203", "00:00:00:00:00:09", NULL,
	    NULL, 3 },
	{ "most fixed bytes wins", NULL, "52:54:00:99:99:99", NULL, NULL, 4 },
	{ "fewer fixed bytes", NULL, "52:54:99:99:99:99", NULL, NULL, 5 },
	{ "by name", NULL, "00:00:00:00:00:09", "BYNAME", NULL, 6 },
	{ "untagged entry without the tag", NULL, "52:54:00:00:00:02", NULL,
	    NULL, 8 },
	{ "tagged entry first", NULL, "52:54:00:00:00:02", NULL, "t", 7 },
	{ "address on another network: the wildcard", NULL,
	    "52:54:00:00:00:03", NULL, NULL, 4 },
	{ "nothing", NULL, "00:00:00:00:00:09", NULL, NULL, 0 },
};

static void
host_lookup(void **state)
{
	struct px *x = px_new(HOSTS_CONF);

	(void)state;
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	for (size_t i = 0; i < sizeof(host_rows) / sizeof(host_rows[0]);
	    i++) {
		const struct host_row *r = &host_rows[i];
		uint8_t clid[16], hw[6];
		size_t clen = 0;
		int h;

		if (r->clid != NULL)
			for (; r->clid[2 * clen] != '\0'; clen++)
				sscanf(r->clid + 2 * clen, "%2hhx",
				    &clid[clen]);
		tu_mac(r->mac, hw);
		tag_set_clear(&x->tags);
		if (r->tag != NULL)
			tag_set_add_id(&x->tags,
			    (uint16_t)tag_names_lookup(&x->tn, r->tag));
		h = dhcp_pool_find_host(&x->p, &x->c, r->clid ? clid : NULL,
		    clen, hw, 6, 1, r->hostname, &x->tags);
		if ((h < 0 ? 0 : x->p.host[h]->src.line) != r->want)
			fail_msg("%s: got line %u", r->name,
			    h < 0 ? 0 : x->p.host[h]->src.line);
	}
	/* any network: the exact MAC of line 9 */
	{
		uint8_t hw[6];
		int h;

		tu_mac("52:54:00:00:00:03", hw);
		h = dhcp_pool_find_host(&x->p, NULL, NULL, 0, hw, 6, 1, NULL,
		    &x->tags);
		assert_int_equal(x->p.host[h]->src.line, 9);
	}
	assert_int_equal(x->p.host[dhcp_pool_host_by_addr(&x->p,
	    tu_ip("198.51.100.15"))]->src.line, 6);
	assert_int_equal(dhcp_pool_host_by_addr(&x->p, tu_ip("198.51.100.99")),
	    -1);
	px_free(x);
}

static void
decline_backoff(void **state)
{
	struct px *x = px_new(HOSTS_CONF);
	int h = dhcp_pool_host_by_addr(&x->p, tu_ip("198.51.100.11"));

	(void)state;
	assert_false(dhcp_pool_host_declined(&x->p, h, 5000));
	dhcp_pool_host_decline(&x->p, h, 5000);
	assert_true(dhcp_pool_host_declined(&x->p, h, 5000 + 599999));
	assert_false(dhcp_pool_host_declined(&x->p, h, 5000 + 600000));
	px_free(x);
}

/* SIGHUP: a pool rebuilt from the same configuration keeps the range
 * epochs and the DECLINE times (dnsmasq's contexts and dhcp-host configs
 * live on); a range that changed starts afresh. */
static void
reload_carries_state(void **state)
{
	struct px *x = px_new(HOSTS_CONF);
	struct px *y = px_new("dhcp-range=198.51.100.60,198.51.100.150\n");
	struct dhcp_pool p2;
	int h = dhcp_pool_host_by_addr(&x->p, tu_ip("198.51.100.11"));

	(void)state;
	dhcp_pool_host_decline(&x->p, h, 5000);
	dhcp_pool_iface(&x->p, &x->ia, 1, &x->c);
	assert_int_equal(x->c.n, 1);
	dhcp_pool_bump_epoch(&x->p, &x->c);
	dhcp_pool_bump_epoch(&x->p, &x->c);

	assert_int_equal(dhcp_pool_init(&p2, x->cf, &x->tn, px_log, x), 0);
	assert_int_equal(p2.rs[0].epoch, 0);
	assert_false(dhcp_pool_host_declined(&p2, h, 6000));
	dhcp_pool_carry(&p2, &x->p);
	assert_int_equal(p2.rs[0].epoch, 2);
	assert_non_null(p2.rs[0].used);
	assert_true(p2.rs[0].used != x->p.rs[0].used);
	assert_true(dhcp_pool_host_declined(&p2, h, 6000));
	assert_false(dhcp_pool_host_declined(&p2, h, 5000 + 600000));
	dhcp_pool_fini(&p2);

	dhcp_pool_carry(&y->p, &x->p);	/* another range: nothing */
	assert_int_equal(y->p.rs[0].epoch, 0);
	px_free(y);
	px_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iface_ranges_in_file_order),
		cmocka_unit_test(iface_netmask_inconsistent),
		cmocka_unit_test(remote_relay),
		cmocka_unit_test(available_and_narrow),
		cmocka_unit_test(alloc_hash_and_skips),
		cmocka_unit_test(alloc_wraps_and_fills),
		cmocka_unit_test(alloc_tagged_first),
		cmocka_unit_test(alloc_leased_runs),
		cmocka_unit_test(alloc_bitmap_equivalence),
		cmocka_unit_test(alloc_sequential),
		cmocka_unit_test(probe_cache),
		cmocka_unit_test(host_lookup),
		cmocka_unit_test(decline_backoff),
		cmocka_unit_test(reload_carries_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
