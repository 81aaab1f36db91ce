/* test_api_zip.c: the streaming ZIP writer: an archive written to a file, read back by python3's zipfile, byte for byte; failures of the output */
/* links: cgi-bin */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h> /* unlink, close */

#include "api_zip.h"
#include "test.h"

static int
out_file(void *arg, const void *p, size_t n)
{
	return fwrite(p, 1, n, arg) == n ? 0 : -1;
}

static int
out_fail(void *arg, const void *p, size_t n)
{
	int *left = arg;

	(void)p;
	(void)n;
	return (*left)-- > 0 ? 0 : -1;
}

/* n bytes of text that deflate compresses, then noise that it cannot */
static unsigned char *
payload(size_t n)
{
	unsigned char *b = malloc(n);
	size_t i;

	for (i = 0; b != NULL && i < n; i++)
		b[i] = i < n / 2 ? (unsigned char)("cairn "[i % 6])
		                 : (unsigned char)t_rand();
	return b;
}

int
main(void)
{
	char path[] = "/tmp/test_api_zip.XXXXXX", cmd[2048];
	size_t big = 3u << 20; /* 3 MB: many deflate buffers */
	unsigned char *b = payload(big);
	struct api_zip zw;
	FILE *f;
	int fd = mkstemp(path), rc, left;

	T_OK(fd >= 0 && b != NULL, "a temporary file and a payload");
	f = fdopen(fd, "wb");
	api_zip_init(&zw, out_file, f, 1764936000); /* 2025-12-05 12:00 UTC */
	T_OK(api_zip_file(&zw, "README.txt", "hello\r\n", 7) == 0,
	     "a small entry");
	T_OK(api_zip_file(&zw, "empty.json", "", 0) == 0, "an empty entry");
	T_OK(api_zip_begin(&zw, "gpx/123.gpx") == 0 &&
	         api_zip_write(&zw, b, big / 3) == 0 &&
	         api_zip_write(&zw, b + big / 3, big - big / 3) == 0 &&
	         api_zip_end(&zw) == 0,
	     "a large entry written in two parts");
	T_OK(api_zip_file(&zw, "raw/\xc3\xa9t\xc3\xa9.json", "{}", 2) == 0,
	     "a UTF-8 name");
	T_OK(api_zip_write(&zw, "x", 1) != 0 && zw.failed,
	     "writing outside an entry fails the writer");
	zw.failed = 0;
	T_OK(api_zip_finish(&zw) == 0, "the central directory");
	T_OK(zw.n == 4, "four entries kept (%zu)", zw.n);
	api_zip_free(&zw);
	fclose(f);
	f = fopen("/tmp/test_api_zip.payload", "wb");
	T_OK(f != NULL && fwrite(b, 1, big, f) == big, "the payload kept");
	if (f != NULL)
		fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -m zipfile -t %s >/dev/null", path);
	rc = system(cmd);
	T_OK(rc == 0, "python3 -m zipfile -t finds no bad entry");
	snprintf(
	    cmd, sizeof(cmd),
	    "python3 -c 'import sys, zipfile; z = "
	    "zipfile.ZipFile(sys.argv[1]); "
	    "i = z.infolist(); "
	    "ok = [x.filename for x in i] == [\"README.txt\", \"empty.json\", "
	    "\"gpx/123.gpx\", \"raw/\\u00e9t\\u00e9.json\"] and "
	    "z.read(\"README.txt\") == b\"hello\\r\\n\" and "
	    "z.read(\"empty.json\") == b\"\" and "
	    "z.read(\"gpx/123.gpx\") == open(sys.argv[2], \"rb\").read() and "
	    "i[2].compress_type == zipfile.ZIP_DEFLATED and "
	    "i[2].compress_size < i[2].file_size and "
	    "i[0].date_time == (2025, 12, 5, 12, 0, 0); "
	    "sys.exit(0 if ok else 1)' %s /tmp/test_api_zip.payload",
	    path);
	rc = system(cmd);
	T_OK(rc == 0,
	     "names, contents, deflate and dates read back as written");
	unlink(path);
	unlink("/tmp/test_api_zip.payload");

	/* an output that fails after a few writes */
	left = 3;
	api_zip_init(&zw, out_fail, &left, 0);
	rc = api_zip_file(&zw, "a.txt", "abc", 3);
	rc |= api_zip_file(&zw, "b.txt", b, big);
	T_OK(rc != 0 && zw.failed, "a failed output fails the writer");
	T_OK(api_zip_finish(&zw) != 0, "... and nothing more is written");
	api_zip_free(&zw);
	api_zip_free(NULL);
	free(b);
	return T_DONE();
}
