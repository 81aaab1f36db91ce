/* api_fcgi.h: the workers' shared loop over FastCGI connections (api_fcgi.c) */
#ifndef CAIRN_API_FCGI_H
#define CAIRN_API_FCGI_H

#include <pthread.h> /* pthread_mutex_t */
#include <stddef.h>  /* size_t */

struct api_worker;
struct api_conn;

/* The listening socket and every open connection, watched by one epoll
 * set that all workers wait on. */
struct api_loop {
	int epfd;
	int lfd;    /* listening socket (borrowed; made non-blocking) */
	int wakefd; /* readable once stopping */
	int maxconns;
	pthread_mutex_t lock; /* conns, nconns, paused */
	struct api_conn *conns;
	int nconns;
	int paused; /* at the cap: accepting resumes on the next close */
};

/* Set up l around listening socket lfd: 0, or -1 with err filled. */
int api_loop_open(struct api_loop *l, int lfd, int maxconns, char *err,
                  size_t errlen);
/* A worker's life: serve requests until api_loop_stop(). */
void api_loop_run(struct api_loop *l, struct api_worker *w);
/* Make every worker return from api_loop_run (the busy ones after their
 * request). Safe from any thread. */
void api_loop_stop(struct api_loop *l);
/* Close every connection and the set (after the workers returned). NULL
 * is fine. */
void api_loop_close(struct api_loop *l);

/*
 * Write an answer, head then body, to fd as FCGI_STDOUT records of request
 * `id`, then the empty record that ends stdout and FCGI_END_REQUEST, in as
 * few writev calls as the iovec budget allows (one for up to 1 MB): 0, or
 * -1 when the connection failed.
 */
int api_fcgi_send(int fd, int id, const char *head, size_t hlen,
                  const char *body, size_t blen);
/* The same without the end of stdout and of the request when end is 0:
 * one part of a streamed answer (api_resp_flush). */
int api_fcgi_send_part(int fd, int id, const char *head, size_t hlen,
                       const char *body, size_t blen, int end);

#endif
