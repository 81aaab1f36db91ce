/* spk.c: the packed stream format of cairn_mart.activity_stream (transform writes, API reads) */
#include "spk.h"

#include <stdlib.h> /* malloc, free */
#include <string.h> /* memcpy, strncmp */

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

int
spk_pack(const struct spk *s, unsigned char **out, size_t *len)
{
	size_t sz = 12 + (size_t)s->nch * SPK_NAME +
	            (size_t)s->nch * s->n * 4;
	unsigned char *buf, *p;
	uint32_t i, j;

	buf = malloc(sz);
	if (buf == NULL)
		return -1;
	memcpy(buf, "SPK1", 4);
	spk_put32(buf + 4, s->n);
	spk_put32(buf + 8, s->nch);
	p = buf + 12;
	for (i = 0; i < s->nch; i++, p += SPK_NAME)
		memcpy(p, s->names[i], SPK_NAME);
	for (i = 0; i < s->nch; i++) {
		for (j = 0; j < s->n; j++, p += 4) {
			uint32_t bits;

			memcpy(&bits, &s->ch[i][j], 4);
			spk_put32(p, bits);
		}
	}
	*out = buf;
	*len = sz;
	return 0;
}

int
spk_unpack(const void *data, size_t len, struct spk *s)
{
	const unsigned char *p = data;
	uint32_t n, nch, i, j;

	memset(s, 0, sizeof(*s));
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
	for (i = 0; i < nch; i++) {
		s->ch[i] = malloc((size_t)n * sizeof(float) + 1);
		if (s->ch[i] == NULL) {
			spk_free(s);
			return -1;
		}
		s->nch = i + 1;
		for (j = 0; j < n; j++, p += 4) {
			uint32_t bits = spk_get32(p);

			memcpy(&s->ch[i][j], &bits, 4);
		}
	}
	s->nch = nch;
	return 0;
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
