/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_parse.c - reads the command line and dnsmasq-syntax files.
 *
 * The rules are dnsmasq 2.90's (reference section 1): lines are read in
 * 1024-byte pieces, quotes hide metacharacters, '#' starts a comment only
 * at the start of a line or after white space, "key=value" with spaces
 * allowed around '=', flags take no value.  The command line is read with
 * getopt_long over the same keyword table, so abbreviations and short
 * flags behave as dnsmasq's.  Single-valued options may appear once on the
 * command line and once in the files (the file wins); twice in either is
 * an error.  Nothing is bound or opened here except the files themselves.
 */
#include "conf_int.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include "conf_dhcp.h"
#include "log.h"

#ifndef CONF_DEFAULT_FILE
#define CONF_DEFAULT_FILE "/etc/dnsmasq.conf"
#endif

#define CONF_LINE_MAX 1025	/* dnsmasq's MAXDNAME: fgets() piece size */
#define CONF_DEPTH_MAX 64	/* conf-file nesting (dnsmasq has none) */

enum { REP_FRESH, REP_USED_CL, REP_USED_FILE };

struct conf_seen {
	dev_t dev;
	ino_t ino;
	struct conf_seen *next;
};

static int conf_read_file(struct conf_ctx *c, const char *path, bool nofile_ok);

/*
 * The file cache: SIGHUP re-reads dhcp-hostsfile and friends but, as in
 * dnsmasq, never the main configuration.  The daemon keeps the bytes of
 * every configuration file (and every conf-dir listing) it read at start
 * and rebuilds the configuration from those bytes plus fresh copies of
 * the dynamic files, so one code path builds both and the result is
 * swapped whole.  (--reload-config, later, simply starts with an empty
 * cache.)
 */
struct conf_cache_ent {
	struct conf_cache_ent *next;
	char *path;
	bool is_dir;
	int err;		/* errno of the failed open/opendir, or 0 */
	bool have_stat;
	dev_t dev;
	ino_t ino;
	char *data;		/* file bytes, or the directory listing */
	size_t len;
};

struct conf_cache {
	struct conf_cache_ent *head;
	bool quiet;		/* dynamic files read without "read PATH" */
};

void
conf_cache_set_quiet(struct conf_cache *cc, bool quiet)
{
	cc->quiet = quiet;
}

struct conf_cache *
conf_cache_new(void)
{
	return calloc(1, sizeof(struct conf_cache));
}

void
conf_cache_free(struct conf_cache *cc)
{
	struct conf_cache_ent *e, *n;

	if (cc == NULL)
		return;
	for (e = cc->head; e != NULL; e = n) {
		n = e->next;
		free(e->path);
		free(e->data);
		free(e);
	}
	free(cc);
}

static struct conf_cache_ent *
conf_cache_find(struct conf_cache *cc, const char *path, bool is_dir)
{
	struct conf_cache_ent *e;

	for (e = cc->head; e != NULL; e = e->next)
		if (e->is_dir == is_dir && strcmp(e->path, path) == 0)
			return e;
	return NULL;
}

static struct conf_cache_ent *
conf_cache_add(struct conf_cache *cc, const char *path, bool is_dir)
{
	struct conf_cache_ent *e = calloc(1, sizeof(*e));

	if (e == NULL || (e->path = strdup(path)) == NULL) {
		free(e);
		return NULL;
	}
	e->is_dir = is_dir;
	e->next = cc->head;
	cc->head = e;
	return e;
}

/* Reads a whole stream into e->data. */
static int
conf_cache_slurp(struct conf_cache_ent *e, FILE *f)
{
	size_t cap = 4096;
	char *buf = malloc(cap), *nb;
	size_t n;

	if (buf == NULL)
		return -ENOMEM;
	e->len = 0;
	while ((n = fread(buf + e->len, 1, cap - e->len, f)) > 0) {
		e->len += n;
		if (e->len == cap) {
			if (cap > (64u << 20) || (nb = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
	}
	e->data = buf;
	return 0;
}

/* --- dispatch ----------------------------------------------------------- */

static int
conf_dispatch(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	const struct conf_kw *canon = conf_kw_by_id(kw->id);
	unsigned char *st = &c->rep_state[kw->id];

	if (canon->rep == CONF_REP_ONE) {
		/* dnsmasq's one_opt(): the command line marks only a fresh
		 * option, so after a later -C file used it, the command line
		 * may repeat it and the main file may not. */
		if (c->command_line) {
			if (*st == REP_USED_CL)
				return conf_err(c, "illegal repeated flag");
			if (*st == REP_FRESH)
				*st = REP_USED_CL;
		} else {
			if (*st == REP_USED_FILE)
				return conf_err(c, "illegal repeated keyword");
			*st = REP_USED_FILE;
		}
	}
	if (canon->rep == CONF_REP_CMD) {
		/* "test", "help" and "version" in a file: their rows in
		 * dnsmasq 2.90's usage table carry option bit 0, which one_opt()
		 * sets as for any flag, and bit 0 is OPT_BOGUSPRIV.  So each of
		 * these words in a file turns bogus-priv on. */
		conf_set_flag(c->cf, CONF_KW_BOGUS_PRIV);
		return 0;
	}
	if (canon->rep == CONF_REP_FLAG) {
		conf_set_flag(c->cf, kw->id);
		if (canon->support != CONF_SUP_IMPL)
			return conf_unsup_add(c, canon, NULL);
		return 0;
	}
	if (kw->id == CONF_KW_CONF_FILE) {
		char *file = conf_strdup(c, arg);

		if (file == NULL)
			return 0;
		return conf_read_file(c, file, false);
	}
	if (kw->id == CONF_KW_CONF_DIR)
		return conf_read_dir(c, arg);
	if (!conf_feature_built(canon->feature) &&
	    !conf_feature_exempt(canon, arg))
		return conf_feature_err(c, canon);
	return canon->fn(c, canon, arg);
}

/* --- conf-dir ----------------------------------------------------------- */

static int
conf_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct conf_dirent {
	char *path;
	struct conf_dirent *next;
};

static bool
conf_suffix_match(const char *name, size_t len, const char *suffix)
{
	size_t ls = strlen(suffix);

	return len > ls && strcmp(suffix, name + len - ls) == 0;
}

/*
 * Lists dir: one record per entry that is not always skipped (dotfiles,
 * backups~, #autosave#): a type byte ('r' regular file, 'o' other, 'e'
 * stat failed), the stat errno as 4 bytes, the name, a NUL.  Returns 0 or
 * -errno of opendir().  *data is malloc'd.
 */
static int
conf_list_dir(const char *dir, char **data, size_t *len)
{
	size_t cap = 1024, used = 0;
	char *buf = malloc(cap), *nb;
	struct dirent *ent;
	DIR *d;

	if (buf == NULL)
		return -ENOMEM;
	if ((d = opendir(dir)) == NULL) {
		int e = errno;

		free(buf);
		return -e;
	}
	while ((ent = readdir(d)) != NULL) {
		const char *n = ent->d_name;
		size_t nl = strlen(n), need = nl + 6;
		char path[PATH_MAX];
		struct stat sb;
		int32_t err = 0;
		char type;

		if (nl == 0 || n[nl - 1] == '~' || n[0] == '.' ||
		    (n[0] == '#' && n[nl - 1] == '#'))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, n);
		if (stat(path, &sb) < 0) {
			type = 'e';
			err = errno;
		} else {
			type = S_ISREG(sb.st_mode) ? 'r' : 'o';
		}
		while (used + need > cap) {
			if ((nb = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				closedir(d);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		buf[used] = type;
		memcpy(buf + used + 1, &err, 4);
		memcpy(buf + used + 5, n, nl + 1);
		used += need;
	}
	closedir(d);
	*data = buf;
	*len = used;
	return 0;
}

/* conf_list_dir() through the cache; the listing stays owned by the
 * cache (or must be freed by the caller when *owned). */
static int
conf_list_dir_cached(struct conf_ctx *c, const char *dir, char **data,
    size_t *len, bool *owned)
{
	struct conf_cache_ent *e;
	int rc;

	*owned = c->cache == NULL;
	if (c->cache == NULL)
		return conf_list_dir(dir, data, len);
	if ((e = conf_cache_find(c->cache, dir, true)) == NULL) {
		if ((e = conf_cache_add(c->cache, dir, true)) == NULL)
			return -ENOMEM;
		if ((rc = conf_list_dir(dir, &e->data, &e->len)) < 0)
			e->err = -rc;
	}
	if (e->err != 0)
		return -e->err;
	*data = e->data;
	*len = e->len;
	return 0;
}

int
conf_read_dir(struct conf_ctx *c, char *arg)
{
	char *comma = conf_split(arg), *dir, *suf[64], *data = NULL;
	bool match[64], any_match = false, owned;
	unsigned nsuf = 0, i;
	struct conf_dirent *files = NULL, **up, *e;
	size_t len, off;
	int rc = 0;

	dir = conf_strdup(c, arg);
	if (dir == NULL)
		return 0;
	for (arg = comma; arg != NULL; arg = comma) {
		comma = conf_split(arg);
		if (*arg == '\0' || nsuf == 64)
			continue;
		if (*arg == '*') {
			if (arg[1] == '\0')
				continue;	/* lone "*" is a no-op */
			suf[nsuf] = conf_strdup(c, arg + 1);
			match[nsuf++] = true;
			any_match = true;
		} else {
			suf[nsuf] = conf_strdup(c, arg);
			match[nsuf++] = false;
		}
	}
	if ((rc = conf_list_dir_cached(c, dir, &data, &len, &owned)) < 0)
		return conf_err_code(c, 3, "cannot access directory %s: %s",
		    dir, strerror(-rc));
	for (off = 0; off < len; off += strlen(data + off + 5) + 6) {
		const char *n = data + off + 5;
		size_t nl = strlen(n);
		bool want = !any_match;
		int32_t err;
		char *path;

		for (i = 0; i < nsuf; i++)
			if (match[i] && suf[i] && conf_suffix_match(n, nl, suf[i]))
				want = true;
		for (i = 0; i < nsuf; i++)
			if (!match[i] && suf[i] &&
			    conf_suffix_match(n, nl, suf[i]))
				want = false;
		if (!want)
			continue;
		path = conf_alloc(c, strlen(dir) + nl + 2);
		sprintf(path, "%s/%s", dir, n);
		memcpy(&err, data + off + 1, 4);
		if (data[off] == 'e') {
			rc = conf_err_code(c, 3, "cannot access %s: %s", path,
			    strerror(err));
			goto out;
		}
		if (data[off] != 'r')
			continue;
		e = conf_alloc(c, sizeof(*e));
		e->path = path;
		for (up = &files; *up != NULL; up = &(*up)->next)
			if (strcmp((*up)->path, path) >= 0)
				break;
		e->next = *up;
		*up = e;
	}
	for (e = files; e != NULL; e = e->next)
		if ((rc = conf_read_file(c, e->path, false)) < 0)
			break;
out:
	if (owned)
		free(data);
	return rc;
}

/* --- files -------------------------------------------------------------- */

/*
 * Lexes one line in place as dnsmasq's read_file() does.  Returns 0 with
 * *key (NULL for a blank line) and *arg set, or -1 with c->err set.
 */
static int
conf_lex_line(struct conf_ctx *c, char *buf, bool keyless, char **key,
    char **arg)
{
	bool white = true;
	char *p, *start, *eq;
	size_t len;

	*key = *arg = NULL;
	for (p = buf; *p; p++) {
		if (*p == '"') {
			memmove(p, p + 1, strlen(p + 1) + 1);
			for (; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0' &&
				    strchr("\"tnebr\\", p[1])) {
					switch (p[1]) {
					case 't': p[1] = '\t'; break;
					case 'n': p[1] = '\n'; break;
					case 'b': p[1] = '\b'; break;
					case 'r': p[1] = '\r'; break;
					case 'e': p[1] = '\033'; break;
					default: break;
					}
					memmove(p, p + 1, strlen(p + 1) + 1);
				}
				*p = conf_hide_meta(*p);
			}
			if (*p == '\0')
				return conf_err(c, "missing \"");
			memmove(p, p + 1, strlen(p + 1) + 1);
		}
		if (*p == ' ' || (*p >= '\t' && *p <= '\r')) {
			*p = ' ';
			white = true;
		} else {
			if (white && *p == '#') {
				*p = '\0';
				break;
			}
			white = false;
		}
		if (*p == '\0')
			break;
	}
	for (start = buf; *start == ' '; start++)
		;
	for (len = strlen(start); len != 0 && start[len - 1] == ' '; len--)
		;
	if (len == 0)
		return 0;
	start[len] = '\0';
	if (keyless) {
		*key = start;
		*arg = start;
		return 0;
	}
	if ((eq = strchr(start, '=')) != NULL) {
		for (*arg = eq + 1; **arg == ' '; (*arg)++)
			;
		for (p = eq; p >= start && (*p == ' ' || *p == '='); p--) {
			*p = '\0';
			if (p == start)
				break;
		}
	}
	*key = start;
	return 0;
}

/* Handles one lexed line of a file: keyword lookup and argument checks. */
static int
conf_file_line(struct conf_ctx *c, char *key, char *arg)
{
	const struct conf_kw *kw;

	if (c->hard_kw != NULL)
		return conf_dispatch(c, c->hard_kw, arg);
	kw = conf_kw_by_name(key);
	if (kw == NULL || kw->rep == CONF_REP_OWN)
		return conf_err(c, "bad option");
	if (kw->arg == CONF_ARG_N && arg != NULL)
		return conf_err(c, "extraneous parameter");
	if (kw->arg == CONF_ARG_R && arg == NULL)
		return conf_err(c, "missing parameter");
	return conf_dispatch(c, kw, arg);
}

static int
conf_read_stream(struct conf_ctx *c, const char *name, FILE *f)
{
	char *buf = malloc(CONF_LINE_MAX);
	struct conf_src saved = c->src;
	unsigned lineno = 0;
	int rc = 0;

	if (buf == NULL)
		return conf_err_code(c, 4, "could not get memory");
	c->src.file = name;
	while (fgets(buf, CONF_LINE_MAX, f) != NULL) {
		char *key, *arg;

		c->src.line = ++lineno;
		c->command_line = false;
		if (conf_lex_line(c, buf, c->hard_kw != NULL, &key, &arg) < 0 ||
		    (key != NULL && conf_file_line(c, key, arg) < 0)) {
			if (c->lenient && !c->err_positioned) {
				/* dnsmasq logs a bad line of a dynamic file
				 * and goes on with the next */
				log_msg(LOG_SVC_DHCP, LOG_ERR,
				    "%s at line %u of %s", c->errbuf, lineno,
				    name);
				c->err = NULL;
				c->exit_code = 0;
				continue;
			}
			rc = -1;
			break;
		}
	}
	if (rc < 0 && c->err != NULL && !c->err_positioned) {
		size_t l = strlen(c->errbuf);

		snprintf(c->errbuf + l, sizeof(c->errbuf) - l,
		    " at line %u of %s", lineno, name);
		c->err_positioned = true;
	}
	free(buf);
	c->src = saved;
	return rc;
}

/* Opens path for reading through the cache: records it on first use,
 * replays the recorded bytes afterwards.  Returns a stream or NULL with
 * errno set; *st gets the identity used to skip repeated files. */
static FILE *
conf_open_cached(struct conf_ctx *c, const char *path, struct stat *st,
    bool *have_st)
{
	struct conf_cache_ent *e;
	FILE *f;

	if (c->cache == NULL) {
		*have_st = stat(path, st) == 0;
		return fopen(path, "r");
	}
	if ((e = conf_cache_find(c->cache, path, false)) == NULL) {
		if ((e = conf_cache_add(c->cache, path, false)) == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		if (stat(path, st) == 0) {
			e->have_stat = true;
			e->dev = st->st_dev;
			e->ino = st->st_ino;
		}
		if ((f = fopen(path, "r")) == NULL) {
			e->err = errno;
		} else {
			int rc = conf_cache_slurp(e, f);

			fclose(f);
			if (rc < 0)
				e->err = -rc;
		}
	}
	*have_st = e->have_stat;
	st->st_dev = e->dev;
	st->st_ino = e->ino;
	if (e->err != 0) {
		errno = e->err;
		return NULL;
	}
	/* fmemopen() refuses a zero-sized buffer; an empty file is /dev/null */
	if (e->len == 0)
		return fopen("/dev/null", "r");
	return fmemopen(e->data, e->len, "r");
}

static int
conf_read_file(struct conf_ctx *c, const char *path, bool nofile_ok)
{
	struct conf_seen *s;
	struct stat sb;
	bool have_st = false;
	const char *name;
	FILE *f;
	int rc;

	if (strcmp(path, "-") == 0) {
		if (c->stdin_read)
			return 0;
		c->stdin_read = true;
		if (c->cache == NULL)
			return conf_read_stream(c, "stdin", stdin);
		/* cached so that a rebuild can replay it */
		path = "/dev/stdin";
		if ((f = conf_open_cached(c, path, &sb, &have_st)) == NULL)
			return conf_err_code(c, 3, "cannot read stdin: %s",
			    strerror(errno));
		rc = conf_read_stream(c, "stdin", f);
		fclose(f);
		return rc;
	}
	f = conf_open_cached(c, path, &sb, &have_st);
	if (have_st) {
		for (s = c->seen; s != NULL; s = s->next)
			if (s->dev == sb.st_dev && s->ino == sb.st_ino) {
				if (f != NULL)
					fclose(f);
				return 0;
			}
		s = conf_alloc(c, sizeof(*s));
		s->dev = sb.st_dev;
		s->ino = sb.st_ino;
		s->next = c->seen;
		c->seen = s;
	}
	if (f == NULL) {
		if (errno == ENOENT && nofile_ok)
			return 0;
		rc = conf_err_code(c, 3, "cannot read %s: %s", path,
		    strerror(errno));
		c->err_positioned = true;
		return rc;
	}
	if (c->depth >= CONF_DEPTH_MAX) {
		fclose(f);
		c->err_positioned = true;
		return conf_err(c, "conf-file nesting too deep");
	}
	name = arena_strdup(&c->cf->arena, path);
	conf_strlist_add(c, &c->cf->files_read, name);
	c->depth++;
	rc = conf_read_stream(c, name, f);
	c->depth--;
	fclose(f);
	return rc;
}

int
conf_read_hard_file(struct conf_ctx *c, const struct conf_kw *kw,
    const char *path)
{
	const struct conf_kw *saved = c->hard_kw;
	FILE *f;
	int rc;

	if ((f = fopen(path, "r")) == NULL)
		return conf_err_code(c, 3, "cannot read %s: %s", path,
		    strerror(errno));
	c->hard_kw = kw;
	rc = conf_read_stream(c, path, f);
	c->hard_kw = saved;
	fclose(f);
	return rc;
}

/* --- command line ------------------------------------------------------- */

/* dnsmasq's short options; a letter whose long form takes an optional
 * value takes a required one in short form, except -q and -1. */
static const char conf_optstring[] =
    "951yZDNLERKzowefnbvhdkqr:m:p:c:l:s:i:t:u:g:a:x:S:C:A:T:H:Q:I:B:F:G:"
    "O:M:X:V:U:j:P:J:W:Y:2:4:6:7:8:0:3:";

#define CONF_OPT_BASE 1000

static const struct conf_kw *
conf_kw_by_short(int ch)
{
	unsigned i;

	for (i = 0; i < conf_kw_table_len; i++)
		if (conf_kw_table[i].short_flag == ch && !conf_kw_table[i].alias)
			return &conf_kw_table[i];
	return NULL;
}

static void
conf_usage(FILE *out)
{
	static const char *const sup[] = { "", " (ignored by pxemasq)",
		" (refused by pxemasq)", " (not in Debian's dnsmasq build)" };
	unsigned i;

	fprintf(out, "Usage: pxemasq [options]\n\n"
	    "Reads dnsmasq configuration (default " CONF_DEFAULT_FILE
	    ") and serves DHCPv4, PXE, TFTP and DNS.\n\n");
	for (i = 0; i < conf_kw_table_len; i++) {
		const struct conf_kw *k = &conf_kw_table[i];
		char sh[8] = "";

		if (k->short_flag)
			snprintf(sh, sizeof(sh), "-%c, ", k->short_flag);
		fprintf(out, "%-5s--%s%s%s%s\n", sh, k->name,
		    k->arg == CONF_ARG_R ? "=..." :
		    k->arg == CONF_ARG_O ? "[=...]" : "",
		    sup[k->support],
		    k->rep == CONF_REP_OWN ? " (command line only)" : "");
	}
}

static void
conf_version(FILE *out)
{
	unsigned f;

	(void)f;
	fprintf(out, "pxemasq version %s\nCompile time options: %s\n",
	    PXEMASQ_VERSION, conf_features_string());
	fprintf(out, "\nThis is free software under the GNU General Public "
	    "License, version 2 or later.\nIt reads dnsmasq configuration "
	    "files; it is not dnsmasq.\n");
}

/* --explain=WORDS: the value split at blanks into client description
 * words (explain.c reads them). */
static int
conf_explain_words(struct conf_ctx *c, char *arg)
{
	char *w, *save = NULL;
	int rc = 0;

	for (w = arg != NULL ? strtok_r(arg, " \t", &save) : NULL;
	    w != NULL && rc == 0; w = strtok_r(NULL, " \t", &save))
		rc = conf_strlist_add(c, &c->cf->explain_args, w);
	return rc;
}

static int
conf_cmdline(struct conf_ctx *c, int argc, char **argv, char **conffile,
    struct conf_result *res)
{
	struct option *lo;
	unsigned i;
	int opt, rc = 0;

	lo = calloc(conf_kw_table_len + 1, sizeof(*lo));
	if (lo == NULL)
		return conf_err_code(c, 4, "could not get memory");
	for (i = 0; i < conf_kw_table_len; i++) {
		lo[i].name = conf_kw_table[i].name;
		lo[i].has_arg = conf_kw_table[i].arg == CONF_ARG_N ? no_argument :
		    conf_kw_table[i].arg == CONF_ARG_R ? required_argument :
		    optional_argument;
		lo[i].val = CONF_OPT_BASE + (int)i;
	}
	/* optind = 0 makes glibc's getopt start afresh, forgetting a short
	 * option cluster left half read by an earlier (failed) load. */
	opterr = 0;
	optind = 0;
	c->src.file = NULL;
	c->src.line = 0;
	while ((opt = getopt_long(argc, argv, conf_optstring, lo, NULL)) != -1) {
		const struct conf_kw *kw;
		char *arg = NULL;

		c->command_line = true;
		if (opt >= CONF_OPT_BASE)
			kw = &conf_kw_table[opt - CONF_OPT_BASE];
		else
			kw = conf_kw_by_short(opt);
		if (kw == NULL) {
			rc = conf_gen_err(c);
			break;
		}
		if (optarg != NULL)
			arg = arena_strdup(&c->cf->arena, optarg);
		switch (kw->id) {
		case CONF_KW_HELP:
			conf_usage(stdout);
			res->exit_now = true;
			goto out;
		case CONF_KW_VERSION:
			conf_version(stdout);
			res->exit_now = true;
			goto out;
		case CONF_KW_TEST:
			c->cf->test_mode = true;
			continue;
		case CONF_KW_DUMP_CONFIG:
			c->cf->dump_mode = true;
			continue;
		case CONF_KW_IGNORE_UNSUPPORTED:
			c->cf->ignore_unsupported = true;
			continue;
		case CONF_KW_EXPLAIN:
			c->cf->explain_mode = true;
			if ((rc = conf_explain_words(c, arg)) < 0)
				goto out;
			continue;
		case CONF_KW_EXPLAIN_PCAP:
			c->cf->explain_mode = true;
			c->cf->explain_pcap = conf_strdup(c, arg);
			continue;
		case CONF_KW_RELOAD_CONFIG:
			conf_set_flag(c->cf, kw->id);
			continue;
		case CONF_KW_CONF_FILE:
			/* The first -C names the main file, read after the
			 * whole command line; later ones are read at once. */
			if (*conffile == NULL) {
				*conffile = conf_strdup(c, arg);
				continue;
			}
			break;
		default:
			break;
		}
		if ((rc = conf_dispatch(c, kw, arg)) < 0)
			break;
	}
	/* explain mode: the further arguments describe the client */
	for (; rc == 0 && c->cf->explain_mode && optind < argc; optind++)
		rc = conf_strlist_add(c, &c->cf->explain_args,
		    arena_strdup(&c->cf->arena, argv[optind]));
	if (rc == 0) {
		for (; optind < argc; optind++) {
			const unsigned char *p = (unsigned char *)argv[optind];

			for (; *p; p++)
				if (*p != ' ' && (*p < '\t' || *p > '\r')) {
					rc = conf_err(c,
					    "junk found in command line");
					c->err_positioned = true;
					goto out;
				}
		}
	}
	if (rc < 0 && !c->err_positioned) {
		static const char pre[] = "bad command line options: ";
		size_t l = strnlen(c->errbuf, sizeof(c->errbuf) - sizeof(pre));

		memmove(c->errbuf + sizeof(pre) - 1, c->errbuf, l);
		memcpy(c->errbuf, pre, sizeof(pre) - 1);
		c->errbuf[sizeof(pre) - 1 + l] = '\0';
		c->err_positioned = true;
	}
out:
	free(lo);
	return rc;
}

/* --- top level ---------------------------------------------------------- */

/* Refused options stop the start unless --ignore-unsupported; ignored ones
 * are only named.  Both lists point at the line that set them. */
static int
conf_check_unsupported(struct conf_ctx *c)
{
	const struct conf_unsup *u;

	for (u = c->cf->unsup_head; u != NULL; u = u->next) {
		char where[600] = "";

		if (u->src.file != NULL)
			snprintf(where, sizeof(where), " at line %u of %s",
			    u->src.line, u->src.file);
		/* explain mode only reports: a refused option is a
		 * warning there */
		if (u->refused && !c->cf->ignore_unsupported &&
		    !c->cf->explain_mode) {
			c->err_positioned = true;
			return conf_errf(c, "option '%s' is not supported by "
			    "pxemasq and changes what the network gets; "
			    "remove it or pass --ignore-unsupported%s",
			    u->name, where);
		}
		if (!c->replay)
			log_msg(LOG_SVC_MAIN, LOG_WARNING, "warning: option "
			    "'%s' is not supported by pxemasq; ignored%s",
			    u->name, where);
	}
	return 0;
}

/* Reads one dynamic file, or every regular file of a directory (sorted),
 * logging "read PATH" as dnsmasq does, or the error. */
static void
conf_read_dynamic_path(struct conf_ctx *c, const struct conf_kw *kw,
    const char *path)
{
	struct stat sb;
	char *data = NULL;
	size_t len, off, n = 0, i;
	const char **names;

	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		if (conf_list_dir(path, &data, &len) < 0) {
			log_msg(LOG_SVC_DHCP, LOG_ERR, "cannot read %s: %s",
			    path, strerror(errno));
			return;
		}
		for (off = 0; off < len; off += strlen(data + off + 5) + 6)
			n++;
		names = conf_alloc(c, (n + 1) * sizeof(*names));
		n = 0;
		for (off = 0; off < len; off += strlen(data + off + 5) + 6)
			if (data[off] == 'r') {
				char *p = conf_alloc(c, strlen(path) +
				    strlen(data + off + 5) + 2);

				sprintf(p, "%s/%s", path, data + off + 5);
				names[n++] = p;
			}
		free(data);
		qsort(names, n, sizeof(*names), conf_strcmp_p);
		for (i = 0; i < n; i++)
			conf_read_dynamic_path(c, kw, names[i]);
		return;
	}
	c->err = NULL;
	if (conf_read_hard_file(c, kw, path) < 0) {
		log_msg(LOG_SVC_DHCP, LOG_ERR, "%s", c->errbuf);
		c->err = NULL;
		c->exit_code = 0;
		return;
	}
	if (c->cache == NULL || !c->cache->quiet)
		log_msg(LOG_SVC_DHCP, LOG_INFO, "read %s", path);
}

static void
conf_read_dynamic(struct conf_ctx *c)
{
	const struct {
		const struct conf_strlist *l;
		enum conf_kw_id kw;
	} src[] = {
		{ &c->cf->dhcp->hostsfiles, CONF_KW_DHCP_HOST },
		{ &c->cf->dhcp->optsfiles, CONF_KW_DHCP_OPTION },
		{ &c->cf->dhcp->hostsdirs, CONF_KW_DHCP_HOST },
		{ &c->cf->dhcp->optsdirs, CONF_KW_DHCP_OPTION },
	};
	const struct conf_str *f;
	size_t i;

	c->lenient = true;
	for (i = 0; i < sizeof(src) / sizeof(src[0]); i++)
		for (f = src[i].l->head; f != NULL; f = f->next)
			if (f->s != NULL)
				conf_read_dynamic_path(c,
				    conf_kw_by_id(src[i].kw), f->s);
	c->lenient = false;
}

static struct conf *
conf_load_common(int argc, char **argv, struct conf_cache *cache,
    bool dynamic, struct conf_result *res)
{
	struct conf_ctx *c;
	struct conf *cf;
	char *conffile = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	c = calloc(1, sizeof(*c));
	cf = calloc(1, sizeof(*cf));
	if (c == NULL || cf == NULL) {
		free(c);
		free(cf);
		res->exit_code = 4;
		snprintf(res->msg, sizeof(res->msg), "could not get memory");
		return NULL;
	}
	arena_init(&cf->arena, 16384);
	cf->unsup_tail = &cf->unsup_head;
	cf->log_facility_num = -1;
	conf_strlist_init(&cf->interfaces);
	conf_strlist_init(&cf->except_interfaces);
	conf_strlist_init(&cf->no_dhcp_interfaces);
	conf_strlist_init(&cf->listen_addresses);
	conf_strlist_init(&cf->files_read);
	conf_strlist_init(&cf->explain_args);
	c->cf = cf;
	c->cache = cache;
	c->replay = cache != NULL && cache->head != NULL;

	rc = conf_dhcp_init(c);
	if (rc == 0)
		rc = conf_dhcpopt_init(c);
	if (rc == 0)
		rc = conf_pxe_init(c);
	if (rc == 0)
		rc = conf_tftp_init(c);
	if (rc == 0)
		rc = conf_dns_init(c);
	if (rc == 0)
		rc = conf_cmdline(c, argc, argv, &conffile, res);
	if (rc == 0 && res->exit_now)
		goto out_free;
	if (rc == 0) {
		c->command_line = false;
		if (conffile != NULL)
			rc = conf_read_file(c, conffile, false);
		else
			rc = conf_read_file(c, CONF_DEFAULT_FILE, true);
	}
	c->src.file = NULL;
	c->src.line = 0;
	c->command_line = false;
	if (rc == 0)
		rc = conf_dhcp_finish(c);
	if (rc == 0)
		rc = conf_dhcpopt_finish(c);
	if (rc == 0)
		rc = conf_dns_finish(c);
	if (rc == 0)
		rc = conf_other_finish(c);
	if (rc == 0)
		rc = conf_check_unsupported(c);
	if (rc == 0 && (dynamic || cf->explain_mode) && !cf->test_mode &&
	    !cf->dump_mode)
		conf_read_dynamic(c);
	if (rc < 0) {
		res->exit_code = c->exit_code ? c->exit_code : 1;
		snprintf(res->msg, sizeof(res->msg), "%s", c->errbuf);
		goto out_free;
	}
	free(c);
	return cf;

out_free:
	conf_free(cf);
	free(c);
	return NULL;
}

struct conf *
conf_load(int argc, char **argv, struct conf_result *res)
{
	return conf_load_common(argc, argv, NULL, false, res);
}

struct conf *
conf_load_daemon(int argc, char **argv, struct conf_cache *cc,
    bool dynamic, struct conf_result *res)
{
	return conf_load_common(argc, argv, cc, dynamic, res);
}

void
conf_free(struct conf *cf)
{
	if (cf == NULL)
		return;
	arena_free(&cf->arena);
	free(cf);
}
