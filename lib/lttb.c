/* lttb.c: Largest-Triangle-Three-Buckets downsampling of a series for charts */
#include "lttb.h"

#include <math.h> /* fabs, isnan */

/* Bucket b (0-based, of nb) of the inner points 1..n-2: [*lo, *hi). */
static void
lttb_bucket(size_t n, size_t nb, size_t b, size_t *lo, size_t *hi)
{
	size_t inner = n - 2;

	*lo = 1 + (size_t)((double)b * (double)inner / (double)nb);
	*hi = 1 + (size_t)((double)(b + 1) * (double)inner / (double)nb);
	if (*hi > n - 1)
		*hi = n - 1;
}

size_t
lttb_select(const double *x, const double *y, size_t n, size_t target,
            size_t *idx_out)
{
	size_t nb, b, k = 0, prev = 0, i;

	if (n == 0 || target == 0)
		return 0;
	if (n <= target) {
		for (i = 0; i < n; i++)
			idx_out[i] = i;
		return n;
	}
	if (target == 1) {
		idx_out[0] = 0;
		return 1;
	}
	idx_out[k++] = 0;
	if (target == 2) {
		idx_out[k++] = n - 1;
		return k;
	}
	nb = target - 2;
	for (b = 0; b < nb; b++) {
		size_t lo, hi, nlo, nhi, best = 0, cnt = 0;
		double ax = 0, ay = 0, bestarea = -1;
		int found = 0;

		lttb_bucket(n, nb, b, &lo, &hi);
		/* The mean of the next bucket (the last point after the last).
		 */
		if (b + 1 < nb)
			lttb_bucket(n, nb, b + 1, &nlo, &nhi);
		else {
			nlo = n - 1;
			nhi = n;
		}
		for (i = nlo; i < nhi; i++) {
			if (isnan(y[i]))
				continue;
			ax += x[i];
			ay += y[i];
			cnt++;
		}
		if (cnt > 0) {
			ax /= (double)cnt;
			ay /= (double)cnt;
		} else {
			ax = x[nhi - 1];
			ay = isnan(y[prev]) ? 0 : y[prev];
		}
		for (i = lo; i < hi; i++) {
			double py = isnan(y[prev]) ? ay : y[prev], area;

			if (isnan(y[i]))
				continue;
			area = fabs((x[prev] - ax) * (y[i] - py) -
			            (x[prev] - x[i]) * (ay - py));
			if (!found || area > bestarea) {
				bestarea = area;
				best = i;
				found = 1;
			}
		}
		if (!found)
			best = lo;
		if (hi > lo) {
			idx_out[k++] = best;
			prev = best;
		}
	}
	idx_out[k++] = n - 1;
	return k;
}
