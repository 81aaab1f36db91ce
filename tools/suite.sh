# suite.sh: the suite runner shared by tools/check.sh and tools/test.sh (sourced): runs suites, counts their result lines, prints times and `N passed, N failed`
#
# A suite is a command whose output holds TAP-like lines `ok - what` and
# `not ok - what`. Its output goes to $LOGS/<name>.log; a suite that exits
# non-zero without a `not ok` line counts as one failure, and so does one
# that prints no result line at all.
#
#   suite_init LOGS                 clear LOGS and the counters
#   run_suite NAME SECONDS CMD...   run one suite now and report it
#   suite_bg NAME SECONDS CMD...    start one in the background (report later)
#   suite_wait                      wait for the background suites, report each
#   run_step NAME SECONDS CMD...    a command without result lines: ok when it exits 0
#   suite_build MAKE-ARGS...        the build: on failure, report and finish at once
#   suite_fail NAME WHY             count a failure of the runner's own (build, stack)
#   suite_finish                    print what failed, the times, the totals; exit
#
# CAIRN_TEST_ONLY (a glob) runs only the suites whose name matches.
# The caller may set SUITE_ON_FINISH to a command run first by suite_finish.

suite_init() {
	LOGS=$1
	mkdir -p "$LOGS"
	rm -f "$LOGS"/*.log "$LOGS"/*.rc "$LOGS"/*.time "$LOGS/failures.txt"
	PASS=0
	FAIL=0
	FAILED_SUITES=()
	TIMES=()
	BG_NAMES=()
	BG_PIDS=()
	T_START=$SECONDS
	ONLY=${CAIRN_TEST_ONLY:-*}
}

suite_log() { printf '%s/%s.log' "$LOGS" "${1//\//_}"; }

suite_wanted() {
	# shellcheck disable=SC2254
	case "$1" in $ONLY) return 0 ;; *) return 1 ;; esac
}

# suite_exec NAME SECONDS CMD...: run CMD into its log, keep its status and time.
suite_exec() {
	local name=$1 limit=$2 log t0 rc
	shift 2
	log=$(suite_log "$name")
	t0=$SECONDS
	timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1 </dev/null
	rc=$?
	echo "$rc" >"${log%.log}.rc"
	echo "$((SECONDS - t0))" >"${log%.log}.time"
}

# suite_report NAME SECONDS: print and count what the suite's log says.
suite_report() {
	local name=$1 limit=$2 log rc p f
	log=$(suite_log "$name")
	rc=$(cat "${log%.log}.rc" 2>/dev/null || echo 1)
	echo "# $name"
	TIMES+=("$name $(cat "${log%.log}.time" 2>/dev/null || echo 0)")
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

run_suite() {
	suite_wanted "$1" || return 0
	suite_exec "$@"
	suite_report "$1" "$2"
}

suite_bg() {
	suite_wanted "$1" || return 0
	suite_exec "$@" &
	BG_PIDS+=($!)
	BG_NAMES+=("$1 $2")
}

suite_wait() {
	local i
	for i in "${!BG_PIDS[@]}"; do
		wait "${BG_PIDS[$i]}"
		# shellcheck disable=SC2086
		suite_report ${BG_NAMES[$i]}
	done
	BG_PIDS=()
	BG_NAMES=()
}

# step_tap NAME CMD...: CMD's output, then one result line for its status.
step_tap() {
	local name=$1
	shift
	if "$@"; then echo "ok - $name"; else echo "not ok - $name (exit $?)"; fi
}

run_step() {
	local name=$1 limit=$2
	shift 2
	run_suite "$name" "$limit" bash -c "$(declare -f step_tap); step_tap \"\$@\"" step "$name" "$@"
}

suite_fail() {
	echo "not ok - $1${2:+ # $2}"
	FAIL=$((FAIL + 1))
	FAILED_SUITES+=("$1")
}

suite_build() {
	echo "# build"
	if ! make "$@" >"$LOGS/build.log" 2>&1; then
		tail -n 30 "$LOGS/build.log"
		suite_fail build "see ${LOGS#"$PWD"/}/build.log"
		suite_finish
	fi
	echo "ok - build"
	PASS=$((PASS + 1))
}

suite_finish() {
	if [ -n "${SUITE_ON_FINISH:-}" ]; then eval "$SUITE_ON_FINISH"; fi
	if [ -s "$LOGS/failures.txt" ]; then
		echo "# what the failures said"
		head -n 150 "$LOGS/failures.txt" | sed 's/^/  | /'
	fi
	if [ ${#FAILED_SUITES[@]} -gt 0 ]; then
		echo "failed suites: ${FAILED_SUITES[*]} (logs in ${LOGS#"$PWD"/}/)"
	fi
	if [ ${#TIMES[@]} -gt 0 ]; then
		echo "# suite times in seconds, longest first (suites run side by side overlap)"
		printf '%s\n' "${TIMES[@]}" | sort -k2,2nr | awk '{printf "  %6d  %s\n", $2, $1}'
		echo "  total $((SECONDS - T_START)) s of wall time"
	fi
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ] && [ "$PASS" -gt 0 ]
	exit $?
}

# checkout_port: the test stack's port of this checkout, from its path (two
# checkouts side by side get different ones; each stack uses PORT..PORT+2).
checkout_port() {
	local sum
	sum=$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
	echo $((20000 + (sum % 2000) * 10))
}
