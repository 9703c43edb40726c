/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_dns_cache.c - the answer cache: hits, expiry, LRU eviction at
 * cache-size, replacement, size 0, clearing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "dns_cache.h"

static const uint8_t pkt1[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
static const uint8_t pkt2[] = { 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9 };

static void
hit_then_expiry(void **state)
{
	struct dns_cache *c = dns_cache_new(10);
	const struct dns_cache_ent *e;
	struct dns_cache_stats st;

	(void)state;
	assert_int_equal(dns_cache_put(c, "a.example", 1, 1, pkt1,
	    sizeof(pkt1), 60, false, 1000), 0);
	e = dns_cache_get(c, "a.example", 1, 1, 30000);
	assert_non_null(e);
	assert_int_equal(e->len, sizeof(pkt1));
	assert_memory_equal(e->pkt, pkt1, sizeof(pkt1));
	assert_int_equal(e->stored_ms, 1000);
	assert_int_equal(e->expires_ms, 61000);
	/* another type, another class: misses */
	assert_null(dns_cache_get(c, "a.example", 28, 1, 30000));
	assert_null(dns_cache_get(c, "a.example", 1, 3, 30000));
	/* expired at 61 s */
	assert_null(dns_cache_get(c, "a.example", 1, 1, 61000));
	dns_cache_get_stats(c, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.expired, 1);
	assert_int_equal(st.size, 0);
	dns_cache_free(c);
}

static void
lru_eviction_at_size(void **state)
{
	struct dns_cache *c = dns_cache_new(3);
	struct dns_cache_stats st;
	char n[16];
	unsigned i;

	(void)state;
	for (i = 0; i < 3; i++) {
		snprintf(n, sizeof(n), "n%u", i);
		dns_cache_put(c, n, 1, 1, pkt1, sizeof(pkt1), 100, false, 0);
	}
	/* n0 used: n1 is now the oldest */
	assert_non_null(dns_cache_get(c, "n0", 1, 1, 10));
	dns_cache_put(c, "n3", 1, 1, pkt1, sizeof(pkt1), 100, false, 20);
	assert_null(dns_cache_get(c, "n1", 1, 1, 30));
	assert_non_null(dns_cache_get(c, "n0", 1, 1, 30));
	assert_non_null(dns_cache_get(c, "n2", 1, 1, 30));
	assert_non_null(dns_cache_get(c, "n3", 1, 1, 30));
	dns_cache_get_stats(c, &st);
	assert_int_equal(st.size, 3);
	assert_int_equal(st.evictions, 1);
	assert_int_equal(st.inserts, 4);
	dns_cache_free(c);
}

static void
replace_same_question(void **state)
{
	struct dns_cache *c = dns_cache_new(5);
	const struct dns_cache_ent *e;
	struct dns_cache_stats st;

	(void)state;
	dns_cache_put(c, "x", 1, 1, pkt1, sizeof(pkt1), 100, false, 0);
	dns_cache_put(c, "x", 1, 1, pkt2, sizeof(pkt2), 5, true, 10);
	e = dns_cache_get(c, "x", 1, 1, 20);
	assert_non_null(e);
	assert_int_equal(e->len, sizeof(pkt2));
	assert_true(e->neg);
	assert_int_equal(e->expires_ms, 5010);
	dns_cache_get_stats(c, &st);
	assert_int_equal(st.size, 1);
	dns_cache_free(c);
}

static void
size_zero_and_ttl_zero_store_nothing(void **state)
{
	struct dns_cache *c = dns_cache_new(0);
	struct dns_cache *c2 = dns_cache_new(4);

	(void)state;
	assert_non_null(c);
	dns_cache_put(c, "x", 1, 1, pkt1, sizeof(pkt1), 100, false, 0);
	assert_null(dns_cache_get(c, "x", 1, 1, 1));
	dns_cache_put(c2, "x", 1, 1, pkt1, sizeof(pkt1), 0, false, 0);
	assert_null(dns_cache_get(c2, "x", 1, 1, 0));
	dns_cache_free(c);
	dns_cache_free(c2);
}

static void
clear_empties(void **state)
{
	struct dns_cache *c = dns_cache_new(100);
	struct dns_cache_stats st;
	char n[16];
	unsigned i;

	(void)state;
	for (i = 0; i < 50; i++) {
		snprintf(n, sizeof(n), "n%u", i);
		dns_cache_put(c, n, 1, 1, pkt1, sizeof(pkt1), 100, false, 0);
	}
	dns_cache_clear(c);
	dns_cache_get_stats(c, &st);
	assert_int_equal(st.size, 0);
	assert_null(dns_cache_get(c, "n7", 1, 1, 1));
	dns_cache_put(c, "n7", 1, 1, pkt1, sizeof(pkt1), 100, false, 0);
	assert_non_null(dns_cache_get(c, "n7", 1, 1, 1));
	dns_cache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hit_then_expiry),
		cmocka_unit_test(lru_eviction_at_size),
		cmocka_unit_test(replace_same_question),
		cmocka_unit_test(size_zero_and_ttl_zero_store_nothing),
		cmocka_unit_test(clear_empties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
