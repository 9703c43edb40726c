#!/bin/bash
# compat-tests/run.sh - runs every compat-tests/*/test.sh and sums them up.
# Ends with "N passed, M failed".  Exit 77 when not root (namespaces and
# privilege tests need it; CI runs as root, so there they always run).
# Each test's output is also saved as build/compat/NAME.log (or under
# BUILD_DIR) for scripts/compat-report.sh.
set -u
cd "$(dirname "$0")"
if [ "$(id -u)" != 0 ]; then
	echo "compat-tests: SKIPPED: needs root (network namespaces, uid changes)"
	exit 77
fi
saved=${BUILD_DIR:-build}
case $saved in /*) ;; *) saved=../$saved ;; esac
saved=$saved/compat
mkdir -p "$saved" 2> /dev/null
passed=0
failed=0
for t in */test.sh; do
	out=$(timeout 600 bash "$t" 2>&1)
	rc=$?
	echo "$out"
	{ printf '%s\n' "$out" > "$saved/${t%/test.sh}.log"; } 2> /dev/null
	if [ "$rc" = 77 ]; then
		# skipped (a SKIP line says why): counts neither way
		continue
	fi
	line=$(echo "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	p=$(echo "$line" | sed -nE 's/(^|.* )([0-9]+) passed, ([0-9]+) failed.*/\2/p')
	f=$(echo "$line" | sed -nE 's/(^|.* )([0-9]+) passed, ([0-9]+) failed.*/\3/p')
	if [ -z "$p" ]; then
		echo "FAIL: $t ended without a result line (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL: $t exit $rc"
		failed=$((failed + 1))
	fi
	# a test ends every process it started (its trap): none of its
	# helpers (this checkout's compat-tests/NAME/ scripts) outlives it
	left=$(pgrep -f -- "$PWD/${t%/test.sh}/" | tr '\n' ' ')
	if [ -n "$left" ]; then
		echo "FAIL: $t left processes behind: $(ps -o pid=,args= -p "$(echo $left | tr ' ' ,)" | tr '\n' ';')"
		# shellcheck disable=SC2086
		kill $left 2> /dev/null
		failed=$((failed + 1))
	fi
done
echo "compat: $passed passed, $failed failed"
[ "$failed" = 0 ]
