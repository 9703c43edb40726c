#!/usr/bin/env python3
"""pxeclient.py - a scripted PXE client for the PXE compat test (issue 5).

Plays BIOS and UEFI PXE ROMs, iPXE and UEFI HTTP boot clients against a
running server: DHCP DISCOVER and REQUEST on port 67 and the boot-server
REQUEST on port 4011, with the option sets of reference Appendix A.  The
packets are built and the replies recorded by ../dhcp/dhcpraw.py (raw
packet socket, standard library only; it answers ARP for the client's
ciaddr so that unicast and port-4011 replies reach it), in the JSON-lines
format that ../dhcp/compare.py compares field by field.

Each configuration of CONFIGS is a list of dnsmasq lines (test.sh adds the
common ones) and the cases sent against it, in order.

  pxeclient.py names                 the configuration names
  pxeclient.py conf NAME             the configuration's lines
  pxeclient.py record NAME OUT       send NAME's cases, write OUT (.jsonl)
  pxeclient.py count                 the number of cases in all
"""

import os
import struct
import sys
import json

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
    "..", "dhcp"))
import dhcpraw  # noqa: E402

DISCOVER, REQUEST, INFORM = dhcpraw.DISCOVER, dhcpraw.REQUEST, dhcpraw.INFORM
NET = "198.51.100"
SERVER = NET + ".1"
CI = NET + ".107"            # the address the hash gives MAC_A (3.7)
MAC_A = "52:54:00:12:34:56"
MAC_B = "52:54:00:00:00:0b"
UUID = [0x00] + list(range(0x11, 0x21))     # option 97: type 0 + 16 bytes
PRL_ROM = dhcpraw.PRL_ROM
PRL_ROM97 = PRL_ROM + [97]
PRL_SHORT = [1, 3, 6, 43, 60]
PRL_IPXE = [1, 3, 6, 7, 12, 15, 17, 26, 43, 60, 66, 67, 119, 128, 129, 130,
    131, 132, 133, 134, 135, 175, 203]
PRL_HTTP = [1, 3, 6, 15, 43, 60, 66, 67, 97]
IPXE = [[77, "iPXE"], [175, "hex:b105018086100e"]]
ARCHES = [0, 6, 7, 9, 10, 11, 16]
# The ROM's option 94 (network interface identifier): UNDI 2.1 / 3.0.
UNDI = {0: [1, 2, 1]}


def vendor(arch, kind="PXEClient"):
	undi = "002001" if arch == 0 else "003016"
	return "%s:Arch:%05d:UNDI:%s" % (kind, arch, undi)


def pxe_opts(arch=0, prl=None, vclass=None, uuid=True, extra=(),
    mms=1260):
	"""The options of a PXE ROM's DISCOVER (Appendix A header); option
	57 = MMS unless it is None."""
	o = [[57, list(struct.pack("!H", mms))]] if mms is not None else []
	o += [[55, prl if prl is not None else PRL_ROM],
	    [60, vclass or vendor(arch)], [93, list(struct.pack("!H", arch))],
	    [94, UNDI.get(arch, [1, 3, 0])]]
	if uuid:
		o.append([97, UUID])
	return o + list(extra)


def disc(name, arch=0, mac=MAC_A, **k):
	extra = k.pop("extra", ())
	o = pxe_opts(arch, k.pop("prl", None), k.pop("vclass", None),
	    extra=extra, mms=k.pop("mms", 1260))
	return dict({"case": name, "msg": DISCOVER, "mac": mac,
	    "options": o}, **k)


def req(name, arch=0, mac=MAC_A, addr="@", sid=SERVER, **k):
	"""SELECTING REQUEST for ADDR ("@" = the yiaddr of the last reply
	with one, i.e. the OFFER before it)."""
	extra = k.pop("extra", ())
	o = pxe_opts(arch, k.pop("prl", None), k.pop("vclass", None),
	    extra=extra, mms=k.pop("mms", 1260))
	return dict({"case": name, "msg": REQUEST, "mac": mac,
	    "options": o + [[50, addr], [54, sid]]}, **k)


def item(t, layer=0):
	return [43, list(struct.pack("!BBHH", 71, 4, t, layer)) + [255]]


def boot(name, t=None, layer=0, arch=0, sport=68, mac=MAC_A, msg=REQUEST,
    dport=4011, **k):
	"""The boot-server REQUEST: unicast from ciaddr to the server's
	port 4011 (or 67), option 43 sub 71 asking for item T, layer."""
	extra = k.pop("extra", ())
	o = pxe_opts(arch, k.pop("prl", None), k.pop("vclass", None),
	    mms=k.pop("mms", 1260))
	if t is not None:
		o.append(item(t, layer))
	return dict({"case": name, "msg": msg, "mac": mac, "ciaddr": CI,
	    "ip_src": CI, "ip_dst": SERVER, "eth_dst": "server",
	    "sport": sport, "dport": dport, "options": o + list(extra)}, **k)


def none(spec):
	spec["expect"] = "none"
	return spec


# --- configurations ------------------------------------------------------
# "mode": "full" adds the 198.51.100.50-150 range and no-ping; "proxy" adds
# dhcp-range=198.51.100.0,proxy.  test.sh adds interface, port=0, log-dhcp.

CONFIGS = {}

# A.1: plain dhcp-boot, no PXE synthesis.
CONFIGS["bios-boot"] = ("full", [
	"dhcp-boot=pxelinux.0",
], [
	disc("a1_discover"),
	req("a1_request"),
	disc("a1_discover_short_prl_bcast", prl=PRL_SHORT, flags=0x8000),
	disc("a1_discover_uefi7", arch=7),
	# no pxe-service/pxe-prompt: nothing listens on 4011
	none(boot("a1_4011_request_item", 0x8000)),
	none(boot("a1_4011_request_renew")),
	none(dict(disc("a1_4011_discover"), ciaddr=CI, ip_src=CI,
	    ip_dst=SERVER, eth_dst="server", dport=4011)),
	none(boot("a1_4011_inform", msg=INFORM)),
])

# A.2: menu with a prompt; boot items on 4011 and 67.
CONFIGS["menu"] = ("full", [
	'pxe-prompt="Press F8 for boot menu",10',
	'pxe-service=x86PC,"Boot from local disk"',
	'pxe-service=x86PC,"Install Linux",pxelinux',
], [
	disc("a2_discover"),
	req("a2_request"),
	boot("a2_4011_item0", 0x8000),
	boot("a2_4011_item_layer1_sport4011", 0x8000, 1, sport=4011),
	boot("a2_4011_prl_without_43", 0x8000, prl=[1, 3]),
	boot("a2_67_boot_item", 0x8000, dport=67, ip_dst="255.255.255.255",
	    eth_dst=dhcpraw.BCAST_MAC),
	none(boot("a2_4011_local_item", 0)),
	none(boot("a2_4011_bis_layer", 0x8000, 0x8000)),
	none(dict(disc("a2_4011_discover"), ciaddr=CI, ip_src=CI,
	    ip_dst=SERVER, eth_dst="server", dport=4011)),
	disc("a2_discover_uefi7_no_item", arch=7),
	boot("a2_inform_4011", 0x8000, msg=INFORM),
])

# A.2 variants: six services, no prompt (shared 0x8000 counter, broadcast
# discovery for a typed service without a server).
CONFIGS["menu-six"] = ("full", [
	'pxe-service=x86PC,"Local"',
	'pxe-service=x86PC,"Linux",pxelinux',
	'pxe-service=x86PC,"Remote",3,198.51.100.77',
	'pxe-service=x86PC,"Discover type 5",5',
	'pxe-service=X86-64_EFI,"EFI",bootx64.efi',
	'pxe-service=x86PC,"iPXE",undionly.kpxe',
], [
	disc("six_discover", prl=[1, 3, 6, 43, 60, 66, 67]),
	boot("six_4011_ipxe", 0x8002),
	none(boot("six_4011_remote_type3", 3)),
	none(boot("six_4011_type5_no_server", 5)),
	disc("six_discover_uefi7", arch=7),
])

# Every architecture with menus, dhcp-match tags and tagged dhcp-boot lines
# (full DHCP).  A.3: one basename service for arch 7 -> no 43, no file.
CONFIGS["arch-full"] = ("full", [
	"dhcp-match=set:bios,option:client-arch,0",
	"dhcp-match=set:efi-ia32,option:client-arch,6",
	"dhcp-match=set:efi-x86_64,option:client-arch,7",
	"dhcp-match=set:efi-x86_64,option:client-arch,9",
	"dhcp-match=set:efi-arm32,option:client-arch,10",
	"dhcp-match=set:efi-arm64,option:client-arch,11",
	"dhcp-match=set:efi-http,option:client-arch,16",
	"dhcp-boot=tag:bios,undionly.kpxe",
	"dhcp-boot=tag:efi-ia32,ipxe32.efi,bootsrv,198.51.100.9",
	"dhcp-boot=tag:efi-arm64,arm64/grubaa64.efi",
	"dhcp-boot=tag:efi-http,http://198.51.100.1/efi/bootx64.efi",
	'pxe-service=x86PC,"BIOS Linux",pxelinux',
	'pxe-service=x86PC,"BIOS local"',
	'pxe-service=X86-64_EFI,"UEFI Linux",bootx64.efi',
	'pxe-service=BC_EFI,"BC one",bc.efi',
	'pxe-service=BC_EFI,"BC two",bc2.efi,198.51.100.9',
	'pxe-service=ARM32_EFI,"ARM32",arm32.efi',
	'pxe-service=ARM64_EFI,"ARM64",arm64.efi',
], [disc("full_discover_arch%d" % a, arch=a, prl=PRL_ROM97)
    for a in ARCHES] + [
	req("full_request_arch0", arch=0, prl=PRL_ROM97),
	req("full_request_arch7", arch=7, prl=PRL_ROM97),
	req("full_request_arch11", arch=11, prl=PRL_ROM97),
	none(boot("full_4011_arch7_no_item", arch=7)),
	boot("full_4011_arch7_item", 0x8001, arch=7),
	boot("full_4011_arch9_item_bc2", 0x8003, arch=9),
	boot("full_4011_arch11_item", 0x8005, arch=11),
	disc("full_discover_arch7_prl_short", arch=7, prl=PRL_SHORT),
	disc("full_discover_arch0_prl_short", arch=0, prl=PRL_SHORT),
])

# A.3 c2: two UEFI services + tagged dhcp-boot -> menu and file together.
CONFIGS["uefi-c2"] = ("full", [
	"dhcp-match=set:efi-x86_64,option:client-arch,7",
	"dhcp-boot=tag:efi-x86_64,bootx64.efi",
	"dhcp-boot=tag:!efi-x86_64,pxelinux.0",
	'pxe-service=X86-64_EFI,"UEFI Linux",bootx64.efi',
	'pxe-service=X86-64_EFI,"UEFI iPXE",ipxe.efi',
], [
	disc("c2_discover_arch7", arch=7, prl=PRL_ROM97),
	disc("c2_discover_arch0", arch=0, prl=PRL_ROM97),
	boot("c2_4011_arch7_ipxe", 0x8001, arch=7),
])

# A.4: proxy mode.
CONFIGS["proxy"] = ("proxy", [
	'pxe-prompt="Booting from network",5',
	'pxe-service=x86PC,"Network boot (BIOS)",pxelinux',
	'pxe-service=X86-64_EFI,"Network boot (UEFI)",bootx64.efi',
], [
	disc("proxy_discover_bios_bcast", flags=0x8000),
	disc("proxy_discover_bios"),
	none(req("proxy_request_67_other_server", addr=CI,
	    sid="198.51.100.254")),
	none({"case": "proxy_discover_not_pxe", "msg": DISCOVER,
	    "mac": MAC_B, "options": [[55, dhcpraw.PRL_BASE]]}),
	none({"case": "proxy_discover_no_93", "msg": DISCOVER, "mac": MAC_B,
	    "options": [[55, PRL_ROM], [60, vendor(0)]]}),
	boot("proxy_4011_bios_item", 0x8000),
	boot("proxy_4011_bios_no_item"),
	boot("proxy_4011_bios_item_sport4011", 0x8000, sport=4011),
	disc("proxy_discover_uefi7", arch=7),
	boot("proxy_4011_uefi7_no_item", arch=7),
	boot("proxy_4011_uefi7_no_item_sport4011", arch=7, sport=4011),
	disc("proxy_discover_arch9", arch=9),
	disc("proxy_discover_arch11", arch=11),
	boot("proxy_4011_arch11_no_item", arch=11),
	none(disc("proxy_discover_arch16_http", arch=16,
	    vclass="HTTPClient:Arch:00016:UNDI:003001", prl=PRL_HTTP)),
	dict(disc("proxy_4011_discover_bios"), ciaddr=CI, ip_src=CI,
	    ip_dst=SERVER, eth_dst="server", dport=4011),
])

# Proxy mode with every architecture, tags, dhcp-boot for the arches
# without a service, and no prompt.
CONFIGS["proxy-arch"] = ("proxy", [
	"dhcp-match=set:efi-ia32,option:client-arch,6",
	"dhcp-match=set:efi-x86_64,option:client-arch,7",
	"dhcp-match=set:efi-x86_64,option:client-arch,9",
	"dhcp-match=set:efi-arm64,option:client-arch,11",
	"dhcp-match=set:efi-http,option:client-arch,16",
	"dhcp-boot=tag:efi-ia32,ipxe32.efi,,198.51.100.9",
	"dhcp-boot=tag:efi-http,http://198.51.100.1/efi/bootx64.efi",
	"dhcp-boot=undionly.kpxe",
	'pxe-service=x86PC,"BIOS",pxelinux',
	'pxe-service=X86-64_EFI,"UEFI one",bootx64.efi',
	'pxe-service=X86-64_EFI,"UEFI two",ipxe.efi,198.51.100.9',
	'pxe-service=tag:efi-x86_64,BC_EFI,"BC",bc.efi',
	'pxe-service=ARM64_EFI,"ARM64",arm64.efi,198.51.100.9',
	'pxe-service=10,"ARM32 numeric",arm32.efi',
], [disc("parch_discover_arch%d" % a, arch=a) for a in ARCHES] + [
	boot("parch_4011_arch0_no_item", arch=0),
	boot("parch_4011_arch6_no_item", arch=6),
	boot("parch_4011_arch7_no_item_menu", arch=7),
	boot("parch_4011_arch7_item_two", 0x8002, arch=7),
	boot("parch_4011_arch9_no_item", arch=9),
	boot("parch_4011_arch10_no_item", arch=10),
	boot("parch_4011_arch11_no_item", arch=11),
	boot("parch_4011_arch16_no_item", arch=16),
])

# Proxy without pxe-service / pxe-prompt: inert (no 4011 socket either).
CONFIGS["proxy-inert"] = ("proxy", [
	"dhcp-boot=pxelinux.0",
], [
	none(disc("inert_discover")),
	none(disc("inert_discover_uefi7", arch=7)),
	none(req("inert_request", addr=CI)),
	none(boot("inert_4011", 0x8000)),
])

# A.5 / A.6: iPXE chainloading and UEFI HTTP boot (full DHCP).
IPXE_CONF = [
	"dhcp-match=set:ipxe175,175",
	"dhcp-userclass=set:ipxe,iPXE",
	"dhcp-boot=tag:!ipxe,undionly.kpxe",
	"dhcp-boot=tag:ipxe,http://198.51.100.1/boot.ipxe",
	"dhcp-vendorclass=set:httpboot,HTTPClient",
	"dhcp-option-force=tag:httpboot,option:vendor-class,HTTPClient",
	"dhcp-boot=tag:httpboot,http://198.51.100.1/efi/bootx64.efi",
]
HTTP = "HTTPClient:Arch:00016:UNDI:003001"
CONFIGS["ipxe"] = ("full", IPXE_CONF, [
	disc("ipxe_rom_discover"),
	req("ipxe_rom_request"),
	disc("ipxe_discover", prl=PRL_IPXE, extra=IPXE),
	req("ipxe_request", prl=PRL_IPXE, extra=IPXE),
	disc("ipxe_discover_rfc3004_userclass", prl=PRL_IPXE,
	    extra=[[77, [4] + list(b"iPXE")]]),
	disc("ipxe_discover_uefi7", arch=7, prl=PRL_IPXE, extra=IPXE),
	disc("http_discover", arch=16, vclass=HTTP, prl=PRL_HTTP),
	req("http_request", arch=16, vclass=HTTP, prl=PRL_HTTP),
	disc("http_discover_arch19", arch=19,
	    vclass="HTTPClient:Arch:00019:UNDI:003001", prl=PRL_HTTP),
])

# The A.5 variant: pxe-service for the ROM, dhcp-boot URL for iPXE, plus
# the HTTP boot client: menus and dhcp-boot together.
CONFIGS["ipxe-menu"] = ("full", [
	"dhcp-match=set:ipxe175,175",
	"dhcp-userclass=set:ipxe,iPXE",
	"dhcp-boot=tag:ipxe,http://198.51.100.1/boot.ipxe",
	'pxe-service=tag:!ipxe,x86PC,"chain to iPXE",undionly.kpxe',
	'pxe-service=tag:!ipxe,X86-64_EFI,"chain to iPXE",ipxe.efi',
	"dhcp-vendorclass=set:httpboot,HTTPClient",
	"dhcp-option-force=tag:httpboot,option:vendor-class,HTTPClient",
	"dhcp-boot=tag:httpboot,http://198.51.100.1/efi/bootx64.efi",
], [
	disc("ipxem_rom_discover"),
	disc("ipxem_ipxe_discover", prl=PRL_IPXE, extra=IPXE),
	req("ipxem_ipxe_request", prl=PRL_IPXE, extra=IPXE),
	disc("ipxem_rom_uefi7_discover", arch=7),
	disc("ipxem_ipxe_uefi7_discover", arch=7, prl=PRL_IPXE, extra=IPXE),
	boot("ipxem_4011_rom_item", 0x8000),
	disc("ipxem_http_discover", arch=16, vclass=HTTP, prl=PRL_HTTP),
])

# iPXE beside a router: proxy mode.
CONFIGS["ipxe-proxy"] = ("proxy", [
	"dhcp-userclass=set:ipxe,iPXE",
	"dhcp-boot=tag:ipxe,http://198.51.100.1/boot.ipxe",
	'pxe-service=tag:!ipxe,x86PC,"chain to iPXE",undionly.kpxe',
	'pxe-service=tag:!ipxe,X86-64_EFI,"chain to iPXE",ipxe.efi',
], [
	disc("ipxep_rom_discover"),
	boot("ipxep_rom_4011_item", 0x8000),
	disc("ipxep_ipxe_discover", prl=PRL_IPXE, extra=IPXE),
	disc("ipxep_rom_uefi7_discover", arch=7),
	boot("ipxep_rom_uefi7_4011", arch=7),
	disc("ipxep_ipxe_uefi7_discover", arch=7, prl=PRL_IPXE, extra=IPXE),
])

# Malformed 43/60/93/97, against a menu in proxy mode (the PXE paths
# decode every one of them).  The last case proves the server still runs.
def bad(name, opts, msg=DISCOVER, port4011=False, expect=None):
	s = {"case": name, "msg": msg, "mac": MAC_A,
	    "options": [[55, PRL_ROM97]] + opts}
	if port4011:
		s.update(ciaddr=CI, ip_src=CI, ip_dst=SERVER, eth_dst="server",
		    dport=4011)
	if expect == "none":
		s["expect"] = "none"
	return s


V0 = [60, vendor(0)]
CONFIGS["malformed"] = ("proxy", [
	'pxe-prompt="Press F8",3',
	'pxe-service=x86PC,"Linux",pxelinux',
	'pxe-service=X86-64_EFI,"UEFI",bootx64.efi',
	'dhcp-boot=fallback.0',
], [
	bad("bad93_one_byte", [V0, [93, [0]], [97, UUID]], expect="none"),
	bad("bad93_empty", [V0, [93, []], [97, UUID]], expect="none"),
	bad("bad93_three_bytes", [V0, [93, [0, 7, 1]], [97, UUID]]),
	bad("bad93_unknown_arch", [V0, [93, [0x12, 0x34]], [97, UUID]]),
	bad("bad93_ffff", [V0, [93, [0xff, 0xff]], [97, UUID]]),
	bad("bad93_list_7_then_0", [V0, [93, [0, 7, 0, 0]], [97, UUID]]),
	bad("bad97_short", [V0, [93, [0, 0]], [97, UUID[:16]]]),
	bad("bad97_long", [V0, [93, [0, 0]], [97, UUID + [1, 2, 3]]]),
	bad("bad97_empty", [V0, [93, [0, 0]], [97, []]]),
	bad("bad60_bare", [[60, "PXEClient"], [93, [0, 0]]]),
	bad("bad60_prefix", [[60, "PXEClien"], [93, [0, 0]]], expect="none"),
	bad("bad60_nonnumeric_arch", [[60, "PXEClient:Arch:0x7zz:UNDI:1"],
	    [93, [0, 0]]]),
	bad("bad60_arch_in_60_only", [[60, vendor(7)]], expect="none"),
	bad("bad60_binary", [[60, "hex:505845436c69656e7400ff01"],
	    [93, [0, 0]]]),
	bad("bad60_empty", [[60, []], [93, [0, 0]]], expect="none"),
	bad("bad43_sub71_short", [V0, [93, [0, 0]], [97, UUID],
	    [43, [71, 3, 0x80, 0, 0, 255]]], msg=REQUEST, port4011=True),
	bad("bad43_sub71_overrun", [V0, [93, [0, 0]], [97, UUID],
	    [43, [71, 9, 0x80, 0, 0, 0]]], msg=REQUEST, port4011=True),
	bad("bad43_one_byte", [V0, [93, [0, 0]], [97, UUID], [43, [71]]],
	    msg=REQUEST, port4011=True),
	bad("bad43_no_end", [V0, [93, [0, 0]], [97, UUID],
	    [43, [71, 4, 0x80, 0, 0, 0]]], msg=REQUEST, port4011=True),
	bad("bad43_pad_then_item", [V0, [93, [0, 0]], [97, UUID],
	    [43, [0, 0, 71, 4, 0x80, 0, 0, 0, 255]]], msg=REQUEST,
	    port4011=True),
	bad("bad43_unknown_type", [V0, [93, [0, 0]], [97, UUID],
	    [43, [71, 4, 0x12, 0x34, 0, 0, 255]]], msg=REQUEST, port4011=True,
	    expect="none"),
	bad("bad43_empty", [V0, [93, [0, 0]], [97, UUID], [43, []]],
	    msg=REQUEST, port4011=True),
	bad("bad43_in_discover", [V0, [93, [0, 0]], [97, UUID],
	    [43, [71, 4, 0x80, 0, 0, 0, 255]]]),
	disc("bad_after_all_alive"),
])

# Boot-server requests from odd places, server names from /etc/hosts
# (localhost), dhcp-ignore, vendor options beside the menu, a configured
# option 60, non-PXE clients under a PXE configuration (full DHCP).
CONFIGS["full-more"] = ("full", [
	"dhcp-mac=set:ign,52:54:00:00:00:1e",
	"dhcp-ignore=tag:ign",
	"dhcp-match=set:efi-x86_64,option:client-arch,7",
	"dhcp-boot=tag:efi-x86_64,grubx64.efi,bootsrv,localhost",
	"dhcp-option=vendor:PXEClient,1,0.0.0.0",
	"dhcp-option=option:vendor-class,Configured",
	'pxe-prompt=tag:!efi-x86_64,"Menu",2',
	'pxe-service=x86PC,"Named",7,localhost',
	'pxe-service=x86PC,"Linux",pxelinux,localhost',
	'pxe-service=x86PC,"Remote",pxe2,198.51.100.9',
	'pxe-service=X86-64_EFI,"EFI a",a.efi',
	'pxe-service=X86-64_EFI,"EFI b",b.efi,localhost',
], [
	disc("fm_discover_bios"),
	disc("fm_discover_uefi7", arch=7),
	req("fm_request_uefi7", arch=7),
	{"case": "fm_discover_not_pxe", "msg": DISCOVER, "mac": MAC_B,
	    "options": [[55, PRL_ROM], [60, "MSFT 5.0"]]},
	none(disc("fm_discover_ignored", mac="52:54:00:00:00:1e")),
	boot("fm_4011_named_item", 0x8000),
	boot("fm_4011_remote_item", 0x8001),
	none(boot("fm_4011_type7_no_basename", 7)),
	boot("fm_4011_efi_b", 0x8003, arch=7),
	boot("fm_4011_src_not_ciaddr", 0x8000, ip_src=NET + ".108"),
	none(boot("fm_4011_ciaddr0", 0x8000, ciaddr="0.0.0.0")),
	boot("fm_4011_item_arch_mismatch", 0x8002, arch=7),
	boot("fm_67_unicast_boot_item", 0x8000, dport=67),
])

# Proxy mode: dhcp-ignore (proxy-ignored), requests to 4011 with ciaddr 0
# or from another address, a relayed DISCOVER, dhcp-pxe-vendor.
CONFIGS["proxy-more"] = ("proxy", [
	"dhcp-mac=set:ign,52:54:00:00:00:1e",
	"dhcp-ignore=tag:ign",
	"dhcp-pxe-vendor=PXEClient,Etherboot",
	'pxe-service=x86PC,"BIOS",pxelinux',
	'pxe-service=x86PC,"Second",second.0,198.51.100.9',
	'pxe-service=X86-64_EFI,"UEFI",bootx64.efi,localhost',
], [
	disc("pm_discover_bios"),
	none(disc("pm_discover_ignored", mac="52:54:00:00:00:1e")),
	disc("pm_discover_etherboot", vclass="Etherboot-5.4"),
	boot("pm_4011_no_item_ciaddr0", ciaddr="0.0.0.0"),
	boot("pm_4011_no_item_src_not_ciaddr", ip_src=NET + ".108"),
	boot("pm_4011_item_src_not_ciaddr", 0x8001, ip_src=NET + ".108"),
	disc("pm_discover_uefi7", arch=7),
	boot("pm_4011_uefi7_named_server", arch=7),
	none(boot("pm_inform_4011_no_item", msg=INFORM)),
	none(boot("pm_4011_ignored", 0x8000, mac="52:54:00:00:00:1e")),
	none(req("pm_request_67_selecting", addr=CI)),
	none(boot("pm_request_67_with_ciaddr", dport=67)),
	# boot-server requests broadcast to port 4011
	boot("pm_4011_bcast_item", 0x8000, ip_dst="255.255.255.255",
	    eth_dst=dhcpraw.BCAST_MAC),
	boot("pm_4011_bcast_no_item", ip_dst="255.255.255.255",
	    eth_dst=dhcpraw.BCAST_MAC),
	none(boot("pm_4011_bcast_src0_item", 0x8000, ip_src="0.0.0.0",
	    ip_dst="255.255.255.255", eth_dst=dhcpraw.BCAST_MAC)),
	none(boot("pm_4011_bcast_src0_ciaddr0", ip_src="0.0.0.0",
	    ciaddr="0.0.0.0", ip_dst="255.255.255.255",
	    eth_dst=dhcpraw.BCAST_MAC)),
])

# PXE clients behind a relay (giaddr; the reply goes to the relay's port
# 67 through 198.51.100.2, which dhcpraw.py answers ARP for), per-host
# tags and boot files, and a reply too big for the client's 576 bytes
# (option overload into file/sname).
RELAY = "203.0.113.1"
MAC_R = "52:54:00:00:00:5e"


def relayed(spec):
	spec.update(giaddr=RELAY, hops=1, ip_src=RELAY, ip_dst=SERVER,
	    eth_dst="server", sport=67, eth_src="if", mac=MAC_R)
	return spec


CONFIGS["relay-hosts"] = ("full", [
	"dhcp-range=203.0.113.100,203.0.113.200,255.255.255.0,4h",
	"dhcp-host=52:54:00:00:00:0b,set:lab,198.51.100.20",
	"dhcp-host=52:54:00:00:00:0c,ignore",
	"dhcp-boot=tag:lab,lab/pxelinux.0,labsrv,198.51.100.9",
	"dhcp-boot=tag:known,known.0",
	'pxe-prompt=tag:lab,"Lab menu",9',
	'pxe-service=tag:lab,x86PC,"Lab install",lab',
	'pxe-service=x86PC,"Linux",pxelinux',
	'pxe-service=x86PC,"Local"',
	'pxe-service=X86-64_EFI,"UEFI",bootx64.efi',
], [
	relayed(disc("relay_discover_bios")),
	relayed(req("relay_request_bios")),
	relayed(disc("relay_discover_uefi7", arch=7)),
	disc("host_lab_discover", mac=MAC_B),
	req("host_lab_request", mac=MAC_B),
	boot("host_lab_4011_item", 0x8000, mac=MAC_B, ciaddr=NET + ".20",
	    ip_src=NET + ".20"),
	disc("host_lab_discover_uefi7", arch=7, mac=MAC_B),
	none(disc("host_ignored_discover", mac="52:54:00:00:00:0c")),
	disc("host_other_discover"),
])

CONFIGS["overload"] = ("full", [
	'dhcp-option=vendor:PXEClient,1,"%s"' % ("v" * 120),
	'dhcp-option=option:domain-search,%s' % ",".join(
	    "d%d.example" % i for i in range(12)),
	'dhcp-option=17,"/%s"' % ("r" * 100),
	"dhcp-boot=pxelinux.0,bootsrv,198.51.100.9",
	'pxe-prompt="%s",4' % ("Prompt " * 10),
	'pxe-service=x86PC,"%s",pxelinux' % ("Menu entry " * 6),
	'pxe-service=x86PC,"Local"',
], [
	disc("ovl_discover_576", prl=PRL_ROM + [17, 119], mms=576),
	disc("ovl_discover_1260", prl=PRL_ROM + [17, 119]),
	disc("ovl_discover_no57", prl=PRL_ROM + [17, 119], mms=None),
	req("ovl_request_576", prl=PRL_ROM + [17, 119], mms=576),
	boot("ovl_4011_item_576", 0x8000, prl=PRL_ROM + [17, 119], mms=576),
])

# Server names resolved through a hosts file (DNS on: port 53 inside the
# namespace, addn-hosts; test.sh writes @HOSTS@: bootsrv twice, efisrv
# once): each lookup, repeated, in menus, boot items and dhcp-boot.
CONFIGS["names-dns"] = ("full-dns", [
	"addn-hosts=@HOSTS@",
	"dhcp-boot=boot.0,,bootsrv",
	'pxe-service=x86PC,"Remote",7,bootsrv',
	'pxe-service=x86PC,"Linux",lin,bootsrv',
	'pxe-service=x86PC,"Nowhere",8,nosuch',
	'pxe-service=x86PC,"Mixed",9,mixsrv',
	'pxe-service=x86PC,"Not first",10,nrsrv',
	'pxe-service=x86PC,"Three",11,tri',
	'pxe-service=X86-64_EFI,"EFI",e.efi,efisrv',
], [
	disc("dns_discover_1"),
	disc("dns_discover_2"),
	disc("dns_discover_3"),
	boot("dns_4011_linux_1", 0x8000),
	boot("dns_4011_linux_2", 0x8000),
	disc("dns_discover_uefi7", arch=7),
	boot("dns_4011_efi", 0x8001, arch=7),
])
CONFIGS["names-dns-proxy"] = ("proxy-dns", [
	"addn-hosts=@HOSTS@",
	'pxe-service=x86PC,"Remote",7,bootsrv',
	'pxe-service=X86-64_EFI,"EFI",e.efi,efisrv',
	"dhcp-boot=boot.0,,bootsrv",
], [
	disc("dnsp_discover_bios"),
	disc("dnsp_discover_uefi7", arch=7),
	boot("dnsp_4011_uefi7_1", arch=7),
	boot("dnsp_4011_uefi7_2", arch=7),
	disc("dnsp_discover_arch11", arch=11),
])

# Boot file names over 127 bytes: option 67 when the client asks for it
# (whole, with its NUL), else the file field (cut to 127 bytes).
LONG200 = "boot/" + "x" * 191 + ".efi"
LONG127 = "y" * 123 + ".efi"
CONFIGS["longname"] = ("full", [
	"dhcp-match=set:efi-x86_64,option:client-arch,7",
	"dhcp-match=set:arm,option:client-arch,11",
	"dhcp-boot=tag:efi-x86_64," + LONG200,
	"dhcp-boot=tag:arm," + LONG127,
	"dhcp-boot=pxelinux.0",
], [
	disc("long_discover_prl67", arch=7),
	disc("long_discover_no67", arch=7, prl=PRL_SHORT),
	req("long_request_prl67", arch=7),
	disc("long127_discover_prl67", arch=11),
	disc("long127_discover_no67", arch=11, prl=PRL_SHORT),
])
CONFIGS["longname-edge"] = ("full", [
	"dhcp-match=set:a6,option:client-arch,6",
	"dhcp-match=set:a7,option:client-arch,7",
	"dhcp-match=set:a9,option:client-arch,9",
	"dhcp-match=set:a10,option:client-arch,10",
	"dhcp-boot=tag:a6," + "a" * 254,
	"dhcp-boot=tag:a7," + "b" * 255,
	"dhcp-boot=tag:a9," + "c" * 256,
	"dhcp-boot=tag:a10," + "d" * 300,
], [
	disc("edge_254", arch=6),
	disc("edge_255", arch=7),
	disc("edge_256", arch=9),
	disc("edge_300", arch=10),
	disc("edge_alive", arch=0),
])
CONFIGS["longname-proxy"] = ("proxy", [
	"dhcp-boot=" + LONG200,
	'pxe-service=x86PC,"BIOS",pxelinux',
], [
	disc("longp_discover_uefi7", arch=7),
	boot("longp_4011_uefi7", arch=7),
])


def resolve_last(spec, last):
	"""Replaces "@" in option 50 by the last reply's yiaddr."""
	s = dict(spec)
	s["options"] = [[c, (last or "0.0.0.0") if v == "@" else v]
	    for c, v in s["options"]]
	return s


def cmd_record(cl, name, out):
	_mode, _lines, cases = CONFIGS[name]
	last = None
	with open(out, "w") as f:
		for i, case in enumerate(cases):
			spec = dhcpraw.resolve(resolve_last(case, last), {},
			    cl.if_mac)
			# answer ARP for the source address too (it may
			# differ from ciaddr)
			if spec.get("ip_src", "0.0.0.0") != "0.0.0.0":
				spec.setdefault("claim", {})[spec["ip_src"]] = \
				    spec.get("mac", MAC_A)
			spec["xid"] = 0x50000 + (sorted(CONFIGS).index(name)
			    << 8) + i
			replies = cl.exchange(spec, first=4.0)
			for r in replies:
				if r["yiaddr"] != "0.0.0.0":
					last = r["yiaddr"]
			f.write(json.dumps({"case": case["case"],
			    "replies": replies}, sort_keys=True) + "\n")


def main(argv):
	if argv[:1] == ["names"]:
		print(" ".join(CONFIGS))
		return 0
	if argv[:1] == ["count"]:
		print(sum(len(c[2]) for c in CONFIGS.values()))
		return 0
	if len(argv) == 2 and argv[0] == "conf":
		mode, lines, _cases = CONFIGS[argv[1]]
		print("# mode: " + mode)
		print("\n".join(lines))
		return 0
	if len(argv) >= 3 and argv[0] == "record":
		iface = os.environ.get("PXE_IFACE", "pxv1")
		cl = dhcpraw.Client(iface, os.environ.get("PXE_SERVER_MAC",
		    "02:00:00:00:00:01"))
		cmd_record(cl, argv[1], argv[2])
		return 0
	print(__doc__, file=sys.stderr)
	return 2


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
