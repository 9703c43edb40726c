/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * buf.h - bounds-checked reading and writing of wire bytes.
 *
 * struct rd never reads past its limit in any build: a shortfall sets a
 * sticky flag, later reads return 0, and the caller checks rd_ok() once
 * after a group of reads (STYLE.md).  struct wr likewise never writes past
 * its capacity; an overflow sets a sticky flag checked with wr_ok().
 * Multi-byte values are big-endian on the wire and host order here.
 */
#ifndef PXEMASQ_BUF_H
#define PXEMASQ_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rd {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool bad;
};

void rd_init(struct rd *r, const void *p, size_t len);
bool rd_ok(const struct rd *r);
size_t rd_left(const struct rd *r);
uint8_t rd_u8(struct rd *r);
uint16_t rd_be16(struct rd *r);
uint32_t rd_be32(struct rd *r);
/* Copies n bytes to out (zero-filled on shortfall). */
void rd_bytes(struct rd *r, void *out, size_t n);
/* Returns a pointer to the next n bytes and skips them, or NULL. */
const uint8_t *rd_ptr(struct rd *r, size_t n);
void rd_skip(struct rd *r, size_t n);

struct wr {
	uint8_t *p;
	size_t cap;
	size_t off;
	bool bad;
};

void wr_init(struct wr *w, void *p, size_t cap);
bool wr_ok(const struct wr *w);
size_t wr_left(const struct wr *w);
void wr_u8(struct wr *w, uint8_t v);
void wr_be16(struct wr *w, uint16_t v);
void wr_be32(struct wr *w, uint32_t v);
void wr_bytes(struct wr *w, const void *src, size_t n);
void wr_zero(struct wr *w, size_t n);
/* Position of the next byte, for back-filling a length written later. */
size_t wr_mark(const struct wr *w);
void wr_patch_u8(struct wr *w, size_t at, uint8_t v);
void wr_patch_be16(struct wr *w, size_t at, uint16_t v);

#endif
