/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_dhcp_log.c - the text of dnsmasq 2.90's DHCP log lines: times,
 * MACs, packet events, decoded option values, "requested options".
 * Expected strings are dnsmasq's (checked against its log output in the
 * differential runs of the server).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "dhcp_log.h"

struct time_row {
	uint32_t t;
	const char *want;
};

static const struct time_row time_rows[] = {
	{ 0, "" }, { 1, "1s" }, { 60, "1m" }, { 3600, "1h" },
	{ 3150, "52m30s" }, { 90061, "1d1h1m1s" }, { 86400 * 10, "10d" },
	{ 0xffffffffu, "infinite" }, { 0xfffffffeu, "49710d6h28m14s" },
};

static void
times(void **state)
{
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(time_rows) / sizeof(time_rows[0]); i++)
		assert_string_equal(dhcp_log_time(buf, time_rows[i].t),
		    time_rows[i].want);
}

static void
packet_lines(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	struct in_addr a;
	char buf[256];

	(void)state;
	inet_pton(AF_INET, "192.0.2.107", &a);
	dhcp_log_packet(buf, sizeof(buf), false, 0, "DHCPOFFER", "eth0", &a,
	    mac, 6, NULL, NULL);
	assert_string_equal(buf, "DHCPOFFER(eth0) 192.0.2.107 "
	    "52:54:00:12:34:56 ");
	dhcp_log_packet(buf, sizeof(buf), true, 4097, "DHCPDISCOVER", "eth0",
	    NULL, mac, 6, NULL, "ignored");
	assert_string_equal(buf, "4097 DHCPDISCOVER(eth0) 52:54:00:12:34:56 "
	    "ignored");
	dhcp_log_packet(buf, sizeof(buf), false, 0, "DHCPACK", "eth0", &a,
	    mac, 6, "host1", NULL);
	assert_string_equal(buf, "DHCPACK(eth0) 192.0.2.107 "
	    "52:54:00:12:34:56 host1");
	dhcp_log_packet(buf, sizeof(buf), false, 0, "BOOTP", "eth0", NULL,
	    mac, 0, NULL, "no address configured");
	assert_string_equal(buf, "BOOTP(eth0) <null> no address configured");
}

struct val_row {
	const char *name;
	unsigned code;
	const char *hex;
	const char *want;	/* "NAME  VALUE" as on the sent-size line */
};

static const struct val_row val_rows[] = {
	{ "addresses", 6, "c0000201c0000202", "dns-server  192.0.2.1, "
	    "192.0.2.2" },
	{ "short address list", 3, "c00002", "router  " },
	{ "text, unprintable dropped", 12, "68016f737400", "hostname  host" },
	{ "time", 51, "00000e10", "lease-time  1h" },
	{ "decimal", 53, "02", "message-type  2" },
	{ "2-byte decimal", 93, "0007", "client-arch  7" },
	{ "flag without DEC: hex", 19, "01", "ip-forward-enable  01" },
	{ "hex, cut after 14 bytes", 43, "0601030807800001c000020109270000",
	    "vendor-encap  06:01:03:08:07:80:00:01:c0:00:02:01:09:27..." },
	{ "unknown option: no name, hex", 250, "0102", "  01:02" },
	{ "empty value", 80, "", "rapid-commit  " },
	{ "names in wire format: hex", 119, "0161076578616d706c6500",
	    "domain-search  01:61:07:65:78:61:6d:70:6c:65:00" },
};

static size_t
unhex(const char *s, uint8_t *out)
{
	size_t n = 0;

	for (; s[0] != '\0' && s[1] != '\0'; s += 2)
		sscanf(s, "%2hhx", &out[n++]);
	return n;
}

static void
option_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(val_rows) / sizeof(val_rows[0]); i++) {
		const struct val_row *r = &val_rows[i];
		uint8_t v[64];
		size_t n = unhex(r->hex, v);
		char buf[256], line[512];

		snprintf(line, sizeof(line), "%s  %s",
		    dhcp_log_optval(r->code, v, n, buf, sizeof(buf)), buf);
		if (strcmp(line, r->want) != 0)
			fail_msg("%s: \"%s\"", r->name, line);
	}
}

static void
sent_line(void **state)
{
	static const uint8_t v[4] = { 255, 255, 255, 0 };
	char buf[256];

	(void)state;
	dhcp_log_sent(buf, sizeof(buf), 4097, 1, v, 4);
	assert_string_equal(buf, "4097 sent size:  4 option:  1 netmask  "
	    "255.255.255.0");
}

struct prl_state {
	char lines[8][256];
	unsigned n;
};

static void
collect(void *ctx, int sev, const char *line)
{
	struct prl_state *p = ctx;

	assert_int_equal(sev, LOG_INFO);
	if (p->n < 8)
		snprintf(p->lines[p->n++], sizeof(p->lines[0]), "%s", line);
}

/* A line is flushed once its text passes 40 characters; the list ends
 * at its first 255. */
static void
requested_options(void **state)
{
	static const uint8_t prl[] = { 1, 2, 3, 5, 6, 11, 12, 255, 13 };
	struct prl_state p = { .n = 0 };

	(void)state;
	dhcp_log_prl(collect, &p, 7, prl, sizeof(prl));
	assert_int_equal(p.n, 2);
	assert_string_equal(p.lines[0], "7 requested options: 1:netmask, "
	    "2:time-offset, 3:router, 5, 6:dns-server, ");
	assert_string_equal(p.lines[1], "7 requested options: 11, "
	    "12:hostname");
	p.n = 0;
	dhcp_log_prl(collect, &p, 7, prl + 7, 2);
	assert_int_equal(p.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times),
		cmocka_unit_test(packet_lines),
		cmocka_unit_test(option_values),
		cmocka_unit_test(sent_line),
		cmocka_unit_test(requested_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
