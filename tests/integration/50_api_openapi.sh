#!/usr/bin/env bash
# 50_api_openapi.sh: openapi.json equals the routing table both ways, real answers validate against its schemas, every row is reachable and documented
set -u
. "$(dirname "$0")/lib.sh"
DATA="$CAIRN_ROOT/tests/data/api"
TMP=$(mktemp -d)
T_CLEANUP+=("rm -rf '$TMP'")

fresh_db
sql "source $DATA/dataset.sql" || { not_ok "load dataset" "sql failed"; exit 1; }
"$CAIRN_BIN/cairn-api" --dump-routes >"$TMP/routes.json" || { not_ok "cairn-api --dump-routes" "failed"; exit 1; }
mkdir -p "$TMP/samples"
# The cases produce the sample answers (their own ok lines are not counted here).
python3 "$CAIRN_ROOT/tests/integration/api_cases.py" "$CAIRN_URL" "$DATA/cases.txt" "$TMP/samples" >/dev/null
# A crash in the checker (not only a failed check) fails the suite.
python3 "$CAIRN_ROOT/tests/integration/api_openapi.py" "$CAIRN_URL" "$TMP/routes.json" "$TMP/samples" \
	"$CAIRN_ROOT/docs/API.md" || not_ok "api_openapi.py exits 0" "exit $?"

# In auth_mode strava the /auth/ rows get past their flags to their handlers:
# walk the table again through a private strava-mode front, with a session.
. "$(dirname "$0")/auth_lib.sh"
strava_front --athletes 1 --count 2 --seed 5 || { not_ok "the strava-mode front starts" "see $CAIRN_VAR/log"; exit 1; }
login "$TMP/jar" 1001 >/dev/null
cookie=$(awk '$6 == "cairn_session" {print $7}' "$TMP/jar")
[ -n "$cookie" ] && ok "logged in at the strava-mode front" || not_ok "logged in at the strava-mode front" "no session cookie"
python3 "$CAIRN_ROOT/tests/integration/api_openapi.py" --walk "$S_URL" "$TMP/routes.json" \
	"cairn_session=$cookie" "$(csrf_of "$TMP/jar")" || not_ok "api_openapi.py --walk exits 0" "exit $?"
[ "$T_FAIL" -eq 0 ]
