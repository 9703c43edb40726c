/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_netio.c - which UDP ports the configuration asks for (the sockets
 * themselves are exercised in compat-tests/rawio, inside namespaces). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "netio.h"

static struct conf *
load(const char *text)
{
	char path[] = "/tmp/test_netio.XXXXXX";
	char a0[] = "pxemasq", a1[] = "--test", a2[] = "-C";
	char *argv[] = { a0, a1, a2, path, NULL };
	struct conf_result res;
	struct conf *cf;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cf = conf_load(4, argv, &res);
	unlink(path);
	if (cf == NULL)
		fail_msg("config refused: %s", res.msg);
	return cf;
}

static const struct {
	const char *name, *conf;
	bool dhcp, pxe;
} port_rows[] = {
	{ "nothing", "", false, false },
	{ "a range", "dhcp-range=198.51.100.10,198.51.100.20\n", true, false },
	{ "a static range", "dhcp-range=198.51.100.0,static\n", true, false },
	{ "proxy only, no PXE: inert",
	    "dhcp-range=198.51.100.0,proxy\n", false, false },
	{ "proxy with a service",
	    "dhcp-range=198.51.100.0,proxy\n"
	    "pxe-service=x86PC,\"Boot\",pxelinux\n", false, true },
	{ "proxy with a prompt",
	    "dhcp-range=198.51.100.0,proxy\npxe-prompt=\"Press F8\",5\n",
	    false, true },
	{ "full DHCP with PXE",
	    "dhcp-range=198.51.100.10,198.51.100.20\n"
	    "pxe-service=x86PC,\"Boot\",pxelinux\n", true, true },
	{ "proxy on one subnet, full on another",
	    "dhcp-range=198.51.100.0,proxy\n"
	    "dhcp-range=203.0.113.10,203.0.113.20\n", true, false },
};

static void
ports(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(port_rows) / sizeof(port_rows[0]); i++) {
		struct conf *cf = load(port_rows[i].conf);

		if (netio_wants_dhcp_port(cf) != port_rows[i].dhcp ||
		    netio_wants_pxe_port(cf) != port_rows[i].pxe)
			fail_msg("row \"%s\": 67 %d, 4011 %d",
			    port_rows[i].name, netio_wants_dhcp_port(cf),
			    netio_wants_pxe_port(cf));
		conf_free(cf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
