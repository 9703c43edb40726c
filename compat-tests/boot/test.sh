#!/bin/bash
# compat-tests/boot/test.sh - real firmware network-boots through pxemasq
# (issue 8; the QEMU part of issue 5).
#
# QEMU (TCG) machines on tap devices in the server's namespace (see lab.sh:
# the LAN of dnsmasq-pxe.conf, bridge pxe0, 198.51.100.1) boot with the
# repository's dnsmasq-pxe.conf itself:
#   - BIOS: SeaBIOS and the NIC's iPXE ROM (user class iPXE, option 175,
#     arch 0) get the PXE menu, time out to its first entry, ask the boot
#     server (UDP 4011) for it, load pxelinux.0, whose menu (menu.c32)
#     times out to its default entry: a Debian kernel and a busybox
#     initramfs that prints "PXEMASQ_INIT <marker>" on ttyS0 and powers
#     off.  The marker is new for every machine, scenario and run.
#   - UEFI x86-64: OVMF's own PXE client (arch 7, no NIC ROM) gets ipxe.efi
#     through dhcp-match + tagged dhcp-boot; iPXE asks again and gets
#     boot.ipxe, a script loading the same kernel and initramfs.
# Scenarios (both machines at once in each): full (the file as it is),
# no-bios and no-uefi (one architecture's section removed: that machine
# stops, the other still boots) and proxy (a "router" namespace runs a
# plain dnsmasq DHCP server, pxemasq runs dhcp-range=198.51.100.0,proxy).
#
# TFTP: pxemasq's own when it listens on UDP 69 once started; until then
# a dnsmasq 2.90 with DHCP and DNS off (--port=0) serves the files in the
# same namespace (issue 5 allows it), and the report says so.
# When a machine fails to boot through pxemasq, the same scenario runs
# again with dnsmasq 2.90 as the server, same config, and both results are
# printed: a product fault is told apart from a test-bed fault.
#
# Env: PXEMASQ (binary), BOOT_SERVER (pxemasq, or dnsmasq to run every
# scenario with dnsmasq 2.90), BOOT_LIMIT (seconds a machine may take to
# show its marker, default 180), BOOT_BUDGET (seconds for the whole stage,
# default 570), BOOT_KEEP=DIR (copy logs and serial output there),
# BOOT_SCENARIOS (default "full no-bios no-uefi proxy").
set -u
. "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/lab.sh"

CONF=$ROOT/dnsmasq-pxe.conf
ASSETS=$ROOT/build/boot
LAB_OVMF=$ASSETS/ovmf
LIMIT=${BOOT_LIMIT:-180}
# The whole stage stays within BUDGET seconds (compat-tests/run.sh allows
# a test 600): a scenario gets what is left, or is not run.
BUDGET=${BOOT_BUDGET:-570}
SCENARIOS=${BOOT_SCENARIOS:-full no-bios no-uefi proxy}
# The server under test; BOOT_SERVER=dnsmasq runs every scenario with
# dnsmasq 2.90 instead (proof that the test bed and its expectations hold).
PRIMARY=${BOOT_SERVER:-pxemasq}
T=$T_TMP
NS=pxb$$
NS_R=pxr$$
T_NETNS+=("$NS" "$NS_R")
RUN=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
MAC_BIOS=52:54:00:b0:00:01
MAC_UEFI=52:54:00:e0:00:01
START=$SECONDS
TFTP_BY=
declare -A RESULT

# --- assets and the TFTP tree -------------------------------------------

# tree SCENARIO: the TFTP root ($T/srv/tftp, /srv/tftp for the servers)
# with this scenario's markers in pxelinux.cfg/default and boot.ipxe.
tree() {
	local d=$T/srv/tftp
	if [ ! -d "$d" ]; then
		mkdir -p "$d/pxelinux.cfg" && cp "$ASSETS"/tftp/* "$d/" &&
		    chmod -R a+rX "$T/srv" || return 1
	fi
	# pxelinux: a menu that times out (1 s) to its default entry.
	cat > "$d/pxelinux.cfg/default" <<- EOF
	UI menu.c32
	PROMPT 0
	TIMEOUT 10
	DEFAULT linux
	MENU TITLE pxemasq boot test
	LABEL rescue
	    MENU LABEL Not this one
	    KERNEL vmlinuz
	    APPEND initrd=initrd.img console=ttyS0 pxemasq.marker=wrong-entry
	LABEL linux
	    MENU LABEL Linux with the test initramfs
	    KERNEL vmlinuz
	    APPEND initrd=initrd.img console=ttyS0 quiet pxemasq.marker=$(marker "$1" bios)
	EOF
	cat > "$d/boot.ipxe" <<- EOF
	#!ipxe
	kernel vmlinuz initrd=initrd.img console=ttyS0 quiet pxemasq.marker=$(marker "$1" uefi)
	initrd initrd.img
	boot
	EOF
	chmod 644 "$d/pxelinux.cfg/default" "$d/boot.ipxe"
}

marker() { echo "$RUN-$1-$2"; }

# conf_for SCENARIO: the config of a scenario, from dnsmasq-pxe.conf.
# no-bios / no-uefi drop the section "# --- PXE: BIOS ..." / "# --- PXE:
# UEFI x86-64 ..." up to the next "# ---" header; proxy replaces the
# dhcp-range line by a proxy range.
conf_for() {
	local out=$T/$1.conf
	case $1 in
	full) cp "$CONF" "$out" ;;
	no-bios) drop_section 'PXE: BIOS' < "$CONF" > "$out" ;;
	no-uefi) drop_section 'PXE: UEFI x86-64' < "$CONF" > "$out" ;;
	proxy) sed 's/^dhcp-range=.*/dhcp-range=198.51.100.0,proxy/' \
	    "$CONF" > "$out" ;;
	esac
	echo "$out"
}

drop_section() {
	awk -v s="# --- $1" '
	    index($0, "# --- ") == 1 { skip = (index($0, s) == 1) }
	    !skip'
}

# --- servers ------------------------------------------------------------

# srv_start SERVER CONF DIR: SERVER (pxemasq|dnsmasq) in $NS with CONF, its
# log in DIR/log; then TFTP: pxemasq's own if it listens on 69, else a
# TFTP-only dnsmasq.  Returns non-zero when something did not start.
srv_start() {
	local srv=$1 conf=$2 dir=$3 bin pid
	case $srv in
	pxemasq) bin=$PXEMASQ ;;
	dnsmasq) bin=$(command -v dnsmasq) ;;
	esac
	: > "$dir/leases"
	chmod 666 "$dir/leases"
	lab_srv "$NS" "$T/srv" "$dir/stderr" "$bin" -k --conf-file="$conf" \
	    --log-facility="$dir/log" --pid-file="$dir/pid" \
	    --dhcp-leasefile="$dir/leases"
	pid=$LAB_PID
	t_track "$pid"
	echo "$pid" >> "$dir/server.pid"
	if ! wait_for 10 grep -sq "\[$pid\]: started, version" "$dir/log"; then
		echo "$srv did not start: $(tail -n 3 "$dir/stderr" "$dir/log" 2> /dev/null | tr '\n' ' ')"
		return 1
	fi
	if [ "$srv" = dnsmasq ] || listens_69 "$pid"; then
		TFTP_BY=$srv
		return 0
	fi
	TFTP_BY="dnsmasq (pxemasq has no TFTP yet)"
	lab_srv "$NS" "$T/srv" "$dir/tftp.stderr" "$(command -v dnsmasq)" -k \
	    --conf-file=/dev/null --port=0 --interface="$LAB_IF" \
	    --bind-interfaces --enable-tftp --tftp-root=/srv/tftp \
	    --log-facility="$dir/tftp.log" --pid-file="$dir/tftp.pid"
	t_track "$LAB_PID"
	echo "$LAB_PID" >> "$dir/server.pid"
	if ! wait_for 10 grep -sq "\[$LAB_PID\]: started, version" \
	    "$dir/tftp.log"; then
		echo "TFTP dnsmasq did not start: $(tail -n 3 "$dir/tftp.stderr" 2> /dev/null | tr '\n' ' ')"
		return 1
	fi
}

listens_69() {
	ip netns exec "$NS" ss -Hlunp 'sport = :69' 2> /dev/null |
	    grep -q "pid=$1,"
}

# router DIR: the office router of the proxy scenario: a dnsmasq with a
# plain DHCP range and nothing about PXE, in its own namespace.
router() {
	local dir=$1
	lab_router "$NS" "$NS_R" || return 1
	: > "$dir/router.leases"
	chmod 666 "$dir/router.leases"
	ip netns exec "$NS_R" "$(command -v dnsmasq)" -k --conf-file=/dev/null \
	    --port=0 --interface=pxr1 --bind-interfaces \
	    --dhcp-range=198.51.100.100,198.51.100.199,1h --dhcp-authoritative \
	    --log-dhcp --log-facility="$dir/router.log" \
	    --pid-file="$dir/router.pid" \
	    --dhcp-leasefile="$dir/router.leases" \
	    > "$dir/router.stderr" 2>&1 < /dev/null &
	t_track "$!"
	echo "$!" >> "$dir/server.pid"
	wait_for 10 grep -sq "\[$!\]: started, version" "$dir/router.log"
}

# --- one scenario ---------------------------------------------------------

# vm FW DIR: starts the FW (bios|uefi) machine of a scenario; its serial
# output in DIR/serial-FW.
vm() {
	local fw=$1 dir=$2 mac cmd
	case $fw in
	bios) mac=$MAC_BIOS ;;
	uefi) mac=$MAC_UEFI ;;
	esac
	cp "$LAB_OVMF/OVMF_VARS.fd" "$dir/vars-$fw.fd"
	mapfile -t cmd < <(lab_vm_cmd "$fw" "pxt-$fw" "$mac" \
	    "$dir/serial-$fw" "$dir/vars-$fw.fd")
	: > "$dir/serial-$fw"
	ip netns exec "$NS" "${cmd[@]}" > "$dir/qemu-$fw.log" 2>&1 \
	    < /dev/null &
	t_track "$!"
	echo "$!" > "$dir/vm-$fw.pid"
}

# run SCENARIO SERVER EXPECT_BIOS EXPECT_UEFI: one scenario with both
# machines; EXPECT is boot or stop.  Sets RESULT[SCENARIO/SERVER/FW] to
# "boots (Ns)", "stops" or what went wrong, and the loader each fetched.
run() {
	local sc=$1 srv=$2 dir conf t0 fw finished p lim
	declare -A want_of=([bios]=$3 [uefi]=$4)
	lim=$((BUDGET - (SECONDS - START) - 15))
	[ "$lim" -lt "$LIMIT" ] || lim=$LIMIT
	if [ "$lim" -lt 45 ]; then
		RESULT[$sc/$srv/bios]="not run: the stage's $BUDGET s are spent"
		RESULT[$sc/$srv/uefi]=${RESULT[$sc/$srv/bios]}
		return 1
	fi
	dir=$T/$sc-$srv
	mkdir -p "$dir"
	chmod 777 "$dir"
	tree "$sc" || { RESULT[$sc/$srv/bios]="test bed: TFTP tree"; return 1; }
	conf=$(conf_for "$sc")
	ip netns delete "$NS" 2> /dev/null
	ip netns delete "$NS_R" 2> /dev/null
	if ! lab_ns "$NS" || ! lab_tap "$NS" pxt-bios || ! lab_tap "$NS" pxt-uefi
	then
		RESULT[$sc/$srv/bios]="test bed: namespace"
		RESULT[$sc/$srv/uefi]="test bed: namespace"
		return 1
	fi
	if [ "$sc" = proxy ] && ! router "$dir"; then
		RESULT[$sc/$srv/bios]="test bed: router dnsmasq did not start"
		RESULT[$sc/$srv/uefi]=${RESULT[$sc/$srv/bios]}
		stop_all "$dir"
		return 1
	fi
	if ! srv_start "$srv" "$conf" "$dir" > "$dir/start.err"; then
		p=$(cat "$dir/start.err")
		RESULT[$sc/$srv/bios]=$p
		RESULT[$sc/$srv/uefi]=$p
		stop_all "$dir"
		return 1
	fi
	RESULT[$sc/$srv/tftp]=$TFTP_BY
	t0=$SECONDS
	vm bios "$dir"
	vm uefi "$dir"
	# Until every machine expected to boot shows its marker (or stops),
	# bounded by LIMIT.
	finished=0
	while [ $finished = 0 ] && [ $((SECONDS - t0)) -lt "$lim" ]; do
		finished=1
		for fw in bios uefi; do
			[ "${want_of[$fw]}" = boot ] || continue
			[ -n "${RESULT[$sc/$srv/$fw]:-}" ] && continue
			if grep -aq "PXEMASQ_INIT $(marker "$sc" "$fw")" \
			    "$dir/serial-$fw"; then
				RESULT[$sc/$srv/$fw]="boots ($((SECONDS - t0)) s)"
			elif ! kill -0 "$(cat "$dir/vm-$fw.pid")" 2> /dev/null
			then
				RESULT[$sc/$srv/$fw]="QEMU exited without the marker: $(tail -n 2 "$dir/qemu-$fw.log" | tr '\n' ' ')"
			else
				finished=0
			fi
		done
		[ $finished = 1 ] || sleep 0.5
	done
	# A machine expected to stop: it asked (its DISCOVER is in the
	# server's log) and got no loader and no kernel.  It has had as long
	# as the other machine needed to boot completely, 30 s at least.
	for fw in bios uefi; do
		[ "${want_of[$fw]}" = stop ] || continue
		wait_for $((30 - (SECONDS - t0) > 0 ? 30 - (SECONDS - t0) : 0)) false
		RESULT[$sc/$srv/$fw]=$(stopped "$fw" "$sc" "$dir")
	done
	for fw in bios uefi; do
		[ -n "${RESULT[$sc/$srv/$fw]:-}" ] ||
		    RESULT[$sc/$srv/$fw]="no marker within $lim s (last serial line: $(last_line "$dir/serial-$fw"))"
		RESULT[$sc/$srv/$fw.loader]=$(loaders "$dir")
	done
	stop_all "$dir"
	[ -n "${BOOT_KEEP:-}" ] && mkdir -p "$BOOT_KEEP" &&
	    cp -r "$dir" "$BOOT_KEEP/"
	return 0
}

# stopped FW SCENARIO DIR: "stops" when the machine was seen and got
# nothing to boot; else what it got.
stopped() {
	local fw=$1 mac ldr
	case $fw in
	bios) mac=$MAC_BIOS; ldr=pxelinux.0 ;;
	uefi) mac=$MAC_UEFI; ldr=ipxe.efi ;;
	esac
	if grep -aq "PXEMASQ_INIT" "$3/serial-$fw"; then
		echo "booted although its lines are removed"
	elif grep -sq "sent /srv/tftp/$ldr " "$3"/*log; then
		echo "fetched $ldr although its lines are removed"
	elif ! grep -sqi "DHCPDISCOVER([^)]*) $mac" "$3"/*log; then
		echo "test bed: its DHCPDISCOVER never reached the server"
	else
		echo stops
	fi
}

# loaders DIR: the files the TFTP server sent, in order, basenames.
loaders() {
	grep -sho 'sent /srv/tftp/[^ ]*' "$1"/*log |
	    sed 's|sent /srv/tftp/||' | awk '!s[$0]++' | tr '\n' ' '
}

# exited PID: PID (a child of this shell) has ended: gone or a zombie.
exited() {
	local st
	st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2> /dev/null)
	[ -z "$st" ] || [ "$st" = Z ]
}

last_line() {
	tr -d '\033\r' < "$1" | grep -a '[[:alnum:]]' | tail -n 1 | cut -c1-100
}

stop_all() {
	local f p
	for f in "$1"/vm-*.pid "$1"/server.pid; do
		[ -f "$f" ] || continue
		while read -r p; do
			kill -TERM "$p" 2> /dev/null
		done < "$f"
	done
	for f in "$1"/vm-*.pid "$1"/server.pid; do
		[ -f "$f" ] || continue
		while read -r p; do
			wait_for 5 exited "$p" || kill -KILL "$p" 2> /dev/null
			wait "$p" 2> /dev/null
		done < "$f"
	done
	ip netns delete "$NS" 2> /dev/null
	ip netns delete "$NS_R" 2> /dev/null
}

# --- checks -----------------------------------------------------------------

# scenario SC EXPECT_BIOS EXPECT_UEFI: pxemasq first; dnsmasq 2.90 too when
# pxemasq failed, and both printed.
scenario() {
	local sc=$1 fw ok=1 p d what
	declare -A want_of=([bios]=$2 [uefi]=$3)
	run "$sc" "$PRIMARY" "$2" "$3"
	for fw in bios uefi; do
		outcome "${want_of[$fw]}" "${RESULT[$sc/$PRIMARY/$fw]}" || ok=0
	done
	if [ $ok = 0 ] && [ "$PRIMARY" = pxemasq ]; then
		echo "  $sc: pxemasq failed; the same boot through dnsmasq 2.90:"
		run "$sc" dnsmasq "$2" "$3"
	fi
	for fw in bios uefi; do
		p=${RESULT[$sc/$PRIMARY/$fw]}
		d=
		[ "$PRIMARY" = pxemasq ] && d=${RESULT[$sc/dnsmasq/$fw]:-}
		what="$sc: $fw machine boots"
		[ "${want_of[$fw]}" = stop ] &&
		    what="$sc: $fw machine stops, its section removed"
		if outcome "${want_of[$fw]}" "$p"; then
			pass "$what: $PRIMARY: $p${d:+; dnsmasq 2.90: $d}"
		elif [ "$PRIMARY" = pxemasq ]; then
			fail "$what: pxemasq: $p; dnsmasq 2.90: ${d:-not run}"
		else
			fail "$what: $PRIMARY: $p"
		fi
	done
	echo "  $sc: TFTP by ${RESULT[$sc/$PRIMARY/tftp]:-?}; files sent: ${RESULT[$sc/$PRIMARY/bios.loader]:-none}"
}

# outcome WANT RESULT: RESULT is what WANT (boot|stop) asks for.
outcome() {
	case $1 in
	boot) case $2 in boots*) return 0 ;; esac ;;
	stop) [ "$2" = stops ] && return 0 ;;
	esac
	return 1
}

if [ ! -x "$PXEMASQ" ]; then
	fail "pxemasq: $PXEMASQ not built"
	t_done
	exit
fi
for c in qemu-system-x86_64 dnsmasq cpio; do
	if ! command -v "$c" > /dev/null; then
		fail "test bed: $c missing (make deps)"
		t_done
		exit
	fi
done
if ! bash "$ROOT/scripts/boot-assets.sh" "$ASSETS" > "$T/assets.log" 2>&1; then
	fail "test bed: boot assets: $(tail -n 1 "$T/assets.log")"
	t_done
	exit
fi

# The config and each scenario's variant: accepted by both.
for sc in $SCENARIOS; do
	f=$(conf_for "$sc")
	check "$sc: config accepted by dnsmasq --test" \
	    dnsmasq --test -C "$f" > /dev/null 2>&1
	check "$sc: config accepted by pxemasq --test" \
	    "$PXEMASQ" --test -C "$f" > /dev/null 2>&1
done

for sc in $SCENARIOS; do
	case $sc in
	full) scenario full boot boot ;;
	no-bios) scenario no-bios stop boot ;;
	no-uefi) scenario no-uefi boot stop ;;
	proxy) scenario proxy boot boot ;;
	esac
	# Issue 5: the BIOS iPXE ROM got its boot file name from pxemasq's
	# DHCP/PXE (the 4011 boot-server reply names pxelinux.0) and fetched
	# it.
	if [ "$sc" = full ]; then
		d=$T/full-$PRIMARY
		check "full: BIOS iPXE ROM (user class iPXE) gets pxelinux.0 from $PRIMARY's boot-server reply" \
		    grep -Eq "$PRIMARY-dhcp\[[0-9]+\]: ([0-9]+ )?PXE\(pxe0\) [0-9.]+ $MAC_BIOS pxelinux\.0" "$d/log"
		check "full: BIOS iPXE ROM fetches pxelinux.0 over TFTP" \
		    grep -sq 'sent /srv/tftp/pxelinux.0 ' "$d"/*log
		check "full: OVMF (arch 7) gets ipxe.efi, iPXE gets boot.ipxe, from $PRIMARY" \
		    sh -c "grep -q 'bootfile-name  ipxe.efi' '$d/log' &&
		    grep -q 'bootfile-name  boot.ipxe' '$d/log'"
	fi
	# Proxy: the addresses came from the router, the boot from pxemasq.
	if [ "$sc" = proxy ]; then
		d=$T/proxy-$PRIMARY
		check "proxy: both machines leased their address from the router" \
		    sh -c "grep -q 'DHCPACK(pxr1) [0-9.]* $MAC_BIOS' '$d/router.log' &&
		    grep -q 'DHCPACK(pxr1) [0-9.]* $MAC_UEFI' '$d/router.log'"
		check "proxy: $PRIMARY answered both as proxy and leased nothing" \
		    sh -c "grep -Eq 'PXE\(pxe0\) $MAC_BIOS proxy' '$d/log' &&
		    grep -Eq 'PXE\(pxe0\) $MAC_UEFI proxy' '$d/log' &&
		    ! grep -q 'DHCPACK' '$d/log'"
	fi
done
echo "boot: took $((SECONDS - START)) s"
t_done
