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
python3 "$CAIRN_ROOT/tests/integration/api_openapi.py" "$CAIRN_URL" "$TMP/routes.json" "$TMP/samples" \
	"$CAIRN_ROOT/docs/API.md"
