#!/bin/sh
# Prints README.md's table of dnsmasq options and their status in pxemasq,
# generated from src/conf_kw.h (the one keyword table).
# Usage: scripts/options-table.sh [src/conf_kw.h]
set -eu
kw=${1:-src/conf_kw.h}
printf '| option | short | status | feature |\n|---|---|---|---|\n'
sed -n 's/^X_KW(\([A-Z0-9_]*\), "\([^"]*\)", \([^,]*\), \([A-Z]\), \([A-Z]*\), \([A-Z]*\), \([A-Z]*\), .*/\2|\3|\7|\6|\5/p' "$kw" |
while IFS='|' read -r name short sup feat rep; do
	case $rep in OWN) continue ;; esac
	case $short in 0) short="" ;; *) short="-$(printf '%s' "$short" | tr -d "'")" ;; esac
	case $sup in
	IMPL) status="implemented" ;;
	IGN) status="accepted and ignored (warning)" ;;
	REF) status="refused (unless --ignore-unsupported)" ;;
	NOBUILD) status="refused (not in Debian's dnsmasq build either)" ;;
	esac
	case $rep in CMD) status="implemented (command line)" ;; esac
	printf '| `%s` | %s | %s | %s |\n' "$name" "$short" "$status" "$feat"
done
sed -n 's/^X_ALIAS(\([A-Z0-9_]*\), "\([^"]*\)", .*/\1 \2/p' "$kw" |
while read -r id name; do
	printf '| `%s` | | alias of `%s` | |\n' "$name" \
	    "$(sed -n "s/^X_KW($id, \"\([^\"]*\)\".*/\1/p" "$kw")"
done
