/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dnsname.h - dnsmasq 2.90's checks of host and domain names, shared by
 * the configuration and the hosts-file and /etc/ethers parsers:
 * check_name(), canonicalise(), legal_hostname() and hostname_isequal()
 * of dnsmasq's util.c, as Debian builds it (with IDN2: names holding
 * capitals or non-ASCII bytes go through idna_to_ascii()).
 * L0 module: libc and idna only.
 */
#ifndef PXEMASQ_DNSNAME_H
#define PXEMASQ_DNSNAME_H

#include <stdbool.h>
#include <stddef.h>

/* RFC 1035 presentation form, dnsmasq's MAXDNAME. */
#define DNSNAME_MAX		1025
#define DNSNAME_LABEL_MAX	63
/* Room for any canonical name and its NUL. */
#define DNSNAME_BUF		(DNSNAME_MAX + 1)

enum dnsname_kind {
	DNSNAME_BAD = 0,	/* not a name */
	DNSNAME_ASCII = 1,	/* kept as written */
	DNSNAME_IDN = 2,	/* capitals or non-ASCII: IDNA conversion */
};

/*
 * check_name(): empty or longer than DNSNAME_MAX, a label over 63 bytes,
 * an ASCII control character, or nothing but spaces (and non-ASCII
 * bytes) is bad.  One trailing dot is removed from in, in place, first
 * (and counts as visible).
 */
enum dnsname_kind dnsname_check(char *in);

/*
 * canonicalise(): dnsname_check() (which may cut a trailing dot from in),
 * then IDNA for DNSNAME_IDN names.  Writes the canonical name to out
 * (outsz bytes, DNSNAME_BUF always fits).  Returns 0, or -EINVAL for a
 * bad name (-ENOSPC if out is too small).
 */
int dnsname_canonicalise(char *in, char *out, size_t outsz);

/*
 * legal_hostname(): dnsname_check() holds (it may cut a trailing dot
 * from name, in place) and the first label has only letters, digits,
 * and '-' or '_' after its first character.
 */
bool dnsname_legal_hostname(char *name);

/* hostname_isequal(): equal when ASCII letters are folded to lower case. */
bool dnsname_equal(const char *a, const char *b);

/* The record type names dnsmasq knows (IANA DNS parameters; its
 * cache.c typestr[]): the name of a type, or NULL; the type of a name
 * (any case), or 0. */
const char *dnsname_rrtype_name(unsigned type);
unsigned dnsname_rrtype_number(const char *name);

#endif
