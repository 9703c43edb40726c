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
