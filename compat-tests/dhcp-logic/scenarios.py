from diff import dhcp, step, PXE, INTEL, CMAC
import struct, socket

BASE = 'interface=vA\nno-resolv\nlog-dhcp\ndhcp-range=198.51.100.50,198.51.100.150,255.255.255.0,1h\n'
M2 = '52:54:00:aa:bb:cc'
def ip(s): return socket.inet_aton(s)
SID = (54, ip('198.51.100.1'))

S = []
S.append(('A.1 pxe discover/request/short-prl broadcast',
    BASE + 'dhcp-boot=pxelinux.0\n', [
    step(dhcp(1, opts=PXE), wait=4.5),
    step(dhcp(3, xid=0x1002, opts=PXE + [(50, ip('198.51.100.107')), SID])),
    step(dhcp(1, xid=0x1003, flags=0x8000, opts=[(55, bytes([1, 3, 6, 43, 60])),
        (60, b'PXEClient:Arch:00000:UNDI:002001')])),
]))
SCENARIOS = S

NP = BASE + 'no-ping\n'
def disc(mac=CMAC, xid=0x2001, opts=(), **k): return dhcp(1, mac=mac, xid=xid, opts=[(55, INTEL)] + list(opts), **k)
def reqsel(addr, mac=CMAC, xid=0x2002, opts=(), sid='198.51.100.1', **k):
    return dhcp(3, mac=mac, xid=xid, opts=[(55, INTEL), (50, ip(addr)), (54, ip(sid))] + list(opts), **k)
def reqinit(addr, mac=CMAC, xid=0x2003, opts=(), **k):
    return dhcp(3, mac=mac, xid=xid, opts=[(55, INTEL), (50, ip(addr))] + list(opts), **k)
def reqrenew(addr, mac=CMAC, xid=0x2004, opts=(), **k):
    return dhcp(3, mac=mac, xid=xid, ciaddr=addr, opts=[(55, INTEL)] + list(opts), **k)

A7 = ('interface=vA\nno-resolv\nlog-dhcp\nno-ping\n'
      'dhcp-range=set:pool,198.51.100.50,198.51.100.150,255.255.255.0,1h\n'
      'dhcp-host=52:54:00:12:34:56,set:special,host1,198.51.100.20,2h\n'
      'domain=lan.example\n'
      'dhcp-option=42,198.51.100.5\ndhcp-option=42,198.51.100.6\n'
      'dhcp-option=tag:pool,119,pool.example\ndhcp-option=tag:special,119,special.example\n'
      'dhcp-option=tag:pool,17,/pool\ndhcp-option=tag:special,tag:pool,17,/both\n'
      'dhcp-option=tag:special,17,/special\n'
      'dhcp-option=44,0.0.0.0\n'
      'dhcp-boot=tag:special,first.0\ndhcp-boot=tag:special,second.0\ndhcp-boot=pxelinux.0\n')
A7PRL = bytes([1, 3, 6, 12, 15, 17, 28, 42, 44, 66, 67, 119])
S.append(('A.7 precedence, hostname, inform', A7, [
    step(dhcp(1, opts=[(55, A7PRL), (12, b'myclient')])),
    step(dhcp(3, xid=0x2002, opts=[(55, A7PRL), (12, b'myclient'), (50, ip('198.51.100.20')), SID])),
    step(dhcp(8, xid=0x2003, ciaddr='198.51.100.20', opts=[(55, bytes([1, 3, 6, 12, 15, 42, 51]))]), uni=True, src='198.51.100.20', mask=(51,)),
    step(dhcp(8, xid=0x2004, ciaddr='198.51.100.20', opts=[]), uni=True, src='198.51.100.20', mask=(51,)),
]))

AUTH = NP + 'dhcp-authoritative\n'
S.append(('init-reboot wrong address', NP, [step(disc()), step(reqsel('198.51.100.107')), step(reqinit('198.51.100.99'))]))
S.append(('renew unknown unicast / broadcast', NP, [
    step(reqrenew('198.51.100.60'), uni=True, src='198.51.100.60'),
    step(reqrenew('198.51.100.60', xid=0x2005))]))
S.append(('init-reboot unknown, not auth', NP, [step(reqinit('198.51.100.99'))]))
S.append(('init-reboot unknown, auth', AUTH, [step(reqinit('198.51.100.99'))]))
S.append(('renew lost lease, auth', AUTH, [step(reqrenew('198.51.100.60'), uni=True, src='198.51.100.60')]))
S.append(('selecting other server', NP, [step(reqsel('198.51.100.99', sid='198.51.100.254'))]))
S.append(('selecting other server, auth', AUTH, [step(reqsel('198.51.100.99', sid='198.51.100.254'))]))
S.append(('wrong network, auth', AUTH, [step(reqinit('10.0.0.5'))]))
S.append(('address not available, auth', AUTH, [step(reqinit('198.51.100.200'))]))
S.append(('address reserved', NP + 'dhcp-host=52:54:00:aa:bb:cc,198.51.100.60\n', [step(reqsel('198.51.100.60'))]))
S.append(('address in use, auth', AUTH, [step(disc(mac=M2)), step(reqsel('198.51.100.111', mac=M2)), step(reqinit('198.51.100.111'))]))
S.append(('static lease available', AUTH + 'dhcp-host=52:54:00:12:34:56,198.51.100.20\n',
    [step(reqrenew('198.51.100.60'), uni=True, src='198.51.100.60')]))
S.append(('no leases left', NP + 'dhcp-lease-max=1\n', [step(disc(mac=M2)), step(reqsel('198.51.100.111', mac=M2)), step(reqsel('198.51.100.99'))]))
S.append(('renew own lease unicast', NP, [step(disc()), step(reqsel('198.51.100.107')),
    step(reqrenew('198.51.100.107'), uni=True, src='198.51.100.107')]))

S.append(('release', NP, [step(disc()), step(reqsel('198.51.100.107')),
    step(dhcp(7, xid=0x3001, ciaddr='198.51.100.107', opts=[SID]), uni=True, src='198.51.100.107', wait=0.5),
    step(dhcp(7, xid=0x3002, ciaddr='198.51.100.107', opts=[SID]), uni=True, src='198.51.100.107', wait=0.5),
    step(disc(xid=0x3003))]))
S.append(('decline static', NP + 'dhcp-host=52:54:00:12:34:56,198.51.100.20\n', [step(disc()), step(reqsel('198.51.100.20')),
    step(dhcp(4, xid=0x3101, opts=[(50, ip('198.51.100.20')), SID, (56, b'arp\x01 conflict')]), wait=0.5),
    step(disc(xid=0x3102))]))
S.append(('decline pool', NP, [step(disc()), step(reqsel('198.51.100.107')),
    step(dhcp(4, xid=0x3201, opts=[(50, ip('198.51.100.107')), SID]), wait=0.5),
    step(disc(xid=0x3202))]))
S.append(('discover requested address', NP, [step(disc(opts=[(50, ip('198.51.100.77'))]))]))
S.append(('dhcp-ignore !known', NP + 'dhcp-ignore=tag:!known\ndhcp-host=52:54:00:aa:bb:cc,198.51.100.20\n',
    [step(disc()), step(reqsel('198.51.100.107')), step(disc(mac=M2, xid=0x3301))]))
S.append(('host ignore', NP + 'dhcp-host=52:54:00:12:34:56,ignore\n', [step(disc()), step(dhcp(8, xid=0x3401, ciaddr='198.51.100.9'), uni=True, src='198.51.100.9')]))

TAGS = [
    ('vendorclass', 'dhcp-vendorclass=set:pxe,Arch:00000\n', [(60, b'PXEClient:Arch:00000:UNDI:002001')]),
    ('userclass rfc3004', 'dhcp-userclass=set:ipxe,iPXE\n', [(77, b'\x04iPXE')]),
    ('userclass count byte', 'dhcp-userclass=set:x,\x04i\n', [(77, b'\x04iPXE')]),
    ('userclass raw', 'dhcp-userclass=set:ipxe,iPXE\n', [(77, b'iPXE')]),
    ('dhcp-mac', 'dhcp-mac=set:qemu,52:54:00:*:*:*\n', []),
    ('match presence', 'dhcp-match=set:has60,60\n', [(60, b'x')]),
    ('match text', 'dhcp-match=set:m,option:vendor-class,UNDI\n', [(60, b'PXEClient:Arch:00000:UNDI:002001')]),
    ('match hex wild', 'dhcp-match=set:h,60,50:*:45\n', [(60, b'PXE')]),
    ('match hex not anywhere', 'dhcp-match=set:h,60,58:45\n', [(60, b'PXE')]),
    ('match arch array', 'dhcp-match=set:efi,option:client-arch,7\n', [(93, b'\x00\x09\x00\x07')]),
    ('match arch no', 'dhcp-match=set:efi,option:client-arch,7\n', [(93, b'\x07\x00')]),
    ('match number', 'dhcp-match=set:n,60,80\n', [(60, b'\x50\x01')]),
    ('match vi-encap', 'dhcp-match=set:vi,vi-encap:3561,4\n', [(125, b'\x00\x00\x0d\xe9\x03\x04\x01\x04')]),
    ('tag-if chain', 'dhcp-mac=set:a,52:54:00:*:*:*\ntag-if=set:b,tag:a\ntag-if=set:c,tag:b\n', []),
    ('tag-if order', 'dhcp-mac=set:a,52:54:00:*:*:*\ntag-if=set:c,tag:b\ntag-if=set:b,tag:a\n', []),
    ('tag-if negation', 'tag-if=set:n,tag:!known\n', []),
    ('tag-if wildcard', 'tag-if=set:lan,tag:vA*\n', []),
    ('tag-if two sets', 'tag-if=set:x,set:y,tag:vA\n', []),
    ('host set tags', 'dhcp-host=52:54:00:12:34:56,set:h1,set:h2\n', []),
    ('known-othernet', 'dhcp-host=52:54:00:12:34:56,10.9.9.9\n', []),
    ('two classes', 'dhcp-vendorclass=set:one,PXE\ndhcp-vendorclass=set:two,PXE\n', [(60, b'PXEClient')]),
    ('range tag', 'dhcp-range=set:r2,198.51.100.160,198.51.100.170\n', []),
    ('cpewan', '', [(125, b'\x00\x00\x0d\xe9\x08\x01\x02ab\x02\x02cd')]),
]
for n, c, o in TAGS:
    S.append(('tags: ' + n, NP + c, [step(disc(opts=o)), step(reqsel('198.51.100.107', opts=o))]))

S.append(('relay giaddr', 'port=0\nno-ping\nlog-dhcp\ninterface=vA\n'
    'dhcp-range=198.51.100.50,198.51.100.150,255.255.255.0,1h\n'
    'dhcp-range=203.0.113.100,203.0.113.200,255.255.255.0,4h\n', [
    step(disc(hops=1, giaddr='203.0.113.1'), uni=True, src='203.0.113.1', sport=67),
    step(reqsel('203.0.113.157', hops=1, giaddr='203.0.113.1'), uni=True, src='203.0.113.1', sport=67),
    step(disc(giaddr='203.0.113.9', xid=0x4001), uni=True, src='203.0.113.1', sport=67),
]))
S.append(('relay unknown subnet', NP, [step(disc(giaddr='203.0.113.1'), uni=True, src='203.0.113.1', sport=67)]))

OPTS = [
    ('vendor 43 + echo 60', 'dhcp-option=vendor:MSFT,2,1i\ndhcp-option=vendor:Other,1,5\n', [(60, b'MSFT 5.0')], INTEL),
    ('vendor forced', 'dhcp-option-force=vendor:MSFT,2,1i\n', [(60, b'MSFT 5.0')], bytes([1, 3])),
    ('vendor empty class', 'dhcp-option=vendor:,3,7\n', [(60, b'anything')], INTEL),
    ('encap', 'dhcp-option=encap:175,1,5\ndhcp-option=encap:175,2,6\n', [], bytes([1, 175])),
    ('encap not requested', 'dhcp-option=encap:175,1,5\n', [], bytes([1, 3])),
    ('vi-encap', 'dhcp-option=vi-encap:3561,1,abc\ndhcp-option=vi-encap:3561,2,1.2.3.4\n', [], bytes([1, 125])),
    ('force & suppress', 'dhcp-option=3\ndhcp-option-force=42,198.51.100.9\ndhcp-option=44,198.51.100.8\n', [], bytes([1, 3])),
    ('self address', 'dhcp-option=42,0.0.0.0,198.51.100.7,0.0.0.0\n', [], bytes([42])),
    ('T1 T2 configured', 'dhcp-option=58,600\ndhcp-option=59,5000\n', [], bytes([1])),
    ('T1 out of range', 'dhcp-option=58,7200\n', [], bytes([1])),
    ('netmask configured', 'dhcp-option=1,255.255.0.0\ndhcp-option=28,198.51.255.255\n', [], bytes([1, 3])),
    ('dns suppressed', 'dhcp-option=6\n', [], INTEL),
    ('domain per range', 'domain=lan.example\ndomain=sub.example,198.51.100.100,198.51.100.120\n', [], INTEL),
    ('domain prefix', 'domain=lan.example\ndomain=pre.example,198.51.100.0/25\n', [], INTEL),
    ('string options', 'dhcp-option=66,"tftp.example"\ndhcp-option=67,boot/x.0\ndhcp-option=17,"/root"\n', [], INTEL),
    ('boot names no PRL 66/67', 'dhcp-option=66,tftp.example\ndhcp-option=67,boot/x.0\n', [], bytes([1, 3])),
    ('no-override', 'dhcp-no-override\ndhcp-boot=pxelinux.0,bootsrv,198.51.100.9\n', [], INTEL),
    ('boot sname server', 'dhcp-boot=pxelinux.0,bootsrv,198.51.100.9\n', [], INTEL),
    ('server-ip-address', 'dhcp-option=option:server-ip-address,198.51.100.44\ndhcp-option=67,x.0\n', [], bytes([1])),
    ('dhcp-broadcast', 'dhcp-broadcast\n', [], bytes([1])),
    ('dhcp-broadcast tag', 'dhcp-broadcast=tag:nope\n', [], bytes([1])),
    ('forced 60', 'dhcp-option-force=60,HTTPClient\n', [(60, b'HTTPClient:Arch:00016')], bytes([1, 3])),
    ('hostname nul', 'domain=lan.example\n', [(12, b'winbox\x00')], INTEL),
    ('hostname with domain', 'domain=lan.example\n', [(12, b'box.other.example')], INTEL),
    ('fqdn E', 'domain=lan.example\n', [(81, b'\x04\x00\x00\x04box1\x00')], INTEL),
    ('fqdn text', 'domain=lan.example\n', [(81, b'\x00\x00\x00box2.x.y')], INTEL),
    ('fqdn S set', '', [(81, b'\x01\x00\x00abc')], INTEL),
    ('lease time requested', '', [(51, b'\x00\x00\x01\x00')], INTEL),
    ('lease time small', '', [(51, b'\x00\x00\x00\x05')], INTEL),
    ('infinite', 'dhcp-range=198.51.100.160,198.51.100.170,infinite\n', [], INTEL),
    ('agent echo', '', [(82, b'\x01\x03abc\x02\x02xy')], INTEL),
    ('unknown code forced', 'dhcp-option-force=250,01:02:03\n', [], bytes([1])),
    ('long option list', ''.join('dhcp-option=%d,"%s"\n' % (200 + i, 'x' * 200) for i in range(4)), [], bytes(range(200, 204))),
    ('overload small max', ''.join('dhcp-option=%d,"%s"\n' % (224 + i, 'y' * 72) for i in range(6)), [(57, b'\x02\x40')], bytes(range(224, 230))),
    ('empty prl', 'dhcp-option=42,198.51.100.2\n', [], b''),
    ('prl with 255', 'dhcp-option=42,198.51.100.2\n', [], bytes([1, 255, 42])),
]
for n, c, o, prl in OPTS:
    S.append(('opts: ' + n, NP + c, [
        step(dhcp(1, opts=[(55, prl)] + o)),
        step(dhcp(3, xid=0x5002, opts=[(55, prl), (50, ip('198.51.100.107')), SID] + o))]))

S.append(('no prl at all', NP + 'dhcp-option=42,198.51.100.2\ndhcp-option=66,tftp\n', [step(dhcp(1, opts=[]))]))
S.append(('max size clamp', NP, [step(dhcp(1, opts=[(57, b'\x00\x10'), (55, INTEL)])), step(dhcp(1, opts=[(57, b'\xff\xff'), (55, INTEL)]))]))
S.append(('bootp', NP + 'dhcp-host=52:54:00:12:34:56,198.51.100.20,bhost\ndhcp-boot=boot.img\n', [
    step(dhcp(0)), step(dhcp(0, mac=M2, xid=0x6002)), step(dhcp(0, xid=0x6003, file=b'special'))]))
S.append(('client id', NP, [
    step(reqsel('198.51.100.90', opts=[(61, b'\x01\x52\x54\x00\x12\x34\x56')])),
    step(disc(mac=M2, opts=[(61, b'\x01\x52\x54\x00\x12\x34\x56')])),
    step(disc(xid=0x7003)),
]))
S.append(('client id host', NP + 'dhcp-host=id:01:02:03,198.51.100.30\ndhcp-host=id:abc,198.51.100.31\n', [
    step(disc(opts=[(61, b'\x01\x02\x03')])), step(disc(mac=M2, opts=[(61, b'\x00abc')]))]))
S.append(('ignore clid', NP + 'dhcp-ignore-clid\n', [
    step(reqsel('198.51.100.90', opts=[(61, b'\x01\x02\x03')])), step(disc(mac=M2, opts=[(61, b'\x01\x02\x03')]))]))
S.append(('hostname moves', NP, [
    step(reqsel('198.51.100.90', opts=[(12, b'same')])),
    step(reqsel('198.51.100.91', mac=M2, opts=[(12, b'same')]))]))
S.append(('host by name', NP + 'dhcp-host=named,198.51.100.33\n', [step(disc(opts=[(12, b'named')])), step(disc(opts=[(12, b'other')]))]))
S.append(('wildcard host', NP + 'dhcp-host=52:54:00:*:*:*,198.51.100.34\ndhcp-host=52:54:*:*:*:*,198.51.100.35\n', [step(disc())]))
S.append(('sequential', NP + 'dhcp-sequential-ip\n', [step(disc()), step(reqsel('198.51.100.50')), step(disc(mac=M2))]))
S.append(('static range', 'interface=vA\nno-resolv\nlog-dhcp\nno-ping\ndhcp-range=198.51.100.0,static\ndhcp-host=52:54:00:12:34:56,198.51.100.40\n', [
    step(disc()), step(reqsel('198.51.100.40')), step(disc(mac=M2))]))
S.append(('two ranges tagged', NP + 'dhcp-range=tag:known,198.51.100.200,198.51.100.210\ndhcp-host=52:54:00:12:34:56,set:x\n', [step(disc())]))
S.append(('reply delay', NP + 'dhcp-reply-delay=1\n', [step(disc(), wait=2.5)]))
S.append(('unknown type', NP, [step(dhcp(2, opts=[(55, INTEL)]), wait=0.5), step(dhcp(9), wait=0.5)]))
S.append(('no cookie', NP, [step(dhcp(1, cookie=False), wait=0.5)]))
S.append(('renew other lease address', NP, [step(disc()), step(reqsel('198.51.100.107')),
    step(reqrenew('198.51.100.108'), uni=True, src='198.51.100.108')]))
S.append(('selecting moves lease', NP, [step(disc()), step(reqsel('198.51.100.107')), step(reqsel('198.51.100.120'))]))
S.append(('inform unknown', NP + 'domain=lan.example\n', [step(dhcp(8, ciaddr='198.51.100.9', opts=[(55, INTEL)]), uni=True, src='198.51.100.9')]))
S.append(('relay NAK', 'no-ping\nlog-dhcp\ninterface=vA\ndhcp-authoritative\n'
    'dhcp-range=198.51.100.50,198.51.100.150,255.255.255.0,1h\n'
    'dhcp-range=203.0.113.100,203.0.113.200,255.255.255.0,4h\n', [
    step(reqinit('198.51.100.77', giaddr='203.0.113.1'), uni=True, src='203.0.113.1', sport=67),
    step(reqrenew('203.0.113.150', giaddr='203.0.113.1'), uni=True, src='203.0.113.1', sport=67),
    step(reqrenew('203.0.113.150', xid=0x2006), uni=True, src='203.0.113.150'),
]))
S.append(('proxy range without pxe', 'interface=vA\nno-resolv\nlog-dhcp\nno-ping\ndhcp-range=198.51.100.0,proxy\n',
    [step(disc(opts=PXE[2:3]), wait=0.6), step(reqsel('198.51.100.107'), wait=0.6)]))
S.append(('range full', 'interface=vA\nno-resolv\nlog-dhcp\nno-ping\ndhcp-range=198.51.100.50,198.51.100.50\n',
    [step(disc(mac=M2)), step(reqsel('198.51.100.50', mac=M2)), step(disc(), wait=0.6), step(reqinit('198.51.100.50'), wait=0.6)]))
S.append(('host lease times', NP + 'dhcp-host=52:54:00:12:34:56,198.51.100.21,infinite\ndhcp-host=52:54:00:aa:bb:cc,198.51.100.22,10m\n',
    [step(disc()), step(reqsel('198.51.100.21')), step(disc(mac=M2, opts=[(51, b'\xff\xff\xff\xff')]))]))
S.append(('two hosts same mac, tagged', NP + 'dhcp-host=52:54:00:12:34:56,198.51.100.23\ndhcp-host=tag:vA,52:54:00:12:34:56,198.51.100.24\n',
    [step(disc())]))
S.append(('multi-mac host moves lease', NP + 'dhcp-host=52:54:00:12:34:56,52:54:00:aa:bb:cc,198.51.100.25\n',
    [step(disc(mac=M2)), step(reqsel('198.51.100.25', mac=M2)), step(disc()), step(reqsel('198.51.100.25'))]))
S.append(('host leased to other', NP + 'dhcp-host=52:54:00:12:34:56,198.51.100.26\n',
    [step(reqsel('198.51.100.26', mac=M2)), step(disc())]))
S.append(('vendor class log sanitise', NP, [step(disc(opts=[(60, b'ab\x01\x7fc\xffd'), (77, b'\x02u1\x03u23')]))]))
S.append(('option 61 hlen 0', NP, [step(dhcp(1, opts=[(61, b'\x18\x01\x02\x03\x04'), (55, INTEL)]).replace(b'\x01\x01\x06', b'\x01\x18\x00', 1))]))
S.append(('range netmask/broadcast given', 'interface=vA\nno-resolv\nlog-dhcp\nno-ping\ndhcp-range=198.51.100.10,198.51.100.100,255.255.255.128,198.51.100.127,2h\n',
    [step(disc()), step(reqsel('198.51.100.47'))]))
S.append(('domain by interface', NP + 'domain=ifdom.example,vA\ndomain=lan.example\n', [step(disc())]))
S.append(('119 and 121', NP + 'dhcp-option=119,a.example,b.example,a.example\ndhcp-option=121,10.0.0.0/8,198.51.100.1,0.0.0.0/0,198.51.100.1\n',
    [step(disc(opts=[(55, bytes([1, 3, 119, 121]))]))]))
S.append(('host name same as client', NP + 'dhcp-host=52:54:00:12:34:56,same-name\n', [step(disc(opts=[(12, b'same-name')])), step(disc(xid=0x8802, opts=[(12, b'SAME-NAME')]))]))
S.append(('tagged range first in file', NP + 'dhcp-range=tag:known,198.51.100.160,198.51.100.170\ndhcp-host=52:54:00:12:34:56,set:x\n',
    [step(disc()), step(disc(mac=M2))]))
S.append(('option 60 sent re-matches vendor', NP + 'dhcp-option=60,Special\ndhcp-option=vendor:Special,1,9\n', [step(disc(opts=[(60, b'client')]))]))
S.append(('dhcp-option by tag of dhcp-match', NP + 'dhcp-match=set:efi,option:client-arch,7\ndhcp-option=tag:efi,42,198.51.100.40\ndhcp-option=tag:!efi,42,198.51.100.41\n',
    [step(disc(opts=[(93, b'\x00\x07')])), step(disc(xid=0x8902))]))
S.append(('range tag negated option', NP.replace('dhcp-range=', 'dhcp-range=set:r,') + 'dhcp-option=tag:!r,42,198.51.100.42\ndhcp-option=42,198.51.100.43\n', [step(disc())]))
S.append(('request no 54 with lease other addr (init-reboot right)', NP, [step(disc()), step(reqsel('198.51.100.107')), step(reqinit('198.51.100.107'))]))
S.append(('discover with lease elsewhere', NP, [step(reqsel('198.51.100.66')), step(disc(xid=0x8a02))]))

# --- PXE (issue 5; reference section 4, Appendix A.2-A.6) ----------------
UUID = bytes.fromhex('00112233445566778899aabbccddeeff00')
def pxeopts(arch=0, prl=INTEL, vendor=None, extra=()):
    v = vendor or ('PXEClient:Arch:%05d:UNDI:%s' % (arch, '002001' if arch == 0 else '003016')).encode()
    return [(57, b'\x04\xec'), (55, prl), (60, v), (93, struct.pack('!H', arch)),
            (94, b'\x01\x02\x01' if arch == 0 else b'\x01\x03\x00'), (97, UUID)] + list(extra)
def item(t, layer=0): return (43, bytes([71, 4]) + struct.pack('!HH', t, layer) + b'\xff')
CI = '198.51.100.107'
def boot4011(t, layer=0, arch=0, xid=0x5001, sport=68, prl=INTEL, extra=None):
    o = pxeopts(arch, prl) + ([item(t, layer)] if t is not None else []) + (extra or [])
    return step(dhcp(3, xid=xid, ciaddr=CI, opts=o), uni=True, src=CI, sport=sport, dport=4011)
def pdisc(arch=0, xid=0x4001, prl=INTEL, **k): return dhcp(1, xid=xid, opts=pxeopts(arch, prl), **k)
def preq(arch=0, xid=0x4002, prl=INTEL): return dhcp(3, xid=xid, opts=pxeopts(arch, prl) + [(50, ip(CI)), SID])

A2 = NP + ('pxe-prompt="Press F8 for boot menu",10\n'
           'pxe-service=x86PC,"Boot from local disk"\n'
           'pxe-service=x86PC,"Install Linux",pxelinux\n')
S.append(('PXE A.2 menu + prompt, boot items on 4011 and 67', A2, [
    step(pdisc()), step(preq()),
    boot4011(0x8000), boot4011(0x8000, 1, xid=0x5002, sport=4011),
    boot4011(0x8000, xid=0x5003, prl=bytes([1, 3])),
    step(dhcp(3, xid=0x5004, ciaddr=CI, opts=pxeopts() + [item(0x8000)])),
    boot4011(0, xid=0x5005), boot4011(0x8000, 0x8000, xid=0x5007),
    step(dhcp(1, xid=0x5006, opts=pxeopts()), uni=True, src=CI, dport=4011),
]))
PRL2 = bytes([1, 3, 6, 43, 60, 66, 67])
S.append(('PXE A.2 six services, no prompt', NP + (
    'pxe-service=x86PC,"Local"\npxe-service=x86PC,"Linux",pxelinux\n'
    'pxe-service=x86PC,"Remote",3,198.51.100.77\npxe-service=x86PC,"Discover type 5",5\n'
    'pxe-service=X86-64_EFI,"EFI",bootx64.efi\npxe-service=x86PC,"iPXE",undionly.kpxe\n'), [
    step(pdisc(prl=PRL2)), boot4011(0x8001, xid=0x5101), boot4011(3, xid=0x5102)]))
S.append(('PXE one service + prompt 0', NP + 'pxe-prompt="Booting in 0",0\npxe-service=x86PC,"Linux",pxelinux\n',
    [step(pdisc(prl=PRL2))]))
S.append(('PXE one service, no prompt', NP + 'pxe-service=x86PC,"Linux",pxelinux\n',
    [step(pdisc(prl=PRL2)), step(pdisc(arch=7, xid=0x4003, prl=PRL2))]))
A3 = NP + 'pxe-service=x86PC,"BIOS Linux",pxelinux\npxe-service=X86-64_EFI,"UEFI Linux",bootx64.efi\n'
PRL97 = INTEL + bytes([97])
S.append(('PXE A.3 UEFI arch 7 single service', A3, [
    step(pdisc(arch=7, prl=PRL97)), step(preq(arch=7, prl=PRL97)),
    boot4011(None, arch=7, xid=0x5201), boot4011(0x8001, arch=7, xid=0x5202),
    step(pdisc(arch=9, xid=0x4005, prl=PRL97))]))
A3C2 = NP + ('dhcp-match=set:efi-x86_64,option:client-arch,7\n'
             'dhcp-boot=tag:efi-x86_64,bootx64.efi\ndhcp-boot=tag:!efi-x86_64,pxelinux.0\n'
             'pxe-service=X86-64_EFI,"UEFI Linux",bootx64.efi\npxe-service=X86-64_EFI,"UEFI iPXE",ipxe.efi\n')
S.append(('PXE A.3 c2 arch 7 two services + dhcp-boot', A3C2, [
    step(pdisc(arch=7, prl=PRL97)), step(pdisc(arch=0, xid=0x4006, prl=PRL97)),
    boot4011(0x8001, arch=7, xid=0x5301)]))
A4 = ('interface=vA\nno-resolv\nlog-dhcp\ndhcp-range=198.51.100.0,proxy\n'
      'pxe-prompt="Booting from network",5\n'
      'pxe-service=x86PC,"Network boot (BIOS)",pxelinux\n'
      'pxe-service=X86-64_EFI,"Network boot (UEFI)",bootx64.efi\n')
S.append(('PXE A.4 proxy', A4, [
    step(pdisc(flags=0x8000)),
    step(dhcp(3, xid=0x4102, opts=pxeopts() + [(50, ip(CI)), (54, ip('198.51.100.254'))])),
    step(disc(xid=0x4103)),
    boot4011(0x8000, xid=0x5401), boot4011(None, xid=0x5402),
    step(pdisc(arch=7, xid=0x4104)), boot4011(None, arch=7, xid=0x5403),
    step(pdisc(xid=0x4105), uni=True, src=CI, dport=4011),
    step(pdisc(arch=11, xid=0x4106)),
]))
S.append(('PXE proxy UEFI two services', A4 + 'pxe-service=X86-64_EFI,"iPXE",ipxe.efi\n', [
    step(pdisc(arch=7)), boot4011(None, arch=7, xid=0x5501), boot4011(0x8002, arch=7, xid=0x5502)]))
S.append(('PXE proxy with dhcp-boot, no service for arch', A4 + 'dhcp-boot=undionly.kpxe,,198.51.100.9\n', [
    step(pdisc(arch=6)), boot4011(None, arch=6, xid=0x5601), step(pdisc(arch=0, xid=0x4107))]))
S.append(('PXE proxy inert without pxe-service',
    'interface=vA\nno-resolv\nlog-dhcp\ndhcp-range=198.51.100.0,proxy\ndhcp-boot=pxelinux.0\n', [
    step(pdisc()), step(preq())]))
# (no 4011 step here: without pxe-service/pxe-prompt neither dnsmasq nor
# pxemasq opens the 4011 socket)
IPXE_PRL = bytes([1, 3, 6, 7, 12, 15, 17, 26, 43, 60, 66, 67, 119, 128, 129, 130, 131, 132, 133, 134, 135, 175, 203])
IPXE = [(77, b'iPXE'), (175, b'\xb1\x05\x01\x80\x86\x10\x0e')]
A5 = NP + ('dhcp-match=set:ipxe175,175\ndhcp-userclass=set:ipxe,iPXE\n'
           'dhcp-boot=tag:!ipxe,undionly.kpxe\ndhcp-boot=tag:ipxe,http://198.51.100.1/boot.ipxe\n'
           'dhcp-vendorclass=set:httpboot,HTTPClient\n'
           'dhcp-option-force=tag:httpboot,option:vendor-class,HTTPClient\n'
           'dhcp-boot=tag:httpboot,http://198.51.100.1/efi/bootx64.efi\n')
S.append(('PXE A.5/A.6 iPXE chainload, HTTP boot', A5, [
    step(pdisc()),
    step(dhcp(1, xid=0x4202, opts=pxeopts(prl=IPXE_PRL) + IPXE)),
    step(dhcp(1, xid=0x4203, opts=pxeopts(16, vendor=b'HTTPClient:Arch:00016:UNDI:003001')))]))
S.append(('PXE A.5 variant pxe-service tag:!ipxe', NP + (
    'dhcp-match=set:ipxe175,175\ndhcp-userclass=set:ipxe,iPXE\n'
    'dhcp-boot=tag:ipxe,http://198.51.100.1/boot.ipxe\n'
    'pxe-service=tag:!ipxe,x86PC,"chain to iPXE",undionly.kpxe\n'), [
    step(pdisc()),
    step(dhcp(1, xid=0x4302, opts=pxeopts(prl=IPXE_PRL) + IPXE))]))
S.append(('PXE menu too large', NP + ''.join('pxe-service=x86PC,"%s",f%d\n' % ('M' * 60, i) for i in range(5)),
    [step(pdisc())]))
S.append(('PXE vendor options + prompt tags', NP + (
    'dhcp-option=vendor:PXEClient,1,0.0.0.0\npxe-prompt=tag:nope,"never",3\n'
    'pxe-service=x86PC,"Linux",pxelinux\npxe-service=x86PC,"Other",other\n'), [
    step(pdisc()), boot4011(0x8001, xid=0x5801)]))
MULTI = NP + ('pxe-service=x86PC,"BIOS",pxelinux\npxe-service=IA32_EFI,"ia32",ia32.efi\n'
              'pxe-service=BC_EFI,"bc",bc.efi\npxe-service=BC_EFI,"bc2",bc2.efi\n'
              'pxe-service=ARM32_EFI,"arm32",arm32.efi\npxe-service=ARM64_EFI,"arm64",arm64.efi,198.51.100.9\n'
              'pxe-service=16,"http",http.efi\npxe-service=x86PC,"Remote",7,198.51.100.77\n')
S.append(('PXE arches 6 9 10 11 16 and unknown', MULTI, [
    step(pdisc(arch=6, prl=PRL2)), step(pdisc(arch=9, xid=0x4402, prl=PRL2)),
    step(pdisc(arch=10, xid=0x4403, prl=PRL2)), step(pdisc(arch=11, xid=0x4404, prl=PRL2)),
    step(pdisc(arch=16, xid=0x4405, prl=PRL2)), step(pdisc(arch=0x1234, xid=0x4406, prl=PRL2)),
    boot4011(0x8005, arch=11, xid=0x5901), boot4011(7, xid=0x5902), boot4011(0x8002, 2, arch=9, xid=0x5903)]))
S.append(('PXE malformed 93/97/60', A2, [
    step(dhcp(1, xid=0x4501, opts=[(55, PRL2), (60, b'PXEClient'), (93, b'\x00'), (97, UUID[:16])])),
    step(dhcp(1, xid=0x4502, opts=[(55, PRL2), (60, b'PXEClient'), (93, b'\x00\x00\x00\x07'), (97, UUID + b'\x01')])),
    step(dhcp(1, xid=0x4503, opts=[(55, PRL2), (60, b'PXEClien'), (93, b'\x00\x00')])),
    step(dhcp(1, xid=0x4504, opts=[(55, PRL2), (60, b'xPXEClient'), (93, b'\x00\x00')])),
    step(dhcp(3, xid=0x4505, ciaddr=CI, opts=[(60, b'PXEClient'), (43, b'\x47\x03\x80\x00\xff')]), uni=True, src=CI, dport=4011),
    step(dhcp(8, xid=0x4506, ciaddr=CI, opts=[(60, b'PXEClient'), (43, b'\x47\x04\x80\x00\x00\x00\xff')]), uni=True, src=CI, dport=4011),
]))
S.append(('PXE dhcp-pxe-vendor, numeric csa', NP + 'dhcp-pxe-vendor=Foo,PXEClient\npxe-service=0,"num",numeric\n', [
    step(dhcp(1, xid=0x4601, opts=pxeopts(vendor=b'FooBar:Arch:0'))), step(pdisc(xid=0x4602))]))
S.append(('PXE proxy ignored, tagged range', 'interface=vA\nno-resolv\nlog-dhcp\n'
    'dhcp-range=set:prx,198.51.100.0,proxy\ndhcp-ignore=tag:nobody\n'
    'pxe-service=tag:prx,x86PC,"tagged",tagged\npxe-service=tag:!prx,x86PC,"untagged",untagged\n'
    'dhcp-mac=set:nobody,52:54:00:aa:bb:cc\n', [
    step(pdisc()), step(dhcp(1, mac=M2, xid=0x4702, opts=pxeopts())),
    boot4011(0x8000, xid=0x4703), boot4011(0x8001, xid=0x4704)]))
S.append(('PXE full mode no-override + file dot', NP + 'dhcp-no-override\ndhcp-boot=pxelinux.0\n'
    'pxe-service=x86PC,"a",a.b\npxe-service=x86PC,"b",b\n', [
    step(pdisc()), boot4011(0x8000, 3, xid=0x4801)]))
S.append(('PXE prompt and vendor options order', NP + (
    'dhcp-option=vendor:PXEClient,1,0.0.0.0\npxe-prompt="first",3\n'
    'dhcp-option=vendor:PXEClient,2,"x"\npxe-service=x86PC,"Linux",pxelinux\n'), [
    step(pdisc()), boot4011(0x8000, xid=0x5a01)]))
S.append(('PXE proxy reply delay', A4 + 'dhcp-reply-delay=tag:vA,1\n', [step(pdisc(), wait=2.5)]))
S.append(('PXE server names from /etc/hosts', NP + (
    'pxe-service=x86PC,"named",7,localhost\npxe-service=x86PC,"nb",nb,localhost\n'
    'pxe-service=X86-64_EFI,"efi",e.efi,localhost\n'), [
    step(pdisc(prl=PRL2)), boot4011(0x8000, xid=0x5b01), boot4011(7, xid=0x5b02)]))
S.append(('PXE proxy UEFI server name, dhcp-boot server name', 'interface=vA\nno-resolv\nlog-dhcp\n'
    'dhcp-range=198.51.100.0,proxy\npxe-service=X86-64_EFI,"efi",e.efi,localhost\n'
    'dhcp-boot=boot.0,,localhost\npxe-service=x86PC,"x",x\n', [
    step(pdisc(arch=7)), boot4011(None, arch=7, xid=0x5c01), step(pdisc(arch=6, xid=0x4c02))]))
