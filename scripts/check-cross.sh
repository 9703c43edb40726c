#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-cross.sh [ARCH...] - "make check-cross" (issue 11): for each
# architecture (default arm64 and s390x, the big-endian one) builds
# pxemasq, the unit tests and the fuzz seed replay binaries with Debian's
# cross compiler (make cross ARCH=... into build-ARCH/), then runs the unit
# tests, the seed replay and the config corpus against dnsmasq --test under
# qemu-user (scripts/check.sh --cross); as root, also the namespace
# scenario compat-tests/cross/test.sh (udhcpc against the arm64 daemon
# under qemu).  Ends with one line
# "check-cross: N passed, M failed"; exit 1 when M > 0.
#
# The toolchains come from scripts/cross-deps.sh (installs as root; names
# what is missing otherwise, and then every architecture counts as failed:
# a missing toolchain must not look like a pass).
#
# Foreign binaries run as "qemu-ARCH-static BINARY" (binfmt_misc is not
# needed): the target's own loader and libc are the multiarch libc6:ARCH
# that libcap2:ARCH pulls in.  Without it, -L /usr/TRIPLE (the cross
# toolchain's libc) is used instead; that one is older (2.36-8cross1 in
# Debian 12) and, for s390x under Debian's qemu 7.2, aborts every program
# with "stack smashing detected" before main, hence the preference.
#
# Env: CROSS_JOBS (make -j, default the number of CPUs),
# CROSS_TIMEOUT_FACTOR (per-binary time limits of check.sh, default 5).

set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=(arm64 s390x)
jobs=${CROSS_JOBS:-$(nproc 2>/dev/null || echo 2)}

passed=0
failed=0
times=()
start=$SECONDS

triple() {
	case $1 in
	arm64) echo aarch64-linux-gnu ;;
	armhf) echo arm-linux-gnueabihf ;;
	s390x) echo s390x-linux-gnu ;;
	mipsel) echo mipsel-linux-gnu ;;
	*) return 1 ;;
	esac
}

qemu_name() {
	case $1 in
	arm64) echo aarch64 ;;
	armhf) echo arm ;;
	*) echo "$1" ;;
	esac
}

echo "pxemasq check-cross: ${archs[*]}"
if ! scripts/cross-deps.sh "${archs[@]}"; then
	echo "FAIL check-cross: cross toolchains or target libraries missing" \
	    "(scripts/cross-deps.sh ${archs[*]})"
	echo "check-cross: 0 passed, ${#archs[@]} failed"
	exit 1
fi

log=$(mktemp -d "${TMPDIR:-/tmp}/pxemasq-cross.XXXXXX") || exit 1
trap 'rm -rf "$log"' EXIT

for a in "${archs[@]}"; do
	t=$(triple "$a") || {
		echo "FAIL check-cross: unknown architecture $a"
		failed=$((failed + 1))
		continue
	}
	q=qemu-$(qemu_name "$a")-static
	if ! command -v "$q" > /dev/null; then
		echo "FAIL $a: no $q (apt-get install qemu-user-static)"
		failed=$((failed + 1))
		continue
	fi
	runner=$q
	[ -e "/lib/$t/libc.so.6" ] || runner="$q -L /usr/$t"

	t0=$SECONDS
	if ! make -j"$jobs" cross ARCH="$a" \
	    CROSS_GOALS="all unit fuzz-replay" > "$log/build-$a" 2>&1; then
		echo "FAIL $a: make cross ARCH=$a CROSS_GOALS=\"all unit fuzz-replay\""
		tail -n 30 "$log/build-$a" | sed -e 's/^/    | /'
		failed=$((failed + 1))
		continue
	fi
	t1=$SECONDS
	if [ ! -x "build-$a/test/test_bpf" ]; then
		echo "SKIP $a/unit/test_bpf: no libpcap-dev:$a (it compares" \
		    "bpf.c with libpcap's compiler; scripts/cross-deps.sh tries it)"
	fi
	BUILD_DIR=build-$a CHECK_RUNNER=$runner CHECK_LABEL=$a \
	    CHECK_TIMEOUT_FACTOR=${CROSS_TIMEOUT_FACTOR:-5} \
	    scripts/check.sh --cross > "$log/check-$a" 2>&1
	rc=$?
	# the per-suite lines, without the header and the total
	grep -v -E "^(pxemasq check|$a: [0-9]+ passed)" "$log/check-$a"
	line=$(grep -E "^$a: [0-9]+ passed, [0-9]+ failed" "$log/check-$a" |
	    tail -n 1)
	np=$(echo "$line" | sed -nE 's/.* ([0-9]+) passed.*/\1/p')
	nf=$(echo "$line" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
	if [ -z "$np" ]; then
		echo "FAIL $a: check.sh --cross ended without a result (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + np))
	failed=$((failed + nf))
	if [ "$rc" != 0 ] && [ "$nf" = 0 ]; then
		echo "FAIL $a: check.sh --cross exit $rc"
		failed=$((failed + 1))
	fi
	times+=("$a: build $((t1 - t0))s, tests $((SECONDS - t1))s ($np passed, $nf failed)")
done

# The namespace scenario: the arm64 daemon under qemu-user serving udhcpc
# (root only: namespaces; exit 77 = skipped, with its SKIP line).
case " ${archs[*]} " in
*" arm64 "*)
	if [ "$(id -u)" = 0 ]; then
		t0=$SECONDS
		timeout 300 bash compat-tests/cross/test.sh > "$log/compat" 2>&1
		rc=$?
		grep -E '^(FAIL|SKIP|NOTE)' "$log/compat"
		line=$(grep -E '^cross: [0-9]+ passed, [0-9]+ failed' "$log/compat")
		np=$(echo "$line" | sed -nE 's/.* ([0-9]+) passed.*/\1/p')
		nf=$(echo "$line" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
		if [ "$rc" = 77 ]; then
			:
		elif [ -z "$np" ]; then
			echo "FAIL compat-tests/cross: no result (exit $rc)"
			tail -n 20 "$log/compat" | sed -e 's/^/    | /'
			failed=$((failed + 1))
		else
			echo "ok   arm64/compat: $np passed, $nf failed"
			passed=$((passed + np))
			failed=$((failed + nf))
			times+=("arm64 compat (udhcpc lease under qemu): $((SECONDS - t0))s")
		fi
	else
		echo "SKIP arm64/compat: needs root (network namespaces)"
	fi
	;;
esac

for t in "${times[@]}"; do
	echo "check-cross: $t"
done
echo "check-cross: took $((SECONDS - start))s"
echo "check-cross: $passed passed, $failed failed"
[ "$failed" = 0 ]
