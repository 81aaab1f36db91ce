#!/usr/bin/env bash
# check_globals.sh: fails when an object of etl/ or cgi-bin/ has a mutable global (a symbol in writable data)
#
# Usage: tools/check_globals.sh [DIR...]
#   default DIRs: build/globals/obj/etl build/globals/obj/cgi-bin (`make check-globals`
#   builds them at -O0 and runs this script on them).
#
# Reads every DIR/**/*.o with `objdump -t` and names, per object, each symbol
# in a writable data section: .data* (but .data.rel.ro*), .bss*, *COM*,
# .tdata*, .tbss*. File-level and function-local statics both count
# (`names.0` is a static `names` inside a function). Read-only data
# (.rodata*, .data.rel.ro*) is fine. Exit 0 none found, 1 found, 2 no
# objects or no objdump.
#
# Objects built at -O2 hide some offenders: GCC moves a static it never sees
# written into read-only data (a `static const char *x[]` that lacks its
# second const), so check objects built at -O0.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
if [ $# -eq 0 ]; then
	set -- build/globals/obj/etl build/globals/obj/cgi-bin
fi
if ! command -v objdump >/dev/null; then
	echo "check_globals: objdump not found (binutils)" >&2
	exit 2
fi

objs=0
bad=0
for dir in "$@"; do
	found=$(find "$dir" -name '*.o' 2>/dev/null | sort)
	if [ -z "$found" ]; then
		echo "check_globals: no objects under $dir (run make check-globals)" >&2
		exit 2
	fi
	while read -r o; do
		objs=$((objs + 1))
		# "ADDR FLAGS SECTION<tab>SIZE NAME"; flags d (section) and f
		# (file) are not variables.
		hits=$(objdump -t "$o" | awk -F'\t' '
			NF < 2 { next }
			{
				n = split($1, a, " ")
				sec = a[n]
				flags = substr($1, length(a[1]) + 2, 7)
				name = $2
				sub(/^[^ ]+ +/, "", name)
			}
			flags ~ /[df]/ { next }
			sec ~ /^\.data\.rel\.ro($|\.)/ { next }
			sec == "*COM*" || sec ~ /^\.(l?data|l?bss|tdata|tbss)($|\.)/ {
				printf "%s (%s)\n", name, sec
			}')
		if [ -n "$hits" ]; then
			while read -r h; do
				echo "$o: mutable global $h"
				bad=$((bad + 1))
			done <<<"$hits"
		fi
	done <<<"$found"
done
if [ "$bad" -gt 0 ]; then
	echo "check_globals: $bad mutable globals in $objs objects: make them const," \
		"or move the state into a context struct" >&2
	exit 1
fi
echo "check_globals: no mutable globals in $objs objects"
