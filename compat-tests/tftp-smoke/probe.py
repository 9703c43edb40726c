#!/usr/bin/env python3
# compat-tests/tftp-smoke/probe.py - a raw TFTP client for the side-by-side
# cases of test.sh (IPv4 or IPv6: the server's address decides).  Prints
# what the server did, one fact a line, so that the test can compare
# dnsmasq's and pxemasq's answers.  Every wait is bounded (--wait s).
#
#   probe.py SERVER first [--opt K=V]... NAME
#       RRQ, then the first reply "ERROR c msg | OACK k=v.. | DATA n len"
#       and "FROM ADDR" (where it came from); a transfer is then
#       aborted with ERROR 0.
#   probe.py SERVER pxe NAME
#       what PXE ROMs do: RRQ with tsize, ERROR 8 to the OACK, "EXTRA n"
#       (packets after the error, within 1.5 s), then from the same port
#       RRQ with blksize 1024, ACK 0 to the OACK and the whole download:
#       "OK bytes".
#   probe.py SERVER ports NAME N
#       N requests one after the other, "PORT p" for each transfer's port.
#   probe.py SERVER retx [--opt K=V]... --log FILE --for S NAME
#       RRQ, never acknowledged: "FIRST what" then "AT +t" (whole seconds
#       after the request) for the first reply and every retransmission
#       from that port, until the log FILE has the transfer's closing line
#       ("sent NAME" or "failed sending NAME"): "END sent|failed +t".
#       At most S seconds ("END NONE" then).
#   probe.py SERVER tid NAME
#       RRQ, then an ACK 1 from another port to the transfer's port: the
#       stranger's answer and "FROM ADDR", then "NEXT what" (ACK 1 from the
#       right port: the transfer goes on).
#   probe.py SERVER conc NAME N
#       N requests at once from N ports, none acknowledged: each one's
#       first reply within 1.5 s ("N what" or "N NONE"); those answered
#       are aborted, then what the others get within 1.5 s more
#       ("LATE N what", each aborted).
#   probe.py SERVER dup NAME
#       the same RRQ twice from one port before anything came back:
#       "PORTS n" (how many server ports sent DATA 1 within 0.8 s).
import argparse
import select
import socket
import struct
import sys
import time

RRQ, DATA, ACK, ERROR, OACK = 1, 3, 4, 5, 6


def req(name, opts):
	b = struct.pack('!H', RRQ) + name.encode() + b'\0octet\0'
	for o in opts:
		k, _, v = o.partition('=')
		b += k.encode() + b'\0' + v.encode() + b'\0'
	return b


def describe(p):
	op = struct.unpack('!H', p[:2])[0] if len(p) >= 2 else 0
	if op == ERROR and len(p) >= 4:
		return 'ERROR %d %s' % (struct.unpack('!H', p[2:4])[0],
		    p[4:].split(b'\0')[0].decode('latin-1'))
	if op == OACK:
		f = p[2:].split(b'\0')[:-1]
		return 'OACK ' + ' '.join(sorted('%s=%s' % (f[i].decode().lower(),
		    f[i + 1].decode()) for i in range(0, len(f) - 1, 2)))
	if op == DATA and len(p) >= 4:
		return 'DATA %d %d' % (struct.unpack('!H', p[2:4])[0], len(p) - 4)
	return 'OTHER ' + p[:8].hex()


def recv(s, wait):
	r, _, _ = select.select([s], [], [], wait)
	if not r:
		return None, None
	return s.recvfrom(70000)


def abort(s, peer):
	s.sendto(struct.pack('!HH', ERROR, 0) + b'probe done\0', peer)


def first(a, s):
	s.sendto(req(a.name, a.opt), a.srv)
	p, src = recv(s, a.wait)
	if p is None:
		print('NONE')
		return
	print(describe(p))
	print('FROM %s' % src[0])
	if not describe(p).startswith('ERROR'):
		abort(s, src)


def pxe(a, s):
	s.sendto(req(a.name, ['tsize=0']), a.srv)
	p, src = recv(s, a.wait)
	if p is None:
		print('NONE')
		return
	print(describe(p))
	s.sendto(struct.pack('!HH', ERROR, 8) + b'tsize probe\0', src)
	n, end = 0, time.monotonic() + 1.5
	while time.monotonic() < end:
		q, _ = recv(s, max(0.0, end - time.monotonic()))
		if q is not None:
			n += 1
	print('EXTRA %d' % n)
	s.sendto(req(a.name, ['blksize=1024']), a.srv)
	p, src = recv(s, a.wait)
	if p is None:
		print('NONE')
		return
	print(describe(p))
	got, data, tries = 0, b'', 0
	s.sendto(struct.pack('!HH', ACK, 0), src)
	while tries < 5:
		p, frm = recv(s, a.wait)
		if p is None:
			tries += 1
			s.sendto(struct.pack('!HH', ACK, got & 0xffff), src)
			continue
		if frm != src or not describe(p).startswith('DATA'):
			continue
		blk = struct.unpack('!H', p[2:4])[0]
		if blk == (got + 1) & 0xffff:
			got += 1
			data += p[4:]
		s.sendto(struct.pack('!HH', ACK, got & 0xffff), src)
		if blk == got & 0xffff and len(p) - 4 < 1024:
			print('OK %d' % len(data))
			return
	print('TIMEOUT %d' % len(data))


def ports(a, s):
	for _ in range(a.n):
		s.sendto(req(a.name, []), a.srv)
		p, src = recv(s, a.wait)
		if p is None:
			print('NONE')
			continue
		print('PORT %d' % src[1])
		abort(s, src)


def retx(a, s):
	tail = b'/' + a.name.encode() + b' to '
	with open(a.log, 'rb') as lf:
		lf.seek(0, 2)
		s.sendto(req(a.name, a.opt), a.srv)
		t0 = time.monotonic()
		peer, log = None, b''
		while time.monotonic() - t0 < a.secs:
			p, src = recv(s, 0.05)
			now = time.monotonic() - t0
			if p is not None and peer is None:
				peer = src
				print('FIRST ' + describe(p))
			if p is not None and src == peer:
				print('AT +%d' % round(now))
			log += lf.read()
			for ln in log.split(b'\n'):
				if tail in ln and (b': sent ' in ln or
				    b': failed sending ' in ln):
					print('END %s +%d' % ('sent' if b': sent '
					    in ln else 'failed', round(now)))
					return
		print('END NONE')


def tid(a, s):
	s.sendto(req(a.name, []), a.srv)
	p, src = recv(s, a.wait)
	if p is None:
		print('NONE')
		return
	o = socket.socket(s.family, socket.SOCK_DGRAM)
	o.sendto(struct.pack('!HH', ACK, 1), src)
	q, frm = recv(o, a.wait)
	print('NONE' if q is None else describe(q))
	if q is not None:
		print('FROM %s' % frm[0])
	s.sendto(struct.pack('!HH', ACK, 1), src)
	q, _ = recv(s, a.wait)
	print('NEXT ' + ('NONE' if q is None else describe(q)))
	abort(s, src)


def conc(a, s):
	cl = [socket.socket(s.family, socket.SOCK_DGRAM) for _ in range(a.n)]
	for c in cl:
		c.sendto(req(a.name, []), a.srv)
	got, end = {}, time.monotonic() + 1.5
	while len(got) < a.n and time.monotonic() < end:
		r, _, _ = select.select([c for c in cl if c not in got], [],
		    [], max(0.0, end - time.monotonic()))
		for c in r:
			got[c] = c.recvfrom(70000)
	for i, c in enumerate(cl, 1):
		print('%d %s' % (i, describe(got[c][0]) if c in got else 'NONE'))
		if c in got:
			abort(c, got[c][1])
	end = time.monotonic() + 1.5
	while time.monotonic() < end:
		r, _, _ = select.select([c for c in cl if c not in got], [],
		    [], max(0.0, end - time.monotonic()))
		for c in r:
			got[c] = c.recvfrom(70000)
			print('LATE %d %s' % (cl.index(c) + 1, describe(got[c][0])))
			abort(c, got[c][1])


def dup(a, s):
	s.sendto(req(a.name, []), a.srv)
	s.sendto(req(a.name, []), a.srv)
	ports, end = set(), time.monotonic() + 0.8
	while time.monotonic() < end:
		p, src = recv(s, max(0.0, end - time.monotonic()))
		if p is not None and describe(p).startswith('DATA 1 '):
			ports.add(src)
	print('PORTS %d' % len(ports))
	for p in ports:
		abort(s, p)


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument('server')
	ap.add_argument('--wait', type=float, default=3.0)
	sub = ap.add_subparsers(dest='cmd', required=True)
	f = sub.add_parser('first')
	f.add_argument('--opt', action='append', default=[])
	f.add_argument('name')
	x = sub.add_parser('pxe')
	x.add_argument('name')
	o = sub.add_parser('ports')
	o.add_argument('name')
	o.add_argument('n', type=int)
	r = sub.add_parser('retx')
	r.add_argument('--opt', action='append', default=[])
	r.add_argument('--log', required=True)
	r.add_argument('--for', dest='secs', type=float, default=55.0)
	r.add_argument('name')
	t = sub.add_parser('tid')
	t.add_argument('name')
	c = sub.add_parser('conc')
	c.add_argument('name')
	c.add_argument('n', type=int)
	d = sub.add_parser('dup')
	d.add_argument('name')
	a = ap.parse_args()
	fam = socket.AF_INET6 if ':' in a.server else socket.AF_INET
	a.srv = (a.server, 69)
	s = socket.socket(fam, socket.SOCK_DGRAM)
	{'first': first, 'pxe': pxe, 'ports': ports, 'retx': retx, 'tid': tid,
	    'conc': conc, 'dup': dup}[a.cmd](a, s)
	return 0


if __name__ == '__main__':
	sys.exit(main())
