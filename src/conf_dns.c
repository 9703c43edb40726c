/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_dns.c - DNS options: port, server, local, address, resolv-file,
 * cache-size, addn-hosts, host-record, cname, local-service, log-queries,
 * and the checks dnsmasq makes once every file is read.
 *
 * Facts from dnsmasq 2.90 (reference section 6, Appendix B and
 * `dnsmasq --test` runs; messages are dnsmasq's):
 * - server= and local= are one option.  The value is read with every
 *   quoted character restored.  /D1/D2/.../ lists domains, split at '/'
 *   with spaces around each '/' trimmed; what follows the last '/' is the
 *   server: empty = answer locally, "#" = the ordinary servers, else
 *   ADDR[#PORT][@SRC[#PORT]] or ADDR[#PORT]@IF[@SRC[#PORT]], where ADDR
 *   may be a host name, resolved at once ("bad port", "bad interface
 *   name", "interface can only be specified once", "cannot use IPv4
 *   server address with IPv6 source address" and the reverse, resolver
 *   messages).
 * - address= has the same domain list; its value is empty, "#" (zero
 *   addresses) or an IPv4/IPv6 address, else "Bad address in --address".
 * - Domains: leading dots dropped; "*NAME" matches names ending in NAME;
 *   "#" alone or "." means every name; "" (written //) names without
 *   a dot.  A bad name is "error".
 * - Names are checked as dnsmasq's canonicalise() (conf_canonicalise()):
 *   at most 1025 bytes, labels of at most 63, no control bytes, not only
 *   spaces, one trailing dot dropped; names with capitals or non-ASCII
 *   letters go through IDNA as Debian's IDN2 build (docs/differences.md
 *   D10: UTF-8 whatever the locale; punycode labels are decoded and
 *   checked, so "Xn--bad" is refused as dnsmasq refuses it).
 * - host-record: at least two fields ("Bad host-record"); fields of digits
 *   (empty counts) are the TTL, IPv4/IPv6 set the addresses (last wins),
 *   others are names ("Bad name in host-record").  Fields are tested
 *   before quoted characters are restored.
 * - cname: "bad CNAME", "duplicate CNAME" (case-insensitive); after
 *   reading, "CNAME loop involving ALIAS".
 * - resolv-file replaces the default /etc/resolv.conf (an empty value
 *   removes it), later ones add; several files and no-poll (without
 *   no-resolv): "only one resolv.conf file allowed in no-poll mode."
 * - cache-size: digits, negative never, capped at 5,000,000; port: 16
 *   bits; local-service: none, "net" or "host"; log-queries: "extra"
 *   means more, any other value plain logging.
 * - rebind-domain-ok: the value is read with every quoted character
 *   restored; one leading '/' is skipped, then domains are split at '/'
 *   (spaces around each '/' trimmed) up to the end or a trailing '/'.
 *   Each is canonicalised; one that fails is no error (dnsmasq keeps it
 *   as a null domain and crashes at the first forwarded query; pxemasq
 *   drops it, D17).  "//" and "/" give the empty domain, which matches
 *   single-label names.
 */
#include "conf_dns.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "conf_int.h"

#define CONF_DNS_MAX_DOMAINS	1024	/* domains on one line */

/* --- names -------------------------------------------------------------- */

/* dnsmasq's canonicalise_opt(): restores hidden characters, keeps "" as
 * "", returns an arena copy or NULL for a bad name (IDNA as D10 says). */
static const char *
conf_dns_canon(struct conf_ctx *c, char *s)
{
	return conf_canonicalise(c, s);
}

/* dnsmasq's atoi_check(): digits only (an empty string passes), then the
 * C library's atoi(), whose wrap-around on huge values we keep. */
static bool
conf_dns_atoi(char *s, int *out)
{
	if (!conf_numeric(s))
		return false;
	*out = atoi(s);
	return true;
}

static bool
conf_dns_parse_ip(const char *s, struct conf_dns_ip *ip)
{
	if (inet_pton(AF_INET, s, &ip->u.v4) > 0)
		ip->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &ip->u.v6) > 0)
		ip->family = AF_INET6;
	else
		return false;
	return true;
}

/* --- server, local, address: domains ------------------------------------- */

/*
 * Walks the domain list exactly as dnsmasq does: from the first domain,
 * each step skips one NUL past the current string, until the last domain.
 * A "#" alone is cleared in place, which makes the next step see an empty
 * name (dnsmasq's quirk, kept).  With spaces around a '/' the walk can
 * step past the last domain; dnsmasq then reads beyond the value, we
 * report "error".
 */
static int
conf_dns_domains(struct conf_ctx *c, struct conf_dns_server *s, char *first,
    char *last)
{
	struct conf_dns_domain tmp[CONF_DNS_MAX_DOMAINS];
	char *cur = first;
	unsigned n = 0;

	for (;;) {
		struct conf_dns_domain *d = &tmp[n];
		char *name = cur;

		if (cur > last || n == CONF_DNS_MAX_DOMAINS)
			return conf_gen_err(c);
		memset(d, 0, sizeof(*d));
		d->nodots = *cur == '\0';
		if (cur[0] == '#' && cur[1] == '\0')
			cur[0] = '\0';
		if (*name == '.')
			while (*name == '.')
				name++;
		else if (*name == '*' && *++name != '\0')
			d->wildcard = true;
		if (*name == '\0')
			d->name = "";
		else if ((d->name = conf_dns_canon(c, name)) == NULL)
			return conf_gen_err(c);
		n++;
		if (cur == last)
			break;
		cur += strlen(cur) + 1;
	}
	s->domains = conf_alloc(c, n * sizeof(*s->domains));
	memcpy(s->domains, tmp, n * sizeof(*s->domains));
	s->n_domains = n;
	return 0;
}

/* --- server, local: the upstream server ---------------------------------- */

struct conf_dns_srvtext {
	char *addr;		/* ADDR or host name */
	char *source;		/* text after '@' (or after IF@), or NULL */
	char *iface_opt;	/* IF of ADDR@IF@SRC, or NULL */
	char *scope;		/* text after '%', or NULL */
};

static void
conf_dns_set_iface(struct conf_ctx *c, struct conf_dns_server *s,
    const char *name)
{
	char buf[IF_NAMESIZE];

	/* dnsmasq copies the name into an IF_NAMESIZE buffer */
	snprintf(buf, sizeof(buf), "%s", name);
	s->iface = arena_strdup(&c->cf->arena, buf);
}

/* Splits ADDR[#PORT][%SCOPE][@[IF@]SRC[#PORT]] in dnsmasq's order. */
static int
conf_dns_split_server(struct conf_ctx *c, struct conf_dns_server *s,
    char *arg, struct conf_dns_srvtext *t)
{
	char *port;
	int v;

	memset(t, 0, sizeof(*t));
	t->source = conf_split_chr(arg, '@');
	if (t->source != NULL &&
	    (port = conf_split_chr(t->source, '#')) != NULL) {
		if (!conf_atoi16(port, &v))
			return conf_err(c, "bad port");
		s->source_port = (uint16_t)v;
	}
	if ((port = conf_split_chr(arg, '#')) != NULL) {
		if (!conf_atoi16(port, &v))
			return conf_err(c, "bad port");
		s->port = (uint16_t)v;
	}
	t->scope = conf_split_chr(arg, '%');
	if (t->source != NULL &&
	    (t->iface_opt = conf_split_chr(t->source, '@')) != NULL) {
		conf_dns_set_iface(c, s, t->source);
		t->source = t->iface_opt;
	}
	t->addr = arg;
	return 0;
}

/* dnsmasq's parse_server_addr() for one address of the server: checks
 * the source against it.  *skip is set when a resolved address does not
 * match the family of the source. */
static int
conf_dns_check_addr(struct conf_ctx *c, struct conf_dns_server *s,
    const struct conf_dns_srvtext *t, int family, bool *skip)
{
	int other = family == AF_INET ? AF_INET6 : AF_INET;
	struct conf_dns_ip src;

	*skip = false;
	if (family == AF_INET6 && t->scope != NULL &&
	    (s->scope_index = if_nametoindex(t->scope)) == 0)
		return conf_err(c, "bad interface name");
	if (t->source == NULL)
		return 0;
	s->has_source = true;
	if (conf_dns_parse_ip(t->source, &src) && src.family == family) {
		s->source = src;
		return 0;
	}
	if (conf_dns_parse_ip(t->source, &src) && src.family == other) {
		s->source = src;
		if (s->host != NULL) {
			*skip = true;
			return 0;
		}
		return conf_err(c, family == AF_INET ?
		    "cannot use IPv4 server address with IPv6 source address" :
		    "cannot use IPv6 server address with IPv4 source address");
	}
	if (t->iface_opt != NULL)
		return conf_err(c, "interface can only be specified once");
	conf_dns_set_iface(c, s, t->source);
	return 0;
}

static void
conf_dns_add_addr(struct conf_ctx *c, struct conf_dns_server *s,
    const struct conf_dns_ip *ip)
{
	struct conf_dns_ip *nv = conf_alloc(c, (s->n_addrs + 1) * sizeof(*nv));

	if (s->n_addrs)
		memcpy(nv, s->addrs, s->n_addrs * sizeof(*nv));
	nv[s->n_addrs++] = *ip;
	s->addrs = nv;
}

/* A server given by name: resolved now, as dnsmasq's getaddrinfo() call
 * (AI_ADDRCONFIG, datagram sockets), each address checked in turn. */
static int
conf_dns_resolve(struct conf_ctx *c, struct conf_dns_server *s,
    const struct conf_dns_srvtext *t)
{
	struct addrinfo hints, *res, *ai;
	int rc, ecode;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_ADDRCONFIG;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((ecode = getaddrinfo(t->addr, NULL, &hints, &res)) != 0) {
		if (ecode == EAI_AGAIN)
			return conf_err(c, "Cannot resolve server name");
		return conf_err(c, gai_strerror(ecode));
	}
	s->host = conf_strdup(c, t->addr);
	rc = 0;
	for (ai = res; ai != NULL && rc == 0; ai = ai->ai_next) {
		struct conf_dns_ip ip = { .family = ai->ai_family };
		bool skip;

		if (ai->ai_family == AF_INET)
			ip.u.v4 = ((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			ip.u.v6 =
			    ((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		else
			continue;
		rc = conf_dns_check_addr(c, s, t, ip.family, &skip);
		if (rc == 0 && !skip)
			conf_dns_add_addr(c, s, &ip);
	}
	freeaddrinfo(res);
	return rc;
}

static int
conf_dns_upstream(struct conf_ctx *c, struct conf_dns_server *s, char *arg)
{
	struct conf_dns_srvtext t;
	struct conf_dns_ip ip;
	bool skip;

	if (strcmp(arg, "#") == 0) {
		s->action = CONF_DNS_RESOLV;
		return 0;
	}
	s->action = CONF_DNS_FORWARD;
	if (conf_dns_split_server(c, s, arg, &t) < 0)
		return -1;
	if (t.scope != NULL)
		s->scope = conf_strdup(c, t.scope);
	if (!conf_dns_parse_ip(t.addr, &ip))
		return conf_dns_resolve(c, s, &t);
	if (conf_dns_check_addr(c, s, &t, ip.family, &skip) < 0)
		return -1;
	conf_dns_add_addr(c, s, &ip);
	return 0;
}

static int
conf_dns_answer(struct conf_ctx *c, struct conf_dns_server *s, char *arg)
{
	if (strcmp(arg, "#") == 0)
		s->action = CONF_DNS_ZEROS;
	else if (conf_dns_parse_ip(arg, &s->answer))
		s->action = s->answer.family == AF_INET ? CONF_DNS_ADDR4 :
		    CONF_DNS_ADDR6;
	else
		return conf_err(c, "Bad address in --address");
	return 0;
}

static int
conf_dns_server_line(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dns *d = c->cf->dns;
	struct conf_dns_server *s = conf_alloc(c, sizeof(*s));
	char *first = NULL, *last = NULL, *next;
	int rc = 0;

	s->src = c->src;
	s->opt = kw->name;
	s->port = CONF_DNS_PORT_DEFAULT;
	conf_unhide(arg);
	if (*arg == '/') {
		first = last = ++arg;
		while ((next = conf_split_chr(arg, '/')) != NULL) {
			last = arg;
			arg = next;
		}
	}
	if (*arg == '\0')
		s->action = CONF_DNS_LOCAL;
	else if (kw->id == CONF_KW_ADDRESS)
		rc = conf_dns_answer(c, s, arg);
	else
		rc = conf_dns_upstream(c, s, arg);
	if (rc < 0)
		return -1;
	s->has_domains = first != NULL;
	/* dnsmasq checks the domains once per address used */
	if (first != NULL && (s->action != CONF_DNS_FORWARD || s->n_addrs) &&
	    conf_dns_domains(c, s, first, last) < 0)
		return -1;
	*d->servers_tail = s;
	d->servers_tail = &s->next;
	d->n_servers++;
	return 0;
}

int
conf_dns_server(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	return conf_dns_server_line(c, kw, arg);
}

int
conf_dns_address(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	return conf_dns_server_line(c, kw, arg);
}

/* --- host-record, cname ----------------------------------------------- */

static void
conf_dns_add_name(struct conf_ctx *c, struct conf_dns_host_record *h,
    const char *name)
{
	const char **nv = conf_alloc(c, (h->n_names + 1) * sizeof(*nv));

	if (h->n_names)
		memcpy(nv, h->names, h->n_names * sizeof(*nv));
	nv[h->n_names++] = name;
	h->names = nv;
}

int
conf_dns_host_record(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dns *d = c->cf->dns;
	struct conf_dns_host_record *h;
	char *next;

	(void)kw;
	if ((next = conf_split(arg)) == NULL)
		return conf_err(c, "Bad host-record");
	h = conf_alloc(c, sizeof(*h));
	h->src = c->src;
	h->ttl = CONF_DNS_TTL_DEFAULT;
	while (arg != NULL) {
		const char *name;

		/* tested before hidden characters are restored, as dnsmasq */
		if (arg[strspn(arg, "0123456789")] == '\0') {
			h->ttl = atoi(arg);
		} else if (inet_pton(AF_INET, arg, &h->v4) > 0) {
			h->has_v4 = true;
		} else if (inet_pton(AF_INET6, arg, &h->v6) > 0) {
			h->has_v6 = true;
		} else {
			if ((name = conf_dns_canon(c, arg)) == NULL)
				return conf_err(c, "Bad name in host-record");
			conf_dns_add_name(c, h, name);
		}
		arg = next;
		next = conf_split(arg);
	}
	*d->host_records_tail = h;
	d->host_records_tail = &h->next;
	return 0;
}

const struct conf_dns_cname *
conf_dns_cname_find(const struct conf_dns *d, const char *name)
{
	const struct conf_dns_cname *cn;

	for (cn = d->cnames; cn != NULL; cn = cn->next)
		if (strcasecmp(cn->alias, name) == 0)
			return cn;
	return NULL;
}

static int
conf_dns_cname_add(struct conf_ctx *c, const char *alias, const char *target,
    int ttl)
{
	struct conf_dns *d = c->cf->dns;
	struct conf_dns_cname *cn;

	if (conf_dns_cname_find(d, alias) != NULL)
		return conf_err(c, "duplicate CNAME");
	cn = conf_alloc(c, sizeof(*cn));
	cn->src = c->src;
	cn->alias = alias;
	cn->target = target;
	cn->ttl = ttl;
	*d->cnames_tail = cn;
	d->cnames_tail = &cn->next;
	return 0;
}

/*
 * ALIAS,...,TARGET[,TTL].  The aliases are found by stepping over the
 * split value as dnsmasq does (one NUL, then spaces), so "a , b" gives
 * the aliases "a" and "" as in dnsmasq.
 */
int
conf_dns_cname(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *last = NULL, *pen = NULL, *p;
	const char *alias, *target = NULL;
	int ttl = CONF_DNS_TTL_DEFAULT;

	(void)kw;
	for (p = arg; p != NULL; p = conf_split(p)) {
		pen = last;
		last = p;
	}
	if (pen == NULL)
		return conf_err(c, "bad CNAME");
	if (pen != arg && conf_dns_atoi(last, &ttl))
		last = pen;
	while (arg < last) {
		size_t len = strlen(arg);

		alias = conf_dns_canon(c, arg);
		if (target == NULL)
			target = conf_dns_canon(c, last);
		if (alias == NULL || target == NULL)
			return conf_err(c, "bad CNAME");
		if (conf_dns_cname_add(c, alias, target, ttl) < 0)
			return -1;
		arg += len + 1;
		while (*arg == ' ' || (*arg >= '\t' && *arg <= '\r'))
			arg++;
	}
	return 0;
}

/* --- single values and files -------------------------------------------- */

int
conf_dns_port(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	int v;

	(void)kw;
	if (!conf_atoi16(arg, &v))
		return conf_gen_err(c);
	c->cf->dns->port = (uint16_t)v;
	c->cf->dns->has_port = true;
	return 0;
}

int
conf_dns_cache_size(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	int v;

	(void)kw;
	if (!conf_dns_atoi(arg, &v))
		return conf_gen_err(c);
	if (v < 0)
		v = 0;
	if (v > CONF_DNS_CACHE_MAX)
		v = CONF_DNS_CACHE_MAX;
	c->cf->dns->cache_size = (uint32_t)v;
	c->cf->dns->has_cache_size = true;
	return 0;
}

/* dns-forward-max=N: atoi_check(), any value kept (option.c). */
int
conf_dns_forward_max(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	int v;

	(void)kw;
	if (!conf_dns_atoi(arg, &v))
		return conf_gen_err(c);
	c->cf->dns->forward_max = v;
	c->cf->dns->has_forward_max = true;
	return 0;
}

/* The TTL options, in dump order, and where their values go. */
#define CONF_DNS_TTL(id, name, f) \
	{ id, name, offsetof(struct conf_dns, f), \
	  offsetof(struct conf_dns, has_##f) }
static const struct conf_dns_ttl_kw {
	enum conf_kw_id id;
	const char *name;
	size_t val, has;
} conf_dns_ttl_kws[] = {
	CONF_DNS_TTL(CONF_KW_LOCAL_TTL, "local-ttl", local_ttl),
	CONF_DNS_TTL(CONF_KW_DHCP_TTL, "dhcp-ttl", dhcp_ttl),
	CONF_DNS_TTL(CONF_KW_NEG_TTL, "neg-ttl", neg_ttl),
	CONF_DNS_TTL(CONF_KW_MAX_TTL, "max-ttl", max_ttl),
	CONF_DNS_TTL(CONF_KW_MAX_CACHE_TTL, "max-cache-ttl", max_cache_ttl),
	CONF_DNS_TTL(CONF_KW_MIN_CACHE_TTL, "min-cache-ttl", min_cache_ttl),
};
#undef CONF_DNS_TTL
#define CONF_DNS_N_TTL \
	(sizeof(conf_dns_ttl_kws) / sizeof(conf_dns_ttl_kws[0]))

/*
 * local-ttl, dhcp-ttl, neg-ttl, max-ttl, max-cache-ttl, min-cache-ttl:
 * atoi_check() (option.c); min-cache-ttl above 3600 becomes 3600
 * (TTL_FLOOR_LIMIT, no message).  The int is kept as 32 bits.
 */
int
conf_dns_ttl(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *d = (char *)c->cf->dns;
	size_t i;
	int v;

	for (i = 0; i < CONF_DNS_N_TTL && conf_dns_ttl_kws[i].id != kw->id;
	    i++)
		;
	if (i == CONF_DNS_N_TTL || !conf_dns_atoi(arg, &v))
		return conf_gen_err(c);
	if (kw->id == CONF_KW_MIN_CACHE_TTL && v > CONF_DNS_MIN_CACHE_TTL_MAX)
		v = CONF_DNS_MIN_CACHE_TTL_MAX;
	*(uint32_t *)(void *)(d + conf_dns_ttl_kws[i].val) = (uint32_t)v;
	*(bool *)(d + conf_dns_ttl_kws[i].has) = true;
	return 0;
}

/* edns-packet-max=N: atoi_check(), then cut to an unsigned short
 * (option.c); a value under 512 is raised at start (dnsmasq.c). */
int
conf_dns_edns_packet_max(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	int v;

	(void)kw;
	if (!conf_dns_atoi(arg, &v))
		return conf_gen_err(c);
	c->cf->dns->edns_packet_max = (uint16_t)v;
	c->cf->dns->has_edns_packet_max = true;
	return 0;
}

uint32_t
conf_dns_dhcp_ttl(const struct conf_dns *d)
{
	return d->has_dhcp_ttl ? d->dhcp_ttl : d->local_ttl;
}

uint16_t
conf_dns_edns_max(const struct conf_dns *d)
{
	return d->edns_packet_max < CONF_DNS_EDNS_MIN ? CONF_DNS_EDNS_MIN :
	    d->edns_packet_max;
}

int
conf_dns_resolv_file(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dns *d = c->cf->dns;
	const char *name = conf_strdup(c, arg);

	(void)kw;
	if (d->resolv_default) {
		d->resolv_default = false;
		if (name != NULL)
			conf_strlist_add(c, &d->resolv_files, name);
	} else if (name != NULL) {
		conf_strlist_add(c, &d->resolv_files, name);
	}
	return 0;
}

int
conf_dns_addn_hosts(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	return conf_strlist_add(c, &c->cf->dns->addn_hosts,
	    conf_strdup(c, arg));
}

int
conf_dns_local_service(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	(void)kw;
	if (arg == NULL || strcmp(arg, "net") == 0)
		c->cf->dns->local_service_net = true;
	else if (strcmp(arg, "host") == 0)
		c->cf->dns->local_service_host = true;
	else
		return conf_gen_err(c);
	return 0;
}

int
conf_dns_rebind_domain_ok(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	struct conf_dns *d = c->cf->dns;
	char *next;

	(void)kw;
	conf_unhide(arg);
	if (*arg == '/')
		arg++;
	do {
		const char *name;

		next = conf_split_chr(arg, '/');
		if ((name = conf_canonicalise(c, arg)) != NULL)
			conf_strlist_add(c, &d->rebind_ok, name);
		arg = next;
	} while (arg != NULL && *arg != '\0');
	return 0;
}

bool
conf_dns_rebind_ok(const struct conf_dns *d, const char *name)
{
	const struct conf_str *e;
	size_t nlen = strlen(name);

	for (e = d->rebind_ok.head; e != NULL; e = e->next) {
		size_t dlen = strlen(e->s);

		if (dlen == 0 && strchr(name, '.') == NULL)
			return true;
		if (dlen == 0 || nlen < dlen ||
		    strcasecmp(name + nlen - dlen, e->s) != 0)
			continue;
		if (nlen == dlen || name[nlen - dlen - 1] == '.')
			return true;
	}
	return false;
}

int
conf_dns_log_queries(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	c->cf->dns->log_queries = true;
	if (arg != NULL && strcmp(arg, "extra") == 0) {
		c->cf->dns->log_queries_extra = true;
		c->cf->log_queries_extra = true;
	}
	return 0;
}

int
conf_dns_init(struct conf_ctx *c)
{
	struct conf_dns *d = conf_alloc(c, sizeof(*d));

	d->port = CONF_DNS_PORT_DEFAULT;
	d->cache_size = CONF_DNS_CACHE_DEFAULT;
	d->forward_max = CONF_DNS_FORWARD_MAX_DEFAULT;
	d->edns_packet_max = CONF_DNS_EDNS_DEFAULT;
	d->resolv_default = true;
	conf_strlist_init(&d->resolv_files);
	conf_strlist_init(&d->addn_hosts);
	conf_strlist_init(&d->rebind_ok);
	d->servers_tail = &d->servers;
	d->host_records_tail = &d->host_records;
	d->cnames_tail = &d->cnames;
	d->rrs_tail = &d->rrs;
	c->cf->dns = d;
	return 0;
}

/* --- checks after reading ----------------------------------------------- */

/*
 * dnsmasq links each CNAME to the entry whose alias is its target and
 * follows the chains, in its list order (the reverse of reading order);
 * the first chain that comes back to an entry being followed names the
 * alias it started from.
 */
static int
conf_dns_cname_loops(struct conf_ctx *c)
{
	const struct conf_dns_cname *cn;
	const struct conf_dns_cname **v;
	unsigned n = 0, i, j;
	int *tp;
	unsigned char *flag;	/* 0 unknown, 1 no loop, 2 being tested */

	for (cn = c->cf->dns->cnames; cn != NULL; cn = cn->next)
		n++;
	if (n == 0)
		return 0;
	v = conf_alloc(c, n * sizeof(*v));
	tp = conf_alloc(c, n * sizeof(*tp));
	flag = conf_alloc(c, n);
	i = n;
	for (cn = c->cf->dns->cnames; cn != NULL; cn = cn->next)
		v[--i] = cn;
	for (i = 0; i < n; i++) {
		tp[i] = -1;
		for (j = 0; j < n; j++)
			if (strcasecmp(v[i]->target, v[j]->alias) == 0) {
				tp[i] = (int)j;
				break;
			}
	}
	for (i = 0; i < n; i++) {
		int x, stop;

		for (x = tp[i]; x >= 0; x = tp[x]) {
			if (flag[x] == 1)
				break;
			if (flag[x] == 2)
				return conf_errf(c, "CNAME loop involving %s",
				    v[i]->alias);
			flag[x] = 2;
		}
		stop = x;
		for (x = tp[i]; x != stop; x = tp[x])
			flag[x] = 1;
	}
	return 0;
}

static bool
conf_dns_has_unsup(const struct conf *cf, const char *name)
{
	const struct conf_unsup *u;

	for (u = cf->unsup_head; u != NULL; u = u->next)
		if (strcmp(u->name, name) == 0)
			return true;
	return false;
}

int
conf_dns_finish(struct conf_ctx *c)
{
	struct conf *cf = c->cf;
	struct conf_dns *d = cf->dns;
	unsigned nresolv = d->resolv_default ? 1 : d->resolv_files.n;

	if (conf_dns_cname_loops(c) < 0)
		return -1;
	if (!conf_flag(cf, CONF_KW_NO_RESOLV) && nresolv > 1 &&
	    conf_flag(cf, CONF_KW_NO_POLL))
		return conf_err(c,
		    "only one resolv.conf file allowed in no-poll mode.");
	d->local_service_effective = CONF_DNS_LS_NONE;
	if (cf->interfaces.n || cf->except_interfaces.n ||
	    cf->listen_addresses.n || conf_dns_has_unsup(cf, "auth-server"))
		return 0;
	if (d->local_service_net)
		d->local_service_effective = CONF_DNS_LS_NET;
	else if (d->local_service_host)
		d->local_service_effective = CONF_DNS_LS_HOST;
	return 0;
}

/* --- printing ----------------------------------------------------------- */

/* True when s can be printed bare inside a server/address/cname value. */
static bool
conf_dns_plain(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-_.*/#@%:", *s)))
			return false;
	return true;
}

/* A domain of a /D/ list, written so that reading it gives it back. */
static void
conf_dns_put_domain(FILE *m, const struct conf_dns_domain *d)
{
	size_t len = strlen(d->name);

	if (d->nodots)
		return;			/* "//" */
	if (len == 0) {
		fputc('.', m);		/* every name; "#" has side effects */
		return;
	}
	if (d->wildcard)
		fputc('*', m);
	else if (d->name[0] == '*' || strcmp(d->name, "#") == 0)
		fputc('.', m);	/* leading dots are dropped on reading */
	fputs(d->name, m);
	/* one trailing dot is dropped on reading, and spaces before a '/'
	 * are trimmed: a dot keeps both */
	if (d->name[len - 1] == '.' || d->name[len - 1] == ' ')
		fputc('.', m);
}

static void
conf_dns_put_ip(FILE *m, const struct conf_dns_ip *ip)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(ip->family, &ip->u, buf, sizeof(buf));
	fputs(buf, m);
}

static void
conf_dns_put_upstream(FILE *m, const struct conf_dns_server *s)
{
	if (s->host != NULL)
		fputs(s->host, m);
	else
		conf_dns_put_ip(m, &s->addrs[0]);
	if (s->scope != NULL)
		fprintf(m, "%%%s", s->scope);
	if (s->port != CONF_DNS_PORT_DEFAULT)
		fprintf(m, "#%u", (unsigned)s->port);
	if (!s->has_source)
		return;
	fputc('@', m);
	if (s->iface != NULL) {
		fputs(s->iface, m);
		if (s->source.family != AF_UNSPEC)
			fputc('@', m);
	}
	if (s->source.family != AF_UNSPEC)
		conf_dns_put_ip(m, &s->source);
	if (s->source_port != 0)
		fprintf(m, "#%u", (unsigned)s->source_port);
}

static void
conf_dns_put_server(FILE *m, const struct conf_dns_server *s)
{
	unsigned i;

	if (s->has_domains) {
		fputc('/', m);
		for (i = 0; i < s->n_domains; i++) {
			conf_dns_put_domain(m, &s->domains[i]);
			fputc('/', m);
		}
	}
	switch (s->action) {
	case CONF_DNS_FORWARD:
		conf_dns_put_upstream(m, s);
		break;
	case CONF_DNS_RESOLV:
	case CONF_DNS_ZEROS:
		fputc('#', m);
		break;
	case CONF_DNS_ADDR4:
	case CONF_DNS_ADDR6:
		conf_dns_put_ip(m, &s->answer);
		break;
	case CONF_DNS_LOCAL:
		break;
	}
}

/* Prints KEY=VALUE: bare when safe, else quoted whole (the options
 * printed this way restore quoted characters before use); an empty value
 * reads back the same without quotes. */
static void
conf_dns_emit(FILE *out, const char *key, char *buf, size_t len)
{
	fprintf(out, "%s=", key);
	if (len != 0 && !conf_dns_plain(buf))
		conf_print_quoted(out, buf);
	else
		fputs(buf, out);
	fputc('\n', out);
}

static void
conf_dns_print_servers(const struct conf_dns *d, FILE *out)
{
	const struct conf_dns_server *s;

	for (s = d->servers; s != NULL; s = s->next) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (m == NULL)
			return;
		conf_dns_put_server(m, s);
		fclose(m);
		conf_dns_emit(out, s->opt, buf, len);
		free(buf);
	}
}

/* A name field of host-record or cname.  Quoted when it would be read as
 * something else or holds anything but name characters; one trailing
 * dot is dropped on reading, so a kept one is doubled. */
static void
conf_dns_print_name(FILE *out, const char *name)
{
	struct conf_dns_ip ip;
	size_t len = strlen(name);
	bool dot = len != 0 && name[len - 1] == '.';
	char *tmp = malloc(len + 2);

	if (tmp == NULL)
		return;
	if (len == 0) {
		/* the root name "." is stored empty; "." reads back as "" */
		fputs(".", out);
		free(tmp);
		return;
	}
	snprintf(tmp, len + 2, "%s%s", name, dot ? "." : "");
	if (len == 0 || !conf_dns_plain(name) || strchr(name, '/') ||
	    strchr(name, '#') || name[strspn(name, "0123456789")] == '\0' ||
	    conf_dns_parse_ip(name, &ip))
		conf_print_quoted(out, tmp);
	else
		fputs(tmp, out);
	free(tmp);
}

/* host-record: names, addresses, TTL, at least two fields. */
static void
conf_dns_print_host_record(FILE *out, const struct conf_dns_host_record *h)
{
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN];
	unsigned i, nf = h->n_names;

	fputs("host-record=", out);
	for (i = 0; i < h->n_names; i++) {
		conf_dns_print_name(out, h->names[i]);
		if (i + 1 < h->n_names)
			fputc(',', out);
	}
	if (h->has_v4) {
		inet_ntop(AF_INET, &h->v4, v4, sizeof(v4));
		fprintf(out, "%s%s", nf++ ? "," : "", v4);
	}
	if (h->has_v6) {
		inet_ntop(AF_INET6, &h->v6, v6, sizeof(v6));
		fprintf(out, "%s%s", nf++ ? "," : "", v6);
	}
	if (h->ttl != CONF_DNS_TTL_DEFAULT)
		fprintf(out, "%s%u", nf++ ? "," : "", (unsigned)h->ttl);
	/* dnsmasq wants two fields: repeat the address (the last one wins
	 * anyway), else write the TTL as the number atoi() reads back as
	 * it (a record of names only, from "NAME,99999999999") */
	for (; nf < 2; nf++) {
		if (h->has_v4)
			fprintf(out, "%s%s", nf ? "," : "", v4);
		else if (h->has_v6)
			fprintf(out, "%s%s", nf ? "," : "", v6);
		else
			fprintf(out, "%s%u", nf ? "," : "", (unsigned)h->ttl);
	}
	fputc('\n', out);
}

static void
conf_dns_print_records(const struct conf_dns *d, FILE *out)
{
	const struct conf_dns_host_record *h;
	const struct conf_dns_cname *cn;

	for (h = d->host_records; h != NULL; h = h->next)
		conf_dns_print_host_record(out, h);
	for (cn = d->cnames; cn != NULL; cn = cn->next) {
		fputs("cname=", out);
		conf_dns_print_name(out, cn->alias);
		fputc(',', out);
		conf_dns_print_name(out, cn->target);
		if (cn->ttl != CONF_DNS_TTL_DEFAULT)
			fprintf(out, ",%u", (unsigned)cn->ttl);
		fputc('\n', out);
	}
}

/* txt-record, mx-host, srv-host, ...: each line's value as written (the
 * parser normalises nothing that changes its meaning), then mx-target. */
static void
conf_dns_print_rrs(const struct conf_dns *d, FILE *out)
{
	const struct conf_dns_rr *r;

	for (r = d->rrs; r != NULL; r = r->next) {
		fprintf(out, "%s=", r->opt);
		conf_print_value(out, r->raw != NULL ? r->raw : "");
		fputc('\n', out);
	}
	if (d->mx_target_raw != NULL) {
		fputs("mx-target=", out);
		conf_print_value(out, d->mx_target_raw);
		fputc('\n', out);
	}
}

static void
conf_dns_print_files(const struct conf_dns *d, FILE *out)
{
	const struct conf_str *e;

	if (!d->resolv_default && d->resolv_files.head == NULL)
		fputs("resolv-file\n", out);
	for (e = d->resolv_files.head; e != NULL; e = e->next) {
		fputs("resolv-file=", out);
		conf_print_value(out, e->s);
		fputc('\n', out);
	}
	for (e = d->addn_hosts.head; e != NULL; e = e->next) {
		fputs("addn-hosts=", out);
		conf_print_value(out, e->s ? e->s : "");
		fputc('\n', out);
	}
}

/* rebind-domain-ok: one domain a line, "/NAME/" (leading spaces kept,
 * as only the spaces after a '/' that separates two domains are
 * trimmed); a name ending in a space is written without the closing '/'
 * (spaces before a '/' are trimmed) and one ending in a dot gets a second
 * one (one trailing dot is dropped on reading).  The empty domain is
 * "/". */
static void
conf_dns_print_rebind(const struct conf_dns *d, FILE *out)
{
	const struct conf_str *e;

	for (e = d->rebind_ok.head; e != NULL; e = e->next) {
		size_t len = strlen(e->s);
		char *buf = malloc(len + 4);
		char last = len ? e->s[len - 1] : '\0';

		if (buf == NULL)
			return;
		snprintf(buf, len + 4, "/%s%s%s", e->s, last == '.' ? "." : "",
		    len == 0 || last == ' ' ? "" : "/");
		fputs("rebind-domain-ok=", out);
		conf_print_value(out, buf);
		fputc('\n', out);
		free(buf);
	}
}

/* bogus-nxdomain, ignore-address: ADDR/PREFIX, one a line. */
static void
conf_dns_print_netmatch(FILE *out, const char *opt,
    const struct conf_dns_netmatch *nm)
{
	char a[INET6_ADDRSTRLEN];

	for (; nm != NULL; nm = nm->next)
		if (inet_ntop(nm->family, nm->addr, a, sizeof(a)) != NULL)
			fprintf(out, "%s=%s/%u\n", opt, a, nm->prefix);
}

/* filter-A, filter-AAAA and filter-rr, one type a line; a wrapped
 * number as the 32-bit value that wraps to it again. */
static void
conf_dns_print_filters(const struct conf_dns *d, FILE *out)
{
	const struct conf_dns_rrtype *t;

	for (t = d->filter_rr; t != NULL; t = t->next)
		if (t->type == 1)
			fputs("filter-A\n", out);
		else if (t->type == 28)
			fputs("filter-AAAA\n", out);
		else
			fprintf(out, "filter-rr=%u\n", (unsigned)t->type);
}

/* The TTL options and edns-packet-max given, as numbers. */
static void
conf_dns_print_ttls(const struct conf_dns *d, FILE *out)
{
	const char *p = (const char *)d;
	size_t i;

	for (i = 0; i < CONF_DNS_N_TTL; i++)
		if (*(const bool *)(p + conf_dns_ttl_kws[i].has))
			fprintf(out, "%s=%u\n", conf_dns_ttl_kws[i].name,
			    (unsigned)*(const uint32_t *)(const void *)
			    (p + conf_dns_ttl_kws[i].val));
	if (d->has_edns_packet_max)
		fprintf(out, "edns-packet-max=%u\n",
		    (unsigned)d->edns_packet_max);
}

void
conf_dns_print(const struct conf *cf, FILE *out)
{
	const struct conf_dns *d = cf->dns;

	if (d == NULL)
		return;
	if (d->has_port)
		fprintf(out, "port=%u\n", (unsigned)d->port);
	if (d->has_cache_size)
		fprintf(out, "cache-size=%u\n", (unsigned)d->cache_size);
	if (d->has_forward_max)
		fprintf(out, "dns-forward-max=%u\n", (unsigned)d->forward_max);
	conf_dns_print_ttls(d, out);
	if (d->local_service_net)
		fputs("local-service\n", out);
	else if (d->local_service_host)
		fputs("local-service=host\n", out);
	if (d->log_queries)
		fputs(d->log_queries_extra ? "log-queries=extra\n" :
		    "log-queries\n", out);
	conf_dns_print_files(d, out);
	conf_dns_print_servers(d, out);
	conf_dns_print_records(d, out);
	conf_dns_print_rebind(d, out);
	conf_dns_print_netmatch(out, "bogus-nxdomain", d->bogus_nx);
	conf_dns_print_netmatch(out, "ignore-address", d->ignore_addrs);
	conf_dns_print_filters(d, out);
	conf_dns_print_rrs(d, out);
}
