/* imp_run.h: one cairn-import run over its inputs (ZIP, export folder, files)
 */
#ifndef CAIRN_IMP_RUN_H
#define CAIRN_IMP_RUN_H

#include <stddef.h> /* size_t */
#include <stdio.h>  /* FILE */

#include "csv.h"
#include "db.h"
#include "imp_activity.h"

/* Failures remembered for the summary (more are only counted). */
#define IMP_MAX_FAIL_LIST 200

struct imp_run {
	struct db_conn *c; /* NULL: --dry-run, parse only */
	long long athlete;
	int progress;       /* draw a progress bar on stderr */
	size_t total, done; /* files expected, files handled */
	size_t imported, merged, duplicate, failed;
	size_t files;
	long long bytes;
	char *fail[IMP_MAX_FAIL_LIST];
	struct csv_file csv;
	int have_csv;
	double last_draw;
};

void imp_run_init(struct imp_run *r);
void imp_run_free(struct imp_run *r);

/*
 * Import one command-line input: a ZIP export, an export folder (with
 * activities.csv) or any folder, activities.csv alone, or a .fit/.gpx/.tcx
 * file (each possibly .gz). Per-file problems are counted, not returned.
 * Returns 0, or -1 when the input itself cannot be read (counted too).
 */
int imp_run_input(struct imp_run *r, const char *path);

/*
 * Handle one activity read from `in` (name for format and messages,
 * csv row or NULL). Counted in r.
 */
struct imp_in;
void imp_run_stream(struct imp_run *r, struct imp_in *in, const char *name,
                    struct csv_act *row);

/*
 * After the files of an export: activities.csv rows no file matched.
 * Manual ones (no Filename) become summary-only activities; a listed
 * file that is missing counts as failed.
 */
void imp_run_csv_rest(struct imp_run *r);

/* Record a failure "name: reason". */
void imp_run_fail(struct imp_run *r, const char *name, const char *why);

/* Print the summary to `out`; exit status per docs/ARCHITECTURE.md. */
int imp_run_report(struct imp_run *r, FILE *out, double seconds);

/* Copy activities.csv facts onto an activity read from its file. */
void imp_apply_csv(struct imp_activity *a, const struct csv_act *row);

#endif
