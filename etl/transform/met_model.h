/* met_model.h: athlete models from mean-maximal efforts: CP/W′, CS/D′, eFTP, VDOT, race predictions (pure arithmetic) */
#ifndef CAIRN_MET_MODEL_H
#define CAIRN_MET_MODEL_H

#include <stddef.h> /* size_t */

/* The fit range of the 2-parameter model and its quality floor
 * (docs/METRICS.md "Athlete models"). */
#define MET_FIT_TMIN 120.0  /* s */
#define MET_FIT_TMAX 1200.0 /* s */
#define MET_FIT_MIN_POINTS 3
#define MET_FIT_MIN_SPAN 2.0     /* longest / shortest duration used */
#define MET_R2_FLOOR 0.90        /* R² of value against 1/t */
#define MET_VDOT_MIN_DIST 1500.0 /* m: shortest effort VDOT is taken from */
#define MET_RIEGEL_EXP 1.06
#define MET_NPRED 4

/* Reason codes of "no model" (the API's `reason`). */
#define MET_R_TOO_FEW "too_few_efforts"
#define MET_R_NONE "no_efforts_in_range"
#define MET_R_NEG_WP "negative_w_prime"
#define MET_R_POOR "poor_fit"

/* A mean-maximal effort: duration t (s), mean value v over it (W for
 * power, m/s for speed), the activity that holds it. */
struct met_effort {
	double t;
	double v;
	long long act;
};

/* A fitted 2-parameter model: value·t = cp·t + wp (work in J against
 * time for power, distance in m for speed). All numbers NaN and reason
 * set when there is no model. */
struct met_fit {
	double cp; /* W or m/s */
	double wp; /* J or m */
	double r2; /* of v against cp + wp / t over the efforts used */
	size_t used;
	const char *reason; /* NULL when fitted, else an MET_R_* code */
};

/*
 * Fit the work-time model to the efforts of a window's mean-max curve.
 * The efforts are the points of the window's mean-max curve (already the
 * best per duration); the fit keeps those with MET_FIT_TMIN <= t <=
 * MET_FIT_TMAX and a finite v > 0, one per duration (the highest).
 * used (n entries, may be NULL) marks the efforts fitted. 0 fitted, 1 no
 * model (out->reason says why).
 */
int met_cp_fit(const struct met_effort *e, size_t n, unsigned char *used,
               struct met_fit *out);

/* eFTP: the power the model says is sustainable for 60 min,
 * cp + wp / 3600. NaN when either is not finite. */
double met_eftp(double cp, double wp);

/* Daniels-Gilbert VDOT of covering dist m in t s; NaN when the input is
 * not positive and finite or the time is outside 1 to 1000 min. */
double met_vdot(double dist, double t);

/* The time (s) in which `vdot` covers dist m: VDOT(dist, t) = vdot solved
 * by bisection; NaN when outside 1 to 1000 min. */
double met_vdot_time(double dist, double vdot);

/* Riegel: t1 · (d2 / d1)^1.06. NaN on a non-positive input. */
double met_riegel(double d1, double t1, double d2);

/* The best VDOT over efforts (dist[i] m in t[i] s) of at least
 * MET_VDOT_MIN_DIST; NaN when none (*which: its index, or n). */
double met_vdot_best(const double *dist, const double *t, size_t n,
                     size_t *which);

/* Race predictions at the distances of met_pred_dist: time from the VDOT
 * equations and, beside it, Riegel's from the reference effort (d1, t1).
 * Entries NaN where they cannot be computed. */
extern const double met_pred_dist[MET_NPRED];
struct met_pred {
	double dist;
	double time;   /* s, VDOT */
	double riegel; /* s, Riegel from the VDOT's effort */
};
void met_predict(double vdot, double d1, double t1,
                 struct met_pred out[MET_NPRED]);

#endif
