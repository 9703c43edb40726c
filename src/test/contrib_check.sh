#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# contrib_check.sh - checks what pxemasq installs beside the binary:
#   man       man/pxemasq.8 is what scripts/gen-man.sh makes from
#             man/pxemasq.8.in, man/options.txt and src/conf_kw.h (every
#             option described), and groff -ww renders it without a
#             warning
#   version   pxemasq --version names the version and the compiled-in
#             features ("Compile time options: ...")
#   bash      contrib/bash-completion/pxemasq offers every option of
#             src/conf_kw.h (read from --help) and completes values
#   init      the SysV and procd init scripts parse (sh -n; shellcheck
#             when installed)
#   systemd   contrib/systemd/pxemasq.service passes systemd-analyze verify
#             (on a copy pointing at this build; SKIP without
#             systemd-analyze) and keeps its hardening: ProtectSystem=strict,
#             NoNewPrivileges, and CapabilityBoundingSet= and
#             AmbientCapabilities= exactly the privilege audit's
#             CAP_NET_RAW CAP_NET_BIND_SERVICE (pxemasq(8) PRIVILEGES)
#   openwrt   the OpenWrt package's pxemasq.conf passes pxemasq --test and
#             dnsmasq --test
#   logrotate the logrotate snippet parses (logrotate -d), when logrotate
#             is installed (it is not a dependency: a NOTE otherwise)
#   install   make install DESTDIR=... installs binary, man page, examples
#             and completion (only when build/pxemasq is up to date: this
#             script builds nothing)
# Output: "PASS: what" or "FAIL: what" per check, "SKIP: what" when a
# required tool is missing, "NOTE: what".  Exit 1 when a check fails.
#
# Environment: PXEMASQ (default build/pxemasq), DNSMASQ (default: PATH).

set -u

cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
pxemasq=${PXEMASQ:-$root/build/pxemasq}
dnsmasq=${DNSMASQ:-$(command -v dnsmasq || true)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pxemasq-contrib.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
rc=0

pass() { echo "PASS: $*"; }
fail() {
	echo "FAIL: $*"
	rc=1
}
skip() { echo "SKIP: $*"; }

# --- man page -------------------------------------------------------------

if scripts/gen-man.sh "$tmp/pxemasq.8" 2> "$tmp/gen.err"; then
	pass "man: every option of src/conf_kw.h described in man/options.txt"
else
	fail "man: $(head -n 3 "$tmp/gen.err" | tr '\n' ' ')"
fi
if cmp -s "$tmp/pxemasq.8" man/pxemasq.8; then
	pass "man: man/pxemasq.8 is up to date"
else
	fail "man: man/pxemasq.8 is stale: run scripts/gen-man.sh"
fi
if command -v groff > /dev/null 2>&1; then
	groff -ww -man -Tutf8 man/pxemasq.8 > "$tmp/man.txt" 2> "$tmp/groff.err"
	if [ -s "$tmp/groff.err" ]; then
		fail "man: groff -ww warns: $(head -n 2 "$tmp/groff.err" |
		    tr '\n' ' ')"
	elif ! grep -q 'dhcp' "$tmp/man.txt"; then
		fail "man: groff rendered no option text"
	else
		pass "man: groff -ww -man renders man/pxemasq.8 without warnings"
	fi
else
	skip "man: groff not installed (apt-get install groff-base)"
fi

# The configuration examples in the page (.nf blocks of name=value lines)
# must pass both daemons.
awk -v dir="$tmp" '
	/^\.nf/ { n++; f = dir "/man-example-" n ".conf"; next }
	/^\.fi/ { f = ""; next }
	f != "" { gsub(/\\-/, "-"); print > f }' man/pxemasq.8
for f in "$tmp"/man-example-*.conf; do
	if [ ! -f "$f" ] || ! grep -q '^[a-z-]*=' "$f"; then continue; fi
	if [ -x "$pxemasq" ] && ! "$pxemasq" --test -C "$f" > "$tmp/o" 2>&1; then
		fail "man: example ${f##*/}: $(grep -m1 . "$tmp/o")"
	elif [ -n "$dnsmasq" ] && ! "$dnsmasq" --test -C "$f" > "$tmp/o" 2>&1; then
		fail "man: example ${f##*/}: $(grep -m1 . "$tmp/o")"
	else
		pass "man: example ${f##*/} passes pxemasq and dnsmasq --test"
	fi
done

# --- --version --------------------------------------------------------------

if [ -x "$pxemasq" ]; then
	ver=$(sed -n 's/^VERSION *:= *//p' Makefile)
	out=$("$pxemasq" --version 2>&1)
	if printf '%s\n' "$out" | grep -q "^pxemasq version $ver\$" &&
	    printf '%s\n' "$out" |
	    grep -Eq '^Compile time options: (no-)?DHCP (no-)?PXE (no-)?TFTP (no-)?DNS (no-)?scripts (no-)?metrics$'; then
		pass "version: --version prints version $ver and the features"
	else
		fail "version: --version printed: $(printf '%s' "$out" |
		    head -n 2 | tr '\n' ' ')"
	fi
else
	skip "version, bash: no $pxemasq (make)"
fi

# --- bash completion ----------------------------------------------------------

if [ -x "$pxemasq" ]; then
	nrows=$(grep -c '^X_KW(\|^X_ALIAS(' src/conf_kw.h)
	out=$(bash -c '
		. contrib/bash-completion/pxemasq || exit 1
		_pxemasq_opts "$1" | grep -c "^--"
		t() {
			COMP_WORDS=("$@")
			COMP_CWORD=$(($# - 1))
			_pxemasq
			echo "${COMPREPLY[*]}"
		}
		t "$1" --dhcp-bo
		t "$1" --no-dae
		t "$1" --conf-file = conf/mac-lo
		t "$1" -C conf/mac-lo
		t "$1" --conf-file=conf/mac-lo
	' _ "$pxemasq" 2>&1)
	want=$(printf '%s\n' "$nrows" "--dhcp-boot=" "--no-daemon" \
	    conf/mac-locked.conf conf/mac-locked.conf \
	    --conf-file=conf/mac-locked.conf)
	if [ "$out" = "$want" ]; then
		pass "bash: completion offers all $nrows options and completes values"
	else
		fail "bash: completion: got $(printf '%s' "$out" |
		    tr '\n' '|'), want $(printf '%s' "$want" | tr '\n' '|')"
	fi
fi

# --- systemd unit -----------------------------------------------------------------

unit=contrib/systemd/pxemasq.service
for want in "ProtectSystem=strict" "NoNewPrivileges=yes" \
    "CapabilityBoundingSet=CAP_NET_RAW CAP_NET_BIND_SERVICE" \
    "AmbientCapabilities=CAP_NET_RAW CAP_NET_BIND_SERVICE" \
    "User=pxemasq" "ProtectHome=yes" "PrivateDevices=yes" \
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET"; do
	if grep -qx "$want" "$unit"; then
		pass "systemd: $unit has $want"
	else
		fail "systemd: $unit lacks $want"
	fi
done
if ! command -v systemd-analyze > /dev/null 2>&1; then
	skip "systemd: systemd-analyze not installed"
elif [ ! -x "$pxemasq" ]; then
	skip "systemd: no $pxemasq (make)"
else
	sed "s|/usr/sbin/pxemasq|$pxemasq|g" "$unit" > "$tmp/pxemasq.service"
	if systemd-analyze verify --man=no "$tmp/pxemasq.service" \
	    > "$tmp/sa.out" 2>&1 && ! [ -s "$tmp/sa.out" ]; then
		pass "systemd: systemd-analyze verify $unit"
	else
		fail "systemd: systemd-analyze verify $unit: $(head -n 2 \
		    "$tmp/sa.out" | tr '\n' ' ')"
	fi
fi

# --- init scripts ---------------------------------------------------------------

for f in contrib/debian/pxemasq.init contrib/openwrt/pxemasq/files/pxemasq.init; do
	if ! sh -n "$f" 2> "$tmp/sh.err"; then
		fail "init: sh -n $f: $(head -n 1 "$tmp/sh.err")"
	elif command -v shellcheck > /dev/null 2>&1 &&
	    ! shellcheck -s sh "$f" > "$tmp/sc.out" 2>&1; then
		fail "init: shellcheck $f: $(grep -m1 SC "$tmp/sc.out")"
	else
		pass "init: $f parses"
	fi
done
if command -v shellcheck > /dev/null 2>&1 &&
    ! shellcheck contrib/bash-completion/pxemasq > "$tmp/sc.out" 2>&1; then
	fail "bash: shellcheck: $(grep -m1 SC "$tmp/sc.out")"
fi

# The SysV script's checkconfig and status, on a copy pointing at this
# build and a private defaults file (nothing is started).
if [ -x "$pxemasq" ] && [ -r /lib/lsb/init-functions ]; then
	sed -e "s|/usr/sbin/pxemasq|$pxemasq|" \
	    -e "s|/etc/default/pxemasq|$tmp/default|g" \
	    contrib/debian/pxemasq.init > "$tmp/init"
	printf 'CONFIG_FILE=%s\nPIDFILE=%s\n' "$root/conf/mac-locked.conf" \
	    "$tmp/none.pid" > "$tmp/default"
	sh "$tmp/init" checkconfig > "$tmp/o1" 2>&1
	r1=$?
	sh "$tmp/init" status > "$tmp/o2" 2>&1
	r2=$?
	printf 'x-bad-option\n' > "$tmp/bad.conf"
	printf 'CONFIG_FILE=%s\n' "$tmp/bad.conf" >> "$tmp/default"
	sh "$tmp/init" checkconfig > "$tmp/o3" 2>&1
	r3=$?
	if [ $r1 = 0 ] && [ $r2 = 3 ] && [ $r3 = 1 ] &&
	    grep -q 'bad option at line 1' "$tmp/o3"; then
		pass "init: SysV checkconfig accepts a good file, names the bad line of a bad one; status says not running (3)"
	else
		fail "init: SysV checkconfig/status: exit $r1/$r2/$r3: $(cat "$tmp/o1" "$tmp/o3" | tr '\n' ' ')"
	fi
fi

# The procd script's start_service with procd's functions stubbed: the
# instance command it registers, and no instance for a bad file.
if [ -x "$pxemasq" ]; then
	cat > "$tmp/procd.sh" <<-'EOS'
	procd_open_instance() { echo open; }
	procd_set_param() { echo "param $*"; }
	procd_close_instance() { echo close; }
	logger() { echo "logger $*"; }
	. "$1"
	PROG=$2 CONFFILE=$3 RUNDIR=$4
	start_service
	EOS
	init=contrib/openwrt/pxemasq/files/pxemasq.init
	printf 'x-bad-option\n' > "$tmp/bad.conf"
	sh "$tmp/procd.sh" "$init" "$pxemasq" "$root/conf/netboot-xyz.conf" \
	    "$tmp/run" > "$tmp/p1" 2>&1
	r1=$?
	sh "$tmp/procd.sh" "$init" "$pxemasq" "$tmp/bad.conf" "$tmp/run" \
	    > "$tmp/p2" 2>&1
	r2=$?
	if [ $r1 = 0 ] && grep -q "^param command $pxemasq -k -C $root/conf/netboot-xyz.conf --dhcp-leasefile=$tmp/run/pxemasq.leases --pid-file=$tmp/run/pxemasq.pid\$" "$tmp/p1" &&
	    grep -q '^param reload_signal HUP$' "$tmp/p1" &&
	    [ $r2 = 1 ] && ! grep -q '^open' "$tmp/p2" &&
	    grep -q "^logger -t pxemasq not started: pxemasq: bad option at line 1" "$tmp/p2"; then
		pass "init: procd start_service registers pxemasq -k -C FILE; a bad file is logged and not started"
	else
		fail "init: procd start_service: exit $r1/$r2: $(cat "$tmp/p1" "$tmp/p2" | tr '\n' ' ')"
	fi
fi

# --- the OpenWrt package's configuration -------------------------------------------

f=contrib/openwrt/pxemasq/files/pxemasq.conf
if [ -x "$pxemasq" ] && "$pxemasq" --test -C "$f" > "$tmp/o" 2>&1; then
	pass "openwrt: pxemasq --test -C $f"
elif [ -x "$pxemasq" ]; then
	fail "openwrt: pxemasq --test -C $f: $(grep -m1 . "$tmp/o")"
fi
if [ -n "$dnsmasq" ] && "$dnsmasq" --test -C "$f" > "$tmp/o" 2>&1; then
	pass "openwrt: dnsmasq --test -C $f"
elif [ -n "$dnsmasq" ]; then
	fail "openwrt: dnsmasq --test -C $f: $(grep -m1 . "$tmp/o")"
else
	skip "openwrt: dnsmasq not installed"
fi

# --- logrotate snippet -------------------------------------------------------

if command -v logrotate > /dev/null 2>&1; then
	sed -e "s|/var/log/pxemasq.log|$tmp/pxemasq.log|" \
	    contrib/logrotate/pxemasq > "$tmp/logrotate.conf"
	: > "$tmp/pxemasq.log"
	if logrotate -d -s "$tmp/lr.state" "$tmp/logrotate.conf" \
	    > "$tmp/lr.out" 2>&1 && ! grep -qi '^error' "$tmp/lr.out"; then
		pass "logrotate: contrib/logrotate/pxemasq parses (logrotate -d)"
	else
		fail "logrotate: $(grep -m1 -i error "$tmp/lr.out")"
	fi
else
	echo "NOTE: logrotate not installed: contrib/logrotate/pxemasq not parsed"
fi

# --- make install -----------------------------------------------------------------

if [ -x build/pxemasq ] && make -q build/pxemasq 2> /dev/null; then
	if make -s install DESTDIR="$tmp/inst" PREFIX=/usr > "$tmp/inst.log" \
	    2>&1 &&
	    [ -x "$tmp/inst/usr/sbin/pxemasq" ] &&
	    [ -f "$tmp/inst/usr/share/man/man8/pxemasq.8" ] &&
	    [ -f "$tmp/inst/usr/share/bash-completion/completions/pxemasq" ] &&
	    [ "$(ls "$tmp/inst/usr/share/doc/pxemasq/examples" | wc -l)" = \
	    "$(ls conf/*.conf | wc -l)" ] &&
	    grep -q '/usr/share/doc/pxemasq/examples' \
	    "$tmp/inst/usr/share/man/man8/pxemasq.8"; then
		pass "install: make install DESTDIR= PREFIX=/usr installs binary, man page, examples, completion"
	else
		fail "install: make install: $(tail -n 2 "$tmp/inst.log" |
		    tr '\n' ' ')"
	fi
else
	skip "install: build/pxemasq not up to date (make)"
fi

exit $rc
