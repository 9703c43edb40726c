#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck disable=SC2034 # opt_X, msg_X, word_X are read as ${!name}
#
# check-features.sh [SET...] - builds every feature set the Makefile offers
# (make print-feature-sets: NO_DNS, NO_DHCP,NO_TFTP, ...), each in its own
# directory build/feat-no-x[-no-y]/, and checks each one:
#   build    make BUILD=DIR NO_X=1 ... all unit (-j2: the machine is shared)
#   version  --version names every feature left out as no-X, the rest plain
#   refuse   --test on a config using a compiled-out option fails with the
#            option's message (conf_features.c), dnsmasq's exit status 1
#   accept   --test on a config of what remains (port=0 without DNS;
#            dumpfile/dumpmask, which dnsmasq parses in any build) passes
#   unit     the unit tests built for the set (those of the modules left out
#            are not built) all pass
# Ends with "N passed, M failed"; exits 1 when M > 0.  make check runs it.
# FEAT_JOBS (default 2) is the make -j value.

set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
jobs=${FEAT_JOBS:-2}
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pxemasq-feat.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

export CMOCKA_MESSAGE_OUTPUT=stdout
unset CMOCKA_XML_FILE

ok() {
	passed=$((passed + 1))
	echo "ok   $1"
}
bad() {
	failed=$((failed + 1))
	echo "FAIL $1"
	if [ -n "${2:-}" ] && [ -s "$2" ]; then
		tail -n 20 "$2" | sed -e 's/^/    | /'
	fi
}

# An option of each feature, its message when compiled out (after
# "pxemasq: "), and the feature's --version word.
GENERIC='unsupported option (check that pxemasq was compiled with DHCP/TFTP/DNSSEC/DBus support)'
opt_DNS='address=/pxe.test/198.51.100.1'
msg_DNS='unsupported option (check that pxemasq was compiled with DNS support)'
word_DNS=DNS
opt_TFTP='tftp-root=/tmp'
msg_TFTP=$GENERIC
word_TFTP=TFTP
opt_DHCP='dhcp-range=198.51.100.10,198.51.100.20'
msg_DHCP=$GENERIC
word_DHCP=DHCP
opt_SCRIPT='dhcp-script=/bin/true'
msg_SCRIPT='recompile with HAVE_SCRIPT defined to enable lease-change scripts'
word_SCRIPT=scripts
# --metrics-listen is pxemasq's own, command line only (a leading "--":
# given on the command line, with -C /dev/null)
opt_METRICS='--metrics-listen=9100'
msg_METRICS='unsupported option (check that pxemasq was compiled with metrics support)'
word_METRICS=metrics

# refuse SET BIN FEATURE: a config with the feature's option is refused.
refuse() {
	local set=$1 bin=$2 f=$3 opt msg want rc
	opt=opt_$f
	msg=msg_$f
	# dhcp-script without DHCP is one more DHCP option (dnsmasq's
	# #ifdef HAVE_DHCP around it)
	if [ "$f" = SCRIPT ] && [[ ,$set, == *,NO_DHCP,* ]]; then
		msg=msg_DHCP
	fi
	if [[ ${!opt} == --* ]]; then
		want="pxemasq: bad command line options: ${!msg}"
		"$bin" --test -C /dev/null "${!opt}" > "$tmp/out" 2>&1
	else
		printf '%s\n' "${!opt}" > "$tmp/refuse.conf"
		want="pxemasq: ${!msg} at line 1 of $tmp/refuse.conf"
		"$bin" --test -C "$tmp/refuse.conf" > "$tmp/out" 2>&1
	fi
	rc=$?
	if [ $rc -eq 1 ] && grep -qxF "$want" "$tmp/out"; then
		ok "$set/refuse: ${!opt%%=*}"
	else
		echo "    | want exit 1 and: $want (got exit $rc)" > "$tmp/why"
		cat "$tmp/out" >> "$tmp/why"
		bad "$set/refuse: ${!opt%%=*}" "$tmp/why"
	fi
}

# accept SET BIN: the options of the features still built, plus port=0.
accept() {
	local set=$1 bin=$2 f opt
	: > "$tmp/accept.conf"
	for f in DNS TFTP DHCP SCRIPT; do
		[[ ,$set, == *,NO_$f,* ]] && continue
		[ $f = SCRIPT ] && [[ ,$set, == *,NO_DHCP,* ]] && continue
		opt=opt_$f
		printf '%s\n' "${!opt}" >> "$tmp/accept.conf"
	done
	[[ ,$set, == *,NO_DNS,* ]] && echo 'port=0' >> "$tmp/accept.conf"
	# dnsmasq 2.90 parses these without HAVE_DUMPFILE too (a dumpfile
	# then stops the start, not --test)
	printf 'dumpfile=%s\ndumpmask=0x1000\n' "$tmp/dump.pcap" \
	    >> "$tmp/accept.conf"
	if "$bin" --test -C "$tmp/accept.conf" > "$tmp/out" 2>&1; then
		ok "$set/accept: $(paste -sd' ' "$tmp/accept.conf")"
	else
		bad "$set/accept: $(paste -sd' ' "$tmp/accept.conf")" "$tmp/out"
	fi
}

# version SET BIN: "Compile time options:" has no-X exactly for X left out.
version() {
	local set=$1 bin=$2 f w line want=ok
	line=$("$bin" --version | sed -n 's/^Compile time options: //p')
	for f in DNS TFTP DHCP SCRIPT METRICS; do
		w=word_$f
		if [[ ,$set, == *,NO_$f,* ]] ||
		    { [ $f = SCRIPT ] && [[ ,$set, == *,NO_DHCP,* ]]; }; then
			[[ " $line " == *" no-${!w} "* ]] || want=bad
		else
			[[ " $line " == *" ${!w} "* ]] || want=bad
		fi
	done
	if [ $want = ok ]; then
		ok "$set/version: $line"
	else
		echo "    | got: $line" > "$tmp/why"
		bad "$set/version" "$tmp/why"
	fi
}

# unit SET DIR ARGS...: every test binary the set builds (make print-tests).
unit() {
	local set=$1 dir=$2 t n=0 cases=0 c
	shift 2
	for t in $(make -s --no-print-directory "$@" print-tests); do
		t=$dir/test/$t
		n=$((n + 1))
		if timeout 120 "$t" > "$tmp/unit" 2>&1; then
			c=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' \
			    "$tmp/unit" | tail -n 1)
			cases=$((cases + ${c:-0}))
		else
			bad "$set/unit: $(basename "$t")" "$tmp/unit"
			return
		fi
	done
	if [ $n -gt 0 ]; then
		ok "$set/unit: $n binaries, $cases cases"
	else
		bad "$set/unit: no test binaries in $dir/test"
	fi
}

if [ $# -gt 0 ]; then
	sets=("$@")
else
	mapfile -t sets < <(make -s --no-print-directory print-feature-sets)
fi
start=$(date +%s)
for set in "${sets[@]}"; do
	args=()
	dir=build/feat
	IFS=, read -r -a sw <<< "$set"
	for s in "${sw[@]}"; do
		args+=("$s=1")
		dir+=-$(printf '%s' "$s" | tr 'A-Z_' 'a-z-')
	done
	if ! make -s --no-print-directory -j"$jobs" BUILD="$dir" \
	    "${args[@]}" all unit > "$tmp/build" 2>&1; then
		bad "$set/build ($dir)" "$tmp/build"
		continue
	fi
	ok "$set/build: $dir/pxemasq $(stat -c %s "$dir/pxemasq") bytes"
	version "$set" "$dir/pxemasq"
	for s in "${sw[@]}"; do
		refuse "$set" "$dir/pxemasq" "${s#NO_}"
	done
	accept "$set" "$dir/pxemasq"
	unit "$set" "$dir" "${args[@]}"
done
echo "check-features: ${#sets[@]} sets in $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
