/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp_msg.h - DHCPv4/BOOTP message codec (L1: no I/O, no time, no config).
 *
 * Decoding (RFC 2131, 2132): the fixed BOOTP header, the magic cookie,
 * options with option overload (52: options continue in `file`, then
 * `sname`) and RFC 3396 concatenation of repeated options, all done once
 * here; nobody else walks raw options.  Every malformed input is rejected
 * with a named reason (enum dhcp_bad) and never read past its end.
 *
 * Encoding: a reply is built into a caller buffer with a hard size limit
 * (the client's maximum message size, clamped by the caller to the MTU).
 * Options are appended in the order the caller adds them; when the options
 * field is full and overload is allowed, the encoder continues in `file`
 * and then `sname` and adds option 52, as dnsmasq does (3 bytes reserved
 * for it).  An option that fits nowhere is refused (-ENOSPC) and the
 * caller logs dnsmasq's "cannot send DHCP/BOOTP option N: no space left
 * in packet".
 */
#ifndef PXEMASQ_DHCP_MSG_H
#define PXEMASQ_DHCP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define DHCP_FIXED_LEN 236		/* op .. file */
#define DHCP_COOKIE 0x63825363u
#define DHCP_MIN_LEN 300		/* BOOTP minimum (RFC 951 vend 64) */
#define DHCP_DEFAULT_MAX 576		/* IP packet: 548 bytes of DHCP */
#define DHCP_MAX_MSG 16384		/* dnsmasq's upper clamp */
#define DHCP_CHADDR_LEN 16
#define DHCP_SNAME_LEN 64
#define DHCP_FILE_LEN 128

enum dhcp_op { DHCP_OP_REQUEST = 1, DHCP_OP_REPLY = 2 };

/* Message types, option 53 (RFC 2132 9.6). */
enum dhcp_type {
	DHCP_NONE = 0, DHCP_DISCOVER = 1, DHCP_OFFER = 2, DHCP_REQUEST = 3,
	DHCP_DECLINE = 4, DHCP_ACK = 5, DHCP_NAK = 6, DHCP_RELEASE = 7,
	DHCP_INFORM = 8,
};

/* Option codes used by the server (RFC 2132 names). */
enum {
	DHCP_OPT_PAD = 0, DHCP_OPT_NETMASK = 1, DHCP_OPT_ROUTER = 3,
	DHCP_OPT_DNS = 6, DHCP_OPT_HOSTNAME = 12, DHCP_OPT_DOMAIN = 15,
	DHCP_OPT_BROADCAST = 28, DHCP_OPT_VENDOR_ENCAP = 43,
	DHCP_OPT_REQ_ADDR = 50, DHCP_OPT_LEASE_TIME = 51,
	DHCP_OPT_OVERLOAD = 52, DHCP_OPT_MSG_TYPE = 53,
	DHCP_OPT_SERVER_ID = 54, DHCP_OPT_PRL = 55, DHCP_OPT_MESSAGE = 56,
	DHCP_OPT_MAX_SIZE = 57, DHCP_OPT_T1 = 58, DHCP_OPT_T2 = 59,
	DHCP_OPT_VENDOR_CLASS = 60, DHCP_OPT_CLIENT_ID = 61,
	DHCP_OPT_TFTP_SERVER = 66, DHCP_OPT_BOOTFILE = 67,
	DHCP_OPT_USER_CLASS = 77, DHCP_OPT_FQDN = 81, DHCP_OPT_AGENT = 82,
	DHCP_OPT_CLIENT_ARCH = 93, DHCP_OPT_CLIENT_NDI = 94,
	DHCP_OPT_CLIENT_UUID = 97, DHCP_OPT_SUBNET_SELECT = 118,
	DHCP_OPT_END = 255,
};

/* Why a message was rejected; each has a name for logs and counters. */
enum dhcp_bad {
	DHCP_OK = 0,
	DHCP_BAD_SHORT,		/* shorter than the fixed header */
	DHCP_BAD_OP,		/* op is not BOOTREQUEST (server side) */
	DHCP_BAD_HLEN,		/* hlen > 16, or htype 0 with hlen != 0 */
	DHCP_BAD_OPT_OVERRUN,	/* an option runs past its field */
	DHCP_BAD_OVERLOAD,	/* option 52 malformed, or 52 inside file/sname */
	DHCP_BAD_NO_END,	/* reserved; dnsmasq accepts a missing END */
	DHCP_BAD_TYPE_LEN,	/* option 53 not exactly one byte */
	DHCP_BAD_COUNT
};
const char *dhcp_bad_name(enum dhcp_bad why);

/* One option after decoding: its bytes, concatenated across repeats. */
struct dhcp_optval {
	const uint8_t *p;	/* into dhcp_msg.optbuf; NULL = absent */
	uint16_t len;		/* up to 255 * repeats */
};

struct dhcp_msg {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	struct in_addr ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[DHCP_CHADDR_LEN];
	uint8_t sname[DHCP_SNAME_LEN];
	uint8_t file[DHCP_FILE_LEN];
	bool cookie;		/* magic cookie present: DHCP, else BOOTP */
	uint8_t overload;	/* option 52 value seen (1 file, 2 sname, 3 both) */
	enum dhcp_type type;	/* option 53, DHCP_NONE for BOOTP */
	struct dhcp_optval opt[256];
	/* concatenated option bytes; a message is at most DHCP_MAX_MSG */
	uint8_t optbuf[DHCP_MAX_MSG];
	size_t optbuf_used;
	/* option codes in the order first seen (for log-dhcp) */
	uint8_t order[256];
	unsigned norder;
};

/* Decodes a request.  Returns DHCP_OK, or the reason it was rejected.
 * m is fully initialised either way. */
enum dhcp_bad dhcp_msg_decode(struct dhcp_msg *m, const void *pkt, size_t len);

/* Convenience accessors. */
bool dhcp_msg_has(const struct dhcp_msg *m, uint8_t code);
/* Option as an IPv4 address (exactly 4 bytes), or false. */
bool dhcp_msg_addr(const struct dhcp_msg *m, uint8_t code,
    struct in_addr *out);
/* True when the parameter request list (55) contains code. */
bool dhcp_msg_requested(const struct dhcp_msg *m, uint8_t code);

/* --- encoding --------------------------------------------------------- */

struct dhcp_out {
	uint8_t *buf;		/* whole BOOTP message */
	size_t cap;		/* hard limit (client max size, MTU) */
	size_t opt_end;		/* next free byte in the options area */
	bool allow_overload;	/* 55 was present and no dhcp-no-override */
	uint8_t overload_used;	/* 1 file, 2 sname */
	size_t file_off, sname_off; /* next free byte inside file/sname */
	bool file_taken, sname_taken; /* used for boot names: no overload */
	bool ended;
};

/* Starts a reply in buf (cap bytes): fixed header copied from req as
 * dnsmasq does (op=2; htype, hlen, hops, xid, secs, flags, giaddr,
 * chaddr kept; ciaddr kept; the rest zero), magic cookie written. */
void dhcp_out_init(struct dhcp_out *o, void *buf, size_t cap,
    const struct dhcp_msg *req);
/* Appends option code with len bytes.  Returns 0 or -ENOSPC. */
int dhcp_out_opt(struct dhcp_out *o, uint8_t code, const void *val,
    size_t len);
/* Writes END (and option 52 when overload was used), pads to the BOOTP
 * minimum of 300 bytes.  Returns the message length, or -ENOSPC. */
int dhcp_out_finish(struct dhcp_out *o);

#endif
