/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_ev.c - event loop: timer ordering, re-arming, cancel, io dispatch,
 * with a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "ev.h"

struct fake {
	int64_t now;
	int order[64];
	int n;
};

static int64_t
fake_clock(void *arg)
{
	return ((struct fake *)arg)->now;
}

struct tmr {
	struct ev_timer t;
	struct fake *f;
	int id;
};

static void
tmr_fire(struct ev_loop *ev, struct ev_timer *t)
{
	struct tmr *x = t->data;

	(void)ev;
	x->f->order[x->f->n++] = x->id;
}

static void
setup_loop(struct ev_loop *ev, struct fake *f)
{
	assert_int_equal(ev_init(ev), 0);
	ev->clock_ms = fake_clock;
	ev->clock_arg = f;
	ev->now_ms = f->now;
}

/* Timers fire in due order, only when due, each once. */
static void
timers_fire_in_order(void **state)
{
	struct fake f = { .now = 1000 };
	struct ev_loop ev;
	struct tmr t[5];
	int64_t due[5] = { 1500, 1100, 1300, 1100, 2000 };
	int i;

	(void)state;
	setup_loop(&ev, &f);
	for (i = 0; i < 5; i++) {
		t[i].f = &f;
		t[i].id = i;
		ev_timer_init(&t[i].t, tmr_fire, &t[i]);
		assert_int_equal(ev_timer_arm(&ev, &t[i].t, due[i]), 0);
	}
	assert_int_equal(ev_next_timeout(&ev), 100);
	f.now = 1300;
	ev_run_once(&ev, 0);
	assert_int_equal(f.n, 3);
	assert_true((f.order[0] == 1 && f.order[1] == 3) ||
	    (f.order[0] == 3 && f.order[1] == 1));
	assert_int_equal(f.order[2], 2);
	assert_int_equal(ev_next_timeout(&ev), 200);
	f.now = 5000;
	ev_run_once(&ev, 0);
	assert_int_equal(f.n, 5);
	assert_int_equal(f.order[3], 0);
	assert_int_equal(f.order[4], 4);
	assert_int_equal(ev_next_timeout(&ev), -1);
	ev_fini(&ev);
}

/* Cancel and re-arm move a timer; a cancelled timer never fires. */
static void
cancel_and_rearm(void **state)
{
	struct fake f = { .now = 0 };
	struct ev_loop ev;
	struct tmr a = { .f = &f, .id = 1 }, b = { .f = &f, .id = 2 };

	(void)state;
	setup_loop(&ev, &f);
	ev_timer_init(&a.t, tmr_fire, &a);
	ev_timer_init(&b.t, tmr_fire, &b);
	ev_timer_arm(&ev, &a.t, 10);
	ev_timer_arm(&ev, &b.t, 20);
	ev_timer_cancel(&ev, &a.t);
	assert_false(ev_timer_armed(&a.t));
	ev_timer_arm(&ev, &b.t, 5);	/* re-arm earlier */
	assert_int_equal(ev_next_timeout(&ev), 5);
	f.now = 100;
	ev_run_once(&ev, 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.order[0], 2);
	ev_fini(&ev);
}

/* Many timers in random order come out sorted (heap property). */
static void
heap_stress(void **state)
{
	struct fake f = { .now = 0 };
	struct ev_loop ev;
	static struct tmr t[200];
	int i;

	(void)state;
	setup_loop(&ev, &f);
	srand(7);
	for (i = 0; i < 200; i++) {
		t[i].f = &f;
		t[i].id = i;
		ev_timer_init(&t[i].t, tmr_fire, &t[i]);
		ev_timer_arm(&ev, &t[i].t, rand() % 1000);
	}
	for (i = 0; i < 200; i += 3)
		ev_timer_cancel(&ev, &t[i].t);
	{
		int64_t last = -1;
		int fired = 0;

		while (ev_next_timeout(&ev) >= 0) {
			int64_t d = ev.heap[0]->due_ms;

			assert_true(d >= last);
			last = d;
			f.now = d;
			f.n = 0;
			ev_run_once(&ev, 0);
			fired += f.n;
		}
		assert_int_equal(fired, 200 - 67);
	}
	ev_fini(&ev);
}

static void
io_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	int *hits = io->data;
	char b;

	(void)ev;
	assert_true(revents & EPOLLIN);
	assert_int_equal(read(io->fd, &b, 1), 1);
	(*hits)++;
}

/* A readable descriptor dispatches its callback; the loop waits no
 * longer than asked. */
static void
io_dispatch(void **state)
{
	struct ev_loop ev;
	struct ev_io io;
	int p[2], hits = 0;

	(void)state;
	assert_int_equal(ev_init(&ev), 0);
	assert_int_equal(pipe(p), 0);
	io.fd = p[0];
	io.events = EPOLLIN;
	io.cb = io_cb;
	io.data = &hits;
	io.added = false;
	assert_int_equal(ev_io_add(&ev, &io), 0);
	assert_int_equal(ev_run_once(&ev, 0), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(ev_run_once(&ev, 1000), 1);
	assert_int_equal(hits, 1);
	ev_io_del(&ev, &io);
	close(p[0]);
	close(p[1]);
	ev_fini(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timers_fire_in_order),
		cmocka_unit_test(cancel_and_rearm),
		cmocka_unit_test(heap_stress),
		cmocka_unit_test(io_dispatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
