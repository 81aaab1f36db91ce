/* imp_run.h: one cairn-import run over its inputs (ZIP, export folder, files) */
#ifndef CAIRN_IMP_RUN_H
#define CAIRN_IMP_RUN_H

#include <stddef.h> /* size_t */
#include <stdio.h>  /* FILE */

#include "csv.h"
#include "db.h"
#include "imp_activity.h"

struct pool;
struct imp_job;

/*
 * Files bigger than this (after decompression) are not read ahead into a
 * job: the pipeline is drained and the file parsed on the main thread.
 */
#define IMP_JOB_MAX_BYTES (16u * 1024 * 1024)

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
	struct pool *pool;    /* parse threads (import_threads) */
	struct imp_job *jobs; /* ring of files in flight, stored in order */
	size_t njobs, slot;
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
 * The profile.csv of an export input (a ZIP's first one, or a
 * folder's own): 1 with *p, 0 when the input has none (a plain file, a
 * folder without one), -1 with `err` when it is there but unreadable.
 */
int imp_walk_profile(const char *path, struct csv_profile *p, char *err,
                     size_t errlen);

/* Does the ZIP at `path` hold a file named `base` (in any folder)? 1, 0,
 * or -1 with `err` when it cannot be read as a ZIP. */
int imp_walk_zip_has(const char *path, const char *base, char *err,
                     size_t errlen);

/*
 * Start the pipeline: `threads` parse threads (0: everything on the main
 * thread) and a ring of 2 * threads + 2 jobs. 0, or -1 out of memory.
 */
int imp_run_threads(struct imp_run *r, int threads);

/*
 * Handle one activity read from `in` (name for format and messages,
 * csv row or NULL): its bytes are read here, parsed on a parse thread and
 * stored by a later call (or imp_run_drain), strictly in the order of the
 * calls, so results, messages and counts are those of a serial run.
 */
struct imp_in;
void imp_run_stream(struct imp_run *r, struct imp_in *in, const char *name,
                    struct csv_act *row);

/* Store every file still in flight, in order. */
void imp_run_drain(struct imp_run *r);
/* Free the ring's jobs (after the pool is stopped): nothing is stored. */
void imp_run_jobs_free(struct imp_run *r);
/* Redraw the progress bar (at most every 0.1 s unless final). */
void imp_progress(struct imp_run *r, int final);

/*
 * Complete an activity (any thread): imp_activity_finish, the default
 * name, and its streams JSON into *streams when `store` (NULL without
 * samples or when it cannot be built). 0, or -1 with `err`.
 */
int imp_run_finish(struct imp_activity *a, struct imp_summary *s, int store,
                   char **streams, char *err, size_t errlen);

/* Count and store a finished activity (main thread, in input order). */
void imp_run_put(struct imp_run *r, struct imp_activity *a,
                 const struct imp_summary *s, const char *streams,
                 const char *name);

/* Record a failure "name: reason" without draining (the store path). */
void imp_run_note(struct imp_run *r, const char *name, const char *why);

/*
 * After the files of an export: activities.csv rows no file matched.
 * Manual ones (no Filename) become summary-only activities; a listed
 * file that is missing counts as failed.
 */
void imp_run_csv_rest(struct imp_run *r);

/* Record a failure "name: reason" after the files in flight. */
void imp_run_fail(struct imp_run *r, const char *name, const char *why);

/* Print the summary to `out`; exit status per docs/ARCHITECTURE.md. */
int imp_run_report(struct imp_run *r, FILE *out, double seconds);

/* Copy activities.csv facts onto an activity read from its file. */
void imp_apply_csv(struct imp_activity *a, const struct csv_act *row);

#endif
