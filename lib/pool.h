/* pool.h: a fixed set of worker threads running queued jobs in FIFO order (cairn-import parses files on it while its main thread stores) */
#ifndef CAIRN_POOL_H
#define CAIRN_POOL_H

/* Most worker threads a pool starts. */
#define POOL_MAX_THREADS 16

enum pool_state { POOL_JOB_FREE, POOL_JOB_QUEUED, POOL_JOB_DONE };

/* The pool's part of a job; embed it and give `run`. */
struct pool_job {
	void (*run)(struct pool_job *j);
	enum pool_state state;
	struct pool_job *next; /* the queue */
};

struct pool;

/* A pool of `threads` workers (0: jobs run on the caller inside
 * pool_submit). NULL when out of memory. */
struct pool *pool_new(int threads);
/* Workers actually started (a failed pthread_create leaves fewer). */
int pool_threads(const struct pool *p);
/* Queue j (its run set); with no workers, run it now. */
void pool_submit(struct pool *p, struct pool_job *j);
/* Wait until j (submitted) has run; its results are then visible. */
void pool_wait(struct pool *p, struct pool_job *j);
/* Run what is queued, stop and join the workers. NULL is fine. */
void pool_free(struct pool *p);

#endif
