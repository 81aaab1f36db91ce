/* ex_oauth.c: Strava OAuth2 for cairn-extract: authorize URL, code exchange, token refresh */
#include "ex_oauth.h"

#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* free */
#include <string.h> /* memset */
#include <time.h>   /* time */

#include "cfg.h"
#include "db.h"
#include "ex_account.h"
#include "ex_api.h"
#include "ex_ctx.h"
#include "ex_map.h"
#include "ex_sql.h"
#include "log.h"

#define EX_FORM_MAX 2048

/* Append "&key=escaped(value)" to form. 0 or -1. */
static int
ex_form_add(struct ex_ctx *x, char *form, size_t cap, const char *key,
            const char *value)
{
	char *e = ex_http_escape(x->http, value);
	size_t n = strlen(form);
	int w;

	if (e == NULL)
		return -1;
	w = snprintf(form + n, cap - n, "%s%s=%s", n ? "&" : "", key, e);
	memset(e, 0, strlen(e));
	free(e);
	return w < 0 || (size_t)w >= cap - n ? -1 : 0;
}

/* client_id and client_secret from the settings. 0 or -1 with a message. */
static int
ex_oauth_client(struct ex_ctx *x, const char **id, const char **secret)
{
	*id = cfg_get(x->cfg, "strava_client_id", NULL);
	*secret = cfg_get(x->cfg, "strava_client_secret", NULL);
	if (*id == NULL || **id == '\0' || *secret == NULL ||
	    **secret == '\0') {
		log_err("no Strava application: set strava_client_id and "
		        "strava_client_secret (or CAIRN_STRAVA_CLIENT_ID / "
		        "CAIRN_STRAVA_CLIENT_SECRET)");
		return -1;
	}
	return 0;
}

int
ex_oauth_authorize_url(struct ex_ctx *x, char *out, size_t outlen, char *err,
                       size_t errlen)
{
	const char *id, *secret, *redirect;
	char *eid = NULL, *eredir = NULL, *escope = NULL;
	int rc = -1;

	if (ex_oauth_client(x, &id, &secret) != 0) {
		snprintf(err, errlen, "strava_client_id is not set");
		goto out;
	}
	redirect = cfg_get(x->cfg, "strava_redirect_uri",
	                   "http://localhost/exchange_token");
	eid = ex_http_escape(x->http, id);
	eredir = ex_http_escape(x->http, redirect);
	escope = ex_http_escape(x->http, EX_SCOPE);
	if (eid == NULL || eredir == NULL || escope == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (snprintf(out, outlen,
	             "%s/authorize?client_id=%s&redirect_uri=%s"
	             "&response_type=code&approval_prompt=auto&scope=%s",
	             x->oauth_url, eid, eredir, escope) >= (int)outlen) {
		snprintf(err, errlen, "authorize URL too long");
		goto out;
	}
	rc = 0;
out:
	free(eid);
	free(eredir);
	free(escope);
	return rc;
}

/* Store tokens (and on a code exchange the athlete) in one transaction. */
static int
ex_oauth_store(struct ex_ctx *x, long long athlete, const struct ex_token *t,
               const char *scope)
{
	struct db_param tp[] = {
	    DB_I64(athlete),
	    DB_STR(t->access_token),
	    DB_STR(t->refresh_token),
	    DB_I64(t->expires_at),
	    DB_STR(scope ? scope : ""),
	};
	int rc = -1;

	if (db_begin(x->db) != 0)
		goto out;
	if (t->has_athlete) {
		const struct ex_athlete *a = &t->athlete;
		struct db_param ap[] = {
		    DB_I64(a->id),        DB_STR(a->username),
		    DB_STR(a->firstname), DB_STR(a->lastname),
		    DB_STR(a->sex),       DB_STR(a->city),
		    DB_STR(a->country),
		};
		struct db_param sp[] = {DB_I64(a->id)};

		if (db_exec(x->db, EX_SQL_ATHLETE_AUTH, ap, 7) < 0 ||
		    db_exec(x->db, EX_SQL_SYNC_ENSURE, sp, 1) < 0)
			goto out;
	}
	if (db_exec(x->db, EX_SQL_TOKEN_PUT, tp, 5) < 0)
		goto out;
	if (db_commit(x->db) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		log_err("cannot store the tokens of athlete %lld: %s", athlete,
		        x->db->err);
		db_rollback(x->db);
	}
	return rc;
}

int
ex_oauth_exchange(struct ex_ctx *x, const char *code, const char *scope,
                  int demo, long long *athlete_id)
{
	long long adopt = 0;
	const char *id, *secret;
	char form[EX_FORM_MAX] = "", err[256];
	struct ex_resp r;
	struct ex_token t;
	enum ex_api_res res;
	int rc = 1;

	memset(&t, 0, sizeof(t));
	memset(&r, 0, sizeof(r));
	if (ex_oauth_client(x, &id, &secret) != 0) {
		rc = 2;
		goto out;
	}
	if (ex_form_add(x, form, sizeof(form), "client_id", id) != 0 ||
	    ex_form_add(x, form, sizeof(form), "client_secret", secret) != 0 ||
	    ex_form_add(x, form, sizeof(form), "code", code) != 0 ||
	    ex_form_add(x, form, sizeof(form), "grant_type",
	                "authorization_code") != 0) {
		log_err("cannot build the token request: code too long");
		goto out;
	}
	res = ex_api_token(x, form, &r);
	if (res == EX_API_AUTH) {
		log_err("Strava refused the authorisation code (HTTP %ld): a "
		        "code works once and only for a few minutes; run "
		        "`cairn-extract auth` for a new one",
		        r.status);
		goto out;
	}
	if (res != EX_API_OK) {
		if (r.status)
			log_err("cannot exchange the authorisation code: "
			        "Strava answered HTTP %ld",
			        r.status);
		else
			log_err("cannot exchange the authorisation code: %s",
			        r.err);
		goto out;
	}
	if (ex_map_token(r.body, r.len, &t, err, sizeof(err)) != 0 ||
	    !t.has_athlete) {
		log_err("cannot use Strava's token answer: %s",
		        t.has_athlete ? err : "no athlete in it");
		goto out;
	}
	if (ex_account_adoptable(x, t.athlete.id, demo, &adopt) != 0)
		goto out;
	if (ex_oauth_store(x, t.athlete.id, &t, scope) != 0)
		goto out;
	if (demo && db_exec(x->db, EX_SQL_ATHLETE_DEMO_SET,
	                    (struct db_param[]){DB_I64(t.athlete.id)}, 1) < 0) {
		log_err("cannot mark athlete %lld as the demo athlete: %s",
		        t.athlete.id, x->db->err);
		goto out;
	}
	if (adopt > 0 && ex_account_adopt(x, adopt, t.athlete.id) != 0)
		goto out;
	*athlete_id = t.athlete.id;
	printf("authorised athlete %lld (%s %s); run `cairn-extract sync` to "
	       "fetch the activities\n",
	       t.athlete.id, t.athlete.firstname ? t.athlete.firstname : "",
	       t.athlete.lastname ? t.athlete.lastname : "");
	rc = 0;
out:
	memset(form, 0, sizeof(form));
	ex_token_free(&t);
	ex_resp_free(&r);
	return rc;
}

static int
ex_oauth_mark_reauth(struct ex_ctx *x, long long athlete)
{
	struct db_param p[] = {DB_STR("reauth"), DB_I64(athlete)};

	if (db_exec(x->db, EX_SQL_ATHLETE_SET_AUTH, p, 2) < 0) {
		log_err("cannot mark athlete %lld for re-authorisation: %s",
		        athlete, x->db->err);
		return -1;
	}
	/* A refused refresh is a deauthorisation: the tokens go (and the
	 * data with deauth_delete_data = 1), see ex_account.c. */
	return ex_account_deauth(x, athlete, "reauth", 0, 0);
}

enum ex_tok
ex_oauth_access(struct ex_ctx *x, long long athlete, int force, char *access,
                size_t len)
{
	struct db_param p[] = {DB_I64(athlete)};
	struct db_res res;
	char refresh[256] = "", form[EX_FORM_MAX] = "", err[256];
	long long expires = 0, now = (long long)time(NULL);
	const char *id, *secret;
	struct ex_resp r;
	struct ex_token t;
	enum ex_api_res ar;
	enum ex_tok rc = EX_TOK_FAIL;
	int found = 0;

	memset(&r, 0, sizeof(r));
	memset(&t, 0, sizeof(t));
	access[0] = '\0';
	if (db_query(x->db, EX_SQL_TOKEN_GET, p, 1, &res) != 0) {
		log_err("cannot read the tokens: %s", x->db->err);
		goto out;
	}
	if (db_fetch(&res) == 1 && db_str(&res, 0) && db_str(&res, 1)) {
		snprintf(access, len, "%s", db_str(&res, 0));
		snprintf(refresh, sizeof(refresh), "%s", db_str(&res, 1));
		expires = db_i64(&res, 2);
		found = 1;
	}
	db_res_free(&res);
	if (!found) {
		log_err("no tokens stored: run `cairn-extract auth`");
		rc = EX_TOK_REAUTH;
		goto out;
	}
	if (!force && expires - now > 3600) {
		rc = EX_TOK_OK;
		goto out;
	}
	if (ex_oauth_client(x, &id, &secret) != 0 ||
	    ex_form_add(x, form, sizeof(form), "client_id", id) != 0 ||
	    ex_form_add(x, form, sizeof(form), "client_secret", secret) != 0 ||
	    ex_form_add(x, form, sizeof(form), "grant_type", "refresh_token") !=
	        0 ||
	    ex_form_add(x, form, sizeof(form), "refresh_token", refresh) != 0)
		goto out;
	log_info("refreshing the access token (expires in %lld s)",
	         expires - now);
	ar = ex_api_token(x, form, &r);
	if (ar == EX_API_OK &&
	    ex_map_token(r.body, r.len, &t, err, sizeof(err)) == 0) {
		/* Strava has already invalidated the old refresh token: the
		 * new one must be on disk before anything else happens. */
		t.has_athlete = 0;
		if (ex_oauth_store(x, athlete, &t, NULL) != 0)
			goto out;
		snprintf(access, len, "%s", t.access_token);
		rc = EX_TOK_OK;
		goto out;
	}
	if (ar == EX_API_OK)
		log_err("cannot use Strava's refresh answer: %s", err);
	/* Refused (rotated by an answer we never got, or revoked) or lost. */
	if (!force && expires - now > 60) {
		log_warn("token refresh %s; the current access token is valid "
		         "for %lld s more, syncing with it. If Strava rotated "
		         "the refresh token in an answer that was lost, the "
		         "athlete must authorise again (`cairn-extract auth`) "
		         "before it expires",
		         ar == EX_API_AUTH ? "refused" : "failed",
		         expires - now);
		rc = EX_TOK_STALE;
		goto out;
	}
	if (ar == EX_API_AUTH || ar == EX_API_OK) {
		log_err(
		    "Strava refused the refresh token (HTTP %ld): athlete "
		    "%lld must authorise Cairn again (`cairn-extract auth`)",
		    r.status, athlete);
		if (ex_oauth_mark_reauth(x, athlete) == 0)
			rc = EX_TOK_REAUTH;
		access[0] = '\0';
		goto out;
	}
	log_err("cannot refresh the access token: %s",
	        r.status ? "unexpected HTTP status" : r.err);
	access[0] = '\0';
out:
	memset(refresh, 0, sizeof(refresh));
	memset(form, 0, sizeof(form));
	ex_token_free(&t);
	ex_resp_free(&r);
	return rc;
}
