/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf.h - the parsed configuration.
 *
 * A struct conf is built once by conf_load() from the command line and the
 * dnsmasq-syntax files it names, then never written again: request
 * handling only reads it, and a reload builds a new one.  Everything in it
 * is allocated from conf->arena.
 *
 * Each protocol keeps its typed options in its own sub-structure, declared
 * in its own header (conf_dhcp.h, conf_pxe.h, conf_tftp.h, conf_dns.h), so
 * that a feature compiled out takes its structures with it.
 *
 * List order: entries are kept in the order they were read (command line
 * first, then files in reading order).  Where dnsmasq's behaviour depends
 * on its internal (often reversed) list order, the consumer applies that
 * rule; the configuration itself stays in reading order so that
 * --dump-config prints what the user wrote.
 */
#ifndef PXEMASQ_CONF_H
#define PXEMASQ_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "arena.h"

/* Where a parsed entry came from.  file == NULL means the command line. */
struct conf_src {
	const char *file;
	unsigned line;
};

/* One element of a tag condition list: tag:NAME or tag:!NAME. */
struct conf_tagref {
	uint16_t id;
	bool neg;
};

/* A tag condition: every positive tag present and every negated absent. */
struct conf_tagexpr {
	unsigned n;
	struct conf_tagref *v;
};

/* A list of tags to set (set:A,set:B). */
struct conf_tagset {
	unsigned n;
	uint16_t *id;
};

#define CONF_TAG_MAX 4096	/* interned tag names per configuration */

struct conf_tags {
	unsigned n;
	unsigned cap;
	const char **name;
};

/* A string list entry: interface names, addresses as text, file names. */
struct conf_str {
	struct conf_src src;
	const char *s;
	struct conf_str *next;
};

struct conf_strlist {
	struct conf_str *head;
	struct conf_str **tail;
	unsigned n;
};

/* An option that is valid dnsmasq syntax but that pxemasq does not act on. */
struct conf_unsup {
	struct conf_src src;
	const char *name;	/* canonical option name */
	const char *value;	/* as written (quotes resolved), or NULL */
	bool refused;		/* meaning-changing: start-up refuses it */
	struct conf_unsup *next;
};

struct conf_dhcp;
struct conf_dhcpopt;
struct conf_pxe;
struct conf_tftp;
struct conf_dns;

/* Boolean options, indexed by keyword id; see conf_table.c. */
#define CONF_FLAG_WORDS 8

struct conf {
	struct arena arena;
	struct conf_tags tags;

	uint64_t flags[CONF_FLAG_WORDS];

	/* process */
	const char *user;	/* NULL: default "nobody" */
	const char *group;	/* NULL: default */
	const char *pid_file;	/* NULL: default */
	bool user_set, group_set, pid_file_set; /* given, maybe empty */
	const char *log_facility; /* as written: facility name, path or "-" */
	int log_facility_num;	/* syslog facility when a name, else -1 */
	const char *dumpfile;
	uint32_t dumpmask;
	bool has_dumpmask;
	bool log_queries_extra;	/* log-queries=extra */
	bool log_queries_proto;	/* log-queries=proto */
	bool log_queries_auth;	/* log-queries=auth */

	/* interfaces */
	struct conf_strlist interfaces;		/* interface= (NULL s: none) */
	struct conf_strlist except_interfaces;
	struct conf_strlist no_dhcp_interfaces;
	struct conf_strlist listen_addresses;	/* canonical text */

	struct conf_dhcp *dhcp;
	struct conf_dhcpopt *dhcpopt;	/* dhcp-option, -force, dhcp-match */
	struct conf_pxe *pxe;
	struct conf_tftp *tftp;
	struct conf_dns *dns;

	/* valid dnsmasq options pxemasq does not implement, in file order */
	struct conf_unsup *unsup_head;
	struct conf_unsup **unsup_tail;

	/* files read, in order (for --dump-config comments and reload) */
	struct conf_strlist files_read;

	bool test_mode;		/* --test */
	bool dump_mode;		/* --dump-config */
	bool ignore_unsupported; /* --ignore-unsupported */
	/* --explain[=DESC] / --explain-pcap=FILE (explain.h): the client
	 * description words (the option value split at blanks, then the
	 * further command-line arguments) */
	bool explain_mode;
	const char *explain_pcap;
	struct conf_strlist explain_args;
	/* --metrics-listen=ADDR:PORT (pxemasq's own, command line only):
	 * family 0 when not given; addr in network order */
	int metrics_family;		/* AF_INET, AF_INET6 or 0 */
	uint8_t metrics_addr[16];
	uint16_t metrics_port;		/* host order */
};

/* Result of conf_load(). */
struct conf_result {
	int exit_code;		/* 0 ok; else dnsmasq's exit status */
	bool exit_now;		/* --help/--version handled, exit with exit_code */
	char msg[2048];		/* error text without the "pxemasq: " prefix */
};

/* Parses argv (and the files it implies) into a new configuration.
 * Returns owned conf, or NULL with res filled in.  Reads neither the
 * dynamic files (dhcp-hostsfile, -optsfile, -hostsdir, -optsdir) nor
 * anything else a running daemon needs: this is --test's view. */
struct conf *conf_load(int argc, char **argv, struct conf_result *res);

/*
 * The daemon's load: as conf_load, then reads the dynamic files (errors
 * in them are logged with their position, as dnsmasq does, and skip the
 * line).  With a cache, configuration files are recorded on the first
 * load and replayed from memory on later loads, so that a SIGHUP rebuild
 * re-reads only the dynamic files (dnsmasq never re-reads its main
 * configuration).  The cache is owned by the caller.
 */
struct conf_cache;
struct conf_cache *conf_cache_new(void);
void conf_cache_free(struct conf_cache *cc);
/* Quiet: the next loads read the dynamic files without logging "read
 * PATH" for each (the inotify path logs the one file that changed). */
void conf_cache_set_quiet(struct conf_cache *cc, bool quiet);
struct conf *conf_load_daemon(int argc, char **argv, struct conf_cache *cc,
    bool dynamic, struct conf_result *res);
/* Frees a configuration returned by conf_load. */
void conf_free(struct conf *cf);

bool conf_flag(const struct conf *cf, unsigned id);
const char *conf_tag_name(const struct conf *cf, uint16_t id);

/* Writes cf in canonical dnsmasq syntax. */
void conf_print(const struct conf *cf, FILE *out);

#endif
