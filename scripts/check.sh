#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check.sh [--quick|--full|--cross] - runs every test suite of pxemasq and
# ends with one line "N passed, M failed"; exits 1 when M > 0 (or nothing
# ran).
#
# Suites (each skipped, with a notice, when its binaries are absent):
#   unit        build/test/test_*            cmocka cases
#   san/unit    build/san/test/test_*        the same under ASan+UBSan
#   fuzz        build/fuzz/replay_T          one case per seed in
#   san/fuzz    build/san/fuzz/replay_T        src/fuzz/corpus/T/
#   corpus      src/test/conf_corpus.sh      one case per config file
#   san/corpus  the corpus with build/san/pxemasq (--full only)
#   conf        src/test/conf_shipped.sh     conf/*.conf, dnsmasq-pxe.conf:
#                                              pxemasq and dnsmasq --test,
#                                              dump round trip, header
#   report      src/test/compat_report_selftest.sh   make compat-report's
#                                              table from fake logs
#   explain     src/test/explain_check.sh    pxemasq --explain: boot files
#                                            as dnsmasq answers, pcap input
#   contrib     src/test/contrib_check.sh    man page (generated, groff -ww),
#                                              --version, bash completion,
#                                              init scripts, make install
#   compat      compat-tests/run.sh          --full only; exit 77 = skipped
#
# --quick (the default) runs what takes seconds; the sanitizer suites run
# in --quick only when their binaries are at least as new as the plain
# ones, so a stale ASan build is never mistaken for a result.
# --cross runs unit, fuzz and corpus only, on the binaries of another
# architecture (scripts/check-cross.sh): BUILD_DIR=build-ARCH, CHECK_RUNNER
# the emulator command put before each binary ("qemu-s390x-static -L
# /usr/s390x-linux-gnu"), CHECK_LABEL a prefix for the suite names (ARCH),
# CHECK_TIMEOUT_FACTOR a multiplier for the per-binary time limits.
# Built by "make check" / "make check-quick"; this script builds nothing.

set -u

mode=quick
case ${1:-} in
--quick | '') mode=quick ;;
--full) mode=full ;;
--cross) mode=cross ;;
*)
	echo "usage: $0 [--quick|--full|--cross]" >&2
	exit 2
	;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
build=${BUILD_DIR:-build}
# shellcheck disable=SC2206
runner=(${CHECK_RUNNER:-})
label=${CHECK_LABEL:+$CHECK_LABEL/}
tf=${CHECK_TIMEOUT_FACTOR:-1}

passed=0
failed=0
skipped=()
log=$(mktemp -d "${TMPDIR:-/tmp}/pxemasq-check.XXXXXX") || exit 1
trap 'rm -rf "$log"' EXIT

# Unit test output format is fixed whatever the caller's environment says.
export CMOCKA_MESSAGE_OUTPUT=stdout
unset CMOCKA_XML_FILE
# Sanitizers: stop at the first error, report leaks, say where.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

note() { echo "$*"; }
pass_n() { passed=$((passed + $1)); }
fail_case() {
	# fail_case SUITE WHAT [DETAIL-FILE]
	failed=$((failed + 1))
	echo "FAIL $1: $2"
	if [ -n "${3:-}" ] && [ -s "$3" ]; then
		tail -n 30 "$3" | sed -e 's/^/    | /'
	fi
}
skip() {
	skipped+=("$1")
	echo "SKIP $1: $2"
}

# Is the sanitizer twin usable in this mode?  full: always; quick: only
# when not older than the plain binary.
san_fresh() {
	local san=$1 plain=$2

	[ -x "$san" ] || return 1
	[ "$mode" = full ] && return 0
	[ ! -e "$plain" ] || [ ! "$plain" -nt "$san" ]
}

# --- cmocka binaries ----------------------------------------------------

run_cmocka() {
	local suite=$1 bin=$2 out rc np nf name
	out="$log/$(basename "$bin").$RANDOM.log"

	# (the braces keep bash's own "Segmentation fault" notice quiet)
	{ timeout -k 5 $((120 * tf)) "${runner[@]}" "$bin" > "$out" 2>&1 \
	    < /dev/null; } 2> /dev/null
	rc=$?
	np=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\..*/\1/p' "$out" |
	    awk '{s += $1} END {print s + 0}')
	nf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s),.*/\1/p' "$out" |
	    awk '{s += $1} END {print s + 0}')
	pass_n "$np"
	if [ "$nf" -gt 0 ]; then
		sed -n 's/^\[  FAILED  \] \([^0-9].*\)/\1/p' "$out" |
		    awk '!seen[$0]++' | while read -r name; do
			echo "FAIL $suite/$(basename "$bin"): $name"
			# what the case printed between RUN and FAILED
			awk -v n="$name" '
			    $0 == "[ RUN      ] " n {p = 1; next}
			    $0 == "[  FAILED  ] " n {p = 0}
			    p' "$out" | head -n 8 | sed -e 's/^/    | /'
		    done
		failed=$((failed + nf))
	fi
	if [ "$nf" -gt 0 ]; then
		: # named above
	elif [ "$rc" != 0 ]; then
		fail_case "$suite/$(basename "$bin")" \
		    "exit status $rc after $np passing case(s) (crash, sanitizer report or time-out)" \
		    "$out"
	elif [ "$np" = 0 ] && [ "$nf" = 0 ]; then
		fail_case "$suite/$(basename "$bin")" "ran no test case" "$out"
	else
		note "ok   $suite/$(basename "$bin"): $np case(s) passed"
	fi
}

suite_unit() {
	local suite=$1 dir=$2 bin n=0

	for bin in "$dir"/test_*; do
		if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then continue; fi
		if [ "$suite" = san/unit ] &&
		    ! san_fresh "$bin" "$build/test/$(basename "$bin")"; then
			continue
		fi
		n=$((n + 1))
		run_cmocka "$suite" "$bin"
	done
	[ $n -gt 0 ] || skip "$suite" "no up-to-date test binaries in $dir/ (make${3:+ $3} unit)"
}

# --- fuzz seed replay ---------------------------------------------------

suite_replay() {
	local suite=$1 dir=$2 bin t seeds n f out rc ok bad n_bins=0

	for bin in "$dir"/replay_*; do
		if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then continue; fi
		if [ "$suite" = san/fuzz ] &&
		    ! san_fresh "$bin" "$build/fuzz/$(basename "$bin")"; then
			continue
		fi
		n_bins=$((n_bins + 1))
		t=${bin##*/replay_}
		seeds=src/fuzz/corpus/$t
		n=$(find "$seeds" -maxdepth 1 -type f 2>/dev/null | wc -l)
		if [ "$n" = 0 ]; then
			fail_case "$suite/$t" "no seeds in $seeds/"
			continue
		fi
		out="$log/replay_$t.$RANDOM.log"
		{ timeout -k 5 $((300 * tf)) "${runner[@]}" "$bin" "$seeds" \
		    > "$out" 2>&1 < /dev/null; } 2> /dev/null
		rc=$?
		if [ $rc = 0 ]; then
			pass_n "$n"
			note "ok   $suite/$t: $n seed(s) replayed"
			continue
		fi
		# Something failed: replay the seeds one by one to name them.
		ok=0
		bad=0
		while IFS= read -r -d '' f; do
			if { timeout -k 5 $((60 * tf)) "${runner[@]}" "$bin" "$f" \
			    > "$out.one" 2>&1 < /dev/null; } 2> /dev/null; then
				ok=$((ok + 1))
			else
				bad=$((bad + 1))
				fail_case "$suite/$t" "seed $f" "$out.one"
			fi
		done < <(find "$seeds" -maxdepth 1 -type f -print0 | sort -z)
		pass_n "$ok"
		if [ $bad = 0 ]; then
			fail_case "$suite/$t" \
			    "exit $rc on the whole corpus, although every seed passes alone" \
			    "$out"
		fi
	done
	[ $n_bins -gt 0 ] || skip "$suite" "no up-to-date replay binaries in $dir/ (make${3:+ $3} fuzz-replay)"
}

# --- configuration corpus against dnsmasq -------------------------------

suite_corpus() {
	local suite=$1 bin=$2 out rc np nf

	if [ ! -x "$bin" ]; then
		skip "$suite" "no $bin"
		return
	fi
	out="$log/corpus.$RANDOM.log"
	PXEMASQ="${runner[*]} $root/$bin" CORPUS_TIMEOUT=$((20 * tf)) \
	    src/test/conf_corpus.sh > "$out" 2>&1
	rc=$?
	if [ $rc = 77 ]; then
		skip "$suite" "$(grep -m1 SKIP "$out" || echo 'dnsmasq missing')"
		echo "!!! $suite SKIPPED: the config corpus was not compared" \
		    "with dnsmasq !!!"
		return
	fi
	np=$(grep -c '^PASS ' "$out")
	nf=$(grep -c '^FAIL ' "$out")
	pass_n "$np"
	if [ "$nf" -gt 0 ]; then
		failed=$((failed + nf))
		# The FAIL lines with their detail blocks.
		awk '/^FAIL /{p=1; print "FAIL '"$suite"': " substr($0, 6); next}
		    /^(PASS|NOTE|corpus:) /{p=0} p' "$out"
	fi
	if [ $rc != 0 ] && [ "$nf" = 0 ]; then
		fail_case "$suite" "conf_corpus.sh exit $rc" "$out"
	fi
	grep '^NOTE ' "$out"
	grep '^corpus:' "$out" | sed -e "s|^corpus:|     $suite:|"
}

# --- shipped configurations ---------------------------------------------

suite_conf() {
	local out="$log/conf.log" rc line

	PXEMASQ=$root/$build/pxemasq src/test/conf_shipped.sh > "$out" 2>&1 \
	    < /dev/null
	rc=$?
	if [ $rc = 77 ]; then
		skip conf "$(grep -m1 SKIP "$out" || echo 'dnsmasq missing')"
		return
	fi
	while IFS= read -r line; do
		case $line in
		PASS\ *) pass_n 1 ;;
		FAIL\ *) echo "FAIL conf: ${line#FAIL }"; failed=$((failed + 1)) ;;
		NOTE\ *) echo "$line" ;;
		esac
	done < "$out"
	if [ $rc != 0 ] && ! grep -q '^FAIL ' "$out"; then
		fail_case conf "conf_shipped.sh exit $rc" "$out"
	elif [ $rc = 0 ]; then
		note "ok   conf: $(grep -c '^PASS ' "$out") check(s) of" \
		    "conf/*.conf and dnsmasq-pxe.conf"
	fi
}

# --- namespace compatibility tests --------------------------------------

suite_compat() {
	local out="$log/compat.log" rc line np nf

	if [ ! -f compat-tests/run.sh ]; then
		skip compat "no compat-tests/run.sh yet"
		return
	fi
	bash compat-tests/run.sh > "$out" 2>&1 < /dev/null
	rc=$?
	if [ $rc = 77 ]; then
		skip compat "compat-tests/run.sh exit 77: $(tail -n 1 "$out")"
		echo "!!! compat SKIPPED: the namespace tests did not run !!!"
		return
	fi
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$out" |
	    tail -n 1)
	if [ -n "$line" ]; then
		np=$(echo "$line" | sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/')
		nf=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
		pass_n "$np"
		if [ "$nf" -gt 0 ]; then
			grep -E '^FAIL' "$out" | sed -e 's/^FAIL:\? */FAIL compat: /'
			failed=$((failed + nf))
		fi
		if [ $rc != 0 ] && [ "$nf" = 0 ]; then
			fail_case compat "run.sh exit $rc" "$out"
		fi
	elif [ $rc = 0 ]; then
		pass_n 1
	else
		fail_case compat "compat-tests/run.sh exit $rc" "$out"
	fi
}

# --- documentation in step with the keyword table -------------------------

suite_docs() {
	local out="$log/docs.log" line
	sh src/test/conf_classes.sh > "$out" 2>&1
	while IFS= read -r line; do
		case $line in
		PASS:*) pass_n 1 ;;
		FAIL:*) echo "FAIL docs: ${line#FAIL: }"; failed=$((failed + 1)) ;;
		esac
	done < "$out"
}

# --- make compat-report's parser on fake logs ------------------------------

suite_report() {
	local out="$log/report.log" line

	if ! command -v python3 > /dev/null; then
		skip report "no python3"
		return
	fi
	sh src/test/compat_report_selftest.sh > "$out" 2>&1 < /dev/null
	while IFS= read -r line; do
		case $line in
		PASS:*) pass_n 1 ;;
		FAIL:*) echo "FAIL report: ${line#FAIL: }"; failed=$((failed + 1)) ;;
		"    |"*) echo "$line" ;;
		esac
	done < "$out"
	if ! grep -q '^PASS:' "$out" && ! grep -q '^FAIL:' "$out"; then
		fail_case report "compat_report_selftest.sh ran no check" "$out"
	elif ! grep -q '^FAIL:' "$out"; then
		note "ok   report: $(grep -c '^PASS:' "$out") check(s) of the compat-report table"
	fi
}

# --- pxemasq --explain ------------------------------------------------------

suite_explain() {
	local out="$log/explain.log" line

	PXEMASQ=$root/$build/pxemasq bash src/test/explain_check.sh > "$out" \
	    2>&1 < /dev/null
	while IFS= read -r line; do
		case $line in
		PASS:*) pass_n 1 ;;
		FAIL:*) echo "FAIL explain: ${line#FAIL: }"; failed=$((failed + 1)) ;;
		SKIP:*) note "     explain: ${line#SKIP: } (skipped)" ;;
		esac
	done < "$out"
	if ! grep -q '^PASS:' "$out" && ! grep -q '^FAIL:' "$out"; then
		fail_case explain "explain_check.sh ran no check" "$out"
	elif ! grep -q '^FAIL:' "$out"; then
		note "ok   explain: $(grep -c '^PASS:' "$out") check(s) of --explain"
	fi
}

# --- man page, completion, init scripts, install --------------------------

suite_contrib() {
	local out="$log/contrib.log" line

	PXEMASQ=$root/$build/pxemasq src/test/contrib_check.sh > "$out" 2>&1 \
	    < /dev/null
	while IFS= read -r line; do
		case $line in
		PASS:*) pass_n 1 ;;
		FAIL:*) echo "FAIL contrib: ${line#FAIL: }"; failed=$((failed + 1)) ;;
		SKIP:*) skip contrib "${line#SKIP: }" ;;
		NOTE:*) echo "NOTE contrib: ${line#NOTE: }" ;;
		esac
	done < "$out"
	grep -q '^PASS:' "$out" &&
	    note "ok   contrib: $(grep -c '^PASS:' "$out") check(s) of man page, completion, init scripts, install"
}

# --- main ---------------------------------------------------------------

start=$(date +%s)
echo "pxemasq check ($mode)"
if [ "$mode" = cross ]; then
	echo "check: ${CHECK_LABEL:-cross}: $build/ through ${runner[*]:-no emulator}"
	suite_unit "${label}unit" "$build/test"
	suite_replay "${label}fuzz" "$build/fuzz"
	suite_corpus "${label}corpus" "$build/pxemasq"
	echo "check: $mode run took $(( $(date +%s) - start ))s"
	[ ${#skipped[@]} -eq 0 ] || echo "check: skipped: ${skipped[*]}"
	[ $((passed + failed)) != 0 ] || { echo "FAIL check: no test ran"; failed=1; }
	echo "${CHECK_LABEL:-cross}: $passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
fi
suite_unit unit "$build/test"
suite_unit san/unit "$build/san/test" "SAN=address,undefined"
suite_replay fuzz "$build/fuzz"
suite_replay san/fuzz "$build/san/fuzz" "SAN=address,undefined"
suite_corpus corpus "$build/pxemasq"
if [ "$mode" = full ]; then
	suite_corpus san/corpus "$build/san/pxemasq"
fi
if [ -x "$build/pxemasq" ]; then
	suite_conf
else
	skip conf "no $build/pxemasq (make)"
fi
suite_docs
suite_report
suite_contrib
if [ -x "$build/pxemasq" ]; then
	suite_explain
else
	skip explain "no $build/pxemasq (make)"
fi
if [ "$mode" = full ]; then
	suite_compat
fi

echo "check: $mode run took $(( $(date +%s) - start ))s"
if [ ${#skipped[@]} -gt 0 ]; then
	echo "check: skipped: ${skipped[*]}"
fi
if [ $((passed + failed)) = 0 ]; then
	echo "FAIL check: no test ran"
	failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
