/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tftp_proto.h - TFTP wire format and option negotiation (L1/L2, no
 * syscalls): request parsing (RFC 1350 RRQ/WRQ, RFC 2347 options),
 * error and OACK packets, and the choice of transfer parameters
 * (RFC 2348 blksize, RFC 2349 timeout and tsize, RFC 7440 windowsize).
 *
 * Request facts follow dnsmasq 2.90 (tftp.c): every string of the
 * request must be NUL terminated and the packet's last byte must be NUL,
 * an empty string ends the list (an empty file name or mode makes the
 * request unsupported), mode and option names compare case-insensitively,
 * a repeated option overrides the earlier one.  Error texts are dnsmasq's;
 * the message is cut to 499 bytes plus its NUL (dnsmasq's MAXMESSAGE).
 */
#ifndef PXEMASQ_TFTP_PROTO_H
#define PXEMASQ_TFTP_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wr;

/* RFC 1350 5 and RFC 2347: opcodes */
enum tftp_op {
	TFTP_OP_RRQ = 1,
	TFTP_OP_WRQ = 2,
	TFTP_OP_DATA = 3,
	TFTP_OP_ACK = 4,
	TFTP_OP_ERROR = 5,
	TFTP_OP_OACK = 6,
};

/* RFC 1350 appendix and RFC 2347: error codes */
enum tftp_errcode {
	TFTP_ERR_NOTDEF = 0,
	TFTP_ERR_FNF = 1,
	TFTP_ERR_PERM = 2,
	TFTP_ERR_FULL = 3,
	TFTP_ERR_ILL = 4,
	TFTP_ERR_TID = 5,
	TFTP_ERR_EXISTS = 6,
	TFTP_ERR_NOUSER = 7,
	TFTP_ERR_OPTNEG = 8,
};

#define TFTP_HDR_LEN		4	/* opcode + block or error code */
#define TFTP_BLKSIZE_DEFAULT	512	/* RFC 1350 */
#define TFTP_BLKSIZE_MIN	8	/* RFC 2348 */
#define TFTP_BLKSIZE_MAX	65464	/* RFC 2348 */
#define TFTP_TIMEOUT_MIN	1	/* RFC 2349 */
#define TFTP_TIMEOUT_MAX	255
#define TFTP_WINDOW_MAX		65535	/* RFC 7440 */
#define TFTP_WINDOW_CAP_DEFAULT	64	/* largest window granted */
/* A window's data never exceeds this: clients read with their default
 * socket buffer (Linux 208 KiB, which holds about 13 datagrams of 8 KiB
 * on a veth), and datagrams past it are dropped on arrival; atftp then
 * waits for a retransmission (1 s) on every window.  64 KiB: 44 blocks
 * of 1468, 8 of 8192, lock-step beyond 32768. */
#define TFTP_WINDOW_BYTES	65536
#define TFTP_ERRMSG_MAX		500	/* dnsmasq MAXMESSAGE, NUL in */
/* IP + UDP + TFTP headers, as dnsmasq subtracts them from the MTU */
#define TFTP_OVERHEAD_V4	32
#define TFTP_OVERHEAD_V6	52

/* Why a request is not served (each has a counter in the shell). */
enum tftp_req_verdict {
	TFTP_REQ_OK = 0,
	TFTP_REQ_SHORT,		/* under 2 bytes: dropped silently */
	TFTP_REQ_WRQ,		/* ERROR 4 "unsupported request" */
	TFTP_REQ_OPCODE,	/* not RRQ/WRQ: ERROR 4 */
	TFTP_REQ_UNTERMINATED,	/* last byte not NUL: ERROR 4 */
	TFTP_REQ_NO_NAME,	/* empty file name: ERROR 4 */
	TFTP_REQ_NO_MODE,	/* missing or empty mode: ERROR 4 */
	TFTP_REQ_MODE,		/* mode not octet/netascii: ERROR 4 */
	TFTP_REQ_N_VERDICTS
};

/* One requested option value: present, and its decimal value when it
 * is all digits (at most 20 of them; larger saturates). */
struct tftp_optval {
	bool present;
	bool numeric;
	uint64_t v;
};

/* A parsed request.  name points into the packet (NUL terminated since
 * the packet's last byte is NUL); borrowed from the packet. */
struct tftp_req {
	uint16_t op;
	const char *name;
	size_t name_len;
	bool netascii;
	struct tftp_optval blksize, tsize, timeout, windowsize;
	unsigned n_opts;	/* option names seen */
	unsigned n_unknown;	/* of which not ours */
	unsigned n_repeated;	/* of which repeated */
};

/* Parses a request; borrows pkt for the life of req. */
enum tftp_req_verdict tftp_req_parse(const uint8_t *pkt, size_t len,
    struct tftp_req *req);
const char *tftp_req_verdict_name(enum tftp_req_verdict v);

/* dnsmasq's name rewriting: backslashes become slashes, and with
 * lower every other byte is lower-cased.  Writes at most outsz - 1 bytes
 * plus a NUL; returns false if the name did not fit. */
bool tftp_name_normalise(const char *in, size_t len, bool lower,
    char *out, size_t outsz);

/* What the server allows; the file size is known when negotiating. */
struct tftp_neg_in {
	unsigned mtu;		/* interface MTU, tftp-mtu; 0 unknown */
	bool ipv6;
	bool no_blocksize;	/* tftp-no-blocksize */
	unsigned window_cap;	/* largest window granted (>= 1) */
	uint64_t file_size;
};

/* The transfer's parameters and the options the OACK echoes. */
struct tftp_params {
	uint32_t blksize;
	uint32_t window;
	uint32_t timeout_s;	/* 0: the client asked none */
	uint64_t tsize;
	bool netascii;
	bool o_blksize, o_tsize, o_timeout, o_window;
};

/* RFC 2347-2349, 7440: accepts what we can honour, declines the rest
 * (a declined option is not echoed).  blksize 8-65464 capped by the MTU
 * minus the headers; timeout 1-255; windowsize 1-65535 capped by
 * window_cap and by TFTP_WINDOW_BYTES of data; tsize answered with the
 * file size (not for an empty file). */
void tftp_negotiate(const struct tftp_req *req, const struct tftp_neg_in *in,
    struct tftp_params *p);
bool tftp_params_oack(const struct tftp_params *p);

/* OACK with the accepted options (blksize, tsize, timeout, windowsize
 * order, dnsmasq's first two).  Returns bytes written, 0 on overflow. */
size_t tftp_oack_encode(uint8_t *buf, size_t cap, const struct tftp_params *p);
/* ERROR packet; msg cut to TFTP_ERRMSG_MAX - 1 bytes.  Returns bytes
 * written, 0 when cap is too small. */
size_t tftp_err_encode(uint8_t *buf, size_t cap, uint16_t code,
    const char *msg);

/* A packet arriving on a transfer: opcode and block/error number, and
 * for ERROR its text (sanitised as dnsmasq does, into msg).  Returns false
 * when shorter than 4 bytes. */
bool tftp_pkt_peek(const uint8_t *pkt, size_t len, uint16_t *op,
    uint16_t *num, char *msg, size_t msgsz);

#endif
