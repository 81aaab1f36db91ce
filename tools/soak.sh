#!/usr/bin/env bash
# soak.sh: `make soak`: SIGKILLs cairn-extract, cairn-import and cairn-transform at random points; each rerun must equal a clean run
#
# usage: tools/soak.sh [--in-stack]
#   without --in-stack: starts a private MariaDB (tools/stack.sh db-start) on
#   CAIRN_SOAK_PORT (derived from the checkout), stops it at the end;
#   --in-stack: uses the running stack of the environment (CAIRN_CONFIG ...),
#   as tests/integration/80_soak.sh does inside `make test`. Its database is
#   wiped (fresh_db) before and after.
#
# Method. A clean run (auth, extract, import, transform) against a private
# local Strava (SOAK_COUNT activities, limits far above what the soak uses) and SOAK_FILES synthetic
# GPX files gives a reference: a deterministic dump of cairn_raw + cairn_mart
# (tools/soak_dump.sh says which run-time columns are left out and why) after
# each stage, and a database snapshot before each stage. A second clean run
# must give the same dumps (else nothing can be compared). Then, for each
# program, SOAK_TRIALS times: restore the snapshot before its stage, start it,
# SIGKILL it after a random delay in [0, its clean duration], rerun it
# to completion, and compare the dump with the reference of that stage.
#
# Environment: SOAK_TRIALS (200 each), SOAK_PROGRAMS ("extract import
# transform"), SOAK_COUNT (40), SOAK_FILES (30), SOAK_SEED (random; printed,
# set it to replay the same kill points). Failing diffs: build/soak/<port>/.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
TRIALS=${SOAK_TRIALS:-200}
PROGRAMS=${SOAK_PROGRAMS:-extract import transform}
COUNT=${SOAK_COUNT:-40}
NFILES=${SOAK_FILES:-30}
SEED=${SOAK_SEED:-$((RANDOM * 32768 + RANDOM))}
OWN_STACK=1
[ "${1:-}" = "--in-stack" ] && OWN_STACK=0
if [ "$OWN_STACK" = 1 ]; then
	if [ -z "${CAIRN_SOAK_PORT:-}" ]; then
		sum=$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
		CAIRN_SOAK_PORT=$((40000 + (sum % 2000) * 10))
	fi
	export CAIRN_PORT=$CAIRN_SOAK_PORT
	unset CAIRN_CONFIG
fi
# One directory per stack: `make soak` and `make test` may run side by side.
OUT="$ROOT/build/soak/${CAIRN_PORT:-8080}"
mkdir -p "$OUT"
chmod 700 "$ROOT/build/soak" "$OUT"
rm -f "$OUT"/*.diff "$OUT"/*.dump "$OUT"/*.sql "$OUT"/*.log "$OUT"/*.txt
if [ "$OWN_STACK" = 1 ]; then
	tools/stack.sh db-start >"$OUT/stack.log" 2>&1 || {
		echo "not ok - the soak database starts # see $OUT/stack.log"
		exit 1
	}
fi
# shellcheck source=/dev/null
source tests/integration/lib.sh


say() { printf '# %s\n' "$*"; }
now_ms() { date +%s%3N; }

say "soak: seed $SEED (SOAK_SEED=$SEED replays it), $TRIALS trial(s) each of: $PROGRAMS"
RANDOM=$((SEED % 32768))

fresh_db >/dev/null
T_CLEANUP+=("fresh_db >/dev/null 2>&1")
# The dump's SELECTs are written once (the schema does not change).
export SOAK_DUMP_SCRIPT="$OUT/dump-script.txt"
rm -f "$SOAK_DUMP_SCRIPT"
if [ "$OWN_STACK" = 1 ]; then
	T_CLEANUP+=("CAIRN_PORT=$CAIRN_PORT tools/stack.sh db-stop >/dev/null 2>&1")
fi
start_fake --count "$COUNT" --short-limit 1000000 --daily-limit 10000000 --seed 11 || { not_ok "the local Strava starts"; exit 1; }
CONF=$(conf_with "strava_api_url=$FAKE_URL/api/v3" "strava_oauth_url=$FAKE_URL/oauth" "log_level=warn")
T_CLEANUP+=("rm -f '$CONF'")
FILES="$OUT/gpx"
if [ "$(find "$FILES" -name '*.gpx' 2>/dev/null | wc -l)" != "$NFILES" ]; then
	rm -rf "$FILES"
	python3 tests/integration/soak_gpx.py "$FILES" "$NFILES" 5 || { not_ok "the GPX files are written"; exit 1; }
fi

# Snapshots live on the server, as schemas soak_<stage> holding a copy of
# every table of cairn_raw, cairn_app and cairn_mart (named schema__table):
# taking one is a CREATE TABLE LIKE and an INSERT ... SELECT per table, and
# restoring one is a DELETE and an INSERT ... SELECT per table, each far
# cheaper than a dump and a reload through the client. The restore script,
# written when the snapshot is taken, also puts each table's AUTO_INCREMENT
# back, so ids a rerun hands out are those of the clean run.
db() { mariadb --no-defaults -S "$CAIRN_TEST_DB_SOCKET" -uroot -N -B "$@"; }
SOAK_TABLES="table_schema IN ('cairn_raw', 'cairn_app', 'cairn_mart') AND table_type = 'BASE TABLE'"
snapshot() { # stage
	local snap="soak_$1"
	db -e "SELECT CONCAT('DROP DATABASE IF EXISTS $snap; CREATE DATABASE $snap;')
		UNION ALL
		SELECT CONCAT('CREATE TABLE $snap.\`', table_schema, '__', table_name, '\` LIKE \`',
			table_schema, '\`.\`', table_name, '\`; INSERT INTO $snap.\`', table_schema, '__',
			table_name, '\` SELECT * FROM \`', table_schema, '\`.\`', table_name, '\`;')
		FROM information_schema.tables WHERE $SOAK_TABLES" | db || return 1
	{
		echo "SET FOREIGN_KEY_CHECKS = 0;"
		db -e "SELECT CONCAT('DELETE FROM \`', table_schema, '\`.\`', table_name, '\`; INSERT INTO \`',
			table_schema, '\`.\`', table_name, '\` SELECT * FROM $snap.\`', table_schema, '__', table_name, '\`;',
			IF(auto_increment IS NULL, '', CONCAT(' ALTER TABLE \`', table_schema, '\`.\`', table_name,
				'\` AUTO_INCREMENT = ', auto_increment, ';')))
			FROM information_schema.tables WHERE $SOAK_TABLES ORDER BY table_schema, table_name"
	} >"$OUT/restore-$1.sql" || return 1
}
restore() { # stage
	db <"$OUT/restore-$1.sql"
}
drop_snapshots() {
	db -e "SELECT CONCAT('DROP DATABASE \`', schema_name, '\`;') FROM information_schema.schemata
		WHERE schema_name LIKE 'soak\\_%'" | db
}

# The snapshots hold OAuth tokens: never leave them behind.
drop_snapshots
T_CLEANUP+=("drop_snapshots >/dev/null 2>&1; rm -f '$OUT'/*.sql")

authorise() {
	local code
	code=$(curl -sf -X POST "$FAKE_URL/_fake/code?athlete=1001&scope=read,activity:read_all,profile:read_all" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])') || return 1
	printf '%s\n' "$code" | "$CAIRN_BIN/cairn-extract" --config "$CONF" auth --code - >/dev/null 2>&1
}

# The command line of each program's stage, in CMD (run directly, so that $!
# is the program itself and SIGKILL reaches it, not a wrapping subshell).
prog_cmd() { # program
	case "$1" in
	extract) CMD=("$CAIRN_BIN/cairn-extract" --config "$CONF" sync) ;;
	import) CMD=("$CAIRN_BIN/cairn-import" --config "$CONF" --no-progress "$FILES") ;;
	transform) CMD=("$CAIRN_BIN/cairn-transform" --config "$CONF") ;;
	esac
}
run_prog() { # program
	prog_cmd "$1"
	"${CMD[@]}"
}

STAGES=(extract import transform)
declare -A DUR_MS

# clean_run TAG: the whole pipeline from the authorised snapshot; dumps after each stage.
clean_run() {
	local tag=$1 p t0 rc
	restore extract || return 1
	# The snapshot before extract holds the authorised athlete and no
	# activity: a restore that left rows behind would make every trial moot.
	if [ "$(sql "SELECT COUNT(*) FROM cairn_raw.activity")" != 0 ]; then
		echo "the restored snapshot before extract still holds activities" >>"$OUT/clean-$tag.log"
		return 1
	fi
	for p in "${STAGES[@]}"; do
		if [ "$tag" = ref ] && [ "$p" != extract ]; then snapshot "$p" || return 1; fi
		t0=$(now_ms)
		run_prog "$p" >>"$OUT/clean-$tag.log" 2>&1
		rc=$?
		DUR_MS[$p]=$(($(now_ms) - t0))
		if [ "$rc" -ne 0 ]; then
			echo "clean $p exited $rc" >>"$OUT/clean-$tag.log"
			return 1
		fi
		tools/soak_dump.sh "$OUT/$tag-after-$p.dump" || return 1
	done
}

authorise || { not_ok "the soak athlete is authorised with the local Strava"; exit 1; }
snapshot extract || { not_ok "the authorised database is snapshotted"; exit 1; }
if ! clean_run ref; then
	not_ok "a clean run (extract, import, transform) succeeds" "see $OUT/clean-ref.log: $(tail -n 2 "$OUT/clean-ref.log" | tr '\n' ' ')"
	exit 1
fi
acts=$(sql "SELECT COUNT(*) FROM cairn_raw.activity")
marts=$(sql "SELECT COUNT(*) FROM cairn_mart.activity")
if [ "$acts" -ge $((COUNT + NFILES)) ] && [ "$marts" -eq "$acts" ]; then
	ok "a clean run stores $acts activities in raw and mart (extract ${DUR_MS[extract]} ms, import ${DUR_MS[import]} ms, transform ${DUR_MS[transform]} ms)"
else
	not_ok "a clean run stores every activity in raw and mart" "raw $acts, mart $marts, want >= $((COUNT + NFILES)) each"
fi

declare -A REF_MS
for p in "${STAGES[@]}"; do REF_MS[$p]=${DUR_MS[$p]}; done

# The reference must be reproducible, else the trials compare noise.
if clean_run again; then
	same=1
	for p in "${STAGES[@]}"; do
		if ! cmp -s "$OUT/ref-after-$p.dump" "$OUT/again-after-$p.dump"; then
			same=0
			diff "$OUT/ref-after-$p.dump" "$OUT/again-after-$p.dump" >"$OUT/reproducible-$p.diff"
			not_ok "two clean runs give the same raw and mart after $p" "$(head -c 300 "$OUT/reproducible-$p.diff" | tr '\n' ' ')"
		fi
	done
	[ "$same" = 1 ] && ok "two clean runs give the same raw and mart after every stage (the dump is deterministic)"
	say "second clean run: extract ${DUR_MS[extract]} ms, import ${DUR_MS[import]} ms, transform ${DUR_MS[transform]} ms"
else
	not_ok "a second clean run succeeds" "see $OUT/clean-again.log"
fi

# Kill points are drawn from the shorter of the two clean runs (the local
# Strava caches what it generated, so runs after the first are faster).
for p in "${STAGES[@]}"; do
	[ "${DUR_MS[$p]}" -lt "${REF_MS[$p]}" ] && REF_MS[$p]=${DUR_MS[$p]}
done

# trial PROGRAM N: restore, start, SIGKILL at random, rerun, compare. Sets
# KILLED, RERUNS, WHY, and adds to the step times T_RESTORE, T_RUN, T_RERUN,
# T_DUMP (ms). The kill point is drawn from [0, REF_MS]; a trial whose run
# ended before its kill point and succeeded lowers REF_MS to that run's
# length, so the kills keep landing mid-run when runs get faster (caches
# warm, the machine less busy) than the clean runs were.
trial() {
	local p=$1 n=$2 pid sleeper done_pid delay_ms rc attempts=0 log="$OUT/trial.log" t0 t1
	KILLED=0
	WHY=
	t0=$(now_ms)
	restore "$p" || { WHY="cannot restore the snapshot"; return 1; }
	t1=$(now_ms)
	T_RESTORE=$((T_RESTORE + t1 - t0))
	delay_ms=$((REF_MS[$p] * ((RANDOM << 15 | RANDOM) % 1000) / 1000))
	prog_cmd "$p"
	t0=$(now_ms)
	"${CMD[@]}" >"$log" 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))" &
	sleeper=$!
	wait -n -p done_pid "$pid" "$sleeper"
	rc=$?
	if [ "$done_pid" = "$pid" ]; then
		# It ended before the kill point: a whole run.
		t1=$(now_ms)
		kill "$sleeper" 2>/dev/null
		wait "$sleeper" 2>/dev/null
		[ "$rc" -eq 0 ] && [ $((t1 - t0)) -lt "${REF_MS[$p]}" ] && REF_MS[$p]=$((t1 - t0))
	else
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		# 137: the kill ended it (not a run that ended just before).
		[ $? -eq 137 ] && KILLED=1
	fi
	t1=$(now_ms)
	T_RUN=$((T_RUN + t1 - t0))
	# Rerun until it says done (exit 3 "partial" may mean a lock the killed
	# run held is not free yet; it must still end with the clean data).
	while :; do
		attempts=$((attempts + 1))
		run_prog "$p" >>"$log" 2>&1
		rc=$?
		[ "$rc" -eq 0 ] && break
		if [ "$attempts" -ge 3 ]; then
			WHY="trial $n (kill after $delay_ms ms): the rerun exited $rc three times: $(tail -n 1 "$log")"
			return 1
		fi
		sleep 1
	done
	t0=$(now_ms)
	T_RERUN=$((T_RERUN + t0 - t1))
	RERUNS=$((RERUNS + attempts - 1))
	# Keep the story of a rerun that did not succeed at once.
	[ "$attempts" -gt 1 ] && cp "$log" "$OUT/rerun-$p-$n.log"
	tools/soak_dump.sh "$OUT/trial.dump" || { WHY="cannot dump"; return 1; }
	T_DUMP=$((T_DUMP + $(now_ms) - t0))
	if ! cmp -s "$OUT/ref-after-$p.dump" "$OUT/trial.dump"; then
		diff "$OUT/ref-after-$p.dump" "$OUT/trial.dump" >"$OUT/fail-$p-$n.diff"
		cp "$log" "$OUT/fail-$p-$n.log"
		WHY="trial $n (kill after $delay_ms ms of ~${REF_MS[$p]}): raw/mart differ from the clean run in $(grep -c '^[<>]' "$OUT/fail-$p-$n.diff") line(s), e.g. $(grep -m 2 '^[<>]' "$OUT/fail-$p-$n.diff" | cut -c1-160 | tr '\n' ' ') (build/soak/$CAIRN_PORT/fail-$p-$n.diff)"
		return 1
	fi
	return 0
}

for p in $PROGRAMS; do
	case "$p" in extract | import | transform) ;; *) not_ok "soak $p" "unknown program"; continue ;; esac
	passed=0 failed=0 mid=0 RERUNS=0 T_RESTORE=0 T_RUN=0 T_RERUN=0 T_DUMP=0 t0=$(now_ms)
	for ((n = 1; n <= TRIALS; n++)); do
		if trial "$p" "$n"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			[ "$failed" -le 5 ] && not_ok "cairn-$p killed at a random point, rerun, equals a clean run" "$WHY"
		fi
		mid=$((mid + KILLED))
		[ $((n % 10)) -eq 0 ] && printf '# %s: %d/%d trials, %d failed\n' "$p" "$n" "$TRIALS" "$failed" >&2
	done
	secs=$((($(now_ms) - t0) / 1000))
	say "cairn-$p: ${secs} s: restore $((T_RESTORE / 1000)) s, run to the kill $((T_RUN / 1000)) s, rerun $((T_RERUN / 1000)) s, dump $((T_DUMP / 1000)) s; kill points drawn from 0 to ${REF_MS[$p]} ms at the end"
	if [ "$failed" -eq 0 ]; then
		ok "cairn-$p: $TRIALS SIGKILL trials ($mid killed mid-run, $RERUNS extra reruns), every rerun equals a clean run in raw and mart (${secs}s)"
	elif [ "$failed" -gt 5 ]; then
		not_ok "cairn-$p: $failed of $TRIALS trials differ from a clean run" "first diffs in build/soak/$CAIRN_PORT/"
	fi
	# Most kills must land while the program runs, or the trials prove little
	# (a third as the bound: run times vary on a shared machine).
	if [ "$mid" -ge $(((TRIALS + 2) / 3)) ]; then
		ok "cairn-$p: kills landed mid-run in $mid of $TRIALS trials"
	else
		not_ok "cairn-$p: at least a third of the kills landed mid-run" "only $mid of $TRIALS (clean run ${REF_MS[$p]} ms)"
	fi
done
drop_snapshots
rm -f "$OUT"/*.sql "$OUT/trial.dump"
echo "soak: $T_PASS passed, $T_FAIL failed"
[ "$T_FAIL" -eq 0 ]
