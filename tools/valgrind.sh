#!/usr/bin/env bash
# valgrind.sh: `make valgrind`: runs each unit-test binary under valgrind's memcheck; prints ok/not ok per binary
#
# usage: tools/valgrind.sh build/tests/test_<module>...
# A binary passes when its own tests pass AND valgrind reports no error: no
# invalid read/write, no use of uninitialised memory, no definitely lost block
# (possibly/indirectly lost and still-reachable blocks are not errors: libraries
# such as libcurl and MariaDB Connector/C keep process-wide state until exit).
# Full valgrind output and the test's own lines: build/valgrind/<name>.log.
# Environment: VALGRIND_ARGS (extra arguments, e.g. --track-origins=yes).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/build/valgrind"
mkdir -p "$OUT"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "not ok - valgrind is installed # run tools/deps.sh (Debian package valgrind)"
	exit 1
fi
if [ $# -eq 0 ]; then
	echo "usage: tools/valgrind.sh TEST_BINARY..." >&2
	exit 2
fi

fail=0
pass=0
for bin in "$@"; do
	name=$(basename "$bin")
	log="$OUT/$name.log"
	vlog="$OUT/$name.valgrind"
	if [ ! -x "$bin" ]; then
		echo "not ok - valgrind $name # $bin is not built"
		fail=$((fail + 1))
		continue
	fi
	# shellcheck disable=SC2086
	valgrind --quiet --leak-check=full --error-exitcode=1 --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --num-callers=30 --log-file="$vlog" ${VALGRIND_ARGS:-} \
		"$bin" >"$log" 2>&1 </dev/null
	rc=$?
	cat "$vlog" >>"$log"
	# Tell a failing test from a valgrind report: valgrind's own errors are counted in its log.
	verrs=$(grep -cE '^==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched|.*definitely lost in)' "$vlog")
	tests_ok=$(grep -cE '^ok ' "$log")
	tests_bad=$(grep -cE '^not ok ' "$log")
	if [ "$rc" -eq 0 ] && [ "$verrs" -eq 0 ]; then
		echo "ok - valgrind $name ($tests_ok tests, no memory error, no definite leak)"
		pass=$((pass + 1))
	else
		why="exit status $rc"
		[ "$verrs" -gt 0 ] && why="$why, $verrs valgrind report(s)"
		[ "$tests_bad" -gt 0 ] && why="$why, $tests_bad failing test(s)"
		echo "not ok - valgrind $name # $why (see build/valgrind/$name.log)"
		grep -m 6 -E '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|[0-9,]+ bytes in .* definitely lost|   (at|by) 0x)' "$vlog" |
			head -n 6 | sed 's/^/    | /'
		fail=$((fail + 1))
	fi
done
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
