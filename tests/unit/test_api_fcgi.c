/* test_api_fcgi.c: cairn-api's FastCGI answer writer (stdout records, the end of the request), read back through a socket pair */
/* links: cgi-bin */
#include <pthread.h>    /* pthread_create */
#include <signal.h>     /* signal */
#include <stdlib.h>     /* malloc, free */
#include <string.h>     /* memcmp */
#include <sys/socket.h> /* socketpair */
#include <unistd.h>     /* read, close */

#include "api_fcgi.h"
#include "test.h"

/* What the reading end saw. */
struct t_seen {
	int fd;
	unsigned char *data; /* the records' content, concatenated */
	size_t len, cap;
	int records, bad_header, max_len, empty, ended, after_end;
};

static int
t_read_full(int fd, unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = read(fd, p, n);

		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void *
t_reader(void *arg)
{
	struct t_seen *s = arg;
	unsigned char h[8];

	while (t_read_full(s->fd, h, 8) == 0) {
		size_t n = (size_t)h[4] << 8 | h[5];
		unsigned char end[8];

		if (s->ended)
			s->after_end++;
		if (h[0] != 1 || h[2] != 0x12 || h[3] != 0x34 || h[6] != 0 ||
		    (h[1] != 6 && h[1] != 3))
			s->bad_header++;
		if (h[1] == 3) { /* FCGI_END_REQUEST */
			s->ended = n == 8 && t_read_full(s->fd, end, 8) == 0 &&
			           memcmp(end, "\0\0\0\0\0\0\0\0", 8) == 0;
			if (!s->ended)
				s->bad_header++;
			continue;
		}
		if (n == 0 && s->empty++ == 0 && s->ended == 0)
			continue; /* the end of stdout */
		s->records++;
		if ((int)n > s->max_len)
			s->max_len = (int)n;
		if (s->len + n > s->cap)
			break;
		if (t_read_full(s->fd, s->data + s->len, n) != 0)
			break;
		s->len += n;
	}
	return NULL;
}

static void
t_case(size_t hlen, size_t blen)
{
	char *head = malloc(hlen + 1), *body = malloc(blen + 1);
	struct t_seen s;
	pthread_t th;
	int sv[2], rc;
	size_t i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < hlen; i++)
		head[i] = (char)('A' + i % 26);
	for (i = 0; i < blen; i++)
		body[i] = (char)t_rand();
	s.cap = hlen + blen + 1;
	s.data = malloc(s.cap);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	s.fd = sv[1];
	pthread_create(&th, NULL, t_reader, &s);
	rc = api_fcgi_send(sv[0], 0x1234, head, hlen, body, blen);
	close(sv[0]);
	pthread_join(th, NULL);
	close(sv[1]);
	T_OK(rc == 0, "head %zu + body %zu: written", hlen, blen);
	T_OK(s.len == hlen + blen && memcmp(s.data, head, hlen) == 0 &&
	         memcmp(s.data + hlen, body, blen) == 0,
	     "head %zu + body %zu: the records carry the bytes in order (got "
	     "%zu)",
	     hlen, blen, s.len);
	T_OK(s.bad_header == 0 && s.empty == 1 && s.max_len <= 65528,
	     "head %zu + body %zu: %d stdout records of request 0x1234, one "
	     "empty (the end of stdout), none over 65528 bytes (largest %d)",
	     hlen, blen, s.records, s.max_len);
	T_OK(s.ended && s.after_end == 0,
	     "head %zu + body %zu: then FCGI_END_REQUEST (status 0, complete), "
	     "and nothing after it",
	     hlen, blen);
	T_OK(s.records == (int)((hlen + blen + 65527) / 65528),
	     "head %zu + body %zu: the fewest records (%d)", hlen, blen,
	     s.records);
	free(head);
	free(body);
	free(s.data);
}

int
main(void)
{
	int sv[2];

	t_case(40, 0);
	t_case(40, 1);
	t_case(65528, 0);
	t_case(65520, 8);
	t_case(65520, 9);
	t_case(100, 65528);
	t_case(7, 3 * 65528 + 5);
	/* More records than one writev's iovecs hold. */
	t_case(120, 40 * 65528 + 3);
	/* A peer that is gone: an error, not a crash (SIGPIPE is ignored). */
	signal(SIGPIPE, SIG_IGN);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[1]);
	T_OK(api_fcgi_send(sv[0], 1, "x", 1, "y", 1) == -1,
	     "a closed peer gives -1");
	close(sv[0]);
	return T_DONE();
}
