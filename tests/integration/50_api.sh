#!/usr/bin/env bash
# 50_api.sh: every API route against the hand-checked dataset, every invalid-input class, ETag/304, scoping
set -u
. "$(dirname "$0")/lib.sh"
DATA="$CAIRN_ROOT/tests/data/api"
API="$CAIRN_URL/api/v1"

fresh_db
sql "source $DATA/dataset.sql" || { not_ok "load tests/data/api/dataset.sql" "sql failed"; exit 1; }
ok "load tests/data/api/dataset.sql"

# The data-driven cases: request, expected status, headers and body side by side.
python3 "$CAIRN_ROOT/tests/integration/api_cases.py" "$CAIRN_URL" "$DATA/cases.txt" || not_ok "api_cases.py cases.txt exits 0" "exit $?"
python3 "$CAIRN_ROOT/tests/integration/api_cases.py" "$CAIRN_URL" "$DATA/cases_errors.txt" || not_ok "api_cases.py cases_errors.txt exits 0" "exit $?"

# The PUTs and the model's apply above queued recomputations for athlete 1
# only (the dry run none).
check_eq "PUT settings and POST model/apply queue recomputations" \
	"$(sql "SELECT COUNT(*), MIN(athlete_id), MAX(athlete_id) FROM cairn_app.recompute_request")" \
	"$(printf '5\t1\t1')"
check_eq "each recompute says why" \
	"$(sql "SELECT GROUP_CONCAT(reason ORDER BY id SEPARATOR ',') FROM cairn_app.recompute_request")" \
	"setting ftp,setting weight,setting sex,model run,setting threshold_pace"
check_eq "model/apply queues its recompute from effective_from" \
	"$(sql "SELECT from_date, reason FROM cairn_app.recompute_request WHERE reason LIKE 'model%'")" \
	"$(printf '2025-01-10\tmodel run')"
check_eq "PUT settings stores a user setting" \
	"$(sql "SELECT value, source FROM cairn_app.setting WHERE athlete_id = 1 AND name = 'ftp' AND effective_from = '2025-03-01'")" \
	"$(printf '270\tuser')"

etag() { curl -s -D - -o /dev/null "$@" | tr -d '\r' | sed -n 's/^ETag: //Ip'; }
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

e1=$(etag "$API/summary?group=week&sport=all")
e2=$(etag "$API/summary?sport=all&group=week")
e3=$(etag "$API/summary?group=month")
[ -n "$e1" ] && ok "summary answers an ETag" || not_ok "summary answers an ETag" "none"
check_eq "the ETag ignores parameter order" "$e2" "$e1"
[ "$e3" != "$e1" ] && ok "another query has another ETag" || not_ok "another query has another ETag" "$e3"
check_eq "If-None-Match answers 304" "$(status -H "If-None-Match: $e1" "$API/summary?group=week&sport=all")" 304
check_eq "If-None-Match with a list answers 304" \
	"$(status -H "If-None-Match: \"x\", W/$e1" "$API/summary?group=week&sport=all")" 304
check_eq "a stale If-None-Match answers 200" "$(status -H 'If-None-Match: "0-0"' "$API/summary")" 200

# 304 must not touch the marts: hide the table and ask again.
sql "RENAME TABLE cairn_mart.period_total TO cairn_mart.period_total_hidden"
check_eq "304 without reading the marts" \
	"$(status -H "If-None-Match: $e1" "$API/summary?group=week&sport=all")" 304
check_eq "an answer kept by ETag is served without reading the marts" \
	"$(status "$API/summary?group=week&sport=all")" 200
check_eq "a query not asked before needs the hidden table (500)" \
	"$(status "$API/summary?group=year&sport=all&from=2020-01-01")" 500
sql "RENAME TABLE cairn_mart.period_total_hidden TO cairn_mart.period_total"
check_eq "the table is back" "$(status "$API/summary")" 200

sql "UPDATE cairn_mart.athlete SET mart_version = mart_version + 1 WHERE id = 1"
e4=$(etag "$API/summary?group=week&sport=all")
[ -n "$e4" ] && [ "$e4" != "$e1" ] && ok "a new mart_version changes the ETag" ||
	not_ok "a new mart_version changes the ETag" "$e4"
check_eq "the old ETag answers 200 after a transform" \
	"$(status -H "If-None-Match: $e1" "$API/summary?group=week&sport=all")" 200

# nginx compresses JSON.
enc=$(curl -s -D - -o /dev/null -H 'Accept-Encoding: gzip' "$API/activities/101/streams" | tr -d '\r' |
	sed -n 's/^Content-Encoding: //Ip')
check_eq "JSON is gzip-compressed by nginx" "$enc" gzip

# No athlete: 404 no_athlete; two athletes: 409 unless api_athlete_id.
sql "INSERT INTO cairn_mart.athlete (id, mart_version) VALUES (2, 1)"
check_eq "two athletes without api_athlete_id answer 409" "$(status "$API/gear")" 409
sql "DELETE FROM cairn_mart.athlete"
body=$(curl -s "$API/gear")
check_eq "no athlete answers 404 no_athlete" \
	"$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["error"]["code"])')" no_athlete
check_eq "health does not need an athlete" "$(status "$API/health")" 200

[ "$T_FAIL" -eq 0 ]
