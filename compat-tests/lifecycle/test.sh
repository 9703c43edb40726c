#!/bin/bash
# compat-tests/lifecycle/test.sh - the daemon around the protocols (issue 3):
# start modes (-d, -k, background), pid file, signals, log targets
# (file, stderr, syslog through a /dev/log of our own in a private mount
# namespace), privileges in both start modes (root then drop; unprivileged
# with ambient capabilities), dnsmasq's exit statuses and messages.
set -u
. "$(dirname "$0")/../lib.sh"

T=$T_TMP
mkdir -p "$T/run" && chmod 777 "$T/run"

# Every daemon runs inside a namespace of its own with one veth pair
# interface, so that a configuration that serves DHCP never sees the
# machine's interfaces.
NS=pxl$$
ip netns add "$NS" || { echo "cannot create a network namespace"; exit 77; }
T_NETNS+=("$NS")
ip -n "$NS" link add pxd0 type veth peer name pxd1
ip -n "$NS" link set pxd1 up
ip -n "$NS" addr add 198.51.100.1/24 dev pxd0
ip -n "$NS" link set pxd0 up
ip -n "$NS" link set lo up
PXEMASQ_BIN=$PXEMASQ
PXEMASQ="ip netns exec $NS $PXEMASQ_BIN"
: > "$T/hosts1"

# start_k CONF [ARGS...]: pxemasq -k in the background; sets PID.
start_k() {
	local conf=$1
	shift
	$PXEMASQ -k -C "$conf" "$@" 2> "$T/stderr" &
	PID=$!
	t_track "$PID"
	wait_for 5 grep -sq "started, version" "$T/run/log"
}

# stop PID: SIGTERM and wait; returns the exit status.
stop() {
	kill -TERM "$1"
	wait "$1"
}

cat > "$T/base.conf" <<CONF
port=0
log-facility=$T/run/log
pid-file=$T/run/pid
dhcp-hostsfile=$T/hosts1
CONF

# --- -k: foreground, pid file, uid change, signals --------------------------
rm -f "$T/run/log"
start_k "$T/base.conf"
check "-k: started line in the log file" \
    grep -Eq "^[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} pxemasq\[$PID\]: started, version [^ ]+ DNS disabled$" "$T/run/log"
check "-k: compile time options line" grep -q "pxemasq\[$PID\]: compile time options: " "$T/run/log"
check "-k: pid file holds the daemon's pid" test "$(cat "$T/run/pid" 2>/dev/null)" = "$PID"
check "-k: switched to nobody" test "$(proc_field "$PID" Uid | cut -f1)" = "$(id -u nobody)"
check "-k: no capabilities kept without DHCP" test "$(proc_field "$PID" CapEff)" = 0000000000000000
check "start: dhcp-hostsfile read and logged (after the log opened)" \
    wait_for 5 grep -sq "pxemasq-dhcp\[$PID\]: read $T/hosts1" "$T/run/log"
printf '52:54:00:00:00:01,198.51.100.30\n52:54:00:00:00:02,-bad-\n' > "$T/hosts1"
kill -HUP "$PID"
check "SIGHUP: dhcp-hostsfile re-read: a bad line logged with its position" \
    wait_for 5 grep -sq "pxemasq-dhcp\[$PID\]: bad DHCP host name at line 2 of $T/hosts1" "$T/run/log"
check "SIGHUP: dhcp-hostsfile re-read and logged (second read line)" \
    wait_for 5 sh -c "[ \$(grep -c 'pxemasq-dhcp\[$PID\]: read $T/hosts1' '$T/run/log') -ge 2 ]"
kill -USR1 "$PID"
check "SIGUSR1: statistics logged" wait_for 5 grep -sq "pxemasq\[$PID\]: time [0-9]" "$T/run/log"
mv "$T/run/log" "$T/run/log.1"
kill -USR2 "$PID"
check "SIGUSR2: log file re-created after rotation" wait_for 5 test -e "$T/run/log"
kill -USR1 "$PID"
check "SIGUSR2: new lines go to the new file" \
    wait_for 5 grep -sq "pxemasq\[$PID\]: time [0-9]" "$T/run/log"
stop "$PID"
rc=$?
check "SIGTERM: exit status 0" test "$rc" = 0
check "SIGTERM: logged as dnsmasq does" grep -q "pxemasq\[$PID\]: exiting on receipt of SIGTERM" "$T/run/log"
check "SIGTERM: pid file removed" test ! -e "$T/run/pid"

# --- SIGINT also exits cleanly -------------------------------------------------
rm -f "$T/run/log"
start_k "$T/base.conf"
kill -INT "$PID"
wait "$PID"
rc=$?
check "SIGINT: exit status 0" test "$rc" = 0
check "SIGINT: logged" grep -q "exiting on receipt of SIGINT" "$T/run/log"

# --- -d: foreground, stderr echo, no uid change, no pid file ------------------
rm -f "$T/run/log" "$T/run/pid"
$PXEMASQ -d -C "$T/base.conf" 2> "$T/stderr" &
PID=$!
t_track "$PID"
check "-d: echoes to stderr as TAG: MSG" wait_for 5 grep -sq "^pxemasq: started, version" "$T/stderr"
check "-d: keeps uid 0" test "$(proc_field "$PID" Uid | cut -f1)" = 0
check "-d: no pid file" test ! -e "$T/run/pid"
stop "$PID"
check "-d: SIGTERM exit 0" test $? = 0

# --- log-facility=- : stderr lines, no timestamp under -k ------------------------
cat > "$T/stderr.conf" <<CONF
port=0
log-facility=-
pid-file=$T/run/pid
CONF
$PXEMASQ -k -C "$T/stderr.conf" 2> "$T/stderr" &
PID=$!
t_track "$PID"
check "log-facility=-: untimestamped line on stderr" \
    wait_for 5 grep -sEq "^pxemasq\[$PID\]: started, version" "$T/stderr"
stop "$PID" >/dev/null

# --- background: the shell gets exit 0, the daemon lives in its own session ----
rm -f "$T/run/log" "$T/run/pid"
$PXEMASQ -C "$T/base.conf"
rc=$?
check "background: start command exits 0" test "$rc" = 0
check "background: pid file written" wait_for 5 test -s "$T/run/pid"
PID=$(cat "$T/run/pid" 2>/dev/null || echo 0)
t_track "$PID"
sid=$(awk '{print $6}' "/proc/$PID/stat" 2>/dev/null)
check "background: daemon runs in a new session" test -n "$sid" -a "$sid" != "$(awk '{print $6}' /proc/$$/stat)"
check "background: stdin is /dev/null" test "$(readlink "/proc/$PID/fd/0")" = /dev/null
kill -TERM "$PID"
check "background: SIGTERM ends it" wait_gone 5 "$PID"

# --- syslog: our own /dev/log in a private mount namespace ----------------------
cat > "$T/syslog.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
open(sys.argv[1] + ".ready", "w").close()
s.settimeout(10)
with open(sys.argv[1], "ab", buffering=0) as f:
    try:
        while True:
            f.write(s.recv(2048) + b"\n")
    except socket.timeout:
        pass
PY
cat > "$T/syslog.conf" <<CONF
port=0
pid-file=$T/run/pid
CONF
cat > "$T/syslog3.conf" <<CONF
port=0
pid-file=$T/run/pid3
log-facility=local3
CONF
cat > "$T/syslog.sh" <<SH
set -u
mount -t tmpfs tmpfs /dev
mknod -m 666 /dev/null c 1 3
python3 "$T/syslog.py" "$T/syslog.out" &
py=\$!
for i in \$(seq 100); do [ -e "$T/syslog.out.ready" ] && break; sleep 0.05; done
"$PXEMASQ_BIN" -k -C "$T/syslog.conf" & p1=\$!
"$PXEMASQ_BIN" -k -C "$T/syslog3.conf" & p2=\$!
for i in \$(seq 100); do [ \$(grep -c started "$T/syslog.out" 2>/dev/null || echo 0) -ge 2 ] && break; sleep 0.05; done
echo "\$p1 \$p2" > "$T/syslog.pids"
kill -TERM \$p1 \$p2; wait \$p1 \$p2
kill \$py
SH
timeout 30 unshare --mount --propagation private bash "$T/syslog.sh" >/dev/null 2>&1
read -r p1 p2 < "$T/syslog.pids" 2>/dev/null || { p1=x; p2=x; }
check "syslog: RFC 3164 datagram, facility daemon (<30>)" \
    grep -Eq "^<30>[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} pxemasq\[$p1\]: started, version" "$T/syslog.out"
check "syslog: log-facility=local3 gives <158>" \
    grep -Eq "^<158>.* pxemasq\[$p2\]: started, version" "$T/syslog.out"
check "syslog: exit logged" grep -q "pxemasq\[$p1\]: exiting on receipt of SIGTERM" "$T/syslog.out"

# --- privileges: three configs in each start mode ---------------------------------
# name | config lines | expected CapEff
mkconf() {
	printf '%s\n' "log-facility=$T/run/log" "pid-file=$T/run/pid" "$@" > "$T/priv.conf"
	grep -q '^port=' "$T/priv.conf" || echo "port=0" >> "$T/priv.conf"
}
priv_case() {
	local mode=$1 name=$2 want=$3
	shift 3
	mkconf "$@"
	rm -f "$T/run/log"
	if [ "$mode" = root ]; then
		$PXEMASQ -k -C "$T/priv.conf" 2> "$T/stderr" &
	else
		ip netns exec "$NS" setpriv --reuid=nobody --regid=nogroup \
		    --clear-groups \
		    --inh-caps=+net_raw,+net_bind_service,+net_admin \
		    --ambient-caps=+net_raw,+net_bind_service,+net_admin \
		    "$PXEMASQ_BIN" -k -C "$T/priv.conf" 2> "$T/stderr" &
	fi
	PID=$!
	t_track "$PID"
	if ! wait_for 5 grep -sq "started, version" "$T/run/log"; then
		fail "privileges ($mode, $name): did not start: $(cat "$T/stderr")"
		return
	fi
	check "privileges ($mode, $name): Uid nobody" test "$(proc_field "$PID" Uid | cut -f1)" = "$(id -u nobody)"
	check "privileges ($mode, $name): CapEff $want" test "$(proc_field "$PID" CapEff)" = "$want"
	check "privileges ($mode, $name): nothing in CapAmb/CapInh" \
	    test "$(proc_field "$PID" CapAmb)$(proc_field "$PID" CapInh)" = 00000000000000000000000000000000
	stop "$PID" >/dev/null
}
for mode in root ambient; do
	priv_case $mode "no DHCP" 0000000000000000
	priv_case $mode "DHCP range" 0000000000002000 "interface=pxd0" \
	    "dhcp-range=198.51.100.10,198.51.100.20" \
	    "dhcp-leasefile=$T/run/leases.$mode"
	priv_case $mode "DHCP + bind-dynamic + DNS on 53" 0000000000002400 \
	    "interface=pxd0" "dhcp-range=198.51.100.10,198.51.100.20" \
	    "bind-dynamic" "port=53" "dhcp-leasefile=$T/run/leases2.$mode"
done

# --- exit statuses and messages as dnsmasq's ---------------------------------------
expect_exit() {
	local name=$1 want=$2 msg=$3
	shift 3
	"$@" > "$T/out" 2>&1 < /dev/null
	local rc=$?
	check "exit status: $name ($want)" test "$rc" = "$want"
	check "message: $name" grep -qF "$msg" "$T/out"
}
printf 'bogus-option\n' > "$T/bad.conf"
expect_exit "bad option" 1 "pxemasq: bad option at line 1 of $T/bad.conf" $PXEMASQ -C "$T/bad.conf"
expect_exit "missing file" 3 "pxemasq: cannot read $T/none.conf: No such file or directory" $PXEMASQ -C "$T/none.conf"
printf 'port=0\nuser=no-such-user-x\n' > "$T/user.conf"
expect_exit "unknown user" 1 "pxemasq: unknown user or group: no-such-user-x" $PXEMASQ -k -C "$T/user.conf"
printf 'port=0\npid-file=%s/nodir/pid\nlog-facility=%s/log\n' "$T" "$T" > "$T/pid.conf"
expect_exit "pid file" 3 "pxemasq: failed to open pidfile $T/nodir/pid: No such file or directory" $PXEMASQ -C "$T/pid.conf"
printf 'port=0\nlog-facility=%s/nodir/log\n' "$T" > "$T/run/log.conf"
expect_exit "log file" 3 "pxemasq: cannot open log $T/nodir/log: No such file or directory" $PXEMASQ -k -C "$T/run/log.conf"
printf 'port=0\nlog-facility=%s/log\npid-file=%s/run/pid\ninterface=pxd0\ndhcp-range=198.51.100.10,198.51.100.20\n' "$T" "$T" > "$T/cap.conf"
expect_exit "missing capability (unprivileged)" 5 "pxemasq: process is missing required capability NET_RAW" \
    ip netns exec "$NS" setpriv --reuid=nobody --regid=nogroup --clear-groups "$PXEMASQ_BIN" -k -C "$T/cap.conf"
# More leases in the file than dhcp-lease-max: dnsmasq 2.90 dies with
# "too many stored leases" (lease.c, EC_MISC 5) and leaves the file alone.
now=$(date +%s)
for srv in pxemasq dnsmasq; do
	for i in 1 2 3; do
		echo "$((now + 3600)) 52:54:00:00:01:0$i 198.51.100.1$i h$i *"
	done > "$T/run/many.$srv"
	chmod 666 "$T/run/many.$srv"
	printf 'port=0\nlog-facility=%s/log.%s\npid-file=%s/run/pid.%s\ninterface=pxd0\ndhcp-range=198.51.100.10,198.51.100.20\ndhcp-lease-max=2\ndhcp-leasefile=%s/run/many.%s\n' \
	    "$T" "$srv" "$T" "$srv" "$T" "$srv" > "$T/run/many-$srv.conf"
done
expect_exit "too many stored leases" 5 "pxemasq: too many stored leases" \
    timeout 10 ip netns exec "$NS" "$PXEMASQ_BIN" -k -C "$T/run/many-pxemasq.conf"
check "too many stored leases: the lease file is left whole" \
    test "$(wc -l < "$T/run/many.pxemasq")" = 3
if command -v dnsmasq > /dev/null; then
	expect_exit "too many stored leases (dnsmasq 2.90)" 5 \
	    "dnsmasq: too many stored leases" \
	    timeout 10 ip netns exec "$NS" dnsmasq -k -C "$T/run/many-dnsmasq.conf"
fi

# --- contrib/systemd/pxemasq.service ----------------------------------------------------------
if command -v systemd-analyze > /dev/null; then
	sed "s|/usr/sbin/pxemasq|$PXEMASQ_BIN|g" "$(dirname "$0")/../../contrib/systemd/pxemasq.service" > "$T/pxemasq.service"
	check "systemd-analyze verify contrib/systemd/pxemasq.service" \
	    systemd-analyze verify --man=no "$T/pxemasq.service"
else
	echo "NOTE: systemd-analyze not installed; unit file not verified"
fi

# --- hosts files and /etc/ethers: read at start and on SIGHUP (issue 3) -------
# PXEMASQ_HOSTS_FILE and PXEMASQ_ETHERS_FILE stand for /etc/hosts and
# /etc/ethers (the machine's files are never touched).  DNS only needs a
# non-zero port to read hosts files; /etc/ethers is read when DHCP is on.
# Counts as dnsmasq 2.90 logs them for the same files.
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' > "$T/hosts"
printf '192.0.2.1 a\n192.0.2.2 b c # d e\nbad x\n' > "$T/hostsA"
printf '52:54:00:00:00:01 198.51.100.11\n52:54:00:00:00:02 host2\n' > "$T/ethers"
chmod 644 "$T/hosts" "$T/hostsA" "$T/ethers"
cat > "$T/hostsfiles.conf" <<CONF
port=5399
log-facility=$T/run/log
pid-file=$T/run/pid
addn-hosts=$T/hostsA
read-ethers
dhcp-range=198.51.100.10,198.51.100.20
CONF
rm -f "$T/run/log"
export PXEMASQ_HOSTS_FILE=$T/hosts PXEMASQ_ETHERS_FILE=$T/ethers
start_k "$T/hostsfiles.conf"
check "start: hosts file read and counted" \
    wait_for 5 grep -sq "pxemasq\[$PID\]: read $T/hosts - 3 names$" "$T/run/log"
check "start: addn-hosts read and counted" \
    wait_for 5 grep -sq "pxemasq\[$PID\]: read $T/hostsA - 3 names$" "$T/run/log"
check "start: addn-hosts bad line logged" \
    grep -q "pxemasq\[$PID\]: bad address at $T/hostsA line 3$" "$T/run/log"
check "start: ethers read and counted (DHCP tag)" \
    wait_for 5 grep -sq "pxemasq-dhcp\[$PID\]: read $T/ethers - 2 addresses$" "$T/run/log"
check "start: hosts, addn-hosts, ethers in dnsmasq's order" \
    test "$(grep -o "read $T/[a-zA-Z]* " "$T/run/log" | tr -d '\n')" = \
    "read $T/hosts read $T/hostsA read $T/ethers "
printf '127.0.0.1 localhost\n' > "$T/hosts"
printf '192.0.2.1 a b c d\n192.0.2.2 e\n' > "$T/hostsA"
printf '52:54:00:00:00:01 198.51.100.11\n52:54:00:00:00:02 host2\n52:54:00:00:00:03 host3\nzz x\n' > "$T/ethers"
kill -HUP "$PID"
check "SIGHUP: hosts file re-read, new count" \
    wait_for 5 grep -sq "pxemasq\[$PID\]: read $T/hosts - 1 names$" "$T/run/log"
check "SIGHUP: addn-hosts re-read, new count" \
    wait_for 5 grep -sq "pxemasq\[$PID\]: read $T/hostsA - 5 names$" "$T/run/log"
check "SIGHUP: ethers re-read, new count" \
    wait_for 5 grep -sq "pxemasq-dhcp\[$PID\]: read $T/ethers - 3 addresses$" "$T/run/log"
check "SIGHUP: ethers bad line logged" \
    grep -q "pxemasq-dhcp\[$PID\]: bad line at $T/ethers line 4$" "$T/run/log"
rm -f "$T/hostsA" "$T/ethers"
kill -HUP "$PID"
check "SIGHUP: missing addn-hosts logged as dnsmasq" \
    wait_for 5 grep -sq "pxemasq\[$PID\]: failed to load names from $T/hostsA: No such file or directory$" "$T/run/log"
check "SIGHUP: missing ethers logged as dnsmasq" \
    wait_for 5 grep -sq "pxemasq-dhcp\[$PID\]: failed to read $T/ethers: No such file or directory$" "$T/run/log"
stop "$PID" >/dev/null
check "hosts files: exit status 0 after reloads" test $? = 0
rm -f "$T/run/log"
start_k "$T/base.conf"
kill -USR1 "$PID"
wait_for 5 grep -sq "pxemasq\[$PID\]: time [0-9]" "$T/run/log"
check "DNS off (port=0): no hosts file read" sh -c "! grep -q 'names\$' '$T/run/log'"
stop "$PID" >/dev/null
unset PXEMASQ_HOSTS_FILE PXEMASQ_ETHERS_FILE

t_done
