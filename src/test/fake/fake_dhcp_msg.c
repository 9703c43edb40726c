/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_dhcp_msg.c - a stand-in for src/dhcp_msg.c (the real codec is
 * written elsewhere), linked only into the DHCP server tests while that
 * file does not exist.  It follows the contract in dhcp_msg.h and
 * dnsmasq 2.90's encoding (rfc2131.c free_space, dhcp_packet_size) so
 * that the reply bytes of the tests are dnsmasq's.
 */
#include "dhcp_msg.h"

#include <errno.h>
#include <string.h>

#include "buf.h"

const char *
dhcp_bad_name(enum dhcp_bad why)
{
	static const char *const n[DHCP_BAD_COUNT] = {
		"ok", "short", "op", "hlen", "opt-overrun", "overload",
		"no-end", "type-len",
	};

	return (unsigned)why < DHCP_BAD_COUNT ? n[why] : "?";
}

/* Walks one option area, concatenating repeats.  *overload gets 52. */
static enum dhcp_bad
walk(struct dhcp_msg *m, const uint8_t *p, size_t len, bool main_area,
    uint8_t *overload)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = p[i], l;
		struct dhcp_optval *o;

		if (code == DHCP_OPT_END)
			return DHCP_OK;
		if (code == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + p[i + 1] > len)
			return DHCP_BAD_OPT_OVERRUN;
		l = p[i + 1];
		if (code == DHCP_OPT_OVERLOAD) {
			if (!main_area || l < 1)
				return DHCP_BAD_OVERLOAD;
			*overload = p[i + 2];
		}
		o = &m->opt[code];
		if (m->optbuf_used + l > sizeof(m->optbuf))
			return DHCP_BAD_OPT_OVERRUN;
		if (o->p == NULL) {
			o->p = m->optbuf + m->optbuf_used;
			o->len = 0;
			if (m->norder < 256)
				m->order[m->norder++] = code;
		} else if (o->p + o->len != m->optbuf + m->optbuf_used) {
			/* not the last one stored: move it to the end */
			memmove(m->optbuf + m->optbuf_used, o->p, o->len);
			o->p = m->optbuf + m->optbuf_used;
		}
		memcpy(m->optbuf + m->optbuf_used + o->len, p + i + 2, l);
		o->len = (uint16_t)(o->len + l);
		m->optbuf_used = (size_t)(o->p - m->optbuf) + o->len;
		i += 2 + (size_t)l;
	}
	return DHCP_OK;
}

enum dhcp_bad
dhcp_msg_decode(struct dhcp_msg *m, const void *pkt, size_t len)
{
	const uint8_t *b = pkt;
	struct rd r;
	uint8_t ov = 0;
	enum dhcp_bad why;

	memset(m, 0, offsetof(struct dhcp_msg, optbuf));
	m->optbuf_used = 0;
	m->norder = 0;
	if (len < DHCP_FIXED_LEN)
		return DHCP_BAD_SHORT;
	rd_init(&r, pkt, len);
	m->op = rd_u8(&r);
	m->htype = rd_u8(&r);
	m->hlen = rd_u8(&r);
	m->hops = rd_u8(&r);
	m->xid = rd_be32(&r);
	m->secs = rd_be16(&r);
	m->flags = rd_be16(&r);
	rd_bytes(&r, &m->ciaddr, 4);
	rd_bytes(&r, &m->yiaddr, 4);
	rd_bytes(&r, &m->siaddr, 4);
	rd_bytes(&r, &m->giaddr, 4);
	rd_bytes(&r, m->chaddr, DHCP_CHADDR_LEN);
	rd_bytes(&r, m->sname, DHCP_SNAME_LEN);
	rd_bytes(&r, m->file, DHCP_FILE_LEN);
	if (m->op != DHCP_OP_REQUEST)
		return DHCP_BAD_OP;
	if (m->hlen > DHCP_CHADDR_LEN || (m->htype == 0 && m->hlen != 0))
		return DHCP_BAD_HLEN;
	if (len < DHCP_FIXED_LEN + 4)
		return DHCP_OK;
	m->cookie = rd_be32(&r) == DHCP_COOKIE;
	if ((why = walk(m, b + 240, len - 240, true, &ov)) != DHCP_OK)
		return why;
	m->overload = ov;
	if ((ov & 1) && (why = walk(m, m->file, DHCP_FILE_LEN, false, &ov)) !=
	    DHCP_OK)
		return why;
	if ((ov & 2) && (why = walk(m, m->sname, DHCP_SNAME_LEN, false,
	    &ov)) != DHCP_OK)
		return why;
	if (m->opt[DHCP_OPT_MSG_TYPE].p != NULL) {
		if (m->opt[DHCP_OPT_MSG_TYPE].len != 1)
			return DHCP_BAD_TYPE_LEN;
		m->type = (enum dhcp_type)m->opt[DHCP_OPT_MSG_TYPE].p[0];
	}
	return DHCP_OK;
}

bool
dhcp_msg_has(const struct dhcp_msg *m, uint8_t code)
{
	return m->opt[code].p != NULL;
}

bool
dhcp_msg_addr(const struct dhcp_msg *m, uint8_t code, struct in_addr *out)
{
	if (m->opt[code].p == NULL || m->opt[code].len != 4)
		return false;
	memcpy(out, m->opt[code].p, 4);
	return true;
}

bool
dhcp_msg_requested(const struct dhcp_msg *m, uint8_t code)
{
	const struct dhcp_optval *o = &m->opt[DHCP_OPT_PRL];
	unsigned i;

	for (i = 0; o->p != NULL && i < o->len; i++)
		if (o->p[i] == code)
			return true;
	return false;
}

void
dhcp_out_init(struct dhcp_out *o, void *buf, size_t cap,
    const struct dhcp_msg *req)
{
	uint8_t *b = buf;

	memset(o, 0, sizeof(*o));
	memset(b, 0, cap);
	o->buf = b;
	o->cap = cap;
	b[0] = DHCP_OP_REPLY;
	b[1] = req->htype;
	b[2] = req->hlen;
	b[3] = req->hops;
	b[4] = (uint8_t)(req->xid >> 24);
	b[5] = (uint8_t)(req->xid >> 16);
	b[6] = (uint8_t)(req->xid >> 8);
	b[7] = (uint8_t)req->xid;
	b[8] = (uint8_t)(req->secs >> 8);
	b[9] = (uint8_t)req->secs;
	b[10] = (uint8_t)(req->flags >> 8);
	b[11] = (uint8_t)req->flags;
	memcpy(b + 12, &req->ciaddr, 4);
	memcpy(b + 24, &req->giaddr, 4);
	memcpy(b + 28, req->chaddr, DHCP_CHADDR_LEN);
	b[236] = 0x63;
	b[237] = 0x82;
	b[238] = 0x53;
	b[239] = 0x63;
	o->opt_end = 240;
	o->file_off = 108;
	o->sname_off = 44;
}

/* dnsmasq free_space(): the main area keeps room for END and, when the
 * fields may be used, 3 bytes for option 52. */
static uint8_t *
space(struct dhcp_out *o, uint8_t code, size_t len)
{
	size_t end = o->cap;
	uint8_t *p;

	if (o->allow_overload && (!o->file_taken || !o->sname_taken))
		end -= 3;
	if (o->opt_end + len + 3 < end) {
		p = o->buf + o->opt_end;
		o->opt_end += len + 2;
		goto out;
	}
	if (!o->allow_overload)
		return NULL;
	if (!o->overload_used) {
		if (o->file_taken && o->sname_taken)
			return NULL;
		o->buf[o->opt_end] = DHCP_OPT_OVERLOAD;
		o->buf[o->opt_end + 1] = 1;
		o->buf[o->opt_end + 2] = 0;
		o->opt_end += 3;
		o->overload_used = 0x80;	/* 52 written, nothing yet */
	}
	if (!o->file_taken)
		o->overload_used |= 1;
	if ((o->overload_used & 1) &&
	    o->file_off + len + 3 < 108 + DHCP_FILE_LEN) {
		p = o->buf + o->file_off;
		o->file_off += len + 2;
		goto out;
	}
	if (!o->sname_taken)
		o->overload_used |= 2;
	if ((o->overload_used & 2) &&
	    o->sname_off + len + 3 < 44 + DHCP_SNAME_LEN) {
		p = o->buf + o->sname_off;
		o->sname_off += len + 2;
		goto out;
	}
	return NULL;
out:
	p[0] = code;
	p[1] = (uint8_t)len;
	return p + 2;
}

int
dhcp_out_opt(struct dhcp_out *o, uint8_t code, const void *val, size_t len)
{
	uint8_t *p;

	if (len > 255 || (p = space(o, code, len)) == NULL)
		return -ENOSPC;
	if (len > 0)
		memcpy(p, val, len);
	return 0;
}

int
dhcp_out_finish(struct dhcp_out *o)
{
	size_t i, len;

	if (o->overload_used) {
		/* patch 52's value */
		for (i = 240; i + 2 < o->cap; i += 2 + o->buf[i + 1])
			if (o->buf[i] == DHCP_OPT_OVERLOAD) {
				o->buf[i + 2] = o->overload_used & 3;
				break;
			}
		if (o->overload_used & 1)
			o->buf[o->file_off] = DHCP_OPT_END;
		if (o->overload_used & 2)
			o->buf[o->sname_off] = DHCP_OPT_END;
	}
	if (o->opt_end >= o->cap)
		return -ENOSPC;
	o->buf[o->opt_end] = DHCP_OPT_END;
	len = o->opt_end + 1;
	o->ended = true;
	return (int)(len < DHCP_MIN_LEN ? DHCP_MIN_LEN : len);
}
