/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * addrwatch.h - bind-dynamic's view of the machine's addresses (L3): an
 * rtnetlink socket for IPv4 and IPv6 address events on the event loop,
 * and dnsmasq 2.90's choice of the addresses to bind (network.c
 * iface_allowed() and iface_check(), create_bound_listeners()).
 *
 * As dnsmasq (netlink.c nl_async(), newaddress()), an event says only
 * "something changed": the owner then walks the addresses present
 * (addrwatch_each(), getifaddrs()) and the listen-address lines
 * (addrwatch_listen_each()), opens sockets for the new ones and closes
 * those of addresses gone.  DNS (dnsd.c) and TFTP (tftpd.c) each keep
 * their own sockets and watch.
 */
#ifndef PXEMASQ_ADDRWATCH_H
#define PXEMASQ_ADDRWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <sys/socket.h>

#include "ev.h"

struct conf;

typedef void addrwatch_fn(void *arg);

struct addrwatch {
	struct ev_loop *ev;
	struct ev_io io;	/* the rtnetlink socket; fd -1: closed */
	addrwatch_fn *cb;
	void *arg;
	unsigned long events;	/* wake-ups that reported a change */
};

/* An address to bind: port set, IPv6 link-local with its scope. */
struct addrwatch_addr {
	struct sockaddr_storage sa;
	socklen_t salen;
	char ifname[IF_NAMESIZE];	/* "" for a listen-address */
	int ifindex;			/* 0 for a listen-address */
};

/* Opens the socket (address groups), on ev; cb(arg) runs after each
 * read that saw an address event or lost events.  Returns 0 or -errno
 * (dnsmasq: "cannot create netlink socket: %s", exit 5). */
int addrwatch_open(struct addrwatch *w, struct ev_loop *ev,
    addrwatch_fn *cb, void *arg);
void addrwatch_init(struct addrwatch *w);
void addrwatch_close(struct addrwatch *w);

/* iface_check() for binding: with interface= or listen-address, an
 * address of an interface= interface (loopback interfaces count as named
 * when interface= is given) or a listen-address; then except-interface
 * takes out what it names, except listen-addresses. */
bool addrwatch_wanted(const struct conf *cf, const char *label,
    bool loopback, int fam, const void *a);

typedef int addrwatch_each_fn(void *arg, const struct addrwatch_addr *a);

/* Calls fn for each address present that addrwatch_wanted() takes (on
 * port).  Returns 0, fn's first negative value, or -errno when the
 * addresses cannot be read (dnsmasq: "failed to find list of
 * interfaces: %s", exit 5). */
int addrwatch_each(const struct conf *cf, uint16_t port,
    addrwatch_each_fn *fn, void *arg);
/* Calls fn for each listen-address line (ifindex 0).  Returns 0 or fn's
 * first negative value. */
int addrwatch_listen_each(const struct conf *cf, uint16_t port,
    addrwatch_each_fn *fn, void *arg);

/* util.c prettyprint_addr(): the address, with "%IF" after a scoped
 * IPv6 one. */
void addrwatch_text(const struct sockaddr_storage *ss, char *buf,
    size_t sz);
/* Same family, address and scope (ports not compared). */
bool addrwatch_same(const struct sockaddr_storage *x,
    const struct sockaddr_storage *y);

#endif
