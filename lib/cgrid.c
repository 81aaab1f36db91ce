/* cgrid.c: the log-spaced duration grid of period curves and its packed form */
#include "cgrid.h"

#include <math.h>   /* floor, llround, log10, pow, NAN */
#include <stdint.h> /* uint64_t */
#include <stdlib.h> /* malloc */
#include <string.h> /* memcpy */

const size_t cgrid_std[CGRID_NSTD] = {1,    5,    10,    15,    30,    60,
                                      120,  180,  300,   600,   1200,  1800,
                                      3600, 7200, 10800, 14400, 18000, 21600};

/* The log-spaced duration after d (d >= 10): the smallest
 * round(10 * 10^(k/30)) above d. */
static size_t
cgrid_next_log(size_t d)
{
	size_t k = (size_t)floor(30.0 * log10((double)d / 10.0));

	k = k > 0 ? k - 1 : 0; /* below d, whatever the rounding */
	for (;; k++) {
		size_t g =
		    (size_t)llround(10.0 * pow(10.0, (double)(k + 1) / 30.0));
		if (g > d)
			return g;
	}
}

size_t
cgrid_next(size_t d)
{
	size_t g, i;

	if (d < 10)
		return d + 1;
	g = cgrid_next_log(d);
	for (i = 0; i < CGRID_NSTD; i++)
		if (cgrid_std[i] > d) {
			if (cgrid_std[i] < g)
				g = cgrid_std[i];
			break;
		}
	return g;
}

int
cgrid_pack(const double *mm, size_t n, unsigned char **out, size_t *count)
{
	unsigned char *buf = malloc(CGRID_MAX * 8);
	size_t d, i = 0, b;

	*out = NULL;
	*count = 0;
	if (buf == NULL)
		return -1;
	for (d = 1; d <= n && i < CGRID_MAX; d = cgrid_next(d), i++) {
		uint64_t u;

		memcpy(&u, &mm[d - 1], 8);
		for (b = 0; b < 8; b++)
			buf[8 * i + b] = (unsigned char)(u >> (8 * b));
	}
	*out = buf;
	*count = i;
	return 0;
}

double
cgrid_value(const void *data, size_t len, size_t i)
{
	const unsigned char *p = data;
	uint64_t u = 0;
	double v;
	size_t b;

	if (data == NULL || i >= len / 8)
		return NAN;
	for (b = 0; b < 8; b++)
		u |= (uint64_t)p[8 * i + b] << (8 * b);
	memcpy(&v, &u, 8);
	return v;
}
