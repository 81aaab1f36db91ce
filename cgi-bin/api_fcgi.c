/* api_fcgi.c: FastCGI connections: one epoll set shared by the workers, kept connections, answers in whole records */
#include <errno.h>       /* errno */
#include <fcgiapp.h>     /* FCGX_* */
#include <fcntl.h>       /* fcntl, O_NONBLOCK */
#include <stdint.h>      /* uint64_t */
#include <stdlib.h>      /* calloc, free, strtol */
#include <stdio.h>       /* snprintf */
#include <string.h>      /* strcmp, memset, strerror */
#include <sys/epoll.h>   /* epoll_* */
#include <sys/eventfd.h> /* eventfd */
#include <sys/select.h>  /* FD_SETSIZE */
#include <sys/socket.h>  /* accept4, recv, setsockopt */
#include <sys/uio.h>     /* writev */
#include <time.h>        /* nanosleep */
#include <unistd.h>      /* close, write */

#include "api.h"
#include "api_fcgi.h"
#include "log.h"

/*
 * Why not FCGX_Accept_r on the listening socket: libfcgi gives a thread to
 * a connection for as long as it is open, so with nginx keeping
 * connections (fastcgi_keep_conn), idle kept connections would hold every
 * thread while a new one waited. Here the workers wait together on one
 * epoll set; a readable connection goes to one worker, which has libfcgi
 * read that one request from it (FCGX_Accept_r on a request whose
 * connection is already open reads from it and accepts nothing) and then
 * hands the connection back to the set.
 *
 * libfcgi writes its output in 8 kB records, one write each, and the end
 * of the request in one more; an answer goes out here as records of up to
 * 64 kB and the end of the request, in one writev. So libfcgi reads
 * requests and keeps their state, and its writers stay empty.
 */

#define API_FCGI_IO_TIMEOUT 10 /* s a worker waits on a stalled peer */
#define API_FCGI_RECORD 65528  /* content bytes of one record (8-aligned) */
#define API_FCGI_IOV 48        /* iovecs of one writev */

enum { API_FCGI_VERSION = 1, API_FCGI_END_REQUEST = 3, API_FCGI_STDOUT = 6 };

/* One open connection from nginx. Owned by the loop's list. */
struct api_conn {
	FCGX_Request q; /* libfcgi's request state; q.ipcFd is the socket */
	int fd;
	struct api_conn *prev, *next;
};

/* The epoll set's two fixed members are tagged with the addresses of
 * l->lfd and l->wakefd; connections carry their struct api_conn. */

int
api_loop_open(struct api_loop *l, int lfd, int maxconns, char *err,
              size_t errlen)
{
	struct epoll_event ev;
	int fl;

	memset(l, 0, sizeof(*l));
	l->lfd = lfd;
	l->maxconns = maxconns;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&l->lock, NULL);
	fl = fcntl(lfd, F_GETFL);
	if (l->epfd < 0 || l->wakefd < 0 || fl < 0 ||
	    fcntl(lfd, F_SETFL, fl | O_NONBLOCK) != 0)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.ptr = &l->lfd;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, lfd, &ev) != 0)
		goto fail;
	ev.events = EPOLLIN; /* level: once stopping, it wakes every worker */
	ev.data.ptr = &l->wakefd;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wakefd, &ev) != 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "cannot set up the connection loop: %s",
	         strerror(errno));
	api_loop_close(l);
	return -1;
}

void
api_loop_stop(struct api_loop *l)
{
	uint64_t one = 1;

	if (write(l->wakefd, &one, sizeof(one)) != sizeof(one))
		log_err("cannot wake the workers: %s", strerror(errno));
}

static void
api_listen_arm(struct api_loop *l)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.ptr = &l->lfd;
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, l->lfd, &ev) != 0)
		log_err("cannot watch the listening socket: %s",
		        strerror(errno));
}

/* Unlink and free c; its socket is already closed. Resumes accepting if
 * the cap had stopped it. */
static void
api_conn_drop(struct api_loop *l, struct api_conn *c)
{
	int resume;

	pthread_mutex_lock(&l->lock);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		l->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	l->nconns--;
	resume = l->paused;
	l->paused = 0;
	pthread_mutex_unlock(&l->lock);
	FCGX_Free(&c->q, 0);
	free(c);
	if (resume)
		api_listen_arm(l);
}

static void
api_conn_close(struct api_loop *l, struct api_conn *c)
{
	close(c->fd);
	api_conn_drop(l, c);
}

/* Take one accepted socket into the set: 0, or -1 (it is closed). */
static int
api_conn_add(struct api_loop *l, int fd)
{
	struct timeval tv = {API_FCGI_IO_TIMEOUT, 0};
	struct epoll_event ev;
	struct api_conn *c;

	/* libfcgi's close path select()s on the socket. */
	if (fd >= FD_SETSIZE) {
		log_warn("refusing a connection: descriptor %d is past %d", fd,
		         FD_SETSIZE);
		close(fd);
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
		log_err("cannot take a connection: %s",
		        c == NULL ? "out of memory" : strerror(errno));
		free(c);
		close(fd);
		return -1;
	}
	/* No listening socket: libfcgi, failing to read a request, closes
	 * the connection and returns instead of accepting another. */
	FCGX_InitRequest(&c->q, -1, 0);
	c->q.ipcFd = fd;
	c->q.keepConnection = 1; /* FCGX_Accept_r first finishes "the last" */
	c->fd = fd;
	pthread_mutex_lock(&l->lock);
	c->next = l->conns;
	if (l->conns != NULL)
		l->conns->prev = c;
	l->conns = c;
	l->nconns++;
	pthread_mutex_unlock(&l->lock);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.ptr = c;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		log_err("cannot watch a connection: %s", strerror(errno));
		api_conn_close(l, c);
		return -1;
	}
	return 0;
}

/* Accept what is waiting, up to the cap, then watch the socket again. */
static void
api_loop_accept(struct api_loop *l)
{
	for (;;) {
		int fd, full;

		pthread_mutex_lock(&l->lock);
		full = l->nconns >= l->maxconns;
		if (full)
			l->paused = 1; /* the next close resumes accepting */
		pthread_mutex_unlock(&l->lock);
		if (full)
			return;
		fd = accept4(l->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0) {
			api_conn_add(l, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			struct timespec pause = {0, 20 * 1000 * 1000};

			/* Out of descriptors or memory: let others close. */
			log_warn("cannot accept a connection: %s",
			         strerror(errno));
			nanosleep(&pause, NULL);
		}
		break;
	}
	api_listen_arm(l);
}

/* Up to n bytes of the request body from the FastCGI stream `in`. */
static int
api_read_body(void *in, char *buf, int n)
{
	FCGX_Stream *st = in;
	int got = FCGX_GetStr(buf, n, st);

	return got < 0 || FCGX_GetError(st) != 0 ? -1 : got;
}

/* The raw request from FastCGI parameters and stdin. */
static void
api_read_request(FCGX_Request *q, struct api_http_req *rq, char *body)
{
	const char *m = FCGX_GetParam("REQUEST_METHOD", q->envp);
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", q->envp);
	long n = cl != NULL ? strtol(cl, NULL, 10) : 0;

	memset(rq, 0, sizeof(*rq));
	rq->method = m == NULL                ? API_OTHER
	             : strcmp(m, "GET") == 0  ? API_GET
	             : strcmp(m, "HEAD") == 0 ? API_HEAD
	             : strcmp(m, "PUT") == 0  ? API_PUT
	             : strcmp(m, "POST") == 0 ? API_POST
	                                      : API_OTHER;
	rq->path = FCGX_GetParam("PATH_INFO", q->envp);
	if (rq->path == NULL || rq->path[0] == '\0')
		rq->path = FCGX_GetParam("DOCUMENT_URI", q->envp);
	rq->query = FCGX_GetParam("QUERY_STRING", q->envp);
	rq->if_none_match = FCGX_GetParam("HTTP_IF_NONE_MATCH", q->envp);
	rq->content_type = FCGX_GetParam("CONTENT_TYPE", q->envp);
	rq->cookie = FCGX_GetParam("HTTP_COOKIE", q->envp);
	rq->csrf = FCGX_GetParam("HTTP_X_CSRF_TOKEN", q->envp);
	rq->host = FCGX_GetParam("HTTP_HOST", q->envp);
	if (rq->method != API_PUT && rq->method != API_POST)
		return;
	rq->content_length = n > 0 ? n : 0;
	rq->read = api_read_body;
	rq->in = q->in;
	if (n > API_BODY_MAX) {
		rq->body_too_large = 1;
		return;
	}
	if (n > 0) {
		int got = FCGX_GetStr(body, (int)n, q->in);

		rq->body_len = got > 0 ? (size_t)got : 0;
	}
	body[rq->body_len] = '\0';
	rq->body = body;
}

/* All of iov (n entries) to fd, resuming after partial writes: 0 or -1. */
static int
api_writev_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t k = writev(fd, iov, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		while (n > 0 && (size_t)k >= iov->iov_len) {
			k -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + k;
			iov->iov_len -= (size_t)k;
		}
	}
	return 0;
}

static void
api_record_header(unsigned char *h, int type, int id, size_t len)
{
	h[0] = API_FCGI_VERSION;
	h[1] = (unsigned char)type;
	h[2] = (unsigned char)(id >> 8);
	h[3] = (unsigned char)id;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)len;
	h[6] = 0; /* no padding */
	h[7] = 0;
}

int
api_fcgi_send(int fd, int id, const char *head, size_t hlen, const char *body,
              size_t blen)
{
	return api_fcgi_send_part(fd, id, head, hlen, body, blen, 1);
}

int
api_fcgi_send_part(int fd, int id, const char *head, size_t hlen,
                   const char *body, size_t blen, int end)
{
	unsigned char hdr[API_FCGI_IOV / 3][8]; /* of one writev's records */
	unsigned char tail[24] = {0};
	struct iovec iov[API_FCGI_IOV + 1];
	const char *part[2] = {head, body};
	size_t plen[2] = {hlen, blen}, total = hlen + blen, done = 0;
	int p = 0;

	for (;;) {
		int niov = 0, nrec = 0;

		/* A record takes a header and one or two parts. */
		while (done < total && niov + 3 <= API_FCGI_IOV &&
		       nrec < API_FCGI_IOV / 3) {
			size_t rec = total - done, left;

			if (rec > API_FCGI_RECORD)
				rec = API_FCGI_RECORD;
			api_record_header(hdr[nrec], API_FCGI_STDOUT, id, rec);
			iov[niov].iov_base = hdr[nrec++];
			iov[niov++].iov_len = 8;
			done += rec;
			for (left = rec; left > 0;) {
				size_t take = plen[p] < left ? plen[p] : left;

				if (take > 0) {
					iov[niov].iov_base = (void *)part[p];
					iov[niov++].iov_len = take;
					part[p] += take;
					plen[p] -= take;
					left -= take;
				}
				if (plen[p] == 0 && p == 0)
					p = 1;
			}
		}
		if (done == total && !end)
			return niov > 0 ? api_writev_all(fd, iov, niov) : 0;
		if (done == total) {
			/* The empty record that ends stdout, then the end of
			 * the request: status 0, FCGI_REQUEST_COMPLETE. */
			api_record_header(tail, API_FCGI_STDOUT, id, 0);
			api_record_header(tail + 8, API_FCGI_END_REQUEST, id,
			                  8);
			iov[niov].iov_base = tail;
			iov[niov++].iov_len = sizeof(tail);
			return api_writev_all(fd, iov, niov);
		}
		if (api_writev_all(fd, iov, niov) != 0)
			return -1;
	}
}

/* rs->sink of a request on c: one part of a streamed answer. */
static int
api_conn_part(void *arg, const char *head, size_t hlen, const char *body,
              size_t blen)
{
	struct api_conn *c = arg;

	return api_fcgi_send_part(c->fd, c->q.requestId, head, hlen, body, blen,
	                          0);
}

/* Serve the one request waiting on c, then watch c again or drop it. */
static void
api_conn_serve(struct api_loop *l, struct api_worker *w, struct api_conn *c,
               char *body)
{
	struct api_http_req rq;
	struct epoll_event ev;
	char head[2048];
	size_t hl;
	int failed;

	/*
	 * nginx closing a kept connection reads as a broken request too:
	 * either way libfcgi has closed the socket.
	 */
	if (FCGX_Accept_r(&c->q) < 0) {
		api_conn_drop(l, c);
		return;
	}
	api_read_request(&c->q, &rq, body);
	w->rs.sink = api_conn_part;
	w->rs.sink_arg = c;
	api_handle(w, &rq);
	w->rs.sink = NULL;
	w->rs.sink_arg = NULL;
	if (w->rs.status >= 500) {
		const char *m = FCGX_GetParam("REQUEST_METHOD", c->q.envp);

		log_warn("%s %s: %d", m ? m : "?", rq.path ? rq.path : "?",
		         w->rs.status);
	}
	if (w->rs.streaming) {
		/* the head went with the first part: the rest and the end,
		 * unless the answer failed half way, which only a cut
		 * connection can still tell nginx */
		failed = w->rs.failed || w->rs.status != 200 ||
		         api_fcgi_send_part(c->fd, c->q.requestId, NULL, 0,
		                            w->rs.body, w->rs.len, 1) != 0;
	} else {
		hl = api_resp_headers(&w->rs, rq.method, head, sizeof(head));
		failed = api_fcgi_send(
		    c->fd, c->q.requestId, head, hl, api_resp_data(&w->rs),
		    rq.method != API_HEAD && w->rs.status != 304 ? w->rs.len
		                                                 : 0);
	}
	if (failed)
		c->q.keepConnection = 0;
	/*
	 * The request is ended on the wire already: libfcgi's writers, empty,
	 * are marked closed so that FCGX_Finish_r writes nothing (else it
	 * adds its own end of stdout and of the request). It frees the
	 * request and closes the socket unless nginx keeps it.
	 */
	c->q.out->wasFCloseCalled = 1;
	c->q.err->wasFCloseCalled = 1;
	FCGX_Finish_r(&c->q);
	if (c->q.ipcFd < 0) {
		api_conn_drop(l, c);
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.ptr = c;
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, c->fd, &ev) != 0) {
		log_err("cannot watch a connection: %s", strerror(errno));
		api_conn_close(l, c);
	}
}

void
api_loop_run(struct api_loop *l, struct api_worker *w)
{
	char *body = malloc(API_BODY_MAX + 1);

	if (body == NULL) {
		log_err("worker %d: out of memory", w->idx);
		return;
	}
	for (;;) {
		struct epoll_event ev;
		int n = epoll_wait(l->epfd, &ev, 1, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_err("worker %d: cannot wait for requests: %s",
			        w->idx, strerror(errno));
			break;
		}
		if (n == 0)
			continue;
		if (ev.data.ptr == &l->wakefd)
			break;
		if (ev.data.ptr == &l->lfd) {
			api_loop_accept(l);
			continue;
		}
		api_conn_serve(l, w, ev.data.ptr, body);
	}
	free(body);
}

void
api_loop_close(struct api_loop *l)
{
	struct api_conn *c, *next;

	if (l == NULL)
		return;
	for (c = l->conns; c != NULL; c = next) {
		next = c->next;
		close(c->fd);
		FCGX_Free(&c->q, 0);
		free(c);
	}
	l->conns = NULL;
	l->nconns = 0;
	if (l->epfd >= 0)
		close(l->epfd);
	if (l->wakefd >= 0)
		close(l->wakefd);
	l->epfd = l->wakefd = -1;
	pthread_mutex_destroy(&l->lock);
}
