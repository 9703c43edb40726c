/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - pxemasq: a network-boot server that reads dnsmasq
 * configuration.  Parses the configuration completely before anything
 * else happens, so a bad line stops the start before any socket exists.
 */
#include <stdio.h>

#include "conf.h"
#include "daemon.h"

int
main(int argc, char **argv)
{
	struct conf_result res;
	struct conf *cf;

	cf = conf_load(argc, argv, &res);
	if (cf == NULL) {
		if (!res.exit_now)
			fprintf(stderr, "\npxemasq: %s\n", res.msg);
		return res.exit_code;
	}
	if (cf->dump_mode) {
		conf_print(cf, stdout);
		conf_free(cf);
		return 0;
	}
	if (cf->test_mode) {
		fprintf(stderr, "pxemasq: syntax check OK.\n");
		conf_free(cf);
		return 0;
	}
	return daemon_main(cf, argc, argv);
}
