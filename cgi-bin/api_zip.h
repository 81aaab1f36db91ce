/* api_zip.h: a streaming ZIP writer: deflated entries with data descriptors, ZIP64 end records when the archive outgrows 4 GB */
#ifndef CAIRN_API_ZIP_H
#define CAIRN_API_ZIP_H

#include <stddef.h> /* size_t */
#include <stdint.h> /* uint32_t, uint64_t */
#include <time.h>   /* time_t */

#include <zlib.h>

/* Where the archive's bytes go, in order: 0, or -1 (the writer fails). */
typedef int api_zip_out_fn(void *arg, const void *p, size_t n);

/* One entry, kept for the central directory. */
struct api_zip_ent {
	char *name;
	uint32_t crc;
	uint64_t csize, usize, offset;
};

/*
 * Writes an archive front to back without seeking: each entry's local
 * header carries no sizes (general purpose bit 3), its data is raw
 * deflate, and a data descriptor after it gives CRC-32 and sizes. Only
 * the names wait for the central directory at the end. One entry must
 * stay under 4 GiB; the archive may grow past it (ZIP64 end records and
 * central-directory extras). Any failure sets `failed`, after which
 * nothing more is written.
 */
struct api_zip {
	api_zip_out_fn *out;
	void *arg;
	z_stream z;
	int in_entry;
	int failed;
	uint16_t dos_time, dos_date; /* every entry's modification time */
	uint64_t pos;                /* bytes written so far */
	struct api_zip_ent *ents;
	size_t n, cap;
	unsigned char buf[16384]; /* deflate output */
};

/* Start an archive whose entries are dated `now` (UTC). 0, or -1. */
int api_zip_init(struct api_zip *zw, api_zip_out_fn *out, void *arg,
                 time_t now);
/* Start entry `name` (a relative path, '/' separators). 0, or -1. */
int api_zip_begin(struct api_zip *zw, const char *name);
/* Data of the open entry. 0, or -1. */
int api_zip_write(struct api_zip *zw, const void *p, size_t n);
/* End the open entry (its data descriptor). 0, or -1. */
int api_zip_end(struct api_zip *zw);
/* A whole entry at once: begin, write, end. 0, or -1. */
int api_zip_file(struct api_zip *zw, const char *name, const void *p, size_t n);
/* The central directory and end records. 0, or -1. */
int api_zip_finish(struct api_zip *zw);
/* Free what zw holds. NULL is fine. */
void api_zip_free(struct api_zip *zw);

#endif
