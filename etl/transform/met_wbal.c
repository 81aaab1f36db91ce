/* met_wbal.c: W' balance per second, the differential model (Skiba et al. 2015) */
#include "met.h"

#include <math.h> /* NAN, exp, isnan */

double
met_wbal(const double *w, size_t n, double cp, double w_prime, double *out)
{
	double bal = w_prime, low = w_prime, p;
	size_t i;

	if (w == NULL || n == 0 || isnan(cp) || isnan(w_prime) || cp <= 0 ||
	    w_prime <= 0)
		return NAN;
	for (i = 0; i < n; i++) {
		p = isnan(w[i]) ? 0 : w[i];
		if (p > cp)
			bal -= p - cp;
		else
			bal = w_prime -
			      (w_prime - bal) * exp(-(cp - p) / w_prime);
		if (bal < low)
			low = bal;
		if (out != NULL)
			out[i] = bal;
	}
	return low;
}
