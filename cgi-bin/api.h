/* api.h: cairn-api's shared types: requests, typed parameters, routes, responses */
#ifndef CAIRN_API_H
#define CAIRN_API_H

#include <stdatomic.h> /* atomic_int */
#include <stddef.h>    /* size_t */

#include <jansson.h>

#include "stamp.h"

struct cfg;
struct db_conn;

#define API_QUERY_MAX 2048      /* bytes of QUERY_STRING accepted */
#define API_BODY_MAX 4096       /* bytes of a PUT body accepted */
#define API_LIST_MAX 20         /* items of an int list */
#define API_ARENA 4096          /* decoded parameter text of one request */
#define API_RETRY_AFTER 2       /* seconds, in 503 answers */
#define API_CSV_MAX_ROWS 100000 /* activities in one CSV download */

enum api_method {
	API_GET = 1,
	API_HEAD = 2,
	API_PUT = 4,
	API_OTHER = 8,
	API_POST = 16
};

/* What the server hands to the router: the raw request. */
struct api_http_req {
	int method;
	const char *path;  /* /api/v1/..., /auth/..., decoded by nginx */
	const char *query; /* raw QUERY_STRING, may be NULL */
	const char *if_none_match;
	const char *content_type;
	const char *cookie; /* for session lookups (auth issue) */
	const char *csrf;   /* X-CSRF-Token header (api_auth.c) */
	const char *host;   /* the Host header, or NULL (api_host.c) */
	const char *body;   /* PUT or POST body (NUL-terminated) or NULL */
	size_t body_len;
	int body_too_large;
	/* A body over API_BODY_MAX is left unread for an API_F_UPLOAD route:
	 * its CONTENT_LENGTH, and `read` takes up to n bytes of it from `in`
	 * (the bytes read, 0 at its end, -1 on an error). */
	long long content_length;
	int (*read)(void *in, char *buf, int n);
	void *in;
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
	/* A part of the answer could not be built (api_append, api_set): the
	 * answer is a 500, never one with a row missing. */
	int failed;
	char extra[1536]; /* more header lines: Set-Cookie, Location */
	/* Where api_resp_flush sends a long answer's parts as it is built
	 * (head, then body so far), set by the FastCGI loop for each request;
	 * NULL: the whole answer is sent at the end. 0 or -1. */
	int (*sink)(void *arg, const char *head, size_t hlen, const char *body,
	            size_t blen);
	void *sink_arg;
	int streaming; /* the head has gone: no Content-Length, the status
	                  stays; a later failure cuts the connection */
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

/* One declared parameter (api_pdefs[], indexed by enum api_param). */
struct api_pdef {
	const char *name;
	enum api_ptype type;
	int required;
	const char *def; /* default, as text, or NULL */
	double min, max;
	const char *const *choices; /* NULL-terminated (enum, keys) */
	const char *doc;
};

/*
 * Every parameter a route may accept, declared once in api_pdefs[]
 * (api_route.c); handlers read x->p[P_...]. A query name with different
 * definitions on different routes has one value per definition.
 */
enum api_param {
	P_ID,            /* path id of activities/{id} */
	P_SPORT,         /* sport group or all */
	P_FROM,          /* first local date */
	P_TO,            /* last local date */
	P_FORMAT,        /* json or csv */
	P_SUMMARY_GROUP, /* summary: week, month, year */
	P_YEARS,         /* cumulative: a list of years */
	P_CALENDAR_YEAR, /* calendar: the year shown */
	P_METRIC,        /* calendar: distance, time, load */
	P_GEAR,          /* activities: gear id */
	P_Q,             /* activities: name contains */
	P_MIN_DISTANCE,  /* activities */
	P_MAX_DISTANCE,  /* activities */
	P_SORT,          /* activities */
	P_ORDER,         /* activities */
	P_LIMIT,         /* activities */
	P_CURSOR,        /* activities */
	P_KEYS,          /* streams: channels */
	P_POINTS,        /* streams: at most this many points */
	P_ZONE_KIND,     /* zones: power, hr, pace */
	P_ZONE_GROUP,    /* zones: week or month */
	P_PERIOD,        /* curves: all, year:YYYY, days:N */
	P_RECORDS_YEAR,  /* records: one year */
	P_RIDE_RUN,      /* eddington, model: ride or run only */
	P_UNIT,          /* eddington: km or mi */
	P_DATE,          /* model: one local date */
	P_EXPORT_FORMAT, /* export: gpx or tcx */
	P_UPLOAD_ID,     /* path id of uploads/{id} */
	P_UPLOAD_NAME,   /* uploads: the file's name (a label) */
	P__MAX
};

extern const struct api_pdef api_pdefs[P__MAX];

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
	int present;   /* given or defaulted */
	int given;     /* given in the request */
	long long i;   /* int, date (days since 1970-01-01), pathid, period N */
	double d;      /* number */
	const char *s; /* text as given (arena), enum choice, period kind */
	unsigned keys; /* keys: bit i = choices[i] */
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
	struct api_val p[P__MAX]; /* by enum api_param; absent: all zero */
	long long athlete_id;
	long long mart_version;
	const char *body; /* PUT or POST of an API_F_BODY route */
	size_t body_len;
	struct api_resp *rs;
	const struct api_http_req *rq; /* the raw request (sessions) */
	json_t *csv_rows;              /* set by handlers that can answer CSV */
	const char *const *csv_cols;
	int db_failed; /* a statement failed (503 or 500) */
};

typedef int api_handler_fn(struct api_ctx *x);

/* What a route needs before its handler runs (api_handle checks them). */
enum api_flag {
	API_F_DB = 1,       /* MariaDB (503 while it is down) */
	API_F_ATHLETE = 2,  /* the request's athlete and mart version */
	API_F_SESSION = 4,  /* a session and its CSRF token (401, 403) */
	API_F_ETAG = 8,     /* ETag from the mart version, kept answers, 304 */
	API_F_CSV = 16,     /* format=csv answers text/csv */
	API_F_BODY = 32,    /* PUT/POST carry a body (413 over API_BODY_MAX) */
	API_F_JSON = 64,    /* that body must be application/json (415) */
	API_F_STRAVA = 128, /* only with auth_mode = strava (else 404) */
	API_F_RAWQUERY = 256, /* the handler reads the query (names Strava
	                         chooses); no declared parameters */
	API_F_XMLFILE = 512,  /* answers a GPX or TCX file, not JSON */
	API_F_QUEUE = 1024,   /* POST queues work for the ETL: 202 */
	API_F_UPLOAD = 2048,  /* POST carries a file (application/octet-stream,
	                         upload_max_mb), read by the handler */
	API_F_ZIPFILE = 4096  /* answers a ZIP file, streamed */
};

/* A list of parameters in a route row, in the order they are documented
 * and normalised (ETag): API_PARAMS(P_SPORT, P_FROM). */
#define API_PARAMS(...) ((const enum api_param[]){__VA_ARGS__, P__MAX})

/* One row of the routing table (api_routes[] in api_route.c). */
struct api_route {
	const char *path;             /* "{id}" matches a path id */
	api_handler_fn *get;          /* GET and HEAD, or NULL */
	api_handler_fn *put;          /* or NULL */
	api_handler_fn *post;         /* or NULL */
	unsigned flags;               /* API_F_* */
	const enum api_param *params; /* ends with P__MAX; NULL: none */
	const char *summary;
	const char *schema; /* response schema name in openapi.json */
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

struct api_cache;

/* What the workers share, made once by api_srv_new before they start. */
struct api_srv {
	const struct cfg *cfg;
	struct api_cache *cache; /* kept answers (owned), or NULL */
	char *openapi;           /* the OpenAPI document (owned), or NULL */
	size_t openapi_len;
};

/* The worker: one thread, its connections to MariaDB, one output buffer. */
struct api_worker {
	int idx;
	struct api_srv *srv; /* shared; NULL in tests: no cache, no OpenAPI */
	const struct cfg *cfg;
	struct db_conn *db; /* the primary: sessions, settings, writes */
	struct db_conn
	    *rdb;        /* marts from a replica (api_db_read_hosts), or NULL */
	double retry_at; /* monotonic seconds before which no reconnect */
	const char *stamp_path; /* mart_stamp, or NULL: look up every time */
	double version_max_age; /* seconds; 0: look up every time */
	struct stamp_reader stamp;
	struct api_version_memo memo;
	double
	    alive_at; /* monotonic seconds the connection was last seen open */
	struct api_resp rs;
	char arena[API_ARENA];
	size_t arena_used;
};

/* api_cache.c: answers kept by ETag */
/* A new, empty cache (free with api_cache_free), or NULL. */
struct api_cache *api_cache_new(void);
/* Drop every kept answer and the cache. NULL is fine. */
void api_cache_free(struct api_cache *c);
/* The answer named by etag into rs (rs->shared, a reference): 1 on a hit,
 * else 0 (always 0 without a cache). */
int api_cache_get(struct api_cache *c, const char *etag, struct api_resp *rs);
/* Drop one reference to a kept body. NULL is fine. */
void api_cache_release(struct api_cache_body *b);
/* Keep a copy of a 200 answer under its ETag (small, storable ones), made
 * from the athlete's marts at `version`; answers of the athlete's older
 * versions are dropped. NULL c keeps nothing. */
void api_cache_put(struct api_cache *c, const char *etag, long long athlete,
                   long long version, const struct api_resp *rs);
/* Drop every kept answer. NULL is fine. */
void api_cache_clear(struct api_cache *c);

/* api_route.c */
extern const struct api_route api_routes[];
extern const size_t api_nroutes;
/* The route of `path`, or NULL; *id gets the path id, *bad_id 1 when the
 * id segment is not a non-zero integer. */
const struct api_route *api_route_find(const char *path, long long *id,
                                       int *bad_id);
/* The route's path below /api/v1/ ("summary"), or its whole path. */
const char *api_route_name(const struct api_route *r);
void api_handle(struct api_worker *w, const struct api_http_req *rq);
/* The routing table as JSON (--dump-routes), or NULL. */
json_t *api_routes_dump(void);

/* api_param.c */
/* Parse `query` for route r into v[P__MAX]: 0, or the status of the error
 * answer in w->rs; canon gets the normalised query (declared order). */
int api_parse_query(struct api_worker *w, const struct api_route *r,
                    const char *query, long long path_id, struct api_val *v,
                    char *canon, size_t canonlen);
int api_parse_date(const char *s, long long *days);
/* Check v against the numeric setting `name` (api_h_core.c) and write it
 * as stored into out; 0, or -1 when name is no numeric setting or v is
 * outside its range. */
int api_setting_value(const char *name, double v, char *out, size_t outlen);
void api_format_date(long long days, char *buf, size_t len);
int api_cursor_encode(const struct api_cursor *c, char *out, size_t len);
int api_cursor_decode(const char *s, struct api_cursor *c);
int api_utf8_ok(const char *s, size_t n);

/* api_resp.c */
void api_resp_reset(struct api_resp *rs);
/* Free what rs holds (at a worker's end). */
void api_resp_free(struct api_resp *rs);
/* The body to send: the shared kept answer, or rs->body. */
const char *api_resp_data(const struct api_resp *rs);
int api_resp_append(struct api_resp *rs, const void *p, size_t n);
/* Send the head (the first time) and the body so far through rs->sink,
 * then empty the body: an answer larger than memory leaves in parts. No
 * sink: nothing happens (the answer grows). 0, or -1 when the connection
 * failed (rs->failed set). */
int api_resp_flush(struct api_resp *rs);
int api_error(struct api_resp *rs, int status, const char *code,
              const char *param, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int api_send_json(struct api_resp *rs, int status, json_t *j);
int api_send_csv(struct api_resp *rs, json_t *rows, const char *const *cols);
const char *api_status_text(int status);

/* api_host.c: the Host names the API answers to (DNS rebinding) */
/* 1 when `host` (a Host header, NULL when absent) is a loopback name, the
 * host of public_url or redirect_uri, or listed in `allowed`; else 0. */
int api_host_ok(const char *host, const char *public_url,
                const char *redirect_uri, const char *allowed);
/* 0 when the settings `c` allow `host`; else 421 with the error in rs. */
int api_host_check(const struct cfg *c, const char *host, struct api_resp *rs);
/* The CGI header lines of rs for a request of `method`: their length, 0
 * when buf is too small. */
size_t api_resp_headers(const struct api_resp *rs, int method, char *buf,
                        size_t len);
/* Append v (stolen) to array arr; a NULL v (a json_pack that failed) or a
 * failed append sets *failed, so the answer becomes a 500 rather than
 * one with a row missing. */
void api_append(int *failed, json_t *arr, json_t *v);
/* Set key of object obj to v (stolen), checked the same way. */
void api_set(int *failed, json_t *obj, const char *key, json_t *v);
json_t *api_num(double d);
json_t *api_numr(double d, int decimals);
json_t *api_str(const char *s);
/* A date parameter as "YYYY-MM-DD", or null when it was not given. */
json_t *api_date_or_null(const struct api_val *v);

/* api_db.c */
int api_db_ready(struct api_worker *w);
int api_db_failed(struct api_ctx *x);
int api_request_athlete(struct api_ctx *x);

/* api_openapi.c: the document of the /api/v1/ routes, or NULL */
json_t *api_openapi(void);

/* api_server.c */
/* What the workers share (api_cache = 0: no cache): free with
 * api_srv_free. NULL when out of memory or the document cannot be built. */
struct api_srv *api_srv_new(const struct cfg *c, int cache);
void api_srv_free(struct api_srv *s);
int api_main(int argc, char **argv);

/* handlers, grouped by theme into api_h_*.c, api_auth.c, api_webhook.c */
api_handler_fn api_h_health, api_h_me, api_h_settings_get, api_h_settings_put,
    api_h_openapi;
api_handler_fn api_h_auth_me, api_h_auth_login, api_h_auth_callback,
    api_h_auth_logout, api_h_auth_disconnect;
api_handler_fn api_h_webhook_check, api_h_webhook_event;
api_handler_fn api_h_summary, api_h_cumulative, api_h_calendar, api_h_fitness,
    api_h_zones;
api_handler_fn api_h_activities, api_h_activity, api_h_streams, api_h_heatmap,
    api_h_export, api_h_progress;
api_handler_fn api_h_curves, api_h_records, api_h_eddington, api_h_gear,
    api_h_model, api_h_model_history, api_h_model_apply;
api_handler_fn api_h_sources, api_h_sync, api_h_upload, api_h_upload_get;
api_handler_fn api_h_privacy_get, api_h_privacy_put, api_h_archive;

/* api_h_export.c: the GPX file of activity id of x's athlete (its
 * privacy-filtered streams) into out, emptied first: 1 written, 0 the
 * activity has no positions (out empty), -1 a statement or memory failed. */
int api_export_gpx_to(struct api_ctx *x, long long id, struct api_resp *out);
/* api_h_activity.c: every activity of x's athlete, oldest first, as the
 * activities list's CSV (its columns) into out: 0, or -1 (a statement or
 * memory failed); *count gets the rows. */
int api_activities_csv_to(struct api_ctx *x, struct api_resp *out,
                          size_t *count);

/* api_h_privacy.c: {"zones": [...], "trim": m, "limits": {...}} of x's
 * athlete, or NULL when a statement failed (x->db->err) or out of memory
 * (*bad set). */
json_t *api_privacy_json(struct api_ctx *x, int *bad);

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
