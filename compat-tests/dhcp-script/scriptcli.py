#!/usr/bin/env python3
"""scriptcli.py - the client side of compat-tests/dhcp-script.

Named steps built on ../dhcp/dhcpraw.py's raw client, each one exchange
(or two) whose only purpose is to make the server change a lease, so that
the dhcp-script runs.  Prints one line per step: "STEP ADDRESS REPLY" (the
address the client holds afterwards, "-" when none, and the last reply's
message type name, "none" without reply).

  scriptcli.py [--iface IF] STEP [STEP...]

Steps:
  dora_rich      MAC_A: DISCOVER + REQUEST with host name client1, vendor
                 class, RFC 3004 user classes, client id, parameter list,
                 TR-069 (option 125) and MUD URL (161)
  renew          MAC_A: unicast REQUEST with ciaddr (RENEWING)
  initreboot     MAC_A: REQUEST with option 50, no server id
  rename         MAC_A: INIT-REBOOT with host name client2
  steal          MAC_B: DORA with host name client2 (MAC_A's)
  relay_dora     MAC_R through a relay (giaddr) with option 82
  fixed_dora     MAC_C: the dhcp-host entry (name fixedhost)
  release        MAC_A: RELEASE
  inform         MAC_B: INFORM from its address
  decline        MAC_B: DECLINE of its address
  seeded_reboot  MAC_S: INIT-REBOOT for the seeded lease 198.51.100.60
The addresses are kept in a state file (--state) between runs.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
    "..", "dhcp"))
import dhcpraw  # noqa: E402
from dhcpraw import (ACK, DECLINE, DISCOVER, INFORM, OFFER, RELEASE,  # noqa
    REQUEST, SERVER, RELAY, mac_b, msgtype, opt, ip_s)

MAC_A = "52:54:00:00:0a:01"
MAC_B = "52:54:00:00:0b:01"
MAC_C = "52:54:00:00:00:c0"     # dhcp-host=...,198.51.100.21,fixedhost,2h
MAC_R = "52:54:00:00:00:5e"     # behind the relay
MAC_S = "52:54:00:aa:00:01"     # the seeded lease 198.51.100.60
PRL = [1, 3, 6, 12, 15, 28, 51, 54, 58, 59]
NAMES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK",
    6: "NAK", 7: "RELEASE", 8: "INFORM"}

# Option 125: enterprise 3561 (Broadband Forum), sub-options 1 (OUI),
# 2 (serial), 3 (product class).
TR069 = ([0, 0, 0x0d, 0xe9, 2 + 6 + 2 + 5 + 2 + 5] +
    [1, 6] + list(b"00D09E") + [2, 5] + list(b"SN123") +
    [3, 5] + list(b"CLASS"))
# Option 77 as RFC 3004 counted strings: "abcd", "efg".
UCLASS = [4] + list(b"abcd") + [3] + list(b"efg")
# Option 82: circuit id (1), remote id (2), subscriber id (6).
AGENT = ([1, 4] + list(b"circ") + [2, 6] + list(b"remote") +
    [6, 3] + list(b"sub"))


def rich_opts(name):
	return [[12, name], [60, "vendor=x"], [77, UCLASS],
	    [61, [1] + list(mac_b(MAC_A))], [55, PRL], [125, TR069],
	    [161, "https://mud.example/x"]]


class Steps:
	def __init__(self, cl, state):
		self.cl = cl
		self.st = state
		self.xid = state.get("xid", 0x5000)

	def x(self, spec, first=3.0):
		self.xid += 1
		spec["xid"] = self.xid
		spec = dhcpraw.resolve(spec, {}, self.cl.if_mac)
		r = self.cl.exchange(spec, first=first)
		return r[0] if r else None

	def dora(self, mac, opts, key, extra=None):
		base = dict(extra or {})
		o = self.x(dict(base, msg=DISCOVER, mac=mac, options=opts))
		if not o or msgtype(o) != OFFER:
			return "-", "none" if not o else NAMES.get(msgtype(o))
		a = o["yiaddr"]
		sid = ip_s(opt(o, 54))
		r = self.x(dict(base, msg=REQUEST, mac=mac,
		    options=[[50, a], [54, sid]] + opts))
		if r and msgtype(r) == ACK:
			self.st[key] = a
			return a, "ACK"
		return "-", "none" if not r else NAMES.get(msgtype(r))

	def unicast(self, mac, key, msg, opts, expect="reply"):
		a = self.st.get(key, "0.0.0.0")
		r = self.x({"msg": msg, "mac": mac, "ciaddr": a, "ip_src": a,
		    "ip_dst": SERVER, "eth_dst": "server", "options": opts,
		    "expect": expect})
		return a, "none" if not r else NAMES.get(msgtype(r))

	def initreboot(self, mac, addr, opts):
		r = self.x({"msg": REQUEST, "mac": mac,
		    "options": [[50, addr]] + opts})
		return addr, "none" if not r else NAMES.get(msgtype(r))

	def run(self, step):
		if step == "dora_rich":
			return self.dora(MAC_A, rich_opts("client1"), "a")
		if step == "renew":
			return self.unicast(MAC_A, "a", REQUEST, rich_opts("client1"))
		if step == "initreboot":
			return self.initreboot(MAC_A, self.st.get("a", "0.0.0.0"),
			    rich_opts("client1"))
		if step == "rename":
			return self.initreboot(MAC_A, self.st.get("a", "0.0.0.0"),
			    rich_opts("client2"))
		if step == "steal":
			return self.dora(MAC_B, [[12, "client2"], [55, PRL]], "b")
		if step == "relay_dora":
			return self.dora(MAC_R, [[55, PRL], [82, AGENT]], "r",
			    {"giaddr": RELAY, "hops": 1, "ip_src": RELAY,
			    "ip_dst": SERVER, "eth_dst": "server", "sport": 67,
			    "eth_src": "if"})
		if step == "fixed_dora":
			return self.dora(MAC_C, [[55, PRL]], "c")
		if step == "release":
			return self.unicast(MAC_A, "a", RELEASE, [[54, SERVER]],
			    "none")
		if step == "inform":
			return self.unicast(MAC_B, "b", INFORM, [[55, PRL]])
		if step == "decline":
			r = self.x({"msg": DECLINE, "mac": MAC_B,
			    "options": [[50, self.st.get("b", "0.0.0.0")],
			    [54, SERVER]], "expect": "none"})
			return self.st.get("b", "-"), "none" if not r else "?"
		if step == "seeded_reboot":
			return self.initreboot(MAC_S, "198.51.100.60", [[55, PRL]])
		raise SystemExit("unknown step " + step)


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--iface", default="pxv1")
	ap.add_argument("--server-mac", default="02:00:00:00:00:01")
	ap.add_argument("--state", required=True)
	ap.add_argument("steps", nargs="+")
	a = ap.parse_args()
	try:
		with open(a.state) as f:
			state = json.load(f)
	except (OSError, ValueError):
		state = {}
	cl = dhcpraw.Client(a.iface, a.server_mac)
	s = Steps(cl, state)
	for step in a.steps:
		addr, reply = s.run(step)
		print(step, addr, reply)
		sys.stdout.flush()
	state["xid"] = s.xid
	with open(a.state, "w") as f:
		json.dump(state, f)
	return 0


if __name__ == "__main__":
	sys.exit(main())
