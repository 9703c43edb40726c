#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# explain_check.sh - pxemasq --explain from the command line (issue 10),
# without root, network or dnsmasq (make check-quick):
#   boot      for dnsmasq-pxe.conf and every conf/*.conf, client arch 0, 7,
#             9 and 11 (and a few iPXE / known-MAC clients), the boot file
#             and server --explain predicts; the table below was checked
#             against real dnsmasq 2.90 by compat-tests/explain/test.sh
#             (which compares the same cases live, as root)
#   pcap      --explain-pcap on captures made here (python3 struct):
#             Ethernet and Linux cooked, both byte orders, a reply and a
#             non-DHCP packet before the request; the same result as the
#             description words
#   errors    a bad description word, a missing file and a pcapng file
#             exit 1 with a message
#   nonroot   as root, the check runs again as nobody (setpriv)
#   nosocket  with strace: no bind() at all
# Output: "PASS: ..." / "FAIL: ..." lines, "SKIP: ..." for parts whose tools
# are missing.  Exit 0 when none failed.
#
# Environment: PXEMASQ (default build/pxemasq), PYTHON (python3).

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
pxemasq=${PXEMASQ:-$root/build/pxemasq}
py=${PYTHON:-python3}
tmp=$(mktemp -d /tmp/pxemasq-explain.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
failed=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# result CONF WORDS...: "boot-file: F|boot-server: S" from --explain.
result() {
	local conf=$1
	shift
	"$pxemasq" -C "$conf" --explain "$@" 2> /dev/null |
	    sed -n '/^result:/,/^$/s/^  \(boot-[a-z]*: .*\)/\1/p' |
	    paste -sd '|'
}

# CONF|WORDS|BOOT-FILE|BOOT-SERVER, as dnsmasq 2.90 answered
# (compat-tests/explain/test.sh; interface= and addr= as there).
EXPECT=$(cat << 'TABLE'
dnsmasq-pxe.conf|arch=0 mac=52:54:00:12:34:56|pxelinux.0|198.51.100.1
dnsmasq-pxe.conf|arch=7 mac=52:54:00:12:34:56|ipxe.efi|198.51.100.1
dnsmasq-pxe.conf|arch=9 mac=52:54:00:12:34:56|ipxe.efi|198.51.100.1
dnsmasq-pxe.conf|arch=11 mac=52:54:00:12:34:56|grubaa64.efi|198.51.100.1
dnsmasq-pxe.conf|arch=9 mac=52:54:00:aa:bb:cc user-class=iPXE|boot.ipxe|198.51.100.1
ipxe-http-chain.conf|arch=0 mac=52:54:00:12:34:56|undionly.kpxe|198.51.100.1
ipxe-http-chain.conf|arch=7 mac=52:54:00:12:34:56|ipxe.efi|198.51.100.1
ipxe-http-chain.conf|arch=9 mac=52:54:00:12:34:56|ipxe.efi|198.51.100.1
ipxe-http-chain.conf|arch=11 mac=52:54:00:12:34:56|ipxe-arm64.efi|198.51.100.1
ipxe-http-chain.conf|arch=0 mac=52:54:00:12:34:56 user-class=iPXE|http://198.51.100.5/boot.ipxe|198.51.100.1
ipxe-http-chain.conf|arch=7 mac=52:54:00:12:34:56 user-class=iPXE|http://198.51.100.5/boot.ipxe|198.51.100.1
lan-bios-uefi-menu.conf|arch=0 mac=52:54:00:12:34:56|pxelinux.0|198.51.100.1
lan-bios-uefi-menu.conf|arch=7 mac=52:54:00:12:34:56|bootx64.efi|198.51.100.1
lan-bios-uefi-menu.conf|arch=9 mac=52:54:00:12:34:56|bootx64.efi|198.51.100.1
lan-bios-uefi-menu.conf|arch=11 mac=52:54:00:12:34:56|bootaa64.efi|198.51.100.1
mac-locked.conf|arch=0 mac=52:54:00:00:00:11|installer/pxelinux.0|198.51.100.1
mac-locked.conf|arch=7 mac=52:54:00:00:00:11|installer/bootx64.efi|198.51.100.1
mac-locked.conf|arch=9 mac=52:54:00:00:00:11|installer/bootx64.efi|198.51.100.1
mac-locked.conf|arch=11 mac=52:54:00:00:00:11|(none)|198.51.100.1
mac-locked.conf|arch=0 mac=52:54:00:00:00:21|rescue/pxelinux.0|198.51.100.1
mac-locked.conf|arch=7 mac=52:54:00:00:00:31|diskless/bootx64.efi|198.51.100.1
mac-locked.conf|arch=0 mac=52:54:00:99:99:99|(none)|(none)
netboot-xyz.conf|arch=0 mac=52:54:00:12:34:56|netboot.xyz.kpxe|203.0.113.1
netboot-xyz.conf|arch=7 mac=52:54:00:12:34:56|netboot.xyz.efi|203.0.113.1
netboot-xyz.conf|arch=9 mac=52:54:00:12:34:56|netboot.xyz.efi|203.0.113.1
netboot-xyz.conf|arch=11 mac=52:54:00:12:34:56|netboot.xyz-arm64.efi|203.0.113.1
proxy-beside-router.conf|arch=0 mac=52:54:00:12:34:56|pxelinux.0|203.0.113.1
proxy-beside-router.conf|arch=7 mac=52:54:00:12:34:56|bootx64.efi|203.0.113.1
proxy-beside-router.conf|arch=9 mac=52:54:00:12:34:56|bootx64.efi|203.0.113.1
proxy-beside-router.conf|arch=11 mac=52:54:00:12:34:56|bootaa64.efi|203.0.113.1
raspberry-pi4.conf|arch=0 mac=dc:a6:32:00:00:01|(none)|0.0.0.0
raspberry-pi4.conf|arch=7 mac=dc:a6:32:00:00:01|(none)|203.0.113.1
raspberry-pi4.conf|arch=9 mac=dc:a6:32:00:00:01|(none)|203.0.113.1
raspberry-pi4.conf|arch=11 mac=dc:a6:32:00:00:01|(none)|203.0.113.1
raspberry-pi4.conf|arch=0 mac=52:54:00:12:34:56|(none)|(none)
secure-boot-shim-grub.conf|arch=0 mac=52:54:00:12:34:56|pxelinux.0|198.51.100.1
secure-boot-shim-grub.conf|arch=7 mac=52:54:00:12:34:56|shimx64.efi|198.51.100.1
secure-boot-shim-grub.conf|arch=9 mac=52:54:00:12:34:56|shimx64.efi|198.51.100.1
secure-boot-shim-grub.conf|arch=11 mac=52:54:00:12:34:56|shimaa64.efi|198.51.100.1
uefi-http-boot.conf|arch=0 mac=52:54:00:12:34:56|(none)|198.51.100.1
uefi-http-boot.conf|arch=7 mac=52:54:00:12:34:56|bootx64.efi|198.51.100.1
uefi-http-boot.conf|arch=9 mac=52:54:00:12:34:56|bootx64.efi|198.51.100.1
uefi-http-boot.conf|arch=11 mac=52:54:00:12:34:56|bootaa64.efi|198.51.100.1
TABLE
)

if [ ! -x "$pxemasq" ]; then
	echo "FAIL: no pxemasq binary at $pxemasq (run make)"
	exit 1
fi

# --- boot: the table ------------------------------------------------------
n=0
while IFS='|' read -r conf words file server; do
	[ -n "$conf" ] || continue
	if [ "$conf" = dnsmasq-pxe.conf ]; then path=$root/$conf
	else path=$root/conf/$conf; fi
	ifname=$(sed -n 's/^interface=//p' "$path" | head -n 1)
	case $(sed -n 's/^dhcp-range=//p' "$path" | head -n 1) in
	203.0.113.*) addr=203.0.113.1/24 ;;
	*) addr=198.51.100.1/24 ;;
	esac
	# shellcheck disable=SC2086
	got=$(result "$path" "interface=$ifname" "addr=$addr" $words)
	want="boot-file: $file|boot-server: $server"
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		pass "boot: $conf $words: $file"
	else
		fail "boot: $conf $words: got '$got', want '$want'"
	fi
done <<< "$EXPECT"
[ "$n" -ge 36 ] || fail "boot: only $n cases in the table"

# --- pcap ---------------------------------------------------------------------
# mkpcap OUT LINK ORDER: a capture (LINK 1 Ethernet or 113 Linux cooked,
# ORDER < or >) holding an ARP frame, a DHCP OFFER (op 2) and then the
# DISCOVER of an arch 7 PXE ROM with MAC 52:54:00:aa:bb:07 and user class
# iPXE.
mkpcap() {
	"$py" - "$@" << 'PY'
import struct, sys
out, link, order = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def dhcp(op, opts):
	p = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", op, 1, 6, 0, 0x1234,
	    0, 0x8000, b"\0" * 4, b"\0" * 4, b"\0" * 4, b"\0" * 4,
	    bytes.fromhex("525400aabb07").ljust(16, b"\0"), b"", b"")
	p += b"\x63\x82\x53\x63"
	for c, v in opts:
		p += bytes([c, len(v)]) + v
	return (p + b"\xff").ljust(300, b"\0")

def udp(payload, sport, dport):
	u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
	ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(u), 1, 0, 64, 17,
	    0, b"\0" * 4, b"\xff" * 4)
	return ip + u

def frame(l3, ethertype=0x0800):
	if link == 1:
		return b"\xff" * 6 + bytes.fromhex("525400aabb07") + \
		    struct.pack("!H", ethertype) + l3
	return struct.pack("!HHH8sH", 0, 1, 6, bytes.fromhex("525400aabb07"),
	    ethertype) + l3

vc = b"PXEClient:Arch:00007:UNDI:003016"
req = dhcp(1, [(53, b"\x01"), (55, bytes([1, 3, 6, 43, 60, 66, 67])),
    (60, vc), (93, b"\x00\x07"), (94, b"\x01\x03\x00"), (77, b"iPXE")])
frames = [frame(b"\0" * 28, 0x0806), frame(udp(dhcp(2, [(53, b"\x02")]),
    67, 68)), frame(udp(req, 68, 67))]
e = order
with open(out, "wb") as f:
	f.write(struct.pack(e + "IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, link))
	for fr in frames:
		f.write(struct.pack(e + "IIII", 1, 2, len(fr), len(fr)) + fr)
PY
}

if command -v "$py" > /dev/null; then
	conf=$root/conf/ipxe-http-chain.conf
	want=$(result "$conf" interface=lan0 addr=198.51.100.1/24 arch=7 \
	    mac=52:54:00:aa:bb:07 user-class=iPXE)
	for link in 1 113; do
		for order in '<' '>'; do
			f=$tmp/c-$link-$([ "$order" = '<' ] && echo le || echo be).pcap
			mkpcap "$f" "$link" "$order"
			got=$("$pxemasq" -C "$conf" --explain-pcap "$f" \
			    interface=lan0 addr=198.51.100.1/24 2> /dev/null |
			    sed -n '/^result:/,/^$/s/^  \(boot-[a-z]*: .*\)/\1/p' |
			    paste -sd '|')
			if [ "$got" = "$want" ] &&
			    [ "$got" = "boot-file: http://198.51.100.5/boot.ipxe|boot-server: 198.51.100.1" ]; then
				pass "pcap: link $link order $order: $got"
			else
				fail "pcap: link $link order $order: got '$got', want '$want'"
			fi
		done
	done
	out=$("$pxemasq" -C "$conf" --explain-pcap "$tmp/c-1-le.pcap" \
	    interface=lan0 addr=198.51.100.1/24 2> /dev/null)
	case $out in
	*"client: mac 52:54:00:aa:bb:07, arch 7"*"(from the capture)"*"by dhcp-userclass "*)
		pass "pcap: the report names the captured client" ;;
	*) fail "pcap: the report does not name the captured client" ;;
	esac
else
	echo "SKIP: pcap: no $py"
fi

# --- errors ---------------------------------------------------------------------
err_case() {
	local name=$1 want=$2 out rc
	shift 2
	out=$("$pxemasq" "$@" 2>&1 > /dev/null)
	rc=$?
	case $out in
	*"$want"*) [ $rc = 1 ] && pass "errors: $name" ||
	    fail "errors: $name: exit $rc" ;;
	*) fail "errors: $name: '$out'" ;;
	esac
}
{ printf '\n\n\r\n\x1c\0\0\0'; head -c 40 /dev/zero; } > "$tmp/ng.pcap"
err_case "bad word" "--explain: arch: bad value 'x'" \
    -C "$root/dnsmasq-pxe.conf" --explain arch=x
err_case "not KEY=VALUE" "is not KEY=VALUE" \
    -C "$root/dnsmasq-pxe.conf" --explain bios
err_case "missing capture" "cannot read $tmp/none.pcap" \
    -C "$root/dnsmasq-pxe.conf" --explain-pcap "$tmp/none.pcap"
err_case "pcapng" "pcapng is not read" \
    -C "$root/dnsmasq-pxe.conf" --explain-pcap "$tmp/ng.pcap"
if "$pxemasq" -C "$root/dnsmasq-pxe.conf" --explain=arch=7\ mac=52:54:00:00:00:07 \
    interface=pxe0 2> /dev/null | grep -q '^client: mac 52:54:00:00:00:07, arch 7'; then
	pass "words: as the option's value"
else
	fail "words: as the option's value"
fi

# --- nonroot, nosocket ------------------------------------------------------------
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	cp "$root/dnsmasq-pxe.conf" "$tmp/p.conf"
	chmod 644 "$tmp/p.conf"
	got=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$pxemasq" -C "$tmp/p.conf" --explain arch=0 interface=pxe0 \
	    addr=198.51.100.1/24 2> /dev/null |
	    sed -n 's/^  boot-file: //p')
	[ "$got" = pxelinux.0 ] && pass "nonroot: as nobody" ||
	    fail "nonroot: as nobody: '$got'"
else
	echo "SKIP: nonroot: not root or no setpriv"
fi
if command -v strace > /dev/null; then
	strace -f -qq -e trace=bind -o "$tmp/strace" "$pxemasq" \
	    -C "$root/dnsmasq-pxe.conf" --explain arch=7 interface=pxe0 \
	    addr=198.51.100.1/24 > /dev/null 2>&1
	grep -q 'bind(' "$tmp/strace" && fail "nosocket: bind() called" ||
	    pass "nosocket: no bind()"
else
	echo "SKIP: nosocket: no strace"
fi

echo "explain_check: $failed failed"
[ "$failed" = 0 ]
