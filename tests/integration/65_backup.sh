#!/usr/bin/env bash
# 65_backup.sh: a mariadb-dump restored into fresh schemas gives the same API answers (docs/DEPLOY.md, backup)
source "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
T_CLEANUP+=("rm -rf '$TMP'")
ROUTES=("summary?group=week" "fitness?from=2025-01-01&to=2025-01-31" "activities?limit=50" "activities/101"
	"records" "gear" "calendar?year=2025" "eddington?sport=ride&unit=km")

# A fresh cairn-api (empty answer cache) on the stack's socket.
restart_api() {
	local pid
	pid=$(cat "$CAIRN_VAR/run/api.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	"$CAIRN_ROOT/tools/stack.sh" start >/dev/null 2>&1
}
answers() { # the bodies of every route, one per line
	local r
	for r in "${ROUTES[@]}"; do
		printf '%s %s\n' "$r" "$(curl -s -w ' %{http_code}' "$CAIRN_URL/api/v1/$r")"
	done
}

fresh_db
sql "source $CAIRN_ROOT/tests/data/api/dataset.sql" || { not_ok "load the hand-checked dataset"; exit 1; }
restart_api
answers >"$TMP/before.txt"
check "every route answers 200 before the backup" test "$(grep -c ' 200$' "$TMP/before.txt")" -eq ${#ROUTES[@]}

mariadb-dump --no-defaults -S "$CAIRN_TEST_DB_SOCKET" -uroot --single-transaction --routines \
	--databases cairn_raw cairn_app cairn_mart >"$TMP/dump.sql" 2>"$TMP/dump.err"
check_eq "mariadb-dump of the three schemas succeeds" "$?" "0"

sql "DROP DATABASE cairn_raw; DROP DATABASE cairn_app; DROP DATABASE cairn_mart;"
restart_api
code=$(curl -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/api/v1/summary?group=week")
if [ "$code" != 200 ]; then ok "with the schemas gone the API does not answer 200 (it reads the database)"; else not_ok "with the schemas gone the API does not answer 200 (it reads the database)"; fi

mariadb --no-defaults -S "$CAIRN_TEST_DB_SOCKET" -uroot <"$TMP/dump.sql"
check_eq "the dump restores into fresh schemas" "$?" "0"
check "cairn-migrate --accounts after the restore" "$CAIRN_BIN/cairn-migrate" --config "$CAIRN_CONFIG" --accounts
status=$("$CAIRN_BIN/cairn-migrate" --config "$CAIRN_CONFIG" --status 2>/dev/null)
if [[ "$status" =~ ^applied\ ([0-9]+),\ known\ ([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
	ok "the restored schema version is the known one ($status)"
else
	not_ok "the restored schema version is the known one" "$status"
fi
restart_api
answers >"$TMP/after.txt"
if diff -q "$TMP/before.txt" "$TMP/after.txt" >/dev/null; then
	ok "after the restore every route answers exactly as before"
else
	not_ok "after the restore every route answers exactly as before" "$(diff "$TMP/before.txt" "$TMP/after.txt" | head -c 300)"
fi
