#!/usr/bin/env python3
"""bootclient.py - what a PXE ROM ends up booting, asked of a real server.

Sends the DISCOVER a PXE ROM of architecture ARCH sends (the options
pxemasq --explain builds: 57, 55, 60, 93, 94, 97), then does what the ROM
does next when the reply names no boot file (reference 4.6): a BIOS ROM
(arch < 6) given a menu asks the boot server on port 4011 for the menu's
first item; a UEFI ROM (arch >= 6) sent to siaddr without an address
(proxy DHCP) asks port 4011 without an item.  Prints the boot file
(option 67, else the file field) and server (option 66, else siaddr) of
the last reply, as "boot-file: F" and "boot-server: S" lines, the way
pxemasq --explain prints its result.  Written separately from
src/explain.c on purpose: the two must agree on dnsmasq's replies.

  bootclient.py IFACE SERVER_IP SERVER_MAC ARCH MAC [USER_CLASS]

USER_CLASS: option 77 as iPXE sends it (raw text).
"""

import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
    "..", "dhcp"))
import dhcpraw  # noqa: E402

PRL_ROM97 = dhcpraw.PRL_ROM + [97]


def pxe_options(arch, mac):
	undi = "002001" if arch == 0 else "003016"
	uuid = [0] + [dhcpraw.mac_b(mac)[i % 6] for i in range(1, 17)]
	return [[57, [0x04, 0xec]], [55, PRL_ROM97],
	    [60, "PXEClient:Arch:%05d:UNDI:%s" % (arch, undi)],
	    [93, list(struct.pack("!H", arch))],
	    [94, [1, 2, 1] if arch == 0 else [1, 3, 0]], [97, uuid]]


def text(b):
	return b.split(b"\0")[0].decode("latin-1")


def boot_of(r):
	o67 = dhcpraw.opt(r, 67)
	o66 = dhcpraw.opt(r, 66)
	f = text(o67) if o67 is not None else r.get("file", "")
	s = text(o66) if o66 is not None else r["siaddr"]
	return f or "", s


def first_item(r):
	"""Type of the first menu entry of option 43 sub-option 9, or None."""
	v = dhcpraw.opt(r, 43) or b""
	i = 0
	while i < len(v) and v[i] != 255:
		if v[i] == 0:
			i += 1
			continue
		if i + 2 > len(v):
			break
		code, ln = v[i], v[i + 1]
		if code == 9 and ln >= 3 and i + 4 < len(v):
			return v[i + 2] << 8 | v[i + 3]
		i += 2 + ln
	return None


def main():
	iface, server, smac, arch, mac = sys.argv[1:6]
	arch = int(arch)
	cl = dhcpraw.Client(iface, smac)
	opts = pxe_options(arch, mac)
	if len(sys.argv) > 6:
		opts.append([77, sys.argv[6]])
	r = cl.exchange({"xid": 0x5100 + arch, "msg": dhcpraw.DISCOVER,
	    "mac": mac, "flags": 0x8000, "options": opts})
	if not r:
		print("boot-file: (none)\nboot-server: (none)\nno reply")
		return 0
	last = r[0]
	f, _ = boot_of(last)
	item = first_item(last) if arch < 6 else None
	ask = not f and ((arch < 6 and item) or (arch >= 6 and
	    last["yiaddr"] == "0.0.0.0" and last["siaddr"] != "0.0.0.0"))
	if ask:
		ci = last["yiaddr"]
		if ci == "0.0.0.0":
			n = struct.unpack("!I", socket.inet_aton(server))[0] + 1
			ci = socket.inet_ntoa(struct.pack("!I", n))
		o = [x for x in opts]
		if item:
			o.append([43, [71, 4, item >> 8, item & 0xff, 0, 0, 255]])
		spec = {"xid": 0x5200 + arch, "msg": dhcpraw.REQUEST,
		    "mac": mac, "ciaddr": ci, "ip_src": ci, "ip_dst": server,
		    "eth_dst": "server", "dport": 4011, "options": o,
		    "claim": {ci: mac}}
		r2 = cl.exchange(spec)
		if r2:
			last = r2[0]
	f, s = boot_of(last)
	print("boot-file: %s\nboot-server: %s" % (f or "(none)", s))
	return 0


if __name__ == "__main__":
	sys.exit(main())
