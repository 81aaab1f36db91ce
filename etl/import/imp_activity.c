/* imp_activity.c: samples of an imported activity, thinning, and the computed summary */
#include "imp_activity.h"

#include <math.h>   /* NAN, isnan, sin, cos, atan2, sqrt */
#include <stdarg.h> /* va_list */
#include <stdio.h>  /* vsnprintf */
#include <stdlib.h> /* realloc, free */
#include <string.h> /* memset, strlen */

#include "poly.h"

void
imp_activity_init(struct imp_activity *a)
{
	memset(a, 0, sizeof *a);
	a->start = NAN;
	a->stride = 1;
	a->tot.distance = a->tot.elapsed = a->tot.moving = NAN;
	a->tot.elev_gain = a->tot.avg_speed = a->tot.max_speed = NAN;
	a->tot.avg_hr = a->tot.max_hr = a->tot.avg_watts = NAN;
	a->tot.max_watts = a->tot.avg_cad = a->tot.avg_temp = NAN;
	a->tot.kilojoules = a->tot.calories = NAN;
}

void
imp_activity_free(struct imp_activity *a)
{
	if (!a)
		return;
	free(a->description);
	free(a->t);
	free(a->lat);
	free(a->lng);
	free(a->alt);
	free(a->dist);
	free(a->speed);
	free(a->hr);
	free(a->cad);
	free(a->watts);
	free(a->temp);
	free(a->laps);
	imp_activity_init(a);
}

void
imp_sample_clear(struct imp_sample *s)
{
	s->t = s->lat = s->lng = s->alt = s->dist = s->speed = NAN;
	s->hr = s->cad = s->watts = s->temp = NAN;
}

void
imp_lap_clear(struct imp_lap *l)
{
	l->start = l->elapsed = l->moving = l->distance = NAN;
	l->avg_speed = l->max_speed = l->avg_hr = l->max_hr = NAN;
	l->avg_watts = l->max_watts = l->avg_cad = l->elev_gain = NAN;
	l->calories = NAN;
}

int
imp_activity_lap(struct imp_activity *a, const struct imp_lap *l)
{
	int rc = -1;

	if (a->nlaps == IMP_MAX_LAPS) {
		if (a->lapcap != IMP_MAX_LAPS + 1)
			imp_activity_warn(a,
			                  "more than %d laps: the rest dropped",
			                  IMP_MAX_LAPS);
		a->lapcap = IMP_MAX_LAPS + 1; /* warned once */
		rc = 0;
		goto out;
	}
	if (a->nlaps == a->lapcap) {
		size_t cap = a->lapcap ? a->lapcap * 2 : 16;
		struct imp_lap *p;

		if (cap > IMP_MAX_LAPS)
			cap = IMP_MAX_LAPS;
		p = realloc(a->laps, cap * sizeof(*p));
		if (p == NULL)
			goto out;
		a->laps = p;
		a->lapcap = cap;
	}
	a->laps[a->nlaps++] = *l;
	rc = 0;
out:
	return rc;
}

void
imp_activity_warn(struct imp_activity *a, const char *fmt, ...)
{
	size_t len = strlen(a->warn);
	va_list ap;

	if (len + 3 >= sizeof a->warn)
		return;
	if (len) {
		a->warn[len++] = ';';
		a->warn[len++] = ' ';
		a->warn[len] = '\0';
	}
	va_start(ap, fmt);
	vsnprintf(a->warn + len, sizeof a->warn - len, fmt, ap);
	va_end(ap);
}

static int
imp_grow(double **p, size_t cap)
{
	double *q = realloc(*p, cap * sizeof *q);

	if (!q)
		return -1;
	*p = q;
	return 0;
}

/* Keep every second sample: the cap is reached. */
static void
imp_thin(struct imp_activity *a)
{
	double *arr[] = {a->t,     a->lat, a->lng, a->alt,   a->dist,
	                 a->speed, a->hr,  a->cad, a->watts, a->temp};
	size_t i, k;

	for (k = 0; k < sizeof arr / sizeof arr[0]; k++)
		for (i = 0; 2 * i < a->n; i++)
			arr[k][i] = arr[k][2 * i];
	a->n = (a->n + 1) / 2;
	a->stride *= 2;
	a->skip = a->stride - 1;
}

int
imp_activity_add(struct imp_activity *a, const struct imp_sample *s)
{
	size_t i;

	a->seen++;
	a->has_pending = 0;
	if (a->skip > 0) {
		a->skip--;
		a->pending = *s; /* kept if it turns out to be the last */
		a->has_pending = 1;
		return 0;
	}
	if (a->n == IMP_MAX_POINTS) {
		if (a->stride == 1)
			imp_activity_warn(a, "more than %d points: thinned",
			                  IMP_MAX_POINTS);
		imp_thin(a);
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 1024;

		if (cap > IMP_MAX_POINTS)
			cap = IMP_MAX_POINTS;
		if (imp_grow(&a->t, cap) || imp_grow(&a->lat, cap) ||
		    imp_grow(&a->lng, cap) || imp_grow(&a->alt, cap) ||
		    imp_grow(&a->dist, cap) || imp_grow(&a->speed, cap) ||
		    imp_grow(&a->hr, cap) || imp_grow(&a->cad, cap) ||
		    imp_grow(&a->watts, cap) || imp_grow(&a->temp, cap))
			return -1;
		a->cap = cap;
	}
	i = a->n++;
	a->t[i] = s->t;
	a->lat[i] = s->lat;
	a->lng[i] = s->lng;
	a->alt[i] = s->alt;
	a->dist[i] = s->dist;
	a->speed[i] = s->speed;
	a->hr[i] = s->hr;
	a->cad[i] = s->cad;
	a->watts[i] = s->watts;
	a->temp[i] = s->temp;
	if (!isnan(s->lat) && !isnan(s->lng))
		a->have |= IMP_C_POS;
	if (!isnan(s->alt))
		a->have |= IMP_C_ALT;
	if (!isnan(s->dist))
		a->have |= IMP_C_DIST;
	if (!isnan(s->speed))
		a->have |= IMP_C_SPEED;
	if (!isnan(s->hr))
		a->have |= IMP_C_HR;
	if (!isnan(s->cad))
		a->have |= IMP_C_CAD;
	if (!isnan(s->watts))
		a->have |= IMP_C_WATTS;
	if (!isnan(s->temp))
		a->have |= IMP_C_TEMP;
	a->skip = a->stride - 1;
	return 0;
}

void
imp_strcpy(char *dst, size_t n, const char *src)
{
	size_t len;

	if (n == 0)
		return;
	len = src ? strlen(src) : 0;
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

double
imp_haversine(double lat1, double lng1, double lat2, double lng2)
{
	const double r = 6371008.8, d2r = M_PI / 180.0;
	double dlat = (lat2 - lat1) * d2r, dlng = (lng2 - lng1) * d2r;
	double h =
	    sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlng / 2) * sin(dlng / 2);

	return 2 * r * atan2(sqrt(h), sqrt(1 - h));
}

int
imp_moving_at(const struct imp_activity *a, size_t i)
{
	double dt;

	if (i == 0 || i >= a->n)
		return 0;
	dt = a->t[i] - a->t[i - 1];
	if (a->have & IMP_C_DIST) {
		if (dt <= 0)
			return 0;
		return (a->dist[i] - a->dist[i - 1]) / dt >= IMP_MOVING_SPEED;
	}
	if (a->have & IMP_C_SPEED)
		return !isnan(a->speed[i]) && a->speed[i] >= IMP_MOVING_SPEED;
	if (a->have & (IMP_C_WATTS | IMP_C_CAD))
		return (!isnan(a->watts[i]) && a->watts[i] > 0) ||
		       (!isnan(a->cad[i]) && a->cad[i] > 0);
	return 1;
}

/* Mean and maximum of the known values of x. */
static void
imp_stats(const double *x, size_t n, double *mean, double *max)
{
	double sum = 0, mx = NAN;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (isnan(x[i]))
			continue;
		sum += x[i];
		k++;
		if (isnan(mx) || x[i] > mx)
			mx = x[i];
	}
	*mean = k ? sum / (double)k : NAN;
	*max = mx;
}

static void
imp_fill_distance(struct imp_activity *a)
{
	size_t i;
	double last = 0, plat = NAN, plng = NAN;

	if (!(a->have & IMP_C_DIST)) {
		if (!(a->have & IMP_C_POS))
			return;
		for (i = 0; i < a->n; i++) {
			if (!isnan(a->lat[i]) && !isnan(a->lng[i])) {
				if (!isnan(plat))
					last += imp_haversine(
					    plat, plng, a->lat[i], a->lng[i]);
				plat = a->lat[i];
				plng = a->lng[i];
			}
			a->dist[i] = last;
		}
		a->have |= IMP_C_DIST;
		return;
	}
	for (i = 0; i < a->n; i++) { /* forward fill gaps */
		if (isnan(a->dist[i]))
			a->dist[i] = last;
		else
			last = a->dist[i];
	}
}

static char *
imp_polyline(const struct imp_activity *a)
{
	size_t i, np = 0, k = 0, step;
	double *la, *ln;
	char *s;

	for (i = 0; i < a->n; i++)
		if (!isnan(a->lat[i]) && !isnan(a->lng[i]))
			np++;
	step = np > IMP_MAX_POLY_POINTS
	           ? (np + IMP_MAX_POLY_POINTS - 1) / IMP_MAX_POLY_POINTS
	           : 1;
	la = malloc((np + 1) * sizeof *la);
	ln = malloc((np + 1) * sizeof *ln);
	if (!la || !ln) {
		free(la);
		free(ln);
		return NULL;
	}
	np = 0;
	for (i = 0; i < a->n; i++) {
		if (isnan(a->lat[i]) || isnan(a->lng[i]))
			continue;
		if (np++ % step == 0 || i == a->n - 1) {
			la[k] = a->lat[i];
			ln[k] = a->lng[i];
			k++;
		}
	}
	s = poly_encode(la, ln, k);
	free(la);
	free(ln);
	return s;
}

#define IMP_PICK(dst, stated, computed)                                        \
	((dst) = isnan(stated) ? (computed) : (stated))

int
imp_activity_finish(struct imp_activity *a, struct imp_summary *s, char *err,
                    size_t errlen)
{
	double moving = 0, gain = 0, ref = NAN, dist = NAN, mean;
	double hr_avg, hr_max, w_avg, w_max, c_avg, c_max, t_avg, t_max;
	double sp_max = NAN, e_hi = NAN, e_lo = NAN, elapsed = NAN;
	size_t i;

	memset(s, 0, sizeof *s);
	if (a->has_pending && a->n > 0) { /* the end of a thinned track */
		a->has_pending = 0;
		a->skip = 0;
		if (a->n == IMP_MAX_POINTS)
			a->n--;
		if (imp_activity_add(a, &a->pending) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	if (isnan(a->start) && a->n > 0)
		a->start = a->t[0];
	if (isnan(a->start)) {
		snprintf(err, errlen, "no start time (no timed samples)");
		return -1;
	}
	imp_fill_distance(a);
	for (i = 1; i < a->n; i++)
		if (imp_moving_at(a, i) && a->t[i] > a->t[i - 1])
			moving += a->t[i] - a->t[i - 1];
	for (i = 0; i < a->n; i++) {
		double h = a->alt[i];

		if (isnan(h))
			continue;
		if (isnan(e_hi) || h > e_hi)
			e_hi = h;
		if (isnan(e_lo) || h < e_lo)
			e_lo = h;
		if (isnan(ref) || h < ref)
			ref = h;
		else if (h > ref + IMP_ELEV_HYST) {
			gain += h - ref;
			ref = h;
		}
	}
	if (a->have & IMP_C_SPEED) {
		imp_stats(a->speed, a->n, &mean, &sp_max);
	} else if (a->have & IMP_C_DIST) {
		/* over 3-sample windows, to tame GPS jitter */
		for (i = 3; i < a->n; i++) {
			double dt = a->t[i] - a->t[i - 3], v;

			if (dt <= 0)
				continue;
			v = (a->dist[i] - a->dist[i - 3]) / dt;
			if (isnan(sp_max) || v > sp_max)
				sp_max = v;
		}
	}
	if (a->n > 0) {
		elapsed = a->t[a->n - 1] - a->start;
		if (a->have & IMP_C_DIST)
			dist = a->dist[a->n - 1];
	}
	imp_stats(a->hr, a->n, &hr_avg, &hr_max);
	imp_stats(a->watts, a->n, &w_avg, &w_max);
	imp_stats(a->cad, a->n, &c_avg, &c_max);
	imp_stats(a->temp, a->n, &t_avg, &t_max);

	s->start = a->start;
	s->utc_offset = a->utc_offset;
	IMP_PICK(s->distance, a->tot.distance, dist);
	IMP_PICK(s->elapsed, a->tot.elapsed, elapsed);
	IMP_PICK(s->moving, a->tot.moving, a->n > 1 ? moving : s->elapsed);
	IMP_PICK(s->elev_gain, a->tot.elev_gain,
	         (a->have & IMP_C_ALT) ? gain : NAN);
	IMP_PICK(s->avg_speed, a->tot.avg_speed,
	         !isnan(s->distance) && s->moving > 0 ? s->distance / s->moving
	                                              : NAN);
	IMP_PICK(s->max_speed, a->tot.max_speed, sp_max);
	IMP_PICK(s->avg_hr, a->tot.avg_hr, hr_avg);
	IMP_PICK(s->max_hr, a->tot.max_hr, hr_max);
	IMP_PICK(s->avg_watts, a->tot.avg_watts, w_avg);
	IMP_PICK(s->max_watts, a->tot.max_watts, w_max);
	IMP_PICK(s->avg_cad, a->tot.avg_cad, c_avg);
	IMP_PICK(s->avg_temp, a->tot.avg_temp, t_avg);
	IMP_PICK(s->kilojoules, a->tot.kilojoules,
	         !isnan(s->avg_watts) && !isnan(s->moving)
	             ? s->avg_watts * s->moving / 1000.0
	             : NAN);
	s->calories = a->tot.calories;
	s->elev_high = e_hi;
	s->elev_low = e_lo;
	s->start_lat = s->start_lng = s->end_lat = s->end_lng = NAN;
	for (i = 0; i < a->n; i++)
		if (!isnan(a->lat[i]) && !isnan(a->lng[i])) {
			if (isnan(s->start_lat)) {
				s->start_lat = a->lat[i];
				s->start_lng = a->lng[i];
			}
			s->end_lat = a->lat[i];
			s->end_lng = a->lng[i];
		}
	s->polyline = imp_polyline(a);
	if (!s->polyline) {
		snprintf(err, errlen, "cannot encode polyline");
		return -1;
	}
	return 0;
}

void
imp_summary_free(struct imp_summary *s)
{
	if (!s)
		return;
	free(s->polyline);
	s->polyline = NULL;
}
