#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# src/test/compat_report_selftest.sh - feeds small fake compat-test logs to
# scripts/compat_report.py and checks the table "make compat-report" prints:
# pairing of [dnsmasq]/[pxemasq] lines, comparisons with both columns from
# the comparison, compare.py's ALLOWED/DIFF lines, allowed-differences.txt
# rules, boot lines, the Dn title and heading line, the totals.
# Prints one PASS/FAIL line per check; exit 1 when one fails.
set -u
cd "$(dirname "$0")/../.." || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/compat-report-selftest.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
rc=0

mkdir -p "$T/tests/dns" "$T/logs"
cat > "$T/differences.md" << 'EOF'
# Differences

### D1. First thing

text
### D2. Boot names longer than the reply can hold
EOF
printf '# rules\nslow *\tD1\tfirst\n' > "$T/tests/dns/allowed-differences.txt"
cat > "$T/logs/dhcp.log" << 'EOF'
PASS: [dnsmasq] lease: address 198.51.100.57 in the range
PASS: [dnsmasq] lease: router
PASS: [dnsmasq] delay: took 2 s or more (2013 ms)
FAIL: [dnsmasq] nak: message (got 'x', want 'y')
PASS: driver builds
PASS: [pxemasq] lease: address 198.51.100.58 in the range
FAIL: [pxemasq] lease: router (got '198.51.100.2', want '198.51.100.1')
PASS: [pxemasq] delay: took 2 s or more (2015 ms)
FAIL: [pxemasq] nak: message (got 'x', want 'y')
PASS: [pxemasq] longname: start-up warns about the long name (D2)
ALLOWED edge_256 file: "a" | "b" (docs/differences.md D2)
PASS: longname-edge: pxemasq answers as dnsmasq (4 cases)
DIFF discover opt.6: c6336435 | absent
FAIL: raw: pxemasq replies as dnsmasq does (1 differences)
PASS: [pxemasq] plain: the script saw what it sees under dnsmasq (3 calls)
dhcp: 9 passed, 3 failed
EOF
cat > "$T/logs/dhcp-logic.log" << 'EOF'
PASS: driver builds
PASS: dhcp-logic: pxe-proxy-menu
FAIL: dhcp-logic: relay agent (info) (2 steps, 1 replies, 4 log lines)
PASS: dhcp-logic: diff.py finished
EOF
cat > "$T/logs/dns.log" << 'EOF'
PASS: [dnsmasq] slow upstream
PASS: [dnsmasq] A record
FAIL: [pxemasq] slow upstream
PASS: [pxemasq] A record
EOF
cat > "$T/logs/boot.log" << 'EOF'
PASS: full: bios machine boots: pxemasq: boots (marker seen)
FAIL: proxy: uefi machine boots: pxemasq: no DHCP answer; dnsmasq 2.90: boots (marker seen)
PASS: full: config accepted by dnsmasq --test
EOF

python3 scripts/compat_report.py --docs "$T/differences.md" \
    --tests "$T/tests" boot="$T/logs/boot.log" dhcp="$T/logs/dhcp.log" \
    dhcp-logic="$T/logs/dhcp-logic.log" dns="$T/logs/dns.log" \
    > "$T/out" 2>&1

# expect WHAT ERE: a line of the table matches ERE
expect() {
	if grep -Eq "$2" "$T/out"; then
		echo "PASS: compat-report: $1"
	else
		echo "FAIL: compat-report: $1 (no line matching: $2)"
		rc=1
	fi
}
# absent WHAT ERE: no line matches ERE
absent() {
	if grep -Eq "$2" "$T/out"; then
		echo "FAIL: compat-report: $1 (unexpected: $(grep -E "$2" "$T/out" | head -n 1))"
		rc=1
	else
		echo "PASS: compat-report: $1"
	fi
}

expect "header" '^test +scenario +dnsmasq +pxemasq +verdict$'
expect "pair with different addresses in the name is the same" \
    '^dhcp +lease: address 198\.51\.100\.57 in the range +PASS +PASS +same$'
expect "pair with different results is different" \
    "^dhcp +lease: router +PASS +FAIL: got '198\.51\.100\.2', want '198\.51\.100\.1' +different$"
expect "remark (times) left out of the pairing" \
    '^dhcp +delay: took 2 s or more +PASS: 2013 ms +PASS: 2015 ms +same$'
expect "both failing alike is the same" \
    "^dhcp +nak: message +FAIL: got 'x', want 'y' +FAIL: got 'x', want 'y' +same$"
expect "pxemasq-only check citing (D2) is allowed, title and line" \
    '^dhcp +longname: start-up warns about the long name +- +PASS +allowed D2: Boot names longer than the reply can hold \([^)]*differences\.md:6\)$'
expect "comparison with ALLOWED lines is allowed" \
    '^dhcp +longname-edge: pxemasq answers as dnsmasq +reference +differs as documented +allowed D2: '
expect "ALLOWED line listed under its comparison" \
    '^ +edge_256 file: "a" \| "b" +allowed D2$'
expect "comparison with a DIFF line is different" \
    '^dhcp +raw: pxemasq replies as dnsmasq does +reference +FAIL: 1 differences +different$'
expect "DIFF line listed" '^ +discover opt\.6: c6336435 \| absent +diff$'
expect "one server's comparison with the other" \
    '^dhcp +plain: the script saw what it sees under dnsmasq +reference +as dnsmasq +same$'
expect "dhcp-logic OK" '^dhcp-logic +pxe-proxy-menu +reference +identical +same$'
expect "dhcp-logic DIFF, name with spaces and counts" \
    '^dhcp-logic +relay agent \(info\) +reference \(2 steps, 1 replies, 4 log lines\) +DIFF +different$'
absent "test-bed checks left out" 'driver builds|diff\.py finished|accepted by dnsmasq'
expect "allowed-differences.txt rule" '^dns +slow upstream +PASS +FAIL +allowed D1: First thing \([^)]*:3\)$'
expect "dns pair same" '^dns +A record +PASS +PASS +same$'
expect "boot, dnsmasq not run" '^boot +full: bios machine boots +not run +boots \(marker seen\) +not compared$'
expect "boot, dnsmasq re-run" '^boot +proxy: uefi machine boots +boots \(marker seen\) +no DHCP answer +different$'
expect "totals" '^compat-report: 14 scenarios, 6 same, 3 allowed, 4 different, 1 not compared \(pxemasq only\)$'
if [ $rc != 0 ]; then
	sed -e 's/^/    | /' "$T/out"
fi
exit $rc
