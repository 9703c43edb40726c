#!/usr/bin/env python3
# compat-tests/tftp/tftpraw.py - a small raw TFTP client (RFC 1350, 2347-2349,
# 7440) that prints exactly what a server answered, for the compat test.
#
#   tftpraw.py SERVER req [--wrq] [--mode M] [--opt NAME=VAL]... NAME
#       sends one RRQ (or WRQ) and prints the first reply, one line:
#         ERROR <code> <message> | OACK name=value ... | DATA <block> <len>
#         | ACK <block> | NONE (nothing within --wait seconds)
#       after an ERROR, listens --quiet seconds more (0.5) and prints
#       "EXTRA <n>": every packet that came after the error (must be 0).
#   tftpraw.py SERVER raw HEX        same, for a request given as hex bytes
#   tftpraw.py SERVER get [--mode M] [--opt NAME=VAL]... NAME OUT
#       downloads NAME into OUT (windowed when the OACK grants windowsize);
#       prints the OACK line (if any) then "OK <bytes> <blocks>" or the
#       ERROR line.
#   tftpraw.py SERVER tid NAME
#       starts a download, then sends ACK 1 to the transfer's port from a
#       second socket: prints that socket's reply ("STRAY ERROR 5 ..."),
#       then whether the transfer goes on ("CONTINUE DATA 2 <len>").
#
# Every wait is bounded (--wait, default 3 s per packet; the whole run is
# bounded by the caller's timeout).
import argparse
import os
import select
import socket
import struct
import sys
import time

RRQ, WRQ, DATA, ACK, ERROR, OACK = 1, 2, 3, 4, 5, 6


def build_req(op, name, mode, opts):
	b = struct.pack('!H', op) + os.fsencode(name) + b'\0'
	b += mode.encode('latin-1') + b'\0'
	for o in opts:
		k, _, v = o.partition('=')
		b += k.encode() + b'\0' + v.encode() + b'\0'
	return b


def describe(pkt):
	if len(pkt) < 2:
		return 'SHORT %s' % pkt.hex()
	op = struct.unpack('!H', pkt[:2])[0]
	if op == ERROR and len(pkt) >= 4:
		code = struct.unpack('!H', pkt[2:4])[0]
		msg = pkt[4:].split(b'\0')[0].decode('latin-1')
		return 'ERROR %d %s' % (code, msg)
	if op == OACK:
		f = pkt[2:].split(b'\0')
		if f and f[-1] == b'':
			f = f[:-1]
		pairs = ['%s=%s' % (f[i].decode('latin-1').lower(),
		    f[i + 1].decode('latin-1')) for i in range(0, len(f) - 1, 2)]
		return 'OACK ' + ' '.join(pairs)
	if op == DATA and len(pkt) >= 4:
		return 'DATA %d %d' % (struct.unpack('!H', pkt[2:4])[0],
		    len(pkt) - 4)
	if op == ACK and len(pkt) >= 4:
		return 'ACK %d' % struct.unpack('!H', pkt[2:4])[0]
	return 'OTHER %s' % pkt[:16].hex()


def recv(sock, wait):
	r, _, _ = select.select([sock], [], [], wait)
	if not r:
		return None, None
	return sock.recvfrom(70000)


def oack_opts(pkt):
	f = pkt[2:].split(b'\0')
	return {f[i].decode().lower(): f[i + 1].decode()
	    for i in range(0, len(f) - 1, 2)}


def cmd_first(a, sock, req):
	sock.sendto(req, (a.server, a.port))
	pkt, _ = recv(sock, a.wait)
	if pkt is None:
		print('NONE')
		return 0
	line = describe(pkt)
	print(line)
	if line.startswith('ERROR'):
		n = 0
		end = time.monotonic() + a.quiet
		while True:
			left = end - time.monotonic()
			if left <= 0:
				break
			p, _ = recv(sock, left)
			if p is not None:
				n += 1
		print('EXTRA %d' % n)
	return 0


def ack(sock, peer, n):
	sock.sendto(struct.pack('!HH', ACK, n & 0xffff), peer)


def cmd_get(a, sock):
	sock.sendto(build_req(RRQ, a.name, a.mode, a.opt), (a.server, a.port))
	blksize, window = 512, 1
	out = open(a.out, 'wb')
	peer = None
	got = 0		# blocks written, in order
	acked = 0
	tries = 0
	while True:
		pkt, src = recv(sock, a.wait)
		if pkt is None:
			tries += 1
			if peer is None or tries > 5:
				print('TIMEOUT after %d blocks' % got)
				return 1
			ack(sock, peer, got)
			acked = got
			continue
		if peer is None:
			peer = src
		elif src != peer:
			continue
		op = struct.unpack('!H', pkt[:2])[0]
		if op == ERROR:
			print(describe(pkt))
			return 1
		if op == OACK and got == 0:
			print(describe(pkt))
			o = oack_opts(pkt)
			blksize = int(o.get('blksize', 512))
			window = int(o.get('windowsize', 1))
			ack(sock, peer, 0)
			continue
		if op != DATA:
			print('UNEXPECTED ' + describe(pkt))
			return 1
		blk = struct.unpack('!H', pkt[2:4])[0]
		if blk != (got + 1) & 0xffff:
			# out of order or repeated: re-acknowledge what we have
			if blk != got & 0xffff:
				ack(sock, peer, got)
				acked = got
			continue
		tries = 0
		got += 1
		out.write(pkt[4:])
		last = len(pkt) - 4 < blksize
		if last or got - acked >= window:
			ack(sock, peer, got)
			acked = got
		if last:
			print('OK %d %d' % (out.tell(), got))
			out.close()
			return 0


def cmd_tid(a, sock):
	sock.sendto(build_req(RRQ, a.name, 'octet', []), (a.server, a.port))
	pkt, peer = recv(sock, a.wait)
	if pkt is None:
		print('NONE')
		return 1
	print('FIRST ' + describe(pkt))
	stray = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	stray.bind((a.bind, 0))
	ack(stray, peer, 1)
	p, _ = recv(stray, a.wait)
	print('STRAY ' + ('NONE' if p is None else describe(p)))
	ack(sock, peer, 1)
	while True:
		p, src = recv(sock, a.wait)
		if p is None:
			print('CONTINUE NONE')
			return 1
		d = describe(p)
		if d.startswith('DATA 1 '):
			continue	# a retransmission of block 1
		print('CONTINUE ' + d)
		# finish politely: abort the transfer with an error
		sock.sendto(struct.pack('!HH', ERROR, 0) + b'done\0', peer)
		return 0


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument('server')
	ap.add_argument('--port', type=int, default=69)
	ap.add_argument('--bind', default='0.0.0.0')
	ap.add_argument('--wait', type=float, default=3.0)
	ap.add_argument('--quiet', type=float, default=0.5)
	sub = ap.add_subparsers(dest='cmd', required=True)
	r = sub.add_parser('req')
	r.add_argument('--wrq', action='store_true')
	r.add_argument('--mode', default='octet')
	r.add_argument('--opt', action='append', default=[])
	r.add_argument('name')
	x = sub.add_parser('raw')
	x.add_argument('hex')
	g = sub.add_parser('get')
	g.add_argument('--mode', default='octet')
	g.add_argument('--opt', action='append', default=[])
	g.add_argument('name')
	g.add_argument('out')
	t = sub.add_parser('tid')
	t.add_argument('name')
	a = ap.parse_args()
	sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	sock.bind((a.bind, 0))
	if a.cmd == 'req':
		return cmd_first(a, sock, build_req(WRQ if a.wrq else RRQ,
		    a.name, a.mode, a.opt))
	if a.cmd == 'raw':
		return cmd_first(a, sock, bytes.fromhex(a.hex))
	if a.cmd == 'get':
		return cmd_get(a, sock)
	return cmd_tid(a, sock)


if __name__ == '__main__':
	sys.exit(main())
