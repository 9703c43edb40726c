#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# conf_corpus.sh - differential test of the configuration reader against
# the real dnsmasq 2.90.
#
# For every src/test/conf/*.conf (or the files named as arguments), run
# from inside src/test/conf so that relative conf-file/conf-dir paths work:
#   dnsmasq --test -C F
#   pxemasq --test --ignore-unsupported -C F
# and require the same exit status and the same message: dnsmasq's stderr
# with "dnsmasq:" at the start of a line read as "pxemasq:", empty lines
# dropped, pxemasq's "pxemasq: warning:" lines dropped.
#
# For a file pxemasq accepts, also the --dump-config round trip:
#   pxemasq --dump-config -C F  > d1
#   pxemasq --dump-config -C d1 > d2      d1 and d2 must be identical
#   dnsmasq --test -C d1                  must accept the dump
#
# Deliberate differences are listed in EXPECTED-DIFFERENCES beside the
# corpus, one per line: FILE<TAB>pxemasq exit status<TAB>reason.  For such a
# file only pxemasq's exit status is checked against the listed one.
#
# Output: "PASS F" or "FAIL F: what" per file, then
#   corpus: N/M verdicts equal to dnsmasq's
#   corpus: N/M accepted files round-trip through --dump-config
# Exit 0 when every file passes, 1 when one fails, 77 when dnsmasq is not
# installed (skipped: the comparison is the whole point).
#
# Environment: PXEMASQ (pxemasq binary, default build/pxemasq of this
# tree; words before the binary are a command that runs
# it, e.g. "qemu-s390x-static -L /usr/s390x-linux-gnu build-s390x/pxemasq"),
# CORPUS_TIMEOUT (seconds per run, default 20), DNSMASQ (default: dnsmasq
# from PATH),
# CORPUS_DIR (default: the conf/ directory beside this script),
# CORPUS_VERBOSE=1 prints both outputs for every failure (default: on).

set -u

here=$(cd "$(dirname "$0")" && pwd)
corpus=${CORPUS_DIR:-$here/conf}
dnsmasq=${DNSMASQ:-$(command -v dnsmasq || true)}

if [ -z "$dnsmasq" ] || [ ! -x "$dnsmasq" ]; then
	echo "SKIP conf_corpus: dnsmasq is not installed (apt-get install" \
	    "dnsmasq-base): the corpus has no oracle" >&2
	exit 77
fi

# The last word of PXEMASQ is the binary (relative to the current
# directory); words before it are the command that runs it.
if [ -n "${PXEMASQ:-}" ]; then
	# shellcheck disable=SC2206
	pxemasq=($PXEMASQ)
else
	pxemasq=("$here/../../build/pxemasq")
fi
pxbin=${pxemasq[${#pxemasq[@]} - 1]}
pxbin=$(cd "$(dirname "$pxbin")" 2>/dev/null && pwd)/$(basename "$pxbin")
pxemasq[${#pxemasq[@]} - 1]=$pxbin
if [ ! -x "$pxbin" ]; then
	echo "FAIL conf_corpus: no pxemasq binary at $pxbin (run make)" >&2
	exit 1
fi

cd "$corpus" || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pxemasq-corpus.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# Expected differences: file -> status, file -> reason.
declare -A exp_status exp_reason
if [ -f EXPECTED-DIFFERENCES ]; then
	while IFS=$'\t' read -r f st why; do
		case $f in '' | '#'*) continue ;; esac
		exp_status[$f]=$st
		exp_reason[$f]=$why
	done < EXPECTED-DIFFERENCES
fi

# Normalised message of one run: empty lines and pxemasq warnings dropped,
# dnsmasq's name replaced by ours.
norm_dnsmasq() {
	sed -e 's/^dnsmasq:/pxemasq:/' -e '/^[[:space:]]*$/d' "$1"
}

norm_pxemasq() {
	sed -e '/^pxemasq: warning:/d' -e '/^[[:space:]]*$/d' "$1"
}

problem() {
	problems+=("$*")
}

show() {
	# Indented copy of a file for failure details.
	sed -e 's/^/    | /' "$1" | head -n "${2:-20}"
}

# Runs a command with stdin from /dev/null and a time limit; the status is
# the command's (124 on time-out, 128+N on signal N).
run() {
	local out=$1 err=$2
	shift 2
	# (the braces keep bash's own "Segmentation fault" notice quiet)
	{ timeout -k 5 "${CORPUS_TIMEOUT:-20}" "$@" < /dev/null > "$out" \
	    2> "$err"; } 2> /dev/null
}

n_files=0 n_verdict_ok=0 n_rt=0 n_rt_ok=0 n_fail=0

if [ $# -gt 0 ]; then
	files=("$@")
else
	shopt -s nullglob
	files=(*.conf)
	shopt -u nullglob
fi

if [ ${#files[@]} -eq 0 ]; then
	echo "FAIL conf_corpus: no *.conf in $corpus"
	exit 1
fi

for f in "${files[@]}"; do
	f=${f##*/}
	n_files=$((n_files + 1))
	problems=()

	run "$tmp/d.out" "$tmp/d.err" "$dnsmasq" --test -C "$f"
	d_rc=$?
	run "$tmp/p.out" "$tmp/p.err" "${pxemasq[@]}" --test --ignore-unsupported \
	    -C "$f"
	p_rc=$?
	norm_dnsmasq "$tmp/d.err" > "$tmp/d.msg"
	norm_pxemasq "$tmp/p.err" > "$tmp/p.msg"

	if [ -n "${exp_status[$f]+x}" ]; then
		if [ "$p_rc" != "${exp_status[$f]}" ]; then
			problem "expected difference: pxemasq exit $p_rc," \
			    "EXPECTED-DIFFERENCES says ${exp_status[$f]}" \
			    "(${exp_reason[$f]})"
		elif [ "$p_rc" = "$d_rc" ] &&
		    cmp -s "$tmp/d.msg" "$tmp/p.msg"; then
			echo "NOTE $f: dnsmasq now agrees; drop it from" \
			    "EXPECTED-DIFFERENCES"
		fi
	else
		if [ "$p_rc" != "$d_rc" ]; then
			problem "exit status: dnsmasq $d_rc, pxemasq $p_rc"
		fi
		if ! cmp -s "$tmp/d.msg" "$tmp/p.msg"; then
			problem "message differs"
		fi
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		n_verdict_ok=$((n_verdict_ok + 1))
	fi

	if [ "$p_rc" = 0 ]; then
		n_rt=$((n_rt + 1))
		rt_ok=1
		run "$tmp/d1" "$tmp/d1.err" "${pxemasq[@]}" --dump-config \
		    --ignore-unsupported -C "$f"
		rc1=$?
		run "$tmp/d2" "$tmp/d2.err" "${pxemasq[@]}" --dump-config \
		    --ignore-unsupported -C "$tmp/d1"
		rc2=$?
		if [ $rc1 != 0 ]; then
			problem "--dump-config exit $rc1 on a file --test accepts"
			rt_ok=0
		elif [ $rc2 != 0 ]; then
			problem "--dump-config of the dump exits $rc2: $(norm_pxemasq "$tmp/d2.err" | head -1)"
			rt_ok=0
		elif ! cmp -s "$tmp/d1" "$tmp/d2"; then
			problem "dump of the dump differs"
			rt_ok=0
		fi
		if [ $rc1 = 0 ]; then
			run "$tmp/dd.out" "$tmp/dd.err" "$dnsmasq" --test \
			    -C "$tmp/d1"
			rc3=$?
			if [ $rc3 != 0 ]; then
				problem "dnsmasq --test rejects the dump" \
				    "(exit $rc3): $(norm_dnsmasq "$tmp/dd.err" | head -1)"
				rt_ok=0
			fi
		fi
		[ $rt_ok = 1 ] && n_rt_ok=$((n_rt_ok + 1))
	fi

	if [ ${#problems[@]} -eq 0 ]; then
		echo "PASS $f"
		continue
	fi
	n_fail=$((n_fail + 1))
	msg=${problems[0]}
	for p in "${problems[@]:1}"; do
		msg="$msg; $p"
	done
	echo "FAIL $f: $msg"
	if [ "${CORPUS_VERBOSE:-1}" = 1 ]; then
		echo "  dnsmasq (exit $d_rc):"
		show "$tmp/d.msg"
		echo "  pxemasq (exit $p_rc):"
		show "$tmp/p.msg"
		if [ "$p_rc" = 0 ] && [ -f "$tmp/d1" ] &&
		    ! cmp -s "$tmp/d1" "$tmp/d2" 2>/dev/null; then
			echo "  dump d1 -> d2:"
			diff "$tmp/d1" "$tmp/d2" | sed -e 's/^/    | /' |
			    head -n 20
		fi
	fi
done

echo "corpus: $n_verdict_ok/$n_files verdicts equal to dnsmasq's"
echo "corpus: $n_rt_ok/$n_rt accepted files round-trip through --dump-config"
[ $n_fail = 0 ]
