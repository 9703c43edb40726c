/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_dns_local.c - local records (txt-record, ptr-record, srv-host,
 * mx-host, mx-target, localmx, selfmx, interface-name, naptr-record,
 * caa-record, dns-rr) answered as dnsmasq 2.90's answer_request() does:
 * one row per question, the answer's counts and first record's rdata. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>

#include "conf_fixture.h"
#include "dns_local.h"
#include "dns_msg.h"

static const char rr_conf[] =
    "txt-record=txt.test,\"v=spf1 a -all\",second\n"
    "txt-record=txt.test,\"a,b\"\n"
    "txt-record=empty.test\n"
    "ptr-record=9.100.51.198.in-addr.arpa,ptr9.test\n"
    "ptr-record=bare.test\n"
    "host-record=mx1.test,198.51.100.40\n"
    "srv-host=_x._tcp.test,mx1.test,389,1,2\n"
    "srv-host=_x._tcp.test,other.test,636\n"
    "srv-host=_none._tcp.test\n"
    "mx-host=mail.test,mx1.test,5\n"
    "mx-host=dflt.test\n"
    "mx-target=mxt.test\n"
    "localmx\n"
    "interface-name=if.test,eth9\n"
    "interface-name=if4.test,eth9/4\n"
    "naptr-record=naptr.test,10,20,U,E2U+sip,!x!y!\n"
    "caa-record=caa.test,128,issue,ca.test\n"
    "dns-rr=raw.test,65280,0a:0b-0c 0d\n"
    "dns-rr=raw.test,16,616\n";

struct rr_row {
	const char *what;
	const char *qname;
	uint16_t qtype;
	bool answered;
	uint16_t an, ar;
	const char *rdata;	/* hex of the first answer's rdata, or NULL */
};

static const struct rr_row rr_rows[] = {
	{ "txt: strings cut at commas, quoted comma kept", "txt.test",
	    DNS_T_TXT, true, 2, 0, "03612c62" },
	{ "txt: case-insensitive", "TXT.Test", DNS_T_TXT, true, 2, 0, NULL },
	{ "txt: no text is one empty string", "empty.test", DNS_T_TXT, true,
	    1, 0, "00" },
	{ "txt: other type goes on", "txt.test", DNS_T_A, false, 0, 0,
	    NULL },
	{ "txt: name below goes on", "a.txt.test", DNS_T_TXT, false, 0, 0,
	    NULL },
	{ "txt: ANY", "txt.test", DNS_T_ANY, true, 2, 0, NULL },
	{ "ptr-record", "9.100.51.198.in-addr.arpa", DNS_T_PTR, true, 1, 0,
	    "0470747239047465737400" },
	{ "ptr-record without target: root", "bare.test", DNS_T_PTR, true, 1,
	    0, "00" },
	{ "srv: two, additional A of the known target", "_x._tcp.test",
	    DNS_T_SRV, true, 2, 1, NULL },
	{ "srv without target: port 1, root", "_none._tcp.test", DNS_T_SRV,
	    true, 1, 0, "00000000000100" },
	{ "mx: preference 5, additional A", "mail.test", DNS_T_MX, true, 1,
	    1, "0005036d78310474657374" "00" },
	{ "mx: no target: mx-target, preference 1", "dflt.test", DNS_T_MX,
	    true, 1, 0, "0001036d7874047465737400" },
	{ "localmx: a host-record name", "mx1.test", DNS_T_MX, true, 1, 0,
	    "0001036d7874047465737400" },
	{ "localmx: not an unknown name", "nx.test", DNS_T_MX, false, 0, 0,
	    NULL },
	{ "interface-name: A", "if.test", DNS_T_A, true, 1, 0, "cb0071fa" },
	{ "interface-name: AAAA", "if.test", DNS_T_AAAA, true, 1, 0,
	    "20010db8000300000000000000000001" },
	{ "interface-name /4: AAAA goes on", "if4.test", DNS_T_AAAA, false,
	    0, 0, NULL },
	{ "interface-name: ANY", "if.test", DNS_T_ANY, true, 2, 0, NULL },
	{ "interface-name: PTR, first name", "250.113.0.203.in-addr.arpa",
	    DNS_T_PTR, true, 1, 0, "0269660474657374" "00" },
	{ "interface-name: reverse-only IPv6 not in AAAA", "if.test",
	    DNS_T_AAAA, true, 1, 0, NULL },
	{ "naptr", "naptr.test", DNS_T_NAPTR, true, 1, 0,
	    "000a0014" "0155" "074532552b736970" "052178217921" "00" },
	{ "caa", "caa.test", 257, true, 1, 0,
	    "80056973737565" "63612e74657374" },
	{ "dns-rr: hex with separators", "raw.test", 65280, true, 1, 0,
	    "0a0b0c0d" },
	{ "dns-rr: odd digit is a byte", "raw.test", DNS_T_TXT, true, 1, 0,
	    "6106" },
	{ "dns-rr: ANY", "raw.test", DNS_T_ANY, true, 2, 0, NULL },
};

static unsigned
fake_if_addrs(void *arg, const char *ifname, struct dns_local_ifaddr *v,
    unsigned max)
{
	(void)arg;
	if (strcmp(ifname, "eth9") != 0 || max < 3)
		return 0;
	memset(v, 0, 3 * sizeof(*v));
	v[0].family = AF_INET;
	inet_pton(AF_INET, "203.0.113.250", &v[0].addr.v4);
	v[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:3::1", &v[1].addr.v6);
	v[2].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:3::99", &v[2].addr.v6);
	v[2].revonly = true;
	return 3;
}

static size_t
rr_query(uint8_t *p, const char *name, uint16_t type)
{
	struct wr w;

	wr_init(&w, p, 512);
	wr_be16(&w, 1);
	wr_be16(&w, DNS_F_RD);
	wr_be16(&w, 1);
	wr_zero(&w, 6);
	dns_name_write(&w, name);
	wr_be16(&w, type);
	wr_be16(&w, DNS_C_IN);
	assert_true(wr_ok(&w));
	return w.off;
}

/* in-addr.arpa names of the rows, as dns_fwd reads them */
static int
rr_arpa(const char *name, uint8_t *a)
{
	unsigned o[4];

	if (sscanf(name, "%u.%u.%u.%u.in-addr.arpa", &o[3], &o[2], &o[1],
	    &o[0]) != 4)
		return 0;
	a[0] = (uint8_t)o[0];
	a[1] = (uint8_t)o[1];
	a[2] = (uint8_t)o[2];
	a[3] = (uint8_t)o[3];
	return AF_INET;
}

static void
rr_check_row(struct dns_local_rrs *rrs, struct dns_local *hosts,
    const struct rr_row *row)
{
	uint8_t qp[512], out[1500];
	char lname[DNSNAME_BUF], hex[1024];
	struct dns_local_rrq rq;
	struct dns_build b;
	struct dns_msg q, m;
	size_t n = rr_query(qp, row->qname, row->qtype), k, rdl, off;

	assert_int_equal(dns_msg_parse(qp, n, true, &q), DNS_OK);
	dns_name_lower(row->qname, lname);
	memset(&rq, 0, sizeof(rq));
	rq.qname = row->qname;
	rq.lname = lname;
	rq.qtype = row->qtype;
	rq.arpa_family = rr_arpa(lname, rq.arpa);
	rq.hosts = hosts;
	rq.if_addrs = fake_if_addrs;
	dns_build_begin(&b, out, sizeof(out), sizeof(out), qp, &q,
	    DNS_RC_NOERROR);
	if (dns_local_rrs_answer(rrs, &rq, &b) != row->answered)
		fail_msg("%s: answered %d", row->what, !row->answered);
	n = dns_build_end(&b);
	assert_int_equal(dns_msg_parse(out, n, true, &m), DNS_OK);
	if (m.ancount != row->an || m.arcount != row->ar)
		fail_msg("%s: an %u ar %u", row->what, m.ancount, m.arcount);
	if (row->rdata == NULL)
		return;
	off = m.qend + 2 + 8;	/* owner pointer, type, class, TTL */
	rdl = (size_t)out[off] << 8 | out[off + 1];
	for (k = 0; k < rdl && k * 2 + 2 < sizeof(hex); k++)
		snprintf(hex + k * 2, 3, "%02x", out[off + 2 + k]);
	hex[k * 2] = '\0';
	if (strcmp(hex, row->rdata) != 0)
		fail_msg("%s: rdata %s, want %s", row->what, hex, row->rdata);
}

static void
rows_answer_as_dnsmasq(void **state)
{
	struct conf *cf = load_ok(rr_conf);
	struct dns_local *hosts = dns_local_new(cf, NULL, NULL, 0);
	struct dns_local_rrs *rrs = dns_local_rrs_new(cf, "myhost");
	size_t i;

	(void)state;
	assert_non_null(rrs);
	for (i = 0; i < sizeof(rr_rows) / sizeof(rr_rows[0]); i++)
		rr_check_row(rrs, hosts, &rr_rows[i]);
	dns_local_rrs_free(rrs);
	dns_local_free(hosts);
	conf_free(cf);
}

/* srv-host: each answer starts one record further on (dnsmasq moves the
 * first record of the name to the end of its list). */
static void
srv_rotates(void **state)
{
	struct conf *cf = load_ok(rr_conf);
	struct dns_local_rrs *rrs = dns_local_rrs_new(cf, "myhost");
	uint8_t qp[512], out[2][1500];
	struct dns_local_rrq rq;
	struct dns_build b;
	struct dns_msg q;
	size_t n = rr_query(qp, "_x._tcp.test", DNS_T_SRV);
	int i;

	(void)state;
	assert_int_equal(dns_msg_parse(qp, n, true, &q), DNS_OK);
	memset(&rq, 0, sizeof(rq));
	rq.qname = rq.lname = "_x._tcp.test";
	rq.qtype = DNS_T_SRV;
	for (i = 0; i < 2; i++) {
		dns_build_begin(&b, out[i], sizeof(out[i]), sizeof(out[i]),
		    qp, &q, DNS_RC_NOERROR);
		assert_true(dns_local_rrs_answer(rrs, &rq, &b));
		(void)dns_build_end(&b);
	}
	/* the first record's port: 636 (newest line first), then 389 */
	assert_int_equal(out[0][q.qend + 10 + 2 + 4] << 8 |
	    out[0][q.qend + 10 + 2 + 5], 636);
	assert_int_equal(out[1][q.qend + 10 + 2 + 4] << 8 |
	    out[1][q.qend + 10 + 2 + 5], 389);
	dns_local_rrs_free(rrs);
	conf_free(cf);
}

/* check_for_local_domain(): the name or a name below has records;
 * dns-rr and caa-record do not count. */
static void
local_domain(void **state)
{
	struct conf *cf = load_ok(rr_conf);
	struct dns_local_rrs *rrs = dns_local_rrs_new(cf, "myhost");

	(void)state;
	assert_true(dns_local_rrs_has_domain(rrs, "txt.test"));
	assert_true(dns_local_rrs_has_domain(rrs, "test"));
	assert_true(dns_local_rrs_has_domain(rrs, "_tcp.test"));
	assert_false(dns_local_rrs_has_domain(rrs, "a.txt.test"));
	assert_false(dns_local_rrs_has_domain(rrs, "xt.test"));
	assert_true(dns_local_rrs_has_domain(rrs, "myhost"));
	assert_true(dns_local_rrs_has_ifname(rrs, "if4.test"));
	assert_false(dns_local_rrs_has_ifname(rrs, "txt.test"));
	dns_local_rrs_free(rrs);
	conf_free(cf);
	cf = load_ok("caa-record=caa.test,0,issue,x\ndns-rr=raw.test,1\n");
	rrs = dns_local_rrs_new(cf, "myhost");
	assert_false(dns_local_rrs_has_domain(rrs, "caa.test"));
	assert_false(dns_local_rrs_has_domain(rrs, "raw.test"));
	dns_local_rrs_free(rrs);
	conf_free(cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_answer_as_dnsmasq),
		cmocka_unit_test(srv_rotates),
		cmocka_unit_test(local_domain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
