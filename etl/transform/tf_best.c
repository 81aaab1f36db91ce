/* tf_best.c: curve bests (curve_best) of periods, chosen in one ordered pass over the activities' curve grids */
#include "tf.h"

#include <jansson.h>
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* calloc, free */
#include <string.h> /* strcmp */

#include "cgrid.h"
#include "db.h"
#include "tf_act.h"

/*
 * A period's best at one (kind, sport group, grid duration): the highest
 * value, on a tie the earliest local date, then the lowest activity id.
 * Rows come ordered by date and id, so only a strictly higher value
 * replaces the best: the choice ROW_NUMBER() OVER (ORDER BY value DESC,
 * local_date, activity_id) = 1 would make.
 */
struct tf_best_cell {
	int set;
	double v;
	long long act;
	char date[11];
};

struct tf_period {
	char name[16];
	long first, last; /* day numbers, inclusive */
};

/* cells[((kind * groups + group) * CGRID_MAX + grid index) * nper + period] */
struct tf_best_run {
	const struct tf_period *per;
	size_t nper;
	struct tf_best_cell *cell;
};

/* Index of a curve kind in tf_curve_kinds, -1 for none. */
static int
tf_best_kind(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < TF_NCURVE; i++)
		if (strcmp(s, tf_curve_kinds[i]) == 0)
			return i;
	return -1;
}

/* One curve_grid row: offer each of its values to every period that holds
 * its day. */
static void
tf_best_row(struct tf_best_run *b, const struct db_res *res)
{
	int k = tf_best_kind(db_str(res, 0));
	int g = tf_group_index(db_str(res, 1));
	const char *date = db_str(res, 2);
	long long act = db_i64(res, 3);
	size_t len = 0, i, j;
	const void *data = db_blob(res, 4, &len);
	long day;

	if (k < 0 || date == NULL || data == NULL)
		return; /* not a kind the transform writes */
	day = tf_day(date);
	for (j = 0; j < b->nper; j++) {
		struct tf_best_cell *c;

		if (day < b->per[j].first || day > b->per[j].last)
			continue;
		c = b->cell +
		    ((size_t)(k * TF_NGROUPS + g) * CGRID_MAX) * b->nper;
		for (i = 0; i < len / 8 && i < CGRID_MAX; i++) {
			struct tf_best_cell *x = &c[i * b->nper + j];
			double v = cgrid_value(data, len, i);

			if (v == v && (!x->set || v > x->v)) {
				x->set = 1;
				x->v = v;
				x->act = act;
				snprintf(x->date, sizeof(x->date), "%.10s",
				         date);
			}
		}
	}
}

/* The bests as rows [kind, group, period, duration, value, activity,
 * date]; -1 when out of memory. */
static int
tf_best_rows(const struct tf_best_run *b, json_t *rows)
{
	size_t i, j, d;
	int k, g;

	for (k = 0; k < TF_NCURVE; k++)
		for (g = 0; g < TF_NGROUPS; g++) {
			const struct tf_best_cell *c =
			    b->cell +
			    ((size_t)(k * TF_NGROUPS + g) * CGRID_MAX) *
			        b->nper;

			for (i = 0, d = 1; i < CGRID_MAX;
			     i++, d = cgrid_next(d))
				for (j = 0; j < b->nper; j++) {
					const struct tf_best_cell *x =
					    &c[i * b->nper + j];

					if (x->set &&
					    json_array_append_new(
					        rows,
					        json_pack("[sssIfIs]",
					                  tf_curve_kinds[k],
					                  tf_groups[g],
					                  b->per[j].name,
					                  (json_int_t)d, x->v,
					                  (json_int_t)x->act,
					                  x->date)) != 0)
						return -1;
				}
		}
	return 0;
}

/* Delete the periods' rows, then insert their bests from one read of
 * curve_grid over the days they span. */
static int
tf_best_periods(struct db_conn *db, long long athlete,
                const struct tf_period *per, size_t nper)
{
	struct tf_best_run b;
	struct db_param p[3];
	struct db_res res;
	json_t *rows = json_array();
	char a[11], z[11];
	const char *ap = a, *zp = z;
	long first = 0, last = 0;
	size_t i;
	int r, rc = -1;

	b.per = per;
	b.nper = nper;
	b.cell = calloc((size_t)TF_NCURVE * TF_NGROUPS * CGRID_MAX *
	                    (nper ? nper : 1),
	                sizeof(*b.cell));
	if (b.cell == NULL || rows == NULL)
		goto out;
	for (i = 0; i < nper; i++) {
		const char *name = per[i].name;

		p[0] = DB_I64(athlete);
		p[1] = DB_STR(name);
		if (db_exec(db, TF_DEL_BEST_PERIOD, p, 2) < 0)
			goto out;
		if (i == 0 || per[i].first < first)
			first = per[i].first;
		if (i == 0 || per[i].last > last)
			last = per[i].last;
	}
	if (nper == 0) {
		rc = 0;
		goto out;
	}
	tf_ymd(first, a);
	tf_ymd(last, z);
	p[0] = DB_I64(athlete);
	p[1] = DB_STR(ap);
	p[2] = DB_STR(zp);
	if (db_query(db, TF_READ_GRIDS, p, 3, &res) != 0)
		goto out;
	while ((r = db_fetch(&res)) == 1)
		tf_best_row(&b, &res);
	db_res_free(&res);
	if (r != 0 || tf_best_rows(&b, rows) != 0)
		goto out;
	rc = tf_bulk(db, TF_INS_BESTS, athlete, rows);
out:
	json_decref(rows);
	free(b.cell);
	return rc;
}

int
tf_bests(struct db_conn *db, long long athlete, long d0, long d1, long today)
{
	struct tf_period *per = NULL;
	struct db_param p[2];
	const char *all = "all";
	size_t n = 0, cap;
	long y;
	int rc = -1;

	/* years [d0, d1] (none when d0 < 0), the last 42 and 90 days */
	cap = 2 + (d0 >= 0 && d1 >= d0 ? (size_t)((d1 - d0) / 365 + 2) : 0);
	per = calloc(cap, sizeof(*per));
	if (per == NULL)
		goto out;
	for (y = d0 >= 0 ? tf_year_start(d0) : 1;
	     d0 >= 0 && y <= d1 && n < cap - 2;) {
		long next = tf_year_start(y + 366);
		char ymd[11];

		tf_ymd(y, ymd);
		snprintf(per[n].name, sizeof(per[n].name), "year:%.4s", ymd);
		per[n].first = y;
		per[n].last = next - 1;
		n++;
		y = next;
	}
	snprintf(per[n].name, sizeof(per[n].name), "days:42");
	per[n].first = today - 41;
	per[n++].last = today;
	snprintf(per[n].name, sizeof(per[n].name), "days:90");
	per[n].first = today - 89;
	per[n++].last = today;
	if (tf_best_periods(db, athlete, per, n) != 0)
		goto out;
	/* 'all': the best of the year bests, in SQL (a few thousand rows) */
	p[0] = DB_I64(athlete);
	p[1] = DB_STR(all);
	if (db_exec(db, TF_DEL_BEST_PERIOD, p, 2) < 0 ||
	    db_exec(db, TF_INS_BEST_ALL, p, 1) < 0)
		goto out;
	rc = 0;
out:
	free(per);
	return rc;
}
