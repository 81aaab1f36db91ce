/* api_h_totals.c: the summary, cumulative, calendar, fitness and zones routes */
#include <stdio.h>  /* snprintf */
#include <string.h> /* strcmp */
#include <time.h>   /* time, localtime_r */

#include "api.h"
#include "api_sql.h"
#include "db.h"

static json_t *
api_date_or_null(const struct api_val *v)
{
	char buf[16];

	if (!v->present)
		return json_null();
	api_format_date(v->i, buf, sizeof(buf));
	return json_string(buf);
}

int
api_h_summary(struct api_ctx *x)
{
	static const char *const cols[] = {
	    "start",          "count", "distance", "moving_time",
	    "elevation_gain", "load",  "longest",  NULL};
	const struct api_val *g = &x->p[P_SUMMARY_GROUP], *f = &x->p[P_FROM];
	char from[32], to[32];
	struct db_res r;
	json_t *rows = json_array(), *j;
	int rc;

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
	while ((rc = db_fetch(&r)) == 1)
		json_array_append_new(
		    rows, json_pack("{s:o,s:I,s:o,s:I,s:o,s:o,s:o}", "start",
		                    api_str(db_str(&r, 0)), "count",
		                    (json_int_t)db_i64(&r, 1), "distance",
		                    api_numr(db_dbl(&r, 2), 1), "moving_time",
		                    (json_int_t)db_i64(&r, 3), "elevation_gain",
		                    api_numr(db_dbl(&r, 4), 1), "load",
		                    api_numr(db_dbl(&r, 5), 1), "longest",
		                    api_numr(db_dbl(&r, 6), 1)));
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	j = json_pack("{s:s,s:s,s:o,s:o,s:O}", "group", g->s, "sport",
	              api_sport(x), "from", api_date_or_null(&x->p[P_FROM]),
	              "to", api_date_or_null(&x->p[P_TO]), "periods", rows);
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
	json_t *years = json_array(), *cur = NULL, *days = NULL;
	long long cy = -1;
	double cd = 0, ce = 0, cl = 0;
	long long cc = 0, ct = 0;
	int rc, i, lo = 9999, hi = 0;

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
			days = json_object_get(cur, "days");
			json_array_append_new(years, cur);
			cy = y;
			cd = ce = cl = 0;
			cc = ct = 0;
		}
		cc += db_i64(&r, 1);
		cd += db_dbl(&r, 2);
		ct += db_i64(&r, 3);
		ce += db_dbl(&r, 4);
		cl += db_dbl(&r, 5);
		json_array_append_new(
		    days,
		    json_pack("{s:I,s:o,s:I,s:o,s:I,s:o,s:o}", "doy",
		              (json_int_t)db_i64(&r, 7), "date",
		              api_str(db_str(&r, 0)), "count", (json_int_t)cc,
		              "distance", api_numr(cd, 1), "moving_time",
		              (json_int_t)ct, "elevation_gain", api_numr(ce, 1),
		              "load", api_numr(cl, 1)));
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
			json_array_append_new(years,
			                      json_pack("{s:i,s:[]}", "year",
			                                yv->list[i], "days"));
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
	json_t *days = json_array();
	long long year, active = 0;
	double total = 0, max = 0;
	int rc, col;

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
		json_array_append_new(
		    days,
		    json_pack("{s:o,s:o,s:I}", "date", api_str(db_str(&r, 0)),
		              "value", api_numr(v, col == 3 ? 0 : 1), "count",
		              (json_int_t)db_i64(&r, 1)));
	}
	db_res_free(&r);
	if (rc < 0)
		goto dbfail;
	return api_send_json(
	    x->rs, 200,
	    json_pack("{s:I,s:s,s:s,s:o,s:o,s:I,s:o}", "year", (json_int_t)year,
	              "sport", api_sport(x), "metric", m->s, "total",
	              api_numr(total, col == 3 ? 0 : 1), "max",
	              api_numr(max, col == 3 ? 0 : 1), "active_days",
	              (json_int_t)active, "days", days));
dbfail:
	json_decref(days);
	return api_db_failed(x);
}

int
api_h_fitness(struct api_ctx *x)
{
	char from[32], to[32];
	struct db_res r;
	json_t *days = json_array();
	int rc;

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
	while ((rc = db_fetch(&r)) == 1)
		json_array_append_new(
		    days, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "date",
		                    api_str(db_str(&r, 0)), "load",
		                    api_numr(db_dbl(&r, 1), 1), "ctl",
		                    api_numr(db_dbl(&r, 2), 2), "atl",
		                    api_numr(db_dbl(&r, 3), 2), "tsb",
		                    api_numr(db_dbl(&r, 4), 2), "ramp",
		                    api_numr(db_dbl(&r, 5), 2), "projected",
		                    (int)db_i64(&r, 6)));
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
	long long total = 0, maxz = 0;
	int rc;

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
		json_array_append_new(
		    zones, json_pack("{s:I,s:I,s:n,s:n}", "zone",
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
			json_object_set_new(z, "low",
			                    api_numr(db_dbl(&r, 1), 2));
			json_object_set_new(z, "high",
			                    api_numr(db_dbl(&r, 2), 2));
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
					json_array_append_new(secs,
					                      json_integer(0));
				json_array_append_new(
				    periods, json_pack("{s:s,s:o}", "start", ps,
				                       "seconds", secs));
				snprintf(last, sizeof(last), "%s", ps);
			}
			if (secs != NULL && z >= 1 && (size_t)z <= nz)
				json_array_set_new(secs, (size_t)z - 1,
				                   json_integer(db_i64(&r, 2)));
		}
		db_res_free(&r);
		if (rc < 0)
			goto dbfail;
	}
	return api_send_json(
	    x->rs, 200,
	    json_pack("{s:s,s:s,s:o,s:o,s:o,s:I,s:o,s:o}", "kind", k->s,
	              "sport", sport, "from", api_date_or_null(&x->p[P_FROM]),
	              "to", api_date_or_null(&x->p[P_TO]), "group",
	              g->present ? json_string(g->s) : json_null(),
	              "total_seconds", (json_int_t)total, "zones", zones,
	              "periods", periods));
dbfail:
	json_decref(zones);
	json_decref(periods);
	return api_db_failed(x);
}
