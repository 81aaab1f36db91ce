/* met_iv.c: intervals detected on a 1 Hz series: smoothed efforts above a threshold, merged, filtered, boundaries refined on the raw series */
#include "met.h"

#include <math.h>   /* NAN, isnan */
#include <stdlib.h> /* malloc, realloc, free */

const char *const met_basis_names[4] = {NULL, "power", "speed", "hr"};

/* v[i] when it counts (not NaN, not in a pause), else NaN. */
static double
met_iv_at(const double *v, const unsigned char *pause, size_t i)
{
	return (pause != NULL && pause[i]) ? NAN : v[i];
}

/* Centred MET_IV_SMOOTH s mean of v (seconds i - W/2 .. i + W/2 - 1),
 * NaN where the window holds no value. 0 or -1 (memory). */
static int
met_iv_smooth(const double *v, const unsigned char *pause, size_t n, double *sm)
{
	double *sum = malloc((n + 1) * sizeof(double));
	size_t *cnt = malloc((n + 1) * sizeof(size_t)), i;
	const size_t half = MET_IV_SMOOTH / 2;
	int rc = -1;

	if (sum == NULL || cnt == NULL)
		goto out;
	sum[0] = 0;
	cnt[0] = 0;
	for (i = 0; i < n; i++) {
		double x = met_iv_at(v, pause, i);

		sum[i + 1] = sum[i] + (isnan(x) ? 0 : x);
		cnt[i + 1] = cnt[i] + !isnan(x);
	}
	for (i = 0; i < n; i++) {
		size_t a = i >= half ? i - half : 0;
		size_t b = i + (MET_IV_SMOOTH - half) < n
		               ? i + (MET_IV_SMOOTH - half)
		               : n;
		size_t c = cnt[b] - cnt[a];

		sm[i] = c > 0 ? (sum[b] - sum[a]) / (double)c : NAN;
	}
	rc = 0;
out:
	free(sum);
	free(cnt);
	return rc;
}

/* v[i] - on where it counts, 0 where it does not. */
static double
met_iv_excess(const double *v, const unsigned char *pause, size_t i, double on)
{
	double x = met_iv_at(v, pause, i);

	return isnan(x) ? 0 : x - on;
}

/* The start in [lo, hi] maximising the sum of v - on from it up to hi
 * (the earliest of equals). */
static size_t
met_iv_start(const double *v, const unsigned char *pause, size_t lo, size_t hi,
             double on)
{
	double acc = 0, best = 0;
	size_t p, at = hi;

	for (p = hi; p > lo;) {
		p--;
		acc += met_iv_excess(v, pause, p, on);
		if (acc >= best) {
			best = acc;
			at = p;
		}
	}
	return at;
}

/* The end in [lo, hi] maximising the sum of v - on from lo up to it (the
 * latest of equals). */
static size_t
met_iv_end(const double *v, const unsigned char *pause, size_t lo, size_t hi,
           double on)
{
	double acc = 0, best = 0;
	size_t q, at = lo;

	for (q = lo; q < hi; q++) {
		acc += met_iv_excess(v, pause, q, on);
		if (acc >= best) {
			best = acc;
			at = q + 1;
		}
	}
	return at;
}

long
met_intervals(const double *v, const unsigned char *pause, size_t n, double on,
              struct met_range **out)
{
	double *sm = NULL;
	struct met_range *e = NULL;
	size_t i, ne = 0, cap = 0, k, m = 0, prev_end = 0;
	long rc = -1;

	*out = NULL;
	if (v == NULL || n == 0 || isnan(on) || !(on > 0))
		return 0;
	sm = malloc(n * sizeof(double));
	if (sm == NULL || met_iv_smooth(v, pause, n, sm) != 0)
		goto out;
	/* efforts: runs of the smoothed series at or above `on`, merged
	 * across dips shorter than MET_IV_MERGE */
	for (i = 0; i < n;) {
		size_t a;

		if (isnan(sm[i]) || sm[i] < on) {
			i++;
			continue;
		}
		a = i;
		while (i < n && !isnan(sm[i]) && sm[i] >= on)
			i++;
		if (ne > 0 && a - e[ne - 1].end < MET_IV_MERGE)
			e[ne - 1].end = i;
		else if (met_range_push(&e, &ne, &cap, a, i) != 0)
			goto out;
	}
	/* the shortest dropped, the boundaries refined on the raw series */
	for (k = 0; k < ne; k++) {
		size_t s0 = e[k].start, e0 = e[k].end, mid = s0 + (e0 - s0) / 2;
		size_t lo, hi, next, a, b;

		if (e0 - s0 < MET_IV_MIN)
			continue;
		next = k + 1 < ne ? e[k + 1].start : n;
		lo = s0 > MET_IV_SMOOTH ? s0 - MET_IV_SMOOTH : 0;
		lo = lo < prev_end ? prev_end : lo;
		hi = s0 + MET_IV_SMOOTH < mid ? s0 + MET_IV_SMOOTH : mid;
		a = met_iv_start(v, pause, lo, hi < lo ? lo : hi, on);
		lo = e0 > MET_IV_SMOOTH && e0 - MET_IV_SMOOTH > mid
		         ? e0 - MET_IV_SMOOTH
		         : mid;
		hi = e0 + MET_IV_SMOOTH < next ? e0 + MET_IV_SMOOTH : next;
		b = met_iv_end(v, pause, lo, hi < lo ? lo : hi, on);
		if (b <= a || b - a < MET_IV_MIN)
			continue;
		e[m].start = a;
		e[m].end = b;
		prev_end = b;
		m++;
	}
	rc = (long)m;
	if (m > 0) {
		*out = e;
		e = NULL;
	}
out:
	free(sm);
	free(e);
	return rc;
}
