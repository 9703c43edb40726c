#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# footprint.sh [ARCH...] - "make footprint" (issue 11): the stripped size of
# pxemasq for each architecture (default: the native one, arm64, armhf,
# s390x, mipsel), dynamic and static, next to Debian 12's dnsmasq binary
# for the same architecture and the libraries each one needs.
#
# pxemasq: build-ARCH/pxemasq.stripped (make cross ARCH=...; built here
# when missing), build/static-ARCH/pxemasq stripped (make static ARCH=...).
# dnsmasq: "apt-get download dnsmasq-base:ARCH" into build/footprint/ and
# unpacked there with "dpkg-deb -x" (never installed: no maintainer script
# runs); its /usr/sbin/dnsmasq is stripped already.  Installed-Size is the
# package's own figure (KiB, binary plus documentation).
#
# Output: a Markdown table on stdout (bench/README.md, "Footprint").

set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

native=$(dpkg --print-architecture)
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=("$native" arm64 armhf s390x mipsel)
out=build/footprint
mkdir -p "$out"

triple() {
	case $1 in
	amd64) echo x86_64-linux-gnu ;;
	arm64) echo aarch64-linux-gnu ;;
	armhf) echo arm-linux-gnueabihf ;;
	s390x) echo s390x-linux-gnu ;;
	mipsel) echo mipsel-linux-gnu ;;
	*) return 1 ;;
	esac
}

kib() { echo "$(( ($1 + 512) / 1024 ))"; }

# needed FILE: the DT_NEEDED libraries, short names, comma separated.
needed() {
	readelf -d "$1" 2>/dev/null |
	    sed -nE 's/.*Shared library: \[(lib)?([^].]*)\.so.*\]/\2/p' |
	    paste -sd, -
}

echo "| arch | pxemasq stripped | pxemasq static stripped | dnsmasq 2.90 (Debian dnsmasq-base) stripped | dnsmasq-base Installed-Size | pxemasq links | dnsmasq links |"
echo "|---|---:|---:|---:|---:|---|---|"
for a in "${archs[@]}"; do
	t=$(triple "$a") || { echo "footprint: unknown $a" >&2; continue; }
	if [ "$a" = "$native" ]; then
		strip_="strip"
		dyn=build/pxemasq
		[ -x "$dyn" ] || make -s all > "$out/build-$a.log" 2>&1
		st_dir=build/static
		st_args=()
	else
		strip_=$t-strip
		dyn=build-$a/pxemasq
		make -s cross ARCH="$a" > "$out/build-$a.log" 2>&1 ||
		    echo "footprint: make cross ARCH=$a failed ($out/build-$a.log)" >&2
		st_dir=build/static-$a
		st_args=(ARCH="$a")
	fi
	dyn_s=- st_s=- dn_s=- dn_inst=- px_libs=- dn_libs=-
	if [ -x "$dyn" ]; then
		"$strip_" -o "$out/pxemasq-$a" "$dyn"
		dyn_s=$(stat -c %s "$out/pxemasq-$a")
		px_libs=$(needed "$out/pxemasq-$a")
	fi
	if make -s static "${st_args[@]}" > "$out/static-$a.log" 2>&1; then
		"$strip_" -o "$out/pxemasq-static-$a" "$st_dir/pxemasq"
		st_s=$(stat -c %s "$out/pxemasq-static-$a")
	fi
	deb=$(ls "$out"/dnsmasq-base_*_"$a".deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		(cd "$out" && apt-get download "dnsmasq-base:$a" \
		    > "dl-$a.log" 2>&1)
		deb=$(ls "$out"/dnsmasq-base_*_"$a".deb 2>/dev/null | head -n 1)
	fi
	if [ -n "$deb" ]; then
		rm -rf "$out/dnsmasq-$a"
		dpkg-deb -x "$deb" "$out/dnsmasq-$a"
		dn_s=$(stat -c %s "$out/dnsmasq-$a/usr/sbin/dnsmasq")
		dn_inst=$(dpkg-deb -f "$deb" Installed-Size)
		dn_libs=$(needed "$out/dnsmasq-$a/usr/sbin/dnsmasq")
	else
		echo "footprint: apt-get download dnsmasq-base:$a failed" \
		    "($out/dl-$a.log)" >&2
	fi
	fmt() { [ "$1" = - ] && echo - || echo "$(kib "$1") KiB ($1)"; }
	echo "| $a | $(fmt "$dyn_s") | $(fmt "$st_s") | $(fmt "$dn_s") |" \
	    "${dn_inst} KiB | $px_libs | $dn_libs |"
done
