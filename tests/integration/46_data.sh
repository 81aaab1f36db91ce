#!/usr/bin/env bash
# 46_data.sh: the Data page's routes through nginx: an upload spooled and imported by the runner, Sync now run by cairn-extract, bad input refused with nothing stored half and nothing written outside the spool
#
# On the lane's stack (its spool watcher, tools/spool_watch.sh, plays
# cairn-spool.path), with the demo athlete of its local Strava:
#   - a FIT file (.gz) POSTed to /api/v1/uploads is spooled under a name
#     cairn-api makes, imported by `cairn-import spool`, transformed: the
#     activity is listed by /api/v1/activities, the upload row says done;
#   - POST /api/v1/sync queues one request (a second answers the same one),
#     cairn-extract runs it, /api/v1/sources shows a newer last sync;
#   - the uploader's own export ZIP is imported (done, its activities added);
#   - a ZIP that is not a Strava export, an export of another athlete
#     (profile.csv 424242): failed with the message, no activity added;
#   - a file over the cap: 413 from nginx, nothing in the spool; a name with
#     ../ or another file type: 400, no row, nothing written; another media type: 415;
#   - auth_mode strava: no session 401, no CSRF token 403; a foreign Host 421.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"

TMP=$(mktemp -d)
[ -n "${CAIRN_TEST_KEEP:-}" ] || T_CLEANUP+=("rm -rf '$TMP'")
FILES=$CAIRN_ROOT/tests/data/files
SPOOL=$(conf_get spool_dir)
U=$CAIRN_URL/api/v1

js() { # python expression(s) over the JSON in file $1 (as d), printed space-separated
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}
# POST file $1 as upload name $2 (raw, already URL-encoded): the status; body in $TMP/body
upload() {
	curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: application/octet-stream' \
		--data-binary @"$1" "$U/uploads?name=$2"
}
# Wait until upload $1 is done or failed (60 s): its JSON in $TMP/up.json
wait_upload() {
	local i
	for ((i = 0; i < 120; i++)); do
		curl -s "$U/uploads/$1" >"$TMP/up.json"
		case "$(js "$TMP/up.json" 'd["upload"]["status"]')" in done | failed) return 0 ;; esac
		sleep 0.5
	done
	return 1
}
# Upload file $1 as $2, check the 202 (check name $3), wait for the runner: $TMP/up.json
upload_run() {
	check_eq "$3: 202" "$(upload "$1" "$2")" 202
	wait_upload "$(js "$TMP/body" 'd["upload"]["id"]')" || not_ok "$3: the runner ends it" "$(cat "$TMP/up.json")"
}
spool_files() { find "$SPOOL" -type f | wc -l; }
raw_count() { sql "SELECT COUNT(*) FROM cairn_raw.activity"; }

# --- the demo athlete, synced from the stack's own local Strava (the runner's)
fresh_db
FAKE_URL=$CAIRN_FAKE_URL
fake_code | "$CAIRN_BIN/cairn-extract" auth --code - --demo >>"$TMP/setup.log" 2>&1
check_eq "the demo athlete is authorised" "$?" 0
"$CAIRN_BIN/cairn-extract" >>"$TMP/setup.log" 2>&1
check_eq "its first sync exits 0" "$?" 0
"$CAIRN_BIN/cairn-transform" >>"$TMP/setup.log" 2>&1
check_eq "cairn-transform exits 0" "$?" 0
check "the spool watcher runs" pgrep -f "spool_watch.sh $CAIRN_CONFIG"

# --- an upload through nginx, imported by the runner
n0=$(curl -s "$U/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["activities"])')
st=$(upload "$FILES/fit/garmin-fenix-5-run.fit.gz" 'my%20run.fit.gz')
check_eq "POST /uploads of a .fit.gz answers 202" "$st" 202
id=$(js "$TMP/body" 'd["upload"]["id"]')
check_eq "... the upload queued under the client's name as a label" \
	"$(js "$TMP/body" 'd["upload"]["status"], d["upload"]["name"]')" 'queued my run.fit.gz'
check_eq "... stored under a name cairn-api made" "$(sql "SELECT stored FROM cairn_app.upload WHERE id = $id")" \
	"upload-$id.fit.gz"
if wait_upload "$id"; then ok "the runner ended upload $id"; else not_ok "the runner ended upload $id" "$(cat "$TMP/up.json")"; fi
check_eq "... done, one activity added" "$(js "$TMP/up.json" 'd["upload"]["status"], d["upload"]["added"], d["upload"]["message"]')" \
	'done 1 None'
check_eq "... and the file left the spool" "$(spool_files)" 0
n1=$(curl -s "$U/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["activities"])')
check_eq "the marts count one activity more" "$n1" "$((n0 + 1))"
curl -s "$U/activities?sort=date&order=asc&limit=1" >"$TMP/acts.json"
check_eq "/activities lists it (the oldest: 2017)" "$(js "$TMP/acts.json" 'd["activities"][0]["start_local"][:4], d["activities"][0]["id"] < 0')" \
	'2017 True'
curl -s "$U/sources" >"$TMP/src.json"
check_eq "/sources lists the upload first" "$(js "$TMP/src.json" 'd["uploads"][0]["id"], d["uploads"][0]["status"]')" "$id done"

# --- Sync now
before=$(js "$TMP/src.json" 'd["strava"]["last_sync"]["id"]')
before_at=$(js "$TMP/src.json" 'd["strava"]["last_sync"]["finished_at"]')
sleep 1.1 # the times have seconds: the new run ends later
curl -s -o "$TMP/s1" -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' -d '{}' "$U/sync" \
	--next -s -o "$TMP/s2" -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' -d '{}' "$U/sync" >"$TMP/codes"
check_eq "POST /sync answers 202, then 200 while it is queued" "$(tr '\n' ' ' <"$TMP/codes")" "202 200 "
check_eq "... the second answer is the same request" "$(js "$TMP/s2" 'd["sync"]["id"], d["queued"]')" "$(js "$TMP/s1" 'd["sync"]["id"]') False"
check_eq "... one request queued" "$(sql "SELECT COUNT(*) FROM cairn_app.sync_request")" 1
for ((i = 0; i < 120; i++)); do
	curl -s "$U/sources" >"$TMP/src.json"
	[ "$(js "$TMP/src.json" 'd["strava"]["sync_request"]["status"]')" = done ] && break
	sleep 0.5
done
check_eq "cairn-extract ran the request: done" "$(js "$TMP/src.json" 'd["strava"]["sync_request"]["status"]')" done
check "... a newer cairn-extract run is the last sync" test "$(js "$TMP/src.json" 'd["strava"]["last_sync"]["id"]')" -gt "$before"
check "... and the last sync time moved" test "$(js "$TMP/src.json" 'd["strava"]["last_sync"]["finished_at"]')" \> "$before_at"
check_eq "... the request no longer blocks a new one" "$(sql "SELECT COUNT(*) FROM cairn_app.sync_request WHERE open_for IS NOT NULL")" 0

# --- a ZIP that is not a Strava export
python3 - "$TMP/notexport.zip" "$FILES/fit/garmin-edge-820-bike.fit" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.write(sys.argv[2], "rides/ride.fit")
    z.writestr("README.txt", "holiday photos")
EOF
raw0=$(raw_count)
upload_run "$TMP/notexport.zip" 'holiday.zip' "a ZIP upload is accepted for the runner"
check_eq "... the runner refuses it: not a Strava export" "$(js "$TMP/up.json" 'd["upload"]["status"], "not a Strava export" in (d["upload"]["message"] or "")')" \
	'failed True'
check_eq "... no activity added (not even the FIT inside)" "$(raw_count)" "$raw0"
check_eq "... nothing left in the spool" "$(spool_files)" 0

# --- the uploader's own Strava export (profile.csv 1001), then another athlete's
"$CAIRN_BIN/cairn-fakestrava" export --out "$TMP/export" --seed 7 --years 1 --count 3 >>"$TMP/setup.log" 2>&1
zip_export() { # the export folder as ZIP $1
	(cd "$TMP/export" && python3 -c 'import os,sys,zipfile
z=zipfile.ZipFile(sys.argv[1],"w")
for r,_,fs in os.walk("."):
    for f in fs: z.write(os.path.join(r,f))' "$1")
}
printf 'Athlete ID,First Name,Last Name,Sex,Weight\n1001,Demo,Athlete,M,70.0\n' >"$TMP/export/profile.csv"
zip_export "$TMP/own.zip"
upload_run "$TMP/own.zip" 'export_1001.zip' "the uploader's own export ZIP"
check_eq "... imported: done, its 3 activities added" "$(js "$TMP/up.json" 'd["upload"]["status"], d["upload"]["added"]')" 'done 3'
check_eq "... into the uploader" "$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE athlete_id <> 1001")" 0
raw0=$(raw_count)
printf 'Athlete ID,First Name,Last Name,Sex,Weight\n424242,Other,Person,F,55.0\n' >"$TMP/export/profile.csv"
zip_export "$TMP/other.zip"
upload_run "$TMP/other.zip" 'export_424242.zip' "an export of athlete 424242 is accepted for the runner"
check_eq "... refused: the export is of another athlete" \
	"$(js "$TMP/up.json" 'd["upload"]["status"], "export is of Strava athlete 424242" in (d["upload"]["message"] or "")')" 'failed True'
check_eq "... no activity added, no athlete made" "$(raw_count) $(sql "SELECT COUNT(*) FROM cairn_raw.athlete")" "$raw0 1"

# --- refused at the door
rows0=$(sql "SELECT COUNT(*) FROM cairn_app.upload")
truncate -s 201M "$TMP/big.fit"
st=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: application/octet-stream' \
	-T "$TMP/big.fit" "$U/uploads?name=big.fit")
check_eq "a file over the cap (200 MB): 413" "$st" 413
check "... from nginx, before cairn-api" grep -qi nginx "$TMP/body"
for name in '..%2F..%2Fevil.fit' '../evil.fit' 'a%2F..%2F..%2Fevil.fit' '..' 'x%01y.fit' 'x%00.fit' \
	"$(printf 'a%.0s' {1..300}).fit"; do
	st=$(upload "$FILES/fit/garmin-edge-820-bike.fit" "$name")
	check_eq "name ${name:0:30}: 400" "$st" 400
done
check "... saying why" grep -q '"param":"name"' "$TMP/body"
check_eq "refused uploads store no row" "$(sql "SELECT COUNT(*) FROM cairn_app.upload")" "$rows0"
check_eq "... and no file in the spool" "$(spool_files)" 0
check "... nor beside it" test ! -e "$SPOOL/../evil.fit" -a ! -e "$SPOOL/evil.fit" -a ! -e "$SPOOL/new/../../evil.fit"
st=$(upload "$FILES/fit/garmin-edge-820-bike.fit" 'notes.txt')
check_eq "a name that is no FIT, GPX, TCX or ZIP: 400" "$st" 400
st=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: text/plain' \
	--data-binary @"$FILES/fit/garmin-edge-820-bike.fit" "$U/uploads?name=a.fit")
check_eq "a form's text/plain body (another site's page): 415" "$st" 415
st=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST "$U/sync")
check_eq "a sync POST without application/json: 415" "$st" 415
: >"$TMP/empty.fit"
check_eq "an empty file: 400" "$(upload "$TMP/empty.fit" 'e.fit')" 400
st=$(curl -s -o "$TMP/body" -w '%{http_code}' -H 'Host: evil.example' -X POST -H 'Content-Type: application/octet-stream' \
	--data-binary @"$FILES/fit/garmin-edge-820-bike.fit" "$U/uploads?name=a.fit")
check_eq "a foreign Host (DNS rebinding): 421" "$st" 421
check_eq "still no row and no file" "$(sql "SELECT COUNT(*) FROM cairn_app.upload") $(spool_files)" "$rows0 0"

# --- auth_mode strava: the session and its CSRF token (last: the login
# replaces the demo athlete's tokens with the private local Strava's)
strava_front --count 2 || not_ok "the strava-mode front starts"
post_s() { # jar csrf path content-type file: the status
	local args=(-s -o "$TMP/body" -w '%{http_code}' -X POST -H "Content-Type: $4" --data-binary @"$5")
	[ -n "$1" ] && args+=(-b "$1")
	[ -n "$2" ] && args+=(-H "X-CSRF-Token: $2")
	curl "${args[@]}" "$S_URL/api/v1/$3"
}
echo '{}' >"$TMP/empty.json"
check_eq "strava mode, no session: upload 401" \
	"$(post_s '' '' 'uploads?name=a.fit' application/octet-stream "$FILES/fit/garmin-edge-820-bike.fit")" 401
check_eq "strava mode, no session: sync 401" "$(post_s '' '' sync application/json "$TMP/empty.json")" 401
check_eq "strava mode, no session: sources 401" "$(curl -s -o /dev/null -w '%{http_code}' "$S_URL/api/v1/sources")" 401
login "$TMP/jar" 1001 >/dev/null
csrf=$(csrf_of "$TMP/jar")
check "logged in with a CSRF token" test -n "$csrf"
check_eq "a session without its CSRF token: upload 403" \
	"$(post_s "$TMP/jar" '' 'uploads?name=a.fit' application/octet-stream "$FILES/fit/garmin-edge-820-bike.fit")" 403
check_eq "a session with another token: sync 403" "$(post_s "$TMP/jar" "x$csrf" sync application/json "$TMP/empty.json")" 403
check_eq "with the session and its token the route is reached (a ../ name: 400)" \
	"$(post_s "$TMP/jar" "$csrf" 'uploads?name=..%2Fa.fit' application/octet-stream "$FILES/fit/garmin-edge-820-bike.fit")" 400
check_eq "... the session's sources: its own athlete" "$(s_get "$TMP/jar" api/v1/sources | cut -d' ' -f1)" 200
check_eq "nothing stored by the refused requests" "$(sql "SELECT COUNT(*) FROM cairn_app.upload") $(spool_files)" "$rows0 0"

echo "# $T_PASS passed, $T_FAIL failed"
[ "$T_FAIL" -eq 0 ]
