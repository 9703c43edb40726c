/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stub/tftp.c - tftpd.h for a build without TFTP (make NO_TFTP=1): no
 * server is ever wanted, so the daemon never opens one; the rest only
 * has to link.  The configuration refuses TFTP options (conf_features.c).
 */
#include <stdio.h>

#include "tftpd.h"

bool
tftpd_wanted(const struct conf *cf)
{
	(void)cf;
	return false;
}

struct tftpd *
tftpd_open(struct ev_loop *ev, const struct conf *cf, char *msg,
    size_t msgsz, int *exit_code)
{
	(void)ev;
	(void)cf;
	snprintf(msg, msgsz, "TFTP not compiled in");
	*exit_code = 1;
	return NULL;
}

int
tftpd_check_roots(struct tftpd *t, char *msg, size_t msgsz, int *exit_code)
{
	(void)t;
	(void)msg;
	(void)msgsz;
	(void)exit_code;
	return 0;
}

void
tftpd_log_started(struct tftpd *t)
{
	(void)t;
}

void
tftpd_set_conf(struct tftpd *t, const struct conf *cf)
{
	(void)t;
	(void)cf;
}

void
tftpd_log_stats(const struct tftpd *t)
{
	(void)t;
}

void
tftpd_set_dump(struct tftpd *t, struct pcapdump *p)
{
	(void)t;
	(void)p;
}

void
tftpd_metrics(const struct tftpd *t, struct mx *m)
{
	(void)t;
	(void)m;
}

void
tftpd_set_script(struct tftpd *t, struct script *s)
{
	(void)t;
	(void)s;
}

void
tftpd_close(struct tftpd *t)
{
	(void)t;
}

void
tftpd_set_mac_lookup(struct tftpd *t, tftpd_mac_fn *fn, void *arg)
{
	(void)t;
	(void)fn;
	(void)arg;
}

void
tftpd_set_window_cap(struct tftpd *t, unsigned cap)
{
	(void)t;
	(void)cap;
}
