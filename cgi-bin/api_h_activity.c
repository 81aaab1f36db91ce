/* api_h_activity.c: the activities list (keyset pagination), one activity in detail, EF and decoupling over time */
#include <stdio.h>  /* snprintf */
#include <string.h> /* strcmp */

#include "api.h"
#include "api_sql.h"
#include "db.h"

static const char *const api_act_cols[] = {
    "id",        "name",     "sport",       "sport_group",  "start_local",
    "date",      "distance", "moving_time", "elapsed_time", "elevation_gain",
    "avg_speed", "avg_hr",   "avg_power",   "np",           "load",
    "load_kind", "gear_id",  "commute",     "trainer",      "has_streams",
    "ef",        "gap",      NULL};

/* The list fields of the current row (columns 0..21); *bad set when a
 * field could not be added. */
static json_t *
api_act_row(const struct db_res *r, int *bad)
{
	json_t *o = json_object();

	api_set(bad, o, "id", json_integer(db_i64(r, 0)));
	api_set(bad, o, "name", api_str(db_str(r, 1)));
	api_set(bad, o, "sport", api_str(db_str(r, 2)));
	api_set(bad, o, "sport_group", api_str(db_str(r, 3)));
	api_set(bad, o, "start_local", api_str(db_str(r, 4)));
	api_set(bad, o, "date", api_str(db_str(r, 5)));
	api_set(bad, o, "distance", api_numr(db_dbl(r, 6), 1));
	api_set(bad, o, "moving_time", api_numr(db_dbl(r, 7), 0));
	api_set(bad, o, "elapsed_time", api_numr(db_dbl(r, 8), 0));
	api_set(bad, o, "elevation_gain", api_numr(db_dbl(r, 9), 1));
	api_set(bad, o, "avg_speed", api_numr(db_dbl(r, 10), 3));
	api_set(bad, o, "avg_hr", api_numr(db_dbl(r, 11), 1));
	api_set(bad, o, "avg_power", api_numr(db_dbl(r, 12), 1));
	api_set(bad, o, "np", api_numr(db_dbl(r, 13), 1));
	api_set(bad, o, "load", api_numr(db_dbl(r, 14), 1));
	api_set(bad, o, "load_kind", api_str(db_str(r, 15)));
	api_set(bad, o, "gear_id", api_str(db_str(r, 16)));
	api_set(bad, o, "commute", json_boolean(db_i64(r, 17)));
	api_set(bad, o, "trainer", json_boolean(db_i64(r, 18)));
	api_set(bad, o, "has_streams", json_boolean(db_i64(r, 19)));
	api_set(bad, o, "ef", api_numr(db_dbl(r, 20), 3));
	api_set(bad, o, "gap", api_numr(db_dbl(r, 21), 3));
	return o;
}

/* LIKE pattern of "contains s": %, _ and \ escaped. */
static void
api_like(const char *s, char *out, size_t len)
{
	size_t o = 0;

	out[o++] = '%';
	for (; *s != '\0' && o + 4 < len; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o++] = '%';
	out[o] = '\0';
}

int
api_h_activities(struct api_ctx *x)
{
	const struct api_val *sort = &x->p[P_SORT], *ord = &x->p[P_ORDER];
	const struct api_val *cur = &x->p[P_CURSOR], *gear = &x->p[P_GEAR];
	const struct api_val *q = &x->p[P_Q], *mind = &x->p[P_MIN_DISTANCE];
	const struct api_val *maxd = &x->p[P_MAX_DISTANCE];
	long long limit = x->p[P_LIMIT].i, n = 0;
	char from[16], to[16], like[256], next[160];
	struct api_cursor last;
	struct db_res r;
	json_t *rows = json_array(), *j;
	int rc, have_next = 0, *bad = &x->rs->failed;

	/* A CSV download without a limit is the whole filtered table. */
	if (x->p[P_FORMAT].i == 1 && !x->p[P_LIMIT].given)
		limit = API_CSV_MAX_ROWS;
	api_range(x, from, to);
	if (cur->present && (strcmp(cur->cur.sort, sort->s) != 0 ||
	                     strcmp(cur->cur.order, ord->s) != 0)) {
		json_decref(rows);
		return api_error(x->rs, 400, "invalid_cursor", "cursor",
		                 "the cursor belongs to sort=%s&order=%s",
		                 cur->cur.sort, cur->cur.order);
	}
	if (q->present)
		api_like(q->s, like, sizeof(like));
	memset(&last, 0, sizeof(last));
	{
		const char *sport = api_sport(x);
		const char *g = gear->present ? gear->s : NULL;
		const char *lk = q->present ? like : NULL;
		struct db_param p[] = {
		    DB_I64(x->athlete_id),
		    api_s(sport),
		    api_s(sport),
		    api_s(from),
		    api_s(to),
		    api_s(g),
		    api_s(g),
		    api_s(lk),
		    api_s(lk),
		    mind->present ? DB_DBL(mind->d) : DB_NULL,
		    mind->present ? DB_DBL(mind->d) : DB_NULL,
		    maxd->present ? DB_DBL(maxd->d) : DB_NULL,
		    maxd->present ? DB_DBL(maxd->d) : DB_NULL,
		    DB_I64(cur->present),
		    !cur->present     ? DB_NULL
		    : cur->cur.is_num ? DB_DBL(cur->cur.num)
		                      : api_s(cur->cur.text),
		    DB_I64(cur->cur.id),
		    DB_I64(limit + 1)};
		int id = API_Q_ACT_DATE_DESC + (int)sort->i * 2 + (int)ord->i;

		if (db_query(x->db, id, p, 17, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		if (++n > limit) {
			have_next = 1;
			continue;
		}
		api_append(bad, rows, api_act_row(&r, bad));
		if (n == limit) {
			snprintf(last.sort, sizeof(last.sort), "%s", sort->s);
			snprintf(last.order, sizeof(last.order), "%s", ord->s);
			last.id = db_i64(&r, 0);
			last.is_num = sort->i != 0;
			if (last.is_num)
				last.num = db_dbl(&r, API_ACT_LIST_NCOLS);
			else
				snprintf(last.text, sizeof(last.text), "%s",
				         db_str(&r, API_ACT_LIST_NCOLS)
				             ? db_str(&r, API_ACT_LIST_NCOLS)
				             : "");
		}
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	if (have_next && api_cursor_encode(&last, next, sizeof(next)) != 0)
		have_next = 0;
	j = json_pack("{s:O,s:o}", "activities", rows, "next_cursor",
	              have_next ? json_string(next) : json_null());
	rc = api_reply(x, j, rows, api_act_cols);
	json_decref(rows);
	return rc;
dbfail:
	json_decref(rows);
	return api_db_failed(x);
}

/* One row of API_Q_ACT_LAPS as a lap or interval object; *bad set when a
 * field could not be added. */
static json_t *
api_lap_row(const struct db_res *r, int lap, int *bad)
{
	static const struct {
		const char *key;
		int dec;
	} nums[] = {{"distance", 1},    {"avg_power", 1}, {"max_power", 1},
	            {"np", 1},          {"avg_hr", 1},    {"max_hr", 1},
	            {"avg_speed", 3},   {"max_speed", 3}, {"avg_cadence", 1},
	            {"max_cadence", 1}, {"gap", 3},       {"elevation_gain", 1},
	            {"intensity", 3}};
	json_t *o = json_object();
	size_t i;

	if (lap)
		api_set(bad, o, "source", api_str(db_str(r, 1)));
	api_set(bad, o, "start_offset", json_integer(db_i64(r, 2)));
	api_set(bad, o, "elapsed", json_integer(db_i64(r, 3)));
	api_set(bad, o, "moving_time", json_integer(db_i64(r, 4)));
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		api_set(bad, o, nums[i].key,
		        api_numr(db_dbl(r, 5 + (unsigned)i), nums[i].dec));
	api_set(bad, o, "basis", api_str(db_str(r, 18)));
	return o;
}

/* The activity's laps (recorded or automatic splits) and intervals into
 * two arrays. 0, or -1 on a database error. */
static int
api_act_laps(struct api_ctx *x, const struct db_param *p, json_t *laps,
             json_t *ivs)
{
	struct db_res r;
	int rc, *bad = &x->rs->failed;

	if (db_query(x->db, API_Q_ACT_LAPS, p, 2, &r) != 0)
		return -1;
	while ((rc = db_fetch(&r)) == 1) {
		const char *k = db_str(&r, 0);
		int lap = k != NULL && strcmp(k, "lap") == 0;

		api_append(bad, lap ? laps : ivs, api_lap_row(&r, lap, bad));
	}
	db_res_free(&r);
	return rc < 0 ? -1 : 0;
}

int
api_h_activity(struct api_ctx *x)
{
	long long id = x->p[P_ID].i;
	struct db_param p[] = {DB_I64(id), DB_I64(x->athlete_id)};
	struct db_res r;
	json_t *a = NULL, *zones = NULL, *eff = NULL, *laps = NULL, *ivs = NULL;
	int rc, *bad = &x->rs->failed;
	/* the detail's columns follow the list's: these numbers first */
	static const struct {
		const char *key;
		int dec;
	} nums[] = {{"max_speed", 3},  {"max_hr", 1},      {"max_power", 1},
	            {"intensity", 3},  {"vi", 3},          {"tss_power", 1},
	            {"load_hr", 1},    {"load_pace", 1},   {"trimp", 1},
	            {"decoupling", 2}, {"avg_cadence", 1}, {"kilojoules", 1}};
	const unsigned c = API_ACT_LIST_NCOLS;
	size_t i;

	if (db_query(x->db, API_Q_ACT_ONE, p, 2, &r) != 0)
		return api_db_failed(x);
	if ((rc = db_fetch(&r)) == 1) {
		a = api_act_row(&r, bad);
		for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
			api_set(
			    bad, a, nums[i].key,
			    api_numr(db_dbl(&r, c + (unsigned)i), nums[i].dec));
		api_set(bad, a, "manual", json_boolean(db_i64(&r, c + 12)));
		api_set(bad, a, "timezone", api_str(db_str(&r, c + 13)));
		api_set(bad, a, "start_utc", api_str(db_str(&r, c + 14)));
		api_set(bad, a, "spikes_clipped",
		        json_integer(db_i64(&r, c + 15)));
		api_set(bad, a, "source", api_str(db_str(&r, c + 16)));
		api_set(bad, a, "summary_polyline",
		        api_str(db_str(&r, c + 17)));
		api_set(bad, a, "wbal_min", api_numr(db_dbl(&r, c + 18), 0));
		api_set(bad, a, "est_avg_power",
		        api_numr(db_dbl(&r, c + 19), 1));
		api_set(bad, a, "est_np", api_numr(db_dbl(&r, c + 20), 1));
		api_set(bad, a, "power_estimated",
		        json_boolean(db_i64(&r, c + 21)));
	}
	db_res_free(&r);
	if (rc < 0)
		return api_db_failed(x);
	if (a == NULL)
		return api_error(x->rs, 404, "not_found", "id",
		                 "no activity %lld", id);
	zones = json_object();
	if (db_query(x->db, API_Q_ACT_ZONES, p, 2, &r) != 0)
		goto dbfail;
	while ((rc = db_fetch(&r)) == 1) {
		const char *k = db_str(&r, 0);
		json_t *arr;

		if (k == NULL)
			continue;
		arr = json_object_get(zones, k);
		if (arr == NULL) {
			api_set(bad, zones, k, json_array());
			arr =
			    json_object_get(zones, k); /* NULL if that failed */
		}
		api_append(bad, arr,
		           json_pack("{s:I,s:I,s:o,s:o}", "zone",
		                     (json_int_t)db_i64(&r, 1), "seconds",
		                     (json_int_t)db_i64(&r, 2), "low",
		                     api_numr(db_dbl(&r, 3), 2), "high",
		                     api_numr(db_dbl(&r, 4), 2)));
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	eff = json_array();
	if (db_query(x->db, API_Q_ACT_EFFORTS, p, 2, &r) != 0)
		goto dbfail;
	while ((rc = db_fetch(&r)) == 1)
		api_append(bad, eff,
		           json_pack("{s:I,s:o,s:I,s:o}", "distance",
		                     (json_int_t)db_i64(&r, 0), "elapsed",
		                     api_numr(db_dbl(&r, 1), 1), "start_offset",
		                     (json_int_t)db_i64(&r, 2), "rank",
		                     db_isnull(&r, 3)
		                         ? json_null()
		                         : json_integer(db_i64(&r, 3))));
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	laps = json_array();
	ivs = json_array();
	if (laps == NULL || ivs == NULL || api_act_laps(x, p, laps, ivs) != 0)
		goto dbfail;
	return api_send_json(x->rs, 200,
	                     json_pack("{s:o,s:o,s:o,s:o,s:o}", "activity", a,
	                               "zones", zones, "best_efforts", eff,
	                               "laps", laps, "intervals", ivs));
dbfail:
	json_decref(a);
	json_decref(zones);
	json_decref(eff);
	json_decref(laps);
	json_decref(ivs);
	return api_db_failed(x);
}

int
api_h_progress(struct api_ctx *x)
{
	const char *sport = api_sport(x);
	char from[16], to[16];
	struct db_res r;
	json_t *rows = json_array(), *o;
	int rc, *bad = &x->rs->failed;

	api_range(x, from, to);
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(sport),
		                       api_s(sport), api_s(from), api_s(to)};

		if (db_query(x->db, API_Q_PROGRESS, p, 5, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		o = json_object();
		api_set(bad, o, "date", api_str(db_str(&r, 0)));
		api_set(bad, o, "activity_id", json_integer(db_i64(&r, 1)));
		api_set(bad, o, "sport_group", api_str(db_str(&r, 2)));
		api_set(bad, o, "ef", api_numr(db_dbl(&r, 3), 3));
		api_set(bad, o, "decoupling", api_numr(db_dbl(&r, 4), 2));
		api_append(bad, rows, o);
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	return api_send_json(x->rs, 200,
	                     json_pack("{s:s,s:o,s:o,s:o}", "sport", sport,
	                               "from", api_date_or_null(&x->p[P_FROM]),
	                               "to", api_date_or_null(&x->p[P_TO]),
	                               "activities", rows));
dbfail:
	json_decref(rows);
	return api_db_failed(x);
}
