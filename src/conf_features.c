/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_features.c - which features this binary was built with.  The
 * Makefile defines PXEMASQ_NO_<FEATURE> for a feature it leaves out
 * (make NO_DNS=1, NO_TFTP=1, NO_DHCP=1, NO_SCRIPT=1, NO_METRICS=1) and
 * links that feature's stub module (src/stub/) instead of its modules;
 * this is the one file that looks at those macros.
 */
#include <string.h>

#include "conf_int.h"

/* Each macro becomes a constant here so the code below is plain C. */
#ifdef PXEMASQ_NO_DHCP
#define FEAT_DHCP false
#else
#define FEAT_DHCP true
#endif
#ifdef PXEMASQ_NO_TFTP
#define FEAT_TFTP false
#else
#define FEAT_TFTP true
#endif
#ifdef PXEMASQ_NO_DNS
#define FEAT_DNS false
#else
#define FEAT_DNS true
#endif
#ifdef PXEMASQ_NO_SCRIPT
#define FEAT_SCRIPT false
#else
#define FEAT_SCRIPT true
#endif
#ifdef PXEMASQ_NO_METRICS
#define FEAT_METRICS false
#else
#define FEAT_METRICS true
#endif

bool
conf_feature_built(enum conf_feature f)
{
	switch (f) {
	case CONF_FEAT_CORE:
		return true;
	case CONF_FEAT_DHCP:
	case CONF_FEAT_PXE:	/* PXE is part of the DHCP server */
		return FEAT_DHCP;
	case CONF_FEAT_TFTP:
		return FEAT_TFTP;
	case CONF_FEAT_DNS:
		return FEAT_DNS;
	case CONF_FEAT_SCRIPT:	/* dnsmasq: scripts only with DHCP */
		return FEAT_DHCP && FEAT_SCRIPT;
	case CONF_FEAT_METRICS:	/* --metrics-listen and packet dumps */
		return FEAT_METRICS;
	default:
		return false;
	}
}

/*
 * Options of a feature left out that are taken all the same:
 * - "port=0" turns dnsmasq's DNS off; configurations for a DHCP/TFTP-only
 *   server carry it, so a build without DNS takes it (and no other DNS
 *   option with a value);
 * - the DHCP options dnsmasq 2.90's option.c parses outside its
 *   #ifdef HAVE_DHCP (checked against dnsmasq built with -DNO_DHCP):
 *   domain (DNS uses it too), the no-dhcp*-interface and bridge-interface
 *   lists, dhcp-hostsfile/optsfile/hostsdir/optsdir.  dnsmasq also parses
 *   enable-tftp without HAVE_TFTP; pxemasq refuses it (docs/differences.md:
 *   a build without TFTP would otherwise ignore the one option asking for
 *   it);
 * - dumpfile and dumpmask: dnsmasq 2.90's option.c parses them whether or
 *   not it has HAVE_DUMPFILE; without it, a dumpfile stops the start
 *   (stub/metrics.c) and dumpmask does nothing.
 */
bool
conf_feature_exempt(const struct conf_kw *kw, const char *arg)
{
	switch (kw->id) {
	case CONF_KW_PORT:
		return arg != NULL && strcmp(arg, "0") == 0;
	case CONF_KW_DOMAIN:
	case CONF_KW_NO_DHCP_INTERFACE:
	case CONF_KW_NO_DHCPV4_INTERFACE:
	case CONF_KW_NO_DHCPV6_INTERFACE:
	case CONF_KW_BRIDGE_INTERFACE:
	case CONF_KW_DHCP_HOSTSFILE:
	case CONF_KW_DHCP_OPTSFILE:
	case CONF_KW_DHCP_HOSTSDIR:
	case CONF_KW_DHCP_OPTSDIR:
	case CONF_KW_DUMPFILE:
	case CONF_KW_DUMPMASK:
		return true;
	default:
		return false;
	}
}

/*
 * dnsmasq 2.90 built without DHCP or TFTP rejects those options with
 * option.c's default case, "unsupported option (check that dnsmasq was
 * compiled with DHCP/TFTP/DNSSEC/DBus support)"; built without scripts,
 * dhcp-script and dhcp-luascript get "recompile with HAVE_SCRIPT defined
 * to enable lease-change scripts".  Same words here (pxemasq for dnsmasq,
 * as in the "pxemasq:" prefix).  dnsmasq cannot be built without DNS: a
 * pxemasq without it says so in the first message's shape, and so does
 * one without metrics for --metrics-listen, pxemasq's own option.
 */
int
conf_feature_err(struct conf_ctx *c, const struct conf_kw *kw)
{
	if (kw->feature == CONF_FEAT_SCRIPT && FEAT_DHCP)
		return conf_err(c, "recompile with HAVE_SCRIPT defined to "
		    "enable lease-change scripts");
	if (kw->feature == CONF_FEAT_DNS)
		return conf_err(c, "unsupported option (check that pxemasq "
		    "was compiled with DNS support)");
	if (kw->feature == CONF_FEAT_METRICS)
		return conf_err(c, "unsupported option (check that pxemasq "
		    "was compiled with metrics support)");
	return conf_err(c, "unsupported option (check that pxemasq was "
	    "compiled with DHCP/TFTP/DNSSEC/DBus support)");
}

/* "compile time options:" text for the start-up log and --version. */
const char *
conf_features_string(void)
{
	static char buf[128];
	size_t len = 0;
	unsigned f;

	if (buf[0] != '\0')
		return buf;
	for (f = CONF_FEAT_DHCP; f < CONF_FEAT_COUNT; f++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s%s",
		    len ? " " : "", conf_feature_built(f) ? "" : "no-",
		    conf_feature_name(f));
	return buf;
}
