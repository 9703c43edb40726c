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
# Then the stripped dynamic binary per feature set (full, NO_DNS=1,
# NO_TFTP=1, NO_DNS=1 NO_TFTP=1; make cross ARCH=... NO_DNS=1 builds into
# build-ARCH-no-dns/, natively build/feat-no-dns/) next to dnsmasq again:
# the file size, and in brackets the bytes loaded (the LOAD segments'
# FileSiz from readelf -l), which leaves out the padding between segments
# that 64 KiB page alignment puts into arm64 and mipsel files.
#
# Output: two Markdown tables on stdout (bench/README.md, "Footprint").

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

# loaded FILE: the file bytes of its LOAD segments, summed.
loaded() {
	local n=0 h
	for h in $(readelf -lW "$1" | awk '$1 == "LOAD" { print $5 }'); do
		n=$((n + h))
	done
	echo "$n"
}
# size2 FILE: "F KiB (L)", file size and loaded size in KiB.
size2() {
	echo "$(kib "$(stat -c %s "$1")") KiB ($(kib "$(loaded "$1")"))"
}

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

# --- per feature set ------------------------------------------------------
sets=("" "NO_DNS=1" "NO_TFTP=1" "NO_DNS=1 NO_TFTP=1")
echo
echo "Stripped, per feature set: file size (bytes loaded), KiB."
echo
echo "| arch | full | NO_DNS | NO_TFTP | NO_DNS NO_TFTP | dnsmasq 2.90 (Debian) |"
echo "|---|---:|---:|---:|---:|---:|"
for a in "${archs[@]}"; do
	t=$(triple "$a") || continue
	row="| $a |"
	for set in "${sets[@]}"; do
		# shellcheck disable=SC2206
		sw=($set)
		tag=$(printf '%s' "$set" | sed -e 's/=1//g' | tr 'A-Z_ ' 'a-z--' |
		    sed -e 's/^/-/; s/^-$//')
		if [ "$a" = "$native" ]; then
			if [ -z "$set" ]; then
				bin=build/pxemasq
			else
				bin=build/feat$tag/pxemasq
				make -s "${sw[@]}" all > "$out/build-$a$tag.log" 2>&1
			fi
			strip_="strip"
		else
			bin=build-$a$tag/pxemasq
			[ -z "$set" ] || make -s cross ARCH="$a" "${sw[@]}" \
			    > "$out/build-$a$tag.log" 2>&1
			strip_=$t-strip
		fi
		if [ -x "$bin" ] && "$strip_" -o "$out/px-$a$tag" "$bin"; then
			row+=" $(size2 "$out/px-$a$tag") |"
		else
			row+=" - |"
		fi
	done
	f=$out/dnsmasq-$a/usr/sbin/dnsmasq
	if [ -f "$f" ]; then
		row+=" $(size2 "$f") |"
	else
		row+=" - |"
	fi
	echo "$row"
done
