#!/usr/bin/env bash
# 00_smoke.sh: the whole path once, small and fast (in `make check` and `make test`): authorise, sync a dozen activities, transform, read them back through nginx
source "$(dirname "$0")/lib.sh"

LOG="$CAIRN_VAR/log/00_smoke.log"
API="$CAIRN_URL/api/v1"
: >"$LOG"
N=12

json() { # python expression on the JSON of stdin, bound to d
	python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

fresh_db
T_CLEANUP+=("fresh_db >/dev/null 2>&1")
start_fake --count "$N" --seed 7 --short-limit 100000 --daily-limit 1000000 || exit 1
export CAIRN_STRAVA_API_URL="$FAKE_URL/api/v3" CAIRN_STRAVA_OAUTH_URL="$FAKE_URL/oauth"

fake_sync "$LOG"

check_eq "health answers ok through nginx" "$(curl -sf "$API/health" | json 'd["status"]')" ok
check_eq "me counts the $N synced activities" "$(curl -sf "$API/me" | json 'd["counts"]["activities"]')" "$N"

acts=$(curl -sf "$API/activities?limit=50")
check_eq "the activities list holds all $N" "$(printf '%s' "$acts" | json 'len(d["activities"])')" "$N"
# The yearly totals must add up to the list's own sums.
want=$(printf '%s' "$acts" | json 'round(sum(a["distance"] for a in d["activities"]))')
got=$(curl -sf "$API/summary?group=year" | json 'round(sum(p["distance"] for p in d["periods"]))')
check_eq "the yearly totals add up to the listed distances" "$got" "$want"

id=$(printf '%s' "$acts" | json 'd["activities"][0]["id"]')
pts=$(curl -sf "$API/activities/$id/streams?keys=time,heartrate&points=100" |
	json 'min(len(d["streams"]["time"]), 100) if d["streams"].get("time") else 0')
[ "${pts:-0}" -gt 10 ] && ok "the newest activity has a time stream ($pts points)" ||
	not_ok "the newest activity has a time stream" "got '$pts' points"

etag=$(curl -s -D - -o /dev/null "$API/fitness" | tr -d '\r' | sed -n 's/^ETag: //Ip')
check_eq "a repeated query with its ETag answers 304" \
	"$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$API/fitness")" 304
case "$(curl -sf "$CAIRN_URL/")" in
*"<title>"*Cairn*) ok "the dashboard page is served from /" ;;
*) not_ok "the dashboard page is served from /" "no Cairn title" ;;
esac

[ "$T_FAIL" -eq 0 ]
