/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tftp_file.c - confined opening of TFTP files and the shared open-file
 * cache (see tftp_file.h).
 */
#include "tftp_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TFTP_WALK_DEPTH	64	/* directories deep */
#define TFTP_WALK_LINKS	40	/* symlinks followed (the kernel's) */

/* --- path composition (dnsmasq's) --------------------------------------- */

static bool
tftp_cat(char *path, size_t sz, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n >= sz)
		return false;
	memcpy(path + *len, s, n + 1);
	*len += n;
	return true;
}

static bool
tftp_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* tftp-unique-root: the client's directory is added when it exists. */
static bool
tftp_unique(const struct tftp_lookup *l, char *path, size_t sz, size_t *len)
{
	char mac[20];
	size_t mark = *len;

	if (l->unique_ip && l->client != NULL) {
		if (!tftp_cat(path, sz, len, l->client) ||
		    !tftp_cat(path, sz, len, "/"))
			return false;
		if (!tftp_is_dir(path))
			path[*len = mark] = '\0';
	}
	mark = *len;
	if (l->unique_mac && l->mac != NULL) {
		snprintf(mac, sizeof(mac), "%02x-%02x-%02x-%02x-%02x-%02x/",
		    l->mac[0], l->mac[1], l->mac[2], l->mac[3], l->mac[4],
		    l->mac[5]);
		if (!tftp_cat(path, sz, len, mac))
			return false;
		if (!tftp_is_dir(path))
			path[*len = mark] = '\0';
	}
	return true;
}

int
tftp_file_path(const struct tftp_lookup *l, char *path, size_t pathsz,
    size_t *root_len)
{
	const char *name = l->name;
	size_t len = 0;

	if (pathsz == 0)
		return -ENAMETOOLONG;
	path[0] = '\0';
	*root_len = 1;
	if (l->root == NULL || l->root[0] == '\0') {
		if (name[0] != '/' && !tftp_cat(path, pathsz, &len, "/"))
			return -ENAMETOOLONG;
		return tftp_cat(path, pathsz, &len, name) ? 0 : -ENAMETOOLONG;
	}
	if (l->root[0] != '/' && !tftp_cat(path, pathsz, &len, "/"))
		return -ENAMETOOLONG;
	if (!tftp_cat(path, pathsz, &len, l->root))
		return -ENAMETOOLONG;
	if (path[len - 1] != '/' && !tftp_cat(path, pathsz, &len, "/"))
		return -ENAMETOOLONG;
	*root_len = len;
	if (!tftp_unique(l, path, pathsz, &len))
		return -ENAMETOOLONG;
	/* an absolute name is fine when it starts with the whole prefix */
	if (name[0] == '/') {
		if (strncmp(name, path, len) == 0) {
			len = 0;
			path[0] = '\0';
		} else {
			name++;
		}
	}
	return tftp_cat(path, pathsz, &len, name) ? 0 : -ENAMETOOLONG;
}

/* --- confined open ------------------------------------------------------ */

struct tftp_walk {
	int stack[TFTP_WALK_DEPTH];
	int depth;
	int base;
	char work[PATH_MAX + 8];
	char root_real[PATH_MAX];
	bool have_root_real;
};

static int
tftp_walk_cur(const struct tftp_walk *w)
{
	return w->depth > 0 ? w->stack[w->depth - 1] : w->base;
}

static void
tftp_walk_reset(struct tftp_walk *w)
{
	while (w->depth > 0)
		close(w->stack[--w->depth]);
}

/* The root's own path, for absolute symlinks pointing into it. */
static void
tftp_walk_root_real(struct tftp_walk *w)
{
	char proc[40];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", w->base);
	n = readlink(proc, w->root_real, sizeof(w->root_real) - 1);
	w->have_root_real = n > 0;
	w->root_real[n > 0 ? n : 0] = '\0';
}

/* A symlink: its target replaces the component, ahead of rest. */
static int
tftp_walk_link(struct tftp_walk *w, int fd, const char *rest)
{
	char target[PATH_MAX], tmp[sizeof(w->work)];
	const char *t = target;
	ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
	size_t rl;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	if (target[0] == '/') {
		if (!w->have_root_real)
			tftp_walk_root_real(w);
		rl = strlen(w->root_real);
		if (!w->have_root_real || strcmp(w->root_real, "/") == 0)
			rl = 0;
		else if (strncmp(target, w->root_real, rl) != 0 ||
		    (target[rl] != '/' && target[rl] != '\0'))
			return -EXDEV;
		t = target + rl;
		tftp_walk_reset(w);
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s%s%s", t,
	    rest[0] != '\0' ? "/" : "", rest) >=
	    sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(w->work, tmp, sizeof(tmp));
	return 0;
}

/* One component: returns 1 to go on, or the final fd / -errno. */
static int
tftp_walk_step(struct tftp_walk *w, char *comp, char *rest, int flags,
    int *links)
{
	bool last = rest[strspn(rest, "/")] == '\0';
	struct stat st;
	int fd, rc;

	if (strcmp(comp, "..") == 0) {
		if (w->depth == 0)
			return -EXDEV;
		close(w->stack[--w->depth]);
		return 1;
	}
	fd = openat(tftp_walk_cur(w), comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out_close;
	}
	if (S_ISLNK(st.st_mode)) {
		rc = ++*links > TFTP_WALK_LINKS ? -ELOOP :
		    tftp_walk_link(w, fd, rest);
		close(fd);
		return rc == 0 ? 1 : rc;
	}
	if (last && rest[0] != '\0' && !S_ISDIR(st.st_mode)) {
		rc = -ENOTDIR;	/* "name/" names a directory */
		goto out_close;
	}
	if (last) {
		close(fd);
		fd = openat(tftp_walk_cur(w), comp, flags | O_NOFOLLOW |
		    O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	if (!S_ISDIR(st.st_mode)) {
		rc = -ENOTDIR;
		goto out_close;
	}
	if (w->depth == TFTP_WALK_DEPTH) {
		rc = -ENAMETOOLONG;
		goto out_close;
	}
	w->stack[w->depth++] = fd;
	memmove(w->work, rest, strlen(rest) + 1);
	return 1;

out_close:
	close(fd);
	return rc;
}

static int
tftp_walk(int dirfd, const char *rel, int flags)
{
	struct tftp_walk *w = calloc(1, sizeof(*w));
	int links = 0, rc = 1;

	if (w == NULL)
		return -ENOMEM;
	w->base = dirfd;
	if (strlen(rel) >= sizeof(w->work)) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	strcpy(w->work, rel);
	while (rc == 1) {
		char *p = w->work + strspn(w->work, "/");
		size_t n = strcspn(p, "/");
		char comp[NAME_MAX + 1], rest[sizeof(w->work)];

		if (n == 0) {	/* ended on a directory */
			rc = openat(tftp_walk_cur(w), ".", flags | O_CLOEXEC);
			rc = rc < 0 ? -errno : rc;
			break;
		}
		if (n > NAME_MAX) {
			rc = -ENAMETOOLONG;
			break;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		strcpy(rest, p + n);
		memmove(w->work, rest, strlen(rest) + 1);
		if (strcmp(comp, ".") == 0)
			continue;
		rc = tftp_walk_step(w, comp, rest, flags, &links);
	}
out:
	tftp_walk_reset(w);
	free(w);
	return rc;
}

int
tftp_open_beneath(int dirfd, const char *rel, int flags, bool force_walk)
{
	struct open_how how;
	long fd;

	if (rel[0] == '\0')
		rel = ".";
	if (!force_walk) {
		memset(&how, 0, sizeof(how));
		how.flags = (uint64_t)(flags | O_CLOEXEC);
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
		fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		/* EXDEV: perhaps an absolute symlink into the root */
		if (errno != ENOSYS && errno != EXDEV)
			return -errno;
	}
	return tftp_walk(dirfd, rel, flags);
}

/* --- the cache ---------------------------------------------------------- */

static struct tftp_file *
tftp_file_find(struct tftp_files *fs, const struct stat *st,
    const char *path)
{
	struct tftp_file *f;

	for (f = fs->head; f != NULL; f = f->next)
		if (f->dev == st->st_dev && f->ino == st->st_ino &&
		    strcmp(f->path, path) == 0)
			return f;
	return NULL;
}

/* dnsmasq's rules on the resolved file (not yet opened for reading). */
static int
tftp_file_check(const struct tftp_lookup *l, const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	if (!S_ISREG(st->st_mode))
		return -EACCES;	/* devices, FIFOs, sockets, links */
	if (l->euid == 0 && !(st->st_mode & S_IROTH))
		return -EACCES;
	if (l->euid != 0 && l->secure && st->st_uid != l->euid)
		return -EACCES;
	return 0;
}

/* Opens the resolved file for reading and makes it a cache entry. */
static int
tftp_file_new(struct tftp_files *fs, int rootfd, const char *rel,
    const struct tftp_lookup *l, const struct stat *st, const char *path,
    struct tftp_file **out)
{
	struct tftp_file *f;
	struct stat st2;
	int fd, rc;

	fd = tftp_open_beneath(rootfd, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY,
	    l->force_walk);
	if (fd < 0)
		return fd == -EXDEV ? -EACCES : fd;
	if (fstat(fd, &st2) < 0) {
		rc = -errno;
		goto out_close;
	}
	/* replaced between the two resolutions */
	if (st2.st_dev != st->st_dev || st2.st_ino != st->st_ino ||
	    !S_ISREG(st2.st_mode)) {
		rc = -EACCES;
		goto out_close;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->path = strdup(path)) == NULL) {
		free(f);
		rc = -ENOMEM;
		goto out_close;
	}
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	f->fd = fd;
	f->size = (uint64_t)st2.st_size;
	f->dev = st2.st_dev;
	f->ino = st2.st_ino;
	f->refs = 1;
	f->next = fs->head;
	fs->head = f;
	fs->n++;
	fs->opens++;
	*out = f;
	return 0;

out_close:
	close(fd);
	return rc;
}

int
tftp_file_get(struct tftp_files *fs, const struct tftp_lookup *l,
    char *path, size_t pathsz, struct tftp_file **out)
{
	char rootpath[PATH_MAX];
	struct tftp_file *f;
	struct stat st;
	size_t root_len;
	int rootfd, fd, rc;

	if ((rc = tftp_file_path(l, path, pathsz, &root_len)) < 0)
		return rc;
	/* dnsmasq: no "/../" below a root */
	if (l->root != NULL && l->root[0] != '\0' && strstr(path, "/../"))
		return -EACCES;
	if (root_len >= sizeof(rootpath))
		return -ENAMETOOLONG;
	memcpy(rootpath, path, root_len);
	rootpath[root_len] = '\0';
	rootfd = open(rootpath, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	fd = tftp_open_beneath(rootfd, path + root_len, O_PATH,
	    l->force_walk);
	if (fd < 0) {
		rc = fd == -EXDEV ? -EACCES : fd;
		goto out_root;
	}
	rc = fstat(fd, &st) < 0 ? -errno : tftp_file_check(l, &st);
	close(fd);
	if (rc < 0)
		goto out_root;
	if ((f = tftp_file_find(fs, &st, path)) != NULL) {
		f->refs++;
		fs->hits++;
		*out = f;
	} else {
		rc = tftp_file_new(fs, rootfd, path + root_len, l, &st, path,
		    out);
	}
out_root:
	close(rootfd);
	return rc;
}

void
tftp_file_put(struct tftp_files *fs, struct tftp_file *f)
{
	struct tftp_file **pp;

	if (f == NULL || --f->refs > 0)
		return;
	for (pp = &fs->head; *pp != NULL; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	fs->n--;
	close(f->fd);
	free(f->path);
	free(f);
}

void
tftp_files_clear(struct tftp_files *fs)
{
	while (fs->head != NULL) {
		struct tftp_file *f = fs->head;

		fs->head = f->next;
		close(f->fd);
		free(f->path);
		free(f);
	}
	fs->n = 0;
}
