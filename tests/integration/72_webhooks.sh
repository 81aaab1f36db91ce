#!/usr/bin/env bash
# 72_webhooks.sh: /webhook/strava (challenge, recording), cairn-extract --events and subscribe/unsubscribe/subscriptions via the local Strava
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
T=$(mktemp -d "$CAIRN_VAR/t72.XXXXXX")
T_CLEANUP+=("rm -rf '$T'")
EX="$CAIRN_BIN/cairn-extract"
fresh_db
strava_front --athletes 1 --count 20 --seed 9 || { not_ok "the strava-mode front starts" "see $CAIRN_VAR/log"; exit 1; }
VT=$(conf_get webhook_verify_token)
HOOK="$S_URL/webhook/strava"
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[k] if not isinstance(d,list) else d[int(k)]
print(d)' "$1"; }
stat() { curl -s "$FAKE_URL/_fake/stats" | jget "$1"; }

# ---- the subscription check
got=$(curl -s "$HOOK?hub.mode=subscribe&hub.verify_token=$VT&hub.challenge=c0ffee42")
check_eq "GET with the verify token echoes hub.challenge" "$got" '{"hub.challenge":"c0ffee42"}'
check_eq "GET with a wrong verify token: 403" "$(curl -s -o /dev/null -w '%{http_code}' "$HOOK?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=c0ffee42")" "403"
check_eq "GET without a verify token: 403" "$(curl -s -o /dev/null -w '%{http_code}' "$HOOK?hub.mode=subscribe&hub.challenge=c0ffee42")" "403"
if grep -qF -- "$VT" "$CAIRN_VAR"/log/nginx-strava-"$S_PORT"-access.log 2>/dev/null; then
	not_ok "nginx does not log the verify token" "found in the access log"
else ok "nginx does not log the verify token"; fi

# ---- events are only recorded, fast
ev='{"aspect_type":"update","event_time":1700000000,"object_id":123,"object_type":"activity","owner_id":999,"subscription_id":1,"updates":{"title":"x"}}'
t0=$(date +%s.%N)
got=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$ev" "$HOOK")
dt=$(echo "$(date +%s.%N) - $t0" | bc)
check_eq "POST of an event: 200" "$got" "200"
check "... answered within 2 s ($dt s)" test "$(echo "$dt < 2" | bc)" = 1
check_eq "... recorded, not yet applied" "$(sql 'SELECT CONCAT(object_type, aspect_type, object_id, owner_id, ISNULL(processed_at)) FROM cairn_app.webhook_event')" "activityupdate1239991"
check_eq "... nothing fetched from Strava" "$(stat total)" "0"
check_eq "a POST that is no Strava event: 400" "$(curl -s -o /dev/null -w '%{http_code}' -d '{"hello":1}' "$HOOK")" "400"
check_eq "... not recorded" "$(sql 'SELECT COUNT(*) FROM cairn_app.webhook_event')" "1"
sql "DELETE FROM cairn_app.webhook_event"

# ---- subscribe / subscriptions / unsubscribe
out=$("$EX" --config "$(conf_with "strava_api_url=$FAKE_URL/api/v3" webhook_verify_token=wrong-token)" subscribe --callback "$HOOK" 2>&1)
check_eq "subscribe with a verify token cairn-api does not share fails" "$?" "1"
out=$("$EX" --config "$S_CONF" subscribe 2>&1)
rc=$?
check_eq "cairn-extract subscribe (Strava checks our callback through nginx)" "$rc" "0"
case "$out" in *"callback $HOOK"*) ok "... with public_url + /webhook/strava as callback" ;; *) not_ok "... with public_url + /webhook/strava as callback" "$out" ;; esac
out=$("$EX" --config "$S_CONF" subscriptions 2>&1)
case "$out" in "subscription "*"$HOOK"*) ok "cairn-extract subscriptions lists it" ;; *) not_ok "cairn-extract subscriptions lists it" "$out" ;; esac
"$EX" --config "$S_CONF" subscribe >/dev/null 2>&1
check_eq "a second subscribe is refused by Strava" "$?" "1"
if grep -rqF -- "$(conf_get strava_client_secret)" "$CAIRN_VAR/log/fake-"*.log 2>/dev/null; then
	not_ok "the client secret never travels in a URL" "found in the local Strava's request log"
else ok "the client secret never travels in a URL"; fi

# ---- an authorised athlete with synced data
login "$T/j" 1001 >/dev/null
"$EX" --config "$S_CONF" sync >"$T/sync.log" 2>&1
"$CAIRN_BIN/cairn-transform" --config "$S_CONF" >"$T/tf.log" 2>&1
n0=$(sql 'SELECT COUNT(*) FROM cairn_raw.activity')
check "the athlete's activities are synced" test "$n0" -gt 0

# create: the local Strava posts the event to our callback
before_list=$(stat list); before_act=$(stat activity); before_str=$(stat streams)
new=$(curl -s -H 'Content-Type: application/json' -d "{\"athlete\":1001,\"start_date\":\"$(date -u -d '2 hours ago' +%Y-%m-%dT%H:%M:%SZ)\",\"sport\":\"Run\",\"duration\":1800,\"name\":\"Webhook run\"}" "$FAKE_URL/_fake/activity")
aid=$(printf '%s' "$new" | jget activity.id)
check_eq "the new activity's event reached /webhook/strava" "$(printf '%s' "$new" | jget event.delivered)" "True"
check_eq "... recorded as create" "$(sql "SELECT aspect_type FROM cairn_app.webhook_event WHERE object_id = $aid")" "create"
"$EX" --config "$S_CONF" --events >"$T/ev1.log" 2>&1
check_eq "cairn-extract --events applies it" "$?" "0"
check_eq "... the activity is stored" "$(sql "SELECT name FROM cairn_raw.activity WHERE id = $aid")" "Webhook run"
check_eq "... with its streams" "$(sql "SELECT COUNT(*) FROM cairn_raw.activity_stream WHERE activity_id = $aid")" "1"
check_eq "... by fetching exactly that activity (no list page)" "$(($(stat list) - before_list)) $(($(stat activity) - before_act)) $(($(stat streams) - before_str))" "0 1 1"
check_eq "... and the event is marked applied" "$(sql "SELECT result FROM cairn_app.webhook_event WHERE object_id = $aid")" "fetched"

# update
curl -s -H 'Content-Type: application/json' -d '{"name":"Renamed by webhook"}' "$FAKE_URL/_fake/activity/$aid/edit" >/dev/null
"$EX" --config "$S_CONF" --events >"$T/ev2.log" 2>&1
check_eq "an update event refetches the activity" "$(sql "SELECT name FROM cairn_raw.activity WHERE id = $aid")" "Renamed by webhook"
"$CAIRN_BIN/cairn-transform" --config "$S_CONF" >>"$T/tf.log" 2>&1
check_eq "... and the API shows it after the transform" "$(s_get "$T/j" "api/v1/activities/$aid" | grep -c 'Renamed by webhook')" "1"

# delete
curl -s -X POST "$FAKE_URL/_fake/activity/$aid/delete" >/dev/null
"$EX" --config "$S_CONF" --events >"$T/ev3.log" 2>&1
check_eq "a delete event leaves a tombstone in raw" "$(sql "SELECT deleted FROM cairn_raw.activity WHERE id = $aid")" "1"
"$CAIRN_BIN/cairn-transform" --config "$S_CONF" >>"$T/tf.log" 2>&1
check_eq "... the transform removes it from the marts" "$(sql "SELECT COUNT(*) FROM cairn_mart.activity WHERE id = $aid")" "0"
check_eq "... and the API answers 404" "$(s_get "$T/j" "api/v1/activities/$aid" | cut -d' ' -f1)" "404"

# a deauthorisation that Strava contradicts (anyone can POST to the webhook)
curl -s -H 'Content-Type: application/json' -d '{"aspect_type":"update","event_time":1700000000,"object_id":1001,"object_type":"athlete","owner_id":1001,"updates":{"authorized":"false"}}' "$HOOK" >/dev/null
"$EX" --config "$S_CONF" --events >"$T/ev4.log" 2>&1
check_eq "a forged deauthorisation is ignored (Strava still accepts the token)" "$(sql 'SELECT COUNT(*) FROM cairn_raw.token WHERE athlete_id = 1001')" "1"

# the real one
curl -s -X POST "$FAKE_URL/_fake/revoke?athlete=1001" >/dev/null
check_eq "Strava's deauthorisation event is recorded" "$(sql "SELECT COUNT(*) FROM cairn_app.webhook_event WHERE object_type = 'athlete' AND processed_at IS NULL")" "1"
"$EX" --config "$S_CONF" --events >"$T/ev5.log" 2>&1
check_eq "... --events deletes the athlete's tokens" "$(sql 'SELECT COUNT(*) FROM cairn_raw.token WHERE athlete_id = 1001')" "0"
check_eq "... marks it revoked" "$(sql 'SELECT auth_state FROM cairn_raw.athlete WHERE id = 1001')" "revoked"
check_eq "... and logs it out" "$(s_get "$T/j" api/v1/me | cut -d' ' -f1)" "401"
check "... keeping its data (deauth_delete_data = 0)" test "$(sql 'SELECT COUNT(*) FROM cairn_raw.activity WHERE athlete_id = 1001')" -gt 0
check_eq "no event is left pending" "$(sql 'SELECT COUNT(*) FROM cairn_app.webhook_event WHERE processed_at IS NULL')" "0"

out=$("$EX" --config "$S_CONF" unsubscribe 2>&1)
case "$out" in *deleted*) ok "cairn-extract unsubscribe deletes the subscription" ;; *) not_ok "cairn-extract unsubscribe deletes the subscription" "$out" ;; esac
check_eq "... none is left" "$("$EX" --config "$S_CONF" subscriptions 2>&1)" "no subscription"
echo "# passed $T_PASS, failed $T_FAIL"
[ "$T_FAIL" = 0 ]
