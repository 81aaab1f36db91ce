#!/usr/bin/env bash
# 21_extract_kill.sh: SIGKILL at random points of a sync, then a rerun, leaves exactly what an uninterrupted sync stores
# CAIRN_EXTRACT_KILLS sets how many kills (default 4; the full run uses 20).
source "$(dirname "$0")/lib.sh"

X="$CAIRN_BIN/cairn-extract"
LOG="$CAIRN_VAR/log/21_extract_kill.log"
KILLS=${CAIRN_EXTRACT_KILLS:-4}
: >"$LOG"

authorise() {
	curl -sf -X POST "$FAKE_URL/_fake/code?athlete=$1&scope=read,activity:read_all,profile:read_all" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])' | "$X" auth --code - >>"$LOG" 2>&1
}
# What must match: every activity with its summary, streams and flags.
content() {
	sql "SELECT COUNT(*), COUNT(DISTINCT id), MD5(GROUP_CONCAT(CONCAT_WS(':', a.id, MD5(a.summary_json), a.has_streams, a.deleted, MD5(COALESCE(s.json, '')), COALESCE(s.points, 0)) ORDER BY a.id)) FROM cairn_raw.activity a LEFT JOIN cairn_raw.activity_stream s ON s.activity_id = a.id" | tr '\t' ' '
}

start_fake --count 250 --seed 5 --unthrottled --short-limit 100000 --daily-limit 1000000
export CAIRN_STRAVA_API_URL="$FAKE_URL/api/v3" CAIRN_STRAVA_OAUTH_URL="$FAKE_URL/oauth"

# reference: one uninterrupted sync
fresh_db
authorise 1001
"$X" >>"$LOG" 2>&1
check_eq "uninterrupted reference sync exits 0" "$?" "0"
want=$(content)
secs=$(grep -o 'extract-stats.*seconds=[0-9]*' "$LOG" | tail -1 | sed 's/.*seconds=//')
[ -z "$secs" ] || [ "$secs" -lt 2 ] && secs=2

# the same, killed $KILLS times at random points, then run to the end
fresh_db
authorise 1001
for ((k = 1; k <= KILLS; k++)); do
	"$X" >>"$LOG" 2>&1 &
	pid=$!
	# a random point within the time a whole sync takes
	sleep "$(python3 -c "import random; print(round(random.uniform(0.05, $secs * 0.6), 2))")"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	echo "kill $k at $(sql "SELECT COUNT(*) FROM cairn_raw.activity") activities" >>"$LOG"
done
check "after $KILLS kills the stored activities are all complete (summary and streams together)" \
	test "$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE manual = 0 AND (has_streams = 0 OR id NOT IN (SELECT activity_id FROM cairn_raw.activity_stream))")" = 0
"$X" >>"$LOG" 2>&1
check_eq "the rerun after the kills exits 0" "$?" "0"
check_eq "after $KILLS SIGKILLs and a rerun: the same activities, streams and flags, no duplicates, none missing" "$(content)" "$want"
check_eq "the cursor ends where the uninterrupted sync put it" \
	"$(sql "SELECT cursor_start = (SELECT UNIX_TIMESTAMP(MAX(start_date)) FROM cairn_raw.activity) FROM cairn_raw.sync_state")" "1"
exit $((T_FAIL > 0))
