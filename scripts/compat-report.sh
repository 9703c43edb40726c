#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# compat-report.sh - one table over the differential compat tests: test,
# scenario, dnsmasq's result, pxemasq's result, and same / different /
# allowed (the docs/differences.md entry and the line of its heading).
# "make compat-report" runs it.
#
#   as root:          runs the differential tests (COMPAT_TESTS, default
#                     below; each with compat-tests/run.sh's time limit),
#                     saves each output as build/compat/NAME.log, reports
#   COMPAT_LOGS=DIR:  runs nothing, reports DIR/*.log (NAME.log is the
#                     output of compat-tests/NAME/test.sh; compat-tests/run.sh,
#                     and so "make check", leaves them in build/compat)
#   not root:         reports build/compat/*.log when there are any,
#                     else exit 77
# The parser and the row rules: scripts/compat_report.py.

set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
tests=${COMPAT_TESTS:-dhcp dhcp-logic pxe dhcp-script tftp dns tftp-smoke boot}
saved=${BUILD_DIR:-build}/compat
logs=${COMPAT_LOGS:-}
args=()

if [ -z "$logs" ] && [ "$(id -u)" = 0 ]; then
	mkdir -p "$saved" || exit 1
	for t in $tests; do
		[ -f "compat-tests/$t/test.sh" ] || continue
		echo "compat-report: running compat-tests/$t ..." >&2
		timeout 600 bash "compat-tests/$t/test.sh" > "$saved/$t.log" 2>&1 \
		    < /dev/null
		args+=("$t=$saved/$t.log")
	done
	if [ ${#args[@]} = 0 ]; then
		echo "compat-report: none of the tests $tests exists" >&2
		exit 2
	fi
	exec python3 scripts/compat_report.py "${args[@]}"
elif [ -z "$logs" ]; then
	if ! ls "$saved"/*.log > /dev/null 2>&1; then
		echo "compat-report: SKIPPED: not root and no saved logs in" \
		    "$saved/ (run as root, or make check as root first, or" \
		    "COMPAT_LOGS=DIR)"
		exit 77
	fi
	logs=$saved
	echo "compat-report: not root: the logs saved in $saved/ by the" \
	    "last run (newest $(ls -t "$saved"/*.log | head -n 1 |
	    xargs stat -c %y | cut -d. -f1))"
fi

if [ ! -d "$logs" ]; then
	echo "compat-report: $logs: no such directory" >&2
	exit 2
fi
for f in "$logs"/*.log; do
	[ -f "$f" ] || continue
	args+=("$(basename "$f" .log)=$f")
done
if [ ${#args[@]} = 0 ]; then
	echo "compat-report: no *.log in $logs/" >&2
	exit 2
fi
exec python3 scripts/compat_report.py "${args[@]}"
