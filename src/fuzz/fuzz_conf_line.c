/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_conf_line.c - the input is one option line, read two ways:
 *   - as a one-line file (-C FILE), exercising the lexer and handlers;
 *   - as a command-line argument "--LINE" after -C of an empty file,
 *     exercising getopt_long's abbreviations, the command-line repetition
 *     rules and handlers that see unlexed text.
 * Whatever loads is dumped and reloaded (fuzz_conf.h has the invariants).
 * Only the text up to the first newline counts; on the command line, up
 * to the first NUL too.
 */
#include "fuzz_conf.h"

#define FUZZ_ARG_MAX 4096

/* --help and --version print and exit, whatever abbreviates them: they
 * are not configuration. */
static bool
fuzz_is_exit_option(const char *arg)
{
	static const char *const words[] = { "help", "version" };
	size_t n = strcspn(arg, "="), i;

	if (n == 0)
		return false;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strncmp(arg, words[i], n) == 0 && n <= strlen(words[i]))
			return true;
	return false;
}

static void
fuzz_line_file(const uint8_t *data, size_t len)
{
	struct conf_result res;
	struct conf *cf;

	fuzz_write_file(fuzz_env.in, data, len);
	cf = fuzz_load_file(fuzz_env.in, &res);
	if (cf == NULL)
		return;
	fuzz_roundtrip(cf);
	conf_free(cf);
}

static void
fuzz_line_cmdline(const uint8_t *data, size_t len)
{
	char a0[] = "pxemasq", a1[] = "--test", a2[] = "--ignore-unsupported",
	    a3[] = "-C", arg[FUZZ_ARG_MAX + 3];
	char *argv[] = { a0, a1, a2, a3, fuzz_env.empty, arg, NULL };
	struct conf_result res;
	struct conf *cf;

	if (len > FUZZ_ARG_MAX || memchr(data, '/', len) != NULL)
		return;	/* abbreviations defeat fuzz_conf_skip's names */
	arg[0] = '-';
	arg[1] = '-';
	memcpy(arg + 2, data, len);
	arg[len + 2] = '\0';
	if (fuzz_is_exit_option(arg + 2))
		return;
	cf = fuzz_load(6, argv, &res);
	if (cf == NULL)
		return;
	fuzz_roundtrip(cf);
	conf_free(cf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t len = nl != NULL ? (size_t)(nl - data) : size;

	if (len > 2 * FUZZ_ARG_MAX || fuzz_conf_skip(data, len))
		return 0;
	fuzz_setup();
	fuzz_line_file(data, len);
	fuzz_line_cmdline(data, len);
	return 0;
}
