#!/usr/bin/env bash
# 22_extract_auth.sh: OAuth: authorize URL, code exchange, refresh when due, a lost refresh answer, a revoked token (reauth, exit 5, nothing touched)
source "$(dirname "$0")/lib.sh"

X="$CAIRN_BIN/cairn-extract"
LOG="$CAIRN_VAR/log/22_extract_auth.log"
: >"$LOG"

stat() { curl -sf "$FAKE_URL/_fake/stats" | python3 -c "import json,sys; print(json.load(sys.stdin).get('$1', 0))"; }
reset_stats() { curl -sf -X POST "$FAKE_URL/_fake/stats/reset" >/dev/null; }
code_for() {
	curl -sf -X POST "$FAKE_URL/_fake/code?athlete=$1&scope=read,activity:read_all,profile:read_all" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])'
}
add_activity() { # hours ago
	local at
	at=$(date -u -d "-$1 hours" +%Y-%m-%dT%H:%M:%SZ)
	curl -sf -X POST "$FAKE_URL/_fake/activity?athlete=1001" -d "{\"start_date\":\"$at\",\"sport\":\"Ride\",\"duration\":1200}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["activity"]["id"])'
}
data_sum() { # the athlete's data (tokens: a refused refresh deletes the dead ones, see ex_account.c)
	sql "CHECKSUM TABLE cairn_raw.activity, cairn_raw.activity_stream, cairn_raw.athlete_zones, cairn_raw.gear EXTENDED" | cut -f2 | tr '\n' ' '
}

fresh_db
start_fake --count 30 --seed 9 --short-limit 1000 --daily-limit 10000
export CAIRN_STRAVA_API_URL="$FAKE_URL/api/v3" CAIRN_STRAVA_OAUTH_URL="$FAKE_URL/oauth"

url=$("$X" auth 2>>"$LOG" | grep '^http')
case "$url" in
"$FAKE_URL/oauth/authorize?client_id="*"response_type=code"*"scope=read%2Cactivity%3Aread_all%2Cprofile%3Aread_all"*) ok "auth prints the authorize URL with the three scopes" ;;
*) not_ok "auth prints the authorize URL with the three scopes" "$url" ;;
esac
echo "not-a-code" | "$X" auth --code - >>"$LOG" 2>&1
check_eq "a refused code exits 1" "$?" "1"
"$X" auth --code "$(code_for 1001)" >>"$LOG" 2>&1
check_eq "auth --code exits 0" "$?" "0"
"$X" >>"$LOG" 2>&1
check_eq "first sync exits 0" "$?" "0"

# --- refresh when the token expires within the hour
sql "UPDATE cairn_raw.token SET expires_at = UNIX_TIMESTAMP() + 1200"
old_refresh=$(sql "SELECT refresh_token FROM cairn_raw.token")
curl -sf -X POST "$FAKE_URL/_fake/expire?athlete=1001" >/dev/null  # Strava rotates only near expiry
reset_stats
"$X" >>"$LOG" 2>&1
check_eq "a due refresh: exit 0, one token call, one list call" "$? $(stat token) $(stat list)" "0 1 1"
check_eq "the new refresh token and expiry are stored" \
	"$(sql "SELECT refresh_token <> '$old_refresh' AND expires_at > UNIX_TIMESTAMP() + 3600 FROM cairn_raw.token")" "1"

# --- the refresh answer is lost after Strava rotated: the old access token still works
sql "UPDATE cairn_raw.token SET expires_at = UNIX_TIMESTAMP() + 1800"
stored_refresh=$(sql "SELECT refresh_token FROM cairn_raw.token")
curl -sf -X POST "$FAKE_URL/_fake/faults" -d '{"drop_after_token_rotation":true}' >/dev/null
new=$(add_activity 2)
"$X" >>"$LOG" 2>&1
rc=$?
check_eq "lost refresh answer: the run goes on with the still-valid access token (exit 0)" "$rc" "0"
check_eq "lost refresh answer: the new activity is stored" "$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE id = $new")" "1"
if grep -q "authorise again" "$LOG"; then ok "lost refresh answer: the log tells to re-authorise before expiry"; else not_ok "lost refresh warning" "no message"; fi
check_eq "lost refresh answer: athlete still ok until the access token expires" "$(sql "SELECT auth_state FROM cairn_raw.athlete")" "ok"
# ... and once that access token has expired, nothing more can be done: reauth
curl -sf -X POST "$FAKE_URL/_fake/expire?athlete=1001" >/dev/null
sql "UPDATE cairn_raw.token SET expires_at = UNIX_TIMESTAMP() - 10"
before=$(data_sum)
"$X" >>"$LOG" 2>&1
check_eq "dead refresh token and expired access token: exit 5" "$?" "5"
check_eq "... the athlete is marked reauth" "$(sql "SELECT auth_state FROM cairn_raw.athlete")" "reauth"
check_eq "... and nothing stored changed" "$(data_sum)" "$before"
check_eq "no token was invented: the dead one is kept or removed" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.token WHERE refresh_token <> '$stored_refresh'")" "0"

# --- re-authorise, then the athlete revokes access on Strava
"$X" auth --code "$(code_for 1001)" >>"$LOG" 2>&1
check_eq "re-authorisation sets auth_state ok again" "$(sql "SELECT auth_state FROM cairn_raw.athlete")" "ok"
"$X" >>"$LOG" 2>&1
curl -sf -X POST "$FAKE_URL/_fake/revoke?athlete=1001" >/dev/null
add_activity 1 >/dev/null
before=$(data_sum)
: >"$LOG.revoke"
"$X" >>"$LOG.revoke" 2>&1
rc=$?
cat "$LOG.revoke" >>"$LOG"
check_eq "revoked token: exit 5" "$rc" "5"
check_eq "revoked token: athlete marked reauth" "$(sql "SELECT auth_state FROM cairn_raw.athlete")" "reauth"
check_eq "revoked token: nothing stored changed" "$(data_sum)" "$before"
if grep -q "authorise Cairn again" "$LOG.revoke"; then ok "revoked token: a clear message"; else not_ok "revoked token message" "$(tail -3 "$LOG.revoke")"; fi
"$X" >>"$LOG" 2>&1
check_eq "a later run skips the reauth athlete and exits 0" "$?" "0"

# --- secrets never reach the log
secret=$(conf_get strava_client_secret)
leak=0
for t in $(sql "SELECT access_token, refresh_token FROM cairn_raw.token") "$secret" "$old_refresh" "$stored_refresh"; do
	grep -qF "$t" "$LOG" && leak=1
done
check_eq "no token or client secret in any log line" "$leak" "0"
rm -f "$LOG.revoke"
exit $((T_FAIL > 0))
