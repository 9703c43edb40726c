#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# conf_shipped.sh - checks the configurations pxemasq ships: every
# conf/*.conf and dnsmasq-pxe.conf.  For each file F:
#   header    F starts with a comment block holding a "Use when:" line
#             (conf/ only: dnsmasq-pxe.conf is the README's example)
#   dnsmasq   dnsmasq --test -C F exits 0
#   pxemasq   pxemasq --test -C F exits 0, without --ignore-unsupported:
#             a shipped configuration must start as it is.  A file whose
#             options pxemasq does not build yet may be listed in
#             NEEDS_IGNORE below; it is then tested with
#             --ignore-unsupported and a NOTE line says so.
#   dump      pxemasq --dump-config -C F gives a dump that dnsmasq --test
#             accepts and that dumps to itself (idempotent)
#   width     no line longer than 80 characters
#   readme    README.md.in lists every conf/*.conf
# Output: "PASS F: check" or "FAIL F: check: detail" per check, "NOTE ..."
# lines, and "SKIP ..." when dnsmasq is missing (then exit 77: the whole
# point is agreeing with it).  Exit 0 when all pass, 1 otherwise.
#
# Environment: PXEMASQ (default build/pxemasq), DNSMASQ (default: from PATH).

set -u

cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
pxemasq=${PXEMASQ:-$root/build/pxemasq}
dnsmasq=${DNSMASQ:-$(command -v dnsmasq || true)}

# Files pxemasq accepts only with --ignore-unsupported because a feature
# they use is not built yet (basenames; keep this empty when possible).
NEEDS_IGNORE=""

if [ ! -x "$pxemasq" ]; then
	echo "FAIL conf_shipped: no pxemasq binary at $pxemasq (run make)"
	exit 1
fi
if [ -z "$dnsmasq" ] || [ ! -x "$dnsmasq" ]; then
	echo "SKIP conf_shipped: dnsmasq is not installed (apt-get install" \
	    "dnsmasq-base)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pxemasq-shipped.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
rc=0

pass() { echo "PASS $1: $2"; }
fail() {
	echo "FAIL $1: $2${3:+: $3}"
	rc=1
}
# first line of a file, for a FAIL detail
first() { grep -m1 -v '^$' "$1" 2>/dev/null | cut -c1-160; }

check_header() {
	local f=$1

	# The leading comment block: the lines before the first line that
	# is not a comment.
	if awk '!/^#/ {exit} {print}' "$f" | grep -q 'Use when:'; then
		pass "$f" header
	else
		fail "$f" header "no \"Use when:\" line in the leading comment"
	fi
}

check_file() {
	local f=$1 name extra=() out=$tmp/out

	name=$(basename "$f")
	case " $NEEDS_IGNORE " in
	*" $name "*)
		extra=(--ignore-unsupported)
		echo "NOTE $f: pxemasq tested with --ignore-unsupported" \
		    "(a feature it uses is not built yet)"
		;;
	esac
	if "$dnsmasq" --test -C "$f" > "$out" 2>&1 < /dev/null; then
		pass "$f" dnsmasq
	else
		fail "$f" dnsmasq "$(first "$out")"
	fi
	if "$pxemasq" --test "${extra[@]}" -C "$f" > "$out" 2>&1 \
	    < /dev/null; then
		pass "$f" pxemasq
	else
		fail "$f" pxemasq "$(first "$out")"
		return
	fi
	if ! "$pxemasq" --dump-config "${extra[@]}" -C "$f" > "$tmp/d1" \
	    2> "$out" < /dev/null; then
		fail "$f" dump "--dump-config: $(first "$out")"
	elif ! "$pxemasq" --dump-config "${extra[@]}" -C "$tmp/d1" \
	    > "$tmp/d2" 2> "$out" < /dev/null; then
		fail "$f" dump "dump not re-read: $(first "$out")"
	elif ! cmp -s "$tmp/d1" "$tmp/d2"; then
		fail "$f" dump "dumping the dump differs"
	elif ! "$dnsmasq" --test -C "$tmp/d1" > "$out" 2>&1 < /dev/null; then
		fail "$f" dump "dnsmasq refuses the dump: $(first "$out")"
	else
		pass "$f" dump
	fi
	if awk 'length > 80 {bad = 1; print FNR; exit} END {exit bad}' \
	    "$f" > "$out"; then
		pass "$f" width
	else
		fail "$f" width "line $(cat "$out") is over 80 characters"
	fi
}

n=0
for f in conf/*.conf; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	check_header "$f"
	check_file "$f"
	if grep -q "\`$(basename "$f")\`" README.md.in; then
		pass "$f" readme
	else
		fail "$f" readme "not listed in README.md.in (Ready configurations)"
	fi
done
if [ $n = 0 ]; then
	fail conf/ files "no conf/*.conf"
fi
[ -f dnsmasq-pxe.conf ] && check_file dnsmasq-pxe.conf
exit $rc
