/* api.h: cairn-api's shared types: requests, typed parameters, routes, responses */
#ifndef CAIRN_API_H
#define CAIRN_API_H

#include <stdatomic.h> /* atomic_int */
#include <stddef.h>    /* size_t */

#include <jansson.h>

#include "stamp.h"

struct cfg;
struct db_conn;

#define API_QUERY_MAX 2048  /* bytes of QUERY_STRING accepted */
#define API_BODY_MAX 4096   /* bytes of a PUT body accepted */
#define API_MAX_PARAMS 16   /* parameters one route declares at most */
#define API_LIST_MAX 20     /* items of an int list */
#define API_ARENA 4096      /* decoded parameter text of one request */
#define API_RETRY_AFTER 2   /* seconds, in 503 answers */
#define API_CSV_MAX_ROWS 100000 /* activities in one CSV download */

enum api_method { API_GET = 1, API_HEAD = 2, API_PUT = 4, API_OTHER = 8,
                  API_POST = 16 /* /auth/ and /webhook/ only */ };

/* What the server hands to the router: the raw request. */
struct api_http_req {
	int method;
	const char *path;         /* /api/v1/..., decoded by nginx */
	const char *query;        /* raw QUERY_STRING, may be NULL */
	const char *if_none_match;
	const char *content_type;
	const char *cookie;       /* for session lookups (auth issue) */
	const char *csrf;         /* X-CSRF-Token header (api_auth.c) */
	const char *body;         /* PUT body (NUL-terminated) or NULL */
	size_t body_len;
	int body_too_large;
};

/* A kept answer body (api_cache.c), shared by the cache and the answers
 * being sent from it; freed with its last reference. */
struct api_cache_body {
	atomic_int refs;
	size_t len;
	char data[];
};

/* A response under construction; the body buffer belongs to the worker. */
struct api_resp {
	int status;
	const char *content_type;
	char etag[48];
	char allow[32];
	int retry_after;
	int no_store;
	char *body;
	size_t len; /* of body, or of shared */
	size_t cap;
	/* A kept answer sent instead of body (one reference), or NULL. */
	struct api_cache_body *shared;
	int oom;
	char extra[1536]; /* more header lines: Set-Cookie, Location */
};

/* Parameter types a route may declare. */
enum api_ptype {
	API_P_INT,     /* integer in [min, max] */
	API_P_NUMBER,  /* finite number in [min, max] */
	API_P_DATE,    /* YYYY-MM-DD, a real calendar day */
	API_P_ENUM,    /* one of choices */
	API_P_STRING,  /* UTF-8 text of at most max bytes */
	API_P_CURSOR,  /* opaque base64url keyset cursor */
	API_P_KEYS,    /* comma-separated subset of choices */
	API_P_INTLIST, /* comma-separated integers in [min, max] */
	API_P_PERIOD,  /* all | year:YYYY | days:N (N in [min, max]) */
	API_P_PATHID,  /* a path segment: non-zero 64-bit integer */
};

struct api_pdef {
	const char *name;
	enum api_ptype type;
	int required;
	const char *def;              /* default, as text, or NULL */
	double min, max;
	const char *const *choices;   /* NULL-terminated (enum, keys) */
	const char *doc;
};

/* The keyset cursor of the activities list. */
struct api_cursor {
	char sort[12];
	char order[5];
	int is_num;
	double num;
	char text[24]; /* YYYY-MM-DD HH:MM:SS */
	long long id;
};

/* One validated value. */
struct api_val {
	int present;       /* given or defaulted */
	int given;         /* given in the request */
	long long i;       /* int, date (days since 1970-01-01), pathid, period N */
	double d;          /* number */
	const char *s;     /* text as given (arena), enum choice, period kind */
	unsigned keys;     /* keys: bit i = choices[i] */
	int nlist;
	int list[API_LIST_MAX];
	struct api_cursor cur;
};

struct api_route;
struct api_worker;

/* What a handler sees: typed values, the athlete, the response. */
struct api_ctx {
	struct api_worker *w;
	struct db_conn *db;
	const struct api_route *route;
	struct api_val v[API_MAX_PARAMS];
	long long athlete_id;
	long long mart_version;
	const char *body; /* PUT only */
	size_t body_len;
	struct api_resp *rs;
	const struct api_http_req *rq; /* the raw request (sessions) */
	json_t *csv_rows;            /* set by handlers that can answer CSV */
	const char *const *csv_cols;
	int db_failed;               /* a statement failed (503 or 500) */
};

typedef int api_handler_fn(struct api_ctx *x);

struct api_route {
	const char *pattern;  /* below /api/v1/, "{id}" matches a path id */
	unsigned methods;     /* API_GET and/or API_PUT */
	api_handler_fn *get;
	api_handler_fn *put;
	int athlete;          /* needs the request's athlete */
	int etag;             /* cacheable by mart_version */
	int csv;              /* accepts format=csv */
	const struct api_pdef *params;
	const char *summary;
	const char *schema;   /* response schema name in openapi.json */
};

/*
 * The athlete and mart version of the last lookup (auth_mode = none), kept
 * while the mart stamp reads as it did before that lookup and for at most
 * api_version_max_age: a request then needs no query before its answer.
 */
struct api_version_memo {
	int valid;
	long long athlete, version;
	unsigned char stamp[STAMP_LEN];
	double at; /* monotonic seconds of the lookup */
};

/* The worker: one thread, its connections to MariaDB, one output buffer. */
struct api_worker {
	int idx;
	const struct cfg *cfg;
	struct db_conn *db;  /* the primary: sessions, settings, writes */
	struct db_conn *rdb; /* marts from a replica (api_db_read_hosts), or NULL */
	double retry_at; /* monotonic seconds before which no reconnect */
	const char *stamp_path;  /* mart_stamp, or NULL: look up every time */
	double version_max_age;  /* seconds; 0: look up every time */
	struct stamp_reader stamp;
	struct api_version_memo memo;
	double alive_at; /* monotonic seconds the connection was last seen open */
	struct api_resp rs;
	char arena[API_ARENA];
	size_t arena_used;
};

/* api_cache.c: answers kept by ETag (setting api_cache = 0 turns it off) */
void api_cache_enable(int on);
/* The answer named by etag into rs (rs->shared, a reference): 1 on a hit,
 * else 0. */
int api_cache_get(const char *etag, struct api_resp *rs);
/* Drop one reference to a kept body. NULL is fine. */
void api_cache_release(struct api_cache_body *b);
/* Keep a copy of a 200 answer under its ETag (small, storable ones), made
 * from the athlete's marts at `version`; answers of the athlete's older
 * versions are dropped. */
void api_cache_put(const char *etag, long long athlete, long long version,
                   const struct api_resp *rs);
/* Drop every kept answer (at exit). */
void api_cache_clear(void);

/* api_route.c */
extern const struct api_route api_routes[];
extern const size_t api_nroutes;
const struct api_route *api_route_find(const char *path, long long *id,
                                       int *matched_path);
void api_handle(struct api_worker *w, const struct api_http_req *rq);
json_t *api_routes_dump(void);

/* api_param.c */
int api_parse_query(struct api_worker *w, const struct api_route *r,
                    const char *query, long long path_id, struct api_val *v,
                    char *canon, size_t canonlen);
int api_parse_date(const char *s, long long *days);
void api_format_date(long long days, char *buf, size_t len);
int api_cursor_encode(const struct api_cursor *c, char *out, size_t len);
int api_cursor_decode(const char *s, struct api_cursor *c);
int api_param_index(const struct api_route *r, const char *name);
int api_utf8_ok(const char *s, size_t n);

/* api_resp.c */
void api_resp_reset(struct api_resp *rs);
/* Free what rs holds (at a worker's end). */
void api_resp_free(struct api_resp *rs);
/* The body to send: the shared kept answer, or rs->body. */
const char *api_resp_data(const struct api_resp *rs);
int api_resp_append(struct api_resp *rs, const void *p, size_t n);
int api_error(struct api_resp *rs, int status, const char *code,
              const char *param, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int api_send_json(struct api_resp *rs, int status, json_t *j);
int api_send_csv(struct api_resp *rs, json_t *rows,
                 const char *const *cols);
const char *api_status_text(int status);
/* The CGI header lines of rs for a request of `method`: their length, 0
 * when buf is too small. */
size_t api_resp_headers(const struct api_resp *rs, int method, char *buf,
                        size_t len);
json_t *api_num(double d);
json_t *api_numr(double d, int decimals);
json_t *api_str(const char *s);

/* api_db.c */
int api_db_ready(struct api_worker *w);
int api_db_failed(struct api_ctx *x);
int api_request_athlete(struct api_ctx *x);

/* api_openapi.c */
json_t *api_openapi(void);

/* api_server.c */
int api_main(int argc, char **argv);

/* handlers */
api_handler_fn api_h_health, api_h_me, api_h_settings_get, api_h_settings_put,
    api_h_openapi;
api_handler_fn api_h_summary, api_h_cumulative, api_h_calendar, api_h_fitness,
    api_h_zones;
api_handler_fn api_h_activities, api_h_activity, api_h_streams,
    api_h_heatmap;
api_handler_fn api_h_curves, api_h_records, api_h_eddington, api_h_gear;

/* Helpers for handlers: the value of parameter `name`. */
const struct api_val *api_v(const struct api_ctx *x, const char *name);
/* Send j (stolen) as JSON, or `rows` (borrowed from j) as CSV on format=csv. */
int api_reply(struct api_ctx *x, json_t *j, json_t *rows,
              const char *const *cols);
/* The date bounds of from/to as YYYY-MM-DD (open ends: 1900, 2200). */
void api_range(const struct api_ctx *x, char *from, char *to);
/* The sport parameter ("all" when absent). */
const char *api_sport(const struct api_ctx *x);

extern const char *const api_stream_keys[];

/* A text parameter (DB_STR on a pointer, so arrays may be passed). */
#include "db.h"
static inline struct db_param
api_s(const char *s)
{
	return DB_STR(s);
}

#endif
