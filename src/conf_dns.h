/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_dns.h - typed configuration of this module (STUB, to be filled). */
#ifndef PXEMASQ_CONF_DNS_H
#define PXEMASQ_CONF_DNS_H

#include "conf.h"

#endif
