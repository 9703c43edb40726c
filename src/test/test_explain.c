/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_explain.c - pxemasq --explain: architecture names, the client
 * description, the DISCOVER it builds, the pcap reader, and whole reports
 * (what the report must say for a configuration and a client).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "conf.h"
#include "conf_int.h"
#include "dhcp_msg.h"
#include "explain.h"

/* --- architecture names ------------------------------------------------- */

static const struct {
	const char *word;
	int arch;
} arch_rows[] = {
	{ "0", 0 }, { "7", 7 }, { "65535", 65535 }, { "65536", -1 },
	{ "bios", 0 }, { "BIOS", 0 }, { "efi-x64", 7 }, { "efi-bc", 7 },
	{ "efi-x86-64", 9 }, { "efi-arm64", 11 }, { "efi-x64-http", 16 },
	{ "x86PC", 0 }, { "X86-64_EFI", 7 }, { "bc_efi", 9 },
	{ "ARM64_EFI", 11 }, { "arm", -1 }, { "7x", -1 }, { "", -1 },
};

static void
test_arch_names(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(arch_rows) / sizeof(arch_rows[0]); i++)
		if (explain_arch_parse(arch_rows[i].word) != arch_rows[i].arch)
			fail_msg("%s: got %d, want %d", arch_rows[i].word,
			    explain_arch_parse(arch_rows[i].word),
			    arch_rows[i].arch);
}

/* --- the client description --------------------------------------------- */

static struct conf_strlist *
words(const char *const *w)
{
	struct conf_strlist *l = calloc(1, sizeof(*l));
	struct conf_str **tail = &l->head;

	for (; *w != NULL; w++) {
		struct conf_str *e = calloc(1, sizeof(*e));

		e->s = *w;
		*tail = e;
		tail = &e->next;
		l->n++;
	}
	return l;
}

static void
words_free(struct conf_strlist *l)
{
	struct conf_str *e, *n;

	for (e = l->head; e != NULL; e = n) {
		n = e->next;
		free(e);
	}
	free(l);
}

static void
test_client_ok(void **state)
{
	static const char *const w[] = { "mac=02:11:22:33:44:55", "arch=9",
		"vendor-class=PXEClient:x", "user-class=iPXE",
		"relay=203.0.113.1", "addr=198.51.100.7/26",
		"client-id=01:02:11:22:33:44:55", "interface=br-lan",
		"hostname=node1", "requested=198.51.100.9", NULL };
	struct conf_strlist *l = words(w);
	struct explain_client cl;
	char err[200];

	(void)state;
	assert_int_equal(explain_client_parse(l, &cl, err, sizeof(err)), 0);
	assert_memory_equal(cl.mac, "\x02\x11\x22\x33\x44\x55", 6);
	assert_int_equal(cl.arch, 9);
	assert_string_equal(cl.vclass, "PXEClient:x");
	assert_true(cl.has_vclass);
	assert_string_equal(cl.uclass, "iPXE");
	assert_string_equal(cl.iface, "br-lan");
	assert_string_equal(cl.hostname, "node1");
	assert_int_equal(cl.relay.s_addr, inet_addr("203.0.113.1"));
	assert_int_equal(cl.requested.s_addr, inet_addr("198.51.100.9"));
	assert_int_equal(cl.addr.s_addr, inet_addr("198.51.100.7"));
	assert_int_equal(cl.prefix, 26);
	assert_int_equal(cl.clid_len, 7);
	words_free(l);
}

static const struct {
	const char *word;
	const char *err;
} bad_rows[] = {
	{ "mac=02:11:22", "mac: bad value" },
	{ "mac=zz:11:22:33:44:55", "mac: bad value" },
	{ "arch=banana", "arch: bad value" },
	{ "relay=1.2.3", "relay: bad address" },
	{ "addr=198.51.100.1/33", "addr: bad address" },
	{ "requested=1.2.3.4/24", "requested: bad address" },
	{ "colour=blue", "unknown client key 'colour'" },
	{ "arch", "is not KEY=VALUE" },
};

static void
test_client_bad(void **state)
{
	struct explain_client cl;
	char err[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		const char *w[] = { bad_rows[i].word, NULL };
		struct conf_strlist *l = words(w);

		assert_int_equal(explain_client_parse(l, &cl, err,
		    sizeof(err)), -EINVAL);
		if (strstr(err, bad_rows[i].err) == NULL)
			fail_msg("%s: got \"%s\"", bad_rows[i].word, err);
		words_free(l);
	}
}

/* --- the DISCOVER ------------------------------------------------------- */

static void
test_discover(void **state)
{
	static const char *const w[] = { "arch=efi-x64", "user-class=iPXE",
		"relay=203.0.113.1", NULL };
	struct conf_strlist *l = words(w);
	struct explain_client cl;
	struct dhcp_msg *m = calloc(1, sizeof(*m));
	uint8_t buf[1500];
	char err[200];
	size_t len, vlen;
	const uint8_t *v;
	uint16_t arch;

	(void)state;
	assert_int_equal(explain_client_parse(l, &cl, err, sizeof(err)), 0);
	len = explain_build_discover(&cl, buf, sizeof(buf));
	assert_true(len >= DHCP_MIN_LEN);
	assert_int_equal(dhcp_msg_decode(m, buf, len), DHCP_OK);
	assert_int_equal(m->type, DHCP_DISCOVER);
	assert_memory_equal(m->chaddr, "\x52\x54\x00\x12\x34\x56", 6);
	assert_int_equal(m->giaddr.s_addr, inet_addr("203.0.113.1"));
	assert_true(dhcp_msg_u16(m, DHCP_OPT_CLIENT_ARCH, &arch));
	assert_int_equal(arch, 7);
	v = dhcp_msg_get(m, DHCP_OPT_VENDOR_CLASS, &vlen);
	assert_non_null(v);
	assert_int_equal(vlen, 32);
	assert_memory_equal(v, "PXEClient:Arch:00007:UNDI:003016", vlen);
	v = dhcp_msg_get(m, DHCP_OPT_USER_CLASS, &vlen);
	assert_non_null(v);
	assert_memory_equal(v, "iPXE", 4);
	assert_true(dhcp_msg_requested(m, DHCP_OPT_BOOTFILE));
	assert_true(dhcp_msg_has(m, DHCP_OPT_CLIENT_UUID));
	/* a plain client: no 93, no 60 */
	cl.arch = -1;
	len = explain_build_discover(&cl, buf, sizeof(buf));
	assert_int_equal(dhcp_msg_decode(m, buf, len), DHCP_OK);
	assert_false(dhcp_msg_has(m, DHCP_OPT_CLIENT_ARCH));
	assert_false(dhcp_msg_has(m, DHCP_OPT_VENDOR_CLASS));
	assert_int_equal(explain_build_discover(&cl, buf, 100), 0);
	free(m);
	words_free(l);
}

/* --- pcap --------------------------------------------------------------- */

static size_t
put32(uint8_t *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
	return 4;
}

/* One pcap record holding an IPv4/UDP packet to dport with payload. */
static size_t
record(uint8_t *p, bool be, unsigned link, uint16_t dport,
    const uint8_t *payload, size_t plen)
{
	size_t l2 = link == 1 ? 14 : link == 113 ? 16 : 0, n = 16, caplen;
	uint8_t *f = p + 16, *ip;
	uint16_t tot = (uint16_t)(20 + 8 + plen);

	memset(f, 0, l2 + tot);
	if (link == 1) {
		memset(f, 0xff, 6);
		f[12] = 0x08;
	} else if (link == 113)
		f[14] = 0x08;
	ip = f + l2;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, "\x0a\x00\x00\x01", 4);
	memset(ip + 16, 0xff, 4);
	ip[20] = 0;
	ip[21] = 68;
	ip[22] = (uint8_t)(dport >> 8);
	ip[23] = (uint8_t)dport;
	ip[24] = (uint8_t)((8 + plen) >> 8);
	ip[25] = (uint8_t)(8 + plen);
	memcpy(ip + 28, payload, plen);
	caplen = l2 + tot;
	put32(p, 1, be);
	put32(p + 4, 0, be);
	put32(p + 8, (uint32_t)caplen, be);
	put32(p + 12, (uint32_t)caplen, be);
	return n + caplen;
}

static size_t
pcap_header(uint8_t *p, bool be, unsigned link)
{
	memset(p, 0, 24);
	put32(p, 0xa1b2c3d4u, be);
	p[be ? 5 : 4] = 2;
	p[be ? 7 : 6] = 4;
	put32(p + 16, 65535, be);
	put32(p + 20, link, be);
	return 24;
}

static void
test_pcap(void **state)
{
	static const unsigned links[] = { 1, 113, 101 };
	uint8_t *file = calloc(1, 8192), req[600], noise[300];
	const uint8_t *pl;
	struct in_addr src;
	char err[200];
	size_t off, plen;
	uint16_t dport;
	unsigned i;

	(void)state;
	memset(req, 0, sizeof(req));
	req[0] = 1;
	req[1] = 1;
	req[2] = 6;
	memset(noise, 0, sizeof(noise));
	noise[0] = 2;			/* a reply: skipped */
	for (i = 0; i < 6; i++) {
		bool be = i & 1;

		off = pcap_header(file, be, links[i / 2]);
		off += record(file + off, be, links[i / 2], 67, noise,
		    sizeof(noise));
		off += record(file + off, be, links[i / 2], 4011, req,
		    sizeof(req));
		assert_int_equal(explain_pcap_request(file, off, &pl, &plen,
		    &dport, &src, err, sizeof(err)), 0);
		assert_int_equal(plen, sizeof(req));
		assert_int_equal(dport, 4011);
		assert_int_equal(pl[0], 1);
		assert_int_equal(src.s_addr, inet_addr("10.0.0.1"));
		/* cut short: the request is not whole any more */
		assert_int_equal(explain_pcap_request(file, off - 1, &pl, &plen,
		    &dport, &src, err, sizeof(err)), -ENOENT);
	}
	memcpy(file, "\x0a\x0d\x0d\x0a", 4);	/* pcapng */
	assert_int_equal(explain_pcap_request(file, off, &pl, &plen, &dport,
	    &src, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "pcapng"));
	assert_int_equal(explain_pcap_request(file, 10, &pl, &plen, &dport,
	    &src, err, sizeof(err)), -EINVAL);
	free(file);
}

/* --- whole reports ------------------------------------------------------ */

struct report_row {
	const char *name;
	const char *conf;
	const char *words[8];
	const char *want[6];		/* substrings of the report */
	const char *not[3];		/* must not appear */
};

#define RANGE "dhcp-range=198.51.100.100,198.51.100.199,255.255.255.0,1h\n"
#define PROXY "dhcp-range=198.51.100.0,proxy,255.255.255.0\n"
#define LONG "l234567890123456789012345678901234567890123456789" \
	"0123456789012345678901234567890123456789012345678901234567890" \
	"123456789012345678901234567890.0"

static const struct report_row report_rows[] = {
	{ "tagged dhcp-boot for arch 7, line cited",
	  "port=0\n" RANGE
	  "dhcp-match=set:efi,option:client-arch,7\n"
	  "dhcp-match=set:efi,option:client-arch,9\n"
	  "dhcp-boot=tag:efi,bootx64.efi\n"
	  "dhcp-boot=pxelinux.0\n",
	  { "arch=7", "addr=198.51.100.1/24", NULL },
	  { "by dhcp-match ", ":3  dhcp-match=set:efi,option:client-arch,7",
	    "dhcp-boot=tag:efi,bootx64.efi  (WINS)",
	    "dhcp-boot=pxelinux.0  (beaten: a tagged line matched",
	    "boot-file: bootx64.efi", "boot-server: 198.51.100.1" },
	  { "warning: tag efi", NULL } },
	{ "untagged fallback for BIOS",
	  "port=0\n" RANGE
	  "dhcp-match=set:efi,option:client-arch,7\n"
	  "dhcp-match=set:efi,option:client-arch,9\n"
	  "dhcp-boot=tag:efi,bootx64.efi\n"
	  "dhcp-boot=pxelinux.0\n",
	  { "arch=bios", "addr=198.51.100.1/24", NULL },
	  { "(no: tag:efi is not set)", "dhcp-boot=pxelinux.0  (WINS)",
	    "boot-file: pxelinux.0", "dhcp-range: 198.51.100.100 -- "
	    "198.51.100.199", "yiaddr 198.51.100.", NULL },
	  { NULL } },
	{ "last matching line wins",
	  "port=0\n" RANGE "dhcp-boot=a.0\ndhcp-boot=b.0\n",
	  { "arch=0", NULL },
	  { "dhcp-boot=a.0  (beaten: matches, but a later line wins",
	    "dhcp-boot=b.0  (WINS)", "boot-file: b.0", NULL },
	  { NULL } },
	{ "arch 7 without arch 9",
	  "port=0\n" RANGE "dhcp-match=set:efi,option:client-arch,7\n"
	  "dhcp-boot=tag:efi,bootx64.efi\n",
	  { "arch=9", NULL },
	  { "warning: tag efi is set for client arch 7 but not for 9",
	    "boot-file: (none)", "(no: tag:efi is not set)", NULL },
	  { NULL } },
	{ "pxe-service for x86-64_EFI only",
	  "port=0\n" PROXY "pxe-service=X86-64_EFI,\"UEFI\",bootx64.efi\n",
	  { "arch=7", NULL },
	  { "pxe-service lines for x86-64_EFI (arch 7) but none for BC_EFI",
	    "REQUEST to port 4011 (UEFI, proxy mode)",
	    "file  \"bootx64.efi\"", "boot-file: bootx64.efi",
	    "no menu is sent", NULL },
	  { NULL } },
	{ "tag never set",
	  "port=0\n" RANGE "dhcp-boot=tag:bois,pxelinux.0\n"
	  "dhcp-option=tag:nobody,option:router,198.51.100.1\n",
	  { "arch=0", NULL },
	  { "dhcp-boot at ", ":3 can never match: no line sets tag bois",
	    ":4 can never match: no line sets tag nobody", NULL },
	  { NULL } },
	{ "UEFI client offered a menu",
	  "port=0\n" RANGE "pxe-service=X86-64_EFI,\"a\",a.efi\n"
	  "pxe-service=X86-64_EFI,\"b\",b.efi\n",
	  { "arch=efi-x64", NULL },
	  { "sub   9 boot-menu: [0x8000 \"a\"] [0x8001 \"b\"]",
	    "warning: UEFI firmware (arch 7) skips PXE boot menus",
	    "boot-file: (none)", NULL },
	  { NULL } },
	{ "UEFI single service, full DHCP: no file",
	  "port=0\n" RANGE "pxe-service=X86-64_EFI,\"a\",a.efi\n"
	  "pxe-service=BC_EFI,\"a\",a.efi\n",
	  { "arch=7", NULL },
	  { "warning: no boot file for this UEFI client",
	    "boot-file: (none)", NULL },
	  { NULL } },
	{ "BIOS menu: first item through port 4011",
	  "port=0\n" RANGE "pxe-prompt=\"F8\",5\n"
	  "pxe-service=x86PC,\"Linux\",pxelinux\n"
	  "pxe-service=x86PC,\"Local\"\n",
	  { "arch=0", NULL },
	  { "sub  10 prompt timeout 5 \"F8\"",
	    "boot-server REQUEST to port 4011 for the menu's first item",
	    "sub  71 boot-item type 0x8000 layer 0",
	    "boot-file: pxelinux.0", NULL },
	  { NULL } },
	{ "ignored unknown client",
	  "port=0\n" RANGE "dhcp-ignore=tag:!known\n"
	  "dhcp-host=52:54:00:00:00:11,set:install,198.51.100.11\n"
	  "dhcp-boot=tag:install,installer.0\n",
	  { "arch=0", NULL },
	  { "reply: none (ignored)", "no reply: ignored",
	    "tags (as far as the server got): pxmtest0",
	    "ignored by ", ":3  dhcp-ignore=tag:!known", NULL },
	  { NULL } },
	{ "dhcp-host ignore",
	  "port=0\n" RANGE "dhcp-host=52:54:00:12:34:56,ignore\n",
	  { "arch=0", NULL },
	  { "ignored by ", ":3  dhcp-host=52:54:00:12:34:56,ignore", NULL },
	  { NULL } },
	{ "a BIOS loader for a UEFI client",
	  "port=0\n" RANGE "dhcp-match=set:efi-x64,option:client-arch,7\n"
	  "dhcp-match=set:efi-x64,option:client-arch,9\n"
	  "dhcp-boot=tag:!efi-x64,pxelinux.0\n"
	  "dhcp-boot=tag:efi-x64,bootx64.efi\n",
	  { "arch=11", NULL },
	  { "UEFI client (arch 11) gets pxelinux.0, which looks like a BIOS "
	    "loader", NULL },
	  { NULL } },
	{ "non-PXE client and a proxy range",
	  "port=0\n" PROXY "pxe-service=x86PC,\"a\",a\n",
	  { NULL },
	  { "reply: none (pxe)", "a proxy dhcp-range answers PXE clients "
	    "only", NULL },
	  { NULL } },
	{ "dhcp-host tags and tag-if",
	  "port=0\n" RANGE "dhcp-ignore=tag:!known\n"
	  "dhcp-host=52:54:00:00:00:11,set:install,198.51.100.11\n"
	  "tag-if=set:inst2,tag:install\n"
	  "dhcp-boot=tag:inst2,installer.0\n",
	  { "arch=0", "mac=52:54:00:00:00:11", NULL },
	  { "by dhcp-host ", ":4  dhcp-host=52:54:00:00:00:11",
	    "by tag-if ", ":5  tag-if=set:inst2,tag:install",
	    "yiaddr 198.51.100.11", "boot-file: installer.0" },
	  { NULL } },
	{ "user class and iPXE chain",
	  "port=0\n" RANGE "dhcp-userclass=set:ipxe,iPXE\n"
	  "dhcp-boot=tag:!ipxe,undionly.kpxe\n"
	  "dhcp-boot=tag:ipxe,http://198.51.100.5/boot.ipxe\n",
	  { "arch=0", "user-class=iPXE", NULL },
	  { "by dhcp-userclass ",
	    "(no: tag:!ipxe but ipxe is set)",
	    "boot-file: http://198.51.100.5/boot.ipxe", NULL },
	  { NULL } },
	{ "relayed client, remote range",
	  "port=0\n" RANGE "dhcp-range=203.0.113.10,203.0.113.20,"
	  "255.255.255.0\n" "dhcp-boot=pxelinux.0\n",
	  { "arch=0", "relay=203.0.113.1", "addr=198.51.100.1/24", NULL },
	  { "dhcp-range: 203.0.113.10 -- 203.0.113.20",
	    "UDP to 203.0.113.1:67", "giaddr 203.0.113.1", NULL },
	  { NULL } },
	{ "proxy reply cuts a long dhcp-boot name",
	  "port=0\n" PROXY "pxe-prompt=\"x\",0\n" "dhcp-boot=" LONG "\n",
	  { "arch=0", NULL },
	  { "bytes: cut to 127 in the file field", "boot-server: 0.0.0.0",
	    NULL },
	  { NULL } },
	{ "an interface the daemon does not serve",
	  "port=0\ninterface=lan0\n" RANGE "dhcp-boot=pxelinux.0\n",
	  { "arch=0", NULL },
	  { "warning: the daemon does not serve DHCP on pxmtest0",
	    "boot-file: pxelinux.0", NULL },
	  { NULL } },
	{ "local-service=host: no interface served",
	  "local-service=host\n" RANGE "dhcp-boot=pxelinux.0\n",
	  { "arch=0", NULL },
	  { "warning: the daemon does not serve DHCP on pxmtest0",
	    "boot-file: pxelinux.0", NULL },
	  { NULL } },
	{ "no dhcp-range",
	  "port=0\n",
	  { "arch=0", NULL },
	  { "note: no IPv4 dhcp-range", "reply: none (no-range)",
	    "no dhcp-range is on the network of the interface's address",
	    NULL },
	  { NULL } },
};

/* Runs the report for text and words; returns the output (malloc). */
static char *
report(const char *text, const char *const *w, int *status)
{
	char path[] = "/tmp/pxemasq-test-explain-XXXXXX";
	char a0[] = "pxemasq", a1[] = "-C", a3[] = "--explain";
	/* an interface this machine does not have: the address then comes
	 * from addr= or the first dhcp-range, never from the test host */
	char a4[] = "interface=pxmtest0";
	char *argv[16] = { a0, a1, path, a3, a4 };
	struct conf_result res;
	struct conf *cf;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;
	int fd = mkstemp(path), argc = 5;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	for (; *w != NULL && argc < 15; w++)
		argv[argc++] = strdup(*w);
	cf = conf_load(argc, argv, &res);
	while (argc > 5)
		free(argv[--argc]);
	if (cf == NULL)
		fail_msg("rejected: %s", res.msg);
	f = open_memstream(&out, &outlen);
	*status = explain_main(cf, f);
	fclose(f);
	conf_free(cf);
	unlink(path);
	return out;
}

static void
test_reports(void **state)
{
	size_t i, k;
	int status;

	(void)state;
	for (i = 0; i < sizeof(report_rows) / sizeof(report_rows[0]); i++) {
		const struct report_row *r = &report_rows[i];
		char *out;

		/* a build without DNS refuses local-service */
		if (strstr(r->conf, "local-service") != NULL &&
		    strstr(conf_features_string(), "no-DNS") != NULL)
			continue;
		out = report(r->conf, r->words, &status);

		if (status != 0)
			fail_msg("%s: status %d", r->name, status);
		for (k = 0; k < 6 && r->want[k] != NULL; k++)
			if (strstr(out, r->want[k]) == NULL)
				fail_msg("%s: no \"%s\" in:\n%s", r->name,
				    r->want[k], out);
		for (k = 0; k < 3 && r->not[k] != NULL; k++)
			if (strstr(out, r->not[k]) != NULL)
				fail_msg("%s: \"%s\" in:\n%s", r->name,
				    r->not[k], out);
		free(out);
	}
}

/* A description the report refuses: status 1. */
static void
test_report_bad_words(void **state)
{
	static const char *const w[] = { "arch=banana", NULL };
	int status;
	char *out;

	(void)state;
	out = report("port=0\n" RANGE, w, &status);
	assert_int_equal(status, 1);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arch_names),
		cmocka_unit_test(test_client_ok),
		cmocka_unit_test(test_client_bad),
		cmocka_unit_test(test_discover),
		cmocka_unit_test(test_pcap),
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_report_bad_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
