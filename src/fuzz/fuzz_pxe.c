/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_pxe.c - the PXE option decoders on arbitrary bytes: the boot-item
 * request (option 43 sub-option 71), the client architecture (option
 * 93), and a menu built from the input as service texts.  Invariants:
 * a decoded item lies inside the input; a menu's sub-options never pass
 * 253 bytes and its encoding never passes 255.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pxe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_pxe_menu(const uint8_t *data, size_t size)
{
	struct pxe_menu m;
	struct pxe_sub subs[4];
	uint8_t out[300];
	char text[256];
	size_t off = 0, n, i;

	pxe_menu_init(&m);
	/* records: TYPE(2) SERVER?(1) LEN(1) TEXT */
	while (off + 4 <= size) {
		uint16_t type = (uint16_t)(data[off] << 8 | data[off + 1]);
		struct in_addr a = { data[off + 2] & 1 ? htonl(0xc0000201) :
			0 };
		size_t len = data[off + 3];

		off += 4;
		if (len > size - off)
			len = size - off;
		memcpy(text, data + off, len);
		text[len] = '\0';
		off += len;
		if (pxe_menu_add(&m, type, text, a) < 0)
			break;
	}
	n = pxe_menu_subs(&m, size > 0 && (data[0] & 0x80), subs);
	if (n > 4)
		abort();
	for (i = 0; i < n; i++)
		if (subs[i].len >= PXE_SUB_MAX)
			abort();
	if (pxe_encode(subs, n, out, sizeof(out)) > 255)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t type, layer;
	char file[PXE_FILE_MAX];
	char base[300];
	size_t n = size < sizeof(base) - 1 ? size : sizeof(base) - 1;

	if (pxe_boot_item(data, size, &type, &layer)) {
		if (size < 6)
			abort();
		memcpy(base, data, n);
		base[n] = '\0';
		pxe_boot_file(file, base, layer);
		if (strlen(file) >= PXE_FILE_MAX)
			abort();
	}
	(void)pxe_arch(data, size);
	fuzz_pxe_menu(data, size);
	return 0;
}
