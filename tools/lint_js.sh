#!/usr/bin/env bash
# lint_js.sh: formatting (prettier) and lint (eslint) of Cairn's own JavaScript, with the versions pinned in package-lock.json
#
# usage: tools/lint_js.sh [--fix]   --fix rewrites the files in the one format instead of checking them
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BIN=node_modules/.bin
if [ ! -x "$BIN/prettier" ] || [ ! -x "$BIN/eslint" ]; then
	echo "lint_js: prettier and eslint are not installed: run make deps (npm ci)" >&2
	exit 2
fi
FILES=(static/config.js static/js tests/browser eslint.config.mjs)
if [ "${1:-}" = --fix ]; then
	"$BIN/prettier" --log-level warn --write "${FILES[@]}" && "$BIN/eslint" --fix "${FILES[@]}"
	exit $?
fi
rc=0
"$BIN/prettier" --log-level warn --check "${FILES[@]}" ||
	{ echo "lint_js: files above are not in the one format: run make format"; rc=1; }
"$BIN/eslint" --max-warnings 0 "${FILES[@]}" || rc=1
exit $rc
