#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/dhcp/run.sh - pxemasq against dnsmasq 2.90 under perfdhcp load
# (issue 4, "Tests" last bullet and "Targets").  A benchmark, not a test:
# not part of `make check`; `make bench` runs it.  Needs root (network
# namespaces), build/pxemasq, dnsmasq 2.90, python3 and apt-get (perfdhcp is
# unpacked from Debian's kea-admin into build/bench-deps/, never installed).
# See bench/README.md for the method and the facts it rests on.
#
# Both daemons serve bench.conf in a server namespace (bsv0 198.18.0.1/15);
# perfdhcp runs in a client namespace (bcv0 198.18.0.2/15) and, as it always
# does for DHCPv4 towards a unicast server, acts as a relay (giaddr
# 198.18.0.2, hops 1, from and to port 67).  For each lease table (empty,
# then BENCH_LEASES leases loaded from a dnsmasq-format file) and each part,
# pxemasq runs first and then dnsmasq on the same work:
#  (a) fixed: BENCH_RATE DORA/s for BENCH_FIXED_S seconds;
#  (b) search: the highest rate with at most 1% drops: probes of
#      BENCH_PROBE_S seconds, doubling from BENCH_START_RATE (or from below
#      what the fixed run achieved when that run lost more than 1%), then
#      BENCH_BISECT geometric bisection steps.
# Every run (fixed or probe) starts the server afresh from a copy of the
# initial lease file, so no run inherits the leases of another.
#
# Env: BENCH_QUICK=1 (about 2 minutes instead of 5), BENCH_FIXED_S,
# BENCH_PROBE_S, BENCH_BISECT, BENCH_RATE, BENCH_START_RATE, BENCH_MAX_RATE,
# BENCH_LEASES, BENCH_TABLES ("empty loaded"), BENCH_PARTS ("fixed
# search"), BENCH_SERVERS ("pxemasq dnsmasq"), BENCH_OUT (raw outputs;
# default build/bench/run-DATE, build/bench/latest points at it),
# BENCH_KEEP=1 (keep server logs and lease files), PXEMASQ, DNSMASQ, PYTHON.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
PXEMASQ=${PXEMASQ:-$TOP/build/pxemasq}
DNSMASQ=${DNSMASQ:-$(command -v dnsmasq)}
PY=${PYTHON:-python3}
DEPS=$TOP/build/bench-deps
KEA_ROOT=$DEPS/root
PERFDHCP=$KEA_ROOT/usr/sbin/perfdhcp
KEA_LIB=$KEA_ROOT/usr/lib/x86_64-linux-gnu
KEA_PKGS="kea-admin kea-common liblog4cplus-2.0.5"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	FIXED_S=${BENCH_FIXED_S:-3}
	PROBE_S=${BENCH_PROBE_S:-2}
	BISECT=${BENCH_BISECT:-1}
	# dnsmasq needs ~30 s of CPU to start with 50,000 leases (README)
	NLEASES=${BENCH_LEASES:-20000}
else
	FIXED_S=${BENCH_FIXED_S:-10}
	PROBE_S=${BENCH_PROBE_S:-3}
	BISECT=${BENCH_BISECT:-1}
	NLEASES=${BENCH_LEASES:-50000}
fi
RATE=${BENCH_RATE:-1000}
START_RATE=${BENCH_START_RATE:-1000}
MAX_RATE=${BENCH_MAX_RATE:-32000}
TABLES=${BENCH_TABLES:-empty loaded}
PARTS=${BENCH_PARTS:-fixed search}
SERVERS=${BENCH_SERVERS:-pxemasq dnsmasq}
OUT=${BENCH_OUT:-$TOP/build/bench/run-$(date +%Y%m%d-%H%M%S)}
KEEP=${BENCH_KEEP:-0}
MAX_DROP_PCT=1
NMACS=65535		# perfdhcp -M indexes its list with a uint16_t
TCK=$(getconf CLK_TCK)

NS_S=pxbs$$
NS_C=pxbc$$
SRV_IP=198.18.0.1
CLI_IP=198.18.0.2
PIDS=()
SRV_PID=
declare -A FIXED_DORA FIXED_OK

die() { echo "bench/dhcp: $*" >&2; exit 1; }
note() { echo "bench/dhcp: $*" >&2; }

# TERM first: timeout(1) passes it on to perfdhcp, its child.
cleanup() {
	local p
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] && kill -TERM "$p" 2> /dev/null
	done
	sleep 0.3
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] && kill -KILL "$p" 2> /dev/null
	done
	ip netns delete "$NS_C" 2> /dev/null
	ip netns delete "$NS_S" 2> /dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for SECONDS COMMAND...: polls COMMAND every 0.05 s, at most SECONDS.
wait_for() {
	local i=0 max=$(($1 * 20))
	shift
	while [ $i -lt $max ]; do
		"$@" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	"$@"
}

# --- perfdhcp, unpacked, never installed ------------------------------------
# Kea 2.2's perfdhcp is in kea-admin; its libraries are kea-common's
# libkea-*.so and liblog4cplus (libssl and libstdc++ are on every Debian
# 12).  apt-get download + dpkg-deb -x: no maintainer script runs, no
# service starts, dpkg's database does not change.
perfdhcp_ready() {
	[ -x "$PERFDHCP" ] &&
	    ! LD_LIBRARY_PATH=$KEA_LIB ldd "$PERFDHCP" | grep -q "not found"
}

perfdhcp_fetch() {
	local p st
	perfdhcp_ready && return 0
	mkdir -p "$DEPS/debs" "$KEA_ROOT" || return 1
	# shellcheck disable=SC2086
	(cd "$DEPS/debs" && apt-get download $KEA_PKGS) \
	    > "$DEPS/download.log" 2>&1 ||
	    { cat "$DEPS/download.log" >&2; return 1; }
	for p in "$DEPS"/debs/*.deb; do
		dpkg-deb -x "$p" "$KEA_ROOT" || return 1
	done
	for p in $KEA_PKGS; do
		st=$(dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2> /dev/null)
		case $st in
		ii*) note "$p is installed system-wide too (not by this script)" ;;
		esac
	done
	perfdhcp_ready || {
		LD_LIBRARY_PATH=$KEA_LIB ldd "$PERFDHCP" | grep "not found" >&2
		return 1
	}
}

# pd OUTFILE TIMEOUT PERFDHCP-ARGS...: perfdhcp in the client namespace,
# bounded by timeout(1), killed by pid on exit.
pd() {
	local out=$1 lim=$2 p
	shift 2
	ip netns exec "$NS_C" env LD_LIBRARY_PATH="$KEA_LIB" \
	    timeout -k 2 "$lim" "$PERFDHCP" -4 -l "$CLI_IP" "$@" "$SRV_IP" \
	    > "$out" 2>&1 &
	p=$!
	PIDS+=("$p")
	wait "$p"
}

# --- network ---------------------------------------------------------------
net_up() {
	local n
	for n in "$NS_S" "$NS_C"; do
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		    net.ipv6.conf.default.disable_ipv6=1
	done
	ip link add bsv0 netns "$NS_S" type veth peer name bcv0 \
	    netns "$NS_C" || return 1
	ip -n "$NS_S" addr add "$SRV_IP/15" dev bsv0
	ip -n "$NS_C" addr add "$CLI_IP/15" dev bcv0
	ip -n "$NS_S" link set bsv0 up
	ip -n "$NS_C" link set bcv0 up
}

# udp_errs NS: Udp RcvbufErrors of /proc/net/snmp in NS: datagrams lost
# to a full socket buffer (perfdhcp's in the client namespace, dnsmasq's in
# the server namespace).  Not InErrors: pxemasq's UDP socket on port 67
# drops every datagram by its filter (its raw socket reads them), and
# filter drops count as InErrors.
udp_errs() {
	ip netns exec "$1" awk \
	    '$1 == "Udp:" && $2 ~ /^[0-9]/ { print $6 }' /proc/net/snmp
}

# pkt_drops: frames dropped by the server namespace's AF_PACKET sockets
# for a full receive buffer (pxemasq's raw sockets; ss's skmem "d").
pkt_drops() {
	ip netns exec "$NS_S" ss -a -m -f link 2> /dev/null |
	    sed -n 's/.*skmem:(.*,d\([0-9]*\)).*/\1/p' |
	    awk '{ s += $1 } END { print s + 0 }'
}

# --- server ----------------------------------------------------------------
# cpu_ticks PID: utime + stime (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() {
	local s
	s=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
	s=${s##*) }
	# shellcheck disable=SC2086
	set -- $s
	echo $((${12} + ${13}))
}

# sched_ns PID: nanoseconds on CPU of all threads (schedstat), for the raw
# record (finer than ticks).
sched_ns() {
	cat /proc/"$1"/task/*/schedstat 2> /dev/null |
	    awk '{ s += $1 } END { printf "%d\n", s }'
}

status_kb() {
	sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"
}

# srv_idle [MAX_S]: waits (at most MAX_S, default 15 s) until the server's
# CPU time stops growing: what it does after the load (the backlog,
# deferred lease-file writes) is part of the work.
srv_idle() {
	local a b i
	a=$(cpu_ticks "$SRV_PID")
	for i in $(seq $((${1:-15} * 4))); do
		sleep 0.25
		b=$(cpu_ticks "$SRV_PID") || return 1
		[ "$a" = "$b" ] && return 0
		a=$b
	done
}

# srv_start SERVER DIR LEASEFILE: the server in the foreground (-k), its
# files in DIR; returns once it is idle after start-up (dnsmasq 2.90 spends
# many seconds of CPU on a large lease table after its start-up lines) and
# has answered one DORA (perfdhcp -n 1 -n 1, its default client, outside
# the -M list: one extra lease, the same for both servers).
# R_START: seconds from exec to that first ACK.
srv_start() {
	local bin i t0
	case $1 in
	pxemasq) bin=$PXEMASQ ;;
	dnsmasq) bin=$DNSMASQ ;;
	esac
	cp "$3" "$2/leases" || return 1
	t0=$(date +%s.%N)
	ip netns exec "$NS_S" "$bin" -k -C "$HERE/bench.conf" \
	    --log-facility="$2/log" --pid-file="$2/pid" \
	    --dhcp-leasefile="$2/leases" 2> "$2/stderr" &
	SRV_PID=$!
	PIDS+=("$SRV_PID")
	wait_for 15 grep -qs "DHCP, IP range" "$2/log" || {
		note "$1 did not start: $(tail -n 3 "$2/stderr" "$2/log" 2> /dev/null)"
		return 1
	}
	srv_idle 120
	for i in 1 2 3 4 5; do
		if pd "$2/ready.out" 10 -r 10 -n 1 -n 1 -W 2000000; then
			R_START=$(awk -v a="$t0" -v b="$(date +%s.%N)" \
			    'BEGIN { printf "%.1f", b - a }')
			return 0
		fi
		kill -0 "$SRV_PID" 2> /dev/null || break
	done
	note "$1 does not answer"
	return 1
}

srv_stop() {
	[ -n "$SRV_PID" ] || return 0
	kill -TERM "$SRV_PID" 2> /dev/null
	wait_for 15 sh -c "! kill -0 $SRV_PID 2> /dev/null" ||
	    kill -KILL "$SRV_PID" 2> /dev/null
	wait "$SRV_PID" 2> /dev/null
	SRV_PID=
}

# --- one run ---------------------------------------------------------------
# run_one SERVER TABLE RATE PERIOD NAME: fresh server, load, numbers in
# $OUT/NAME/ and one row of $OUT/runs.tsv; sets R_DORA R_OK R_CLIENT_OK.
run_one() {
	local srv=$1 table=$2 rate=$3 period=$4 name=$5 d c0 c1 n0 n1 rc
	local uc0 uc1 us0 us1 pk rss0 rss hwm leases cpu us cli m
	d=$OUT/$name
	rm -rf "$d"
	mkdir -p "$d" && chmod 777 "$d"
	R_OK=0
	R_CLIENT_OK=0
	R_START=-
	srv_start "$srv" "$d" "$OUT/leases.$table" || { srv_stop; return 1; }
	rss0=$(status_kb "$SRV_PID" VmRSS)
	uc0=$(udp_errs "$NS_C")
	us0=$(udp_errs "$NS_S")
	c0=$(cpu_ticks "$SRV_PID")
	n0=$(sched_ns "$SRV_PID")
	pd "$d/perfdhcp.out" $((period + 30)) -r "$rate" -p "$period" \
	    -M "$MACS" -d 1 -W 1000000 -x et
	rc=$?
	rss=$(status_kb "$SRV_PID" VmRSS)
	pk=$(pkt_drops)
	uc1=$(udp_errs "$NS_C")
	us1=$(udp_errs "$NS_S")
	srv_idle
	c1=$(cpu_ticks "$SRV_PID")
	n1=$(sched_ns "$SRV_PID")
	hwm=$(status_kb "$SRV_PID" VmHWM)
	kill -USR1 "$SRV_PID" 2> /dev/null	# pxemasq logs its counters
	sleep 0.2
	srv_stop
	leases=$(wc -l < "$d/leases")
	{
		echo "server=$srv table=$table rate=$rate period=$period"
		echo "start_to_first_ack_s=$R_START"
		echo "perfdhcp_rc=$rc cpu_ticks=$((c1 - c0)) clk_tck=$TCK"
		echo "sched_ns=$((n1 - n0)) vmrss_before_kb=$rss0" \
		    "vmrss_after_kb=$rss vmhwm_kb=$hwm"
		echo "leases_after_exit=$leases"
		echo "server_ns_udp_rcvbuf_errors=$((us1 - us0))" \
		    "server_packet_socket_drops=$pk"
		echo "client_ns_udp_rcvbuf_errors=$((uc1 - uc0))"
		for m in DISCOVER OFFER REQUEST ACK NAK; do
			printf 'log_%s=%s ' "$m" "$(grep -c "DHCP$m(" "$d/log")"
		done
		echo
	} > "$d/server.txt"
	"$PY" "$HERE/perfstat.py" "$d/perfdhcp.out" "$period" \
	    > "$d/stats.txt" || return 1
	# shellcheck disable=SC1091
	. "$d/stats.txt"
	cpu=$(awk -v t=$((c1 - c0)) -v h="$TCK" \
	    'BEGIN { printf "%.2f", t / h }')
	us=$(awk -v t=$((c1 - c0)) -v h="$TCK" -v n="$ra_rcvd" \
	    'BEGIN { if (n > 0) printf "%.1f", t / h * 1e6 / n; else print "-" }')
	# The client kept up: it sent at least 95% of the DISCOVERs asked for.
	R_CLIENT_OK=$(awk -v s="$do_sent" -v r="$rate" -v p="$period" \
	    'BEGIN { print (s >= 0.95 * r * p) ? 1 : 0 }')
	R_OK=$(awk -v d="$drop_pct" -v m=$MAX_DROP_PCT \
	    'BEGIN { print (d <= m) ? 1 : 0 }')
	R_DORA=$dora_s
	gzip -f "$d/perfdhcp.out"	# tens of MB of timestamps at high rates
	[ "$KEEP" = 1 ] || {
		tail -n 30 "$d/log" > "$d/log.tail"
		rm -f "$d/log" "$d"/leases*
	}
	printf '%s\t' "$name" "$srv" "$table" "$rate" "$period" "$dora_s" \
	    "$drop_pct" "$do_p50" "$do_p99" "$ra_p50" "$ra_p99" "$cpu" "$us" \
	    "$rss0" "$rss" "$hwm" "$leases" "$R_START" "$((us1 - us0 + pk))" \
	    "$((uc1 - uc0))" >> "$OUT/runs.tsv"
	echo "$R_CLIENT_OK" >> "$OUT/runs.tsv"
	cli=
	[ "$R_CLIENT_OK" = 1 ] || cli=" (perfdhcp could not send at this rate)"
	printf '  %-7s %-6s %5s/s x %2ss: %5s DORA/s, drop %5s%%, RA p50/p99 %s/%s ms, CPU %ss = %s us/DORA, RSS %s kB, socket drops srv/cli %s/%s, up in %ss%s\n' \
	    "$srv" "$table" "$rate" "$period" "$dora_s" "$drop_pct" \
	    "$ra_p50" "$ra_p99" "$cpu" "$us" "$rss" "$((us1 - us0 + pk))" \
	    "$((uc1 - uc0))" "$R_START" "$cli"
}

# row PART TABLE SERVER RATE RUN: a row of $OUT/summary.tsv from RUN's row
# of runs.tsv ("-" everywhere when RUN is empty).
row() {
	awk -F '\t' -v OFS='\t' -v p="$1" -v t="$2" -v s="$3" -v r="$4" \
	    -v n="$5" '
	$1 == n { f = 1; print p, t, s, r, $6, $7, $8, $9, $10, $11, $12,
	    $13, $14, $15, $16, $17, $18 }
	END { if (!f) print p, t, s, r, "-", "-", "-", "-", "-", "-", "-",
	    "-", "-", "-", "-", "-", "-" }' "$OUT/runs.tsv" >> "$OUT/summary.tsv"
}

# search SERVER TABLE: the highest rate with at most 1% drops.  Doubling
# from START_RATE (halving when that fails), then BISECT geometric
# bisection steps.  When the fixed-rate run of the same server and table
# already lost more than 1% at RATE <= START_RATE, the search starts at 90%
# of what that run achieved (saves the halving from START_RATE, and
# dnsmasq's slow start-ups with a large table).
search() {
	local srv=$1 table=$2 lo=0 hi=0 r=$START_RATE mid i best='' f
	local tag=$table-search-$srv
	probe() {
		run_one "$srv" "$table" "$1" "$PROBE_S" "$tag-r$1" || return 2
		[ "$R_CLIENT_OK" = 1 ] || return 3
		[ "$R_OK" = 1 ]
	}
	f=${FIXED_DORA[$srv-$table]:-}
	if [ -n "$f" ] && [ "${FIXED_OK[$srv-$table]}" = 0 ] &&
	    [ "$RATE" -le "$START_RATE" ]; then
		hi=$RATE
		r=$(nice_rate $((f * 9 / 10)))
		[ "$r" -ge 5 ] || r=5
		[ "$r" -lt "$hi" ] || r=$((hi / 2))
	fi
	while [ "$r" -le "$MAX_RATE" ] && { [ $hi = 0 ] || [ "$r" -lt $hi ]; }; do
		probe "$r"
		case $? in
		0) lo=$r; best=$tag-r$r; r=$((r * 2)) ;;
		3) note "$srv: perfdhcp cannot send $r/s here; search stops"
		   break ;;
		*) hi=$r; break ;;
		esac
	done
	if [ $lo = 0 ] && [ $hi != 0 ]; then
		r=$(nice_rate $((hi / 2)))
		while [ "$r" -ge 5 ]; do
			if probe "$r"; then lo=$r; best=$tag-r$r; break; fi
			hi=$r
			r=$(nice_rate $((r / 2)))
		done
	fi
	for i in $(seq "$BISECT"); do
		{ [ $hi = 0 ] || [ $lo = 0 ]; } && break
		mid=$(nice_rate "$(awk -v a=$lo -v b=$hi \
		    'BEGIN { printf "%d", sqrt(a * b) }')")
		{ [ "$mid" -le "$lo" ] || [ "$mid" -ge "$hi" ]; } && break
		if probe "$mid"; then lo=$mid; best=$tag-r$mid; else hi=$mid; fi
	done
	row search "$table" "$srv" "$lo" "$best"
	echo "  => $srv $table: highest rate with <= ${MAX_DROP_PCT}% drops: $lo/s"
}

# nice_rate N: N rounded down to two significant digits (1234 -> 1200).
nice_rate() {
	local n=$1 m=1
	while [ "$n" -ge 100 ]; do n=$((n / 10)); m=$((m * 10)); done
	echo $((n * m))
}

# --- report ----------------------------------------------------------------
report() {
	local f=$OUT/summary.tsv
	echo
	echo "=== bench/dhcp: pxemasq vs dnsmasq $("$DNSMASQ" --version | sed -n '1s/.*version \([^ ]*\).*/\1/p'), $(nproc) CPUs, relay mode, both fsync the lease file before the ACK ==="
	{
		printf 'part\ttable\tserver\trate/s\tDORA/s\tdrop%%\tDO_p50\tDO_p99\tRA_p50\tRA_p99\tCPU_s\tus/DORA\tRSS0_kB\tRSS_kB\tHWM_kB\tleases\tup_s\n'
		cat "$f"
	} | column -t -s "$(printf '\t')"
	cat << EOF
(table: empty or $NLEASES leases at start; rate/s: offered rate, for 'search'
 the highest with <= ${MAX_DROP_PCT}% drops; DO/RA: DISCOVER-OFFER and
 REQUEST-ACK latency in ms; CPU_s: server utime+stime from the start of the
 load until idle; us/DORA: CPU_s / ACKs received; RSS0: VmRSS before the
 load, RSS after it, HWM: VmHWM; leases: lines in the lease file after exit;
 up_s: from exec to the first ACK)
EOF
	echo
	echo "=== ratios pxemasq / dnsmasq ==="
	awk -F '\t' -v nl="$NLEASES" '
	function v(p, t, s, c) { return val[p "|" t "|" s "|" c] }
	function ratio(a, b) {
		if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0)
			return "-"
		return sprintf("%.3g", a / b)
	}
	function verdict(r, op, lim) {
		if (r == "-") return "n/a"
		if (op == "<=") return (r + 0 <= lim + 0) ? "met" : "NOT met"
		return (r + 0 >= lim + 0) ? "met" : "NOT met"
	}
	function line(what, r, op, lim) {
		printf "  %-44s %8s  (target %s %s: %s)\n", what, r, op, lim,
		    verdict(r, op, lim)
	}
	{
		k = $1 "|" $2 "|" $3
		val[k "|rate"] = $4; val[k "|ra99"] = $10; val[k "|us"] = $12
		val[k "|rss0"] = $13; val[k "|hwm"] = $15
		tables[$2] = 1
	}
	END {
		n = split("empty loaded", order, " ")
		for (i = 1; i <= n; i++) {
			t = order[i]
			if (!(t in tables)) continue
			print (t == "empty") ? "empty table:" : nl " leases:"
			line("CPU per DORA at the fixed rate",
			    ratio(v("fixed", t, "pxemasq", "us"),
			    v("fixed", t, "dnsmasq", "us")), "<=", "0.33")
			line("highest rate with <= 1% drops",
			    ratio(v("search", t, "pxemasq", "rate"),
			    v("search", t, "dnsmasq", "rate")), ">=", "3")
			line("REQUEST-ACK p99 at the fixed rate",
			    ratio(v("fixed", t, "pxemasq", "ra99"),
			    v("fixed", t, "dnsmasq", "ra99")), "<=", "1")
			line("peak RSS (VmHWM) at the fixed rate",
			    ratio(v("fixed", t, "pxemasq", "hwm"),
			    v("fixed", t, "dnsmasq", "hwm")), "<=", "1")
			if (t == "loaded")
				line("RSS with the same " nl " leases, before load",
				    ratio(v("fixed", t, "pxemasq", "rss0"),
				    v("fixed", t, "dnsmasq", "rss0")), "<=", "1")
		}
		r = ratio(v("fixed", "loaded", "pxemasq", "us"),
		    v("fixed", "empty", "pxemasq", "us"))
		if (r != "-") {
			print "pxemasq alone:"
			line("CPU per DORA, " nl " leases / empty", r, "<=", "1.10")
		}
	}' "$f"
	echo "(a fixed-rate run where dnsmasq cannot keep up compares unequal work:"
	echo " see the drop and leases columns)"
	echo
	echo "raw outputs: $OUT"
}

# --- main ------------------------------------------------------------------
main() {
	local t p s start=$SECONDS
	[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
	[ -x "$PXEMASQ" ] || die "no $PXEMASQ: run make"
	[ -x "$DNSMASQ" ] || die "no dnsmasq"
	perfdhcp_fetch || die "could not unpack perfdhcp into $DEPS"
	{ mkdir -p "$OUT" && chmod 755 "$OUT"; } || die "cannot create $OUT"
	ln -sfn "$(basename "$OUT")" "$(dirname "$OUT")/latest" 2> /dev/null
	MACS=$OUT/macs.txt
	"$PY" "$HERE/gen.py" macs $NMACS > "$MACS" || die "gen.py macs"
	: > "$OUT/leases.empty"
	# a week ahead: unexpired throughout, longer than any lease we give
	"$PY" "$HERE/gen.py" leases "$NLEASES" $(($(date +%s) + 7 * 86400)) \
	    > "$OUT/leases.loaded" || die "gen.py leases"
	printf 'name\tserver\ttable\trate\tperiod\tdora_s\tdrop_pct\tdo_p50\tdo_p99\tra_p50\tra_p99\tcpu_s\tus_per_dora\tvmrss0_kb\tvmrss_kb\tvmhwm_kb\tleases_after\tstart_s\tsock_drops_srv\tsock_drops_cli\tclient_ok\n' \
	    > "$OUT/runs.tsv"
	: > "$OUT/summary.tsv"
	{
		echo "date: $(date -u +%FT%TZ), load average: $(cut -d ' ' -f 1-3 /proc/loadavg)"
		echo "kernel: $(uname -r), CPUs: $(nproc), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
		echo "pxemasq: $PXEMASQ ($(cd "$TOP" && git describe --always --dirty 2> /dev/null))"
		echo "dnsmasq: $("$DNSMASQ" --version | head -n 1)"
		echo "perfdhcp: $(LD_LIBRARY_PATH=$KEA_LIB "$PERFDHCP" -v 2>&1 | head -n 1) (Debian kea-admin, unpacked)"
		echo "lease files on: $(df -T "$OUT" | awk 'NR == 2 { print $2, $1 }')"
		echo "fixed ${RATE}/s x ${FIXED_S}s; probes ${PROBE_S}s; bisect $BISECT; loaded table $NLEASES leases"
	} > "$OUT/env.txt"
	cat "$OUT/env.txt"
	net_up || die "network namespaces"
	for t in $TABLES; do
		for p in $PARTS; do
			for s in $SERVERS; do
				echo "[$t/$p] $s"
				case $p in
				fixed)
					if run_one "$s" "$t" "$RATE" "$FIXED_S" "$t-fixed-$s"; then
						FIXED_DORA[$s-$t]=$R_DORA
						FIXED_OK[$s-$t]=$R_OK
						row fixed "$t" "$s" "$RATE" "$t-fixed-$s"
					else
						row fixed "$t" "$s" "$RATE" ""
					fi ;;
				search)
					search "$s" "$t" ;;
				esac
			done
		done
	done
	echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)" >> "$OUT/env.txt"
	report | tee "$OUT/report.txt"
	echo "bench/dhcp: $((SECONDS - start)) s"
}

main "$@"
