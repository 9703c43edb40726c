/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dns_local.h - locally known names (L2): the hosts files (/etc/hosts,
 * addn-hosts) and host-record, hashed by name and by address.  As dnsmasq
 * 2.90 (cache.c): the PTR record of an address goes to the first name
 * given for it; with expand-hosts a name written without a dot also
 * answers as NAME.DOMAIN.
 */
#ifndef PXEMASQ_DNS_LOCAL_H
#define PXEMASQ_DNS_LOCAL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

struct conf;
struct hostsfile;

struct dns_local_ent {
	const char *name;		/* lower case */
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	const char *src;		/* hosts file path, or "config" */
	unsigned ttl;
	bool ptr;			/* the address's first name */
	struct dns_local_ent *nnext, *anext;
};

struct dns_local;

/* Builds the table from host-record lines and the hosts files (paths[i]
 * names h[i]; all borrowed, names are copied).  Returns owned or NULL. */
struct dns_local *dns_local_new(const struct conf *cf,
    struct hostsfile *const *h, const char *const *paths, size_t n);
void dns_local_free(struct dns_local *l);

/* The first entry for a lower-case name (follow nnext, comparing the
 * name), or NULL. */
const struct dns_local_ent *dns_local_by_name(const struct dns_local *l,
    const char *lname);
/* The entry holding the PTR name of an address, or NULL. */
const struct dns_local_ent *dns_local_by_addr(const struct dns_local *l,
    int family, const void *addr);

#endif
