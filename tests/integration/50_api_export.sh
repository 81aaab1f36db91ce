#!/usr/bin/env bash
# 50_api_export.sh: GPX and TCX downloads of real synced activities: every stored sample, times, positions and HR as stored, a round trip through cairn-import, a 6-hour ride
source "$(dirname "$0")/lib.sh"

API="$CAIRN_URL/api/v1"
LOG="$CAIRN_VAR/log/50_api_export.log"
tmp=$(mktemp -d)
T_CLEANUP+=("rm -rf '$tmp'")
: >"$LOG"

fresh_db
T_CLEANUP+=("fresh_db >/dev/null 2>&1")
start_fake --count 8 --seed 11 --short-limit 100000 --daily-limit 1000000 || exit 1
export CAIRN_STRAVA_API_URL="$FAKE_URL/api/v3" CAIRN_STRAVA_OAUTH_URL="$FAKE_URL/oauth"
fake_sync "$LOG"

# The first activity with positions and heart rate, and all of its samples.
id=$(curl -sf "$API/activities?limit=50" | python3 -c '
import json, sys, urllib.request
for a in json.load(sys.stdin)["activities"]:
    if not a["has_streams"]:
        continue
    s = json.load(urllib.request.urlopen(sys.argv[1] + "/activities/%d/streams?points=10" % a["id"]))
    if "latlng" in s["keys"] and "heartrate" in s["keys"] and s["points"] <= 10000:
        print(a["id"]); break' "$API")
[ -n "$id" ] && ok "an activity with GPS and HR to export ($id)" || { not_ok "an activity with GPS and HR to export"; exit 1; }
curl -sf "$API/activities/$id/streams?points=10000" >"$tmp/streams.json"
curl -sf "$API/activities/$id" >"$tmp/act.json"
curl -sf -D "$tmp/gpx.h" "$API/activities/$id/export" -o "$tmp/a.gpx"
check_eq "GPX answers 200" "$?" 0
curl -sf -D "$tmp/tcx.h" "$API/activities/$id/export?format=tcx" -o "$tmp/a.tcx"
check_eq "TCX answers 200" "$?" 0
grep -qi "^content-type: application/gpx+xml" "$tmp/gpx.h" && ok "GPX content type" || not_ok "GPX content type" "$(cat "$tmp/gpx.h")"
grep -qi "^content-disposition: attachment; filename=\"cairn-$id.gpx\"" "$tmp/gpx.h" &&
	ok "GPX is an attachment named by the id" || not_ok "GPX is an attachment named by the id" "$(cat "$tmp/gpx.h")"
grep -qi "^content-type: application/vnd.garmin.tcx+xml" "$tmp/tcx.h" && ok "TCX content type" || not_ok "TCX content type"

# Parse both with xml.etree and compare every point with the stored streams.
python3 - "$tmp" <<'PY'
import datetime, json, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
s = json.load(open(d + "/streams.json"))
a = json.load(open(d + "/act.json"))["activity"]
st, n = s["streams"], s["points"]
start = datetime.datetime.strptime(a["start_utc"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
G = "{http://www.topografix.com/GPX/1/1}"
X = "{http://www.garmin.com/xmlschemas/TrackPointExtension/v1}"
T = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
fails = 0
def check(name, cond, why=""):
    global fails
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else " # " + str(why)))
    fails += 0 if cond else 1
def iso(t):
    return (start + datetime.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
check("the streams answer holds every sample", s["returned"] == n, (s["returned"], n))
ll = [p for p in st["latlng"]]
pts = ET.parse(d + "/a.gpx").getroot().findall(f"{G}trk/{G}trkseg/{G}trkpt")
want = [i for i in range(n) if ll[i] is not None]
check("GPX: one trkpt per stored sample with a position", len(pts) == len(want) == n, (len(pts), len(want), n))
for k, (i, p) in enumerate([(want[0], pts[0]), (want[-1], pts[-1])]):
    check(f"GPX: {'first' if k == 0 else 'last'} point's position is the stored one",
          abs(float(p.get("lat")) - ll[i][0]) <= 1.5e-6 and abs(float(p.get("lon")) - ll[i][1]) <= 1.5e-6,
          (p.get("lat"), p.get("lon"), ll[i]))
    check(f"GPX: {'first' if k == 0 else 'last'} point's time is start + offset",
          p.find(f"{G}time").text == iso(st["time"][i]), (p.find(f"{G}time").text, iso(st["time"][i])))
hr = [p.find(f"{G}extensions/{X}TrackPointExtension/{X}hr") for p in pts]
got = [int(h.text) if h is not None else None for h in hr]
exp = [round(st["heartrate"][i]) if st["heartrate"][i] is not None else None for i in want]
check("GPX: every heart rate equals the stored one", got == exp,
      next(((i, g, e) for i, (g, e) in enumerate(zip(got, exp)) if g != e), None))
if "altitude" in st:
    alt = [float(p.find(f"{G}ele").text) for p in pts if p.find(f"{G}ele") is not None]
    check("GPX: every altitude is written", len(alt) == n, len(alt))
check("GPX: the track is named after the activity",
      ET.parse(d + "/a.gpx").getroot().find(f"{G}trk/{G}name").text == a["name"])
root = ET.parse(d + "/a.tcx").getroot()
tps = root.findall(f"{T}Activities/{T}Activity/{T}Lap/{T}Track/{T}Trackpoint")
check("TCX: one Trackpoint per stored sample", len(tps) == n, (len(tps), n))
check("TCX: first and last times are start + offset",
      tps[0].find(f"{T}Time").text == iso(st["time"][0]) and tps[-1].find(f"{T}Time").text == iso(st["time"][-1]))
got = [int(t.find(f"{T}HeartRateBpm/{T}Value").text) if t.find(f"{T}HeartRateBpm") is not None else None for t in tps]
exp = [round(v) if v is not None else None for v in st["heartrate"]]
check("TCX: every heart rate equals the stored one", got == exp)
lat = float(tps[-1].find(f"{T}Position/{T}LatitudeDegrees").text)
check("TCX: the last position is the stored one", abs(lat - ll[-1][0]) <= 1.5e-6, (lat, ll[-1]))
lap = root.find(f"{T}Activities/{T}Activity/{T}Lap")
check("TCX: one lap with the activity's distance",
      len(root.findall(f"{T}Activities/{T}Activity/{T}Lap")) == 1 and
      abs(float(lap.find(f"{T}DistanceMeters").text) - a["distance"]) < 0.1)
sys.exit(1 if fails else 0)
PY
[ $? -eq 0 ] || T_FAIL=$((T_FAIL + 1))

# put_activity ID NAME N CHANNELS: a copy of activity $id's mart row as ID
# (NAME, N seconds), with N samples of CHANNELS (a Python dict of lists, n
# and math in scope) packed here as SPK1 (lib/spk.h).
put_activity() {
	python3 - "$tmp/put.sql" "$1" "$3" "$4" <<'PY'
import math, struct, sys
n = int(sys.argv[3])
ch = eval(sys.argv[4], {"math": math, "n": n})
blob = b"SPK1" + struct.pack("<II", n, len(ch))
blob += b"".join(k.encode().ljust(16, b"\0") for k in ch)
blob += b"".join(struct.pack(f"<{n}f", *v) for v in ch.values())
open(sys.argv[1], "w").write(
    "INSERT INTO cairn_mart.activity_stream (activity_id, athlete_id, points, data) "
    f"SELECT {sys.argv[2]}, athlete_id, {n}, X'{blob.hex()}' FROM cairn_mart.activity WHERE id = {sys.argv[2]};\n")
PY
	sql "CREATE TEMPORARY TABLE cairn_mart.t_put AS SELECT * FROM cairn_mart.activity WHERE id = $id;
	     UPDATE cairn_mart.t_put SET id = $1, name = '$2', elapsed_time = $3;
	     INSERT INTO cairn_mart.activity SELECT * FROM cairn_mart.t_put" >>"$LOG" 2>&1
	sql "source $tmp/put.sql" >>"$LOG" 2>&1
}

# A 6-hour ride at 1 Hz (21,600 samples, every channel): one answer of a
# few MB, written whole.
big=987654321
put_activity "$big" 'Six hours <&> \"all day\"' 21600 '{"time": [float(i) for i in range(n)], "distance": [i * 8.0 for i in range(n)],
      "lat": [45.0 + i * 5e-5 for i in range(n)], "lng": [6.0 + 3e-3 * math.sin(i / 500) for i in range(n)],
      "altitude": [500 + 300 * math.sin(i / 3000) for i in range(n)], "heartrate": [130 + i % 30 for i in range(n)],
      "cadence": [85.0] * n, "watts": [200 + (i % 50) for i in range(n)], "temp": [18.5] * n}'
check_eq "a 6-hour ride stored in the marts" "$(sql "SELECT points FROM cairn_mart.activity_stream WHERE activity_id = $big")" 21600
t0=$(date +%s%N)
check_eq "a 6-hour ride's GPX answers 200" \
	"$(curl -s "$API/activities/$big/export" -o "$tmp/big.gpx" -w '%{http_code}')" 200
ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "a 6-hour ride's TCX answers 200" \
	"$(curl -s "$API/activities/$big/export?format=tcx" -o "$tmp/big.tcx" -w '%{http_code}')" 200
head -c 300 "$tmp/big.gpx" >>"$LOG"
python3 - "$tmp" "$ms" <<'PY'
import os, sys, xml.etree.ElementTree as ET
d, ms = sys.argv[1], sys.argv[2]
G = "{http://www.topografix.com/GPX/1/1}"
T = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
r = ET.parse(d + "/big.gpx").getroot()
pts = r.findall(f"{G}trk/{G}trkseg/{G}trkpt")
size = os.path.getsize(d + "/big.gpx")
ok = len(pts) == 21600 and size > 2_000_000
print(("ok - " if ok else "not ok - ") + f"6-hour GPX: 21600 points, {size} bytes in {ms} ms")
name = r.find(f"{G}trk/{G}name").text
ok2 = name == 'Six hours <&> "all day"'
print(("ok - " if ok2 else "not ok - ") + f"the escaped name reads back as stored # {name!r}")
tps = ET.parse(d + "/big.tcx").getroot().findall(f"{T}Activities/{T}Activity/{T}Lap/{T}Track/{T}Trackpoint")
ok3 = len(tps) == 21600
print(("ok - " if ok3 else "not ok - ") + f"6-hour TCX: {len(tps)} trackpoints")
sys.exit(0 if ok and ok2 and ok3 else 1)
PY
[ $? -eq 0 ] || T_FAIL=$((T_FAIL + 1))
sql "DELETE FROM cairn_mart.activity_stream WHERE activity_id = $big; DELETE FROM cairn_mart.activity WHERE id = $big"

# Streams without positions (an indoor ride): no GPX (404 no_gps), a TCX
# whose trackpoints have no Position.
indoor=987654322
put_activity "$indoor" Trainer 600 '{"time": [float(i) for i in range(n)], "heartrate": [120.0 + i % 7 for i in range(n)],
      "watts": [180.0] * n}'
check_eq "GPX of an activity without positions answers 404 no_gps" \
	"$(curl -s "$API/activities/$indoor/export" | python3 -c 'import json,sys; print(json.load(sys.stdin)["error"]["code"])')" no_gps
check_eq "its TCX answers 200" \
	"$(curl -s "$API/activities/$indoor/export?format=tcx" -o "$tmp/indoor.tcx" -w '%{http_code}')" 200
check_eq "the TCX holds its 600 trackpoints, none with a Position" "$(python3 -c '
import sys, xml.etree.ElementTree as ET
T = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
tps = ET.parse(sys.argv[1]).getroot().iter(T + "Trackpoint")
tps = list(tps)
print(len(tps), sum(t.find(T + "Position") is not None for t in tps))' "$tmp/indoor.tcx")" "600 0"
sql "DELETE FROM cairn_mart.activity_stream WHERE activity_id = $indoor; DELETE FROM cairn_mart.activity WHERE id = $indoor"

# The GPX round-trips through Cairn's own importer (into athlete 2).
sql "SELECT distance, moving_time, avg_hr FROM cairn_mart.activity WHERE id = $id" >"$tmp/orig"
"$CAIRN_BIN/cairn-import" --config "$CAIRN_CONFIG" --no-progress --athlete 2 "$tmp/a.gpx" >>"$LOG" 2>&1
check_eq "cairn-import takes the exported GPX" "$?" 0
"$CAIRN_BIN/cairn-transform" >>"$LOG" 2>&1
check_eq "cairn-transform of the import exits 0" "$?" 0
sql "SELECT distance, moving_time, avg_hr FROM cairn_mart.activity WHERE athlete_id = 2" >"$tmp/back"
python3 - "$tmp/orig" "$tmp/back" <<'PY'
import sys
o = open(sys.argv[1]).read().split()
b = open(sys.argv[2]).read().split()
fails = 0
def check(name, cond, why):
    global fails
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else " # " + why))
    fails += 0 if cond else 1
check("the import holds one activity", len(b) == 3, f"{b}")
if len(b) == 3:
    od, om, oh = map(float, o)
    bd, bm, bh = map(float, b)
    check("round trip: distance within 0.5%", abs(bd - od) <= 0.005 * od, f"{bd} vs {od}")
    check("round trip: moving time within 2% (or 10 s)", abs(bm - om) <= max(10, 0.02 * om), f"{bm} vs {om}")
    check("round trip: average HR within 0.5 bpm", abs(bh - oh) <= 0.5, f"{bh} vs {oh}")
sys.exit(1 if fails else 0)
PY
[ $? -eq 0 ] || T_FAIL=$((T_FAIL + 1))

[ "$T_FAIL" -eq 0 ]
