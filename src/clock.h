/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clock.h - converting between protocol time and wall-clock time.
 *
 * All protocol state (lease expiry, retransmission, cache TTLs) runs on the
 * monotonic clock in milliseconds, which never jumps.  Only the lease file
 * holds wall-clock time, as dnsmasq writes it: absolute time_t seconds of
 * expiry (0 = infinite).  The conversion is always relative to "now" on
 * both clocks, read together once per loop turn:
 *
 *   to disk:   wall = now_wall + ceil((mono - now_mono) / 1000)
 *   from disk: mono = now_mono + (wall - now_wall) * 1000,
 *              with the remaining time clamped to [0, max_remaining_s]
 *
 * Consequences, which the tests check:
 *  - a wall-clock step while running (a router without RTC syncing NTP long
 *    after boot) changes nothing in memory: every lease keeps its real
 *    remaining time, and the next file write uses the new wall time;
 *  - a file written under a wrong clock and read under a right one (or the
 *    reverse) can make a lease look expired (dropped, the client simply
 *    asks again) but never immortal: the remaining time is capped by the
 *    longest lease the configuration can grant.
 */
#ifndef PXEMASQ_CLOCK_H
#define PXEMASQ_CLOCK_H

#include <stdint.h>
#include <time.h>

#define CLOCK_INFINITE_MS INT64_MAX

struct clock_now {
	int64_t mono_ms;	/* CLOCK_MONOTONIC, milliseconds */
	time_t wall;		/* CLOCK_REALTIME, seconds */
};

/* Reads both clocks (the shell does this once per loop turn). */
void clock_read(struct clock_now *n);

/* Wall-clock expiry for the lease file; CLOCK_INFINITE_MS gives 0. */
time_t clock_mono_to_wall(const struct clock_now *n, int64_t mono_ms);

/* Monotonic expiry from a lease-file time; 0 gives CLOCK_INFINITE_MS.
 * The remaining time is clamped to [0, max_remaining_s]. */
int64_t clock_wall_to_mono(const struct clock_now *n, time_t wall,
    uint32_t max_remaining_s);

#endif
