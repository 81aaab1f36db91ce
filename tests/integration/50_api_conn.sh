#!/usr/bin/env bash
# 50_api_conn.sh: cairn-api's FastCGI connections (kept, idle, broken, large answers) and its mart stamp (versions re-read exactly when it changes)
set -u
. "$(dirname "$0")/lib.sh"
DATA="$CAIRN_ROOT/tests/data/api"
TMP=$(mktemp -d)
T_CLEANUP+=("rm -rf '$TMP'")
STACK="$CAIRN_ROOT/tools/stack.sh"
CONN="python3 $CAIRN_ROOT/tests/integration/api_conn.py"

fresh_db
sql "source $DATA/dataset.sql" || { not_ok "load dataset" "sql failed"; exit 1; }
# 1,500 more activities (copies of the first under new ids): a CSV of
# several FastCGI records.
sql "CREATE TABLE cairn_mart.t_copy SELECT a.*, s.seq FROM cairn_mart.activity a
	JOIN cairn_raw.seq_1_to_1500 s WHERE a.id = (SELECT MIN(id) FROM cairn_mart.activity);
	UPDATE cairn_mart.t_copy SET id = 9000000 + seq;
	ALTER TABLE cairn_mart.t_copy DROP COLUMN seq;
	INSERT INTO cairn_mart.activity SELECT * FROM cairn_mart.t_copy;
	DROP TABLE cairn_mart.t_copy;" || not_ok "add activities" "sql failed"

# A private cairn-api: two workers here, one for the stamp checks below.
ASOCK="$TMP/api.sock"
STAMP="$TMP/mart.stamp"
start_api() { start_private_api "$1" "$ASOCK" "$TMP/api.log"; }

ACONF=$(conf_with api_socket="$ASOCK" api_workers=2 mart_stamp="$STAMP")
start_api "$ACONF" || { not_ok "a private cairn-api starts" "$(tail -n 3 "$TMP/api.log")"; exit 1; }
$CONN checks "$ASOCK" 2 "$CAIRN_URL" || T_FAIL=$((T_FAIL + 1))
threads=$(ls "/proc/$API_PID/task" | wc -l)
check_eq "no worker lost to broken connections (threads: main + 2)" "$threads" 3
stop_private_api
check_eq "cairn-api stops on SIGTERM with kept connections open" "$(kill -0 "$API_PID" 2>/dev/null && echo running || echo stopped)" stopped

# ---------------------------------------------------------------- the mart stamp
version_of() { # the mart version in the ETag of a summary, via the private API
	$CONN get "$ASOCK" /api/v1/summary group=year | sed -n 's/^200 "\([0-9a-f]*\)-.*/\1/p'
}
raw_sql() { # SQL that does not rewrite the stamp, as an operator might forget
	mariadb --no-defaults -S "$CAIRN_TEST_DB_SOCKET" -uroot -N -B -e "$1"
}
head -c 16 /dev/urandom >"$STAMP"
# One worker, one memo: which worker answers cannot change what an answer shows.
ACONF=$(conf_with api_socket="$ASOCK" api_workers=1 mart_stamp="$STAMP" api_version_max_age=60000)
start_api "$ACONF" || { not_ok "cairn-api starts with a stamp" "$(tail -n 3 "$TMP/api.log")"; exit 1; }
v0=$(version_of)
check_eq "the ETag carries the mart version" "$v0" "7"
raw_sql "UPDATE cairn_mart.athlete SET mart_version = 8"
check_eq "a change without a new stamp is not looked up (the version is remembered)" "$(version_of)" "7"
mart_stamp_bump "$STAMP"
check_eq "a new stamp: the next answer has the new version" "$(version_of)" "8"
raw_sql "UPDATE cairn_mart.athlete SET mart_version = 9"
"$CAIRN_BIN/cairn-migrate" --config "$ACONF" >/dev/null 2>&1
check_eq "cairn-migrate (run after a restore) rewrites the stamp" "$(version_of)" "9"

# The outage still answers 503, though no statement is needed to answer.
"$STACK" db-stop >/dev/null 2>&1
sleep 0.2
st=$($CONN get "$ASOCK" /api/v1/summary group=year | cut -d' ' -f1)
check_eq "MariaDB stopped: 503, not a remembered answer" "$st" 503
"$STACK" db-start >/dev/null 2>&1 || not_ok "MariaDB starts again" "db-start failed"
st=
for _ in $(seq 40); do
	st=$($CONN get "$ASOCK" /api/v1/summary group=year | cut -d' ' -f1)
	[ "$st" = 200 ] && break
	sleep 0.1
done
check_eq "MariaDB back: 200 again" "$st" 200
stop_private_api

# No stamp file at all: every request looks the version up.
rm -f "$STAMP"
start_api "$ACONF" || { not_ok "cairn-api starts without a stamp file" "$(tail -n 3 "$TMP/api.log")"; exit 1; }
version_of >/dev/null
raw_sql "UPDATE cairn_mart.athlete SET mart_version = 10"
check_eq "without a stamp file a change is seen at once" "$(version_of)" "a"
stop_private_api
[ "$T_FAIL" -eq 0 ]
