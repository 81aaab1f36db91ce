/* met_power.c: averages, Normalized Power, TSS and time in zone */
#include "met.h"

#include <math.h> /* NAN, isnan, pow */

double
met_mean(const double *v, const unsigned char *pause, size_t n)
{
	double sum = 0;
	size_t i, cnt = 0;

	if (v == NULL)
		return NAN;
	for (i = 0; i < n; i++) {
		if ((pause != NULL && pause[i]) || isnan(v[i]))
			continue;
		sum += v[i];
		cnt++;
	}
	return cnt > 0 ? sum / (double)cnt : NAN;
}

double
met_max(const double *v, size_t n)
{
	double m = NAN;
	size_t i;

	if (v == NULL)
		return NAN;
	for (i = 0; i < n; i++)
		if (!isnan(v[i]) && (isnan(m) || v[i] > m))
			m = v[i];
	return m;
}

size_t
met_active_seconds(const unsigned char *pause, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += pause == NULL || !pause[i];
	return c;
}

double
met_np(const double *w, const unsigned char *pause, size_t n)
{
	double win = 0, acc = 0;
	size_t i, cnt = 0;

	if (w == NULL || n < 30)
		return NAN;
	for (i = 0; i < n; i++) {
		double m;

		win += isnan(w[i]) ? 0 : w[i];
		if (i >= 30)
			win -= isnan(w[i - 30]) ? 0 : w[i - 30];
		if (i < 29 || (pause != NULL && pause[i]))
			continue;
		m = win / 30.0;
		m *= m;
		acc += m * m;
		cnt++;
	}
	return cnt > 0 ? pow(acc / (double)cnt, 0.25) : NAN;
}

double
met_tss(double np, double ftp, double seconds)
{
	double f;

	if (isnan(np) || isnan(ftp) || ftp <= 0 || isnan(seconds))
		return NAN;
	f = np / ftp;
	return seconds / 3600.0 * f * f * 100.0;
}

void
met_zones(const double *v, const unsigned char *mask, size_t n,
          const double *lo, size_t nz, int *secs)
{
	size_t i, z;

	for (z = 0; z < nz; z++)
		secs[z] = 0;
	if (v == NULL || nz == 0)
		return;
	for (i = 0; i < n; i++) {
		if ((mask != NULL && !mask[i]) || isnan(v[i]))
			continue;
		for (z = nz; z-- > 0;) {
			if (z == 0 || v[i] >= lo[z]) {
				secs[z]++;
				break;
			}
		}
	}
}
