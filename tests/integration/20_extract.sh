#!/usr/bin/env bash
# 20_extract.sh: first sync of 1,000 activities under shrunken rate windows (no 429, exact request count), a second run that changes nothing, late uploads, --full edits and deletions
source "$(dirname "$0")/lib.sh"

X="$CAIRN_BIN/cairn-extract"
LOG="$CAIRN_VAR/log/20_extract.log"
: >"$LOG"

stat() { # key: one counter of the fake's /_fake/stats
	curl -sf "$FAKE_URL/_fake/stats" | python3 -c "import json,sys; print(json.load(sys.stdin).get('$1', 0))"
}
reset_stats() { curl -sf -X POST "$FAKE_URL/_fake/stats/reset" >/dev/null; }
authorise() { # athlete
	curl -sf -X POST "$FAKE_URL/_fake/code?athlete=$1&scope=read,activity:read_all,profile:read_all" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])' | "$X" auth --code - >>"$LOG" 2>&1
}
raw_sum() { # checksum of every raw table the sync writes (sync_state is bookkeeping)
	sql "CHECKSUM TABLE cairn_raw.activity, cairn_raw.activity_stream, cairn_raw.athlete, cairn_raw.athlete_zones, cairn_raw.gear, cairn_raw.token EXTENDED" | cut -f2 | tr '\n' ' '
}

fresh_db
start_fake --count 1000 --seed 11 --short-limit 30 --daily-limit 5000 --window 3
export CAIRN_STRAVA_API_URL="$FAKE_URL/api/v3" CAIRN_STRAVA_OAUTH_URL="$FAKE_URL/oauth"
export CAIRN_RATE_WINDOW_SECONDS=3 CAIRN_LOOKBACK_DAYS=7

authorise 1001
check_eq "auth --code stores the athlete with auth_state ok" \
	"$(sql "SELECT CONCAT(a.auth_state, ' ', t.expires_at > UNIX_TIMESTAMP()) FROM cairn_raw.athlete a JOIN cairn_raw.token t ON t.athlete_id = a.id WHERE a.id = 1001")" "ok 1"

# --- first sync: 1,000 activities, 30 reads per 3 s window (the fake's stream
# generation, not the windows, sets the pace on a loaded machine)
reset_stats
start=$(date +%s)
"$X" >>"$LOG" 2>&1
rc=$?
secs=$(($(date +%s) - start))
check_eq "first sync exits 0" "$rc" "0"
check_eq "first sync stores 1000 activities" "$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE deleted = 0")" "1000"
check_eq "first sync received no 429" "$(stat status_429)" "0"
check_eq "first sync made ceil(1000/200)+1 = 6 list calls" "$(stat list)" "6"
with_streams=$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE manual = 0")
check_eq "one streams call per activity with streams ($with_streams)" "$(stat streams)" "$with_streams"
check_eq "every non-manual activity has its streams stored" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity a JOIN cairn_raw.activity_stream s ON s.activity_id = a.id WHERE a.has_streams = 1")" "$with_streams"
check_eq "manual activities asked no streams and have none" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity a JOIN cairn_raw.activity_stream s ON s.activity_id = a.id WHERE a.manual = 1")" "0"
gear=$(sql "SELECT COUNT(*) FROM cairn_raw.gear")
check_eq "each gear fetched once ($gear)" "$(stat gear)" "$gear"
check_eq "athlete and zones fetched once each" "$(stat athlete) $(stat zones)" "1 1"
check_eq "total requests = 6 list + streams + athlete + zones + gear, no token call" \
	"$(stat total)" "$((6 + with_streams + 2 + gear))"
waits=$(grep -c "waiting .* until" "$LOG")
ok "first sync took ${secs}s with $waits waits for a rate window (pacing is asserted in 23_extract_faults.sh)"
if grep -q "^extract-stats activities=1000 requests=[0-9]* seconds=[0-9.]*$" "$LOG"; then ok "extract-stats line printed"; else not_ok "extract-stats line printed" "$(grep extract-stats "$LOG")"; fi
check_eq "summary_json and typed columns agree (id, sport_type)" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE JSON_VALUE(summary_json, '$.id') <> id OR JSON_VALUE(summary_json, '$.sport_type') <> sport_type")" "0"
check_eq "streams stored verbatim as keyed JSON objects" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity_stream WHERE JSON_TYPE(json) <> 'OBJECT' OR JSON_LENGTH(JSON_EXTRACT(json, '$.time.data')) <> points")" "0"
check_eq "cursor at the newest start_date" \
	"$(sql "SELECT cursor_start = (SELECT UNIX_TIMESTAMP(MAX(start_date)) FROM cairn_raw.activity) FROM cairn_raw.sync_state WHERE athlete_id = 1001")" "1"
check_eq "run recorded in etl_run" "$(sql "SELECT status FROM cairn_app.etl_run ORDER BY id DESC LIMIT 1")" "ok"
check_eq "rate budget row agrees with the fake's read counter" \
	"$(sql "SELECT short_limit, day_limit FROM cairn_app.rate_budget WHERE id = 1" | tr '\t' ' ')" "30 5000"

# --- second run: nothing new
before=$(raw_sum)
changed=$(sql "SELECT MAX(changed_at) FROM cairn_raw.activity")
reset_stats
"$X" >>"$LOG" 2>&1
rc=$?
check_eq "second run exits 0" "$rc" "0"
check_eq "second run makes exactly one request, a list call" "$(stat list) $(stat total)" "1 1"
check_eq "second run changes no raw row (checksums)" "$(raw_sum)" "$before"
check_eq "second run moves no changed_at" "$(sql "SELECT MAX(changed_at) FROM cairn_raw.activity")" "$changed"

# --- a late upload with an earlier start inside the look-back window
newest=$(sql "SELECT DATE_FORMAT(MAX(start_date) - INTERVAL 3 DAY, '%Y-%m-%dT%H:%i:%sZ') FROM cairn_raw.activity")
added=$(curl -sf -X POST "$FAKE_URL/_fake/activity?athlete=1001" -d "{\"start_date\":\"$newest\",\"sport\":\"Run\",\"duration\":1800}" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["activity"]["id"])')
reset_stats
"$X" >>"$LOG" 2>&1
check_eq "late upload 3 days back is fetched: 1 list + 1 streams" "$(stat list) $(stat streams) $(stat total)" "1 1 2"
check_eq "late upload stored with streams" "$(sql "SELECT has_streams FROM cairn_raw.activity WHERE id = $added")" "1"

# --- --full: an edit outside the look-back window and a deletion
old=$(sql "SELECT id FROM cairn_raw.activity WHERE manual = 0 ORDER BY start_date LIMIT 1 OFFSET 10")
gone=$(sql "SELECT id FROM cairn_raw.activity WHERE manual = 0 ORDER BY start_date LIMIT 1 OFFSET 20")
curl -sf -X POST "$FAKE_URL/_fake/activity/$old/edit" -d '{"name":"Renamed on Strava"}' >/dev/null
curl -sf -X POST "$FAKE_URL/_fake/activity/$gone/delete" >/dev/null
"$X" >>"$LOG" 2>&1
check_eq "an incremental run does not see old edits" "$(sql "SELECT name FROM cairn_raw.activity WHERE id = $old")" \
	"$(sql "SELECT name FROM cairn_raw.activity WHERE id = $old")"
untouched=$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE id NOT IN ($old, $gone)")
before_other=$(sql "SELECT MD5(GROUP_CONCAT(id, changed_at ORDER BY id)) FROM cairn_raw.activity WHERE id NOT IN ($old, $gone)")
reset_stats
"$X" --full >>"$LOG" 2>&1
rc=$?
check_eq "--full exits 0" "$rc" "0"
check_eq "--full applies the edit" "$(sql "SELECT name FROM cairn_raw.activity WHERE id = $old")" "Renamed on Strava"
check_eq "--full tombstones the deleted activity" "$(sql "SELECT deleted, changed_at > NOW() - INTERVAL 1 MINUTE FROM cairn_raw.activity WHERE id = $gone" | tr '\t' ' ')" "1 1"
check_eq "--full leaves every other activity untouched ($untouched)" \
	"$(sql "SELECT MD5(GROUP_CONCAT(id, changed_at ORDER BY id)) FROM cairn_raw.activity WHERE id NOT IN ($old, $gone)")" "$before_other"
check_eq "--full refetched no streams for a rename" "$(stat streams)" "0"
check_eq "--full walked to an empty page (6 list calls)" "$(stat list)" "6"
before=$(raw_sum)
"$X" --full >>"$LOG" 2>&1
check_eq "a second --full changes no raw row" "$(raw_sum)" "$before"

# --- fetch_detail = 1: the DetailedActivity's laps stored raw, with no
# request beyond the detail; a second --full replaces them (no duplicates)
kill "$FAKE_PID" 2>/dev/null
fresh_db
start_fake --count 8 --seed 5
export CAIRN_STRAVA_API_URL="$FAKE_URL/api/v3" CAIRN_STRAVA_OAUTH_URL="$FAKE_URL/oauth"
authorise 1001
reset_stats
CAIRN_FETCH_DETAIL=1 "$X" >>"$LOG" 2>&1
check_eq "fetch_detail: the sync exits 0" "$?" "0"
check_eq "fetch_detail: one detail per activity, no other request (laps)" "$(stat activity) $(stat other)" "8 0"
laps_of_detail=$(sql "SELECT SUM(JSON_LENGTH(detail_json, '$.laps')) FROM cairn_raw.activity")
check_eq "fetch_detail: every lap of the details stored ($laps_of_detail), from Strava" \
	"$(sql "SELECT COUNT(*), MIN(source), MAX(source) FROM cairn_raw.activity_lap" | tr '\t' ' ')" "$laps_of_detail strava strava"
check "fetch_detail: the details hold laps" test "${laps_of_detail:-0}" -gt 0
check_eq "fetch_detail: the offsets, durations and indices as Strava gave them" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity_lap l JOIN cairn_raw.activity a ON a.id = l.activity_id WHERE l.start_offset = TIMESTAMPDIFF(SECOND, a.start_date, l.start_date) AND l.elapsed = JSON_EXTRACT(a.detail_json, CONCAT('$.laps[', l.lap_index, '].elapsed_time')) AND l.start_index = JSON_EXTRACT(a.detail_json, CONCAT('$.laps[', l.lap_index, '].start_index'))")" "$laps_of_detail"
sql "UPDATE cairn_raw.activity SET summary_json = '{}' WHERE id = (SELECT MIN(activity_id) FROM cairn_raw.activity_lap)"
CAIRN_FETCH_DETAIL=1 "$X" --full >>"$LOG" 2>&1
check_eq "fetch_detail: a changed activity fetched again keeps one set of laps" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity_lap")" "$laps_of_detail"

# --- usage errors
"$X" --bogus >/dev/null 2>&1
check_eq "unknown argument exits 2" "$?" "2"
"$X" --help | grep -q "5  an athlete needs re-authorisation"
check_eq "--help documents the exit statuses" "$?" "0"
exit $((T_FAIL > 0))
