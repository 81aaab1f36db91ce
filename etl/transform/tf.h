/* tf.h: cairn-transform: raw activities to marts (settings, per activity, aggregates, runs) */
#ifndef CAIRN_TF_H
#define CAIRN_TF_H

#include <stddef.h> /* size_t */

#include "met.h"

struct cfg;
struct db_conn;
struct json_t;
struct pool;

/* ---------------------------------------------------------------- SQL */
enum tf_stmt {
	TF_ATHLETES,
	TF_ATHLETE_ROW,
	TF_ZONES,
	TF_SETTINGS,
	TF_ESTIMATES,
	TF_STATE,
	TF_STATE_PUT,
	TF_REQUESTS,
	TF_REQUEST_DONE,
	TF_CHANGED,
	TF_MAX_CHANGED,
	TF_ORPHANS,
	TF_MART_DATE,
	TF_ACT,
	TF_STREAM,
	TF_DEL_ACT,
	TF_DEL_STREAM,
	TF_DEL_ZONE,
	TF_DEL_CURVE,
	TF_DEL_GRID,
	TF_DEL_EFFORT,
	TF_DEL_ROUTE,
	TF_DEL_LAPS,
	TF_LAPS,
	TF_INS_ACT,
	TF_INS_STREAM,
	TF_INS_CURVE,
	TF_INS_ZONES,
	TF_INS_GRID,
	TF_INS_EFFORTS,
	TF_INS_ROUTE,
	TF_INS_LAPS,
	TF_READ_ACTS,
	TF_DEL_DAY,
	TF_INS_DAY,
	TF_DEL_PERIOD,
	TF_INS_PERIOD,
	TF_DEL_FIT,
	TF_INS_FIT,
	TF_DEL_EDD,
	TF_INS_EDD,
	TF_DEL_GEAR,
	TF_INS_GEAR,
	TF_INS_GEAR_UNKNOWN,
	TF_DEL_RECORD,
	TF_INS_RECORD_ALL,
	TF_INS_RECORD_YEAR,
	TF_DEL_PR,
	TF_INS_PR,
	TF_DEL_BEST,
	TF_INS_BEST_ALL,
	TF_DEL_BEST_PERIOD,
	TF_READ_GRIDS,
	TF_INS_BESTS,
	TF_MODEL_FIRST,
	TF_MODEL_DEL,
	TF_MODEL_DEL_OUT,
	TF_MODEL_GRIDS,
	TF_MODEL_EFFORTS,
	TF_MODEL_INS,
	TF_DEL_SIF,
	TF_INS_SIF,
	TF_SIF_ROWS,
	TF_ATHLETE_PUT,
	TF_WIPE_ACT,
	TF_WIPE_STREAM,
	TF_WIPE_ZONE,
	TF_WIPE_CURVE,
	TF_WIPE_GRID,
	TF_WIPE_EFFORT,
	TF_WIPE_ROUTE,
	TF_WIPE_DAY,
	TF_WIPE_PERIOD,
	TF_WIPE_FIT,
	TF_WIPE_MODEL,
	TF_WIPE_LAPS,
	TF_WIPE_SEEN,
	TF_SEEN_PUT,
	TF_SEEN_DEL,
	TF__MAX
};
extern const char *const tf_sql[TF__MAX];

/* ---------------------------------------------------------------- dates */
/* Days since 1970-01-01 of "YYYY-MM-DD..."; -1 when malformed. */
long tf_day(const char *ymd);
/* Write day number d as "YYYY-MM-DD" into out (11 bytes). */
void tf_ymd(long d, char *out);
/* Monday of the ISO week, first of the month, first of the year. */
long tf_week_start(long d);
long tf_month_start(long d);
long tf_year_start(long d);

/* ---------------------------------------------------------------- settings */
struct tf_set_row {
	char name[32];
	long from; /* day number */
	char value[64];
	char source[10];
};

struct tf_settings {
	struct tf_set_row *rows; /* sorted by name, from */
	size_t n;
	double hr_lo[8]; /* Strava HR zones: lower bounds, nhr of them */
	size_t nhr;
	/* fingerprint of everything above: "<rows>/<zones>" in hex, 16
	 * digits each (tf_run.c appends the model window) */
	char sig[65];
};

/* Read the athlete's settings in force (user rows, Strava, estimates). */
int tf_settings_load(struct db_conn *db, long long athlete,
                     struct tf_settings *s, char *err, size_t errlen);
void tf_settings_free(struct tf_settings *s);
/* The numeric value of `name` in force on day d, NaN when none. */
double tf_setting_at(const struct tf_settings *s, const char *name, long d);
/* The text value of `name` in force on day d, NULL when none. */
const char *tf_setting_text(const struct tf_settings *s, const char *name,
                            long d);
/* The rows of cairn_mart.setting_in_force: the settings the marts were
 * last built with (no zones, no sig). 0, or -1 with err set. */
int tf_settings_used(struct db_conn *db, long long athlete,
                     struct tf_settings *s, char *err, size_t errlen);
/* The first day on which any setting in force differs between a and b:
 * LONG_MIN when they differ before every dated row, LONG_MAX never. */
long tf_settings_diff(const struct tf_settings *a, const struct tf_settings *b);
/* Do two sigs differ in more than their rows (zones, model window)? */
int tf_sig_rest_differs(const char *a, const char *b);
/* Write cairn_mart.setting_in_force for the athlete. 0 or -1. */
int tf_settings_store(struct db_conn *db, long long athlete,
                      const struct tf_settings *s);

/* ---------------------------------------------------------------- streams */
/* Parse a Strava StreamSet (key_by_type) into raw channels. 0 or -1. */
int tf_stream_parse(const char *json, size_t len, struct met_raw *raw,
                    char *err, size_t errlen);
/* The same with jansson only (what tf_stream_fast must equal). */
int tf_stream_parse_json(const char *json, size_t len, struct met_raw *raw,
                         char *err, size_t errlen);
/* One pass over the usual form: 1 parsed into raw exactly as
 * tf_stream_parse_json would, 0 not sure (raw left empty; ask jansson). */
int tf_stream_fast(const char *json, size_t len, struct met_raw *raw);
/* For the tests: 1 when tf_stream_fast declines (*fast 0) or gives what
 * jansson gives (*fast 1), 0 when the two differ. */
int tf_stream_check(const char *json, size_t len, int *fast);

/* The marts' sport groups (ride, run, swim, other), then the pseudo group
 * 'all' of the totals (tf_agg.c). */
#define TF_NGROUPS 4
extern const char *const tf_groups[TF_NGROUPS + 1];
/* Index of a sport group's name in tf_groups; "other" for any other text. */
int tf_group_index(const char *g);

/* sport_type -> ride, run, swim, other */
const char *tf_sport_group(const char *sport);

/* ---------------------------------------------------------------- work */
struct tf_run {
	struct db_conn *db;
	const struct cfg *cfg;
	long today; /* day number of "today" */
	int full;
	int whole; /* the athlete in hand is rebuilt whole (--full, first run)
	            */
	struct pool *pool;   /* computes activities off the main thread */
	struct tf_job *jobs; /* a ring of njobs slots in flight */
	size_t njobs;
	long model_days;   /* model_window_days: the models' window */
	size_t activities; /* activities (re)computed in this run */
	size_t failed;
	double model_seconds; /* spent in tf_models (make bench) */
};

/*
 * One activity in two halves, so that the next ones are computed while
 * this one is written. Start: delete its mart rows, read the raw row and
 * streams, widen d0 and d1 to its old and new local dates, and queue the
 * computation on r->pool (a deleted or unusable activity leaves the job
 * POOL_JOB_FREE: nothing to finish). Finish: wait for the computation and
 * write the rows. Both 0 or -1; the job is clear afterwards either way.
 */
struct tf_job;
int tf_activity_start(struct tf_run *r, const struct tf_settings *set,
                      long long athlete, long long id, long *d0, long *d1,
                      struct tf_job *j);
int tf_activity_finish(struct tf_run *r, struct tf_job *j);
/* Free what a job holds (after it was waited for). */
void tf_job_clear(struct tf_job *j);

/* Rebuild the athlete's aggregate marts: day and period totals of days
 * [d0, d1] (none when d0 < 0), fitness rows from day fit_from on, the
 * small whole-athlete marts always. 0 or -1. */
int tf_aggregate(struct tf_run *r, long long athlete, long d0, long d1,
                 long fit_from);

/* Run stmt with (athlete, json) when the array is not empty. 0 or -1. */
struct json_t;
int tf_bulk(struct db_conn *db, int stmt, long long athlete,
            struct json_t *arr);

/* Curve bests of the years [d0, d1] (none when d0 < 0), the 42 and 90 days
 * up to today, and 'all' from the year bests. 0 or -1. */
int tf_bests(struct db_conn *db, long long athlete, long d0, long d1,
             long today);

/* The athlete models of each day (model_day, tf_model.c): the days whose
 * window holds a changed day of [d0, d1] (none when d0 < 0) and the days
 * after prev_today (the last run's today) up to today; every day from the
 * sport's first activity when `all`. 0 or -1. */
int tf_models(struct tf_run *r, long long athlete, long d0, long d1,
              long prev_today, int all);

/* One athlete in one transaction. 1 changed, 0 nothing to do, -1 failed. */
int tf_athlete(struct tf_run *r, long long athlete);

/* All athletes (or one). Exit status as docs/ARCHITECTURE.md. */
int tf_main(const struct cfg *cf, long long athlete, int full);

/* --bench-meanmax: ms per exact curve of n points, median of 5. */
double tf_bench_meanmax(size_t n);

#endif
