/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_hostsfile.c - hostsfile_read() on arbitrary bytes.
 * Invariants: every entry is IPv4 or IPv6; its name is canonical (at
 * most 1024 bytes of printable ASCII, no capitals); lines of entries and
 * of problems never go down; written back as "ADDR NAME" lines, the
 * entries whose names survive the round trip (no space, not empty, no
 * trailing dot) read back to the same addresses and names.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostsfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hostsfile *
fuzz_parse(const void *data, size_t size)
{
	struct hostsfile *h = NULL;
	FILE *f;

	if (size == 0)
		return NULL;
	if ((f = fmemopen((void *)(uintptr_t)data, size, "r")) == NULL)
		abort();
	if (hostsfile_read(f, &h) < 0)
		abort();
	fclose(f);
	return h;
}

static bool
fuzz_name_ok(const char *name)
{
	const char *p;

	if (strlen(name) > HOSTSFILE_TOKEN_MAX)
		return false;
	for (p = name; *p; p++)
		if (*p < 0x20 || *p > 0x7e || (*p >= 'A' && *p <= 'Z'))
			return false;
	return true;
}

static bool
fuzz_round_trips(const char *name)
{
	size_t len = strlen(name);

	return len > 0 && name[len - 1] != '.' && strchr(name, ' ') == NULL;
}

static void
fuzz_check(const struct hostsfile *h)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < h->n; i++) {
		const struct hostsfile_entry *e = &h->entries[i];

		if ((e->family != AF_INET && e->family != AF_INET6) ||
		    !fuzz_name_ok(e->name) || e->line < line)
			abort();
		line = e->line;
	}
	for (line = 1, i = 0; i < h->n_diags; i++) {
		if (h->diags[i].line < line)
			abort();
		line = h->diags[i].line;
	}
	if (hostsfile_names(h, NULL, NULL) != h->n)
		abort();
}

/* Writes the entries that round-trip as lines and reads them again. */
static void
fuzz_again(const struct hostsfile *h)
{
	char *buf = NULL, a[INET6_ADDRSTRLEN];
	size_t len = 0, i, k = 0;
	struct hostsfile *g;
	FILE *out = open_memstream(&buf, &len);

	if (out == NULL)
		abort();
	for (i = 0; i < h->n; i++)
		if (fuzz_round_trips(h->entries[i].name)) {
			inet_ntop(h->entries[i].family, &h->entries[i].addr,
			    a, sizeof(a));
			fprintf(out, "%s %s\n", a, h->entries[i].name);
		}
	fclose(out);
	g = fuzz_parse(buf, len);
	for (i = 0; i < h->n; i++) {
		const struct hostsfile_entry *e = &h->entries[i];

		if (!fuzz_round_trips(e->name))
			continue;
		if (g == NULL || k >= g->n || g->entries[k].family !=
		    e->family || strcmp(g->entries[k].name, e->name) != 0 ||
		    memcmp(&g->entries[k].addr, &e->addr, e->family ==
		    AF_INET ? 4 : 16) != 0)
			abort();
		k++;
	}
	if (g != NULL && (k != g->n || g->n_diags != 0))
		abort();
	hostsfile_free(g);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostsfile *h = fuzz_parse(data, size);

	if (h == NULL)
		return 0;
	fuzz_check(h);
	fuzz_again(h);
	hostsfile_free(h);
	return 0;
}
