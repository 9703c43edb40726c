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
# Env: SERVERS (default "dnsmasq pxemasq").
SERVERS=${SERVERS:-dnsmasq pxemasq}
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
)

ss_files() {
	mkdir -p "$DR/$CLI" "$DR/$CLI6" "$DR/02-00-00-00-00-02" \
	    "$DR/02-00-00-00-00-99" || return 1
	cp "$ROOT/f513" "$ROOT/f1m" "$DR/"
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

if ! command -v dnsmasq > /dev/null; then
	SERVERS=pxemasq
	echo "SKIP: dnsmasq not installed: pxemasq only"
fi
ss_files || fail "side by side: cannot create the files"
for s in $SERVERS; do
	ss_base "$s"
	ss_secure "$s"
	ss_range "$s"
	ss_single "$s"
	ss_noblk "$s"
	ss_max "$s"
	ss_uip "$s"
	ss_umac "$s"
	ss_udhcp "$s"
done
