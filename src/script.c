/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * script.c - dhcp-script: records, the helper process, the daemon's queue
 * and leasefile-ro's "init" (see script.h for the facts and the design).
 */
#include "script.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "dhcp_server.h"
#include "dnsname.h"
#include "ev.h"
#include "iface.h"
#include "lease.h"
#include "log.h"

extern char **environ;

/* --- records ------------------------------------------------------------- */

enum {
	REC_EVENT = 1,		/* daemon -> helper */
	REC_TFTP = 10,		/* daemon -> helper: a TFTP event */
	MSG_READY = 2,		/* helper -> daemon: set-up done */
	MSG_USER_ERR,		/* value errno, text the user */
	MSG_CAP_ERR,		/* value errno */
	MSG_EXITED,		/* value exit status (not 0) */
	MSG_KILLED,		/* value signal */
	MSG_EXEC_ERR,		/* value errno */
	MSG_LOG,		/* text: one output line */
	MSG_BAD,		/* value enum script_bad: a record refused */
};

#define EV_HDR_LEN 32
#define MSG_HDR_LEN 8
#define EXTRA_FLAG 1u

static const char *const bad_names[SCRIPT_BAD_COUNT] = {
	"ok", "short", "long", "version", "type", "action", "field",
};

const char *
script_bad_name(enum script_bad why)
{
	return (unsigned)why < SCRIPT_BAD_COUNT ? bad_names[why] : "?";
}

/* Appends one extradata field as dnsmasq's lease_add_extradata() with a
 * NUL delimiter: the bytes up to an embedded NUL, then the NUL. */
static void
extra_field(struct wr *w, const struct dhcp_bytes *b, bool keep_nuls)
{
	size_t n = b->p != NULL ? b->len : 0;

	if (!keep_nuls && n != 0) {
		const void *z = memchr(b->p, 0, n);

		if (z != NULL)
			n = (size_t)((const uint8_t *)z - b->p);
	}
	wr_bytes(w, b->p, n);
	wr_u8(w, 0);
}

/* The extradata blob: every field in dnsmasq's order, then the user
 * classes (only when option 77 was there).  Returns its length; 0 when
 * the event has none, or when it does not fit (then DATA_MISSING). */
static size_t
extra_encode(const struct dhcp_lease_event *ev, uint8_t *out, size_t cap)
{
	struct wr w;
	unsigned i;

	if (!ev->has_extra)
		return 0;
	wr_init(&w, out, cap);
	for (i = 0; i < DHCP_LF_COUNT; i++)
		extra_field(&w, &ev->field[i], false);
	if (ev->user_class.p != NULL)
		extra_field(&w, &ev->user_class, true);
	return wr_ok(&w) ? wr_mark(&w) : 0;
}

int
script_encode(const struct dhcp_lease_event *ev, const char *ifname,
    uint8_t *buf, size_t cap)
{
	const struct lease *l = ev->lease;
	uint8_t extra[SCRIPT_EXTRA_MAX];
	size_t xlen = extra_encode(ev, extra, sizeof(extra));
	size_t ilen = ifname != NULL ? strnlen(ifname, IF_NAMESIZE - 1) : 0;
	size_t nlen = ev->name != NULL ? strlen(ev->name) : 0;
	size_t hlen = l->hlen > SCRIPT_HWADDR_MAX ? SCRIPT_HWADDR_MAX : l->hlen;
	uint64_t ex = (uint64_t)(int64_t)ev->expires;
	struct wr w;

	if (nlen > SCRIPT_NAME_MAX)
		nlen = 0;	/* cannot be a legal name: none */
	wr_init(&w, buf, cap);
	wr_u8(&w, SCRIPT_REC_VERSION);
	wr_u8(&w, REC_EVENT);
	wr_u8(&w, (uint8_t)(ev->action == DHCP_LEASE_ADD ? SCRIPT_ADD :
	    ev->action == DHCP_LEASE_OLD ? SCRIPT_OLD :
	    ev->action == DHCP_LEASE_DEL ? SCRIPT_DEL : SCRIPT_OLD_HOSTNAME));
	wr_u8(&w, ev->has_extra && xlen != 0 ? EXTRA_FLAG : 0);
	wr_u8(&w, l->htype);
	wr_u8(&w, (uint8_t)hlen);
	wr_u8(&w, l->clid != NULL ? l->clid_len : 0);
	wr_u8(&w, (uint8_t)ilen);
	wr_bytes(&w, &l->addr, 4);
	wr_bytes(&w, &l->giaddr, 4);
	wr_be32(&w, (uint32_t)(ex >> 32));
	wr_be32(&w, (uint32_t)ex);
	wr_be32(&w, ev->remaining);
	wr_be16(&w, (uint16_t)nlen);
	wr_be16(&w, (uint16_t)xlen);
	wr_bytes(&w, l->hwaddr, hlen);
	if (l->clid != NULL)
		wr_bytes(&w, l->clid, l->clid_len);
	wr_bytes(&w, ifname, ilen);
	wr_bytes(&w, ev->name, nlen);
	wr_bytes(&w, extra, xlen);
	return wr_ok(&w) ? (int)wr_mark(&w) : -ENOSPC;
}

/* TFTP record: version, type, family (4 or 6), 0, size (two be32),
 * address (16 bytes, IPv4 in the first 4), path length (be16), path. */
int
script_encode_tftp(uint64_t size, int family, const void *addr,
    const char *path, uint8_t *buf, size_t cap)
{
	uint8_t a[16] = { 0 };
	size_t plen = strlen(path);
	struct wr w;

	if (plen > SCRIPT_PATH_MAX)
		return -ENOSPC;
	memcpy(a, addr, family == AF_INET6 ? 16 : 4);
	wr_init(&w, buf, cap);
	wr_u8(&w, SCRIPT_REC_VERSION);
	wr_u8(&w, REC_TFTP);
	wr_u8(&w, family == AF_INET6 ? 6 : 4);
	wr_u8(&w, 0);
	wr_be32(&w, (uint32_t)(size >> 32));
	wr_be32(&w, (uint32_t)size);
	wr_bytes(&w, a, sizeof(a));
	wr_be16(&w, (uint16_t)plen);
	wr_bytes(&w, path, plen);
	return wr_ok(&w) ? (int)wr_mark(&w) : -ENOSPC;
}

/* A string field: no NUL inside, copied NUL terminated. */
static bool
dec_str(struct rd *r, size_t n, char *out, size_t outsz)
{
	const uint8_t *p = rd_ptr(r, n);

	if (p == NULL || n >= outsz || memchr(p, 0, n) != NULL)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

static enum script_bad
script_decode_tftp(struct rd *r, struct script_event *e)
{
	unsigned fam, zero, plen;
	uint8_t a[16];
	uint64_t size;

	fam = rd_u8(r);
	zero = rd_u8(r);
	size = (uint64_t)rd_be32(r) << 32;
	size |= rd_be32(r);
	rd_bytes(r, a, sizeof(a));
	plen = rd_be16(r);
	if (!rd_ok(r))
		return SCRIPT_BAD_SHORT;
	if ((fam != 4 && fam != 6) || zero != 0 || plen > SCRIPT_PATH_MAX)
		return SCRIPT_BAD_FIELD;
	e->action = SCRIPT_TFTP;
	e->file_size = size;
	e->family = fam == 6 ? AF_INET6 : AF_INET;
	if (fam == 6)
		memcpy(&e->addr6, a, 16);
	else
		memcpy(&e->addr, a, 4);
	if (!dec_str(r, plen, e->path, sizeof(e->path)))
		return rd_ok(r) ? SCRIPT_BAD_FIELD : SCRIPT_BAD_SHORT;
	return rd_left(r) != 0 ? SCRIPT_BAD_LONG : SCRIPT_OK;
}

enum script_bad
script_decode(const uint8_t *buf, size_t len, struct script_event *e)
{
	unsigned ver, type, action, fl, ilen, nlen, xlen;
	uint64_t ex;
	struct rd r;

	memset(e, 0, sizeof(*e));
	rd_init(&r, buf, len);
	if (len >= 2 && buf[0] == SCRIPT_REC_VERSION && buf[1] == REC_TFTP) {
		(void)rd_u8(&r);
		(void)rd_u8(&r);
		return script_decode_tftp(&r, e);
	}
	ver = rd_u8(&r);
	type = rd_u8(&r);
	action = rd_u8(&r);
	fl = rd_u8(&r);
	e->htype = rd_u8(&r);
	e->hlen = rd_u8(&r);
	e->clid_len = rd_u8(&r);
	ilen = rd_u8(&r);
	rd_bytes(&r, &e->addr, 4);
	rd_bytes(&r, &e->giaddr, 4);
	ex = (uint64_t)rd_be32(&r) << 32;
	ex |= rd_be32(&r);
	e->remaining = rd_be32(&r);
	nlen = rd_be16(&r);
	xlen = rd_be16(&r);
	if (!rd_ok(&r))
		return SCRIPT_BAD_SHORT;
	if (ver != SCRIPT_REC_VERSION)
		return SCRIPT_BAD_VERSION;
	if (type != REC_EVENT)
		return SCRIPT_BAD_TYPE;
	if (action >= SCRIPT_TFTP)	/* lease events only */
		return SCRIPT_BAD_ACTION;
	if (e->hlen > SCRIPT_HWADDR_MAX || ilen >= IF_NAMESIZE ||
	    nlen > SCRIPT_NAME_MAX || xlen > SCRIPT_EXTRA_MAX ||
	    (fl & ~EXTRA_FLAG) != 0 || ((fl & EXTRA_FLAG) != 0) != (xlen != 0))
		return SCRIPT_BAD_FIELD;
	e->action = (enum script_action)action;
	e->expires = (int64_t)ex;
	e->has_extra = xlen != 0;
	rd_bytes(&r, e->hwaddr, e->hlen);
	rd_bytes(&r, e->clid, e->clid_len);
	if (!rd_ok(&r))
		return SCRIPT_BAD_SHORT;
	if (!dec_str(&r, ilen, e->ifname, sizeof(e->ifname)) ||
	    !dec_str(&r, nlen, e->name, sizeof(e->name)))
		return rd_ok(&r) ? SCRIPT_BAD_FIELD : SCRIPT_BAD_SHORT;
	e->extra_len = (uint16_t)xlen;
	rd_bytes(&r, e->extra, xlen);
	if (!rd_ok(&r))
		return SCRIPT_BAD_SHORT;
	return rd_left(&r) != 0 ? SCRIPT_BAD_LONG : SCRIPT_OK;
}

/* --- argv and envp ------------------------------------------------------- */

char *
script_mac_text(char *out, size_t outsz, uint8_t htype, const uint8_t *hw,
    size_t hlen)
{
	size_t used = 0, i;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	if (hlen > SCRIPT_HWADDR_MAX)
		hlen = SCRIPT_HWADDR_MAX;
	/* helper.c: the type first unless Ethernet with an address */
	if ((htype != 1 || hlen == 0) && used + 4 <= outsz)
		used += (size_t)snprintf(out, outsz, "%.2x-", htype);
	for (i = 0; i < hlen && used + 4 <= outsz; i++)
		used += (size_t)snprintf(out + used, outsz - used, "%.2x%s",
		    hw[i], i + 1 < hlen ? ":" : "");
	return out;
}

/* The names dnsmasq's helper sets or unsets for a DHCPv4 lease (with
 * DHCPv6 built in, as Debian's: IAID, SERVER_DUID and MAC are unset). */
static const char *const env_names[] = {
	"DNSMASQ_IAID", "DNSMASQ_SERVER_DUID", "DNSMASQ_MAC",
	"DNSMASQ_CLIENT_ID", "DNSMASQ_INTERFACE", "DNSMASQ_LEASE_EXPIRES",
	"DNSMASQ_DOMAIN", "DNSMASQ_DATA_MISSING", "DNSMASQ_VENDOR_CLASS",
	"DNSMASQ_SUPPLIED_HOSTNAME", "DNSMASQ_CPEWAN_OUI",
	"DNSMASQ_CPEWAN_SERIAL", "DNSMASQ_CPEWAN_CLASS", "DNSMASQ_CIRCUIT_ID",
	"DNSMASQ_SUBSCRIBER_ID", "DNSMASQ_REMOTE_ID",
	"DNSMASQ_REQUESTED_OPTIONS", "DNSMASQ_MUD_URL", "DNSMASQ_TAGS",
	"DNSMASQ_RELAY_ADDRESS", "DNSMASQ_TIME_REMAINING",
	"DNSMASQ_OLD_HOSTNAME", "DNSMASQ_LOG_DHCP",
};

/* The extradata names, in the blob's order (helper.c, IPv4). */
static const char *const extra_names[DHCP_LF_COUNT] = {
	"DNSMASQ_VENDOR_CLASS", "DNSMASQ_SUPPLIED_HOSTNAME",
	"DNSMASQ_CPEWAN_OUI", "DNSMASQ_CPEWAN_SERIAL", "DNSMASQ_CPEWAN_CLASS",
	"DNSMASQ_CIRCUIT_ID", "DNSMASQ_SUBSCRIBER_ID", "DNSMASQ_REMOTE_ID",
	"DNSMASQ_REQUESTED_OPTIONS", "DNSMASQ_MUD_URL", "DNSMASQ_TAGS",
};

static bool
env_is_ours(const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t n = eq != NULL ? (size_t)(eq - kv) : strlen(kv), i;
	static const char uc[] = "DNSMASQ_USER_CLASS";

	for (i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++)
		if (strlen(env_names[i]) == n &&
		    memcmp(env_names[i], kv, n) == 0)
			return true;
	if (n > sizeof(uc) - 1 && memcmp(kv, uc, sizeof(uc) - 1) == 0) {
		for (i = sizeof(uc) - 1; i < n; i++)
			if (kv[i] < '0' || kv[i] > '9')
				return false;
		return true;
	}
	return false;
}

/* Where the strings of one run are built. */
struct sb {
	char *buf;
	size_t len, cap;
	char **envp;
	size_t nenv, envcap;
};

static char *
sb_add(struct sb *b, const char *s1, const char *s2)
{
	size_t n1 = strlen(s1), n2 = s2 != NULL ? strlen(s2) : 0;
	char *p = b->buf + b->len;

	if (b->len + n1 + n2 + 1 > b->cap)
		return NULL;
	memcpy(p, s1, n1);
	if (n2 != 0)
		memcpy(p + n1, s2, n2);
	p[n1 + n2] = '\0';
	b->len += n1 + n2 + 1;
	return p;
}

/* my_setenv(): NULL unsets (the name was already taken out of the base
 * environment), anything else sets NAME=value. */
static void
sb_env(struct sb *b, const char *name, const char *val)
{
	char *p;

	if (val == NULL || b->nenv + 1 >= b->envcap)
		return;
	if ((p = sb_add(b, name, NULL)) == NULL)
		return;
	b->len--;		/* overwrite the NUL */
	if (sb_add(b, "=", val) == NULL) {
		b->len = (size_t)(p - b->buf);
		return;
	}
	b->envp[b->nenv++] = p;
}

/* dnsmasq's grab_extradata(): the next field of the blob, cut at its first
 * '=' (values never carry one), NULL when empty; *pos becomes SIZE_MAX
 * when the blob ended or a field is not terminated. */
static const char *
grab(char *x, size_t end, size_t *pos)
{
	size_t start = *pos, i;
	char *eq;

	if (start == SIZE_MAX || start >= end) {
		*pos = SIZE_MAX;
		return NULL;
	}
	for (i = start; i < end && x[i] != '\0'; i++)
		;
	if (i == end) {
		*pos = SIZE_MAX;
		return NULL;
	}
	*pos = i + 1;
	if (i == start)
		return NULL;
	if ((eq = strchr(x + start, '=')) != NULL)
		*eq = '\0';
	return x + start;
}

static void
build_env_extra(struct sb *b, struct script_event *e)
{
	char name[40], *x = (char *)e->extra;
	const char *v;
	size_t pos = 0, end = e->extra_len;
	unsigned i;

	if (!e->has_extra)
		sb_env(b, "DNSMASQ_DATA_MISSING", "1");
	for (i = 0; i < DHCP_LF_COUNT; i++) {
		v = grab(x, end, &pos);
		sb_env(b, extra_names[i], v);
		if (i == DHCP_LF_TAGS)
			break;
	}
	/* RELAY_ADDRESS sits between TAGS and the user classes */
	if (e->giaddr.s_addr != 0) {
		char a[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &e->giaddr, a, sizeof(a));
		sb_env(b, "DNSMASQ_RELAY_ADDRESS", a);
	}
	for (i = 0; pos != SIZE_MAX; i++) {
		snprintf(name, sizeof(name), "DNSMASQ_USER_CLASS%u", i);
		v = grab(x, end, &pos);
		sb_env(b, name, v);
	}
}

static void
build_env(struct sb *b, struct script_event *e, const char *host,
    const char *domain, bool log_dhcp)
{
	char t[32], clid[3 * 255 + 1];
	size_t i, used = 0;

	for (i = 0; i < e->clid_len; i++)
		used += (size_t)snprintf(clid + used, sizeof(clid) - used,
		    "%.2x%s", e->clid[i], i + 1 < e->clid_len ? ":" : "");
	sb_env(b, "DNSMASQ_CLIENT_ID", e->clid_len != 0 ? clid : NULL);
	sb_env(b, "DNSMASQ_INTERFACE", e->ifname[0] != '\0' ? e->ifname :
	    NULL);
	/* no HAVE_BROKEN_RTC in Debian's build: the absolute expiry */
	snprintf(t, sizeof(t), "%lu", (unsigned long)e->expires);
	sb_env(b, "DNSMASQ_LEASE_EXPIRES", t);
	sb_env(b, "DNSMASQ_DOMAIN", domain);
	build_env_extra(b, e);
	snprintf(t, sizeof(t), "%u", e->remaining);
	sb_env(b, "DNSMASQ_TIME_REMAINING",
	    e->action != SCRIPT_DEL && e->remaining != 0 ? t : NULL);
	sb_env(b, "DNSMASQ_OLD_HOSTNAME",
	    e->action == SCRIPT_OLD_HOSTNAME ? host : NULL);
	sb_env(b, "DNSMASQ_LOG_DHCP", log_dhcp ? "1" : NULL);
}

/* helper.c for ACTION_TFTP: BASENAME tftp SIZE ADDR PATH, no variables
 * of its own. */
static void
script_tftp_argv(struct sb *b, const struct script_event *e,
    const char *name, struct script_exec *out)
{
	char size[24], ip[INET6_ADDRSTRLEN];

	snprintf(size, sizeof(size), "%llu", (unsigned long long)e->file_size);
	if (inet_ntop(e->family, e->family == AF_INET6 ?
	    (const void *)&e->addr6 : (const void *)&e->addr, ip,
	    sizeof(ip)) == NULL)
		ip[0] = '\0';
	out->argv[0] = sb_add(b, name, NULL);
	out->argv[1] = sb_add(b, "tftp", NULL);
	out->argv[2] = sb_add(b, size, NULL);
	out->argv[3] = sb_add(b, ip, NULL);
	out->argv[4] = sb_add(b, e->path, NULL);
	out->envp = b->envp;
	out->strings = b->buf;
}

void
script_exec_free(struct script_exec *x)
{
	free(x->envp);
	free(x->strings);
	x->envp = NULL;
	x->strings = NULL;
}

int
script_build_exec(const struct script_event *ev, const char *path,
    bool log_dhcp, char *const *base, struct script_exec *out)
{
	static const char *const act[SCRIPT_ACTION_COUNT] = {
		"add", "old", "del", "old", "tftp",
	};
	struct script_event *e;
	char mac[3 * SCRIPT_HWADDR_MAX + 4], ip[INET_ADDRSTRLEN];
	char *host = NULL, *domain = NULL, *dot;
	const char *slash = strrchr(path, '/');
	size_t nbase = 0, i;
	struct sb b;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	for (i = 0; base != NULL && base[i] != NULL; i++)
		nbase++;
	if ((e = malloc(sizeof(*e))) == NULL)
		return -ENOMEM;
	*e = *ev;
	b.cap = strlen(path) + 4096 + 3 * sizeof(e->clid) +
	    2 * (size_t)e->extra_len + 40 * (SCRIPT_ENV_OWN_MAX +
	    (size_t)e->extra_len);
	b.envcap = nbase + SCRIPT_ENV_OWN_MAX + e->extra_len + 1;
	b.buf = malloc(b.cap);
	b.envp = calloc(b.envcap, sizeof(char *));
	if (b.buf == NULL || b.envp == NULL) {
		free(b.buf);
		free(b.envp);
		free(e);
		return -ENOMEM;
	}
	/* the host name: legal, then split at the first dot */
	if (e->name[0] != '\0' && dnsname_legal_hostname(e->name)) {
		host = e->name;
		if ((dot = strchr(host, '.')) != NULL) {
			*dot = '\0';
			domain = dot + 1;
		}
	}
	for (i = 0; i < nbase; i++)
		if (!env_is_ours(base[i]))
			b.envp[b.nenv++] = base[i];
	if (e->action == SCRIPT_TFTP) {
		script_tftp_argv(&b, e, slash != NULL ? slash + 1 : path, out);
		free(e);
		if (out->argv[4] != NULL)
			return 0;
		script_exec_free(out);
		return -ENOMEM;
	}
	build_env(&b, e, host, domain, log_dhcp);
	script_mac_text(mac, sizeof(mac), e->htype, e->hwaddr, e->hlen);
	inet_ntop(AF_INET, &e->addr, ip, sizeof(ip));
	out->argv[0] = sb_add(&b, slash != NULL ? slash + 1 : path, NULL);
	out->argv[1] = sb_add(&b, act[e->action], NULL);
	out->argv[2] = sb_add(&b, mac, NULL);
	out->argv[3] = sb_add(&b, ip, NULL);
	if (host != NULL && e->action != SCRIPT_OLD_HOSTNAME)
		out->argv[4] = sb_add(&b, host, NULL);
	out->envp = b.envp;
	out->strings = b.buf;
	free(e);
	if (out->argv[3] == NULL) {
		script_exec_free(out);
		return -ENOMEM;
	}
	return 0;
}

/* --- the helper ---------------------------------------------------------- */

#define HELPER_FD 3

struct helper {
	const char *path;
	bool debug, log_dhcp;
	bool change_ids;
	uid_t uid;
	gid_t gid;
	const char *user;
	uint8_t buf[SCRIPT_REC_MAX];
};

static void
helper_msg(int fd, unsigned type, uint32_t value, const char *text,
    size_t tlen)
{
	uint8_t b[MSG_HDR_LEN + SCRIPT_LINE_MAX];
	struct wr w;

	if (tlen > SCRIPT_LINE_MAX)
		tlen = SCRIPT_LINE_MAX;
	wr_init(&w, b, sizeof(b));
	wr_u8(&w, SCRIPT_REC_VERSION);
	wr_u8(&w, (uint8_t)type);
	wr_be16(&w, (uint16_t)tlen);
	wr_be32(&w, value);
	wr_bytes(&w, text, tlen);
	while (send(fd, b, wr_mark(&w), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static void
helper_signals(void (*disp)(int))
{
	static const int sigs[] = {
		SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
	};
	struct sigaction sa;
	sigset_t none;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = disp;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Every descriptor but 0, 1, 2 and keep (moved to HELPER_FD). */
static int
helper_close_fds(int keep)
{
	long max, fd;

	if (keep != HELPER_FD) {
		if (dup2(keep, HELPER_FD) < 0)
			return -1;
		close(keep);
	}
	if (fcntl(HELPER_FD, F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	if (close_range(HELPER_FD + 1, ~0u, 0) == 0)
		return 0;
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = HELPER_FD + 1; fd < max; fd++)
		close((int)fd);
	return 0;
}

/* The one privilege decision (script.h): switch to dhcp-scriptuser, or,
 * when not root, keep no capability at all.  Returns 0 or reports. */
static int
helper_privs(const struct helper *h)
{
	cap_t none;
	int rc;

	if (h->change_ids) {
		if (setgroups(0, NULL) < 0 || setgid(h->gid) < 0 ||
		    setuid(h->uid) < 0) {
			helper_msg(HELPER_FD, MSG_USER_ERR, (uint32_t)errno,
			    h->user, strlen(h->user));
			return -1;
		}
		return 0;
	}
	if (geteuid() == 0)
		return 0;	/* root's script, as dnsmasq's */
	if ((none = cap_init()) == NULL)
		rc = -1;
	else {
		rc = cap_set_proc(none);
		cap_free(none);
	}
	if (rc == 0 && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0,
	    0) < 0 && errno != EINVAL)
		rc = -1;
	if (rc < 0) {
		helper_msg(HELPER_FD, MSG_CAP_ERR, (uint32_t)errno, NULL, 0);
		return -1;
	}
	return 0;
}

/* The script's side of the fork. */
static void __attribute__((noreturn))
helper_exec(const struct helper *h, const struct script_exec *x, int out)
{
	int e;

	helper_signals(SIG_DFL);
	if (out >= 0) {
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
		if (out > STDERR_FILENO)
			close(out);
	}
	execve(h->path, x->argv, x->envp);
	e = errno;
	/* HELPER_FD is still open: exec failed */
	helper_msg(HELPER_FD, MSG_EXEC_ERR, (uint32_t)e, NULL, 0);
	_exit(0);
}

/* Sends the script's output as lines (fgets() as dnsmasq reads them: a
 * NUL ends the text of its line; a last line without newline counts). */
static void
helper_read_output(int fd)
{
	char chunk[4096], line[SCRIPT_LINE_MAX];
	size_t used = 0;
	bool cut = false, any = false;
	ssize_t n, i;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			char c = chunk[i];

			any = true;
			if (c == '\n') {
				helper_msg(HELPER_FD, MSG_LOG, 0, line, used);
				used = 0;
				cut = any = false;
				continue;
			}
			if (used == sizeof(line)) {
				helper_msg(HELPER_FD, MSG_LOG, 0, line, used);
				used = 0;
				cut = false;
			}
			if (c == '\0')
				cut = true;
			if (!cut)
				line[used++] = c;
		}
	}
	if (any)
		helper_msg(HELPER_FD, MSG_LOG, 0, line, used);
}

static void
helper_run(const struct helper *h, const struct script_event *e)
{
	struct script_exec x;
	int out[2] = { -1, -1 }, status, rc;
	pid_t pid;

	if ((rc = script_build_exec(e, h->path, h->log_dhcp, environ,
	    &x)) < 0) {
		helper_msg(HELPER_FD, MSG_EXEC_ERR, (uint32_t)-rc, NULL, 0);
		return;
	}
	if (!h->debug && pipe2(out, O_CLOEXEC) < 0)
		goto out_free;
	/* fork errors are temporary resource shortages: wait (helper.c) */
	while ((pid = fork()) < 0 && (errno == EAGAIN || errno == ENOMEM))
		sleep(2);
	if (pid < 0)
		goto out_close;
	if (pid == 0)
		helper_exec(h, &x, out[1]);
	if (out[1] >= 0) {
		close(out[1]);
		out[1] = -1;
		helper_read_output(out[0]);
	}
	while ((rc = (int)waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (rc == pid && WIFSIGNALED(status))
		helper_msg(HELPER_FD, MSG_KILLED, (uint32_t)WTERMSIG(status),
		    NULL, 0);
	else if (rc == pid && WIFEXITED(status) && WEXITSTATUS(status) != 0)
		helper_msg(HELPER_FD, MSG_EXITED,
		    (uint32_t)WEXITSTATUS(status), NULL, 0);
out_close:
	if (out[0] >= 0)
		close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
out_free:
	script_exec_free(&x);
}

static void __attribute__((noreturn))
helper_main(int fd, struct helper *h)
{
	struct script_event *e;
	enum script_bad bad;
	ssize_t n;
	int nul;

	helper_signals(SIG_IGN);
	if (helper_close_fds(fd) < 0)
		_exit(0);
	prctl(PR_SET_NAME, "pxemasq-script", 0, 0, 0);
	if (helper_privs(h) < 0)
		_exit(0);
	/* as dnsmasq before it forks the helper: stdio on /dev/null (the
	 * script's stdout and stderr are the capture pipe), so the helper
	 * never holds the terminal or its starter's pipes */
	if (!h->debug && (nul = open("/dev/null", O_RDWR)) >= 0) {
		dup2(nul, STDIN_FILENO);
		dup2(nul, STDOUT_FILENO);
		dup2(nul, STDERR_FILENO);
		if (nul > STDERR_FILENO && nul != HELPER_FD)
			close(nul);
	}
	if ((e = malloc(sizeof(*e))) == NULL)
		_exit(0);
	helper_msg(HELPER_FD, MSG_READY, 0, NULL, 0);
	for (;;) {
		n = recv(HELPER_FD, h->buf, sizeof(h->buf), MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);	/* the daemon closed: all done */
		if ((size_t)n > sizeof(h->buf))
			bad = SCRIPT_BAD_LONG;
		else
			bad = script_decode(h->buf, (size_t)n, e);
		if (bad != SCRIPT_OK) {
			helper_msg(HELPER_FD, MSG_BAD, bad, NULL, 0);
			continue;
		}
		helper_run(h, e);
	}
}

/* --- the daemon's side --------------------------------------------------- */

struct script_rec {
	struct script_rec *next;
	size_t len;
	uint8_t b[];
};

/* Makes the "old" of the lease at a (rerun); false when it is gone. */
typedef bool script_lease_fn(struct script *s, struct in_addr a,
    struct dhcp_lease_event *ev, char *ifname);

struct script {
	char *path;			/* owned copy */
	struct ev_loop *ev;
	/* attached DHCP server (borrowed) */
	struct dhcp_server *srv;
	struct lease_table *leases;
	const struct iface_table *ifs;
	struct ev_timer expire;
	struct ev_io io;
	int fd;
	pid_t pid;
	bool alive;
	struct script_rec *head, **tail;
	unsigned n, max_n;
	size_t bytes, max_bytes;
	struct in_addr *rerun;		/* owned */
	size_t rerun_n, rerun_pos;
	script_lease_fn *rerun_fn;
	unsigned long queued, sent, dropped, bad;
	unsigned long dropped_told;
	int64_t drop_log_ms;
	uint8_t rbuf[MSG_HDR_LEN + SCRIPT_LINE_MAX + 1];
	uint8_t wbuf[SCRIPT_REC_MAX];
};

static void
script_log_msg(struct script *s, const uint8_t *b, ssize_t n)
{
	char text[SCRIPT_LINE_MAX + 1];
	unsigned type, tlen;
	uint32_t value;
	struct rd r;

	rd_init(&r, b, n > 0 ? (size_t)n : 0);
	if (rd_u8(&r) != SCRIPT_REC_VERSION)
		goto bad;
	type = rd_u8(&r);
	tlen = rd_be16(&r);
	value = rd_be32(&r);
	if (!rd_ok(&r) || tlen != rd_left(&r) || tlen > SCRIPT_LINE_MAX)
		goto bad;
	rd_bytes(&r, text, tlen);
	text[tlen] = '\0';
	if (strlen(text) != tlen)
		goto bad;
	switch (type) {
	case MSG_EXITED:
		log_warn(LOG_SVC_MAIN, "script process exited with status %u",
		    value);
		return;
	case MSG_KILLED:
		log_warn(LOG_SVC_MAIN, "script process killed by signal %u",
		    value);
		return;
	case MSG_EXEC_ERR:
		log_err(LOG_SVC_MAIN, "failed to execute %s: %s", s->path,
		    strerror((int)value));
		return;
	case MSG_LOG:
		log_debug(LOG_SVC_SCRIPT, "%s", text);
		return;
	case MSG_BAD:
		log_err(LOG_SVC_MAIN, "dhcp-script helper refused an event "
		    "record (%s)", script_bad_name((enum script_bad)value));
		return;
	default:
		break;
	}
bad:
	s->bad++;
}

static void
script_gone(struct script *s)
{
	struct script_rec *r;

	if (!s->alive)
		return;
	s->alive = false;
	log_err(LOG_SVC_MAIN, "dhcp-script helper exited: lease events are "
	    "no longer run");
	ev_io_del(s->ev, &s->io);
	close(s->fd);
	s->fd = -1;
	waitpid(s->pid, NULL, WNOHANG);
	while ((r = s->head) != NULL) {
		s->head = r->next;
		free(r);
		s->dropped++;
	}
	s->tail = &s->head;
	s->n = 0;
	s->bytes = 0;
}

/* Reads what the helper reported. */
static void
script_read(struct script *s)
{
	ssize_t n;

	for (;;) {
		n = recv(s->fd, s->rbuf, sizeof(s->rbuf), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			script_gone(s);
			return;
		}
		script_log_msg(s, s->rbuf, n);
	}
}

/* Sends from the head of the queue until the socket is full. */
static void
script_flush(struct script *s)
{
	struct script_rec *r;
	ssize_t n;

	while (s->alive && (r = s->head) != NULL) {
		n = send(s->fd, r->b, r->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS))
			return;
		if (n < 0) {
			script_gone(s);
			return;
		}
		s->head = r->next;
		if (s->head == NULL)
			s->tail = &s->head;
		s->n--;
		s->bytes -= r->len;
		s->sent++;
		free(r);
	}
}

static void
script_drop(struct script *s)
{
	int64_t now = ev_now_ms(s->ev);

	s->dropped++;
	if (s->drop_log_ms != 0 && now - s->drop_log_ms < SCRIPT_DROP_LOG_MS)
		return;
	s->drop_log_ms = now;
	log_warn(LOG_SVC_MAIN, "dhcp-script event queue full: %lu lease "
	    "events dropped", s->dropped - s->dropped_told);
	s->dropped_told = s->dropped;
}

static void
script_push(struct script *s, const uint8_t *b, size_t len)
{
	struct script_rec *r;

	if (s->n >= s->max_n || s->bytes + len > s->max_bytes ||
	    (r = malloc(sizeof(*r) + len)) == NULL) {
		script_drop(s);
		return;
	}
	r->next = NULL;
	r->len = len;
	memcpy(r->b, b, len);
	*s->tail = r;
	s->tail = &r->next;
	s->n++;
	s->bytes += len;
	s->queued++;
}

static void
script_enqueue(struct script *s, const struct dhcp_lease_event *ev,
    const char *ifname)
{
	int len;

	if (!s->alive) {
		s->dropped++;
		return;
	}
	if ((len = script_encode(ev, ifname, s->wbuf, sizeof(s->wbuf))) < 0) {
		s->dropped++;
		return;
	}
	script_push(s, s->wbuf, (size_t)len);
}

/* Turns rerun addresses into events while the queue is short. */
static void
script_pump(struct script *s)
{
	struct dhcp_lease_event ev;
	char ifname[IF_NAMESIZE];

	for (;;) {
		script_flush(s);
		if (!s->alive || s->rerun_pos >= s->rerun_n ||
		    s->n >= SCRIPT_RERUN_LOW)
			break;
		while (s->rerun_pos < s->rerun_n && s->n < SCRIPT_RERUN_LOW) {
			struct in_addr a = s->rerun[s->rerun_pos++];

			ifname[0] = '\0';
			if (s->rerun_fn(s, a, &ev, ifname))
				script_enqueue(s, &ev, ifname);
		}
	}
	if (s->rerun != NULL && s->rerun_pos >= s->rerun_n) {
		free(s->rerun);
		s->rerun = NULL;
		s->rerun_n = s->rerun_pos = 0;
	}
}

static void
script_io_update(struct script *s)
{
	uint32_t want = EPOLLIN;

	if (!s->alive)
		return;
	if (s->head != NULL)
		want |= EPOLLOUT;
	if (want != s->io.events)
		ev_io_mod(s->ev, &s->io, want);
}

static void
script_io_cb(struct ev_loop *ev, struct ev_io *io, uint32_t revents)
{
	struct script *s = io->data;

	(void)ev;
	if (revents & (EPOLLIN | EPOLLHUP | EPOLLERR))
		script_read(s);
	if (s->alive && (revents & EPOLLOUT))
		script_pump(s);
	script_io_update(s);
}

void
script_queue_tftp(struct script *s, uint64_t size, int family,
    const void *addr, const char *path)
{
	int len;

	if (s == NULL)
		return;
	if (!s->alive || (len = script_encode_tftp(size, family, addr, path,
	    s->wbuf, sizeof(s->wbuf))) < 0) {
		s->dropped++;
		return;
	}
	script_push(s, s->wbuf, (size_t)len);
	script_flush(s);
	script_io_update(s);
}

void
script_queue(struct script *s, const struct dhcp_lease_event *ev,
    const char *ifname)
{
	script_enqueue(s, ev, ifname);
	script_flush(s);
	script_io_update(s);
}

/* Announces the leases at addrs (taken) as "old", in that order, as the
 * queue drains; replaces a rerun still in progress. */
static void
script_rerun(struct script *s, struct in_addr *addrs, size_t n,
    script_lease_fn *fn)
{
	free(s->rerun);
	s->rerun = addrs;
	s->rerun_n = n;
	s->rerun_pos = 0;
	s->rerun_fn = fn;
	script_pump(s);
	script_io_update(s);
}

/* --- attached to the DHCP server ----------------------------------------- */

static const char *
script_ifname(const struct script *s, const struct lease *l, char *buf)
{
	const struct iface *ifp;

	buf[0] = '\0';
	/* helper.c's indextoname() at queue time: "" when gone */
	if (l->ifindex != 0 && s->ifs != NULL &&
	    (ifp = iface_find(s->ifs, (int)l->ifindex)) != NULL)
		snprintf(buf, IF_NAMESIZE, "%s", ifp->name);
	return buf;
}

static void
script_arm_expire(struct script *s)
{
	int64_t due = lease_next_expiry(s->leases);

	if (due == CLOCK_INFINITE_MS) {
		ev_timer_cancel(s->ev, &s->expire);
		return;
	}
	if (!ev_timer_armed(&s->expire) || s->expire.due_ms != due)
		ev_timer_arm(s->ev, &s->expire, due);
}

static void
script_lease_event(void *ctx, const struct dhcp_lease_event *ev)
{
	struct script *s = ctx;
	char ifname[IF_NAMESIZE];

	script_queue(s, ev, script_ifname(s, ev->lease, ifname));
	if (ev->action != DHCP_LEASE_OLD_HOSTNAME)
		script_arm_expire(s);
}

/* dnsmasq's alarm at the next expiry: lease_prune(), "del" scripts. */
static void
script_expire_cb(struct ev_loop *ev, struct ev_timer *t)
{
	struct script *s = t->data;
	struct clock_now now;

	(void)ev;
	clock_read(&now);
	dhcp_server_expire(s->srv, &now, false);
	script_arm_expire(s);
}

static bool
script_old_of(struct script *s, struct in_addr a,
    struct dhcp_lease_event *ev, char *ifname)
{
	struct lease *l = lease_find_by_addr(s->leases, a);
	struct clock_now now;

	if (l == NULL)
		return false;
	clock_read(&now);
	dhcp_server_lease_event(s->srv, l, &now, ev);
	script_ifname(s, l, ifname);
	return true;
}

/* Every lease, newest first (dnsmasq's list order), after first. */
static struct in_addr *
script_all_addrs(struct script *s, const struct lease *first, size_t *n)
{
	struct in_addr *v;
	struct lease *l;
	size_t i = 0;

	*n = 0;
	v = malloc((lease_count(s->leases) + 1) * sizeof(*v));
	if (v == NULL)
		return NULL;
	if (first != NULL)
		v[i++] = first->addr;
	for (l = lease_last(s->leases); l != NULL; l = lease_prev(l))
		v[i++] = l->addr;
	*n = i;
	return v;
}

/* lease_find_interfaces(): the interface whose subnet holds the lease,
 * the longest prefix winning. */
static void
script_find_interfaces(struct script *s)
{
	struct lease *l;
	unsigned i, j;

	for (l = lease_first(s->leases); l != NULL; l = lease_next(l)) {
		unsigned best = 0;

		for (i = 0; i < s->ifs->n; i++) {
			const struct iface *ifp = s->ifs->v[i];

			for (j = 0; j < ifp->naddr; j++) {
				unsigned p = ifp->addr[j].prefixlen;
				uint32_t m = p == 0 ? 0 :
				    htonl(0xffffffffu << (32 - p));

				if (p > best && ((ifp->addr[j].addr.s_addr ^
				    l->addr.s_addr) & m) == 0) {
					best = p;
					l->ifindex = (uint32_t)ifp->index;
				}
			}
		}
	}
}

void
script_attach(struct script *s, struct dhcp_server *srv,
    struct lease_table *t, const struct iface_table *ifs,
    const struct clock_now *now)
{
	struct lease *first = NULL, *l;
	struct in_addr *v;
	unsigned ndel;
	size_t n;

	s->srv = srv;
	s->leases = t;
	s->ifs = ifs;
	ev_timer_init(&s->expire, script_expire_cb, s);
	dhcp_server_set_lease_events(srv, script_lease_event, s);
	/* lease_init()'s lease_prune(): "del" for what expired, before
	 * dnsmasq qualifies the names and finds the interfaces */
	ndel = dhcp_server_expire(srv, now, true);
	script_find_interfaces(s);
	if (ndel == 0)
		for (l = lease_last(t); l != NULL && first == NULL;
		    l = lease_prev(l))
			if (l->ifindex != 0)
				first = l;
	if ((v = script_all_addrs(s, first, &n)) != NULL)
		script_rerun(s, v, n, script_old_of);
	script_arm_expire(s);
}

void
script_rerun_all(struct script *s)
{
	struct in_addr *v;
	size_t n;

	if (s->srv == NULL)
		return;
	if ((v = script_all_addrs(s, NULL, &n)) != NULL)
		script_rerun(s, v, n, script_old_of);
}

void
script_set_limits(struct script *s, unsigned max_records, size_t max_bytes,
    int sndbuf)
{
	s->max_n = max_records;
	s->max_bytes = max_bytes;
	if (sndbuf > 0)
		setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
		    sizeof(sndbuf));
}

void
script_get_stats(const struct script *s, struct script_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->queued = s->queued;
	st->sent = s->sent;
	st->dropped = s->dropped;
	st->bad_from_helper = s->bad;
	st->pending = s->n;
	st->rerun_left = (unsigned)(s->rerun_n - s->rerun_pos);
	st->helper_alive = s->alive;
}

/* Waits (at most wait_ms) for the helper's first report. */
static int
script_wait_ready(struct script *s, const struct script_conf *c, char *msg,
    size_t msgsz, int *exit_code)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	char user[SCRIPT_LINE_MAX + 1];
	unsigned type, tlen;
	uint32_t value;
	struct rd r;
	ssize_t n;

	*exit_code = 5;		/* EC_MISC */
	if (poll(&p, 1, 10000) <= 0 ||
	    (n = recv(s->fd, s->rbuf, sizeof(s->rbuf), 0)) <= 0) {
		snprintf(msg, msgsz, "failed to create helper: %s",
		    strerror(EIO));
		return -1;
	}
	rd_init(&r, s->rbuf, (size_t)n);
	rd_u8(&r);
	type = rd_u8(&r);
	tlen = rd_be16(&r);
	value = rd_be32(&r);
	if (tlen > rd_left(&r))
		tlen = (unsigned)rd_left(&r);
	rd_bytes(&r, user, tlen);
	user[tlen] = '\0';
	if (type == MSG_READY)
		return 0;
	if (type == MSG_USER_ERR)
		snprintf(msg, msgsz, "failed to change user-id to %s: %s",
		    c->user != NULL ? c->user : user, strerror((int)value));
	else if (type == MSG_CAP_ERR)
		snprintf(msg, msgsz, "setting capabilities failed: %s",
		    strerror((int)value));
	else
		snprintf(msg, msgsz, "failed to create helper: %s",
		    strerror(EPROTO));
	return -1;
}

/* dnsmasq looks the script user up when starting ("unknown user or
 * group", exit 1), and changes to it unless -d or it is uid 0. */
static int
script_user(const struct script_conf *c, struct helper *h, char *msg,
    size_t msgsz, int *exit_code)
{
	struct passwd *pw;

	if (c->user == NULL)
		return 0;
	if ((pw = getpwnam(c->user)) == NULL) {
		snprintf(msg, msgsz, "unknown user or group: %s", c->user);
		*exit_code = 1;
		return -1;
	}
	h->change_ids = !c->debug && pw->pw_uid != 0;
	h->uid = pw->pw_uid;
	h->gid = pw->pw_gid;
	h->user = c->user;
	return 0;
}

int
script_start(struct script **out, const struct script_conf *c,
    struct ev_loop *ev, char *msg, size_t msgsz, int *exit_code)
{
	struct helper *h;
	struct script *s;
	int sv[2], e;
	pid_t pid;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	h = calloc(1, sizeof(*h));
	if (s == NULL || h == NULL || (s->path = strdup(c->path)) == NULL) {
		errno = ENOMEM;
		goto fail_errno_nos;
	}
	h->path = s->path;
	h->debug = c->debug;
	h->log_dhcp = c->log_dhcp;
	if (script_user(c, h, msg, msgsz, exit_code) < 0)
		goto fail;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		goto fail_errno;
	if ((pid = fork()) < 0) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		errno = e;
		goto fail_errno;
	}
	if (pid == 0) {
		close(sv[0]);
		helper_main(sv[1], h);
	}
	close(sv[1]);
	free(h);
	h = NULL;
	s->fd = sv[0];
	s->pid = pid;
	s->ev = ev;
	s->tail = &s->head;
	s->max_n = SCRIPT_QUEUE_MAX;
	s->max_bytes = SCRIPT_QUEUE_BYTES;
	if (script_wait_ready(s, c, msg, msgsz, exit_code) < 0) {
		close(s->fd);
		waitpid(pid, NULL, 0);
		goto fail;
	}
	s->alive = true;
	s->io.fd = s->fd;
	s->io.events = EPOLLIN;
	s->io.cb = script_io_cb;
	s->io.data = s;
	if (ev_io_add(ev, &s->io) < 0) {
		script_close(s);
		snprintf(msg, msgsz, "failed to create helper: %s",
		    strerror(errno));
		*exit_code = 5;
		return -1;
	}
	*out = s;
	return 0;

fail_errno:
	snprintf(msg, msgsz, "failed to create helper: %s", strerror(errno));
	*exit_code = 5;
fail:
	free(h);
	free(s->path);
	free(s);
	return -1;
fail_errno_nos:
	snprintf(msg, msgsz, "failed to create helper: %s", strerror(errno));
	*exit_code = 5;
	free(h);
	free(s);
	return -1;
}

void
script_close(struct script *s)
{
	struct timespec t0, t1;
	struct pollfd p;
	int64_t left = SCRIPT_EXIT_WAIT_MS;

	if (s == NULL)
		return;
	if (s->srv != NULL) {
		dhcp_server_set_lease_events(s->srv, NULL, NULL);
		ev_timer_cancel(s->ev, &s->expire);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* dnsmasq blocks until its pipe took every pending event */
	while (s->alive && (s->head != NULL || s->rerun != NULL) && left > 0) {
		p.fd = s->fd;
		p.events = POLLIN | (s->head != NULL ? POLLOUT : 0);
		p.revents = 0;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			break;
		if (p.revents & (POLLIN | POLLHUP | POLLERR))
			script_read(s);
		script_pump(s);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = SCRIPT_EXIT_WAIT_MS -
		    ((t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	}
	if (s->alive && (s->n != 0 || s->rerun_pos < s->rerun_n))
		log_warn(LOG_SVC_MAIN, "dhcp-script: %zu lease events not run "
		    "at exit", (size_t)s->n + (s->rerun_n - s->rerun_pos));
	if (s->dropped > s->dropped_told)
		log_warn(LOG_SVC_MAIN, "dhcp-script event queue full: %lu lease "
		    "events dropped", s->dropped - s->dropped_told);
	if (s->alive) {
		ev_io_del(s->ev, &s->io);
		close(s->fd);	/* the helper finishes, then exits */
		waitpid(s->pid, NULL, WNOHANG);
	}
	while (s->head != NULL) {
		struct script_rec *r = s->head;

		s->head = r->next;
		free(r);
	}
	free(s->rerun);
	free(s->path);
	free(s);
}

/* --- leasefile-ro: "PATH init" -------------------------------------------- */

#define INIT_OUTPUT_MAX (256u << 20)

/* Reads all of fd into a growing buffer (at most INIT_OUTPUT_MAX; the
 * rest is read and dropped so the script never blocks).  Returns 0. */
static int
init_read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 0, used = 0;
	char *b = NULL, sink[4096];
	ssize_t n;

	for (;;) {
		if (used == cap && cap < INIT_OUTPUT_MAX) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nb = realloc(b, ncap + 1);

			if (nb == NULL)
				break;
			b = nb;
			cap = ncap;
		}
		if (used < cap)
			n = read(fd, b + used, cap - used);
		else
			n = read(fd, sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (used < cap)
			used += (size_t)n;
	}
	*buf = b;
	*len = used;
	return 0;
}

int
script_init_leases(const char *path, struct lease_table *t,
    const struct clock_now *now, uint32_t max_remaining_s, char *msg,
    size_t msgsz, int *exit_code)
{
	char *cmd, *out = NULL;
	size_t len = 0;
	int p[2], status = 0, rc, code;
	pid_t pid;

	if (asprintf(&cmd, "%s init", path) < 0) {
		snprintf(msg, msgsz, "could not get memory");
		*exit_code = 4;
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		snprintf(msg, msgsz, "cannot run lease-init script %s: %s",
		    path, strerror(errno));
		*exit_code = 3;
		free(cmd);
		return -1;
	}
	if (pid == 0) {
		/* popen(cmd, "r"): stdout to us, the rest inherited */
		dup2(p[1], STDOUT_FILENO);
		close_range(3, ~0u, 0);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	free(cmd);
	close(p[1]);
	init_read_all(p[0], &out, &len);
	close(p[0]);
	while ((rc = (int)waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	rc = lease_parse_file(t, out != NULL ? out : "", len, now,
	    max_remaining_s, LEASE_PARSE_KEEP_EXPIRED);
	free(out);
	if (rc == -E2BIG) {
		snprintf(msg, msgsz, "too many stored leases");
		*exit_code = 5;
		return -1;
	}
	/* lease.c lease_init(): the shell's 127 and 126 */
	code = WEXITSTATUS(status);
	if (code == 127 || code == 126) {
		snprintf(msg, msgsz, "cannot run lease-init script %s: %s",
		    path, strerror(code == 127 ? ENOENT : EACCES));
		*exit_code = 3;
		return -1;
	}
	if (code != 0) {
		snprintf(msg, msgsz, "lease-init script returned exit code %d",
		    code);
		*exit_code = 10 + code;
		return -1;
	}
	if (rc < 0) {
		snprintf(msg, msgsz, "could not get memory");
		*exit_code = 4;
		return -1;
	}
	return rc;
}
