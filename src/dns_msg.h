/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dns_msg.h - the DNS message codec (L1): header and question decoding
 * with compression pointers, the EDNS0 OPT record, walking resource
 * records, and building answers.  Untrusted bytes are only read through
 * buf.h.  Facts from RFC 1035 (4.1 format, 4.1.4 compression), RFC 6891
 * (EDNS0) and dnsmasq 2.90 (forward.c, rfc1035.c, edns0.c, cache.c):
 *   - a query's EDNS0 UDP size is bounded to [512, edns-packet-max]
 *     (1232 by default, config.h EDNS_PKTSZ) and written back into the
 *     forwarded query; a query without OPT is forwarded without one;
 *   - local answers carry an OPT of edns-packet-max when the query had
 *     one, and are cut (TC) at the client's size (512 without EDNS0).
 */
#ifndef PXEMASQ_DNS_MSG_H
#define PXEMASQ_DNS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "dnsname.h"

#define DNS_HDR_LEN		12
#define DNS_PACKETSZ		512	/* RFC 1035 2.3.4, no EDNS0 */
#define DNS_EDNS_PKTSZ		1232	/* dnsmasq's EDNS_PKTSZ */

/* Extended DNS Errors (RFC 8914), the INFO-CODEs dnsmasq 2.90 sends. */
#define DNS_OPT_EDE		15	/* the EDNS0 option code */
#define DNS_EDE_NONE		0xffff	/* no EDE (not an INFO-CODE) */
#define DNS_EDE_OTHER		0
#define DNS_EDE_NOT_READY	14
#define DNS_EDE_BLOCKED		15
#define DNS_EDE_FILTERED	17
#define DNS_EDE_NETERR		23
#define DNS_MSG_MAX		65535
#define DNS_WIRE_NAME_MAX	255	/* RFC 1035 3.1 */
#define DNS_RR_MAX		4096	/* records walked per message */

/* RFC 1035 4.1.1 flag bits of the second 16-bit word */
#define DNS_F_QR		0x8000
#define DNS_F_OPCODE		0x7800
#define DNS_F_AA		0x0400
#define DNS_F_TC		0x0200
#define DNS_F_RD		0x0100
#define DNS_F_RA		0x0080
#define DNS_F_AD		0x0020
#define DNS_F_CD		0x0010
#define DNS_F_RCODE		0x000f

enum dns_rcode {
	DNS_RC_NOERROR = 0,
	DNS_RC_FORMERR = 1,
	DNS_RC_SERVFAIL = 2,
	DNS_RC_NXDOMAIN = 3,
	DNS_RC_NOTIMP = 4,
	DNS_RC_REFUSED = 5,
};

enum dns_type {
	DNS_T_A = 1,
	DNS_T_NS = 2,
	DNS_T_CNAME = 5,
	DNS_T_SOA = 6,
	DNS_T_PTR = 12,
	DNS_T_MX = 15,
	DNS_T_TXT = 16,
	DNS_T_AAAA = 28,
	DNS_T_SRV = 33,
	DNS_T_NAPTR = 35,
	DNS_T_OPT = 41,
	DNS_T_MAILB = 253,
	DNS_T_ANY = 255,
};

#define DNS_C_IN		1

/* Why a message was not decoded: every drop has a name and a counter. */
enum dns_bad {
	DNS_OK = 0,
	DNS_BAD_SHORT,		/* shorter than the header or a record */
	DNS_BAD_QDCOUNT,	/* not exactly one question */
	DNS_BAD_LABEL,		/* label type 0x40/0x80 or name over 255 */
	DNS_BAD_POINTER,	/* compression pointer not strictly back */
	DNS_BAD_COUNTS,		/* more records than the message can hold */
	DNS_BAD_OPT,		/* OPT not in additional, not root, twice */
	DNS_BAD__N
};

const char *dns_bad_str(enum dns_bad why);

/* A decoded message: header, the one question, the OPT record. */
struct dns_msg {
	uint16_t id, flags;
	uint16_t qdcount, ancount, nscount, arcount;
	char qname[DNSNAME_BUF];	/* presentation form, as sent */
	uint16_t qtype, qclass;
	size_t qend;			/* offset after the question */
	bool has_opt;
	size_t opt_off;			/* the OPT record's first byte */
	uint16_t opt_size;		/* its UDP payload size */
	bool opt_do;			/* its DO bit */
	bool opt_last;			/* it ends the message */
};

/*
 * Decodes the header and the question (queries and replies alike) and,
 * when walk is true, every record (bounds, names, OPT).  Returns DNS_OK or
 * the reason.  A message without a question (qdcount 0) is
 * DNS_BAD_QDCOUNT.
 */
enum dns_bad dns_msg_parse(const uint8_t *pkt, size_t len, bool walk,
    struct dns_msg *m);

/*
 * Reads a (possibly compressed) name at r's position into out (DNSNAME_BUF
 * bytes) in presentation form: labels joined by '.', a '.', '\\' or a
 * byte outside 0x21..0x7e written \DDD; the root is "".  Pointers must
 * point strictly backwards and not into the header, which bounds the walk.
 * Returns DNS_OK or the reason; r is left after the name.
 */
enum dns_bad dns_name_read(struct rd *r, const uint8_t *pkt, char *out);

/* Skips a name (no pointer followed). */
enum dns_bad dns_name_skip(struct rd *r);

/* Equal up to ASCII case. */
bool dns_name_eq(const char *a, const char *b);

/* The name in lower case, into out (DNSNAME_BUF). */
void dns_name_lower(const char *in, char *out);

/* Writes a presentation-form name (escapes as dns_name_read writes them)
 * uncompressed; returns -EINVAL for a bad one (w is then bad too). */
int dns_name_write(struct wr *w, const char *name);

/* "A", "AAAA", ... or "type=N" (dnsmasq's querystr()), into buf. */
const char *dns_type_str(uint16_t type, char *buf, size_t size);

/* One resource record as walked. */
struct dns_rr {
	int section;			/* 1 answer, 2 authority, 3 additional */
	char name[DNSNAME_BUF];
	uint16_t type, class;
	uint32_t ttl;
	size_t ttl_off;			/* offset of the TTL field */
	size_t rdata_off;
	uint16_t rdlen;
};

/*
 * Walks the records after the question, calling fn for each (stop early
 * by returning false).  The names are decoded only when names is true.
 * Returns DNS_OK or the reason.
 */
typedef bool dns_rr_fn(void *arg, const uint8_t *pkt, const struct dns_rr *rr);
enum dns_bad dns_msg_walk(const uint8_t *pkt, size_t len,
    const struct dns_msg *m, bool names, dns_rr_fn *fn, void *arg);

/*
 * How long a reply may be cached: the smallest TTL of its answers; for a
 * negative answer (NXDOMAIN, or NOERROR without answers) the minimum of
 * the first SOA of the name's zone (rfc1035.c find_soa(): its owner ends
 * the question's name, or the last CNAME target's) bounded by the SOA's
 * own TTL (RFC 2308 5), without such an SOA
 * neg_ttl (dnsmasq's neg-ttl, 0 by default), else the smallest TTL of
 * its answers (a CNAME chain), else 0.  Sets *neg for a negative answer
 * (NXDOMAIN or NOERROR without answers).
 */
uint32_t dns_msg_cache_ttl(const uint8_t *pkt, size_t len,
    const struct dns_msg *m, uint32_t neg_ttl, bool *neg);

/* A negative reply holds an SOA of its name's zone (the one
 * dns_msg_cache_ttl() takes). */
bool dns_msg_neg_has_soa(const uint8_t *pkt, size_t len,
    const struct dns_msg *m);

/* DNS_SEC_BIT(1) answer, (2) authority, (3) additional. */
#define DNS_SEC_BIT(s)		(1u << (s))
#define DNS_SEC_ALL		(DNS_SEC_BIT(1) | DNS_SEC_BIT(2) | \
				 DNS_SEC_BIT(3))
/* Raises TTLs under lo to lo and lowers those over hi to hi (0: no
 * bound) in the given sections; OPT is left alone.  dnsmasq's
 * min-cache-ttl and max-cache-ttl (cache.c cache_insert()) and max-ttl
 * (rfc1035.c extract_addresses(), crec_ttl()). */
void dns_msg_ttl_bound(uint8_t *pkt, size_t len, const struct dns_msg *m,
    unsigned sections, uint32_t lo, uint32_t hi);

/* Lowers every TTL (not OPT's) by age seconds, at least to 0. */
void dns_msg_age(uint8_t *pkt, size_t len, const struct dns_msg *m,
    uint32_t age);

/* dnsmasq's private_net() (ban_localhost) and private_net6(): true when
 * an answer A or AAAA record holds such an address (stop-dns-rebind). */
bool dns_msg_has_private(const uint8_t *pkt, size_t len,
    const struct dns_msg *m);
/* The same with ban_localhost false for rebind-localhost-ok: 127.0.0.0/8,
 * 0.0.0.0/8, :: and ::1 are not private then. */
bool dns_msg_has_private_lo(const uint8_t *pkt, size_t len,
    const struct dns_msg *m, bool ban_localhost);

/* Header fields in place. */
void dns_msg_set_id(uint8_t *pkt, uint16_t id);
uint16_t dns_msg_get_id(const uint8_t *pkt);
/* Writes the OPT UDP size (m->has_opt). */
void dns_msg_set_opt_size(uint8_t *pkt, const struct dns_msg *m,
    uint16_t size);
/* Removes a trailing OPT record; returns the new length. */
size_t dns_msg_strip_opt(uint8_t *pkt, size_t len, const struct dns_msg *m);
/* Appends an OPT record (UDP size, no flags, no options) to a message
 * that has none, room permitting (cap bytes); returns the new length. */
size_t dns_msg_add_opt(uint8_t *pkt, size_t len, size_t cap,
    uint16_t udp_size);
/*
 * Puts an Extended DNS Error option (code, no EXTRA-TEXT) in the OPT
 * record that ends pkt, replacing an EDE already there (dnsmasq's
 * add_pseudoheader() with replace); options that overrun the record are
 * dropped first, as dnsmasq drops them.  Returns the new length; len when
 * pkt has no trailing OPT or the option does not fit in cap bytes.
 */
size_t dns_msg_add_ede(uint8_t *pkt, size_t len, size_t cap,
    const struct dns_msg *m, uint16_t code);
/*
 * Removes the answer-section records for which drop() is true, moving
 * the rest up and rewriting the compression pointers of the names kept
 * (owners, and the names inside NS, CNAME, SOA, PTR, MX, SRV and the
 * other RFC 3597 4 types) that point past a removed record.  When a
 * kept name points into a removed record, nothing is removed (dnsmasq's
 * rrfilter() gives up the same way).  Returns how many were removed; *len
 * and m are updated.
 */
unsigned dns_msg_drop_answers(uint8_t *pkt, size_t *len, struct dns_msg *m,
    bool (*drop)(void *arg, const struct dns_rr *rr), void *arg);
/* Keeps the header, the question and a trailing OPT record, dropping
 * every other record (dnsmasq does so to a TC reply and to one that
 * failed the rebind check); returns the new length. */
size_t dns_msg_strip_records(uint8_t *pkt, size_t len, struct dns_msg *m);
/* Cuts a reply to its header and question with TC set and no records;
 * returns the new length. */
size_t dns_msg_truncate(uint8_t *pkt, const struct dns_msg *m);

/* --- building answers ---------------------------------------------- */

struct dns_build {
	struct wr w;
	size_t limit;		/* the client's size */
	uint16_t an, ns, ar;
	bool trunc;		/* a record did not fit: TC */
	uint16_t flags;
	uint16_t ede;		/* for the OPT: an INFO-CODE or DNS_EDE_NONE */
};

/*
 * Starts an answer to q (the query, whose question bytes q_pkt[12..qend)
 * are echoed): id, opcode, RD and CD copied, QR and RA set, rcode given.
 * buf holds cap bytes; records stop at limit.
 */
void dns_build_begin(struct dns_build *b, void *buf, size_t cap,
    size_t limit, const uint8_t *q_pkt, const struct dns_msg *q,
    enum dns_rcode rcode);
void dns_build_set_flags(struct dns_build *b, uint16_t set);
/* The OPT record that dns_build_opt() writes carries this EDE. */
void dns_build_set_ede(struct dns_build *b, uint16_t code);
/* A record whose owner is the question name (compression pointer). */
void dns_build_rr(struct dns_build *b, int section, const char *owner,
    uint16_t type, uint32_t ttl, const void *rdata, uint16_t rdlen);
/* A record whose rdata is a name (CNAME, PTR). */
void dns_build_rr_name(struct dns_build *b, int section, const char *owner,
    uint16_t type, uint32_t ttl, const char *target);
/* A record whose rdata is prelen fixed bytes then a name (MX, SRV,
 * NAPTR); a NULL target is the root. */
void dns_build_rr_pname(struct dns_build *b, int section, const char *owner,
    uint16_t type, uint32_t ttl, const void *pre, uint16_t prelen,
    const char *target);
/* An OPT record (RFC 6891 6.1.2) with this UDP size (and the EDE set
 * by dns_build_set_ede()). */
void dns_build_opt(struct dns_build *b, uint16_t udp_size, bool do_bit);
/* Patches the counts and TC; returns the length, 0 on a bug. */
size_t dns_build_end(struct dns_build *b);

#endif
