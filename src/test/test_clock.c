/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_clock.c - wall/monotonic conversion, including clock jumps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"

#define T2026 1795640586	/* a wall time from reference A.7 */

/* A lease written to disk reads back with the same remaining time. */
static void
roundtrip_keeps_remaining(void **state)
{
	struct clock_now n = { .mono_ms = 5000, .wall = T2026 };
	int64_t exp = n.mono_ms + 3600 * 1000;
	time_t w = clock_mono_to_wall(&n, exp);

	(void)state;
	assert_int_equal(w, T2026 + 3600);
	assert_int_equal(clock_wall_to_mono(&n, w, 86400), exp);
}

/* Infinite leases are 0 on disk, as dnsmasq writes them. */
static void
infinite_is_zero(void **state)
{
	struct clock_now n = { .mono_ms = 1, .wall = T2026 };

	(void)state;
	assert_int_equal(clock_mono_to_wall(&n, CLOCK_INFINITE_MS), 0);
	assert_true(clock_wall_to_mono(&n, 0, 3600) == CLOCK_INFINITE_MS);
}

/* The wall clock steps forward 10 years while running (NTP sync on a
 * router without RTC): the in-memory expiry is untouched and the next
 * write carries the new wall time plus the true remaining time. */
static void
wall_jump_forward_while_running(void **state)
{
	struct clock_now boot = { .mono_ms = 1000, .wall = 86400 };
	struct clock_now later = { .mono_ms = 61000, .wall = T2026 };
	int64_t exp;

	(void)state;
	exp = clock_wall_to_mono(&boot, boot.wall + 3600, 86400);
	/* one minute later, after the jump: 59 minutes remain */
	assert_int_equal(clock_mono_to_wall(&later, exp), T2026 + 3540);
}

/* A file written with a correct clock is read before NTP has set the
 * clock (wall time near 1970): the lease would look decades long; it is
 * capped at the longest lease the configuration grants. */
static void
file_from_future_is_capped(void **state)
{
	struct clock_now n = { .mono_ms = 0, .wall = 100 };

	(void)state;
	assert_int_equal(clock_wall_to_mono(&n, T2026, 43200), 43200 * 1000);
}

/* A file from the past (clock jumped forward between runs): expired, not
 * negative. */
static void
file_from_past_is_expired(void **state)
{
	struct clock_now n = { .mono_ms = 777, .wall = T2026 };

	(void)state;
	assert_int_equal(clock_wall_to_mono(&n, 100, 43200), 777);
	assert_int_equal(clock_mono_to_wall(&n, 0), T2026);
}

/* Partial seconds round up on disk. */
static void
rounds_up(void **state)
{
	struct clock_now n = { .mono_ms = 0, .wall = 1000 };

	(void)state;
	assert_int_equal(clock_mono_to_wall(&n, 1), 1001);
	assert_int_equal(clock_mono_to_wall(&n, 1000), 1001);
	assert_int_equal(clock_mono_to_wall(&n, 1001), 1002);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip_keeps_remaining),
		cmocka_unit_test(infinite_is_zero),
		cmocka_unit_test(wall_jump_forward_while_running),
		cmocka_unit_test(file_from_future_is_capped),
		cmocka_unit_test(file_from_past_is_expired),
		cmocka_unit_test(rounds_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
