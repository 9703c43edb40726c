/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver.c - load for the kill -9 test of the lease store (test.sh).
 *
 *   driver run FILE    loads FILE, then works until killed: each turn adds
 *                      1..40 leases, renews one, removes the oldest when
 *                      there are more than 500, syncs once, and only then
 *                      prints what is now durable:
 *                          ADD ADDR MAC     (a lease that must survive)
 *                          DEL ADDR         (a removal that must survive)
 *                      "INTENT-DEL ADDR" is printed before the sync of a
 *                      removal (killed in between: either outcome is fine).
 *                      Then lease_store_maintain() as the daemon's loop
 *                      would (compactions, lease file rewrites).  Every
 *                      100 turns: "STAT COMPACTIONS FILE_WRITES".
 *   driver dump FILE   loads FILE and prints "LEASE ADDR MAC" for each.
 *   driver finish FILE loads FILE, rewrites it (as on exit), prints the
 *                      number of leases.
 *   driver parse FILE  reads FILE as a dnsmasq lease file (no store) and
 *                      prints it as the store would write it back.
 * Addresses are 198.18.0.0/15 (a benchmarking range, only data here);
 * the MAC is derived from the address.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "lease.h"

#define DRV_BASE 0xc6120000u
#define DRV_MAX_LIVE 500
#define DRV_MAX_REMAINING (7u * 86400)

static void
drv_mac(uint8_t *m, uint32_t a)
{
	m[0] = 0x52;
	m[1] = 0x54;
	m[2] = 0x00;
	m[3] = (uint8_t)(a >> 16);
	m[4] = (uint8_t)(a >> 8);
	m[5] = (uint8_t)a;
}

/* Appends one line to the output buffer. */
static void
drv_line(char *out, size_t *len, size_t cap, const char *what,
    const struct lease *l)
{
	char a[INET_ADDRSTRLEN];
	int n;

	inet_ntop(AF_INET, &l->addr, a, sizeof(a));
	if (strcmp(what, "DEL") == 0 || strcmp(what, "INTENT-DEL") == 0)
		n = snprintf(out + *len, cap - *len, "%s %s\n", what, a);
	else
		n = snprintf(out + *len, cap - *len,
		    "%s %s %02x:%02x:%02x:%02x:%02x:%02x\n", what, a,
		    l->hwaddr[0], l->hwaddr[1], l->hwaddr[2], l->hwaddr[3],
		    l->hwaddr[4], l->hwaddr[5]);
	if (n > 0 && (size_t)n < cap - *len)
		*len += (size_t)n;
}

/* One write(2) per batch of lines. */
static void
drv_flush(const char *out, size_t len)
{
	while (len > 0) {
		ssize_t w = write(1, out, len);

		if (w <= 0)
			exit(2);
		out += w;
		len -= (size_t)w;
	}
}

static struct lease_store *
drv_open(const char *path, struct lease_table **t, struct clock_now *now)
{
	struct lease_store *s;
	int err = 0, n;

	if ((s = lease_store_open(path, false, &err)) == NULL) {
		fprintf(stderr, "driver: cannot open %s: %s\n", path,
		    strerror(-err));
		exit(1);
	}
	*t = lease_table_new();
	clock_read(now);
	if ((n = lease_store_load(s, *t, now, DRV_MAX_REMAINING)) < 0) {
		fprintf(stderr, "driver: load: %s\n", strerror(-n));
		exit(1);
	}
	return s;
}

static uint32_t
drv_next_addr(struct lease_table *t)
{
	uint32_t next = DRV_BASE;
	struct lease *l;

	for (l = lease_first(t); l != NULL; l = lease_next(l))
		if (ntohl(l->addr.s_addr) >= next)
			next = ntohl(l->addr.s_addr) + 1;
	return next;
}

static struct lease *
drv_add(struct lease_store *s, struct lease_table *t, uint32_t a,
    const struct clock_now *now)
{
	struct in_addr ia = { htonl(a) };
	struct lease *l = lease_add(t, ia);
	uint8_t hw[6], cl[7];

	if (l == NULL)
		exit(3);
	drv_mac(hw, a);
	cl[0] = 1;
	memcpy(cl + 1, hw, 6);
	lease_set_client(t, l, 1, hw, 6, cl, a % 2 ? 7 : 0);
	lease_set_expiry(l, now->mono_ms + 86400000);
	lease_store_note(s, l, false, now);
	return l;
}

/* Removes the oldest leases beyond the cap; prints the intents. */
static unsigned
drv_trim(struct lease_store *s, struct lease_table *t, struct in_addr *del,
    unsigned max, const struct clock_now *now, char *out, size_t *len,
    size_t cap)
{
	unsigned n = 0;
	struct lease *l;

	while (lease_count(t) > DRV_MAX_LIVE && n < max &&
	    (l = lease_first(t)) != NULL) {
		drv_line(out, len, cap, "INTENT-DEL", l);
		del[n++] = l->addr;
		lease_store_note(s, l, true, now);
		lease_remove(t, l);
	}
	return n;
}

static void
drv_run(const char *path)
{
	static char out[65536];
	struct lease *added[40];
	struct in_addr del[48];
	struct lease_table *t;
	struct clock_now now;
	struct lease_store *s = drv_open(path, &t, &now);
	uint32_t next = drv_next_addr(t);
	unsigned seed = (unsigned)getpid(), i, n, nd;
	unsigned long turns = 0;
	size_t len;

	for (;;) {
		clock_read(&now);
		len = 0;
		seed = seed * 1103515245 + 12345;
		n = 1 + (seed >> 16) % 40;
		for (i = 0; i < n; i++)
			added[i] = drv_add(s, t, next++, &now);
		/* renew one old lease */
		if (lease_first(t) != NULL) {
			lease_set_expiry(lease_first(t), now.mono_ms +
			    86400000 + (seed & 0xffff));
			lease_store_note(s, lease_first(t), false, &now);
		}
		nd = drv_trim(s, t, del, 48, &now, out, &len, sizeof(out));
		drv_flush(out, len);
		len = 0;
		if (lease_store_sync(s, t, &now) != 0)
			exit(4);
		for (i = 0; i < n; i++)
			drv_line(out, &len, sizeof(out), "ADD", added[i]);
		for (i = 0; i < nd; i++) {
			struct lease tmp;

			memset(&tmp, 0, sizeof(tmp));
			tmp.addr = del[i];
			drv_line(out, &len, sizeof(out), "DEL", &tmp);
		}
		if (++turns % 100 == 0) {
			struct lease_store_stats st;
			int k;

			lease_store_get_stats(s, &st);
			k = snprintf(out + len, sizeof(out) - len,
			    "STAT %lu %lu\n", st.compactions, st.file_writes);
			if (k > 0 && (size_t)k < sizeof(out) - len)
				len += (size_t)k;
		}
		drv_flush(out, len);
		if (lease_store_maintain(s, t, &now, false) != 0)
			exit(5);
	}
}

static void
drv_dump(const char *path, bool finish)
{
	static char out[65536];
	struct lease_table *t;
	struct clock_now now;
	struct lease_store *s = drv_open(path, &t, &now);
	struct lease *l;
	size_t len = 0;

	if (finish) {
		if (lease_store_maintain(s, t, &now, true) != 0)
			exit(5);
		printf("%u\n", lease_count(t));
	} else {
		for (l = lease_first(t); l != NULL; l = lease_next(l)) {
			drv_line(out, &len, sizeof(out), "LEASE", l);
			if (len > sizeof(out) - 128) {
				drv_flush(out, len);
				len = 0;
			}
		}
		drv_flush(out, len);
	}
	lease_store_close(s);
	lease_table_free(t);
}

static void
drv_parse(const char *path)
{
	static char buf[1 << 20], line[LEASE_LINE_MAX];
	struct lease_table *t = lease_table_new();
	struct clock_now now;
	struct lease *l;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		exit(1);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	clock_read(&now);
	if (lease_parse_file(t, buf, n, &now, UINT32_MAX, 0) < 0)
		exit(1);
	for (l = lease_last(t); l != NULL; l = lease_prev(l)) {
		lease_format(l, &now, line, sizeof(line));
		printf("%s\n", line);
	}
	lease_table_free(t);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: driver run|dump|finish|parse FILE\n");
		return 1;
	}
	if (strcmp(argv[1], "run") == 0)
		drv_run(argv[2]);
	else if (strcmp(argv[1], "dump") == 0)
		drv_dump(argv[2], false);
	else if (strcmp(argv[1], "finish") == 0)
		drv_dump(argv[2], true);
	else if (strcmp(argv[1], "parse") == 0)
		drv_parse(argv[2]);
	else
		return 1;
	return 0;
}
