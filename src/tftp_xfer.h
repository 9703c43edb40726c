/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tftp_xfer.h - the sending side of one TFTP transfer (L2): which blocks
 * go out when, with no sockets and no clock of its own (now is passed
 * in, monotonic ms), so that loss, duplication and reordering can be
 * played against it in unit tests.
 *
 * Blocks are numbered absolutely (64-bit; block 0 is the OACK, block 1
 * the first DATA) and only their low 16 bits travel (RFC 1350; the
 * number rolls over from 65535 to 0 as in dnsmasq and tftp-hpa).  An
 * acknowledgement maps to the newest block sent with those low bits.
 *
 * Lock-step (window 1, RFC 1350): an ACK of the block sent releases the
 * next one; a duplicate ACK sends nothing (RFC 1123 4.2.3.1, no
 * Sorcerer's Apprentice).  Windowed (RFC 7440): a whole window goes out;
 * the ACK of its last block releases the next window; the first ACK of a
 * block n short of the window's end restarts sending from n + 1, and the
 * same ACK again within one retransmission interval is ignored.  Without
 * any ACK the outstanding blocks are sent again after the retransmission
 * interval (1 s, or the client's timeout option), doubling up to
 * TFTP_XFER_RTO_MAX_MS, and the transfer fails after TFTP_XFER_RETRIES
 * silent intervals (TFTP_XFER_RETRIES - 1 retransmissions) -- unless
 * what was outstanding was the final block or the OACK, which count as
 * delivered (dnsmasq logs both "sent": some clients never ACK the final
 * block; it tells a full data block from the rest by its length).
 *
 * The shell drains the transmit queue with tftp_xfer_tx_next() and
 * tftp_xfer_build() (the file is read through a callback; netascii
 * conversion happens here), sends, and reports with tftp_xfer_tx_done().
 */
#ifndef PXEMASQ_TFTP_XFER_H
#define PXEMASQ_TFTP_XFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tftp_proto.h"

#define TFTP_XFER_RTO_MS	1000	/* first retransmission */
#define TFTP_XFER_RTO_MAX_MS	8000
#define TFTP_XFER_RETRIES	6	/* silent intervals, then give up */
/* netascii: block start positions kept for the window in flight */
#define TFTP_XFER_RING		128
#define TFTP_XFER_NASC_WINDOW	64	/* largest netascii window */

enum tftp_xfer_state {
	TFTP_XS_ACTIVE = 0,
	TFTP_XS_DONE,		/* final block acknowledged (or assumed) */
	TFTP_XS_FAILED,		/* no answer, or a read error */
	TFTP_XS_ABORTED,	/* the client sent an ERROR */
};

/* What an incoming ACK did (counted by the shell). */
enum tftp_ack_verdict {
	TFTP_ACK_ADVANCE = 0,	/* new blocks acknowledged, next window */
	TFTP_ACK_RESTART,	/* short of the window: resend from n + 1 */
	TFTP_ACK_DONE,		/* the final block acknowledged */
	TFTP_ACK_DUP,		/* duplicate: nothing sent (RFC 1123) */
	TFTP_ACK_DUP_RESTART,	/* repeat of a restart ACK, ignored */
	TFTP_ACK_STALE,		/* older than the last acknowledged */
	TFTP_ACK_FUTURE,	/* a block never sent */
	TFTP_ACK_NOT_ACTIVE,	/* transfer already over */
	TFTP_ACK_N_VERDICTS
};

struct tftp_nasc_pos {
	uint64_t off;		/* source offset of its first byte */
	bool lf_pending;	/* the LF of a CR LF pair starts the block */
};

struct tftp_xfer {
	struct tftp_params p;
	uint64_t size;		/* source file size */
	enum tftp_xfer_state state;
	uint64_t una;		/* first unacknowledged block */
	uint64_t sent_hi;	/* highest block queued so far */
	uint64_t last;		/* final block, 0: unknown (netascii) */
	bool started;		/* something was queued */
	uint64_t tx_next, tx_end; /* queue: [tx_next, tx_end] */
	int64_t rto0_ms, rto_ms, deadline_ms;
	unsigned retries;
	bool restarted;
	uint64_t restart_ack;	/* last restart's ACK and until when its */
	int64_t restart_until;	/* repeats are ignored */
	/* statistics */
	uint64_t n_sent, n_resent, n_restarts, n_timeouts;
	struct tftp_nasc_pos pos[TFTP_XFER_RING];
};

/* Reads exactly n bytes at off into buf (short only at end of file);
 * returns the count or -errno. */
typedef ssize_t tftp_read_fn(void *arg, void *buf, size_t n, uint64_t off);

/* Starts a transfer with the negotiated parameters: queues the OACK (if
 * any option was accepted) or the first window, arms the timer. */
void tftp_xfer_init(struct tftp_xfer *x, const struct tftp_params *p,
    uint64_t size, int64_t now);

/* An ACK for block number blk16 arrived. */
enum tftp_ack_verdict tftp_xfer_ack(struct tftp_xfer *x, uint16_t blk16,
    int64_t now);
const char *tftp_ack_verdict_name(enum tftp_ack_verdict v);

/* The client sent an ERROR: the transfer ends. */
void tftp_xfer_abort(struct tftp_xfer *x);

/* The timer fired (now >= deadline): retransmit or give up.  Returns
 * the new state. */
enum tftp_xfer_state tftp_xfer_timeout(struct tftp_xfer *x, int64_t now);
/* When the timer is due (monotonic ms); meaningful while active. */
int64_t tftp_xfer_deadline(const struct tftp_xfer *x);

/* The next block to transmit, if any (0 is the OACK). */
bool tftp_xfer_tx_next(const struct tftp_xfer *x, uint64_t *blk);
/* The block just returned by tx_next() went out. */
void tftp_xfer_tx_done(struct tftp_xfer *x);

/* Builds the packet for block blk (OACK for 0, else DATA) into buf
 * (cap >= blksize + 4).  Returns its length, 0 if the block lies past
 * the end (the queue is then cut there), or -errno from read (the
 * transfer has FAILED). */
ssize_t tftp_xfer_build(struct tftp_xfer *x, uint64_t blk, uint8_t *buf,
    size_t cap, tftp_read_fn *rd, void *arg);

/* The number of the final block when known (octet: from the size). */
uint64_t tftp_xfer_last(const struct tftp_xfer *x);

#endif
