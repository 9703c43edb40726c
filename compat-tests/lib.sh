# compat-tests/lib.sh - shared helpers for the namespace and process tests.
# Sourced by each compat-tests/*/test.sh.  Every wait is bounded, every
# process started is tracked by pid and killed on exit, every namespace
# created is deleted on exit.

PXEMASQ=${PXEMASQ:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/pxemasq}
T_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T_PASS=0
T_FAIL=0
T_PIDS=()
T_NETNS=()
T_TMP=$(mktemp -d /tmp/pxemasq-compat.XXXXXX)
chmod 755 "$T_TMP"

# t_start_time PID: the process's start time (field 22 of /proc/PID/stat),
# so a pid that was reaped and reused is never mistaken for ours.
t_start_time() {
	local s
	s=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
	s=${s##*) }
	set -- $s
	echo "${20}"
}

t_cleanup() {
	local p n pid st
	for p in "${T_PIDS[@]:-}"; do
		[ -n "$p" ] || continue
		pid=${p%%:*}
		st=${p#*:}
		# only the process we tracked, not a later one with its pid
		[ "$st" = "$p" ] || [ "$(t_start_time "$pid")" = "$st" ] ||
		    continue
		kill -KILL "$pid" 2>/dev/null
	done
	for n in "${T_NETNS[@]:-}"; do
		[ -n "$n" ] && ip netns delete "$n" 2>/dev/null
	done
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT

pass() { T_PASS=$((T_PASS + 1)); echo "PASS: $*"; }
fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL: $*"; }

# check NAME CONDITION...: pass when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# t_track PID: kill PID at exit (unless already gone, or its pid reused).
t_track() {
	local st
	if st=$(t_start_time "$1"); then T_PIDS+=("$1:$st"); else T_PIDS+=("$1"); fi
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.05 s for at most
# SECONDS; returns its last status.  Used to wait for a state change that
# the process under test announces (a file, a log line), never as a delay.
wait_for() {
	local limit=$1 i=0 max end
	shift
	max=$((limit * 20))
	end=$((SECONDS + limit + 1))	# wall clock too: COMMAND may be slow
	while [ $i -lt $max ] && [ "$SECONDS" -lt "$end" ]; do
		"$@" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	"$@"
}

# wait_gone SECONDS PID: true once PID has exited.
wait_gone() { wait_for "$1" sh -c "! kill -0 $2 2>/dev/null"; }

# proc_field PID FIELD: a line of /proc/PID/status without its label.
proc_field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null; }

t_done() {
	echo "$(basename "$(dirname "$0")"): $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" = 0 ]
}

# t_need WHERE TOOL...: exit 77 (skipped) with "NAME: SKIPPED: TOOL
# missing (WHERE)" for the first TOOL not in PATH; NAME is the test's
# directory, as in t_done's line; an empty WHERE leaves out the
# parenthesis.
t_need() {
	local where=$1 tool
	shift
	[ -n "$where" ] && where=" ($where)"
	for tool in "$@"; do
		if ! command -v "$tool" > /dev/null; then
			echo "$(basename "$(dirname "$0")"): SKIPPED: $tool missing$where"
			exit 77
		fi
	done
}

# t_setup_fail MSG: the set-up the checks need failed: fail MSG, print
# the count line and exit 1.
t_setup_fail() {
	fail "$1"
	t_done
	exit 1
}

# t_netns_pair SRV_NS CLI_NS SRV_IF CLI_IF SRV_MAC SRV_ADDR/PREFIX: two
# namespaces (loopback up, IPv6 off) joined by a veth pair; the server end
# gets SRV_MAC and the address, the client end 02:00:00:00:00:02 and no
# address.  The caller has put both names in T_NETNS.  Returns non-zero
# on failure.
t_netns_pair() {
	local n
	for n in "$1" "$2"; do
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		    net.ipv6.conf.default.disable_ipv6=1
	done
	ip link add "$3" netns "$1" address "$5" type veth \
	    peer name "$4" netns "$2" address 02:00:00:00:00:02 || return 1
	ip -n "$1" addr add "$6" dev "$3" &&
	ip -n "$1" link set "$3" up &&
	ip -n "$2" link set "$4" up
}

# t_netns_std SRV_NS CLI_NS SRV_ADDR/PREFIX: t_netns_pair with the usual
# names (pxv0, 02:00:00:00:00:01 in SRV_NS; pxv1 in CLI_NS), both
# namespaces put in T_NETNS first; a failure ends the test through
# t_setup_fail "netns setup".
t_netns_std() {
	T_NETNS+=("$1" "$2")
	t_netns_pair "$1" "$2" pxv0 pxv1 02:00:00:00:00:01 "$3" ||
	    t_setup_fail "netns setup"
}

# t_fake_upstream NS ADDR PORT PREFIX: the fake DNS upstream
# (compat-tests/dns/upstream.py, with $PYTHON or python3) on ADDR#PORT in
# namespace NS, tracked; its query log is PREFIX.log, its ready file
# PREFIX.ready, its stderr PREFIX.err.  Waits up to 10 s for the ready
# file, else ends the test through t_setup_fail.
t_fake_upstream() {
	ip netns exec "$1" "${PYTHON:-python3}" "$T_LIB/dns/upstream.py" \
	    --addr "$2" --port "$3" --log "$4.log" --ready "$4.ready" \
	    2> "$4.err" &
	t_track $!
	wait_for 10 test -s "$4.ready" ||
	    t_setup_fail "fake upstream did not start"
}

# t_daemon VAR NS LOG ERR CMD...: runs CMD (a daemon kept in the
# foreground, -k) in namespace NS with stderr to ERR, tracks it and puts
# its pid in the variable named VAR; true once LOG (its log-facility)
# has the "started, version" line, false after 5 s without it.
t_daemon() {
	local t__var=$1 t__ns=$2 t__log=$3 t__err=$4
	shift 4
	ip netns exec "$t__ns" "$@" 2> "$t__err" &
	printf -v "$t__var" %s $!
	t_track $!
	wait_for 5 grep -sq "started, version" "$t__log"
}

# t_pidfile VAR FILE: waits up to 5 s for a forking daemon's pid-file
# FILE, puts the pid in the variable named VAR (empty when there is none)
# and tracks it; false when there is none.
t_pidfile() {
	wait_for 5 test -s "$2"
	printf -v "$1" %s "$(cat "$2" 2> /dev/null)"
	[ -n "${!1}" ] && t_track "${!1}"
}

# t_stop PID: stops our child PID: SIGTERM, SIGKILL if it is still there
# after 5 s, then reaps it.
t_stop() {
	kill -TERM "$1" 2> /dev/null
	wait_gone 5 "$1" || kill -KILL "$1" 2> /dev/null
	wait "$1" 2> /dev/null
}

# t_require TOOL...: for the differential tests, where a missing tool is
# a failure, not a skip: ends the test through t_setup_fail with "tools
# missing: T1 T2" when a TOOL is not in PATH, or "pxemasq: PATH not
# built" when $PXEMASQ is not executable.
t_require() {
	local tool missing=
	for tool in "$@"; do
		command -v "$tool" > /dev/null || missing="$missing $tool"
	done
	[ -z "$missing" ] || t_setup_fail "tools missing:$missing"
	[ -x "$PXEMASQ" ] || t_setup_fail "pxemasq: $PXEMASQ not built"
}

# t_udhcpc_script DIR: DIR/script, a udhcpc script that writes the
# environment of each event (its lower-case variables, sorted) to
# DIR/env.EVENT and succeeds.  DIR exists.
t_udhcpc_script() {
	cat > "$1/script" << SH
#!/bin/sh
env | grep -E '^[a-z][a-z0-9_]*=' | sort > "$1/env.\$1"
exit 0
SH
	chmod 755 "$1/script"
}
