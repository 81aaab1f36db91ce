/* imp_run.c: per-activity import, CSV facts, counting, progress and the final summary */
#include "imp_run.h"

#include <math.h>   /* isnan */
#include <stdio.h>  /* fprintf */
#include <stdlib.h> /* free */
#include <string.h> /* strrchr */
#include <time.h>   /* clock_gettime */

#include "imp_db.h"
#include "imp_file.h"
#include "imp_in.h"
#include "imp_json.h"
#include "pool.h"
#include "log.h"

static double
imp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
imp_run_init(struct imp_run *r)
{
	memset(r, 0, sizeof *r);
}

void
imp_run_free(struct imp_run *r)
{
	size_t i;

	if (!r)
		return;
	pool_free(r->pool); /* what is queued runs first */
	r->pool = NULL;
	imp_run_jobs_free(r);
	for (i = 0; i < IMP_MAX_FAIL_LIST; i++)
		free(r->fail[i]);
	csv_free(&r->csv);
	memset(r, 0, sizeof *r);
}

void
imp_progress(struct imp_run *r, int final)
{
	double now;
	int i, w = 30, fill;

	if (!r->progress || r->total == 0)
		return;
	now = imp_now();
	if (!final && now - r->last_draw < 0.1)
		return;
	r->last_draw = now;
	fill = (int)((double)r->done / (double)r->total * w);
	if (fill > w)
		fill = w;
	fputs("\r[", stderr);
	for (i = 0; i < w; i++)
		fputc(i < fill ? '#' : '.', stderr);
	fprintf(stderr,
	        "] %zu/%zu  imported %zu merged %zu duplicate %zu "
	        "failed %zu ",
	        r->done, r->total, r->imported, r->merged, r->duplicate,
	        r->failed);
	if (final)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

void
imp_run_fail(struct imp_run *r, const char *name, const char *why)
{
	imp_run_drain(r);
	imp_run_note(r, name, why);
}

void
imp_run_note(struct imp_run *r, const char *name, const char *why)
{
	size_t len = strlen(name) + strlen(why) + 3;

	log_warn("cannot import %s: %s", name, why);
	if (r->failed < IMP_MAX_FAIL_LIST) {
		r->fail[r->failed] = malloc(len);
		if (r->fail[r->failed])
			snprintf(r->fail[r->failed], len, "%s: %s", name, why);
	}
	r->failed++;
}

static void
imp_set_tot(double *dst, double v)
{
	if (!isnan(v))
		*dst = v;
}

void
imp_apply_csv(struct imp_activity *a, const struct csv_act *row)
{
	if (row->id > 0)
		a->strava_id = row->id;
	if (row->name)
		imp_strcpy(a->name, sizeof a->name, row->name);
	if (row->sport[0])
		imp_strcpy(a->sport, sizeof a->sport, row->sport);
	if (row->description) {
		free(a->description);
		a->description = strdup(row->description);
	}
	if (row->gear)
		imp_strcpy(a->gear, sizeof a->gear, row->gear);
	a->commute = row->commute;
	if (isnan(a->start))
		a->start = row->start;
	/* Strava's own numbers win over what is computed from the file. */
	imp_set_tot(&a->tot.elapsed, row->elapsed);
	imp_set_tot(&a->tot.moving, row->moving);
	imp_set_tot(&a->tot.distance, row->distance);
	imp_set_tot(&a->tot.elev_gain, row->elev_gain);
	imp_set_tot(&a->tot.max_speed, row->max_speed);
	imp_set_tot(&a->tot.avg_speed, row->avg_speed);
	imp_set_tot(&a->tot.avg_hr, row->avg_hr);
	imp_set_tot(&a->tot.max_hr, row->max_hr);
	imp_set_tot(&a->tot.avg_watts, row->avg_watts);
	imp_set_tot(&a->tot.max_watts, row->max_watts);
	imp_set_tot(&a->tot.calories, row->calories);
	imp_set_tot(&a->tot.avg_cad, row->avg_cad);
	imp_set_tot(&a->tot.avg_temp, row->avg_temp);
}

static const char *
imp_base(const char *name)
{
	const char *s = strrchr(name, '/');

	return s ? s + 1 : name;
}

int
imp_run_finish(struct imp_activity *a, struct imp_summary *s, int store,
               char **streams, char *err, size_t errlen)
{
	*streams = NULL;
	if (imp_activity_finish(a, s, err, errlen) < 0)
		return -1;
	if (!a->name[0])
		imp_default_name(s->start + s->utc_offset, a->sport, a->name,
		                 sizeof a->name);
	if (store && a->n > 0)
		*streams = imp_streams_json(a);
	return 0;
}

void
imp_run_put(struct imp_run *r, struct imp_activity *a,
            const struct imp_summary *s, const char *streams, const char *name)
{
	char err[512] = "";
	long long id = 0;
	enum imp_outcome o;

	if (a->warn[0])
		log_warn("%s: %s", name, a->warn);
	if (!r->c) {
		r->imported++;
		return;
	}
	o = imp_db_store(r->c, r->athlete, a, s, streams, imp_base(name), &id,
	                 err, sizeof err);
	switch (o) {
	case IMP_IMPORTED:
		r->imported++;
		log_debug("%s: imported as %lld", name, id);
		break;
	case IMP_MERGED:
		r->merged++;
		log_debug("%s: streams merged into %lld", name, id);
		break;
	case IMP_DUPLICATE:
		r->duplicate++;
		log_debug("%s: duplicate of %lld", name, id);
		break;
	case IMP_FAILED:
		imp_run_note(r, name, err);
		break;
	}
}

/* Finish and store on the main thread (summary-only activities). */
static void
imp_run_store_now(struct imp_run *r, struct imp_activity *a, const char *name)
{
	struct imp_summary s;
	char err[512] = "", *streams = NULL;

	if (imp_run_finish(a, &s, r->c != NULL, &streams, err, sizeof err) < 0)
		imp_run_note(r, name, err);
	else
		imp_run_put(r, a, &s, streams, name);
	free(streams);
	imp_summary_free(&s);
}

void
imp_run_csv_rest(struct imp_run *r)
{
	size_t i;

	imp_run_drain(r); /* the files in flight point into r->csv */
	for (i = 0; r->have_csv && i < r->csv.n; i++) {
		struct csv_act *row = &r->csv.rows[i];
		struct imp_activity a;
		char name[64];

		if (row->used)
			continue;
		snprintf(name, sizeof name, "activities.csv activity %lld",
		         row->id);
		if (row->filename) {
			char why[300];

			snprintf(why, sizeof why,
			         "its file %.200s is not in the "
			         "export",
			         row->filename);
			imp_run_fail(r, name, why);
			continue;
		}
		if (isnan(row->start)) {
			imp_run_fail(r, name, "no date");
			continue;
		}
		imp_activity_init(&a);
		imp_apply_csv(&a, row);
		a.manual = 1;
		if (!a.sport[0])
			snprintf(a.sport, sizeof a.sport, "Workout");
		imp_run_store_now(r, &a, name);
		imp_activity_free(&a);
		r->done++;
		imp_progress(r, 0);
	}
	csv_free(&r->csv);
	r->have_csv = 0;
}

int
imp_run_report(struct imp_run *r, FILE *out, double seconds)
{
	size_t i;
	int status;

	imp_run_drain(r);
	imp_progress(r, 1);
	fprintf(out,
	        "imported %zu, merged %zu, skipped as duplicate %zu, "
	        "failed %zu\n",
	        r->imported, r->merged, r->duplicate, r->failed);
	for (i = 0; i < r->failed && i < IMP_MAX_FAIL_LIST; i++)
		if (r->fail[i])
			fprintf(out, "failed: %s\n", r->fail[i]);
	if (r->failed > IMP_MAX_FAIL_LIST)
		fprintf(out, "failed: ... and %zu more (see the log)\n",
		        r->failed - IMP_MAX_FAIL_LIST);
	fprintf(stderr, "import-stats files=%zu bytes=%lld seconds=%.3f\n",
	        r->files, r->bytes, seconds);
	if (r->failed == 0)
		status = r->imported + r->merged + r->duplicate > 0 ? 0 : 1;
	else
		status = r->imported + r->merged + r->duplicate > 0 ? 3 : 1;
	return status;
}
