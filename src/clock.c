/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "clock.h"

void
clock_read(struct clock_now *n)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	n->mono_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	n->wall = time(NULL);
}

time_t
clock_mono_to_wall(const struct clock_now *n, int64_t mono_ms)
{
	int64_t rem_ms;

	if (mono_ms == CLOCK_INFINITE_MS)
		return 0;
	rem_ms = mono_ms - n->mono_ms;
	if (rem_ms < 0)
		rem_ms = 0;
	/* round up: a lease never looks shorter on disk than in memory */
	return n->wall + (time_t)((rem_ms + 999) / 1000);
}

int64_t
clock_wall_to_mono(const struct clock_now *n, time_t wall,
    uint32_t max_remaining_s)
{
	int64_t rem_s;

	if (wall == 0)
		return CLOCK_INFINITE_MS;
	rem_s = (int64_t)wall - (int64_t)n->wall;
	if (rem_s < 0)
		rem_s = 0;
	if (rem_s > (int64_t)max_remaining_s)
		rem_s = max_remaining_s;
	return n->mono_ms + rem_s * 1000;
}
