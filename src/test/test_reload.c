/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_reload.c - restart-only options of --reload-config: a changed one
 * gets its running value back and is reported once; live options keep
 * the new value; a service turned on or off refuses the reload.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "conf.h"
#include "conf_int.h"
#include "conf_dhcp.h"
#include "conf_dns.h"
#include "conf_tftp.h"
#include "reload.h"
#include "conf_fixture.h"

struct kept {
	unsigned n;
	char names[512];
};

static void
kept_cb(void *arg, const char *name)
{
	struct kept *k = arg;
	size_t len = strlen(k->names);

	snprintf(k->names + len, sizeof(k->names) - len, "%s%s",
	    len ? " " : "", name);
	k->n++;
}

struct row {
	const char *name;
	const char *old, *nw;
	int rc;			/* reload_keep_restart's result */
	const char *kept;	/* names reported */
};

#define BASE "dhcp-range=198.51.100.10,198.51.100.20\nenable-tftp\n"

static const struct row rows[] = {
	{ "nothing changed", BASE "port=5353\n", BASE "port=5353\n", 0, "" },
	{ "live only", BASE "dhcp-boot=a\n", BASE "dhcp-boot=b\n"
	    "dhcp-host=02:00:00:00:00:01,198.51.100.15\n", 0, "" },
	{ "port", BASE "port=5353\n", BASE "port=5354\n", 1, "port" },
	{ "user and group", BASE "user=nobody\n",
	    BASE "user=daemon\ngroup=daemon\n", 2, "user group" },
	{ "interfaces", BASE "interface=a\n", BASE "interface=a\n"
	    "interface=b\nbind-interfaces\n", 2,
	    "interface bind-interfaces" },
	{ "lease file and max", BASE "dhcp-leasefile=/tmp/x\n",
	    BASE "dhcp-leasefile=/tmp/y\ndhcp-lease-max=5\n", 2,
	    "dhcp-leasefile dhcp-lease-max" },
	{ "tftp", BASE "", BASE "tftp-max=3\ntftp-port-range=2000,2010\n",
	    2, "tftp-max tftp-port-range" },
	{ "pid file", BASE "pid-file=/tmp/a\n", BASE "pid-file=\n", 1,
	    "pid-file" },
	{ "DHCP off", BASE, "enable-tftp\n", -EBUSY, "" },
	{ "TFTP on", "dhcp-range=198.51.100.10,198.51.100.20\n", BASE,
	    -EBUSY, "" },
	{ "DNS off", BASE, BASE "port=0\n", -EBUSY, "" },
};

static void
check_row(const struct row *r)
{
	struct conf *old = load_ok(r->old), *nw = load_ok(r->nw);
	struct kept k = { 0, "" };
	const char *what = NULL;
	int rc = reload_keep_restart(old, nw, kept_cb, &k, &what);

	if (rc != r->rc || strcmp(k.names, r->kept) != 0)
		fail_msg("%s: rc %d kept \"%s\", want %d \"%s\"", r->name, rc,
		    k.names, r->rc, r->kept);
	if (rc >= 0) {
		/* kept: the running values are back */
		assert_int_equal(nw->dns->port, old->dns->port);
		assert_int_equal(nw->tftp->max, old->tftp->max);
		assert_int_equal(nw->dhcp->lease_max, old->dhcp->lease_max);
		assert_int_equal(nw->user_set, old->user_set);
		assert_int_equal(nw->interfaces.n, old->interfaces.n);
		assert_int_equal(conf_flag(nw, CONF_KW_BIND_INTERFACES),
		    conf_flag(old, CONF_KW_BIND_INTERFACES));
	} else {
		assert_non_null(what);
	}
	conf_free(old);
	/* the copies live in nw's arena: usable after old is gone */
	if (rc > 0 && nw->dhcp->leasefile != NULL)
		assert_int_equal(nw->dhcp->leasefile[0], '/');
	conf_free(nw);
}

static void
table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
}

static void
live_value_stays_new(void **state)
{
	struct conf *old = load_ok(BASE "dhcp-boot=a\nport=1\n");
	struct conf *nw = load_ok(BASE "dhcp-boot=b\nport=2\n");
	struct kept k = { 0, "" };
	const char *what;

	(void)state;
	assert_int_equal(reload_keep_restart(old, nw, kept_cb, &k, &what), 1);
	assert_string_equal(nw->dhcp->boots->file, "b");
	assert_int_equal(nw->dns->port, 1);
	conf_free(old);
	conf_free(nw);
}

static void
names_listed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; reload_restart_names[i] != NULL; i++)
		assert_non_null(conf_kw_by_name(reload_restart_names[i]));
	assert_true(i >= 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(live_value_stays_new),
		cmocka_unit_test(names_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
