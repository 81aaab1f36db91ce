/* met_est.c: estimated cycling power from speed, grade and altitude (a physical model) */
#include "met.h"

#include <math.h> /* atan, cos, sin, pow, isnan, NAN */

double
met_air_density(double h)
{
	/* rho0 (1 - L h / T0)^(g M / (R L) - 1), ISA troposphere */
	double f = 1.0 - 0.0065 * h / 288.15;

	if (f < 0.1)
		f = 0.1;
	return 1.225 * pow(f, 4.25588);
}

double
met_est_watts(const struct met_bike *b, double v, double g, double h, double a)
{
	double t = atan(isnan(g) ? 0 : g), p;

	if (isnan(v) || v <= 0)
		return isnan(v) ? NAN : 0;
	if (isnan(h))
		h = 0;
	if (isnan(a))
		a = 0;
	p = b->mass * MET_G * (sin(t) + b->crr * cos(t)) * v +
	    0.5 * met_air_density(h) * b->cda * v * v * v + b->mass * a * v;
	p /= b->drive_eff;
	return p > 0 ? p : 0;
}

int
met_est_power(const struct met_series *s, const struct met_bike *b, double *out)
{
	const double *v, *g, *h, *mv;
	size_t i, n;
	double a;

	if (s == NULL || b == NULL || out == NULL)
		return -1;
	v = s->ch[MET_VEL];
	g = s->ch[MET_GRADE];
	h = s->ch[MET_ALT];
	mv = s->ch[MET_MOVING];
	n = s->n;
	if (v == NULL || g == NULL || h == NULL || n < 2 || isnan(b->mass) ||
	    b->mass <= 0 || isnan(b->cda) || b->cda <= 0 || isnan(b->crr) ||
	    b->crr < 0 || isnan(b->drive_eff) || b->drive_eff <= 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s->pause[i] || (mv != NULL && mv[i] == 0)) {
			out[i] = 0;
			continue;
		}
		/* central difference, one-sided at the ends */
		if (i == 0)
			a = v[1] - v[0];
		else if (i == n - 1)
			a = v[i] - v[i - 1];
		else
			a = (v[i + 1] - v[i - 1]) / 2.0;
		out[i] = met_est_watts(b, v[i], g[i] / 100.0, h[i], a);
	}
	return 0;
}
