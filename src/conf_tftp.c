/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_tftp.c - STUB, to be replaced. */
#include "conf_int.h"

int
conf_tftp_enable(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_tftp_max(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_tftp_mtu(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_tftp_port_range(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_tftp_root(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_tftp_unique_root(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_tftp_init(struct conf_ctx *c)
{
	(void)c;
	return 0;
}

void
conf_tftp_print(const struct conf *cf, FILE *out)
{
	(void)cf;
	(void)out;
}

