#!/usr/bin/env python3
"""compat-tests/dns/dignorm.py - turns dig's output (stdin) into the lines
the DNS test compares, one fact a line:

    status NOERROR | NXDOMAIN | ... | TIMEOUT | CONNREFUSED
    flags qr aa rd ra [tc]
    edns UDPSIZE | edns none
    ede CODE                (an Extended DNS Error, RFC 8914)
    an NAME TTL TYPE DATA
    ns NAME TTL TYPE DATA

--mask-ttl writes TTL as "ttl" (answers that count down in a cache);
--sub TEXT=TOKEN replaces TEXT (an address that differs by run).
"""

import argparse
import re
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mask-ttl", action="store_true")
    ap.add_argument("--sub", action="append", default=[])
    ap.add_argument("--additional", action="store_true",
                    help="keep the additional section's records (ar)")
    a = ap.parse_args()
    out, section, edns = [], None, "none"
    status = None
    for line in sys.stdin:
        line = line.rstrip("\n")
        if "connection refused" in line:
            # ICMP port unreachable (UDP) or a refused TCP connection
            status = status or "CONNREFUSED"
            continue
        if "connection timed out" in line or "no servers could be" in line:
            status = status or "TIMEOUT"
            continue
        m = re.search(r"status: (\w+)", line)
        if m:
            status = m.group(1)
            continue
        m = re.match(r";; flags: ([a-z ]*);", line)
        if m:
            out.append("flags " + " ".join(sorted(m.group(1).split())))
            continue
        m = re.search(r"EDNS: version: \d+, flags:.*udp: (\d+)", line)
        if m:
            edns = m.group(1)
            continue
        m = re.match(r"; EDE: (\d+)", line)
        if m:
            out.append("ede " + m.group(1))
            continue
        m = re.match(r";; (\w+) SECTION:", line)
        if m:
            section = {"ANSWER": "an", "AUTHORITY": "ns"}.get(m.group(1))
            if a.additional and m.group(1) == "ADDITIONAL":
                section = "ar"
            continue
        if not line or line.startswith(";"):
            if not line:
                section = None
            continue
        if section:
            f = line.split(None, 4)
            if len(f) < 5:
                continue
            name, ttl, _cls, rtype, data = f
            if a.mask_ttl:
                ttl = "ttl"
            out.append("%s %s %s %s %s" % (section, name.lower(), ttl,
                                           rtype, " ".join(data.split())))
    res = ["status " + (status or "NOANSWER")]
    if status and status not in ("TIMEOUT", "CONNREFUSED"):
        res.append("edns " + edns)
    # records of one section in a stable order (a cache may rotate them)
    res += [x for x in out if x.startswith("flags")]
    res += [x for x in out if x.startswith("ede ")]
    res += sorted(x for x in out if x.startswith("an "))
    res += sorted(x for x in out if x.startswith("ns "))
    res += sorted(x for x in out if x.startswith("ar "))
    text = "\n".join(res) + "\n"
    for s in a.sub:
        k, _, v = s.partition("=")
        if k:
            text = text.replace(k, v)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
