#!/usr/bin/env python3
# compat-tests/tftp-smoke/maxq.py SERVER - tftp-max=1 side by side: three
# clients ask one after the other; each prints "N SERVED" (DATA 1 within
# 1.5 s) or "N WAITS".  Then client 1 aborts with an ERROR and the first
# waiting client that gets DATA 1 within 3 s is printed ("AFTER N").
import select
import socket
import sys

srv = sys.argv[1]
cl = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(3)]
tid = {}
for i, s in enumerate(cl, 1):
    s.sendto(b"\0\1f513\0octet\0", (srv, 69))
    r, _, _ = select.select([s], [], [], 1.5)
    if r:
        d, tid[i] = s.recvfrom(1000)
        print("%d %s" % (i, "SERVED" if d[:4] == b"\0\3\0\1" else "OTHER"))
    else:
        print("%d WAITS" % i)
cl[0].sendto(b"\0\5\0\0bye\0", tid[1])
waiting = [s for i, s in enumerate(cl, 1) if i not in tid]
r, _, _ = select.select(waiting, [], [], 3)
print("AFTER %s" % (" ".join(str(cl.index(s) + 1) for s in r) or "NONE"))
for i, s in enumerate(cl, 1):
    if i in tid and i != 1:
        s.sendto(b"\0\5\0\0bye\0", tid[i])
