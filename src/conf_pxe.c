/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_pxe.c - STUB, to be replaced. */
#include "conf_int.h"

int
conf_pxe_prompt(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_pxe_service(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_pxe_vendor(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_pxe_init(struct conf_ctx *c)
{
	(void)c;
	return 0;
}

void
conf_pxe_print(const struct conf *cf, FILE *out)
{
	(void)cf;
	(void)out;
}

