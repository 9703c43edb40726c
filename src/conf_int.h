/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_int.h - internals shared by the configuration modules
 * (conf_parse.c, conf_table.c, conf_core.c, conf_dhcp.c, conf_pxe.c,
 * conf_tftp.c, conf_dns.c, conf_other.c, conf_print.c).  Not for use
 * outside conf_*.c.
 *
 * Handlers get the value of one option occurrence, already lexed the way
 * dnsmasq lexes it: inside double quotes the characters that carry meaning
 * (, : . # space and the escapes) are "hidden" as control bytes so that
 * splitting on ',' skips them.  A handler splits with conf_split(), turns
 * a field into its final text with conf_unhide() / conf_strdup(), stores
 * typed values in cf and returns 0, or returns conf_err(c, "message")
 * with dnsmasq's message for that mistake.
 */
#ifndef PXEMASQ_CONF_INT_H
#define PXEMASQ_CONF_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "conf.h"
#include "conf_kw.h"

enum conf_arg { CONF_ARG_N, CONF_ARG_R, CONF_ARG_O };
enum conf_rep { CONF_REP_FLAG, CONF_REP_ONE, CONF_REP_DUP, CONF_REP_CMD,
	CONF_REP_OWN };
enum conf_feature { CONF_FEAT_CORE, CONF_FEAT_DHCP, CONF_FEAT_PXE,
	CONF_FEAT_TFTP, CONF_FEAT_DNS, CONF_FEAT_SCRIPT, CONF_FEAT_METRICS,
	CONF_FEAT_COUNT };
enum conf_support { CONF_SUP_IMPL, CONF_SUP_IGN, CONF_SUP_REF,
	CONF_SUP_NOBUILD };

#define KW_ENUM(id, name, sh, arg, rep, feat, sup, fn) CONF_KW_##id,
#define KW_SKIP(id, name, sh, arg)
enum conf_kw_id {
	CONF_KEYWORDS(KW_ENUM, KW_SKIP)
	CONF_KW_COUNT
};
#undef KW_ENUM
#undef KW_SKIP

_Static_assert(CONF_KW_COUNT <= CONF_FLAG_WORDS * 64, "flag bitmap too small");

struct conf_ctx;
struct conf_kw;

typedef int conf_handler_fn(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg);

struct conf_kw {
	const char *name;
	int short_flag;
	enum conf_kw_id id;
	enum conf_arg arg;
	enum conf_rep rep;
	enum conf_feature feature;
	enum conf_support support;
	conf_handler_fn *fn;
	bool alias;
};

extern const struct conf_kw conf_kw_table[];
extern const unsigned conf_kw_table_len;

/* Lookup by exact name (files) and by id (canonical row). */
const struct conf_kw *conf_kw_by_name(const char *name);
const struct conf_kw *conf_kw_by_id(enum conf_kw_id id);
const char *conf_feature_name(enum conf_feature f);
/* True when the feature was compiled into this binary (conf_features.c). */
bool conf_feature_built(enum conf_feature f);
/* "DHCP PXE TFTP DNS scripts metrics" with "no-" before features left out
 * of the build. */
const char *conf_features_string(void);
/* Whether option kw with value arg may be used although its feature is
 * not built (conf_features.c: "port=0" without DNS). */
bool conf_feature_exempt(const struct conf_kw *kw, const char *arg);
/* The error for an option of a feature left out of the build. */
int conf_feature_err(struct conf_ctx *c, const struct conf_kw *kw);

/* Parse state shared by all handlers. */
struct conf_ctx {
	struct conf *cf;
	struct conf_src src;	/* position of the option being parsed */
	bool command_line;	/* handler called for a command-line option */
	char *err;		/* points into errbuf when a handler failed */
	int exit_code;		/* set with err: 1 config, 3 file, ... */
	char errbuf[1100];
	unsigned char rep_state[CONF_KW_COUNT];
	/* conf-file loop protection */
	struct conf_seen *seen;
	bool stdin_read;
	unsigned depth;
	/* hook for the dhcp-hostsfile/-optsfile line readers */
	const struct conf_kw *hard_kw;
	bool err_positioned;	/* err already names its file and line */
	struct conf_cache *cache; /* record/replay configuration files */
	bool lenient;		/* dynamic files: log a bad line, go on */
	bool replay;		/* a rebuild from the cache: warned before */
};

/* conf-dir=DIR[,SUFFIX...] (conf_parse.c). */
int conf_read_dir(struct conf_ctx *c, char *arg);

/* Reports a handler error with dnsmasq's text.  Returns -1. */
int conf_err(struct conf_ctx *c, const char *msg);
int conf_errf(struct conf_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* dnsmasq's generic error: "error" in files, "try --help" on the command
 * line.  Returns -1. */
int conf_gen_err(struct conf_ctx *c);
/* An exit status other than 1 for the error being reported (3 = file). */
int conf_err_code(struct conf_ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A warning logged at load time as "warning: MSG at line N of FILE"
 * (--test prints it too); not repeated when a cache is replayed. */
void conf_warn(struct conf_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Lexing helpers with dnsmasq's semantics. */
char conf_hide_meta(char ch);
char conf_unhide_meta(char ch);
void conf_unhide(char *s);
/* Cuts s at the first ',' (or ch), trims spaces on both sides of it, and
 * returns the text after it, or NULL when there is none. */
char *conf_split(char *s);
char *conf_split_chr(char *s, char ch);
/* Arena copy of s with hidden characters restored; NULL when s is NULL
 * or empty (as dnsmasq's opt_string_alloc). */
char *conf_strdup(struct conf_ctx *c, const char *s);
void *conf_alloc(struct conf_ctx *c, size_t size);

/* Numbers: digits only, as dnsmasq's atoi_check family. */
bool conf_numeric(char *s);
bool conf_atoi(char *s, int *out);
bool conf_atoi16(char *s, int *out);
bool conf_atoi8(char *s, int *out);
bool conf_strtoul(char *s, uint32_t *out);
/* Prefix test with dnsmasq's strstr(arg, p) == arg idiom. */
bool conf_has_prefix(const char *s, const char *p);

/* Domain names as dnsmasq's canonicalise_opt(): NULL for NULL, "" for "";
 * otherwise unhides s in place, drops one trailing dot, rejects empty or
 * over-long labels and control characters, and converts names holding
 * upper case or non-ASCII letters with idna_to_ascii() (the bytes are
 * UTF-8 whatever the locale; see idna.h).
 * Returns the canonical name (arena) or NULL when dnsmasq rejects it. */
char *conf_canonicalise(struct conf_ctx *c, char *s);

/* Tags: interned names; tag:/net: prefixes and the legacy '#' negation. */
int conf_tag_intern(struct conf_ctx *c, const char *name, uint16_t *id);
bool conf_is_tag_prefix(const char *s);	/* "tag:" or "net:" */
const char *conf_set_prefix(const char *s);	/* skips "set:" */
/* Appends a tag condition (text after tag:, with ! or # negation). */
int conf_tagexpr_add(struct conf_ctx *c, struct conf_tagexpr *e,
    const char *name);
int conf_tagset_add(struct conf_ctx *c, struct conf_tagset *s,
    const char *name);

/* String lists. */
void conf_strlist_init(struct conf_strlist *l);
int conf_strlist_add(struct conf_ctx *c, struct conf_strlist *l,
    const char *s);

/* Records an option pxemasq does not act on (after validation). */
int conf_unsup_add(struct conf_ctx *c, const struct conf_kw *kw,
    const char *value);

/* Reads one file of option lines for kw (dhcp-hostsfile, dhcp-optsfile),
 * each line handled as if it were kw=LINE; used at load and on SIGHUP. */
int conf_read_hard_file(struct conf_ctx *c, const struct conf_kw *kw,
    const char *path);

void conf_set_flag(struct conf *cf, unsigned id);

/* Per-module set-up and printing (conf_dhcp.c, ...). */
int conf_dhcp_init(struct conf_ctx *c);
int conf_dhcpopt_init(struct conf_ctx *c);
int conf_pxe_init(struct conf_ctx *c);
int conf_tftp_init(struct conf_ctx *c);
int conf_dns_init(struct conf_ctx *c);
/* Checks run once everything is read (cross-option rules). */
int conf_dhcp_finish(struct conf_ctx *c);
int conf_dhcpopt_finish(struct conf_ctx *c);
int conf_dns_finish(struct conf_ctx *c);
int conf_other_finish(struct conf_ctx *c);
void conf_core_print(const struct conf *cf, FILE *out);
void conf_dhcp_print(const struct conf *cf, FILE *out);
void conf_dhcpopt_print(const struct conf *cf, FILE *out);
void conf_pxe_print(const struct conf *cf, FILE *out);
void conf_tftp_print(const struct conf *cf, FILE *out);
void conf_dns_print(const struct conf *cf, FILE *out);

/* Printing helpers: quote a value so that the lexer reads it back. */
void conf_print_value(FILE *out, const char *s);
/* Typed text (already unhidden): quoted when it holds any of , : . # space
 * quote backslash or control bytes; conf_print_quoted always quotes, for
 * values whose type dnsmasq guesses from their look (dhcp-option text). */
void conf_print_text(FILE *out, const char *s);
void conf_print_quoted(FILE *out, const char *s);
void conf_print_tagexpr(const struct conf *cf, FILE *out,
    const struct conf_tagexpr *e);	/* "tag:a,tag:!b," */
void conf_print_src(FILE *out, const struct conf_src *src);

/* Handlers, one per row (see conf_kw.h). */
#define KW_PROTO(id, name, sh, arg, rep, feat, sup, fn) conf_handler_fn fn;
#define KW_SKIP(id, name, sh, arg)
CONF_KEYWORDS(KW_PROTO, KW_SKIP)
#undef KW_PROTO
#undef KW_SKIP

#endif
