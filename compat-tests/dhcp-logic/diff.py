#!/usr/bin/env python3
# Differential check: the same requests to dnsmasq 2.90 (in a network
# namespace pair) and to pxemasq's dhcp_server (driver); replies and log
# lines compared.  Namespaces dsrvA (server) / dsrvB (client), addresses
# 198.51.100.0/24 and 203.0.113.0/24 only.
import os, re, socket, struct, subprocess, sys, time, tempfile, signal, atexit

A, B = 'pxlA%d' % os.getpid(), 'pxlB%d' % os.getpid()
SMAC = '02:00:00:00:00:01'
CMAC = '52:54:00:12:34:56'
HERE = os.path.dirname(os.path.abspath(__file__))

def sh(*a, check=True):
    return subprocess.run(a, check=check, capture_output=True, text=True)

def setup():
    cleanup()
    sh('ip', 'netns', 'add', A); sh('ip', 'netns', 'add', B)
    sh('ip', 'link', 'add', 'vA', 'netns', A, 'type', 'veth', 'peer', 'name', 'vB', 'netns', B)
    sh('ip', '-n', A, 'link', 'set', 'vA', 'address', SMAC)
    sh('ip', '-n', B, 'link', 'set', 'vB', 'address', CMAC)
    sh('ip', '-n', A, 'addr', 'add', '198.51.100.1/24', 'dev', 'vA')
    for ns, d in ((A, 'vA'), (B, 'vB')):
        sh('ip', '-n', ns, 'link', 'set', d, 'up'); sh('ip', '-n', ns, 'link', 'set', 'lo', 'up')
    sh('ip', '-n', B, 'link', 'set', 'vB', 'promisc', 'on')
    sh('ip', '-n', A, 'route', 'add', '203.0.113.0/24', 'dev', 'vA')

def cleanup():
    for ns in (A, B):
        sh('ip', 'netns', 'del', ns, check=False)

def ip2b(s): return socket.inet_aton(s)

def dhcp(typ, mac=CMAC, xid=0x1001, opts=(), ciaddr='0.0.0.0', giaddr='0.0.0.0',
         flags=0, hops=0, file=b'', cookie=True):
    h = struct.pack('!BBBBIHH', 1, 1, 6, hops, xid, 0, flags)
    h += ip2b(ciaddr) + ip2b('0.0.0.0') + ip2b('0.0.0.0') + ip2b(giaddr)
    h += bytes.fromhex(mac.replace(':', '')).ljust(16, b'\0')
    h += b'\0' * 64 + file.ljust(128, b'\0')
    o = (b'\x63\x82\x53\x63' if cookie else b'\0\0\0\0')
    if typ:
        o += bytes([53, 1, typ])
    for code, val in opts:
        o += bytes([code, len(val)]) + val
    o += b'\xff'
    p = h + o
    return p.ljust(300, b'\0')

INTEL = bytes([1,2,3,5,6,11,12,13,15,16,17,18,22,23,28,40,41,42,43,50,51,54,58,59,60,66,67,128,129,130,131,132,133,134,135])
PXE = [(57, b'\x04\xec'), (55, INTEL), (60, b'PXEClient:Arch:00000:UNDI:002001'),
       (93, b'\0\0'), (94, b'\x01\x02\x01'), (97, bytes.fromhex('00112233445566778899aabbccddeeff00'))]

def step(p, uni=False, src='0.0.0.0', sport=68, wait=1.2, mask=(), dport=67):
    if p[242] == 3 and p[12:16] != b'\0\0\0\0':
        mask = tuple(mask) + (58, 59)     # renewal fuzz is random
    return dict(p=p, uni=uni, src=src, sport=sport, wait=wait, mask=mask, dport=dport)

def masked(hexp, mask):
    if not hexp or not mask: return hexp
    b = bytearray.fromhex(hexp)
    i = 240
    while i + 1 < len(b) and b[i] != 255:
        if b[i] == 0: i += 1; continue
        if b[i] in mask: b[i+2:i+2+b[i+1]] = bytes(b[i+1])
        i += 2 + b[i+1]
    return b.hex()

def masklog(lines, mask):
    return [l for l in lines if not any('option:%3d ' % m in l for m in mask)]

def run_dnsmasq(conf, steps, tmp):
    cpath = os.path.join(tmp, 'dnsmasq.conf')
    log = os.path.join(tmp, 'dnsmasq.log')
    open(cpath, 'w').write(conf)
    open(log, 'w').close()
    proc = subprocess.Popen(['ip', 'netns', 'exec', A, 'dnsmasq', '-k', '-C', cpath,
                             '--log-facility=' + log, '--pid-file=' + os.path.join(tmp, 'pid'),
                             '--dhcp-leasefile=' + os.path.join(tmp, 'leases'), '-u', 'root'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(50):
        if 'started' in open(log).read(): break
        time.sleep(0.05)
    else:
        proc.terminate(); raise SystemExit('dnsmasq did not start: ' + proc.stderr.read().decode())
    out = []
    pos = len(open(log).read())
    for s in steps:
        if s['uni'] and not s['src'].startswith('0.'):
            sh('ip', '-n', A, 'neigh', 'replace', s['src'], 'lladdr', CMAC, 'dev', 'vA')
        if s['p'][24:28] != b'\0\0\0\0':
            sh('ip', '-n', A, 'neigh', 'replace', socket.inet_ntoa(s['p'][24:28]), 'lladdr', CMAC, 'dev', 'vA')
        dip = '198.51.100.1' if s['uni'] else '255.255.255.255'
        dmac = SMAC if s['uni'] else 'ff:ff:ff:ff:ff:ff'
        r = sh('ip', 'netns', 'exec', B, sys.executable, os.path.join(HERE, 'client.py'), 'vB',
               s['p'].hex(), s['src'], dip, str(s['sport']), str(s['wait']), dmac, str(s['dport']))
        time.sleep(0.1)
        text = open(log).read()
        lines = [re.sub(r'^.*?dnsmasq-dhcp\[\d+\]: ', '', l) for l in text[pos:].splitlines()
                 if 'dnsmasq-dhcp[' in l]
        pos = len(text)
        replies = [l.split() for l in r.stdout.splitlines() if l.startswith('reply')]
        out.append((replies, lines))
    proc.send_signal(signal.SIGTERM)
    proc.wait(5)
    return out

def run_driver(conf, steps, tmp):
    cpath = os.path.join(tmp, 'pxemasq.conf')
    open(cpath, 'w').write(conf)
    inp = ''.join('req %d %s %s %d %d\n' % (int(s['uni']), s['src'], s['p'].hex(), s['dport'], s['sport']) for s in steps)
    r = subprocess.run([os.environ.get('DHCP_DRIVER', os.path.join(HERE, 'driver')), cpath, '198.51.100.1', '255.255.255.0',
                        '198.51.100.255', 'vA'], input=inp, capture_output=True, text=True)
    if r.returncode: raise SystemExit('driver: ' + r.stderr)
    out, logs = [], []
    for l in r.stdout.splitlines():
        if l.startswith('log '): logs.append(l[4:])
        elif l.startswith('reply'):
            f = l.split()
            out.append((f, logs)); logs = []
    return out

def compare(name, conf, steps, verbose=False):
    tmp = tempfile.mkdtemp(prefix='dsrv')
    d = run_dnsmasq(conf, steps, tmp)
    p = run_driver(conf, steps, tmp)
    ok = True
    for i, ((dr, dl), (pr, pl)) in enumerate(zip(d, p)):
        mk = steps[i]['mask']
        dpay = masked(dr[0][4], mk) if dr else None
        ppay = masked(pr[4], mk) if len(pr) > 4 else None
        dl, pl = masklog(dl, mk), masklog(pl, mk)
        if dpay != ppay:
            ok = False
            print('%s step %d: REPLY DIFFERS\n  dnsmasq: %s\n  pxemasq: %s' % (name, i, dr, pr))
            if dpay and ppay:
                a, b = bytes.fromhex(dpay), bytes.fromhex(ppay)
                for k in range(max(len(a), len(b))):
                    if k >= len(a) or k >= len(b) or a[k] != b[k]:
                        print('  first difference at byte %d (len %d vs %d)' % (k, len(a), len(b))); break
        elif dr:
            # destination: dnsmasq "mac ip:port bcast|ucast" vs driver dest
            dd = '%s %s' % (dr[0][2], dr[0][3])
            pd = '%s %s' % (pr[3], 'bcast' if pr[2] == '1' else 'ucast')
            if dd != pd and not (pr[2] == '3' and dr[0][3] == 'ucast' and dr[0][2] == pr[3]):
                ok = False
                print('%s step %d: DEST dnsmasq %s pxemasq %s %s' % (name, i, dd, pr[2], pr[3]))
        if dl != pl:
            ok = False
            print('%s step %d: LOG DIFFERS' % (name, i))
            import difflib
            for l in difflib.unified_diff(dl, pl, 'dnsmasq', 'pxemasq', lineterm='', n=1):
                print('   ' + l)
    nrep = sum(1 for dr, dl in d if dr)
    print('%-60s %s (%d steps, %d replies, %d log lines)' % (name, 'OK' if ok else 'DIFF', len(steps), nrep, sum(len(dl) for dr, dl in d)))
    return ok

if __name__ == '__main__':
    import scenarios
    setup()
    atexit.register(cleanup)
    sel = sys.argv[1:]
    res = [compare(n, c, s) for n, c, s in scenarios.SCENARIOS if not sel or any(x in n for x in sel)]
    print('%d/%d scenarios identical' % (sum(res), len(res)))
