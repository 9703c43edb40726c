/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * explain.c - `pxemasq --explain` (see explain.h).
 *
 * Nothing here decides anything about a reply: the request goes through
 * dhcp_server_handle() exactly as in the daemon, with the server's trace
 * hook (dhcp_server.h) reporting which lines set tags, the range that
 * answered and the dhcp-boot it looked up.  This file only gathers those
 * facts, replays tag-if with tag.c to name the rules that fired, lists the
 * lines the winners beat and decodes the reply bytes.
 */
#include "explain.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "clock.h"
#include "conf.h"
#include "conf_dhcp.h"
#include "conf_dhcpopt.h"
#include "conf_pxe.h"
#include "dhcp_log.h"
#include "dhcp_msg.h"
#include "dhcp_server.h"
#include "iface.h"
#include "lease.h"
#include "pxe.h"
#include "tag.h"

#define EX_EV_MAX 512
#define EX_LOG_MAX (64 * 1024)
#define EX_PCAP_MAX (256u << 20)
#define EX_MAX_ADDRS 8

/* A line (or the server) that added tags, as the trace reported it. */
struct ex_tagev {
	const char *option;
	const struct conf_src *src;	/* NULL: not a line */
	const struct conf_tagset *set;
	int id;
	const char *name;
};

/* What one pass through the server showed. */
struct ex_run {
	struct ex_tagev ev[EX_EV_MAX];
	unsigned nev;
	const struct conf_dhcp_range *range;
	bool looked_boot;
	const struct conf_dhcp_boot *boot;
	bool have_tags;
	bool partial;			/* tags only as far as it got */
	struct tag_set tags;		/* tags the options saw */
	char log[EX_LOG_MAX];
	size_t loglen;
	enum dhcp_verdict v;
	struct dhcp_tx tx;
	struct dhcp_msg reply;
	bool replied;
};

/* The whole explanation. */
struct explain {
	const struct conf *cf;
	FILE *out;
	struct explain_client cl;
	struct tag_names tn;
	struct dhcp_server *srv;
	struct dhcp_iface ifc;
	struct dhcp_ifaddr addrs[EX_MAX_ADDRS];
	const char *addr_from;
	struct dhcp_msg req;		/* the client's request */
	uint16_t req_port;
	struct in_addr req_src;
	struct ex_run *run;		/* the pass being traced */
	unsigned warnings;
};

/* --- small helpers ------------------------------------------------------ */

static const char *
ex_src(const struct conf_src *src, char *buf, size_t size)
{
	if (src == NULL)
		snprintf(buf, size, "(server)");
	else if (src->file == NULL)
		snprintf(buf, size, "command line");
	else
		snprintf(buf, size, "%s:%u", src->file, src->line);
	return buf;
}

/* The text of a configuration line, for the report ("" when unknown). */
static const char *
ex_line_text(const struct conf_src *src, char *buf, size_t size)
{
	FILE *f;
	unsigned n = 0;
	size_t len;

	buf[0] = '\0';
	if (src == NULL || src->file == NULL ||
	    (f = fopen(src->file, "r")) == NULL)
		return buf;
	while (fgets(buf, (int)size, f) != NULL)
		if (++n == src->line)
			break;
	if (n != src->line)
		buf[0] = '\0';
	fclose(f);
	len = strlen(buf);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return buf;
}

/* "  file:line  text" */
static void
ex_print_line(struct explain *ex, const char *lead,
    const struct conf_src *src, const char *note)
{
	char where[600], text[1100];

	fprintf(ex->out, "%s%s", lead, ex_src(src, where, sizeof(where)));
	ex_line_text(src, text, sizeof(text));
	if (text[0] != '\0')
		fprintf(ex->out, "  %s", text);
	if (note != NULL && note[0] != '\0')
		fprintf(ex->out, "  (%s)", note);
	fputc('\n', ex->out);
}

static void ex_warn(struct explain *ex, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ex_warn(struct explain *ex, const char *fmt, ...)
{
	va_list ap;

	fprintf(ex->out, "  warning: ");
	va_start(ap, fmt);
	vfprintf(ex->out, fmt, ap);
	va_end(ap);
	fputc('\n', ex->out);
	ex->warnings++;
}

/* An option as text (unprintable bytes as \ooo), when present. */
static void
ex_print_text(struct explain *ex, const char *lead,
    const struct dhcp_optval *o)
{
	size_t i;

	if (o->p == NULL)
		return;
	fprintf(ex->out, "%s\"", lead);
	for (i = 0; i < o->len; i++)
		if (o->p[i] >= 0x20 && o->p[i] < 0x7f && o->p[i] != '"' &&
		    o->p[i] != '\\')
			fputc(o->p[i], ex->out);
		else
			fprintf(ex->out, "\\%03o", o->p[i]);
	fputc('"', ex->out);
}

static const char *
ex_tag_name(const struct explain *ex, uint16_t id)
{
	return id < ex->cf->tags.n ? ex->cf->tags.name[id] : "?";
}

/* Name of the i-th tag of s, in insertion order. */
static const char *
ex_set_name(const struct explain *ex, const struct tag_set *s, unsigned i)
{
	uint16_t e = s->order[i];

	return e >= TAG_EXTERN_BASE ? s->ext[e - TAG_EXTERN_BASE] :
	    ex_tag_name(ex, e);
}

/* Why a tag condition fails on s ("" when it holds). */
static const char *
ex_expr_why(const struct explain *ex, const struct tag_set *s,
    const struct conf_tagexpr *e, char *buf, size_t size)
{
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < e->n; i++)
		if (tag_set_has(s, e->v[i].id) == e->v[i].neg) {
			snprintf(buf, size, e->v[i].neg ?
			    "tag:!%s but %s is set" : "tag:%s is not set",
			    ex_tag_name(ex, e->v[i].id),
			    ex_tag_name(ex, e->v[i].id));
			break;
		}
	return buf;
}

static bool
ex_hex_byte(const char *s, uint8_t *out)
{
	unsigned v;
	char *end;

	if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
		return false;
	v = (unsigned)strtoul((char[]){ s[0], s[1], '\0' }, &end, 16);
	*out = (uint8_t)v;
	return true;
}

/* aa:bb:cc... (or aabbcc...) into out; returns the byte count, -1. */
static int
ex_parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s != '\0') {
		if (n == cap || !ex_hex_byte(s, &out[n]))
			return -1;
		n++;
		s += 2;
		if (*s == ':' || *s == '-')
			s++;
	}
	return (int)n;
}

/* --- the client description --------------------------------------------- */

static const struct {
	const char *name;
	int arch;
} ex_arch_names[] = {
	{ "bios", 0 }, { "efi-ia32", 6 }, { "efi-x64", 7 }, { "efi-bc", 7 },
	{ "efi-x86-64", 9 }, { "efi-arm32", 10 }, { "efi-arm64", 11 },
	{ "efi-x64-http", 16 }, { "efi-arm64-http", 19 },
};

int
explain_arch_parse(const char *s)
{
	char *end;
	unsigned long v;
	unsigned i;

	if (s[0] >= '0' && s[0] <= '9') {
		v = strtoul(s, &end, 10);
		return *end == '\0' && v <= 0xffff ? (int)v : -1;
	}
	for (i = 0; i < sizeof(ex_arch_names) / sizeof(ex_arch_names[0]); i++)
		if (strcasecmp(s, ex_arch_names[i].name) == 0)
			return ex_arch_names[i].arch;
	for (i = 0; i < CONF_PXE_CSA_NAMED; i++)
		if (strcasecmp(s, conf_pxe_csa_name(i)) == 0)
			return (int)i;
	return -1;
}

static int
ex_copy_value(char *dst, size_t size, const char *v, const char *key,
    char *err, size_t errsz)
{
	if (strlen(v) >= size) {
		snprintf(err, errsz, "%s: value too long", key);
		return -EINVAL;
	}
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int
ex_parse_addr(const char *v, struct in_addr *a, unsigned *prefix,
    const char *key, char *err, size_t errsz)
{
	char buf[INET_ADDRSTRLEN + 4];
	char *slash, *end;
	unsigned long p = 24;

	if (strlen(v) >= sizeof(buf))
		goto bad;
	memcpy(buf, v, strlen(v) + 1);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash = '\0';
		p = strtoul(slash + 1, &end, 10);
		if (prefix == NULL || *end != '\0' || slash[1] == '\0' ||
		    p > 32)
			goto bad;
	}
	if (inet_pton(AF_INET, buf, a) != 1)
		goto bad;
	if (prefix != NULL)
		*prefix = (unsigned)p;
	return 0;
bad:
	snprintf(err, errsz, "%s: bad address '%s'", key, v);
	return -EINVAL;
}

/* One KEY=VALUE word. */
static int
ex_client_word(struct explain_client *cl, const char *key, const char *v,
    char *err, size_t errsz)
{
	int n;

	if (strcmp(key, "mac") == 0) {
		if (ex_parse_hex(v, cl->mac, sizeof(cl->mac)) != 6)
			goto bad;
	} else if (strcmp(key, "arch") == 0) {
		if ((cl->arch = explain_arch_parse(v)) < 0)
			goto bad;
	} else if (strcmp(key, "vendor-class") == 0) {
		cl->has_vclass = true;
		return ex_copy_value(cl->vclass, sizeof(cl->vclass), v, key,
		    err, errsz);
	} else if (strcmp(key, "user-class") == 0)
		return ex_copy_value(cl->uclass, sizeof(cl->uclass), v, key,
		    err, errsz);
	else if (strcmp(key, "hostname") == 0)
		return ex_copy_value(cl->hostname, sizeof(cl->hostname), v,
		    key, err, errsz);
	else if (strcmp(key, "interface") == 0)
		return ex_copy_value(cl->iface, sizeof(cl->iface), v, key,
		    err, errsz);
	else if (strcmp(key, "client-id") == 0) {
		if ((n = ex_parse_hex(v, cl->clid, sizeof(cl->clid))) < 1)
			goto bad;
		cl->clid_len = (size_t)n;
	} else if (strcmp(key, "relay") == 0)
		return ex_parse_addr(v, &cl->relay, NULL, key, err, errsz);
	else if (strcmp(key, "requested") == 0)
		return ex_parse_addr(v, &cl->requested, NULL, key, err, errsz);
	else if (strcmp(key, "addr") == 0)
		return ex_parse_addr(v, &cl->addr, &cl->prefix, key, err,
		    errsz);
	else {
		snprintf(err, errsz, "unknown client key '%s' (mac, arch, "
		    "vendor-class, user-class, interface, addr, relay, "
		    "hostname, client-id, requested)", key);
		return -EINVAL;
	}
	return 0;
bad:
	snprintf(err, errsz, "%s: bad value '%s'", key, v);
	return -EINVAL;
}

int
explain_client_parse(const struct conf_strlist *words,
    struct explain_client *cl, char *err, size_t errsz)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	const struct conf_str *w;
	char key[32];
	int rc;

	memset(cl, 0, sizeof(*cl));
	memcpy(cl->mac, mac, sizeof(mac));
	cl->arch = -1;
	cl->prefix = 24;
	for (w = words != NULL ? words->head : NULL; w != NULL; w = w->next) {
		const char *eq = w->s != NULL ? strchr(w->s, '=') : NULL;

		if (eq == NULL || (size_t)(eq - w->s) >= sizeof(key)) {
			snprintf(err, errsz, "client description word '%s' "
			    "is not KEY=VALUE", w->s != NULL ? w->s : "");
			return -EINVAL;
		}
		memcpy(key, w->s, (size_t)(eq - w->s));
		key[eq - w->s] = '\0';
		if ((rc = ex_client_word(cl, key, eq + 1, err, errsz)) < 0)
			return rc;
	}
	return 0;
}

/* --- building the request ----------------------------------------------- */

/* A PXE ROM's request list (reference Appendix A) and a plain client's. */
static const uint8_t ex_prl_rom[] = { 1, 2, 3, 5, 6, 11, 12, 13, 15, 16,
	17, 18, 22, 23, 28, 40, 41, 42, 43, 50, 51, 54, 58, 59, 60, 66, 67,
	97, 128, 129, 130, 131, 132, 133, 134, 135 };
static const uint8_t ex_prl_plain[] = { 1, 3, 6, 12, 15, 28, 42, 51, 54,
	58, 59 };

static void
ex_opt(struct wr *w, uint8_t code, const void *v, size_t len)
{
	wr_u8(w, code);
	wr_u8(w, (uint8_t)len);
	wr_bytes(w, v, len);
}

static void
ex_pxe_opts(const struct explain_client *cl, struct wr *w)
{
	static const uint8_t undi_bios[3] = { 1, 2, 1 }, undi[3] = { 1, 3, 0 };
	uint8_t uuid[17] = { 0 }, arch[2];
	char vc[EXPLAIN_VALUE_MAX];
	bool http = cl->arch == 15 || cl->arch == 16 || cl->arch == 19;
	unsigned i;

	arch[0] = (uint8_t)(cl->arch >> 8);
	arch[1] = (uint8_t)cl->arch;
	ex_opt(w, DHCP_OPT_MAX_SIZE, (uint8_t[]){ 0x04, 0xec }, 2);
	ex_opt(w, DHCP_OPT_PRL, ex_prl_rom, sizeof(ex_prl_rom));
	if (cl->has_vclass)
		snprintf(vc, sizeof(vc), "%s", cl->vclass);
	else
		snprintf(vc, sizeof(vc), "%s:Arch:%05d:UNDI:%s",
		    http ? "HTTPClient" : "PXEClient", cl->arch,
		    cl->arch == 0 ? "002001" : "003016");
	if (vc[0] != '\0')
		ex_opt(w, DHCP_OPT_VENDOR_CLASS, vc, strlen(vc));
	ex_opt(w, DHCP_OPT_CLIENT_ARCH, arch, 2);
	ex_opt(w, DHCP_OPT_CLIENT_NDI, cl->arch == 0 ? undi_bios : undi, 3);
	for (i = 1; i < sizeof(uuid); i++)
		uuid[i] = cl->mac[i % 6];
	ex_opt(w, DHCP_OPT_CLIENT_UUID, uuid, sizeof(uuid));
}

size_t
explain_build_discover(const struct explain_client *cl, uint8_t *buf,
    size_t cap)
{
	struct wr w;
	size_t len;

	if (cap < DHCP_MIN_BUF)
		return 0;
	memset(buf, 0, cap);
	wr_init(&w, buf, cap);
	wr_bytes(&w, (uint8_t[]){ DHCP_OP_REQUEST, 1, 6, 0 }, 4);
	wr_be32(&w, 0x1d0c0000u | (uint32_t)(cl->mac[4] << 8 | cl->mac[5]));
	wr_be16(&w, 0);
	wr_be16(&w, 0x8000);		/* PXE ROMs ask for broadcast */
	wr_zero(&w, 12);		/* ciaddr yiaddr siaddr */
	wr_bytes(&w, &cl->relay, 4);	/* giaddr */
	wr_bytes(&w, cl->mac, 6);
	wr_zero(&w, 10 + DHCP_SNAME_LEN + DHCP_FILE_LEN);
	wr_be32(&w, DHCP_COOKIE);
	ex_opt(&w, DHCP_OPT_MSG_TYPE, (uint8_t[]){ DHCP_DISCOVER }, 1);
	if (cl->clid_len > 0)
		ex_opt(&w, DHCP_OPT_CLIENT_ID, cl->clid, cl->clid_len);
	if (cl->requested.s_addr != 0)
		ex_opt(&w, DHCP_OPT_REQ_ADDR, &cl->requested, 4);
	if (cl->hostname[0] != '\0')
		ex_opt(&w, DHCP_OPT_HOSTNAME, cl->hostname,
		    strlen(cl->hostname));
	if (cl->arch >= 0)
		ex_pxe_opts(cl, &w);
	else {
		ex_opt(&w, DHCP_OPT_PRL, ex_prl_plain, sizeof(ex_prl_plain));
		if (cl->vclass[0] != '\0')
			ex_opt(&w, DHCP_OPT_VENDOR_CLASS, cl->vclass,
			    strlen(cl->vclass));
	}
	if (cl->uclass[0] != '\0')
		ex_opt(&w, DHCP_OPT_USER_CLASS, cl->uclass,
		    strlen(cl->uclass));
	wr_u8(&w, DHCP_OPT_END);
	if (!wr_ok(&w))
		return 0;
	len = wr_mark(&w);
	return len < DHCP_MIN_LEN ? DHCP_MIN_LEN : len;
}

/* The follow-up REQUEST to port 4011: the request's options with type
 * REQUEST, without 50, and option 43 = sub-option 71 (TYPE, layer 0)
 * when item is not 0xffffffff. */
static size_t
ex_build_4011(const struct dhcp_msg *m, struct in_addr ciaddr,
    uint32_t item, uint8_t *buf, size_t cap)
{
	struct wr w;
	unsigned i;

	memset(buf, 0, cap);
	wr_init(&w, buf, cap);
	wr_bytes(&w, (uint8_t[]){ DHCP_OP_REQUEST, m->htype, m->hlen, 0 },
	    4);
	wr_be32(&w, m->xid + 1);
	wr_be16(&w, 0);
	wr_be16(&w, 0);
	wr_bytes(&w, &ciaddr, 4);
	wr_zero(&w, 8);
	wr_bytes(&w, &m->giaddr, 4);
	wr_bytes(&w, m->chaddr, DHCP_CHADDR_LEN);
	wr_zero(&w, DHCP_SNAME_LEN + DHCP_FILE_LEN);
	wr_be32(&w, DHCP_COOKIE);
	ex_opt(&w, DHCP_OPT_MSG_TYPE, (uint8_t[]){ DHCP_REQUEST }, 1);
	for (i = 0; i < m->norder; i++) {
		uint8_t c = m->order[i];
		const struct dhcp_optval *o = &m->opt[c];

		if (c == DHCP_OPT_MSG_TYPE || c == DHCP_OPT_REQ_ADDR ||
		    c == DHCP_OPT_VENDOR_ENCAP || c == DHCP_OPT_SERVER_ID ||
		    o->p == NULL || o->len > 255)
			continue;
		ex_opt(&w, c, o->p, o->len);
	}
	if (item != 0xffffffffu)
		ex_opt(&w, DHCP_OPT_VENDOR_ENCAP, (uint8_t[]){
		    PXE_SUB_BOOT_ITEM, 4, (uint8_t)(item >> 8), (uint8_t)item,
		    0, 0, DHCP_OPT_END }, 7);
	wr_u8(&w, DHCP_OPT_END);
	if (!wr_ok(&w))
		return 0;
	return wr_mark(&w) < DHCP_MIN_LEN ? DHCP_MIN_LEN : wr_mark(&w);
}

/* --- pcap --------------------------------------------------------------- */

/* Classic pcap (both byte orders, micro- or nanosecond stamps); link
 * types Ethernet (1), raw IPv4 (101, 228) and Linux cooked (113). */
struct ex_pcap {
	bool swap;
	uint32_t linktype;
};

static uint32_t
ex_u32(const uint8_t *p, bool swap)
{
	return swap ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3] :
	    (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

/* Offset of the IPv4 header in a frame, or -1 when not IPv4. */
static long
ex_l3_offset(const struct ex_pcap *pc, const uint8_t *f, size_t len)
{
	size_t off;
	uint16_t type;

	switch (pc->linktype) {
	case 1:
		off = 12;
		break;
	case 113:
		off = 14;
		break;
	case 101:
	case 228:
		return 0;
	default:
		return -1;
	}
	for (;;) {
		if (off + 2 > len)
			return -1;
		type = (uint16_t)(f[off] << 8 | f[off + 1]);
		if (type != 0x8100 && type != 0x88a8)
			break;
		off += 4;		/* VLAN tags */
	}
	return type == 0x0800 ? (long)(off + 2) : -1;
}

/* The DHCP payload of one IPv4/UDP packet to 67 or 4011, or NULL. */
static const uint8_t *
ex_udp_dhcp(const uint8_t *ip, size_t len, size_t *plen, uint16_t *dport,
    struct in_addr *src)
{
	struct rd r;
	uint8_t vihl, proto;
	uint16_t total, frag, dp, ulen;
	size_t ihl;

	rd_init(&r, ip, len);
	vihl = rd_u8(&r);
	rd_skip(&r, 1);
	total = rd_be16(&r);
	rd_skip(&r, 2);
	frag = rd_be16(&r);
	rd_skip(&r, 1);
	proto = rd_u8(&r);
	rd_skip(&r, 2);
	rd_bytes(&r, src, 4);
	ihl = (size_t)(vihl & 0x0f) * 4;
	if (!rd_ok(&r) || vihl >> 4 != 4 || ihl < 20 || proto != 17 ||
	    (frag & 0x3fff) != 0 || total > len || ihl + 8 > total)
		return NULL;
	rd_init(&r, ip + ihl, total - ihl);
	rd_skip(&r, 2);
	dp = rd_be16(&r);
	ulen = rd_be16(&r);
	if (!rd_ok(&r) || (dp != 67 && dp != 4011) || ulen < 8 + 240 ||
	    ulen > total - ihl || ip[ihl + 8] != DHCP_OP_REQUEST)
		return NULL;
	*dport = dp;
	*plen = (size_t)ulen - 8;
	return ip + ihl + 8;
}

int
explain_pcap_request(const uint8_t *data, size_t len,
    const uint8_t **payload, size_t *plen, uint16_t *dport,
    struct in_addr *src, char *err, size_t errsz)
{
	struct ex_pcap pc = { 0 };
	uint32_t magic;
	size_t off = 24;

	if (len < 24) {
		snprintf(err, errsz, "not a pcap file (too short)");
		return -EINVAL;
	}
	magic = ex_u32(data, false);
	if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
		pc.swap = false;
	else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
		pc.swap = true;
	else {
		snprintf(err, errsz, "not a classic pcap file (pcapng is not "
		    "read: convert it with editcap -F pcap)");
		return -EINVAL;
	}
	pc.linktype = ex_u32(data + 20, pc.swap) & 0x0fffffffu;
	while (off + 16 <= len) {
		uint32_t caplen = ex_u32(data + off + 8, pc.swap);
		const uint8_t *f = data + off + 16;
		long l3;

		if (caplen > len - off - 16)
			break;
		l3 = ex_l3_offset(&pc, f, caplen);
		if (l3 >= 0 && (*payload = ex_udp_dhcp(f + l3,
		    caplen - (size_t)l3, plen, dport, src)) != NULL)
			return 0;
		off += 16 + (size_t)caplen;
	}
	snprintf(err, errsz, "no DHCP request (UDP to port 67 or 4011) in "
	    "the capture (link type %u)", pc.linktype);
	return -ENOENT;
}

static int
ex_read_file(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *nb;
	size_t cap = 0, n = 0, got;
	int rc = 0;

	if (f == NULL)
		return -errno;
	do {
		if (n == cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			if (cap > EX_PCAP_MAX ||
			    (nb = realloc(buf, cap)) == NULL) {
				rc = -EFBIG;
				break;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (rc == 0 && ferror(f))
		rc = -EIO;
	fclose(f);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*data = buf;
	*len = n;
	return 0;
}

/* --- the interface ------------------------------------------------------ */

static struct in_addr
ex_mask(unsigned prefix)
{
	struct in_addr m;

	m.s_addr = htonl(prefix == 0 ? 0 : 0xffffffffu << (32 - prefix));
	return m;
}

static void
ex_add_addr(struct explain *ex, struct in_addr a, struct in_addr mask)
{
	struct dhcp_ifaddr *x;

	if (ex->ifc.naddrs == EX_MAX_ADDRS)
		return;
	x = &ex->addrs[ex->ifc.naddrs++];
	x->addr = a;
	x->netmask = mask;
	x->broadcast.s_addr = a.s_addr | ~mask.s_addr;
}

/* The machine's IPv4 addresses of the interface, when it has one. */
static void
ex_machine_addrs(struct explain *ex)
{
	struct ifaddrs *all, *i;

	if (getifaddrs(&all) < 0)
		return;
	for (i = all; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_netmask != NULL &&
		    i->ifa_addr->sa_family == AF_INET &&
		    strcmp(i->ifa_name, ex->ifc.name) == 0)
			ex_add_addr(ex, ((struct sockaddr_in *)(void *)
			    i->ifa_addr)->sin_addr, ((struct sockaddr_in *)
			    (void *)i->ifa_netmask)->sin_addr);
	freeifaddrs(all);
}

/* No address known: the first host address of the first IPv4 range. */
static void
ex_guess_addr(struct explain *ex)
{
	const struct conf_dhcp_range *r = ex->cf->dhcp->ranges;
	struct in_addr a, mask = ex_mask(24);

	if (r == NULL) {
		inet_pton(AF_INET, "192.0.2.1", &a);
		ex_add_addr(ex, a, mask);
		ex->addr_from = "assumed: no dhcp-range";
		return;
	}
	if (r->flags & CONF_DHCP_RANGE_NETMASK)
		mask = r->netmask;
	a.s_addr = htonl((ntohl(r->start.s_addr) & ntohl(mask.s_addr)) + 1);
	if (a.s_addr == r->start.s_addr && r->start.s_addr != r->end.s_addr)
		a.s_addr = htonl(ntohl(r->end.s_addr) + 1);
	ex_add_addr(ex, a, mask);
	ex->addr_from = "assumed from the first dhcp-range; give addr= to "
	    "set it";
}

static void
ex_setup_iface(struct explain *ex)
{
	const struct conf_str *s;

	ex->ifc.index = 1;
	ex->ifc.name = "eth0";
	if (ex->cl.iface[0] != '\0')
		ex->ifc.name = ex->cl.iface;
	else
		for (s = ex->cf->interfaces.head; s != NULL; s = s->next)
			if (s->s != NULL && strchr(s->s, '*') == NULL) {
				ex->ifc.name = s->s;
				break;
			}
	ex->ifc.addrs = ex->addrs;
	ex->ifc.mtu = 1500;
	ex->ifc.hwlen = 6;
	memcpy(ex->ifc.hwaddr, (uint8_t[]){ 2, 0, 0, 0, 0, 1 }, 6);
	if (ex->cl.addr.s_addr != 0) {
		ex_add_addr(ex, ex->cl.addr, ex_mask(ex->cl.prefix));
		ex->addr_from = "addr=";
		return;
	}
	ex_machine_addrs(ex);
	if (ex->ifc.naddrs > 0)
		ex->addr_from = "this machine's interface";
	else
		ex_guess_addr(ex);
}

/* --- tracing ------------------------------------------------------------ */

static void
ex_trace(void *ctx, const struct dhcp_trace_ev *ev)
{
	struct explain *ex = ctx;
	struct ex_run *run = ex->run;
	struct ex_tagev *t;

	switch (ev->what) {
	case DHCP_TRACE_TAGS:
		if (run->nev == EX_EV_MAX)
			return;
		t = &run->ev[run->nev++];
		t->option = ev->option;
		t->src = ev->src;
		t->set = ev->set != NULL && ev->set->n > 0 ? ev->set : NULL;
		t->id = ev->id;
		/* names are borrowed for the call: keep only stable ones */
		t->name = ev->name == NULL ? NULL :
		    strcmp(ev->name, ex->ifc.name) == 0 ? ex->ifc.name :
		    strcmp(ev->name, "known") == 0 ? "known" :
		    strcmp(ev->name, "known-othernet") == 0 ?
		    "known-othernet" : NULL;
		break;
	case DHCP_TRACE_RANGE:
		run->range = ev->range;
		run->tags = *ev->tags;
		run->have_tags = true;
		break;
	case DHCP_TRACE_BOOT:
		run->looked_boot = true;
		run->boot = ev->boot;
		run->tags = *ev->tags;
		run->have_tags = true;
		break;
	}
}

static void
ex_log(void *ctx, int sev, const char *line)
{
	struct explain *ex = ctx;
	struct ex_run *run = ex->run;
	int n;

	(void)sev;
	n = snprintf(run->log + run->loglen, sizeof(run->log) - run->loglen,
	    "    %s\n", line);
	if (n > 0 && (size_t)n < sizeof(run->log) - run->loglen)
		run->loglen += (size_t)n;
}

static void ex_complete_tags(const struct explain *ex, struct ex_run *run);

/* One request through the server; PROBE is answered "nobody there" (no
 * ping is sent). */
static void
ex_handle(struct explain *ex, struct ex_run *run, const struct dhcp_msg *m,
    enum dhcp_path path, struct in_addr src, uint16_t sport)
{
	struct dhcp_rx rx = { 0 };
	struct clock_now now;
	unsigned tries = 0;

	ex->run = run;
	rx.msg = m;
	rx.iface = &ex->ifc;
	rx.path = path;
	rx.src = src;
	rx.sport = sport;
	rx.unicast = path != DHCP_PATH_RAW;
	clock_read(&now);
	do {
		run->nev = 0;
		run->loglen = 0;
		run->v = dhcp_server_handle(ex->srv, &rx, &run->tx, &now);
		if (run->v == DHCP_V_PROBE)
			dhcp_server_probe_done(ex->srv, &run->tx.probe, false,
			    &now);
	} while (run->v == DHCP_V_PROBE && ++tries < 8);
	run->replied = dhcp_verdict_sends(run->v) &&
	    dhcp_msg_decode_reply(&run->reply, run->tx.buf, run->tx.len) ==
	    DHCP_OK;
	ex_complete_tags(ex, run);
}

/* --- the report: tags --------------------------------------------------- */

static bool
ex_ev_sets(const struct explain *ex, const struct ex_tagev *t,
    const char *name)
{
	unsigned i;

	if (t->set != NULL) {
		for (i = 0; i < t->set->n; i++)
			if (strcmp(ex_tag_name(ex, t->set->id[i]), name) == 0)
				return true;
		return false;
	}
	if (t->id >= 0)
		return strcmp(ex_tag_name(ex, (uint16_t)t->id), name) == 0;
	return t->name != NULL && strcmp(t->name, name) == 0;
}

/* tag-if replay: the rules in file order over the traced tags (and the
 * range's); fired[k] for the k-th rule. */
static void
ex_tagif_replay(const struct explain *ex, const struct ex_run *run,
    bool *fired, unsigned nrules, struct tag_set *s)
{
	const struct conf_dhcp_tagif *r;
	unsigned k, i;

	tag_set_clear(s);
	for (i = 0; i < run->nev; i++) {
		const struct ex_tagev *t = &run->ev[i];

		if (t->set != NULL)
			tag_set_add_list(s, t->set);
		else if (t->id >= 0)
			tag_set_add_id(s, (uint16_t)t->id);
		else if (t->name != NULL)
			tag_set_add_name(s, &ex->tn, t->name);
	}
	if (run->range != NULL)
		tag_set_add_list(s, &run->range->set);
	for (r = ex->cf->dhcp->tagifs, k = 0; r != NULL && k < nrules;
	    r = r->next, k++)
		if ((fired[k] = tag_expr_match_wild(s, &ex->tn, &r->tag)))
			tag_set_add_list(s, &r->set);
}

static unsigned
ex_ntagifs(const struct explain *ex)
{
	const struct conf_dhcp_tagif *r;
	unsigned n = 0;

	for (r = ex->cf->dhcp->tagifs; r != NULL; r = r->next)
		n++;
	return n;
}

/* A request dropped before its tags were final: the traced tags with
 * tag-if, as the server would have had them. */
static void
ex_complete_tags(const struct explain *ex, struct ex_run *run)
{
	unsigned n = ex_ntagifs(ex);
	bool *fired;

	if (run->have_tags || (fired = calloc(n + 1, sizeof(*fired))) == NULL)
		return;
	ex_tagif_replay(ex, run, fired, n, &run->tags);
	run->have_tags = true;
	run->partial = true;
	free(fired);
}

static void
ex_print_tag_sources(struct explain *ex, const struct ex_run *run,
    const char *name, const bool *fired, unsigned nrules)
{
	const struct conf_dhcp_tagif *r;
	bool any = false;
	unsigned i, k;

	for (i = 0; i < run->nev; i++)
		if (ex_ev_sets(ex, &run->ev[i], name)) {
			fprintf(ex->out, "      by %s ", run->ev[i].option);
			ex_print_line(ex, "", run->ev[i].src, NULL);
			any = true;
		}
	if (run->range != NULL)
		for (i = 0; i < run->range->set.n; i++)
			if (strcmp(ex_tag_name(ex, run->range->set.id[i]),
			    name) == 0) {
				ex_print_line(ex, "      by dhcp-range ",
				    &run->range->src, NULL);
				any = true;
			}
	for (r = ex->cf->dhcp->tagifs, k = 0; r != NULL && k < nrules;
	    r = r->next, k++)
		for (i = 0; fired[k] && i < r->set.n; i++)
			if (strcmp(ex_tag_name(ex, r->set.id[i]), name) == 0) {
				ex_print_line(ex, "      by tag-if ", &r->src,
				    NULL);
				any = true;
			}
	if (!any)
		fprintf(ex->out, "      by the server (built-in tag)\n");
}

static void
ex_report_tags(struct explain *ex, const struct ex_run *run)
{
	unsigned nrules = ex_ntagifs(ex), i;
	struct tag_set *s = malloc(sizeof(*s));
	bool *fired = calloc(nrules + 1, sizeof(*fired));

	fprintf(ex->out, "  tags%s:", run->partial ? " (as far as the "
	    "server got)" : "");
	for (i = 0; i < run->tags.n; i++)
		fprintf(ex->out, "%s %s", i > 0 ? "," : "",
		    ex_set_name(ex, &run->tags, i)[0] != '\0' ?
		    ex_set_name(ex, &run->tags, i) : "\"\"");
	fputc('\n', ex->out);
	if (fired == NULL || s == NULL)
		goto out;
	ex_tagif_replay(ex, run, fired, nrules, s);
	for (i = 0; i < run->tags.n; i++) {
		const char *name = ex_set_name(ex, &run->tags, i);

		fprintf(ex->out, "    %s\n", name[0] != '\0' ? name : "\"\"");
		ex_print_tag_sources(ex, run, name, fired, nrules);
	}
out:
	free(fired);
	free(s);
}

/* --- the report: decisions ---------------------------------------------- */

static void
ex_report_range(struct explain *ex, const struct ex_run *run)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (run->range == NULL) {
		fprintf(ex->out, "  dhcp-range: none chosen\n");
		return;
	}
	inet_ntop(AF_INET, &run->range->start, a, sizeof(a));
	inet_ntop(AF_INET, &run->range->end, b, sizeof(b));
	fprintf(ex->out, "  dhcp-range: %s -- %s%s\n", a, b,
	    run->range->flags & CONF_DHCP_RANGE_PROXY ? " (proxy)" :
	    run->range->flags & CONF_DHCP_RANGE_STATIC ? " (static)" : "");
	ex_print_line(ex, "    ", &run->range->src, NULL);
}

/* dhcp-boot lines, in file order, against the tags the server used:
 * dnsmasq takes the newest line whose tags all hold, else the newest
 * untagged one. */
static void
ex_report_boots(struct explain *ex, const struct ex_run *run)
{
	const struct conf_dhcp_boot *b;
	char why[300], note[400];

	if (ex->cf->dhcp->boots == NULL || !run->looked_boot)
		return;
	fprintf(ex->out, "  dhcp-boot: %s\n", run->boot == NULL ?
	    "no line matches" : run->boot->file != NULL ? run->boot->file :
	    "(no file)");
	for (b = ex->cf->dhcp->boots; b != NULL; b = b->next) {
		ex_expr_why(ex, &run->tags, &b->filter, why, sizeof(why));
		if (b == run->boot)
			snprintf(note, sizeof(note), "WINS");
		else if (why[0] != '\0')
			snprintf(note, sizeof(note), "no: %s", why);
		else if (b->filter.n == 0 && run->boot != NULL &&
		    run->boot->filter.n > 0)
			snprintf(note, sizeof(note), "beaten: a tagged line "
			    "matched, untagged lines are the fallback");
		else
			snprintf(note, sizeof(note), "beaten: matches, but a "
			    "later line wins (the last match in reading "
			    "order)");
		ex_print_line(ex, "    ", &b->src, note);
	}
}

/* Exactly one service with a basename matches the client's arch and
 * tags: dnsmasq's UEFI single-service rule. */
static bool
ex_uefi_one(const struct explain *ex, const struct ex_run *run)
{
	const struct conf_pxe_service *s;
	unsigned n = 0;

	for (s = ex->cf->pxe->services; s != NULL; s = s->next)
		n += s->csa == ex->cl.arch && s->basename != NULL &&
		    tag_expr_match(&run->tags, &s->tags, true);
	return n == 1;
}

static void
ex_report_services(struct explain *ex, const struct ex_run *run)
{
	const struct conf_pxe_service *s;
	const struct conf_pxe *px = ex->cf->pxe;
	char why[300], note[400];
	unsigned n = 0;

	if (px == NULL || px->services == NULL || ex->cl.arch < 0 ||
	    !run->have_tags)
		return;
	fprintf(ex->out, "  pxe-service lines for client arch %d:\n",
	    ex->cl.arch);
	for (s = px->services; s != NULL; s = s->next) {
		if (s->csa != ex->cl.arch)
			continue;
		n++;
		ex_expr_why(ex, &run->tags, &s->tags, why, sizeof(why));
		snprintf(note, sizeof(note), "%s", why[0] != '\0' ? why :
		    "matches");
		ex_print_line(ex, "    ", &s->src, note);
	}
	if (n == 0)
		fprintf(ex->out, "    none (%u pxe-service lines are for other "
		    "architectures)\n", px->n_services);
	else if (ex->cl.arch >= 6 && ex_uefi_one(ex, run))
		fprintf(ex->out, "    one service with a file for this UEFI "
		    "arch: no menu is sent; its file goes only into the "
		    "port-4011 reply of proxy DHCP (reference 4.6)\n");
}

/* --- the report: the reply ---------------------------------------------- */

/* A big-endian 16-bit field of a sub-option, 0 when it runs past. */
static unsigned
ex_be16(const uint8_t *v, size_t len, size_t at)
{
	return at + 2 <= len ? (unsigned)v[at] << 8 | v[at + 1] : 0u;
}

static void
ex_print_pxe_sub(struct explain *ex, uint8_t code, const uint8_t *v,
    uint8_t len)
{
	unsigned i;

	fprintf(ex->out, "        sub %3u ", code);
	switch (code) {
	case PXE_SUB_DISCOVERY:
		fprintf(ex->out, "discovery-control %u\n",
		    len ? (unsigned)v[0] : 0u);
		return;
	case PXE_SUB_PROMPT:
		fprintf(ex->out, "prompt timeout %u \"%.*s\"\n",
		    len ? (unsigned)v[0] : 0u, len ? len - 1 : 0,
		    (const char *)v + 1);
		return;
	case PXE_SUB_BOOT_ITEM:
		fprintf(ex->out, "boot-item type 0x%04x layer %u\n",
		    ex_be16(v, len, 0), ex_be16(v, len, 2));
		return;
	case PXE_SUB_MENU:
		fprintf(ex->out, "boot-menu:");
		for (i = 0; i + 3 <= len && i + 3u + v[i + 2] <= len;
		    i += 3u + v[i + 2])
			fprintf(ex->out, " [0x%04x \"%.*s\"]",
			    ex_be16(v, len, i), (int)v[i + 2],
			    (const char *)v + i + 3);
		fputc('\n', ex->out);
		return;
	case PXE_SUB_SERVERS:
		fprintf(ex->out, "boot-servers:");
		for (i = 0; i + 3 <= len; i += 3u + 4u * v[i + 2]) {
			char a[INET_ADDRSTRLEN] = "?";

			if (i + 7 <= len)
				inet_ntop(AF_INET, v + i + 3, a, sizeof(a));
			fprintf(ex->out, " [0x%04x %s]", ex_be16(v, len, i),
			    a);
		}
		fputc('\n', ex->out);
		return;
	default:
		for (i = 0; i < len; i++)
			fprintf(ex->out, "%02x", v[i]);
		fputc('\n', ex->out);
	}
}

static void
ex_print_43(struct explain *ex, const struct dhcp_optval *o)
{
	struct dhcp_walk w;
	const uint8_t *v;
	uint8_t code, len;

	dhcp_walk_init(&w, o->p, o->len);
	while (dhcp_walk_next(&w, &code, &v, &len))
		ex_print_pxe_sub(ex, code, v, len);
}

static const char *
ex_dest(const struct dhcp_tx *tx, char *buf, size_t size)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &tx->dst, a, sizeof(a));
	switch (tx->dest) {
	case DHCP_DEST_L2_BROADCAST:
		snprintf(buf, size, "broadcast 255.255.255.255:68");
		break;
	case DHCP_DEST_L2_UNICAST:
		snprintf(buf, size, "unicast frame to %s:68", a);
		break;
	case DHCP_DEST_UDP:
		snprintf(buf, size, "UDP to %s:%u from port %u", a, tx->dport,
		    tx->sport);
		break;
	default:
		snprintf(buf, size, "?");
	}
	return buf;
}

static bool
ex_printable(const struct dhcp_optval *o)
{
	size_t i, n = o->len;

	if (n > 0 && o->p[n - 1] == 0)
		n--;			/* names sent NUL-terminated */
	for (i = 0; i < n; i++)
		if (o->p[i] < 0x20 || o->p[i] >= 0x7f)
			return false;
	return n > 1;
}

/* An option's value: text as text, else dnsmasq's rendering (log-dhcp)
 * unless that was cut, then every byte in hex. */
static void
ex_print_value(struct explain *ex, const struct dhcp_optval *o,
    const char *val)
{
	size_t i, vl = strlen(val);

	if (ex_printable(o) && (o->len < 4 || strspn(val, "0123456789.") !=
	    vl)) {
		ex_print_text(ex, " ", o);
		fputc('\n', ex->out);
		return;
	}
	if (vl < 3 || strcmp(val + vl - 3, "...") != 0) {
		fprintf(ex->out, " %s\n", val);
		return;
	}
	fputc(' ', ex->out);
	for (i = 0; i < o->len; i++)
		fprintf(ex->out, "%s%02x", i > 0 ? ":" : "", o->p[i]);
	fputc('\n', ex->out);
}

static void
ex_report_reply(struct explain *ex, const struct ex_run *run, bool pxe)
{
	const struct dhcp_msg *m = &run->reply;
	char a[4][INET_ADDRSTRLEN], val[DHCP_LOG_LINE_MAX], d[128];
	const char *name;
	unsigned i;

	if (!run->replied) {
		fprintf(ex->out, "  reply: none (%s)\n", run->v == DHCP_V_DROP ?
		    dhcp_drop_name(run->tx.why) : "handled without reply");
		return;
	}
	inet_ntop(AF_INET, &m->ciaddr, a[0], sizeof(a[0]));
	inet_ntop(AF_INET, &m->yiaddr, a[1], sizeof(a[1]));
	inet_ntop(AF_INET, &m->siaddr, a[2], sizeof(a[2]));
	inet_ntop(AF_INET, &m->giaddr, a[3], sizeof(a[3]));
	fprintf(ex->out, "  reply: %zu bytes, %s\n", run->tx.len,
	    ex_dest(&run->tx, d, sizeof(d)));
	fprintf(ex->out, "    ciaddr %s  yiaddr %s  siaddr %s  giaddr %s  "
	    "flags 0x%04x\n", a[0], a[1], a[2], a[3], m->flags);
	fprintf(ex->out, "    sname \"%.*s\"\n    file  \"%.*s\"\n",
	    (int)strnlen((const char *)m->sname, DHCP_SNAME_LEN),
	    (const char *)m->sname,
	    (int)strnlen((const char *)m->file, DHCP_FILE_LEN),
	    (const char *)m->file);
	for (i = 0; i < m->norder; i++) {
		const struct dhcp_optval *o = &m->opt[m->order[i]];

		if (o->p == NULL)
			continue;
		name = dhcp_log_optval(m->order[i], o->p, o->len, val,
		    sizeof(val));
		fprintf(ex->out, "    option %3u %-17s", m->order[i],
		    name[0] != '\0' ? name : "");
		ex_print_value(ex, o, val);
		if (pxe && m->order[i] == DHCP_OPT_VENDOR_ENCAP)
			ex_print_43(ex, o);
	}
}

/* The boot file and server a reply gives: 67 else file; 66 else sname
 * else siaddr. */
static void
ex_boot_of(const struct dhcp_msg *m, char *file, size_t fsz, char *srv,
    size_t ssz)
{
	const struct dhcp_optval *o67 = &m->opt[DHCP_OPT_BOOTFILE];
	const struct dhcp_optval *o66 = &m->opt[DHCP_OPT_TFTP_SERVER];

	if (o67->p != NULL)
		snprintf(file, fsz, "%.*s", (int)strnlen((const char *)o67->p,
		    o67->len), (const char *)o67->p);
	else
		snprintf(file, fsz, "%.*s", (int)strnlen((const char *)m->file,
		    DHCP_FILE_LEN), (const char *)m->file);
	if (o66->p != NULL)
		snprintf(srv, ssz, "%.*s", (int)strnlen((const char *)o66->p,
		    o66->len), (const char *)o66->p);
	else
		inet_ntop(AF_INET, &m->siaddr, srv, ssz);
}

/* --- warnings ----------------------------------------------------------- */

/* A tag set anywhere in the configuration (or by the server). */
static bool
ex_tag_settable(const struct explain *ex, uint16_t id)
{
	const struct conf *cf = ex->cf;
	const char *name = ex_tag_name(ex, id);
	const struct conf_dhcp_range *r;
	const struct conf_dhcp_host *h;
	const struct conf_dhcp_class *c;
	const struct conf_dhcp_mac *m;
	const struct conf_dhcp_tagif *t;
	const struct conf_dhcp_match *x;
	const struct conf_str *s;
	unsigned i;

#define EX_IN(set) for (i = 0; i < (set).n; i++) \
		if ((set).id[i] == id) return true
	for (r = cf->dhcp->ranges; r != NULL; r = r->next)
		EX_IN(r->set);
	for (h = cf->dhcp->hosts; h != NULL; h = h->next)
		EX_IN(h->set);
	for (c = cf->dhcp->classes; c != NULL; c = c->next)
		EX_IN(c->set);
	for (m = cf->dhcp->macs; m != NULL; m = m->next)
		EX_IN(m->set);
	for (t = cf->dhcp->tagifs; t != NULL; t = t->next)
		EX_IN(t->set);
#undef EX_IN
	for (x = cf->dhcpopt->matches; x != NULL; x = x->next)
		if (x->tag == id)
			return true;
	/* the server's own tags, and interface names */
	if (strcmp(name, "known") == 0 || strcmp(name, "known-othernet") ==
	    0 || strcmp(name, "bootp") == 0 || strcmp(name, "cpewan-id") == 0 ||
	    strcmp(name, ex->ifc.name) == 0 || if_nametoindex(name) != 0)
		return true;
	for (s = cf->interfaces.head; s != NULL; s = s->next)
		if (s->s != NULL && strcmp(s->s, name) == 0)
			return true;
	return strchr(name, '*') != NULL;
}

static void
ex_check_expr(struct explain *ex, const char *option,
    const struct conf_src *src, const struct conf_tagexpr *e)
{
	char where[600];
	unsigned i;

	for (i = 0; i < e->n; i++)
		if (!e->v[i].neg && !ex_tag_settable(ex, e->v[i].id)) {
			ex_warn(ex, "%s at %s can never match: no line sets "
			    "tag %s", option, ex_src(src, where,
			    sizeof(where)), ex_tag_name(ex, e->v[i].id));
			return;
		}
}

/* Lines with a tag: condition no line sets. */
static void
ex_warn_unmatchable(struct explain *ex)
{
	const struct conf *cf = ex->cf;
	const struct conf_dhcp_boot *b;
	const struct conf_dhcp_opt *o;
	const struct conf_dhcp_range *r;
	const struct conf_dhcp_taglist *l;
	const struct conf_pxe_service *s;
	const struct conf_pxe_prompt *p;

	for (r = cf->dhcp->ranges; r != NULL; r = r->next)
		ex_check_expr(ex, "dhcp-range", &r->src, &r->filter);
	for (b = cf->dhcp->boots; b != NULL; b = b->next)
		ex_check_expr(ex, "dhcp-boot", &b->src, &b->filter);
	for (o = cf->dhcpopt->opts; o != NULL; o = o->next)
		ex_check_expr(ex, "dhcp-option", &o->src, &o->tags);
	for (l = cf->dhcp->ignores; l != NULL; l = l->next)
		ex_check_expr(ex, "dhcp-ignore", &l->src, &l->tags);
	if (cf->pxe == NULL)
		return;
	for (s = cf->pxe->services; s != NULL; s = s->next)
		ex_check_expr(ex, "pxe-service", &s->src, &s->tags);
	for (p = cf->pxe->prompts; p != NULL; p = p->next)
		ex_check_expr(ex, "pxe-prompt", &p->src, &p->tags);
}

/* The tags lines set for a PXE client of arch (a dry run of the real
 * matching: dhcp-match, dhcp-vendorclass ...), into out. */
static void
ex_arch_tags(struct explain *ex, int arch, struct tag_set *out)
{
	struct explain_client cl = ex->cl;
	struct ex_run *run = calloc(1, sizeof(*run));
	struct dhcp_msg *m = calloc(1, sizeof(*m));
	uint8_t buf[DHCP_MIN_BUF + 512];
	size_t len;
	unsigned i;

	tag_set_clear(out);
	cl.arch = arch;
	cl.has_vclass = false;
	if (run == NULL || m == NULL ||
	    (len = explain_build_discover(&cl, buf, sizeof(buf))) == 0 ||
	    dhcp_msg_decode(m, buf, len) != DHCP_OK)
		goto out;
	ex_handle(ex, run, m, DHCP_PATH_RAW, (struct in_addr){ 0 }, 68);
	for (i = 0; i < run->nev; i++)
		if (run->ev[i].set != NULL)
			tag_set_add_list(out, run->ev[i].set);
		else if (run->ev[i].id >= 0)
			tag_set_add_id(out, (uint16_t)run->ev[i].id);
out:
	free(run);
	free(m);
}

static unsigned
ex_services_for(const struct explain *ex, unsigned csa)
{
	const struct conf_pxe_service *s;
	unsigned n = 0;

	for (s = ex->cf->pxe != NULL ? ex->cf->pxe->services : NULL; s != NULL;
	    s = s->next)
		n += s->csa == csa;
	return n;
}

/* x86-64 UEFI firmware sends 7 or 9 (reference 4.7): what one gets the
 * other should too. */
static void
ex_warn_7_9(struct explain *ex)
{
	struct tag_set *t7 = calloc(1, sizeof(*t7)), *t9 = calloc(1,
	    sizeof(*t9));
	unsigned i, n7, n9;

	if (t7 == NULL || t9 == NULL)
		goto out;
	ex_arch_tags(ex, 7, t7);
	ex_arch_tags(ex, 9, t9);
	for (i = 0; i < t7->n; i++)
		if (t7->order[i] < TAG_EXTERN_BASE &&
		    !tag_set_has(t9, t7->order[i]))
			ex_warn(ex, "tag %s is set for client arch 7 but "
			    "not for 9: x86-64 UEFI firmware sends either; add "
			    "dhcp-match=set:%s,option:client-arch,9",
			    ex_set_name(ex, t7, i), ex_set_name(ex, t7, i));
	for (i = 0; i < t9->n; i++)
		if (t9->order[i] < TAG_EXTERN_BASE &&
		    !tag_set_has(t7, t9->order[i]))
			ex_warn(ex, "tag %s is set for client arch 9 but "
			    "not for 7: x86-64 UEFI firmware sends either; add "
			    "dhcp-match=set:%s,option:client-arch,7",
			    ex_set_name(ex, t9, i), ex_set_name(ex, t9, i));
	n7 = ex_services_for(ex, 7);
	n9 = ex_services_for(ex, 9);
	if ((n7 == 0) != (n9 == 0))
		ex_warn(ex, "pxe-service lines for %s (arch %d) but none for "
		    "%s (arch %d): x86-64 UEFI firmware sends either",
		    conf_pxe_csa_name(n7 ? 7 : 9), n7 ? 7 : 9,
		    conf_pxe_csa_name(n7 ? 9 : 7), n7 ? 9 : 7);
out:
	free(t7);
	free(t9);
}

/* The request's own traps: a cut boot name, menus UEFI skips. */
static void
ex_warn_reply(struct explain *ex, const struct ex_run *run,
    const struct ex_run *run2)
{
	const struct dhcp_msg *m = &run->reply;
	const struct dhcp_optval *o43 = &m->opt[DHCP_OPT_VENDOR_ENCAP];
	char file[300], srv[300];

	if (!run->replied)
		return;
	if (run->boot != NULL && run->boot->file != NULL &&
	    strlen(run->boot->file) > DHCP_FILE_LEN - 1 &&
	    m->opt[DHCP_OPT_BOOTFILE].p == NULL)
		ex_warn(ex, "the boot file name of dhcp-boot at line %u is %zu "
		    "bytes: cut to %d in the file field (the client did not "
		    "ask for option 67, or the reply is a proxy reply)",
		    run->boot->src.line, strlen(run->boot->file),
		    DHCP_FILE_LEN - 1);
	if (ex->cl.arch >= 6 && o43->p != NULL &&
	    dhcp_subopt(o43->p, o43->len, PXE_SUB_MENU, 1, NULL) != NULL)
		ex_warn(ex, "UEFI firmware (arch %d) skips PXE boot menus "
		    "(option 43): it boots only a file given in the reply; use "
		    "one pxe-service per UEFI architecture, or dhcp-match on "
		    "client-arch with dhcp-boot", ex->cl.arch);
	ex_boot_of(run2 != NULL && run2->replied ? &run2->reply : m, file,
	    sizeof(file), srv, sizeof(srv));
	if (ex->cl.arch >= 6 && file[0] == '\0' &&
	    (o43->p == NULL || dhcp_subopt(o43->p, o43->len, PXE_SUB_MENU, 1,
	    NULL) == NULL))
		ex_warn(ex, "no boot file for this UEFI client: with exactly "
		    "one matching pxe-service for its arch dnsmasq sends no "
		    "menu and, in full DHCP mode, no file (reference 4.6); use "
		    "dhcp-match on client-arch with dhcp-boot");
}

/* --- the passes --------------------------------------------------------- */

/* The lines behind an "ignored": dhcp-ignore entries whose tags all
 * hold, a dhcp-host with "ignore". */
static void
ex_why_ignored(struct explain *ex, const struct ex_run *run)
{
	const struct conf_dhcp_taglist *x;
	const struct conf_dhcp_host *h;
	unsigned i;

	for (x = ex->cf->dhcp->ignores; x != NULL; x = x->next)
		if (tag_expr_match(&run->tags, &x->tags, false))
			ex_print_line(ex, "    ignored by ", &x->src, NULL);
	for (i = 0; i < run->nev; i++)
		for (h = ex->cf->dhcp->hosts; h != NULL; h = h->next)
			if (run->ev[i].src == &h->src &&
			    (h->flags & CONF_DHCP_HOST_IGNORE))
				ex_print_line(ex, "    ignored by ", &h->src,
				    NULL);
}

static void
ex_why_none(struct explain *ex, const struct ex_run *run)
{
	if (run->v != DHCP_V_DROP)
		return;
	switch (run->tx.why) {
	case DHCP_DROP_IGNORED:
		ex_why_ignored(ex, run);
		break;
	case DHCP_DROP_NO_RANGE:
		fprintf(ex->out, "    no dhcp-range is on the network of the "
		    "interface's address%s: give the server's address with "
		    "addr=, or relay= for a relayed client\n",
		    ex->cl.relay.s_addr != 0 ? " or of the relay" : "");
		break;
	case DHCP_DROP_PXE:
		fprintf(ex->out, "    a proxy dhcp-range answers PXE clients "
		    "only (option 60 starting with PXEClient and option 93), "
		    "and port 4011 only their boot-server requests\n");
		break;
	case DHCP_DROP_NO_ADDRESS:
		fprintf(ex->out, "    no free address in the dhcp-range (or "
		    "only static ranges and no dhcp-host for this client)\n");
		break;
	default:
		break;
	}
}

static void
ex_report_run(struct explain *ex, const struct ex_run *run, const char *what)
{
	bool pxe = ex->cf->pxe != NULL && ex->cf->pxe->enabled;

	fprintf(ex->out, "\n%s\n", what);
	ex_report_tags(ex, run);
	ex_report_range(ex, run);
	ex_report_boots(ex, run);
	ex_report_services(ex, run);
	ex_report_reply(ex, run, pxe || ex->cl.arch >= 0);
	ex_why_none(ex, run);
	if (run->loglen > 0)
		fprintf(ex->out, "  server log (log-dhcp):\n%.*s",
		    (int)run->loglen, run->log);
}

/* The boot item a BIOS ROM takes from a menu: the first entry (the
 * prompt's time-out selects it); 0xffffffff: no menu. */
static uint32_t
ex_first_item(const struct dhcp_msg *m)
{
	const struct dhcp_optval *o = &m->opt[DHCP_OPT_VENDOR_ENCAP];
	const uint8_t *v;
	uint8_t len;

	if (o->p == NULL ||
	    (v = dhcp_subopt(o->p, o->len, PXE_SUB_MENU, 3, &len)) == NULL)
		return 0xffffffffu;
	return (uint32_t)(v[0] << 8 | v[1]);
}

/* A client address for the 4011 exchange: the offered one, else
 * requested=, else the interface's address + 1. */
static struct in_addr
ex_client_addr(const struct explain *ex, const struct dhcp_msg *m)
{
	struct in_addr a = m->yiaddr;

	if (a.s_addr == 0)
		a = ex->cl.requested;
	if (a.s_addr == 0 && ex->ifc.naddrs > 0)
		a.s_addr = htonl(ntohl(ex->addrs[0].addr.s_addr) + 1);
	return a;
}

/* What the PXE client does after the first reply: the boot-server
 * REQUEST to port 4011 for the menu's first item (BIOS), or the UEFI
 * REQUEST to 4011 without item when a proxy reply points there.
 * Returns true when a second pass ran. */
static bool
ex_followup(struct explain *ex, const struct ex_run *run, struct ex_run *run2)
{
	const struct dhcp_msg *m = &run->reply;
	struct dhcp_msg *req;
	uint8_t buf[DHCP_MAX_MSG];
	char file[300], srv[300];
	uint32_t item = 0xffffffffu;
	struct in_addr ci;
	size_t len;
	bool ok;

	if (!run->replied || ex->cl.arch < 0 ||
	    m->opt[DHCP_OPT_VENDOR_CLASS].p == NULL)
		return false;
	ex_boot_of(m, file, sizeof(file), srv, sizeof(srv));
	if (file[0] != '\0')
		return false;
	if (ex->cl.arch < 6) {
		if ((item = ex_first_item(m)) == 0xffffffffu || item == 0)
			return false;
	} else if (m->yiaddr.s_addr != 0 || m->siaddr.s_addr == 0)
		return false;
	ci = ex_client_addr(ex, m);
	if ((len = ex_build_4011(&ex->req, ci, item, buf, sizeof(buf))) == 0 ||
	    (req = calloc(1, sizeof(*req))) == NULL)
		return false;
	ok = dhcp_msg_decode(req, buf, len) == DHCP_OK;
	if (ok)
		ex_handle(ex, run2, req, DHCP_PATH_UDP4011, ci, 68);
	free(req);
	if (ok)
		ex_report_run(ex, run2, item != 0xffffffffu ?
		    "== then the boot-server REQUEST to port 4011 for the "
		    "menu's first item ==" : "== then the REQUEST to port "
		    "4011 (UEFI, proxy mode) ==");
	return ok;
}

static void
ex_summary(struct explain *ex, const struct ex_run *run,
    const struct ex_run *run2)
{
	const struct ex_run *last = run2 != NULL && run2->replied ? run2 : run;
	char file[300] = "", srv[300] = "";

	fprintf(ex->out, "\nresult:\n");
	if (!last->replied) {
		fprintf(ex->out, "  boot-file: (none)\n  boot-server: (none)\n"
		    "  no reply: %s\n", dhcp_drop_name(last->tx.why));
		return;
	}
	ex_boot_of(&last->reply, file, sizeof(file), srv, sizeof(srv));
	fprintf(ex->out, "  boot-file: %s\n  boot-server: %s\n",
	    file[0] != '\0' ? file : "(none)", srv);
}

/* --- main --------------------------------------------------------------- */

/* A captured request: the client facts the report uses. */
static void
ex_client_from_msg(struct explain *ex)
{
	const struct dhcp_msg *m = &ex->req;
	uint16_t arch;
	size_t len;
	const uint8_t *v;

	if (m->hlen == 6)
		memcpy(ex->cl.mac, m->chaddr, 6);
	ex->cl.arch = dhcp_msg_u16(m, DHCP_OPT_CLIENT_ARCH, &arch) ?
	    (int)arch : -1;
	ex->cl.relay = m->giaddr;
	if ((v = dhcp_msg_get(m, DHCP_OPT_VENDOR_CLASS, &len)) != NULL) {
		ex->cl.has_vclass = true;
		snprintf(ex->cl.vclass, sizeof(ex->cl.vclass), "%.*s",
		    (int)len, (const char *)v);
	}
	if ((v = dhcp_msg_get(m, DHCP_OPT_USER_CLASS, &len)) != NULL)
		snprintf(ex->cl.uclass, sizeof(ex->cl.uclass), "%.*s",
		    (int)len, (const char *)v);
}

static int
ex_request(struct explain *ex)
{
	const struct conf *cf = ex->cf;
	uint8_t buf[DHCP_MIN_BUF + 1024], *data = NULL;
	const uint8_t *pkt;
	char err[300];
	size_t len = 0, plen;
	int rc;

	if (cf->explain_pcap == NULL) {
		len = explain_build_discover(&ex->cl, buf, sizeof(buf));
		ex->req_port = 67;
		ex->req_src.s_addr = 0;
		if (len == 0 ||
		    dhcp_msg_decode(&ex->req, buf, len) != DHCP_OK) {
			fprintf(stderr, "pxemasq: the client description does "
			    "not fit a request\n");
			return -EINVAL;
		}
		return 0;
	}
	if ((rc = ex_read_file(cf->explain_pcap, &data, &len)) < 0) {
		fprintf(stderr, "pxemasq: cannot read %s: %s\n",
		    cf->explain_pcap, strerror(-rc));
		return rc;
	}
	rc = explain_pcap_request(data, len, &pkt, &plen, &ex->req_port,
	    &ex->req_src, err, sizeof(err));
	if (rc == 0 && dhcp_msg_decode(&ex->req, pkt, plen) != DHCP_OK) {
		snprintf(err, sizeof(err), "the captured request is malformed");
		rc = -EINVAL;
	}
	if (rc < 0)
		fprintf(stderr, "pxemasq: %s: %s\n", cf->explain_pcap, err);
	else
		ex_client_from_msg(ex);
	free(data);
	return rc;
}

static void
ex_header(struct explain *ex)
{
	const struct conf_str *f;
	char mac[64], a[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];
	unsigned i;

	fprintf(ex->out, "pxemasq --explain (nothing is sent; no lease is "
	    "written; the lease file is not read: a fresh client)\n");
	for (f = ex->cf->files_read.head; f != NULL; f = f->next)
		fprintf(ex->out, "config: %s\n", f->s != NULL ? f->s : "");
	dhcp_log_mac(mac, sizeof(mac), ex->req.chaddr, ex->req.hlen);
	fprintf(ex->out, "client: mac %s", mac);
	if (ex->cl.arch >= 0)
		fprintf(ex->out, ", arch %d%s%s", ex->cl.arch,
		    conf_pxe_csa_name((unsigned)ex->cl.arch) != NULL ? " " : "",
		    conf_pxe_csa_name((unsigned)ex->cl.arch) != NULL ?
		    conf_pxe_csa_name((unsigned)ex->cl.arch) : "");
	ex_print_text(ex, ", vendor-class ",
	    &ex->req.opt[DHCP_OPT_VENDOR_CLASS]);
	ex_print_text(ex, ", user-class ", &ex->req.opt[DHCP_OPT_USER_CLASS]);
	if (ex->cl.relay.s_addr != 0) {
		inet_ntop(AF_INET, &ex->cl.relay, a, sizeof(a));
		fprintf(ex->out, ", relayed by %s", a);
	}
	fprintf(ex->out, "%s\n", ex->cf->explain_pcap != NULL ?
	    " (from the capture)" : "");
	fprintf(ex->out, "interface: %s", ex->ifc.name);
	for (i = 0; i < ex->ifc.naddrs; i++) {
		inet_ntop(AF_INET, &ex->addrs[i].addr, a, sizeof(a));
		inet_ntop(AF_INET, &ex->addrs[i].netmask, mask, sizeof(mask));
		fprintf(ex->out, "%s %s/%s", i > 0 ? "," : "", a, mask);
	}
	fprintf(ex->out, " (%s)\n", ex->addr_from);
}

static bool
ex_ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* A boot file named like a loader for the other kind of firmware: a
 * BIOS loader (.0, .kpxe, .pxe, .com) for a UEFI client, an .efi file for
 * a BIOS one; usually a tag:!X line catching more clients than meant. */
static void
ex_warn_loader(struct explain *ex, const struct ex_run *run,
    const struct ex_run *run2)
{
	const struct ex_run *last = run2 != NULL && run2->replied ? run2 : run;
	char file[300], srv[300];

	if (!last->replied || ex->cl.arch < 0)
		return;
	ex_boot_of(&last->reply, file, sizeof(file), srv, sizeof(srv));
	if (ex->cl.arch >= 6 && (ex_ends(file, ".0") || ex_ends(file,
	    ".kpxe") || ex_ends(file, ".pxe") || ex_ends(file, ".com")))
		ex_warn(ex, "UEFI client (arch %d) gets %s, which looks like "
		    "a BIOS loader: check the tag:! conditions of the "
		    "dhcp-boot / pxe-service lines", ex->cl.arch, file);
	else if (ex->cl.arch < 6 && ex_ends(file, ".efi"))
		ex_warn(ex, "BIOS client (arch %d) gets %s, a UEFI program",
		    ex->cl.arch, file);
}

/* Would the daemon serve DHCP on the interface at all (interface=,
 * except-interface, no-dhcp-interface, listen-address)? */
static void
ex_warn_iface(struct explain *ex)
{
	struct iface *ifp = calloc(1, sizeof(*ifp));
	unsigned i;

	if (ifp == NULL)
		return;
	snprintf(ifp->name, sizeof(ifp->name), "%s", ex->ifc.name);
	ifp->index = 1;
	ifp->flags = IFF_UP | IFF_BROADCAST;
	for (i = 0; i < ex->ifc.naddrs && i < IFACE_MAX_ADDRS; i++) {
		ifp->addr[i].addr = ex->addrs[i].addr;
		ifp->addr[i].bcast = ex->addrs[i].broadcast;
		ifp->addr[i].prefixlen = (uint8_t)__builtin_popcount(
		    ex->addrs[i].netmask.s_addr);
		ifp->naddr++;
	}
	if (iface_dhcp_select(ex->cf, ifp) != IFACE_SEL_YES)
		ex_warn(ex, "the daemon does not serve DHCP on %s with this "
		    "configuration (interface=, except-interface=, "
		    "no-dhcp-interface=, listen-address=, local-service=host): "
		    "the explanation is what it would answer if it did",
		    ex->ifc.name);
	free(ifp);
}

static void
ex_warnings(struct explain *ex, const struct ex_run *run,
    const struct ex_run *run2)
{
	fprintf(ex->out, "\nwarnings:\n");
	ex_warn_iface(ex);
	ex_warn_loader(ex, run, run2);
	ex_warn_reply(ex, run, run2);
	if (run2 != NULL)
		ex_warn_reply(ex, run2, NULL);
	ex_warn_7_9(ex);
	ex_warn_unmatchable(ex);
	if (ex->warnings == 0)
		fprintf(ex->out, "  none\n");
}

static int
ex_setup(struct explain *ex, const struct conf *cf, FILE *out)
{
	struct dhcp_server_hooks hooks = { .log = ex_log, .trace = ex_trace };
	char err[300];
	struct lease_table *leases;

	ex->cf = cf;
	ex->out = out;
	if (explain_client_parse(&cf->explain_args, &ex->cl, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "pxemasq: --explain: %s\n", err);
		return -EINVAL;
	}
	if (ex_request(ex) < 0)
		return -EINVAL;
	ex_setup_iface(ex);
	if (tag_names_init(&ex->tn, &cf->tags) < 0 ||
	    (leases = lease_table_new()) == NULL) {
		fprintf(stderr, "pxemasq: could not get memory\n");
		return -ENOMEM;
	}
	hooks.ctx = ex;
	if ((ex->srv = dhcp_server_new(cf, leases, NULL, &hooks, 1)) == NULL) {
		lease_table_free(leases);
		fprintf(stderr, "pxemasq: could not get memory\n");
		return -ENOMEM;
	}
	return 0;
}

int
explain_main(const struct conf *cf, FILE *out)
{
	struct explain *ex = calloc(1, sizeof(*ex));
	struct ex_run *run = calloc(2, sizeof(*run));
	struct ex_run *run2 = run != NULL ? run + 1 : NULL;
	enum dhcp_path path;
	int status = 1;

	if (ex == NULL || run == NULL) {
		fprintf(stderr, "pxemasq: could not get memory\n");
		goto out;
	}
	if (ex_setup(ex, cf, out) < 0)
		goto out;
	ex_header(ex);
	if (cf->dhcp->ranges == NULL)
		fprintf(out, "note: no IPv4 dhcp-range: pxemasq serves no "
		    "DHCP with this configuration\n");
	path = ex->req_port == 4011 ? DHCP_PATH_UDP4011 :
	    ex->req.giaddr.s_addr != 0 ? DHCP_PATH_UDP67 : DHCP_PATH_RAW;
	ex_handle(ex, run, &ex->req, path, path == DHCP_PATH_UDP67 ?
	    ex->req.giaddr : ex->req_src, path == DHCP_PATH_UDP67 ? 67 : 68);
	ex_report_run(ex, run, "== the client's request ==");
	if (!ex_followup(ex, run, run2))
		run2 = NULL;
	ex_summary(ex, run, run2);
	ex_warnings(ex, run, run2);
	status = 0;
out:
	if (ex != NULL) {
		dhcp_server_free(ex->srv);
		tag_names_free(&ex->tn);
	}
	free(run);
	free(ex);
	return status;
}
