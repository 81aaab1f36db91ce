/* met_hr.c: Banister TRIMP, the HR load on the TSS scale, aerobic decoupling */
#include "met.h"

#include <math.h> /* NAN, exp, isnan */

static double
met_trimp_k(int female)
{
	return female ? 1.67 : 1.92;
}

double
met_trimp(const double *hr, const unsigned char *pause, size_t n, double rest,
          double max, int female)
{
	double sum = 0, k = met_trimp_k(female);
	size_t i, cnt = 0;

	if (hr == NULL || isnan(rest) || isnan(max) || max <= rest)
		return NAN;
	for (i = 0; i < n; i++) {
		double x;

		if ((pause != NULL && pause[i]) || isnan(hr[i]))
			continue;
		x = (hr[i] - rest) / (max - rest);
		if (x < 0)
			x = 0;
		sum += x * 0.64 * exp(k * x) / 60.0;
		cnt++;
	}
	return cnt > 0 ? sum : NAN;
}

double
met_trimp_hour(double thr, double rest, double max, int female)
{
	double x;

	if (isnan(thr) || isnan(rest) || isnan(max) || max <= rest ||
	    thr <= rest)
		return NAN;
	x = (thr - rest) / (max - rest);
	return 60.0 * x * 0.64 * exp(met_trimp_k(female) * x);
}

double
met_decoupling(const double *out, const double *hr, const unsigned char *moving,
               size_t n)
{
	size_t i, mv = 0, withhr = 0, seen = 0;
	double so[2] = {0, 0}, sh[2] = {0, 0}, ef1, ef2;

	if (out == NULL || hr == NULL)
		return NAN;
	for (i = 0; i < n; i++) {
		if (!moving[i])
			continue;
		mv++;
		withhr += !isnan(hr[i]) && !isnan(out[i]);
	}
	if (mv < 1200 || (double)withhr < 0.8 * (double)mv)
		return NAN;
	for (i = 0; i < n; i++) {
		int h;

		if (!moving[i])
			continue;
		h = seen++ < mv / 2 ? 0 : 1;
		if (isnan(hr[i]) || isnan(out[i]))
			continue;
		so[h] += out[i];
		sh[h] += hr[i];
	}
	if (sh[0] <= 0 || sh[1] <= 0 || so[0] <= 0)
		return NAN;
	ef1 = so[0] / sh[0];
	ef2 = so[1] / sh[1];
	return (ef1 - ef2) / ef1 * 100.0;
}
