/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_ethers.c - ethers_read() on arbitrary bytes.
 * Invariants: every entry has an address or a name, a name is a legal
 * host name in canonical form, no two entries share a MAC, an address
 * or a name; lines accepted are at least the entries; problem lines
 * never go down and stay within the lines read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsname.h"
#include "ethers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check_entry(const struct ethers *t, size_t i)
{
	const struct ethers_entry *e = &t->entries[i];
	char name[DNSNAME_BUF];
	size_t k;

	if (!e->has_addr && e->name == NULL)
		abort();
	if (e->name != NULL) {
		const char *p;

		if (strlen(e->name) >= sizeof(name))
			abort();
		/* Not re-checked with dnsname_legal_hostname(): like dnsmasq's
		 * legal_hostname() it strips a trailing dot in place, so the
		 * name stored for ". .." is ". ", which a second check refuses
		 * (dnsmasq stores the same; seed ethers/dot-space-name). */
		for (p = e->name; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
	}
	for (k = 0; k < i; k++) {
		const struct ethers_entry *o = &t->entries[k];

		if (memcmp(o->mac, e->mac, ETHERS_MAC_LEN) == 0 ||
		    (o->has_addr && e->has_addr &&
		    o->addr.s_addr == e->addr.s_addr) ||
		    (o->name != NULL && e->name != NULL &&
		    dnsname_equal(o->name, e->name)))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ethers *t = NULL;
	unsigned line = 1;
	size_t i;
	FILE *f;

	if (size == 0)
		return 0;
	if ((f = fmemopen((void *)(uintptr_t)data, size, "r")) == NULL)
		abort();
	if (ethers_read(f, &t) < 0)
		abort();
	fclose(f);
	if (t->count < t->n)
		abort();
	for (i = 0; i < t->n; i++)
		fuzz_check_entry(t, i);
	for (i = 0; i < t->n_diags; i++) {
		if (t->diags[i].line < line || t->diags[i].line > size)
			abort();
		line = t->diags[i].line;
	}
	ethers_free(t);
	return 0;
}
