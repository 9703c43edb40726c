/* Feeds requests (hex) to dhcp_server; prints replies and log lines. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "dhcp_server.h"
#include "lease.h"
#include "conf.h"

static void logfn(void *ctx, int sev, const char *line)
{
	(void)ctx; (void)sev;
	printf("log %s\n", line);
}

/* /etc/hosts lookup for server names (dnsmasq's a_record_from_hosts) */
static bool hostfn(void *ctx, const char *name, struct in_addr *out)
{
	FILE *f = fopen("/etc/hosts", "r");
	char l[512];
	(void)ctx;
	if (!f) return false;
	while (fgets(l, sizeof l, f)) {
		char *save, *a = strtok_r(l, " \t\n", &save), *n;
		if (!a || a[0] == '#' || inet_pton(AF_INET, a, out) != 1) continue;
		while ((n = strtok_r(NULL, " \t\n", &save)))
			if (!strcasecmp(n, name)) { fclose(f); return true; }
	}
	fclose(f);
	return false;
}

int main(int argc, char **argv)
{
	char a0[] = "pxemasq", a1[] = "--test", a2[] = "-C", a4[] = "--ignore-unsupported";
	char *av[] = { a0, a1, a2, argv[1], a4, NULL };
	struct conf_result res;
	struct conf *cf = conf_load(5, av, &res);
	struct dhcp_ifaddr ia;
	struct dhcp_iface ifc = { 0 };
	struct dhcp_server_hooks h = { .log = logfn, .host_addr = hostfn };
	struct clock_now now = { 1000000, 1700000000 };
	static struct dhcp_msg m;
	static struct dhcp_tx tx;
	struct dhcp_server *srv;
	char line[70000];

	if (!cf) { fprintf(stderr, "conf: %s\n", res.msg); return 1; }
	inet_pton(AF_INET, argv[2], &ia.addr);
	inet_pton(AF_INET, argv[3], &ia.netmask);
	inet_pton(AF_INET, argv[4], &ia.broadcast);
	ifc.index = 2; ifc.name = argv[5]; ifc.addrs = &ia; ifc.naddrs = 1; ifc.mtu = 1500;
	srv = dhcp_server_new(cf, lease_table_new(), NULL, &h, 1);
	if (!srv) return 1;
	while (fgets(line, sizeof(line), stdin)) {
		char cmd[16], src[64], hex[65536];
		int uni, dport = 67, sport = 68;
		if (sscanf(line, "%15s", cmd) != 1) continue;
		if (!strcmp(cmd, "advance")) { now.mono_ms += atoi(line + 8) * 1000LL; now.wall += atoi(line+8); continue; }
		if (sscanf(line, "req %d %63s %65535s %d %d", &uni, src, hex, &dport, &sport) < 3) continue;
		uint8_t pkt[8192]; size_t n = strlen(hex) / 2;
		for (size_t i = 0; i < n; i++) sscanf(hex + 2*i, "%2hhx", &pkt[i]);
		struct dhcp_rx rx = { 0 };
		enum dhcp_bad b = dhcp_msg_decode(&m, pkt, n);
		if (b != DHCP_OK) { printf("reply bad %s\n", dhcp_bad_name(b)); fflush(stdout); continue; }
		rx.msg = &m; rx.iface = &ifc; rx.path = dport == 4011 ? DHCP_PATH_UDP4011 : DHCP_PATH_RAW; rx.unicast = uni;
		inet_pton(AF_INET, src, &rx.src); rx.sport = (uint16_t)sport;
		enum dhcp_verdict v;
		while ((v = dhcp_server_handle(srv, &rx, &tx, &now)) == DHCP_V_PROBE)
			dhcp_server_probe_done(srv, &tx.probe, false, &now);
		printf("reply %d", v);
		if (dhcp_verdict_sends(v)) {
			char d[32]; inet_ntop(AF_INET, &tx.dst, d, sizeof d);
			printf(" %d %s:%u ", tx.dest, d, tx.dport);
			for (size_t i = 0; i < tx.len; i++) printf("%02x", tx.buf[i]);
		} else printf(" drop %s", dhcp_drop_name(tx.why));
		printf("\n");
		fflush(stdout);
	}
	return 0;
}
