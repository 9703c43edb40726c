#!/usr/bin/env python3
"""compat-tests/dns/upstream.py - the fake upstream DNS server of the DNS
compatibility test (python3 standard library only).

Serves one fixed zone (ZONE below) over UDP and TCP on each address given
with --addr (port --port, 53 by default), inside the test's namespace.
Every query received is logged, one line each, to --log:

    SERVER PROTO ID QNAME QTYPE from SRC#PORT

so the test can tell which names a forwarder asked for (a name answered
locally must never appear there).  Special names:

  blackhole.test     never answered, by any server (timeouts)
  servfail.test      SERVFAIL from every server
  fo.test            no answer from the first --addr, an A record naming
                     the answering server from the others (failover)
  sf.test            SERVFAIL from the first --addr, an answer from the
                     others
  spoof.test         before the real answer (203.0.113.77, 60 ms later):
                     a reply with a wrong ID (203.0.113.66), a reply with
                     the right ID from the wrong source address --spoof
                     (203.0.113.67), from the right address but the wrong
                     source port (203.0.113.68), and one with the right ID
                     and source for another question (203.0.113.69)
  big.example.test   TXT answer of about 900 bytes (> 512, < 1232)
  huge.example.test  TXT answer of about 3000 bytes (> 1232)
  *.blackhole.test   never answered either (flood of distinct names)
  who.test, *.who.test    TXT: the answering server's address
  *.slow.test        as who.test, the first --addr answering 300 ms late
  *.slow6.test       as who.test, IPv6 addresses answering 300 ms late
  priv.test, loop.test, priv6.test, pub.test
                     A 192.168.1.1, A 127.0.0.1, AAAA fd00::1, A 8.8.8.8
                     (stop-dns-rebind)
  okdom.test, www.okdom.test, notokdom.test, sib.test, lista.test,
  h.listb.test, privhost, privhost.sib.test
                     private A records (rebind-domain-ok)
  signed.test        A 8.8.4.4, with an RRSIG record when the query has
                     the DO bit (DNSSEC records passed through)
  ttl3600.test, ttl5.test
                     A 203.0.113.31 with TTL 3600, A 203.0.113.32 with
                     TTL 5 (TTL options)
  nosoa.test, 7.7.7.7.in-addr.arpa
                     NXDOMAIN without SOA (neg-ttl, min-cache-ttl)
  badsoa.test        NXDOMAIN with the SOA of elsewhere.test

After each query line, an "ADDR edns ID QNAME SIZE" line gives the EDNS0
UDP size the query advertised ("none" without OPT).

--addr takes IPv4 and IPv6 addresses.

A UDP answer larger than the asker's limit (512, or its EDNS0 size) is
sent with TC set and no records, as a real server does.  Unknown names
get NXDOMAIN with the zone's SOA; known names with another type NODATA.
"""

import argparse
import ipaddress
import os
import socket
import struct
import sys
import threading
import time

T_A, T_NS, T_CNAME, T_SOA, T_PTR, T_MX, T_TXT, T_AAAA, T_OPT, T_RRSIG = \
    1, 2, 5, 6, 12, 15, 16, 28, 41, 46
TNAMES = {1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX",
          16: "TXT", 28: "AAAA", 41: "OPT", 46: "RRSIG", 255: "ANY"}
TTL = 300


def txt_strings(total, tag):
    """TXT rdata strings totalling about TOTAL bytes."""
    out, n = [], 0
    while n < total:
        s = ("%s-%03d-" % (tag, len(out))).ljust(200, "x")
        out.append(s)
        n += 201
    return out


# name -> list of (type, value); value is a str (address, name) or a
# list of strings (TXT)
ZONE = {
    "www.example.test": [(T_A, "203.0.113.10"), (T_AAAA, "2001:db8::10"),
                         (T_TXT, ["hello world"])],
    "multi.example.test": [(T_A, "203.0.113.11"), (T_A, "203.0.113.12")],
    "tcp.example.test": [(T_A, "203.0.113.13")],
    "case.example.test": [(T_A, "203.0.113.20")],
    "mx.example.test": [(T_MX, (10, "mail.example.test")),
                        (T_A, "203.0.113.21")],
    "edns.example.test": [(T_A, "203.0.113.14")],
    "txt.example.test": [(T_TXT, ["v=spf1 -all", "second string"])],
    "cname.example.test": [(T_CNAME, "www.example.test")],
    "big.example.test": [(T_TXT, txt_strings(900, "big"))],
    "huge.example.test": [(T_TXT, txt_strings(3000, "huge"))],
    "4.3.2.1.in-addr.arpa": [(T_PTR, "one.example.test")],
    "3.2.1.10.in-addr.arpa": [(T_PTR, "private.example.test")],
    ipaddress.ip_address("2000::1").reverse_pointer:
        [(T_PTR, "v6.example.test")],
    # names a forwarder must answer itself: an answer from here is a leak
    "plainname": [(T_A, "203.0.113.99")],
    "local.test": [(T_A, "203.0.113.98"), (T_TXT, ["upstream local.test"])],
    "sub.local.test": [(T_A, "203.0.113.98")],
    "nx.test": [(T_A, "203.0.113.98")],
    "zero.test": [(T_A, "203.0.113.98")],
    "unknown.lan": [(T_A, "203.0.113.98")],
    "hostfile-a": [(T_A, "203.0.113.98")],
    "hostfile-a.lan": [(T_A, "203.0.113.98")],
    "seeded.lan": [(T_A, "203.0.113.98")],
    "dyncli.lan": [(T_A, "203.0.113.98")],
    "priv.test": [(T_A, "192.168.1.1")],
    "loop.test": [(T_A, "127.0.0.1")],
    "priv6.test": [(T_AAAA, "fd00::1")],
    "pub.test": [(T_A, "8.8.8.8")],
    # rebind-domain-ok: private answers in and around the allowed domains
    "okdom.test": [(T_A, "192.168.2.1")],
    "www.okdom.test": [(T_A, "192.168.2.2")],
    "notokdom.test": [(T_A, "192.168.2.3")],
    "sib.test": [(T_A, "192.168.2.4")],
    "lista.test": [(T_A, "10.1.1.1")],
    "h.listb.test": [(T_A, "10.1.1.2")],
    "privhost": [(T_A, "192.168.2.5")],
    "privhost.sib.test": [(T_A, "192.168.2.6")],
    "signed.test": [(T_A, "8.8.4.4")],
}
SOA = ("example.test", "ns.example.test", "admin.example.test", 60)

# TTL options (ttl_cases in test.sh): names answered with another TTL,
# names NXDOMAIN without SOA
ZONE.update({
    "ttl3600.test": [(T_A, "203.0.113.31")],
    "ttl5.test": [(T_A, "203.0.113.32")],
})
TTLS = {"ttl3600.test": 3600, "ttl5.test": 5}
NOSOA = {"nosoa.test", "7.7.7.7.in-addr.arpa"}
# NXDOMAIN with the SOA of a zone the name is not in
BADSOA = {"badsoa.test": ("elsewhere.test", "ns.elsewhere.test",
                          "admin.elsewhere.test", 60)}


def enc_name(name):
    out = b""
    for label in name.strip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dec_name(msg, off):
    """(name, offset after it) or raises ValueError (loops, bounds)."""
    labels, end, jumps = [], None, 0
    while True:
        if off >= len(msg):
            raise ValueError("name past end")
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if off + 1 >= len(msg) or jumps > 20:
                raise ValueError("bad pointer")
            if end is None:
                end = off + 2
            off = ((n & 0x3F) << 8) | msg[off + 1]
            jumps += 1
            continue
        if n & 0xC0:
            raise ValueError("bad label type")
        off += 1
        if n == 0:
            break
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n
    return ".".join(labels), (end if end is not None else off)


def rdata(rtype, value):
    if rtype == T_A:
        return socket.inet_pton(socket.AF_INET, value)
    if rtype == T_AAAA:
        return socket.inet_pton(socket.AF_INET6, value)
    if rtype in (T_CNAME, T_PTR, T_NS):
        return enc_name(value)
    if rtype == T_MX:
        return struct.pack(">H", value[0]) + enc_name(value[1])
    if rtype == T_TXT:
        return b"".join(bytes([len(s)]) + s.encode() for s in value)
    if rtype == T_RRSIG:
        # covered type, algorithm 13, 2 labels, original TTL, expiry,
        # inception, key tag, signer, a 64-byte signature
        return (struct.pack(">HBBIIIH", value[0], 13, 2, TTL, 1893456000,
                            1764115200, 4242) + enc_name(value[1]) +
                bytes(range(64)))
    if rtype == T_SOA:
        return (enc_name(value[1]) + enc_name(value[2]) +
                struct.pack(">IIIII", 2026112501, 3600, 600, 86400,
                            value[3]))
    raise ValueError(rtype)


def rr(name, rtype, value, ttl=TTL):
    d = rdata(rtype, value)
    return enc_name(name) + struct.pack(">HHIH", rtype, 1, ttl, len(d)) + d


def parse_query(msg):
    """(id, flags, qname, qtype, edns_size or None, do) or None."""
    if len(msg) < 12:
        return None
    qid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", msg[:12])
    if qd != 1:
        return None
    try:
        qname, off = dec_name(msg, 12)
        qtype, _ = struct.unpack(">HH", msg[off:off + 4])
        off += 4
        edns, do = None, False
        for _ in range(an + ns + ar):
            _, off = dec_name(msg, off)
            t, cls, ttl, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
            if t == T_OPT:
                edns, do = cls, bool(ttl & 0x8000)
            off += 10 + rdlen
    except (ValueError, struct.error):
        return qid, flags, None, 0, None, False
    return qid, flags, qname.lower(), qtype, edns, do


def answer(q, server_rank, server_addr, rcode_override=None, limit=None,
           aname=None):
    """Reply bytes for parsed query Q from the server of rank SERVER_RANK
    (0 = the first --addr); LIMIT = UDP size limit or None for TCP."""
    qid, flags, qname, qtype, edns, do = q
    rd = flags & 0x0100
    hdr_flags = 0x8000 | rd | 0x0080        # QR, RD copied, RA
    if qname is None:
        return struct.pack(">HHHHHH", qid, hdr_flags | 1, 0, 0, 0, 0)
    if flags & 0x7800:      # another opcode than QUERY: NOTIMP
        return struct.pack(">HHHHHH", qid, hdr_flags | (flags & 0x7800) | 4,
                           0, 0, 0, 0)
    name = aname or qname
    question = enc_name(name) + struct.pack(">HH", qtype, 1)
    ans, auth, rcode = [], [], 0
    if rcode_override is not None:
        rcode = rcode_override
    elif qname == "fo.test":
        ans.append(rr(qname, T_A, server_addr)) if qtype == T_A else None
    elif qname == "sf.test":
        ans.append(rr(qname, T_A, "203.0.113.155")) if qtype == T_A else None
    elif qname == "spoof.test":
        ans.append(rr(qname, T_A, "203.0.113.77")) if qtype == T_A else None
    elif qname.endswith(("who.test", ".slow.test", ".slow6.test")):
        if qtype == T_TXT:
            ans.append(rr(qname, T_TXT, [server_addr]))
        else:
            auth.append(rr(SOA[0], T_SOA, SOA, SOA[3]))
    elif qname in NOSOA:
        rcode = 3
    elif qname in BADSOA:
        rcode = 3
        auth.append(rr(BADSOA[qname][0], T_SOA, BADSOA[qname],
                       BADSOA[qname][3]))
    elif qname in ZONE:
        recs = ZONE[qname]
        for t, v in recs:
            if t == qtype or (qtype == 255):
                ans.append(rr(qname, t, v, TTLS.get(qname, TTL)))
            elif t == T_CNAME:
                ans.append(rr(qname, t, v))
                for t2, v2 in ZONE.get(v, []):
                    if t2 == qtype:
                        ans.append(rr(v, t2, v2))
        if not ans:
            auth.append(rr(SOA[0], T_SOA, SOA, SOA[3]))
        elif qname == "signed.test" and do:
            ans.append(rr(qname, T_RRSIG, (qtype, "test")))
    else:
        rcode = 3
        auth.append(rr(SOA[0], T_SOA, SOA, SOA[3]))
    opt = b""
    if edns is not None:
        opt = b"\0" + struct.pack(">HHIH", T_OPT, 1232,
                                   0x8000 if do else 0, 0)
    body = b"".join(ans) + b"".join(auth)
    msg = struct.pack(">HHHHHH", qid, hdr_flags | rcode, 1, len(ans),
                      len(auth), 1 if opt else 0) + question + body + opt
    if limit is not None and len(msg) > limit:
        msg = struct.pack(">HHHHHH", qid, hdr_flags | 0x0200 | rcode, 1, 0,
                          0, 1 if opt else 0) + question + opt
    return msg


class Upstream:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.log = open(args.log, "a", buffering=1)
        self.spoof_sock = None
        if args.spoof:
            self.spoof_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.spoof_sock.bind((args.spoof, args.port))

    def note(self, server, proto, q, src):
        qid, _, qname, qtype, edns, _ = q
        with self.lock:
            self.log.write("%s %s %d %s %s from %s#%d\n" % (
                server, proto, qid, qname, TNAMES.get(qtype, qtype),
                src[0], src[1]))
            self.log.write("%s edns %d %s %s\n" % (
                server, qid, qname, "none" if edns is None else edns))

    def udp_loop(self, rank, addr, ready):
        fam = family(addr)
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((addr, self.args.port))
        other = socket.socket(fam, socket.SOCK_DGRAM)
        other.bind((addr, 0))
        ready.set()
        while True:
            msg, src = s.recvfrom(65535)
            try:
                self.udp_one(s, other, rank, addr, msg, src)
            except Exception as e:  # keep serving; the test sees the log
                sys.stderr.write("udp %s: %r\n" % (addr, e))

    def udp_one(self, s, other, rank, addr, msg, src):
        q = parse_query(msg)
        if q is None:
            return
        self.note(addr, "udp", q, src)
        qname = q[2] or ""
        limit = max(512, q[4] or 0)
        if qname.endswith("blackhole.test"):
            return
        if (qname.endswith(".slow.test") and rank == 0) or \
                (qname.endswith(".slow6.test") and ":" in addr):
            threading.Timer(0.3, s.sendto, (answer(q, rank, addr,
                                                   limit=limit), src)).start()
            return
        if qname == "fo.test" and rank == 0:
            return
        if qname == "servfail.test" or (qname == "sf.test" and
                                        rank == 0):
            s.sendto(answer(q, rank, addr, rcode_override=2), src)
            return
        if qname == "spoof.test":
            self.spoof(s, other, q, rank, addr, src, limit)
            return
        s.sendto(answer(q, rank, addr, limit=limit), src)

    def spoof(self, s, other, q, rank, addr, src, limit):
        bad = list(q)
        bad[0] = (q[0] + 1) & 0xFFFF
        s.sendto(self.fake(bad, addr, "203.0.113.66"), src)
        if self.spoof_sock and family(addr) == socket.AF_INET:
            self.spoof_sock.sendto(self.fake(q, addr, "203.0.113.67"), src)
        other.sendto(self.fake(q, addr, "203.0.113.68"), src)
        s.sendto(self.fake(q, addr, "203.0.113.69", aname="other.test"),
                 src)
        with self.lock:
            self.log.write("%s spoofed %d\n" % (addr, q[0]))
        time.sleep(0.06)
        s.sendto(answer(q, rank, addr, limit=limit), src)

    def fake(self, q, addr, ip, aname=None):
        qid, flags, qname, qtype, edns, _ = q
        name = aname or qname
        opt = b"\0" + struct.pack(">HHIH", T_OPT, 1232, 0, 0) \
            if edns is not None else b""
        return struct.pack(">HHHHHH", qid, 0x8180 | (flags & 0x0100), 1, 1,
                           0, 1 if opt else 0) + \
            enc_name(name) + struct.pack(">HH", qtype, 1) + \
            rr(name, T_A, ip) + opt

    def tcp_loop(self, rank, addr, ready):
        s = socket.socket(family(addr), socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, self.args.port))
        s.listen(16)
        ready.set()
        while True:
            c, src = s.accept()
            threading.Thread(target=self.tcp_conn, args=(c, src, rank, addr),
                             daemon=True).start()

    def tcp_conn(self, c, src, rank, addr):
        c.settimeout(20)
        try:
            while True:
                hdr = self.recv_exact(c, 2)
                if not hdr:
                    break
                msg = self.recv_exact(c, struct.unpack(">H", hdr)[0])
                if msg is None:
                    break
                q = parse_query(msg)
                if q is None:
                    break
                self.note(addr, "tcp", q, src)
                qname = q[2] or ""
                if qname.endswith("blackhole.test") or (qname == "fo.test" and
                                                 rank == 0):
                    continue
                if qname == "servfail.test" or (qname == "sf.test" and
                                                rank == 0):
                    out = answer(q, rank, addr, rcode_override=2)
                else:
                    out = answer(q, rank, addr)
                c.sendall(struct.pack(">H", len(out)) + out)
        except OSError:
            pass
        finally:
            c.close()

    @staticmethod
    def recv_exact(c, n):
        buf = b""
        while len(buf) < n:
            d = c.recv(n - len(buf))
            if not d:
                return None
            buf += d
        return buf


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", action="append", required=True)
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--spoof", help="address the spoofed replies come from")
    ap.add_argument("--log", required=True)
    ap.add_argument("--ready", help="file created once every socket is bound")
    args = ap.parse_args()
    up = Upstream(args)
    threads, events = [], []
    for rank, addr in enumerate(args.addr):
        for fn in (up.udp_loop, up.tcp_loop):
            ev = threading.Event()
            t = threading.Thread(target=fn, args=(rank, addr, ev),
                                 daemon=True)
            t.start()
            threads.append(t)
            events.append(ev)
    for ev in events:
        if not ev.wait(5):
            return 1
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("%d\n" % os.getpid())
    for t in threads:
        t.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
