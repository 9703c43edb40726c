/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_tftp_xfer.c - the transfer state machine fed an arbitrary
 * sequence of events.  Input: blksize (2 bytes, 8-1024), window (1 byte,
 * 1-64), flags (1 byte: OACK, netascii), file size (2 bytes); then
 * events of 3 bytes: kind (ACK n, time passes, timer fires, drain) and a
 * 16-bit argument.  Invariants: a queued block is never past the final
 * block nor more than a window past the last acknowledgement; every DATA
 * built carries at most blksize bytes, and only the final block is
 * short; octet data are the file's bytes at the right offset.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "tftp_xfer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t fuzz_file[65536];

static ssize_t
fuzz_read(void *arg, void *buf, size_t n, uint64_t off)
{
	size_t len = *(const size_t *)arg;

	if (off >= len)
		return 0;
	if (n > len - off)
		n = len - off;
	memcpy(buf, fuzz_file + off, n);
	return (ssize_t)n;
}

static void
fuzz_drain(struct tftp_xfer *x, size_t *len)
{
	static uint8_t buf[1024 + 4];
	uint64_t blk;
	ssize_t n;

	while (tftp_xfer_tx_next(x, &blk)) {
		if (blk > x->una + x->p.window ||
		    (x->last != 0 && blk > x->last))
			abort();
		n = tftp_xfer_build(x, blk, buf, sizeof(buf), fuzz_read, len);
		if (n < 0)
			abort();
		if (n == 0)
			break;
		if (blk > 0) {
			size_t d = (size_t)n - 4;

			if (d > x->p.blksize ||
			    (d < x->p.blksize && x->last != blk))
				abort();
			if (!x->p.netascii && d > 0 &&
			    memcmp(buf + 4, fuzz_file + (blk - 1) *
			    x->p.blksize, d) != 0)
				abort();
		}
		tftp_xfer_tx_done(x);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tftp_params p = { 0 };
	struct tftp_xfer *x;
	int64_t now = 0;
	size_t len, i;

	if (size < 6)
		return 0;
	if ((x = malloc(sizeof(*x))) == NULL)
		return 0;
	if (fuzz_file[1] == 0) {	/* once */
		for (i = 0; i < sizeof(fuzz_file); i++)
			fuzz_file[i] = (uint8_t)(i * 7 + (i >> 8));
		fuzz_file[100] = '\n';
		fuzz_file[511] = '\n';
	}
	p.blksize = 8 + ((unsigned)(data[0] << 8 | data[1]) % 1017);
	p.window = 1 + data[2] % 64;
	p.o_blksize = data[3] & 1;
	p.netascii = (data[3] & 2) != 0;
	len = (size_t)(data[4] << 8 | data[5]);
	tftp_xfer_init(x, &p, len, now);
	for (i = 6; i + 3 <= size && x->state == TFTP_XS_ACTIVE; i += 3) {
		uint16_t arg = (uint16_t)(data[i + 1] << 8 | data[i + 2]);

		switch (data[i] % 4) {
		case 0:
			tftp_xfer_ack(x, arg, now);
			break;
		case 1:
			now += arg;
			break;
		case 2:
			now = tftp_xfer_deadline(x);
			tftp_xfer_timeout(x, now);
			break;
		default:
			fuzz_drain(x, &len);
			break;
		}
	}
	free(x);
	return 0;
}
