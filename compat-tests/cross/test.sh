#!/bin/bash
# compat-tests/cross/test.sh - the arm64 build of pxemasq serving a real
# DHCP client and real TFTP clients (issue 11): build-arm64/pxemasq (make
# cross ARCH=arm64) runs under qemu-user (qemu-aarch64-static, no
# binfmt_misc needed) in its own network namespace on veth pxv0
# (198.51.100.1/24); udhcpc, the same client as in compat-tests/dhcp, asks
# for a lease from another namespace, then tftp-hpa's tftp and curl (the
# clients of compat-tests/tftp) download from the same daemon.
#
# Checks: the emulated daemon starts and drops to nobody as the native one
# does, udhcpc gets a lease with the configured options, the lease file and
# the log record it; files of 0, 513 and 1 MiB + 1 bytes (random) come
# back byte for byte through tftp-hpa (512-byte blocks) and through curl
# with blksize 1468, each with dnsmasq's "sent" log line; SIGTERM ends
# the daemon with status 0.  The TFTP part is skipped (NOTE) without a
# tftp or curl client.
#
# Skipped (a SKIP line, exit 77) when not root, when build-arm64/pxemasq
# or qemu-aarch64-static is absent (scripts/cross-deps.sh, make cross
# ARCH=arm64; make check-cross builds it and then runs this test), or
# without udhcpc.
#
# Env: PXEMASQ_ARM64 (binary), QEMU_AARCH64 (emulator command).
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${PXEMASQ_ARM64:-$TOP/build-arm64/pxemasq}
QEMU=${QEMU_AARCH64:-qemu-aarch64-static}
# The target's loader and libc: the multiarch libc6:arm64 when present
# (scripts/check-cross.sh says why), else the cross toolchain's.
[ -e /lib/aarch64-linux-gnu/libc.so.6 ] || QEMU="$QEMU -L /usr/aarch64-linux-gnu"

skip() {
	echo "SKIP: cross: $*"
	exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
[ -x "$BIN" ] || skip "no $BIN (make cross ARCH=arm64)"
command -v "${QEMU%% *}" > /dev/null ||
    skip "no ${QEMU%% *} (apt-get install qemu-user-static)"
command -v udhcpc > /dev/null || skip "no udhcpc (compat-tests/dhcp/deps.txt)"

T=$T_TMP
NS_S=pxas$$
NS_C=pxac$$
T_NETNS+=("$NS_S" "$NS_C")
NET=198.51.100
SRV_IP=$NET.1
SRV_MAC=02:00:00:00:00:01
CLI_MAC=02:00:00:00:00:02
START=$SECONDS

eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (got '$2', want '$3')"; fi
}

if ! t_netns_pair "$NS_S" "$NS_C" pxv0 pxv1 "$SRV_MAC" "$SRV_IP/24"; then
	fail "network namespaces"
	t_done
	exit
fi

cat > "$T/arm64.conf" << CONF
port=0
interface=pxv0
log-dhcp
no-ping
domain=example.test
dhcp-range=$NET.50,$NET.150,255.255.255.0,1h
dhcp-option=option:dns-server,$NET.53
enable-tftp
tftp-root=$T/tftp
CONF
SRV=$T/srv
mkdir -p "$SRV"
chmod 777 "$SRV"
# TFTP files: empty, one byte past a block, one byte past 1 MiB.
mkdir -p "$T/tftp"
: > "$T/tftp/empty.bin"
head -c 513 /dev/urandom > "$T/tftp/small.bin"
head -c 1048577 /dev/urandom > "$T/tftp/big.bin"
chmod 755 "$T/tftp"
chmod 644 "$T/tftp"/*.bin

# qemu-user lacks SOL_PACKET socket options (sockopt_shim.c says why and
# what follows); the shim is built for arm64 when the toolchain is there.
SHIM=
if command -v aarch64-linux-gnu-gcc > /dev/null &&
    aarch64-linux-gnu-gcc -O2 -shared -fPIC -o "$T/sockopt_shim.so" \
    "$HERE/sockopt_shim.c" 2> "$T/shim.err"; then
	chmod 755 "$T/sockopt_shim.so"
	SHIM="-E LD_PRELOAD=$T/sockopt_shim.so"
else
	echo "NOTE: no arm64 shim ($(head -n 1 "$T/shim.err" 2> /dev/null)):" \
	    "the daemon cannot open its DHCP socket under qemu-user 7.2"
fi

# The daemon: -k (foreground), started as root, drops to nobody itself.
# shellcheck disable=SC2086
ip netns exec "$NS_S" $QEMU $SHIM "$BIN" -k --conf-file="$T/arm64.conf" \
    --log-facility="$SRV/log" --pid-file="$SRV/pid" \
    --dhcp-leasefile="$SRV/leases" 2>> "$SRV/stderr" &
PID=$!
t_track "$PID"
# Emulation makes start-up slower than native: a generous bound.
if ! wait_for 30 grep -sq "\[$PID\]: started, version" "$SRV/log"; then
	fail "arm64 pxemasq under qemu did not start: $(tail -n 3 "$SRV/stderr" "$SRV/log" 2> /dev/null | tr '\n' ' ')"
	t_done
	exit
fi
pass "arm64 pxemasq started under $QEMU"
check "arm64 pxemasq runs as nobody after start" \
    wait_for 10 sh -c "grep -q '^Uid:[[:space:]]*65534' /proc/$PID/status"

# udhcpc: records what it got, quits after the lease (-q), gives up (-n).
cat > "$T/udh.sh" << SH
#!/bin/sh
env | grep -E '^[a-z][a-z0-9_]*=' | sort > "$T/env.\$1"
exit 0
SH
chmod 755 "$T/udh.sh"
if ip netns exec "$NS_C" timeout 40 udhcpc -i pxv1 -s "$T/udh.sh" -q -n \
    -t 5 -T 3 -f -x hostname:armclient > "$T/udh.out" 2>&1; then
	pass "udhcpc: lease from the arm64 build"
	var() { sed -n "s/^$1=//p" "$T/env.bound" 2> /dev/null; }
	addr=$(var ip)
	case $addr in
	$NET.*) n=${addr##*.}
		check "udhcpc: address $addr in the range" \
		    test "$n" -ge 50 -a "$n" -le 150 ;;
	*) fail "udhcpc: address '$addr' in the range" ;;
	esac
	eq "udhcpc: subnet" "$(var subnet)" 255.255.255.0
	eq "udhcpc: router" "$(var router)" "$SRV_IP"
	eq "udhcpc: dns" "$(var dns)" "$NET.53"
	eq "udhcpc: domain" "$(var domain)" example.test
	eq "udhcpc: lease" "$(var lease)" 3600
	eq "udhcpc: serverid" "$(var serverid)" "$SRV_IP"
	wait_for 10 grep -sq " $addr " "$SRV/leases"
	eq "lease file line (MAC, address, name, client-id)" \
	    "$(grep " $addr " "$SRV/leases" | cut -d' ' -f2-)" \
	    "$CLI_MAC $addr armclient 01:$CLI_MAC"
	check "log: DHCPACK(pxv0) $addr" \
	    grep -q "pxemasq-dhcp\[$PID\]: \([0-9]* \)\?DHCPACK(pxv0) $addr $CLI_MAC armclient" "$SRV/log"
else
	fail "udhcpc: lease from the arm64 build: $(tail -n 3 "$T/udh.out" | tr '\n' ' ')"
	tail -n 15 "$SRV/log" "$SRV/stderr" | sed -e 's/^/    | /'
fi

# TFTP from the client namespace, on the leased address (udhcpc's script
# above only records; a fixed address when the lease failed): byte for
# byte against the served file, and the daemon's "sent" line for it.
cli_ip=${addr:-}
case $cli_ip in $NET.*) ;; *) cli_ip=$NET.200 ;; esac
ip netns exec "$NS_C" ip addr add "$cli_ip/24" dev pxv1
# curl 7.88 fails a 0-byte file when the OACK says tsize 0 and pxemasq
# sends none (compat-tests/tftp): curl gets no tsize option there.
tftp_get() { # CLIENT FILE
	local out=$T/got.$1.$2 o=
	rm -f "$out"
	case $1 in
	tftp-hpa)
		# tftp-hpa exits 0 after an error: its messages count
		ip netns exec "$NS_C" timeout 120 tftp -m binary "$SRV_IP" \
		    -c get "$2" "$out" > "$T/tftp.out" 2>&1 &&
		    ! grep -Eq 'Error code|sendto|timed out' "$T/tftp.out" ;;
	curl)
		[ -s "$T/tftp/$2" ] || o=--tftp-no-options
		# shellcheck disable=SC2086
		ip netns exec "$NS_C" timeout 120 curl -sS $o --tftp-blksize \
		    1468 -o "$out" "tftp://$SRV_IP/$2" > "$T/tftp.out" 2>&1 ;;
	esac || { cat "$T/tftp.out" > "$out.err"; return 1; }
	cmp -s "$out" "$T/tftp/$2" ||
	    { echo "different bytes" > "$out.err"; return 1; }
	wait_for 10 grep -q "pxemasq-tftp\[$PID\]: sent $T/tftp/$2 to $cli_ip\$" \
	    "$SRV/log" || { echo "no 'sent' line in the log" > "$out.err"; return 1; }
}
n_tftp=0
for cl in tftp-hpa curl; do
	bin_cl=${cl%-hpa}
	if ! command -v "$bin_cl" > /dev/null; then
		echo "NOTE: no $bin_cl: TFTP through $cl not checked"
		continue
	fi
	for f in empty.bin small.bin big.bin; do
		n_tftp=$((n_tftp + 1))
		if tftp_get "$cl" "$f"; then
			pass "tftp: $f ($(stat -c %s "$T/tftp/$f") bytes) via $cl, same bytes, logged"
		else
			fail "tftp: $f via $cl: $(tr '\n' ' ' < "$T/got.$cl.$f.err" 2> /dev/null)"
		fi
	done
done
[ $n_tftp -gt 0 ] || echo "NOTE: no TFTP client: no TFTP download checked"

kill -TERM "$PID" 2> /dev/null
if wait_gone 20 "$PID"; then
	wait "$PID"
	eq "SIGTERM: exit status" "$?" 0
else
	fail "SIGTERM: arm64 pxemasq still running after 20 s"
	kill -KILL "$PID" 2> /dev/null
fi
echo "cross: $((SECONDS - START)) s, $BIN under $QEMU"
t_done
