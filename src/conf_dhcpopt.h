/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_dhcpopt.h - dhcp-option, dhcp-option-force and dhcp-match, read
 * the way dnsmasq 2.90 reads them (option.c, parse_dhcp_opt), and the
 * table of DHCPv4 option names that dnsmasq accepts after "option:".
 *
 * Every value is kept as the bytes that go on the wire (or, for
 * dhcp-match, that are compared with the client's option), together with
 * the way dnsmasq classified it, because the DHCP server treats the kinds
 * differently: 0.0.0.0 in an address list means "this server", text gets
 * a NUL for the boot-file and server-name options, hex in dhcp-match is a
 * prefix match with wildcards while text is a substring match.
 *
 * Lists are in reading order (command line, then files).  dnsmasq keeps
 * them newest first; the DHCP server applies that rule (the last entry
 * in the file wins among equals).
 */
#ifndef PXEMASQ_CONF_DHCPOPT_H
#define PXEMASQ_CONF_DHCPOPT_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "conf.h"

/*
 * Value types of the option-name table, dnsmasq's OT_* bits.  The low
 * byte is the width in bytes of an integer value (1, 2 or 4; 0 = none),
 * e.g. client-arch 93 is 2 | DHCP_OT_DEC.
 */
#define DHCP_OT_WIDTH		0x00ff
#define DHCP_OT_TIME		0x0200	/* seconds, s/m/h/d/w */
#define DHCP_OT_DEC		0x0400	/* logged in decimal */
#define DHCP_OT_CSTRING		0x0800	/* DHCPv6 strings */
#define DHCP_OT_NAME		0x1000	/* text */
#define DHCP_OT_INTERNAL	0x2000	/* server's own: no option:NAME */
#define DHCP_OT_RFC1035_NAME	0x4000	/* DNS names on the wire */
#define DHCP_OT_ADDR_LIST	0x8000	/* IPv4 addresses only */

struct dhcp_optname {
	const char *name;	/* as dnsmasq spells it ("T1", "FQDN") */
	uint16_t code;
	uint16_t type;		/* DHCP_OT_* */
};

/* DHCPv4 option names, dnsmasq 2.90's table: lookup by code, by name
 * (case-insensitive, as option:NAME) and by index (NULL past the end).
 * The entries are static and read-only. */
const struct dhcp_optname *dhcp_optname_by_code(unsigned code);
const struct dhcp_optname *dhcp_optname_by_name(const char *name);
const struct dhcp_optname *dhcp_optname_at(unsigned i);

/* How dnsmasq read a value; first matching rule wins, see conf_dhcpopt.c. */
enum conf_dhcpopt_kind {
	CONF_DHCPOPT_EMPTY,	/* no value: zero-length option (but 1, 3,
				 * 6, 12, 15, 28: "don't send the default") */
	CONF_DHCPOPT_ADDR,	/* IPv4 addresses, 4 bytes each */
	CONF_DHCPOPT_ADDR_PREFIX, /* A.B.C.D/len descriptors (RFC 3442 compact
				 * form) mixed with addresses, or option 120
				 * addresses after the RFC 3361 enc byte 1 */
	CONF_DHCPOPT_TEXT,	/* text, no NUL (dnsmasq's DHOPT_STRING) */
	CONF_DHCPOPT_HEX,	/* xx:xx bytes (DHOPT_HEX), maybe wildcards */
	CONF_DHCPOPT_INT,	/* big-endian integer, 1, 2 or 4 bytes */
	CONF_DHCPOPT_TIME,	/* 4-byte seconds */
	CONF_DHCPOPT_DOMAINS,	/* DNS names: 119 (RFC 3397) and 120
				 * (RFC 3361, enc byte 0) compressed;
				 * else plain RFC 1035 */
};

/* One A.B.C.D[/len] element as written, kept for --dump-config. */
struct conf_dhcpopt_elem {
	struct in_addr addr;	/* bytes after the prefix length are zero */
	bool has_prefix;
	int32_t prefix;		/* as read; sent as (uint8_t)prefix */
};

struct conf_dhcpopt_value {
	enum conf_dhcpopt_kind kind;
	/* DHCP_OT_* the value was read with; 0 when untyped (unknown
	 * code, or a numeric code under vendor:/encap:/vi-encap:) */
	uint16_t type;
	uint16_t len;		/* <= 255 */
	const uint8_t *val;	/* len bytes (NUL after them for TEXT);
				 * NULL when len == 0 */
	/* HEX in dhcp-match: wild[i] != 0 means byte i matches anything
	 * (val[i] is then 0).  NULL when no byte is wild. */
	const uint8_t *wild;
	/* ADDR in a top-level dhcp-option: bit i set when address i (bytes
	 * 4i..4i+3) was 0.0.0.0, which the server replaces with its own
	 * address on the network of the request ("this server"). */
	uint64_t self_mask;
	/* What was written, for --dump-config only. */
	unsigned nelem;
	const struct conf_dhcpopt_elem *elem;	/* ADDR_PREFIX */
	unsigned nname;
	const char *const *name;	/* DOMAINS, canonical; "" = root */
};

/* Flags of a dhcp-option entry. */
#define CONF_DHCPOPT_FORCE	0x01	/* dhcp-option-force */
#define CONF_DHCPOPT_ENCAP	0x02	/* encap:N, inside option N */
#define CONF_DHCPOPT_VI_ENCAP	0x04	/* vi-encap:E, in option 125 */
#define CONF_DHCPOPT_VENDOR	0x08	/* vendor:CLASS, in option 43 */
/* Read from a dhcp-optsfile (re-read on SIGHUP); --dump-config prints
 * the dhcp-optsfile line instead. */
#define CONF_DHCPOPT_BANK	0x10

struct conf_dhcp_opt {
	struct conf_src src;
	int code;		/* as dnsmasq's atoi(): may be > 255 */
	unsigned flags;		/* CONF_DHCPOPT_* */
	/*
	 * encap:N option number or vi-encap:E enterprise number.  dnsmasq
	 * keeps both in one field (the last one given wins) and shares it
	 * with the vendor class, so vendor: together with vi-encap: leaves
	 * it a corrupted value; we keep both and the server decides.
	 */
	uint32_t encap;
	const char *vendor_class;	/* vendor:CLASS; NULL = any client */
	struct conf_tagexpr tags;	/* all must match */
	struct conf_dhcpopt_value v;
	struct conf_dhcp_opt *next;
};

struct conf_dhcp_match {
	struct conf_src src;
	uint16_t tag;		/* set when the client's option matches */
	int code;		/* option number; 0 with vi-encap */
	/*
	 * vi-encap:E matches a sub-option of option 125 for enterprise E.
	 * dnsmasq 2.90 keeps E and the hex wildcard mask in one field, so
	 * with a hex value it actually compares E with the mask; we keep E.
	 */
	bool vi_encap;
	uint32_t enterprise;
	/*
	 * How dnsmasq compares (rfc2131.c match_bytes): EMPTY matches the
	 * option being there; HEX the start of the option, wild bytes
	 * skipped; TEXT a substring anywhere; any other kind an element of
	 * v.len bytes at a multiple of v.len (the option as an array).
	 */
	struct conf_dhcpopt_value v;
	struct conf_dhcp_match *next;
};

struct conf_dhcpopt {
	struct conf_dhcp_opt *opts;	/* dhcp-option and -force */
	struct conf_dhcp_opt **opts_tail;
	unsigned nopts;
	struct conf_dhcp_match *matches;
	struct conf_dhcp_match **matches_tail;
	unsigned nmatches;
};

#endif
