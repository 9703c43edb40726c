/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.h - small helpers shared by modules of every layer (L0, libc only).
 */
#ifndef PXEMASQ_UTIL_H
#define PXEMASQ_UTIL_H

#include <stddef.h>

/* Makes room for need elements of size elem in the malloc'd array *p of
 * capacity *cap (doubling from 16).  Returns 0 or -ENOMEM; *p is left
 * unchanged on failure. */
int util_grow(void **p, size_t *cap, size_t need, size_t elem);

#endif
