/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_other.c - options of dnsmasq 2.90 that pxemasq reads but does not
 * act on: DNS records and policies, authoritative DNS, DNSSEC, ipset,
 * conntrack, DHCPv6 and relay settings, scripts and tuning knobs.
 *
 * Each handler accepts exactly what dnsmasq 2.90's one_opt() accepts for
 * its option and fails with dnsmasq's message otherwise, so that a file
 * dnsmasq rejects is rejected here too.  An accepted value is kept as
 * written (hidden metacharacters included) in cf->unsup, so that
 * --dump-config prints it back with the same quoting; conf_load() then
 * warns about ignored options and refuses the ones that would change what
 * the network gets (see the support column of conf_kw.h).
 *
 * Where dnsmasq's checks depend on C library behaviour, the same calls
 * are made: atoi() wraps (4294967296 is 0), inet_pton() is applied to the
 * text as split (quoted dots stay hidden and fail), names go through
 * conf_canonicalise() (IDNA2008), server names through getaddrinfo().
 */
#include "conf_int.h"
#include "conf_dns.h"
#include "dnsname.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define OTHER_IFNAMSIZ 16	/* IF_NAMESIZE: names up to 15 characters */
#define OTHER_MAXLABEL 63

/* --- value helpers with dnsmasq's semantics ----------------------------- */

/* Keeps the value as the lexer gave it, before a handler splits it. */
static char *
other_raw(struct conf_ctx *c, const char *arg)
{
	size_t len;
	char *raw;

	if (arg == NULL)
		return NULL;
	len = strlen(arg) + 1;
	raw = conf_alloc(c, len);
	memcpy(raw, arg, len);
	return raw;
}

/*
 * Records a validated option.  A single-valued option given on the
 * command line and again in a file keeps the file's value (dnsmasq lets
 * the file override), so the dump holds it once.
 */
static int
other_record(struct conf_ctx *c, const struct conf_kw *kw, char *raw)
{
	struct conf_unsup *u;

	if (kw->rep == CONF_REP_ONE)
		for (u = c->cf->unsup_head; u != NULL; u = u->next)
			if (strcmp(u->name, kw->name) == 0) {
				u->src = c->src;
				u->value = raw;
				return 0;
			}
	return conf_unsup_add(c, kw, raw);
}

/* dnsmasq's atoi_check(): digits only, then atoi(), which is glibc's
 * (int)strtol(): values wrap modulo 2^32 (after saturating at 2^63-1,
 * which reads as -1).  "" is 0. */
static bool
other_atoi(char *s, int *out)
{
	if (!conf_numeric(s))
		return false;
	*out = (int)strtol(s, NULL, 10);
	return true;
}

static bool
other_atoi16(char *s, int *out)
{
	return other_atoi(s, out) && *out >= 0 && *out <= 0xffff;
}

static bool
other_atoi8(char *s, int *out)
{
	return other_atoi(s, out) && *out >= 0 && *out <= 0xff;
}

/* dnsmasq's strtoul_check(): digits only and at most 2^32-1. */
static bool
other_strtoul(char *s, uint32_t *out)
{
	unsigned long v;

	if (!conf_numeric(s))
		return false;
	errno = 0;
	v = strtoul(s, NULL, 10);
	if (errno != 0 || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool
other_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool
other_pton4(const char *s, struct in_addr *a)
{
	struct in_addr tmp;

	return s != NULL && inet_pton(AF_INET, s, a ? a : &tmp) > 0;
}

static bool
other_pton6(const char *s)
{
	struct in6_addr tmp;

	return s != NULL && inet_pton(AF_INET6, s, &tmp) > 0;
}

static bool
other_name_ok(struct conf_ctx *c, char *s)
{
	return conf_canonicalise(c, s) != NULL;
}

/*
 * dnsmasq's parse_hex() as a test: the text is cut at ':' '-' and ' ';
 * each piece is hex digits or a lone '*'.
 */
static bool
other_hex_ok(const char *s)
{
	const char *p, *start = s;
	bool star = false, other = false;

	for (p = s;; p++) {
		if (*p == '\0' || *p == ':' || *p == '-' || *p == ' ') {
			if (star && (other || p - start != 1))
				return false;
			if (*p == '\0')
				return true;
			start = p + 1;
			star = other = false;
		} else if (*p == '*')
			star = true;
		else if (isxdigit((unsigned char)*p))
			other = true;
		else
			return false;
	}
}



/* --- options taking anything -------------------------------------------- */

/*
 * Values dnsmasq stores without a check: file and directory names
 * (servers-file, hostsdir, dnssec-timestamp), user names and client ids
 * (dhcp-scriptuser, add-cpe-id), bus names (enable-dbus, enable-ubus),
 * interface lists (no-dhcpv6-interface), tag lists (bootp-dynamic,
 * dhcp-ignore-names, dhcp-generate-names), auth-soa's numbers (read with
 * plain atoi) and auth-sec-servers' names.
 */
static int
other_accept(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	return other_record(c, kw, other_raw(c, arg));
}

int
conf_other_path(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	return other_accept(c, kw, arg);
}

int
conf_other_string(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	return other_accept(c, kw, arg);
}

int
conf_other_any(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	return other_accept(c, kw, arg);
}

int
conf_other_ifnames(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	return other_accept(c, kw, arg);
}

int
conf_other_tag_list(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	return other_accept(c, kw, arg);
}

int
conf_other_auth_soa(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	return other_accept(c, kw, arg);
}

int
conf_other_auth_sec_servers(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	return other_accept(c, kw, arg);
}

/*
 * conf-script=COMMAND: dnsmasq runs the command through popen() and reads
 * its output as configuration, even with --test.  pxemasq runs nothing
 * while reading its configuration; the option is recorded (and refused at
 * start-up).  An empty value is a no-op in dnsmasq and is not recorded.
 */
int
conf_other_conf_script(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	if (arg == NULL || *arg == '\0')
		return 0;
	return other_accept(c, kw, arg);
}

/* dhcp-luascript: Debian's dnsmasq is built without Lua. */
int
conf_other_luascript(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	(void)arg;
	return conf_err(c,
	    "recompile with HAVE_LUASCRIPT defined to enable Lua scripts");
}

/* --- numbers ------------------------------------------------------------ */

/* local-ttl, neg-ttl, max-ttl, min-cache-ttl, max-cache-ttl, auth-ttl,
 * dhcp-ttl: an atoi_check() number. */
int
conf_other_ttl(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg);
	int v;

	if (!other_atoi(arg, &v))
		return conf_gen_err(c);
	return other_record(c, kw, raw);
}

/* query-port, min-port, max-port: 0..65535 after atoi's wrap. */
int
conf_other_port(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg);
	int v;

	if (!other_atoi16(arg, &v))
		return conf_gen_err(c);
	return other_record(c, kw, raw);
}

/* edns-packet-max, dns-forward-max: any number; port-limit and
 * max-tcp-connections: at least 1. */
int
conf_other_int(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg);
	int v;

	if (!other_atoi(arg, &v))
		return conf_gen_err(c);
	if ((kw->id == CONF_KW_PORT_LIMIT ||
	    kw->id == CONF_KW_MAX_TCP_CONNECTIONS) && v < 1)
		return conf_gen_err(c);
	return other_record(c, kw, raw);
}

/* log-async[=N] */
int
conf_other_log_async(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg);
	int v;

	if (arg != NULL && !other_atoi(arg, &v))
		return conf_gen_err(c);
	return other_record(c, kw, raw);
}

/* use-stale-cache[=SECONDS]: not negative (after atoi's wrap). */
int
conf_other_use_stale_cache(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg);
	int v;

	if (arg != NULL && (!other_atoi(arg, &v) || v < 0))
		return conf_gen_err(c);
	return other_record(c, kw, raw);
}

/* fast-dns-retry[=MS[,TIMEOUT-MS]]: the first at least 50. */
int
conf_other_fast_dns_retry(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma;
	int v;

	if (arg != NULL) {
		comma = conf_split(arg);
		if (!other_atoi(arg, &v) || v < 50)
			return conf_gen_err(c);
		if (comma != NULL && !other_atoi(comma, &v))
			return conf_gen_err(c);
	}
	return other_record(c, kw, raw);
}

/* dhcp-alternate-port[=SERVER[,CLIENT]] */
int
conf_other_alternate_port(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma;
	int v;

	if (arg != NULL) {
		comma = conf_split(arg);
		if (!other_atoi16(arg, &v) ||
		    (comma != NULL && !other_atoi16(comma, &v)))
			return conf_err(c, "invalid port number");
	}
	return other_record(c, kw, raw);
}

/* dnssec-limits=N[,N...]: the first four are numbers; more are ignored. */
int
conf_other_dnssec_limits(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma;
	int lim, v;

	for (lim = 0; arg != NULL && lim < 4; lim++, arg = comma) {
		comma = conf_split(arg);
		if (!other_atoi(arg, &v))
			return conf_gen_err(c);
	}
	return other_record(c, kw, raw);
}

/* --- keywords ----------------------------------------------------------- */

/* add-mac[=base64|text] */
int
conf_other_add_mac(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg);

	if (arg != NULL) {
		conf_unhide(arg);
		if (strcmp(arg, "base64") != 0 && strcmp(arg, "text") != 0)
			return conf_gen_err(c);
	}
	return other_record(c, kw, raw);
}

/* dnssec-check-unsigned[=no] */
int
conf_other_dnssec_check(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg);

	if (arg != NULL && strcmp(arg, "no") != 0)
		return conf_err(c, "bad value for dnssec-check-unsigned");
	return other_record(c, kw, raw);
}

/* connmark-allowlist-enable[=MASK]: MASK 1..2^32-1. */
int
conf_other_connmark_enable(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg);
	uint32_t mask;

	if (arg != NULL && (!other_strtoul(arg, &mask) || mask < 1))
		return conf_gen_err(c);
	return other_record(c, kw, raw);
}

/*
 * umbrella[=deviceid:HEX16,orgid:N,assetid:N].  dnsmasq looks for each
 * keyword anywhere in the item (strstr) but then skips the keyword's
 * length from the item's start; we do the same.
 */
int
conf_other_umbrella(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg), *comma, *p;
	uint32_t v;

	for (; arg != NULL; arg = comma) {
		comma = conf_split(arg);
		if (strstr(arg, "deviceid:") != NULL) {
			arg += 9;
			if (strlen(arg) != 16)
				return conf_gen_err(c);
			for (p = arg; *p; p++)
				if (!isxdigit((unsigned char)*p))
					return conf_gen_err(c);
		} else if (strstr(arg, "orgid:") != NULL) {
			if (!other_strtoul(arg + 6, &v))
				return conf_gen_err(c);
		} else if (strstr(arg, "assetid:") != NULL) {
			if (!other_strtoul(arg + 8, &v))
				return conf_gen_err(c);
		} else
			return conf_gen_err(c);
	}
	return other_record(c, kw, raw);
}

/* filter-A, filter-AAAA (no value) and filter-rr's types: kept typed in
 * cf->dns, in reading order. */
static void
other_filter_add(struct conf_ctx *c, int type)
{
	struct conf_dns_rrtype *t = conf_alloc(c, sizeof(*t)), **tail;

	t->type = type;
	for (tail = &c->cf->dns->filter_rr; *tail != NULL;
	    tail = &(*tail)->next)
		;
	*tail = t;
}

int
conf_other_filter_addr(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	(void)arg;
	other_filter_add(c, kw->id == CONF_KW_FILTER_A ? 1 : 28);
	return 0;
}

/* filter-rr, cache-rr: a list of RR types, by number or by name. */
int
conf_other_rr_types(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg), *comma;
	int v;

	for (; arg != NULL; arg = comma) {
		comma = conf_split(arg);
		if (!other_atoi(arg, &v) &&
		    (v = dnsname_rrtype_number(arg)) == 0)
			return conf_err(c, "bad RR type");
		if (kw->id == CONF_KW_FILTER_RR)
			other_filter_add(c, v);
	}
	if (kw->id == CONF_KW_FILTER_RR)
		return 0;
	return other_record(c, kw, raw);
}

/* --- addresses ---------------------------------------------------------- */

/* bogus-nxdomain, ignore-address: ADDR[/PREFIX], IPv4 or IPv6; kept
 * typed in cf->dns (and as written, for the dump). */
static int
other_bogus(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dns_netmatch *nm, **tail;
	char *prefstr;
	int prefix = 0;
	bool is6;

	conf_unhide(arg);
	if ((prefstr = conf_split_chr(arg, '/')) != NULL &&
	    !other_atoi(prefstr, &prefix))
		return conf_gen_err(c);
	if (other_pton6(arg))
		is6 = true;
	else if (other_pton4(arg, NULL))
		is6 = false;
	else
		return conf_gen_err(c);
	if (prefstr == NULL)
		prefix = is6 ? 128 : 32;
	if (prefix > 128 || (!is6 && prefix > 32))
		return conf_gen_err(c);
	nm = conf_alloc(c, sizeof(*nm));
	nm->src = c->src;
	nm->family = is6 ? AF_INET6 : AF_INET;
	(void)inet_pton(nm->family, arg, nm->addr);
	/* a wrapped atoi() prefix (negative) compares the whole address */
	nm->prefix = prefix < 0 ? (is6 ? 128u : 32u) : (unsigned)prefix;
	tail = kw->id == CONF_KW_BOGUS_NXDOMAIN ? &c->cf->dns->bogus_nx :
	    &c->cf->dns->ignore_addrs;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = nm;
	return 0;
}

/* dhcp-proxy[=ADDR,...]: IPv4 addresses, checked as written. */
static int
other_proxy(struct conf_ctx *c, char *arg)
{
	char *comma;

	for (; arg != NULL; arg = comma) {
		comma = conf_split(arg);
		if (!other_pton4(arg, NULL))
			return conf_err(c, "bad dhcp-proxy address");
	}
	return 0;
}

int
conf_other_addr_list(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg);
	int rc;

	if (kw->id == CONF_KW_DHCP_PROXY)
		rc = other_proxy(c, arg);
	else if (arg == NULL)
		rc = conf_gen_err(c);
	else
		return other_bogus(c, kw, arg);	/* typed in cf->dns */
	if (rc < 0)
		return rc;
	return other_record(c, kw, raw);
}

/* auth-peer=ADDR[,ADDR...] */
int
conf_other_auth_peer(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg), *comma;

	do {
		comma = conf_split(arg);
		conf_unhide(arg);
		if (!other_pton4(arg, NULL) && !other_pton6(arg))
			return conf_gen_err(c);
		arg = comma;
	} while (arg != NULL);
	return other_record(c, kw, raw);
}

/* add-subnet[=[ADDR/]LEN[,[ADDR/]LEN]] for IPv4 and IPv6 queries. */
static int
other_subnet(struct conf_ctx *c, char *s)
{
	char *len;
	int v;

	if ((len = conf_split_chr(s, '/')) != NULL) {
		if (!other_pton4(s, NULL) && !other_pton6(s))
			return conf_err(c, "bad address");
		if (!other_atoi(len, &v))
			return conf_gen_err(c);
	} else if (!other_atoi(s, &v))
		return conf_gen_err(c);
	return 0;
}

int
conf_other_add_subnet(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma;

	if (arg != NULL) {
		comma = conf_split(arg);
		if (other_subnet(c, arg) < 0 ||
		    (comma != NULL && other_subnet(c, comma) < 0))
			return -1;
	}
	return other_record(c, kw, raw);
}

/*
 * alias=[OLD|START-END],NEW[,MASK].  The first field is checked as
 * written (quoted dots stay hidden), the others after unhiding; a range
 * must lie in one MASK subnet (default /32) and run upwards.
 */
int
conf_other_alias(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg), *a[3] = { arg, NULL, NULL }, *dash;
	struct in_addr in, out, end, mask = { .s_addr = 0xffffffff };
	int k;

	for (k = 1; k < 3; k++) {
		if ((a[k] = conf_split(a[k - 1])) == NULL)
			break;
		conf_unhide(a[k]);
	}
	dash = conf_split_chr(a[0], '-');
	if (k < 2 || !other_pton4(a[0], &in) || !other_pton4(a[1], &out) ||
	    (k == 3 && inet_pton(AF_INET, a[2], &mask) != 1))
		return conf_err(c, "missing address in alias");
	if (dash != NULL && (!other_pton4(dash, &end) ||
	    (in.s_addr & mask.s_addr) != (end.s_addr & mask.s_addr) ||
	    ntohl(in.s_addr) > ntohl(end.s_addr)))
		return conf_err(c, "invalid alias range");
	return other_record(c, kw, raw);
}

/* --- DNS records -------------------------------------------------------- */

/* A typed local record, appended in reading order (conf_dns.h). */
static struct conf_dns_rr *
other_rr_new(struct conf_ctx *c, const struct conf_kw *kw, const char *raw,
    enum conf_dns_rr_kind kind, const char *name)
{
	struct conf_dns *d = c->cf->dns;
	struct conf_dns_rr *r = conf_alloc(c, sizeof(*r));

	r->src = c->src;
	r->opt = conf_kw_by_id(kw->id)->name;
	r->raw = raw;
	r->kind = kind;
	r->name = name;
	*d->rrs_tail = r;
	d->rrs_tail = &r->next;
	d->n_rrs++;
	return r;
}

/* mx-host=NAME[,TARGET[,PREF]]: PREF 1 unless given. */
int
conf_other_mx_host(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg), *comma, *pref, *name, *target = NULL;
	struct conf_dns_rr *r;
	int v = 1;

	if ((comma = conf_split(arg)) != NULL) {
		pref = conf_split(comma);
		if (pref != NULL && !other_atoi16(pref, &v))
			return conf_err(c, "bad MX preference");
	}
	if ((name = conf_canonicalise(c, arg)) == NULL ||
	    (comma != NULL && (target = conf_canonicalise(c, comma)) == NULL))
		return conf_err(c, "bad MX name");
	r = other_rr_new(c, kw, raw, CONF_DNS_RR_MX, name);
	r->target = target;
	r->pref = (uint16_t)v;
	return 0;
}

/* mx-target=NAME: the target of MX records written without one. */
int
conf_other_mx_target(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg), *t;

	(void)kw;
	if ((t = conf_canonicalise(c, arg)) == NULL)
		return conf_err(c, "bad MX target");
	c->cf->dns->mx_target = t;
	c->cf->dns->mx_target_raw = raw;
	return 0;
}

/* srv-host=NAME[,TARGET[,PORT[,PRIORITY[,WEIGHT]]]]: port 1, priority and
 * weight 0 unless given; no target: "no such service" (RFC 2782). */
int
conf_other_srv_host(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg), *comma, *name, *target = NULL;
	int port = 1, prio = 0, weight = 0;
	struct conf_dns_rr *r;

	comma = conf_split(arg);
	if ((name = conf_canonicalise(c, arg)) == NULL)
		return conf_err(c, "bad SRV record");
	if ((arg = comma) == NULL)
		goto done;
	comma = conf_split(arg);
	if ((target = conf_canonicalise(c, arg)) == NULL)
		return conf_err(c, "bad SRV target");
	if ((arg = comma) == NULL)
		goto done;
	comma = conf_split(arg);
	if (!other_atoi16(arg, &port))
		return conf_err(c, "invalid port number");
	if ((arg = comma) == NULL)
		goto done;
	comma = conf_split(arg);
	if (!other_atoi16(arg, &prio))
		return conf_err(c, "invalid priority");
	if (comma != NULL && !other_atoi16(comma, &weight))
		return conf_err(c, "invalid weight");
done:
	r = other_rr_new(c, kw, raw, CONF_DNS_RR_SRV, name);
	r->target = target;
	r->port = (uint16_t)port;
	r->prio = (uint16_t)prio;
	r->weight = (uint16_t)weight;
	return 0;
}

/*
 * txt-record=NAME[,TEXT[,TEXT...]]: the text after the name is cut at
 * each unquoted comma into character-strings, and a string reaching 255
 * bytes goes on in the next one (option.c); no text is one empty string.
 */
int
conf_other_txt_record(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *text, *name;
	struct conf_dns_rr *r;
	uint8_t *data, *cnt, *p;
	size_t len;

	text = conf_split(arg);
	if ((name = conf_canonicalise(c, arg)) == NULL)
		return conf_err(c, "bad TXT record");
	len = text != NULL ? strlen(text) : 0;
	data = conf_alloc(c, len + len / 255 + 1);
	cnt = data;
	p = data + 1;
	*cnt = 0;
	for (; text != NULL && *text != '\0'; text++) {
		if (*text == ',' || *cnt == 255) {
			if (*text != ',')
				text--;
			cnt = p++;
			*cnt = 0;
			continue;
		}
		*p++ = (uint8_t)conf_unhide_meta(*text);
		(*cnt)++;
	}
	r = other_rr_new(c, kw, raw, CONF_DNS_RR_TXT, name);
	r->type = 16;
	r->data = data;
	r->len = (uint16_t)(p - data < 0xffff ? p - data : 0xffff);
	return 0;
}

/* ptr-record=NAME[,TARGET] */
int
conf_other_ptr_record(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma, *name, *target = NULL;

	comma = conf_split(arg);
	if ((name = conf_canonicalise(c, arg)) == NULL ||
	    (comma != NULL && (target = conf_canonicalise(c, comma)) == NULL))
		return conf_err(c, "bad PTR record");
	other_rr_new(c, kw, raw, CONF_DNS_RR_PTR, name)->target = target;
	return 0;
}

/* naptr-record=NAME,ORDER,PREF,FLAGS,SERVICE,REGEXP[,REPLACEMENT] */
int
conf_other_naptr_record(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *a[7] = { arg }, *name = NULL;
	char *repl = NULL;
	struct conf_dns_rr *r;
	int k, order = 0, pref = 0;

	for (k = 1; k < 7; k++)
		if ((a[k] = conf_split(a[k - 1])) == NULL)
			break;
	if (k < 6 || (name = conf_canonicalise(c, a[0])) == NULL ||
	    !other_atoi16(a[1], &order) || !other_atoi16(a[2], &pref) ||
	    (k == 7 && (repl = conf_canonicalise(c, a[6])) == NULL))
		return conf_err(c, "bad NAPTR record");
	r = other_rr_new(c, kw, raw, CONF_DNS_RR_NAPTR, name);
	r->pref = (uint16_t)order;
	r->port = (uint16_t)pref;
	/* opt_string_alloc(): unhidden, "" kept as NULL (written empty) */
	r->naptr_flags = conf_strdup(c, a[3]);
	r->naptr_services = conf_strdup(c, a[4]);
	r->naptr_regexp = conf_strdup(c, a[5]);
	r->target = repl;
	return 0;
}

/*
 * dnsmasq's parse_hex() with no length limit, in place: pieces between
 * ':', '-' and ' ' are hex digits read two at a time (an odd last digit
 * is a byte of its own); a lone '*' advances without writing.  Returns
 * the length; the text was checked by other_hex_ok().
 */
/* One piece of n hex digits: two at a time, an odd last one alone. */
static size_t
other_hex_piece(const char *in, size_t n, uint8_t *out, size_t i)
{
	size_t j;

	for (j = 0; j < n; j += 2) {
		char two[3] = { in[j], j + 1 < n ? in[j + 1] : '\0', '\0' };

		out[i++] = (uint8_t)strtol(two, NULL, 16);
	}
	return i;
}

static size_t
other_parse_hex(char *in)
{
	uint8_t *out = (uint8_t *)in;
	size_t i = 0;
	bool done = false;
	char *r;

	while (!done) {
		for (r = in; *r && *r != ':' && *r != '-' && *r != ' '; r++)
			;
		done = *r == '\0';
		*r = '\0';
		if (r != in && strcmp(in, "*") == 0)
			i++;	/* a lone '*': nothing written */
		else if (r != in)
			i = other_hex_piece(in, (size_t)(r - in), out, i);
		in = r + 1;
	}
	return i;
}

/*
 * dns-rr=NAME,RRTYPE[,HEXDATA].  dnsmasq's test for bad hex compares the
 * 64-bit length with a 32-bit -1 and misses, then fails to allocate the
 * "length" and dies with exit status 4; we report the same.
 */
int
conf_other_dns_rr(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg), *comma, *data, *name = NULL;
	struct conf_dns_rr *r;
	size_t len = 0;
	int v;

	comma = conf_split(arg);
	data = conf_split(comma);
	if (!other_atoi(comma, &v) ||
	    (name = conf_canonicalise(c, arg)) == NULL)
		return conf_err(c, "bad RR record");
	if (data != NULL && !other_hex_ok(data))
		return conf_err_code(c, 4, "could not get memory");
	if (data != NULL)
		len = other_parse_hex(data);
	r = other_rr_new(c, kw, raw, CONF_DNS_RR_RAW, name);
	r->type = (uint16_t)v;	/* a short, as dnsmasq stores it */
	if (len > 0) {		/* the line's buffer is not kept */
		uint8_t *copy = conf_alloc(c, len);

		memcpy(copy, data, len);
		r->data = copy;
	}
	r->len = (uint16_t)(len < 0xffff ? len : 0xffff);
	return 0;
}

/* caa-record=NAME,FLAGS,TAG,VALUE: rdata FLAGS (a byte), the tag's length,
 * the tag, the value (RFC 8659). */
int
conf_other_caa_record(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma, *tag, *value, *name = NULL;
	struct conf_dns_rr *r;
	size_t tl, vl;
	uint8_t *d;
	int v;

	comma = conf_split(arg);
	tag = conf_split(comma);
	value = conf_split(tag);
	if (!other_atoi(comma, &v) || tag == NULL || value == NULL ||
	    (name = conf_canonicalise(c, arg)) == NULL)
		return conf_err(c, "bad CAA record");
	conf_unhide(tag);
	conf_unhide(value);
	tl = strlen(tag);
	vl = strlen(value);
	d = conf_alloc(c, tl + vl + 2);
	d[0] = (uint8_t)v;
	d[1] = (uint8_t)tl;
	memcpy(d + 2, tag, tl);
	memcpy(d + 2 + tl, value, vl);
	r = other_rr_new(c, kw, raw, CONF_DNS_RR_RAW, name);
	r->type = 257;
	r->data = d;
	r->len = (uint16_t)(tl + vl + 2 < 0xffff ? tl + vl + 2 : 0xffff);
	return 0;
}

/*
 * interface-name=NAME,IFACE[/4|/6] and
 * dynamic-host=NAME,[IPV4][,IPV6],IFACE: addresses are recognised only
 * before the last field; interface-name may not have one, dynamic-host
 * must, and may not restrict the family.
 */
static int
other_ifname(struct conf_ctx *c, bool dyn, char *arg, struct conf_dns_rr *out)
{
	const char *bad = dyn ? "bad dynamic host" : "bad interface name";
	char *domain = arg, *comma, *fam, *name;
	bool in4 = true, in6 = true, addr = false;

	arg = conf_split(arg);
	while ((comma = conf_split(arg)) != NULL) {
		if (other_pton4(arg, NULL) || other_pton6(arg))
			addr = true;
		else
			break;
		arg = comma;
	}
	if ((fam = conf_split_chr(arg, '/')) != NULL) {
		if (strcmp(fam, "4") == 0)
			in6 = false;
		else if (strcmp(fam, "6") == 0)
			in4 = false;
		else
			return conf_gen_err(c);
	}
	if (dyn) {
		if (!addr)
			return conf_err(c, "missing address in dynamic host");
		if (!in4 || !in6)
			arg = NULL;
	} else if (addr)
		arg = NULL;
	if (arg == NULL || (name = conf_canonicalise(c, domain)) == NULL)
		return conf_err(c, bad);
	out->name = name;
	/* opt_string_alloc(): "" is no interface */
	out->target = conf_strdup(c, arg);
	out->if4 = in4;
	out->if6 = in6;
	return 0;
}

int
conf_other_interface_name(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg);
	struct conf_dns_rr t, *r;

	memset(&t, 0, sizeof(t));
	if (other_ifname(c, false, arg, &t) < 0)
		return -1;
	r = other_rr_new(c, kw, raw, CONF_DNS_RR_IFNAME, t.name);
	r->target = t.target;
	r->if4 = t.if4;
	r->if6 = t.if6;
	return 0;
}

int
conf_other_dynamic_host(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg);
	struct conf_dns_rr t;

	if (other_ifname(c, true, arg, &t) < 0)
		return -1;
	return other_record(c, kw, raw);
}

/* --- server specifications (rev-server) --------------------------------- */

struct other_server {
	int family;		/* AF_INET, AF_INET6, AF_LOCAL for "#" */
	char *source;		/* after '@' */
	char *iface_opt;	/* after a second '@' */
	char *scope;		/* after '%' */
	struct addrinfo *ai;	/* a name's addresses */
};

/* dnsmasq's parse_server(): ADDR|NAME|#[#PORT][%SCOPE][@SRC[#PORT]][@IF]
 * Returns its error message or NULL. */
static const char *
other_parse_server(char *arg, struct other_server *s)
{
	struct addrinfo hints;
	char *port;
	int v, rc;

	memset(s, 0, sizeof(*s));
	if (strcmp(arg, "#") == 0) {
		s->family = AF_LOCAL;
		return NULL;
	}
	if ((s->source = conf_split_chr(arg, '@')) != NULL &&
	    (port = conf_split_chr(s->source, '#')) != NULL &&
	    !other_atoi16(port, &v))
		return "bad port";
	if ((port = conf_split_chr(arg, '#')) != NULL &&
	    !other_atoi16(port, &v))
		return "bad port";
	s->scope = conf_split_chr(arg, '%');
	if (s->source != NULL &&
	    (s->iface_opt = conf_split_chr(s->source, '@')) != NULL)
		s->source = s->iface_opt;
	if (other_pton4(arg, NULL)) {
		s->family = AF_INET;
		return NULL;
	}
	if (other_pton6(arg)) {
		s->family = AF_INET6;
		return NULL;
	}
	/* A name: dnsmasq resolves it now, with these hints. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_ADDRCONFIG | AI_IDN;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((rc = getaddrinfo(arg, NULL, &hints, &s->ai)) == 0)
		return NULL;
	s->ai = NULL;
	if (rc == EAI_AGAIN)
		return "Cannot resolve server name";
	return gai_strerror(rc);
}

/* dnsmasq's parse_server_addr() checks for one address family. */
static const char *
other_server_addr(const struct other_server *s, int family)
{
	bool named = s->ai != NULL;

	if (family == AF_LOCAL)
		return NULL;
	if (family != AF_INET && family != AF_INET6)
		return "bad address";
	if (family == AF_INET6 && s->scope != NULL &&
	    if_nametoindex(s->scope) == 0)
		return "bad interface name";
	if (s->source == NULL)
		return NULL;
	if (family == AF_INET && !other_pton4(s->source, NULL)) {
		if (other_pton6(s->source))
			return named ? NULL : "cannot use IPv4 server address "
			    "with IPv6 source address";
		if (s->iface_opt != NULL)
			return "interface can only be specified once";
	}
	if (family == AF_INET6 && !other_pton6(s->source)) {
		if (other_pton4(s->source, NULL))
			return named ? NULL : "cannot use IPv6 server address "
			    "with IPv4 source address";
		if (s->iface_opt != NULL)
			return "interface can only be specified once";
	}
	return NULL;
}

static const char *
other_server_addrs(const struct other_server *s)
{
	const struct addrinfo *ai;
	const char *err;

	if (s->ai == NULL)
		return other_server_addr(s, s->family);
	for (ai = s->ai; ai != NULL; ai = ai->ai_next)
		if ((err = other_server_addr(s, ai->ai_family)) != NULL)
			return err;
	return NULL;
}

/*
 * option.c domain_rev4() / domain_rev6(): the reverse domains that cover
 * ADDR/SIZE (host bits cleared): one per whole-octet (nibble) prefix, or
 * 2^(8 - SIZE % 8) (2^(4 - SIZE % 4)) of them, each "/D" appended to out.
 */
static void
other_rev_domains(const char *addr, int size, char *out, size_t outsz)
{
	uint8_t a[16];
	bool v6 = strchr(addr, ':') != NULL;
	int bits = v6 ? 128 : 32, unit = v6 ? 4 : 8;
	int rem = size % unit, count = rem ? 1 << (unit - rem) : 1;
	int top = size - rem, i, j, k;
	size_t n = strlen(out);

	(void)inet_pton(v6 ? AF_INET6 : AF_INET, addr, a);
	for (k = size; k < bits; k++)	/* clear the host bits */
		a[k / 8] &= (uint8_t)~(0x80u >> (k % 8));
	for (i = 0; i < count; i++) {
		int digits = top / unit;

		n += (size_t)snprintf(out + n, outsz - n, "/");
		for (j = rem ? digits : digits - 1; j >= 0 && n < outsz; j--) {
			int dig = v6 ? (j & 1 ? a[j >> 1] & 15 : a[j >> 1] >> 4) :
			    a[j];

			if (j == digits)
				dig += i;
			n += (size_t)snprintf(out + n, outsz - n,
			    v6 ? "%x." : "%d.", dig);
		}
		if (n < outsz)
			n += (size_t)snprintf(out + n, outsz - n, "%s",
			    v6 ? "ip6.arpa" : "in-addr.arpa");
	}
}

/* rev-server is server=/DOMAIN.../SERVER (or, without a server, local=)
 * for the reverse domains of the prefix: kept as such server lines. */
static int
other_rev_server_line(struct conf_ctx *c, const char *addr, int size,
    const char *server)
{
	/* at most 16 domains of 73 bytes, the server text, slashes */
	size_t cap = 16 * 80 + (server ? strlen(server) : 0) + 4;
	char *line = conf_alloc(c, cap);

	other_rev_domains(addr, size, line, cap);
	snprintf(line + strlen(line), cap - strlen(line), "/%s",
	    server != NULL ? server : "");
	return conf_dns_server(c, conf_kw_by_id(CONF_KW_SERVER), line);
}

/*
 * rev-server=ADDR[/PREFIX][,SERVER]: the whole value is unhidden first; a
 * prefix that is not a number counts as absent (a full-length prefix);
 * the server is parsed before the prefix length is checked and its
 * addresses after.
 */
int
conf_other_rev_server(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *server, *pstr, *srvtext;
	struct other_server s = { 0 };
	const char *err = NULL;
	int size = -1, max;

	conf_unhide(arg);
	server = conf_split(arg);
	if ((pstr = conf_split_chr(arg, '/')) == NULL ||
	    !other_atoi(pstr, &size))
		size = -1;
	if (other_pton4(arg, NULL))
		max = 32;
	else if (other_pton6(arg))
		max = 128;
	else
		return conf_gen_err(c);
	if (size == -1)
		size = max;
	srvtext = server != NULL ? other_raw(c, server) : NULL;
	if (server != NULL && (err = other_parse_server(server, &s)) != NULL)
		return conf_err(c, err);
	if (size > max || size < 1)
		err = max == 32 ? "bad IPv4 prefix length" :
		    "bad IPv6 prefix length";
	else if (server != NULL)
		err = other_server_addrs(&s);
	if (s.ai != NULL)
		freeaddrinfo(s.ai);
	if (err != NULL)
		return conf_err(c, err);
	(void)kw;
	return other_rev_server_line(c, arg, size, srvtext);
}

/* --- DHCP --------------------------------------------------------------- */

/* dhcp-circuitid, dhcp-remoteid, dhcp-subscrid: [set:]TAG,VALUE (no
 * enterprise number, which only dhcp-vendorclass takes). */
int
conf_other_dhcp_vendorclass(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma;

	if ((comma = conf_split(arg)) == NULL || conf_split(comma) != NULL)
		return conf_gen_err(c);
	return other_record(c, kw, raw);
}

/* dhcp-name-match=[set:]TAG,NAME[*]: the name may not be empty. */
int
conf_other_dhcp_name_match(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma;

	if ((comma = conf_split(arg)) == NULL || *comma == '\0')
		return conf_gen_err(c);
	return other_record(c, kw, raw);
}

/* bridge-interface=IFACE,ALIAS[,ALIAS...]: IFACE at most 15 bytes. */
int
conf_other_bridge_interface(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg);

	if (conf_split(arg) == NULL || strlen(arg) > OTHER_IFNAMSIZ - 1)
		return conf_err(c, "bad bridge-interface");
	return other_record(c, kw, raw);
}

/*
 * shared-network=IFACE|ADDR,ADDR: the second address sets the family;
 * the first field is an address of that family or the name of an
 * interface that exists now (dnsmasq asks if_nametoindex()).
 */
int
conf_other_shared_network(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma;
	bool ok = false;

	if ((comma = conf_split(arg)) != NULL) {
		if (other_pton4(comma, NULL))
			ok = other_pton4(arg, NULL) || if_nametoindex(arg) != 0;
		else if (other_pton6(comma))
			ok = other_pton6(arg) || if_nametoindex(arg) != 0;
	}
	if (!ok)
		return conf_err(c, "bad shared-network");
	return other_record(c, kw, raw);
}

/*
 * dhcp-relay=LOCAL,SERVER[#PORT][,IFACE]: with an IPv4 or IPv6 local
 * address, a server that is not an address is taken as the interface,
 * unless a third field is given or it contains '*'.  A first field that
 * is no address is accepted as it is (dnsmasq makes nothing of it).
 */
int
conf_other_dhcp_relay(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *two, *three;
	bool v4;

	two = conf_split(arg);
	three = conf_split(two);
	v4 = other_pton4(arg, NULL);
	if (two != NULL && (v4 || other_pton6(arg))) {
		conf_split_chr(two, '#');
		if (!(v4 ? other_pton4(two, NULL) : other_pton6(two)) &&
		    (three != NULL || strchr(two, '*') != NULL))
			two = NULL;
	}
	if (two == NULL)
		return conf_err(c, "Bad dhcp-relay");
	return other_record(c, kw, raw);
}

/*
 * ra-param=IFACE[,mtu:MTU|IFACE|off][,high|low],INTERVAL[,LIFETIME]:
 * without a second field dnsmasq does nothing with it.
 */
static bool
other_ra_ok(char *comma)
{
	char *arg;
	int v;

	if (strncasecmp(comma, "mtu:", 4) == 0) {
		arg = comma + 4;
		if ((comma = conf_split(comma)) == NULL)
			return false;
		if (strcasecmp(arg, "off") != 0 && other_atoi(arg, &v) &&
		    v < 1280)
			return false;
	}
	if (strncasecmp(comma, "high", 4) == 0 ||
	    strncasecmp(comma, "low", 3) == 0)
		comma = conf_split(comma);
	arg = conf_split(comma);
	return other_atoi(comma, &v) && (arg == NULL || other_atoi(arg, &v));
}

int
conf_other_ra_param(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg), *comma;

	if ((comma = conf_split(arg)) != NULL && !other_ra_ok(comma))
		return conf_err(c, "bad RA-params");
	return other_record(c, kw, raw);
}

/*
 * dhcp-duid=ENTERPRISE,HEX.  dnsmasq does not check the hex and crashes
 * on a bad digit (it copies -1 bytes); pxemasq reports "bad DUID".
 */
int
conf_other_dhcp_duid(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma;
	int v;

	if ((comma = conf_split(arg)) == NULL || !other_atoi(arg, &v) ||
	    !other_hex_ok(comma))
		return conf_err(c, "bad DUID");
	return other_record(c, kw, raw);
}

/* --- authoritative DNS -------------------------------------------------- */

/* auth-server=NAME[,IFACE[/4|/6]|ADDR...] */
int
conf_other_auth_server(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma, *fam;

	comma = conf_split(arg);
	while ((arg = comma) != NULL) {
		comma = conf_split(arg);
		conf_unhide(arg);
		if (other_pton4(arg, NULL) || other_pton6(arg))
			continue;
		fam = conf_split_chr(arg, '/');
		if (fam != NULL && strcmp(fam, "4") != 0 &&
		    strcmp(fam, "6") != 0)
			return conf_gen_err(c);
	}
	return other_record(c, kw, raw);
}

/* auth-zone=DOMAIN[,[exclude:]SUBNET[/LEN]|IFACE[/4|/6]...] */
int
conf_other_auth_zone(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma, *prefix;
	int len;

	comma = conf_split(arg);
	if (!other_name_ok(c, arg))
		return conf_err(c, "invalid auth-zone");
	while ((arg = comma) != NULL) {
		len = 0;
		comma = conf_split(arg);
		prefix = conf_split_chr(arg, '/');
		if (prefix != NULL && !other_atoi(prefix, &len))
			return conf_gen_err(c);
		if (conf_has_prefix(arg, "exclude:"))
			arg += 8;
		if (other_pton4(arg, NULL) || other_pton6(arg))
			continue;
		if (prefix != NULL && len != 4 && len != 6)
			return conf_gen_err(c);
	}
	return other_record(c, kw, raw);
}

/*
 * synth-domain=DOMAIN,START[,END][,PREFIX] or DOMAIN,ADDR/LEN[,PREFIX].
 * PREFIX is a name short enough to hold an address in one label; one
 * ending in '*' numbers the addresses, which IPv6 allows only for a
 * subnet of /64 or longer (never for a START,END range).
 */
static const char *
other_synth(struct conf_ctx *c, char *comma)
{
	char *net, *arg, *prefix = NULL, *pstr;
	bool is6;
	int len = 0;

	conf_unhide(comma);
	if ((net = conf_split_chr(comma, '/')) != NULL) {
		arg = conf_split(net);
		if (!other_atoi(net, &len))
			return "error";
		if (other_pton4(comma, NULL))
			is6 = false;
		else if (other_pton6(comma))
			is6 = true;
		else
			return "error";
		if (len > (is6 ? 128 : 32))
			return "bad prefix length";
		if (arg != NULL &&
		    ((prefix = conf_canonicalise(c, arg)) == NULL ||
		    strlen(prefix) > OTHER_MAXLABEL -
		    (is6 ? INET6_ADDRSTRLEN : INET_ADDRSTRLEN)))
			return "bad prefix";
	} else {
		arg = conf_split(comma);
		pstr = conf_split(arg);
		if (other_pton4(comma, NULL))
			is6 = false;
		else if (other_pton6(comma))
			is6 = true;
		else
			return "error";
		if (arg != NULL && !(is6 ? other_pton6(arg) :
		    other_pton4(arg, NULL)))
			return "error";
		if (pstr != NULL && ((prefix = conf_canonicalise(c, pstr)) ==
		    NULL || strlen(prefix) > OTHER_MAXLABEL - INET_ADDRSTRLEN))
			return "bad prefix";
	}
	if (prefix != NULL && *prefix != '\0' &&
	    prefix[strlen(prefix) - 1] == '*' && is6 && len < 64)
		return "prefix length too small";
	return NULL;
}

int
conf_other_synth_domain(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma;
	const char *err;

	comma = conf_split(arg);
	if (!other_name_ok(c, arg) || comma == NULL)
		return conf_gen_err(c);
	if ((err = other_synth(c, comma)) != NULL)
		return strcmp(err, "error") == 0 ? conf_gen_err(c) :
		    conf_err(c, err);
	return other_record(c, kw, raw);
}

/* --- DNSSEC ------------------------------------------------------------- */

/* trust-anchor=DOMAIN[,CLASS],KEYTAG,ALGORITHM,DIGESTTYPE,DIGEST */
int
conf_other_trust_anchor(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg), *comma, *algo = NULL, *digest = NULL;
	char *hex = NULL, *p, *q;
	int v;

	if ((comma = conf_split(arg)) != NULL &&
	    (algo = conf_split(comma)) != NULL &&
	    (strcmp(comma, "IN") == 0 || strcmp(comma, "CH") == 0 ||
	    strcmp(comma, "HS") == 0)) {
		comma = algo;
		algo = conf_split(comma);
	}
	if (comma == NULL || algo == NULL ||
	    (digest = conf_split(algo)) == NULL ||
	    (hex = conf_split(digest)) == NULL ||
	    !other_atoi16(comma, &v) || !other_atoi8(algo, &v) ||
	    !other_atoi8(digest, &v) || !other_name_ok(c, arg))
		return conf_err(c, "bad trust anchor");
	/* RFC 4034 5.3: white space is allowed within the digest. */
	conf_unhide(hex);
	for (p = q = hex; *p; p++)
		if (!isspace((unsigned char)*p))
			*q++ = *p;
	*q = '\0';
	if (!other_hex_ok(hex))
		return conf_err(c, "bad HEX in trust anchor");
	return other_record(c, kw, raw);
}

/* --- ipset, nftset, conntrack ------------------------------------------- */

/* ipset=/DOMAIN[/DOMAIN...]/SET[,SET...] (nftset likewise, with
 * [FAMILY#]TABLE#SET); "#" or an empty domain matches everything. */
int
conf_other_ipset(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *raw = other_raw(c, arg), *end;

	conf_unhide(arg);
	if (*arg == '/') {
		arg++;
		while ((end = conf_split_chr(arg, '/')) != NULL) {
			while (*arg == '.')
				arg++;
			if (strcmp(arg, "#") != 0 && *arg != '\0' &&
			    !other_name_ok(c, arg))
				return conf_gen_err(c);
			arg = end;
		}
	}
	if (*arg == '\0')
		return conf_gen_err(c);
	/* An empty nftset name makes dnsmasq dereference NULL (it looks
	 * for '#' in it) and crash; pxemasq reports the generic error. */
	for (; kw->id == CONF_KW_NFTSET && arg != NULL; arg = end) {
		end = conf_split(arg);
		if (*arg == '\0')
			return conf_gen_err(c);
	}
	return other_record(c, kw, raw);
}

int
conf_other_nftset(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	return conf_other_ipset(c, kw, arg);
}

/*
 * A DNS name pattern as dnsmasq's is_valid_dns_name_pattern(): LDH
 * labels of 1..63 bytes (wildcards '*' not counted, at most two a label)
 * not starting or ending with '-', at least two labels, the last two
 * without wildcards, the last not all digits nor "local", 253 bytes at
 * most.
 */
static bool
other_dns_pattern_ok(const char *v)
{
	const char *p, *label = NULL;
	size_t bytes = 0, labels = 0, stars = 0, len;
	bool numeric = true, prev_star = true;

	for (p = v;; p++) {
		if (*p && *p != '*' && *p != '-' && *p != '.' &&
		    !other_is_digit(*p) && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= 'a' && *p <= 'z'))
			return false;
		if (*p && *p != '*')
			bytes++;
		if (label == NULL) {
			if (!*p || *p == '.' || *p == '-')
				return false;
			label = p;
		}
		if (*p && *p != '.') {
			if (!other_is_digit(*p))
				numeric = false;
			if (*p == '*' && stars++ >= 2)
				return false;
			continue;
		}
		if (p[-1] == '-')
			return false;
		len = (size_t)(p - label) - stars;
		if (len > 63)
			return false;
		labels++;
		if (!*p)
			return labels >= 2 && stars == 0 && !prev_star &&
			    !numeric && !(len == 5 &&
			    strncasecmp(label, "local", 5) == 0) &&
			    bytes >= 1 && bytes <= 253;
		label = NULL;
		numeric = true;
		prev_star = stars != 0;
		stars = 0;
	}
}

struct other_cmark {
	uint32_t mark, mask;
	bool listed;		/* has patterns: dnsmasq keeps it */
};

/*
 * connmark-allowlist=MARK[/MASK][,PATTERN[/PATTERN...]]: the digits are
 * checked first, then the patterns, then the numbers' ranges.  Without
 * patterns dnsmasq stops after the digit check and keeps nothing.
 * Returns false on any error (dnsmasq's generic one).
 */
static bool
other_cmark_parse(char *arg, struct other_cmark *cm)
{
	char *p = arg, *m = NULL, *sep, *end;
	unsigned n = 0;

	conf_unhide(arg);
	cm->mask = UINT32_MAX;
	cm->listed = false;
	if (!other_is_digit(*p))
		return false;
	for (; *p && *p != ','; p++) {
		if (*p == '/') {
			if (m != NULL)
				return false;
			*p = '\0';
			m = ++p;
		}
		if (!other_is_digit(*p))
			return false;
	}
	if (*(sep = p) == '\0')
		return true;
	while (p != NULL && *p) {
		if ((end = strchr(++p, '/')) != NULL)
			*end = '\0';
		if (strcmp(p, "*") != 0 && !other_dns_pattern_ok(p))
			return false;
		if (end != NULL)
			*end = '/';
		if (n++ >= UINT16_MAX - 1)
			return false;
		p = end;
	}
	*sep = '\0';
	if (!other_strtoul(arg, &cm->mark) || cm->mark < 1)
		return false;
	if (m != NULL && (!other_strtoul(m, &cm->mask) || cm->mask < 1 ||
	    (cm->mark & ~cm->mask) != 0))
		return false;
	cm->listed = true;
	return true;
}

/* The same MARK/MASK may not be given twice (with patterns). */
int
conf_other_connmark_allowlist(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *raw = other_raw(c, arg);
	struct other_cmark cm, old;
	const struct conf_unsup *u;

	if (!other_cmark_parse(arg, &cm))
		return conf_gen_err(c);
	for (u = c->cf->unsup_head; cm.listed && u != NULL; u = u->next) {
		if (strcmp(u->name, kw->name) != 0 || u->value == NULL)
			continue;
		if (other_cmark_parse(other_raw(c, u->value), &old) &&
		    old.listed && old.mark == cm.mark && old.mask == cm.mask)
			return conf_gen_err(c);
	}
	return other_record(c, kw, raw);
}

/* --- checks after reading ----------------------------------------------- */

/*
 * dnsmasq completes MX records with the host name once everything is
 * read (localmx, mx-host, mx-target) and stops if it cannot get it.
 */
int
conf_other_finish(struct conf_ctx *c)
{
	const struct conf_unsup *u;
	char host[1025];
	bool mx = conf_flag(c->cf, CONF_KW_LOCALMX);

	for (u = c->cf->unsup_head; u != NULL && !mx; u = u->next)
		if (strcmp(u->name, "mx-host") == 0 ||
		    strcmp(u->name, "mx-target") == 0)
			mx = true;
	if (mx && gethostname(host, sizeof(host)) == -1)
		return conf_err_code(c, 5, "cannot get host-name: %s",
		    strerror(errno));
	return 0;
}
