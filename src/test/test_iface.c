/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_iface.c - DHCP interface selection as dnsmasq 2.90 decides it
 * (interface=, except-interface, no-dhcp-interface, listen-address,
 * wildcards, loopback), the destination check, and the interface table
 * driven by crafted rtnetlink messages (no socket).
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
#include <net/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "conf.h"
#include "conf_int.h"
#include "iface.h"

static struct in_addr
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* --- wildcards ------------------------------------------------------- */

static const struct {
	const char *pattern, *name;
	bool match;
} wild_rows[] = {
	{ "eth0", "eth0", true },
	{ "eth0", "eth01", false },
	{ "eth01", "eth0", false },
	{ "eth*", "eth0", true },
	{ "eth*", "eth", false },	/* '*' needs a character */
	{ "eth*", "et", false },
	{ "*", "anything", true },
	{ "*", "", false },
	{ "e*0", "ex", true },		/* the rest after '*' is not read */
	{ "br-*", "br-lan", true },
	{ "br-lan", "br-lan", true },
	{ "", "", true },
	{ "", "eth0", false },
};

static void
wildcards(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(wild_rows) / sizeof(wild_rows[0]); i++)
		if (iface_wildcard_match(wild_rows[i].pattern,
		    wild_rows[i].name) != wild_rows[i].match)
			fail_msg("\"%s\" vs \"%s\": want %d",
			    wild_rows[i].pattern, wild_rows[i].name,
			    wild_rows[i].match);
}

/* --- selection ------------------------------------------------------- */

static struct conf *
load(const char *text)
{
	char path[] = "/tmp/test_iface.XXXXXX";
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

struct sel_row {
	const char *name;	/* row name */
	const char *conf;
	const char *ifname;
	unsigned flags;
	const char *addr1, *addr2;	/* NULL: none */
	enum iface_sel want;
};

#define LO IFF_LOOPBACK
#define YES IFACE_SEL_YES
#define NO IFACE_SEL_NO
#define NOADDR IFACE_SEL_NOADDR

static const struct sel_row sel_rows[] = {
	{ "no options: any interface", "", "eth0", 0, "198.51.100.1", NULL,
	    YES },
	{ "no options: never loopback", "", "lo", LO, "127.0.0.1", NULL, NO },
	{ "no options: no address", "", "eth0", 0, NULL, NULL, NOADDR },
	{ "loopback without address", "", "lo", LO, NULL, NULL, NO },
	{ "interface= names it", "interface=eth0\n", "eth0", 0,
	    "198.51.100.1", NULL, YES },
	{ "interface= names another", "interface=eth0\n", "eth1", 0,
	    "198.51.100.1", NULL, NO },
	{ "interface= lists several", "interface=eth0,eth1\n", "eth1", 0,
	    "198.51.100.1", NULL, YES },
	{ "interface= names it, no address", "interface=eth0\n", "eth0", 0,
	    NULL, NULL, NOADDR },
	{ "interface= names another, no address", "interface=eth0\n", "eth1",
	    0, NULL, NULL, NO },
	{ "interface=lo is still loopback", "interface=lo\n", "lo", LO,
	    "127.0.0.1", NULL, NO },
	{ "wildcard matches", "interface=eth*\n", "eth5", 0, "198.51.100.1",
	    NULL, YES },
	{ "wildcard needs a character", "interface=eth*\n", "eth", 0,
	    "198.51.100.1", NULL, NO },
	{ "wildcard, other prefix", "interface=eth*\n", "wlan0", 0,
	    "198.51.100.1", NULL, NO },
	{ "except-interface", "except-interface=eth1\n", "eth1", 0,
	    "198.51.100.1", NULL, NO },
	{ "except-interface, another", "except-interface=eth1\n", "eth0", 0,
	    "198.51.100.1", NULL, YES },
	{ "except-interface wins over interface=",
	    "interface=eth*\nexcept-interface=eth1\n", "eth1", 0,
	    "198.51.100.1", NULL, NO },
	{ "except-interface wildcard", "except-interface=veth*\n", "veth9", 0,
	    "198.51.100.1", NULL, NO },
	{ "except-interface, no address", "except-interface=eth1\n", "eth1",
	    0, NULL, NULL, NO },
	{ "no-dhcp-interface", "no-dhcp-interface=eth0\n", "eth0", 0,
	    "198.51.100.1", NULL, NO },
	{ "no-dhcpv4-interface", "no-dhcpv4-interface=eth0\n", "eth0", 0,
	    "198.51.100.1", NULL, NO },
	{ "no-dhcp-interface wildcard", "no-dhcp-interface=wl*\n", "wlan0",
	    0, "198.51.100.1", NULL, NO },
	{ "no-dhcp-interface, no address: dnsmasq warns first",
	    "no-dhcp-interface=eth0\n", "eth0", 0, NULL, NULL, NOADDR },
	{ "no-dhcp-interface beats interface=",
	    "interface=eth0\nno-dhcp-interface=eth0\n", "eth0", 0,
	    "198.51.100.1", NULL, NO },
	{ "listen-address on the interface", "listen-address=198.51.100.1\n",
	    "eth0", 0, "198.51.100.1", NULL, YES },
	{ "listen-address elsewhere", "listen-address=198.51.100.1\n", "eth1",
	    0, "203.0.113.1", NULL, NO },
	{ "listen-address on a secondary address",
	    "listen-address=203.0.113.7\n", "eth0", 0, "198.51.100.1",
	    "203.0.113.7", YES },
	{ "listen-address beats except-interface",
	    "listen-address=198.51.100.1\nexcept-interface=eth0\n", "eth0", 0,
	    "198.51.100.1", NULL, YES },
	{ "listen-address does not beat no-dhcp-interface",
	    "listen-address=198.51.100.1\nno-dhcp-interface=eth0\n", "eth0",
	    0, "198.51.100.1", NULL, NO },
	{ "listen-address or interface=",
	    "listen-address=198.51.100.1\ninterface=eth1\n", "eth1", 0,
	    "203.0.113.1", NULL, YES },
	{ "listen-address only, no address", "listen-address=198.51.100.1\n",
	    "eth0", 0, NULL, NULL, NO },
	{ "listen-address on loopback", "listen-address=127.0.0.1\n", "lo", LO,
	    "127.0.0.1", NULL, NO },
	/* option.c: local-service=host emulates interface=lo */
	{ "local-service=host: no DHCP interface", "local-service=host\n",
	    "eth0", 0, "198.51.100.1", NULL, NO },
	{ "local-service=host, no address", "local-service=host\n", "eth0",
	    0, NULL, NULL, NO },
	{ "local-service=host with interface=: not in effect",
	    "local-service=host\ninterface=eth0\n", "eth0", 0,
	    "198.51.100.1", NULL, YES },
	{ "local-service (net): every interface", "local-service\n", "eth0",
	    0, "198.51.100.1", NULL, YES },
};

static void
selection(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sel_rows) / sizeof(sel_rows[0]); i++) {
		const struct sel_row *row = &sel_rows[i];
		struct conf *cf;
		struct iface ifp;
		enum iface_sel got;

		/* a build without DNS refuses local-service */
		if (strstr(row->conf, "local-service") != NULL &&
		    strstr(conf_features_string(), "no-DNS") != NULL)
			continue;
		cf = load(row->conf);
		memset(&ifp, 0, sizeof(ifp));
		snprintf(ifp.name, sizeof(ifp.name), "%s", row->ifname);
		ifp.flags = row->flags;
		if (row->addr1 != NULL) {
			ifp.addr[ifp.naddr].addr = ip4(row->addr1);
			ifp.addr[ifp.naddr++].prefixlen = 24;
		}
		if (row->addr2 != NULL) {
			ifp.addr[ifp.naddr].addr = ip4(row->addr2);
			ifp.addr[ifp.naddr++].prefixlen = 24;
		}
		got = iface_dhcp_select(cf, &ifp);
		conf_free(cf);
		if (got != row->want)
			fail_msg("row \"%s\": got %d, want %d", row->name, got,
			    row->want);
	}
}

/* --- the table through crafted rtnetlink messages --------------------- */

struct nlbuf {
	uint8_t b[4096] __attribute__((aligned(8)));
	size_t len;
	struct nlmsghdr *h;
};

static void
nl_begin(struct nlbuf *m, uint16_t type, const void *body, size_t blen)
{
	m->h = (struct nlmsghdr *)(m->b + m->len);
	memset(m->h, 0, NLMSG_SPACE(blen));
	m->h->nlmsg_type = type;
	m->h->nlmsg_len = (uint32_t)NLMSG_LENGTH(blen);
	memcpy(NLMSG_DATA(m->h), body, blen);
	m->len += NLMSG_ALIGN(m->h->nlmsg_len);
}

static void
nl_attr(struct nlbuf *m, uint16_t type, const void *p, size_t plen)
{
	struct rtattr *a = (struct rtattr *)(m->b + m->len);

	a->rta_type = type;
	a->rta_len = (uint16_t)RTA_LENGTH(plen);
	memset(RTA_DATA(a), 0, RTA_ALIGN(a->rta_len) - RTA_LENGTH(0));
	memcpy(RTA_DATA(a), p, plen);
	m->h->nlmsg_len = NLMSG_ALIGN(m->h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	m->len = (size_t)((uint8_t *)m->h - m->b) + m->h->nlmsg_len;
}

static void
nl_link(struct nlbuf *m, uint16_t type, int index, const char *name,
    unsigned mtu, unsigned flags)
{
	struct ifinfomsg ifi;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_type = ARPHRD_ETHER;
	ifi.ifi_index = index;
	ifi.ifi_flags = flags;
	nl_begin(m, type, &ifi, sizeof(ifi));
	nl_attr(m, IFLA_IFNAME, name, strlen(name) + 1);
	nl_attr(m, IFLA_MTU, &mtu, sizeof(mtu));
	nl_attr(m, IFLA_ADDRESS, mac, sizeof(mac));
}

static void
nl_addr(struct nlbuf *m, uint16_t type, int index, const char *addr,
    uint8_t prefixlen, const char *bcast)
{
	struct ifaddrmsg ifa;
	struct in_addr a = ip4(addr);

	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = AF_INET;
	ifa.ifa_prefixlen = prefixlen;
	ifa.ifa_index = (unsigned)index;
	nl_begin(m, type, &ifa, sizeof(ifa));
	nl_attr(m, IFA_ADDRESS, &a, 4);
	nl_attr(m, IFA_LOCAL, &a, 4);
	if (bcast != NULL) {
		a = ip4(bcast);
		nl_attr(m, IFA_BROADCAST, &a, 4);
	}
}

struct events {
	char log[1024];
};

static void
record(void *arg, struct iface *ifp, enum iface_event ev)
{
	static const char *const names[] = { "new", "change", "del", "addr" };
	struct events *e = arg;
	size_t l = strlen(e->log);

	snprintf(e->log + l, sizeof(e->log) - l, "%s%s:%d:%u", l ? " " : "",
	    names[ev], ifp->index, ifp->naddr);
}

static void
feed(struct iface_table *t, struct nlbuf *m)
{
	iface_table_feed(t, m->b, m->len);
	memset(m, 0, sizeof(*m));
}

static void
table_events(void **state)
{
	struct iface_table t;
	struct events e;
	struct nlbuf m;
	struct iface *ifp;

	(void)state;
	memset(&e, 0, sizeof(e));
	memset(&m, 0, sizeof(m));
	iface_table_init(&t, record, &e);

	nl_link(&m, RTM_NEWLINK, 5, "br-lan", 1500, IFF_UP);
	nl_addr(&m, RTM_NEWADDR, 5, "198.51.100.1", 24, "198.51.100.255");
	nl_link(&m, RTM_NEWLINK, 1, "lo", 65536, IFF_UP | IFF_LOOPBACK);
	nl_addr(&m, RTM_NEWADDR, 1, "127.0.0.1", 8, NULL);
	feed(&t, &m);
	assert_string_equal(e.log, "new:5:0 addr:5:1 new:1:0 addr:1:1");
	ifp = iface_find_name(&t, "br-lan");
	assert_non_null(ifp);
	assert_int_equal(ifp->index, 5);
	assert_int_equal(ifp->mtu, 1500);
	assert_int_equal(ifp->mac_len, 6);
	assert_int_equal(ifp->mac[5], 1);
	assert_int_equal(ifp->type, ARPHRD_ETHER);
	assert_int_equal(ifp->addr[0].prefixlen, 24);
	assert_int_equal(ifp->addr[0].addr.s_addr, ip4("198.51.100.1").s_addr);

	/* the same again: no event; a new MTU: a change */
	e.log[0] = '\0';
	nl_link(&m, RTM_NEWLINK, 5, "br-lan", 1500, IFF_UP);
	nl_addr(&m, RTM_NEWADDR, 5, "198.51.100.1", 24, "198.51.100.255");
	feed(&t, &m);
	assert_string_equal(e.log, "");
	nl_link(&m, RTM_NEWLINK, 5, "br-lan", 1400, IFF_UP);
	feed(&t, &m);
	assert_string_equal(e.log, "change:5:1");

	/* a second address, then removal of the first */
	e.log[0] = '\0';
	nl_addr(&m, RTM_NEWADDR, 5, "203.0.113.1", 24, NULL);
	nl_addr(&m, RTM_DELADDR, 5, "198.51.100.1", 24, "198.51.100.255");
	nl_addr(&m, RTM_DELADDR, 5, "198.51.100.9", 24, NULL);	/* unknown */
	feed(&t, &m);
	assert_string_equal(e.log, "addr:5:2 addr:5:1");
	assert_int_equal(ifp->addr[0].addr.s_addr, ip4("203.0.113.1").s_addr);

	/* OpenWrt reload: br-lan deleted, recreated with a new index */
	e.log[0] = '\0';
	nl_link(&m, RTM_DELLINK, 5, "br-lan", 1400, 0);
	nl_link(&m, RTM_NEWLINK, 9, "br-lan", 1500, IFF_UP);
	nl_addr(&m, RTM_NEWADDR, 9, "198.51.100.1", 24, NULL);
	feed(&t, &m);
	assert_string_equal(e.log, "del:5:1 new:9:0 addr:9:1");
	assert_null(iface_find(&t, 5));
	assert_int_equal(iface_find_name(&t, "br-lan")->index, 9);

	/* addresses of unknown interfaces and other families are ignored */
	e.log[0] = '\0';
	nl_addr(&m, RTM_NEWADDR, 77, "198.51.100.77", 24, NULL);
	feed(&t, &m);
	assert_string_equal(e.log, "");
	iface_table_close(&t);
}

static void
destinations(void **state)
{
	struct iface_table t;
	struct nlbuf m;
	struct iface *eth, *other;

	(void)state;
	memset(&m, 0, sizeof(m));
	iface_table_init(&t, NULL, NULL);
	nl_link(&m, RTM_NEWLINK, 2, "eth0", 1500, IFF_UP);
	nl_addr(&m, RTM_NEWADDR, 2, "198.51.100.1", 24, NULL);
	nl_addr(&m, RTM_NEWADDR, 2, "198.51.100.130", 25, "198.51.100.250");
	nl_link(&m, RTM_NEWLINK, 3, "eth1", 1500, IFF_UP);
	nl_addr(&m, RTM_NEWADDR, 3, "203.0.113.1", 24, NULL);
	feed(&t, &m);
	eth = iface_find(&t, 2);
	other = iface_find(&t, 3);
	assert_true(iface_dst_ok(&t, eth, ip4("255.255.255.255")));
	assert_true(iface_dst_ok(&t, eth, ip4("198.51.100.255")));
	assert_true(iface_dst_ok(&t, eth, ip4("198.51.100.250")));
	assert_true(iface_dst_ok(&t, eth, ip4("198.51.100.1")));
	assert_true(iface_dst_ok(&t, eth, ip4("198.51.100.130")));
	/* any of our addresses, as the weak host model delivers it */
	assert_true(iface_dst_ok(&t, eth, ip4("203.0.113.1")));
	/* another interface's subnet broadcast is not ours here */
	assert_false(iface_dst_ok(&t, eth, ip4("203.0.113.255")));
	assert_true(iface_dst_ok(&t, other, ip4("203.0.113.255")));
	assert_false(iface_dst_ok(&t, eth, ip4("198.51.100.2")));
	assert_false(iface_dst_ok(&t, eth, ip4("0.0.0.0")));
	assert_false(iface_dst_ok(&t, eth, ip4("224.0.0.1")));
	iface_table_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wildcards),
		cmocka_unit_test(selection),
		cmocka_unit_test(table_events),
		cmocka_unit_test(destinations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
