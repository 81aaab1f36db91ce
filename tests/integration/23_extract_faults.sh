#!/usr/bin/env bash
# 23_extract_faults.sh: pacing on the shared budget, 500s, timeouts, truncated answers, 429 storms, the daily limit: clear summary, documented exit, nothing lost
source "$(dirname "$0")/lib.sh"

X="$CAIRN_BIN/cairn-extract"
LOG="$CAIRN_VAR/log/23_extract_faults.log"
: >"$LOG"
W=2

stat() { curl -sf "$FAKE_URL/_fake/stats" | python3 -c "import json,sys; print(json.load(sys.stdin).get('$1', 0))"; }
reset_stats() { curl -sf -X POST "$FAKE_URL/_fake/stats/reset" >/dev/null; }
fault() { curl -sf -X POST "$FAKE_URL/_fake/faults" -d "$1" >/dev/null; }
clear_faults() { curl -sf -X POST "$FAKE_URL/_fake/faults/clear" >/dev/null; }
add_activity() { # minutes ago
	local at
	at=$(date -u -d "-$1 minutes" +%Y-%m-%dT%H:%M:%SZ)
	curl -sf -X POST "$FAKE_URL/_fake/activity?athlete=1001" -d "{\"start_date\":\"$at\",\"sport\":\"Run\",\"duration\":900}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["activity"]["id"])'
}
stored() { # the stored activities, summaries and streams
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS(':', a.id, MD5(a.summary_json), a.has_streams, a.deleted, a.changed_at, MD5(COALESCE(s.json, ''))) ORDER BY a.id)) FROM cairn_raw.activity a LEFT JOIN cairn_raw.activity_stream s ON s.activity_id = a.id"
}
have() { sql "SELECT COUNT(*) FROM cairn_raw.activity a JOIN cairn_raw.activity_stream s ON s.activity_id = a.id WHERE a.id = $1"; }
run() { # runs cairn-extract, leaves its exit status in RC and its stderr in OUT
	OUT=$("$X" "$@" 2>&1)
	RC=$?
	printf '%s\n' "$OUT" >>"$LOG"
}
window_start() { # wait until early in a rate window
	python3 -c "import time; w=$W; t=time.time(); r=t%w; time.sleep(0 if r < 0.3*w else w-r+0.05)"
}

fresh_db
start_fake --count 40 --seed 13 --short-limit 40 --daily-limit 100000 --window $W
export CAIRN_STRAVA_API_URL="$FAKE_URL/api/v3" CAIRN_STRAVA_OAUTH_URL="$FAKE_URL/oauth"
export CAIRN_RATE_WINDOW_SECONDS=$W CAIRN_HTTP_BACKOFF_MS=100 CAIRN_HTTP_TIMEOUT=2 CAIRN_HTTP_RETRIES=4
curl -sf -X POST "$FAKE_URL/_fake/code?athlete=1001" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])' |
	"$X" auth --code - >>"$LOG" 2>&1
run
check_eq "first sync under 40 requests per ${W}s exits 0" "$RC" "0"
check_eq "... with no 429 although it needed more than one window" "$(stat status_429)" "0"

# --- another process has spent this window's budget: wait for the next one, no 429
id=$(add_activity 30)
window_start
sql "UPDATE cairn_app.rate_budget SET window_start = FLOOR(UNIX_TIMESTAMP() / $W) * $W, short_used = short_limit WHERE id = 1"
reset_stats
run
check_eq "a spent shared budget: exit 0, no 429" "$RC $(stat status_429)" "0 0"
case "$OUT" in *"waiting "*" until "*) ok "a spent shared budget: it waits for the next window" ;; *) not_ok "waits for the window" "$OUT" ;; esac
check_eq "... and then stores the new activity" "$(have "$id")" "1"

# --- 500s on streams: retried with backoff
before=$(stored)
id=$(add_activity 25)
fault '{"status":500,"count":3,"path":"streams"}'
run
check_eq "three 500s on streams: retried, exit 0" "$RC" "0"
check_eq "... the activity is stored with its streams" "$(have "$id")" "1"
check_eq "... retries were logged" "$(grep -c 'failed (HTTP 500); retry' <<<"$OUT")" "3"

# --- 500s that outlast the retries: the activity is skipped, nothing half-stored
before=$(stored)
id=$(add_activity 20)
fault '{"status":503,"count":50,"path":"streams"}'
run
check_eq "streams failing for good: exit 3 (partial)" "$RC" "3"
check_eq "... the activity is not stored without its streams" "$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE id = $id")" "0"
check_eq "... nothing stored changed" "$(stored)" "$before"
case "$OUT" in *"partial:"*"1 skipped"*) ok "... the summary says partial, 1 skipped" ;; *) not_ok "partial summary" "$(tail -3 <<<"$OUT")" ;; esac
clear_faults
run
check_eq "the rerun picks the skipped activity up (exit 0)" "$RC $(have "$id")" "0 1"

# --- a slow answer beyond http_timeout, and truncated answers
id=$(add_activity 15)
fault '{"delay":3,"count":1,"path":"streams"}'
fault '{"truncate":true,"count":2,"path":"list"}'
run
check_eq "a timeout and two truncated list pages: retried, exit 0" "$RC" "0"
check_eq "... the activity is stored" "$(have "$id")" "1"
check_eq "... no list page was taken for an empty one (activities all there)" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE deleted = 0")" "44"
id=$(add_activity 12)
fault '{"truncate":true,"count":1,"path":"streams"}'
run
check_eq "truncated streams: retried, the stored streams are whole JSON" \
	"$RC $(sql "SELECT JSON_VALID(json) FROM cairn_raw.activity_stream WHERE activity_id = $id")" "0 1"

# --- 429 storms
id=$(add_activity 10)
fault '{"rate_exhaust":"short"}'
reset_stats
run
# (with 2 s windows the window may roll over before the first request: then no 429 at all)
check_eq "short budget exhausted elsewhere: at most one 429, a wait, then exit 0 with the activity" \
	"$RC $(($(stat status_429) <= 1)) $(have "$id")" "0 1 1"
before=$(stored)
add_activity 8 >/dev/null
fault '{"status":429,"count":30}'
run
check_eq "a 429 storm that does not end: exit 4 (rate limit stop)" "$RC" "4"
check_eq "... nothing stored changed" "$(stored)" "$before"
case "$OUT" in *"kept answering 429"*) ok "... the message says why" ;; *) not_ok "429 message" "$(tail -3 <<<"$OUT")" ;; esac
clear_faults

# --- the daily budget: commit, say when to resume, exit 0
fault '{"rate_exhaust":"daily"}'
run
check_eq "daily budget spent: exit 0" "$RC" "0"
case "$OUT" in *"daily request budget spent"*"run again after "*T00:00:00Z*) ok "... the message says when to resume" ;; *) not_ok "daily message" "$(tail -3 <<<"$OUT")" ;; esac
reset_stats
run
check_eq "a run later that day sends nothing and exits 0" "$RC $(stat total)" "0 0"
exit $((T_FAIL > 0))
