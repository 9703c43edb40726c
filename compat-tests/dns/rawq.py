#!/usr/bin/env python3
"""compat-tests/dns/rawq.py - sends malformed DNS queries, byte by byte,
to SERVER port 53 and prints, one line per case, what came back:

    CASE noreply
    CASE rcode=FORMERR flags=qr,rd qd=0 an=0 ns=0 ar=0 id=same

Usage: rawq.py SERVER [CASE...] (all cases when none is named).
"""

import socket
import struct
import sys

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN",
          4: "NOTIMP", 5: "REFUSED"}
QID = 0x5a5a


def hdr(flags=0x0100, qd=1, an=0, ns=0, ar=0, qid=QID):
    return struct.pack(">HHHHHH", qid, flags, qd, an, ns, ar)


def name(n):
    return b"".join(bytes([len(x)]) + x.encode() for x in n.split(".")) + \
        b"\0"


Q = name("www.example.test") + struct.pack(">HH", 1, 1)

CASES = {
    "short3": b"\x5a\x5a\x01",
    "short11": hdr()[:11],
    "header-only": hdr(),
    "qd0": hdr(qd=0),
    "ptr-loop": hdr() + b"\xc0\x0c" + struct.pack(">HH", 1, 1),
    "ptr-forward": hdr() + b"\xc0\x40" + struct.pack(">HH", 1, 1),
    "ptr-chain": hdr() + b"\x03www\xc0\x12\x03abc\xc0\x0c" +
    struct.pack(">HH", 1, 1),
    "label-type": hdr() + b"\x41abc\0" + struct.pack(">HH", 1, 1),
    "label-past-end": hdr() + b"\x3fabc",
    "name-too-long": hdr() + b"".join(b"\x3f" + b"a" * 63 for _ in range(5))
    + b"\0" + struct.pack(">HH", 1, 1),
    "no-qtype": hdr() + name("www.example.test"),
    "huge-counts": hdr(qd=65535, an=65535, ns=65535, ar=65535) + Q,
    "qd2": hdr(qd=2) + Q + Q,
    "ar-garbage": hdr(ar=1) + Q + b"\0\0\x29\x04",
    "response": hdr(flags=0x8100) + Q,
    "opcode-status": hdr(flags=0x1100) + Q,
}


def describe(req, rep):
    if rep is None:
        return "noreply"
    if len(rep) < 12:
        return "short-reply len=%d" % len(rep)
    qid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", rep[:12])
    names = [n for b, n in ((0x8000, "qr"), (0x0400, "aa"), (0x0200, "tc"),
                            (0x0100, "rd"), (0x0080, "ra")) if flags & b]
    same = len(req) >= 2 and rep[:2] == req[:2]
    return "rcode=%s flags=%s opcode=%d qd=%d an=%d ns=%d ar=%d id=%s" % (
        RCODES.get(flags & 15, flags & 15), ",".join(names),
        (flags >> 11) & 15, qd, an, ns, ar, "same" if same else "other")


def send(server, data, timeout=0.5):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    s.connect((server, 53))
    s.send(data)
    try:
        return s.recv(65535)
    except (socket.timeout, ConnectionRefusedError):
        return None
    finally:
        s.close()


def tcp_cases(server):
    """Broken TCP streams: a short length, a huge length then close."""
    out = []
    for case, data in (("tcp-short", struct.pack(">H", 100) + b"\x5a\x5a"),
                       ("tcp-zero-len", struct.pack(">H", 0)),
                       ("tcp-ptr-loop", None)):
        if data is None:
            m = CASES["ptr-loop"]
            data = struct.pack(">H", len(m)) + m
        s = socket.create_connection((server, 53), timeout=2)
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        try:
            rep = s.recv(65535)
        except (socket.timeout, ConnectionResetError):
            rep = b""
        s.close()
        if len(rep) >= 2:
            out.append("%s %s" % (case, describe(data[2:], rep[2:])))
        else:
            out.append("%s closed" % case)
    return out


def main():
    server = sys.argv[1]
    names = sys.argv[2:] or list(CASES) + ["tcp"]
    for n in names:
        if n == "tcp":
            for line in tcp_cases(server):
                print(line)
            continue
        print("%s %s" % (n, describe(CASES[n], send(server, CASES[n]))))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
