#!/bin/bash
# compat-tests/dump/test.sh - dumpfile= and dumpmask= (issue 10): the
# packets selected by the mask land in a pcap file that tcpdump -r reads,
# as dnsmasq 2.90 writes them.
#
# Two namespaces joined by a veth pair: the server's (pxv0 198.51.100.1/24,
# plus the fake upstream DNS server of compat-tests/dns/upstream.py on
# 127.0.0.1#5353) and the client's (pxv1).  Each server in SERVERS
# (default "dnsmasq pxemasq") runs the same configuration with
# dumpmask=0x900f (DNS client and upstream queries and replies, DHCPv4,
# TFTP); the client takes a udhcpc lease, fetches a 1000-byte file with
# tftp-hpa (RRQ and two DATA blocks) and asks dig for www.example.test.
# Checks: tcpdump -r reads the file and shows DHCP DISCOVER, OFFER,
# REQUEST and ACK, the TFTP RRQ and the DNS query and its forwarded copy;
# the log has one "dumping packet N mask 0xMMMM" line per record; the
# records per mask equal dnsmasq's (DHCP: at least the four of the
# exchange on both, as a retransmitting client may add DISCOVERs); a
# restart appends to the file (numbering goes on, header kept); a file
# with a bad header refuses the start ("bad header in", exit 3).
#
# Env: SERVERS, PXEMASQ (binary), PYTHON (python3), DUMP_KEEP=DIR (copy
# the files there).
set -u
. "$(dirname "$0")/../lib.sh"

SERVERS=${SERVERS:-dnsmasq pxemasq}
PY=${PYTHON:-python3}
t_need compat-tests/dump/deps.txt tcpdump udhcpc tftp dig "$PY"
T=$T_TMP
NS_S=pdps$$
NS_C=pdpc$$
SRV_IP=198.51.100.1
ROOT=$T/root

t_netns_std "$NS_S" "$NS_C" $SRV_IP/24
mkdir -p "$ROOT"
head -c 1000 /dev/urandom > "$ROOT/boot.bin"
chmod -R a+rX "$ROOT"

t_fake_upstream "$NS_S" 127.0.0.1 5353 "$T/upstream"

in_c() { ip netns exec "$NS_C" "$@"; }

# run_server NAME BIN: one daemon, the three clients, stop; leaves
# T/NAME/{log,dump.pcap}.
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
dumpfile=$dir/dump.pcap
dumpmask=0x900f
log-facility=$dir/log
pid-file=$dir/pid
CONF
	if ! t_daemon pid "$NS_S" "$dir/log" "$dir/stderr" \
	    "$bin" -k -C "$dir/conf"; then
		fail "[$name] did not start: $(cat "$dir/stderr")"
		return 1
	fi
	cat > "$T/udhcpc.sh" << 'SH'
#!/bin/sh
exit 0
SH
	chmod 755 "$T/udhcpc.sh"
	in_c timeout 20 udhcpc -i pxv1 -s "$T/udhcpc.sh" -q -n -f -t 5 -T 1 \
	    > "$dir/udhcpc.log" 2>&1
	check "[$name] udhcpc lease" grep -q "lease of" "$dir/udhcpc.log"
	in_c ip addr add 198.51.100.2/24 dev pxv1 2> /dev/null
	rm -f "$T/got.bin"
	in_c timeout 20 tftp $SRV_IP -m octet -c get boot.bin "$T/got.bin" \
	    > /dev/null 2>&1
	check "[$name] tftp download" cmp -s "$ROOT/boot.bin" "$T/got.bin"
	in_c timeout 10 dig +short +tries=1 +time=3 @$SRV_IP \
	    www.example.test A > "$dir/dig.out" 2>&1
	check "[$name] dig answer" grep -qx 203.0.113.10 "$dir/dig.out"
	# the last record (the DNS reply) is logged once written
	wait_for 5 grep -q "mask 0x0002" "$dir/log"
	kill -TERM "$pid" 2> /dev/null
	wait_gone 5 "$pid"
	in_c ip addr flush dev pxv1
	return 0
}

# counts NAME: "MASK COUNT" lines from the log's dumping lines.
counts() {
	sed -n 's/.*dumping packet [0-9]* mask \(0x[0-9a-f]*\)$/\1/p' \
	    "$T/$1/log" | sort | uniq -c | awk '{ print $2, $1 }'
}

for s in $SERVERS; do
	case $s in
	dnsmasq) bin=$(command -v dnsmasq) ;;
	pxemasq) bin=$PXEMASQ ;;
	*) continue ;;
	esac
	run_server "$s" "$bin" || continue
	f=$T/$s/dump.pcap
	tcpdump -r "$f" -n -vv > "$T/$s/tcpdump.txt" 2> "$T/$s/tcpdump.err"
	check "[$s] tcpdump -r reads the file" grep -q "reading from file" \
	    "$T/$s/tcpdump.err"
	check "[$s] link type RAW" grep -q "link-type RAW" "$T/$s/tcpdump.err"
	for m in Discover Offer Request ACK; do
		check "[$s] DHCP $m" grep -q "DHCP-Message.*: $m" \
		    "$T/$s/tcpdump.txt"
	done
	check "[$s] TFTP RRQ" grep -q 'RRQ "boot.bin" octet' "$T/$s/tcpdump.txt"
	check "[$s] DNS query" grep -q "> 0.0.0.0.53: .* A? www.example.test" \
	    "$T/$s/tcpdump.txt"
	check "[$s] DNS upstream query" grep -q "> 127.0.0.1.5353: .* A.*? www.example.test" \
	    "$T/$s/tcpdump.txt"
	check "[$s] no bad checksums" sh -c "! grep -q 'bad.*sum' $T/$s/tcpdump.txt"
	recs=$(tcpdump -r "$f" -n 2> /dev/null | wc -l)
	logged=$(grep -c "dumping packet" "$T/$s/log")
	check "[$s] one log line per record ($recs, $logged)" \
	    test "$recs" = "$logged" -a "$recs" -gt 0
	counts "$s" > "$T/$s/counts"
done

if [ -s "$T/dnsmasq/counts" ] && [ -s "$T/pxemasq/counts" ]; then
	for m in 0x0001 0x0002 0x0004 0x0008 0x8000; do
		a=$(awk -v m=$m '$1 == m { print $2 }' "$T/dnsmasq/counts")
		b=$(awk -v m=$m '$1 == m { print $2 }' "$T/pxemasq/counts")
		check "records of mask $m as dnsmasq's (${a:-0}, ${b:-0})" \
		    test "${a:-0}" = "${b:-0}"
	done
	a=$(awk '$1 == "0x1000" { print $2 }' "$T/dnsmasq/counts")
	b=$(awk '$1 == "0x1000" { print $2 }' "$T/pxemasq/counts")
	check "DHCP records: at least 4 on both (${a:-0}, ${b:-0})" \
	    test "${a:-0}" -ge 4 -a "${b:-0}" -ge 4
fi

# pxemasq only: appending, and the refusals
if [[ " $SERVERS " = *" pxemasq "* ]] && [ -s "$T/pxemasq/dump.pcap" ]; then
	d=$T/pxemasq
	n=$(grep -c "dumping packet" "$d/log")
	mv "$d/log" "$d/log.1"
	t_daemon pid "$NS_S" "$d/log" "$d/stderr" "$PXEMASQ" -k -C "$d/conf"
	in_c ip addr add 198.51.100.2/24 dev pxv1
	in_c timeout 10 dig +short +tries=1 +time=3 @$SRV_IP \
	    www.example.test A > /dev/null 2>&1
	wait_for 5 grep -q "mask 0x0002" "$d/log"
	check "restart: numbering goes on" \
	    grep -q "dumping packet $((n + 1)) mask 0x0001" "$d/log"
	kill -TERM "$pid" 2> /dev/null
	wait_gone 5 "$pid"
	recs=$(tcpdump -r "$d/dump.pcap" -n 2> /dev/null | wc -l)
	check "restart: appended ($recs records)" test "$recs" -gt "$n"
	printf 'not a pcap file at all, no\n' > "$T/bad.pcap"
	sed "s|^dumpfile=.*|dumpfile=$T/bad.pcap|" "$d/conf" > "$T/bad.conf"
	for s in $SERVERS; do
		case $s in
		dnsmasq) bin=$(command -v dnsmasq) ;;
		pxemasq) bin=$PXEMASQ ;;
		*) continue ;;
		esac
		out=$(ip netns exec "$NS_S" timeout 10 "$bin" -k \
		    -C "$T/bad.conf" --log-facility=- 2>&1)
		rc=$?
		check "[$s] bad header: exit 3 ($rc)" test "$rc" = 3
		check "[$s] bad header: message" \
		    grep -q "bad header in $T/bad.pcap" <<< "$out"
	done
fi
[ -n "${DUMP_KEEP:-}" ] && mkdir -p "$DUMP_KEEP" && cp -r "$T"/. "$DUMP_KEEP"
t_done
