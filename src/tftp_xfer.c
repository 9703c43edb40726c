/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tftp_xfer.c - the sending side of one TFTP transfer (see tftp_xfer.h).
 */
#include "tftp_xfer.h"

#include <errno.h>
#include <string.h>

#include "buf.h"

static const char *const tftp_ack_names[TFTP_ACK_N_VERDICTS] = {
	[TFTP_ACK_ADVANCE] = "advance",
	[TFTP_ACK_RESTART] = "restart",
	[TFTP_ACK_DONE] = "done",
	[TFTP_ACK_DUP] = "duplicate",
	[TFTP_ACK_DUP_RESTART] = "duplicate-restart",
	[TFTP_ACK_STALE] = "stale",
	[TFTP_ACK_FUTURE] = "future",
	[TFTP_ACK_NOT_ACTIVE] = "not-active",
};

const char *
tftp_ack_verdict_name(enum tftp_ack_verdict v)
{
	if ((unsigned)v >= TFTP_ACK_N_VERDICTS)
		return "?";
	return tftp_ack_names[v];
}

/* Queues [from, to] (cut at the final block when known), replacing what
 * was waiting: a retransmission or restart supersedes it. */
static void
tftp_xfer_queue(struct tftp_xfer *x, uint64_t from, uint64_t to)
{
	if (x->last != 0 && to > x->last)
		to = x->last;
	x->tx_next = from;
	x->tx_end = to;
	if (to > x->sent_hi || !x->started)
		x->sent_hi = to;
	x->started = true;
}

void
tftp_xfer_init(struct tftp_xfer *x, const struct tftp_params *p,
    uint64_t size, int64_t now)
{
	memset(x, 0, sizeof(*x));
	x->p = *p;
	if (x->p.window < 1)
		x->p.window = 1;
	if (x->p.netascii && x->p.window > TFTP_XFER_NASC_WINDOW)
		x->p.window = TFTP_XFER_NASC_WINDOW;
	if (x->p.blksize < TFTP_BLKSIZE_MIN)
		x->p.blksize = TFTP_BLKSIZE_DEFAULT;
	x->size = size;
	x->state = TFTP_XS_ACTIVE;
	/* octet: a file that fills its last block ends with an empty one */
	x->last = x->p.netascii ? 0 : size / x->p.blksize + 1;
	x->pos[1] = (struct tftp_nasc_pos){ .off = 0, .lf_pending = false };
	x->rto0_ms = x->p.timeout_s ? (int64_t)x->p.timeout_s * 1000 :
	    TFTP_XFER_RTO_MS;
	x->rto_ms = x->rto0_ms;
	if (tftp_params_oack(&x->p)) {
		x->una = 0;
		tftp_xfer_queue(x, 0, 0);
	} else {
		x->una = 1;
		tftp_xfer_queue(x, 1, x->p.window);
	}
	x->deadline_ms = now + x->rto_ms;
}

/* Sends again from a + 1 (a window's worth); repeats of ACK a within one
 * retransmission interval are then ignored (RFC 7440 4). */
static void
tftp_xfer_send_after(struct tftp_xfer *x, uint64_t a, int64_t now)
{
	tftp_xfer_queue(x, a + 1, a + x->p.window);
	x->restarted = true;
	x->restart_ack = a;
	x->restart_until = now + x->rto_ms;
	x->deadline_ms = now + x->rto_ms;
}

enum tftp_ack_verdict
tftp_xfer_ack(struct tftp_xfer *x, uint16_t blk16, int64_t now)
{
	uint16_t back = (uint16_t)((uint16_t)x->sent_hi - blk16);
	uint64_t a;

	if (x->state != TFTP_XS_ACTIVE)
		return TFTP_ACK_NOT_ACTIVE;
	if (back > x->sent_hi)
		return TFTP_ACK_FUTURE;	/* before block 0: never sent */
	a = x->sent_hi - back;
	if (a + 1 < x->una)
		return TFTP_ACK_STALE;
	if (a + 1 == x->una) {
		/* RFC 1123 4.2.3.1: never answer a duplicate in lock-step */
		if (x->p.window == 1 || a >= x->sent_hi)
			return TFTP_ACK_DUP;
		if (x->restarted && x->restart_ack == a &&
		    now < x->restart_until)
			return TFTP_ACK_DUP_RESTART;
		x->n_restarts++;
		tftp_xfer_send_after(x, a, now);
		return TFTP_ACK_RESTART;
	}
	x->una = a + 1;
	x->retries = 0;
	x->rto_ms = x->rto0_ms;
	if (x->last != 0 && a >= x->last) {
		x->state = TFTP_XS_DONE;
		x->tx_next = 1;
		x->tx_end = 0;
		return TFTP_ACK_DONE;
	}
	if (a == x->sent_hi) {
		tftp_xfer_send_after(x, a, now);
		return TFTP_ACK_ADVANCE;
	}
	/* RFC 7440 4: the client missed a + 1 */
	x->n_restarts++;
	tftp_xfer_send_after(x, a, now);
	return TFTP_ACK_RESTART;
}

void
tftp_xfer_abort(struct tftp_xfer *x)
{
	if (x->state == TFTP_XS_ACTIVE)
		x->state = TFTP_XS_ABORTED;
}

enum tftp_xfer_state
tftp_xfer_timeout(struct tftp_xfer *x, int64_t now)
{
	int64_t max;

	if (x->state != TFTP_XS_ACTIVE || now < x->deadline_ms)
		return x->state;
	x->n_timeouts++;
	if (++x->retries >= TFTP_XFER_RETRIES) {
		/* dnsmasq: a final block or an OACK left unacknowledged is
		 * delivered ("sent"); only a full data block fails */
		if (x->una == 0 || (x->last != 0 && x->una == x->last))
			x->state = TFTP_XS_DONE;
		else
			x->state = TFTP_XS_FAILED;
		return x->state;
	}
	max = x->rto0_ms > TFTP_XFER_RTO_MAX_MS ? x->rto0_ms :
	    TFTP_XFER_RTO_MAX_MS;
	x->rto_ms = x->rto_ms * 2 > max ? max : x->rto_ms * 2;
	tftp_xfer_queue(x, x->una, x->sent_hi);
	x->deadline_ms = now + x->rto_ms;
	return x->state;
}

int64_t
tftp_xfer_deadline(const struct tftp_xfer *x)
{
	return x->deadline_ms;
}

bool
tftp_xfer_tx_next(const struct tftp_xfer *x, uint64_t *blk)
{
	if (x->state != TFTP_XS_ACTIVE || x->tx_next > x->tx_end)
		return false;
	*blk = x->tx_next;
	return true;
}

void
tftp_xfer_tx_done(struct tftp_xfer *x)
{
	x->n_sent++;
	x->tx_next++;
}

uint64_t
tftp_xfer_last(const struct tftp_xfer *x)
{
	return x->last;
}

/* The final block is now known: nothing past it is sent or expected. */
static void
tftp_xfer_set_last(struct tftp_xfer *x, uint64_t blk)
{
	x->last = blk;
	if (x->tx_end > blk)
		x->tx_end = blk;
	if (x->sent_hi > blk)
		x->sent_hi = blk;
}

static ssize_t
tftp_xfer_fail(struct tftp_xfer *x, ssize_t rc)
{
	x->state = TFTP_XS_FAILED;
	return rc < 0 ? rc : -EIO;
}

static ssize_t
tftp_xfer_octet(struct tftp_xfer *x, uint64_t blk, uint8_t *data,
    tftp_read_fn *rd, void *arg)
{
	uint64_t off = (blk - 1) * x->p.blksize;
	size_t n = 0;
	ssize_t r;

	if (off < x->size)
		n = x->size - off > x->p.blksize ? x->p.blksize :
		    (size_t)(x->size - off);
	if (n == 0)
		return 0;
	r = rd(arg, data, n, off);
	if (r != (ssize_t)n)
		return tftp_xfer_fail(x, r);
	return r;
}

/* dnsmasq's netascii: LF becomes CR LF; a pair cut by the block end
 * carries its LF into the next block. */
static ssize_t
tftp_xfer_netascii(struct tftp_xfer *x, uint64_t blk, uint8_t *data,
    tftp_read_fn *rd, void *arg)
{
	struct tftp_nasc_pos pos = x->pos[blk % TFTP_XFER_RING];
	size_t out = 0, cap = x->p.blksize, i;
	uint8_t chunk[1024];
	ssize_t r;

	if (pos.off > x->size)
		return tftp_xfer_fail(x, -EINVAL);
	if (pos.lf_pending) {
		data[out++] = '\n';
		pos.lf_pending = false;
	}
	while (out < cap && pos.off < x->size) {
		size_t want = x->size - pos.off < sizeof(chunk) ?
		    (size_t)(x->size - pos.off) : sizeof(chunk);

		if ((r = rd(arg, chunk, want, pos.off)) != (ssize_t)want)
			return tftp_xfer_fail(x, r);
		for (i = 0; i < want && out < cap; i++) {
			pos.off++;
			if (chunk[i] != '\n') {
				data[out++] = chunk[i];
				continue;
			}
			data[out++] = '\r';
			if (out == cap)
				pos.lf_pending = true;
			else
				data[out++] = '\n';
		}
	}
	x->pos[(blk + 1) % TFTP_XFER_RING] = pos;
	return (ssize_t)out;
}

ssize_t
tftp_xfer_build(struct tftp_xfer *x, uint64_t blk, uint8_t *buf, size_t cap,
    tftp_read_fn *rd, void *arg)
{
	ssize_t n;
	struct wr w;

	if (blk == 0) {
		size_t len = tftp_oack_encode(buf, cap, &x->p);

		return len ? (ssize_t)len : tftp_xfer_fail(x, -ENOSPC);
	}
	if (cap < x->p.blksize + TFTP_HDR_LEN)
		return tftp_xfer_fail(x, -ENOSPC);
	if (x->last != 0 && blk > x->last) {
		tftp_xfer_set_last(x, x->last);
		return 0;
	}
	if (x->p.netascii)
		n = tftp_xfer_netascii(x, blk, buf + TFTP_HDR_LEN, rd, arg);
	else
		n = tftp_xfer_octet(x, blk, buf + TFTP_HDR_LEN, rd, arg);
	if (n < 0)
		return n;
	if ((size_t)n < x->p.blksize && x->last == 0)
		tftp_xfer_set_last(x, blk);
	wr_init(&w, buf, TFTP_HDR_LEN);
	wr_be16(&w, TFTP_OP_DATA);
	wr_be16(&w, (uint16_t)blk);	/* rolls over past 65535 */
	return n + TFTP_HDR_LEN;
}
