/* poly.c: Google encoded polyline encode/decode (precision 1e5) */
#include "poly.h"

#include <math.h>   /* llround, isfinite */
#include <stdint.h> /* int64_t */
#include <stdlib.h> /* malloc, free */
#include <string.h> /* strlen */

/* Longest encoding of one value in range: |v| <= 18000000 needs 6 chars. */
#define POLY_MAXCH 7

static size_t
poly_put(char *out, long long v)
{
	unsigned long long u;
	size_t k = 0;

	u = v < 0 ? ~((unsigned long long)v << 1) : (unsigned long long)v << 1;
	while (u >= 0x20) {
		out[k++] = (char)((0x20 | (u & 0x1f)) + 63);
		u >>= 5;
	}
	out[k++] = (char)(u + 63);
	return k;
}

char *
poly_encode(const double *lat, const double *lng, size_t n)
{
	char *out = NULL;
	size_t len = 0, i;
	long long plat = 0, plng = 0;

	if (n > ((size_t)-1) / (2 * POLY_MAXCH) - 1)
		return NULL;
	out = malloc(n * 2 * POLY_MAXCH + 1);
	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		long long a, b;

		if (!isfinite(lat[i]) || !isfinite(lng[i]) ||
		    fabs(lat[i]) > 90.0 || fabs(lng[i]) > 180.0) {
			free(out);
			return NULL;
		}
		a = llround(lat[i] * 1e5);
		b = llround(lng[i] * 1e5);
		len += poly_put(out + len, a - plat);
		len += poly_put(out + len, b - plng);
		plat = a;
		plng = b;
	}
	out[len] = '\0';
	return out;
}

/* Read one value at *pp; 0 or -1 (bad char, truncated, too long). */
static int
poly_get(const char **pp, long long *v)
{
	const char *p = *pp;
	unsigned long long u = 0;
	int shift = 0, c;

	for (;;) {
		c = (unsigned char)*p;
		if (c < 63 || c > 126 || shift > 30)
			return -1;
		p++;
		c -= 63;
		u |= (unsigned long long)(c & 0x1f) << shift;
		shift += 5;
		if (!(c & 0x20))
			break;
	}
	*v = (u & 1) ? ~(long long)(u >> 1) : (long long)(u >> 1);
	*pp = p;
	return 0;
}

int
poly_decode(const char *s, double **lat, double **lng, size_t *n)
{
	int rc = -1;
	size_t cap, k = 0, slen;
	double *a = NULL, *b = NULL;
	long long x = 0, y = 0, dx, dy;
	const char *p = s;

	*lat = NULL;
	*lng = NULL;
	*n = 0;
	if (!s)
		goto out;
	slen = strlen(s);
	cap = slen / 2 + 1; /* each point takes at least 2 chars */
	a = malloc(cap * sizeof *a);
	b = malloc(cap * sizeof *b);
	if (!a || !b)
		goto out;
	while (*p) {
		if (poly_get(&p, &dx) < 0 || !*p || poly_get(&p, &dy) < 0)
			goto out;
		x += dx;
		y += dy;
		if (x > 9000000 || x < -9000000 || y > 18000000 ||
		    y < -18000000)
			goto out;
		a[k] = (double)x / 1e5;
		b[k] = (double)y / 1e5;
		k++;
	}
	if (k == 0) {
		free(a);
		free(b);
		a = b = NULL;
	}
	*lat = a;
	*lng = b;
	*n = k;
	a = b = NULL;
	rc = 0;
out:
	free(a);
	free(b);
	return rc;
}
