#!/usr/bin/env bash
# 42_import_vs_api.sh: the same activities through the API and through an export archive give the same metrics
source "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
echo "# work folder $TMP"
[ -n "${CAIRN_TEST_KEEP:-}" ] || T_CLEANUP+=("rm -rf '$TMP'")
SEED=7
COUNT=30

start_fake --seed "$SEED" --count "$COUNT" --short-limit 1000000 --daily-limit 10000000 || exit 1
conf=$(conf_with "strava_api_url=$FAKE_URL/api/v3" "strava_oauth_url=$FAKE_URL/oauth")

# Through the API.
fresh_db
code=$(fake_code)
printf '%s\n' "$code" | "$CAIRN_BIN/cairn-extract" --config "$conf" auth --code - >"$TMP/auth.log" 2>&1
check "the API path: cairn-extract sync" "$CAIRN_BIN/cairn-extract" --config "$conf" sync
check "the API path: cairn-transform" "$CAIRN_BIN/cairn-transform" --config "$conf"
mart_metrics >"$TMP/api.tsv"
# The athlete's settings in force (FTP, HR) must be the same for both paths.
# in_force OP: the settings in force whose source is (=) or is not (<>)
# 'estimated', as rows athlete,name,from,value.
in_force() { sql "SELECT CONCAT_WS(',', athlete_id, name, DATE_FORMAT(effective_from, '%Y-%m-%d'), value)
	FROM cairn_mart.setting_in_force WHERE source $1 'estimated' ORDER BY name, effective_from"; }
settings=$(in_force '<>')
est_api=$(in_force '=')
# put_settings ROWS: the rows (athlete,name,from,value) as the athlete's own settings.
put_settings() {
	printf '%s\n' "$1" | while IFS=, read -r a n d v; do
		[ -n "$a" ] && sql "INSERT INTO cairn_app.setting (athlete_id, name, effective_from, value, source)
			VALUES ($a, '$n', '$d', '$v', 'user')"
	done
}

# Through the bulk export of the same athlete.
fresh_db
"$CAIRN_BIN/cairn-fakestrava" export --out "$TMP/export" --seed "$SEED" --count "$COUNT" >"$TMP/export.log" 2>&1
check "the export archive is written" test -f "$TMP/export/activities.csv"
put_settings "$settings"
"$CAIRN_BIN/cairn-import" --config "$conf" --athlete 1001 --no-progress "$TMP/export" >"$TMP/import.log" 2>&1
rc=$?
check_eq "the import path: cairn-import exits 0" "$rc" "0"
check "the import path: cairn-transform" "$CAIRN_BIN/cairn-transform" --config "$conf"
# Thresholds nobody set are estimated from the activity summaries (fastest
# run of 30 min and more, ...). A file's moving time, and so its average
# speed, may differ from Strava's by up to 2 % (the moving_time tolerance
# below), so the estimates may too; the pace load goes with the square of
# the threshold, which would take it past its 3 %. So: the estimates must
# agree within 2.5 %, and then the import path takes the API path's, so that
# the metrics below are compared under the same settings.
est_imp=$(in_force '=')
python3 - "$est_api" "$est_imp" <<'PY'
import sys
def kv(t):
    return {r.split(",")[1]: r.split(",")[3] for r in t.split("\n") if r.strip()}
a, b = kv(sys.argv[1]), kv(sys.argv[2])
bad = [f"{k}: {a.get(k)} vs {b.get(k)}" for k in sorted(set(a) | set(b))
       if k not in a or k not in b or abs(float(a[k]) - float(b[k])) > 0.025 * max(abs(float(a[k])), 1.0)]
good = len(a) > 0 and not bad
print(("ok - " if good else "not ok - ") + "the thresholds estimated on both paths agree within 2.5 %% (%s)" % ", ".join(
    f"{k} {a[k]}/{b.get(k)}" for k in sorted(a)) + ("" if good else " # " + "; ".join(bad)))
PY
put_settings "$est_api"
check "the import path: cairn-transform under the API path's estimates" "$CAIRN_BIN/cairn-transform" --config "$conf"
mart_metrics >"$TMP/imp.tsv"

python3 "$(dirname "$0")/mart_compare.py" "$TMP/api.tsv" "$TMP/imp.tsv" "the API" "the export"
