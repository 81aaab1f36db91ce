/* tf_act_write.c: the mart rows of one computed activity (summary, streams, zones, curves, grids, efforts, route) */
#include "tf.h"

#include <math.h> /* isnan, llround */

#include "db.h"
#include "tf_act.h"

static int
tf_write_row(struct db_conn *db, const struct tf_act *a)
{
	struct db_param p[45];
	const char *ymd = a->ymd, *su = a->start_utc, *sl = a->start_local;
	const char *src = a->source, *sport = a->sport;
	unsigned k = 0;

	p[k++] = DB_I64(a->id);
	p[k++] = DB_I64(a->athlete);
	p[k++] = DB_STR(src);
	p[k++] = DB_STR(a->name);
	p[k++] = DB_STR(sport);
	p[k++] = DB_STR(a->group);
	p[k++] = DB_STR(su);
	p[k++] = DB_STR(sl);
	p[k++] = DB_STR(ymd);
	p[k++] = DB_STR(a->tz);
	p[k++] = DB_DBL_OR_NULL(a->distance);
	p[k++] = isnan(a->moving) ? DB_NULL : DB_I64(llround(a->moving));
	p[k++] = isnan(a->elapsed) ? DB_NULL : DB_I64(llround(a->elapsed));
	p[k++] = DB_DBL_OR_NULL(a->elev);
	p[k++] = DB_DBL_OR_NULL(a->avg_speed);
	p[k++] = DB_DBL_OR_NULL(a->max_speed);
	p[k++] = DB_DBL_OR_NULL(a->avg_hr);
	p[k++] = DB_DBL_OR_NULL(a->max_hr);
	p[k++] = DB_DBL_OR_NULL(a->avg_power);
	p[k++] = DB_DBL_OR_NULL(a->max_power);
	p[k++] = DB_DBL_OR_NULL(a->np);
	p[k++] = DB_DBL_OR_NULL(a->ifac);
	p[k++] = DB_DBL_OR_NULL(a->vi);
	p[k++] = DB_DBL_OR_NULL(a->tss);
	p[k++] = DB_DBL_OR_NULL(a->load_hr);
	p[k++] = DB_DBL_OR_NULL(a->load_pace);
	p[k++] = DB_DBL_OR_NULL(a->trimp);
	p[k++] = DB_DBL_OR_NULL(a->decoupling);
	p[k++] = DB_DBL_OR_NULL(a->load);
	p[k++] = DB_STR(a->load_kind);
	p[k++] = DB_DBL_OR_NULL(a->avg_cad);
	p[k++] = DB_DBL_OR_NULL(a->kj);
	p[k++] = DB_STR(a->gear);
	p[k++] = DB_I64(a->commute);
	p[k++] = DB_I64(a->trainer);
	p[k++] = DB_I64(a->manual);
	p[k++] = DB_I64(a->has_streams);
	p[k++] = DB_I64(a->spikes);
	p[k++] = DB_STR(a->polyline);
	p[k++] = DB_DBL_OR_NULL(a->wbal_min);
	p[k++] = DB_DBL_OR_NULL(a->est_avg_power);
	p[k++] = DB_DBL_OR_NULL(a->est_np);
	p[k++] = DB_DBL_OR_NULL(a->ef);
	p[k++] = DB_I64(a->power_estimated);
	p[k++] = DB_DBL_OR_NULL(a->gap);
	return db_exec(db, TF_INS_ACT, p, k) < 0 ? -1 : 0;
}

/* A per-activity row of (id, athlete, group, date, text); none for NULL. */
static int
tf_write_text(struct db_conn *db, int stmt, const struct tf_act *a,
              const char *text)
{
	const char *ymd = a->ymd;
	struct db_param p[5] = {DB_I64(a->id), DB_I64(a->athlete),
	                        DB_STR(a->group), DB_STR(ymd), DB_STR(text)};

	if (text == NULL)
		return 0;
	return db_exec(db, stmt, p, 5) < 0 ? -1 : 0;
}

int
tf_act_write(struct db_conn *db, const struct tf_act *a, const struct tf_out *o)
{
	const char *ymd = a->ymd;
	int k;

	if (tf_write_row(db, a) != 0)
		return -1;
	if (o->stream != NULL) {
		struct db_param p[4] = {DB_I64(a->id), DB_I64(a->athlete),
		                        DB_I64(o->n),
		                        DB_BLOB(o->stream, o->stream_len)};

		if (db_exec(db, TF_INS_STREAM, p, 4) < 0)
			return -1;
	}
	if (tf_write_text(db, TF_INS_ZONES, a, o->zones) != 0)
		return -1;
	for (k = 0; k < TF_NCURVE; k++) {
		const struct tf_curve_out *c = &o->curve[k];
		struct db_param p[5] = {DB_I64(a->id), DB_STR(c->kind),
		                        DB_I64(a->athlete), DB_I64(c->n),
		                        DB_BLOB(c->packed, c->n * 4)};
		struct db_param g[7] = {DB_I64(a->id),
		                        DB_STR(c->kind),
		                        DB_I64(a->athlete),
		                        DB_STR(a->group),
		                        DB_STR(ymd),
		                        DB_I64(c->ngrid),
		                        DB_BLOB(c->grid, c->ngrid * 8)};

		if (c->packed != NULL && db_exec(db, TF_INS_CURVE, p, 5) < 0)
			return -1;
		if (c->grid != NULL && db_exec(db, TF_INS_GRID, g, 7) < 0)
			return -1;
	}
	if (tf_write_text(db, TF_INS_EFFORTS, a, o->efforts) != 0 ||
	    tf_write_text(db, TF_INS_ROUTE, a, o->route) != 0)
		return -1;
	if (o->laps != NULL) {
		struct db_param p[3] = {DB_I64(a->id), DB_I64(a->athlete),
		                        DB_STR(o->laps)};

		if (db_exec(db, TF_INS_LAPS, p, 3) < 0)
			return -1;
	}
	return 0;
}
