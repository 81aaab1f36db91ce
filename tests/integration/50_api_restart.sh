#!/usr/bin/env bash
# 50_api_restart.sh: MariaDB restarts while requests flow: 503 + Retry-After during the outage, right answers within 2 s after, no worker lost
set -u
. "$(dirname "$0")/lib.sh"
DATA="$CAIRN_ROOT/tests/data/api"
TMP=$(mktemp -d)
T_CLEANUP+=("rm -rf '$TMP'")
STACK="$CAIRN_ROOT/tools/stack.sh"

fresh_db
sql "source $DATA/dataset.sql" || { not_ok "load dataset" "sql failed"; exit 1; }
want=$(curl -s "$CAIRN_URL/api/v1/summary?group=year")
api_pid=$(cat "$CAIRN_VAR/run/api.pid")
threads=$(ls "/proc/$api_pid/task" | wc -l)

# Four clients ask continuously and log: time status retry-after body-is-right.
cat >"$TMP/load.py" <<'PY'
import http.client, sys, time, threading
base_port, want, stop_file, out, started = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], sys.argv[4], sys.argv[5]
lock = threading.Lock()
rows = []
def run():
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", base_port, timeout=10)
            c.request("GET", "/api/v1/summary?group=year")
            r = c.getresponse(); b = r.read()
            row = (time.time(), r.status, r.getheader("Retry-After") or "-", int(b == want))
        except Exception as e:
            row = (time.time(), 0, "-", 0)
        with lock:
            rows.append(row)
            if len(rows) == 4:
                open(started, "w").close()
        try:
            open(stop_file).close(); return
        except OSError:
            time.sleep(0.01)
ts = [threading.Thread(target=run) for _ in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
with open(out, "w") as f:
    for r in sorted(rows):
        f.write("%.3f %d %s %d\n" % r)
PY
python3 "$TMP/load.py" "$CAIRN_PORT" "$want" "$TMP/stop" "$TMP/log" "$TMP/started" &
load=$!
# Answers before the outage: wait for the first few (a loaded machine may
# take seconds to start Python), then let them flow a little.
for ((i = 0; i < 300; i++)); do
	[ -e "$TMP/started" ] && break
	sleep 0.1
done
sleep 0.5
t_pre=$(date +%s.%N)
"$STACK" db-stop >/dev/null 2>&1
t_down=$(date +%s.%N)
sleep 2
t_start=$(date +%s.%N)
"$STACK" db-start >/dev/null 2>&1 || not_ok "MariaDB starts again" "tools/stack.sh db-start failed"
t_up=$(date +%s.%N)
sleep 3
touch "$TMP/stop"
wait "$load"

python3 - "$TMP/log" "$t_down" "$t_start" "$t_up" "$t_pre" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
t_down, t_start, t_up, t_pre = map(float, sys.argv[2:6])
rows = [(float(t), int(s), ra, int(ok)) for t, s, ra, ok in rows]
def res(ok, name, why=""):
    print(("ok - " if ok else "not ok - ") + name + ("" if ok else " # " + why))
res(len(rows) > 50, "requests flowed during the test (%d)" % len(rows))
before = [r for r in rows if r[0] < t_pre]
res(before and all(r[1] == 200 and r[3] for r in before), "right answers before the outage (%d)" % len(before))
out = [r for r in rows if t_down + 0.2 < r[0] < t_start]
res(out and all(r[1] == 503 for r in out), "503 during the outage (%d answers)" % len(out),
    "statuses %s" % sorted({r[1] for r in out}))
res(all(r[2] == "2" for r in rows if r[1] == 503), "every 503 carries Retry-After: 2")
res(all(r[1] in (200, 503) for r in rows), "only 200 or 503, never another error",
    "statuses %s" % sorted({r[1] for r in rows}))
res(all(r[3] for r in rows if r[1] == 200), "every 200 is the right answer")
after = [r for r in rows if r[0] > t_up + 2.0]
res(after and all(r[1] == 200 and r[3] for r in after),
    "right answers within 2 s after MariaDB is back (%d answers)" % len(after),
    "statuses %s" % sorted({r[1] for r in after}))
PY

check_eq "the same cairn-api process serves on" "$(cat "$CAIRN_VAR/run/api.pid")" "$api_pid"
check_eq "no worker thread lost" "$(ls "/proc/$api_pid/task" | wc -l)" "$threads"
# Every worker answers: more parallel requests than workers, all right.
for i in 1 2 3 4 5 6 7 8; do curl -s "$CAIRN_URL/api/v1/summary?group=year" >"$TMP/p$i" & done
wait
n=0
for i in 1 2 3 4 5 6 7 8; do [ "$(cat "$TMP/p$i")" == "$want" ] && n=$((n + 1)); done
check_eq "8 parallel requests after the restart are all right" "$n" 8

# A restart while nobody asks, of a cairn-api that has answered nothing yet:
# each worker's connection is dead when the first request comes, and the
# first statement is a prepare (whose error 2006 is only on the statement).
# No 500, and every route answers 200 at once or after at most one 503 per
# worker.
"$STACK" restart >/dev/null 2>&1 || not_ok "the stack restarts" "tools/stack.sh restart failed"
sleep 0.5
"$STACK" db-stop >/dev/null 2>&1
"$STACK" db-start >/dev/null 2>&1 || not_ok "MariaDB starts again (idle)" "db-start failed"
codes=""
for r in "fitness" "gear" "records" "activities?limit=5" "calendar?year=2025" "eddington" "fitness" "gear"; do
	for try in 1 2 3 4 5 6; do
		c=$(curl -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/api/v1/$r")
		codes="$codes $c"
		[ "$c" = 200 ] && break
		sleep 0.2
	done
done
case "$codes" in
*500*) not_ok "after an idle restart no answer is 500" "statuses:$codes" ;;
*) ok "after an idle restart no answer is 500 (statuses:$codes)" ;;
esac
n503=$(printf '%s\n' $codes | grep -c '^503$')
n200=$(printf '%s\n' $codes | grep -c '^200$')
check "after an idle restart every route answers 200, with at most one 503 per worker ($n200 answers 200, $n503 answers 503)" \
	test "$n200" -eq 8 -a "$n503" -le 4
[ "$T_FAIL" -eq 0 ]
