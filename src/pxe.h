/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pxe.h - PXE vendor option (43) pieces as dnsmasq 2.90 builds them:
 * the boot menu (sub-options 6, 8, 9, 10), boot-item requests (sub 71)
 * and boot file names.  Pure functions: no I/O, no clock.
 */
#ifndef PXEMASQ_PXE_H
#define PXEMASQ_PXE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* PXE vendor sub-options (PXE spec 2.1, table 2-1) */
#define PXE_SUB_DISCOVERY	6
#define PXE_SUB_SERVERS		8
#define PXE_SUB_MENU		9
#define PXE_SUB_PROMPT		10
#define PXE_SUB_BOOT_ITEM	71

/* Sub-option value limit: option 43 holds 255 bytes, a sub-option has
 * two bytes of header (dnsmasq: "max size is 253"). */
#define PXE_SUB_MAX		253
/* The BOOTP file field holds 127 bytes plus NUL. */
#define PXE_FILE_MAX		128

/* One encapsulated sub-option (borrowed value). */
struct pxe_sub {
	uint8_t code;
	uint8_t len;
	const uint8_t *val;
};

/* A menu under construction (dnsmasq's pxe_opts). */
struct pxe_menu {
	uint8_t discovery;		/* sub 6 */
	uint8_t prompt[4];		/* synthetic sub 10: TIMEOUT "PXE" */
	uint8_t menu[PXE_SUB_MAX];	/* sub 9 */
	size_t menu_len;
	uint8_t servers[PXE_SUB_MAX];	/* sub 8 */
	size_t servers_len;
	unsigned items;
	bool too_big;			/* "PXE menu too large": no subs */
};

void pxe_menu_init(struct pxe_menu *m);
/* Adds one service of the client's architecture: a sub-9 entry and, when
 * server is not 0.0.0.0, a sub-8 entry; a non-zero type without server
 * allows broadcast discovery (sub 6 = 2).  Returns 0, or -1 when the
 * menu grew too large (then m->too_big is set and later calls fail). */
int pxe_menu_add(struct pxe_menu *m, uint16_t type, const char *text,
    struct in_addr server);
/* The synthetic sub-options to send before the configured vendor
 * options, in dnsmasq's order: 6, [10 when !have_prompt], [8], [9].
 * Returns their count (at most 4); 0 when the menu was too large. */
size_t pxe_menu_subs(struct pxe_menu *m, bool have_prompt,
    struct pxe_sub out[4]);

/* One option 43 value: the sub-options in order, then END.  Returns its
 * length, or 0 when it does not fit cap (or 255 bytes). */
size_t pxe_encode(const struct pxe_sub *subs, size_t n, uint8_t *out,
    size_t cap);

/* The boot-item request (sub 71, at least 4 bytes) in option 43 bytes
 * v (len bytes): type and layer.  False when absent. */
bool pxe_boot_item(const uint8_t *v, size_t len, uint16_t *type,
    uint16_t *layer);
/* The file for a basename service: BASENAME when it holds a '.', else
 * BASENAME.LAYER; cut to the 127 bytes of the file field.  out has
 * PXE_FILE_MAX bytes. */
void pxe_boot_file(char out[PXE_FILE_MAX], const char *basename,
    unsigned layer);
/* Client architecture from option 93 (at least 2 bytes), else -1. */
int pxe_arch(const uint8_t *v, size_t len);

#endif
