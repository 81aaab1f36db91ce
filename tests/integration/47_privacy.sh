#!/usr/bin/env bash
# 47_privacy.sh: privacy zones and trim leave every map answer (streams, polylines, heatmap, GPX) and come back when removed; the whole-athlete archive, per athlete
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"

API="$CAIRN_URL/api/v1"
LOG="$CAIRN_VAR/log/47_privacy.log"
T=$(mktemp -d "$CAIRN_VAR/t47.XXXXXX")
T_CLEANUP+=("rm -rf '$T'")
WALK="$CAIRN_ROOT/tests/integration/privacy_walk.py"
: >"$LOG"

fresh_db
T_CLEANUP+=("fresh_db >/dev/null 2>&1")
start_fake --count 12 --seed 5 --short-limit 100000 --daily-limit 1000000 || exit 1
export CAIRN_STRAVA_API_URL="$FAKE_URL/api/v3" CAIRN_STRAVA_OAUTH_URL="$FAKE_URL/oauth"
fake_sync "$LOG"

put() { # body: PUT /privacy, prints "STATUS BODY"
	local out
	out=$(curl -s -w '\n%{http_code}' -X PUT -H 'Content-Type: application/json' --data "$1" "$API/privacy")
	printf '%s %s\n' "${out##*$'\n'}" "${out%$'\n'*}"
}

# ---- the setting: defaults, validation
got=$(curl -s "$API/privacy")
check_eq "no zones and no trim by default" \
	"$(printf '%s' "$got" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["zones"], d["trim"], d["limits"]["zones"])')" "[] 0 20"
for body in '{"zones":[{"lat":50,"lng":7,"radius":49}]}' '{"zones":[{"lat":50,"lng":7,"radius":5001}]}' \
	'{"zones":[{"lat":91,"lng":7,"radius":100}]}' '{"zones":[{"lat":50,"lng":181,"radius":100}]}' \
	'{"zones":[{"lat":"50","lng":7,"radius":100}]}' '{"zones":[{"lat":50,"lng":7}]}' \
	'{"zones":[{"lat":50,"lng":7,"radius":100,"name":"home"}]}' '{"zones":[],"trim":-1}' \
	'{"zones":[],"trim":2001}' '{"zones":[],"trim":10.5}' '{"zone":[]}' '{"trim":10}' '[]' 'nonsense'; do
	got=$(put "$body")
	case "$got" in "400 "*invalid_body*) ;; *) not_ok "PUT $body is refused with 400 invalid_body" "$got" ;; esac
done
ok "14 malformed bodies (radius, lat, lng, types, unknown fields, trim) are refused with 400 invalid_body"
got=$(put "{\"zones\":[$(python3 -c 'print(",".join(["{\"lat\":50,\"lng\":7,\"radius\":100}"] * 21))')]}")
case "$got" in "400 "*"at most 20 zones"*) ok "21 zones are refused: at most 20" ;; *) not_ok "21 zones are refused: at most 20" "$got" ;; esac
case "$(put '{"zones":[{"lat":50,"lng":7,"radius":25}]}')" in *'zones[0].radius must be a number between 50 and 5000'*) ok "the error says which zone and field, and the range" ;; *) not_ok "the error says which zone and field, and the range" ;; esac
check_eq "nothing refused was stored" "$(sql 'SELECT COUNT(*) FROM cairn_app.privacy_zone')" "0"

# ---- zones on the starts of real routes, and a trim
python3 "$WALK" snapshot "$API" "$T/before.json"
python3 "$WALK" zones "$T/before.json" 3 300 >"$T/zones.json"
nz=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/zones.json")
[ "$nz" -ge 1 ] && ok "zones of 300 m on the starts of $nz routes" || { not_ok "zones on the starts of routes" "no route with positions"; exit 1; }
raw_sum=$(sql "CHECKSUM TABLE cairn_raw.activity, cairn_raw.activity_stream" | cut -f2 | tr '\n' ' ')
etag_before=$(curl -s -D - -o /dev/null "$API/heatmap" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
got=$(put "{\"zones\":$(cat "$T/zones.json"),\"trim\":200}")
case "$got" in "200 "*'"queued":true'*) ok "PUT stores the zones and queues a recompute" ;; *) not_ok "PUT stores the zones and queues a recompute" "$got" ;; esac
check_eq "... of every activity, for reason privacy" \
	"$(sql "SELECT COUNT(*) FROM cairn_app.recompute_request WHERE reason = 'privacy' AND from_date IS NULL AND done_at IS NULL")" "1"
check_eq "GET gives the zones back" \
	"$(curl -s "$API/privacy" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["zones"]), d["trim"])')" "$nz 200"
"$CAIRN_BIN/cairn-transform" >>"$LOG" 2>&1
check_eq "cairn-transform exits 0" "$?" "0"
check_eq "the request is done" "$(sql "SELECT COUNT(*) FROM cairn_app.recompute_request WHERE done_at IS NULL")" "0"
etag_after=$(curl -s -D - -o /dev/null "$API/heatmap" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
[ -n "$etag_after" ] && [ "$etag_after" != "$etag_before" ] && ok "the heatmap's ETag changed: no kept answer of before is served" ||
	not_ok "the heatmap's ETag changed" "$etag_before / $etag_after"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag_before" "$API/heatmap")
check_eq "... and the old ETag gets the new answer, not a 304" "$code" "200"
python3 "$WALK" check "$API" "$T/before.json" "$T/zones.json" 200
check_eq "cairn_raw is untouched" "$(sql "CHECKSUM TABLE cairn_raw.activity, cairn_raw.activity_stream" | cut -f2 | tr '\n' ' ')" "$raw_sum"
got=$(sql "SELECT COUNT(*) FROM cairn_mart.activity_stream WHERE athlete_id = (SELECT MIN(id) FROM cairn_raw.athlete)")
[ "$got" -gt 0 ] && ok "the marts hold the filtered streams ($got)" || not_ok "the marts hold the filtered streams" "$got"

# ---- the archive holds the same filtered GPX
curl -s -D "$T/zip.h" -o "$T/a.zip" "$API/export/archive"
grep -qi '^content-type: application/zip' "$T/zip.h" && ok "the archive is application/zip" || not_ok "the archive is application/zip" "$(cat "$T/zip.h")"
grep -qi '^content-disposition: attachment; filename="cairn-archive-' "$T/zip.h" && ok "... an attachment" || not_ok "... an attachment"
grep -qi '^content-length' "$T/zip.h" && not_ok "... streamed, with no Content-Length" "$(cat "$T/zip.h")" || ok "... streamed, with no Content-Length"
python3 - "$T/a.zip" "$T/before.json" "$API" <<'PY'
import io, json, sys, urllib.request, zipfile
z = zipfile.ZipFile(sys.argv[1])
before, api = json.load(open(sys.argv[2])), sys.argv[3]
bad = z.testzip()
print(("ok - " if bad is None else "not ok - ") + f"every entry's CRC checks ({len(z.namelist())} entries)")
gpx = [n for n in z.namelist() if n.startswith("gpx/")]
same = [n for n in gpx if z.read(n) == urllib.request.urlopen(api + "/activities/%s/export" % n[4:-4]).read()]
print(("ok - " if gpx and len(same) == len(gpx) else "not ok - ") + f"each GPX of the archive ({len(gpx)}) is the filtered export, byte for byte # {len(same)}")
p = json.loads(z.read("privacy.json"))
print(("ok - " if p["trim"] == 200 and len(p["zones"]) >= 1 else "not ok - ") + "privacy.json holds the zones and trim")
PY

# ---- removing the zones restores every answer
got=$(put '{"zones":[],"trim":0}')
case "$got" in "200 "*) ok "PUT of no zones" ;; *) not_ok "PUT of no zones" "$got" ;; esac
"$CAIRN_BIN/cairn-transform" >>"$LOG" 2>&1
check_eq "cairn-transform exits 0" "$?" "0"
python3 "$WALK" same "$API" "$T/before.json" "$T/after.json"

# ---- the archive in strava mode: a session, one athlete's data only
fresh_db
unset CAIRN_STRAVA_API_URL CAIRN_STRAVA_OAUTH_URL # the front's own local Strava
strava_front --athletes 2 --count 10 --seed 9 || { not_ok "the strava-mode front starts" "see $CAIRN_VAR/log"; exit 1; }
login "$T/ja" 1001 >/dev/null
login "$T/jb" 1002 >/dev/null
"$CAIRN_BIN/cairn-extract" --config "$S_CONF" sync >>"$LOG" 2>&1
check_eq "both athletes synced" "$(sql 'SELECT COUNT(DISTINCT athlete_id) FROM cairn_raw.activity')" "2"
"$CAIRN_BIN/cairn-transform" --config "$S_CONF" >>"$LOG" 2>&1
check_eq "cairn-transform exits 0" "$?" "0"
code=$(curl -s -o /dev/null -w '%{http_code}' "$S_URL/api/v1/export/archive")
check_eq "the archive without a session: 401" "$code" "401"
csrf=$(csrf_of "$T/ja")
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ja" -X PUT -H 'Content-Type: application/json' \
	--data '{"zones":[{"lat":1,"lng":2,"radius":100}]}' "$S_URL/api/v1/privacy")
check_eq "PUT /privacy without the CSRF token: 403" "$code" "403"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/ja" -H "X-CSRF-Token: $csrf" -X PUT -H 'Content-Type: application/json' \
	--data '{"zones":[{"lat":1,"lng":2,"radius":100}],"trim":50}' "$S_URL/api/v1/privacy")
check_eq "PUT /privacy with the session and its CSRF token: 200" "$code" "200"
check_eq "... stored for that athlete only" "$(sql 'SELECT athlete_id, COUNT(*) FROM cairn_app.privacy_zone GROUP BY athlete_id')" "1001	1"
"$CAIRN_BIN/cairn-transform" --config "$S_CONF" >>"$LOG" 2>&1
cookie_a=$(awk '$6 == "cairn_session" {print $7}' "$T/ja")
cookie_b=$(awk '$6 == "cairn_session" {print $7}' "$T/jb")
curl -s -b "$T/ja" -o "$T/arch-a.zip" "$S_URL/api/v1/export/archive"
curl -s -b "$T/jb" -o "$T/arch-b.zip" "$S_URL/api/v1/export/archive"
python3 "$WALK" snapshot "$S_URL/api/v1" "$T/a.json" "$cookie_a"
python3 - "$T" "$(sql 'SELECT id FROM cairn_raw.activity WHERE athlete_id = 1002' | tr '\n' ' ')" \
	"$(sql 'SELECT id FROM cairn_raw.activity WHERE athlete_id = 1001' | tr '\n' ' ')" <<'PY'
import csv, io, json, subprocess, sys, zipfile
import xml.etree.ElementTree as ET
d, b_ids, a_ids = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
fails = 0
def check(name, cond, why=""):
    global fails
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else f" # {why}"))
    fails += 0 if cond else 1
r = subprocess.run([sys.executable, "-m", "zipfile", "-t", d + "/arch-a.zip"], capture_output=True, text=True)
check("python3 -m zipfile -t reads the archive", r.returncode == 0, r.stdout + r.stderr)
z = zipfile.ZipFile(d + "/arch-a.zip")
names = set(z.namelist())
for f in ("README.txt", "athlete.json", "activities.csv", "settings.json", "privacy.json", "models.json"):
    check(f"{f} is in the archive", f in names)
readme = z.read("README.txt").decode()
listed = [w for w in ("athlete.json", "activities.csv", "gpx/", "settings.json", "privacy.json", "models.json", "raw/") if w in readme]
check("README.txt says what each file is", len(listed) == 7, listed)
snap = json.load(open(d + "/a.json"))
rows = list(csv.DictReader(io.StringIO(z.read("activities.csv").decode())))
check(f"activities.csv has one row per activity of the API ({len(rows)})", len(rows) == len(snap["activities"]) > 0,
      (len(rows), len(snap["activities"])))
check("... with the list's columns", rows and list(rows[0])[:3] == ["id", "name", "sport"], list(rows[0]) if rows else None)
check("... the same ids", sorted(r["id"] for r in rows) == sorted(snap["activities"]))
counted = 0
for aid, rec in snap["activities"].items():
    s = rec["streams"]
    has = s and s["latlng"] and any(p is not None for p in s["latlng"])
    n = f"gpx/{aid}.gpx"
    if not has:
        check(f"no GPX for activity {aid} without positions", n not in names)
        continue
    if n not in names:
        check(f"a GPX for activity {aid}", False)
        continue
    pts = list(ET.fromstring(z.read(n)).iter("{http://www.topografix.com/GPX/1/1}trkpt"))
    if s["returned"] == s["points"]:
        counted += 1
        want = sum(p is not None for p in s["latlng"])
        if len(pts) != want:
            check(f"GPX {aid} has the latlng stream's point count", False, (len(pts), want))
check(f"each GPX parses with the latlng stream's point count ({counted} compared)", counted > 0)
raw = {n.split("/")[1] for n in names if n.startswith("raw/")}
check(f"the raw records of every activity of A ({len(raw)})", raw == set(a_ids), (sorted(raw)[:3], sorted(a_ids)[:3]))
check("raw summaries are the JSON as fetched", all(json.loads(z.read(f"raw/{i}/summary.json"))["id"] == int(i) for i in raw))
leak = [n for n in names if any(b in n for b in b_ids)]
blob = b"".join(z.read(n) for n in names if not n.startswith("raw/"))
leak += [b for b in b_ids if b.encode() in blob]
check("nothing of athlete B is in A's archive", not leak, leak[:3])
check("athlete.json is A's", json.loads(z.read("athlete.json"))["id"] == 1001)
check("privacy.json holds A's zone", len(json.loads(z.read("privacy.json"))["zones"]) == 1)
zb = zipfile.ZipFile(d + "/arch-b.zip")
check("B's archive is B's", json.loads(zb.read("athlete.json"))["id"] == 1002 and
      {n.split("/")[1] for n in zb.namelist() if n.startswith("raw/")} == set(b_ids))
sys.exit(1 if fails else 0)
PY
