/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ethers.h"

#include <arpa/inet.h>
#include <net/if_arp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf.h"
#include "conf_dhcp.h"
#include "dnsname.h"
#include "util.h"

/* An entry while the file is read: its name is an offset in the pool. */
struct et_item {
	uint8_t mac[ETHERS_MAC_LEN];
	bool has_addr, has_name;
	struct in_addr addr;
	size_t name_off;
	unsigned line;
};

struct et_build {
	struct et_item *items;
	size_t n, cap;
	struct ethers_diag *diags;
	size_t n_diags, cap_diags;
	char *pool;
	size_t pool_len, pool_cap;
	unsigned count;
	/* dnsmasq's hwaddr buffer lives across lines: a "*" byte keeps
	 * what the previous line left there */
	uint8_t hw[ETHERS_MAC_LEN];
};

static int
et_diag(struct et_build *b, enum ethers_problem what, unsigned line)
{
	if (util_grow((void **)&b->diags, &b->cap_diags, b->n_diags + 1,
	    sizeof(*b->diags)) < 0)
		return -ENOMEM;
	b->diags[b->n_diags].what = what;
	b->diags[b->n_diags].line = line;
	b->n_diags++;
	return 0;
}

/* isspace() and isxdigit() in the C locale. */
static bool
et_isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int
et_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One group of hex digits (no separator, len > 0) into out[*i...]: two
 * digits a byte, an odd last digit a byte of its own.  -1 if a '*' is
 * among the digits. */
static int
et_hex_group(const char *in, size_t len, uint8_t *out, int *i)
{
	size_t j;

	for (j = 0; j < len; j += 2) {
		int hi = et_hexval((unsigned char)in[j]);
		int lo = j + 1 < len ? et_hexval((unsigned char)in[j + 1]) : 0;

		if (hi < 0 || lo < 0)
			return -1;
		out[*i] = (uint8_t)(j + 1 < len ? hi * 16 + lo : hi);
		if (++*i == ETHERS_MAC_LEN)
			break;
	}
	return 0;
}

/*
 * dnsmasq's parse_hex(in, out, 6, NULL, NULL): groups of hex digits (or
 * "*", a byte left as it is) separated by ':', '-' or ' ' (empty groups
 * skipped), at most 6 bytes, the rest of the text then unread.  Returns
 * the number of bytes, or -1 for a byte that is neither hex nor '*'.
 */
static int
et_parse_mac(const char *in, uint8_t *out)
{
	bool done = false;
	int i = 0;

	while (!done && i < ETHERS_MAC_LEN) {
		const char *r;

		for (r = in; *r && *r != ':' && *r != '-' && *r != ' '; r++)
			if (*r != '*' && et_hexval((unsigned char)*r) < 0)
				return -1;
		if (*r == '\0')
			done = true;
		if (r - in == 1 && *in == '*')
			i++;
		else if (r != in && et_hex_group(in, (size_t)(r - in), out,
		    &i) < 0)
			return -1;
		in = r + 1;
	}
	return i;
}

/* fgets(buf, ETHERS_LINE_MAX + 1, f).  Returns false at end of file. */
static bool
et_getline(FILE *f, char *buf)
{
	size_t n = 0;
	int c;

	while (n < ETHERS_LINE_MAX && (c = getc(f)) != EOF) {
		buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	buf[n] = '\0';
	return n > 0;
}

static struct et_item *
et_find(struct et_build *b, const struct et_item *want)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct et_item *it = &b->items[i];

		if (want->has_addr ? it->has_addr &&
		    it->addr.s_addr == want->addr.s_addr :
		    it->has_name && dnsname_equal(b->pool + it->name_off,
		    b->pool + want->name_off))
			return it;
	}
	return NULL;
}

static struct et_item *
et_find_mac(struct et_build *b, const uint8_t *mac)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (memcmp(b->items[i].mac, mac, ETHERS_MAC_LEN) == 0)
			return &b->items[i];
	return NULL;
}

/* A valid line: a duplicate, or merged into the entry of its MAC, or a
 * new entry.  want's name, if any, is at the end of the pool. */
static int
et_apply(struct et_build *b, const struct et_item *want)
{
	struct et_item *it;

	if (et_find(b, want) != NULL)
		return et_diag(b, ETHERS_DUPLICATE, want->line);
	if ((it = et_find_mac(b, want->mac)) == NULL) {
		if (util_grow((void **)&b->items, &b->cap, b->n + 1,
		    sizeof(*b->items)) < 0)
			return -ENOMEM;
		it = &b->items[b->n++];
		*it = *want;
	} else if (want->has_addr) {
		it->has_addr = true;
		it->addr = want->addr;
	} else {
		it->has_name = true;
		it->name_off = want->name_off;
	}
	b->count++;
	return 0;
}

/* REST of a line: an IPv4 address if it is all digits and dots, else a
 * host name (appended to the pool).  Returns 0, 1 with *why set for a
 * bad line, or -ENOMEM. */
static int
et_rest(struct et_build *b, char *rest, struct et_item *want,
    enum ethers_problem *why)
{
	char canon[DNSNAME_BUF];
	size_t len;

	if (rest[strspn(rest, ".0123456789")] == '\0') {
		*why = ETHERS_BAD_ADDRESS;
		if (inet_pton(AF_INET, rest, &want->addr) < 1)
			return 1;
		want->has_addr = true;
		return 0;
	}
	*why = ETHERS_BAD_NAME;
	if (dnsname_canonicalise(rest, canon, sizeof(canon)) < 0 ||
	    !dnsname_legal_hostname(canon))
		return 1;
	len = strlen(canon) + 1;
	if (util_grow((void **)&b->pool, &b->pool_cap, b->pool_len + len, 1) < 0)
		return -ENOMEM;
	memcpy(b->pool + b->pool_len, canon, len);
	want->has_name = true;
	want->name_off = b->pool_len;
	b->pool_len += len;
	return 0;
}

static int
et_line(struct et_build *b, char *buf, unsigned lineno)
{
	enum ethers_problem why;
	struct et_item want;
	size_t len = strlen(buf);
	char *rest;
	int rc;

	while (len > 0 && et_isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	if (buf[0] == '#' || buf[0] == '+' || buf[0] == '\0')
		return 0;
	for (rest = buf; *rest && !et_isspace((unsigned char)*rest); rest++)
		;
	for (; *rest && et_isspace((unsigned char)*rest); rest++)
		*rest = '\0';
	if (*rest == '\0' || et_parse_mac(buf, b->hw) != ETHERS_MAC_LEN)
		return et_diag(b, ETHERS_BAD_LINE, lineno);
	memset(&want, 0, sizeof(want));
	memcpy(want.mac, b->hw, ETHERS_MAC_LEN);
	want.line = lineno;
	if ((rc = et_rest(b, rest, &want, &why)) < 0)
		return rc;
	if (rc > 0)
		return et_diag(b, why, lineno);
	return et_apply(b, &want);
}

/* The table in one allocation: header, entries, problems, names. */
static struct ethers *
et_finish(const struct et_build *b)
{
	size_t ent = b->n * sizeof(struct ethers_entry);
	size_t dia = b->n_diags * sizeof(struct ethers_diag);
	struct ethers_entry *e;
	struct ethers_diag *d;
	struct ethers *t;
	char *pool;
	size_t i;

	if ((t = malloc(sizeof(*t) + ent + dia + b->pool_len)) == NULL)
		return NULL;
	e = (struct ethers_entry *)(t + 1);
	d = (struct ethers_diag *)((char *)e + ent);
	pool = (char *)d + dia;
	if (b->pool_len > 0)
		memcpy(pool, b->pool, b->pool_len);
	if (dia > 0)
		memcpy(d, b->diags, dia);
	for (i = 0; i < b->n; i++) {
		const struct et_item *it = &b->items[i];

		memcpy(e[i].mac, it->mac, ETHERS_MAC_LEN);
		e[i].has_addr = it->has_addr;
		e[i].addr = it->addr;
		e[i].name = it->has_name ? pool + it->name_off : NULL;
		e[i].line = it->line;
	}
	t->n = b->n;
	t->entries = e;
	t->n_diags = b->n_diags;
	t->diags = d;
	t->count = b->count;
	return t;
}

int
ethers_read(FILE *f, struct ethers **out)
{
	char buf[ETHERS_LINE_MAX + 1];
	struct et_build b;
	unsigned lineno = 0;
	int rc = 0;

	memset(&b, 0, sizeof(b));
	*out = NULL;
	while (rc == 0 && et_getline(f, buf))
		rc = et_line(&b, buf, ++lineno);
	if (rc == 0 && (*out = et_finish(&b)) == NULL)
		rc = -ENOMEM;
	free(b.items);
	free(b.diags);
	free(b.pool);
	return rc;
}

int
ethers_load(const char *path, struct ethers **out)
{
	FILE *f;
	int rc;

	*out = NULL;
	if ((f = fopen(path, "re")) == NULL)
		return -errno;
	rc = ethers_read(f, out);
	fclose(f);
	return rc;
}

void
ethers_free(struct ethers *e)
{
	free(e);
}

void
ethers_diag_msg(const struct ethers_diag *d, const char *path, char *buf,
    size_t size)
{
	switch (d->what) {
	case ETHERS_BAD_LINE:
		snprintf(buf, size, "bad line at %s line %u", path, d->line);
		break;
	case ETHERS_BAD_ADDRESS:
		snprintf(buf, size, "bad address at %s line %u", path,
		    d->line);
		break;
	case ETHERS_BAD_NAME:
		snprintf(buf, size, "bad name at %s line %u", path, d->line);
		break;
	case ETHERS_DUPLICATE:
	default:
		snprintf(buf, size, "ignoring %s line %u, duplicate name or "
		    "IP address", path, d->line);
		break;
	}
}

/* --- merging into dhcp-host (dhcp_read_ethers()'s second half) ---------- */

/* dnsmasq compares the whole configured name, case-insensitively. */
static bool
ethers_name_is(const struct conf_dhcp_host *h, const char *name)
{
	size_t n = strlen(h->hostname);

	if (strncasecmp(h->hostname, name, n) != 0)
		return false;
	if (h->domain == NULL)
		return name[n] == '\0';
	return name[n] == '.' && strcasecmp(h->domain, name + n + 1) == 0;
}

static struct conf_dhcp_host *
ethers_find(struct conf_dhcp *d, const struct ethers_entry *en)
{
	struct conf_dhcp_host *h;

	for (h = d->hosts; h != NULL; h = h->next) {
		if (h->flags & CONF_DHCP_HOST_BANK)
			continue;
		if (en->has_addr) {
			if ((h->flags & CONF_DHCP_HOST_ADDR) &&
			    h->addr.s_addr == en->addr.s_addr)
				return h;
		} else if ((h->flags & CONF_DHCP_HOST_NAME) &&
		    ethers_name_is(h, en->name))
			return h;
	}
	for (h = d->hosts; h != NULL; h = h->next)
		if (!(h->flags & CONF_DHCP_HOST_BANK) && h->nhw == 1 &&
		    h->hw[0].wild == 0 && h->hw[0].len == ETHERS_MAC_LEN &&
		    (h->hw[0].type == ARPHRD_ETHER || h->hw[0].type == 0) &&
		    memcmp(h->hw[0].addr, en->mac, ETHERS_MAC_LEN) == 0) {
			h->flags |= en->has_addr ? CONF_DHCP_HOST_ADDR :
			    CONF_DHCP_HOST_NAME;
			return h;
		}
	return NULL;
}

/* The name as dhcp-host keeps it: first label, then the domain. */
static int
ethers_set_name(struct arena *a, struct conf_dhcp_host *h, const char *name)
{
	char *n = arena_strdup(a, name), *dot;

	if (n == NULL)
		return -ENOMEM;
	h->hostname = n;
	h->domain = NULL;
	if ((dot = strchr(n, '.')) != NULL) {
		*dot = '\0';
		if (dot[1] != '\0')
			h->domain = dot + 1;
	}
	return 0;
}

static int
ethers_merge(struct arena *a, struct conf_dhcp *d, const char *path,
    const struct ethers_entry *en, struct conf_dhcp_host ***ins)
{
	struct conf_dhcp_host *h = ethers_find(d, en);
	struct conf_dhcp_hwaddr *hw;
	bool fresh = h == NULL;

	if (fresh) {
		if ((h = arena_alloc(a, sizeof(*h))) == NULL)
			return -ENOMEM;
		h->flags = en->has_addr ? CONF_DHCP_HOST_ADDR :
		    CONF_DHCP_HOST_NAME;
		h->src.file = path;
		h->src.line = en->line;
	}
	/* dnsmasq overwrites the first hardware address and cuts the list;
	 * a fresh copy, so the dhcp-host's own array is left alone */
	if ((hw = arena_alloc(a, sizeof(*hw))) == NULL)
		return -ENOMEM;
	h->hw = hw;
	h->nhw = 1;
	memcpy(h->hw[0].addr, en->mac, ETHERS_MAC_LEN);
	h->hw[0].len = ETHERS_MAC_LEN;
	h->hw[0].type = ARPHRD_ETHER;
	h->flags |= CONF_DHCP_HOST_NOCLID;
	if (en->has_addr && (fresh || !(h->flags & CONF_DHCP_HOST_ADDR) ||
	    h->addr.s_addr != en->addr.s_addr)) {
		h->addr = en->addr;
		h->flags |= CONF_DHCP_HOST_ADDR;
	}
	if (en->name != NULL && (fresh || h->hostname == NULL ||
	    !ethers_name_is(h, en->name))) {
		if (ethers_set_name(a, h, en->name) < 0)
			return -ENOMEM;
		h->flags |= CONF_DHCP_HOST_NAME;
	}
	if (fresh) {
		h->next = **ins;
		**ins = h;
		*ins = &h->next;
		if (h->next == NULL)
			d->hosts_tail = &h->next;
	}
	return 0;
}

int
ethers_apply(const struct ethers *e, const char *path, struct conf *cf)
{
	struct conf_dhcp *d = cf->dhcp;
	struct conf_dhcp_host **ins;
	size_t i;

	if (e == NULL || d == NULL)
		return 0;
	/* new entries go before the first dhcp-hostsfile entry */
	for (ins = &d->hosts; *ins != NULL &&
	    !((*ins)->flags & CONF_DHCP_HOST_BANK); ins = &(*ins)->next)
		;
	for (i = 0; i < e->n; i++)
		if (ethers_merge(&cf->arena, d, path, &e->entries[i], &ins) < 0)
			return -ENOMEM;
	return 0;
}
