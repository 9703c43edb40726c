/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_lease_file.c - the lease loaders on arbitrary bytes.
 *
 * The first byte chooses the loader: even, the dnsmasq-format lease file
 * (lease_parse_file); odd, a journal image (lease_journal_replay).  The
 * rest is the file.  Invariants, besides not crashing: every lease in the
 * table is found by each of its keys, and its dnsmasq line reads back to
 * the same line (except the one lossy case of the format: hardware type 0
 * with an address reads back as Ethernet, as in dnsmasq).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lease.h"

#define FUZZ_MAX_REMAINING (366u * 86400)

static void
fuzz_check_lease(struct lease_table *t, struct lease *l,
    const struct clock_now *now)
{
	char line[LEASE_LINE_MAX], back[LEASE_LINE_MAX];
	uint8_t cb[LEASE_PARSE_BUF];
	struct lease p;

	if (lease_find_by_addr(t, l->addr) != l)
		abort();
	if (l->clid_len != 0 && lease_find_by_clid(t, l->clid,
	    l->clid_len) == NULL)
		abort();
	if (l->hlen != 0 && lease_find_by_hw_any(t, l->htype, l->hwaddr,
	    l->hlen) == NULL)
		abort();
	if (l->hostname[0] != '\0' && lease_find_by_name(t, l->hostname) != l)
		abort();
	if (lease_format(l, now, line, sizeof(line)) >= sizeof(line) - 1)
		abort();
	memset(&p, 0, sizeof(p));
	if (lease_parse_line(line, now, FUZZ_MAX_REMAINING, &p, cb) != 0)
		abort();
	lease_format(&p, now, back, sizeof(back));
	if (strcmp(line, back) != 0 && !(l->htype == 0 && l->hlen != 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct clock_now now = { .mono_ms = 1000000, .wall = 1795633386 };
	struct lease_table *t;
	struct lease *l;
	unsigned n = 0;
	int rc;

	if (size < 1)
		return 0;
	if ((t = lease_table_new()) == NULL)
		return 0;
	lease_table_set_max(t, 100000);
	if (data[0] & 1)
		rc = lease_journal_replay(t, data + 1, size - 1, &now,
		    FUZZ_MAX_REMAINING);
	else
		rc = lease_parse_file(t, (const char *)data + 1, size - 1,
		    &now, FUZZ_MAX_REMAINING, LEASE_PARSE_QUIET);
	if (rc < 0 && rc != -E2BIG && rc != -ENOMEM)
		abort();
	for (l = lease_first(t); l != NULL; l = lease_next(l), n++)
		fuzz_check_lease(t, l, &now);
	if (n != lease_count(t))
		abort();
	/* the heap gives the earliest expiry */
	for (l = lease_first(t); l != NULL; l = lease_next(l))
		if (l->expires_ms < lease_next_expiry(t))
			abort();
	lease_table_free(t);
	return 0;
}
