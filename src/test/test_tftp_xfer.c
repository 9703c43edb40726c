/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_tftp_xfer.c - the transfer state machine against a simulated
 * client over a simulated wire (fake clock, loss, duplication,
 * reordering), plus single-step rows for the RFC 1123 / RFC 7440 rules. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tftp_xfer.h"

struct mem {
	const uint8_t *p;
	size_t len;
	unsigned reads;
	bool fail;
};

static ssize_t
mem_read(void *arg, void *buf, size_t n, uint64_t off)
{
	struct mem *m = arg;

	m->reads++;
	if (m->fail)
		return -EIO;
	if (off >= m->len)
		return 0;
	if (n > m->len - off)
		n = m->len - off;
	memcpy(buf, m->p + off, n);
	return (ssize_t)n;
}

/* --- the simulation ------------------------------------------------------ */

#define WIRE_MAX 4096
#define PKT_MAX (65464 + 4)

struct pkt {
	uint16_t op, blk;
	uint8_t *data;
	size_t len;
};

struct sim {
	struct tftp_xfer x;
	struct mem file;
	uint32_t rng;
	unsigned loss_pct, dup_pct, reorder_pct, ack_loss_pct;
	int64_t now;
	/* client */
	uint8_t *got;
	size_t got_len;
	uint64_t expect;	/* next block wanted (absolute) */
	unsigned in_window;
	bool finished;
	bool oack_seen;
	unsigned window;
	/* wire */
	struct pkt wire[WIRE_MAX];
	unsigned nwire;
	uint16_t acks[WIRE_MAX];
	unsigned nacks;
	unsigned long data_sent;
	uint8_t buf[PKT_MAX];
};

static unsigned
sim_rand(struct sim *s, unsigned n)
{
	s->rng = s->rng * 1103515245u + 12345u;
	return (s->rng >> 8) % n;
}

static void
sim_wire_add(struct sim *s, const uint8_t *p, size_t len)
{
	struct pkt *w;

	if (s->nwire == WIRE_MAX)
		return;
	w = &s->wire[s->nwire++];
	w->op = (uint16_t)(p[0] << 8 | p[1]);
	w->blk = (uint16_t)(p[2] << 8 | p[3]);
	w->len = len - 4;
	w->data = malloc(len);
	assert_non_null(w->data);
	memcpy(w->data, p + 4, len - 4);
}

/* The server sends what it has queued onto the wire, with faults. */
static void
sim_server_tx(struct sim *s)
{
	uint64_t blk;

	while (tftp_xfer_tx_next(&s->x, &blk)) {
		ssize_t n = tftp_xfer_build(&s->x, blk, s->buf, sizeof(s->buf),
		    mem_read, &s->file);

		if (n <= 0)
			break;
		tftp_xfer_tx_done(&s->x);
		s->data_sent++;
		if (sim_rand(s, 100) < s->loss_pct)
			continue;
		sim_wire_add(s, s->buf, (size_t)n);
		if (sim_rand(s, 100) < s->dup_pct)
			sim_wire_add(s, s->buf, (size_t)n);
	}
	if (s->nwire > 1 && sim_rand(s, 100) < s->reorder_pct) {
		unsigned a = sim_rand(s, s->nwire), b = sim_rand(s, s->nwire);
		struct pkt t = s->wire[a];

		s->wire[a] = s->wire[b];
		s->wire[b] = t;
	}
}

static void
sim_ack(struct sim *s, uint64_t blk)
{
	if (sim_rand(s, 100) < s->ack_loss_pct)
		return;
	s->acks[s->nacks++] = (uint16_t)blk;
	s->in_window = 0;
}

/* An RFC 1350 / RFC 7440 receiver. */
static void
sim_client_rx(struct sim *s, const struct pkt *p)
{
	if (p->op == 6) {	/* OACK */
		s->oack_seen = true;
		if (s->expect == 1 && s->got_len == 0)
			sim_ack(s, 0);
		return;
	}
	assert_int_equal(p->op, 3);
	if (p->blk != (uint16_t)s->expect) {
		/* a duplicate or a gap: acknowledge what we have */
		if (p->blk == (uint16_t)(s->expect - 1) || s->window > 1)
			sim_ack(s, s->expect - 1);
		return;
	}
	if (s->finished) {
		sim_ack(s, s->expect - 1);
		return;
	}
	assert_true(p->len <= s->x.p.blksize);
	memcpy(s->got + s->got_len, p->data, p->len);
	s->got_len += p->len;
	s->expect++;
	s->in_window++;
	if (p->len < s->x.p.blksize) {
		s->finished = true;
		sim_ack(s, s->expect - 1);
	} else if (s->in_window >= s->window) {
		sim_ack(s, s->expect - 1);
	}
}

static void
sim_free_wire(struct sim *s)
{
	unsigned i;

	for (i = 0; i < s->nwire; i++)
		free(s->wire[i].data);
	s->nwire = 0;
}

/* Runs until the transfer is over; returns the final state. */
static enum tftp_xfer_state
sim_run(struct sim *s, unsigned max_steps)
{
	unsigned step, i;

	for (step = 0; step < max_steps && s->x.state == TFTP_XS_ACTIVE;
	    step++) {
		sim_server_tx(s);
		s->nacks = 0;
		for (i = 0; i < s->nwire; i++)
			sim_client_rx(s, &s->wire[i]);
		sim_free_wire(s);
		s->now += 1;	/* 1 ms of wire time */
		for (i = 0; i < s->nacks; i++)
			tftp_xfer_ack(&s->x, s->acks[i], s->now);
		if (s->nacks == 0 && s->x.state == TFTP_XS_ACTIVE &&
		    !tftp_xfer_tx_next(&s->x, &(uint64_t){ 0 })) {
			s->now = tftp_xfer_deadline(&s->x);
			tftp_xfer_timeout(&s->x, s->now);
		}
	}
	return s->x.state;
}

static struct sim *
sim_new(size_t size, uint32_t blksize, uint32_t window, bool oack,
    uint32_t seed)
{
	struct sim *s = calloc(1, sizeof(*s));
	uint8_t *data = malloc(size + 1);
	struct tftp_params p = {
		.blksize = blksize, .window = window,
		.o_blksize = oack, .o_window = oack && window > 1,
	};
	size_t i;

	assert_non_null(s);
	assert_non_null(data);
	s->rng = seed;
	for (i = 0; i < size; i++)
		data[i] = (uint8_t)sim_rand(s, 256);
	s->file.p = data;
	s->file.len = size;
	s->got = malloc(size + 1);
	assert_non_null(s->got);
	s->expect = 1;
	s->window = window;
	tftp_xfer_init(&s->x, &p, size, 0);
	return s;
}

static void
sim_free(struct sim *s)
{
	sim_free_wire(s);
	free((void *)(uintptr_t)s->file.p);
	free(s->got);
	free(s);
}

static void
sim_check(struct sim *s, const char *row)
{
	if (s->got_len != s->file.len ||
	    memcmp(s->got, s->file.p, s->file.len) != 0)
		fail_msg("row \"%s\": received %zu of %zu bytes or wrong bytes",
		    row, s->got_len, s->file.len);
}

struct sim_row {
	const char *name;
	size_t size;
	uint32_t blksize, window;
	bool oack;
	unsigned loss, dup, reorder, ack_loss;
};

static const struct sim_row sim_rows[] = {
	{ "empty file", 0, 512, 1, false, 0, 0, 0, 0 },
	{ "511 bytes", 511, 512, 1, false, 0, 0, 0, 0 },
	{ "512 bytes ends with empty block", 512, 512, 1, false, 0, 0, 0, 0 },
	{ "513 bytes", 513, 512, 1, false, 0, 0, 0, 0 },
	{ "1 MiB lock-step", 1 << 20, 1468, 1, true, 0, 0, 0, 0 },
	{ "rollover past 65535 blocks", 65536 * 8 + 100, 8, 1, false, 0, 0,
	  0, 0 },
	{ "rollover windowed", 65536 * 8 * 2 + 7, 8, 64, true, 0, 0, 0, 0 },
	{ "lock-step 10% loss", 200000, 512, 1, false, 10, 0, 0, 0 },
	{ "lock-step 20% dup", 200000, 512, 1, false, 0, 20, 0, 0 },
	{ "lock-step ACK loss", 200000, 512, 1, false, 0, 0, 0, 15 },
	{ "window 16 clean", 1 << 20, 1468, 16, true, 0, 0, 0, 0 },
	{ "window 16 5% loss", 1 << 20, 1468, 16, true, 5, 0, 0, 0 },
	{ "window 16 dup", 1 << 20, 1468, 16, true, 0, 10, 0, 0 },
	{ "window 16 reorder", 1 << 20, 1468, 16, true, 0, 0, 30, 0 },
	{ "window 64 all faults", 1 << 20, 1024, 64, true, 3, 3, 20, 3 },
	{ "window 4 ACK loss", 300000, 512, 4, true, 0, 0, 0, 20 },
};

static void
sim_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sim_rows) / sizeof(sim_rows[0]); i++) {
		const struct sim_row *r = &sim_rows[i];
		struct sim *s = sim_new(r->size, r->blksize, r->window,
		    r->oack, (uint32_t)i + 1);
		enum tftp_xfer_state st;
		uint64_t blocks = r->size / r->blksize + 1;

		s->loss_pct = r->loss;
		s->dup_pct = r->dup;
		s->reorder_pct = r->reorder;
		s->ack_loss_pct = r->ack_loss;
		st = sim_run(s, 5000000);
		if (st != TFTP_XS_DONE)
			fail_msg("row \"%s\": state %d", r->name, (int)st);
		sim_check(s, r->name);
		/* a clean lock-step run sends every block exactly once */
		if (r->loss + r->dup + r->reorder + r->ack_loss == 0 &&
		    s->data_sent != blocks + (r->oack ? 1 : 0))
			fail_msg("row \"%s\": %lu packets for %llu blocks",
			    r->name, s->data_sent, (unsigned long long)blocks);
		if (getenv("SIM_VERBOSE"))
			printf("%s: %zu bytes, %lu packets, %llu restarts, "
			    "%llu timeouts\n", r->name, s->got_len,
			    s->data_sent,
			    (unsigned long long)s->x.n_restarts,
			    (unsigned long long)s->x.n_timeouts);
		sim_free(s);
	}
}

/* --- single steps -------------------------------------------------------- */

static void
drain(struct tftp_xfer *x, struct mem *m, uint64_t *first, unsigned *n)
{
	uint8_t buf[2048];
	uint64_t blk;

	*n = 0;
	while (tftp_xfer_tx_next(x, &blk)) {
		if (*n == 0)
			*first = blk;
		if (tftp_xfer_build(x, blk, buf, sizeof(buf), mem_read, m) <= 0)
			break;
		tftp_xfer_tx_done(x);
		(*n)++;
	}
}

static void
lockstep_dup_ack_sends_nothing(void **state)
{
	static uint8_t data[2000];
	struct mem m = { data, sizeof(data), 0, false };
	struct tftp_params p = { .blksize = 512, .window = 1 };
	struct tftp_xfer x;
	uint64_t first = 0;
	unsigned n;

	(void)state;
	tftp_xfer_init(&x, &p, sizeof(data), 0);
	drain(&x, &m, &first, &n);
	assert_int_equal(n, 1);
	assert_int_equal(first, 1);
	assert_int_equal(tftp_xfer_ack(&x, 1, 10), TFTP_ACK_ADVANCE);
	drain(&x, &m, &first, &n);
	assert_int_equal(first, 2);
	assert_int_equal(n, 1);
	/* RFC 1123 4.2.3.1: the duplicate ACK 1 must not resend block 2 */
	assert_int_equal(tftp_xfer_ack(&x, 1, 20), TFTP_ACK_DUP);
	drain(&x, &m, &first, &n);
	assert_int_equal(n, 0);
	assert_int_equal(tftp_xfer_ack(&x, 0, 20), TFTP_ACK_STALE);
	assert_int_equal(tftp_xfer_ack(&x, 9, 20), TFTP_ACK_FUTURE);
	assert_int_equal(tftp_xfer_ack(&x, 2, 30), TFTP_ACK_ADVANCE);
	assert_int_equal(tftp_xfer_ack(&x, 3, 40), TFTP_ACK_ADVANCE);
	assert_int_equal(tftp_xfer_ack(&x, 4, 50), TFTP_ACK_DONE);
	assert_int_equal(x.state, TFTP_XS_DONE);
	assert_int_equal(tftp_xfer_ack(&x, 4, 60), TFTP_ACK_NOT_ACTIVE);
}

static void
window_restart_and_repeat(void **state)
{
	static uint8_t data[512 * 20];
	struct mem m = { data, sizeof(data), 0, false };
	struct tftp_params p = { .blksize = 512, .window = 8,
		.o_window = true };
	struct tftp_xfer x;
	uint64_t first = 0;
	unsigned n;

	(void)state;
	tftp_xfer_init(&x, &p, sizeof(data), 0);
	drain(&x, &m, &first, &n);
	assert_int_equal(first, 0);	/* the OACK */
	assert_int_equal(n, 1);
	assert_int_equal(tftp_xfer_ack(&x, 0, 5), TFTP_ACK_ADVANCE);
	drain(&x, &m, &first, &n);
	assert_int_equal(first, 1);
	assert_int_equal(n, 8);
	/* block 4 lost: the client acknowledges 3 */
	assert_int_equal(tftp_xfer_ack(&x, 3, 10), TFTP_ACK_RESTART);
	drain(&x, &m, &first, &n);
	assert_int_equal(first, 4);
	assert_int_equal(n, 8);		/* 4..11 */
	/* the same ACK again within one interval: ignored */
	assert_int_equal(tftp_xfer_ack(&x, 3, 500), TFTP_ACK_DUP_RESTART);
	drain(&x, &m, &first, &n);
	assert_int_equal(n, 0);
	/* after the interval it restarts again */
	assert_int_equal(tftp_xfer_ack(&x, 3, 1200), TFTP_ACK_RESTART);
	drain(&x, &m, &first, &n);
	assert_int_equal(first, 4);
	assert_int_equal(tftp_xfer_ack(&x, 11, 1300), TFTP_ACK_ADVANCE);
	drain(&x, &m, &first, &n);
	assert_int_equal(first, 12);
	assert_int_equal(n, 8);		/* 12..19 */
	assert_int_equal(tftp_xfer_ack(&x, 19, 1400), TFTP_ACK_ADVANCE);
	drain(&x, &m, &first, &n);
	assert_int_equal(first, 20);
	assert_int_equal(n, 2);		/* 20 full, 21 empty: the end */
	assert_int_equal(tftp_xfer_ack(&x, 21, 1500), TFTP_ACK_DONE);
}

static void
timeouts_back_off_and_give_up(void **state)
{
	static uint8_t data[5000];
	struct mem m = { data, sizeof(data), 0, false };
	struct tftp_params p = { .blksize = 512, .window = 1 };
	struct tftp_xfer x;
	int64_t now = 0, prev_gap = 0;
	uint64_t first = 0;
	unsigned n, i;

	(void)state;
	tftp_xfer_init(&x, &p, sizeof(data), 0);
	drain(&x, &m, &first, &n);
	for (i = 0; i + 1 < TFTP_XFER_RETRIES; i++) {
		int64_t due = tftp_xfer_deadline(&x);

		assert_true(due - now >= prev_gap);	/* backs off */
		prev_gap = due - now;
		/* early call: nothing happens */
		assert_int_equal(tftp_xfer_timeout(&x, due - 1),
		    TFTP_XS_ACTIVE);
		now = due;
		assert_int_equal(tftp_xfer_timeout(&x, now), TFTP_XS_ACTIVE);
		drain(&x, &m, &first, &n);
		assert_int_equal(first, 1);
		assert_int_equal(n, 1);
	}
	now = tftp_xfer_deadline(&x);
	/* D16: after 1+2+4+8+8+8 s (dnsmasq: about 29 s) */
	assert_int_equal(now, 31000);
	assert_int_equal(tftp_xfer_timeout(&x, now), TFTP_XS_FAILED);
}

/* dnsmasq logs an OACK nobody acknowledged as "sent" (docs D16) */
static void
unacked_oack_counts_as_sent(void **state)
{
	static uint8_t data[5000];
	struct mem m = { data, sizeof(data), 0, false };
	struct tftp_params p = { .blksize = 1024, .window = 1,
		.o_blksize = true };
	struct tftp_xfer x;
	uint64_t first = 1;
	unsigned n, i;

	(void)state;
	tftp_xfer_init(&x, &p, sizeof(data), 0);
	drain(&x, &m, &first, &n);
	assert_int_equal(first, 0);	/* the OACK */
	for (i = 0; i < TFTP_XFER_RETRIES; i++)
		tftp_xfer_timeout(&x, tftp_xfer_deadline(&x));
	assert_int_equal(x.state, TFTP_XS_DONE);
	assert_int_equal(tftp_xfer_deadline(&x), 31000);
}

static void
unacked_final_block_counts_as_sent(void **state)
{
	static uint8_t data[700];
	struct mem m = { data, sizeof(data), 0, false };
	struct tftp_params p = { .blksize = 512, .window = 1, .timeout_s = 2,
		.o_timeout = true };
	struct tftp_xfer x;
	uint64_t first = 0;
	unsigned n, i;

	(void)state;
	tftp_xfer_init(&x, &p, sizeof(data), 0);
	drain(&x, &m, &first, &n);
	assert_int_equal(tftp_xfer_deadline(&x), 2000);	/* timeout 2 s */
	assert_int_equal(tftp_xfer_ack(&x, 0, 1), TFTP_ACK_ADVANCE);
	assert_int_equal(tftp_xfer_ack(&x, 1, 2), TFTP_ACK_ADVANCE);
	for (i = 0; i <= TFTP_XFER_RETRIES; i++)
		tftp_xfer_timeout(&x, tftp_xfer_deadline(&x));
	assert_int_equal(x.state, TFTP_XS_DONE);
}

static void
read_error_fails(void **state)
{
	static uint8_t data[700];
	struct mem m = { data, sizeof(data), 0, true };
	struct tftp_params p = { .blksize = 512, .window = 1 };
	struct tftp_xfer x;
	uint8_t buf[600];

	(void)state;
	tftp_xfer_init(&x, &p, sizeof(data), 0);
	assert_true(tftp_xfer_build(&x, 1, buf, sizeof(buf), mem_read, &m) <
	    0);
	assert_int_equal(x.state, TFTP_XS_FAILED);
	tftp_xfer_init(&x, &p, sizeof(data), 0);
	m.fail = false;
	assert_true(tftp_xfer_build(&x, 1, buf, 100, mem_read, &m) < 0);
}

/* A file past 4 GiB: 64-bit offsets, block numbers rolling over. */
struct big_src {
	uint64_t last_off;
	size_t last_n;
};

static ssize_t
big_read(void *arg, void *buf, size_t n, uint64_t off)
{
	struct big_src *b = arg;

	b->last_off = off;
	b->last_n = n;
	memset(buf, (int)(off >> 32), n);
	return (ssize_t)n;
}

static void
files_past_4gib(void **state)
{
	const uint64_t size = (5ull << 30) + 1000;	/* 5 GiB + 1000 */
	struct tftp_params p = { .blksize = 1024, .window = 1 };
	struct big_src src = { 0 };
	static uint8_t buf[1100];
	struct tftp_xfer x;
	uint64_t last, blk;
	ssize_t n;

	(void)state;
	tftp_xfer_init(&x, &p, size, 0);
	last = tftp_xfer_last(&x);
	assert_int_equal(last, size / 1024 + 1);
	/* jump near the end as if every block had been acknowledged */
	x.una = last - 2;
	x.sent_hi = last - 2;
	assert_int_equal(tftp_xfer_ack(&x, (uint16_t)(last - 2), 1),
	    TFTP_ACK_ADVANCE);
	assert_true(tftp_xfer_tx_next(&x, &blk));
	assert_int_equal(blk, last - 1);
	n = tftp_xfer_build(&x, blk, buf, sizeof(buf), big_read, &src);
	assert_int_equal(n, 1024 + 4);
	assert_int_equal(src.last_off, (last - 2) * 1024);
	assert_true(src.last_off > (4ull << 30));
	assert_int_equal(buf[2] << 8 | buf[3], (uint16_t)(last - 1));
	assert_int_equal(buf[4], 1);	/* off >> 32 */
	tftp_xfer_tx_done(&x);
	n = tftp_xfer_build(&x, last, buf, sizeof(buf), big_read, &src);
	assert_int_equal(n, 1000 + 4);	/* the short final block */
	assert_int_equal(tftp_xfer_ack(&x, (uint16_t)(last - 1), 2),
	    TFTP_ACK_ADVANCE);
	assert_int_equal(tftp_xfer_ack(&x, (uint16_t)last, 3), TFTP_ACK_DONE);
}

/* Collects the netascii stream of a whole transfer. */
static size_t
netascii_run(const char *text, uint32_t blksize, uint32_t window,
    uint8_t *out, size_t cap)
{
	struct mem m = { (const uint8_t *)text, strlen(text), 0, false };
	struct tftp_params p = { .blksize = blksize, .window = window,
		.netascii = true };
	struct tftp_xfer x;
	uint8_t buf[600];
	uint64_t blk;
	size_t len = 0;
	ssize_t n;

	tftp_xfer_init(&x, &p, m.len, 0);
	while (x.state == TFTP_XS_ACTIVE) {
		uint64_t last = 0;

		while (tftp_xfer_tx_next(&x, &blk)) {
			n = tftp_xfer_build(&x, blk, buf, sizeof(buf), mem_read,
			    &m);
			if (n <= 0)
				break;
			assert_true((size_t)n - 4 <= blksize);
			assert_true(len + (size_t)n - 4 <= cap);
			memcpy(out + len, buf + 4, (size_t)n - 4);
			len += (size_t)n - 4;
			last = blk;
			tftp_xfer_tx_done(&x);
		}
		tftp_xfer_ack(&x, (uint16_t)last, 1);
	}
	assert_int_equal(x.state, TFTP_XS_DONE);
	return len;
}

static void
netascii_conversion(void **state)
{
	static const char *const texts[] = {
		"line one\nline two\n", "\n\n\n\n\n\n\n\n\n", "abcdefg\nh",
		"1234567\n", "", "no newline", "a\r\nb",
	};
	uint8_t out[256], want[256];
	size_t i, j, w, n;
	uint32_t bs;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		for (j = w = 0; texts[i][j] != '\0'; j++) {
			if (texts[i][j] == '\n')
				want[w++] = '\r';
			want[w++] = (uint8_t)texts[i][j];
		}
		for (bs = 8; bs <= 16; bs++) {
			n = netascii_run(texts[i], bs, 1, out, sizeof(out));
			if (n != w || memcmp(out, want, w) != 0)
				fail_msg("netascii \"%s\" blksize %u", texts[i],
				    bs);
			n = netascii_run(texts[i], bs, 4, out, sizeof(out));
			if (n != w || memcmp(out, want, w) != 0)
				fail_msg("netascii window \"%s\" blksize %u",
				    texts[i], bs);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lockstep_dup_ack_sends_nothing),
		cmocka_unit_test(window_restart_and_repeat),
		cmocka_unit_test(timeouts_back_off_and_give_up),
		cmocka_unit_test(unacked_oack_counts_as_sent),
		cmocka_unit_test(unacked_final_block_counts_as_sent),
		cmocka_unit_test(read_error_fails),
		cmocka_unit_test(netascii_conversion),
		cmocka_unit_test(files_past_4gib),
		cmocka_unit_test(sim_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
