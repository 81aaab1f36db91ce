/* met_effort.c: fastest time over a distance on a cumulative distance stream */
#include <math.h> /* floor */

#include "met.h"

const double met_run_efforts[MET_NRUN_EFFORTS] = {
    400, 1000, 1609.344, 5000, 10000, 21097.5, 42195};
const double met_ride_efforts[MET_NRIDE_EFFORTS] = {5000,  10000, 20000,
                                                    40000, 50000, 100000};

double
met_effort_distance(long long stored)
{
	size_t i;

	for (i = 0; i < MET_NRUN_EFFORTS; i++)
		if ((long long)floor(met_run_efforts[i]) == stored)
			return met_run_efforts[i];
	for (i = 0; i < MET_NRIDE_EFFORTS; i++)
		if ((long long)floor(met_ride_efforts[i]) == stored)
			return met_ride_efforts[i];
	return (double)stored;
}

#include <math.h> /* isnan */

/*
 * For each window end j the latest start i with cum[j] - cum[i] >= dist,
 * the start moved forward inside second [i, i+1] to where exactly `dist`
 * remains; then the same with the end pulled back for each start. The
 * fastest of both is the fastest window on the piecewise-linear track.
 */
int
met_best_effort(const double *cum, size_t n, double dist, double *elapsed,
                double *start)
{
	size_t i = 0, j;
	double best = -1, bstart = 0;

	if (cum == NULL || n < 2 || dist <= 0)
		return -1;
	for (j = 1; j < n; j++) {
		double ts, e;

		if (isnan(cum[j]))
			continue;
		if (isnan(cum[i]) || cum[j] - cum[i] < dist)
			continue;
		while (i + 1 < j && !isnan(cum[i + 1]) &&
		       cum[j] - cum[i + 1] >= dist)
			i++;
		ts = (double)i;
		if (i + 1 <= j && cum[i + 1] > cum[i])
			ts += (cum[j] - dist - cum[i]) / (cum[i + 1] - cum[i]);
		e = (double)j - ts;
		if (best < 0 || e < best) {
			best = e;
			bstart = ts;
		}
	}
	if (best < 0)
		return -1;
	/* End pulled back: for each start i the first end j covering it. */
	j = 0;
	for (i = 0; i + 1 < n; i++) {
		double te, e;

		if (isnan(cum[i]))
			continue;
		if (j < i + 1)
			j = i + 1;
		while (j < n && (isnan(cum[j]) || cum[j] - cum[i] < dist))
			j++;
		if (j >= n)
			break;
		te = (double)j;
		if (!isnan(cum[j - 1]) && cum[j] > cum[j - 1] && j - 1 >= i)
			te -= (cum[j] - cum[i] - dist) / (cum[j] - cum[j - 1]);
		e = te - (double)i;
		if (e < best) {
			best = e;
			bstart = (double)i;
		}
	}
	*elapsed = best;
	*start = bstart;
	return 0;
}
