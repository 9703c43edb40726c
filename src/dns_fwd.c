/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dns_fwd.c - the DNS forwarder's logic (see dns_fwd.h).
 */
#include "dns_fwd.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "conf_dhcp.h"
#include "conf_dns.h"
#include "conf_int.h"
#include "dns_cache.h"
#include "dns_local.h"
#include "hostsfile.h"

#define DNS_FWD_IDHASH		1024
#define DNS_FWD_BUF		(DNS_MSG_MAX + 1)
/* The cache key that stands for "NAME does not exist", whatever the
 * type (dnsmasq keeps NXDOMAIN for a name): type and class 0, which no
 * query is looked up with (dns_fwd_answer_cache tries it on a miss). */
#define DNS_FWD_NX_ANY		0

static const char *const dns_drop_names[DNS_DROP__N] = {
	[DNS_DROP_NONE] = "none",
	[DNS_DROP_MALFORMED] = "malformed",
	[DNS_DROP_NOT_QUERY] = "not-query",
	[DNS_DROP_REPLY_BAD] = "reply-malformed",
	[DNS_DROP_REPLY_UNKNOWN] = "reply-unknown-id",
	[DNS_DROP_REPLY_SOURCE] = "reply-wrong-source",
	[DNS_DROP_REPLY_QUESTION] = "reply-wrong-question",
	[DNS_DROP_REPLY_IGNORED] = "reply-ignored-address",
	[DNS_DROP_TABLE_FULL] = "table-full",
	[DNS_DROP_SEND] = "send-failed",
	[DNS_DROP_TIMEOUT] = "timeout",
};

struct dns_fwd {
	const struct conf *cf;
	struct dns_fwd_io io;
	struct dns_cache *cache;
	struct dns_local *local;
	struct dns_local_rrs *rrs;	/* txt-record, mx-host, ... */

	struct dns_upstream up[DNS_FWD_MAX_UPSTREAMS];
	const struct conf_dns_server *up_conf[DNS_FWD_MAX_UPSTREAMS];
	unsigned n_up;		/* conf ones first, then resolv-file ones */
	unsigned n_conf_up;
	unsigned last_good;	/* upstream index */
	unsigned long fwd_count;
	int64_t last_race_ms;

	struct dns_pending *pend;	/* max_pend slots */
	unsigned max_pend, n_pend;
	struct dns_pending *idhash[DNS_FWD_IDHASH];

	int64_t full_logged_ms;	/* the last "Maximum number" line */
	int64_t resolv_checked_ms;
	struct timespec resolv_mtime;
	char resolv_path[4096];
	bool resolv_seen;
	bool resolv_watched;	/* the shell watches with inotify */
	bool resolv_warned;	/* "no servers found" given */

	struct dns_fwd_stats st;
	uint8_t buf[DNS_FWD_BUF];
};

const char *
dns_drop_str(enum dns_drop why)
{
	return (unsigned)why < DNS_DROP__N ? dns_drop_names[why] : "?";
}

static void dns_fwd_logf(struct dns_fwd *f, int sev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
dns_fwd_logf(struct dns_fwd *f, int sev, const char *fmt, ...)
{
	char line[1100];
	va_list ap;

	if (f->io.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	f->io.log(f->io.arg, sev, line);
}

static bool
dns_fwd_logq(const struct dns_fwd *f)
{
	return f->cf->dns->log_queries && f->io.log != NULL;
}

/* local-ttl: the TTL of answers from hosts files, address=, host-record
 * and cname= (rfc1035.c, cache.c, domain-match.c); 0 by default. */
static uint32_t
dns_fwd_local_ttl(const struct dns_fwd *f)
{
	return f->cf->dns->local_ttl;
}

/* The TTL of an answer from the lease of a: dhcp-ttl (else local-ttl),
 * lowered to the time the lease has left (rfc1035.c crec_ttl()). */
static uint32_t
dns_fwd_lease_ttl(const struct dns_fwd *f, struct in_addr a)
{
	uint32_t ttl = conf_dns_dhcp_ttl(f->cf->dns), left;

	if (f->io.lease_left != NULL &&
	    f->io.lease_left(f->io.arg, a, &left) && left < ttl)
		return left;
	return ttl;
}

/* The EDNS0 UDP size in effect (edns-packet-max, 1232 by default). */
static uint16_t
dns_fwd_edns_max(const struct dns_fwd *f)
{
	return conf_dns_edns_max(f->cf->dns);
}

/* --- upstreams ----------------------------------------------------- */

static void
dns_fwd_up_set(struct dns_upstream *u, const struct conf_dns_ip *ip,
    uint16_t port, unsigned scope)
{
	char a[INET6_ADDRSTRLEN];

	memset(u, 0, sizeof(*u));
	if (ip->family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&u->sa;

		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		s->sin_addr = ip->u.v4;
		u->salen = sizeof(*s);
		inet_ntop(AF_INET, &ip->u.v4, a, sizeof(a));
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&u->sa;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		s->sin6_addr = ip->u.v6;
		s->sin6_scope_id = scope;
		u->salen = sizeof(*s);
		inet_ntop(AF_INET6, &ip->u.v6, a, sizeof(a));
	}
	snprintf(u->addr, sizeof(u->addr), "%s", a);
	u->port = port;
	/* dnsmasq's log_query(): "#PORT" only when not 53 */
	if (port != 53)
		snprintf(u->label, sizeof(u->label), "%s#%u", a, port);
	else
		snprintf(u->label, sizeof(u->label), "%s", a);
}

/* option.c parse_server_addr(): the source address (any unless given,
 * of the server's family) and port, and the interface name. */
static void
dns_fwd_up_bind(struct dns_upstream *u, const struct conf_dns_server *s)
{
	if (!s->has_source)
		return;
	u->bound = true;
	u->iface = s->iface;
	if (u->sa.ss_family == AF_INET) {
		struct sockaddr_in *b = (struct sockaddr_in *)&u->src;

		b->sin_family = AF_INET;
		b->sin_port = htons(s->source_port);
		if (s->source.family == AF_INET)
			b->sin_addr = s->source.u.v4;
		u->srclen = sizeof(*b);
	} else {
		struct sockaddr_in6 *b = (struct sockaddr_in6 *)&u->src;

		b->sin6_family = AF_INET6;
		b->sin6_port = htons(s->source_port);
		if (s->source.family == AF_INET6)
			b->sin6_addr = s->source.u.v6;
		u->srclen = sizeof(*b);
	}
}

static void
dns_fwd_conf_upstreams(struct dns_fwd *f)
{
	const struct conf_dns_server *s;
	unsigned i;

	f->n_up = 0;
	for (s = f->cf->dns->servers; s != NULL; s = s->next) {
		if (s->action != CONF_DNS_FORWARD)
			continue;
		for (i = 0; i < s->n_addrs; i++) {
			struct dns_upstream *u;

			if (f->n_up >= DNS_FWD_MAX_UPSTREAMS)
				break;
			u = &f->up[f->n_up];
			dns_fwd_up_set(u, &s->addrs[i], s->port,
			    s->scope_index);
			dns_fwd_up_bind(u, s);
			u->domain = s->has_domains && s->n_domains > 0 ?
			    s->domains[0].name : NULL;
			f->up_conf[f->n_up++] = s;
		}
	}
	f->n_conf_up = f->n_up;
}

/* One resolv.conf: "nameserver ADDR" lines, port 53.  Returns the
 * number of servers read. */
static unsigned
dns_fwd_read_resolv(struct dns_fwd *f, const char *path)
{
	char line[512];
	FILE *fp = fopen(path, "re");

	f->n_up = f->n_conf_up;
	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *tok, *save, *pct;
		struct conf_dns_ip ip;
		unsigned scope = 0;

		tok = strtok_r(line, " \t\r\n", &save);
		if (tok == NULL || strcmp(tok, "nameserver") != 0)
			continue;
		if ((tok = strtok_r(NULL, " \t\r\n", &save)) == NULL)
			continue;
		if ((pct = strchr(tok, '%')) != NULL) {
			*pct = '\0';
			scope = if_nametoindex(pct + 1);
		}
		memset(&ip, 0, sizeof(ip));
		if (inet_pton(AF_INET, tok, &ip.u.v4) == 1)
			ip.family = AF_INET;
		else if (inet_pton(AF_INET6, tok, &ip.u.v6) == 1)
			ip.family = AF_INET6;
		else
			continue;
		if (f->n_up >= DNS_FWD_MAX_UPSTREAMS)
			break;
		dns_fwd_up_set(&f->up[f->n_up], &ip, 53, scope);
		f->up[f->n_up].from_resolv = true;
		f->up_conf[f->n_up++] = NULL;
	}
	fclose(fp);
	return f->n_up - f->n_conf_up;
}

/* network.c check_servers() logs at most SERVERS_LOGGED servers and
 * LOCALS_LOGGED local-only domains (config.h: 30 and 8). */
#define DNS_FWD_SERVERS_LOGGED	30
#define DNS_FWD_LOCALS_LOGGED	8

struct dns_fwd_logcount {
	unsigned count, locals;
};

/* The local-only and "standard nameservers" domains, newest first as
 * dnsmasq's local_domains list holds them (address= lines count but are
 * not logged). */
static void
dns_fwd_log_locals(struct dns_fwd *f, const struct conf_dns_server *s,
    struct dns_fwd_logcount *lc)
{
	unsigned j;

	if (s == NULL)
		return;
	dns_fwd_log_locals(f, s->next, lc);
	if (!s->has_domains || s->action == CONF_DNS_FORWARD)
		return;
	for (j = s->n_domains; j-- > 0;) {
		const char *name = s->domains[j].name;

		if (++lc->count > DNS_FWD_SERVERS_LOGGED)
			continue;
		if (s->action == CONF_DNS_LOCAL && name[0] != '\0') {
			lc->count--;
			if (++lc->locals <= DNS_FWD_LOCALS_LOGGED)
				dns_fwd_logf(f, 6, "using only locally-known "
				    "addresses for %s", name);
		} else if (s->action == CONF_DNS_RESOLV) {
			dns_fwd_logf(f, 6, "using standard nameservers for %s",
			    name);
		}
	}
}

/* One "using nameserver" line, or the note that the rest are not
 * logged; false once past the limit. */
static bool
dns_fwd_log_count(struct dns_fwd *f, unsigned *count)
{
	if (*count == DNS_FWD_SERVERS_LOGGED)
		dns_fwd_logf(f, 6, "more servers are defined but not logged");
	return ++*count <= DNS_FWD_SERVERS_LOGGED;
}

/* network.c check_servers(): one line per server and domain, then the
 * local-only and "standard nameservers" domains. */
void
dns_fwd_log_servers(struct dns_fwd *f)
{
	const struct conf_dns_server *s;
	struct dns_fwd_logcount lc = { 0, 0 };
	unsigned i, j, count = 0;

	for (i = 0; i < f->n_up; i++) {
		const struct dns_upstream *u = &f->up[i];

		s = f->up_conf[i];
		if (s == NULL || !s->has_domains) {
			if (dns_fwd_log_count(f, &count))
				dns_fwd_logf(f, 6, "using nameserver %s#%u",
				    u->addr, u->port);
			continue;
		}
		for (j = 0; j < s->n_domains; j++) {
			const struct conf_dns_domain *d = &s->domains[j];

			if (!dns_fwd_log_count(f, &count))
				continue;
			dns_fwd_logf(f, 6, "using nameserver %s#%u for %s %s%s ",
			    u->addr, u->port, d->nodots ? "unqualified" :
			    d->name[0] == '\0' ? "default" : "domain",
			    d->wildcard ? "*" : "", d->nodots ? "names" :
			    d->name);
		}
	}
	dns_fwd_log_locals(f, f->cf->dns->servers, &lc);
	if (lc.locals > DNS_FWD_LOCALS_LOGGED)
		dns_fwd_logf(f, 6, "using %u more local addresses",
		    lc.locals - DNS_FWD_LOCALS_LOGGED);
	if (lc.count > DNS_FWD_SERVERS_LOGGED + 1)
		dns_fwd_logf(f, 6, "using %u more nameservers",
		    lc.count - DNS_FWD_SERVERS_LOGGED - 1);
}

static void
dns_fwd_resolv_look(struct dns_fwd *f, int64_t now, bool force,
    bool log_servers)
{
	const struct conf_dns *cd = f->cf->dns;
	const struct conf_str *s;
	const char *best = NULL;
	struct timespec bt = { 0, 0 };
	struct stat st;

	if (conf_flag(f->cf, CONF_KW_NO_RESOLV))
		return;
	if (!force && (conf_flag(f->cf, CONF_KW_NO_POLL) ||
	    f->resolv_watched || now - f->resolv_checked_ms < 1000))
		return;
	f->resolv_checked_ms = now;
	/* several files: the newest one wins (dnsmasq's poll_resolv) */
	if (cd->resolv_default) {
		if (stat(CONF_DNS_RESOLV_DEFAULT, &st) == 0) {
			best = CONF_DNS_RESOLV_DEFAULT;
			bt = st.st_mtim;
		}
	}
	for (s = cd->resolv_files.head; s != NULL; s = s->next) {
		if (s->s == NULL || stat(s->s, &st) != 0)
			continue;
		if (best == NULL || st.st_mtim.tv_sec > bt.tv_sec ||
		    (st.st_mtim.tv_sec == bt.tv_sec &&
		    st.st_mtim.tv_nsec > bt.tv_nsec)) {
			best = s->s;
			bt = st.st_mtim;
		}
	}
	if (best == NULL)
		return;
	if (!force && f->resolv_seen && strcmp(best, f->resolv_path) == 0 &&
	    bt.tv_sec == f->resolv_mtime.tv_sec &&
	    bt.tv_nsec == f->resolv_mtime.tv_nsec)
		return;
	f->resolv_seen = true;
	snprintf(f->resolv_path, sizeof(f->resolv_path), "%s", best);
	f->resolv_mtime = bt;
	if (f->last_good >= f->n_up)
		f->last_good = 0;
	if (dns_fwd_read_resolv(f, best) == 0) {
		/* dnsmasq.c poll_resolv(): no "reading" line, tried again
		 * at the next change (or look) */
		f->resolv_mtime.tv_sec = 0;
		f->resolv_mtime.tv_nsec = 0;
		if (!f->resolv_warned)
			dns_fwd_logf(f, 4, "no servers found in %s, will retry",
			    best);
		f->resolv_warned = true;
		return;
	}
	f->resolv_warned = false;
	dns_fwd_logf(f, 6, "reading %s", best);
	if (log_servers)
		dns_fwd_log_servers(f);
}

void
dns_fwd_poll_resolv(struct dns_fwd *f, int64_t now, bool force)
{
	dns_fwd_resolv_look(f, now, force, !force);
}

void
dns_fwd_resolv_watched(struct dns_fwd *f)
{
	f->resolv_watched = true;
}

void
dns_fwd_resolv_changed(struct dns_fwd *f, int64_t now)
{
	if (!conf_flag(f->cf, CONF_KW_NO_POLL))
		dns_fwd_resolv_look(f, now, true, true);
}

/* --- construction -------------------------------------------------- */

/* dns-forward-max; 0 or less: no room at all (dnsmasq REFUSEs then) */
static unsigned
dns_fwd_max_pending(const struct conf *cf)
{
	int v = cf->dns->forward_max;

	return v <= 0 ? 0 : v > 65536 ? 65536 : (unsigned)v;
}

/* The local records of f->cf; the host name is the MX default target
 * (option.c reads it at start-up). */
static void
dns_fwd_new_rrs(struct dns_fwd *f)
{
	char host[256];
	struct dns_local_rrs *r;

	if (gethostname(host, sizeof(host)) != 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	/* no memory: no records rather than ones of a freed configuration */
	r = dns_local_rrs_new(f->cf, host);
	dns_local_rrs_free(f->rrs);
	f->rrs = r;
}

struct dns_fwd *
dns_fwd_new(const struct conf *cf, const struct dns_fwd_io *io)
{
	struct dns_fwd *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->cf = cf;
	f->io = *io;
	f->max_pend = dns_fwd_max_pending(cf);
	f->pend = calloc(f->max_pend ? f->max_pend : 1, sizeof(*f->pend));
	f->cache = dns_cache_new(cf->dns->cache_size);
	if (f->pend == NULL || f->cache == NULL) {
		dns_fwd_free(f);
		return NULL;
	}
	f->local = dns_local_new(cf, NULL, NULL, 0);
	dns_fwd_new_rrs(f);
	dns_fwd_conf_upstreams(f);
	f->resolv_checked_ms = INT64_MIN / 2;
	f->full_logged_ms = INT64_MIN / 2;
	return f;
}

static void dns_fwd_pending_free(struct dns_fwd *f, struct dns_pending *p);

void
dns_fwd_free(struct dns_fwd *f)
{
	unsigned i;

	if (f == NULL)
		return;
	for (i = 0; f->pend != NULL && i < f->max_pend; i++)
		if (f->pend[i].used)
			dns_fwd_pending_free(f, &f->pend[i]);
	free(f->pend);
	dns_cache_free(f->cache);
	dns_local_free(f->local);
	dns_local_rrs_free(f->rrs);
	free(f);
}

void
dns_fwd_set_conf(struct dns_fwd *f, const struct conf *cf)
{
	struct dns_cache *nc = dns_cache_new(cf->dns->cache_size);

	f->cf = cf;
	dns_fwd_new_rrs(f);
	if (nc != NULL) {
		dns_cache_free(f->cache);
		f->cache = nc;
	} else {
		dns_cache_clear(f->cache);
	}
	dns_fwd_conf_upstreams(f);
	/* the servers of the file read last stay (a changed file is
	 * seen by the next poll) */
	if (f->resolv_seen && !conf_flag(cf, CONF_KW_NO_RESOLV))
		dns_fwd_read_resolv(f, f->resolv_path);
	if (f->last_good >= f->n_up)
		f->last_good = 0;
}

void
dns_fwd_set_hosts(struct dns_fwd *f, struct hostsfile *const *h, size_t n,
    const char *const *paths)
{
	struct dns_local *l = dns_local_new(f->cf, h, paths, n);

	if (l == NULL)
		return;
	dns_local_free(f->local);
	f->local = l;
	dns_cache_clear(f->cache);
}

/* --- pending table ------------------------------------------------- */

static struct dns_pending **
dns_fwd_idslot(struct dns_fwd *f, uint16_t id)
{
	return &f->idhash[id & (DNS_FWD_IDHASH - 1)];
}

struct dns_pending *
dns_fwd_pending_by_id(struct dns_fwd *f, uint16_t id)
{
	struct dns_pending *p;

	for (p = *dns_fwd_idslot(f, id); p != NULL; p = p->hnext)
		if (p->new_id == id)
			return p;
	return NULL;
}

static void
dns_fwd_pending_free(struct dns_fwd *f, struct dns_pending *p)
{
	struct dns_pending **pp = dns_fwd_idslot(f, p->new_id);

	while (*pp != NULL && *pp != p)
		pp = &(*pp)->hnext;
	if (*pp == p)
		*pp = p->hnext;
	if (f->io.pending_done != NULL)
		f->io.pending_done(f->io.arg, p);
	free(p->query);
	p->query = NULL;
	p->used = false;
	f->n_pend--;
}

static struct dns_pending *
dns_fwd_pending_new(struct dns_fwd *f)
{
	unsigned i, start;
	struct dns_pending *p = NULL;
	uint16_t id;

	if (f->n_pend >= f->max_pend || f->max_pend == 0)
		return NULL;
	start = f->io.random(f->io.arg) % f->max_pend;
	for (i = 0; i < f->max_pend; i++) {
		p = &f->pend[(start + i) % f->max_pend];
		if (!p->used)
			break;
	}
	if (p == NULL || p->used)
		return NULL;
	do	/* a fresh random id, not in use */
		id = (uint16_t)f->io.random(f->io.arg);
	while (dns_fwd_pending_by_id(f, id) != NULL);
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->new_id = id;
	p->sock = -1;
	p->hnext = *dns_fwd_idslot(f, id);
	*dns_fwd_idslot(f, id) = p;
	f->n_pend++;
	return p;
}

/* The client's own query still pending (a retry), or NULL. */
static struct dns_pending *
dns_fwd_find_retry(struct dns_fwd *f, const struct dns_client *c,
    const struct dns_msg *q)
{
	unsigned i;

	if (f->n_pend == 0 || c->tcp != NULL)
		return NULL;
	for (i = 0; i < f->max_pend; i++) {
		struct dns_pending *p = &f->pend[i];

		if (p->used && p->client_id == q->id &&
		    p->client.tcp == NULL && p->client.salen == c->salen &&
		    memcmp(&p->client.sa, &c->sa, c->salen) == 0 &&
		    p->qtype == q->qtype && dns_name_eq(p->qname, q->qname))
			return p;
	}
	return NULL;
}

/* --- logging helpers ----------------------------------------------- */

static int dns_fwd_arpa(const char *lname, void *addr);

static int
dns_fwd_arpa_addr(const char *lname, void *addr)
{
	return dns_fwd_arpa(lname, addr);
}

static void
dns_fwd_sa_text(const struct sockaddr_storage *sa, char *buf, size_t size)
{
	if (sa->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    buf, (socklen_t)size);
	else if (sa->ss_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
		    (socklen_t)size);
	else
		snprintf(buf, size, "?");
}

static const char *
dns_fwd_lname(const char *name)
{
	return name[0] == '\0' ? "." : name;
}

struct dns_fwd_logwalk {
	struct dns_fwd *f;
	const char *source;	/* "reply", "cached" */
	const char *qname;
	bool any;
	/* the question's type is filtered (filter-A, filter-AAAA,
	 * filter-rr): its records log "config NAME is NODATA[-IPvN]"
	 * (rfc1035.c extract_addresses() secflag) */
	bool filtered;
	uint16_t qtype;		/* ANY: every record logs "<TYPE>" */
};

/* dnsmasq's log_txt(): one line per string, cut at the first byte that
 * is not printable. */
static void
dns_fwd_log_txt(struct dns_fwd_logwalk *w, const uint8_t *p, size_t n,
    const char *name)
{
	size_t off = 0;

	while (off < n) {
		size_t len = p[off], i;
		char str[256];

		if (off + len >= n)
			return;
		for (i = 0; i < len && p[off + 1 + i] >= 0x20 &&
		    p[off + 1 + i] < 0x7f; i++)
			str[i] = (char)p[off + 1 + i];
		str[i] = '\0';
		if (w->filtered)
			dns_fwd_logf(w->f, 6, "config %s is NODATA", name);
		else
			dns_fwd_logf(w->f, 6, "%s %s is %s", w->source, name,
			    str);
		off += len + 1;
	}
}

static bool
dns_fwd_log_rr(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct dns_fwd_logwalk *w = arg;
	char a[INET6_ADDRSTRLEN], tb[16], target[DNSNAME_BUF];
	const char *dest, *name = dns_fwd_lname(rr->name);
	uint8_t ab[16];
	struct rd r;
	int fam;

	if (rr->section != 1)
		return false;
	w->any = true;
	if (w->filtered && rr->type != DNS_T_CNAME && rr->type != DNS_T_PTR &&
	    rr->type != DNS_T_TXT) {
		dns_fwd_logf(w->f, 6, "config %s is NODATA%s", name,
		    rr->type == DNS_T_A ? "-IPv4" : rr->type == DNS_T_AAAA ?
		    "-IPv6" : "");
		return true;
	}
	if (w->qtype == DNS_T_ANY) {
		/* rfc1035.c: an ANY answer logs each record's type */
		snprintf(target, sizeof(target), "<%s>",
		    dns_type_str(rr->type, tb, sizeof(tb)));
		dest = target;
	} else if (rr->type == DNS_T_A && rr->rdlen == 4)
		dest = inet_ntop(AF_INET, pkt + rr->rdata_off, a, sizeof(a));
	else if (rr->type == DNS_T_AAAA && rr->rdlen == 16)
		dest = inet_ntop(AF_INET6, pkt + rr->rdata_off, a, sizeof(a));
	else if (rr->type == DNS_T_CNAME)
		dest = "<CNAME>";
	else if (rr->type == DNS_T_TXT) {
		dns_fwd_log_txt(w, pkt + rr->rdata_off, rr->rdlen, name);
		return true;
	} else if (rr->type == DNS_T_PTR) {
		/* F_REVERSE: "reply ADDRESS is NAME" */
		rd_init(&r, pkt, rr->rdata_off + rr->rdlen);
		r.off = rr->rdata_off;
		dns_name_lower(rr->name, target);
		if ((fam = dns_fwd_arpa_addr(target, ab)) == 0 ||
		    dns_name_read(&r, pkt, target) != DNS_OK)
			dest = dns_type_str(rr->type, tb, sizeof(tb));
		else {
			inet_ntop(fam, ab, a, sizeof(a));
			dns_fwd_logf(w->f, 6, "%s %s is %s", w->source, a,
			    dns_fwd_lname(target));
			return true;
		}
	} else {
		/* the types dnsmasq does not decode: "<MX>" */
		snprintf(target, sizeof(target), "<%s>",
		    dns_type_str(rr->type, tb, sizeof(tb)));
		dest = target;
	}
	dns_fwd_logf(w->f, 6, "%s %s is %s", w->source, name, dest);
	return true;
}

/* The answer lines of a reply (log-queries), as dnsmasq's log_query(). */
static void
dns_fwd_log_answer_f(struct dns_fwd *f, const char *source,
    const uint8_t *pkt, size_t len, const struct dns_msg *m, bool filtered)
{
	struct dns_fwd_logwalk w = { f, source, m->qname, false, filtered,
	    m->qtype };
	unsigned rc = m->flags & DNS_F_RCODE;

	if (!dns_fwd_logq(f))
		return;
	if (rc == DNS_RC_NXDOMAIN) {
		dns_fwd_logf(f, 6, "%s %s is NXDOMAIN", source,
		    dns_fwd_lname(m->qname));
		return;
	}
	if (rc != DNS_RC_NOERROR) {
		/* forward.c: log_query(F_RCODE, "error", ...) */
		if (rc == DNS_RC_SERVFAIL || rc == DNS_RC_REFUSED ||
		    rc == DNS_RC_NOTIMP)
			dns_fwd_logf(f, 6, "%s error is %s", source,
			    rc == DNS_RC_SERVFAIL ? "SERVFAIL" :
			    rc == DNS_RC_REFUSED ? "REFUSED" :
			    "not implemented");
		else
			dns_fwd_logf(f, 6, "%s error is %u", source, rc);
		return;
	}
	(void)dns_msg_walk(pkt, len, m, true, dns_fwd_log_rr, &w);
	if (!w.any)
		dns_fwd_logf(f, 6, "%s %s is %s", source,
		    dns_fwd_lname(m->qname), m->qtype == DNS_T_A ?
		    "NODATA-IPv4" : m->qtype == DNS_T_AAAA ? "NODATA-IPv6" :
		    "NODATA");
}

/* --- filter-A, filter-AAAA, filter-rr -------------------------------- */

static bool
dns_fwd_filtered(const struct dns_fwd *f, uint16_t type)
{
	const struct conf_dns_rrtype *t;

	for (t = f->cf->dns->filter_rr; t != NULL; t = t->next)
		if (t->type == (int)type)
			return true;
	return false;
}

/* The question's type is filtered (ANY is never: rfc1035.c). */
static bool
dns_fwd_filtered_q(const struct dns_fwd *f, uint16_t qtype)
{
	return f->cf->dns->filter_rr != NULL && qtype != DNS_T_ANY &&
	    dns_fwd_filtered(f, qtype);
}

struct dns_fwd_filter {
	const struct dns_fwd *f;
	bool any;		/* an ANY question, and ANY is filtered */
};

/* rrfilter.c (RRFILTER_CONF): the answer records of a filtered type go;
 * for ANY with ANY filtered (RFC 8482 4.3), all but A, AAAA, MX and
 * CNAME. */
static bool
dns_fwd_filter_cb(void *arg, const struct dns_rr *rr)
{
	const struct dns_fwd_filter *x = arg;

	if (rr->class != DNS_C_IN)
		return false;
	if (x->any)
		return rr->type != DNS_T_A && rr->type != DNS_T_AAAA &&
		    rr->type != DNS_T_MX && rr->type != DNS_T_CNAME;
	return dns_fwd_filtered(x->f, rr->type);
}

/* Removes what the filters remove from a NOERROR reply for qtype and
 * adds EDE "filtered" when something went; returns the new length. */
static size_t
dns_fwd_filter(const struct dns_fwd *f, uint16_t qtype, uint8_t *pkt,
    size_t len, struct dns_msg *m)
{
	struct dns_fwd_filter x = { f, qtype == DNS_T_ANY &&
	    dns_fwd_filtered(f, DNS_T_ANY) };
	size_t cap = len;	/* the records removed make room */

	if (f->cf->dns->filter_rr == NULL ||
	    (m->flags & DNS_F_RCODE) != DNS_RC_NOERROR ||
	    dns_msg_drop_answers(pkt, &len, m, dns_fwd_filter_cb, &x) == 0)
		return len;
	return dns_msg_add_ede(pkt, len, cap, m, DNS_EDE_FILTERED);
}

/* --- answering ----------------------------------------------------- */

/* What the client takes: TCP 65535; UDP its EDNS0 size bounded to
 * [512, edns-packet-max], else 512 (dnsmasq's udp_size). */
static size_t
dns_fwd_client_size(const struct dns_fwd *f, const struct dns_client *c,
    const struct dns_msg *q)
{
	if (c->tcp != NULL)
		return DNS_MSG_MAX;
	if (!q->has_opt)
		return DNS_PACKETSZ;
	if (q->opt_size > dns_fwd_edns_max(f))
		return dns_fwd_edns_max(f);
	return q->opt_size < DNS_PACKETSZ ? DNS_PACKETSZ : q->opt_size;
}

static void
dns_fwd_begin(struct dns_fwd *f, struct dns_build *b,
    const struct dns_client *c, const uint8_t *pkt, const struct dns_msg *q,
    enum dns_rcode rc)
{
	size_t lim = dns_fwd_client_size(f, c, q);

	if (q->has_opt)
		lim -= 11;	/* room for our OPT */
	dns_build_begin(b, f->buf, sizeof(f->buf), lim, pkt, q, rc);
}

static void
dns_fwd_finish(struct dns_fwd *f, struct dns_build *b,
    const struct dns_client *c, const struct dns_msg *q)
{
	size_t n;

	if (q->has_opt)
		dns_build_opt(b, dns_fwd_edns_max(f), q->opt_do);
	if ((n = dns_build_end(b)) != 0)
		f->io.send_client(f->io.arg, c, f->buf, n);
	f->st.answered_local++;
}

/* An answer without records: rcode, AA as local answers have it. */
static void
dns_fwd_answer_rcode(struct dns_fwd *f, const struct dns_client *c,
    const uint8_t *pkt, const struct dns_msg *q, enum dns_rcode rc, bool aa)
{
	struct dns_build b;

	dns_fwd_begin(f, &b, c, pkt, q, rc);
	if (aa)
		dns_build_set_flags(&b, DNS_F_AA);
	dns_fwd_finish(f, &b, c, q);
}

/* The same with an Extended DNS Error in the OPT record (an EDNS0
 * query only: forward.c adds the pseudo-header when the query had one). */
static void
dns_fwd_answer_ede(struct dns_fwd *f, const struct dns_client *c,
    const uint8_t *pkt, const struct dns_msg *q, enum dns_rcode rc,
    uint16_t ede)
{
	struct dns_build b;

	dns_fwd_begin(f, &b, c, pkt, q, rc);
	dns_build_set_ede(&b, ede);
	dns_fwd_finish(f, &b, c, q);
}

/* Does a /D/ entry's domain match lname?  Returns the match's weight
 * (longer is better), 0 for no match. */
static size_t
dns_fwd_domain_match(const struct conf_dns_domain *d, const char *lname)
{
	size_t nl = strlen(lname), dl = strlen(d->name);

	if (d->nodots)
		return strchr(lname, '.') == NULL ? 1 : 0;
	if (d->name[0] == '\0')
		return 1;	/* /#/: every name */
	if (d->wildcard)
		return nl >= dl && strcmp(lname + nl - dl, d->name) == 0 ?
		    dl + 2 : 0;
	if (nl == dl && strcmp(lname, d->name) == 0)
		return dl + 2;
	if (nl > dl && lname[nl - dl - 1] == '.' &&
	    strcmp(lname + nl - dl, d->name) == 0)
		return dl + 2;
	return 0;
}

static size_t
dns_fwd_server_match(const struct conf_dns_server *s, const char *lname)
{
	size_t best = 0, m;
	unsigned i;

	if (!s->has_domains)
		return 0;
	for (i = 0; i < s->n_domains; i++)
		if ((m = dns_fwd_domain_match(&s->domains[i], lname)) > best)
			best = m;
	return best;
}

/*
 * The /D/ entries for lname: the best weight, and the first local entry
 * (address=, local=, server=/D/) or NULL.  Weight 0: no /D/ entry.
 */
static size_t
dns_fwd_route(const struct dns_fwd *f, const char *lname,
    const struct conf_dns_server **local, bool *resolv)
{
	const struct conf_dns_server *s;
	size_t best = 0, m;

	*local = NULL;
	*resolv = false;
	for (s = f->cf->dns->servers; s != NULL; s = s->next) {
		if ((m = dns_fwd_server_match(s, lname)) == 0 || m < best)
			continue;
		if (m > best) {
			best = m;
			*local = NULL;
			*resolv = false;
		}
		if (s->action != CONF_DNS_FORWARD &&
		    s->action != CONF_DNS_RESOLV && *local == NULL)
			*local = s;
		if (s->action == CONF_DNS_RESOLV)
			*resolv = true;
	}
	return best;
}

/* Candidate upstreams for lname into p->cand. */
static void
dns_fwd_candidates(const struct dns_fwd *f, const char *lname, size_t best,
    bool resolv, struct dns_pending *p)
{
	unsigned i;

	p->n_cand = 0;
	for (i = 0; i < f->n_up; i++) {
		const struct conf_dns_server *s = f->up_conf[i];
		bool plain = s == NULL || !s->has_domains;

		if (best > 0 && !resolv) {
			if (s == NULL || dns_fwd_server_match(s, lname) != best)
				continue;
		} else if (!plain) {
			continue;
		}
		p->cand[p->n_cand++] = (uint8_t)i;
	}
}

/* [obs] address=/D/IPv4 answers A only, /D/IPv6 AAAA only, /D/# both;
 * other types are forwarded.  /D/ and local=/D/ answer every type. */
static bool
dns_fwd_config_answers(const struct conf_dns_server *s, uint16_t qtype)
{
	switch (s->action) {
	case CONF_DNS_ADDR4:
		return qtype == DNS_T_A;
	case CONF_DNS_ADDR6:
		return qtype == DNS_T_AAAA;
	case CONF_DNS_ZEROS:
		return qtype == DNS_T_A || qtype == DNS_T_AAAA;
	default:
		return true;
	}
}

/* address=/D/IP, /D/#, /D/, local=/D/ and server=/D/ answers. */
static void
dns_fwd_answer_config(struct dns_fwd *f, const struct dns_client *c,
    const uint8_t *pkt, const struct dns_msg *q,
    const struct conf_dns_server *s)
{
	static const uint8_t zero[16];
	struct dns_build b;
	bool a = q->qtype == DNS_T_A || q->qtype == DNS_T_ANY;
	bool aaaa = q->qtype == DNS_T_AAAA || q->qtype == DNS_T_ANY;
	bool logq = dns_fwd_logq(f);
	const char *n = dns_fwd_lname(q->qname);
	uint32_t ttl = dns_fwd_local_ttl(f);	/* domain-match.c */

	if (s->action == CONF_DNS_LOCAL) {
		if (logq)
			dns_fwd_logf(f, 6, "config %s is NXDOMAIN", n);
		dns_fwd_answer_rcode(f, c, pkt, q, DNS_RC_NXDOMAIN, false);
		return;
	}
	dns_fwd_begin(f, &b, c, pkt, q, DNS_RC_NOERROR);
	dns_build_set_flags(&b, DNS_F_AA);
	if (s->action == CONF_DNS_ADDR4 && a) {
		dns_build_rr(&b, 1, NULL, DNS_T_A, ttl, &s->answer.u.v4, 4);
		if (logq)
			dns_fwd_logf(f, 6, "config %s is %s", n,
			    inet_ntoa(s->answer.u.v4));
	} else if (s->action == CONF_DNS_ADDR6 && aaaa) {
		char t[INET6_ADDRSTRLEN];

		dns_build_rr(&b, 1, NULL, DNS_T_AAAA, ttl, &s->answer.u.v6,
		    16);
		if (logq)
			dns_fwd_logf(f, 6, "config %s is %s", n,
			    inet_ntop(AF_INET6, &s->answer.u.v6, t, sizeof(t)));
	} else if (s->action == CONF_DNS_ZEROS) {
		if (a)
			dns_build_rr(&b, 1, NULL, DNS_T_A, ttl, zero, 4);
		if (aaaa)
			dns_build_rr(&b, 1, NULL, DNS_T_AAAA, ttl, zero, 16);
		if (logq && a)
			dns_fwd_logf(f, 6, "config %s is 0.0.0.0", n);
		if (logq && aaaa)
			dns_fwd_logf(f, 6, "config %s is ::", n);
		if (logq && !a && !aaaa)
			dns_fwd_logf(f, 6, "config %s is NODATA", n);
	} else if (logq) {
		dns_fwd_logf(f, 6, "config %s is NODATA", n);
	}
	dns_fwd_finish(f, &b, c, q);
}

/* A name from a hosts file, host-record or a lease: all its addresses
 * of the asked family, after the CNAME record of cname_owner (its TTL
 * cname_ttl) when one led here.  Returns false when the name is not
 * local. */
static bool
dns_fwd_answer_name(struct dns_fwd *f, const struct dns_client *c,
    const uint8_t *pkt, const struct dns_msg *q, const char *lname,
    const char *cname_owner, uint32_t cname_ttl)
{
	const struct dns_local_ent *e = dns_local_by_name(f->local, lname);
	bool want4 = q->qtype == DNS_T_A || q->qtype == DNS_T_ANY;
	bool want6 = q->qtype == DNS_T_AAAA || q->qtype == DNS_T_ANY;
	bool logq = dns_fwd_logq(f);
	struct in_addr la;
	struct dns_build b;
	char t[INET6_ADDRSTRLEN];
	bool lease = false;

	if (e == NULL && f->io.lease_by_name != NULL)
		lease = f->io.lease_by_name(f->io.arg, lname, &la);
	if (e == NULL && !lease)
		return false;
	if (cname_owner == NULL && !want4 && !want6)
		return false;	/* other types go upstream */
	dns_fwd_begin(f, &b, c, pkt, q, DNS_RC_NOERROR);
	dns_build_set_flags(&b, DNS_F_AA);
	if (cname_owner != NULL)	/* logged by dns_fwd_answer_cname() */
		dns_build_rr_name(&b, 1, NULL, DNS_T_CNAME, cname_ttl, lname);
	for (; e != NULL; e = e->nnext) {
		if (strcmp(e->name, lname) != 0)
			continue;
		if ((e->family == AF_INET && !want4) ||
		    (e->family == AF_INET6 && !want6))
			continue;
		dns_build_rr(&b, 1, cname_owner ? lname : NULL,
		    e->family == AF_INET ? DNS_T_A : DNS_T_AAAA, e->ttl,
		    &e->addr, e->family == AF_INET ? 4 : 16);
		if (logq)
			dns_fwd_logf(f, 6, "%s %s is %s", e->src, lname,
			    inet_ntop(e->family, &e->addr, t, sizeof(t)));
	}
	if (lease && want4) {
		dns_build_rr(&b, 1, cname_owner ? lname : NULL, DNS_T_A,
		    dns_fwd_lease_ttl(f, la), &la, 4);
		if (logq)
			dns_fwd_logf(f, 6, "DHCP %s is %s", lname,
			    inet_ntoa(la));
	}
	if (b.an == 0 && logq)
		dns_fwd_logf(f, 6, "config %s is NODATA", lname);
	dns_fwd_finish(f, &b, c, q);
	return true;
}

/* in-addr.arpa / ip6.arpa names; returns the family or 0. */
static int
dns_fwd_arpa(const char *lname, void *addr)
{
	size_t n = strlen(lname);
	unsigned o[4], i;
	uint8_t *a = addr;

	if (n > 13 && strcmp(lname + n - 13, ".in-addr.arpa") == 0) {
		char tail;

		if (sscanf(lname, "%u.%u.%u.%u.in-addr.arp%c", &o[3], &o[2],
		    &o[1], &o[0], &tail) != 5 || tail != 'a')
			return 0;
		for (i = 0; i < 4; i++) {
			if (o[i] > 255)
				return 0;
			a[i] = (uint8_t)o[i];
		}
		return AF_INET;
	}
	if (n == 72 && strcmp(lname + 63, ".ip6.arpa") == 0) {
		for (i = 0; i < 32; i++) {
			char ch = lname[i * 2];
			unsigned v;

			if (lname[i * 2 + 1] != '.')
				return 0;
			if (ch >= '0' && ch <= '9')
				v = (unsigned)(ch - '0');
			else if (ch >= 'a' && ch <= 'f')
				v = (unsigned)(ch - 'a' + 10);
			else
				return 0;
			if (i % 2 == 0)
				a[15 - i / 2] = (uint8_t)v;
			else
				a[15 - i / 2] |= (uint8_t)(v << 4);
		}
		return AF_INET6;
	}
	return 0;
}

static bool
dns_fwd_private_addr(int fam, const uint8_t *a)
{
	uint8_t pkt[DNS_HDR_LEN + 5 + 16 + 16];
	struct dns_msg m;

	/* reuse the codec's rule on a one-record message */
	memset(pkt, 0, sizeof(pkt));
	memset(&m, 0, sizeof(m));
	pkt[DNS_HDR_LEN + 2] = 0;
	m.ancount = 1;
	m.qend = DNS_HDR_LEN;
	pkt[DNS_HDR_LEN] = 0;				/* root owner */
	pkt[DNS_HDR_LEN + 2] = fam == AF_INET ? DNS_T_A : DNS_T_AAAA;
	pkt[DNS_HDR_LEN + 4] = DNS_C_IN;
	pkt[DNS_HDR_LEN + 10] = fam == AF_INET ? 4 : 16;
	memcpy(pkt + DNS_HDR_LEN + 11, a, fam == AF_INET ? 4 : 16);
	return dns_msg_has_private(pkt, DNS_HDR_LEN + 11 +
	    (fam == AF_INET ? 4u : 16u), &m);
}

/* The name (or its first label) is in a hosts file or host-record. */
static bool
dns_fwd_hosts_has(const struct dns_fwd *f, const char *name)
{
	char l[DNSNAME_BUF];
	char *dot;

	dns_name_lower(name, l);
	if (dns_local_by_name(f->local, l) != NULL)
		return true;
	if ((dot = strchr(l, '.')) != NULL)
		*dot = '\0';
	return dns_local_by_name(f->local, l) != NULL;
}

/* PTR from local data; bogus-priv NXDOMAIN.  True when answered. */
static bool
dns_fwd_answer_ptr(struct dns_fwd *f, const struct dns_client *c,
    const uint8_t *pkt, const struct dns_msg *q, const char *lname,
    size_t route)
{
	uint8_t a[16];
	int fam = dns_fwd_arpa(lname, a);
	const struct dns_local_ent *e;
	char name[DNSNAME_BUF], t[INET6_ADDRSTRLEN];
	const char *src = NULL;
	struct dns_build b;
	uint32_t ttl = 0;

	if (fam == 0)
		return false;
	inet_ntop(fam, a, t, sizeof(t));
	if ((e = dns_local_by_addr(f->local, fam, a)) != NULL) {
		snprintf(name, sizeof(name), "%s", e->name);
		src = e->src;
		ttl = e->ttl;
	} else if (fam == AF_INET && f->io.lease_by_addr != NULL) {
		struct in_addr in;

		memcpy(&in, a, 4);
		/* cache.c: a lease name that a hosts file already has is
		 * not given to the lease */
		if (f->io.lease_by_addr(f->io.arg, in, name, sizeof(name)) &&
		    !dns_fwd_hosts_has(f, name)) {
			src = "DHCP";
			ttl = dns_fwd_lease_ttl(f, in);
		}
	}
	if (src != NULL) {
		dns_fwd_begin(f, &b, c, pkt, q, DNS_RC_NOERROR);
		dns_build_set_flags(&b, DNS_F_AA);
		dns_build_rr_name(&b, 1, NULL, DNS_T_PTR, ttl, name);
		if (dns_fwd_logq(f))
			dns_fwd_logf(f, 6, "%s %s is %s", src, t, name);
		dns_fwd_finish(f, &b, c, q);
		return true;
	}
	/* rfc1035.c: bogus-priv, no /D/ server for the name */
	if (conf_flag(f->cf, CONF_KW_BOGUS_PRIV) && route == 0 &&
	    dns_fwd_private_addr(fam, a)) {
		if (dns_fwd_logq(f))
			dns_fwd_logf(f, 6, "config %s is NXDOMAIN", t);
		dns_fwd_answer_rcode(f, c, pkt, q, DNS_RC_NXDOMAIN, true);
		return true;
	}
	return false;
}

struct dns_fwd_case {
	uint8_t *buf;
	const uint8_t *qname;	/* the client's question name, wire form */
	size_t qlen;
};

/* An answer record whose owner is the question name written out (no
 * pointer) gets the client's case too, as dnsmasq's answers from its
 * cache point at the question.  The owner ends 4 bytes before the TTL;
 * the same name has the same length. */
static bool
dns_fwd_case_cb(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct dns_fwd_case *w = arg;
	size_t end = rr->ttl_off - 4, i;

	(void)pkt;
	if (rr->section != 1 || end < DNS_HDR_LEN + w->qlen)
		return true;
	for (i = 0; i < w->qlen; i++)
		if (tolower(w->buf[end - w->qlen + i]) !=
		    tolower(w->qname[i]))
			return true;
	memcpy(w->buf + end - w->qlen, w->qname, w->qlen);
	return true;
}

/* Sends a copy of cache entry e to the client: TTLs aged, the client's
 * id, RD and CD, OPT as the client's query has it; qtype (non-zero)
 * replaces the stored question's type (a name-wide NXDOMAIN). */
static bool
dns_fwd_send_cached(struct dns_fwd *f, int64_t now,
    const struct dns_client *c, const uint8_t *pkt, const struct dns_msg *q,
    const struct dns_cache_ent *e, uint16_t qtype)
{
	struct dns_msg m;
	size_t n;
	int64_t age;

	memcpy(f->buf, e->pkt, e->len);
	n = e->len;
	if (dns_msg_parse(f->buf, n, true, &m) != DNS_OK)
		return false;
	/* the question as this client wrote it (the case of its letters:
	 * DNS 0x20 resolvers check it; dnsmasq answers with the query's
	 * name); the same name has the same length */
	if (m.qend == q->qend && memcmp(f->buf + DNS_HDR_LEN,
	    pkt + DNS_HDR_LEN, q->qend - DNS_HDR_LEN - 4) != 0) {
		/* only when the case differs: a cached answer to the same
		 * spelling (the usual one) is sent as it is */
		struct dns_fwd_case w = { f->buf, pkt + DNS_HDR_LEN,
		    q->qend - DNS_HDR_LEN - 4 };

		(void)dns_msg_walk(f->buf, n, &m, false, dns_fwd_case_cb, &w);
		memcpy(f->buf + DNS_HDR_LEN, w.qname, w.qlen);
		memcpy(m.qname, q->qname, sizeof(m.qname));
	}
	if (qtype != 0) {
		f->buf[m.qend - 4] = (uint8_t)(qtype >> 8);
		f->buf[m.qend - 3] = (uint8_t)qtype;
		m.qtype = qtype;
	}
	age = (now - e->stored_ms) / 1000;
	dns_msg_age(f->buf, n, &m, (uint32_t)age);
	/* rfc1035.c crec_ttl(): max-ttl caps what the cache hands out */
	dns_msg_ttl_bound(f->buf, n, &m, DNS_SEC_ALL, 0, f->cf->dns->max_ttl);
	dns_msg_set_id(f->buf, q->id);
	/* the client's RD and CD bits, as it sent them */
	f->buf[2] = (uint8_t)((f->buf[2] & ~0x01) | ((q->flags >> 8) & 0x01));
	if (!q->has_opt) {
		n = dns_msg_strip_opt(f->buf, n, &m);
	} else if (!m.has_opt) {
		/* kept from a client without EDNS0: dnsmasq's answer from
		 * the cache has its OPT (found by compat-tests/dns) */
		n = dns_msg_add_opt(f->buf, n, sizeof(f->buf),
		    dns_fwd_edns_max(f));
		if (dns_msg_parse(f->buf, n, true, &m) != DNS_OK)
			return false;
	}
	/* rfc1035.c: "We have a cached answer but we're filtering it" */
	dns_fwd_log_answer_f(f, "cached", f->buf, n, &m,
	    !e->neg && dns_fwd_filtered_q(f, q->qtype));
	n = dns_fwd_filter(f, q->qtype, f->buf, n, &m);
	if (n > dns_fwd_client_size(f, c, q))
		n = dns_msg_truncate(f->buf, &m);
	f->io.send_client(f->io.arg, c, f->buf, n);
	f->st.answered_cache++;
	return true;
}

/* Answers from the cache; true when it did.  A name known not to exist
 * (an NXDOMAIN answer for any type, or bogus-nxdomain) is NXDOMAIN for
 * every type, as dnsmasq's cache keeps NXDOMAIN for the name. */
static bool
dns_fwd_answer_cache(struct dns_fwd *f, int64_t now,
    const struct dns_client *c, const uint8_t *pkt, const struct dns_msg *q,
    const char *lname)
{
	const struct dns_cache_ent *e;

	if (q->has_opt && q->opt_do)
		return false;	/* DNSSEC records pass through, uncached */
	if ((e = dns_cache_get(f->cache, lname, q->qtype, q->qclass, now)) !=
	    NULL)
		return dns_fwd_send_cached(f, now, c, pkt, q, e, 0);
	if (q->qclass != DNS_C_IN)
		return false;
	if (dns_cache_peek(f->cache, lname, DNS_FWD_NX_ANY, DNS_FWD_NX_ANY,
	    now) != NULL && (e = dns_cache_get(f->cache, lname,
	    DNS_FWD_NX_ANY, DNS_FWD_NX_ANY, now)) != NULL)
		return dns_fwd_send_cached(f, now, c, pkt, q, e, q->qtype);
	/* rfc1035.c: a filtered type of a name the cache holds records
	 * of is NODATA without asking upstream */
	if (dns_fwd_filtered_q(f, q->qtype) &&
	    (dns_cache_peek(f->cache, lname, DNS_T_A, DNS_C_IN, now) != NULL ||
	    dns_cache_peek(f->cache, lname, DNS_T_AAAA, DNS_C_IN, now) !=
	    NULL || dns_cache_peek(f->cache, lname, DNS_T_CNAME, DNS_C_IN,
	    now) != NULL)) {
		if (dns_fwd_logq(f))
			dns_fwd_logf(f, 6, "config %s is NODATA",
			    dns_fwd_lname(q->qname));
		dns_fwd_answer_ede(f, c, pkt, q, DNS_RC_NOERROR,
		    DNS_EDE_FILTERED);
		return true;
	}
	return false;
}

static void
dns_fwd_rrs_log(void *log_arg, const char *line)
{
	struct dns_fwd *f = log_arg;

	dns_fwd_logf(f, 6, "%s", line);
}

/* txt-record, ptr-record, mx-host, srv-host, naptr-record, dns-rr,
 * caa-record, interface-name (rfc1035.c answer_request()): AA set, TTL
 * local-ttl.  True when answered. */
static void
dns_fwd_rrq(struct dns_fwd *f, const struct dns_msg *q, const char *lname,
    struct dns_local_rrq *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->qname = dns_fwd_lname(q->qname);
	rq->lname = dns_fwd_lname(lname);
	rq->qtype = q->qtype;
	rq->arpa_family = dns_fwd_arpa(lname, rq->arpa);
	rq->ttl = dns_fwd_local_ttl(f);	/* local-ttl */
	rq->hosts = f->local;
	rq->if_addrs = f->io.if_addrs;
	rq->lease_by_name = f->io.lease_by_name;
	rq->log = dns_fwd_logq(f) ? dns_fwd_rrs_log : NULL;
	rq->arg = f->io.arg;
	rq->log_arg = f;
}

static bool
dns_fwd_answer_rrs(struct dns_fwd *f, const struct dns_client *c,
    const uint8_t *pkt, const struct dns_msg *q, const char *lname)
{
	struct dns_local_rrq rq;
	struct dns_build b;

	if (f->rrs == NULL)
		return false;
	dns_fwd_rrq(f, q, lname, &rq);
	dns_fwd_begin(f, &b, c, pkt, q, DNS_RC_NOERROR);
	dns_build_set_flags(&b, DNS_F_AA);
	if (!dns_local_rrs_answer(f->rrs, &rq, &b))
		return false;
	dns_fwd_finish(f, &b, c, q);
	return true;
}

/* cname=ALIAS,TARGET: the target's local addresses after the CNAME. */
static bool
dns_fwd_answer_cname(struct dns_fwd *f, const struct dns_client *c,
    const uint8_t *pkt, const struct dns_msg *q, const char *lname)
{
	const struct conf_dns_cname *cn = conf_dns_cname_find(f->cf->dns,
	    lname);
	struct dns_build b;
	char target[DNSNAME_BUF];
	uint32_t ttl;
	struct dns_local_rrq rq;

	if (cn == NULL)
		return false;
	/* option.c: a cname= without TTL gets local-ttl */
	ttl = cn->ttl == CONF_DNS_TTL_DEFAULT ? dns_fwd_local_ttl(f) :
	    (uint32_t)cn->ttl;
	dns_name_lower(cn->target, target);
	if (dns_fwd_logq(f))
		dns_fwd_logf(f, 6, "config %s is <CNAME>",
		    dns_fwd_lname(lname));
	/* rfc1035.c follows the CNAME, then answers for its target: the
	 * local records first, then the hosts data */
	dns_fwd_rrq(f, q, target, &rq);
	rq.owner = target;
	dns_fwd_begin(f, &b, c, pkt, q, DNS_RC_NOERROR);
	dns_build_set_flags(&b, DNS_F_AA);
	dns_build_rr_name(&b, 1, NULL, DNS_T_CNAME, ttl, target);
	if (f->rrs == NULL || !dns_local_rrs_answer(f->rrs, &rq, &b)) {
		if (dns_fwd_answer_name(f, c, pkt, q, target,
		    dns_fwd_lname(lname), ttl))
			return true;
		/* the CNAME alone */
		dns_fwd_begin(f, &b, c, pkt, q, DNS_RC_NOERROR);
		dns_build_set_flags(&b, DNS_F_AA);
		dns_build_rr_name(&b, 1, NULL, DNS_T_CNAME, ttl, target);
	}
	dns_fwd_finish(f, &b, c, q);
	return true;
}

/* --- lease names against the hosts files ---------------------------- */

enum dns_lease_clash
dns_fwd_lease_clash(const struct dns_fwd *f, const char *name,
    struct in_addr addr, const char **src, struct in_addr *other)
{
	const struct dns_local_ent *e, *fail = NULL;
	char lname[DNSNAME_BUF];

	if (strlen(name) >= sizeof(lname))
		return DNS_LEASE_OK;
	dns_name_lower(name, lname);
	if (conf_dns_cname_find(f->cf->dns, lname) != NULL)
		return DNS_LEASE_CNAME;
	for (e = dns_local_by_name(f->local, lname); e != NULL; e = e->nnext) {
		if (strcmp(e->name, lname) != 0 || e->family != AF_INET)
			continue;
		if (e->addr.v4.s_addr == addr.s_addr)
			return DNS_LEASE_OK;	/* in hosts: no lease name */
		if (fail == NULL)
			fail = e;
	}
	if (fail == NULL)
		return DNS_LEASE_OK;
	*src = fail->src;
	*other = fail->addr.v4;
	return DNS_LEASE_CLASH;
}

/* --- forwarding ---------------------------------------------------- */

/* Sends p's query to upstream index up; returns 0 or -errno. */
static int
dns_fwd_send_one(struct dns_fwd *f, struct dns_pending *p, unsigned up)
{
	struct dns_upstream *u;
	int rc;

	if (up >= f->n_up)
		return -ENOENT;
	u = &f->up[up];
	rc = f->io.send_up(f->io.arg, p, u, p->query, p->qlen);
	if (rc < 0) {
		u->failed++;
		f->st.drops[DNS_DROP_SEND]++;
		return rc;
	}
	u->queries++;
	p->sent_mask |= 1ull << up;
	if (dns_fwd_logq(f))
		dns_fwd_logf(f, 6, "forwarded %s to %s",
		    dns_fwd_lname(p->qname), u->label);
	return 0;
}

/* Sends to the next untried candidate; false when none is left. */
static bool
dns_fwd_send_next(struct dns_fwd *f, struct dns_pending *p)
{
	while (p->next < p->n_cand) {
		unsigned up = p->cand[p->next++];

		if (p->sent_mask & (1ull << up))
			continue;
		if (dns_fwd_send_one(f, p, up) == 0)
			return true;
	}
	return false;
}

static void
dns_fwd_send_all(struct dns_fwd *f, struct dns_pending *p)
{
	unsigned i;

	for (i = 0; i < p->n_cand; i++)
		(void)dns_fwd_send_one(f, p, p->cand[i]);
	p->next = p->n_cand;
}

/* The first send: strict-order from the top, all-servers to all, else
 * the last good server, racing all every 50 queries or 20 s. */
static bool
dns_fwd_send_first(struct dns_fwd *f, int64_t now, struct dns_pending *p)
{
	unsigned i;

	if (p->client.tcp != NULL) {
		p->next = 0;
		return dns_fwd_send_next(f, p);
	}
	if (conf_flag(f->cf, CONF_KW_ALL_SERVERS)) {
		dns_fwd_send_all(f, p);
		return p->sent_mask != 0;
	}
	if (conf_flag(f->cf, CONF_KW_STRICT_ORDER))
		return dns_fwd_send_next(f, p);
	if (p->n_cand > 1 && (++f->fwd_count % DNS_FWD_RACE_QUERIES == 0 ||
	    now - f->last_race_ms >= DNS_FWD_RACE_MS)) {
		f->last_race_ms = now;
		dns_fwd_send_all(f, p);
		return p->sent_mask != 0;
	}
	for (i = 0; i < p->n_cand; i++)
		if (p->cand[i] == f->last_good && i != 0) {
			/* move the last good one to the front */
			p->cand[i] = p->cand[0];
			p->cand[0] = (uint8_t)f->last_good;
			break;
		}
	return dns_fwd_send_next(f, p);
}

/* Copies the query for upstream: new id, EDNS0 size bounded. */
static int
dns_fwd_prepare(const struct dns_fwd *f, struct dns_pending *p,
    const uint8_t *pkt, size_t len, const struct dns_msg *q)
{
	uint16_t max = dns_fwd_edns_max(f);

	if ((p->query = malloc(len)) == NULL)
		return -ENOMEM;
	memcpy(p->query, pkt, len);
	p->qlen = len;
	dns_msg_set_id(p->query, p->new_id);
	if (q->has_opt)	/* forward.c: bounded to edns-packet-max */
		dns_msg_set_opt_size(p->query, q, (uint16_t)
		    (q->opt_size > max ? max :
		    q->opt_size < DNS_PACKETSZ ? DNS_PACKETSZ : q->opt_size));
	return 0;
}

/* forward.c query_full(): at most one line in 6 s (more than 5 whole
 * seconds apart); a server for a domain names it. */
static void
dns_fwd_log_full(struct dns_fwd *f, int64_t now, const char *domain)
{
	if (now - f->full_logged_ms < 6000)
		return;
	f->full_logged_ms = now;
	if (domain == NULL || domain[0] == '\0')
		dns_fwd_logf(f, 4, "Maximum number of concurrent DNS queries "
		    "reached (max: %u)", f->max_pend);
	else
		dns_fwd_logf(f, 4, "Maximum number of concurrent DNS queries "
		    "to %s reached (max: %u)", domain, f->max_pend);
}

/* No server could be sent the query (forward.c: EDE_NETERR): a UDP
 * client gets REFUSED with EDE "network error", a TCP client's
 * connection is closed without an answer, as dnsmasq does. */
static void
dns_fwd_unreachable(struct dns_fwd *f, const struct dns_client *c,
    const uint8_t *pkt, const struct dns_msg *q)
{
	if (c->tcp != NULL) {
		if (f->io.close_client != NULL)
			f->io.close_client(f->io.arg, c);
		return;
	}
	if (dns_fwd_logq(f))
		dns_fwd_logf(f, 6, "config error is REFUSED "
		    "(EDE: network error)");
	dns_fwd_answer_ede(f, c, pkt, q, DNS_RC_REFUSED, DNS_EDE_NETERR);
}

static void
dns_fwd_forward(struct dns_fwd *f, int64_t now, const struct dns_client *c,
    const uint8_t *pkt, size_t len, const struct dns_msg *q,
    const char *lname, size_t route, bool resolv)
{
	struct dns_pending *p, tmp;

	if ((p = dns_fwd_find_retry(f, c, q)) != NULL) {
		/* a client retry goes to every server (forward.c) */
		unsigned i;

		for (i = 0; i < p->n_cand; i++)
			f->up[p->cand[i] < f->n_up ? p->cand[i] : 0].retries++;
		dns_fwd_send_all(f, p);
		return;
	}
	dns_fwd_candidates(f, lname, route, resolv, &tmp);
	if (tmp.n_cand == 0) {
		/* no server: REFUSED (dnsmasq adds EDE "not ready") */
		if (dns_fwd_logq(f))
			dns_fwd_logf(f, 6, "config error is REFUSED "
			    "(EDE: not ready)");
		dns_fwd_answer_ede(f, c, pkt, q, DNS_RC_REFUSED,
		    DNS_EDE_NOT_READY);
		return;
	}
	if ((p = dns_fwd_pending_new(f)) == NULL) {
		f->st.drops[DNS_DROP_TABLE_FULL]++;
		dns_fwd_log_full(f, now, f->up[tmp.cand[0]].domain);
		dns_fwd_answer_rcode(f, c, pkt, q, DNS_RC_REFUSED, false);
		return;
	}
	p->n_cand = tmp.n_cand;
	memcpy(p->cand, tmp.cand, tmp.n_cand);
	p->client = *c;
	p->client_id = q->id;
	snprintf(p->qname, sizeof(p->qname), "%s", q->qname);
	p->qtype = q->qtype;
	p->qclass = q->qclass;
	p->client_opt = q->has_opt;
	p->client_size = (uint16_t)(dns_fwd_client_size(f, c, q) > 65535 ?
	    65535 : dns_fwd_client_size(f, c, q));
	/* a reply to another opcode than QUERY is no answer to the
	 * question: not kept (found by compat-tests/dns) */
	p->no_cache = (q->flags & DNS_F_CD) || (q->has_opt && q->opt_do) ||
	    (q->flags & DNS_F_OPCODE) != 0;
	p->started_ms = now;
	p->retry_ms = now + DNS_FWD_RETRY_MS;
	p->expire_ms = now + DNS_FWD_TIMEOUT_MS;
	if (dns_fwd_prepare(f, p, pkt, len, q) < 0) {
		dns_fwd_pending_free(f, p);
		dns_fwd_answer_rcode(f, c, pkt, q, DNS_RC_SERVFAIL, false);
		return;
	}
	if (!dns_fwd_send_first(f, now, p)) {
		dns_fwd_pending_free(f, p);
		dns_fwd_unreachable(f, c, pkt, q);
		return;
	}
	f->st.forwarded++;
}

/* --- queries ------------------------------------------------------- */

/* filterwin2k: "Don't forward spurious DNS requests from Windows hosts":
 * an authoritative NODATA, "config NAME is NODATA". */
static void
dns_fwd_win2k(struct dns_fwd *f, const struct dns_client *c,
    const uint8_t *pkt, const struct dns_msg *q)
{
	if (dns_fwd_logq(f))
		dns_fwd_logf(f, 6, "config %s is NODATA",
		    dns_fwd_lname(q->qname));
	dns_fwd_answer_rcode(f, c, pkt, q, DNS_RC_NOERROR, true);
}

static void
dns_fwd_log_query(struct dns_fwd *f, const struct dns_client *c,
    const struct dns_msg *q)
{
	char a[INET6_ADDRSTRLEN], tb[16];

	dns_fwd_sa_text(&c->sa, a, sizeof(a));
	dns_fwd_logf(f, 6, "query[%s] %s from %s",
	    dns_type_str(q->qtype, tb, sizeof(tb)), dns_fwd_lname(q->qname), a);
}

/* FORMERR with whatever header could be read (RFC 1035 4.1.1). */
static void
dns_fwd_formerr(struct dns_fwd *f, const struct dns_client *c,
    const uint8_t *pkt, size_t len)
{
	uint8_t out[DNS_HDR_LEN];

	if (len < DNS_HDR_LEN || (pkt[2] & 0x80))
		return;		/* no header, or a reply: silence */
	memset(out, 0, sizeof(out));
	out[0] = pkt[0];
	out[1] = pkt[1];
	out[2] = (uint8_t)(0x80 | (pkt[2] & 0x79));	/* QR, opcode, RD */
	out[3] = (uint8_t)(0x80 | DNS_RC_FORMERR);
	f->io.send_client(f->io.arg, c, out, sizeof(out));
}

void
dns_fwd_query(struct dns_fwd *f, int64_t now, const struct dns_client *c,
    const uint8_t *pkt, size_t len)
{
	const struct conf_dns_server *local;
	char lname[DNSNAME_BUF];
	struct dns_msg q;
	enum dns_bad why;
	size_t route;
	bool resolv;

	f->st.queries++;
	if (c->tcp != NULL)
		f->st.tcp_queries++;
	why = dns_msg_parse(pkt, len, true, &q);
	if (why == DNS_OK && (q.flags & DNS_F_QR)) {
		f->st.drops[DNS_DROP_NOT_QUERY]++;
		return;
	}
	if (why != DNS_OK) {
		f->st.drops[DNS_DROP_MALFORMED]++;
		dns_fwd_formerr(f, c, pkt, len);
		return;
	}
	if (dns_fwd_logq(f))
		dns_fwd_log_query(f, c, &q);
	dns_fwd_poll_resolv(f, now, false);
	dns_name_lower(q.qname, lname);
	route = dns_fwd_route(f, lname, &local, &resolv);
	if (q.qclass == DNS_C_IN && (q.flags & DNS_F_OPCODE) == 0) {
		/* an interface-name without an address of the family
		 * asked: not from the hosts data, forwarded */
		bool ifname = dns_local_rrs_has_ifname(f->rrs, lname);

		if (dns_fwd_answer_cname(f, c, pkt, &q, lname) ||
		    dns_fwd_answer_rrs(f, c, pkt, &q, lname) ||
		    (!ifname &&
		    dns_fwd_answer_name(f, c, pkt, &q, lname, NULL, 0)))
			return;
		if (q.qtype == DNS_T_PTR &&
		    dns_fwd_answer_ptr(f, c, pkt, &q, lname, route))
			return;
	}
	if (local != NULL && dns_fwd_config_answers(local, q.qtype)) {
		dns_fwd_answer_config(f, c, pkt, &q, local);
		return;
	}
	if (local != NULL)	/* address= other types: the usual servers */
		route = 0;
	/* forward.c: domain-needed keeps A/AAAA for dot-less names home */
	if (conf_flag(f->cf, CONF_KW_DOMAIN_NEEDED) &&
	    (q.qtype == DNS_T_A || q.qtype == DNS_T_AAAA) &&
	    lname[0] != '\0' && strchr(lname, '.') == NULL) {
		/* a name of the local records: NODATA (F_NOERR) */
		bool known = dns_local_rrs_has_domain(f->rrs, lname);

		if (dns_fwd_logq(f))
			dns_fwd_logf(f, 6, "config %s is %s", lname,
			    known ? "NODATA" : "NXDOMAIN");
		dns_fwd_answer_rcode(f, c, pkt, &q, known ? DNS_RC_NOERROR :
		    DNS_RC_NXDOMAIN, false);
		return;
	}
	/* rfc1035.c answer_request(): MAILB is NXDOMAIN (authoritative,
	 * not logged); with filterwin2k SOA is NODATA */
	if (q.qtype == DNS_T_MAILB && q.qclass == DNS_C_IN) {
		dns_fwd_answer_rcode(f, c, pkt, &q, DNS_RC_NXDOMAIN, true);
		return;
	}
	if (q.qtype == DNS_T_SOA && q.qclass == DNS_C_IN &&
	    conf_flag(f->cf, CONF_KW_FILTERWIN2K)) {
		dns_fwd_win2k(f, c, pkt, &q);
		return;
	}
	if (dns_fwd_answer_cache(f, now, c, pkt, &q, lname))
		return;
	/* filterwin2k: SRV, and ANY for a name with '_', NODATA */
	if (q.qclass == DNS_C_IN && conf_flag(f->cf, CONF_KW_FILTERWIN2K) &&
	    (q.qtype == DNS_T_SRV ||
	    (q.qtype == DNS_T_ANY && strchr(q.qname, '_') != NULL))) {
		dns_fwd_win2k(f, c, pkt, &q);
		return;
	}
	dns_fwd_forward(f, now, c, pkt, len, &q, lname, route, resolv);
}

/* --- replies ------------------------------------------------------- */

static int
dns_fwd_up_index(const struct dns_fwd *f, const struct dns_pending *p,
    const struct sockaddr *sa, socklen_t salen)
{
	unsigned i;

	for (i = 0; i < f->n_up; i++) {
		const struct dns_upstream *u = &f->up[i];

		if (!(p->sent_mask & (1ull << i)) || u->salen != salen)
			continue;
		if (sa->sa_family == AF_INET) {
			const struct sockaddr_in *a = (const void *)sa;
			const struct sockaddr_in *b = (const void *)&u->sa;

			if (a->sin_port == b->sin_port &&
			    a->sin_addr.s_addr == b->sin_addr.s_addr)
				return (int)i;
		} else if (sa->sa_family == AF_INET6) {
			const struct sockaddr_in6 *a = (const void *)sa;
			const struct sockaddr_in6 *b = (const void *)&u->sa;

			if (a->sin6_port == b->sin6_port &&
			    memcmp(&a->sin6_addr, &b->sin6_addr, 16) == 0)
				return (int)i;
		}
	}
	return -1;
}

static bool
dns_fwd_cacheable(uint16_t qtype)
{
	/* what dnsmasq 2.90 keeps without cache-rr */
	return qtype == DNS_T_A || qtype == DNS_T_AAAA ||
	    qtype == DNS_T_CNAME || qtype == DNS_T_PTR || qtype == DNS_T_SRV;
}

/* --- bogus-nxdomain, ignore-address -------------------------------- */

static bool
dns_fwd_net_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned k = bits / 8;

	if (memcmp(a, b, k) != 0)
		return false;
	return bits % 8 == 0 ||
	    ((a[k] ^ b[k]) & (uint8_t)(0xff00u >> (bits % 8))) == 0;
}

struct dns_fwd_badaddr {
	const struct conf_dns_netmatch *list;
	bool found;
	char owner[DNSNAME_BUF];	/* the matching record's */
	uint32_t ttl;
};

/* rfc1035.c check_bad_address(): an A or AAAA (class IN) answer record
 * inside one of the listed networks. */
static bool
dns_fwd_badaddr_cb(void *arg, const uint8_t *pkt, const struct dns_rr *rr)
{
	struct dns_fwd_badaddr *w = arg;
	const struct conf_dns_netmatch *nm;
	int fam;

	if (rr->section != 1 || rr->class != DNS_C_IN)
		return true;
	if (rr->type == DNS_T_A && rr->rdlen == 4)
		fam = AF_INET;
	else if (rr->type == DNS_T_AAAA && rr->rdlen == 16)
		fam = AF_INET6;
	else
		return true;
	for (nm = w->list; nm != NULL; nm = nm->next)
		if (nm->family == fam &&
		    dns_fwd_net_eq(pkt + rr->rdata_off, nm->addr, nm->prefix)) {
			w->found = true;
			snprintf(w->owner, sizeof(w->owner), "%s", rr->name);
			w->ttl = rr->ttl;
			return false;
		}
	return true;
}

static bool
dns_fwd_badaddr(const struct conf_dns_netmatch *list, const uint8_t *pkt,
    size_t len, const struct dns_msg *m, struct dns_fwd_badaddr *w)
{
	w->list = list;
	w->found = false;
	if (list == NULL)
		return false;
	(void)dns_msg_walk(pkt, len, m, true, dns_fwd_badaddr_cb, w);
	return w->found;
}

/* bogus-nxdomain: the reply becomes NXDOMAIN without records (AA
 * cleared, EDE "blocked", no "reply" line: forward.c process_reply()),
 * and the matching record's owner is cached as not existing for its
 * TTL (its answers from the cache carry no EDE). */
static size_t
dns_fwd_bogus(struct dns_fwd *f, int64_t now, uint8_t *pkt, size_t len,
    struct dns_msg *m, const struct dns_fwd_badaddr *w)
{
	char lname[DNSNAME_BUF];
	size_t cap = len;	/* the records dropped make room */

	len = dns_msg_strip_records(pkt, len, m);
	pkt[2] &= (uint8_t)~(DNS_F_AA >> 8);
	pkt[3] = (uint8_t)((pkt[3] & 0xf0) | DNS_RC_NXDOMAIN);
	m->flags = (uint16_t)((m->flags & ~(DNS_F_RCODE | DNS_F_AA)) |
	    DNS_RC_NXDOMAIN);
	dns_name_lower(w->owner, lname);
	(void)dns_cache_put(f->cache, lname, DNS_FWD_NX_ANY, DNS_FWD_NX_ANY,
	    pkt, len, w->ttl, true, now);
	if (dns_fwd_logq(f))
		dns_fwd_logf(f, 6, "config %s is NXDOMAIN",
		    dns_fwd_lname(w->owner));
	return dns_msg_add_ede(pkt, len, cap, m, DNS_EDE_BLOCKED);
}

/*
 * Keeps a reply in the cache (cache.c cache_insert(), rfc1035.c
 * extract_addresses()): for how long its TTLs say (neg-ttl for a negative
 * one without SOA), bounded by max-cache-ttl and min-cache-ttl, which
 * also bound each record's TTL in the copy kept, so that answers from the
 * cache count down from there; no-negcache keeps no negative answer.
 */
static void
dns_fwd_cache_put(struct dns_fwd *f, int64_t now, const struct dns_pending *p,
    const uint8_t *pkt, size_t len, const struct dns_msg *m)
{
	const struct conf_dns *d = f->cf->dns;
	char lname[DNSNAME_BUF];
	bool neg, strip;
	uint32_t ttl = dns_msg_cache_ttl(pkt, len, m, d->neg_ttl, &neg);

	if (neg && conf_flag(f->cf, CONF_KW_NO_NEGCACHE))
		return;
	/* rfc1035.c: a negative PTR reply is kept only with a TTL of its
	 * own, before min-cache-ttl could raise a 0 */
	if (neg && ttl == 0 && p->qtype == DNS_T_PTR)
		return;
	if (d->max_cache_ttl != 0 && ttl > d->max_cache_ttl)
		ttl = d->max_cache_ttl;
	if (d->min_cache_ttl != 0 && ttl < d->min_cache_ttl)
		ttl = d->min_cache_ttl;
	if (ttl == 0 || len > sizeof(f->buf))
		return;
	/* rfc1035.c: a negative reply without an SOA of its zone is kept
	 * without one (F_NO_RR), so answered from the cache without one */
	strip = neg && m->ancount == 0 &&
	    m->nscount + m->arcount > (m->has_opt ? 1 : 0) &&
	    !dns_msg_neg_has_soa(pkt, len, m);
	if (strip || d->min_cache_ttl != 0 || d->max_cache_ttl != 0) {
		struct dns_msg mc = *m;

		memcpy(f->buf, pkt, len);
		dns_msg_ttl_bound(f->buf, len, m, DNS_SEC_ALL,
		    d->min_cache_ttl, d->max_cache_ttl);
		if (strip)
			len = dns_msg_strip_records(f->buf, len, &mc);
		pkt = f->buf;
	}
	dns_name_lower(p->qname, lname);
	if ((m->flags & DNS_F_RCODE) == DNS_RC_NXDOMAIN)	/* every type */
		(void)dns_cache_put(f->cache, lname, DNS_FWD_NX_ANY,
		    DNS_FWD_NX_ANY, pkt, len, ttl, true, now);
	else
		(void)dns_cache_put(f->cache, lname, p->qtype, p->qclass,
		    pkt, len, ttl, neg, now);
}

/*
 * forward.c: a forwarded name that is known here exists, whatever the
 * upstream says (check_for_local_domain(): local records at or below it;
 * cache_find_non_terminal(): a hosts-data, host-record or lease name;
 * lookup_domain(F_CONFIG): an address=/D/IP or /D/# domain).
 */
static bool
dns_fwd_name_exists(const struct dns_fwd *f, const char *lname)
{
	const struct conf_dns_server *s;
	struct in_addr la;
	size_t best = 0, m;
	bool addr = false;

	if (dns_local_rrs_has_domain(f->rrs, lname) ||
	    dns_local_by_name(f->local, lname) != NULL ||
	    (f->io.lease_by_name != NULL &&
	    f->io.lease_by_name(f->io.arg, lname, &la)))
		return true;
	for (s = f->cf->dns->servers; s != NULL; s = s->next) {
		if ((m = dns_fwd_server_match(s, lname)) == 0 || m < best)
			continue;
		if (m > best)
			addr = false;
		best = m;
		if (s->action == CONF_DNS_ADDR4 ||
		    s->action == CONF_DNS_ADDR6 || s->action == CONF_DNS_ZEROS)
			addr = true;
	}
	return addr;
}

/* Delivers an accepted reply to p's client and ends p. */
static void
dns_fwd_deliver(struct dns_fwd *f, int64_t now, struct dns_pending *p,
    uint8_t *pkt, size_t len, struct dns_msg *m)
{
	unsigned rc = m->flags & DNS_F_RCODE;
	char lname[DNSNAME_BUF];
	struct dns_fwd_badaddr bad;
	bool logged = false;
	bool answer = !(m->flags & DNS_F_TC) && p->qclass == DNS_C_IN &&
	    (m->flags & DNS_F_OPCODE) == 0 &&
	    (rc == DNS_RC_NOERROR || rc == DNS_RC_NXDOMAIN);

	dns_name_lower(p->qname, lname);
	if (rc == DNS_RC_NXDOMAIN && !(m->flags & DNS_F_TC) &&
	    dns_fwd_name_exists(f, lname)) {
		/* a type the local data does not answer went upstream:
		 * NODATA, AA */
		m->flags = (uint16_t)((m->flags & ~DNS_F_RCODE) | DNS_F_AA);
		pkt[2] = (uint8_t)(m->flags >> 8);
		pkt[3] = (uint8_t)m->flags;
		rc = DNS_RC_NOERROR;
	}
	/* forward.c process_reply(): an upstream advertising more than
	 * edns-packet-max is trimmed to it */
	if (m->has_opt && m->opt_size > dns_fwd_edns_max(f)) {
		dns_msg_set_opt_size(pkt, m, dns_fwd_edns_max(f));
		m->opt_size = dns_fwd_edns_max(f);
	}
	if ((m->flags & DNS_F_TC) && rc == DNS_RC_NOERROR) {
		/* forward.c: a truncated reply goes on without records */
		if (dns_fwd_logq(f))
			dns_fwd_logf(f, 6, "reply is truncated");
		len = dns_msg_strip_records(pkt, len, m);
	} else if (rc == DNS_RC_NOERROR &&
	    dns_fwd_badaddr(f->cf->dns->bogus_nx, pkt, len, m, &bad)) {
		len = dns_fwd_bogus(f, now, pkt, len, m, &bad);
		logged = true;
	} else if (conf_flag(f->cf, CONF_KW_STOP_DNS_REBIND) &&
	    !conf_dns_rebind_ok(f->cf->dns, p->qname) &&
	    dns_msg_has_private_lo(pkt, len, m,
	    !conf_flag(f->cf, CONF_KW_REBIND_LOCALHOST_OK))) {
		size_t cap = len;	/* the records dropped make room */

		dns_fwd_logf(f, 4, "possible DNS-rebind attack detected: %s",
		    dns_fwd_lname(p->qname));
		len = dns_msg_strip_records(pkt, len, m);
		/* forward.c process_reply(): EDE "blocked" in the upstream's
		 * OPT record, and no "reply" line */
		len = dns_msg_add_ede(pkt, len, cap, m, DNS_EDE_BLOCKED);
		logged = true;
	} else if (answer && !p->no_cache && (rc == DNS_RC_NXDOMAIN ||
	    dns_fwd_cacheable(p->qtype))) {
		dns_fwd_cache_put(f, now, p, pkt, len, m);
	}
	/* rfc1035.c extract_addresses(): max-ttl caps the answers' TTLs
	 * going to the client (the cache keeps the true ones) */
	if (answer)
		dns_msg_ttl_bound(pkt, len, m, DNS_SEC_BIT(1), 0,
		    f->cf->dns->max_ttl);
	/* logged before the filters act, as extract_addresses() does */
	if (!(m->flags & DNS_F_TC) && !logged)
		dns_fwd_log_answer_f(f, "reply", pkt, len, m,
		    dns_fwd_filtered_q(f, p->qtype));
	if (!(m->flags & DNS_F_TC))
		len = dns_fwd_filter(f, p->qtype, pkt, len, m);
	dns_msg_set_id(pkt, p->client_id);
	if (!p->client_opt)
		len = dns_msg_strip_opt(pkt, len, m);
	if (p->client.tcp == NULL && len > p->client_size)
		len = dns_msg_truncate(pkt, m);
	f->io.send_client(f->io.arg, &p->client, pkt, len);
	f->st.replies++;
	dns_fwd_pending_free(f, p);
}

static void
dns_fwd_accept(struct dns_fwd *f, int64_t now, struct dns_pending *p,
    int up, uint8_t *pkt, size_t len, struct dns_msg *m)
{
	unsigned rc = m->flags & DNS_F_RCODE;

	if (m->qtype != p->qtype || m->qclass != p->qclass ||
	    !dns_name_eq(m->qname, p->qname)) {
		f->st.drops[DNS_DROP_REPLY_QUESTION]++;
		return;
	}
	if (rc == DNS_RC_NOERROR && f->cf->dns->ignore_addrs != NULL) {
		struct dns_fwd_badaddr w;

		/* forward.c reply_query(): as if it never came */
		if (dns_fwd_badaddr(f->cf->dns->ignore_addrs, pkt, len, m,
		    &w)) {
			f->st.drops[DNS_DROP_REPLY_IGNORED]++;
			return;
		}
	}
	if (up >= 0) {
		f->up[up].replies++;
		f->up[up].latency_ms_sum += (uint64_t)(now - p->started_ms);
		if (rc == DNS_RC_NXDOMAIN)
			f->up[up].nxdomain++;
	}
	/* SERVFAIL, REFUSED: the next server, while there is one */
	if ((rc == DNS_RC_SERVFAIL || rc == DNS_RC_REFUSED)) {
		if (up >= 0) {
			f->up[up].failed++;
			p->failed_mask |= 1ull << up;
		}
		if (p->next < p->n_cand && dns_fwd_send_next(f, p)) {
			p->retry_ms = now + DNS_FWD_RETRY_MS;
			return;
		}
		/* servers asked at once (all-servers, a race): wait for
		 * the others; the last failure goes to the client */
		if (p->client.tcp == NULL &&
		    (p->sent_mask & ~p->failed_mask) != 0)
			return;
	} else if (up >= 0) {
		f->last_good = (unsigned)up;
	}
	dns_fwd_deliver(f, now, p, pkt, len, m);
}

/* The query left from the shell's socket sock (now or before). */
static bool
dns_fwd_sent_on(const struct dns_pending *p, int sock)
{
	unsigned i;

	if (p->sock == sock)
		return true;
	for (i = 0; i < p->n_socks; i++)
		if (p->socks[i] == sock)
			return true;
	return false;
}

void
dns_fwd_reply(struct dns_fwd *f, int64_t now, int sock,
    const struct sockaddr *sa, socklen_t salen, uint8_t *pkt, size_t len)
{
	struct dns_pending *p;
	struct dns_msg m;
	int up;

	if (len < DNS_HDR_LEN) {
		f->st.drops[DNS_DROP_REPLY_BAD]++;
		return;
	}
	p = dns_fwd_pending_by_id(f, dns_msg_get_id(pkt));
	if (p == NULL || p->client.tcp != NULL) {
		f->st.drops[DNS_DROP_REPLY_UNKNOWN]++;
		return;
	}
	if (!dns_fwd_sent_on(p, sock) ||
	    (up = dns_fwd_up_index(f, p, sa, salen)) < 0) {
		f->st.drops[DNS_DROP_REPLY_SOURCE]++;
		return;
	}
	if (dns_msg_parse(pkt, len, true, &m) != DNS_OK ||
	    !(m.flags & DNS_F_QR)) {
		f->st.drops[DNS_DROP_REPLY_BAD]++;
		return;
	}
	dns_fwd_accept(f, now, p, up, pkt, len, &m);
}

void
dns_fwd_reply_tcp(struct dns_fwd *f, int64_t now, struct dns_pending *p,
    uint8_t *pkt, size_t len)
{
	struct dns_msg m;
	unsigned i;
	int up = -1;

	if (len < DNS_HDR_LEN || dns_msg_get_id(pkt) != p->new_id ||
	    dns_msg_parse(pkt, len, true, &m) != DNS_OK ||
	    !(m.flags & DNS_F_QR)) {
		f->st.drops[DNS_DROP_REPLY_BAD]++;
		dns_fwd_up_failed(f, now, p);
		return;
	}
	for (i = 0; i < f->n_up; i++)
		if (p->sent_mask & (1ull << i))
			up = (int)i;	/* TCP goes to one server at a time */
	dns_fwd_accept(f, now, p, up, pkt, len, &m);
}

void
dns_fwd_up_failed(struct dns_fwd *f, int64_t now, struct dns_pending *p)
{
	if (!dns_fwd_send_next(f, p)) {
		struct dns_client c = p->client;

		/* nothing left: forward.c tcp_request() ends the
		 * connection without an answer */
		dns_fwd_pending_free(f, p);
		if (c.tcp != NULL && f->io.close_client != NULL)
			f->io.close_client(f->io.arg, &c);
		return;
	}
	p->retry_ms = now + DNS_FWD_RETRY_MS;
}

void
dns_fwd_client_gone(struct dns_fwd *f, void *tcp)
{
	unsigned i;

	for (i = 0; i < f->max_pend; i++)
		if (f->pend[i].used && f->pend[i].client.tcp == tcp)
			dns_fwd_pending_free(f, &f->pend[i]);
}

int64_t
dns_fwd_tick(struct dns_fwd *f, int64_t now)
{
	int64_t next = INT64_MAX;
	unsigned i;

	for (i = 0; i < f->max_pend && f->n_pend > 0; i++) {
		struct dns_pending *p = &f->pend[i];

		if (!p->used)
			continue;
		if (p->expire_ms <= now) {
			f->st.drops[DNS_DROP_TIMEOUT]++;
			dns_fwd_pending_free(f, p);
			continue;
		}
		/* no answer yet: the next server (UDP; TCP has its own) */
		if (p->retry_ms <= now) {
			if (p->client.tcp == NULL && dns_fwd_send_next(f, p))
				p->retry_ms = now + DNS_FWD_RETRY_MS;
			else
				p->retry_ms = INT64_MAX;
		}
		if (p->retry_ms < next)
			next = p->retry_ms;
		if (p->expire_ms < next)
			next = p->expire_ms;
	}
	return next;
}

void
dns_fwd_get_stats(const struct dns_fwd *f, struct dns_fwd_stats *s)
{
	*s = f->st;
}

void
dns_fwd_get_cache_stats(const struct dns_fwd *f, struct dns_cache_stats *s)
{
	dns_cache_get_stats(f->cache, s);
}

void
dns_fwd_log_stats(struct dns_fwd *f, int64_t now)
{
	struct dns_cache_stats cs;

	(void)now;
	dns_cache_get_stats(f->cache, &cs);
	/* cache.c dump_cache() lines */
	dns_fwd_logf(f, 6, "cache size %u, %lu/%lu cache insertions re-used "
	    "unexpired cache entries.", cs.max, cs.evictions, cs.inserts);
	dns_fwd_logf(f, 6, "queries forwarded %lu, queries answered locally "
	    "%lu", f->st.forwarded, f->st.answered_local +
	    f->st.answered_cache);
	dns_fwd_logf(f, 6, "queries for authoritative zones 0");
}

/* The per-server lines of dump_cache(). */
void
dns_fwd_log_server_stats(struct dns_fwd *f)
{
	unsigned i;

	for (i = 0; i < f->n_up; i++) {
		const struct dns_upstream *u = &f->up[i];

		dns_fwd_logf(f, 6, "server %s#%u: queries sent %lu, retried "
		    "%lu, failed %lu, nxdomain replies %lu, avg. latency "
		    "%lums", u->addr, u->port, u->queries, u->retries,
		    u->failed, u->nxdomain, u->replies == 0 ? 0 :
		    (unsigned long)(u->latency_ms_sum / u->replies));
	}
	for (i = 1; i < DNS_DROP__N; i++)
		if (f->st.drops[i] != 0)
			dns_fwd_logf(f, 6, "dns drops %s: %lu",
			    dns_drop_str((enum dns_drop)i), f->st.drops[i]);
}

const struct dns_upstream *
dns_fwd_upstream(const struct dns_fwd *f, unsigned i)
{
	return i < f->n_up ? &f->up[i] : NULL;
}

unsigned
dns_fwd_n_upstreams(const struct dns_fwd *f)
{
	return f->n_up;
}
