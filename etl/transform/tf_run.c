/* tf_run.c: one transform run: per athlete, what changed, one transaction, the stats line */
#include "tf.h"

#include <limits.h> /* LONG_MAX */
#include <math.h>   /* sin */
#include <stdio.h>  /* fprintf, snprintf */
#include <stdlib.h> /* malloc, free, qsort */
#include <string.h> /* strcmp */
#include <time.h>   /* clock_gettime, localtime_r */
#include <unistd.h> /* sysconf */

#include <jansson.h> /* json_object_seed */

#include "cfg.h"
#include "db.h"
#include "log.h"
#include "stamp.h"
#include "tf_act.h"

struct tf_ids {
	long long *v;
	size_t n, cap;
};

static int
tf_ids_add(struct tf_ids *ids, long long id)
{
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 64;
		long long *v = realloc(ids->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n++] = id;
	return 0;
}

static int
tf_ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Append the first column of every row of stmt(p) to ids. */
static int
tf_ids_query(struct db_conn *db, int stmt, const struct db_param *p,
             unsigned np, struct tf_ids *ids)
{
	struct db_res res;
	int r;

	if (db_query(db, stmt, p, np, &res) != 0)
		return -1;
	while ((r = db_fetch(&res)) == 1)
		if (tf_ids_add(ids, db_i64(&res, 0)) != 0) {
			r = -1;
			break;
		}
	db_res_free(&res);
	return r < 0 ? -1 : 0;
}

struct tf_state {
	char watermark[40];
	char sig[65];
	long today;
	int found;
};

static int
tf_state_read(struct db_conn *db, long long athlete, struct tf_state *st)
{
	struct db_param p[1] = {DB_I64(athlete)};
	struct db_res res;
	int r;

	memset(st, 0, sizeof(*st));
	st->today = -1;
	if (db_query(db, TF_STATE, p, 1, &res) != 0)
		return -1;
	r = db_fetch(&res);
	if (r == 1) {
		st->found = 1;
		if (db_str(&res, 0) != NULL)
			snprintf(st->watermark, sizeof(st->watermark), "%s",
			         db_str(&res, 0));
		if (db_str(&res, 1) != NULL)
			snprintf(st->sig, sizeof(st->sig), "%s",
			         db_str(&res, 1));
		st->today = tf_day(db_str(&res, 2));
	}
	db_res_free(&res);
	return r < 0 ? -1 : 0;
}

static int
tf_wipe(struct db_conn *db, long long athlete)
{
	struct db_param p[1] = {DB_I64(athlete)};
	int s;

	for (s = TF_WIPE_ACT; s <= TF_WIPE_LAPS; s++)
		if (db_exec(db, s, p, 1) < 0)
			return -1;
	return db_exec(db, TF_WIPE_SEEN, p, 1) < 0 ? -1 : 0;
}

/* Wait for every job in flight and drop it unwritten (after a failure). */
static void
tf_jobs_drop(struct tf_run *r)
{
	size_t k;

	for (k = 0; k < r->njobs; k++)
		if (r->jobs[k].pj.state != POOL_JOB_FREE) {
			pool_wait(r->pool, &r->jobs[k].pj);
			tf_job_clear(&r->jobs[k]);
		}
}

/*
 * Recompute the activities ids (sorted; repeats skipped) through the
 * ring of jobs: the reads of activity k+njobs wait for the writes of
 * activity k, and the pool computes the ones in between meanwhile.
 * Rows are written in id order. 0 or -1.
 */
static int
tf_activities(struct tf_run *r, const struct tf_settings *set,
              long long athlete, const struct tf_ids *ids, long *d0, long *d1)
{
	size_t i, k, slot = 0;

	for (i = 0; i < ids->n; i++) {
		struct tf_job *j = &r->jobs[slot];

		if (i > 0 && ids->v[i] == ids->v[i - 1])
			continue;
		if (j->pj.state != POOL_JOB_FREE &&
		    tf_activity_finish(r, j) != 0)
			goto fail;
		if (tf_activity_start(r, set, athlete, ids->v[i], d0, d1, j) !=
		    0)
			goto fail;
		slot = (slot + 1) % r->njobs;
	}
	for (k = 0; k < r->njobs; k++) {
		struct tf_job *j = &r->jobs[(slot + k) % r->njobs];

		if (j->pj.state != POOL_JOB_FREE &&
		    tf_activity_finish(r, j) != 0)
			goto fail;
	}
	return 0;
fail:
	tf_jobs_drop(r);
	return -1;
}

/*
 * The settings in force changed since the marts were built (sig differs
 * from old_sig): what to redo. Zones or the model window: every activity
 * (*all). Rows only: the activities from the first day on which a value in
 * force differs (docs/METRICS.md "Settings in force"), merged into from
 * (11 bytes, "" for none). 0, or -1 logged.
 */
static int
tf_changed_from(struct db_conn *db, long long athlete,
                const struct tf_settings *set, const char *old_sig, int *all,
                char *from)
{
	struct tf_settings used;
	char err[512], day[11];
	long d;

	if (tf_sig_rest_differs(set->sig, old_sig)) {
		*all = 1;
		return 0;
	}
	if (tf_settings_used(db, athlete, &used, err, sizeof(err)) != 0) {
		log_err("%s", err);
		return -1;
	}
	d = tf_settings_diff(set, &used);
	tf_settings_free(&used);
	if (d == LONG_MIN) {
		*all = 1;
	} else if (d != LONG_MAX) {
		tf_ymd(d, day);
		if (from[0] == '\0' || strcmp(day, from) < 0)
			memcpy(from, day, sizeof(day));
	}
	return 0;
}

static double tf_now(void);

/* The body of tf_athlete inside its transaction. */
static int
tf_athlete_tx(struct tf_run *r, long long athlete, int *changed)
{
	struct tf_settings set;
	struct tf_state st;
	struct tf_ids ids = {0}, reqs = {0};
	struct db_param p[4];
	struct db_res res;
	char err[512], from[11] = "", today[11];
	const char *fromp = from, *todayp = today, *wm = NULL;
	int all = 0, full, rc = -1, f;
	long d0 = -1, d1 = -1, fit_from;
	size_t i;

	memset(&set, 0, sizeof(set));
	*changed = 0;
	tf_ymd(r->today, today);
	if (tf_settings_load(r->db, athlete, &set, err, sizeof(err)) != 0) {
		log_err("%s", err);
		goto out;
	}
	/* the models' window is part of what the marts were built with */
	snprintf(set.sig + strlen(set.sig), sizeof(set.sig) - strlen(set.sig),
	         "w%ld", r->model_days);
	if (tf_state_read(r->db, athlete, &st) != 0)
		goto dberr;
	full = r->full || !st.found;
	r->whole = full;
	/* Pending recompute requests: the earliest date, or everything. */
	p[0] = DB_I64(athlete);
	if (db_query(r->db, TF_REQUESTS, p, 1, &res) != 0)
		goto dberr;
	while ((f = db_fetch(&res)) == 1) {
		const char *fd = db_str(&res, 1);

		if (tf_ids_add(&reqs, db_i64(&res, 0)) != 0)
			f = -1;
		if (fd == NULL)
			all = 1;
		else if (from[0] == '\0' || strcmp(fd, from) < 0)
			snprintf(from, sizeof(from), "%s", fd);
		if (f < 0)
			break;
	}
	db_res_free(&res);
	if (f < 0)
		goto dberr;
	if (strcmp(set.sig, st.sig) != 0 &&
	    tf_changed_from(r->db, athlete, &set, st.sig, &all, from) != 0)
		goto out;
	if (full) {
		all = 1;
		if (tf_wipe(r->db, athlete) != 0)
			goto dberr;
	}
	p[0] = DB_I64(athlete);
	p[1] = DB_I64(all);
	p[2] = from[0] != '\0' ? DB_STR(fromp) : DB_NULL;
	if (tf_ids_query(r->db, TF_CHANGED, p, 3, &ids) != 0)
		goto dberr;
	p[1] = DB_I64(athlete);
	if (!full && tf_ids_query(r->db, TF_ORPHANS, p, 2, &ids) != 0)
		goto dberr;
	if (ids.n > 1)
		qsort(ids.v, ids.n, sizeof(*ids.v), tf_ll_cmp);
	if (tf_activities(r, &set, athlete, &ids, &d0, &d1) != 0)
		goto out;
	if (full) {
		d0 = 0;
		d1 = tf_day("9999-12-31");
	}
	/* Fitness from the earliest changed day, and at least from the day
	 * after the last run's (and this run's) today: every later row is a
	 * projection or lies in the future, and its range may grow. */
	fit_from = d0 >= 0 ? d0 : LONG_MAX;
	if (st.today < 0)
		fit_from = 0;
	else if (st.today + 1 < fit_from)
		fit_from = st.today + 1;
	if (r->today + 1 < fit_from)
		fit_from = r->today + 1;
	*changed = full || ids.n > 0 || reqs.n > 0 ||
	           strcmp(set.sig, st.sig) != 0 || st.today != r->today;
	if (*changed) {
		double t;

		if (tf_aggregate(r, athlete, d0, d1, fit_from) != 0)
			goto dberr;
		t = tf_now();
		f = tf_models(r, athlete, d0, d1, st.today,
		              full || tf_sig_rest_differs(set.sig, st.sig));
		r->model_seconds += tf_now() - t;
		if (f != 0 || tf_settings_store(r->db, athlete, &set) != 0)
			goto dberr;
	}
	p[0] = DB_I64(*changed);
	p[1] = DB_I64(athlete);
	p[2] = DB_I64(*changed);
	if (db_exec(r->db, TF_ATHLETE_PUT, p, 3) < 0)
		goto dberr;
	/* The watermark: the newest change seen in this snapshot. */
	p[0] = DB_I64(athlete);
	if (db_query(r->db, TF_MAX_CHANGED, p, 1, &res) != 0)
		goto dberr;
	wm = NULL;
	if (db_fetch(&res) == 1 && db_str(&res, 0) != NULL)
		snprintf(st.watermark, sizeof(st.watermark), "%s",
		         db_str(&res, 0)),
		    wm = st.watermark;
	db_res_free(&res);
	{
		const char *sig = set.sig;

		p[1] = DB_STR(wm);
		p[2] = DB_STR(sig);
		p[3] = DB_STR(todayp);
		if (db_exec(r->db, TF_STATE_PUT, p, 4) < 0)
			goto dberr;
	}
	for (i = 0; i < reqs.n; i++) {
		p[0] = DB_I64(reqs.v[i]);
		if (db_exec(r->db, TF_REQUEST_DONE, p, 1) < 0)
			goto dberr;
	}
	rc = 0;
	goto out;
dberr:
	log_err("cannot transform athlete %lld: %s", athlete, r->db->err);
out:
	free(ids.v);
	free(reqs.v);
	tf_settings_free(&set);
	return rc;
}

/*
 * After a commit that changed marts, rewrite the mart stamp (setting
 * mart_stamp), so cairn-api reads the new mart version at once. A stamp
 * that cannot be written only delays that by api_version_max_age.
 */
static void
tf_stamp(const struct tf_run *r)
{
	char err[512];

	if (stamp_bump(cfg_get(r->cfg, "mart_stamp", NULL), 1, err,
	               sizeof(err)) != 0)
		log_warn("%s", err);
}

int
tf_athlete(struct tf_run *r, long long athlete)
{
	int changed = 0;

	log_set_athlete(athlete);
	if (db_begin(r->db) != 0) {
		log_err("cannot start a transaction: %s", r->db->err);
		return -1;
	}
	if (tf_athlete_tx(r, athlete, &changed) != 0) {
		db_rollback(r->db);
		return -1;
	}
	if (db_commit(r->db) != 0) {
		log_err("cannot commit athlete %lld: %s", athlete, r->db->err);
		db_rollback(r->db);
		return -1;
	}
	if (changed)
		tf_stamp(r);
	return changed;
}

static double
tf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
tf_today(const struct cfg *cf)
{
	const char *t = cfg_get(cf, "today", NULL);
	time_t now;
	struct tm tm;
	char buf[16];

	if (t != NULL && tf_day(t) >= 0)
		return tf_day(t);
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	return tf_day(buf);
}

/* The compute threads (transform_threads, default: one per CPU) and a
 * ring of jobs twice as deep plus two. 0, -1 out of memory, -2 a bad
 * setting. */
static int
tf_pipeline_new(struct tf_run *r)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN), threads;
	char err[256];

	if (cpus < 1)
		cpus = 1;
	if (cpus > TF_MAX_THREADS)
		cpus = TF_MAX_THREADS;
	if (cfg_get_long(r->cfg, "transform_threads", cpus, 0, TF_MAX_THREADS,
	                 &threads, err, sizeof(err)) != 0) {
		log_err("%s", err);
		return -2;
	}
	json_object_seed(0); /* before any thread builds a JSON object */
	r->pool = pool_new((int)threads);
	r->njobs = 2 * (size_t)threads + 2;
	r->jobs = calloc(r->njobs, sizeof(*r->jobs));
	if (r->pool == NULL || r->jobs == NULL) {
		log_err("cannot start the transform: out of memory");
		return -1;
	}
	if (pool_threads(r->pool) < threads)
		log_warn("started %d of %ld compute threads",
		         pool_threads(r->pool), threads);
	return 0;
}

int
tf_main(const struct cfg *cf, long long athlete, int full)
{
	struct tf_run r;
	struct tf_ids ath = {0};
	struct db_param p[2] = {DB_I64(athlete), DB_I64(athlete)};
	char err[1024];
	double t0 = tf_now();
	size_t i, ok = 0, failed = 0;
	int rc = 1;

	memset(&r, 0, sizeof(r));
	r.cfg = cf;
	r.full = full;
	r.today = tf_today(cf);
	r.db = db_open(cf, DB_ETL, tf_sql, TF__MAX, err, sizeof(err));
	if (r.db == NULL) {
		log_err("%s", err);
		goto out;
	}
	if (cfg_get_long(cf, "model_window_days", 90, 7, 3650, &r.model_days,
	                 err, sizeof(err)) != 0) {
		log_err("%s", err);
		rc = 2;
		goto out;
	}
	if ((rc = tf_pipeline_new(&r)) != 0) {
		rc = rc == -2 ? 2 : 1;
		goto out;
	}
	rc = 1;
	if (db_sql(r.db, "SET SESSION TRANSACTION ISOLATION LEVEL "
	                 "REPEATABLE READ") != 0 ||
	    tf_ids_query(r.db, TF_ATHLETES, p, 2, &ath) != 0) {
		log_err("cannot list athletes: %s", r.db->err);
		goto out;
	}
	if (athlete != 0 && ath.n == 0) {
		log_err("no athlete %lld in cairn_raw.athlete", athlete);
		goto out;
	}
	for (i = 0; i < ath.n; i++) {
		if (tf_athlete(&r, ath.v[i]) < 0)
			failed++;
		else
			ok++;
	}
	log_set_athlete(0);
	rc = failed == 0 ? 0 : ok > 0 ? 3 : 1;
	log_info("transformed %zu athlete(s), %zu failed, %zu activities", ok,
	         failed, r.activities);
out:
	fprintf(stderr,
	        "transform-stats activities=%zu seconds=%.3f "
	        "model_seconds=%.3f\n",
	        r.activities, tf_now() - t0, r.model_seconds);
	free(ath.v);
	pool_free(r.pool);
	free(r.jobs);
	db_close(r.db);
	return rc;
}

static int
tf_dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
tf_bench_meanmax(size_t n)
{
	double *v = malloc(n * sizeof(double)),
	       *out = malloc(n * sizeof(double));
	double ms[5], t;
	unsigned long long x = 88172645463325252ULL;
	size_t i;
	int k;

	if (v == NULL || out == NULL) {
		free(v);
		free(out);
		return -1;
	}
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v[i] = 200 + 80 * sin((double)i / 300.0) + (double)(x % 200);
	}
	for (k = 0; k < 5; k++) {
		t = tf_now();
		met_meanmax(v, n, out);
		ms[k] = (tf_now() - t) * 1000.0;
	}
	qsort(ms, 5, sizeof(double), tf_dbl_cmp);
	free(v);
	free(out);
	return ms[2];
}
