/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_pxe.c - option 43 menus byte for byte as dnsmasq 2.90 sent them
 * (reference Appendix A.2-A.5, server 192.0.2.1), boot-item decoding
 * and boot file names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "pxe.h"

struct svc {
	uint16_t type;
	const char *text;
	const char *server;	/* NULL: no known server */
};

struct menu_row {
	const char *name;
	struct svc s[8];
	unsigned ns;
	const char *prompt;	/* configured prompt value (hex), or NULL */
	const char *want;	/* whole option 43 value, hex */
};

#define LOCAL "192.0.2.1"

static const struct menu_row menu_rows[] = {
	{ "A.2 two services + prompt",
	  { { 0, "Boot from local disk", NULL },
	    { 0x8000, "Install Linux", LOCAL } }, 2,
	  "0a" "507265737320463820666f7220626f6f74206d656e75",
	  "060103" "08078000" "01c0000201"
	  "0927" "000014" "426f6f742066726f6d206c6f63616c206469736b"
	  "80000d" "496e7374616c6c204c696e7578"
	  "0a17" "0a" "507265737320463820666f7220626f6f74206d656e75" "ff" },
	{ "A.2 six services, no prompt",
	  { { 0, "Local", NULL }, { 0x8000, "Linux", LOCAL },
	    { 3, "Remote", "192.0.2.77" }, { 5, "Discover type 5", NULL },
	    { 0x8001, "iPXE", LOCAL } }, 5, NULL,
	  "060102" "0a04ff505845"
	  "0815" "800001c0000201" "000301c000024d" "800101c0000201"
	  "0932" "0000054c6f63616c" "8000054c696e7578"
	  "000306" "52656d6f7465"
	  "00050f" "446973636f766572207479706520" "35"
	  "800104" "69505845" "ff" },
	{ "A.2 one service + prompt 0",
	  { { 0x8000, "Linux", LOCAL } }, 1,
	  "00" "426f6f74696e6720696e2030",
	  "060103" "0807800001c0000201" "0908800005" "4c696e7578"
	  "0a0d00" "426f6f74696e6720696e2030" "ff" },
	{ "A.2 one service, no prompt",
	  { { 0x8000, "Linux", LOCAL } }, 1, NULL,
	  "060103" "0a0400505845" "0807800001c0000201"
	  "0908800005" "4c696e7578" "ff" },
	{ "A.3 c2 two UEFI services",
	  { { 0x8000, "UEFI Linux", LOCAL },
	    { 0x8001, "UEFI iPXE", LOCAL } }, 2, NULL,
	  "060103" "0a04ff505845"
	  "080e" "800001c0000201" "800101c0000201"
	  "0919" "80000a" "55454649204c696e7578"
	  "800109" "554546492069505845" "ff" },
	{ "A.4 proxy BIOS + prompt 5",
	  { { 0x8000, "Network boot (BIOS)", LOCAL } }, 1,
	  "05" "426f6f74696e672066726f6d206e6574776f726b",
	  "060103" "0807800001c0000201"
	  "0916800013" "4e6574776f726b20626f6f74202842494f5329"
	  "0a1505" "426f6f74696e672066726f6d206e6574776f726b" "ff" },
	{ "A.5 variant, no service matched", { { 0, NULL, NULL } }, 0, NULL,
	  "060108" "0a0400505845" "ff" },
	{ "A.5 variant, ROM",
	  { { 0x8000, "chain to iPXE", LOCAL } }, 1, NULL,
	  "060103" "0a0400505845" "0807800001c0000201"
	  "0910" "80000d" "636861696e20746f2069505845" "ff" },
};

static size_t
unhex(const char *h, uint8_t *out)
{
	size_t n = 0;

	for (; h[0] != '\0' && h[1] != '\0'; h += 2)
		sscanf(h, "%2hhx", &out[n++]);
	return n;
}

static void
menus(void **state)
{
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(menu_rows) / sizeof(menu_rows[0]); r++) {
		const struct menu_row *t = &menu_rows[r];
		struct pxe_menu m;
		struct pxe_sub subs[5];
		uint8_t pv[256], want[300], got[300];
		size_t n, i, wl, gl;

		pxe_menu_init(&m);
		for (i = 0; i < t->ns; i++) {
			struct in_addr a = { 0 };

			if (t->s[i].server != NULL)
				inet_pton(AF_INET, t->s[i].server, &a);
			assert_int_equal(pxe_menu_add(&m, t->s[i].type,
			    t->s[i].text, a), 0);
		}
		n = pxe_menu_subs(&m, t->prompt != NULL, subs);
		/* a configured prompt is a vendor option after the menu */
		if (t->prompt != NULL)
			subs[n++] = (struct pxe_sub){ PXE_SUB_PROMPT,
			    (uint8_t)unhex(t->prompt, pv), pv };
		wl = unhex(t->want, want);
		gl = pxe_encode(subs, n, got, sizeof(got));
		if (gl != wl || memcmp(got, want, wl) != 0)
			fail_msg("row \"%s\": got %zu bytes, want %zu",
			    t->name, gl, wl);
	}
	/* A.2's menu is 79 bytes, the six-service one 85 */
	assert_int_equal(strlen(menu_rows[0].want) / 2, 79);
	assert_int_equal(strlen(menu_rows[1].want) / 2, 85);
}

/* sub 9 must stay below 253 bytes: "PXE menu too large", no subs */
static void
too_large(void **state)
{
	struct pxe_menu m;
	struct pxe_sub subs[4];
	char text[61];
	struct in_addr a = { htonl(0xc0000201) };
	int i, rc = 0;

	(void)state;
	memset(text, 'M', 60);
	text[60] = '\0';
	pxe_menu_init(&m);
	for (i = 0; i < 4; i++)		/* 4 * 63 = 252: fits */
		assert_int_equal(pxe_menu_add(&m, (uint16_t)(0x8000 + i),
		    text, a), 0);
	assert_false(m.too_big);
	rc = pxe_menu_add(&m, 0x8004, text, a);
	assert_int_equal(rc, -1);
	assert_true(m.too_big);
	assert_int_equal(pxe_menu_subs(&m, false, subs), 0);
	/* an entry of 250 bytes of text does not fit even alone */
	pxe_menu_init(&m);
	{
		char big[251];

		memset(big, 'x', 250);
		big[250] = '\0';
		assert_int_equal(pxe_menu_add(&m, 1, big, a), -1);
	}
}

struct item_row {
	const char *name;
	const char *opt43;	/* hex */
	bool ok;
	uint16_t type, layer;
};

static const struct item_row item_rows[] = {
	{ "layer 0", "470480000000ff", true, 0x8000, 0 },
	{ "layer 1", "470480000001ff", true, 0x8000, 1 },
	{ "BIS bit", "470480008000", true, 0x8000, 0x8000 },
	{ "after other subs", "060103" "470400030002ff", true, 3, 2 },
	{ "short", "47038000ff", false, 0, 0 },
	{ "overrun", "47088000000000", false, 0, 0 },
	{ "after END", "ff470480000000", false, 0, 0 },
	{ "pads", "0000470400010000", true, 1, 0 },
	{ "empty", "", false, 0, 0 },
	{ "longer item", "47068000000112ff", true, 0x8000, 1 },
};

static void
items(void **state)
{
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(item_rows) / sizeof(item_rows[0]); r++) {
		const struct item_row *t = &item_rows[r];
		uint8_t b[64];
		size_t n = unhex(t->opt43, b);
		uint16_t ty = 0, la = 0;
		bool ok = pxe_boot_item(b, n, &ty, &la);

		if (ok != t->ok || (ok && (ty != t->type || la != t->layer)))
			fail_msg("row \"%s\"", t->name);
	}
}

static void
files(void **state)
{
	static const struct {
		const char *base;
		unsigned layer;
		const char *want;
	} rows[] = {
		{ "pxelinux", 0, "pxelinux.0" },
		{ "pxelinux", 1, "pxelinux.1" },
		{ "bootx64.efi", 3, "bootx64.efi" },
		{ "undionly.kpxe", 0, "undionly.kpxe" },
	};
	char out[PXE_FILE_MAX], big[300];
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		pxe_boot_file(out, rows[r].base, rows[r].layer);
		assert_string_equal(out, rows[r].want);
	}
	/* the file field holds 127 bytes */
	memset(big, 'a', 200);
	big[200] = '\0';
	pxe_boot_file(out, big, 0);
	assert_int_equal(strlen(out), 127);
	/* option 93 */
	assert_int_equal(pxe_arch((const uint8_t *)"\0\7", 2), 7);
	assert_int_equal(pxe_arch((const uint8_t *)"\0", 1), -1);
	assert_int_equal(pxe_arch(NULL, 0), -1);
	assert_int_equal(pxe_arch((const uint8_t *)"\0\x10\0\7", 4), 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(menus),
		cmocka_unit_test(too_large),
		cmocka_unit_test(items),
		cmocka_unit_test(files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
