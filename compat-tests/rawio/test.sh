#!/bin/bash
# compat-tests/rawio/test.sh - the DHCP I/O layer on a real kernel (issue
# 4, "raw sockets on the interfaces the config names"): a server namespace
# with 198.51.100.1/24 on a veth, a client namespace whose end has no
# address at first.  driver.c (built here from build/obj/*.o) holds the
# raw socket, the UDP sockets and the interface table; frames.py crafts
# what a client sends.  Checked: what the filter and rawio let through
# (broadcast and unicast to 67 and 4011 yes; port 68, VLAN-tagged, bad
# UDP checksum, fragments no), no ICMP port-unreachable for unicast to
# 67/4011 once the UDP sockets are bound (and that there is one before,
# so the check can fail), nothing queued on the UDP sockets, a busy port 67
# refused rather than shared, our own frames not received back, a routed
# reply through the UDP socket with dnsmasq's TOS, and the interface
# recreated with a new ifindex followed by the table and the raw socket.
set -u
. "$(dirname "$0")/../lib.sh"

DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$DIR/../.." && pwd)
T=$T_TMP
OBJ=$ROOT/build/obj

for tool in ip python3 cc; do
	if ! command -v "$tool" > /dev/null; then
		echo "rawio: SKIPPED: $tool missing"
		t_done
		exit 0
	fi
done
for o in buf frame bpf rawio_packet netio iface; do
	if [ ! -f "$OBJ/$o.o" ]; then
		fail "build/obj/$o.o missing (run make first)"
		t_done
		exit 1
	fi
done
if ! cc -std=gnu11 -D_GNU_SOURCE -Wall -Werror -I"$ROOT/src" -o "$T/driver" \
    "$DIR/driver.c" "$OBJ/buf.o" "$OBJ/frame.o" "$OBJ/bpf.o" \
    "$OBJ/rawio_packet.o" "$OBJ/netio.o" "$OBJ/iface.o"; then
	fail "driver does not build"
	t_done
	exit 1
fi

S=pxr-s-$$
C=pxr-c-$$
ip netns add "$S" && T_NETNS+=("$S")
ip netns add "$C" && T_NETNS+=("$C")
in_s() { ip netns exec "$S" "$@"; }
in_c() { ip netns exec "$C" "$@"; }
PY=(python3 "$DIR/frames.py")

make_link() {
	ip -n "$S" link add s0 type veth peer name c0 netns "$C" &&
	ip -n "$S" addr add 198.51.100.1/24 brd + dev s0 &&
	ip -n "$S" link set s0 up && ip -n "$C" link set c0 up
}
ip -n "$S" link set lo up
ip -n "$C" link set lo up
make_link || { fail "namespaces and veth"; t_done; exit 1; }
SMAC=$(in_s cat /sys/class/net/s0/address)

LOG=$T/drv.log
# start_driver LOG [udp]: the driver in the server namespace; sets DRV.
start_driver() {
	local log=$1
	shift
	ip netns exec "$S" "$T/driver" s0 "${1:-raw}" 120 > "$log" 2>&1 &
	DRV=$!
	t_track "$DRV"
	wait_for 5 grep -q '^rawio open s0' "$log"
}
stop_driver() { kill -TERM "$DRV" 2>/dev/null; wait "$DRV" 2>/dev/null; }
send() { in_c "${PY[@]}" send c0 "$@"; }
# seen TAG: the driver printed a line for a frame tagged TAG
seen() { wait_for 5 grep -q " tag=$1\$" "$LOG"; }
line() { grep " tag=$1\$" "$LOG" | head -n 1; }
# a frame known to pass, after frames that must not: once it is in, the
# earlier ones would be in too (one socket, one queue)
marker() { send ok "$1" && seen "$1"; }

# --- phase 1: client without an address ----------------------------------
check "driver opens the raw socket on s0" start_driver "$LOG"
IDX1=$(sed -n 's/^rawio open s0 \([0-9]*\)$/\1/p' "$LOG" | head -n 1)
check "interface dump reports s0 with 198.51.100.1/24" \
    grep -q "^iface addr s0 $IDX1 mtu=1500 naddr=1 addr=198.51.100.1/24" "$LOG"

send ok b67
check "broadcast to 67 received" seen b67
check "broadcast to 67: PACKET_BROADCAST, accepted, checksum verified" \
    grep -q "type=broadcast why=ok frame=ok trusted=0 dport=67 dst=255.255.255.255 dstok=1 tag=b67\$" "$LOG"
send pxe b4011
check "broadcast to 4011 received" \
    wait_for 5 grep -q "why=ok frame=ok .* dport=4011 .* tag=b4011\$" "$LOG"
send ipopts io
check "frame with IP options received" \
    wait_for 5 grep -q "why=ok frame=ok .* dport=67 .* tag=io\$" "$LOG"
send badcsum bc
check "bad UDP checksum rejected by the frame decoder" \
    wait_for 5 grep -q "why=ok frame=udp-checksum trusted=0 .* tag=bc\$" "$LOG"
send port68 p68
send fragment fr
send firstfrag ff
send vlan vl
check "marker after the filtered frames" marker m1
check "frame to port 68 filtered" test -z "$(line p68)"
check "fragment filtered" test -z "$(line fr)"
check "first fragment (MF) filtered" test -z "$(line ff)"
check "VLAN-tagged frame not accepted" \
    sh -c "! grep -q 'why=ok frame=ok .* tag=vl\$' '$LOG'"
echo "  (VLAN frame as seen: $(line vl))"

# our own frames: the driver answers "echo" with a broadcast to port 67
ip netns exec "$C" "${PY[@]}" capture c0 4 own > "$T/cap" &
CAP=$!
t_track "$CAP"
wait_for 5 grep -q listening "$T/cap"
send ok echo
check "driver sent its own frame" wait_for 5 grep -q '^sent own rc=0$' "$LOG"
wait "$CAP"
check "its frame reached the client" grep -q '^seen$' "$T/cap"
check "marker after our own frame" marker m2
check "our own outgoing frame not received back" test -z "$(line own)"

# --- phase 2: client with an address, unicast, UDP sockets ---------------
ip -n "$C" addr add 198.51.100.2/24 dev c0
check "control: without UDP sockets the kernel sends port-unreachable (67)" \
    test "$(in_c "${PY[@]}" udp 198.51.100.2 198.51.100.1 67 u67a)" = icmp
check "control: the same for 4011" \
    test "$(in_c "${PY[@]}" udp 198.51.100.2 198.51.100.1 4011 u4011a)" = icmp
check "unicast to 67 received as PACKET_HOST for our address" \
    wait_for 5 grep -q "type=host why=ok frame=ok .* dport=67 dst=198.51.100.1 dstok=1 tag=u67a\$" "$LOG"
echo "  (a checksum-offloaded unicast: $(line u67a))"
stop_driver

LOG=$T/drv2.log
check "driver with UDP sockets bound" start_driver "$LOG" udp
check "netio bound 67 and 4011" grep -q '^netio bound 67 4011$' "$LOG"
check "no port-unreachable for unicast to 67 with netio bound" \
    test "$(in_c "${PY[@]}" udp 198.51.100.2 198.51.100.1 67 u67b)" = none
check "no port-unreachable for unicast to 4011 with netio bound" \
    test "$(in_c "${PY[@]}" udp 198.51.100.2 198.51.100.1 4011 u4011b)" = none
check "unicast to 67 still reaches the raw socket" seen u67b
check "unicast to 4011 reaches the raw socket" seen u4011b
# /proc/net/udp: port 67 (0043) and 4011 (0FAB), rx_queue column empty
check "nothing queued on the UDP sockets (drop-all filter)" \
    sh -c "ip netns exec '$S' awk '\$2 ~ /:(0043|0FAB)\$/ { n++; if (\$5 !~ /:00000000\$/) bad = 1 } END { exit !(n == 2 && !bad) }' /proc/net/udp"
in_s "$T/driver" s0 udp 2 > "$T/drv3.log" 2>&1
check "port 67 busy: bind refused, not shared" \
    grep -q '^netio failed step=3 Address already in use$' "$T/drv3.log"

ip netns exec "$C" "${PY[@]}" udplisten 198.51.100.2 68 4 > "$T/ul" &
UL=$!
t_track "$UL"
wait_for 5 grep -q listening "$T/ul"
in_c "${PY[@]}" udp 198.51.100.2 198.51.100.1 67 udpreply > /dev/null
wait "$UL"
check "routed reply through the UDP socket: from 198.51.100.1:67, TOS CS6" \
    grep -q '^got 198.51.100.1 67 tos=0xc0 viaudp$' "$T/ul"

# unicast frame to our MAC from a client without an address yet, to a
# foreign IP destination: passes rawio, but the destination check says no
send ok alien "$SMAC" 0.0.0.0 203.0.113.9
check "unicast frame to a foreign IP: dstok=0" \
    wait_for 5 grep -q "type=host why=ok frame=ok .* dst=203.0.113.9 dstok=0 tag=alien\$" "$LOG"

# --- phase 3: the interface recreated with a new ifindex ------------------
IDX1=$(sed -n 's/^rawio open s0 \([0-9]*\)$/\1/p' "$LOG" | head -n 1)
ip -n "$S" link del s0
make_link
check "deletion reported" wait_for 5 grep -q "^iface del s0 $IDX1 " "$LOG"
check "raw socket closed with it" grep -q "^rawio closed $IDX1\$" "$LOG"
check "recreated s0 reported with a new index" \
    wait_for 5 sh -c "grep '^rawio open s0 ' '$LOG' | tail -n 1 | grep -qv ' $IDX1\$'"
IDX2=$(sed -n 's/^rawio open s0 \([0-9]*\)$/\1/p' "$LOG" | tail -n 1)
check "its address reported on the new index" \
    wait_for 5 grep -q "^iface addr s0 $IDX2 .*addr=198.51.100.1/24" "$LOG"
send ok again
check "frames received on the new index" \
    wait_for 5 grep -q "^rx if=$IDX2 type=broadcast why=ok frame=ok .* tag=again\$" "$LOG"
stop_driver

t_done
