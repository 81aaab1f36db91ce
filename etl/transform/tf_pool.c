/* tf_pool.c: threads that compute activities (tf_act_build) while the main thread talks to MariaDB */
#include "tf.h"

#include <pthread.h>
#include <stdlib.h> /* calloc, free */

#include "tf_act.h"

struct tf_pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct tf_job *head, *tail; /* queued, oldest first */
	int stop;
	int nthreads;
	pthread_t tid[TF_MAX_THREADS];
};

static void
tf_job_build(struct tf_job *j)
{
	j->rc = tf_act_build(&j->a, j->blob, j->len, j->set, &j->o);
}

static void *
tf_pool_main(void *arg)
{
	struct tf_pool *p = arg;
	struct tf_job *j;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->head == NULL)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->head == NULL)
			break;
		j = p->head;
		p->head = j->next;
		if (p->head == NULL)
			p->tail = NULL;
		pthread_mutex_unlock(&p->mu);
		tf_job_build(j);
		pthread_mutex_lock(&p->mu);
		j->state = TF_JOB_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct tf_pool *
tf_pool_new(int threads)
{
	struct tf_pool *p = calloc(1, sizeof(*p));
	int i;

	if (p == NULL)
		return NULL;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	if (threads > TF_MAX_THREADS)
		threads = TF_MAX_THREADS;
	for (i = 0; i < threads; i++) {
		if (pthread_create(&p->tid[i], NULL, tf_pool_main, p) != 0)
			break; /* fewer threads; none computes on the caller */
		p->nthreads++;
	}
	return p;
}

int
tf_pool_threads(const struct tf_pool *p)
{
	return p != NULL ? p->nthreads : 0;
}

void
tf_pool_submit(struct tf_pool *p, struct tf_job *j)
{
	j->next = NULL;
	if (p == NULL || p->nthreads == 0) {
		tf_job_build(j);
		j->state = TF_JOB_DONE;
		return;
	}
	pthread_mutex_lock(&p->mu);
	j->state = TF_JOB_QUEUED;
	if (p->tail != NULL)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

void
tf_pool_wait(struct tf_pool *p, struct tf_job *j)
{
	if (p == NULL || p->nthreads == 0)
		return;
	pthread_mutex_lock(&p->mu);
	while (j->state == TF_JOB_QUEUED)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void
tf_pool_free(struct tf_pool *p)
{
	int i;

	if (p == NULL)
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
