/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - pxemasq: a network-boot server that reads dnsmasq
 * configuration.  Parses the configuration completely before anything
 * else happens, so a bad line stops the start before any socket exists.
 */
#include <stdio.h>

#include "conf.h"
#include "daemon.h"
#include "explain.h"

int
main(int argc, char **argv)
{
	struct conf_result res;
	struct conf_cache *cc = conf_cache_new();
	struct conf *cf;

	if (cc == NULL) {
		fprintf(stderr, "\npxemasq: could not get memory\n");
		return 4;
	}
	cf = conf_load_daemon(argc, argv, cc, false, &res);
	if (cf == NULL) {
		if (!res.exit_now)
			fprintf(stderr, "\npxemasq: %s\n", res.msg);
		conf_cache_free(cc);
		return res.exit_code;
	}
	if (cf->explain_mode && !cf->dump_mode && !cf->test_mode) {
		int rc = explain_main(cf, stdout);

		conf_free(cf);
		conf_cache_free(cc);
		return rc;
	}
	if (cf->dump_mode || cf->test_mode) {
		if (cf->dump_mode)
			conf_print(cf, stdout);
		else
			fprintf(stderr, "pxemasq: syntax check OK.\n");
		conf_free(cf);
		conf_cache_free(cc);
		return 0;
	}
	return daemon_main(cf, cc, argc, argv);
}
