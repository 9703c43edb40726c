/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ethers.h - /etc/ethers (read-ethers) read as dnsmasq 2.90 reads it
 * (dhcp.c dhcp_read_ethers()):
 *   - a line is what fgets() gives with a 1025-byte buffer: a longer line
 *     is read as several, each counted; a NUL byte ends it; trailing
 *     white space is dropped;
 *   - a line that is empty or starts with '#' or '+' is skipped;
 *   - the line is "MAC REST": MAC up to the first white space, REST
 *     after the white space that follows, to the end of the line.  No
 *     REST, or a MAC that dnsmasq's parse_hex() does not make 6 bytes of,
 *     is "bad line at FILE line N";
 *   - REST of digits and dots only is an IPv4 address ("bad address at
 *     FILE line N" if inet_pton() refuses it); anything else is a host
 *     name, canonicalised and then checked with legal_hostname() ("bad
 *     name at FILE line N"); the name is not looked up here: the DHCP
 *     server finds its address (/etc/hosts) when it needs one;
 *   - a line whose address or name (case-insensitive) an earlier line
 *     gave is "ignoring FILE line N, duplicate name or IP address";
 *   - a line with the MAC of an earlier line adds to that entry (the
 *     newer address or name replaces the older one);
 *   - "read FILE - N addresses" counts the lines accepted.
 * dnsmasq keeps these entries in the list of its dhcp-host entries, so a
 * line whose address, name or (single) MAC matches a dhcp-host merges
 * into that one: ethers_apply() does that merge on each configuration the
 * daemon builds (start-up and SIGHUP).  Not modelled: two lines that both
 * merge into the same dhcp-host (dnsmasq takes both, the later MAC wins;
 * here the second is a duplicate).
 * L2 module: the file is opened here, nothing else is touched.
 */
#ifndef PXEMASQ_ETHERS_H
#define PXEMASQ_ETHERS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ETHERS_MAC_LEN	6
/* fgets() into dnsmasq's MAXDNAME buffer: 1024 bytes a read. */
#define ETHERS_LINE_MAX	1024

struct ethers_entry {
	uint8_t mac[ETHERS_MAC_LEN];
	bool has_addr;
	struct in_addr addr;
	const char *name;	/* canonical host name, or NULL */
	unsigned line;		/* the line that created it */
};

enum ethers_problem {
	ETHERS_BAD_LINE,	/* "bad line at %s line %d" */
	ETHERS_BAD_ADDRESS,	/* "bad address at %s line %d" */
	ETHERS_BAD_NAME,	/* "bad name at %s line %d" */
	ETHERS_DUPLICATE,	/* "ignoring %s line %d, duplicate name or
				 * IP address" */
};

struct ethers_diag {
	enum ethers_problem what;
	unsigned line;
};

/* One file as read: a single allocation, freed by ethers_free(). */
struct ethers {
	size_t n;
	const struct ethers_entry *entries;	/* in order of creation */
	size_t n_diags;
	const struct ethers_diag *diags;	/* file order */
	unsigned count;		/* lines accepted: "read %s - %d addresses" */
};

/*
 * Reads an ethers file from f (borrowed; read to its end, not closed).
 * On success *out is owned by the caller.  Returns 0 or -ENOMEM.  A read
 * error ends the file, as for dnsmasq's fgets().
 */
int ethers_read(FILE *f, struct ethers **out);

/* Opens path and reads it.  Returns 0, -errno when it cannot be opened
 * (dnsmasq: "failed to read %s: %s", LOG_ERR), or -ENOMEM. */
int ethers_load(const char *path, struct ethers **out);

void ethers_free(struct ethers *e);

struct conf;

/*
 * Merges the entries into cf's dhcp-host list as dnsmasq's
 * dhcp_read_ethers() merges them into its dhcp-host configs (only the
 * entries of the main configuration are searched, as when dnsmasq first
 * reads the file: dhcp-hostsfile entries come later):
 *   - an entry whose address (else name) a dhcp-host gives takes that
 *     dhcp-host over: its hardware address becomes the entry's MAC and
 *     its client identifier is ignored from then on;
 *   - else an entry whose MAC is the single, exact (no wildcard) 6-byte
 *     Ethernet address of a dhcp-host adds its address or name to it;
 *   - else it becomes a dhcp-host of its own (MAC, address or name,
 *     client identifier ignored), ahead of every main-configuration
 *     dhcp-host and behind the dhcp-hostsfile ones.
 * path (borrowed for cf's lifetime) is the file named in the entries'
 * provenance.  Allocates from cf's arena; call before the configuration
 * is used.
 * Returns 0 or -ENOMEM.
 */
int ethers_apply(const struct ethers *e, const char *path,
    struct conf *cf);

/* The log message of a problem, dnsmasq's wording, for path. */
void ethers_diag_msg(const struct ethers_diag *d, const char *path,
    char *buf, size_t size);

#endif
