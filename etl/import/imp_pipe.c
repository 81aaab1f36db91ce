/* imp_pipe.c: the import pipeline: the main thread reads each file's bytes, parse threads turn them into activities, the main thread stores them in input order */
#include "imp_run.h"

#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* malloc, realloc, free, calloc */
#include <string.h> /* memset, strdup */

#include "imp_file.h"
#include "imp_in.h"
#include "pool.h"

/* One file in flight. */
struct imp_job {
	struct pool_job pj; /* first: the pool's part */
	char *name;         /* a copy of the label */
	const char *label;  /* for messages */
	enum imp_fmt fmt;
	const struct csv_act *row; /* activities.csv facts or NULL */
	int store;                 /* build the streams JSON (not --dry-run) */
	/* what the main thread read */
	unsigned char *buf;
	size_t len;
	int read_fail; /* the read ended in error read_err */
	char read_err[sizeof(((struct imp_in *)0)->err)];
	struct imp_in *rest; /* inline only: the rest of the input */
	/* what the parse thread made of it */
	int rc; /* 0, or -1 with err */
	char err[512];
	long long bytes; /* bytes the reader took */
	struct imp_activity a;
	struct imp_summary s;
	char *streams;
};

static void
imp_job_clear(struct imp_job *j)
{
	free(j->name);
	free(j->buf);
	free(j->streams);
	imp_activity_free(&j->a);
	imp_summary_free(&j->s);
	memset(j, 0, sizeof *j);
}

/* The parse thread's part: the same steps a serial import takes. */
static void
imp_job_run(struct pool_job *pj)
{
	struct imp_job *j = (struct imp_job *)pj;
	struct imp_in in;

	imp_in_replay(&in, j->buf, j->len, j->read_fail ? j->read_err : NULL,
	              j->rest);
	j->rc = imp_file_read(&in, j->fmt, &j->a, j->err, sizeof j->err);
	if (j->rc == 0) {
		if (j->row)
			imp_apply_csv(&j->a, j->row);
		j->rc = imp_run_finish(&j->a, &j->s, j->store, &j->streams,
		                       j->err, sizeof j->err);
	}
	j->bytes = in.total;
	imp_in_close(&in);
	free(j->buf); /* the bytes are not needed any more */
	j->buf = NULL;
}

/* Store a job that has run, then free its slot. */
static void
imp_job_store(struct imp_run *r, struct imp_job *j)
{
	pool_wait(r->pool, &j->pj);
	if (j->rc < 0)
		imp_run_note(r, j->label, j->err);
	else
		imp_run_put(r, &j->a, &j->s, j->streams, j->label);
	r->bytes += j->bytes;
	r->done++;
	imp_progress(r, 0);
	imp_job_clear(j);
}

int
imp_run_threads(struct imp_run *r, int threads)
{
	r->pool = pool_new(threads);
	r->njobs = 2 * (size_t)pool_threads(r->pool) + 2;
	r->jobs = calloc(r->njobs, sizeof *r->jobs);
	r->slot = 0;
	return r->pool && r->jobs ? 0 : -1;
}

void
imp_run_drain(struct imp_run *r)
{
	size_t k;

	for (k = 0; r->jobs && k < r->njobs; k++) {
		struct imp_job *j = &r->jobs[(r->slot + k) % r->njobs];

		if (j->pj.state != POOL_JOB_FREE)
			imp_job_store(r, j);
	}
}

void
imp_run_jobs_free(struct imp_run *r)
{
	size_t k;

	for (k = 0; r->jobs && k < r->njobs; k++)
		imp_job_clear(&r->jobs[k]);
	free(r->jobs);
	r->jobs = NULL;
	r->njobs = 0;
}

/*
 * Read the input's bytes (decompressed) into the job, up to
 * IMP_JOB_MAX_BYTES. Returns 1 when the file is complete (or its read
 * failed: the error is replayed after the bytes), 0 when it is bigger or
 * memory ran out: the rest stays in `in`.
 */
static int
imp_job_read(struct imp_job *j, struct imp_in *in)
{
	size_t cap = 65536;
	unsigned char *nb;
	ssize_t got;

	j->buf = malloc(cap);
	if (!j->buf)
		return 0;
	for (;;) {
		if (j->len == cap) {
			if (cap >= IMP_JOB_MAX_BYTES)
				return 0;
			cap = cap * 2 > IMP_JOB_MAX_BYTES ? IMP_JOB_MAX_BYTES
			                                  : cap * 2;
			nb = realloc(j->buf, cap);
			if (!nb)
				return 0;
			j->buf = nb;
		}
		got = imp_in_read(in, j->buf + j->len, cap - j->len);
		if (got < 0) {
			j->read_fail = 1;
			snprintf(j->read_err, sizeof j->read_err, "%s",
			         in->err);
			return 1;
		}
		if (got == 0)
			return 1;
		j->len += (size_t)got;
	}
}

void
imp_run_stream(struct imp_run *r, struct imp_in *in, const char *name,
               struct csv_act *row)
{
	struct imp_job one, *j = &one;

	memset(&one, 0, sizeof one);
	if (r->jobs) {
		j = &r->jobs[r->slot];
		if (j->pj.state != POOL_JOB_FREE)
			imp_job_store(r, j); /* the oldest file in flight */
	}
	r->files++;
	if (row)
		row->used = 1;
	imp_activity_init(&j->a);
	j->pj.run = imp_job_run;
	j->name = strdup(name);
	j->label = j->name ? j->name : name;
	j->fmt = imp_file_format(name);
	j->row = row;
	j->store = r->c != NULL;
	if (j == &one || !j->name || !imp_job_read(j, in)) {
		/* parsed here, after the files in flight, reading on from in */
		imp_run_drain(r);
		j->label = name;
		j->rest = in;
		imp_job_run(&j->pj);
		j->pj.state = POOL_JOB_DONE;
		imp_job_store(r, j);
		return;
	}
	pool_submit(r->pool, &j->pj);
	if (pool_threads(r->pool) == 0)
		imp_job_store(r, j); /* import_threads = 0: store at once */
	else
		r->slot = (r->slot + 1) % r->njobs;
}
