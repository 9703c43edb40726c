/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reload.c - restart-only options of a re-read main configuration (see
 * reload.h for the rule).
 */
#include "reload.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conf.h"
#include "conf_int.h"
#include "conf_dhcp.h"
#include "conf_dns.h"
#include "conf_tftp.h"

enum reload_kind { R_STR, R_BOOL, R_U16, R_INT, R_LIST, R_FLAG };
enum reload_base { B_TOP, B_DHCP, B_DNS, B_TFTP };

/* One field of an option; an option with several fields has several
 * rows, consecutive, with the same name. */
struct reload_row {
	const char *name;
	enum reload_kind kind;
	enum reload_base base;
	size_t off;		/* R_FLAG: the keyword id */
};

#define TOP(n, k, f) { n, k, B_TOP, offsetof(struct conf, f) }
#define DHCP(n, k, f) { n, k, B_DHCP, offsetof(struct conf_dhcp, f) }
#define DNS(n, k, f) { n, k, B_DNS, offsetof(struct conf_dns, f) }
#define TFTP(n, k, f) { n, k, B_TFTP, offsetof(struct conf_tftp, f) }
#define FLAG(n, id) { n, R_FLAG, B_TOP, CONF_KW_##id }

static const struct reload_row reload_rows[] = {
	/* process identity, set by priv_drop() once */
	TOP("user", R_STR, user), TOP("user", R_BOOL, user_set),
	TOP("group", R_STR, group), TOP("group", R_BOOL, group_set),
	/* written as root before the drop, removed at exit */
	TOP("pid-file", R_STR, pid_file),
	TOP("pid-file", R_BOOL, pid_file_set),
	/* the log file is opened (and chowned) as root */
	TOP("log-facility", R_STR, log_facility),
	TOP("log-facility", R_INT, log_facility_num),
	TOP("dumpfile", R_STR, dumpfile),
	/* listening sockets: bound before the drop */
	TOP("interface", R_LIST, interfaces),
	TOP("except-interface", R_LIST, except_interfaces),
	TOP("no-dhcp-interface", R_LIST, no_dhcp_interfaces),
	TOP("listen-address", R_LIST, listen_addresses),
	FLAG("bind-interfaces", BIND_INTERFACES),
	FLAG("bind-dynamic", BIND_DYNAMIC),
	DNS("port", R_U16, port), DNS("port", R_BOOL, has_port),
	/* the pending-query table is sized when DNS opens */
	DNS("dns-forward-max", R_INT, forward_max),
	DNS("dns-forward-max", R_BOOL, has_forward_max),
	/* the lease file is opened as root; the table sized at open */
	DHCP("dhcp-leasefile", R_STR, leasefile),
	FLAG("leasefile-ro", LEASEFILE_RO),
	DHCP("dhcp-lease-max", R_INT, lease_max),
	DHCP("dhcp-lease-max", R_BOOL, lease_max_set),
	/* the helper is forked as root before the drop */
	DHCP("dhcp-script", R_STR, script),
	DHCP("dhcp-scriptuser", R_STR, script_user),
	/* the ICMP socket is opened before the drop (or not at all) */
	FLAG("no-ping", NO_PING),
	/* TFTP: listening interfaces, transfer sockets, table size */
	TFTP("enable-tftp", R_LIST, interfaces),
	TFTP("tftp-max", R_INT, max),
	TFTP("tftp-port-range", R_BOOL, has_port_range),
	TFTP("tftp-port-range", R_U16, port_first),
	TFTP("tftp-port-range", R_U16, port_last),
};
#define RELOAD_NROWS (sizeof(reload_rows) / sizeof(reload_rows[0]))

const char *const reload_restart_names[] = {
	"user", "group", "pid-file", "log-facility", "dumpfile", "interface",
	"except-interface", "no-dhcp-interface", "listen-address",
	"bind-interfaces", "bind-dynamic", "port", "dns-forward-max",
	"dhcp-leasefile", "leasefile-ro", "dhcp-lease-max", "dhcp-script",
	"dhcp-scriptuser", "no-ping", "enable-tftp", "tftp-max",
	"tftp-port-range", NULL,
};

static const void *
reload_cfield(const struct conf *cf, const struct reload_row *r)
{
	const char *b = (const char *)cf;

	switch (r->base) {
	case B_DHCP:
		b = (const char *)cf->dhcp;
		break;
	case B_DNS:
		b = (const char *)cf->dns;
		break;
	case B_TFTP:
		b = (const char *)cf->tftp;
		break;
	case B_TOP:
		break;
	}
	return b + r->off;
}

static void *
reload_field(struct conf *cf, const struct reload_row *r)
{
	char *b = (char *)cf;

	switch (r->base) {
	case B_DHCP:
		b = (char *)cf->dhcp;
		break;
	case B_DNS:
		b = (char *)cf->dns;
		break;
	case B_TFTP:
		b = (char *)cf->tftp;
		break;
	case B_TOP:
		break;
	}
	return b + r->off;
}

static bool
reload_str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
reload_list_eq(const struct conf_strlist *a, const struct conf_strlist *b)
{
	const struct conf_str *x = a->head, *y = b->head;

	for (; x != NULL && y != NULL; x = x->next, y = y->next)
		if (!reload_str_eq(x->s, y->s))
			return false;
	return x == NULL && y == NULL;
}

static bool
reload_row_eq(const struct conf *old, const struct conf *nw,
    const struct reload_row *r)
{
	const void *a, *b;

	if (r->kind == R_FLAG)
		return conf_flag(old, (unsigned)r->off) ==
		    conf_flag(nw, (unsigned)r->off);
	a = reload_cfield(old, r);
	b = reload_cfield(nw, r);
	switch (r->kind) {
	case R_STR:
		return reload_str_eq(*(const char *const *)a,
		    *(const char *const *)b);
	case R_BOOL:
		return *(const bool *)a == *(const bool *)b;
	case R_U16:
		return *(const uint16_t *)a == *(const uint16_t *)b;
	case R_INT:
		return *(const int *)a == *(const int *)b;
	case R_LIST:
		return reload_list_eq(a, b);
	case R_FLAG:
		break;
	}
	return true;
}

/* Copies src into nw's arena as a fresh list (provenance included). */
static int
reload_list_copy(struct conf *nw, struct conf_strlist *dst,
    const struct conf_strlist *src)
{
	const struct conf_str *s;

	dst->head = NULL;
	dst->tail = &dst->head;
	dst->n = 0;
	for (s = src->head; s != NULL; s = s->next) {
		struct conf_str *e = arena_alloc(&nw->arena, sizeof(*e));

		if (e == NULL)
			return -ENOMEM;
		e->src.line = s->src.line;
		if ((s->src.file != NULL && (e->src.file =
		    arena_strdup(&nw->arena, s->src.file)) == NULL) ||
		    (s->s != NULL && (e->s = arena_strdup(&nw->arena,
		    s->s)) == NULL))
			return -ENOMEM;
		*dst->tail = e;
		dst->tail = &e->next;
		dst->n++;
	}
	return 0;
}

static int
reload_row_copy(const struct conf *old, struct conf *nw,
    const struct reload_row *r)
{
	const void *a;
	void *b;

	if (r->kind == R_FLAG) {
		uint64_t bit = (uint64_t)1 << (r->off % 64);

		if (conf_flag(old, (unsigned)r->off))
			nw->flags[r->off / 64] |= bit;
		else
			nw->flags[r->off / 64] &= ~bit;
		return 0;
	}
	a = reload_cfield(old, r);
	b = reload_field(nw, r);
	switch (r->kind) {
	case R_STR: {
		const char *s = *(const char *const *)a;

		if (s != NULL && (s = arena_strdup(&nw->arena, s)) == NULL)
			return -ENOMEM;
		*(const char **)b = s;
		return 0;
	}
	case R_BOOL:
		*(bool *)b = *(const bool *)a;
		return 0;
	case R_U16:
		*(uint16_t *)b = *(const uint16_t *)a;
		return 0;
	case R_INT:
		*(int *)b = *(const int *)a;
		return 0;
	case R_LIST:
		return reload_list_copy(nw, b, a);
	case R_FLAG:
		break;
	}
	return 0;
}

/* A service turned on or off: its name, or NULL. */
static const char *
reload_service_change(const struct conf *old, const struct conf *nw)
{
	if ((old->dhcp->ranges != NULL) != (nw->dhcp->ranges != NULL))
		return "DHCP";
	if (old->tftp->enabled != nw->tftp->enabled)
		return "TFTP";
	if ((old->dns->port != 0) != (nw->dns->port != 0))
		return "DNS";
	return NULL;
}

int
reload_keep_restart(const struct conf *old, struct conf *nw,
    reload_kept_fn *kept, void *arg, const char **what)
{
	size_t i, j;
	int n = 0, rc;

	if ((*what = reload_service_change(old, nw)) != NULL)
		return -EBUSY;
	for (i = 0; i < RELOAD_NROWS; i = j) {
		bool same = true;

		/* the rows of one option, [i, j) */
		for (j = i; j < RELOAD_NROWS &&
		    strcmp(reload_rows[j].name, reload_rows[i].name) == 0; j++)
			if (!reload_row_eq(old, nw, &reload_rows[j]))
				same = false;
		if (same)
			continue;
		for (j = i; j < RELOAD_NROWS &&
		    strcmp(reload_rows[j].name, reload_rows[i].name) == 0; j++)
			if ((rc = reload_row_copy(old, nw,
			    &reload_rows[j])) < 0)
				return rc;
		kept(arg, reload_rows[i].name);
		n++;
	}
	return n;
}
