/* met_pace.c: grade-adjusted speed (Minetti 2002) and the running load */
#include "met.h"

#include <math.h> /* NAN, isnan, pow */

double
met_minetti(double g)
{
	double c = 155.4 * g - 30.4;

	c = c * g - 43.3;
	c = c * g + 46.3;
	c = c * g + 19.5;
	c = c * g + 3.6;
	return c / 3.6;
}

double
met_gap_speed(double v, double g)
{
	if (isnan(g))
		g = 0;
	if (g > 0.45)
		g = 0.45;
	if (g < -0.45)
		g = -0.45;
	return v * pow(met_minetti(g), 0.83);
}

void
met_gap_stream(const double *vel, const double *grade, size_t n, double *gap)
{
	size_t i;

	for (i = 0; i < n; i++)
		gap[i] =
		    isnan(vel[i])
		        ? NAN
		        : met_gap_speed(vel[i],
		                        grade != NULL ? grade[i] / 100.0 : 0);
}

void
met_gap_inc(const double *dist, const double *vel, const double *grade,
            size_t n, double *inc, double *adj)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (dist != NULL)
			inc[i] = i == 0 ? 0 : dist[i] - dist[i - 1];
		else
			inc[i] = vel[i];
		if (adj != NULL)
			adj[i] = met_gap_speed(
			    inc[i], grade != NULL ? grade[i] / 100.0 : 0);
	}
}

double
met_gap_avg(const double *inc, const double *adj, const unsigned char *moving,
            size_t n, double avg_speed)
{
	double si = 0, sa = 0;
	size_t i, mv = 0;

	for (i = 0; i < n; i++) {
		if (!moving[i])
			continue;
		mv++;
		if (isnan(inc[i]) || isnan(adj[i]))
			continue;
		si += inc[i];
		sa += adj[i];
	}
	if (!(si > 0) || mv == 0)
		return NAN;
	if (isnan(avg_speed) || avg_speed <= 0)
		return sa / (double)mv;
	return avg_speed * sa / si;
}

double
met_gap_mean(const double *vel, const double *grade,
             const unsigned char *moving, size_t n)
{
	double sum = 0;
	size_t i, cnt = 0;

	if (vel == NULL)
		return NAN;
	for (i = 0; i < n; i++) {
		if (!moving[i] || isnan(vel[i]))
			continue;
		sum +=
		    met_gap_speed(vel[i], grade != NULL ? grade[i] / 100.0 : 0);
		cnt++;
	}
	return cnt == 0 ? NAN : sum / (double)cnt;
}

double
met_pace_load(const double *vel, const double *grade,
              const unsigned char *moving, size_t n, double thr_speed)
{
	double s, f;
	size_t i, mv = 0;

	if (vel == NULL || isnan(thr_speed) || thr_speed <= 0)
		return NAN;
	for (i = 0; i < n; i++)
		mv += moving[i] != 0;
	s = met_gap_mean(vel, grade, moving, n);
	if (isnan(s))
		return NAN;
	f = s / thr_speed;
	return (double)mv / 3600.0 * f * f * 100.0;
}
