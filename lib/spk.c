/* spk.c: the packed stream format of cairn_mart.activity_stream (transform writes, API reads) */
#include "spk.h"

#include <stdlib.h> /* malloc, free */
#include <string.h> /* memcpy, strncmp */
#include <zlib.h>   /* compress2, uncompress */

/* The largest SPK1 size: more is never inflated. */
#define SPK_MAX_SIZE                                                           \
	(12 + (size_t)SPK_MAX_CH * SPK_NAME +                                  \
	 (size_t)SPK_MAX_CH * SPK_MAX_POINTS * 4)

static void
spk_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t
spk_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void
spk_init(struct spk *s, uint32_t n)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
}

int
spk_add(struct spk *s, const char *name, const float *v)
{
	float *copy;

	if (s->nch >= SPK_MAX_CH || strlen(name) >= SPK_NAME)
		return -1;
	copy = malloc((size_t)s->n * sizeof(float) + 1);
	if (copy == NULL)
		return -1;
	if (s->n > 0)
		memcpy(copy, v, (size_t)s->n * sizeof(float));
	memset(s->names[s->nch], 0, SPK_NAME);
	memcpy(s->names[s->nch], name, strlen(name));
	s->ch[s->nch++] = copy;
	return 0;
}

const float *
spk_channel(const struct spk *s, const char *name)
{
	uint32_t i;

	for (i = 0; i < s->nch; i++)
		if (strncmp(s->names[i], name, SPK_NAME) == 0)
			return s->ch[i];
	return NULL;
}

/* The SPK1 bytes into buf (spk_size bytes); byte planes when `planes`. */
static size_t
spk_size(const struct spk *s)
{
	return 12 + (size_t)s->nch * SPK_NAME + (size_t)s->nch * s->n * 4;
}

static void
spk_write(const struct spk *s, unsigned char *buf, int planes)
{
	unsigned char *p = buf;
	uint32_t i, j;
	int k;

	memcpy(p, "SPK1", 4);
	spk_put32(p + 4, s->n);
	spk_put32(p + 8, s->nch);
	p += 12;
	for (i = 0; i < s->nch; i++, p += SPK_NAME)
		memcpy(p, s->names[i], SPK_NAME);
	for (i = 0; i < s->nch; i++, p += (size_t)s->n * 4) {
		for (j = 0; j < s->n; j++) {
			uint32_t bits;

			memcpy(&bits, &s->ch[i][j], 4);
			if (!planes) {
				spk_put32(p + 4 * (size_t)j, bits);
				continue;
			}
			for (k = 0; k < 4; k++)
				p[(size_t)k * s->n + j] =
				    (unsigned char)(bits >> (8 * k));
		}
	}
}

int
spk_pack(const struct spk *s, unsigned char **out, size_t *len)
{
	size_t sz = spk_size(s);
	unsigned char *buf = malloc(sz);

	if (buf == NULL)
		return -1;
	spk_write(s, buf, 0);
	*out = buf;
	*len = sz;
	return 0;
}

int
spk_pack_z(const struct spk *s, unsigned char **out, size_t *len)
{
	size_t sz = spk_size(s);
	uLongf zlen = compressBound((uLong)sz);
	unsigned char *raw = malloc(sz), *buf = malloc(8 + zlen);
	int rc = -1;

	if (raw == NULL || buf == NULL || sz > SPK_MAX_SIZE)
		goto out;
	spk_write(s, raw, 1);
	if (compress2(buf + 8, &zlen, raw, (uLong)sz, 1) != Z_OK)
		goto out;
	memcpy(buf, "SPKZ", 4);
	spk_put32(buf + 4, (uint32_t)sz);
	*out = buf;
	*len = 8 + zlen;
	buf = NULL;
	rc = 0;
out:
	free(raw);
	free(buf);
	return rc;
}

/* Parse SPK1 bytes; channel data as byte planes when `planes`. */
static int
spk_parse(const unsigned char *p, size_t len, struct spk *s, int planes)
{
	uint32_t n, nch, i, j;

	if (len < 12 || memcmp(p, "SPK1", 4) != 0)
		return -1;
	n = spk_get32(p + 4);
	nch = spk_get32(p + 8);
	if (nch > SPK_MAX_CH || n > SPK_MAX_POINTS ||
	    len != 12 + (size_t)nch * SPK_NAME + (size_t)nch * n * 4)
		return -1;
	s->n = n;
	p += 12;
	for (i = 0; i < nch; i++, p += SPK_NAME) {
		memcpy(s->names[i], p, SPK_NAME);
		s->names[i][SPK_NAME - 1] = '\0';
	}
	for (i = 0; i < nch; i++, p += (size_t)n * 4) {
		s->ch[i] = malloc((size_t)n * sizeof(float) + 1);
		if (s->ch[i] == NULL) {
			spk_free(s);
			return -1;
		}
		s->nch = i + 1;
		for (j = 0; j < n; j++) {
			uint32_t bits;

			if (planes)
				bits = (uint32_t)p[j] |
				       (uint32_t)p[(size_t)n + j] << 8 |
				       (uint32_t)p[2 * (size_t)n + j] << 16 |
				       (uint32_t)p[3 * (size_t)n + j] << 24;
			else
				bits = spk_get32(p + 4 * (size_t)j);
			memcpy(&s->ch[i][j], &bits, 4);
		}
	}
	s->nch = nch;
	return 0;
}

int
spk_unpack(const void *data, size_t len, struct spk *s)
{
	const unsigned char *p = data;
	unsigned char *raw = NULL;
	uLongf rlen;
	size_t want;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (len >= 4 && memcmp(p, "SPK1", 4) == 0)
		return spk_parse(p, len, s, 0);
	if (len < 8 || memcmp(p, "SPKZ", 4) != 0)
		return -1;
	want = spk_get32(p + 4);
	if (want < 12 || want > SPK_MAX_SIZE || (raw = malloc(want)) == NULL)
		goto out;
	rlen = (uLongf)want;
	if (uncompress(raw, &rlen, p + 8, (uLong)(len - 8)) != Z_OK ||
	    rlen != want)
		goto out;
	rc = spk_parse(raw, want, s, 1);
out:
	free(raw);
	return rc;
}

void
spk_free(struct spk *s)
{
	uint32_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nch && i < SPK_MAX_CH; i++) {
		free(s->ch[i]);
		s->ch[i] = NULL;
	}
	s->nch = 0;
}
