#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/dhcp/perfstat.py - numbers from one perfdhcp run (Kea 2.2).

Usage: perfstat.py PERFDHCP_OUTPUT PERIOD_S

Prints shell assignments (KEY=VALUE, one a line) for run.sh:
  do_sent do_rcvd ra_sent ra_rcvd   DISCOVER-OFFER / REQUEST-ACK counters
  do_avg do_max ra_avg ra_max       perfdhcp's own averages/maxima (ms)
  do_p50 do_p99 ra_p50 ra_p99       percentiles (ms) of the per-exchange
                                    times that `-x t` prints ("sent /
                                    received: S / R" after "***Timestamps
                                    for packets: X***"), nearest rank
  dora_s                            REQUEST-ACK received / PERIOD_S
  drop_pct                          100 * (1 - ACKs / DISCOVERs sent)
  pd_rate pd_expected               perfdhcp's "Rate:" line
perfdhcp counts a NAK (or nothing) as a dropped REQUEST-ACK exchange.
Missing values are printed as "-".
"""
import math
import re
import sys

SECTIONS = {"DISCOVER-OFFER": "do", "REQUEST-ACK": "ra"}
COUNTERS = {"sent packets": "sent", "received packets": "rcvd",
            "avg delay": "avg", "max delay": "max", "min delay": "min",
            "orphans": "orphans"}


def pct(sorted_vals, p):
    """Nearest-rank percentile of an ascending list, or None."""
    if not sorted_vals:
        return None
    k = max(1, math.ceil(p / 100.0 * len(sorted_vals)))
    return sorted_vals[k - 1]


def parse(text):
    vals, times = {}, {"do": [], "ra": []}
    stat, stamps = None, None
    for line in text.splitlines():
        m = re.match(r"\*\*\*Statistics for: (\S+)\*\*\*", line)
        if m:
            stat, stamps = SECTIONS.get(m.group(1)), None
            continue
        m = re.match(r"\*\*\*Timestamps for packets: (\S+)\*\*\*", line)
        if m:
            stamps, stat = SECTIONS.get(m.group(1)), None
            continue
        if line.startswith("***"):
            stat = stamps = None
            continue
        m = re.match(r"Rate: ([0-9.e+]+) .*expected rate: ([0-9.]+)", line)
        if m:
            vals["pd_rate"], vals["pd_expected"] = m.group(1), m.group(2)
            continue
        if stat:
            m = re.match(r"([a-z ]+): ([0-9.]+)", line)
            if m and m.group(1) in COUNTERS:
                vals[stat + "_" + COUNTERS[m.group(1)]] = m.group(2)
        elif stamps:
            # The receiver thread may cut a line; keep whole pairs only.
            m = re.match(r"sent / received: ([0-9.]+) / ([0-9.]+)$", line)
            if m:
                times[stamps].append(
                    (float(m.group(2)) - float(m.group(1))) * 1000.0)
    return vals, times


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: perfstat.py PERFDHCP_OUTPUT PERIOD_S")
    with open(sys.argv[1], errors="replace") as f:
        vals, times = parse(f.read())
    period = float(sys.argv[2])
    for k in ("do", "ra"):
        t = sorted(times[k])
        for p in (50, 99):
            v = pct(t, p)
            vals["%s_p%d" % (k, p)] = "-" if v is None else "%.3f" % v
        vals[k + "_nstamps"] = str(len(t))
    acks = int(vals.get("ra_rcvd", 0))
    discovers = int(vals.get("do_sent", 0))
    vals["dora_s"] = "%.0f" % (acks / period)
    vals["drop_pct"] = ("%.2f" % (100.0 * (1 - acks / discovers))
                        if discovers else "100.00")
    keys = ["do_sent", "do_rcvd", "ra_sent", "ra_rcvd", "do_orphans",
            "ra_orphans", "do_avg", "do_max", "ra_avg", "ra_max",
            "do_p50", "do_p99", "ra_p50", "ra_p99", "do_nstamps",
            "ra_nstamps", "dora_s", "drop_pct", "pd_rate", "pd_expected"]
    for k in keys:
        print("%s=%s" % (k, vals.get(k, "-")))


if __name__ == "__main__":
    main()
