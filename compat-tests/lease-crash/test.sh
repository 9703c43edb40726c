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
check "lease file written on exit has one line per lease ($n)" \
    test "$(wc -l < "$DB")" = "$n"
check "every line is dnsmasq's: EXPIRY MAC IP * CLIENTID|*" \
    test "$(grep -cEv '^[0-9]+ 52:54:00(:[0-9a-f]{2}){3} 198\.1[89]\.[0-9]{1,3}\.[0-9]{1,3} \* (01:52:54:00(:[0-9a-f]{2}){3}|\*)$' "$DB")" = 0
check "no address twice in the lease file" \
    test "$(awk '{ print $3 }' "$DB" | sort | uniq -d | wc -l)" = 0
timeout 60 "$T/driver" dump "$DB" > "$T/dump2"
check "the file matches the store" \
    test "$(awk '{ print $3, $2 }' "$DB" | sort)" = "$(awk '{ print $2, $3 }' "$T/dump2" | sort)"
echo "lease-crash: $RUNS kills in $(( $(date +%s) - start )) s"
t_done
