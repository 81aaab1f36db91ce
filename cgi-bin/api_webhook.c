/* api_webhook.c: /webhook/strava: Strava's subscription check (GET) and recording events (POST) */
#include <stdlib.h> /* free */
#include <string.h> /* strcmp */

#include "api.h"
#include "api_auth.h"
#include "api_sql.h"
#include "cfg.h"
#include "db.h"
#include "log.h"

#define API_UPDATES_MAX 2048 /* bytes of an event's updates kept */

/* GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=... */
int
api_h_webhook_check(struct api_ctx *x)
{
	struct api_worker *w = x->w;
	const struct api_http_req *rq = x->rq;
	const char *want = cfg_get(w->cfg, "webhook_verify_token", NULL);
	char tok[256] = "", challenge[256] = "", mode[32] = "";

	api_query_get(rq->query, "hub.mode", mode, sizeof(mode));
	api_query_get(rq->query, "hub.verify_token", tok, sizeof(tok));
	if (want == NULL || want[0] == '\0' || strcmp(mode, "subscribe") != 0 ||
	    !api_secret_eq(tok, want) ||
	    api_query_get(rq->query, "hub.challenge", challenge,
	                  sizeof(challenge)) != 0 ||
	    challenge[0] == '\0') {
		log_warn("webhook check refused: %s",
		         want == NULL || want[0] == '\0'
		             ? "webhook_verify_token is not set"
		             : "wrong verify token or no challenge");
		api_error(&w->rs, 403, "forbidden", NULL,
		          "the verify token does not match");
		goto out;
	}
	api_send_json(&w->rs, 200,
	              json_pack("{s:s}", "hub.challenge", challenge));
	w->rs.no_store = 1;
	log_info("webhook subscription check answered");
out:
	memset(tok, 0, sizeof(tok));
	return w->rs.status;
}

static int
api_one_of(const char *s, const char *a, const char *b, const char *c)
{
	return s != NULL && (strcmp(s, a) == 0 || strcmp(s, b) == 0 ||
	                     (c != NULL && strcmp(s, c) == 0));
}

/* POST: validate and record; cairn-extract --events does the work. */
int
api_h_webhook_event(struct api_ctx *x)
{
	struct api_worker *w = x->w;
	json_error_t je;
	json_t *ev = NULL, *ot, *at, *oid, *own, *sub, *tm, *up;
	char *updates = NULL;
	const char *otype, *aspect;

	ev = x->body != NULL ? json_loadb(x->body, x->body_len, 0, &je) : NULL;
	ot = json_object_get(ev, "object_type");
	at = json_object_get(ev, "aspect_type");
	oid = json_object_get(ev, "object_id");
	own = json_object_get(ev, "owner_id");
	sub = json_object_get(ev, "subscription_id");
	tm = json_object_get(ev, "event_time");
	up = json_object_get(ev, "updates");
	otype = json_string_value(ot);
	aspect = json_string_value(at);
	if (!json_is_object(ev) ||
	    !api_one_of(otype, "activity", "athlete", NULL) ||
	    !api_one_of(aspect, "create", "update", "delete") ||
	    !json_is_integer(oid) || !json_is_integer(own) ||
	    json_integer_value(own) <= 0 || !json_is_integer(tm) ||
	    (sub != NULL && !json_is_integer(sub)) ||
	    (up != NULL && !json_is_object(up))) {
		log_warn("webhook event refused: not a Strava event");
		api_error(&w->rs, 400, "invalid_event", NULL,
		          "not a Strava webhook event");
		goto out;
	}
	if (up != NULL) {
		updates = json_dumps(up, JSON_COMPACT | JSON_SORT_KEYS);
		if (updates != NULL && strlen(updates) > API_UPDATES_MAX) {
			free(updates);
			updates = strdup("{\"truncated\":true}");
		}
	}
	{
		struct db_param p[] = {
		    DB_STR(otype),
		    DB_I64(json_integer_value(oid)),
		    DB_STR(aspect),
		    DB_I64(json_integer_value(own)),
		    sub != NULL ? DB_I64(json_integer_value(sub)) : DB_NULL,
		    DB_I64(json_integer_value(tm)),
		    DB_STR(updates)};

		if (db_exec(w->db, API_Q_WEBHOOK_PUT, p, 7) != 1) {
			x->db = w->db;
			api_db_failed(x);
			goto out;
		}
	}
	log_info("webhook event recorded: %s %s %lld of athlete %lld", otype,
	         aspect, (long long)json_integer_value(oid),
	         (long long)json_integer_value(own));
	api_send_json(&w->rs, 200, json_pack("{s:b}", "recorded", 1));
	w->rs.no_store = 1;
out:
	free(updates);
	json_decref(ev);
	return w->rs.status;
}
