/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_dhcp_server.c - the DHCPv4 server logic against dnsmasq 2.90's
 * observed replies (reference Appendix A) and rules (sections 2.1, 3):
 * verdicts first, then the bytes and the log lines.  Fake clock (a
 * struct clock_now the test moves), real configuration parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <cmocka.h>

#include "dhcp_server.h"
#include "dhcp_test_util.h"
#include "lease.h"

/* --- fixture ------------------------------------------------------------- */

struct fx {
	struct conf *cf;
	struct dhcp_server *srv;
	struct dhcp_ifaddr addr;
	struct dhcp_iface ifc;
	struct clock_now now;
	struct dhcp_msg *msg;
	struct dhcp_tx *tx;
	struct tu_opts opts;
	char *log;		/* lines, '\n' after each */
	size_t loglen;
	unsigned probes;
	bool unicast;
	struct in_addr src;
	uint16_t sport;
};

static void
fx_log(void *ctx, int sev, const char *line)
{
	struct fx *f = ctx;
	size_t n = strlen(line);

	(void)sev;
	f->log = realloc(f->log, f->loglen + n + 2);
	memcpy(f->log + f->loglen, line, n);
	f->loglen += n;
	f->log[f->loglen++] = '\n';
	f->log[f->loglen] = '\0';
}

#define BASE_CONF "interface=dmv0\nno-resolv\nlog-dhcp\n" \
	"dhcp-range=192.0.2.50,192.0.2.150,255.255.255.0,1h\n"

static struct fx *
fx_new(const char *conf)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct dhcp_server_hooks h = { .log = fx_log };

	assert_non_null(f);
	f->cf = tu_conf(conf);
	assert_non_null(f->cf);
	f->msg = malloc(sizeof(*f->msg));
	f->tx = malloc(sizeof(*f->tx));
	assert_non_null(f->msg);
	assert_non_null(f->tx);
	f->addr.addr = tu_ip("192.0.2.1");
	f->addr.netmask = tu_ip("255.255.255.0");
	f->addr.broadcast = tu_ip("192.0.2.255");
	f->ifc.index = 7;
	f->ifc.name = "dmv0";
	f->ifc.addrs = &f->addr;
	f->ifc.naddrs = 1;
	f->ifc.mtu = 1500;
	f->now.mono_ms = 1000000;
	f->now.wall = 1700000000;
	h.ctx = f;
	f->srv = dhcp_server_new(f->cf, lease_table_new(), NULL, &h, 1);
	assert_non_null(f->srv);
	f->log = calloc(1, 1);
	return f;
}

static void
fx_free(struct fx *f)
{
	dhcp_server_free(f->srv);
	conf_free(f->cf);
	free(f->msg);
	free(f->tx);
	free(f->log);
	free(f);
}

static void
fx_clear_log(struct fx *f)
{
	f->loglen = 0;
	f->log[0] = '\0';
}

/* Handles p once (a DHCP_V_PROBE is returned as is). */
static enum dhcp_verdict
fx_once(struct fx *f, const struct tu_pkt *p)
{
	struct dhcp_rx rx = { 0 };
	enum dhcp_verdict v;

	assert_int_equal(dhcp_msg_decode(f->msg, p->b, p->len), DHCP_OK);
	rx.msg = f->msg;
	rx.iface = &f->ifc;
	rx.path = DHCP_PATH_RAW;
	rx.unicast = f->unicast;
	rx.src = f->src;
	rx.sport = f->sport != 0 ? f->sport : 68;
	v = dhcp_server_handle(f->srv, &rx, f->tx, &f->now);
	if (dhcp_verdict_sends(v)) {
		assert_true(f->tx->len <= sizeof(f->tx->buf));
		tu_parse(f->tx->buf, f->tx->len, &f->opts);
	} else
		f->opts.n = 0;
	return v;
}

/* Handles p, answering every probe "nobody there". */
static enum dhcp_verdict
fx_run(struct fx *f, const struct tu_pkt *p)
{
	enum dhcp_verdict v;

	while ((v = fx_once(f, p)) == DHCP_V_PROBE) {
		f->probes++;
		assert_true(f->probes < 50);
		dhcp_server_probe_done(f->srv, &f->tx->probe, false, &f->now);
	}
	return v;
}

static bool
fx_logged(const struct fx *f, const char *line)
{
	const char *p = f->log;
	size_t n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == f->log || p[-1] == '\n') && p[n] == '\n')
			return true;
		p++;
	}
	return false;
}

static void
assert_logged(const struct fx *f, const char *line)
{
	if (!fx_logged(f, line))
		fail_msg("missing log line \"%s\" in:\n%s", line, f->log);
}

static const char *
fx_codes(const struct fx *f)
{
	static char buf[512];

	return tu_codes(&f->opts, buf, sizeof(buf));
}

static struct in_addr
reply_addr(const struct fx *f, size_t off)
{
	struct in_addr a;

	memcpy(&a, f->tx->buf + off, 4);
	return a;
}

static void
assert_ip(struct in_addr a, const char *ip)
{
	char s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, s, sizeof(s));
	assert_string_equal(s, ip);
}

static void
assert_opt_ip(const struct fx *f, uint8_t code, const char *ip)
{
	size_t len;
	const uint8_t *v = tu_find(&f->opts, code, &len);
	struct in_addr a;

	if (v == NULL)
		fail_msg("option %u missing (%s)", code, fx_codes(f));
	assert_int_equal(len, 4);
	memcpy(&a, v, 4);
	assert_ip(a, ip);
}

static void
assert_opt_u32(const struct fx *f, uint8_t code, uint32_t val)
{
	size_t len;
	const uint8_t *v = tu_find(&f->opts, code, &len);

	if (v == NULL)
		fail_msg("option %u missing (%s)", code, fx_codes(f));
	assert_int_equal(len, 4);
	assert_int_equal((uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
	    (uint32_t)v[2] << 8 | v[3], val);
}

static void
assert_opt_str(const struct fx *f, uint8_t code, const char *s, size_t n)
{
	size_t len;
	const uint8_t *v = tu_find(&f->opts, code, &len);

	if (v == NULL)
		fail_msg("option %u missing (%s)", code, fx_codes(f));
	assert_int_equal(len, n);
	assert_memory_equal(v, s, n);
}

/* --- requests ------------------------------------------------------------ */

#define MAC1 "52:54:00:12:34:56"
#define MAC2 "52:54:00:aa:bb:cc"

/* The PXE ROM's DISCOVER of Appendix A (BIOS, arch 0). */
static void
pxe_discover(struct tu_pkt *p, int type, const char *mac, uint32_t xid)
{
	static const uint8_t uuid[17] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
		0x66, 0x77, 0x88, 0x99, 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
		0xff };
	static const uint8_t arch[2] = { 0, 0 }, ndi[3] = { 1, 2, 1 };

	tu_pkt_init(p, type, mac, xid);
	tu_opt_u16(p, 57, 1260);
	tu_opt(p, 55, tu_prl_intel, sizeof(tu_prl_intel));
	tu_opt_str(p, 60, "PXEClient:Arch:00000:UNDI:002001");
	tu_opt(p, 93, arch, 2);
	tu_opt(p, 94, ndi, 3);
	tu_opt(p, 97, uuid, 17);
}

static void
simple(struct tu_pkt *p, int type, const char *mac, uint32_t xid)
{
	tu_pkt_init(p, type, mac, xid);
	tu_opt(p, 55, tu_prl_intel, sizeof(tu_prl_intel));
}

/* DISCOVER + REQUEST; returns the address. */
static struct in_addr
dora(struct fx *f, const char *mac)
{
	struct tu_pkt p;
	struct in_addr a;
	char ip[INET_ADDRSTRLEN];

	simple(&p, DHCP_DISCOVER, mac, 0x77);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	a = reply_addr(f, 16);
	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	simple(&p, DHCP_REQUEST, mac, 0x78);
	tu_opt_ip(&p, 50, ip);
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_ACK);
	assert_true(f->tx->needs_sync);
	return a;
}

/* --- Appendix A.1 -------------------------------------------------------- */

#define A1_CONF BASE_CONF "dhcp-boot=pxelinux.0\nenable-tftp\n"

static const uint8_t a1_offer_opts[] = {
	53, 1, 2,
	54, 4, 192, 0, 2, 1,
	51, 4, 0, 0, 0x0e, 0x10,
	67, 11, 'p', 'x', 'e', 'l', 'i', 'n', 'u', 'x', '.', '0', 0,
	58, 4, 0, 0, 0x07, 0x08,
	59, 4, 0, 0, 0x0c, 0x4e,
	1, 4, 255, 255, 255, 0,
	28, 4, 192, 0, 2, 255,
	3, 4, 192, 0, 2, 1,
	6, 4, 192, 0, 2, 1,
	255,
};

/* The first OFFER waits for a ping of the address (dnsmasq: 3 s); the
 * reply is then the observed one, byte for byte: payload 305. */
static void
a1_discover_offer(void **state)
{
	struct fx *f = fx_new(A1_CONF);
	struct tu_pkt p;

	(void)state;
	pxe_discover(&p, DHCP_DISCOVER, MAC1, 0x1001);
	tu_pkt_end(&p);
	assert_int_equal(fx_once(f, &p), DHCP_V_PROBE);
	assert_ip(f->tx->probe.addr, "192.0.2.107");
	assert_int_equal(f->loglen, 0);		/* nothing logged yet */
	dhcp_server_probe_done(f->srv, &f->tx->probe, false, &f->now);
	assert_int_equal(fx_once(f, &p), DHCP_V_OFFER);
	assert_int_equal(f->tx->len, 305);
	assert_memory_equal(f->tx->buf + 240, a1_offer_opts,
	    sizeof(a1_offer_opts));
	assert_int_equal(f->tx->buf[0], 2);
	assert_int_equal(f->tx->buf[10], 0);		/* flags */
	assert_ip(reply_addr(f, 12), "0.0.0.0");
	assert_ip(reply_addr(f, 16), "192.0.2.107");
	assert_ip(reply_addr(f, 20), "192.0.2.1");
	assert_int_equal(f->tx->buf[44], 0);		/* sname */
	assert_int_equal(f->tx->buf[108], 0);		/* file */
	assert_int_equal(f->tx->dest, DHCP_DEST_L2_UNICAST);
	assert_ip(f->tx->dst, "192.0.2.107");
	assert_int_equal(f->tx->dport, 68);
	assert_memory_equal(f->tx->dst_hw, "\x52\x54\x00\x12\x34\x56", 6);
	assert_ip(f->tx->src, "192.0.2.1");
	assert_false(f->tx->needs_sync);
	/* a repeat within 30 s needs no new ping */
	assert_int_equal(fx_once(f, &p), DHCP_V_OFFER);
	fx_free(f);
}

static void
a1_logs(void **state)
{
	struct fx *f = fx_new(A1_CONF "no-ping\n");
	struct tu_pkt p;

	(void)state;
	pxe_discover(&p, DHCP_DISCOVER, MAC1, 0x1001);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_string_equal(f->log,
	    "4097 available DHCP range: 192.0.2.50 -- 192.0.2.150\n"
	    "4097 vendor class: PXEClient:Arch:00000:UNDI:002001\n"
	    "4097 DHCPDISCOVER(dmv0) 52:54:00:12:34:56 \n"
	    "4097 tags: dmv0\n"
	    "4097 DHCPOFFER(dmv0) 192.0.2.107 52:54:00:12:34:56 \n"
	    "4097 requested options: 1:netmask, 2:time-offset, 3:router, "
	    "5, 6:dns-server, \n"
	    "4097 requested options: 11, 12:hostname, 13:boot-file-size, "
	    "15:domain-name, \n"
	    "4097 requested options: 16:swap-server, 17:root-path, "
	    "18:extension-path, \n"
	    "4097 requested options: 22:max-datagram-reassembly, "
	    "23:default-ttl, \n"
	    "4097 requested options: 28:broadcast, 40:nis-domain, "
	    "41:nis-server, \n"
	    "4097 requested options: 42:ntp-server, 43:vendor-encap, "
	    "50:requested-address, \n"
	    "4097 requested options: 51:lease-time, 54:server-identifier, "
	    "58:T1, \n"
	    "4097 requested options: 59:T2, 60:vendor-class, 66:tftp-server, "
	    "67:bootfile-name, \n"
	    "4097 requested options: 128, 129, 130, 131, 132, 133, 134, 135\n"
	    "4097 next server: 192.0.2.1\n"
	    "4097 sent size:  1 option: 53 message-type  2\n"
	    "4097 sent size:  4 option: 54 server-identifier  192.0.2.1\n"
	    "4097 sent size:  4 option: 51 lease-time  1h\n"
	    "4097 sent size: 11 option: 67 bootfile-name  pxelinux.0\n"
	    "4097 sent size:  4 option: 58 T1  30m\n"
	    "4097 sent size:  4 option: 59 T2  52m30s\n"
	    "4097 sent size:  4 option:  1 netmask  255.255.255.0\n"
	    "4097 sent size:  4 option: 28 broadcast  192.0.2.255\n"
	    "4097 sent size:  4 option:  3 router  192.0.2.1\n"
	    "4097 sent size:  4 option:  6 dns-server  192.0.2.1\n");
	fx_free(f);
}

/* REQUEST(50=.107, 54=.1): ACK, same options with 53=5; lease written
 * before the ACK may leave. */
static void
a1_request_ack(void **state)
{
	struct fx *f = fx_new(A1_CONF "no-ping\n");
	struct tu_pkt p;
	struct lease *l;

	(void)state;
	pxe_discover(&p, DHCP_REQUEST, MAC1, 0x1002);
	tu_opt_ip(&p, 50, "192.0.2.107");
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_ACK);
	assert_int_equal(f->tx->len, 305);
	assert_int_equal(f->tx->buf[242], DHCP_ACK);
	assert_memory_equal(f->tx->buf + 243, a1_offer_opts + 3,
	    sizeof(a1_offer_opts) - 3);
	assert_true(f->tx->needs_sync);
	assert_int_equal(f->tx->dest, DHCP_DEST_L2_UNICAST);
	l = lease_find_by_addr(dhcp_server_leases(f->srv),
	    tu_ip("192.0.2.107"));
	assert_non_null(l);
	assert_int_equal(l->expires_ms, f->now.mono_ms + 3600 * 1000);
	assert_memory_equal(l->hwaddr, "\x52\x54\x00\x12\x34\x56", 6);
	assert_logged(f, "4098 DHCPREQUEST(dmv0) 192.0.2.107 "
	    "52:54:00:12:34:56 ");
	assert_logged(f, "4098 DHCPACK(dmv0) 192.0.2.107 52:54:00:12:34:56 ");
	fx_free(f);
}

/* PRL 1,3,6,43,60 and the broadcast flag: broadcast reply, the boot file
 * in the file field, 28 sent although not requested, payload 300. */
static void
a1_broadcast_short_prl(void **state)
{
	static const uint8_t prl[] = { 1, 3, 6, 43, 60 };
	struct fx *f = fx_new(A1_CONF "no-ping\n");
	struct tu_pkt p;

	(void)state;
	tu_pkt_init(&p, DHCP_DISCOVER, MAC1, 0x1003);
	p.b[10] = 0x80;
	tu_opt(&p, 55, prl, sizeof(prl));
	tu_opt_str(&p, 60, "PXEClient:Arch:00000:UNDI:002001");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_int_equal(f->tx->len, 300);
	assert_string_equal(fx_codes(f), "53 54 51 58 59 1 28 3 6");
	assert_string_equal((const char *)f->tx->buf + 108, "pxelinux.0");
	assert_int_equal(f->tx->buf[10], 0x80);
	assert_int_equal(f->tx->dest, DHCP_DEST_L2_BROADCAST);
	assert_ip(f->tx->dst, "255.255.255.255");
	assert_int_equal(f->tx->dport, 68);
	assert_logged(f, "4099 bootfile name: pxelinux.0");
	assert_logged(f, "4099 broadcast response");
	fx_free(f);
}

/* --- Appendix A.7 precedence --------------------------------------------- */

#define A7_CONF "interface=dmv0\nno-resolv\nlog-dhcp\nno-ping\n" \
	"dhcp-range=set:pool,192.0.2.50,192.0.2.150,255.255.255.0,1h\n" \
	"dhcp-host=52:54:00:12:34:56,set:special,host1,192.0.2.20,2h\n" \
	"domain=lan.example\n" \
	"dhcp-option=42,192.0.2.5\n" \
	"dhcp-option=42,192.0.2.6\n" \
	"dhcp-option=tag:pool,119,pool.example\n" \
	"dhcp-option=tag:special,119,special.example\n" \
	"dhcp-option=tag:pool,17,/pool\n" \
	"dhcp-option=tag:special,tag:pool,17,/both\n" \
	"dhcp-option=44,0.0.0.0\n" \
	"dhcp-boot=tag:special,first.0\n" \
	"dhcp-boot=tag:special,second.0\n" \
	"dhcp-boot=pxelinux.0\n"

/* A PRL with the options of the A.7 test. */
static const uint8_t a7_prl[] = { 1, 3, 6, 12, 15, 17, 28, 42, 44, 66, 67,
	119 };

static void
a7_precedence(void **state)
{
	struct fx *f = fx_new(A7_CONF);
	static const uint8_t special[] = { 7, 's', 'p', 'e', 'c', 'i', 'a',
		'l', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0 };
	struct tu_pkt p;

	(void)state;
	tu_pkt_init(&p, DHCP_DISCOVER, MAC1, 0x2001);
	tu_opt(&p, 55, a7_prl, sizeof(a7_prl));
	tu_opt_str(&p, 12, "myclient");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_ip(reply_addr(f, 16), "192.0.2.20");
	assert_string_equal(fx_codes(f),
	    "53 54 51 67 58 59 1 28 3 6 15 44 17 119 42");
	assert_opt_u32(f, 51, 7200);
	assert_opt_ip(f, 42, "192.0.2.6");
	assert_opt_str(f, 17, "/both", 5);
	assert_opt_str(f, 119, (const char *)special, sizeof(special));
	assert_opt_ip(f, 44, "192.0.2.1");
	assert_opt_str(f, 67, "second.0", 9);
	assert_opt_str(f, 15, "lan.example", 11);
	assert_logged(f, "8193 tags: pool, special, known, dmv0");
	assert_logged(f, "Ignoring duplicate dhcp-option 42");
	assert_logged(f, "8193 client provides name: myclient");
	/* the client offered another name: 12 only in the ACK */
	tu_pkt_init(&p, DHCP_REQUEST, MAC1, 0x2002);
	tu_opt(&p, 55, a7_prl, sizeof(a7_prl));
	tu_opt_str(&p, 12, "myclient");
	tu_opt_ip(&p, 50, "192.0.2.20");
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_ACK);
	assert_string_equal(fx_codes(f),
	    "53 54 51 67 58 59 1 28 3 6 15 12 44 17 119 42");
	assert_opt_str(f, 12, "host1", 5);
	assert_string_equal(lease_find_by_addr(dhcp_server_leases(f->srv),
	    tu_ip("192.0.2.20"))->hostname, "host1");
	assert_logged(f, "8194 DHCPACK(dmv0) 192.0.2.20 52:54:00:12:34:56 "
	    "host1");
	fx_free(f);
}

/* INFORM from 192.0.2.20: ACK to its address, ciaddr kept, no lease
 * times. */
static void
a7_inform(void **state)
{
	static const uint8_t prl[] = { 1, 3, 6, 12, 15, 42 };
	struct fx *f = fx_new(A7_CONF);
	struct tu_pkt p;

	(void)state;
	tu_pkt_init(&p, DHCP_INFORM, MAC1, 0x2003);
	tu_set_addr(&p, 12, "192.0.2.20");
	tu_opt(&p, 55, prl, sizeof(prl));
	tu_pkt_end(&p);
	f->unicast = true;
	f->src = tu_ip("192.0.2.20");
	assert_int_equal(fx_run(f, &p), DHCP_V_ACK);
	assert_string_equal(fx_codes(f), "53 54 1 28 3 6 15 12 42");
	assert_opt_str(f, 12, "host1", 5);
	assert_ip(reply_addr(f, 12), "192.0.2.20");
	assert_ip(reply_addr(f, 16), "0.0.0.0");
	assert_int_equal(f->tx->dest, DHCP_DEST_UDP);
	assert_ip(f->tx->dst, "192.0.2.20");
	assert_int_equal(f->tx->dport, 68);
	assert_false(f->tx->needs_sync);
	fx_free(f);
}

/* --- REQUEST states and NAK texts (table) -------------------------------- */

enum req_kind { SELECTING, INIT_REBOOT, RENEWING };

struct req_row {
	const char *name;
	const char *conf;		/* added to BASE_CONF + no-ping */
	const char *pre_mac;		/* a client that leased first */
	enum req_kind kind;
	const char *addr;		/* 50, or ciaddr when renewing */
	const char *sid;		/* 54 when selecting */
	bool unicast;
	enum dhcp_verdict v;
	const char *nak;		/* option 56 */
	enum dhcp_drop why;
};

static const struct req_row req_rows[] = {
	{ "init-reboot for another address than leased: wrong address", "",
	    MAC1, INIT_REBOOT, "192.0.2.99", NULL, false, DHCP_V_NAK,
	    "wrong address", DHCP_DROP_NONE },
	{ "unicast renew from an unknown client: lease not found", "",
	    NULL, RENEWING, "192.0.2.60", NULL, true, DHCP_V_NAK,
	    "lease not found", DHCP_DROP_NONE },
	{ "broadcast rebind from an unknown client: ignored", "",
	    NULL, RENEWING, "192.0.2.60", NULL, false, DHCP_V_DROP, NULL,
	    DHCP_DROP_NOT_OUR_LEASE },
	{ "init-reboot, unknown client, not authoritative: ignored", "",
	    NULL, INIT_REBOOT, "192.0.2.99", NULL, false, DHCP_V_DROP, NULL,
	    DHCP_DROP_UNKNOWN_CLIENT },
	{ "init-reboot, unknown client, authoritative: ACK",
	    "dhcp-authoritative\n", NULL, INIT_REBOOT, "192.0.2.99", NULL,
	    false, DHCP_V_ACK, NULL, DHCP_DROP_NONE },
	{ "renew, lost lease, authoritative: re-created",
	    "dhcp-authoritative\n", NULL, RENEWING, "192.0.2.60", NULL, true,
	    DHCP_V_ACK, NULL, DHCP_DROP_NONE },
	{ "selecting another server, not authoritative: ignored", "",
	    NULL, SELECTING, "192.0.2.99", "192.0.2.254", false, DHCP_V_DROP,
	    NULL, DHCP_DROP_OTHER_SERVER },
	{ "selecting another server, authoritative: wrong server-ID",
	    "dhcp-authoritative\n", NULL, SELECTING, "192.0.2.99",
	    "192.0.2.254", false, DHCP_V_NAK, "wrong server-ID",
	    DHCP_DROP_NONE },
	{ "address of another network: wrong network",
	    "dhcp-authoritative\n", NULL, INIT_REBOOT, "10.0.0.5", NULL,
	    false, DHCP_V_NAK, "wrong network", DHCP_DROP_NONE },
	{ "address outside the range: address not available",
	    "dhcp-authoritative\n", NULL, INIT_REBOOT, "192.0.2.200", NULL,
	    false, DHCP_V_NAK, "address not available", DHCP_DROP_NONE },
	{ "another host's static address: address reserved",
	    "dhcp-host=" MAC2 ",192.0.2.60\n", NULL, SELECTING, "192.0.2.60",
	    "192.0.2.1", false, DHCP_V_NAK, "address reserved",
	    DHCP_DROP_NONE },
	{ "leased to another client: address in use",
	    "dhcp-authoritative\n", MAC2, INIT_REBOOT, "192.0.2.111", NULL,
	    false, DHCP_V_NAK, "address in use", DHCP_DROP_NONE },
	{ "renewing a pool address with a free static one: static lease "
	    "available", "dhcp-host=" MAC1 ",192.0.2.20\ndhcp-authoritative\n",
	    NULL, RENEWING, "192.0.2.60", NULL, true, DHCP_V_NAK,
	    "static lease available", DHCP_DROP_NONE },
	{ "table full: no leases left", "dhcp-lease-max=1\n", MAC2,
	    SELECTING, "192.0.2.99", "192.0.2.1", false, DHCP_V_NAK,
	    "no leases left", DHCP_DROP_NONE },
};

static void
run_req_row(const struct req_row *r)
{
	char conf[1024];
	struct fx *f;
	struct tu_pkt p;
	enum dhcp_verdict v;

	snprintf(conf, sizeof(conf), BASE_CONF "no-ping\n%s", r->conf);
	f = fx_new(conf);
	if (r->pre_mac != NULL) {
		struct in_addr a = dora(f, r->pre_mac);

		/* MAC2 hashes to .111 in .50-.150 */
		if (strcmp(r->pre_mac, MAC2) == 0)
			assert_ip(a, "192.0.2.111");
	}
	fx_clear_log(f);
	simple(&p, DHCP_REQUEST, MAC1, 0x3001);
	if (r->kind == RENEWING) {
		tu_set_addr(&p, 12, r->addr);
		f->src = tu_ip(r->addr);
	} else
		tu_opt_ip(&p, 50, r->addr);
	if (r->kind == SELECTING)
		tu_opt_ip(&p, 54, r->sid);
	tu_pkt_end(&p);
	f->unicast = r->unicast;
	v = fx_run(f, &p);
	if (v != r->v)
		fail_msg("%s: verdict %d, expected %d; log:\n%s", r->name, v,
		    r->v, f->log);
	if (v == DHCP_V_DROP && f->tx->why != r->why)
		fail_msg("%s: drop %s", r->name, dhcp_drop_name(f->tx->why));
	if (v == DHCP_V_NAK) {
		char line[200];

		assert_string_equal(fx_codes(f), "53 54 56");
		assert_opt_str(f, 56, r->nak, strlen(r->nak));
		assert_opt_ip(f, 54, "192.0.2.1");
		assert_ip(reply_addr(f, 16), "0.0.0.0");
		/* broadcast, ciaddr cleared (none of these is remote) */
		assert_int_equal(f->tx->buf[10], 0x80);
		assert_ip(reply_addr(f, 12), "0.0.0.0");
		assert_int_equal(f->tx->dest, DHCP_DEST_L2_BROADCAST);
		snprintf(line, sizeof(line), "12289 DHCPNAK(dmv0) %s "
		    MAC1 " %s", r->kind == RENEWING ? r->addr : r->addr,
		    r->nak);
		if (strcmp(r->nak, "wrong server-ID") != 0)
			assert_logged(f, line);
	}
	if (v == DHCP_V_ACK)
		assert_non_null(lease_find_by_addr(dhcp_server_leases(f->srv),
		    tu_ip(r->addr)));
	fx_free(f);
}

static void
request_states(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(req_rows) / sizeof(req_rows[0]); i++)
		run_req_row(&req_rows[i]);
}

/* A renewal is unicast to the client's address, with T1/T2 moved back
 * by the desynchronisation fuzz (at most T1/8). */
static void
renew_unicast_reply(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n");
	struct in_addr a = dora(f, MAC1);
	char ip[INET_ADDRSTRLEN];
	struct tu_pkt p;
	size_t len;
	const uint8_t *t1;
	uint32_t v;

	(void)state;
	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	simple(&p, DHCP_REQUEST, MAC1, 0x3101);
	tu_set_addr(&p, 12, ip);
	tu_pkt_end(&p);
	f->unicast = true;
	f->src = a;
	assert_int_equal(fx_run(f, &p), DHCP_V_ACK);
	assert_int_equal(f->tx->dest, DHCP_DEST_UDP);
	assert_ip(f->tx->dst, ip);
	assert_int_equal(f->tx->dport, 68);
	t1 = tu_find(&f->opts, 58, &len);
	assert_non_null(t1);
	v = (uint32_t)t1[2] << 8 | t1[3];
	assert_true(v <= 1800 && v >= 1800 - 1800 / 8);
	fx_free(f);
}

/* --- RELEASE, DECLINE ---------------------------------------------------- */

static void
release_frees_lease(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n");
	struct in_addr a = dora(f, MAC1);
	char ip[INET_ADDRSTRLEN];
	struct tu_pkt p;

	(void)state;
	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	tu_pkt_init(&p, DHCP_RELEASE, MAC1, 0x4001);
	tu_set_addr(&p, 12, ip);
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_DONE);
	assert_null(lease_find_by_addr(dhcp_server_leases(f->srv), a));
	assert_logged(f, "16385 DHCPRELEASE(dmv0) 192.0.2.107 " MAC1 " ");
	assert_int_equal(fx_run(f, &p), DHCP_V_DONE);
	assert_logged(f, "16385 DHCPRELEASE(dmv0) 192.0.2.107 " MAC1
	    " unknown lease");
	/* for another server: nothing */
	tu_pkt_init(&p, DHCP_RELEASE, MAC1, 0x4002);
	tu_set_addr(&p, 12, ip);
	tu_opt_ip(&p, 54, "192.0.2.9");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_DROP);
	assert_int_equal(f->tx->why, DHCP_DROP_OTHER_SERVER);
	fx_free(f);
}

/* DECLINE of a dhcp-host address disables it for 600 s. */
static void
decline_static_address(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n"
	    "dhcp-host=" MAC1 ",192.0.2.20\n");
	struct tu_pkt p;

	(void)state;
	assert_ip(dora(f, MAC1), "192.0.2.20");
	tu_pkt_init(&p, DHCP_DECLINE, MAC1, 0x5001);
	tu_opt_ip(&p, 50, "192.0.2.20");
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_opt_str(&p, 56, "arp\x01 conflict");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_DONE);
	assert_logged(f, "20481 DHCPDECLINE(dmv0) 192.0.2.20 " MAC1
	    " arp conflict");
	assert_logged(f, "disabling DHCP static address 192.0.2.20 for 10m");
	assert_null(lease_find_by_addr(dhcp_server_leases(f->srv),
	    tu_ip("192.0.2.20")));
	simple(&p, DHCP_DISCOVER, MAC1, 0x5002);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_ip(reply_addr(f, 16), "192.0.2.107");
	assert_logged(f, "not using configured address 192.0.2.20 because it "
	    "was previously declined");
	f->now.mono_ms += 599 * 1000;
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_ip(reply_addr(f, 16), "192.0.2.107");
	f->now.mono_ms += 2 * 1000;
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_ip(reply_addr(f, 16), "192.0.2.20");
	fx_free(f);
}

/* DECLINE of a pool address moves the client elsewhere (epoch). */
static void
decline_pool_address(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n");
	struct tu_pkt p;

	(void)state;
	assert_ip(dora(f, MAC1), "192.0.2.107");
	tu_pkt_init(&p, DHCP_DECLINE, MAC1, 0x5101);
	tu_opt_ip(&p, 50, "192.0.2.107");
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_DONE);
	simple(&p, DHCP_DISCOVER, MAC1, 0x5102);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_ip(reply_addr(f, 16), "192.0.2.108");
	fx_free(f);
}

/* --- allocation ---------------------------------------------------------- */

struct hash_row {
	const char *name;
	const char *range;
	const char *mac;
	const char *want;
};

static const struct hash_row hash_rows[] = {
	{ "reference 3.7: .50-.150", "192.0.2.50,192.0.2.150", MAC1,
	    "192.0.2.107" },
	{ "reference 3.7: .100-.200", "192.0.2.100,192.0.2.200", MAC1,
	    "192.0.2.157" },
	{ "another client", "192.0.2.50,192.0.2.150", MAC2, "192.0.2.111" },
	{ "x.x.x.255 skipped in class C space", "192.0.2.255,192.0.3.10",
	    "00:00:00:00:00:00", "192.0.3.1" },
	{ "x.x.x.0 allowed outside class C", "10.0.0.0,10.0.0.0",
	    "00:00:00:00:00:00", "10.0.0.0" },
};

static void
hash_allocation(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hash_rows) / sizeof(hash_rows[0]);
	    i++) {
		const struct hash_row *r = &hash_rows[i];
		char conf[512];
		struct fx *f;
		struct tu_pkt p;

		snprintf(conf, sizeof(conf), "no-ping\nlog-dhcp\n"
		    "dhcp-range=%s,255.255.0.0\n", r->range);
		f = fx_new(conf);
		if (strncmp(r->range, "10.", 3) == 0) {
			f->addr.addr = tu_ip("10.0.0.1");
			f->addr.netmask = tu_ip("255.255.255.0");
			f->addr.broadcast = tu_ip("10.0.0.255");
		} else
			f->addr.netmask = tu_ip("255.255.0.0");
		simple(&p, DHCP_DISCOVER, r->mac, 0x6001);
		tu_pkt_end(&p);
		if (fx_run(f, &p) != DHCP_V_OFFER)
			fail_msg("%s: no offer:\n%s", r->name, f->log);
		{
			char ip[INET_ADDRSTRLEN];
			struct in_addr a = reply_addr(f, 16);

			inet_ntop(AF_INET, &a, ip, sizeof(ip));
			if (strcmp(ip, r->want) != 0)
				fail_msg("%s: got %s, want %s", r->name, ip,
				    r->want);
		}
		fx_free(f);
	}
}

/* A ping answer moves the offer on; the range epoch changes too. */
static void
probe_busy_address(void **state)
{
	struct fx *f = fx_new(BASE_CONF);
	struct tu_pkt p;

	(void)state;
	simple(&p, DHCP_DISCOVER, MAC1, 0x6101);
	tu_pkt_end(&p);
	assert_int_equal(fx_once(f, &p), DHCP_V_PROBE);
	assert_ip(f->tx->probe.addr, "192.0.2.107");
	dhcp_server_probe_done(f->srv, &f->tx->probe, true, &f->now);
	assert_int_equal(fx_once(f, &p), DHCP_V_PROBE);
	assert_ip(f->tx->probe.addr, "192.0.2.108");
	dhcp_server_probe_done(f->srv, &f->tx->probe, false, &f->now);
	assert_int_equal(fx_once(f, &p), DHCP_V_OFFER);
	assert_ip(reply_addr(f, 16), "192.0.2.108");
	assert_int_equal(dhcp_server_stats(f->srv)->probes, 2);
	fx_free(f);
}

/* The client's requested address (50) when free. */
static void
discover_requested_address(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n");
	struct tu_pkt p;

	(void)state;
	simple(&p, DHCP_DISCOVER, MAC1, 0x6201);
	tu_opt_ip(&p, 50, "192.0.2.77");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_ip(reply_addr(f, 16), "192.0.2.77");
	assert_logged(f, "25089 DHCPDISCOVER(dmv0) 192.0.2.77 " MAC1 " ");
	fx_free(f);
}

/* --- tags ---------------------------------------------------------------- */

static void
ignore_unknown_clients(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\ndhcp-ignore=tag:!known\n"
	    "dhcp-host=" MAC1 ",192.0.2.20\n");
	struct tu_pkt p;

	(void)state;
	simple(&p, DHCP_DISCOVER, MAC2, 0x7001);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_DROP);
	assert_int_equal(f->tx->why, DHCP_DROP_IGNORED);
	assert_logged(f, "28673 DHCPDISCOVER(dmv0) " MAC2 " ignored");
	simple(&p, DHCP_REQUEST, MAC2, 0x7002);
	tu_opt_ip(&p, 50, "192.0.2.111");
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_DROP);
	simple(&p, DHCP_DISCOVER, MAC1, 0x7003);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	fx_free(f);
}

struct tag_row {
	const char *name;
	const char *conf;
	const char *vclass;		/* option 60, or NULL */
	const char *uclass;		/* option 77 (raw), or NULL */
	const char *tags;		/* the tags: line */
};

static const struct tag_row tag_rows[] = {
	{ "interface only", "", NULL, NULL, "dmv0" },
	{ "vendor class substring", "dhcp-vendorclass=set:pxe,Arch:00000\n",
	    "PXEClient:Arch:00000:UNDI:002001", NULL, "pxe, dmv0" },
	{ "user class, RFC 3004 counts zeroed",
	    "dhcp-userclass=set:ipxe,iPXE\n", NULL, "\x04iPXE", "ipxe, dmv0" },
	{ "user class count byte is not text",
	    "dhcp-userclass=set:x,\x04i\n", NULL, "\x04iPXE", "dmv0" },
	{ "dhcp-mac wildcard", "dhcp-mac=set:qemu,52:54:00:*:*:*\n", NULL,
	    NULL, "qemu, dmv0" },
	{ "dhcp-match presence", "dhcp-match=set:has60,60\n", "x", NULL,
	    "has60, dmv0" },
	{ "dhcp-match text substring",
	    "dhcp-match=set:m,option:vendor-class,UNDI\n",
	    "PXEClient:Arch:00000:UNDI:002001", NULL, "m, dmv0" },
	{ "dhcp-match hex prefix with wildcard",
	    "dhcp-match=set:h,60,50:*:45\n", "PXE", NULL, "h, dmv0" },
	{ "dhcp-match hex not anywhere", "dhcp-match=set:h,60,58:45\n",
	    "PXE", NULL, "dmv0" },
	{ "tag-if chain in file order",
	    "dhcp-mac=set:a,52:54:00:*:*:*\ntag-if=set:b,tag:a\n"
	    "tag-if=set:c,tag:b\n", NULL, NULL, "c, b, a, dmv0" },
	{ "tag-if sees only earlier rules",
	    "dhcp-mac=set:a,52:54:00:*:*:*\ntag-if=set:c,tag:b\n"
	    "tag-if=set:b,tag:a\n", NULL, NULL, "b, a, dmv0" },
	{ "tag-if negation", "tag-if=set:n,tag:!known\n", NULL, NULL,
	    "n, dmv0" },
	{ "tag-if prefix wildcard on the interface name",
	    "tag-if=set:lan,tag:dmv*\n", NULL, NULL, "lan, dmv0" },
	{ "known and host tags", "dhcp-host=" MAC1 ",set:h1\n", NULL, NULL,
	    "h1, known, dmv0" },
	{ "known-othernet",
	    "dhcp-host=" MAC1 ",10.9.9.9\n", NULL, NULL,
	    "known-othernet, dmv0" },
	{ "range tag first", "dhcp-range=set:r,192.0.2.160,192.0.2.170\n"
	    "dhcp-range=192.0.2.50,192.0.2.150\n", NULL, NULL, "dmv0" },
	/* dnsmasq walks its newest-first list and prepends each tag */
	{ "two classes: file order in the line",
	    "dhcp-vendorclass=set:one,PXE\ndhcp-vendorclass=set:two,PXE\n",
	    "PXEClient", NULL, "one, two, dmv0" },
};

static void
tags_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(tag_rows) / sizeof(tag_rows[0]); i++) {
		const struct tag_row *r = &tag_rows[i];
		char conf[1024], want[256];
		struct fx *f;
		struct tu_pkt p;

		snprintf(conf, sizeof(conf), BASE_CONF "no-ping\n%s", r->conf);
		f = fx_new(conf);
		simple(&p, DHCP_DISCOVER, MAC1, 0x8001);
		if (r->vclass != NULL)
			tu_opt_str(&p, 60, r->vclass);
		if (r->uclass != NULL)
			tu_opt_str(&p, 77, r->uclass);
		tu_pkt_end(&p);
		if (fx_run(f, &p) != DHCP_V_OFFER)
			fail_msg("%s: no offer:\n%s", r->name, f->log);
		snprintf(want, sizeof(want), "32769 tags: %s", r->tags);
		if (!fx_logged(f, want))
			fail_msg("%s: want \"%s\" in\n%s", r->name, want,
			    f->log);
		fx_free(f);
	}
}

/* --- relays -------------------------------------------------------------- */

/* Appendix A.7: a relayed DISCOVER selects the relay's range; router =
 * giaddr; the reply goes to the relay's port 67; port=0: no option 6. */
static void
relay_giaddr(void **state)
{
	struct fx *f = fx_new("port=0\nno-ping\nlog-dhcp\n"
	    "dhcp-range=192.0.2.50,192.0.2.150,255.255.255.0,1h\n"
	    "dhcp-range=198.51.100.100,198.51.100.200,255.255.255.0,4h\n");
	struct tu_pkt p;

	(void)state;
	simple(&p, DHCP_DISCOVER, MAC1, 0x9001);
	p.b[3] = 1;
	tu_set_addr(&p, 24, "198.51.100.1");
	tu_pkt_end(&p);
	f->src = tu_ip("198.51.100.1");
	f->sport = 67;
	f->unicast = true;
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_ip(reply_addr(f, 16), "198.51.100.157");
	assert_ip(reply_addr(f, 20), "192.0.2.1");
	assert_int_equal(f->tx->buf[3], 1);
	assert_opt_ip(f, 1, "255.255.255.0");
	assert_opt_ip(f, 28, "198.51.100.255");
	assert_opt_ip(f, 3, "198.51.100.1");
	assert_opt_ip(f, 54, "192.0.2.1");
	assert_opt_u32(f, 51, 4 * 3600);
	assert_null(tu_find(&f->opts, 6, NULL));
	assert_int_equal(f->tx->dest, DHCP_DEST_UDP);
	assert_ip(f->tx->dst, "198.51.100.1");
	assert_int_equal(f->tx->dport, 67);
	assert_logged(f, "36865 available DHCP range: 198.51.100.100 -- "
	    "198.51.100.200");
	fx_free(f);
}

/* No range for the relay's subnet: logged, no reply. */
static void
relay_unknown_subnet(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n");
	struct tu_pkt p;

	(void)state;
	simple(&p, DHCP_DISCOVER, MAC1, 0x9101);
	tu_set_addr(&p, 24, "203.0.113.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_DROP);
	assert_int_equal(f->tx->why, DHCP_DROP_NO_RANGE);
	assert_logged(f, "no address range available for DHCP request via "
	    "203.0.113.1");
	fx_free(f);
}

/* --- identity, names ----------------------------------------------------- */

/* The lease follows the client id; a client that drops it is still
 * found by its MAC, and the lease keeps the id. */
static void
client_id_and_chaddr(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n");
	static const uint8_t id[] = { 1, 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	struct tu_pkt p;
	struct lease *l;

	(void)state;
	simple(&p, DHCP_REQUEST, MAC1, 0xa001);
	tu_opt(&p, 61, id, sizeof(id));
	tu_opt_ip(&p, 50, "192.0.2.90");
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_ACK);
	l = lease_find_by_addr(dhcp_server_leases(f->srv), tu_ip("192.0.2.90"));
	assert_non_null(l);
	assert_int_equal(l->clid_len, sizeof(id));
	/* same client id from another MAC: same lease */
	simple(&p, DHCP_DISCOVER, MAC2, 0xa002);
	tu_opt(&p, 61, id, sizeof(id));
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_ip(reply_addr(f, 16), "192.0.2.90");
	/* MAC1 without a client id: found by MAC */
	simple(&p, DHCP_DISCOVER, MAC1, 0xa003);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_ip(reply_addr(f, 16), "192.0.2.90");
	/* dhcp-ignore-clid would use the MAC only: another server */
	fx_free(f);
}

/* Client FQDN (81): S and O set, the name back in wire format. */
static void
fqdn_reply(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\ndomain=lan.example\n");
	static const uint8_t fq[] = { 0x04, 0, 0, 4, 'b', 'o', 'x', '1', 0 };
	static const uint8_t want[] = { 0x07, 255, 255, 4, 'b', 'o', 'x', '1',
		3, 'l', 'a', 'n', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0 };
	struct tu_pkt p;

	(void)state;
	simple(&p, DHCP_REQUEST, MAC1, 0xa101);
	tu_opt(&p, 81, fq, sizeof(fq));
	tu_opt_ip(&p, 50, "192.0.2.90");
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_ACK);
	assert_opt_str(f, 81, (const char *)want, sizeof(want));
	assert_opt_str(f, 12, "box1", 4);
	assert_string_equal(lease_find_by_addr(dhcp_server_leases(f->srv),
	    tu_ip("192.0.2.90"))->hostname, "box1");
	fx_free(f);
}

/* A client name already held by another lease moves to the new one. */
static void
hostname_moves(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n");
	struct lease_table *t;
	struct tu_pkt p;

	(void)state;
	t = dhcp_server_leases(f->srv);
	simple(&p, DHCP_REQUEST, MAC1, 0xa201);
	tu_opt_str(&p, 12, "same");
	tu_opt_ip(&p, 50, "192.0.2.90");
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_ACK);
	simple(&p, DHCP_REQUEST, MAC2, 0xa202);
	tu_opt_str(&p, 12, "same.other.domain");
	tu_opt_ip(&p, 50, "192.0.2.91");
	tu_opt_ip(&p, 54, "192.0.2.1");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_ACK);
	assert_string_equal(lease_find_by_addr(t,
	    tu_ip("192.0.2.91"))->hostname, "same");
	assert_string_equal(lease_find_by_addr(t,
	    tu_ip("192.0.2.90"))->hostname, "");
	assert_logged(f, "Ignoring domain other.domain for DHCP host name "
	    "same");
	fx_free(f);
}

/* --- options ------------------------------------------------------------- */

/* vendor: options in 43 (with END) and the client's 60 echoed. */
static void
vendor_options(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n"
	    "dhcp-option=vendor:MSFT,2,1i\n"
	    "dhcp-option=vendor:Other,1,5\n");
	static const uint8_t want43[] = { 2, 4, 0, 0, 0, 1, 255 };
	struct tu_pkt p;

	(void)state;
	simple(&p, DHCP_DISCOVER, MAC1, 0xb001);
	tu_opt_str(&p, 60, "MSFT 5.0");
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_opt_str(f, 43, (const char *)want43, sizeof(want43));
	assert_opt_str(f, 60, "MSFT 5.0", 8);
	fx_free(f);
}

/* encap:N entries go together into option N when N is requested. */
static void
encap_options(void **state)
{
	static const uint8_t prl[] = { 1, 175 };
	static const uint8_t want[] = { 1, 1, 5, 2, 1, 6, 255 };
	struct fx *f = fx_new(BASE_CONF "no-ping\n"
	    "dhcp-option=encap:175,1,5\ndhcp-option=encap:175,2,6\n");
	struct tu_pkt p;

	(void)state;
	tu_pkt_init(&p, DHCP_DISCOVER, MAC1, 0xb101);
	tu_opt(&p, 55, prl, sizeof(prl));
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	/* newest first, as dnsmasq's list */
	(void)want;
	{
		static const uint8_t newest[] = { 2, 1, 6, 1, 1, 5, 255 };

		assert_opt_str(f, 175, (const char *)newest, sizeof(newest));
	}
	fx_free(f);
}

/* Forced options go without being requested; empty 3 drops the router. */
static void
force_and_suppress(void **state)
{
	static const uint8_t prl[] = { 1, 3 };
	struct fx *f = fx_new(BASE_CONF "no-ping\n"
	    "dhcp-option=3\ndhcp-option-force=42,192.0.2.9\n"
	    "dhcp-option=44,192.0.2.8\n");
	struct tu_pkt p;

	(void)state;
	tu_pkt_init(&p, DHCP_DISCOVER, MAC1, 0xb201);
	tu_opt(&p, 55, prl, sizeof(prl));
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_string_equal(fx_codes(f), "53 54 51 58 59 1 28 42");
	fx_free(f);
}

/* A small maximum message size: options continue in file and sname
 * (option 52), and the reply never exceeds the size. */
static void
overload_small_max_size(void **state)
{
	char conf[4096];
	struct fx *f;
	struct tu_pkt p;
	uint8_t prl[30];
	size_t n;

	(void)state;
	n = (size_t)snprintf(conf, sizeof(conf), BASE_CONF "no-ping\n");
	for (int i = 0; i < 6; i++) {
		n += (size_t)snprintf(conf + n, sizeof(conf) - n,
		    "dhcp-option=%d,\"%s\"\n", 224 + i,
		    "0123456789012345678901234567890123456789012345678901"
		    "2345678901234567890");
		prl[i] = (uint8_t)(224 + i);
	}
	f = fx_new(conf);
	tu_pkt_init(&p, DHCP_DISCOVER, MAC1, 0xb301);
	tu_opt_u16(&p, 57, 576);
	tu_opt(&p, 55, prl, 6);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_true(f->tx->len <= 576 - 28);
	assert_non_null(tu_find(&f->opts, 52, NULL));
	assert_logged(f, "cannot send DHCP/BOOTP option 224: no space left in "
	    "packet");
	fx_free(f);
}

/* --- BOOTP --------------------------------------------------------------- */

static void
bootp_host(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n"
	    "dhcp-host=" MAC1 ",192.0.2.20,bhost\ndhcp-boot=boot.img\n");
	struct tu_pkt p;
	struct lease *l;

	(void)state;
	tu_pkt_init(&p, 0, MAC1, 0xc001);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_BOOTP);
	assert_int_equal(f->tx->len, 300);
	assert_ip(reply_addr(f, 16), "192.0.2.20");
	assert_string_equal((const char *)f->tx->buf + 108, "boot.img");
	assert_null(tu_find(&f->opts, 53, NULL));
	assert_opt_ip(f, 1, "255.255.255.0");
	l = lease_find_by_addr(dhcp_server_leases(f->srv), tu_ip("192.0.2.20"));
	assert_non_null(l);
	assert_int_equal(l->expires_ms, CLOCK_INFINITE_MS);
	assert_logged(f, "49153 BOOTP(dmv0) 192.0.2.20 " MAC1 " ");
	/* a dynamic BOOTP client gets nothing (no bootp-dynamic) */
	tu_pkt_init(&p, 0, MAC2, 0xc002);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_DROP);
	assert_logged(f, "49154 BOOTP(dmv0) " MAC2 " no address configured");
	fx_free(f);
}

/* --- header checks ------------------------------------------------------- */

static void
header_checks(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n");
	struct tu_pkt p;

	(void)state;
	/* option 53 without the cookie: the codec refuses it */
	simple(&p, DHCP_DISCOVER, MAC1, 0xd001);
	tu_pkt_end(&p);
	p.b[236] = 0;
	assert_int_equal(dhcp_msg_decode(f->msg, p.b, p.len), DHCP_BAD_COOKIE);
	/* the PXE port without pxe-service/pxe-prompt: closed */
	simple(&p, DHCP_DISCOVER, MAC1, 0xd002);
	tu_pkt_end(&p);
	{
		struct dhcp_rx rx = { 0 };

		assert_int_equal(dhcp_msg_decode(f->msg, p.b, p.len), DHCP_OK);
		rx.msg = f->msg;
		rx.iface = &f->ifc;
		rx.path = DHCP_PATH_UDP4011;
		assert_int_equal(dhcp_server_handle(f->srv, &rx, f->tx,
		    &f->now), DHCP_V_DROP);
		assert_int_equal(f->tx->why, DHCP_DROP_PXE_PORT_CLOSED);
	}
	/* no interface address in any range */
	f->addr.addr = tu_ip("203.0.113.1");
	assert_int_equal(fx_run(f, &p), DHCP_V_DROP);
	assert_int_equal(f->tx->why, DHCP_DROP_NO_RANGE);
	assert_logged(f, "no address range available for DHCP request via "
	    "dmv0");
	assert_true(dhcp_server_stats(f->srv)->drops[DHCP_DROP_NO_RANGE] > 0);
	fx_free(f);
}

/* --- PXE through the server (issue 5) ------------------------------------ */

/* Handles p as arriving on the PXE socket (port 4011) from 192.0.2.107. */
static enum dhcp_verdict
fx_4011(struct fx *f, const struct tu_pkt *p)
{
	struct dhcp_rx rx = { 0 };

	assert_int_equal(dhcp_msg_decode(f->msg, p->b, p->len), DHCP_OK);
	rx.msg = f->msg;
	rx.iface = &f->ifc;
	rx.path = DHCP_PATH_UDP4011;
	rx.unicast = true;
	rx.src = tu_ip("192.0.2.107");
	rx.sport = 68;
	return dhcp_server_handle(f->srv, &rx, f->tx, &f->now);
}

/* Port 4011 exists for dnsmasq only with pxe-service or pxe-prompt
 * (reference 4.1): without them a packet there is neither answered nor
 * logged (compat-tests/pxe saw pxemasq log "available DHCP range" for
 * it); with them it goes through the PXE logic. */
static void
pxe_port_closed_without_services(void **state)
{
	static const struct {
		const char *name, *conf;
		enum dhcp_drop why;
		bool silent;
	} rows[] = {
		{ "no PXE config", BASE_CONF "no-ping\ndhcp-boot=pxelinux.0\n",
		    DHCP_DROP_PXE_PORT_CLOSED, true },
		{ "proxy, no PXE config", "interface=dmv0\nlog-dhcp\n"
		    "dhcp-range=192.0.2.0,proxy\ndhcp-boot=pxelinux.0\n",
		    DHCP_DROP_PXE_PORT_CLOSED, true },
		{ "pxe-prompt only", BASE_CONF "pxe-prompt=\"x\",1\n",
		    DHCP_DROP_PXE, false },
		{ "pxe-service", BASE_CONF "pxe-service=x86PC,\"L\",l\n",
		    DHCP_DROP_PXE, false },
	};
	struct tu_pkt p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fx *f = fx_new(rows[i].conf);

		/* a DISCOVER is never answered on 4011 in full mode */
		pxe_discover(&p, DHCP_DISCOVER, MAC1, 0xe001);
		tu_pkt_end(&p);
		if (fx_4011(f, &p) != DHCP_V_DROP || f->tx->why != rows[i].why)
			fail_msg("%s: verdict/why %d", rows[i].name,
			    (int)f->tx->why);
		if (rows[i].silent != (f->loglen == 0))
			fail_msg("%s: log \"%s\"", rows[i].name, f->log);
		assert_int_equal(
		    dhcp_server_stats(f->srv)->drops[rows[i].why], 1);
		fx_free(f);
	}
	assert_string_equal(dhcp_drop_name(DHCP_DROP_PXE_PORT_CLOSED),
	    "pxe-port-closed");
}

/* A pxe-service or dhcp-boot server name the hosts files do not hold:
 * dnsmasq's a_record_from_hosts() logs "No IPv4 address found for NAME"
 * (a warning, without the xid) each time it looks, and uses 0.0.0.0. */
static void
pxe_server_name_not_found_logged(void **state)
{
	struct fx *f = fx_new(BASE_CONF "no-ping\n"
	    "pxe-service=x86PC,\"Named\",7,nosuch.example\n"
	    "pxe-service=x86PC,\"Linux\",pxelinux\n"
	    "dhcp-boot=boot.0,,other.example\n");
	struct tu_pkt p;

	(void)state;
	pxe_discover(&p, DHCP_DISCOVER, MAC1, 0xe101);
	tu_pkt_end(&p);
	assert_int_equal(fx_run(f, &p), DHCP_V_OFFER);
	assert_logged(f, "No IPv4 address found for other.example");
	assert_logged(f, "No IPv4 address found for nosuch.example");
	/* siaddr from the unresolved dhcp-boot server: 0.0.0.0 */
	assert_int_equal(reply_addr(f, 20).s_addr, 0);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a1_discover_offer),
		cmocka_unit_test(a1_logs),
		cmocka_unit_test(a1_request_ack),
		cmocka_unit_test(a1_broadcast_short_prl),
		cmocka_unit_test(a7_precedence),
		cmocka_unit_test(a7_inform),
		cmocka_unit_test(request_states),
		cmocka_unit_test(renew_unicast_reply),
		cmocka_unit_test(release_frees_lease),
		cmocka_unit_test(decline_static_address),
		cmocka_unit_test(decline_pool_address),
		cmocka_unit_test(hash_allocation),
		cmocka_unit_test(probe_busy_address),
		cmocka_unit_test(discover_requested_address),
		cmocka_unit_test(ignore_unknown_clients),
		cmocka_unit_test(tags_rows),
		cmocka_unit_test(relay_giaddr),
		cmocka_unit_test(relay_unknown_subnet),
		cmocka_unit_test(client_id_and_chaddr),
		cmocka_unit_test(fqdn_reply),
		cmocka_unit_test(hostname_moves),
		cmocka_unit_test(vendor_options),
		cmocka_unit_test(encap_options),
		cmocka_unit_test(force_and_suppress),
		cmocka_unit_test(overload_small_max_size),
		cmocka_unit_test(bootp_host),
		cmocka_unit_test(header_checks),
		cmocka_unit_test(pxe_port_closed_without_services),
		cmocka_unit_test(pxe_server_name_not_found_logged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
