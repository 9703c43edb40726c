#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/dhcp/gen.py - input files of the DHCP benchmark.

Usage: gen.py leases COUNT EXPIRY > FILE
       gen.py macs COUNT > FILE

leases: COUNT leases in dnsmasq 2.90's lease-file format
    EXPIRY MAC IP HOSTNAME CLIENTID
all expiring at EXPIRY (absolute time_t, in the future), hostname "*",
client identifier 01:MAC as perfdhcp's clients send it.  The addresses are
COUNT distinct addresses of bench.conf's range 198.18.0.10 - 198.19.255.250
(inside 198.18.0.0/15), chosen by a seeded shuffle so that they are spread
over the range as a hashing server leaves them (a contiguous block would
make every address search walk it).  MACs 02:bb:NN:NN:NN:NN.

macs: COUNT distinct random MACs 02:cc:XX:XX:XX:XX for perfdhcp -M.
perfdhcp's own client MACs (-R) are sequential, and dnsmasq's address hash
maps sequential MACs onto overlapping runs of addresses: at more than a few
hundred DORA/s most clients would then be offered an address that another
client is still requesting, and would get a NAK, from both servers alike.
Random MACs spread the clients over the range as real ones are.

The output depends only on the arguments (fixed seeds).
"""
import ipaddress
import random
import sys

FIRST = int(ipaddress.IPv4Address("198.18.0.10"))
LAST = int(ipaddress.IPv4Address("198.19.255.250"))


def mac(prefix, n):
    return "%s:%02x:%02x:%02x:%02x" % (
        prefix, (n >> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255)


def leases(count, expiry):
    if count > LAST - FIRST + 1:
        sys.exit("gen.py: more leases than addresses")
    rng = random.Random(20240401)
    out = []
    for i, a in enumerate(rng.sample(range(FIRST, LAST + 1), count)):
        m = mac("02:bb", i)
        out.append("%d %s %s * 01:%s\n" % (
            expiry, m, ipaddress.IPv4Address(a), m))
    return out


def macs(count):
    rng = random.Random(20240402)
    return [mac("02:cc", n) + "\n" for n in rng.sample(range(1 << 32), count)]


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "leases":
        out = leases(int(a[1]), int(a[2]))
    elif len(a) == 2 and a[0] == "macs":
        out = macs(int(a[1]))
    else:
        sys.exit(__doc__.strip().splitlines()[2] + "\n" +
                 __doc__.strip().splitlines()[3])
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
