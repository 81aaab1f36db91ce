/* api_auth.c: auth modes and the /auth/ routes: Strava login with state, scope check, logout, disconnect */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* free */
#include <string.h> /* strcmp, strncmp */

#include <curl/curl.h>

#include "api.h"
#include "api_auth.h"
#include "api_sql.h"
#include "cfg.h"
#include "db.h"
#include "log.h"

#define API_STATE_AGE 900 /* s an OAuth state cookie lives */

int
api_auth_strava(const struct cfg *c)
{
	return strcmp(cfg_get(c, "auth_mode", "none"), "strava") == 0;
}

int
api_loopback(const char *a)
{
	return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0 ||
	       strcmp(a, "[::1]") == 0 || strcmp(a, "localhost") == 0;
}

static int
api_cfg_set(const struct cfg *c, const char *key)
{
	const char *v = cfg_get(c, key, NULL);

	return v != NULL && v[0] != '\0';
}

int
api_auth_check_config(const struct cfg *c, char *err, size_t errlen)
{
	const char *mode = cfg_get(c, "auth_mode", "none");
	const char *listen = cfg_get(c, "listen_address", "127.0.0.1");
	long days;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "cannot initialise libcurl");
		return -1;
	}
	if (strcmp(mode, "none") == 0) {
		if (!api_loopback(listen)) {
			snprintf(
			    err, errlen,
			    "auth_mode = none shows the data to anyone "
			    "who reaches nginx, so it is allowed only when "
			    "listen_address is loopback (127.0.0.1 or "
			    "::1), not %s: set auth_mode = strava",
			    listen);
			return -1;
		}
		return 0;
	}
	if (strcmp(mode, "strava") != 0) {
		snprintf(err, errlen,
		         "auth_mode must be none or strava, not '%s'", mode);
		return -1;
	}
	if (!api_cfg_set(c, "strava_client_id") ||
	    !api_cfg_set(c, "strava_client_secret")) {
		snprintf(err, errlen,
		         "auth_mode = strava needs strava_client_id and "
		         "strava_client_secret");
		return -1;
	}
	if (!api_cfg_set(c, "strava_redirect_uri") &&
	    !api_cfg_set(c, "public_url")) {
		snprintf(err, errlen,
		         "auth_mode = strava needs public_url (or "
		         "strava_redirect_uri) for the OAuth redirect");
		return -1;
	}
	if (cfg_get_long(c, "session_days", 30, 1, 365, &days, err, errlen) !=
	    0)
		return -1;
	return 0;
}

/* strava_redirect_uri, else public_url + /auth/callback. */
static void
api_redirect_uri(const struct cfg *c, char *out, size_t len)
{
	const char *r = cfg_get(c, "strava_redirect_uri", NULL);
	const char *pub = cfg_get(c, "public_url", "");
	size_t n = strlen(pub);

	if (r != NULL && r[0] != '\0') {
		snprintf(out, len, "%s", r);
		return;
	}
	while (n > 0 && pub[n - 1] == '/')
		n--;
	snprintf(out, len, "%.*s/auth/callback", (int)n, pub);
}

/* Back to the login page with a reason (error codes of login.html). */
static void
api_to_login(struct api_resp *rs, const char *why)
{
	char url[96];

	snprintf(url, sizeof(url), "/login.html?error=%s", why);
	api_redirect(rs, url);
}

/* A statement on the primary failed: 503 or 500 (the status). */
static int
api_fail_db(struct api_ctx *x)
{
	x->db = x->w->db;
	return api_db_failed(x);
}

/* GET /auth/login[?again=1]: a new state, then off to Strava. */
int
api_h_auth_login(struct api_ctx *x)
{
	struct api_worker *w = x->w;
	const struct api_http_req *rq = x->rq;
	const struct cfg *c = w->cfg;
	char state[2 * 32 + 1], redir[512], url[1400], again[4] = "";
	char *eid = NULL, *eredir = NULL, *escope = NULL;
	CURL *h = curl_easy_init();

	if (api_random_hex(state, sizeof(state), 32) != 0) {
		api_error(&w->rs, 500, "internal", NULL,
		          "cannot read random bytes");
		goto out;
	}
	{
		const char *sv = state;
		struct db_param p[] = {DB_STR(sv)};

		db_exec(w->db, API_Q_STATE_PURGE, NULL, 0);
		if (db_exec(w->db, API_Q_STATE_PUT, p, 1) != 1) {
			api_fail_db(x);
			goto out;
		}
	}
	api_redirect_uri(c, redir, sizeof(redir));
	api_query_get(rq->query, "again", again, sizeof(again));
	if (h != NULL) {
		eid =
		    curl_easy_escape(h, cfg_get(c, "strava_client_id", ""), 0);
		eredir = curl_easy_escape(h, redir, 0);
		escope = curl_easy_escape(h, API_SCOPE, 0);
	}
	if (eid == NULL || eredir == NULL || escope == NULL ||
	    snprintf(
	        url, sizeof(url),
	        "%s/authorize?client_id=%s&redirect_uri=%s"
	        "&response_type=code&approval_prompt=%s&scope=%s"
	        "&state=%s",
	        cfg_get(c, "strava_oauth_url", "https://www.strava.com/oauth"),
	        eid, eredir, strcmp(again, "1") == 0 ? "force" : "auto", escope,
	        state) >= (int)sizeof(url)) {
		api_error(&w->rs, 500, "internal", NULL,
		          "cannot build the authorize URL");
		goto out;
	}
	api_redirect(&w->rs, url);
	api_set_cookie(&w->rs, c, API_STATE_COOKIE, state, API_STATE_AGE);
out:
	curl_free(eid);
	curl_free(eredir);
	curl_free(escope);
	curl_easy_cleanup(h);
	return w->rs.status;
}

/* Does the comma-separated scope list hold `want`? */
static int
api_scope_has(const char *list, const char *want)
{
	size_t n = strlen(want);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		size_t k = strcspn(p, ", ");

		if (k == n && strncmp(p, want, n) == 0)
			return 1;
		p += k;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}

static const char *
api_jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Store the athlete (created on first login) and its tokens. 0 or -1. */
static int
api_login_store(struct api_worker *w, json_t *ans, const char *scope,
                long long *athlete)
{
	json_t *a = json_object_get(ans, "athlete");
	json_t *id = json_object_get(a, "id");
	json_t *exp = json_object_get(ans, "expires_at");
	const char *acc = api_jstr(ans, "access_token");
	const char *ref = api_jstr(ans, "refresh_token");
	int rc = -1;

	if (!json_is_integer(id) || json_integer_value(id) <= 0 ||
	    !json_is_integer(exp) || acc == NULL || ref == NULL) {
		log_err("login: Strava's token answer lacks the athlete or "
		        "the tokens");
		return -1;
	}
	*athlete = (long long)json_integer_value(id);
	{
		struct db_param ap[] = {DB_I64(*athlete),
		                        DB_STR(api_jstr(a, "username")),
		                        DB_STR(api_jstr(a, "firstname")),
		                        DB_STR(api_jstr(a, "lastname")),
		                        DB_STR(api_jstr(a, "sex")),
		                        DB_STR(api_jstr(a, "city")),
		                        DB_STR(api_jstr(a, "country"))};
		struct db_param tp[] = {
		    DB_I64(*athlete), DB_STR(acc), DB_STR(ref),
		    DB_I64(json_integer_value(exp)), DB_STR(scope)};
		struct db_param sp[] = {DB_I64(*athlete)};

		if (db_begin(w->db) != 0 ||
		    db_exec(w->db, API_Q_LOGIN_ATHLETE, ap, 7) < 0 ||
		    db_exec(w->db, API_Q_LOGIN_TOKEN, tp, 5) < 0 ||
		    db_exec(w->db, API_Q_LOGIN_SYNC, sp, 1) < 0 ||
		    db_commit(w->db) != 0) {
			log_err("login: cannot store athlete %lld: %s",
			        *athlete, w->db->err);
			db_rollback(w->db);
			goto out;
		}
	}
	rc = 0;
out:
	return rc;
}

/* GET /auth/callback?state=...&code=...&scope=... (or error=...). */
int
api_h_auth_callback(struct api_ctx *x)
{
	struct api_worker *w = x->w;
	const struct api_http_req *rq = x->rq;
	const struct cfg *c = w->cfg;
	char state[80] = "", bound[80] = "", code[256] = "", scope[256] = "";
	char errq[64] = "", err[256], token[2 * API_TOKEN_BYTES + 1];
	json_t *ans = NULL;
	long long athlete = 0;
	long days = 30;
	long long took;

	api_query_get(rq->query, "state", state, sizeof(state));
	api_cookie_get(rq->cookie, API_STATE_COOKIE, bound, sizeof(bound));
	api_query_get(rq->query, "error", errq, sizeof(errq));
	api_query_get(rq->query, "code", code, sizeof(code));
	api_query_get(rq->query, "scope", scope, sizeof(scope));
	if (state[0] == '\0' || !api_secret_eq(state, bound)) {
		log_warn("login refused: the OAuth state does not match this "
		         "browser's");
		api_to_login(&w->rs, "state");
		goto out;
	}
	{
		const char *sv = state;
		struct db_param p[] = {DB_STR(sv)};

		took = db_exec(w->db, API_Q_STATE_TAKE, p, 1);
	}
	if (took < 0) {
		api_fail_db(x);
		goto out;
	}
	if (took != 1) {
		log_warn("login refused: unknown, used or expired OAuth state");
		api_to_login(&w->rs, "state");
		goto out;
	}
	if (errq[0] != '\0' || code[0] == '\0') {
		log_info("login: the athlete did not authorise Cairn");
		api_to_login(&w->rs, "denied");
		goto out;
	}
	if (!api_scope_has(scope, API_SCOPE_NEEDED)) {
		log_info("login: %s was not granted; asking again",
		         API_SCOPE_NEEDED);
		api_to_login(&w->rs, "scope");
		goto out;
	}
	if (api_oauth_exchange(c, code, &ans, err, sizeof(err)) != 0) {
		log_err("login: %s", err);
		api_to_login(&w->rs, "exchange");
		goto out;
	}
	if (api_login_store(w, ans, scope, &athlete) != 0) {
		api_to_login(&w->rs, "exchange");
		goto out;
	}
	if (api_session_new(w, athlete, token, sizeof(token)) != 0) {
		api_fail_db(x);
		goto out;
	}
	cfg_get_long(c, "session_days", 30, 1, 365, &days, err, sizeof(err));
	api_redirect(&w->rs, "/");
	api_set_cookie(&w->rs, c, API_COOKIE, token, days * 86400);
	api_set_cookie(&w->rs, c, API_STATE_COOKIE, NULL, 0);
	log_info("athlete %lld logged in (scope %s)", athlete, scope);
out:
	memset(code, 0, sizeof(code));
	memset(token, 0, sizeof(token));
	json_decref(ans);
	return w->rs.status;
}

int
api_auth_session(struct api_ctx *x)
{
	struct api_worker *w = x->w;
	const struct api_http_req *rq = x->rq;
	char csrf[80];
	long long athlete = 0;
	int f = api_session_find(w, rq->cookie, &athlete, csrf, sizeof(csrf));

	if (f < 0)
		return api_fail_db(x);
	if (f == 0) {
		api_set_cookie(&w->rs, w->cfg, API_COOKIE, NULL, 0);
		return api_error(&w->rs, 401, "login_required", NULL,
		                 "no session: log in with Strava first");
	}
	if (rq->csrf == NULL || !api_secret_eq(rq->csrf, csrf))
		return api_error(&w->rs, 403, "csrf_failed", NULL,
		                 "send the session's CSRF token in the "
		                 "X-CSRF-Token header");
	x->athlete_id = athlete;
	return 0;
}

/* POST /auth/logout (API_F_SESSION: x->athlete_id is the session's) */
int
api_h_auth_logout(struct api_ctx *x)
{
	struct api_worker *w = x->w;

	if (api_session_end(w, x->rq->cookie) != 0)
		return api_fail_db(x);
	api_set_cookie(&w->rs, w->cfg, API_COOKIE, NULL, 0);
	api_send_json(&w->rs, 200, json_pack("{s:b}", "logged_out", 1));
	w->rs.no_store = 1;
	log_info("athlete %lld logged out", x->athlete_id);
	return w->rs.status;
}

/*
 * POST /auth/disconnect {"delete_data": true|false}: revoke at Strava,
 * delete the tokens and every session; the data goes when asked (the ETL
 * deletes it: cairn-extract --events). API_F_SESSION: x->athlete_id is
 * the session's.
 */
int
api_h_auth_disconnect(struct api_ctx *x)
{
	struct api_worker *w = x->w;
	long long athlete = x->athlete_id;
	char access[256] = "", err[256];
	struct db_res r;
	json_t *body = NULL;
	int del = 0;

	if (x->body != NULL && x->body_len > 0) {
		json_error_t je;

		body = json_loadb(x->body, x->body_len, 0, &je);
		if (!json_is_object(body)) {
			json_decref(body);
			return api_error(&w->rs, 400, "invalid_body", NULL,
			                 "send {\"delete_data\": true|false}");
		}
		del = json_is_true(json_object_get(body, "delete_data"));
		json_decref(body);
	}
	{
		struct db_param p[] = {DB_I64(athlete)};

		if (db_query(w->db, API_Q_TOKEN_ACCESS, p, 1, &r) != 0)
			return api_fail_db(x);
		if (db_fetch(&r) == 1 && db_str(&r, 0) != NULL)
			snprintf(access, sizeof(access), "%s", db_str(&r, 0));
		db_res_free(&r);
	}
	if (access[0] != '\0' &&
	    api_oauth_deauthorize(w->cfg, access, err, sizeof(err)) != 0)
		log_warn("disconnect of athlete %lld: %s; the tokens are "
		         "deleted anyway",
		         athlete, err);
	memset(access, 0, sizeof(access));
	{
		struct db_param p[] = {DB_I64(athlete)};
		struct db_param q[] = {DB_I64(athlete), DB_STR("delete_data")};

		if (db_begin(w->db) != 0 ||
		    db_exec(w->db, API_Q_TOKEN_DEL, p, 1) < 0 ||
		    db_exec(w->db, API_Q_ATHLETE_REVOKE, p, 1) < 0 ||
		    (del && db_exec(w->db, API_Q_ACCOUNT_REQUEST, q, 2) < 0) ||
		    db_exec(w->db, API_Q_SESSION_DEL_ATHLETE, p, 1) < 0 ||
		    db_commit(w->db) != 0) {
			db_rollback(w->db);
			return api_fail_db(x);
		}
	}
	api_set_cookie(&w->rs, w->cfg, API_COOKIE, NULL, 0);
	api_send_json(
	    &w->rs, 200,
	    json_pack("{s:b,s:b}", "disconnected", 1, "delete_data", del));
	w->rs.no_store = 1;
	log_info("athlete %lld disconnected%s", athlete,
	         del ? "; deletion of all data queued" : "");
	return w->rs.status;
}

/* GET /auth/me: who is logged in, and the CSRF token for changes. */
int
api_h_auth_me(struct api_ctx *x)
{
	struct api_worker *w = x->w;
	char csrf[80];
	long long athlete = 0;
	int f;

	w->rs.no_store = 1;
	if (!api_auth_strava(w->cfg)) {
		api_send_json(&w->rs, 200,
		              json_pack("{s:s}", "auth_mode", "none"));
		w->rs.no_store = 1;
		return w->rs.status;
	}
	f = api_session_find(w, x->rq->cookie, &athlete, csrf, sizeof(csrf));
	if (f < 0)
		return api_fail_db(x);
	if (f == 0)
		return api_error(&w->rs, 401, "login_required", NULL,
		                 "no session: log in with Strava first");
	api_send_json(&w->rs, 200,
	              json_pack("{s:s,s:I,s:s}", "auth_mode", "strava",
	                        "athlete_id", (json_int_t)athlete, "csrf",
	                        csrf));
	w->rs.no_store = 1;
	return w->rs.status;
}
