#!/usr/bin/env bash
# 74_budget.sh: one rate budget for the application, shared by concurrent processes, served round robin with webhook work first
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
T=$(mktemp -d "$CAIRN_VAR/t74.XXXXXX")
T_CLEANUP+=("rm -rf '$T'")
EX="$CAIRN_BIN/cairn-extract"
fresh_db
strava_front --athletes 2 --count 150 --seed 21 --short-limit 2000 --daily-limit 20000 ||
	{ not_ok "the strava-mode front starts" "see $CAIRN_VAR/log"; exit 1; }
FLOG=$(ls -t "$CAIRN_VAR"/log/fake-*.log | head -n 1)
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[k]
print(d)' "$1"; }
api_reqs() { curl -s "$FAKE_URL/_fake/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(d.get(k,0) for k in ("list","activity","streams","athlete","zones","gear")))'; }

login "$T/ja" 1001 >/dev/null
login "$T/jb" 1002 >/dev/null
# Athlete 1002 is up to date; 1001 has never been synced (a 150-activity backfill).
"$EX" --config "$S_CONF" sync --athlete 1002 >"$T/s0.log" 2>&1
check_eq "athlete 1002 is synced first" "$(sql 'SELECT COUNT(DISTINCT athlete_id) FROM cairn_raw.activity')" "1"
new=$(curl -s -H 'Content-Type: application/json' -d "{\"athlete\":1002,\"start_date\":\"$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%SZ)\",\"sport\":\"Ride\",\"duration\":2400,\"name\":\"The new ride\",\"notify\":false}" "$FAKE_URL/_fake/activity")
rid=$(printf '%s' "$new" | jget activity.id)

mark=$(wc -l <"$FLOG")
reqs0=$(api_reqs)
used0=$(sql 'SELECT day_used FROM cairn_app.rate_budget WHERE id = 1')
"$EX" --config "$S_CONF" sync >"$T/s1.log" 2>&1
check_eq "one run syncs both athletes" "$?" "0"
check "... the backfill is complete" test "$(sql 'SELECT COUNT(*) FROM cairn_raw.activity WHERE athlete_id = 1001')" -ge 150
check_eq "... and the new ride is stored" "$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE id = $rid")" "1"
tail -n +"$((mark + 1))" "$FLOG" | grep -E ' GET /api/v3/activities/[0-9]+/streams ' >"$T/streams.txt"
total=$(wc -l <"$T/streams.txt")
pos=$(grep -n "/activities/$rid/streams" "$T/streams.txt" | head -n 1 | cut -d: -f1)
check "the run fetched the backfill's streams ($total)" test "$total" -ge 150
[ -n "$pos" ] && [ "$pos" -le 10 ] && ok "the new ride is fetched early (stream fetch $pos of $total), not after the backfill" ||
	not_ok "the new ride is fetched early, not after the backfill" "stream fetch ${pos:-none} of $total"
reqs1=$(api_reqs)
used1=$(sql 'SELECT day_used FROM cairn_app.rate_budget WHERE id = 1')
check_eq "the shared budget counted every request of both processes" "$((used1 - used0))" "$((reqs1 - reqs0))"
check_eq "the processes left the request queue" "$(sql 'SELECT COUNT(*) FROM cairn_app.rate_waiter WHERE waiting = 1')" "0"

# Webhook-driven fetches go first: a waiter that never gives way (a phantom
# sync process with the oldest claim) blocks syncs, not events.
sql "INSERT INTO cairn_app.rate_waiter (conn_id, athlete_id, priority, waiting, seen_at, last_grant) VALUES (1, 5, 1, 1, UNIX_TIMESTAMP() + 60, 0)"
curl -s -H 'Content-Type: application/json' -d '{"aspect_type":"update","event_time":1700000000,"object_id":'"$rid"',"object_type":"activity","owner_id":1002,"updates":{"title":"x"}}' "$S_URL/webhook/strava" >/dev/null
t0=$(date +%s)
timeout 20 "$EX" --config "$S_CONF" --events >"$T/ev.log" 2>&1
rc=$?
check_eq "a webhook fetch is served ahead of a waiting sync" "$rc" "0"
check_eq "... and applied" "$(sql "SELECT result FROM cairn_app.webhook_event WHERE object_id = $rid")" "fetched"
timeout 4 "$EX" --config "$S_CONF" sync --athlete 1002 >"$T/s2.log" 2>&1
check_eq "a sync waits its turn behind the older claim (round robin)" "$?" "124"
sql "DELETE FROM cairn_app.rate_waiter"
timeout 60 "$EX" --config "$S_CONF" sync --athlete 1002 >"$T/s3.log" 2>&1
check_eq "... and goes on once the queue moves" "$?" "0"

# Concurrent processes keep one consistent budget (row lock, no lost update).
used0=$(sql 'SELECT day_used FROM cairn_app.rate_budget WHERE id = 1')
reqs0=$(api_reqs)
pids=()
for i in 1 2 3; do
	"$EX" --config "$S_CONF" sync --athlete $((1000 + (i % 2) + 1)) >"$T/c$i.log" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
used1=$(sql 'SELECT day_used FROM cairn_app.rate_budget WHERE id = 1')
reqs1=$(api_reqs)
check_eq "three concurrent runs: the budget equals the requests Strava saw" "$((used1 - used0))" "$((reqs1 - reqs0))"
echo "# passed $T_PASS, failed $T_FAIL"
[ "$T_FAIL" = 0 ]
