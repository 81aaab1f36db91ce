/* test_met_load.c: unit tests of loads (HR, pace), fitness, Eddington, best efforts, Douglas-Peucker */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "met.h"
#include "test.h"

static void
test_hr(void)
{
	static double hr[3600];
	size_t i;
	double trimp, hour;

	for (i = 0; i < 3600; i++)
		hr[i] = 165;
	/* rest 50, max 190, threshold 165: x = 115/140. */
	trimp = met_trimp(hr, NULL, 3600, 50, 190, 0);
	hour = met_trimp_hour(165, 50, 190, 0);
	T_NEAR(trimp, 60 * (115.0 / 140) * 0.64 * exp(1.92 * 115.0 / 140), 1e-9,
	       "Banister TRIMP of 1 h at 165 bpm (male)");
	T_NEAR(100 * trimp / hour, 100.0, 1e-9,
	       "1 h at threshold HR: HR load 100");
	T_NEAR(met_trimp(hr, NULL, 3600, 50, 190, 1),
	       60 * (115.0 / 140) * 0.64 * exp(1.67 * 115.0 / 140), 1e-9,
	       "female k = 1.67");
	T_OK(isnan(met_trimp(NULL, NULL, 3600, 50, 190, 0)),
	     "no HR: TRIMP NULL");
}

static void
test_pace(void)
{
	static double v[3600];
	static unsigned char mv[3600];
	size_t i;

	/* Threshold pace 4:00/km = 1000/240 m/s, flat, 1 h. */
	for (i = 0; i < 3600; i++) {
		v[i] = 1000.0 / 240.0;
		mv[i] = 1;
	}
	T_NEAR(met_pace_load(v, NULL, mv, 3600, 1000.0 / 240.0), 100.0, 1e-9,
	       "1 h flat at threshold pace: pace load 100");
	T_NEAR(met_pace_load(v, NULL, mv, 1800, 1000.0 / 240.0), 50.0, 1e-9,
	       "30 min flat at threshold pace: pace load 50");
	T_NEAR(met_minetti(0), 1.0, 1e-12, "Minetti cost flat = 1");
	/* 1 + 0.1(19.5 + 0.1(46.3 + 0.1(-43.3 + 0.1(-30.4 + 15.54))))/3.6 */
	T_NEAR(met_minetti(0.1),
	       1 + 0.1 *
	               (19.5 +
	                0.1 * (46.3 + 0.1 * (-43.3 + 0.1 * (-30.4 + 15.54)))) /
	               3.6,
	       1e-12, "Minetti cost at +10 pct");
	T_NEAR(met_minetti(0.1), 1.657837, 1e-6,
	       "Minetti cost at +10 pct = 1.657837");
	T_OK(met_gap_speed(3, 5) == met_gap_speed(3, 0.45),
	     "grade clamped at 45 %%");
	T_OK(met_gap_speed(3, -0.1) < 3 && met_gap_speed(3, 0.1) > 3,
	     "uphill adjusts faster, gentle downhill slower");
	T_OK(isnan(met_pace_load(v, NULL, mv, 3600, NAN)),
	     "no threshold pace: NULL");
}

/* Grade-adjusted pace: the stream, the distance adjusted for grade and the
 * activity's GAP (docs/METRICS.md, "Grade-adjusted pace"). Minetti's
 * ratio at +10 %: 1.6578372^0.83 = 1.5213172, at -10 %: 0.5976961^0.83 =
 * 0.6523471. */
static void
test_gap(void)
{
	enum { N = 600 };
	static double v[N], g[N], d[N], gap[N], inc[N], adj[N];
	static unsigned char mv[N];
	size_t i, bad;

	for (i = 0; i < N; i++) {
		v[i] = 3.0;
		g[i] = 0;
		d[i] = 3.0 * (double)i;
		mv[i] = 1;
	}
	met_gap_stream(v, g, N, gap);
	for (i = 0, bad = 0; i < N; i++)
		bad += gap[i] != v[i];
	T_OK(bad == 0, "flat: the GAP stream is the speed, exactly");
	met_gap_stream(v, NULL, N, gap);
	for (i = 0, bad = 0; i < N; i++)
		bad += gap[i] != v[i];
	T_OK(bad == 0, "no grade (no altitude): GAP = pace");
	met_gap_inc(d, v, g, N, inc, adj);
	T_OK(inc[0] == 0 && inc[1] == 3.0 && inc[N - 1] == 3.0 &&
	         adj[N - 1] == 3.0,
	     "flat: each second's distance, unchanged by the grade");
	T_OK(met_gap_avg(inc, adj, mv, N, 2.9) == 2.9,
	     "flat: the activity's GAP is its average speed, exactly");
	T_NEAR(met_gap_avg(inc, adj, mv, N, NAN), 3.0 * (N - 1) / N, 1e-12,
	       "no average speed: distance / moving seconds");

	for (i = 0; i < N; i++)
		g[i] = 10.0;
	met_gap_stream(v, g, N, gap);
	T_NEAR(gap[7], 4.563951497, 1e-9,
	       "+10 %: 3 m/s runs like 3 * 1.5213172 = 4.563951 m/s flat");
	T_NEAR(gap[7] / v[7], pow(met_minetti(0.1), 0.83), 1e-15,
	       "+10 %: GAP / speed is Minetti's ratio^0.83");
	met_gap_inc(d, v, g, N, inc, adj);
	T_NEAR(met_gap_avg(inc, adj, mv, N, 3.0), 4.563951497, 1e-9,
	       "+10 % all the way: the activity's GAP");
	for (i = N / 2; i < N; i++)
		g[i] = -10.0;
	met_gap_inc(d, v, g, N, inc, adj);
	/* 299 s of 3 m up (the first second covers nothing), 300 down */
	T_NEAR(met_gap_avg(inc, adj, mv, N, 3.0),
	       3.0 * (299 * 1.521317165713547 + 300 * 0.652347131431444) / 599,
	       1e-9, "up then down 10 %: the distance-weighted ratio");
	met_gap_stream(v, g, N, gap);
	T_NEAR(gap[N - 1], 3.0 * 0.652347131431444, 1e-9,
	       "-10 %: 3 m/s runs like 1.957 m/s flat");

	for (i = 0; i < N; i++) {
		v[i] = i % 7 == 0 ? NAN : (double)(t_rand() % 600) / 100.0;
		g[i] = i % 11 == 0 ? NAN
		                   : (double)(t_rand() % 20001) / 100.0 - 100.0;
		d[i] = (double)i;
	}
	met_gap_stream(v, g, N, gap);
	met_gap_inc(d, v, g, N, inc, adj);
	for (i = 0, bad = 0; i < N; i++)
		bad += isnan(v[i]) != isnan(gap[i]) || !isfinite(adj[i]) ||
		       (!isnan(gap[i]) && !isfinite(gap[i]));
	T_OK(bad == 0, "grades of -100 .. 100 %% and NaN: never NaN where "
	               "there is a speed, NaN where there is none");
	T_OK(isfinite(met_gap_avg(inc, adj, mv, N, 3.0)),
	     "the activity's GAP of that is finite");
	for (i = 0; i < N; i++) {
		inc[i] = 0;
		adj[i] = 0;
	}
	T_OK(isnan(met_gap_avg(inc, adj, mv, N, 3.0)),
	     "no distance while moving: GAP NULL");
	for (i = 0; i < N; i++)
		mv[i] = 0;
	met_gap_inc(d, v, g, N, inc, adj);
	T_OK(isnan(met_gap_avg(inc, adj, mv, N, 3.0)),
	     "no moving second: GAP NULL");
}

static void
test_decoupling(void)
{
	static double out[3600], hr[3600];
	static unsigned char mv[3600];
	size_t i;

	for (i = 0; i < 3600; i++) {
		out[i] = 200;
		hr[i] = i < 1800 ? 140 : 147;
		mv[i] = 1;
	}
	T_NEAR(met_decoupling(out, hr, mv, 3600),
	       (200.0 / 140 - 200.0 / 147) / (200.0 / 140) * 100, 1e-9,
	       "Pa:HR with HR drifting 5 pct = 4.76 pct");
	T_OK(isnan(met_decoupling(out, hr, mv, 1000)), "under 20 min: NULL");
}

/* Hand-computed fitness: 1 - e^(-1/42) = 0.023528, 1 - e^(-1/7) = 0.133122. */
static void
test_fitness(void)
{
	static const double tab[][5] = {
	    /* load, ctl, atl, tsb, ramp */
	    {100, 2.3528, 13.3122, 0.0000, 2.3528},
	    {0, 2.2975, 11.5401, -10.9594, 2.2975},
	    {50, 3.4198, 16.6599, -9.2426, 3.4198},
	    {0, 3.3394, 14.4421, -13.2401, 3.3394},
	    {0, 3.2608, 12.5196, -11.1028, 3.2608},
	    {80, 5.0663, 21.5027, -9.2588, 5.0663},
	    {0, 4.9471, 18.6402, -16.4364, 4.9471},
	    {0, 4.8307, 16.1588, -13.6931, 2.4779},
	    {0, 4.7171, 14.0077, -11.3280, 2.4196},
	    {120, 7.4295, 28.1176, -9.2906, 4.0097},
	};
	enum { ND = sizeof(tab) / sizeof(tab[0]) };
	double load[ND], ctl[ND], atl[ND], tsb[ND], ramp[ND];
	size_t d;
	int ok = 1;

	for (d = 0; d < ND; d++)
		load[d] = tab[d][0];
	met_fitness(load, ND, 0, 0, NULL, ctl, atl, tsb, ramp);
	for (d = 0; d < ND; d++) {
		if (fabs(ctl[d] - tab[d][1]) > 0.01 ||
		    fabs(atl[d] - tab[d][2]) > 0.01 ||
		    fabs(tsb[d] - tab[d][3]) > 0.01 ||
		    fabs(ramp[d] - tab[d][4]) > 0.01) {
			ok = 0;
			printf("# day %zu: ctl %.4f atl %.4f tsb %.4f ramp "
			       "%.4f\n",
			       d, ctl[d], atl[d], tsb[d], ramp[d]);
		}
	}
	T_OK(ok, "fitness series matches the hand table to 0.01");
	T_NEAR(ctl[0], 100 * (1 - exp(-1.0 / 42)), 1e-12,
	       "CTL decay 1-e^(-1/42)");
	/* Continuing from a seed equals computing in one go. */
	{
		double c2[ND], a2[ND], t2[ND], r2[ND];

		met_fitness(load + 7, ND - 7, ctl[6], atl[6], ctl, c2, a2, t2,
		            r2);
		T_NEAR(c2[2], ctl[9], 1e-12, "seeded continuation: CTL");
		T_NEAR(t2[2], tsb[9], 1e-12, "seeded continuation: TSB");
		T_NEAR(r2[2], ramp[9], 1e-12, "seeded continuation: ramp");
	}
}

static void
test_eddington(void)
{
	/* km per day */
	double km[] = {10, 3, 5, 5, 2, 7, 1.5};
	double mi[7];
	int next, e, hist[10];
	size_t i;

	e = met_eddington(km, 7, &next, hist, 10);
	T_OK(e == 4 && next == 1,
	     "km: E 4, one more day of >= 5 km (got %d, %d)", e, next);
	T_OK(hist[0] == 7 && hist[3] == 4 && hist[4] == 4 && hist[5] == 2 &&
	         hist[9] == 1,
	     "km histogram: days >= n");
	for (i = 0; i < 7; i++)
		mi[i] = km[i] * 1000 / 1609.344;
	/* 6.21 1.86 3.11 3.11 1.24 4.35 0.93 mi */
	e = met_eddington(mi, 7, &next, NULL, 0);
	T_OK(e == 3 && next == 2,
	     "miles: E 3, two more days of >= 4 mi (got %d, %d)", e, next);
	e = met_eddington(km, 0, &next, NULL, 0);
	T_OK(e == 0 && next == 1, "no days: E 0, next needs 1");
	{
		double big[] = {100, 100, 100};

		e = met_eddington(big, 3, &next, NULL, 0);
		T_OK(e == 3 && next == 1,
		     "three 100 km days: E 3, 1 more day for 4");
	}
}

static void
test_efforts(void)
{
	static double cum[4000];
	size_t i;
	double el, st;
	static const double tab[][2] = {
	    /* distance m, seconds at 3.7 m/s */
	    {400, 400 / 3.7},           {1000, 1000 / 3.7},
	    {1609.344, 1609.344 / 3.7}, {5000, 5000 / 3.7},
	    {10000, 10000 / 3.7},
	};
	int ok = 1;

	for (i = 0; i < 4000; i++)
		cum[i] = 3.7 * (double)i;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (met_best_effort(cum, 4000, tab[i][0], &el, &st) != 0 ||
		    fabs(el - tab[i][1]) > 1e-6) {
			ok = 0;
			printf("# %g m: %g s\n", tab[i][0], el);
		}
	}
	T_OK(ok, "constant 3.7 m/s: every best effort = distance / speed");
	T_OK(met_best_effort(cum, 4000, 21097.5, &el, &st) != 0,
	     "14.8 km do not give a half marathon");
	/* A faster middle: 5 m/s from 1000 s to 1400 s. */
	for (i = 0; i < 4000; i++)
		cum[i] = i <= 1000   ? 3.0 * (double)i
		         : i <= 1400 ? 3000 + 5.0 * (double)(i - 1000)
		                     : 5000 + 3.0 * (double)(i - 1400);
	T_OK(met_best_effort(cum, 4000, 1000, &el, &st) == 0 &&
	         fabs(el - 200) < 1e-9 && st >= 1000 && st <= 1200,
	     "1 km found inside the fast part: 200 s (got %g at %g)", el, st);
	T_OK(met_best_effort(cum, 4000, 2400, &el, &st) == 0 &&
	         fabs(el - (400 + 400.0 / 3)) < 1e-9,
	     "2.4 km spanning the fast part: 533.33 s (got %g)", el);
}

static void
test_dp(void)
{
	double lat[101], lng[101];
	unsigned char keep[101];
	size_t i, k;

	/* A straight line with one 50 m bump in the middle. */
	for (i = 0; i <= 100; i++) {
		lat[i] = 45.0;
		lng[i] = 7.0 + (double)i * 0.0001;
	}
	lat[50] += 50.0 / 111195.0;
	k = dp_simplify(lat, lng, 101, 10, keep);
	T_OK(k == 5 && keep[0] && keep[100] && keep[50] && keep[49] && keep[51],
	     "line with a 50 m bump keeps the bump and its feet (got %zu)", k);
	k = dp_simplify(lat, lng, 101, 60, keep);
	T_OK(k == 2, "a 60 m tolerance drops the 50 m bump (got %zu)", k);
}

int
main(void)
{
	test_hr();
	test_pace();
	test_gap();
	test_decoupling();
	test_fitness();
	test_eddington();
	test_efforts();
	test_dp();
	return T_DONE();
}
