#!/bin/bash
# compat-tests/pxe/test.sh - PXE against the running daemons (issue 5):
# a scripted PXE client (pxeclient.py on ../dhcp/dhcpraw.py's raw socket)
# in a client namespace plays BIOS and UEFI ROMs (architectures 0, 6, 7, 9,
# 10, 11, 16, 19), iPXE (options 77 and 175) and UEFI HTTP boot clients
# (vendor class HTTPClient) against pxemasq and then dnsmasq 2.90, each
# started with the same configuration in the server namespace (veth pxv0,
# 198.51.100.1/24).  Configurations: plain dhcp-boot, menus with and
# without a prompt, dhcp-match/tagged dhcp-boot per architecture, full
# DHCP and proxy mode (dhcp-range=ADDR,proxy), proxy without any
# pxe-service (inert), iPXE chainloading, relayed PXE clients (giaddr),
# per-host tags, replies that need option overload, dhcp-ignore, server
# names, malformed 43/60/93/97, boot file names over 127 and 255 bytes.
# Each case sends DISCOVER, REQUEST or INFORM on 67 or the boot-server
# REQUEST to port 4011 (from ciaddr or another address, ports 68 and 4011).
#
# Every reply is compared field by field by ../dhcp/compare.py (op,
# addresses, sname, file, flags, payload length, Ethernet/IP/UDP source and
# destination, the option list in order and each option's bytes); a case
# one server answers and the other does not is a difference too.
# Differences are allowed only by allowed-differences.txt, whose rules
# must name an entry of docs/differences.md.  A few absolute expectations
# from reference Appendix A are checked on both recordings.
#
# Env: PXEMASQ (binary), PYTHON (python3), PXE_KEEP=DIR (keep recordings,
# diffs and logs), PXE_ONLY="conf ..." (run only these configurations).
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
DHCP=$HERE/../dhcp
DOCS=$HERE/../../docs/differences.md
PY=${PYTHON:-python3}
T=$T_TMP
NS_S=pxes$$
NS_C=pxec$$
T_NETNS+=("$NS_S" "$NS_C")
SRV_MAC=02:00:00:00:00:01
NET=198.51.100
SRV_IP=$NET.1
SRV=
SRV_PID=
SRV_DIR=
START=$SECONDS

# net_reset: fresh namespaces: no ARP entry, lease or socket survives from
# the previous server.
net_reset() {
	local n
	for n in "$NS_S" "$NS_C"; do
		ip netns delete "$n" 2> /dev/null
	done
	t_netns_pair "$NS_S" "$NS_C" pxv0 pxv1 "$SRV_MAC" "$SRV_IP/24" &&
	    ip -n "$NS_S" route add 203.0.113.0/24 via "$NET.2"
}

# server_start SERVER CONF: pxemasq or dnsmasq in the foreground (-k) in
# the server namespace; waits (bounded) for its "started" line.
server_start() {
	local bin
	SRV=$1
	case $SRV in
	dnsmasq) bin=$(command -v dnsmasq) ;;
	pxemasq) bin=$PXEMASQ ;;
	esac
	SRV_DIR=$(mktemp -d "$T/srv.XXXXXX")
	chmod 777 "$SRV_DIR"
	ip netns exec "$NS_S" "$bin" -k --conf-file="$2" \
	    --log-facility="$SRV_DIR/log" --pid-file="$SRV_DIR/pid" \
	    --dhcp-leasefile="$SRV_DIR/leases" 2>> "$SRV_DIR/stderr" &
	SRV_PID=$!
	t_track "$SRV_PID"
	if ! wait_for 5 grep -sq "\[$SRV_PID\]: started, version" "$SRV_DIR/log"; then
		fail "[$SRV] $(basename "$2"): server did not start: $(tail -n 3 "$SRV_DIR/stderr" "$SRV_DIR/log" 2> /dev/null | tr '\n' ' ')"
		server_stop
		return 1
	fi
}

server_stop() {
	[ -n "$SRV_PID" ] || return 0
	t_stop "$SRV_PID"
	SRV_PID=
}

# mkconf NAME: T/NAME.conf, the common lines, the mode's range and the
# configuration's own lines from pxeclient.py.
mkconf() {
	local mode
	mode=$("$PY" "$HERE/pxeclient.py" conf "$1" | sed -n 's/^# mode: //p')
	{
		case $mode in
		*-dns) printf 'port=53\nno-resolv\nno-hosts\n' ;;
		*) echo "port=0" ;;
		esac
		echo "interface=pxv0"
		echo "log-dhcp"
		echo "no-ping"
		case $mode in
		proxy*) echo "dhcp-range=$NET.0,proxy" ;;
		*) echo "dhcp-range=$NET.50,$NET.150,255.255.255.0,1h" ;;
		esac
		"$PY" "$HERE/pxeclient.py" conf "$1" | grep -v '^# mode: ' |
		    sed "s|@HOSTS@|$T/hosts|"
	} > "$T/$1.conf"
}

# record SERVER CONF OUT: one run of CONF's cases against SERVER.
record() {
	local s=$1 c=$2 out=$3
	net_reset || { fail "[$s] $c: network namespaces"; return 1; }
	server_start "$s" "$T/$c.conf" || return 1
	if ! ip netns exec "$NS_C" timeout 120 "$PY" "$HERE/pxeclient.py" \
	    record "$c" "$out" > "$T/client.err" 2>&1; then
		fail "[$s] $c: pxeclient.py: $(tail -n 3 "$T/client.err" | tr '\n' ' ')"
		server_stop
		return 1
	fi
	if kill -0 "$SRV_PID" 2> /dev/null; then
		pass "[$s] $c: server alive after $(grep -c . "$out") cases"
	else
		fail "[$s] $c: server died during the cases"
	fi
	server_stop
	cp "$SRV_DIR/log" "$T/$c-$s.log"
	cp "$SRV_DIR/stderr" "$T/$c-$s.stderr"
	if [ -n "${PXE_KEEP:-}" ]; then
		mkdir -p "$PXE_KEEP"
		cp "$out" "$T/$c-$s.log" "$T/$c.conf" "$PXE_KEEP/"
	fi
	return 0
}

fld() { "$PY" "$DHCP/compare.py" field "$@"; }

# eq NAME GOT WANT
eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (got '$2', want '$3')"; fi
}

# expect SERVER CONF FILE: absolute expectations (reference Appendix A).
expect() {
	local s=$1 c=$2 f=$3 p="[$1] $2"
	case $c in
	menu)
		eq "$p a2_discover: option 43 (A.2 bytes)" "$(fld "$f" a2_discover opt.43)" \
		    "0601030807800001c63364010927000014426f6f742066726f6d206c6f63616c206469736b80000d496e7374616c6c204c696e75780a170a507265737320463820666f7220626f6f74206d656e75ff"
		eq "$p a2_4011_item0: file, to ciaddr:68 from :4011" \
		    "$(fld "$f" a2_4011_item0 file) $(fld "$f" a2_4011_item0 ip_dst):$(fld "$f" a2_4011_item0 udp_dport) $(fld "$f" a2_4011_item0 udp_sport)" \
		    "pxelinux.0 $NET.107:68 4011"
		eq "$p a2_4011_item_layer1_sport4011: file .1, back to port 4011" \
		    "$(fld "$f" a2_4011_item_layer1_sport4011 file) $(fld "$f" a2_4011_item_layer1_sport4011 udp_dport)" \
		    "pxelinux.1 4011"
		eq "$p a2_4011_local_item: no reply" "$(fld "$f" a2_4011_local_item replies)" 0
		;;
	arch-full)
		eq "$p full_discover_arch7: A.3 no 43, no file" \
		    "$(fld "$f" full_discover_arch7 opt.43)|$(fld "$f" full_discover_arch7 file)|$(fld "$f" full_discover_arch7 opt.60.str)" \
		    "||PXEClient"
		eq "$p full_4011_arch7_item: bootx64.efi" "$(fld "$f" full_4011_arch7_item file)" bootx64.efi
		eq "$p full_discover_arch11: tagged dhcp-boot in 67" \
		    "$(fld "$f" full_discover_arch11 opt.67)" \
		    "$(printf 'arm64/grubaa64.efi' | od -An -tx1 | tr -d ' \n')00"
		;;
	proxy)
		eq "$p proxy_discover_bios_bcast: A.4 broadcast OFFER, no yiaddr" \
		    "$(fld "$f" proxy_discover_bios_bcast eth_dst) $(fld "$f" proxy_discover_bios_bcast ip_dst) $(fld "$f" proxy_discover_bios_bcast yiaddr) $(fld "$f" proxy_discover_bios_bcast opts)" \
		    "ff:ff:ff:ff:ff:ff 255.255.255.255 0.0.0.0 53 54 60 97 43 255"
		eq "$p proxy_discover_not_pxe: no answer" "$(fld "$f" proxy_discover_not_pxe replies)" 0
		eq "$p proxy_request_67_other_server: no answer" "$(fld "$f" proxy_request_67_other_server replies)" 0
		eq "$p proxy_4011_uefi7_no_item: A.4 sname/file/siaddr" \
		    "$(fld "$f" proxy_4011_uefi7_no_item sname) $(fld "$f" proxy_4011_uefi7_no_item file) $(fld "$f" proxy_4011_uefi7_no_item siaddr)" \
		    "$SRV_IP bootx64.efi $SRV_IP"
		eq "$p proxy_4011_uefi7_no_item_sport4011: back to the source port" \
		    "$(fld "$f" proxy_4011_uefi7_no_item_sport4011 ip_dst):$(fld "$f" proxy_4011_uefi7_no_item_sport4011 udp_dport)" \
		    "$NET.107:4011"
		;;
	proxy-inert)
		eq "$p: no answer at all" "$(grep -c '"replies": \[\]' "$f")" 4
		;;
	ipxe)
		eq "$p ipxe_discover: A.5 URL in 67" "$(fld "$f" ipxe_discover opt.67)" \
		    "$(printf 'http://198.51.100.1/boot.ipxe' | od -An -tx1 | tr -d ' \n')00"
		eq "$p http_discover: A.6 60 HTTPClient" "$(fld "$f" http_discover opt.60.str)" HTTPClient
		;;
	malformed)
		eq "$p bad_after_all_alive: answered" "$(fld "$f" bad_after_all_alive replies)" 1
		;;
	longname)
		eq "$p long_discover_prl67: 200-byte name whole in 67" \
		    "$(fld "$f" long_discover_prl67 opt.67 | wc -c)" 403
		eq "$p long_discover_no67: file field cut to 127 bytes" \
		    "$(fld "$f" long_discover_no67 file | wc -c)" 128
		[ "$s" = pxemasq ] && check "$p: start-up warns about the 200-byte name (D15)" \
		    grep -q "warning: dhcp-boot file name longer than 127 bytes is truncated for clients that do not request option 67, and in proxy replies at line 8 of $T/$c.conf" "$T/$c-$s.stderr"
		;;
	longname-edge)
		[ "$s" = pxemasq ] && eq "$p edge_256: first 255 bytes, no NUL (D15)" \
		    "$(fld "$f" edge_256 opt.67 | wc -c)" 511
		;;
	esac
}

# --- main -------------------------------------------------------------------------
t_require dnsmasq "$PY"

# the hosts file of the *-dns configurations (readable after the drop)
# (bootsrv: two addresses; mixsrv: the second is another name's first;
# nrsrv: both addresses are other names' first; bootsrv's repeated line
# and tri's third line rotate them while the file is read)
printf '%s\n' "$NET.9 bootsrv" "$NET.10 bootsrv" "$NET.11 efisrv" \
    "$NET.12 other" "$NET.13 mixsrv" "$NET.12 mixsrv" "$NET.14 a" \
    "$NET.15 b" "$NET.14 nrsrv" "$NET.15 nrsrv" "$NET.9 bootsrv" \
    "$NET.16 tri" "$NET.17 tri" "$NET.18 tri" > "$T/hosts"
chmod 644 "$T/hosts"
CONFS=${PXE_ONLY:-$("$PY" "$HERE/pxeclient.py" names)}
total=0
for c in $CONFS; do
	mkconf "$c"
	rec_ok=1
	for s in pxemasq dnsmasq; do
		record "$s" "$c" "$T/$c-$s.jsonl" || rec_ok=0
	done
	[ $rec_ok = 1 ] || continue
	for s in pxemasq dnsmasq; do
		expect "$s" "$c" "$T/$c-$s.jsonl"
	done
	n=$(grep -c . "$T/$c-dnsmasq.jsonl")
	echo "# $c: dnsmasq answered $(grep -vc '"replies": \[\]' "$T/$c-dnsmasq.jsonl") of $n cases, pxemasq $(grep -vc '"replies": \[\]' "$T/$c-pxemasq.jsonl")"
	total=$((total + n))
	"$PY" "$DHCP/compare.py" diff "$T/$c-dnsmasq.jsonl" "$T/$c-pxemasq.jsonl" \
	    --names dnsmasq,pxemasq --allowed "$HERE/allowed-differences.txt" \
	    --docs "$DOCS" > "$T/diff-$c" 2>&1
	rc=$?
	grep -E '^(DIFF|ALLOWED|ERROR)' "$T/diff-$c"
	[ -n "${PXE_KEEP:-}" ] && cp "$T/diff-$c" "$PXE_KEEP/"
	if [ $rc = 0 ]; then
		pass "$c: pxemasq answers as dnsmasq ($n cases)"
	else
		fail "$c: pxemasq answers as dnsmasq ($(grep -c '^DIFF' "$T/diff-$c") differences in $n cases)"
	fi
	# the log-dhcp lines, in order, without time stamps and pids
	for s in pxemasq dnsmasq; do
		sed -E -n "s/^.{15} $s-dhcp\[[0-9]+\]: //p" "$T/$c-$s.log" > "$T/$c-$s.dl"
	done
	if diff "$T/$c-dnsmasq.dl" "$T/$c-pxemasq.dl" > "$T/logdiff-$c"; then
		pass "$c: pxemasq logs as dnsmasq ($(grep -c . "$T/$c-dnsmasq.dl") DHCP log lines)"
	elif [ "$c" = longname-edge ]; then
		pass "$c: log lines differ only for the option 67 over 255 bytes (D15)"
	else
		fail "$c: pxemasq logs as dnsmasq"
		head -n 20 "$T/logdiff-$c" | cut -c1-160
	fi
done
server_stop
check "no server process left running" test -z "$(pgrep -f -- "$T/")"
echo "pxe: $total exchanges compared, $((SECONDS - START)) s"
t_done
