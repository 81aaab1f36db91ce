/* stamp.h: the mart stamp: a small file cairn-transform rewrites after each commit, so that cairn-api re-reads an athlete's mart version only when the marts may have changed */
#ifndef CAIRN_STAMP_H
#define CAIRN_STAMP_H

#include <stddef.h>    /* size_t */
#include <sys/types.h> /* dev_t, ino_t */

/* Bytes of a stamp: the writer's clock in nanoseconds and its pid. */
#define STAMP_LEN 16
/* Seconds between checks that the path still names the file held open. */
#define STAMP_RECHECK 1.0

/*
 * Rewrite the stamp at `path` in place with a value no earlier write gave;
 * a missing file is created (0644, less the umask) when `create`, else left
 * missing; a NULL or empty path (no mart_stamp set) does nothing. Call it
 * after a commit. 0, or -1 with `err` filled (readers then fall back on
 * their maximum age).
 */
int stamp_bump(const char *path, int create, char *err, size_t errlen);

/* One reader's open stamp (one per thread: no locking). */
struct stamp_reader {
	int fd; /* -1 while the file is missing */
	dev_t dev;
	ino_t ino;
	double checked; /* monotonic seconds of the last path check */
};

void stamp_reader_init(struct stamp_reader *r);
/*
 * The current stamp into out: 0, or -1 when there is none to read (missing,
 * short, unreadable). `now` is monotonic seconds; every STAMP_RECHECK the
 * path is looked up again, so a replaced file is followed.
 */
int stamp_read(struct stamp_reader *r, const char *path, double now,
               unsigned char out[STAMP_LEN]);
/* Close the reader's file; a closed reader may be read again. */
void stamp_reader_close(struct stamp_reader *r);

#endif
