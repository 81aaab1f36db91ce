/* test_imp_jw.c: the streams JSON writer prints every number and every activity's StreamSet byte for byte as the jansson code it replaced */
/* links: etl/import */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imp_file.h"
#include "imp_json.h"
#include "imp_jw.h"
#include "test.h"

/* What json_dumps prints for json_real(v); NULL when jansson refuses v. */
static char *
ref_real(double v, int prec)
{
	json_t *j = json_real(v);
	char *s;

	if (!j)
		return NULL;
	s = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT |
	                      JSON_REAL_PRECISION(prec));
	json_decref(j);
	return s;
}

/* 1 when imp_jw_fmt_real and jansson agree on v (both refusing counts). */
static int
same_real(double v, int prec, char *why, size_t len)
{
	char buf[64];
	int n = imp_jw_fmt_real(buf, sizeof buf, v, prec);
	char *want = ref_real(v, prec);
	int ok;

	if (!want)
		ok = n < 0;
	else
		ok = n >= 0 && (size_t)n == strlen(want) &&
		     strcmp(buf, want) == 0;
	if (!ok)
		snprintf(why, len, "%.17g prec %d: got '%s', want '%s'", v,
		         prec, n < 0 ? "(refused)" : buf,
		         want ? want : "(refused)");
	free(want);
	return ok;
}

static double
next_unit(void)
{
	return (double)(t_rand() >> 11) / 9007199254740992.0;
}

static void
test_numbers(void)
{
	static const double edge[] = {
	    0.0,          -0.0,          1.0,
	    -1.0,         0.1,           -0.1,
	    1e-7,         -1e-7,         1e21,
	    -1e21,        1e-4,          -1e-4,
	    9.9999e-5,    0.00011,       5e-6,
	    1e9,          999999999.9,   1e10,
	    9999999999.0, 12345678901.0, 1e15,
	    1e16,         1e17,          1e300,
	    -1e-300,      4.9e-324,      1.7976931348623157e308,
	    0.3,          2.675,         47.123456,
	    -122.654321,  8848.8,        -0.05,
	    -0.04,        123456.7,      0.001,
	    0.0005,       3.0,           1e2,
	    100000.0,     1e5 + 0.5,     0.1 + 0.2,
	    1.0 / 3,      2.0 / 3,       NAN,
	    INFINITY,     -INFINITY,     -NAN,
	};
	static const double scales[] = {1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7};
	static const int precs[] = {10, 12, 1, 5, 15, 16, 17};
	char why[256] = "";
	size_t i, k, bad = 0, n = 0;

	for (k = 0; k < sizeof precs / sizeof precs[0]; k++)
		for (i = 0; i < sizeof edge / sizeof edge[0]; i++) {
			n++;
			if (!same_real(edge[i], precs[k], why, sizeof why))
				bad++;
		}
	T_OK(bad == 0, "%zu edge values as jansson prints them (%s)", n, why);

	/* rounded as the streams are: what the fast path sees */
	bad = n = 0;
	for (i = 0; i < 400000; i++) {
		double mag = pow(10, next_unit() * 14 - 5);
		double s = scales[t_rand() % 8];
		double x = (t_rand() & 1 ? -1 : 1) * mag * next_unit();
		double v = round(x * s) / s;

		n++;
		if (!same_real(v, i % 4 ? 10 : 12, why, sizeof why) && !bad++)
			T_OK(0, "rounded value (%s)", why);
	}
	T_OK(bad == 0, "%zu rounded values, %zu differ from jansson", n, bad);

	/* any bit pattern at all */
	bad = n = 0;
	for (i = 0; i < 200000; i++) {
		uint64_t u = t_rand();
		double v;

		memcpy(&v, &u, sizeof v);
		n++;
		if (!same_real(v, 10, why, sizeof why) && !bad++)
			T_OK(0, "random bits (%s)", why);
	}
	T_OK(bad == 0, "%zu random doubles, %zu differ from jansson", n, bad);
}

static void
test_writer(void)
{
	struct imp_jw w;
	char *s;

	imp_jw_init(&w, 0);
	imp_jw_lit(&w, "[");
	imp_jw_int(&w, -9223372036854775807LL - 1);
	imp_jw_raw(&w, ",", 1);
	imp_jw_int(&w, 0);
	imp_jw_raw(&w, ",", 1);
	imp_jw_real(&w, -0.0, 10);
	imp_jw_raw(&w, ",", 1);
	imp_jw_real(&w, 1e21, 10);
	imp_jw_lit(&w, "]");
	s = imp_jw_take(&w);
	T_OK(s && strcmp(s, "[-9223372036854775808,0,-0.0,1e21]") == 0,
	     "integers and reals written in order (%s)", s ? s : "NULL");
	free(s);

	imp_jw_init(&w, 0);
	imp_jw_real(&w, NAN, 10);
	imp_jw_lit(&w, "1");
	s = imp_jw_take(&w);
	T_OK(s == NULL, "a NaN fails the text, as json_real refuses it");
	free(s);
}

#include "test_imp_jw_ref.h"

/* The old jansson output and the writer's agree on activity a. */
static void
same_streams(const struct imp_activity *a, const char *what)
{
	char *got = imp_streams_json(a), *want = ref_streams_json(a);

	T_OK((got == NULL && want == NULL) ||
	         (got && want && strcmp(got, want) == 0),
	     "%s: streams JSON identical to jansson's (%zu bytes)", what,
	     want ? strlen(want) : 0);
	free(got);
	free(want);
}

static void
test_files(void)
{
	static const char *files[] = {
	    "tests/data/files/fit/garmin-fenix-5-run.fit",
	    "tests/data/files/fit/garmin-edge-820-bike.fit",
	    "tests/data/files/fit/sample-activity-indoor-trainer.fit",
	    "tests/data/files/gpx/cerknicko-jezero.gpx",
	    "tests/data/files/gpx/gpx1.1_with_all_fields.gpx",
	    "tests/data/files/gpx/gpx_with_garmin_extension.gpx",
	    "tests/data/files/gpx/strava-offline-export_gpx-synthetic.gpx",
	    "tests/data/files/tcx/tcxparser-test.tcx",
	    "tests/data/files/tcx/tcxparser-sup_activity_1.tcx",
	};
	size_t i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct imp_activity a;
		struct imp_summary s;
		struct imp_in in;
		char err[256] = "";
		int rc;

		imp_activity_init(&a);
		memset(&s, 0, sizeof s);
		rc = imp_in_file(&in, files[i]);
		if (rc == 0)
			rc = imp_file_read(&in, imp_file_format(files[i]), &a,
			                   err, sizeof err);
		imp_in_close(&in);
		if (rc == 0)
			rc = imp_activity_finish(&a, &s, err, sizeof err);
		T_OK(rc == 0, "%s reads (%s)", files[i], err);
		if (rc == 0)
			same_streams(&a, files[i]);
		imp_summary_free(&s);
		imp_activity_free(&a);
	}
}

/* Synthetic samples: every channel, gaps, negatives, tiny and huge values,
 * thinned (stride 2), and with speed but no distance. */
static void
test_synthetic(void)
{
	int variant;

	for (variant = 0; variant < 4; variant++) {
		struct imp_activity a;
		struct imp_summary s;
		char err[256] = "", what[64];
		size_t i;

		imp_activity_init(&a);
		memset(&s, 0, sizeof s);
		for (i = 0; i < 5000; i++) {
			struct imp_sample p;
			double u = next_unit();

			imp_sample_clear(&p);
			p.t = 1600000000.0 + (double)i * (variant ? 1.0 : 0.5) +
			      (variant == 2 ? u : 0);
			if (i % 7 != 3) {
				p.lat = -33.5 + u * 1e-3 + (double)i * 1e-5;
				p.lng = 151.2 - u * 1e-3;
			}
			if (i % 11 != 5)
				p.alt = variant == 3 ? 1e-5 * u - 2e-5
				                     : -20 + 40 * u;
			if (variant != 1 && i % 13 != 0)
				p.dist =
				    (double)i * 3.3 + u * 1e7 * (variant == 3);
			if (variant == 1)
				p.speed = u * 12.345678;
			p.hr = i % 5 ? 120 + 60 * u : NAN;
			p.cad = 80.5 + u;
			p.watts = variant == 3 ? 2e9 * u : 250 * u;
			p.temp = -5.5 + u;
			imp_activity_add(&a, &p);
		}
		if (variant == 2)
			a.stride = 2;
		snprintf(what, sizeof what, "synthetic activity %d", variant);
		T_OK(imp_activity_finish(&a, &s, err, sizeof err) == 0,
		     "%s finishes (%s)", what, err);
		same_streams(&a, what);
		imp_summary_free(&s);
		imp_activity_free(&a);
	}
}

int
main(void)
{
	test_numbers();
	test_writer();
	test_files();
	test_synthetic();
	return T_DONE();
}
