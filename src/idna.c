/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * idna.c - RFC 3492 punycode and idna_to_ascii(), the conversion Debian's
 * dnsmasq applies to configured names through libidn2 (see idna.h for
 * the rules and for where this differs from libidn2).
 */
#include "idna.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* --- punycode (RFC 3492) ------------------------------------------------ */

/* RFC 3492 5: the Bootstring parameters of punycode. */
#define PUNY_BASE	36u
#define PUNY_TMIN	1u
#define PUNY_TMAX	26u
#define PUNY_SKEW	38u
#define PUNY_DAMP	700u
#define PUNY_BIAS	72u
#define PUNY_N		0x80u
#define PUNY_DELIM	'-'

#define IDNA_CP_MAX	0x10ffffu

static bool
idna_cp_ok(uint32_t c)
{
	return c <= IDNA_CP_MAX && (c < 0xd800 || c > 0xdfff);
}

/* RFC 3492 6.1 */
static uint32_t
puny_adapt(uint32_t delta, uint32_t numpoints, bool first)
{
	uint32_t k = 0;

	delta = first ? delta / PUNY_DAMP : delta / 2;
	delta += delta / numpoints;
	while (delta > ((PUNY_BASE - PUNY_TMIN) * PUNY_TMAX) / 2) {
		delta /= PUNY_BASE - PUNY_TMIN;
		k += PUNY_BASE;
	}
	return k + (PUNY_BASE - PUNY_TMIN + 1) * delta / (delta + PUNY_SKEW);
}

/* RFC 3492 6.2/6.3: the threshold t for the digit position k. */
static uint32_t
puny_threshold(uint32_t k, uint32_t bias)
{
	if (k <= bias)
		return PUNY_TMIN;
	if (k >= bias + PUNY_TMAX)
		return PUNY_TMAX;
	return k - bias;
}

/* RFC 3492 5: 0-25 are a-z, 26-35 are 0-9. */
static char
puny_digit(uint32_t d)
{
	return (char)(d < 26 ? 'a' + d : '0' + d - 26);
}

/* The value of a digit of either case, or PUNY_BASE for none. */
static uint32_t
puny_value(unsigned char ch)
{
	if (ch >= 'a' && ch <= 'z')
		return (uint32_t)(ch - 'a');
	if (ch >= 'A' && ch <= 'Z')
		return (uint32_t)(ch - 'A');
	if (ch >= '0' && ch <= '9')
		return (uint32_t)(ch - '0') + 26;
	return PUNY_BASE;
}

/* Writes delta as a generalized variable-length integer (RFC 3492 3.3). */
static int
puny_put_delta(uint32_t q, uint32_t bias, char *out, size_t cap,
    size_t *len)
{
	uint32_t k, t;

	for (k = PUNY_BASE;; k += PUNY_BASE) {
		t = puny_threshold(k, bias);
		if (q < t)
			break;
		if (*len >= cap)
			return -ENOSPC;
		out[(*len)++] = puny_digit(t + (q - t) % (PUNY_BASE - t));
		q = (q - t) / (PUNY_BASE - t);
	}
	if (*len >= cap)
		return -ENOSPC;
	out[(*len)++] = puny_digit(q);
	return 0;
}

/* The smallest code point of in that is >= n (in holds one). */
static uint32_t
puny_next_min(const uint32_t *in, size_t n, uint32_t from)
{
	uint32_t m = UINT32_MAX;
	size_t j;

	for (j = 0; j < n; j++)
		if (in[j] >= from && in[j] < m)
			m = in[j];
	return m;
}

int
idna_punycode_encode(const uint32_t *in, size_t n, char *out,
    size_t *outlen)
{
	uint32_t cp = PUNY_N, delta = 0, bias = PUNY_BIAS, h, b, m;
	size_t j, len = 0, cap = *outlen;
	int rc;

	if (n >= UINT32_MAX)
		return -EOVERFLOW;
	for (j = 0; j < n; j++) {
		if (!idna_cp_ok(in[j]))
			return -EINVAL;
		if (in[j] < 0x80) {
			if (len >= cap)
				return -ENOSPC;
			out[len++] = (char)in[j];
		}
	}
	h = b = (uint32_t)len;
	if (b > 0) {
		if (len >= cap)
			return -ENOSPC;
		out[len++] = PUNY_DELIM;
	}
	while (h < n) {
		m = puny_next_min(in, n, cp);
		if (m - cp > (UINT32_MAX - delta) / (h + 1))
			return -EOVERFLOW;
		delta += (m - cp) * (h + 1);
		cp = m;
		for (j = 0; j < n; j++) {
			if (in[j] < cp && ++delta == 0)
				return -EOVERFLOW;
			if (in[j] != cp)
				continue;
			if ((rc = puny_put_delta(delta, bias, out, cap,
			    &len)) < 0)
				return rc;
			bias = puny_adapt(delta, h + 1, h == b);
			delta = 0;
			h++;
		}
		delta++;
		cp++;
	}
	*outlen = len;
	return 0;
}

/* Reads one generalized variable-length integer into *i (RFC 3492 6.2). */
static int
puny_get_delta(const char *in, size_t n, size_t *pos, uint32_t bias,
    uint32_t *i)
{
	uint32_t w = 1, k, digit, t;

	for (k = PUNY_BASE;; k += PUNY_BASE) {
		if (*pos >= n)
			return -EINVAL;
		digit = puny_value((unsigned char)in[(*pos)++]);
		if (digit >= PUNY_BASE)
			return -EINVAL;
		if (digit > (UINT32_MAX - *i) / w)
			return -EOVERFLOW;
		*i += digit * w;
		t = puny_threshold(k, bias);
		if (digit < t)
			return 0;
		if (w > UINT32_MAX / (PUNY_BASE - t))
			return -EOVERFLOW;
		w *= PUNY_BASE - t;
	}
}

int
idna_punycode_decode(const char *in, size_t n, uint32_t *out,
    size_t *outlen)
{
	uint32_t cp = PUNY_N, i = 0, bias = PUNY_BIAS, oldi, len;
	size_t b = 0, j, pos, cap = *outlen;
	int rc;

	if (n >= UINT32_MAX || cap >= UINT32_MAX)
		return -EOVERFLOW;
	for (j = 0; j < n; j++)
		if (in[j] == PUNY_DELIM)
			b = j;
	if (b > cap)
		return -ENOSPC;
	for (j = 0; j < b; j++) {
		if ((unsigned char)in[j] >= 0x80)
			return -EINVAL;
		out[j] = (unsigned char)in[j];
	}
	len = (uint32_t)b;
	for (pos = b > 0 ? b + 1 : 0; pos < n; len++) {
		oldi = i;
		if ((rc = puny_get_delta(in, n, &pos, bias, &i)) < 0)
			return rc;
		bias = puny_adapt(i - oldi, len + 1, oldi == 0);
		if (i / (len + 1) > UINT32_MAX - cp)
			return -EOVERFLOW;
		cp += i / (len + 1);
		i %= len + 1;
		if (!idna_cp_ok(cp))
			return -EINVAL;
		if (len >= cap)
			return -ENOSPC;
		memmove(out + i + 1, out + i, (len - i) * sizeof(*out));
		out[i++] = cp;
	}
	*outlen = len;
	return 0;
}

/* --- UTS #46 mapping ------------------------------------------------------ */

/*
 * How a code point is mapped.  Rows cover the ranges named in idna.h
 * with the outcome libidn2 2.3.3 gives (its UTS #46 table for Unicode 14,
 * then the IDNA2008 test that refuses the symbols that table keeps, such
 * as U+00A9); they were checked code point by code point against it.
 * Code points outside every row are kept as they are.
 */
enum idna_kind {
	IDNA_BAD,	/* refused */
	IDNA_GONE,	/* ignored: removed from the name */
	IDNA_ADD,	/* mapped to c + arg */
	IDNA_PAIR,	/* c with lo's parity maps to c + 1, the other kept */
	IDNA_TO,	/* mapped to the code point arg */
	IDNA_SEQ,	/* mapped to idna_seqs[arg] */
	IDNA_LOW	/* mapped to c + arg, then A-Z to a-z */
};

struct idna_rule {
	uint32_t lo, hi;
	int32_t arg;
	enum idna_kind kind;
};

/* Mappings to more than one code point: the count, then the points. */
static const uint32_t idna_seqs[][4] = {
	{ 2, 0x69, 0x307, 0 },		/* 0: U+0130 */
	{ 2, 0x69, 0x6a, 0 },		/* 1: ij */
	{ 2, 0x6c, 0xb7, 0 },		/* 2: l middle dot */
	{ 2, 0x2bc, 0x6e, 0 },		/* 3: U+0149 */
	{ 2, 0x64, 0x17e, 0 },		/* 4: dz caron */
	{ 2, 0x6c, 0x6a, 0 },		/* 5: lj */
	{ 2, 0x6e, 0x6a, 0 },		/* 6: nj */
	{ 2, 0x64, 0x7a, 0 },		/* 7: dz */
	{ 2, 0x308, 0x301, 0 },		/* 8: U+0344 */
	{ 2, 0x61, 0x2be, 0 },		/* 9: U+1E9A */
	{ 2, 0x73, 0x73, 0 },		/* 10: capital sharp s */
	{ 2, 0x21, 0x21, 0 },		/* 11: U+203C */
	{ 2, 0x3f, 0x3f, 0 },		/* 12: U+2047 */
	{ 2, 0x3f, 0x21, 0 },		/* 13: U+2048 */
	{ 2, 0x21, 0x3f, 0 },		/* 14: U+2049 */
	{ 2, 0x72, 0x73, 0 },		/* 15: U+20A8 */
	{ 2, 0x20, 0x308, 0 },		/* 16: U+00A8 */
	{ 2, 0x20, 0x304, 0 },		/* 17: U+00AF, U+FFE3 */
	{ 2, 0x20, 0x301, 0 },		/* 18: U+00B4, U+0384 */
	{ 2, 0x20, 0x327, 0 },		/* 19: U+00B8 */
	{ 2, 0x20, 0x306, 0 },		/* 20: U+02D8 */
	{ 2, 0x20, 0x307, 0 },		/* 21: U+02D9 */
	{ 2, 0x20, 0x30a, 0 },		/* 22: U+02DA */
	{ 2, 0x20, 0x328, 0 },		/* 23: U+02DB */
	{ 2, 0x20, 0x303, 0 },		/* 24: U+02DC */
	{ 2, 0x20, 0x30b, 0 },		/* 25: U+02DD */
	{ 2, 0x20, 0x3b9, 0 },		/* 26: U+037A */
	{ 3, 0x20, 0x308, 0x301 },	/* 27: U+0385 */
	{ 2, 0x20, 0x333, 0 },		/* 28: U+2017 */
	{ 2, 0x20, 0x305, 0 },		/* 29: U+203E */
	{ 3, 0x3a, 0x3a, 0x3d },	/* 30: U+2A74 */
	{ 2, 0x3d, 0x3d, 0 },		/* 31: U+2A75 */
	{ 3, 0x3d, 0x3d, 0x3d },	/* 32: U+2A76 */
	{ 2, 0x565, 0x582, 0 },		/* 33: U+0587 */
	{ 2, 0x20, 0x3099, 0 },		/* 34: U+309B */
	{ 2, 0x20, 0x309a, 0 },		/* 35: U+309C */
	{ 2, 0x3088, 0x308a, 0 },	/* 36: U+309F */
	{ 2, 0x30b3, 0x30c8, 0 },	/* 37: U+30FF */
};

#define R(lo, hi, kind, arg) { lo, hi, arg, IDNA_##kind }
#define R1(c, kind, arg) { c, c, arg, IDNA_##kind }

/* Sorted, not overlapping. */
static const struct idna_rule idna_rules[] = {
	/* Latin-1 Supplement: C1 controls and symbols refused; U+00BC-U+00BE
	 * map to fractions with U+2044, which is refused. */
	R(0x80, 0x9f, BAD, 0),
	R1(0xa0, TO, 0x20),
	R(0xa1, 0xa7, BAD, 0),
	R1(0xa8, SEQ, 16),
	R1(0xa9, BAD, 0),
	R1(0xaa, TO, 0x61),
	R(0xab, 0xac, BAD, 0),
	R1(0xad, GONE, 0),
	R1(0xae, BAD, 0),
	R1(0xaf, SEQ, 17),
	R(0xb0, 0xb1, BAD, 0),
	R(0xb2, 0xb3, ADD, -0x80),
	R1(0xb4, SEQ, 18),
	R1(0xb5, TO, 0x3bc),
	R1(0xb6, BAD, 0),
	R1(0xb8, SEQ, 19),
	R1(0xb9, TO, 0x31),
	R1(0xba, TO, 0x6f),
	R(0xbb, 0xbf, BAD, 0),
	R(0xc0, 0xd6, ADD, 0x20),
	R1(0xd7, BAD, 0),
	R(0xd8, 0xde, ADD, 0x20),
	R1(0xf7, BAD, 0),
	/* Latin Extended-A */
	R(0x100, 0x12f, PAIR, 0),
	R1(0x130, SEQ, 0),
	R(0x132, 0x133, SEQ, 1),
	R(0x134, 0x137, PAIR, 0),
	R(0x139, 0x13e, PAIR, 0),
	R(0x13f, 0x140, SEQ, 2),
	R(0x141, 0x148, PAIR, 0),
	R1(0x149, SEQ, 3),
	R(0x14a, 0x177, PAIR, 0),
	R1(0x178, TO, 0xff),
	R(0x179, 0x17e, PAIR, 0),
	R1(0x17f, TO, 0x73),
	/* Latin Extended-B */
	R1(0x181, TO, 0x253),
	R(0x182, 0x185, PAIR, 0),
	R1(0x186, TO, 0x254),
	R1(0x187, ADD, 1),
	R(0x189, 0x18a, ADD, 0xcd),
	R1(0x18b, ADD, 1),
	R1(0x18e, TO, 0x1dd),
	R1(0x18f, TO, 0x259),
	R1(0x190, TO, 0x25b),
	R1(0x191, ADD, 1),
	R1(0x193, TO, 0x260),
	R1(0x194, TO, 0x263),
	R1(0x196, TO, 0x269),
	R1(0x197, TO, 0x268),
	R1(0x198, ADD, 1),
	R1(0x19c, TO, 0x26f),
	R1(0x19d, TO, 0x272),
	R1(0x19f, TO, 0x275),
	R(0x1a0, 0x1a5, PAIR, 0),
	R1(0x1a6, TO, 0x280),
	R1(0x1a7, ADD, 1),
	R1(0x1a9, TO, 0x283),
	R1(0x1ac, ADD, 1),
	R1(0x1ae, TO, 0x288),
	R1(0x1af, ADD, 1),
	R(0x1b1, 0x1b2, ADD, 0xd9),
	R(0x1b3, 0x1b6, PAIR, 0),
	R1(0x1b7, TO, 0x292),
	R1(0x1b8, ADD, 1),
	R1(0x1bc, ADD, 1),
	R(0x1c4, 0x1c6, SEQ, 4),
	R(0x1c7, 0x1c9, SEQ, 5),
	R(0x1ca, 0x1cc, SEQ, 6),
	R(0x1cd, 0x1dc, PAIR, 0),
	R(0x1de, 0x1ef, PAIR, 0),
	R(0x1f1, 0x1f3, SEQ, 7),
	R1(0x1f4, ADD, 1),
	R1(0x1f6, TO, 0x195),
	R1(0x1f7, TO, 0x1bf),
	R(0x1f8, 0x21f, PAIR, 0),
	R1(0x220, TO, 0x19e),
	R(0x222, 0x233, PAIR, 0),
	R1(0x23a, TO, 0x2c65),
	R1(0x23b, ADD, 1),
	R1(0x23d, TO, 0x19a),
	R1(0x23e, TO, 0x2c66),
	R1(0x241, ADD, 1),
	R1(0x243, TO, 0x180),
	R1(0x244, TO, 0x289),
	R1(0x245, TO, 0x28c),
	R(0x246, 0x24f, PAIR, 0),
	/* Spacing modifier letters */
	R1(0x2b0, TO, 0x68),
	R1(0x2b1, TO, 0x266),
	R1(0x2b2, TO, 0x6a),
	R1(0x2b3, TO, 0x72),
	R1(0x2b4, TO, 0x279),
	R1(0x2b5, TO, 0x27b),
	R1(0x2b6, TO, 0x281),
	R1(0x2b7, TO, 0x77),
	R1(0x2b8, TO, 0x79),
	R(0x2c2, 0x2c5, BAD, 0),
	R(0x2d2, 0x2d7, BAD, 0),
	R1(0x2d8, SEQ, 20),
	R1(0x2d9, SEQ, 21),
	R1(0x2da, SEQ, 22),
	R1(0x2db, SEQ, 23),
	R1(0x2dc, SEQ, 24),
	R1(0x2dd, SEQ, 25),
	R(0x2de, 0x2df, BAD, 0),
	R1(0x2e0, TO, 0x263),
	R1(0x2e1, TO, 0x6c),
	R1(0x2e2, TO, 0x73),
	R1(0x2e3, TO, 0x78),
	R1(0x2e4, TO, 0x295),
	R(0x2e5, 0x2eb, BAD, 0),
	R1(0x2ed, BAD, 0),
	R(0x2ef, 0x2ff, BAD, 0),
	/* Combining diacritical marks */
	R(0x340, 0x341, ADD, -0x40),
	R1(0x343, TO, 0x313),
	R1(0x344, SEQ, 8),
	R1(0x345, TO, 0x3b9),
	R1(0x34f, GONE, 0),
	/* Greek */
	R(0x370, 0x373, PAIR, 0),
	R1(0x374, TO, 0x2b9),
	R1(0x376, ADD, 1),
	R(0x378, 0x379, BAD, 0),
	R1(0x37a, SEQ, 26),
	R1(0x37e, TO, 0x3b),
	R1(0x37f, TO, 0x3f3),
	R(0x380, 0x383, BAD, 0),
	R1(0x384, SEQ, 18),
	R1(0x385, SEQ, 27),
	R1(0x386, TO, 0x3ac),
	R1(0x387, TO, 0xb7),
	R(0x388, 0x38a, ADD, 0x25),
	R1(0x38b, BAD, 0),
	R1(0x38c, TO, 0x3cc),
	R1(0x38d, BAD, 0),
	R(0x38e, 0x38f, ADD, 0x3f),
	R(0x391, 0x3a1, ADD, 0x20),
	R1(0x3a2, BAD, 0),
	R(0x3a3, 0x3ab, ADD, 0x20),
	R1(0x3cf, TO, 0x3d7),
	R1(0x3d0, TO, 0x3b2),
	R1(0x3d1, TO, 0x3b8),
	R1(0x3d2, TO, 0x3c5),
	R1(0x3d3, TO, 0x3cd),
	R1(0x3d4, TO, 0x3cb),
	R1(0x3d5, TO, 0x3c6),
	R1(0x3d6, TO, 0x3c0),
	R(0x3d8, 0x3ef, PAIR, 0),
	R1(0x3f0, TO, 0x3ba),
	R1(0x3f1, TO, 0x3c1),
	R1(0x3f2, TO, 0x3c3),
	R1(0x3f4, TO, 0x3b8),
	R1(0x3f5, TO, 0x3b5),
	R1(0x3f6, BAD, 0),
	R1(0x3f7, ADD, 1),
	R1(0x3f9, TO, 0x3c3),
	R1(0x3fa, ADD, 1),
	R(0x3fd, 0x3ff, ADD, -0x82),
	/* Cyrillic and Cyrillic Supplement */
	R(0x400, 0x40f, ADD, 0x50),
	R(0x410, 0x42f, ADD, 0x20),
	R(0x460, 0x481, PAIR, 0),
	R1(0x482, BAD, 0),
	R(0x488, 0x489, BAD, 0),
	R(0x48a, 0x4bf, PAIR, 0),
	R1(0x4c0, BAD, 0),
	R(0x4c1, 0x4ce, PAIR, 0),
	R(0x4d0, 0x52f, PAIR, 0),
	/* Armenian */
	R1(0x530, BAD, 0),
	R(0x531, 0x556, ADD, 0x30),
	R(0x557, 0x558, BAD, 0),
	R(0x55a, 0x55f, BAD, 0),
	R1(0x587, SEQ, 33),
	R(0x589, 0x590, BAD, 0),
	/* Hangul Jamo (the conjoining forms) */
	R(0x1100, 0x11ff, BAD, 0),
	/* Mongolian free variation selectors */
	R(0x180b, 0x180d, GONE, 0),
	R1(0x180e, BAD, 0),
	R1(0x180f, GONE, 0),
	/* Latin Extended Additional */
	R(0x1e00, 0x1e95, PAIR, 0),
	R1(0x1e9a, SEQ, 9),
	R1(0x1e9b, TO, 0x1e61),
	R1(0x1e9e, SEQ, 10),
	R(0x1ea0, 0x1eff, PAIR, 0),
	/* General punctuation, superscripts and subscripts */
	R(0x2000, 0x200a, TO, 0x20),
	R1(0x200b, GONE, 0),
	R(0x200c, 0x2016, BAD, 0),
	R1(0x2017, SEQ, 28),
	R(0x2018, 0x202e, BAD, 0),
	R1(0x202f, TO, 0x20),
	R(0x2030, 0x203b, BAD, 0),
	R1(0x203c, SEQ, 11),
	R1(0x203d, BAD, 0),
	R1(0x203e, SEQ, 29),
	R(0x203f, 0x2046, BAD, 0),
	R1(0x2047, SEQ, 12),
	R1(0x2048, SEQ, 13),
	R1(0x2049, SEQ, 14),
	R(0x204a, 0x205e, BAD, 0),
	R1(0x205f, TO, 0x20),
	R1(0x2060, GONE, 0),
	R(0x2061, 0x2063, BAD, 0),
	R1(0x2064, GONE, 0),
	R(0x2065, 0x206f, BAD, 0),
	R1(0x2070, TO, 0x30),
	R1(0x2071, TO, 0x69),
	R(0x2072, 0x2073, BAD, 0),
	R(0x2074, 0x2079, ADD, -0x2040),
	R1(0x207a, TO, 0x2b),
	R1(0x207b, BAD, 0),
	R1(0x207c, TO, 0x3d),
	R(0x207d, 0x207e, ADD, -0x2055),
	R1(0x207f, TO, 0x6e),
	R(0x2080, 0x2089, ADD, -0x2050),
	R1(0x208a, TO, 0x2b),
	R1(0x208b, BAD, 0),
	R1(0x208c, TO, 0x3d),
	R(0x208d, 0x208e, ADD, -0x2065),
	R1(0x208f, BAD, 0),
	R1(0x2090, TO, 0x61),
	R1(0x2091, TO, 0x65),
	R1(0x2092, TO, 0x6f),
	R1(0x2093, TO, 0x78),
	R1(0x2094, TO, 0x259),
	R1(0x2095, TO, 0x68),
	R(0x2096, 0x2099, ADD, -0x202b),
	R1(0x209a, TO, 0x70),
	R(0x209b, 0x209c, ADD, -0x2028),
	R(0x209d, 0x20a7, BAD, 0),
	R1(0x20a8, SEQ, 15),
	/* currency, symbols, arrows, mathematical operators, technical,
	 * box drawing, dingbats, miscellaneous symbols */
	R(0x20a9, 0x20ff, BAD, 0),
	R(0x2185, 0x225f, BAD, 0),
	R(0x2261, 0x226d, BAD, 0),	/* U+2260, U+226E, U+226F: STD3 */
	R(0x2270, 0x245f, BAD, 0),
	R(0x24eb, 0x2a73, BAD, 0),
	R1(0x2a74, SEQ, 30),
	R1(0x2a75, SEQ, 31),
	R1(0x2a76, SEQ, 32),
	R(0x2a77, 0x2bff, BAD, 0),
	/* CJK radicals */
	R(0x2e30, 0x2e9e, BAD, 0),
	R(0x2ea0, 0x2ef2, BAD, 0),
	/* CJK symbols and punctuation */
	R1(0x3000, TO, 0x20),
	R1(0x3001, BAD, 0),
	R1(0x3002, TO, 0x2e),
	R(0x3003, 0x3004, BAD, 0),
	R(0x3008, 0x3029, BAD, 0),
	R(0x302e, 0x3037, BAD, 0),
	R1(0x3038, TO, 0x5341),
	R(0x3039, 0x303a, ADD, 0x230b),
	R1(0x303b, BAD, 0),
	R(0x303d, 0x3040, BAD, 0),
	/* Hiragana and Katakana */
	R(0x3097, 0x3098, BAD, 0),
	R1(0x309b, SEQ, 34),
	R1(0x309c, SEQ, 35),
	R1(0x309f, SEQ, 36),
	R1(0x30a0, BAD, 0),
	R1(0x30ff, SEQ, 37),
	/* CJK: Yijing hexagrams, code points after IDNA2008's tables */
	R(0x4db6, 0x4dff, BAD, 0),
	R(0x9ff0, 0x9fff, BAD, 0),
	/* private use (surrogates never get here) */
	R(0xd7a4, 0xf8ff, BAD, 0),
	/* variation selectors */
	R(0xfe00, 0xfe0f, GONE, 0),
	R1(0xfeff, GONE, 0),
	/* full-width ASCII */
	R1(0xff00, BAD, 0),
	R(0xff01, 0xff5e, LOW, -0xfee0),
	R(0xff5f, 0xff60, BAD, 0),
	R1(0xff61, TO, 0x2e),
	R(0xff62, 0xff64, BAD, 0),
	/* half-width Hangul, full-width signs, specials */
	R(0xffa0, 0xffe2, BAD, 0),
	R1(0xffe3, SEQ, 17),
	R(0xffe4, 0xffff, BAD, 0),
	R(0x1bca0, 0x1bca3, GONE, 0),
	/* mahjong, domino, playing cards, emoji, pictographs, symbols */
	R(0x1eebc, 0x1f0ff, BAD, 0),
	R(0x1f191, 0x1f1ff, BAD, 0),
	R(0x1f252, 0x1fbef, BAD, 0),
	R(0x1fbf0, 0x1fbf9, ADD, -0x1fbc0),	/* segmented digits */
	R(0x1fbfa, 0x1ffff, BAD, 0),
	/* unassigned in Unicode 14 or not in IDNA2008's tables, tags */
	R(0x2a6d7, 0x2a6ff, BAD, 0),
	R(0x2b735, 0x2b73f, BAD, 0),
	R(0x2b81e, 0x2b81f, BAD, 0),
	R(0x2cea2, 0x2ceaf, BAD, 0),
	R(0x2ebe1, 0x2f7ff, BAD, 0),
	R(0x2fa1e, 0xe00ff, BAD, 0),
	R(0xe0100, 0xe01ef, GONE, 0),
	/* private use planes */
	R(0xe01f0, 0x10ffff, BAD, 0),
};

#undef R
#undef R1

static const struct idna_rule *
idna_rule_of(uint32_t c)
{
	size_t lo = 0, hi = sizeof(idna_rules) / sizeof(idna_rules[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c < idna_rules[mid].lo)
			hi = mid;
		else if (c > idna_rules[mid].hi)
			lo = mid + 1;
		else
			return &idna_rules[mid];
	}
	return NULL;
}

/*
 * UTS #46 mapping of one code point into m (room for 3): returns the
 * number of code points written (0 for an ignored one) or -1 when c is
 * refused.
 */
static int
idna_map(uint32_t c, uint32_t *m)
{
	const struct idna_rule *r;

	if (c < 0x80) {
		m[0] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
		return 1;
	}
	if ((r = idna_rule_of(c)) == NULL) {
		m[0] = c;
		return 1;
	}
	switch (r->kind) {
	case IDNA_BAD:
		return -1;
	case IDNA_GONE:
		return 0;
	case IDNA_ADD:
		m[0] = (uint32_t)((int32_t)c + r->arg);
		return 1;
	case IDNA_PAIR:
		m[0] = (c - r->lo) % 2 == 0 ? c + 1 : c;
		return 1;
	case IDNA_TO:
		m[0] = (uint32_t)r->arg;
		return 1;
	case IDNA_SEQ:
		memcpy(m, &idna_seqs[r->arg][1], 3 * sizeof(*m));
		return (int)idna_seqs[r->arg][0];
	case IDNA_LOW:
		return idna_map((uint32_t)((int32_t)c + r->arg), m);
	}
	return -1;
}

/* A combining mark (general category M) of the ranges this module
 * knows: a label must not start with one (RFC 5891 5.4). */
static bool
idna_is_mark(uint32_t c)
{
	return (c >= 0x300 && c <= 0x36f) || (c >= 0x483 && c <= 0x489) ||
	    (c >= 0x1ab0 && c <= 0x1aff) || (c >= 0x1dc0 && c <= 0x1dff) ||
	    (c >= 0x20d0 && c <= 0x20ff) || (c >= 0x302a && c <= 0x302f) ||
	    (c >= 0x3099 && c <= 0x309a) || (c >= 0xfe20 && c <= 0xfe2f);
}

/* --- UTF-8 ---------------------------------------------------------------- */

/* Decodes one code point of s at *pos; returns it, or UINT32_MAX for
 * invalid UTF-8 (overlong forms, surrogates, past U+10FFFF). */
static uint32_t
idna_utf8_next(const unsigned char *s, size_t *pos)
{
	unsigned char b = s[*pos];
	uint32_t c, min;
	int more, k;

	if (b < 0x80) {
		(*pos)++;
		return b;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		more = 1, c = b & 0x1fu, min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		more = 2, c = b & 0x0fu, min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		more = 3, c = b & 0x07u, min = 0x10000;
	} else
		return UINT32_MAX;
	for (k = 1; k <= more; k++) {
		unsigned char t = s[*pos + (size_t)k];

		if ((t & 0xc0) != 0x80)
			return UINT32_MAX;	/* also stops at the NUL */
		c = c << 6 | (t & 0x3fu);
	}
	if (c < min || !idna_cp_ok(c))
		return UINT32_MAX;
	*pos += (size_t)more + 1;
	return c;
}

/* --- names ---------------------------------------------------------------- */

/* libidn2 refuses a name of 255 code points or more after mapping. */
#define IDNA_MAPPED_MAX	254

/* Decodes and maps the UTF-8 name into cps (IDNA_MAPPED_MAX room). */
static int
idna_map_name(const char *in, uint32_t *cps, size_t *ncps)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t pos = 0, n = 0;
	uint32_t c, m[3];
	int k, j, bad = 0;

	while (s[pos] != '\0') {
		if ((c = idna_utf8_next(s, &pos)) == UINT32_MAX)
			return -EILSEQ;
		if ((k = idna_map(c, m)) < 0)
			bad = -EINVAL;	/* the rest must still be UTF-8 */
		for (j = 0; j < k && bad == 0; j++) {
			if (n >= IDNA_MAPPED_MAX)
				bad = -EMSGSIZE;
			else
				cps[n++] = m[j];
		}
	}
	*ncps = n;
	return bad;
}

/* RFC 5891 4.2.3.1 and UTS #46 4.1: the hyphen rules of every label. */
static bool
idna_hyphens_ok(const uint32_t *l, size_t n)
{
	if (n > 0 && (l[0] == '-' || l[n - 1] == '-'))
		return false;
	return !(n >= 4 && l[2] == '-' && l[3] == '-');
}

/*
 * A label holding non-ASCII code points, as mapped: the hyphen rules, no
 * leading combining mark, and ASCII only from the letters, digits, '-'
 * and '_' (libidn2 decodes its own A-label again, and its punycode
 * decoder refuses every other ASCII byte).
 */
static bool
idna_ulabel_ok(const uint32_t *l, size_t n)
{
	size_t j;

	if (!idna_hyphens_ok(l, n) || (n > 0 && idna_is_mark(l[0])))
		return false;
	for (j = 0; j < n; j++) {
		uint32_t c = l[j];

		if (c < 0x80 && !((c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* An ASCII character that is not a letter, digit, '-' or '.'. */
static bool
idna_std3_char(uint32_t c)
{
	return c < 0x80 && !((c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.');
}

/* The STD3-mapped code points of the ranges above that Unicode
 * normalisation (NFC) replaces: a U-label must be in NFC. */
static bool
idna_not_nfc(uint32_t c)
{
	return c == 0x37e || c == 0x2000 || c == 0x2001;
}

/*
 * Every code point of the decoded A-label l is one the mapping keeps, or
 * one that maps to text with an STD3-disallowed ASCII character (UTS #46
 * "disallowed_STD3_mapped": valid as it is when STD3 rules are off, as
 * dnsmasq calls libidn2).
 */
static bool
idna_all_kept(const uint32_t *l, size_t n)
{
	uint32_t m[3];
	size_t j;
	int k, i;

	for (j = 0; j < n; j++) {
		k = idna_map(l[j], m);
		if (k == 1 && m[0] == l[j])
			continue;
		for (i = 0; i < k && !idna_std3_char(m[i]); i++)
			;
		if (k <= 0 || l[j] < 0x80 || i == k || idna_not_nfc(l[j]))
			return false;
	}
	return true;
}

static bool
idna_has_non_ascii(const uint32_t *l, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (l[j] >= 0x80)
			return true;
	return false;
}

/* A label holding non-ASCII code points becomes "xn--" + punycode. */
static int
idna_ulabel(const uint32_t *l, size_t n, char *out, size_t *len)
{
	size_t room = IDNA_LABEL_MAX - 4;

	if (!idna_ulabel_ok(l, n))
		return -EINVAL;
	memcpy(out, "xn--", 4);
	if (idna_punycode_encode(l, n, out + 4, &room) < 0)
		return -EMSGSIZE;
	*len = room + 4;
	return 0;
}

/*
 * An ASCII label starting with "xn--" (already lower case): the rest
 * must decode to a label that the mapping keeps as it is, holds a
 * non-ASCII code point and passes the label rules, and must be the
 * punycode that encoding it gives (RFC 5891 5.4, UTS #46 4.1).
 */
static bool
idna_alabel_ok(const char *a, size_t n)
{
	uint32_t u[IDNA_LABEL_MAX];
	char back[IDNA_LABEL_MAX];
	size_t nu = IDNA_LABEL_MAX, nb = IDNA_LABEL_MAX - 4;

	if (idna_punycode_decode(a + 4, n - 4, u, &nu) < 0 ||
	    !idna_has_non_ascii(u, nu) || !idna_all_kept(u, nu) ||
	    !idna_ulabel_ok(u, nu) ||
	    idna_punycode_encode(u, nu, back, &nb) < 0)
		return false;
	return nb == n - 4 && memcmp(back, a + 4, nb) == 0;
}

/*
 * Converts the label l of n mapped code points into out (room for
 * IDNA_LABEL_MAX bytes) and sets *len.
 */
static int
idna_label(const uint32_t *l, size_t n, char *out, size_t *len)
{
	size_t j;

	if (idna_has_non_ascii(l, n))
		return idna_ulabel(l, n, out, len);
	if (n > IDNA_LABEL_MAX)
		return -EMSGSIZE;
	for (j = 0; j < n; j++)
		out[j] = (char)l[j];
	*len = n;
	if (n >= 4 && memcmp(out, "xn--", 4) == 0)
		return idna_alabel_ok(out, n) ? 0 : -EINVAL;
	return idna_hyphens_ok(l, n) ? 0 : -EINVAL;
}

int
idna_to_ascii(const char *in, char *out, size_t outsz)
{
	uint32_t cps[IDNA_MAPPED_MAX];
	char buf[IDNA_NAME_MAX + IDNA_LABEL_MAX + 2];
	size_t ncps, s, e, len = 0, llen;
	int rc;

	if ((rc = idna_map_name(in, cps, &ncps)) < 0)
		return rc;
	for (s = 0;; s = e + 1) {
		for (e = s; e < ncps && cps[e] != '.'; e++)
			;
		if (e == ncps && e == s && len > 0)
			break;	/* the empty label after a last dot */
		if ((rc = idna_label(cps + s, e - s, buf + len, &llen)) < 0)
			return rc;
		if ((len += llen) > IDNA_NAME_MAX)
			return -EMSGSIZE;
		if (e == ncps)
			break;
		buf[len++] = '.';
	}
	if (len + 1 > outsz)
		return -ENOSPC;
	memcpy(out, buf, len);
	out[len] = '\0';
	return 0;
}
