/* api_h_totals.c: the summary, cumulative, calendar, fitness and zones routes */
#include <stdio.h>  /* snprintf */
#include <string.h> /* strcmp */
#include <time.h>   /* time, localtime_r */

#include "api.h"
#include "api_sql.h"
#include "db.h"

int
api_h_summary(struct api_ctx *x)
{
	static const char *const cols[] = {
	    "start",          "count", "distance", "moving_time",
	    "elevation_gain", "load",  "longest",  NULL};
	const struct api_val *g = &x->p[P_SUMMARY_GROUP], *f = &x->p[P_FROM];
	char from[32], to[32];
	struct db_res r;
	json_t *rows = json_array(), *j, *o;
	int rc, *bad = &x->rs->failed;

	api_range(x, from, to);
	if (f->present) {
		/* The period that holds `from` starts on or before it. */
		if (strcmp(g->s, "week") == 0)
			api_format_date(f->i - (((f->i + 3) % 7) + 7) % 7, from,
			                sizeof(from));
		else if (strcmp(g->s, "month") == 0)
			memcpy(from + 8, "01", 2);
		else
			memcpy(from + 5, "01-01", 5);
	}
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(g->s),
		                       api_s(api_sport(x)), api_s(from),
		                       api_s(to)};

		if (db_query(x->db, API_Q_SUMMARY, p, 5, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		o = json_object();
		api_set(bad, o, "start", api_str(db_str(&r, 0)));
		api_set(bad, o, "count", json_integer(db_i64(&r, 1)));
		api_set(bad, o, "distance", api_numr(db_dbl(&r, 2), 1));
		api_set(bad, o, "moving_time", json_integer(db_i64(&r, 3)));
		api_set(bad, o, "elevation_gain", api_numr(db_dbl(&r, 4), 1));
		api_set(bad, o, "load", api_numr(db_dbl(&r, 5), 1));
		api_set(bad, o, "longest", api_numr(db_dbl(&r, 6), 1));
		api_append(bad, rows, o);
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	j = json_object();
	api_set(bad, j, "group", json_string(g->s));
	api_set(bad, j, "sport", json_string(api_sport(x)));
	api_set(bad, j, "from", api_date_or_null(&x->p[P_FROM]));
	api_set(bad, j, "to", api_date_or_null(&x->p[P_TO]));
	api_set(bad, j, "periods", json_incref(rows));
	rc = api_reply(x, j, rows, cols);
	json_decref(rows);
	return rc;
dbfail:
	json_decref(rows);
	return api_db_failed(x);
}

/* Year over year: running totals by day of year. */
int
api_h_cumulative(struct api_ctx *x)
{
	const struct api_val *yv = &x->p[P_YEARS];
	char from[32] = "1900-01-01", to[32] = "2200-12-31";
	struct db_res r;
	json_t *years = json_array(), *cur = NULL, *days = NULL, *o;
	long long cy = -1;
	double cd = 0, ce = 0, cl = 0;
	long long cc = 0, ct = 0;
	int rc, i, lo = 9999, hi = 0, *bad = &x->rs->failed;

	if (yv->present) {
		for (i = 0; i < yv->nlist; i++) {
			lo = yv->list[i] < lo ? yv->list[i] : lo;
			hi = yv->list[i] > hi ? yv->list[i] : hi;
		}
		snprintf(from, sizeof(from), "%04d-01-01", lo);
		snprintf(to, sizeof(to), "%04d-12-31", hi);
	}
	{
		struct db_param p[] = {DB_I64(x->athlete_id),
		                       api_s(api_sport(x)), api_s(from),
		                       api_s(to)};

		if (db_query(x->db, API_Q_DAYS, p, 4, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		long long y = db_i64(&r, 6);
		int want = !yv->present;

		for (i = 0; !want && i < yv->nlist; i++)
			want = yv->list[i] == y;
		if (!want)
			continue;
		if (y != cy) {
			cur = json_pack("{s:I,s:[]}", "year", (json_int_t)y,
			                "days");
			api_append(bad, years, cur);
			/* After a failure cur may be gone: add no more. */
			days = *bad ? NULL : json_object_get(cur, "days");
			cy = y;
			cd = ce = cl = 0;
			cc = ct = 0;
		}
		cc += db_i64(&r, 1);
		cd += db_dbl(&r, 2);
		ct += db_i64(&r, 3);
		ce += db_dbl(&r, 4);
		cl += db_dbl(&r, 5);
		o = json_object();
		api_set(bad, o, "doy", json_integer(db_i64(&r, 7)));
		api_set(bad, o, "date", api_str(db_str(&r, 0)));
		api_set(bad, o, "count", json_integer(cc));
		api_set(bad, o, "distance", api_numr(cd, 1));
		api_set(bad, o, "moving_time", json_integer(ct));
		api_set(bad, o, "elevation_gain", api_numr(ce, 1));
		api_set(bad, o, "load", api_numr(cl, 1));
		api_append(bad, days, o);
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	/* Requested years without data still get an (empty) entry. */
	for (i = 0; yv->present && i < yv->nlist; i++) {
		size_t k;
		int found = 0;

		for (k = 0; k < json_array_size(years); k++)
			found |= json_integer_value(json_object_get(
			             json_array_get(years, k), "year")) ==
			         yv->list[i];
		if (!found)
			api_append(bad, years,
			           json_pack("{s:i,s:[]}", "year", yv->list[i],
			                     "days"));
	}
	return api_send_json(
	    x->rs, 200,
	    json_pack("{s:s,s:o}", "sport", api_sport(x), "years", years));
dbfail:
	json_decref(years);
	return api_db_failed(x);
}

int
api_h_calendar(struct api_ctx *x)
{
	const struct api_val *yv = &x->p[P_CALENDAR_YEAR], *m = &x->p[P_METRIC];
	char from[32], to[32];
	struct db_res r;
	json_t *days = json_array(), *j;
	long long year, active = 0;
	double total = 0, max = 0;
	int rc, col, dec, *bad = &x->rs->failed;

	if (yv->present) {
		year = yv->i;
	} else {
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		year = tm.tm_year + 1900;
	}
	col = strcmp(m->s, "time") == 0 ? 3 : strcmp(m->s, "load") == 0 ? 5 : 2;
	snprintf(from, sizeof(from), "%04lld-01-01", year);
	snprintf(to, sizeof(to), "%04lld-12-31", year);
	{
		struct db_param p[] = {DB_I64(x->athlete_id),
		                       api_s(api_sport(x)), api_s(from),
		                       api_s(to)};

		if (db_query(x->db, API_Q_DAYS, p, 4, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		double v = db_dbl(&r, col);

		total += v;
		max = v > max ? v : max;
		active++;
		api_append(bad, days,
		           json_pack("{s:o,s:o,s:I}", "date",
		                     api_str(db_str(&r, 0)), "value",
		                     api_numr(v, col == 3 ? 0 : 1), "count",
		                     (json_int_t)db_i64(&r, 1)));
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	dec = col == 3 ? 0 : 1;
	j = json_object();
	api_set(bad, j, "year", json_integer(year));
	api_set(bad, j, "sport", json_string(api_sport(x)));
	api_set(bad, j, "metric", json_string(m->s));
	api_set(bad, j, "total", api_numr(total, dec));
	api_set(bad, j, "max", api_numr(max, dec));
	api_set(bad, j, "active_days", json_integer(active));
	api_set(bad, j, "days", days);
	return api_send_json(x->rs, 200, j);
dbfail:
	json_decref(days);
	return api_db_failed(x);
}

int
api_h_fitness(struct api_ctx *x)
{
	char from[32], to[32];
	struct db_res r;
	json_t *days = json_array(), *o;
	int rc, *bad = &x->rs->failed;

	api_range(x, from, to);
	if (!x->p[P_FROM].present) {
		/* Default: the year before the last computed day. */
		struct db_param p[] = {DB_I64(x->athlete_id)};

		if (db_query(x->db, API_Q_FITNESS_LAST, p, 1, &r) != 0)
			goto dbfail;
		if ((rc = db_fetch(&r)) == 1 && db_str(&r, 1) != NULL)
			snprintf(from, sizeof(from), "%s", db_str(&r, 1));
		db_res_free(&r);
		if (rc < 0)
			goto dbfail;
	}
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(from),
		                       api_s(to)};

		if (db_query(x->db, API_Q_FITNESS, p, 3, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		o = json_object();
		api_set(bad, o, "date", api_str(db_str(&r, 0)));
		api_set(bad, o, "load", api_numr(db_dbl(&r, 1), 1));
		api_set(bad, o, "ctl", api_numr(db_dbl(&r, 2), 2));
		api_set(bad, o, "atl", api_numr(db_dbl(&r, 3), 2));
		api_set(bad, o, "tsb", api_numr(db_dbl(&r, 4), 2));
		api_set(bad, o, "ramp", api_numr(db_dbl(&r, 5), 2));
		api_set(bad, o, "projected", json_boolean(db_i64(&r, 6)));
		api_append(bad, days, o);
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	return api_send_json(x->rs, 200,
	                     json_pack("{s:s,s:o,s:o}", "from", from, "to",
	                               api_date_or_null(&x->p[P_TO]), "days",
	                               days));
dbfail:
	json_decref(days);
	return api_db_failed(x);
}

int
api_h_zones(struct api_ctx *x)
{
	const struct api_val *k = &x->p[P_ZONE_KIND], *g = &x->p[P_ZONE_GROUP];
	const char *sport = api_sport(x);
	char from[16], to[16], last[16] = "";
	struct db_res r;
	json_t *zones = json_array(), *periods = json_array(), *secs = NULL;
	json_t *j;
	long long total = 0, maxz = 0;
	int rc, *bad = &x->rs->failed;

	api_range(x, from, to);
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(k->s),
		                       api_s(sport),          api_s(sport),
		                       api_s(from),           api_s(to)};

		if (db_query(x->db, API_Q_ZONES_TOTAL, p, 6, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		total += db_i64(&r, 1);
		if (db_i64(&r, 0) > maxz && db_i64(&r, 0) <= 20)
			maxz = db_i64(&r, 0);
		api_append(bad, zones,
		           json_pack("{s:I,s:I,s:n,s:n}", "zone",
		                     (json_int_t)db_i64(&r, 0), "seconds",
		                     (json_int_t)db_i64(&r, 1), "low", "high"));
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(k->s),
		                       DB_I64(x->athlete_id), api_s(k->s),
		                       api_s(sport),          api_s(sport),
		                       api_s(from),           api_s(to)};

		if (db_query(x->db, API_Q_ZONES_BOUNDS, p, 8, &r) != 0)
			goto dbfail;
	}
	while ((rc = db_fetch(&r)) == 1) {
		size_t i;

		for (i = 0; i < json_array_size(zones); i++) {
			json_t *z = json_array_get(zones, i);

			if (json_integer_value(json_object_get(z, "zone")) !=
			    db_i64(&r, 0))
				continue;
			api_set(bad, z, "low", api_numr(db_dbl(&r, 1), 2));
			api_set(bad, z, "high", api_numr(db_dbl(&r, 2), 2));
		}
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	if (g->present) {
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(k->s),
		                       api_s(sport),          api_s(sport),
		                       api_s(from),           api_s(to)};
		size_t nz = (size_t)maxz;

		if (db_query(x->db,
		             strcmp(g->s, "week") == 0 ? API_Q_ZONES_WEEK
		                                       : API_Q_ZONES_MONTH,
		             p, 6, &r) != 0)
			goto dbfail;
		while ((rc = db_fetch(&r)) == 1) {
			const char *ps = db_str(&r, 0);
			long long z = db_i64(&r, 1);

			if (ps != NULL && strcmp(ps, last) != 0) {
				size_t i;

				secs = json_array();
				for (i = 0; i < nz; i++)
					api_append(bad, secs, json_integer(0));
				api_append(bad, periods,
				           json_pack("{s:s,s:o}", "start", ps,
				                     "seconds", secs));
				if (*bad) /* secs may be gone */
					secs = NULL;
				snprintf(last, sizeof(last), "%s", ps);
			}
			if (secs != NULL && z >= 1 && (size_t)z <= nz &&
			    json_array_set_new(secs, (size_t)z - 1,
			                       json_integer(db_i64(&r, 2))) !=
			        0)
				*bad = 1;
		}
		db_res_free(&r);
		if (rc < 0)
			goto dbfail;
	}
	j = json_object();
	api_set(bad, j, "kind", json_string(k->s));
	api_set(bad, j, "sport", json_string(sport));
	api_set(bad, j, "from", api_date_or_null(&x->p[P_FROM]));
	api_set(bad, j, "to", api_date_or_null(&x->p[P_TO]));
	api_set(bad, j, "group", g->present ? json_string(g->s) : json_null());
	api_set(bad, j, "total_seconds", json_integer(total));
	api_set(bad, j, "zones", zones);
	api_set(bad, j, "periods", periods);
	return api_send_json(x->rs, 200, j);
dbfail:
	json_decref(zones);
	json_decref(periods);
	return api_db_failed(x);
}
