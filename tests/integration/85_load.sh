#!/usr/bin/env bash
# 85_load.sh: load and faults together: wrk on every API route while the transform rebuilds, MariaDB restarts twice and a sync meets Strava faults
#
# Timeline (LOAD_SECONDS, default 60; 300 for a long run), wrk -c64 throughout:
#   first 15%   quiet: answers compared with the marts by SQL (load_check.py)
#   15% .. 80%  cairn-transform --full in a loop; cairn-extract sync in a loop
#               against a private local Strava that has faults armed (5xx,
#               slow and truncated answers) and gets a new activity each round;
#               MariaDB stopped for 4 s at 30% and at 60% (tools/stack.sh)
#   last 20%    ETL stopped, quiet again: answers compared with the marts
# Then: the cairn-api process is the same, all its workers answer, every
# non-200 answer fell inside an outage and was a 503, the ETL programs never
# crashed, a clean sync stores every activity the local Strava has, and the
# memory (VmRSS) of cairn-api and nginx stays flat (bound below).
# Everything stays on 127.0.0.1. Leaves the test database with the demo data.
source "$(dirname "$0")/lib.sh"

LOAD=${LOAD_SECONDS:-60}
[ "$LOAD" -ge 30 ] || LOAD=30
STACK="$CAIRN_ROOT/tools/stack.sh"
TMP=$(mktemp -d)
T_CLEANUP+=("rm -rf '$TMP'")
HERE="$CAIRN_ROOT/tests/integration"
LOG_KEEP="$CAIRN_VAR/log/load"
mkdir -p "$LOG_KEEP"
# Memory bound: after warm-up (the end of the first quiet period), the median
# RSS of the last quarter may exceed the warm-up median by at most 10% + 4 MB.
RSS_PCT=10
RSS_SLACK_KB=4096

command -v wrk >/dev/null || { not_ok "wrk is installed" "apt-get install wrk"; exit 1; }

# ---------------------------------------------------------------- data
fresh_db
start_fake --count 40 --short-limit 1000000 --daily-limit 10000000 --seed 21 || { not_ok "the local Strava starts"; exit 1; }
# http_timeout: a truncated answer whose connection stays open must not stall
# a sync for the default minute (the loop has to stop on time).
CONF=$(conf_with "strava_api_url=$FAKE_URL/api/v3" "strava_oauth_url=$FAKE_URL/oauth" "log_level=warn" "http_timeout=8")
T_CLEANUP+=("rm -f '$CONF'")
code=$(fake_code)
printf '%s\n' "$code" | "$CAIRN_BIN/cairn-extract" --config "$CONF" auth --code - >/dev/null 2>&1
"$CAIRN_BIN/cairn-extract" --config "$CONF" sync >"$TMP/sync0.log" 2>&1 &&
	"$CAIRN_BIN/cairn-transform" --config "$CONF" >>"$TMP/sync0.log" 2>&1 ||
	{ not_ok "the initial sync and transform succeed" "$(tail -n 2 "$TMP/sync0.log")"; exit 1; }
n0=$(sql "SELECT COUNT(*) FROM cairn_mart.activity")
check_eq "the initial sync and transform give 40 activities" "$n0" "40"

# Every GET route, with typical parameters.
aid=$(sql "SELECT id FROM cairn_mart.activity WHERE has_streams = 1 ORDER BY id LIMIT 1")
year=$(sql "SELECT YEAR(MAX(local_date)) FROM cairn_mart.activity")
cat >"$TMP/paths" <<EOF
/api/v1/health
/api/v1/me
/api/v1/settings
/api/v1/summary?group=week
/api/v1/summary?group=month&sport=run
/api/v1/summary?group=year&format=csv
/api/v1/cumulative?sport=ride
/api/v1/calendar?year=$year&metric=load
/api/v1/activities?limit=50
/api/v1/activities?sort=distance&order=asc&limit=20&sport=run
/api/v1/activities?q=Run&limit=10
/api/v1/activities?format=csv&limit=50
/api/v1/activities/$aid
/api/v1/activities/$aid/streams?points=500
/api/v1/fitness
/api/v1/zones?kind=power&group=week
/api/v1/zones?kind=hr
/api/v1/curves/power?period=all
/api/v1/curves/hr?period=days:90
/api/v1/curves/pace?period=year:$year
/api/v1/records
/api/v1/records?sport=run&format=csv
/api/v1/eddington?sport=run&unit=mi
/api/v1/gear
/api/v1/heatmap?sport=ride
/api/v1/openapi.json
EOF
bad=0
while read -r p; do
	c=$(curl -s -o /dev/null -w '%{http_code}' "$CAIRN_URL$p")
	[ "$c" = 200 ] || { bad=$((bad + 1)); echo "# $p answers $c"; }
done <"$TMP/paths"
check_eq "every route in the load mix answers 200 before the load ($(wc -l <"$TMP/paths") routes)" "$bad" "0"

api_pid=$(cat "$CAIRN_VAR/run/api.pid")
threads0=$(ls "/proc/$api_pid/task" | wc -l)
nginx_pids=$(pgrep -P "$(cat "$CAIRN_VAR/run/nginx.pid")" | tr '\n' ' ')

# ---------------------------------------------------------------- helpers
T0=$(date +%s)
at() { # seconds since T0: sleep until then
	local d=$(($1 - ($(date +%s) - T0)))
	[ "$d" -gt 0 ] && sleep "$d"
	return 0
}
mark() { echo "$(date +%s.%N) $*" >>"$TMP/events"; }

rss_sampler() {
	local p
	while [ -d "$TMP" ] && [ ! -e "$TMP/stop-rss" ]; do
		for p in "$api_pid" $nginx_pids; do
			echo "$(date +%s) $p $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null)"
		done >>"$TMP/rss"
		sleep 2
	done
}

transform_loop() {
	local rc
	while [ -d "$TMP" ] && [ ! -e "$TMP/stop-etl" ]; do
		/usr/bin/time -a -o "$TMP/transform.rss" -f '%x %M' \
			"$CAIRN_BIN/cairn-transform" --config "$CONF" --full >>"$TMP/transform.log" 2>&1
		rc=$?
		echo "$(date +%s) $rc" >>"$TMP/transform.rc"
		[ "$rc" -ne 0 ] && sleep 1
	done
}

sync_loop() {
	local rc i=0
	while [ -d "$TMP" ] && [ ! -e "$TMP/stop-etl" ]; do
		i=$((i + 1))
		# A fresh set each round (runs that died in an outage leave theirs armed).
		curl -sf -X POST "$FAKE_URL/_fake/faults/clear" >/dev/null
		curl -sf -X POST "$FAKE_URL/_fake/faults" -d '[{"path":"streams","status":500,"count":2},
			{"path":"list","delay":2,"count":1},{"path":"streams","truncate":true,"count":1},
			{"path":"activity","status":503,"count":1},{"path":"streams","delay":1.5,"count":1}]' >/dev/null
		curl -sf -X POST "$FAKE_URL/_fake/activity" -d "{\"athlete\":1001,\"sport\":\"Run\",\"duration\":1800,
			\"start_date\":\"$(date -u -d "-$((i * 2 + 30)) hours" +%Y-%m-%dT%H:00:00Z)\"}" >/dev/null
		/usr/bin/time -a -o "$TMP/extract.rss" -f '%x %M' \
			"$CAIRN_BIN/cairn-extract" --config "$CONF" sync >>"$TMP/extract.log" 2>&1
		rc=$?
		echo "$(date +%s) $rc" >>"$TMP/extract.rc"
		sleep 1
	done
}

# ---------------------------------------------------------------- the run
mark start
LOAD_PATHS="$TMP/paths" LOAD_OUT="$TMP/wrk.out" \
	wrk -t2 -c64 -d"${LOAD}s" --timeout 10s -s "$HERE/load_wrk.lua" "$CAIRN_URL" >"$TMP/wrk.txt" 2>&1 &
wrk_pid=$!
rss_sampler &
rss_pid=$!
T_CLEANUP=("touch '$TMP/stop-rss' '$TMP/stop-etl'; kill $wrk_pid 2>/dev/null; wait $wrk_pid $rss_pid \${tl_pid:-} \${sl_pid:-} 2>/dev/null" "${T_CLEANUP[@]}")

at $((LOAD * 10 / 100))
mark quiet1-check
python3 "$HERE/load_check.py" "under load, before the faults" "$CAIRN_URL" "$CAIRN_TEST_DB_SOCKET" >"$TMP/check1" 2>&1
mark quiet1-end

at $((LOAD * 15 / 100))
transform_loop &
tl_pid=$!
sync_loop &
sl_pid=$!

outage() { # seconds-offset
	at "$1"
	mark down
	"$STACK" db-stop >/dev/null 2>&1
	sleep 4
	"$STACK" db-start >/dev/null 2>&1 || echo "db-start failed" >>"$TMP/errors"
	mark up
}
outage $((LOAD * 30 / 100))
outage $((LOAD * 60 / 100))

at $((LOAD * 80 / 100))
touch "$TMP/stop-etl"
mark etl-stopping
wait "$tl_pid" "$sl_pid"
mark etl-stopped
# A transform after the last sync, so that the marts hold everything synced.
"$CAIRN_BIN/cairn-transform" --config "$CONF" >>"$TMP/transform.log" 2>&1
echo "$(date +%s) $?" >>"$TMP/transform.rc"
mark quiet2
python3 "$HERE/load_check.py" "under load, after the faults" "$CAIRN_URL" "$CAIRN_TEST_DB_SOCKET" >"$TMP/check2" 2>&1
wait "$wrk_pid"
touch "$TMP/stop-rss"
wait "$rss_pid"
mark end
cp "$TMP"/wrk.* "$TMP"/events "$TMP"/rss "$TMP"/*.rc "$TMP"/*.log "$LOG_KEEP/" 2>/dev/null

# ---------------------------------------------------------------- verdicts
cat "$TMP/check1" "$TMP/check2"

[ -s "$TMP/errors" ] && not_ok "MariaDB restarts" "$(cat "$TMP/errors")"
check_eq "the same cairn-api process serves on after the load" "$(cat "$CAIRN_VAR/run/api.pid" 2>/dev/null)" "$api_pid"
check "cairn-api ($api_pid) is alive" kill -0 "$api_pid"
check_eq "cairn-api has as many threads as before" "$(ls "/proc/$api_pid/task" 2>/dev/null | wc -l)" "$threads0"
# All workers answer: more concurrent requests than workers, each must be 200.
workers=$(conf_get api_workers)
codes=$(for ((i = 0; i < workers * 4; i++)); do
	curl -s -o /dev/null -m 10 -w '%{http_code}\n' "$CAIRN_URL/api/v1/summary?group=week" &
done; wait)
check_eq "$((workers * 4)) concurrent requests after the load all answer 200" \
	"$(printf '%s\n' "$codes" | grep -c '^200$')" "$((workers * 4))"

python3 - "$TMP/wrk.out" "$TMP/events" "$LOAD" <<'PY'
import sys
counts, bodies, summary = {}, [], ""
for line in open(sys.argv[1]):
    if line.startswith("# body"):
        bodies.append(line[7:].strip())
    elif line.startswith("#"):
        summary += line[2:].strip() + "; "
    else:
        t, s, n = map(int, line.split())
        counts[(t, s)] = counts.get((t, s), 0) + n
ev = [l.split() for l in open(sys.argv[2])]
downs = [float(t) for t, e in ev if e == "down"]
ups = [float(t) for t, e in ev if e == "up"]
# An outage lasts from the stop command until 2 s after MariaDB is back;
# wrk counts by whole seconds, so one second of slack on each side.
windows = [(d - 1, u + 3) for d, u in zip(downs, ups)]
inside = lambda t: any(a <= t <= b for a, b in windows)
def res(good, name, why=""):
    print(("ok - " if good else "not ok - ") + name + ("" if good else " # " + why))
total = sum(counts.values())
res(total > 0, "wrk sent requests across every route for %s s (%d answers; %s)" % (sys.argv[3], total, summary.strip("; ")))
by_status = {}
for (t, s), n in counts.items():
    by_status[s] = by_status.get(s, 0) + n
res(set(by_status) <= {200, 503}, "every answer is 200 or 503 (%s)" % by_status, "bodies: %s" % bodies[:4])
outside = {s: n for (t, s), n in counts.items() if s != 200 and not inside(t)}
res(not outside, "no error outside the MariaDB outages", "outside: %s; bodies: %s" % (outside, bodies[:4]))
n503 = sum(n for (t, s), n in counts.items() if s == 503)
res(n503 > 0, "the outages were seen by clients as 503 (%d answers)" % n503, "no 503 at all: were the outages real?")
res("timeout 0" in summary, "wrk saw no request time out", summary)
PY

# ETL programs: no crash (a signal or an unexpected status) under faults.
python3 - "$TMP/extract.rc" "$TMP/transform.rc" <<'PY'
import sys
def res(good, name, why=""):
    print(("ok - " if good else "not ok - ") + name + ("" if good else " # " + why))
for f, name, allowed in ((sys.argv[1], "cairn-extract sync", {0, 1, 3}), (sys.argv[2], "cairn-transform --full", {0, 1, 3})):
    try:
        rcs = [int(l.split()[1]) for l in open(f)]
    except OSError:
        rcs = []
    hist = {r: rcs.count(r) for r in sorted(set(rcs))}
    res(len(rcs) > 0 and set(rcs) <= allowed, "%s ran %d times under faults, exit statuses %s, never a crash" % (name, len(rcs), hist),
        "statuses %s (allowed %s)" % (hist, sorted(allowed)))
    res(0 in rcs, "%s succeeded at least once during the faults" % name, "statuses %s" % hist)
PY

# Nothing lost: a clean sync now stores exactly what the local Strava has.
curl -sf -X POST "$FAKE_URL/_fake/faults/clear" >/dev/null
"$CAIRN_BIN/cairn-extract" --config "$CONF" sync >>"$TMP/extract.log" 2>&1
rc=$?
"$CAIRN_BIN/cairn-transform" --config "$CONF" >>"$TMP/transform.log" 2>&1
want=$(curl -sf "$FAKE_URL/_fake/athletes" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["activities"])')
got=$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE deleted = 0")
mart=$(sql "SELECT COUNT(*) FROM cairn_mart.activity")
check_eq "after the faults a clean sync exits 0" "$rc" "0"
check_eq "raw holds every activity of the local Strava (nothing lost, no duplicate)" "$got" "$want"
check_eq "the marts hold every activity" "$mart" "$want"
dups=$(sql "SELECT COUNT(*) FROM (SELECT start_date FROM cairn_raw.activity GROUP BY athlete_id, start_date HAVING COUNT(*) > 1) d")
check_eq "no activity is stored twice (same start)" "$dups" "0"

# Memory: flat after warm-up. A sanitized cairn-api keeps freed memory in
# quarantine, so its RSS says nothing there; LeakSanitizer, whose reports
# tools/test.sh turns into failures, judges it instead.
san=0
case "$CAIRN_BIN" in */san/*) san=1 ;; esac
python3 - "$TMP/rss" "$TMP/events" "$api_pid" "$RSS_PCT" "$RSS_SLACK_KB" "$san" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
ev = {e: float(t) for t, e in (l.split() for l in open(sys.argv[2]))}
api, pct, slack = sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
def res(good, name, why=""):
    print(("ok - " if good else "not ok - ") + name + ("" if good else " # " + why))
pids = sorted({r[1] for r in rows}, key=lambda p: p != api)
for p in pids:
    if p == api and sys.argv[6] == "1":
        print("# cairn-api RSS trend not judged: sanitizer build (LeakSanitizer judges it)")
        continue
    s = [(int(r[0]), int(r[2])) for r in rows if r[1] == p and len(r) == 3]
    if len(s) < 8:
        res(False, "memory of pid %s sampled" % p, "only %d samples" % len(s))
        continue
    warm = [v for t, v in s if t <= ev["quiet1-end"]] or [s[0][1]]
    last = [v for t, v in s[-max(2, len(s) // 4):]]
    base, end, peak = statistics.median(warm), statistics.median(last), max(v for t, v in s)
    bound = base * (1 + pct / 100) + slack
    who = "cairn-api" if p == api else "nginx worker %s" % p
    res(end <= bound, "memory of %s is flat: RSS %d kB after warm-up, %d kB at the end (bound %d), peak %d kB, %d samples"
        % (who, base, end, bound, peak, len(s)), "grew from %d to %d kB" % (base, end))
PY
# The ETL programs: peak RSS of the successful runs does not grow run after run.
# Not under sanitizers: their quarantine of freed memory grows RSS by design.
case "$CAIRN_BIN" in
*/san/*) echo "# ETL peak-memory comparison not made: sanitizer build" ;;
*) python3 - "$TMP/transform.rss" "$TMP/extract.rss" "$RSS_PCT" "$RSS_SLACK_KB" <<'PY'
import sys
pct, slack = float(sys.argv[3]), int(sys.argv[4])
def res(good, name, why=""):
    print(("ok - " if good else "not ok - ") + name + ("" if good else " # " + why))
for f, name in ((sys.argv[1], "cairn-transform --full"), (sys.argv[2], "cairn-extract sync")):
    try:
        runs = [l.split() for l in open(f) if l[:1].isdigit()]
    except OSError:
        runs = []
    peaks = [int(m) for x, m in runs if x == "0"]
    if len(peaks) < 2:
        print("# %s: %d successful runs, too few to compare peak memory" % (name, len(peaks)))
        continue
    first, rest = peaks[0], peaks[1:]
    bound = first * (1 + pct / 100) + slack
    res(max(rest) <= bound, "peak memory of %s is flat across %d runs: %d kB first, %d kB at most after (bound %d)"
        % (name, len(peaks), first, max(rest), bound), "peaks %s" % peaks)
PY
	;;
esac
cp "$TMP"/*.rss "$LOG_KEEP/" 2>/dev/null
echo "# logs of this run: $LOG_KEEP"
