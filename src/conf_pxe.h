/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_pxe.h - typed PXE configuration: pxe-service, pxe-prompt,
 * dhcp-pxe-vendor.  Filled by conf_pxe.c, read by the PXE menu builder.
 *
 * Lists keep reading order (command line, then files).  dnsmasq also
 * keeps pxe-service in file order; it prepends pxe-prompt (a vendor
 * option, so the last matching one is found first) and dhcp-pxe-vendor.
 */
#ifndef PXEMASQ_CONF_PXE_H
#define PXEMASQ_CONF_PXE_H

#include "conf.h"

/* First boot-server type given to a service named by a basename; each
 * further basename service takes the next one, in reading order, across
 * all CSAs (dnsmasq's counter, observed on the wire). */
#define CONF_PXE_TYPE_FIRST	0x8000

/* Client system architectures that have a name in pxe-service (the CSA
 * field); other values are written as decimal numbers. */
#define CONF_PXE_CSA_NAMED	12

/* pxe-service=[tag:T,...]CSA,MENU[,BASENAME|TYPE][,SERVER] */
struct conf_pxe_service {
	struct conf_src src;
	struct conf_tagexpr tags;
	uint16_t csa;		/* option 93 value this entry is for */
	uint16_t type;		/* boot server type; 0 = local boot */
	const char *menu;	/* menu text; NULL when empty */
	/* Boot file base name, NULL for a numeric type or local boot.  The
	 * file sent is BASENAME when it holds a '.', else BASENAME.LAYER. */
	const char *basename;
	bool has_server;	/* SERVER field was an IPv4 address */
	struct in_addr server;	/* valid when has_server */
	const char *sname;	/* SERVER field when not an address, or NULL */
	struct conf_pxe_service *next;
};

/* pxe-prompt=[tag:T,...]TEXT[,TIMEOUT]: PXE vendor sub-option 10. */
struct conf_pxe_prompt {
	struct conf_src src;
	struct conf_tagexpr tags;
	const char *text;	/* never NULL; may be "" */
	uint8_t timeout;	/* seconds; 255 = wait for a key (default) */
	struct conf_pxe_prompt *next;
};

struct conf_pxe {
	struct conf_pxe_service *services;
	struct conf_pxe_service **services_tail;
	unsigned n_services;
	struct conf_pxe_prompt *prompts;
	struct conf_pxe_prompt **prompts_tail;
	unsigned n_prompts;
	/* dhcp-pxe-vendor values in reading order (s NULL for an empty
	 * field); empty list = the default "PXEClient". */
	struct conf_strlist vendors;
	/* next type for a basename service; wraps like dnsmasq's 16 bits */
	uint32_t next_type;
	/* true once a pxe-service or pxe-prompt was read: PXE logic runs */
	bool enabled;
};

/* Name of an architecture in pxe-service syntax, or NULL. */
const char *conf_pxe_csa_name(unsigned csa);
/* The PXE vendor string (dhcp-pxe-vendor, default "PXEClient") that
 * option 60 text (len bytes) starts with, or NULL: the string to send
 * back in option 60.  Borrows everything. */
const char *conf_pxe_vendor_match(const struct conf_pxe *p,
    const char *vendor, size_t len);

#endif
