/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_lease.c - the lease table, dnsmasq's lease file format and the
 * journaled store: lookups through resizes, lines byte for byte, loading
 * what dnsmasq wrote, crashes at every byte of every write, full disks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lease.h"

#define T2026 1795640586	/* a wall time from reference A.7 */
#define YEARS10 (10u * 366 * 86400)

/* --- helpers ------------------------------------------------------------- */

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in_addr
ipn(uint32_t n)
{
	struct in_addr a = { htonl(n) };

	return a;
}

/* A "now" whose wall clock is 2 hours before the A.7 expiry. */
static struct clock_now
now0(void)
{
	struct clock_now n = { .mono_ms = 5000000, .wall = T2026 - 7200 };

	return n;
}

static void
tick(struct clock_now *n, unsigned s)
{
	n->mono_ms += (int64_t)s * 1000;
	n->wall += s;
}

static void
mac6(uint8_t *m, uint32_t n)
{
	m[0] = 0x52;
	m[1] = 0x54;
	m[2] = (uint8_t)(n >> 24);
	m[3] = (uint8_t)(n >> 16);
	m[4] = (uint8_t)(n >> 8);
	m[5] = (uint8_t)n;
}

static char *
mktmpdir(void)
{
	char tmpl[] = "/tmp/test_lease.XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	return strdup(d);
}

static void
rmtree(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static char *
path_in(const char *dir, const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	sprintf(p, "%s/%s", dir, name);
	return p;
}

/* Without O_TRUNC: ext4 flushes a file truncated to 0 on close. */
static void
write_file(const char *path, const void *b, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, b, n, 0), (ssize_t)n);
	assert_int_equal(ftruncate(fd, (off_t)n), 0);
	close(fd);
}

static uint8_t *
read_file(const char *path, size_t *n)
{
	struct stat st;
	uint8_t *b;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		*n = 0;
		return NULL;
	}
	assert_int_equal(fstat(fd, &st), 0);
	b = malloc((size_t)st.st_size + 1);
	assert_int_equal(read(fd, b, (size_t)st.st_size), st.st_size);
	b[st.st_size] = 0;
	close(fd);
	*n = (size_t)st.st_size;
	return b;
}

/* The table as dnsmasq lines sorted by address: a comparable state. */
struct state {
	size_t n;
	uint32_t *addr;
	char **line;
};

static int
state_cmp_idx(const void *a, const void *b, void *ctx)
{
	const uint32_t *ad = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	return ad[i] < ad[j] ? -1 : ad[i] > ad[j];
}

static void
state_take(struct state *s, struct lease_table *t, const struct clock_now *n)
{
	size_t i = 0, *idx;
	uint32_t *ad;
	char **ln;
	struct lease *l;

	s->n = lease_count(t);
	ad = calloc(s->n + 1, sizeof(*ad));
	ln = calloc(s->n + 1, sizeof(*ln));
	idx = calloc(s->n + 1, sizeof(*idx));
	for (l = lease_first(t); l != NULL; l = lease_next(l), i++) {
		char buf[LEASE_LINE_MAX];

		lease_format(l, n, buf, sizeof(buf));
		ad[i] = ntohl(l->addr.s_addr);
		ln[i] = strdup(buf);
		idx[i] = i;
	}
	assert_int_equal(i, s->n);
	qsort_r(idx, s->n, sizeof(*idx), state_cmp_idx, ad);
	s->addr = calloc(s->n + 1, sizeof(*s->addr));
	s->line = calloc(s->n + 1, sizeof(*s->line));
	for (i = 0; i < s->n; i++) {
		s->addr[i] = ad[idx[i]];
		s->line[i] = ln[idx[i]];
	}
	free(ad);
	free(ln);
	free(idx);
}

static void
state_free(struct state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->line[i]);
	free(s->addr);
	free(s->line);
	memset(s, 0, sizeof(*s));
}

static const char *
state_get(const struct state *s, uint32_t a)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t m = (lo + hi) / 2;

		if (s->addr[m] == a)
			return s->line[m];
		if (s->addr[m] < a)
			lo = m + 1;
		else
			hi = m;
	}
	return NULL;
}

static bool
str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
state_eq(const struct state *a, const struct state *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->addr[i] != b->addr[i] || strcmp(a->line[i], b->line[i]))
			return false;
	return true;
}

/* Every lease of got is as in old or as in new (a crash during the write
 * of new: each record made it or not). */
static bool
state_between(const struct state *got, const struct state *old,
    const struct state *new, char *why, size_t whysz)
{
	const struct state *all[3] = { got, old, new };
	size_t k, i;

	for (k = 0; k < 3; k++)
		for (i = 0; i < all[k]->n; i++) {
			uint32_t a = all[k]->addr[i];
			const char *g = state_get(got, a);

			if (str_eq(g, state_get(old, a)) ||
			    str_eq(g, state_get(new, a)))
				continue;
			snprintf(why, whysz, "%08x: got '%s' old '%s' new '%s'",
			    a, g ? g : "-", state_get(old, a) ?
			    state_get(old, a) : "-", state_get(new, a) ?
			    state_get(new, a) : "-");
			return false;
		}
	return true;
}

/* Checks the table's own invariants: every lease is found by each key. */
static void
table_check(struct lease_table *t)
{
	struct lease *l;
	unsigned n = 0;

	for (l = lease_first(t); l != NULL; l = lease_next(l), n++) {
		struct lease *c;

		assert_ptr_equal(lease_find_by_addr(t, l->addr), l);
		if (l->clid_len != 0) {
			c = lease_find_by_clid(t, l->clid, l->clid_len);
			assert_non_null(c);
			assert_memory_equal(c->clid, l->clid, l->clid_len);
		}
		if (l->hlen != 0) {
			c = lease_find_by_hw_any(t, l->htype, l->hwaddr,
			    l->hlen);
			assert_non_null(c);
			if (l->clid_len == 0)
				assert_non_null(lease_find_by_hw(t, l->htype,
				    l->hwaddr, l->hlen));
		}
		if (l->hostname[0] != '\0')
			assert_ptr_equal(lease_find_by_name(t, l->hostname),
			    l);
		assert_true(lease_next_expiry(t) <= l->expires_ms);
	}
	assert_int_equal(n, lease_count(t));
}

static struct lease *
add_full(struct lease_table *t, const char *addr, const char *mac,
    const char *clid, const char *name, int64_t exp)
{
	uint8_t hw[16], cl[255];
	int nh = 0, nc = 0;
	unsigned v;
	const char *p;
	struct lease *l = lease_add(t, ip(addr));

	assert_non_null(l);
	for (p = mac; p && sscanf(p, "%2x", &v) == 1; p += 3) {
		hw[nh++] = (uint8_t)v;
		if (p[2] == '\0')
			break;
	}
	for (p = clid; p && sscanf(p, "%2x", &v) == 1; p += 3) {
		cl[nc++] = (uint8_t)v;
		if (p[2] == '\0')
			break;
	}
	assert_int_equal(lease_set_client(t, l, 1, hw, (size_t)nh,
	    nc ? cl : NULL, (size_t)nc), 0);
	lease_set_hostname(l, name);
	lease_set_expiry(l, exp);
	return l;
}

/* --- table --------------------------------------------------------------- */

static void
lookups_by_every_key(void **state)
{
	struct lease_table *t = lease_table_new();
	struct lease *a, *b;
	uint8_t hw[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	uint8_t cl[7] = { 1, 0x52, 0x54, 0, 0x12, 0x34, 0x56 };

	(void)state;
	a = add_full(t, "192.0.2.20", "52:54:00:12:34:56",
	    "01:52:54:00:12:34:56", "host1", 1000);
	b = add_full(t, "192.0.2.21", "52:54:00:12:34:57", NULL, "Host2",
	    2000);
	assert_ptr_equal(lease_find_by_addr(t, ip("192.0.2.20")), a);
	assert_ptr_equal(lease_find_by_clid(t, cl, 7), a);
	/* a lease with a client id is not found by its MAC alone ... */
	assert_null(lease_find_by_hw(t, 1, hw, 6));
	/* ... unless the request has no client id */
	assert_ptr_equal(lease_find_by_hw_any(t, 1, hw, 6), a);
	hw[5] = 0x57;
	assert_ptr_equal(lease_find_by_hw(t, 1, hw, 6), b);
	assert_null(lease_find_by_hw(t, 6, hw, 6));	/* other htype */
	assert_null(lease_find_by_hw(t, 1, hw, 0));
	assert_ptr_equal(lease_find_by_name(t, "HOST1"), a);
	assert_ptr_equal(lease_find_by_name(t, "host2"), b);
	assert_null(lease_find_by_name(t, "host3"));
	/* the address is taken */
	assert_null(lease_add(t, ip("192.0.2.20")));
	/* changing the client re-hashes */
	assert_int_equal(lease_set_client(t, a, 1, hw, 6, NULL, 0), 0);
	assert_null(lease_find_by_clid(t, cl, 7));
	/* newest binding first */
	assert_ptr_equal(lease_find_by_hw(t, 1, hw, 6), a);
	lease_remove(t, a);
	assert_ptr_equal(lease_find_by_hw(t, 1, hw, 6), b);
	assert_null(lease_find_by_addr(t, ip("192.0.2.20")));
	assert_null(lease_find_by_name(t, "host1"));
	assert_int_equal(lease_set_client(t, b, 1, hw, 17, NULL, 0), -EINVAL);
	table_check(t);
	lease_table_free(t);
}

static void
hostname_rules(void **state)
{
	static const struct {
		const char *row, *in, *stored;
	} rows[] = {
		{ "plain", "host1", "host1" },
		{ "star means none", "*", "" },
		{ "blank inside", "a b", "" },
		{ "control byte", "a\tb", "" },
		{ "64 bytes", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaa", "" },
		{ "63 bytes", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaa" },
		{ "empty", "", "" },
		{ "null", NULL, "" },
	};
	struct lease_table *t = lease_table_new();
	struct lease *l = lease_add(t, ip("192.0.2.1"));
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		lease_set_hostname(l, "x");
		lease_set_hostname(l, rows[i].in);
		if (strcmp(l->hostname, rows[i].stored) != 0)
			fail_msg("row '%s': stored '%s'", rows[i].row,
			    l->hostname);
		table_check(t);
	}
	lease_table_free(t);
}

static void
expiry_heap(void **state)
{
	struct lease_table *t = lease_table_new();
	struct lease *l[200];
	int64_t last = -1;
	unsigned i, n;

	(void)state;
	for (i = 0; i < 200; i++) {
		l[i] = lease_add(t, ipn(0xc6120000 + i));
		lease_set_expiry(l[i], (int64_t)((i * 7919) % 1000) * 10);
	}
	lease_set_expiry(l[5], CLOCK_INFINITE_MS);
	lease_remove(t, l[17]);
	assert_int_equal(lease_next_expiry(t), 0);	/* i = 0 */
	n = lease_expire(t, 4999);
	assert_int_equal(lease_count(t), 199 - n);
	assert_true(lease_next_expiry(t) >= 5000);
	while (lease_first_expired(t, 9990) != NULL) {
		struct lease *e = lease_first_expired(t, 9990);

		assert_true(e->expires_ms >= last);
		last = e->expires_ms;
		lease_remove(t, e);
	}
	assert_int_equal(lease_count(t), 1);	/* the infinite one */
	assert_true(lease_next_expiry(t) == CLOCK_INFINITE_MS);
	assert_null(lease_first_expired(t, INT64_MAX - 1));
	lease_table_free(t);
}

static void
table_max(void **state)
{
	struct lease_table *t = lease_table_new();

	(void)state;
	lease_table_set_max(t, 2);
	assert_non_null(lease_add(t, ip("192.0.2.1")));
	assert_non_null(lease_add(t, ip("192.0.2.2")));
	assert_true(lease_table_full(t));
	assert_null(lease_add(t, ip("192.0.2.3")));
	lease_table_free(t);
}

/* Random adds, removes and client changes against a plain array. */
static void
many_adds_removes(void **state)
{
	enum { N = 30000 };
	struct lease_table *t = lease_table_new();
	struct lease **ref = calloc(N, sizeof(*ref));
	unsigned seed = 12345, i, step, live = 0;
	uint8_t hw[6], cl[7];

	(void)state;
	for (step = 0; step < 200000; step++) {
		unsigned k = (seed = seed * 1103515245 + 12345) >> 8;
		unsigned a = k % N;

		if (ref[a] == NULL) {
			ref[a] = lease_add(t, ipn(0xc6120000 + a));
			assert_non_null(ref[a]);
			mac6(hw, a);
			cl[0] = 1;
			memcpy(cl + 1, hw, 6);
			assert_int_equal(lease_set_client(t, ref[a], 1, hw, 6,
			    a % 3 ? cl : NULL, a % 3 ? 7 : 0), 0);
			if (a % 5 == 0) {
				char name[16];

				snprintf(name, sizeof(name), "h%u", a);
				lease_set_hostname(ref[a], name);
			}
			lease_set_expiry(ref[a], k % 100000);
			live++;
		} else if (k % 4 == 0) {
			lease_set_expiry(ref[a], k % 77777);
		} else {
			lease_remove(t, ref[a]);
			ref[a] = NULL;
			live--;
		}
	}
	assert_int_equal(lease_count(t), live);
	for (i = 0; i < N; i++) {
		struct lease *l = lease_find_by_addr(t, ipn(0xc6120000 + i));

		assert_ptr_equal(l, ref[i]);
		mac6(hw, i);
		cl[0] = 1;
		memcpy(cl + 1, hw, 6);
		if (i % 3 != 0)
			assert_ptr_equal(lease_find_by_clid(t, cl, 7), ref[i]);
		else
			assert_ptr_equal(lease_find_by_hw(t, 1, hw, 6), ref[i]);
		assert_ptr_equal(lease_find_by_hw_any(t, 1, hw, 6), ref[i]);
		if (i % 5 == 0) {
			char name[16];

			snprintf(name, sizeof(name), "H%u", i);
			assert_ptr_equal(lease_find_by_name(t, name), ref[i]);
		}
	}
	table_check(t);
	free(ref);
	lease_table_free(t);
}

static double
secs_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) +
	    (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

/* 100,000 leases: insertion and lookup times are printed, not asserted. */
static void
timing_100k(void **state)
{
	enum { N = 100000 };
	struct lease_table *t = lease_table_new();
	struct timespec t0;
	uint8_t hw[6], cl[7];
	unsigned i, found = 0;
	double ins, look;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < N; i++) {
		struct lease *l = lease_add(t, ipn(0xc6120000 + i));

		mac6(hw, i);
		cl[0] = 1;
		memcpy(cl + 1, hw, 6);
		lease_set_client(t, l, 1, hw, 6, cl, 7);
		lease_set_expiry(l, (int64_t)i * 1000);
	}
	ins = secs_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < N; i++) {
		mac6(hw, i * 7 % N);
		cl[0] = 1;
		memcpy(cl + 1, hw, 6);
		found += lease_find_by_clid(t, cl, 7) != NULL;
		found += lease_find_by_addr(t, ipn(0xc6120000 + i)) != NULL;
		found += lease_find_by_hw_any(t, 1, hw, 6) != NULL;
	}
	look = secs_since(&t0);
	assert_int_equal(found, 3 * N);
	printf("# 100000 leases: insert %.1f ns/lease, lookup %.1f ns "
	    "(clid+addr+hw, per key)\n", ins * 1e9 / N, look * 1e9 / N / 3);
	lease_table_free(t);
}

/* --- format -------------------------------------------------------------- */

struct fmt_row {
	const char *row;
	uint8_t htype, hlen;
	uint8_t hw[16];
	uint8_t clid_len;
	uint8_t clid[16];
	const char *addr, *name;
	int64_t rem_s;		/* -1: infinite */
	const char *line;
};

static const struct fmt_row fmt_rows[] = {
	{ "reference A.7 host", 1, 6, { 0x52, 0x54, 0, 0x12, 0x34, 0x56 },
	  7, { 1, 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, "192.0.2.20", "host1",
	  7200, "1795640586 52:54:00:12:34:56 192.0.2.20 host1 "
	  "01:52:54:00:12:34:56" },
	{ "reference A.7 infinite", 1, 6, { 0x52, 0x54, 0, 0xaa, 0xbb, 0xcc },
	  0, { 0 }, "192.0.2.30", "", -1,
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *" },
	{ "non-Ethernet type gets a prefix", 6, 6,
	  { 0, 0x1b, 0x21, 0xaa, 0xbb, 0x0c }, 0, { 0 }, "192.0.2.31",
	  "tr", 7200, "1795640586 06-00:1b:21:aa:bb:0c 192.0.2.31 tr *" },
	{ "hlen 0 with a client id (Firewire)", 24, 0, { 0 }, 9,
	  { 0x1b, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 },
	  "192.0.2.40", "", 7200,
	  "1795640586 18- 192.0.2.40 * 1b:00:11:22:33:44:55:66:77" },
	{ "hlen 0 Ethernet still gets the type", 1, 0, { 0 }, 1, { 0xff },
	  "192.0.2.41", "", 7200, "1795640586 01- 192.0.2.41 * ff" },
	{ "type 0 hlen 0", 0, 0, { 0 }, 0, { 0 }, "192.0.2.42", "", 1,
	  "1795633387 00- 192.0.2.42 * *" },
	{ "16-byte Infiniband-ish address", 32, 16,
	  { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }, 0,
	  { 0 }, "10.0.0.1", "ib", 7200, "1795640586 20-00:01:02:03:04:05:06:"
	  "07:08:09:0a:0b:0c:0d:0e:0f 10.0.0.1 ib *" },
};

static void
format_rows(void **state)
{
	struct clock_now n = now0();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fmt_rows) / sizeof(fmt_rows[0]); i++) {
		const struct fmt_row *r = &fmt_rows[i];
		struct lease l;
		char out[LEASE_LINE_MAX], back[LEASE_LINE_MAX];
		uint8_t cb[LEASE_PARSE_BUF];
		struct lease p;
		size_t len;

		memset(&l, 0, sizeof(l));
		l.addr = ip(r->addr);
		l.htype = r->htype;
		l.hlen = r->hlen;
		memcpy(l.hwaddr, r->hw, 16);
		l.clid_len = r->clid_len;
		l.clid = (uint8_t *)(uintptr_t)r->clid;
		l.hostname = r->name;
		l.expires_ms = r->rem_s < 0 ? CLOCK_INFINITE_MS :
		    n.mono_ms + r->rem_s * 1000;
		len = lease_format(&l, &n, out, sizeof(out));
		if (strcmp(out, r->line) != 0 || len != strlen(r->line))
			fail_msg("row '%s': got '%s'", r->row, out);
		/* and it reads back to the same line */
		memset(&p, 0, sizeof(p));
		if (lease_parse_line(out, &n, YEARS10, &p, cb) != 0)
			fail_msg("row '%s': does not parse back", r->row);
		lease_format(&p, &n, back, sizeof(back));
		if (strcmp(back, out) != 0)
			fail_msg("row '%s': reads back as '%s'", r->row, back);
	}
}

/* Truncation at outsz keeps the returned length (snprintf style). */
static void
format_truncates(void **state)
{
	struct clock_now n = now0();
	struct lease l;
	char out[10];

	(void)state;
	memset(&l, 0, sizeof(l));
	l.addr = ip("192.0.2.30");
	l.htype = 1;
	l.hlen = 6;
	l.expires_ms = CLOCK_INFINITE_MS;
	assert_int_equal(lease_format(&l, &n, out, sizeof(out)),
	    strlen("0 00:00:00:00:00:00 192.0.2.30 * *"));
	assert_string_equal(out, "0 00:00:0");
}

/* --- parse --------------------------------------------------------------- */

struct parse_row {
	const char *row, *line;
	int rc;
	const char *canon;	/* lease_format() of the result, NULL: line */
};

static const struct parse_row parse_rows[] = {
	{ "A.7 host", "1795640586 52:54:00:12:34:56 192.0.2.20 host1 "
	  "01:52:54:00:12:34:56", 0, NULL },
	{ "A.7 infinite", "0 52:54:00:aa:bb:cc 192.0.2.30 * *", 0, NULL },
	{ "blanks around", " \t0 52:54:00:aa:bb:cc 192.0.2.30 * * \r", 0,
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *" },
	{ "upper-case hex", "0 52:54:00:AA:BB:CC 192.0.2.30 * 01:AB", 0,
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * 01:ab" },
	{ "MAC without colons (parse_hex pairs)",
	  "0 525400aabbcc 192.0.2.30 * *", 0,
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *" },
	{ "MAC with dashes: the first group is the type",
	  "0 52-54-00-aa-bb-cc 192.0.2.30 * *", 0,
	  "0 52-54:00:aa:bb:cc 192.0.2.30 * *" },
	{ "MAC with dashes after the first byte",
	  "0 52:54-00-aa-bb-cc 192.0.2.30 * *", 0,
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *" },
	{ "odd digits: a lone last digit is a byte",
	  "0 5:2:540 192.0.2.30 * *", 0, "0 05:02:54:00 192.0.2.30 * *" },
	{ "explicit Ethernet type is dropped on output",
	  "0 01-52:54:00:aa:bb:cc 192.0.2.30 * *", 0,
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *" },
	{ "type with leading zeros", "0 0006-00:01 192.0.2.30 * *", 0,
	  "0 06-00:01 192.0.2.30 * *" },
	{ "type above 0xff", "0 100-00:01 192.0.2.30 * *", -EINVAL, NULL },
	{ "type only", "0 20- 192.0.2.30 * 01:02", 0, NULL },
	{ "empty MAC (a lone dash)", "0 - 192.0.2.30 * 01:02", 0,
	  "0 00- 192.0.2.30 * 01:02" },
	{ "MAC longer than 16 bytes is cut",
	  "0 00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:zz "
	  "192.0.2.30 * *", 0, "0 00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:"
	  "0e:0f 192.0.2.30 * *" },
	{ "bad MAC (dnsmasq crashes)", "0 zz:54 192.0.2.30 * *", -EINVAL,
	  NULL },
	{ "MAC wildcard", "0 52:54:* 192.0.2.30 * *", -EINVAL, NULL },
	{ "bad client id: none", "0 52:54:00:aa:bb:cc 192.0.2.30 * 01:zz", 0,
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *" },
	{ "empty client id: none", "0 52:54:00:aa:bb:cc 192.0.2.30 * :", 0,
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *" },
	{ "bad address", "0 52:54:00:aa:bb:cc 192.0.2.256 * *", -EINVAL,
	  NULL },
	{ "IPv6 lease", "1795640586 1234 2001:db8::5 host6 00:01:00:01", 
	  -EAFNOSUPPORT, NULL },
	{ "expired", "1795633385 52:54:00:aa:bb:cc 192.0.2.30 * *", -ESTALE,
	  NULL },
	{ "expires this second", "1795633386 52:54:00:aa:bb:cc 192.0.2.30 "
	  "* *", -ESTALE, NULL },
	{ "negative expiry", "-5 52:54:00:aa:bb:cc 192.0.2.30 * *", -ESTALE,
	  NULL },
	{ "non-numeric expiry is atol() 0: infinite",
	  "abc 52:54:00:aa:bb:cc 192.0.2.30 * *", 0,
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *" },
	{ "expiry digits then junk", "1795640586x 52:54:00:aa:bb:cc "
	  "192.0.2.30 * *", 0, "1795640586 52:54:00:aa:bb:cc 192.0.2.30 * *" },
	{ "four fields", "0 52:54:00:aa:bb:cc 192.0.2.30 *", -EINVAL, NULL },
	{ "six fields", "0 52:54:00:aa:bb:cc 192.0.2.30 * * x", -EINVAL,
	  NULL },
	{ "empty", "", -EINVAL, NULL },
	{ "long hostname: none", "0 52:54:00:aa:bb:cc 192.0.2.30 "
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa *",
	  0, "0 52:54:00:aa:bb:cc 192.0.2.30 * *" },
};

static void
parse_line_rows(void **state)
{
	struct clock_now n = now0();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_rows) / sizeof(parse_rows[0]); i++) {
		const struct parse_row *r = &parse_rows[i];
		uint8_t cb[LEASE_PARSE_BUF];
		char out[LEASE_LINE_MAX];
		struct lease l;
		int rc;

		memset(&l, 0, sizeof(l));
		rc = lease_parse_line(r->line, &n, YEARS10, &l, cb);
		if (rc != r->rc)
			fail_msg("row '%s': rc %d, want %d", r->row, rc, r->rc);
		if (rc != 0)
			continue;
		lease_format(&l, &n, out, sizeof(out));
		if (strcmp(out, r->canon ? r->canon : r->line) != 0)
			fail_msg("row '%s': reads as '%s'", r->row, out);
	}
}

/* The remaining time read from a file is capped (clock.h). */
static void
parse_caps_remaining(void **state)
{
	struct clock_now n = now0();
	uint8_t cb[LEASE_PARSE_BUF];
	struct lease l;

	(void)state;
	assert_int_equal(lease_parse_line("1795640586 52:54:00:aa:bb:cc "
	    "192.0.2.30 * *", &n, 3600, &l, cb), 0);
	assert_int_equal(l.expires_ms, n.mono_ms + 3600 * 1000);
}

/* A lease file as dnsmasq 2.90 writes it with DHCPv6 enabled: IPv4 leases
 * (newest first), the server DUID, IPv6 leases. */
static const char dnsmasq_file[] =
    "1795640586 52:54:00:12:34:56 192.0.2.20 host1 01:52:54:00:12:34:56\n"
    "0 52:54:00:aa:bb:cc 192.0.2.30 * *\n"
    "1795640000 06-00:1b:21:aa:bb:0c 192.0.2.31 tr *\n"
    "1795640586 18- 192.0.2.40 * 1b:00:11:22:33:44:55:66:77\n"
    "duid 00:01:00:01:2d:5a:1c:3b:52:54:00:00:00:01\n"
    "1795640586 1234567 2001:db8::10 host6 00:01:00:01:2d:5a:1c:3b:52:54:"
    "00:00:00:02\n"
    "1795640586 T89 2001:db8::11 * 00:01:00:01:2d:5a:1c:3b:52:54:00:00:"
    "00:03\n";

static void
parse_dnsmasq_file(void **state)
{
	struct lease_table *t = lease_table_new();
	struct clock_now n = now0();
	struct lease *l;
	char out[LEASE_LINE_MAX];

	(void)state;
	assert_int_equal(lease_parse_file(t, dnsmasq_file,
	    strlen(dnsmasq_file), &n, YEARS10, 0), 4);
	/* written back newest first: dnsmasq reverses the order on each
	 * restart, since it pushes every lease read to its list's head */
	l = lease_last(t);
	lease_format(l, &n, out, sizeof(out));
	assert_string_equal(out,
	    "1795640586 18- 192.0.2.40 * 1b:00:11:22:33:44:55:66:77");
	l = lease_first(t);
	lease_format(l, &n, out, sizeof(out));
	assert_string_equal(out, "1795640586 52:54:00:12:34:56 192.0.2.20 "
	    "host1 01:52:54:00:12:34:56");
	assert_non_null(lease_find_by_name(t, "tr"));
	table_check(t);
	lease_table_free(t);
}

struct file_row {
	const char *row, *text;
	int added;
	const char *present;	/* an address that must be there, or NULL */
	const char *absent;
};

static const struct file_row file_rows[] = {
	{ "empty file", "", 0, NULL, NULL },
	{ "blank lines only", "\n\n \n", 0, NULL, NULL },
	{ "no final newline", "0 52:54:00:aa:bb:cc 192.0.2.30 * *", 1,
	  "192.0.2.30", NULL },
	{ "truncated in the client id keeps what parses",
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *\n"
	  "0 52:54:00:aa:bb:cd 192.0.2.31 h 01:52:5", 2, "192.0.2.31", NULL },
	{ "truncated after 4 fields: warning, rest kept",
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *\n"
	  "0 52:54:00:aa:bb:cd 192.0.2.31 h", 1, "192.0.2.30", "192.0.2.31" },
	{ "truncated after 1 field: not clean, rest kept",
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *\n17956", 1, "192.0.2.30", NULL },
	{ "expired entries dropped",
	  "100 52:54:00:aa:bb:cc 192.0.2.30 * *\n"
	  "0 52:54:00:aa:bb:cd 192.0.2.31 * *\n", 1, "192.0.2.31",
	  "192.0.2.30" },
	{ "later entry for an address wins",
	  "0 52:54:00:aa:bb:cc 192.0.2.30 a *\n"
	  "0 52:54:00:aa:bb:cd 192.0.2.30 b *\n", 2, "192.0.2.30", NULL },
	{ "expired later entry leaves the earlier",
	  "0 52:54:00:aa:bb:cc 192.0.2.30 a *\n"
	  "5 52:54:00:aa:bb:cd 192.0.2.30 b *\n", 1, "192.0.2.30", NULL },
	{ "bad address skipped",
	  "0 52:54:00:aa:bb:cc 300.0.2.30 * *\n"
	  "0 52:54:00:aa:bb:cd 192.0.2.31 * *\n", 1, "192.0.2.31", NULL },
	{ "fields, not lines: a sixth field starts the next entry",
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * * 0\n"
	  "52:54:00:aa:bb:cd 192.0.2.31 * *\n", 2, "192.0.2.31", NULL },
	{ "bad duid ends the reading",
	  "0 52:54:00:aa:bb:cc 192.0.2.30 * *\nduid zz\n"
	  "0 52:54:00:aa:bb:cd 192.0.2.31 * *\n", 1, "192.0.2.30",
	  "192.0.2.31" },
	{ "NUL bytes inside a field end it (C strings)",
	  "0 52:54:00:aa:bb:cc 192.0.2.30\0junk * *\n", 1, "192.0.2.30",
	  NULL },
};

static void
parse_file_rows(void **state)
{
	struct clock_now n = now0();
	size_t i;

	(void)state;
	n.wall = 1000;
	for (i = 0; i < sizeof(file_rows) / sizeof(file_rows[0]); i++) {
		const struct file_row *r = &file_rows[i];
		struct lease_table *t = lease_table_new();
		size_t len = strlen(r->text);
		int rc;

		if (strstr(r->row, "NUL") != NULL)
			len = sizeof("0 52:54:00:aa:bb:cc 192.0.2.30\0junk "
			    "* *\n") - 1;
		rc = lease_parse_file(t, r->text, len, &n, YEARS10,
		    LEASE_PARSE_QUIET);
		if (rc != r->added)
			fail_msg("row '%s': added %d, want %d", r->row, rc,
			    r->added);
		if (r->present && !lease_find_by_addr(t, ip(r->present)))
			fail_msg("row '%s': %s missing", r->row, r->present);
		if (r->absent && lease_find_by_addr(t, ip(r->absent)))
			fail_msg("row '%s': %s present", r->row, r->absent);
		table_check(t);
		lease_table_free(t);
	}
}

/* A later entry takes the host name from an earlier holder (dnsmasq's
 * lease_set_hostname() without an authoritative name). */
static void
parse_file_name_taken(void **state)
{
	static const char text[] = "0 52:54:00:aa:bb:cc 192.0.2.30 pc *\n"
	    "0 52:54:00:aa:bb:cd 192.0.2.31 PC *\n";
	struct lease_table *t = lease_table_new();
	struct clock_now n = now0();

	(void)state;
	assert_int_equal(lease_parse_file(t, text, strlen(text), &n, YEARS10,
	    LEASE_PARSE_QUIET), 2);
	assert_string_equal(lease_find_by_addr(t, ip("192.0.2.30"))->hostname,
	    "");
	assert_ptr_equal(lease_find_by_name(t, "pc"),
	    lease_find_by_addr(t, ip("192.0.2.31")));
	lease_table_free(t);
}

/* Cut the file at every byte: never a crash, every complete line there. */
static void
parse_file_truncated_everywhere(void **state)
{
	struct clock_now n = now0();
	size_t cut, lines = 0, i;

	(void)state;
	for (cut = 0; cut <= strlen(dnsmasq_file); cut++) {
		struct lease_table *t = lease_table_new();
		int rc = lease_parse_file(t, dnsmasq_file, cut, &n, YEARS10,
		    LEASE_PARSE_QUIET);

		assert_true(rc >= 0);
		for (lines = 0, i = 0; i < cut && lines < 4; i++)
			lines += dnsmasq_file[i] == '\n';
		assert_true((size_t)rc >= lines);
		assert_true(rc <= 4);
		table_check(t);
		lease_table_free(t);
	}
}

/* --- store: basics ------------------------------------------------------- */

struct fx {
	char *dir, *path;
	struct lease_store *s;
	struct lease_table *t;
	struct clock_now now;
};

static void
fx_open(struct fx *f)
{
	int err = 0;

	f->s = lease_store_open(f->path, false, &err);
	assert_non_null(f->s);
	f->t = lease_table_new();
	assert_true(lease_store_load(f->s, f->t, &f->now, YEARS10) >= 0);
}

static void
fx_close(struct fx *f)
{
	lease_store_close(f->s);
	lease_table_free(f->t);
	f->s = NULL;
	f->t = NULL;
}

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = mktmpdir();
	f->path = path_in(f->dir, "leases");
	f->now = now0();
	*state = f;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;

	if (f->s != NULL)
		fx_close(f);
	rmtree(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* Adds lease number i (198.18.x.y) with a MAC and a 1 h expiry, noted. */
static struct lease *
fx_add(struct fx *f, unsigned i)
{
	struct lease *l = lease_add(f->t, ipn(0xc6120000 + i));
	uint8_t hw[6];
	char name[16];

	assert_non_null(l);
	mac6(hw, i);
	assert_int_equal(lease_set_client(f->t, l, 1, hw, 6, NULL, 0), 0);
	if (i % 2) {
		snprintf(name, sizeof(name), "n%u", i);
		lease_set_hostname(l, name);
	}
	lease_set_expiry(l, i % 7 == 0 ? CLOCK_INFINITE_MS :
	    f->now.mono_ms + 3600000);
	lease_store_note(f->s, l, false, &f->now);
	return l;
}

static void
fx_reload_same(struct fx *f)
{
	struct state a, b;

	state_take(&a, f->t, &f->now);
	fx_close(f);
	fx_open(f);
	state_take(&b, f->t, &f->now);
	assert_true(state_eq(&a, &b));
	state_free(&a);
	state_free(&b);
}

static void
store_roundtrip(void **state)
{
	struct fx *f = *state;
	struct lease_store_stats st;
	unsigned i;

	fx_open(f);
	for (i = 0; i < 50; i++)
		fx_add(f, i);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	/* deletion and renewal records */
	lease_store_note(f->s, lease_find_by_addr(f->t, ipn(0xc6120003)), true,
	    &f->now);
	lease_remove(f->t, lease_find_by_addr(f->t, ipn(0xc6120003)));
	lease_set_expiry(lease_find_by_addr(f->t, ipn(0xc6120004)),
	    f->now.mono_ms + 7200000);
	lease_store_note(f->s, lease_find_by_addr(f->t, ipn(0xc6120004)),
	    false, &f->now);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	lease_store_get_stats(f->s, &st);
	assert_true(st.journaled);
	assert_int_equal(st.records, 52);
	/* no maintain: the lease file is still empty, the journal has it */
	fx_reload_same(f);
	assert_int_equal(lease_count(f->t), 49);
}

/* Expiry through the store: removals are journaled, the heap is used. */
static void
store_expire(void **state)
{
	struct fx *f = *state;
	unsigned i;

	fx_open(f);
	for (i = 1; i <= 20; i++)
		fx_add(f, i);	/* 7 and 14 are infinite, the rest 1 h */
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	assert_int_equal(lease_next_expiry(f->t), f->now.mono_ms + 3600000);
	assert_int_equal(lease_store_expire(f->s, f->t, &f->now), 0);
	tick(&f->now, 3600);
	assert_int_equal(lease_store_expire(f->s, f->t, &f->now), 18);
	assert_true(lease_next_expiry(f->t) == CLOCK_INFINITE_MS);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	fx_reload_same(f);
	assert_int_equal(lease_count(f->t), 2);
}

/* The lease file after maintain is dnsmasq's, newest lease first. */
static void
store_writes_dnsmasq_file(void **state)
{
	struct fx *f = *state;
	size_t n;
	char *text;

	fx_open(f);
	add_full(f->t, "192.0.2.20", "52:54:00:12:34:56",
	    "01:52:54:00:12:34:56", "host1", f->now.mono_ms + 7200000);
	add_full(f->t, "192.0.2.30", "52:54:00:aa:bb:cc", NULL, NULL,
	    CLOCK_INFINITE_MS);
	lease_store_note(f->s, lease_first(f->t), false, &f->now);
	lease_store_note(f->s, lease_last(f->t), false, &f->now);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, false), 0);
	text = (char *)read_file(f->path, &n);
	assert_string_equal(text, "0 52:54:00:aa:bb:cc 192.0.2.30 * *\n"
	    "1795640586 52:54:00:12:34:56 192.0.2.20 host1 "
	    "01:52:54:00:12:34:56\n");
	free(text);
	/* up to 1000 leases: every changing turn, as dnsmasq */
	lease_set_hostname(lease_first(f->t), "host9");
	lease_store_note(f->s, lease_first(f->t), false, &f->now);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, false), 0);
	text = (char *)read_file(f->path, &n);
	assert_non_null(strstr(text, "host9"));
	free(text);
	assert_true(lease_store_next_due(f->s) == CLOCK_INFINITE_MS);
	fx_reload_same(f);
}

/* Past 1000 leases the file is rewritten at most once a second. */
static void
store_rate_limits_large_file(void **state)
{
	struct fx *f = *state;
	char ip[32], mac[32], *text;
	size_t n;
	unsigned i;

	fx_open(f);
	for (i = 0; i < 1001; i++) {
		snprintf(ip, sizeof(ip), "198.18.%u.%u", i / 250, i % 250 + 1);
		snprintf(mac, sizeof(mac), "52:54:00:00:%02x:%02x", i >> 8,
		    i & 0xff);
		add_full(f->t, ip, mac, NULL, NULL, f->now.mono_ms + 3600000);
		lease_store_note(f->s, lease_last(f->t), false, &f->now);
	}
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, false), 0);
	lease_set_hostname(lease_first(f->t), "host9");
	lease_store_note(f->s, lease_first(f->t), false, &f->now);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, false), 0);
	text = (char *)read_file(f->path, &n);
	assert_null(strstr(text, "host9"));
	free(text);
	assert_true(lease_store_next_due(f->s) <= f->now.mono_ms + 1000);
	tick(&f->now, 1);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, false), 0);
	text = (char *)read_file(f->path, &n);
	assert_non_null(strstr(text, "host9"));
	free(text);
}

/* A file dnsmasq wrote (no journals yet) is loaded, then journals take
 * over and the file is rewritten in dnsmasq's format. */
static void
store_loads_dnsmasq_file(void **state)
{
	struct fx *f = *state;
	struct lease_store_stats st;
	char *text, *j0;
	size_t n;

	write_file(f->path, dnsmasq_file, strlen(dnsmasq_file));
	fx_open(f);
	lease_store_get_stats(f->s, &st);
	assert_true(st.loaded_from_file);
	assert_int_equal(st.compactions, 1);
	assert_int_equal(lease_count(f->t), 4);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, true), 0);
	text = (char *)read_file(f->path, &n);
	assert_string_equal(text,
	    "1795640586 18- 192.0.2.40 * 1b:00:11:22:33:44:55:66:77\n"
	    "1795640000 06-00:1b:21:aa:bb:0c 192.0.2.31 tr *\n"
	    "0 52:54:00:aa:bb:cc 192.0.2.30 * *\n"
	    "1795640586 52:54:00:12:34:56 192.0.2.20 host1 "
	    "01:52:54:00:12:34:56\n");
	free(text);
	j0 = path_in(f->dir, "leases.j0");
	assert_int_equal(access(j0, F_OK), 0);
	free(j0);
	fx_close(f);
	fx_open(f);
	lease_store_get_stats(f->s, &st);
	assert_false(st.loaded_from_file);
	assert_int_equal(lease_count(f->t), 4);
}

/* Someone changed the lease file while we were stopped: it wins. */
static void
store_external_change(void **state)
{
	struct fx *f = *state;
	struct lease_store_stats st;
	unsigned i;

	fx_open(f);
	for (i = 0; i < 10; i++)
		fx_add(f, i);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, true), 0);
	fx_close(f);
	/* unchanged: the journal is used */
	fx_open(f);
	lease_store_get_stats(f->s, &st);
	assert_false(st.loaded_from_file);
	assert_int_equal(lease_count(f->t), 10);
	/* a change after the last rewrite lives in the journal only */
	fx_add(f, 10);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	fx_close(f);
	fx_open(f);
	assert_int_equal(lease_count(f->t), 11);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, true), 0);
	fx_close(f);
	/* deleted by the administrator to clear the leases */
	assert_int_equal(unlink(f->path), 0);
	fx_open(f);
	lease_store_get_stats(f->s, &st);
	assert_true(st.loaded_from_file);
	assert_int_equal(lease_count(f->t), 0);
	fx_close(f);
	fx_open(f);
	assert_int_equal(lease_count(f->t), 0);
	/* edited: one line */
	fx_close(f);
	write_file(f->path, "0 52:54:00:aa:bb:cc 192.0.2.30 * *\n", 35);
	fx_open(f);
	assert_int_equal(lease_count(f->t), 1);
	assert_non_null(lease_find_by_addr(f->t, ip("192.0.2.30")));
}

static void
store_leasefile_ro(void **state)
{
	struct fx *f = *state;
	struct lease_table *t = lease_table_new();
	struct lease *l;
	struct stat st;
	int err = 0;
	struct lease_store *s = lease_store_open(f->path, true, &err);

	assert_non_null(s);
	assert_int_equal(lease_store_load(s, t, &f->now, YEARS10), 0);
	l = lease_add(t, ip("192.0.2.1"));
	lease_store_note(s, l, false, &f->now);
	assert_int_equal(lease_store_sync(s, t, &f->now), 0);
	assert_true(lease_store_is_durable(s, l));
	assert_int_equal(lease_store_maintain(s, t, &f->now, true), 0);
	assert_true(lease_store_next_due(s) == CLOCK_INFINITE_MS);
	assert_int_equal(stat(f->path, &st), -1);
	lease_store_close(s);
	lease_table_free(t);
}

/* Journals that cannot be created: every sync rewrites the lease file. */
static void
store_without_journals(void **state)
{
	struct fx *f = *state;
	struct lease_store_stats st;
	char *j1 = path_in(f->dir, "leases.j1"), *text;
	struct lease *l;
	size_t n;

	assert_int_equal(mkdir(j1, 0755), 0);
	fx_open(f);
	lease_store_get_stats(f->s, &st);
	assert_false(st.journaled);
	l = fx_add(f, 1);
	assert_false(lease_store_is_durable(f->s, l));
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	assert_true(lease_store_is_durable(f->s, l));
	text = (char *)read_file(f->path, &n);
	assert_non_null(strstr(text, "198.18.0.1 n1 *\n"));
	free(text);
	fx_reload_same(f);
	free(j1);
}

/* Compaction when the journal has more than max(1000, 2 x leases)
 * appended records. */
static void
store_compacts(void **state)
{
	struct fx *f = *state;
	struct lease_store_stats st;
	struct stat js;
	char *j;
	unsigned i, k;

	fx_open(f);
	for (i = 0; i < 20; i++)
		fx_add(f, i);
	for (k = 0; k < 1100; k++) {
		struct lease *l = lease_find_by_addr(f->t,
		    ipn(0xc6120000 + k % 20));

		lease_set_expiry(l, f->now.mono_ms + 3600000 + k);
		lease_store_note(f->s, l, false, &f->now);
		if (k % 10 == 0)
			assert_int_equal(lease_store_sync(f->s, f->t,
			    &f->now), 0);
	}
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	lease_store_get_stats(f->s, &st);
	assert_int_equal(st.compactions, 1);		/* at load */
	assert_true(lease_store_next_due(f->s) <= f->now.mono_ms);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, false), 0);
	lease_store_get_stats(f->s, &st);
	assert_int_equal(st.compactions, 2);
	assert_true(st.file_writes >= 1);
	/* the active journal is small again (the other keeps the old state
	 * until the next compaction) */
	j = path_in(f->dir, "leases.j1");
	assert_int_equal(stat(j, &js), 0);
	assert_true(js.st_size < 4096);
	free(j);
	fx_reload_same(f);
}

/* --- store: crashes at every byte ---------------------------------------- */

enum op_kind { OP_WRITE, OP_TRUNC };

struct op {
	enum op_kind kind;
	int file;		/* 0 lease file, 1 j0, 2 j1 */
	off_t off;		/* write offset, or truncation length */
	size_t len;
	uint8_t *data;
	int lo, hi;		/* acceptable states if the crash is here */
};

struct recorder {
	char *paths[3];
	bool on;
	struct op *ops;
	size_t n, cap;
	int lo, hi;
};

static int
rec_file(struct recorder *r, int fd)
{
	struct stat a, b;
	int i;

	assert_int_equal(fstat(fd, &a), 0);
	for (i = 0; i < 3; i++)
		if (stat(r->paths[i], &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			return i;
	fail_msg("write to an unknown file");
	return -1;
}

static struct op *
rec_op(struct recorder *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->ops = realloc(r->ops, r->cap * sizeof(*r->ops));
	}
	memset(&r->ops[r->n], 0, sizeof(r->ops[0]));
	r->ops[r->n].lo = r->lo;
	r->ops[r->n].hi = r->hi;
	return &r->ops[r->n++];
}

static ssize_t
rec_pwrite(void *ctx, int fd, const void *b, size_t n, off_t off)
{
	struct recorder *r = ctx;
	ssize_t w = pwrite(fd, b, n, off);
	struct op *o;

	if (w > 0 && r->on) {
		o = rec_op(r);
		o->kind = OP_WRITE;
		o->file = rec_file(r, fd);
		o->off = off;
		o->len = (size_t)w;
		o->data = malloc((size_t)w);
		memcpy(o->data, b, (size_t)w);
	}
	return w;
}

static int
rec_ftruncate(void *ctx, int fd, off_t len)
{
	struct recorder *r = ctx;
	int rc = ftruncate(fd, len);
	struct op *o;

	if (rc == 0 && r->on) {
		o = rec_op(r);
		o->kind = OP_TRUNC;
		o->file = rec_file(r, fd);
		o->off = len;
	}
	return rc;
}

static int
rec_fdatasync(void *ctx, int fd)
{
	(void)ctx;
	(void)fd;
	return 0;		/* a kill -9 keeps the page cache */
}

/* Writes and truncations that only pretend (checking loads). */
static ssize_t
nop_pwrite(void *ctx, int fd, const void *b, size_t n, off_t off)
{
	(void)ctx;
	(void)fd;
	(void)b;
	(void)off;
	return (ssize_t)n;
}

static int
nop_ftruncate(void *ctx, int fd, off_t len)
{
	(void)ctx;
	(void)fd;
	(void)len;
	return 0;
}

struct image {
	uint8_t *b;
	size_t len, cap;
};

static void
img_resize(struct image *im, size_t len)
{
	if (len > im->cap) {
		im->cap = len * 2 + 64;
		im->b = realloc(im->b, im->cap);
	}
	if (len > im->len)
		memset(im->b + im->len, 0, len - im->len);
	im->len = len;
}

static void
img_apply(struct image *im, const struct op *o, size_t upto, int garbage)
{
	size_t i;

	if (o->kind == OP_TRUNC) {
		img_resize(im, (size_t)o->off);
		return;
	}
	if (upto == 0)
		return;
	if ((size_t)o->off + upto > im->len)
		img_resize(im, (size_t)o->off + upto);
	for (i = 0; i < upto; i++)
		im->b[o->off + i] = garbage == 0 ? o->data[i] :
		    garbage == 1 ? 0 : (uint8_t)(o->data[i] ^ (i * 37 + 1));
}

struct crash_fx {
	struct recorder rec;
	struct image init[3];
	struct state *states;
	int nstates;
	char *vdir, *vpath[3];
	unsigned checks;
};

/* Loads the images as a restarted daemon would and checks the state. */
static void
crash_check(struct crash_fx *c, struct image im[3], int lo, int hi,
    const struct clock_now *now, const char *where)
{
	struct lease_store_io nop = { .pwrite = nop_pwrite,
	    .fdatasync = rec_fdatasync, .ftruncate = nop_ftruncate };
	struct lease_table *t = lease_table_new();
	struct lease_store *s;
	struct state got;
	char why[2048];
	int err = 0, i;

	for (i = 0; i < 3; i++)
		write_file(c->vpath[i], im[i].b ? (const void *)im[i].b : "",
		    im[i].len);
	s = lease_store_open(c->vpath[0], false, &err);
	assert_non_null(s);
	lease_store_set_io(s, &nop);
	assert_true(lease_store_load(s, t, now, YEARS10) >= 0);
	state_take(&got, t, now);
	if (!state_between(&got, &c->states[lo], &c->states[hi], why,
	    sizeof(why)))
		fail_msg("crash %s (states %d..%d): %s", where, lo, hi, why);
	c->checks++;
	state_free(&got);
	lease_store_close(s);
	lease_table_free(t);
}

static void
crash_replay_all(struct crash_fx *c, const struct clock_now *now,
    int garbage)
{
	struct image im[3];
	size_t i, k, step;
	char where[128];
	int j;

	memset(im, 0, sizeof(im));
	for (j = 0; j < 3; j++) {
		img_resize(&im[j], c->init[j].len);
		if (c->init[j].len)
			memcpy(im[j].b, c->init[j].b, c->init[j].len);
	}
	for (i = 0; i < c->rec.n; i++) {
		const struct op *o = &c->rec.ops[i];
		struct image save = im[o->file];

		/* the crash hits during op i, after k of its bytes */
		step = garbage ? (o->len / 7 + 1) : 1;
		for (k = 0; o->kind == OP_WRITE && k < o->len; k += step) {
			struct image tmp = { malloc(save.cap + o->len + 64),
			    save.len, save.cap + o->len + 64 };

			if (save.len > 0)
				memcpy(tmp.b, save.b, save.len);
			if (garbage)
				img_apply(&tmp, o, o->len, garbage);
			img_apply(&tmp, o, k, 0);
			im[o->file] = tmp;
			snprintf(where, sizeof(where), "op %zu (file %d, "
			    "off %lld) byte %zu/%zu garbage %d", i, o->file,
			    (long long)o->off, k, o->len, garbage);
			crash_check(c, im, o->lo, o->hi, now, where);
			free(tmp.b);
			im[o->file] = save;
		}
		img_apply(&im[o->file], o, o->len, 0);
		snprintf(where, sizeof(where), "after op %zu", i);
		crash_check(c, im, o->lo, o->hi, now, where);
	}
	for (j = 0; j < 3; j++)
		free(im[j].b);
}

/* One step of work: change some leases, sync; the new state is kept. */
static void
crash_step(struct fx *f, struct crash_fx *c, unsigned step)
{
	unsigned i;

	c->rec.lo = c->nstates - 1;
	c->rec.hi = c->nstates;
	for (i = 0; i < 3; i++) {
		unsigned a = (step * 5 + i * 11) % 40;
		struct lease *l = lease_find_by_addr(f->t, ipn(0xc6120000 + a));

		if (l == NULL) {
			fx_add(f, a);
		} else if ((step + i) % 3 == 0) {
			lease_store_note(f->s, l, true, &f->now);
			lease_remove(f->t, l);
		} else if ((step + i) % 3 == 1) {
			uint8_t hw[6];

			mac6(hw, a + 1000 * step);
			lease_set_client(f->t, l, 1, hw, 6, hw, 6);
			lease_store_note(f->s, l, false, &f->now);
		} else {
			lease_set_expiry(l, f->now.mono_ms +
			    60000 * (step + 1));
			lease_store_note(f->s, l, false, &f->now);
		}
	}
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	c->states = realloc(c->states, (size_t)(c->nstates + 1) *
	    sizeof(*c->states));
	state_take(&c->states[c->nstates++], f->t, &f->now);
	/* maintenance changes no lease */
	c->rec.lo = c->rec.hi = c->nstates - 1;
	tick(&f->now, 1);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, false), 0);
}

static void
crash_during_everything(void **state)
{
	struct fx *f = *state;
	struct crash_fx c;
	struct lease_store_io io = { .pwrite = rec_pwrite,
	    .fdatasync = rec_fdatasync, .ftruncate = rec_ftruncate,
	    .compact_min = 100 };
	struct lease_store_stats st;
	unsigned i, k, before;
	int j;

	memset(&c, 0, sizeof(c));
	c.rec.paths[0] = f->path;
	c.rec.paths[1] = path_in(f->dir, "leases.j0");
	c.rec.paths[2] = path_in(f->dir, "leases.j1");
	c.vdir = path_in(f->dir, "v");
	assert_int_equal(mkdir(c.vdir, 0755), 0);
	c.vpath[0] = path_in(c.vdir, "leases");
	c.vpath[1] = path_in(c.vdir, "leases.j0");
	c.vpath[2] = path_in(c.vdir, "leases.j1");
	io.ctx = &c.rec;

	/* untraced: 30 leases and 86 appended records (compaction after
	 * 100 here) */
	fx_open(f);
	lease_store_set_io(f->s, &io);
	for (i = 0; i < 30; i++)
		fx_add(f, i);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	for (k = 0; k < 55; k++) {
		struct lease *l = lease_find_by_addr(f->t,
		    ipn(0xc6120000 + k % 30));

		lease_set_expiry(l, f->now.mono_ms + 3600000 + k * 1000);
		lease_store_note(f->s, l, false, &f->now);
		if (k % 10 == 0)
			assert_int_equal(lease_store_sync(f->s, f->t,
			    &f->now), 0);
	}
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, true), 0);
	lease_store_get_stats(f->s, &st);
	assert_int_equal(st.compactions, 1);		/* at load */
	before = (unsigned)st.compactions;

	/* traced from here: the files as they are now, then every write */
	for (j = 0; j < 3; j++)
		c.init[j].b = read_file(c.rec.paths[j], &c.init[j].len);
	c.states = calloc(1, sizeof(*c.states));
	state_take(&c.states[0], f->t, &f->now);
	c.nstates = 1;
	c.rec.on = true;
	for (i = 0; i < 14; i++)
		crash_step(f, &c, i);
	lease_store_get_stats(f->s, &st);
	assert_true(st.compactions > before);	/* compaction covered */
	c.rec.lo = c.rec.hi = c.nstates - 1;
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, true), 0);
	c.rec.on = false;

	crash_replay_all(&c, &f->now, 0);
	crash_replay_all(&c, &f->now, 1);	/* unsynced bytes lost */
	crash_replay_all(&c, &f->now, 2);	/* unsynced bytes garbled */
	printf("# %u crash points checked over %zu writes, %u compactions\n",
	    c.checks, c.rec.n, (unsigned)(st.compactions - before));

	for (i = 0; i < c.rec.n; i++)
		free(c.rec.ops[i].data);
	free(c.rec.ops);
	for (j = 0; j < c.nstates; j++)
		state_free(&c.states[j]);
	free(c.states);
	for (j = 0; j < 3; j++) {
		free(c.init[j].b);
		free(c.vpath[j]);
	}
	free(c.rec.paths[1]);
	free(c.rec.paths[2]);
	free(c.vdir);
}

/* --- store: write failures ----------------------------------------------- */

struct fault {
	int err;		/* errno to fail with, 0: none */
	size_t partial;		/* bytes written before failing */
	bool sync_fails;
	unsigned writes;
};

static ssize_t
fault_pwrite(void *ctx, int fd, const void *b, size_t n, off_t off)
{
	struct fault *ft = ctx;

	ft->writes++;
	if (ft->err == 0 || ft->sync_fails)
		return pwrite(fd, b, n, off);
	if (ft->partial > 0 && ft->partial < n) {
		ssize_t w = pwrite(fd, b, ft->partial, off);

		ft->partial = 0;
		return w;
	}
	errno = ft->err;
	return -1;
}

static int
fault_fdatasync(void *ctx, int fd)
{
	struct fault *ft = ctx;

	if (ft->sync_fails) {
		errno = EIO;
		return -1;
	}
	return fdatasync(fd);
}

static void
store_full_disk(void **state)
{
	struct fx *f = *state;
	struct fault ft = { 0 };
	struct lease_store_io io = { .pwrite = fault_pwrite,
	    .fdatasync = fault_fdatasync, .ctx = &ft };
	struct lease *old, *new;
	unsigned w;

	fx_open(f);
	lease_store_set_io(f->s, &io);
	old = fx_add(f, 1);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	assert_true(lease_store_is_durable(f->s, old));

	ft.err = ENOSPC;
	ft.partial = 20;
	new = fx_add(f, 2);
	lease_set_expiry(old, f->now.mono_ms + 7200000);
	lease_store_note(f->s, old, false, &f->now);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), -ENOSPC);
	/* the renewal may be ACKed (the binding is on disk), the new lease
	 * not */
	assert_true(lease_store_is_durable(f->s, old));
	assert_false(lease_store_is_durable(f->s, new));
	/* a client that moves to another lease is not durable either */
	/* no new attempt within a second */
	w = ft.writes;
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), -ENOSPC);
	assert_int_equal(ft.writes, w);
	assert_true(lease_store_next_due(f->s) == f->now.mono_ms + 1000);
	tick(&f->now, 1);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), -ENOSPC);
	assert_true(ft.writes > w);
	/* the disk has room again: the same records are written again at
	 * the same offset, over the partial write */
	ft.err = 0;
	tick(&f->now, 1);
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, false), 0);
	assert_true(lease_store_is_durable(f->s, new));
	fx_reload_same(f);
	assert_int_equal(lease_count(f->t), 2);
}

static void
store_fdatasync_eio(void **state)
{
	struct fx *f = *state;
	struct fault ft = { 0 };
	struct lease_store_io io = { .pwrite = fault_pwrite,
	    .fdatasync = fault_fdatasync, .ctx = &ft };
	struct lease *l;

	fx_open(f);
	lease_store_set_io(f->s, &io);
	ft.err = EIO;
	ft.sync_fails = true;
	l = fx_add(f, 5);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), -EIO);
	assert_false(lease_store_is_durable(f->s, l));
	ft.err = 0;
	ft.sync_fails = false;
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, true), 0);
	assert_true(lease_store_is_durable(f->s, l));
	fx_reload_same(f);
}

/* More buffered changes than the cap: dropped, and a snapshot is owed. */
static void
store_overflow_then_snapshot(void **state)
{
	struct fx *f = *state;
	struct fault ft = { 0 };
	struct lease_store_io io = { .pwrite = fault_pwrite,
	    .fdatasync = fault_fdatasync, .ctx = &ft };
	struct lease_store_stats st;
	unsigned i;

	fx_open(f);
	lease_store_set_io(f->s, &io);
	ft.err = ENOSPC;
	for (i = 0; i < 30000; i++) {
		fx_add(f, i);
		if (i % 1000 == 0)
			(void)lease_store_sync(f->s, f->t, &f->now);
	}
	lease_store_get_stats(f->s, &st);
	assert_true(st.dropped_records > 0);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), -ENOSPC);
	assert_false(lease_store_is_durable(f->s, lease_last(f->t)));
	ft.err = 0;
	tick(&f->now, 1);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	assert_true(lease_store_is_durable(f->s, lease_last(f->t)));
	fx_reload_same(f);
	assert_int_equal(lease_count(f->t), 30000);
}

/* A failed compaction leaves the active journal in charge. */
static void
store_failed_compaction(void **state)
{
	struct fx *f = *state;
	struct fault ft = { 0 };
	struct lease_store_io io = { .pwrite = fault_pwrite,
	    .fdatasync = fault_fdatasync, .ctx = &ft };
	unsigned k;

	fx_open(f);
	lease_store_set_io(f->s, &io);
	for (k = 0; k < 10; k++)
		fx_add(f, k);
	for (k = 0; k < 1001; k++) {
		struct lease *l = lease_find_by_addr(f->t,
		    ipn(0xc6120000 + k % 10));

		lease_set_expiry(l, f->now.mono_ms + 3600000 + k);
		lease_store_note(f->s, l, false, &f->now);
	}
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	ft.err = ENOSPC;
	ft.partial = 100;	/* half a snapshot */
	assert_int_equal(lease_store_maintain(f->s, f->t, &f->now, false),
	    -ENOSPC);
	ft.err = 0;
	fx_add(f, 77);
	assert_int_equal(lease_store_sync(f->s, f->t, &f->now), 0);
	fx_reload_same(f);
	assert_int_equal(lease_count(f->t), 11);
}

/* A real full file system: a small tmpfs in a private mount namespace
 * (skipped when namespaces are not available). */
static int
tmpfs_child(const char *dir)
{
	struct clock_now now = now0();
	struct lease_table *t = lease_table_new();
	struct lease_store *s;
	char path[512], fill[512];
	struct lease *l;
	int err = 0, fd, rc;
	unsigned i;
	static char junk[4096];

	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", dir, "tmpfs", 0, "size=256k") < 0)
		return 77;
	snprintf(path, sizeof(path), "%s/leases", dir);
	snprintf(fill, sizeof(fill), "%s/fill", dir);
	if ((s = lease_store_open(path, false, &err)) == NULL ||
	    lease_store_load(s, t, &now, YEARS10) < 0)
		return 1;
	/* fill the disk */
	fd = open(fill, O_WRONLY | O_CREAT, 0644);
	while (write(fd, junk, sizeof(junk)) > 0)
		;
	close(fd);
	for (i = 0; i < 200; i++) {
		l = lease_add(t, ipn(0xc6120000 + i));
		lease_set_expiry(l, CLOCK_INFINITE_MS);
		lease_store_note(s, l, false, &now);
	}
	rc = lease_store_sync(s, t, &now);
	if (rc != -ENOSPC || lease_store_is_durable(s, l))
		return 2;
	unlink(fill);
	tick(&now, 2);
	if (lease_store_sync(s, t, &now) != 0 || !lease_store_is_durable(s, l))
		return 3;
	lease_store_close(s);
	lease_table_free(t);
	t = lease_table_new();
	s = lease_store_open(path, false, &err);
	if (lease_store_load(s, t, &now, YEARS10) != 200)
		return 4;
	lease_store_close(s);
	lease_table_free(t);
	return 0;
}

static void
store_real_full_tmpfs(void **state)
{
	struct fx *f = *state;
	char *mnt = path_in(f->dir, "mnt");
	int st;
	pid_t pid;

	assert_int_equal(mkdir(mnt, 0755), 0);
	if ((pid = fork()) == 0) {
		if (unshare(CLONE_NEWNS) < 0 &&
		    unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
			_exit(77);
		_exit(tmpfs_child(mnt));
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	free(mnt);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77) {
		printf("# tmpfs test skipped: no private mount namespace\n");
		skip();
	}
	assert_int_equal(WEXITSTATUS(st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookups_by_every_key),
		cmocka_unit_test(hostname_rules),
		cmocka_unit_test(expiry_heap),
		cmocka_unit_test(table_max),
		cmocka_unit_test(many_adds_removes),
		cmocka_unit_test(timing_100k),
		cmocka_unit_test(format_rows),
		cmocka_unit_test(format_truncates),
		cmocka_unit_test(parse_line_rows),
		cmocka_unit_test(parse_caps_remaining),
		cmocka_unit_test(parse_dnsmasq_file),
		cmocka_unit_test(parse_file_rows),
		cmocka_unit_test(parse_file_name_taken),
		cmocka_unit_test(parse_file_truncated_everywhere),
		cmocka_unit_test_setup_teardown(store_roundtrip, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(store_expire, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(store_rate_limits_large_file,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(store_writes_dnsmasq_file,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(store_loads_dnsmasq_file,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(store_external_change,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(store_leasefile_ro, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(store_without_journals,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(store_compacts, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(crash_during_everything,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(store_full_disk, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(store_fdatasync_eio, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(store_overflow_then_snapshot,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(store_failed_compaction,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(store_real_full_tmpfs,
		    fx_setup, fx_teardown),
	};

	/* TEST_FILTER=crash_* runs a subset */
	if (getenv("TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
