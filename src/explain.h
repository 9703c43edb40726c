/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * explain.h - `pxemasq --explain`: why a machine boots what it boots
 * (issue 10).  Offline: no socket is bound, nothing is sent, the lease
 * file is not touched; works as any user.
 *
 * A client description (words KEY=VALUE: mac, arch, vendor-class,
 * user-class, interface, addr, relay, hostname, client-id, requested) or
 * the first DHCP request of a capture (--explain-pcap, classic pcap,
 * Ethernet or Linux cooked) is handed to the real server logic
 * (dhcp_server.c with its trace hook) as if it had arrived on the
 * interface.  The report names the tags set and the lines that set them,
 * the dhcp-range chosen, the dhcp-boot and pxe-service lines that won and
 * those they beat, the reply decoded option by option (and, for a PXE
 * client, the port-4011 exchange that follows), then warnings about the
 * traps of PXE configurations.
 *
 * Pieces are exposed for the unit tests (src/test/test_explain.c).
 */
#ifndef PXEMASQ_EXPLAIN_H
#define PXEMASQ_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

struct conf;
struct conf_strlist;

#define EXPLAIN_VALUE_MAX 256
#define EXPLAIN_CLID_MAX 64

/* The client to explain. */
struct explain_client {
	uint8_t mac[6];
	int arch;			/* option 93; -1: not a PXE client */
	bool has_vclass;		/* vendor-class= given (maybe empty) */
	char vclass[EXPLAIN_VALUE_MAX];	/* option 60 ("" none) */
	char uclass[EXPLAIN_VALUE_MAX];	/* option 77 ("" none) */
	char hostname[EXPLAIN_VALUE_MAX]; /* option 12 ("" none) */
	uint8_t clid[EXPLAIN_CLID_MAX];	/* option 61 */
	size_t clid_len;
	struct in_addr relay;		/* giaddr; 0: on the link */
	struct in_addr requested;	/* option 50; 0: none */
	char iface[32];			/* "" : from the configuration */
	struct in_addr addr;		/* the interface's; 0: look it up */
	unsigned prefix;
};

/* The architecture of a word: a number, a pxe-service CSA name
 * (x86PC, BC_EFI ...) or bios, efi-ia32, efi-x64 (7), efi-bc (7),
 * efi-x86-64 (9), efi-arm32, efi-arm64, efi-x64-http (16),
 * efi-arm64-http (19); -1 when unknown. */
int explain_arch_parse(const char *s);

/* Reads the description words into cl (defaults first: MAC
 * 52:54:00:12:34:56, no arch).  Returns 0, or -EINVAL with err set. */
int explain_client_parse(const struct conf_strlist *words,
    struct explain_client *cl, char *err, size_t errsz);

/* The DISCOVER a PXE ROM (with arch) or a plain client would send:
 * 57, 55, 60, 93, 94, 97 for PXE; 61, 12, 50, 77 when given.  Returns
 * the length written into buf (cap at least 548), or 0. */
size_t explain_build_discover(const struct explain_client *cl,
    uint8_t *buf, size_t cap);

/* The first DHCP request (UDP to port 67 or 4011, BOOTP op 1) of a
 * classic pcap file in data: its payload, destination port and IP
 * source.  Returns 0, or -EINVAL / -ENOENT with err set. */
int explain_pcap_request(const uint8_t *data, size_t len,
    const uint8_t **payload, size_t *plen, uint16_t *dport,
    struct in_addr *src, char *err, size_t errsz);

/* The whole report for cf's explain words / pcap to out.  Returns the
 * exit status: 0 explained, 1 bad description or capture. */
int explain_main(const struct conf *cf, FILE *out);

#endif
