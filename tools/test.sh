#!/usr/bin/env bash
# test.sh: `make test`: builds, starts a private stack, runs every suite, stops it, prints `N passed, N failed`
#
# Suites: C unit tests, integration suites against the real MariaDB, nginx and
# cairn-api, browser tests (node --test + playwright-core + Debian's chromium),
# the unit and integration suites again under ASan/UBSan, and every fuzz target
# for FUZZ_SECONDS (10) seconds. Logs: build/test-logs/.
#
# Environment: CAIRN_TEST_PORT (default derived from the checkout path),
# CAIRN_TEST_ONLY (a glob: run only suites whose name matches),
# CAIRN_TEST_SKIP_SAN=1, CAIRN_TEST_SKIP_FUZZ=1, CAIRN_TEST_SKIP_BROWSER=1.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
LOGS="$ROOT/build/test-logs"
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log "$LOGS/failures.txt"
PASS=0
FAIL=0
FAILED_SUITES=()
ONLY=${CAIRN_TEST_ONLY:-*}
JOBS=${CAIRN_JOBS:-2}

if [ -n "${CAIRN_TEST_PORT:-}" ]; then
	TPORT=$CAIRN_TEST_PORT
else
	sum=$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
	TPORT=$((20000 + (sum % 2000) * 10))
fi
export CAIRN_PORT=$TPORT
export CAIRN_DEMO_YEARS=${CAIRN_DEMO_YEARS:-1}

finish() {
	CAIRN_PORT=$TPORT tools/stack.sh stop >/dev/null 2>&1 || true
	if [ -s "$LOGS/failures.txt" ]; then
		echo "# what the failures said"
		head -n 150 "$LOGS/failures.txt" | sed 's/^/  | /'
	fi
	if [ ${#FAILED_SUITES[@]} -gt 0 ]; then
		echo "failed suites: ${FAILED_SUITES[*]} (logs in build/test-logs/)"
	fi
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ] && [ "$PASS" -gt 0 ]
	exit $?
}
trap 'FAIL=$((FAIL + 1)); FAILED_SUITES+=(interrupted); finish' INT TERM

# run_suite NAME TIMEOUT CMD...: runs one suite, echoes and counts its result lines.
run_suite() {
	local name=$1 limit=$2 log rc p f
	shift 2
	# shellcheck disable=SC2254
	case "$name" in $ONLY) ;; *) return 0 ;; esac
	log="$LOGS/${name//\//_}.log"
	echo "# $name"
	timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1 </dev/null
	rc=$?
	grep -E '^(ok|not ok) ' "$log" | sed 's/^/  /'
	p=$(grep -cE '^ok ' "$log")
	f=$(grep -cE '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			echo "  not ok - $name timed out after ${limit}s"
		else
			echo "  not ok - $name exited with status $rc"
		fi
		tail -n 15 "$log" | sed 's/^/    | /'
		{
			echo "# $name: exited with status $rc; its log ends:"
			tail -n 15 "$log"
		} >>"$LOGS/failures.txt"
	elif [ "$f" -gt 0 ]; then
		# Each failure with what its runner said of it (node's TAP puts
		# the error and stack under the line), again at the end of the run.
		{
			echo "# $name"
			awk '/^not ok /{n=25; print; next} /^(ok|not ok) /{n=0} n>0{print; n--}' "$log"
		} >>"$LOGS/failures.txt"
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "  not ok - $name ran no test"
	fi
	PASS=$((PASS + p))
	FAIL=$((FAIL + f))
	[ "$f" -gt 0 ] && FAILED_SUITES+=("$name")
	return 0
}

echo "# building"
if ! make -j"$JOBS" all units >"$LOGS/build.log" 2>&1; then
	tail -n 30 "$LOGS/build.log"
	echo "not ok - build"
	FAIL=$((FAIL + 1))
	FAILED_SUITES+=(build)
	finish
fi
echo "ok - build"
PASS=$((PASS + 1))

echo "# starting the test stack on port $TPORT"
CAIRN_PORT=$TPORT tools/stack.sh stop >/dev/null 2>&1
rm -rf "var/$TPORT"
if ! CAIRN_PORT=$TPORT tools/stack.sh start >"$LOGS/stack.log" 2>&1; then
	tail -n 20 "$LOGS/stack.log"
	echo "not ok - the test stack starts"
	FAIL=$((FAIL + 1))
	FAILED_SUITES+=(stack)
	finish
fi
echo "ok - the test stack starts"
PASS=$((PASS + 1))
eval "$(CAIRN_PORT=$TPORT tools/stack.sh env)"

# check_sanitizer_reports: one failure per report file a sanitized process left.
check_sanitizer_reports() {
	local f n=0
	echo "# san-reports"
	for f in "$LOGS"/sanitizer.*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		echo "  not ok - sanitizer report $(basename "$f"): $(grep -m1 -E 'ERROR|runtime error' "$f")"
		head -n 25 "$f" | sed 's/^/    | /'
	done
	if [ "$n" -eq 0 ]; then
		echo "  ok - no sanitized process left a report"
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + n))
		FAILED_SUITES+=(san-reports)
	fi
}

run_units() { # bindir label
	local t
	for t in "$1"/test_*; do
		[ -x "$t" ] || continue
		run_suite "$2/$(basename "$t")" 300 "$t"
	done
}

run_integration() { # label
	local s
	for s in tests/integration/[0-9]*.sh; do
		[ -f "$s" ] || continue
		run_suite "$1/$(basename "$s" .sh)" 900 bash "$s"
	done
}

run_units build/tests unit
run_integration integration

if [ "${CAIRN_TEST_SKIP_BROWSER:-0}" != 1 ] && ls tests/browser/*.test.mjs >/dev/null 2>&1; then
	run_suite browser 900 node --test --test-reporter=tap --test-concurrency=1 tests/browser/
fi

if [ "${CAIRN_TEST_SKIP_SAN:-0}" != 1 ]; then
	echo "# building with SANITIZE=address,undefined"
	if make -j"$JOBS" SANITIZE=address,undefined all units >"$LOGS/build-san.log" 2>&1; then
		# Reports go to files (one per process) so that a report from a
		# daemon, whose stderr nobody reads, still fails the run.
		rm -f "$LOGS"/sanitizer.*
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$LOGS/sanitizer
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$LOGS/sanitizer
		run_units build/san/tests san-unit
		CAIRN_BIN="$ROOT/build/san/bin" run_integration san-integration
		unset ASAN_OPTIONS UBSAN_OPTIONS
		check_sanitizer_reports
	else
		tail -n 30 "$LOGS/build-san.log"
		echo "not ok - sanitizer build"
		FAIL=$((FAIL + 1))
		FAILED_SUITES+=(build-san)
	fi
fi

if [ "${CAIRN_TEST_SKIP_FUZZ:-0}" != 1 ] && ls tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
	run_suite fuzz 1800 make --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
fi

finish
