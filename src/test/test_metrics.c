/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_metrics.c - the Prometheus text writer of --metrics-listen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "metrics.h"

static void
family_and_samples(void **state)
{
	struct mx m;

	(void)state;
	mx_init(&m);
	mx_family(&m, "x_total", "counter", "Things.");
	mx_sample(&m, "x_total", NULL, 3);
	mx_sample(&m, "x_total", "", 4);
	mx_sample(&m, "x_total", "a=\"b\"", UINT64_C(18446744073709551615));
	assert_false(m.oom);
	assert_string_equal(m.buf, "# HELP x_total Things.\n"
	    "# TYPE x_total counter\nx_total 3\nx_total 4\n"
	    "x_total{a=\"b\"} 18446744073709551615\n");
	assert_int_equal(m.len, strlen(m.buf));
	mx_free(&m);
	assert_null(m.buf);
}

/* Rows: label values and their escaped form (text format: backslash,
 * double quote and line feed escaped). */
static void
label_escaping(void **state)
{
	static const struct {
		const char *name, *in, *out;
	} rows[] = {
		{ "plain", "198.51.100.1#53", "k=\"198.51.100.1#53\"" },
		{ "quote", "a\"b", "k=\"a\\\"b\"" },
		{ "backslash", "a\\b", "k=\"a\\\\b\"" },
		{ "newline", "a\nb", "k=\"a\\nb\"" },
		{ "empty", "", "k=\"\"" },
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		mx_label(buf, sizeof(buf), "k", rows[i].in);
		if (strcmp(buf, rows[i].out) != 0)
			fail_msg("%s: got %s", rows[i].name, buf);
	}
	/* a small buffer cuts the value but still closes the quote */
	mx_label(buf, 8, "k", "abcdefghij");
	assert_string_equal(buf, "k=\"abc\"");
}

/* Growing past the first allocation keeps every byte. */
static void
grows(void **state)
{
	struct mx m;
	unsigned i;

	(void)state;
	mx_init(&m);
	for (i = 0; i < 2000; i++)
		mx_sample(&m, "a_long_metric_name_for_growth", NULL, i);
	assert_false(m.oom);
	assert_non_null(strstr(m.buf, "a_long_metric_name_for_growth 1999\n"));
	assert_int_equal(m.len, strlen(m.buf));
	mx_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(family_and_samples),
		cmocka_unit_test(label_escaping),
		cmocka_unit_test(grows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
