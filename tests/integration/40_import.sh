#!/usr/bin/env bash
# 40_import.sh: cairn-import against the real database: sample files, a synthetic export (folder and ZIP), dedupe, merge, failures
source "$(dirname "$0")/lib.sh"

IMP="$CAIRN_BIN/cairn-import"
DATA="$CAIRN_ROOT/tests/data/files"
GEN="$CAIRN_ROOT/tests/integration/40_import_gen.py"
tmp=$(mktemp -d)
T_CLEANUP+=("rm -rf '$tmp'")
imp() { "$IMP" --config "$CAIRN_CONFIG" --no-progress "$@" >"$tmp/out" 2>"$tmp/err"; }
# every row and stream as one fingerprint (any change moves it)
fingerprint() {
	sql "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, athlete_id, source, has_streams, changed_at, summary_json))),0) FROM cairn_raw.activity;
	     SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', activity_id, points, json))),0) FROM cairn_raw.activity_stream;
	     SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', activity_id, lap_index, source, start_offset, elapsed, distance))),0) FROM cairn_raw.activity_lap" | tr '\n\t' '  '
}

fresh_db

# --- usage and nothing-to-do exit statuses
"$IMP" --config "$CAIRN_CONFIG" >/dev/null 2>&1
check_eq "no input is a usage error (2)" "$?" "2"
"$IMP" --help | grep -q -- "--athlete ID" && ok "--help documents --athlete" || not_ok "--help documents --athlete"
printf '' >"$tmp/empty.gpx"
imp "$tmp/empty.gpx"
check_eq "only a broken file: exit 1" "$?" "1"
grep -q "failed: $tmp/empty.gpx: " "$tmp/out" && ok "the summary names the failed file and why" ||
	not_ok "the summary names the failed file and why" "$(cat "$tmp/out")"
check_eq "an import-only athlete 1 was created" "$(sql "SELECT id, auth_state FROM cairn_raw.athlete")" "1	none"

# --- an API row without streams that one sample file will be merged into
sql "INSERT INTO cairn_raw.activity (id, athlete_id, source, name, sport_type, type, start_date, start_date_local, distance, elapsed_time, summary_json, has_streams, changed_at)
     VALUES (4242, 1, 'api', 'From the API', 'Run', 'Run', '2012-12-26 21:29:55', '2012-12-26 16:29:55', 4700, 1992, '{}', 0, '2020-01-01 00:00:00')"

# --- the sample files
imp "$DATA"/fit/*.fit "$DATA"/fit/*.fit.gz "$DATA"/gpx/*.gpx "$DATA"/tcx/*.tcx
rc=$?
check_eq "sample files import with exit 0" "$rc" "0"
check_eq "sample summary" "$(head -n 1 "$tmp/out")" "imported 8, merged 1, skipped as duplicate 1, failed 0"
grep -q '^import-stats files=10 bytes=[0-9]* seconds=[0-9.]*$' "$tmp/err" && ok "import-stats line on stderr" ||
	not_ok "import-stats line on stderr" "$(cat "$tmp/err")"
check_eq "fenix run row" \
	"$(sql "SELECT id, source, sport_type, start_date, start_date_local, utc_offset, elapsed_time, ROUND(distance,2), has_streams FROM cairn_raw.activity WHERE id = -1497191649")" \
	"-1497191649	import	Run	2017-06-11 14:34:09	2017-06-11 07:34:09	-25200	57	157.56	1"
got=$(sql "SELECT json FROM cairn_raw.activity_stream WHERE activity_id = -1497191649" | python3 -c '
import json, sys
s = json.load(sys.stdin)
t = s["time"]
print(sorted(s), len(t["data"]), t["series_type"], t["original_size"], s["latlng"]["data"][0], s["heartrate"]["data"][:3])')
check_eq "fenix streams in key_by_type shape" "$got" \
	"['altitude', 'cadence', 'distance', 'heartrate', 'latlng', 'moving', 'temp', 'time', 'velocity_smooth'] 21 time 21 [38.229787, -122.633704] [61, 61, 58]"
got=$(sql "SELECT summary_json FROM cairn_raw.activity WHERE id = -1497191649" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(s["id"], s["sport_type"], s["type"], s["start_date"], s["start_date_local"], s["timezone"], s["utc_offset"], s["elapsed_time"], s["name"], bool(s["map"]["summary_polyline"]), s["athlete"]["id"])')
check_eq "fenix summary_json is SummaryActivity-shaped" "$got" \
	"-1497191649 Run Run 2017-06-11T14:34:09Z 2017-06-11T07:34:09Z (GMT-07:00) Etc/GMT+7 -25200.0 57 Run True 1"
check_eq "merge: the API row got the streams and stays an API row" \
	"$(sql "SELECT source, name, has_streams, changed_at > '2020-01-01' FROM cairn_raw.activity WHERE id = 4242")" "api	From the API	1	1"
check_eq "merge: its stream row exists" "$(sql "SELECT COUNT(*) FROM cairn_raw.activity_stream WHERE activity_id = 4242")" "1"
check_eq "merge: no second row for the TCX run" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE start_date BETWEEN '2012-12-26 21:29:40' AND '2012-12-26 21:30:10'")" "1"
check_eq "laps as the files record them: FIT lap messages, TCX <Lap>s" \
	"$(sql "SELECT source, COUNT(*), COUNT(DISTINCT activity_id) FROM cairn_raw.activity_lap GROUP BY source ORDER BY source" | tr '\n\t' ' :')" "fit:7:3 tcx:5:2 "
check_eq "indoor trainer: 5 laps, the first from the start, in order, each of positive duration" \
	"$(sql "SELECT COUNT(*), MIN(start_offset), SUM(elapsed > 0), MIN(lap_index), MAX(lap_index) FROM cairn_raw.activity_lap WHERE activity_id = (SELECT activity_id FROM cairn_raw.activity_lap GROUP BY activity_id HAVING COUNT(*) = 5)")" "5	0	5	0	4"
check_eq "merge: the TCX file's 3 laps go with its streams to the API row" \
	"$(sql "SELECT COUNT(*), MIN(source), ROUND(SUM(distance), 2) FROM cairn_raw.activity_lap WHERE activity_id = 4242")" "3	tcx	4689.24"

# --- re-import changes nothing
before=$(fingerprint)
imp "$DATA"/fit/*.fit "$DATA"/fit/*.fit.gz "$DATA"/gpx/*.gpx "$DATA"/tcx/*.tcx
check_eq "re-import exits 0" "$?" "0"
check_eq "re-import: all duplicates" "$(head -n 1 "$tmp/out")" "imported 0, merged 0, skipped as duplicate 10, failed 0"
check_eq "re-import changes no row" "$(fingerprint)" "$before"

# --- a synthetic export folder (95 columns) and a ZIP of another (103 columns)
python3 "$GEN" "$tmp/exp95" --count 150 --seed 1 --variant 95 --first-id 9000000000
python3 "$GEN" "$tmp/exp103" --count 120 --seed 2 --variant 103 --first-id 9100000000
(cd "$tmp/exp103" && python3 -m zipfile -c "$tmp/export103.zip" activities.csv activities) || not_ok "zip the export" "zipfile failed"
imp "$tmp/exp95"
check_eq "export folder exits 0" "$?" "0"
check_eq "export folder: 150 files and a manual activity" "$(head -n 1 "$tmp/out")" "imported 151, merged 0, skipped as duplicate 0, failed 0"
check_eq "export rows carry the CSV's Activity IDs" \
	"$(sql "SELECT COUNT(*), MIN(id), MAX(id), SUM(has_streams), SUM(manual), SUM(commute) FROM cairn_raw.activity WHERE id BETWEEN 9000000000 AND 9000000999")" \
	"151	9000000000	9000000150	150	1	1"
check_eq "names, sport and description from activities.csv" \
	"$(sql "SELECT name, sport_type, description FROM cairn_raw.activity WHERE id = 9000000001")" \
	"Synthetic Ride 1	Ride	line one\nline \"two\", comma"
check_eq "FIT from the export: local offset from the file" \
	"$(sql "SELECT utc_offset, TIMESTAMPDIFF(SECOND, start_date, start_date_local) FROM cairn_raw.activity WHERE id = 9000000003")" "-18000	-18000"
imp "$tmp/export103.zip"
check_eq "export ZIP exits 0" "$?" "0"
check_eq "export ZIP: 120 files and a manual activity" "$(head -n 1 "$tmp/out")" "imported 121, merged 0, skipped as duplicate 0, failed 0"
check_eq "ZIP rows stored with streams" \
	"$(sql "SELECT COUNT(*), SUM(has_streams) FROM cairn_raw.activity a JOIN cairn_raw.activity_stream s ON s.activity_id = a.id WHERE a.id BETWEEN 9100000000 AND 9100000999")" "120	120"
check_eq "ZIP: each TCX file's lap stored" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity_lap WHERE activity_id BETWEEN 9100000000 AND 9100000999 AND source = 'tcx'")" \
	"$(find "$tmp/exp103/activities" -name '*.tcx.gz' | wc -l)"
before=$(fingerprint)
imp "$tmp/export103.zip" "$tmp/exp95"
check_eq "re-importing the ZIP and the folder: all duplicates" "$(head -n 1 "$tmp/out")" "imported 0, merged 0, skipped as duplicate 272, failed 0"
check_eq "re-importing the archive changes no row" "$(fingerprint)" "$before"

# --- damaged files next to good ones: reported, the rest stored, exit 3
head -c 3000 "$DATA/fit/garmin-edge-820-bike.fit" >"$tmp/trunc.fit"
head -c 20 "$DATA/fit/garmin-edge-820-bike.fit" >"$tmp/stub.fit"
python3 - "$DATA/tcx/tcxparser-test.tcx" "$tmp/flip.tcx" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 2] ^= 0x40
open(sys.argv[2], "wb").write(b)
PY
printf 'not gzip at all' >"$tmp/bad.gpx.gz"
cp "$DATA/gpx/cerknicko-jezero.gpx" "$tmp/other.gpx"
sql "DELETE FROM cairn_raw.activity_stream WHERE activity_id IN (-1281018239, -1497283815); DELETE FROM cairn_raw.activity WHERE id IN (-1281018239, -1497283815)"
imp "$tmp/trunc.fit" "$tmp/stub.fit" "$tmp/flip.tcx" "$tmp/bad.gpx.gz" "$tmp/other.gpx"
check_eq "some files failed: exit 3" "$?" "3"
grep -q "failed: $tmp/stub.fit: no records and no session" "$tmp/out" && ok "a 20-byte FIT fails clearly" || not_ok "a 20-byte FIT fails clearly" "$(cat "$tmp/out")"
grep -q "failed: $tmp/bad.gpx.gz: " "$tmp/out" && ok "a broken .gz fails clearly" || not_ok "a broken .gz fails clearly" "$(cat "$tmp/out")"
grep -q "trunc.fit: truncated" "$tmp/err" && ok "a truncated FIT is imported partially with a warning" ||
	not_ok "a truncated FIT is imported partially with a warning" "$(cat "$tmp/err")"
check_eq "the good and the partial files are stored" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE id IN (-1281018239, -1497283815)")" "2"

# --- an enormous but valid GPX (300,000 points): thinned, bounded memory
python3 - "$tmp/huge.gpx" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
	f.write('<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><type>cycling</type><trkseg>\n')
	for i in range(300000):
		f.write('<trkpt lat="%.6f" lon="%.6f"><ele>100</ele><time>2021-03-%02dT%02d:%02d:%02dZ</time></trkpt>\n'
		        % (45 + i * 1e-6, 14 + i * 1e-6, 1 + i // 86400, i // 3600 % 24, i // 60 % 60, i % 60))
	f.write("</trkseg></trk></gpx>\n")
PY
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%M' -o "$tmp/rss" "$IMP" --config "$CAIRN_CONFIG" --no-progress "$tmp/huge.gpx" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	rss=$(tail -n 1 "$tmp/rss")
	[ "$rss" -lt 400000 ] && ok "a 300,000-point GPX imports in bounded memory (${rss} KiB)" ||
		not_ok "a 300,000-point GPX imports in bounded memory" "peak ${rss} KiB"
else
	imp "$tmp/huge.gpx"
	rc=$?
fi
check_eq "the enormous GPX imports (exit 0)" "$rc" "0"
grep -q "huge.gpx: more than 100000 points: thinned" "$tmp/err" && ok "the thinning is reported" ||
	not_ok "the thinning is reported" "$(cat "$tmp/err")"
check_eq "its stream holds at most 100000 points, elapsed is the whole track" \
	"$(sql "SELECT s.points <= 100000, a.elapsed_time FROM cairn_raw.activity a JOIN cairn_raw.activity_stream s ON s.activity_id = a.id WHERE a.start_date = '2021-03-01 00:00:00'")" "1	299999"


# --- the parse threads change nothing: rows, streams, summary and messages
# are those of import_threads = 0 (all on the main thread) for 1 and 3
# read errors inside a ZIP (a cut .gz entry, one that is no gzip at all)
mkdir -p "$tmp/badzip"
gzip -c "$DATA/gpx/cerknicko-jezero.gpx" | head -c 3000 >"$tmp/badzip/cut.gpx.gz"
printf 'not gzip at all' >"$tmp/badzip/plain.gpx.gz"
(cd "$tmp/badzip" && python3 -m zipfile -c "$tmp/bad.zip" cut.gpx.gz plain.gpx.gz) || not_ok "zip the bad entries" "zipfile failed"
rows() {
	sql "SELECT id, athlete_id, source, name, sport_type, type, start_date, start_date_local, timezone, utc_offset,
	            distance, moving_time, elapsed_time, total_elevation_gain, average_speed, max_speed,
	            average_heartrate, max_heartrate, average_watts, kilojoules, device_watts, has_heartrate,
	            trainer, commute, manual, MD5(summary_polyline), external_id, MD5(description),
	            MD5(summary_json), has_streams, deleted FROM cairn_raw.activity ORDER BY id;
	     SELECT activity_id, athlete_id, points, MD5(json) FROM cairn_raw.activity_stream ORDER BY activity_id"
}
for n in 0 1 3; do
	fresh_db
	sql "INSERT INTO cairn_raw.activity (id, athlete_id, source, name, sport_type, type, start_date, start_date_local, distance, elapsed_time, summary_json, has_streams, changed_at)
	     VALUES (4242, 1, 'api', 'From the API', 'Run', 'Run', '2012-12-26 21:29:55', '2012-12-26 16:29:55', 4700, 1992, '{}', 0, '2020-01-01 00:00:00')"
	CAIRN_IMPORT_THREADS=$n imp "$tmp/exp95" "$DATA"/fit/*.fit "$DATA"/fit/*.fit.gz "$DATA"/gpx/*.gpx \
		"$DATA"/tcx/*.tcx "$tmp/trunc.fit" "$tmp/stub.fit" "$tmp/flip.tcx" "$tmp/bad.gpx.gz" \
		"$tmp/bad.zip" "$tmp/export103.zip" "$tmp/huge.gpx" "$tmp/exp95"
	echo "exit $?" >>"$tmp/out"
	rows >"$tmp/rows-$n"
	cp "$tmp/out" "$tmp/out-$n"
	sed -e 's/^[0-9TZ:-]* //' -e 's/seconds=.*//' "$tmp/err" >"$tmp/err-$n"
done
grep -q "^failed: bad.zip:cut.gpx.gz: gzip data truncated$" "$tmp/out-0" &&
	grep -q "^failed: bad.zip:plain.gpx.gz: cannot inflate gzip data: incorrect header check$" "$tmp/out-0" &&
	grep -q "^failed: bad.zip:cut.gpx.gz: gzip data truncated$" "$tmp/out-3" &&
	ok "read errors inside a ZIP reach the summary as the reader reported them" ||
	not_ok "read errors inside a ZIP reach the summary as the reader reported them" "$(cat "$tmp/out-3")"
[ "$(grep -c . "$tmp/rows-0")" -gt 400 ] && ok "the thread comparison imports everything ($(grep -c . "$tmp/rows-0") lines)" ||
	not_ok "the thread comparison imports everything" "$(head -n 3 "$tmp/out-0")"
for n in 1 3; do
	if cmp -s "$tmp/rows-0" "$tmp/rows-$n" && cmp -s "$tmp/out-0" "$tmp/out-$n" && cmp -s "$tmp/err-0" "$tmp/err-$n"; then
		ok "import_threads = $n: the same cairn_raw, summary and messages as import_threads = 0"
	else
		not_ok "import_threads = $n: the same cairn_raw, summary and messages as import_threads = 0" \
			"$(diff "$tmp/rows-0" "$tmp/rows-$n" | head -n 3 | tr '\n' '|') $(diff "$tmp/out-0" "$tmp/out-$n" | head -n 3 | tr '\n' '|') $(diff "$tmp/err-0" "$tmp/err-$n" | head -n 3 | tr '\n' '|')"
	fi
done
CAIRN_IMPORT_THREADS=-1 imp "$DATA/gpx/cerknicko-jezero.gpx"
check_eq "a bad import_threads is a configuration error (2)" "$?" "2"
CAIRN_IMPORT_ZLIB_LEVEL=10 imp "$DATA/gpx/cerknicko-jezero.gpx"
check_eq "a bad import_zlib_level is a configuration error (2)" "$?" "2"

exit $((T_FAIL > 0))
