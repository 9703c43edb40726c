/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_dhcp_server.c - the whole receive -> reply pipeline: decode, the
 * server logic with a fixed configuration and lease table, the encoded
 * reply.
 *
 * Input: byte 0 selects how the request arrived (bit 0: unicast IP
 * destination; bit 1: the PXE port; bit 2: from 203.0.113.1:67 as a relay
 * would send; bit 3: loopback interface; bits 4-5: MTU 1500 / 576 / 1280
 * / unknown; bits 6-7: no probe / every probe / every 2nd / every 3rd
 * probe is answered "in use"); the rest is one UDP payload for port 67.
 *
 * Invariants:
 *   - nothing reads or writes outside its buffers (ASan in the libFuzzer
 *     build; the replay build hands over exactly `size` bytes);
 *   - a reply never exceeds the client's maximum message size (option 57
 *     as dnsmasq reads it, 548 without it) nor the interface MTU minus
 *     28, is at least 300 bytes, and decodes again as a BOOTREPLY with the
 *     request's xid and chaddr;
 *   - an OFFER, ACK or NAK carries option 53 with that type, BOOTP none;
 *   - a drop names a reason; probes end (at most one per address of the
 *     ranges, bounded here);
 *   - the lease table never holds more than dhcp-lease-max leases.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dhcp_msg.h"
#include "dhcp_server.h"
#include "lease.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(c) \
	do { \
		if (!(c)) \
			abort(); \
	} while (0)

#define FUZZ_LEASE_MAX 60

static const char *const fuzz_opts[] = {
	"pxemasq", "--test", "-C", "/dev/null", "--log-dhcp",
	"--dhcp-authoritative", "--dhcp-lease-max=60", "--domain=lan.example",
	"--dhcp-range=set:pool,198.51.100.50,198.51.100.150,255.255.255.0,1h",
	"--dhcp-range=tag:known,198.51.100.200,198.51.100.210,infinite",
	"--dhcp-range=203.0.113.100,203.0.113.200,255.255.255.0,4h",
	"--dhcp-range=198.51.100.0,static",
	"--dhcp-host=52:54:00:12:34:56,set:special,host1,198.51.100.20,2h",
	"--dhcp-host=id:01:02:03,198.51.100.21,idhost",
	"--dhcp-host=52:54:00:*:*:*,198.51.100.22",
	"--dhcp-host=52:54:00:aa:bb:cc,52:54:00:aa:bb:cd,198.51.100.23",
	"--dhcp-host=00:00:5e:00:00:01,ignore",
	"--dhcp-host=named,198.51.100.24",
	"--dhcp-option=42,198.51.100.5",
	"--dhcp-option=42,198.51.100.6",
	"--dhcp-option=44,0.0.0.0",
	"--dhcp-option=tag:pool,119,pool.example",
	"--dhcp-option=tag:special,119,special.example",
	"--dhcp-option=tag:special,tag:pool,17,/both",
	"--dhcp-option=vendor:MSFT,2,1i",
	"--dhcp-option-force=vendor:PXE,6,8",
	"--dhcp-option=encap:175,1,5",
	"--dhcp-option=vi-encap:3561,1,abc",
	"--dhcp-option=58,600",
	"--dhcp-option=252,\"http://wpad.example/wpad.dat\"",
	"--dhcp-option-force=tag:efi,60,HTTPClient",
	"--dhcp-match=set:efi,option:client-arch,7",
	"--dhcp-match=set:ipxe175,175",
	"--dhcp-match=set:h,60,50:*:45",
	"--dhcp-vendorclass=set:pxe,PXEClient",
	"--dhcp-userclass=set:ipxe,iPXE",
	"--dhcp-mac=set:qemu,52:54:00:*:*:*",
	"--tag-if=set:lan,tag:fz*",
	"--tag-if=set:both,tag:pxe,tag:qemu",
	"--dhcp-boot=tag:efi,bootx64.efi",
	"--dhcp-boot=tag:ipxe,http://198.51.100.1/boot.ipxe,bootsrv",
	"--dhcp-boot=pxelinux.0",
	"--dhcp-ignore=tag:h",
	"--dhcp-broadcast=tag:both",
	NULL,
};

static struct conf *fuzz_cf;

static void
fuzz_log(void *ctx, int sev, const char *line)
{
	(void)ctx;
	(void)sev;
	FUZZ_CHECK(strlen(line) < 4096);
}

/* A few leases, as a lease file would have given them. */
static void
fuzz_leases(struct lease_table *t, int64_t now_ms)
{
	static const struct {
		const char *ip;
		uint8_t mac[6];
		const char *name;
		int64_t left_ms;
	} pre[] = {
		{ "198.51.100.107", { 0x52, 0x54, 0, 0x12, 0x34, 0x56 },
		    "box", 3600000 },
		{ "198.51.100.111", { 0x52, 0x54, 0, 0xaa, 0xbb, 0xcc }, "",
		    10000 },
		{ "198.51.100.60", { 2, 0, 0, 0, 0, 1 }, "other", 0 },
		{ "203.0.113.157", { 2, 0, 0, 0, 0, 2 }, "remote", 7200000 },
	};
	static const uint8_t clid[3] = { 1, 2, 3 };

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		struct in_addr a;
		struct lease *l;

		inet_pton(AF_INET, pre[i].ip, &a);
		if ((l = lease_add(t, a)) == NULL)
			continue;
		lease_set_client(t, l, 1, pre[i].mac, 6, i == 1 ? clid : NULL,
		    i == 1 ? sizeof(clid) : 0);
		lease_set_hostname(l, pre[i].name);
		lease_set_expiry(l, now_ms + pre[i].left_ms);
	}
}

static void
fuzz_check_reply(const struct dhcp_msg *req, const struct dhcp_tx *tx,
    enum dhcp_verdict v, size_t cap)
{
	static struct dhcp_msg r;
	const struct dhcp_optval *t;

	FUZZ_CHECK(tx->len >= DHCP_MIN_LEN && tx->len <= cap);
	FUZZ_CHECK(dhcp_msg_decode_reply(&r, tx->buf, tx->len) == DHCP_OK);
	FUZZ_CHECK(r.op == DHCP_OP_REPLY && r.xid == req->xid);
	FUZZ_CHECK(memcmp(r.chaddr, req->chaddr, DHCP_CHADDR_LEN) == 0);
	t = &r.opt[DHCP_OPT_MSG_TYPE];
	switch (v) {
	case DHCP_V_OFFER:
		FUZZ_CHECK(t->p != NULL && t->p[0] == DHCP_OFFER);
		break;
	case DHCP_V_ACK:
		FUZZ_CHECK(t->p != NULL && t->p[0] == DHCP_ACK);
		break;
	case DHCP_V_NAK:
		FUZZ_CHECK(t->p != NULL && t->p[0] == DHCP_NAK);
		break;
	default:
		FUZZ_CHECK(t->p == NULL);
		break;
	}
	FUZZ_CHECK(tx->dest != DHCP_DEST_NONE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_msg m;
	static struct dhcp_tx tx;
	static const unsigned mtus[4] = { 1500, 576, 1280, 0 };
	struct dhcp_server_hooks hooks = { .log = fuzz_log };
	struct clock_now now = { 5000000, 1700000000 };
	struct dhcp_ifaddr ia;
	struct dhcp_iface ifc;
	struct dhcp_rx rx;
	struct dhcp_server *srv;
	struct lease_table *t;
	enum dhcp_verdict v;
	unsigned probes = 0;
	size_t cap;
	uint8_t mode;

	if (fuzz_cf == NULL) {
		/* the parser edits its arguments: writable copies, kept */
		static char *argv[sizeof(fuzz_opts) / sizeof(fuzz_opts[0])];
		struct conf_result res;
		int argc = 0;

		for (; fuzz_opts[argc] != NULL; argc++)
			FUZZ_CHECK((argv[argc] = strdup(fuzz_opts[argc])) !=
			    NULL);
		fuzz_cf = conf_load(argc, argv, &res);
		FUZZ_CHECK(fuzz_cf != NULL);
	}
	if (size < 1)
		return 0;
	mode = data[0];
	if (dhcp_msg_decode(&m, data + 1, size - 1) != DHCP_OK)
		return 0;
	memset(&ifc, 0, sizeof(ifc));
	inet_pton(AF_INET, "198.51.100.1", &ia.addr);
	inet_pton(AF_INET, "255.255.255.0", &ia.netmask);
	inet_pton(AF_INET, "198.51.100.255", &ia.broadcast);
	ifc.index = 3;
	ifc.name = "fz0";
	ifc.addrs = &ia;
	ifc.naddrs = 1;
	ifc.mtu = mtus[(mode >> 4) & 3];
	ifc.loopback = (mode & 8) != 0;
	memset(&rx, 0, sizeof(rx));
	rx.msg = &m;
	rx.iface = &ifc;
	rx.path = (mode & 2) ? DHCP_PATH_UDP4011 : DHCP_PATH_RAW;
	rx.unicast = (mode & 1) != 0;
	inet_pton(AF_INET, (mode & 4) ? "203.0.113.1" : "0.0.0.0", &rx.src);
	rx.sport = (mode & 4) ? 67 : 68;
	FUZZ_CHECK((t = lease_table_new()) != NULL);
	fuzz_leases(t, now.mono_ms);
	FUZZ_CHECK((srv = dhcp_server_new(fuzz_cf, t, NULL, &hooks,
	    1)) != NULL);
	while ((v = dhcp_server_handle(srv, &rx, &tx, &now)) == DHCP_V_PROBE) {
		unsigned every = (unsigned)(mode >> 6);

		FUZZ_CHECK(++probes < 64);
		dhcp_server_probe_done(srv, &tx.probe,
		    every != 0 && probes % every == 0, &now);
	}
	cap = dhcp_msg_reply_size(&m);
	if (ifc.mtu != 0 && cap > ifc.mtu - 28)
		cap = ifc.mtu - 28;
	if (dhcp_verdict_sends(v))
		fuzz_check_reply(&m, &tx, v, cap);
	else if (v == DHCP_V_DROP)
		FUZZ_CHECK(tx.why > DHCP_DROP_NONE && tx.why < DHCP_DROP_COUNT);
	FUZZ_CHECK(lease_count(dhcp_server_leases(srv)) <= FUZZ_LEASE_MAX);
	dhcp_server_free(srv);
	return 0;
}
