#!/usr/bin/env python3
# compat-tests/tftp-smoke/max.py SERVER - tftp-max=1: while one transfer
# is active a second request gets no answer (it waits in the kernel, as
# with dnsmasq); once the first client aborts with an ERROR the waiting
# request is served.  Also: a packet from a stranger to the transfer's
# port gets ERROR 5 and the transfer goes on.  Prints PASS/FAIL lines.
import socket
import sys

srv = sys.argv[1]


def sock():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.5)
    return s


def verdict(name, ok):
    print(("PASS: " if ok else "FAIL: ") + name)


a, b, c = sock(), sock(), sock()
a.sendto(b"\0\1f513\0octet\0", (srv, 69))
d, tid = a.recvfrom(1000)
verdict("tftp-max: first request served", d[:4] == b"\0\3\0\1")
b.sendto(b"\0\1f513\0octet\0", (srv, 69))
try:
    b.recvfrom(1000)
    verdict("tftp-max: second request waits", False)
except socket.timeout:
    verdict("tftp-max: second request waits", True)
c.sendto(b"\0\4\0\1", tid)
d, _ = c.recvfrom(1000)
verdict("stranger gets ERROR 5", d[:4] == b"\0\5\0\5" and
        b"(TID mismatch)" in d)
a.sendto(b"\0\4\0\1", tid)
# DATA 1 may have been sent again meanwhile (1 s timer): skip it
d = b""
while d[:4] != b"\0\3\0\2":
    try:
        d, _ = a.recvfrom(1000)
    except socket.timeout:
        break
verdict("transfer goes on after the stranger", d[:4] == b"\0\3\0\2")
a.sendto(b"\0\5\0\0bye\0", tid)
b.settimeout(5)
d, _ = b.recvfrom(1000)
verdict("tftp-max: waiting request served after the abort",
        d[:4] == b"\0\3\0\1")
