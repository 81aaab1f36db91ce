/* imp_in.c: byte streams over memory, gzip files and ZIP entries, with a decompression cap */
#include "imp_in.h"

#include <archive.h>
#include <errno.h>   /* errno */
#include <stdio.h>   /* snprintf */
#include <stdlib.h>  /* malloc, free */
#include <string.h>  /* memset, strlen, strerror */
#include <strings.h> /* strcasecmp */

#define IMP_ZBUF 65536

static int
imp_z_start(struct imp_in *in)
{
	memset(&in->z, 0, sizeof in->z);
	in->zbuf = malloc(IMP_ZBUF);
	if (!in->zbuf || inflateInit2(&in->z, 15 + 32) != Z_OK) {
		free(in->zbuf);
		in->zbuf = NULL;
		snprintf(in->err, sizeof in->err, "cannot start gzip decoder");
		return -1;
	}
	in->inflating = 1;
	return 0;
}

void
imp_in_mem(struct imp_in *in, const void *buf, size_t len)
{
	memset(in, 0, sizeof *in);
	in->kind = IMP_IN_MEM;
	in->mem = buf;
	in->memlen = len;
	if (len >= 2 && in->mem[0] == 0x1f && in->mem[1] == 0x8b)
		imp_z_start(in);
}

void
imp_in_replay(struct imp_in *in, const void *buf, size_t len, const char *fail,
              struct imp_in *rest)
{
	memset(in, 0, sizeof *in);
	in->kind = IMP_IN_REPLAY;
	in->mem = buf;
	in->memlen = buf ? len : 0;
	in->rest = rest;
	if (fail) {
		in->replay_fail = 1;
		snprintf(in->err, sizeof in->err, "%s", fail);
	}
}

int
imp_in_file(struct imp_in *in, const char *path)
{
	memset(in, 0, sizeof *in);
	in->kind = IMP_IN_FILE;
	in->gz = gzopen(path, "rb");
	if (!in->gz) {
		snprintf(in->err, sizeof in->err, "cannot open %s: %s", path,
		         errno ? strerror(errno) : "out of memory");
		return -1;
	}
	gzbuffer(in->gz, 65536);
	return 0;
}

int
imp_in_archive(struct imp_in *in, struct archive *ar, int gz)
{
	memset(in, 0, sizeof *in);
	in->kind = IMP_IN_ARCHIVE;
	in->ar = ar;
	return gz ? imp_z_start(in) : 0;
}

void
imp_in_close(struct imp_in *in)
{
	if (!in)
		return;
	if (in->gz)
		gzclose(in->gz);
	in->gz = NULL;
	if (in->inflating)
		inflateEnd(&in->z);
	in->inflating = 0;
	free(in->zbuf);
	in->zbuf = NULL;
}

/* Raw bytes of the source, before any inflating. */
static ssize_t
imp_in_raw(struct imp_in *in, void *buf, size_t n)
{
	ssize_t r = -1;

	switch (in->kind) {
	case IMP_IN_MEM:
	case IMP_IN_REPLAY:
		if (n > in->memlen - in->mempos)
			n = in->memlen - in->mempos;
		memcpy(buf, in->mem + in->mempos, n);
		in->mempos += n;
		return (ssize_t)n;
	case IMP_IN_FILE: {
		int got =
		    gzread(in->gz, buf, n > 1u << 30 ? 1u << 30 : (unsigned)n);
		int zerr;
		const char *msg;

		if (got >= 0)
			return got;
		msg = gzerror(in->gz, &zerr);
		snprintf(in->err, sizeof in->err, "cannot read: %s",
		         zerr == Z_ERRNO ? strerror(errno) : msg);
		return -1;
	}
	case IMP_IN_ARCHIVE:
		r = archive_read_data(in->ar, buf, n);
		if (r < 0)
			snprintf(in->err, sizeof in->err,
			         "cannot read archive entry: %s",
			         archive_error_string(in->ar)
			             ? archive_error_string(in->ar)
			             : "unknown error");
		return r;
	}
	return r;
}

/* Inflate into buf; stops after the last gzip member (trailing junk ignored).
 */
static ssize_t
imp_in_inflate(struct imp_in *in, void *buf, size_t n)
{
	size_t want = n > 1u << 30 ? 1u << 30 : n;
	ssize_t r;

	in->z.next_out = buf;
	in->z.avail_out = (unsigned)want;
	while (!in->zdone && in->z.avail_out == want) {
		int zr;

		if (in->z.avail_in == 0 && !in->zeof) {
			r = imp_in_raw(in, in->zbuf, IMP_ZBUF);
			if (r < 0)
				return -1;
			if (r == 0)
				in->zeof = 1;
			in->z.next_in = in->zbuf;
			in->z.avail_in = (unsigned)r;
		}
		zr = inflate(&in->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			if (in->z.avail_in == 0 && !in->zeof) {
				r = imp_in_raw(in, in->zbuf, IMP_ZBUF);
				if (r < 0)
					return -1;
				in->z.next_in = in->zbuf;
				in->z.avail_in = (unsigned)r;
				if (r == 0)
					in->zeof = 1;
			}
			if (in->z.avail_in >= 2 && in->z.next_in[0] == 0x1f &&
			    in->z.next_in[1] == 0x8b) {
				if (inflateReset(&in->z) != Z_OK)
					return -1;
				continue;
			}
			in->zdone = 1;
			break;
		}
		if (zr == Z_BUF_ERROR && in->zeof && in->z.avail_in == 0) {
			snprintf(in->err, sizeof in->err,
			         "gzip data truncated");
			return -1;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			snprintf(in->err, sizeof in->err,
			         "cannot inflate gzip data: %s",
			         in->z.msg ? in->z.msg : "corrupt");
			return -1;
		}
	}
	return (ssize_t)(want - in->z.avail_out);
}

ssize_t
imp_in_read(struct imp_in *in, void *buf, size_t n)
{
	ssize_t r;

	if (n == 0)
		return 0;
	if (in->kind == IMP_IN_REPLAY && in->mempos == in->memlen) {
		if (in->replay_fail)
			return -1;
		if (!in->rest)
			return 0;
		r = imp_in_read(in->rest, buf, n);
		if (r < 0)
			snprintf(in->err, sizeof in->err, "%s", in->rest->err);
		else
			in->total += r; /* the cap is the rest's to check */
		return r;
	}
	r = in->inflating ? imp_in_inflate(in, buf, n) : imp_in_raw(in, buf, n);
	if (r > 0) {
		in->total += r;
		if (in->total > IMP_MAX_BYTES) {
			snprintf(in->err, sizeof in->err,
			         "more than %lld bytes after decompression",
			         (long long)IMP_MAX_BYTES);
			return -1;
		}
	}
	return r;
}

int
imp_in_slurp(struct imp_in *in, size_t cap, unsigned char **buf, size_t *len,
             char *err, size_t errlen)
{
	int rc = -1;
	size_t n = 0, size = 65536;
	unsigned char *b = malloc(size + 1), *nb;
	ssize_t r;

	*buf = NULL;
	*len = 0;
	if (!b) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (;;) {
		if (n == size) {
			if (size >= cap) {
				snprintf(err, errlen,
				         "larger than %zu bytes: not read",
				         cap);
				goto out;
			}
			size = size * 2 > cap ? cap : size * 2;
			nb = realloc(b, size + 1);
			if (!nb) {
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			b = nb;
		}
		r = imp_in_read(in, b + n, size - n);
		if (r < 0) {
			snprintf(err, errlen, "%s", in->err);
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	b = NULL;
	rc = 0;
out:
	free(b);
	return rc;
}

int
imp_has_ext(const char *name, const char *ext)
{
	size_t a = strlen(name), b = strlen(ext);

	return a >= b && strcasecmp(name + a - b, ext) == 0;
}
