/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_buf.c - the bounds-checked reader and writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"

static void
reads_big_endian(void **state)
{
	static const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct rd r;

	(void)state;
	rd_init(&r, b, sizeof(b));
	assert_int_equal(rd_u8(&r), 1);
	assert_int_equal(rd_be16(&r), 0x0203);
	assert_int_equal(rd_be32(&r), 0x04050607);
	assert_true(rd_ok(&r));
	assert_int_equal(rd_left(&r), 0);
}

/* A shortfall is sticky: later reads return 0 even if bytes remain. */
static void
shortfall_is_sticky(void **state)
{
	static const uint8_t b[] = { 9, 8, 7 };
	struct rd r;
	uint8_t out[4] = { 0xff, 0xff, 0xff, 0xff };

	(void)state;
	rd_init(&r, b, sizeof(b));
	assert_int_equal(rd_be32(&r), 0);
	assert_false(rd_ok(&r));
	assert_int_equal(rd_u8(&r), 0);
	rd_bytes(&r, out, 2);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
	assert_null(rd_ptr(&r, 1));
	assert_int_equal(rd_left(&r), 0);
}

static void
empty_and_null(void **state)
{
	struct rd r;

	(void)state;
	rd_init(&r, NULL, 100);
	assert_int_equal(rd_u8(&r), 0);
	assert_false(rd_ok(&r));
}

static void
writer_overflow_and_patch(void **state)
{
	uint8_t b[6];
	struct wr w;
	size_t m;

	(void)state;
	wr_init(&w, b, sizeof(b));
	wr_u8(&w, 43);
	m = wr_mark(&w);
	wr_u8(&w, 0);
	wr_be16(&w, 0x1234);
	wr_patch_u8(&w, m, 2);
	assert_true(wr_ok(&w));
	assert_int_equal(b[0], 43);
	assert_int_equal(b[1], 2);
	assert_int_equal(b[2], 0x12);
	assert_int_equal(b[3], 0x34);
	wr_be32(&w, 1);		/* needs 4, 2 left */
	assert_false(wr_ok(&w));
	assert_int_equal(wr_mark(&w), 4);
	wr_u8(&w, 1);		/* sticky */
	assert_int_equal(wr_mark(&w), 4);
	wr_patch_u8(&w, 10, 1);	/* out of range patch */
	assert_false(wr_ok(&w));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_big_endian),
		cmocka_unit_test(shortfall_is_sticky),
		cmocka_unit_test(empty_and_null),
		cmocka_unit_test(writer_overflow_and_patch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
