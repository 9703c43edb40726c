#!/bin/bash
# compat-tests/dhcp/test.sh - the DHCPv4 server against real clients and as
# a differential against dnsmasq 2.90 (issue 4).
#
# Every scenario runs against each server named in SERVERS (default
# "dnsmasq"; SERVERS="dnsmasq pxemasq" adds pxemasq once it serves DHCP).
# The server runs in its own network namespace on veth pxv0
# (198.51.100.1/24), the clients in another one on pxv1 (no address):
# dhclient and udhcpc with scripts that only record what they got, and
# dhcpraw.py, a client that crafts packets byte by byte.
#
# Scenarios: (1) dhclient lease and its options, (2) udhcpc lease,
# (3) dhcp-host reservation, (3b) read-ethers, (3c) dhcp-host address
# from the hosts files, (3d) dhcp-reply-delay, (3e) dhcp-hostsdir read on
# change, (4) RELEASE frees the lease, (5) RENEW keeps
# the address, (6) server restart then INIT-REBOOT keeps the address,
# (7) two clients get two addresses, (8) NAK for a foreign address only
# when dhcp-authoritative, (9) an address answering ping is not offered.
# Raw mode: dhcpraw.py sends a fixed list of crafted packets and records
# each reply; dnsmasq is recorded twice (the comparison must find nothing:
# proof that it is deterministic), every other server is compared with
# dnsmasq by compare.py (differences allowed only through
# allowed-differences.txt, each pointing at docs/differences.md), and
# every recording must meet absolute expectations from the reference
# (Appendix A, section 3).
#
# Env: SERVERS, PXEMASQ (binary), PYTHON (python3), DHCP_KEEP=DIR (copy the
# raw recordings, diffs and server logs there).
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
DOCS=$HERE/../../docs/differences.md
SERVERS=${SERVERS:-dnsmasq pxemasq}
PY=${PYTHON:-python3}
T=$T_TMP
NS_S=pxs$$
NS_C=pxc$$
NS_H=pxh$$
T_NETNS+=("$NS_S" "$NS_C" "$NS_H")
SRV_MAC=02:00:00:00:00:01
CLI_MAC=02:00:00:00:00:02
SQ_MAC=02:00:00:00:00:03
NET=198.51.100
SRV_IP=$NET.1
SRV=
SRV_PID=
SRV_DIR=
START=$SECONDS

# --- network ------------------------------------------------------------------
# net_reset: fresh namespaces (no ARP entries, leases or sockets left over
# from the previous server).  The route to 203.0.113.0/24 serves the relay
# case: its gateway 198.51.100.2 is answered by dhcpraw.py.
net_reset() {
	local n
	for n in "$NS_S" "$NS_C" "$NS_H"; do
		ip netns delete "$n" 2> /dev/null
	done
	for n in "$NS_S" "$NS_C"; do
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		    net.ipv6.conf.default.disable_ipv6=1
	done
	ip link add pxv0 netns "$NS_S" address "$SRV_MAC" type veth \
	    peer name pxv1 netns "$NS_C" address "$CLI_MAC" || return 1
	ip -n "$NS_S" addr add "$SRV_IP/24" dev pxv0
	ip -n "$NS_S" link set pxv0 up
	ip -n "$NS_C" link set pxv1 up
	ip -n "$NS_S" route add 203.0.113.0/24 via "$NET.2"
}

# squatter ADDR: a third namespace holding ADDR on a macvlan of pxv1, so
# that the server's ICMP echo to ADDR is answered.
squatter() {
	ip netns add "$NS_H" || return 1
	ip -n "$NS_C" link add pxh0 link pxv1 address "$SQ_MAC" type macvlan \
	    mode bridge || return 1
	ip -n "$NS_C" link set pxh0 netns "$NS_H"
	ip -n "$NS_H" addr add "$1/24" dev pxh0
	ip -n "$NS_H" link set pxh0 up
	ip -n "$NS_H" link set lo up
}

in_c() { ip netns exec "$NS_C" "$@"; }
raw() { in_c timeout 40 "$PY" "$HERE/dhcpraw.py" --iface pxv1 --server-mac "$SRV_MAC" "$@"; }
fld() { "$PY" "$HERE/compare.py" field "$@"; }

# --- server -----------------------------------------------------------------------
# srv_fresh: a new directory for the log, pid and lease files.
srv_fresh() {
	SRV_DIR=$(mktemp -d "$T/srv.XXXXXX")
	chmod 777 "$SRV_DIR"
}

# server_start SERVER CONF: SERVER (dnsmasq|pxemasq) -k in the server
# namespace with CONF, its files in SRV_DIR; waits for its "started" line.
server_start() {
	local bin
	SRV=$1
	case $SRV in
	dnsmasq) bin=$(command -v dnsmasq) ;;
	pxemasq) bin=$PXEMASQ ;;
	*) fail "unknown server $SRV"; return 1 ;;
	esac
	[ -n "$SRV_DIR" ] || srv_fresh
	if [ -n "${SRV_ETC:-}" ] && [ "$SRV" = dnsmasq ]; then
		# dnsmasq reads /etc/ethers only: SRV_ETC becomes /etc in a
		# private mount namespace (the machine's /etc is untouched)
		ip netns exec "$NS_S" unshare -m --propagation private \
		    sh -c 'mount --bind "$0" /etc && exec "$@"' "$SRV_ETC" \
		    "$bin" -k --conf-file="$2" \
		    --log-facility="$SRV_DIR/log" --pid-file="$SRV_DIR/pid" \
		    --dhcp-leasefile="$SRV_DIR/leases" 2>> "$SRV_DIR/stderr" &
	else
		PXEMASQ_ETHERS_FILE=${SRV_ETC:+$SRV_ETC/ethers} \
		    ip netns exec "$NS_S" "$bin" -k --conf-file="$2" \
		    --log-facility="$SRV_DIR/log" --pid-file="$SRV_DIR/pid" \
		    --dhcp-leasefile="$SRV_DIR/leases" 2>> "$SRV_DIR/stderr" &
	fi
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
	kill -TERM "$SRV_PID" 2> /dev/null
	wait_gone 5 "$SRV_PID" || kill -KILL "$SRV_PID" 2> /dev/null
	wait "$SRV_PID" 2> /dev/null
	SRV_PID=
}

# setup SERVER CONF: fresh namespaces, fresh files, server started.
setup() {
	server_stop
	net_reset || { fail "[$1] network namespaces"; return 1; }
	srv_fresh
	server_start "$1" "$2"
}

# log_has ERE: the current server's DHCP log (tag SERVER-dhcp[PID]) has a
# matching message (after the xid that log-dhcp puts first).
log_has() { grep -Eq "$SRV-dhcp\[$SRV_PID\]: ([0-9]+ )?$1" "$SRV_DIR/log"; }

# lease_line ADDR: the server's lease file line for ADDR.
lease_line() { grep -s " $1 " "$SRV_DIR/leases"; }
lease_has() { wait_for 5 sh -c "grep -sq ' $1 ' '$SRV_DIR/leases'"; }
lease_gone() { wait_for 5 sh -c "! grep -sq ' $1 ' '$SRV_DIR/leases'"; }

# in_pool ADDR: inside 198.51.100.50 - 198.51.100.150.
in_pool() {
	local o=${1##*.}
	[ "${1%.*}" = "$NET" ] && [ "$o" -ge 50 ] && [ "$o" -le 150 ] 2> /dev/null
}

# eq NAME GOT WANT
eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (got '$2', want '$3')"; fi
}

# --- configurations -------------------------------------------------------------
# mkconf NAME PING LINE...: T/NAME.conf, the common lines plus LINEs;
# no-ping unless PING is "ping".
mkconf() {
	local name=$1 ping=$2
	shift 2
	{
		echo "port=0"
		echo "interface=pxv0"
		echo "log-dhcp"
		echo "domain=example.test"
		echo "dhcp-range=$NET.50,$NET.150,255.255.255.0,1h"
		echo "dhcp-option=option:dns-server,$NET.53"
		[ "$ping" = ping ] || echo "no-ping"
		printf '%s\n' "$@"
	} > "$T/$name.conf"
}
mkconf lease noping
mkconf t1 noping "dhcp-option=option:T1,4" "dhcp-option=option:T2,6"
mkconf host noping "dhcp-host=$CLI_MAC,$NET.20,reserved,2h"
mkconf auth noping "dhcp-authoritative"
mkconf delay noping "dhcp-reply-delay=2"
mkconf hostsdir noping "dhcp-hostsdir=$T/hostsdir"
mkconf ethers noping "read-ethers" "dhcp-host=$CLI_MAC,etherhost"
printf '%s hostsname\n' "$NET.31" > "$T/addn-hosts"
mkconf hostsaddr noping "dhcp-host=$CLI_MAC,hostsname"
# DNS on (port 53, no upstream, only the test's hosts file)
sed -i -e 's/^port=0$/port=53/' "$T/hostsaddr.conf"
printf '%s\n' no-resolv no-hosts "addn-hosts=$T/addn-hosts" >> "$T/hostsaddr.conf"
mkconf ping ping
# The raw mode's configuration: DNS on (so option 6 is sent), a second
# range for the relay, two dhcp-host entries (one for BOOTP).
cat > "$T/raw.conf" << CONF
port=53
no-resolv
no-hosts
interface=pxv0
log-dhcp
no-ping
domain=example.test
dhcp-range=$NET.50,$NET.150,255.255.255.0,1h
dhcp-range=203.0.113.100,203.0.113.200,255.255.255.0,4h
dhcp-host=52:54:00:00:00:b0,$NET.20,bootphost
dhcp-host=52:54:00:00:00:c0,$NET.21,fixedhost,2h
CONF

# --- dhclient: -sf records, -lf -pf in T, foreground (-d), one try -------------------
DHC=$T/dhc
DHC_PID=
mkdir -p "$DHC"
cat > "$DHC/script" << SH
#!/bin/sh
# Records each call; configures the address like a real script so that
# unicast RENEW and RELEASE can be sent.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
# the event line last: the test reads the environment and uses the
# address once it sees the event
env | grep -E '^(reason|interface|new_[a-z_]*|old_[a-z_]*)=' | sort > "$DHC/env.\$reason"
case \$reason in
BOUND|RENEW|REBIND|REBOOT)
	ip addr replace "\$new_ip_address/\$new_subnet_mask" dev "\$interface" ;;
EXPIRE|FAIL|RELEASE|STOP)
	ip -4 addr flush dev "\$interface" ;;
esac
echo "reason=\$reason ip=\${new_ip_address:-}" >> "$DHC/events"
exit 0
SH
chmod 755 "$DHC/script"
cat > "$DHC/dhclient.conf" << CONF
timeout 8;
retry 1;
reboot 8;
initial-interval 1;
request subnet-mask, broadcast-address, routers, domain-name,
	domain-name-servers, host-name;
CONF
dhc_args() {
	echo -cf "$DHC/dhclient.conf" -sf "$DHC/script" -lf "$DHC/leases" -pf "$DHC/pid" pxv1
}
# dhc_start: a dhclient in the foreground (-d) that tries once (-1).
dhc_start() {
	# Not through in_c: a function run with & is a subshell, and $! would
	# be its pid, not dhclient's.
	# shellcheck disable=SC2046
	ip netns exec "$NS_C" dhclient -d -1 $(dhc_args) >> "$DHC/out" 2>&1 &
	DHC_PID=$!
	t_track "$DHC_PID"
}
dhc_stop() {
	[ -n "$DHC_PID" ] || return 0
	kill -KILL "$DHC_PID" 2> /dev/null
	wait "$DHC_PID" 2> /dev/null
	DHC_PID=
}
dhc_fresh() { dhc_stop; rm -f "$DHC"/events "$DHC"/env.* "$DHC"/leases "$DHC"/pid "$DHC"/out; }
# dhc_wait SECONDS REASON: the script was called with REASON.
dhc_wait() { wait_for "$1" grep -sq "^reason=$2 " "$DHC/events"; }
# dhc_var REASON NAME: NAME from the last call with REASON.
dhc_var() { sed -n "s/^$2=//p" "$DHC/env.$1" 2> /dev/null; }

# --- udhcpc: -s records, quits after the lease (-q), gives up (-n) ----------------------
UDH=$T/udh
mkdir -p "$UDH"
cat > "$UDH/script" << SH
#!/bin/sh
env | grep -E '^[a-z][a-z0-9_]*=' | sort > "$UDH/env.\$1"
exit 0
SH
chmod 755 "$UDH/script"
# udh_run ARGS...: one udhcpc run, at most 3 DISCOVERs a second apart.
udh_run() {
	rm -f "$UDH"/env.*
	in_c timeout 20 udhcpc -i pxv1 -s "$UDH/script" -q -n -t 3 -T 1 -f "$@" \
	    > "$UDH/out" 2>&1
}
udh_var() { sed -n "s/^$1=//p" "$UDH/env.bound" 2> /dev/null; }

# === scenarios (each: SERVER) =====================================================

# (1) dhclient gets a lease; the router, DNS and domain options arrive.
sc_dhclient() {
	local s=$1 addr
	setup "$s" "$T/lease.conf" || return
	dhc_fresh
	dhc_start
	if ! dhc_wait 10 BOUND; then
		fail "[$s] dhclient: lease bound: $(tail -n 3 "$DHC/out" | tr '\n' ' ')"
		dhc_stop
		return
	fi
	pass "[$s] dhclient: lease bound"
	addr=$(dhc_var BOUND new_ip_address)
	check "[$s] dhclient: address $addr in the range" in_pool "$addr"
	eq "[$s] dhclient: subnet mask" "$(dhc_var BOUND new_subnet_mask)" 255.255.255.0
	eq "[$s] dhclient: router" "$(dhc_var BOUND new_routers)" "$SRV_IP"
	eq "[$s] dhclient: DNS server" "$(dhc_var BOUND new_domain_name_servers)" "$NET.53"
	eq "[$s] dhclient: domain name" "$(dhc_var BOUND new_domain_name)" example.test
	eq "[$s] dhclient: broadcast" "$(dhc_var BOUND new_broadcast_address)" "$NET.255"
	eq "[$s] dhclient: lease time" "$(dhc_var BOUND new_dhcp_lease_time)" 3600
	eq "[$s] dhclient: server identifier" "$(dhc_var BOUND new_dhcp_server_identifier)" "$SRV_IP"
	check "[$s] dhclient: lease file line" lease_has "$addr"
	check "[$s] dhclient: lease file MAC" sh -c "grep -sq ' $CLI_MAC $addr ' '$SRV_DIR/leases'"
	check "[$s] dhclient: DHCPACK logged" log_has "DHCPACK\(pxv0\) $addr $CLI_MAC $"
	dhc_stop
	server_stop
}

# (2) udhcpc gets a lease and sends a host name.
sc_udhcpc() {
	local s=$1 addr
	setup "$s" "$T/lease.conf" || return
	if ! udh_run -x hostname:udhcpclient; then
		fail "[$s] udhcpc: lease: $(tail -n 3 "$UDH/out" | tr '\n' ' ')"
		server_stop
		return
	fi
	pass "[$s] udhcpc: lease"
	addr=$(udh_var ip)
	check "[$s] udhcpc: address $addr in the range" in_pool "$addr"
	eq "[$s] udhcpc: subnet" "$(udh_var subnet)" 255.255.255.0
	eq "[$s] udhcpc: router" "$(udh_var router)" "$SRV_IP"
	eq "[$s] udhcpc: dns" "$(udh_var dns)" "$NET.53"
	eq "[$s] udhcpc: domain" "$(udh_var domain)" example.test
	eq "[$s] udhcpc: lease" "$(udh_var lease)" 3600
	eq "[$s] udhcpc: serverid" "$(udh_var serverid)" "$SRV_IP"
	lease_has "$addr"
	eq "[$s] udhcpc: lease file line (name, client-id)" \
	    "$(lease_line "$addr" | cut -d' ' -f2-)" \
	    "$CLI_MAC $addr udhcpclient 01:$CLI_MAC"
	server_stop
}

# (3) a dhcp-host reservation: its address, name and lease time.
sc_reservation() {
	local s=$1
	setup "$s" "$T/host.conf" || return
	if ! udh_run; then
		fail "[$s] reservation: lease: $(tail -n 3 "$UDH/out" | tr '\n' ' ')"
		server_stop
		return
	fi
	eq "[$s] reservation: address" "$(udh_var ip)" "$NET.20"
	eq "[$s] reservation: host name" "$(udh_var hostname)" reserved
	eq "[$s] reservation: lease time" "$(udh_var lease)" 7200
	lease_has "$NET.20"
	eq "[$s] reservation: lease file line" \
	    "$(lease_line "$NET.20" | cut -d' ' -f2-4)" "$CLI_MAC $NET.20 reserved"
	server_stop
}

# (3b) read-ethers: an /etc/ethers line with the client's MAC and an
# address merges into the dhcp-host that names the MAC (dnsmasq's
# dhcp_read_ethers()): the client gets that address and the dhcp-host's name.
sc_ethers() {
	local s=$1
	SRV_ETC=$T/etc
	mkdir -p "$SRV_ETC"
	cp /etc/passwd /etc/group /etc/nsswitch.conf "$SRV_ETC/"
	printf '# test\n%s %s\n' "$CLI_MAC" "$NET.30" > "$SRV_ETC/ethers"
	setup "$s" "$T/ethers.conf" || { SRV_ETC=; return; }
	SRV_ETC=
	if ! udh_run; then
		fail "[$s] read-ethers: lease: $(tail -n 3 "$UDH/out" | tr '\n' ' ')"
		server_stop
		return
	fi
	eq "[$s] read-ethers: address from /etc/ethers" "$(udh_var ip)" "$NET.30"
	eq "[$s] read-ethers: host name from dhcp-host" "$(udh_var hostname)" etherhost
	check "[$s] read-ethers: read line logged" \
	    grep -Eq "read .*ethers - 1 addresses" "$SRV_DIR/log"
	server_stop
}

# (3c) a dhcp-host with a name and no address takes the name's address
# from the hosts files while DNS is on (dnsmasq's dhcp_update_configs()).
sc_hostsaddr() {
	local s=$1
	setup "$s" "$T/hostsaddr.conf" || return
	if ! udh_run; then
		fail "[$s] hosts address: lease: $(tail -n 3 "$UDH/out" | tr '\n' ' ')"
		server_stop
		return
	fi
	eq "[$s] hosts address: address of the name in addn-hosts" \
	    "$(udh_var ip)" "$NET.31"
	eq "[$s] hosts address: host name" "$(udh_var hostname)" hostsname
	server_stop
}

# (3d) dhcp-reply-delay=2: the OFFER leaves about 2 s after the DISCOVER
# (dnsmasq delays OFFERs and PXE replies only, not the ACK), logged.
sc_delay() {
	local s=$1 t0 ms
	setup "$s" "$T/delay.conf" || return
	t0=$(date +%s%N)
	if ! in_c timeout 30 udhcpc -i pxv1 -s "$UDH/script" -q -n -t 3 -T 6 -f \
	    > "$UDH/out" 2>&1; then
		fail "[$s] reply delay: lease: $(tail -n 3 "$UDH/out" | tr '\n' ' ')"
		server_stop
		return
	fi
	ms=$((($(date +%s%N) - t0) / 1000000))
	check "[$s] reply delay: DORA took 2 s or more ($ms ms)" test "$ms" -ge 2000
	check "[$s] reply delay: DORA took under 3.5 s ($ms ms)" test "$ms" -lt 3500
	check "[$s] reply delay: logged" log_has "reply delay: 2"
	server_stop
}

# (3e) dhcp-hostsdir: a file written into the directory while the server
# runs is read without a SIGHUP (inotify); its reservation is honoured.
sc_hostsdir() {
	local s=$1
	rm -rf "$T/hostsdir"
	mkdir -p "$T/hostsdir"
	setup "$s" "$T/hostsdir.conf" || return
	printf '%s,%s,dirhost\n' "$CLI_MAC" "$NET.41" > "$T/hostsdir/.h1.tmp"
	mv "$T/hostsdir/.h1.tmp" "$T/hostsdir/h1"
	check "[$s] hostsdir: the new file is noticed" \
	    wait_for 5 grep -Eq "inotify: $T/hostsdir/h1 new or modified" "$SRV_DIR/log"
	check "[$s] hostsdir: and read" \
	    wait_for 5 grep -Eq "read $T/hostsdir/h1\$" "$SRV_DIR/log"
	if ! udh_run; then
		fail "[$s] hostsdir: lease: $(tail -n 3 "$UDH/out" | tr '\n' ' ')"
		server_stop
		return
	fi
	eq "[$s] hostsdir: address from the new file" "$(udh_var ip)" "$NET.41"
	eq "[$s] hostsdir: name from the new file" "$(udh_var hostname)" dirhost
	server_stop
}

# (4) dhclient -r sends RELEASE: the lease leaves the lease file.
sc_release() {
	local s=$1 addr
	setup "$s" "$T/lease.conf" || return
	dhc_fresh
	dhc_start
	if ! dhc_wait 10 BOUND; then
		fail "[$s] release: lease bound"
		dhc_stop
		return
	fi
	addr=$(dhc_var BOUND new_ip_address)
	check "[$s] release: lease file lists $addr" lease_has "$addr"
	# shellcheck disable=SC2046
	in_c timeout 15 dhclient -r $(dhc_args) >> "$DHC/out" 2>&1
	check "[$s] release: dhclient -r sent RELEASE" log_has "DHCPRELEASE\(pxv0\) $addr $CLI_MAC"
	check "[$s] release: lease removed from the lease file" lease_gone "$addr"
	dhc_stop
	server_stop
}

# (5) RENEW (unicast REQUEST at T1; the server sends T1=4 s) keeps the
# address and moves the lease's expiry.
sc_renew() {
	local s=$1 addr e1
	setup "$s" "$T/t1.conf" || return
	dhc_fresh
	dhc_start
	if ! dhc_wait 10 BOUND; then
		fail "[$s] renew: lease bound"
		dhc_stop
		return
	fi
	addr=$(dhc_var BOUND new_ip_address)
	eq "[$s] renew: T1 from dhcp-option=option:T1" "$(dhc_var BOUND new_dhcp_renewal_time)" 4
	lease_has "$addr"
	e1=$(lease_line "$addr" | cut -d' ' -f1)
	if ! dhc_wait 10 RENEW; then
		fail "[$s] renew: dhclient renewed: $(tr '\n' ' ' < "$DHC/events")"
		dhc_stop
		return
	fi
	pass "[$s] renew: dhclient renewed"
	eq "[$s] renew: same address" "$(dhc_var RENEW new_ip_address)" "$addr"
	check "[$s] renew: lease expiry moved forward" wait_for 3 sh -c \
	    "[ \"\$(grep -s ' $addr ' '$SRV_DIR/leases' | cut -d' ' -f1)\" -gt $e1 ]"
	check "[$s] renew: two DHCPACKs logged" test \
	    "$(grep -Ec "$SRV-dhcp\[$SRV_PID\]: ([0-9]+ )?DHCPACK\(pxv0\) $addr " "$SRV_DIR/log")" -ge 2
	dhc_stop
	server_stop
}

# (6) the server restarts (the lease file is kept); the client reboots
# (INIT-REBOOT: REQUEST with option 50, no server id) and keeps its address.
# A server that lost the lease would ignore that REQUEST (it is not
# authoritative) and dhclient would fall back to DISCOVER (reason BOUND).
sc_reboot() {
	local s=$1 addr
	setup "$s" "$T/lease.conf" || return
	dhc_fresh
	dhc_start
	if ! dhc_wait 10 BOUND; then
		fail "[$s] reboot: lease bound"
		dhc_stop
		return
	fi
	addr=$(dhc_var BOUND new_ip_address)
	lease_has "$addr"
	dhc_stop
	in_c ip -4 addr flush dev pxv1
	server_stop
	check "[$s] reboot: lease file kept over the restart" lease_has "$addr"
	server_start "$s" "$T/lease.conf" || return
	rm -f "$DHC/events"
	dhc_start
	if dhc_wait 12 REBOOT; then
		pass "[$s] reboot: INIT-REBOOT acknowledged"
	else
		fail "[$s] reboot: INIT-REBOOT acknowledged: $(tr '\n' ' ' < "$DHC/events")"
	fi
	eq "[$s] reboot: same address" "$(dhc_var REBOOT new_ip_address)" "$addr"
	check "[$s] reboot: no DISCOVER after the restart" sh -c "! grep -q '$SRV-dhcp\[$SRV_PID\]: DHCPDISCOVER' '$SRV_DIR/log'"
	dhc_stop
	server_stop
}

# (7) two clients (two MACs) get two different addresses.
sc_two() {
	local s=$1 a b
	setup "$s" "$T/lease.conf" || return
	raw dora 52:54:00:00:01:01 52:54:00:00:01:02 > "$T/dora" 2>&1
	a=$(sed -n 's/^52:54:00:00:01:01 //p' "$T/dora")
	b=$(sed -n 's/^52:54:00:00:01:02 //p' "$T/dora")
	check "[$s] two clients: first ACKed ($a)" in_pool "$a"
	check "[$s] two clients: second ACKed ($b)" in_pool "$b"
	check "[$s] two clients: different addresses" test "$a" != "$b"
	check "[$s] two clients: both in the lease file" sh -c \
	    "grep -q ' 52:54:00:00:01:01 $a ' '$SRV_DIR/leases' && grep -q ' 52:54:00:00:01:02 $b ' '$SRV_DIR/leases'"
	server_stop
}

# (8) INIT-REBOOT REQUEST for an address on another network, or outside the
# ranges: ignored, or NAKed when dhcp-authoritative.
sc_nak() {
	local s=$1 f
	setup "$s" "$T/lease.conf" || return
	raw one '{"msg": 3, "mac": "52:54:00:00:00:0e", "wait": 1,
	    "options": [[50, "203.0.113.9"], [55, [1, 3, 6]]]}' > "$T/nak0.json"
	eq "[$s] not authoritative: foreign address ignored" "$(fld "$T/nak0.json" one replies)" 0
	setup "$s" "$T/auth.conf" || return
	f=$T/nak1.json
	raw one '{"msg": 3, "mac": "52:54:00:00:00:0e",
	    "options": [[50, "203.0.113.9"], [55, [1, 3, 6]]]}' > "$f"
	eq "[$s] authoritative: foreign address NAKed" "$(fld "$f" one msgtype)" 6
	eq "[$s] authoritative: NAK message" "$(fld "$f" one opt.56.str)" "wrong network"
	eq "[$s] authoritative: NAK options" "$(fld "$f" one opts)" "53 54 56 255"
	eq "[$s] authoritative: NAK yiaddr" "$(fld "$f" one yiaddr)" 0.0.0.0
	eq "[$s] authoritative: NAK broadcast" "$(fld "$f" one ip_dst)/$(fld "$f" one flags)" 255.255.255.255/32768
	check "[$s] authoritative: NAK logged" log_has "DHCPNAK\(pxv0\) 203.0.113.9 52:54:00:00:00:0e wrong network"
	f=$T/nak2.json
	raw one '{"msg": 3, "mac": "52:54:00:00:00:0e",
	    "options": [[50, "198.51.100.200"], [55, [1, 3, 6]]]}' > "$f"
	eq "[$s] authoritative: out-of-range address NAKed" "$(fld "$f" one msgtype)/$(fld "$f" one opt.56.str)" "6/address not available"
	server_stop
}

# (9) ping check: the address the hash picks first answers ICMP from a
# third namespace; it is skipped, and offered under no-ping.  The DISCOVERs
# ask for a broadcast reply: a unicast OFFER would make the server write
# an ARP entry for the address that then hides the squatter.
sc_ping() {
	local s=$1 mac=52:54:00:12:34:56 want got
	local req='{"msg": 1, "mac": "'$mac'", "flags": 32768, "wait": 8, "options": [[55, [1, 3]]]}'
	want=$("$PY" "$HERE/dhcpraw.py" sdbm "$mac" "$NET.50" "$NET.150")
	setup "$s" "$T/ping.conf" || return
	squatter "$want" || { fail "[$s] ping: squatter namespace"; return; }
	raw one "$req" > "$T/ping1.json"
	got=$(fld "$T/ping1.json" one yiaddr)
	check "[$s] ping: an address answering ping ($want) is skipped (offered $got)" \
	    sh -c "[ -n '$got' ] && [ '$got' != '$want' ]"
	check "[$s] ping: the other address is in the range" in_pool "$got"
	setup "$s" "$T/lease.conf" || return
	squatter "$want" || { fail "[$s] ping: squatter namespace"; return; }
	raw one "$req" > "$T/ping0.json"
	eq "[$s] ping: no-ping offers it ($want, the hash's choice)" "$(fld "$T/ping0.json" one yiaddr)" "$want"
	server_stop
}

# === raw differential mode ========================================================

# raw_record SERVER OUT: one run of the case list against raw.conf.
raw_record() {
	setup "$1" "$T/raw.conf" || return 1
	raw record "$2" > "$T/raw.err" 2>&1 || fail "[$1] raw: dhcpraw.py: $(tail -n 3 "$T/raw.err")"
	server_stop
	[ -n "${DHCP_KEEP:-}" ] && mkdir -p "$DHCP_KEEP" && cp "$2" "$DHCP_KEEP/" &&
	    cp "$SRV_DIR/log" "$DHCP_KEEP/$(basename "$2" .jsonl).log"
	return 0
}

# raw_expect SERVER FILE: absolute expectations (reference Appendix A and
# section 3) that any dnsmasq-compatible server meets.
raw_expect() {
	local s=$1 f=$2 c relay p
	p="[$s] raw"
	c=discover_basic
	eq "$p $c: OFFER" "$(fld "$f" $c msgtype)" 2
	eq "$p $c: option order (A: BASE)" "$(fld "$f" $c opts)" "53 54 51 58 59 1 28 3 6 255"
	eq "$p $c: yiaddr from the hash (3.7)" "$(fld "$f" $c yiaddr)" "$NET.107"
	eq "$p $c: 54 51 58 59" "$(fld "$f" $c opt.54.ip) $(fld "$f" $c opt.51.u32) $(fld "$f" $c opt.58.u32) $(fld "$f" $c opt.59.u32)" "$SRV_IP 3600 1800 3150"
	eq "$p $c: 1 28 3 6" "$(fld "$f" $c opt.1.ip) $(fld "$f" $c opt.28.ip) $(fld "$f" $c opt.3.ip) $(fld "$f" $c opt.6.ip)" "255.255.255.0 $NET.255 $SRV_IP $SRV_IP"
	eq "$p $c: unicast to yiaddr:68 at chaddr" "$(fld "$f" $c ip_dst):$(fld "$f" $c udp_dport) $(fld "$f" $c eth_dst)" "$NET.107:68 52:54:00:12:34:56"
	eq "$p $c: siaddr, flags, payload 300" "$(fld "$f" $c siaddr) $(fld "$f" $c flags) $(fld "$f" $c len)" "$SRV_IP 0 300"
	c=discover_bcast
	eq "$p $c: broadcast reply" "$(fld "$f" $c ip_dst) $(fld "$f" $c eth_dst) $(fld "$f" $c flags)" "255.255.255.255 ff:ff:ff:ff:ff:ff 32768"
	c=discover_prl_rom
	eq "$p $c: 15 after 6" "$(fld "$f" $c opts)" "53 54 51 58 59 1 28 3 6 15 255"
	c=discover_host
	eq "$p $c: dhcp-host address, lease, name" "$(fld "$f" $c yiaddr) $(fld "$f" $c opt.51.u32) $(fld "$f" $c opt.12.str)" "$NET.21 7200 fixedhost"
	c=request_selecting
	eq "$p $c: ACK" "$(fld "$f" $c msgtype) $(fld "$f" $c yiaddr)" "5 $NET.107"
	eq "$p request_other_server: ignored" "$(fld "$f" request_other_server replies)" 0
	c=request_renew
	eq "$p $c: ACK to ciaddr" "$(fld "$f" $c msgtype) $(fld "$f" $c ip_dst) $(fld "$f" $c ciaddr)" "5 $NET.107 $NET.107"
	check "$p $c: T1 = 1800 minus a fuzz of at most T1/8" sh -c \
	    "t=\$($PY '$HERE/compare.py' field '$f' $c opt.58.u32); [ \"\$t\" -ge 1575 ] && [ \"\$t\" -le 1800 ]"
	c=request_initreboot_wrong
	eq "$p $c: NAK wrong address" "$(fld "$f" $c msgtype) $(fld "$f" $c opt.56.str)" "6 wrong address"
	eq "$p $c: NAK layout" "$(fld "$f" $c opts) $(fld "$f" $c yiaddr) $(fld "$f" $c ip_dst) $(fld "$f" $c flags)" "53 54 56 255 0.0.0.0 255.255.255.255 32768"
	eq "$p request_initreboot_unknown: ignored" "$(fld "$f" request_initreboot_unknown replies)" 0
	c=inform
	eq "$p $c: ACK to ciaddr, yiaddr 0" "$(fld "$f" $c msgtype) $(fld "$f" $c ip_dst) $(fld "$f" $c ciaddr) $(fld "$f" $c yiaddr)" "5 $NET.107 $NET.107 0.0.0.0"
	eq "$p $c: no T1/T2" "$(fld "$f" $c opt.58)$(fld "$f" $c opt.59)" ""
	eq "$p decline: no reply" "$(fld "$f" decline replies)" 0
	check "$p discover_after_decline: another address" test \
	    "$(fld "$f" discover_after_decline yiaddr)" != "$(fld "$f" discover_clid yiaddr)"
	eq "$p release: no reply" "$(fld "$f" release replies)" 0
	eq "$p renew_after_release: NAK lease not found" "$(fld "$f" renew_after_release msgtype) $(fld "$f" renew_after_release opt.56.str)" "6 lease not found"
	c=relay_discover
	relay=$("$PY" "$HERE/dhcpraw.py" sdbm 52:54:00:00:00:5e 203.0.113.100 203.0.113.200)
	eq "$p $c: to giaddr:67" "$(fld "$f" $c ip_dst):$(fld "$f" $c udp_dport) $(fld "$f" $c hops)" "203.0.113.1:67 1"
	eq "$p $c: relay range address, router = giaddr" "$(fld "$f" $c yiaddr) $(fld "$f" $c opt.3.ip) $(fld "$f" $c opt.28.ip) $(fld "$f" $c opt.54.ip)" "$relay 203.0.113.1 203.0.113.255 $SRV_IP"
	c=bootp
	eq "$p $c: BOOTREPLY without option 53" "$(fld "$f" $c op) $(fld "$f" $c yiaddr) $(fld "$f" $c msgtype)" "2 $NET.20 0"
	eq "$p bootp_unknown: no reply" "$(fld "$f" bootp_unknown replies)" 0
	eq "$p discover_no_cookie_53: no reply" "$(fld "$f" discover_no_cookie_53 replies)" 0
}

raw_mode() {
	local ref=$T/raw-dnsmasq-1.jsonl s out
	if "$PY" "$HERE/compare.py" selftest > "$T/selftest" 2>&1; then
		pass "raw: compare.py selftest (finds changed options, order, fields, replies)"
	else
		fail "raw: compare.py selftest"
		cat "$T/selftest"
	fi
	raw_record dnsmasq "$ref" || return
	raw_record dnsmasq "$T/raw-dnsmasq-2.jsonl" || return
	if "$PY" "$HERE/compare.py" diff "$ref" "$T/raw-dnsmasq-2.jsonl" \
	    --names dnsmasq,dnsmasq > "$T/diff-dnsmasq" 2>&1; then
		pass "raw: two dnsmasq recordings compare equal ($(grep -c . "$ref") cases)"
	else
		fail "raw: two dnsmasq recordings compare equal"
		grep -E '^(DIFF|ERROR)' "$T/diff-dnsmasq"
	fi
	raw_expect dnsmasq "$ref"
	for s in $SERVERS; do
		[ "$s" = dnsmasq ] && continue
		out=$T/raw-$s.jsonl
		raw_record "$s" "$out" || continue
		raw_expect "$s" "$out"
		"$PY" "$HERE/compare.py" diff "$ref" "$out" --names "dnsmasq,$s" \
		    --allowed "$HERE/allowed-differences.txt" --docs "$DOCS" \
		    > "$T/diff-$s" 2>&1
		local rc=$?
		grep -E '^(DIFF|ALLOWED|ERROR)' "$T/diff-$s"
		[ -n "${DHCP_KEEP:-}" ] && cp "$T/diff-$s" "$DHCP_KEEP/"
		if [ $rc = 0 ]; then
			pass "raw: $s replies as dnsmasq does"
		else
			fail "raw: $s replies as dnsmasq does ($(grep -c '^DIFF' "$T/diff-$s") differences)"
		fi
	done
}

# === main ========================================================================

missing=
for tool in dnsmasq dhclient udhcpc "$PY"; do
	command -v "$tool" > /dev/null || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	fail "tools missing:$missing (compat-tests/dhcp/deps.txt)"
	t_done
	exit
fi
for s in $SERVERS; do
	if [ "$s" = pxemasq ] && [ ! -x "$PXEMASQ" ]; then
		fail "pxemasq: $PXEMASQ not built"
		SERVERS=$(echo " $SERVERS " | sed 's/ pxemasq / /')
	fi
done

for s in $SERVERS; do
	sc_dhclient "$s"
	sc_udhcpc "$s"
	sc_reservation "$s"
	sc_ethers "$s"
	sc_hostsaddr "$s"
	sc_delay "$s"
	sc_hostsdir "$s"
	sc_release "$s"
	sc_renew "$s"
	sc_reboot "$s"
	sc_two "$s"
	sc_nak "$s"
	sc_ping "$s"
done
raw_mode
server_stop
dhc_stop
# Every server and client started here names a file under T in its
# arguments: none may be left running.
check "no server or client process left running" \
    test -z "$(pgrep -f -- "$T/")"
echo "dhcp: $((SECONDS - START)) s, servers: $SERVERS"
t_done
