#!/usr/bin/env bash
# bench.sh: `make bench`: every benchmark on the demo athlete, each beside a baseline measured in the same run
#
# Writes a table to the terminal and build/bench/report.json. A benchmark, not a
# test: a figure that cannot be measured is reported as n/a, never as a failure.
#
# Environment: CAIRN_BENCH_YEARS (10), CAIRN_BENCH_RUNS (3, the median is
# reported), CAIRN_BENCH_PORT (derived from the checkout), CAIRN_BENCH_WRK_SECONDS (10),
# CAIRN_BENCH_ONLY (comma-separated sections: extract, transform, api,
# dashboard, import; default all). Without extract the data still comes in by
# one untimed sync.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
YEARS=${CAIRN_BENCH_YEARS:-10}
RUNS=${CAIRN_BENCH_RUNS:-3}
WRK_SECONDS=${CAIRN_BENCH_WRK_SECONDS:-10}
if [ -z "${CAIRN_BENCH_PORT:-}" ]; then
	sum=$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
	CAIRN_BENCH_PORT=$((20005 + (sum % 2000) * 10))
fi
export CAIRN_PORT=$CAIRN_BENCH_PORT
export CAIRN_DEMO_YEARS=$YEARS
# --unthrottled stops 429s, but the fake still advertises its limits in X-RateLimit-* headers and
# cairn-extract paces by them: advertise limits no 10-year sync reaches.
export CAIRN_FAKE_ARGS="--unthrottled --short-limit 1000000 --daily-limit 10000000"
OUT="$ROOT/build/bench"
mkdir -p "$OUT"
RES="$OUT/results.tsv"
: >"$RES"

log() { printf 'bench: %s\n' "$*" >&2; }

only() { # section: is it measured in this run?
	[ -z "${CAIRN_BENCH_ONLY:-}" ] || [[ ",$CAIRN_BENCH_ONLY," == *",$1,"* ]]
}

# record FIGURE UNIT VALUE BASELINE BASELINE_NAME BETTER(higher|lower)
record() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${3:-n/a}" "${4:-n/a}" "$5" "$6" >>"$RES"
}

median() { # numbers...
	printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

stat_field() { # file key: value of key=... in the last *-stats line
	grep -oE "(^| )$2=[0-9.]+" "$1" 2>/dev/null | tail -n 1 | cut -d= -f2
}

cleanup() { tools/stack.sh stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

log "building"
make -j2 all >"$OUT/build.log" 2>&1 || { log "build failed (see $OUT/build.log)"; exit 1; }
tools/stack.sh stop >/dev/null 2>&1
log "starting a stack on port $CAIRN_PORT with $YEARS years of demo data (unthrottled local Strava)"
tools/stack.sh start >"$OUT/stack.log" 2>&1 || { log "stack did not start (see $OUT/stack.log)"; exit 1; }
eval "$(tools/stack.sh env)"
source tests/integration/lib.sh >/dev/null
trap cleanup EXIT

# ---------------------------------------------------------------- extract
authorise() {
	local code
	code=$(curl -sf -X POST "$CAIRN_FAKE_URL/_fake/code?athlete=1001&scope=read,activity:read_all,profile:read_all" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
	printf '%s\n' "$code" | "$CAIRN_BIN/cairn-extract" --config "$CAIRN_CONFIG" auth --code - >/dev/null 2>&1
}

# The local Strava generates and caches streams on first request: warm it
# once, so that cairn-extract and the baseline both fetch from its cache.
baseline_fetch() { # median activities/s of plain HTTP fetching, no storage
	BENCH_CLIENT_ID=$(conf_get strava_client_id) BENCH_CLIENT_SECRET=$(conf_get strava_client_secret) \
	python3 - "$CAIRN_FAKE_URL" "$RUNS" <<'EOF'
# Baseline: the same requests with Python's urllib and nothing stored.
import json, os, statistics, sys, time, urllib.parse, urllib.request
url, runs = sys.argv[1], int(sys.argv[2])
def get(path, token):
    req = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req) as r:
        return r.read()
code = json.loads(urllib.request.urlopen(urllib.request.Request(url + "/_fake/code?athlete=1001&scope=read,activity:read_all,profile:read_all", method="POST")).read())["code"]
tok = json.loads(urllib.request.urlopen(url + "/oauth/token", data=urllib.parse.urlencode({
    "client_id": os.environ["BENCH_CLIENT_ID"],
    "client_secret": os.environ["BENCH_CLIENT_SECRET"],
    "code": code, "grant_type": "authorization_code"}).encode()).read())["access_token"]
rates = []
for _ in range(runs):
    t0, n, page = time.time(), 0, 1
    while True:
        acts = json.loads(get("/api/v3/athlete/activities?per_page=200&page=%d" % page, tok))
        if not acts:
            break
        for a in acts:
            if not a.get("manual"):
                get("/api/v3/activities/%d/streams?keys=time,distance,latlng,altitude,velocity_smooth,heartrate,cadence,watts,temp,moving,grade_smooth&key_by_type=true" % a["id"], tok)
            n += 1
        page += 1
    rates.append(n / (time.time() - t0))
print("%.1f" % statistics.median(rates))
EOF
}
log "warming the local Strava (one plain fetch of everything)"
RUNS=1 baseline_fetch >/dev/null
rates=() rss=()
XRUNS=$RUNS
only extract || XRUNS=1
for ((i = 1; i <= XRUNS; i++)); do
	fresh_db >/dev/null 2>&1
	authorise
	log "extract run $i/$RUNS"
	/usr/bin/time -f 'maxrss=%M' "$CAIRN_BIN/cairn-extract" --config "$CAIRN_CONFIG" sync >"$OUT/extract.out" 2>"$OUT/extract.err"
	n=$(stat_field "$OUT/extract.err" activities)
	s=$(stat_field "$OUT/extract.err" seconds)
	[ -n "$n" ] && [ -n "$s" ] && rates+=("$(awk -v n="$n" -v s="$s" 'BEGIN {if (s > 0) printf "%.1f", n / s}')")
	rss+=("$(stat_field "$OUT/extract.err" maxrss)")
done
if only extract; then
	base=$(baseline_fetch)
	record "extract: activities stored per second (first sync, ${YEARS} y)" "activities/s" "$(median "${rates[@]}")" "$base" "HTTP fetch only, no storage (Python urllib)" higher
	rss10=$(median "${rss[@]}")
	record "extract: peak memory of a first sync (${YEARS} y)" "KiB" "$rss10" "" "" lower
fi

# ---------------------------------------------------------------- transform
if only transform || only api || only dashboard; then
	times=() rss=() models=()
	for ((i = 1; i <= RUNS; i++)); do
		log "transform --full run $i/$RUNS"
		/usr/bin/time -f 'maxrss=%M' "$CAIRN_BIN/cairn-transform" --config "$CAIRN_CONFIG" --full >/dev/null 2>"$OUT/transform.err"
		times+=("$(stat_field "$OUT/transform.err" seconds)")
		rss+=("$(stat_field "$OUT/transform.err" maxrss)")
		models+=("$(stat_field "$OUT/transform.err" model_seconds)")
	done
	t0=$(date +%s.%N)
	sql "SELECT SUM(LENGTH(json)) FROM cairn_raw.activity_stream" >/dev/null
	base=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
	record "transform: full rebuild (${YEARS} y)" "s" "$(median "${times[@]}")" "$base" "reading every raw stream once (SELECT)" lower
	record "transform: peak memory of a full rebuild" "KiB" "$(median "${rss[@]}")" "" "" lower
	record "transform: athlete models, every day of ${YEARS} y (within the full rebuild)" "s" \
		"$(median "${models[@]}")" "$(median "${times[@]}")" "the whole full rebuild" lower

	times=() noop=()
	for ((i = 1; i <= RUNS; i++)); do
		curl -sf -X POST "$CAIRN_FAKE_URL/_fake/activity" -H 'Content-Type: application/json' \
			-d '{"sport_type":"Ride","duration":3600}' >/dev/null
		"$CAIRN_BIN/cairn-extract" --config "$CAIRN_CONFIG" sync >/dev/null 2>&1
		"$CAIRN_BIN/cairn-transform" --config "$CAIRN_CONFIG" >/dev/null 2>"$OUT/transform-incr.err"
		times+=("$(stat_field "$OUT/transform-incr.err" seconds)")
		"$CAIRN_BIN/cairn-transform" --config "$CAIRN_CONFIG" >/dev/null 2>"$OUT/transform-noop.err"
		noop+=("$(stat_field "$OUT/transform-noop.err" seconds)")
	done
	record "transform: incremental run after one new activity" "s" "$(median "${times[@]}")" "$(median "${noop[@]}")" "incremental run with nothing new" lower
	mm=$("$CAIRN_BIN/cairn-transform" --config "$CAIRN_CONFIG" --bench-meanmax 14400 2>&1 | grep -oE 'ms=[0-9.]+' | head -n 1 | cut -d= -f2)
	record "transform: exact mean-max, every duration of a 4 h 1 Hz ride" "ms" "$mm" "20" "goal" lower
fi

# ---------------------------------------------------------------- API
if only api; then
	fetch_saved() { # name path
		mkdir -p "$CAIRN_VAR/bench-static"
		curl -s "$CAIRN_URL$2" -o "$CAIRN_VAR/bench-static/$1.json"
	}
	wrk_run() { # url -> "rps p50ms p99ms"
		wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency "$1" 2>/dev/null | awk '
			function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
			/^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} /^Requests\/sec/ {rps = $2}
			END {printf "%s %.3f %.3f\n", rps, p50, p99}'
	}
	for route in "summary:/api/v1/summary?group=week" "fitness:/api/v1/fitness" \
		"activities:/api/v1/activities?limit=50" "curves:/api/v1/curves/power?period=all"; do
		name=${route%%:*}
		path=${route#*:}
		fetch_saved "$name" "$path"
		rps=() p50=() p99=() brps=() bp99=()
		for ((i = 1; i <= RUNS; i++)); do
			log "wrk $name run $i/$RUNS"
			read -r r a b < <(wrk_run "$CAIRN_URL$path")
			rps+=("$r") p50+=("$a") p99+=("$b")
			read -r r a b < <(wrk_run "$CAIRN_URL/bench-static/$name.json")
			brps+=("$r") bp99+=("$b")
		done
		record "api: $name requests per second (32 connections)" "req/s" "$(median "${rps[@]}")" "$(median "${brps[@]}")" "nginx serving the same bytes as a static file" higher
		record "api: $name p50 latency" "ms" "$(median "${p50[@]}")" "" "" lower
		record "api: $name p99 latency" "ms" "$(median "${p99[@]}")" "5" "goal" lower
		# How much of the tail is the machine's: the static file's p99 in the same runs.
		record "api: $name p99 latency of the static file" "ms" "$(median "${bp99[@]}")" "" "" lower
	done
fi

# ---------------------------------------------------------------- dashboard
if only dashboard; then
	if [ -f tests/browser/bench.mjs ]; then
		log "dashboard timings"
		node tests/browser/bench.mjs >"$OUT/dashboard.jsonl" 2>"$OUT/dashboard.err" || true
		while read -r line; do
			page=$(printf '%s' "$line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["page"])' 2>/dev/null) || continue
			ms=$(printf '%s' "$line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ms"])')
			record "dashboard: $page, navigation to every chart drawn" "ms" "$ms" "1000" "goal" lower
		done <"$OUT/dashboard.jsonl"
	fi
fi

# ---------------------------------------------------------------- import
if only import; then
	if "$CAIRN_BIN/cairn-fakestrava" export --help >/dev/null 2>&1; then
		exp="$CAIRN_VAR/bench-export"
		rm -rf "$exp"
		# the export of the demo athlete's ${YEARS} years: the issue's goal is a 10-year archive in a minute
		log "writing a ${YEARS}-year export archive"
		"$CAIRN_BIN/cairn-fakestrava" export --out "$exp" --years "$YEARS" >/dev/null 2>&1
		nact=$(find "$exp/activities" -type f | wc -l)
		for kind in fit gpx; do
			d="$CAIRN_VAR/bench-$kind"
			rm -rf "$d" && mkdir -p "$d"
			find "$exp/activities" -name "*.$kind*" -exec cp {} "$d/" \;
			fps=() mbps=()
			for ((i = 1; i <= RUNS; i++)); do
				fresh_db >/dev/null 2>&1
				"$CAIRN_BIN/cairn-import" --config "$CAIRN_CONFIG" "$d"/* >/dev/null 2>"$OUT/import.err"
				f=$(stat_field "$OUT/import.err" files)
				b=$(stat_field "$OUT/import.err" bytes)
				s=$(stat_field "$OUT/import.err" seconds)
				fps+=("$(awk -v f="$f" -v s="$s" 'BEGIN {if (s > 0) printf "%.1f", f / s}')")
				mbps+=("$(awk -v b="$b" -v s="$s" 'BEGIN {if (s > 0) printf "%.2f", b / s / 1e6}')")
			done
			t0=$(date +%s.%N)
			cat "$d"/* | gzip -dcf >/dev/null
			base=$(awk -v a="$t0" -v b="$(date +%s.%N)" -v n="$(du -sb "$d" | cut -f1)" 'BEGIN {printf "%.2f", n / (b - a) / 1e6}')
			record "import: ${kind^^} files per second" "files/s" "$(median "${fps[@]}")" "" "" higher
			record "import: ${kind^^} MB per second" "MB/s" "$(median "${mbps[@]}")" "$base" "reading and gunzipping the same bytes" higher
		done
		times=() rss=()
		for ((i = 1; i <= RUNS; i++)); do
			fresh_db >/dev/null 2>&1
			log "import of the ${YEARS}-year archive, run $i/$RUNS"
			/usr/bin/time -f 'maxrss=%M' "$CAIRN_BIN/cairn-import" --config "$CAIRN_CONFIG" "$exp" >/dev/null 2>"$OUT/import.err"
			times+=("$(stat_field "$OUT/import.err" seconds)")
			rss+=("$(stat_field "$OUT/import.err" maxrss)")
		done
		record "import: peak memory, ${YEARS}-year archive ($nact activity files)" "KiB" "$(median "${rss[@]}")" "" "" lower
		record "import: ${YEARS}-year archive ($nact activity files), whole import" "s" "$(median "${times[@]}")" "60" "goal for a 10-year archive" lower
	fi
fi

# ---------------------------------------------------------------- report
python3 - "$RES" "$OUT/report.json" <<'EOF'
import json, os, platform, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
def num(v):
    try:
        return float(v)
    except ValueError:
        return None
figs = []
for fig, unit, val, base, bname, better in rows:
    v, b = num(val), num(base)
    ratio = round(v / b, 3) if v is not None and b not in (None, 0) else None
    figs.append({"figure": fig, "unit": unit, "value": v, "baseline": b, "baseline_is": bname or None,
                 "ratio": ratio, "better": better})
cpu = ""
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except StopIteration:
    pass
mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
machine = {"cpu": cpu, "cores": os.cpu_count(), "memory_kib": mem, "kernel": platform.release(),
           "os": platform.platform()}
json.dump({"machine": machine, "figures": figs}, open(sys.argv[2], "w"), indent=2)
w = max(len(f["figure"]) for f in figs) if figs else 10
print("%-*s %12s %12s %8s  %s" % (w, "figure", "value", "baseline", "ratio", "unit (baseline)"))
for f in figs:
    fmt = lambda x: "n/a" if x is None else ("%.3g" % x if abs(x) < 100 else "%.0f" % x)
    print("%-*s %12s %12s %8s  %s%s" % (w, f["figure"], fmt(f["value"]), fmt(f["baseline"]),
          fmt(f["ratio"]), f["unit"], " (" + f["baseline_is"] + ")" if f["baseline_is"] else ""))
print("machine: %s, %d cores, %.1f GiB" % (cpu, os.cpu_count(), mem / 1048576))
EOF
log "report: build/bench/report.json"
