/* test_met_power.c: W' balance, estimated power and efficiency factor on hand-made streams, exact values */
/* links: etl/transform */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "met.h"
#include "test.h"
#include "tf.h"
#include "tf_act.h"

/* A cleaned series of n seconds with the named channels zeroed and every
 * second moving; free with met_series_free. */
static void
t_series(struct met_series *s, size_t n, const int *chans)
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
	for (; *chans >= 0; chans++)
		s->ch[*chans] = calloc(n, sizeof(double));
}

static void
test_wbal(void)
{
	static double w[400], out[400];
	size_t i;
	double low, want;

	for (i = 0; i < 100; i++)
		w[i] = 300;
	low = met_wbal(w, 100, 250, 20000, out);
	T_OK(out[0] == 19950 && out[1] == 19900 && out[99] == 15000,
	     "300 W at CP 250 drains exactly 50 J/s: 19950, 19900 .. 15000 "
	     "(got %.6f %.6f %.6f)",
	     out[0], out[1], out[99]);
	T_OK(low == 15000, "lowest W'bal after 100 s at CP + 50 W: 15000 J");
	/* then 60 s at 150 W: dW/dt = (W' - W)(CP - P)/W', deficit
	 * 5000 J decays with time constant W'/(CP - P) = 200 s */
	for (i = 100; i < 160; i++)
		w[i] = 150;
	low = met_wbal(w, 160, 250, 20000, out);
	want = 20000 - 5000 * exp(-60.0 / 200.0);
	T_NEAR(out[159], want, 1e-6,
	       "recovery at 150 W for 60 s: 20000 - 5000 e^(-0.3)");
	T_OK(low == 15000, "the low point stays the end of the effort");
	/* at 0 W the time constant is W'/CP = 80 s: one e-fold in 80 s */
	for (i = 100; i < 180; i++)
		w[i] = 0;
	met_wbal(w, 180, 250, 20000, out);
	T_NEAR(20000 - out[179], 5000 * exp(-1.0), 1e-6,
	       "at 0 W the deficit falls to 1/e in W'/CP = 80 s");
	for (i = 0; i < 50; i++)
		w[i] = 250;
	T_OK(met_wbal(w, 50, 250, 20000, out) == 20000 && out[49] == 20000,
	     "at exactly CP W'bal stays full");
	for (i = 0; i < 10; i++)
		w[i] = NAN;
	w[10] = 1250;
	T_OK(met_wbal(w, 11, 250, 20000, out) == 19000 && out[9] == 20000,
	     "a missing sample counts 0 W; 1250 W for 1 s costs 1000 J");
	for (i = 0; i < 400; i++)
		w[i] = 350;
	T_OK(met_wbal(w, 400, 250, 20000, NULL) == -20000,
	     "CP set too low: W'bal goes below 0, not clamped (-20000)");
	T_OK(isnan(met_wbal(w, 10, 0, 20000, NULL)) &&
	         isnan(met_wbal(w, 10, NAN, 20000, NULL)) &&
	         isnan(met_wbal(w, 10, 250, 0, NULL)) &&
	         isnan(met_wbal(w, 0, 250, 20000, NULL)),
	     "no CP, no W' or no samples: NaN");
}

static void
test_est(void)
{
	static const int ch[] = {MET_VEL, MET_ALT, MET_GRADE, -1};
	struct met_bike b = {78, 0.32, 0.005, 0.976};
	struct met_series s;
	double *out, want, th;
	size_t i;

	T_NEAR(met_air_density(0), 1.225, 1e-12, "air density at sea level");
	/* ISA tables (by geometric altitude, the formula takes geopotential
	 * metres, 4 m less at 5 km): 1.1117 kg/m^3 at 1000 m, 0.7364 at 5 km */
	T_NEAR(met_air_density(1000), 1.1117, 2e-4, "air density at 1000 m");
	T_NEAR(met_air_density(5000), 0.7364, 5e-4, "air density at 5000 m");
	/* flat, 10 m/s, sea level, steady: (m g Crr v + rho CdA v^3 / 2) /
	 * eff = (78 * 9.80665 * 0.005 * 10 + 0.5 * 1.225 * 0.32 * 1000) /
	 * 0.976 = (38.2459350 + 196) / 0.976 */
	want = (38.245935 + 196.0) / 0.976;
	T_NEAR(met_est_watts(&b, 10, 0, 0, 0), want, 1e-9,
	       "flat 10 m/s: 240.006 W, the closed form");
	t_series(&s, 600, ch);
	for (i = 0; i < s.n; i++)
		s.ch[MET_VEL][i] = 10;
	out = malloc(s.n * sizeof(double));
	T_OK(met_est_power(&s, &b, out) == 0, "the model runs on speed, "
	                                      "altitude and grade");
	T_NEAR(met_mean(out, s.pause, s.n), want, 1e-9,
	       "flat constant-speed stream: every second the closed form");
	T_NEAR(met_np(out, s.pause, s.n), want, 1e-9, "and so is its NP");
	/* 5 % at 5 m/s, 500 m up: gravity m g sin(atan 0.05) v */
	th = atan(0.05);
	for (i = 0; i < s.n; i++) {
		s.ch[MET_VEL][i] = 5;
		s.ch[MET_GRADE][i] = 5;
		s.ch[MET_ALT][i] = 500;
	}
	met_est_power(&s, &b, out);
	want = (78 * 9.80665 * (sin(th) + 0.005 * cos(th)) * 5 +
	        0.5 * met_air_density(500) * 0.32 * 125) /
	       0.976;
	T_NEAR(out[300], want, 1e-9, "5 % climb at 5 m/s, 500 m");
	/* (764.9187 * 0.0549323 * 5 + 0.5 * 1.16727 * 0.32 * 125) / 0.976 */
	T_NEAR(want, 239.18, 0.01, "which is 239.18 W");
	/* accelerating 0.1 m/s per second: + m a v / eff */
	for (i = 0; i < s.n; i++) {
		s.ch[MET_VEL][i] = 5 + 0.1 * (double)i;
		s.ch[MET_GRADE][i] = 0;
		s.ch[MET_ALT][i] = 0;
	}
	met_est_power(&s, &b, out);
	T_NEAR(out[100], met_est_watts(&b, 15, 0, 0, 0) + 78 * 0.1 * 15 / 0.976,
	       1e-9, "acceleration adds m a v / eff (central difference)");
	/* steep descent: negative, clamped to 0 */
	for (i = 0; i < s.n; i++) {
		s.ch[MET_VEL][i] = 12;
		s.ch[MET_GRADE][i] = -8;
	}
	s.ch[MET_MOVING][10] = 0;
	s.pause[20] = 1;
	met_est_power(&s, &b, out);
	T_OK(out[100] == 0 && out[10] == 0 && out[20] == 0,
	     "coasting down 8 %%, a stop and a pause: 0 W, never negative");
	s.ch[MET_VEL][30] = NAN;
	met_est_power(&s, &b, out);
	T_OK(isnan(out[30]), "a missing speed sample stays missing");
	free(s.ch[MET_ALT]);
	s.ch[MET_ALT] = NULL;
	T_OK(met_est_power(&s, &b, out) == -1, "no altitude: the model does "
	                                       "not run");
	b.mass = NAN;
	s.ch[MET_ALT] = calloc(s.n, sizeof(double));
	T_OK(met_est_power(&s, &b, out) == -1, "no weight: the model does "
	                                       "not run");
	free(out);
	met_series_free(&s);
}

/* The transform's use of them on one activity: settings, estimate, W'bal,
 * EF. */
static void
test_activity(void)
{
	static const int ride[] = {MET_VEL, MET_ALT,   MET_GRADE,
	                           MET_HR,  MET_WATTS, -1};
	static const int run[] = {MET_VEL, MET_HR, -1};
	struct met_series s;
	struct tf_act a;
	struct tf_pw pw;
	size_t i;
	double est;

	memset(&a, 0, sizeof(a));
	a.group = "ride";
	a.kj = a.moving = a.elapsed = a.distance = a.avg_hr = NAN;
	a.ftp = 250;
	a.cp = a.w_prime = a.bike_weight = a.cda = a.crr = NAN;
	a.weight = 70;
	t_series(&s, 3600, ride);
	for (i = 0; i < s.n; i++) {
		s.ch[MET_VEL][i] = 10;
		s.ch[MET_HR][i] = 150;
		s.ch[MET_WATTS][i] = i < 300 ? 300 : 200;
	}
	T_OK(tf_act_power_pre(&a, &s, &pw) == 0, "ride: estimate runs");
	tf_act_metrics(&a, &s);
	T_OK(tf_act_power_post(&a, &s, &pw) == 0, "ride: W'bal runs");
	est = (78 * 9.80665 * 0.005 * 10 + 0.5 * 1.225 * 0.32 * 1000) / 0.976;
	T_NEAR(a.est_avg_power, est, 1e-9,
	       "est_avg_power: weight 70 + default bike 8 kg, CdA 0.32, "
	       "Crr 0.005 on the flat at 10 m/s");
	T_NEAR(a.est_np, est, 1e-9, "est_np of a steady ride");
	T_OK(a.wbal_min == 20000 - 300 * 50,
	     "no CP setting: FTP 250 as CP, default W' 20000 J: 5 min at "
	     "300 W leaves 5000 J (got %.3f)",
	     a.wbal_min);
	T_NEAR(a.ef, a.np / 150.0, 1e-12, "ride EF = NP / average HR");
	T_OK(pw.wbal != NULL && pw.est != NULL && a.power_estimated == 0,
	     "both streams kept; a meter's power is not replaced");
	tf_pw_free(&pw);
	a.cp = 280;
	a.w_prime = 15000;
	tf_act_power_pre(&a, &s, &pw);
	tf_act_power_post(&a, &s, &pw);
	T_OK(a.wbal_min == 15000 - 300 * 20,
	     "CP 280 and W' 15000 set: 9000 J left (got %.3f)", a.wbal_min);
	tf_pw_free(&pw);
	/* without a meter, use_estimated_power on */
	free(s.ch[MET_WATTS]);
	s.ch[MET_WATTS] = NULL;
	a.use_est = 1;
	a.avg_power = NAN;
	tf_act_power_pre(&a, &s, &pw);
	tf_act_metrics(&a, &s);
	tf_act_power_post(&a, &s, &pw);
	T_OK(a.power_estimated == 1 && s.ch[MET_WATTS] != NULL,
	     "use_estimated_power without a meter: power from the model");
	T_NEAR(a.np, est, 1e-9, "NP is then the estimate's");
	T_NEAR(a.ef, est / 150.0, 1e-9, "and so is EF");
	tf_pw_free(&pw);
	a.weight = NAN;
	a.use_est = 0;
	free(s.ch[MET_WATTS]);
	s.ch[MET_WATTS] = NULL;
	tf_act_power_pre(&a, &s, &pw);
	T_OK(isnan(a.est_avg_power) && isnan(a.est_np) && pw.est == NULL,
	     "no weight: est_avg_power and est_np NULL");
	tf_pw_free(&pw);
	met_series_free(&s);

	/* a run at 4:00/km, flat, HR 165: EF = 250 m/min / 165 */
	memset(&a, 0, sizeof(a));
	a.group = "run";
	a.kj = a.moving = a.elapsed = a.distance = a.avg_hr = NAN;
	a.ftp = a.weight = NAN;
	t_series(&s, 1200, run);
	for (i = 0; i < s.n; i++) {
		s.ch[MET_VEL][i] = 1000.0 / 240.0;
		s.ch[MET_HR][i] = 165;
	}
	tf_act_power_pre(&a, &s, &pw);
	tf_act_metrics(&a, &s);
	tf_act_power_post(&a, &s, &pw);
	T_NEAR(a.ef, 250.0 / 165.0, 1e-12,
	       "run EF = grade-adjusted speed (m/min) / average HR");
	T_OK(isnan(a.wbal_min) && isnan(a.est_np), "a run: no W'bal, no "
	                                           "estimate");
	tf_pw_free(&pw);
	for (i = 0; i < s.n; i++)
		s.ch[MET_HR][i] = NAN;
	a.avg_hr = NAN;
	tf_act_power_pre(&a, &s, &pw);
	tf_act_metrics(&a, &s);
	tf_act_power_post(&a, &s, &pw);
	T_OK(isnan(a.ef), "no HR: EF NULL");
	tf_pw_free(&pw);
	met_series_free(&s);
}

int
main(void)
{
	test_wbal();
	test_est();
	test_activity();
	return T_DONE();
}
