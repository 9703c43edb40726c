#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make demo: network-boots a QEMU BIOS machine through pxemasq on an
# isolated virtual LAN, on this terminal.  Root, Debian 12.
#
#   1. installs what is missing (scripts/deps.sh), builds build/pxemasq,
#      fetches the kernel, pxelinux and friends into build/boot
#      (scripts/boot-assets.sh);
#   2. builds the LAN dnsmasq-pxe.conf describes, in network namespaces:
#      interface pxe0 (a bridge) with 198.51.100.1/24, the machine's tap
#      device on it, and the upstream DNS server 198.51.100.53 (a tiny
#      fake, scripts/demo-dns.py) in a namespace of its own;
#   3. starts pxemasq with dnsmasq-pxe.conf unchanged (its tftp-root
#      /srv/tftp is a private bind mount of a temporary directory, seen by
#      pxemasq only), and shows its log lines, prefixed "pxemasq |";
#   4. boots the machine (MAC 52:54:00:12:34:56, QEMU's default, which
#      dnsmasq-pxe.conf reserves 198.51.100.20 for): SeaBIOS, the NIC's
#      iPXE ROM, the PXE menu, pxelinux's menu, a Debian kernel and a
#      busybox shell on the serial console, here.
# 'exit' in that shell powers the machine off; Ctrl-C stops it.  Either
# way the namespaces, processes and temporary files are removed.
#
# No KVM: QEMU emulates (TCG); the boot takes about a minute.

set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

if [ "$(id -u)" != 0 ]; then
	echo "make demo: run as root (network namespaces, tap devices)" >&2
	exit 1
fi

say() { printf '\n=== %s\n' "$*"; }

# demo_needs: the packages the demo itself cannot do without (the build,
# the namespaces, dnsmasq for files pxemasq may not serve yet, and
# compat-tests/boot/deps.txt).
demo_needs() {
	local p missing=
	for p in build-essential pkg-config libcap-dev dnsmasq-base iproute2 \
	    python3 $(sed -n 's/^\([a-z0-9][^ #]*\).*/\1/p' \
	    compat-tests/boot/deps.txt); do
		dpkg-query -W -f='${Status}\n' "$p" 2> /dev/null |
		    grep -qx 'install ok installed' || missing="$missing $p"
	done
	echo "$missing"
}

say "installing what is missing (scripts/deps.sh)"
if ! scripts/deps.sh; then
	# deps.sh installs every test's packages; the demo can go on when
	# its own are there (a mirror in sync, a test client unavailable).
	missing=$(demo_needs)
	if [ -n "$missing" ]; then
		echo "make demo: missing:$missing" >&2
		exit 1
	fi
	echo "make demo: scripts/deps.sh failed, but the demo has what it needs"
fi
say "building build/pxemasq"
make -s all || exit 1
say "fetching the kernel, pxelinux and the initramfs (build/boot)"
scripts/boot-assets.sh || exit 1

. compat-tests/boot/lab.sh
LAB_OVMF=$root/build/boot/ovmf
NS=pxdemo$$
NS_UP=pxdemoup$$
T=$(mktemp -d /tmp/pxemasq-demo.XXXXXX)
chmod 755 "$T"
PIDS=()
stty_saved=$(stty -g 2> /dev/null || true)

cleanup() {
	local p
	trap - EXIT INT TERM HUP
	[ -n "$stty_saved" ] && stty "$stty_saved" 2> /dev/null
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2> /dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2> /dev/null
	done
	ip netns delete "$NS" 2> /dev/null
	ip netns delete "$NS_UP" 2> /dev/null
	rm -rf "$T"
	printf '\n=== demo over: namespaces, processes and files removed\n'
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- the TFTP tree --------------------------------------------------------
mkdir -p "$T/srv/tftp/pxelinux.cfg"
cp build/boot/tftp/* "$T/srv/tftp/"
cat > "$T/srv/tftp/pxelinux.cfg/default" << 'EOF'
UI menu.c32
PROMPT 0
TIMEOUT 30
DEFAULT shell
MENU TITLE pxemasq demo (pxelinux.cfg/default)
LABEL shell
	MENU LABEL Linux: a busybox shell on the serial console
	KERNEL vmlinuz
	APPEND initrd=initrd.img console=ttyS0 loglevel=3 pxemasq.shell=1
EOF
cat > "$T/srv/tftp/boot.ipxe" << 'EOF'
#!ipxe
kernel vmlinuz initrd=initrd.img console=ttyS0 loglevel=3 pxemasq.shell=1
initrd initrd.img
boot
EOF
chmod -R a+rX "$T/srv"
: > "$T/leases"
chmod 666 "$T/leases"

# --- the LAN ----------------------------------------------------------------
say "creating the virtual LAN: namespace $NS, pxe0 = 198.51.100.1/24"
if ! lab_ns "$NS" || ! lab_tap "$NS" pxt0 ||
    ! lab_peer "$NS" "$NS_UP" 198.51.100.53 pxu; then
	echo "make demo: could not create the namespaces" >&2
	exit 1
fi
ip netns exec "$NS_UP" python3 scripts/demo-dns.py 198.51.100.53 \
    > "$T/upstream.log" 2>&1 < /dev/null &
PIDS+=($!)

# --- pxemasq ----------------------------------------------------------------
say "starting pxemasq -C dnsmasq-pxe.conf"
: > "$T/log"
lab_srv "$NS" "$T/srv" "$T/stderr" "$root/build/pxemasq" -k \
    -C "$root/dnsmasq-pxe.conf" --log-facility="$T/log" \
    --pid-file="$T/pxemasq.pid" --dhcp-leasefile="$T/leases"
PX=$LAB_PID
PIDS+=("$PX")
i=0
until grep -q "\[$PX\]: started" "$T/log" 2> /dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$PX" 2> /dev/null; then
		echo "make demo: pxemasq did not start:" >&2
		cat "$T/stderr" "$T/log" >&2
		exit 1
	fi
	sleep 0.1
done
# Its log, as it is written: the date cut, a carriage return added (the
# terminal is in raw mode while the machine runs).
tail -n +1 -F "$T/log" 2> /dev/null |
    sed -u 's/^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* /pxemasq | /; s/$/\r/' &
PIDS+=($!)
if ! ip netns exec "$NS" ss -Hlunp 'sport = :69' | grep -q "pid=$PX,"; then
	# pxemasq without its TFTP server yet (issue 6): dnsmasq serves the
	# files, DHCP and DNS off.
	echo "note: this pxemasq has no TFTP server yet; dnsmasq --port=0 serves /srv/tftp" >&2
	lab_srv "$NS" "$T/srv" "$T/tftp.log" "$(command -v dnsmasq)" -k \
	    --conf-file=/dev/null --port=0 --interface=pxe0 \
	    --bind-interfaces --enable-tftp --tftp-root=/srv/tftp \
	    --log-facility=- --pid-file="$T/tftp.pid"
	PIDS+=("$LAB_PID")
fi

if ! ip netns exec "$NS" ss -Hlunp 'sport = :53' | grep -q "pid=$PX,"; then
	echo "note: this pxemasq does not serve DNS yet (issue 7): nslookup in the machine is refused" >&2
fi

# --- the machine ------------------------------------------------------------
say "booting a QEMU BIOS machine from the network (about a minute without KVM)
    'exit' in its shell powers it off; Ctrl-C stops everything"
mapfile -t cmd < <(lab_vm_cmd bios pxt0 52:54:00:12:34:56 stdio "")
ip netns exec "$NS" "${cmd[@]}"
say "the machine is off"
