#!/usr/bin/env bash
# auth_front.sh: for auth.test.mjs: starts the private auth_mode=strava front (tests/integration/auth_lib.sh), prints its URLs, holds it until killed
source "$(dirname "$0")/../integration/lib.sh" >/dev/null
source "$(dirname "$0")/../integration/auth_lib.sh"
# On TERM: stop the sleeper too (it holds our stdout, which node reads) and
# let lib.sh's EXIT trap stop the front.
SLEEPER=
trap '[ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null; exit 0' TERM INT
strava_front --athletes 3 --count 25 --seed 33 >&2 || exit 1
printf 'S_URL=%s\nFAKE_URL=%s\nS_CONF=%s\nREADY\n' "$S_URL" "$FAKE_URL" "$S_CONF"
sleep infinity >/dev/null &
SLEEPER=$!
wait "$SLEEPER"
