/* tcx.c: TCX reader on expat: laps and trackpoints to samples and totals */
#include "tcx.h"

#include <math.h>   /* NAN, isnan */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* calloc */
#include <string.h> /* strcmp */

#include "imp_xml.h"

struct tcx_st {
	struct imp_activity *a;
	int activities; /* <Activity> elements seen */
	int in_tp;
	struct imp_sample s;
	double lap_dist, lap_cal, lap_time, lap_maxspeed, lap_maxhr;
	struct imp_lap cur; /* the <Lap> being read */
	size_t laps, untimed;
	int off_seen, off;
};

static void
tcx_start(struct imp_xml *x, const char *name, const char **attrs)
{
	struct tcx_st *t = x->ud;
	const char *sp;

	if (strcmp(name, "Activity") == 0) {
		t->activities++;
		sp = imp_xml_attr(attrs, "Sport");
		if (t->activities == 1 && sp)
			imp_strcpy(t->a->sport, sizeof t->a->sport,
			           imp_sport_from_word(sp));
		return;
	}
	if (t->activities != 1)
		return;
	if (strcmp(name, "Trackpoint") == 0) {
		t->in_tp = 1;
		imp_sample_clear(&t->s);
	} else if (strcmp(name, "Lap") == 0) {
		const char *st = imp_xml_attr(attrs, "StartTime");
		int has, off;

		t->laps++;
		imp_lap_clear(&t->cur);
		if (st == NULL ||
		    imp_parse_iso(st, &t->cur.start, &has, &off) != 0)
			t->cur.start = NAN;
	}
}

static void
tcx_add(double *sum, double v)
{
	if (isnan(v))
		return;
	*sum = isnan(*sum) ? v : *sum + v;
}

static void
tcx_max(double *m, double v)
{
	if (!isnan(v) && (isnan(*m) || v > *m))
		*m = v;
}

static void
tcx_end(struct imp_xml *x, const char *name)
{
	struct tcx_st *t = x->ud;
	const char *up = imp_xml_up(x, 1), *up2 = imp_xml_up(x, 2);
	double v;

	if (t->activities != 1)
		return;
	if (t->in_tp) {
		if (strcmp(name, "Trackpoint") == 0) {
			t->in_tp = 0;
			if (isnan(t->s.t)) {
				t->untimed++;
				return;
			}
			if (isnan(t->s.lat) || isnan(t->s.lng))
				t->s.lat = t->s.lng = NAN;
			if (imp_activity_add(t->a, &t->s) < 0)
				imp_xml_fail(x, "out of memory");
			return;
		}
		if (strcmp(name, "Time") == 0) {
			double tm;
			int has, off;

			if (imp_parse_iso(x->text, &tm, &has, &off) == 0) {
				t->s.t = tm;
				if (has && !t->off_seen) {
					t->off_seen = 1;
					t->off = off;
				}
			}
			return;
		}
		v = imp_xml_num(x); /* not for <Time>: it is no number */
		if (strcmp(name, "LatitudeDegrees") == 0) {
			t->s.lat = v >= -90 && v <= 90 ? v : NAN;
		} else if (strcmp(name, "LongitudeDegrees") == 0) {
			t->s.lng = v >= -180 && v <= 180 ? v : NAN;
		} else if (strcmp(name, "AltitudeMeters") == 0) {
			t->s.alt = v;
		} else if (strcmp(name, "DistanceMeters") == 0) {
			t->s.dist = v;
		} else if (strcmp(name, "Value") == 0 &&
		           strcmp(up, "HeartRateBpm") == 0) {
			t->s.hr = v;
		} else if (strcmp(name, "Cadence") == 0 ||
		           strcmp(name, "RunCadence") == 0) {
			if (isnan(t->s.cad))
				t->s.cad = v;
		} else if (strcmp(name, "Speed") == 0) {
			t->s.speed = v;
		} else if (strcmp(name, "Watts") == 0) {
			t->s.watts = v;
		}
		return;
	}
	if (strcmp(name, "Lap") == 0) {
		t->a->lap_source = "tcx";
		if (imp_activity_lap(t->a, &t->cur) < 0)
			imp_xml_fail(x, "out of memory");
		return;
	}
	v = imp_xml_num(x);
	if (strcmp(up, "Lap") == 0) {
		if (strcmp(name, "DistanceMeters") == 0) {
			tcx_add(&t->lap_dist, v);
			t->cur.distance = v;
		} else if (strcmp(name, "TotalTimeSeconds") == 0) {
			tcx_add(&t->lap_time, v);
			t->cur.moving = v;
		} else if (strcmp(name, "Calories") == 0) {
			tcx_add(&t->lap_cal, v);
			t->cur.calories = v;
		} else if (strcmp(name, "MaximumSpeed") == 0) {
			tcx_max(&t->lap_maxspeed, v);
			t->cur.max_speed = v;
		} else if (strcmp(name, "Cadence") == 0) {
			t->cur.avg_cad = v;
		}
	} else if (strcmp(name, "Value") == 0 &&
	           strcmp(up, "MaximumHeartRateBpm") == 0 &&
	           strcmp(up2, "Lap") == 0) {
		tcx_max(&t->lap_maxhr, v);
		t->cur.max_hr = v;
	} else if (strcmp(name, "Value") == 0 &&
	           strcmp(up, "AverageHeartRateBpm") == 0 &&
	           strcmp(up2, "Lap") == 0) {
		t->cur.avg_hr = v;
	} else if (strcmp(name, "Notes") == 0 && strcmp(up, "Activity") == 0 &&
	           x->text[0] && !t->a->description) {
		t->a->description = strdup(x->text);
	} else if (strcmp(name, "Name") == 0 && strcmp(up, "Creator") == 0 &&
	           !t->a->device[0]) {
		imp_strcpy(t->a->device, sizeof t->a->device, x->text);
	}
}

/* TCX states a lap's timer time only: its elapsed time runs to the next
 * lap's start (the last lap's to the last trackpoint), else the timer
 * time. */
static void
tcx_lap_elapsed(struct imp_activity *a)
{
	size_t k;

	for (k = 0; k < a->nlaps; k++) {
		struct imp_lap *l = &a->laps[k];
		double end =
		    k + 1 < a->nlaps ? a->laps[k + 1].start : a->t[a->n - 1];

		l->elapsed = !isnan(l->start) && !isnan(end) && end > l->start
		                 ? end - l->start
		                 : l->moving;
	}
}

int
tcx_read(struct imp_in *in, struct imp_activity *a, char *err, size_t errlen)
{
	int rc = -1;
	struct imp_xml x;
	struct tcx_st *t = calloc(1, sizeof *t);

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(&x, 0, sizeof x);
	t->a = a;
	t->lap_dist = t->lap_cal = t->lap_time = NAN;
	t->lap_maxspeed = t->lap_maxhr = NAN;
	x.ud = t;
	x.on_start = tcx_start;
	x.on_end = tcx_end;
	if (imp_xml_run(&x, in, err, errlen) < 0)
		goto out;
	if (t->activities == 0) {
		snprintf(err, errlen, "no <Activity> in the file");
		goto out;
	}
	if (a->n == 0) {
		snprintf(err, errlen, "no trackpoint with a time");
		goto out;
	}
	if (t->activities > 1)
		imp_activity_warn(a,
		                  "%d activities in the file: only the "
		                  "first imported",
		                  t->activities);
	if (t->untimed)
		imp_activity_warn(a, "%zu trackpoints without a time skipped",
		                  t->untimed);
	tcx_lap_elapsed(a);
	a->tot.distance = t->lap_dist;
	a->tot.calories = t->lap_cal;
	a->tot.max_speed = t->lap_maxspeed;
	a->tot.max_hr = t->lap_maxhr;
	if (t->off_seen) {
		a->has_offset = 1;
		a->utc_offset = t->off;
	}
	if (!a->sport[0])
		snprintf(a->sport, sizeof a->sport, "Workout");
	rc = 0;
out:
	free(t);
	return rc;
}
