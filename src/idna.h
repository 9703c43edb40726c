/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * idna.h - RFC 3492 punycode and the IDNA conversion of configured names.
 *
 * Debian's dnsmasq 2.90 (compile option IDN2) hands every configured
 * domain or host name that holds an upper-case ASCII letter or a byte
 * >= 0x80 to libidn2's idn2_to_ascii_lz(name, &out, IDN2_NONTRANSITIONAL)
 * and refuses the name when that fails; names in lower-case ASCII skip
 * it.  idna_to_ascii() gives libidn2 2.3.3's verdict and output (Debian
 * 12) without the library: pxemasq links libc, libpcap and libcap only.
 *
 * What libidn2 2.3.3 does, and so what idna_to_ascii() does:
 *   1. The name must be valid UTF-8 (no overlong forms, no surrogates,
 *      nothing past U+10FFFF).  dnsmasq calls setlocale() and libidn2
 *      converts from the locale's character set, so dnsmasq refuses every
 *      non-ASCII name in the C locale and reads Latin-1 bytes in a Latin-1
 *      locale; pxemasq reads UTF-8 whatever the locale (it calls no
 *      setlocale()), as dnsmasq does under a UTF-8 locale.
 *   2. UTS #46 mapping: A-Z become a-z; other letters are lower-cased or
 *      mapped (U+00C4 to U+00E4, U+0130 to "i" U+0307, full-width A to
 *      a, U+00A0 and U+2000-U+200A to a space, U+3002, U+FF0E, U+FF61 to
 *      '.'), some code points are removed (soft hyphen, zero width space,
 *      variation selectors) and symbols, emoji, controls and private use
 *      code points are refused.  255 or more code points after mapping
 *      are too many.
 *   3. The name splits into labels at '.'; empty labels pass.  No label
 *      may start or end with '-', nor have "--" in its third and fourth
 *      places unless it starts with "xn--".
 *   4. An ASCII label is kept, at most 63 bytes.  Every ASCII byte
 *      passes, not only letters, digits and '-' (STD3 rules are off).
 *   5. A label starting with "xn--" must be the punycode (shortest form,
 *      any case) of a label of at least one non-ASCII code point that
 *      passes these rules unchanged (the mapping keeps each of its code
 *      points, or maps it to text with ASCII punctuation or space, as
 *      U+00A0); the result is the label in lower case.
 *   6. Any other label becomes "xn--" + punycode, at most 63 bytes.  It
 *      must not start with a combining mark, and its ASCII characters
 *      must be letters, digits, '-' or '_' (libidn2 decodes its own
 *      A-label again, and its decoder takes no other ASCII).
 *   7. The result, without one trailing dot, is at most 253 bytes.
 *
 * Where this differs from libidn2 2.3.3, which uses the full IDNA2008 and
 * UTS #46 tables while this module uses arithmetic rules and ranges.
 * Measured by running both on every code point alone, after "a", after
 * "x" U+00E4, as an A-label of "a" and the code point, on libidn2's
 * A-label of each, and on 835,000 generated names (mixed-case ASCII,
 * hyphens, underscores, punctuation, valid and damaged xn-- labels,
 * Latin, Greek, Cyrillic, Armenian, Vietnamese, CJK, emoji, invalid
 * UTF-8, long labels and names):
 *   - Same verdict and output for every name of ASCII that has no xn--
 *     label, and for every name whose code points (and whose A-labels'
 *     decoded code points) lie in U+0000-U+02FF, U+0370-U+0590,
 *     U+1100-U+11FF, U+1E00-U+1EFF, U+2000-U+20FF, U+2185-U+245F,
 *     U+24EB-U+2BFF, U+3000-U+30FF, U+3400-U+9FFF, U+AC00-U+F8FF,
 *     U+FE00-U+FE0F, U+FEFF, U+FF00-U+FF5E, U+FFA0-U+FFFF,
 *     U+1EEBC-U+1F0FF, U+1F191-U+1F1FF, U+1F252-U+1FFFF,
 *     U+20000-U+2F7FF and U+2FA1E-U+10FFFF (Latin, IPA, Greek, Cyrillic,
 *     Armenian, Vietnamese, general punctuation, symbols, arrows,
 *     mathematical operators, box drawing, dingbats, kana, CJK, Hangul,
 *     private use, full-width ASCII, emoji, unassigned planes), with
 *     combining marks U+0300-U+036F too, except for normalisation below.
 *   - No Unicode normalisation (NFC): libidn2 composes "e" U+0301 into
 *     U+00E9 before encoding, pxemasq encodes the two code points (both
 *     accept, the A-labels differ); libidn2 refuses an A-label whose
 *     U-label is not composed, pxemasq accepts it.
 *   - Elsewhere a code point is kept as written.  libidn2 also refuses the
 *     code points unassigned in Unicode 14 or disallowed by IDNA2008
 *     there (punctuation and symbols of other scripts), labels that start
 *     with one of their combining marks, and right-to-left labels that
 *     break the RFC 5893 bidi rule (e.g. Hebrew or Arabic mixed with
 *     Latin letters); pxemasq accepts them.  libidn2 maps compatibility
 *     forms there (letter-like symbols such as U+2122 to "tm", Roman
 *     numerals, circled and parenthesised numbers and letters, ligatures
 *     such as U+FB01 to "fi", Greek Extended capitals, half-width
 *     katakana, CJK compatibility ideographs, enclosed ideographs,
 *     mathematical alphanumerics); pxemasq encodes them unchanged, and
 *     accepts them in A-labels, where libidn2 refuses all but those
 *     mapped to ASCII punctuation or space.  Of the 1,111,936
 *     non-ASCII code points, each alone: 48,464 refused by libidn2 and
 *     accepted by pxemasq, 4,889 accepted by both with different output,
 *     none accepted by libidn2 only.
 *   - pxemasq refuses a name libidn2 accepts only when a compatibility
 *     form made a label ASCII for libidn2 while a space is in it (U+212A
 *     KELVIN SIGN and U+2002 EN SPACE: "k " there, a non-ASCII label with
 *     a space here), when a decomposed label fits in 63 bytes only
 *     composed, or for the joiners below.
 *   - ZERO WIDTH (NON-)JOINER U+200C/U+200D is always refused; libidn2
 *     accepts it after a virama (RFC 5892 CONTEXTJ).
 * L0 module: libc only.
 */
#ifndef PXEMASQ_IDNA_H
#define PXEMASQ_IDNA_H

#include <stddef.h>
#include <stdint.h>

#define IDNA_LABEL_MAX	63	/* RFC 1035 2.3.4: octets of a label */
#define IDNA_NAME_MAX	253	/* text form, without a trailing dot */

/*
 * RFC 3492 6.3: encodes the n code points of in as punycode (lower-case
 * digits, no "xn--") into out, which has room for *outlen bytes; no NUL
 * is written.  On success *outlen is the length written.
 * Returns 0, -EINVAL (a code point past U+10FFFF or a surrogate),
 * -ENOSPC (out too small) or -EOVERFLOW (RFC 3492 6.4).
 */
int idna_punycode_encode(const uint32_t *in, size_t n, char *out,
    size_t *outlen);

/*
 * RFC 3492 6.2: decodes the n bytes of in (no "xn--") into out, which
 * has room for *outlen code points; digits may be either case.  On
 * success *outlen is the number of code points.  Returns 0, -EINVAL (bad
 * digit, non-ASCII byte, truncated number, a surrogate or a code point
 * past U+10FFFF), -ENOSPC or -EOVERFLOW.
 */
int idna_punycode_decode(const char *in, size_t n, uint32_t *out,
    size_t *outlen);

/*
 * idn2_to_ascii_lz(in, &x, IDN2_NONTRANSITIONAL) as described above:
 * writes the ASCII form of the UTF-8 name in to out (NUL-terminated,
 * outsz bytes).  Returns 0, -EILSEQ (invalid UTF-8), -EINVAL (a label
 * breaks a rule or holds a refused code point), -EMSGSIZE (label or name
 * too long) or -ENOSPC (out too small; IDNA_NAME_MAX + 2 always fits).
 */
int idna_to_ascii(const char *in, char *out, size_t outsz);

#endif
