/* test_poly.c: Google polyline encode/decode against known strings and round trips */
#include <stdlib.h>
#include <string.h>

#include "poly.h"
#include "test.h"

int
main(void)
{
	/* Google's documented example. */
	double lat[] = {38.5, 40.7, 43.252};
	double lng[] = {-120.2, -120.95, -126.453};
	const char *want = "_p~iF~ps|U_ulLnnqC_mqNvxq`@";
	char *s = poly_encode(lat, lng, 3);
	double *la = NULL, *ln = NULL;
	size_t n = 0, i;
	int rc;

	T_OK(s && strcmp(s, want) == 0, "encode google example (%s)",
	     s ? s : "NULL");
	free(s);

	rc = poly_decode(want, &la, &ln, &n);
	T_OK(rc == 0 && n == 3, "decode google example gives 3 points");
	for (i = 0; rc == 0 && i < n; i++) {
		T_NEAR(la[i], lat[i], 1e-9, "decoded lat");
		T_NEAR(ln[i], lng[i], 1e-9, "decoded lng");
	}
	free(la);
	free(ln);

	s = poly_encode(lat, lng, 0);
	T_OK(s && *s == '\0', "encode of no points is empty string");
	free(s);
	rc = poly_decode("", &la, &ln, &n);
	T_OK(rc == 0 && n == 0 && !la && !ln, "decode of empty is 0 points");

	/* Round trip of a random walk within 1e-5. */
	{
		enum { N = 5000 };
		double *ya = malloc(N * sizeof *ya),
		       *xa = malloc(N * sizeof *xa);
		double worst = 0;
		unsigned seed = 12345;

		ya[0] = 51.5;
		xa[0] = -0.12;
		for (i = 1; i < N; i++) {
			seed = seed * 1103515245u + 12345u;
			ya[i] = ya[i - 1] +
			        ((double)(seed >> 16 & 0xff) - 127.5) * 1e-5;
			seed = seed * 1103515245u + 12345u;
			xa[i] = xa[i - 1] +
			        ((double)(seed >> 16 & 0xff) - 127.5) * 1e-5;
		}
		s = poly_encode(ya, xa, N);
		rc = s ? poly_decode(s, &la, &ln, &n) : -1;
		T_OK(rc == 0 && n == N, "round trip of %d points", N);
		for (i = 0; rc == 0 && i < n; i++) {
			if (fabs(la[i] - ya[i]) > worst)
				worst = fabs(la[i] - ya[i]);
			if (fabs(ln[i] - xa[i]) > worst)
				worst = fabs(ln[i] - xa[i]);
		}
		T_OK(worst <= 0.5e-5 + 1e-12, "round trip error %.2g <= 5e-6",
		     worst);
		free(s);
		free(la);
		free(ln);
		free(ya);
		free(xa);
	}

	/* Extremes. */
	{
		double y2[] = {90, -90, 0}, x2[] = {180, -180, 0};
		s = poly_encode(y2, x2, 3);
		rc = s ? poly_decode(s, &la, &ln, &n) : -1;
		T_OK(rc == 0 && n == 3 && la[0] == 90 && ln[1] == -180,
		     "extremes round trip");
		free(s);
		free(la);
		free(ln);
		x2[0] = 181;
		s = poly_encode(y2, x2, 3);
		T_OK(s == NULL, "lng 181 refused");
		x2[0] = NAN;
		s = poly_encode(y2, x2, 3);
		T_OK(s == NULL, "NaN refused");
	}

	/* Malformed input. */
	{
		const char *bad[] = {
		    "_p~iF",                    /* odd number of values */
		    "_p~iF~ps|U_",              /* truncated continuation */
		    "_p~iF~ps|U_ulL",           /* lat without lng */
		    "abc def",                  /* space is below 63 */
		    "\x7f\x7f",                 /* above 126 */
		    "~~~~~~~~~~~~~~~~~~~~~~~~", /* endless continuation */
		    "_sdpH?_sdpH?",             /* lat runs past 90 */
		};
		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			rc = poly_decode(bad[i], &la, &ln, &n);
			T_OK(rc == -1 && !la && !ln && n == 0,
			     "malformed input %zu refused", i);
		}
		rc = poly_decode(NULL, &la, &ln, &n);
		T_OK(rc == -1, "NULL refused");
	}
	return T_DONE();
}
