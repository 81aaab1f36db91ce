/* api_h_records.c: the curves, records, eddington and gear routes */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* free */
#include <string.h> /* strcmp, strdup */

#include "api.h"
#include "api_sql.h"
#include "cgrid.h"
#include "db.h"

/* The best of one grid duration over a window: highest value, on a tie the
 * earliest row (rows come by date, then id). */
struct api_grid_best {
	int set;
	double v;
	long long act;
	char date[11];
	size_t name; /* index into the names of the winning rows */
};

/* Append a copy of name (NULL stays NULL) to the list; 0, or -1 when out of
 * memory. */
static int
api_name_add(char ***names, size_t *n, size_t *cap, const char *name)
{
	char **g = *names;

	if (*n == *cap) {
		g = realloc(g, (*cap * 2 + 16) * sizeof(*g));
		if (g == NULL)
			return -1;
		*names = g;
		*cap = *cap * 2 + 16;
	}
	g[*n] = name != NULL ? strdup(name) : NULL;
	if (name != NULL && g[*n] == NULL)
		return -1;
	(*n)++;
	return 0;
}

/* Append one point of a curve to pts (bad: see api_append). */
static void
api_curve_point(int *bad, json_t *pts, long long duration, double value,
                int dec, long long activity, const char *date, const char *name)
{
	json_t *o = json_object();

	api_set(bad, o, "duration", json_integer(duration));
	api_set(bad, o, "value", api_numr(value, dec ? dec : 1));
	api_set(bad, o, "activity_id", json_integer(activity));
	api_set(bad, o, "date", api_str(date));
	api_set(bad, o, "name", api_str(name));
	api_append(bad, pts, o);
}

/*
 * A curve of any days:N window, from the activities' packed grids. Appends
 * the points to pts; 0, or -1 when the database failed or memory ran out.
 * A row's name is copied once, when it first holds a best.
 */
static int
api_curve_days(struct api_ctx *x, const char *kind, const char *sport,
               long long days, int dec, json_t *pts)
{
	struct db_param p[] = {DB_I64(x->athlete_id), DB_I64(x->athlete_id),
	                       api_s(kind),           api_s(sport),
	                       api_s(sport),          DB_I64(days)};
	struct api_grid_best best[CGRID_MAX];
	char **names = NULL;
	size_t nnames = 0, cap = 0, i, d;
	struct db_res r;
	int rc = -1, f = -1;

	memset(best, 0, sizeof(best));
	if (db_query(x->db, API_Q_CURVE_DAYS, p, 6, &r) != 0)
		goto out;
	while ((f = db_fetch(&r)) == 1) {
		size_t len = 0;
		const void *data = db_blob(&r, 2, &len);
		const char *date = db_str(&r, 1), *name = db_str(&r, 3);
		int named = 0;

		for (i = 0; data != NULL && i < len / 8 && i < CGRID_MAX; i++) {
			struct api_grid_best *b = &best[i];
			double v = cgrid_value(data, len, i);

			if (v != v || (b->set && v <= b->v))
				continue;
			if (!named &&
			    api_name_add(&names, &nnames, &cap, name) != 0) {
				f = -1;
				break;
			}
			named = 1;
			b->set = 1;
			b->v = v;
			b->act = db_i64(&r, 0);
			snprintf(b->date, sizeof(b->date), "%s",
			         date ? date : "");
			b->name = nnames - 1;
		}
		if (f < 0)
			break;
	}
	db_res_free(&r);
	if (f < 0)
		goto out;
	for (i = 0, d = 1; i < CGRID_MAX; i++, d = cgrid_next(d))
		if (best[i].set)
			api_curve_point(&x->rs->failed, pts, (long long)d,
			                best[i].v, dec, best[i].act,
			                best[i].date, names[best[i].name]);
	rc = 0;
out:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
api_h_curves(struct api_ctx *x)
{
	const struct api_val *pv = &x->p[P_PERIOD];
	const char *sport = api_sport(x),
	           *rk = strrchr(x->route->path, '/') + 1;
	const char *kind = "power", *unit = "W", *label = "power";
	char period[24];
	struct db_res r;
	json_t *pts = json_array(), *j;
	int rc, dec = 0, *bad = &x->rs->failed;

	if (strcmp(rk, "hr") == 0) {
		kind = label = "hr";
		unit = "bpm";
	} else if (strcmp(rk, "pace") == 0) {
		kind = "speed";
		label = "pace";
		unit = "m/s";
		dec = 3;
	} else if (strcmp(rk, "gap") == 0) {
		kind = label = "gap";
		unit = "m/s";
		dec = 3;
	}
	if (strcmp(pv->s, "all") == 0)
		snprintf(period, sizeof(period), "all");
	else
		snprintf(period, sizeof(period), "%s:%lld", pv->s, pv->i);
	if (strcmp(pv->s, "days") == 0 && pv->i != 42 && pv->i != 90) {
		/* Any other window: from the activities' grids, one query. */
		if (api_curve_days(x, kind, sport, pv->i, dec, pts) != 0)
			goto dbfail;
		goto done;
	} else {
		struct db_param p[] = {
		    DB_I64(x->athlete_id), api_s(kind),
		    api_s(sport),          api_s(sport),
		    api_s(period),         DB_I64(x->athlete_id)};

		rc = db_query(x->db, API_Q_CURVE_BEST, p, 6, &r);
	}
	if (rc != 0)
		goto dbfail;
	while ((rc = db_fetch(&r)) == 1)
		api_curve_point(bad, pts, db_i64(&r, 0), db_dbl(&r, 1), dec,
		                db_i64(&r, 2), db_str(&r, 3), db_str(&r, 4));
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
done:
	j = json_object();
	api_set(bad, j, "kind", json_string(label));
	api_set(bad, j, "unit", json_string(unit));
	api_set(bad, j, "sport", json_string(sport));
	api_set(bad, j, "period", json_string(period));
	api_set(bad, j, "points", pts);
	return api_send_json(x->rs, 200, j);
dbfail:
	json_decref(pts);
	return api_db_failed(x);
}

int
api_h_records(struct api_ctx *x)
{
	static const char *const cols[] = {"sport_group", "distance",    "rank",
	                                   "elapsed",     "activity_id", "date",
	                                   "name",        NULL};
	const struct api_val *yv = &x->p[P_RECORDS_YEAR];
	const char *sport = api_sport(x);
	char scope[24] = "all", from[32] = "1900-01-01", to[32] = "2200-12-31";
	struct db_res r;
	json_t *recs = json_array(), *prs = json_array(), *j, *o;
	int rc, *bad = &x->rs->failed;

	if (yv->present) {
		snprintf(scope, sizeof(scope), "%04lld", yv->i);
		snprintf(from, sizeof(from), "%04lld-01-01", yv->i);
		snprintf(to, sizeof(to), "%04lld-12-31", yv->i);
	}
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(sport),
		                       api_s(sport), api_s(scope)};

		if (db_query(x->db, API_Q_RECORDS, p, 4, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		o = json_object();
		api_set(bad, o, "sport_group", api_str(db_str(&r, 0)));
		api_set(bad, o, "distance", json_integer(db_i64(&r, 1)));
		api_set(bad, o, "rank", json_integer(db_i64(&r, 2)));
		api_set(bad, o, "elapsed", api_numr(db_dbl(&r, 3), 1));
		api_set(bad, o, "activity_id", json_integer(db_i64(&r, 4)));
		api_set(bad, o, "date", api_str(db_str(&r, 5)));
		api_set(bad, o, "name", api_str(db_str(&r, 6)));
		api_append(bad, recs, o);
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(sport),
		                       api_s(sport), api_s(from), api_s(to)};

		if (db_query(x->db, API_Q_PR_EVENTS, p, 5, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		o = json_object();
		api_set(bad, o, "sport_group", api_str(db_str(&r, 0)));
		api_set(bad, o, "distance", json_integer(db_i64(&r, 1)));
		api_set(bad, o, "date", api_str(db_str(&r, 2)));
		api_set(bad, o, "activity_id", json_integer(db_i64(&r, 3)));
		api_set(bad, o, "elapsed", api_numr(db_dbl(&r, 4), 1));
		api_append(bad, prs, o);
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	j = json_pack("{s:s,s:s,s:O,s:o}", "sport", sport, "scope", scope,
	              "records", recs, "pr_events", prs);
	rc = api_reply(x, j, recs, cols);
	json_decref(recs);
	return rc;
dbfail:
	json_decref(recs);
	json_decref(prs);
	return api_db_failed(x);
}

int
api_h_eddington(struct api_ctx *x)
{
	const char *sport = x->p[P_RIDE_RUN].s, *unit = x->p[P_UNIT].s;
	struct db_param p[] = {DB_I64(x->athlete_id), api_s(sport),
	                       api_s(unit)};
	struct db_res r;
	json_t *hist = NULL, *needed = json_null(), *j;
	long long e = 0;
	int rc, *bad = &x->rs->failed;

	if (db_query(x->db, API_Q_EDDINGTON, p, 3, &r) != 0)
		return api_db_failed(x);
	if ((rc = db_fetch(&r)) == 1) {
		const char *h = db_str(&r, 2);

		e = db_i64(&r, 0);
		needed = json_integer(db_i64(&r, 1));
		hist = h != NULL ? json_loads(h, 0, NULL) : NULL;
	}
	db_res_free(&r);
	if (rc < 0) {
		json_decref(hist);
		json_decref(needed);
		return api_db_failed(x);
	}
	if (!json_is_array(hist)) {
		json_decref(hist);
		hist = json_array();
	}
	j = json_object();
	api_set(bad, j, "sport", json_string(sport));
	api_set(bad, j, "unit", json_string(unit));
	api_set(bad, j, "e", json_integer(e));
	api_set(bad, j, "next", json_integer(e + 1));
	api_set(bad, j, "next_needed", needed);
	api_set(bad, j, "histogram", hist);
	return api_send_json(x->rs, 200, j);
}

int
api_h_gear(struct api_ctx *x)
{
	struct db_param p[] = {DB_I64(x->athlete_id)};
	struct db_res r;
	json_t *gear = json_array(), *o;
	int rc, *bad = &x->rs->failed;

	if (db_query(x->db, API_Q_GEAR, p, 1, &r) != 0) {
		json_decref(gear);
		return api_db_failed(x);
	}
	while ((rc = db_fetch(&r)) == 1) {
		o = json_object();
		api_set(bad, o, "id", api_str(db_str(&r, 0)));
		api_set(bad, o, "name", api_str(db_str(&r, 1)));
		api_set(bad, o, "kind", api_str(db_str(&r, 2)));
		api_set(bad, o, "retired", json_boolean(db_i64(&r, 3)));
		api_set(bad, o, "count", json_integer(db_i64(&r, 4)));
		api_set(bad, o, "distance", api_numr(db_dbl(&r, 5), 1));
		api_set(bad, o, "moving_time", json_integer(db_i64(&r, 6)));
		api_set(bad, o, "first_date", api_str(db_str(&r, 7)));
		api_set(bad, o, "last_date", api_str(db_str(&r, 8)));
		api_append(bad, gear, o);
	}
	db_res_free(&r);
	if (rc < 0) {
		json_decref(gear);
		return api_db_failed(x);
	}
	return api_send_json(x->rs, 200, json_pack("{s:o}", "gear", gear));
}
