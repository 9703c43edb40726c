#!/usr/bin/env python3
"""compat-tests/dns/flood.py - load for the DNS test's cap cases (python3
standard library only).

  flood.py udp SERVER COUNT SECONDS
      sends COUNT queries for distinct names under blackhole.test (which
      the fake upstream never answers) as fast as it can, then collects
      replies for SECONDS; prints "sent N replies M REFUSED r SERVFAIL s
      other o".
  flood.py tcp SERVER COUNT SECONDS
      opens COUNT TCP connections to SERVER port 53, half of them sending
      nothing, half sending two bytes of a length prefix (half-open
      queries), holds them SECONDS and prints "opened N closed-by-server
      C" (connections the server closed meanwhile).
"""

import select
import socket
import struct
import sys
import time


def query(qid, name):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)


def udp(server, count, secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.setblocking(False)
    sent = 0
    rcodes = {}
    for i in range(count):
        try:
            s.sendto(query(i & 0xFFFF, "f%d.blackhole.test" % i),
                     (server, 53))
            sent += 1
        except BlockingIOError:
            select.select([], [s], [], 0.1)
        while True:
            try:
                msg = s.recv(4096)
            except BlockingIOError:
                break
            rc = msg[3] & 15 if len(msg) >= 4 else -1
            rcodes[rc] = rcodes.get(rc, 0) + 1
    end = time.monotonic() + secs
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], 0.1)
        if r:
            msg = s.recv(4096)
            rc = msg[3] & 15 if len(msg) >= 4 else -1
            rcodes[rc] = rcodes.get(rc, 0) + 1
    n = sum(rcodes.values())
    print("sent %d replies %d REFUSED %d SERVFAIL %d other %d" % (
        sent, n, rcodes.get(5, 0), rcodes.get(2, 0),
        n - rcodes.get(5, 0) - rcodes.get(2, 0)))


def tcp(server, count, secs):
    socks = []
    for i in range(count):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.settimeout(2)
        try:
            c.connect((server, 53))
        except OSError:
            c.close()
            continue
        if i % 2:
            try:
                c.send(b"\0")
            except OSError:
                pass
        c.setblocking(False)
        socks.append(c)
    closed = set()
    end = time.monotonic() + secs
    while time.monotonic() < end and len(closed) < len(socks):
        r, _, _ = select.select([c for c in socks if c not in closed], [],
                                [], 0.1)
        for c in r:
            try:
                if c.recv(512) == b"":
                    closed.add(c)
            except OSError:
                closed.add(c)
    print("opened %d closed-by-server %d" % (len(socks), len(closed)))
    sys.stdout.flush()
    # hold the open ones until killed (the test ends them)
    if len(sys.argv) > 5 and sys.argv[5] == "hold":
        time.sleep(60)


def main():
    mode, server, count, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        float(sys.argv[4])
    if mode == "udp":
        udp(server, count, secs)
    else:
        tcp(server, count, secs)


if __name__ == "__main__":
    main()
