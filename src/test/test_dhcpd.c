/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_dhcpd.c - the DHCP shell's pure parts: server names of pxe-service
 * and dhcp-boot through the hosts files, in dnsmasq's round-robin order
 * (compat-tests/pxe "names-dns" observed dnsmasq 2.90 alternate the two
 * addresses of a name lookup by lookup).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "dhcpd.h"
#include "hostsfile.h"

static struct hostsfile *
hosts_text(const char *text)
{
	FILE *f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	struct hostsfile *h = NULL;

	assert_non_null(f);
	assert_int_equal(hostsfile_read(f, &h), 0);
	fclose(f);
	return h;
}

/* The addresses of turns 0..5 as "A B C ...", or "-" when none. */
static void
turns(struct hostsfile *const *h, size_t n, const char *name, char *out,
    size_t size)
{
	unsigned long t;

	out[0] = '\0';
	for (t = 0; t < 6; t++) {
		struct in_addr a;
		char ip[INET_ADDRSTRLEN] = "-";

		if (dhcpd_hosts_pick(h, n, name, t, &a))
			inet_ntop(AF_INET, &a, ip, sizeof(ip));
		snprintf(out + strlen(out), size - strlen(out), "%s%s",
		    t ? " " : "", ip);
	}
}

static void
round_robin_rows(void **state)
{
	static const struct {
		const char *name, *file1, *file2, *lookup, *want;
	} rows[] = {
		{ "one address", "192.0.2.9 srv\n", "", "srv",
		    "192.0.2.9 192.0.2.9 192.0.2.9 192.0.2.9 192.0.2.9 "
		    "192.0.2.9" },
		{ "two lines alternate (observed)",
		    "192.0.2.9 srv\n192.0.2.10 srv\n", "", "srv",
		    "192.0.2.9 192.0.2.10 192.0.2.9 192.0.2.10 192.0.2.9 "
		    "192.0.2.10" },
		/* reading the third line rotated [.9 .10] once */
		{ "three across files", "192.0.2.9 srv\n",
		    "192.0.2.10 srv\n192.0.2.11 srv\n", "srv",
		    "192.0.2.10 192.0.2.9 192.0.2.11 192.0.2.10 192.0.2.9 "
		    "192.0.2.11" },
		{ "repeated line at the end rotates (observed)",
		    "192.0.2.9 srv\n192.0.2.10 srv\n192.0.2.9 srv\n", "",
		    "srv", "192.0.2.10 192.0.2.9 192.0.2.10 192.0.2.9 "
		    "192.0.2.10 192.0.2.9" },
		{ "case-insensitive", "192.0.2.9 SRV\n", "", "Srv",
		    "192.0.2.9 192.0.2.9 192.0.2.9 192.0.2.9 192.0.2.9 "
		    "192.0.2.9" },
		{ "duplicate line counts once",
		    "192.0.2.9 srv\n192.0.2.9 srv\n192.0.2.10 srv\n", "", "srv",
		    "192.0.2.9 192.0.2.10 192.0.2.9 192.0.2.10 192.0.2.9 "
		    "192.0.2.10" },
		{ "address of another name first: not in the rotation",
		    "192.0.2.10 other\n192.0.2.9 srv\n192.0.2.10 srv\n", "",
		    "srv", "192.0.2.9 192.0.2.9 192.0.2.9 192.0.2.9 192.0.2.9 "
		    "192.0.2.9" },
		{ "only second-of-address entries rotate",
		    "192.0.2.9 a\n192.0.2.10 b\n192.0.2.9 srv\n"
		    "192.0.2.10 srv\n", "", "srv",
		    "192.0.2.9 192.0.2.10 192.0.2.9 192.0.2.10 192.0.2.9 "
		    "192.0.2.10" },
		{ "alias on a line", "192.0.2.9 first srv\n", "", "srv",
		    "192.0.2.9 192.0.2.9 192.0.2.9 192.0.2.9 192.0.2.9 "
		    "192.0.2.9" },
		{ "IPv6 only", "2001:db8::1 srv\n", "", "srv",
		    "- - - - - -" },
		{ "IPv6 between", "192.0.2.9 srv\n2001:db8::1 srv\n"
		    "192.0.2.10 srv\n", "", "srv",
		    "192.0.2.9 192.0.2.10 192.0.2.9 192.0.2.10 192.0.2.9 "
		    "192.0.2.10" },
		{ "unknown name", "192.0.2.9 srv\n", "", "nosuch",
		    "- - - - - -" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hostsfile *h[2];
		char got[128];

		h[0] = hosts_text(rows[i].file1);
		h[1] = hosts_text(rows[i].file2);
		turns(h, 2, rows[i].lookup, got, sizeof(got));
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", rows[i].name,
			    got, rows[i].want);
		hostsfile_free(h[0]);
		hostsfile_free(h[1]);
	}
	assert_false(dhcpd_hosts_pick(NULL, 0, "srv", 0,
	    &(struct in_addr){ 0 }));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_robin_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
