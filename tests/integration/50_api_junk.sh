#!/usr/bin/env bash
# 50_api_junk.sh: SQL-injection and junk strings in every parameter: never a 5xx, never unbound SQL, never another athlete's rows
set -u
. "$(dirname "$0")/lib.sh"
DATA="$CAIRN_ROOT/tests/data/api"
TMP=$(mktemp -d)
T_CLEANUP+=("rm -rf '$TMP'")

fresh_db
sql "source $DATA/dataset.sql" || { not_ok "load dataset" "sql failed"; exit 1; }
"$CAIRN_BIN/cairn-api" --dump-routes >"$TMP/routes.json" || { not_ok "cairn-api --dump-routes" "failed"; exit 1; }

sums() {
	sql "CHECKSUM TABLE cairn_mart.athlete, cairn_mart.activity, cairn_mart.activity_stream,
		cairn_mart.period_total, cairn_mart.day_total, cairn_mart.record, cairn_mart.gear,
		cairn_mart.curve_best, cairn_mart.route, cairn_app.setting, cairn_app.recompute_request"
}
before=$(sums)
python3 "$CAIRN_ROOT/tests/integration/api_junk.py" "$CAIRN_URL" "$TMP/routes.json" "$DATA/junk.txt"
check_eq "junk changed no table (no SQL ran unbound)" "$(sums)" "$before"
check_eq "the API still answers after the junk" \
	"$(curl -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/api/v1/activities/101")" 200

# Statically: every statement is a constant in api_sql.c, the only place SQL is written.
if grep -nE '"(SELECT|INSERT|UPDATE|DELETE) ' "$CAIRN_ROOT"/cgi-bin/*.c | grep -v '/api_sql.c:' | grep -q .; then
	not_ok "SQL text only in cgi-bin/api_sql.c" "$(grep -nE '"(SELECT|INSERT|UPDATE|DELETE) ' "$CAIRN_ROOT"/cgi-bin/*.c | grep -v /api_sql.c: | head -n 1)"
else
	ok "SQL text only in cgi-bin/api_sql.c"
fi
if grep -nE 'db_sql\([^,]+, *[a-z_]+\)' "$CAIRN_ROOT"/cgi-bin/*.c | grep -q .; then
	not_ok "no SQL built at run time" "$(grep -nE 'db_sql\([^,]+, *[a-z_]+\)' "$CAIRN_ROOT"/cgi-bin/*.c | head -n 1)"
else
	ok "no SQL built at run time"
fi
[ "$T_FAIL" -eq 0 ]
