/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lease.c - the DHCP lease table, dnsmasq's lease file format and the
 * journaled store (design: lease.h).
 *
 * Facts from dnsmasq 2.90 (src/lease.c, src/util.c), re-implemented:
 *  - lease_update_file(): "%lu " expiry (0 infinite); "%.2x-" hardware
 *    type when the type is not ARPHRD_ETHER or the address is empty; the
 *    address bytes "%.2x" joined by ':'; " IP "; hostname or "*"; " ";
 *    client id "%.2x" joined by ':' or "*"; "\n".  IPv4 leases in list
 *    order, whose head is the newest allocation.
 *  - read_leases(): fscanf("%255s %255s"); "duid" + hex skipped; then
 *    " %64s %255s %764s" (fewer than 3: "ignoring invalid line in lease
 *    database: %s %s %s %s ..."); the address must parse as IPv4 (or
 *    IPv6: a DHCPv6 lease), else "ignoring invalid line in lease
 *    database, bad address: %s"; MAC and client id through parse_hex()
 *    (a "TT-" prefix gives the type, none means Ethernet); expiry by
 *    atol(); a read loop that stops with one field left over logs "failed
 *    to parse lease database cleanly"; then lease_prune() drops leases
 *    with expiry != 0 && now >= expiry.
 */
#include "lease.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"

/* --- CRC-32C (Castagnoli, reflected 0x82f63b78) ------------------------- */

static const uint32_t lease_crc_tab[256] = {
	0x00000000, 0xf26b8303, 0xe13b70f7, 0x1350f3f4,
	0xc79a971f, 0x35f1141c, 0x26a1e7e8, 0xd4ca64eb,
	0x8ad958cf, 0x78b2dbcc, 0x6be22838, 0x9989ab3b,
	0x4d43cfd0, 0xbf284cd3, 0xac78bf27, 0x5e133c24,
	0x105ec76f, 0xe235446c, 0xf165b798, 0x030e349b,
	0xd7c45070, 0x25afd373, 0x36ff2087, 0xc494a384,
	0x9a879fa0, 0x68ec1ca3, 0x7bbcef57, 0x89d76c54,
	0x5d1d08bf, 0xaf768bbc, 0xbc267848, 0x4e4dfb4b,
	0x20bd8ede, 0xd2d60ddd, 0xc186fe29, 0x33ed7d2a,
	0xe72719c1, 0x154c9ac2, 0x061c6936, 0xf477ea35,
	0xaa64d611, 0x580f5512, 0x4b5fa6e6, 0xb93425e5,
	0x6dfe410e, 0x9f95c20d, 0x8cc531f9, 0x7eaeb2fa,
	0x30e349b1, 0xc288cab2, 0xd1d83946, 0x23b3ba45,
	0xf779deae, 0x05125dad, 0x1642ae59, 0xe4292d5a,
	0xba3a117e, 0x4851927d, 0x5b016189, 0xa96ae28a,
	0x7da08661, 0x8fcb0562, 0x9c9bf696, 0x6ef07595,
	0x417b1dbc, 0xb3109ebf, 0xa0406d4b, 0x522bee48,
	0x86e18aa3, 0x748a09a0, 0x67dafa54, 0x95b17957,
	0xcba24573, 0x39c9c670, 0x2a993584, 0xd8f2b687,
	0x0c38d26c, 0xfe53516f, 0xed03a29b, 0x1f682198,
	0x5125dad3, 0xa34e59d0, 0xb01eaa24, 0x42752927,
	0x96bf4dcc, 0x64d4cecf, 0x77843d3b, 0x85efbe38,
	0xdbfc821c, 0x2997011f, 0x3ac7f2eb, 0xc8ac71e8,
	0x1c661503, 0xee0d9600, 0xfd5d65f4, 0x0f36e6f7,
	0x61c69362, 0x93ad1061, 0x80fde395, 0x72966096,
	0xa65c047d, 0x5437877e, 0x4767748a, 0xb50cf789,
	0xeb1fcbad, 0x197448ae, 0x0a24bb5a, 0xf84f3859,
	0x2c855cb2, 0xdeeedfb1, 0xcdbe2c45, 0x3fd5af46,
	0x7198540d, 0x83f3d70e, 0x90a324fa, 0x62c8a7f9,
	0xb602c312, 0x44694011, 0x5739b3e5, 0xa55230e6,
	0xfb410cc2, 0x092a8fc1, 0x1a7a7c35, 0xe811ff36,
	0x3cdb9bdd, 0xceb018de, 0xdde0eb2a, 0x2f8b6829,
	0x82f63b78, 0x709db87b, 0x63cd4b8f, 0x91a6c88c,
	0x456cac67, 0xb7072f64, 0xa457dc90, 0x563c5f93,
	0x082f63b7, 0xfa44e0b4, 0xe9141340, 0x1b7f9043,
	0xcfb5f4a8, 0x3dde77ab, 0x2e8e845f, 0xdce5075c,
	0x92a8fc17, 0x60c37f14, 0x73938ce0, 0x81f80fe3,
	0x55326b08, 0xa759e80b, 0xb4091bff, 0x466298fc,
	0x1871a4d8, 0xea1a27db, 0xf94ad42f, 0x0b21572c,
	0xdfeb33c7, 0x2d80b0c4, 0x3ed04330, 0xccbbc033,
	0xa24bb5a6, 0x502036a5, 0x4370c551, 0xb11b4652,
	0x65d122b9, 0x97baa1ba, 0x84ea524e, 0x7681d14d,
	0x2892ed69, 0xdaf96e6a, 0xc9a99d9e, 0x3bc21e9d,
	0xef087a76, 0x1d63f975, 0x0e330a81, 0xfc588982,
	0xb21572c9, 0x407ef1ca, 0x532e023e, 0xa145813d,
	0x758fe5d6, 0x87e466d5, 0x94b49521, 0x66df1622,
	0x38cc2a06, 0xcaa7a905, 0xd9f75af1, 0x2b9cd9f2,
	0xff56bd19, 0x0d3d3e1a, 0x1e6dcdee, 0xec064eed,
	0xc38d26c4, 0x31e6a5c7, 0x22b65633, 0xd0ddd530,
	0x0417b1db, 0xf67c32d8, 0xe52cc12c, 0x1747422f,
	0x49547e0b, 0xbb3ffd08, 0xa86f0efc, 0x5a048dff,
	0x8ecee914, 0x7ca56a17, 0x6ff599e3, 0x9d9e1ae0,
	0xd3d3e1ab, 0x21b862a8, 0x32e8915c, 0xc083125f,
	0x144976b4, 0xe622f5b7, 0xf5720643, 0x07198540,
	0x590ab964, 0xab613a67, 0xb831c993, 0x4a5a4a90,
	0x9e902e7b, 0x6cfbad78, 0x7fab5e8c, 0x8dc0dd8f,
	0xe330a81a, 0x115b2b19, 0x020bd8ed, 0xf0605bee,
	0x24aa3f05, 0xd6c1bc06, 0xc5914ff2, 0x37faccf1,
	0x69e9f0d5, 0x9b8273d6, 0x88d28022, 0x7ab90321,
	0xae7367ca, 0x5c18e4c9, 0x4f48173d, 0xbd23943e,
	0xf36e6f75, 0x0105ec76, 0x12551f82, 0xe03e9c81,
	0x34f4f86a, 0xc69f7b69, 0xd5cf889d, 0x27a40b9e,
	0x79b737ba, 0x8bdcb4b9, 0x988c474d, 0x6ae7c44e,
	0xbe2da0a5, 0x4c4623a6, 0x5f16d052, 0xad7d5351,
};

static uint32_t
lease_crc(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;

	crc = ~crc;
	while (n-- > 0)
		crc = lease_crc_tab[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* --- lease file fingerprint -------------------------------------------- */

/*
 * A fast 64-bit hash of the lease file as written (megabytes a second
 * under load: a CRC byte by byte would cost more than the write).  Words
 * of 8 bytes, little-endian, then the tail byte by byte; it may be fed
 * in pieces whose sizes are multiples of 8 (all but the last).
 */
#define LEASE_FP_SEED 0xcbf29ce484222325ULL
#define LEASE_FP_MUL 0x9e3779b97f4a7c15ULL

static uint64_t
lease_fp(uint64_t h, const uint8_t *p, size_t n)
{
	uint64_t w;
	size_t i;

	for (; n >= 8; p += 8, n -= 8) {
		for (w = 0, i = 0; i < 8; i++)
			w |= (uint64_t)p[i] << (8 * i);
		h = (h ^ w) * LEASE_FP_MUL;
		h ^= h >> 32;
	}
	for (i = 0; i < n; i++) {
		h = (h ^ p[i]) * LEASE_FP_MUL;
		h ^= h >> 32;
	}
	return h;
}

/* --- SipHash-1-3 (keyed, so clients cannot choose colliding keys) ------- */

#define LEASE_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct lease_sip {
	uint64_t v0, v1, v2, v3;
};

static void
lease_sip_round(struct lease_sip *s)
{
	s->v0 += s->v1;
	s->v1 = LEASE_ROTL(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = LEASE_ROTL(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = LEASE_ROTL(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = LEASE_ROTL(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = LEASE_ROTL(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = LEASE_ROTL(s->v2, 32);
}

static uint64_t
lease_siphash(uint64_t k0, uint64_t k1, const uint8_t *p, size_t n)
{
	struct lease_sip s = {
		k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL,
	};
	uint64_t m, last = (uint64_t)n << 56;
	size_t i, j;

	for (i = 0; i + 8 <= n; i += 8) {
		for (m = 0, j = 0; j < 8; j++)
			m |= (uint64_t)p[i + j] << (8 * j);
		s.v3 ^= m;
		lease_sip_round(&s);
		s.v0 ^= m;
	}
	for (j = 0; i + j < n; j++)
		last |= (uint64_t)p[i + j] << (8 * j);
	s.v3 ^= last;
	lease_sip_round(&s);
	s.v0 ^= last;
	s.v2 ^= 0xff;
	lease_sip_round(&s);
	lease_sip_round(&s);
	lease_sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

/* --- the table ---------------------------------------------------------- */

/* LX_HW chains every lease with a hardware address; lease_find_by_hw()
 * skips those with a client id on the way (they relink on the same events,
 * so the order among the others is what a chain of their own would have). */
enum lease_ix { LX_ADDR, LX_CLID, LX_HW, LX_NAME, LX_N };

/* The name of a lease without one; never freed. */
static const char lease_noname[1] = "";

static void
lease_name_free(struct lease *l)
{
	if (l->hostname != NULL && l->hostname != lease_noname)
		free((void *)(uintptr_t)l->hostname);
	l->hostname = lease_noname;
}

#define LEASE_BUCKETS_MIN 64
#define LEASE_KEY_MAX (2 + LEASE_CLID_MAX)

struct lease_table {
	struct lease **b[LX_N];		/* bucket arrays, nb each */
	size_t nb;			/* a power of two */
	unsigned count, max;
	struct lease *first, *last;	/* insertion order */
	struct lease **heap;		/* min-heap on expires_ms */
	size_t heap_cap;
	uint64_t k0, k1;		/* hash key */
	unsigned long gen;		/* lease_table_gen() */
};

static struct lease **
lease_next_of(struct lease *l, enum lease_ix ix)
{
	switch (ix) {
	case LX_ADDR:
		return &l->nx_addr;
	case LX_CLID:
		return &l->nx_clid;
	case LX_HW:
		return &l->nx_hw;
	default:
		return &l->nx_name;
	}
}

static size_t
lease_key_hw(uint8_t *k, uint8_t htype, const uint8_t *hw, size_t hlen)
{
	k[0] = htype;
	k[1] = (uint8_t)hlen;
	memcpy(k + 2, hw, hlen);
	return 2 + hlen;
}

/* ASCII case folding, as dnsmasq's hostname_isequal(). */
static size_t
lease_key_name(uint8_t *k, const char *name)
{
	size_t n;

	for (n = 0; n < LEASE_NAME_MAX && name[n] != '\0'; n++) {
		uint8_t c = (uint8_t)name[n];

		k[n] = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
	}
	return n;
}

/* The key of l in index ix; false when l is not in that index. */
static bool
lease_key(const struct lease *l, enum lease_ix ix, uint8_t *k, size_t *n)
{
	switch (ix) {
	case LX_ADDR:
		memcpy(k, &l->addr, 4);
		*n = 4;
		return true;
	case LX_CLID:
		if (l->clid_len == 0)
			return false;
		memcpy(k, l->clid, l->clid_len);
		*n = l->clid_len;
		return true;
	case LX_HW:
		if (l->hlen == 0)
			return false;
		*n = lease_key_hw(k, l->htype, l->hwaddr, l->hlen);
		return true;
	default:
		if (l->hostname[0] == '\0')
			return false;
		*n = lease_key_name(k, l->hostname);
		return true;
	}
}

static size_t
lease_bucket(const struct lease_table *t, enum lease_ix ix, const uint8_t *k,
    size_t n)
{
	uint64_t h = lease_siphash(t->k0 + (uint64_t)ix, t->k1, k, n);

	return (size_t)h & (t->nb - 1);
}

static void
lease_hash_in(struct lease_table *t, struct lease *l, enum lease_ix ix)
{
	uint8_t k[LEASE_KEY_MAX];
	struct lease **head;
	size_t n;

	if (!lease_key(l, ix, k, &n))
		return;
	head = &t->b[ix][lease_bucket(t, ix, k, n)];
	*lease_next_of(l, ix) = *head;
	*head = l;
}

/* Unlinks l from index ix (by the key its fields give now, so before they
 * change). */
static void
lease_hash_out(struct lease_table *t, struct lease *l, enum lease_ix ix)
{
	uint8_t k[LEASE_KEY_MAX];
	struct lease **pp;
	size_t n;

	if (!lease_key(l, ix, k, &n))
		return;
	for (pp = &t->b[ix][lease_bucket(t, ix, k, n)]; *pp != NULL;
	    pp = lease_next_of(*pp, ix))
		if (*pp == l) {
			*pp = *lease_next_of(l, ix);
			*lease_next_of(l, ix) = NULL;
			return;
		}
}

/* Doubles every index; on ENOMEM keeps the old size (chains grow). */
static void
lease_grow(struct lease_table *t)
{
	struct lease **nb[LX_N];
	struct lease *l;
	size_t n = t->nb * 2;
	int ix;

	for (ix = 0; ix < LX_N; ix++) {
		if ((nb[ix] = calloc(n, sizeof(*nb[ix]))) == NULL) {
			while (ix-- > 0)
				free(nb[ix]);
			return;
		}
	}
	for (ix = 0; ix < LX_N; ix++) {
		free(t->b[ix]);
		t->b[ix] = nb[ix];
	}
	t->nb = n;
	for (l = t->first; l != NULL; l = l->all_next)
		for (ix = 0; ix < LX_N; ix++)
			lease_hash_in(t, l, (enum lease_ix)ix);
}

struct lease_table *
lease_table_new(void)
{
	struct lease_table *t = calloc(1, sizeof(*t));
	uint64_t key[2];
	int ix;

	if (t == NULL)
		return NULL;
	t->nb = LEASE_BUCKETS_MIN;
	t->max = UINT_MAX;
	for (ix = 0; ix < LX_N; ix++) {
		if ((t->b[ix] = calloc(t->nb, sizeof(*t->b[ix]))) == NULL) {
			lease_table_free(t);
			return NULL;
		}
	}
	if (getrandom(key, sizeof(key), GRND_NONBLOCK) != sizeof(key)) {
		key[0] = (uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ULL;
		key[1] = (uint64_t)(uintptr_t)&key ^ 0x5bd1e995ULL;
	}
	t->k0 = key[0];
	t->k1 = key[1];
	return t;
}

void
lease_table_free(struct lease_table *t)
{
	struct lease *l, *next;
	int ix;

	if (t == NULL)
		return;
	for (l = t->first; l != NULL; l = next) {
		next = l->all_next;
		free(l->clid);
		lease_name_free(l);
		free(l);
	}
	for (ix = 0; ix < LX_N; ix++)
		free(t->b[ix]);
	free(t->heap);
	free(t);
}

unsigned
lease_count(const struct lease_table *t)
{
	return t->count;
}

void
lease_table_set_max(struct lease_table *t, unsigned max)
{
	t->max = max;
}

bool
lease_table_full(const struct lease_table *t)
{
	return t->count >= t->max;
}

/* --- expiry heap -------------------------------------------------------- */

static void
lease_heap_set(struct lease_table *t, size_t i, struct lease *l)
{
	t->heap[i] = l;
	l->heap_idx = (uint32_t)i;
}

static void
lease_heap_up(struct lease_table *t, size_t i)
{
	struct lease *l = t->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (t->heap[p]->expires_ms <= l->expires_ms)
			break;
		lease_heap_set(t, i, t->heap[p]);
		i = p;
	}
	lease_heap_set(t, i, l);
}

static void
lease_heap_down(struct lease_table *t, size_t i)
{
	struct lease *l = t->heap[i];
	size_t n = t->count, c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && t->heap[c + 1]->expires_ms <
		    t->heap[c]->expires_ms)
			c++;
		if (l->expires_ms <= t->heap[c]->expires_ms)
			break;
		lease_heap_set(t, i, t->heap[c]);
		i = c;
	}
	lease_heap_set(t, i, l);
}

/* Restores the heap after the key at i changed (or a new lease is at i). */
static void
lease_heap_fix(struct lease_table *t, size_t i)
{
	struct lease *l = t->heap[i];

	lease_heap_up(t, i);
	if (l->heap_idx == i)
		lease_heap_down(t, i);
}

/* --- lookups ------------------------------------------------------------ */

static struct lease *
lease_chain(struct lease_table *t, enum lease_ix ix, const uint8_t *k,
    size_t n)
{
	return t->b[ix][lease_bucket(t, ix, k, n)];
}

struct lease *
lease_find_by_addr(struct lease_table *t, struct in_addr a)
{
	struct lease *l;

	for (l = lease_chain(t, LX_ADDR, (const uint8_t *)&a, 4); l != NULL;
	    l = l->nx_addr)
		if (l->addr.s_addr == a.s_addr)
			return l;
	return NULL;
}

struct lease *
lease_find_by_clid(struct lease_table *t, const uint8_t *clid, size_t len)
{
	struct lease *l;

	if (len == 0 || len > LEASE_CLID_MAX)
		return NULL;
	for (l = lease_chain(t, LX_CLID, clid, len); l != NULL;
	    l = l->nx_clid)
		if (l->clid_len == len && memcmp(l->clid, clid, len) == 0)
			return l;
	return NULL;
}

static bool
lease_hw_eq(const struct lease *l, uint8_t htype, const uint8_t *hw,
    size_t hlen)
{
	return l->htype == htype && l->hlen == hlen &&
	    memcmp(l->hwaddr, hw, hlen) == 0;
}

struct lease *
lease_find_by_hw(struct lease_table *t, uint8_t htype, const uint8_t *hw,
    size_t hlen)
{
	uint8_t k[LEASE_KEY_MAX];
	struct lease *l;

	if (hlen == 0 || hlen > LEASE_HWADDR_MAX)
		return NULL;
	for (l = lease_chain(t, LX_HW, k, lease_key_hw(k, htype, hw, hlen));
	    l != NULL; l = l->nx_hw)
		if (l->clid_len == 0 && lease_hw_eq(l, htype, hw, hlen))
			return l;
	return NULL;
}

struct lease *
lease_find_by_hw_any(struct lease_table *t, uint8_t htype, const uint8_t *hw,
    size_t hlen)
{
	uint8_t k[LEASE_KEY_MAX];
	struct lease *l;

	if (hlen == 0 || hlen > LEASE_HWADDR_MAX)
		return NULL;
	for (l = lease_chain(t, LX_HW, k, lease_key_hw(k, htype, hw, hlen));
	    l != NULL; l = l->nx_hw)
		if (lease_hw_eq(l, htype, hw, hlen))
			return l;
	return NULL;
}

struct lease *
lease_find_by_name(struct lease_table *t, const char *name)
{
	uint8_t k[LEASE_KEY_MAX], k2[LEASE_KEY_MAX];
	size_t n;
	struct lease *l;

	if (name == NULL || name[0] == '\0' || strlen(name) > LEASE_NAME_MAX)
		return NULL;
	n = lease_key_name(k, name);
	for (l = lease_chain(t, LX_NAME, k, n); l != NULL;
	    l = l->nx_name)
		if (lease_key_name(k2, l->hostname) == n &&
		    memcmp(k, k2, n) == 0)
			return l;
	return NULL;
}

/* --- changes ------------------------------------------------------------ */

struct lease *
lease_add(struct lease_table *t, struct in_addr addr)
{
	struct lease *l, **heap;

	if (t->count >= t->max || lease_find_by_addr(t, addr) != NULL)
		return NULL;
	if (t->count == t->heap_cap) {
		size_t cap = t->heap_cap ? t->heap_cap * 2 : 64;

		if ((heap = realloc(t->heap, cap * sizeof(*heap))) == NULL)
			return NULL;
		t->heap = heap;
		t->heap_cap = cap;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->hostname = lease_noname;
	if (t->count + 1 > 2 * t->nb)	/* two a chain on average */
		lease_grow(t);
	l->addr = addr;
	l->table = t;
	l->all_prev = t->last;
	if (t->last != NULL)
		t->last->all_next = l;
	else
		t->first = l;
	t->last = l;
	lease_hash_in(t, l, LX_ADDR);
	lease_heap_set(t, t->count, l);
	t->count++;
	t->gen++;
	lease_heap_up(t, l->heap_idx);
	return l;
}

unsigned long
lease_table_gen(const struct lease_table *t)
{
	return t->gen;
}

int
lease_set_client(struct lease_table *t, struct lease *l, uint8_t htype,
    const uint8_t *hw, size_t hlen, const uint8_t *clid, size_t clid_len)
{
	uint8_t *nc = NULL;

	if (hlen > LEASE_HWADDR_MAX || clid_len > LEASE_CLID_MAX)
		return -EINVAL;
	if (clid == NULL)
		clid_len = 0;
	if (l->htype == htype && l->hlen == hlen &&
	    memcmp(l->hwaddr, hw, hlen) == 0 && l->clid_len == clid_len &&
	    (clid_len == 0 || memcmp(l->clid, clid, clid_len) == 0))
		return 0;
	if (clid_len != 0) {
		if ((nc = malloc(clid_len)) == NULL)
			return -ENOMEM;
		memcpy(nc, clid, clid_len);
	}
	lease_hash_out(t, l, LX_CLID);
	lease_hash_out(t, l, LX_HW);
	free(l->clid);
	l->clid = nc;
	l->clid_len = (uint8_t)clid_len;
	l->htype = htype;
	l->hlen = (uint8_t)hlen;
	memset(l->hwaddr, 0, sizeof(l->hwaddr));
	if (hlen != 0)
		memcpy(l->hwaddr, hw, hlen);
	l->durable = false;
	lease_hash_in(t, l, LX_CLID);
	lease_hash_in(t, l, LX_HW);
	return 0;
}

/* A name the lease file can hold as one field that reads back as itself. */
static bool
lease_name_ok(const char *name, size_t n)
{
	size_t i;

	if (n == 0 || n > LEASE_NAME_MAX || strcmp(name, "*") == 0)
		return false;
	for (i = 0; i < n; i++)
		if ((uint8_t)name[i] <= ' ' || (uint8_t)name[i] == 0x7f)
			return false;
	return true;
}

void
lease_set_hostname(struct lease *l, const char *name)
{
	size_t n = name == NULL ? 0 : strlen(name);

	char *copy = NULL;

	if (n == 0 || !lease_name_ok(name, n))
		name = "";
	n = strlen(name);
	if (strcmp(l->hostname, name) == 0)
		return;
	/* the copy first: name may be the string being replaced */
	if (n != 0 && (copy = malloc(n + 1)) == NULL)
		return;		/* no memory: the lease keeps its name */
	if (copy != NULL)
		memcpy(copy, name, n + 1);
	if (l->table != NULL)
		lease_hash_out(l->table, l, LX_NAME);
	lease_name_free(l);
	l->hostname = copy != NULL ? copy : lease_noname;
	if (l->table != NULL) {
		lease_hash_in(l->table, l, LX_NAME);
		l->table->gen++;
	}
}

void
lease_set_expiry(struct lease *l, int64_t expires_ms)
{
	l->expires_ms = expires_ms;
	if (l->table != NULL)
		lease_heap_fix(l->table, l->heap_idx);
}

void
lease_remove(struct lease_table *t, struct lease *l)
{
	size_t i = l->heap_idx;
	enum lease_ix ix;

	for (ix = 0; ix < LX_N; ix++)
		lease_hash_out(t, l, ix);
	t->gen++;
	if (l->all_prev != NULL)
		l->all_prev->all_next = l->all_next;
	else
		t->first = l->all_next;
	if (l->all_next != NULL)
		l->all_next->all_prev = l->all_prev;
	else
		t->last = l->all_prev;
	t->count--;
	if (i != t->count) {
		lease_heap_set(t, i, t->heap[t->count]);
		lease_heap_fix(t, i);
	}
	free(l->clid);
	lease_name_free(l);
	free(l);
}

int64_t
lease_next_expiry(const struct lease_table *t)
{
	return t->count == 0 ? CLOCK_INFINITE_MS : t->heap[0]->expires_ms;
}

struct lease *
lease_first_expired(struct lease_table *t, int64_t now_ms)
{
	if (t->count == 0 || t->heap[0]->expires_ms > now_ms)
		return NULL;
	return t->heap[0];
}

unsigned
lease_expire(struct lease_table *t, int64_t now_ms)
{
	struct lease *l;
	unsigned n = 0;

	while ((l = lease_first_expired(t, now_ms)) != NULL) {
		lease_remove(t, l);
		n++;
	}
	return n;
}

struct lease *
lease_first(struct lease_table *t)
{
	return t->first;
}

struct lease *
lease_next(struct lease *l)
{
	return l->all_next;
}

struct lease *
lease_last(struct lease_table *t)
{
	return t->last;
}

struct lease *
lease_prev(struct lease *l)
{
	return l->all_prev;
}

/* --- dnsmasq's lease file format ----------------------------------------- */

#define LEASE_ARPHRD_ETHER 1

/* Writers into a line buffer of LEASE_LINE_MAX bytes: the longest line
 * (20-digit expiry, type, 16-byte MAC, address, 63-byte name, 255-byte
 * client id, blanks) is 917 bytes, so no step can overflow it. */
static char *
lease_put_dec(char *p, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* "%.2x" each byte, joined by ':' (dnsmasq writes MAC and client id so). */
static char *
lease_put_hex(char *p, const uint8_t *b, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 15];
		if (i + 1 < n)
			*p++ = ':';
	}
	return p;
}

static char *
lease_put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

size_t
lease_format(const struct lease *l, const struct clock_now *now, char *out,
    size_t outsz)
{
	const uint8_t *a = (const uint8_t *)&l->addr;
	char line[LEASE_LINE_MAX], *p = line;
	int i;

	p = lease_put_dec(p,
	    (unsigned long)clock_mono_to_wall(now, l->expires_ms));
	*p++ = ' ';
	if (l->htype != LEASE_ARPHRD_ETHER || l->hlen == 0) {
		p = lease_put_hex(p, &l->htype, 1);
		*p++ = '-';
	}
	p = lease_put_hex(p, l->hwaddr, l->hlen);
	*p++ = ' ';
	for (i = 0; i < 4; i++) {
		p = lease_put_dec(p, a[i]);
		*p++ = i < 3 ? '.' : ' ';
	}
	p = lease_put_str(p, l->hostname != NULL && l->hostname[0] != '\0' ?
	    l->hostname : "*");
	*p++ = ' ';
	if (l->clid_len != 0 && l->clid != NULL)
		p = lease_put_hex(p, l->clid, l->clid_len);
	else
		*p++ = '*';
	if (outsz > 0) {
		size_t c = (size_t)(p - line) < outsz ? (size_t)(p - line) :
		    outsz - 1;

		memcpy(out, line, c);
		out[c] = '\0';
	}
	return (size_t)(p - line);
}

static int
lease_hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Value of n hex digits, saturated at 0x100 (callers want a byte). */
static unsigned
lease_hexval(const char *s, size_t n)
{
	unsigned v = 0;

	while (n-- > 0) {
		v = v * 16 + (unsigned)lease_hexdigit(*s++);
		if (v > 0x100)
			v = 0x100;
	}
	return v;
}

/*
 * dnsmasq util.c parse_hex() as read_leases() uses it: groups end at ':',
 * '-', ' ' or the end; empty groups are skipped; a group of n digits
 * gives (n + 1) / 2 bytes, two digits each and a lone last one; with
 * type != NULL a first group ended by '-' before any byte is the
 * hardware type; at most max bytes (characters after them are not
 * looked at).  dnsmasq also takes '*' (a wildcard, leaving a byte
 * unset); here it is refused like any other non-hex character.  Returns
 * the number of bytes or -1.
 */
static int
lease_parse_hex(const char *in, uint8_t *out, int max, int *type)
{
	bool done = false, want_type = type != NULL;
	int i = 0;

	if (type != NULL)
		*type = 0;
	while (!done && i < max) {
		const char *r;
		size_t glen, j, bytes;

		for (r = in; *r != '\0' && *r != ':' && *r != '-' && *r != ' ';
		    r++)
			if (lease_hexdigit(*r) < 0)
				return -1;
		done = *r == '\0';
		glen = (size_t)(r - in);
		if (glen != 0 && *r == '-' && i == 0 && want_type) {
			*type = (int)lease_hexval(in, glen);
			want_type = false;
		} else if (glen != 0) {
			bytes = (glen + 1) / 2;
			for (j = 0; j < bytes; j++) {
				size_t k = glen - 2 * j >= 2 ? 2 : 1;

				out[i] = (uint8_t)lease_hexval(in + 2 * j, k);
				if (++i == max)
					break;
			}
		}
		in = r + 1;
	}
	return i;
}

/* atol() as glibc does it: sign, digits, saturation on overflow. */
static long
lease_atol(const char *s)
{
	unsigned long v = 0;
	bool neg = false, ovf = false;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > ((unsigned long)LONG_MAX - d) / 10)
			ovf = true;
		else
			v = v * 10 + d;
	}
	if (ovf)
		return neg ? LONG_MIN : LONG_MAX;
	return neg ? -(long)v : (long)v;
}

enum lease_pr { LP_OK, LP_V6, LP_BADADDR, LP_BAD, LP_STALE };

/* One lease from its five fields (dnsmasq's order of checks). */
static enum lease_pr
lease_fields(char *const f[5], const struct clock_now *now,
    uint32_t max_remaining_s, struct lease *out, uint8_t *clid_buf)
{
	struct in6_addr a6;
	int n, type;
	long wall;

	memset(out->hwaddr, 0, sizeof(out->hwaddr));
	if (inet_pton(AF_INET, f[2], &out->addr) != 1)
		return inet_pton(AF_INET6, f[2], &a6) == 1 ? LP_V6 :
		    LP_BADADDR;
	/* dnsmasq crashes on a MAC that parse_hex() refuses (memcpy with
	 * length -1); here the entry is invalid.  A type above 0xff does
	 * not fit in the DHCP htype field. */
	n = lease_parse_hex(f[1], out->hwaddr, LEASE_HWADDR_MAX, &type);
	if (n < 0 || type > 0xff)
		return LP_BAD;
	/* "no explicit MAC address type means ether" */
	if (type == 0 && n != 0)
		type = LEASE_ARPHRD_ETHER;
	out->htype = (uint8_t)type;
	out->hlen = (uint8_t)n;
	out->clid = NULL;
	out->clid_len = 0;
	/* a client id parse_hex() refuses leaves the lease without one */
	if (strcmp(f[4], "*") != 0 &&
	    (n = lease_parse_hex(f[4], clid_buf, LEASE_CLID_MAX, NULL)) > 0) {
		out->clid = clid_buf;
		out->clid_len = (uint8_t)n;
	}
	out->hostname = lease_noname;
	if (strcmp(f[3], "*") != 0 && lease_name_ok(f[3], strlen(f[3]))) {
		char *nb = (char *)clid_buf + LEASE_CLID_MAX;

		memcpy(nb, f[3], strlen(f[3]) + 1);	/* <= LEASE_NAME_MAX */
		out->hostname = nb;
	}
	wall = lease_atol(f[0]);
	if (wall != 0 && (time_t)wall <= now->wall)
		return LP_STALE;
	out->expires_ms = clock_wall_to_mono(now, (time_t)wall,
	    max_remaining_s);
	return LP_OK;
}

/* scanf's isspace() in the C locale. */
static bool
lease_isspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* scanf "%Ns": skips blanks, then takes up to width non-blank bytes into
 * out (width + 1 bytes).  False at the end of the input. */
static bool
lease_tok(const char *buf, size_t len, size_t *pos, size_t width, char *out)
{
	size_t p = *pos, n = 0;

	while (p < len && lease_isspace(buf[p]))
		p++;
	if (p >= len) {
		*pos = p;
		return false;
	}
	while (p < len && n < width && !lease_isspace(buf[p]))
		out[n++] = buf[p++];
	out[n] = '\0';
	*pos = p;
	return true;
}

/* Field widths of read_leases(): "%255s %255s" then " %64s %255s %764s". */
static const size_t lease_widths[5] = { 255, 255, 64, 255, 764 };

struct lease_fields_buf {
	char f0[256], f1[256], f2[65], f3[256], f4[765];
};

static void
lease_fields_ptrs(struct lease_fields_buf *b, char *f[5])
{
	memset(b, 0, sizeof(*b));
	f[0] = b->f0;
	f[1] = b->f1;
	f[2] = b->f2;
	f[3] = b->f3;
	f[4] = b->f4;
}

int
lease_parse_line(const char *line, const struct clock_now *now,
    uint32_t max_remaining_s, struct lease *out, uint8_t *clid_buf)
{
	struct lease_fields_buf b;
	char *f[5], extra[2];
	size_t len = strlen(line), pos = 0;
	int i;

	lease_fields_ptrs(&b, f);
	for (i = 0; i < 5; i++) {
		if (!lease_tok(line, len, &pos, lease_widths[i], f[i]))
			return -EINVAL;
		if (pos < len && !lease_isspace(line[pos]))
			return -EINVAL;	/* longer than dnsmasq reads */
	}
	if (lease_tok(line, len, &pos, 1, extra))
		return -EINVAL;
	switch (lease_fields(f, now, max_remaining_s, out, clid_buf)) {
	case LP_OK:
		return 0;
	case LP_V6:
		return -EAFNOSUPPORT;
	case LP_STALE:
		return -ESTALE;
	default:
		return -EINVAL;
	}
}

/* Adds one parsed lease: a later entry for an address replaces the
 * earlier one; its name is taken from any other holder. */
static int
lease_load_one(struct lease_table *t, const struct lease *in)
{
	struct lease *l = lease_find_by_addr(t, in->addr), *o;

	if (l != NULL)
		lease_remove(t, l);
	if ((l = lease_add(t, in->addr)) == NULL)
		return lease_table_full(t) ? -E2BIG : -ENOMEM;
	if (lease_set_client(t, l, in->htype, in->hwaddr, in->hlen, in->clid,
	    in->clid_len) < 0) {
		lease_remove(t, l);
		return -ENOMEM;
	}
	if (in->hostname[0] != '\0') {
		if ((o = lease_find_by_name(t, in->hostname)) != NULL)
			lease_set_hostname(o, NULL);
		lease_set_hostname(l, in->hostname);
	}
	lease_set_expiry(l, in->expires_ms);
	return 0;
}

static void
lease_warn_fields(char *const f[5], int nf)
{
	char e[4][160];
	int i;

	for (i = 0; i < 4; i++)
		log_escape(e[i], sizeof(e[i]), f[i],
		    i < nf ? strlen(f[i]) : 0);
	log_warn(LOG_SVC_DHCP,
	    "ignoring invalid line in lease database: %s %s %s %s ...",
	    e[0], e[1], e[2], e[3]);
}

/* One entry after its first two fields; returns 1 added, 0 skipped, or
 * -errno. */
static int
lease_parse_entry(struct lease_table *t, char *f[5], const char *buf,
    size_t len, size_t *pos, const struct clock_now *now,
    uint32_t max_remaining_s, unsigned flags)
{
	bool quiet = (flags & LEASE_PARSE_QUIET) != 0;
	uint8_t clid[LEASE_PARSE_BUF];
	struct lease in;
	char e[160];
	int i, rc;

	for (i = 2; i < 5; i++)
		if (!lease_tok(buf, len, pos, lease_widths[i], f[i]))
			break;
	if (i < 5) {
		for (; i < 5; i++)
			f[i][0] = '\0';
		if (!quiet)
			lease_warn_fields(f, 4);
		return 0;
	}
	memset(&in, 0, sizeof(in));
	switch (lease_fields(f, now, max_remaining_s, &in, clid)) {
	case LP_STALE:
		if (!(flags & LEASE_PARSE_KEEP_EXPIRED))
			return 0;
		in.expires_ms = now->mono_ms;	/* expired: pruned later */
		/* fall through */
	case LP_OK:
		rc = lease_load_one(t, &in);
		return rc < 0 ? rc : 1;
	case LP_BADADDR:
		if (!quiet) {
			log_escape(e, sizeof(e), f[2], strlen(f[2]));
			log_warn(LOG_SVC_DHCP, "ignoring invalid line in "
			    "lease database, bad address: %s", e);
		}
		return 0;
	case LP_BAD:
		if (!quiet)
			lease_warn_fields(f, 4);
		return 0;
	default:		/* IPv6 lease, or expired */
		return 0;
	}
}

int
lease_parse_file(struct lease_table *t, const char *buf, size_t len,
    const struct clock_now *now, uint32_t max_remaining_s, unsigned flags)
{
	struct lease_fields_buf b;
	uint8_t duid[130];
	bool quiet = (flags & LEASE_PARSE_QUIET) != 0, clean = true;
	size_t pos = 0;
	char *f[5];
	int n = 0, rc;

	lease_fields_ptrs(&b, f);
	for (;;) {
		if (!lease_tok(buf, len, &pos, lease_widths[0], f[0]))
			break;
		if (!lease_tok(buf, len, &pos, lease_widths[1], f[1])) {
			clean = false;
			break;
		}
		/* the DHCPv6 server's DUID: nothing to keep; a bad one ends
		 * the reading as in dnsmasq */
		if (strcmp(f[0], "duid") == 0) {
			if (lease_parse_hex(f[1], duid, sizeof(duid),
			    NULL) < 0) {
				clean = false;
				break;
			}
			continue;
		}
		rc = lease_parse_entry(t, f, buf, len, &pos, now,
		    max_remaining_s, flags);
		if (rc < 0)
			return rc;
		n += rc;
	}
	if (!clean && !quiet)
		log_err(LOG_SVC_DHCP, "failed to parse lease database cleanly");
	return n;
}

/* --- journal records ----------------------------------------------------- */

/*
 * A record: type (1 byte), body length (2), body, CRC-32C (4) over the
 * journal's nonce (8 bytes, big-endian), type, length and body.  The
 * header's CRC uses nonce 0 (the nonce is in its body).  All numbers are
 * big-endian.  Bodies:
 *   H  "PXMJ", version 1, generation u64, nonce u64, sequence u64 (of
 *      the snapshot), wall time u64 of writing
 *   P  sequence u64 (0 inside a snapshot), expiry wall time i64 (0:
 *      infinite), address (4), htype, hlen, hwaddr[hlen], clid length,
 *      clid, name length, name
 *   D  sequence u64, address (4)
 *   W  sequence u64: a rewrite of the lease file starts (content unknown)
 *   F  sequence u64, length u64, fingerprint u64 (lease_fp()) of the
 *      lease file as written
 *   E  sequence u64 (the header's), number of P records in the snapshot
 * A journal: H, the snapshot's P records, its W or F, E; then appended
 * P, D, W, F records with increasing sequence numbers.
 */
enum {
	LJ_HDR = 'H', LJ_PUT = 'P', LJ_DEL = 'D', LJ_FILE_W = 'W',
	LJ_FILE_OK = 'F', LJ_END = 'E',
};
#define LJ_MAGIC "PXMJ"
#define LJ_VERSION 1
#define LJ_BODY_MAX 512
#define LJ_REC_MAX (LJ_BODY_MAX + 7)
#define LJ_CHUNK 65536
/* Larger files are not read (a journal holds at most about three times
 * the state; the lease file about 100 bytes a lease). */
#define LJ_FILE_MAX ((size_t)1 << 30)

struct lj_rec {
	uint8_t type;
	uint64_t seq;
	/* H */
	uint64_t gen, nonce;
	/* P, D */
	int64_t wall;
	struct in_addr addr;
	uint8_t htype, hlen, clid_len;
	uint8_t hw[LEASE_HWADDR_MAX];
	const uint8_t *clid;
	char name[LEASE_NAME_MAX + 1];
	/* F */
	uint64_t flen, ffp;
	/* E */
	uint32_t count;
};

static void
lj_wr64(struct wr *w, uint64_t v)
{
	wr_be32(w, (uint32_t)(v >> 32));
	wr_be32(w, (uint32_t)v);
}

static uint64_t
lj_rd64(struct rd *r)
{
	uint64_t hi = rd_be32(r);

	return hi << 32 | rd_be32(r);
}

static uint32_t
lj_crc(uint64_t nonce, const uint8_t *rec, size_t n)
{
	uint8_t nb[8];
	struct wr w;

	wr_init(&w, nb, sizeof(nb));
	lj_wr64(&w, nonce);
	return lease_crc(lease_crc(0, nb, sizeof(nb)), rec, n);
}

/* Frames body as a record into out (LJ_REC_MAX bytes); returns its size. */
static size_t
lj_frame(uint8_t *out, uint64_t nonce, uint8_t type, const uint8_t *body,
    size_t blen)
{
	struct wr w;

	wr_init(&w, out, LJ_REC_MAX);
	wr_u8(&w, type);
	wr_be16(&w, (uint16_t)blen);
	wr_bytes(&w, body, blen);
	wr_be32(&w, lj_crc(nonce, out, 3 + blen));
	return wr_ok(&w) ? wr_mark(&w) : 0;
}

static size_t
lj_put(uint8_t *out, uint64_t nonce, uint64_t seq, const struct lease *l,
    const struct clock_now *now)
{
	uint8_t body[LJ_BODY_MAX];
	size_t nl = strlen(l->hostname);
	struct wr w;

	wr_init(&w, body, sizeof(body));
	lj_wr64(&w, seq);
	lj_wr64(&w, (uint64_t)clock_mono_to_wall(now, l->expires_ms));
	wr_bytes(&w, &l->addr, 4);
	wr_u8(&w, l->htype);
	wr_u8(&w, l->hlen);
	wr_bytes(&w, l->hwaddr, l->hlen);
	wr_u8(&w, l->clid_len);
	if (l->clid_len != 0)
		wr_bytes(&w, l->clid, l->clid_len);
	wr_u8(&w, (uint8_t)nl);
	wr_bytes(&w, l->hostname, nl);
	return lj_frame(out, nonce, LJ_PUT, body, wr_mark(&w));
}

static size_t
lj_del(uint8_t *out, uint64_t nonce, uint64_t seq, struct in_addr a)
{
	uint8_t body[12];
	struct wr w;

	wr_init(&w, body, sizeof(body));
	lj_wr64(&w, seq);
	wr_bytes(&w, &a, 4);
	return lj_frame(out, nonce, LJ_DEL, body, wr_mark(&w));
}

/* W (known false) or F. */
static size_t
lj_file(uint8_t *out, uint64_t nonce, uint64_t seq, bool known,
    uint64_t len, uint64_t fp)
{
	uint8_t body[24];
	struct wr w;

	wr_init(&w, body, sizeof(body));
	lj_wr64(&w, seq);
	if (known) {
		lj_wr64(&w, len);
		lj_wr64(&w, fp);
	}
	return lj_frame(out, nonce, known ? LJ_FILE_OK : LJ_FILE_W, body,
	    wr_mark(&w));
}

static size_t
lj_hdr(uint8_t *out, uint64_t gen, uint64_t nonce, uint64_t seq,
    time_t wall)
{
	uint8_t body[40];
	struct wr w;

	wr_init(&w, body, sizeof(body));
	wr_bytes(&w, LJ_MAGIC, 4);
	wr_u8(&w, LJ_VERSION);
	lj_wr64(&w, gen);
	lj_wr64(&w, nonce);
	lj_wr64(&w, seq);
	lj_wr64(&w, (uint64_t)wall);
	return lj_frame(out, 0, LJ_HDR, body, wr_mark(&w));
}

static size_t
lj_end(uint8_t *out, uint64_t nonce, uint64_t seq, uint32_t count)
{
	uint8_t body[12];
	struct wr w;

	wr_init(&w, body, sizeof(body));
	lj_wr64(&w, seq);
	wr_be32(&w, count);
	return lj_frame(out, nonce, LJ_END, body, wr_mark(&w));
}

static bool
lj_body_put(struct rd *b, struct lj_rec *rec)
{
	const uint8_t *name;
	uint8_t nl;

	rec->wall = (int64_t)lj_rd64(b);
	rd_bytes(b, &rec->addr, 4);
	rec->htype = rd_u8(b);
	rec->hlen = rd_u8(b);
	if (rec->hlen > LEASE_HWADDR_MAX)
		return false;
	rd_bytes(b, rec->hw, rec->hlen);
	rec->clid_len = rd_u8(b);
	rec->clid = rd_ptr(b, rec->clid_len);
	nl = rd_u8(b);
	if (nl > LEASE_NAME_MAX || (name = rd_ptr(b, nl)) == NULL)
		return false;
	memcpy(rec->name, name, nl);
	rec->name[nl] = '\0';
	return nl == 0 || lease_name_ok(rec->name, nl);
}

static bool
lj_body(struct rd *b, struct lj_rec *rec)
{
	uint8_t magic[4];

	switch (rec->type) {
	case LJ_HDR:
		rd_bytes(b, magic, 4);
		if (memcmp(magic, LJ_MAGIC, 4) != 0 ||
		    rd_u8(b) != LJ_VERSION)
			return false;
		rec->gen = lj_rd64(b);
		rec->nonce = lj_rd64(b);
		rec->seq = lj_rd64(b);
		(void)lj_rd64(b);
		return true;
	case LJ_PUT:
		rec->seq = lj_rd64(b);
		return lj_body_put(b, rec);
	case LJ_DEL:
		rec->seq = lj_rd64(b);
		rd_bytes(b, &rec->addr, 4);
		return true;
	case LJ_FILE_W:
		rec->seq = lj_rd64(b);
		return true;
	case LJ_FILE_OK:
		rec->seq = lj_rd64(b);
		rec->flen = lj_rd64(b);
		rec->ffp = lj_rd64(b);
		return true;
	case LJ_END:
		rec->seq = lj_rd64(b);
		rec->count = rd_be32(b);
		return true;
	default:
		return false;
	}
}

/* Reads one record; false when it is torn, corrupt or unknown. */
static bool
lj_read(struct rd *r, uint64_t nonce, struct lj_rec *rec)
{
	size_t start = r->off, blen;
	const uint8_t *body;
	uint32_t crc;
	struct rd b;

	rec->type = rd_u8(r);
	blen = rd_be16(r);
	if (!rd_ok(r) || blen > LJ_BODY_MAX ||
	    (body = rd_ptr(r, blen)) == NULL)
		return false;
	crc = rd_be32(r);
	if (!rd_ok(r) || crc != lj_crc(nonce, r->p + start, 3 + blen))
		return false;
	rd_init(&b, body, blen);
	return lj_body(&b, rec) && rd_ok(&b) && rd_left(&b) == 0;
}

/* What a journal holds. */
struct lj_info {
	bool hdr, complete;
	uint64_t gen, nonce, snap_seq, last_seq;
	size_t end;			/* after the last valid record */
	bool file_known;		/* the lease file's state */
	uint64_t file_len, file_fp;
};

static bool
lj_same_client(const struct lease *l, const struct lj_rec *rec)
{
	return l->htype == rec->htype && l->hlen == rec->hlen &&
	    memcmp(l->hwaddr, rec->hw, rec->hlen) == 0 &&
	    l->clid_len == rec->clid_len &&
	    (rec->clid_len == 0 ||
	    memcmp(l->clid, rec->clid, rec->clid_len) == 0);
}

/* Applies a P or D record to t. */
static int
lj_apply(struct lease_table *t, const struct lj_rec *rec,
    const struct clock_now *now, uint32_t max_remaining_s, unsigned flags)
{
	struct lease *l = lease_find_by_addr(t, rec->addr), *o;
	bool stale = rec->wall != 0 && (time_t)rec->wall <= now->wall;

	if (rec->type == LJ_DEL ||
	    (stale && !(flags & LEASE_PARSE_KEEP_EXPIRED))) {
		if (l != NULL)
			lease_remove(t, l);
		return 0;
	}
	if (l == NULL && (l = lease_add(t, rec->addr)) == NULL)
		return lease_table_full(t) ? -E2BIG : -ENOMEM;
	if (lease_set_client(t, l, rec->htype, rec->hw, rec->hlen, rec->clid,
	    rec->clid_len) < 0)
		return -ENOMEM;
	if (rec->name[0] != '\0' && (o = lease_find_by_name(t, rec->name)) !=
	    NULL && o != l)
		lease_set_hostname(o, NULL);
	lease_set_hostname(l, rec->name);
	lease_set_expiry(l, stale ? now->mono_ms :
	    clock_wall_to_mono(now, (time_t)rec->wall, max_remaining_s));
	return 0;
}

static void
lj_note_file(struct lj_info *ji, const struct lj_rec *rec)
{
	if (rec->type == LJ_FILE_W) {
		ji->file_known = false;
	} else if (rec->type == LJ_FILE_OK) {
		ji->file_known = true;
		ji->file_len = rec->flen;
		ji->file_fp = rec->ffp;
	}
}

/* Reads the snapshot; false unless it is complete. */
static bool
lj_scan_snapshot(struct rd *r, struct lj_info *ji, struct lease_table *t,
    const struct clock_now *now, uint32_t max_remaining_s, unsigned flags,
    int *err)
{
	struct lj_rec rec;
	uint32_t nput = 0;

	for (;;) {
		memset(&rec, 0, sizeof(rec));
		if (!lj_read(r, ji->nonce, &rec))
			return false;
		if (rec.type == LJ_END)
			break;
		if (rec.type == LJ_PUT) {
			nput++;
			if (t != NULL && (*err = lj_apply(t, &rec, now,
			    max_remaining_s, flags)) < 0)
				return false;
		} else if (rec.type == LJ_FILE_W || rec.type == LJ_FILE_OK) {
			lj_note_file(ji, &rec);
		} else {
			return false;
		}
	}
	return rec.count == nput && rec.seq == ji->snap_seq;
}

/*
 * Validates a journal (t NULL) or replays it into t.  Returns 0 or -errno
 * (only when replaying: table full, out of memory).
 */
static int
lj_scan(const uint8_t *buf, size_t len, struct lj_info *ji,
    struct lease_table *t, const struct clock_now *now,
    uint32_t max_remaining_s, unsigned flags)
{
	struct lj_rec rec;
	struct rd r;
	int err = 0;

	memset(ji, 0, sizeof(*ji));
	rd_init(&r, buf, len);
	memset(&rec, 0, sizeof(rec));
	if (!lj_read(&r, 0, &rec) || rec.type != LJ_HDR)
		return 0;
	ji->hdr = true;
	ji->gen = rec.gen;
	ji->nonce = rec.nonce;
	ji->snap_seq = rec.seq;
	if (!lj_scan_snapshot(&r, ji, t, now, max_remaining_s, flags, &err))
		return err;
	ji->complete = true;
	ji->last_seq = ji->snap_seq;
	ji->end = r.off;
	for (;;) {
		memset(&rec, 0, sizeof(rec));
		if (!lj_read(&r, ji->nonce, &rec) || rec.seq <= ji->last_seq)
			break;
		if (rec.type == LJ_PUT || rec.type == LJ_DEL) {
			if (t != NULL && (err = lj_apply(t, &rec, now,
			    max_remaining_s, flags)) < 0)
				return err;
		} else if (rec.type == LJ_FILE_W || rec.type == LJ_FILE_OK) {
			lj_note_file(ji, &rec);
		} else {
			break;
		}
		ji->last_seq = rec.seq;
		ji->end = r.off;
	}
	return 0;
}

int
lease_journal_replay(struct lease_table *t, const uint8_t *buf, size_t len,
    const struct clock_now *now, uint32_t max_remaining_s)
{
	struct lj_info ji;
	int rc;

	lj_scan(buf, len, &ji, NULL, NULL, 0, 0);
	if (!ji.complete)
		return 0;
	rc = lj_scan(buf, len, &ji, t, now, max_remaining_s, 0);
	return rc < 0 ? rc : 1;
}

/* --- the store ----------------------------------------------------------- */

struct lease_store {
	char *path, *jpath[2];
	bool ro, journaled;
	unsigned load_flags;		/* LEASE_PARSE_KEEP_EXPIRED */
	int fd;				/* the lease file */
	int jfd[2];
	int active;			/* journal appended to */
	off_t jend;			/* its end of durable records */
	uint64_t nonce;			/* its nonce */
	uint64_t gen_max;		/* highest generation seen or used */
	uint64_t seq;			/* last sequence number used */
	unsigned long jrecords;		/* appended since its snapshot */
	bool compact_due;
	bool need_snapshot;		/* records were dropped, or a load */
	uint8_t *pend;			/* records not yet durable */
	size_t pend_len, pend_cap;
	unsigned long pend_nrec;
	unsigned long pend_nlease;	/* of them P and D (not W, F) */
	bool dirty;			/* no journals: changes to write */
	bool file_stale;		/* the lease file lags behind */
	bool file_known;		/* its content is file_len/file_fp */
	uint64_t file_len, file_fp;
	int64_t file_written_ms;
	int64_t rewrite_every_ms;	/* store_rewrite_interval() */
	int64_t file_retry_ms;		/* after a failed rewrite */
	int64_t compact_retry_ms;	/* after a failed compaction */
	int err;			/* last journal failure, 0: healthy */
	int fail_fd;
	int64_t retry_ms;
	int64_t logged_ms;
	bool logged;
	uint64_t key[2];		/* for nonces */
	uint8_t *obuf;			/* LJ_CHUNK bytes, big writes */
	struct lease_store_io io;
	struct lease_store_stats st;
};

static ssize_t
store_pwrite(struct lease_store *s, int fd, const void *b, size_t n, off_t o)
{
	if (s->io.pwrite != NULL)
		return s->io.pwrite(s->io.ctx, fd, b, n, o);
	return pwrite(fd, b, n, o);
}

static int
store_pwrite_all(struct lease_store *s, int fd, const uint8_t *b, size_t n,
    off_t off)
{
	ssize_t w;

	while (n > 0) {
		w = store_pwrite(s, fd, b, n, off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->fail_fd = fd;
			return w < 0 ? -errno : -EIO;
		}
		b += w;
		n -= (size_t)w;
		off += w;
	}
	return 0;
}

static int
store_datasync(struct lease_store *s, int fd)
{
	int r;

	do
		r = s->io.fdatasync != NULL ? s->io.fdatasync(s->io.ctx, fd) :
		    fdatasync(fd);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		s->fail_fd = fd;
		return -errno;
	}
	return 0;
}

static int
store_truncate(struct lease_store *s, int fd, off_t len)
{
	int r;

	do
		r = s->io.ftruncate != NULL ? s->io.ftruncate(s->io.ctx, fd,
		    len) : ftruncate(fd, len);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		s->fail_fd = fd;
		return -errno;
	}
	return 0;
}

/* Buffered sequential writing of a whole file, with its fingerprint. */
struct store_out {
	struct lease_store *s;
	int fd;
	off_t off;			/* of obuf[0] */
	size_t len;
	uint64_t fp;
	int err;
};

static void
store_out_init(struct store_out *o, struct lease_store *s, int fd)
{
	memset(o, 0, sizeof(*o));
	o->s = s;
	o->fd = fd;
	o->fp = LEASE_FP_SEED;
}

static int
store_out_flush(struct store_out *o)
{
	if (o->err == 0 && o->len > 0) {
		/* whole chunks (multiples of 8) but the last */
		o->fp = lease_fp(o->fp, o->s->obuf, o->len);
		o->err = store_pwrite_all(o->s, o->fd, o->s->obuf, o->len,
		    o->off);
		o->off += (off_t)o->len;
		o->len = 0;
	}
	return o->err;
}

static void
store_out_put(struct store_out *o, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t k;

	while (n > 0 && o->err == 0) {
		k = LJ_CHUNK - o->len < n ? LJ_CHUNK - o->len : n;
		memcpy(o->s->obuf + o->len, b, k);
		o->len += k;
		b += k;
		n -= k;
		if (o->len == LJ_CHUNK)
			store_out_flush(o);
	}
}

static off_t
store_out_size(const struct store_out *o)
{
	return o->off + (off_t)o->len;
}

static char *
store_path(const char *path, const char *suffix)
{
	size_t n = strlen(path), m = strlen(suffix);
	char *p = malloc(n + m + 1);

	if (p != NULL) {
		memcpy(p, path, n);
		memcpy(p + n, suffix, m + 1);
	}
	return p;
}

static void
store_free(struct lease_store *s)
{
	int j;

	if (s->fd >= 0)
		close(s->fd);
	for (j = 0; j < 2; j++) {
		if (s->jfd[j] >= 0)
			close(s->jfd[j]);
		free(s->jpath[j]);
	}
	free(s->path);
	free(s->pend);
	free(s->obuf);
	free(s);
}

static void
store_open_journals(struct lease_store *s)
{
	static const char *const sfx[2] = { ".j0", ".j1" };
	int j;

	for (j = 0; j < 2; j++) {
		s->jpath[j] = store_path(s->path, sfx[j]);
		if (s->jpath[j] == NULL)
			break;
		s->jfd[j] = open(s->jpath[j], O_RDWR | O_CREAT | O_CLOEXEC,
		    0600);
		if (s->jfd[j] < 0) {
			log_warn(LOG_SVC_DHCP, "cannot open lease journal %s: "
			    "%s; every lease change rewrites %s", s->jpath[j],
			    strerror(errno), s->path);
			break;
		}
	}
	s->journaled = j == 2;
	s->st.journaled = s->journaled;
	for (j = 0; j < 2 && !s->journaled; j++) {
		if (s->jfd[j] >= 0)
			close(s->jfd[j]);
		s->jfd[j] = -1;
	}
}

struct lease_store *
lease_store_open(const char *path, bool ro, int *err)
{
	struct lease_store *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->path = store_path(path, "")) == NULL ||
	    (s->obuf = malloc(LJ_CHUNK)) == NULL) {
		*err = -ENOMEM;
		goto out_free;
	}
	s->fd = s->jfd[0] = s->jfd[1] = s->fail_fd = -1;
	s->ro = ro;
	s->active = 1;
	if (ro)
		return s;
	/* dnsmasq opens it with fopen(path, "a+"): mode 0666 & ~umask */
	if ((s->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0) {
		*err = -errno;
		goto out_free;
	}
	store_open_journals(s);
	if (getrandom(s->key, sizeof(s->key), GRND_NONBLOCK) !=
	    sizeof(s->key)) {
		s->key[0] = (uint64_t)(uintptr_t)s ^ 0x243f6a8885a308d3ULL;
		s->key[1] = (uint64_t)getpid() ^ 0x13198a2e03707344ULL;
	}
	return s;

out_free:
	if (s != NULL)
		store_free(s);
	return NULL;
}

void
lease_store_close(struct lease_store *s)
{
	if (s != NULL)
		store_free(s);
}

void
lease_store_keep_expired(struct lease_store *s, bool keep)
{
	s->load_flags = keep ? LEASE_PARSE_KEEP_EXPIRED : 0;
}

void
lease_store_set_io(struct lease_store *s, const struct lease_store_io *io)
{
	if (io != NULL)
		s->io = *io;
	else
		memset(&s->io, 0, sizeof(s->io));
}

void
lease_store_get_stats(const struct lease_store *s,
    struct lease_store_stats *st)
{
	*st = s->st;
}

bool
lease_store_is_durable(const struct lease_store *s, const struct lease *l)
{
	return s->ro || l->durable;
}

/* Reads a whole file from offset 0 into a NUL-terminated buffer. */
static int
store_read_all(int fd, uint8_t **out, size_t *len)
{
	struct stat st;
	size_t cap, n = 0;
	ssize_t r;
	uint8_t *b;

	if (fstat(fd, &st) < 0)
		return -errno;
	if ((size_t)st.st_size > LJ_FILE_MAX)
		return -EFBIG;
	cap = (size_t)st.st_size;
	if ((b = malloc(cap + 1)) == NULL)
		return -ENOMEM;
	while (n < cap) {
		r = pread(fd, b + n, cap - n, (off_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			free(b);
			return (int)r;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

static uint64_t
store_nonce(const struct lease_store *s, uint64_t gen,
    const struct clock_now *now)
{
	uint8_t b[24];
	struct wr w;

	wr_init(&w, b, sizeof(b));
	lj_wr64(&w, gen);
	lj_wr64(&w, (uint64_t)now->wall);
	lj_wr64(&w, (uint64_t)now->mono_ms);
	return lease_siphash(s->key[0], s->key[1], b, sizeof(b));
}

static void
store_mark_all_durable(struct lease_table *t)
{
	struct lease *l;

	for (l = t->first; l != NULL; l = l->all_next)
		l->durable = true;
}

static void
store_pend_clear(struct lease_store *s)
{
	s->pend_len = 0;
	s->pend_nrec = 0;
	s->pend_nlease = 0;
}

/* Appends one framed record to the buffer; on overflow drops them all
 * and owes a snapshot. */
static void
store_pend_add(struct lease_store *s, const uint8_t *rec, size_t n,
    bool lease_rec)
{
	size_t cap;
	uint8_t *p;

	if (s->need_snapshot || n == 0)
		return;
	if (s->pend_len + n > LEASE_STORE_PENDING_MAX)
		goto drop;
	if (s->pend_len + n > s->pend_cap) {
		cap = s->pend_cap ? s->pend_cap * 2 : 4096;
		while (cap < s->pend_len + n)
			cap *= 2;
		if ((p = realloc(s->pend, cap)) == NULL)
			goto drop;
		s->pend = p;
		s->pend_cap = cap;
	}
	memcpy(s->pend + s->pend_len, rec, n);
	s->pend_len += n;
	s->pend_nrec++;
	s->pend_nlease += lease_rec;
	return;

drop:
	s->st.dropped_records += s->pend_nrec + 1;
	store_pend_clear(s);
	s->need_snapshot = true;
}

void
lease_store_note(struct lease_store *s, const struct lease *l, bool removed,
    const struct clock_now *now)
{
	uint8_t rec[LJ_REC_MAX];
	size_t n;

	if (s->ro)
		return;
	s->file_stale = true;
	s->dirty = true;
	if (!s->journaled || s->need_snapshot)
		return;
	s->seq++;
	if (removed)
		n = lj_del(rec, s->nonce, s->seq, l->addr);
	else
		n = lj_put(rec, s->nonce, s->seq, l, now);
	store_pend_add(s, rec, n, true);
}

/* After the buffer reached the disk: its leases are durable if they
 * still have the client that was written. */
static void
store_mark_written(struct lease_store *s, struct lease_table *t)
{
	struct lj_rec rec;
	struct lease *l;
	struct rd r;

	rd_init(&r, s->pend, s->pend_len);
	while (rd_left(&r) > 0) {
		memset(&rec, 0, sizeof(rec));
		if (!lj_read(&r, s->nonce, &rec))
			break;
		if (rec.type == LJ_PUT &&
		    (l = lease_find_by_addr(t, rec.addr)) != NULL &&
		    lj_same_client(l, &rec))
			l->durable = true;
	}
}

static void
store_check_compact(struct lease_store *s, const struct lease_table *t)
{
	unsigned long lim = 2ul * t->count;
	unsigned long min = s->io.compact_min ? s->io.compact_min : 1000;

	s->compact_due = s->jrecords > (lim > min ? lim : min);
}

/* Appends the buffer to the active journal: one write, one fdatasync. */
static int
store_flush(struct lease_store *s, struct lease_table *t)
{
	int fd = s->jfd[s->active], rc;

	if (s->pend_len == 0)
		return 0;
	if ((rc = store_pwrite_all(s, fd, s->pend, s->pend_len, s->jend)) <
	    0 || (rc = store_datasync(s, fd)) < 0)
		return rc;
	s->jend += (off_t)s->pend_len;
	s->jrecords += s->pend_nrec;
	s->st.records += s->pend_nrec;
	s->st.syncs++;
	store_mark_written(s, t);
	store_pend_clear(s);
	store_check_compact(s, t);
	return 0;
}

/*
 * Writes a complete snapshot into the inactive journal (truncated first)
 * and switches to it once it is on stable storage.  Until then the
 * active journal stays the valid one.
 */
static int
store_snapshot(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now)
{
	int j = 1 - s->active, fd = s->jfd[j], rc;
	uint64_t gen = ++s->gen_max, seq = ++s->seq;
	uint64_t nonce = store_nonce(s, gen, now);
	uint8_t rec[LJ_REC_MAX];
	struct store_out o;
	struct lease *l;
	uint32_t n = 0;

	if ((rc = store_truncate(s, fd, 0)) < 0)
		return rc;
	store_out_init(&o, s, fd);
	store_out_put(&o, rec, lj_hdr(rec, gen, nonce, seq, now->wall));
	for (l = t->first; l != NULL; l = l->all_next, n++)
		store_out_put(&o, rec, lj_put(rec, nonce, 0, l, now));
	store_out_put(&o, rec, lj_file(rec, nonce, 0, s->file_known,
	    s->file_len, s->file_fp));
	store_out_put(&o, rec, lj_end(rec, nonce, seq, n));
	if ((rc = store_out_flush(&o)) < 0 || (rc = store_datasync(s, fd)) < 0)
		return rc;
	s->active = j;
	s->jend = store_out_size(&o);
	s->nonce = nonce;
	s->jrecords = 0;
	s->compact_due = false;
	s->need_snapshot = false;
	store_pend_clear(s);
	store_mark_all_durable(t);
	s->st.compactions++;
	return 0;
}

/* Writes the dnsmasq-format file in place, newest lease first. */
static int
store_write_file(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now, uint64_t *len, uint64_t *fp)
{
	char line[LEASE_LINE_MAX];
	struct store_out o;
	struct lease *l;
	size_t n;
	int rc;

	store_out_init(&o, s, s->fd);
	for (l = t->last; l != NULL; l = l->all_prev) {
		if (l->expires_ms <= now->mono_ms)
			continue;	/* dnsmasq prunes before writing */
		n = lease_format(l, now, line, sizeof(line) - 1);
		line[n++] = '\n';
		store_out_put(&o, line, n);
	}
	if ((rc = store_out_flush(&o)) < 0 ||
	    (rc = store_truncate(s, s->fd, o.off)) < 0 ||
	    (rc = store_datasync(s, s->fd)) < 0)
		return rc;
	*len = (uint64_t)o.off;
	*fp = o.fp;
	s->st.file_writes++;
	return 0;
}

/*
 * Rewrites the lease file behind a durable "rewrite started" record, and
 * records its length and CRC afterwards (buffered: the next sync writes
 * it).  A file that differs from the last such record although no
 * rewrite was in progress was changed by someone else.
 */
static int
store_rewrite(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now)
{
	uint8_t rec[LJ_REC_MAX];
	uint64_t len, fp;
	int rc;

	if (s->journaled) {
		if (s->need_snapshot)
			return -EAGAIN;
		if (s->file_known) {
			store_pend_add(s, rec, lj_file(rec, s->nonce, ++s->seq,
			    false, 0, 0), false);
			s->file_known = false;
		}
		/* the buffer may just have overflowed: no durable W then */
		if (s->need_snapshot)
			return -EAGAIN;
		if ((rc = store_flush(s, t)) < 0)
			return rc;
	}
	if ((rc = store_write_file(s, t, now, &len, &fp)) < 0)
		return rc;
	s->file_stale = false;
	s->file_written_ms = now->mono_ms;
	if (!s->journaled)
		return 0;
	s->file_known = true;
	s->file_len = len;
	s->file_fp = fp;
	/* written with the next sync's records, or on exit; lost in a
	 * crash, it only means the file is not recognised as ours */
	store_pend_add(s, rec, lj_file(rec, s->nonce, ++s->seq, true, len,
	    fp), false);
	return 0;
}

static const char *
store_fd_path(const struct lease_store *s, int fd)
{
	if (fd >= 0 && fd == s->jfd[0])
		return s->jpath[0];
	if (fd >= 0 && fd == s->jfd[1])
		return s->jpath[1];
	return s->path;
}

/* Counts a failed write and logs it, once a minute. */
static int
store_fail(struct lease_store *s, const struct clock_now *now, int rc)
{
	s->st.sync_errors++;
	if (!s->logged || now->mono_ms - s->logged_ms >=
	    LEASE_STORE_LOG_EVERY_S * 1000) {
		/* dnsmasq lease_update_file()'s message */
		log_err(LOG_SVC_DHCP, "failed to write %s: %s (retry in %u s)",
		    store_fd_path(s, s->fail_fd), strerror(-rc),
		    (unsigned)(LEASE_STORE_RETRY_MS / 1000));
		s->logged = true;
		s->logged_ms = now->mono_ms;
	}
	return rc;
}

/* Records the outcome of a durability attempt (journal, or the lease file
 * without journals). */
static int
store_result(struct lease_store *s, const struct clock_now *now, int rc)
{
	if (rc == 0) {
		s->err = 0;
		return 0;
	}
	s->err = rc;
	s->retry_ms = now->mono_ms + LEASE_STORE_RETRY_MS;
	return store_fail(s, now, rc);
}

/* Up to 1000 leases (dnsmasq's default lease-max) the lease file is
 * rewritten at the end of every turn that changed a lease, as dnsmasq
 * rewrites it on every change, so tools reading it see what dnsmasq would
 * show (the journal, not this file, carries durability).  Larger tables
 * are rewritten at most once a second, less often when very large
 * (count / 20 ms: 2.5 s for 50,000 leases), so that rewriting costs well
 * under 1% of the time. */
static int64_t
store_rewrite_interval(const struct lease_table *t)
{
	int64_t ms = (int64_t)lease_count(t) / 20;

	if (lease_count(t) <= 1000)
		return 0;
	return ms > 1000 ? ms : 1000;
}

static bool
store_may_try(const struct lease_store *s, const struct clock_now *now,
    bool force)
{
	return force || s->err == 0 || now->mono_ms >= s->retry_ms;
}

static int
store_sync(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now, bool force)
{
	int rc;

	if (s->ro)
		return 0;
	if (!s->journaled) {
		if (!s->dirty)
			return 0;
		if (!store_may_try(s, now, force))
			return s->err;
		if ((rc = store_rewrite(s, t, now)) == 0) {
			s->dirty = false;
			store_mark_all_durable(t);
		}
		return store_result(s, now, rc);
	}
	if (!s->need_snapshot && s->pend_nlease == 0)
		return store_result(s, now, 0);
	if (!store_may_try(s, now, force))
		return s->err;
	rc = s->need_snapshot ? store_snapshot(s, t, now) : store_flush(s, t);
	return store_result(s, now, rc);
}

int
lease_store_sync(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now)
{
	return store_sync(s, t, now, false);
}

unsigned
lease_store_expire(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now)
{
	struct lease *l;
	unsigned n = 0;

	while ((l = lease_first_expired(t, now->mono_ms)) != NULL) {
		lease_store_note(s, l, true, now);
		lease_remove(t, l);
		n++;
	}
	return n;
}

int
lease_store_maintain(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now, bool force)
{
	bool compacted = false;
	int rc;

	if (s->ro)
		return 0;
	if ((rc = store_sync(s, t, now, force)) < 0)
		return rc;
	if (!s->journaled)
		return 0;
	/* a failed compaction delays the next one, not the appends */
	store_check_compact(s, t);
	if (s->compact_due && (force || now->mono_ms >= s->compact_retry_ms)) {
		if ((rc = store_snapshot(s, t, now)) < 0) {
			s->compact_retry_ms = now->mono_ms +
			    LEASE_STORE_RETRY_MS;
			return store_fail(s, now, rc);
		}
		compacted = true;
	}
	s->rewrite_every_ms = store_rewrite_interval(t);
	if (s->file_stale && (force || compacted ||
	    (now->mono_ms - s->file_written_ms >= s->rewrite_every_ms &&
	    now->mono_ms >= s->file_retry_ms))) {
		if ((rc = store_rewrite(s, t, now)) < 0) {
			s->file_retry_ms = now->mono_ms + LEASE_STORE_RETRY_MS;
			return store_fail(s, now, rc);
		}
	}
	if (force && s->pend_len > 0)
		return store_result(s, now, store_flush(s, t));
	return 0;
}

int64_t
lease_store_next_due(const struct lease_store *s)
{
	int64_t due = CLOCK_INFINITE_MS;

	if (s->ro)
		return due;
	if (s->need_snapshot || s->pend_nlease > 0 ||
	    (!s->journaled && s->dirty))
		return s->err != 0 ? s->retry_ms : 0;
	if (s->compact_due)
		return s->compact_retry_ms;
	if (s->file_stale) {
		due = s->file_written_ms + s->rewrite_every_ms;
		if (due < s->file_retry_ms)
			due = s->file_retry_ms;
	}
	return due;
}

/* --- loading ------------------------------------------------------------- */

struct store_files {
	uint8_t *file;
	size_t file_len;
	uint8_t *j[2];
	size_t jlen[2];
	struct lj_info ji[2];
};

static void
store_files_free(struct store_files *f)
{
	free(f->file);
	free(f->j[0]);
	free(f->j[1]);
}

/* Reads the lease file and validates both journals; returns the index of
 * the journal to trust (-1: none) or -errno - 2 on a read error. */
static int
store_read_files(struct lease_store *s, struct store_files *f)
{
	int j, best = -1, rc;

	if ((rc = store_read_all(s->fd, &f->file, &f->file_len)) < 0)
		return rc - 2;
	for (j = 0; j < 2 && s->journaled; j++) {
		if (store_read_all(s->jfd[j], &f->j[j], &f->jlen[j]) < 0)
			continue;	/* unreadable: no journal */
		lj_scan(f->j[j], f->jlen[j], &f->ji[j], NULL, NULL, 0, 0);
		if (f->ji[j].hdr && f->ji[j].gen > s->gen_max)
			s->gen_max = f->ji[j].gen;
		if (!f->ji[j].complete)
			continue;
		if (f->ji[j].last_seq > s->seq)
			s->seq = f->ji[j].last_seq;
		if (best < 0 || f->ji[j].last_seq > f->ji[best].last_seq ||
		    (f->ji[j].last_seq == f->ji[best].last_seq &&
		    f->ji[j].gen > f->ji[best].gen))
			best = j;
	}
	return best;
}

static int
store_load_journal(struct lease_store *s, struct lease_table *t,
    struct store_files *f, int best, const struct clock_now *now,
    uint32_t max_remaining_s)
{
	struct lj_info ji;
	int rc;

	rc = lj_scan(f->j[best], f->jlen[best], &ji, t, now, max_remaining_s,
	    s->load_flags);
	if (rc < 0)
		return rc;
	s->file_known = ji.file_known;
	s->file_len = ji.file_len;
	s->file_fp = ji.file_fp;
	s->active = best;
	return 0;
}

static int
store_load_file(struct lease_store *s, struct lease_table *t,
    struct store_files *f, const struct clock_now *now,
    uint32_t max_remaining_s)
{
	int rc = lease_parse_file(t, (const char *)f->file, f->file_len, now,
	    max_remaining_s, s->load_flags);

	s->file_known = true;
	s->file_len = f->file_len;
	s->file_fp = lease_fp(LEASE_FP_SEED, f->file, f->file_len);
	s->st.loaded_from_file = true;
	return rc;
}

int
lease_store_load(struct lease_store *s, struct lease_table *t,
    const struct clock_now *now, uint32_t max_remaining_s)
{
	struct store_files f;
	int best, rc;
	bool use_file;

	if (s->ro)
		return 0;
	memset(&f, 0, sizeof(f));
	s->st.loaded_from_file = false;
	if ((best = store_read_files(s, &f)) < -1) {
		store_files_free(&f);
		return best + 2;
	}
	use_file = best < 0;
	if (best >= 0)
		s->active = best;
	if (!use_file && f.ji[best].file_known &&
	    (f.ji[best].file_len != f.file_len ||
	    f.ji[best].file_fp != lease_fp(LEASE_FP_SEED, f.file,
	    f.file_len))) {
		/* deleted, emptied, edited or written by dnsmasq since */
		log_info(LOG_SVC_DHCP, "%s changed since pxemasq wrote it: "
		    "reading it instead of %s", s->path, s->jpath[best]);
		use_file = true;
	}
	if (use_file)
		rc = store_load_file(s, t, &f, now, max_remaining_s);
	else
		rc = store_load_journal(s, t, &f, best, now, max_remaining_s);
	store_files_free(&f);
	if (rc < 0)
		return rc;
	store_mark_all_durable(t);
	s->file_stale = true;
	s->dirty = !s->journaled;
	store_pend_clear(s);
	if (s->journaled) {
		/* a journal of this run's own: nothing stale can follow */
		s->need_snapshot = true;
		(void)store_sync(s, t, now, true);
	}
	return (int)lease_count(t);
}
