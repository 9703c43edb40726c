/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "daemon.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <syslog.h>
#include <ifaddrs.h>
#include <unistd.h>

#include "conf.h"
#include "conf_int.h"
#include "conf_dhcp.h"
#include "conf_dns.h"
#include "conf_tftp.h"
#include "dhcpd.h"
#include "dnsd.h"
#include "tftpd.h"
#include "ethers.h"
#include "hostsfile.h"
#include "iface.h"
#include "lease.h"
#include "log.h"
#include "metrics.h"
#include "paths.h"
#include "pcapdump.h"
#include "priv.h"
#include "reload.h"
#include "script.h"

/* Exit statuses, as dnsmasq's (README "Exit status"). */
enum {
	EXIT_BADCONF = 1,
	EXIT_BADNET = 2,
	EXIT_FILE = 3,
	EXIT_NOMEM = 4,
	EXIT_MISC = 5,
};

/*
 * Fatal start-up error: logged at LOG_CRIT with "FAILED to start up" as
 * dnsmasq does, printed on stderr, and, after the fork, sent to the
 * waiting parent which prints it and exits with the same status.
 */
static void __attribute__((noreturn, format(printf, 3, 4)))
daemon_die(struct daemon *d, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->err_pipe >= 0) {
		unsigned char c = (unsigned char)code;
		char buf[1100];
		int len = snprintf(buf, sizeof(buf), "%c%s", c, msg);
		ssize_t r = write(d->err_pipe, buf, (size_t)len);

		(void)r;
		log_msg(LOG_SVC_MAIN, LOG_CRIT, "%s", msg);
		log_msg(LOG_SVC_MAIN, LOG_CRIT, "FAILED to start up");
	} else {
		log_fatal("%s", msg);
	}
	log_close();
	exit(code);
}

/* dnsmasq closes every descriptor it inherited except stdin, stdout and
 * stderr (dnsmasq.c, close_fds()): none of them may leak into the daemon
 * running as nobody (the privilege audit, issue 9, found a shell's pipe
 * kept open). */
static void
daemon_close_inherited(void)
{
	long fd, max;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		close((int)fd);
}

/* --- background -------------------------------------------------------- */

/* The shell's process waits here until the daemon reports success (pipe
 * closed without data) or an error (status byte + message). */
static void __attribute__((noreturn))
daemon_wait_child(int fd)
{
	char buf[1100];
	ssize_t n, got = 0;

	while ((n = read(fd, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	if (got <= 0)
		_exit(0);
	buf[got] = '\0';
	fprintf(stderr, "\npxemasq: %s\n", buf + 1);
	_exit((unsigned char)buf[0]);
}

static void
daemon_background(struct daemon *d)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		daemon_die(d, EXIT_MISC, "cannot fork into background: %s",
		    strerror(errno));
	if ((pid = fork()) < 0)
		daemon_die(d, EXIT_MISC, "cannot fork into background: %s",
		    strerror(errno));
	if (pid != 0) {
		close(p[1]);
		daemon_wait_child(p[0]);
	}
	close(p[0]);
	d->err_pipe = p[1];
	setsid();
	if ((pid = fork()) < 0)
		daemon_die(d, EXIT_MISC, "cannot fork into background: %s",
		    strerror(errno));
	if (pid != 0)
		_exit(0);
}

static void
daemon_stdio_null(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/* Unlink first and create with O_EXCL, so a pid file replaced by a
 * symlink in a directory the run user can write is never followed. */
static void
daemon_write_pid(struct daemon *d)
{
	char buf[32];
	int fd, len;

	if (d->pid_path == NULL)
		return;
	unlink(d->pid_path);
	fd = open(d->pid_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0644);
	if (fd < 0)
		daemon_die(d, EXIT_FILE, "failed to open pidfile %s: %s",
		    d->pid_path, strerror(errno));
	len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, (size_t)len) != len) {
		int e = errno;

		close(fd);
		daemon_die(d, EXIT_FILE, "failed to write pidfile %s: %s",
		    d->pid_path, strerror(e));
	}
	close(fd);
	d->pid_written = true;
}

/* --- signals ------------------------------------------------------------ */

static void
daemon_on_term(struct daemon *d, const char *name)
{
	if (d->pid_written)
		unlink(d->pid_path);
	log_info(LOG_SVC_MAIN, "exiting on receipt of %s", name);
	d->ev.stop = true;
	d->exit_code = 0;
}

/* --- hosts files and /etc/ethers --------------------------------------- */

/*
 * Where dnsmasq reads them (config.h HOSTSFILE, ETHERSFILE).  For the
 * tests only, the environment variables PXEMASQ_HOSTS_FILE and
 * PXEMASQ_ETHERS_FILE name other files (the compat tests must never
 * touch the machine's /etc); dnsmasq has no such option, so nothing
 * else changes them.
 */
#define DAEMON_HOSTS_FILE	"/etc/hosts"
#define DAEMON_ETHERS_FILE	"/etc/ethers"

static const char *
daemon_env_path(const char *var, const char *def)
{
	const char *p = getenv(var);

	return p != NULL && *p != '\0' ? p : def;
}

static void
daemon_hosts_clear(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->n_hosts; i++) {
		hostsfile_free(d->hosts[i]);
		free(d->hosts_paths[i]);
	}
	free(d->hosts);
	free(d->hosts_paths);
	d->hosts = NULL;
	d->hosts_paths = NULL;
	d->n_hosts = 0;
}

/* dnsmasq's match_domain6(): a prefix of 64 or more is the /64 and a
 * range of its low halves; a shorter one is the prefix; a range written
 * START,END has prefix length 0 there, so it takes every address. */
static bool
daemon_domain_match6(const struct conf_dhcp_domain *c,
    const struct in6_addr *a)
{
	unsigned len = c->kind == CONF_DHCP_DOMAIN_PREFIX ? c->prefixlen : 0;
	unsigned i;

	if (len >= 64)
		return memcmp(a->s6_addr, c->start6.s6_addr, 8) == 0 &&
		    memcmp(a->s6_addr + 8, c->start6.s6_addr + 8, 8) >= 0 &&
		    memcmp(a->s6_addr + 8, c->end6.s6_addr + 8, 8) <= 0;
	for (i = 0; i < len; i++) {
		unsigned bit = 0x80u >> (i % 8);

		if ((a->s6_addr[i / 8] ^ c->start6.s6_addr[i / 8]) & bit)
			return false;
	}
	return true;
}

/* expand-hosts: does dnsmasq's get_domain()/get_domain6() give the
 * address a domain (a domain=DOM,SUBNET that holds it, else domain=DOM)?
 * domain=DOM,INTERFACE takes the interface's subnets, which pxemasq does
 * not enumerate yet: it matches nothing here. */
static bool
daemon_has_domain(const struct hostsfile_entry *e, void *arg)
{
	const struct conf_dhcp *dh = arg;
	const struct conf_dhcp_domain *c;

	for (c = dh->domains; c != NULL; c = c->next) {
		if (c->kind == CONF_DHCP_DOMAIN_IFACE)
			continue;
		if (e->family == AF_INET && !c->is6) {
			uint32_t a = ntohl(e->addr.v4.s_addr);

			if (a >= ntohl(c->start.s_addr) &&
			    a <= ntohl(c->end.s_addr))
				return true;
		} else if (e->family == AF_INET6 && c->is6 &&
		    daemon_domain_match6(c, &e->addr.v6))
			return true;
	}
	return (dh->domain_from_resolv ? dh->domain_resolved :
	    dh->domain_suffix) != NULL;
}

/* One hosts file, logged as dnsmasq's read_hostsfile() logs it. */
static void
daemon_read_hosts(struct daemon *d, const struct conf *cf, const char *path)
{
	struct hostsfile *h, **nv;
	char msg[LOG_MAX_MESSAGE], **np, *pc;
	size_t i, names;
	int rc;

	if ((rc = hostsfile_load(path, &h)) < 0) {
		log_err(LOG_SVC_MAIN, "failed to load names from %s: %s",
		    path != NULL ? path : "(null)", strerror(-rc));
		return;
	}
	for (i = 0; i < h->n_diags; i++) {
		hostsfile_diag_msg(&h->diags[i], path, msg, sizeof(msg));
		log_err(LOG_SVC_MAIN, "%s", msg);
	}
	names = hostsfile_names(h, conf_flag(cf, CONF_KW_EXPAND_HOSTS) ?
	    daemon_has_domain : NULL, cf->dhcp);
	log_info(LOG_SVC_MAIN, "read %s - %zu names", path, names);
	nv = realloc(d->hosts, (d->n_hosts + 1) * sizeof(*nv));
	if (nv != NULL)
		d->hosts = nv;
	np = realloc(d->hosts_paths, (d->n_hosts + 1) * sizeof(*np));
	if (np != NULL)
		d->hosts_paths = np;
	pc = strdup(path);
	if (nv == NULL || np == NULL || pc == NULL) {
		log_err(LOG_SVC_MAIN, "failed to allocate memory");
		hostsfile_free(h);
		free(pc);
		return;
	}
	d->hosts_paths[d->n_hosts] = pc;
	d->hosts[d->n_hosts++] = h;
}

/*
 * dnsmasq's cache_reload() when DNS is on (port != 0): /etc/hosts unless
 * no-hosts, then every addn-hosts file, directories expanded (dnsmasq
 * keeps addn-hosts in reverse order of reading).  With neither, "cleared
 * cache" when there is a cache.
 */
static void
daemon_load_hosts(struct daemon *d, const struct conf *cf)
{
	const struct conf_strlist *l = &cf->dns->addn_hosts;
	struct hostsfile_paths paths;
	const struct conf_str *s;
	const char **v;
	size_t i, n = 0;
	int rc = -ENOMEM;

	daemon_hosts_clear(d);
	if (cf->dns->port == 0)
		return;
	if (conf_flag(cf, CONF_KW_NO_HOSTS) && l->head == NULL) {
		if (cf->dns->cache_size > 0)
			log_info(LOG_SVC_MAIN, "cleared cache");
		return;
	}
	if (!conf_flag(cf, CONF_KW_NO_HOSTS))
		daemon_read_hosts(d, cf, daemon_env_path("PXEMASQ_HOSTS_FILE",
		    DAEMON_HOSTS_FILE));
	for (s = l->head; s != NULL; s = s->next)
		n++;
	if ((v = calloc(n + 1, sizeof(*v))) != NULL) {
		for (i = n, s = l->head; s != NULL; s = s->next)
			v[--i] = s->s;
		rc = hostsfile_expand(v, n, &paths);
		free(v);
	}
	if (rc < 0) {
		log_err(LOG_SVC_MAIN, "failed to allocate memory");
		return;
	}
	for (i = 0; i < paths.n; i++)
		if (paths.v[i].dir_errno != 0)
			log_err(LOG_SVC_MAIN, "cannot access directory %s: %s",
			    paths.v[i].path, strerror(paths.v[i].dir_errno));
		else
			daemon_read_hosts(d, cf, paths.v[i].path);
	hostsfile_paths_free(&paths);
}

/*
 * dnsmasq's dhcp_read_ethers(), run when DHCP is on and read-ethers is
 * set.  A file that cannot be opened keeps the entries read before, as
 * dnsmasq drops them only once the file is open.
 */
static void
daemon_load_ethers(struct daemon *d, const struct conf *cf)
{
	const char *path;
	char msg[LOG_MAX_MESSAGE];
	struct ethers *e;
	size_t i;
	int rc;

	if (cf->dhcp->ranges == NULL || !conf_flag(cf, CONF_KW_READ_ETHERS)) {
		ethers_free(d->ethers);
		d->ethers = NULL;
		return;
	}
	path = daemon_env_path("PXEMASQ_ETHERS_FILE", DAEMON_ETHERS_FILE);
	if ((rc = ethers_load(path, &e)) < 0) {
		log_err(LOG_SVC_DHCP, "failed to read %s: %s", path,
		    strerror(-rc));
		return;
	}
	for (i = 0; i < e->n_diags; i++) {
		ethers_diag_msg(&e->diags[i], path, msg, sizeof(msg));
		log_err(LOG_SVC_DHCP, "%s", msg);
	}
	log_info(LOG_SVC_DHCP, "read %s - %u addresses", path, e->count);
	ethers_free(d->ethers);
	d->ethers = e;
}

/*
 * dnsmasq's dhcp_update_configs(): a dhcp-host with a name and no address
 * takes the name's address from the hosts files (only while DNS is on,
 * as dnsmasq looks in its DNS cache), unless another dhcp-host has that
 * address.  A name with several addresses uses the first and says so.
 */
static void
daemon_dhcp_hosts_addrs(struct daemon *d, struct conf *cf)
{
	struct conf_dhcp_host *h, *o;

	if (cf->dhcp == NULL || cf->dns == NULL || cf->dns->port == 0)
		return;
	for (h = cf->dhcp->hosts; h != NULL; h = h->next) {
		const struct hostsfile_entry *first = NULL;
		bool more = false;
		size_t i, j;

		if ((h->flags & CONF_DHCP_HOST_ADDR) ||
		    !(h->flags & CONF_DHCP_HOST_NAME))
			continue;
		for (i = 0; i < d->n_hosts; i++)
			for (j = 0; j < d->hosts[i]->n; j++) {
				const struct hostsfile_entry *e =
				    &d->hosts[i]->entries[j];

				if (e->family != AF_INET ||
				    strcasecmp(e->name, h->hostname) != 0)
					continue;
				if (first == NULL)
					first = e;
				else if (e->addr.v4.s_addr !=
				    first->addr.v4.s_addr)
					more = true;
			}
		if (first == NULL)
			continue;
		if (more) {
			char a[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &first->addr.v4, a, sizeof(a));
			log_warn(LOG_SVC_DHCP, "%s has more than one address "
			    "in hostsfile, using %s for DHCP", h->hostname, a);
		}
		for (o = cf->dhcp->hosts; o != NULL; o = o->next)
			if (o != h && (o->flags & CONF_DHCP_HOST_ADDR) &&
			    o->addr.s_addr == first->addr.v4.s_addr)
				break;
		if (o == NULL) {
			h->addr = first->addr.v4;
			h->flags |= CONF_DHCP_HOST_ADDR;
		}
	}
}

/* Hands ncf to every service; the running configuration is freed only
 * after the last one moved (transfers and queries in flight keep no
 * pointer into it: tftpd's connections own their paths, dns_fwd's pending
 * queries their bytes, the DHCP pool is rebuilt by dhcp_server_set_conf). */
static void
daemon_swap_conf(struct daemon *d, struct conf *ncf)
{
	if (d->dhcp != NULL)
		dhcpd_set_conf(d->dhcp, ncf);
	if (d->dns != NULL)
		dnsd_set_conf(d->dns, ncf);
	if (d->tftp != NULL)
		tftpd_set_conf(d->tftp, ncf);
	conf_free(d->cf);
	d->cf = ncf;
}

static void
daemon_log_kept(void *arg, const char *name)
{
	(void)arg;
	log_warn(LOG_SVC_MAIN, "configuration reload: %s changed, the new "
	    "value needs a restart; keeping the running one", name);
}

/*
 * --reload-config: the checks start-up makes after parsing that a running
 * daemon can make again (restart-only options keep their running value,
 * reload.h), then the TFTP roots as the run user.  Returns 0, or -1 with
 * the reason logged; ncf is then still the caller's.
 */
static int
daemon_check_fresh(struct daemon *d, struct conf *ncf)
{
	const char *what = NULL;
	char msg[512];
	int code, rc;

	rc = reload_keep_restart(d->cf, ncf, daemon_log_kept, d, &what);
	if (rc == -EBUSY) {
		log_err(LOG_SVC_MAIN, "configuration reload failed, keeping "
		    "the running configuration: turning %s on or off needs a "
		    "restart", what);
		return -1;
	}
	if (rc < 0) {
		log_err(LOG_SVC_MAIN, "configuration reload failed, keeping "
		    "the running configuration: %s", strerror(-rc));
		return -1;
	}
	if (d->tftp == NULL)
		return 0;
	tftpd_set_conf(d->tftp, ncf);
	rc = tftpd_check_roots(d->tftp, msg, sizeof(msg), &code);
	tftpd_set_conf(d->tftp, d->cf);
	if (rc < 0) {
		log_err(LOG_SVC_MAIN, "configuration reload failed, keeping "
		    "the running configuration: %s", msg);
		return -1;
	}
	return 0;
}

/*
 * --reload-config on SIGHUP: the main configuration read again from disk
 * into a new file cache, parsed and checked as at start-up (the dynamic
 * files are read later, in dnsmasq's order).  Returns the checked
 * configuration, restart-only options set back to their running values,
 * with *ncc holding the files as read; or NULL (the error logged with its
 * position, as conf_load's message has it).
 */
static struct conf *
daemon_load_fresh(struct daemon *d, struct conf_cache **ncc)
{
	struct conf_result res;
	struct conf *ncf;

	if ((*ncc = conf_cache_new()) == NULL) {
		log_err(LOG_SVC_MAIN, "configuration reload failed, keeping "
		    "the running configuration: %s", strerror(ENOMEM));
		return NULL;
	}
	log_info(LOG_SVC_MAIN, "reloading the configuration");
	ncf = conf_load_daemon(d->argc, d->argv, *ncc, false, &res);
	if (ncf != NULL && daemon_check_fresh(d, ncf) == 0)
		return ncf;
	if (ncf == NULL)
		log_err(LOG_SVC_MAIN, "configuration reload failed, keeping "
		    "the running configuration: %s", res.msg);
	conf_free(ncf);
	conf_cache_free(*ncc);
	*ncc = NULL;
	return NULL;
}

static void
daemon_kept_quiet(void *arg, const char *name)
{
	(void)arg;
	(void)name;
}

/* The configuration from cc (replayed) plus the dynamic files as they are
 * now; from a fresh cache the restart-only options are set back again
 * (daemon_load_fresh() logged them). */
static struct conf *
daemon_build(struct daemon *d, struct conf_cache *cc, bool fresh,
    struct conf_result *res)
{
	struct conf *ncf;
	const char *what;

	ncf = conf_load_daemon(d->argc, d->argv, cc, true, res);
	if (ncf != NULL && fresh && reload_keep_restart(d->cf, ncf,
	    daemon_kept_quiet, NULL, &what) < 0) {
		snprintf(res->msg, sizeof(res->msg), "%s", strerror(ENOMEM));
		conf_free(ncf);
		ncf = NULL;
	}
	return ncf;
}

/*
 * Start-up (once the log is open) and SIGHUP, in dnsmasq's order
 * (clear_cache_and_reload()): the hosts files, /etc/ethers, then
 * dhcp-hostsfile, -optsfile, -hostsdir and -optsdir (each logged "read
 * FILE").  Without ncc the main configuration is not re-read (dnsmasq's
 * meaning of SIGHUP): the new configuration is built from the cached main
 * files plus fresh dynamic files and swapped in whole.  With ncc
 * (--reload-config, checked by daemon_load_fresh()) the main files come
 * from it, and it replaces the cache.
 */
static void
daemon_rebuild(struct daemon *d, struct conf_cache *ncc)
{
	struct conf_result res;
	struct conf *ncf = NULL;

	if (ncc != NULL && (ncf = daemon_build(d, ncc, true, &res)) == NULL) {
		log_err(LOG_SVC_MAIN, "configuration reload failed, keeping "
		    "the running configuration: %s", res.msg);
		conf_cache_free(ncc);
		ncc = NULL;
	}
	if (ncf == NULL)
		ncf = daemon_build(d, d->cache, false, &res);
	if (ncf == NULL) {
		log_err(LOG_SVC_MAIN, "reload failed, keeping the running "
		    "configuration: %s", res.msg);
	} else {
		if (ncf->dhcp != NULL && d->ethers != NULL &&
		    ethers_apply(d->ethers, daemon_env_path(
		    "PXEMASQ_ETHERS_FILE", DAEMON_ETHERS_FILE), ncf) < 0)
			log_err(LOG_SVC_DHCP, "no memory for the ethers "
			    "entries");
		daemon_dhcp_hosts_addrs(d, ncf);
		daemon_swap_conf(d, ncf);
		/* later rebuilds replay the new files */
		if (ncc != NULL) {
			conf_cache_free(d->cache);
			d->cache = ncc;
		}
	}
	/* also on failure: the hosts files were read again and the DNS
	 * names must not point into the freed ones (host-record comes from
	 * the configuration in use) */
	if (d->dns != NULL)
		dnsd_set_hosts(d->dns, d->hosts,
		    (const char *const *)d->hosts_paths, d->n_hosts);
}

static void daemon_dns_lease_check(struct daemon *d, bool force);

/* With fresh, the hosts files and /etc/ethers are read as the new main
 * configuration says (addn-hosts, no-hosts, read-ethers, domain). */
static void
daemon_reload(struct daemon *d, bool fresh)
{
	struct conf_cache *ncc = NULL;
	struct conf *fcf = fresh ? daemon_load_fresh(d, &ncc) : NULL;
	const struct conf *cf = fcf != NULL ? fcf : d->cf;

	daemon_load_hosts(d, cf);
	daemon_load_ethers(d, cf);
	if (d->dhcp != NULL)	/* pxe-service / dhcp-boot server names */
		dhcpd_set_hosts(d->dhcp, d->hosts, d->n_hosts);
	daemon_rebuild(d, ncc);
	conf_free(fcf);
	daemon_dns_lease_check(d, true);
}

/* --- dhcp-hostsdir and dhcp-optsdir: inotify ------------------------------ */

/* dnsmasq's filter for editor files: backups, autosaves, dot files. */
static bool
daemon_ignored_name(const char *n)
{
	size_t len = strlen(n);

	return len == 0 || n[len - 1] == '~' || n[0] == '.' ||
	    (n[0] == '#' && n[len - 1] == '#');
}

/*
 * A file in a watched directory was written, moved in or removed: as
 * dnsmasq, "inotify: PATH new or modified" (or "removed") and "read PATH";
 * then the configuration is rebuilt from the cached main files and the
 * dynamic files as they are now (the others read quietly).  dnsmasq only
 * adds the changed file's entries until a SIGHUP; here the entries follow
 * the directory (docs/differences.md).
 */
static void
daemon_inotify_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct daemon *d = io->data;
	union {
		struct inotify_event align;
		char b[4096];
	} buf;
	bool changed = false;
	ssize_t n;

	(void)ev;
	(void)revents;
	while ((n = read(io->fd, buf.b, sizeof(buf.b))) > 0) {
		char *p = buf.b;

		while (p + sizeof(struct inotify_event) <= buf.b + n) {
			struct inotify_event *in = (struct inotify_event *)p;
			unsigned i;

			p += sizeof(*in) + in->len;
			if (in->len == 0 || daemon_ignored_name(in->name))
				continue;
			for (i = 0; i < d->nwatch; i++)
				if (d->watch[i].wd == in->wd)
					break;
			if (i == d->nwatch)
				continue;
			log_info(LOG_SVC_MAIN, "inotify: %s/%s %s",
			    d->watch[i].dir, in->name, (in->mask & IN_DELETE) ?
			    "removed" : "new or modified");
			if (!(in->mask & IN_DELETE))
				log_info(LOG_SVC_DHCP, "read %s/%s",
				    d->watch[i].dir, in->name);
			changed = true;
		}
	}
	if (!changed)
		return;
	conf_cache_set_quiet(d->cache, true);
	daemon_rebuild(d, NULL);
	conf_cache_set_quiet(d->cache, false);
}

static void
daemon_watch_dir(struct daemon *d, const char *dir)
{
	struct stat sb;
	int wd;

	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		log_err(LOG_SVC_MAIN, "bad dynamic directory %s: %s", dir,
		    stat(dir, &sb) < 0 ? strerror(errno) : "not a directory");
		return;
	}
	if (d->nwatch == DAEMON_WATCH_MAX)
		return;
	if (d->inotify_io.fd < 0) {
		int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

		if (fd < 0) {
			log_err(LOG_SVC_MAIN, "failed to create inotify: %s",
			    strerror(errno));
			return;
		}
		d->inotify_io.fd = fd;
		d->inotify_io.events = EPOLLIN;
		d->inotify_io.cb = daemon_inotify_cb;
		d->inotify_io.data = d;
		if (ev_io_add(&d->ev, &d->inotify_io) < 0) {
			close(fd);
			d->inotify_io.fd = -1;
			return;
		}
	}
	wd = inotify_add_watch(d->inotify_io.fd, dir,
	    IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE);
	if (wd < 0 || (d->watch[d->nwatch].dir = strdup(dir)) == NULL) {
		log_err(LOG_SVC_MAIN, "failed to create inotify for %s: %s",
		    dir, strerror(wd < 0 ? errno : ENOMEM));
		return;
	}
	d->watch[d->nwatch++].wd = wd;
}

/* Before the privilege drop, as dnsmasq: the watches outlive it. */
static void
daemon_watch_dirs(struct daemon *d)
{
	const struct conf_str *f;

	d->inotify_io.fd = -1;
	if (d->cf->dhcp == NULL || d->cf->dhcp->ranges == NULL)
		return;
	for (f = d->cf->dhcp->hostsdirs.head; f != NULL; f = f->next)
		if (f->s != NULL)
			daemon_watch_dir(d, f->s);
	for (f = d->cf->dhcp->optsdirs.head; f != NULL; f = f->next)
		if (f->s != NULL)
			daemon_watch_dir(d, f->s);
}

static void
daemon_unwatch_dirs(struct daemon *d)
{
	unsigned i;

	if (d->inotify_io.fd >= 0) {
		ev_io_del(&d->ev, &d->inotify_io);
		close(d->inotify_io.fd);
		d->inotify_io.fd = -1;
	}
	for (i = 0; i < d->nwatch; i++)
		free(d->watch[i].dir);
	d->nwatch = 0;
}

static void
daemon_on_hup(struct daemon *d)
{
	d->stats.sighup++;
	daemon_reload(d, conf_flag(d->cf, CONF_KW_RELOAD_CONFIG));
	/* rerun_scripts(): every lease "old" again */
	if (d->script != NULL)
		script_rerun_all(d->script);
}

static void
daemon_on_usr1(struct daemon *d)
{
	int64_t up = ev_now_ms(&d->ev) - d->stats.started_ms;

	d->stats.sigusr1++;
	log_info(LOG_SVC_MAIN, "time %lld", (long long)time(NULL));
	if (d->dns != NULL)	/* dnsmasq's dump_cache() */
		dnsd_log_stats(d->dns);
	if (d->dhcp != NULL)
		dhcpd_log_stats(d->dhcp);
	if (d->tftp != NULL)
		tftpd_log_stats(d->tftp);
	if (d->metrics != NULL)
		metrics_log_stats(d->metrics);
	log_info(LOG_SVC_MAIN, "uptime %lld s, %lu loop turns, %lu SIGHUP, "
	    "%lu log messages lost", (long long)(up / 1000), d->ev.turns,
	    d->stats.sighup, log_lost());
}

static void
daemon_signal_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct daemon *d = io->data;
	struct signalfd_siginfo si;

	(void)ev;
	(void)revents;
	while (read(io->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
			daemon_on_term(d, "SIGTERM");
			return;
		case SIGINT:
			daemon_on_term(d, "SIGINT");
			return;
		case SIGHUP:
			daemon_on_hup(d);
			break;
		case SIGUSR1:
			daemon_on_usr1(d);
			break;
		case SIGUSR2:
			d->stats.sigusr2++;
			log_reopen();
			break;
		default:
			break;
		}
	}
}

static int
daemon_signals(struct daemon *d)
{
	sigset_t set;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	d->sig_io.fd = fd;
	d->sig_io.events = EPOLLIN;
	d->sig_io.cb = daemon_signal_cb;
	d->sig_io.data = d;
	return ev_io_add(&d->ev, &d->sig_io);
}

/* --- start-up ----------------------------------------------------------- */

/* dhcp-script: the helper is forked here, after the fork into the
 * background and before the privilege drop (script.h). */
static void
daemon_start_script(struct daemon *d)
{
	const struct conf *cf = d->cf;
	struct script_conf sc = {
		.path = cf->dhcp->script,
		.user = cf->dhcp->script_user,
		.debug = d->debug,
		.log_dhcp = conf_flag(cf, CONF_KW_LOG_DHCP),
	};
	char msg[512];
	int code;

	/* dnsmasq forks it for DHCP or TFTP (dnsmasq.c, create_helper) */
	if ((d->dhcp == NULL && d->tftp == NULL) || sc.path == NULL)
		return;
	if (script_start(&d->script, &sc, &d->ev, msg, sizeof(msg),
	    &code) < 0)
		daemon_die(d, code, "%s", msg);
	if (d->dhcp != NULL)
		dhcpd_set_script(d->dhcp, d->script);
	if (d->tftp != NULL)
		tftpd_set_script(d->tftp, d->script);
}

/* --- DHCP lease names for DNS ------------------------------------------ */

/* The domain lease names get (domain=, or the resolv.conf search). */
static const char *
daemon_lease_domain(const struct conf *cf)
{
	const char *dom = cf->dhcp->domain_from_resolv ?
	    cf->dhcp->domain_resolved : cf->dhcp->domain_suffix;

	return dom != NULL && dom[0] != '\0' ? dom : NULL;
}

/* NAME or NAME.DOMAIN (lower case) -> a live lease's address. */
static bool
daemon_lease_by_name(void *arg, const char *name, struct in_addr *out)
{
	struct daemon *d = arg;
	const char *dom = daemon_lease_domain(d->cf), *dot;
	char host[LEASE_NAME_MAX + 1];
	struct lease_table *t;
	struct lease *l;
	size_t hl;

	if (d->dhcp == NULL || (t = dhcpd_leases(d->dhcp)) == NULL)
		return false;
	if ((dot = strchr(name, '.')) != NULL) {
		if (dom == NULL || strcasecmp(dot + 1, dom) != 0)
			return false;
		hl = (size_t)(dot - name);
	} else {
		hl = strlen(name);
	}
	if (hl == 0 || hl >= sizeof(host))
		return false;
	memcpy(host, name, hl);
	host[hl] = '\0';
	l = lease_find_by_name(t, host);
	if (l == NULL || l->expires_ms <= ev_now_ms(&d->ev))
		return false;
	*out = l->addr;
	return true;
}

/* tftp-unique-root=mac: the MAC of the lease holding a, when it is an
 * Ethernet address (dnsmasq's tftp.c asks lease_find_by_addr() before
 * the ARP table). */
static bool
daemon_tftp_mac(void *arg, struct in_addr a, uint8_t mac[6])
{
	struct daemon *d = arg;
	struct lease_table *t;
	struct lease *l;

	if (d->dhcp == NULL || (t = dhcpd_leases(d->dhcp)) == NULL)
		return false;
	l = lease_find_by_addr(t, a);
	if (l == NULL || l->htype != 1 || l->hlen != 6)	/* ARPHRD_ETHER */
		return false;
	memcpy(mac, l->hwaddr, 6);
	return true;
}

/* A live lease's address -> NAME.DOMAIN, or NAME without a domain. */
static bool
daemon_lease_by_addr(void *arg, struct in_addr a, char *name, size_t size)
{
	struct daemon *d = arg;
	const char *dom = daemon_lease_domain(d->cf);
	struct lease_table *t;
	struct lease *l;

	if (d->dhcp == NULL || (t = dhcpd_leases(d->dhcp)) == NULL)
		return false;
	l = lease_find_by_addr(t, a);
	if (l == NULL || l->hostname[0] == '\0' ||
	    l->expires_ms <= ev_now_ms(&d->ev))
		return false;
	if (dom != NULL)
		snprintf(name, size, "%s.%s", l->hostname, dom);
	else
		snprintf(name, size, "%s", l->hostname);
	return true;
}

/* The whole seconds the live lease of a has left, UINT32_MAX for an
 * infinite one (the TTL of its names: rfc1035.c crec_ttl()). */
static bool
daemon_lease_left(void *arg, struct in_addr a, uint32_t *secs)
{
	struct daemon *d = arg;
	struct lease_table *t;
	struct lease *l;
	int64_t now, left;

	if (d->dhcp == NULL || (t = dhcpd_leases(d->dhcp)) == NULL)
		return false;
	now = ev_now_ms(&d->ev);
	if ((l = lease_find_by_addr(t, a)) == NULL || l->expires_ms <= now)
		return false;
	if (l->expires_ms == CLOCK_INFINITE_MS) {
		*secs = UINT32_MAX;
		return true;
	}
	/* whole seconds up, as time_t expiry minus time(NULL) gives */
	left = (l->expires_ms - now + 999) / 1000;
	*secs = left > (int64_t)UINT32_MAX - 1 ? UINT32_MAX - 1 :
	    (uint32_t)left;
	return true;
}

/* lease.c lease_update_dns(): every named live lease, NAME.DOMAIN then
 * NAME, against the hosts files, when the leases changed or forced (start
 * and SIGHUP). */
static void
daemon_dns_lease_check(struct daemon *d, bool force)
{
	const char *dom = daemon_lease_domain(d->cf);
	struct lease_table *t;
	struct lease *l;
	int64_t now;

	if (d->dns == NULL || d->dhcp == NULL ||
	    (t = dhcpd_leases(d->dhcp)) == NULL)
		return;
	if (!force && lease_table_gen(t) == d->dns_lease_gen)
		return;
	d->dns_lease_gen = lease_table_gen(t);
	now = ev_now_ms(&d->ev);
	for (l = lease_first(t); l != NULL; l = lease_next(l)) {
		char fqdn[LEASE_NAME_MAX + 256];

		if (l->hostname[0] == '\0' || l->expires_ms <= now)
			continue;
		if (dom != NULL) {
			snprintf(fqdn, sizeof(fqdn), "%s.%s", l->hostname, dom);
			dnsd_lease_name_check(d->dns, fqdn, l->addr);
		}
		dnsd_lease_name_check(d->dns, l->hostname, l->addr);
	}
}

static void
daemon_dns_leases(struct daemon *d)
{
	struct dnsd_lease_ops ops = {
		.arg = d,
		.by_name = daemon_lease_by_name,
		.by_addr = daemon_lease_by_addr,
		.left = daemon_lease_left,
	};

	dnsd_set_leases(d->dns, &ops);
}

/* What the configuration will need from the kernel (priv.h's rule). */
static void
daemon_needs(const struct conf *cf, struct priv_needs *n)
{
	memset(n, 0, sizeof(*n));
	n->dhcp = cf->dhcp->ranges != NULL;
	n->late_bind = conf_flag(cf, CONF_KW_BIND_DYNAMIC);
	n->dhcp_port = 67;
	n->dns_port = cf->dns->port;
	n->tftp_port = cf->tftp->enabled ? 69 : 0;
}

/* An interface= name (a pattern) that no interface with an address
 * matches: dnsmasq.c warns of it at start unless bind-interfaces, the
 * last written first (its list is built by prepending). */
static void
daemon_warn_iface(const struct conf_str *s, const struct ifaddrs *ifa)
{
	const struct ifaddrs *i;

	if (s == NULL)
		return;
	daemon_warn_iface(s->next, ifa);
	if (s->s == NULL)
		return;
	for (i = ifa; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_name != NULL &&
		    (i->ifa_addr->sa_family == AF_INET ||
		    i->ifa_addr->sa_family == AF_INET6) &&
		    iface_wildcard_match(s->s, i->ifa_name))
			return;
	log_warn(LOG_SVC_MAIN, "warning: interface %s does not currently "
	    "exist", s->s);
}

static void
daemon_warn_interfaces(const struct conf *cf)
{
	struct ifaddrs *ifa = NULL;

	if (cf->interfaces.n == 0 || conf_flag(cf, CONF_KW_BIND_INTERFACES) ||
	    getifaddrs(&ifa) != 0)
		return;
	daemon_warn_iface(cf->interfaces.head, ifa);
	freeifaddrs(ifa);
}

/* dnsmasq.c: no-resolv with a resolv-file, or with no server to
 * forward to. */
static void
daemon_warn_resolv(const struct conf *cf)
{
	const struct conf_dns_server *s;

	if (cf->dns->port == 0 || !conf_flag(cf, CONF_KW_NO_RESOLV))
		return;
	if (!cf->dns->resolv_default && cf->dns->resolv_files.n != 0)
		log_warn(LOG_SVC_MAIN, "warning: ignoring resolv-file flag "
		    "because no-resolv is set");
	for (s = cf->dns->servers; s != NULL; s = s->next)
		if (s->action == CONF_DNS_FORWARD)
			return;
	log_warn(LOG_SVC_MAIN, "warning: no upstream servers configured");
}

static void
daemon_log_started(struct daemon *d)
{
	const struct conf *cf = d->cf;

	if (cf->dns->port == 0)
		log_info(LOG_SVC_MAIN, "started, version %s DNS disabled",
		    PXEMASQ_VERSION);
	else if (cf->dns->cache_size > 0)
		log_info(LOG_SVC_MAIN, "started, version %s cachesize %u",
		    PXEMASQ_VERSION, (unsigned)cf->dns->cache_size);
	else
		log_info(LOG_SVC_MAIN, "started, version %s cache disabled",
		    PXEMASQ_VERSION);
	/* dnsmasq.c: with DNS on, after the "started" line */
	if (cf->dns->port != 0 &&
	    cf->dns->local_service_effective == CONF_DNS_LS_NET)
		log_info(LOG_SVC_MAIN, "DNS service limited to local subnets");
	else if (cf->dns->port != 0 &&
	    cf->dns->local_service_effective == CONF_DNS_LS_HOST)
		log_info(LOG_SVC_MAIN, "DNS service limited to localhost");
	log_info(LOG_SVC_MAIN, "compile time options: %s",
	    conf_features_string());
	daemon_warn_interfaces(cf);
	daemon_warn_resolv(cf);
}

/* The log sink queues when syslog would block; ask for POLLOUT then. */
static void
daemon_log_io_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	(void)ev;
	(void)io;
	(void)revents;
	log_flush();
}

static void
daemon_before_wait(struct ev_loop *ev, void *arg)
{
	struct daemon *d = arg;
	int fd;

	if (d->dhcp != NULL) {
		dhcpd_turn_end(d->dhcp);	/* one sync for the turn's ACKs */
		daemon_dns_lease_check(d, false);
	}
	if (d->dns != NULL)
		dnsd_flush(d->dns);	/* one sendmmsg for the turn's replies */
	fd = log_fd();

	if (d->log_io.added && (fd < 0 || fd != d->log_io.fd))
		ev_io_del(ev, &d->log_io);
	if (fd >= 0 && !d->log_io.added) {
		d->log_io.fd = fd;
		d->log_io.events = EPOLLOUT;
		d->log_io.cb = daemon_log_io_cb;
		d->log_io.data = d;
		ev_io_add(ev, &d->log_io);
	}
}

static void
daemon_open_log(struct daemon *d)
{
	struct log_opts o = {
		.target = d->cf->log_facility_num >= 0 ? NULL :
		    d->cf->log_facility,
		.facility = d->cf->log_facility_num,
		.debug = d->debug,
		.foreground = d->foreground,
		.syslog_path = getenv("PXEMASQ_SYSLOG_SOCKET"),
	};
	int rc = log_open(&o);

	if (rc < 0)
		daemon_die(d, EXIT_FILE, "cannot open log %s: %s", o.target,
		    strerror(-rc));
}

/* --metrics-listen: the text of one scrape. */
static void
daemon_metrics(void *arg, struct mx *m)
{
	struct daemon *d = arg;
	char lbl[160];

	snprintf(lbl, sizeof(lbl), "version=\"%s\",dhcp=\"%d\",dns=\"%d\","
	    "tftp=\"%d\"", PXEMASQ_VERSION, d->dhcp != NULL, d->dns != NULL,
	    d->tftp != NULL);
	mx_family(m, "pxemasq_build_info", "gauge",
	    "pxemasq's version and the services it runs.");
	mx_sample(m, "pxemasq_build_info", lbl, 1);
	mx_family(m, "pxemasq_uptime_seconds", "gauge",
	    "Seconds since pxemasq started.");
	mx_sample(m, "pxemasq_uptime_seconds", NULL,
	    (uint64_t)((ev_now_ms(&d->ev) - d->stats.started_ms) / 1000));
	mx_family(m, "pxemasq_signals_total", "counter",
	    "Signals handled, by signal.");
	mx_sample(m, "pxemasq_signals_total", "signal=\"HUP\"",
	    d->stats.sighup);
	mx_sample(m, "pxemasq_signals_total", "signal=\"USR1\"",
	    d->stats.sigusr1);
	mx_sample(m, "pxemasq_signals_total", "signal=\"USR2\"",
	    d->stats.sigusr2);
	mx_family(m, "pxemasq_log_lost_total", "counter",
	    "Log messages lost (syslog queue full).");
	mx_sample(m, "pxemasq_log_lost_total", NULL, log_lost());
	if (d->dhcp != NULL)
		dhcpd_metrics(d->dhcp, m);
	if (d->tftp != NULL)
		tftpd_metrics(d->tftp, m);
	if (d->dns != NULL)
		dnsd_metrics(d->dns, m);
	metrics_render_self(d->metrics, m);
}

/* dumpfile=: the services copy their packets to the dump (or not). */
static void
daemon_set_dump(struct daemon *d)
{
	if (d->dhcp != NULL)
		dhcpd_set_dump(d->dhcp, d->dump);
	if (d->dns != NULL)
		dnsd_set_dump(d->dns, d->dump);
	if (d->tftp != NULL)
		tftpd_set_dump(d->tftp, d->dump);
}

int
daemon_main(struct conf *cf, struct conf_cache *cc, int argc, char **argv)
{
	static struct daemon dd;	/* one per process; address escapes */
	struct daemon *d = &dd;
	struct priv_target tgt;
	struct priv_needs needs;
	unsigned caps;
	char msg[512];
	int rc;

	daemon_close_inherited();
	d->cf = cf;
	d->cache = cc;
	d->argc = argc;
	d->argv = argv;
	d->err_pipe = -1;
	d->debug = conf_flag(cf, CONF_KW_NO_DAEMON);
	d->foreground = conf_flag(cf, CONF_KW_KEEP_IN_FOREGROUND);
	/* an own copy: the configuration is replaced on SIGHUP */
	if (d->debug)
		d->pid_path = NULL;
	else if (cf->pid_file_set)	/* "pid-file=" empty: none */
		d->pid_path = cf->pid_file ? strdup(cf->pid_file) : NULL;
	else
		d->pid_path = strdup(PXEMASQ_PIDFILE);
	if (!d->debug && d->pid_path == NULL &&
	    (!cf->pid_file_set || cf->pid_file != NULL))
		daemon_die(d, EXIT_NOMEM, "could not get memory");

	daemon_needs(cf, &needs);
	caps = priv_caps_needed(&needs);
	if (priv_resolve(cf, d->debug, &tgt, msg, sizeof(msg)) < 0)
		daemon_die(d, EXIT_BADCONF, "%s", msg);
	if (geteuid() != 0 &&
	    priv_check(priv_caps_startup(&needs), msg, sizeof(msg)) < 0)
		daemon_die(d, EXIT_MISC, "%s", msg);
	if ((rc = ev_init(&d->ev)) < 0)
		daemon_die(d, EXIT_MISC, "cannot create event loop: %s",
		    strerror(-rc));
	/* dnsmasq.c: the two modes exclude each other (at start-up only:
	 * --test accepts both) */
	if (conf_flag(cf, CONF_KW_BIND_INTERFACES) &&
	    conf_flag(cf, CONF_KW_BIND_DYNAMIC))
		daemon_die(d, EXIT_BADCONF, "cannot set --bind-interfaces and "
		    "--bind-dynamic");
	daemon_open_log(d);

	/* Protocol sockets and files are opened here, as root. */
	if (cf->dumpfile != NULL) {
		int code;

		d->dump = pcapdump_open(cf->dumpfile, cf->dumpmask, msg,
		    sizeof(msg), &code);
		if (d->dump == NULL)
			daemon_die(d, code, "%s", msg);
	}
	if (dhcpd_wanted(cf)) {
		int code;

		d->dhcp = dhcpd_open(&d->ev, cf, msg, sizeof(msg), &code);
		if (d->dhcp == NULL)
			daemon_die(d, code, "%s", msg);
	}
	if (dnsd_wanted(cf)) {
		int code;

		d->dns = dnsd_open(&d->ev, cf, msg, sizeof(msg), &code);
		if (d->dns == NULL)
			daemon_die(d, code, "%s", msg);
		daemon_dns_leases(d);
	}
	if (tftpd_wanted(cf)) {
		int code;

		d->tftp = tftpd_open(&d->ev, cf, msg, sizeof(msg), &code);
		if (d->tftp == NULL)
			daemon_die(d, code, "%s", msg);
		tftpd_set_mac_lookup(d->tftp, daemon_tftp_mac, d);
	}

	daemon_set_dump(d);
	if (metrics_wanted(cf)) {
		d->metrics = metrics_open(&d->ev, cf, msg, sizeof(msg));
		if (d->metrics == NULL)
			daemon_die(d, EXIT_BADNET, "%s", msg);
		metrics_set_render(d->metrics, daemon_metrics, d);
	}
	daemon_watch_dirs(d);

	if (!d->debug) {
		if (chdir("/") != 0)
			daemon_die(d, EXIT_MISC,
			    "cannot chdir to filesystem root: %s",
			    strerror(errno));
		if (!d->foreground)
			daemon_background(d);
	}
	daemon_write_pid(d);
	daemon_start_script(d);
	if (tgt.change_ids && tgt.set_uid && geteuid() == 0 &&
	    (rc = log_chown(tgt.uid)) < 0)
		log_warn(LOG_SVC_MAIN, "warning: failed to change owner of %s: %s",
		    cf->log_facility ? cf->log_facility : "log",
		    strerror(-rc));
	if (priv_drop(&tgt, caps, msg, sizeof(msg)) < 0)
		daemon_die(d, EXIT_MISC, "%s", msg);
	/* dnsmasq checks the TFTP roots as the run user */
	if (d->tftp != NULL) {
		int code;

		if (tftpd_check_roots(d->tftp, msg, sizeof(msg), &code) < 0)
			daemon_die(d, code, "%s", msg);
	}
	d->ev.before_wait = daemon_before_wait;
	d->ev.before_wait_arg = d;
	if ((rc = daemon_signals(d)) < 0)
		daemon_die(d, EXIT_MISC, "cannot set up signals: %s",
		    strerror(-rc));
	d->stats.started_ms = ev_now_ms(&d->ev);
	daemon_log_started(d);
	if (d->dns != NULL)
		dnsd_log_started(d->dns);
	if (d->dhcp != NULL)
		dhcpd_log_started(d->dhcp);
	if (d->tftp != NULL)
		tftpd_log_started(d->tftp);
	if (d->metrics != NULL)
		metrics_log_started(d->metrics);
	daemon_reload(d, false);	/* the dynamic files, now the log is open */
	if (d->err_pipe >= 0) {
		close(d->err_pipe);	/* the shell's process exits 0 */
		d->err_pipe = -1;
		daemon_stdio_null();
	}
	rc = ev_run(&d->ev);
	if (rc < 0)
		log_err(LOG_SVC_MAIN, "event loop failed: %s", strerror(-rc));
	daemon_unwatch_dirs(d);
	if (d->tftp != NULL)
		tftpd_set_script(d->tftp, NULL);
	script_close(d->script);	/* pending events handed over */
	d->script = NULL;
	dnsd_close(d->dns);
	d->dns = NULL;
	if (d->dhcp != NULL)
		dhcpd_close(d->dhcp);	/* lease state written */
	tftpd_close(d->tftp);
	d->tftp = NULL;
	pcapdump_close(d->dump);
	d->dump = NULL;
	metrics_close(d->metrics);
	d->metrics = NULL;
	log_close();
	ev_fini(&d->ev);
	daemon_hosts_clear(d);
	ethers_free(d->ethers);
	d->ethers = NULL;
	conf_free(d->cf);
	conf_cache_free(d->cache);
	free(d->pid_path);
	return rc < 0 ? EXIT_MISC : d->exit_code;
}
