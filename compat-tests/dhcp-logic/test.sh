#!/bin/bash
# compat-tests/dhcp-logic/test.sh - the DHCP server logic against real
# dnsmasq 2.90, scenario by scenario: each scenario's requests go to
# dnsmasq (in a namespace pair, 198.51.100.0/24 and 203.0.113.0/24) and to
# dhcp_server.c through a small driver; reply bytes, destinations and
# every log-dhcp line must be identical (time-dependent fields masked).
set -u
. "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
T=$T_TMP

if ! command -v dnsmasq > /dev/null; then
	echo "dhcp-logic: SKIPPED: dnsmasq not installed"
	exit 77
fi
objs=$(ls "$ROOT"/build/obj/*.o | grep -v '/main\.o$')
if ! cc -std=gnu11 -D_GNU_SOURCE -O2 -I"$ROOT/src" -o "$T/driver" \
    "$HERE/driver.c" $objs $(pkg-config --libs libcap 2>/dev/null || echo -lcap) \
    2> "$T/cc.log"; then
	cat "$T/cc.log"
	fail "driver builds"
	t_done
	exit 1
fi
pass "driver builds"
DHCP_DRIVER=$T/driver timeout 500 python3 "$HERE/diff.py" > "$T/diff.out" 2>&1
rc=$?
# "NAME<padding> OK (N steps, ...)": the whole name (it may hold spaces)
# and the counts
while IFS= read -r line; do
	case $line in
	*" OK ("*) v=OK ;;
	*" DIFF ("*) v=DIFF ;;
	*) continue ;;
	esac
	name=${line% "$v" (*}
	name=${name%"${name##*[! ]}"}
	if [ $v = OK ]; then
		pass "dhcp-logic: $name (${line##* "$v" (}"
	else
		fail "dhcp-logic: $name (${line##* "$v" (}"
	fi
done < "$T/diff.out"
grep -E "DIFFERS|DEST |^   " "$T/diff.out" | head -40
tail -n 1 "$T/diff.out"
check "dhcp-logic: diff.py finished" test "$rc" = 0
t_done
