#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# gen-man.sh [OUT] - builds man/pxemasq.8 (or OUT) from man/pxemasq.8.in,
# man/options.txt (a short description per option) and src/conf_kw.h (the
# keyword table: name, short letter, feature, class, aliases), so the
# option list cannot drift from what pxemasq accepts.
# Exit 1, naming them, when a row of src/conf_kw.h has no description in
# man/options.txt or a description has no row; the page is still written
# (with "(no description)") so the rest can be checked.
set -eu
cd "$(dirname "$0")/.."
out=${1:-man/pxemasq.8}
kw=src/conf_kw.h
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gen-man.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# name|short|arg|rep|feature|class, in table order
sed -n 's/^X_KW([A-Z0-9_]*, "\([^"]*\)", \([^,]*\), \([A-Z]\), \([A-Z]*\), \([A-Z]*\), \([A-Z]*\),.*/\1|\2|\3|\4|\5|\6/p' \
    "$kw" > "$tmp/rows"
# alias|target
sed -n 's/^X_ALIAS(\([A-Z0-9_]*\), "\([^"]*\)".*/\1 \2/p' "$kw" |
while read -r id name; do
	printf '%s|%s\n' "$name" \
	    "$(sed -n "s/^X_KW($id, \"\([^\"]*\)\".*/\1/p" "$kw")"
done > "$tmp/aliases"

awk -F'|' -v rowsf="$tmp/rows" -v aliasf="$tmp/aliases" \
    -v missf="$tmp/missing" '
function esc(s) {		# troff-safe text
	gsub(/\\/, "\\e", s)
	return s
}
function optesc(s) {		# option names and synopses: real minus signs
	s = esc(s)
	gsub(/-/, "\\-", s)
	return s
}
function synesc(s) {		# synopses: may break before [ and after |
	s = optesc(s)
	gsub(/\[/, "\\:[", s)
	gsub(/\|/, "|\\:", s)
	return s
}
function prose(s,    n, w, i, r) {	# words starting with "-" get \-
	n = split(esc(s), w, " ")
	r = ""
	for (i = 1; i <= n; i++) {
		if (w[i] ~ /^-/)
			gsub(/-/, "\\-", w[i])
		r = r (i > 1 ? " " : "") w[i]
	}
	if (r ~ /^[.'\'']/)
		r = "\\&" r
	return r
}
BEGIN {
	# descriptions from man/options.txt (this awk reads it as input)
}
/^#/ || /^$/ { next }
/^\t/ {
	sub(/^\t/, "")
	desc[cur] = desc[cur] (desc[cur] == "" ? "" : " ") $0
	next
}
{
	cur = $0
	syn = ""
	if (index(cur, " ")) {
		syn = substr(cur, index(cur, " ") + 1)
		cur = substr(cur, 1, index(cur, " ") - 1)
	}
	synopsis[cur] = syn
	described[cur] = 1
	desc[cur] = ""
}
END {
	while ((getline l < aliasf) > 0) {
		split(l, a, "|")
		alias[a[2]] = alias[a[2]] ", \\fB\\-\\-" optesc(a[1]) "\\fR"
	}
	nsec = split("CORE|DHCP|PXE|TFTP|DNS|OWN", secs, "|")
	title["CORE"] = "General"
	title["DHCP"] = "DHCP"
	title["PXE"] = "PXE"
	title["TFTP"] = "TFTP"
	title["DNS"] = "DNS"
	title["OWN"] = "pxemasq\\(aqs own (command line only)"
	n = 0
	while ((getline l < rowsf) > 0) {
		n++
		row[n] = l
		split(l, f, "|")
		seen[f[1]] = 1
		if (!(f[1] in described))
			print "no description in man/options.txt: " f[1] > missf
	}
	for (d in described)
		if (!(d in seen))
			print "described but not in src/conf_kw.h: " d > missf
	for (s = 1; s <= nsec; s++) {
		printf ".SS \"%s options\"\n", title[secs[s]]
		for (i = 1; i <= n; i++) {
			split(row[i], f, "|")
			name = f[1]; sh = f[2]; arg = f[3]; rep = f[4]
			feat = f[5]; cls = f[6]
			# lease scripts (feature SCRIPT) are DHCP options,
			# packet dumps (METRICS) general ones
			sec = rep == "OWN" ? "OWN" : feat == "SCRIPT" ? "DHCP" : \
			    feat == "METRICS" ? "CORE" : feat
			if (sec != secs[s])
				continue
			head = ""
			if (sh != "0") {
				gsub(/\047/, "", sh)
				head = "\\fB\\-" optesc(sh) "\\fR, "
			}
			head = head "\\fB\\-\\-" optesc(name) "\\fR"
			if (synopsis[name] != "")
				head = head "\\fI" synesc(synopsis[name]) "\\fR"
			head = head alias[name]
			print ".TP"
			print head
			t = (name in described) ? desc[name] : "(no description)"
			print prose(t)
			if (rep == "CMD" || rep == "OWN")
				st = "Implemented (command line)."
			else if (cls == "IMPL")
				st = "Implemented."
			else if (cls == "IGN")
				st = "Ignored (warning)."
			else if (cls == "REF")
				st = "Refused unless \\-\\-ignore\\-unsupported."
			else
				st = "Rejected (not in Debian\\(aqs dnsmasq build)."
			print "\\fI" st "\\fR"
		}
	}
}' man/options.txt > "$tmp/options.man"

awk -v optf="$tmp/options.man" -v ver="$version" '
	$0 == "@OPTIONS@" { while ((getline l < optf) > 0) print l; next }
	{
		gsub(/@VERSION@/, ver)
		gsub(/@DOCDIR@/, "/usr/local/share/doc/pxemasq")
		print
	}' man/pxemasq.8.in > "$tmp/page"
cp "$tmp/page" "$out"
if [ -s "$tmp/missing" ]; then
	sed -e 's/^/gen-man: /' "$tmp/missing" >&2
	exit 1
fi
