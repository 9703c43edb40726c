/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_dhcp_msg.c - a stand-in for src/dhcp_msg.c (the codec is written
 * on another branch), linked only into the DHCP server tests while that
 * file is absent (see the Makefile).  It implements the part of the
 * dhcp_msg.h contract the server uses, with dnsmasq 2.90's encoding
 * (rfc2131.c free_space, dhcp_packet_size), so that the reply bytes of
 * the tests are dnsmasq's.  Not a full codec: few defect checks.
 */
#include "dhcp_msg.h"

#include <errno.h>
#include <string.h>

#include "buf.h"

static const uint8_t cookie[4] = { 0x63, 0x82, 0x53, 0x63 };

const char *
dhcp_bad_name(enum dhcp_bad why)
{
	return why == DHCP_OK ? "ok" : "bad";
}

/* One option area; concatenates repeats, remembers the first instance. */
static enum dhcp_bad
walk(struct dhcp_msg *m, const uint8_t *p, size_t len, bool main_area,
    size_t base)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = p[i], l;
		struct dhcp_optval *o;

		if (code == DHCP_OPT_END) {
			if (main_area)
				m->end_off = base + i;
			return DHCP_OK;
		}
		if (code == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + p[i + 1] > len)
			return DHCP_OK;		/* dnsmasq stops here */
		l = p[i + 1];
		if (code == DHCP_OPT_OVERLOAD) {
			if (!main_area || l != 1 || p[i + 2] < 1 ||
			    p[i + 2] > 3)
				return DHCP_BAD_OVERLOAD;
			m->overload = p[i + 2];
			i += 3;
			continue;
		}
		o = &m->opt[code];
		if (o->p != NULL &&
		    o->p + o->len != m->optbuf + m->optbuf_used) {
			memmove(m->optbuf + m->optbuf_used, o->p, o->len);
			o->p = m->optbuf + m->optbuf_used;
		}
		if (o->p == NULL) {
			o->p = m->optbuf + m->optbuf_used;
			if (m->norder < 256)
				m->order[m->norder++] = code;
		}
		if ((size_t)(o->p - m->optbuf) + o->len + l > sizeof(m->optbuf))
			return DHCP_BAD_LONG;
		memcpy(m->optbuf + (o->p - m->optbuf) + o->len, p + i + 2, l);
		if (o->first_len == 0)
			o->first_len = l;
		o->len = (uint16_t)(o->len + l);
		o->count++;
		m->optbuf_used = (size_t)(o->p - m->optbuf) + o->len;
		i += 2 + (size_t)l;
	}
	return DHCP_OK;
}

static enum dhcp_bad
decode(struct dhcp_msg *m, const void *pkt, size_t len, uint8_t op)
{
	const uint8_t *b = pkt;
	enum dhcp_bad why;
	struct rd r;

	memset(m, 0, offsetof(struct dhcp_msg, optbuf));
	if (len < DHCP_FIXED_LEN)
		return DHCP_BAD_SHORT;
	if (len > DHCP_MAX_MSG)
		return DHCP_BAD_LONG;
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
	m->len = len;
	if (m->op != op)
		return DHCP_BAD_OP;
	if (m->hlen > DHCP_CHADDR_LEN)
		return DHCP_BAD_HLEN;
	if (m->htype == 0 && m->hlen != 0)
		return DHCP_BAD_HTYPE;
	if (len < DHCP_OPTIONS_OFF)
		return DHCP_OK;
	memcpy(m->magic, b + DHCP_FIXED_LEN, 4);
	m->cookie = memcmp(m->magic, cookie, 4) == 0;
	if ((why = walk(m, b + DHCP_OPTIONS_OFF, len - DHCP_OPTIONS_OFF, true,
	    DHCP_OPTIONS_OFF)) != DHCP_OK)
		return why;
	if ((m->overload & 1) &&
	    (why = walk(m, m->file, DHCP_FILE_LEN, false, 0)) != DHCP_OK)
		return why;
	if ((m->overload & 2) &&
	    (why = walk(m, m->sname, DHCP_SNAME_LEN, false, 0)) != DHCP_OK)
		return why;
	if (m->opt[DHCP_OPT_MSG_TYPE].p != NULL) {
		if (!m->cookie)
			return DHCP_BAD_COOKIE;
		if (m->opt[DHCP_OPT_MSG_TYPE].len != 1)
			return DHCP_BAD_TYPE_LEN;
		m->type = (enum dhcp_type)m->opt[DHCP_OPT_MSG_TYPE].p[0];
	}
	return DHCP_OK;
}

enum dhcp_bad
dhcp_msg_decode(struct dhcp_msg *m, const void *pkt, size_t len)
{
	return decode(m, pkt, len, DHCP_OP_REQUEST);
}

enum dhcp_bad
dhcp_msg_decode_reply(struct dhcp_msg *m, const void *pkt, size_t len)
{
	return decode(m, pkt, len, DHCP_OP_REPLY);
}

bool
dhcp_msg_has(const struct dhcp_msg *m, uint8_t code)
{
	return m->opt[code].p != NULL;
}

const uint8_t *
dhcp_msg_get(const struct dhcp_msg *m, uint8_t code, size_t *len)
{
	if (m->opt[code].p == NULL || m->opt[code].len < 1)
		return NULL;
	*len = m->opt[code].len;
	return m->opt[code].p;
}

size_t
dhcp_msg_reply_size(const struct dhcp_msg *m)
{
	const struct dhcp_optval *o = &m->opt[DHCP_OPT_MAX_SIZE];
	size_t v;

	if (!dhcp_msg_has(m, DHCP_OPT_MSG_TYPE) || o->p == NULL ||
	    o->len != 2)
		return DHCP_MIN_BUF;
	v = (size_t)(o->p[0] << 8 | o->p[1]);
	if (v < 28 || v - 28 > DHCP_MAX_MSG)
		return DHCP_MAX_MSG;
	return v - 28 < DHCP_MIN_BUF ? DHCP_MIN_BUF : v - 28;
}

const uint8_t *
dhcp_ext_hwaddr(uint8_t htype, uint8_t hlen, const uint8_t *chaddr,
    const uint8_t *clid, size_t clid_len, size_t *len_out)
{
	if (hlen == 0 && clid != NULL && clid_len > 3) {
		if (clid[0] == htype || (clid[0] == 27 && htype == 24)) {
			*len_out = clid_len - 1;
			return clid + 1;
		}
		*len_out = clid_len;
		return clid;
	}
	*len_out = hlen;
	return chaddr;
}

const uint8_t *
dhcp_subopt(const void *p, size_t len, uint8_t code, size_t minlen,
    uint8_t *len_out)
{
	const uint8_t *b = p;
	size_t i = 0;

	while (i < len && b[i] != DHCP_OPT_END) {
		if (b[i] == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + b[i + 1] > len)
			return NULL;
		if (b[i] == code && b[i + 1] >= minlen) {
			if (len_out != NULL)
				*len_out = b[i + 1];
			return b + i + 2;
		}
		i += 2 + (size_t)b[i + 1];
	}
	return NULL;
}

/* --- encoding ----------------------------------------------------------- */

void
dhcp_out_init(struct dhcp_out *o, void *buf, size_t cap,
    const struct dhcp_msg *req)
{
	uint8_t *b = buf;

	memset(o, 0, sizeof(*o));
	o->buf = b;
	o->cap = cap < DHCP_MAX_MSG ? cap : DHCP_MAX_MSG;
	memset(b, 0, o->cap);
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
	memcpy(b + 16, &req->yiaddr, 4);
	memcpy(b + 24, &req->giaddr, 4);
	memcpy(b + 28, req->chaddr, DHCP_CHADDR_LEN);
	memcpy(b + DHCP_FIXED_LEN, req->len >= DHCP_OPTIONS_OFF ? req->magic :
	    cookie, 4);
	o->opt_end = DHCP_OPTIONS_OFF;
	o->allow_overload = req->type != DHCP_NONE &&
	    dhcp_msg_has(req, DHCP_OPT_PRL);
}

void
dhcp_out_yiaddr(struct dhcp_out *o, struct in_addr a)
{
	memcpy(o->buf + 16, &a, 4);
}

void
dhcp_out_siaddr(struct dhcp_out *o, struct in_addr a)
{
	memcpy(o->buf + 20, &a, 4);
}

void
dhcp_out_ciaddr(struct dhcp_out *o, struct in_addr a)
{
	memcpy(o->buf + 12, &a, 4);
}

void
dhcp_out_flags(struct dhcp_out *o, uint16_t flags)
{
	o->buf[10] = (uint8_t)(flags >> 8);
	o->buf[11] = (uint8_t)flags;
}

static int
out_name(struct dhcp_out *o, size_t off, size_t size, const char *name,
    bool *taken)
{
	size_t n = strlen(name);

	if (n > size - 1)
		n = size - 1;
	memset(o->buf + off, 0, size);
	memcpy(o->buf + off, name, n);
	if (n > 0)
		*taken = true;
	return 0;
}

int
dhcp_out_file(struct dhcp_out *o, const char *name)
{
	return out_name(o, DHCP_FILE_OFF, DHCP_FILE_LEN, name, &o->file_taken);
}

int
dhcp_out_sname(struct dhcp_out *o, const char *name)
{
	return out_name(o, DHCP_SNAME_OFF, DHCP_SNAME_LEN, name,
	    &o->sname_taken);
}

void
dhcp_out_bootp(struct dhcp_out *o)
{
	o->bootp = true;
	o->allow_overload = false;
}

int
dhcp_out_agent(struct dhcp_out *o, const struct dhcp_msg *req)
{
	const uint8_t *v;
	size_t len;

	if ((v = dhcp_msg_get(req, DHCP_OPT_AGENT, &len)) == NULL)
		return -ENOENT;
	if (len > 255 || req->end_off == 0 || req->end_off >= o->cap - len - 2)
		return -ENOSPC;
	o->agent = v;
	o->agent_len = len;
	o->agent_total = len + 2;
	return 0;
}

/* free_space(): the options field keeps room for END and, while the
 * fixed fields may take options, 3 bytes for option 52. */
static uint8_t *
space(struct dhcp_out *o, uint8_t code, size_t len)
{
	size_t end = o->bootp ? DHCP_OPTIONS_OFF + 64 : o->cap - o->agent_total;
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
	if (o->ovl_at == 0) {
		if (o->file_taken && o->sname_taken)
			return NULL;
		o->ovl_at = o->opt_end;
		o->buf[o->opt_end] = DHCP_OPT_OVERLOAD;
		o->buf[o->opt_end + 1] = 1;
		o->opt_end += 3;
	}
	if (!o->file_taken)
		o->overload_used |= 1;
	if ((o->overload_used & 1) && o->file_off + len + 3 < DHCP_FILE_LEN) {
		p = o->buf + DHCP_FILE_OFF + o->file_off;
		o->file_off += len + 2;
		goto out;
	}
	if (!o->sname_taken)
		o->overload_used |= 2;
	if ((o->overload_used & 2) &&
	    o->sname_off + len + 3 < DHCP_SNAME_LEN) {
		p = o->buf + DHCP_SNAME_OFF + o->sname_off;
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
	if (o->ended)
		return (int)o->len;
	if (o->ovl_at != 0)
		o->buf[o->ovl_at + 2] = o->overload_used;
	if (o->overload_used & 1)
		o->buf[DHCP_FILE_OFF + o->file_off] = DHCP_OPT_END;
	if (o->overload_used & 2)
		o->buf[DHCP_SNAME_OFF + o->sname_off] = DHCP_OPT_END;
	if (o->agent != NULL) {
		o->buf[o->opt_end] = DHCP_OPT_AGENT;
		o->buf[o->opt_end + 1] = (uint8_t)o->agent_len;
		memcpy(o->buf + o->opt_end + 2, o->agent, o->agent_len);
		o->opt_end += o->agent_total;
	}
	o->buf[o->opt_end++] = DHCP_OPT_END;
	o->ended = true;
	o->len = o->opt_end < DHCP_MIN_LEN ? DHCP_MIN_LEN : o->opt_end;
	return (int)o->len;
}

bool
dhcp_out_area(const struct dhcp_out *o, enum dhcp_area a, const uint8_t **p,
    size_t *len)
{
	if (!o->ended)
		return false;
	switch (a) {
	case DHCP_AREA_OPTIONS:
		*p = o->buf + DHCP_OPTIONS_OFF;
		*len = o->opt_end - DHCP_OPTIONS_OFF;
		return true;
	case DHCP_AREA_FILE:
		if (!(o->overload_used & 1))
			return false;
		*p = o->buf + DHCP_FILE_OFF;
		*len = o->file_off + 1;
		return true;
	case DHCP_AREA_SNAME:
		if (!(o->overload_used & 2))
			return false;
		*p = o->buf + DHCP_SNAME_OFF;
		*len = o->sname_off + 1;
		return true;
	}
	return false;
}
