/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_core.c - process and interface options: user, group, pid-file,
 * log-facility, dumpfile, dumpmask, interface, except-interface,
 * no-dhcp-interface, listen-address.
 */
#include "conf_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

/*
 * dnsmasq looks names up in the C library's facilitynames[] (syslog.h with
 * SYSLOG_NAMES; its own table is for Solaris only), case-insensitively.
 * On glibc that list is this one: "security" is LOG_AUTH, "mark" is
 * INTERNAL_MARK, and there is no "audit" (dnsmasq 2.90 --test rejects
 * log-facility=audit and accepts authpriv, ftp, mark and security).
 */
#define CONF_LOG_MARK (LOG_NFACILITIES << 3)	/* glibc's INTERNAL_MARK */

static const struct {
	const char *name;
	int val;
} conf_facilities[] = {
	{ "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV },
	{ "cron", LOG_CRON }, { "daemon", LOG_DAEMON }, { "ftp", LOG_FTP },
	{ "kern", LOG_KERN }, { "lpr", LOG_LPR }, { "mail", LOG_MAIL },
	{ "mark", CONF_LOG_MARK }, { "news", LOG_NEWS },
	{ "security", LOG_AUTH }, { "syslog", LOG_SYSLOG },
	{ "user", LOG_USER }, { "uucp", LOG_UUCP },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

int
conf_core_user(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	c->cf->user = conf_strdup(c, arg);
	c->cf->user_set = true;
	return 0;
}

int
conf_core_group(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	c->cf->group = conf_strdup(c, arg);
	c->cf->group_set = true;
	return 0;
}

int
conf_core_pid_file(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	c->cf->pid_file = conf_strdup(c, arg);
	c->cf->pid_file_set = true;
	return 0;
}

int
conf_core_log_facility(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	size_t i;

	(void)kw;
	if (strchr(arg, '/') != NULL || strcmp(arg, "-") == 0) {
		c->cf->log_facility = conf_strdup(c, arg);
		c->cf->log_facility_num = -1;
		return 0;
	}
	for (i = 0; i < sizeof(conf_facilities) / sizeof(conf_facilities[0]);
	    i++)
		if (strcasecmp(conf_facilities[i].name, arg) == 0) {
			c->cf->log_facility = conf_facilities[i].name;
			c->cf->log_facility_num = conf_facilities[i].val;
			return 0;
		}
	return conf_err(c, "bad log facility");
}

int
conf_core_dumpfile(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	c->cf->dumpfile = conf_strdup(c, arg);
	return 0;
}

/* dnsmasq reads the mask with strtol(arg, NULL, 0): any prefix that parses
 * (decimal, 0x hex, 0 octal) counts and junk after it is ignored. */
int
conf_core_dumpmask(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	conf_unhide(arg);
	c->cf->dumpmask = (uint32_t)strtol(arg, NULL, 0);
	c->cf->has_dumpmask = true;
	return 0;
}

/*
 * --metrics-listen=ADDR:PORT, [IPV6]:PORT or PORT (loopback, 127.0.0.1).
 * pxemasq's own option; the wording of its error is ours.
 */
int
conf_core_metrics_listen(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	struct conf *cf = c->cf;
	char *host = NULL, *port = arg, *colon;
	int port_n;

	(void)kw;
	conf_unhide(arg);
	if (arg[0] == '[') {
		host = arg + 1;
		if ((colon = strchr(host, ']')) == NULL || colon[1] != ':')
			return conf_err(c, "bad metrics-listen address");
		*colon = '\0';
		port = colon + 2;
	} else if ((colon = strrchr(arg, ':')) != NULL) {
		*colon = '\0';
		host = arg;
		port = colon + 1;
	}
	if (!conf_atoi(port, &port_n) || port_n < 1 || port_n > 65535)
		return conf_err(c, "bad metrics-listen port");
	cf->metrics_port = (uint16_t)port_n;
	memset(cf->metrics_addr, 0, sizeof(cf->metrics_addr));
	if (host == NULL || *host == '\0') {
		cf->metrics_family = AF_INET;
		cf->metrics_addr[0] = 127;
		cf->metrics_addr[3] = 1;
	} else if (inet_pton(AF_INET, host, cf->metrics_addr) == 1) {
		cf->metrics_family = AF_INET;
	} else if (inet_pton(AF_INET6, host, cf->metrics_addr) == 1) {
		cf->metrics_family = AF_INET6;
	} else {
		return conf_err(c, "bad metrics-listen address");
	}
	return 0;
}

static int
conf_core_names(struct conf_ctx *c, struct conf_strlist *l, char *arg)
{
	char *comma;

	do {
		comma = conf_split(arg);
		conf_strlist_add(c, l, conf_strdup(c, arg));
		arg = comma;
	} while (arg != NULL);
	return 0;
}

int
conf_core_interface(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)kw;
	return conf_core_names(c, &c->cf->interfaces, arg);
}

int
conf_core_except_interface(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	(void)kw;
	return conf_core_names(c, &c->cf->except_interfaces, arg);
}

/* no-dhcpv4-interface means the same to a DHCPv4-only server. */
int
conf_core_no_dhcp_interface(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	(void)kw;
	return conf_core_names(c, &c->cf->no_dhcp_interfaces, arg);
}

int
conf_core_listen_address(struct conf_ctx *c, const struct conf_kw *kw,
    char *arg)
{
	char *comma, buf[INET6_ADDRSTRLEN];
	struct in6_addr a6;
	struct in_addr a4;

	(void)kw;
	do {
		comma = conf_split(arg);
		conf_unhide(arg);
		if (inet_pton(AF_INET, arg, &a4) > 0)
			inet_ntop(AF_INET, &a4, buf, sizeof(buf));
		else if (inet_pton(AF_INET6, arg, &a6) > 0)
			inet_ntop(AF_INET6, &a6, buf, sizeof(buf));
		else
			return conf_gen_err(c);
		conf_strlist_add(c, &c->cf->listen_addresses,
		    arena_strdup(&c->cf->arena, buf));
		arg = comma;
	} while (arg != NULL);
	return 0;
}

/* --- printing ----------------------------------------------------------- */

/* Names are stored unhidden; one holding a comma came from quotes (or a
 * hidden byte on the command line) and must be quoted again, or the
 * list splits it on reading. */
static void
conf_print_names(FILE *out, const char *key, const struct conf_strlist *l)
{
	const struct conf_str *e;

	for (e = l->head; e != NULL; e = e->next) {
		fprintf(out, "%s=", key);
		if (e->s != NULL && strchr(e->s, ',') != NULL)
			conf_print_quoted(out, e->s);
		else
			conf_print_value(out, e->s ? e->s : "");
		fputc('\n', out);
	}
}

static void
conf_print_opt_str(FILE *out, const char *key, bool set, const char *v)
{
	if (!set)
		return;
	if (v == NULL) {
		fprintf(out, "%s\n", key);
		return;
	}
	fprintf(out, "%s=", key);
	conf_print_value(out, v);
	fputc('\n', out);
}

void
conf_core_print(const struct conf *cf, FILE *out)
{
	conf_print_opt_str(out, "user", cf->user_set, cf->user);
	conf_print_opt_str(out, "group", cf->group_set, cf->group);
	conf_print_opt_str(out, "pid-file", cf->pid_file_set, cf->pid_file);
	conf_print_opt_str(out, "log-facility", cf->log_facility != NULL,
	    cf->log_facility);
	conf_print_opt_str(out, "dumpfile", cf->dumpfile != NULL, cf->dumpfile);
	if (cf->has_dumpmask)
		fprintf(out, "dumpmask=0x%x\n", (unsigned)cf->dumpmask);
	conf_print_names(out, "interface", &cf->interfaces);
	conf_print_names(out, "except-interface", &cf->except_interfaces);
	conf_print_names(out, "no-dhcp-interface", &cf->no_dhcp_interfaces);
	conf_print_names(out, "listen-address", &cf->listen_addresses);
}
