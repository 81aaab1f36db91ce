/* tf_act_power.c: one activity's power models: estimated power, W' balance, efficiency factor */
#include "tf.h"

#include <math.h>   /* NAN, isnan */
#include <stdlib.h> /* malloc, free */
#include <string.h> /* memcpy, strcmp */

#include "tf_act.h"

void
tf_act_power_settings(struct tf_act *a, const struct tf_settings *set)
{
	double u = tf_setting_at(set, "use_estimated_power", a->day);

	a->cp = tf_setting_at(set, "cp", a->day);
	a->w_prime = tf_setting_at(set, "w_prime", a->day);
	a->weight = tf_setting_at(set, "weight", a->day);
	a->bike_weight = tf_setting_at(set, "bike_weight", a->day);
	a->cda = tf_setting_at(set, "cda", a->day);
	a->crr = tf_setting_at(set, "crr", a->day);
	a->use_est = !isnan(u) && u != 0;
}

void
tf_pw_free(struct tf_pw *p)
{
	if (p == NULL)
		return;
	free(p->est);
	free(p->wbal);
	p->est = p->wbal = NULL;
}

int
tf_act_power_pre(struct tf_act *a, struct met_series *s, struct tf_pw *p)
{
	struct met_bike b;
	double *w = NULL;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	a->wbal_min = a->est_avg_power = a->est_np = a->ef = NAN;
	a->power_estimated = 0;
	if (s == NULL || strcmp(a->group, "ride") != 0 || isnan(a->weight) ||
	    a->weight <= 0)
		return 0;
	b.mass =
	    a->weight + (isnan(a->bike_weight) ? MET_BIKE_KG : a->bike_weight);
	b.cda = isnan(a->cda) ? MET_CDA : a->cda;
	b.crr = isnan(a->crr) ? MET_CRR : a->crr;
	b.drive_eff = MET_DRIVE_EFF;
	p->est = malloc(s->n * sizeof(double));
	if (p->est == NULL)
		goto out;
	if (met_est_power(s, &b, p->est) != 0) {
		free(p->est);
		p->est = NULL;
		rc = 0;
		goto out;
	}
	a->est_avg_power = met_mean(p->est, s->pause, s->n);
	a->est_np = met_np(p->est, s->pause, s->n);
	if (a->use_est && s->ch[MET_WATTS] == NULL) {
		w = malloc(s->n * sizeof(double));
		if (w == NULL)
			goto out;
		memcpy(w, p->est, s->n * sizeof(double));
		s->ch[MET_WATTS] = w; /* the series owns it now */
		a->power_estimated = 1;
	}
	rc = 0;
out:
	if (rc != 0)
		tf_pw_free(p);
	return rc;
}

int
tf_act_power_post(struct tf_act *a, const struct met_series *s, struct tf_pw *p)
{
	const double *w;
	double cp, wp;
	int rc = -1;

	if (s == NULL)
		return 0;
	w = s->ch[MET_WATTS];
	if (w != NULL && strcmp(a->group, "ride") == 0) {
		cp = a->cp > 0 ? a->cp : a->ftp;
		wp = a->w_prime > 0 ? a->w_prime : MET_W_PRIME_DEFAULT;
		if (cp > 0) {
			p->wbal = malloc(s->n * sizeof(double));
			if (p->wbal == NULL)
				goto out;
			a->wbal_min = met_wbal(w, s->n, cp, wp, p->wbal);
		}
	}
	if (!isnan(a->avg_hr) && a->avg_hr > 0) {
		if (strcmp(a->group, "ride") == 0 && w != NULL && !isnan(a->np))
			a->ef = a->np / a->avg_hr;
		else if (strcmp(a->group, "run") == 0) {
			double gs;

			gs = met_gap_mean(s->ch[MET_VEL], s->ch[MET_GRADE],
			                  s->moving, s->n);
			if (!isnan(gs))
				a->ef = gs * 60.0 / a->avg_hr;
		}
	}
	rc = 0;
out:
	return rc;
}
