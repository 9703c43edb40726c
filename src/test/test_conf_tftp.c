/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_conf_tftp.c - the TFTP options: typed
 * values after conf_load(), errors, and the --dump-config form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "conf.h"
#include "conf_fixture.h"
#include "conf_int.h"
#include "conf_tftp.h"

static char *
dump(const struct conf *cf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	conf_tftp_print(cf, m);
	fclose(m);
	return buf;
}

static void
defaults(void **state)
{
	struct conf *cf = load_ok("\n");
	const struct conf_tftp *t = cf->tftp;

	(void)state;
	assert_false(t->enabled);
	assert_null(t->interfaces.head);
	assert_null(t->root);
	assert_null(t->roots);
	assert_int_equal(t->max, CONF_TFTP_MAX_DEFAULT);
	assert_int_equal(t->mtu, 0);
	assert_false(t->has_port_range);
	assert_false(t->unique_root_ip);
	assert_false(t->unique_root_mac);
	conf_free(cf);
}

static void
enable_interfaces(void **state)
{
	struct conf *cf = load_ok("enable-tftp\nenable-tftp=eth0,br*\n");
	const struct conf_tftp *t = cf->tftp;

	(void)state;
	assert_true(t->enabled);
	assert_int_equal(t->interfaces.n, 2);
	assert_string_equal(t->interfaces.head->s, "eth0");
	assert_string_equal(t->interfaces.head->next->s, "br*");
	assert_int_equal(t->interfaces.head->src.line, 2);
	conf_free(cf);
}

static void
roots(void **state)
{
	struct conf *cf = load_ok(
	    "tftp-root=/srv/one\n"
	    "tftp-root=/srv/eth0,eth0\n"
	    "tftp-root=/srv/two\n"
	    "tftp-root=/srv/eth0-again,eth0\n"
	    "tftp-root=,br0\n");
	const struct conf_tftp *t = cf->tftp;

	(void)state;
	assert_string_equal(t->root, "/srv/two");
	assert_int_equal(t->root_src.line, 3);
	assert_string_equal(t->roots->dir, "/srv/eth0");
	assert_string_equal(t->roots->iface, "eth0");
	/* the first root read for an interface applies, as in dnsmasq */
	assert_string_equal(conf_tftp_root_for(t, "eth0"), "/srv/eth0");
	assert_null(conf_tftp_root_for(t, "br0"));	/* empty DIR: none */
	assert_string_equal(conf_tftp_root_for(t, "eth1"), "/srv/two");
	assert_string_equal(conf_tftp_root_for(t, NULL), "/srv/two");
	conf_free(cf);
}

static void
unique_root(void **state)
{
	struct conf *cf = load_ok("tftp-unique-root\n");

	(void)state;
	assert_true(cf->tftp->unique_root_ip);
	assert_false(cf->tftp->unique_root_mac);
	conf_free(cf);
	cf = load_ok("tftp-unique-root=MAC\n");
	assert_false(cf->tftp->unique_root_ip);
	assert_true(cf->tftp->unique_root_mac);
	conf_free(cf);
}

static void
numbers(void **state)
{
	struct conf *cf = load_ok(
	    "tftp-max=100\ntftp-mtu=1400\ntftp-port-range=7000,6000\n");
	const struct conf_tftp *t = cf->tftp;

	(void)state;
	assert_int_equal(t->max, 100);
	assert_int_equal(t->mtu, 1400);
	assert_true(t->has_port_range);
	assert_int_equal(t->port_first, 6000);	/* swapped */
	assert_int_equal(t->port_last, 7000);
	conf_free(cf);
	cf = load_ok("tftp-port-range=5,\n");
	assert_int_equal(cf->tftp->port_first, 0);
	assert_int_equal(cf->tftp->port_last, 5);
	conf_free(cf);
}

static void
errors(void **state)
{
	(void)state;
	assert_load_err("tftp-unique-root=foo\n", "error", 1);
	assert_load_err("tftp-unique-root=\n", "error", 1);
	assert_load_err("tftp-max=-1\n", "error", 1);
	assert_load_err("tftp-mtu=1500x\n", "error", 1);
	assert_load_err("tftp-port-range=6000\n", "bad port range", 1);
	assert_load_err("tftp-port-range=70000,5\n", "bad port range", 1);
	assert_load_err("tftp-port-range=a,b\n", "bad port range", 1);
	assert_load_err("tftp-max=1\ntftp-max=2\n", "illegal repeated keyword",
	    2);
}

static void
print_canonical(void **state)
{
	struct conf *cf = load_ok(
	    "enable-tftp=eth0\n"
	    "tftp-root=/srv/tftp\n"
	    "tftp-root=\"/srv/a,b\",\"x,y\"\n"
	    "tftp-root=,br0\n"
	    "tftp-unique-root=Mac\n"
	    "tftp-max=10\n"
	    "tftp-mtu=1400\n"
	    "tftp-port-range=7000,6000\n");
	char *out = dump(cf);

	(void)state;
	assert_string_equal(out,
	    "enable-tftp=eth0\n"
	    "tftp-root=/srv/tftp\n"
	    "tftp-root=\"/srv/a,b\",\"x,y\"\n"
	    "tftp-root=\"\",br0\n"
	    "tftp-unique-root=mac\n"
	    "tftp-max=10\n"
	    "tftp-mtu=1400\n"
	    "tftp-port-range=6000,7000\n");
	free(out);
	conf_free(cf);
	cf = load_ok("enable-tftp\n");
	out = dump(cf);
	assert_string_equal(out, "enable-tftp\n");
	free(out);
	conf_free(cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(enable_interfaces),
		cmocka_unit_test(roots),
		cmocka_unit_test(unique_root),
		cmocka_unit_test(numbers),
		cmocka_unit_test(errors),
		cmocka_unit_test(print_canonical),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
