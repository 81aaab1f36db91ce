/* api_route.c: the routing table (path, methods, declared parameters) and request dispatch */
#include <errno.h>  /* errno */
#include <stdint.h> /* uint64_t */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* strtoll */
#include <string.h> /* strcmp, strncmp */

#include "api.h"
#include "api_auth.h"
#include "db.h"

#define API_PREFIX "/api/v1/"

static const char *const sports[] = {"all", "ride", "run", "swim", "other",
                                     NULL};
static const char *const formats[] = {"json", "csv", NULL};
static const char *const groups3[] = {"week", "month", "year", NULL};
static const char *const groups2[] = {"week", "month", NULL};
static const char *const metrics[] = {"distance", "time", "load", NULL};
static const char *const sorts[] = {"date", "distance", "time", "load", "np",
                                    NULL};
static const char *const orders[] = {"desc", "asc", NULL};
static const char *const zkinds[] = {"power", "hr", "pace", NULL};
static const char *const ed_sports[] = {"ride", "run", NULL};
static const char *const units[] = {"km", "mi", NULL};
/* Stream keys; latlng stands for the lat and lng channels. */
const char *const api_stream_keys[] = {
    "time",      "distance", "latlng",  "altitude", "velocity_smooth",
    "heartrate", "cadence",  "watts",   "temp",     "moving",
    "grade_smooth", NULL};

#define P_SPORT                                                                \
	{"sport", API_P_ENUM, 0, "all", 0, 0, sports,                          \
	 "a sport group (ride, run, swim, other) or all"}
#define P_FROM                                                                 \
	{"from", API_P_DATE, 0, NULL, 0, 0, NULL,                              \
	 "first local date included"}
#define P_TO                                                                   \
	{"to", API_P_DATE, 0, NULL, 0, 0, NULL, "last local date included"}
#define P_FORMAT                                                               \
	{"format", API_P_ENUM, 0, "json", 0, 0, formats,                       \
	 "json, or csv for a table with a header row"}
#define P_ID {"id", API_P_PATHID, 1, NULL, 0, 0, NULL, "activity id"}
#define P_END {NULL, 0, 0, NULL, 0, 0, NULL, NULL}

static const struct api_pdef p_none[] = {P_END};
static const struct api_pdef p_summary[] = {
    {"group", API_P_ENUM, 0, "week", 0, 0, groups3,
     "period length; weeks are ISO weeks starting on Monday"},
    P_SPORT, P_FROM, P_TO, P_FORMAT, P_END};
static const struct api_pdef p_cumulative[] = {
    P_SPORT,
    {"years", API_P_INTLIST, 0, NULL, 1900, 2200, NULL,
     "comma-separated years (default: every year with data)"},
    P_END};
static const struct api_pdef p_calendar[] = {
    {"year", API_P_INT, 0, NULL, 1900, 2200, NULL,
     "calendar year (default: the current year)"},
    P_SPORT,
    {"metric", API_P_ENUM, 0, "distance", 0, 0, metrics,
     "what each day's value is"},
    P_END};
static const struct api_pdef p_activities[] = {
    P_SPORT, P_FROM, P_TO,
    {"gear", API_P_STRING, 0, NULL, 0, 32, NULL, "gear id"},
    {"q", API_P_STRING, 0, NULL, 0, 100, NULL,
     "text the activity name contains"},
    {"min_distance", API_P_NUMBER, 0, NULL, 0, 1e7, NULL, "metres"},
    {"max_distance", API_P_NUMBER, 0, NULL, 0, 1e7, NULL, "metres"},
    {"sort", API_P_ENUM, 0, "date", 0, 0, sorts, "sort key"},
    {"order", API_P_ENUM, 0, "desc", 0, 0, orders, "sort direction"},
    {"limit", API_P_INT, 0, "50", 1, 200, NULL,
     "activities per page (format=csv without limit: every match)"},
    {"cursor", API_P_CURSOR, 0, NULL, 0, 0, NULL,
     "next_cursor of the previous page"},
    P_FORMAT, P_END};
static const struct api_pdef p_activity[] = {P_ID, P_END};
static const struct api_pdef p_streams[] = {
    P_ID,
    {"keys", API_P_KEYS, 0, NULL, 0, 0, api_stream_keys,
     "comma-separated channels (default: all stored)"},
    {"points", API_P_INT, 0, "1000", 10, 10000, NULL,
     "at most this many points (LTTB)"},
    P_END};
static const struct api_pdef p_fitness[] = {P_FROM, P_TO, P_END};
static const struct api_pdef p_zones[] = {
    {"kind", API_P_ENUM, 0, "power", 0, 0, zkinds, "zone kind"},
    P_SPORT, P_FROM, P_TO,
    {"group", API_P_ENUM, 0, NULL, 0, 0, groups2,
     "also answer per week or month"},
    P_END};
static const struct api_pdef p_curves[] = {
    {"period", API_P_PERIOD, 0, "all", 1, 3650, NULL,
     "all, year:YYYY or days:N (N 1-3650)"},
    P_SPORT, P_END};
static const struct api_pdef p_records[] = {
    P_SPORT,
    {"year", API_P_INT, 0, NULL, 1900, 2200, NULL,
     "records of that year (default: all time)"},
    P_FORMAT, P_END};
static const struct api_pdef p_eddington[] = {
    {"sport", API_P_ENUM, 0, "ride", 0, 0, ed_sports, "ride or run"},
    {"unit", API_P_ENUM, 0, "km", 0, 0, units, "km or mi"},
    P_END};
static const struct api_pdef p_heatmap[] = {P_SPORT, P_FROM, P_TO, P_END};

/* pattern, methods, GET, PUT, athlete, etag, csv, params, summary, schema */
const struct api_route api_routes[] = {
    {"health", API_GET, api_h_health, NULL, 0, 0, 0, p_none,
     "liveness and schema version", "Health"},
    {"me", API_GET, api_h_me, NULL, 1, 0, 0, p_none,
     "the athlete, settings in force, sync times, counts", "Me"},
    {"settings", API_GET | API_PUT, api_h_settings_get, api_h_settings_put,
     1, 0, 0, p_none, "effective-dated settings; PUT changes one",
     "Settings"},
    {"summary", API_GET, api_h_summary, NULL, 1, 1, 1, p_summary,
     "totals per week, month or year", "Summary"},
    {"cumulative", API_GET, api_h_cumulative, NULL, 1, 1, 0, p_cumulative,
     "year over year running totals by day of year", "Cumulative"},
    {"calendar", API_GET, api_h_calendar, NULL, 1, 1, 0, p_calendar,
     "one value per day of a year", "Calendar"},
    {"activities", API_GET, api_h_activities, NULL, 1, 1, 1, p_activities,
     "activities, filtered, sorted, keyset-paginated", "Activities"},
    {"activities/{id}", API_GET, api_h_activity, NULL, 1, 1, 0, p_activity,
     "one activity with metrics, zones and best efforts", "Activity"},
    {"activities/{id}/streams", API_GET, api_h_streams, NULL, 1, 1, 0,
     p_streams, "downsampled streams (LTTB) for charts and the map",
     "Streams"},
    {"fitness", API_GET, api_h_fitness, NULL, 1, 1, 0, p_fitness,
     "daily CTL, ATL, TSB, ramp, load and the 14-day projection",
     "Fitness"},
    {"zones", API_GET, api_h_zones, NULL, 1, 1, 0, p_zones,
     "time in zones, in total and per week or month", "Zones"},
    {"curves/power", API_GET, api_h_curves, NULL, 1, 1, 0, p_curves,
     "mean-maximal power curve", "Curve"},
    {"curves/hr", API_GET, api_h_curves, NULL, 1, 1, 0, p_curves,
     "mean-maximal heart-rate curve", "Curve"},
    {"curves/pace", API_GET, api_h_curves, NULL, 1, 1, 0, p_curves,
     "best-speed curve (m/s)", "Curve"},
    {"records", API_GET, api_h_records, NULL, 1, 1, 1, p_records,
     "best efforts per distance and personal-record events", "Records"},
    {"eddington", API_GET, api_h_eddington, NULL, 1, 1, 0, p_eddington,
     "Eddington number and histogram", "Eddington"},
    {"gear", API_GET, api_h_gear, NULL, 1, 1, 0, p_none,
     "gear with totals", "Gear"},
    {"heatmap", API_GET, api_h_heatmap, NULL, 1, 1, 0, p_heatmap,
     "simplified routes as encoded polylines", "Heatmap"},
    {"openapi.json", API_GET, api_h_openapi, NULL, 0, 0, 0, p_none,
     "this API as OpenAPI 3.1", NULL},
};
const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);

/* Does `seg` (n bytes) match pattern segment `pat` (m bytes)? */
static int
api_seg_match(const char *pat, size_t m, const char *seg, size_t n)
{
	if (m == 4 && strncmp(pat, "{id}", 4) == 0)
		return n > 0;
	return m == n && strncmp(pat, seg, n) == 0;
}

/*
 * The route of `path` (below /api/v1/) or NULL. *id gets the path id
 * (-1 marks one that is not an integer, reported by the router).
 */
const struct api_route *
api_route_find(const char *path, long long *id, int *bad_id)
{
	size_t r;

	*bad_id = 0;
	*id = 0;
	for (r = 0; r < api_nroutes; r++) {
		const char *p = api_routes[r].pattern, *s = path;
		int ok = 1;

		while (ok) {
			const char *pe = strchr(p, '/'), *se = strchr(s, '/');
			size_t m = pe ? (size_t)(pe - p) : strlen(p);
			size_t n = se ? (size_t)(se - s) : strlen(s);

			if (!api_seg_match(p, m, s, n) || (!pe) != (!se)) {
				ok = 0;
				break;
			}
			if (m == 4 && strncmp(p, "{id}", 4) == 0) {
				char buf[24], *end;

				if (n >= sizeof(buf)) {
					*bad_id = 1;
				} else {
					memcpy(buf, s, n);
					buf[n] = '\0';
					errno = 0;
					*id = strtoll(buf, &end, 10);
					if (*end != '\0' || *id == 0 || errno != 0 ||
					    !((buf[0] >= '0' && buf[0] <= '9') ||
					      buf[0] == '-'))
						*bad_id = 1;
				}
			}
			if (!pe)
				break;
			p = pe + 1;
			s = se + 1;
		}
		if (ok)
			return &api_routes[r];
	}
	return NULL;
}

const struct api_val *
api_v(const struct api_ctx *x, const char *name)
{
	static const struct api_val none;
	int i = api_param_index(x->route, name);

	return i >= 0 ? &x->v[i] : &none;
}

int
api_reply(struct api_ctx *x, json_t *j, json_t *rows, const char *const *cols)
{
	const struct api_val *f = api_v(x, "format");
	int st;

	if (j != NULL && f->present && strcmp(f->s, "csv") == 0) {
		st = api_send_csv(x->rs, rows, cols);
		json_decref(j);
		return st;
	}
	return api_send_json(x->rs, 200, j);
}

void
api_range(const struct api_ctx *x, char *from, char *to)
{
	const struct api_val *f = api_v(x, "from"), *t = api_v(x, "to");

	if (f->present)
		api_format_date(f->i, from, 11);
	else
		strcpy(from, "1900-01-01");
	if (t->present)
		api_format_date(t->i, to, 11);
	else
		strcpy(to, "2200-12-31");
}

const char *
api_sport(const struct api_ctx *x)
{
	const struct api_val *s = api_v(x, "sport");

	return s->present ? s->s : "all";
}

static uint64_t
api_fnv(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Does If-None-Match (a list of tags, or *) name `etag`? */
static int
api_etag_match(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = inm;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}

static int
api_dispatch(struct api_worker *w, const struct api_http_req *rq,
             const struct api_route *r, struct api_ctx *x, const char *canon)
{
	int st;

	/* Reads of the marts may go to a replica; a change goes to the primary. */
	x->db = (rq->method & (API_GET | API_HEAD)) && w->rdb != NULL ? w->rdb
	                                                             : w->db;
	if (r->athlete && (st = api_request_athlete(x)) != 0)
		return st;
	if (r->etag) {
		char key[32];
		uint64_t h = 14695981039346656037ULL;

		snprintf(key, sizeof(key), "%lld|", x->athlete_id);
		h = api_fnv(h, key);
		h = api_fnv(h, r->pattern);
		h = api_fnv(h, "?");
		h = api_fnv(h, canon);
		snprintf(w->rs.etag, sizeof(w->rs.etag), "\"%llx-%016llx\"",
		         x->mart_version, (unsigned long long)h);
		if (rq->if_none_match != NULL &&
		    api_etag_match(rq->if_none_match, w->rs.etag)) {
			w->rs.status = 304;
			w->rs.len = 0;
			return 304;
		}
		if (rq->method != API_PUT && api_cache_get(w->rs.etag, &w->rs))
			return 200;
	}
	st = (rq->method == API_PUT ? r->put : r->get)(x);
	if (st != 200)
		w->rs.etag[0] = '\0';
	else if (r->etag && rq->method != API_PUT)
		api_cache_put(w->rs.etag, x->athlete_id, x->mart_version,
		              &w->rs);
	return st;
}

void
api_handle(struct api_worker *w, const struct api_http_req *rq)
{
	struct api_resp *rs = &w->rs;
	const struct api_route *r;
	struct api_ctx x;
	char canon[API_QUERY_MAX + 256];
	long long id;
	int bad_id, attempt;
	unsigned m = rq->method == API_HEAD ? API_GET : (unsigned)rq->method;

	api_resp_reset(rs);
	if (api_auth_handle(w, rq)) /* /auth/... and /webhook/strava */
		return;
	if (rq->path == NULL || strncmp(rq->path, API_PREFIX,
	                                strlen(API_PREFIX)) != 0 ||
	    (r = api_route_find(rq->path + strlen(API_PREFIX), &id,
	                        &bad_id)) == NULL) {
		api_error(rs, 404, "not_found", NULL, "no such route");
		return;
	}
	if ((r->methods & m) == 0) {
		snprintf(rs->allow, sizeof(rs->allow), "GET, HEAD%s",
		         (r->methods & API_PUT) ? ", PUT" : "");
		api_error(rs, 405, "method_not_allowed", NULL,
		          "method not allowed here; allowed: %s", rs->allow);
		return;
	}
	if (bad_id) {
		api_error(rs, 400, "invalid_parameter", "id",
		          "id must be a non-zero integer");
		return;
	}
	memset(&x, 0, sizeof(x));
	x.w = w;
	x.route = r;
	x.rs = rs;
	x.rq = rq;
	if (api_parse_query(w, r, rq->query, id, x.v, canon, sizeof(canon)) !=
	    0)
		return;
	if (m == API_PUT) {
		if (rq->body_too_large) {
			api_error(rs, 413, "body_too_large", NULL,
			          "the body is larger than %d bytes",
			          API_BODY_MAX);
			return;
		}
		if (rq->content_type != NULL && rq->content_type[0] != '\0' &&
		    strncmp(rq->content_type, "application/json", 16) != 0) {
			api_error(rs, 415, "unsupported_media_type", NULL,
			          "send the body as application/json");
			return;
		}
		x.body = rq->body;
		x.body_len = rq->body_len;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		int st;

		if (r->get == api_h_openapi) {
			x.db = NULL;
			api_h_openapi(&x);
			return;
		}
		if (api_db_ready(w) != 0) {
			api_error(rs, 503, "db_unavailable", NULL,
			          "the database is not available: try again "
			          "shortly");
			return;
		}
		x.db_failed = 0;
		st = api_dispatch(w, rq, r, &x, canon);
		/* A connection lost and regained at once: run it again. */
		if (!(st == 503 && x.db_failed && w->db != NULL &&
		      w->db->my != NULL))
			break;
		api_resp_reset(rs);
	}
	if (rs->status >= 400)
		rs->etag[0] = '\0';
}

/* The routing table as JSON, for --dump-routes and the OpenAPI test. */
json_t *
api_routes_dump(void)
{
	static const char *const tnames[] = {
	    "int", "number", "date", "enum", "string",
	    "cursor", "csv-keys", "int-list", "period", "path-id"};
	json_t *out = json_array();
	size_t r;
	int i, k;

	for (r = 0; r < api_nroutes; r++) {
		const struct api_route *rt = &api_routes[r];
		json_t *ps = json_array(), *ms = json_array();
		char path[128];

		snprintf(path, sizeof(path), "/api/v1/%s", rt->pattern);
		json_array_append_new(ms, json_string("get"));
		if (rt->methods & API_PUT)
			json_array_append_new(ms, json_string("put"));
		for (i = 0; rt->params[i].name != NULL; i++) {
			const struct api_pdef *d = &rt->params[i];
			json_t *p = json_pack(
			    "{s:s,s:s,s:s,s:b}", "name", d->name, "in",
			    d->type == API_P_PATHID ? "path" : "query", "type",
			    tnames[d->type], "required", d->required);

			if (d->def != NULL)
				json_object_set_new(p, "default",
				                    json_string(d->def));
			if (d->type == API_P_INT || d->type == API_P_NUMBER ||
			    d->type == API_P_INTLIST ||
			    d->type == API_P_PERIOD) {
				json_object_set_new(p, "min", json_real(d->min));
				json_object_set_new(p, "max", json_real(d->max));
			}
			if (d->type == API_P_STRING)
				json_object_set_new(p, "maxLength",
				                    json_integer((json_int_t)d->max));
			if (d->choices != NULL) {
				json_t *e = json_array();

				for (k = 0; d->choices[k] != NULL; k++)
					json_array_append_new(
					    e, json_string(d->choices[k]));
				json_object_set_new(p, "enum", e);
			}
			json_array_append_new(ps, p);
		}
		json_array_append_new(
		    out, json_pack("{s:s,s:o,s:o}", "path", path, "methods", ms,
		                   "params", ps));
	}
	return out;
}
