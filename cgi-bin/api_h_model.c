/* api_h_model.c: the athlete model routes: one day, every day, and applying a day's model as settings */
#include <math.h>   /* fabs, isfinite, round */
#include <stdio.h>  /* snprintf */
#include <string.h> /* strcmp */
#include <time.h>   /* localtime_r, strftime */

#include "api.h"
#include "api_sql.h"
#include "db.h"

/* A whole number as an integer, else rounded to `decimals` places. */
static json_t *
api_model_num(double d, int decimals)
{
	return fabs(d) < 9e15 && d == (double)(long long)d
	           ? api_numr(d, 0)
	           : api_numr(d, decimals);
}

/* The stored efforts [{duration, value, activity_id}] with the value
 * rounded (W to 0.1, m/s to 0.001); an empty array when unreadable. */
static json_t *
api_model_efforts(int *bad, const char *text, int run)
{
	json_t *in = text != NULL ? json_loads(text, 0, NULL) : NULL;
	json_t *out = json_array(), *e;
	size_t i;

	json_array_foreach(in, i, e)
	{
		json_t *o = json_object();
		double dur = json_number_value(json_object_get(e, "duration"));
		double val = json_number_value(json_object_get(e, "value"));
		json_int_t act =
		    json_integer_value(json_object_get(e, "activity_id"));

		api_set(bad, o, "duration", api_numr(dur, 0));
		api_set(bad, o, "value", api_numr(val, run ? 3 : 1));
		api_set(bad, o, "activity_id", json_integer(act));
		api_append(bad, out, o);
	}
	json_decref(in);
	return out;
}

/* The stored predictions [{distance, time, riegel_time}] with times to
 * 0.1 s; null when there are none. */
static json_t *
api_model_predictions(int *bad, const char *text)
{
	json_t *in = text != NULL ? json_loads(text, 0, NULL) : NULL;
	json_t *out, *e;
	size_t i;

	if (!json_is_array(in)) {
		json_decref(in);
		return json_null();
	}
	out = json_array();
	json_array_foreach(in, i, e)
	{
		json_t *o = json_object();
		double dist = json_number_value(json_object_get(e, "distance"));
		double t = json_number_value(json_object_get(e, "time"));
		double rt =
		    json_number_value(json_object_get(e, "riegel_time"));

		api_set(bad, o, "distance", api_model_num(dist, 1));
		api_set(bad, o, "time", api_numr(t, 1));
		api_set(bad, o, "riegel_time", api_numr(rt, 1));
		api_append(bad, out, o);
	}
	json_decref(in);
	return out;
}

/* Columns of API_Q_MODEL. */
enum api_model_col {
	MC_DAY,
	MC_WINDOW,
	MC_CP,
	MC_WP,
	MC_PMAX,
	MC_EFTP,
	MC_R2,
	MC_CS,
	MC_DP,
	MC_VDOT,
	MC_REASON,
	MC_EFFORTS,
	MC_PRED
};

/* The figures of one model_day row into o (efforts with `efforts`). */
static void
api_model_fill(int *bad, json_t *o, const struct db_res *r, int run,
               int efforts)
{
	api_set(bad, o, "window_days", json_integer(db_i64(r, MC_WINDOW)));
	if (!run) {
		api_set(bad, o, "cp", api_numr(db_dbl(r, MC_CP), 1));
		api_set(bad, o, "w_prime", api_numr(db_dbl(r, MC_WP), 0));
		api_set(bad, o, "pmax", api_numr(db_dbl(r, MC_PMAX), 1));
		api_set(bad, o, "eftp", api_numr(db_dbl(r, MC_EFTP), 1));
	} else {
		api_set(bad, o, "cs", api_numr(db_dbl(r, MC_CS), 3));
		api_set(bad, o, "d_prime", api_numr(db_dbl(r, MC_DP), 1));
		api_set(bad, o, "vdot", api_numr(db_dbl(r, MC_VDOT), 2));
		api_set(bad, o, "predictions",
		        api_model_predictions(bad, db_str(r, MC_PRED)));
	}
	api_set(bad, o, "r2", api_numr(db_dbl(r, MC_R2), 4));
	if (efforts)
		api_set(bad, o, "efforts",
		        api_model_efforts(bad, db_str(r, MC_EFFORTS), run));
	api_set(bad, o, "reason", api_str(db_str(r, MC_REASON)));
}

/* A day without a row (before the sport's first activity, after the
 * last transform): no model. */
static void
api_model_none(int *bad, json_t *o, long long window, int run)
{
	static const char *const ride[] = {"cp", "w_prime", "pmax", "eftp",
	                                   NULL};
	static const char *const runk[] = {"cs", "d_prime", "vdot",
	                                   "predictions", NULL};
	const char *const *k;

	api_set(bad, o, "window_days", json_integer(window));
	for (k = run ? runk : ride; *k != NULL; k++)
		api_set(bad, o, *k, json_null());
	api_set(bad, o, "r2", json_null());
	api_set(bad, o, "efforts", json_array());
	api_set(bad, o, "reason", json_string("no_efforts_in_range"));
}

int
api_h_model(struct api_ctx *x)
{
	const char *sport = x->p[P_RIDE_RUN].s;
	int run = strcmp(sport, "run") == 0, rc, *bad = &x->rs->failed;
	char date[16] = "";
	long long window = 90;
	struct db_res r;
	json_t *j = json_object();

	if (x->p[P_DATE].present) {
		api_format_date(x->p[P_DATE].i, date, sizeof(date));
	} else {
		/* today: the latest day the transform modelled, up to the
		 * server's date */
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(sport)};
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		if (db_query(x->db, API_Q_MODEL_LAST, p, 2, &r) != 0)
			goto dbfail;
		if ((rc = db_fetch(&r)) == 1 && db_str(&r, 0) != NULL) {
			snprintf(date, sizeof(date), "%s", db_str(&r, 0));
			window = db_i64(&r, 1);
		}
		db_res_free(&r);
		if (rc < 0)
			goto dbfail;
	}
	api_set(bad, j, "sport", json_string(sport));
	api_set(bad, j, "date", json_string(date));
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(sport),
		                       api_s(date), api_s(date)};

		if (db_query(x->db, API_Q_MODEL, p, 4, &r) != 0)
			goto dbfail;
	}
	if ((rc = db_fetch(&r)) == 1)
		api_model_fill(bad, j, &r, run, 1);
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	if (rc == 0)
		api_model_none(bad, j, window, run);
	return api_send_json(x->rs, 200, j);
dbfail:
	json_decref(j);
	return api_db_failed(x);
}

int
api_h_model_history(struct api_ctx *x)
{
	const char *sport = x->p[P_RIDE_RUN].s;
	int run = strcmp(sport, "run") == 0, rc, *bad = &x->rs->failed;
	char from[16], to[16];
	struct db_res r;
	json_t *days = json_array(), *o;

	api_range(x, from, to);
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(sport),
		                       api_s(from), api_s(to)};

		if (db_query(x->db, API_Q_MODEL, p, 4, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		o = json_object();
		api_set(bad, o, "date", api_str(db_str(&r, MC_DAY)));
		api_model_fill(bad, o, &r, run, 0);
		api_append(bad, days, o);
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	o = json_object();
	api_set(bad, o, "sport", json_string(sport));
	api_set(bad, o, "from",
	        x->p[P_FROM].present ? json_string(from) : json_null());
	api_set(bad, o, "to",
	        x->p[P_TO].present ? json_string(to) : json_null());
	api_set(bad, o, "days", days);
	return api_send_json(x->rs, 200, o);
dbfail:
	json_decref(days);
	return api_db_failed(x);
}

/* The settings a model sets: rides ftp (eFTP), cp, w_prime; runs
 * threshold_pace (s/km at CS). Each from its column, as a setting value. */
struct api_model_setting {
	const char *name;
	int col;    /* enum api_model_col */
	int per_km; /* 1000 / the value (pace from speed) */
};
static const struct api_model_setting api_model_ride[] = {
    {"ftp", MC_EFTP, 0}, {"cp", MC_CP, 0}, {"w_prime", MC_WP, 0}, {NULL, 0, 0}};
static const struct api_model_setting api_model_run[] = {
    {"threshold_pace", MC_CS, 1}, {NULL, 0, 0}};

/* A POST body of /model/apply, checked. */
struct api_apply_req {
	const char *sport; /* "ride" or "run" */
	char date[16];     /* the model's day; "" for the latest */
	char from[16];     /* effective_from */
	int dry_run;
};

/* Read and check the body into q (strings point into b); 0, or the status
 * of the error answer already made. */
static int
api_apply_body(struct api_ctx *x, json_t *b, struct api_apply_req *q)
{
	static const char *const keys[] = {"sport", "date", "effective_from",
	                                   "dry_run", NULL};
	const char *key, *s;
	const char *const *k;
	json_t *v;
	long long days;

	json_object_foreach(b, key, v)
	{
		for (k = keys; *k != NULL && strcmp(*k, key) != 0; k++)
			;
		if (*k == NULL)
			return api_error(x->rs, 400, "invalid_body", key,
			                 "unknown field in the body");
	}
	v = json_object_get(b, "sport");
	q->sport = v == NULL ? "ride" : json_string_value(v);
	if (q->sport == NULL ||
	    (strcmp(q->sport, "ride") != 0 && strcmp(q->sport, "run") != 0))
		return api_error(x->rs, 400, "invalid_body", "sport",
		                 "sport must be ride or run");
	v = json_object_get(b, "date");
	if (v != NULL && !json_is_null(v)) {
		s = json_string_value(v);
		if (s == NULL || api_parse_date(s, &days) != 0)
			return api_error(x->rs, 400, "invalid_body", "date",
			                 "date must be a date YYYY-MM-DD");
		api_format_date(days, q->date, sizeof(q->date));
	}
	v = json_object_get(b, "effective_from");
	if (v != NULL && !json_is_null(v)) {
		s = json_string_value(v);
		if (s == NULL || api_parse_date(s, &days) != 0)
			return api_error(x->rs, 400, "invalid_body",
			                 "effective_from",
			                 "effective_from must be a date "
			                 "YYYY-MM-DD");
		api_format_date(days, q->from, sizeof(q->from));
	}
	v = json_object_get(b, "dry_run");
	if (v != NULL && !json_is_boolean(v))
		return api_error(x->rs, 400, "invalid_body", "dry_run",
		                 "dry_run must be true or false");
	q->dry_run = json_is_true(v);
	return 0;
}

/* The settings the model row r gives, as [{name, value, effective_from,
 * source}] into *out (caller owns); 0, 1 when a figure is missing or out
 * of the setting's range (no model to apply), -1 when out of memory. */
static int
api_apply_settings(const struct db_res *r, int run, const char *from,
                   json_t **out)
{
	const struct api_model_setting *m;
	json_t *list = json_array();
	char value[64];
	int rc = -1;

	*out = NULL;
	if (list == NULL)
		goto out;
	for (m = run ? api_model_run : api_model_ride; m->name != NULL; m++) {
		double v = db_dbl(r, m->col);

		if (m->per_km)
			v = v > 0 ? 1000.0 / v : NAN;
		if (!isfinite(v) || api_setting_value(m->name, round(v), value,
		                                      sizeof(value)) != 0) {
			rc = 1;
			goto out;
		}
		if (json_array_append_new(
		        list, json_pack("{s:s,s:s,s:s,s:s}", "name", m->name,
		                        "value", value, "effective_from", from,
		                        "source", "model")) != 0)
			goto out;
	}
	*out = list;
	list = NULL;
	rc = 0;
out:
	json_decref(list);
	return rc;
}

/* Write the settings and queue the recompute in one transaction. */
static int
api_apply_write(struct api_ctx *x, json_t *list, const char *sport,
                const char *from)
{
	/* api_s() takes the length now: the text first */
	const char *reason =
	    strcmp(sport, "run") == 0 ? "model run" : "model ride";
	struct db_param pr[] = {DB_I64(x->athlete_id), api_s(from),
	                        api_s(reason)};
	json_t *e;
	size_t i;

	if (db_begin(x->db) != 0)
		return -1;
	json_array_foreach(list, i, e)
	{
		struct db_param ps[] = {
		    DB_I64(x->athlete_id),
		    api_s(json_string_value(json_object_get(e, "name"))),
		    api_s(from),
		    api_s(json_string_value(json_object_get(e, "value")))};

		if (db_exec(x->db, API_Q_SETTING_MODEL_PUT, ps, 4) < 0)
			goto fail;
	}
	if (db_exec(x->db, API_Q_RECOMPUTE, pr, 3) < 0 || db_commit(x->db) != 0)
		goto fail;
	return 0;
fail:
	if (x->db->my != NULL)
		db_rollback(x->db);
	return -1;
}

/* {"queued", "from", "activities", "first", "last"}: what a recompute
 * from `from` redoes; NULL when the query failed. */
static json_t *
api_apply_span(struct api_ctx *x, const char *from, int queued)
{
	struct db_param p[] = {DB_I64(x->athlete_id), api_s(from)};
	struct db_res r;
	json_t *o = NULL;
	int *bad = &x->rs->failed;

	if (db_query(x->db, API_Q_RECOMPUTE_SPAN, p, 2, &r) != 0)
		return NULL;
	if (db_fetch(&r) == 1) {
		o = json_object();
		api_set(bad, o, "queued", json_boolean(queued));
		api_set(bad, o, "from", json_string(from));
		api_set(bad, o, "activities", json_integer(db_i64(&r, 0)));
		api_set(bad, o, "first", api_str(db_str(&r, 1)));
		api_set(bad, o, "last", api_str(db_str(&r, 2)));
	}
	db_res_free(&r);
	return o;
}

/*
 * POST /api/v1/model/apply: the model of a day as settings with source
 * "model" from effective_from on (docs/METRICS.md "Applying a model"), and
 * a recompute from that date; dry_run answers the same without writing.
 */
int
api_h_model_apply(struct api_ctx *x)
{
	struct api_apply_req q = {0};
	json_error_t je;
	json_t *b = NULL, *list = NULL, *span = NULL;
	struct db_res r;
	int run, rc, st = 500, got = 1;
	char reason[32] = "no_efforts_in_range";

	x->rs->no_store = 1;
	if (x->body == NULL || x->body_len == 0) {
		st = api_error(x->rs, 400, "invalid_body", NULL,
		               "send a JSON object with sport, date, "
		               "effective_from and dry_run");
		goto out;
	}
	b = json_loadb(x->body, x->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(b)) {
		st = api_error(x->rs, 400, "invalid_body", NULL,
		               "the body is not a JSON object");
		goto out;
	}
	if ((st = api_apply_body(x, b, &q)) != 0)
		goto out;
	run = strcmp(q.sport, "run") == 0;
	if (q.date[0] == '\0') {
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(q.sport)};
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(q.date, sizeof(q.date), "%Y-%m-%d", &tm);
		if (db_query(x->db, API_Q_MODEL_LAST, p, 2, &r) != 0)
			goto dbfail;
		if ((rc = db_fetch(&r)) == 1 && db_str(&r, 0) != NULL)
			snprintf(q.date, sizeof(q.date), "%s", db_str(&r, 0));
		db_res_free(&r);
		if (rc < 0)
			goto dbfail;
	}
	if (q.from[0] == '\0')
		snprintf(q.from, sizeof(q.from), "%s", q.date);
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(q.sport),
		                       api_s(q.date), api_s(q.date)};

		if (db_query(x->db, API_Q_MODEL, p, 4, &r) != 0)
			goto dbfail;
	}
	if ((rc = db_fetch(&r)) == 1) {
		if (db_str(&r, MC_REASON) != NULL)
			snprintf(reason, sizeof(reason), "%s",
			         db_str(&r, MC_REASON));
		else if ((got = api_apply_settings(&r, run, q.from, &list)) > 0)
			snprintf(reason, sizeof(reason), "%s",
			         "outside_settings_range");
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	if (got < 0) {
		st = api_error(x->rs, 500, "internal", NULL, "out of memory");
		goto out;
	}
	if (got > 0) {
		st = api_error(x->rs, 409, "no_model", "date",
		               "no %s model on %s (%s): nothing to apply",
		               q.sport, q.date, reason);
		goto out;
	}
	if (!q.dry_run && api_apply_write(x, list, q.sport, q.from) != 0)
		goto dbfail;
	if ((span = api_apply_span(x, q.from, !q.dry_run)) == NULL)
		goto dbfail;
	st = api_send_json(x->rs, 200,
	                   json_pack("{s:s,s:s,s:s,s:b,s:O,s:O}", "sport",
	                             q.sport, "date", q.date, "effective_from",
	                             q.from, "dry_run", q.dry_run, "settings",
	                             list, "recompute", span));
	goto out;
dbfail:
	st = api_db_failed(x);
out:
	json_decref(span);
	json_decref(list);
	json_decref(b);
	return st;
}
