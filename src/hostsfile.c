/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hostsfile.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "dnsname.h"
#include "util.h"

/* An entry while the file is read: its name is an offset in the pool. */
struct hf_item {
	size_t name_off;
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	unsigned line;
	bool fqdn;
};

struct hf_build {
	struct hf_item *items;
	size_t n, cap;
	struct hostsfile_diag *diags;
	size_t n_diags, cap_diags;
	char *pool;
	size_t pool_len, pool_cap;
};

static int
hf_diag(struct hf_build *b, enum hostsfile_problem what, unsigned line)
{
	if (util_grow((void **)&b->diags, &b->cap_diags, b->n_diags + 1,
	    sizeof(*b->diags)) < 0)
		return -ENOMEM;
	b->diags[b->n_diags].what = what;
	b->diags[b->n_diags].line = line;
	b->n_diags++;
	return 0;
}

static int
hf_add(struct hf_build *b, const struct hf_item *it, const char *name)
{
	size_t len = strlen(name) + 1;

	if (util_grow((void **)&b->items, &b->cap, b->n + 1,
	    sizeof(*b->items)) < 0 ||
	    util_grow((void **)&b->pool, &b->pool_cap, b->pool_len + len, 1) < 0)
		return -ENOMEM;
	b->items[b->n] = *it;
	b->items[b->n].name_off = b->pool_len;
	memcpy(b->pool + b->pool_len, name, len);
	b->pool_len += len;
	b->n++;
	return 0;
}

/* isspace() in the C locale. */
static bool
hf_isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* dnsmasq's eatspace(): skips white space and comments.  Returns the
 * newlines passed, or 1 at end of file (whatever was passed). */
static int
hf_eatspace(FILE *f)
{
	int c, nl = 0;

	for (;;) {
		if ((c = getc(f)) == '#')
			while (c != '\n' && c != EOF)
				c = getc(f);
		if (c == EOF)
			return 1;
		if (!hf_isspace(c)) {
			ungetc(c, f);
			return nl;
		}
		if (c == '\n')
			nl++;
	}
}

/* dnsmasq's gettok(): the next token into tok (HOSTSFILE_TOKEN_MAX + 1
 * bytes).  Returns -1 at end of file with no token, else the newlines
 * after the token (0: more tokens on this line). */
static int
hf_gettok(FILE *f, char *tok)
{
	size_t count = 0;
	int c;

	for (;;) {
		if ((c = getc(f)) == EOF)
			return count == 0 ? -1 : 1;
		if (hf_isspace(c) || c == '#') {
			ungetc(c, f);
			return hf_eatspace(f);
		}
		if (count < HOSTSFILE_TOKEN_MAX) {
			tok[count++] = (char)c;
			tok[count] = '\0';
		}
	}
}

/* The names after an address, up to the end of its line.  *atnl is the
 * gettok() result after the address; returns 0 or -ENOMEM. */
static int
hf_names(struct hf_build *b, FILE *f, char *tok, struct hf_item *it,
    int *atnl)
{
	char canon[DNSNAME_BUF];
	int rc;

	while (*atnl == 0) {
		if ((*atnl = hf_gettok(f, tok)) == -1)
			break;
		it->fqdn = strchr(tok, '.') != NULL;
		if (dnsname_canonicalise(tok, canon, sizeof(canon)) == 0)
			rc = hf_add(b, it, canon);
		else
			rc = hf_diag(b, HOSTSFILE_BAD_NAME, it->line);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
hf_parse(struct hf_build *b, FILE *f)
{
	char tok[HOSTSFILE_TOKEN_MAX + 1];
	struct hf_item it;
	unsigned lineno = 1;
	int atnl;

	lineno += (unsigned)hf_eatspace(f);
	while ((atnl = hf_gettok(f, tok)) != -1) {
		memset(&it, 0, sizeof(it));
		it.line = lineno;
		if (inet_pton(AF_INET, tok, &it.addr.v4) > 0)
			it.family = AF_INET;
		else if (inet_pton(AF_INET6, tok, &it.addr.v6) > 0)
			it.family = AF_INET6;
		else {
			if (hf_diag(b, HOSTSFILE_BAD_ADDRESS, lineno) < 0)
				return -ENOMEM;
			while (atnl == 0)
				atnl = hf_gettok(f, tok);
			if (atnl > 0)
				lineno += (unsigned)atnl;
			continue;
		}
		if (hf_names(b, f, tok, &it, &atnl) < 0)
			return -ENOMEM;
		if (atnl > 0)
			lineno += (unsigned)atnl;
	}
	return 0;
}

/* The table in one allocation: header, entries, problems, names. */
static struct hostsfile *
hf_finish(const struct hf_build *b)
{
	size_t ent = b->n * sizeof(struct hostsfile_entry);
	size_t dia = b->n_diags * sizeof(struct hostsfile_diag);
	struct hostsfile_entry *e;
	struct hostsfile_diag *d;
	struct hostsfile *h;
	char *pool;
	size_t i;

	h = malloc(sizeof(*h) + ent + dia + b->pool_len);
	if (h == NULL)
		return NULL;
	e = (struct hostsfile_entry *)(h + 1);
	d = (struct hostsfile_diag *)((char *)e + ent);
	pool = (char *)d + dia;
	if (b->pool_len > 0)
		memcpy(pool, b->pool, b->pool_len);
	if (dia > 0)
		memcpy(d, b->diags, dia);
	for (i = 0; i < b->n; i++) {
		e[i].name = pool + b->items[i].name_off;
		e[i].family = b->items[i].family;
		e[i].addr.v6 = b->items[i].addr.v6;
		e[i].line = b->items[i].line;
		e[i].fqdn = b->items[i].fqdn;
	}
	h->n = b->n;
	h->entries = e;
	h->n_diags = b->n_diags;
	h->diags = d;
	return h;
}

int
hostsfile_read(FILE *f, struct hostsfile **out)
{
	struct hf_build b;
	int rc;

	memset(&b, 0, sizeof(b));
	*out = NULL;
	if ((rc = hf_parse(&b, f)) == 0 && (*out = hf_finish(&b)) == NULL)
		rc = -ENOMEM;
	free(b.items);
	free(b.diags);
	free(b.pool);
	return rc;
}

int
hostsfile_load(const char *path, struct hostsfile **out)
{
	FILE *f;
	int rc;

	*out = NULL;
	if (path == NULL)
		return -EFAULT;
	if ((f = fopen(path, "re")) == NULL)
		return -errno;
	rc = hostsfile_read(f, out);
	fclose(f);
	return rc;
}

void
hostsfile_free(struct hostsfile *h)
{
	free(h);
}

size_t
hostsfile_names(const struct hostsfile *h,
    bool (*has_domain)(const struct hostsfile_entry *e, void *arg),
    void *arg)
{
	size_t i, n = h->n;

	if (has_domain == NULL)
		return n;
	for (i = 0; i < h->n; i++)
		if (!h->entries[i].fqdn && has_domain(&h->entries[i], arg))
			n++;
	return n;
}

void
hostsfile_diag_msg(const struct hostsfile_diag *d, const char *path,
    char *buf, size_t size)
{
	switch (d->what) {
	case HOSTSFILE_BAD_ADDRESS:
		snprintf(buf, size, "bad address at %s line %u", path,
		    d->line);
		break;
	case HOSTSFILE_BAD_NAME:
	default:
		snprintf(buf, size, "bad name at %s line %u", path, d->line);
		break;
	}
}

/* --- addn-hosts directories ---------------------------------------------- */

/* A path of the list being expanded (dnsmasq's struct hostsfile). */
struct hf_path {
	char *path;
	bool inactive;		/* a directory, or not a regular file */
	bool from_dir;		/* found in a directory */
	int dir_errno;
};

struct hf_list {
	struct hf_path *v;
	size_t n, cap;
};

/* dnsmasq's file_filter(): no dot files, no editor backups. */
static int
hf_file_filter(const struct dirent *ent)
{
	size_t len = strlen(ent->d_name);

	if (len == 0 || ent->d_name[len - 1] == '~' ||
	    (ent->d_name[0] == '#' && ent->d_name[len - 1] == '#') ||
	    ent->d_name[0] == '.')
		return 0;
	return 1;
}

static int
hf_list_push(struct hf_list *l, char *path, bool from_dir)
{
	if (util_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)) < 0)
		return -ENOMEM;
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	l->v[l->n].path = path;
	l->v[l->n].from_dir = from_dir;
	l->n++;
	return 0;
}

/* One directory entry: an existing record of that path moves to the end
 * (active again), else a new record is added there. */
static int
hf_list_found(struct hf_list *l, const char *dir, const char *name)
{
	struct hf_path keep;
	struct stat sb;
	char *p;
	size_t i;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	for (i = 0; i < l->n; i++)
		if (l->v[i].path != NULL && strcmp(l->v[i].path, p) == 0)
			break;
	if (i < l->n) {
		free(p);
		keep = l->v[i];
		keep.inactive = false;
		memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(keep));
		l->v[l->n - 1] = keep;
	} else if (hf_list_push(l, p, true) < 0) {
		free(p);
		return -ENOMEM;
	}
	i = l->n - 1;
	if (l->v[i].from_dir && stat(l->v[i].path, &sb) == 0 &&
	    !S_ISREG(sb.st_mode))
		l->v[i].inactive = true;
	return 0;
}

/* Record i is a directory: not read itself; its files join the list. */
static int
hf_list_dir(struct hf_list *l, size_t i)
{
	struct dirent **names;
	int n, k, rc = 0;
	char *dir;

	l->v[i].inactive = true;
	dir = l->v[i].path;
	if ((n = scandir(dir, &names, hf_file_filter, alphasort)) < 0) {
		l->v[i].dir_errno = errno;
		return 0;
	}
	for (k = 0; k < n; k++) {
		if (rc == 0)
			rc = hf_list_found(l, dir, names[k]->d_name);
		free(names[k]);
	}
	free(names);
	return rc;
}

/* Bounds the list should directories and links make it grow and grow. */
#define HF_LIST_MAX 100000

static int
hf_expand(struct hf_list *l, const char *const *paths, size_t n)
{
	struct stat sb;
	size_t i;

	for (i = 0; i < n; i++) {
		char *p = NULL;

		if (paths[i] != NULL && (p = strdup(paths[i])) == NULL)
			return -ENOMEM;
		if (hf_list_push(l, p, false) < 0) {
			free(p);
			return -ENOMEM;
		}
	}
	for (i = 0; i < l->n && i < HF_LIST_MAX; i++) {
		const char *dir = l->v[i].path;

		if (l->v[i].inactive || dir == NULL ||
		    stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			continue;
		if (hf_list_dir(l, i) < 0)
			return -ENOMEM;
		/* dnsmasq goes on from this record's successor in its
		 * list; records before it may have moved to the end */
		while (l->v[i].path != dir)
			i--;
	}
	return 0;
}

/* Directory errors first (dnsmasq logs them while expanding), then the
 * files to read, in list order. */
static int
hf_expand_out(struct hf_list *l, struct hostsfile_paths *out)
{
	size_t i, k = 0;
	int pass;

	out->v = calloc(l->n + 1, sizeof(*out->v));
	if (out->v == NULL)
		return -ENOMEM;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < l->n; i++) {
			struct hf_path *p = &l->v[i];

			if (pass == 0 ? p->dir_errno == 0 : p->inactive)
				continue;
			out->v[k].path = p->path;
			out->v[k].dir_errno = p->dir_errno;
			p->path = NULL;
			k++;
		}
	out->n = k;
	return 0;
}

int
hostsfile_expand(const char *const *paths, size_t n,
    struct hostsfile_paths *out)
{
	struct hf_list l;
	size_t i;
	int rc;

	memset(&l, 0, sizeof(l));
	memset(out, 0, sizeof(*out));
	rc = hf_expand(&l, paths, n);
	if (rc == 0)
		rc = hf_expand_out(&l, out);
	for (i = 0; i < l.n; i++)
		free(l.v[i].path);
	free(l.v);
	return rc;
}

void
hostsfile_paths_free(struct hostsfile_paths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].path);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}
