#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""compat_report.py - one table over the differential compat tests.

  compat_report.py [--docs FILE] [--tests DIR] TEST=LOG...

Reads the saved output of compat-tests/TEST/test.sh (LOG) and prints one
row per scenario: test, scenario, dnsmasq's result, pxemasq's result and
the verdict: same, different, allowed (the docs/differences.md entry, its
title and the line of its heading) or not compared (only pxemasq ran).
Ends with the totals.  Exit 0 always (the tests themselves judge).

What a row is made of (kept generic for tests written later):
  "PASS: [dnsmasq] S" / "FAIL: [pxemasq] S"   a check run for each server;
      S without a trailing "(...)" remark (counts, times, got/want) is the
      scenario; the Nth S of dnsmasq pairs with the Nth S of pxemasq,
      numbers in S ignored for the pairing (leased addresses may differ).
      A pair is the same when both results (with their got/want) agree;
      otherwise allowed when a rule of TEST's allowed-differences.txt
      matches S, else different.  A scenario run for one server only is a
      comparison when S names the other server ("... as dnsmasq ...");
      one that cites "(Dn)" checks a documented difference (allowed).
  "PASS: CONF: pxemasq answers as dnsmasq (...)"   an untagged line naming
      pxemasq then dnsmasq or saying "as dnsmasq", one citing "(Dn)" (a
      check of a documented difference), "dhcp-logic: NAME (N steps, ...)",
      or diff.py's own "NAME OK (...)" / "NAME DIFF (...)": one
      comparison, both columns from it.  The "ALLOWED ..." / "DIFF ..." lines of compare.py printed
      just before it are listed under it and decide allowed/different.
  "PASS: SC: FW machine boots: pxemasq: R[; dnsmasq 2.90: R2]"   the boot
      test: pxemasq's result, and dnsmasq's when it was re-run.
Other lines (test-bed checks, absolute expectations without a server
tag) are not differential and are left out.
"""

import fnmatch
import os
import re
import sys

RE_RESULT = re.compile(r"^(PASS|FAIL):? (.*)$")
RE_TAG = re.compile(r"^\[(dnsmasq|pxemasq)\b[^\]]*\] (.*)$")
RE_GOTWANT = re.compile(r" \(got '.*', want '.*'\)$")
RE_REMARK = re.compile(r" \([^()]*\)$")
RE_DREF = re.compile(r"\(D(\d+)\)")
RE_DETAIL = re.compile(r"^(ALLOWED|DIFF) (.*?)(?: \(docs/differences\.md "
    r"(D\d+)\))?$")
RE_BOOT = re.compile(r"^(.*?): pxemasq: (.*?)(?:; dnsmasq[^:]*: (.*))?$")
RE_OKDIFF = re.compile(r"^(\S+)\s+(OK|DIFF) \((.*)\)$")
RE_LOGIC = re.compile(r"^dhcp-logic: (?:(\S+)|(.+) \((\d+ steps?\b[^()]*)\))$")
RE_CMP = re.compile(r"\bpxemasq\b.*\bdnsmasq\b|\bas dnsmasq\b")


def load_docs(path):
	"""{"D15": (title, line)} from the "### Dn. Title" headings."""
	heads = {}
	try:
		with open(path, encoding="utf-8", errors="replace") as f:
			for n, line in enumerate(f, 1):
				m = re.match(r"#+ (D\d+)\.\s*(.*)$", line)
				if m:
					heads[m.group(1)] = (m.group(2).strip(), n)
	except OSError:
		pass
	return heads


def load_allowed(path):
	"""Rules (CASE-GLOB, KEY-GLOB or "*", DN) of an allowed-differences
	file: "#" starts a comment, the first Dn word ends the globs."""
	rules = []
	try:
		f = open(path, encoding="utf-8", errors="replace")
	except OSError:
		return rules
	with f:
		for line in f:
			words = line.split("#", 1)[0].split()
			for i, w in enumerate(words):
				if re.fullmatch(r"D\d+", w) and i >= 1:
					key = words[1] if i >= 2 else "*"
					rules.append((words[0], key, w))
					break
	return rules


def rule_for(rules, scenario):
	for case, key, dn in rules:
		if (fnmatch.fnmatchcase(scenario, case) or
		    fnmatch.fnmatchcase(scenario, case + ": " + key) or
		    fnmatch.fnmatchcase(scenario, case + " " + key)):
			return dn
	return None


def split_result(verdict, text):
	"""(scenario, result, compared): the remark at the end goes to the
	result; of a remark only got/want counts when results are compared
	(a PASS taking 2013 ms is the same as one taking 2015 ms)."""
	detail = ""
	m = RE_GOTWANT.search(text)
	if m:
		detail = m.group(0).strip()[1:-1]
		text = text[:m.start()]
		text = text.rstrip(": ")
		return text, verdict + ": " + detail, verdict + ": " + detail
	else:
		m = RE_REMARK.search(text)
		if m:
			if not RE_DREF.fullmatch(m.group(0).strip()):
				detail = m.group(0).strip()[1:-1]
			text = text[:m.start()]
	text = text.rstrip(": ")
	return text, verdict + (": " + detail if detail else ""), verdict


class Row:
	def __init__(self, test, scenario):
		self.test = test
		self.scenario = scenario
		self.res = {"dnsmasq": "-", "pxemasq": "-"}
		self.cmp = {}		# server -> what the pairing compares
		self.status = None	# same|different|allowed|not compared
		self.dref = []
		self.details = []


def pair_key(scenario):
	return re.sub(r"\d+", "#", scenario)


def parse_log(test, lines, rules):
	"""Rows of one test's output, in order of first appearance."""
	rows = []
	pairs = {}		# (key, n) -> Row
	seen = {}		# (server, key) -> count
	pending = []		# ALLOWED/DIFF lines awaiting their comparison

	def comparison(scenario, ok, dres, pres, dref=None):
		row = Row(test, scenario)
		row.res["dnsmasq"] = dres
		row.res["pxemasq"] = pres
		row.details = pending[:]
		del pending[:]
		kinds = [d[0] for d in row.details]
		drefs = [d[2] for d in row.details if d[2]]
		if dref:
			drefs.append(dref)
		if not ok or "DIFF" in kinds:
			row.status = "different"
		elif drefs:
			row.status = "allowed"
			row.res["pxemasq"] = "differs as documented"
		else:
			row.status = "same"
		row.dref = sorted(set(drefs), key=lambda d: int(d[1:]))
		rows.append(row)

	for raw in lines:
		line = raw.rstrip("\n")
		m = RE_DETAIL.match(line)
		if m:
			pending.append((m.group(1), m.group(2), m.group(3)))
			continue
		m = RE_OKDIFF.match(line)
		if m:
			comparison(m.group(1), m.group(2) == "OK",
			    "reference (%s)" % m.group(3),
			    "identical" if m.group(2) == "OK" else "DIFF")
			continue
		m = RE_RESULT.match(line)
		if not m:
			continue
		verdict, text = m.group(1), m.group(2)
		ok = verdict == "PASS"
		t = RE_TAG.match(text)
		if t:
			server, rest = t.group(1), t.group(2)
			other = "pxemasq" if server == "dnsmasq" else "dnsmasq"
			scenario, res, cmp = split_result(verdict, rest)
			dref = RE_DREF.search(rest)
			if re.search(r"\b%s\b" % other, scenario) and not dref:
				# one server's line comparing it with the other
				comparison(scenario, ok, "reference",
				    "as %s" % other if ok else res, None)
				continue
			k = pair_key(scenario)
			n = seen.get((server, k), 0)
			seen[(server, k)] = n + 1
			row = pairs.get((k, n))
			if row is None:
				row = Row(test, scenario)
				pairs[(k, n)] = row
				rows.append(row)
				if dref:
					row.dref = ["D" + dref.group(1)]
			row.res[server] = res
			row.cmp[server] = cmp
			continue
		m = RE_BOOT.match(text)
		if m and ": pxemasq: " in text:
			dres = m.group(3) or "not run"
			row = Row(test, m.group(1))
			row.res["pxemasq"] = m.group(2)
			row.res["dnsmasq"] = dres
			if m.group(3) is None:
				row.status = "not compared"
			rows.append(row)
			continue
		m = RE_LOGIC.match(text)
		if m:
			comparison(m.group(1) or m.group(2), ok, "reference" +
			    (" (%s)" % m.group(3) if m.group(3) else ""),
			    "identical" if ok else "DIFF")
			continue
		if RE_CMP.search(text) or RE_DREF.search(text):
			scenario, res, _ = split_result(verdict, text)
			dref = RE_DREF.search(text)
			comparison(scenario, ok, "reference",
			    "as dnsmasq" if ok else res,
			    "D" + dref.group(1) if dref and ok else None)
			continue
	for row in rows:
		if row.status is not None:
			continue
		d, p = row.res["dnsmasq"], row.res["pxemasq"]
		if d == "-" or p == "-":
			# one server only: its failure is a difference
			if row.dref:
				row.status = "allowed"
			elif (d if p == "-" else p).startswith("FAIL"):
				row.status = "different"
			else:
				row.status = "not compared"
		elif row.cmp.get("dnsmasq", d) == row.cmp.get("pxemasq", p):
			row.status = "same"
		else:
			dn = rule_for(rules, row.scenario)
			if dn:
				row.status = "allowed"
				row.dref = [dn]
			else:
				row.status = "different"
	return rows


def verdict_text(row, heads, docs_name):
	if row.status != "allowed":
		return row.status
	parts = []
	for dn in row.dref:
		title, line = heads.get(dn, ("(no such heading)", 0))
		parts.append("%s: %s (%s:%d)" % (dn, title, docs_name, line))
	return "allowed " + "; ".join(parts)


def clip(s, n):
	return s if len(s) <= n else s[:n - 3] + "..."


def report(logs, docs, tests_dir, out=sys.stdout):
	heads = load_docs(docs)
	root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
	docs_name = os.path.abspath(docs)
	if docs_name.startswith(root + os.sep):
		docs_name = os.path.relpath(docs_name, root)
	rows = []
	for test, path in logs:
		rules = load_allowed(os.path.join(tests_dir, test,
		    "allowed-differences.txt"))
		try:
			with open(path, encoding="utf-8", errors="replace") as f:
				rows += parse_log(test, f.readlines(), rules)
		except OSError as e:
			print("compat-report: %s: %s" % (path, e.strerror),
			    file=out)
	table = [("test", "scenario", "dnsmasq", "pxemasq", "verdict")]
	for r in rows:
		table.append((r.test, clip(r.scenario, 72),
		    clip(r.res["dnsmasq"], 48), clip(r.res["pxemasq"], 48),
		    verdict_text(r, heads, docs_name)))
		for kind, text, dn in r.details:
			table.append(("", "  " + clip(text, 70), "", "",
			    kind.lower() + (" " + dn if dn else "")))
	w = [max(len(t[i]) for t in table) for i in range(4)]
	for t in table:
		print(("%-*s  %-*s  %-*s  %-*s  %s" % (w[0], t[0], w[1], t[1],
		    w[2], t[2], w[3], t[3], t[4])).rstrip(), file=out)
	count = dict((s, sum(1 for r in rows if r.status == s)) for s in
	    ("same", "allowed", "different", "not compared"))
	print("compat-report: %d scenarios, %d same, %d allowed, %d different"
	    % (len(rows), count["same"], count["allowed"],
	    count["different"]) + (", %d not compared (pxemasq only)" %
	    count["not compared"] if count["not compared"] else ""), file=out)
	return 0


def main(argv):
	root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
	docs = os.path.join(root, "docs", "differences.md")
	tests = os.path.join(root, "compat-tests")
	logs = []
	i = 0
	while i < len(argv):
		a = argv[i]
		if a in ("--docs", "--tests") and i + 1 < len(argv):
			if a == "--docs":
				docs = argv[i + 1]
			else:
				tests = argv[i + 1]
			i += 2
			continue
		if "=" not in a or a.startswith("-"):
			print(__doc__, file=sys.stderr)
			return 2
		name, path = a.split("=", 1)
		logs.append((name, path))
		i += 1
	return report(logs, docs, tests)


if __name__ == "__main__":
	try:
		sys.exit(main(sys.argv[1:]))
	except BrokenPipeError:
		# the table piped into head: not an error
		sys.stderr.close()
		sys.exit(0)
