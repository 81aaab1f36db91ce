#!/usr/bin/env bash
# 44_own_data.sh: from the demo to one's own data: `make import` of an export, `make connect`, one athlete per person, the demo never receives anyone's data
#
# On a stack of its own (a free port, removed at the end), whose local Strava
# serves the demo athlete 1001 with $COUNT activities:
#   - `make import` without FILE, or with a missing file, is refused;
#   - into a stack holding the demo athlete, `make import` refuses and stores
#     nothing; with DROP_DEMO=1 the demo goes and the export comes in;
#   - the export's profile.csv names the athlete (1001, import-only); `make
#     connect` (the browser step driven with curl through the local Strava's
#     authorisation page) lands in that athlete, and the first sync asks for
#     list pages, the athlete, zones and gear only: no streams; its marts
#     agree with a sync alone's (mart_compare.py, 42_import_vs_api's tolerances);
#   - an export without profile.csv (athlete 1) is adopted by the connection:
#     one athlete, its activities, streams and settings moved;
#   - an export of another athlete (profile.csv says 424242) is refused by
#     the connection, which changes nothing; so is a connection beside a
#     demo athlete, unless DROP_DEMO=1.
source "$(dirname "$0")/lib.sh"

ROOT=$CAIRN_ROOT
TMP=$(mktemp -d)
[ -n "${CAIRN_TEST_KEEP:-}" ] || T_CLEANUP+=("rm -rf '$TMP'")
COUNT=24
SEED=42
YEARS=1

phase() { echo "# ${SECONDS}s: $1"; }
# A stack of its own on three free ports in a row (pick_port), started
# later (start_own: another port when one was taken meanwhile).
busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
	local i
	for ((i = 0; i < 20; i++)); do
		P=$(free_port)
		[ "$P" -le 64990 ] && ! busy $((P + 1)) && ! busy $((P + 2)) && return 0
	done
	return 1
}
start_own() {
	local i
	for ((i = 0; i < 3; i++)); do
		CAIRN_PORT=$P "$ROOT/tools/stack.sh" start >>"$TMP/stack.log" 2>&1 && return 0
		tail -n 3 "$TMP/stack.log" | sed 's/^/# /'
		CAIRN_PORT=$P "$ROOT/tools/stack.sh" stop >/dev/null 2>&1
		rm -rf "$ROOT/var/$P"
		pick_port
		T_CLEANUP+=("CAIRN_PORT=$P '$ROOT/tools/stack.sh' stop >/dev/null 2>&1; rm -rf '$ROOT/var/$P'")
	done
	return 1
}
pick_port
export CAIRN_DEMO_YEARS=$YEARS CAIRN_DEMO_SEED=$SEED
export CAIRN_FAKE_ARGS="--count $COUNT --short-limit 100000 --daily-limit 1000000"
T_CLEANUP+=("CAIRN_PORT=$P '$ROOT/tools/stack.sh' stop >/dev/null 2>&1; rm -rf '$ROOT/var/$P'")
own() { # make TARGET ARGS... on the private stack, output to $TMP/own.log
	CAIRN_PORT=$P make -s -C "$ROOT" "$@" >>"$TMP/own.log" 2>&1
}

"$CAIRN_BIN/cairn-fakestrava" export --out "$TMP/export" --seed "$SEED" --years "$YEARS" --count "$COUNT" \
	>"$TMP/export.log" 2>&1
check "the local Strava writes an export with profile.csv" test -s "$TMP/export/profile.csv"
python3 - "$TMP/export" "$TMP/export_1001.zip" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, files in os.walk(src):
        for f in sorted(files):
            p = os.path.join(d, f)
            z.write(p, os.path.relpath(p, src))
PY
n_export=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8"))) - 1)' \
	"$TMP/export/activities.csv")

phase "export written"
# --- bad input before anything starts
own import
check_eq "make import without FILE is refused" "$?" 2
check "... saying how to name it" grep -q "no FILE: make import FILE=" "$TMP/own.log"
own import FILE="$TMP/nothing.zip"
check_eq "make import of a missing file is refused" "$?" 2
check "... naming the file" grep -q "nothing.zip: no such file" "$TMP/own.log"
check "... and starts no stack" test ! -e "$ROOT/var/$P/run/mariadb.pid"

phase "bad FILE done"
# --- the demo athlete never receives someone else's data
start_own
CAIRN_PORT=$P "$ROOT/tools/stack.sh" demo >"$TMP/demo.log" 2>&1
rc=$?
check_eq "make demo on the private stack" "$rc" 0
[ "$rc" = 0 ] || tail -n 5 "$TMP/demo.log" | sed 's/^/# /'
check "make demo prints the next steps (make import, make connect)" \
	grep -q "make import FILE=~/Downloads/export_12345.zip" "$TMP/demo.log"
phase "demo up"
eval "$(CAIRN_PORT=$P "$ROOT/tools/stack.sh" env)"
FAKE_URL=$CAIRN_FAKE_URL
check_eq "the demo athlete is marked" "$(sql "SELECT id, demo FROM cairn_raw.athlete")" "1001	1"
before=$(sql "CHECKSUM TABLE cairn_raw.activity, cairn_raw.activity_stream, cairn_raw.athlete EXTENDED" | cut -f2 | tr '\n' ' ')
: >"$TMP/own.log"
own import FILE="$TMP/export_1001.zip"
check_eq "make import into a stack holding only the demo athlete is refused" "$?" 2
check "... saying what to do (DROP_DEMO=1, --athlete, another CAIRN_PORT)" \
	grep -q "DROP_DEMO=1.*CAIRN_PORT" "$TMP/own.log"
check_eq "... and stores nothing" \
	"$(sql "CHECKSUM TABLE cairn_raw.activity, cairn_raw.activity_stream, cairn_raw.athlete EXTENDED" | cut -f2 | tr '\n' ' ')" "$before"

: >"$TMP/own.log"
own import FILE="$TMP/export_1001.zip" DROP_DEMO=1
check_eq "make import DROP_DEMO=1 drops the demo and imports" "$?" 0
check "... printing the dashboard URL" grep -q "^Dashboard: http://127.0.0.1:$P/$" "$TMP/own.log"
check_eq "the export's profile.csv names the athlete: import-only 1001 with its names" \
	"$(sql "SELECT id, auth_state, demo, id_from_profile, firstname IS NOT NULL FROM cairn_raw.athlete")" "1001	none	0	1	1"
check_eq "every activity of the export is stored ($n_export)" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE source = 'import'")" "$n_export"
check_eq "no demo data is left (tokens, API rows)" \
	"$(sql "SELECT (SELECT COUNT(*) FROM cairn_raw.token) + (SELECT COUNT(*) FROM cairn_raw.activity WHERE source = 'api')")" 0
check "the stack's config no longer points at the local Strava" \
	grep -q "^strava_api_url = https://www.strava.com/api/v3$" "$CAIRN_CONFIG"

# connect: make connect in the background; the browser's part through the
# local Strava's authorisation page (GET the URL, POST its form, follow the
# redirect to the local listener). Sets CONNECT_RC.
connect() { # athlete [how: make (default) or own.sh] [the scopes ticked: all asked for]
	local url i rc
	: >"$TMP/connect.log"
	curl -sf -X POST "$FAKE_URL/_fake/stats/reset" >/dev/null
	CAIRN_STRAVA_API_URL="$FAKE_URL/api/v3" CAIRN_STRAVA_OAUTH_URL="$FAKE_URL/oauth" \
		CAIRN_STRAVA_CLIENT_ID=$(conf_get strava_client_id) \
		CAIRN_STRAVA_CLIENT_SECRET=$(conf_get strava_client_secret) CAIRN_CONNECT_TIMEOUT=60 DROP_DEMO=${DROP_DEMO:-0} \
		CAIRN_PORT=$P bash -c 'if [ "$1" = own.sh ]; then exec "$2/tools/own.sh" connect; else exec make -s -C "$2" connect; fi' \
		_ "${2:-make}" "$ROOT" </dev/null >"$TMP/connect.log" 2>&1 &
	local pid=$!
	for ((i = 0; i < 300; i++)); do
		url=$(sed -n 's/^  \(http.*\)$/\1/p' "$TMP/connect.log")
		[ -n "$url" ] && break
		sleep 0.1
	done
	if curl -sf "$url" | grep -q 'action="/oauth/accept"'; then
		python3 - "$url" "$1" "${3:-}" >"$TMP/form" <<'PY'
import sys, urllib.parse
q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(sys.argv[1]).query))
f = [("client_id", q["client_id"]), ("redirect_uri", q["redirect_uri"]), ("state", q.get("state", "")),
     ("athlete", sys.argv[2]), ("action", "authorize")] + [("scope", s) for s in (sys.argv[3] or q["scope"]).split(",")]
print(urllib.parse.urlencode(f))
PY
		curl -sf -L -o /dev/null --data @"$TMP/form" "$FAKE_URL/oauth/accept"
	fi
	wait "$pid"
	CONNECT_RC=$?
	cat "$TMP/connect.log" >>"$TMP/own.log"
}
fstat() { curl -sf "$FAKE_URL/_fake/stats" | python3 -c "import json,sys; print(json.load(sys.stdin).get('$1', 0))"; }

phase "imported"
# --- import then connect the same athlete: one athlete, no streams fetched
connect 1001
check_eq "make connect (the local Strava's athlete 1001) exits 0" "$CONNECT_RC" 0
check "... printing the authorisation URL with the local callback" \
	grep -q "redirect_uri=http%3A%2F%2F127.0.0.1%3A[0-9]*%2Fcallback" "$TMP/connect.log"
check "... and the dashboard URL" grep -q "^Dashboard: http://127.0.0.1:$P/$" "$TMP/connect.log"
check "the client secret is in no log" bash -c "! grep -rqF -- '$(conf_get strava_client_secret)' '$TMP/connect.log' '$CAIRN_VAR/log'"
check_eq "the config file stays 0600" "$(stat -c %a "$CAIRN_CONFIG")" 600
check_eq "first sync after the import: no streams, no details" "$(fstat streams) $(fstat activity)" "0 0"
check "... list pages" test "$(fstat list)" -ge 1
check_eq "... the athlete and zones once" "$(fstat athlete) $(fstat zones)" "1 1"
check_eq "... and gear, the token exchange: nothing else" "$(fstat total)" \
	"$(($(fstat list) + $(fstat athlete) + $(fstat zones) + $(fstat gear) + $(fstat token)))"
echo "# first sync: $(fstat list) list pages, $(fstat gear) gear, $(fstat total) requests in all"
check_eq "exactly one athlete, connected" "$(sql "SELECT id, auth_state FROM cairn_raw.athlete")" "1001	ok"
check_eq "every activity kept its streams" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity a JOIN cairn_raw.activity_stream s ON s.activity_id = a.id WHERE s.athlete_id = 1001")" \
	"$(sql "SELECT COUNT(*) FROM cairn_raw.activity WHERE has_streams = 1")"
check_eq "the dashboard answers /api/v1/me with 200" \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P/api/v1/me")" 200

mart_metrics >"$TMP/import_connect.tsv"
phase "connected"

# --- the marts of the same athlete through a sync alone: the same metrics
fresh_db
connect 1001 own.sh
check_eq "a sync alone (no import) of the same athlete" "$CONNECT_RC" 0
check "... fetches the streams" test "$(fstat streams)" -gt 0
mart_metrics >"$TMP/sync.tsv"
python3 "$(dirname "$0")/mart_compare.py" "$TMP/sync.tsv" "$TMP/import_connect.tsv" "a sync alone" "import + connect"
phase "compared"
# --- an export without profile.csv: import-only athlete 1, adopted on connecting
fresh_db
rm "$TMP/export/profile.csv"
"$CAIRN_BIN/cairn-import" --config "$CAIRN_CONFIG" --no-progress "$TMP/export" >>"$TMP/own.log" 2>&1
check_eq "an export without profile.csv: import-only athlete 1" "$(sql "SELECT id, auth_state FROM cairn_raw.athlete")" "1	none"
sql "INSERT INTO cairn_app.setting (athlete_id, name, effective_from, value, source) VALUES (1, 'ftp', '2020-01-01', '287', 'user')"
"$CAIRN_BIN/cairn-transform" --config "$CAIRN_CONFIG" >>"$TMP/own.log" 2>&1
connect 1001 own.sh
check_eq "make connect adopts the import-only athlete" "$CONNECT_RC" 0
check_eq "one athlete left, the connected one" "$(sql "SELECT id, auth_state FROM cairn_raw.athlete")" "1001	ok"
check_eq "the activities, streams and settings moved to it" \
	"$(sql "SELECT (SELECT COUNT(DISTINCT athlete_id) FROM cairn_raw.activity), (SELECT MIN(athlete_id) FROM cairn_raw.activity_stream), (SELECT CONCAT(athlete_id, ':', value) FROM cairn_app.setting WHERE name = 'ftp' AND source = 'user')")" \
	"1	1001	1001:287"
check_eq "no mart row of athlete 1 is left" \
	"$(sql "SELECT (SELECT COUNT(*) FROM cairn_mart.activity WHERE athlete_id = 1) + (SELECT COUNT(*) FROM cairn_mart.athlete WHERE id = 1)")" 0
check_eq "the marts hold every activity for 1001" \
	"$(sql "SELECT COUNT(*) FROM cairn_mart.activity WHERE athlete_id = 1001")" "$n_export"
check_eq "no streams fetched on the first sync" "$(fstat streams)" 0
check_eq "/api/v1/me answers 200 (not 409 athlete_ambiguous)" \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P/api/v1/me")" 200

phase "adopted"
# --- an export of another athlete than the one connected
fresh_db
printf 'Athlete ID,First Name,Last Name,Sex,Weight\n424242,Other,Person,F,55.0\n' >"$TMP/export/profile.csv"
"$CAIRN_BIN/cairn-import" --config "$CAIRN_CONFIG" --no-progress "$TMP/export" >>"$TMP/own.log" 2>&1
check_eq "an export of athlete 424242: import-only athlete 424242" \
	"$(sql "SELECT id, auth_state, id_from_profile FROM cairn_raw.athlete")" "424242	none	1"
before=$(sql "CHECKSUM TABLE cairn_raw.activity, cairn_raw.athlete, cairn_raw.token EXTENDED" | cut -f2 | tr '\n' ' ')
connect 1001 own.sh
check "connecting athlete 1001 to it is refused" test "$CONNECT_RC" != 0
check "... saying the export is of another athlete" grep -q "that export is of another athlete" "$TMP/connect.log"
check_eq "... and changes nothing" \
	"$(sql "CHECKSUM TABLE cairn_raw.activity, cairn_raw.athlete, cairn_raw.token EXTENDED" | cut -f2 | tr '\n' ' ')" "$before"

# --- a connection into a stack holding a demo athlete (here 999) of someone else
fresh_db
sql "INSERT INTO cairn_raw.athlete (id, firstname, auth_state, demo) VALUES (999, 'Demo', 'ok', 1)"
connect 1001 own.sh
check "connecting athlete 1001 beside demo athlete 999 is refused" test "$CONNECT_RC" != 0
check "... saying to drop the demo (DROP_DEMO=1) or use another CAIRN_PORT" \
	grep -q "demo athlete 999.*DROP_DEMO=1.*CAIRN_PORT" "$TMP/connect.log"
check_eq "... and changes nothing" "$(sql "SELECT GROUP_CONCAT(id) FROM cairn_raw.athlete")" 999
DROP_DEMO=1 connect 1001 own.sh read,activity:read
check_eq "with DROP_DEMO=1 the demo goes and athlete 1001 is connected" "$CONNECT_RC" 0
check_eq "... alone" "$(sql "SELECT GROUP_CONCAT(CONCAT(id, ':', auth_state)) FROM cairn_raw.athlete")" "1001:ok"
check "a grant without activity:read_all is explained (private activities missing)" \
	grep -q "without activity:read_all: your private activities" "$TMP/connect.log"

# --- Strava refusing the application (403 on the token exchange) is explained
curl -sf -X POST "$FAKE_URL/_fake/faults" -d '{"path": "token", "status": 403, "count": 1}' >/dev/null
connect 1001 own.sh
check "a 403 from Strava fails the connection" test "$CONNECT_RC" != 0
check "... and says what a limited API tier means" grep -q "403 Forbidden: the application may not read this account" "$TMP/connect.log"
curl -sf -X POST "$FAKE_URL/_fake/faults/clear" >/dev/null
phase "refused"
[ "$T_FAIL" -eq 0 ] || tail -n 40 "$TMP/own.log" | sed 's/^/# /'
exit $((T_FAIL > 0))
