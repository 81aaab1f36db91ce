#!/usr/bin/env bash
# check.sh: `make check`, the fast tier to run before every commit: build, static checks, unit tests, API cases and one smoke test on a small stack
#
# About a minute from a built tree. What it runs, in order:
#   build     every program and unit test, warnings as errors
#   lint/*    C formatting (clang-format), no mutable globals in etl/ and
#             cgi-bin/ (tools/check_globals.sh), JavaScript formatting and
#             lint (prettier, eslint), shell and Python syntax
#   unit/*    every tests/unit/test_*.c
#   stack     a private stack (MariaDB, local Strava, cairn-api, nginx) on
#             this checkout's test port + 6, stopped at the end
#   integration/00_smoke  sync a dozen activities, transform, read them back
#   integration/50_api    the data-driven API cases (tests/data/api/) on the
#             small hand-checked dataset, ETags, scoping
# Everything else (the other integration suites, the browser, sanitizers,
# fuzzing) is `make test`'s. Ends with `N passed, N failed`; exit 1 on any
# failure. Logs: build/check-logs/. CAIRN_TEST_ONLY (a glob) runs a subset.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=tools/suite.sh
source tools/suite.sh
suite_init "$ROOT/build/check-logs"
JOBS=${CAIRN_JOBS:-2}
CPORT=${CAIRN_CHECK_PORT:-$(($(checkout_port) + 6))}
SUITE_ON_FINISH='CAIRN_PORT=$CPORT tools/stack.sh stop >/dev/null 2>&1 || true'
trap 'suite_fail interrupted; suite_finish' INT TERM

suite_build -j"$JOBS" all units

# The stack starts in the background while the static checks and unit tests run.
stack_up() {
	CAIRN_PORT=$CPORT tools/stack.sh stop >/dev/null 2>&1
	rm -rf "var/$CPORT"
	CAIRN_PORT=$CPORT CAIRN_FAKE_ARGS="--count 1 --short-limit 100000 --daily-limit 1000000" \
		tools/stack.sh start
}
stack_up >"$LOGS/stack.log" 2>&1 &
STACK_PID=$!

run_step lint/c-format 60 make --no-print-directory check-format
run_step lint/globals 300 make --no-print-directory check-globals
run_step lint/layers 30 tools/check_layers.sh
run_step lint/js 120 tools/lint_js.sh
run_step lint/shell 30 bash -c 'for f in tools/*.sh tests/integration/*.sh tests/browser/*.sh; do bash -n "$f" || exit 1; done'
run_step lint/python 30 python3 -c '
import glob, sys
for f in glob.glob("tests/**/*.py", recursive=True):
    compile(open(f, encoding="utf-8").read(), f, "exec")
'
for t in build/tests/test_*; do
	[ -x "$t" ] && run_suite "unit/$(basename "$t")" 120 "$t"
done

if ! wait "$STACK_PID"; then
	tail -n 20 "$LOGS/stack.log"
	suite_fail stack "the check stack did not start (build/check-logs/stack.log)"
	suite_finish
fi
echo "ok - the check stack starts on port $CPORT"
PASS=$((PASS + 1))
eval "$(CAIRN_PORT=$CPORT tools/stack.sh env)"
run_suite integration/00_smoke 120 bash tests/integration/00_smoke.sh
run_suite integration/50_api 180 bash tests/integration/50_api.sh

suite_finish
