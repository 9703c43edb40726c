/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_metrics_http.c - the --metrics-listen request head parser on
 * arbitrary bytes, whole and as every prefix a slow client could have sent
 * so far.  Invariants: an OK verdict's path lies inside the first
 * METRICS_REQ_MAX bytes, starts after the method and holds no '?', space
 * or control byte (it may be empty: "GET ?x HTTP/1.0"); once a prefix
 * has a verdict other than PARTIAL, every longer one has the same;
 * TOO_LARGE only at the limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_metrics_check(const uint8_t *p, size_t len,
    enum metrics_http_verdict v, const struct metrics_http_req *req)
{
	size_t i;

	if (v == METRICS_HTTP_TOO_LARGE && len < METRICS_REQ_MAX)
		abort();
	if (v != METRICS_HTTP_OK)
		return;
	if (req->path < p + 4 ||
	    req->path + req->path_len > p + (len < METRICS_REQ_MAX ? len :
	    METRICS_REQ_MAX))
		abort();
	for (i = 0; i < req->path_len; i++)
		if (req->path[i] == '?' || req->path[i] <= 0x20 ||
		    req->path[i] >= 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum metrics_http_verdict v, first = METRICS_HTTP_PARTIAL;
	struct metrics_http_req req;
	uint8_t *copy;
	size_t n, step;

	/* an exact-size heap copy: reads past the end trip ASan */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	/* prefixes in steps (every byte for short inputs), then the whole */
	step = size / 64 + 1;
	for (n = 0; n <= size; n = n < size && n + step > size ? size :
	    n + step) {
		v = metrics_http_parse(copy, n, &req);
		fuzz_metrics_check(copy, n, v, &req);
		if (first != METRICS_HTTP_PARTIAL && v != first)
			abort();
		first = v;
		if (n == size)
			break;
	}
	free(copy);
	return 0;
}
