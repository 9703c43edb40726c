/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hostsfile.h - /etc/hosts-format files (/etc/hosts, addn-hosts) read as
 * dnsmasq 2.90 reads them (cache.c read_hostsfile(), gettok(),
 * eatspace(); option.c expand_filelist()):
 *   - a token is a run of bytes up to white space (C locale isspace) or
 *     '#'; '#' starts a comment to the end of the line, anywhere; a token
 *     keeps its first 1024 bytes, and a NUL byte ends it as a string;
 *   - the first token of a line is an IPv4 or IPv6 address (inet_pton);
 *     else "bad address at FILE line N" and the line is skipped;
 *   - every further token of the line is a name, canonicalised as
 *     dnsmasq does (dnsname.h); a bad one is "bad name at FILE line N"
 *     and skipped, the others are kept, in order;
 *   - "read FILE - N names" counts the names kept, plus, with
 *     expand-hosts, one per name written without a dot whose address has
 *     a domain (see hostsfile_names());
 *   - a file that cannot be opened: "failed to load names from FILE: E".
 * Duplicates are kept: the DNS side decides what answers (dnsmasq drops
 * a repeated name and address, and gives the PTR record to the first
 * name of an address).
 * L2 module: the files are opened here, nothing else is touched.
 */
#ifndef PXEMASQ_HOSTSFILE_H
#define PXEMASQ_HOSTSFILE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* dnsmasq's token buffer: MAXDNAME - 1 bytes are kept. */
#define HOSTSFILE_TOKEN_MAX	1024

struct hostsfile_entry {
	const char *name;	/* canonical; "" for a name of dots */
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	unsigned line;
	bool fqdn;		/* written with a '.': expand-hosts adds no
				 * domain (a trailing dot counts) */
};

enum hostsfile_problem {
	HOSTSFILE_BAD_ADDRESS,	/* "bad address at %s line %d" */
	HOSTSFILE_BAD_NAME,	/* "bad name at %s line %d" */
};

struct hostsfile_diag {
	enum hostsfile_problem what;
	unsigned line;
};

/* One file as read: a single allocation, freed by hostsfile_free(). */
struct hostsfile {
	size_t n;
	const struct hostsfile_entry *entries;	/* file order */
	size_t n_diags;
	const struct hostsfile_diag *diags;	/* file order */
};

/*
 * Reads a hosts file from f (borrowed; read to its end, not closed).
 * On success *out is owned by the caller.  Returns 0 or -ENOMEM.  A read
 * error ends the file, as EOF does for dnsmasq's getc().
 */
int hostsfile_read(FILE *f, struct hostsfile **out);

/*
 * Opens path and reads it.  Returns 0, or -errno when it cannot be opened
 * (NULL path: -EFAULT, as fopen(NULL) gives dnsmasq for "addn-hosts="),
 * or -ENOMEM.
 */
int hostsfile_load(const char *path, struct hostsfile **out);

void hostsfile_free(struct hostsfile *h);

/*
 * dnsmasq's names_done: one per entry, plus one per entry without a dot
 * for which has_domain() says a domain is appended (expand-hosts; the
 * caller knows the domain= configuration).  has_domain NULL: none.
 */
size_t hostsfile_names(const struct hostsfile *h,
    bool (*has_domain)(const struct hostsfile_entry *e, void *arg),
    void *arg);

/* The log message of a problem, dnsmasq's wording, for path. */
void hostsfile_diag_msg(const struct hostsfile_diag *d, const char *path,
    char *buf, size_t size);

/*
 * addn-hosts paths to read, as dnsmasq's expand_filelist() lists them:
 * a directory stands for every regular file in it (sorted by name;
 * names starting with '.', ending in '~', or starting and ending with
 * '#' are left out), listed after all the plain paths, one directory
 * after the other; a file found in a directory that was also named
 * plainly is read once, in its directory's place.  A path that cannot
 * be stat()ed is a file (its error comes when it is opened).
 */
struct hostsfile_path {
	char *path;		/* NULL: "addn-hosts=" without a value */
	int dir_errno;		/* not 0: a directory that could not be
				 * listed: "cannot access directory %s: %s";
				 * nothing to read */
};

struct hostsfile_paths {
	size_t n;
	struct hostsfile_path *v;
};

/*
 * Expands paths[0..n) (borrowed; in dnsmasq's list order, which is the
 * reverse of the order the options were read) into out (owned by the
 * caller, hostsfile_paths_free()).  Returns 0 or -ENOMEM.
 */
int hostsfile_expand(const char *const *paths, size_t n,
    struct hostsfile_paths *out);
void hostsfile_paths_free(struct hostsfile_paths *p);

#endif
