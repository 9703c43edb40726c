#!/bin/bash
# compat-tests/flood/test.sh - bounded floods (issue 9).  pxemasq serves
# DHCP, TFTP and DNS (upstream: a sink in the client namespace that never
# answers) in a namespace on 198.51.100.1; the client namespace floods it:
#   (1) DHCPDISCOVERs from random MACs (FLOOD_DHCP, default 20000);
#   (2) TFTP RRQs from many source ports, never acknowledged (half for a
#       1 MiB file, half for missing ones);
#   (3) DNS queries for random names the upstream never answers;
#   (4) half-open TCP DNS connections (more than DNSD_TCP_MAX).
# After each: VmRSS and VmHWM of pxemasq stay under RSS_CAP_KB, the
# SIGUSR1 statistics show the flood and its drops, and a well-behaved
# client still gets its lease (udhcpc), its file (curl tftp://) and its
# answer (dig of an address= name).
set -u
. "$(dirname "$0")/../lib.sh"

t_need scripts/deps.sh udhcpc dig curl python3
T=$T_TMP
NS_S=pfs$$
NS_C=pfc$$
SRV=198.51.100.1
SINK=198.51.100.3
N_DHCP=${FLOOD_DHCP:-20000}
N_RRQ=${FLOOD_RRQ:-5000}
N_DNS=${FLOOD_DNS:-20000}
N_TCP=${FLOOD_TCP:-100}
# The cap: the lease table is bounded by dhcp-lease-max (1000), offers
# keep no state, TFTP by tftp-max (50 transfers, each with one read-ahead
# buffer), DNS by dns-forward-max (150 pending) and 20 TCP clients.
# Measured on amd64: about 2 MiB idle and 6 MiB at the end.
RSS_CAP_KB=${RSS_CAP_KB:-16384}
HERE=$(cd "$(dirname "$0")" && pwd)

t_netns_std "$NS_S" "$NS_C" $SRV/24
ip -n "$NS_C" addr add 198.51.100.2/24 dev pxv1
ip -n "$NS_C" addr add $SINK/24 dev pxv1

mkdir -p "$T/root" "$T/udh"
head -c 1048576 /dev/urandom > "$T/root/big"
head -c 3000 /dev/urandom > "$T/root/small"
chmod -R a+rX "$T/root"
touch "$T/leases"
chown nobody "$T/leases" 2> /dev/null

cat > "$T/pxemasq.conf" << CONF
no-resolv
server=$SINK
address=/boot.test/198.51.100.9
dhcp-range=198.51.100.10,198.51.100.250,255.255.255.0,1h
dhcp-boot=pxe.efi
enable-tftp
tftp-root=$T/root
dhcp-leasefile=$T/leases
log-facility=$T/log
pid-file=$T/pid
CONF

in_c() { ip netns exec "$NS_C" "$@"; }
# started without the in_c function so that $! is the sink itself (a
# function in the background is a subshell, which t_cleanup would kill
# while the python process lived on)
ip netns exec "$NS_C" python3 "$HERE/flood.py" sink $SINK 53 > "$T/sink.out" 2>&1 &
t_track $!
disown $!	# killed by t_cleanup without a job notice
wait_for 5 grep -q ready "$T/sink.out"

ip netns exec "$NS_S" "$PXEMASQ" -C "$T/pxemasq.conf" 2> "$T/stderr"
check "daemon starts" test $? = 0
t_pidfile PID "$T/pid"
wait_for 5 grep -q "TFTP root is" "$T/log"

t_udhcpc_script "$T/udh"
udh_run() {
	rm -f "$T"/udh/env.*
	in_c timeout 20 udhcpc -i pxv1 -s "$T/udh/script" -q -n -t 5 -T 1 -f \
	    > "$T/udh/out" 2>&1
}
udh_var() { sed -n "s/^$1=//p" "$T/udh/env.bound" 2> /dev/null; }
kb() { proc_field "$PID" "$1" | awk '{print $1}'; }
rss_ok() {
	local rss hwm
	rss=$(kb VmRSS)
	hwm=$(kb VmHWM)
	echo "  $1: VmRSS $rss kB, VmHWM $hwm kB (cap $RSS_CAP_KB kB)"
	check "$1: memory under the cap" test "${hwm:-999999999}" -lt "$RSS_CAP_KB"
}
# stats: SIGUSR1, wait for its last line; the new lines into $T/stats
stats() {
	local n
	n=$(grep -c "uptime" "$T/log")
	kill -USR1 "$PID"
	wait_for 10 sh -c "[ \$(grep -c uptime '$T/log') -gt $n ]"
	awk -v n="$n" '/uptime/ { u++; next } u == n' "$T/log" > "$T/stats"
}
good_lease() {
	udh_run
	check "$1: a client still gets its lease" test "$(udh_var boot_file)" = pxe.efi
}
good_file() {
	rm -f "$T/small.out"
	wait_for 90 sh -c "ip netns exec $NS_C curl -s --max-time 3 -o '$T/small.out' tftp://$SRV/small && cmp -s '$T/root/small' '$T/small.out'"
	check "$1: a client still gets its file" cmp -s "$T/root/small" "$T/small.out"
}
good_answer() {
	local out
	out=$(in_c timeout 10 dig +short +tries=3 +time=2 @$SRV boot.test A 2>&1)
	check "$1: a client still gets its answer" test "$out" = 198.51.100.9
}
num() { sed -n "s/.*$1: \([0-9]*\)$/\1/p" "$T/stats" | head -n 1; }

rss_ok "idle"

# --- (1) DISCOVER flood ------------------------------------------------------------
out=$(in_c timeout 120 python3 "$HERE/flood.py" discover pxv1 "$N_DHCP")
echo "  discover flood: $out"
good_lease "DISCOVER flood"
good_answer "DISCOVER flood"
stats
offers=$(sed -n 's/.*DHCP: [0-9]* leases, \([0-9]*\) offers.*/\1/p' "$T/stats")
drops=$(sed -n 's/.*DHCP: dropped ([^)]*): \([0-9]*\)$/\1/p' "$T/stats" |
    awk '{s += $1} END {print s + 0}')
echo "  DHCP: $offers offers, $drops dropped by pxemasq"
sent=${out#sent }
# every DISCOVER is accounted for: offered, or dropped with a reason
# (queue-full: the kernel's receive queue overflowed before pxemasq read)
check "DISCOVER flood: offers + counted drops >= 95% of $sent sent" \
    test $(((${offers:-0} + drops) * 100)) -ge $((sent * 95))
check "DISCOVER flood: no lease kept for a DISCOVER" \
    test "$(wc -l < "$T/leases")" -le 1
rss_ok "DISCOVER flood"

# --- (2) RRQ flood -----------------------------------------------------------------------
out=$(in_c timeout 120 python3 "$HERE/flood.py" rrq $SRV "$N_RRQ" 500)
echo "  RRQ flood: $out"
stats
grep "TFTP" "$T/stats" | sed 's/^/  /'
check "RRQ flood: tftp-max reached (transfers active)" \
    grep -q "TFTP: 50 transfers active (max 50)" "$T/stats"
check "RRQ flood: the socket paused at tftp-max (counted)" \
    test "$(num "times the request socket was paused at tftp-max")" -gt 0
check "RRQ flood: missing files answered (counted)" \
    test "$(num "file not found")" -gt 0
rss_ok "RRQ flood"
good_file "RRQ flood"
stats
check "RRQ flood: never-acknowledged transfers ended (counted)" \
    test "$(num "never-acknowledged transfers ended at tftp-max")" -gt 0
good_lease "RRQ flood"
good_answer "RRQ flood"

# --- (3) DNS query flood, upstream never answers -------------------------------------
out=$(in_c timeout 120 python3 "$HERE/flood.py" dns $SRV 53 "$N_DNS")
echo "  DNS flood: $out"
good_answer "DNS flood"
stats
grep "dns drops\|queries forwarded" "$T/stats" | sed 's/^/  /'
check "DNS flood: pending table full (counted)" \
    test "$(num "dns drops table-full")" -gt 0
rss_ok "DNS flood"
good_lease "DNS flood"

# --- (4) half-open TCP DNS connections --------------------------------------------
coproc TCPF { in_c timeout 300 python3 "$HERE/flood.py" tcp $SRV 53 "$N_TCP" 2>&1; }
t_track "$TCPF_PID"
read -r -t 120 line <&"${TCPF[0]}"
echo "  TCP: $line"
stats
grep "TCP\|tcp" "$T/stats" | sed 's/^/  /'
check "half-open TCP: capped at 20 connections" \
    grep -q "in use 20, highest since last SIGUSR1 20, max allowed 20" "$T/stats"
check "half-open TCP: refusals counted" \
    test "$(num "dns drops tcp-refused")" -gt 0
good_answer "half-open TCP"
good_lease "half-open TCP"
rss_ok "half-open TCP"
exec {TCPF[1]}>&-
check "still running" kill -0 "$PID"
kill -TERM "$PID" 2> /dev/null
wait_gone 5 "$PID"
t_done
