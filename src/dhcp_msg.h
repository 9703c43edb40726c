/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp_msg.h - DHCPv4/BOOTP message codec (L1: no I/O, no time, no config).
 *
 * Decoding (RFC 2131, 2132): the fixed BOOTP header, the magic cookie,
 * options with option overload (52: options continue in `file`, then
 * `sname`) and RFC 3396 concatenation of repeated options, all done once
 * here; nobody else walks raw options (sub-options go through
 * dhcp_walk_*).  A malformed input is rejected with a named reason (enum
 * dhcp_bad) and never read past its end.
 *
 * What dnsmasq 2.90 accepts (rfc2131.c dhcp_reply, option_find): op 1,
 * hlen <= 16, not htype 0 with hlen != 0, at least the 236-byte header;
 * option 53 requires the magic cookie, without 53 the packet is BOOTP.
 * Options are read from offset 240 whether or not the cookie is there.
 * dnsmasq never rejects a packet for a malformed option: its search stops
 * at an option that runs past its field (options before it still count)
 * and a missing END is fine.  pxemasq does the same and records the defect
 * in dhcp_msg.tolerated.  Differences from dnsmasq, all on packets no known
 * client sends (checked against dnsmasq 2.90, which answers them):
 *   - 53 must be exactly 1 byte (dnsmasq: first byte of the first
 *     non-empty 53);
 *   - 52 must be one byte of value 1..3, once, in the options field;
 *     a 52 inside file/sname is rejected (dnsmasq ignores such a 52 and
 *     uses the first byte of the first 52 as a bit mask);
 *   - a packet over DHCP_MAX_MSG bytes is rejected (dnsmasq grows its
 *     buffer to any UDP size);
 *   - repeated options are concatenated (RFC 3396) where dnsmasq uses
 *     the first instance of at least the size it needs; the first
 *     instance is kept visible (dhcp_optval.first_len) for the cases
 *     where the server must see what dnsmasq sees.
 *
 * Encoding: a reply is built into a caller buffer with a hard size limit
 * (dhcp_msg_reply_size(), which the caller may clamp further to the MTU).
 * Options are appended in the order the caller adds them, each into the
 * first place that fits by dnsmasq's rule (rfc2131.c free_space): the
 * options field, else, when overload is allowed and file/sname are not
 * used for boot names, `file` and then `sname`, with option 52 inserted
 * where the first overflowing option would have gone (3 bytes are kept
 * free for it).  An option that fits nowhere is refused (-ENOSPC) and the
 * caller logs dnsmasq's "cannot send DHCP/BOOTP option N: no space left
 * in packet".  The result never exceeds the buffer's cap.
 */
#ifndef PXEMASQ_DHCP_MSG_H
#define PXEMASQ_DHCP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define DHCP_FIXED_LEN 236		/* op .. file */
#define DHCP_OPTIONS_OFF 240		/* first option, after the cookie */
#define DHCP_COOKIE 0x63825363u
#define DHCP_MIN_LEN 300		/* BOOTP minimum (RFC 951 vend 64) */
#define DHCP_DEFAULT_MAX 576		/* IP packet: 548 bytes of DHCP */
#define DHCP_MIN_BUF 548		/* dnsmasq's struct dhcp_packet */
#define DHCP_MAX_MSG 16384		/* dnsmasq's upper clamp */
#define DHCP_CHADDR_LEN 16
#define DHCP_SNAME_LEN 64
#define DHCP_FILE_LEN 128
#define DHCP_SNAME_OFF 44
#define DHCP_FILE_OFF 108

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
	DHCP_OPT_USER_CLASS = 77, DHCP_OPT_RAPID_COMMIT = 80,
	DHCP_OPT_FQDN = 81, DHCP_OPT_AGENT = 82,
	DHCP_OPT_CLIENT_ARCH = 93, DHCP_OPT_CLIENT_NDI = 94,
	DHCP_OPT_CLIENT_UUID = 97, DHCP_OPT_SUBNET_SELECT = 118,
	DHCP_OPT_VENDOR_IDENT = 125,
	DHCP_OPT_END = 255,
};

/* Why a message was rejected (returned by dhcp_msg_decode), or a defect
 * read past as dnsmasq does (a bit in dhcp_msg.tolerated).  Each has a
 * name for logs and counters. */
enum dhcp_bad {
	DHCP_OK = 0,
	DHCP_BAD_SHORT,		/* shorter than the 236-byte fixed header */
	DHCP_BAD_LONG,		/* longer than DHCP_MAX_MSG */
	DHCP_BAD_OP,		/* op not the expected one (1: request) */
	DHCP_BAD_HLEN,		/* hlen > 16 */
	DHCP_BAD_HTYPE,		/* htype 0 with hlen != 0 */
	DHCP_BAD_COOKIE,	/* option 53 without the magic cookie */
	DHCP_BAD_TYPE_LEN,	/* option 53 not exactly one byte */
	DHCP_BAD_OVERLOAD,	/* 52 not 1 byte 1..3, repeated, nested */
	/* tolerated, never returned: */
	DHCP_BAD_OPT_OVERRUN,	/* an option runs past its field: the rest
				 * of that field is not read */
	DHCP_BAD_NO_END,	/* the options field has no END */
	DHCP_BAD_COUNT
};
const char *dhcp_bad_name(enum dhcp_bad why);

/* Where options live (RFC 2131 4.1, RFC 3396 5: concatenation order). */
enum dhcp_area { DHCP_AREA_OPTIONS, DHCP_AREA_FILE, DHCP_AREA_SNAME };

/* One option after decoding: the bytes of all its instances concatenated
 * in RFC 3396 order (options field, file, sname).  The first non-empty
 * instance is p[0 .. first_len), which is what dnsmasq's option_find()
 * returns for a minimum size up to first_len. */
struct dhcp_optval {
	const uint8_t *p;	/* into dhcp_msg.optbuf; NULL = absent */
	uint16_t len;		/* total over all instances */
	uint16_t first_len;	/* first non-empty instance, 0 if none */
	uint16_t count;		/* instances seen (empty ones included) */
};

struct dhcp_msg {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	struct in_addr ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[DHCP_CHADDR_LEN];
	uint8_t sname[DHCP_SNAME_LEN];
	uint8_t file[DHCP_FILE_LEN];
	size_t len;		/* packet length */
	uint8_t magic[4];	/* vend bytes 0..3 (if len >= 240) */
	bool cookie;		/* magic cookie present: DHCP, else BOOTP */
	uint8_t overload;	/* option 52 value (1 file, 2 sname, 3 both) */
	/* option 53 value as sent, possibly outside 1..8; DHCP_NONE when 53
	 * is absent or 0 (dnsmasq then takes the BOOTP path too; only
	 * dhcp_msg_reply_size() tells the two apart, as dnsmasq does) */
	enum dhcp_type type;
	size_t end_off;		/* offset of END in the options field, or 0 */
	unsigned tolerated;	/* 1u << DHCP_BAD_OPT_OVERRUN, ..._NO_END */
	/* by code; 52 is in .overload, never here; PAD and END never */
	struct dhcp_optval opt[256];
	/* concatenated option bytes; a message is at most DHCP_MAX_MSG */
	uint8_t optbuf[DHCP_MAX_MSG];
	size_t optbuf_used;
	/* option codes in the order first seen (for log-dhcp) */
	uint8_t order[256];
	unsigned norder;
};

/* Decodes a request.  Returns DHCP_OK, or the reason it was rejected.
 * m is fully initialised either way (all options absent on rejection).
 * Borrows pkt for the call only: m holds copies. */
enum dhcp_bad dhcp_msg_decode(struct dhcp_msg *m, const void *pkt, size_t len);
/* The same rules for a reply (op 2): for tests, fuzzing and comparing
 * replies in the compat tests. */
enum dhcp_bad dhcp_msg_decode_reply(struct dhcp_msg *m, const void *pkt,
    size_t len);

/* True when the option was present, even with zero length. */
bool dhcp_msg_has(const struct dhcp_msg *m, uint8_t code);
/* The option's bytes if present and of a length its rule allows, else
 * NULL.  Rules (minimum..maximum): 50, 51, 54, 118 exactly 4; 57 exactly
 * 2; 93 at least 2 (a list of 2-byte types); 97 at least 17; 81 at least
 * 3; 125 at least 5; 55 and 80 any length; every other code at least 1
 * (dnsmasq's minimum for 12, 43, 60, 61, 77, 82 and dhcp-match). */
const uint8_t *dhcp_msg_get(const struct dhcp_msg *m, uint8_t code,
    size_t *len);
/* Option as an IPv4 address (the rule must give exactly 4 bytes). */
bool dhcp_msg_addr(const struct dhcp_msg *m, uint8_t code,
    struct in_addr *out);
/* The first 2 or 4 bytes of an option allowed by its rule, big-endian. */
bool dhcp_msg_u16(const struct dhcp_msg *m, uint8_t code, uint16_t *out);
bool dhcp_msg_u32(const struct dhcp_msg *m, uint8_t code, uint32_t *out);
/* True when the parameter request list (55) contains code before any
 * 255 byte (dnsmasq ends its copy of the list at 255).  False without 55;
 * dnsmasq then sends everything, which is the caller's rule. */
bool dhcp_msg_requested(const struct dhcp_msg *m, uint8_t code);
/* The reply buffer dnsmasq uses: for a message with option 53 (any
 * value) and a 2-byte option 57, its value minus 28 clamped to
 * [548, 16384] (a value under 28 wraps to 16384, as in dnsmasq); else
 * 548.  BOOTP replies then use only a 64-byte vend area (dhcp_out_bootp).
 * The caller clamps the result to the interface MTU minus 28. */
size_t dhcp_msg_reply_size(const struct dhcp_msg *m);

/* Client identity as dnsmasq takes it: clid = option 61 (at least 1
 * byte) unless ignore_clid (dhcp-ignore-clid); mac = the address used for
 * hashing and logging (chaddr, or client-id bytes when hlen is 0: see
 * dhcp_ext_hwaddr).  Pointers borrow from m. */
struct dhcp_client_id {
	const uint8_t *clid;	/* NULL: no client-id */
	size_t clid_len;
	const uint8_t *mac;
	size_t mac_len;		/* 0..16, or the client-id's length */
	uint8_t htype;
};
void dhcp_msg_client_id(const struct dhcp_msg *m, bool ignore_clid,
    struct dhcp_client_id *out);
/* dnsmasq's extended_hwaddr(): with hlen 0 and a client-id longer than 3
 * bytes, the client-id without its first byte when that byte equals
 * htype (or is EUI-64 (27) on IEEE 1394 (24)), else the whole client-id;
 * otherwise chaddr[0 .. hlen).  For a client-id remembered from the lease
 * when the request has none, call it with that client-id. */
const uint8_t *dhcp_ext_hwaddr(uint8_t htype, uint8_t hlen,
    const uint8_t *chaddr, const uint8_t *clid, size_t clid_len,
    size_t *len_out);

/* --- walking encapsulated options (43, 82, 125 sub-options) ------------ */

/* dnsmasq's option_find1() rules: 0 is PAD, 255 ends, an item running
 * past the end stops the walk (the items before it count). */
struct dhcp_walk {
	const uint8_t *p;
	size_t len, off;
	bool done;
	bool overrun;		/* stopped at an item running past the end */
	bool ended;		/* stopped at END */
};
void dhcp_walk_init(struct dhcp_walk *w, const void *p, size_t len);
/* Next item; false at the end.  *val borrows from the walked bytes. */
bool dhcp_walk_next(struct dhcp_walk *w, uint8_t *code,
    const uint8_t **val, uint8_t *len);
/* First item `code` with at least minlen bytes (option_find1), or NULL. */
const uint8_t *dhcp_subopt(const void *p, size_t len, uint8_t code,
    size_t minlen, uint8_t *len_out);

/* --- encoding --------------------------------------------------------- */

struct dhcp_out {
	uint8_t *buf;		/* whole BOOTP message (borrowed) */
	size_t cap;		/* hard limit: dnsmasq's buffer end */
	size_t opt_end;		/* next free byte in the options field */
	size_t file_off, sname_off; /* next free byte inside file/sname */
	size_t ovl_at;		/* offset of option 52, 0 = not inserted */
	uint8_t overload_used;	/* 52's value: 1 file, 2 sname */
	/* Overload allowed: by default when the request has 55 and a
	 * message type (dnsmasq's BOOTP path has no request list); the
	 * caller clears it for dhcp-no-override. */
	bool allow_overload;
	bool file_taken, sname_taken; /* used for boot names: no overload */
	bool bootp;		/* options limited to the 64-byte vend area */
	bool bad;		/* cap below the fixed header: all -ENOSPC */
	bool ended;
	const uint8_t *agent;	/* option 82 to echo last (borrowed) */
	size_t agent_len, agent_total;
	size_t len;		/* message length after dhcp_out_finish */
};

/* Starts a reply in buf (cap bytes, at most DHCP_MAX_MSG used, zeroed
 * here), as dnsmasq reuses the request: op=2; htype, hlen, hops, xid,
 * secs, flags, ciaddr, yiaddr, giaddr and all 16 chaddr bytes kept;
 * siaddr, sname and file zero; vend bytes 0..3 as the request had them
 * (the cookie, or a BOOTP client's own bytes; the cookie when the
 * request was shorter than 240 bytes).
 * The caller sets yiaddr/siaddr/ciaddr/flags with the setters below
 * (dnsmasq zeroes ciaddr in DISCOVER and when 50 is present).  req may
 * be NULL: a zero header with the cookie.  Borrows buf until finish. */
void dhcp_out_init(struct dhcp_out *o, void *buf, size_t cap,
    const struct dhcp_msg *req);
void dhcp_out_yiaddr(struct dhcp_out *o, struct in_addr a);
void dhcp_out_siaddr(struct dhcp_out *o, struct in_addr a);
void dhcp_out_ciaddr(struct dhcp_out *o, struct in_addr a);
void dhcp_out_flags(struct dhcp_out *o, uint16_t flags);
/* Boot file / server name in the fixed fields (dhcp-boot without 66/67
 * requested, dhcp-no-override, BOOTP): copied as dnsmasq's
 * safe_strncpy (at most 127 / 63 bytes, NUL-terminated).  A non-empty
 * name takes the field away from overload; call before adding options.
 * Returns 0, or -EBUSY when the field already carries options. */
int dhcp_out_file(struct dhcp_out *o, const char *name);
int dhcp_out_sname(struct dhcp_out *o, const char *name);
/* BOOTP reply: options only up to byte 300 (64-byte vend area), no
 * overload (rfc2131.c: end = options + 64).  An echoed option 82 still
 * follows them. */
void dhcp_out_bootp(struct dhcp_out *o);
/* Arranges the request's option 82 to be echoed verbatim as the last
 * option, reserving its room first as dnsmasq does: only when the
 * request's options field had an END at an offset below cap minus the
 * option's size.  Call right after init.  Borrows req until finish.
 * Returns 0, -ENOENT (no 82 of at least 1 byte) or -ENOSPC. */
int dhcp_out_agent(struct dhcp_out *o, const struct dhcp_msg *req);
/* Appends option code with len bytes (len > 255: RFC 3396 instances of
 * 255 bytes, all or none, in non-decreasing area order).  Returns 0,
 * -ENOSPC, or -EINVAL (code 0, 52 or 255, or after finish).  A refused
 * option may still have inserted option 52, as in dnsmasq. */
int dhcp_out_opt(struct dhcp_out *o, uint8_t code, const void *val,
    size_t len);
/* Writes option 52 (when overload was used), the echoed 82, END in each
 * area used, pads to the BOOTP minimum of 300 bytes.  Returns the
 * message length (also in o->len; calling again returns it again), or
 * -ENOSPC when cap is below 300. */
int dhcp_out_finish(struct dhcp_out *o);
/* After finish: the option bytes of an area (END included), for log-dhcp
 * ("sent size:" lines: dnsmasq logs file, then sname, then the options
 * field).  False when the area holds no options. */
bool dhcp_out_area(const struct dhcp_out *o, enum dhcp_area a,
    const uint8_t **p, size_t *len);

#endif
