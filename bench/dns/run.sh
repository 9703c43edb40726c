#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/dns/run.sh - pxemasq against dnsmasq 2.90 under dnsperf load
# (issue 7, "Tests" last bullet and "Targets").  A benchmark, not a test:
# not part of `make check`; `make bench` runs it.  Needs root (network
# namespaces), build/pxemasq, dnsmasq 2.90, dnsperf (Debian package
# dnsperf) and a C compiler (the fake upstream, fakeup.c, is built into
# build/bench/).  Method and results: bench/README.md, section "bench/dns".
#
# Three namespaces: dnsperf's (pxbdv1 198.51.100.2/24), the daemon's
# (pxbdv0 198.51.100.1/24 towards dnsperf, pxbdu0 203.0.113.1/24 towards
# the upstream) and the fake upstream's (pxbdu1 203.0.113.53/24).  The
# daemons forward to 203.0.113.53 only (no-resolv, no-hosts).  Names:
# 10,000 (n00000.bench.test ... n09999.bench.test, type A), read in order
# and repeated by dnsperf.
#
# For each mode ("fwd": cache-size=0, every query forwarded; "cache":
# cache-size=10000, one warm-up pass over the names, then every answer
# from the cache) and each server (dnsmasq, then pxemasq; each started
# afresh):
#  (a) throughput: dnsperf -l BENCH_DUR -c 4 -T 1 -q BENCH_OUTSTANDING
#      (as fast as answers come back, at most that many queries in
#      flight): q/s, lost queries, dnsperf's average latency, the
#      server's CPU per answered query (utime+stime from /proc/PID/stat
#      over the run), its peak RSS (VmHWM), and the queries that reached
#      the upstream per answered query (UDP datagrams received in its
#      namespace: 1 when forwarding, about 0 from the cache);
#  (b) latency: dnsperf -Q BENCH_LAT_RATE -l BENCH_LAT_DUR -v (a fixed
#      rate both servers sustain): p50 and p99 of every answer's latency.
# First, the fake upstream's own ceiling: dnsperf from the daemon's
# namespace straight to it, same throughput settings, BENCH_REPEAT
# times; its CPU per query is the floor of any UDP-socket server here
# (see ceiling()), printed against dnsmasq's.
#
# Each (mode, server) runs BENCH_REPEAT times (3; 1 with BENCH_QUICK),
# the servers alternating; the summary keeps the best q/s and the median
# of the other figures (a shared machine's other load only slows a run).
#
# Env: BENCH_QUICK=1 (short runs), BENCH_REPEAT, BENCH_DUR, BENCH_LAT_DUR,
# BENCH_LAT_RATE, BENCH_OUTSTANDING, BENCH_UP_THREADS (the fake upstream's
# threads, 1), BENCH_SERVERS ("dnsmasq pxemasq"),
# BENCH_MODES ("fwd cache"), BENCH_OUT (default
# build/bench/dns-DATE; build/bench/dns-latest points at it), PXEMASQ,
# DNSMASQ.
set -u

# The daemons, dnsperf and the fake upstream ahead of unrelated work on
# the machine (builds, other tests): the run and all it starts at nice -15.
renice -n -15 -p $$ > /dev/null 2>&1 || true

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
PXEMASQ=${PXEMASQ:-$TOP/build/pxemasq}
DNSMASQ=${DNSMASQ:-$(command -v dnsmasq)}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	DUR=${BENCH_DUR:-4}
	LAT_DUR=${BENCH_LAT_DUR:-2}
else
	DUR=${BENCH_DUR:-15}
	LAT_DUR=${BENCH_LAT_DUR:-5}
fi
LAT_RATE=${BENCH_LAT_RATE:-10000}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	REPEAT=${BENCH_REPEAT:-1}
else
	REPEAT=${BENCH_REPEAT:-3}
fi
OUTSTANDING=${BENCH_OUTSTANDING:-100}
UP_THREADS=${BENCH_UP_THREADS:-1}
SERVERS=${BENCH_SERVERS:-dnsmasq pxemasq}
MODES=${BENCH_MODES:-fwd cache}
OUT=${BENCH_OUT:-$TOP/build/bench/dns-$(date +%Y%m%d-%H%M%S)}
NNAMES=10000
TCK=$(getconf CLK_TCK)
NS_C=pxbdc$$
NS_S=pxbds$$
NS_U=pxbdu$$
SRV_IP=198.51.100.1
UP_IP=203.0.113.53
PIDS=()
SRV_PID=
UP_PID=

die() { echo "bench/dns: $*" >&2; exit 1; }
note() { echo "bench/dns: $*" >&2; }

cleanup() {
	local p n
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] && kill -KILL "$p" 2> /dev/null
	done
	for n in "$NS_C" "$NS_S" "$NS_U"; do
		ip netns delete "$n" 2> /dev/null
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for SECONDS COMMAND...: polls COMMAND every 0.05 s until it
# succeeds or SECONDS of wall-clock time have passed (COMMAND may itself
# take time: a dig waiting for its answer).
wait_for() {
	local end=$((EPOCHSECONDS + $1))
	shift
	while [ "$EPOCHSECONDS" -lt "$end" ]; do
		"$@" && return 0
		sleep 0.05
	done
	"$@"
}

[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
command -v dnsperf > /dev/null ||
    die "dnsperf is not installed (Debian: apt-get install dnsperf)"
[ -x "$DNSMASQ" ] || die "dnsmasq not found"
[ -x "$PXEMASQ" ] || die "$PXEMASQ not built (make)"
mkdir -p "$OUT" || die "cannot create $OUT"
chmod 777 "$OUT"
ln -sfn "$OUT" "$TOP/build/bench/dns-latest"
cc -O2 -Wall -Wextra -pthread -o "$TOP/build/bench/fakeup" \
    "$HERE/fakeup.c" || die "cannot build fakeup"
for i in $(seq 0 $((NNAMES - 1))); do
	printf 'n%05d.bench.test A\n' "$i"
done > "$OUT/names.txt"

net_up() {
	local n
	for n in "$NS_C" "$NS_S" "$NS_U"; do
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		    net.ipv6.conf.default.disable_ipv6=1
	done
	ip link add pxbdv0 netns "$NS_S" type veth peer name pxbdv1 \
	    netns "$NS_C" || return 1
	ip link add pxbdu0 netns "$NS_S" type veth peer name pxbdu1 \
	    netns "$NS_U" || return 1
	ip -n "$NS_S" addr add "$SRV_IP/24" dev pxbdv0
	ip -n "$NS_S" addr add 203.0.113.1/24 dev pxbdu0
	ip -n "$NS_C" addr add 198.51.100.2/24 dev pxbdv1
	ip -n "$NS_U" addr add "$UP_IP/24" dev pxbdu1
	for n in "$NS_S pxbdv0" "$NS_S pxbdu0" "$NS_C pxbdv1" "$NS_U pxbdu1"; do
		# shellcheck disable=SC2086
		set -- $n
		ip -n "$1" link set "$2" up
	done
}

up_start() {
	ip netns exec "$NS_U" "$TOP/build/bench/fakeup" "$UP_IP" 53 "$UP_THREADS" \
	    > "$OUT/fakeup.out" 2>&1 &
	UP_PID=$!
	PIDS+=("$UP_PID")
	wait_for 5 grep -qs ready "$OUT/fakeup.out"
}

# cpu_ticks PID: utime + stime (fields 14, 15 of /proc/PID/stat; the
# command name, field 2, has no space for these daemons).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2> /dev/null; }
status_kb() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"; }

# up_in: UDP datagrams received in the upstream's namespace so far
# (/proc/net/snmp is per namespace): the queries that reached it.
up_in() {
	# shellcheck disable=SC2016
	ip netns exec "$NS_U" awk '$1 == "Udp:" && $2 ~ /^[0-9]+$/ { print $2 }' \
	    /proc/net/snmp
}

answers() {
	ip netns exec "$NS_C" dig @"$SRV_IP" +time=1 +tries=1 +short \
	    n00000.bench.test A 2> /dev/null | grep -qx 203.0.113.10
}

# srv_start SERVER MODE DIR: the daemon with MODE's configuration, in the
# foreground (-k), started afresh, its files in DIR; fails when it does
# not answer.
srv_start() {
	local bin dir=$3
	case $1 in
	dnsmasq) bin=$DNSMASQ ;;
	pxemasq) bin=$PXEMASQ ;;
	*) return 1 ;;
	esac
	mkdir -p "$dir"
	chmod 777 "$dir"
	{
		echo "no-resolv"
		echo "no-hosts"
		echo "server=$UP_IP"
		echo "interface=pxbdv0"
		case $2 in
		fwd) echo "cache-size=0" ;;
		cache) echo "cache-size=$NNAMES" ;;
		esac
	} > "$dir/bench.conf"
	ip netns exec "$NS_S" "$bin" -k --conf-file="$dir/bench.conf" \
	    --log-facility="$dir/log" --pid-file="$dir/pid" \
	    2> "$dir/stderr" &
	SRV_PID=$!
	PIDS+=("$SRV_PID")
	if ! wait_for 5 answers; then
		note "$1 ($2) does not answer: $(tail -n 2 "$dir/stderr" "$dir/log" 2> /dev/null | tr '\n' ' ')"
		srv_stop
		return 1
	fi
}

srv_stop() {
	[ -n "$SRV_PID" ] || return 0
	kill -TERM "$SRV_PID" 2> /dev/null
	wait_for 5 sh -c "! kill -0 $SRV_PID 2> /dev/null" ||
	    kill -KILL "$SRV_PID" 2> /dev/null
	wait "$SRV_PID" 2> /dev/null
	SRV_PID=
}

# perf NS SERVER OUTFILE ARGS...: dnsperf over the names, bounded in time.
perf() {
	local ns=$1 server=$2 out=$3
	shift 3
	ip netns exec "$ns" timeout $((DUR + LAT_DUR + 60)) dnsperf \
	    -s "$server" -d "$OUT/names.txt" -t 2 "$@" > "$out" 2>&1
}

# field FILE LABEL: the first number after "LABEL:" in dnsperf's output.
field() {
	sed -n "s/^ *$2: *\([0-9.]*\).*/\1/p" "$1" | head -n 1
}

# pct FILE P: the P-th percentile of the latencies (s) of dnsperf -v,
# in ms.
pct() {
	grep '^> ' "$1" | awk '{ print $NF }' | sort -g |
	    awk -v p="$2" '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1
		printf "%.3f\n", v[i] * 1000 }'
}

# ceiling: the fake upstream answering dnsperf itself (from the daemon's
# namespace, same settings), BENCH_REPEAT times: its q/s is the set-up's
# ceiling, and its CPU per query the floor of any server using UDP
# sockets here: the fake does no work of its own (one socket bound to
# its address, no IP_PKTINFO, batches of 64), so nearly all its CPU is
# the kernel's receive and send path, which on veth also runs the
# client's receive path (the peer's softirq) in the sender's context.
ceiling() {
	local f r t0 t1 n
	: > "$OUT/ceiling.tsv"
	for r in $(seq 1 "$REPEAT"); do
		f=$OUT/ceiling-$r.txt
		t0=$(cpu_ticks "$UP_PID")
		perf "$NS_S" "$UP_IP" "$f" -l "$DUR" -c 4 -T 1 -q "$OUTSTANDING"
		t1=$(cpu_ticks "$UP_PID")
		n=$(field "$f" "Queries completed")
		printf '%s\t%.0f\t%s\t%s\n' "$r" \
		    "$(field "$f" "Queries per second")" \
		    "$(field "$f" "Queries lost")" \
		    "$(awk -v a="$t0" -v b="$t1" -v n="$n" -v h="$TCK" \
			'BEGIN { if (n > 0) printf "%.1f", (b - a) / h / n * 1e6; else print "-" }')" \
		    >> "$OUT/ceiling.tsv"
	done
	# medians (sort -g, the middle line)
	printf 'fake upstream alone (dnsperf from the daemon namespace, %s runs): %s q/s, %s lost, CPU %s us/query (medians; the CPU is the floor)\n' \
	    "$REPEAT" "$(cut -f 2 "$OUT/ceiling.tsv" | sort -g |
		sed -n "$(((REPEAT + 1) / 2))p")" \
	    "$(cut -f 3 "$OUT/ceiling.tsv" | paste -sd+ | bc)" \
	    "$(cut -f 4 "$OUT/ceiling.tsv" | sort -g |
		sed -n "$(((REPEAT + 1) / 2))p")"
}

# run_one SERVER MODE REPEAT: one row of results.tsv.
run_one() {
	local s=$1 m=$2 r=$3 dir=$OUT/$2-$1-$3 t0 t1 u0 u1 qps ndone lost cpu
	if ! srv_start "$s" "$m" "$dir"; then
		printf '%s\t%s\t%s\tno-dns\n' "$m" "$s" "$r" >> "$OUT/results.tsv"
		return
	fi
	if [ "$m" = cache ]; then
		perf "$NS_C" "$SRV_IP" "$dir/warmup.txt" -n 1 -c 1 -T 1 \
		    -q "$OUTSTANDING"
	fi
	t0=$(cpu_ticks "$SRV_PID")
	u0=$(up_in)
	perf "$NS_C" "$SRV_IP" "$dir/dnsperf.txt" -l "$DUR" -c 4 -T 1 \
	    -q "$OUTSTANDING"
	t1=$(cpu_ticks "$SRV_PID")
	u1=$(up_in)
	perf "$NS_C" "$SRV_IP" "$dir/latency.txt" -l "$LAT_DUR" \
	    -Q "$LAT_RATE" -c 4 -T 1 -q "$OUTSTANDING" -v
	qps=$(field "$dir/dnsperf.txt" "Queries per second")
	ndone=$(field "$dir/dnsperf.txt" "Queries completed")
	lost=$(field "$dir/dnsperf.txt" "Queries lost")
	lost=$((lost + $(field "$dir/latency.txt" "Queries lost")))
	cpu=$(awk -v a="$t0" -v b="$t1" -v n="$ndone" -v h="$TCK" \
	    'BEGIN { if (n > 0) printf "%.1f", (b - a) / h / n * 1e6; else print "-" }')
	printf '%s\t%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%.3f\t%s\t%s\t%s\n' "$m" "$s" "$r" \
	    "$qps" "$lost" "$cpu" "$(pct "$dir/latency.txt" 50)" \
	    "$(pct "$dir/latency.txt" 99)" \
	    "$(echo "$(field "$dir/dnsperf.txt" "Average Latency (s)") * 1000" | bc -l)" \
	    "$(status_kb "$SRV_PID" VmHWM)" "$(status_kb "$SRV_PID" VmRSS)" \
	    "$(awk -v a="$u0" -v b="$u1" -v n="$ndone" \
		'BEGIN { if (n > 0) printf "%.3f", (b - a) / n; else print "-" }')" \
	    >> "$OUT/results.tsv"
	gzip -f "$dir/latency.txt"
	srv_stop
}

# report: every run, then per mode and server the best q/s of the
# repeats and the median of the other figures, and pxemasq/dnsmasq.
report() {
	"${PYTHON:-python3}" - "$OUT/results.tsv" "$LAT_RATE" \
	    "$OUT/ceiling.tsv" << 'PY'
import statistics
import sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
rate = sys.argv[2]
floors = []
for l in open(sys.argv[3]):
    f = l.rstrip("\n").split("\t")
    if len(f) == 4 and f[3] not in ("", "-"):
        floors.append(float(f[3]))
floor = statistics.median(floors) if floors else None
head = ["mode", "server", "run", "q/s", "lost", "CPU_us/q",
        "p50_ms@" + rate, "p99_ms@" + rate, "avg_ms@max", "VmHWM_kB",
        "VmRSS_kB", "upstream_q/q"]


def table(rs):
    w = [max(len(str(r[i])) if i < len(r) else 0 for r in rs)
         for i in range(len(rs[0]))]
    for r in rs:
        print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip())


print("every run:")
table([head] + rows)
agg = {}
for r in rows:
    if len(r) < 12:
        continue
    agg.setdefault((r[0], r[1]), []).append(r)
summary = []
res = {}
for (m, s), rs in agg.items():
    def med(i):
        return statistics.median(float(r[i]) for r in rs)
    d = {"qps": max(float(r[3]) for r in rs),
         "lost": sum(int(r[4]) for r in rs), "cpu": med(5), "p50": med(6),
         "p99": med(7), "hwm": max(int(r[9]) for r in rs),
         "up": med(11)}
    res[(m, s)] = d
    summary.append([m, s, len(rs), "%.0f" % d["qps"], d["lost"],
                    "%.1f" % d["cpu"], "%.3f" % d["p50"], "%.3f" % d["p99"],
                    d["hwm"], "%.3f" % d["up"]])
print()
print("summary (q/s: best run; CPU, latency, upstream: median; lost: sum; "
      "VmHWM: max):")
table([["mode", "server", "runs", "q/s", "lost", "CPU_us/q",
        "p50_ms@" + rate, "p99_ms@" + rate, "VmHWM_kB", "upstream_q/q"]]
      + summary)
for m in sorted({k[0] for k in res}):
    p, d = res.get((m, "pxemasq")), res.get((m, "dnsmasq"))
    if not p or not d:
        print("%s: no pxemasq/dnsmasq ratio (pxemasq %s)" % (
            m, "ran" if p else "does not answer DNS"))
        continue
    print("%s: pxemasq/dnsmasq q/s %.2f, CPU/q %.2f, p99 %.2f, VmHWM %.2f"
          % (m, p["qps"] / d["qps"], p["cpu"] / d["cpu"],
             p["p99"] / d["p99"], p["hwm"] / d["hwm"]))
    if floor:
        print("%s: floor (the fake upstream's CPU/q, %.1f us) / dnsmasq's"
              " %.2f, pxemasq above the floor %.1f us/q, dnsmasq %.1f"
              % (m, floor, floor / d["cpu"], p["cpu"] - floor,
                 d["cpu"] - floor))
PY
}

main() {
	local m s r
	{
		date -u
		uname -a
		nproc
		echo "load average at the start: $(cat /proc/loadavg)"
		"$DNSMASQ" --version | head -n 1
		"$PXEMASQ" --version 2>&1 | head -n 1
		dnsperf -h 2>&1 | grep -i version | head -n 1
		echo "DUR=$DUR LAT_DUR=$LAT_DUR LAT_RATE=$LAT_RATE OUTSTANDING=$OUTSTANDING REPEAT=$REPEAT UP_THREADS=$UP_THREADS"
	} > "$OUT/env.txt"
	: > "$OUT/results.tsv"
	net_up || die "network namespaces"
	up_start || die "fake upstream did not start"
	ceiling | tee "$OUT/report.txt"
	for m in $MODES; do
		for r in $(seq 1 "$REPEAT"); do
			for s in $SERVERS; do
				note "$m $s run $r"
				run_one "$s" "$m" "$r"
			done
		done
	done
	echo "load average at the end: $(cat /proc/loadavg)" >> "$OUT/env.txt"
	report | tee -a "$OUT/report.txt"
	kill -TERM "$UP_PID"
	wait "$UP_PID" 2> /dev/null
	cat "$OUT/fakeup.out" >> "$OUT/report.txt"
	echo "raw outputs: $OUT"
}

main
