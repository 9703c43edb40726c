#!/bin/sh
# Regenerates README.md from README.md.in and the keyword table.
set -eu
cd "$(dirname "$0")/.."
scripts/options-table.sh > build/.options-table.md 2>/dev/null || {
	mkdir -p build; scripts/options-table.sh > build/.options-table.md; }
awk -v tbl=build/.options-table.md '
	$0 == "@OPTIONS_TABLE@" { while ((getline l < tbl) > 0) print l; next }
	{ print }' README.md.in > README.md
# The man page's option list comes from the same table.
scripts/gen-man.sh || echo "gen-readme: describe the new options in" \
    "man/options.txt, then run scripts/gen-man.sh" >&2
