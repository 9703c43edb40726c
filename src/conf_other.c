/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_other.c - STUB, to be replaced. */
#include "conf_int.h"

int
conf_other_add_mac(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_add_subnet(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_addr_list(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_alias(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_alternate_port(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_any(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_auth_peer(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_auth_sec_servers(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_auth_server(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_auth_soa(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_auth_zone(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_bridge_interface(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_caa_record(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_conf_script(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_connmark_allowlist(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_connmark_enable(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_dhcp_duid(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_dhcp_name_match(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_dhcp_relay(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_dhcp_vendorclass(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_dns_rr(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_dnssec_check(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_dnssec_limits(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_dynamic_host(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_fast_dns_retry(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_ifnames(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_int(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_interface_name(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_ipset(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_log_async(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_luascript(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_mx_host(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_mx_target(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_naptr_record(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_nftset(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_noarg(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_path(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_port(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_ptr_record(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_ra_param(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_rebind_domain_ok(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_rev_server(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_rr_types(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_shared_network(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_srv_host(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_string(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_synth_domain(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_tag_list(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_trust_anchor(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_ttl(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_txt_record(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_umbrella(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}

int
conf_other_use_stale_cache(struct conf_ctx *c, const struct conf_kw *kw, char *arg)
{
	(void)c;
	(void)kw;
	(void)arg;
	return 0;
}


int
conf_other_finish(struct conf_ctx *c)
{
	(void)c;
	return 0;
}
