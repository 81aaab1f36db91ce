/* ex_events.c: cairn-extract --events: apply the webhook events cairn-api recorded */
#include "ex_events.h"

#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* calloc, free */
#include <string.h> /* strcmp, strstr */

#include <jansson.h>

#include "db.h"
#include "ex_account.h"
#include "ex_api.h"
#include "ex_ctx.h"
#include "ex_exit.h"
#include "ex_map.h"
#include "ex_oauth.h"
#include "ex_sql.h"
#include "ex_store.h"
#include "ex_turn.h"
#include "log.h"

#define EX_EV_MAX 1000
#define EX_EV_STREAM_KEYS                                                      \
	"time,distance,latlng,altitude,velocity_smooth,heartrate,cadence,"     \
	"watts,temp,moving,grade_smooth"

struct ex_event {
	long long id;
	char otype[17];
	long long object;
	char aspect[17];
	long long owner;
	int deauth;     /* athlete update with authorized = false */
	int superseded; /* a later event of the batch covers it */
};

/* How one event ended: text for webhook_event.result and the run. */
enum ex_ev_end { EX_EV_DONE, EX_EV_SKIP, EX_EV_STOP, EX_EV_FAIL };

static int
ex_ev_load(struct ex_ctx *x, struct ex_event *ev, int *n)
{
	struct db_res res;
	int f;

	*n = 0;
	if (db_query(x->db, EX_SQL_EV_PENDING, NULL, 0, &res) != 0)
		return -1;
	while ((f = db_fetch(&res)) == 1 && *n < EX_EV_MAX) {
		struct ex_event *e = &ev[*n];
		const char *up = db_str(&res, 5);

		memset(e, 0, sizeof(*e));
		e->id = db_i64(&res, 0);
		snprintf(e->otype, sizeof(e->otype), "%s",
		         db_str(&res, 1) ? db_str(&res, 1) : "");
		e->object = db_i64(&res, 2);
		snprintf(e->aspect, sizeof(e->aspect), "%s",
		         db_str(&res, 3) ? db_str(&res, 3) : "");
		e->owner = db_i64(&res, 4);
		if (up != NULL && strcmp(e->otype, "athlete") == 0) {
			json_error_t je;
			json_t *j = json_loads(up, 0, &je);
			json_t *a = json_object_get(j, "authorized");

			e->deauth =
			    (json_is_string(a) &&
			     strcmp(json_string_value(a), "false") == 0) ||
			    json_is_false(a);
			json_decref(j);
		}
		(*n)++;
	}
	db_res_free(&res);
	return f < 0 ? -1 : 0;
}

/* GET with the owner's token; one refresh and retry after a 401. */
static enum ex_api_res
ex_ev_get(struct ex_ctx *x, long long owner, char *access, size_t len,
          const char *path, struct ex_resp *r)
{
	enum ex_api_res res = ex_api_get(x, path, access, r);

	if (res != EX_API_AUTH || ex_map_fault_has(r->body, r->len, "missing"))
		return res;
	ex_resp_free(r);
	memset(r, 0, sizeof(*r));
	if (ex_oauth_access(x, owner, 1, access, len) != EX_TOK_OK)
		return EX_API_AUTH;
	return ex_api_get(x, path, access, r);
}

static enum ex_ev_end
ex_ev_stop_of(enum ex_api_res r, const char **why)
{
	switch (r) {
	case EX_API_DAILY:
		*why = "daily budget spent; retried next run";
		return EX_EV_STOP;
	case EX_API_RATE:
		*why = "rate limited; retried next run";
		return EX_EV_STOP;
	case EX_API_AUTH:
		*why = "authorisation refused (401)";
		return EX_EV_SKIP;
	case EX_API_NOTFOUND:
		*why = "not found on Strava (404)";
		return EX_EV_SKIP;
	default:
		*why = "Strava failed; retried next run";
		return EX_EV_FAIL;
	}
}

/* create/update: fetch exactly that activity and its streams. */
static enum ex_ev_end
ex_ev_fetch(struct ex_ctx *x, const struct ex_event *e, const char **why)
{
	char access[256], path[200], err[256];
	struct ex_resp dr, sr;
	struct ex_activity a;
	struct ex_text streams = {NULL, 0};
	enum ex_api_res res;
	enum ex_tok tk;
	enum ex_ev_end end = EX_EV_FAIL;
	long points = 0;
	int has_streams = 0;

	memset(&dr, 0, sizeof(dr));
	memset(&sr, 0, sizeof(sr));
	memset(&a, 0, sizeof(a));
	tk = ex_oauth_access(x, e->owner, 0, access, sizeof(access));
	if (tk == EX_TOK_REAUTH) {
		*why = "athlete not authorised";
		end = EX_EV_SKIP;
		goto out;
	}
	if (tk == EX_TOK_FAIL) {
		*why = "no token: Strava or the database failed";
		goto out;
	}
	snprintf(path, sizeof(path), "/activities/%lld", e->object);
	res = ex_ev_get(x, e->owner, access, sizeof(access), path, &dr);
	if (res != EX_API_OK) {
		end = ex_ev_stop_of(res, why);
		goto out;
	}
	if (ex_map_activity(dr.body, dr.len, &a, err, sizeof(err)) != 0 ||
	    a.id != e->object ||
	    (a.athlete_id != 0 && a.athlete_id != e->owner)) {
		log_warn("activity %lld: unusable answer: %s", e->object,
		         a.id != e->object ? "another activity" : err);
		*why = "unusable answer";
		end = EX_EV_SKIP;
		goto out;
	}
	if (!a.manual) {
		snprintf(path, sizeof(path),
		         "/activities/%lld/streams?keys=" EX_EV_STREAM_KEYS
		         "&key_by_type=true",
		         e->object);
		res = ex_ev_get(x, e->owner, access, sizeof(access), path, &sr);
		if (res == EX_API_OK && ex_map_streams(sr.body, sr.len, &points,
		                                       err, sizeof(err)) == 0) {
			streams = (struct ex_text){sr.body, sr.len};
			has_streams = 1;
		} else if (res != EX_API_OK && res != EX_API_NOTFOUND) {
			end = ex_ev_stop_of(res, why);
			if (end == EX_EV_SKIP)
				end = EX_EV_FAIL;
			goto out;
		}
	}
	if (ex_store_activity(x, e->owner, &a,
	                      (struct ex_text){dr.body, dr.len},
	                      (struct ex_text){dr.body, dr.len}, streams,
	                      points, has_streams, 0) != 0) {
		log_err("cannot store activity %lld: %s", e->object,
		        x->db->err);
		*why = "database error";
		goto out;
	}
	log_info("activity %lld fetched (%s)", e->object, e->aspect);
	*why = "fetched";
	end = EX_EV_DONE;
out:
	memset(access, 0, sizeof(access));
	ex_activity_free(&a);
	ex_resp_free(&dr);
	ex_resp_free(&sr);
	return end;
}

/* delete: tombstone, when it is the owner's. */
static enum ex_ev_end
ex_ev_delete(struct ex_ctx *x, const struct ex_event *e, const char **why)
{
	struct db_param p[] = {DB_I64(e->object)};
	struct db_res res;
	long long owner = 0;
	int f, t;

	if (db_query(x->db, EX_SQL_EV_ACT_OWNER, p, 1, &res) != 0)
		return EX_EV_FAIL;
	f = db_fetch(&res);
	if (f == 1)
		owner = db_i64(&res, 0);
	db_res_free(&res);
	if (f < 0)
		return EX_EV_FAIL;
	if (f == 0 || owner != e->owner) {
		*why = f == 0 ? "unknown activity" : "not the owner's activity";
		return EX_EV_SKIP;
	}
	t = ex_store_tombstone(x, e->object);
	if (t < 0)
		return EX_EV_FAIL;
	log_info("activity %lld deleted on Strava", e->object);
	*why = t > 0 ? "deleted" : "already deleted";
	return EX_EV_DONE;
}

/*
 * An athlete says it revoked Cairn: believe it only when Strava refuses
 * the token too (anyone can POST to the webhook).
 */
static enum ex_ev_end
ex_ev_deauth(struct ex_ctx *x, const struct ex_event *e, const char **why)
{
	char access[256];
	struct ex_resp r;
	enum ex_tok tk;
	enum ex_api_res res = EX_API_AUTH;

	memset(&r, 0, sizeof(r));
	tk = ex_oauth_access(x, e->owner, 0, access, sizeof(access));
	if (tk == EX_TOK_FAIL) {
		*why = "cannot check the token";
		return EX_EV_FAIL;
	}
	if (tk == EX_TOK_OK || tk == EX_TOK_STALE)
		res = ex_ev_get(x, e->owner, access, sizeof(access), "/athlete",
		                &r);
	memset(access, 0, sizeof(access));
	ex_resp_free(&r);
	if (res == EX_API_OK) {
		log_warn("deauthorisation event for athlete %lld ignored: "
		         "Strava still accepts its token",
		         e->owner);
		*why = "ignored: the token still works";
		return EX_EV_SKIP;
	}
	if (res != EX_API_AUTH)
		return ex_ev_stop_of(res, why);
	if (ex_account_deauth(x, e->owner, "revoked", 1, 0) != 0) {
		*why = "database error";
		return EX_EV_FAIL;
	}
	*why = "deauthorised";
	return EX_EV_DONE;
}

static void
ex_ev_mark(struct ex_ctx *x, const struct ex_event *e, const char *why)
{
	struct db_param p[] = {DB_STR(why), DB_I64(e->id)};

	if (db_exec(x->db, EX_SQL_EV_DONE, p, 2) < 0)
		log_err("cannot mark event %lld done: %s", e->id, x->db->err);
}

int
ex_events_run(struct ex_ctx *x)
{
	struct ex_event *ev = calloc(EX_EV_MAX, sizeof(*ev));
	int n = 0, i, j, done = 0, skipped = 0, failed = 0, stopped = 0;
	int rc = EX_EXIT_FAILED;

	if (ev == NULL || ex_ev_load(x, ev, &n) != 0) {
		log_err("cannot read the webhook events: %s", x->db->err);
		goto out;
	}
	/* A later create/update of the same activity covers an earlier one. */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n && !ev[i].superseded; j++)
			if (strcmp(ev[i].otype, "activity") == 0 &&
			    strcmp(ev[j].otype, "activity") == 0 &&
			    ev[j].object == ev[i].object &&
			    strcmp(ev[i].aspect, "delete") != 0)
				ev[i].superseded = 1;
	for (i = 0; i < n && !stopped; i++) {
		struct ex_event *e = &ev[i];
		const char *why = "ignored";
		enum ex_ev_end end = EX_EV_SKIP;

		log_set_athlete(e->owner);
		ex_turn_set(&x->turn, e->owner, EX_PRIO_EVENT);
		if (e->superseded) {
			why = "superseded by a later event";
		} else if (strcmp(e->otype, "activity") == 0) {
			if (strcmp(e->aspect, "delete") == 0)
				end = ex_ev_delete(x, e, &why);
			else
				end = ex_ev_fetch(x, e, &why);
		} else if (strcmp(e->otype, "athlete") == 0 && e->deauth) {
			end = ex_ev_deauth(x, e, &why);
		}
		if (end == EX_EV_STOP) {
			log_warn("events: %s", why);
			stopped = 1;
			break;
		}
		if (end == EX_EV_FAIL) {
			/* left pending: the next run tries it again */
			log_warn("event %lld (%s %s %lld) not applied: %s",
			         e->id, e->otype, e->aspect, e->object, why);
			failed++;
			continue;
		}
		end == EX_EV_DONE ? done++ : skipped++;
		ex_ev_mark(x, e, why);
	}
	log_set_athlete(0);
	ex_turn_set(&x->turn, 0, EX_PRIO_SYNC);
	failed += ex_account_requests(x);
	ex_turn_leave(&x->turn, x->db);
	log_info("events: %d applied, %d skipped, %d left for the next run of "
	         "%d",
	         done, skipped, failed + (stopped ? n - i : 0), n);
	rc = stopped ? EX_EXIT_RATE : failed ? EX_EXIT_PARTIAL : EX_EXIT_OK;
out:
	free(ev);
	return rc;
}
