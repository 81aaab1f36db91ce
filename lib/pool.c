/* pool.c: a fixed set of threads taking jobs from one FIFO queue */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h> /* calloc, free */

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct pool_job *head, *tail; /* queued, oldest first */
	int stop, nthreads;
	pthread_t tid[POOL_MAX_THREADS];
};

static void *
pool_main(void *arg)
{
	struct pool *p = arg;
	struct pool_job *j;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && !p->head)
			pthread_cond_wait(&p->work, &p->mu);
		if (!p->head)
			break;
		j = p->head;
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->mu);
		j->run(j);
		pthread_mutex_lock(&p->mu);
		j->state = POOL_JOB_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pool *
pool_new(int threads)
{
	struct pool *p = calloc(1, sizeof *p);
	int i;

	if (!p)
		return NULL;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	if (threads > POOL_MAX_THREADS)
		threads = POOL_MAX_THREADS;
	for (i = 0; i < threads; i++) {
		if (pthread_create(&p->tid[i], NULL, pool_main, p) != 0)
			break;
		p->nthreads++;
	}
	return p;
}

int
pool_threads(const struct pool *p)
{
	return p ? p->nthreads : 0;
}

void
pool_submit(struct pool *p, struct pool_job *j)
{
	j->next = NULL;
	if (!p || p->nthreads == 0) {
		j->run(j);
		j->state = POOL_JOB_DONE;
		return;
	}
	pthread_mutex_lock(&p->mu);
	j->state = POOL_JOB_QUEUED;
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

void
pool_wait(struct pool *p, struct pool_job *j)
{
	if (!p || p->nthreads == 0)
		return;
	pthread_mutex_lock(&p->mu);
	while (j->state == POOL_JOB_QUEUED)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void
pool_free(struct pool *p)
{
	int i;

	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->tid[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
