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
metrics() { # the per-activity metrics both paths must agree on
	sql "SELECT DATE_FORMAT(start_utc, '%Y-%m-%dT%H:%i:%s'), sport, sport_group,
		ROUND(distance, 1), moving_time, elapsed_time, ROUND(avg_hr, 2), ROUND(max_hr, 1),
		ROUND(avg_power, 2), ROUND(np, 2), ROUND(training_load, 2), load_kind,
		ROUND(elevation_gain, 1)
		FROM cairn_mart.activity ORDER BY start_utc"
}

# Through the API.
fresh_db
code=$(fake_code)
printf '%s\n' "$code" | "$CAIRN_BIN/cairn-extract" --config "$conf" auth --code - >"$TMP/auth.log" 2>&1
check "the API path: cairn-extract sync" "$CAIRN_BIN/cairn-extract" --config "$conf" sync
check "the API path: cairn-transform" "$CAIRN_BIN/cairn-transform" --config "$conf"
metrics >"$TMP/api.tsv"
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
metrics >"$TMP/imp.tsv"

python3 - "$TMP/api.tsv" "$TMP/imp.tsv" <<'PY'
import sys
cols = ["start", "sport", "group", "distance", "moving_time", "elapsed_time", "avg_hr", "max_hr",
        "avg_power", "np", "load", "load_kind", "elevation_gain"]
# Relative tolerances: files store rounded samples (FIT scales, GPX 6-7 digits).
tol = {"distance": 0.01, "moving_time": 0.02, "elapsed_time": 0.0, "avg_hr": 0.01, "max_hr": 0.01,
       "avg_power": 0.01, "np": 0.02, "load": 0.03, "elevation_gain": 0.15}
def rows(f):
    return {l.split("\t")[0]: dict(zip(cols, l.rstrip("\n").split("\t"))) for l in open(f) if l.strip()}
api, imp = rows(sys.argv[1]), rows(sys.argv[2])
def res(good, name, why=""):
    print(("ok - " if good else "not ok - ") + name + ("" if good else " # " + why))
res(len(api) > 0 and set(api) == set(imp), "both paths hold the same %d activities" % len(api),
    "only API: %s; only import: %s" % (sorted(set(api) - set(imp))[:3], sorted(set(imp) - set(api))[:3]))
for c in cols[1:]:
    bad = []
    for k in sorted(set(api) & set(imp)):
        a, b = api[k][c], imp[k][c]
        if c in ("sport", "group", "load_kind"):
            if a != b:
                bad.append("%s: %s vs %s" % (k, a, b))
            continue
        if a == "NULL" or b == "NULL":
            if a != b:
                bad.append("%s: %s vs %s" % (k, a, b))
            continue
        x, y = float(a), float(b)
        if abs(x - y) > tol[c] * max(abs(x), 1.0) + 1e-9:
            bad.append("%s: %s vs %s" % (k, a, b))
    res(not bad, "%s agrees between the API and the export (tolerance %s)" % (c, tol.get(c, "exact")),
        "; ".join(bad[:3]) + (" (+%d more)" % (len(bad) - 3) if len(bad) > 3 else ""))
PY
