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
#include <stdint.h>

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

/* --- local records: txt-record, ptr-record, mx-host, srv-host,
 * naptr-record, dns-rr, caa-record, interface-name --------------------- */

struct dns_build;
struct dns_local_rrs;

/* An address of an interface, for interface-name. */
struct dns_local_ifaddr {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	bool revonly;	/* an IPv6 address not permanent, tentative or
			 * deprecated: answers PTR only (network.c) */
};
#define DNS_LOCAL_IFADDRS_MAX 64

/* One question and what answering it may look at. */
struct dns_local_rrq {
	const char *qname;	/* as asked: selfmx answers with it */
	const char *lname;	/* lower case */
	const char *owner;	/* the records' owner written out (after a
				 * CNAME: its target); NULL: the question */
	uint16_t qtype;
	int arpa_family;	/* the name as an in-addr/ip6.arpa address */
	uint8_t arpa[16];
	uint32_t ttl;		/* local-ttl */
	const struct dns_local *hosts;	/* MX/SRV additional, selfmx */
	/* the addresses of interface ifname now; returns how many */
	unsigned (*if_addrs)(void *arg, const char *ifname,
	    struct dns_local_ifaddr *v, unsigned max);
	/* optional: a DHCP lease's address by name */
	bool (*lease_by_name)(void *arg, const char *name,
	    struct in_addr *out);
	void *arg;		/* for if_addrs and lease_by_name */
	/* optional: a log-queries line */
	void (*log)(void *log_arg, const char *line);
	void *log_arg;
};

/* The records of a configuration (borrowed while this lives), in
 * dnsmasq's answer order; the host name is the MX default target.
 * Returns owned or NULL. */
struct dns_local_rrs *dns_local_rrs_new(const struct conf *cf,
    const char *hostname);
void dns_local_rrs_free(struct dns_local_rrs *r);

/*
 * Adds to b what dnsmasq 2.90's answer_request() adds from these records
 * for q (answer section; A/AAAA of MX and SRV targets known locally in
 * the additional section).  Returns true when the question counts as
 * answered locally (even with no record: an empty answer), false when it
 * goes on to the hosts data and upstream.
 */
bool dns_local_rrs_answer(struct dns_local_rrs *r,
    const struct dns_local_rrq *q, struct dns_build *b);

/* An interface-name has this name: its A and AAAA come from the
 * interface only, never from the hosts data (rfc1035.c). */
bool dns_local_rrs_has_ifname(const struct dns_local_rrs *r,
    const char *lname);

/* rfc1035.c check_for_local_domain(): a naptr-record, mx-host, srv-host,
 * txt-record, interface-name or ptr-record name is lname or below it. */
bool dns_local_rrs_has_domain(const struct dns_local_rrs *r,
    const char *lname);

#endif
