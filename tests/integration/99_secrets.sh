#!/usr/bin/env bash
# 99_secrets.sh: no secret of this test run appears in any log, error output or stored run summary
source "$(dirname "$0")/lib.sh"

secrets=()
for k in etl_db_password api_db_password strava_client_secret webhook_verify_token; do
	v=$(conf_get "$k")
	[ -n "$v" ] && secrets+=("$k:$v")
done
# Every token Strava (the local one) handed out that is still stored.
while IFS=$'\t' read -r a r; do
	[ -n "$a" ] && secrets+=("access token:$a")
	[ -n "$r" ] && secrets+=("refresh token:$r")
done < <(sql "SELECT access_token, refresh_token FROM cairn_raw.token" 2>/dev/null)
check "the run used some secrets to look for" test ${#secrets[@]} -ge 4

places=("$CAIRN_VAR/log" "$CAIRN_ROOT/build/test-logs")
for s in "${secrets[@]}"; do
	name=${s%%:*}
	value=${s#*:}
	hits=$(grep -rlF -- "$value" "${places[@]}" 2>/dev/null | head -n 3)
	if [ -z "$hits" ]; then ok "no log holds the $name"; else not_ok "no log holds the $name" "found in: $hits"; fi
done
stored=$(sql "SELECT CONCAT_WS(' ', summary, '') FROM cairn_app.etl_run" 2>/dev/null)
leak=0
for s in "${secrets[@]}"; do
	[[ "$stored" == *"${s#*:}"* ]] && leak=1
done
check_eq "no stored run summary holds a secret" "$leak" "0"
