#!/bin/bash
# compat-tests/dns-bind/test.sh - DNS listening with bind-dynamic and
# bind-interfaces, as a differential against dnsmasq 2.90 (issue 7).
#
# Two namespaces joined by two veth pairs: pxbv0 (server, 198.51.100.1/24
# and 2001:db8:1::1/64, served: interface=pxbv0) to pxbv1 (client,
# 198.51.100.2/24), and pxbw0 (server, 203.0.113.1/24, not served) to
# pxbw1 (client, 203.0.113.2/24).  Another process (a Python socket, as
# systemd-resolved or another dnsmasq would) holds UDP and TCP port 53 on
# 203.0.113.9, a second address of pxbw0, without SO_REUSEADDR.  Answers
# come from address= only; nothing leaves the namespaces.
#
# For each server in SERVERS (default "dnsmasq pxemasq"), same
# configuration:
#  - bind-interfaces with bind-dynamic: "cannot set --bind-interfaces and
#    --bind-dynamic", exit 1;
#  - default (wildcard) mode: start-up fails with "failed to create
#    listening socket for port 53: Address already in use" (the holder
#    really holds the port: the control for the next checks);
#  - bind-dynamic: starts beside the holder; answers on pxbv0's address
#    over UDP and TCP, IPv4 and IPv6; a query to pxbw0's address gets ICMP
#    port unreachable (dig: "connection refused"), not a time-out; an
#    address added to pxbv0 after start is answered over UDP and TCP
#    (IPv4 and IPv6), with log-debug's "listening on pxbv0(#N): ADDR port
#    53" line; once it moves to pxbw0 its sockets are closed ("stopped
#    listening on ...", and a query to it is refused where an open socket
#    would answer), and back on pxbv0 it is answered again; pxbv0's
#    address reached through pxbw0 (a client route) is not answered, over
#    UDP and TCP (the arrival interface is checked); the log-debug lines
#    equal dnsmasq's;
#  - TFTP (enable-tftp) with bind-dynamic: fetched (curl) from pxbv0's
#    addresses, also one added after start; a read request to pxbw0's
#    address or to one moved there gets ICMP port unreachable; with
#    port=0 and tftp-single-port (TFTP alone) the same, with dnsmasq's
#    "port 0" debug lines;
#  - bind-dynamic with interface=pxbn0 too, an interface that does not
#    exist at start ("warning: interface pxbn0 does not currently
#    exist"): created later with an address, it is answered; deleted,
#    its sockets are closed;
#  - bind-interfaces: starts beside the holder, answers on pxbv0's
#    address, "connection refused" on pxbw0's, and an address added after
#    start is not served (refused): dnsmasq does not follow addresses in
#    this mode;
#  - bind-dynamic with except-interface=pxbw0 only, and with
#    listen-address only (one of them, 127.0.1.1, no interface's);
#  - the listening sockets on ports 53 and 69 (ss) are dnsmasq's at each
#    step (bind-interfaces: IPv6 link-local ones left out, D17).
#
# Env: SERVERS, PXEMASQ (binary), PYTHON (python3), BIND_KEEP=DIR (copy
# the logs there).
set -u
. "$(dirname "$0")/../lib.sh"

SERVERS=${SERVERS:-dnsmasq pxemasq}
PY=${PYTHON:-python3}
T=$T_TMP
NS_S=pxbs$$
NS_C=pxbc$$
T_NETNS+=("$NS_S" "$NS_C")
SRV_IP=198.51.100.1
SRV_IP6=2001:db8:1::1
NEW_IP=198.51.100.5
NEW_IP6=2001:db8:1::5
OTHER_IP=203.0.113.1
HOLD_IP=203.0.113.9
LATE_IP=203.0.113.129	# pxbn0, an interface created after start
ANSWER=198.51.100.77
INUSE="failed to create listening socket for port 53: Address already in use"
SRV_PID=
SRV_LOG=
HOLD_PID=

# (compat-tests/dns-bind/deps.txt)
t_require dig ss curl "$PY" dnsmasq

net_setup() {
	local n
	for n in "$NS_S" "$NS_C"; do
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		    net.ipv6.conf.default.accept_dad=0
	done
	ip link add pxbv0 netns "$NS_S" type veth peer name pxbv1 \
	    netns "$NS_C" || return 1
	ip link add pxbw0 netns "$NS_S" type veth peer name pxbw1 \
	    netns "$NS_C" || return 1
	ip -n "$NS_S" addr add "$SRV_IP/24" dev pxbv0
	ip -n "$NS_S" addr add "$SRV_IP6/64" dev pxbv0 nodad
	ip -n "$NS_S" addr add "$OTHER_IP/24" dev pxbw0
	ip -n "$NS_S" addr add "$HOLD_IP/32" dev pxbw0
	ip -n "$NS_C" addr add 198.51.100.2/24 dev pxbv1
	ip -n "$NS_C" addr add 2001:db8:1::2/64 dev pxbv1 nodad
	ip -n "$NS_C" addr add 203.0.113.2/24 dev pxbw1
	for n in pxbv0 pxbw0; do ip -n "$NS_S" link set "$n" up; done
	for n in pxbv1 pxbw1; do ip -n "$NS_C" link set "$n" up; done
	# ICMP errors are rate-limited per destination: not for this test
	ip netns exec "$NS_S" sysctl -qw net.ipv4.icmp_ratelimit=0 \
	    net.ipv6.icmp.ratelimit=0
}

# The other DNS server: UDP and TCP port 53 on HOLD_IP, no SO_REUSEADDR.
holder_start() {
	ip netns exec "$NS_S" "$PY" -c '
import signal, socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind((sys.argv[1], 53))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.bind((sys.argv[1], 53))
t.listen(4)
open(sys.argv[2], "w").write("ready\n")
signal.pause()
' "$HOLD_IP" "$T/holder.ready" 2> "$T/holder.err" &
	HOLD_PID=$!
	t_track $HOLD_PID
	wait_for 10 test -s "$T/holder.ready"
}

# mkconf NAME LINE...: configuration NAME: the LINEs (MODE and interface
# choice) and the common ones.
mkconf() {
	local name=$1
	shift
	{
		printf '%s\n' "$@"
		case " $* " in *" port="*) ;; *) echo "port=53" ;; esac
		echo "no-resolv"
		echo "no-hosts"
		echo "log-debug"
		echo "address=/bd.test/$ANSWER"
	} > "$T/$name.conf"
	chmod 644 "$T/$name.conf"
}

# server_start SERVER MODE: runs SERVER -k with MODE's configuration in
# the server namespace; true once its "started" line is logged.
server_start() {
	local bin
	case $1 in
	dnsmasq) bin=$(command -v dnsmasq) ;;
	pxemasq) bin=$PXEMASQ ;;
	esac
	SRV_LOG=$T/$1.$2.log
	: > "$SRV_LOG"
	chmod 666 "$SRV_LOG"
	ip netns exec "$NS_S" "$bin" -k --conf-file="$T/$2.conf" \
	    --log-facility="$SRV_LOG" --pid-file= \
	    2> "$T/$1.$2.stderr" &
	SRV_PID=$!
	t_track "$SRV_PID"
	wait_for 5 grep -sq "\[$SRV_PID\]: started, version" "$SRV_LOG"
}

server_stop() {
	[ -n "$SRV_PID" ] || return 0
	t_stop "$SRV_PID"
	SRV_PID=
}

# ask [DIG-OPTIONS] ADDR: the answer to bd.test from ADDR (dig +short).
ask() {
	local a=${*: -1}
	ip netns exec "$NS_C" dig "${@:1:$#-1}" @"$a" +time=1 +tries=1 \
	    +short bd.test A 2>&1
}
answered() { [ "$(ask "$@")" = "$ANSWER" ]; }
refused() { ask "$@" | grep -q "connection refused"; }
# never_answered [DIG-OPTIONS] ADDR: no answer from ADDR for 2 s.
never_answered() { ! wait_for 2 answered "$@"; }

# fetched ADDR: hello.txt over TFTP from ADDR (curl, 2 s at most).
fetched() {
	[ "$(ip netns exec "$NS_C" curl -s --max-time 2 \
	    "tftp://$1/hello.txt" 2> /dev/null)" = "bind-dynamic tftp" ]
}
# tftp_refused ADDR: a read request to ADDR port 69 gets ICMP port
# unreachable (ECONNREFUSED on a connected socket) within 2 s.
tftp_refused() {
	ip netns exec "$NS_C" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect((sys.argv[1], 69))
s.send(b"\0\1hello.txt\0octet\0")
try:
    s.recv(600)
except ConnectionRefusedError:
    sys.exit(0)
except OSError:
    pass
sys.exit(1)
' "$1"
}

# bound ADDR [PORT]: a UDP socket of the server on ADDR port PORT (53).
bound() {
	ip netns exec "$NS_S" ss -Hlnu "sport = :${2:-53}" |
	    grep -qF " $1:${2:-53} "
}
unbound() { ! bound "$@"; }

# sockets NAME: the server's listening sockets on ports 53 and 69 (protocol and
# local address, the holder's left out) into T/NAME.SERVER, for the
# comparison with dnsmasq's at the end.
sockets() {
	ip netns exec "$NS_S" ss -Hlnut "( sport = :53 or sport = :69 )" |
	    awk -v h="$HOLD_IP:53" '$5 != h { print $1, $5 }' | sort \
	    > "$T/sk.$1.$s"
	test -s "$T/sk.$1.$s"
}

# log_has TEXT: the server's log has a line containing TEXT.
log_has() { grep -qF -- "$1" "$SRV_LOG"; }

mkdir -p "$T/tftp"
echo "bind-dynamic tftp" > "$T/tftp/hello.txt"
chmod 755 "$T/tftp"
chmod 644 "$T/tftp/hello.txt"
net_setup || t_setup_fail "netns setup"
holder_start || t_setup_fail "port 53 holder did not start"
mkconf wild interface=pxbv0
mkconf bind-dynamic bind-dynamic interface=pxbv0 interface=pxbn0 \
    enable-tftp tftp-root="$T/tftp"
# TFTP alone (DNS off, single port): its sockets follow the addresses too
mkconf tftp-only bind-dynamic interface=pxbv0 port=0 enable-tftp \
    tftp-single-port tftp-root="$T/tftp"
mkconf bind-interfaces bind-interfaces interface=pxbv0
# address choice without interface=: every address but pxbw0's; only
# listen-addresses (one of them no interface's: 127.0.1.1)
mkconf dyn-except bind-dynamic except-interface=pxbw0
mkconf dyn-la bind-dynamic listen-address=$SRV_IP,127.0.1.1 \
    listen-address=$SRV_IP6
IDX=$(ip -n "$NS_S" -o link show pxbv0 | sed -n 's/^\([0-9]*\):.*/\1/p')

for s in $SERVERS; do
	# --- both modes: refused at start-up (exit 1)
	{ echo bind-interfaces; cat "$T/bind-dynamic.conf"; } > "$T/both.conf"
	chmod 644 "$T/both.conf"
	server_start "$s" both
	wait_gone 5 "$SRV_PID"
	wait "$SRV_PID"
	check "$s both modes: exit 1 (got $?)" test "$?" = 1
	check "$s both modes: dnsmasq's message" grep -qF \
	    "cannot set --bind-interfaces and --bind-dynamic" "$T/$s.both.stderr"
	SRV_PID=

	# --- control: the wildcard cannot start beside the holder
	if server_start "$s" wild; then
		fail "$s wild: started although $HOLD_IP#53 is taken"
	else
		check "$s wild: fails, port 53 in use" grep -qF "$INUSE" \
		    "$T/$s.wild.stderr"
	fi
	server_stop

	# --- bind-dynamic
	if ! server_start "$s" bind-dynamic; then
		fail "$s bind-dynamic: starts beside $HOLD_IP#53 ($(tail -n 2 \
		    "$T/$s.bind-dynamic.stderr" | tr '\n' ' '))"
		server_stop
		continue
	fi
	pass "$s bind-dynamic: starts beside $HOLD_IP#53"
	check "$s bind-dynamic: answered on $SRV_IP (UDP)" \
	    wait_for 5 answered "$SRV_IP"
	check "$s bind-dynamic: answered on $SRV_IP (TCP)" answered +tcp "$SRV_IP"
	check "$s bind-dynamic: answered on $SRV_IP6 (UDP)" answered "$SRV_IP6"
	check "$s bind-dynamic: answered on $SRV_IP6 (TCP)" \
	    answered +tcp "$SRV_IP6"
	check "$s bind-dynamic: $OTHER_IP (not served) connection refused" \
	    refused "$OTHER_IP"
	sockets dyn-start
	check "$s bind-dynamic: $OTHER_IP (not served) refused over TCP" \
	    refused +tcp "$OTHER_IP"
	check "$s bind-dynamic: TFTP from $SRV_IP" fetched "$SRV_IP"
	check "$s bind-dynamic: TFTP to $OTHER_IP refused" tftp_refused "$OTHER_IP"
	# an address added after start
	ip -n "$NS_S" addr add "$NEW_IP/24" dev pxbv0
	check "$s bind-dynamic: added $NEW_IP answered (UDP)" \
	    wait_for 5 answered "$NEW_IP"
	check "$s bind-dynamic: added $NEW_IP answered (TCP)" \
	    answered +tcp "$NEW_IP"
	check "$s bind-dynamic: TFTP from added $NEW_IP" fetched "$NEW_IP"
	check "$s bind-dynamic: listening on $NEW_IP logged" \
	    wait_for 5 log_has "listening on pxbv0(#$IDX): $NEW_IP port 53"
	ip -n "$NS_S" addr add "$NEW_IP6/64" dev pxbv0 nodad
	check "$s bind-dynamic: added $NEW_IP6 answered (UDP)" \
	    wait_for 5 answered "$NEW_IP6"
	check "$s bind-dynamic: added $NEW_IP6 answered (TCP)" \
	    answered +tcp "$NEW_IP6"
	sockets dyn-added
	# removed: its sockets are closed.  The address moves to pxbw0 (not
	# served), so that a socket left open would still get the query
	ip -n "$NS_S" addr del "$NEW_IP/24" dev pxbv0
	ip -n "$NS_S" addr add "$NEW_IP/32" dev pxbw0
	check "$s bind-dynamic: removed $NEW_IP socket closed" \
	    wait_for 5 unbound "$NEW_IP"
	check "$s bind-dynamic: moved $NEW_IP refused (UDP)" refused "$NEW_IP"
	check "$s bind-dynamic: moved $NEW_IP refused (TCP)" \
	    refused +tcp "$NEW_IP"
	check "$s bind-dynamic: TFTP to moved $NEW_IP refused" \
	    tftp_refused "$NEW_IP"
	check "$s bind-dynamic: stopped listening on $NEW_IP logged" \
	    wait_for 5 log_has "stopped listening on pxbv0(#$IDX): $NEW_IP port 53"
	check "$s bind-dynamic: $SRV_IP still answered" answered "$SRV_IP"
	sockets dyn-moved
	# and back
	ip -n "$NS_S" addr del "$NEW_IP/32" dev pxbw0
	ip -n "$NS_S" addr add "$NEW_IP/24" dev pxbv0
	check "$s bind-dynamic: re-added $NEW_IP answered (UDP)" \
	    wait_for 5 answered "$NEW_IP"
	check "$s bind-dynamic: re-added $NEW_IP answered (TCP)" \
	    answered +tcp "$NEW_IP"
	ip -n "$NS_S" addr del "$NEW_IP/24" dev pxbv0
	ip -n "$NS_S" addr del "$NEW_IP6/64" dev pxbv0
	check "$s bind-dynamic: IPv6 $NEW_IP6 socket closed" \
	    wait_for 5 unbound "[$NEW_IP6]"
	# a served address reached through pxbw0 (not served): dnsmasq checks
	# the arrival interface in this mode, over UDP and TCP
	ip -n "$NS_C" route add "$SRV_IP/32" via "$OTHER_IP" dev pxbw1
	check "$s bind-dynamic: $SRV_IP via pxbw0 not answered (UDP)" \
	    never_answered "$SRV_IP"
	check "$s bind-dynamic: $SRV_IP via pxbw0 not answered (TCP)" \
	    never_answered +tcp "$SRV_IP"
	ip -n "$NS_C" route del "$SRV_IP/32" via "$OTHER_IP" dev pxbw1
	# an interface= interface created after start (as libvirt's virbr0)
	check "$s bind-dynamic: pxbn0 does not currently exist (warned)" \
	    log_has "warning: interface pxbn0 does not currently exist"
	ip link add pxbn0 netns "$NS_S" type veth peer name pxbn1 \
	    netns "$NS_C"
	ip -n "$NS_S" addr add "$LATE_IP/25" dev pxbn0
	ip -n "$NS_C" addr add 203.0.113.130/25 dev pxbn1
	ip -n "$NS_S" link set pxbn0 up
	ip -n "$NS_C" link set pxbn1 up
	nidx=$(ip -n "$NS_S" -o link show pxbn0 | sed -n 's/^\([0-9]*\):.*/\1/p')
	check "$s bind-dynamic: new pxbn0's $LATE_IP answered (UDP)" \
	    wait_for 5 answered "$LATE_IP"
	check "$s bind-dynamic: new pxbn0's $LATE_IP answered (TCP)" \
	    answered +tcp "$LATE_IP"
	check "$s bind-dynamic: listening on pxbn0 logged" wait_for 5 \
	    log_has "listening on pxbn0(#$nidx): $LATE_IP port 53"
	ip -n "$NS_S" link del pxbn0
	check "$s bind-dynamic: pxbn0 deleted, its socket closed" \
	    wait_for 5 unbound "$LATE_IP"
	check "$s bind-dynamic: stopped listening on pxbn0 logged" wait_for 5 \
	    log_has "stopped listening on pxbn0(#$nidx): $LATE_IP port 53"
	check "$s bind-dynamic: still running" kill -0 "$SRV_PID"
	server_stop

	# --- bind-dynamic: which addresses (compared with dnsmasq's below)
	for m in dyn-except dyn-la; do
		check "$s $m: starts" server_start "$s" "$m"
		check "$s $m: answered on $SRV_IP" wait_for 5 answered "$SRV_IP"
		sockets "$m"
		server_stop
	done

	# --- TFTP alone: its sockets follow the addresses
	if check "$s tftp-only: starts" server_start "$s" tftp-only; then
		check "$s tftp-only: TFTP from $SRV_IP" fetched "$SRV_IP"
		ip -n "$NS_S" addr add "$NEW_IP/24" dev pxbv0
		check "$s tftp-only: TFTP from added $NEW_IP" \
		    wait_for 5 fetched "$NEW_IP"
		sockets tftp-added
		ip -n "$NS_S" addr del "$NEW_IP/24" dev pxbv0
		ip -n "$NS_S" addr add "$NEW_IP/32" dev pxbw0
		check "$s tftp-only: removed $NEW_IP socket closed" \
		    wait_for 5 unbound "$NEW_IP" 69
		check "$s tftp-only: TFTP to moved $NEW_IP refused" \
		    tftp_refused "$NEW_IP"
		sockets tftp-moved
		ip -n "$NS_S" addr del "$NEW_IP/32" dev pxbw0
	fi
	server_stop

	# --- bind-interfaces: the addresses at start only
	if ! server_start "$s" bind-interfaces; then
		fail "$s bind-interfaces: starts beside $HOLD_IP#53 ($(tail -n 2 \
		    "$T/$s.bind-interfaces.stderr" | tr '\n' ' '))"
		server_stop
		continue
	fi
	pass "$s bind-interfaces: starts beside $HOLD_IP#53"
	check "$s bind-interfaces: answered on $SRV_IP (UDP)" \
	    wait_for 5 answered "$SRV_IP"
	check "$s bind-interfaces: answered on $SRV_IP (TCP)" \
	    answered +tcp "$SRV_IP"
	check "$s bind-interfaces: $OTHER_IP (not served) connection refused" \
	    refused "$OTHER_IP"
	sockets bi-start
	ip -n "$NS_S" addr add "$NEW_IP/24" dev pxbv0
	# (a server following addresses answers within the 2 s)
	check "$s bind-interfaces: added $NEW_IP not answered within 2 s" \
	    never_answered "$NEW_IP"
	check "$s bind-interfaces: added $NEW_IP refused" refused "$NEW_IP"
	sockets bi-added
	ip -n "$NS_S" addr del "$NEW_IP/24" dev pxbv0
	server_stop
done

# debug_lines SERVER: the log-debug lines of its bind-dynamic run, without
# time stamp, name and pid.
# (link-local addresses and interface indexes of pxbn0 change from run
# to run)
debug_lines() {
	sed -n 's/^.*-debug\[[0-9]*\]: //p' "$T/$1.bind-dynamic.log" \
	    "$T/$1.tftp-only.log" |
	    sed -e 's/fe80::[0-9a-f:]*/fe80::LL/' -e 's/(#[0-9]*)/(#N)/'
}
if [[ " $SERVERS " == *" dnsmasq "* && " $SERVERS " == *" pxemasq "* ]]
then
	debug_lines dnsmasq > "$T/debug.dnsmasq"
	debug_lines pxemasq > "$T/debug.pxemasq"
	check "bind-dynamic: log-debug lines equal dnsmasq's ($(wc -l < \
	    "$T/debug.dnsmasq") lines)" test -s "$T/debug.dnsmasq" -a \
	    "$(cat "$T/debug.dnsmasq")" = "$(cat "$T/debug.pxemasq")"
	check "bind-dynamic: pxemasq-debug tag" \
	    grep -q "pxemasq-debug\[" "$T/pxemasq.bind-dynamic.log"
	# (bind-interfaces: pxemasq leaves out IPv6 link-local addresses, D17)
	for k in bi-start bi-added; do
		for f in "$T/sk.$k".*; do
			grep -v "\[fe80:" "$f" > "$f.x"; mv "$f.x" "$f"
		done
	done
	for k in dyn-start dyn-added dyn-moved dyn-except dyn-la \
	    tftp-added tftp-moved bi-start bi-added; do
		check "sockets $k: same as dnsmasq's ($(wc -l < \
		    "$T/sk.$k.dnsmasq") sockets)" test -s "$T/sk.$k.dnsmasq" -a \
		    "$(cat "$T/sk.$k.dnsmasq")" = "$(cat "$T/sk.$k.pxemasq")"
	done
fi

t_stop "$HOLD_PID"
if [ -n "${BIND_KEEP:-}" ]; then
	mkdir -p "$BIND_KEEP" && cp "$T"/*.log "$T"/*.stderr "$T"/sk.* "$BIND_KEEP"/
fi
t_done
