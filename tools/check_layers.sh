#!/usr/bin/env bash
# check_layers.sh: fails when a file of etl/extract includes a header of its own layer or a higher one
#
# Usage: tools/check_layers.sh [DIR]   (default etl/extract)
#
# The layers, top to bottom, as docs/EXTRACT.md ("Layers") describes them. A
# file may include its own header and headers of lower layers only, so the
# include graph has no cycles. A .c or .h missing from the list fails too:
# a new file needs a place in the list (and in the docs).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/etl/extract}

LAYERS='
1 main
2 ex_cli
3 ex_budget ex_subscribe
4 ex_events ex_sync
5 ex_oauth
6 ex_account ex_store ex_api
7 ex_rate
8 ex_ctx
9 ex_turn ex_http
10 ex_map ex_sql ex_exit
'

declare -A layer
while read -r n mods; do
	[ -n "$n" ] || continue
	for m in $mods; do layer[$m]=$n; done
done <<<"$LAYERS"

bad=0
files=0
for f in "$DIR"/*.c "$DIR"/*.h; do
	[ -f "$f" ] || continue
	files=$((files + 1))
	base=$(basename "$f")
	mod=${base%.*}
	if [ -z "${layer[$mod]:-}" ]; then
		echo "$base: in no layer (add it to tools/check_layers.sh and docs/EXTRACT.md)"
		bad=$((bad + 1))
		continue
	fi
	# "#include "x.h"": headers of this folder only (lib/ is below all).
	while read -r inc; do
		imod=${inc%.h}
		[ -f "$DIR/$inc" ] || continue
		[ "$imod" = "$mod" ] && continue
		if [ -z "${layer[$imod]:-}" ]; then
			continue # reported as a file of its own
		fi
		if [ "${layer[$imod]}" -le "${layer[$mod]}" ]; then
			echo "$base (layer ${layer[$mod]}) includes $inc (layer ${layer[$imod]})"
			bad=$((bad + 1))
		fi
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
if [ "$files" -eq 0 ]; then
	echo "check_layers: no sources in $DIR" >&2
	exit 2
fi
if [ "$bad" -gt 0 ]; then
	echo "check_layers: $bad includes against the layers in $files files" >&2
	exit 1
fi
echo "check_layers: $files files, every include goes down"
