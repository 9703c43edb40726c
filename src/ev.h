/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ev.h - the event loop: epoll for descriptors, a min-heap of timers
 * embedded in their owners, and one clock reading per loop turn.
 *
 * Timers are armed with absolute due times on the monotonic clock in
 * milliseconds; nothing polls periodically.  Signals arrive as a
 * descriptor (signalfd) registered like any other.
 */
#ifndef PXEMASQ_EV_H
#define PXEMASQ_EV_H

#include <stdbool.h>
#include <stdint.h>

struct ev_loop;
struct ev_io;
struct ev_timer;

typedef void ev_io_fn(struct ev_loop *ev, struct ev_io *io, uint32_t revents);
typedef void ev_timer_fn(struct ev_loop *ev, struct ev_timer *t);

struct ev_io {
	int fd;
	uint32_t events;	/* EPOLLIN | EPOLLOUT ... */
	ev_io_fn *cb;
	void *data;		/* owner */
	bool added;
};

struct ev_timer {
	int64_t due_ms;
	unsigned idx;		/* position in the heap + 1; 0 = not armed */
	ev_timer_fn *cb;
	void *data;		/* owner */
};

struct ev_loop {
	int epfd;
	int64_t now_ms;		/* monotonic, read once per turn */
	struct ev_timer **heap;
	unsigned nheap, capheap;
	bool stop;
	unsigned long turns;
	/* called before each wait (the log sink asks for POLLOUT here) */
	void (*before_wait)(struct ev_loop *ev, void *arg);
	void *before_wait_arg;
	/* for tests: a clock other than CLOCK_MONOTONIC */
	int64_t (*clock_ms)(void *arg);
	void *clock_arg;
};

int ev_init(struct ev_loop *ev);
void ev_fini(struct ev_loop *ev);

/* Monotonic milliseconds, as read at the start of this turn. */
int64_t ev_now_ms(const struct ev_loop *ev);
/* Reads the clock again (after long work inside one turn). */
int64_t ev_update_now(struct ev_loop *ev);

/* Registers io->fd for io->events; io is borrowed until ev_io_del. */
int ev_io_add(struct ev_loop *ev, struct ev_io *io);
int ev_io_mod(struct ev_loop *ev, struct ev_io *io, uint32_t events);
void ev_io_del(struct ev_loop *ev, struct ev_io *io);

void ev_timer_init(struct ev_timer *t, ev_timer_fn *cb, void *data);
/* Arms (or re-arms) t for absolute monotonic time due_ms. */
int ev_timer_arm(struct ev_loop *ev, struct ev_timer *t, int64_t due_ms);
void ev_timer_cancel(struct ev_loop *ev, struct ev_timer *t);
bool ev_timer_armed(const struct ev_timer *t);

/* Runs due timers, waits for events (at most until the next timer or
 * max_wait_ms, -1 = no limit), dispatches them.  Returns the number of
 * callbacks run, or -errno. */
int ev_run_once(struct ev_loop *ev, int max_wait_ms);
/* Loops until ev->stop is set. */
int ev_run(struct ev_loop *ev);

/* Milliseconds until the earliest timer (0 if due), or -1 if none. */
int ev_next_timeout(struct ev_loop *ev);

#endif
