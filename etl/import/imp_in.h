/* imp_in.h: one byte stream to read an input from: memory, a (gzipped) file, or a ZIP entry */
#ifndef CAIRN_IMP_IN_H
#define CAIRN_IMP_IN_H

#include <stddef.h>    /* size_t */
#include <sys/types.h> /* ssize_t */

#include <zlib.h>

struct archive;

/* Most bytes one input may yield after decompression (zip-bomb guard). */
#define IMP_MAX_BYTES (1024LL * 1024 * 1024)

enum imp_in_kind { IMP_IN_MEM, IMP_IN_FILE, IMP_IN_ARCHIVE, IMP_IN_REPLAY };

struct imp_in {
	enum imp_in_kind kind;
	const unsigned char *mem; /* IMP_IN_MEM */
	size_t memlen, mempos;
	gzFile gz;          /* IMP_IN_FILE (plain or gzip) */
	struct archive *ar; /* IMP_IN_ARCHIVE: the current entry */
	int inflating;      /* entry is .gz: inflate what it yields */
	z_stream z;
	unsigned char *zbuf;
	int zeof, zdone;
	struct imp_in *rest; /* IMP_IN_REPLAY: read on here after mem */
	int replay_fail;     /* IMP_IN_REPLAY: end in error err, not EOF */
	long long total;     /* bytes yielded so far */
	char err[256];
};

/* Read from memory; gzip data (1f 8b) is inflated on the fly. */
void imp_in_mem(struct imp_in *in, const void *buf, size_t len);
/*
 * Replay bytes another imp_in already yielded (decompressed, counted by it):
 * then `fail` (that stream's error, NULL for none) as -1, else the rest of
 * `rest` (NULL: the end). Nothing is copied; close with imp_in_close().
 */
void imp_in_replay(struct imp_in *in, const void *buf, size_t len,
                   const char *fail, struct imp_in *rest);
/* Open a file, plain or gzip. 0 or -1 (in->err). */
int imp_in_file(struct imp_in *in, const char *path);
/* Read the archive's current entry; `gz` set when its name ends in .gz. */
int imp_in_archive(struct imp_in *in, struct archive *ar, int gz);
void imp_in_close(struct imp_in *in);

/* Read up to n bytes: count, 0 at the end, -1 on error (in->err). */
ssize_t imp_in_read(struct imp_in *in, void *buf, size_t n);

/*
 * Read everything into a malloc'd buffer (NUL-terminated) of at most `cap`
 * bytes. 0, or -1 with `err` (too large, read error).
 */
int imp_in_slurp(struct imp_in *in, size_t cap, unsigned char **buf,
                 size_t *len, char *err, size_t errlen);

/* True when `name` ends with `ext` (case-insensitive). */
int imp_has_ext(const char *name, const char *ext);

#endif
