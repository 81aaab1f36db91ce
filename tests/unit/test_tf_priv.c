/* test_tf_priv.c: privacy-zone geometry: haversine distances, a point on a circle's edge, poles and the antimeridian, masking and trimming a track and a polyline */
/* links: etl/transform */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "poly.h"
#include "tf.h"
#include "test.h"

#define R 6371008.8
#define PI 3.14159265358979323846
#define M_PER_DEG (R * PI / 180.0) /* 111195.08 m along a meridian */

static void
test_haversine(void)
{
	T_NEAR(tf_priv_haversine(0, 0, 0, 0), 0, 1e-9, "same point: 0 m");
	T_NEAR(tf_priv_haversine(0, 0, 1, 0), M_PER_DEG, 1e-6,
	       "one degree of latitude: R pi / 180");
	T_NEAR(tf_priv_haversine(0, 0, 0, 1), M_PER_DEG, 1e-6,
	       "one degree of longitude on the equator: the same");
	T_NEAR(tf_priv_haversine(0, 0, 90, 0), R * PI / 2, 1e-6,
	       "equator to pole: a quarter circumference");
	T_NEAR(tf_priv_haversine(0, 0, 0, 180), R * PI, 1e-6,
	       "antipodes: half the circumference, no NaN");
	T_NEAR(
	    tf_priv_haversine(60, 0, 60, 1),
	    2 * R * asin(0.5 * sin(0.5 * PI / 180)), 1e-6,
	    "one degree of longitude at 60 degrees: 2R asin(cos 60 sin 0.5)");
	T_NEAR(tf_priv_haversine(45, 7, 46, 8), tf_priv_haversine(46, 8, 45, 7),
	       1e-9, "symmetric");
	T_NEAR(tf_priv_haversine(0, 179.9995, 0, -179.9995), 0.001 * M_PER_DEG,
	       1e-3, "across the antimeridian: 111 m");
}

static void
test_edge(void)
{
	struct tf_priv p;
	double r = 1000, d;

	memset(&p, 0, sizeof(p));
	p.n = 1;
	p.z[0].lat = 0;
	p.z[0].lng = 0;
	p.z[0].radius = r;
	T_OK(tf_priv_active(&p), "a zone makes privacy active");
	T_OK(tf_priv_inside(&p, 0, 0), "the centre is inside");
	d = r / M_PER_DEG;
	T_OK(tf_priv_inside(&p, d, 0),
	     "a point on the circle's edge is inside");
	T_OK(tf_priv_inside(&p, (r + TF_PRIV_MARGIN_M - 0.01) / M_PER_DEG, 0),
	     "a point within the margin beyond the edge is inside");
	T_OK(!tf_priv_inside(&p, (r + TF_PRIV_MARGIN_M + 0.01) / M_PER_DEG, 0),
	     "a point just beyond edge and margin is outside");
	T_OK(!tf_priv_inside(&p, NAN, 0), "a missing position is not inside");
	p.z[0].lat = 90;
	p.z[0].lng = 0;
	p.z[0].radius = 100;
	T_OK(tf_priv_inside(&p, 89.9995, 123),
	     "near the pole at any longitude");
	T_OK(!tf_priv_inside(&p, 89.99, 0), "1.1 km from the pole: outside");
	p.z[0].lat = 0;
	p.z[0].lng = 179.9995;
	p.z[0].radius = 200;
	T_OK(tf_priv_inside(&p, 0, -179.9995),
	     "a zone on the antimeridian holds the point across it");
	memset(&p, 0, sizeof(p));
	T_OK(!tf_priv_active(&p), "no zone and no trim: inactive");
	T_OK(!tf_priv_inside(&p, 0, 0), "no zone: nothing inside");
}

/* 100 points 10 m apart eastwards along the equator. */
static void
track(double *lat, double *lng, double *dist, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		lat[i] = 0;
		lng[i] = (double)i * 10.0 / M_PER_DEG;
		dist[i] = (double)i * 10.0;
	}
}

static void
test_mask(void)
{
	double lat[100], lng[100], dist[100];
	struct tf_priv p;
	size_t left, i;
	int ok = 1;

	memset(&p, 0, sizeof(p));
	p.trim = 45;
	p.n = 1;
	p.z[0].lat = 0;
	p.z[0].lng = 500.0 / M_PER_DEG; /* point 50 */
	p.z[0].radius = 25;
	track(lat, lng, dist, 100);
	left = tf_priv_mask(&p, lat, lng, dist, 100);
	T_OK(left == 85, "trim 45 m and a 25 m zone leave 85 of 100 (%zu)",
	     left);
	for (i = 0; i < 100; i++) {
		int hidden = isnan(lat[i]) && isnan(lng[i]);
		int want = i < 5 || i > 94 || (i >= 48 && i <= 52);

		if (hidden != want)
			ok = 0;
	}
	T_OK(ok, "the first and last 5, and 48..52 around the zone, hidden");
	/* without the distance channel: the haversine path gives the same */
	track(lat, lng, dist, 100);
	left = tf_priv_mask(&p, lat, lng, NULL, 100);
	T_OK(left == 85, "measured along the positions: the same 85 (%zu)",
	     left);
	/* a trim longer than half the route hides it all */
	track(lat, lng, dist, 100);
	p.n = 0;
	p.trim = 600;
	T_OK(tf_priv_mask(&p, lat, lng, dist, 100) == 0,
	     "a trim over half the route hides every point");
	T_OK(tf_priv_mask(&p, lat, lng, dist, 0) == 0, "an empty track");
}

static void
test_polyline(void)
{
	double lat[100], lng[100], dist[100], *la = NULL, *ln = NULL;
	struct tf_priv p;
	char *in, *out;
	size_t n = 0, i;
	int ok = 1;

	track(lat, lng, dist, 100);
	in = poly_encode(lat, lng, 100);
	memset(&p, 0, sizeof(p));
	p.n = 1;
	p.z[0].lat = 0;
	p.z[0].lng = 0; /* the start */
	p.z[0].radius = 100;
	p.trim = 30;
	out = tf_priv_polyline(&p, in);
	T_OK(out != NULL && poly_decode(out, &la, &ln, &n) == 0,
	     "the filtered polyline decodes");
	for (i = 0; i < n; i++)
		if (tf_priv_inside(&p, la[i], ln[i]))
			ok = 0;
	T_OK(ok, "no point of the filtered polyline lies in the zone");
	T_OK(n == 100 - 11 - 3, "zone (11 points) and end trim (3) gone (%zu)",
	     n);
	free(out);
	out = tf_priv_polyline(&p, "not a polyline ~~");
	T_OK(out == NULL, "a malformed polyline gives NULL");
	free(in);
	free(la);
	free(ln);
}

int
main(void)
{
	test_haversine();
	test_edge();
	test_mask();
	test_polyline();
	return T_DONE();
}
