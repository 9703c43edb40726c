#!/bin/bash
# compat-tests/tftp/test.sh - the TFTP server against real clients and as a
# differential against dnsmasq 2.90 (issue 6, "Tests").
#
# Every part runs against each server named in SERVERS (default
# "dnsmasq pxemasq"; pxemasq is skipped with a SKIP line while its binary
# has no TFTP server).  The server runs in its own network namespace on veth
# ttv0 (198.51.100.1/24), the clients in another one on ttv1
# (198.51.100.2/24).  The server is started as a user would start it:
# `-k --port=0 --enable-tftp --tftp-root=ROOT` (no DHCP, no DNS), as root,
# dropping to nobody itself.
#
# (1) Downloads: tftp-hpa `tftp` (512-byte blocks), `atftp` with blksize
#     1468 + windowsize 16, `atftp` with windowsize 4 at 512, and
#     `curl tftp://` fetch files of 0, 511, 512, 513 bytes, 1 MiB, 40 MiB
#     and 32 MiB + 1 (65,537 blocks of 512: block numbers roll over); every
#     file is compared byte for byte with cmp.  Symlinks inside the root
#     are served; netascii (LF -> CR LF) by tftpraw.py and tftp-hpa.
# (2) Refusals: tftpraw.py (a raw client in this directory) sends a fixed
#     list of requests (missing files, WRQ, other modes, traversal names:
#     ../, backslashes, absolute paths out of the root, encoded, doubled
#     slashes, NUL inside, over-long; symlinks out of the root; an
#     unreadable file; directories) and records the first reply; an ERROR
#     must come with the expected code and nothing may follow it (EXTRA 0).
#     Expected results are dnsmasq 2.90's, observed (reference section 5,
#     A.8); pxemasq must give the same code and, when dnsmasq ran in the
#     same run, the same message, except where ALLOWED below says otherwise
#     (each entry names its docs/differences.md entry and a phrase of it).
# (3) Option negotiation: the OACK's options (compared as a set), at MTU
#     1500 and then at MTU 9000 (jumbo veth) for blksize 8192.
# (4) TID: an ACK from a stray port gets ERROR 5 and the transfer goes on.
# The server must still be running after all of it.
#
# Env: SERVERS, PXEMASQ (binary), PYTHON (python3), TFTP_KEEP=DIR (copy the
# recordings and server logs there).
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
DOCS=$HERE/../../docs/differences.md
SERVERS=${SERVERS:-dnsmasq pxemasq}
PY=${PYTHON:-python3}
T=$T_TMP
ROOT=$T/root
NS_S=tts$$
NS_C=ttc$$
T_NETNS+=("$NS_S" "$NS_C")
SRV_IP=198.51.100.1
CLI_IP=198.51.100.2
SRV_PID=
C="ip netns exec $NS_C"

# --- allowed differences ------------------------------------------------------
# ALLOWED[case]="RESULT|DN|PHRASE": pxemasq's expected result for that case
# where it deliberately differs from dnsmasq 2.90; DN is the entry "### DN."
# of docs/differences.md that explains it, and PHRASE a text that entry
# must contain (both checked below, so a renumbered or rewritten entry
# shows up here).  Messages are not compared for these cases.
D=D16
declare -A ALLOWED=(
	# dnsmasq ignores timeout and windowsize (never acknowledged);
	# pxemasq grants windowsize up to 64
	[opt-all]="OACK blksize=1468 timeout=3 tsize=513 windowsize=4|$D|\`windowsize\` (RFC 7440) and \`timeout\`"
	[opt-timeout]="OACK timeout=5|$D|\`timeout\` (RFC 2349) are honoured"
	[opt-window]="OACK windowsize=16|$D|\`windowsize\` (RFC 7440)"
	[opt-window-cap]="OACK windowsize=64|$D|at most 64 blocks"
	# dnsmasq turns blksize 0 into 1, caps it at 2263 (its buffer)
	[opt-blk-zero]="DATA 1 512|$D|A value below 8 or not a number is declined"
	[jumbo-8192]="OACK blksize=8192|$D|not by dnsmasq's"
	# dnsmasq answers tsize in octet mode only, and "tsize 0" for an
	# empty file
	[opt-netascii-tsize]="OACK tsize=16|$D|\`tsize\` is answered in netascii mode too"
	[opt-tsize0]="DATA 1 0|$D|For an empty file \`tsize\` is not acknowledged"
	# dnsmasq follows symlinks wherever they lead
	[symlink-out]="ERROR 2|$D|a symlink or \`..\` that"
	[symlink-dir-out]="ERROR 2|$D|a symlink or \`..\` that"
)
# Cases sent to pxemasq only (dnsmasq opens a FIFO with a blocking open()
# and hangs for good; it serves device nodes).
PX_ONLY=(fifo device)
declare -A PX_ONLY_EXPECT=(
	[fifo]="ERROR 2|$D|Devices, FIFOs and sockets are never opened"
	[device]="ERROR 2|$D|Devices, FIFOs and sockets are never opened"
)

# --- set-up -------------------------------------------------------------------
if [ "$(id -u)" != 0 ]; then
	echo "tftp: SKIPPED: needs root (network namespaces)"
	exit 0
fi
for c in tftp atftp curl "$PY" dnsmasq; do
	if ! command -v "$c" > /dev/null; then
		echo "tftp: SKIPPED: $c not installed (compat-tests/tftp/deps.txt)"
		exit 0
	fi
done

mk_files() {
	mkdir -p "$ROOT/sub" "$T/outdir" "$T/out" || return 1
	: > "$ROOT/f0"
	head -c 511 /dev/urandom > "$ROOT/f511"
	head -c 512 /dev/urandom > "$ROOT/f512"
	head -c 513 /dev/urandom > "$ROOT/f513"
	head -c 1048576 /dev/urandom > "$ROOT/f1m"
	head -c 41943040 /dev/urandom > "$ROOT/f40m"
	# 65,536 full blocks of 512 and one byte: block 65536 is sent as 0
	head -c 33554433 /dev/urandom > "$ROOT/fwrap"
	printf 'line one\nline 2\n' > "$ROOT/text"
	echo "outside the root" > "$T/outside"
	echo "outside the root too" > "$T/outdir/secret"
	ln -s "$T/outside" "$ROOT/linkout"
	ln -s "$T/outdir" "$ROOT/linkdir"
	ln -s f513 "$ROOT/linkin"
	ln -s ../f1m "$ROOT/sub/linkup"
	head -c 100 /dev/urandom > "$ROOT/private"
	chmod 600 "$ROOT/private"
	mkfifo "$ROOT/fifo"
	mknod "$ROOT/device" c 1 5		# /dev/zero
	chmod 755 "$ROOT" "$ROOT/sub"
}

net_up() {
	t_netns_pair "$NS_S" "$NS_C" ttv0 ttv1 02:00:00:00:00:01 \
	    "$SRV_IP/24" || return 1
	ip -n "$NS_C" addr add "$CLI_IP/24" dev ttv1
}

mtu() {
	ip -n "$NS_S" link set ttv0 mtu "$1" &&
	ip -n "$NS_C" link set ttv1 mtu "$1"
}

port69() {
	ip netns exec "$NS_S" ss -Hlun 'sport = :69' | grep -q .
}

# srv_start NAME: starts the server, waits (bounded) for port 69.
srv_start() {
	local bin=dnsmasq
	[ "$1" = pxemasq ] && bin=$PXEMASQ
	: > "$T/$1.log"
	ip netns exec "$NS_S" "$bin" -k --port=0 --enable-tftp \
	    --tftp-root="$ROOT" --log-facility="$T/$1.log" \
	    --pid-file="$T/$1.pid" > "$T/$1.out" 2>&1 &
	SRV_PID=$!
	t_track "$SRV_PID"
	wait_for 10 port69
}

srv_stop() {
	[ -n "$SRV_PID" ] || return 0
	kill -TERM "$SRV_PID" 2> /dev/null
	wait_gone 10 "$SRV_PID" || kill -KILL "$SRV_PID" 2> /dev/null
	wait "$SRV_PID" 2> /dev/null
	# reaped: off the list that t_cleanup kills at exit (the number may
	# belong to another process by then)
	local p keep=()
	for p in "${T_PIDS[@]}"; do
		[ "${p%%:*}" = "$SRV_PID" ] || keep+=("$p")
	done
	T_PIDS=("${keep[@]}")
	SRV_PID=
}

alive() { kill -0 "$SRV_PID" 2> /dev/null; }

# --- downloads ----------------------------------------------------------------
# dl SRV CLIENT FILE: fetch FILE with CLIENT, compare with the original.
dl() {
	local srv=$1 cl=$2 f=$3 out=$T/out/$2.${3//\//_}
	local err=$out.err
	rm -f "$out"
	case $cl in
	tftp-hpa)
		$C timeout 120 tftp -m binary "$SRV_IP" -c get "$f" "$out" \
		    > "$err" 2>&1 ;;
	atftp-1468w16)
		$C timeout 120 atftp --option "blksize 1468" \
		    --option "windowsize 16" -g -r "$f" -l "$out" "$SRV_IP" \
		    > "$err" 2>&1 ;;
	atftp-w4)
		$C timeout 120 atftp --option "windowsize 4" -g -r "$f" \
		    -l "$out" "$SRV_IP" > "$err" 2>&1 ;;
	atftp-8192)
		$C timeout 120 atftp --option "blksize 8192" -g -r "$f" \
		    -l "$out" "$SRV_IP" > "$err" 2>&1 ;;
	curl)
		# curl 7.88 fails a 0-byte file when the OACK says tsize 0
		# ("getpeername() failed", against dnsmasq too): no options.
		local o=
		[ "$f" = f0 ] && o=--tftp-no-options
		$C timeout 120 curl -sS $o -o "$out" "tftp://$SRV_IP/$f" \
		    > "$err" 2>&1 ;;
	curl-options)
		# with its default options (blksize, tsize) whatever the size
		$C timeout 120 curl -sS -o "$out" "tftp://$SRV_IP/$f" \
		    > "$err" 2>&1 ;;
	esac
	local rc=$? want=$ROOT/$f
	[ "$f" = linkin ] && want=$ROOT/f513
	[ "$f" = sub/linkup ] && want=$ROOT/f1m
	# tftp-hpa exits 0 after an ERROR: its "Error code" line counts
	if [ $rc = 0 ] && ! grep -qi 'error' "$err" &&
	    cmp -s "$want" "$out"; then
		pass "$srv: $cl $f ($(stat -c %s "$want") bytes) identical"
	else
		fail "$srv: $cl $f: exit $rc, $(head -c 200 "$err" | tr '\n' ' ')$(cmp "$want" "$out" 2>&1 | head -c 200)"
	fi
	rm -f "$out"
}

downloads() {
	local f cl
	for cl in tftp-hpa atftp-1468w16 curl; do
		for f in f0 f511 f512 f513 f1m f40m fwrap; do
			dl "$1" "$cl" "$f"
		done
	done
	dl "$1" atftp-w4 f513
	dl "$1" atftp-w4 fwrap
	dl "$1" tftp-hpa linkin
	# pxemasq sends no "tsize 0" (allowed difference tftp-tsize): curl
	# with options gets the empty file too
	[ "$1" = dnsmasq ] || dl "$1" curl-options f0
	dl "$1" curl sub/linkup
	# netascii: LF becomes CR LF on the wire (RFC 764); tftp-hpa undoes it
	$C timeout 30 "$PY" "$HERE/tftpraw.py" "$SRV_IP" get --mode netascii \
	    text "$T/out/na" > "$T/out/na.log" 2>&1
	check "$1: netascii text arrives with CR LF" \
	    cmp -s "$T/out/na" <(sed 's/$/\r/' "$ROOT/text")
	$C timeout 30 tftp -m netascii "$SRV_IP" -c get text "$T/out/na2" \
	    > "$T/out/na2.log" 2>&1
	check "$1: tftp-hpa netascii round trip" cmp -s "$T/out/na2" "$ROOT/text"
}

# --- refusals and negotiation -------------------------------------------------
# norm: the first reply line as a comparable result (OACK pairs sorted);
# the ERROR message goes to $T/msg.
norm() {
	local first
	first=$(head -n 1 "$1")
	case $first in
	"ERROR "*)
		echo "$first" | cut -d' ' -f3- > "$T/msg"
		echo "$first" | cut -d' ' -f1-2 ;;
	"OACK "*)
		echo "OACK $(echo "${first#OACK }" | tr ' ' '\n' | sort |
		    tr '\n' ' ' | sed 's/ $//')" ;;
	*) echo "$first" ;;
	esac
}

# rcase SRV ID DNSMASQ-RESULT TFTPRAW-ARGS...: one request, first reply.
rcase() {
	local srv=$1 id=$2 want=$3 key='' got extra
	shift 3
	if [ "$srv" != dnsmasq ] && [ -n "${ALLOWED[$id]:-}" ]; then
		want=${ALLOWED[$id]%%|*}
		key=${ALLOWED[$id]#*|}
		key=${key%%|*}
	fi
	$C timeout 30 "$PY" "$HERE/tftpraw.py" "$SRV_IP" "$@" \
	    > "$T/r.$srv.$id" 2>&1
	got=$(norm "$T/r.$srv.$id")
	: > "$T/msg.$srv.$id"
	case $got in "ERROR "*) cp "$T/msg" "$T/msg.$srv.$id" ;; esac
	if [ "$got" = "$want" ]; then
		pass "$srv: $id -> $got${key:+ (allowed: $key)}"
	else
		fail "$srv: $id -> $got, want $want${key:+ (allowed: $key)}: $(head -c 300 "$T/msg.$srv.$id")"
		return
	fi
	case $got in
	"ERROR "*)
		extra=$(sed -n 's/^EXTRA //p' "$T/r.$srv.$id")
		check "$srv: $id: nothing after the ERROR" [ "$extra" = 0 ]
		# same message as dnsmasq's (same root, same client)
		if [ "$srv" != dnsmasq ] && [ -z "$key" ] &&
		    [ -f "$T/msg.dnsmasq.$id" ]; then
			check "$srv: $id message \"$(head -c 120 "$T/msg.$srv.$id")\" is dnsmasq's (\"$(head -c 120 "$T/msg.dnsmasq.$id")\")" \
			    cmp -s "$T/msg.dnsmasq.$id" "$T/msg.$srv.$id"
		fi ;;
	esac
}

refusals() {
	local s=$1 R=rcase l600 l1200
	l600=$(printf 'a%.0s' $(seq 600))
	l1200=$(printf 'b%.0s' $(seq 1200))
	$R "$s" missing "ERROR 1" req nofile
	$R "$s" missing-sub "ERROR 1" req sub/nofile
	$R "$s" wrq-new "ERROR 4" req --wrq newfile
	$R "$s" wrq-existing "ERROR 4" req --wrq f513
	$R "$s" wrq-outside "ERROR 4" req --wrq ../newfile
	$R "$s" mode-mail "ERROR 4" req --mode mail f513
	$R "$s" mode-empty "ERROR 4" req --mode "" f513
	$R "$s" name-empty "ERROR 4" req ""
	$R "$s" opcode-9 "ERROR 4" raw 0009
	$R "$s" nul-inside "ERROR 4" raw \
	    "$(printf 'f513\0../outside\0octet\0' | od -An -tx1 | tr -d ' \n' |
	    sed 's/^/0001/')"
	$R "$s" dotdot "ERROR 2" req ../outside
	$R "$s" dotdot-deep "ERROR 2" req sub/../../outside
	$R "$s" dotdot-many "ERROR 2" req ../../../../../../../etc/passwd
	$R "$s" dotdot-in-root "ERROR 2" req sub/../f513
	$R "$s" dotdot-slashes "ERROR 2" req "a//../../outside"
	$R "$s" backslash "ERROR 2" req '..\outside'
	$R "$s" backslash-lead "ERROR 2" req '\..\outside'
	$R "$s" backslash-mixed "ERROR 2" req 'sub\..\..\outside'
	$R "$s" abs-etc "ERROR 1" req /etc/passwd
	$R "$s" abs-out "ERROR 1" req "$T/outside"
	$R "$s" abs-root-dotdot "ERROR 2" req "$ROOT/../outside"
	$R "$s" encoded "ERROR 1" req '%2e%2e/outside'
	$R "$s" encoded-slash "ERROR 1" req '..%2foutside'
	$R "$s" encoded-utf8 "ERROR 1" req "$(printf '\xc0\xae\xc0\xae/outside')"
	$R "$s" long-600 "ERROR 0" req "$l600"
	$R "$s" long-1200 "ERROR 0" req "$l1200"
	$R "$s" symlink-out "DATA 1 17" req linkout
	$R "$s" symlink-dir-out "DATA 1 21" req linkdir/secret
	$R "$s" unreadable "ERROR 2" req private
	$R "$s" dir-dot "ERROR 0" req .
	$R "$s" dir-sub "ERROR 0" req sub
	$R "$s" uppercase "ERROR 1" req F513
	# served: the same file under other spellings (reference A.8)
	$R "$s" abs-root "DATA 1 512" req "$ROOT/f513"
	$R "$s" backslash-root "DATA 1 512" req '\f513'
	$R "$s" double-slash "DATA 1 512" req //f513
	$R "$s" symlink-in "DATA 1 512" req linkin
	$R "$s" mode-case "DATA 1 512" req --mode OcTeT f513
	check "$s: WRQ created nothing" [ ! -e "$ROOT/newfile" ] &&
	    [ ! -e "$T/newfile" ]
	if [ "$s" != dnsmasq ]; then
		local id
		for id in "${PX_ONLY[@]}"; do
			ALLOWED[$id]=${PX_ONLY_EXPECT[$id]}
			$R "$s" "$id" "${PX_ONLY_EXPECT[$id]%%|*}" req "$id"
		done
	fi
}

options() {
	local s=$1 R=rcase
	$R "$s" opt-all "OACK blksize=1468 tsize=513" req --opt blksize=1468 \
	    --opt tsize=0 --opt timeout=3 --opt windowsize=4 f513
	$R "$s" opt-blk-big "OACK blksize=1468" req --opt blksize=9000 f513
	$R "$s" opt-blk-zero "OACK blksize=1" req --opt blksize=0 f513
	$R "$s" opt-blk-case "OACK blksize=1024" req --opt BLKSIZE=1024 f513
	$R "$s" opt-tsize0 "OACK tsize=0" req --opt tsize=0 f0
	$R "$s" opt-timeout "DATA 1 512" req --opt timeout=5 f513
	$R "$s" opt-window "DATA 1 512" req --opt windowsize=16 f513
	$R "$s" opt-window-cap "DATA 1 512" req --opt windowsize=1000 f513
	$R "$s" opt-unknown "DATA 1 512" req --opt foo=bar f513
	$R "$s" opt-netascii-tsize "DATA 1 18" req --mode netascii \
	    --opt tsize=0 text
}

tid() {
	$C timeout 30 "$PY" "$HERE/tftpraw.py" "$SRV_IP" tid f1m \
	    > "$T/tid.$1" 2>&1
	check "$1: stray port gets ERROR 5" grep -qx \
	    "STRAY ERROR 5 ignoring packet from $CLI_IP (TID mismatch)" \
	    "$T/tid.$1"
	check "$1: transfer goes on after the stray packet" \
	    grep -q '^CONTINUE DATA 2 512$' "$T/tid.$1"
}

jumbo() {
	mtu 9000 || { fail "$1: cannot set MTU 9000"; return; }
	rcase "$1" jumbo-8192 "OACK blksize=2263" req --opt blksize=8192 f513
	dl "$1" atftp-8192 f1m
	mtu 1500
}

# doc_entry DN: the text of entry "### DN." of docs/differences.md.
doc_entry() {
	awk -v h="### $1." 'index($0, h) == 1 { on = 1; next }
	    on && /^##/ { exit } on' "$DOCS"
}

docs_keys() {
	local v dn phrase
	while IFS= read -r v; do
		dn=${v#*|}
		phrase=${dn#*|}
		dn=${dn%%|*}
		check "allowed difference: docs/differences.md $dn says \"$phrase\"" \
		    grep -qF -- "$phrase" <(doc_entry "$dn" | tr '\n' ' ' |
		    tr -s ' ')
	done < <(printf '%s\n' "${ALLOWED[@]}" "${PX_ONLY_EXPECT[@]}" | sort -u)
}

# --- main ---------------------------------------------------------------------
mk_files || { fail "cannot create the files"; t_done; exit; }
net_up || { fail "cannot create the namespaces"; t_done; exit; }
for srv in $SERVERS; do
	if [ "$srv" = pxemasq ]; then
		if [ ! -x "$PXEMASQ" ] ||
		    ! "$PXEMASQ" --test --enable-tftp > /dev/null 2>&1 ||
		    ! grep -q 'TID mismatch' "$PXEMASQ"; then
			echo "SKIP: pxemasq: $PXEMASQ has no TFTP server"
			continue
		fi
		docs_keys
	fi
	if ! srv_start "$srv"; then
		fail "$srv: port 69 not bound within 10 s: $(tail -n 3 "$T/$srv.out" "$T/$srv.log" | tr '\n' ' ')"
		srv_stop
		continue
	fi
	refusals "$srv"
	options "$srv"
	tid "$srv"
	downloads "$srv"
	jumbo "$srv"
	check "$srv: still running after all requests" alive
	check "$srv: logged sent PATH to ADDR" \
	    grep -q "tftp\[[0-9]*\]: sent $ROOT/f513 to $CLI_IP\$" "$T/$srv.log"
	srv_stop
done
if [ -n "${TFTP_KEEP:-}" ]; then
	mkdir -p "$TFTP_KEEP" && cp "$T"/r.* "$T"/msg.* "$T"/*.log "$TFTP_KEEP"/
fi
t_done
