/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp_test_util.h - helpers for the DHCP server tests: configurations
 * from text, request packets, the options of a reply.  Header-only (each
 * test is one translation unit).
 */
#ifndef PXEMASQ_DHCP_TEST_UTIL_H
#define PXEMASQ_DHCP_TEST_UTIL_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

/* Loads text as the only configuration file (as --test would). */
static inline struct conf *
tu_conf(const char *text)
{
	char path[] = "/tmp/test_dhcp.XXXXXX";
	char a0[] = "pxemasq", a1[] = "--test", a2[] = "-C";
	char a4[] = "--ignore-unsupported";
	char *argv[] = { a0, a1, a2, path, a4, NULL };
	struct conf_result res;
	struct conf *cf;
	int fd = mkstemp(path);

	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return NULL;
	}
	close(fd);
	cf = conf_load(5, argv, &res);
	unlink(path);
	if (cf == NULL)
		fprintf(stderr, "config refused: %s\n", res.msg);
	return cf;
}

static inline struct in_addr
tu_ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

/* A request under construction. */
struct tu_pkt {
	uint8_t b[1500];
	size_t len;
};

static inline void
tu_mac(const char *s, uint8_t *out)
{
	unsigned v[6];

	sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
	    &v[5]);
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)v[i];
}

/* BOOTREQUEST from mac with xid; type 0: BOOTP (no cookie options). */
static inline void
tu_pkt_init(struct tu_pkt *p, int type, const char *mac, uint32_t xid)
{
	memset(p, 0, sizeof(*p));
	p->b[0] = 1;
	p->b[1] = 1;
	p->b[2] = 6;
	p->b[4] = (uint8_t)(xid >> 24);
	p->b[5] = (uint8_t)(xid >> 16);
	p->b[6] = (uint8_t)(xid >> 8);
	p->b[7] = (uint8_t)xid;
	tu_mac(mac, p->b + 28);
	p->b[236] = 0x63;
	p->b[237] = 0x82;
	p->b[238] = 0x53;
	p->b[239] = 0x63;
	p->len = 240;
	if (type != 0) {
		p->b[p->len++] = 53;
		p->b[p->len++] = 1;
		p->b[p->len++] = (uint8_t)type;
	}
}

static inline void
tu_opt(struct tu_pkt *p, uint8_t code, const void *v, size_t len)
{
	p->b[p->len++] = code;
	p->b[p->len++] = (uint8_t)len;
	memcpy(p->b + p->len, v, len);
	p->len += len;
}

static inline void
tu_opt_ip(struct tu_pkt *p, uint8_t code, const char *ip)
{
	struct in_addr a = tu_ip(ip);

	tu_opt(p, code, &a, 4);
}

static inline void
tu_opt_str(struct tu_pkt *p, uint8_t code, const char *s)
{
	tu_opt(p, code, s, strlen(s));
}

static inline void
tu_opt_u16(struct tu_pkt *p, uint8_t code, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	tu_opt(p, code, b, 2);
}

static inline void
tu_set_addr(struct tu_pkt *p, size_t off, const char *ip)
{
	struct in_addr a = tu_ip(ip);

	memcpy(p->b + off, &a, 4);
}

/* END and zero padding to the BOOTP minimum. */
static inline void
tu_pkt_end(struct tu_pkt *p)
{
	p->b[p->len++] = 255;
	if (p->len < 300)
		p->len = 300;
}

/* The Intel PXE ROM's parameter request list (Appendix A). */
static const uint8_t tu_prl_intel[] = {
	1, 2, 3, 5, 6, 11, 12, 13, 15, 16, 17, 18, 22, 23, 28, 40, 41, 42,
	43, 50, 51, 54, 58, 59, 60, 66, 67, 128, 129, 130, 131, 132, 133,
	134, 135,
};

/* Options of a reply's main area, in order: codes[] and their offsets. */
struct tu_opts {
	unsigned n;
	uint8_t code[128];
	const uint8_t *val[128];
	uint8_t len[128];
};

static inline void
tu_parse(const uint8_t *b, size_t len, struct tu_opts *o)
{
	size_t i = 240;

	o->n = 0;
	while (i < len && b[i] != 255 && o->n < 128) {
		if (b[i] == 0) {
			i++;
			continue;
		}
		o->code[o->n] = b[i];
		o->len[o->n] = b[i + 1];
		o->val[o->n] = b + i + 2;
		o->n++;
		i += 2 + (size_t)b[i + 1];
	}
}

/* "53 54 51" style list of the codes. */
static inline const char *
tu_codes(const struct tu_opts *o, char *buf, size_t size)
{
	size_t k = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < o->n && k + 5 < size; i++)
		k += (size_t)snprintf(buf + k, size - k, "%s%u",
		    i ? " " : "", o->code[i]);
	return buf;
}

static inline const uint8_t *
tu_find(const struct tu_opts *o, uint8_t code, size_t *len)
{
	for (unsigned i = 0; i < o->n; i++)
		if (o->code[i] == code) {
			if (len != NULL)
				*len = o->len[i];
			return o->val[i];
		}
	return NULL;
}

#endif
