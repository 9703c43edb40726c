/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_dhcpopt.c - dhcp-option, dhcp-option-force and dhcp-match.
 *
 * The value of an option is encoded here, at load time, into the bytes
 * dnsmasq 2.90 would send.  dnsmasq decides how to read a value from the
 * option's type in its name table and from the look of the value (which
 * characters occur in it); the rules, in the order they are tried:
 *
 *   no value            zero-length option
 *   address-list type   dotted quads only ("bad IP address" when the
 *                       value does not look like addresses)
 *   time type, a digit  seconds, 4 bytes, optional s/m/h/d/w suffix
 *   hex look            bytes separated by ':' ('*' wildcards in
 *                       dhcp-match only), at least one ':'
 *   digits              an integer of the type's width, else the smallest
 *                       of 1/2/4 bytes that holds it; a b/s/i suffix
 *                       forces 1/2/4 bytes
 *   address look        IPv4 addresses; A.B.C.D/len is the RFC 3442
 *                       compact descriptor; option 120 gets the RFC 3361
 *                       enc byte 1
 *   otherwise text      119 and 120 (not encapsulated): DNS names, RFC
 *                       1035 with compression (120: enc byte 0); names
 *                       under vendor:/encap: given as option:domain-search
 *                       are plain RFC 1035; anything else is the text
 *                       itself, without NUL
 *
 * Name and text types switch off the number, hex and address looks.
 * Quoting a value hides its characters from the look (the lexer turns
 * them into control bytes), so "1.2.3.4" is text.
 *
 * Names go through conf_canonicalise() (dnsmasq's canonicalise_opt, with
 * IDNA2008 for names with capitals or non-ASCII letters).
 *
 * DHCPv6 (option6:) entries are checked with the same rules and recorded
 * as unsupported: pxemasq serves DHCPv4 only.
 */
#include "conf_dhcpopt.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_int.h"

/* --- option names ------------------------------------------------------- */

/* dnsmasq 2.90 dhcp-common.c: the names option:NAME accepts.  Codes 12,
 * 28, 43, 50-57, 61, 81, 82 and 118 are set by the server itself. */
static const struct dhcp_optname dhcpopt_names4[] = {
	{ "netmask", 1, DHCP_OT_ADDR_LIST },
	{ "time-offset", 2, 4 },
	{ "router", 3, DHCP_OT_ADDR_LIST },
	{ "dns-server", 6, DHCP_OT_ADDR_LIST },
	{ "log-server", 7, DHCP_OT_ADDR_LIST },
	{ "lpr-server", 9, DHCP_OT_ADDR_LIST },
	{ "hostname", 12, DHCP_OT_INTERNAL | DHCP_OT_NAME },
	{ "boot-file-size", 13, 2 | DHCP_OT_DEC },
	{ "domain-name", 15, DHCP_OT_NAME },
	{ "swap-server", 16, DHCP_OT_ADDR_LIST },
	{ "root-path", 17, DHCP_OT_NAME },
	{ "extension-path", 18, DHCP_OT_NAME },
	{ "ip-forward-enable", 19, 1 },
	{ "non-local-source-routing", 20, 1 },
	{ "policy-filter", 21, DHCP_OT_ADDR_LIST },
	{ "max-datagram-reassembly", 22, 2 | DHCP_OT_DEC },
	{ "default-ttl", 23, 1 | DHCP_OT_DEC },
	{ "mtu", 26, 2 | DHCP_OT_DEC },
	{ "all-subnets-local", 27, 1 },
	{ "broadcast", 28, DHCP_OT_INTERNAL | DHCP_OT_ADDR_LIST },
	{ "router-discovery", 31, 1 },
	{ "router-solicitation", 32, DHCP_OT_ADDR_LIST },
	{ "static-route", 33, DHCP_OT_ADDR_LIST },
	{ "trailer-encapsulation", 34, 1 },
	{ "arp-timeout", 35, 4 | DHCP_OT_DEC },
	{ "ethernet-encap", 36, 1 },
	{ "tcp-ttl", 37, 1 },
	{ "tcp-keepalive", 38, 4 | DHCP_OT_DEC },
	{ "nis-domain", 40, DHCP_OT_NAME },
	{ "nis-server", 41, DHCP_OT_ADDR_LIST },
	{ "ntp-server", 42, DHCP_OT_ADDR_LIST },
	{ "vendor-encap", 43, DHCP_OT_INTERNAL },
	{ "netbios-ns", 44, DHCP_OT_ADDR_LIST },
	{ "netbios-dd", 45, DHCP_OT_ADDR_LIST },
	{ "netbios-nodetype", 46, 1 },
	{ "netbios-scope", 47, 0 },
	{ "x-windows-fs", 48, DHCP_OT_ADDR_LIST },
	{ "x-windows-dm", 49, DHCP_OT_ADDR_LIST },
	{ "requested-address", 50, DHCP_OT_INTERNAL | DHCP_OT_ADDR_LIST },
	{ "lease-time", 51, DHCP_OT_INTERNAL | DHCP_OT_TIME },
	{ "option-overload", 52, DHCP_OT_INTERNAL },
	{ "message-type", 53, DHCP_OT_INTERNAL | DHCP_OT_DEC },
	{ "server-identifier", 54, DHCP_OT_INTERNAL | DHCP_OT_ADDR_LIST },
	{ "parameter-request", 55, DHCP_OT_INTERNAL },
	{ "message", 56, DHCP_OT_INTERNAL },
	{ "max-message-size", 57, DHCP_OT_INTERNAL },
	{ "T1", 58, DHCP_OT_TIME },
	{ "T2", 59, DHCP_OT_TIME },
	{ "vendor-class", 60, 0 },
	{ "client-id", 61, DHCP_OT_INTERNAL },
	{ "nis+-domain", 64, DHCP_OT_NAME },
	{ "nis+-server", 65, DHCP_OT_ADDR_LIST },
	{ "tftp-server", 66, DHCP_OT_NAME },
	{ "bootfile-name", 67, DHCP_OT_NAME },
	{ "mobile-ip-home", 68, DHCP_OT_ADDR_LIST },
	{ "smtp-server", 69, DHCP_OT_ADDR_LIST },
	{ "pop3-server", 70, DHCP_OT_ADDR_LIST },
	{ "nntp-server", 71, DHCP_OT_ADDR_LIST },
	{ "irc-server", 74, DHCP_OT_ADDR_LIST },
	{ "user-class", 77, 0 },
	{ "rapid-commit", 80, 0 },
	{ "FQDN", 81, DHCP_OT_INTERNAL },
	{ "agent-id", 82, DHCP_OT_INTERNAL },
	{ "client-arch", 93, 2 | DHCP_OT_DEC },
	{ "client-interface-id", 94, 0 },
	{ "client-machine-id", 97, 0 },
	{ "posix-timezone", 100, DHCP_OT_NAME },	/* RFC 4833 */
	{ "tzdb-timezone", 101, DHCP_OT_NAME },
	{ "ipv6-only", 108, 4 | DHCP_OT_DEC },		/* RFC 8925 */
	{ "subnet-select", 118, DHCP_OT_INTERNAL },
	{ "domain-search", 119, DHCP_OT_RFC1035_NAME },
	{ "sip-server", 120, 0 },
	{ "classless-static-route", 121, 0 },
	{ "vendor-id-encap", 125, 0 },
	{ "tftp-server-address", 150, DHCP_OT_ADDR_LIST },
	{ "server-ip-address", 255, DHCP_OT_ADDR_LIST }, /* sets siaddr */
};

/* dnsmasq 2.90's DHCPv6 names, needed to check option6: entries. */
static const struct dhcp_optname dhcpopt_names6[] = {
	{ "client-id", 1, DHCP_OT_INTERNAL },
	{ "server-id", 2, DHCP_OT_INTERNAL },
	{ "ia-na", 3, DHCP_OT_INTERNAL },
	{ "ia-ta", 4, DHCP_OT_INTERNAL },
	{ "iaaddr", 5, DHCP_OT_INTERNAL },
	{ "oro", 6, DHCP_OT_INTERNAL },
	{ "preference", 7, DHCP_OT_INTERNAL | DHCP_OT_DEC },
	{ "unicast", 12, DHCP_OT_INTERNAL },
	{ "status", 13, DHCP_OT_INTERNAL },
	{ "rapid-commit", 14, DHCP_OT_INTERNAL },
	{ "user-class", 15, DHCP_OT_INTERNAL | DHCP_OT_CSTRING },
	{ "vendor-class", 16, DHCP_OT_INTERNAL | DHCP_OT_CSTRING },
	{ "vendor-opts", 17, DHCP_OT_INTERNAL },
	{ "sip-server-domain", 21, DHCP_OT_RFC1035_NAME },
	{ "sip-server", 22, DHCP_OT_ADDR_LIST },
	{ "dns-server", 23, DHCP_OT_ADDR_LIST },
	{ "domain-search", 24, DHCP_OT_RFC1035_NAME },
	{ "nis-server", 27, DHCP_OT_ADDR_LIST },
	{ "nis+-server", 28, DHCP_OT_ADDR_LIST },
	{ "nis-domain", 29, DHCP_OT_RFC1035_NAME },
	{ "nis+-domain", 30, DHCP_OT_RFC1035_NAME },
	{ "sntp-server", 31, DHCP_OT_ADDR_LIST },
	{ "information-refresh-time", 32, DHCP_OT_TIME },
	{ "FQDN", 39, DHCP_OT_INTERNAL | DHCP_OT_RFC1035_NAME },
	{ "posix-timezone", 41, DHCP_OT_NAME },
	{ "tzdb-timezone", 42, DHCP_OT_NAME },
	{ "ntp-server", 56, 0 },	/* addresses or names, by look */
	{ "bootfile-url", 59, DHCP_OT_NAME },
	{ "bootfile-param", 60, DHCP_OT_CSTRING },
};

#define DHCPOPT_N4 (sizeof(dhcpopt_names4) / sizeof(dhcpopt_names4[0]))
#define DHCPOPT_N6 (sizeof(dhcpopt_names6) / sizeof(dhcpopt_names6[0]))

#define DHCPOPT_V6_NTP_SERVER	56	/* RFC 5908 */
#define DHCPOPT_DOMAIN_SEARCH	119	/* RFC 3397 */
#define DHCPOPT_SIP_SERVER	120	/* RFC 3361 */

const struct dhcp_optname *
dhcp_optname_at(unsigned i)
{
	return i < DHCPOPT_N4 ? &dhcpopt_names4[i] : NULL;
}

static const struct dhcp_optname *
dhcpopt_by_code(bool v6, long code)
{
	const struct dhcp_optname *t = v6 ? dhcpopt_names6 : dhcpopt_names4;
	size_t i, n = v6 ? DHCPOPT_N6 : DHCPOPT_N4;

	for (i = 0; i < n; i++)
		if (t[i].code == code)
			return &t[i];
	return NULL;
}

static const struct dhcp_optname *
dhcpopt_by_name(bool v6, const char *name)
{
	const struct dhcp_optname *t = v6 ? dhcpopt_names6 : dhcpopt_names4;
	size_t i, n = v6 ? DHCPOPT_N6 : DHCPOPT_N4;

	for (i = 0; i < n; i++)
		if (strcasecmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

const struct dhcp_optname *
dhcp_optname_by_code(unsigned code)
{
	return dhcpopt_by_code(false, code);
}

const struct dhcp_optname *
dhcp_optname_by_name(const char *name)
{
	return dhcpopt_by_name(false, name);
}

/* The type dnsmasq reads a value with: the table's, without OT_DEC. */
static uint16_t
dhcpopt_type(bool v6, long code)
{
	const struct dhcp_optname *o = dhcpopt_by_code(v6, code);

	return o != NULL ? (uint16_t)(o->type & ~DHCP_OT_DEC) : 0;
}

/* --- small helpers ------------------------------------------------------ */

/* dnsmasq converts numbers with atoi(): glibc's (int)strtol(s, NULL, 10),
 * leading blanks and a sign allowed, junk after the digits ignored, out
 * of range values cut to 32 bits. */
static int
dhcpopt_atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

static bool
dhcpopt_all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static char *
dhcpopt_copy(struct conf_ctx *c, const char *s)
{
	size_t n = strlen(s);
	char *p = conf_alloc(c, n + 1);

	memcpy(p, s, n);
	return p;
}

static void
dhcpopt_put_be(uint8_t *p, uint32_t v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> ((n - i - 1) * 8));
}

static uint32_t
dhcpopt_get_be(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* --- DNS names ---------------------------------------------------------- */

/* Appends name in RFC 1035 labels and a zero byte; returns the end. */
static uint8_t *
dhcpopt_put_labels(uint8_t *q, const char *name)
{
	while (name != NULL && *name) {
		uint8_t *lenp = q++;
		unsigned n = 0;

		for (; *name && *name != '.'; name++, n++)
			*q++ = (uint8_t)*name;
		*lenp = (uint8_t)n;
		if (*name)
			name++;
	}
	*q++ = 0;
	return q;
}

/*
 * dnsmasq's suffix compression for options 119 and 120: the new name,
 * already appended at p + len, is walked label by label, and the first
 * of its suffixes that equals, byte for byte up to a zero byte, the data
 * at some label position of what came before is replaced by a pointer to
 * it.  dnsmasq compares raw bytes (earlier pointers included), so this
 * does the same.  Returns the new length.
 */
static size_t
dhcpopt_compress(uint8_t *p, size_t len, size_t newlen)
{
	uint8_t *tail, *r;

	for (tail = p + len; *tail; tail += *tail + 1)
		for (r = p; r < p + len; r += *r + 1)
			if (strcmp((const char *)r, (const char *)tail) == 0) {
				size_t off = (size_t)(r - p);

				tail[0] = (uint8_t)(0xc0 | (off >> 8));
				tail[1] = (uint8_t)off;
				return (size_t)(tail + 2 - p);
			}
	return newlen;
}

/* --- reading an option spec --------------------------------------------- */

enum dhcpopt_mode { DHCPOPT_OPTION, DHCPOPT_MATCH };

/* What the fields before the value said. */
struct dhcpopt_spec {
	enum dhcpopt_mode mode;
	bool v6;
	bool code_ok;		/* an acceptable option was named */
	int code;
	unsigned flags;		/* ENCAP, VI_ENCAP, VENDOR */
	uint32_t encap;
	const char *vendor_class;
	uint16_t type;
	unsigned ntags;
	char **tags;		/* raw text after tag:/set:/net: */
	char *value;		/* text after the option field, or NULL */
};

/* What characters a value holds (dnsmasq's look at it). */
struct dhcpopt_look {
	bool addr, addr6, hex, dec, digit;
	unsigned addrs;		/* fields separated by ',' */
	unsigned digs;		/* fields separated by ':' */
	unsigned dots;
	char lenchar;		/* b, s or i suffix, cut off the value */
};

static bool
dhcpopt_is_hexletter(char ch)
{
	return (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static void
dhcpopt_look_other(char *p, bool match, struct dhcpopt_look *k)
{
	char ch = *p;

	k->addr = false;
	if (p[1] == '\0' && k->dec && (ch == 'b' || ch == 's' || ch == 'i')) {
		k->lenchar = ch;
		*p = '\0';
	} else
		k->dec = false;
	if (!dhcpopt_is_hexletter(ch) && !(ch == '*' && match)) {
		k->hex = false;
		if (ch != '[' && ch != ']')
			k->addr6 = false;
	}
}

static void
dhcpopt_look_at(char *v, bool match, struct dhcpopt_look *k)
{
	bool colon = false;
	char *p;

	memset(k, 0, sizeof(*k));
	k->addr = k->addr6 = k->hex = k->dec = true;
	k->addrs = k->digs = 1;
	for (p = v; *p; p++) {
		switch (*p) {
		case ',':
			k->addrs++;
			k->dec = k->hex = false;
			break;
		case ':':
			k->digs++;
			k->dec = k->addr = false;
			colon = true;
			break;
		case '/':
			k->addr6 = k->dec = k->hex = false;
			if (p == v)
				k->addr = false;	/* a path name */
			break;
		case '.':
			k->dec = k->hex = false;
			k->dots++;
			break;
		case '-':
			k->hex = k->addr = k->addr6 = false;
			break;
		case ' ':
			k->dec = k->hex = false;
			break;
		default:
			if (*p >= '0' && *p <= '9')
				k->digit = true;
			else
				dhcpopt_look_other(p, match, k);
			break;
		}
	}
	if (!k->digit)
		k->dec = k->addr = false;
	if (!colon)
		k->addr6 = false;
}

/* One field before the option: vendor:, encap:, vi-encap: or a tag.
 * Returns 1 when it ends the fields (vi-encap: in dhcp-match), 0 to go
 * on, -1 on error. */
static int
dhcpopt_prefix_field(struct conf_ctx *c, struct dhcpopt_spec *s, char *f)
{
	bool match = s->mode == DHCPOPT_MATCH;

	if (conf_has_prefix(f, "vendor:")) {
		s->vendor_class = conf_strdup(c, f + 7);
		s->flags |= CONF_DHCPOPT_VENDOR;
		if ((s->flags & CONF_DHCPOPT_ENCAP) || match)
			return conf_err(c, "inappropriate vendor:");
	} else if (conf_has_prefix(f, "encap:")) {
		s->encap = (uint32_t)dhcpopt_atoi(f + 6);
		/* vendor: before encap: makes dnsmasq 2.90 crash (both live
		 * in one union and the error path frees the class through
		 * the overwritten pointer); we report the error it meant. */
		if ((s->flags & CONF_DHCPOPT_VENDOR) || match)
			return conf_err(c, "inappropriate encap:");
		s->flags |= CONF_DHCPOPT_ENCAP;
	} else if (conf_has_prefix(f, "vi-encap:")) {
		s->encap = (uint32_t)dhcpopt_atoi(f + 9);
		s->flags |= CONF_DHCPOPT_VI_ENCAP;
		if (match) {
			s->code_ok = true;
			return 1;
		}
	} else if (conf_is_tag_prefix(f))
		s->tags[s->ntags++] = f + 4;
	else	/* set: is optional, and means tag: here */
		s->tags[s->ntags++] = f + (conf_has_prefix(f, "set:") ? 4 : 0);
	return 0;
}

/* option:NAME or option6:NAME|NUMBER. */
static void
dhcpopt_named(struct dhcpopt_spec *s, char *name, bool v6)
{
	const struct dhcp_optname *o;

	s->v6 = v6;
	if (v6 && dhcpopt_all_digits(name)) {
		s->code = dhcpopt_atoi(name);
		s->code_ok = true;
		return;
	}
	if ((o = dhcpopt_by_name(v6, name)) == NULL) {
		s->code = -1;
		return;
	}
	s->code = o->code;
	s->type = (uint16_t)(o->type & ~DHCP_OT_DEC);
	if (!(s->type & DHCP_OT_INTERNAL) || s->mode == DHCPOPT_MATCH)
		s->code_ok = true;
}

/*
 * Reads the fields up to and including the option: tags (tag:, set:,
 * net: or bare words), vendor:, encap:, vi-encap:, then a number,
 * option:NAME or option6:.  Leaves the rest in s->value.
 */
static int
dhcpopt_read_fields(struct conf_ctx *c, struct dhcpopt_spec *s, char *arg)
{
	char *rest = NULL;
	unsigned nf = 1;
	const char *p;
	int rc;

	for (p = arg; *p; p++)
		nf += *p == ',';
	s->tags = conf_alloc(c, nf * sizeof(*s->tags));
	for (; arg != NULL; arg = rest) {
		rest = conf_split(arg);
		if (dhcpopt_all_digits(arg)) {
			s->code = dhcpopt_atoi(arg);	/* "" is option 0 */
			s->code_ok = true;
			break;
		}
		if (conf_has_prefix(arg, "option:")) {
			dhcpopt_named(s, arg + 7, false);
			break;
		}
		if (conf_has_prefix(arg, "option6:")) {
			dhcpopt_named(s, arg + 8, true);
			break;
		}
		if ((rc = dhcpopt_prefix_field(c, s, arg)) < 0)
			return -1;
		if (rc > 0)
			break;
	}
	s->value = rest;
	return 0;
}

/* --- encoding a value --------------------------------------------------- */

static void
dhcpopt_enc_time(struct conf_ctx *c, char *v, struct conf_dhcpopt_value *e)
{
	size_t n = strlen(v);
	uint32_t fac = 1;
	uint8_t *b;

	switch (v[n - 1]) {
	case 'w': case 'W':
		fac *= 7;
		__attribute__((fallthrough));
	case 'd': case 'D':
		fac *= 24;
		__attribute__((fallthrough));
	case 'h': case 'H':
		fac *= 60;
		__attribute__((fallthrough));
	case 'm': case 'M':
		fac *= 60;
		__attribute__((fallthrough));
	case 's': case 'S':
		v[n - 1] = '\0';
		break;
	default:
		break;
	}
	b = conf_alloc(c, 4);
	dhcpopt_put_be(b, (uint32_t)dhcpopt_atoi(v) * fac, 4);
	e->kind = CONF_DHCPOPT_TIME;
	e->len = 4;
	e->val = b;
}

/* One ':'-separated field of hex digits (or "*") into out[*i...].
 * Returns false where dnsmasq's parse_hex gives up (a '*' mixed with
 * digits). */
static bool
dhcpopt_hex_field(const char *in, size_t n, uint8_t *out, unsigned *i,
    unsigned max, uint32_t *mask)
{
	size_t j;

	if (n == 1 && in[0] == '*') {
		*mask = (*mask << 1) | 1;
		(*i)++;
		return true;
	}
	/* two digits a byte, from the left; an odd last digit is a byte */
	for (j = 0; j < n; j += 2) {
		char pair[3] = { in[j], j + 1 < n ? in[j + 1] : '\0', '\0' };

		if (strchr(pair, '*') != NULL)
			return false;
		out[*i] = (uint8_t)strtol(pair, NULL, 16);
		*mask <<= 1;
		if (++(*i) == max)
			break;
	}
	return true;
}

/* Per-byte wildcards from dnsmasq's mask (bit 0 = last byte, 32 bits);
 * wild bytes are zeroed so that equal configurations compare equal. */
static const uint8_t *
dhcpopt_wild(struct conf_ctx *c, uint8_t *b, unsigned len, uint32_t mask)
{
	uint8_t *w = conf_alloc(c, len);
	unsigned i, d;

	for (i = 0; i < len; i++) {
		d = len - 1 - i;
		if (d < 32 && ((mask >> d) & 1)) {
			w[i] = 1;
			b[i] = 0;
		}
	}
	return w;
}

/*
 * dnsmasq's parse_hex for option values: fields between ':' give bytes;
 * an empty field gives none, yet the length stays one byte per field
 * (the rest are zero); a field of more than two digits gives several
 * bytes, cut at the length.  The wildcard mask has one bit per byte
 * produced, the last byte in bit 0.
 */
static void
dhcpopt_enc_hex(struct conf_ctx *c, char *v, unsigned digs, bool match,
    struct conf_dhcpopt_value *e)
{
	uint8_t *b = conf_alloc(c, digs);
	uint32_t mask = 0;
	unsigned i = 0;
	bool ok = true;
	char *r;

	while (ok && i < digs) {
		r = v + strcspn(v, ":");
		if (r != v)
			ok = dhcpopt_hex_field(v, (size_t)(r - v), b, &i, digs,
			    &mask);
		if (*r == '\0')
			break;
		v = r + 1;
	}
	e->kind = CONF_DHCPOPT_HEX;
	e->len = (uint16_t)digs;
	e->val = b;
	/* parse_hex stores the mask when it succeeds */
	if (ok && match && mask != 0)
		e->wild = dhcpopt_wild(c, b, digs, mask);
}

/* Returns -1 for a width over 255 ("dhcp-option too long"). */
static int
dhcpopt_enc_int(struct conf_ctx *c, const char *v, uint16_t type,
    char lenchar, struct conf_dhcpopt_value *e)
{
	int val = dhcpopt_atoi(v);
	unsigned n;
	uint8_t *b;

	if (type != 0)
		n = type;
	else if ((unsigned)val & 0xffff0000u)
		n = 4;
	else if (val & 0xff00)
		n = 2;
	else
		n = 1;
	if (lenchar == 'b')
		n = 1;
	else if (lenchar == 's')
		n = 2;
	else if (lenchar == 'i')
		n = 4;
	if (n > 4)
		return -1;
	b = conf_alloc(c, n);
	dhcpopt_put_be(b, (uint32_t)val, n);
	e->kind = CONF_DHCPOPT_INT;
	e->len = (uint16_t)n;
	e->val = b;
	return 0;
}

/* One address element; appends its bytes at b + *op. */
static int
dhcpopt_addr_elem(struct conf_ctx *c, char *cp, uint8_t *b, size_t *op,
    struct conf_dhcpopt_elem *el)
{
	char *slash = conf_split_chr(cp, '/');
	uint8_t *a = (uint8_t *)&el->addr;
	int keep = 4, i;

	if (inet_pton(AF_INET, cp, &el->addr) != 1)
		return conf_err(c, "bad IPv4 address");
	if (slash != NULL) {
		el->has_prefix = true;
		el->prefix = dhcpopt_atoi(slash);
		b[(*op)++] = (uint8_t)el->prefix;
		keep = (el->prefix > 0) + (el->prefix > 8) +
		    (el->prefix > 16) + (el->prefix > 24);
	}
	for (i = 0; i < 4; i++)
		if (i >= keep)
			a[i] = 0;
		else
			b[(*op)++] = a[i];
	return 0;
}

static int
dhcpopt_enc_addrs(struct conf_ctx *c, const struct dhcpopt_spec *s, char *v,
    unsigned n, struct conf_dhcpopt_value *e)
{
	struct conf_dhcpopt_elem *el = conf_alloc(c, n * sizeof(*el));
	uint8_t *b = conf_alloc(c, 5 * n + 1);
	bool sip = s->code == DHCPOPT_SIP_SERVER && s->flags == 0;
	size_t op = 0;
	unsigned i;

	e->kind = CONF_DHCPOPT_ADDR;
	if (sip) {
		b[op++] = 1;	/* RFC 3361 enc: addresses */
		e->kind = CONF_DHCPOPT_ADDR_PREFIX;
	}
	for (i = 0; i < n; i++) {
		char *cp = v;

		v = conf_split(cp);
		if (dhcpopt_addr_elem(c, cp, b, &op, &el[i]) < 0)
			return -1;
		if (el[i].has_prefix)
			e->kind = CONF_DHCPOPT_ADDR_PREFIX;
	}
	e->len = (uint16_t)(op > 0xffff ? 0xffff : op);
	e->val = b;
	e->nelem = n;
	e->elem = el;
	return 0;
}

/*
 * DNS names, until the end or an empty field.  compress: options 119 and
 * 120 at top level (suffix compression, "." is the root name); else
 * dnsmasq's plain RFC 1035 form.  hdr: 120's enc byte.  The names are
 * made canonical first, since IDNA may make them longer.
 */
static int
dhcpopt_enc_names(struct conf_ctx *c, char *v, bool compress, unsigned hdr,
    struct conf_dhcpopt_value *e)
{
	const char **names;
	size_t len = 0, size = hdr + 1;
	unsigned n = 0, nf = 1, i;
	uint8_t *m, *p;
	char *rest;

	for (rest = v; *rest; rest++)
		nf += *rest == ',';
	names = conf_alloc(c, nf * sizeof(*names));
	for (rest = conf_split(v); v != NULL && *v; v = rest,
	    rest = conf_split(v)) {
		const char *dom = "";

		if ((!compress || strcmp(v, ".") != 0) &&
		    (dom = conf_canonicalise(c, v)) == NULL)
			return conf_err(c, "bad domain in dhcp-option");
		names[n++] = dom;
		size += strlen(dom) + 2;
	}
	m = conf_alloc(c, size);
	p = m + hdr;
	for (i = 0; i < n; i++) {
		size_t newlen = (size_t)(dhcpopt_put_labels(p + len,
		    names[i]) - p);

		len = compress ? dhcpopt_compress(p, len, newlen) : newlen;
	}
	e->kind = CONF_DHCPOPT_DOMAINS;
	e->len = (uint16_t)(len + hdr > 0xffff ? 0xffff : len + hdr);
	e->val = e->len ? m : NULL;	/* 120's enc byte 0 is in m */
	e->nname = n;
	e->name = names;
	return 0;
}

static void
dhcpopt_enc_text(struct conf_ctx *c, const char *v,
    struct conf_dhcpopt_value *e)
{
	size_t n = strlen(v);

	e->kind = CONF_DHCPOPT_TEXT;
	e->len = (uint16_t)(n > 0xffff ? 0xffff : n);
	e->val = n ? (const uint8_t *)conf_strdup(c, v) : NULL;
}

/* The address / name / text branches of a DHCPv4 value. */
static int
dhcpopt_enc_look4(struct conf_ctx *c, const struct dhcpopt_spec *s, char *v,
    const struct dhcpopt_look *k, struct conf_dhcpopt_value *e)
{
	bool top = s->flags == 0;

	if (k->addr)
		return dhcpopt_enc_addrs(c, s, v, k->addrs, e);
	if (top && (s->code == DHCPOPT_DOMAIN_SEARCH ||
	    s->code == DHCPOPT_SIP_SERVER))
		return dhcpopt_enc_names(c, v, true,
		    s->code == DHCPOPT_SIP_SERVER, e);
	if (s->type & DHCP_OT_RFC1035_NAME)
		return dhcpopt_enc_names(c, v, false, 0, e);
	dhcpopt_enc_text(c, v, e);
	return 0;
}

/*
 * Checks a DHCPv6 value (option6:) the way dnsmasq does; the bytes are
 * not kept.  Errors: bad IPv6 address, bad domain in dhcp-option.
 */
static int
dhcpopt_check6(struct conf_ctx *c, const struct dhcpopt_spec *s, char *v,
    struct dhcpopt_look *k)
{
	uint16_t type = s->type;
	char *cp;

	if (s->code == DHCPOPT_V6_NTP_SERVER && !k->hex)
		type |= k->addr6 ? DHCP_OT_ADDR_LIST : DHCP_OT_RFC1035_NAME;
	if ((type & DHCP_OT_ADDR_LIST) && !k->addr6)
		return conf_err(c, "bad IPv6 address");
	if (type & DHCP_OT_ADDR_LIST)
		k->dec = k->hex = false;
	else if (type & (DHCP_OT_NAME | DHCP_OT_RFC1035_NAME |
	    DHCP_OT_CSTRING))
		k->addr6 = k->dec = k->hex = false;
	if ((k->digit && (type & DHCP_OT_TIME) && *v) ||
	    (k->hex && k->digs > 1) || k->dec)
		return 0;
	if (k->addr6) {
		for (cp = v; cp != NULL; cp = v) {
			struct in6_addr a;
			size_t n;

			v = conf_split(cp);
			if (*cp == '[')
				cp++;
			n = strlen(cp);
			if (n > 1 && cp[n - 1] == ']')
				cp[n - 1] = '\0';
			if (inet_pton(AF_INET6, cp, &a) != 1)
				return conf_err(c, "bad IPv6 address");
		}
		return 0;
	}
	if (!(type & DHCP_OT_RFC1035_NAME) || (type & DHCP_OT_CSTRING))
		return 0;
	for (cp = v, v = conf_split(cp); cp != NULL && *cp;
	    cp = v, v = conf_split(cp))	/* up to an empty field */
		if (conf_canonicalise(c, cp) == NULL)
			return conf_err(c, "bad domain in dhcp-option");
	return 0;
}

static int
dhcpopt_encode(struct conf_ctx *c, const struct dhcpopt_spec *s, char *v,
    struct conf_dhcpopt_value *e)
{
	bool match = s->mode == DHCPOPT_MATCH;
	struct dhcpopt_look k;

	dhcpopt_look_at(v, match, &k);
	if (s->v6)
		return dhcpopt_check6(c, s, v, &k);
	if (s->type & DHCP_OT_ADDR_LIST) {
		if (!k.addr || k.dots == 0)
			return conf_err(c, "bad IP address");
		k.dec = k.hex = false;
	} else if (s->type & (DHCP_OT_NAME | DHCP_OT_RFC1035_NAME |
	    DHCP_OT_CSTRING))
		k.addr = k.dec = k.hex = false;
	if (k.digit && (s->type & DHCP_OT_TIME) && *v)
		dhcpopt_enc_time(c, v, e);
	else if (k.hex && k.digs > 1)
		dhcpopt_enc_hex(c, v, k.digs, match, e);
	else if (k.dec) {
		if (dhcpopt_enc_int(c, v, s->type, k.lenchar, e) < 0)
			return conf_err(c, "dhcp-option too long");
	} else
		return dhcpopt_enc_look4(c, s, v, &k, e);
	return 0;
}

/* Reads one dhcp-option / dhcp-match value into s and e. */
static int
dhcpopt_parse(struct conf_ctx *c, struct dhcpopt_spec *s, char *arg,
    struct conf_dhcpopt_value *e)
{
	unsigned encaps;

	if (dhcpopt_read_fields(c, s, arg) < 0)
		return -1;
	encaps = s->flags & (CONF_DHCPOPT_VENDOR | CONF_DHCPOPT_ENCAP |
	    CONF_DHCPOPT_VI_ENCAP);
	if (s->v6 && (s->flags & (CONF_DHCPOPT_VENDOR | CONF_DHCPOPT_ENCAP)))
		return conf_err(c, "unsupported encapsulation for IPv6 option");
	if (s->type == 0 && !(s->v6 ? s->flags & CONF_DHCPOPT_VI_ENCAP :
	    encaps))
		s->type = dhcpopt_type(s->v6, s->code);
	if (!s->code_ok)
		return conf_err(c, "bad dhcp-option");
	e->kind = CONF_DHCPOPT_EMPTY;
	e->type = s->type;
	if (s->value != NULL && dhcpopt_encode(c, s, s->value, e) < 0)
		return -1;
	if (!s->v6 && (e->len > 255 ||
	    (e->len > 253 && (encaps & (CONF_DHCPOPT_VENDOR |
	    CONF_DHCPOPT_ENCAP))) ||
	    (e->len > 250 && (encaps & CONF_DHCPOPT_VI_ENCAP))))
		return conf_err(c, "dhcp-option too long");
	if (s->mode == DHCPOPT_MATCH && s->ntags != 1)
		return conf_err(c, "illegal dhcp-match");
	return 0;
}

/* --- handlers ----------------------------------------------------------- */

/* An arena copy of a raw (still hidden) value, for conf_unsup_add when
 * the entry turns out to be DHCPv6. */
static char *
dhcpopt_raw6(struct conf_ctx *c, const char *arg)
{
	return strstr(arg, "option6:") != NULL ? dhcpopt_copy(c, arg) : NULL;
}

/* self_mask: 0.0.0.0 is "this server" in top-level address options. */
static void
dhcpopt_self_mask(struct conf_dhcp_opt *o)
{
	unsigned i;

	if (o->v.kind != CONF_DHCPOPT_ADDR || o->flags & (CONF_DHCPOPT_ENCAP |
	    CONF_DHCPOPT_VI_ENCAP | CONF_DHCPOPT_VENDOR))
		return;
	for (i = 0; i < o->v.len / 4 && i < 64; i++)
		if (dhcpopt_get_be(o->v.val + 4 * i, 4) == 0)
			o->v.self_mask |= (uint64_t)1 << i;
}

int
conf_dhcp_option(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dhcpopt *d = c->cf->dhcpopt;
	struct dhcpopt_spec s = { .mode = DHCPOPT_OPTION };
	struct conf_dhcpopt_value e = { .kind = CONF_DHCPOPT_EMPTY };
	char *raw6 = dhcpopt_raw6(c, arg);
	struct conf_dhcp_opt *o;
	unsigned i;

	if (dhcpopt_parse(c, &s, arg, &e) < 0)
		return -1;
	if (s.v6)
		return conf_unsup_add(c, kw, raw6);
	o = conf_alloc(c, sizeof(*o));
	o->src = c->src;
	o->code = s.code;
	o->flags = s.flags;
	if (kw->id == CONF_KW_DHCP_OPTION_FORCE)
		o->flags |= CONF_DHCPOPT_FORCE;
	if (c->hard_kw != NULL)
		o->flags |= CONF_DHCPOPT_BANK;
	o->encap = s.encap;
	o->vendor_class = s.vendor_class;
	for (i = 0; i < s.ntags; i++)
		if (conf_tagexpr_add(c, &o->tags, s.tags[i]) < 0)
			return -1;
	o->v = e;
	dhcpopt_self_mask(o);
	*d->opts_tail = o;
	d->opts_tail = &o->next;
	d->nopts++;
	return 0;
}

int
conf_dhcp_match(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_dhcpopt *d = c->cf->dhcpopt;
	struct dhcpopt_spec s = { .mode = DHCPOPT_MATCH };
	struct conf_dhcpopt_value e = { .kind = CONF_DHCPOPT_EMPTY };
	char *raw6 = dhcpopt_raw6(c, arg);
	struct conf_dhcp_match *m;
	char *tag;

	if (dhcpopt_parse(c, &s, arg, &e) < 0)
		return -1;
	if (s.v6)
		return conf_unsup_add(c, kw, raw6);
	m = conf_alloc(c, sizeof(*m));
	m->src = c->src;
	tag = conf_strdup(c, s.tags[0]);
	if (conf_tag_intern(c, tag != NULL ? tag : "", &m->tag) < 0)
		return -1;
	m->vi_encap = (s.flags & CONF_DHCPOPT_VI_ENCAP) != 0;
	m->enterprise = m->vi_encap ? s.encap : 0;
	m->code = m->vi_encap ? 0 : s.code;
	m->v = e;
	*d->matches_tail = m;
	d->matches_tail = &m->next;
	d->nmatches++;
	return 0;
}

int
conf_dhcpopt_init(struct conf_ctx *c)
{
	struct conf_dhcpopt *d = conf_alloc(c, sizeof(*d));

	d->opts_tail = &d->opts;
	d->matches_tail = &d->matches;
	c->cf->dhcpopt = d;
	return 0;
}

/* Nothing depends on other options: dnsmasq checks each line alone. */
int
conf_dhcpopt_finish(struct conf_ctx *c)
{
	(void)c;
	return 0;
}

/* --- --dump-config ------------------------------------------------------ */

/*
 * Each value is printed in a form that dnsmasq reads back, with the same
 * option type, into the same bytes and the same kind.  The option is
 * printed as a number, except under vendor:/encap:/vi-encap: when it was
 * named (a name gives the value a type there, a number does not).
 */

static void
dhcpopt_print_addrs(FILE *out, const struct conf_dhcpopt_value *v)
{
	unsigned i;

	for (i = 0; i + 4 <= v->len; i += 4)
		fprintf(out, "%s%u.%u.%u.%u", i ? "," : "", v->val[i],
		    v->val[i + 1], v->val[i + 2], v->val[i + 3]);
}

static void
dhcpopt_print_elems(FILE *out, const struct conf_dhcpopt_value *v)
{
	char buf[INET_ADDRSTRLEN];
	unsigned i;

	for (i = 0; i < v->nelem; i++) {
		const struct conf_dhcpopt_elem *el = &v->elem[i];

		inet_ntop(AF_INET, &el->addr, buf, sizeof(buf));
		fprintf(out, "%s%s", i ? "," : "", buf);
		if (el->has_prefix)
			fprintf(out, "/%u", (unsigned)el->prefix);
	}
}

/* Under a time type a digit would make the value a time, so hex is
 * printed with letters only; such a value was written that way. */
static void
dhcpopt_print_hex(FILE *out, const struct conf_dhcpopt_value *v)
{
	bool letters = (v->type & DHCP_OT_TIME) != 0;
	unsigned i;

	for (i = 0; i < v->len; i++) {
		uint8_t b = v->val[i];

		if (i)
			fputc(':', out);
		if (v->wild != NULL && v->wild[i])
			fputc('*', out);
		else if (!letters)
			fprintf(out, "%02x", b);
		else if (b >= 0x10)
			fprintf(out, "%02x", b);
		else if (b != 0)
			fprintf(out, "%x", b);
	}
}

/* The integer, with a width suffix unless dnsmasq would pick that width. */
static void
dhcpopt_print_int(FILE *out, const struct conf_dhcpopt_value *v)
{
	uint32_t val = dhcpopt_get_be(v->val, v->len);
	unsigned natural;

	if (v->type != 0)
		natural = v->type;
	else if (val & 0xffff0000)
		natural = 4;
	else if (val & 0xff00)
		natural = 2;
	else
		natural = 1;
	fprintf(out, "%u", val);
	if (natural != v->len)
		fputc(v->len == 1 ? 'b' : v->len == 2 ? 's' : 'i', out);
}

/* Names hold printable ASCII only (control characters are refused). */
static void
dhcpopt_print_qname(FILE *out, const char *s, bool dot)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputs(dot ? ".\"" : "\"", out);
}

static bool
dhcpopt_name_is_bare(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.*", *s))
			return false;
	return true;
}

/*
 * A canonical name reads back as itself when one dot is added where
 * dnsmasq would strip one (a name ending in '.'), or where the name
 * alone would look like nothing, or like a number with a width suffix
 * (digits and '-' then b, s or i: the look takes the letter away).
 */
static void
dhcpopt_print_names(FILE *out, const struct conf_dhcpopt_value *v,
    bool quote)
{
	unsigned i;

	for (i = 0; i < v->nname; i++) {
		const char *n = v->name[i];
		size_t len = strlen(n), d = strspn(n, "0123456789-");
		bool dot = len == 0 || n[len - 1] == '.' ||
		    strspn(n, " ") == len || (v->nname == 1 && len == d + 1 &&
		    strchr("bsi", n[d]) != NULL);
		if (i)
			fputc(',', out);
		if (len == 0)
			fputc('.', out);
		else if (!quote && dhcpopt_name_is_bare(n))
			fprintf(out, "%s%s", n, dot ? "." : "");
		else
			dhcpopt_print_qname(out, n, dot);
	}
}

static void
dhcpopt_print_value(FILE *out, const struct conf_dhcpopt_value *v, int code,
    bool top)
{
	switch (v->kind) {
	case CONF_DHCPOPT_EMPTY:
		return;
	case CONF_DHCPOPT_ADDR:
		dhcpopt_print_addrs(out, v);
		break;
	case CONF_DHCPOPT_ADDR_PREFIX:
		dhcpopt_print_elems(out, v);
		break;
	case CONF_DHCPOPT_TEXT:
		conf_print_quoted(out, v->val ? (const char *)v->val : "");
		break;
	case CONF_DHCPOPT_HEX:
		dhcpopt_print_hex(out, v);
		break;
	case CONF_DHCPOPT_INT:
		dhcpopt_print_int(out, v);
		break;
	case CONF_DHCPOPT_TIME:
		fprintf(out, "%u", dhcpopt_get_be(v->val, 4));
		break;
	case CONF_DHCPOPT_DOMAINS:
		/* 120's names must be quoted so they don't look like
		 * addresses or numbers; 119's type makes them names */
		dhcpopt_print_names(out, v, top && code == DHCPOPT_SIP_SERVER);
		break;
	}
}

static void
dhcpopt_print_opt(const struct conf *cf, FILE *out,
    const struct conf_dhcp_opt *o)
{
	unsigned enc = o->flags & (CONF_DHCPOPT_ENCAP | CONF_DHCPOPT_VI_ENCAP |
	    CONF_DHCPOPT_VENDOR);
	const struct dhcp_optname *n = NULL;

	fputs(o->flags & CONF_DHCPOPT_FORCE ? "dhcp-option-force=" :
	    "dhcp-option=", out);
	conf_print_tagexpr(cf, out, &o->tags);
	if (o->flags & CONF_DHCPOPT_VENDOR) {
		fputs("vendor:", out);
		if (o->vendor_class != NULL)
			conf_print_text(out, o->vendor_class);
		fputc(',', out);
	}
	if (o->flags & CONF_DHCPOPT_ENCAP)
		fprintf(out, "encap:%u,", o->encap);
	if (o->flags & CONF_DHCPOPT_VI_ENCAP)
		fprintf(out, "vi-encap:%u,", o->encap);
	if (enc && o->v.type != 0 && o->code >= 0)
		n = dhcpopt_by_code(false, o->code);
	if (n != NULL)
		fprintf(out, "option:%s", n->name);
	else
		fprintf(out, "%u", (unsigned)o->code);
	if (o->v.kind != CONF_DHCPOPT_EMPTY) {
		fputc(',', out);
		dhcpopt_print_value(out, &o->v, o->code, enc == 0);
	}
	fputc('\n', out);
}

static void
dhcpopt_print_match(const struct conf *cf, FILE *out,
    const struct conf_dhcp_match *m)
{
	const char *tag = conf_tag_name(cf, m->tag);

	fputs("dhcp-match=set:", out);
	if (strchr(tag, ',') != NULL)	/* it was quoted */
		conf_print_quoted(out, tag);
	else
		conf_print_value(out, tag);
	if (m->vi_encap)
		fprintf(out, ",vi-encap:%u", m->enterprise);
	else
		fprintf(out, ",%u", (unsigned)m->code);
	if (m->v.kind != CONF_DHCPOPT_EMPTY) {
		fputc(',', out);
		dhcpopt_print_value(out, &m->v, m->code, !m->vi_encap);
	}
	fputc('\n', out);
}

void
conf_dhcpopt_print(const struct conf *cf, FILE *out)
{
	const struct conf_dhcpopt *d = cf->dhcpopt;
	const struct conf_dhcp_opt *o;
	const struct conf_dhcp_match *m;

	if (d == NULL)
		return;
	for (o = d->opts; o != NULL; o = o->next)
		if (!(o->flags & CONF_DHCPOPT_BANK))	/* file printed */
			dhcpopt_print_opt(cf, out, o);
	for (m = d->matches; m != NULL; m = m->next)
		dhcpopt_print_match(cf, out, m);
}
