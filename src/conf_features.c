/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_features.c - which features this binary was built with.  The
 * Makefile defines PXEMASQ_NO_<FEATURE> for a feature it leaves out (and
 * links that feature's stub modules instead); this is the one file that
 * looks at those macros.
 */
#include "conf_int.h"

bool
conf_feature_built(enum conf_feature f)
{
	switch (f) {
	case CONF_FEAT_CORE:
		return true;
	case CONF_FEAT_DHCP:
#ifdef PXEMASQ_NO_DHCP
		return false;
#else
		return true;
#endif
	case CONF_FEAT_PXE:
#if defined(PXEMASQ_NO_DHCP) || defined(PXEMASQ_NO_PXE)
		return false;
#else
		return true;
#endif
	case CONF_FEAT_TFTP:
#ifdef PXEMASQ_NO_TFTP
		return false;
#else
		return true;
#endif
	case CONF_FEAT_DNS:
#ifdef PXEMASQ_NO_DNS
		return false;
#else
		return true;
#endif
	default:
		return false;
	}
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
