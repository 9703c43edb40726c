#!/usr/bin/env python3
"""dhcpraw.py - a DHCPv4 client on a raw packet socket, for the compat tests.

Crafts Ethernet/IPv4/UDP/BOOTP frames byte by byte (standard library only,
so no packet library decides the option order or the padding for us),
sends them out of one interface and records every reply with the same xid
as a JSON object: the BOOTP fields, the options in packet order with their
bytes, the UDP ports, the IP addresses, the Ethernet addresses and the UDP
payload length.  While it waits it answers ARP requests for the addresses
the crafted client claims (its ciaddr, the relay's address), so that a
server's unicast reply can reach us without a kernel address.

Subcommands (run inside the client network namespace, as root):
  record OUT          send the fixed case list (CASES) in order, write one
                      JSON line per case to OUT
  one SPEC            send one packet described by a JSON object (see
                      build_packet), print one JSON line
  dora MAC...         DISCOVER/OFFER/REQUEST/ACK for each MAC in turn;
                      prints "MAC ADDRESS" per client (ADDRESS "-" on
                      failure)
  sdbm MAC START END  the address dnsmasq's hash picks first in a range
                      (reference section 3.7), no network needed
"""

import argparse
import json
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
PACKET_OUTGOING = 4
COOKIE = b"\x63\x82\x53\x63"
BCAST_MAC = "ff:ff:ff:ff:ff:ff"

SERVER = "198.51.100.1"
RELAY = "203.0.113.1"
RELAY_GW = "198.51.100.2"

# Message types (option 53).
DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM = range(1, 9)


def mac_b(s):
	return bytes.fromhex(s.replace(":", "").replace("-", ""))


def mac_s(b):
	return ":".join("%02x" % x for x in b)


def ip_b(s):
	return socket.inet_aton(s)


def ip_s(b):
	return socket.inet_ntoa(b)


def csum(data):
	if len(data) % 2:
		data += b"\0"
	s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
	while s >> 16:
		s = (s & 0xffff) + (s >> 16)
	return ~s & 0xffff


def udp_frame(eth_src, eth_dst, ip_src, ip_dst, sport, dport, payload):
	ulen = 8 + len(payload)
	hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0, 64, 17,
	    0, ip_b(ip_src), ip_b(ip_dst))
	hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
	pseudo = ip_b(ip_src) + ip_b(ip_dst) + struct.pack("!BBH", 0, 17, ulen)
	udp = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
	c = csum(pseudo + udp) or 0xffff
	udp = udp[:6] + struct.pack("!H", c) + udp[8:]
	return mac_b(eth_dst) + mac_b(eth_src) + b"\x08\x00" + hdr + udp


def opt_bytes(code, val):
	"""A value of a spec's option list: str (text or dotted quad for
	address options), int list (bytes), or "hex:..."."""
	if isinstance(val, list):
		return bytes(val)
	if isinstance(val, int):
		return struct.pack("!I", val)
	if val.startswith("hex:"):
		return bytes.fromhex(val[4:].replace(":", ""))
	if code in (50, 54) or (code in (1, 3, 6, 28) and val[0].isdigit()):
		return ip_b(val)
	return val.encode()


def bootp_payload(spec):
	"""BOOTP/DHCP message from a spec (all keys optional):
	op htype hlen hops xid secs flags ciaddr yiaddr siaddr giaddr mac
	sname file; msg (option 53, omitted for BOOTP); options: list of
	[code, value] sent in that order after 53; cookie (default true);
	end (append 255, default true); raw_options: hex appended after the
	cookie instead of building options; pad (minimum length, 300)."""
	mac = mac_b(spec.get("mac", "52:54:00:12:34:56"))
	hlen = spec.get("hlen", len(mac))
	chaddr = mac[:16].ljust(16, b"\0")
	p = struct.pack("!BBBBIHH4s4s4s4s16s64s128s",
	    spec.get("op", 1), spec.get("htype", 1), hlen, spec.get("hops", 0),
	    spec["xid"], spec.get("secs", 0), spec.get("flags", 0),
	    ip_b(spec.get("ciaddr", "0.0.0.0")),
	    ip_b(spec.get("yiaddr", "0.0.0.0")),
	    ip_b(spec.get("siaddr", "0.0.0.0")),
	    ip_b(spec.get("giaddr", "0.0.0.0")), chaddr,
	    spec.get("sname", "").encode(), spec.get("file", "").encode())
	if spec.get("cookie", True):
		p += COOKIE
	if "raw_options" in spec:
		p += bytes.fromhex(spec["raw_options"])
	else:
		if spec.get("msg"):
			p += bytes([53, 1, spec["msg"]])
		for code, val in spec.get("options", []):
			b = opt_bytes(code, val)
			p += bytes([code, len(b)]) + b
		if spec.get("end", True):
			p += b"\xff"
	return p.ljust(spec.get("pad", 300), b"\0")


def text_field(b):
	s = b.rstrip(b"\0")
	if all(32 <= c < 127 for c in s):
		return s.decode()
	return "hex:" + s.hex()


def parse_options(data):
	"""Options in packet order as [code, hex]; pads skipped; stops at
	255.  A truncated option is recorded as [code, "trunc:" + hex]."""
	out = []
	i = 0
	while i < len(data):
		code = data[i]
		if code == 0:
			i += 1
			continue
		if code == 255:
			out.append([255, ""])
			break
		if i + 1 >= len(data) or i + 2 + data[i + 1] > len(data):
			out.append([code, "trunc:" + data[i + 1:].hex()])
			break
		n = data[i + 1]
		out.append([code, data[i + 2:i + 2 + n].hex()])
		i += 2 + n
	return out


def parse_frame(frame):
	"""A received frame as a dict, or None if it is not IPv4/UDP/BOOTP."""
	if len(frame) < 14 + 20 + 8 + 236:
		return None
	if struct.unpack("!H", frame[12:14])[0] != ETH_P_IP:
		return None
	ihl = (frame[14] & 0x0f) * 4
	if frame[23] != 17:
		return None
	ip = frame[14:14 + ihl]
	udp = frame[14 + ihl:14 + ihl + 8]
	sport, dport, ulen = struct.unpack("!HHH", udp[:6])
	pl = frame[14 + ihl + 8:14 + ihl + ulen]
	if len(pl) < 236:
		return None
	(op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr,
	    giaddr, chaddr, sname, bfile) = struct.unpack(
	    "!BBBBIHH4s4s4s4s16s64s128s", pl[:236])
	r = {
		"eth_dst": mac_s(frame[0:6]), "eth_src": mac_s(frame[6:12]),
		"ip_src": ip_s(ip[12:16]), "ip_dst": ip_s(ip[16:20]),
		"udp_sport": sport, "udp_dport": dport, "len": len(pl),
		"op": op, "htype": htype, "hlen": hlen, "hops": hops,
		"xid": xid, "secs": secs, "flags": flags,
		"ciaddr": ip_s(ciaddr), "yiaddr": ip_s(yiaddr),
		"siaddr": ip_s(siaddr), "giaddr": ip_s(giaddr),
		"chaddr": chaddr.hex(), "sname": text_field(sname),
		"file": text_field(bfile),
	}
	if pl[236:240] == COOKIE:
		r["cookie"] = True
		r["options"] = parse_options(pl[240:])
	else:
		r["cookie"] = False
		r["options"] = []
		r["vend"] = pl[236:].rstrip(b"\0").hex()
	return r


class Client:
	def __init__(self, iface, server_mac):
		self.iface = iface
		self.server_mac = server_mac
		self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
		    socket.htons(ETH_P_ALL))
		self.sock.bind((iface, 0))
		with open("/sys/class/net/%s/address" % iface) as f:
			self.if_mac = f.read().strip()
		# ARP answers: address -> MAC.  The relay gateway is us.
		self.arp = {RELAY_GW: self.if_mac}

	def send_frame(self, frame):
		self.sock.send(frame)

	def arp_reply(self, frame):
		if len(frame) < 42 or frame[12:14] != b"\x08\x06":
			return
		oper = struct.unpack("!H", frame[20:22])[0]
		tip = ip_s(frame[38:42])
		if oper != 1 or tip not in self.arp:
			return
		mac = mac_b(self.arp[tip])
		reply = (frame[6:12] + mac + b"\x08\x06" + frame[14:20] +
		    b"\x00\x02" + mac + frame[38:42] + frame[22:28] +
		    frame[28:32])
		self.sock.send(reply)

	def wait(self, xid, first, linger):
		"""Replies (op 2) with this xid: wait up to FIRST seconds for
		the first, then LINGER seconds for more."""
		out = []
		deadline = time.monotonic() + first
		while True:
			left = deadline - time.monotonic()
			if left <= 0:
				return out
			r, _, _ = select.select([self.sock], [], [], left)
			if not r:
				continue
			frame, addr = self.sock.recvfrom(65535)
			if addr[2] == PACKET_OUTGOING:
				continue
			self.arp_reply(frame)
			p = parse_frame(frame)
			if not p or p["op"] != 2 or p["xid"] != xid:
				continue
			out.append(p)
			if len(out) == 1:
				deadline = time.monotonic() + linger
			if len(out) >= 4:
				return out

	def exchange(self, spec, first=3.0, linger=0.15):
		for ip, mac in spec.get("claim", {}).items():
			self.arp[ip] = mac
		payload = bootp_payload(spec)
		frame = udp_frame(spec.get("eth_src", spec.get("mac",
		    "52:54:00:12:34:56")),
		    spec.get("eth_dst", BCAST_MAC) if spec.get("eth_dst") !=
		    "server" else self.server_mac,
		    spec.get("ip_src", "0.0.0.0"),
		    spec.get("ip_dst", "255.255.255.255"),
		    spec.get("sport", 68), spec.get("dport", 67), payload)
		self.send_frame(frame)
		if spec.get("expect", "reply") == "none":
			first = min(first, 0.6)
		return self.wait(spec["xid"], first, linger)


def opt(reply, code):
	for c, v in reply.get("options", []):
		if c == code:
			return bytes.fromhex(v)
	return None


def msgtype(reply):
	v = opt(reply, 53)
	return v[0] if v else 0


# The requested-parameter list of an Intel PXE ROM (reference Appendix A).
PRL_ROM = [1, 2, 3, 5, 6, 11, 12, 13, 15, 16, 17, 18, 22, 23, 28, 40, 41,
    42, 43, 50, 51, 54, 58, 59, 60, 66, 67, 128, 129, 130, 131, 132, 133,
    134, 135]
PRL_BASE = [1, 3, 6, 28, 51, 54, 58, 59]
PRL_NAMES = [1, 3, 6, 12, 15, 28, 51, 54, 58, 59]
MAC_A = "52:54:00:12:34:56"      # the reference's client (.107, .157)
MAC_B = "52:54:00:00:00:0b"      # a second dynamic client
MAC_C = "52:54:00:00:00:c0"      # dhcp-host ...,198.51.100.21,fixedhost,2h
MAC_D = "52:54:00:00:00:0d"      # never gets a lease
MAC_BOOTP = "52:54:00:00:00:b0"  # dhcp-host ...,198.51.100.20,bootphost
MAC_R = "52:54:00:00:00:5e"      # behind the relay
PXE_OPTS = [[60, "PXEClient:Arch:00000:UNDI:002001"], [93, [0, 0]],
    [94, [1, 2, 1]], [97, [0] + list(range(0x11, 0x21))]]

# The fixed case list of the raw differential mode, sent in this order
# against the configuration raw.conf of test.sh.  "@CASE" in an address
# field is the yiaddr of that case's first reply.  xids are fixed so that
# two recordings can be compared field by field.
CASES = [
	{"case": "discover_basic", "msg": DISCOVER, "mac": MAC_A,
	    "options": [[55, PRL_BASE]]},
	{"case": "discover_no55", "msg": DISCOVER, "mac": MAC_A},
	{"case": "discover_prl_rom", "msg": DISCOVER, "mac": MAC_A,
	    "options": [[57, [4, 0xec]], [55, PRL_ROM]]},
	{"case": "discover_57_small", "msg": DISCOVER, "mac": MAC_A,
	    "options": [[57, [1, 0]], [55, PRL_NAMES]]},
	{"case": "discover_bcast", "msg": DISCOVER, "mac": MAC_A,
	    "flags": 0x8000, "options": [[55, PRL_BASE]]},
	{"case": "discover_clid", "msg": DISCOVER, "mac": MAC_B,
	    "options": [[61, [1] + list(mac_b(MAC_B))], [55, PRL_BASE]]},
	{"case": "discover_hostname", "msg": DISCOVER, "mac": MAC_B,
	    "options": [[12, "rawclient"], [55, PRL_NAMES]]},
	{"case": "discover_pxe", "msg": DISCOVER, "mac": MAC_B,
	    "options": PXE_OPTS + [[55, PRL_ROM]]},
	{"case": "discover_host", "msg": DISCOVER, "mac": MAC_C,
	    "options": [[55, PRL_NAMES]]},
	{"case": "request_selecting", "msg": REQUEST, "mac": MAC_A,
	    "options": [[50, "@discover_basic"], [54, SERVER],
	    [55, PRL_NAMES]]},
	{"case": "request_host", "msg": REQUEST, "mac": MAC_C,
	    "options": [[50, "@discover_host"], [54, SERVER],
	    [55, PRL_NAMES]]},
	{"case": "request_other_server", "msg": REQUEST, "mac": MAC_B,
	    "options": [[50, "@discover_clid"], [54, "198.51.100.77"],
	    [55, PRL_BASE]], "expect": "none"},
	{"case": "request_renew", "msg": REQUEST, "mac": MAC_A,
	    "ciaddr": "@discover_basic", "ip_src": "@discover_basic",
	    "ip_dst": SERVER, "eth_dst": "server",
	    "options": [[55, PRL_NAMES]]},
	{"case": "request_rebind", "msg": REQUEST, "mac": MAC_A,
	    "ciaddr": "@discover_basic", "ip_src": "@discover_basic",
	    "options": [[55, PRL_NAMES]]},
	{"case": "request_initreboot", "msg": REQUEST, "mac": MAC_A,
	    "options": [[50, "@discover_basic"], [55, PRL_NAMES]]},
	{"case": "request_initreboot_wrong", "msg": REQUEST, "mac": MAC_A,
	    "options": [[50, "198.51.100.99"], [55, PRL_NAMES]]},
	{"case": "request_initreboot_unknown", "msg": REQUEST, "mac": MAC_D,
	    "options": [[50, "198.51.100.98"], [55, PRL_NAMES]],
	    "expect": "none"},
	{"case": "inform", "msg": INFORM, "mac": MAC_A,
	    "ciaddr": "@discover_basic", "ip_src": "@discover_basic",
	    "ip_dst": SERVER, "eth_dst": "server",
	    "options": [[55, PRL_NAMES]]},
	{"case": "decline", "msg": DECLINE, "mac": MAC_B,
	    "options": [[50, "@discover_clid"], [54, SERVER]],
	    "expect": "none"},
	{"case": "discover_after_decline", "msg": DISCOVER, "mac": MAC_B,
	    "options": [[55, PRL_BASE]]},
	{"case": "release", "msg": RELEASE, "mac": MAC_A,
	    "ciaddr": "@discover_basic", "ip_src": "@discover_basic",
	    "ip_dst": SERVER, "eth_dst": "server",
	    "options": [[54, SERVER]], "expect": "none"},
	{"case": "renew_after_release", "msg": REQUEST, "mac": MAC_A,
	    "ciaddr": "@discover_basic", "ip_src": "@discover_basic",
	    "ip_dst": SERVER, "eth_dst": "server",
	    "options": [[55, PRL_NAMES]]},
	{"case": "relay_discover", "msg": DISCOVER, "mac": MAC_R,
	    "giaddr": RELAY, "hops": 1, "ip_src": RELAY, "ip_dst": SERVER,
	    "eth_dst": "server", "sport": 67, "eth_src": "if",
	    "options": [[55, PRL_BASE]]},
	{"case": "bootp", "mac": MAC_BOOTP},
	{"case": "bootp_unknown", "mac": MAC_D, "expect": "none"},
	{"case": "discover_truncated", "mac": MAC_D, "expect": "none",
	    "raw_options": "350101" "3704010306", "pad": 0},
	{"case": "discover_no_cookie_53", "mac": MAC_D, "cookie": False,
	    "raw_options": "350101ff", "expect": "none"},
]

ADDR_KEYS = ("ciaddr", "yiaddr", "siaddr", "giaddr", "ip_src", "ip_dst")


def resolve(spec, seen, if_mac):
	"""Copy of SPEC with "@CASE" references replaced."""
	def ref(v):
		if isinstance(v, str) and v.startswith("@"):
			r = seen.get(v[1:])
			return r["yiaddr"] if r else "0.0.0.0"
		return v
	s = dict(spec)
	for k in ADDR_KEYS:
		if k in s:
			s[k] = ref(s[k])
	s["options"] = [[c, ref(v)] for c, v in s.get("options", [])]
	if s.get("eth_src") == "if":
		s["eth_src"] = if_mac
	if s.get("ciaddr", "0.0.0.0") != "0.0.0.0":
		s["claim"] = {s["ciaddr"]: s.get("mac", MAC_A)}
	return s


def cmd_record(cl, out):
	seen = {}
	with open(out, "w") as f:
		for i, case in enumerate(CASES):
			spec = resolve(case, seen, cl.if_mac)
			spec["xid"] = 0x1000 + i
			replies = cl.exchange(spec)
			if replies:
				seen[case["case"]] = replies[0]
			f.write(json.dumps({"case": case["case"],
			    "replies": replies}, sort_keys=True) + "\n")


def cmd_one(cl, spec_json):
	spec = json.loads(spec_json)
	spec.setdefault("xid", 0x4242)
	spec = resolve(spec, {}, cl.if_mac)
	replies = cl.exchange(spec, first=float(spec.get("wait", 3.0)))
	print(json.dumps({"case": spec.get("case", "one"),
	    "replies": replies}, sort_keys=True))


def cmd_dora(cl, macs, wait):
	for n, mac in enumerate(macs):
		xid = 0x2000 + n
		r = cl.exchange({"xid": xid, "msg": DISCOVER, "mac": mac,
		    "options": [[55, PRL_BASE]]}, first=wait)
		offer = next((x for x in r if msgtype(x) == OFFER), None)
		if not offer:
			print(mac, "-")
			continue
		r = cl.exchange({"xid": xid + 0x100, "msg": REQUEST,
		    "mac": mac, "options": [[50, offer["yiaddr"]],
		    [54, ip_s(opt(offer, 54))], [55, PRL_BASE]]}, first=wait)
		ack = next((x for x in r if msgtype(x) == ACK), None)
		print(mac, ack["yiaddr"] if ack else "-")
	sys.stdout.flush()


def sdbm(mac, start, end):
	"""dnsmasq's first candidate (reference section 3.7), epoch 0."""
	h = 0
	for b in mac_b(mac):
		h = (b + (h << 6) + (h << 16) - h) & 0xffffffff
	if h == 0:
		h = 1
	s = struct.unpack("!I", ip_b(start))[0]
	e = struct.unpack("!I", ip_b(end))[0]
	return ip_s(struct.pack("!I", s + h % (e - s + 1)))


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--iface", default="pxv1")
	ap.add_argument("--server-mac", default="02:00:00:00:00:01")
	ap.add_argument("--wait", type=float, default=3.0)
	ap.add_argument("cmd")
	ap.add_argument("args", nargs="*")
	a = ap.parse_args()
	if a.cmd == "sdbm":
		print(sdbm(*a.args))
		return 0
	cl = Client(a.iface, a.server_mac)
	if a.cmd == "record":
		cmd_record(cl, a.args[0])
	elif a.cmd == "one":
		cmd_one(cl, a.args[0])
	elif a.cmd == "dora":
		cmd_dora(cl, a.args, a.wait)
	else:
		ap.error("unknown command " + a.cmd)
	return 0


if __name__ == "__main__":
	sys.exit(main())
