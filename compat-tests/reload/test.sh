#!/bin/bash
# compat-tests/reload/test.sh - --reload-config (issue 9): SIGHUP re-reads
# the main configuration.  The daemon runs in a namespace (198.51.100.1 on
# pxv0; DHCP, TFTP, DNS on port 5353); the client namespace runs udhcpc,
# slowget.py (a TFTP download held open across the SIGHUP) and dig.
#   (1) dhcp-boot and the dhcp-range lease time changed and a dhcp-host
#       added: the next reply has them, the download in flight completes
#       byte for byte, the lease survives in the lease file;
#   (2) a broken file: the error is logged with its line, the running
#       configuration stays;
#   (3) port changed: "needs a restart" logged, DNS still on the old port;
#   (4) without --reload-config SIGHUP keeps dnsmasq's meaning: the main
#       file is not re-read.
set -u
. "$(dirname "$0")/../lib.sh"

t_need scripts/deps.sh udhcpc dig python3
T=$T_TMP
NS_S=prs$$
NS_C=prc$$
SRV=198.51.100.1
CLI_MAC=02:00:00:00:00:02
HERE=$(cd "$(dirname "$0")" && pwd)

t_netns_std "$NS_S" "$NS_C" $SRV/24
ip -n "$NS_C" addr add 198.51.100.2/24 dev pxv1	# for TFTP and DNS

mkdir -p "$T/root" "$T/udh"
head -c 1048576 /dev/urandom > "$T/root/big"
chmod -R a+rX "$T/root"
touch "$T/leases"
chown nobody "$T/leases" 2> /dev/null

# conf BOOT LEASETIME PORT [EXTRA...]: the main file
conf() {
	local boot=$1 lt=$2 port=$3
	shift 3
	{
		echo "port=$port"
		echo "address=/boot.test/198.51.100.9"
		echo "dhcp-range=198.51.100.100,198.51.100.150,255.255.255.0,$lt"
		echo "dhcp-boot=$boot"
		echo "enable-tftp"
		echo "tftp-root=$T/root"
		echo "dhcp-leasefile=$T/leases"
		echo "log-facility=$T/log"
		echo "pid-file=$T/pid"
		for l in "$@"; do echo "$l"; done
	} > "$T/main.conf.new"
	mv "$T/main.conf.new" "$T/main.conf"
}

t_udhcpc_script "$T/udh"
udh_run() {
	rm -f "$T"/udh/env.*
	ip netns exec "$NS_C" timeout 20 udhcpc -i pxv1 -s "$T/udh/script" \
	    -q -n -t 3 -T 1 -f > "$T/udh/out" 2>&1
}
udh_var() { sed -n "s/^$1=//p" "$T/udh/env.bound" 2> /dev/null; }
eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi
}
logn() { grep -c "$1" "$T/log" 2> /dev/null; }
# hup PATTERN: SIGHUP, then wait until PATTERN has one more log line
hup() {
	local n
	n=$(logn "$1")
	kill -HUP "$PID"
	wait_for 10 sh -c "[ \$(grep -c '$1' '$T/log') -gt $n ]"
}
start() {
	rm -f "$T/pid"
	ip netns exec "$NS_S" "$PXEMASQ" "$@" -C "$T/main.conf" 2> "$T/stderr"
	check "daemon starts ($*)" test $? = 0
	t_pidfile PID "$T/pid"
	wait_for 5 grep -q "TFTP root is" "$T/log"
}
stop() {
	kill -TERM "$PID" 2> /dev/null
	wait_gone 5 "$PID"
}

# --- (1) live changes -----------------------------------------------------
conf old.efi 1h 5353
start --reload-config
udh_run
eq "lease before the reload" "$(udh_var boot_file)" old.efi
eq "lease time before the reload" "$(udh_var lease)" 3600
ADDR=$(udh_var ip)
check "lease $ADDR in the lease file" grep -q " $ADDR " "$T/leases"

rm -f "$T/half" "$T/go" "$T/big.out"
ip netns exec "$NS_C" timeout 60 python3 "$HERE/slowget.py" $SRV big \
    "$T/big.out" "$T/half" "$T/go" > "$T/slowget.out" 2>&1 &
GETPID=$!
t_track "$GETPID"
wait_for 10 test -e "$T/half"
check "download in flight" test -e "$T/half"

echo "198.51.100.42 newname.test" > "$T/hosts2"
chmod 644 "$T/hosts2"
conf new.efi 2h 5353 "dhcp-host=$CLI_MAC,198.51.100.77" "addn-hosts=$T/hosts2"
hup "read $T/hosts2"
check "SIGHUP re-read the main file" grep -q "reloading the configuration" "$T/log"
touch "$T/go"
wait "$GETPID"
check "download across the reload completes" test $? = 0
check "download byte for byte" cmp -s "$T/root/big" "$T/big.out"
check "lease survives the reload (lease file)" grep -q " $ADDR " "$T/leases"
udh_run
eq "new dhcp-boot after the reload" "$(udh_var boot_file)" new.efi
eq "new dhcp-range lease time" "$(udh_var lease)" 7200
eq "new dhcp-host address" "$(udh_var ip)" 198.51.100.77
check "no reload error" sh -c "! grep -q 'reload failed' '$T/log'"
out=$(ip netns exec "$NS_C" timeout 10 dig +short +tries=2 +time=2 -p 5353 @$SRV newname.test A 2>&1)
eq "a new addn-hosts file read at the same SIGHUP" "$out" 198.51.100.42
check "log order: reloading, then the hosts files" sh -c \
    "grep -n 'reloading the configuration\|read $T/hosts2' '$T/log' | head -n 2 | grep -q -A1 reloading"

# --- (2) a broken file -------------------------------------------------------
conf broken.efi 1h 5353 "dhcp-host=$CLI_MAC,198.51.100.77" \
    "dhcp-range=198.51.100.200,bogus"
BADLINE=$(wc -l < "$T/main.conf")
hup "configuration reload failed"
check "error logged with its line" grep -q \
    "configuration reload failed, keeping the running configuration: .* at line $BADLINE of $T/main.conf" "$T/log"
udh_run
eq "old configuration kept after the error" "$(udh_var boot_file)" new.efi
check "still running after the error" kill -0 "$PID"

# --- (3) a restart-only option ------------------------------------------------
conf new2.efi 2h 5354 "dhcp-host=$CLI_MAC,198.51.100.77"
hup "needs a restart"
check "port: needs a restart logged" grep -q \
    "configuration reload: port changed, the new value needs a restart; keeping the running one" "$T/log"
out=$(ip netns exec "$NS_C" timeout 10 dig +short +tries=2 +time=2 -p 5353 @$SRV boot.test A 2>&1)
eq "DNS still answers on the running port" "$out" 198.51.100.9
udh_run
eq "the rest of the file applied" "$(udh_var boot_file)" new2.efi
stop

# --- (4) without --reload-config ------------------------------------------------
conf plain.efi 1h 5353
start
conf changed.efi 1h 5353
NRELOAD=$(logn "reloading the configuration")
hup "read "
kill -USR1 "$PID"
wait_for 5 grep -q "uptime" "$T/log"
udh_run
eq "without --reload-config the main file is not re-read" \
    "$(udh_var boot_file)" plain.efi
check "without --reload-config: no reload line" sh -c \
    "[ \$(grep -c 'reloading the configuration' '$T/log') = $NRELOAD ]"
stop
t_done
