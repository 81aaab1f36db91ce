/* imp_pool.c: a fixed set of threads taking jobs from one FIFO queue */
#include "imp_pool.h"

#include <pthread.h>
#include <stdlib.h> /* calloc, free */

struct imp_pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct imp_pool_job *head, *tail; /* queued, oldest first */
	int stop, nthreads;
	pthread_t tid[IMP_MAX_THREADS];
};

static void *
imp_pool_main(void *arg)
{
	struct imp_pool *p = arg;
	struct imp_pool_job *j;

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
		j->state = IMP_JOB_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct imp_pool *
imp_pool_new(int threads)
{
	struct imp_pool *p = calloc(1, sizeof *p);
	int i;

	if (!p)
		return NULL;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	if (threads > IMP_MAX_THREADS)
		threads = IMP_MAX_THREADS;
	for (i = 0; i < threads; i++) {
		if (pthread_create(&p->tid[i], NULL, imp_pool_main, p) != 0)
			break;
		p->nthreads++;
	}
	return p;
}

int
imp_pool_threads(const struct imp_pool *p)
{
	return p ? p->nthreads : 0;
}

void
imp_pool_submit(struct imp_pool *p, struct imp_pool_job *j)
{
	j->next = NULL;
	if (!p || p->nthreads == 0) {
		j->run(j);
		j->state = IMP_JOB_DONE;
		return;
	}
	pthread_mutex_lock(&p->mu);
	j->state = IMP_JOB_QUEUED;
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

void
imp_pool_wait(struct imp_pool *p, struct imp_pool_job *j)
{
	if (!p || p->nthreads == 0)
		return;
	pthread_mutex_lock(&p->mu);
	while (j->state == IMP_JOB_QUEUED)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void
imp_pool_free(struct imp_pool *p)
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
