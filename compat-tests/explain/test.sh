#!/bin/bash
# compat-tests/explain/test.sh - pxemasq --explain against dnsmasq 2.90
# (issue 10).  For dnsmasq-pxe.conf and every conf/*.conf, and client
# architectures 0 (BIOS), 7 and 9 (x86-64 UEFI) and 11 (ARM64 UEFI), the
# boot file and server that `pxemasq --explain` predicts must be what
# real dnsmasq gives a scripted PXE ROM (bootclient.py, which follows the
# port 4011 step by itself) on a veth pair with the same configuration.
# The configurations are used as shipped except for what would keep
# dnsmasq from starting in a namespace or make it slow: TFTP lines are
# dropped (no /srv/tftp here), port=0, no-ping, a private lease file.
# The same expectations are pinned in src/test/explain_check.sh (make
# check-quick, no root).
#
# Env: PXEMASQ (binary), PYTHON (python3), EXPLAIN_KEEP=DIR.
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$HERE/../..
PY=${PYTHON:-python3}
T=$T_TMP
NS_S=exs$$
NS_C=exc$$
T_NETNS+=("$NS_S" "$NS_C")
SRV_MAC=02:00:00:00:00:01
SRV_PID=
ARCHES="0 7 9 11"
# Further cases: CONF ARCH MAC USER_CLASS ("-": none).
EXTRA="ipxe-http-chain.conf 0 52:54:00:12:34:56 iPXE
ipxe-http-chain.conf 7 52:54:00:12:34:56 iPXE
dnsmasq-pxe.conf 9 52:54:00:aa:bb:cc iPXE
mac-locked.conf 0 52:54:00:00:00:21 -
mac-locked.conf 7 52:54:00:00:00:31 -
mac-locked.conf 0 52:54:00:99:99:99 -
raspberry-pi4.conf 0 52:54:00:12:34:56 -"

# The client's MAC per configuration: a known one where the
# configuration serves only known machines.
mac_for() {
	case $1 in
	mac-locked.conf) echo 52:54:00:00:00:11 ;;
	raspberry-pi4.conf) echo dc:a6:32:00:00:01 ;;
	*) echo 52:54:00:12:34:56 ;;
	esac
}

# adapt CONF OUT: the configuration for a namespace run.
adapt() {
	grep -Ev '^[[:space:]]*(enable-tftp|tftp-root|port|log-facility|dhcp-leasefile)([=[:space:]]|$)' "$1" > "$2"
	printf 'port=0\nno-ping\nlog-dhcp\n' >> "$2"
}

server_stop() {
	[ -n "$SRV_PID" ] || return 0
	t_stop "$SRV_PID"
	SRV_PID=
}

# one_case CONF IFNAME ADDR DIR ARCH MAC USER_CLASS: dnsmasq's answer to
# bootclient.py against --explain's result.
one_case() {
	local name want got words
	name=$(basename "$1")
	words="arch=$5 mac=$6"
	[ "$7" = - ] || words="$words user-class=$7"
	want=$(ip netns exec "$NS_C" timeout 30 "$PY" "$HERE/bootclient.py" \
	    exv1 "$3" "$SRV_MAC" "$5" "$6" ${7#-} 2> "$4/client.err" |
	    grep '^boot-')
	got=$("$PXEMASQ" -C "$1" --explain "interface=$2" "addr=$3/24" \
	    $words 2> /dev/null |
	    sed -n '/^result:/,/^$/s/^  \(boot-[a-z]*: .*\)/\1/p')
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		pass "$name $words: $(echo "$got" | tr '\n' ' ')"
	else
		fail "$name $words: --explain says '$(echo "$got" | tr '\n' ' ')', dnsmasq gave '$(echo "$want" | tr '\n' ' ')' $(tail -n 1 "$4/client.err" 2> /dev/null)"
	fi
	echo "$name $words | $(echo "$want" | tr '\n' ' ')" >> "$T/table"
}

# run_conf CONF: one configuration, every architecture.
run_conf() {
	local conf=$1 name ifname addr mac a want got dir
	name=$(basename "$conf")
	ifname=$(sed -n 's/^interface=//p' "$conf" | head -n 1)
	mac=$(mac_for "$name")
	# the address --explain assumes (first dhcp-range, host 1)
	addr=$("$PXEMASQ" -C "$conf" --explain "interface=$ifname" arch=0 \
	    2> /dev/null | sed -n 's/^interface: [^ ]* \([0-9.]*\)\/.*/\1/p')
	if [ -z "$ifname" ] || [ -z "$addr" ]; then
		fail "$name: no interface= or no address from --explain"
		return
	fi
	for n in "$NS_S" "$NS_C"; do ip netns delete "$n" 2> /dev/null; done
	if ! t_netns_pair "$NS_S" "$NS_C" "$ifname" exv1 "$SRV_MAC" \
	    "$addr/24"; then
		fail "$name: network namespaces"
		return
	fi
	dir=$(mktemp -d "$T/srv.XXXXXX")
	chmod 777 "$dir"
	adapt "$conf" "$dir/dnsmasq.conf"
	ip netns exec "$NS_S" dnsmasq -k -C "$dir/dnsmasq.conf" \
	    --log-facility="$dir/log" --dhcp-leasefile="$dir/leases" \
	    --pid-file="$dir/pid" 2> "$dir/stderr" &
	SRV_PID=$!
	t_track "$SRV_PID"
	if ! wait_for 5 grep -sq "\[$SRV_PID\]: started, version" "$dir/log"; then
		fail "$name: dnsmasq did not start: $(tail -n 2 "$dir/stderr" | tr '\n' ' ')"
		server_stop
		return
	fi
	for a in $ARCHES; do
		one_case "$conf" "$ifname" "$addr" "$dir" "$a" "$mac" -
	done
	while read -r c a m u; do
		[ "$c" = "$name" ] && one_case "$conf" "$ifname" "$addr" \
		    "$dir" "$a" "$m" "$u"
	done <<< "$EXTRA"
	server_stop
	if [ -n "${EXPLAIN_KEEP:-}" ]; then
		mkdir -p "$EXPLAIN_KEEP"
		cp "$dir/log" "$EXPLAIN_KEEP/$name.log"
	fi
}

t_require dnsmasq "$PY" ip
for c in "$TOP/dnsmasq-pxe.conf" "$TOP"/conf/*.conf; do
	run_conf "$c"
done
server_stop
[ -n "${EXPLAIN_KEEP:-}" ] && cp "$T/table" "$EXPLAIN_KEEP/table"
check "no dnsmasq left running" test -z "$(pgrep -f -- "$T/")"
t_done
