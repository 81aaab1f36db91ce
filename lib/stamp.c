/* stamp.c: writing and reading the mart stamp (see stamp.h) */
#include <errno.h>    /* errno */
#include <fcntl.h>    /* open */
#include <stdint.h>   /* uint64_t */
#include <stdio.h>    /* snprintf */
#include <string.h>   /* memcpy, strerror */
#include <sys/stat.h> /* fstat, stat */
#include <time.h>     /* clock_gettime */
#include <unistd.h>   /* pwrite, pread, close, getpid */

#include "stamp.h"

static void
stamp_put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

int
stamp_bump(const char *path, int create, char *err, size_t errlen)
{
	unsigned char v[STAMP_LEN];
	struct timespec ts;
	int fd, rc = -1;
	ssize_t n;

	if (path == NULL || path[0] == '\0')
		return 0; /* no stamp configured */
	clock_gettime(CLOCK_REALTIME, &ts);
	stamp_put64(v,
	            (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
	stamp_put64(v + 8, (uint64_t)getpid());
	/* In place, never by rename: readers keep the file open. */
	fd = open(path, O_WRONLY | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
	if (fd < 0 && !create && errno == ENOENT)
		return 0; /* nobody reads one yet */
	if (fd < 0) {
		snprintf(err, errlen, "cannot open mart stamp %s: %s", path,
		         strerror(errno));
		return -1;
	}
	n = pwrite(fd, v, sizeof(v), 0);
	if (n != (ssize_t)sizeof(v)) {
		snprintf(err, errlen, "cannot write mart stamp %s: %s", path,
		         n < 0 ? strerror(errno) : "short write");
		goto out;
	}
	rc = 0;
out:
	if (close(fd) != 0 && rc == 0) {
		snprintf(err, errlen, "cannot write mart stamp %s: %s", path,
		         strerror(errno));
		rc = -1;
	}
	return rc;
}

void
stamp_reader_init(struct stamp_reader *r)
{
	r->fd = -1;
	r->dev = 0;
	r->ino = 0;
	r->checked = -1e9;
}

void
stamp_reader_close(struct stamp_reader *r)
{
	if (r == NULL)
		return;
	if (r->fd >= 0)
		close(r->fd);
	stamp_reader_init(r);
}

static void
stamp_drop(struct stamp_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* Open path unless the file held open is still the one it names. */
static void
stamp_follow(struct stamp_reader *r, const char *path)
{
	struct stat st;
	int fd;

	if (stat(path, &st) != 0) {
		stamp_drop(r);
		return;
	}
	if (r->fd >= 0 && st.st_dev == r->dev && st.st_ino == r->ino)
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		stamp_drop(r);
		return;
	}
	stamp_drop(r);
	r->fd = fd;
	r->dev = st.st_dev;
	r->ino = st.st_ino;
}

int
stamp_read(struct stamp_reader *r, const char *path, double now,
           unsigned char out[STAMP_LEN])
{
	unsigned char v[STAMP_LEN];

	if (path == NULL || path[0] == '\0')
		return -1;
	if (now - r->checked >= STAMP_RECHECK) {
		r->checked = now;
		stamp_follow(r, path);
	}
	if (r->fd < 0 || pread(r->fd, v, sizeof(v), 0) != (ssize_t)sizeof(v))
		return -1;
	memcpy(out, v, sizeof(v));
	return 0;
}
