/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_dns.h - typed DNS configuration: port, server/local/address,
 * resolv-file, cache-size, addn-hosts, host-record, cname, local-service,
 * log-queries, rebind-domain-ok.  Filled by conf_dns.c, read by the DNS
 * forwarder.  Plain flags (no-resolv, strict-order, all-servers,
 * domain-needed, bogus-priv, no-hosts, expand-hosts, no-poll, ...) are
 * keyword bits: conf_flag(cf, CONF_KW_NO_RESOLV) and so on.
 *
 * Every list keeps reading order.  Domain names are stored as dnsmasq
 * canonicalises them: no trailing dot, ASCII lower case when the name had
 * capitals (dnsmasq passes such names through IDNA, which folds case).
 */
#ifndef PXEMASQ_CONF_DNS_H
#define PXEMASQ_CONF_DNS_H

#include "conf.h"

#define CONF_DNS_PORT_DEFAULT	53
#define CONF_DNS_CACHE_DEFAULT	150
#define CONF_DNS_CACHE_MAX	5000000	/* dnsmasq's cap */
#define CONF_DNS_FORWARD_MAX_DEFAULT 150	/* dnsmasq's FTABSIZ */
#define CONF_DNS_RESOLV_DEFAULT	"/etc/resolv.conf"
#define CONF_DNS_TTL_DEFAULT	(-1)	/* "use local-ttl" */
#define CONF_DNS_EDNS_DEFAULT	1232	/* dnsmasq's EDNS_PKTSZ */
#define CONF_DNS_EDNS_MIN	512	/* dnsmasq.c: PACKETSZ at least */
#define CONF_DNS_MIN_CACHE_TTL_MAX 3600	/* dnsmasq's TTL_FLOOR_LIMIT */

/* An IPv4 or IPv6 address. */
struct conf_dns_ip {
	int family;		/* AF_INET, AF_INET6, AF_UNSPEC = none */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* One domain of a /D1/D2/.../ list. */
struct conf_dns_domain {
	/* canonical name without leading dots; "" with nodots false means
	 * every name (written /#/ or /./) */
	const char *name;
	bool wildcard;		/* written *NAME: names ending in NAME */
	bool nodots;		/* written //: unqualified names only */
};

/* What a server=, local= or address= line does for its domains. */
enum conf_dns_action {
	CONF_DNS_FORWARD,	/* server=[/D/]ADDR: forward to the server */
	CONF_DNS_RESOLV,	/* server=/D/#: use the ordinary servers */
	CONF_DNS_LOCAL,		/* server=/D/, local=/D/, address=/D/:
				 * local data only, else NXDOMAIN */
	CONF_DNS_ADDR4,		/* address=/D/IPv4: answer A with it */
	CONF_DNS_ADDR6,		/* address=/D/IPv6: answer AAAA with it */
	CONF_DNS_ZEROS,		/* address=/D/#: 0.0.0.0 and :: */
};

/*
 * server=[/D/...]ADDR[#PORT][@SRC[#SPORT]|@IF[@SRC[#SPORT]]], local=
 * (same syntax), address=[/D/...][IP|#].
 */
struct conf_dns_server {
	struct conf_src src;
	const char *opt;	/* "server", "local" or "address" */
	enum conf_dns_action action;
	bool has_domains;	/* a /D/ list was written */
	unsigned n_domains;
	struct conf_dns_domain *domains;

	/* CONF_DNS_FORWARD: the upstream server.  A name instead of an
	 * address is resolved once, at load, as dnsmasq does; each address
	 * whose family differs from an explicit source address is skipped,
	 * so n_addrs may be 0. */
	const char *host;	/* the name written, or NULL */
	unsigned n_addrs;
	struct conf_dns_ip *addrs;
	uint16_t port;		/* 53 unless #PORT */
	const char *scope;	/* IPv6 %IF as written, or NULL */
	unsigned scope_index;	/* its interface index */
	bool has_source;	/* @ given: bind before sending */
	struct conf_dns_ip source; /* AF_UNSPEC: any address */
	uint16_t source_port;	/* 0: random (query-port) */
	const char *iface;	/* @IF: SO_BINDTODEVICE name, or NULL */

	/* CONF_DNS_ADDR4 / CONF_DNS_ADDR6 */
	struct conf_dns_ip answer;

	struct conf_dns_server *next;
};

/* host-record=NAME[,NAME...][,IPv4][,IPv6][,TTL] */
struct conf_dns_host_record {
	struct conf_src src;
	unsigned n_names;
	const char **names;	/* the first one gets the PTR record */
	bool has_v4, has_v6;
	struct in_addr v4;	/* the last IPv4 written */
	struct in6_addr v6;	/* the last IPv6 written */
	int ttl;		/* CONF_DNS_TTL_DEFAULT: local-ttl */
	struct conf_dns_host_record *next;
};

/* cname=ALIAS[,ALIAS...],TARGET[,TTL]: one entry per alias. */
struct conf_dns_cname {
	struct conf_src src;
	const char *alias;	/* canonical, may be "" */
	const char *target;	/* canonical, may be "" */
	int ttl;		/* CONF_DNS_TTL_DEFAULT: local-ttl */
	struct conf_dns_cname *next;
};

/* bogus-nxdomain=, ignore-address=: ADDR[/PREFIX], IPv4 or IPv6. */
struct conf_dns_netmatch {
	struct conf_src src;
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network byte order; 4 used for IPv4 */
	unsigned prefix;	/* bits compared */
	struct conf_dns_netmatch *next;
};

/* filter-A, filter-AAAA, filter-rr=TYPE[,TYPE...]: a record type whose
 * upstream answers are removed (an atoi()-wrapped number may be out of
 * the 16-bit range: it matches nothing). */
struct conf_dns_rrtype {
	int type;
	struct conf_dns_rrtype *next;
};

/* What a local record line gives (rfc1035.c answer_request()). */
enum conf_dns_rr_kind {
	CONF_DNS_RR_TXT,	/* txt-record=NAME[,TEXT...] */
	CONF_DNS_RR_PTR,	/* ptr-record=NAME[,TARGET] */
	CONF_DNS_RR_MX,		/* mx-host=NAME[,TARGET[,PREF]] */
	CONF_DNS_RR_SRV,	/* srv-host=NAME[,TARGET[,PORT[,PRIO[,WEIGHT]]]] */
	CONF_DNS_RR_NAPTR,	/* naptr-record=NAME,ORDER,PREF,FLAGS,SERVICE,
				 * REGEXP[,REPLACEMENT] */
	CONF_DNS_RR_RAW,	/* dns-rr=NAME,TYPE[,HEX] and
				 * caa-record=NAME,FLAGS,TAG,VALUE (type 257) */
	CONF_DNS_RR_IFNAME,	/* interface-name=NAME,IFACE[/4|/6] */
};

/*
 * One local record line, in reading order.  dnsmasq keeps most of these
 * lists newest first and answers in that order; the answering side walks
 * them backwards.  raw is the value as written (hidden metacharacters
 * included) and is what --dump-config prints back.
 */
struct conf_dns_rr {
	struct conf_src src;
	const char *opt;	/* the option's canonical name */
	const char *raw;
	enum conf_dns_rr_kind kind;
	const char *name;	/* canonical owner name, may be "" */
	uint16_t type;		/* RAW: the record type */
	const uint8_t *data;	/* TXT: character-strings; RAW: rdata */
	uint16_t len;
	/* PTR, MX, SRV target (NULL: none given: MX gets mx-target, SRV
	 * answers "no service"); NAPTR replacement (NULL: root);
	 * IFNAME: the interface */
	const char *target;
	uint16_t pref;		/* MX preference (1); NAPTR order */
	uint16_t port;		/* SRV port (1); NAPTR preference */
	uint16_t prio, weight;	/* SRV (0, 0) */
	const char *naptr_flags, *naptr_services, *naptr_regexp;
	bool if4, if6;		/* IFNAME: families answered */
	struct conf_dns_rr *next;
};

enum conf_dns_local_service {
	CONF_DNS_LS_NONE,
	CONF_DNS_LS_NET,	/* local-service[=net]: answer local subnets */
	CONF_DNS_LS_HOST,	/* local-service=host: localhost only */
};

struct conf_dns {
	bool has_port;
	uint16_t port;		/* 0 = DNS off (and no hosts, no option 6) */
	bool has_cache_size;
	uint32_t cache_size;	/* 0 = no cache; capped at 5,000,000 */
	bool has_forward_max;
	int forward_max;	/* dns-forward-max: pending queries; <= 0:
				 * none (every forwarded query REFUSED) */

	/* resolv-file: files in reading order.  resolv_default: no
	 * resolv-file given, /etc/resolv.conf is read.  Both false and an
	 * empty list: an empty resolv-file cleared the default. */
	bool resolv_default;
	struct conf_strlist resolv_files;

	struct conf_dns_server *servers;	/* server, local, address */
	struct conf_dns_server **servers_tail;
	unsigned n_servers;

	struct conf_strlist addn_hosts;		/* s may be NULL (empty) */

	struct conf_dns_host_record *host_records;
	struct conf_dns_host_record **host_records_tail;
	struct conf_dns_cname *cnames;
	struct conf_dns_cname **cnames_tail;
	struct conf_dns_rr *rrs;		/* local record lines */
	struct conf_dns_rr **rrs_tail;
	unsigned n_rrs;
	const char *mx_target;	/* mx-target, canonical, or NULL */
	const char *mx_target_raw;

	/* local-service[=net] and local-service=host as written (one may
	 * come from the command line, the other from a file) */
	bool local_service_net;
	bool local_service_host;
	/* what applies (dnsmasq's rule): nothing when interface,
	 * except-interface, listen-address or auth-server is configured;
	 * else net when given, else host when given */
	enum conf_dns_local_service local_service_effective;

	/* bogus-nxdomain: an upstream answer with such an address becomes
	 * NXDOMAIN; ignore-address: such an answer is ignored */
	struct conf_dns_netmatch *bogus_nx;
	struct conf_dns_netmatch *ignore_addrs;
	struct conf_dns_rrtype *filter_rr;	/* in reading order */

	bool log_queries;	/* log-queries */
	bool log_queries_extra;	/* log-queries=extra */

	/* rebind-domain-ok: canonical domains, in reading order, whose
	 * names (the domain and names below it, whole labels) skip the
	 * stop-dns-rebind check; "" stands for every single-label name.
	 * A domain dnsmasq fails to canonicalise is not stored (D17). */
	struct conf_strlist rebind_ok;
	/* local-ttl, dhcp-ttl, neg-ttl, max-ttl, max-cache-ttl and
	 * min-cache-ttl in seconds, 0 unless given (dnsmasq's defaults).
	 * The value is atoi()'s, kept as 32 bits; min-cache-ttl is capped
	 * at 3600 as option.c does (silently). */
	bool has_local_ttl, has_dhcp_ttl, has_neg_ttl, has_max_ttl;
	bool has_max_cache_ttl, has_min_cache_ttl;
	uint32_t local_ttl, dhcp_ttl, neg_ttl, max_ttl;
	uint32_t max_cache_ttl, min_cache_ttl;
	/* edns-packet-max: atoi()'s value cut to 16 bits as option.c does
	 * (1232 unless given); use conf_dns_edns_max() */
	bool has_edns_packet_max;
	uint16_t edns_packet_max;
};

/* The TTL of answers from DHCP leases: dhcp-ttl when given, else
 * local-ttl (rfc1035.c crec_ttl()). */
uint32_t conf_dns_dhcp_ttl(const struct conf_dns *d);
/* The EDNS0 UDP size in effect: edns-packet-max, at least 512
 * (dnsmasq.c raises a smaller one). */
uint16_t conf_dns_edns_max(const struct conf_dns *d);

/* The cname entry whose alias is name (case-insensitive), or NULL. */
const struct conf_dns_cname *conf_dns_cname_find(const struct conf_dns *d,
    const char *name);

/* dnsmasq's domain_no_rebind(): name (presentation form, no trailing
 * dot) is one of the rebind-domain-ok domains or below one, compared
 * case-insensitively by whole labels; the empty domain matches every
 * name without a dot. */
bool conf_dns_rebind_ok(const struct conf_dns *d, const char *name);

#endif
