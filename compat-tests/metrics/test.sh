#!/bin/bash
# compat-tests/metrics/test.sh - --metrics-listen (issue 10): the
# Prometheus endpoint scraped with curl, its values following what the
# clients did.
#
# Two namespaces joined by a veth pair: the server's (pxv0
# 198.51.100.1/24, plus the fake upstream DNS server of
# compat-tests/dns/upstream.py on 127.0.0.1#5353) and the client's (pxv1).
# pxemasq serves DHCP, TFTP and DNS with --metrics-listen=9153 (loopback).
# Checks: the exposition text parses (every line "# HELP", "# TYPE" or
# "name{labels} value", each sample's name declared by a TYPE line first,
# no series twice); after a udhcpc lease (a PXE client, arch 7) the range
# has one lease in use and the arch-7 OFFER and ACK are counted; after a
# tftp download the transfer, its bytes and a file-not-found failure;
# after two digs one forwarded query, one cache hit, the upstream's
# counters; 404, 405, 431 answers; at most 4 connections (a fifth is
# closed at once), an idle one closed after 5 s; not reachable from the
# client's namespace on the loopback default, reachable with an explicit
# address; no metrics socket without the option; SIGUSR1 logs the
# metrics line; a port in use refuses the start (exit 2).
#
# Env: PXEMASQ (binary), PYTHON (python3), METRICS_KEEP=DIR (copy the
# files there).
set -u
. "$(dirname "$0")/../lib.sh"

PY=${PYTHON:-python3}
t_need compat-tests/metrics/deps.txt curl udhcpc tftp dig ss "$PY"
T=$T_TMP
NS_S=pmts$$
NS_C=pmtc$$
SRV_IP=198.51.100.1
ROOT=$T/root
URL=http://127.0.0.1:9153/metrics

t_netns_std "$NS_S" "$NS_C" $SRV_IP/24
mkdir -p "$ROOT"
head -c 1000 /dev/urandom > "$ROOT/boot.bin"
chmod -R a+rX "$ROOT"
chmod 777 "$T"

t_fake_upstream "$NS_S" 127.0.0.1 5353 "$T/upstream"

in_s() { ip netns exec "$NS_S" "$@"; }
in_c() { ip netns exec "$NS_C" "$@"; }

cat > "$T/conf" << CONF
interface=pxv0
dhcp-range=198.51.100.50,198.51.100.60,1h
dhcp-leasefile=$T/leases
dhcp-boot=pxelinux.0
enable-tftp
tftp-root=$ROOT
no-resolv
server=127.0.0.1#5353
log-facility=$T/log
pid-file=$T/pid
CONF

# start ARGS...: pxemasq -k with the configuration; sets PID.
PID=
start() {
	: > "$T/log"
	t_daemon PID "$NS_S" "$T/log" "$T/stderr" \
	    "$PXEMASQ" -k -C "$T/conf" "$@"
}
stop() {
	kill -TERM "$PID" 2> /dev/null
	wait_gone 5 "$PID"
}

# scrape NAME: the text into T/NAME.txt; true on HTTP 200.
scrape() {
	in_s curl -s -f -m 5 -o "$T/$1.txt" "$URL"
}

# value FILE SERIES: the value of one series (exact name{labels}), or 0.
value() {
	awk -v s="$2" '$1 == s { v = $2 } END { print v == "" ? 0 : v }' \
	    "$T/$1.txt"
}

# valid FILE: the exposition format check.
valid() {
	"$PY" - "$T/$1.txt" << 'PY'
import re, sys
sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)'
                    r'(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"'
                    r'(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*)\})?'
                    r' [0-9]+(\.[0-9]+)?$')
typed, seen, bad = set(), set(), 0
for n, line in enumerate(open(sys.argv[1]).read().split('\n')[:-1], 1):
    if line.startswith('# HELP '):
        continue
    if line.startswith('# TYPE '):
        f = line.split(' ')
        if len(f) != 4 or f[3] not in ('counter', 'gauge') or f[2] in typed:
            print('bad TYPE line %d: %s' % (n, line)); bad += 1
        typed.add(f[2])
        continue
    m = sample.match(line)
    if not m:
        print('bad line %d: %s' % (n, line)); bad += 1
        continue
    if m.group(1) not in typed:
        print('no TYPE before line %d: %s' % (n, line)); bad += 1
    key = line.rsplit(' ', 1)[0]
    if key in seen:
        print('series twice, line %d: %s' % (n, line)); bad += 1
    seen.add(key)
sys.exit(1 if bad or not seen else 0)
PY
}

# --- off by default ------------------------------------------------------
start
check "starts without the option" kill -0 "$PID"
check "no metrics socket by default" sh -c \
    "! ip netns exec $NS_S ss -ltnH | grep -q ':9153 '"
stop

# --- the endpoint --------------------------------------------------------
start --metrics-listen=9153
check "starts with --metrics-listen=9153" grep -q "metrics on 127.0.0.1#9153" "$T/log"
check "scrape at start" scrape s0
check "format valid at start" valid s0
check "lease gauge at start: 0" test "$(value s0 \
    'pxemasq_dhcp_leases{range="198.51.100.50-198.51.100.60"}')" = 0
check "loopback only: not reachable from the client" sh -c \
    "! ip netns exec $NS_C curl -s -m 3 -o /dev/null http://$SRV_IP:9153/metrics"

cat > "$T/udhcpc.sh" << 'SH'
#!/bin/sh
exit 0
SH
chmod 755 "$T/udhcpc.sh"
in_c timeout 20 udhcpc -i pxv1 -s "$T/udhcpc.sh" -q -n -f -t 5 -T 1 \
    -V PXEClient:Arch:00007:UNDI:003016 -x 0x5d:0007 \
    > "$T/udhcpc.log" 2>&1
check "udhcpc lease" grep -q "lease of" "$T/udhcpc.log"
wait_for 5 grep -sq "DHCPACK" "$T/log"
scrape s1
check "format valid after the lease" valid s1
check "lease gauge: 1 in the range" test "$(value s1 \
    'pxemasq_dhcp_leases{range="198.51.100.50-198.51.100.60"}')" = 1
check "offers counted" test "$(value s1 'pxemasq_dhcp_replies_total{type="offer"}')" -ge 1
check "acks counted: 1" test "$(value s1 'pxemasq_dhcp_replies_total{type="ack"}')" = 1
check "arch 7 ack: 1" test "$(value s1 \
    'pxemasq_dhcp_replies_by_arch_total{type="ack",arch="7"}')" = 1
check "arch 7 offer" test "$(value s1 \
    'pxemasq_dhcp_replies_by_arch_total{type="offer",arch="7"}')" -ge 1
check "full replies counted, no proxy" test "$(value s1 \
    'pxemasq_dhcp_replies_by_mode_total{mode="full"}')" -ge 2 -a \
    "$(value s1 'pxemasq_dhcp_replies_by_mode_total{mode="proxy"}')" = 0
check "DISCOVER received" test "$(value s1 \
    'pxemasq_dhcp_received_total{type="discover"}')" -ge 1

in_c ip addr add 198.51.100.2/24 dev pxv1
in_c timeout 20 tftp $SRV_IP -m octet -c get boot.bin "$T/got.bin" \
    > /dev/null 2>&1
check "tftp download" cmp -s "$ROOT/boot.bin" "$T/got.bin"
in_c timeout 20 tftp $SRV_IP -m octet -c get missing.bin "$T/x.bin" \
    > /dev/null 2>&1
wait_for 5 grep -sq "sent $ROOT/boot.bin" "$T/log"
scrape s2
check "format valid after TFTP" valid s2
check "TFTP transfer completed: 1" test "$(value s2 \
    'pxemasq_tftp_transfers_total{result="completed"}')" = 1
check "TFTP bytes: 1008 (516 + 492)" test "$(value s2 \
    pxemasq_tftp_sent_bytes_total)" -ge 1008
check "TFTP not found: 1" test "$(value s2 \
    'pxemasq_tftp_failures_total{reason="not-found"}')" = 1
check "TFTP active: 0" test "$(value s2 pxemasq_tftp_transfers_active)" = 0

for i in 1 2; do
	in_c timeout 10 dig +short +tries=1 +time=3 @$SRV_IP \
	    www.example.test A > "$T/dig$i.out" 2>&1
done
check "dig answers" grep -qx 203.0.113.10 "$T/dig2.out"
scrape s3
check "format valid after DNS" valid s3
check "DNS queries: 2" test "$(value s3 pxemasq_dns_queries_total)" = 2
check "DNS forwarded: 1" test "$(value s3 pxemasq_dns_forwarded_total)" = 1
check "DNS cache hit: 1" test "$(value s3 pxemasq_dns_cache_hits_total)" = 1
check "DNS cache answer: 1" test "$(value s3 \
    'pxemasq_dns_answers_total{source="cache"}')" = 1
check "upstream queries: 1" test "$(value s3 \
    'pxemasq_dns_upstream_queries_total{server="127.0.0.1#5353"}')" = 1
check "scrapes counted" test "$(value s3 pxemasq_metrics_scrapes_total)" = 4

# --- HTTP edges ---------------------------------------------------------
code() { in_s curl -s -m 5 -o /dev/null -w '%{http_code}' "$@"; }
check "404 for another path" test "$(code http://127.0.0.1:9153/foo)" = 404
check "405 for POST" test "$(code -X POST http://127.0.0.1:9153/metrics)" = 405
check "HEAD: 200" test "$(code -I http://127.0.0.1:9153/metrics)" = 200
check "content type" sh -c "ip netns exec $NS_S curl -s -m 5 -D - -o /dev/null $URL | grep -qi '^Content-Type: text/plain; version=0.0.4'"
big=$(head -c 3000 /dev/zero | tr '\0' a)
check "431 for a long head" test "$(code -H "X-Big: $big" $URL)" = 431

# five idle connections: the fifth is closed at once, the others time out
in_s "$PY" - > "$T/conns.out" 2>&1 << 'PY'
import socket, time
s = []
for i in range(4):
    c = socket.create_connection(('127.0.0.1', 9153), timeout=3)
    s.append(c)
time.sleep(0.3)
c = socket.create_connection(('127.0.0.1', 9153), timeout=3)
try:
    closed = c.recv(1) == b''
except OSError:
    closed = True
print('fifth closed' if closed else 'fifth open')
t0 = time.time()
s[0].settimeout(10)
try:
    closed = s[0].recv(1) == b''
except OSError:
    closed = True
print('idle closed after %.1f s' % (time.time() - t0))
PY
check "fifth connection closed at once" grep -q "fifth closed" "$T/conns.out"
check "idle connection closed by the timeout" grep -Eq "idle closed after [3-6]\." "$T/conns.out"
scrape s4
check "busy refusal counted" test "$(value s4 \
    'pxemasq_metrics_refused_total{reason="busy"}')" -ge 1
check "timeouts counted" test "$(value s4 \
    'pxemasq_metrics_refused_total{reason="timeout"}')" -ge 4
check "still answers after the edges" valid s4

kill -USR1 "$PID"
wait_for 5 grep -q "metrics: .* scrapes" "$T/log"
check "SIGUSR1: metrics line" grep -q "metrics: [0-9]* scrapes" "$T/log"
check "runs as nobody" test "$(proc_field "$PID" Uid | cut -f2)" = \
    "$(id -u nobody)"

# a port in use: start refused, exit 2
printf 'port=0\npid-file=\n' > "$T/busy.conf"
in_s timeout 10 "$PXEMASQ" -k -C "$T/busy.conf" --metrics-listen=9153 \
    --log-facility=- > "$T/busy.out" 2>&1
rc=$?
check "port in use: exit 2 ($rc)" test "$rc" = 2
check "port in use: message" grep -q "failed to create listening socket for metrics on 127.0.0.1#9153" "$T/busy.out"
stop

# --- an explicit address ---------------------------------------------
start --metrics-listen=$SRV_IP:9154
check "explicit address: reachable from the client" \
    in_c curl -s -f -m 5 -o "$T/s5.txt" "http://$SRV_IP:9154/metrics"
check "explicit address: format valid" valid s5
check "lease still counted after restart (lease file)" test "$(value s5 \
    'pxemasq_dhcp_leases{range="198.51.100.50-198.51.100.60"}')" = 1
stop
[ -n "${METRICS_KEEP:-}" ] && mkdir -p "$METRICS_KEEP" &&
	cp -r "$T"/. "$METRICS_KEEP"
t_done
