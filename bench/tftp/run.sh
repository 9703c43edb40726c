#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/tftp/run.sh - pxemasq's TFTP server against dnsmasq 2.90, tftpd-hpa
# and atftpd on identical work in the same run (issue 6, "Tests" last
# bullet and "Targets").  A benchmark, not a test: not part of `make
# check`; `make bench` runs it.  Needs root (network namespaces), dnsmasq,
# the atftp client, python3 and apt-get (tftpd-hpa and atftpd are unpacked
# into build/bench-deps/, never installed: installing them starts daemons).
# See bench/README.md (TFTP section) for the method.
#
# Each server runs in its own namespace, joined to one client namespace by
# its own veth pair (server K: 198.18.K.1/24, client end 198.18.K.2/24), so
# all servers are up at once and every workload alternates between them
# within a round (the order rotates each round).  Workloads (atftp client):
#   b512    one 64 MiB file, blksize 512, lock-step
#   b1468   the same, blksize 1468
#   b8192   the same, blksize 8192 (every veth at MTU 9000 for this one)
#   w16     the same, blksize 1468 and windowsize 16 (RFC 7440)
#   p50     50 parallel clients of one 4 MiB file, blksize 1468
#   p200    200 parallel clients of the same
# Single-stream workloads run with one nice-19 busy loop per core (CPU idle
# states make them swing up to 3x otherwise).  Figures: MB/s (10^6 bytes
# per second of wall time; for p* the aggregate), server CPU ms per MB
# (utime + stime + cutime + cstime of the server's /proc/PID/stat: child
# processes of tftpd-hpa and threads of atftpd included), failures (p*: a
# client that failed or whose copy differs).  Medians over the rounds, and
# the median of the per-round ratios pxemasq/peer.
#
# Env: BENCH_ROUNDS (default 5), BENCH_QUICK=1 (1 round), BENCH_SERVERS
# ("pxemasq dnsmasq tftpd-hpa atftpd"; pxemasq is left out with a note if
# its binary has no TFTP server), BENCH_WORK ("b512 b1468 b8192 w16 p50
# p200"), BENCH_OUT (default build/bench/tftp-DATE; build/bench/tftp-latest
# points at it), PXEMASQ, DNSMASQ, PYTHON.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
PXEMASQ=${PXEMASQ:-$TOP/build/pxemasq}
DNSMASQ=${DNSMASQ:-$(command -v dnsmasq)}
PY=${PYTHON:-python3}
DEPS=$TOP/build/bench-deps
PEER_ROOT=$DEPS/root
PEER_LIB=$PEER_ROOT/usr/lib/x86_64-linux-gnu
PEER_PKGS="tftpd-hpa atftpd libwrap0"
# tftpd-hpa unpacked apart: atftpd's package also ships usr/sbin/in.tftpd
# (a link to atftpd), which would replace it in a shared tree.
HPA_ROOT=$DEPS/hpa
TFTPD_HPA=$HPA_ROOT/usr/sbin/in.tftpd
ATFTPD=$PEER_ROOT/usr/sbin/atftpd

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	ROUNDS=${BENCH_ROUNDS:-1}
else
	ROUNDS=${BENCH_ROUNDS:-5}
fi
SERVERS=${BENCH_SERVERS:-pxemasq dnsmasq tftpd-hpa atftpd}
WORK=${BENCH_WORK:-b512 b1468 b8192 w16 p50 p200}
OUT=${BENCH_OUT:-$TOP/build/bench/tftp-$(date +%Y%m%d-%H%M%S)}
TCK=$(getconf CLK_TCK)
BIG=$((64 * 1048576))
SMALL=$((4 * 1048576))
NS_C=btc$$
PIDS=()
BUSY=()
# Servers and clients ahead of unrelated work on the machine (builds, other
# tests): the run and everything it starts at nice -15; the busy loops go
# to SCHED_IDLE below, so they only fill idle time.
renice -n -15 -p $$ > /dev/null 2>&1 || true
NSS=()
declare -A SRV_PID SRV_K

die() { echo "bench/tftp: $*" >&2; exit 1; }
note() { echo "bench/tftp: $*" >&2; }

cleanup() {
	local p n
	for p in "${BUSY[@]:-}" "${PIDS[@]:-}"; do
		[ -n "$p" ] && kill -TERM "$p" 2> /dev/null
	done
	sleep 0.3
	for p in "${BUSY[@]:-}" "${PIDS[@]:-}"; do
		[ -n "$p" ] && kill -KILL "$p" 2> /dev/null
	done
	for n in "${NSS[@]:-}"; do
		[ -n "$n" ] && ip netns delete "$n" 2> /dev/null
	done
	rm -rf "${SHM:-/nonexistent}"
	cg_remove
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

# --- peers, unpacked, never installed ----------------------------------------
peers_ready() {
	[ -x "$TFTPD_HPA" ] && [ -x "$ATFTPD" ] &&
	    ! LD_LIBRARY_PATH=$PEER_LIB ldd "$TFTPD_HPA" "$ATFTPD" |
	    grep -q "not found"
}

peers_fetch() {
	local p
	peers_ready && return 0
	mkdir -p "$DEPS/debs" "$PEER_ROOT" "$HPA_ROOT" || return 1
	# shellcheck disable=SC2086
	(cd "$DEPS/debs" && apt-get download $PEER_PKGS) \
	    > "$DEPS/download-tftp.log" 2>&1 ||
	    { cat "$DEPS/download-tftp.log" >&2; return 1; }
	for p in $PEER_PKGS; do
		if [ "$p" = tftpd-hpa ]; then
			dpkg-deb -x "$DEPS"/debs/"${p}"_*.deb "$HPA_ROOT" ||
			    return 1
		else
			dpkg-deb -x "$DEPS"/debs/"${p}"_*.deb "$PEER_ROOT" ||
			    return 1
		fi
	done
	peers_ready
}

# --- network -----------------------------------------------------------------
# net_up: the client namespace, and per server K its namespace and veth.
net_up() {
	local k=0 s n
	for s in $SERVERS; do
		SRV_K[$s]=$k
		k=$((k + 1))
	done
	for n in "$NS_C" $(for s in $SERVERS; do echo "bts${SRV_K[$s]}$$"; done); do
		ip netns add "$n" || return 1
		NSS+=("$n")
		ip -n "$n" link set lo up
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		    net.ipv6.conf.default.disable_ipv6=1
	done
	for s in $SERVERS; do
		k=${SRV_K[$s]}
		ip link add "btv$k" netns "bts$k$$" type veth \
		    peer name "btc$k" netns "$NS_C" || return 1
		ip -n "bts$k$$" addr add "198.18.$k.1/24" dev "btv$k"
		ip -n "$NS_C" addr add "198.18.$k.2/24" dev "btc$k"
		ip -n "bts$k$$" link set "btv$k" up
		ip -n "$NS_C" link set "btc$k" up
	done
}

set_mtu() {
	local s k
	for s in $SERVERS; do
		k=${SRV_K[$s]}
		ip -n "bts$k$$" link set "btv$k" mtu "$1" &&
		    ip -n "$NS_C" link set "btc$k" mtu "$1" || return 1
	done
}

# --- servers -----------------------------------------------------------------
bound69() { ip netns exec "bts$1$$" ss -Hlun 'sport = :69' | grep -q .; }

srv_start() {
	local s=$1 k=${SRV_K[$1]} ns log=$OUT/$1.log p
	ns=bts$k$$
	case $s in
	pxemasq | dnsmasq)
		local bin=$DNSMASQ
		[ "$s" = pxemasq ] && bin=$PXEMASQ
		ip netns exec "$ns" "$bin" -k --port=0 --enable-tftp \
		    --tftp-root="$ROOT" --tftp-max=250 \
		    --log-facility="$log" --pid-file="$OUT/$s.pid" \
		    > "$OUT/$s.out" 2>&1 & ;;
	tftpd-hpa)
		# -L foreground, -s chroot to the root, default block sizes
		ip netns exec "$ns" env LD_LIBRARY_PATH="$PEER_LIB" \
		    "$TFTPD_HPA" -L -a "198.18.$k.1:69" -u nobody -s "$ROOT" \
		    > "$OUT/$s.out" 2>&1 & ;;
	atftpd)
		ip netns exec "$ns" env LD_LIBRARY_PATH="$PEER_LIB" \
		    "$ATFTPD" --daemon --no-fork --port 69 \
		    --bind-address "198.18.$k.1" --maxthread 250 \
		    --logfile "$log" --user nobody --group nogroup "$ROOT" \
		    > "$OUT/$s.out" 2>&1 & ;;
	esac
	p=$!
	PIDS+=("$p")
	SRV_PID[$s]=$p
	# into its cgroup before any request (no server here forks before
	# its first transfer); not from inside the namespace: `ip netns
	# exec` mounts a sysfs of its own
	[ -z "$CG" ] || echo "$p" > "$CG/$s/cgroup.procs" ||
	    die "$s: cannot join $CG/$s"
	wait_for 10 bound69 "$k" ||
	    die "$s: port 69 not bound: $(tail -n 3 "$OUT/$s.out")"
}

# cpu_us SERVER: CPU time of the server in microseconds: its cpuacct
# cgroup's usage (every thread and child, also those gone: tftpd-hpa forks
# a process per transfer and does not wait for them, so their time never
# reaches its cutime), else utime + stime + cutime + cstime of
# /proc/PID/stat (fields 14-17, in ticks).
cpu_us() {
	local s
	if [ -n "$CG" ]; then
		echo $(($(cat "$CG/$1/cpuacct.usage") / 1000))
		return
	fi
	s=$(cat "/proc/${SRV_PID[$1]}/stat" 2> /dev/null) || { echo 0; return; }
	s=${s##*) }
	# shellcheck disable=SC2086
	set -- $s
	echo $(((${12} + ${13} + ${14} + ${15}) * 1000000 / TCK))
}

# cg_setup: a cpuacct cgroup per server (cgroup v1, as on this machine;
# none elsewhere: then /proc/PID/stat).
cg_setup() {
	local base=/sys/fs/cgroup/cpuacct s
	CG=
	[ -w "$base/cgroup.procs" ] || return 0
	mkdir "$base/bench-tftp-$$" || return 0
	CG=$base/bench-tftp-$$
	for s in $SERVERS client; do
		mkdir "$CG/$s" || { CG=; return 0; }
	done
}

# cg_client_us: CPU microseconds of every client process so far (0
# without cgroups).
cg_client_us() {
	if [ -n "$CG" ]; then
		echo $(($(cat "$CG/client/cpuacct.usage") / 1000))
	else
		echo 0
	fi
}

cg_remove() {
	local d
	[ -n "${CG:-}" ] || return 0
	for d in "$CG"/*/; do
		wait_for 3 sh -c "! grep -q . ${d}cgroup.procs"
		rmdir "$d" 2> /dev/null
	done
	rmdir "$CG" 2> /dev/null
}

# no_children PID: the server has reaped every transfer process (tftpd-hpa
# forks one per request; their CPU counts once reaped).
no_children() { ! pgrep -P "$1" > /dev/null; }

# --- load --------------------------------------------------------------------
busy_on() {
	local i
	for i in $(seq "$(nproc)"); do
		# SCHED_IDLE: never ahead of anything, even when the run
		# itself was started under a real-time or negative-nice policy
		chrt -i 0 nice -n 19 sh -c 'while :; do :; done' &
		BUSY+=("$!")
	done
}

busy_off() {
	local p
	for p in "${BUSY[@]:-}"; do
		[ -n "$p" ] && kill -KILL "$p" 2> /dev/null && wait "$p" 2> /dev/null
	done
	BUSY=()
}

# client_cmd K WORK OUT: the atftp command line (words) for one transfer.
atftp_opts() {
	case $1 in
	b512) echo "--option 'blksize 512'" ;;
	b1468 | p*) echo "--option 'blksize 1468'" ;;
	b8192) echo "--option 'blksize 8192'" ;;
	w16) echo "--option 'blksize 1468' --option 'windowsize 16'" ;;
	esac
}

# run_one ROUND WORK SERVER: one measurement, one row of runs.tsv.
run_one() {
	local r=$1 w=$2 s=$3 k=${SRV_K[$3]} pid=${SRV_PID[$3]} n=1 file=big
	local bytes c0 c1 t0 t1 fails dir=$SHM/$3 cpu cc0 ccpu
	case $w in
	p50) n=50 file=small ;;
	p200) n=200 file=small ;;
	esac
	rm -rf "$dir" && mkdir -p "$dir"
	bytes=$((n * $([ $file = big ] && echo $BIG || echo $SMALL)))
	wait_for 5 no_children "$pid"
	c0=$(cpu_us "$s")
	t0=$(date +%s%N)
	# one shell in the client namespace starts every client (bounded);
	# nsenter, not `ip netns exec` (which mounts a sysfs of its own), so
	# that it can put itself into the clients' cgroup first
	cc0=$(cg_client_us)
	nsenter --net="/run/netns/$NS_C" bash -c "
		[ -z '$CG' ] || echo \$\$ > '$CG/client/cgroup.procs'
		for i in \$(seq $n); do
			timeout 300 atftp $(atftp_opts "$w") -g -r $file \
			    -l $dir/c\$i 198.18.$k.1 > $dir/c\$i.log 2>&1 &&
			    echo ok > $dir/c\$i.rc &
		done
		wait" &
	PIDS+=("$!")
	wait "$!"
	t1=$(date +%s%N)
	ccpu=$((($(cg_client_us) - cc0) / 1000))
	wait_for 5 no_children "$pid"
	c1=$(cpu_us "$s")
	cpu=$(((c1 - c0) / 1000))
	fails=0
	for i in $(seq "$n"); do
		if [ ! -f "$dir/c$i.rc" ] || ! cmp -s "$ROOT/$file" "$dir/c$i"; then
			fails=$((fails + 1))
			[ $fails = 1 ] && note "$s $w: client $i failed: $(head -c 200 "$dir/c$i.log")"
		fi
	done
	rm -rf "$dir"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$w" "$s" "$n" \
	    "$bytes" "$((t1 - t0))" "$cpu" "$fails" "$ccpu" \
	    >> "$OUT/runs.tsv"
	awk -v b="$bytes" -v ns="$((t1 - t0))" -v cpu="$cpu" \
	    -v f="$fails" -v s="$s" -v w="$w" -v r="$r" -v cc="$ccpu" 'BEGIN {
		printf "round %d %-6s %-10s %8.1f MB/s %7.2f ms CPU/MB %d failed (clients %.2f ms CPU/MB)\n",
		    r, w, s, b / (ns / 1e9) / 1e6, cpu / (b / 1e6), f, cc / (b / 1e6) }' >&2
}

# granted K OPTION...: the server's first answer (its OACK) to a request
# with these options, by the raw client of the compat test.
granted() {
	local k=$1 o=()
	shift
	for x in "$@"; do o+=(--opt "$x"); done
	ip netns exec "$NS_C" timeout 10 "$PY" \
	    "$TOP/compat-tests/tftp/tftpraw.py" "198.18.$k.1" req \
	    "${o[@]}" small 2> /dev/null | head -n 1
}

# --- main --------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
command -v atftp > /dev/null || die "needs the atftp client (apt-get install atftp)"
[ -x "$DNSMASQ" ] || die "needs dnsmasq"
peers_fetch || die "cannot unpack $PEER_PKGS into $PEER_ROOT"
case " $SERVERS " in
*" pxemasq "*)
	if [ ! -x "$PXEMASQ" ] || ! grep -q 'TID mismatch' "$PXEMASQ"; then
		note "$PXEMASQ has no TFTP server: left out"
		SERVERS=${SERVERS//pxemasq/}
	fi ;;
esac
mkdir -p "$OUT" || die "cannot create $OUT"
ln -sfn "$(basename "$OUT")" "$(dirname "$OUT")/tftp-latest"
ROOT=$OUT/root
SHM=$(mktemp -d /dev/shm/bench-tftp.XXXXXX) || die "no /dev/shm"
chmod 755 "$SHM" "$OUT"
mkdir -p "$ROOT" && chmod 755 "$ROOT"
head -c $BIG /dev/urandom > "$ROOT/big"
head -c $SMALL /dev/urandom > "$ROOT/small"
chmod 644 "$ROOT/big" "$ROOT/small"
{
	date -u
	uname -a
	grep -m1 'model name' /proc/cpuinfo
	echo "cores: $(nproc)"
	"$DNSMASQ" --version | head -n 1
	[ -x "$PXEMASQ" ] && "$PXEMASQ" --version 2>&1 | head -n 1
	dpkg-query -W atftp 2> /dev/null
	echo "tftpd-hpa: $(LD_LIBRARY_PATH=$PEER_LIB "$TFTPD_HPA" -V 2>&1 | head -n 1)"
	echo "atftpd: $(LD_LIBRARY_PATH=$PEER_LIB "$ATFTPD" -V 2>&1 | head -n 1)"
	echo "servers: $SERVERS"
	echo "work: $WORK; rounds: $ROUNDS"
	cat /proc/loadavg
} > "$OUT/env.txt"
net_up || die "cannot create the namespaces"
cg_setup
echo "CPU from: ${CG:-/proc/PID/stat}" >> "$OUT/env.txt"
for s in $SERVERS; do
	srv_start "$s"
done
printf 'round\twork\tserver\tclients\tbytes\tns\tcpu_ms\tfailed\tclient_cpu_ms\n' \
    > "$OUT/runs.tsv"
set_mtu 9000
for s in $SERVERS; do
	echo "$s blksize 8192 at MTU 9000: $(granted "${SRV_K[$s]}" blksize=8192)"
done > "$OUT/granted.txt"
set_mtu 1500
for s in $SERVERS; do
	echo "$s blksize 1468 at MTU 1500: $(granted "${SRV_K[$s]}" blksize=1468)"
	echo "$s blksize 1468 windowsize 16: $(granted "${SRV_K[$s]}" \
	    blksize=1468 windowsize=16)"
done >> "$OUT/granted.txt"

read -ra SRVS <<< "$SERVERS"
for r in $(seq "$ROUNDS"); do
	for w in $WORK; do
		[ "$w" = b8192 ] && set_mtu 9000
		case $w in b* | w*) busy_on ;; esac
		# rotate the order: round r starts with server r mod N
		for i in $(seq 0 $((${#SRVS[@]} - 1))); do
			run_one "$r" "$w" \
			    "${SRVS[$(((i + r - 1) % ${#SRVS[@]}))]}"
		done
		busy_off
		[ "$w" = b8192 ] && set_mtu 1500
	done
done
"$PY" "$HERE/summary.py" "$OUT/runs.tsv" | tee "$OUT/report.txt"
cat "$OUT/granted.txt"
echo "load average at the end: $(cat /proc/loadavg)" >> "$OUT/env.txt"
rm -f "$ROOT/big" "$ROOT/small"
