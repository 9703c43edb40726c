#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# cross-deps.sh [ARCH...] - installs what "make cross" and "make check-cross"
# need on Debian 12 (issue 11): the cross compiler of each Debian
# architecture named (default: arm64 s390x armhf mipsel), that
# architecture's multiarch libcap-dev (the daemon links libc and libcap
# only), and for the architectures the tests run on under emulation
# (CROSS_TEST_ARCHS, default arm64 s390x) libcmocka-dev and
# qemu-user-static.  libpcap-dev:ARCH is tried last and may fail: only
# test_bpf links it (it compares bpf.c with libpcap's compiler), and it
# drags in the target's libc6-dev, D-Bus and Kerberos, whose Multi-Arch
# "same" versions must equal the native ones exactly; when the mirror
# offers no such set, check-cross skips test_bpf and says so.
#
# The test architectures come first and must succeed (exit 1 otherwise);
# the build-only ones (armhf, mipsel: a size figure) follow in a second
# round whose failure is only reported: apt drops a whole suite's new
# indices when one of them fails to download (a mirror caught mid-sync),
# and the test architectures must not depend on that.
#
# Idempotent: architectures already added and packages already installed
# are left alone; "apt-get update" runs when something is missing, once
# (again only after adding an architecture).
# Not root: names what is missing and exits 1.  None of these packages
# starts a service.

set -uo pipefail

ARCHS=("$@")
[ ${#ARCHS[@]} -gt 0 ] || ARCHS=(arm64 s390x armhf mipsel)
TEST_ARCHS=" ${CROSS_TEST_ARCHS:-arm64 s390x} "
NATIVE=$(dpkg --print-architecture)

# triple ARCH: the GNU triple of a Debian architecture.
triple() {
	case $1 in
	arm64) echo aarch64-linux-gnu ;;
	armhf) echo arm-linux-gnueabihf ;;
	armel) echo arm-linux-gnueabi ;;
	s390x) echo s390x-linux-gnu ;;
	mipsel) echo mipsel-linux-gnu ;;
	mips64el) echo mips64el-linux-gnuabi64 ;;
	ppc64el) echo powerpc64le-linux-gnu ;;
	riscv64) echo riscv64-linux-gnu ;;
	*) return 1 ;;
	esac
}

installed() {
	local st

	st=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
	[ "$st" = "install ok installed" ]
}

# packages ARCH: what one architecture needs.
packages() {
	echo "gcc-$(triple "$1")" "libc6-dev-$1-cross" "libcap-dev:$1"
	case $TEST_ARCHS in
	*" $1 "*) echo "libcmocka-dev:$1" qemu-user-static ;;
	esac
}

policy_set=
updated=
no_services() {
	local policy=/usr/sbin/policy-rc.d

	[ -z "$policy_set" ] && [ ! -e "$policy" ] || return 0
	printf '#!/bin/sh\n# cross-deps.sh: no services during install\nexit 101\n' \
	    > "$policy"
	chmod 755 "$policy"
	policy_set=$policy
	trap 'rm -f "$policy_set"' EXIT
}

# round ARCH...: adds the architectures, updates the indices and installs
# what is missing; status 0 when everything is installed afterwards.
round() {
	local a p foreign new=() missing=()

	foreign=" $(dpkg --print-foreign-architectures | tr '\n' ' ') "
	for a in "$@"; do
		[ "$a" != "$NATIVE" ] || continue
		case $foreign in *" $a "*) ;; *) new+=("$a") ;; esac
		for p in $(packages "$a"); do
			case " ${missing[*]} " in *" $p "*) continue ;; esac
			installed "$p" || missing+=("$p")
		done
	done
	if [ ${#missing[@]} -eq 0 ] && [ ${#new[@]} -eq 0 ]; then
		echo "cross-deps: $*: installed"
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "cross-deps: $*: missing${new[*]:+ architectures ${new[*]};} packages ${missing[*]}" >&2
		echo "cross-deps: as root run: $0 $*" >&2
		return 1
	fi
	for a in "${new[@]}"; do
		echo "cross-deps: dpkg --add-architecture $a"
		dpkg --add-architecture "$a" || return 1
	done
	echo "cross-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# One failed index (a mirror mid-sync) gets a second try; if it still
	# fails the install below says what is missing.
	if [ -z "$updated" ] || [ ${#new[@]} -gt 0 ]; then
		updated=1
		apt-get update || { sleep 5; apt-get update; } ||
		    echo "cross-deps: apt-get update reported errors" >&2
	fi
	no_services
	apt-get install -y --no-install-recommends "${missing[@]}"
}

test_round=() build_round=()
for a in "${ARCHS[@]}"; do
	triple "$a" > /dev/null || {
		echo "cross-deps: unknown architecture $a" >&2
		exit 2
	}
	case $TEST_ARCHS in
	*" $a "*) test_round+=("$a") ;;
	*) build_round+=("$a") ;;
	esac
done

rc=0
if [ ${#test_round[@]} -gt 0 ] && ! round "${test_round[@]}"; then
	echo "cross-deps: FAILED for ${test_round[*]}" >&2
	rc=1
fi
# libpcap for test_bpf: best effort (see the top).
for a in "${test_round[@]}"; do
	if [ "$a" = "$NATIVE" ] || installed "libpcap-dev:$a"; then
		continue
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "cross-deps: libpcap-dev:$a missing (test_bpf is skipped for $a)" >&2
		continue
	fi
	no_services
	DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends "libpcap-dev:$a" ||
	    echo "cross-deps: WARNING: libpcap-dev:$a not installable here" \
		"(test_bpf is skipped for $a)" >&2
done
for a in "${build_round[@]}"; do
	round "$a" ||
	    echo "cross-deps: WARNING: $a not installed (build-only;" \
		"make cross ARCH=$a will say what is missing)" >&2
done
exit $rc
