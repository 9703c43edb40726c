/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_addrwatch.c - bind-dynamic's choice of addresses (dnsmasq 2.90
 * network.c iface_check() as iface_allowed() applies it) and the address
 * helpers.  The sockets themselves: compat-tests/dns-bind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "addrwatch.h"
#include "conf.h"

static struct conf *
load(const char *text)
{
	char path[] = "/tmp/test_addrwatch.XXXXXX";
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

struct want_row {
	const char *name;	/* row name */
	const char *conf;
	const char *label;	/* interface name or IPv4 label */
	bool loopback;
	const char *addr;
	bool want;
};

static const struct want_row want_rows[] = {
	{ "no options: every address", "", "eth0", false, "198.51.100.1",
	    true },
	{ "no options: loopback too", "", "lo", true, "127.0.0.1", true },
	{ "interface=: named", "interface=eth0\n", "eth0", false,
	    "198.51.100.1", true },
	{ "interface=: IPv6 too", "interface=eth0\n", "eth0", false,
	    "2001:db8::1", true },
	{ "interface=: other not", "interface=eth0\n", "eth1", false,
	    "203.0.113.1", false },
	{ "interface=: loopback added", "interface=eth0\n", "lo", true,
	    "127.0.0.1", true },
	{ "interface=: wildcard name", "interface=eth*\n", "eth7", false,
	    "198.51.100.1", true },
	{ "interface=: label eth0:1 is not eth0", "interface=eth0\n",
	    "eth0:1", false, "198.51.100.9", false },
	{ "interface=: label named", "interface=eth0:1\n", "eth0:1", false,
	    "198.51.100.9", true },
	{ "listen-address only: that address", "listen-address=198.51.100.1\n",
	    "eth0", false, "198.51.100.1", true },
	{ "listen-address only: not its neighbour",
	    "listen-address=198.51.100.1\n", "eth0", false, "198.51.100.2",
	    false },
	{ "listen-address only: no loopback", "listen-address=198.51.100.1\n",
	    "lo", true, "127.0.0.1", false },
	{ "listen-address: IPv6", "listen-address=2001:db8::1\n", "eth0",
	    false, "2001:db8::1", true },
	{ "except-interface: taken out", "except-interface=eth1\n", "eth1",
	    false, "203.0.113.1", false },
	{ "except-interface: others stay", "except-interface=eth1\n", "eth0",
	    false, "198.51.100.1", true },
	{ "except-interface beats interface=",
	    "interface=eth0\nexcept-interface=eth0\n", "eth0", false,
	    "198.51.100.1", false },
	{ "except-interface=lo beats the loopback rule",
	    "interface=eth0\nexcept-interface=lo\n", "lo", true, "127.0.0.1",
	    false },
	{ "listen-address beats except-interface",
	    "except-interface=eth0\nlisten-address=198.51.100.1\n", "eth0",
	    false, "198.51.100.1", true },
};

static void
wanted(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(want_rows) / sizeof(want_rows[0]); i++) {
		const struct want_row *r = &want_rows[i];
		struct conf *cf = load(r->conf);
		int fam = strchr(r->addr, ':') ? AF_INET6 : AF_INET;
		uint8_t a[16];

		assert_int_equal(inet_pton(fam, r->addr, a), 1);
		if (addrwatch_wanted(cf, r->label, r->loopback, fam, a) !=
		    r->want)
			fail_msg("%s: want %d", r->name, r->want);
		conf_free(cf);
	}
}

struct collect {
	char text[4][96];
	unsigned n;
};

static int
collect_cb(void *arg, const struct addrwatch_addr *a)
{
	struct collect *c = arg;
	char t[64];

	addrwatch_text(&a->sa, t, sizeof(t));
	snprintf(c->text[c->n++], sizeof(c->text[0]), "%s#%u/%d", t,
	    ntohs(((const struct sockaddr_in *)&a->sa)->sin_port), a->ifindex);
	return c->n == 3 ? -7 : 0;
}

/* listen-address lines become addresses on the port, in order. */
static void
listen_each_cb_count(void **state)
{
	struct conf *cf = load("listen-address=198.51.100.1,2001:db8::5\n"
	    "listen-address=203.0.113.9\nlisten-address=198.51.100.2\n");
	struct collect c;

	(void)state;
	memset(&c, 0, sizeof(c));
	/* a negative value from the callback stops the walk */
	assert_int_equal(addrwatch_listen_each(cf, 53, collect_cb, &c), -7);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.text[0], "198.51.100.1#53/0");
	assert_string_equal(c.text[1], "2001:db8::5#53/0");
	assert_string_equal(c.text[2], "203.0.113.9#53/0");
	conf_free(cf);
}

/* Same address and scope, whatever the port. */
static void
same(void **state)
{
	struct sockaddr_storage x, y;
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)&x;
	struct sockaddr_in6 *b = (struct sockaddr_in6 *)&y;

	(void)state;
	memset(&x, 0, sizeof(x));
	memset(&y, 0, sizeof(y));
	a->sin6_family = b->sin6_family = AF_INET6;
	inet_pton(AF_INET6, "fe80::1", &a->sin6_addr);
	inet_pton(AF_INET6, "fe80::1", &b->sin6_addr);
	a->sin6_port = htons(53);
	b->sin6_port = htons(69);
	a->sin6_scope_id = b->sin6_scope_id = 2;
	assert_true(addrwatch_same(&x, &y));
	b->sin6_scope_id = 3;
	assert_false(addrwatch_same(&x, &y));
	y.ss_family = AF_INET;
	assert_false(addrwatch_same(&x, &y));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wanted),
		cmocka_unit_test(listen_each_cb_count),
		cmocka_unit_test(same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
