/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tftp_file.h - finding and opening the file a TFTP request names,
 * confined to its root, and the cache of open files shared by transfers.
 *
 * The path is composed as dnsmasq 2.90 composes it (tftp.c; it is also
 * the PATH of the log lines and error texts): the root (relative roots
 * hang off "/") and a slash, then with tftp-unique-root the client's
 * directory ("192.0.2.7/" or "aa-bb-cc-dd-ee-ff/") when it exists, then
 * the name -- whose leading slash is dropped unless the name already
 * starts with that whole prefix.  Without a root, relative names hang
 * off "/".  With a root, a path containing "/../" is refused (EACCES),
 * as in dnsmasq.
 *
 * Unlike dnsmasq the file is then opened beneath the root only:
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), or, where the kernel
 * lacks openat2 or refuses an absolute symlink, a component walk on
 * directory descriptors that follows symlinks while they stay inside the
 * root.  Anything resolving outside is refused (EACCES).  Only regular
 * files are opened for reading: the name is first resolved with O_PATH
 * and checked, so a device or FIFO is never opened (EACCES), a directory
 * gives EISDIR (dnsmasq's "Is a directory").  Permission rules (dnsmasq):
 * a daemon running as root serves world-readable files only; with
 * tftp-secure an unprivileged daemon serves only files it owns.
 *
 * The cache shares one descriptor (and so the page cache and readahead)
 * among all transfers of the same file (same device, inode and path, as
 * dnsmasq), with a reference count.
 */
#ifndef PXEMASQ_TFTP_FILE_H
#define PXEMASQ_TFTP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tftp_file {
	int fd;
	uint64_t size;
	dev_t dev;
	ino_t ino;
	unsigned refs;
	char *path;		/* the composed path (owned) */
	struct tftp_file *next;
};

struct tftp_files {
	struct tftp_file *head;
	unsigned n;		/* distinct files open */
	unsigned long hits, opens;
};

/* What a request asks for, and the rules that apply. */
struct tftp_lookup {
	const char *root;	/* NULL: no root */
	const char *name;	/* normalised (backslashes, lower case) */
	const char *client;	/* the client's address as text */
	const uint8_t *mac;	/* 6 bytes, NULL when unknown */
	bool unique_ip, unique_mac;
	bool secure;		/* tftp-secure */
	uid_t euid;		/* the daemon's effective uid */
	bool force_walk;	/* tests: skip openat2 */
};

/* Composes the path (see above) into path; returns 0, or -ENAMETOOLONG.
 * *rel_off is where the part below the root starts in path (the whole
 * path relative to "/" without a root), *root_len the length of the root
 * with its slash. */
int tftp_file_path(const struct tftp_lookup *l, char *path, size_t pathsz,
    size_t *root_len);

/* Opens what l names (path as composed, for the messages, is written to
 * path).  Returns 0 with *out holding a reference, or -errno: -ENOENT
 * (dnsmasq ERROR 1), -EACCES (ERROR 2), others (ERROR 0, "cannot
 * read").  *out is borrowed from fs until tftp_file_put(). */
int tftp_file_get(struct tftp_files *fs, const struct tftp_lookup *l,
    char *path, size_t pathsz, struct tftp_file **out);
/* Drops a reference; the last one closes the file. */
void tftp_file_put(struct tftp_files *fs, struct tftp_file *f);
/* Closes everything (at exit). */
void tftp_files_clear(struct tftp_files *fs);

/* Opens rel beneath dirfd (see above) with flags; returns the
 * descriptor or -errno (-EXDEV: outside). */
int tftp_open_beneath(int dirfd, const char *rel, int flags, bool force_walk);

#endif
