/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "buf.h"

#include <string.h>

void
rd_init(struct rd *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p != NULL ? len : 0;
	r->off = 0;
	r->bad = false;
}

bool
rd_ok(const struct rd *r)
{
	return !r->bad;
}

size_t
rd_left(const struct rd *r)
{
	return r->bad ? 0 : r->len - r->off;
}

static bool
rd_need(struct rd *r, size_t n)
{
	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		return false;
	}
	return true;
}

uint8_t
rd_u8(struct rd *r)
{
	if (!rd_need(r, 1))
		return 0;
	return r->p[r->off++];
}

uint16_t
rd_be16(struct rd *r)
{
	uint16_t v;

	if (!rd_need(r, 2))
		return 0;
	v = (uint16_t)((unsigned)r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

uint32_t
rd_be32(struct rd *r)
{
	uint32_t v;

	if (!rd_need(r, 4))
		return 0;
	v = (uint32_t)r->p[r->off] << 24 | (uint32_t)r->p[r->off + 1] << 16 |
	    (uint32_t)r->p[r->off + 2] << 8 | r->p[r->off + 3];
	r->off += 4;
	return v;
}

void
rd_bytes(struct rd *r, void *out, size_t n)
{
	if (!rd_need(r, n)) {
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p + r->off, n);
	r->off += n;
}

const uint8_t *
rd_ptr(struct rd *r, size_t n)
{
	const uint8_t *p;

	if (!rd_need(r, n))
		return NULL;
	p = r->p + r->off;
	r->off += n;
	return p;
}

void
rd_skip(struct rd *r, size_t n)
{
	if (rd_need(r, n))
		r->off += n;
}

void
wr_init(struct wr *w, void *p, size_t cap)
{
	w->p = p;
	w->cap = p != NULL ? cap : 0;
	w->off = 0;
	w->bad = false;
}

bool
wr_ok(const struct wr *w)
{
	return !w->bad;
}

size_t
wr_left(const struct wr *w)
{
	return w->bad ? 0 : w->cap - w->off;
}

static bool
wr_need(struct wr *w, size_t n)
{
	if (w->bad || n > w->cap - w->off) {
		w->bad = true;
		return false;
	}
	return true;
}

void
wr_u8(struct wr *w, uint8_t v)
{
	if (wr_need(w, 1))
		w->p[w->off++] = v;
}

void
wr_be16(struct wr *w, uint16_t v)
{
	if (!wr_need(w, 2))
		return;
	w->p[w->off++] = (uint8_t)(v >> 8);
	w->p[w->off++] = (uint8_t)v;
}

void
wr_be32(struct wr *w, uint32_t v)
{
	if (!wr_need(w, 4))
		return;
	w->p[w->off++] = (uint8_t)(v >> 24);
	w->p[w->off++] = (uint8_t)(v >> 16);
	w->p[w->off++] = (uint8_t)(v >> 8);
	w->p[w->off++] = (uint8_t)v;
}

void
wr_bytes(struct wr *w, const void *src, size_t n)
{
	if (n != 0 && wr_need(w, n)) {
		memcpy(w->p + w->off, src, n);
		w->off += n;
	}
}

void
wr_zero(struct wr *w, size_t n)
{
	if (n != 0 && wr_need(w, n)) {
		memset(w->p + w->off, 0, n);
		w->off += n;
	}
}

size_t
wr_mark(const struct wr *w)
{
	return w->off;
}

void
wr_patch_u8(struct wr *w, size_t at, uint8_t v)
{
	if (at < w->off)
		w->p[at] = v;
	else
		w->bad = true;
}

void
wr_patch_be16(struct wr *w, size_t at, uint16_t v)
{
	if (at + 1 < w->off) {
		w->p[at] = (uint8_t)(v >> 8);
		w->p[at + 1] = (uint8_t)v;
	} else {
		w->bad = true;
	}
}
