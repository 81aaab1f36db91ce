/* met_span.c: the figures of a span of the 1 Hz series (laps, splits, intervals alike), laps mapped onto it, automatic splits */
#include "met.h"

#include <math.h>   /* NAN, isnan, llround */
#include <stdlib.h> /* malloc, realloc, free, qsort */

/* The last value of v at or before second i that is not NaN; NaN if none. */
static double
met_last_at(const double *v, size_t i, size_t lo)
{
	for (;;) {
		if (!isnan(v[i]))
			return v[i];
		if (i == lo)
			return NAN;
		i--;
	}
}

/* Distance covered in r: the distance channel at its boundaries (the
 * value at second r.end, or the last one, minus the value at r.start),
 * else the speed summed. */
static double
met_span_distance(const struct met_series *s, struct met_range r)
{
	const double *d = s->ch[MET_DIST], *v = s->ch[MET_VEL];
	double end, before, sum = 0;
	size_t i, cnt = 0;

	if (d != NULL) {
		end = met_last_at(d, r.end < s->n ? r.end : s->n - 1, 0);
		before = met_last_at(d, r.start, 0);
		if (isnan(before)) /* before the first sample: its value */
			for (i = 0; i < s->n && isnan(before); i++)
				before = d[i];
		return isnan(end) || isnan(before) || end < before
		           ? NAN
		           : end - before;
	}
	if (v == NULL)
		return NAN;
	for (i = r.start; i < r.end; i++)
		if (!s->pause[i] && !isnan(v[i])) {
			sum += v[i];
			cnt++;
		}
	return cnt > 0 ? sum : NAN;
}

/* Climbs of alt over r, counted once they exceed MET_SPAN_HYST. */
static double
met_span_gain(const double *alt, struct met_range r)
{
	double ref = NAN, gain = 0;
	size_t i;

	if (alt == NULL)
		return NAN;
	for (i = r.start; i < r.end; i++) {
		if (isnan(alt[i]))
			continue;
		if (isnan(ref) || alt[i] < ref)
			ref = alt[i];
		else if (alt[i] - ref >= MET_SPAN_HYST) {
			gain += alt[i] - ref;
			ref = alt[i];
		}
	}
	return isnan(ref) ? NAN : gain;
}

void
met_span_figures(const struct met_series *s, const double *inc,
                 const double *adj, struct met_range r, struct met_span *out)
{
	const double *w = s->ch[MET_WATTS], *hr = s->ch[MET_HR];
	const double *vel = s->ch[MET_VEL], *cad = s->ch[MET_CAD];
	const unsigned char *pz = s->pause + r.start;
	size_t len = r.end - r.start, i, cnt = 0;
	double sum = 0;

	out->start = r.start;
	out->elapsed = len;
	out->moving = 0;
	for (i = r.start; i < r.end; i++)
		out->moving += s->moving[i] != 0;
	out->distance = met_span_distance(s, r);
	out->avg_power = w ? met_mean(w + r.start, pz, len) : NAN;
	out->max_power = w ? met_max(w + r.start, len) : NAN;
	out->np = w ? met_np(w + r.start, pz, len) : NAN;
	out->avg_hr = hr ? met_mean(hr + r.start, pz, len) : NAN;
	out->max_hr = hr ? met_max(hr + r.start, len) : NAN;
	out->avg_speed = out->moving > 0 && !isnan(out->distance)
	                     ? out->distance / (double)out->moving
	                     : NAN;
	out->max_speed = vel ? met_max(vel + r.start, len) : NAN;
	out->avg_cad = out->max_cad = NAN;
	if (cad != NULL) {
		for (i = r.start; i < r.end; i++)
			if (s->moving[i] && cad[i] > 0) {
				sum += cad[i];
				cnt++;
			}
		out->avg_cad = cnt > 0 ? sum / (double)cnt : NAN;
		out->max_cad = met_max(cad + r.start, len);
	}
	out->gap = inc != NULL && adj != NULL
	               ? met_gap_avg(inc + r.start, adj + r.start,
	                             s->moving + r.start, len, out->avg_speed)
	               : NAN;
	out->elev_gain = met_span_gain(s->ch[MET_ALT], r);
	out->intensity = NAN;
	out->basis = MET_BASIS_NONE;
}

static int
met_range_cmp(const void *a, const void *b)
{
	const struct met_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

size_t
met_laps_map(const double *start, const double *elapsed, size_t nlap, size_t n,
             struct met_range *out)
{
	size_t k, m = 0, kept = 0;

	for (k = 0; k < nlap; k++) {
		double a = isnan(start[k]) ? NAN : (double)llround(start[k]);
		double b = isnan(elapsed[k]) ? NAN : a + elapsed[k];

		if (isnan(a) || isnan(b) || !(elapsed[k] > 0))
			continue; /* no duration */
		if (a < 0)
			a = 0;
		b = (double)llround(b);
		if (a >= (double)n || b <= a)
			continue; /* starts after the end */
		if (b > (double)n)
			b = (double)n;
		out[m].start = (size_t)a;
		out[m].end = (size_t)b;
		m++;
	}
	if (m > 1)
		qsort(out, m, sizeof(*out), met_range_cmp);
	for (k = 0; k < m; k++) {
		struct met_range r = out[k];

		if (kept > 0 && r.start < out[kept - 1].end)
			r.start = out[kept - 1].end; /* overlap: cut */
		if (r.start >= r.end)
			continue;
		out[kept++] = r;
	}
	return kept;
}

int
met_range_push(struct met_range **out, size_t *cnt, size_t *cap, size_t a,
               size_t b)
{
	if (*cnt == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct met_range *p = realloc(*out, nc * sizeof(*p));

		if (p == NULL)
			return -1;
		*out = p;
		*cap = nc;
	}
	(*out)[*cnt].start = a;
	(*out)[*cnt].end = b;
	(*cnt)++;
	return 0;
}

long
met_splits(const double *dist, size_t n, double unit, struct met_range **out)
{
	size_t i, cnt = 0, cap = 0, from = 0;
	double next, d0 = NAN;
	long rc = -1;

	*out = NULL;
	for (i = 0; dist != NULL && i < n && isnan(d0); i++)
		d0 = dist[i];
	if (isnan(d0) || !(unit > 0)) { /* no distance: no splits */
		rc = 0;
		goto out;
	}
	next = d0 + unit;
	for (i = 0; i < n; i++) {
		if (isnan(dist[i]) || dist[i] < next)
			continue;
		if (i > from && met_range_push(out, &cnt, &cap, from, i) != 0)
			goto out;
		from = i > from ? i : from;
		while (next <= dist[i]) /* a jump over several units: one */
			next += unit;
	}
	if (from < n && met_range_push(out, &cnt, &cap, from, n) != 0)
		goto out;
	rc = (long)cnt;
out:
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
