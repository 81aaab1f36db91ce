#!/usr/bin/env bash
# test.sh: `make test`: every suite, on two private stacks side by side; prints each suite's result and time, then `N passed, N failed`
#
# What runs (logs in build/test-logs/):
#   build, lint/*        programs and unit tests (warnings are errors), the
#                        static checks of `make check` (tools/check.sh)
#   lane 1, stack A      plain build: unit/*, every integration/*.sh in order
#   lane 2, stack B      the ASan/UBSan build, run as the stack itself (the
#                        cairn-api behind nginx is sanitized too): san-unit/*,
#                        then the integration suites of SAN_SUITES below;
#                        then stack B anew of the plain build for the browser
#                        suite (node --test, playwright-core, Debian's
#                        chromium); then every fuzz target for FUZZ_SECONDS
#                        (10) seconds
# The two lanes share the two cores: one lane's waits (rate windows, kills,
# restarts) are the other's CPU time. Results are printed when both lanes
# are done, in a fixed order; a line `# done NAME` marks progress meanwhile.
#
# Environment: CAIRN_TEST_PORT (stack A's port; B is A+3; default derived
# from the checkout path), CAIRN_TEST_ONLY (a glob on suite names),
# CAIRN_TEST_SKIP_SAN=1, CAIRN_TEST_SKIP_FUZZ=1, CAIRN_TEST_SKIP_BROWSER=1.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=tools/suite.sh
source tools/suite.sh
suite_init "$ROOT/build/test-logs"
rm -f "$LOGS"/sanitizer.* "$LOGS/stack-b.failed"
JOBS=${CAIRN_JOBS:-2}
PORT_A=${CAIRN_TEST_PORT:-$(checkout_port)}
PORT_B=$((PORT_A + 3))
export CAIRN_DEMO_YEARS=${CAIRN_DEMO_YEARS:-1}
SKIP_SAN=${CAIRN_TEST_SKIP_SAN:-0}
SKIP_FUZZ=${CAIRN_TEST_SKIP_FUZZ:-0}
SKIP_BROWSER=${CAIRN_TEST_SKIP_BROWSER:-0}

# The integration suites worth running sanitized: those that drive the C code
# with varied or hostile input, where ASan/UBSan see what the plain pass
# cannot (an overread that happens to return the right bytes, a leak, a
# signed overflow). docs/ARCHITECTURE.md ("Tests") says why each is here and
# why the others are not.
SAN_SUITES="20_extract 22_extract_auth 23_extract_faults 30_transform 40_import 50_api 50_api_conn 50_api_junk 72_webhooks"

# Sanitizer reports go to files (one per process), so that a report from a
# daemon, whose stderr nobody reads, still fails the run.
SAN_ENV=(ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:log_path=$LOGS/sanitizer"
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$LOGS/sanitizer")

stop_stacks() {
	CAIRN_PORT=$PORT_A tools/stack.sh stop >/dev/null 2>&1 || true
	CAIRN_PORT=$PORT_B CAIRN_BIN="$ROOT/build/san/bin" tools/stack.sh stop >/dev/null 2>&1 || true
}
SUITE_ON_FINISH=stop_stacks
trap 'kill $(jobs -p) 2>/dev/null; suite_fail interrupted; suite_finish' INT TERM

# fresh_stack PORT LOG [ENV...]: a stack of its own under var/PORT/.
fresh_stack() {
	local port=$1 log=$2
	shift 2
	env CAIRN_PORT="$port" "$@" tools/stack.sh stop >/dev/null 2>&1
	rm -rf "var/$port"
	env CAIRN_PORT="$port" "$@" tools/stack.sh start >"$log" 2>&1
}

# lane_run NAME SECONDS CMD...: one suite of a lane (reported later).
lane_run() {
	suite_wanted "$1" || return 0
	suite_exec "$@"
	echo "# done $1 ($(cat "$(suite_log "$1" | sed 's/\.log$/.time/')") s)"
}

lane1() {
	local t s
	for t in build/tests/test_*; do
		[ -x "$t" ] && lane_run "unit/$(basename "$t")" 300 "$t"
	done
	eval "$(CAIRN_PORT=$PORT_A tools/stack.sh env)"
	for s in tests/integration/[0-9]*.sh; do
		lane_run "integration/$(basename "$s" .sh)" 900 bash "$s"
	done
}

lane2() {
	local t s
	if [ "$SKIP_SAN" != 1 ]; then
		# Built while lane 1 starts, at a lower priority.
		nice -n 5 make -j"$JOBS" SANITIZE=address,undefined all units >"$LOGS/build-san.log" 2>&1
		echo "$?" >"$LOGS/build-san.rc"
		echo "# done the sanitizer build"
		if [ "$(cat "$LOGS/build-san.rc")" = 0 ]; then
			for t in build/san/tests/test_*; do
				[ -x "$t" ] && lane_run "san-unit/$(basename "$t")" 300 env "${SAN_ENV[@]}" "$t"
			done
			if fresh_stack "$PORT_B" "$LOGS/stack-b.log" CAIRN_BIN="$ROOT/build/san/bin" "${SAN_ENV[@]}"; then
				eval "$(CAIRN_PORT=$PORT_B CAIRN_BIN="$ROOT/build/san/bin" tools/stack.sh env)"
				for s in $SAN_SUITES; do
					lane_run "san-integration/$s" 900 env "${SAN_ENV[@]}" bash "tests/integration/$s.sh"
				done
				# Stopped here, so that what the sanitized cairn-api
				# reports at exit (leaks) is read below.
				CAIRN_PORT=$PORT_B CAIRN_BIN="$ROOT/build/san/bin" tools/stack.sh stop >/dev/null 2>&1
			else
				echo "the sanitized stack did not start: $(tail -n 1 "$LOGS/stack-b.log")" >>"$LOGS/stack-b.failed"
			fi
		fi
	fi
	# Stack B again, now of the plain build, for the browser.
	if [ "$SKIP_BROWSER" != 1 ] && suite_wanted browser; then
		if fresh_stack "$PORT_B" "$LOGS/stack-b.log"; then
			eval "$(CAIRN_PORT=$PORT_B tools/stack.sh env)"
			lane_run browser 900 node --test --test-reporter=tap --test-concurrency=1 tests/browser/
		else
			echo "the browser's stack did not start: $(tail -n 1 "$LOGS/stack-b.log")" >>"$LOGS/stack-b.failed"
		fi
	fi
	if [ "$SKIP_FUZZ" != 1 ] && ls tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
		lane_run fuzz 1800 make -j"$JOBS" --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
	fi
}

suite_build -j"$JOBS" all units

lane2 &
LANE2=$!

run_step lint/c-format 60 make --no-print-directory check-format
run_step lint/globals 300 make --no-print-directory check-globals
run_step lint/layers 30 tools/check_layers.sh
run_step lint/js 120 tools/lint_js.sh

echo "# starting the test stack on port $PORT_A"
if ! fresh_stack "$PORT_A" "$LOGS/stack.log"; then
	tail -n 20 "$LOGS/stack.log"
	kill "$LANE2" 2>/dev/null
	suite_fail stack "the test stack did not start (build/test-logs/stack.log)"
	suite_finish
fi
echo "ok - the test stack starts"
PASS=$((PASS + 1))

lane1
wait "$LANE2"

# Report in a fixed order: lane 1, then lane 2.
for t in build/tests/test_*; do
	[ -x "$t" ] && suite_wanted "unit/$(basename "$t")" && suite_report "unit/$(basename "$t")" 300
done
for s in tests/integration/[0-9]*.sh; do
	n="integration/$(basename "$s" .sh)"
	suite_wanted "$n" && suite_report "$n" 900
done
if [ "$SKIP_SAN" != 1 ]; then
	if [ "$(cat "$LOGS/build-san.rc" 2>/dev/null)" != 0 ]; then
		tail -n 30 "$LOGS/build-san.log"
		suite_fail build-san "see build/test-logs/build-san.log"
	else
		echo "ok - sanitizer build"
		PASS=$((PASS + 1))
		for t in build/san/tests/test_*; do
			[ -x "$t" ] && suite_wanted "san-unit/$(basename "$t")" && suite_report "san-unit/$(basename "$t")" 300
		done
		for s in $SAN_SUITES; do
			suite_wanted "san-integration/$s" && [ -f "$(suite_log "san-integration/$s")" ] &&
				suite_report "san-integration/$s" 900
		done
	fi
	# One failure per report file a sanitized process left.
	n=0
	echo "# san-reports"
	for f in "$LOGS"/sanitizer.*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		echo "  not ok - sanitizer report $(basename "$f"): $(grep -m1 -E 'ERROR|runtime error' "$f")"
		head -n 25 "$f" | sed 's/^/    | /'
		FAILED_SUITES+=(san-reports)
	done
	if [ "$n" -eq 0 ]; then
		echo "  ok - no sanitized process left a report"
		PASS=$((PASS + 1))
	fi
	FAIL=$((FAIL + n))
fi
if [ -f "$LOGS/stack-b.failed" ]; then
	suite_fail stack-b "$(cat "$LOGS/stack-b.failed")"
fi
[ "$SKIP_BROWSER" != 1 ] && suite_wanted browser && [ -f "$(suite_log browser)" ] && suite_report browser 900
[ "$SKIP_FUZZ" != 1 ] && suite_wanted fuzz && suite_report fuzz 1800

suite_finish
