/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tftp_proto.c - TFTP wire format and option negotiation (see
 * tftp_proto.h).  No syscalls; untrusted bytes only through struct rd.
 */
#include "tftp_proto.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "log.h"

static const char *const tftp_req_verdict_names[TFTP_REQ_N_VERDICTS] = {
	[TFTP_REQ_OK] = "ok",
	[TFTP_REQ_SHORT] = "short",
	[TFTP_REQ_WRQ] = "write-request",
	[TFTP_REQ_OPCODE] = "bad-opcode",
	[TFTP_REQ_UNTERMINATED] = "unterminated",
	[TFTP_REQ_NO_NAME] = "no-name",
	[TFTP_REQ_NO_MODE] = "no-mode",
	[TFTP_REQ_MODE] = "bad-mode",
};

const char *
tftp_req_verdict_name(enum tftp_req_verdict v)
{
	if ((unsigned)v >= TFTP_REQ_N_VERDICTS)
		return "?";
	return tftp_req_verdict_names[v];
}

/* The next NUL-terminated, non-empty string (dnsmasq's next()): NULL at
 * the end of the packet or on an empty string, which ends the list. */
static const char *
tftp_rd_str(struct rd *r, size_t *len)
{
	const uint8_t *start = r->p + r->off;
	const uint8_t *nul;
	size_t left = rd_left(r);

	if (left == 0 || !rd_ok(r))
		return NULL;
	nul = memchr(start, 0, left);
	if (nul == NULL || nul == start)
		return NULL;
	*len = (size_t)(nul - start);
	rd_skip(r, *len + 1);
	return (const char *)start;
}

static void
tftp_optval_set(struct tftp_optval *o, const char *s, size_t len,
    unsigned *repeated)
{
	uint64_t v = 0;
	size_t i;

	if (o->present)
		(*repeated)++;
	o->present = true;
	o->numeric = len > 0 && len <= 20;
	for (i = 0; i < len && o->numeric; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			o->numeric = false;
		else if (v > (UINT64_MAX - d) / 10)
			v = UINT64_MAX;
		else
			v = v * 10 + d;
	}
	o->v = o->numeric ? v : 0;
}

static void
tftp_req_options(struct rd *r, struct tftp_req *req)
{
	const char *name, *val;
	size_t nlen, vlen;

	while ((name = tftp_rd_str(r, &nlen)) != NULL) {
		struct tftp_optval *o = NULL;

		req->n_opts++;
		if (strcasecmp(name, "blksize") == 0)
			o = &req->blksize;
		else if (strcasecmp(name, "tsize") == 0)
			o = &req->tsize;
		else if (strcasecmp(name, "timeout") == 0)
			o = &req->timeout;
		else if (strcasecmp(name, "windowsize") == 0)
			o = &req->windowsize;
		else
			req->n_unknown++;
		/* RFC 2347: every option has a value; a missing (empty)
		 * one ends the list, as in dnsmasq */
		if ((val = tftp_rd_str(r, &vlen)) == NULL)
			return;
		if (o != NULL)
			tftp_optval_set(o, val, vlen, &req->n_repeated);
	}
}

enum tftp_req_verdict
tftp_req_parse(const uint8_t *pkt, size_t len, struct tftp_req *req)
{
	const char *mode;
	size_t mlen;
	struct rd r;

	memset(req, 0, sizeof(*req));
	rd_init(&r, pkt, len);
	req->op = rd_be16(&r);
	if (!rd_ok(&r))
		return TFTP_REQ_SHORT;
	if (req->op == TFTP_OP_WRQ)
		return TFTP_REQ_WRQ;
	if (req->op != TFTP_OP_RRQ)
		return TFTP_REQ_OPCODE;
	/* dnsmasq's next() refuses every string unless the packet ends
	 * in a NUL */
	if (len == 2 || pkt[len - 1] != 0)
		return TFTP_REQ_UNTERMINATED;
	if ((req->name = tftp_rd_str(&r, &req->name_len)) == NULL)
		return TFTP_REQ_NO_NAME;
	if ((mode = tftp_rd_str(&r, &mlen)) == NULL)
		return TFTP_REQ_NO_MODE;
	if (strcasecmp(mode, "netascii") == 0)
		req->netascii = true;
	else if (strcasecmp(mode, "octet") != 0)
		return TFTP_REQ_MODE;
	tftp_req_options(&r, req);
	return TFTP_REQ_OK;
}

bool
tftp_name_normalise(const char *in, size_t len, bool lower, char *out,
    size_t outsz)
{
	size_t i;

	if (outsz == 0 || len >= outsz)
		return false;
	for (i = 0; i < len; i++) {
		char ch = in[i];

		if (ch == '\\')
			ch = '/';
		else if (lower && ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		out[i] = ch;
	}
	out[len] = '\0';
	return true;
}

static uint32_t
tftp_blksize_cap(const struct tftp_neg_in *in)
{
	unsigned over = in->ipv6 ? TFTP_OVERHEAD_V6 : TFTP_OVERHEAD_V4;
	uint32_t cap = TFTP_BLKSIZE_MAX;

	if (in->mtu > over && in->mtu - over < cap)
		cap = in->mtu - over;
	return cap;
}

void
tftp_negotiate(const struct tftp_req *req, const struct tftp_neg_in *in,
    struct tftp_params *p)
{
	memset(p, 0, sizeof(*p));
	p->blksize = TFTP_BLKSIZE_DEFAULT;
	p->window = 1;
	p->netascii = req->netascii;
	/* RFC 2348: 8-65464; the server may answer smaller (MTU) */
	if (req->blksize.present && req->blksize.numeric && !in->no_blocksize &&
	    req->blksize.v >= TFTP_BLKSIZE_MIN) {
		uint32_t cap = tftp_blksize_cap(in);

		p->blksize = req->blksize.v > cap ? cap :
		    (uint32_t)req->blksize.v;
		if (p->blksize < TFTP_BLKSIZE_MIN)
			p->blksize = TFTP_BLKSIZE_MIN;
		p->o_blksize = true;
	}
	/* RFC 2349: the server answers with the size (netascii too); not
	 * for an empty file: curl 7.88 takes "tsize 0" for an error */
	if (req->tsize.present && req->tsize.numeric && in->file_size > 0) {
		p->tsize = in->file_size;
		p->o_tsize = true;
	}
	/* RFC 2349: 1-255 seconds, echoed unchanged */
	if (req->timeout.present && req->timeout.numeric &&
	    req->timeout.v >= TFTP_TIMEOUT_MIN &&
	    req->timeout.v <= TFTP_TIMEOUT_MAX) {
		p->timeout_s = (uint32_t)req->timeout.v;
		p->o_timeout = true;
	}
	/* RFC 7440 3: 1-65535, the server may answer smaller */
	if (req->windowsize.present && req->windowsize.numeric &&
	    req->windowsize.v >= 1 && req->windowsize.v <= TFTP_WINDOW_MAX) {
		uint32_t cap = in->window_cap >= 1 ? in->window_cap : 1;

		if (cap > TFTP_WINDOW_BYTES / p->blksize)
			cap = TFTP_WINDOW_BYTES / p->blksize;
		if (cap < 1)
			cap = 1;

		p->window = req->windowsize.v > cap ? cap :
		    (uint32_t)req->windowsize.v;
		p->o_window = true;
	}
}

bool
tftp_params_oack(const struct tftp_params *p)
{
	return p->o_blksize || p->o_tsize || p->o_timeout || p->o_window;
}

static void
tftp_wr_opt(struct wr *w, const char *name, uint64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)v);

	wr_bytes(w, name, strlen(name) + 1);
	wr_bytes(w, num, (size_t)n + 1);
}

size_t
tftp_oack_encode(uint8_t *buf, size_t cap, const struct tftp_params *p)
{
	struct wr w;

	wr_init(&w, buf, cap);
	wr_be16(&w, TFTP_OP_OACK);
	if (p->o_blksize)
		tftp_wr_opt(&w, "blksize", p->blksize);
	if (p->o_tsize)
		tftp_wr_opt(&w, "tsize", p->tsize);
	if (p->o_timeout)
		tftp_wr_opt(&w, "timeout", p->timeout_s);
	if (p->o_window)
		tftp_wr_opt(&w, "windowsize", p->window);
	return wr_ok(&w) ? w.off : 0;
}

size_t
tftp_err_encode(uint8_t *buf, size_t cap, uint16_t code, const char *msg)
{
	size_t n = strlen(msg);
	struct wr w;

	if (n > TFTP_ERRMSG_MAX - 1)
		n = TFTP_ERRMSG_MAX - 1;
	wr_init(&w, buf, cap);
	wr_be16(&w, TFTP_OP_ERROR);
	wr_be16(&w, code);
	wr_bytes(&w, msg, n);
	wr_u8(&w, 0);
	return wr_ok(&w) ? w.off : 0;
}

bool
tftp_pkt_peek(const uint8_t *pkt, size_t len, uint16_t *op, uint16_t *num,
    char *msg, size_t msgsz)
{
	struct rd r;
	size_t n;

	rd_init(&r, pkt, len);
	*op = rd_be16(&r);
	*num = rd_be16(&r);
	if (!rd_ok(&r))
		return false;
	if (msgsz > 0)
		msg[0] = '\0';
	if (*op == TFTP_OP_ERROR && msgsz > 0) {
		const uint8_t *s = pkt + TFTP_HDR_LEN;
		const uint8_t *nul = memchr(s, 0, len - TFTP_HDR_LEN);

		/* dnsmasq reads the text only when the packet ends in NUL */
		n = nul != NULL && pkt[len - 1] == 0 ? (size_t)(nul - s) : 0;
		log_sanitise(msg, msgsz, s, n);
	}
	return true;
}
