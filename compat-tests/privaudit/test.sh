#!/bin/bash
# compat-tests/privaudit/test.sh - privilege audit (issue 9).  Starts
# pxemasq with every shipped configuration (conf/*.conf and
# dnsmasq-pxe.conf) in both start modes, each in its own namespace with the
# interface the configuration names created as a veth (198.51.100.1/24, or
# 203.0.113.1/24 for the proxy subnet):
#   root    started as root, drops to the default user nobody (mode 1)
#   ambient started as nobody with CAP_NET_RAW and CAP_NET_BIND_SERVICE as
#           ambient capabilities and nothing else in the bounding set, as
#           contrib/systemd/pxemasq.service starts it (mode 2)
# and reads /proc/PID/status (Uid, Gid, CapPrm, CapEff, CapBnd, CapInh,
# CapAmb) and /proc/PID/fd (each readlink'ed; sockets classified through
# /proc/PID/net/*).  The resulting table must equal the one in the
# PRIVILEGES section of man/pxemasq.8.in (between the privaudit-table
# markers); PRIVAUDIT_PRINT=1 prints the table to paste there.
# tftp-root is pointed into the test's directory; nothing else is changed.
set -u
. "$(dirname "$0")/../lib.sh"

t_need "" setpriv
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$T_TMP
NOBODY=$(id -u nobody)
NOGROUP=$(id -g nobody)
mkdir -p "$T/tftp"

# sockname NETNS_PID INODE: udp, tcp, raw, icmp, packet, netlink or unix
sockname() {
	local f
	for f in udp tcp raw icmp packet netlink unix udp6 tcp6 raw6; do
		if awk -v i="$2" '{ for (k = 1; k <= NF; k++) if ($k == i) f = 1 }
		    END { exit !f }' "/proc/$1/net/$f" 2> /dev/null; then
			echo "$f"
			return
		fi
	done
	echo "socket"
}

# fds PID DIR: the descriptors as a sorted, counted word list
fds() {
	local fd l
	for fd in /proc/$1/fd/*; do
		l=$(readlink "$fd") || continue
		case $l in
		socket:\[*\]) l=$(sockname "$1" "${l//[^0-9]/}") ;;
		anon_inode:*) l=${l#anon_inode:}; l=${l//[][]/} ;;
		"$2"/*) l=${l#"$2"/} ;;
		/dev/null) l=null ;;
		esac
		echo "$l"
	done | sort | uniq -c | awk '{ printf "%s%s", sep, ($1 > 1 ? $2 "*" $1 : $2); sep = "," }'
}

caps() { proc_field "$1" "$2" | sed 's/^0*//; s/^$/0/'; }

# audit CONF MODE: one table line, or "CONF MODE FAILED: why"
audit() {
	local conf=$1 mode=$2 name ifc net ns dir pid rc
	name=$(basename "$conf")
	ifc=$(sed -n 's/^interface=//p' "$conf" | head -n 1)
	net=198.51.100.1/24
	grep -q "^dhcp-range=203\.0\.113\." "$conf" && net=203.0.113.1/24
	ns=ppa$$$mode${#name}$RANDOM
	T_NETNS+=("$ns")
	ip netns add "$ns" && ip -n "$ns" link set lo up &&
	ip -n "$ns" link add "$ifc" type veth peer name "${ifc}p" &&
	ip -n "$ns" addr add "$net" dev "$ifc" &&
	ip -n "$ns" link set "$ifc" up && ip -n "$ns" link set "${ifc}p" up ||
	    { echo "$name $mode FAILED: netns"; return; }
	dir=$T/$name.$mode
	mkdir -p "$dir"
	sed "s|^tftp-root=.*|tftp-root=$T/tftp|" "$conf" > "$dir/pxemasq.conf"
	set -- -C "$dir/pxemasq.conf" --dhcp-leasefile="$dir/leases" \
	    --pid-file="$dir/pid" --log-facility="$dir/log"
	if [ "$mode" = root ]; then
		ip netns exec "$ns" "$PXEMASQ" "$@" < /dev/null \
		    > /dev/null 2> "$dir/stderr"
		rc=$?
	else
		touch "$dir/leases" "$dir/log"
		chown -R nobody:"$NOGROUP" "$dir"
		ip netns exec "$ns" setpriv --reuid="$NOBODY" \
		    --regid="$NOGROUP" --clear-groups \
		    --inh-caps=-all,+net_raw,+net_bind_service \
		    --ambient-caps=-all,+net_raw,+net_bind_service \
		    --bounding-set=-all,+net_raw,+net_bind_service \
		    -- "$PXEMASQ" -k "$@" < /dev/null > /dev/null \
		    2> "$dir/stderr" &
		rc=0
	fi
	wait_for 10 test -s "$dir/pid"
	pid=$(cat "$dir/pid" 2> /dev/null)
	if [ "$rc" != 0 ] || [ -z "$pid" ]; then
		echo "$name $mode FAILED: exit $rc: $(tr '\n' ' ' < "$dir/stderr")"
		return
	fi
	t_track "$pid"
	wait_for 10 grep -q "started, version" "$dir/log"
	wait_for 5 sh -c "grep -q '^Uid:.*$NOBODY' /proc/$pid/status"
	printf '%s %s uid=%s gid=%s prm=%s eff=%s bnd=%s inh=%s amb=%s fds=%s\n' \
	    "$name" "$mode" \
	    "$(proc_field "$pid" Uid | awk '{print ($1==$2&&$2==$3&&$3==$4) ? $1 : $0}' | sed "s/^$NOBODY\$/nobody/")" \
	    "$(proc_field "$pid" Gid | awk '{print ($1==$2&&$2==$3&&$3==$4) ? $1 : $0}' | sed "s/^$NOGROUP\$/nogroup/; s/^$(getent group dip | cut -d: -f3)\$/dip/")" \
	    "$(caps "$pid" CapPrm)" "$(caps "$pid" CapEff)" \
	    "$(caps "$pid" CapBnd)" "$(caps "$pid" CapInh)" \
	    "$(caps "$pid" CapAmb)" "$(fds "$pid" "$dir")"
	kill -TERM "$pid" 2> /dev/null
	wait_gone 5 "$pid"
}

: > "$T/table"
for conf in "$ROOT"/conf/*.conf "$ROOT"/dnsmasq-pxe.conf; do
	for mode in root ambient; do
		audit "$conf" "$mode" >> "$T/table"
	done
done
# expectations that hold whatever the table says
while read -r name mode uid gid prm eff bnd inh amb fd; do
	if [ "$uid" = FAILED: ] || [ "$mode" = FAILED: ]; then
		fail "$name $mode: started: $uid $gid $prm $eff $bnd $inh $amb $fd"
		continue
	fi
	conf=$ROOT/conf/$name
	[ -f "$conf" ] || conf=$ROOT/$name
	want=0
	grep -q '^dhcp-range=' "$conf" && want=2000	# CAP_NET_RAW
	check "$name $mode: runs as nobody" test "$uid" = uid=nobody
	check "$name $mode: CapPrm = CapEff = only what it needs ($want)" \
	    test "$prm $eff" = "prm=$want eff=$want"
	# mode 2 holds no CAP_SETPCAP: the bounding set stays what the
	# service manager gave (the unit's CapabilityBoundingSet=, 0x2400)
	wantb=$want
	[ "$mode" = ambient ] && wantb=2400
	check "$name $mode: bounding set only what it needs ($wantb)" \
	    test "$bnd" = "bnd=$wantb"
	check "$name $mode: nothing inheritable or ambient" \
	    test "$inh $amb" = "inh=0 amb=0"
	check "$name $mode: no configuration, /etc file or inherited pipe open" \
	    sh -c "! echo '$fd' | grep -q -e pxemasq.conf -e /etc/ -e pipe -e /tmp"
done < "$T/table"
# the man page's form: capabilities by name, descriptors on their own line
capnames() {
	case $1 in
	0) echo none ;;
	2000) echo NET_RAW ;;
	400) echo NET_BIND_SERVICE ;;
	2400) echo NET_RAW,NET_BIND_SERVICE ;;
	*) echo "$1" ;;
	esac
}
while read -r name mode uid gid prm eff bnd inh amb fd; do
	[ "$mode" = FAILED: ] && continue
	printf '%-27s %-8s %s/%s\n' "$name" "$mode" "${uid#uid=}" "${gid#gid=}"
	printf '    permitted, effective: %s; bounding: %s\n' \
	    "$(capnames "${prm#prm=}")" "$(capnames "${bnd#bnd=}")"
	printf '    descriptors: %s\n' "$(echo "${fd#fds=}" | tr ',' ' ')"
done < "$T/table" > "$T/table.man"
if [ "${PRIVAUDIT_PRINT:-0}" = 1 ]; then
	sed 's/-/\\-/g' "$T/table.man"
fi
sed -n '/^\.\\" privaudit-table-begin/,/^\.\\" privaudit-table-end/p' \
    "$ROOT/man/pxemasq.8.in" | sed '1,2d; $d' | sed '$d' |
    sed 's/\\-/-/g' > "$T/man-table"
if diff -u "$T/man-table" "$T/table.man" > "$T/diff"; then
	pass "table equals man/pxemasq.8.in PRIVILEGES"
else
	fail "table differs from man/pxemasq.8.in PRIVILEGES:"
	cat "$T/diff"
fi
t_done
