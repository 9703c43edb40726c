/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_pxe.h - typed configuration of this module (STUB, to be filled). */
#ifndef PXEMASQ_CONF_PXE_H
#define PXEMASQ_CONF_PXE_H

#include "conf.h"

#endif
