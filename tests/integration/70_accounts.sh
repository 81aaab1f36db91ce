#!/usr/bin/env bash
# 70_accounts.sh: auth modes, Strava login (state, scopes), sessions, CSRF, per-athlete scoping, logout, disconnect, deauthorisation
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
T=$(mktemp -d "$CAIRN_VAR/t70.XXXXXX")
T_CLEANUP+=("rm -rf '$T'")
API="$CAIRN_BIN/cairn-api"
EX="$CAIRN_BIN/cairn-extract"

# ---- auth_mode = none only behind a loopback nginx
out=$("$API" --config "$(conf_with auth_mode=none listen_address=0.0.0.0)" --check-config 2>&1)
rc=$?
check_eq "auth_mode none with listen_address 0.0.0.0: cairn-api refuses" "$rc" "2"
check_eq "... with one line" "$(printf '%s\n' "$out" | wc -l)" "1"
case "$out" in *listen_address*loopback*auth_mode\ =\ strava*) ok "... saying why and what to do" ;; *) not_ok "... saying why and what to do" "$out" ;; esac
check "auth_mode none on 127.0.0.1 is accepted" "$API" --config "$(conf_with auth_mode=none listen_address=127.0.0.1)" --check-config
check "auth_mode none on ::1 is accepted" "$API" --config "$(conf_with auth_mode=none listen_address=::1)" --check-config
out=$("$API" --config "$(conf_with auth_mode=password)" --check-config 2>&1)
case "$out" in *"auth_mode must be none or strava"*) ok "an unknown auth_mode is refused" ;; *) not_ok "an unknown auth_mode is refused" "$out" ;; esac
out=$("$API" --config "$(conf_with auth_mode=strava listen_address=0.0.0.0 strava_client_secret=)" --check-config 2>&1)
case "$out" in *strava_client_secret*) ok "auth_mode strava without the client secret is refused" ;; *) not_ok "auth_mode strava without the client secret is refused" "$out" ;; esac
check "auth_mode strava on 0.0.0.0 is accepted" "$API" --config "$(conf_with auth_mode=strava listen_address=0.0.0.0)" --check-config

# ---- the strava-mode front, two athletes at the local Strava
fresh_db
strava_front --athletes 2 --count 40 --seed 7 || { not_ok "the strava-mode front starts" "see $CAIRN_VAR/log"; exit 1; }
ok "the strava-mode front starts"

st=$(s_get /dev/null api/v1/health | cut -d' ' -f1)
check_eq "health answers without a session" "$st" "200"
bad=0
for r in me settings summary activities fitness gear records; do
	got=$(s_get /dev/null "api/v1/$r")
	case "$got" in "401 "*login_required*) ;; *) bad=1; echo "# $r: $got" ;; esac
done
check_eq "athlete routes answer 401 JSON without a session" "$bad" "0"
got=$(curl -s -o /dev/null -w '%{http_code}' -H 'Cookie: cairn_session=0000000000000000000000000000000000000000000000000000000000000000' "$S_URL/api/v1/me")
check_eq "a made-up session cookie is refused" "$got" "401"

# ---- Host: another site's name (DNS rebinding) gets 421 in strava mode too
for path in /auth/login /auth/me /webhook/strava /api/v1/health; do
	got=$(curl -s -o "$T/host.json" -w '%{http_code}' -H 'Host: evil.example' "$S_URL$path")
	check_eq "$path with another site's Host: 421 host_not_allowed" "$got $(grep -o host_not_allowed "$T/host.json")" "421 host_not_allowed"
done
check_eq "... and with the public_url's host and port: answered" \
	"$(curl -s -o /dev/null -w '%{http_code}' -H "Host: 127.0.0.1:$S_PORT" "$S_URL/api/v1/health")" 200

# ---- login: state and scopes
loc=$(curl -s -i -c "$T/j0" "$S_URL/auth/login" | _location)
case "$loc" in "$FAKE_URL/oauth/authorize?"*state=*) ok "Connect with Strava sends the browser to Strava's authorize page with a state" ;; *) not_ok "Connect with Strava sends the browser to Strava's authorize page with a state" "$loc" ;; esac
case "$loc" in *activity%3Aread_all*) ok "... asking for activity:read_all" ;; *) not_ok "... asking for activity:read_all" "$loc" ;; esac
s1=$(python3 -c 'import sys,urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query)["state"][0])' "$loc")
loc2=$(curl -s -i "$S_URL/auth/login" | _location)
s2=$(python3 -c 'import sys,urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query)["state"][0])' "$loc2")
[ "${#s1}" = 64 ] && [ "$s1" != "$s2" ] && ok "each login gets its own 256-bit random state" || not_ok "each login gets its own 256-bit random state" "$s1 / $s2"

code=$(curl -s -X POST "$FAKE_URL/_fake/code?athlete=1001&scope=read,activity:read_all" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
got=$(curl -s -i -b "$T/j0" "$S_URL/auth/callback?state=$(printf '%064d' 7)&code=$code&scope=read,activity:read_all" | _location)
check_eq "a callback with a state we never gave is refused" "$got" "/login.html?error=state"
got=$(curl -s -i "$S_URL/auth/callback?state=$s1&code=$code&scope=read,activity:read_all" | _location)
check_eq "a callback from another browser (state not bound to it) is refused" "$got" "/login.html?error=state"
check_eq "... and no session was made" "$(sql 'SELECT COUNT(*) FROM cairn_app.session')" "0"

loc=$(login "$T/jx" 1001 read,profile:read_all)
check_eq "unticking activity:read_all sends the athlete back to be asked again" "$loc" "/login.html?error=scope"
check_eq "... with nothing stored" "$(sql 'SELECT COUNT(*) FROM cairn_raw.token')/$(sql 'SELECT COUNT(*) FROM cairn_app.session')" "0/0"
got=$(curl -s -i "$S_URL/auth/login?again=1" | _location)
case "$got" in *approval_prompt=force*) ok "asking again forces Strava's consent page" ;; *) not_ok "asking again forces Strava's consent page" "$got" ;; esac

# ---- a real login
hdr=$(
	auth=$(curl -s -i -c "$T/ja" -b "$T/ja" "$S_URL/auth/login" | _location)
	state=$(python3 -c 'import sys,urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query)["state"][0])' "$auth")
	cb=$(curl -s -i "$FAKE_URL/oauth/accept" -d "client_id=$(conf_get strava_client_id)" \
		--data-urlencode "redirect_uri=$S_URL/auth/callback" -d "state=$state" -d athlete=1001 -d action=authorize \
		-d scope=read -d scope=activity:read_all -d scope=profile:read_all | _location)
	curl -s -i -c "$T/ja" -b "$T/ja" "$cb" | tr -d '\r'
)
check_eq "after authorising, the athlete lands on its dashboard" "$(printf '%s\n' "$hdr" | _location)" "/"
sc=$(printf '%s\n' "$hdr" | grep -i '^set-cookie: cairn_session=')
case "$sc" in *"; HttpOnly"*"SameSite=Lax"*) ok "the session cookie is HttpOnly and SameSite=Lax" ;; *) not_ok "the session cookie is HttpOnly and SameSite=Lax" "$sc" ;; esac
case "$sc" in *"Max-Age=604800"*) ok "the session expires after session_days" ;; *) not_ok "the session expires after session_days" "$sc" ;; esac
case "$sc" in *Secure*) not_ok "cookie_secure = 0 leaves Secure off (loopback)" "$sc" ;; *) ok "cookie_secure = 0 leaves Secure off (loopback)" ;; esac
tok=$(printf '%s\n' "$sc" | sed -n 's/^[Ss]et-[Cc]ookie: cairn_session=\([0-9a-f]*\);.*/\1/p')
check_eq "the cookie carries 256 random bits" "${#tok}" "64"
want=$(printf '%s' "$tok" | sha256sum | cut -d' ' -f1)
check_eq "only the cookie's SHA-256 is stored" "$(sql "SELECT LOWER(HEX(token_hash)) FROM cairn_app.session WHERE athlete_id = 1001")" "$want"
check_eq "the athlete is created on first login, authorised" "$(sql 'SELECT auth_state FROM cairn_raw.athlete WHERE id = 1001')" "ok"
check_eq "its tokens are stored with the granted scope" "$(sql 'SELECT scope FROM cairn_raw.token WHERE athlete_id = 1001')" "read,activity:read_all,profile:read_all"
got=$(curl -s -i -b "$T/ja" "$S_URL/$(printf '%s\n' "$hdr" | _location | sed 's|^/||')" | head -n 1 | tr -d '\r')
case "$got" in *200*) ok "the dashboard page loads" ;; *) not_ok "the dashboard page loads" "$got" ;; esac

loc=$(login "$T/jb" 1002)
check_eq "the second athlete logs in too" "$loc" "/"
check_eq "two athletes, two sessions" "$(sql 'SELECT COUNT(DISTINCT athlete_id) FROM cairn_app.session')" "2"
got=$(s_get "$T/ja" api/v1/me | cut -d' ' -f1)
check_eq "before the first sync the API says there is no data yet" "$got" "404"

"$EX" --config "$S_CONF" sync >"$T/sync.log" 2>&1
check_eq "one sync fetches both athletes" "$(sql 'SELECT COUNT(DISTINCT athlete_id) FROM cairn_raw.activity')" "2"
"$CAIRN_BIN/cairn-transform" --config "$S_CONF" >"$T/tf.log" 2>&1
me_a=$(s_get "$T/ja" api/v1/me)
me_b=$(s_get "$T/jb" api/v1/me)
case "$me_a" in "200 "*'"id":1001'*) ok "athlete 1001 sees itself" ;; *) not_ok "athlete 1001 sees itself" "${me_a:0:200}" ;; esac
case "$me_b" in "200 "*'"id":1002'*) ok "athlete 1002 sees itself" ;; *) not_ok "athlete 1002 sees itself" "${me_b:0:200}" ;; esac

# ---- neither athlete reads the other's data through any route or parameter
"$API" --dump-routes >"$T/routes.json"
python3 - "$T/markers.json" <<PY
import json, subprocess, sys
def q(s):
    return subprocess.run(["mariadb", "--no-defaults", "-S", "$CAIRN_TEST_DB_SOCKET", "-uroot", "-N", "-B", "-e", s],
                          capture_output=True, text=True).stdout.split()
b = q("SELECT id FROM cairn_mart.activity WHERE athlete_id = 1002 ORDER BY id")
a = q("SELECT id FROM cairn_mart.activity WHERE athlete_id = 1001 ORDER BY id")
ga = set(q("SELECT id FROM cairn_raw.gear WHERE athlete_id = 1001"))
gb = [g for g in q("SELECT id FROM cairn_raw.gear WHERE athlete_id = 1002") if g not in ga]
json.dump({"b_id": "1002", "b_activities": [int(x) for x in b], "b_gear": gb, "a_activity": int(a[0])}, open(sys.argv[1], "w"))
PY
nroutes=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/routes.json")
cookie_a=$(awk '$6 == "cairn_session" {print $7}' "$T/ja")
res=$(python3 "$(dirname "$0")/auth_isolation.py" "$S_URL" "$cookie_a" "$T/routes.json" "$T/markers.json")
calls=$(printf '%s' "$res" | python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"])')
nleaks=$(printf '%s' "$res" | python3 -c 'import json,sys; print(json.load(sys.stdin)["nleaks"])')
[ "$nroutes" -ge 15 ] && [ "$calls" -gt "$nroutes" ] && ok "all $nroutes routes of the routing table tried with B's ids and parameters ($calls calls)" ||
	not_ok "all routes of the routing table tried" "$nroutes routes, $calls calls"
check_eq "athlete 1001 never sees anything of athlete 1002" "$nleaks" "0"
[ "$nleaks" = 0 ] || echo "# $res"
own=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["a_activity"])' "$T/markers.json")
check_eq "... while its own activity answers" "$(s_get "$T/ja" "api/v1/activities/$own" | cut -d' ' -f1)" "200"
etag=$(curl -s -D - -o /dev/null -b "$T/ja" "$S_URL/api/v1/activities" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
got=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jb" -H "If-None-Match: $etag" "$S_URL/api/v1/activities")
check_eq "athlete 1001's ETag is no 304 for athlete 1002" "$got" "200"

# ---- CSRF on settings
body='{"name":"ftp","value":250,"effective_from":"2025-01-01"}'
got=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ja" -X PUT -H 'Content-Type: application/json' -d "$body" "$S_URL/api/v1/settings")
check_eq "PUT settings without the CSRF token: 403" "$got" "403"
got=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ja" -X PUT -H 'Content-Type: application/json' -H "X-CSRF-Token: $(csrf_of "$T/jb")" -d "$body" "$S_URL/api/v1/settings")
check_eq "PUT settings with another session's CSRF token: 403" "$got" "403"
got=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ja" -X PUT -H 'Content-Type: application/json' -H "X-CSRF-Token: $(csrf_of "$T/ja")" -d "$body" "$S_URL/api/v1/settings")
check_eq "PUT settings with the session's CSRF token is done" "$got" "200"
check_eq "... for that athlete only" "$(sql "SELECT GROUP_CONCAT(athlete_id) FROM cairn_app.setting WHERE name = 'ftp' AND source = 'user'")" "1001"

# ---- CSRF on the model's apply (a POST on an athlete route)
body='{"sport":"run","dry_run":true}'
got=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ja" -X POST -H 'Content-Type: application/json' -d "$body" "$S_URL/api/v1/model/apply")
check_eq "POST model/apply without the CSRF token: 403" "$got" "403"
got=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ja" -X POST -H 'Content-Type: application/json' -H "X-CSRF-Token: $(csrf_of "$T/jb")" -d "$body" "$S_URL/api/v1/model/apply")
check_eq "POST model/apply with another session's CSRF token: 403" "$got" "403"
got=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" "$S_URL/api/v1/model/apply")
check_eq "POST model/apply without a session: 401" "$got" "401"
got=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ja" -X POST -H 'Content-Type: application/json' -H "X-CSRF-Token: $(csrf_of "$T/ja")" -d "$body" "$S_URL/api/v1/model/apply")
case "$got" in 200 | 409) ok "POST model/apply with the session's CSRF token gets past the check ($got)" ;;
*) not_ok "POST model/apply with the session's CSRF token gets past the check" "$got" ;; esac

# ---- logout
got=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ja" -X POST "$S_URL/auth/logout")
check_eq "logout without the CSRF token: 403" "$got" "403"
cs=$(csrf_of "$T/ja")
hdr=$(curl -s -i -b "$T/ja" -X POST -H "X-CSRF-Token: $cs" "$S_URL/auth/logout" | tr -d '\r')
case "$hdr" in *"200"*"cairn_session=; "*"Max-Age=0"*) ok "logout clears the cookie" ;; *) not_ok "logout clears the cookie" "${hdr:0:300}" ;; esac
check_eq "... and deletes the session" "$(sql 'SELECT COUNT(*) FROM cairn_app.session WHERE athlete_id = 1001')" "0"
check_eq "the old cookie is refused afterwards" "$(s_get "$T/ja" api/v1/me | cut -d' ' -f1)" "401"

# ---- disconnect, with the deletion of all data
got=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jb" -X POST -d '{"delete_data":true}' "$S_URL/auth/disconnect")
check_eq "disconnect without the CSRF token: 403" "$got" "403"
deauth0=$(curl -s "$FAKE_URL/_fake/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("deauthorize", 0))')
got=$(curl -s -b "$T/jb" -X POST -H "X-CSRF-Token: $(csrf_of "$T/jb")" -H 'Content-Type: application/json' -d '{"delete_data":true}' "$S_URL/auth/disconnect")
case "$got" in *'"disconnected":true'*'"delete_data":true'*) ok "athlete 1002 disconnects, asking for its data to go" ;; *) not_ok "athlete 1002 disconnects" "$got" ;; esac
deauth1=$(curl -s "$FAKE_URL/_fake/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("deauthorize", 0))')
[ "$deauth1" -gt "$deauth0" ] && ok "... Cairn is deauthorised at Strava" || not_ok "... Cairn is deauthorised at Strava" "$deauth0 -> $deauth1"
check_eq "... its tokens are deleted at once" "$(sql 'SELECT COUNT(*) FROM cairn_raw.token WHERE athlete_id = 1002')" "0"
check_eq "... its sessions too" "$(s_get "$T/jb" api/v1/me | cut -d' ' -f1)" "401"
"$EX" --config "$S_CONF" --events >"$T/ev.log" 2>&1
check_eq "cairn-extract --events carries out the deletion" "$?" "0"
left=$(sql "SELECT CONCAT(table_schema, '.', table_name, '.', column_name) FROM information_schema.columns WHERE table_schema IN ('cairn_raw','cairn_mart','cairn_app') AND (column_name IN ('athlete_id','owner_id') OR (column_name = 'id' AND table_name = 'athlete')) AND table_name <> 'account_request'" |
	while IFS=. read -r s t c; do n=$(sql "SELECT COUNT(*) FROM \`$s\`.\`$t\` WHERE \`$c\` = 1002"); [ "$n" != 0 ] && echo "$s.$t:$n"; done)
check_eq "no row of athlete 1002 is left in raw, mart or app" "$left" ""
check "athlete 1001's data is untouched" test "$(sql 'SELECT COUNT(*) FROM cairn_mart.activity WHERE athlete_id = 1001')" -gt 0

# ---- log in again, then a refresh refused by Strava (401) deauthorises
loc=$(login "$T/ja" 1001)
check_eq "an athlete logs in again after logging out" "$loc" "/"
curl -s -X POST "$FAKE_URL/_fake/revoke?athlete=1001" >/dev/null
curl -s -X POST "$FAKE_URL/_fake/expire?athlete=1001" >/dev/null
"$EX" --config "$S_CONF" sync >"$T/sync2.log" 2>&1
check_eq "a refresh refused by Strava deletes the tokens" "$(sql 'SELECT COUNT(*) FROM cairn_raw.token WHERE athlete_id = 1001')" "0"
check_eq "... and asks the athlete to authorise again" "$(sql 'SELECT auth_state FROM cairn_raw.athlete WHERE id = 1001')" "reauth"
check "... keeping its data (no deletion asked)" test "$(sql 'SELECT COUNT(*) FROM cairn_mart.activity WHERE athlete_id = 1001')" -gt 0

# ---- dashboard hooks exist
check "the login page offers Connect with Strava" grep -q 'href="/auth/login"' "$CAIRN_ROOT/static/login.html"
echo "# passed $T_PASS, failed $T_FAIL"
[ "$T_FAIL" = 0 ]
