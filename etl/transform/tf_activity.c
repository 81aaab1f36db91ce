/* tf_activity.c: one activity through the pipeline: read raw and delete (start), compute on the pool, write (finish) */
#include "tf.h"

#include <math.h>   /* NAN, isnan */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* malloc, free */
#include <string.h> /* memcpy, strdup */

#include "db.h"
#include "log.h"
#include "tf_act.h"

static char *
tf_dup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
tf_act_free(struct tf_act *a)
{
	free(a->name);
	free(a->tz);
	free(a->gear);
	free(a->polyline);
	free(a->lap_start);
	free(a->lap_elapsed);
}

/* Read the raw row. 1 found, 0 none, -1 error. */
static int
tf_act_read(struct db_conn *db, long long id, struct tf_act *a)
{
	struct db_param p[1] = {DB_I64(id)};
	struct db_res res;
	int r;

	if (db_query(db, TF_ACT, p, 1, &res) != 0)
		return -1;
	r = db_fetch(&res);
	if (r == 1) {
		a->id = db_i64(&res, 0);
		a->athlete = db_i64(&res, 1);
		snprintf(a->source, sizeof(a->source), "%s",
		         db_str(&res, 2) ? db_str(&res, 2) : "api");
		a->name = tf_dup(db_str(&res, 3));
		snprintf(a->sport, sizeof(a->sport), "%s",
		         db_str(&res, 4) ? db_str(&res, 4) : "Workout");
		snprintf(a->start_utc, sizeof(a->start_utc), "%s",
		         db_str(&res, 5) ? db_str(&res, 5) : "");
		snprintf(a->start_local, sizeof(a->start_local), "%s",
		         db_str(&res, 6) ? db_str(&res, 6) : "");
		a->tz = tf_dup(db_str(&res, 7));
		a->distance = db_dbl(&res, 8);
		a->moving = db_dbl(&res, 9);
		a->elapsed = db_dbl(&res, 10);
		a->elev = db_dbl(&res, 11);
		a->avg_speed = db_dbl(&res, 12);
		a->max_speed = db_dbl(&res, 13);
		a->avg_hr = db_dbl(&res, 14);
		a->max_hr = db_dbl(&res, 15);
		a->avg_power = db_dbl(&res, 16);
		a->kj = db_dbl(&res, 17);
		a->gear = tf_dup(db_str(&res, 18));
		a->commute = (int)db_i64(&res, 19);
		a->trainer = (int)db_i64(&res, 20);
		a->manual = (int)db_i64(&res, 21);
		a->has_streams = (int)db_i64(&res, 22);
		a->deleted = (int)db_i64(&res, 23);
		a->polyline = tf_dup(db_str(&res, 24));
		snprintf(a->changed_at, sizeof(a->changed_at), "%s",
		         db_str(&res, 25) ? db_str(&res, 25) : "");
	}
	db_res_free(&res);
	return r;
}

/* The stored StreamSet JSON, copied into j->blob (NULL when none).
 * 0 or -1. */
static int
tf_act_blob(struct db_conn *db, long long id, struct tf_job *j)
{
	struct db_param p[1] = {DB_I64(id)};
	struct db_res res;
	int f, rc = -1;

	if (db_query(db, TF_STREAM, p, 1, &res) != 0)
		return -1;
	f = db_fetch(&res);
	if (f < 0)
		goto out;
	if (f == 1 && db_str(&res, 0) != NULL) {
		size_t len;
		const void *b = db_blob(&res, 0, &len);

		j->blob = malloc(len + 1);
		if (j->blob == NULL)
			goto out;
		memcpy(j->blob, b, len);
		j->blob[len] = '\0';
		j->len = len;
	}
	rc = 0;
out:
	db_res_free(&res);
	return rc;
}

/* The recorded laps (start offset, elapsed) into a. 0 or -1. */
static int
tf_act_laps_read(struct db_conn *db, long long id, struct tf_act *a)
{
	struct db_param p[1] = {DB_I64(id)};
	struct db_res res;
	size_t cap = 0;
	int f, rc = -1;

	if (db_query(db, TF_LAPS, p, 1, &res) != 0)
		return -1;
	while ((f = db_fetch(&res)) == 1) {
		if (a->nlaps == cap) {
			size_t nc = cap ? cap * 2 : 16;
			double *s = realloc(a->lap_start, nc * sizeof(double));
			double *e;

			if (s == NULL)
				goto out;
			a->lap_start = s;
			e = realloc(a->lap_elapsed, nc * sizeof(double));
			if (e == NULL)
				goto out;
			a->lap_elapsed = e;
			cap = nc;
		}
		a->lap_start[a->nlaps] = db_dbl(&res, 0);
		a->lap_elapsed[a->nlaps] = db_dbl(&res, 1);
		a->nlaps++;
	}
	if (f == 0)
		rc = 0;
out:
	if (rc != 0 && f >= 0) /* a database error keeps its own text */
		snprintf(db->err, sizeof(db->err),
		         "cannot read laps: out of memory");
	db_res_free(&res);
	return rc;
}

static void
tf_widen(long d, long *d0, long *d1)
{
	if (d < 0)
		return;
	if (*d0 < 0 || d < *d0)
		*d0 = d;
	if (*d1 < 0 || d > *d1)
		*d1 = d;
}

static int
tf_act_delete(struct db_conn *db, long long id)
{
	static const int del[] = {TF_DEL_ACT,   TF_DEL_STREAM, TF_DEL_ZONE,
	                          TF_DEL_CURVE, TF_DEL_GRID,   TF_DEL_EFFORT,
	                          TF_DEL_ROUTE, TF_DEL_LAPS};
	struct db_param p[1] = {DB_I64(id)};
	size_t i;

	for (i = 0; i < sizeof(del) / sizeof(del[0]); i++)
		if (db_exec(db, del[i], p, 1) < 0)
			return -1;
	return 0;
}

/* Record which version of the raw row the marts now reflect (or forget it). */
static int
tf_act_seen(struct db_conn *db, long long id, long long athlete,
            const struct tf_act *a)
{
	struct db_param p[3] = {DB_I64(id), DB_I64(athlete), DB_NULL};

	if (a == NULL || a->changed_at[0] == '\0' || a->athlete != athlete)
		return db_exec(db, TF_SEEN_DEL, p, 1) < 0 ? -1 : 0;
	p[2] = DB_STR(a->changed_at);
	return db_exec(db, TF_SEEN_PUT, p, 3) < 0 ? -1 : 0;
}

void
tf_job_build(struct pool_job *pj)
{
	struct tf_job *j = (struct tf_job *)pj;

	j->rc = tf_act_build(&j->a, j->blob, j->len, j->set, &j->o);
}

void
tf_job_clear(struct tf_job *j)
{
	tf_out_free(&j->o);
	tf_act_free(&j->a);
	free(j->blob);
	memset(j, 0, sizeof(*j));
}

int
tf_activity_start(struct tf_run *r, const struct tf_settings *set,
                  long long athlete, long long id, long *d0, long *d1,
                  struct tf_job *j)
{
	struct db_param p[1] = {DB_I64(id)};
	struct db_res res;
	struct tf_act *a = &j->a;
	int rc = -1, f;

	memset(j, 0, sizeof(*j));
	if (!r->full) {
		if (db_query(r->db, TF_MART_DATE, p, 1, &res) != 0)
			goto out;
		if (db_fetch(&res) == 1)
			tf_widen(tf_day(db_str(&res, 0)), d0, d1);
		db_res_free(&res);
		if (tf_act_delete(r->db, id) != 0)
			goto out;
	}
	f = tf_act_read(r->db, id, a);
	if (f < 0 || tf_act_seen(r->db, id, athlete, f ? a : NULL) != 0)
		goto out;
	if (f == 0 || a->deleted || a->athlete != athlete) {
		rc = 0;
		goto out;
	}
	a->day = tf_day(a->start_local);
	if (a->day < 0) {
		log_warn("activity %lld: no local start date; skipped", id);
		rc = 0;
		goto out;
	}
	tf_ymd(a->day, a->ymd);
	tf_widen(a->day, d0, d1);
	a->group = tf_sport_group(a->sport);
	a->ftp = tf_setting_at(set, "ftp", a->day);
	a->max_hr_set = tf_setting_at(set, "max_hr", a->day);
	a->rest_hr = tf_setting_at(set, "resting_hr", a->day);
	a->thr_hr = tf_setting_at(set, "threshold_hr", a->day);
	a->thr_speed = tf_setting_at(set, "threshold_pace", a->day);
	a->thr_speed = isnan(a->thr_speed) ? NAN : 1000.0 / a->thr_speed;
	{
		const char *sex = tf_setting_text(set, "sex", a->day);

		a->female = sex != NULL && (sex[0] == 'F' || sex[0] == 'f');
	}
	tf_act_power_settings(a, set);
	{
		const char *u = tf_setting_text(set, "units", a->day);

		a->imperial = u != NULL && strcmp(u, "imperial") == 0;
	}
	if (tf_act_laps_read(r->db, id, a) != 0 ||
	    tf_act_blob(r->db, id, j) != 0)
		goto out;
	j->set = set;
	j->pj.run = tf_job_build;
	pool_submit(r->pool, &j->pj);
	return 0;
out:
	if (rc != 0)
		log_err("cannot transform activity %lld: %s", id, r->db->err);
	tf_job_clear(j); /* nothing to write: the slot is free again */
	return rc;
}

int
tf_activity_finish(struct tf_run *r, struct tf_job *j)
{
	int rc = -1;

	pool_wait(r->pool, &j->pj);
	if (j->rc != 0) {
		log_err("cannot transform activity %lld: out of memory",
		        j->a.id);
		goto out;
	}
	if (tf_act_write(r->db, &j->a, &j->o) != 0) {
		log_err("cannot transform activity %lld: %s", j->a.id,
		        r->db->err);
		goto out;
	}
	r->activities++;
	rc = 0;
out:
	tf_job_clear(j);
	return rc;
}
