/* tf_act.h: one activity's summary and metrics between computing and writing them */
#ifndef CAIRN_TF_ACT_H
#define CAIRN_TF_ACT_H

#include "met.h"

struct tf_settings;
struct tf_run;

struct tf_act {
	long long id, athlete;
	char source[16], sport[48], ymd[11];
	const char *group;
	char start_utc[24], start_local[24];
	char *name, *tz, *gear, *polyline;
	char changed_at[32]; /* raw.activity.changed_at as read */
	long day;
	double distance, moving, elapsed, elev, avg_speed, max_speed;
	double avg_hr, max_hr, avg_power, max_power, np, ifac, vi, tss;
	double load_hr, load_pace, trimp, decoupling, load, avg_cad, kj;
	const char *load_kind;
	int commute, trainer, manual, has_streams, deleted, spikes;
	double ftp, max_hr_set, rest_hr, thr_hr, thr_speed;
	int female;
};

/* Metrics of a cleaned series into a (NaN where a channel is missing). */
void tf_act_metrics(struct tf_act *a, const struct met_series *s);

/* Write the activity row and, with s, its streams, zones, curves, best
 * efforts and route. 0 or -1 (r->db->err). */
int tf_act_write(struct tf_run *r, const struct tf_act *a,
                 const struct met_series *s, const struct tf_settings *set);

#endif
