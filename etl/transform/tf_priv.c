/* tf_priv.c: privacy zones and the start/end trim: which positions of a route the map marts leave out */
#include "tf.h"

#include <math.h>   /* sin, cos, asin, sqrt, isfinite, NAN */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* malloc, free */
#include <string.h> /* memset, strdup */

#include "db.h"
#include "poly.h"

#define TF_PRIV_EARTH_M 6371008.8
#define TF_PRIV_D2R (3.14159265358979323846 / 180.0)

double
tf_priv_haversine(double lat1, double lng1, double lat2, double lng2)
{
	double dlat = (lat2 - lat1) * TF_PRIV_D2R;
	double dlng = (lng2 - lng1) * TF_PRIV_D2R;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * TF_PRIV_D2R) * cos(lat2 * TF_PRIV_D2R) *
	               sin(dlng / 2) * sin(dlng / 2);

	if (a > 1) /* rounding near the antipode */
		a = 1;
	if (a < 0)
		a = 0;
	return 2 * TF_PRIV_EARTH_M * asin(sqrt(a));
}

int
tf_priv_active(const struct tf_priv *p)
{
	return p != NULL && (p->n > 0 || p->trim > 0);
}

int
tf_priv_inside(const struct tf_priv *p, double lat, double lng)
{
	size_t i;

	if (p == NULL || !isfinite(lat) || !isfinite(lng))
		return 0;
	for (i = 0; i < p->n; i++)
		if (tf_priv_haversine(p->z[i].lat, p->z[i].lng, lat, lng) <=
		    p->z[i].radius + TF_PRIV_MARGIN_M)
			return 1;
	return 0;
}

/* Metres from the start of each point into d: dist where it is finite
 * throughout, else the haversine path through the finite positions (a
 * point without one keeps the distance so far). */
static void
tf_priv_along(const double *lat, const double *lng, const double *dist,
              size_t n, double *d)
{
	double sum = 0, plat = NAN, plng = NAN;
	size_t i;
	int use = dist != NULL;

	for (i = 0; use && i < n; i++)
		use = isfinite(dist[i]);
	for (i = 0; i < n; i++) {
		if (use) {
			d[i] = dist[i];
			continue;
		}
		if (isfinite(lat[i]) && isfinite(lng[i])) {
			if (isfinite(plat))
				sum += tf_priv_haversine(plat, plng, lat[i],
				                         lng[i]);
			plat = lat[i];
			plng = lng[i];
		}
		d[i] = sum;
	}
}

size_t
tf_priv_mask(const struct tf_priv *p, double *lat, double *lng,
             const double *dist, size_t n)
{
	double *d = NULL, d0 = 0, d1 = 0;
	size_t i, left = 0;
	int first = 1;

	if (p != NULL && p->trim > 0 && n > 0) {
		d = malloc(n * sizeof(double));
		if (d == NULL) { /* cannot measure: hide the whole route */
			for (i = 0; i < n; i++)
				lat[i] = lng[i] = NAN;
			return 0;
		}
		tf_priv_along(lat, lng, dist, n, d);
		for (i = 0; i < n; i++) {
			if (!isfinite(lat[i]) || !isfinite(lng[i]))
				continue;
			if (first || d[i] < d0)
				d0 = d[i];
			if (first || d[i] > d1)
				d1 = d[i];
			first = 0;
		}
	}
	for (i = 0; i < n; i++) {
		int hide = !isfinite(lat[i]) || !isfinite(lng[i]) ||
		           tf_priv_inside(p, lat[i], lng[i]);

		if (!hide && d != NULL)
			hide = d[i] < d0 + p->trim || d[i] > d1 - p->trim;
		if (hide)
			lat[i] = lng[i] = NAN;
		else
			left++;
	}
	free(d);
	return left;
}

char *
tf_priv_polyline(const struct tf_priv *p, const char *poly)
{
	double *lat = NULL, *lng = NULL;
	size_t n = 0, i, k = 0;
	char *out = NULL;

	if (poly == NULL || poly_decode(poly, &lat, &lng, &n) != 0)
		goto out;
	tf_priv_mask(p, lat, lng, NULL, n);
	for (i = 0; i < n; i++)
		if (isfinite(lat[i])) {
			lat[k] = lat[i];
			lng[k] = lng[i];
			k++;
		}
	out = poly_encode(lat, lng, k);
out:
	free(lat);
	free(lng);
	return out;
}

int
tf_priv_load(struct db_conn *db, long long athlete, struct tf_priv *p,
             char *err, size_t errlen)
{
	struct db_param q[1] = {DB_I64(athlete)};
	struct db_res res;
	int f, rc = -1;

	memset(p, 0, sizeof(*p));
	if (db_query(db, TF_PRIV_TRIM, q, 1, &res) != 0)
		goto dberr;
	if ((f = db_fetch(&res)) == 1 && !db_isnull(&res, 0))
		p->trim = db_dbl(&res, 0);
	db_res_free(&res);
	if (f < 0)
		goto dberr;
	if (!(p->trim >= 0))
		p->trim = 0;
	if (db_query(db, TF_PRIV_ZONES, q, 1, &res) != 0)
		goto dberr;
	while ((f = db_fetch(&res)) == 1) {
		if (p->n == TF_PRIV_MAX_ZONES) {
			db_res_free(&res);
			snprintf(err, errlen,
			         "cannot read privacy zones of athlete %lld: "
			         "more than %d",
			         athlete, TF_PRIV_MAX_ZONES);
			goto out;
		}
		p->z[p->n].lat = db_dbl(&res, 0);
		p->z[p->n].lng = db_dbl(&res, 1);
		p->z[p->n].radius = db_dbl(&res, 2);
		p->n++;
	}
	db_res_free(&res);
	if (f < 0)
		goto dberr;
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "cannot read privacy zones of athlete %lld: %s",
	         athlete, db->err);
out:
	if (rc != 0)
		memset(p, 0, sizeof(*p));
	return rc;
}

void
tf_priv_sig(const struct tf_priv *p, char *out, size_t len)
{
	unsigned long long h = 1469598103934665603ULL;
	const unsigned char *b;
	size_t i, k;

	if (len == 0)
		return;
	out[0] = '\0';
	if (!tf_priv_active(p))
		return;
	for (i = 0; i < p->n; i++) {
		b = (const unsigned char *)&p->z[i];
		for (k = 0; k < sizeof(p->z[i]); k++) {
			h ^= b[k];
			h *= 1099511628211ULL;
		}
	}
	b = (const unsigned char *)&p->trim;
	for (k = 0; k < sizeof(p->trim); k++) {
		h ^= b[k];
		h *= 1099511628211ULL;
	}
	snprintf(out, len, "p%016llx", h);
}
