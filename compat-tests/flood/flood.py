#!/usr/bin/env python3
# flood.py MODE ARGS - bounded floods for compat-tests/flood (issue 9).
#   discover IFACE COUNT      DHCPDISCOVERs from random MACs (AF_PACKET)
#   rrq SERVER COUNT PORTS    TFTP RRQs from PORTS source ports, never ACKed
#                             (a quarter with a 255 s timeout option)
#   dns SERVER PORT COUNT     UDP queries for random names (forwarded)
#   tcp SERVER PORT COUNT     TCP connections opened and left silent;
#                             holds them until stdin closes
#   sink ADDR PORT            a UDP "upstream" that reads and never answers
# Prints "sent N" (or "open N") on stdout.
import os
import random
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def discover_frame(mac, xid):
    dhcp = struct.pack("!BBBBIHH4s4s4s4s16s64s128sI", 1, 1, 6, 0, xid, 0,
                       0x8000, b"\0" * 4, b"\0" * 4, b"\0" * 4, b"\0" * 4,
                       mac + b"\0" * 10, b"\0" * 64, b"\0" * 128, 0x63825363)
    dhcp += bytes([53, 1, 1, 255]) + b"\0" * 8
    udp = struct.pack("!HHHH", 68, 67, 8 + len(dhcp), 0) + dhcp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17,
                     0, b"\0" * 4, b"\xff" * 4)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\xff" * 6 + mac + b"\x08\x00" + ip + udp


def discover(iface, count):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    sent = 0
    for i in range(count):
        mac = bytes([0x02]) + os.urandom(5)
        try:
            s.send(discover_frame(mac, random.getrandbits(32)))
            sent += 1
        except OSError:
            pass
    print("sent", sent)


def rrq(srv, count, ports):
    socks = []
    for _ in range(ports):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setblocking(False)
        socks.append(s)
    sent = 0
    for i in range(count):
        # half for a file (every other one asking for a 255 s timeout,
        # RFC 2349, so its slot would be held for minutes), half missing
        name = b"big" if i % 2 == 0 else b"nofile%d" % i
        opt = b"timeout\0" b"255\0" if i % 4 == 0 else b""
        try:
            socks[i % ports].sendto(b"\0\1" + name + b"\0octet\0" + opt,
                                    (srv, 69))
            sent += 1
        except OSError:
            pass
    print("sent", sent)


def dns(srv, port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    sent = 0
    for i in range(count):
        qname = b"".join(bytes([len(x)]) + x for x in
                         (b"r%d" % random.getrandbits(40), b"flood",
                          b"example")) + b"\0"
        q = struct.pack("!HHHHHH", random.getrandbits(16), 0x0100, 1, 0, 0,
                        0) + qname + struct.pack("!HH", 1, 1)
        try:
            s.sendto(q, (srv, port))
            sent += 1
        except OSError:
            pass
    print("sent", sent)


def tcp(srv, port, count):
    held = []
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(2)
        try:
            s.connect((srv, port))
            s.send(b"\0")          # half a length prefix, then silence
            held.append(s)
        except OSError:
            s.close()
    print("open", len(held), flush=True)
    sys.stdin.read()


def sink(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    print("ready", flush=True)
    while True:
        s.recv(4096)


m = sys.argv[1]
a = sys.argv[2:]
if m == "discover":
    discover(a[0], int(a[1]))
elif m == "rrq":
    rrq(a[0], int(a[1]), int(a[2]))
elif m == "dns":
    dns(a[0], int(a[1]), int(a[2]))
elif m == "tcp":
    tcp(a[0], int(a[1]), int(a[2]))
elif m == "sink":
    sink(a[0], int(a[1]))
