#!/usr/bin/env bash
# 05_fakestrava.sh: the local Strava speaks Strava's HTTP (OAuth, pages, streams, rate limits, faults, webhooks)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

FAKE="$ROOT/tests/fakestrava/cairn-fakestrava.py"
DATA="$ROOT/tests/data/strava-api"
TMP=$(mktemp -d)
T_CLEANUP+=("rm -rf '$TMP'")
export CAIRN_STRAVA_CLIENT_ID=4321 CAIRN_STRAVA_CLIENT_SECRET=test-secret-5ac7
CID=$CAIRN_STRAVA_CLIENT_ID
CSEC=$CAIRN_STRAVA_CLIENT_SECRET

# fake NAME ARGS...: start a private local Strava; sets URL_NAME and PID_NAME.
fake() {
	local name=$1 port pid i
	shift
	port=$(free_port)
	python3 "$FAKE" --port "$port" "$@" >"$TMP/$name.log" 2>&1 &
	pid=$!
	T_CLEANUP+=("kill $pid 2>/dev/null; wait $pid 2>/dev/null")
	printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
	printf -v "PID_$name" '%s' "$pid"
	for ((i = 0; i < 300; i++)); do
		curl -sf "http://127.0.0.1:$port/_fake/athletes" >/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "# fake $name did not start:" && cat "$TMP/$name.log"
	return 1
}

# req METHOD URL [curl args]: body in $TMP/body, headers in $TMP/hdr, prints the status.
req() {
	local m=$1 u=$2
	shift 2
	curl -s -X "$m" -o "$TMP/body" -D "$TMP/hdr" -w '%{http_code}' "$u" "$@"
}
# py EXPR: evaluate a Python expression with d = the last JSON body.
py() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$TMP/body" "$1" 2>&1; }
hdr() { grep -i "^$1:" "$TMP/hdr" | tail -n 1 | cut -d' ' -f2- | tr -d '\r'; }
auth() { printf 'Authorization: Bearer %s' "$1"; }
token_for() { # URL ATHLETE SCOPE -> prints "access refresh"
	local code
	code=$(curl -s -X POST "$1/_fake/code?athlete=$2&scope=$3" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
	curl -s -X POST "$1/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d "code=$code" \
		-d grant_type=authorization_code | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["access_token"], d["refresh_token"])'
}

fake F1 --count 450 --seed 7 || exit 1
B=$URL_F1

# --- command line --------------------------------------------------------------------
check "--help exits 0 and names the options" bash -c "python3 '$FAKE' --help | grep -q -- '--short-limit'"
python3 "$FAKE" --bogus >/dev/null 2>&1
check_eq "an unknown option is a usage error (exit 2)" "$?" 2

# --- OAuth ------------------------------------------------------------------------------
AU="$B/oauth/authorize?client_id=$CID&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&response_type=code&scope=read,activity:read_all,profile:read_all&state=st8&approval_prompt=force"
st=$(req GET "$AU")
check_eq "authorize page answers 200" "$st" 200
check "authorize page has an Authorize button and a scope checkbox" \
	bash -c "grep -q 'Authorize</button>' '$TMP/body' && grep -q 'value=\"activity:read_all\" checked' '$TMP/body'"
st=$(req GET "${AU/client_id=$CID/client_id=999}")
check_eq "authorize with an unknown client_id is 400" "$st" 400
st=$(req POST "$B/oauth/accept" --data "client_id=$CID&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&state=st8&scope=read&scope=activity:read&athlete=1001&action=authorize")
loc=$(hdr Location)
check_eq "Authorize redirects (302)" "$st" 302
case "$loc" in
"http://127.0.0.1:9/cb?state=st8&code="*"&scope=read,activity:read") ok "redirect carries state, code and the granted (unticked) scope" ;;
*) not_ok "redirect carries state, code and the granted (unticked) scope" "$loc" ;;
esac
code=${loc#*code=}
code=${code%%&*}
req POST "$B/oauth/accept" --data "redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&state=st8&action=cancel" >/dev/null
check_eq "Cancel redirects with error=access_denied" "$(hdr Location)" "http://127.0.0.1:9/cb?state=st8&error=access_denied"

st=$(req POST "$B/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d "code=$code" -d grant_type=authorization_code)
check_eq "code exchange answers 200" "$st" 200
check_eq "code exchange: 6 h token, summary athlete" "$(py '(d["token_type"], d["expires_in"], d["athlete"]["id"], d["athlete"]["resource_state"])')" "('Bearer', 21600, 1001, 2)"
RD_AT=$(py 'd["access_token"]')
st=$(req POST "$B/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d "code=$code" -d grant_type=authorization_code)
check_eq "a code works once (400 RequestToken fault, as recorded)" "$st $(py 'd == json.load(open("'"$DATA"'/oauth__token_invalid_code.json"))["body"]')" "400 True"
st=$(req POST "$B/oauth/token" -d "client_id=client-id" -d "client_secret=x" -d "code=code" -d grant_type=authorization_code)
check_eq "a bad client_id gives the recorded 400 fault" "$st $(py 'd == json.load(open("'"$DATA"'/oauth__token_invalid_client.json"))["body"]')" "400 True"
st=$(req POST "$B/oauth/token" -d "client_id=$CID" -d "client_secret=wrong" -d "code=code" -d grant_type=authorization_code)
check_eq "a bad client_secret is 400" "$st" 400

read -r AT RT < <(token_for "$B" 1001 "read,activity:read_all,profile:read_all")
st=$(req POST "$B/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d grant_type=refresh_token -d "refresh_token=$RT")
check_eq "refresh with > 1 h left returns the same tokens, no athlete" \
	"$st $(py '(d["access_token"] == "'"$AT"'", d["refresh_token"] == "'"$RT"'", "athlete" in d, 0 < d["expires_in"] <= 21600)')" \
	"200 (True, True, False, True)"
curl -s -X POST "$B/_fake/expire?athlete=1001" >/dev/null
st=$(req GET "$B/api/v3/athlete" -H "$(auth "$AT")")
check_eq "an expired access token is 401" "$st" 401
st=$(req POST "$B/api/v3/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d grant_type=refresh_token -d "refresh_token=$RT")
AT2=$(py 'd["access_token"]')
RT2=$(py 'd["refresh_token"]')
check_eq "refresh of an expired token (via /api/v3/oauth/token) rotates both tokens" \
	"$st $([ "$AT2" != "$AT" ] && [ "$RT2" != "$RT" ] && echo rotated)" "200 rotated"
st=$(req POST "$B/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d grant_type=refresh_token -d "refresh_token=$RT")
check_eq "the old refresh token is dead at once (400 RefreshToken)" "$st $(py 'd["errors"][0]["resource"]')" "400 RefreshToken"
st=$(req GET "$B/api/v3/athlete" -H "$(auth "$AT2")")
check_eq "the new access token works; profile:read_all gives the detailed athlete" "$st $(py 'd["resource_state"]')" "200 3"
AT=$AT2
RT=$RT2

st=$(req GET "$B/api/v3/athlete/activities")
check_eq "no Bearer: 401 with the recorded fault" "$st $(py 'd == json.load(open("'"$DATA"'/client__authorization_error.json"))["body"]')" "401 True"
read -r RD_AT RD_RT < <(token_for "$B" 1001 read,activity:read)
st=$(req GET "$B/api/v3/athlete/zones" -H "$(auth "$RD_AT")")
check_eq "zones without profile:read_all: 401 missing permission" "$st $(py 'd["errors"][0]["field"]')" "401 profile:read_all_permission"
st=$(req GET "$B/api/v3/athlete" -H "$(auth "$RD_AT")")
check_eq "athlete without profile:read_all is the summary representation" "$st $(py 'd["resource_state"]')" "200 2"

# --- pagination -----------------------------------------------------------------------------
st=$(req GET "$B/api/v3/athlete/activities" -H "$(auth "$AT")")
check_eq "list: default page size 30" "$st $(py 'len(d)')" "200 30"
st=$(req GET "$B/api/v3/athlete/activities?per_page=500" -H "$(auth "$AT")")
check_eq "list: per_page is capped at 200" "$(py 'len(d)')" 200
: >"$TMP/ids"
for p in 1 2 3 4; do
	req GET "$B/api/v3/athlete/activities?per_page=200&page=$p" -H "$(auth "$AT")" >/dev/null
	py '"\n".join("%d %s" % (a["id"], a["start_date"]) for a in d)' | sed '/^$/d' >>"$TMP/ids"
	echo "$p $(py 'len(d)')" >>"$TMP/pages"
done
check_eq "pages of 200 hold 200, 200, 50, then an empty page" "$(cut -d' ' -f2 "$TMP/pages" | tr '\n' ' ')" "200 200 50 0 "
check_eq "all 450 activities, each once" "$(cut -d' ' -f1 "$TMP/ids" | sort -u | wc -l)" 450
check "newest first across pages" bash -c "cut -d' ' -f2 '$TMP/ids' | sort -c -r"
check "activity ids exceed 32 bits" bash -c "awk '\$1 <= 4294967296 {exit 1}' '$TMP/ids'"
A=$(sed -n 100p "$TMP/ids" | cut -d' ' -f2)
Bf=$(sed -n 40p "$TMP/ids" | cut -d' ' -f2)
AE=$(date -u -d "$A" +%s)
BE=$(date -u -d "$Bf" +%s)
req GET "$B/api/v3/athlete/activities?after=$AE&before=$BE&per_page=200" -H "$(auth "$AT")" >/dev/null
check_eq "after/before select exactly the activities strictly between" "$(py 'len(d)')" 59
st=$(req GET "$B/api/v3/athlete/activities?per_page=abc" -H "$(auth "$AT")")
check_eq "a non-numeric per_page is 400" "$st" 400

# --- detail and streams ------------------------------------------------------------------------
req GET "$B/api/v3/athlete/activities?per_page=200" -H "$(auth "$AT")" >/dev/null
cp "$TMP/body" "$TMP/list"
RUN=$(py '[a["id"] for a in d if a["sport_type"] == "Run" and a["has_heartrate"] and not a["manual"]][0]')
# the hilliest ride with power: the grade check below needs climbs and descents, and which rides
# the latest page holds moves with the date
RIDE=$(py 'max((a for a in d if a["sport_type"] == "Ride" and "average_watts" in a), key=lambda a: (a["total_elevation_gain"], a["id"]))["id"]')
VR=$(py '[a["id"] for a in d if a["sport_type"] == "VirtualRide"][0]')
MAN=$(py '[a["id"] for a in d if a["manual"]][0]')
ALL=time,distance,latlng,altitude,velocity_smooth,heartrate,cadence,watts,temp,moving,grade_smooth
for id in "$RUN" "$RIDE" "$VR"; do
	req GET "$B/api/v3/activities/$id/streams?keys=$ALL&key_by_type=true" -H "$(auth "$AT")" >/dev/null
	cp "$TMP/body" "$TMP/streams.$id"
done
cp "$TMP/streams.$RUN" "$TMP/body"
check_eq "streams: object keyed by type, each with data/series_type/original_size/resolution, equal lengths" \
	"$(py 'all(set(v) == {"data","series_type","original_size","resolution"} and len(v["data"]) == v["original_size"] == len(d["time"]["data"]) and v["resolution"] == "high" for v in d.values())')" True
check_eq "run streams: everything but watts" "$(py '",".join(sorted(d))')" "altitude,cadence,distance,grade_smooth,heartrate,latlng,moving,temp,time,velocity_smooth"
check_eq "stream value types (int time/hr, float distance, [lat,lng], bool moving)" \
	"$(py '(type(d["time"]["data"][5]).__name__, type(d["heartrate"]["data"][5]).__name__, type(d["distance"]["data"][5]).__name__, len(d["latlng"]["data"][5]), type(d["moving"]["data"][5]).__name__)')" \
	"('int', 'int', 'float', 2, 'bool')"
cp "$TMP/streams.$VR" "$TMP/body"
check_eq "indoor trainer ride: watts, HR, cadence, no latlng" "$(py '",".join(sorted(d))')" "cadence,distance,heartrate,moving,time,velocity_smooth,watts"
cp "$TMP/streams.$RIDE" "$TMP/body"
check_eq "power varies with the grade (mean watts uphill > flat > downhill)" "$(py '(lambda w, g: (lambda up, fl, dn: up > fl > dn)(*[sum(x)/len(x) if x else float("nan") for x in ([a for a, b in zip(w, g) if b > 3], [a for a, b in zip(w, g) if -1 < b < 1], [a for a, b in zip(w, g) if b < -3])]))(d["watts"]["data"], d["grade_smooth"]["data"])')" True
check_eq "HR lags effort: it is still rising 20 s after a hard surge starts" "$(py '(lambda hr, w: any(hr[i+20] > hr[i+3] + 3 and w[i] > 1.3 * sum(w[i-30:i]) / 30 for i in range(40, len(w) - 25)))(d["heartrate"]["data"], d["watts"]["data"])')" True
req GET "$B/api/v3/activities/$RUN/streams?key_by_type=true" -H "$(auth "$AT")" >/dev/null
check_eq "streams without keys: distance only" "$(py 'list(d)')" "['distance']"
req GET "$B/api/v3/activities/$RUN/streams?keys=heartrate,time" -H "$(auth "$AT")" >/dev/null
check_eq "streams without key_by_type: legacy array with type fields" "$(py 'sorted(s["type"] for s in d)')" "['distance', 'heartrate', 'time']"
st=$(req GET "$B/api/v3/activities/$MAN/streams?keys=time&key_by_type=true" -H "$(auth "$AT")")
check_eq "a manual activity has no streams (404 Resource Not Found)" "$st $(py 'd["message"]')" "404 Resource Not Found"
st=$(req GET "$B/api/v3/activities/12345/streams?keys=time&key_by_type=true" -H "$(auth "$AT")")
check_eq "an unknown activity is 404 Record Not Found" "$st $(py 'd["errors"][0]["resource"]')" "404 Activity"
for id in "$RUN" "$RIDE"; do
	python3 - "$TMP/list" "$TMP/streams.$id" "$id" >"$TMP/cons" <<'EOF'
import json, sys
lst = {a["id"]: a for a in json.load(open(sys.argv[1]))}
a, s = lst[int(sys.argv[3])], json.load(open(sys.argv[2]))
t, mv = s["time"]["data"], s["moving"]["data"]
mt = sum(1 for i in range(1, len(t)) if mv[i] and t[i] - t[i - 1] == 1)
hr = s["heartrate"]["data"]
alt = s["altitude"]["data"]
ok = [a["distance"] == s["distance"]["data"][-1], a["elapsed_time"] == t[-1], a["moving_time"] == mt,
      a["max_heartrate"] == max(hr), a["average_heartrate"] == round(sum(hr) / len(hr), 1),
      a["max_speed"] == max(s["velocity_smooth"]["data"]), a["elev_high"] == max(alt),
      a["start_latlng"] == s["latlng"]["data"][0], a["end_latlng"] == s["latlng"]["data"][-1]]
if "watts" in s:
    w = s["watts"]["data"]
    ok += [a["max_watts"] == max(w), a["kilojoules"] == round(sum(w) / 1000, 1)]
print(all(ok), ok)
EOF
	check_eq "summary of $id agrees with its streams (distance, times, HR, speed, elevation, latlng, power)" "$(cut -d' ' -f1 "$TMP/cons")" True
done
cp "$TMP/streams.$RIDE" "$TMP/body"
check_eq "a long ride has a stop (moving=false) or a pause (time gap)" "$(py 'any(not m for m in d["moving"]["data"]) or any(b - a > 1 for a, b in zip(d["time"]["data"], d["time"]["data"][1:]))')" True

# --- shapes against the recorded real payloads -------------------------------------------------
shape() { # KIND RECORDED_FILE [JSON-PATH into recorded body] ; compares with $TMP/body
	python3 - "$DATA/$2" "$TMP/body" "${3:-}" "${4:-}" <<'EOF'
import json, sys
rec = json.load(open(sys.argv[1]))["body"]
got = json.load(open(sys.argv[2]))
if sys.argv[3]:
    rec = eval("rec" + sys.argv[3])
if sys.argv[4]:
    got = eval("got" + sys.argv[4])
allow_missing = {"similar_activities", "photos", "segment_efforts"}
def tname(v):
    return "number" if isinstance(v, (int, float)) and not isinstance(v, bool) and False else type(v).__name__
bad = []
def cmp(r, g, path):
    if r is None or g is None:
        return
    if isinstance(r, dict):
        if not isinstance(g, dict):
            bad.append("%s: %s vs %s" % (path, type(r).__name__, type(g).__name__)); return
        for k, v in r.items():
            if k not in g:
                if k not in allow_missing:
                    bad.append("%s.%s missing" % (path, k))
                continue
            cmp(v, g[k], path + "." + k)
    elif isinstance(r, list):
        if not isinstance(g, list):
            bad.append("%s: list vs %s" % (path, type(g).__name__)); return
        if r and g:
            cmp(r[0], g[0], path + "[0]")
    elif type(r) is not type(g):
        bad.append("%s: %s vs %s" % (path, type(r).__name__, type(g).__name__))
cmp(rec, got, "")
print("same" if not bad else "; ".join(bad[:6]))
EOF
}
cp "$TMP/list" "$TMP/body"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); json.dump([a for a in d if a["sport_type"]=="Run" and a["has_heartrate"] and not a["manual"] and a["workout_type"] is not None][:1], open(sys.argv[1],"w"))' "$TMP/body"
check_eq "list item: keys and JSON types of the recorded 2025 list" "$(shape list client__athlete_activities.json)" same
req GET "$B/api/v3/activities/$RUN" -H "$(auth "$AT")" >/dev/null
check_eq "detailed activity: keys and types of the recorded marathon detail" "$(shape detail client__activity.json)" same
check_eq "detailed activity: laps, splits, best efforts present" "$(py '(d["resource_state"], len(d["laps"]) > 0, len(d["splits_metric"]) > 0, len(d["best_efforts"]) > 0, d["map"]["polyline"] != "")')" "(3, True, True, True, True)"
req GET "$B/api/v3/athlete" -H "$(auth "$AT")" >/dev/null
check_eq "athlete: keys and types of the recorded detailed athlete" "$(shape athlete client__athlete.json)" same
check_eq "athlete has ftp, weight, bikes and shoes" "$(py '(d["ftp"] > 100, d["weight"] > 40, len(d["bikes"]), len(d["shoes"]))')" "(True, True, 2, 3)"
SHOE=$(py 'd["shoes"][0]["id"]')
BIKE=$(py 'd["bikes"][0]["id"]')
req GET "$B/api/v3/athlete/zones" -H "$(auth "$AT")" >/dev/null
check_eq "zones: keys and types of the recorded zones" "$(shape zones client__athlete_zones.json)" same
check_eq "zones: 5 HR zones, open-ended last; power zones" "$(py '(len(d["heart_rate"]["zones"]), d["heart_rate"]["zones"][-1]["max"], len(d["power"]["zones"]))')" "(5, -1, 7)"
req GET "$B/api/v3/gear/$SHOE" -H "$(auth "$AT")" >/dev/null
check_eq "gear (shoe): keys and types of the recorded shoe" "$(shape gear client__gear.00.json)" same
req GET "$B/api/v3/gear/$BIKE" -H "$(auth "$AT")" >/dev/null
check_eq "gear (bike): keys and types of the recorded bike" "$(shape gear client__gear.01.json)" same
st=$(req GET "$B/api/v3/gear/b1" -H "$(auth "$AT")")
check_eq "unknown gear is 404" "$st" 404
read -r X_AT X_RT < <(token_for "$B" 1001 read,activity:read)
code=$(curl -s -X POST "$B/_fake/code?athlete=1001" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
req POST "$B/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d "code=$code" -d grant_type=authorization_code >/dev/null
check_eq "token (code) answer: keys and types as recorded" "$(shape token oauth__token_authorization_code.json)" same
req POST "$B/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d grant_type=refresh_token -d "refresh_token=$(py 'd["refresh_token"]')" >/dev/null
check_eq "token (refresh) answer: keys and types as recorded" "$(shape token oauth__token_refresh_token.json)" same
AT=$(py 'd["access_token"]')
RT=$(py 'd["refresh_token"]')

# --- scopes, edits, private activities ----------------------------------------------------------
req POST "$B/_fake/activity/$RUN/edit" -d '{"private": true, "name": "Secret run"}' >/dev/null
check_eq "edit: name applied" "$(py 'd["activity"]["name"], d["activity"]["visibility"]')" "('Secret run', 'only_me')"
req GET "$B/api/v3/athlete/activities?per_page=200" -H "$(auth "$X_AT")" >/dev/null
check_eq "without activity:read_all the private activity is not listed" "$(py "$RUN in [a['id'] for a in d]")" False
st=$(req GET "$B/api/v3/activities/$RUN" -H "$(auth "$X_AT")")
check_eq "without activity:read_all the private activity is 404" "$st" 404
req GET "$B/api/v3/athlete/activities?per_page=200" -H "$(auth "$AT")" >/dev/null
check_eq "with activity:read_all it is listed under its new name" "$(py "[a['name'] for a in d if a['id'] == $RUN]")" "['Secret run']"
req POST "$B/_fake/activity/$RIDE/edit" -d '{"sport_type": "GravelRide"}' >/dev/null
check_eq "edit: sport changed" "$(py 'd["activity"]["sport_type"]')" GravelRide
req POST "$B/_fake/activity" -d '{"start_date": "2030-01-02T08:00:00Z", "sport": "Ride", "duration": 1800, "name": "Added ride"}' >/dev/null
NEW=$(py 'd["activity"]["id"]')
check_eq "add: a generated 30 min ride with streams" "$(py '(d["activity"]["name"], 1790 <= d["activity"]["elapsed_time"] <= 1800, d["activity"]["distance"] > 5000)')" "('Added ride', True, True)"
req GET "$B/api/v3/athlete/activities?per_page=1" -H "$(auth "$AT")" >/dev/null
check_eq "the added activity is the newest" "$(py 'd[0]["id"]')" "$NEW"
req POST "$B/_fake/activity/$NEW/delete" >/dev/null
st=$(req GET "$B/api/v3/activities/$NEW" -H "$(auth "$AT")")
check_eq "a deleted activity is gone (404)" "$st" 404

# --- faults ---------------------------------------------------------------------------------------
curl -s -X POST "$B/_fake/stats/reset" >/dev/null
curl -s -X POST "$B/_fake/faults" -d '{"status": 500, "count": 3, "path": "streams"}' >/dev/null
S=""
for i in 1 2 3 4; do S="$S $(req GET "$B/api/v3/activities/$RIDE/streams?keys=time&key_by_type=true" -H "$(auth "$AT")")"; done
check_eq "status fault: three 500s on streams, then 200" "$S" " 500 500 500 200"
check_eq "status fault does not touch other endpoints" "$(req GET "$B/api/v3/athlete" -H "$(auth "$AT")")" 200
curl -s -X POST "$B/_fake/faults" -d '{"delay": 2, "count": 1}' >/dev/null
t0=$(date +%s.%N)
st=$(req GET "$B/api/v3/athlete" -H "$(auth "$AT")")
t1=$(date +%s.%N)
check_eq "delay fault: answer after >= 2 s" "$st $(python3 -c "print($t1 - $t0 >= 2)")" "200 True"
curl -s -X POST "$B/_fake/faults" -d '{"truncate": true, "count": 2}' >/dev/null
R=""
for i in 1 2 3; do
	curl -s -o "$TMP/body" "$B/api/v3/athlete/activities?per_page=5" -H "$(auth "$AT")"
	R="$R $? $(python3 -c 'import json,sys; json.load(open(sys.argv[1])); print("json")' "$TMP/body" 2>/dev/null || echo cut)"
done
check_eq "truncate fault: two cut bodies (curl 18), then whole JSON" "$R" " 18 cut 18 cut 0 json"
curl -s -X POST "$B/_fake/faults" -d '{"drop_after_token_rotation": true}' >/dev/null
curl -s -X POST "$B/_fake/expire?athlete=1001" >/dev/null
curl -s -o /dev/null -X POST "$B/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d grant_type=refresh_token -d "refresh_token=$RT"
check_eq "drop_after_token_rotation: connection closed without an answer (curl 52)" "$?" 52
st=$(req POST "$B/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d grant_type=refresh_token -d "refresh_token=$RT")
check_eq "... and the refresh token it had was rotated away (400)" "$st" 400
req GET "$B/_fake/stats" >/dev/null
check_eq "stats count requests per kind" "$(py '(d["streams"], d["athlete"] >= 2, d["list"], d["token"], d["status_500"])')" "(4, True, 3, 2, 3)"
req POST "$B/_fake/stats/reset" >/dev/null
check_eq "stats reset" "$(py '(d["total"], d["list"])')" "(0, 0)"
read -r AT RT < <(token_for "$B" 1001 "read,activity:read_all,profile:read_all")
curl -s -X POST "$B/_fake/revoke?athlete=1001" >/dev/null
st=$(req GET "$B/api/v3/athlete" -H "$(auth "$AT")")
check_eq "revoke: every token of the athlete answers 401" "$st" 401
st=$(req POST "$B/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d grant_type=refresh_token -d "refresh_token=$RT")
check_eq "revoke: the refresh token is dead too" "$st" 400
read -r AT RT < <(token_for "$B" 1001 "read,activity:read_all")
st=$(req POST "$B/oauth/deauthorize" -H "$(auth "$AT")")
check_eq "deauthorize answers 200 with the token, as recorded" "$st $(py 'list(d)')" "200 ['access_token']"
check_eq "after deauthorize the token is 401" "$(req GET "$B/api/v3/athlete" -H "$(auth "$AT")")" 401

# --- webhooks --------------------------------------------------------------------------------------
CBPORT=$(free_port)
cat >"$TMP/cb.py" <<'EOF'
import json, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer
seen = {}
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        body = json.dumps({"hub.challenge": q.get("hub.challenge") if "good" in self.path else "nope"}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_POST(self):
        ev = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        n = seen[ev["object_id"]] = seen.get(ev["object_id"], 0) + 1
        code = 500 if ev["object_id"] == 999 and n < 3 else 200
        with open(sys.argv[2], "a") as f: f.write(json.dumps(ev) + "\n")
        self.send_response(code); self.send_header("Content-Length", "0"); self.end_headers()
HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
python3 "$TMP/cb.py" "$CBPORT" "$TMP/events" &
CBPID=$!
T_CLEANUP+=("kill $CBPID 2>/dev/null")
wait_listen "$CBPORT" || not_ok "the callback server listens" "nothing on port $CBPORT after 5 s"
st=$(req POST "$B/api/v3/push_subscriptions" -d "client_id=$CID" -d "client_secret=$CSEC" -d "callback_url=http://127.0.0.1:$CBPORT/bad" -d verify_token=vt)
check_eq "subscription whose callback does not echo the challenge: 400" "$st" 400
st=$(req POST "$B/api/v3/push_subscriptions" -d "client_id=$CID" -d "client_secret=$CSEC" -d "callback_url=http://127.0.0.1:$CBPORT/good" -d verify_token=vt)
check_eq "subscription with a verified callback: 201, recorded shape" "$st $(shape sub webhooks__create_push_subscription.json)" "201 same"
SUB=$(py 'd["id"]')
st=$(req POST "$B/api/v3/push_subscriptions" -d "client_id=$CID" -d "client_secret=$CSEC" -d "callback_url=http://127.0.0.1:$CBPORT/good" -d verify_token=vt)
check_eq "a second subscription is refused (400)" "$st" 400
st=$(req GET "$B/api/v3/push_subscriptions?client_id=$CID&client_secret=$CSEC")
check_eq "list subscriptions: one, recorded shape" "$st $(py 'len(d)') $(shape subs webhooks__push_subscriptions.json)" "200 1 same"
req POST "$B/_fake/event" -d '{"object_type":"activity","object_id":42,"aspect_type":"create","owner_id":1001,"updates":{}}' >/dev/null
check_eq "event delivered on the first attempt" "$(py '(d["delivered"], d["attempts"])')" "(True, 1)"
check_eq "the callback got the event with subscription_id and event_time" "$(tail -n 1 "$TMP/events" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["subscription_id"] == '"$SUB"', e["object_id"], e["aspect_type"], e["event_time"] > 0)')" "True 42 create True"
req POST "$B/_fake/event" -d '{"object_type":"activity","object_id":999,"aspect_type":"update","owner_id":1001,"updates":{"title":"x"}}' >/dev/null
check_eq "a failing callback gets three attempts" "$(py '(d["delivered"], d["attempts"])')" "(True, 3)"
req POST "$B/_fake/activity/$RIDE/edit" -d '{"name": "Renamed ride"}' >/dev/null
check_eq "an edit pushes an update event with the new title" "$(py '(d["event"]["delivered"], d["event"]["event"]["updates"])')" "(True, {'title': 'Renamed ride'})"
st=$(req DELETE "$B/api/v3/push_subscriptions/$SUB?client_id=$CID&client_secret=$CSEC")
check_eq "delete subscription: 204" "$st" 204
req GET "$B/api/v3/push_subscriptions?client_id=$CID&client_secret=$CSEC" >/dev/null
check_eq "no subscriptions left" "$(py 'd')" "[]"

# --- rate limits (shrunken window) -------------------------------------------------------------------
fake F2 --count 40 --seed 3 --window 4 --short-limit 5 --daily-limit 12 || exit 1
C=$URL_F2
read -r AT RT < <(token_for "$C" 1001 "read,activity:read_all,profile:read_all")
python3 -c 'import time; time.sleep(4 - time.time() % 4 + 0.05)'
S=""
for i in 1 2 3 4 5 6; do S="$S $(req GET "$C/api/v3/athlete" -H "$(auth "$AT")")"; done
check_eq "5 reads per window pass, the 6th is 429" "$S" " 200 200 200 200 200 429"
check_eq "429 body is the real Rate Limit Exceeded fault" "$(py 'd')" "{'message': 'Rate Limit Exceeded', 'errors': [{'resource': 'Application', 'field': 'rate limit', 'code': 'exceeded'}]}"
check_eq "headers on the 429 (limits; rejected request counted toward daily)" \
	"$(hdr X-Ratelimit-Limit) $(hdr X-Readratelimit-Limit) $(hdr X-Ratelimit-Usage) $(hdr X-Readratelimit-Usage)" "10,24 5,12 5,6 5,6"
python3 -c 'import time; time.sleep(4 - time.time() % 4 + 0.05)'
st=$(req GET "$C/api/v3/athlete" -H "$(auth "$AT")")
check_eq "the next window (aligned to epoch multiples) starts from zero" "$st $(hdr X-Readratelimit-Usage)" "200 1,7"
curl -s -X POST "$C/_fake/faults" -d '{"rate_exhaust": "short"}' >/dev/null
check_eq "rate_exhaust short: 429 at once" "$(req GET "$C/api/v3/athlete" -H "$(auth "$AT")")" 429
python3 -c 'import time; time.sleep(4 - time.time() % 4 + 0.05)'
check_eq "... and fine in the next window" "$(req GET "$C/api/v3/athlete" -H "$(auth "$AT")")" 200
curl -s -X POST "$C/_fake/faults" -d '{"rate_exhaust": "daily"}' >/dev/null
python3 -c 'import time; time.sleep(4 - time.time() % 4 + 0.05)'
check_eq "rate_exhaust daily: 429 even in a new window" "$(req GET "$C/api/v3/athlete" -H "$(auth "$AT")") $(hdr X-Readratelimit-Usage | cut -d, -f2)" "429 13"
req GET "$C/_fake/stats" >/dev/null
check_eq "stats count the 429s" "$(py 'd["status_429"]')" 3

# --- determinism, state, shutdown ---------------------------------------------------------------------
fake F3 --count 300 --seed 5 --unthrottled || exit 1
fake F4 --count 300 --seed 5 --unthrottled || exit 1
for n in F3 F4; do
	u=URL_$n
	read -r AT RT < <(token_for "${!u}" 1001 "read,activity:read_all")
	curl -s -o "$TMP/$n.p1" "${!u}/api/v3/athlete/activities?per_page=200&page=1" -H "$(auth "$AT")"
	curl -s -o "$TMP/$n.p2" "${!u}/api/v3/athlete/activities?per_page=200&page=2" -H "$(auth "$AT")"
	id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[7]["id"])' "$TMP/$n.p1")
	curl -s -o "$TMP/$n.st" "${!u}/api/v3/activities/$id/streams?keys=$ALL&key_by_type=true" -H "$(auth "$AT")"
done
check "same seed, two starts: byte-identical list pages" cmp -s "$TMP/F3.p1" "$TMP/F4.p1"
check "same seed, two starts: byte-identical second pages" cmp -s "$TMP/F3.p2" "$TMP/F4.p2"
check "same seed, two starts: byte-identical streams" cmp -s "$TMP/F3.st" "$TMP/F4.st"
check_eq "another seed gives other activities" "$(cmp -s "$TMP/F3.p1" "$TMP/list" && echo same || echo differ)" differ
kill -TERM "$PID_F4"
t=0
while kill -0 "$PID_F4" 2>/dev/null && [ $t -lt 50 ]; do sleep 0.1; t=$((t + 1)); done
wait "$PID_F4"
check_eq "SIGTERM: clean exit 0 within 5 s" "$?" 0

mkdir -p "$TMP/state"
fake F5 --count 50 --seed 9 --state "$TMP/state" || exit 1
read -r AT RT < <(token_for "$URL_F5" 1001 "read,activity:read_all")
req GET "$URL_F5/api/v3/athlete/activities?per_page=1" -H "$(auth "$AT")" >/dev/null
ID=$(py 'd[0]["id"]')
curl -s -X POST "$URL_F5/_fake/activity/$ID/edit" -d '{"name":"Kept across restarts"}' >/dev/null
kill -TERM "$PID_F5"
wait "$PID_F5"
check "--state keeps the state file private (0600)" test "$(stat -c %a "$TMP/state/state.json")" = 600
fake F6 --count 50 --seed 9 --state "$TMP/state" || exit 1
st=$(req GET "$URL_F6/api/v3/athlete/activities?per_page=1" -H "$(auth "$AT")")
check_eq "--state: tokens and edits survive a restart" "$st $(py 'd[0]["name"]')" "200 Kept across restarts"
check "the log has no tokens" bash -c "! grep -q -e '$AT' -e '$RT' -e '$CSEC' '$TMP'/*.log"

# --- several athletes ------------------------------------------------------------------------------------
fake F9 --athletes 2 --count 20 --seed 11 || exit 1
req GET "$URL_F9/oauth/authorize?client_id=$CID&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&response_type=code&scope=read,activity:read_all" >/dev/null
check "--athletes 2: the authorize page offers an athlete selector" grep -q '<option value="1002">' "$TMP/body"
st=$(req POST "$URL_F9/oauth/accept" --data "client_id=$CID&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&state=&scope=read&scope=activity:read_all&athlete=1002&action=authorize")
code=$(hdr Location)
code=${code#*code=}
code=${code%%&*}
req POST "$URL_F9/oauth/token" -d "client_id=$CID" -d "client_secret=$CSEC" -d "code=$code" -d grant_type=authorization_code >/dev/null
AT2=$(py 'd["access_token"]')
check_eq "--athletes 2: the chosen athlete gets the token" "$(py 'd["athlete"]["id"]')" 1002
req GET "$URL_F9/_fake/athletes" >/dev/null
check_eq "--athletes 2: /_fake/athletes lists ids 1001, 1002" "$(py '[a["id"] for a in d]')" "[1001, 1002]"
read -r AT RT < <(token_for "$URL_F9" 1001 "read,activity:read_all")
a1=$(curl -s "$URL_F9/api/v3/athlete/activities?per_page=200" -H "$(auth "$AT")" | python3 -c 'import json,sys; print(sorted(a["id"] for a in json.load(sys.stdin)))')
a2=$(curl -s "$URL_F9/api/v3/athlete/activities?per_page=200" -H "$(auth "$AT2")" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), all(a["athlete"]["id"] == 1002 for a in d))')
check_eq "--athletes 2: each athlete sees their own 20 activities" "$a2 $([ "$a1" != "" ] && echo ok)" "20 True ok"

# --- bulk export ---------------------------------------------------------------------------------------
fake F8 --count 40 --seed 42 --unthrottled || exit 1
check "export writes a folder (95-style header)" python3 "$FAKE" export --out "$TMP/exp" --count 40 --seed 42
check "export --csv-variant 103" python3 "$FAKE" export --out "$TMP/exp103" --count 40 --seed 42 --csv-variant 103
read -r AT RT < <(token_for "$URL_F8" 1001 "read,activity:read_all")
curl -s -o "$TMP/exlist" "$URL_F8/api/v3/athlete/activities?per_page=200" -H "$(auth "$AT")"
for kind in gpx tcx.gz fit.gz; do
	f=$(python3 -c 'import csv,sys; print(next(r["Activity ID"] for r in csv.DictReader(open(sys.argv[1])) if r["Filename"].endswith(sys.argv[2])))' "$TMP/exp/activities.csv" "$kind")
	curl -s -o "$TMP/exst.$kind" "$URL_F8/api/v3/activities/$f/streams?keys=$ALL&key_by_type=true" -H "$(auth "$AT")"
done
python3 - "$TMP" "$ROOT/tests/fakestrava" >"$TMP/exchecks" <<'PYEOF'
import csv, datetime, gzip, json, os, re, sys
import xml.etree.ElementTree as ET
tmp = sys.argv[1]
sys.path.insert(0, sys.argv[2])
import fs_fit
raw = list(csv.reader(open(os.path.join(tmp, "exp/activities.csv"), encoding="utf-8", newline="")))
head, body = raw[0], raw[1:]
rows = list(csv.DictReader(open(os.path.join(tmp, "exp/activities.csv"), encoding="utf-8", newline="")))
h103 = next(csv.reader(open(os.path.join(tmp, "exp103/activities.csv"), encoding="utf-8")))
api = {a["id"]: a for a in json.load(open(os.path.join(tmp, "exlist")))}
dups = {c for c in head if head.count(c) > 1}
def col2(r, name):  # the second column of a duplicated name
    return r[[i for i, c in enumerate(head) if c == name][1]]
out = {}
out["header: 94 names from Activity ID to Media, the real duplicates"] = (
    len(head) == 94 and head[0] == "Activity ID" and head[-1] == "Media" and
    dups == {"Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute"})
out["103-column header ends with Total Sets, Total Reps, Media"] = len(h103) == 103 and h103[-3:] == ["Total Sets", "Total Reps", "Media"]
out["every row has every column"] = all(len(r) == len(head) for r in body)
out["same activities as the API"] = sorted(int(r[0]) for r in body) == sorted(api)
def date_ok(r):
    a = api[int(r[0])]
    d = datetime.datetime.strptime(r[1], "%b %d, %Y, %I:%M:%S %p")
    return d.strftime("%Y-%m-%dT%H:%M:%SZ") == a["start_date"] and re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M", r[1])
out["Activity Date like 'Oct 6, 2022, 11:19:20 PM' (UTC)"] = all(date_ok(r) for r in body)
out["names, elapsed time, distance (km and m) agree with the API"] = all(
    r[2] == api[int(r[0])]["name"] and int(r[5]) == api[int(r[0])]["elapsed_time"] and
    r[6] == "%.2f" % (api[int(r[0])]["distance"] / 1000) and col2(r, "Distance") == "%.2f" % api[int(r[0])]["distance"]
    for r in body)
out["multi-line descriptions survive quoting"] = any("\n" in r["Activity Description"] for r in rows)
kinds = {r["Filename"].split(".", 1)[1] for r in rows if r["Filename"]}
out["a mix of gpx, tcx.gz and fit.gz files, all present"] = kinds == {"gpx", "tcx.gz", "fit.gz"} and all(
    os.path.exists(os.path.join(tmp, "exp", r["Filename"])) for r in rows if r["Filename"])
out["manual activities have no file"] = all((r["Filename"] == "") == api[int(r["Activity ID"])]["manual"] for r in rows)
out["file numbers are not activity ids"] = all(r["Activity ID"] not in r["Filename"] for r in rows)
def file_of(kind):
    r = next(r for r in rows if r["Filename"].endswith(kind))
    return open(os.path.join(tmp, "exp", r["Filename"]), "rb").read(), json.load(open(os.path.join(tmp, "exst." + kind)))
data, st = file_of("fit.gz")
fit = gzip.decompress(data)
msgs = fs_fit.read(fit)
rec = [m for g, m in msgs if g == 20]
out["FIT: header, CRC, file_id/record/lap/session/activity messages"] = (
    fit[8:12] == b".FIT" and fs_fit.crc16(fit) == 0 and {g for g, _ in msgs} == {0, 20, 19, 18, 34})
out["FIT: one record per stream sample, same distance and HR"] = (
    len(rec) == len(st["time"]["data"]) and rec[-1][5] == round(st["distance"]["data"][-1] * 100) and
    ("heartrate" not in st or rec[10][3] == st["heartrate"]["data"][10]))
data, st = file_of("gpx")
pts = ET.fromstring(data).findall(".//{http://www.topografix.com/GPX/1/1}trkpt")
out["GPX: StravaGPX, one trkpt per sample at the stream's positions"] = (
    b'creator="StravaGPX"' in data and len(pts) == len(st["time"]["data"]) and
    abs(float(pts[0].get("lat")) - st["latlng"]["data"][0][0]) < 1e-6)
data, st = file_of("tcx.gz")
ns = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
tp = ET.fromstring(gzip.decompress(data)).findall(".//%sTrackpoint" % ns)
out["TCX: one Trackpoint per sample, same final distance"] = (
    len(tp) == len(st["time"]["data"]) and
    float(tp[-1].find(ns + "DistanceMeters").text) == st["distance"]["data"][-1])
for k, v in out.items():
    print("%s|%s" % (bool(v), k))
PYEOF
while IFS='|' read -r v what; do check_eq "export: $what" "$v" True; done <"$TMP/exchecks"

# --- the demo athlete -----------------------------------------------------------------------------------
fake F7 --unthrottled || exit 1
read -r AT RT < <(token_for "$URL_F7" 1001 "read,activity:read_all")
: >"$TMP/all.json"
for p in 1 2 3 4 5; do
	curl -s "$URL_F7/api/v3/athlete/activities?per_page=200&page=$p" -H "$(auth "$AT")" >>"$TMP/all.json"
	echo >>"$TMP/all.json"
done
python3 - "$TMP/all.json" >"$TMP/demo" <<'EOF'
import datetime, json, sys
sys.path.insert(0, sys.argv[0] and ".")
acts = [a for line in open(sys.argv[1]) if line.strip() for a in json.loads(line)]
def dec(s):
    pts, i, lat, lon = [], 0, 0, 0
    while i < len(s):
        v = []
        for _ in range(2):
            sh = r = 0
            while True:
                b = ord(s[i]) - 63; i += 1; r |= (b & 31) << sh; sh += 5
                if b < 32: break
            v.append(~(r >> 1) if r & 1 else r >> 1)
        lat += v[0]; lon += v[1]; pts.append((lat / 1e5, lon / 1e5))
    return pts
days = sorted({a["start_date"][:10] for a in acts})
gap = max((datetime.date.fromisoformat(b) - datetime.date.fromisoformat(a)).days for a, b in zip(days, days[1:]))
yesterday = (datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=1)).isoformat()
races = sorted(round(a["distance"] / 1000) for a in acts if a["workout_type"] in (1, 11))
runs = sorted((a["start_date"], a["average_speed"]) for a in acts if a["workout_type"] == 2)
half = len(runs) // 2
early = sum(s for _, s in runs[:half]) / half
late = sum(s for _, s in runs[half:]) / (len(runs) - half)
pts = [p for a in acts for p in dec(a["map"]["summary_polyline"])]
checks = {
    "count 500-800 (5-7 a week)": 500 <= len(acts) <= 800,
    "runs, rides, an indoor ride": {"Run", "Ride", "VirtualRide"} <= {a["sport_type"] for a in acts},
    "races 10 km, half, marathon, gran fondo": {10, 21, 42} <= set(races) and max(races) >= 100,
    "a rest week (a gap of 7+ days)": gap >= 7,
    "a manual activity": any(a["manual"] for a in acts),
    "two activities without HR": sum(1 for a in acts if not a["has_heartrate"] and not a["manual"]) >= 2,
    "commutes": any(a["commute"] for a in acts),
    "the newest activity is from the last few days, none from today": 0 <= (datetime.date.fromisoformat(yesterday) - datetime.date.fromisoformat(max(days))).days <= 3,
    "long runs get faster (fitness trend)": late > early,
    "GPS around Ljubljana": all(45.8 < la < 46.35 and 14.2 < lo < 14.7 for la, lo in pts) and len(pts) > 1000,
    "Europe/Ljubljana time zone, float utc_offset": all(a["timezone"] == "(GMT+01:00) Europe/Ljubljana" and a["utc_offset"] in (3600.0, 7200.0) for a in acts),
}
for k, v in checks.items():
    print("%s|%s" % (v, k))
EOF
while IFS='|' read -r v what; do check_eq "demo athlete: $what" "$v" True; done <"$TMP/demo"

echo "# $T_PASS passed, $T_FAIL failed"
[ "$T_FAIL" -eq 0 ]
