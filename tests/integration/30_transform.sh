#!/usr/bin/env bash
# 30_transform.sh: cairn-transform on a hand-made raw dataset (pinned values) and incremental == --full on random edits
source "$(dirname "$0")/lib.sh"

export CAIRN_TODAY=2024-03-10
TF="$CAIRN_BIN/cairn-transform"
TMP=$(mktemp -d)
T_CLEANUP+=("rm -rf '$TMP'")

# gen_stream KIND SECONDS [SEED]: a StreamSet JSON on stdout.
#   ride: 250 W, 10 m/s, HR 150, straight line north; run: 1000/240 m/s,
#   HR 165, flat; hill: 3 m/s up a 10 % grade (grade_smooth, no altitude);
#   hr: 8 m/s and HR 140 only; rand: random channels.
gen_stream() {
	python3 - "$@" <<'PY'
import json, math, random, sys
kind, n = sys.argv[1], int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
t = list(range(n))
s = {"time": {"data": t}}
if kind == "ride":
    s["distance"] = {"data": [10.0 * i for i in t]}
    s["watts"] = {"data": [250] * n}
    s["heartrate"] = {"data": [150] * n}
    s["latlng"] = {"data": [[45.0 + 10.0 * i / 111195.0, 7.0] for i in t]}
    s["altitude"] = {"data": [100.0] * n}
elif kind == "run":
    v = 1000.0 / 240.0
    s["distance"] = {"data": [v * i for i in t]}
    s["heartrate"] = {"data": [165] * n}
    s["altitude"] = {"data": [50.0] * n}
    s["velocity_smooth"] = {"data": [v] * n}
elif kind == "hill":
    s["distance"] = {"data": [3.0 * i for i in t]}
    s["velocity_smooth"] = {"data": [3.0] * n}
    s["grade_smooth"] = {"data": [10.0] * n}
elif kind == "hr":
    s["distance"] = {"data": [8.0 * i for i in t]}
    s["heartrate"] = {"data": [140] * n}
else:
    r = random.Random(seed)
    tt, x = [], 0
    for i in range(n):
        tt.append(x)
        x += 1 if r.random() > 0.02 else r.choice([3, 15, 60])
    s["time"] = {"data": tt}
    d, dist = 0.0, []
    for i in range(n):
        d += r.uniform(2, 9)
        dist.append(round(d, 1))
    s["distance"] = {"data": dist}
    if r.random() < 0.7:
        s["heartrate"] = {"data": [r.choice([0, 300]) if r.random() < 0.01 else r.randint(100, 185) for _ in range(n)]}
    if r.random() < 0.5:
        s["watts"] = {"data": [r.randint(0, 450) for _ in range(n)]}
    if r.random() < 0.5:
        s["latlng"] = {"data": [[46 + i * 1e-4 + r.uniform(-5e-5, 5e-5), 8 + math.sin(i / 50.0) * 1e-3] for i in range(n)]}
        s["altitude"] = {"data": [300 + 20 * math.sin(i / 200.0) for i in range(n)]}
print(json.dumps(s))
PY
}

# add_act ID SPORT LOCAL_START DIST MOVING MANUAL [GEAR]
add_act() {
	sql "INSERT INTO cairn_raw.activity (id, athlete_id, source, name, sport_type, start_date, start_date_local, distance, moving_time, elapsed_time, total_elevation_gain, manual, has_streams, gear_id, changed_at)
	     VALUES ($1, 1, 'api', 'act $1', '$2', '$3', '$3', $4, $5, $5, 0, $6, 1 - $6, ${7:-NULL}, NOW(6))
	     ON DUPLICATE KEY UPDATE sport_type = VALUES(sport_type), start_date = VALUES(start_date), start_date_local = VALUES(start_date_local), distance = VALUES(distance), moving_time = VALUES(moving_time), elapsed_time = VALUES(elapsed_time), manual = VALUES(manual), has_streams = VALUES(has_streams), deleted = 0, changed_at = NOW(6)"
}

# add_stream ID JSONFILE
add_stream() {
	local n
	n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["time"]["data"]))' "$2")
	sql "REPLACE INTO cairn_raw.activity_stream (activity_id, athlete_id, points, json) VALUES ($1, 1, $n, LOAD_FILE('$2'))" 2>/dev/null
	# LOAD_FILE needs FILE privilege and secure_file_priv: fall back to inline.
	if [ "$(sql "SELECT COUNT(*) FROM cairn_raw.activity_stream WHERE activity_id = $1 AND json IS NOT NULL")" != 1 ]; then
		python3 - "$1" "$2" "$n" <<'PY' > "$TMP/ins.sql"
import sys
aid, path, n = sys.argv[1], sys.argv[2], sys.argv[3]
js = open(path).read().replace("\\", "\\\\").replace("'", "\\'")
print(f"REPLACE INTO cairn_raw.activity_stream (activity_id, athlete_id, points, json) VALUES ({aid}, 1, {n}, '{js}');")
PY
		mariadb --no-defaults -S "$CAIRN_TEST_DB_SOCKET" -uroot < "$TMP/ins.sql"
	fi
}

run_tf() { # [ARGS]: run the transform quietly, keep its stderr
	"$TF" --config "$CAIRN_CONFIG" "$@" 2>"$TMP/tf.err"
}

q() { sql "$1" | head -n 1; }

# -------------------------------------------------------------- hand-made set
fresh_db
sql "INSERT INTO cairn_raw.athlete (id, firstname, sex, weight, ftp) VALUES (1, 'Ann', 'M', 70, 250)"
sql "INSERT INTO cairn_raw.gear (id, athlete_id, name, kind) VALUES ('b1', 1, 'Bike one', 'bike')"
sql "INSERT INTO cairn_app.setting (athlete_id, name, effective_from, value, source) VALUES
     (1, 'max_hr', '2020-01-01', '190', 'user'), (1, 'resting_hr', '2020-01-01', '50', 'user'),
     (1, 'threshold_hr', '2020-01-01', '165', 'user'), (1, 'threshold_pace', '2020-01-01', '240', 'user')"
gen_stream ride 3600 >"$TMP/s101.json"
gen_stream run 3600 >"$TMP/s102.json"
gen_stream hr 1800 >"$TMP/s104.json"
chmod 644 "$TMP"/*.json
chmod 755 "$TMP"
add_act 101 Ride '2024-03-01 08:00:00' 36000 3600 0 "'b1'"
add_act 102 Run '2024-03-02 08:00:00' 15000 3600 0
add_act 103 Run '2024-03-02 18:00:00' 5000 1500 1
add_act 104 Ride '2024-03-05 08:00:00' 14400 1800 0 "'b1'"
add_stream 101 "$TMP/s101.json"
add_stream 102 "$TMP/s102.json"
add_stream 104 "$TMP/s104.json"

stamp_hex() { od -An -tx1 "$(conf_get mart_stamp)" 2>/dev/null | tr -d ' \n'; }
st0=$(stamp_hex)
if run_tf; then ok "transform runs on the hand-made set"; else not_ok "transform runs on the hand-made set" "$(tail -n 3 "$TMP/tf.err")"; fi
st1=$(stamp_hex)
check "the transform rewrote the mart stamp after its commit (${#st1} hex digits)" test "${#st1}" -eq 32 -a "$st1" != "$st0"
check_eq "stats line printed" "$(grep -c '^transform-stats activities=4 seconds=' "$TMP/tf.err")" 1
check_eq "1 h at 250 W, FTP 250: NP, IF, TSS" "$(q "SELECT ROUND(np, 3), ROUND(intensity, 2), ROUND(tss_power, 1), load_kind FROM cairn_mart.activity WHERE id = 101")" $'250.000\t1.00\t100.0\tpower'
check_eq "1 h flat run at threshold pace: pace load 100, HR load 100" "$(q "SELECT ROUND(load_pace, 1), ROUND(load_hr, 1), load_kind FROM cairn_mart.activity WHERE id = 102")" $'100.0\t100.0\tpace'
check_eq "manual activity: NULL metrics, not zeros" "$(q "SELECT COALESCE(np, 'null'), COALESCE(training_load, 'null'), COALESCE(avg_hr, 'null'), COALESCE(trimp, 'null'), distance FROM cairn_mart.activity WHERE id = 103")" $'null\tnull\tnull\tnull\t5000'
check_eq "ride without power: HR load chosen" "$(q "SELECT load_kind, COALESCE(np, 'null') FROM cairn_mart.activity WHERE id = 104")" $'hr\tnull'
check_eq "best efforts at 10 m/s: 5/10/20 km = 500/1000/2000 s" "$(sql "SELECT distance, ROUND(elapsed, 3) FROM cairn_mart.best_effort WHERE activity_id = 101 ORDER BY distance" | tr '\n\t' ' :')" "5000:500.000 10000:1000.000 20000:2000.000 "
check_eq "best efforts at 4:00/km: 1 km 240 s, 5 km 1200 s" "$(sql "SELECT ROUND(elapsed, 3) FROM cairn_mart.best_effort WHERE activity_id = 102 AND distance IN (1000, 5000) ORDER BY distance" | tr '\n' ' ')" "240.000 1200.000 "
check_eq "day total 2024-03-02 (all): 2 activities, 20 km" "$(q "SELECT count, ROUND(distance) FROM cairn_mart.day_total WHERE athlete_id = 1 AND sport = 'all' AND day = '2024-03-02'")" $'2\t20000'
check_eq "ISO week of 2024-02-26: 3 activities, longest 36 km" "$(q "SELECT count, ROUND(longest) FROM cairn_mart.period_total WHERE athlete_id = 1 AND grain = 'week' AND sport = 'all' AND period_start = '2024-02-26'")" $'3\t36000'
check_eq "fitness 2024-03-01: CTL 2.35, ATL 13.31" "$(q "SELECT ROUND(ctl, 2), ROUND(atl, 2), ROUND(tsb, 2) FROM cairn_mart.fitness WHERE athlete_id = 1 AND day = '2024-03-01'")" $'2.35\t13.31\t0.00'
check_eq "fitness 2024-03-02: CTL 4.65, TSB = yesterday's CTL - ATL" "$(q "SELECT ROUND(ctl, 2), ROUND(tsb, 2) FROM cairn_mart.fitness WHERE athlete_id = 1 AND day = '2024-03-02'")" $'4.65\t-10.96'
check_eq "14 projected days after today" "$(q "SELECT COUNT(*), MIN(day), SUM(training_load) FROM cairn_mart.fitness WHERE athlete_id = 1 AND projected = 1")" $'14\t2024-03-11\t0'
check_eq "Eddington rides km: 36 and 14.4 km days give E 2, 1 more day" "$(q "SELECT e, next_needed FROM cairn_mart.eddington WHERE athlete_id = 1 AND sport = 'ride' AND unit = 'km'")" $'2\t1'
check_eq "record: run 1 km all-time is 102" "$(q "SELECT activity_id, ROUND(elapsed) FROM cairn_mart.record WHERE athlete_id = 1 AND sport_group = 'run' AND distance = 1000 AND scope = 'all' AND rnk = 1")" $'102\t240'
check_eq "power curve best all-time 1 s and 1000 s = 250" "$(sql "SELECT ROUND(value, 3) FROM cairn_mart.curve_best WHERE athlete_id = 1 AND kind = 'power' AND period = 'all' AND duration IN (1, 1000) ORDER BY duration" | tr '\n' ' ')" "250.000 250.000 "
check_eq "curve_best for year, 42 and 90 days" "$(sql "SELECT DISTINCT period FROM cairn_mart.curve_best WHERE athlete_id = 1 ORDER BY period" | tr '\n' ' ')" "all days:42 days:90 year:2024 "
check_eq "activity_curve power has n float32" "$(q "SELECT n, LENGTH(data) FROM cairn_mart.activity_curve WHERE activity_id = 101 AND kind = 'power'")" $'3600\t14400'
# laps, splits, intervals (docs/METRICS.md "Laps, splits and intervals")
check_eq "ride 36 km at 10 m/s: 7 splits of 5 km and a partial one of 990 m" "$(q "SELECT COUNT(*), MIN(source), SUM(elapsed), MIN(ROUND(distance)), MAX(ROUND(distance)) FROM cairn_mart.activity_lap WHERE activity_id = 101 AND kind = 'lap'")" $'8\tsplit\t3600\t990\t5000'
check_eq "ride 1 h at FTP: one interval of the whole hour, intensity 1, basis power" "$(q "SELECT COUNT(*), MIN(start_offset), MIN(elapsed), ROUND(MIN(intensity), 3), MIN(basis) FROM cairn_mart.activity_lap WHERE activity_id = 101 AND kind = 'interval'")" $'1\t0\t3600\t1.000\tpower'
check_eq "flat run at threshold pace: 15 km splits (the last partial), GAP = speed, 1 speed interval" "$(q "SELECT SUM(kind = 'lap'), SUM(kind = 'lap' AND ROUND(gap, 6) = ROUND(avg_speed, 6)), SUM(kind = 'interval' AND basis = 'speed') FROM cairn_mart.activity_lap WHERE activity_id = 102")" $'15\t15\t1'
check_eq "ride on HR at 85 % of threshold HR: no interval" "$(q "SELECT COUNT(*) FROM cairn_mart.activity_lap WHERE activity_id = 104 AND kind = 'interval'")" 0
check_eq "no NaN and no negative duration in activity_lap" "$(q "SELECT COUNT(*) FROM cairn_mart.activity_lap WHERE elapsed <= 0 OR moving_time > elapsed OR avg_speed <> avg_speed")" 0
# recorded laps of 104 (1800 s): three good ones, one of no duration, one
# of negative duration, one beyond the end, one overlapping the first
sql "INSERT INTO cairn_raw.activity_lap (activity_id, lap_index, athlete_id, source, start_offset, elapsed, distance) VALUES
     (104, 0, 1, 'fit', 0, 600, 4800), (104, 1, 1, 'fit', 600, 600, 4800), (104, 2, 1, 'fit', 1200, 700, 4800),
     (104, 3, 1, 'fit', 900, 0, 0), (104, 4, 1, 'fit', 900, -5, 0), (104, 5, 1, 'fit', 5000, 60, 10), (104, 6, 1, 'fit', 300, 400, 10)"
sql "UPDATE cairn_raw.activity SET changed_at = NOW(6) WHERE id = 104"
run_tf
check_eq "recorded laps: bad ones dropped, the overlap cut, the last clipped to 1800 s" "$(sql "SELECT start_offset, elapsed, source, ROUND(distance) FROM cairn_mart.activity_lap WHERE activity_id = 104 AND kind = 'lap' ORDER BY idx" | tr '\n\t' ' :')" "0:600:recorded:4800 600:100:recorded:800 700:500:recorded:4000 1200:600:recorded:4792 "
check_eq "API: the laps of 104 and no intervals" "$(curl -s "$CAIRN_URL/api/v1/activities/104" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["laps"]), d["laps"][0]["source"], d["laps"][0]["distance"], d["laps"][0]["avg_hr"], d["laps"][0]["elevation_gain"], d["intervals"])')" "4 recorded 4800.0 140.0 None []"
sql "INSERT INTO cairn_app.setting (athlete_id, name, effective_from, value, source) VALUES (1, 'units', '2020-01-01', 'imperial', 'user')"
run_tf
check_eq "units imperial: the run's splits per mile (9 and a partial)" "$(q "SELECT COUNT(*), ROUND(MIN(distance)), ROUND(MAX(distance)) FROM cairn_mart.activity_lap WHERE activity_id = 102 AND kind = 'lap'")" $'10\t508\t1613'
sql "DELETE FROM cairn_app.setting WHERE athlete_id = 1 AND name = 'units'"
run_tf
check_eq "gear b1: 2 rides, 50.4 km" "$(q "SELECT count, ROUND(distance) FROM cairn_mart.gear WHERE id = 'b1'")" $'2\t50400'
check_eq "straight route simplified to 2 points" "$(q "SELECT LENGTH(polyline) < 20 FROM cairn_mart.route WHERE activity_id = 101")" 1
check_eq "cleaned stream stored compressed (3600 points)" "$(q "SELECT points, LEFT(data, 4), LENGTH(data) < 3600 * 4 FROM cairn_mart.activity_stream WHERE activity_id = 101")" $'3600\tSPKZ\t1'
check_eq "power zones: the hour at FTP lies in zone 4" "$(q "SELECT zone, seconds FROM cairn_mart.activity_zone WHERE activity_id = 101 AND kind = 'power' AND seconds > 0")" $'4\t3600'
# power models (docs/METRICS.md "Power models"): 101 rides at CP (FTP 250, no cp setting) so W'bal stays
# at the default W' 20000 J; its estimate is the closed form at 10 m/s on the flat at 100 m for 70 + 8 kg
est101=$(python3 -c 'rho = 1.225 * (1 - 0.0065 * 100 / 288.15) ** 4.25588
print("%.1f" % ((78 * 9.80665 * 0.005 * 10 + 0.5 * rho * 0.32 * 1000) / 0.976))')
check_eq "ride 101: W'bal min 20000 J, est avg = est NP = $est101 W (closed form), EF 250/150" "$(q "SELECT ROUND(wbal_min), ROUND(est_avg_power, 1), ROUND(est_np, 1), ROUND(ef, 4), power_estimated FROM cairn_mart.activity WHERE id = 101")" "$(printf '20000\t%s\t%s\t1.6667\t0' "$est101" "$est101")"
check_eq "run 102: EF = 250 m/min / 165 bpm; no W'bal, no estimate" "$(q "SELECT ROUND(ef, 4), COALESCE(wbal_min, 'null'), COALESCE(est_np, 'null') FROM cairn_mart.activity WHERE id = 102")" $'1.5152\tnull\tnull'
check_eq "ride 104 without power or altitude: no W'bal, no estimate, no EF" "$(q "SELECT COALESCE(wbal_min, 'null'), COALESCE(est_avg_power, 'null'), COALESCE(ef, 'null'), power_estimated FROM cairn_mart.activity WHERE id = 104")" $'null\tnull\tnull\t0'
check_eq "manual 103: NULL power models" "$(q "SELECT COALESCE(ef, 'null'), COALESCE(est_np, 'null'), power_estimated FROM cairn_mart.activity WHERE id = 103")" $'null\tnull\t0'
check_eq "settings in force: Strava FTP, user max HR" "$(sql "SELECT name, value, source FROM cairn_mart.setting_in_force WHERE athlete_id = 1 AND name IN ('ftp', 'max_hr')" | tr '\n\t' ' :')" "ftp:250:strava max_hr:190:user "
check_eq "model_day: a row per day from the sport's first activity to today; a flat curve has no W': negative_w_prime" "$(sql "SELECT sport, COUNT(*), MIN(day), MAX(day), GROUP_CONCAT(DISTINCT reason), COUNT(cp), COUNT(cs) FROM cairn_mart.model_day WHERE athlete_id = 1 GROUP BY sport ORDER BY sport" | tr '\n\t' ' :')" "ride:10:2024-03-01:2024-03-10:negative_w_prime:0:0 run:9:2024-03-02:2024-03-10:negative_w_prime:0:0 "
v1=$(q "SELECT mart_version FROM cairn_mart.athlete WHERE id = 1")
st1=$(stamp_hex)
run_tf
check_eq "no change: the mart stamp stays" "$(stamp_hex)" "$st1"
check_eq "no change: mart_version stays" "$(q "SELECT mart_version FROM cairn_mart.athlete WHERE id = 1")" "$v1"
check_eq "no change: nothing recomputed" "$(grep -c 'transform-stats activities=0 ' "$TMP/tf.err")" 1

# Grade-adjusted pace (docs/METRICS.md): flat run 102 has GAP = pace (its
# summary has no average speed: distance / moving seconds, 3599 of 3600
# seconds covering ground); a ride has none.
check_eq "flat run: GAP = pace; a ride: no GAP" "$(sql "SELECT id, COALESCE(ROUND(gap, 6), 'null') FROM cairn_mart.activity WHERE id IN (101, 102) ORDER BY id" | tr '\n\t' ' :')" "101:null 102:$(python3 -c 'print("%.6f" % (1000 / 240 * 3599 / 3600))') "
check_eq "flat run: the GAP curve is the best-speed curve" "$(q "SELECT COUNT(*), SUM(g.data = s.data) FROM cairn_mart.curve_grid g JOIN cairn_mart.curve_grid s ON s.activity_id = g.activity_id AND s.kind = 'speed' WHERE g.kind = 'gap'")" $'1\t1'
check_eq "GAP curves only for runs (curve_best kind gap)" "$(sql "SELECT DISTINCT sport_group FROM cairn_mart.curve_best WHERE kind = 'gap' ORDER BY 1" | tr '\n' ' ')" "run "
check_eq "flat run: the gap stream through the API equals velocity_smooth" "$(curl -s "$CAIRN_URL/api/v1/activities/102/streams?keys=velocity_smooth,gap&points=50" | python3 -c 'import json,sys; s=json.load(sys.stdin)["streams"]; print(len(s["gap"]), s["gap"] == s["velocity_smooth"])')" "50 True"
gen_stream hill 600 >"$TMP/s105.json"
chmod 644 "$TMP/s105.json"
add_act 105 Run '2024-03-06 08:00:00' 1800 600 0
sql "UPDATE cairn_raw.activity SET average_speed = 3 WHERE id = 105"
add_stream 105 "$TMP/s105.json"
run_tf
check_eq "3 m/s up 10 %: GAP 3 * 1.6578372^0.83 = 4.563951 m/s" "$(q "SELECT ROUND(gap, 6) FROM cairn_mart.activity WHERE id = 105")" 4.563951
check_eq "3 m/s up 10 %: the gap stream through the API" "$(curl -s "$CAIRN_URL/api/v1/activities/105/streams?keys=gap&points=10" | python3 -c 'import json,sys; print(sorted(set(json.load(sys.stdin)["streams"]["gap"])))')" "[4.564]"
check_eq "GAP curve of runs: 5 min best is the hill (4.564 m/s), 20 min the flat hour" "$(curl -s "$CAIRN_URL/api/v1/curves/gap?sport=run" | python3 -c 'import json,sys; p={x["duration"]: (x["value"], x["activity_id"]) for x in json.load(sys.stdin)["points"]}; print(p.get(300), p.get(1200, (None, None))[1])')" "(4.564, 105) 102"

# -------------------------------------------------------------- incremental == full
dump() { # print every mart table in a fixed order
	local t
	for t in activity activity_stream activity_zone activity_curve curve_grid curve_best best_effort record pr_event fitness day_total period_total eddington gear route setting_in_force model_day activity_lap; do
		echo "== $t"
		sql "SELECT * FROM cairn_mart.$t" | LC_ALL=C sort
	done
	echo "== athlete"
	sql "SELECT id, firstname, activity_count FROM cairn_mart.athlete ORDER BY id"
}

# CAIRN_TEST_SEED repeats a sequence; CAIRN_TEST_STOP=1 stops at the first mismatch and keeps the dumps in /tmp.
seed=${CAIRN_TEST_SEED:-$RANDOM}
echo "# random sequence seed $seed"
steps=0
same=0
next_id=200
RANDOM=$seed
for ((step = 0; step < 12; step++)); do
	op=$((RANDOM % 5))
	ids=$(sql "SELECT id FROM cairn_raw.activity WHERE athlete_id = 1 AND deleted = 0 AND id >= 200 ORDER BY id")
	[ -z "$ids" ] && op=0
	pick=$(echo "$ids" | shuf -n 1 --random-source=<(yes $((seed + step))) 2>/dev/null || true)
	day=$(printf '2024-%02d-%02d 07:%02d:00' $((1 + RANDOM % 3)) $((1 + RANDOM % 28)) $((RANDOM % 60)))
	case $op in
	0 | 1) # add
		sports=(Ride Run VirtualRide TrailRun Swim Walk)
		sp=${sports[$((RANDOM % 6))]}
		gen_stream rand $((300 + RANDOM % 2500)) $((seed + step)) >"$TMP/r.json"
		chmod 644 "$TMP/r.json"
		add_act $next_id "$sp" "$day" $((RANDOM % 40000)) $((600 + RANDOM % 4000)) 0
		add_stream $next_id "$TMP/r.json"
		if ((RANDOM % 2)); then # recorded laps, some of them bad
			sql "INSERT INTO cairn_raw.activity_lap (activity_id, lap_index, athlete_id, source, start_offset, elapsed) VALUES
			     ($next_id, 0, 1, 'strava', 0, $((60 + RANDOM % 600))), ($next_id, 1, 1, 'strava', 400, $((RANDOM % 900 - 100))),
			     ($next_id, 2, 1, 'strava', $((RANDOM % 4000)), 300)"
		fi
		what="add $next_id $sp"
		next_id=$((next_id + 1))
		;;
	2) # edit: move the date and new streams
		gen_stream rand $((300 + RANDOM % 2500)) $((seed + step + 1000)) >"$TMP/r.json"
		chmod 644 "$TMP/r.json"
		sql "UPDATE cairn_raw.activity SET start_date_local = '$day', start_date = '$day', name = 'edited', changed_at = NOW(6) WHERE id = $pick"
		add_stream "$pick" "$TMP/r.json"
		what="edit $pick"
		;;
	3) # delete (tombstone)
		sql "UPDATE cairn_raw.activity SET deleted = 1, changed_at = NOW(6) WHERE id = $pick"
		what="delete $pick"
		;;
	4) # settings change, dated (FTP, or what the power models read), with a
		# recompute request or (a row written by hand) without: the transform
		# finds the day itself
		names=(ftp ftp cp w_prime weight cda use_estimated_power)
		name=${names[$((RANDOM % 7))]}
		case $name in
		w_prime) val=$((15000 + RANDOM % 10000)) ;;
		weight) val=$((55 + RANDOM % 40)) ;;
		cda) val=0.$((25 + RANDOM % 15)) ;;
		use_estimated_power) val=$((RANDOM % 2)) ;;
		*) val=$((200 + RANDOM % 100)) ;;
		esac
		sql "REPLACE INTO cairn_app.setting (athlete_id, name, effective_from, value, source) VALUES (1, '$name', '${day:0:10}', '$val', 'user')"
		what="$name $val from ${day:0:10}"
		if ((RANDOM % 2)); then
			sql "INSERT INTO cairn_app.recompute_request (athlete_id, from_date, reason) VALUES (1, '${day:0:10}', 'settings')"
			what="$what (with a request)"
		fi
		;;
	esac
	steps=$((steps + 1))
	if ! run_tf; then
		not_ok "incremental run after: $what" "$(tail -n 3 "$TMP/tf.err")"
		continue
	fi
	dump >"$TMP/inc.txt"
	cp "$TMP/tf.err" "$TMP/tf_inc.err"
	run_tf --full || not_ok "full run after: $what" "$(tail -n 3 "$TMP/tf.err")"
	dump >"$TMP/full.txt"
	if cmp -s "$TMP/inc.txt" "$TMP/full.txt"; then
		same=$((same + 1))
	else
		not_ok "incremental == full after step $step ($what)" "$(diff "$TMP/inc.txt" "$TMP/full.txt" | head -n 5 | tr '\n' '|')"
		if [ -n "${CAIRN_TEST_STOP:-}" ]; then cp "$TMP/inc.txt" "$TMP/full.txt" "$TMP/tf_inc.err" /tmp/; break; fi
	fi
done
check_eq "incremental == full after each of $steps random steps (seed $seed)" "$same" "$steps"

# A dated setting redoes the activities from its day on, not the whole
# history (docs/METRICS.md "Settings in force"), and still equals --full.
run_tf
d=$(q "SELECT local_date FROM cairn_mart.activity WHERE athlete_id = 1 ORDER BY local_date DESC LIMIT 1 OFFSET 2")
want=$(q "SELECT COUNT(*) FROM cairn_mart.activity WHERE athlete_id = 1 AND local_date >= '$d'")
total=$(q "SELECT COUNT(*) FROM cairn_mart.activity WHERE athlete_id = 1")
sql "REPLACE INTO cairn_app.setting (athlete_id, name, effective_from, value, source) VALUES (1, 'threshold_pace', '$d', '251', 'model')"
run_tf || not_ok "transform after a dated setting" "$(tail -n 3 "$TMP/tf.err")"
check_eq "a setting from $d recomputes the $want activities from that day (of $total)" \
	"$(grep -oE 'transform-stats activities=[0-9]+' "$TMP/tf.err" | cut -d= -f2)" "$want"
[ "$want" -lt "$total" ] && ok "the dated setting's day leaves older activities out" ||
	not_ok "the dated setting's day leaves older activities out" "$want of $total"
dump >"$TMP/inc.txt"
run_tf --full
dump >"$TMP/full.txt"
cmp -s "$TMP/inc.txt" "$TMP/full.txt" && ok "incremental == full after the dated setting" ||
	not_ok "incremental == full after the dated setting" "$(diff "$TMP/inc.txt" "$TMP/full.txt" | head -n 5 | tr '\n' '|')"
check_eq "a model-sourced setting is in force with its source" \
	"$(q "SELECT value, source FROM cairn_mart.setting_in_force WHERE athlete_id = 1 AND name = 'threshold_pace' AND effective_from = '$d'")" \
	"$(printf '251\tmodel')"
# The marts do not depend on how many threads compute the activities.
run_tf --full && dump >"$TMP/threads-default.txt"
for n in 0 1 3; do
	CAIRN_TRANSFORM_THREADS=$n run_tf --full || not_ok "full run with $n compute threads" "$(tail -n 3 "$TMP/tf.err")"
	dump >"$TMP/threads-$n.txt"
	if cmp -s "$TMP/threads-default.txt" "$TMP/threads-$n.txt"; then
		ok "--full with transform_threads = $n gives the same marts as with one per CPU"
	else
		not_ok "--full with transform_threads = $n gives the same marts as with one per CPU" \
			"$(diff "$TMP/threads-default.txt" "$TMP/threads-$n.txt" | head -n 5 | tr '\n' '|')"
	fi
done
check_eq "recompute requests marked done" "$(q "SELECT COUNT(*) FROM cairn_app.recompute_request WHERE done_at IS NULL")" 0

printf '# %d passed, %d failed\n' "$T_PASS" "$T_FAIL"
[ "$T_FAIL" -eq 0 ]
