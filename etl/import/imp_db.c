/* imp_db.c: duplicate matching, stream merging and inserting of imported activities */
#include "imp_db.h"

#include <jansson.h>
#include <math.h>   /* fabs, isnan, floor */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* free */
#include <string.h> /* strcmp */

#include "imp_json.h"
#include "imp_sql.h"
#include "log.h"

/* DB_STR of a char array without the always-true address warning. */
static struct db_param
imp_str(const char *s)
{
	return DB_STR(s);
}

/* The demo athlete's id (0: none), -1 on a database error. */
static long long
imp_db_demo(struct db_conn *c)
{
	struct db_res r;
	long long id = 0;
	int f;

	if (db_query(c, IMP_SQL_ATHLETE_DEMO, NULL, 0, &r) < 0)
		return -1;
	f = db_fetch(&r);
	if (f == 1)
		id = db_i64(&r, 0);
	db_res_free(&r);
	return f < 0 ? -1 : id;
}

/* 1 when athlete `id` exists, 0 when not, -1 on a database error. */
static int
imp_db_exists(struct db_conn *c, long long id)
{
	struct db_param p[] = {DB_I64(id)};
	struct db_res r;
	int f;

	if (db_query(c, IMP_SQL_ATHLETE_GET, p, 1, &r) < 0)
		return -1;
	f = db_fetch(&r);
	db_res_free(&r);
	return f;
}

/* Create the athlete of an export's profile.csv. 0 or -1. */
static int
imp_db_profile_new(struct db_conn *c, const struct csv_profile *pr)
{
	const char *first = pr->firstname[0] ? pr->firstname : "Imported";
	struct db_param p[] = {
	    DB_I64(pr->id),
	    DB_STR(first),
	    pr->lastname[0] ? imp_str(pr->lastname) : DB_NULL,
	    pr->sex[0] ? imp_str(pr->sex) : DB_NULL,
	    DB_DBL_OR_NULL(pr->weight),
	};

	if (db_exec(c, IMP_SQL_ATHLETE_PROFILE, p, 5) < 0)
		return -1;
	log_info("created import-only athlete %lld from the export's "
	         "profile.csv",
	         pr->id);
	return 0;
}

long long
imp_db_athlete(struct db_conn *c, long long wanted,
               const struct csv_profile *prof, char *err, size_t errlen)
{
	struct db_res r;
	long long id = -1, ids[2], demo;
	int n = 0, f = 0;

	if (wanted > 0) {
		struct db_param p[] = {DB_I64(wanted)};

		if ((f = imp_db_exists(c, wanted)) < 0)
			goto dberr;
		if (f == 0) {
			if (db_exec(c, IMP_SQL_ATHLETE_NEW, p, 1) < 0)
				goto dberr;
			log_info("created import-only athlete %lld", wanted);
		}
		id = wanted;
		goto out;
	}
	if ((demo = imp_db_demo(c)) < 0)
		goto dberr;
	if (demo > 0) {
		snprintf(err, errlen,
		         "athlete %lld is the local stack's demo athlete and "
		         "never receives someone else's data: name the athlete "
		         "with --athlete ID, or drop the demo first (`make "
		         "import FILE=... DROP_DEMO=1`), or use a stack of its "
		         "own (another CAIRN_PORT)",
		         demo);
		goto out;
	}
	if (db_query(c, IMP_SQL_ATHLETES, NULL, 0, &r) < 0)
		goto dberr;
	while (n < 2 && (f = db_fetch(&r)) == 1)
		ids[n++] = db_i64(&r, 0);
	db_res_free(&r);
	if (f < 0)
		goto dberr;
	if (prof && prof->id > 0) {
		if ((f = imp_db_exists(c, prof->id)) < 0)
			goto dberr;
		if (f == 0 && n > 0) {
			snprintf(err, errlen,
			         "the export is of Strava athlete %lld (its "
			         "profile.csv), the database holds athlete "
			         "%lld%s: name the athlete with --athlete ID",
			         prof->id, ids[0], n > 1 ? " and others" : "");
			goto out;
		}
		if (f == 0 && imp_db_profile_new(c, prof) < 0)
			goto dberr;
		id = prof->id;
		goto out;
	}
	if (n == 2) {
		snprintf(err, errlen,
		         "several athletes in the database: name "
		         "one with --athlete ID");
		goto out;
	}
	if (n == 1) {
		id = ids[0];
		goto out;
	}
	{
		struct db_param p[] = {DB_I64(IMP_DEFAULT_ATHLETE)};

		if (db_exec(c, IMP_SQL_ATHLETE_NEW, p, 1) < 0)
			goto dberr;
	}
	log_info("no athlete yet: created import-only athlete %d",
	         IMP_DEFAULT_ATHLETE);
	id = IMP_DEFAULT_ATHLETE;
	goto out;
dberr:
	snprintf(err, errlen, "cannot find the athlete: %s", c->err);
	id = -1;
out:
	return id;
}

/* A row found by id or time. */
struct imp_row {
	long long id, athlete;
	char sport[48];
	double distance;
	int has_streams, deleted, found;
	char source[16];
	double start;
};

static void
imp_row_read(struct db_res *r, struct imp_row *row)
{
	const char *s;

	row->id = db_i64(r, 0);
	row->athlete = db_i64(r, 1);
	s = db_str(r, 2);
	imp_strcpy(row->sport, sizeof row->sport, s ? s : "");
	row->distance = db_dbl(r, 3);
	row->has_streams = (int)db_i64(r, 4);
	s = db_str(r, 5);
	imp_strcpy(row->source, sizeof row->source, s ? s : "");
	row->deleted = (int)db_i64(r, 6);
	row->start = db_dbl(r, 7);
	row->found = 1;
}

static int
imp_by_id(struct db_conn *c, long long id, struct imp_row *row)
{
	struct db_param p[] = {DB_I64(id)};
	struct db_res r;
	int f;

	memset(row, 0, sizeof *row);
	if (db_query(c, IMP_SQL_ACT_BY_ID, p, 1, &r) < 0)
		return -1;
	f = db_fetch(&r);
	if (f == 1)
		imp_row_read(&r, row);
	db_res_free(&r);
	return f < 0 ? -1 : 0;
}

static int
imp_similar(const char *sport, double dist, const struct imp_row *row)
{
	double big;

	if (strcmp(imp_sport_group(sport), imp_sport_group(row->sport)) != 0)
		return 0;
	if (isnan(dist) || isnan(row->distance) || dist <= 0 ||
	    row->distance <= 0)
		return 1;
	big = dist > row->distance ? dist : row->distance;
	return fabs(dist - row->distance) <=
	       (big * IMP_DUP_FRACTION > IMP_DUP_METRES ? big * IMP_DUP_FRACTION
	                                                : IMP_DUP_METRES);
}

/* The closest row in time that matches. */
static int
imp_near(struct db_conn *c, long long athlete, const char *sport, double start,
         double dist, struct imp_row *row)
{
	char lo[32], hi[32], at[32];
	struct db_param p[4];
	struct db_res r;
	int f;

	memset(row, 0, sizeof *row);
	imp_fmt_time(start - IMP_DUP_SECONDS, 0, lo, sizeof lo);
	imp_fmt_time(start + IMP_DUP_SECONDS, 0, hi, sizeof hi);
	imp_fmt_time(start, 0, at, sizeof at);
	p[0] = DB_I64(athlete);
	p[1] = imp_str(lo);
	p[2] = imp_str(hi);
	p[3] = imp_str(at);
	if (db_query(c, IMP_SQL_ACT_NEAR, p, 4, &r) < 0)
		return -1;
	while ((f = db_fetch(&r)) == 1) {
		struct imp_row cand;

		imp_row_read(&r, &cand);
		if (imp_similar(sport, dist, &cand)) {
			*row = cand;
			break;
		}
	}
	db_res_free(&r);
	return f < 0 ? -1 : 0;
}

static int
imp_put_streams(struct db_conn *c, long long id, long long athlete,
                const char *json, size_t n)
{
	struct db_param p[] = {DB_I64(id), DB_I64(athlete), DB_I64(n),
	                       DB_STR(json)};

	return db_exec(c, IMP_SQL_STREAM_PUT, p, 4) < 0 ? -1 : 0;
}

static int
imp_insert(struct db_conn *c, long long id, long long athlete,
           const struct imp_activity *a, const struct imp_summary *s,
           const char *external_id, const char *summary, int streams)
{
	char start[32], local[32], tz[48];
	int w = !isnan(s->avg_watts);
	struct db_param p[30];
	unsigned k = 0;

	imp_fmt_time(s->start, 0, start, sizeof start);
	imp_fmt_time(s->start + s->utc_offset, 0, local, sizeof local);
	imp_tz_name(s->utc_offset, tz, sizeof tz);
	p[k++] = DB_I64(id);
	p[k++] = DB_I64(athlete);
	p[k++] = DB_STR(a->name);
	p[k++] = DB_STR(a->sport);
	p[k++] = DB_STR(imp_legacy_type(a->sport));
	p[k++] = imp_str(start);
	p[k++] = imp_str(local);
	p[k++] = imp_str(tz);
	p[k++] = DB_I64(s->utc_offset);
	p[k++] = DB_DBL_OR_NULL(s->distance);
	p[k++] = isnan(s->moving) ? DB_NULL : DB_I64(llround(s->moving));
	p[k++] = isnan(s->elapsed) ? DB_NULL : DB_I64(llround(s->elapsed));
	p[k++] = DB_DBL_OR_NULL(s->elev_gain);
	p[k++] = DB_DBL_OR_NULL(s->avg_speed);
	p[k++] = DB_DBL_OR_NULL(s->max_speed);
	p[k++] = DB_DBL_OR_NULL(s->avg_hr);
	p[k++] = DB_DBL_OR_NULL(s->max_hr);
	p[k++] = DB_DBL_OR_NULL(s->avg_watts);
	p[k++] = DB_NULL; /* weighted average watts: the transform's job */
	p[k++] = DB_DBL_OR_NULL(s->kilojoules);
	p[k++] = w ? DB_I64((a->have & IMP_C_WATTS) != 0) : DB_NULL;
	p[k++] = DB_I64(!isnan(s->avg_hr));
	p[k++] = DB_I64(a->trainer != 0);
	p[k++] = DB_I64(a->commute != 0);
	p[k++] = DB_I64(a->manual != 0);
	p[k++] = DB_STR(s->polyline);
	p[k++] = DB_STR(external_id);
	p[k++] = DB_STR(a->description);
	p[k++] = DB_STR(summary);
	p[k++] = DB_I64(streams);
	return db_exec(c, IMP_SQL_ACT_INSERT, p, k) < 0 ? -1 : 0;
}

/* Replace the activity's laps with a's (none: the row has none). The
 * offsets count from the streams' time 0 (imp_streams_json). 0 or -1. */
static int
imp_put_laps(struct db_conn *c, long long id, long long athlete,
             const struct imp_activity *a)
{
	struct db_param d[] = {DB_I64(id)};
	double t0 = a->start;
	size_t k;
	int rc = -1;

	if (a->n > 0 && (isnan(t0) || a->t[0] < t0))
		t0 = a->t[0];
	if (db_exec(c, IMP_SQL_LAPS_DEL, d, 1) < 0)
		goto out;
	for (k = 0; k < a->nlaps; k++) {
		const struct imp_lap *l = &a->laps[k];
		char st[32] = "";
		struct db_param p[18];
		unsigned i = 0;

		if (!isnan(l->start))
			imp_fmt_time(l->start, 0, st, sizeof st);
		p[i++] = DB_I64(id);
		p[i++] = DB_I64((long long)k);
		p[i++] = DB_I64(athlete);
		p[i++] = DB_STR(a->lap_source ? a->lap_source : "fit");
		p[i++] = st[0] ? imp_str(st) : DB_NULL;
		p[i++] = DB_DBL_OR_NULL(l->start - t0);
		p[i++] = DB_DBL_OR_NULL(l->elapsed);
		p[i++] = DB_DBL_OR_NULL(l->moving);
		p[i++] = DB_DBL_OR_NULL(l->distance);
		p[i++] = DB_DBL_OR_NULL(l->avg_speed);
		p[i++] = DB_DBL_OR_NULL(l->max_speed);
		p[i++] = DB_DBL_OR_NULL(l->avg_hr);
		p[i++] = DB_DBL_OR_NULL(l->max_hr);
		p[i++] = DB_DBL_OR_NULL(l->avg_watts);
		p[i++] = DB_DBL_OR_NULL(l->max_watts);
		p[i++] = DB_DBL_OR_NULL(l->avg_cad);
		p[i++] = DB_DBL_OR_NULL(l->elev_gain);
		p[i++] = DB_DBL_OR_NULL(l->calories);
		if (db_exec(c, IMP_SQL_LAP_PUT, p, i) < 0)
			goto out;
	}
	rc = 0;
out:
	return rc;
}

enum imp_outcome
imp_db_store(struct db_conn *c, long long athlete, struct imp_activity *a,
             const struct imp_summary *s, const char *streams,
             const char *external_id, long long *id_out, char *err,
             size_t errlen)
{
	enum imp_outcome rc = IMP_FAILED;
	struct imp_row row;
	char *summary = NULL;
	json_t *sj = NULL;
	long long id = 0;
	int k, in_tx = 0;

	*id_out = 0;
	memset(&row, 0, sizeof row);
	if (a->strava_id > 0 && imp_by_id(c, a->strava_id, &row) < 0)
		goto dberr;
	if (row.found && row.athlete != athlete) {
		snprintf(err, errlen, "activity %lld belongs to athlete %lld",
		         row.id, row.athlete);
		goto out;
	}
	if (!row.found &&
	    imp_near(c, athlete, a->sport, s->start, s->distance, &row) < 0)
		goto dberr;
	if (row.found) {
		*id_out = row.id;
		if (row.has_streams || row.deleted || a->n == 0) {
			rc = IMP_DUPLICATE;
			goto out;
		}
		if (!streams) {
			snprintf(err, errlen, "cannot build the streams JSON");
			goto out;
		}
		if (db_begin(c) < 0)
			goto dberr;
		in_tx = 1;
		if (imp_put_streams(c, row.id, athlete, streams, a->n) < 0 ||
		    (a->nlaps > 0 && imp_put_laps(c, row.id, athlete, a) < 0) ||
		    db_exec(c, IMP_SQL_ACT_STREAMS_ON,
		            (struct db_param[]){DB_I64(row.id)}, 1) < 0 ||
		    db_commit(c) < 0)
			goto dberr;
		in_tx = 0;
		rc = IMP_MERGED;
		goto out;
	}
	/* a new row: find a free id */
	id = a->strava_id;
	for (k = 0; id == 0 && k < 10; k++) {
		long long cand = -((long long)floor(s->start) +
		                   (long long)k * 10000000000LL);

		if (imp_by_id(c, cand, &row) < 0)
			goto dberr;
		if (!row.found)
			id = cand;
	}
	if (id == 0) {
		snprintf(err, errlen,
		         "no free id for an activity starting at "
		         "%.0f",
		         s->start);
		goto out;
	}
	sj = imp_summary_json(a, s, id, athlete, external_id);
	summary =
	    sj ? json_dumps(sj, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
	if (!summary) {
		snprintf(err, errlen, "cannot build the summary JSON");
		goto out;
	}
	if (a->n > 0 && !streams) {
		snprintf(err, errlen, "cannot build the streams JSON");
		goto out;
	}
	if (db_begin(c) < 0)
		goto dberr;
	in_tx = 1;
	if (imp_insert(c, id, athlete, a, s, external_id, summary,
	               streams != NULL) < 0 ||
	    (streams && imp_put_streams(c, id, athlete, streams, a->n) < 0) ||
	    imp_put_laps(c, id, athlete, a) < 0 || db_commit(c) < 0)
		goto dberr;
	in_tx = 0;
	*id_out = id;
	rc = IMP_IMPORTED;
	goto out;
dberr:
	snprintf(err, errlen, "database: %s", c->err);
	rc = IMP_FAILED;
out:
	if (in_tx)
		db_rollback(c);
	json_decref(sj);
	free(summary);
	return rc;
}
