/* dp.c: Douglas-Peucker simplification of a lat/lng track with a tolerance in metres */
#include "dp.h"

#include <math.h>   /* cos, sqrt */
#include <stdlib.h> /* malloc, free */
#include <string.h> /* memset */

#define DP_EARTH_M 6371008.8
#define DP_PI 3.14159265358979323846

/* Squared distance of p from segment a-b in the plane. */
static double
dp_seg_dist2(double px, double py, double ax, double ay, double bx, double by)
{
	double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy, t;

	if (l2 > 0) {
		t = ((px - ax) * dx + (py - ay) * dy) / l2;
		if (t < 0)
			t = 0;
		else if (t > 1)
			t = 1;
		ax += t * dx;
		ay += t * dy;
	}
	dx = px - ax;
	dy = py - ay;
	return dx * dx + dy * dy;
}

size_t
dp_simplify(const double *lat, const double *lng, size_t n, double tol_m,
            unsigned char *keep)
{
	double *x = NULL, *y = NULL, mlat = 0, kx, ky, tol2 = tol_m * tol_m;
	size_t *stack = NULL, sp = 0, i, kept = 0;

	if (n == 0)
		return 0;
	memset(keep, 0, n);
	keep[0] = keep[n - 1] = 1;
	if (n <= 2)
		return n;
	x = malloc(n * sizeof(*x));
	y = malloc(n * sizeof(*y));
	stack = malloc(2 * n * sizeof(*stack));
	if (x == NULL || y == NULL || stack == NULL)
		goto out;
	for (i = 0; i < n; i++)
		mlat += lat[i];
	mlat /= (double)n;
	ky = DP_EARTH_M * DP_PI / 180.0;
	kx = ky * cos(mlat * DP_PI / 180.0);
	for (i = 0; i < n; i++) {
		x[i] = lng[i] * kx;
		y[i] = lat[i] * ky;
	}
	stack[sp++] = 0;
	stack[sp++] = n - 1;
	while (sp > 0) {
		size_t b = stack[--sp], a = stack[--sp], far = 0;
		double dmax = -1;

		for (i = a + 1; i < b; i++) {
			double d =
			    dp_seg_dist2(x[i], y[i], x[a], y[a], x[b], y[b]);

			if (d > dmax) {
				dmax = d;
				far = i;
			}
		}
		if (dmax > tol2) {
			keep[far] = 1;
			stack[sp++] = a;
			stack[sp++] = far;
			stack[sp++] = far;
			stack[sp++] = b;
		}
	}
	for (i = 0; i < n; i++)
		kept += keep[i];
out:
	free(x);
	free(y);
	free(stack);
	return kept;
}
