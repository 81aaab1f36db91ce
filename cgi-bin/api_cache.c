/* api_cache.c: answers kept by ETag, shared by the workers, so a repeated query costs one lookup */
#include <pthread.h>   /* pthread_mutex_t */
#include <stdatomic.h> /* atomic_fetch_add */
#include <stdint.h>    /* uint64_t */
#include <stdlib.h>    /* malloc, free */
#include <string.h>    /* memcpy, strcmp */

#include "api.h"

/*
 * A direct-mapped table: an ETag (mart version + athlete + route + the
 * normalised query) picks one slot; a newer answer for the same slot
 * replaces the older. An ETag names exactly one body, and a transform that
 * changes an athlete's marts changes the version, so an entry is never
 * stale: it only stops being asked for. Memory is bounded by
 * API_CACHE_SLOTS x API_CACHE_BODY_MAX; and an answer for a newer mart
 * version of an athlete frees that athlete's answers of older versions, so
 * a transform run does not leave a slot-full of answers nobody will ask
 * for again.
 */
#define API_CACHE_SLOTS 512
#define API_CACHE_BODY_MAX (256UL * 1024)

struct api_cache_slot {
	char etag[48];
	long long athlete, version;
	const char *content_type;    /* a static string */
	struct api_cache_body *body; /* one reference, or NULL */
};

/* The table, made by api_cache_new and shared by the workers (api_srv). */
struct api_cache {
	pthread_mutex_t lock; /* slot */
	struct api_cache_slot slot[API_CACHE_SLOTS];
};

struct api_cache *
api_cache_new(void)
{
	struct api_cache *c = calloc(1, sizeof(*c));

	if (c != NULL && pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c);
		c = NULL;
	}
	return c;
}

void
api_cache_free(struct api_cache *c)
{
	if (c == NULL)
		return;
	api_cache_clear(c);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void
api_cache_release(struct api_cache_body *b)
{
	if (b != NULL && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

static struct api_cache_slot *
api_cache_slot(struct api_cache *c, const char *etag)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *etag != '\0'; etag++)
		h = (h ^ (unsigned char)*etag) * 1099511628211ULL;
	return &c->slot[h % API_CACHE_SLOTS];
}

int
api_cache_get(struct api_cache *c, const char *etag, struct api_resp *rs)
{
	struct api_cache_slot *s;
	struct api_cache_body *b = NULL;

	if (c == NULL || etag[0] == '\0')
		return 0;
	s = api_cache_slot(c, etag);
	/* Only the lookup is locked: the answer is sent from the shared
	 * body, which its reference keeps alive. */
	pthread_mutex_lock(&c->lock);
	if (s->body != NULL && strcmp(s->etag, etag) == 0) {
		b = s->body;
		atomic_fetch_add(&b->refs, 1);
		rs->content_type = s->content_type;
	}
	pthread_mutex_unlock(&c->lock);
	if (b == NULL)
		return 0;
	api_cache_release(rs->shared);
	rs->shared = b;
	rs->len = b->len;
	rs->status = 200;
	return 1;
}

void
api_cache_put(struct api_cache *c, const char *etag, long long athlete,
              long long version, const struct api_resp *rs)
{
	struct api_cache_body *b, *gone[API_CACHE_SLOTS + 1];
	struct api_cache_slot *s;
	size_t i, ngone = 0;

	if (c == NULL || etag[0] == '\0' || rs->status != 200 || rs->no_store ||
	    rs->extra[0] != '\0' || rs->oom || rs->shared != NULL ||
	    rs->len > API_CACHE_BODY_MAX || strlen(etag) >= sizeof(s->etag))
		return;
	b = malloc(sizeof(*b) + rs->len + 1);
	if (b == NULL)
		return; /* a cache that cannot grow just misses */
	atomic_init(&b->refs, 1);
	b->len = rs->len;
	memcpy(b->data, rs->body, rs->len);
	s = api_cache_slot(c, etag);
	pthread_mutex_lock(&c->lock);
	for (i = 0; i < API_CACHE_SLOTS; i++) {
		struct api_cache_slot *o = &c->slot[i];

		if (o->body != NULL && o->athlete == athlete &&
		    o->version < version) {
			gone[ngone++] = o->body;
			o->body = NULL;
			o->etag[0] = '\0';
		}
	}
	if (s->body != NULL)
		gone[ngone++] = s->body;
	s->body = b;
	s->content_type = rs->content_type;
	s->athlete = athlete;
	s->version = version;
	memcpy(s->etag, etag, strlen(etag) + 1);
	pthread_mutex_unlock(&c->lock);
	for (i = 0; i < ngone; i++)
		api_cache_release(gone[i]);
}

void
api_cache_clear(struct api_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	for (i = 0; i < API_CACHE_SLOTS; i++) {
		api_cache_release(c->slot[i].body);
		c->slot[i].body = NULL;
		c->slot[i].etag[0] = '\0';
	}
	pthread_mutex_unlock(&c->lock);
}
