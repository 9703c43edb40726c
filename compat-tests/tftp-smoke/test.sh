#!/bin/bash
# compat-tests/tftp-smoke/test.sh - pxemasq really serves TFTP (issue 6):
# the daemon runs in a namespace (198.51.100.1 on pxv0) with enable-tftp
# and tftp-root, as nobody after start-up; tftp-hpa's tftp, curl and atftp
# (blksize, windowsize) fetch files from the client namespace and every
# download is compared byte for byte.  Errors: a missing file (ERROR 1), a
# traversal name and a symlink out of the root (ERROR 2, nothing read).
# Then sidebyside.sh: IPv6 and the tftp-* options against dnsmasq 2.90 and
# pxemasq in the same run.  The full suite (all clients, sizes and
# dnsmasq comparison) is compat-tests/tftp.
set -u
. "$(dirname "$0")/../lib.sh"

t_need scripts/deps.sh tftp curl atftp
T=$T_TMP
NS_S=pts$$
NS_C=ptc$$
SRV=198.51.100.1
CLI=198.51.100.2
ROOT=$T/root

t_netns_std "$NS_S" "$NS_C" $SRV/24
ip -n "$NS_C" addr add $CLI/24 dev pxv1
# IPv6 (documentation prefix, inside the namespaces only) and a second
# address of each family on the server, for the source-address checks
SRV6=2001:db8::1
SRV6B=2001:db8::3
CLI6=2001:db8::2
SRVB=198.51.100.3
for n in "$NS_S:pxv0" "$NS_C:pxv1"; do
	ip netns exec "${n%%:*}" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
	    "net.ipv6.conf.${n#*:}.disable_ipv6=0"
done
ip -n "$NS_S" addr add $SRV6/64 dev pxv0 nodad
ip -n "$NS_S" addr add $SRV6B/64 dev pxv0 nodad
ip -n "$NS_S" addr add $SRVB/24 dev pxv0
ip -n "$NS_C" addr add $CLI6/64 dev pxv1 nodad

mkdir -p "$ROOT/sub" "$T/out" "$T/secret"
for n in 0 511 512 513; do
	head -c $n /dev/urandom > "$ROOT/f$n"
done
head -c 1048576 /dev/urandom > "$ROOT/f1m"
printf 'line one\nline two\n' > "$ROOT/text.txt"
echo inside > "$ROOT/sub/in.txt"
ln -s ../f513 "$ROOT/sub/up-link"
echo secret > "$T/secret/s.txt"
ln -s "$T/secret/s.txt" "$ROOT/out-link"
chmod -R a+rX "$ROOT" "$T/secret"

cat > "$T/pxemasq.conf" <<CONF
port=0
enable-tftp
tftp-root=$ROOT
log-facility=$T/log
pid-file=$T/pid
CONF
ip netns exec "$NS_S" "$PXEMASQ" -C "$T/pxemasq.conf" 2> "$T/stderr"
rc=$?
check "daemon starts" test "$rc" = 0
t_pidfile PID "$T/pid"
wait_for 5 grep -q "TFTP root is $ROOT" "$T/log"
check "start-up log line" grep -q "TFTP root is $ROOT" "$T/log"
check "runs as nobody" test "$(proc_field "$PID" Uid | cut -f2)" = \
    "$(id -u nobody)"

cli() { ip netns exec "$NS_C" timeout 60 "$@"; }
for f in f0 f511 f512 f513 f1m sub/in.txt sub/up-link; do
	o=$T/out/$(echo $f | tr / _)
	rm -f "$o"
	cli tftp $SRV -m octet -c get "$f" "$o" > /dev/null 2>&1
	check "tftp-hpa get $f" cmp -s "$ROOT/$f" "$o"
	rm -f "$o"
	cli curl -s -o "$o" "tftp://$SRV/$f"
	check "curl get $f" cmp -s "$ROOT/$f" "$o"
done
rm -f "$T/out/w"
cli atftp --option "blksize 1468" --option "windowsize 16" -g \
    -r f1m -l "$T/out/w" $SRV > /dev/null 2>&1
check "atftp blksize 1468 windowsize 16" cmp -s "$ROOT/f1m" "$T/out/w"
rm -f "$T/out/w"
cli atftp --option "blksize 8192" -g -r f1m -l "$T/out/w" $SRV \
    > /dev/null 2>&1
check "atftp blksize 8192" cmp -s "$ROOT/f1m" "$T/out/w"
rm -f "$T/out/t"
cli tftp $SRV -m netascii -c get text.txt "$T/out/t" > /dev/null 2>&1
check "tftp-hpa netascii" cmp -s "$ROOT/text.txt" "$T/out/t"

# errors
out=$(cli tftp $SRV -m octet -c get nofile "$T/out/x" 2>&1)
check "missing file: ERROR 1" grep -q "Error code 1: file $ROOT/nofile not found for $CLI" <<< "$out"
out=$(cli tftp $SRV -m octet -c get ../etc/passwd "$T/out/x" 2>&1)
check "traversal: ERROR 2" grep -q "Error code 2: cannot access $ROOT/../etc/passwd: Permission denied" <<< "$out"
out=$(cli tftp $SRV -m octet -c get out-link "$T/out/x" 2>&1)
check "symlink out of the root: ERROR 2" grep -q "Error code 2" <<< "$out"
out=$(cli tftp $SRV -m octet -c put "$ROOT/f0" up 2>&1)
check "WRQ: ERROR 4" grep -q "Error code 4: unsupported request from $CLI" <<< "$out"
check "log: sent" grep -q "sent $ROOT/f1m to $CLI" "$T/log"
check "still running" kill -0 "$PID"
kill -TERM "$PID" 2> /dev/null
wait_gone 5 "$PID"

# tftp-max=1 and TID mismatch (max.py)
cat > "$T/max.conf" <<CONF
port=0
enable-tftp
tftp-root=$ROOT
tftp-max=1
log-facility=$T/log3
pid-file=$T/pid3
CONF
ip netns exec "$NS_S" "$PXEMASQ" -C "$T/max.conf" 2> "$T/stderr3"
t_pidfile PID "$T/pid3"
wait_for 5 grep -q "TFTP root is" "$T/log3"
while read -r line; do
	case $line in
	PASS:*) pass "${line#PASS: }" ;;
	*) fail "${line#FAIL: }" ;;
	esac
done < <(cli python3 "$(dirname "$0")/max.py" $SRV 2>&1)
check "log: client error" grep -q "error 0 bye received from $CLI" "$T/log3"
kill -TERM "$PID" 2> /dev/null
wait_gone 5 "$PID"

# single-port mode (everything through port 69) with tftp-lowercase
cat > "$T/single.conf" <<CONF
port=0
enable-tftp
tftp-root=$ROOT
tftp-single-port
tftp-lowercase
log-facility=$T/log2
pid-file=$T/pid2
CONF
ip netns exec "$NS_S" "$PXEMASQ" -C "$T/single.conf" 2> "$T/stderr2"
t_pidfile PID "$T/pid2"
wait_for 5 grep -q "single port mode" "$T/log2"
check "single port: start-up line" grep -q "TFTP root is $ROOT  single port mode" "$T/log2"
rm -f "$T/out/s"
cli atftp --option "blksize 1468" --option "windowsize 8" -g -r SUB/IN.TXT \
    -l "$T/out/s" $SRV > /dev/null 2>&1
check "single port, lowercase, windowed" cmp -s "$ROOT/sub/in.txt" "$T/out/s"
rm -f "$T/out/s"
cli tftp $SRV -m octet -c get f1m "$T/out/s" > /dev/null 2>&1
check "single port lock-step 1 MiB" cmp -s "$ROOT/f1m" "$T/out/s"
kill -TERM "$PID" 2> /dev/null
wait_gone 5 "$PID"

. "$(dirname "$0")/sidebyside.sh"
t_done
