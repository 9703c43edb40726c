/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iface.h - the machine's interfaces and their IPv4 addresses, followed
 * through rtnetlink, and the choice of DHCP interfaces (L3).
 *
 * iface_table_open() subscribes to link and IPv4 address events, then
 * dumps links and addresses; afterwards the shell calls iface_table_read()
 * whenever the descriptor is readable.  Every change reaches the callback:
 * a new ifindex (an interface recreated under the same name, as OpenWrt
 * does with br-lan on reload, is a DEL of the old index and a NEW of the
 * new one: the shell closes the old raw socket and opens one on the new
 * index), a change of name, flags, MTU or MAC, a deletion, or a change of
 * its IPv4 addresses.  When the kernel reports lost events (ENOBUFS) the
 * table dumps everything again and reports the differences.
 *
 * iface_table_feed() applies rtnetlink messages from a buffer: the tests
 * drive the table with it, without a socket.
 *
 * Selection (iface_dhcp_select) is a pure function of the configuration
 * and one interface, as dnsmasq 2.90 decides per DHCP packet (reference
 * section 2; dhcp.c and network.c iface_check):
 *  - never on a loopback interface;
 *  - an interface without an IPv4 address whose name passes the
 *    interface=/except-interface test is IFACE_SEL_NOADDR: its packets are
 *    dropped with "DHCP packet received on IF which has no address";
 *  - no-dhcp-interface (no-dhcpv4-interface) names are not served;
 *  - an interface holding a listen-address is served, even when
 *    except-interface names it;
 *  - otherwise, when interface= or listen-address is given, the name must
 *    match an interface= name; and no except-interface name may match.
 * Names match as dnsmasq's wildcard_match(): equal, or equal up to a '*'
 * in the pattern after which anything (at least one character) follows.
 */
#ifndef PXEMASQ_IFACE_H
#define PXEMASQ_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

struct conf;

#define IFACE_MAX 4096		/* interfaces tracked; more are ignored */
#define IFACE_MAX_ADDRS 32	/* IPv4 addresses per interface */
#define IFACE_HWADDR_MAX 32	/* IFLA_ADDRESS bytes kept */

struct iface_addr {
	struct in_addr addr;	/* IFA_LOCAL (else IFA_ADDRESS) */
	struct in_addr bcast;	/* IFA_BROADCAST; INADDR_ANY when none */
	uint8_t prefixlen;
};

struct iface {
	int index;
	char name[IF_NAMESIZE];
	unsigned short type;	/* ARPHRD_* */
	unsigned flags;		/* IFF_* */
	uint32_t mtu;
	uint8_t mac[IFACE_HWADDR_MAX];
	uint8_t mac_len;
	unsigned naddr;		/* kernel order: primary addresses first */
	struct iface_addr addr[IFACE_MAX_ADDRS];
	void *user;		/* the shell's state; kept across changes */
	unsigned gen;		/* for re-dumps */
};

enum iface_event {
	IFACE_EV_NEW,		/* a new ifindex */
	IFACE_EV_CHANGE,	/* name, type, flags, MTU or MAC changed */
	IFACE_EV_DEL,		/* gone; ifp is freed after the callback */
	IFACE_EV_ADDR,		/* its IPv4 addresses changed */
};

/* Called for every change; ifp is borrowed (valid until the next call
 * into the table, and for DEL only during the callback). */
typedef void iface_cb(void *arg, struct iface *ifp, enum iface_event ev);

struct iface_table {
	int fd;			/* rtnetlink socket; -1 when closed */
	struct iface **v;	/* owned */
	unsigned n, cap;
	iface_cb *cb;
	void *cb_arg;
	uint32_t seq;
	unsigned gen;
	unsigned long dropped;	/* interfaces or addresses over the caps */
	unsigned long resyncs;	/* re-dumps after lost events */
	bool lost;		/* events lost (ENOBUFS) since the last dump */
};

/* Initialises t without a socket (for iface_table_feed). */
void iface_table_init(struct iface_table *t, iface_cb *cb, void *arg);
/* iface_table_init, then opens the rtnetlink socket and dumps links and
 * addresses (callbacks run for each).  Returns 0 or -errno. */
int iface_table_open(struct iface_table *t, iface_cb *cb, void *arg);
/* Frees every interface (without callbacks) and closes the socket. */
void iface_table_close(struct iface_table *t);
/* Reads and applies every queued message (the fd is non-blocking).
 * Returns 0 or -errno; lost events are repaired by a re-dump. */
int iface_table_read(struct iface_table *t);
/* Applies a buffer of rtnetlink messages (RTM_NEWLINK, RTM_DELLINK,
 * RTM_NEWADDR, RTM_DELADDR; others ignored).  Returns the number of
 * messages applied. */
unsigned iface_table_feed(struct iface_table *t, void *buf, size_t len);

struct iface *iface_find(const struct iface_table *t, int index);
struct iface *iface_find_name(const struct iface_table *t, const char *name);

/* True when ip is broadcast for ifp (255.255.255.255, or a subnet
 * broadcast of one of its addresses) or is an address of any interface in
 * t: the destinations a DHCP frame arriving on ifp may have. */
bool iface_dst_ok(const struct iface_table *t, const struct iface *ifp,
    struct in_addr ip);

/* dnsmasq's wildcard_match(). */
bool iface_wildcard_match(const char *pattern, const char *name);
/* Some entry of l (interface=, except-interface=, ...) matches name. */
struct conf_strlist;
bool iface_name_listed(const struct conf_strlist *l, const char *name);

enum iface_sel {
	IFACE_SEL_NO = 0,	/* not a DHCP interface */
	IFACE_SEL_NOADDR,	/* would be, but has no IPv4 address */
	IFACE_SEL_YES,
};
enum iface_sel iface_dhcp_select(const struct conf *cf,
    const struct iface *ifp);

#endif
