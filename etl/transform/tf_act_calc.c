/* tf_act_calc.c: one activity computed off the database: metrics, packed streams, zones, curves, efforts, route */
#include "tf.h"

#include <jansson.h>
#include <math.h>   /* NAN, isnan, round, pow */
#include <stdint.h> /* uint32_t */
#include <stdlib.h> /* malloc, free */
#include <string.h> /* memcpy, strcmp */

#include "cgrid.h"
#include "dp.h"
#include "log.h"
#include "poly.h"
#include "spk.h"
#include "tf_act.h"

/* Route tolerance: about one screen pixel at zoom 14 (9.5 m at the equator). */
#define TF_ROUTE_TOL_M 10.0

void
tf_act_metrics(struct tf_act *a, const struct met_series *s)
{
	const double *w, *hr, *vel, *cad;
	size_t n, i, cnt = 0;
	double hour, sum = 0;

	a->np = a->ifac = a->vi = a->tss = a->max_power = NAN;
	a->load_hr = a->load_pace = a->trimp = a->decoupling = NAN;
	a->load = a->avg_cad = a->gap = NAN;
	a->load_kind = NULL;
	if (s != NULL) {
		n = s->n;
		w = s->ch[MET_WATTS];
		hr = s->ch[MET_HR];
		vel = s->ch[MET_VEL];
		cad = s->ch[MET_CAD];
		a->spikes = s->spikes;
		if (hr != NULL && !isnan(met_mean(hr, s->pause, n))) {
			a->avg_hr = met_mean(hr, s->pause, n);
			a->max_hr = met_max(hr, n);
		}
		if (w != NULL) {
			a->avg_power = met_mean(w, s->pause, n);
			a->max_power = met_max(w, n);
			a->np = met_np(w, s->pause, n);
			a->ifac = a->ftp > 0 ? a->np / a->ftp : NAN;
			a->tss =
			    met_tss(a->np, a->ftp,
			            (double)met_active_seconds(s->pause, n));
			a->vi = a->avg_power > 0 ? a->np / a->avg_power : NAN;
			if (isnan(a->kj)) {
				for (i = 0; i < n; i++)
					sum += isnan(w[i]) ? 0 : w[i];
				a->kj = sum / 1000.0;
			}
		}
		a->trimp = met_trimp(hr, s->pause, n, a->rest_hr, a->max_hr_set,
		                     a->female);
		hour = met_trimp_hour(a->thr_hr, a->rest_hr, a->max_hr_set,
		                      a->female);
		if (!isnan(a->trimp) && !isnan(hour) && hour > 0)
			a->load_hr = 100.0 * a->trimp / hour;
		if (strcmp(a->group, "run") == 0) {
			a->load_pace = met_pace_load(
			    vel, s->ch[MET_GRADE], s->moving, n, a->thr_speed);
			if (w == NULL)
				a->decoupling =
				    met_decoupling(vel, hr, s->moving, n);
		}
		if (w != NULL && (isnan(a->vi) || a->vi <= 1.10))
			a->decoupling = met_decoupling(w, hr, s->moving, n);
		if (cad != NULL) {
			sum = 0;
			for (i = 0; i < n; i++)
				if (s->ch[MET_MOVING][i] != 0 && cad[i] > 0) {
					sum += cad[i];
					cnt++;
				}
			a->avg_cad = cnt > 0 ? sum / (double)cnt : NAN;
		}
		if (isnan(a->moving))
			a->moving = (double)met_moving_time(s);
		if (isnan(a->elapsed))
			a->elapsed = (double)n;
		if (isnan(a->distance) && s->ch[MET_DIST] != NULL)
			a->distance = s->ch[MET_DIST][n - 1];
	}
	if (!isnan(a->tss)) {
		a->load = a->tss;
		a->load_kind = "power";
	} else if (!isnan(a->load_pace)) {
		a->load = a->load_pace;
		a->load_kind = "pace";
	} else if (!isnan(a->load_hr)) {
		a->load = a->load_hr;
		a->load_kind = "hr";
	}
}

void
tf_out_free(struct tf_out *o)
{
	int k;

	if (o == NULL)
		return;
	free(o->stream);
	free(o->zones);
	for (k = 0; k < TF_NCURVE; k++) {
		free(o->curve[k].packed);
		free(o->curve[k].grid);
	}
	free(o->efforts);
	free(o->route);
	free(o->laps);
	memset(o, 0, sizeof(*o));
}

/* Add one double channel as float32; NULL adds nothing. 0 or -1. */
static int
tf_pack_ch(struct spk *pk, const char *name, const double *v, size_t n,
           float *f)
{
	size_t i;

	if (v == NULL)
		return 0;
	for (i = 0; i < n; i++)
		f[i] = (float)v[i];
	return spk_add(pk, name, f);
}

/* Per-second series derived from the cleaned ones, for the marts (NULL:
 * not computed). */
struct tf_derived {
	double *inc; /* distance covered in each second (m): the speed curve */
	double *adj; /* inc adjusted for grade (runs): the GAP curve */
	double *gap; /* grade-adjusted speed (m/s, runs): the `gap` stream */
};

static void
tf_derived_free(struct tf_derived *d)
{
	if (d == NULL)
		return;
	free(d->inc);
	free(d->adj);
	free(d->gap);
	memset(d, 0, sizeof(*d));
}

/* The distance of each second and, for runs, the GAP stream, the GAP
 * curve's input and a->gap (docs/METRICS.md, "Grade-adjusted pace").
 * Nothing without distance and speed. 0, or -1 when out of memory. */
static int
tf_build_derived(struct tf_act *a, const struct met_series *s,
                 struct tf_derived *d)
{
	const double *dist = s->ch[MET_DIST], *vel = s->ch[MET_VEL];
	const double *grade = s->ch[MET_GRADE];
	int run = strcmp(a->group, "run") == 0, rc = -1;
	size_t n = s->n;

	memset(d, 0, sizeof(*d));
	if (dist == NULL && vel == NULL)
		return 0;
	d->inc = malloc(n * sizeof(double));
	if (d->inc == NULL)
		goto out;
	if (run) {
		d->adj = malloc(n * sizeof(double));
		if (d->adj == NULL)
			goto out;
	}
	met_gap_inc(dist, vel, grade, n, d->inc, d->adj);
	if (run) {
		if (vel != NULL) {
			d->gap = malloc(n * sizeof(double));
			if (d->gap == NULL)
				goto out;
			met_gap_stream(vel, grade, n, d->gap);
		}
		a->gap =
		    met_gap_avg(d->inc, d->adj, s->moving, n, a->avg_speed);
	}
	rc = 0;
out:
	if (rc != 0)
		tf_derived_free(d);
	return rc;
}

/* The cleaned channels, the GAP stream (gap) and the power models' streams
 * (pw) as one packed float32 blob (lib/spk.h); NULL channels are left out. */
static int
tf_build_stream(const struct met_series *s, const double *gap,
                const struct tf_pw *pw, struct tf_out *o)
{
	struct spk pk;
	float *f = malloc(s->n * sizeof(float));
	int c, rc = -1;

	spk_init(&pk, (uint32_t)s->n);
	if (f == NULL)
		goto out;
	for (c = 0; c < MET_NCH; c++)
		if (tf_pack_ch(&pk, met_ch_names[c], s->ch[c], s->n, f) != 0)
			goto out;
	if (tf_pack_ch(&pk, "gap", gap, s->n, f) != 0 ||
	    tf_pack_ch(&pk, "wbal", pw->wbal, s->n, f) != 0 ||
	    tf_pack_ch(&pk, "est_watts", pw->est, s->n, f) != 0)
		goto out;
	if (spk_pack_z(&pk, &o->stream, &o->stream_len) != 0)
		goto out;
	o->n = s->n;
	rc = 0;
out:
	free(f);
	spk_free(&pk);
	return rc;
}

/* Append the zones of one kind to arr. */
static void
tf_zone_json(json_t *arr, const char *kind, const double *v,
             const unsigned char *mask, size_t n, const double *lo, size_t nz)
{
	int secs[8];
	size_t z;

	met_zones(v, mask, n, lo, nz, secs);
	for (z = 0; z < nz; z++)
		json_array_append_new(
		    arr,
		    json_pack("[s, i, i, f, o]", kind, (int)z + 1, secs[z],
		              lo[z],
		              z + 1 < nz ? json_real(lo[z + 1]) : json_null()));
}

/* Time in power, HR and pace zones as JSON (none: o->zones stays NULL). */
static int
tf_build_zones(const struct tf_act *a, const struct met_series *s,
               const struct tf_settings *set, struct tf_out *o)
{
	static const double pw[7] = {0, .55, .75, .90, 1.05, 1.20, 1.50};
	static const double hrp[5] = {0, .65, .81, .89, .97};
	static const double pc[6] = {0, .775, .877, .943, 1.01, 1.11};
	double lo[8];
	size_t n = s->n, i;
	unsigned char *act = malloc(n);
	json_t *arr = json_array();
	int rc = -1;

	if (act == NULL || arr == NULL)
		goto out;
	for (i = 0; i < n; i++)
		act[i] = !s->pause[i];
	if (s->ch[MET_WATTS] != NULL && a->ftp > 0) {
		for (i = 0; i < 7; i++)
			lo[i] = pw[i] * a->ftp;
		tf_zone_json(arr, "power", s->ch[MET_WATTS], act, n, lo, 7);
	}
	if (s->ch[MET_HR] != NULL && set->nhr > 0)
		tf_zone_json(arr, "hr", s->ch[MET_HR], act, n, set->hr_lo,
		             set->nhr);
	else if (s->ch[MET_HR] != NULL && a->max_hr_set > 0) {
		for (i = 0; i < 5; i++)
			lo[i] = hrp[i] * a->max_hr_set;
		tf_zone_json(arr, "hr", s->ch[MET_HR], act, n, lo, 5);
	}
	if (strcmp(a->group, "run") == 0 && s->ch[MET_VEL] != NULL &&
	    a->thr_speed > 0) {
		for (i = 0; i < 6; i++)
			lo[i] = pc[i] * a->thr_speed;
		tf_zone_json(arr, "pace", s->ch[MET_VEL], s->moving, n, lo, 6);
	}
	rc = 0;
	if (json_array_size(arr) > 0) {
		o->zones =
		    json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(17));
		if (o->zones == NULL)
			rc = -1;
	}
out:
	free(act);
	json_decref(arr);
	return rc;
}

const char *const tf_curve_kinds[TF_NCURVE] = {"power", "hr", "speed", "gap"};

/* Exact mean-max curves of power, HR, speed (the distance of each second:
 * the best average speed) and, for runs, grade-adjusted speed, packed
 * float32 little endian, and their values on the period-curve grid
 * (lib/cgrid.h). */
static int
tf_build_curves(const struct met_series *s, const struct tf_derived *dv,
                struct tf_out *o)
{
	const double *const src[TF_NCURVE] = {s->ch[MET_WATTS], s->ch[MET_HR],
	                                      dv->inc, dv->adj};
	size_t n = s->n, i;
	double *mm = malloc(n * sizeof(double));
	int k, rc = -1;

	if (mm == NULL)
		goto out;
	for (k = 0; k < TF_NCURVE; k++) {
		const double *v = src[k];
		unsigned char *packed;

		if (v == NULL || met_meanmax(v, n, mm) != 0)
			continue;
		packed = malloc(n * 4);
		if (packed == NULL)
			goto out;
		for (i = 0; i < n; i++) {
			float f = (float)mm[i];
			uint32_t u;

			memcpy(&u, &f, 4);
			packed[4 * i] = (unsigned char)u;
			packed[4 * i + 1] = (unsigned char)(u >> 8);
			packed[4 * i + 2] = (unsigned char)(u >> 16);
			packed[4 * i + 3] = (unsigned char)(u >> 24);
		}
		o->curve[k].kind = tf_curve_kinds[k];
		o->curve[k].n = n;
		o->curve[k].packed = packed;
		if (cgrid_pack(mm, n, &o->curve[k].grid, &o->curve[k].ngrid) !=
		    0)
			goto out;
	}
	rc = 0;
out:
	free(mm);
	return rc;
}

/* Best efforts over the sport's distances as JSON (none: NULL). */
static int
tf_build_efforts(const struct tf_act *a, const struct met_series *s,
                 struct tf_out *o)
{
	const double *dl;
	size_t nd, i;
	json_t *arr;
	int rc = 0;

	if (s->ch[MET_DIST] == NULL)
		return 0;
	if (strcmp(a->group, "run") == 0) {
		dl = met_run_efforts;
		nd = MET_NRUN_EFFORTS;
	} else if (strcmp(a->group, "ride") == 0) {
		dl = met_ride_efforts;
		nd = MET_NRIDE_EFFORTS;
	} else
		return 0;
	arr = json_array();
	if (arr == NULL)
		return -1;
	for (i = 0; i < nd; i++) {
		double el, st;

		if (met_best_effort(s->ch[MET_DIST], s->n, dl[i], &el, &st) !=
		    0)
			break;
		json_array_append_new(arr,
		                      json_pack("[i, f, i]", (int)floor(dl[i]),
		                                el, (int)floor(st)));
	}
	if (json_array_size(arr) > 0) {
		o->efforts =
		    json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(17));
		if (o->efforts == NULL)
			rc = -1;
	}
	json_decref(arr);
	return rc;
}

/* The route simplified for the heatmap, as an encoded polyline. */
static int
tf_build_route(const struct met_series *s, struct tf_out *o)
{
	const double *la = s->ch[MET_LAT], *lo = s->ch[MET_LNG];
	double *x = NULL, *y = NULL;
	unsigned char *keep = NULL;
	size_t i, m = 0, k = 0;
	int rc = -1;

	if (la == NULL || lo == NULL)
		return 0;
	x = malloc(s->n * sizeof(double));
	y = malloc(s->n * sizeof(double));
	keep = malloc(s->n);
	if (x == NULL || y == NULL || keep == NULL)
		goto out;
	for (i = 0; i < s->n; i++)
		if (!isnan(la[i]) && !isnan(lo[i])) {
			x[m] = la[i];
			y[m] = lo[i];
			m++;
		}
	rc = 0;
	if (m < 2)
		goto out;
	dp_simplify(x, y, m, TF_ROUTE_TOL_M, keep);
	for (i = 0; i < m; i++)
		if (keep[i]) {
			x[k] = x[i];
			y[k] = y[i];
			k++;
		}
	o->route = poly_encode(x, y, k);
	if (o->route == NULL)
		rc = -1;
out:
	free(x);
	free(y);
	free(keep);
	return rc;
}

/* Streams into a cleaned series. 1 a series, 0 none (a warning said why). */
static int
tf_build_series(struct tf_act *a, const char *blob, size_t len,
                struct met_series *s)
{
	struct met_raw raw;
	char err[256];
	size_t i;
	int rc = 0;

	memset(&raw, 0, sizeof(raw));
	a->t0 = NAN;
	if (tf_stream_parse(blob, len, &raw, err, sizeof(err)) != 0)
		log_warn("activity %lld: %s; metrics left empty", a->id, err);
	else if (raw.n > 0 && met_clean(&raw, s) == 0 && s->n > 1)
		rc = 1;
	/* the series' second 0: the first sample with a time (met_clean) */
	for (i = 0; rc == 1 && i < raw.n && isnan(a->t0); i++)
		a->t0 = raw.ch[MET_TIME][i];
	met_raw_free(&raw);
	if (rc != 1)
		met_series_free(s);
	return rc;
}

int
tf_act_build(struct tf_act *a, const char *blob, size_t len,
             const struct tf_settings *set, struct tf_out *o)
{
	struct met_series s;
	struct tf_pw pw;
	struct tf_derived dv;
	int rc = -1, have = 0;

	memset(&s, 0, sizeof(s));
	memset(&pw, 0, sizeof(pw));
	memset(&dv, 0, sizeof(dv));
	memset(o, 0, sizeof(*o));
	if (blob != NULL)
		have = tf_build_series(a, blob, len, &s);
	if (tf_act_power_pre(a, have ? &s : NULL, &pw) != 0)
		goto out;
	tf_act_metrics(a, have ? &s : NULL);
	if (tf_act_power_post(a, have ? &s : NULL, &pw) != 0)
		goto out;
	if (have &&
	    (tf_build_derived(a, &s, &dv) != 0 ||
	     tf_build_stream(&s, dv.gap, &pw, o) != 0 ||
	     tf_build_zones(a, &s, set, o) != 0 ||
	     tf_build_curves(&s, &dv, o) != 0 ||
	     tf_build_efforts(a, &s, o) != 0 || tf_build_route(&s, o) != 0 ||
	     tf_act_laps(a, &s, dv.inc, dv.adj, o) != 0))
		goto out;
	rc = 0;
out:
	if (rc != 0)
		tf_out_free(o);
	tf_pw_free(&pw);
	tf_derived_free(&dv);
	met_series_free(&s);
	return rc;
}
