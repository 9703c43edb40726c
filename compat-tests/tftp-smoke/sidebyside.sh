# compat-tests/tftp-smoke/sidebyside.sh - sourced by test.sh after its
# pxemasq-only part (uses its namespaces, addresses and helpers).
#
# The same cases against dnsmasq 2.90 and pxemasq, one server at a time in
# the same namespaces, each started as root with a config file (drops to
# nobody).  Every case has dnsmasq 2.90's observed answer as its expected
# value; pxemasq must give the same, except where SS_ALLOWED names a
# docs/differences.md entry (checked to contain the phrase).  When both
# ran, pxemasq's recording is also compared with dnsmasq's byte for byte.
#
# Configurations and cases:
#   base       IPv6 (tftp-hpa -6, curl tftp://[..], errors, blksize cap at
#              MTU - 52, reply from the address the request went to), the
#              IPv4 reply source, a PXE-style client that answers the OACK
#              with ERROR 8 then asks again, "sent PATH to ADDR" for IPv6,
#              a link-local client (D16), dhcp-script "tftp" calls (argv
#              and no DNSMASQ_* variables).
#   secure     tftp-secure: a root-owned file refused, the run user's
#              file served.
#   range      tftp-port-range: DATA leaves from a port in the range.
#   single     tftp-single-port: DATA from port 69, IPv4 and IPv6.
#   noblk      tftp-no-blocksize: blksize not in the OACK.
#   max        tftp-max=1: queueing (maxq.py; D16: dnsmasq runs one more).
#   uip        tftp-unique-root=ip: per-client directories, IPv4 and IPv6.
#   umac       tftp-unique-root=mac from the ARP table (IPv6: the
#              neighbour table).
#   udhcp      tftp-unique-root=mac from the DHCP lease table first, and
#              the dhcp-script "tftp" call after lease events.
#   tid6       IPv6: ERROR 5 to a packet from a stranger's port, the
#              transfer goes on.
#   exhaust    tftp-port-range of 2 ports lowers tftp-max to 2; 3
#              transfers at once: the third gets nothing (pxemasq serves
#              it later, D16); with one of the ports taken: "unable to get
#              free port for TFTP".
#   iface6     enable-tftp=lo: requests through pxv0 (IPv6, IPv4) are
#              ignored, ::1 is served.
#   duprrq     the same RRQ twice from one port (IPv4, IPv6): dnsmasq runs
#              two transfers, pxemasq one (D16).
#   retx       never-acknowledged transfers (DATA, OACK, timeout=2): the
#              retransmission times and closing line; pxemasq's as D16
#              gives them, dnsmasq's printed and checked against D16's.
# Env: SERVERS (default "dnsmasq pxemasq"), SS_CASES (default all, in
# the order above).
SERVERS=${SERVERS:-dnsmasq pxemasq}
SS_CASES=${SS_CASES:-base secure range single noblk max uip umac udhcp \
    tid6 exhaust iface6 duprrq retx}
SS_DIR=$(cd "$(dirname "$0")" && pwd)
SS_DOCS=$SS_DIR/../../docs/differences.md
DR=$T/droot
SS_PID=
SRV6LL=fe80::ff:fe00:1

# SS_ALLOWED[case]="EXPECTED;DN;PHRASE"
declare -A SS_ALLOWED=(
	# dnsmasq reads port 69 while tftp-max transfers are active
	# dnsmasq binds the transfer socket to a link-local address
	# without its scope: the kernel refuses, no answer
	[v6-linklocal]="DATA 1 512|FROM $SRV6LL;D16;also to link-local clients"
	[max]="1 SERVED|2 WAITS|3 WAITS|AFTER 2;D16;\`tftp-max\` transfers run at once"
	# a repeated RRQ of a transfer not yet acknowledged is dropped
	# retransmission schedule, an unacknowledged OACK is "sent"
	[retx-plain]="FIRST DATA 1 512|AT +0|AT +1|AT +3|AT +7|AT +15|AT +23|END failed +31;D16;resent at +1, +3, +7, +15 and +23 s, dropped at +31 s"
	[retx-opt]="FIRST OACK blksize=1024|AT +0|AT +1|AT +3|AT +7|AT +15|AT +23|END sent +31;D16;unacknowledged final block or OACK counts as sent"
	[retx-tmo]="FIRST OACK timeout=2|AT +0|AT +2|AT +6|AT +14|AT +22|AT +30|END sent +38;D16;with \`timeout=2\`: resent at +2, +6, +14, +22 and +30 s, dropped at +38 s"
	# the third request waits in the kernel and is served later
	[exhaust]="1 DATA 1 512|2 DATA 1 512|3 NONE|LATE 3 DATA 1 512;D16;\`tftp-max\` transfers run at once"
	[duprrq]="PORTS 1;D16;repeated RRQ"
	[duprrq6]="PORTS 1;D16;repeated RRQ"
)

ss_files() {
	mkdir -p "$DR/$CLI" "$DR/$CLI6" "$DR/02-00-00-00-00-02" \
	    "$DR/02-00-00-00-00-99" || return 1
	cp "$ROOT/f513" "$ROOT/f1m" "$DR/"
	for f in rt-plain rt-opt rt-tmo; do
		head -c 1024 /dev/zero > "$DR/$f"
	done
	echo own > "$DR/own.txt"
	chown nobody "$DR/own.txt"
	echo root > "$DR/u.txt"
	echo ip4 > "$DR/$CLI/u.txt"
	echo ip6 > "$DR/$CLI6/u.txt"
	echo root > "$DR/m.txt"
	echo arp > "$DR/02-00-00-00-00-02/m.txt"
	echo lease > "$DR/02-00-00-00-00-99/m.txt"
	chmod -R a+rX "$DR"
}

# link-local addresses (from the MACs) once out of DAD
ll_ready() {
	! ip -n "$NS_S" -6 addr show dev pxv0 | grep -q tentative &&
	! ip -n "$NS_C" -6 addr show dev pxv1 | grep -q tentative
}

ss_logged() { grep -q "TFTP root is" "$1"; }

# ss_start SRV TAG [CONF-LINE]...: the server with those extra lines.
ss_start() {
	local srv=$1 tag=$2 bin=dnsmasq l
	shift 2
	[ "$srv" = pxemasq ] && bin=$PXEMASQ
	SS_LOG=$T/ss.$srv.$tag.log
	: > "$SS_LOG"
	{
		echo port=0
		echo enable-tftp
		echo "tftp-root=$DR"
		echo "log-facility=$SS_LOG"
		echo "pid-file=$T/ss.$srv.$tag.pid"
		for l in "$@"; do echo "$l"; done
	} > "$T/ss.$srv.$tag.conf"
	ip netns exec "$NS_S" "$bin" -k -C "$T/ss.$srv.$tag.conf" \
	    > "$T/ss.$srv.$tag.out" 2>&1 &
	SS_PID=$!
	t_track "$SS_PID"
	wait_for 10 ss_logged "$SS_LOG"
}

ss_stop() {
	local p keep=()
	[ -n "$SS_PID" ] || return 0
	kill -TERM "$SS_PID" 2> /dev/null
	wait_gone 10 "$SS_PID" || kill -KILL "$SS_PID" 2> /dev/null
	wait "$SS_PID" 2> /dev/null
	for p in "${T_PIDS[@]}"; do
		[ "${p%%:*}" = "$SS_PID" ] || keep+=("$p")
	done
	T_PIDS=("${keep[@]}")
	SS_PID=
}

ss_doc_has() {
	awk -v h="### $1." 'index($0, h) == 1 { on = 1; next }
	    on && /^##/ { exit } on' "$SS_DOCS" | tr '\n' ' ' | tr -s ' ' |
	    grep -qF -- "$2"
}

# ss_expect SRV CASE WANT: the recording $T/ss.SRV.CASE against WANT
# (dnsmasq 2.90's answer; lines joined by "|"), and against dnsmasq's
# recording of this run.
ss_expect() {
	local srv=$1 id=$2 want=$3 got key=''
	if [ "$srv" != dnsmasq ] && [ -n "${SS_ALLOWED[$id]:-}" ]; then
		want=${SS_ALLOWED[$id]%%;*}
		key=${SS_ALLOWED[$id]#*;}
		ss_doc_has "${key%%;*}" "${key#*;}" ||
		    fail "$srv: $id: docs/differences.md ${key%%;*} lacks \"${key#*;}\""
	fi
	got=$(paste -sd'|' "$T/ss.$srv.$id")
	if [ "$got" = "$want" ]; then
		pass "$srv: $id -> $got${key:+ (allowed: ${key%%;*})}"
	else
		fail "$srv: $id -> $got, want $want"
		return
	fi
	if [ "$srv" != dnsmasq ] && [ -z "$key" ] &&
	    [ -f "$T/ss.dnsmasq.$id" ]; then
		check "$srv: $id same as dnsmasq's" \
		    cmp -s "$T/ss.dnsmasq.$id" "$T/ss.$srv.$id"
	fi
}

probe() { cli python3 "$SS_DIR/probe.py" "$@"; }

# ss_fetch SRV CASE CMD...: runs CMD OUTFILE, prints what it fetched.
ss_fetch() {
	local out=$T/out/ss.$1.$2
	rm -f "$out"
	shift 2
	"$@" "$out" > /dev/null 2>&1
	cat "$out" 2> /dev/null
}

# ss_script SRV: a dhcp-script (runs as root) that records its name, its
# arguments and how many DNSMASQ_* variables it got
ss_script() {
	local f=$T/ss-$1/event.sh
	mkdir -p "$T/ss-$1"
	printf '#!/bin/sh\necho "$(basename "$0") $* env=$(env | grep -c ^DNSMASQ_)" >> %s\n' \
	    "$T/ss.$1.script.log" > "$f"
	chmod 755 "$f"
	: > "$T/ss.$1.script.log"
	echo "dhcp-script=$f"
}

# ss_tftp_events SRV: the script's "tftp" lines once N have come
ss_nlines() { [ "$(grep -c " tftp " "$1")" -ge "$2" ]; }
ss_tftp_events() {
	wait_for 10 ss_nlines "$T/ss.$1.script.log" "$2"
	grep " tftp " "$T/ss.$1.script.log"
}

ss_base() {
	local s=$1 o=$T/out/ss.$1
	ss_start "$s" base "$(ss_script "$s")" ||
	    { fail "$s: base: not started"; return; }
	rm -f "$o.f1m"
	cli tftp -6 $SRV6 -m octet -c get f1m "$o.f1m" > /dev/null 2>&1
	check "$s: IPv6 tftp-hpa -6 get f1m" cmp -s "$DR/f1m" "$o.f1m"
	rm -f "$o.f1m"
	cli curl -s -o "$o.f1m" "tftp://[$SRV6]/f1m"
	check "$s: IPv6 curl tftp://[$SRV6]/f1m" cmp -s "$DR/f1m" "$o.f1m"
	probe $SRV6 first nofile > "$T/ss.$s.v6-missing"
	ss_expect "$s" v6-missing \
	    "ERROR 1 file $DR/nofile not found for $CLI6|FROM $SRV6"
	probe $SRV6 first --opt blksize=1468 f513 > "$T/ss.$s.v6-blksize"
	ss_expect "$s" v6-blksize "OACK blksize=1448|FROM $SRV6"
	probe $SRV6B first f513 > "$T/ss.$s.v6-source"
	ss_expect "$s" v6-source "DATA 1 512|FROM $SRV6B"
	wait_for 5 ll_ready
	probe "$SRV6LL%pxv1" first f513 > "$T/ss.$s.v6-linklocal"
	ss_expect "$s" v6-linklocal NONE
	probe $SRVB first f513 > "$T/ss.$s.v4-source"
	ss_expect "$s" v4-source "DATA 1 512|FROM $SRVB"
	probe $SRV pxe f513 > "$T/ss.$s.pxe-error8"
	ss_expect "$s" pxe-error8 \
	    "OACK tsize=513|EXTRA 0|OACK blksize=1024|OK 513"
	check "$s: log: error 8 received" \
	    grep -q "error 8 tsize probe received from $CLI\$" "$SS_LOG"
	check "$s: log: sent PATH to IPv6 address" \
	    grep -q "tftp\[[0-9]*\]: sent $DR/f1m to $CLI6\$" "$SS_LOG"
	# dhcp-script "tftp" events: transfers that ended as "sent" (two
	# downloads, the v6-blksize OACK ended by the client, the PXE
	# probe's OACK ended by ERROR 8, its download); not the transfers
	# ended after a full DATA block (logged "failed sending")
	ss_tftp_events "$s" 5 > "$T/ss.$s.script-tftp"
	ss_expect "$s" script-tftp "$(printf '%s|' \
	    "event.sh tftp 1048576 $CLI6 $DR/f1m env=0" \
	    "event.sh tftp 1048576 $CLI6 $DR/f1m env=0" \
	    "event.sh tftp 513 $CLI6 $DR/f513 env=0" \
	    "event.sh tftp 513 $CLI $DR/f513 env=0" \
	    "event.sh tftp 513 $CLI $DR/f513 env=0" | sed 's/|$//')"
	ss_stop
}

ss_secure() {
	local s=$1
	ss_start "$s" secure tftp-secure ||
	    { fail "$s: secure: not started"; return; }
	probe $SRV first f513 > "$T/ss.$s.secure-root"
	ss_expect "$s" secure-root \
	    "ERROR 2 cannot access $DR/f513: Permission denied|FROM $SRV"
	probe $SRV first own.txt > "$T/ss.$s.secure-own"
	ss_expect "$s" secure-own "DATA 1 4|FROM $SRV"
	ss_stop
}

ss_range() {
	local s=$1 bad
	ss_start "$s" range tftp-port-range=40000,40003 ||
	    { fail "$s: range: not started"; return; }
	probe $SRV ports f513 3 > "$T/ss.$s.range"
	bad=$(awk '$1 != "PORT" || $2 < 40000 || $2 > 40003 { print }
	    END { if (NR != 3) print "count" }' "$T/ss.$s.range")
	check "$s: tftp-port-range: 3 transfers from ports 40000-40003 ($(paste -sd' ' "$T/ss.$s.range"))" \
	    test -z "$bad"
	ss_stop
}

ss_single() {
	local s=$1 o=$T/out/ss.$1.single
	ss_start "$s" single tftp-single-port ||
	    { fail "$s: single: not started"; return; }
	cli python3 - $SRVB > "$T/ss.$s.single4" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3); s.sendto(b'\0\1f513\0octet\0', (sys.argv[1], 69))
d, a = s.recvfrom(2000); print('%s %d %d' % (a[0], a[1], len(d)))
s.sendto(b'\0\5\0\0done\0', a)
PY
	ss_expect "$s" single4 "$SRVB 69 516"
	for a in $SRV6 $SRV6B; do
		cli python3 - $a > "$T/ss.$s.single6-$a" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(3); s.sendto(b'\0\1f513\0octet\0', (sys.argv[1], 69))
d, a = s.recvfrom(2000); print('%s %d %d' % (a[0], a[1], len(d)))
s.sendto(b'\0\5\0\0done\0', a)
PY
		ss_expect "$s" single6-$a "$a 69 516"
	done
	rm -f "$o"
	cli tftp -6 $SRV6 -m octet -c get f1m "$o" > /dev/null 2>&1
	check "$s: single port IPv6 tftp-hpa get f1m" cmp -s "$DR/f1m" "$o"
	ss_stop
}

ss_noblk() {
	local s=$1
	ss_start "$s" noblk tftp-no-blocksize ||
	    { fail "$s: noblk: not started"; return; }
	probe $SRV first --opt blksize=1024 --opt tsize=0 f513 \
	    > "$T/ss.$s.noblk"
	ss_expect "$s" noblk "OACK tsize=513|FROM $SRV"
	ss_stop
}

ss_max() {
	local s=$1
	ss_start "$s" max tftp-max=1 ||
	    { fail "$s: max: not started"; return; }
	cli python3 "$SS_DIR/maxq.py" $SRV > "$T/ss.$s.max" 2>&1
	ss_expect "$s" max "1 SERVED|2 SERVED|3 WAITS|AFTER 3"
	ss_stop
}

ss_uip() {
	local s=$1
	ss_start "$s" uip tftp-unique-root=ip ||
	    { fail "$s: uip: not started"; return; }
	ss_fetch "$s" uip4 cli curl -s "tftp://$SRV/u.txt" -o \
	    > "$T/ss.$s.uip4"
	ss_expect "$s" uip4 ip4
	ss_fetch "$s" uip6 cli curl -s "tftp://[$SRV6]/u.txt" -o \
	    > "$T/ss.$s.uip6"
	ss_expect "$s" uip6 ip6
	probe $SRV first f513 > "$T/ss.$s.uip-missing"
	ss_expect "$s" uip-missing \
	    "ERROR 1 file $DR/$CLI/f513 not found for $CLI|FROM $SRV"
	check "$s: unique-root=ip: log sent PATH" \
	    grep -q "sent $DR/$CLI6/u.txt to $CLI6\$" "$SS_LOG"
	ss_stop
}

ss_umac() {
	local s=$1
	ss_start "$s" umac tftp-unique-root=mac ||
	    { fail "$s: umac: not started"; return; }
	# the server learns the client's MAC (ARP) from the ping's reply
	cli ping -c 1 -W 2 $SRV > /dev/null 2>&1
	ss_fetch "$s" umac cli curl -s "tftp://$SRV/m.txt" -o > "$T/ss.$s.umac"
	ss_expect "$s" umac arp
	# IPv6: the neighbour table (learnt from the ping's reply)
	cli ping -6 -c 1 -W 2 $SRV6 > /dev/null 2>&1
	ss_fetch "$s" umac6 cli curl -s "tftp://[$SRV6]/m.txt" -o \
	    > "$T/ss.$s.umac6"
	ss_expect "$s" umac6 arp
	ss_stop
}

# tftp-unique-root=mac with DHCP: the client's lease (a MAC other than
# its real one, which the ARP table has) decides; dnsmasq's directory
# name is the MAC as lower-case hex pairs joined by '-'.
ss_udhcp() {
	local s=$1
	echo "$(($(date +%s) + 3600)) 02:00:00:00:00:99 $CLI * *" \
	    > "$T/ss.$s.leases"
	ss_start "$s" udhcp "dhcp-range=$CLI,198.51.100.50,12h" \
	    "dhcp-leasefile=$T/ss.$s.leases" tftp-unique-root=mac \
	    "$(ss_script "$s")" ||
	    { fail "$s: udhcp: not started"; return; }
	cli ping -c 1 -W 2 $SRV > /dev/null 2>&1
	ss_fetch "$s" umac-lease cli curl -s "tftp://$SRV/m.txt" -o \
	    > "$T/ss.$s.umac-lease"
	ss_expect "$s" umac-lease lease
	check "$s: unique-root=mac: log sent PATH" grep -q \
	    "sent $DR/02-00-00-00-00-99/m.txt to $CLI\$" "$SS_LOG"
	# the script's tftp event after lease events: dnsmasq's helper
	# leaves their DNSMASQ_* variables set (compared without env=)
	ss_tftp_events "$s" 1 | sed 's/ env=.*//' > "$T/ss.$s.script-lease"
	ss_expect "$s" script-lease \
	    "event.sh tftp 6 $CLI $DR/02-00-00-00-00-99/m.txt"
	ss_stop
}

# Retransmission schedules: three clients at once never acknowledge
# (plain RRQ: DATA 1; blksize: OACK; timeout=2: OACK for pxemasq, DATA 1
# for dnsmasq, which ignores the option).  pxemasq's schedule is asserted
# as docs/differences.md D16 gives it; dnsmasq's is printed next to it
# and checked against D16's "about" figures (+-1 s: it counts whole
# seconds).  Closing line: dnsmasq logs "sent" for an unacknowledged
# OACK (only a full data block outstanding is "failed sending").
ss_retx() {
	local s=$1 v w p=()
	ss_start "$s" retx || { fail "$s: retx: not started"; return; }
	probe $SRV retx --log "$SS_LOG" rt-plain > "$T/ss.$s.retx-plain" &
	p+=($!)
	probe $SRV retx --log "$SS_LOG" --opt blksize=1024 rt-opt \
	    > "$T/ss.$s.retx-opt" &
	p+=($!)
	probe $SRV retx --log "$SS_LOG" --opt timeout=2 rt-tmo \
	    > "$T/ss.$s.retx-tmo" &
	p+=($!)
	wait "${p[@]}"
	for v in plain opt tmo; do
		echo "$s retx-$v: $(paste -sd' ' "$T/ss.$s.retx-$v")"
	done
	if [ "$s" = dnsmasq ]; then
		w='+0 +2 +4 +7 +10 +15 +20|+29'
		for v in plain opt tmo; do
			check "dnsmasq: retx-$v: resends at about $w (D16)" \
			    ss_retx_about "$T/ss.$s.retx-$v" "$w"
		done
		check "dnsmasq: retx-plain: failed" \
		    grep -q '^END failed' "$T/ss.$s.retx-plain"
		check "dnsmasq: retx-opt: unacknowledged OACK logged sent" \
		    grep -q '^END sent' "$T/ss.$s.retx-opt"
		check "dnsmasq: retx-tmo: timeout ignored, DATA 1" \
		    grep -q '^FIRST DATA 1 512' "$T/ss.$s.retx-tmo"
	else
		ss_expect "$s" retx-plain "(D16)"
		ss_expect "$s" retx-opt "(D16)"
		ss_expect "$s" retx-tmo "(D16)"
	fi
	ss_stop
}

# ss_retx_about FILE "T0 T1 ..|END": the AT lines within 1 s of T0 T1 ..
# and the END within 1 s of END.
ss_retx_about() {
	awk -v w="$2" 'BEGIN { n = split(substr(w, 1, index(w, "|") - 1),
	    at, " "); e = substr(w, index(w, "|") + 1) }
	    function off(a, b) { a = a - b; return a < -1 || a > 1 }
	    $1 == "AT" { if (++i > n || off($2, at[i])) bad = 1 }
	    $1 == "END" { if (off($3, e)) bad = 1; end = 1 }
	    END { exit (bad || !end || i != n) }' "$1"
}

# IPv6: a packet from another port to a transfer's port gets ERROR 5
# from that port's address; the transfer goes on.
ss_tid6() {
	local s=$1
	ss_start "$s" tid6 || { fail "$s: tid6: not started"; return; }
	probe $SRV6 tid f513 > "$T/ss.$s.tid6"
	ss_expect "$s" tid6 \
	    "ERROR 5 ignoring packet from $CLI6 (TID mismatch)|FROM $SRV6|NEXT DATA 2 1"
	ss_stop
}

# tftp-port-range of 2 ports: both servers lower tftp-max to 2.  Three
# transfers at once: the third gets nothing (dnsmasq reads it and has no
# port left; pxemasq leaves it queued and serves it once one ends, D16).
# Then with port 40011 taken by another program: the second of two
# transfers gets nothing and "unable to get free port for TFTP" (both).
ss_exhaust() {
	local s=$1 bp
	ss_start "$s" exhaust tftp-port-range=40010,40011 ||
	    { fail "$s: exhaust: not started"; return; }
	check "$s: log: tftp-max lowered to the port range" grep -q \
	    "tftp\[[0-9]*\]: restricting maximum simultaneous TFTP transfers to 2\$" "$SS_LOG"
	probe $SRV conc f513 3 > "$T/ss.$s.exhaust"
	ss_expect "$s" exhaust "1 DATA 1 512|2 DATA 1 512|3 NONE"
	wait_for 5 ss_ports_free
	rm -f "$T/ss.blocker"
	ip netns exec "$NS_S" timeout 30 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 40011))
open(sys.argv[1], "w").close()
time.sleep(30)' "$T/ss.blocker" &
	bp=$!
	wait_for 5 test -e "$T/ss.blocker"
	probe $SRV conc f513 2 > "$T/ss.$s.noport"
	ss_expect "$s" noport "1 DATA 1 512|2 NONE"
	check "$s: log: unable to get free port for TFTP" \
	    grep -q "tftp\[[0-9]*\]: unable to get free port for TFTP\$" \
	    "$SS_LOG"
	kill "$bp" 2> /dev/null
	wait "$bp" 2> /dev/null
	ss_stop
}

# no UDP socket on 40010-40011 in the server's namespace
ss_ports_free() {
	! ip netns exec "$NS_S" ss -Huan | grep -q ':4001[01] '
}

# enable-tftp=lo: IPv6 (and IPv4) requests through pxv0 are ignored,
# ::1 inside the server's namespace is served.
ss_iface6() {
	local s=$1
	ss_start "$s" iface6 enable-tftp=lo ||
	    { fail "$s: iface6: not started"; return; }
	probe --wait 1.5 $SRV6 first f513 > "$T/ss.$s.iface6-other"
	ss_expect "$s" iface6-other NONE
	probe --wait 1.5 $SRV first f513 > "$T/ss.$s.iface4-other"
	ss_expect "$s" iface4-other NONE
	ip netns exec "$NS_S" timeout 20 python3 "$SS_DIR/probe.py" ::1 \
	    first f513 > "$T/ss.$s.iface6-lo"
	ss_expect "$s" iface6-lo "DATA 1 512|FROM ::1"
	ss_stop
}

# The same RRQ twice from one port before any answer: dnsmasq starts a
# second transfer from a second port, pxemasq drops the copy (D16).
ss_duprrq() {
	local s=$1
	ss_start "$s" duprrq || { fail "$s: duprrq: not started"; return; }
	probe $SRV dup f513 > "$T/ss.$s.duprrq"
	ss_expect "$s" duprrq "PORTS 2"
	probe $SRV6 dup f513 > "$T/ss.$s.duprrq6"
	ss_expect "$s" duprrq6 "PORTS 2"
	ss_stop
}

if ! command -v dnsmasq > /dev/null; then
	SERVERS=pxemasq
	echo "SKIP: dnsmasq not installed: pxemasq only"
fi
ss_files || fail "side by side: cannot create the files"
for s in $SERVERS; do
	for c in $SS_CASES; do
		"ss_$c" "$s"
	done
done
