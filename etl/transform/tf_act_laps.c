/* tf_act_laps.c: one activity's laps (recorded, or automatic splits) and detected intervals as rows of cairn_mart.activity_lap */
#include "tf.h"

#include <jansson.h>
#include <math.h>   /* NAN, isnan, isfinite */
#include <stdlib.h> /* malloc, free */
#include <string.h> /* strcmp */

#include "tf_act.h"

/* A number, or null when it is not finite. */
static json_t *
tf_num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* Append one row [kind, idx, source, start, elapsed, moving, distance,
 * avg_power, max_power, np, avg_hr, max_hr, avg_speed, max_speed,
 * avg_cadence, max_cadence, gap, elevation_gain, intensity, basis]
 * (TF_INS_LAPS). 0 or -1. */
static int
tf_lap_row(json_t *arr, const char *kind, size_t idx, const char *source,
           const struct met_span *f)
{
	const char *basis = met_basis_names[f->basis];
	json_t *row = json_pack(
	    "[s, I, s?, I, I, I, o, o, o, o, o, o, o, o, o, o, o, o, o, s?]",
	    kind, (json_int_t)idx, source, (json_int_t)f->start,
	    (json_int_t)f->elapsed, (json_int_t)f->moving, tf_num(f->distance),
	    tf_num(f->avg_power), tf_num(f->max_power), tf_num(f->np),
	    tf_num(f->avg_hr), tf_num(f->max_hr), tf_num(f->avg_speed),
	    tf_num(f->max_speed), tf_num(f->avg_cad), tf_num(f->max_cad),
	    tf_num(f->gap), tf_num(f->elev_gain), tf_num(f->intensity), basis);

	return json_array_append_new(arr, row) == 0 ? 0 : -1;
}

/* The recorded laps on the series' clock (shifted by t0). *out malloc'd;
 * the count, or -1 out of memory. */
static long
tf_laps_recorded(const struct tf_act *a, size_t n, struct met_range **out)
{
	double *st = NULL;
	size_t k;
	long rc = -1;

	*out = NULL;
	if (a->nlaps < 2) /* one lap is the whole activity: no laps */
		return 0;
	st = malloc(a->nlaps * sizeof(double));
	*out = malloc(a->nlaps * sizeof(**out));
	if (st == NULL || *out == NULL)
		goto out;
	for (k = 0; k < a->nlaps; k++)
		st[k] = a->lap_start[k] - (isnan(a->t0) ? 0 : a->t0);
	rc = (long)met_laps_map(st, a->lap_elapsed, a->nlaps, n, *out);
out:
	free(st);
	if (rc <= 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* Automatic splits: per km (mile when imperial) for runs, per 5 km for
 * rides, on the distance channel or, without it, the distance of each
 * second summed. */
static long
tf_laps_splits(const struct tf_act *a, const struct met_series *s,
               const double *inc, struct met_range **out)
{
	int run = strcmp(a->group, "run") == 0;
	double unit, *cum = NULL, acc = 0;
	size_t i;
	long rc = 0;

	*out = NULL;
	if (!run && strcmp(a->group, "ride") != 0)
		goto out; /* other sports: none */
	unit = run ? (a->imperial ? MET_SPLIT_MILE : MET_SPLIT_KM)
	           : MET_SPLIT_RIDE;
	if (s->ch[MET_DIST] != NULL) {
		rc = met_splits(s->ch[MET_DIST], s->n, unit, out);
		goto out;
	}
	if (inc == NULL)
		goto out; /* neither distance nor speed */
	cum = malloc(s->n * sizeof(double));
	if (cum == NULL) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < s->n; i++) {
		acc += isnan(inc[i]) ? 0 : inc[i];
		cum[i] = acc;
	}
	rc = met_splits(cum, s->n, unit, out);
out:
	free(cum);
	return rc;
}

/* The basis intervals are detected on, its series and its threshold. */
static enum met_basis
tf_laps_basis(const struct tf_act *a, const struct met_series *s,
              const double **v, double *thr)
{
	if (strcmp(a->group, "ride") == 0 && s->ch[MET_WATTS] != NULL &&
	    a->ftp > 0) {
		*v = s->ch[MET_WATTS];
		*thr = a->ftp;
		return MET_BASIS_POWER;
	}
	if (strcmp(a->group, "run") == 0 && s->ch[MET_VEL] != NULL &&
	    a->thr_speed > 0) {
		*v = s->ch[MET_VEL];
		*thr = a->thr_speed;
		return MET_BASIS_SPEED;
	}
	if (s->ch[MET_HR] != NULL && a->thr_hr > 0) {
		*v = s->ch[MET_HR];
		*thr = a->thr_hr;
		return MET_BASIS_HR;
	}
	return MET_BASIS_NONE;
}

int
tf_act_laps(const struct tf_act *a, const struct met_series *s,
            const double *inc, const double *adj, struct tf_out *o)
{
	static const double on[4] = {0, MET_IV_ON_POWER, MET_IV_ON_SPEED,
	                             MET_IV_ON_HR};
	struct met_range *r = NULL;
	struct met_span f;
	const char *source = "recorded";
	const double *v = NULL;
	double thr = NAN, avg;
	enum met_basis basis;
	json_t *arr = json_array();
	long m, k;
	int rc = -1;

	if (arr == NULL)
		goto out;
	m = tf_laps_recorded(a, s->n, &r);
	if (m == 0) {
		source = "split";
		m = tf_laps_splits(a, s, inc, &r);
	}
	if (m < 0)
		goto out;
	for (k = 0; k < m; k++) {
		met_span_figures(s, inc, adj, r[k], &f);
		if (tf_lap_row(arr, "lap", (size_t)k, source, &f) != 0)
			goto out;
	}
	free(r);
	r = NULL;
	basis = tf_laps_basis(a, s, &v, &thr);
	m = basis == MET_BASIS_NONE
	        ? 0
	        : met_intervals(v, s->pause, s->n, on[basis] * thr, &r);
	if (m < 0)
		goto out;
	for (k = 0; k < m; k++) {
		met_span_figures(s, inc, adj, r[k], &f);
		avg = basis == MET_BASIS_POWER   ? f.avg_power
		      : basis == MET_BASIS_SPEED ? f.avg_speed
		                                 : f.avg_hr;
		f.intensity = avg / thr;
		f.basis = basis;
		if (tf_lap_row(arr, "interval", (size_t)k, NULL, &f) != 0)
			goto out;
	}
	rc = 0;
	if (json_array_size(arr) > 0) {
		/* 12 significant digits: far below any figure's resolution,
		 * a third less text for the database to parse */
		o->laps =
		    json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(12));
		if (o->laps == NULL)
			rc = -1;
	}
out:
	free(r);
	json_decref(arr);
	return rc;
}
