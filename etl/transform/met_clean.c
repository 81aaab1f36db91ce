/* met_clean.c: bring recorded streams to 1 Hz: gaps, pauses, spikes, moving */
#include "met.h"

#include <math.h>   /* NAN, isfinite, round */
#include <stdlib.h> /* calloc, free */

const char *const met_ch_names[MET_NCH] = {
    "time",      "distance", "lat",   "lng",  "altitude", "velocity_smooth",
    "heartrate", "cadence",  "watts", "temp", "moving",   "grade_smooth"};

void
met_raw_free(struct met_raw *r)
{
	int c;

	if (r == NULL)
		return;
	for (c = 0; c < MET_NCH; c++) {
		free(r->ch[c]);
		r->ch[c] = NULL;
	}
	r->n = 0;
}

void
met_series_free(struct met_series *s)
{
	int c;

	if (s == NULL)
		return;
	for (c = 0; c < MET_NCH; c++) {
		free(s->ch[c]);
		s->ch[c] = NULL;
	}
	free(s->pause);
	s->pause = NULL;
	free(s->moving);
	s->moving = NULL;
	s->n = 0;
}

/* Is raw sample value v of channel c usable? *spike set when implausible. */
static int
met_usable(int c, double v, int *spike)
{
	*spike = 0;
	if (!isfinite(v))
		return 0;
	switch (c) {
	case MET_WATTS:
		if (v < 0 || v > MET_MAX_WATTS) {
			*spike = 1;
			return 0;
		}
		return 1;
	case MET_HR:
		if (v > MET_MAX_HR) {
			*spike = 1;
			return 0;
		}
		return v >= MET_MIN_HR;
	case MET_VEL:
		if (v < 0 || v > MET_MAX_SPEED) {
			*spike = 1;
			return 0;
		}
		return 1;
	case MET_LAT:
		return v >= -90 && v <= 90 && v != 0;
	case MET_LNG:
		return v >= -180 && v <= 180 && v != 0;
	default:
		return 1;
	}
}

/*
 * Resample one channel onto the grid. t holds the kept sample times
 * (relative, increasing), idx their indices into the raw channel.
 */
static void
met_resample(int c, const double *rawv, const double *t, const size_t *idx,
             size_t m, const unsigned char *pause, size_t n, double *out,
             int *spikes)
{
	size_t s, k = 0;
	long p = -1, q = -1; /* previous / next usable kept sample */
	int spike;

	/* Find the first usable sample. */
	for (k = 0; k < m; k++) {
		if (met_usable(c, rawv[idx[k]], &spike))
			break;
		*spikes += spike;
	}
	q = k < m ? (long)k : -1;
	for (s = 0; s < n; s++) {
		double ts = (double)s, v = NAN;

		/* Advance so that t[p] <= ts < t[q]. */
		while (q >= 0 && t[q] <= ts) {
			p = q;
			for (k = (size_t)q + 1; k < m; k++) {
				if (met_usable(c, rawv[idx[k]], &spike))
					break;
				*spikes += spike;
			}
			q = k < m ? (long)k : -1;
		}
		if (p >= 0 && t[p] == ts)
			v = rawv[idx[p]];
		else if (p >= 0 && q >= 0) {
			double a = rawv[idx[p]], b = rawv[idx[q]];
			double f = (ts - t[p]) / (t[q] - t[p]);
			int lin = (t[q] - t[p]) <= MET_GAP_INTERP;

			if (c == MET_DIST || c == MET_ALT)
				lin = 1; /* position is continuous */
			if (lin)
				v = a + (b - a) * f;
			else if (c == MET_MOVING)
				v = 0;
		}
		if (pause[s] &&
		    (c == MET_WATTS || c == MET_CAD || c == MET_VEL))
			v = 0;
		if (c == MET_MOVING && p >= 0 && isnan(v) && !pause[s])
			v = rawv[idx[p]]; /* a flag holds until the next sample
			                   */
		out[s] = v;
	}
}

/* Derive speed from the distance stream (central difference). */
static void
met_speed_from_dist(const double *d, const unsigned char *pause, size_t n,
                    double *v)
{
	size_t s;

	for (s = 0; s < n; s++) {
		size_t a = s > 0 ? s - 1 : 0, b = s + 1 < n ? s + 1 : s;

		if (pause[s])
			v[s] = 0;
		else if (b > a && !isnan(d[a]) && !isnan(d[b]))
			v[s] = (d[b] - d[a]) / (double)(b - a);
		else
			v[s] = NAN;
	}
}

/* Grade from altitude over distance, +-10 s around each second (decimal). */
static void
met_grade_from_alt(const double *alt, const double *d, size_t n, double *g)
{
	size_t s;

	for (s = 0; s < n; s++) {
		size_t a = s >= 10 ? s - 10 : 0,
		       b = s + 10 < n ? s + 10 : n - 1;
		double dd = d[b] - d[a];

		if (!isnan(dd) && dd >= 5 && !isnan(alt[a]) && !isnan(alt[b]))
			g[s] = 100.0 * (alt[b] - alt[a]) / dd;
		else
			g[s] = isnan(dd) ? NAN : 0;
	}
}

int
met_clean(const struct met_raw *raw, struct met_series *out)
{
	double *t = NULL, t0, last;
	size_t *idx = NULL, m = 0, k, n, s, seg = 0;
	int c, rc = -1;
	const double *rt = raw->ch[MET_TIME];

	out->n = 0;
	out->spikes = 0;
	out->pause = NULL;
	out->moving = NULL;
	for (c = 0; c < MET_NCH; c++)
		out->ch[c] = NULL;
	if (rt == NULL || raw->n == 0)
		goto out;
	t = malloc(raw->n * sizeof(*t));
	idx = malloc(raw->n * sizeof(*idx));
	if (t == NULL || idx == NULL)
		goto out;
	/* Keep samples whose time is finite and strictly increasing. */
	t0 = NAN;
	last = -INFINITY;
	for (k = 0; k < raw->n; k++) {
		if (!isfinite(rt[k]) || rt[k] <= last)
			continue;
		if (isnan(t0))
			t0 = rt[k];
		if (rt[k] - t0 > MET_MAX_SECONDS)
			break;
		last = rt[k];
		t[m] = round(rt[k] - t0);
		if (m > 0 && t[m] <= t[m - 1])
			continue; /* two samples in the same second */
		idx[m++] = k;
	}
	if (m == 0)
		goto out;
	n = (size_t)t[m - 1] + 1;
	out->n = n;
	out->pause = calloc(n, 1);
	if (out->pause == NULL)
		goto out;
	/* A grid second strictly inside a gap longer than the threshold. */
	for (s = 0; s < n; s++) {
		while (seg + 1 < m && t[seg + 1] <= (double)s)
			seg++;
		if (seg + 1 < m && t[seg] < (double)s &&
		    t[seg + 1] - t[seg] > MET_GAP_INTERP)
			out->pause[s] = 1;
	}
	for (c = 0; c < MET_NCH; c++) {
		if (raw->ch[c] == NULL)
			continue;
		out->ch[c] = malloc(n * sizeof(double));
		if (out->ch[c] == NULL)
			goto out;
		if (c == MET_TIME) {
			for (s = 0; s < n; s++)
				out->ch[c][s] = (double)s;
			continue;
		}
		met_resample(c, raw->ch[c], t, idx, m, out->pause, n,
		             out->ch[c], &out->spikes);
	}
	if (out->ch[MET_DIST] != NULL) {
		/* Distance never goes back; before the first and after the
		 * last sample it holds. */
		double mx = -INFINITY, first = NAN;

		for (s = 0; s < n && isnan(first); s++)
			first = out->ch[MET_DIST][s];
		for (s = 0; s < n && isnan(out->ch[MET_DIST][s]); s++)
			out->ch[MET_DIST][s] = first;

		for (s = 0; s < n; s++) {
			if (isnan(out->ch[MET_DIST][s]) && mx > -INFINITY)
				out->ch[MET_DIST][s] = mx;
			if (isnan(out->ch[MET_DIST][s]))
				continue;
			if (out->ch[MET_DIST][s] < mx)
				out->ch[MET_DIST][s] = mx;
			mx = out->ch[MET_DIST][s];
		}
	}
	if (out->ch[MET_VEL] == NULL && out->ch[MET_DIST] != NULL) {
		out->ch[MET_VEL] = malloc(n * sizeof(double));
		if (out->ch[MET_VEL] == NULL)
			goto out;
		met_speed_from_dist(out->ch[MET_DIST], out->pause, n,
		                    out->ch[MET_VEL]);
	}
	if (out->ch[MET_GRADE] == NULL && out->ch[MET_ALT] != NULL &&
	    out->ch[MET_DIST] != NULL) {
		out->ch[MET_GRADE] = malloc(n * sizeof(double));
		if (out->ch[MET_GRADE] == NULL)
			goto out;
		met_grade_from_alt(out->ch[MET_ALT], out->ch[MET_DIST], n,
		                   out->ch[MET_GRADE]);
	}
	/* Moving: not paused, and the recorder's flag, else speed, else
	 * pedalling, else every second. */
	if (out->ch[MET_MOVING] == NULL) {
		const double *v = out->ch[MET_VEL], *w = out->ch[MET_WATTS],
		             *cd = out->ch[MET_CAD];

		out->ch[MET_MOVING] = malloc(n * sizeof(double));
		if (out->ch[MET_MOVING] == NULL)
			goto out;
		for (s = 0; s < n; s++) {
			int mv = 1;

			if (v != NULL)
				mv = v[s] >= MET_MOVING_SPEED;
			else if (w != NULL || cd != NULL)
				mv = (w != NULL && w[s] > 0) ||
				     (cd != NULL && cd[s] > 0);
			out->ch[MET_MOVING][s] = mv;
		}
	}
	out->moving = malloc(n);
	if (out->moving == NULL)
		goto out;
	for (s = 0; s < n; s++) {
		double mv = out->ch[MET_MOVING][s];

		out->moving[s] = !out->pause[s] && !isnan(mv) && mv != 0;
		out->ch[MET_MOVING][s] = out->moving[s];
	}
	rc = 0;
out:
	free(t);
	free(idx);
	if (rc != 0)
		met_series_free(out);
	return rc;
}

size_t
met_moving_time(const struct met_series *s)
{
	size_t i, m = 0;

	for (i = 0; i < s->n; i++)
		m += s->ch[MET_MOVING][i] != 0;
	return m;
}
