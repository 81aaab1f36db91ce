/* test_imp_files.c: every sample file: sport, start, duration, distance as the file says; polyline round trip */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imp_file.h"
#include "imp_json.h"
#include "poly.h"
#include "test.h"

#define D "tests/data/files/"

/* Expected values read from each file's own session, laps or track
 * (independently: golden CSVs, the XML text; see tests/data/SOURCES.md). */
static const struct {
	const char *path, *sport;
	double start, elapsed, distance; /* NaN distance: no positions */
} cases[] = {
    /* golden first record 07:34:09 PDT, last 07:35:06 PDT, 157.56 m */
    {D "fit/garmin-fenix-5-run.fit", "Run", 1497191649, 57, 157.56},
    {D "fit/garmin-fenix-5-run.fit.gz", "Run", 1497191649, 57, 157.56},
    /* golden first record 09:10:15 PDT, last distance 457.1 m */
    {D "fit/garmin-edge-820-bike.fit", "Ride", 1497283815, 65, 457.12},
    {D "fit/sample-activity-indoor-trainer.fit", "Ride", 1320238459, 2262, 0},
    {D "gpx/cerknicko-jezero.gpx", "Workout", 1281018239, 7190, 13665.0},
    {D "gpx/gpx1.1_with_all_fields.gpx", "Workout", 1357041604, 0, 0},
    {D "gpx/gpx_with_garmin_extension.gpx", "Workout", 1466206863, 0, 0},
    {D "gpx/strava-offline-export_gpx-synthetic.gpx", "Ride", 1603699200, 0, 0},
    /* laps: 4689.24 m; first <Time> 21:29:53Z, last 1992 s later */
    {D "tcx/tcxparser-test.tcx", "Run", 1356557393, 1992, 4689.24},
    {D "tcx/tcxparser-sup_activity_1.tcx", "Workout", 1657987705, 1112,
     1157.51},
};

int
main(void)
{
	size_t i, j;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct imp_activity a;
		struct imp_summary s;
		char err[256] = "";
		const char *p = cases[i].path;
		double *la = NULL, *ln = NULL, worst = 0;
		size_t n = 0, k = 0;
		int rc;

		imp_activity_init(&a);
		rc = imp_file_load(p, &a, &s, err, sizeof err);
		T_OK(rc == 0, "%s reads (%s)", p, err);
		if (rc != 0) {
			imp_activity_free(&a);
			continue;
		}
		T_OK(strcmp(a.sport, cases[i].sport) == 0, "%s: sport %s (%s)",
		     p, cases[i].sport, a.sport);
		T_NEAR(s.start, cases[i].start, 0.5, "start time");
		T_NEAR(s.elapsed, cases[i].elapsed, 1.0, "elapsed time");
		T_NEAR(s.distance, cases[i].distance,
		       0.001 * cases[i].distance + 0.1, "distance");
		T_OK(poly_decode(s.polyline, &la, &ln, &n) == 0,
		     "%s: polyline decodes", p);
		for (j = 0; j < a.n; j++) {
			if (isnan(a.lat[j]) || isnan(a.lng[j]))
				continue;
			if (k >= n) {
				worst = 1;
				break;
			}
			if (fabs(la[k] - a.lat[j]) > worst)
				worst = fabs(la[k] - a.lat[j]);
			if (fabs(ln[k] - a.lng[j]) > worst)
				worst = fabs(ln[k] - a.lng[j]);
			k++;
		}
		T_OK(k == n && worst <= 1e-5,
		     "%s: polyline is the track (%zu points, worst %.2g deg)",
		     p, n, worst);
		{
			char *js = imp_streams_json(&a);
			json_t *sj = imp_summary_json(&a, &s, -1, 1, "x");

			T_OK(js && strstr(js, "\"time\":{\"data\":[0") &&
			         strstr(js, "\"series_type\":\"time\""),
			     "%s: streams JSON in key_by_type shape", p);
			T_OK(sj &&
			         json_is_string(
			             json_object_get(sj, "sport_type")) &&
			         json_object_get(json_object_get(sj, "map"),
			                         "summary_polyline"),
			     "%s: summary JSON has sport_type and map", p);
			free(js);
			json_decref(sj);
		}
		free(la);
		free(ln);
		imp_summary_free(&s);
		imp_activity_free(&a);
	}
	return T_DONE();
}
