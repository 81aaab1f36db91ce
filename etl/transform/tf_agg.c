/* tf_agg.c: an athlete's aggregate marts: day/period totals, fitness, Eddington, gear, records, curve bests */
#include "tf.h"

#include <jansson.h>
#include <math.h>   /* floor */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* calloc, free */
#include <string.h> /* strcmp */

#include "db.h"

#define TF_NG (TF_NGROUPS + 1) /* and the pseudo group 'all' */
const char *const tf_groups[TF_NG] = {"ride", "run", "swim", "other", "all"};

struct tf_arow {
	int g;
	long day;
	double dist, mt, elev, load;
};

struct tf_acts {
	struct tf_arow *a;
	size_t n;
};

int
tf_group_index(const char *g)
{
	int i;

	for (i = 0; i < TF_NG - 1; i++)
		if (g != NULL && strcmp(g, tf_groups[i]) == 0)
			return i;
	return 3;
}

static int
tf_acts_read(struct db_conn *db, long long athlete, struct tf_acts *acts)
{
	struct db_param p[1] = {DB_I64(athlete)};
	struct db_res res;
	size_t cap = 0;
	int r;

	acts->a = NULL;
	acts->n = 0;
	if (db_query(db, TF_READ_ACTS, p, 1, &res) != 0)
		return -1;
	while ((r = db_fetch(&res)) == 1) {
		struct tf_arow *x;

		if (acts->n == cap) {
			cap = cap ? cap * 2 : 256;
			x = realloc(acts->a, cap * sizeof(*x));
			if (x == NULL) {
				r = -1;
				break;
			}
			acts->a = x;
		}
		x = &acts->a[acts->n++];
		x->g = tf_group_index(db_str(&res, 1));
		x->day = tf_day(db_str(&res, 2));
		x->dist = db_dbl(&res, 3);
		x->mt = db_dbl(&res, 4);
		x->elev = db_dbl(&res, 5);
		x->load = db_dbl(&res, 6);
	}
	db_res_free(&res);
	return r < 0 ? -1 : 0;
}

int
tf_bulk(struct db_conn *db, int stmt, long long athlete, json_t *arr)
{
	char *txt;
	int rc;

	if (json_array_size(arr) == 0)
		return 0;
	txt = json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(17));
	if (txt == NULL)
		return -1;
	{
		struct db_param p[2] = {DB_I64(athlete), DB_STR(txt)};

		rc = db_exec(db, stmt, p, 2) < 0 ? -1 : 0;
	}
	free(txt);
	return rc;
}

struct tf_sum {
	int c;
	double dist, mt, elev, load, longest;
};

static void
tf_sum_add(struct tf_sum *s, const struct tf_arow *a)
{
	s->c++;
	s->dist += a->dist;
	s->mt += a->mt;
	s->elev += a->elev;
	s->load += a->load;
	if (a->dist > s->longest)
		s->longest = a->dist;
}

/*
 * Totals per key(day) for keys in [k0, k1]: activities are sorted by day,
 * so each key's activities are consecutive. grain NULL: day_total.
 */
static int
tf_totals(struct db_conn *db, long long athlete, const struct tf_acts *acts,
          const char *grain, long (*key)(long), long k0, long k1)
{
	json_t *arr = json_array();
	size_t i = 0;
	int rc = -1, g;
	char a[11], b[11];
	const char *ap = a, *bp = b;

	if (arr == NULL)
		return -1;
	tf_ymd(k0, a);
	tf_ymd(k1, b);
	if (grain == NULL) {
		struct db_param p[3] = {DB_I64(athlete), DB_STR(ap),
		                        DB_STR(bp)};

		if (db_exec(db, TF_DEL_DAY, p, 3) < 0)
			goto out;
	} else {
		struct db_param p[4] = {DB_I64(athlete), DB_STR(grain),
		                        DB_STR(ap), DB_STR(bp)};

		if (db_exec(db, TF_DEL_PERIOD, p, 4) < 0)
			goto out;
	}
	while (i < acts->n) {
		long k = key(acts->a[i].day);
		struct tf_sum s[TF_NG];
		char ymd[11];

		memset(s, 0, sizeof(s));
		for (; i < acts->n && key(acts->a[i].day) == k; i++) {
			tf_sum_add(&s[acts->a[i].g], &acts->a[i]);
			tf_sum_add(&s[TF_NG - 1], &acts->a[i]);
		}
		if (k < k0 || k > k1)
			continue;
		tf_ymd(k, ymd);
		for (g = 0; g < TF_NG; g++) {
			if (s[g].c == 0)
				continue;
			if (grain == NULL)
				json_array_append_new(
				    arr, json_pack("[s, s, i, f, I, f, f]",
				                   tf_groups[g], ymd, s[g].c,
				                   s[g].dist,
				                   (json_int_t)llround(s[g].mt),
				                   s[g].elev, s[g].load));
			else
				json_array_append_new(
				    arr,
				    json_pack(
				        "[s, s, s, i, f, I, f, f, f]", grain,
				        tf_groups[g], ymd, s[g].c, s[g].dist,
				        (json_int_t)llround(s[g].mt), s[g].elev,
				        s[g].load, s[g].longest));
		}
	}
	rc = tf_bulk(db, grain == NULL ? TF_INS_DAY : TF_INS_PERIOD, athlete,
	             arr);
out:
	json_decref(arr);
	return rc;
}

static long
tf_key_day(long d)
{
	return d;
}

/* Fitness from the first activity day to today + 14; rows from `from`. */
static int
tf_fitness(struct db_conn *db, long long athlete, const struct tf_acts *acts,
           long today, long from)
{
	long first, last, nd, d;
	double *buf;
	json_t *arr;
	size_t i;
	int rc = -1;
	char ymd[11];
	const char *yp = ymd;

	tf_ymd(from, ymd);
	{
		struct db_param p[2] = {DB_I64(athlete), DB_STR(yp)};

		if (db_exec(db, TF_DEL_FIT, p, 2) < 0)
			return -1;
	}
	if (acts->n == 0)
		return 0;
	first = acts->a[0].day;
	last = acts->a[acts->n - 1].day;
	if (today > last)
		last = today;
	last += 14;
	nd = last - first + 1;
	buf = calloc((size_t)nd * 5, sizeof(double));
	arr = json_array();
	if (buf == NULL || arr == NULL)
		goto out;
	for (i = 0; i < acts->n; i++)
		buf[acts->a[i].day - first] += acts->a[i].load;
	met_fitness(buf, (size_t)nd, 0, 0, NULL, buf + nd, buf + 2 * nd,
	            buf + 3 * nd, buf + 4 * nd);
	for (d = from > first ? from - first : 0; d < nd; d++) {
		tf_ymd(first + d, ymd);
		json_array_append_new(
		    arr,
		    json_pack("[s, f, f, f, f, f, i]", ymd, buf[d], buf[nd + d],
		              buf[2 * nd + d], buf[3 * nd + d], buf[4 * nd + d],
		              first + d > today ? 1 : 0));
	}
	rc = tf_bulk(db, TF_INS_FIT, athlete, arr);
out:
	free(buf);
	json_decref(arr);
	return rc;
}

static int
tf_eddington(struct db_conn *db, long long athlete, const struct tf_acts *acts)
{
	static const char *const units[2] = {"km", "mi"};
	static const double per[2] = {1000.0, 1609.344};
	struct db_param p[6];
	double *dd = calloc(acts->n + 1, sizeof(double));
	int g, u, rc = -1;

	p[0] = DB_I64(athlete);
	if (dd == NULL || db_exec(db, TF_DEL_EDD, p, 1) < 0)
		goto out;
	for (g = 0; g < 2; g++) {
		for (u = 0; u < 2; u++) {
			size_t i, nd = 0, hmax = 0;
			long last = -1;
			int e, next, *hist;
			char *txt;
			json_t *h;

			for (i = 0; i < acts->n; i++) {
				if (acts->a[i].g != g)
					continue;
				/* activities are sorted by day */
				if (nd == 0 || acts->a[i].day != last) {
					dd[nd++] = 0;
					last = acts->a[i].day;
				}
				dd[nd - 1] += acts->a[i].dist / per[u];
			}
			for (i = 0; i < nd; i++)
				if (floor(dd[i]) > (double)hmax)
					hmax = (size_t)floor(dd[i]);
			hist = calloc(hmax + 1, sizeof(int));
			h = json_array();
			if (hist == NULL || h == NULL) {
				free(hist);
				json_decref(h);
				goto out;
			}
			e = met_eddington(dd, nd, &next, hist, hmax);
			for (i = 0; i < hmax; i++)
				json_array_append_new(h, json_integer(hist[i]));
			txt = json_dumps(h, JSON_COMPACT);
			free(hist);
			json_decref(h);
			if (txt == NULL)
				goto out;
			p[1] = DB_STR(tf_groups[g]);
			p[2] = DB_STR(units[u]);
			p[3] = DB_I64(e);
			p[4] = DB_I64(next);
			p[5] = DB_STR(txt);
			if (db_exec(db, TF_INS_EDD, p, 6) < 0) {
				free(txt);
				goto out;
			}
			free(txt);
		}
	}
	rc = 0;
out:
	free(dd);
	return rc;
}

/* Records, PR events and gear: rebuilt whole by SQL (small). */
static int
tf_rebuild_sql(struct db_conn *db, long long athlete)
{
	static const int one[] = {TF_DEL_GEAR,         TF_INS_GEAR,
	                          TF_INS_GEAR_UNKNOWN, TF_DEL_RECORD,
	                          TF_INS_RECORD_ALL,   TF_INS_RECORD_YEAR,
	                          TF_DEL_PR,           TF_INS_PR};
	struct db_param p[1] = {DB_I64(athlete)};
	size_t i;

	for (i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		if (db_exec(db, one[i], p, 1) < 0)
			return -1;
	return 0;
}

int
tf_aggregate(struct tf_run *r, long long athlete, long d0, long d1,
             long fit_from)
{
	struct tf_acts acts;
	int rc = -1;

	if (tf_acts_read(r->db, athlete, &acts) != 0)
		goto out;
	if (d0 >= 0 && d1 >= d0) {
		if (tf_totals(r->db, athlete, &acts, NULL, tf_key_day, d0,
		              d1) != 0 ||
		    tf_totals(r->db, athlete, &acts, "week", tf_week_start,
		              tf_week_start(d0), tf_week_start(d1)) != 0 ||
		    tf_totals(r->db, athlete, &acts, "month", tf_month_start,
		              tf_month_start(d0), tf_month_start(d1)) != 0 ||
		    tf_totals(r->db, athlete, &acts, "year", tf_year_start,
		              tf_year_start(d0), tf_year_start(d1)) != 0)
			goto out;
	}
	if (r->whole) {
		/* every year that has activities; the old rows are gone */
		struct db_param p[1] = {DB_I64(athlete)};

		if (db_exec(r->db, TF_DEL_BEST, p, 1) < 0)
			goto out;
		d0 = acts.n > 0 ? acts.a[0].day : -1;
		d1 = acts.n > 0 ? acts.a[acts.n - 1].day : -1;
	}
	if (tf_fitness(r->db, athlete, &acts, r->today, fit_from) != 0 ||
	    tf_eddington(r->db, athlete, &acts) != 0 ||
	    tf_rebuild_sql(r->db, athlete) != 0 ||
	    tf_bests(r->db, athlete, d0, d1, r->today) != 0)
		goto out;
	rc = 0;
out:
	free(acts.a);
	return rc;
}
