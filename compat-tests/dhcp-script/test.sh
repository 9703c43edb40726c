#!/bin/bash
# compat-tests/dhcp-script/test.sh - dhcp-script and leasefile-ro (issue 4)
# against dnsmasq 2.90: the same configuration, the same recording script
# and the same client steps run against both servers in namespaces; what
# the script saw (arguments, DNSMASQ_* variables, uid, descriptors) must be
# the same line for line.
#
# Phases (each against every server in SERVERS, default "dnsmasq pxemasq"):
#  plain   dhcp-script with a lease file seeded with a named lease, an
#          infinite one, an expired one and one off every local subnet:
#          start-up ("del" for the expired one, "old" for the others),
#          raw-client steps (add with client data, renew, INIT-REBOOT, a
#          new name, a relayed client with option 82, a dhcp-host, a name
#          taken by another client, release, inform, decline), udhcpc
#          (add), SIGHUP ("old" for every lease), restart (compared as a
#          set: the order after a restart from pxemasq's journal is its
#          own, see script.h)
#  ro      leasefile-ro + dhcp-script: the script keeps the leases in a
#          directory and prints them for "init"; start-up, add, renew
#          ("old" on every renewal with leasefile-ro), restart (the init
#          output restores the leases: an INIT-REBOOT of a seeded client
#          is ACKed), release
#  noisy   a script that prints to stdout and stderr, exits 3 for "add"
#          and is killed by SIGKILL for "del"; a script that does not
#          exist: the log lines must match (names, pids, times removed)
#  initfail  leasefile-ro with an "init" that exits 3, and with a script
#          that does not exist: exit status and message must match
#  user    dhcp-scriptuser=nobody: the script's uid and capabilities
# pxemasq only:
#  slow    a script that sleeps 1 s per call: five DORAs complete in less
#          than 1 s each while the scripts run one at a time, in order
#
# Env: SERVERS, PXEMASQ, PYTHON, SCRIPT_KEEP=DIR (copy the recordings).
set -u
. "$(dirname "$0")/../lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "dhcp-script: SKIPPED: needs root (network namespaces)"
	exit 77
fi
for c in dnsmasq udhcpc ip; do
	if ! command -v "$c" > /dev/null; then
		echo "dhcp-script: SKIPPED: $c not installed"
		exit 77
	fi
done

HERE=$(cd "$(dirname "$0")" && pwd)
SERVERS=${SERVERS:-dnsmasq pxemasq}
PY=${PYTHON:-python3}
T=$T_TMP
NS_S=pss$$
NS_C=psc$$
T_NETNS+=("$NS_S" "$NS_C")
SRV_MAC=02:00:00:00:00:01
NET=198.51.100
SRV_IP=$NET.1
SRV=
SRV_PID=
SRV_DIR=

# --- network ------------------------------------------------------------------
net_reset() {
	local n
	for n in "$NS_S" "$NS_C"; do
		ip netns delete "$n" 2> /dev/null
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		    net.ipv6.conf.default.disable_ipv6=1
	done
	ip link add pxv0 netns "$NS_S" address "$SRV_MAC" type veth \
	    peer name pxv1 netns "$NS_C" address 02:00:00:00:00:02 || return 1
	ip -n "$NS_S" addr add "$SRV_IP/24" dev pxv0
	ip -n "$NS_S" link set pxv0 up
	ip -n "$NS_C" link set pxv1 up
	ip -n "$NS_S" route add 203.0.113.0/24 via "$NET.2"
}

in_c() { ip netns exec "$NS_C" "$@"; }
cli() {
	in_c timeout 60 "$PY" "$HERE/scriptcli.py" --iface pxv1 \
	    --server-mac "$SRV_MAC" --state "$SRV_DIR/cli.state" "$@" \
	    >> "$SRV_DIR/cli.out" 2>&1
}

# --- the recording script -------------------------------------------------------
# Writes to $SCRIPT_REC (inherited from the server's environment, which
# the server must pass on): the arguments, every DNSMASQ_* variable that is
# set (times normalised: TIME_REMAINING rounded up to 100 s, as the
# steps take a while; LEASE_EXPIRES checked against it), then uid, capabilities and open descriptors.  With
# $SCRIPT_DB it is also the lease database (leasefile-ro): "init" prints
# the leases, add/old store one, del removes it.
REC_SH=$T/rec.sh
cat > "$REC_SH" << 'SH'
#!/bin/sh
R=${SCRIPT_REC:?}
DB=${SCRIPT_DB:-}
now=$(date +%s)
if [ "$1" = init ]; then
	echo "init" >> "$R"
	[ -n "$DB" ] && cat "$DB"/* 2> /dev/null
	exit "${SCRIPT_INIT_EXIT:-0}"
fi
{
	echo "$*"
	for v in CLIENT_ID DOMAIN INTERFACE DATA_MISSING VENDOR_CLASS \
	    SUPPLIED_HOSTNAME CPEWAN_OUI CPEWAN_SERIAL CPEWAN_CLASS \
	    CIRCUIT_ID SUBSCRIBER_ID REMOTE_ID REQUESTED_OPTIONS MUD_URL TAGS \
	    RELAY_ADDRESS USER_CLASS0 USER_CLASS1 USER_CLASS2 OLD_HOSTNAME \
	    LOG_DHCP IAID MAC SERVER_DUID LEASE_LENGTH; do
		eval "s=\${DNSMASQ_$v+x} x=\${DNSMASQ_$v-}"
		[ -n "$s" ] && printf '  %s=%s\n' "$v" "$x"
	done
	if [ -n "${DNSMASQ_TIME_REMAINING+x}" ]; then
		echo "  TIME_REMAINING~$(( (DNSMASQ_TIME_REMAINING + 99) / 100 * 100 ))"
	fi
	e=${DNSMASQ_LEASE_EXPIRES-unset}
	case $e in
	unset|0) echo "  LEASE_EXPIRES=$e" ;;
	*)	if [ -z "${DNSMASQ_TIME_REMAINING+x}" ]; then
			echo "  LEASE_EXPIRES=set"
		else
			d=$(( e - now - DNSMASQ_TIME_REMAINING ))
			if [ "$d" -ge -2 ] && [ "$d" -le 2 ]; then
				echo "  LEASE_EXPIRES=now+remaining"
			else
				echo "  LEASE_EXPIRES=off($d)"
			fi
		fi ;;
	esac
	fds=
	for f in /proc/$$/fd/*; do
		n=${f##*/}
		[ "$n" -lt 10 ] && fds="$fds${fds:+,}$n"
	done
	eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/$$/status)
	bnd=$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/$$/status)
	case $eff in
	0000000000000000) caps=none ;;
	"$bnd") caps=all ;;
	*) caps=$eff ;;
	esac
	echo "  uid=$(id -u) caps=$caps fds=$fds stdin=$(readlink /proc/$$/fd/0)"
} >> "$R"
if [ -n "$DB" ]; then
	case $1 in
	add|old) echo "$DNSMASQ_LEASE_EXPIRES $2 $3 ${4:-*} ${DNSMASQ_CLIENT_ID:-*}" > "$DB/$3" ;;
	del) rm -f "$DB/$3" ;;
	esac
fi
exit 0
SH
chmod 755 "$REC_SH"

# A script that talks and fails.
NOISY_SH=$T/noisy.sh
cat > "$NOISY_SH" << 'SH'
#!/bin/sh
echo "out $1 $2"
echo "err $1" >&2
printf 'last line without newline'
case $1 in
add) exit 3 ;;
del) kill -9 $$ ;;
esac
exit 0
SH
chmod 755 "$NOISY_SH"

# A script that sleeps, and notes overlaps (one run at a time).
SLOW_SH=$T/slow.sh
cat > "$SLOW_SH" << 'SH'
#!/bin/sh
R=${SCRIPT_REC:?}
mkdir "$R.lock" 2> /dev/null || echo "OVERLAP" >> "$R"
echo "start $1 $2 $3" >> "$R"
sleep 1
echo "end $1 $3" >> "$R"
rmdir "$R.lock"
SH
chmod 755 "$SLOW_SH"

# --- servers -----------------------------------------------------------------------
srv_fresh() {
	SRV_DIR=$(mktemp -d "$T/srv.XXXXXX")
	chmod 777 "$SRV_DIR"
}

# server_start SERVER CONF [VAR=VALUE...]: started with -k in the server
# namespace, the recording in SRV_DIR/rec; waits for "started".
server_start() {
	local bin conf=$2
	SRV=$1
	shift 2
	case $SRV in
	dnsmasq) bin=$(command -v dnsmasq) ;;
	pxemasq) bin=$PXEMASQ ;;
	esac
	env SCRIPT_REC="$SRV_DIR/rec" "$@" ip netns exec "$NS_S" "$bin" -k \
	    --conf-file="$conf" --log-facility="$SRV_DIR/log" \
	    --pid-file="$SRV_DIR/pid" --dhcp-leasefile="$SRV_DIR/leases" \
	    >> "$SRV_DIR/stdout" 2>> "$SRV_DIR/stderr" &
	SRV_PID=$!
	t_track "$SRV_PID"
	if ! wait_for 10 grep -sq "\[$SRV_PID\]: started, version" "$SRV_DIR/log"; then
		fail "[$SRV] $(basename "$conf"): did not start: $(tail -n 3 "$SRV_DIR/stderr" "$SRV_DIR/log" 2> /dev/null | tr '\n' ' ')"
		server_stop
		return 1
	fi
}

server_stop() {
	[ -n "$SRV_PID" ] || return 0
	kill -TERM "$SRV_PID" 2> /dev/null
	wait_gone 10 "$SRV_PID" || kill -KILL "$SRV_PID" 2> /dev/null
	wait "$SRV_PID" 2> /dev/null
	SRV_PID=
}

# settle FILE: waits until FILE stopped growing for 0.8 s (at most 15 s):
# the scripts of what happened so far have run.
settle() {
	local f=$1 last=-1 cur same=0 i=0
	while [ $i -lt 150 ]; do
		cur=$(stat -c %s "$f" 2> /dev/null || echo 0)
		if [ "$cur" = "$last" ]; then
			same=$((same + 1))
			[ $same -ge 8 ] && return 0
		else
			same=0
			last=$cur
		fi
		sleep 0.1
		i=$((i + 1))
	done
}
mark() { echo "## $*" >> "$SRV_DIR/rec"; }
# eq NAME GOT WANT
eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (got '$2', want '$3')"; fi
}

# seed FILE: the lease file (or script database lines) the phases start
# from; times relative to now.
seed_lines() {
	local now
	now=$(date +%s)
	echo "$((now + 3000)) 52:54:00:aa:00:01 $NET.60 seeded1 01:52:54:00:aa:00:01"
	echo "0 52:54:00:aa:00:02 $NET.61 * *"
	echo "$((now - 100)) 52:54:00:aa:00:03 $NET.62 gone *"
	echo "$((now + 3000)) 52:54:00:aa:00:04 203.0.113.9 far *"
}

mkconf() {
	local name=$1
	shift
	{
		echo "port=0"
		echo "interface=pxv0"
		echo "log-dhcp"
		echo "no-ping"
		echo "domain=example.test"
		echo "dhcp-range=$NET.50,$NET.150,255.255.255.0,1h"
		echo "dhcp-range=203.0.113.100,203.0.113.200,255.255.255.0,4h"
		echo "dhcp-host=52:54:00:00:00:c0,$NET.21,fixedhost,2h"
		printf '%s\n' "$@"
	} > "$T/$name.conf"
}
mkconf plain "dhcp-script=$REC_SH"
mkconf ro "dhcp-script=$REC_SH" "leasefile-ro"
mkconf noisy "dhcp-script=$NOISY_SH"
mkconf missing "dhcp-script=$T/does-not-exist.sh"
mkconf initmissing "dhcp-script=$T/does-not-exist.sh" "leasefile-ro"
mkconf user "dhcp-script=$REC_SH" "dhcp-scriptuser=nobody"
mkconf slow "dhcp-script=$SLOW_SH"

# keep NAME: the recording of this server and phase, for the comparison.
keep() { cp "$SRV_DIR/$2" "$T/out.$1.$SRV" 2> /dev/null || : > "$T/out.$1.$SRV"; }

# === phases ====================================================================

phase_plain() {
	local s=$1
	net_reset || { fail "[$s] namespaces"; return; }
	srv_fresh
	seed_lines > "$SRV_DIR/leases"
	server_start "$s" "$T/plain.conf" || return
	settle "$SRV_DIR/rec"
	for step in dora_rich renew initreboot rename relay_dora fixed_dora \
	    steal release inform decline; do
		mark "$step"
		cli "$step"
		settle "$SRV_DIR/rec"
	done
	# udhcpc after SIGHUP: the reload keeps the address epochs that
	# the DECLINE above moved, as dnsmasq does, so udhcpc's address
	# (in the recorded add line) must be dnsmasq's
	mark sighup
	kill -HUP "$SRV_PID"
	settle "$SRV_DIR/rec"
	mark udhcpc
	in_c timeout 20 udhcpc -i pxv1 -s /bin/true -q -n -t 3 -T 1 -f \
	    -x hostname:udh > "$SRV_DIR/udhcpc.out" 2>&1
	settle "$SRV_DIR/rec"
	mark stop
	server_stop
	keep plain rec
	: > "$SRV_DIR/rec"
	server_start "$s" "$T/plain.conf" || return
	settle "$SRV_DIR/rec"
	server_stop
	# one line per call, as a set
	awk '/^  / { printf " |%s", substr($0, 3); next }
	    NR > 1 { print "" } { printf "%s", $0 } END { print "" }' \
	    "$SRV_DIR/rec" | sort -u > "$T/out.plain-restart.$s"
	check "[$s] plain: the client steps were answered" \
	    grep -q "^dora_rich $NET\.[0-9]* ACK" "$SRV_DIR/cli.out"
}

phase_ro() {
	local s=$1 db
	net_reset || { fail "[$s] namespaces"; return; }
	srv_fresh
	db=$SRV_DIR/db
	mkdir "$db"
	seed_lines | while read -r e m a n c; do
		echo "$e $m $a $n $c" > "$db/$a"
	done
	server_start "$s" "$T/ro.conf" SCRIPT_DB="$db" || return
	settle "$SRV_DIR/rec"
	for step in dora_rich renew; do
		mark "$step"
		cli "$step"
		settle "$SRV_DIR/rec"
	done
	mark restart
	server_stop
	server_start "$s" "$T/ro.conf" SCRIPT_DB="$db" || return
	settle "$SRV_DIR/rec"
	for step in seeded_reboot initreboot release; do
		mark "$step"
		cli "$step"
		settle "$SRV_DIR/rec"
	done
	server_stop
	keep ro rec
	check "[$s] ro: no lease file written" test ! -s "$SRV_DIR/leases"
	check "[$s] ro: the restored seeded lease is ACKed after restart" \
	    grep -q "^seeded_reboot $NET.60 ACK" "$SRV_DIR/cli.out"
	check "[$s] ro: the client's lease survives the restart" \
	    grep -q "^initreboot $NET\.[0-9]* ACK" "$SRV_DIR/cli.out"
	check "[$s] ro: the script database lost the released lease" \
	    sh -c "! grep -rqs '52:54:00:00:0a:01' '$db'"
}

# The log as compared: message only, the server's name made neutral.
log_lines() {
	sed -E -n 's/^[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} //; s/^(dnsmasq|pxemasq)(-[a-z]+)?\[[0-9]+\]: /\2: /p' "$1" |
	    grep -E '^-script: |script process|failed to execute' |
	    sed -e "s#$T#T#g"
}

phase_noisy() {
	local s=$1
	net_reset || { fail "[$s] namespaces"; return; }
	srv_fresh
	server_start "$s" "$T/noisy.conf" || return
	cli dora_rich
	settle "$SRV_DIR/log"
	cli release
	settle "$SRV_DIR/log"
	server_stop
	log_lines "$SRV_DIR/log" > "$T/out.noisy.$s"
	srv_fresh
	seed_lines > "$SRV_DIR/leases"
	server_start "$s" "$T/missing.conf" || return
	settle "$SRV_DIR/log"
	server_stop
	log_lines "$SRV_DIR/log" >> "$T/out.noisy.$s"
}

phase_initfail() {
	local s=$1 rc c bin
	net_reset || { fail "[$s] namespaces"; return; }
	for c in ro initmissing; do
		srv_fresh
		mkdir "$SRV_DIR/db"
		case $s in
		dnsmasq) bin=$(command -v dnsmasq) ;;
		pxemasq) bin=$PXEMASQ ;;
		esac
		env SCRIPT_REC="$SRV_DIR/rec" SCRIPT_DB="$SRV_DIR/db" \
		    SCRIPT_INIT_EXIT=3 ip netns exec "$NS_S" timeout 10 "$bin" \
		    -k --conf-file="$T/$c.conf" --log-facility="$SRV_DIR/log" \
		    --pid-file="$SRV_DIR/pid" \
		    --dhcp-leasefile="$SRV_DIR/leases" > /dev/null \
		    2> "$SRV_DIR/stderr"
		rc=$?
		{
			echo "$c: exit $rc"
			sed -e "s/^$s:/SERVER:/" -e "s#$T#T#g" -e '/^$/d' \
			    "$SRV_DIR/stderr"
		} >> "$T/out.initfail.$s"
	done
}

phase_user() {
	local s=$1
	net_reset || { fail "[$s] namespaces"; return; }
	srv_fresh
	: > "$SRV_DIR/rec"
	chmod 666 "$SRV_DIR/rec"
	server_start "$s" "$T/user.conf" || return
	cli dora_rich
	settle "$SRV_DIR/rec"
	server_stop
	keep user rec
	check "[$s] user: the script ran as nobody" \
	    grep -q "uid=$(id -u nobody) caps=none" "$SRV_DIR/rec"
}

phase_slow() {
	local s=$1 t0 t1 i ms max=0 ok=0
	net_reset || { fail "[$s] namespaces"; return; }
	srv_fresh
	server_start "$s" "$T/slow.conf" || return
	for i in 1 2 3 4 5; do
		t0=$(date +%s%N)
		in_c timeout 20 "$PY" "$HERE/../dhcp/dhcpraw.py" --iface pxv1 \
		    --server-mac "$SRV_MAC" dora "52:54:00:00:5${i}:01" \
		    >> "$SRV_DIR/cli.out" 2>&1
		t1=$(date +%s%N)
		ms=$(( (t1 - t0) / 1000000 ))
		[ "$ms" -lt 1000 ] && ok=$((ok + 1))
		[ "$ms" -gt "$max" ] && max=$ms
	done
	eq "[$s] slow: five DORAs each under 1 s while scripts sleep (slowest ${max} ms, client included)" "$ok" 5
	wait_for 15 sh -c "[ \$(grep -c '^end add' '$SRV_DIR/rec') -ge 5 ]"
	eq "[$s] slow: five add scripts ran" "$(grep -c '^end add' "$SRV_DIR/rec")" 5
	check "[$s] slow: never two scripts at once" \
	    sh -c "! grep -q OVERLAP '$SRV_DIR/rec'"
	eq "[$s] slow: in the order of the leases" \
	    "$(sed -n 's/^start add [^ ]* //p' "$SRV_DIR/rec" | tr '\n' ' ')" \
	    "$(awk '$2 != "-" {print $2}' "$SRV_DIR/cli.out" | tr '\n' ' ')"
	server_stop
}

# compare NAME: every server's recording equals dnsmasq's.
compare() {
	local name=$1 s
	for s in $SERVERS; do
		[ "$s" = dnsmasq ] && continue
		if [ ! -s "$T/out.$name.dnsmasq" ]; then
			fail "[$s] $name: dnsmasq recorded nothing"
		elif diff -u "$T/out.$name.dnsmasq" "$T/out.$name.$s" > "$T/diff.$name.$s"; then
			pass "[$s] $name: the script saw what it sees under dnsmasq ($(grep -cv '^ \|^#' "$T/out.$name.dnsmasq") calls)"
		else
			fail "[$s] $name: differs from dnsmasq:"
			head -n 60 "$T/diff.$name.$s"
		fi
	done
}

# absolute expectations on dnsmasq's recording too (the reference facts)
expect() {
	local name=$1 what=$2 re=$3 s
	for s in $SERVERS; do
		check "[$s] $name: $what" grep -Eq "$re" "$T/out.$name.$s"
	done
}

for s in $SERVERS; do
	phase_plain "$s"
	phase_ro "$s"
	phase_noisy "$s"
	phase_initfail "$s"
	phase_user "$s"
done
compare plain
compare plain-restart
compare ro
compare noisy
compare initfail
compare user
expect plain "add with the client's data" '^add 52:54:00:00:0a:01 198\.51\.100\.[0-9]+ client1$'
expect plain "del for the lease that expired while down" '^del 52:54:00:aa:00:03 198\.51\.100\.62 gone$'
expect plain "relayed client" '^  RELAY_ADDRESS=203\.0\.113\.1$'
expect plain "lost name" '^  OLD_HOSTNAME=client1$'
expect ro "init" '^init$'
expect noisy "exit status logged" '^: script process exited with status 3$'
expect noisy "signal logged" '^: script process killed by signal 9$'
expect noisy "exec failure logged" '^: failed to execute T/does-not-exist.sh: No such file or directory$'
expect initfail "init exit code" '^ro: exit 13$'
case " $SERVERS " in
*" pxemasq "*) phase_slow pxemasq ;;
esac
if [ -n "${SCRIPT_KEEP:-}" ]; then
	mkdir -p "$SCRIPT_KEEP" && cp "$T"/out.* "$T"/diff.* "$SCRIPT_KEEP"/ 2> /dev/null
fi
t_done
