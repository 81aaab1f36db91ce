/* api_zip.c: a streaming ZIP writer (PKWARE APPNOTE 6.3): deflated entries with data descriptors, ZIP64 end records past 4 GB */
#include "api_zip.h"

#include <stdlib.h> /* realloc, free */
#include <string.h> /* memset, strlen, strdup */

#define API_ZIP_LOCAL 0x04034b50u
#define API_ZIP_DESC 0x08074b50u
#define API_ZIP_CENTRAL 0x02014b50u
#define API_ZIP_END 0x06054b50u
#define API_ZIP_END64 0x06064b50u
#define API_ZIP_LOC64 0x07064b50u
#define API_ZIP_FLAGS 0x0808u /* bit 3: data descriptor; bit 11: UTF-8 */
#define API_ZIP_DEFLATE 8
#define API_ZIP_VERSION 45 /* 4.5: ZIP64 */
#define API_ZIP_MAX32 0xffffffffu
/* zlib level 1: the demo athlete's archive (665 activities) in 7.9 s and
 * 104 MB, against 19 s and 86 MB at level 6; a worker makes it on demand */
#define API_ZIP_LEVEL 1

/* Little-endian fields into a header under construction. */
struct api_zip_hdr {
	unsigned char b[128];
	size_t n;
};

static void
api_zip_u16(struct api_zip_hdr *h, unsigned v)
{
	h->b[h->n++] = (unsigned char)v;
	h->b[h->n++] = (unsigned char)(v >> 8);
}

static void
api_zip_u32(struct api_zip_hdr *h, uint32_t v)
{
	api_zip_u16(h, v & 0xffffu);
	api_zip_u16(h, v >> 16);
}

static void
api_zip_u64(struct api_zip_hdr *h, uint64_t v)
{
	api_zip_u32(h, (uint32_t)v);
	api_zip_u32(h, (uint32_t)(v >> 32));
}

/* n bytes to the output, counted. 0, or -1 (failed set). */
static int
api_zip_emit(struct api_zip *zw, const void *p, size_t n)
{
	if (zw->failed)
		return -1;
	if (n > 0 && zw->out(zw->arg, p, n) != 0) {
		zw->failed = 1;
		return -1;
	}
	zw->pos += n;
	return 0;
}

int
api_zip_init(struct api_zip *zw, api_zip_out_fn *out, void *arg, time_t now)
{
	struct tm tm;

	memset(zw, 0, sizeof(*zw));
	zw->out = out;
	zw->arg = arg;
	if (gmtime_r(&now, &tm) == NULL || tm.tm_year < 80) {
		zw->dos_date = (1 << 5) | 1; /* 1980-01-01 */
		return 0;
	}
	zw->dos_time =
	    (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	zw->dos_date = (uint16_t)(((tm.tm_year - 80) << 9) |
	                          ((tm.tm_mon + 1) << 5) | tm.tm_mday);
	return 0;
}

int
api_zip_begin(struct api_zip *zw, const char *name)
{
	struct api_zip_hdr h = {.n = 0};
	struct api_zip_ent *e;
	size_t len = strlen(name);

	if (zw->failed || zw->in_entry || len == 0 || len > 0xffff)
		goto fail;
	if (zw->n == zw->cap) {
		size_t nc = zw->cap ? zw->cap * 2 : 256;

		e = realloc(zw->ents, nc * sizeof(*e));
		if (e == NULL)
			goto fail;
		zw->ents = e;
		zw->cap = nc;
	}
	e = &zw->ents[zw->n];
	memset(e, 0, sizeof(*e));
	if ((e->name = strdup(name)) == NULL)
		goto fail;
	e->offset = zw->pos;
	zw->n++;
	memset(&zw->z, 0, sizeof(zw->z));
	if (deflateInit2(&zw->z, API_ZIP_LEVEL, Z_DEFLATED, -15, 8,
	                 Z_DEFAULT_STRATEGY) != Z_OK)
		goto fail;
	zw->in_entry = 1;
	e->crc = (uint32_t)crc32(0L, Z_NULL, 0);
	api_zip_u32(&h, API_ZIP_LOCAL);
	api_zip_u16(&h, 20); /* version needed: 2.0, deflate */
	api_zip_u16(&h, API_ZIP_FLAGS);
	api_zip_u16(&h, API_ZIP_DEFLATE);
	api_zip_u16(&h, zw->dos_time);
	api_zip_u16(&h, zw->dos_date);
	api_zip_u32(&h, 0); /* crc, sizes: in the data descriptor */
	api_zip_u32(&h, 0);
	api_zip_u32(&h, 0);
	api_zip_u16(&h, (unsigned)len);
	api_zip_u16(&h, 0); /* extra */
	if (api_zip_emit(zw, h.b, h.n) != 0 || api_zip_emit(zw, name, len) != 0)
		goto fail;
	return 0;
fail:
	zw->failed = 1;
	return -1;
}

/* Deflate what z holds with `flush`, writing all output. 0, or -1. */
static int
api_zip_deflate(struct api_zip *zw, int flush)
{
	struct api_zip_ent *e = &zw->ents[zw->n - 1];
	int r;

	do {
		size_t got;

		zw->z.next_out = zw->buf;
		zw->z.avail_out = sizeof(zw->buf);
		r = deflate(&zw->z, flush);
		if (r == Z_STREAM_ERROR)
			return -1;
		got = sizeof(zw->buf) - zw->z.avail_out;
		e->csize += got;
		if (api_zip_emit(zw, zw->buf, got) != 0)
			return -1;
	} while (zw->z.avail_out == 0 ||
	         (flush == Z_FINISH && r != Z_STREAM_END));
	return 0;
}

int
api_zip_write(struct api_zip *zw, const void *p, size_t n)
{
	struct api_zip_ent *e;
	const unsigned char *b = p;

	if (zw->failed || !zw->in_entry)
		goto fail;
	e = &zw->ents[zw->n - 1];
	while (n > 0) {
		uInt k = n > 1u << 30 ? 1u << 30 : (uInt)n;

		e->crc = (uint32_t)crc32(e->crc, b, k);
		e->usize += k;
		zw->z.next_in = (Bytef *)(uintptr_t)b;
		zw->z.avail_in = k;
		if (api_zip_deflate(zw, Z_NO_FLUSH) != 0)
			goto fail;
		b += k;
		n -= k;
	}
	return 0;
fail:
	zw->failed = 1;
	return -1;
}

int
api_zip_end(struct api_zip *zw)
{
	struct api_zip_hdr h = {.n = 0};
	struct api_zip_ent *e;

	if (zw->failed || !zw->in_entry)
		goto fail;
	e = &zw->ents[zw->n - 1];
	zw->z.next_in = NULL;
	zw->z.avail_in = 0;
	if (api_zip_deflate(zw, Z_FINISH) != 0)
		goto fail;
	deflateEnd(&zw->z);
	zw->in_entry = 0;
	if (e->csize >= API_ZIP_MAX32 || e->usize >= API_ZIP_MAX32)
		goto fail; /* one entry must stay under 4 GiB */
	api_zip_u32(&h, API_ZIP_DESC);
	api_zip_u32(&h, e->crc);
	api_zip_u32(&h, (uint32_t)e->csize);
	api_zip_u32(&h, (uint32_t)e->usize);
	if (api_zip_emit(zw, h.b, h.n) != 0)
		goto fail;
	return 0;
fail:
	zw->failed = 1;
	return -1;
}

int
api_zip_file(struct api_zip *zw, const char *name, const void *p, size_t n)
{
	if (api_zip_begin(zw, name) != 0 || api_zip_write(zw, p, n) != 0 ||
	    api_zip_end(zw) != 0)
		return -1;
	return 0;
}

/* One central-directory record. 0, or -1. */
static int
api_zip_central(struct api_zip *zw, const struct api_zip_ent *e)
{
	struct api_zip_hdr h = {.n = 0};
	int big = e->offset >= API_ZIP_MAX32;
	size_t len = strlen(e->name);

	api_zip_u32(&h, API_ZIP_CENTRAL);
	api_zip_u16(&h, (3u << 8) | API_ZIP_VERSION); /* made by: Unix */
	api_zip_u16(&h, big ? API_ZIP_VERSION : 20);
	api_zip_u16(&h, API_ZIP_FLAGS);
	api_zip_u16(&h, API_ZIP_DEFLATE);
	api_zip_u16(&h, zw->dos_time);
	api_zip_u16(&h, zw->dos_date);
	api_zip_u32(&h, e->crc);
	api_zip_u32(&h, (uint32_t)e->csize);
	api_zip_u32(&h, (uint32_t)e->usize);
	api_zip_u16(&h, (unsigned)len);
	api_zip_u16(&h, big ? 12 : 0); /* extra: the ZIP64 offset */
	api_zip_u16(&h, 0);            /* comment */
	api_zip_u16(&h, 0);            /* disk */
	api_zip_u16(&h, 0);            /* internal attributes */
	api_zip_u32(&h, 0100644u << 16);
	api_zip_u32(&h, big ? API_ZIP_MAX32 : (uint32_t)e->offset);
	if (api_zip_emit(zw, h.b, h.n) != 0 ||
	    api_zip_emit(zw, e->name, len) != 0)
		return -1;
	if (big) {
		h.n = 0;
		api_zip_u16(&h, 0x0001); /* ZIP64 extended information */
		api_zip_u16(&h, 8);
		api_zip_u64(&h, e->offset);
		return api_zip_emit(zw, h.b, h.n);
	}
	return 0;
}

int
api_zip_finish(struct api_zip *zw)
{
	struct api_zip_hdr h = {.n = 0};
	uint64_t cd = zw->pos, cdlen, end64;
	size_t i;
	int big;

	if (zw->failed || zw->in_entry)
		goto fail;
	for (i = 0; i < zw->n; i++)
		if (api_zip_central(zw, &zw->ents[i]) != 0)
			goto fail;
	cdlen = zw->pos - cd;
	big = cd >= API_ZIP_MAX32 || cdlen >= API_ZIP_MAX32 || zw->n >= 0xffff;
	if (big) {
		end64 = zw->pos;
		api_zip_u32(&h, API_ZIP_END64);
		api_zip_u64(&h, 44); /* the size of what follows */
		api_zip_u16(&h, (3u << 8) | API_ZIP_VERSION);
		api_zip_u16(&h, API_ZIP_VERSION);
		api_zip_u32(&h, 0); /* this disk */
		api_zip_u32(&h, 0); /* the directory's disk */
		api_zip_u64(&h, zw->n);
		api_zip_u64(&h, zw->n);
		api_zip_u64(&h, cdlen);
		api_zip_u64(&h, cd);
		api_zip_u32(&h, API_ZIP_LOC64);
		api_zip_u32(&h, 0);
		api_zip_u64(&h, end64);
		api_zip_u32(&h, 1); /* disks */
	}
	api_zip_u32(&h, API_ZIP_END);
	api_zip_u16(&h, 0);
	api_zip_u16(&h, 0);
	api_zip_u16(&h, big ? 0xffff : (unsigned)zw->n);
	api_zip_u16(&h, big ? 0xffff : (unsigned)zw->n);
	api_zip_u32(&h, big ? API_ZIP_MAX32 : (uint32_t)cdlen);
	api_zip_u32(&h, big ? API_ZIP_MAX32 : (uint32_t)cd);
	api_zip_u16(&h, 0); /* comment */
	if (api_zip_emit(zw, h.b, h.n) != 0)
		goto fail;
	return 0;
fail:
	zw->failed = 1;
	return -1;
}

void
api_zip_free(struct api_zip *zw)
{
	size_t i;

	if (zw == NULL)
		return;
	if (zw->in_entry)
		deflateEnd(&zw->z);
	for (i = 0; i < zw->n; i++)
		free(zw->ents[i].name);
	free(zw->ents);
	zw->ents = NULL;
	zw->n = zw->cap = 0;
	zw->in_entry = 0;
}
