#!/usr/bin/env bash
# 03_check_layers.sh: the includes of etl/extract go down its layers only (tools/check_layers.sh), and the check fails on one that goes up
source "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CHECK="$CAIRN_ROOT/tools/check_layers.sh"

check "every include of etl/extract goes to a lower layer" "$CHECK"

# A copy where the rate limiter includes the parallel sync again (the old circle).
cp "$CAIRN_ROOT"/etl/extract/*.[ch] "$TMP/"
printf '#include "ex_budget.h"\n' >>"$TMP/ex_rate.c"
out=$("$CHECK" "$TMP" 2>&1)
check_eq "an include that goes up fails the check" "$?" 1
case "$out" in
*"ex_rate.c (layer 7) includes ex_budget.h (layer 3)"*) ok "the check names the file and the header" ;;
*) not_ok "the check names the file and the header" "$out" ;;
esac
printf '/* ex_new.c: a file in no layer */\n' >"$TMP/ex_new.c"
out=$("$CHECK" "$TMP" 2>&1)
case "$out" in
*"ex_new.c: in no layer"*) ok "a file missing from the layers fails the check" ;;
*) not_ok "a file missing from the layers fails the check" "$out" ;;
esac

echo "# $T_PASS passed, $T_FAIL failed"
[ "$T_FAIL" -eq 0 ]
