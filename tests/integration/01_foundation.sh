#!/usr/bin/env bash
# 01_foundation.sh: the walking skeleton, migrations, database accounts and clear failures on bad setup
source "$(dirname "$0")/lib.sh"

# --- the walking skeleton: nginx -> FastCGI -> MariaDB
body=$(curl -s -w '\n%{http_code}' "$CAIRN_URL/api/v1/health")
code=${body##*$'\n'}
body=${body%$'\n'*}
check_eq "health answers 200 through nginx" "$code" "200"
schema=$(sql "SELECT MAX(version) FROM cairn_app.schema_version")
got=$(printf '%s' "$body" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["schema"])' 2>&1)
check_eq "health says ok and the schema version from the database" "$got" "ok $schema"
code=$(curl -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/")
check_eq "the dashboard is served from /" "$code" "200"
code=$(curl -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/vendor/chart.umd.js")
check_eq "Chart.js is served from static/vendor" "$code" "200"

# --- migrations: idempotent, failures leave the version where it was
before=$(sql "CHECKSUM TABLE cairn_app.schema_version" | cut -f2)
tables_before=$(sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema LIKE 'cairn\\_%'")
"$CAIRN_BIN/cairn-migrate" --config "$CAIRN_CONFIG" >/dev/null 2>&1
rc=$?
after=$(sql "CHECKSUM TABLE cairn_app.schema_version" | cut -f2)
tables_after=$(sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema LIKE 'cairn\\_%'")
check_eq "a second cairn-migrate exits 0" "$rc" "0"
check_eq "a second cairn-migrate changes no version row" "$after" "$before"
check_eq "a second cairn-migrate creates no table" "$tables_after" "$tables_before"

tmp=$(mktemp -d)
T_CLEANUP+=("rm -rf '$tmp'")
cp "$CAIRN_ROOT"/sql/*.sql "$tmp/"
cat >"$tmp/900_broken.sql" <<'EOF'
-- 900_broken.sql: a migration that fails on its second statement
CREATE TABLE IF NOT EXISTS cairn_app.t_ok (x INT);
CREATE TABLE cairn_app.t_bad (x NOSUCHTYPE);
EOF
version_before=$(sql "SELECT MAX(version) FROM cairn_app.schema_version")
out=$("$CAIRN_BIN/cairn-migrate" --config "$CAIRN_CONFIG" --dir "$tmp" 2>&1)
rc=$?
version_after=$(sql "SELECT MAX(version) FROM cairn_app.schema_version")
check_eq "a failing migration exits 1" "$rc" "1"
check_eq "a failing migration leaves the version where it was" "$version_after" "$version_before"
case "$out" in
*"900_broken.sql"*"statement 2"*"line 3"*) ok "the error names the file, the statement and its line" ;;
*) not_ok "the error names the file, the statement and its line" "$out" ;;
esac
sql "DROP TABLE IF EXISTS cairn_app.t_ok"

sql "INSERT INTO cairn_app.schema_version (version, name) VALUES (999, '999_future.sql')"
out=$("$CAIRN_BIN/cairn-migrate" --config "$CAIRN_CONFIG" 2>&1)
rc=$?
sql "DELETE FROM cairn_app.schema_version WHERE version = 999"
check_eq "cairn-migrate refuses a newer schema (exit 6)" "$rc" "6"
case "$out" in
*"newer"*) ok "the refusal says the schema is newer" ;;
*) not_ok "the refusal says the schema is newer" "$out" ;;
esac

# --- accounts: the API account can read marts and cannot write them
api_user=$(conf_get api_db_user)
api_pass=$(conf_get api_db_password)
etl_user=$(conf_get etl_db_user)
etl_pass=$(conf_get etl_db_password)
as_api() { MYSQL_PWD="$api_pass" mariadb --no-defaults -S "$CAIRN_TEST_DB_SOCKET" -u"$api_user" -N -B -e "$1"; }
as_etl() { MYSQL_PWD="$etl_pass" mariadb --no-defaults -S "$CAIRN_TEST_DB_SOCKET" -u"$etl_user" -N -B -e "$1"; }
check "the API account can SELECT from the marts" as_api "SELECT COUNT(*) FROM cairn_mart.activity"
out=$(as_api "INSERT INTO cairn_mart.athlete (id) VALUES (424242)" 2>&1)
rc=$?
if [ $rc -ne 0 ] && [[ "$out" == *"denied"* ]]; then ok "an INSERT into the marts through the API account is refused"; else not_ok "an INSERT into the marts through the API account is refused" "rc=$rc $out"; fi
# (it may store an athlete's tokens at login: docs/CONFIG.md, accounts)
# It reads raw activities and streams for the archive (GET /api/v1/export/archive), nothing more.
check "the API account can read raw activities (the archive)" as_api "SELECT COUNT(*) FROM cairn_raw.activity"
out=$(as_api "UPDATE cairn_raw.activity SET name = 'x'" 2>&1)
rc=$?
if [ $rc -ne 0 ] && [[ "$out" == *"denied"* ]]; then ok "the API account cannot change raw activities"; else not_ok "the API account cannot change raw activities" "$out"; fi
out=$(as_api "SELECT COUNT(*) FROM cairn_raw.gear" 2>&1)
rc=$?
if [ $rc -ne 0 ]; then ok "the API account cannot read the other raw tables (gear)"; else not_ok "the API account cannot read the other raw tables (gear)" "$out"; fi
out=$(as_api "DELETE FROM cairn_raw.activity_stream" 2>&1)
rc=$?
if [ $rc -ne 0 ] && [[ "$out" == *"denied"* ]]; then ok "the API account cannot delete raw streams"; else not_ok "the API account cannot delete raw streams" "$out"; fi
check "the ETL account can write the marts" as_etl "DELETE FROM cairn_mart.athlete WHERE id = 424242"

# --- bad setup gives one clear line and a non-zero exit, never a hang
out=$(timeout 20 "$CAIRN_BIN/cairn-migrate" --config /nonexistent/cairn.conf 2>&1)
rc=$?
check_eq "a missing config file exits 2" "$rc" "2"
case "$out" in
*"cannot open config file /nonexistent/cairn.conf"*) ok "a missing config file is named with what to do" ;;
*) not_ok "a missing config file is named with what to do" "$out" ;;
esac

bad=$(conf_with db_socket="$CAIRN_VAR/no-such.sock")
out=$(timeout 20 "$CAIRN_BIN/cairn-migrate" --config "$bad" 2>&1)
rc=$?
check_eq "a missing MariaDB exits 1 quickly" "$rc" "1"
case "$out" in
*"cannot connect to MariaDB"*"make start"*) ok "a missing MariaDB says so and what to do" ;;
*) not_ok "a missing MariaDB says so and what to do" "$out" ;;
esac
lines=$(printf '%s\n' "$out" | grep -c .)
check_eq "a missing MariaDB gives one line" "$lines" "1"

wr=$(conf_with)
chmod 644 "$wr"
out=$(timeout 20 "$CAIRN_BIN/cairn-migrate" --config "$wr" 2>&1)
rc=$?
check_eq "a world-readable config with secrets is refused (exit 2)" "$rc" "2"
if [[ "$out" == *"world-readable"* ]] && [[ "$out" != *"$api_pass"* ]]; then
	ok "the refusal says why and shows no secret"
else
	not_ok "the refusal says why and shows no secret" "$out"
fi

# A busy port: a second stack on the port of this one must refuse clearly.
busy_port=$(free_port)
python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(60)' "$busy_port" &
holder=$!
T_CLEANUP+=("kill $holder 2>/dev/null")
wait_listen "$busy_port" || not_ok "the port holder listens" "$busy_port"
out=$(CAIRN_PORT=$((busy_port - 1)) timeout 60 "$CAIRN_ROOT/tools/stack.sh" db-start 2>&1)
rc=$?
CAIRN_PORT=$((busy_port - 1)) "$CAIRN_ROOT/tools/stack.sh" stop >/dev/null 2>&1
rm -rf "$CAIRN_ROOT/var/$((busy_port - 1))"
if [ $rc -ne 0 ] && [[ "$out" == *"port $busy_port"*"busy"* ]]; then
	ok "a busy port stops the stack with a clear line"
else
	not_ok "a busy port stops the stack with a clear line" "rc=$rc $out"
fi

# A MariaDB that exits at start (here: a setting it refuses) ends the wait at
# once with its own error. The timeout is under the wait's 60 s: a wait that
# did not watch the server would end in 124, not 1.
bad_port=$(free_port)
out=$(CAIRN_PORT=$bad_port CAIRN_DB_BUFFER_POOL=lots timeout 55 "$CAIRN_ROOT/tools/stack.sh" db-start 2>&1)
rc=$?
CAIRN_PORT=$bad_port "$CAIRN_ROOT/tools/stack.sh" stop >/dev/null 2>&1
rm -rf "$CAIRN_ROOT/var/$bad_port"
check_eq "a MariaDB that exits at start stops the stack (exit 1)" "$rc" "1"
if [[ "$out" == *"MariaDB exited at start"*"innodb-buffer-pool-size"* ]]; then
	ok "the line says MariaDB exited and quotes its error"
else
	not_ok "the line says MariaDB exited and quotes its error" "$out"
fi
