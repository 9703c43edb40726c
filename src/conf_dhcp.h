/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_dhcp.h - typed DHCPv4 configuration: dhcp-range, dhcp-host,
 * dhcp-boot, domain, dhcp-vendorclass, dhcp-userclass, dhcp-mac, tag-if,
 * dhcp-ignore, dhcp-broadcast, dhcp-reply-delay, dhcp-lease-max,
 * dhcp-leasefile, dhcp-script and the dhcp-hostsfile/-optsfile/-hostsdir/
 * -optsdir paths.
 *
 * Every list is in reading order (command line first, then files).
 * dnsmasq prepends most of these to its internal lists, so where it
 * searches "first match in its list" the consumer must take the LAST
 * matching entry here (dhcp-boot, dhcp-host, domain=DOM,RANGE,
 * dhcp-reply-delay, dhcp-vendorclass ...); tag-if alone is evaluated in
 * file order by dnsmasq too.
 *
 * Times are seconds, CONF_DHCP_LEASE_INFINITE meaning infinite.  Tags are
 * interned ids (conf_tag_name()); a tag condition is a struct
 * conf_tagexpr, the tags an entry sets are a struct conf_tagset.
 */
#ifndef PXEMASQ_CONF_DHCP_H
#define PXEMASQ_CONF_DHCP_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "conf.h"

#define CONF_DHCP_LEASE_DEFAULT 3600u		/* dnsmasq DEFLEASE */
#define CONF_DHCP_LEASE6_DEFAULT 86400u		/* dnsmasq DEFLEASE6 */
#define CONF_DHCP_LEASE_MIN 120u		/* shorter leases are raised */
#define CONF_DHCP_LEASE_INFINITE 0xffffffffu
#define CONF_DHCP_LEASE_MAX_DEFAULT 1000	/* dnsmasq MAXLEASES */
/* Used when dhcp-leasefile is absent (or empty) and a range exists. */
#define CONF_DHCP_LEASEFILE_DEFAULT "/var/lib/misc/dnsmasq.leases"
#define CONF_DHCP_HWADDR_MAX 16		/* DHCP chaddr field size */

/* --- dhcp-range -------------------------------------------------------- */

enum conf_dhcp_range_flag {
	CONF_DHCP_RANGE_STATIC = 1u << 0,	/* "static": hosts only */
	CONF_DHCP_RANGE_PROXY = 1u << 1,	/* "proxy": proxyDHCP */
	CONF_DHCP_RANGE_NETMASK = 1u << 2,	/* netmask given */
	CONF_DHCP_RANGE_BROADCAST = 1u << 3,	/* broadcast given */
	CONF_DHCP_RANGE_LEASE = 1u << 4,	/* lease time given */
	CONF_DHCP_RANGE_DEPRECATED = 1u << 5,	/* "deprecated" (IPv6 only
						 * in effect) */
};

/* An IPv4 range: dhcp-range=[tag:T,..][set:T,]START,END|static|proxy
 * [,MASK[,BCAST]][,LEASE] */
struct conf_dhcp_range {
	struct conf_src src;
	unsigned flags;			/* enum conf_dhcp_range_flag */
	struct conf_tagexpr filter;	/* tag:/net:, all must hold */
	struct conf_tagset set;		/* 0 or 1 tag set when used */
	struct in_addr start, end;	/* start <= end; equal: static */
	struct in_addr netmask;		/* with RANGE_NETMASK */
	struct in_addr broadcast;	/* with RANGE_BROADCAST */
	uint32_t lease;			/* seconds, >= 120 */
	struct conf_dhcp_range *next;
};

enum conf_dhcp_range6_flag {
	CONF_DHCP_RANGE6_END = 1u << 0,	/* second address given */
	CONF_DHCP_RANGE6_STATIC = 1u << 1,
	CONF_DHCP_RANGE6_RA_ONLY = 1u << 2,	/* ra-only or slaac */
	CONF_DHCP_RANGE6_RA_NAMES = 1u << 3,
	CONF_DHCP_RANGE6_RA_ADVROUTER = 1u << 4,
	CONF_DHCP_RANGE6_RA_STATELESS = 1u << 5,
	CONF_DHCP_RANGE6_OFF_LINK = 1u << 6,
	CONF_DHCP_RANGE6_CONSTRUCTOR = 1u << 7,
	CONF_DHCP_RANGE6_PREFIX = 1u << 8,	/* prefix length given */
	CONF_DHCP_RANGE6_LEASE = 1u << 9,
	CONF_DHCP_RANGE6_DEPRECATED = 1u << 10,
};

/* An IPv6 range.  dnsmasq accepts it; pxemasq serves no DHCPv6 and
 * refuses it at start-up unless --ignore-unsupported.  Kept so that
 * --dump-config prints it back. */
struct conf_dhcp_range6 {
	struct conf_src src;
	unsigned flags;			/* enum conf_dhcp_range6_flag */
	struct conf_tagexpr filter;
	struct conf_tagset set;
	struct in6_addr start, end;
	unsigned prefix;		/* as written, default 64 */
	const char *constructor;	/* constructor:IF, or NULL */
	uint32_t lease;			/* default one day */
	struct conf_dhcp_range6 *next;
};

/* --- dhcp-host --------------------------------------------------------- */

/* A hardware address with optional wildcard bytes and hardware type. */
struct conf_dhcp_hwaddr {
	unsigned len;			/* bytes used in addr, 0..16 */
	int type;			/* ARP hw type ("1-.."); 0: any */
	uint32_t wild;			/* bit i set: addr[i] is "*" */
	uint8_t addr[CONF_DHCP_HWADDR_MAX];
};

enum conf_dhcp_host_flag {
	CONF_DHCP_HOST_ADDR = 1u << 0,		/* addr valid */
	CONF_DHCP_HOST_LEASE = 1u << 1,		/* lease valid */
	CONF_DHCP_HOST_NAME = 1u << 2,		/* hostname valid */
	CONF_DHCP_HOST_CLID = 1u << 3,		/* clid/clid_len valid */
	CONF_DHCP_HOST_NOCLID = 1u << 4,	/* id:* - ignore client-id */
	CONF_DHCP_HOST_IGNORE = 1u << 5,	/* "ignore" */
	CONF_DHCP_HOST_BANK = 1u << 6,		/* from a dhcp-hostsfile */
	CONF_DHCP_HOST_CLID_TEXT = 1u << 7,	/* id: was written as text */
};

/* An IPv6 address or prefix of a dhcp-host ([ADDR] or [ADDR/LEN]); only
 * DHCPv6 uses it. */
struct conf_dhcp_host6 {
	struct in6_addr addr;
	bool has_prefix;
	int prefixlen;			/* with has_prefix */
	bool wildcard;			/* network part all zeros */
};

struct conf_dhcp_host {
	struct conf_src src;
	unsigned flags;			/* enum conf_dhcp_host_flag */
	unsigned nhw;			/* hw addresses, any may match */
	struct conf_dhcp_hwaddr *hw;
	unsigned clid_len;
	uint8_t *clid;			/* client-id with type byte */
	struct conf_tagset set;		/* set:/net: tags */
	struct conf_tagexpr filter;	/* tag: conditions */
	struct in_addr addr;		/* fixed address */
	uint32_t lease;			/* seconds, >= 120 */
	const char *hostname;		/* first label, lower case */
	const char *domain;		/* after the first '.', or NULL */
	unsigned naddr6;
	struct conf_dhcp_host6 *addr6;
	struct conf_dhcp_host *next;
};

/* --- dhcp-boot --------------------------------------------------------- */

/* dhcp-boot=[tag:T,..]FILE[,SNAME[,SERVER-IP|SERVER-NAME]] */
struct conf_dhcp_boot {
	struct conf_src src;
	struct conf_tagexpr filter;
	const char *file;		/* NULL when empty */
	const char *sname;		/* NULL when absent or empty */
	struct in_addr next_server;	/* 0.0.0.0: not given (use local) */
	const char *tftp_sname;		/* server as a name, or NULL */
	struct conf_dhcp_boot *next;
};

/* --- domain ------------------------------------------------------------ */

enum conf_dhcp_domain_kind {
	CONF_DHCP_DOMAIN_RANGE,		/* DOM,START[,END] */
	CONF_DHCP_DOMAIN_PREFIX,	/* DOM,ADDR/LEN[,local] */
	CONF_DHCP_DOMAIN_IFACE,		/* DOM,IFNAME */
};

/* domain=DOM,... : the domain for addresses in a subnet or range. */
struct conf_dhcp_domain {
	struct conf_src src;
	enum conf_dhcp_domain_kind kind;
	const char *domain;		/* canonical; "#" kept as written */
	bool is6;
	struct in_addr start, end;	/* IPv4, inclusive */
	struct in6_addr start6, end6;	/* IPv6, inclusive */
	unsigned prefixlen;		/* CONF_DHCP_DOMAIN_PREFIX */
	bool local;			/* ",local": also local=/DOM/ and the
					 * reverse zone (DNS side) */
	const char *iface;		/* DOMAIN_IFACE, may be NULL */
	struct conf_dhcp_domain *next;
};

/* --- classes ----------------------------------------------------------- */

enum conf_dhcp_class_kind {
	CONF_DHCP_CLASS_VENDOR,		/* dhcp-vendorclass: option 60 */
	CONF_DHCP_CLASS_USER,		/* dhcp-userclass: option 77 */
};

/* dhcp-vendorclass=[set:]T,[enterprise:N,]DATA, dhcp-userclass=[set:]T,DATA:
 * set T when DATA occurs anywhere in the client's option. */
struct conf_dhcp_class {
	struct conf_src src;
	enum conf_dhcp_class_kind kind;
	struct conf_tagset set;		/* 0 (empty tag) or 1 */
	int enterprise;			/* enterprise:N, or 0 */
	unsigned len;
	const uint8_t *data;		/* text, not NUL terminated */
	struct conf_dhcp_class *next;
};

/* dhcp-mac=[set:]T,MAC */
struct conf_dhcp_mac {
	struct conf_src src;
	struct conf_tagset set;		/* 0 (empty tag) or 1 */
	struct conf_dhcp_hwaddr hw;
	struct conf_dhcp_mac *next;
};

/* tag-if=set:A[,set:B..][,tag:C..]: when every tag: holds, set the set:.
 * A tag: name ending in '*' matches by prefix. */
struct conf_dhcp_tagif {
	struct conf_src src;
	struct conf_tagset set;		/* at least one */
	struct conf_tagexpr tag;
	struct conf_dhcp_tagif *next;
};

/* dhcp-ignore=TAGS, dhcp-broadcast[=TAGS]: an empty list always holds. */
struct conf_dhcp_taglist {
	struct conf_src src;
	struct conf_tagexpr tags;
	struct conf_dhcp_taglist *next;
};

/* dhcp-reply-delay=[tag:T,..]SECONDS */
struct conf_dhcp_delay {
	struct conf_src src;
	struct conf_tagexpr filter;
	int delay;
	struct conf_dhcp_delay *next;
};

struct conf_dhcp {
	struct conf_dhcp_range *ranges, **ranges_tail;
	struct conf_dhcp_range6 *ranges6, **ranges6_tail;
	struct conf_dhcp_host *hosts, **hosts_tail;
	struct conf_dhcp_boot *boots, **boots_tail;
	struct conf_dhcp_domain *domains, **domains_tail;
	struct conf_dhcp_class *classes, **classes_tail;
	struct conf_dhcp_mac *macs, **macs_tail;
	struct conf_dhcp_tagif *tagifs, **tagifs_tail;
	struct conf_dhcp_taglist *ignores, **ignores_tail;
	struct conf_dhcp_taglist *broadcasts, **broadcasts_tail;
	/* dhcp-reply-delay is single-valued, but dnsmasq keeps the
	 * command-line entry beside the file's; both are listed. */
	struct conf_dhcp_delay *delays, **delays_tail;

	const char *domain_suffix;	/* domain=DOM, NULL: none, or "" */
	bool domain_from_resolv;	/* domain=#: resolv.conf "search" */
	/* With domain_from_resolv, the domain in effect once
	 * conf_dhcp_resolv_domain() has read resolv.conf. */
	const char *domain_resolved;

	int lease_max;			/* dhcp-lease-max, default 1000 */
	bool lease_max_set;
	const char *leasefile;		/* NULL: default (if DHCP runs) */
	const char *script;		/* dhcp-script, or NULL */
	const char *script_user;	/* dhcp-scriptuser, or NULL */

	struct conf_strlist hostsfiles;	/* dhcp-hostsfile */
	struct conf_strlist optsfiles;	/* dhcp-optsfile */
	struct conf_strlist hostsdirs;	/* dhcp-hostsdir */
	struct conf_strlist optsdirs;	/* dhcp-optsdir */
};

struct conf_ctx;

/*
 * domain=#: takes the default domain from the first "search" line of the
 * one resolv.conf in effect, as dnsmasq does once all options are read.
 * nfiles is the number of resolv files in use (0 with no-resolv), path
 * the single one.  Errors are dnsmasq's ("must have exactly one
 * resolv.conf to read domain from.", "failed to read F: E" exit 3, "no
 * search directive found in F" exit 5).  To be called by the owner of
 * resolv-file after its own checks; a no-op without domain=#.
 */
int conf_dhcp_resolv_domain(struct conf_ctx *c, unsigned nfiles,
    const char *path);

#endif
