/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_dhcp.c - STUB, to be replaced. */
#include "conf_int.h"

int
conf_dhcp_boot(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_broadcast(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_domain(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_host(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_hostsdir(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_hostsfile(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_ignore(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_lease_max(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_leasefile(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_mac(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_optsdir(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_optsfile(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_range(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_reply_delay(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_script(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_tag_if(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_userclass(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_vendorclass(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_dhcp_init(struct conf_ctx *c)
{
	(void)c;
	return 0;
}

void
conf_dhcp_print(const struct conf *cf, FILE *out)
{
	(void)cf;
	(void)out;
}

int
conf_dhcp_finish(struct conf_ctx *c)
{
	(void)c;
	return 0;
}
