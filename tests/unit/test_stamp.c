/* test_stamp.c: the mart stamp: written in place, read back, followed when replaced, refused when short */
/* links: etl/migrate */
#include <fcntl.h>    /* open */
#include <stdio.h>    /* snprintf, rename */
#include <stdlib.h>   /* mkdtemp */
#include <string.h>   /* memcmp */
#include <sys/stat.h> /* stat */
#include <unistd.h>   /* unlink, rmdir, truncate */

#include "stamp.h"
#include "test.h"

int
main(void)
{
	char dir[] = "/tmp/cairn-stamp-XXXXXX", path[64], other[64], err[256];
	unsigned char a[STAMP_LEN], b[STAMP_LEN], c[STAMP_LEN];
	struct stamp_reader r;
	struct stat st;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/mart.stamp", dir);
	snprintf(other, sizeof(other), "%s/new.stamp", dir);
	stamp_reader_init(&r);

	T_OK(stamp_read(&r, path, 0.0, a) == -1, "no file: nothing to read");
	T_OK(stamp_bump(path, 0, err, sizeof(err)) == 0 && stat(path, &st) != 0,
	     "a bump without create leaves a missing stamp missing");
	T_OK(stamp_bump(path, 1, err, sizeof(err)) == 0 &&
	         stat(path, &st) == 0 && st.st_size == STAMP_LEN,
	     "a bump with create makes a %d-byte file", STAMP_LEN);
	T_OK(stamp_read(&r, path, 0.5, a) == -1,
	     "a reader looks for the file again only after STAMP_RECHECK");
	T_OK(stamp_read(&r, path, 2.0, a) == 0, "then it reads the stamp");
	T_OK(stamp_read(&r, path, 2.1, b) == 0 && memcmp(a, b, STAMP_LEN) == 0,
	     "unchanged, it reads the same");
	T_OK(stamp_bump(path, 0, err, sizeof(err)) == 0 &&
	         stamp_read(&r, path, 2.2, b) == 0 &&
	         memcmp(a, b, STAMP_LEN) != 0,
	     "a bump in place is seen at once, without a recheck");
	T_OK(stamp_bump(path, 0, err, sizeof(err)) == 0 &&
	         stamp_read(&r, path, 2.3, c) == 0 &&
	         memcmp(b, c, STAMP_LEN) != 0,
	     "two bumps in a row give two values");

	/* Replaced by rename (not how Cairn writes it): followed on recheck. */
	stamp_bump(other, 1, err, sizeof(err));
	rename(other, path);
	T_OK(stamp_read(&r, path, 2.4, a) == 0 && memcmp(a, c, STAMP_LEN) == 0,
	     "a replaced file: the open one is read until the recheck");
	T_OK(stamp_read(&r, path, 3.5, a) == 0 && memcmp(a, c, STAMP_LEN) != 0,
	     "after the recheck the new file is read");

	T_OK(truncate(path, 3) == 0 && stamp_read(&r, path, 3.6, a) == -1,
	     "a short stamp reads as none");
	T_OK(unlink(path) == 0 && stamp_read(&r, path, 5.0, a) == -1,
	     "a removed stamp reads as none after the recheck");
	T_OK(stamp_bump("/nonexistent-dir/x", 1, err, sizeof(err)) == -1 &&
	         strstr(err, "cannot open mart stamp /nonexistent-dir/x") !=
	             NULL,
	     "an unwritable stamp says which and why (%s)", err);
	T_OK(stamp_bump("", 1, err, sizeof(err)) == 0 &&
	         stamp_bump(NULL, 1, err, sizeof(err)) == 0,
	     "no stamp configured (empty or NULL path): nothing to do");
	stamp_reader_close(&r);
	stamp_reader_close(NULL);
	rmdir(dir);
	return T_DONE();
}
