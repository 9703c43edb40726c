/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_dhcpopt.c - STUB, to be replaced. */
#include "conf_int.h"

int
conf_dhcp_match(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_option(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcpopt_init(struct conf_ctx *c)
{
	(void)c;
	return 0;
}

int
conf_dhcpopt_finish(struct conf_ctx *c)
{
	(void)c;
	return 0;
}

void
conf_dhcpopt_print(const struct conf *cf, FILE *out)
{
	(void)cf;
	(void)out;
}
