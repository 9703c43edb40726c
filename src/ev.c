/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ev.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define EV_BATCH 64

static int64_t
ev_clock_monotonic(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
ev_init(struct ev_loop *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->clock_ms = ev_clock_monotonic;
	ev->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ev->epfd < 0)
		return -errno;
	ev->now_ms = ev->clock_ms(ev->clock_arg);
	return 0;
}

void
ev_fini(struct ev_loop *ev)
{
	if (ev->epfd >= 0)
		close(ev->epfd);
	ev->epfd = -1;
	free(ev->heap);
	ev->heap = NULL;
	ev->nheap = ev->capheap = 0;
}

int64_t
ev_now_ms(const struct ev_loop *ev)
{
	return ev->now_ms;
}

int64_t
ev_update_now(struct ev_loop *ev)
{
	int64_t t = ev->clock_ms(ev->clock_arg);

	if (t > ev->now_ms)	/* never step backwards */
		ev->now_ms = t;
	return ev->now_ms;
}

int
ev_io_add(struct ev_loop *ev, struct ev_io *io)
{
	struct epoll_event e = { .events = io->events, .data.ptr = io };

	if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, io->fd, &e) < 0)
		return -errno;
	io->added = true;
	return 0;
}

int
ev_io_mod(struct ev_loop *ev, struct ev_io *io, uint32_t events)
{
	struct epoll_event e = { .events = events, .data.ptr = io };

	if (epoll_ctl(ev->epfd, EPOLL_CTL_MOD, io->fd, &e) < 0)
		return -errno;
	io->events = events;
	return 0;
}

void
ev_io_del(struct ev_loop *ev, struct ev_io *io)
{
	if (!io->added)
		return;
	epoll_ctl(ev->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->added = false;
}

/* --- timer heap (1-based indices stored in the timers) ------------------ */

static void
ev_heap_set(struct ev_loop *ev, unsigned i, struct ev_timer *t)
{
	ev->heap[i] = t;
	t->idx = i + 1;
}

static void
ev_heap_up(struct ev_loop *ev, unsigned i)
{
	struct ev_timer *t = ev->heap[i];

	while (i > 0) {
		unsigned p = (i - 1) / 2;

		if (ev->heap[p]->due_ms <= t->due_ms)
			break;
		ev_heap_set(ev, i, ev->heap[p]);
		i = p;
	}
	ev_heap_set(ev, i, t);
}

static void
ev_heap_down(struct ev_loop *ev, unsigned i)
{
	struct ev_timer *t = ev->heap[i];

	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		int64_t md = t->due_ms;

		if (l < ev->nheap && ev->heap[l]->due_ms < md) {
			m = l;
			md = ev->heap[l]->due_ms;
		}
		if (r < ev->nheap && ev->heap[r]->due_ms < md)
			m = r;
		if (m == i)
			break;
		ev_heap_set(ev, i, ev->heap[m]);
		i = m;
	}
	ev_heap_set(ev, i, t);
}

void
ev_timer_init(struct ev_timer *t, ev_timer_fn *cb, void *data)
{
	t->due_ms = 0;
	t->idx = 0;
	t->cb = cb;
	t->data = data;
}

bool
ev_timer_armed(const struct ev_timer *t)
{
	return t->idx != 0;
}

void
ev_timer_cancel(struct ev_loop *ev, struct ev_timer *t)
{
	unsigned i;
	struct ev_timer *last;

	if (t->idx == 0)
		return;
	i = t->idx - 1;
	t->idx = 0;
	last = ev->heap[--ev->nheap];
	if (i == ev->nheap)
		return;
	ev_heap_set(ev, i, last);
	ev_heap_down(ev, i);
	ev_heap_up(ev, last->idx - 1);
}

int
ev_timer_arm(struct ev_loop *ev, struct ev_timer *t, int64_t due_ms)
{
	if (t->idx != 0)
		ev_timer_cancel(ev, t);
	if (ev->nheap == ev->capheap) {
		unsigned ncap = ev->capheap ? ev->capheap * 2 : 16;
		struct ev_timer **nh = realloc(ev->heap, ncap * sizeof(*nh));

		if (nh == NULL)
			return -ENOMEM;
		ev->heap = nh;
		ev->capheap = ncap;
	}
	t->due_ms = due_ms;
	ev_heap_set(ev, ev->nheap++, t);
	ev_heap_up(ev, ev->nheap - 1);
	return 0;
}

int
ev_next_timeout(struct ev_loop *ev)
{
	int64_t d;

	if (ev->nheap == 0)
		return -1;
	d = ev->heap[0]->due_ms - ev->now_ms;
	if (d <= 0)
		return 0;
	return d > 0x7fffffff ? 0x7fffffff : (int)d;
}

static int
ev_run_timers(struct ev_loop *ev)
{
	int n = 0;

	while (ev->nheap > 0 && ev->heap[0]->due_ms <= ev->now_ms) {
		struct ev_timer *t = ev->heap[0];

		ev_timer_cancel(ev, t);
		t->cb(ev, t);
		n++;
	}
	return n;
}

int
ev_run_once(struct ev_loop *ev, int max_wait_ms)
{
	struct epoll_event evs[EV_BATCH];
	int n, i, ran, wait;

	ev_update_now(ev);
	ran = ev_run_timers(ev);
	if (ev->stop)
		return ran;
	if (ev->before_wait != NULL)
		ev->before_wait(ev, ev->before_wait_arg);
	wait = ev_next_timeout(ev);
	if (ran > 0 || (max_wait_ms >= 0 && (wait < 0 || wait > max_wait_ms)))
		wait = ran > 0 ? 0 : max_wait_ms;
	n = epoll_wait(ev->epfd, evs, EV_BATCH, wait);
	if (n < 0)
		return errno == EINTR ? ran : -errno;
	ev->turns++;
	ev_update_now(ev);
	for (i = 0; i < n && !ev->stop; i++) {
		struct ev_io *io = evs[i].data.ptr;

		io->cb(ev, io, evs[i].events);
		ran++;
	}
	return ran;
}

int
ev_run(struct ev_loop *ev)
{
	int rc = 0;

	while (!ev->stop)
		if ((rc = ev_run_once(ev, -1)) < 0)
			break;
	return rc < 0 ? rc : 0;
}
