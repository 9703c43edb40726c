# shellcheck shell=bash
# compat-tests/boot/lab.sh - the virtual LAN of the real-firmware boots,
# sourced by compat-tests/boot/test.sh and scripts/demo.sh (bash).
#
# The LAN is the one dnsmasq-pxe.conf describes: 198.51.100.0/24 on an
# interface named pxe0, the server at 198.51.100.1.  It lives in a network
# namespace: pxe0 is a bridge there, each virtual machine's tap device is a
# port of it, and so is the veth of an optional "router" namespace (the
# office DHCP server of the proxy set-up, 198.51.100.254).  Nothing of the
# machine's own network is touched.
#
# The caller owns clean-up: it deletes the namespaces it made and kills
# the pids these functions print or record (LAB_PID after lab_srv).

LAB_NET=198.51.100
LAB_SRV=$LAB_NET.1
LAB_ROUTER=$LAB_NET.254
LAB_IF=pxe0
LAB_QEMU=${LAB_QEMU:-qemu-system-x86_64}
# (set by lab_srv for its caller)
# shellcheck disable=SC2034
LAB_PID=
# OVMF_CODE.fd is read from here (scripts/boot-assets.sh caches it).
LAB_OVMF=${LAB_OVMF:-build/boot/ovmf}

# lab_ns NS: a fresh namespace (loopback up, IPv6 off) with the bridge
# pxe0 holding the server's address.
lab_ns() {
	ip netns add "$1" || return 1
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1
	ip -n "$1" link add "$LAB_IF" type bridge stp_state 0 \
	    forward_delay 0 || return 1
	ip -n "$1" addr add "$LAB_SRV/24" dev "$LAB_IF" &&
	ip -n "$1" link set "$LAB_IF" up
}

# lab_tap NS TAP: a tap device for a VM, port of pxe0.
lab_tap() {
	ip -n "$1" tuntap add dev "$2" mode tap || return 1
	ip -n "$1" link set "$2" master "$LAB_IF" &&
	ip -n "$1" link set "$2" up
}

# lab_peer NS PNS ADDR [VETH]: namespace PNS joined to pxe0 of NS by a
# veth (VETH, default pxr, "0" end in NS, "1" end in PNS with ADDR/24).
lab_peer() {
	local v=${4:-pxr}
	ip netns add "$2" || return 1
	ip -n "$2" link set lo up
	ip netns exec "$2" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1
	ip link add "${v}0" netns "$1" type veth peer name "${v}1" \
	    netns "$2" || return 1
	ip -n "$1" link set "${v}0" master "$LAB_IF" &&
	ip -n "$1" link set "${v}0" up &&
	ip -n "$2" addr add "$3/24" dev "${v}1" &&
	ip -n "$2" link set "${v}1" up
}

# lab_router NS RNS: the office router of the proxy set-up,
# 198.51.100.254 on pxr1 in RNS.
lab_router() { lab_peer "$1" "$2" "$LAB_ROUTER" pxr; }

# lab_srv NS SRVDIR LOG CMD...: runs CMD in NS in the background with
# SRVDIR bound on /srv (dnsmasq-pxe.conf's tftp-root is /srv/tftp).  The
# bind mount lives only in the private mount namespace that ip netns exec
# makes for the command: the machine's /srv is untouched.  stdout and
# stderr go to LOG; LAB_PID is CMD's pid (exec all the way).
lab_srv() {
	local ns=$1 dir=$2 log=$3
	shift 3
	ip netns exec "$ns" sh -c 'mount --bind "$0" /srv && exec "$@"' \
	    "$dir" "$@" >> "$log" 2>&1 < /dev/null &
	# shellcheck disable=SC2034
	LAB_PID=$!
}

# lab_vm_cmd FIRMWARE TAP MAC SERIAL VARS: prints the QEMU command line
# (one word a line) of a netbooting VM: FIRMWARE bios (SeaBIOS + the NIC's
# iPXE ROM, the screen on the serial port) or uefi (OVMF, VARS its own copy
# of OVMF_VARS.fd); SERIAL "stdio" (interactive) or a file for ttyS0.
lab_vm_cmd() {
	local fw=$1 tap=$2 mac=$3 serial=$4 vars=$5
	# graphics=off: SeaBIOS copies the screen (its own, iPXE's, the
	# loaders') to the serial port.
	printf '%s\n' "$LAB_QEMU" -accel tcg -machine pc,graphics=off -m 384 -smp 1 \
	    -nodefaults -display none -no-reboot
	if [ "$serial" = stdio ]; then
		printf '%s\n' -chardev stdio,id=s0,signal=on -serial chardev:s0
	else
		printf '%s\n' -serial "file:$serial"
	fi
	printf '%s\n' -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no"
	case $fw in
	bios) printf '%s\n' \
	    -device "virtio-net-pci,netdev=n0,mac=$mac,bootindex=1" \
	    -boot n ;;
	# No option ROM: the NIC's iPXE EFI driver would boot by itself;
	# without it OVMF's own virtio-net driver and PXE client (arch 7) run.
	uefi) printf '%s\n' \
	    -device "virtio-net-pci,netdev=n0,mac=$mac,bootindex=1,romfile=" \
	    -drive "if=pflash,format=raw,unit=0,readonly=on,file=$LAB_OVMF/OVMF_CODE.fd" \
	    -drive "if=pflash,format=raw,unit=1,file=$vars" ;;
	esac
}
