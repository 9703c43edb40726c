#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# deps.sh - installs what pxemasq needs to build and test (Debian 12).
#
# As root: "apt-get update" once, then "apt-get install -y" of the missing
# packages; nothing is run at all when everything is installed.  Not root:
# names the missing packages and exits 1.
#
# Only packages that start no daemon belong here: dnsmasq-base is the
# differential oracle (the binary alone, no service), not "dnsmasq".
# Later work extends DEPS_PACKAGES (iproute2, isc-dhcp-client, udhcpc,
# qemu...); DEPS_EXTRA in the environment adds packages for one run.

set -euo pipefail

DEPS_PACKAGES=(
	build-essential		# cc, make, libc headers
	pkg-config
	libpcap-dev		# BPF filter compilation for raw sockets
	libcap-dev		# capability dropping
	libcmocka-dev		# unit tests
	clang			# fuzzing (-fsanitize=fuzzer)
	libclang-rt-14-dev	# libFuzzer and sanitizer runtimes for clang
	dnsmasq-base		# the oracle: dnsmasq --test, no service
	iproute2		# ip netns, veth (namespace tests)
	util-linux		# unshare, setpriv (lifecycle tests)
	python3			# packet crafting in the namespace tests
	groff-base		# man page check (groff -ww -man)
)
# Each namespace test lists what else it needs in its own deps.txt.
for f in "$(dirname "$0")"/../compat-tests/*/deps.txt; do
	[ -f "$f" ] || continue
	while read -r p _; do
		case $p in '' | '#'*) continue ;; esac
		DEPS_PACKAGES+=("$p")
	done < "$f"
done
# shellcheck disable=SC2206
DEPS_PACKAGES+=(${DEPS_EXTRA:-})

# (one status line per installed architecture on multiarch systems)
installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null |
	    grep -qx 'install ok installed'
}

missing=()
for p in "${DEPS_PACKAGES[@]}"; do
	installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#DEPS_PACKAGES[@]} packages installed"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: as root run: apt-get install -y ${missing[*]}" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# One index failing to download (a mirror mid-sync; more likely with the
# foreign architectures scripts/cross-deps.sh adds) must not stop the
# install: what is really missing makes apt-get install fail below.
apt-get update || echo "deps: apt-get update reported errors" >&2
# A policy-rc.d that refuses every action keeps any package's service from
# being started by the install, should one slip into the list.  An
# existing policy is left alone.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# deps.sh: no services during install\nexit 101\n' \
	    > "$policy"
	chmod 755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi
apt-get install -y --no-install-recommends "${missing[@]}"
