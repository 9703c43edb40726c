/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_print.c - --dump-config: the parsed configuration in canonical
 * dnsmasq syntax.  Reading the output back gives the same output.
 *
 * Canonical means: one option per line, canonical option names (no
 * aliases, no short flags), flags first in table order, then each
 * module's options in reading order, values normalised (addresses in
 * dotted form, times in seconds, tags as tag:/set:).  Values that dnsmasq
 * would read differently unquoted are quoted.
 */
#include "conf_int.h"

#include <string.h>

/* True when c, printed bare, would not read back as the same byte. */
static bool
conf_needs_quote(unsigned char ch)
{
	return ch < 0x20 || ch == '"' || ch == '\\' || ch == '#' || ch == 0x7f;
}

/*
 * Prints s so that the lexer returns s again.  Bytes below 0x20 in s are
 * characters the lexer hid because they were quoted (or escapes such as
 * \t); they are printed inside quotes in their visible form, which hides
 * them again on reading.  Leading or trailing spaces and empty strings
 * are quoted too.
 */
void
conf_print_value(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	bool inq = false;
	size_t i;

	if (len == 0) {
		fputs("\"\"", out);
		return;
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = p[i];
		bool q = conf_needs_quote(ch) || (ch == ' ' &&
		    (i == 0 || i == len - 1 || p[i - 1] == ' '));

		if (q && !inq) {
			fputc('"', out);
			inq = true;
		} else if (!q && inq) {
			fputc('"', out);
			inq = false;
		}
		if (!inq) {
			fputc(ch, out);
			continue;
		}
		switch (ch) {
		case '\t': fputs("\\t", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\b': fputs("\\b", out); break;
		case 033: fputs("\\e", out); break;
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		default:
			fputc(conf_unhide_meta((char)ch), out);
			break;
		}
	}
	if (inq)
		fputc('"', out);
}

void
conf_print_tagexpr(const struct conf *cf, FILE *out,
    const struct conf_tagexpr *e)
{
	unsigned i;

	for (i = 0; i < e->n; i++) {
		const char *name = conf_tag_name(cf, e->v[i].id);

		fputs(e->v[i].neg ? "tag:!" : "tag:", out);
		/* Names are interned unhidden: a comma in one came from quotes
		 * (or a raw hidden byte) and must be quoted again, or the
		 * option's fields split there on reading. */
		if (strchr(name, ',') != NULL)
			conf_print_quoted(out, name);
		else
			conf_print_value(out, name);
		fputc(',', out);
	}
}

void
conf_print_src(FILE *out, const struct conf_src *src)
{
	if (src->file != NULL)
		fprintf(out, "# %s:%u\n", src->file, src->line);
	else
		fputs("# command line\n", out);
}

static void
conf_print_flags(const struct conf *cf, FILE *out)
{
	unsigned i;

	for (i = 0; i < conf_kw_table_len; i++) {
		const struct conf_kw *k = &conf_kw_table[i];

		if (k->alias || k->rep != CONF_REP_FLAG)
			continue;
		if (conf_flag(cf, k->id))
			fprintf(out, "%s\n", k->name);
	}
}

static void
conf_print_unsup(const struct conf *cf, FILE *out)
{
	const struct conf_unsup *u;

	for (u = cf->unsup_head; u != NULL; u = u->next) {
		const struct conf_kw *k = conf_kw_by_name(u->name);

		if (k != NULL && k->rep == CONF_REP_FLAG)
			continue;
		fprintf(out, "%s", u->name);
		if (u->value != NULL) {
			fputc('=', out);
			conf_print_value(out, u->value);
		}
		fputc('\n', out);
	}
}

void
conf_print(const struct conf *cf, FILE *out)
{
	fputs("# pxemasq --dump-config: canonical form of the configuration\n",
	    out);
	conf_print_flags(cf, out);
	conf_core_print(cf, out);
	conf_dhcp_print(cf, out);
	conf_dhcpopt_print(cf, out);
	conf_pxe_print(cf, out);
	conf_tftp_print(cf, out);
	conf_dns_print(cf, out);
	conf_print_unsup(cf, out);
}

static void
conf_print_quoted_body(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\b': fputs("\\b", out); break;
		case 033: fputs("\\e", out); break;
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		default: fputc(*s, out); break;
		}
	}
}

void
conf_print_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	conf_print_quoted_body(out, s);
	fputc('"', out);
}

void
conf_print_text(FILE *out, const char *s)
{
	size_t len = strlen(s);
	const char *p;
	bool q = len == 0 || s[0] == ' ' || s[len - 1] == ' ';

	for (p = s; *p && !q; p++)
		if ((unsigned char)*p < 0x20 || strchr(",:.#\"\\ ", *p) != NULL)
			q = true;
	if (q)
		conf_print_quoted(out, s);
	else
		fputs(s, out);
}
