/* tf_model.c: model_day: the athlete models (CP/W′/Pmax/eFTP of rides, CS/D′/VDOT of runs) of each day's rolling window */
#include "tf.h"

#include <jansson.h>
#include <math.h>   /* isfinite, NAN */
#include <stdlib.h> /* calloc, free, realloc */
#include <string.h> /* memcpy, strcmp */

#include "cgrid.h"
#include "db.h"
#include "met_model.h"

/* Grid durations the models read: 5 s (Pmax) and every grid duration in
 * the fit range (30 of them). */
#define TF_MD_MAX 48
#define TF_MD_PMAX 5
/* Rows per INSERT (a row holds its efforts: about 1.5 kB). */
#define TF_MD_CHUNK 500
/* The JSON of efforts and predictions in a row. */
#define TF_MD_JSON (JSON_COMPACT | JSON_REAL_PRECISION(10))

struct tf_md_grid {
	size_t idx[TF_MD_MAX]; /* index in the packed grid */
	double dur[TF_MD_MAX]; /* s */
	size_t n;
	size_t pmax; /* which entry is 5 s */
};

/* One activity of a sport: its values at the grid durations above. */
struct tf_md_act {
	long day;
	long long id;
	double v[TF_MD_MAX];
};

/* A run's best effort long enough for a VDOT. */
struct tf_md_eff {
	long day;
	long long id;
	double dist, t;
};

struct tf_md_data {
	struct tf_md_act *a;
	size_t na, capa;
	struct tf_md_eff *e;
	size_t ne, cape;
};

/* One day's model, what a row holds. */
struct tf_md_day {
	double cp, wp, pmax, eftp, r2, vdot;
	const char *reason;
	json_t *efforts, *pred;
};

static void
tf_md_grid_init(struct tf_md_grid *g)
{
	size_t i, d;

	g->n = 0;
	g->pmax = 0;
	for (i = 0, d = 1; i < CGRID_MAX && d <= (size_t)MET_FIT_TMAX;
	     i++, d = cgrid_next(d)) {
		if (d != TF_MD_PMAX && (double)d < MET_FIT_TMIN)
			continue;
		if (d == TF_MD_PMAX)
			g->pmax = g->n;
		g->idx[g->n] = i;
		g->dur[g->n] = (double)d;
		if (++g->n == TF_MD_MAX)
			break;
	}
}

static void
tf_md_data_free(struct tf_md_data *m)
{
	free(m->a);
	free(m->e);
	memset(m, 0, sizeof(*m));
}

/* v (n elements of size sz in use, room for *cap) with room for one
 * more: v itself, a larger copy, or NULL (out of memory; v is kept). */
static void *
tf_md_room(void *v, size_t *cap, size_t n, size_t sz)
{
	size_t c = *cap ? *cap * 2 : 256;
	void *x;

	if (n < *cap)
		return v;
	x = realloc(v, c * sz);
	if (x != NULL)
		*cap = c;
	return x;
}

/* Run stmt with the np parameters of p and then days a and z. */
static int
tf_md_query(struct db_conn *db, int stmt, struct db_param *p, unsigned np,
            long a, long z, struct db_res *res)
{
	char da[11], dz[11];
	const char *ap = da, *zp = dz;

	tf_ymd(a, da);
	tf_ymd(z, dz);
	p[np] = DB_STR(ap);
	p[np + 1] = DB_STR(zp);
	return db_query(db, stmt, p, np + 2, res);
}

/* The sport's curves of kind over days [a, z], in date and id order. */
static int
tf_md_read_grids(struct db_conn *db, long long athlete, const char *kind,
                 const char *sport, long a, long z, const struct tf_md_grid *g,
                 struct tf_md_data *m)
{
	struct db_param p[5] = {DB_I64(athlete), DB_STR(kind), DB_STR(sport)};
	struct db_res res;
	int r;

	if (tf_md_query(db, TF_MODEL_GRIDS, p, 3, a, z, &res) != 0)
		return -1;
	while ((r = db_fetch(&res)) == 1) {
		size_t len = 0, j;
		const void *data = db_blob(&res, 2, &len);
		struct tf_md_act *x;

		if (data == NULL)
			continue;
		if ((x = tf_md_room(m->a, &m->capa, m->na, sizeof(*x))) ==
		    NULL) {
			r = -1;
			break;
		}
		m->a = x;
		x = &m->a[m->na++];
		x->id = db_i64(&res, 0);
		x->day = tf_day(db_str(&res, 1));
		for (j = 0; j < g->n; j++)
			x->v[j] = cgrid_value(data, len, g->idx[j]);
	}
	db_res_free(&res);
	return r < 0 ? -1 : 0;
}

static int
tf_md_read_efforts(struct db_conn *db, long long athlete, long a, long z,
                   struct tf_md_data *m)
{
	struct db_param p[3] = {DB_I64(athlete)};
	struct db_res res;
	int r;

	if (tf_md_query(db, TF_MODEL_EFFORTS, p, 1, a, z, &res) != 0)
		return -1;
	while ((r = db_fetch(&res)) == 1) {
		struct tf_md_eff *x;

		if ((x = tf_md_room(m->e, &m->cape, m->ne, sizeof(*x))) ==
		    NULL) {
			r = -1;
			break;
		}
		m->e = x;
		x = &m->e[m->ne++];
		x->id = db_i64(&res, 0);
		x->day = tf_day(db_str(&res, 1));
		x->dist = met_effort_distance(db_i64(&res, 2));
		x->t = db_dbl(&res, 3);
	}
	db_res_free(&res);
	return r < 0 ? -1 : 0;
}

static json_t *
tf_md_num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/*
 * The model of the activities a[i0 .. i1) (one window). The window's
 * mean-max curve: per grid duration the highest value, on a tie the
 * earlier activity (they come in date and id order). Runs add the best
 * VDOT of the efforts e[k0 .. k1). 0 or -1 (out of memory).
 */
static int
tf_md_model(const struct tf_md_grid *g, const struct tf_md_data *m, size_t i0,
            size_t i1, size_t k0, size_t k1, int run, struct tf_md_day *out)
{
	struct met_effort ef[TF_MD_MAX];
	unsigned char used[TF_MD_MAX];
	struct met_fit fit;
	size_t i, j, n = 0;
	double best[TF_MD_MAX];
	long long act[TF_MD_MAX];
	int rc = -1;

	out->cp = out->wp = out->pmax = out->eftp = out->r2 = out->vdot = NAN;
	out->efforts = json_array();
	out->pred = NULL;
	if (out->efforts == NULL)
		goto out;
	for (j = 0; j < g->n; j++) {
		best[j] = NAN;
		act[j] = 0;
	}
	for (i = i0; i < i1; i++)
		for (j = 0; j < g->n; j++)
			if (isfinite(m->a[i].v[j]) &&
			    (!isfinite(best[j]) || m->a[i].v[j] > best[j])) {
				best[j] = m->a[i].v[j];
				act[j] = m->a[i].id;
			}
	for (j = 0; j < g->n; j++)
		if (j != g->pmax && isfinite(best[j])) {
			ef[n].t = g->dur[j];
			ef[n].v = best[j];
			ef[n].act = act[j];
			n++;
		}
	met_cp_fit(ef, n, used, &fit);
	for (j = 0; j < n; j++)
		if (used[j] &&
		    json_array_append_new(
		        out->efforts,
		        json_pack("{s:I,s:f,s:I}", "duration",
		                  (json_int_t)ef[j].t, "value", ef[j].v,
		                  "activity_id", (json_int_t)ef[j].act)) != 0)
			goto out;
	out->reason = fit.reason;
	if (fit.reason == NULL) {
		out->cp = fit.cp;
		out->wp = fit.wp;
		out->r2 = fit.r2;
	}
	if (!run) {
		if (fit.reason == NULL) {
			out->pmax = best[g->pmax];
			out->eftp = met_eftp(fit.cp, fit.wp);
		}
	} else if (fit.reason == NULL) {
		rc = 0;
		if (k1 > k0) {
			double *d = calloc(2 * (k1 - k0), sizeof(double));
			struct met_pred p[MET_NPRED];
			size_t w;

			if (d == NULL)
				goto out;
			for (i = k0; i < k1; i++) {
				d[i - k0] = m->e[i].dist;
				d[k1 - k0 + i - k0] = m->e[i].t;
			}
			out->vdot =
			    met_vdot_best(d, d + (k1 - k0), k1 - k0, &w);
			if (w < k1 - k0)
				met_predict(out->vdot, d[w], d[k1 - k0 + w], p);
			free(d);
			if (w < k1 - k0) {
				out->pred = json_array();
				for (i = 0; i < MET_NPRED && out->pred != NULL;
				     i++)
					if (json_array_append_new(
					        out->pred,
					        json_pack(
					            "{s:f,s:o,s:o}", "distance",
					            p[i].dist, "time",
					            tf_md_num(p[i].time),
					            "riegel_time",
					            tf_md_num(p[i].riegel))) !=
					    0)
						rc = -1;
				if (out->pred == NULL)
					rc = -1;
			}
		}
		if (!isfinite(out->vdot)) {
			/* no standard-distance effort of >= 1500 m: no model */
			out->cp = out->wp = out->r2 = out->vdot = NAN;
			out->reason = MET_R_NONE;
		}
		goto out;
	}
	rc = 0;
out:
	return rc;
}

/* The row [sport, day, window, cp, w_prime, pmax, eftp, r2, cs, d_prime,
 * vdot, reason, efforts, predictions] of a day's model. */
static json_t *
tf_md_row(const char *sport, long day, long window, int run,
          const struct tf_md_day *x)
{
	char ymd[11];
	/* 10 digits: the API shows W to 0.1, m/s to 0.001, seconds to 0.1 */
	char *eff = json_dumps(x->efforts, TF_MD_JSON);
	char *pred = x->pred != NULL && x->reason == NULL
	                 ? json_dumps(x->pred, TF_MD_JSON)
	                 : NULL;
	json_t *row = NULL;

	tf_ymd(day, ymd);
	if (eff != NULL)
		row = json_pack(
		    "[s,s,I,o,o,o,o,o,o,o,o,o,s,o]", sport, ymd,
		    (json_int_t)window, tf_md_num(run ? NAN : x->cp),
		    tf_md_num(run ? NAN : x->wp), tf_md_num(x->pmax),
		    tf_md_num(x->eftp), tf_md_num(x->r2),
		    tf_md_num(run ? x->cp : NAN), tf_md_num(run ? x->wp : NAN),
		    tf_md_num(x->vdot),
		    x->reason != NULL ? json_string(x->reason) : json_null(),
		    eff, pred != NULL ? json_string(pred) : json_null());
	free(eff);
	free(pred);
	return row;
}

/* Insert rows and empty the array when it holds `at` rows or more. */
static int
tf_md_flush(struct db_conn *db, long long athlete, json_t *rows, size_t at)
{
	if (json_array_size(rows) < at || json_array_size(rows) == 0)
		return 0;
	if (tf_bulk(db, TF_MODEL_INS, athlete, rows) != 0)
		return -1;
	return json_array_clear(rows) == 0 ? 0 : -1;
}

/*
 * Rewrite the sport's rows of days [lo, hi]: one read of the curves (and
 * run efforts) of [lo - window + 1, hi], then a pass over the days with
 * the window's bounds moving forward; a day whose window holds the same
 * activities as the day before reuses that day's model.
 */
static int
tf_md_range(struct db_conn *db, long long athlete, int run, long window,
            long lo, long hi)
{
	const char *sport = run ? "run" : "ride";
	struct tf_md_grid g;
	struct tf_md_data m;
	struct tf_md_day x = {0};
	struct db_param p[4];
	char da[11], dz[11];
	const char *ap = da, *zp = dz;
	json_t *rows = json_array();
	size_t i0 = 0, i1 = 0, k0 = 0, k1 = 0, pi0 = 1, pi1 = 0, pk0 = 1,
	       pk1 = 0;
	long d;
	int rc = -1, have = 0;

	memset(&m, 0, sizeof(m));
	tf_md_grid_init(&g);
	if (rows == NULL)
		goto out;
	tf_ymd(lo, da);
	tf_ymd(hi, dz);
	p[0] = DB_I64(athlete);
	p[1] = DB_STR(sport);
	p[2] = DB_STR(ap);
	p[3] = DB_STR(zp);
	if (db_exec(db, TF_MODEL_DEL, p, 4) < 0 ||
	    tf_md_read_grids(db, athlete, run ? "speed" : "power", sport,
	                     lo - window + 1, hi, &g, &m) != 0 ||
	    (run &&
	     tf_md_read_efforts(db, athlete, lo - window + 1, hi, &m) != 0))
		goto out;
	for (d = lo; d <= hi; d++) {
		json_t *row;

		while (i1 < m.na && m.a[i1].day <= d)
			i1++;
		while (i0 < i1 && m.a[i0].day <= d - window)
			i0++;
		while (k1 < m.ne && m.e[k1].day <= d)
			k1++;
		while (k0 < k1 && m.e[k0].day <= d - window)
			k0++;
		if (!have || i0 != pi0 || i1 != pi1 || k0 != pk0 || k1 != pk1) {
			json_decref(x.efforts);
			json_decref(x.pred);
			if (tf_md_model(&g, &m, i0, i1, k0, k1, run, &x) != 0)
				goto out;
			have = 1;
			pi0 = i0;
			pi1 = i1;
			pk0 = k0;
			pk1 = k1;
		}
		row = tf_md_row(sport, d, window, run, &x);
		if (json_array_append_new(rows, row) != 0 ||
		    tf_md_flush(db, athlete, rows, TF_MD_CHUNK) != 0)
			goto out;
	}
	rc = tf_md_flush(db, athlete, rows, 1);
out:
	json_decref(x.efforts);
	json_decref(x.pred);
	json_decref(rows);
	tf_md_data_free(&m);
	return rc;
}

int
tf_models(struct tf_run *r, long long athlete, long d0, long d1,
          long prev_today, int all)
{
	long first[2] = {-1, -1};
	struct db_param p[4];
	struct db_res res;
	int s, f, rc = -1;

	p[0] = DB_I64(athlete);
	if (db_query(r->db, TF_MODEL_FIRST, p, 1, &res) != 0)
		goto out;
	while ((f = db_fetch(&res)) == 1) {
		const char *g = db_str(&res, 0);

		if (g != NULL)
			first[strcmp(g, "run") == 0] = tf_day(db_str(&res, 1));
	}
	db_res_free(&res);
	if (f < 0)
		goto out;
	for (s = 0; s < 2; s++) {
		const char *sport = s ? "run" : "ride";
		char a[11], z[11];
		const char *ap = a, *zp = z;
		long lo1 = -1, hi1 = -1, lo2 = -1;

		/* rows before the first activity or after today go */
		tf_ymd(first[s] >= 0 ? first[s] : tf_day("9999-12-31"), a);
		tf_ymd(r->today, z);
		p[0] = DB_I64(athlete);
		p[1] = DB_STR(sport);
		p[2] = DB_STR(ap);
		p[3] = DB_STR(zp);
		if (db_exec(r->db, TF_MODEL_DEL_OUT, p, 4) < 0)
			goto out;
		if (first[s] < 0 || first[s] > r->today)
			continue;
		/* the days whose window holds a changed day, and the days
		 * since the last run's today */
		if (all || prev_today < 0) {
			lo1 = first[s];
			hi1 = r->today;
		} else if (d0 >= 0 && d1 >= d0) {
			lo1 = d0 < first[s] ? first[s] : d0;
			hi1 = d1 > r->today - r->model_days + 1
			          ? r->today
			          : d1 + r->model_days - 1;
		}
		if (!all && prev_today >= 0 && prev_today < r->today)
			lo2 = prev_today + 1 < first[s] ? first[s]
			                                : prev_today + 1;
		if (lo1 >= 0 && lo2 >= 0 && lo2 <= hi1 + 1) {
			hi1 = r->today; /* the two ranges touch: one */
			lo2 = -1;
		}
		if (lo1 >= 0 && lo1 <= hi1 &&
		    tf_md_range(r->db, athlete, s, r->model_days, lo1, hi1) !=
		        0)
			goto out;
		if (lo2 >= 0 && lo2 <= r->today &&
		    tf_md_range(r->db, athlete, s, r->model_days, lo2,
		                r->today) != 0)
			goto out;
	}
	rc = 0;
out:
	return rc;
}
