#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# boot-assets.sh [DIR] - fetches and caches what the real-firmware boots
# need (compat-tests/boot, make demo), in DIR (default build/boot):
#
#   DIR/tftp/pxelinux.0       Debian pxelinux
#   DIR/tftp/{ldlinux,menu,libutil,libcom32}.c32   syslinux-common (BIOS)
#   DIR/tftp/ipxe.efi         Debian ipxe (the UEFI x86-64 loader)
#   DIR/tftp/vmlinuz          the kernel of the versioned package that
#                             Debian's linux-image-amd64 depends on
#                             (apt-get download + dpkg-deb -x; never
#                             installed)
#   DIR/tftp/initrd.img       busybox-static initramfs; its /init prints
#                             "PXEMASQ_INIT <marker>" for the kernel
#                             argument pxemasq.marker=<marker> on the
#                             console, runs a shell on it when given
#                             pxemasq.shell=1 (after loading virtio_net
#                             and asking DHCP for an address), then
#                             powers off
#   DIR/ovmf/OVMF_CODE.fd, OVMF_VARS.fd   Debian ovmf (VARS: a template;
#                             each VM gets its own copy)
#
# Everything already present is kept (delete DIR to refresh).  The Debian
# packages named in compat-tests/boot/deps.txt must be installed (make
# deps); the kernel is downloaded once, which needs the package index
# (apt-get update) and root or a writable apt cache.  Prints the missing
# piece and exits 1 on failure.

set -euo pipefail

dir=${1:-$(cd "$(dirname "$0")/.." && pwd)/build/boot}
mkdir -p "$dir/tftp" "$dir/ovmf"
dir=$(cd "$dir" && pwd)

die() {
	echo "boot-assets: $*" >&2
	exit 1
}

# copy_from PACKAGE SRC DST: SRC (a file of the installed PACKAGE) to DST.
copy_from() {
	[ -e "$3" ] && return 0
	[ -f "$2" ] || die "$2 missing (apt-get install $1)"
	cp "$2" "$3.tmp"
	chmod 644 "$3.tmp"
	mv "$3.tmp" "$3"
}

copy_from pxelinux /usr/lib/PXELINUX/pxelinux.0 "$dir/tftp/pxelinux.0"
for m in ldlinux menu libutil libcom32; do
	copy_from syslinux-common "/usr/lib/syslinux/modules/bios/$m.c32" \
	    "$dir/tftp/$m.c32"
done
copy_from ipxe /usr/lib/ipxe/ipxe.efi "$dir/tftp/ipxe.efi"
copy_from ovmf /usr/share/OVMF/OVMF_CODE.fd "$dir/ovmf/OVMF_CODE.fd"
copy_from ovmf /usr/share/OVMF/OVMF_VARS.fd "$dir/ovmf/OVMF_VARS.fd"

# --- kernel ---------------------------------------------------------------
# The modules the demo's shell needs for the virtio NIC, in load order
# (Debian builds the virtio core as modules too).
MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev
virtio_pci failover net_failover virtio_net"
MODULES=$(echo $MODULES)
# linux-image-amd64 is a metapackage; its Depends names the versioned
# image (linux-image-6.1.0-N-amd64 on Debian 12).
kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
	    sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' |
	    head -n 1
}

# download WORK: the versioned kernel package into WORK; prints its name.
download() {
	local pkg
	pkg=$(kernel_pkg)
	[ -n "$pkg" ] || return 1
	echo "boot-assets: downloading $pkg" >&2
	(cd "$1" && apt-get download -q "$pkg" > /dev/null 2>&1) || return 1
	echo "$pkg"
}

kernel() {
	local pkg work deb

	work=$(mktemp -d "$dir/kernel.XXXXXX")
	# (apt's download sandbox user must be able to write there)
	chmod 777 "$work"
	# A missing or stale package index (the version it names is gone
	# from the mirror): as root, one apt-get update and a second try.
	if ! pkg=$(download "$work"); then
		if [ "$(id -u)" = 0 ]; then
			echo "boot-assets: apt-get update" >&2
			apt-get update -q > /dev/null 2>&1 || true
			pkg=$(download "$work") || pkg=
		fi
		if [ -z "$pkg" ]; then
			rm -rf "$work"
			die "cannot download the package linux-image-amd64 depends on ($(kernel_pkg || true)): apt-get update as root?"
		fi
	fi
	deb=$(ls "$work"/*.deb)
	# The kernel, and the modules of the virtio NIC for the initramfs.
	# shellcheck disable=SC2046  # (one pattern a module)
	dpkg-deb --fsys-tarfile "$deb" |
	    tar -x -C "$work" --wildcards './boot/vmlinuz-*' \
	    $(printf "*/%s.ko " $MODULES) ||
	    { rm -rf "$work"; die "no vmlinuz or virtio_net.ko in $deb"; }
	rm -rf "$dir/modules"
	mkdir -p "$dir/modules"
	find "$work/lib/modules" -name '*.ko' -exec cp {} "$dir/modules/" \;
	cp "$work"/boot/vmlinuz-* "$dir/tftp/vmlinuz.tmp"
	chmod 644 "$dir/tftp/vmlinuz.tmp"
	echo "$pkg" > "$dir/kernel-package"
	mv "$dir/tftp/vmlinuz.tmp" "$dir/tftp/vmlinuz"
	rm -rf "$work"
}
have_modules() {
	local m
	for m in $MODULES; do
		[ -e "$dir/modules/$m.ko" ] || return 1
	done
}
[ -e "$dir/tftp/vmlinuz" ] && have_modules || kernel

# --- initramfs ------------------------------------------------------------
initramfs() {
	local root

	command -v cpio > /dev/null || die "cpio missing (apt-get install cpio)"
	# grep without -q reads the whole list: with -q it may stop early,
	# busybox then dies of SIGPIPE and pipefail turns that into a miss
	[ -x /bin/busybox ] &&
	    /bin/busybox --list 2>/dev/null | grep -x poweroff > /dev/null ||
	    die "/bin/busybox missing (apt-get install busybox-static)"
	# A static busybox: nothing else is needed in the image.
	if ldd /bin/busybox > /dev/null 2>&1; then
		die "/bin/busybox is not static (apt-get install busybox-static)"
	fi
	root=$(mktemp -d "$dir/initramfs.XXXXXX")
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" \
	    "$root/etc" "$root/lib/modules"
	cp /bin/busybox "$root/bin/busybox"
	for m in $MODULES; do
		cp "$dir/modules/$m.ko" "$root/lib/modules/"
	done
	echo "$MODULES" > "$root/lib/modules/order"
	# udhcpc's hook: the lease onto eth0, its DNS into resolv.conf.
	cat > "$root/bin/udhcpc.script" << 'EOF'
#!/bin/sh
case $1 in
deconfig)
	ip addr flush dev "$interface"
	ip link set "$interface" up
	;;
bound | renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	[ -n "$router" ] && ip route add default via "${router%% *}"
	: > /etc/resolv.conf
	[ -n "$domain" ] && echo "search $domain" >> /etc/resolv.conf
	for d in $dns; do echo "nameserver $d" >> /etc/resolv.conf; done
	;;
esac
EOF
	chmod 755 "$root/bin/udhcpc.script"
	cat > "$root/init" << 'EOF'
#!/bin/busybox sh
# pxemasq boot test image: prints the marker given on the kernel command
# line, optionally runs a shell, then powers the machine off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2> /dev/null
marker=
shell=
for a in $(cat /proc/cmdline); do
	case $a in
	pxemasq.marker=*) marker=${a#pxemasq.marker=} ;;
	pxemasq.shell=1) shell=1 ;;
	esac
done
echo
echo "PXEMASQ_INIT ${marker:-none}"
if [ -n "$shell" ]; then
	# The NIC, and an address for it from the LAN's DHCP server.
	# (three passes: a module whose dependency came later loads then)
	for pass in 1 2 3; do
		for m in $(cat /lib/modules/order); do
			grep -q "^$m " /proc/modules ||
			    insmod /lib/modules/$m.ko 2> /dev/null
		done
	done
	ip link set lo up
	if [ -e /sys/class/net/eth0 ]; then
		udhcpc -i eth0 -q -n -t 5 -s /bin/udhcpc.script > /dev/null 2>&1
	fi
	echo
	echo "Booted over the network through pxemasq: kernel $(uname -r)."
	ip -4 -o addr show dev eth0 2> /dev/null |
	    sed -n 's/.* inet \([^ ]*\) .*/eth0 has \1 (udhcpc, from the same DHCP server)./p'
	echo "This is a busybox shell in the initramfs; try ip addr, cat"
	echo "/etc/resolv.conf, nslookup www.example.com.  'exit' powers off."
	echo
	setsid cttyhack sh -l
fi
echo "PXEMASQ_POWEROFF"
poweroff -f
EOF
	chmod 755 "$root/init"
	printf 'export PS1="pxe-vm:\\w# "\n' > "$root/.profile"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) \
	    > "$dir/tftp/initrd.img.tmp"
	chmod 644 "$dir/tftp/initrd.img.tmp"
	mv "$dir/tftp/initrd.img.tmp" "$dir/tftp/initrd.img"
	rm -rf "$root"
}
# (rebuilt when this script is newer: its /init may have changed)
if [ ! -e "$dir/tftp/initrd.img" ] || [ "$0" -nt "$dir/tftp/initrd.img" ]; then
	initramfs
fi

echo "boot-assets: ready in $dir ($(cat "$dir/kernel-package" 2>/dev/null || echo kernel))"
