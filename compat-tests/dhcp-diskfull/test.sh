#!/bin/bash
# compat-tests/dhcp-diskfull/test.sh - a full disk under the lease file
# (issue 4: "leases already on disk keep renewing, no new lease is ACKed
# while its write fails, the condition is logged once per minute, and
# service resumes by itself when the write succeeds").
#
# The lease file and its journals live on a 64 KiB tmpfs mounted in a
# private mount namespace inside the server's network namespace; a
# process (sleep) holds that mount namespace, pxemasq -k runs in it
# (nsenter), so the daemon can be killed and started again on the same
# tmpfs.  Client A gets a lease; the tmpfs is filled with dd until
# ENOSPC.  New clients then ask one after another: the first ones may
# still be ACKed (their records fit in the slack of the journal's last
# page: such a lease is on disk), until one gets no ACK (it may get an
# OFFER).  From then on: a second new client gets no ACK either, A's
# RENEW is ACKed, and the log holds exactly one "failed to write" line
# although every request failed to write.  The filler is removed: the
# client that got no ACK gets its lease without a restart.  Finally the
# daemon is killed with SIGKILL and started again on the tmpfs: every
# lease ACKed during the test (A, the ones ACKed in the slack, the one
# ACKed after recovery) is in the lease file it writes.
#
# A read-only variant (mount -o remount,ro) is not possible while the
# daemon holds its files open for writing: the kernel refuses the
# remount (EBUSY).
#
# Env: PYTHON (python3), PXEMASQ, DF_KEEP=DIR (copy the logs and files there).
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}
LOAD=$HERE/../dhcp-crash/dhcpload.py
T=$T_TMP
NS_S=pxds$$
NS_C=pxdc$$
T_NETNS+=("$NS_S" "$NS_C")
SRV_MAC=02:00:00:00:00:01
SRV_IP=198.51.100.1
MAC_A=52:54:00:00:0a:01
MNT=$T/mnt
LEASES=$MNT/leases
HOLD_PID=
SRV_PID=

if [ "$(id -u)" != 0 ]; then
	echo "SKIPPED: needs root (network and mount namespaces)"
	t_done
	exit 0
fi
[ -x "$PXEMASQ" ] || { fail "no $PXEMASQ (run make)"; t_done; exit 1; }

# --- network ------------------------------------------------------------------
if ! t_netns_pair "$NS_S" "$NS_C" pxd0 pxd1 "$SRV_MAC" "$SRV_IP/24"; then
	fail "network namespaces"
	t_done
	exit 1
fi

load() {
	ip netns exec "$NS_C" timeout 60 "$PY" "$LOAD" --iface pxd1 \
	    --server-mac "$SRV_MAC" "$@"
}

# --- the small disk ---------------------------------------------------------------
# A mount namespace of its own inside the server's network namespace, held
# by a sleep; in_mnt runs a command in it (network namespace included).
mkdir -p "$MNT"
ip netns exec "$NS_S" unshare -m --propagation private sh -c \
    "mount -t tmpfs -o size=64k,mode=0777 tmpfs '$MNT' && exec sleep 600" &
HOLD_PID=$!
t_track "$HOLD_PID"
disown "$HOLD_PID"
in_mnt() { nsenter -t "$HOLD_PID" -m -n -- "$@"; }
if ! wait_for 5 sh -c "nsenter -t $HOLD_PID -m -- grep -q ' $MNT tmpfs ' /proc/self/mounts"; then
	fail "private tmpfs mounted"
	t_done
	exit 1
fi
check "the tmpfs is private to the server's mount namespace" \
    sh -c "! grep -q ' $MNT tmpfs ' /proc/self/mounts"

cat > "$T/diskfull.conf" << CONF
port=0
interface=pxd0
no-ping
dhcp-range=198.51.100.10,198.51.100.250,255.255.255.0,1h
CONF

# server_start N: pxemasq -k in the held namespaces, lease file on the
# tmpfs, log T/log.N (not on the tmpfs); waits for its "started" line.
server_start() {
	LOG=$T/log.$1
	# not through in_mnt: a function run with & is a subshell, and $!
	# would be its pid (nsenter execs the daemon: same pid)
	nsenter -t "$HOLD_PID" -m -n -- "$PXEMASQ" -k --conf-file="$T/diskfull.conf" \
	    --log-facility="$LOG" --pid-file="$T/pid" \
	    --dhcp-leasefile="$LEASES" 2>> "$T/stderr" &
	SRV_PID=$!
	t_track "$SRV_PID"
	disown "$SRV_PID"	# no "Killed" report from bash
	wait_for 10 grep -sq "\[$SRV_PID\]: started, version" "$LOG"
}
server_kill() {
	kill -"$1" "$SRV_PID" 2> /dev/null
	wait_gone 10 "$SRV_PID"
	SRV_PID=
}
# leases_has MAC IP: the lease file on the tmpfs has that lease.
leases_has() { in_mnt grep -q " $1 $2 " "$LEASES"; }
failed_lines() { grep -c 'failed to write' "$LOG"; }

if ! server_start 1; then
	fail "server starts: $(tail -n 3 "$T/stderr" "$T/log.1" 2> /dev/null | tr '\n' ' ')"
	t_done
	exit 1
fi

# --- A: a lease on disk ---------------------------------------------------------------
: > "$T/acked"
IP_A=$(load --retry 0.5 --tries 4 request "$MAC_A" 2>> "$T/load.err" |
    awk '{ print $2 }')
if [ -n "$IP_A" ] && [ "$IP_A" != - ]; then
	pass "client A is ACKed $IP_A"
	echo "$MAC_A $IP_A" >> "$T/acked"
else
	fail "client A gets a lease"
	t_done
	exit 1
fi
check "A's lease is in the lease file" wait_for 5 leases_has "$MAC_A" "$IP_A"
check "A's RENEW is ACKed (disk not full yet)" \
    load --retry 0.5 --tries 3 renew "$MAC_A" "$IP_A" "$SRV_IP"

# --- the disk fills ---------------------------------------------------------------
in_mnt dd if=/dev/zero of="$MNT/filler" bs=1024 2> "$T/dd.err"
check "dd filled the tmpfs (ENOSPC)" grep -q "No space left" "$T/dd.err"
in_mnt df -k "$MNT" | tail -n 1 > "$T/df"
check "no free block left: $(cat "$T/df")" \
    test "$(awk '{ print $4 }' "$T/df")" = 0

# New clients, one at a time, until one gets no ACK: the ones before it
# were ACKed because their records still fitted in the last page of the
# journal (and so are on disk).
load --prefix 52:54:0b --count 200 --window 1 --retry 0.4 --tries 3 \
    --until-fail dora "$T/acked" > "$T/b.out" 2>> "$T/load.err"
MAC_B=$(awk '$2 == "-" { print $1; exit }' "$T/b.out")
n_slack=$(($(wc -l < "$T/acked") - 1))
if [ -n "$MAC_B" ]; then
	pass "a new client gets no ACK once the disk is full ($n_slack new leases fitted in the slack first)"
else
	fail "a new client gets no ACK once the disk is full ($n_slack new clients were ACKed)"
fi
check "the daemon says why: $(grep -m 1 'failed to write' "$LOG" | sed 's/.*]: //')" \
    grep -q "failed to write $LEASES\.j[01]: No space left on device" "$LOG"

# another new client: an OFFER, no ACK
load --retry 0.4 --tries 3 request 52:54:00:00:0c:01 > "$T/c.out" 2>> "$T/load.err"
check "a second new client gets no ACK either ($(cat "$T/c.out"))" \
    grep -q "^52:54:00:00:0c:01 - none" "$T/c.out"
check "it was offered an address (DHCPOFFER logged)" \
    grep -q "DHCPOFFER(pxd0) [0-9.]* 52:54:00:00:0c:01" "$LOG"
check "its DHCPREQUEST is logged" \
    grep -q "DHCPREQUEST(pxd0) [0-9.]* 52:54:00:00:0c:01" "$LOG"
check "no DHCPACK is logged for it (the ACK was withheld)" \
    sh -c "! grep -q 'DHCPACK(pxd0) [0-9.]* 52:54:00:00:0c:01' '$LOG'"
# the no-ACK client asks again (its lease waits in memory, not on disk)
load --retry 0.4 --tries 3 request "$MAC_B" > "$T/b2.out" 2>> "$T/load.err"
check "B asking again gets no ACK while the disk is full" \
    grep -q "^$MAC_B - none" "$T/b2.out"

# A renews: its lease is on disk
for k in 1 2 3; do
	load --retry 0.5 --tries 3 renew "$MAC_A" "$IP_A" "$SRV_IP" \
	    > "$T/renew.$k" 2>> "$T/load.err"
done
check "A's RENEW is ACKed while the disk is full (3 of 3: $(cat "$T"/renew.* | tr '\n' ' '))" \
    test "$(grep -c "^$MAC_A $IP_A\$" "$T"/renew.*  | grep -c ':1$')" = 3

requests=$(grep -c "DHCPREQUEST" "$LOG")
check "one \"failed to write\" line for $requests requests ($(failed_lines))" \
    test "$(failed_lines)" = 1

# --- space comes back -------------------------------------------------------------
in_mnt rm -f "$MNT/filler"
load --retry 0.5 --tries 10 request "$MAC_B" > "$T/b3.out" 2>> "$T/load.err"
IP_B=$(awk '{ print $2 }' "$T/b3.out")
if [ -n "$IP_B" ] && [ "$IP_B" != - ]; then
	pass "B gets its lease once space is back, without a restart ($IP_B)"
	echo "$MAC_B $IP_B" >> "$T/acked"
else
	fail "B gets its lease once space is back ($(cat "$T/b3.out"))"
fi
check "B's lease reaches the lease file" wait_for 5 leases_has "$MAC_B" "$IP_B"
check "still one \"failed to write\" line" test "$(failed_lines)" = 1

# --- everything ACKed is on disk --------------------------------------------------
server_kill KILL
if server_start 2; then
	pass "restart after kill -9 on the tmpfs"
	# the restarted daemon rewrites the file at the end of its first turn
	all_there() {
		in_mnt cat "$LEASES" > "$T/leases.now" 2> /dev/null &&
		awk 'NR == FNR { have[$2 " " $3] = 1; next }
		    !(($1 " " $2) in have) { bad++ } END { exit bad > 0 }' \
		    "$T/leases.now" "$T/acked"
	}
	check "all $(wc -l < "$T/acked") leases ACKed in the test survive kill -9" \
	    wait_for 5 all_there
	check "no address twice in the lease file" \
	    test "$(awk '{ print $3 }' "$T/leases.now" | sort | uniq -d | wc -l)" = 0
	server_kill TERM
else
	fail "restart after kill -9: $(tail -n 3 "$T/stderr" "$T/log.2" 2> /dev/null | tr '\n' ' ')"
fi
[ -n "${DF_KEEP:-}" ] && cp -r "$T" "$DF_KEEP"
t_done
