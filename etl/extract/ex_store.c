/* ex_store.c: cairn-extract's writes and reads of cairn_raw and cairn_app (raw upserts, cursor, runs) */
#include "ex_store.h"

#include <math.h>   /* isnan */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* malloc, free, realloc */
#include <string.h> /* memcpy */

#include "db.h"
#include "ex_ctx.h"
#include "ex_map.h"
#include "ex_sql.h"

#define EX_TXT(tx)                                                             \
	((tx).p != NULL                                                        \
	     ? (struct db_param){.t = DB_T_STR, .p = (tx).p, .len = (tx).len}  \
	     : DB_NULL)

/* A number that is an integer column: NULL when NaN. */
static struct db_param
ex_int_or_null(double v)
{
	return isnan(v) ? DB_NULL : DB_I64((long long)llround(v));
}

static struct db_param
ex_flag_or_null(int v)
{
	return v < 0 ? DB_NULL : DB_I64(v);
}

int
ex_store_get(struct ex_ctx *x, long long id, struct ex_stored *s)
{
	struct db_param p[] = {DB_I64(id)};
	struct db_res res;
	int rc = -1, f;

	memset(s, 0, sizeof(*s));
	if (db_query(x->db, EX_SQL_ACT_GET, p, 1, &res) != 0)
		return -1;
	f = db_fetch(&res);
	if (f < 0)
		goto out;
	if (f == 1) {
		const char *sj = db_str(&res, 0);
		const char *src = db_str(&res, 4);

		s->found = 1;
		if (sj != NULL) {
			s->summary_len = res.cells[0].len;
			s->summary = malloc(s->summary_len + 1);
			if (s->summary == NULL)
				goto out;
			memcpy(s->summary, sj, s->summary_len);
			s->summary[s->summary_len] = '\0';
		}
		s->deleted = (int)db_i64(&res, 1);
		s->has_streams = (int)db_i64(&res, 2);
		s->has_detail = (int)db_i64(&res, 3);
		s->from_api = src != NULL && strcmp(src, "api") == 0;
	}
	rc = 0;
out:
	db_res_free(&res);
	return rc;
}

void
ex_stored_free(struct ex_stored *s)
{
	if (s == NULL)
		return;
	free(s->summary);
	s->summary = NULL;
}

/* Replace the activity's laps with those of its detail (none: the
 * activity has none). 0 or -1 (x->db->err). */
static int
ex_store_laps(struct ex_ctx *x, long long athlete, const struct ex_activity *a,
              struct ex_text detail)
{
	struct db_param d[] = {DB_I64(a->id)};
	struct ex_lap *laps = NULL;
	size_t n = 0, k;
	int rc = -1;

	if (ex_map_laps(detail.p, detail.len, a->start_epoch, &laps, &n,
	                x->db->err, sizeof(x->db->err)) != 0)
		goto out;
	if (db_exec(x->db, EX_SQL_LAPS_DEL, d, 1) < 0)
		goto out;
	for (k = 0; k < n; k++) {
		const struct ex_lap *l = &laps[k];
		const char *st = l->start_date;
		struct db_param p[] = {
		    DB_I64(a->id),
		    DB_I64((long long)k),
		    DB_I64(athlete),
		    st[0] ? DB_STR(st) : DB_NULL,
		    DB_DBL_OR_NULL(l->start_offset),
		    DB_DBL_OR_NULL(l->elapsed),
		    DB_DBL_OR_NULL(l->moving),
		    DB_DBL_OR_NULL(l->distance),
		    l->start_index >= 0 ? DB_I64(l->start_index) : DB_NULL,
		    l->end_index >= 0 ? DB_I64(l->end_index) : DB_NULL,
		    DB_DBL_OR_NULL(l->avg_speed),
		    DB_DBL_OR_NULL(l->max_speed),
		    DB_DBL_OR_NULL(l->avg_hr),
		    DB_DBL_OR_NULL(l->max_hr),
		    DB_DBL_OR_NULL(l->avg_watts),
		    DB_DBL_OR_NULL(l->max_watts),
		    DB_DBL_OR_NULL(l->avg_cad),
		    DB_DBL_OR_NULL(l->elev_gain),
		};

		if (db_exec(x->db, EX_SQL_LAP_PUT, p,
		            sizeof(p) / sizeof(p[0])) < 0)
			goto out;
	}
	rc = 0;
out:
	free(laps);
	return rc;
}

int
ex_store_activity(struct ex_ctx *x, long long athlete,
                  const struct ex_activity *a, struct ex_text summary,
                  struct ex_text detail, struct ex_text streams, long points,
                  int has_streams, long long cursor)
{
	struct db_param p[] = {
	    DB_I64(a->id),
	    DB_I64(athlete),
	    DB_STR(a->name),
	    DB_STR(a->sport_type),
	    DB_STR(a->type),
	    DB_STR(a->start_date),
	    DB_STR(a->start_date_local),
	    DB_STR(a->timezone),
	    ex_int_or_null(a->utc_offset),
	    DB_DBL_OR_NULL(a->distance),
	    ex_int_or_null(a->moving_time),
	    ex_int_or_null(a->elapsed_time),
	    DB_DBL_OR_NULL(a->total_elevation_gain),
	    DB_DBL_OR_NULL(a->average_speed),
	    DB_DBL_OR_NULL(a->max_speed),
	    DB_DBL_OR_NULL(a->average_heartrate),
	    DB_DBL_OR_NULL(a->max_heartrate),
	    DB_DBL_OR_NULL(a->average_watts),
	    DB_DBL_OR_NULL(a->weighted_average_watts),
	    DB_DBL_OR_NULL(a->kilojoules),
	    ex_flag_or_null(a->device_watts),
	    ex_flag_or_null(a->has_heartrate),
	    DB_I64(a->trainer),
	    DB_I64(a->commute),
	    DB_I64(a->manual),
	    DB_I64(a->private_),
	    DB_STR(a->gear_id),
	    ex_int_or_null(a->workout_type),
	    DB_STR(a->summary_polyline),
	    DB_STR(a->external_id),
	    a->has_upload_id ? DB_I64(a->upload_id) : DB_NULL,
	    DB_STR(a->description),
	    EX_TXT(summary),
	    EX_TXT(detail),
	    DB_I64(has_streams),
	};
	struct db_param sp[] = {
	    DB_I64(a->id),
	    DB_I64(athlete),
	    DB_I64(points),
	    EX_TXT(streams),
	};
	struct db_param cp[] = {DB_I64(cursor), DB_I64(athlete),
	                        DB_I64(cursor)};
	int rc = -1;

	if (db_begin(x->db) != 0)
		return -1;
	if (db_exec(x->db, EX_SQL_ACT_PUT, p, sizeof(p) / sizeof(p[0])) < 0)
		goto out;
	if (streams.p != NULL && db_exec(x->db, EX_SQL_STREAM_PUT, sp, 4) < 0)
		goto out;
	if (detail.p != NULL && ex_store_laps(x, athlete, a, detail) != 0)
		goto out;
	if (cursor > 0 && db_exec(x->db, EX_SQL_SYNC_CURSOR, cp, 3) < 0)
		goto out;
	if (db_commit(x->db) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		char keep[sizeof(x->db->err)];

		memcpy(keep, x->db->err, sizeof(keep));
		db_rollback(x->db);
		memcpy(x->db->err, keep, sizeof(keep));
	}
	return rc;
}

int
ex_store_athlete(struct ex_ctx *x, long long athlete,
                 const struct ex_athlete *at, struct ex_text json)
{
	struct db_param p[] = {
	    DB_STR(at->username),
	    DB_STR(at->firstname),
	    DB_STR(at->lastname),
	    DB_STR(at->sex),
	    DB_DBL_OR_NULL(at->weight),
	    ex_int_or_null(at->ftp),
	    DB_STR(at->city),
	    DB_STR(at->country),
	    DB_STR(at->measurement_preference),
	    EX_TXT(json),
	    DB_I64(athlete),
	};

	return db_exec(x->db, EX_SQL_ATHLETE_DETAIL, p, 11) < 0 ? -1 : 0;
}

int
ex_store_zones(struct ex_ctx *x, long long athlete, struct ex_text json)
{
	struct db_param p[] = {DB_I64(athlete), EX_TXT(json)};

	return db_exec(x->db, EX_SQL_ZONES_PUT, p, 2) < 0 ? -1 : 0;
}

int
ex_store_gear_known(struct ex_ctx *x, const char *id)
{
	struct db_param p[] = {DB_STR(id)};
	struct db_res res;
	int rc = -1;

	if (db_query(x->db, EX_SQL_GEAR_KNOWN, p, 1, &res) != 0)
		return -1;
	if (db_fetch(&res) == 1)
		rc = db_i64(&res, 0) > 0;
	db_res_free(&res);
	return rc;
}

int
ex_store_gear(struct ex_ctx *x, long long athlete, const struct ex_gear *g,
              struct ex_text json)
{
	struct db_param p[] = {
	    DB_STR(g->id),   DB_I64(athlete),    DB_STR(g->name),
	    DB_STR(g->kind), DB_I64(g->retired), DB_DBL_OR_NULL(g->distance),
	    EX_TXT(json),
	};

	return db_exec(x->db, EX_SQL_GEAR_PUT, p, 7) < 0 ? -1 : 0;
}

/* Run a one-parameter query returning ids into a growing array. */
static int
ex_store_ids(struct ex_ctx *x, int stmt, const struct db_param *p, unsigned np,
             long long **ids, size_t *n)
{
	struct db_res res;
	size_t cap = 0;
	int f, rc = -1;

	*ids = NULL;
	*n = 0;
	if (db_query(x->db, stmt, p, np, &res) != 0)
		return -1;
	while ((f = db_fetch(&res)) == 1) {
		if (*n == cap) {
			long long *nb;

			cap = cap ? cap * 2 : 256;
			nb = realloc(*ids, cap * sizeof(**ids));
			if (nb == NULL) {
				snprintf(x->db->err, sizeof(x->db->err),
				         "out of memory");
				goto out;
			}
			*ids = nb;
		}
		(*ids)[(*n)++] = db_i64(&res, 0);
	}
	if (f == 0)
		rc = 0;
out:
	db_res_free(&res);
	if (rc != 0) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return rc;
}

int
ex_store_live_ids(struct ex_ctx *x, long long athlete, long long **ids,
                  size_t *n)
{
	struct db_param p[] = {DB_I64(athlete)};

	return ex_store_ids(x, EX_SQL_ACT_IDS_LIVE, p, 1, ids, n);
}

int
ex_store_syncable(struct ex_ctx *x, long long **ids, size_t *n)
{
	return ex_store_ids(x, EX_SQL_ATHLETES_SYNCABLE, NULL, 0, ids, n);
}

int
ex_store_tombstone(struct ex_ctx *x, long long id)
{
	struct db_param p[] = {DB_I64(id)};
	long long r = db_exec(x->db, EX_SQL_ACT_TOMBSTONE, p, 1);

	return r < 0 ? -1 : r > 0;
}

int
ex_store_athlete_state(struct ex_ctx *x, long long athlete, char *auth,
                       size_t authlen, long long *age, int *zones)
{
	struct db_param p[] = {DB_I64(athlete)};
	struct db_res res;
	int rc = -1, f;

	if (db_query(x->db, EX_SQL_ATHLETE_STATE, p, 1, &res) != 0)
		return -1;
	f = db_fetch(&res);
	if (f == 0)
		rc = 1;
	if (f == 1) {
		snprintf(auth, authlen, "%s",
		         db_str(&res, 0) ? db_str(&res, 0) : "");
		*age = db_isnull(&res, 1) ? -1 : db_i64(&res, 1);
		*zones = db_i64(&res, 2) > 0;
		rc = 0;
	}
	db_res_free(&res);
	return rc;
}

int
ex_store_cursor(struct ex_ctx *x, long long athlete, long long *cursor)
{
	struct db_param p[] = {DB_I64(athlete)};
	struct db_res res;
	int rc = -1;

	if (db_exec(x->db, EX_SQL_SYNC_ENSURE, p, 1) < 0)
		return -1;
	if (db_query(x->db, EX_SQL_SYNC_GET, p, 1, &res) != 0)
		return -1;
	if (db_fetch(&res) == 1) {
		*cursor = db_i64(&res, 0);
		rc = 0;
	}
	db_res_free(&res);
	return rc;
}

int
ex_store_cursor_move(struct ex_ctx *x, long long athlete, long long cursor)
{
	struct db_param p[] = {DB_I64(cursor), DB_I64(athlete), DB_I64(cursor)};

	return db_exec(x->db, EX_SQL_SYNC_CURSOR, p, 3) < 0 ? -1 : 0;
}

int
ex_store_sync_result(struct ex_ctx *x, long long athlete, const char *result,
                     int success, int full)
{
	struct db_param p[] = {DB_STR(result), DB_I64(success), DB_I64(full),
	                       DB_I64(athlete)};

	return db_exec(x->db, EX_SQL_SYNC_RESULT, p, 4) < 0 ? -1 : 0;
}

long long
ex_store_run_start(struct ex_ctx *x, long long athlete)
{
	struct db_param p[] = {athlete > 0 ? DB_I64(athlete) : DB_NULL};

	if (db_exec(x->db, EX_SQL_RUN_START, p, 1) < 0)
		return -1;
	return db_insert_id(x->db, EX_SQL_RUN_START);
}

int
ex_store_run_end(struct ex_ctx *x, long long run, const char *status,
                 const char *summary)
{
	struct db_param p[] = {DB_STR(status), DB_STR(summary), DB_I64(run)};

	if (run <= 0)
		return 0;
	return db_exec(x->db, EX_SQL_RUN_END, p, 3) < 0 ? -1 : 0;
}

int
ex_store_lock(struct ex_ctx *x, long long athlete, int take)
{
	char name[64];
	const char *np = name;
	struct db_param p[1];
	struct db_res res;
	int rc = -1;

	snprintf(name, sizeof(name), "cairn-extract-athlete-%lld", athlete);
	p[0] = DB_STR(np);
	if (db_query(x->db, take ? EX_SQL_LOCK : EX_SQL_UNLOCK, p, 1, &res) !=
	    0)
		return -1;
	if (db_fetch(&res) == 1)
		rc = !db_isnull(&res, 0) && db_i64(&res, 0) == 1;
	db_res_free(&res);
	return rc;
}
