# auth_lib.sh: a private auth_mode=strava front (cairn-api + nginx + local Strava) for 70_, 72_, 74_ and the browser test
#
# Sourced after lib.sh. The shared stack stays in auth_mode none; this adds,
# on the same MariaDB:
#   strava_front [FAKE ARGS...]   start a private local Strava (start_fake), a
#                                 second cairn-api with auth_mode=strava and a
#                                 second nginx; sets S_URL, S_CONF, S_PORT, FAKE_URL
#   login JAR ATHLETE [SCOPES]    the whole OAuth dance with curl (login, the
#                                 local Strava's Authorize form, callback);
#                                 leaves the session in cookie jar JAR, prints
#                                 the final Location
#   csrf_of JAR                   the session's CSRF token (GET /auth/me)
#   s_get JAR PATH                GET $S_URL/PATH with the jar; prints "STATUS BODY"

strava_front() {
	local i run
	start_fake "$@" || return 1
	# The private local Strava is another application: its budget starts
	# empty (requests of earlier suites must not make this one wait).
	sql "DELETE FROM cairn_app.rate_budget; DELETE FROM cairn_app.rate_waiter" 2>/dev/null
	S_PORT=$(free_port)
	run="$CAIRN_VAR/strava-$S_PORT"
	mkdir -p "$run/run" "$run/nginx/tmp"
	S_CONF=$(conf_with auth_mode=strava "strava_api_url=$FAKE_URL/api/v3" \
		"strava_oauth_url=$FAKE_URL/oauth" "api_socket=$run/run/api.sock" \
		"public_url=http://127.0.0.1:$S_PORT" \
		"strava_redirect_uri=http://127.0.0.1:$S_PORT/auth/callback" \
		cookie_secure=0 session_days=7 rate_window_seconds=900)
	"$CAIRN_BIN/cairn-api" --config "$S_CONF" >>"$CAIRN_VAR/log/api-strava-$S_PORT.log" 2>&1 &
	S_API_PID=$!
	T_CLEANUP+=("kill $S_API_PID 2>/dev/null; wait $S_API_PID 2>/dev/null")
	for ((i = 0; i < 100; i++)); do
		[ -S "$run/run/api.sock" ] && break
		sleep 0.1
	done
	sed -e "s|@PORT@|$S_PORT|g" -e "s|@VAR@|$run|g" -e "s|@STATIC@|$CAIRN_ROOT/static|g" \
		-e "s|@API_SOCK@|$run/run/api.sock|g" -e "s|@UPLOAD_MAX@|200m|g" \
		-e "s|$run/log/nginx-access.log|$CAIRN_VAR/log/nginx-strava-$S_PORT-access.log|g" \
		-e "s|$run/log/nginx-error.log|$CAIRN_VAR/log/nginx-strava-$S_PORT-error.log|g" \
		"$CAIRN_ROOT/nginx/cairn-local.conf.in" >"$run/nginx/nginx.conf"
	sed -e "s|@TILES@|https://tile.openstreetmap.org|g" -e "s|@FORM@|$FAKE_URL|g" \
		"$CAIRN_ROOT/nginx/headers.conf.in" >"$run/nginx/headers.conf"
	/usr/sbin/nginx -c "$run/nginx/nginx.conf" -p "$run/nginx" 2>>"$CAIRN_VAR/log/nginx-strava-$S_PORT-error.log" || {
		echo "strava_front: nginx did not start" >&2
		return 1
	}
	T_CLEANUP+=("kill \$(cat '$run/run/nginx.pid' 2>/dev/null) 2>/dev/null; sleep 0.2; rm -rf '$run'")
	S_URL="http://127.0.0.1:$S_PORT"
	for ((i = 0; i < 100; i++)); do
		curl -sf "$S_URL/api/v1/health" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "strava_front: the strava-mode front did not answer" >&2
	return 1
}

# The Location header of a curl -i answer on stdin.
_location() { tr -d '\r' | sed -n 's/^[Ll]ocation: //p' | head -n 1; }

login() { # jar athlete [scopes, comma-separated]
	local jar=$1 athlete=$2 scopes=${3:-read,activity:read_all,profile:read_all}
	local auth state redirect cb s args=()
	auth=$(curl -s -i -c "$jar" -b "$jar" "$S_URL/auth/login" | _location)
	[ -n "$auth" ] || return 1
	state=$(python3 -c 'import sys,urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query)["state"][0])' "$auth")
	redirect=$(python3 -c 'import sys,urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query)["redirect_uri"][0])' "$auth")
	# The local Strava's page, as the browser would show it, must be there.
	curl -sf "$auth" | grep -q 'id="authorize"' || return 1
	IFS=, read -r -a s <<<"$scopes"
	for sc in "${s[@]}"; do args+=(--data-urlencode "scope=$sc"); done
	cb=$(curl -s -i "$FAKE_URL/oauth/accept" --data-urlencode "client_id=$(conf_get strava_client_id)" \
		--data-urlencode "redirect_uri=$redirect" --data-urlencode "state=$state" \
		--data-urlencode "athlete=$athlete" --data-urlencode "action=authorize" "${args[@]}" | _location)
	[ -n "$cb" ] || return 1
	curl -s -i -c "$jar" -b "$jar" "$cb" | _location
}

csrf_of() { curl -s -b "$1" "$S_URL/auth/me" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("csrf",""))'; }

s_get() { # jar path
	local out
	out=$(curl -s -w '\n%{http_code}' -b "$1" "$S_URL/$2")
	printf '%s %s\n' "${out##*$'\n'}" "${out%$'\n'*}"
}
