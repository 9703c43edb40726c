#!/bin/sh
# Checks that docs/differences.md names every refused and ignored option of
# src/conf_kw.h in the right list, and README.md's option table is the one
# scripts/options-table.sh generates.  Prints one PASS/FAIL line per check.
set -u
cd "$(dirname "$0")/../.."
rc=0
doc=docs/differences.md
refused=$(sed -n '/^Refused options/,/^Ignored options/p' "$doc" | sed '$d')
ignored=$(sed -n '/^Ignored options/,/^They tune/p' "$doc" | sed '$d')
for row in $(sed -n 's/^X_KW([A-Z0-9_]*, "\([^"]*\)", [^,]*, [A-Z], [A-Z]*, [A-Z]*, \([A-Z]*\),.*/\1:\2/p' src/conf_kw.h); do
	name=${row%%:*}
	class=${row#*:}
	case $class in
	REF) list=$refused other=$ignored ;;
	IGN) list=$ignored other=$refused ;;
	*)
		# an option acted on must not stay listed as refused or ignored
		# (a row may name a refused form of it: "IPv6 `dhcp-range`")
		if printf '%s\n%s\n' "$refused" "$ignored" |
		    sed 's/IPv6 `[^`]*`//g' | grep -q "^|.*\`$name\`"; then
			echo "FAIL: $name ($class) still listed as refused or ignored in $doc"
			rc=1
		fi
		continue
		;;
	esac
	if ! printf '%s\n' "$list" | grep -q "\`$name\`"; then
		echo "FAIL: $name ($class) missing from its list in $doc"
		rc=1
	fi
	if printf '%s\n' "$other" | grep -q "^|.*\`$name\`"; then
		echo "FAIL: $name ($class) listed in the other list in $doc"
		rc=1
	fi
done
[ $rc = 0 ] && echo "PASS: option classes in $doc match src/conf_kw.h"
mkdir -p build
scripts/options-table.sh > build/.options-table.md
if awk -v tbl=build/.options-table.md '
	$0 == "@OPTIONS_TABLE@" { while ((getline l < tbl) > 0) print l; next }
	{ print }' README.md.in | cmp -s - README.md; then
	echo "PASS: README.md option table is up to date"
else
	echo "FAIL: README.md is stale: run scripts/gen-readme.sh"
	rc=1
fi
exit $rc
