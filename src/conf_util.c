/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_util.c - value helpers shared by the option handlers: dnsmasq's
 * metacharacter hiding, comma splitting, digit-only integers, tags,
 * string lists and error reporting.
 */
#include "conf_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "dnsname.h"
#include "idna.h"
#include "log.h"

/*
 * Characters that lose their meaning inside double quotes are mapped to
 * the byte equal to their index here, so that splitting on ',' ':' '.'
 * and ' ' passes over them.  NUL, \b \t \n \r and ESC sit at their own
 * value so hiding them is the identity.  This mapping has to be the one
 * dnsmasq uses, since the meaning of a value depends on it.
 */
static const char conf_meta[] =
    "\000123456 \b\t\n78\r90abcdefABCDE\033F:,.";

char
conf_hide_meta(char ch)
{
	size_t i;

	for (i = 0; i < sizeof(conf_meta) - 1; i++)
		if (ch == conf_meta[i])
			return (char)i;
	return ch;
}

char
conf_unhide_meta(char ch)
{
	unsigned char u = (unsigned char)ch;

	if (u < sizeof(conf_meta) - 1)
		return conf_meta[u];
	return ch;
}

void
conf_unhide(char *s)
{
	if (s == NULL)
		return;
	for (; *s; s++)
		*s = conf_unhide_meta(*s);
}

char *
conf_split_chr(char *s, char ch)
{
	char *at, *p;

	if (s == NULL || (at = strchr(s, ch)) == NULL)
		return NULL;
	p = at;
	*at = ' ';
	while (*at == ' ')
		at++;
	while (p >= s && *p == ' ') {
		*p = '\0';
		if (p == s)
			break;
		p--;
	}
	return at;
}

char *
conf_split(char *s)
{
	return conf_split_chr(s, ',');
}

void *
conf_alloc(struct conf_ctx *c, size_t size)
{
	void *p = arena_alloc(&c->cf->arena, size);

	if (p == NULL) {
		fputs("pxemasq: could not get memory\n", stderr);
		exit(4);
	}
	return p;
}

char *
conf_strdup(struct conf_ctx *c, const char *s)
{
	char *p;

	if (s == NULL || *s == '\0')
		return NULL;
	p = arena_strdup(&c->cf->arena, s);
	if (p == NULL) {
		fputs("pxemasq: could not get memory\n", stderr);
		exit(4);
	}
	conf_unhide(p);
	return p;
}

char *
conf_canonicalise(struct conf_ctx *c, char *s)
{
	char idna[IDNA_NAME_MAX + 2];
	int rc;

	if (s == NULL)
		return NULL;
	if (*s == '\0')
		return conf_alloc(c, 1);
	conf_unhide(s);
	if ((rc = dnsname_check(s)) == DNSNAME_BAD)
		return NULL;
	/* Debian's dnsmasq (IDN2) passes such names to libidn2's
	 * idn2_to_ascii_lz(IDN2_NONTRANSITIONAL) in the locale's character
	 * set; pxemasq reads them as UTF-8 whatever the locale. */
	if (rc == DNSNAME_IDN) {
		if (idna_to_ascii(s, idna, sizeof(idna)) < 0)
			return NULL;
		s = idna;
	}
	return arena_strdup(&c->cf->arena, s);
}

bool
conf_numeric(char *s)
{
	if (s == NULL)
		return false;
	conf_unhide(s);
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * dnsmasq converts with atoi() after its digit check.  glibc's atoi() is
 * (int)strtol(s, NULL, 10): strtol saturates at LONG_MAX and the cast
 * keeps the low 32 bits, so on the LP64 systems Debian ships,
 * "4294967296" is 0 and "4294967349" is 53 (and port=4294967349 is
 * accepted).  Verdicts depend on this, so it is reproduced exactly; an
 * empty string is 0 as with atoi().
 */
bool
conf_atoi(char *s, int *out)
{
	unsigned long long v = 0;
	bool sat = false;

	if (!conf_numeric(s))
		return false;
	for (; *s; s++) {
		if (sat)
			continue;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > 0x7fffffffffffffffULL) {
			v = 0x7fffffffffffffffULL;	/* LONG_MAX */
			sat = true;
		}
	}
	*out = (int)(uint32_t)(v & 0xffffffffu);
	return true;
}

bool
conf_atoi16(char *s, int *out)
{
	return conf_atoi(s, out) && *out >= 0 && *out <= 0xffff;
}

bool
conf_atoi8(char *s, int *out)
{
	return conf_atoi(s, out) && *out >= 0 && *out <= 0xff;
}

bool
conf_strtoul(char *s, uint32_t *out)
{
	unsigned long long v = 0;

	if (!conf_numeric(s))
		return false;
	for (; *s; s++) {
		v = v * 10 + (unsigned)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

bool
conf_has_prefix(const char *s, const char *p)
{
	return s != NULL && strncmp(s, p, strlen(p)) == 0;
}

int
conf_err(struct conf_ctx *c, const char *msg)
{
	snprintf(c->errbuf, sizeof(c->errbuf), "%s", msg);
	c->err = c->errbuf;
	if (c->exit_code == 0)
		c->exit_code = 1;
	return -1;
}

int
conf_errf(struct conf_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errbuf, sizeof(c->errbuf), fmt, ap);
	va_end(ap);
	c->err = c->errbuf;
	if (c->exit_code == 0)
		c->exit_code = 1;
	return -1;
}

int
conf_err_code(struct conf_ctx *c, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errbuf, sizeof(c->errbuf), fmt, ap);
	va_end(ap);
	c->err = c->errbuf;
	c->exit_code = code;
	if (code != 1)
		c->err_positioned = true;	/* dnsmasq dies without a position */
	return -1;
}

int
conf_gen_err(struct conf_ctx *c)
{
	return conf_err(c, c->command_line ? "try --help" : "error");
}

void
conf_warn(struct conf_ctx *c, const char *fmt, ...)
{
	char msg[512], where[600] = "";
	va_list ap;

	if (c->replay)
		return;		/* warned when the bytes were first read */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->src.file != NULL)
		snprintf(where, sizeof(where), " at line %u of %s",
		    c->src.line, c->src.file);
	/* the log (stderr before it is opened, as --test shows) */
	log_msg(LOG_SVC_MAIN, LOG_WARNING, "warning: %s%s", msg, where);
}

int
conf_tag_intern(struct conf_ctx *c, const char *name, uint16_t *id)
{
	struct conf_tags *t = &c->cf->tags;
	const char **nv;
	unsigned i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->name[i], name) == 0) {
			*id = (uint16_t)i;
			return 0;
		}
	if (t->n >= CONF_TAG_MAX)
		return conf_err(c, "too many tags");
	if (t->n == t->cap) {
		unsigned ncap = t->cap ? t->cap * 2 : 16;

		nv = conf_alloc(c, ncap * sizeof(*nv));
		if (t->n)
			memcpy(nv, t->name, t->n * sizeof(*nv));
		t->name = nv;
		t->cap = ncap;
	}
	t->name[t->n] = arena_strdup(&c->cf->arena, name);
	if (t->name[t->n] == NULL)
		return conf_err(c, "could not get memory");
	*id = (uint16_t)t->n++;
	return 0;
}

bool
conf_is_tag_prefix(const char *s)
{
	return conf_has_prefix(s, "tag:") || conf_has_prefix(s, "net:");
}

const char *
conf_set_prefix(const char *s)
{
	return conf_has_prefix(s, "set:") ? s + 4 : s;
}

/* Arrays in the arena grow by copying; configurations are small. */
static void *
conf_grow(struct conf_ctx *c, void *old, unsigned n, size_t elem)
{
	void *nv;

	if ((n & (n - 1)) != 0 && n > 4)
		return old;	/* capacity is the next power of two */
	nv = conf_alloc(c, (n < 4 ? 4 : n * 2) * elem);
	if (n)
		memcpy(nv, old, n * elem);
	return nv;
}

int
conf_tagexpr_add(struct conf_ctx *c, struct conf_tagexpr *e, const char *name)
{
	bool neg = false;
	uint16_t id;
	char *copy;

	copy = conf_strdup(c, name);
	if (copy == NULL)
		copy = conf_alloc(c, 1);
	if (*copy == '!' || *copy == '#') {
		neg = true;
		copy++;
	}
	if (conf_tag_intern(c, copy, &id) < 0)
		return -1;
	e->v = conf_grow(c, e->v, e->n, sizeof(*e->v));
	e->v[e->n].id = id;
	e->v[e->n].neg = neg;
	e->n++;
	return 0;
}

int
conf_tagset_add(struct conf_ctx *c, struct conf_tagset *s, const char *name)
{
	uint16_t id;
	char *copy = conf_strdup(c, name);

	if (conf_tag_intern(c, copy ? copy : "", &id) < 0)
		return -1;
	s->id = conf_grow(c, s->id, s->n, sizeof(*s->id));
	s->id[s->n++] = id;
	return 0;
}

void
conf_strlist_init(struct conf_strlist *l)
{
	l->head = NULL;
	l->tail = &l->head;
	l->n = 0;
}

int
conf_strlist_add(struct conf_ctx *c, struct conf_strlist *l, const char *s)
{
	struct conf_str *e = conf_alloc(c, sizeof(*e));

	e->src = c->src;
	e->s = s;
	*l->tail = e;
	l->tail = &e->next;
	l->n++;
	return 0;
}

void
conf_set_flag(struct conf *cf, unsigned id)
{
	cf->flags[id / 64] |= (uint64_t)1 << (id % 64);
}

bool
conf_flag(const struct conf *cf, unsigned id)
{
	return (cf->flags[id / 64] >> (id % 64)) & 1;
}

const char *
conf_tag_name(const struct conf *cf, uint16_t id)
{
	return id < cf->tags.n ? cf->tags.name[id] : "?";
}

int
conf_unsup_add(struct conf_ctx *c, const struct conf_kw *kw, const char *value)
{
	struct conf_unsup *u = conf_alloc(c, sizeof(*u));

	u->src = c->src;
	u->name = conf_kw_by_id(kw->id)->name;
	u->value = value ? arena_strdup(&c->cf->arena, value) : NULL;
	u->refused = kw->support == CONF_SUP_REF;
	*c->cf->unsup_tail = u;
	c->cf->unsup_tail = &u->next;
	return 0;
}
