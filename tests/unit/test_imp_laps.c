/* test_imp_laps.c: the laps of the real device files (FIT lap messages, TCX <Lap>s) and the transform's laps and intervals on them, stable */
/* links: etl/import etl/transform */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imp_file.h"
#include "imp_json.h"
#include "met.h"
#include "test.h"
#include "tf.h"
#include "tf_act.h"

#define D "tests/data/files/"

/* Lap messages (global 19) and <Lap> elements counted outside the readers:
 * a walk of the FIT records' headers and definitions, `grep -c '<Lap '`;
 * the intervals the detector finds (FTP 200 W, threshold HR 150 bpm),
 * pinned so that a change to it shows. */
static const struct {
	const char *path, *source;
	size_t laps, intervals;
} cases[] = {
    {D "fit/garmin-fenix-5-run.fit", "fit", 1, 0},
    {D "fit/garmin-fenix-5-run.fit.gz", "fit", 1, 0},
    {D "fit/garmin-edge-820-bike.fit", "fit", 1, 0},
    {D "fit/sample-activity-indoor-trainer.fit", "fit", 5, 2},
    {D "tcx/tcxparser-test.tcx", "tcx", 3, 1},
    {D "tcx/tcxparser-sup_activity_1.tcx", "tcx", 2, 0},
};

/* The transform's build of the imported activity with its laps, as a
 * ride with FTP 200 and threshold HR 150, the athlete without weight (no
 * estimated power: docs/METRICS.md "Laps, splits and intervals"); *laps: its
 * activity_lap rows (malloc'd JSON or NULL). 0 or -1. */
static int
t_build(const struct imp_activity *ia, const char *js, char **laps)
{
	struct tf_settings set;
	struct tf_act a;
	struct tf_out o;
	double t0 = ia->start;
	size_t k;
	int rc;

	memset(&set, 0, sizeof(set));
	memset(&a, 0, sizeof(a));
	a.group =
	    strcmp(imp_sport_group(ia->sport), "run") == 0 ? "run" : "ride";
	a.kj = a.moving = a.elapsed = a.distance = NAN;
	a.avg_hr = a.avg_power = a.max_hr = a.avg_speed = NAN;
	a.cp = a.w_prime = a.bike_weight = a.weight = NAN;
	a.cda = a.crr = a.max_hr_set = a.rest_hr = a.thr_speed = NAN;
	a.ftp = 200;
	a.thr_hr = 150;
	if (ia->n > 0 && (isnan(t0) || ia->t[0] < t0))
		t0 = ia->t[0];
	a.nlaps = ia->nlaps;
	a.lap_start = calloc(ia->nlaps + 1, sizeof(double));
	a.lap_elapsed = calloc(ia->nlaps + 1, sizeof(double));
	for (k = 0; k < ia->nlaps; k++) {
		a.lap_start[k] = ia->laps[k].start - t0;
		a.lap_elapsed[k] = ia->laps[k].elapsed;
	}
	rc = tf_act_build(&a, js, strlen(js), &set, &o);
	*laps = NULL;
	if (rc == 0 && o.laps != NULL)
		*laps = strdup(o.laps);
	if (rc == 0)
		tf_out_free(&o);
	free(a.lap_start);
	free(a.lap_elapsed);
	return rc;
}

/* Rows of kind `kind` in the JSON; each row's figures checked finite or
 * null, durations positive, in time order without overlap. */
static size_t
t_rows(const char *laps, const char *kind, int *sane)
{
	json_t *arr = laps ? json_loads(laps, 0, NULL) : NULL;
	size_t i, c = 0;
	json_int_t end = 0;

	for (i = 0; i < json_array_size(arr); i++) {
		json_t *r = json_array_get(arr, i);
		json_int_t st = json_integer_value(json_array_get(r, 3));
		json_int_t el = json_integer_value(json_array_get(r, 4));

		if (strcmp(json_string_value(json_array_get(r, 0)), kind) != 0)
			continue;
		c++;
		if (el <= 0 || st < end)
			*sane = 0;
		end = st + el;
	}
	json_decref(arr);
	return c;
}

int
main(void)
{
	size_t i, k;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct imp_activity a;
		struct imp_summary s;
		char err[256] = "", *js = NULL, *l1 = NULL, *l2 = NULL;
		const char *p = cases[i].path;
		int rc, ordered = 1, sane = 1;

		imp_activity_init(&a);
		rc = imp_file_load(p, &a, &s, err, sizeof err);
		T_OK(rc == 0, "%s reads (%s)", p, err);
		if (rc != 0) {
			imp_activity_free(&a);
			continue;
		}
		T_OK(
		    a.nlaps == cases[i].laps,
		    "%s: %zu laps, as many as the file's lap records (got %zu)",
		    p, cases[i].laps, a.nlaps);
		T_OK(a.nlaps == 0 || strcmp(a.lap_source, cases[i].source) == 0,
		     "%s: laps from %s", p, cases[i].source);
		for (k = 0; k < a.nlaps; k++) {
			const struct imp_lap *l = &a.laps[k];

			ordered &= !isnan(l->start) && l->elapsed > 0 &&
			           l->start + 1 >= a.start &&
			           (k == 0 || l->start >= a.laps[k - 1].start);
		}
		T_OK(ordered,
		     "%s: every lap has a start at or after the activity's "
		     "and a positive duration, in time order",
		     p);
		js = imp_streams_json(&a);
		rc = js ? t_build(&a, js, &l1) : -1;
		if (rc == 0)
			rc = t_build(&a, js, &l2);
		T_OK(rc == 0, "%s: the transform builds it", p);
		T_OK(rc == 0 && ((l1 == NULL && l2 == NULL) ||
		                 (l1 && l2 && strcmp(l1, l2) == 0)),
		     "%s: laps and intervals the same on a second run", p);
		{
			size_t nl = t_rows(l1, "lap", &sane);
			size_t ni = t_rows(l1, "interval", &sane);

			printf("# %s: %zu laps read, %zu lap rows, %zu "
			       "intervals\n",
			       p, a.nlaps, nl, ni);
			T_OK(a.nlaps < 2 || nl == a.nlaps,
			     "%s: each recorded lap is a lap row", p);
			T_OK(ni == cases[i].intervals,
			     "%s: %zu intervals detected, as before", p,
			     cases[i].intervals);
			T_OK(sane,
			     "%s: rows of positive duration, in order, "
			     "without overlap",
			     p);
			T_OK(l1 == NULL || (strstr(l1, "nan") == NULL &&
			                    strstr(l1, "inf") == NULL),
			     "%s: no NaN or infinity in the rows (athlete "
			     "without weight)",
			     p);
		}
		free(l1);
		free(l2);
		free(js);
		imp_summary_free(&s);
		imp_activity_free(&a);
	}
	return T_DONE();
}
