/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_explain_pcap.c - the --explain-pcap reader (explain.c) on arbitrary
 * bytes.  Invariants: a request found lies inside the input, starts with
 * BOOTP op 1, is at least 240 bytes, and came to port 67 or 4011.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p;
	struct in_addr src;
	char err[300];
	size_t plen;
	uint16_t dport;

	if (explain_pcap_request(data, size, &p, &plen, &dport, &src, err,
	    sizeof(err)) != 0) {
		if (strlen(err) == 0)
			abort();
		return 0;
	}
	if (p < data || plen > size || p + plen > data + size || plen < 240 ||
	    p[0] != 1 || (dport != 67 && dport != 4011))
		abort();
	return 0;
}
