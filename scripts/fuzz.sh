#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fuzz.sh [TIME] [TARGET...] - builds each fuzz target with clang's
# libFuzzer, AddressSanitizer and UBSan (make fuzz-build) and runs it for
# TIME seconds (default 60) on a copy of its seed corpus.
#
#   seeds       src/fuzz/corpus/T/          (committed, read only here)
#   working     build/fuzz-corpus/T/        copy + new inputs (not committed)
#   findings    build/fuzz-artifacts/T/     crash-*, leak-*, timeout-*
#   log         build/fuzz-artifacts/T.log
#   dictionary  build/fuzz-corpus/conf.dict (option names from conf_kw.h)
#
# Prints executions and coverage per target; exits 1 when a target found a
# crash, leak or time-out.  FUZZ_KEEP_GOING=1 runs libFuzzer in fork mode
# and carries on after a finding, to collect several in one run.  A finding worth keeping becomes a seed: copy it
# into src/fuzz/corpus/T/ once fixed, so replay keeps testing it.

set -u

time_s=${1:-60}
shift || true
case $time_s in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS] [TARGET...]" >&2
	exit 2
	;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=()
	for f in src/fuzz/fuzz_*.c; do
		[ -f "$f" ] || continue
		t=${f#src/fuzz/fuzz_}
		targets+=("${t%.c}")
	done
fi
if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz: no targets in src/fuzz/" >&2
	exit 1
fi

bins=()
for t in "${targets[@]}"; do
	bins+=("build/libfuzzer/fuzz_$t")
done
make --no-print-directory "${bins[@]}" || exit 1

# A dictionary of option names helps the mutator write keywords.
dict=build/fuzz-corpus/conf.dict
mkdir -p build/fuzz-corpus
sed -n 's/^X_\(KW\|ALIAS\)([A-Z0-9_]*, "\([^"]*\)".*/"\2="/p' src/conf_kw.h \
    > "$dict"
printf '%s\n' '"tag:"' '"set:"' '"option:"' '"vendor:"' '"encap:"' \
    '"\""' '"#"' '","' '"\\\\"' '"infinite"' '"static"' '"proxy"' \
    >> "$dict"

status=0
for t in "${targets[@]}"; do
	bin=build/libfuzzer/fuzz_$t
	work=build/fuzz-corpus/$t
	art=build/fuzz-artifacts/$t
	log=build/fuzz-artifacts/$t.log
	mkdir -p "$work" "$art"
	if [ -d "src/fuzz/corpus/$t" ]; then
		cp -n src/fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
	fi
	before=$(find "$work" -type f | wc -l)
	old_art=$(find "$art" -type f | wc -l)
	echo "fuzz $t: ${time_s}s, corpus $before input(s)"
	# Warnings from conf_load go to stderr with libFuzzer's own lines;
	# keep them in the log, not on the terminal.
	extra=()
	if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
		extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1
		    -ignore_ooms=1)
	fi
	"$bin" -max_total_time="$time_s" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=8192 -print_final_stats=1 -dict="$dict" \
	    -artifact_prefix="$art/" "${extra[@]}" "$work" > "$log" 2>&1 \
	    < /dev/null
	rc=$?
	after=$(find "$work" -type f | wc -l)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" |
	    tail -n 1)
	last=$(grep -E '^#[0-9]+.*(cov|DONE)' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	echo "fuzz $t: ${execs:-?} executions (${speed:-?}/s)," \
	    "coverage ${cov:-?} edges, ${ft:-?} features," \
	    "corpus $before -> $after"
	new_art=$(( $(find "$art" -type f | wc -l) - old_art ))
	if [ $rc != 0 ] || [ $new_art -gt 0 ]; then
		status=1
		echo "FAIL fuzz $t: exit $rc, $new_art new finding(s) in $art/:"
		find "$art" -type f -printf '%T@ %p\n' | sort -rn |
		    head -n "$(( new_art > 0 ? new_art : 5 ))" |
		    cut -d' ' -f2- | sed -e 's/^/    /'
		grep -E 'ERROR|SUMMARY|round-trip violation|==[0-9]+==' "$log" |
		    head -n 10 | sed -e 's/^/    | /'
		echo "    reproduce: build/fuzz/replay_$t FILE  (or $bin FILE)"
	fi
done
exit $status
