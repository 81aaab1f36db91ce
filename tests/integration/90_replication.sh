#!/usr/bin/env bash
# 90_replication.sh: scale-out: a GTID replica of the stack's MariaDB serves a second cairn-api; new data reaches it; the API survives the replica's loss
#
# The ETL writes to the primary (the stack's MariaDB). A replica on another
# loopback port (tools/replica.sh) follows it. A second cairn-api, with a
# private config naming the replica in api_db_read_hosts, is queried over
# FastCGI directly (cgi-fcgi, Debian package libfcgi-bin). To tell which server
# answered, a marker row is written to cairn_app.schema_version on the replica
# alone (root may write a read-only server; nothing in this test migrates the
# primary, so replication never touches that row): /api/v1/health then reports
# schema 9090 from the replica and the real version from the primary.
source "$(dirname "$0")/lib.sh"

REPLICA="$CAIRN_ROOT/tools/replica.sh"
command -v cgi-fcgi >/dev/null || { not_ok "cgi-fcgi is installed" "apt-get install libfcgi-bin"; exit 1; }
TMP=$(mktemp -d)
T_CLEANUP+=("rm -rf '$TMP'")
MARK=9090

# fcgi SOCK METHOD PATH [QUERY] [BODY]: prints the status code, a newline, the body.
fcgi() {
	local sock=$1 method=$2 path=$3 query=${4:-} body=${5:-} out
	out=$(printf '%s' "$body" | env -i REQUEST_METHOD="$method" PATH_INFO="$path" SCRIPT_NAME= \
		QUERY_STRING="$query" CONTENT_TYPE=application/json CONTENT_LENGTH="${#body}" \
			SERVER_PROTOCOL=HTTP/1.1 REMOTE_ADDR=127.0.0.1 timeout 15 cgi-fcgi -bind -connect "$sock" 2>/dev/null)
	printf '%s\n' "$(printf '%s' "$out" | sed -n 's/^Status: \([0-9]*\).*/\1/p' | head -n 1)"
	printf '%s' "$out" | sed '1,/^\r\{0,1\}$/d'
}
status_of() { head -n 1; }
body_of() { tail -n +2; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" 2>/dev/null; }
me_of() { # sock: "SOURCE COUNT" (SOURCE replica or primary, by health's schema), or "status NNN"
	local r h src
	h=$(fcgi "$1" GET /api/v1/health)
	r=$(fcgi "$1" GET /api/v1/me)
	if [ "$(printf '%s\n' "$r" | status_of)" = 200 ] && [ "$(printf '%s\n' "$h" | status_of)" = 200 ]; then
		src=primary
		[ "$(printf '%s\n' "$h" | body_of | json 'd["schema"]')" = "$MARK" ] && src=replica
		echo "$src $(printf '%s\n' "$r" | body_of | json 'd["counts"]["activities"]')"
	else
		echo "status $(printf '%s\n' "$r" | status_of)/$(printf '%s\n' "$h" | status_of)"
	fi
}
poll() { # seconds want command...: until the command prints want
	local secs=$1 want=$2 i got
	shift 2
	for ((i = 0; i < secs * 5; i++)); do
		got=$("$@")
		[ "$got" = "$want" ] && { echo "$got"; return 0; }
		sleep 0.2
	done
	echo "$got"
	return 1
}

# ---------------------------------------------------------------- primary data
fresh_db
start_fake --count 12 --short-limit 1000000 --daily-limit 10000000 --seed 31 || { not_ok "the local Strava starts"; exit 1; }
CONF=$(conf_with "strava_api_url=$FAKE_URL/api/v3" "strava_oauth_url=$FAKE_URL/oauth" "log_level=warn")
T_CLEANUP+=("rm -f '$CONF'")
code=$(fake_code)
printf '%s\n' "$code" | "$CAIRN_BIN/cairn-extract" --config "$CONF" auth --code - >/dev/null 2>&1
etl() {
	"$CAIRN_BIN/cairn-extract" --config "$CONF" sync >>"$TMP/etl.log" 2>&1 &&
		"$CAIRN_BIN/cairn-transform" --config "$CONF" >>"$TMP/etl.log" 2>&1
}
etl || { not_ok "the ETL fills the primary" "$(tail -n 2 "$TMP/etl.log")"; exit 1; }
n0=$(sql "SELECT COUNT(*) FROM cairn_mart.activity")

# ---------------------------------------------------------------- the replica
RPORT=$(free_port)
T_CLEANUP+=("'$REPLICA' destroy $RPORT >/dev/null 2>&1")
if "$REPLICA" start "$RPORT" >"$TMP/replica.log" 2>&1; then
	ok "tools/replica.sh starts a GTID replica on 127.0.0.1:$RPORT"
else
	not_ok "tools/replica.sh starts a GTID replica" "$(tail -n 3 "$TMP/replica.log")"
	exit 1
fi
RSOCK="$CAIRN_VAR/replicas/$RPORT/mysqld.sock"
rsql() { mariadb --no-defaults -S "$RSOCK" -uroot -N -B -e "$1"; }
check_eq "the replica uses GTID (Using_Gtid)" \
	"$(mariadb --no-defaults -S "$RSOCK" -uroot -E -e 'SHOW REPLICA STATUS' | sed -n 's/^ *Using_Gtid: //p')" "Slave_Pos"
check_eq "the replica holds the primary's marts" "$(rsql "SELECT COUNT(*) FROM cairn_mart.activity")" "$n0"
check_eq "the replica is read-only" "$(rsql "SELECT @@read_only")" "1"
ps_args=$(tr '\0' ' ' <"/proc/$(cat "$CAIRN_VAR/replicas/$RPORT/mariadbd.pid")/cmdline")
secret=$(cat "$CAIRN_VAR/replicas/repl.secret")
case "$ps_args" in *"$secret"*) not_ok "no password on the replica's command line" ;; *) ok "no password on the replica's command line" ;; esac
if grep -rqs -- "$secret" "$CAIRN_VAR/replicas/$RPORT"/*.log "$CAIRN_VAR/replicas/$RPORT"/*.err "$TMP/replica.log"; then
	not_ok "the replication password is in no log"
else
	ok "the replication password is in no log"
fi
rsql "INSERT INTO cairn_app.schema_version (version, name) VALUES ($MARK, 'replica marker (90_replication.sh)')"

# ---------------------------------------------------------------- a cairn-api on the replica
start_api() { start_private_api "$1" "$ASOCK" "$CAIRN_VAR/log/api-replica.log"; }
ASOCK="$CAIRN_VAR/run/api-replica-$RPORT.sock"
rm -f "$ASOCK"
T_CLEANUP+=("rm -f '$ASOCK'")
ACONF=$(conf_with "api_socket=$ASOCK" "api_workers=2" "api_db_read_hosts=127.0.0.1:$RPORT" "api_db_max_lag=5")
T_CLEANUP+=("rm -f '$ACONF'")
start_api "$ACONF" || { not_ok "a second cairn-api starts" "$(tail -n 3 "$CAIRN_VAR/log/api-replica.log")"; exit 1; }

check_eq "the second cairn-api answers from the replica (its marker)" "$(me_of "$ASOCK")" "replica $n0"
check_eq "the stack's cairn-api answers from the primary" \
	"$(curl -s "$CAIRN_URL/api/v1/health" | json 'd["schema"]') $(curl -s "$CAIRN_URL/api/v1/me" | json 'd["counts"]["activities"]')" \
	"$(sql "SELECT MAX(version) FROM cairn_app.schema_version") $n0"

# A new activity through the ETL on the primary reaches the replica's API.
curl -sf -X POST "$FAKE_URL/_fake/activity" -d "{\"athlete\":1001,\"sport\":\"Ride\",\"duration\":2400,
	\"start_date\":\"$(date -u -d '-5 hours' +%Y-%m-%dT%H:00:00Z)\"}" >"$TMP/new.json"
new_id=$(json 'd["activity"]["id"]' <"$TMP/new.json")
etl || not_ok "the ETL stores the new activity on the primary" "$(tail -n 2 "$TMP/etl.log")"
t0=$(date +%s%N)
check_eq "the new activity is in the primary's marts" "$(sql "SELECT COUNT(*) FROM cairn_mart.activity WHERE id = '$new_id'")" "1"
got=$(poll 10 "replica $((n0 + 1))" me_of "$ASOCK")
ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "the replica's API counts the new activity, still from the replica (${ms} ms after the ETL finished)" "$got" "replica $((n0 + 1))"
r=$(fcgi "$ASOCK" GET /api/v1/activities "limit=1")
check_eq "the replica's API lists the new activity first" "$(printf '%s\n' "$r" | body_of | json 'd["activities"][0]["id"]')" "$new_id"
r=$(fcgi "$ASOCK" GET "/api/v1/activities/$new_id")
check_eq "the replica's API answers activities/$new_id" "$(printf '%s\n' "$r" | status_of)" "200"
python3 "$CAIRN_ROOT/tests/integration/load_check.py" "through nginx on the primary" "$CAIRN_URL" "$CAIRN_TEST_DB_SOCKET"

# Settings are written even by an API that reads from a replica.
r=$(fcgi "$ASOCK" PUT /api/v1/settings "" '{"name":"ftp","value":"251","effective_from":"2024-01-01"}')
st=$(printf '%s\n' "$r" | status_of)
case "$st" in
2??) ok "PUT settings through the replica's API succeeds ($st)" ;;
*) not_ok "PUT settings through the replica's API succeeds" "status $st: $(printf '%s\n' "$r" | body_of | head -c 200)" ;;
esac

# ---------------------------------------------------------------- lag past the bound
rsql "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 60; START SLAVE"
sql "INSERT INTO cairn_app.recompute_request (athlete_id, reason, done_at) VALUES (0, 'lag probe', NOW())"
lag=$(poll 15 yes bash -c "v=\$(mariadb --no-defaults -S '$RSOCK' -uroot -E -e 'SHOW REPLICA STATUS' | sed -n 's/^ *Seconds_Behind_Master: //p'); [ \"\${v:-0}\" != NULL ] && [ \"\${v:-0}\" -gt 6 ] && echo yes || echo \"\$v\"")
check_eq "a delayed replica lags past the bound (Seconds_Behind_Master > 6)" "$lag" "yes"
stop_private_api
rm -f "$ASOCK"
T_CLEANUP+=("rm -f '$ASOCK'")
start_api "$ACONF" || not_ok "the second cairn-api restarts"
check_eq "a cairn-api started while the replica lags reads from the primary" "$(me_of "$ASOCK")" "primary $((n0 + 1))"
rsql "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0; START SLAVE"
REPLICA_WAIT=30 "$REPLICA" wait "$RPORT" >/dev/null 2>&1 || not_ok "the replica catches up after the delay is removed"
stop_private_api
rm -f "$ASOCK"
T_CLEANUP+=("rm -f '$ASOCK'")
start_api "$ACONF" || not_ok "the second cairn-api restarts"
check_eq "once caught up, a new cairn-api reads from the replica again" "$(me_of "$ASOCK")" "replica $((n0 + 1))"

# ---------------------------------------------------------------- losing the replica
threads=$(ls "/proc/$API_PID/task" | wc -l)
"$REPLICA" kill "$RPORT" >/dev/null 2>&1
t0=$(date +%s%N)
first=$(me_of "$ASOCK")
got=$(poll 10 "primary $((n0 + 1))" me_of "$ASOCK")
ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "after the replica is killed the API answers from the primary (first answer: $first; right after ${ms} ms)" "$got" "primary $((n0 + 1))"
check "the second cairn-api survives the replica's loss" kill -0 "$API_PID"
check_eq "the second cairn-api keeps all its threads" "$(ls "/proc/$API_PID/task" 2>/dev/null | wc -l)" "$threads"
codes=$(for i in 1 2 3 4 5 6; do fcgi "$ASOCK" GET /api/v1/summary "group=week" | status_of & done; wait)
check_eq "every worker answers 200 from the primary" "$(printf '%s\n' "$codes" | grep -c '^200$')" "6"

# The replica comes back and catches up by itself (GTID position kept).
curl -sf -X POST "$FAKE_URL/_fake/activity" -d "{\"athlete\":1001,\"sport\":\"Run\",\"duration\":1800,
	\"start_date\":\"$(date -u -d '-3 hours' +%Y-%m-%dT%H:00:00Z)\"}" >/dev/null
etl
"$REPLICA" start "$RPORT" >>"$TMP/replica.log" 2>&1 || not_ok "the replica restarts" "$(tail -n 2 "$TMP/replica.log")"
if REPLICA_WAIT=30 "$REPLICA" wait "$RPORT" >/dev/null 2>&1; then
	ok "the restarted replica catches up with the primary by GTID"
else
	not_ok "the restarted replica catches up with the primary by GTID" "$("$REPLICA" status "$RPORT")"
fi
check_eq "the replica has every activity written while it was down" \
	"$(rsql "SELECT COUNT(*) FROM cairn_mart.activity")" "$(sql "SELECT COUNT(*) FROM cairn_mart.activity")"
