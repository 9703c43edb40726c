/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_fixture.h - loading a configuration text in the unit tests of the
 * config modules, as "pxemasq --test -C FILE" would.  Included by the
 * test files after cmocka.h; static inline so a test may use any subset.
 */
#ifndef PXEMASQ_TEST_CONF_FIXTURE_H
#define PXEMASQ_TEST_CONF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

/* Loads text as the only configuration file. */
static inline struct conf *
load(const char *text, struct conf_result *res)
{
	char path[] = "/tmp/pxemasq-test-conf-XXXXXX";
	char a0[] = "pxemasq", a1[] = "--test", a2[] = "-C";
	char *argv[] = { a0, a1, a2, path, NULL };
	struct conf *cf;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cf = conf_load(4, argv, res);
	unlink(path);
	return cf;
}

/* Loads text that must be accepted. */
static inline struct conf *
load_ok(const char *text)
{
	struct conf_result res;
	struct conf *cf = load(text, &res);

	if (cf == NULL)
		fail_msg("rejected: %s", res.msg);
	return cf;
}

/* Text that must fail with msg at line (exit status 1). */
static inline void
assert_load_err(const char *text, const char *msg, unsigned line)
{
	struct conf_result res;
	struct conf *cf = load(text, &res);
	char want[256];

	assert_null(cf);
	assert_int_equal(res.exit_code, 1);
	snprintf(want, sizeof(want), "%s at line %u of ", msg, line);
	if (strncmp(res.msg, want, strlen(want)) != 0)
		fail_msg("got \"%s\", want \"%s...\"", res.msg, want);
}

#endif
