#!/usr/bin/env python3
"""dhcpload.py - a fast raw DHCPv4 load client for the crash tests.

Standard library only.  Frames are built with compat-tests/dhcp/dhcpraw.py's
helpers and sent on an AF_PACKET socket; a classic BPF filter lets only
UDP to port 68 reach us, so the client keeps up with the server.

Subcommands (run inside the client network namespace, as root):
  dora OUT        DISCOVER/OFFER/REQUEST/ACK for COUNT distinct MACs
                  (MAC = PREFIX:hh:hh:hh from START on), WINDOW clients in
                  flight at once, each retransmitting after RETRY seconds,
                  TRIES times at most.  "MAC IP" is appended to OUT (one
                  write, flushed) only once the ACK was received, so a
                  line in OUT is a lease whose ACK a client saw.  RATE:
                  at most this many new clients a second (0: no limit).
                  Clients that got no ACK are printed as "MAC - WHY";
                  --until-fail: no new client after the first of them.
  reboot IN OUT   for each "MAC IP" line of IN, a REQUEST in INIT-REBOOT
                  state (option 50, no server id, ciaddr 0); writes
                  "MAC IP RESULT YIADDR" to OUT, RESULT ack, nak or none.
  request OUT MAC [IP]
                  one client: DORA (or INIT-REBOOT for IP when given) with
                  retransmissions; prints "MAC IP" on ACK, exit 0; exit 1
                  and "MAC -" when nothing was ACKed in TRIES tries.
  renew MAC IP SERVER
                  a RENEW (ciaddr IP, unicast to SERVER); exit 0 on ACK.
"""

import argparse
import ctypes
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
    "..", "dhcp"))
import dhcpraw  # noqa: E402

SO_ATTACH_FILTER = 26
DISCOVER, OFFER, REQUEST, ACK, NAK = 1, 2, 3, 5, 6
PRL = [1, 3, 6, 28, 51, 54]


class SockFprog(ctypes.Structure):
	_fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def attach_udp68(sock):
	"""IPv4, UDP, destination port 68, incoming or not."""
	prog = [
		(0x28, 0, 0, 12),		# ldh [12]
		(0x15, 0, 6, 0x0800),		# jeq IPv4
		(0x30, 0, 0, 23),		# ldb [23]
		(0x15, 0, 4, 17),		# jeq UDP
		(0xb1, 0, 0, 14),		# ldx 4*([14]&0xf)
		(0x48, 0, 0, 16),		# ldh [x+16]
		(0x15, 0, 1, 68),		# jeq 68
		(0x06, 0, 0, 0xffff),		# ret all
		(0x06, 0, 0, 0),		# ret 0
	]
	raw = b"".join(struct.pack("HBBI", *i) for i in prog)
	buf = ctypes.create_string_buffer(raw)
	fprog = SockFprog(len(prog), ctypes.addressof(buf))
	sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER,
	    bytes(ctypes.string_at(ctypes.addressof(fprog),
	    ctypes.sizeof(fprog))))
	# drain what arrived before the filter
	sock.setblocking(False)
	try:
		while True:
			sock.recv(65535)
	except BlockingIOError:
		pass
	sock.setblocking(True)


def reply_of(frame):
	"""(xid, msgtype, yiaddr, server id) of a BOOTREPLY, or None."""
	if len(frame) < 14 + 20 + 8 + 240:
		return None
	ihl = (frame[14] & 0x0f) * 4
	p = frame[14 + ihl + 8:]
	if len(p) < 240 or p[0] != 2 or p[236:240] != dhcpraw.COOKIE:
		return None
	xid = struct.unpack("!I", p[4:8])[0]
	yiaddr = socket.inet_ntoa(p[16:20])
	mt, sid, i = 0, None, 240
	while i < len(p):
		c = p[i]
		if c == 0:
			i += 1
			continue
		if c == 255 or i + 1 >= len(p):
			break
		n = p[i + 1]
		v = p[i + 2:i + 2 + n]
		if c == 53 and n == 1:
			mt = v[0]
		elif c == 54 and n == 4:
			sid = socket.inet_ntoa(v)
		i += 2 + n
	return xid, mt, yiaddr, sid


class Load:
	def __init__(self, iface):
		self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
		    socket.htons(dhcpraw.ETH_P_ALL))
		self.sock.bind((iface, 0))
		self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
		    1 << 22)
		attach_udp68(self.sock)

	def send(self, mac, xid, msg, options, ciaddr="0.0.0.0",
	    ip_src="0.0.0.0", ip_dst="255.255.255.255",
	    eth_dst=dhcpraw.BCAST_MAC):
		pl = dhcpraw.bootp_payload({"xid": xid, "mac": mac, "msg": msg,
		    "ciaddr": ciaddr, "options": options})
		self.sock.send(dhcpraw.udp_frame(mac, eth_dst, ip_src, ip_dst,
		    68, 67, pl))

	def replies(self, timeout):
		r, _, _ = select.select([self.sock], [], [], timeout)
		if not r:
			return
		self.sock.setblocking(False)
		try:
			for _ in range(256):
				frame, addr = self.sock.recvfrom(65535)
				if addr[2] == dhcpraw.PACKET_OUTGOING:
					continue
				rep = reply_of(frame)
				if rep is not None:
					yield rep
		except BlockingIOError:
			pass
		finally:
			self.sock.setblocking(True)


def mac_of(prefix, n):
	"""The n-th MAC: n scrambled by an odd multiplier (a bijection mod
	2^24), so that dnsmasq's address hash spreads the clients."""
	n = (n * 0x9e3779) & 0xffffff
	return "%s:%02x:%02x:%02x" % (prefix, (n >> 16) & 0xff,
	    (n >> 8) & 0xff, n & 0xff)


class Flight:
	"""One client in flight: DISCOVER (stage 1) or REQUEST (stage 3)."""
	__slots__ = ("mac", "stage", "ip", "sid", "sent", "tries", "key",
	    "naks")

	def __init__(self, mac, key):
		self.mac, self.key = mac, key
		self.stage, self.ip, self.sid = DISCOVER, None, None
		self.sent, self.tries, self.naks = 0.0, 0, 0


def run_flights(ld, todo, out, window, retry, tries, rate=0, halt=None):
	"""Drives every client of todo (list of (mac, ip or None)) to an
	ACK or until it gave up, starting at most rate clients a second
	(0: no limit) and none once halt() is true; calls out(mac, ip,
	result, yiaddr)."""
	base = (os.getpid() & 0x3fff) << 18
	fl = {}
	nxt = 0
	t0 = time.monotonic()
	while (nxt < len(todo) and not (halt and halt())) or fl:
		now = time.monotonic()
		room = len(todo) if rate <= 0 else int((now - t0) * rate) + 1
		if halt and halt():
			room = 0
		while nxt < min(len(todo), room) and len(fl) < window:
			mac, ip = todo[nxt]
			f = Flight(mac, base + nxt)
			nxt += 1
			if ip is not None:
				f.stage, f.ip = REQUEST, ip
			fl[f.key] = f
			f.sent = 0.0
		for f in list(fl.values()):
			if now - f.sent < retry:
				continue
			if f.tries >= tries:
				del fl[f.key]
				out(f.mac, f.ip, "none", None)
				continue
			f.tries += 1
			f.sent = now
			if f.stage == DISCOVER:
				ld.send(f.mac, f.key, DISCOVER, [[55, PRL]])
			elif f.sid is None:
				ld.send(f.mac, f.key, REQUEST,
				    [[50, f.ip], [55, PRL]])
			else:
				ld.send(f.mac, f.key, REQUEST, [[50, f.ip],
				    [54, f.sid], [55, PRL]])
		for xid, mt, yi, sid in ld.replies(0.02):
			f = fl.get(xid)
			if f is None:
				continue
			if mt == OFFER and f.stage == DISCOVER and sid:
				f.stage, f.ip, f.sid = REQUEST, yi, sid
				f.tries, f.sent = 0, 0.0
			elif mt == ACK and f.stage == REQUEST and yi == f.ip:
				del fl[xid]
				out(f.mac, yi, "ack", yi)
			elif (mt == NAK and f.stage == REQUEST and f.sid and
			    f.naks < 8):
				# another client took the offered address:
				# start again, as a client does
				f.stage, f.ip, f.sid = DISCOVER, None, None
				f.tries, f.sent = 0, 0.0
				f.naks += 1
			elif mt == NAK and f.stage == REQUEST:
				del fl[xid]
				out(f.mac, f.ip, "nak", None)


def cmd_dora(a):
	ld = Load(a.iface)
	todo = [(mac_of(a.prefix, a.start + i), None) for i in range(a.count)]
	failed = []
	with open(a.args[0], "a") as f:
		def out(mac, ip, res, yi):
			if res == "ack":
				f.write("%s %s\n" % (mac, yi))
				f.flush()
			else:
				failed.append(mac)
				print(mac, "-", res)
				sys.stdout.flush()
		run_flights(ld, todo, out, a.window, a.retry, a.tries,
		    a.rate, (lambda: failed) if a.until_fail else None)
	return 0


def cmd_reboot(a):
	ld = Load(a.iface)
	todo = []
	with open(a.args[0]) as f:
		for line in f:
			w = line.split()
			if len(w) == 2:
				todo.append((w[0], w[1]))
	with open(a.args[1], "w") as f:
		def out(mac, ip, res, yi):
			f.write("%s %s %s %s\n" % (mac, ip, res, yi or "-"))
		run_flights(ld, todo, out, a.window, a.retry, a.tries)
	return 0


def cmd_request(a):
	ld = Load(a.iface)
	mac = a.args[0]
	ip = a.args[1] if len(a.args) > 1 else None
	got = []

	def out(m, i, res, yi):
		got.append((res, yi))
	run_flights(ld, [(mac, ip)], out, 1, a.retry, a.tries)
	if got and got[0][0] == "ack":
		print(mac, got[0][1])
		return 0
	print(mac, "-", got[0][0] if got else "none")
	return 1


def cmd_renew(a):
	"""dhcpraw's client: it answers ARP for the claimed ciaddr, so the
	server's unicast reply reaches us."""
	mac, ip, server = a.args[0], a.args[1], a.args[2]
	cl = dhcpraw.Client(a.iface, a.server_mac)
	cl.arp[ip] = mac
	xid = ((os.getpid() & 0xffff) << 16) | 0x5e
	for _ in range(a.tries):
		r = cl.exchange({"xid": xid, "msg": REQUEST, "mac": mac,
		    "ciaddr": ip, "ip_src": ip, "ip_dst": server,
		    "eth_dst": "server", "options": [[55, PRL]]},
		    first=a.retry, linger=0.05)
		for x in r:
			if dhcpraw.msgtype(x) == ACK and x["yiaddr"] == ip:
				print(mac, ip)
				return 0
			if dhcpraw.msgtype(x) == NAK:
				print(mac, "-", "nak")
				return 1
	print(mac, "-", "none")
	return 1


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--iface", default="pxv1")
	ap.add_argument("--server-mac", default="02:00:00:00:00:01")
	ap.add_argument("--prefix", default="52:54:00")
	ap.add_argument("--start", type=int, default=0)
	ap.add_argument("--count", type=int, default=1000)
	ap.add_argument("--window", type=int, default=32)
	ap.add_argument("--retry", type=float, default=0.5)
	ap.add_argument("--tries", type=int, default=4)
	ap.add_argument("--rate", type=float, default=0)
	ap.add_argument("--until-fail", action="store_true")
	ap.add_argument("cmd")
	ap.add_argument("args", nargs="*")
	a = ap.parse_args()
	cmds = {"dora": cmd_dora, "reboot": cmd_reboot,
	    "request": cmd_request, "renew": cmd_renew}
	if a.cmd not in cmds:
		ap.error("unknown command " + a.cmd)
	return cmds[a.cmd](a)


if __name__ == "__main__":
	sys.exit(main())
