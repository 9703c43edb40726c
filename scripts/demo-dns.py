#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""demo-dns.py ADDR [PORT]: the fake upstream resolver of `make demo`.

Answers every A question with 203.0.113.7 (a documentation address) and
every other type with an empty NOERROR answer, so the demo LAN needs no
real network.  One line per query on stdout.  Runs until killed.
"""
import socket
import struct
import sys

ANSWER_A = socket.inet_aton("203.0.113.7")


def question(msg):
    """(name, qtype, end offset) of the first question, or None."""
    labels, i = [], 12
    while i < len(msg):
        n = msg[i]
        if n == 0:
            break
        if n & 0xC0:
            return None
        labels.append(msg[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    if i + 5 > len(msg):
        return None
    qtype, = struct.unpack("!H", msg[i + 1:i + 3])
    return ".".join(labels), qtype, i + 5


def reply(msg):
    if len(msg) < 12:
        return None, None
    q = question(msg)
    if q is None:
        return None, None
    name, qtype, end = q
    qid, flags = struct.unpack("!HH", msg[:4])
    rd = flags & 0x0100
    answers = b""
    if qtype == 1:
        # name pointer to offset 12, A, IN, TTL 60, 4 bytes
        answers = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + ANSWER_A
    head = struct.pack("!HHHHHH", qid, 0x8080 | rd, 1,
                       1 if answers else 0, 0, 0)
    return head + msg[12:end] + answers, (name, qtype)


def main():
    addr = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 53
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    print(f"upstream DNS on {addr}:{port}: every A record is 203.0.113.7",
          flush=True)
    while True:
        msg, peer = s.recvfrom(4096)
        out, what = reply(msg)
        if out is None:
            continue
        s.sendto(out, peer)
        print(f"query {what[0]} type {what[1]} from {peer[0]}", flush=True)


if __name__ == "__main__":
    main()
