/* met_model.c: athlete models: the work-time fit (CP/W′, CS/D′), eFTP, Daniels-Gilbert VDOT, race predictions */
#include "met_model.h"

#include <math.h> /* exp, fabs, isfinite, pow, NAN */

const double met_pred_dist[MET_NPRED] = {5000, 10000, 21097.5, 42195};

static void
met_fit_none(struct met_fit *out, const char *reason)
{
	out->cp = NAN;
	out->wp = NAN;
	out->r2 = NAN;
	out->reason = reason;
}

/* The maximal-effort rule: 1 when effort i is kept (see met_model.h). */
static int
met_fit_keep(const struct met_effort *e, size_t n, size_t i)
{
	size_t j;

	if (!isfinite(e[i].t) || !isfinite(e[i].v) || e[i].v <= 0 ||
	    e[i].t < MET_FIT_TMIN || e[i].t > MET_FIT_TMAX)
		return 0;
	for (j = 0; j < n; j++) {
		if (j == i || !isfinite(e[j].t) || !isfinite(e[j].v))
			continue;
		if (e[j].t == e[i].t &&
		    (e[j].v > e[i].v || (e[j].v == e[i].v && j < i)))
			return 0; /* a repeat of a duration: the best once */
	}
	return 1;
}

int
met_cp_fit(const struct met_effort *e, size_t n, unsigned char *used,
           struct met_fit *out)
{
	double st = 0, sy = 0, stt = 0, sty = 0, tmin = 0, tmax = 0;
	double a, b, den, mv = 0, ssr = 0, sst = 0;
	size_t i, k = 0;
	int rc = 1;

	met_fit_none(out, MET_R_NONE);
	out->used = 0;
	for (i = 0; i < n; i++) {
		int keep = met_fit_keep(e, n, i);

		if (used != NULL)
			used[i] = (unsigned char)keep;
		if (!keep)
			continue;
		if (k == 0 || e[i].t < tmin)
			tmin = e[i].t;
		if (k == 0 || e[i].t > tmax)
			tmax = e[i].t;
		k++;
		st += e[i].t;
		sy += e[i].v * e[i].t;
		stt += e[i].t * e[i].t;
		sty += e[i].t * e[i].v * e[i].t;
		mv += e[i].v;
	}
	out->used = k;
	if (k == 0)
		goto out;
	/* The rule keeps one effort per duration, so k durations. */
	if (k < MET_FIT_MIN_POINTS || tmax < MET_FIT_MIN_SPAN * tmin) {
		out->reason = MET_R_TOO_FEW;
		goto out;
	}
	den = (double)k * stt - st * st;
	if (!(den > 0)) {
		out->reason = MET_R_TOO_FEW;
		goto out;
	}
	a = ((double)k * sty - st * sy) / den; /* cp */
	b = (sy - a * st) / (double)k;         /* wp */
	if (!isfinite(a) || !isfinite(b)) {
		out->reason = MET_R_POOR;
		goto out;
	}
	/* W′ no larger than rounding (a flat curve) counts as none */
	if (b <= 1e-9 * fabs(a) * tmax) {
		out->reason = MET_R_NEG_WP;
		goto out;
	}
	if (a <= 0) {
		out->reason = MET_R_POOR;
		goto out;
	}
	mv /= (double)k;
	for (i = 0; i < n; i++) {
		double d;

		if (!met_fit_keep(e, n, i))
			continue;
		d = e[i].v - (a + b / e[i].t);
		ssr += d * d;
		sst += (e[i].v - mv) * (e[i].v - mv);
	}
	/* sst is 0 when every value is the same (then W′ is 0 as well). */
	if (!(sst > 0) || !isfinite(1.0 - ssr / sst) ||
	    1.0 - ssr / sst < MET_R2_FLOOR) {
		out->reason = MET_R_POOR;
		goto out;
	}
	out->cp = a;
	out->wp = b;
	out->r2 = 1.0 - ssr / sst;
	out->reason = 0;
	rc = 0;
out:
	return rc;
}

double
met_eftp(double cp, double wp)
{
	double r = cp + wp / 3600.0;

	return isfinite(r) ? r : NAN;
}

double
met_vdot(double dist, double t)
{
	double v, m, vo2, pct, r = NAN;

	if (!isfinite(dist) || !isfinite(t) || dist <= 0 || t <= 0)
		goto out;
	m = t / 60.0;
	if (m < 1.0 || m > 1000.0)
		goto out;
	v = dist / m; /* m/min */
	vo2 = -4.60 + 0.182258 * v + 0.000104 * v * v;
	pct = 0.8 + 0.1894393 * exp(-0.012778 * m) +
	      0.2989558 * exp(-0.1932605 * m);
	r = vo2 / pct;
	if (!isfinite(r))
		r = NAN;
out:
	return r;
}

double
met_vdot_time(double dist, double vdot)
{
	double lo = 60.0, hi = 60000.0, flo, fhi, r = NAN;
	int i;

	if (!isfinite(dist) || !isfinite(vdot) || dist <= 0 || vdot <= 0)
		goto out;
	/* VDOT(dist, t) falls as t grows over the bracket (faster is
	 * higher); the root is where it crosses vdot. */
	flo = met_vdot(dist, lo) - vdot;
	fhi = met_vdot(dist, hi) - vdot;
	if (!(flo >= 0) || !(fhi <= 0))
		goto out;
	for (i = 0; i < 100 && hi - lo > 1e-9; i++) {
		double mid = 0.5 * (lo + hi);
		double f = met_vdot(dist, mid) - vdot;

		if (f > 0)
			lo = mid;
		else
			hi = mid;
	}
	r = 0.5 * (lo + hi);
out:
	return r;
}

double
met_riegel(double d1, double t1, double d2)
{
	double r = NAN;

	if (isfinite(d1) && isfinite(t1) && isfinite(d2) && d1 > 0 && t1 > 0 &&
	    d2 > 0)
		r = t1 * pow(d2 / d1, MET_RIEGEL_EXP);
	return isfinite(r) ? r : NAN;
}

double
met_vdot_best(const double *dist, const double *t, size_t n, size_t *which)
{
	double best = NAN;
	size_t i;

	*which = n;
	for (i = 0; i < n; i++) {
		double v;

		if (!(dist[i] >= MET_VDOT_MIN_DIST))
			continue;
		v = met_vdot(dist[i], t[i]);
		if (isfinite(v) && v > 0 && (*which == n || v > best)) {
			best = v;
			*which = i;
		}
	}
	return best;
}

void
met_predict(double vdot, double d1, double t1, struct met_pred out[MET_NPRED])
{
	size_t i;

	for (i = 0; i < MET_NPRED; i++) {
		out[i].dist = met_pred_dist[i];
		out[i].time = met_vdot_time(met_pred_dist[i], vdot);
		out[i].riegel = met_riegel(d1, t1, met_pred_dist[i]);
	}
}
