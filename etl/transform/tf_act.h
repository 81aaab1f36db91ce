/* tf_act.h: one activity's summary and metrics between computing and writing them */
#ifndef CAIRN_TF_ACT_H
#define CAIRN_TF_ACT_H

#include <stddef.h> /* size_t */

#include "met.h"
#include "pool.h"

struct tf_settings;
struct tf_run;
struct db_conn;

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
	double gap; /* grade-adjusted speed, m/s (runs) */
	const char *load_kind;
	int commute, trainer, manual, has_streams, deleted, spikes;
	double ftp, max_hr_set, rest_hr, thr_hr, thr_speed;
	int female;
	/* settings in force for the power models (tf_act_power.c) */
	double cp, w_prime, weight, bike_weight, cda, crr;
	int use_est;
	/* their results: J, W, W, W or m/min per bpm; NaN when none */
	double wbal_min, est_avg_power, est_np, ef;
	int power_estimated; /* the power metrics come from the estimate */
	/* recorded laps (cairn_raw.activity_lap), owned: s from the
	 * activity's start; t0: the raw time of the stream's first sample */
	double *lap_start, *lap_elapsed;
	size_t nlaps;
	double t0;
	int imperial; /* the units setting in force is 'imperial' */
};

#define TF_NCURVE 4 /* power, hr, speed, gap */

/* One mean-max curve: n float32 values, little endian (NULL: none). */
/* The curve kinds, in tf_out.curve order. */
extern const char *const tf_curve_kinds[TF_NCURVE];

struct tf_curve_out {
	const char *kind;
	size_t n;
	unsigned char *packed;
	unsigned char *grid; /* lib/cgrid.h: the values at the grid durations */
	size_t ngrid;
};

/* The mart rows of one activity, built off the database. Every pointer
 * is owned by the struct (tf_out_free); NULL means "no such row". */
struct tf_out {
	unsigned char *stream; /* packed cleaned channels (lib/spk.h) */
	size_t stream_len, n;
	char *zones; /* JSON */
	struct tf_curve_out curve[TF_NCURVE];
	char *efforts; /* JSON */
	char *route;   /* encoded polyline */
	char *laps;    /* JSON rows of cairn_mart.activity_lap */
};

/* Metrics of a cleaned series into a (NaN where a channel is missing). */
void tf_act_metrics(struct tf_act *a, const struct met_series *s);

/*
 * Everything about one activity that needs no database: parse and clean
 * the raw streams (blob, len: the stored StreamSet JSON; NULL when none),
 * the metrics into a, the rows into o. Safe to run on several threads at
 * once (set is only read). Unusable streams are a warning and leave the
 * metrics empty; 0, or -1 when out of memory (o is then empty).
 */
int tf_act_build(struct tf_act *a, const char *blob, size_t len,
                 const struct tf_settings *set, struct tf_out *o);
void tf_out_free(struct tf_out *o);

/* --------------------------------------------- power models (tf_act_power.c)
 */
/* The per-second streams they add to the packed streams; owned. */
struct tf_pw {
	double *est;  /* est_watts, NULL when the model cannot run */
	double *wbal; /* wbal, NULL without power */
};

/* Read cp, w_prime, weight, bike_weight, cda, crr, use_estimated_power
 * in force on the activity's day into a. */
void tf_act_power_settings(struct tf_act *a, const struct tf_settings *set);

/*
 * Before the metrics: the estimated power of a ride (est_avg_power, est_np)
 * and, when the athlete turned use_estimated_power on and no meter
 * recorded power, the estimate as the series' power (power_estimated).
 * s may be NULL (no streams: every result NaN). 0, or -1 out of memory.
 */
int tf_act_power_pre(struct tf_act *a, struct met_series *s, struct tf_pw *p);

/* After the metrics: W' balance (wbal_min) and the efficiency factor. 0,
 * or -1 out of memory. */
int tf_act_power_post(struct tf_act *a, const struct met_series *s,
                      struct tf_pw *p);
void tf_pw_free(struct tf_pw *p);

/* ------------------------------- laps, splits, intervals (tf_act_laps.c) */
/*
 * The rows of cairn_mart.activity_lap into o->laps (JSON; NULL when none):
 * the recorded laps (two or more) mapped onto s, else the automatic splits
 * (runs per km or mile, rides per 5 km), and the intervals detected on
 * the basis the sport and settings give (docs/METRICS.md "Laps, splits
 * and intervals"). inc, adj: met_gap_inc's (NULL when not computed).
 * 0, or -1 when out of memory.
 */
int tf_act_laps(const struct tf_act *a, const struct met_series *s,
                const double *inc, const double *adj, struct tf_out *o);

/* Write the activity row and the rows in o. 0 or -1 (db->err). */
int tf_act_write(struct db_conn *db, const struct tf_act *a,
                 const struct tf_out *o);

/* ---------------------------------------------------------------- pipeline */
#define TF_MAX_THREADS POOL_MAX_THREADS

/* One activity between its reads and its writes (tf_activity.c); it runs
 * tf_act_build on the pool (lib/pool.h). */
struct tf_job {
	struct pool_job pj; /* first: the pool's part (state, queue) */
	struct tf_act a;
	const struct tf_settings *set;
	char *blob; /* the raw StreamSet JSON, owned; NULL when none */
	size_t len;
	struct tf_out o;
	int rc; /* tf_act_build's */
};

/* The pool's run of a job: tf_act_build. */
void tf_job_build(struct pool_job *pj);

#endif
