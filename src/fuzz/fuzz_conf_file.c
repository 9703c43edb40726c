/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_conf_file.c - the input is a whole configuration file: written to a
 * private directory, loaded with --test --ignore-unsupported -C, and when
 * it loads, dumped and reloaded (fuzz_conf.h has the invariants).
 */
#include "fuzz_conf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_result res;
	struct conf *cf;

	if (size > 65536 || fuzz_conf_skip(data, size))
		return 0;
	fuzz_setup();
	fuzz_write_file(fuzz_env.in, data, size);
	cf = fuzz_load_file(fuzz_env.in, &res);
	if (cf == NULL)
		return 0;
	fuzz_roundtrip(cf);
	conf_free(cf);
	return 0;
}
