/* imp_pool.h: worker threads that run queued jobs (parsing files) while the
 * main thread stores finished ones in MariaDB */
#ifndef CAIRN_IMP_POOL_H
#define CAIRN_IMP_POOL_H

/* Most worker threads (import_threads). */
#define IMP_MAX_THREADS 16

enum imp_pool_state { IMP_JOB_FREE, IMP_JOB_QUEUED, IMP_JOB_DONE };

/* The pool's part of a job; embed it and give `run`. */
struct imp_pool_job {
	void (*run)(struct imp_pool_job *j);
	enum imp_pool_state state;
	struct imp_pool_job *next; /* the queue */
};

struct imp_pool;

/* A pool of `threads` workers (0: jobs run on the caller inside
 * imp_pool_submit). NULL when out of memory. */
struct imp_pool *imp_pool_new(int threads);
/* Workers actually started (a failed pthread_create leaves fewer). */
int imp_pool_threads(const struct imp_pool *p);
/* Queue j (its run set); with no workers, run it now. */
void imp_pool_submit(struct imp_pool *p, struct imp_pool_job *j);
/* Wait until j has run. */
void imp_pool_wait(struct imp_pool *p, struct imp_pool_job *j);
/* Run what is queued, stop and join the workers. NULL is fine. */
void imp_pool_free(struct imp_pool *p);

#endif
