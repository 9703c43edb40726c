#!/usr/bin/env python3
# Runs inside the client netns: sends one DHCP payload in a frame on vB and
# prints the DHCP payloads of the replies seen within the wait.
import socket, struct, sys, time, select

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b)//2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def frame(payload, src_ip, dst_ip, sport, dport, src_mac, dst_mac):
    udp = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     socket.inet_aton(src_ip), socket.inet_aton(dst_ip))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return dst_mac + src_mac + b'\x08\x00' + ip + udp

def main():
    ifname, hexp, src_ip, dst_ip, sport, wait = sys.argv[1:7]
    dst_mac = bytes.fromhex(sys.argv[7].replace(':', ''))
    dport = int(sys.argv[8]) if len(sys.argv) > 8 else 67
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    s.bind((ifname, 0))
    my_mac = s.getsockname()[4]
    payload = bytes.fromhex(hexp)
    s.send(frame(payload, src_ip, dst_ip, int(sport), dport, my_mac, dst_mac))
    end = time.time() + float(wait)
    while True:
        t = end - time.time()
        if t <= 0: break
        r, _, _ = select.select([s], [], [], t)
        if not r: break
        data, addr = s.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING: continue
        if len(data) < 42 or data[12:14] != b'\x08\x00' or data[23] != 17: continue
        ihl = (data[14] & 15) * 4
        udp = data[14 + ihl:]
        sp, dp, ln = struct.unpack('!HHH', udp[:6])
        if sp not in (67, 4011): continue
        dip = socket.inet_ntoa(data[30:34])
        print('reply %s %s:%d %s %s' % (data[0:6].hex(':'), dip, dp,
              ('bcast' if data[0:6] == b'\xff'*6 else 'ucast'), udp[8:ln].hex()))
        sys.stdout.flush()
        end = min(end, time.time() + 0.3)

main()
