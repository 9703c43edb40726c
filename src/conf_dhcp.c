/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_dhcp.c - DHCPv4 options other than dhcp-option/dhcp-match:
 * dhcp-range, dhcp-host, dhcp-boot, domain, dhcp-vendorclass,
 * dhcp-userclass, dhcp-mac, tag-if, dhcp-ignore, dhcp-broadcast,
 * dhcp-leasefile, dhcp-lease-max, dhcp-script, dhcp-reply-delay and the
 * dhcp-hostsfile/-optsfile/-hostsdir/-optsdir paths.
 *
 * What is accepted and which message a mistake gets is dnsmasq 2.90's
 * (option.c one_opt(), checked against `dnsmasq --test`).  Values arrive
 * lexed: quoted characters are hidden as control bytes, so every test
 * dnsmasq makes on the raw text (is there a ':', is it all digits, is it
 * "infinite") is made here on the raw text too, and text is unhidden
 * only where dnsmasq unhides it.
 */
#include "conf_dhcp.h"
#include "conf_int.h"
#include "dnsname.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DHCP_MAXDNAME 1025	/* dnsmasq MAXDNAME: longest name text */

static struct conf_dhcp *
dhcp_of(struct conf_ctx *c)
{
	return c->cf->dhcp;
}

/* --- numbers and times -------------------------------------------------- */

/*
 * dnsmasq reads numbers with atoi(): leading white space, a sign, digits;
 * glibc computes a saturated long and cuts it to int.  Lease times are
 * then multiplied in int and stored unsigned, so large values wrap; the
 * wrap is reproduced so that printing and re-reading agree.
 */
static int
dhcp_atoi(const char *s)
{
	unsigned long long v = 0;
	bool neg = false, sat = false;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (sat || v > ((unsigned long long)LONG_MAX - d) / 10)
			sat = true;
		else
			v = v * 10 + d;
	}
	if (sat)
		v = neg ? (unsigned long long)LONG_MAX + 1 :
		    (unsigned long long)LONG_MAX;
	else if (neg)
		v = 0 - v;
	return (int)(uint32_t)v;
}

/* Seconds per unit for a time suffix (s m h d w, either case), else 0. */
static uint32_t
dhcp_time_unit(char ch)
{
	switch (ch) {
	case 'w': case 'W': return 7 * 24 * 3600;
	case 'd': case 'D': return 24 * 3600;
	case 'h': case 'H': return 3600;
	case 'm': case 'M': return 60;
	case 's': case 'S': return 1;
	default: return 0;
	}
}

/* Leases of a minute or less confuse some clients: dnsmasq raises them. */
static uint32_t
dhcp_lease_clamp(int n, uint32_t unit)
{
	uint32_t v = (uint32_t)n * unit;

	return v < CONF_DHCP_LEASE_MIN ? CONF_DHCP_LEASE_MIN : v;
}

/* Prints a lease time so that it reads back as the same value. */
static void
dhcp_print_lease(FILE *out, uint32_t lease)
{
	if (lease == CONF_DHCP_LEASE_INFINITE)
		fputs("infinite", out);
	else
		fprintf(out, "%u", (unsigned)lease);
}

/* --- hex strings --------------------------------------------------------- */

/* strtol(s, NULL, 16) cut to int, as dnsmasq reads a hardware type. */
static int
dhcp_atoi_hex(const char *s)
{
	unsigned long long v = 0;

	for (; isxdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(isdigit((unsigned char)*s) ? *s - '0' :
		    tolower((unsigned char)*s) - 'a' + 10);

		if (v > ((unsigned long long)LONG_MAX - d) / 16) {
			v = LONG_MAX;
			break;
		}
		v = v * 16 + d;
	}
	return (int)(uint32_t)v;
}

/*
 * dnsmasq's parse_hex(): groups of hex digits separated by ':', '-' or
 * ' '; each group gives (len+1)/2 bytes; a group "*" is a wildcard byte;
 * with want_type, a first group followed by '-' is the hardware type.
 * Reading stops after max bytes (max < 0: no limit) without looking at
 * the rest.  in is modified.  Returns the byte count, or -1.
 */
static int
dhcp_parse_hex(char *in, uint8_t *out, int max, uint32_t *wild, int *type)
{
	bool done = false, want_type = type != NULL;
	int n = 0;

	if (wild != NULL)
		*wild = 0;
	if (type != NULL)
		*type = 0;
	while (!done && (max < 0 || n < max)) {
		char *r, save;
		size_t len, j, nbytes;

		for (r = in; *r && *r != ':' && *r != '-' && *r != ' '; r++)
			if (*r != '*' && !isxdigit((unsigned char)*r))
				return -1;
		done = *r == '\0';
		len = (size_t)(r - in);
		save = *r;
		*r = '\0';
		if (len == 0) {
			/* empty group: nothing */
		} else if (save == '-' && n == 0 && want_type) {
			*type = dhcp_atoi_hex(in);
			want_type = false;
		} else if (strcmp(in, "*") == 0) {
			if (wild != NULL && n < 32)
				*wild |= (uint32_t)1 << n;
			n++;
		} else {
			nbytes = (len + 1) / 2;
			for (j = 0; j < nbytes; j++) {
				char pair[3] = { in[2 * j], '\0', '\0' };

				if (2 * j + 1 < len)
					pair[1] = in[2 * j + 1];
				/* '*' mixed with digits */
				if (strchr(pair, '*') != NULL)
					return -1;
				out[n++] = (uint8_t)strtol(pair, NULL, 16);
				if (n == max)
					break;
			}
		}
		in = r + 1;
	}
	return n;
}

/* --- names ---------------------------------------------------------------- */

/* --- dhcp-range ----------------------------------------------------------- */

/* Characters of an address: dnsmasq reads leading fields as tags until
 * one is made only of these. */
static bool
dhcp_addr_char(char ch)
{
	return ch == ' ' || ch == '.' || ch == ':' ||
	    isxdigit((unsigned char)ch);
}

/*
 * The lease field at a[pos], which must be the last of k fields:
 * "infinite", "deprecated", empty (default kept) or digits with an
 * optional s m h d w suffix.
 */
static int
dhcp_range_lease(struct conf_ctx *c, char **a, int k, int pos,
    uint32_t *lease, unsigned *flags, unsigned f_lease, unsigned f_depr)
{
	uint32_t unit;
	size_t len;
	char *t, *p;

	if (pos >= k)
		return 0;
	if (pos != k - 1)
		return conf_err(c, "bad dhcp-range");
	t = a[pos];
	if (strcmp(t, "infinite") == 0) {
		*lease = CONF_DHCP_LEASE_INFINITE;
		*flags |= f_lease;
		return 0;
	}
	if (strcmp(t, "deprecated") == 0) {
		*flags |= f_depr;
		return 0;
	}
	if ((len = strlen(t)) == 0)
		return 0;
	if ((unit = dhcp_time_unit(t[len - 1])) != 0)
		t[len - 1] = '\0';
	else
		unit = 1;
	for (p = t; *p; p++)
		if (*p < '0' || *p > '9')
			return conf_err(c, "bad dhcp-range");
	*lease = dhcp_lease_clamp(dhcp_atoi(t), unit);
	*flags |= f_lease;
	return 0;
}

static int
dhcp_range4(struct conf_ctx *c, char **a, int k, struct conf_dhcp_range *r)
{
	int leasepos = 2;

	r->lease = CONF_DHCP_LEASE_DEFAULT;
	r->end = r->start;
	if (strcmp(a[1], "static") == 0)
		r->flags |= CONF_DHCP_RANGE_STATIC;
	else if (strcmp(a[1], "proxy") == 0)
		r->flags |= CONF_DHCP_RANGE_PROXY;
	else if (inet_pton(AF_INET, a[1], &r->end) <= 0)
		return conf_err(c, "bad dhcp-range");
	if (ntohl(r->start.s_addr) > ntohl(r->end.s_addr)) {
		struct in_addr t = r->start;

		r->start = r->end;
		r->end = t;
	}
	/* MASK and BCAST are recognised only when they hold a '.' */
	if (k >= 3 && strchr(a[2], '.') != NULL &&
	    inet_pton(AF_INET, a[2], &r->netmask) > 0) {
		r->flags |= CONF_DHCP_RANGE_NETMASK;
		leasepos = 3;
		if ((r->start.s_addr & r->netmask.s_addr) !=
		    (r->end.s_addr & r->netmask.s_addr))
			return conf_err(c, "inconsistent DHCP range");
		if (k >= 4 && strchr(a[3], '.') != NULL &&
		    inet_pton(AF_INET, a[3], &r->broadcast) > 0) {
			r->flags |= CONF_DHCP_RANGE_BROADCAST;
			leasepos = 4;
		}
	}
	return dhcp_range_lease(c, a, k, leasepos, &r->lease, &r->flags,
	    CONF_DHCP_RANGE_LEASE, CONF_DHCP_RANGE_DEPRECATED);
}

/* dnsmasq's is_same_net6(): the first plen bits are equal. */
static bool
dhcp_same_net6(const struct in6_addr *a, const struct in6_addr *b,
    unsigned plen)
{
	unsigned bytes = plen / 8, bits = plen % 8;

	if (memcmp(a->s6_addr, b->s6_addr, bytes) != 0)
		return false;
	return bits == 0 || (a->s6_addr[bytes] >> (8 - bits)) ==
	    (b->s6_addr[bytes] >> (8 - bits));
}

static uint64_t
dhcp_low64(const struct in6_addr *a)
{
	uint64_t v = 0;
	int i;

	for (i = 8; i < 16; i++)
		v = v << 8 | a->s6_addr[i];
	return v;
}

static void
dhcp_set_low64(struct in6_addr *a, uint64_t v)
{
	int i;

	for (i = 15; i >= 8; i--) {
		a->s6_addr[i] = (uint8_t)v;
		v >>= 8;
	}
}

static const struct {
	const char *word;
	unsigned flag;
} dhcp_range6_words[] = {
	{ "static", CONF_DHCP_RANGE6_STATIC },
	{ "ra-only", CONF_DHCP_RANGE6_RA_ONLY },
	{ "slaac", CONF_DHCP_RANGE6_RA_ONLY },
	{ "ra-names", CONF_DHCP_RANGE6_RA_NAMES },
	{ "ra-advrouter", CONF_DHCP_RANGE6_RA_ADVROUTER },
	{ "ra-stateless", CONF_DHCP_RANGE6_RA_STATELESS },
	{ "off-link", CONF_DHCP_RANGE6_OFF_LINK },
};

#define DHCP_RANGE6_RA (CONF_DHCP_RANGE6_RA_ONLY | \
	CONF_DHCP_RANGE6_RA_NAMES | CONF_DHCP_RANGE6_RA_ADVROUTER | \
	CONF_DHCP_RANGE6_RA_STATELESS)

/* Keywords after START6: mode words, END6 (second field only) and
 * constructor:IF, in any order.  Returns the first other field. */
static int
dhcp_range6_words_parse(struct conf_ctx *c, char **a, int k,
    struct conf_dhcp_range6 *r)
{
	int pos;

	for (pos = 1; pos < k; pos++) {
		size_t i, n = sizeof(dhcp_range6_words) /
		    sizeof(dhcp_range6_words[0]);

		for (i = 0; i < n; i++)
			if (strcmp(a[pos], dhcp_range6_words[i].word) == 0)
				break;
		if (i < n)
			r->flags |= dhcp_range6_words[i].flag;
		else if (pos == 1 && inet_pton(AF_INET6, a[pos], &r->end) > 0)
			r->flags |= CONF_DHCP_RANGE6_END;
		else if (conf_has_prefix(a[pos], "constructor:")) {
			r->constructor = conf_strdup(c, a[pos] + 12);
			r->flags |= CONF_DHCP_RANGE6_CONSTRUCTOR;
		} else
			break;
	}
	return pos;
}

static int
dhcp_range6_check(struct conf_ctx *c, struct conf_dhcp_range6 *r)
{
	static const struct in6_addr zero;

	if (r->prefix > 64) {
		if (r->flags & DHCP_RANGE6_RA)
			return conf_err(c, "prefix length must be exactly 64 "
			    "for RA subnets");
		if (r->flags & CONF_DHCP_RANGE6_CONSTRUCTOR)
			return conf_err(c, "prefix length must be exactly 64 "
			    "for subnet constructors");
	} else if (r->prefix < 64)
		return conf_err(c, "prefix length must be at least 64");
	if (!dhcp_same_net6(&r->start, &r->end, r->prefix))
		return conf_err(c, "inconsistent DHCPv6 range");
	if ((r->flags & CONF_DHCP_RANGE6_CONSTRUCTOR) &&
	    !dhcp_same_net6(&zero, &r->start, r->prefix))
		return conf_err(c, "prefix must be zero with \"constructor:\" "
		    "argument");
	return 0;
}

static int
dhcp_range6(struct conf_ctx *c, char **a, int k, struct conf_dhcp_range6 *r)
{
	int pos, n;
	char *p;

	r->prefix = 64;
	r->end = r->start;
	r->lease = CONF_DHCP_LEASE6_DEFAULT;
	pos = dhcp_range6_words_parse(c, a, k, r);
	/* a bare integer up to 128 is the prefix length */
	if (pos < k) {
		for (p = a[pos]; *p >= '0' && *p <= '9'; p++)
			;
		if (*p == '\0' && (n = dhcp_atoi(a[pos])) <= 128) {
			if (n < 0)
				return conf_err(c, "prefix length must be "
				    "at least 64");
			r->prefix = (unsigned)n;
			r->flags |= CONF_DHCP_RANGE6_PREFIX;
			pos++;
		}
	}
	if (dhcp_range6_check(c, r) < 0)
		return -1;
	if (dhcp_low64(&r->start) > dhcp_low64(&r->end)) {
		struct in6_addr t = r->start;

		r->start = r->end;
		r->end = t;
	}
	return dhcp_range_lease(c, a, k, pos, &r->lease, &r->flags,
	    CONF_DHCP_RANGE6_LEASE, CONF_DHCP_RANGE6_DEPRECATED);
}

/* Leading tag fields: tag:/net: filters (empty ones dropped) and at most
 * one tag to set (set:T or a bare word).  Returns the first other field
 * through *rest. */
static int
dhcp_range_tags(struct conf_ctx *c, char *arg, struct conf_tagexpr *filter,
    struct conf_tagset *set, char **rest)
{
	for (;;) {
		const char *cp, *name;
		char *comma;

		for (cp = arg; *cp && dhcp_addr_char(*cp); cp++)
			;
		if (*cp == ',' || (comma = conf_split(arg)) == NULL)
			break;
		if (conf_is_tag_prefix(arg)) {
			if (arg[4] != '\0' &&
			    conf_tagexpr_add(c, filter, arg + 4) < 0)
				return -1;
		} else {
			if (set->n != 0)
				return conf_err(c, "only one tag allowed");
			name = conf_set_prefix(arg);
			if (*name != '\0' && conf_tagset_add(c, set, name) < 0)
				return -1;
		}
		arg = comma;
	}
	*rest = arg;
	return 0;
}

int
conf_dhcp_range(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dhcp *d = dhcp_of(c);
	struct conf_tagexpr filter = { 0, NULL };
	struct conf_tagset set = { 0, NULL };
	struct in_addr a4;
	struct in6_addr a6;
	char *a[8] = { NULL };
	int k;

	(void)kw;
	if (dhcp_range_tags(c, arg, &filter, &set, &a[0]) < 0)
		return -1;
	for (k = 1; k < 8; k++)
		if ((a[k] = conf_split(a[k - 1])) == NULL)
			break;
	if (k < 2)
		return conf_err(c, "bad dhcp-range");
	if (inet_pton(AF_INET, a[0], &a4) > 0) {
		struct conf_dhcp_range *r = conf_alloc(c, sizeof(*r));

		r->src = c->src;
		r->filter = filter;
		r->set = set;
		r->start = a4;
		if (dhcp_range4(c, a, k, r) < 0)
			return -1;
		*d->ranges_tail = r;
		d->ranges_tail = &r->next;
	} else if (inet_pton(AF_INET6, a[0], &a6) > 0) {
		struct conf_dhcp_range6 *r = conf_alloc(c, sizeof(*r));

		r->src = c->src;
		r->filter = filter;
		r->set = set;
		r->start = a6;
		if (dhcp_range6(c, a, k, r) < 0)
			return -1;
		*d->ranges6_tail = r;
		d->ranges6_tail = &r->next;
	} else
		return conf_err(c, "bad dhcp-range");
	return 0;
}

/* --- dhcp-host ------------------------------------------------------------ */

/* id:* (ignore the client-id), id:HEX:HEX.. or id:TEXT. */
static int
dhcp_host_clid(struct conf_ctx *c, struct conf_dhcp_host *h, char *arg)
{
	uint8_t *buf;
	int len;

	if (arg[0] == '*') {
		h->flags |= CONF_DHCP_HOST_NOCLID;
		return 0;
	}
	buf = conf_alloc(c, strlen(arg) + 1);
	if (strchr(arg, ':') != NULL) {
		if ((len = dhcp_parse_hex(arg, buf, -1, NULL, NULL)) < 0)
			return conf_err(c, "bad hex constant");
		h->flags &= ~CONF_DHCP_HOST_CLID_TEXT;
	} else {
		conf_unhide(arg);
		len = (int)strlen(arg);
		memcpy(buf, arg, (size_t)len);
		h->flags |= CONF_DHCP_HOST_CLID_TEXT;
	}
	h->clid = buf;
	h->clid_len = (unsigned)len;
	h->flags |= CONF_DHCP_HOST_CLID;
	return 0;
}

/* [ADDR] or [ADDR/LEN]: an IPv6 address or prefix (DHCPv6 only). */
static int
dhcp_host_addr6(struct conf_ctx *c, struct conf_dhcp_host *h, char *arg)
{
	struct conf_dhcp_host6 *a6 = &h->addr6[h->naddr6];
	unsigned shift;
	char *pref;
	int i;

	arg[strlen(arg) - 1] = '\0';
	arg++;
	pref = conf_split_chr(arg, '/');
	if (inet_pton(AF_INET6, arg, &a6->addr) <= 0)
		return conf_err(c, "bad IPv6 address");
	if (pref != NULL) {
		if (!conf_numeric(pref))
			return conf_err(c, "bad IPv6 prefix");
		a6->prefixlen = dhcp_atoi(pref);
		/* dnsmasq shifts a 64-bit one by 128-LEN: the count is
		 * taken modulo 64 on the machines it runs on. */
		shift = (128u - (unsigned)a6->prefixlen) & 63;
		if (a6->prefixlen > 128 ||
		    ((((uint64_t)1 << shift) - 1) & dhcp_low64(&a6->addr)) != 0)
			return conf_err(c, "bad IPv6 prefix");
		a6->has_prefix = true;
	}
	for (i = 0; i < 8; i++)
		if (a6->addr.s6_addr[i] != 0)
			break;
	a6->wildcard = i == 8;
	h->naddr6++;
	return 0;
}

/* A field holding ':': client-id, tags, [IPv6] or hardware address. */
static int
dhcp_host_colon(struct conf_ctx *c, struct conf_dhcp_host *h, char *arg)
{
	struct conf_dhcp_hwaddr *hw;
	int n;

	if ((arg[0] == 'i' || arg[0] == 'I') &&
	    (arg[1] == 'd' || arg[1] == 'D') && arg[2] == ':')
		return dhcp_host_clid(c, h, arg + 3);
	if (conf_has_prefix(arg, "net:") || conf_has_prefix(arg, "set:"))
		return conf_tagset_add(c, &h->set, arg + 4);
	if (conf_has_prefix(arg, "tag:"))
		return conf_tagexpr_add(c, &h->filter, arg + 4);
	if (arg[0] == '[' && arg[strlen(arg) - 1] == ']')
		return dhcp_host_addr6(c, h, arg);
	hw = &h->hw[h->nhw];
	n = dhcp_parse_hex(arg, hw->addr, CONF_DHCP_HWADDR_MAX, &hw->wild,
	    &hw->type);
	if (n < 0)
		return conf_err(c, "bad hex constant");
	hw->len = (unsigned)n;
	h->nhw++;
	return 0;
}

/* A fixed IPv4 address; dnsmasq refuses one already given to another
 * dhcp-host, which would make DISCOVER and REQUEST disagree. */
static int
dhcp_host_addr(struct conf_ctx *c, struct conf_dhcp_host *h,
    struct in_addr in)
{
	const struct conf_dhcp_host *o;
	char buf[INET_ADDRSTRLEN];

	for (o = dhcp_of(c)->hosts; o != NULL; o = o->next)
		if ((o->flags & CONF_DHCP_HOST_ADDR) &&
		    o->addr.s_addr == in.s_addr) {
			inet_ntop(AF_INET, &in, buf, sizeof(buf));
			return conf_errf(c, "duplicate dhcp-host IP address %s",
			    buf);
		}
	h->addr = in;
	h->flags |= CONF_DHCP_HOST_ADDR;
	return 0;
}

/* dnsmasq checks the name again with legal_hostname(): check_name()
 * once more (one more trailing dot dropped in place; empty, or nothing
 * but blanks and dots, refused), then the first label's characters. */
static int
dhcp_host_name(struct conf_ctx *c, struct conf_dhcp_host *h, char *arg)
{
	char *name = conf_canonicalise(c, arg), *dot;

	if (name == NULL || !dnsname_legal_hostname(name))
		return conf_err(c, "bad DHCP host name");
	h->hostname = name;
	h->domain = NULL;
	if ((dot = strchr(name, '.')) != NULL) {
		*dot = '\0';
		if (dot[1] != '\0')
			h->domain = dot + 1;
	}
	h->flags |= CONF_DHCP_HOST_NAME;
	return 0;
}

/* Any other field: a lease time (digits, optional unit, spaces allowed),
 * "infinite", "ignore", or a host name.  So a MAC written without
 * colons, all digits, is a lease time, as in dnsmasq. */
static int
dhcp_host_word(struct conf_ctx *c, struct conf_dhcp_host *h, char *arg)
{
	size_t len = strlen(arg);
	uint32_t unit = 0;
	bool digit = false;
	char saved = 0, *p;

	if (len > 1 && (unit = dhcp_time_unit(arg[len - 1])) != 0) {
		saved = arg[len - 1];
		arg[len - 1] = '\0';
	}
	for (p = arg; *p; p++)
		if (*p >= '0' && *p <= '9')
			digit = true;
		else if (*p != ' ')
			break;
	if (*p == '\0') {
		if (digit) {
			h->lease = dhcp_lease_clamp(dhcp_atoi(arg),
			    unit ? unit : 1);
			h->flags |= CONF_DHCP_HOST_LEASE;
		}
		return 0;
	}
	if (unit != 0)
		arg[len - 1] = saved;
	if (strcmp(arg, "infinite") == 0) {
		h->lease = CONF_DHCP_LEASE_INFINITE;
		h->flags |= CONF_DHCP_HOST_LEASE;
		return 0;
	}
	if (strcmp(arg, "ignore") == 0) {
		h->flags |= CONF_DHCP_HOST_IGNORE;
		return 0;
	}
	return dhcp_host_name(c, h, arg);
}

int
conf_dhcp_host(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dhcp *d = dhcp_of(c);
	struct conf_dhcp_host *h = conf_alloc(c, sizeof(*h));
	unsigned nfields = 1;
	const char *p;
	char *comma;

	(void)kw;
	for (p = arg; *p; p++)
		if (*p == ',')
			nfields++;
	h->src = c->src;
	h->hw = conf_alloc(c, nfields * sizeof(*h->hw));
	h->addr6 = conf_alloc(c, nfields * sizeof(*h->addr6));
	if (c->hard_kw != NULL)
		h->flags |= CONF_DHCP_HOST_BANK;
	for (; arg != NULL; arg = comma) {
		struct in_addr in;
		int rc;

		comma = conf_split(arg);
		if (strchr(arg, ':') != NULL)
			rc = dhcp_host_colon(c, h, arg);
		else if (strchr(arg, '.') != NULL &&
		    inet_pton(AF_INET, arg, &in) > 0)
			rc = dhcp_host_addr(c, h, in);
		else
			rc = dhcp_host_word(c, h, arg);
		if (rc < 0)
			return -1;
	}
	*d->hosts_tail = h;
	d->hosts_tail = &h->next;
	return 0;
}

/* --- dhcp-boot, dhcp-reply-delay --------------------------------------- */

/* Leading tag:/net: fields (dnsmasq's dhcp_tags()): moves *arg past them;
 * *arg is NULL when nothing follows the tags. */
static int
dhcp_lead_tags(struct conf_ctx *c, char **arg, struct conf_tagexpr *e)
{
	while (conf_is_tag_prefix(*arg)) {
		char *comma = conf_split(*arg);

		if (conf_tagexpr_add(c, e, *arg + 4) < 0)
			return -1;
		*arg = comma;
	}
	return 0;
}

/* A reply holds a boot name in a BOOTP field (file: 127 bytes, sname: 63,
 * each with its NUL) or, when the client asks for it, in an option (67,
 * 66: 255 bytes).  dnsmasq cuts a longer name silently (reference 4.2,
 * 4.6: proxy replies use the file field only); pxemasq cuts it too but
 * says so at load time (docs/differences.md). */
static void
dhcp_boot_warn_long(struct conf_ctx *c, const char *what, const char *name,
    size_t field, const char *where)
{
	size_t len = name != NULL ? strlen(name) : 0;

	if (len > 255)
		conf_warn(c, "dhcp-boot %s longer than 255 bytes is truncated "
		    "in every reply", what);
	else if (len > field)
		conf_warn(c, "dhcp-boot %s longer than %zu bytes is truncated "
		    "for clients that do not request %s", what, field, where);
}

int
conf_dhcp_boot(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dhcp *d = dhcp_of(c);
	struct conf_dhcp_boot *b = conf_alloc(c, sizeof(*b));
	char *comma;

	(void)kw;
	b->src = c->src;
	if (dhcp_lead_tags(c, &arg, &b->filter) < 0)
		return -1;
	if (arg == NULL)
		return conf_gen_err(c);
	comma = conf_split(arg);
	b->file = conf_strdup(c, arg);
	if (comma != NULL) {
		arg = comma;
		comma = conf_split(arg);
		b->sname = conf_strdup(c, arg);
		if (comma != NULL) {
			/* an address is siaddr; anything else is a name to
			 * look up when replying (the rest, commas and all) */
			conf_unhide(comma);
			if (inet_pton(AF_INET, comma, &b->next_server) <= 0) {
				b->next_server.s_addr = 0;
				b->tftp_sname = conf_strdup(c, comma);
			}
		}
	}
	dhcp_boot_warn_long(c, "file name", b->file, 127,
	    "option 67, and in proxy replies");
	dhcp_boot_warn_long(c, "server name", b->sname, 63, "option 66");
	*d->boots_tail = b;
	d->boots_tail = &b->next;
	return 0;
}

int
conf_dhcp_reply_delay(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	struct conf_dhcp *d = dhcp_of(c);
	struct conf_dhcp_delay *e = conf_alloc(c, sizeof(*e));

	(void)kw;
	e->src = c->src;
	if (dhcp_lead_tags(c, &arg, &e->filter) < 0)
		return -1;
	if (arg == NULL || !conf_numeric(arg))
		return conf_gen_err(c);
	e->delay = dhcp_atoi(arg);
	*d->delays_tail = e;
	d->delays_tail = &e->next;
	return 0;
}

/* --- domain --------------------------------------------------------------- */

/* DOM,ADDR/LEN[,local]: the subnet of ADDR; netpart is "LEN[,local]".
 * The text was unhidden before splitting, as dnsmasq does. */
static int
dhcp_domain_prefix(struct conf_ctx *c, struct conf_dhcp_domain *e,
    char *addr, char *netpart)
{
	char *rest = conf_split(netpart);
	int len;

	if (!conf_numeric(netpart))
		return conf_gen_err(c);
	len = dhcp_atoi(netpart);
	if (inet_pton(AF_INET, addr, &e->start) > 0) {
		uint32_t mask;

		if (len > 32)
			return conf_err(c, "bad prefix length");
		/* 1 << 32 is 1 on the machines dnsmasq runs on: /0 and /32
		 * both give the single address */
		mask = ((uint32_t)1 << ((32u - (unsigned)len) & 31)) - 1;
		e->start.s_addr = htonl(ntohl(e->start.s_addr) & ~mask);
		e->end.s_addr = e->start.s_addr | htonl(mask);
	} else if (inet_pton(AF_INET6, addr, &e->start6) > 0) {
		uint64_t mask, low = dhcp_low64(&e->start6);

		if (len > 128)
			return conf_err(c, "bad prefix length");
		mask = len <= 64 ? ~(uint64_t)0 :
		    ((uint64_t)1 << (128 - len)) - 1;
		e->is6 = true;
		e->end6 = e->start6;
		dhcp_set_low64(&e->start6, low & ~mask);
		dhcp_set_low64(&e->end6, low | mask);
	} else
		return conf_gen_err(c);
	e->kind = CONF_DHCP_DOMAIN_PREFIX;
	e->prefixlen = (unsigned)len;
	if (rest != NULL) {
		if (strcmp(rest, "local") != 0)
			return conf_gen_err(c);
		e->local = true;
	}
	return 0;
}

/* DOM,START[,END] or DOM,IFNAME; dnsmasq ignores anything after END. */
static int
dhcp_domain_range(struct conf_ctx *c, struct conf_dhcp_domain *e,
    char *start)
{
	char *end = conf_split(start);

	(void)conf_split(end);
	e->kind = CONF_DHCP_DOMAIN_RANGE;
	if (inet_pton(AF_INET, start, &e->start) > 0) {
		e->end = e->start;
		if (end != NULL && inet_pton(AF_INET, end, &e->end) <= 0)
			return conf_gen_err(c);
	} else if (inet_pton(AF_INET6, start, &e->start6) > 0) {
		e->is6 = true;
		e->end6 = e->start6;
		if (end != NULL && inet_pton(AF_INET6, end, &e->end6) <= 0)
			return conf_gen_err(c);
	} else {
		e->kind = CONF_DHCP_DOMAIN_IFACE;
		e->iface = conf_strdup(c, start);
	}
	return 0;
}

int
conf_dhcp_domain(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dhcp *d = dhcp_of(c);
	struct conf_dhcp_domain *e;
	char *comma = conf_split(arg), *name, *netpart;

	(void)kw;
	if ((name = conf_canonicalise(c, arg)) == NULL)
		return conf_gen_err(c);
	if (comma == NULL) {
		if (strcmp(name, "#") == 0)
			d->domain_from_resolv = true;
		else
			d->domain_suffix = name;
		return 0;
	}
	e = conf_alloc(c, sizeof(*e));
	e->src = c->src;
	e->domain = name;
	conf_unhide(comma);
	if ((netpart = conf_split_chr(comma, '/')) != NULL) {
		if (dhcp_domain_prefix(c, e, comma, netpart) < 0)
			return -1;
	} else if (dhcp_domain_range(c, e, comma) < 0)
		return -1;
	*d->domains_tail = e;
	d->domains_tail = &e->next;
	return 0;
}

int
conf_dhcp_resolv_domain(struct conf_ctx *c, unsigned nfiles,
    const char *path)
{
	struct conf_dhcp *d = dhcp_of(c);
	const char *cur = d->domain_suffix;
	char line[DHCP_MAXDNAME];
	FILE *f;

	if (!d->domain_from_resolv)
		return 0;
	if (nfiles != 1 || path == NULL)
		return conf_err(c, "must have exactly one resolv.conf to read "
		    "domain from.");
	if ((f = fopen(path, "r")) == NULL)
		return conf_err_code(c, 3, "failed to read %s: %s", path,
		    strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *save = NULL, *tok = strtok_r(line, " \t\n\r", &save);

		if (tok == NULL || strcmp(tok, "search") != 0)
			continue;
		if ((tok = strtok_r(NULL, " \t\n\r", &save)) != NULL &&
		    (cur = conf_canonicalise(c, tok)) != NULL)
			break;
	}
	fclose(f);
	if (cur == NULL)
		return conf_err_code(c, 5, "no search directive found in %s",
		    path);
	d->domain_resolved = cur;
	return 0;
}

/* --- classes, dhcp-mac, tag-if, tag lists ------------------------------- */

/* [set:]TAG as the first field of dhcp-vendorclass, -userclass, -mac; an
 * empty name sets nothing. */
static int
dhcp_set_tag(struct conf_ctx *c, struct conf_tagset *set, const char *arg)
{
	const char *name = conf_set_prefix(arg);

	if (*name == '\0')
		return 0;
	return conf_tagset_add(c, set, name);
}

static int
dhcp_class(struct conf_ctx *c, char *arg, enum conf_dhcp_class_kind kind)
{
	struct conf_dhcp *d = dhcp_of(c);
	struct conf_dhcp_class *e;
	char *comma = conf_split(arg);
	uint8_t *data;

	if (comma == NULL)
		return conf_gen_err(c);
	e = conf_alloc(c, sizeof(*e));
	e->src = c->src;
	e->kind = kind;
	if (dhcp_set_tag(c, &e->set, arg) < 0)
		return -1;
	arg = comma;
	/* a third field only after vendorclass's enterprise:N; the data
	 * is then the rest of the line, commas included */
	if ((comma = conf_split(arg)) != NULL) {
		if (kind != CONF_DHCP_CLASS_VENDOR ||
		    !conf_has_prefix(arg, "enterprise:"))
			return conf_gen_err(c);
		e->enterprise = dhcp_atoi(arg + 11);
	} else
		comma = arg;
	conf_unhide(comma);
	e->len = (unsigned)strlen(comma);
	data = conf_alloc(c, e->len + 1);
	memcpy(data, comma, e->len);
	e->data = data;
	*d->classes_tail = e;
	d->classes_tail = &e->next;
	return 0;
}

int
conf_dhcp_vendorclass(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	(void)kw;
	return dhcp_class(c, arg, CONF_DHCP_CLASS_VENDOR);
}

int
conf_dhcp_userclass(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	return dhcp_class(c, arg, CONF_DHCP_CLASS_USER);
}

int
conf_dhcp_mac(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dhcp *d = dhcp_of(c);
	struct conf_dhcp_mac *e;
	char *comma = conf_split(arg);
	int n;

	(void)kw;
	if (comma == NULL)
		return conf_gen_err(c);
	e = conf_alloc(c, sizeof(*e));
	e->src = c->src;
	if (dhcp_set_tag(c, &e->set, arg) < 0)
		return -1;
	conf_unhide(comma);
	n = dhcp_parse_hex(comma, e->hw.addr, CONF_DHCP_HWADDR_MAX,
	    &e->hw.wild, &e->hw.type);
	if (n < 0)
		return conf_gen_err(c);
	e->hw.len = (unsigned)n;
	*d->macs_tail = e;
	d->macs_tail = &e->next;
	return 0;
}

int
conf_dhcp_tag_if(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dhcp *d = dhcp_of(c);
	struct conf_dhcp_tagif *e = conf_alloc(c, sizeof(*e));
	char *comma;
	int rc;

	(void)kw;
	e->src = c->src;
	for (; arg != NULL; arg = comma) {
		comma = conf_split(arg);
		if (strlen(arg) < 5)
			return conf_err(c, "bad tag-if");
		if (conf_has_prefix(arg, "set:"))
			rc = conf_tagset_add(c, &e->set, arg + 4);
		else if (conf_has_prefix(arg, "tag:"))
			rc = conf_tagexpr_add(c, &e->tag, arg + 4);
		else
			return conf_err(c, "bad tag-if");
		if (rc < 0)
			return -1;
	}
	if (e->set.n == 0)
		return conf_err(c, "bad tag-if");
	*d->tagifs_tail = e;
	d->tagifs_tail = &e->next;
	return 0;
}

/* dhcp-ignore, dhcp-broadcast: tags, with or without tag:/net:. */
static int
dhcp_taglist(struct conf_ctx *c, char *arg, struct conf_dhcp_taglist ***tail)
{
	struct conf_dhcp_taglist *e = conf_alloc(c, sizeof(*e));
	char *comma;

	e->src = c->src;
	for (; arg != NULL; arg = comma) {
		comma = conf_split(arg);
		if (conf_tagexpr_add(c, &e->tags,
		    conf_is_tag_prefix(arg) ? arg + 4 : arg) < 0)
			return -1;
	}
	**tail = e;
	*tail = &e->next;
	return 0;
}

int
conf_dhcp_ignore(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	return dhcp_taglist(c, arg, &dhcp_of(c)->ignores_tail);
}

int
conf_dhcp_broadcast(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	return dhcp_taglist(c, arg, &dhcp_of(c)->broadcasts_tail);
}

/* --- single values and paths ------------------------------------------- */

int
conf_dhcp_lease_max(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dhcp *d = dhcp_of(c);

	(void)kw;
	if (!conf_numeric(arg))
		return conf_gen_err(c);
	d->lease_max = dhcp_atoi(arg);
	d->lease_max_set = true;
	return 0;
}

/* dhcp-leasefile[=PATH]: no or an empty value keeps the default. */
int
conf_dhcp_leasefile(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	dhcp_of(c)->leasefile = conf_strdup(c, arg);
	return 0;
}

int
conf_dhcp_script(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	dhcp_of(c)->script = conf_strdup(c, arg);
	return 0;
}

/* dhcp-scriptuser=USER: looked up when the daemon starts (dnsmasq's
 * opt_string_alloc(): empty is none). */
int
conf_dhcp_scriptuser(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	(void)kw;
	dhcp_of(c)->script_user = conf_strdup(c, arg);
	return 0;
}

/* The files and directories are read by the daemon (at start and on
 * SIGHUP), not here: dnsmasq --test does not open them either. */
static int
dhcp_path(struct conf_ctx *c, struct conf_strlist *l, const char *arg)
{
	char *path = conf_strdup(c, arg);

	if (path == NULL)
		return 0;
	return conf_strlist_add(c, l, path);
}

int
conf_dhcp_hostsfile(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	return dhcp_path(c, &dhcp_of(c)->hostsfiles, arg);
}

int
conf_dhcp_optsfile(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	return dhcp_path(c, &dhcp_of(c)->optsfiles, arg);
}

int
conf_dhcp_hostsdir(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	return dhcp_path(c, &dhcp_of(c)->hostsdirs, arg);
}

int
conf_dhcp_optsdir(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	return dhcp_path(c, &dhcp_of(c)->optsdirs, arg);
}

/* --- set-up and checks --------------------------------------------------- */

int
conf_dhcp_init(struct conf_ctx *c)
{
	struct conf_dhcp *d = conf_alloc(c, sizeof(*d));

	d->ranges_tail = &d->ranges;
	d->ranges6_tail = &d->ranges6;
	d->hosts_tail = &d->hosts;
	d->boots_tail = &d->boots;
	d->domains_tail = &d->domains;
	d->classes_tail = &d->classes;
	d->macs_tail = &d->macs;
	d->tagifs_tail = &d->tagifs;
	d->ignores_tail = &d->ignores;
	d->broadcasts_tail = &d->broadcasts;
	d->delays_tail = &d->delays;
	d->lease_max = CONF_DHCP_LEASE_MAX_DEFAULT;
	conf_strlist_init(&d->hostsfiles);
	conf_strlist_init(&d->optsfiles);
	conf_strlist_init(&d->hostsdirs);
	conf_strlist_init(&d->optsdirs);
	c->cf->dhcp = d;
	return 0;
}

/*
 * After all options: dnsmasq's own check (dhcp-fqdn needs a domain),
 * then pxemasq's: it serves no DHCPv6, and an IPv6 dhcp-range would
 * leave those clients without service, so it is refused like the REF
 * options unless --ignore-unsupported.
 */
int
conf_dhcp_finish(struct conf_ctx *c)
{
	struct conf_dhcp *d = dhcp_of(c);
	const struct conf_dhcp_range6 *r;

	if (conf_flag(c->cf, CONF_KW_DHCP_FQDN) && d->domain_suffix == NULL &&
	    !d->domain_from_resolv)
		return conf_err(c, "there must be a default domain when "
		    "--dhcp-fqdn is set");
	for (r = d->ranges6; r != NULL; r = r->next) {
		char where[600] = "";

		if (r->src.file != NULL)
			snprintf(where, sizeof(where), " at line %u of %s",
			    r->src.line, r->src.file);
		if (!c->cf->ignore_unsupported) {
			c->err_positioned = true;
			return conf_errf(c, "option 'dhcp-range' with an IPv6 "
			    "range is not supported by pxemasq and changes "
			    "what the network gets; remove it or pass "
			    "--ignore-unsupported%s", where);
		}
		fprintf(stderr, "pxemasq: warning: option 'dhcp-range' with an "
		    "IPv6 range is not supported by pxemasq; ignored%s\n",
		    where);
	}
	return 0;
}

/* --- printing ------------------------------------------------------------ */

/* True when s, printed bare as one comma-separated field, reads back as
 * the same text. */
static bool
dhcp_bare_ok(const char *s)
{
	size_t len = strlen(s);

	if (len != 0 && (s[0] == ' ' || s[len - 1] == ' '))
		return false;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f || strchr(",#\"\\", ch) != NULL)
			return false;
	}
	return true;
}

/* A field whose text the handler unhides before use: quoting is safe. */
static void
dhcp_print_field(FILE *out, const char *s)
{
	if (dhcp_bare_ok(s) && !conf_is_tag_prefix(s))
		fputs(s, out);
	else
		conf_print_quoted(out, s);
}

static void
dhcp_print_tagexpr(const struct conf *cf, FILE *out,
    const struct conf_tagexpr *e, bool trailing_comma)
{
	unsigned i;

	for (i = 0; i < e->n; i++) {
		if (i != 0)
			fputc(',', out);
		fputs(e->v[i].neg ? "tag:!" : "tag:", out);
		dhcp_print_field(out, conf_tag_name(cf, e->v[i].id));
	}
	if (trailing_comma && e->n != 0)
		fputc(',', out);
}

static void
dhcp_print_tagset(const struct conf *cf, FILE *out,
    const struct conf_tagset *s, bool trailing_comma)
{
	unsigned i;

	for (i = 0; i < s->n; i++) {
		if (i != 0)
			fputc(',', out);
		fputs("set:", out);
		dhcp_print_field(out, conf_tag_name(cf, s->id[i]));
	}
	if (trailing_comma && s->n != 0)
		fputc(',', out);
}

static void
dhcp_print_in(FILE *out, struct in_addr a)
{
	char buf[INET_ADDRSTRLEN];

	fputs(inet_ntop(AF_INET, &a, buf, sizeof(buf)), out);
}

static void
dhcp_print_in6(FILE *out, const struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	fputs(inet_ntop(AF_INET6, a, buf, sizeof(buf)), out);
}

/* TYPE-BYTES with '*' wildcards.  In a dhcp-host field a MAC must hold a
 * ':' to be read as one, hence colon for one byte or none. */
static void
dhcp_print_hwaddr(FILE *out, const struct conf_dhcp_hwaddr *hw, bool colon)
{
	unsigned i;

	if (hw->type != 0)
		fprintf(out, "%x-", (unsigned)hw->type);
	for (i = 0; i < hw->len && i < CONF_DHCP_HWADDR_MAX; i++) {
		if (i != 0)
			fputc(':', out);
		if ((hw->wild >> i) & 1)
			fputc('*', out);
		else
			fprintf(out, "%02x", hw->addr[i]);
	}
	if (colon && hw->len < 2)
		fputc(':', out);
}

static void
dhcp_print_range4(const struct conf *cf, FILE *out,
    const struct conf_dhcp_range *r)
{
	fputs("dhcp-range=", out);
	dhcp_print_tagexpr(cf, out, &r->filter, true);
	dhcp_print_tagset(cf, out, &r->set, true);
	dhcp_print_in(out, r->start);
	if (r->flags & CONF_DHCP_RANGE_STATIC)
		fputs(",static", out);
	else if (r->flags & CONF_DHCP_RANGE_PROXY)
		fputs(",proxy", out);
	else {
		fputc(',', out);
		dhcp_print_in(out, r->end);
	}
	if (r->flags & CONF_DHCP_RANGE_NETMASK) {
		fputc(',', out);
		dhcp_print_in(out, r->netmask);
	}
	if (r->flags & CONF_DHCP_RANGE_BROADCAST) {
		fputc(',', out);
		dhcp_print_in(out, r->broadcast);
	}
	if (r->flags & CONF_DHCP_RANGE_LEASE) {
		fputc(',', out);
		dhcp_print_lease(out, r->lease);
	} else if (r->flags & CONF_DHCP_RANGE_DEPRECATED)
		fputs(",deprecated", out);
	fputc('\n', out);
}

/* The prefix length is always printed, so that a short lease time cannot
 * be read back as one. */
static void
dhcp_print_range6(const struct conf *cf, FILE *out,
    const struct conf_dhcp_range6 *r)
{
	size_t i, n = sizeof(dhcp_range6_words) / sizeof(dhcp_range6_words[0]);
	unsigned done = 0;

	fputs("dhcp-range=", out);
	dhcp_print_tagexpr(cf, out, &r->filter, true);
	dhcp_print_tagset(cf, out, &r->set, true);
	dhcp_print_in6(out, &r->start);
	if (r->flags & CONF_DHCP_RANGE6_END) {
		fputc(',', out);
		dhcp_print_in6(out, &r->end);
	}
	for (i = 0; i < n; i++) {
		unsigned f = dhcp_range6_words[i].flag;

		if ((r->flags & f) && !(done & f))
			fprintf(out, ",%s", dhcp_range6_words[i].word);
		done |= f;
	}
	if (r->flags & CONF_DHCP_RANGE6_CONSTRUCTOR) {
		fputs(",constructor:", out);
		dhcp_print_field(out, r->constructor ? r->constructor : "");
	}
	fprintf(out, ",%u", r->prefix);
	if (r->flags & CONF_DHCP_RANGE6_LEASE) {
		fputc(',', out);
		dhcp_print_lease(out, r->lease);
	} else if (r->flags & CONF_DHCP_RANGE6_DEPRECATED)
		fputs(",deprecated", out);
	fputc('\n', out);
}

/* True when bare s would read back as something other than a name:
 * a lease time, a keyword, an address, a tag or a MAC. */
static bool
dhcp_name_needs_quote(const char *s)
{
	size_t len = strlen(s), n = len;
	struct in_addr a;
	const char *p;

	if (!dhcp_bare_ok(s) || strchr(s, ':') != NULL ||
	    strcmp(s, "infinite") == 0 || strcmp(s, "ignore") == 0)
		return true;
	if (strchr(s, '.') != NULL && inet_pton(AF_INET, s, &a) > 0)
		return true;
	if (len > 1 && dhcp_time_unit(s[len - 1]) != 0)
		n--;
	for (p = s; p < s + n; p++)
		if ((*p < '0' || *p > '9') && *p != ' ')
			return false;
	return true;
}

/* The name as written: hostname[.domain], with two more dots when it
 * would not read back as itself (dnsmasq drops one trailing dot twice
 * when reading, and a name such as ". " is only legal after that). */
static void
dhcp_print_hostname(FILE *out, const struct conf_dhcp_host *h)
{
	char full[2 * DHCP_MAXDNAME + 4], again[sizeof(full)];
	size_t len;

	snprintf(full, sizeof(full), "%s%s%s", h->hostname,
	    h->domain ? "." : "", h->domain ? h->domain : "");
	len = strlen(full);
	memcpy(again, full, len + 1);
	if (len == 0 || full[len - 1] == '.' ||
	    !dnsname_legal_hostname(again) || strcmp(again, full) != 0)
		strcat(full, "..");
	if (dhcp_name_needs_quote(full))
		conf_print_quoted(out, full);
	else
		fputs(full, out);
}

/* A text client-id is printed as text (quoted if it holds a ':', which
 * would make it hex); anything else as colon-separated hex. */
static void
dhcp_print_clid(FILE *out, const struct conf_dhcp_host *h)
{
	const uint8_t *p = h->clid, *end = h->clid + h->clid_len;
	bool text = (h->flags & CONF_DHCP_HOST_CLID_TEXT) && p != end &&
	    memchr(p, '\0', h->clid_len) == NULL;
	bool quote = false;

	fputs("id:", out);
	for (; text && p < end; p++)
		if (*p < 0x20 || *p == 0x7f || strchr(",#\"\\: ", *p) != NULL)
			quote = true;
	if (text && quote)
		fputc('"', out);
	for (p = h->clid; text && p < end; p++) {
		if (quote && (*p == '"' || *p == '\\'))
			fputc('\\', out);
		if (*p == '\t' || *p == '\n' || *p == '\r' || *p == '\b' ||
		    *p == 033)
			fputs(*p == '\t' ? "\\t" : *p == '\n' ? "\\n" :
			    *p == '\r' ? "\\r" : *p == '\b' ? "\\b" : "\\e",
			    out);
		else
			fputc(*p, out);
	}
	if (text) {
		if (quote)
			fputc('"', out);
		return;
	}
	for (p = h->clid; p < end; p++)
		fprintf(out, "%s%02x", p != h->clid ? ":" : "", *p);
	if (h->clid_len == 1)
		fputc(':', out);
}

/* Separates the fields of one line. */
static void
dhcp_sep(FILE *out, bool *first)
{
	if (!*first)
		fputc(',', out);
	*first = false;
}

static void
dhcp_print_host_ids(const struct conf *cf, FILE *out,
    const struct conf_dhcp_host *h, bool *first)
{
	unsigned i;

	for (i = 0; i < h->nhw; i++) {
		dhcp_sep(out, first);
		dhcp_print_hwaddr(out, &h->hw[i], true);
	}
	if (h->flags & CONF_DHCP_HOST_NOCLID) {
		dhcp_sep(out, first);
		fputs("id:*", out);
	}
	if (h->flags & CONF_DHCP_HOST_CLID) {
		dhcp_sep(out, first);
		dhcp_print_clid(out, h);
	}
	if (h->set.n != 0) {
		dhcp_sep(out, first);
		dhcp_print_tagset(cf, out, &h->set, false);
	}
	if (h->filter.n != 0) {
		dhcp_sep(out, first);
		dhcp_print_tagexpr(cf, out, &h->filter, false);
	}
}

static void
dhcp_print_host(const struct conf *cf, FILE *out,
    const struct conf_dhcp_host *h)
{
	bool first = true;
	unsigned i;

	fputs("dhcp-host=", out);
	dhcp_print_host_ids(cf, out, h, &first);
	for (i = 0; i < h->naddr6; i++) {
		dhcp_sep(out, &first);
		fputc('[', out);
		dhcp_print_in6(out, &h->addr6[i].addr);
		if (h->addr6[i].has_prefix)
			fprintf(out, "/%u", (unsigned)h->addr6[i].prefixlen);
		fputc(']', out);
	}
	if (h->flags & CONF_DHCP_HOST_ADDR) {
		dhcp_sep(out, &first);
		dhcp_print_in(out, h->addr);
	}
	if (h->flags & CONF_DHCP_HOST_NAME) {
		dhcp_sep(out, &first);
		dhcp_print_hostname(out, h);
	}
	if (h->flags & CONF_DHCP_HOST_LEASE) {
		dhcp_sep(out, &first);
		dhcp_print_lease(out, h->lease);
	}
	if (h->flags & CONF_DHCP_HOST_IGNORE) {
		dhcp_sep(out, &first);
		fputs("ignore", out);
	}
	fputc('\n', out);
}

static void
dhcp_print_boot(const struct conf *cf, FILE *out,
    const struct conf_dhcp_boot *b)
{
	bool server = b->next_server.s_addr != 0 || b->tftp_sname != NULL;

	fputs("dhcp-boot=", out);
	dhcp_print_tagexpr(cf, out, &b->filter, true);
	dhcp_print_field(out, b->file ? b->file : "");
	if (b->sname != NULL || server) {
		fputc(',', out);
		dhcp_print_field(out, b->sname ? b->sname : "");
	}
	if (b->next_server.s_addr != 0) {
		fputc(',', out);
		dhcp_print_in(out, b->next_server);
	} else if (b->tftp_sname != NULL) {
		fputc(',', out);
		dhcp_print_field(out, b->tftp_sname);
	}
	fputc('\n', out);
}

/* A domain name reads back through canonicalisation, which drops one
 * trailing dot: give it one when the name ends in a dot or is empty. */
static void
dhcp_print_domain_name(FILE *out, const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || name[len - 1] == '.') {
		char buf[DHCP_MAXDNAME + 2];

		snprintf(buf, sizeof(buf), "%s.", name);
		dhcp_print_field(out, buf);
	} else
		dhcp_print_field(out, name);
}

static void
dhcp_print_domains(const struct conf_dhcp *d, FILE *out)
{
	const struct conf_dhcp_domain *e;

	if (d->domain_suffix != NULL) {
		fputs("domain=", out);
		dhcp_print_domain_name(out, d->domain_suffix);
		fputc('\n', out);
	}
	if (d->domain_from_resolv)
		fputs("domain=\"#\"\n", out);
	for (e = d->domains; e != NULL; e = e->next) {
		fputs("domain=", out);
		dhcp_print_domain_name(out, e->domain);
		fputc(',', out);
		if (e->kind == CONF_DHCP_DOMAIN_IFACE) {
			if (e->iface != NULL)
				conf_print_value(out, e->iface);
		} else if (e->is6) {
			dhcp_print_in6(out, &e->start6);
			if (e->kind == CONF_DHCP_DOMAIN_PREFIX)
				fprintf(out, "/%u", e->prefixlen);
			else {
				fputc(',', out);
				dhcp_print_in6(out, &e->end6);
			}
		} else {
			dhcp_print_in(out, e->start);
			if (e->kind == CONF_DHCP_DOMAIN_PREFIX)
				fprintf(out, "/%u", e->prefixlen);
			else {
				fputc(',', out);
				dhcp_print_in(out, e->end);
			}
		}
		if (e->local)
			fputs(",local", out);
		fputc('\n', out);
	}
}

static void
dhcp_print_classes(const struct conf *cf, FILE *out)
{
	const struct conf_dhcp_class *e;

	for (e = cf->dhcp->classes; e != NULL; e = e->next) {
		char *text = strndup((const char *)e->data, e->len);

		if (text == NULL)
			continue;
		fputs(e->kind == CONF_DHCP_CLASS_VENDOR ? "dhcp-vendorclass=" :
		    "dhcp-userclass=", out);
		dhcp_print_tagset(cf, out, &e->set, false);
		fputc(',', out);
		if (e->enterprise != 0)
			fprintf(out, "enterprise:%u,", (unsigned)e->enterprise);
		dhcp_print_field(out, text);
		fputc('\n', out);
		free(text);
	}
}

static void
dhcp_print_tagrules(const struct conf *cf, FILE *out)
{
	const struct conf_dhcp *d = cf->dhcp;
	const struct conf_dhcp_mac *m;
	const struct conf_dhcp_tagif *t;
	const struct conf_dhcp_taglist *l;

	for (m = d->macs; m != NULL; m = m->next) {
		fputs("dhcp-mac=", out);
		dhcp_print_tagset(cf, out, &m->set, false);
		fputc(',', out);
		dhcp_print_hwaddr(out, &m->hw, false);
		fputc('\n', out);
	}
	for (t = d->tagifs; t != NULL; t = t->next) {
		fputs("tag-if=", out);
		dhcp_print_tagset(cf, out, &t->set, t->tag.n != 0);
		dhcp_print_tagexpr(cf, out, &t->tag, false);
		fputc('\n', out);
	}
	for (l = d->ignores; l != NULL; l = l->next) {
		fputs("dhcp-ignore=", out);
		dhcp_print_tagexpr(cf, out, &l->tags, false);
		fputc('\n', out);
	}
	for (l = d->broadcasts; l != NULL; l = l->next) {
		fputs(l->tags.n ? "dhcp-broadcast=" : "dhcp-broadcast", out);
		dhcp_print_tagexpr(cf, out, &l->tags, false);
		fputc('\n', out);
	}
}

static void
dhcp_print_paths(FILE *out, const char *key, const struct conf_strlist *l)
{
	const struct conf_str *e;

	for (e = l->head; e != NULL; e = e->next) {
		fprintf(out, "%s=", key);
		conf_print_value(out, e->s);
		fputc('\n', out);
	}
}

/* dhcp-reply-delay is single-valued: only the entry read last (the
 * file's, which dnsmasq consults first) can be written back. */
static void
dhcp_print_scalars(const struct conf *cf, FILE *out)
{
	const struct conf_dhcp *d = cf->dhcp;
	const struct conf_dhcp_delay *e, *last = NULL;

	if (d->leasefile != NULL) {
		fputs("dhcp-leasefile=", out);
		conf_print_value(out, d->leasefile);
		fputc('\n', out);
	}
	if (d->lease_max_set)
		fprintf(out, "dhcp-lease-max=%u\n", (unsigned)d->lease_max);
	if (d->script != NULL) {
		fputs("dhcp-script=", out);
		conf_print_value(out, d->script);
		fputc('\n', out);
	}
	if (d->script_user != NULL) {
		fputs("dhcp-scriptuser=", out);
		conf_print_value(out, d->script_user);
		fputc('\n', out);
	}
	for (e = d->delays; e != NULL; e = e->next)
		last = e;
	if (last != NULL) {
		fputs("dhcp-reply-delay=", out);
		dhcp_print_tagexpr(cf, out, &last->filter, true);
		fprintf(out, "%u\n", (unsigned)last->delay);
	}
}

void
conf_dhcp_print(const struct conf *cf, FILE *out)
{
	const struct conf_dhcp *d = cf->dhcp;
	const struct conf_dhcp_range *r;
	const struct conf_dhcp_range6 *r6;
	const struct conf_dhcp_host *h;
	const struct conf_dhcp_boot *b;

	if (d == NULL)
		return;
	dhcp_print_scalars(cf, out);
	dhcp_print_domains(d, out);
	for (r = d->ranges; r != NULL; r = r->next)
		dhcp_print_range4(cf, out, r);
	for (r6 = d->ranges6; r6 != NULL; r6 = r6->next)
		dhcp_print_range6(cf, out, r6);
	for (h = d->hosts; h != NULL; h = h->next)
		if (!(h->flags & CONF_DHCP_HOST_BANK))
			dhcp_print_host(cf, out, h);
	for (b = d->boots; b != NULL; b = b->next)
		dhcp_print_boot(cf, out, b);
	dhcp_print_classes(cf, out);
	dhcp_print_tagrules(cf, out);
	dhcp_print_paths(out, "dhcp-hostsfile", &d->hostsfiles);
	dhcp_print_paths(out, "dhcp-optsfile", &d->optsfiles);
	dhcp_print_paths(out, "dhcp-hostsdir", &d->hostsdirs);
	dhcp_print_paths(out, "dhcp-optsdir", &d->optsdirs);
}
