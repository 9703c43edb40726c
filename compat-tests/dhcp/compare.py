#!/usr/bin/env python3
"""compare.py - compare two dhcpraw.py recordings, or read one field.

  compare.py diff A.jsonl B.jsonl [--allowed FILE] [--docs FILE]
                  [--names A,B]
      Compares case by case, reply by reply: the BOOTP fields, the UDP/IP/
      Ethernet addressing, the payload length, the option codes in packet
      order, then each option's bytes.  Values are normalised first (see
      NORMALISE).  Each difference is printed on one line:
          DIFF case KEY: A-VALUE | B-VALUE
      or, when a line of the allowed-differences file matches it,
          ALLOWED case KEY: ... (docs/differences.md DN)
      Exit 0 when there is no DIFF line, 1 otherwise.

  compare.py field FILE CASE KEY
      Prints one field of the first reply of CASE (see field()).

  compare.py selftest
      Checks that diff notices a changed option, a changed order, a
      changed field and a missing reply, and that normalisation hides
      only what it should.
"""

import copy
import fnmatch
import json
import re
import socket
import struct
import sys

# Fields compared, in report order.  xid and chaddr are compared too: the
# client fixes them per case, so a server that does not echo them differs.
FIELDS = ["op", "htype", "hlen", "hops", "xid", "secs", "flags", "ciaddr",
    "yiaddr", "siaddr", "giaddr", "chaddr", "sname", "file", "cookie",
    "vend", "eth_src", "eth_dst", "ip_src", "ip_dst", "udp_sport",
    "udp_dport", "len"]

# Normalisation list: (case glob, option code, rule, why).  A value that
# fits its rule is replaced by a symbolic one in both recordings, so only
# values outside the rule show as differences.
#   t1_fuzz / t2_fuzz: RENEW and REBIND replies subtract one random fuzz
#     of at most T1/8 from T1 and T2 (reference 3.8, "desynchronise
#     renewals"); nominal T1 = L/2, T2 = 7L/8 with L = option 51.
#   remaining:L: a lease time counting down (an INFORM reply carries the
#     time left on the client's lease): L - 5 <= v <= L, L being the
#     range's lease time given in the rule.
NORMALISE = [
	("request_renew*", 58, "t1_fuzz", "random T1 fuzz on RENEW"),
	("request_renew*", 59, "t2_fuzz", "random T2 fuzz on RENEW"),
	("request_rebind*", 58, "t1_fuzz", "random T1 fuzz on REBIND"),
	("request_rebind*", 59, "t2_fuzz", "random T2 fuzz on REBIND"),
	("inform*", 51, "remaining:3600", "time left on the lease"),
]


def u32(hexval):
	b = bytes.fromhex(hexval)
	return struct.unpack("!I", b)[0] if len(b) == 4 else None


def normalise_reply(case, r):
	opts = dict((c, v) for c, v in r.get("options", []))
	lease = u32(opts[51]) if 51 in opts else None
	out = []
	for code, val in r.get("options", []):
		for glob, ncode, rule, _why in NORMALISE:
			if code != ncode or not fnmatch.fnmatch(case, glob):
				continue
			v = u32(val)
			if v is None:
				continue
			if rule in ("t1_fuzz", "t2_fuzz") and lease:
				t1 = lease // 2
				nominal = t1 if rule == "t1_fuzz" else lease * 7 // 8
				if 0 <= nominal - v <= t1 // 8:
					val = "%s(L=%d)" % (rule, lease)
			elif rule.startswith("remaining:"):
				full = int(rule.split(":")[1])
				if 0 <= full - v <= 5:
					val = "remaining(%d)" % full
		out.append([code, val])
	r = dict(r)
	r["options"] = out
	return r


def load(path):
	cases = {}
	order = []
	with open(path) as f:
		for line in f:
			line = line.strip()
			if not line:
				continue
			d = json.loads(line)
			order.append(d["case"])
			cases[d["case"]] = [normalise_reply(d["case"], r)
			    for r in d["replies"]]
	return order, cases


def show(v):
	if isinstance(v, str) and re.fullmatch(r"[0-9a-f]*", v) and v:
		return v
	return json.dumps(v)


def diff_reply(case, n, a, b, out):
	p = "%s#%d" % (case, n) if n else case
	for k in FIELDS:
		if a.get(k) != b.get(k):
			out.append((case, k, "%s %s: %s | %s" % (p, k,
			    show(a.get(k)), show(b.get(k)))))
	ca = [c for c, _ in a["options"]]
	cb = [c for c, _ in b["options"]]
	if ca != cb:
		out.append((case, "order", "%s option order: %s | %s" % (p,
		    " ".join(map(str, ca)), " ".join(map(str, cb)))))
	da = dict((c, v) for c, v in a["options"])
	db = dict((c, v) for c, v in b["options"])
	for c in sorted(set(da) | set(db)):
		if da.get(c) != db.get(c):
			out.append((case, "opt.%d" % c, "%s option %d: %s | %s" %
			    (p, c, show(da.get(c, "absent")),
			    show(db.get(c, "absent")))))


def diff(a_path, b_path):
	"""List of (case, key, text) differences."""
	oa, ca = load(a_path)
	ob, cb = load(b_path)
	out = []
	for case in oa + [c for c in ob if c not in ca]:
		ra = ca.get(case)
		rb = cb.get(case)
		if ra is None or rb is None:
			out.append((case, "case", "%s: case %s" % (case,
			    "missing in A" if ra is None else "missing in B")))
			continue
		if len(ra) != len(rb):
			out.append((case, "replies", "%s replies: %d | %d" %
			    (case, len(ra), len(rb))))
		for n, (a, b) in enumerate(zip(ra, rb)):
			diff_reply(case, n, a, b, out)
	return out


def load_allowed(path, docs):
	"""Rules "CASE-GLOB KEY-GLOB DN reason..."; DN must be a heading
	"### DN." of the differences document."""
	rules = []
	errors = []
	heads = set()
	if docs:
		with open(docs) as f:
			for line in f:
				m = re.match(r"#+ (D\d+)\.", line)
				if m:
					heads.add(m.group(1))
	if not path:
		return rules, errors
	with open(path) as f:
		for n, line in enumerate(f, 1):
			line = line.split("#", 1)[0].strip()
			if not line:
				continue
			parts = line.split(None, 3)
			if len(parts) < 3 or not re.fullmatch(r"D\d+", parts[2]):
				errors.append("%s:%d: expected CASE KEY DN reason" %
				    (path, n))
				continue
			if docs and parts[2] not in heads:
				errors.append("%s:%d: %s is not a heading of %s" %
				    (path, n, parts[2], docs))
				continue
			rules.append(parts[:3])
	return rules, errors


def cmd_diff(args):
	allowed = docs = None
	names = ["A", "B"]
	pos = []
	i = 0
	while i < len(args):
		if args[i] == "--allowed":
			allowed = args[i + 1]
			i += 2
		elif args[i] == "--docs":
			docs = args[i + 1]
			i += 2
		elif args[i] == "--names":
			names = args[i + 1].split(",")
			i += 2
		else:
			pos.append(args[i])
			i += 1
	rules, errors = load_allowed(allowed, docs)
	for e in errors:
		print("ERROR " + e)
	print("# %s | %s" % (names[0], names[1]))
	bad = 0
	for case, key, text in diff(pos[0], pos[1]):
		rule = next((r for r in rules if fnmatch.fnmatch(case, r[0])
		    and fnmatch.fnmatch(key, r[1])), None)
		if rule:
			print("ALLOWED %s (docs/differences.md %s)" % (text,
			    rule[2]))
		else:
			print("DIFF " + text)
			bad += 1
	print("# %d difference(s) not allowed" % bad)
	return 1 if bad or errors else 0


def field(path, case, key):
	"""KEY: replies (count), opts (codes), msgtype, opt.N (hex),
	opt.N.ip, opt.N.u32, opt.N.str, or a FIELDS name."""
	with open(path) as f:
		for line in f:
			d = json.loads(line)
			if d["case"] != case:
				continue
			if key == "replies":
				return str(len(d["replies"]))
			if not d["replies"]:
				return ""
			r = d["replies"][0]
			opts = dict((c, v) for c, v in r["options"])
			if key == "opts":
				return " ".join(str(c) for c, _ in r["options"])
			if key == "msgtype":
				return str(int(opts.get(53, "00"), 16))
			m = re.fullmatch(r"opt\.(\d+)(?:\.(ip|u32|str))?", key)
			if m:
				v = opts.get(int(m.group(1)))
				if v is None:
					return ""
				b = bytes.fromhex(v)
				if m.group(2) == "ip":
					return " ".join(socket.inet_ntoa(b[i:i + 4])
					    for i in range(0, len(b) - 3, 4))
				if m.group(2) == "u32":
					return str(u32(v))
				if m.group(2) == "str":
					return b.decode("latin-1")
				return v
			return str(r.get(key, ""))
	return ""


def selftest():
	import tempfile
	import os
	base = {"case": "request_renew", "replies": [{
		"op": 2, "xid": 1, "yiaddr": "198.51.100.107", "flags": 0,
		"options": [[53, "05"], [54, "c6336401"], [51, "00000e10"],
		    [58, "00000708"], [59, "00000c4e"], [1, "ffffff00"],
		    [255, ""]]}]}
	d = tempfile.mkdtemp()

	def write(name, rec):
		p = os.path.join(d, name)
		with open(p, "w") as f:
			f.write(json.dumps(rec) + "\n")
		return p

	def mutate(fn):
		r = copy.deepcopy(base)
		fn(r["replies"][0], r)
		return r

	a = write("a", base)
	fails = 0
	cases = [
		("same", base, 0),
		("fuzzed T1/T2 within T1/8", mutate(lambda x, r: x["options"]
		    .__setitem__(3, [58, "%08x" % (1800 - 200)]) or
		    x["options"].__setitem__(4, [59, "%08x" % (3150 - 200)])), 0),
		("T1 outside the fuzz", mutate(lambda x, r: x["options"]
		    .__setitem__(3, [58, "%08x" % 1500])), 1),
		("option value", mutate(lambda x, r: x["options"]
		    .__setitem__(5, [1, "ffff0000"])), 1),
		("option order", mutate(lambda x, r: x["options"]
		    .reverse()), 1),
		("missing option", mutate(lambda x, r: x["options"]
		    .pop(5)), 1),
		("field", mutate(lambda x, r: x.__setitem__("flags", 32768)), 1),
		("no reply", mutate(lambda x, r: r["replies"].clear()), 1),
	]
	for name, rec, want_diff in cases:
		got = len(diff(a, write("b", rec)))
		ok = (got > 0) == bool(want_diff)
		fails += not ok
		print("%s: compare.py selftest: %s (%d difference(s))" %
		    ("PASS" if ok else "FAIL", name, got))
	return 1 if fails else 0


def main(argv):
	if len(argv) >= 3 and argv[0] == "diff":
		return cmd_diff(argv[1:])
	if len(argv) == 4 and argv[0] == "field":
		print(field(argv[1], argv[2], argv[3]))
		return 0
	if argv == ["selftest"]:
		return selftest()
	print(__doc__, file=sys.stderr)
	return 2


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
