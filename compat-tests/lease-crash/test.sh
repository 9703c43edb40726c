#!/bin/bash
# compat-tests/lease-crash/test.sh - leases survive kill -9 (issue 4).
# A small driver (driver.c, linked with the daemon's lease, clock, buf and
# log objects) adds, renews and removes leases through the journaled
# store and prints each lease only after lease_store_sync() reported it
# durable, as the daemon sends an ACK.  It is killed with SIGKILL at a
# random moment 20 times; after each kill the store is loaded again and
# every printed lease must be there (with its MAC), every printed removal
# must have stuck.  Compactions and lease-file rewrites happen while it
# runs, so kills land inside them too.  At the end the lease file, written
# as on exit, must hold exactly the loaded leases in dnsmasq's format.
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
T=$T_TMP
RUNS=${LEASE_CRASH_RUNS:-20}

OBJS="lease clock buf log"
if ! make -s -C "$ROOT" $(for o in $OBJS; do echo "build/obj/$o.o"; done) \
    >"$T/make.log" 2>&1; then
	cat "$T/make.log"
	fail "objects build"
	t_done
	exit 1
fi
if ! cc -std=gnu11 -D_GNU_SOURCE -O2 -I"$ROOT/src" -o "$T/driver" \
    "$HERE/driver.c" $(for o in $OBJS; do echo "$ROOT/build/obj/$o.o"; done) \
    2>"$T/cc.log"; then
	cat "$T/cc.log"
	fail "driver builds"
	t_done
	exit 1
fi
pass "driver builds"

mkdir -p "$T/db"
DB=$T/db/leases

# complete_lines FILE: FILE without a last line cut by the kill.
complete_lines() {
	if [ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ]; then
		sed '$d' "$1"
	else
		cat "$1"
	fi
}

# verify LOGS... : the loaded store against everything printed so far.
verify() {
	timeout 60 "$T/driver" dump "$DB" > "$T/dump" 2>"$T/dump.err" ||
		return 1
	for f in "$@"; do complete_lines "$f"; done > "$T/events"
	awk '
	NR == FNR {
		if ($1 == "ADD" && NF == 3) want[$2] = $3
		else if ($1 == "INTENT-DEL" && NF == 2) maybe[$2] = 1
		else if ($1 == "DEL" && NF == 2) {
			gone[$2] = 1; delete want[$2]; delete maybe[$2]
		}
		next
	}
	$1 == "LEASE" { have[$2] = $3; n++ }
	END {
		bad = 0
		for (a in want) {
			if (a in maybe) continue
			if (!(a in have)) { print "missing " a; bad++ }
			else if (have[a] != want[a]) { print "wrong MAC " a; bad++ }
		}
		for (a in gone) if (a in have) { print "came back " a; bad++ }
		nw = 0; for (a in want) if (!(a in maybe)) nw++
		ng = 0; for (a in gone) ng++
		printf "%d leases and %d removals acknowledged, %d loaded\n", nw, ng, n
		exit bad > 0
	}' "$T/events" "$T/dump" > "$T/verify.out"
}

logs=()
start=$(date +%s)
for i in $(seq 1 "$RUNS"); do
	log=$T/run.$i.log
	logs+=("$log")
	: > "$log"
	"$T/driver" run "$DB" > "$log" 2>"$T/run.$i.err" &
	pid=$!
	t_track "$pid"
	# a random moment, once the driver has acknowledged something
	wait_for 10 grep -q "^ADD" "$log"
	sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if ! kill -0 "$pid" 2>/dev/null && [ -s "$log" ] && verify "${logs[@]}"; then
		pass "kill -9 #$i: $(cat "$T/verify.out")"
	else
		fail "kill -9 #$i: $(cat "$T/verify.out" "$T/run.$i.err" "$T/dump.err" 2>/dev/null | head -5)"
	fi
done

# compactions (beyond the one at start-up) and lease-file rewrites happened
# in the runs that were killed
stat=$(for f in "${logs[@]}"; do
	awk '$1 == "STAT" { c = $2; w = $3 } END { print (c > 1), (w > 0) }' "$f"
done | awk '{ c += $1; w += $2 } END { print c + 0, w + 0 }')
check "runs that compacted the journal: ${stat% *} of $RUNS" test "${stat% *}" -gt 0
check "runs that rewrote the lease file: ${stat#* } of $RUNS" test "${stat#* }" -gt 0

# as on exit: the lease file holds exactly the leases, in dnsmasq's format
n=$(timeout 60 "$T/driver" finish "$DB" 2>/dev/null)
grep -Ev '^[0-9]+ 52:54:00(:[0-9a-f]{2}){3} 198(\.[0-9]{1,3}){3} \* (01:52:54:00(:[0-9a-f]{2}){3}|\*)$' "$DB" | head -3 | sed 's/^/odd line: /'
check "lease file written on exit has one line per lease ($n)" \
    test "$(wc -l < "$DB")" = "$n"
check "every line is dnsmasq's: EXPIRY MAC IP * CLIENTID|*" \
    test "$(grep -cEv '^[0-9]+ 52:54:00(:[0-9a-f]{2}){3} 198(\.[0-9]{1,3}){3} \* (01:52:54:00(:[0-9a-f]{2}){3}|\*)$' "$DB")" = 0
check "no address twice in the lease file" \
    test "$(awk '{ print $3 }' "$DB" | sort | uniq -d | wc -l)" = 0
timeout 60 "$T/driver" dump "$DB" > "$T/dump2"
check "the file matches the store" \
    test "$(awk '{ print $3, $2 }' "$DB" | sort)" = "$(awk '{ print $2, $3 }' "$T/dump2" | sort)"
echo "lease-crash: $RUNS kills in $(( $(date +%s) - start )) s"

# --- dnsmasq 2.90 as the oracle of the lease-file reader ---------------------
# dnsmasq reads a lease file full of odd entries and writes it back (an
# expired first entry makes it rewrite the file); the store's reader must
# read every entry as dnsmasq did.  Inside a network namespace of our own
# (a veth pair, 198.51.100.0/24), dnsmasq as root, DNS off.  The entries
# where pxemasq differs on purpose are left out (listed in lease.c):
# duplicate addresses (dnsmasq keeps both lines), names over 63 bytes,
# MACs parse_hex() refuses (dnsmasq crashes) and the "duid" line (kept by
# dnsmasq, dropped by pxemasq, which does no DHCPv6).
oracle() {
	local ns=pxlc$$ d=$T/oracle rc=0
	command -v dnsmasq >/dev/null && [ "$(id -u)" = 0 ] || return 77
	ip netns add "$ns" 2>/dev/null || return 77
	T_NETNS+=("$ns")
	mkdir -p "$d" && chmod 777 "$d"
	ip netns exec "$ns" ip link add o0 type veth peer name o1 &&
	ip netns exec "$ns" ip addr add 198.51.100.1/24 dev o0 &&
	ip netns exec "$ns" ip link set o0 up &&
	ip netns exec "$ns" ip link set o1 up || return 77
	cat > "$d/leases" <<'LEASES'
100 52:54:00:00:00:01 198.51.100.5 expired *
0 525400aabbcc 198.51.100.31 * *
0 52-54-00-aa-bb-cc 198.51.100.32 * *
0 52:54-00-aa-bb-cc 198.51.100.33 * *
0 5:2:540 198.51.100.34 * *
0 0006-00:01 198.51.100.35 * *
0 20- 198.51.100.36 * 01:02
0 - 198.51.100.37 * 01:02
0 00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:zz 198.51.100.38 * *
0 52:54:00:aa:bb:cc 198.51.100.39 * 01:zz
0 52:54:00:aa:bb:cc 198.51.100.40 * :
abc 52:54:00:aa:bb:cd 198.51.100.41 * *
0 52:54:00:AA:BB:CF 198.51.100.43 HostUp 01:AB
0 52:54:00:aa:bb:d0 198.51.100.44 * * 0
52:54:00:aa:bb:d1 198.51.100.45 * *
0 52:54:00:aa:bb:d2 198.51.100.46 pc *
0 52:54:00:aa:bb:d3 198.51.100.47 PC *
0 52:54 300.1.2.3 * *
0 0A-00:11 198.51.100.49 * *
0 525:400 198.51.100.50 * *
-5 52:54:00:aa:bb:d4 198.51.100.51 * *
4102444800 52:54:00:aa:bb:d7 198.51.100.54 later 01:52:54:00:aa:bb:d7
0 52:54:00:aa:bb:05 198.51.100.63 x 1234567890
0 52:54:00:aa:bb:04 198.51.100.62 a*b *
duid 00:01:00:01:2d:5a:1c:3b:52:54:00:00:00:01
0 1234567 2001:db8::10 host6 00:01:00:01:2d:5a:1c:3b:52:54:00:00:00:02
0 52:54:00:aa:bb:d6 198.51.100.53 h
LEASES
	printf '0 52:54:00:aa:bb:d8 198.51.100.55 cut' >> "$d/leases"
	chmod 666 "$d/leases"
	"$T/driver" parse "$d/leases" > "$d/ours" 2>/dev/null || rc=1
	ip netns exec "$ns" dnsmasq -d --port=0 --interface=o0 \
	    --bind-interfaces --dhcp-range=198.51.100.10,198.51.100.200,1h \
	    --dhcp-leasefile="$d/leases" -C /dev/null --log-facility=- \
	    --user=root 2> "$d/log" &
	local pid=$!
	t_track "$pid"
	wait_for 5 grep -q "sockets bound" "$d/log"
	wait_for 5 sh -c "! grep -q expired '$d/leases'"
	kill -TERM "$pid"
	wait "$pid"
	grep -v '^duid ' "$d/leases" | grep -v ' 2001:db8::' > "$d/theirs"
	[ -s "$d/theirs" ] && diff "$d/theirs" "$d/ours" > "$d/diff" || rc=1
	return $rc
}
oracle
rc=$?
if [ $rc = 77 ]; then
	echo "SKIPPED: dnsmasq as lease-file oracle (needs root, ip netns, dnsmasq)"
else
	check "dnsmasq 2.90 reads $(wc -l < "$T/oracle/theirs") odd lease-file entries as we do$(
	    [ -s "$T/oracle/diff" ] && echo ": $(head -4 "$T/oracle/diff" | tr '\n' ' ')")" \
	    test $rc = 0
fi
t_done
