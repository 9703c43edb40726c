#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# footprint-rss.sh - issue 10 "Footprint for routers": installed size and
# resident memory of pxemasq next to dnsmasq 2.90 on the same
# configurations, measured, not estimated.  Needs root (a network
# namespace of its own; nothing touches the machine's interfaces).
#
#   installed size   the stripped binary; plus the non-libc shared
#                    libraries it needs that dnsmasq does not (listed)
#   idle             dnsmasq-pxe.conf as shipped (its tftp-root moved to
#                    a temporary directory), no client
#   10k              the same plus 10,000 dhcp-host lines, dhcp-lease-max=20000
#                    and a lease file
#                    of 10,000 leases (198.18.0.0/15, a dhcp-range there)
#
# Each daemon runs alone in the namespace (pxe0 198.51.100.1/24 and
# 198.18.0.1/15), in the foreground (-k), as root dropping to nobody; its
# VmRSS and VmHWM are read from /proc once its log says it is serving and
# its lease file has been read.  Prints a table and the ratios.
#
# Usage: scripts/footprint-rss.sh   (PXEMASQ, DNSMASQ override the binaries)
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
PXEMASQ=${PXEMASQ:-$TOP/build/pxemasq}
DNSMASQ=${DNSMASQ:-$(command -v dnsmasq)}
NS=pxfr$$
TMP=$(mktemp -d /tmp/pxemasq-footprint.XXXXXX)
PID=

cleanup() {
	if [ -n "$PID" ]; then
		kill -TERM "$PID" 2> /dev/null
		for _ in $(seq 50); do
			kill -0 "$PID" 2> /dev/null || break
			sleep 0.1
		done
		kill -KILL "$PID" 2> /dev/null
	fi
	ip netns delete "$NS" 2> /dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

[ "$(id -u)" = 0 ] || { echo "footprint-rss: needs root" >&2; exit 77; }
[ -x "$PXEMASQ" ] || { echo "footprint-rss: no $PXEMASQ (make)" >&2; exit 1; }
[ -n "$DNSMASQ" ] || { echo "footprint-rss: no dnsmasq" >&2; exit 77; }

ip netns add "$NS" || exit 1
ip -n "$NS" link add pxe0 type veth peer name pxe0p || exit 1
ip -n "$NS" link set pxe0p up
ip -n "$NS" addr add 198.51.100.1/24 dev pxe0
ip -n "$NS" addr add 198.18.0.1/15 dev pxe0
ip -n "$NS" link set lo up
ip -n "$NS" link set pxe0 up
mkdir -p "$TMP/tftp"
chmod 755 "$TMP" "$TMP/tftp"

# the shipped config, its TFTP root moved here
sed "s|^tftp-root=.*|tftp-root=$TMP/tftp|" "$TOP/dnsmasq-pxe.conf" \
    > "$TMP/idle.conf"

# 10,000 reservations and 10,000 leases in 198.18.0.0/15
python3 - "$TMP" << 'EOF'
import sys, time
d = sys.argv[1]
now = int(time.time())
with open(d + "/big.conf", "w") as c, open(d + "/big.leases", "w") as l:
    c.write(open(d + "/idle.conf").read())
    c.write("dhcp-range=198.18.0.10,198.19.255.250,255.254.0.0,12h\n")
    c.write("dhcp-lease-max=20000\n")
    for i in range(10000):
        c.write("dhcp-host=02:00:00:%02x:%02x:%02x,host%05d,198.18.%d.%d\n"
                % (i >> 16, (i >> 8) & 255, i & 255, i,
                   100 + i // 250, 1 + i % 250))
    for i in range(10000):
        l.write("%d 02:01:00:%02x:%02x:%02x 198.19.%d.%d client%05d "
                "01:02:01:00:%02x:%02x:%02x\n"
                % (now + 43200, i >> 16, (i >> 8) & 255, i & 255,
                   i // 250, 1 + i % 250, i,
                   i >> 16, (i >> 8) & 255, i & 255))
EOF

# run NAME BIN CONF LEASES: prints "VmRSS VmHWM" in kB
run() {
	local bin=$2 conf=$3 leases=$4 log=$TMP/$1.log rss hwm i
	cp "$leases" "$TMP/$1.leases"
	chown nobody "$TMP/$1.leases" 2> /dev/null
	: > "$log"
	chmod 666 "$log"
	ip netns exec "$NS" "$bin" -k -C "$conf" \
	    --dhcp-leasefile="$TMP/$1.leases" --log-facility="$log" \
	    > "$TMP/$1.out" 2>&1 &
	PID=$!
	# serving: the DHCP start-up line and the TFTP one are logged
	# after the lease file is read
	for i in $(seq 100); do
		grep -q 'TFTP root' "$log" 2> /dev/null && break
		kill -0 "$PID" 2> /dev/null || break
		sleep 0.1
	done
	if ! grep -q 'TFTP root' "$log"; then
		echo "footprint-rss: $1 did not start:" >&2
		cat "$TMP/$1.out" "$log" >&2
		kill -KILL "$PID" 2> /dev/null
		PID=
		echo "- -"
		return
	fi
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")
	hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$PID/status")
	kill -TERM "$PID"
	wait "$PID" 2> /dev/null
	PID=
	echo "$rss $hwm"
}

: > "$TMP/empty.leases"
strip -o "$TMP/pxemasq.stripped" "$PXEMASQ"
psz=$(stat -c %s "$TMP/pxemasq.stripped")
dsz=$(stat -c %s "$DNSMASQ")
extra=$(comm -23 <(ldd "$PXEMASQ" | awk '/=>/ {print $1}' | sort) \
    <(ldd "$DNSMASQ" | awk '/=>/ {print $1}' | sort) |
    grep -v '^libc\.so' | tr '\n' ' ')

read -r pi_rss pi_hwm <<< "$(run p-idle "$PXEMASQ" "$TMP/idle.conf" "$TMP/empty.leases")"
read -r di_rss di_hwm <<< "$(run d-idle "$DNSMASQ" "$TMP/idle.conf" "$TMP/empty.leases")"
read -r pb_rss pb_hwm <<< "$(run p-big "$PXEMASQ" "$TMP/big.conf" "$TMP/big.leases")"
read -r db_rss db_hwm <<< "$(run d-big "$DNSMASQ" "$TMP/big.conf" "$TMP/big.leases")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "-") printf "%.2f", a / b; else print "-" }'; }
echo "footprint (issue 10): $($PXEMASQ --version | head -n 1) vs $($DNSMASQ --version | head -n 1)"
printf '%-44s %12s %12s %7s\n' "" pxemasq dnsmasq ratio
printf '%-44s %12s %12s %7s\n' "installed: stripped binary, bytes" "$psz" "$dsz" "$(ratio "$psz" "$dsz")"
printf '%-44s %12s\n' "shared libraries pxemasq needs, dnsmasq not" "${extra:-none}"
printf '%-44s %12s %12s %7s\n' "idle, dnsmasq-pxe.conf: VmRSS kB" "$pi_rss" "$di_rss" "$(ratio "$pi_rss" "$di_rss")"
printf '%-44s %12s %12s %7s\n' "idle, dnsmasq-pxe.conf: VmHWM kB" "$pi_hwm" "$di_hwm" "$(ratio "$pi_hwm" "$di_hwm")"
printf '%-44s %12s %12s %7s\n' "10,000 dhcp-host + 10,000 leases: VmRSS kB" "$pb_rss" "$db_rss" "$(ratio "$pb_rss" "$db_rss")"
printf '%-44s %12s %12s %7s\n' "10,000 dhcp-host + 10,000 leases: VmHWM kB" "$pb_hwm" "$db_hwm" "$(ratio "$pb_hwm" "$db_hwm")"
for n in p-big d-big; do
	printf '%s: %s lease(s) in its lease file at the end\n' "$n" \
	    "$(wc -l < "$TMP/$n.leases")"
done
