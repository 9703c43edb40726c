#!/usr/bin/env python3
# slowget.py SERVER FILE OUT HALF GO - a lock-step TFTP (RFC 1350) client
# that stops acknowledging after 64 blocks, creates the file HALF, and goes
# on once the file GO exists (at most 10 s; the server's retransmissions
# meanwhile are answered again by the repeated ACK).  Used to keep a
# transfer in flight across a SIGHUP.  Exit 0 when the whole file arrived.
import os
import socket
import struct
import sys
import time

srv, name, out, half, go = sys.argv[1:6]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(b"\0\1" + name.encode() + b"\0octet\0", (srv, 69))
data = bytearray()
want = 1
peer = None
while True:
    try:
        pkt, addr = s.recvfrom(1024)
    except socket.timeout:
        sys.exit("timeout waiting for block %d" % want)
    if peer is None:
        peer = addr
    if addr != peer or len(pkt) < 4:
        continue
    op, blk = struct.unpack("!HH", pkt[:4])
    if op == 5:
        sys.exit("error %d %r" % (blk, pkt[4:]))
    if op != 3:
        continue
    if blk == (want & 0xffff):
        data += pkt[4:]
        if want == 64:
            open(half, "w").close()
            end = time.monotonic() + 10
            while not os.path.exists(go) and time.monotonic() < end:
                time.sleep(0.02)
        s.sendto(struct.pack("!HH", 4, blk), peer)
        want += 1
        if len(pkt) < 516:
            break
    else:
        s.sendto(struct.pack("!HH", 4, blk), peer)
with open(out, "wb") as f:
    f.write(data)
