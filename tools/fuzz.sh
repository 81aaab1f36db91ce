#!/usr/bin/env bash
# fuzz.sh: runs every libFuzzer target for N seconds on a copy of its seed corpus; prints ok/not ok per target
#
# usage: tools/fuzz.sh SECONDS build/fuzz/fuzz_<name>...
# Seeds: tests/fuzz/corpus/fuzz_<name>/ (committed). New inputs go to
# build/fuzz/work/<name>/, crashes to build/fuzz/artifacts/ (turn each into a
# regression seed in the committed corpus once fixed).
set -uo pipefail
secs=${1:?seconds}
shift
fail=0
mkdir -p build/fuzz/artifacts
for bin in "$@"; do
	name=$(basename "$bin")
	seeds="tests/fuzz/corpus/$name"
	work="build/fuzz/work/$name"
	mkdir -p "$work" "$seeds"
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
		-artifact_prefix="build/fuzz/artifacts/$name-" "$work" "$seeds" >"build/fuzz/$name.log" 2>&1; then
		echo "ok - fuzz $name for ${secs}s ($(grep -c . <(ls "$work")) inputs in corpus)"
	else
		echo "not ok - fuzz $name found a failure (see build/fuzz/$name.log and build/fuzz/artifacts/)"
		grep -m 3 -E 'ERROR|SUMMARY' "build/fuzz/$name.log" | sed 's/^/    | /'
		fail=1
	fi
done
exit $fail
