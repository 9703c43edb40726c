/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_conf_pxe.c - pxe-service, pxe-prompt and dhcp-pxe-vendor: typed
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
#include "conf_pxe.h"

static char *
dump(const struct conf *cf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	conf_pxe_print(cf, m);
	fclose(m);
	return buf;
}

static const struct conf_pxe_service *
service(const struct conf *cf, unsigned i)
{
	const struct conf_pxe_service *s = cf->pxe->services;

	while (s != NULL && i--)
		s = s->next;
	assert_non_null(s);
	return s;
}

static void
types_count_across_csas(void **state)
{
	struct conf *cf = load_ok(
	    "pxe-service=x86PC,\"BIOS\",pxelinux\n"
	    "pxe-service=x86-64_EFI,\"UEFI\",grubx64.efi\n"
	    "pxe-service=x86PC,\"Numeric\",7\n"
	    "pxe-service=x86PC,\"Local\"\n"
	    "pxe-service=BC_EFI,\"UEFI 9\",grubx64.efi\n");

	(void)state;
	assert_int_equal(cf->pxe->n_services, 5);
	assert_int_equal(service(cf, 0)->type, 0x8000);
	assert_int_equal(service(cf, 0)->csa, 0);
	assert_int_equal(service(cf, 1)->type, 0x8001);
	assert_int_equal(service(cf, 1)->csa, 7);
	assert_int_equal(service(cf, 2)->type, 7);
	assert_null(service(cf, 2)->basename);
	assert_int_equal(service(cf, 3)->type, 0);
	assert_null(service(cf, 3)->basename);
	assert_int_equal(service(cf, 4)->type, 0x8002);
	assert_int_equal(service(cf, 4)->csa, 9);
	assert_true(cf->pxe->enabled);
	conf_free(cf);
}

/* The file name rule (BASENAME or BASENAME.LAYER) is the consumer's: the
 * base name is stored as written. */
static void
basename_stored_as_written(void **state)
{
	struct conf *cf = load_ok(
	    "pxe-service=x86PC,Install,pxelinux\n"
	    "pxe-service=x86PC,Install,pxelinux.0\n");

	(void)state;
	assert_string_equal(service(cf, 0)->basename, "pxelinux");
	assert_string_equal(service(cf, 1)->basename, "pxelinux.0");
	assert_string_equal(service(cf, 0)->menu, "Install");
	conf_free(cf);
}

static void
csa_names_and_numbers(void **state)
{
	struct conf *cf = load_ok(
	    "pxe-service=arm64_EFI,a\n"
	    "pxe-service=Intel_Lean_Client,b\n"
	    "pxe-service=16,c\n"
	    "pxe-service=,d\n"
	    "pxe-service=65537,e\n");

	(void)state;
	assert_int_equal(service(cf, 0)->csa, 11);
	assert_int_equal(service(cf, 1)->csa, 5);
	assert_int_equal(service(cf, 2)->csa, 16);
	assert_int_equal(service(cf, 3)->csa, 0);
	assert_int_equal(service(cf, 4)->csa, 1);	/* 16 bits */
	assert_string_equal(conf_pxe_csa_name(7), "x86-64_EFI");
	assert_null(conf_pxe_csa_name(12));
	conf_free(cf);
}

static void
server_address_or_name(void **state)
{
	struct conf *cf = load_ok(
	    "pxe-service=x86PC,a,pxelinux,192.0.2.10\n"
	    "pxe-service=x86PC,b,pxelinux,boot.lan\n"
	    "pxe-service=x86PC,c,pxelinux,\"192.0.2.11\"\n"
	    "pxe-service=x86PC,d,5,192.0.2.12\n");
	const struct conf_pxe_service *s;

	(void)state;
	s = service(cf, 0);
	assert_true(s->has_server);
	assert_int_equal(s->server.s_addr, inet_addr("192.0.2.10"));
	assert_null(s->sname);
	s = service(cf, 1);
	assert_false(s->has_server);
	assert_string_equal(s->sname, "boot.lan");
	s = service(cf, 2);		/* quoted: a name, as dnsmasq */
	assert_false(s->has_server);
	assert_string_equal(s->sname, "192.0.2.11");
	s = service(cf, 3);
	assert_int_equal(s->type, 5);
	assert_true(s->has_server);
	conf_free(cf);
}

static void
service_tags(void **state)
{
	struct conf *cf = load_ok(
	    "pxe-service=tag:bios,tag:!ipxe,x86PC,x,undionly.kpxe\n");
	const struct conf_pxe_service *s = service(cf, 0);

	(void)state;
	assert_int_equal(s->tags.n, 2);
	assert_string_equal(conf_tag_name(cf, s->tags.v[0].id), "bios");
	assert_false(s->tags.v[0].neg);
	assert_string_equal(conf_tag_name(cf, s->tags.v[1].id), "ipxe");
	assert_true(s->tags.v[1].neg);
	assert_int_equal(s->type, 0x8000);
	conf_free(cf);
}

static void
prompt_timeouts(void **state)
{
	struct conf *cf = load_ok(
	    "pxe-prompt=\"Press F8\"\n"
	    "pxe-prompt=tag:a,\"Ten\",10\n"
	    "pxe-prompt=tag:b,\"Big\",600\n"
	    "pxe-prompt=tag:c,\"Junk\",abc\n"
	    "pxe-prompt=tag:d,\n");
	const struct conf_pxe_prompt *p = cf->pxe->prompts;

	(void)state;
	assert_int_equal(cf->pxe->n_prompts, 5);
	assert_string_equal(p->text, "Press F8");
	assert_int_equal(p->timeout, 255);
	assert_int_equal(p->tags.n, 0);
	p = p->next;
	assert_int_equal(p->timeout, 10);
	assert_int_equal(p->tags.n, 1);
	p = p->next;
	assert_int_equal(p->timeout, 600 & 0xff);
	p = p->next;
	assert_int_equal(p->timeout, 255);
	p = p->next;
	assert_string_equal(p->text, "");
	assert_true(cf->pxe->enabled);
	conf_free(cf);
}

static void
vendors(void **state)
{
	struct conf *cf = load_ok("pxe-service=x86PC,a\n");

	(void)state;
	assert_null(cf->pxe->vendors.head);
	assert_string_equal(conf_pxe_vendor_match(cf->pxe,
	    "PXEClient:Arch:00000", 20), "PXEClient");
	assert_null(conf_pxe_vendor_match(cf->pxe, "HTTPClient", 10));
	conf_free(cf);

	cf = load_ok("dhcp-pxe-vendor=PXEClient,Arm\n"
	    "dhcp-pxe-vendor=\"Odd,Vendor\"\n");
	assert_int_equal(cf->pxe->vendors.n, 3);
	assert_string_equal(cf->pxe->vendors.head->next->next->s,
	    "Odd,Vendor");
	assert_string_equal(conf_pxe_vendor_match(cf->pxe, "ArmBoot", 7),
	    "Arm");
	assert_null(conf_pxe_vendor_match(cf->pxe, "PXE", 3));
	assert_false(cf->pxe->enabled);
	conf_free(cf);
}

static void
errors(void **state)
{
	(void)state;
	assert_load_err("pxe-service=bogus,\"B\",x\n", "error", 1);
	assert_load_err("\npxe-service=x86PC\n", "error", 2);
	assert_load_err("pxe-service=tag:a,tag:b\n", "error", 1);
	assert_load_err("pxe-service=-1,m\n", "error", 1);
	assert_load_err("pxe-prompt=tag:x\n", "error", 1);
}

static void
print_canonical(void **state)
{
	struct conf *cf = load_ok(
	    "dhcp-pxe-vendor=\"a,b\"\n"
	    "pxe-prompt=tag:x,\"Press F8, now\"\n"
	    "pxe-prompt=\"tag:y\",5\n"
	    "pxe-service=net:e,x86-64_efi,\"UEFI\",grubx64.efi,192.0.2.5\n"
	    "pxe-service=99,local\n"
	    "pxe-service=x86PC,\"Type 0\",,\"192.0.2.1\"\n");
	char *out = dump(cf);

	(void)state;
	assert_string_equal(out,
	    "dhcp-pxe-vendor=\"a,b\"\n"
	    "pxe-prompt=tag:x,\"Press F8, now\",255\n"
	    "pxe-prompt=\"tag:y\",5\n"
	    "pxe-service=tag:e,x86-64_EFI,UEFI,grubx64.efi,192.0.2.5\n"
	    "pxe-service=99,local\n"
	    "pxe-service=x86PC,Type 0,0,\"192.0.2.1\"\n");
	free(out);
	conf_free(cf);
}

/* Runs load() with stderr (where warnings go before the log is open)
 * captured; returns what was written (malloc'd). */
static char *
load_stderr(const char *text)
{
	char path[] = "/tmp/pxemasq-test-stderr-XXXXXX";
	struct conf_result res;
	struct conf *cf;
	int fd = mkstemp(path), saved = dup(2);
	char *out = calloc(1, 4096);
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0 && out != NULL);
	fflush(stderr);
	assert_int_equal(dup2(fd, 2), 2);
	cf = load(text, &res);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	n = pread(fd, out, 4095, 0);
	assert_true(n >= 0);
	close(fd);
	unlink(path);
	if (cf == NULL)
		fail_msg("rejected: %s", res.msg);
	conf_free(cf);
	return out;
}

/* Boot names that cannot fit the BOOTP fields or options 66/67: warned at
 * load time (docs/differences.md); names that fit: nothing. */
static void
long_boot_names_warned(void **state)
{
	static const char w127[] = "pxemasq: warning: dhcp-boot file name "
	    "longer than 127 bytes is truncated for clients that do not "
	    "request option 67, and in proxy replies at line 1 of ";
	static const char w255[] = "pxemasq: warning: dhcp-boot file name "
	    "longer than 255 bytes is truncated in every reply at line 1 of ";
	static const char w63[] = "pxemasq: warning: dhcp-boot server name "
	    "longer than 63 bytes is truncated for clients that do not "
	    "request option 66 at line 1 of ";
	static const char wsvc[] = "pxemasq: warning: pxe-service file name "
	    "longer than 127 bytes is truncated in every reply at line 1 of ";
	char n63[64], n125[126], n127[128], n128[129], n255[256], n256[257];
	char line[600];
	const struct {
		const char *name, *head, *arg, *tail, *want;
	} rows[] = {
		{ "file 127 fits", "dhcp-boot=", n127, "", NULL },
		{ "file 128", "dhcp-boot=", n128, "", w127 },
		{ "file 255 fits option 67", "dhcp-boot=tag:x,", n255, "",
		    w127 },
		{ "file 256", "dhcp-boot=", n256, "", w255 },
		{ "sname 63 fits", "dhcp-boot=f,", n63, "", NULL },
		{ "sname 64", "dhcp-boot=f,", n63, "x,192.0.2.1", w63 },
		{ "service 125 + .0", "pxe-service=x86PC,m,", n125, "",
		    NULL },
		{ "service 126 + .0", "pxe-service=x86PC,m,", n125, "x",
		    wsvc },
		{ "service 127 with dot", "pxe-service=x86PC,m,", n125,
		    "..", NULL },
		{ "service 128 with dot", "pxe-service=x86PC,m,", n125,
		    "...", wsvc },
		{ "numeric type", "pxe-service=x86PC,m,7,", n127, "",
		    NULL },
	};
	size_t i;

	(void)state;
	memset(n63, 's', sizeof(n63) - 1);
	n63[sizeof(n63) - 1] = '\0';
	memset(n125, 'b', sizeof(n125) - 1);
	n125[sizeof(n125) - 1] = '\0';
	memset(n127, 'f', sizeof(n127) - 1);
	n127[sizeof(n127) - 1] = '\0';
	memset(n128, 'f', sizeof(n128) - 1);
	n128[sizeof(n128) - 1] = '\0';
	memset(n255, 'f', sizeof(n255) - 1);
	n255[sizeof(n255) - 1] = '\0';
	memset(n256, 'f', sizeof(n256) - 1);
	n256[sizeof(n256) - 1] = '\0';
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *err;

		snprintf(line, sizeof(line), "%s%s%s\n", rows[i].head,
		    rows[i].arg, rows[i].tail);
		err = load_stderr(line);
		if (rows[i].want == NULL ? err[0] != '\0' :
		    strncmp(err, rows[i].want, strlen(rows[i].want)) != 0)
			fail_msg("%s: got \"%s\"", rows[i].name, err);
		free(err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(types_count_across_csas),
		cmocka_unit_test(basename_stored_as_written),
		cmocka_unit_test(csa_names_and_numbers),
		cmocka_unit_test(server_address_or_name),
		cmocka_unit_test(service_tags),
		cmocka_unit_test(prompt_timeouts),
		cmocka_unit_test(vendors),
		cmocka_unit_test(errors),
		cmocka_unit_test(print_canonical),
		cmocka_unit_test(long_boot_names_warned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
