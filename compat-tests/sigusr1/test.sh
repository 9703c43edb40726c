#!/bin/bash
# compat-tests/sigusr1/test.sh - the statistics SIGUSR1 writes to the log
# (issue 10), as a differential against dnsmasq 2.90.
#
# Two namespaces joined by a veth pair: the server's (pxv0 198.51.100.1/24,
# plus the fake upstream DNS server of compat-tests/dns/upstream.py on
# 127.0.0.1#5353) and the client's (pxv1).  Each server in SERVERS
# (default "dnsmasq pxemasq") runs one configuration serving DHCP, TFTP
# and DNS; the client takes a udhcpc lease, fetches a file with tftp-hpa
# and asks dig twice for one name (forwarded, then from the cache); then
# SIGUSR1.  Checks: every line dnsmasq writes for SIGUSR1 (its shape:
# numbers replaced by N) is written by pxemasq too, except the ones
# docs/differences.md D19 lists (DNSSEC and pool-memory lines of a
# DNSSEC build); the DNS numbers are right (queries forwarded 1, answered
# locally 1 (the cache), server 127.0.0.1#5353 queries sent 1); pxemasq's
# own lines: DHCP offers/acks, TFTP transfers and bytes, drops by reason
# when non-zero; with port=0 dnsmasq writes nothing and pxemasq still
# writes its DHCP and TFTP lines.
#
# Env: SERVERS, PXEMASQ (binary), PYTHON (python3), STATS_KEEP=DIR.
set -u
. "$(dirname "$0")/../lib.sh"

SERVERS=${SERVERS:-dnsmasq pxemasq}
PY=${PYTHON:-python3}
t_need compat-tests/sigusr1/deps.txt udhcpc tftp dig "$PY"
T=$T_TMP
NS_S=pus$$
NS_C=puc$$
SRV_IP=198.51.100.1
ROOT=$T/root

t_netns_std "$NS_S" "$NS_C" $SRV_IP/24
mkdir -p "$ROOT"
head -c 1000 /dev/urandom > "$ROOT/boot.bin"
chmod -R a+rX "$ROOT"

t_fake_upstream "$NS_S" 127.0.0.1 5353 "$T/upstream"

in_c() { ip netns exec "$NS_C" "$@"; }
cat > "$T/udhcpc.sh" << 'SH'
#!/bin/sh
exit 0
SH
chmod 755 "$T/udhcpc.sh"

# usr1_lines NAME: the lines after "time N" (the SIGUSR1 block) without
# the syslog prefix.
usr1_lines() {
	sed -n '/\]: time [0-9]*$/,$p' "$T/$1/log" |
	    sed 's/^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* //' |
	    grep -v "exiting on receipt"
}

# run_server NAME BIN EXTRA: one daemon, the clients, SIGUSR1, stop.
run_server() {
	local name=$1 bin=$2 dir=$T/$1 pid
	mkdir -p "$dir"
	chmod 777 "$dir"
	cat > "$dir/conf" << CONF
interface=pxv0
dhcp-range=198.51.100.50,198.51.100.60,1h
dhcp-leasefile=$dir/leases
enable-tftp
tftp-root=$ROOT
no-resolv
server=127.0.0.1#5353
log-facility=$dir/log
pid-file=$dir/pid
$3
CONF
	if ! t_daemon pid "$NS_S" "$dir/log" "$dir/stderr" \
	    "$bin" -k -C "$dir/conf"; then
		fail "[$name] did not start: $(cat "$dir/stderr")"
		return 1
	fi
	in_c timeout 20 udhcpc -i pxv1 -s "$T/udhcpc.sh" -q -n -f -t 5 -T 1 \
	    > "$dir/udhcpc.log" 2>&1
	check "[$name] udhcpc lease" grep -q "lease of" "$dir/udhcpc.log"
	in_c ip addr add 198.51.100.2/24 dev pxv1 2> /dev/null
	rm -f "$T/got.bin"
	in_c timeout 20 tftp $SRV_IP -m octet -c get boot.bin "$T/got.bin" \
	    > /dev/null 2>&1
	check "[$name] tftp download" cmp -s "$ROOT/boot.bin" "$T/got.bin"
	if [ -z "$3" ]; then
		for i in 1 2; do
			in_c timeout 10 dig +short +tries=1 +time=3 @$SRV_IP \
			    www.example.test A > "$dir/dig$i.out" 2>&1
		done
		check "[$name] dig answers" grep -qx 203.0.113.10 "$dir/dig2.out"
	fi
	wait_for 5 grep -q "sent $ROOT/boot.bin" "$dir/log"
	kill -USR1 "$pid"
	# the block ends with the server line (DNS) or our uptime line
	wait_for 5 grep -Eq "server 127.0.0.1#5353: |uptime [0-9]+ s" "$dir/log"
	kill -TERM "$pid" 2> /dev/null
	wait_gone 5 "$pid"
	in_c ip addr flush dev pxv1
	usr1_lines "$name" > "$dir/usr1"
	sed 's/[0-9][0-9]*/N/g' "$dir/usr1" | sed 's/\[N\]//' |
	    sed 's/^pxemasq/dnsmasq/' > "$dir/shapes"
	return 0
}

# D19: lines of a DNSSEC build pxemasq does not write.
allowed() {
	grep -Ev "^dnsmasq: (DNSSEC per-|pool memory in use)"
}

for s in $SERVERS; do
	case $s in
	dnsmasq) bin=$(command -v dnsmasq) ;;
	pxemasq) bin=$PXEMASQ ;;
	*) continue ;;
	esac
	run_server "$s" "$bin" ""
done

P=$T/pxemasq/usr1
if [ -s "$P" ]; then
	check "time line" grep -Eq "^pxemasq\[[0-9]+\]: time [0-9]+$" "$P"
	check "cache line" grep -q "cache size 150, 0/1 cache insertions re-used unexpired cache entries." "$P"
	check "queries line: forwarded 1, answered locally 1" \
	    grep -q "queries forwarded 1, queries answered locally 1$" "$P"
	check "server line: 1 query sent" \
	    grep -q "server 127.0.0.1#5353: queries sent 1, retried 0, failed 0, nxdomain replies 0, avg. latency [0-9]*ms" "$P"
	check "TCP line" grep -q "child processes for TCP requests: in use 0, highest since last SIGUSR1 0, max allowed 20." "$P"
	check "DHCP line (ours)" grep -Eq "pxemasq-dhcp\[[0-9]+\]: DHCP: 1 leases, [1-9][0-9]* offers, 1 acks, 0 naks" "$P"
	check "DHCP received line (ours)" grep -Eq "DHCP: received [1-9][0-9]* DISCOVER, 1 REQUEST, 0 DECLINE, 0 RELEASE, 0 INFORM, 0 BOOTP; 0 proxy replies" "$P"
	check "DNS totals line (ours)" grep -q "dns: 2 queries (0 TCP), 0 answered locally, 1 from the cache, 1 forwarded, 1 upstream replies; cache 1 entries, 1 hits, [0-9]* misses" "$P"
	check "TFTP line (ours)" grep -Eq "pxemasq-tftp\[[0-9]+\]: TFTP: 0 transfers active" "$P"
	check "TFTP bytes (ours)" grep -Eq "TFTP: bytes sent: 1008$" "$P"
	check "TFTP transfers completed (ours)" grep -Eq "TFTP: transfers completed: 1$" "$P"
fi
D=$T/dnsmasq/shapes
if [ -s "$D" ] && [ -s "$T/pxemasq/shapes" ]; then
	allowed < "$D" | sort -u > "$T/want"
	sort -u "$T/pxemasq/shapes" > "$T/have"
	missing=$(comm -23 "$T/want" "$T/have")
	check "every dnsmasq SIGUSR1 line is written ($(wc -l < "$T/want") shapes)" \
	    test -z "$missing"
	[ -n "$missing" ] && echo "missing: $missing"
fi

# port=0: dnsmasq writes nothing, pxemasq its DHCP and TFTP lines
for s in $SERVERS; do
	case $s in
	dnsmasq) bin=$(command -v dnsmasq) ;;
	pxemasq) bin=$PXEMASQ ;;
	*) continue ;;
	esac
	mv "$T/$s" "$T/$s.dns"
	run_server "$s" "$bin" "port=0"
done
if [[ " $SERVERS " = *" dnsmasq "* ]] && [ -d "$T/dnsmasq" ]; then
	check "port=0: dnsmasq writes no statistics" \
	    sh -c "! grep -q 'queries forwarded' '$T/dnsmasq/log'"
fi
if [ -s "$T/pxemasq/usr1" ]; then
	check "port=0: pxemasq writes no DNS lines" \
	    sh -c "! grep -q 'queries forwarded' '$T/pxemasq/usr1'"
	check "port=0: pxemasq writes its DHCP line" \
	    grep -q "DHCP: 1 leases" "$T/pxemasq/usr1"
fi
[ -n "${STATS_KEEP:-}" ] && mkdir -p "$STATS_KEEP" &&
	cp -r "$T"/. "$STATS_KEEP"
t_done
