/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_script.c - the dhcp-script: records (encode, decode, refusals),
 * the argument and environment vectors in dnsmasq 2.90's format (rows
 * from helper.c and from dnsmasq's observed calls, compat-tests/
 * dhcp-script), the DHCP server's lease events rendered the same way,
 * and the helper process itself (order, queue limits, leasefile-ro's
 * init).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "dhcp_server.h"
#include "dhcp_test_util.h"
#include "ev.h"
#include "lease.h"
#include "script.h"

/* --- rendering: what the script would see -------------------------------- */

/* "ARGV... | DNSMASQ_X=v | ..." for a decoded event; base environment
 * entries (not DNSMASQ_) are left out. */
static void
render(const struct script_event *e, bool log_dhcp, char *out, size_t outsz)
{
	struct script_exec x;
	size_t used = 0;
	unsigned i;

	assert_int_equal(script_build_exec(e, "/etc/x/hook.sh", log_dhcp,
	    NULL, &x), 0);
	out[0] = '\0';
	for (i = 1; x.argv[i] != NULL; i++)
		used += (size_t)snprintf(out + used, outsz - used, "%s%s",
		    i > 1 ? " " : "", x.argv[i]);
	assert_string_equal(x.argv[0], "hook.sh");
	for (i = 0; x.envp[i] != NULL; i++)
		used += (size_t)snprintf(out + used, outsz - used, " | %s",
		    x.envp[i] + strlen("DNSMASQ_"));
	script_exec_free(&x);
}

/* Through the wire format and back, then rendered. */
static void
render_event(const struct dhcp_lease_event *ev, const char *ifname,
    char *out, size_t outsz)
{
	uint8_t buf[SCRIPT_REC_MAX];
	struct script_event *e = malloc(sizeof(*e));
	int n;

	assert_non_null(e);
	n = script_encode(ev, ifname, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(script_decode(buf, (size_t)n, e), SCRIPT_OK);
	render(e, false, out, outsz);
	free(e);
}

/* --- records ----------------------------------------------------------- */

/* TFTP events (helper.c ACTION_TFTP): argv "tftp SIZE ADDR PATH", no
 * variables of its own; the record round trip and its refusals. */
static void
rec_tftp(void **state)
{
	static const struct {
		const char *name;
		int family;
		const char *addr;
		uint64_t size;
		const char *path;
		const char *want;
	} rows[] = {
		{ "v4", AF_INET, "192.0.2.7", 513, "/srv/tftp/pxelinux.0",
		  "tftp 513 192.0.2.7 /srv/tftp/pxelinux.0" },
		{ "v6", AF_INET6, "2001:db8::2", 0, "/srv/tftp/empty",
		  "tftp 0 2001:db8::2 /srv/tftp/empty" },
		{ "over 4 GiB", AF_INET, "198.51.100.2", 5368709120ull,
		  "/x/big img", "tftp 5368709120 198.51.100.2 /x/big img" },
	};
	uint8_t buf[SCRIPT_REC_MAX], a[16];
	struct script_event *e = malloc(sizeof(*e));
	char out[2048], path[SCRIPT_PATH_MAX + 2];
	size_t i;
	int n;

	(void)state;
	assert_non_null(e);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(inet_pton(rows[i].family, rows[i].addr, a),
		    1);
		n = script_encode_tftp(rows[i].size, rows[i].family, a,
		    rows[i].path, buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(script_decode(buf, (size_t)n, e), SCRIPT_OK);
		render(e, true, out, sizeof(out));
		if (strcmp(out, rows[i].want) != 0)
			fail_msg("%s: got \"%s\"", rows[i].name, out);
		/* truncated and extended records are refused */
		assert_int_equal(script_decode(buf, (size_t)n - 1, e),
		    SCRIPT_BAD_SHORT);
		buf[n] = 'x';
		assert_int_equal(script_decode(buf, (size_t)n + 1, e),
		    SCRIPT_BAD_LONG);
		buf[2] = 5;	/* family */
		assert_int_equal(script_decode(buf, (size_t)n, e),
		    SCRIPT_BAD_FIELD);
	}
	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(script_encode_tftp(1, AF_INET, a, path, buf,
	    sizeof(buf)), -ENOSPC);
	free(e);
}

static struct lease *
mk_lease(struct lease_table *t, const char *ip, const char *mac,
    const char *clid_hex, const char *name)
{
	struct lease *l = lease_add(t, tu_ip(ip));
	uint8_t hw[6], clid[32];
	size_t cl = 0;

	assert_non_null(l);
	tu_mac(mac, hw);
	while (clid_hex != NULL && clid_hex[2 * cl] != '\0') {
		unsigned v;

		sscanf(clid_hex + 2 * cl, "%2x", &v);
		clid[cl++] = (uint8_t)v;
	}
	assert_int_equal(lease_set_client(t, l, 1, hw, 6, cl ? clid : NULL,
	    cl), 0);
	if (name != NULL)
		lease_set_hostname(l, name);
	return l;
}

static void
rec_round_trip(void **state)
{
	struct lease_table *t = lease_table_new();
	struct lease *l = mk_lease(t, "198.51.100.7", "52:54:00:12:34:56",
	    "0152540012345600", "host");
	struct dhcp_lease_event ev = { 0 };
	struct script_event *e = malloc(sizeof(*e));
	uint8_t buf[SCRIPT_REC_MAX];
	int n;

	(void)state;
	l->giaddr = tu_ip("203.0.113.1");
	ev.action = DHCP_LEASE_DEL;
	ev.lease = l;
	ev.name = "host.example.test";
	ev.expires = 1700003600;
	ev.remaining = 3600;
	ev.has_extra = true;
	ev.field[DHCP_LF_VENDOR_CLASS].p = (const uint8_t *)"ven\0dor";
	ev.field[DHCP_LF_VENDOR_CLASS].len = 7;
	n = script_encode(&ev, "eth0", buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(script_decode(buf, (size_t)n, e), SCRIPT_OK);
	assert_int_equal(e->action, SCRIPT_DEL);
	assert_int_equal(e->htype, 1);
	assert_int_equal(e->hlen, 6);
	assert_int_equal(e->hwaddr[5], 0x56);
	assert_int_equal(e->clid_len, 8);
	assert_int_equal(e->addr.s_addr, tu_ip("198.51.100.7").s_addr);
	assert_int_equal(e->giaddr.s_addr, tu_ip("203.0.113.1").s_addr);
	assert_true(e->expires == 1700003600);
	assert_int_equal(e->remaining, 3600);
	assert_string_equal(e->ifname, "eth0");
	assert_string_equal(e->name, "host.example.test");
	assert_true(e->has_extra);
	/* vendor class cut at its NUL, then 10 empty fields */
	assert_int_equal(e->extra_len, 4 + 10);
	assert_memory_equal(e->extra, "ven\0", 4);
	/* too small a buffer */
	assert_int_equal(script_encode(&ev, "eth0", buf, 20), -ENOSPC);
	free(e);
	lease_table_free(t);
}

/* A valid record with one byte changed (or its length changed) must be
 * refused with the named reason. */
struct bad_row {
	const char *name;
	int off;		/* byte to set, -1: none */
	uint8_t val;
	int dlen;		/* length change */
	enum script_bad want;
};

static const struct bad_row bad_rows[] = {
	{ "version", 0, 2, 0, SCRIPT_BAD_VERSION },
	{ "type (a helper message)", 1, 7, 0, SCRIPT_BAD_TYPE },
	{ "action past old-hostname", 2, SCRIPT_ACTION_COUNT, 0,
	    SCRIPT_BAD_ACTION },
	{ "unknown flag", 3, 3, 0, SCRIPT_BAD_FIELD },
	{ "hlen 17", 5, 17, 0, SCRIPT_BAD_FIELD },
	{ "ifname 16 bytes", 7, 16, 0, SCRIPT_BAD_FIELD },
	{ "name length 256", 28, 1, 0, SCRIPT_BAD_FIELD },
	{ "extra flag without extra", 3, 1, 0, SCRIPT_BAD_FIELD },
	{ "NUL in the interface name", 32 + 6 + 1, 0, 0, SCRIPT_BAD_FIELD },
	{ "one byte short", -1, 0, -1, SCRIPT_BAD_SHORT },
	{ "header only", -1, 0, -1000, SCRIPT_BAD_SHORT },
	{ "one byte long", -1, 0, 1, SCRIPT_BAD_LONG },
};

static void
rec_refused(void **state)
{
	struct lease_table *t = lease_table_new();
	struct lease *l = mk_lease(t, "198.51.100.7", "52:54:00:12:34:56",
	    NULL, NULL);
	struct dhcp_lease_event ev = { 0 };
	struct script_event *e = malloc(sizeof(*e));
	uint8_t good[SCRIPT_REC_MAX], buf[SCRIPT_REC_MAX];
	size_t i, len;
	int n;

	(void)state;
	ev.action = DHCP_LEASE_ADD;
	ev.lease = l;
	ev.name = "x";
	n = script_encode(&ev, "eth0", good, sizeof(good));
	assert_true(n > 32);
	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		const struct bad_row *r = &bad_rows[i];

		memcpy(buf, good, (size_t)n);
		len = (size_t)n;
		if (r->off >= 0)
			buf[r->off] = r->val;
		if (r->dlen < -(int)len)
			len = 8;
		else
			len = (size_t)((int)len + r->dlen);
		print_message("row: %s\n", r->name);
		assert_int_equal(script_decode(buf, len, e), r->want);
	}
	/* every truncation of a valid record is refused, never read past */
	for (len = 0; len < (size_t)n; len++)
		assert_int_not_equal(script_decode(good, len, e), SCRIPT_OK);
	free(e);
	lease_table_free(t);
}

/* --- argv and envp against dnsmasq's format ------------------------------- */

struct exec_row {
	const char *name;
	enum script_action action;
	uint8_t htype, hlen;
	const char *mac;
	const char *clid_hex;
	const char *ip;
	const char *ifname;
	const char *fqdn;
	int64_t expires;
	uint32_t remaining;
	const char *relay;
	const uint8_t *extra;		/* NULL: DATA_MISSING */
	size_t extra_len;
	bool log_dhcp;
	const char *want;
};

#define EX(s) (const uint8_t *)(s), sizeof(s) - 1

static const struct exec_row exec_rows[] = {
	{ "add, as dnsmasq gave it for a rich DORA (compat plain)",
	    SCRIPT_ADD, 1, 6, "52:54:00:00:0a:01", "01525400000a01",
	    "198.51.100.101", "pxv0", "client1.example.test", 1700003600, 3600,
	    NULL,
	    EX("vendor=x\0client1\0" "00D09E\0SN123\0CLASS\0\0\0\0"
	    "1,3,6,12,15,28,51,54,58,59\0https://mud.example/x\0"
	    "cpewan-id pxv0\0abcd\0efg\0"), true,
	    "add 52:54:00:00:0a:01 198.51.100.101 client1"
	    " | CLIENT_ID=01:52:54:00:00:0a:01 | INTERFACE=pxv0"
	    " | LEASE_EXPIRES=1700003600 | DOMAIN=example.test"
	    " | VENDOR_CLASS=vendor | SUPPLIED_HOSTNAME=client1"
	    " | CPEWAN_OUI=00D09E | CPEWAN_SERIAL=SN123 | CPEWAN_CLASS=CLASS"
	    " | REQUESTED_OPTIONS=1,3,6,12,15,28,51,54,58,59"
	    " | MUD_URL=https://mud.example/x | TAGS=cpewan-id pxv0"
	    " | USER_CLASS0=abcd | USER_CLASS1=efg | TIME_REMAINING=3600"
	    " | LOG_DHCP=1" },
	{ "del: no TIME_REMAINING, DATA_MISSING", SCRIPT_DEL, 1, 6,
	    "52:54:00:00:0a:01", NULL, "198.51.100.101", "pxv0",
	    "client2.example.test", 1700003600, 3600, NULL, NULL, 0, false,
	    "del 52:54:00:00:0a:01 198.51.100.101 client2"
	    " | INTERFACE=pxv0 | LEASE_EXPIRES=1700003600"
	    " | DOMAIN=example.test | DATA_MISSING=1" },
	{ "lost name: old without HOSTNAME, OLD_HOSTNAME", SCRIPT_OLD_HOSTNAME,
	    1, 6, "52:54:00:00:0a:01", NULL, "198.51.100.101", "",
	    "client2.example.test", 1700003600, 3600, NULL, NULL, 0, false,
	    "old 52:54:00:00:0a:01 198.51.100.101"
	    " | LEASE_EXPIRES=1700003600 | DOMAIN=example.test"
	    " | DATA_MISSING=1 | TIME_REMAINING=3600"
	    " | OLD_HOSTNAME=client2" },
	{ "infinite, no name, relayed", SCRIPT_OLD, 1, 6, "52:54:00:aa:00:02",
	    NULL, "203.0.113.148", "pxv0", NULL, 0, 0, "203.0.113.1",
	    EX("\0\0\0\0\0\0\0\0\0\0pxv0\0"), false,
	    "old 52:54:00:aa:00:02 203.0.113.148 | INTERFACE=pxv0"
	    " | LEASE_EXPIRES=0 | TAGS=pxv0 | RELAY_ADDRESS=203.0.113.1" },
	{ "not Ethernet: the type first", SCRIPT_ADD, 6, 6,
	    "00:11:22:33:44:55", NULL, "198.51.100.9", NULL, NULL, 10, 0,
	    NULL, NULL, 0, false,
	    "add 06-00:11:22:33:44:55 198.51.100.9 | LEASE_EXPIRES=10"
	    " | DATA_MISSING=1" },
	{ "no hardware address: type and dash only", SCRIPT_OLD, 1, 0, NULL,
	    "ff00", "198.51.100.9", NULL, NULL, 10, 0, NULL, NULL, 0, false,
	    "old 01- 198.51.100.9 | CLIENT_ID=ff:00 | LEASE_EXPIRES=10"
	    " | DATA_MISSING=1" },
	{ "illegal name: neither argument nor domain", SCRIPT_OLD, 1, 6,
	    "52:54:00:00:00:01", NULL, "198.51.100.9", NULL, "-bad.x", 10, 0,
	    NULL, NULL, 0, false,
	    "old 52:54:00:00:00:01 198.51.100.9 | LEASE_EXPIRES=10"
	    " | DATA_MISSING=1" },
	{ "unqualified name: no DOMAIN", SCRIPT_OLD, 1, 6,
	    "52:54:00:00:00:01", NULL, "198.51.100.9", NULL, "plain", 10, 0,
	    NULL, NULL, 0, false,
	    "old 52:54:00:00:00:01 198.51.100.9 plain | LEASE_EXPIRES=10"
	    " | DATA_MISSING=1" },
	{ "empty user class in the middle is unset, '=' cuts values",
	    SCRIPT_ADD, 1, 6, "52:54:00:00:00:01", NULL, "198.51.100.9", NULL,
	    NULL, 10, 0, NULL,
	    EX("a=b\0=x\0\0\0\0\0\0\0\0\0\0u0\0\0u2\0"), false,
	    "add 52:54:00:00:00:01 198.51.100.9 | LEASE_EXPIRES=10"
	    " | VENDOR_CLASS=a | SUPPLIED_HOSTNAME= | USER_CLASS0=u0"
	    " | USER_CLASS2=u2" },
	{ "extra without a final NUL: the rest unset", SCRIPT_ADD, 1, 6,
	    "52:54:00:00:00:01", NULL, "198.51.100.9", NULL, NULL, 10, 0, NULL,
	    EX("vc\0trailing"), false,
	    "add 52:54:00:00:00:01 198.51.100.9 | LEASE_EXPIRES=10"
	    " | VENDOR_CLASS=vc" },
};

static void
exec_table(void **state)
{
	struct script_event *e = malloc(sizeof(*e));
	char got[4096];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(exec_rows) / sizeof(exec_rows[0]); i++) {
		const struct exec_row *r = &exec_rows[i];

		memset(e, 0, sizeof(*e));
		e->action = r->action;
		e->htype = r->htype;
		e->hlen = r->hlen;
		if (r->mac != NULL)
			tu_mac(r->mac, e->hwaddr);
		for (j = 0; r->clid_hex != NULL && r->clid_hex[2 * j]; j++) {
			unsigned v;

			sscanf(r->clid_hex + 2 * j, "%2x", &v);
			e->clid[j] = (uint8_t)v;
		}
		e->clid_len = (uint8_t)j;
		e->addr = tu_ip(r->ip);
		if (r->relay != NULL)
			e->giaddr = tu_ip(r->relay);
		snprintf(e->ifname, sizeof(e->ifname), "%s",
		    r->ifname != NULL ? r->ifname : "");
		snprintf(e->name, sizeof(e->name), "%s",
		    r->fqdn != NULL ? r->fqdn : "");
		e->expires = r->expires;
		e->remaining = r->remaining;
		e->has_extra = r->extra != NULL;
		e->extra_len = (uint16_t)r->extra_len;
		if (r->extra != NULL)
			memcpy(e->extra, r->extra, r->extra_len);
		render(e, r->log_dhcp, got, sizeof(got));
		print_message("row: %s\n", r->name);
		assert_string_equal(got, r->want);
	}
	free(e);
}

/* The daemon's environment passes, except the names dnsmasq manages. */
static void
exec_base_env(void **state)
{
	char a[] = "PATH=/bin", b[] = "DNSMASQ_TAGS=stale";
	char c[] = "DNSMASQ_USER_CLASS7=old", d[] = "DNSMASQ_FOO=kept";
	char f[] = "DNSMASQ_USER_CLASSX=kept", g[] = "DNSMASQ_IAID=1";
	char *base[] = { a, b, c, d, f, g, NULL };
	struct script_event *e = calloc(1, sizeof(*e));
	struct script_exec x;
	char got[1024] = "";
	size_t i;

	(void)state;
	e->action = SCRIPT_ADD;
	e->htype = 1;
	assert_int_equal(script_build_exec(e, "hook", false, base, &x), 0);
	assert_string_equal(x.argv[0], "hook");
	for (i = 0; x.envp[i] != NULL; i++) {
		strcat(got, x.envp[i]);
		strcat(got, ";");
	}
	assert_string_equal(got, "PATH=/bin;DNSMASQ_FOO=kept;"
	    "DNSMASQ_USER_CLASSX=kept;DNSMASQ_LEASE_EXPIRES=0;"
	    "DNSMASQ_DATA_MISSING=1;");
	script_exec_free(&x);
	free(e);
}

struct mac_row {
	uint8_t htype;
	const char *hw;
	size_t hlen;
	const char *want;
};

static void
mac_text(void **state)
{
	static const struct mac_row rows[] = {
		{ 1, "\x52\x54\x00\x12\x34\x56", 6, "52:54:00:12:34:56" },
		{ 6, "\x00\x11\x22\x33\x44\x55", 6, "06-00:11:22:33:44:55" },
		{ 1, "", 0, "01-" },
		{ 0, "", 0, "00-" },
		{ 32, "\x01\x02", 2, "20-01:02" },
		{ 1, "\xff", 1, "ff" },
	};
	char out[3 * SCRIPT_HWADDR_MAX + 4];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		script_mac_text(out, sizeof(out), rows[i].htype,
		    (const uint8_t *)rows[i].hw, rows[i].hlen);
		assert_string_equal(out, rows[i].want);
	}
}

/* --- the DHCP server's events, rendered ----------------------------------- */

#define EV_MAX 8

struct efx {
	struct conf *cf;
	struct dhcp_server *srv;
	struct dhcp_ifaddr addr;
	struct dhcp_iface ifc;
	struct clock_now now;
	struct dhcp_msg *msg;
	struct dhcp_tx *tx;
	char got[EV_MAX][2048];
	unsigned n;
};

static void
efx_event(void *ctx, const struct dhcp_lease_event *ev)
{
	struct efx *f = ctx;

	assert_true(f->n < EV_MAX);
	render_event(ev, ev->lease->ifindex == 7 ? "dmv0" :
	    ev->lease->ifindex == 8 ? "dmv1" : "", f->got[f->n],
	    sizeof(f->got[0]));
	f->n++;
}

#define EV_CONF "interface=dmv0\nno-resolv\nno-ping\ndomain=example.test\n" \
	"dhcp-range=198.51.100.50,198.51.100.150,255.255.255.0,1h\n" \
	"dhcp-range=203.0.113.100,203.0.113.200,255.255.255.0,4h\n" \
	"dhcp-host=52:54:00:00:00:c0,198.51.100.21,fixedhost,2h\n"

static struct efx *
efx_new(const char *extra)
{
	struct efx *f = calloc(1, sizeof(*f));
	struct dhcp_server_hooks h = { 0 };
	char conf[1024];

	assert_non_null(f);
	snprintf(conf, sizeof(conf), "%s%s", EV_CONF, extra);
	f->cf = tu_conf(conf);
	assert_non_null(f->cf);
	f->msg = malloc(sizeof(*f->msg));
	f->tx = malloc(sizeof(*f->tx));
	f->addr.addr = tu_ip("198.51.100.1");
	f->addr.netmask = tu_ip("255.255.255.0");
	f->addr.broadcast = tu_ip("198.51.100.255");
	f->ifc.index = 7;
	f->ifc.name = "dmv0";
	f->ifc.addrs = &f->addr;
	f->ifc.naddrs = 1;
	f->ifc.mtu = 1500;
	f->now.mono_ms = 1000000;
	f->now.wall = 1700000000;
	f->srv = dhcp_server_new(f->cf, lease_table_new(), NULL, &h, 1);
	assert_non_null(f->srv);
	dhcp_server_set_lease_events(f->srv, efx_event, f);
	return f;
}

static void
efx_free(struct efx *f)
{
	dhcp_server_free(f->srv);
	conf_free(f->cf);
	free(f->msg);
	free(f->tx);
	free(f);
}

static enum dhcp_verdict
efx_send(struct efx *f, struct tu_pkt *p, bool unicast)
{
	struct dhcp_rx rx = { 0 };

	tu_pkt_end(p);
	assert_int_equal(dhcp_msg_decode(f->msg, p->b, p->len), DHCP_OK);
	rx.msg = f->msg;
	rx.iface = &f->ifc;
	rx.path = DHCP_PATH_RAW;
	rx.unicast = unicast;
	rx.sport = 68;
	f->n = 0;
	return dhcp_server_handle(f->srv, &rx, f->tx, &f->now);
}

/* The client's requests: MAC A with name NAME, client data. */
static void
req_a(struct tu_pkt *p, int type, const char *name)
{
	static const uint8_t prl[] = { 1, 3, 6, 12, 15, 28, 51, 54, 58, 59 };
	static const uint8_t uc[] = { 4, 'a', 'b', 'c', 'd', 3, 'e', 'f', 'g' };

	tu_pkt_init(p, type, "52:54:00:00:0a:01", 0x100);
	tu_opt_str(p, 12, name);
	tu_opt_str(p, 60, "vendor=x");
	tu_opt(p, 77, uc, sizeof(uc));
	tu_opt(p, 55, prl, sizeof(prl));
}

static const char *const A_EXTRA =
    " | VENDOR_CLASS=vendor | SUPPLIED_HOSTNAME=%s"
    " | REQUESTED_OPTIONS=1,3,6,12,15,28,51,54,58,59 | TAGS=dmv0"
    " | USER_CLASS0=abcd | USER_CLASS1=efg";

/* DORA for A; returns its address as text in ip. */
static void
efx_dora_a(struct efx *f, const char *name, char *ip)
{
	struct tu_pkt p;
	struct in_addr a;

	req_a(&p, DHCP_DISCOVER, name);
	assert_int_equal(efx_send(f, &p, false), DHCP_V_OFFER);
	assert_int_equal(f->n, 0);	/* an OFFER changes no lease */
	memcpy(&a, f->tx->buf + 16, 4);
	inet_ntop(AF_INET, &a, ip, INET_ADDRSTRLEN);
	req_a(&p, DHCP_REQUEST, name);
	tu_opt_ip(&p, 50, ip);
	tu_opt_ip(&p, 54, "198.51.100.1");
	assert_int_equal(efx_send(f, &p, false), DHCP_V_ACK);
}

static void
want(const struct efx *f, unsigned i, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_true(i < f->n);
	assert_string_equal(f->got[i], buf);
}

static void
ev_add_then_quiet_renew(void **state)
{
	struct efx *f = efx_new("");
	char ip[INET_ADDRSTRLEN], x[512];
	struct tu_pkt p;

	(void)state;
	efx_dora_a(f, "client1", ip);
	assert_int_equal(f->n, 1);
	snprintf(x, sizeof(x), A_EXTRA, "client1");
	want(f, 0, "add 52:54:00:00:0a:01 %s client1 | INTERFACE=dmv0"
	    " | LEASE_EXPIRES=1700003600 | DOMAIN=example.test%s"
	    " | TIME_REMAINING=3600", ip, x);
	/* RENEWING a minute later: no change dnsmasq reports */
	f->now.mono_ms += 60000;
	f->now.wall += 60;
	req_a(&p, DHCP_REQUEST, "client1");
	tu_set_addr(&p, 12, ip);
	assert_int_equal(efx_send(f, &p, true), DHCP_V_ACK);
	assert_int_equal(f->n, 0);
	/* INIT-REBOOT (option 50): "old" with the client data */
	req_a(&p, DHCP_REQUEST, "client1");
	tu_opt_ip(&p, 50, ip);
	assert_int_equal(efx_send(f, &p, false), DHCP_V_ACK);
	assert_int_equal(f->n, 1);
	want(f, 0, "old 52:54:00:00:0a:01 %s client1 | INTERFACE=dmv0"
	    " | LEASE_EXPIRES=1700003660 | DOMAIN=example.test%s"
	    " | TIME_REMAINING=3600", ip, x);
	efx_free(f);
}

/* leasefile-ro: every change of expiry runs "old" (LEASE_AUX_CHANGED);
 * script-on-renewal likewise (LEASE_EXP_CHANGED). */
static void
ev_renew_reported(void **state)
{
	static const char *const confs[] = { "leasefile-ro\n",
	    "script-on-renewal\n" };
	char ip[INET_ADDRSTRLEN];
	struct tu_pkt p;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct efx *f = efx_new(confs[i]);

		efx_dora_a(f, "client1", ip);
		f->now.mono_ms += 60000;
		f->now.wall += 60;
		req_a(&p, DHCP_REQUEST, "client1");
		tu_set_addr(&p, 12, ip);
		assert_int_equal(efx_send(f, &p, true), DHCP_V_ACK);
		assert_int_equal(f->n, 1);
		want(f, 0, "old 52:54:00:00:0a:01 %s client1 | INTERFACE=dmv0"
		    " | LEASE_EXPIRES=1700003660 | DOMAIN=example.test"
		    " | DATA_MISSING=1 | TIME_REMAINING=3600", ip);
		/* the same second again: nothing changed */
		assert_int_equal(efx_send(f, &p, true), DHCP_V_ACK);
		assert_int_equal(f->n, 0);
		efx_free(f);
	}
}

/* A new name: the lost one first (with the request's data), then the
 * lease; a name another lease holds: that lease loses it. */
static void
ev_names(void **state)
{
	struct efx *f = efx_new("");
	char ip[INET_ADDRSTRLEN], ipb[INET_ADDRSTRLEN], x[512];
	struct tu_pkt p;
	struct in_addr b;

	(void)state;
	efx_dora_a(f, "client1", ip);
	req_a(&p, DHCP_REQUEST, "client2");
	tu_opt_ip(&p, 50, ip);
	assert_int_equal(efx_send(f, &p, false), DHCP_V_ACK);
	assert_int_equal(f->n, 2);
	snprintf(x, sizeof(x), A_EXTRA, "client2");
	want(f, 0, "old 52:54:00:00:0a:01 %s | INTERFACE=dmv0"
	    " | LEASE_EXPIRES=1700003600 | DOMAIN=example.test%s"
	    " | TIME_REMAINING=3600 | OLD_HOSTNAME=client1", ip, x);
	want(f, 1, "old 52:54:00:00:0a:01 %s client2 | INTERFACE=dmv0"
	    " | LEASE_EXPIRES=1700003600 | DOMAIN=example.test%s"
	    " | TIME_REMAINING=3600", ip, x);
	/* B takes client2 */
	tu_pkt_init(&p, DHCP_DISCOVER, "52:54:00:00:0b:01", 0x200);
	tu_opt_str(&p, 12, "client2");
	assert_int_equal(efx_send(f, &p, false), DHCP_V_OFFER);
	memcpy(&b, f->tx->buf + 16, 4);
	inet_ntop(AF_INET, &b, ipb, sizeof(ipb));
	tu_pkt_init(&p, DHCP_REQUEST, "52:54:00:00:0b:01", 0x201);
	tu_opt_str(&p, 12, "client2");
	tu_opt_ip(&p, 50, ipb);
	tu_opt_ip(&p, 54, "198.51.100.1");
	assert_int_equal(efx_send(f, &p, false), DHCP_V_ACK);
	assert_int_equal(f->n, 3);
	want(f, 0, "old 52:54:00:00:0a:01 %s | INTERFACE=dmv0"
	    " | LEASE_EXPIRES=1700003600 | DOMAIN=example.test"
	    " | DATA_MISSING=1 | TIME_REMAINING=3600 | OLD_HOSTNAME=client2",
	    ip);
	want(f, 1, "add 52:54:00:00:0b:01 %s client2 | INTERFACE=dmv0"
	    " | LEASE_EXPIRES=1700003600 | DOMAIN=example.test"
	    " | SUPPLIED_HOSTNAME=client2 | TAGS=dmv0"
	    " | TIME_REMAINING=3600", ipb);
	want(f, 2, "old 52:54:00:00:0a:01 %s | INTERFACE=dmv0"
	    " | LEASE_EXPIRES=1700003600 | DATA_MISSING=1"
	    " | TIME_REMAINING=3600", ip);
	efx_free(f);
}

/* RELEASE and expiry: "del" with the name, without TIME_REMAINING. */
static void
ev_release_and_expiry(void **state)
{
	struct efx *f = efx_new("");
	char ip[INET_ADDRSTRLEN];
	struct tu_pkt p;

	(void)state;
	efx_dora_a(f, "client1", ip);
	tu_pkt_init(&p, DHCP_RELEASE, "52:54:00:00:0a:01", 0x300);
	tu_set_addr(&p, 12, ip);
	tu_opt_ip(&p, 54, "198.51.100.1");
	assert_int_equal(efx_send(f, &p, true), DHCP_V_DONE);
	assert_int_equal(f->n, 1);
	want(f, 0, "del 52:54:00:00:0a:01 %s client1 | INTERFACE=dmv0"
	    " | LEASE_EXPIRES=1700003600 | DOMAIN=example.test"
	    " | DATA_MISSING=1", ip);
	efx_dora_a(f, "client1", ip);
	f->n = 0;
	assert_int_equal(dhcp_server_expire(f->srv, &f->now, false), 0);
	f->now.mono_ms += 3600 * 1000;
	f->now.wall += 3600;
	assert_int_equal(dhcp_server_expire(f->srv, &f->now, false), 1);
	assert_int_equal(f->n, 1);
	want(f, 0, "del 52:54:00:00:0a:01 %s client1 | INTERFACE=dmv0"
	    " | LEASE_EXPIRES=1700003600 | DOMAIN=example.test"
	    " | DATA_MISSING=1", ip);
	efx_free(f);
}

/* A relayed request with option 82, and an INFORM on another interface
 * (lease_set_interface()). */
static void
ev_relay_and_inform(void **state)
{
	static const uint8_t agent[] = { 1, 4, 'c', 'i', 'r', 'c', 2, 6, 'r',
	    'e', 'm', 'o', 't', 'e', 6, 3, 's', 'u', 'b' };
	struct efx *f = efx_new("");
	char ip[INET_ADDRSTRLEN];
	struct tu_pkt p;
	struct in_addr a;

	(void)state;
	tu_pkt_init(&p, DHCP_DISCOVER, "52:54:00:00:00:5e", 0x400);
	tu_set_addr(&p, 24, "203.0.113.1");
	tu_opt(&p, 82, agent, sizeof(agent));
	assert_int_equal(efx_send(f, &p, true), DHCP_V_OFFER);
	memcpy(&a, f->tx->buf + 16, 4);
	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	tu_pkt_init(&p, DHCP_REQUEST, "52:54:00:00:00:5e", 0x401);
	tu_set_addr(&p, 24, "203.0.113.1");
	tu_opt_ip(&p, 50, ip);
	tu_opt_ip(&p, 54, "198.51.100.1");
	tu_opt(&p, 82, agent, sizeof(agent));
	assert_int_equal(efx_send(f, &p, true), DHCP_V_ACK);
	assert_int_equal(f->n, 1);
	want(f, 0, "add 52:54:00:00:00:5e %s | INTERFACE=dmv0"
	    " | LEASE_EXPIRES=1700014400 | CIRCUIT_ID=circ"
	    " | SUBSCRIBER_ID=sub | REMOTE_ID=remote | TAGS=dmv0"
	    " | RELAY_ADDRESS=203.0.113.1 | TIME_REMAINING=14400", ip);
	/* the same client INFORMs through interface 8 */
	f->ifc.index = 8;
	f->ifc.name = "dmv1";
	tu_pkt_init(&p, DHCP_INFORM, "52:54:00:00:00:5e", 0x402);
	tu_set_addr(&p, 12, ip);
	assert_int_equal(efx_send(f, &p, true), DHCP_V_ACK);
	assert_int_equal(f->n, 1);
	want(f, 0, "old 52:54:00:00:00:5e %s | INTERFACE=dmv1"
	    " | LEASE_EXPIRES=1700014400 | DATA_MISSING=1"
	    " | RELAY_ADDRESS=203.0.113.1 | TIME_REMAINING=14400", ip);
	assert_int_equal(efx_send(f, &p, true), DHCP_V_ACK);
	assert_int_equal(f->n, 0);
	efx_free(f);
}

/* The start-up/SIGHUP "old" and the BOOTP "add" (no client data). */
static void
ev_rerun_and_bootp(void **state)
{
	struct efx *f = efx_new("");
	struct dhcp_lease_event ev;
	struct lease *l;
	struct tu_pkt p;
	char got[2048];

	(void)state;
	tu_pkt_init(&p, 0, "52:54:00:00:00:c0", 0x500);
	assert_int_equal(efx_send(f, &p, false), DHCP_V_BOOTP);
	assert_int_equal(f->n, 1);
	want(f, 0, "add 52:54:00:00:00:c0 198.51.100.21 fixedhost"
	    " | INTERFACE=dmv0 | LEASE_EXPIRES=1700007200"
	    " | DOMAIN=example.test | DATA_MISSING=1 | TIME_REMAINING=7200");
	l = lease_find_by_addr(dhcp_server_leases(f->srv),
	    tu_ip("198.51.100.21"));
	assert_non_null(l);
	dhcp_server_lease_event(f->srv, l, &f->now, &ev);
	render_event(&ev, "", got, sizeof(got));
	assert_string_equal(got, "old 52:54:00:00:00:c0 198.51.100.21"
	    " fixedhost | LEASE_EXPIRES=1700007200 | DOMAIN=example.test"
	    " | DATA_MISSING=1 | TIME_REMAINING=7200");
	efx_free(f);
}

/* --- the helper process ---------------------------------------------------- */

struct pfx {
	char dir[64];
	char script[128];
	char out[128];
	struct ev_loop ev;
	struct lease_table *t;
	struct lease *l;
};

static void
pfx_init(struct pfx *p, const char *body)
{
	FILE *fp;

	snprintf(p->dir, sizeof(p->dir), "/tmp/test_script.XXXXXX");
	assert_non_null(mkdtemp(p->dir));
	snprintf(p->script, sizeof(p->script), "%s/hook.sh", p->dir);
	snprintf(p->out, sizeof(p->out), "%s/out", p->dir);
	fp = fopen(p->script, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\n%s\n", body);
	fclose(fp);
	chmod(p->script, 0755);
	setenv("TEST_SCRIPT_OUT", p->out, 1);
	assert_int_equal(ev_init(&p->ev), 0);
	p->t = lease_table_new();
	p->l = mk_lease(p->t, "198.51.100.7", "52:54:00:12:34:56", NULL,
	    "host");
}

static void
pfx_fini(struct pfx *p)
{
	char cmd[256];

	ev_fini(&p->ev);
	lease_table_free(p->t);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p->dir);
	assert_int_equal(system(cmd), 0);
}

/* Lines of the output file once it has n of them (waits up to 10 s). */
static char *
pfx_wait_lines(struct pfx *p, unsigned n)
{
	static char buf[65536];
	unsigned i, lines;
	size_t len;
	FILE *fp;

	for (i = 0; i < 1000; i++) {
		buf[0] = '\0';
		len = 0;
		if ((fp = fopen(p->out, "r")) != NULL) {
			len = fread(buf, 1, sizeof(buf) - 1, fp);
			fclose(fp);
		}
		buf[len] = '\0';
		for (lines = 0, len = 0; buf[len]; len++)
			lines += buf[len] == '\n';
		if (lines >= n)
			return buf;
		usleep(10000);
	}
	return buf;
}

static void
pfx_event(struct pfx *p, struct dhcp_lease_event *ev,
    enum dhcp_lease_action a)
{
	memset(ev, 0, sizeof(*ev));
	ev->action = a;
	ev->lease = p->l;
	ev->name = "host";
	ev->expires = 0;
}

static void
helper_runs_in_order(void **state)
{
	struct script_conf c = { 0 };
	struct dhcp_lease_event ev;
	struct script_stats st;
	struct script *s;
	struct pfx p;
	char msg[256];
	int code;

	(void)state;
	pfx_init(&p, "echo \"$* uid=$(id -u) $DNSMASQ_LEASE_EXPIRES\" >> "
	    "\"$TEST_SCRIPT_OUT\"");
	c.path = p.script;
	assert_int_equal(script_start(&s, &c, &p.ev, msg, sizeof(msg), &code),
	    0);
	pfx_event(&p, &ev, DHCP_LEASE_ADD);
	script_queue(s, &ev, "eth0");
	pfx_event(&p, &ev, DHCP_LEASE_OLD);
	script_queue(s, &ev, NULL);
	pfx_event(&p, &ev, DHCP_LEASE_DEL);
	script_queue(s, &ev, NULL);
	script_get_stats(s, &st);
	assert_int_equal(st.queued, 3);
	assert_int_equal(st.dropped, 0);
	assert_true(st.helper_alive);
	script_close(s);
	assert_string_equal(pfx_wait_lines(&p, 3),
	    "add 52:54:00:12:34:56 198.51.100.7 host uid=0 0\n"
	    "old 52:54:00:12:34:56 198.51.100.7 host uid=0 0\n"
	    "del 52:54:00:12:34:56 198.51.100.7 host uid=0 0\n");
	pfx_fini(&p);
}

/* A full socket and queue drop events (counted), never block. */
static void
helper_queue_full(void **state)
{
	struct script_conf c = { 0 };
	struct dhcp_lease_event ev;
	struct script_stats st;
	struct timespec t0, t1;
	struct script *s;
	struct pfx p;
	char msg[256];
	int code, i;
	long ms;

	(void)state;
	pfx_init(&p, "[ -e \"$TEST_SCRIPT_OUT\" ] || sleep 1\n"
	    "echo \"$1\" >> \"$TEST_SCRIPT_OUT\"");
	c.path = p.script;
	assert_int_equal(script_start(&s, &c, &p.ev, msg, sizeof(msg), &code),
	    0);
	script_set_limits(s, 8, 1u << 20, 4096);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 200; i++) {
		pfx_event(&p, &ev, DHCP_LEASE_OLD);
		script_queue(s, &ev, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(ms < 500);		/* the first script sleeps 1 s */
	script_get_stats(s, &st);
	assert_true(st.dropped > 0);
	assert_true(st.pending <= 8);
	assert_int_equal(st.queued + st.dropped, 200);
	print_message("sent %lu, queued %lu, dropped %lu\n", st.sent,
	    st.queued, st.dropped);
	script_close(s);
	pfx_fini(&p);
}

/* dhcp-scriptuser that does not exist: dnsmasq's message, exit 1. */
static void
helper_unknown_user(void **state)
{
	struct script_conf c = { .path = "/bin/true",
	    .user = "no-such-user-here" };
	struct ev_loop ev;
	struct script *s;
	char msg[256];
	int code;

	(void)state;
	assert_int_equal(ev_init(&ev), 0);
	assert_int_equal(script_start(&s, &c, &ev, msg, sizeof(msg), &code),
	    -1);
	assert_string_equal(msg, "unknown user or group: no-such-user-here");
	assert_int_equal(code, 1);
	assert_null(s);
	ev_fini(&ev);
}

struct init_row {
	const char *name;
	const char *body;	/* NULL: the script does not exist */
	unsigned max;		/* table cap, 0: none */
	int want_rc;		/* leases read, or -1 */
	int want_code;
	const char *want_msg;	/* before the script's path, if any */
	bool with_path;		/* want_msg, then "PATH: ERROR" */
	const char *want_err;
};

static const struct init_row init_rows[] = {
	{ "three leases, one expired (kept, as expired)",
	    "[ \"$1\" = init ] || exit 9\n"
	    "echo '0 52:54:00:aa:00:02 198.51.100.61 * *'\n"
	    "echo '1000 52:54:00:aa:00:03 198.51.100.62 gone *'\n"
	    "echo '2000000000 52:54:00:aa:00:01 198.51.100.60 a 01:02'",
	    0, 3, 0, NULL, false, NULL },
	{ "exit 3", "exit 3", 0, -1, 13,
	    "lease-init script returned exit code 3", false, NULL },
	{ "not executable: the shell's 126", NULL, 0, -1, 3,
	    "cannot run lease-init script ", true, "Permission denied" },
	{ "more than dhcp-lease-max", "echo '0 52:54:00:aa:00:02 "
	    "198.51.100.61 * *'; echo '0 52:54:00:aa:00:03 198.51.100.62 "
	    "* *'", 1, -1, 5, "too many stored leases", false, NULL },
};

static void
init_table(void **state)
{
	struct clock_now now = { .mono_ms = 5000, .wall = 1700000000 };
	char msg[512], want_msg[512];
	size_t i;
	int code, rc;

	(void)state;
	for (i = 0; i < sizeof(init_rows) / sizeof(init_rows[0]); i++) {
		const struct init_row *r = &init_rows[i];
		struct pfx p;

		print_message("row: %s\n", r->name);
		pfx_init(&p, r->body != NULL ? r->body : "exit 0");
		if (r->body == NULL)
			chmod(p.script, 0644);
		if (r->max != 0)
			lease_table_set_max(p.t, r->max);
		lease_remove(p.t, p.l);
		code = 0;
		msg[0] = '\0';
		rc = script_init_leases(p.script, p.t, &now, 86400, msg,
		    sizeof(msg), &code);
		assert_int_equal(rc, r->want_rc);
		if (r->want_rc >= 0) {
			struct lease *l = lease_find_by_addr(p.t,
			    tu_ip("198.51.100.62"));

			assert_int_equal(lease_count(p.t), 3);
			assert_non_null(l);
			assert_true(l->expires_ms <= now.mono_ms);
			assert_string_equal(l->hostname, "gone");
		} else {
			if (r->with_path)
				snprintf(want_msg, sizeof(want_msg), "%s%s: %s",
				    r->want_msg, p.script, r->want_err);
			else
				snprintf(want_msg, sizeof(want_msg), "%s",
				    r->want_msg);
			assert_string_equal(msg, want_msg);
			assert_int_equal(code, r->want_code);
		}
		pfx_fini(&p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rec_round_trip),
		cmocka_unit_test(rec_refused),
		cmocka_unit_test(rec_tftp),
		cmocka_unit_test(exec_table),
		cmocka_unit_test(exec_base_env),
		cmocka_unit_test(mac_text),
		cmocka_unit_test(ev_add_then_quiet_renew),
		cmocka_unit_test(ev_renew_reported),
		cmocka_unit_test(ev_names),
		cmocka_unit_test(ev_release_and_expiry),
		cmocka_unit_test(ev_relay_and_inform),
		cmocka_unit_test(ev_rerun_and_bootp),
		cmocka_unit_test(helper_runs_in_order),
		cmocka_unit_test(helper_queue_full),
		cmocka_unit_test(helper_unknown_user),
		cmocka_unit_test(init_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
