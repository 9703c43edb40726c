/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_idna.c - punycode against the samples of RFC 3492 7.1, and
 * idna_to_ascii() against the answers of libidn2 2.3.3's
 * idn2_to_ascii_lz(name, &out, IDN2_NONTRANSITIONAL) (Debian 12, called
 * under the C.UTF-8 locale), which is what Debian's dnsmasq 2.90 uses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <uchar.h>
#include <cmocka.h>

#include "idna.h"

/* --- punycode ------------------------------------------------------------ */

struct puny_sample {
	const char *name;
	const char32_t *u;
	const char *ace;	/* as printed in the RFC */
};

/* RFC 3492 7.1 (Unicode code points of each sample, and its punycode). */
static const struct puny_sample rfc3492[] = {
	{ "(A) Arabic (Egyptian)",
	    U"\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644"
	    U"\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F",
	    "egbpdaj6bu4bxfgehfvwxn" },
	{ "(B) Chinese (simplified)",
	    U"\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587",
	    "ihqwcrb4cv8a8dqg056pqjye" },
	{ "(C) Chinese (traditional)",
	    U"\u4ED6\u5011\u7232\u4EC0\u9EBD\u4E0D\u8AAA\u4E2D\u6587",
	    "ihqwctvzc91f659drss3x8bo0yb" },
	{ "(D) Czech",
	    U"Pro\u010Dprost\u011Bnemluv\u00ED\u010Desky",
	    "Proprostnemluvesky-uyb24dma41a" },
	{ "(E) Hebrew",
	    U"\u05DC\u05DE\u05D4\u05D4\u05DD\u05E4\u05E9\u05D5\u05D8"
	    U"\u05DC\u05D0\u05DE\u05D3\u05D1\u05E8\u05D9\u05DD\u05E2"
	    U"\u05D1\u05E8\u05D9\u05EA",
	    "4dbcagdahymbxekheh6e0a7fei0b" },
	{ "(F) Hindi (Devanagari)",
	    U"\u092F\u0939\u0932\u094B\u0917\u0939\u093F\u0928\u094D"
	    U"\u0926\u0940\u0915\u094D\u092F\u094B\u0902\u0928\u0939"
	    U"\u0940\u0902\u092C\u094B\u0932\u0938\u0915\u0924\u0947"
	    U"\u0939\u0948\u0902",
	    "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd" },
	{ "(G) Japanese (kanji and hiragana)",
	    U"\u306A\u305C\u307F\u3093\u306A\u65E5\u672C\u8A9E\u3092"
	    U"\u8A71\u3057\u3066\u304F\u308C\u306A\u3044\u306E\u304B",
	    "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa" },
	{ "(H) Korean (Hangul syllables)",
	    U"\uC138\uACC4\uC758\uBAA8\uB4E0\uC0AC\uB78C\uB4E4\uC774"
	    U"\uD55C\uAD6D\uC5B4\uB97C\uC774\uD574\uD55C\uB2E4\uBA74"
	    U"\uC5BC\uB9C8\uB098\uC88B\uC744\uAE4C",
	    "989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879cc"
	    "m6fea98c" },
	{ "(I) Russian (Cyrillic)",
	    U"\u043F\u043E\u0447\u0435\u043C\u0443\u0436\u0435\u043E"
	    U"\u043D\u0438\u043D\u0435\u0433\u043E\u0432\u043E\u0440"
	    U"\u044F\u0442\u043F\u043E\u0440\u0443\u0441\u0441\u043A"
	    U"\u0438",
	    "b1abfaaepdrnnbgefbadotcwatmq2g4l" },
	{ "(J) Spanish",
	    U"Porqu\u00E9nopuedensimplementehablarenEspa\u00F1ol",
	    "PorqunopuedensimplementehablarenEspaol-fmd56a" },
	{ "(K) Vietnamese",
	    U"T\u1EA1isaoh\u1ECDkh\u00F4ngth\u1EC3ch\u1EC9n\u00F3iti"
	    U"\u1EBFngVi\u1EC7t",
	    "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g" },
	{ "(L) 3<nen>B<gumi><kinpachi><sensei>",
	    U"3\u5E74B\u7D44\u91D1\u516B\u5148\u751F",
	    "3B-ww4c5e180e575a65lsy2b" },
	{ "(M) <amuro><namie>-with-SUPER-MONKEYS",
	    U"\u5B89\u5BA4\u5948\u7F8E\u6075-with-SUPER-MONKEYS",
	    "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n" },
	{ "(N) Hello-Another-Way-<sorezore><no><basho>",
	    U"Hello-Another-Way-\u305D\u308C\u305E\u308C\u306E\u5834"
	    U"\u6240",
	    "Hello-Another-Way--fc4qua05auwb3674vfr0b" },
	{ "(O) <hitotsu><yane><no><shita>2",
	    U"\u3072\u3068\u3064\u5C4B\u6839\u306E\u4E0B2",
	    "2-u9tlzr9756bt3uc0v" },
	{ "(P) Maji<de>Koi<suru>5<byou><mae>",
	    U"Maji\u3067Koi\u3059\u308B5\u79D2\u524D",
	    "MajiKoi5-783gue6qz075azm5e" },
	{ "(Q) <pafii>de<runba>",
	    U"\u30D1\u30D5\u30A3\u30FCde\u30EB\u30F3\u30D0",
	    "de-jg4avhby1noc0d" },
	{ "(R) <sono><supiido><de>",
	    U"\u305D\u306E\u30B9\u30D4\u30FC\u30C9\u3067",
	    "d9juau41awczczp" },
	{ "(S) -> $1.00 <-",
	    U"-> $1.00 <-",
	    "-> $1.00 <--" },
};

#define NSAMPLES (sizeof(rfc3492) / sizeof(rfc3492[0]))

static size_t
u32_len(const char32_t *u)
{
	size_t n = 0;

	while (u[n] != 0)
		n++;
	return n;
}

static void
rfc3492_encode(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NSAMPLES; i++) {
		const struct puny_sample *s = &rfc3492[i];
		char out[128];
		size_t len = sizeof(out);
		int rc;

		rc = idna_punycode_encode((const uint32_t *)s->u, u32_len(s->u),
		    out, &len);
		if (rc != 0)
			fail_msg("%s: encode returned %d", s->name, rc);
		/* the RFC marks upper case with the case of the digits;
		 * the encoder writes lower-case digits */
		if (len != strlen(s->ace) || strncasecmp(out, s->ace, len) != 0)
			fail_msg("%s: got %.*s", s->name, (int)len, out);
	}
}

static void
rfc3492_decode(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NSAMPLES; i++) {
		const struct puny_sample *s = &rfc3492[i];
		uint32_t out[128];
		size_t len = 128, n = u32_len(s->u);
		int rc;

		rc = idna_punycode_decode(s->ace, strlen(s->ace), out, &len);
		if (rc != 0)
			fail_msg("%s: decode returned %d", s->name, rc);
		if (len != n || memcmp(out, s->u, n * sizeof(*out)) != 0)
			fail_msg("%s: wrong code points", s->name);
	}
}

/* RFC 3492 7.1 (I) prints one digit in upper case: either case decodes. */
static void
decode_either_case(void **state)
{
	const struct puny_sample *s = &rfc3492[8];
	const char *ace = "b1abfaaepdrnnbgefbaDotcwatmq2g4l";
	uint32_t out[64];
	size_t len = 64, n = u32_len(s->u);

	(void)state;
	assert_string_equal(s->ace, "b1abfaaepdrnnbgefbadotcwatmq2g4l");
	assert_int_equal(idna_punycode_decode(ace, strlen(ace), out, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(out, s->u, n * sizeof(*out));
}

struct puny_bad {
	const char *name;
	const char *ace;
	int rc;
};

static const struct puny_bad puny_bad[] = {
	{ "digit that is no digit", "a!", -EINVAL },
	{ "delimiter alone", "-", -EINVAL },
	{ "leading delimiter", "-abc", -EINVAL },
	{ "number cut short", "a-b-c-99", -EINVAL },
	{ "non-ASCII basic code point", "\xc3\xa4-cpa", -EINVAL },
	{ "past U+10FFFF", "zzzzzzzzzzzzzzz", -EINVAL },
	{ "32-bit overflow", "99999999", -EOVERFLOW },
	{ "64-bit length overflow", "9999999999999999", -EOVERFLOW },
};

static void
decode_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(puny_bad) / sizeof(puny_bad[0]); i++) {
		const struct puny_bad *b = &puny_bad[i];
		uint32_t out[64];
		size_t len = 64;
		int rc;

		rc = idna_punycode_decode(b->ace, strlen(b->ace), out, &len);
		if (rc != b->rc)
			fail_msg("%s: got %d, want %d", b->name, rc, b->rc);
	}
}

/* RFC 3492 6.2 keeps the basic code points before the last delimiter;
 * a trailing delimiter means none other follows. */
static void
decode_basic_only(void **state)
{
	uint32_t out[8];
	size_t len = 8;

	(void)state;
	assert_int_equal(idna_punycode_decode("abc-", 4, out, &len), 0);
	assert_int_equal(len, 3);
	assert_int_equal(out[2], 'c');
	len = 8;
	assert_int_equal(idna_punycode_decode("", 0, out, &len), 0);
	assert_int_equal(len, 0);
}

static void
buffers_too_small(void **state)
{
	const uint32_t u[] = { 'a', 0xe4 };
	uint32_t out[2];
	char ace[8];
	size_t len;

	(void)state;
	len = 4;
	assert_int_equal(idna_punycode_encode(u, 2, ace, &len), -ENOSPC);
	len = 5;
	assert_int_equal(idna_punycode_encode(u, 2, ace, &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(ace, "a-0fa", 5);
	len = 1;
	assert_int_equal(idna_punycode_decode("a-0fa", 5, out, &len), -ENOSPC);
	len = 2;
	assert_int_equal(idna_punycode_decode("a-0fa", 5, out, &len), 0);
	assert_int_equal(len, 2);
}

static void
encode_refuses_non_characters(void **state)
{
	const uint32_t sur[] = { 0xd800 }, big[] = { 0x110000 };
	char ace[16];
	size_t len = sizeof(ace);

	(void)state;
	assert_int_equal(idna_punycode_encode(sur, 1, ace, &len), -EINVAL);
	len = sizeof(ace);
	assert_int_equal(idna_punycode_encode(big, 1, ace, &len), -EINVAL);
}

/* --- idna_to_ascii ------------------------------------------------------- */

struct verdict {
	const char *name;
	const char *in;
	const char *out;	/* NULL: libidn2 refuses the name */
};

/* Each row's answer is libidn2's (see the top of this file). */
static const struct verdict verdicts[] = {
	{ "upper case ASCII",
	  "Foo.COM",
	  "foo.com" },
	{ "trailing dot kept",
	  "EXAMPLE.org.",
	  "example.org." },
	{ "leading hyphen",
	  "-A.com",
	  NULL },
	{ "trailing hyphen",
	  "A-.com",
	  NULL },
	{ "hyphens 3 and 4",
	  "Ab--c.com",
	  NULL },
	{ "hyphens 3 and 4, lower case",
	  "ab--c",
	  NULL },
	{ "hyphens elsewhere",
	  "A-b--c",
	  "a-b--c" },
	{ "underscore",
	  "A_B",
	  "a_b" },
	{ "space",
	  "A B",
	  "a b" },
	{ "punctuation (no STD3 rules)",
	  "A!B*(c)",
	  "a!b*(c)" },
	{ "empty label",
	  "a..B",
	  "a..b" },
	{ "root",
	  ".",
	  "." },
	{ "leading dot",
	  ".A",
	  ".a" },
	{ "two trailing dots",
	  "A..",
	  "a.." },
	{ "xn-- of nothing",
	  "xn--",
	  NULL },
	{ "xn-- bad punycode",
	  "Xn--abc.com",
	  NULL },
	{ "xn-- lower case bad punycode",
	  "xn--abc",
	  NULL },
	{ "xn-- trailing delimiter",
	  "xn--abc-",
	  NULL },
	{ "xn-- leading delimiter",
	  "xn---abc",
	  NULL },
	{ "A-label",
	  "Xn--mnchen-3ya.de",
	  "xn--mnchen-3ya.de" },
	{ "A-label upper case",
	  "XN--MNCHEN-3YA",
	  "xn--mnchen-3ya" },
	{ "A-label, not canonical",
	  "xn--mnchen-3y_",
	  NULL },
	{ "A-label with underscore",
	  "xn--mnchen_-3ya",
	  "xn--mnchen_-3ya" },
	{ "A-label with hyphens 3 and 4 decoded",
	  "xn--ab--c-9ta",
	  NULL },
	{ "A-label of a + U+00A0 (STD3)",
	  "xn--a-4ba",
	  "xn--a-4ba" },
	{ "A-label of U+037E (not NFC)",
	  "xn--5va",
	  NULL },
	{ "A-label of a + U+00C4 (mapped)",
	  "xn--a-6da",
	  NULL },
	{ "A-label of a + U+00E0",
	  "xn--a-sfa",
	  "xn--a-sfa" },
	{ "Latin-1",
	  "M\xc3\xbcller.de",
	  "xn--mller-kva.de" },
	{ "Latin-1 capital",
	  "\xc3\x84",
	  "xn--4ca" },
	{ "sharp s kept",
	  "Stra\xc3\x9f" "e",
	  "xn--strae-oqa" },
	{ "Latin Extended-A",
	  "\xc5\x81\xc3\xb3" "d\xc5\xba",
	  "xn--d-uga0v4h" },
	{ "dotted capital I",
	  "\xc4\xb0stanbul",
	  "xn--istanbul-o0e" },
	{ "Greek capitals",
	  "\xce\x91\xce\x92\xce\x93",
	  "xn--mxacd" },
	{ "Greek final sigma kept",
	  "\xce\xbb\xcf\x8c\xce\xb3\xce\xbf\xcf\x82",
	  "xn--oxapnm1c" },
	{ "Cyrillic",
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82.\xd1\x80\xd1\x84",
	  "xn--b1agh1afp.xn--p1ai" },
	{ "Vietnamese",
	  "Vi\xe1\xbb\x86tNam",
	  "xn--vitnam-jk8b" },
	{ "Armenian",
	  "\xd5\x80\xd5\xa1\xd5\xb5",
	  "xn--y9a3aq" },
	{ "CJK",
	  "\xe6\x97\xa5\xe6\x9c\xac.jp",
	  "xn--wgv71a.jp" },
	{ "full-width ASCII",
	  "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3.com",
	  "abc.com" },
	{ "ideographic full stop",
	  "a\xe3\x80\x82" "B",
	  "a.b" },
	{ "soft hyphen removed",
	  "a\xc2\xad" "B",
	  "ab" },
	{ "no-break space",
	  "a\xc2\xa0" "B",
	  "a b" },
	{ "no-break space with non-ASCII",
	  "\xc3\xa4\xc2\xa0" "b",
	  NULL },
	{ "U-label with space",
	  "\xc3\xa4 b",
	  NULL },
	{ "U-label with underscore",
	  "\xc3\xa4_b",
	  "xn--_b-uia" },
	{ "U-label with hyphen",
	  "\xc3\x84-b",
	  "xn---b-uia" },
	{ "U-label leading hyphen",
	  "-\xc3\xa4",
	  NULL },
	{ "U-label trailing hyphen",
	  "\xc3\xa4-",
	  NULL },
	{ "U-label hyphens 3 and 4",
	  "\xc3\xa4" "b--c",
	  NULL },
	{ "leading combining mark",
	  "\xcc\x81" "a",
	  NULL },
	{ "zero width joiner",
	  "a\xe2\x80\x8d" "b",
	  NULL },
	{ "C1 control",
	  "a\xc2\x85",
	  NULL },
	{ "symbol",
	  "\xc2\xa9.com",
	  NULL },
	{ "emoji",
	  "\xf0\x9f\x98\x80.de",
	  NULL },
	{ "dingbat",
	  "\xe2\x98\x95.com",
	  NULL },
	{ "DZ with caron",
	  "\xc7\x85",
	  "xn--d-toa" },
	{ "invalid UTF-8 (Latin-1)",
	  "f\xf6.com",
	  NULL },
	{ "overlong NUL",
	  "\xc0\x80" "a",
	  NULL },
	{ "surrogate",
	  "\xed\xa0\x80",
	  NULL },
	{ "past U+10FFFF",
	  "\xf4\x90\x80\x80",
	  NULL },
	{ "truncated",
	  "a\xe2\x82",
	  NULL },
};

static void
check(const char *name, const char *in, const char *want)
{
	char out[IDNA_NAME_MAX + 2];
	int rc = idna_to_ascii(in, out, sizeof(out));

	if (want == NULL && rc == 0)
		fail_msg("%s: accepted as \"%s\"", name, out);
	if (want != NULL && rc != 0)
		fail_msg("%s: refused (%d)", name, rc);
	if (want != NULL && strcmp(out, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", name, out, want);
}

static void
libidn2_verdicts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		check(verdicts[i].name, verdicts[i].in, verdicts[i].out);
}

/* n copies of c, then tail, into buf. */
static char *
repeat(char *buf, char c, size_t n, const char *tail)
{
	memset(buf, c, n);
	strcpy(buf + n, tail);
	return buf;
}

/* libidn2: a label of 63 bytes passes, 64 does not; an A-label too. */
static void
label_length(void **state)
{
	char in[128], want[128];

	(void)state;
	check("63 bytes", repeat(in, 'A', 63, ""), repeat(want, 'a', 63, ""));
	check("64 bytes", repeat(in, 'A', 64, ""), NULL);
	/* 55 letters and U+00E4 encode to 63 bytes, 56 to 64 */
	memcpy(want, "xn--", 4);
	repeat(want + 4, 'a', 55, "-uve");
	check("U-label of 63 bytes", repeat(in, 'A', 55, "\xc3\x84"), want);
	check("A-label of 63 bytes", want, want);
	check("U-label of 64 bytes", repeat(in, 'a', 56, "\xc3\xa4"), NULL);
	assert_int_equal(idna_to_ascii(repeat(in, 'a', 64, "."), want,
	    sizeof(want)), -EMSGSIZE);
}

/* libidn2: 253 bytes without a trailing dot, which may follow. */
static void
name_length(void **state)
{
	char in[300], want[300];
	size_t k;

	(void)state;
	for (k = 0; k < 4; k++) {
		repeat(in + 64 * k, 'B', 63, ".");
		repeat(want + 64 * k, 'b', 63, ".");
	}
	in[253] = want[253] = '\0';
	check("253 bytes", in, want);
	strcpy(in + 253, ".");
	strcpy(want + 253, ".");
	check("253 bytes and a dot", in, want);
	strcpy(in + 253, "B");
	check("254 bytes", in, NULL);
	assert_int_equal(idna_to_ascii(in, want, sizeof(want)), -EMSGSIZE);
}

static void
error_codes(void **state)
{
	char out[IDNA_NAME_MAX + 2];

	(void)state;
	assert_int_equal(idna_to_ascii("f\xf6.com", out, sizeof(out)),
	    -EILSEQ);
	/* invalid UTF-8 wins over a refused code point before it */
	assert_int_equal(idna_to_ascii("\xe2\x98\x95\xff", out, sizeof(out)),
	    -EILSEQ);
	assert_int_equal(idna_to_ascii("A-", out, sizeof(out)), -EINVAL);
	assert_int_equal(idna_to_ascii("Foo", out, 3), -ENOSPC);
	assert_int_equal(idna_to_ascii("Foo", out, 4), 0);
	assert_string_equal(out, "foo");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc3492_encode),
		cmocka_unit_test(rfc3492_decode),
		cmocka_unit_test(decode_either_case),
		cmocka_unit_test(decode_errors),
		cmocka_unit_test(decode_basic_only),
		cmocka_unit_test(buffers_too_small),
		cmocka_unit_test(encode_refuses_non_characters),
		cmocka_unit_test(libidn2_verdicts),
		cmocka_unit_test(label_length),
		cmocka_unit_test(name_length),
		cmocka_unit_test(error_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
