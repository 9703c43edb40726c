/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_tftp.c - enable-tftp, tftp-root, tftp-unique-root, tftp-max,
 * tftp-mtu and tftp-port-range.
 *
 * Facts from dnsmasq 2.90 (reference section 5, `dnsmasq --test`):
 * - enable-tftp without a value only switches TFTP on; with one it also
 *   adds each comma-separated interface name.
 * - tftp-root=DIR,IF is split at the first comma only; without IF it sets
 *   the global root, the last one read wins.  The root is not checked by
 *   --test.
 * - tftp-unique-root takes no value, "ip" or "mac" (any case); anything
 *   else is "error".
 * - tftp-max and tftp-mtu: digits only (empty = 0), else "error".
 * - tftp-port-range=A,B: both 16-bit numbers (empty = 0), else "bad port
 *   range"; a reversed range is swapped.
 */
#include "conf_tftp.h"

#include <string.h>
#include <strings.h>

#include "conf_int.h"

const char *
conf_tftp_root_for(const struct conf_tftp *t, const char *ifname)
{
	const struct conf_tftp_root *r;

	if (ifname != NULL)
		for (r = t->roots; r != NULL; r = r->next)
			if (r->iface != NULL && strcmp(r->iface, ifname) == 0)
				return r->dir;
	return t->root;
}

int
conf_tftp_enable(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_tftp *t = c->cf->tftp;
	char *next;

	(void)kw;
	t->enabled = true;
	for (; arg != NULL; arg = next) {
		next = conf_split(arg);
		conf_strlist_add(c, &t->interfaces, conf_strdup(c, arg));
	}
	return 0;
}

int
conf_tftp_root(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_tftp *t = c->cf->tftp;
	struct conf_tftp_root *r;
	char *iface;

	(void)kw;
	if ((iface = conf_split(arg)) == NULL) {
		t->root = conf_strdup(c, arg);
		t->root_src = c->src;
		return 0;
	}
	r = conf_alloc(c, sizeof(*r));
	r->src = c->src;
	r->dir = conf_strdup(c, arg);
	r->iface = conf_strdup(c, iface);
	*t->roots_tail = r;
	t->roots_tail = &r->next;
	return 0;
}

int
conf_tftp_unique_root(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_tftp *t = c->cf->tftp;

	(void)kw;
	if (arg == NULL || strcasecmp(arg, "ip") == 0)
		t->unique_root_ip = true;
	else if (strcasecmp(arg, "mac") == 0)
		t->unique_root_mac = true;
	else
		return conf_gen_err(c);
	return 0;
}

int
conf_tftp_max(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	if (!conf_atoi(arg, &c->cf->tftp->max))
		return conf_gen_err(c);
	return 0;
}

int
conf_tftp_mtu(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	if (!conf_atoi(arg, &c->cf->tftp->mtu))
		return conf_gen_err(c);
	return 0;
}

int
conf_tftp_port_range(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_tftp *t = c->cf->tftp;
	char *last = conf_split(arg);
	int a, b;

	(void)kw;
	if (last == NULL || !conf_atoi16(arg, &a) || !conf_atoi16(last, &b))
		return conf_err(c, "bad port range");
	t->port_first = (uint16_t)(a < b ? a : b);
	t->port_last = (uint16_t)(a < b ? b : a);
	t->has_port_range = true;
	return 0;
}

int
conf_tftp_init(struct conf_ctx *c)
{
	struct conf_tftp *t = conf_alloc(c, sizeof(*t));

	conf_strlist_init(&t->interfaces);
	t->roots_tail = &t->roots;
	t->max = CONF_TFTP_MAX_DEFAULT;
	c->cf->tftp = t;
	return 0;
}

/* --- printing ----------------------------------------------------------- */

/* Names and paths are read back with opt_string_alloc(): only commas and
 * what the lexer treats specially need quotes. */
static void
conf_tftp_print_str(FILE *out, const char *s)
{
	if (s == NULL)
		s = "";
	if (strchr(s, ',') != NULL)
		conf_print_quoted(out, s);
	else
		conf_print_value(out, s);
}

static void
conf_tftp_print_roots(const struct conf_tftp *t, FILE *out)
{
	const struct conf_tftp_root *r;

	if (t->root != NULL) {
		fputs("tftp-root=", out);
		conf_tftp_print_str(out, t->root);
		fputc('\n', out);
	}
	for (r = t->roots; r != NULL; r = r->next) {
		fputs("tftp-root=", out);
		/* an empty DIR alone would read back as "no comma" */
		if (r->dir == NULL)
			fputs("\"\"", out);
		else
			conf_tftp_print_str(out, r->dir);
		fputc(',', out);
		conf_tftp_print_str(out, r->iface);
		fputc('\n', out);
	}
}

void
conf_tftp_print(const struct conf *cf, FILE *out)
{
	const struct conf_tftp *t = cf->tftp;
	const struct conf_str *e;

	if (t == NULL)
		return;
	if (t->enabled && t->interfaces.head == NULL)
		fputs("enable-tftp\n", out);
	for (e = t->interfaces.head; e != NULL; e = e->next) {
		fputs("enable-tftp=", out);
		conf_tftp_print_str(out, e->s);
		fputc('\n', out);
	}
	conf_tftp_print_roots(t, out);
	if (t->unique_root_ip)
		fputs("tftp-unique-root=ip\n", out);
	if (t->unique_root_mac)
		fputs("tftp-unique-root=mac\n", out);
	/* %u: a number atoi() wrapped negative ("tftp-max=" and 20 digits,
	 * as dnsmasq reads it too) is written as the 32-bit number that
	 * reads back as the same int */
	if (t->max != CONF_TFTP_MAX_DEFAULT)
		fprintf(out, "tftp-max=%u\n", (unsigned)t->max);
	if (t->mtu != 0)
		fprintf(out, "tftp-mtu=%u\n", (unsigned)t->mtu);
	if (t->has_port_range)
		fprintf(out, "tftp-port-range=%u,%u\n", (unsigned)t->port_first,
		    (unsigned)t->port_last);
}
