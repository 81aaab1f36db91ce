#!/usr/bin/env bash
# scale_probe.sh: measures what one machine holds (storage and transform time per activity, API requests per second) for docs/SCALING.md
#
# usage: CAIRN_PORT=P tools/stack.sh start; CAIRN_PORT=P tools/scale_probe.sh
# WIPES the stack's database (fresh_db), then: imports PROBE_FILES synthetic
# 1 Hz GPX activities (tests/integration/soak_gpx.py, 30-60 min each) for one
# athlete, runs cairn-transform --full, reads the table sizes from
# information_schema, and runs wrk (PROBE_SECONDS each, 127.0.0.1 only) on
# the dashboard's routes at 8 and 64 connections. Prints `name value unit`
# lines and writes build/scale/probe.txt.
# Environment: PROBE_FILES (360, one year at one a day), PROBE_SECONDS (10).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=/dev/null
source tests/integration/lib.sh
N=${PROBE_FILES:-360}
SECS=${PROBE_SECONDS:-10}
OUT="$ROOT/build/scale"
mkdir -p "$OUT"
RES="$OUT/probe.txt"
: >"$RES"
put() { printf '%-40s %12s  %s\n' "$1" "$2" "$3" | tee -a "$RES"; }
now_ms() { date +%s%3N; }

{
	echo "# machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo) RAM"
	echo "# MariaDB $(mariadb --version | sed 's/.*Distrib \([^,]*\).*/\1/;s/.* \([0-9.]*-MariaDB\).*/\1/'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$RES"

fresh_db >/dev/null
if [ "$(find "$OUT/gpx" -name '*.gpx' 2>/dev/null | wc -l)" != "$N" ]; then
	rm -rf "$OUT/gpx"
	python3 tests/integration/soak_gpx.py "$OUT/gpx" "$N" 3
fi
t0=$(now_ms)
"$CAIRN_BIN/cairn-import" --config "$CAIRN_CONFIG" --no-progress --athlete 1001 "$OUT/gpx" >"$OUT/import.log" 2>&1 ||
	{ echo "scale_probe: import failed (see $OUT/import.log)" >&2; exit 1; }
t1=$(now_ms)
"$CAIRN_BIN/cairn-transform" --config "$CAIRN_CONFIG" --full >"$OUT/transform.log" 2>&1 ||
	{ echo "scale_probe: transform failed (see $OUT/transform.log)" >&2; exit 1; }
t2=$(now_ms)
acts=$(sql "SELECT COUNT(*) FROM cairn_raw.activity")
put "activities (1 athlete, 1 Hz, 30-60 min)" "$acts" ""
put "import" "$(awk -v a="$acts" -v ms=$((t1 - t0)) 'BEGIN {printf "%.1f", a / (ms / 1000)}')" "activities/s"
put "transform --full" "$(awk -v a="$acts" -v ms=$((t2 - t1)) 'BEGIN {printf "%.1f", ms / a}')" "ms/activity"
sql "ANALYZE TABLE cairn_raw.activity, cairn_raw.activity_stream, cairn_mart.activity, cairn_mart.activity_stream, cairn_mart.curve_grid, cairn_mart.activity_curve" >/dev/null
for s in cairn_raw cairn_mart; do
	kb=$(sql "SELECT ROUND(SUM(data_length + index_length) / 1024) FROM information_schema.tables WHERE table_schema = '$s'")
	put "$s size" "$(awk -v k="$kb" -v a="$acts" 'BEGIN {printf "%.1f", k / a}')" "kB/activity (InnoDB pages, $kb kB total)"
done
sql "SELECT table_schema, table_name, ROUND((data_length + index_length) / 1024) FROM information_schema.tables
	WHERE table_schema IN ('cairn_raw', 'cairn_mart') AND data_length + index_length > 1048576 ORDER BY 3 DESC" |
	while IFS=$'\t' read -r s t kb; do echo "#   $s.$t: $kb kB"; done | tee -a "$RES"

# API throughput on the dashboard's routes, through nginx.
aid=$(sql "SELECT id FROM cairn_mart.activity ORDER BY id LIMIT 1")
cat >"$OUT/paths" <<EOF
/api/v1/me
/api/v1/summary?group=week
/api/v1/fitness
/api/v1/activities?limit=50
/api/v1/curves/power?period=all
/api/v1/calendar
/api/v1/records
/api/v1/activities/$aid
/api/v1/activities/$aid/streams?points=500
/api/v1/heatmap
EOF
for c in 8 64; do
	LOAD_PATHS="$OUT/paths" LOAD_OUT="$OUT/wrk-$c.out" wrk -t2 -c"$c" -d"${SECS}s" --timeout 10s \
		-s tests/integration/load_wrk.lua "$CAIRN_URL" >"$OUT/wrk-$c.txt" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *//p' "$OUT/wrk-$c.txt")
	lat=$(sed -n 's/^# latency p50 \([0-9]*\) p99 \([0-9]*\).*/p50 \1 us, p99 \2 us/p' "$OUT/wrk-$c.out")
	non200=$(awk '!/^#/ && $2 != 200 {n += $3} END {print n + 0}' "$OUT/wrk-$c.out")
	put "API mix, $c connections" "$rps" "requests/s ($lat, $non200 non-200)"
done
echo "# written to $RES"
