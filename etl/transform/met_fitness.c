/* met_fitness.c: CTL/ATL/TSB/ramp (exponentially weighted load) and Eddington */
#include "met.h"

#include <math.h>   /* exp, floor */
#include <stdlib.h> /* calloc, free */

void
met_fitness(const double *load, size_t nd, double ctl0, double atl0,
            const double *ctl7, double *ctl, double *atl, double *tsb,
            double *ramp)
{
	double kc = 1.0 - exp(-1.0 / MET_CTL_DAYS);
	double ka = 1.0 - exp(-1.0 / MET_ATL_DAYS);
	double pc = ctl0, pa = atl0;
	size_t d;

	for (d = 0; d < nd; d++) {
		double back;

		tsb[d] = pc - pa;
		ctl[d] = pc + (load[d] - pc) * kc;
		atl[d] = pa + (load[d] - pa) * ka;
		if (d >= 7)
			back = ctl[d - 7];
		else
			back = ctl7 != NULL ? ctl7[d] : 0;
		ramp[d] = ctl[d] - back;
		pc = ctl[d];
		pa = atl[d];
	}
}

int
met_eddington(const double *day_dist, size_t nd, int *next, int *hist,
              size_t hmax)
{
	/* cnt[k]: days with floor(distance) == k, capped at nd + 1. */
	size_t *cnt = calloc(nd + 2, sizeof(*cnt)), d, k;
	size_t above = 0;
	int e = 0;

	if (cnt == NULL) {
		*next = 0;
		return 0;
	}
	for (d = 0; d < nd; d++) {
		double f = floor(day_dist[d]);

		if (f < 1)
			continue;
		k = f > (double)(nd + 1) ? nd + 1 : (size_t)f;
		cnt[k]++;
	}
	/* Walk down from the top: above = days with distance >= k. */
	for (k = nd + 1; k >= 1; k--) {
		above += cnt[k];
		if (above >= k) {
			e = (int)k;
			break;
		}
	}
	{
		size_t have = 0;

		for (d = 0; d < nd; d++)
			have += day_dist[d] >= (double)(e + 1);
		*next = (int)((size_t)(e + 1) - have);
	}
	if (hist != NULL) {
		for (k = 0; k < hmax; k++) {
			size_t c = 0;

			for (d = 0; d < nd; d++)
				c += day_dist[d] >= (double)(k + 1);
			hist[k] = (int)c;
		}
	}
	free(cnt);
	return e;
}
