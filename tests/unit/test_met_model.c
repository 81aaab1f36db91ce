/* test_met_model.c: unit tests of the athlete models: CP/W′ fit, reason codes, VDOT and race predictions (etl/transform/met_model.c) */
/* links: etl/transform */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "met_model.h"
#include "test.h"

#define CP 280.0
#define WP 20000.0

/* Efforts of P = cp + wp / t at every 15 s from 120 to 1200 s (73). */
static size_t
ideal_efforts(struct met_effort *e, double cp, double wp)
{
	size_t n = 0;
	double t;

	for (t = 120; t <= 1200; t += 15) {
		e[n].t = t;
		e[n].v = cp + wp / t;
		e[n].act = (long long)t;
		n++;
	}
	return n;
}

/* 1 when a fit is a model with finite numbers or no model with a reason
 * and NaN numbers: never a made-up number. */
static int
fit_sane(const struct met_fit *f)
{
	if (f->reason == NULL)
		return isfinite(f->cp) && isfinite(f->wp) && isfinite(f->r2) &&
		       f->cp > 0 && f->wp > 0 && f->r2 >= MET_R2_FLOOR;
	return isnan(f->cp) && isnan(f->wp) && isnan(f->r2);
}

static void
test_cp_exact(void)
{
	struct met_effort e[100];
	unsigned char used[100];
	struct met_fit f;
	size_t n = ideal_efforts(e, CP, WP), k, nused = 0;

	T_OK(n == 73, "73 efforts from 2 to 20 min every 15 s (got %zu)", n);
	T_OK(met_cp_fit(e, n, used, &f) == 0 && f.reason == NULL,
	     "noiseless efforts give a model");
	T_NEAR(f.cp, CP, CP * 1e-9, "CP 280 W exact (to 1e-9)");
	T_NEAR(f.wp, WP, WP * 1e-9, "W' 20 kJ exact (to 1e-9)");
	T_NEAR(f.r2, 1.0, 1e-12, "R2 of a noiseless fit is 1");
	for (k = 0; k < n; k++)
		nused += used[k];
	T_OK(f.used == 73 && nused == 73, "every effort used (got %zu)",
	     f.used);
	T_NEAR(met_eftp(f.cp, f.wp), CP + WP / 3600.0, 1e-9,
	       "eFTP = CP + W'/3600 = 285.556 W");
	/* Efforts outside 2-20 min are left out of the fit. */
	e[n].t = 5;
	e[n].v = 900;
	e[n + 1].t = 60;
	e[n + 1].v = 500;
	e[n + 2].t = 3600;
	e[n + 2].v = 150;
	T_OK(met_cp_fit(e, n + 3, used, &f) == 0 && f.used == 73 && !used[n] &&
	         !used[n + 1] && !used[n + 2],
	     "5 s, 60 s and 60 min efforts are not fitted");
	T_NEAR(f.cp, CP, CP * 1e-9, "CP unchanged by efforts out of range");
	/* A repeated duration counts once, with its best value. */
	e[n] = e[10];
	e[n].v -= 30;
	T_OK(met_cp_fit(e, n + 1, used, &f) == 0 && f.used == 73 && !used[n],
	     "a lower repeat of a duration is not fitted");
}

static void
test_cp_noise(void)
{
	struct met_effort e[100];
	struct met_fit f;
	size_t n = ideal_efforts(e, CP, WP), k;

	/* +-1 % deterministic noise on each power */
	for (k = 0; k < n; k++)
		e[k].v *= 1.0 + 0.01 * sin((double)k * 1.7);
	T_OK(met_cp_fit(e, n, NULL, &f) == 0, "noisy efforts give a model");
	T_OK(fabs(f.cp - CP) <= 0.01 * CP, "CP within 1 %% (got %.3f)", f.cp);
	T_OK(fabs(f.wp - WP) <= 0.05 * WP, "W' within 5 %% (got %.1f)", f.wp);
	T_OK(f.r2 >= MET_R2_FLOOR && f.r2 < 1, "R2 in [0.90, 1) (got %.4f)",
	     f.r2);
}

/* Crafted windows, one per reason code. */
struct reason_case {
	struct met_effort e[4];
	size_t n;
	const char *reason;
	const char *what;
};

static const struct reason_case reason_cases[] = {
    {{{0}}, 0, "no_efforts_in_range", "no efforts"},
    {{{5, 900, 1}, {60, 500, 1}, {3600, 200, 1}},
     3,
     "no_efforts_in_range",
     "efforts only outside 2-20 min"},
    {{{300, 340, 1}, {600, 310, 1}}, 2, "too_few_efforts", "two durations"},
    {{{300, 340, 1}, {400, 330, 1}, {500, 320, 1}},
     3,
     "too_few_efforts",
     "three durations spanning under 2:1"},
    {{{120, 250, 1}, {600, 280, 1}, {1200, 300, 1}},
     3,
     "negative_w_prime",
     "power rising with duration"},
    {{{120, 250, 1}, {600, 250, 1}, {1200, 250, 1}},
     3,
     "negative_w_prime",
     "a flat curve (W' 0)"},
    {{{120, 400, 1}, {130, 300, 1}, {1200, 299, 1}},
     3,
     "poor_fit",
     "a cliff after 2 min (R2 0.32)"},
    {{{120, NAN, 1}, {INFINITY, 300, 1}, {600, -5, 1}, {900, INFINITY, 1}},
     4,
     "no_efforts_in_range",
     "NaN, infinite and negative values"},
};

static void
test_cp_reasons(void)
{
	struct met_fit f;
	size_t i;

	for (i = 0; i < sizeof(reason_cases) / sizeof(reason_cases[0]); i++) {
		const struct reason_case *c = &reason_cases[i];

		T_OK(met_cp_fit(c->e, c->n, NULL, &f) == 1 &&
		         f.reason != NULL && strcmp(f.reason, c->reason) == 0 &&
		         fit_sane(&f),
		     "%s: %s (got %s)", c->what, c->reason,
		     f.reason ? f.reason : "a model");
	}
}

/* Random effort sets: a model is finite and above the floor, or there is
 * a reason; never NaN or infinity with reason null. */
static void
test_cp_random(void)
{
	struct met_effort e[40];
	struct met_fit f;
	int i, bad = 0, models = 0;
	size_t k, n;

	for (i = 0; i < 2000; i++) {
		n = (size_t)(t_rand() % 40);
		for (k = 0; k < n; k++) {
			e[k].t = (double)(60 + t_rand() % 1500);
			e[k].v = (double)(t_rand() % 600) - 20;
			e[k].act = (long long)k;
		}
		if (i % 2 == 1) /* near a model: CP, W' and +-10 % noise */
			for (k = 0; k < n; k++)
				e[k].v =
				    (double)(100 + i % 300) +
				    (double)(1000 + t_rand() % 30000) / e[k].t *
				        (0.9 + (double)(t_rand() % 200) / 1000);
		met_cp_fit(e, n, NULL, &f);
		if (!fit_sane(&f))
			bad++;
		models += f.reason == NULL;
	}
	T_OK(bad == 0,
	     "2000 random effort sets: no NaN or inf in a model "
	     "(%d bad, %d models)",
	     bad, models);
}

static void
test_vdot(void)
{
	struct met_pred p[MET_NPRED];
	/* Daniels' table for VDOT 50: 19:57, 41:21, 1:31:35, 3:10:49 */
	static const double table50[MET_NPRED] = {1197, 2481, 5495, 11449};
	double v = met_vdot(5000, 1200), d[3] = {1000, 5000, 10000},
	       t[3] = {170, 1200, 2600};
	size_t i, which;
	int back = 1, tab = 1, fin = 1;

	T_NEAR(v, 49.8, 0.1, "5 km in 20:00: VDOT 49.8 +- 0.1");
	T_NEAR(v, 49.806, 0.001, "5 km in 20:00: VDOT 49.806");
	T_NEAR(met_vdot_time(5000, met_vdot(5000, 1197)), 1197, 0.01,
	       "VDOT of 19:57 solved back to 19:57");
	met_predict(v, 5000, 1200, p);
	for (i = 0; i < MET_NPRED; i++) {
		double back_v = met_vdot(p[i].dist, p[i].time);

		if (!isfinite(p[i].time) || !isfinite(p[i].riegel))
			fin = 0;
		if (!(fabs(back_v - v) <= 0.01))
			back = 0;
		printf("# %g m: %.1f s (Riegel %.1f s)\n", p[i].dist, p[i].time,
		       p[i].riegel);
	}
	T_OK(fin, "every prediction is finite");
	T_OK(back, "VDOT(d, predicted t) equals the VDOT within 0.01");
	T_NEAR(p[0].time, 1200, 0.01, "5 km predicted from a 5 km: 1200 s");
	T_NEAR(p[0].dist, 5000, 0, "predictions start at 5 km");
	T_NEAR(p[3].dist, 42195, 0, "and end at the marathon");
	met_predict(met_vdot(5000, 1197), 5000, 1197, p);
	for (i = 0; i < MET_NPRED; i++)
		if (!(fabs(p[i].time - table50[i]) <= 0.01 * table50[i]))
			tab = 0;
	T_OK(tab, "VDOT 50 predictions within 1 %% of Daniels' table");
	T_NEAR(met_riegel(5000, 1200, 10000), 1200 * pow(2, 1.06), 1e-9,
	       "Riegel 5 km 20:00 to 10 km: 2501 s");
	/* The best VDOT of a window: 1 km is below 1500 m, 10 km in 43:20
	 * (47.2) loses to 5 km in 20:00. */
	T_NEAR(met_vdot_best(d, t, 3, &which), v, 1e-12,
	       "best VDOT over efforts >= 1500 m");
	T_OK(which == 1, "taken from the 5 km (got %zu)", which);
	T_OK(isnan(met_vdot_best(d, t, 1, &which)) && which == 1,
	     "no effort >= 1500 m: no VDOT");
	T_OK(isnan(met_vdot(0, 100)) && isnan(met_vdot(5000, NAN)) &&
	         isnan(met_vdot(5000, 30)) && isnan(met_vdot_time(5000, -1)) &&
	         isnan(met_vdot_time(5000, 1e6)) &&
	         isnan(met_riegel(0, 1, 2)) && isnan(met_eftp(NAN, 1)),
	     "impossible inputs give NaN (stored as NULL), never inf");
}

int
main(void)
{
	test_cp_exact();
	test_cp_noise();
	test_cp_reasons();
	test_cp_random();
	test_vdot();
	return T_DONE();
}
