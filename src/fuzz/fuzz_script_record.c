/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_script_record.c - the dhcp-script helper's reader on arbitrary
 * bytes: what a compromised daemon could send to the (root) helper.
 *
 * script_decode() must refuse or accept without reading past the input;
 * for an accepted record script_build_exec() must give an argv of
 * BASENAME add|old|del MAC IP [HOSTNAME] (or BASENAME tftp SIZE ADDR PATH
 * with no environment) and an environment of DNSMASQ_*
 * names only (the base environment is empty here), each NAME=VALUE, and
 * the same vectors a second time (no state kept between runs).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check_exec(const struct script_exec *x)
{
	size_t i;

	if (x->argv[0] == NULL || strcmp(x->argv[0], "hook") != 0 ||
	    x->argv[1] == NULL || x->argv[2] == NULL || x->argv[3] == NULL ||
	    x->argv[5] != NULL)
		abort();
	if (strcmp(x->argv[1], "tftp") == 0) {
		if (x->argv[4] == NULL || x->envp[0] != NULL ||
		    strspn(x->argv[2], "0123456789") != strlen(x->argv[2]))
			abort();
		return;
	}
	if (strcmp(x->argv[1], "add") != 0 && strcmp(x->argv[1], "old") != 0 &&
	    strcmp(x->argv[1], "del") != 0)
		abort();
	/* the part of a legal name before its first dot ("" for ".x", as
	 * dnsmasq's helper passes it) */
	if (x->argv[4] != NULL && strchr(x->argv[4], '.') != NULL)
		abort();
	for (i = 0; x->envp[i] != NULL; i++)
		if (strncmp(x->envp[i], "DNSMASQ_", 8) != 0 ||
		    strchr(x->envp[i], '=') == NULL)
			abort();
}

static void
fuzz_same(const struct script_exec *a, const struct script_exec *b)
{
	size_t i;

	for (i = 0; i < 6; i++)
		if ((a->argv[i] == NULL) != (b->argv[i] == NULL) ||
		    (a->argv[i] != NULL && strcmp(a->argv[i], b->argv[i])))
			abort();
	for (i = 0; a->envp[i] != NULL || b->envp[i] != NULL; i++)
		if (a->envp[i] == NULL || b->envp[i] == NULL ||
		    strcmp(a->envp[i], b->envp[i]) != 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script_event *e = malloc(sizeof(*e));
	struct script_exec x, y;
	uint8_t *copy;

	if (e == NULL)
		return 0;
	/* an exact-size copy, so a read past the end is caught by ASan */
	copy = malloc(size ? size : 1);
	if (copy == NULL) {
		free(e);
		return 0;
	}
	memcpy(copy, data, size);
	if (script_decode(copy, size, e) == SCRIPT_OK &&
	    script_build_exec(e, "/x/hook", true, NULL, &x) == 0) {
		fuzz_check_exec(&x);
		if (script_build_exec(e, "/x/hook", true, NULL, &y) == 0) {
			fuzz_same(&x, &y);
			script_exec_free(&y);
		}
		script_exec_free(&x);
	}
	free(copy);
	free(e);
	return 0;
}
