/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_pxe.c - pxe-service, pxe-prompt and dhcp-pxe-vendor.
 *
 * Facts from dnsmasq 2.90 (reference sections 4.3 and 4.4, and
 * `dnsmasq --test` runs):
 * - Leading tag:/net: fields are conditions; nothing after them is an
 *   error ("error").
 * - pxe-service: the CSA is one of twelve names (case-insensitive) or a
 *   decimal number (an empty field counts as 0); the menu text is
 *   required.  A third field of digits is a boot-server type (empty = 0),
 *   anything else a basename whose type comes from one counter starting at
 *   0x8000, in reading order, across all CSAs.  A fourth field is an IPv4
 *   address or else a server name.  Numbers are C atoi() of a digit
 *   string, stored in 16 bits.
 * - pxe-prompt: TEXT[,TIMEOUT]; a timeout that is not all digits means
 *   255, the default; the value is kept in one byte.
 * - dhcp-pxe-vendor: a list of vendor-class prefixes; without one the
 *   prefix is "PXEClient".
 */
#include "conf_pxe.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_int.h"

/* Index = architecture number (option 93). */
static const char *const conf_pxe_csa[CONF_PXE_CSA_NAMED] = {
	"x86PC", "PC98", "IA64_EFI", "Alpha", "Arc_x86", "Intel_Lean_Client",
	"IA32_EFI", "x86-64_EFI", "Xscale_EFI", "BC_EFI", "ARM32_EFI",
	"ARM64_EFI",
};

static const char conf_pxe_default_vendor[] = "PXEClient";

const char *
conf_pxe_csa_name(unsigned csa)
{
	return csa < CONF_PXE_CSA_NAMED ? conf_pxe_csa[csa] : NULL;
}

const char *
conf_pxe_vendor_match(const struct conf_pxe *p, const char *vendor,
    size_t len)
{
	const struct conf_str *v;
	const char *found = NULL;
	size_t l;

	if (p->vendors.head == NULL) {
		l = strlen(conf_pxe_default_vendor);
		if (len >= l &&
		    strncmp(vendor, conf_pxe_default_vendor, l) == 0)
			return conf_pxe_default_vendor;
		return NULL;
	}
	/* dnsmasq searches its prepended list: the last match read wins. */
	for (v = p->vendors.head; v != NULL; v = v->next) {
		const char *s = v->s ? v->s : "";

		l = strlen(s);
		if (len >= l && strncmp(vendor, s, l) == 0)
			found = s;
	}
	return found;
}

/* dnsmasq's atoi_check(): digits only (an empty string passes), then the
 * C library's atoi(), whose wrap-around on huge values we keep. */
static bool
conf_pxe_atoi(char *s, int *out)
{
	if (!conf_numeric(s))
		return false;
	*out = atoi(s);
	return true;
}

/* Consumes leading tag:/net: fields of *arg into e.  *arg becomes NULL
 * when nothing follows them. */
static int
conf_pxe_tags(struct conf_ctx *c, struct conf_tagexpr *e, char **arg)
{
	while (conf_is_tag_prefix(*arg)) {
		char *next = conf_split(*arg);

		if (conf_tagexpr_add(c, e, *arg + 4) < 0)
			return -1;
		*arg = next;
	}
	return 0;
}

static bool
conf_pxe_csa_parse(char *s, uint16_t *csa)
{
	unsigned i;
	int v;

	for (i = 0; i < CONF_PXE_CSA_NAMED; i++)
		if (strcasecmp(conf_pxe_csa[i], s) == 0) {
			*csa = (uint16_t)i;
			return true;
		}
	if (!conf_pxe_atoi(s, &v))
		return false;
	*csa = (uint16_t)v;
	return true;
}

/* Third and fourth fields: BASENAME|TYPE[,SERVER]. */
static void
conf_pxe_service_boot(struct conf_ctx *c, struct conf_pxe_service *s,
    char *arg)
{
	struct conf_pxe *p = c->cf->pxe;
	char *server = conf_split(arg);
	int v;

	if (conf_pxe_atoi(arg, &v)) {
		s->type = (uint16_t)v;
	} else {
		s->type = (uint16_t)p->next_type;
		p->next_type = (p->next_type + 1) & 0xffff;
		s->basename = conf_strdup(c, arg);
		/* the file (BASENAME or BASENAME.LAYER) goes in the 127
		 * bytes of the BOOTP file field (reference 4.6) */
		if (s->basename != NULL && strlen(s->basename) +
		    (strchr(s->basename, '.') != NULL ? 0 : 2) > 127)
			conf_warn(c, "pxe-service file name longer than 127 "
			    "bytes is truncated in every reply");
	}
	if (server == NULL)
		return;
	/* The address is tried before hidden characters are restored, so a
	 * quoted "192.0.2.1" is a server name, as in dnsmasq. */
	if (inet_pton(AF_INET, server, &s->server) > 0)
		s->has_server = true;
	else
		s->sname = conf_strdup(c, server);
}

int
conf_pxe_service(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_pxe *p = c->cf->pxe;
	struct conf_pxe_service *s;
	char *menu, *boot;

	(void)kw;
	s = conf_alloc(c, sizeof(*s));
	s->src = c->src;
	if (conf_pxe_tags(c, &s->tags, &arg) < 0)
		return -1;
	if (arg == NULL || (menu = conf_split(arg)) == NULL ||
	    !conf_pxe_csa_parse(arg, &s->csa))
		return conf_gen_err(c);
	boot = conf_split(menu);
	s->menu = conf_strdup(c, menu);
	if (boot != NULL)
		conf_pxe_service_boot(c, s, boot);
	*p->services_tail = s;
	p->services_tail = &s->next;
	p->n_services++;
	p->enabled = true;
	return 0;
}

int
conf_pxe_prompt(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	struct conf_pxe *p = c->cf->pxe;
	struct conf_pxe_prompt *pr;
	char *timeout;
	int v;

	(void)kw;
	pr = conf_alloc(c, sizeof(*pr));
	pr->src = c->src;
	if (conf_pxe_tags(c, &pr->tags, &arg) < 0)
		return -1;
	if (arg == NULL)
		return conf_gen_err(c);
	timeout = conf_split(arg);
	pr->text = conf_strdup(c, arg);
	if (pr->text == NULL)
		pr->text = "";
	pr->timeout = 255;
	if (timeout != NULL && conf_pxe_atoi(timeout, &v))
		pr->timeout = (uint8_t)v;
	*p->prompts_tail = pr;
	p->prompts_tail = &pr->next;
	p->n_prompts++;
	p->enabled = true;
	return 0;
}

int
conf_pxe_vendor(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	char *next;

	(void)kw;
	for (; arg != NULL; arg = next) {
		next = conf_split(arg);
		conf_strlist_add(c, &c->cf->pxe->vendors, conf_strdup(c, arg));
	}
	return 0;
}

int
conf_pxe_init(struct conf_ctx *c)
{
	struct conf_pxe *p = conf_alloc(c, sizeof(*p));

	p->services_tail = &p->services;
	p->prompts_tail = &p->prompts;
	conf_strlist_init(&p->vendors);
	p->next_type = CONF_PXE_TYPE_FIRST;
	c->cf->pxe = p;
	return 0;
}

/* --- printing ----------------------------------------------------------- */

/* A text field read back with opt_string_alloc(): only a comma, or what
 * the lexer itself treats specially, needs quotes.  Text that would be
 * read as something else (a tag, a number, an address) is quoted too,
 * since quoting hides the characters that make it so. */
static void
conf_pxe_print_str(FILE *out, const char *s, bool typed)
{
	struct in_addr a;

	if (s == NULL)
		s = "";
	if (strchr(s, ',') != NULL ||
	    (typed && (conf_is_tag_prefix(s) ||
	    inet_pton(AF_INET, s, &a) > 0))) {
		conf_print_quoted(out, s);
		return;
	}
	conf_print_value(out, s);
}

static void
conf_pxe_print_service(const struct conf *cf, FILE *out,
    const struct conf_pxe_service *s)
{
	const char *name = conf_pxe_csa_name(s->csa);
	char buf[INET_ADDRSTRLEN];

	fputs("pxe-service=", out);
	conf_print_tagexpr(cf, out, &s->tags);
	if (name != NULL)
		fputs(name, out);
	else
		fprintf(out, "%u", (unsigned)s->csa);
	fputc(',', out);
	conf_pxe_print_str(out, s->menu, false);
	if (s->basename != NULL) {
		fputc(',', out);
		conf_pxe_print_str(out, s->basename, false);
	} else if (s->type != 0 || s->has_server || s->sname != NULL) {
		fprintf(out, ",%u", (unsigned)s->type);
	}
	if (s->has_server) {
		inet_ntop(AF_INET, &s->server, buf, sizeof(buf));
		fprintf(out, ",%s", buf);
	} else if (s->sname != NULL) {
		fputc(',', out);
		conf_pxe_print_str(out, s->sname, true);
	}
	fputc('\n', out);
}

void
conf_pxe_print(const struct conf *cf, FILE *out)
{
	const struct conf_pxe *p = cf->pxe;
	const struct conf_pxe_service *s;
	const struct conf_pxe_prompt *pr;
	const struct conf_str *v;

	if (p == NULL)
		return;
	for (v = p->vendors.head; v != NULL; v = v->next) {
		fputs("dhcp-pxe-vendor=", out);
		conf_pxe_print_str(out, v->s, false);
		fputc('\n', out);
	}
	for (pr = p->prompts; pr != NULL; pr = pr->next) {
		fputs("pxe-prompt=", out);
		conf_print_tagexpr(cf, out, &pr->tags);
		conf_pxe_print_str(out, pr->text, true);
		fprintf(out, ",%u\n", (unsigned)pr->timeout);
	}
	for (s = p->services; s != NULL; s = s->next)
		conf_pxe_print_service(cf, out, s);
}
