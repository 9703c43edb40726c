/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_metrics.c - the Prometheus text writer and the request head parser
 * of --metrics-listen. */
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

/* Rows: request heads and metrics_http_parse()'s verdict (and, for OK,
 * HEAD and the path).  len -1: strlen(in); otherwise exact bytes. */
static void
http_parse(void **state)
{
	static const struct {
		const char *name, *in;
		int len;
		enum metrics_http_verdict want;
		bool head;
		const char *path;
	} rows[] = {
		{ "get", "GET /metrics HTTP/1.0\r\n\r\n", -1,
		    METRICS_HTTP_OK, false, "/metrics" },
		{ "head", "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n", -1,
		    METRICS_HTTP_OK, true, "/metrics" },
		{ "bare LF", "GET /metrics HTTP/1.0\nAccept: */*\n\n", -1,
		    METRICS_HTTP_OK, false, "/metrics" },
		{ "query cut", "GET /metrics?x=1 HTTP/1.0\r\n\r\n", -1,
		    METRICS_HTTP_OK, false, "/metrics" },
		{ "other path", "GET /foo HTTP/1.0\r\n\r\n", -1,
		    METRICS_HTTP_OK, false, "/foo" },
		{ "query only", "GET ?x HTTP/1.0\n\n", -1, METRICS_HTTP_OK,
		    false, "" },
		{ "header tab", "GET / HTTP/1.0\r\nA:\tb\r\n\r\n", -1,
		    METRICS_HTTP_OK, false, "/" },
		{ "empty", "", -1, METRICS_HTTP_PARTIAL, false, NULL },
		{ "half line", "GET /metr", -1, METRICS_HTTP_PARTIAL, false,
		    NULL },
		{ "no empty line", "GET /metrics HTTP/1.0\r\nHost: x\r\n",
		    -1, METRICS_HTTP_PARTIAL, false, NULL },
		{ "CR only", "GET /metrics HTTP/1.0\r\r", -1,
		    METRICS_HTTP_PARTIAL, false, NULL },
		{ "post", "POST /metrics HTTP/1.0\r\n\r\n", -1,
		    METRICS_HTTP_METHOD, false, NULL },
		{ "post partial", "POST /metrics HTTP/1.0\r\n", -1,
		    METRICS_HTTP_PARTIAL, false, NULL },
		{ "lower get", "get /metrics HTTP/1.0\r\n\r\n", -1,
		    METRICS_HTTP_METHOD, false, NULL },
		{ "HTTP/0.9", "GET /metrics\r\n", -1, METRICS_HTTP_BAD, false,
		    NULL },
		{ "no target", "GET\r\n\r\n", -1, METRICS_HTTP_BAD, false,
		    NULL },
		{ "two spaces", "GET  /metrics HTTP/1.0\r\n\r\n", -1,
		    METRICS_HTTP_BAD, false, NULL },
		{ "trailing space", "GET /metrics HTTP/1.0 \r\n\r\n", -1,
		    METRICS_HTTP_BAD, false, NULL },
		{ "bad version", "GET /metrics HTTP/x\r\n\r\n", -1,
		    METRICS_HTTP_BAD, false, NULL },
		{ "version no minor", "GET /metrics HTTP/1.\r\n\r\n", -1,
		    METRICS_HTTP_BAD, false, NULL },
		{ "NUL in line", "GET /met\0rics HTTP/1.0\r\n\r\n", 26,
		    METRICS_HTTP_BAD, false, NULL },
		{ "NUL in header", "GET /metrics HTTP/1.0\r\nA: \0\r\n\r\n",
		    31, METRICS_HTTP_BAD, false, NULL },
		{ "control byte", "GET /\x01 HTTP/1.0\r\n\r\n", -1,
		    METRICS_HTTP_BAD, false, NULL },
		{ "high byte", "GET /\xff HTTP/1.0\r\n\r\n", -1,
		    METRICS_HTTP_BAD, false, NULL },
		{ "blank line first", "\r\nGET /metrics HTTP/1.0\r\n\r\n",
		    -1, METRICS_HTTP_BAD, false, NULL },
	};
	struct metrics_http_req req;
	enum metrics_http_verdict v;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		len = rows[i].len < 0 ? strlen(rows[i].in) :
		    (size_t)rows[i].len;
		v = metrics_http_parse((const uint8_t *)rows[i].in, len, &req);
		if (v != rows[i].want)
			fail_msg("%s: verdict %d, want %d", rows[i].name,
			    (int)v, (int)rows[i].want);
		if (v != METRICS_HTTP_OK)
			continue;
		if (req.head != rows[i].head ||
		    req.path_len != strlen(rows[i].path) ||
		    memcmp(req.path, rows[i].path, req.path_len) != 0)
			fail_msg("%s: head %d path %.*s", rows[i].name,
			    (int)req.head, (int)req.path_len,
			    (const char *)req.path);
	}
}

/* Only the first METRICS_REQ_MAX bytes count: a head ending past them is
 * too large, one ending at the last byte is fine. */
static void
http_parse_limit(void **state)
{
	static const char line[] = "GET /metrics HTTP/1.0\r\n";
	uint8_t buf[METRICS_REQ_MAX + 64];
	struct metrics_http_req req;
	size_t n = sizeof(line) - 1;

	(void)state;
	memcpy(buf, line, n);
	memset(buf + n, 'a', sizeof(buf) - n);
	buf[n] = 'X';
	buf[n + 1] = ':';
	/* header line up to the limit, never ended */
	assert_int_equal(metrics_http_parse(buf, METRICS_REQ_MAX - 1, &req),
	    METRICS_HTTP_PARTIAL);
	assert_int_equal(metrics_http_parse(buf, METRICS_REQ_MAX, &req),
	    METRICS_HTTP_TOO_LARGE);
	assert_int_equal(metrics_http_parse(buf, sizeof(buf), &req),
	    METRICS_HTTP_TOO_LARGE);
	/* "\n\n" as the last two bytes of the limit: complete */
	buf[METRICS_REQ_MAX - 2] = '\n';
	buf[METRICS_REQ_MAX - 1] = '\n';
	assert_int_equal(metrics_http_parse(buf, METRICS_REQ_MAX, &req),
	    METRICS_HTTP_OK);
	/* the end one byte past the limit does not count */
	buf[METRICS_REQ_MAX - 2] = 'a';
	buf[METRICS_REQ_MAX] = '\n';
	assert_int_equal(metrics_http_parse(buf, sizeof(buf), &req),
	    METRICS_HTTP_TOO_LARGE);
	/* a request line longer than the limit */
	memset(buf, 'A', sizeof(buf));
	assert_int_equal(metrics_http_parse(buf, sizeof(buf), &req),
	    METRICS_HTTP_TOO_LARGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(family_and_samples),
		cmocka_unit_test(label_escaping),
		cmocka_unit_test(grows),
		cmocka_unit_test(http_parse),
		cmocka_unit_test(http_parse_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
