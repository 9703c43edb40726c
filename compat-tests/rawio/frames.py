#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# compat-tests/rawio/frames.py - the client side of the rawio test: crafted
# Ethernet frames through an AF_PACKET socket (no scapy needed), plain UDP,
# and captures.  Every wait is bounded.
#
#   frames.py send IF KIND TAG [DSTMAC SRCIP DSTIP]
#       KIND: ok (to 67), pxe (to 4011), port68, vlan, badcsum, fragment,
#       firstfrag, ipopts
#   frames.py udp SRC DST PORT TAG       -> prints "icmp" or "none"
#   frames.py capture IF SECONDS TAG     -> prints "seen" or "unseen"
#   frames.py udplisten ADDR PORT SECONDS -> prints "got SRC SPORT TOS DATA"
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def mac(s):
    return bytes(int(x, 16) for x in s.split(':'))


def frame(kind, tag, smac, dmac=b'\xff' * 6, src='0.0.0.0',
          dst='255.255.255.255'):
    payload = (tag + ';').encode() + b'\0' * 280
    dport = {'pxe': 4011, 'port68': 68}.get(kind, 67)
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    udp = struct.pack('!HHHH', 68, dport, 8 + len(payload), 0) + payload
    c = csum(s + d + struct.pack('!BBH', 0, 17, len(udp)) + udp) or 0xffff
    if kind == 'badcsum':
        c ^= 0x5555
    udp = udp[:6] + struct.pack('!H', c) + udp[8:]
    frag = {'fragment': 0x0010, 'firstfrag': 0x2000}.get(kind, 0)
    opts = b'\x94\x04\x00\x00' if kind == 'ipopts' else b''
    ihl = 5 + len(opts) // 4
    ip = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, 0,
                     ihl * 4 + len(udp), 1, frag, 64, 17, 0, s, d) + opts
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    eth = dmac + smac
    if kind == 'vlan':
        eth += struct.pack('!HH', 0x8100, 5)
    return eth + b'\x08\x00' + ip + udp


def cmd_send(a):
    ifname, kind, tag = a[0], a[1], a[2]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    smac = s.getsockname()[4]
    if len(a) > 3:
        f = frame(kind, tag, smac, mac(a[3]), a[4], a[5])
    else:
        f = frame(kind, tag, smac)
    s.send(f)


def cmd_udp(a):
    src, dst, port, tag = a[0], a[1], int(a[2]), a[3]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.connect((dst, port))
    s.send((tag + ';').encode() + b'\0' * 250)
    s.settimeout(1.5)
    try:
        s.recv(2048)
        print('reply')
    except ConnectionRefusedError:
        print('icmp')
    except socket.timeout:
        print('none')


def cmd_capture(a):
    ifname, secs, tag = a[0], float(a[1]), (a[2] + ';').encode()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    print('listening', flush=True)
    end = time.time() + secs
    while time.time() < end:
        r, _, _ = select.select([s], [], [], max(0, end - time.time()))
        if r and tag in s.recv(65535):
            print('seen')
            return
    print('unseen')


def cmd_udplisten(a):
    addr, port, secs = a[0], int(a[1]), float(a[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_RECVTOS, 1)
    s.bind((addr, port))
    print('listening', flush=True)
    s.settimeout(secs)
    try:
        data, anc, _, src = s.recvmsg(2048, 64)
    except socket.timeout:
        print('nothing')
        return
    tos = [c[2][0] for c in anc if c[1] == socket.IP_TOS]
    print('got %s %d tos=0x%02x %s' % (src[0], src[1], tos[0] if tos else -1,
                                        data.split(b';')[0].decode()))


if __name__ == '__main__':
    {'send': cmd_send, 'udp': cmd_udp, 'capture': cmd_capture,
     'udplisten': cmd_udplisten}[sys.argv[1]](sys.argv[2:])
