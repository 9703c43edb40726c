#!/bin/bash
# compat-tests/dhcp-crash/test.sh - the daemon killed with SIGKILL under
# DHCP load loses no lease whose ACK a client saw (issue 4, "Leases").
#
# pxemasq -k serves a /15 (198.18.0.0/15) on a veth in a namespace of its
# own; in another namespace dhcpload.py runs DISCOVER/OFFER/REQUEST/ACK for
# thousands of distinct MACs (3000 new ones a second, up to 64 in flight;
# each run has MACs of its own) and appends "MAC IP" to a file
# only after the ACK arrived.  Once the first ACK is seen, the server is
# killed with SIGKILL after a random delay (0 - 0.99 s), the client is
# stopped, and the server is started again on the same lease file (and
# journals).  Then every ACKed lease of every run so far must be in the
# lease file the restarted daemon writes from what it loaded, with its MAC
# (no address twice in the file), and the last ACKed clients of the run
# (those most at risk) must get an ACK for the same address when they ask
# for it again in INIT-REBOOT state.  20 kills; the table grows to tens of
# thousands of leases, so the runs also cover the rate-limited rewrites of
# a large lease file.
#
# Env: DHCP_CRASH_RUNS (20), PYTHON (python3), PXEMASQ.
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}
T=$T_TMP
RUNS=${DHCP_CRASH_RUNS:-20}
RATE=3000		# new clients a second
PER_RUN=5000		# clients a run may start: more than it gets to
REBOOT_CHECK=100			# last ACKed clients asked again
NS_S=pxcs$$
NS_C=pxcc$$
T_NETNS+=("$NS_S" "$NS_C")
SRV_MAC=02:00:00:00:00:01
SRV_IP=198.18.0.1
SRV_PID=
LOAD_PID=

if [ "$(id -u)" != 0 ]; then
	echo "SKIPPED: needs root (network namespaces)"
	t_done
	exit 0
fi
[ -x "$PXEMASQ" ] || { fail "no $PXEMASQ (run make)"; t_done; exit 1; }

# --- network ------------------------------------------------------------------
if ! t_netns_pair "$NS_S" "$NS_C" pxc0 pxc1 "$SRV_MAC" "$SRV_IP/15"; then
	fail "network namespaces"
	t_done
	exit 1
fi

load() {
	ip netns exec "$NS_C" timeout 60 "$PY" "$HERE/dhcpload.py" \
	    --iface pxc1 --server-mac "$SRV_MAC" "$@"
}

# --- server -------------------------------------------------------------------
DB=$T/db
mkdir -p "$DB"
chmod 777 "$DB"
LEASES=$DB/leases
cat > "$T/crash.conf" << CONF
port=0
interface=pxc0
no-ping
dhcp-range=198.18.0.10,198.19.255.250,255.254.0.0,12h
dhcp-lease-max=200000
CONF

# server_start N: pxemasq -k on the lease file, log T/log.N; waits for its
# "started" line.
server_start() {
	local log=$T/log.$1
	ip netns exec "$NS_S" "$PXEMASQ" -k --conf-file="$T/crash.conf" \
	    --log-facility="$log" --pid-file="$T/pid" \
	    --dhcp-leasefile="$LEASES" 2>> "$T/stderr" &
	SRV_PID=$!
	t_track "$SRV_PID"
	disown "$SRV_PID"	# no "Killed" report from bash
	wait_for 20 grep -sq "\[$SRV_PID\]: started, version" "$log"
}

server_kill() {
	kill -"$1" "$SRV_PID" 2> /dev/null
	wait_gone 20 "$SRV_PID"
	SRV_PID=
}

# --- checks -------------------------------------------------------------------
# complete_lines FILE: FILE without a last line cut short (not expected:
# each line is one write, but a check must not depend on it).
complete_lines() {
	if [ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ]; then
		sed '$d' "$1"
	else
		cat "$1"
	fi
}

# lease_check: T/acked (every ACKed "MAC IP", one MAC each) against a copy
# of the lease file written by the daemon started last; the result in
# T/check.out.  True when every ACKed MAC is there with its address, no
# address appears twice in the file and no address was ACKed to two MACs.
lease_check() {
	cp "$LEASES" "$T/snap" 2> /dev/null || return 1
	awk '
	NR == FNR {
		want[$1] = $2; nw++
		if (($2 in owner) && owner[$2] != $1) twice++
		owner[$2] = $1
		next
	}
	{ n++; if ($3 in seen) dup++; seen[$3] = 1; have[$2] = $3 }
	END {
		for (m in want) {
			if (!(m in have)) miss++
			else if (have[m] != want[m]) moved++
		}
		printf "%d ACKed leases checked, %d lines, %d missing, " \
		    "%d at another address, %d addresses twice in the " \
		    "file, %d ACKed to two MACs\n", nw, n, miss, moved, \
		    dup, twice
		exit (miss + moved + dup + twice) > 0
	}' "$T/acked" "$T/snap" > "$T/check.out"
}

# mark_restart: before a (re)start, the lease file looks a minute older
# than a marker (clear of the clock's granularity); rewritten: the daemon
# has written the file since (it is not left over from before the kill).
mark_restart() {
	touch -d '2 minutes ago' "$LEASES" 2> /dev/null
	touch -d '1 minute ago' "$T/restart"
}
rewritten() { [ -n "$(find "$LEASES" -newer "$T/restart" 2> /dev/null)" ]; }

# reboot_check RUN: the last ACKed clients of RUN ask for their address
# again (INIT-REBOOT); each must be ACKed with it.
reboot_check() {
	tail -n "$REBOOT_CHECK" "$T/acks.$1" > "$T/reboot.in"
	[ -s "$T/reboot.in" ] || return 0
	load --window 32 --retry 0.5 --tries 4 reboot "$T/reboot.in" \
	    "$T/reboot.out" 2>> "$T/load.err" || return 1
	awk '$3 != "ack" || $4 != $2 { bad++; print }
	    END { exit bad > 0 }' "$T/reboot.out" > "$T/reboot.bad"
}

# --- the runs ---------------------------------------------------------------------
START=$SECONDS
: > "$T/acked"
if ! server_start 0; then
	fail "server starts: $(tail -n 3 "$T/stderr" "$T/log.0" 2> /dev/null | tr '\n' ' ')"
	t_done
	exit 1
fi
total=0
checks=0
reboots=0
empty_runs=0
idle_kills=0
next=0
for i in $(seq 1 "$RUNS"); do
	acks=$T/acks.$i
	: > "$acks"
	# not through load(): a function run with & is a subshell, and $!
	# would be its pid, not the client's
	ip netns exec "$NS_C" timeout 60 "$PY" "$HERE/dhcpload.py" \
	    --iface pxc1 --prefix "52:54:$(printf %02x "$i")" --start 0 \
	    --count "$PER_RUN" --rate "$RATE" --window 64 --retry 0.3 \
	    --tries 5 dora "$acks" 2>> "$T/load.err" &
	LOAD_PID=$!
	t_track "$LOAD_PID"
	wait_for 10 test -s "$acks" || fail "run $i: no ACK within 10 s"
	# a random moment within 1 s of the first ACK, the load still running
	sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
	kill -0 "$LOAD_PID" 2> /dev/null || idle_kills=$((idle_kills + 1))
	server_kill KILL
	# the client sees nothing more; stop it (each line is one write)
	kill -TERM "$LOAD_PID" 2> /dev/null
	wait_gone 10 "$LOAD_PID" || kill -KILL "$LOAD_PID" 2> /dev/null
	wait "$LOAD_PID" 2> /dev/null
	LOAD_PID=
	complete_lines "$acks" >> "$T/acked"
	n=$(complete_lines "$acks" | wc -l)
	[ "$n" -gt 0 ] || empty_runs=$((empty_runs + 1))
	total=$((total + n))
	mark_restart
	if ! server_start "$i"; then
		fail "run $i: server restarts after kill -9: $(tail -n 3 "$T/stderr" "$T/log.$i" 2> /dev/null | tr '\n' ' ')"
		break
	fi
	checks=$((checks + $(wc -l < "$T/acked")))
	# the restarted daemon writes the lease file from what it loaded at
	# the end of its first loop turn; a read may catch a rewrite in
	# progress, so a failed check is tried again for 2 s
	if wait_for 20 rewritten && wait_for 2 lease_check; then
		pass "kill -9 #$i ($n ACKs in this run): $(cat "$T/check.out")"
	else
		fail "kill -9 #$i ($n ACKs in this run): $(cat "$T/check.out" 2> /dev/null)"
	fi
	if reboot_check "$i"; then
		r=$(wc -l < "$T/reboot.out" 2> /dev/null || echo 0)
		reboots=$((reboots + r))
		pass "kill -9 #$i: the last $r ACKed clients get their address again (INIT-REBOOT)"
	else
		fail "kill -9 #$i: INIT-REBOOT after the restart: $(head -n 3 "$T/reboot.bad" "$T/load.err" 2> /dev/null | tr '\n' ' ')"
	fi
	next=$i
done

# a clean stop writes the file once more: still everything, once
if [ -n "$SRV_PID" ]; then
	mark_restart
	server_kill TERM
	if rewritten && lease_check; then
		pass "after SIGTERM: $(cat "$T/check.out")"
	else
		fail "after SIGTERM: $(cat "$T/check.out" 2> /dev/null)"
	fi
fi
check "the daemon logged no lease-file or journal error" \
    sh -c "! grep -hE 'failed to (write|read|parse)|cannot open|ignoring invalid' $T/log.* > $T/errs"
check "every kill landed under load: runs with ACKs $((next - empty_runs)), load still running $((next - idle_kills)) of $next" \
    test "$empty_runs" = 0 -a "$idle_kills" = 0
echo "dhcp-crash: $next kills, $total leases ACKed, each checked after every later restart ($checks checks), $reboots INIT-REBOOT ACKs, $((SECONDS - START)) s"
t_done
