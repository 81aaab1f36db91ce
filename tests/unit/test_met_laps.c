/* test_met_laps.c: span figures, recorded laps mapped, automatic splits and interval detection on synthetic sessions, exact values */
/* links: etl/transform */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "met.h"
#include "test.h"

#define FTP 250.0

/* A cleaned series of n seconds, every second moving, no channel. */
static void
t_series(struct met_series *s, size_t n)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->pause = calloc(n, 1);
	s->ch[MET_MOVING] = malloc(n * sizeof(double));
	s->moving = malloc(n);
	for (i = 0; i < n; i++) {
		s->ch[MET_MOVING][i] = 1;
		s->moving[i] = 1;
	}
}

/* Uniform in [-1, 1] from the test's deterministic generator. */
static double
t_unit(void)
{
	return (double)(t_rand() >> 11) / 4503599627370496.0 - 1.0;
}

/* The synthetic ride: 10 min at 60 % FTP, 5 x (4 min at 110 %, 3 min at
 * 50 %), 10 min at 60 %; noise: +-10 % per second; drop: a 5 s dropout
 * (NaN) 100 s into each effort. Returns n; w has room for 3300. */
static size_t
t_ride(double *w, int noise, int drop)
{
	size_t t = 0, i, k;

	for (i = 0; i < 600; i++)
		w[t++] = 0.60 * FTP;
	for (k = 0; k < 5; k++) {
		for (i = 0; i < 240; i++)
			w[t++] =
			    (drop && i >= 100 && i < 105) ? NAN : 1.10 * FTP;
		for (i = 0; i < 180; i++)
			w[t++] = 0.50 * FTP;
	}
	for (i = 0; i < 600; i++)
		w[t++] = 0.60 * FTP;
	if (noise)
		for (i = 0; i < t; i++)
			if (!isnan(w[i]))
				w[i] *= 1.0 + 0.10 * t_unit();
	return t;
}

static void
t_check_ride(const char *what, int noise, int drop)
{
	struct met_series s;
	struct met_range *r = NULL;
	struct met_span sp;
	size_t n, k, ok_len = 0, ok_start = 0, ok_int = 0;
	long m;

	t_series(&s, 3300);
	s.ch[MET_WATTS] = malloc(3300 * sizeof(double));
	n = t_ride(s.ch[MET_WATTS], noise, drop);
	T_OK(n == 3300, "%s: the session is 3300 s", what);
	m = met_intervals(s.ch[MET_WATTS], s.pause, n, MET_IV_ON_POWER * FTP,
	                  &r);
	T_OK(m == 5, "%s: exactly five intervals (got %ld)", what, m);
	for (k = 0; m > 0 && k < (size_t)m; k++) {
		size_t truth = 600 + k * 420;

		met_span_figures(&s, NULL, NULL, r[k], &sp);
		sp.intensity = sp.avg_power / FTP;
		ok_len += sp.elapsed >= 238 && sp.elapsed <= 242;
		ok_start += sp.start + 2 >= truth && sp.start <= truth + 2;
		ok_int += fabs(sp.intensity - 1.10) <= 0.02;
		if (!(sp.elapsed >= 238 && sp.elapsed <= 242) ||
		    !(sp.start + 2 >= truth && sp.start <= truth + 2) ||
		    !(fabs(sp.intensity - 1.10) <= 0.02))
			printf("# %s: interval %zu at %zu for %zu s, %.4f\n",
			       what, k, sp.start, sp.elapsed, sp.intensity);
	}
	T_OK(m == 5 && ok_len == 5, "%s: each lasts 240 +- 2 s", what);
	T_OK(m == 5 && ok_start == 5, "%s: each starts within 2 s of the truth",
	     what);
	T_OK(m == 5 && ok_int == 5, "%s: each at intensity 1.10 +- 0.02", what);
	free(r);
	met_series_free(&s);
}

/* 6 x 3 min at 105 % threshold speed with 2 min at 70 %, 10 min at 75 %
 * before and after; speed and a distance channel. */
static void
t_check_run(void)
{
	const double thr = 4.0; /* m/s */
	struct met_series s;
	struct met_range *r = NULL;
	struct met_span sp;
	size_t n = 600 + 6 * 300 + 600, t = 0, i, k, good = 0;
	double d = 0;
	long m;

	t_series(&s, n);
	s.ch[MET_VEL] = malloc(n * sizeof(double));
	s.ch[MET_DIST] = malloc(n * sizeof(double));
	for (i = 0; i < 600; i++)
		s.ch[MET_VEL][t++] = 0.75 * thr;
	for (k = 0; k < 6; k++) {
		for (i = 0; i < 180; i++)
			s.ch[MET_VEL][t++] = 1.05 * thr;
		for (i = 0; i < 120; i++)
			s.ch[MET_VEL][t++] = 0.70 * thr;
	}
	for (i = 0; i < 600; i++)
		s.ch[MET_VEL][t++] = 0.75 * thr;
	for (i = 0; i < n; i++) {
		s.ch[MET_VEL][i] *= 1.0 + 0.05 * t_unit();
		d += i > 0 ? s.ch[MET_VEL][i] : 0;
		s.ch[MET_DIST][i] = d;
	}
	m = met_intervals(s.ch[MET_VEL], s.pause, n, MET_IV_ON_SPEED * thr, &r);
	T_OK(m == 6, "run: exactly six intervals (got %ld)", m);
	for (k = 0; m == 6 && k < 6; k++) {
		met_span_figures(&s, NULL, NULL, r[k], &sp);
		good += sp.start + 2 >= 600 + k * 300 &&
		        sp.start <= 602 + k * 300 && sp.elapsed >= 178 &&
		        sp.elapsed <= 182 &&
		        fabs(sp.avg_speed / thr - 1.05) <= 0.02;
	}
	T_OK(good == 6, "run: each 180 +- 2 s, at its start +- 2 s, 1.05 +- "
	                "0.02 of threshold speed");
	free(r);
	met_series_free(&s);
}

static void
t_check_steady(void)
{
	struct met_series s;
	struct met_range *r = NULL;
	size_t i;
	long m;

	t_series(&s, 3600);
	s.ch[MET_WATTS] = malloc(3600 * sizeof(double));
	for (i = 0; i < 3600; i++)
		s.ch[MET_WATTS][i] = 0.70 * FTP * (1.0 + 0.10 * t_unit());
	m = met_intervals(s.ch[MET_WATTS], s.pause, 3600, MET_IV_ON_POWER * FTP,
	                  &r);
	T_OK(m == 0 && r == NULL, "steady ride at 70 %%: no interval (got %ld)",
	     m);
	m = met_intervals(NULL, NULL, 0, 200, &r);
	T_OK(m == 0 && r == NULL, "no series: no interval");
	free(r);
	met_series_free(&s);
}

/* Figures of a hand-made 100 s span: exact values. */
static void
t_check_figures(void)
{
	struct met_series s;
	struct met_span sp;
	struct met_range r = {10, 70};
	size_t i;

	t_series(&s, 100);
	s.ch[MET_WATTS] = malloc(100 * sizeof(double));
	s.ch[MET_HR] = malloc(100 * sizeof(double));
	s.ch[MET_DIST] = malloc(100 * sizeof(double));
	s.ch[MET_ALT] = malloc(100 * sizeof(double));
	s.ch[MET_CAD] = malloc(100 * sizeof(double));
	for (i = 0; i < 100; i++) {
		s.ch[MET_WATTS][i] = i < 40 ? 100 : 300;
		s.ch[MET_HR][i] = 100 + (double)i;
		s.ch[MET_DIST][i] = 5.0 * (double)i;
		s.ch[MET_ALT][i] = (double)i; /* 1 m per second */
		s.ch[MET_CAD][i] = i % 2 ? 90 : 0;
	}
	s.moving[20] = 0; /* a stopped second */
	s.ch[MET_HR][30] = NAN;
	met_span_figures(&s, NULL, NULL, r, &sp);
	T_OK(sp.start == 10 && sp.elapsed == 60, "span: start 10, 60 s");
	T_OK(sp.moving == 59, "span: 59 moving s (got %zu)", sp.moving);
	T_NEAR(sp.distance, 300.0, 1e-9, "span: distance 70*5 - 10*5 = 300 m");
	T_NEAR(sp.avg_speed, 300.0 / 59.0, 1e-9, "span: 300 m / 59 s");
	T_NEAR(sp.avg_power, (30 * 100 + 30 * 300) / 60.0, 1e-9,
	       "span: avg power 200 W");
	T_NEAR(sp.max_power, 300, 0, "span: max power");
	T_OK(!isnan(sp.np) && sp.np > 200 && sp.np < 300,
	     "span: NP between avg and max (%.3f)", sp.np);
	T_NEAR(sp.max_hr, 169, 0, "span: max HR");
	T_NEAR(sp.avg_hr, (60 * 139.5 - 130.0) / 59.0, 1e-9,
	       "span: avg HR, the NaN second skipped");
	T_NEAR(sp.avg_cad, 90, 0, "span: cadence above 0 only");
	T_NEAR(sp.max_cad, 90, 0, "span: max cadence");
	T_NEAR(sp.elev_gain, 58, 0, "span: 59 m climbed in 2 m steps: 58");
	T_OK(isnan(sp.gap) && isnan(sp.intensity) && sp.basis == MET_BASIS_NONE,
	     "span: no GAP without inc/adj, no intensity");
	r.start = 0;
	r.end = 20;
	met_span_figures(&s, NULL, NULL, r, &sp);
	T_OK(isnan(sp.np), "span: NP null under 30 s");
	T_NEAR(sp.distance, 100.0, 1e-9, "span from 0: dist[20] - dist[0]");
	free(s.ch[MET_ALT]);
	s.ch[MET_ALT] = NULL;
	free(s.ch[MET_DIST]);
	s.ch[MET_DIST] = NULL;
	s.ch[MET_VEL] = calloc(100, sizeof(double));
	for (i = 0; i < 100; i++)
		s.ch[MET_VEL][i] = 2.0;
	s.pause[5] = 1;
	met_span_figures(&s, NULL, NULL, r, &sp);
	T_OK(isnan(sp.elev_gain), "span without altitude: elevation gain NaN");
	T_NEAR(sp.distance, 38.0, 1e-9,
	       "span without distance: speed summed outside pauses");
	free(s.ch[MET_VEL]);
	s.ch[MET_VEL] = NULL;
	met_span_figures(&s, NULL, NULL, r, &sp);
	T_OK(isnan(sp.distance) && isnan(sp.avg_speed) && isnan(sp.max_speed),
	     "span without speed or distance: distance and speeds NaN");
	met_series_free(&s);
}

/* Bad laps: zero or negative duration, beyond the end, overlapping. */
static void
t_check_laps_map(void)
{
	const double st[] = {0, 100, 100, 250, 90, 1000, -5, 400, 480};
	const double el[] = {100, 0, -10, 200, 50, 60, 8, NAN, 100};
	struct met_range r[9];
	size_t m = met_laps_map(st, el, 9, 500, r);

	T_OK(m == 5, "laps: 5 of 9 kept (got %zu)", m);
	T_OK(m == 5 && r[0].start == 0 && r[0].end == 3,
	     "laps: a start before 0 clipped to 0");
	T_OK(m == 5 && r[1].start == 3 && r[1].end == 100,
	     "laps: overlapping the one before: starts where it ends");
	T_OK(m == 5 && r[2].start == 100 && r[2].end == 140,
	     "laps: 90 + 50 cut to 100 .. 140");
	T_OK(m == 5 && r[3].start == 250 && r[3].end == 450,
	     "laps: an ordinary lap as recorded");
	T_OK(m == 5 && r[4].start == 480 && r[4].end == 500,
	     "laps: reaching past the end: clipped (beyond it: dropped)");
}

static void
t_check_splits(void)
{
	double d[400];
	struct met_range *r = NULL;
	size_t i;
	long m;

	for (i = 0; i < 400; i++)
		d[i] = 3.0 * (double)i; /* 1197 m in 400 s */
	m = met_splits(d, 400, 500, &r);
	T_OK(m == 3, "splits: two of 500 m and a partial one (got %ld)", m);
	T_OK(m == 3 && r[0].start == 0 && r[0].end == 167 &&
	         r[1].start == 167 && r[1].end == 334 && r[2].start == 334 &&
	         r[2].end == 400,
	     "splits: end with the second reaching 500, 1000 m; the rest kept");
	free(r);
	m = met_splits(NULL, 400, 500, &r);
	T_OK(m == 0 && r == NULL, "splits: none without distance");
	for (i = 0; i < 400; i++)
		d[i] = i < 200 ? NAN : 0;
	m = met_splits(d, 400, 500, &r);
	T_OK(m == 1 && r[0].start == 0 && r[0].end == 400,
	     "splits: a short session is one partial split");
	free(r);
}

int
main(void)
{
	t_check_figures();
	t_check_laps_map();
	t_check_splits();
	t_check_ride("clean ride", 0, 0);
	t_check_ride("noisy ride", 1, 0);
	t_check_ride("noisy ride with dropouts", 1, 1);
	t_check_run();
	t_check_steady();
	return T_DONE();
}
