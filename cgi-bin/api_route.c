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

static const char *const sports[] = {"all",  "ride",  "run",
                                     "swim", "other", NULL};
static const char *const formats[] = {"json", "csv", NULL};
static const char *const groups3[] = {"week", "month", "year", NULL};
static const char *const groups2[] = {"week", "month", NULL};
static const char *const metrics[] = {"distance", "time", "load", NULL};
static const char *const sorts[] = {"date", "distance", "time",
                                    "load", "np",       NULL};
static const char *const orders[] = {"desc", "asc", NULL};
static const char *const zkinds[] = {"power", "hr", "pace", NULL};
static const char *const ed_sports[] = {"ride", "run", NULL};
static const char *const units[] = {"km", "mi", NULL};
static const char *const exp_formats[] = {"gpx", "tcx", NULL};
/* Stream keys; latlng stands for the lat and lng channels. */
const char *const api_stream_keys[] = {
    "time",         "distance", "latlng", "altitude",  "velocity_smooth",
    "heartrate",    "cadence",  "watts",  "temp",      "moving",
    "grade_smooth", "gap",      "wbal",   "est_watts", NULL};

/* Every parameter, once; routes list the ones they accept. */
const struct api_pdef api_pdefs[P__MAX] = {
    [P_ID] = {"id", API_P_PATHID, 1, NULL, 0, 0, NULL, "activity id"},
    [P_SPORT] = {"sport", API_P_ENUM, 0, "all", 0, 0, sports,
                 "a sport group (ride, run, swim, other) or all"},
    [P_FROM] = {"from", API_P_DATE, 0, NULL, 0, 0, NULL,
                "first local date included"},
    [P_TO] = {"to", API_P_DATE, 0, NULL, 0, 0, NULL,
              "last local date included"},
    [P_FORMAT] = {"format", API_P_ENUM, 0, "json", 0, 0, formats,
                  "json, or csv for a table with a header row"},
    [P_SUMMARY_GROUP] = {"group", API_P_ENUM, 0, "week", 0, 0, groups3,
                         "period length; weeks are ISO weeks starting on "
                         "Monday"},
    [P_YEARS] = {"years", API_P_INTLIST, 0, NULL, 1900, 2200, NULL,
                 "comma-separated years (default: every year with data)"},
    [P_CALENDAR_YEAR] = {"year", API_P_INT, 0, NULL, 1900, 2200, NULL,
                         "calendar year (default: the current year)"},
    [P_METRIC] = {"metric", API_P_ENUM, 0, "distance", 0, 0, metrics,
                  "what each day's value is"},
    [P_GEAR] = {"gear", API_P_STRING, 0, NULL, 0, 32, NULL, "gear id"},
    [P_Q] = {"q", API_P_STRING, 0, NULL, 0, 100, NULL,
             "text the activity name contains"},
    [P_MIN_DISTANCE] = {"min_distance", API_P_NUMBER, 0, NULL, 0, 1e7, NULL,
                        "metres"},
    [P_MAX_DISTANCE] = {"max_distance", API_P_NUMBER, 0, NULL, 0, 1e7, NULL,
                        "metres"},
    [P_SORT] = {"sort", API_P_ENUM, 0, "date", 0, 0, sorts, "sort key"},
    [P_ORDER] = {"order", API_P_ENUM, 0, "desc", 0, 0, orders,
                 "sort direction"},
    [P_LIMIT] = {"limit", API_P_INT, 0, "50", 1, 200, NULL,
                 "activities per page (format=csv without limit: every "
                 "match)"},
    [P_CURSOR] = {"cursor", API_P_CURSOR, 0, NULL, 0, 0, NULL,
                  "next_cursor of the previous page"},
    [P_KEYS] = {"keys", API_P_KEYS, 0, NULL, 0, 0, api_stream_keys,
                "comma-separated channels (default: all stored)"},
    [P_POINTS] = {"points", API_P_INT, 0, "1000", 10, 10000, NULL,
                  "at most this many points (LTTB)"},
    [P_ZONE_KIND] = {"kind", API_P_ENUM, 0, "power", 0, 0, zkinds, "zone kind"},
    [P_ZONE_GROUP] = {"group", API_P_ENUM, 0, NULL, 0, 0, groups2,
                      "also answer per week or month"},
    [P_PERIOD] = {"period", API_P_PERIOD, 0, "all", 1, 3650, NULL,
                  "all, year:YYYY or days:N (N 1-3650)"},
    [P_RECORDS_YEAR] = {"year", API_P_INT, 0, NULL, 1900, 2200, NULL,
                        "records of that year (default: all time)"},
    [P_RIDE_RUN] = {"sport", API_P_ENUM, 0, "ride", 0, 0, ed_sports,
                    "ride or run"},
    [P_UNIT] = {"unit", API_P_ENUM, 0, "km", 0, 0, units, "km or mi"},
    [P_DATE] = {"date", API_P_DATE, 0, NULL, 0, 0, NULL,
                "the local date of the model (default: today)"},
    [P_EXPORT_FORMAT] = {"format", API_P_ENUM, 0, "gpx", 0, 0, exp_formats,
                         "gpx (GPX 1.1, needs GPS) or tcx (TCX v2)"},
    [P_UPLOAD_ID] = {"id", API_P_PATHID, 1, NULL, 0, 0, NULL, "upload id"},
    [P_UPLOAD_NAME] = {"name", API_P_STRING, 1, NULL, 0, 255, NULL,
                       "the file's name: .fit, .gpx, .tcx (each maybe .gz) "
                       "or .zip; a label only, never a path"},
};

#define F_MARTS (API_F_DB | API_F_ATHLETE | API_F_ETAG)
#define P_RANGE P_SPORT, P_FROM, P_TO

/*
 * Every path cairn-api answers. Handlers are grouped by theme: api_h_core.c
 * (health, me, settings, openapi.json), api_h_totals.c, api_h_activity.c,
 * api_h_streams.c, api_h_records.c, api_h_model.c, api_auth.c (/auth/),
 * api_webhook.c.
 */
const struct api_route api_routes[] = {
    /* path, GET, PUT, POST, flags, params, summary, schema */
    {"/api/v1/health", api_h_health, NULL, NULL, API_F_DB, NULL,
     "liveness and schema version", "Health"},
    {"/api/v1/me", api_h_me, NULL, NULL, API_F_DB | API_F_ATHLETE, NULL,
     "the athlete, settings in force, sync times, counts", "Me"},
    {"/api/v1/settings", api_h_settings_get, api_h_settings_put, NULL,
     API_F_DB | API_F_ATHLETE | API_F_BODY | API_F_JSON, NULL,
     "effective-dated settings; PUT changes one", "Settings"},
    {"/api/v1/privacy", api_h_privacy_get, api_h_privacy_put, NULL,
     API_F_DB | API_F_ATHLETE | API_F_BODY | API_F_JSON, NULL,
     "privacy zones and the start/end trim every map leaves out; PUT "
     "replaces them and queues the rebuild of every map",
     "Privacy"},
    {"/api/v1/export/archive", api_h_archive, NULL, NULL,
     API_F_DB | API_F_ATHLETE | API_F_ZIPFILE, NULL,
     "everything Cairn holds about the athlete as one ZIP, streamed", NULL},
    {"/api/v1/summary", api_h_summary, NULL, NULL, F_MARTS | API_F_CSV,
     API_PARAMS(P_SUMMARY_GROUP, P_RANGE, P_FORMAT),
     "totals per week, month or year", "Summary"},
    {"/api/v1/cumulative", api_h_cumulative, NULL, NULL, F_MARTS,
     API_PARAMS(P_SPORT, P_YEARS),
     "year over year running totals by day of year", "Cumulative"},
    {"/api/v1/calendar", api_h_calendar, NULL, NULL, F_MARTS,
     API_PARAMS(P_CALENDAR_YEAR, P_SPORT, P_METRIC),
     "one value per day of a year", "Calendar"},
    {"/api/v1/activities", api_h_activities, NULL, NULL, F_MARTS | API_F_CSV,
     API_PARAMS(P_RANGE, P_GEAR, P_Q, P_MIN_DISTANCE, P_MAX_DISTANCE, P_SORT,
                P_ORDER, P_LIMIT, P_CURSOR, P_FORMAT),
     "activities, filtered, sorted, keyset-paginated", "Activities"},
    {"/api/v1/activities/{id}", api_h_activity, NULL, NULL, F_MARTS,
     API_PARAMS(P_ID), "one activity with metrics, zones and best efforts",
     "Activity"},
    {"/api/v1/activities/{id}/streams", api_h_streams, NULL, NULL, F_MARTS,
     API_PARAMS(P_ID, P_KEYS, P_POINTS),
     "downsampled streams (LTTB) for charts and the map", "Streams"},
    {"/api/v1/activities/{id}/export", api_h_export, NULL, NULL,
     F_MARTS | API_F_XMLFILE, API_PARAMS(P_ID, P_EXPORT_FORMAT),
     "the activity as a GPX or TCX file from its full-resolution streams",
     NULL},
    {"/api/v1/fitness", api_h_fitness, NULL, NULL, F_MARTS,
     API_PARAMS(P_FROM, P_TO),
     "daily CTL, ATL, TSB, ramp, load and the 14-day projection", "Fitness"},
    {"/api/v1/progress", api_h_progress, NULL, NULL, F_MARTS,
     API_PARAMS(P_RANGE),
     "efficiency factor and aerobic decoupling of each ride and run",
     "Progress"},
    {"/api/v1/zones", api_h_zones, NULL, NULL, F_MARTS,
     API_PARAMS(P_ZONE_KIND, P_RANGE, P_ZONE_GROUP),
     "time in zones, in total and per week or month", "Zones"},
    {"/api/v1/curves/power", api_h_curves, NULL, NULL, F_MARTS,
     API_PARAMS(P_PERIOD, P_SPORT), "mean-maximal power curve", "Curve"},
    {"/api/v1/curves/hr", api_h_curves, NULL, NULL, F_MARTS,
     API_PARAMS(P_PERIOD, P_SPORT), "mean-maximal heart-rate curve", "Curve"},
    {"/api/v1/curves/pace", api_h_curves, NULL, NULL, F_MARTS,
     API_PARAMS(P_PERIOD, P_SPORT), "best-speed curve (m/s)", "Curve"},
    {"/api/v1/curves/gap", api_h_curves, NULL, NULL, F_MARTS,
     API_PARAMS(P_PERIOD, P_SPORT),
     "best grade-adjusted speed curve of runs (m/s)", "Curve"},
    {"/api/v1/records", api_h_records, NULL, NULL, F_MARTS | API_F_CSV,
     API_PARAMS(P_SPORT, P_RECORDS_YEAR, P_FORMAT),
     "best efforts per distance and personal-record events", "Records"},
    {"/api/v1/eddington", api_h_eddington, NULL, NULL, F_MARTS,
     API_PARAMS(P_RIDE_RUN, P_UNIT), "Eddington number and histogram",
     "Eddington"},
    {"/api/v1/model", api_h_model, NULL, NULL, F_MARTS,
     API_PARAMS(P_RIDE_RUN, P_DATE),
     "athlete model of a day: CP, W', Pmax, eFTP (ride); CS, D', VDOT and "
     "race predictions (run)",
     "Model"},
    {"/api/v1/model/history", api_h_model_history, NULL, NULL, F_MARTS,
     API_PARAMS(P_RIDE_RUN, P_FROM, P_TO), "the athlete model of every day",
     "ModelHistory"},
    {"/api/v1/model/apply", NULL, NULL, api_h_model_apply,
     API_F_DB | API_F_ATHLETE | API_F_BODY | API_F_JSON, NULL,
     "a day's model as settings (source model) from a date; dry_run "
     "previews the values and the activities it recomputes",
     "ModelApply"},
    {"/api/v1/gear", api_h_gear, NULL, NULL, F_MARTS, NULL, "gear with totals",
     "Gear"},
    {"/api/v1/heatmap", api_h_heatmap, NULL, NULL, F_MARTS, API_PARAMS(P_RANGE),
     "simplified routes as encoded polylines", "Heatmap"},
    {"/api/v1/sources", api_h_sources, NULL, NULL, API_F_DB | API_F_ATHLETE,
     NULL,
     "the athlete's data sources: the Strava connection and its last sync, "
     "uploads and imports, the rate budget left, the next timer run",
     "Sources"},
    {"/api/v1/sync", NULL, NULL, api_h_sync,
     API_F_DB | API_F_ATHLETE | API_F_BODY | API_F_JSON | API_F_QUEUE, NULL,
     "queue a sync for cairn-extract (Sync now); a request already queued "
     "or running is answered instead",
     "Sync"},
    {"/api/v1/uploads", NULL, NULL, api_h_upload,
     API_F_DB | API_F_ATHLETE | API_F_UPLOAD | API_F_QUEUE,
     API_PARAMS(P_UPLOAD_NAME),
     "a FIT, GPX or TCX file (maybe .gz) or a Strava export ZIP, spooled "
     "for cairn-import",
     "Upload"},
    {"/api/v1/uploads/{id}", api_h_upload_get, NULL, NULL,
     API_F_DB | API_F_ATHLETE, API_PARAMS(P_UPLOAD_ID),
     "one upload: queued, importing, done with counts, or failed with why",
     "Upload"},
    {"/api/v1/openapi.json", api_h_openapi, NULL, NULL, 0, NULL,
     "this API as OpenAPI 3.1", NULL},
    {"/auth/me", api_h_auth_me, NULL, NULL, API_F_DB | API_F_RAWQUERY, NULL,
     "who is logged in, and the CSRF token for changes", NULL},
    {"/auth/login", api_h_auth_login, NULL, NULL,
     API_F_DB | API_F_STRAVA | API_F_RAWQUERY, NULL,
     "a new OAuth state, then a redirect to Strava", NULL},
    {"/auth/callback", api_h_auth_callback, NULL, NULL,
     API_F_DB | API_F_STRAVA | API_F_RAWQUERY, NULL,
     "Strava's redirect back: the session, or the login page with why", NULL},
    {"/auth/logout", NULL, NULL, api_h_auth_logout,
     API_F_DB | API_F_STRAVA | API_F_SESSION | API_F_RAWQUERY, NULL,
     "end the session", NULL},
    {"/auth/disconnect", NULL, NULL, api_h_auth_disconnect,
     API_F_DB | API_F_STRAVA | API_F_SESSION | API_F_BODY | API_F_RAWQUERY,
     NULL, "revoke Strava's tokens, end every session, maybe delete the data",
     NULL},
    {"/webhook/strava", api_h_webhook_check, NULL, api_h_webhook_event,
     API_F_DB | API_F_BODY | API_F_RAWQUERY, NULL,
     "Strava's subscription check (GET) and events (POST)", NULL},
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

const struct api_route *
api_route_find(const char *path, long long *id, int *bad_id)
{
	size_t r;

	*bad_id = 0;
	*id = 0;
	for (r = 0; path != NULL && r < api_nroutes; r++) {
		const char *p = api_routes[r].path, *s = path;
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
					if (*end != '\0' || *id == 0 ||
					    errno != 0 ||
					    !((buf[0] >= '0' &&
					       buf[0] <= '9') ||
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

const char *
api_route_name(const struct api_route *r)
{
	size_t n = strlen(API_PREFIX);

	return strncmp(r->path, API_PREFIX, n) == 0 ? r->path + n : r->path;
}

int
api_reply(struct api_ctx *x, json_t *j, json_t *rows, const char *const *cols)
{
	const struct api_val *f = &x->p[P_FORMAT];
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
	const struct api_val *f = &x->p[P_FROM], *t = &x->p[P_TO];

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
	const struct api_val *s = &x->p[P_SPORT];

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

/* The handler of method m (API_HEAD counts as API_GET), or NULL. */
static api_handler_fn *
api_route_handler(const struct api_route *r, unsigned m)
{
	if (m == API_GET || m == API_HEAD)
		return r->get;
	if (m == API_PUT)
		return r->put;
	if (m == API_POST)
		return r->post;
	return NULL;
}

/* The Allow header of r: "GET, HEAD", then PUT and POST when they are. */
static void
api_route_allow(const struct api_route *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", r->get != NULL ? "GET, HEAD" : "",
	         r->put != NULL ? (r->get != NULL ? ", PUT" : "PUT") : "",
	         r->post != NULL
	             ? (r->get != NULL || r->put != NULL ? ", POST" : "POST")
	             : "");
}

/* The route's ETag; 1 when If-None-Match names it (the answer is a 304). */
static int
api_etag(struct api_ctx *x, const char *canon)
{
	char key[32];
	uint64_t h = 14695981039346656037ULL;

	snprintf(key, sizeof(key), "%lld|", x->athlete_id);
	h = api_fnv(h, key);
	h = api_fnv(h, api_route_name(x->route));
	h = api_fnv(h, "?");
	h = api_fnv(h, canon);
	snprintf(x->rs->etag, sizeof(x->rs->etag), "\"%llx-%016llx\"",
	         x->mart_version, (unsigned long long)h);
	return x->rq->if_none_match != NULL &&
	       api_etag_match(x->rq->if_none_match, x->rs->etag);
}

/* What a route needs from the database, then its handler: the status. */
static int
api_dispatch(struct api_worker *w, const struct api_http_req *rq,
             struct api_ctx *x, api_handler_fn *fn, const char *canon)
{
	const struct api_route *r = x->route;
	struct api_cache *cache = w->srv != NULL ? w->srv->cache : NULL;
	int st, reading = rq->method == API_GET || rq->method == API_HEAD;

	/* Reads of the marts may go to a replica; a change goes to the primary.
	 */
	x->db = reading && w->rdb != NULL ? w->rdb : w->db;
	if ((r->flags & API_F_ATHLETE) && (st = api_request_athlete(x)) != 0)
		return st;
	if ((r->flags & API_F_SESSION) && (st = api_auth_session(x)) != 0)
		return st;
	if (r->flags & API_F_ETAG) {
		if (api_etag(x, canon)) {
			w->rs.status = 304;
			w->rs.len = 0;
			return 304;
		}
		if (reading && api_cache_get(cache, w->rs.etag, &w->rs))
			return 200;
	}
	st = fn(x);
	if (st != 200)
		w->rs.etag[0] = '\0';
	else if ((r->flags & API_F_ETAG) && reading)
		api_cache_put(cache, w->rs.etag, x->athlete_id, x->mart_version,
		              &w->rs);
	return st;
}

/* The checks every route gets before the database: 0, or the status of
 * the error answer in w->rs. */
static int
api_check(struct api_worker *w, const struct api_http_req *rq,
          struct api_ctx *x, long long id, int bad_id, char *canon,
          size_t canonlen)
{
	const struct api_route *r = x->route;
	struct api_resp *rs = &w->rs;
	unsigned m = (unsigned)rq->method;

	if ((r->flags & API_F_STRAVA) && !api_auth_strava(w->cfg))
		return api_error(
		    rs, 404, "auth_disabled", NULL,
		    "auth_mode is none: there is nothing to log in "
		    "to");
	if (api_route_handler(r, m) == NULL) {
		api_route_allow(r, rs->allow, sizeof(rs->allow));
		return api_error(rs, 405, "method_not_allowed", NULL,
		                 "method not allowed here; allowed: %s",
		                 rs->allow);
	}
	if (bad_id)
		return api_error(rs, 400, "invalid_parameter", "id",
		                 "id must be a non-zero integer");
	if (!(r->flags & API_F_RAWQUERY) &&
	    api_parse_query(w, r, rq->query, id, x->p, canon, canonlen) != 0)
		return rs->status;
	if ((m == API_PUT || m == API_POST) && (r->flags & API_F_BODY)) {
		if (rq->body_too_large)
			return api_error(rs, 413, "body_too_large", NULL,
			                 "the body is larger than %d bytes",
			                 API_BODY_MAX);
		if ((r->flags & API_F_JSON) && rq->content_type != NULL &&
		    rq->content_type[0] != '\0' &&
		    strncmp(rq->content_type, "application/json", 16) != 0)
			return api_error(rs, 415, "unsupported_media_type",
			                 NULL,
			                 "send the body as application/json");
		x->body = rq->body;
		x->body_len = rq->body_len;
	}
	return 0;
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
	api_handler_fn *fn;

	api_resp_reset(rs);
	/* Before anything else: a page of another site that reached this
	 * server by DNS rebinding learns nothing, not even which routes exist.
	 */
	if (api_host_check(w->cfg, rq->host, rs) != 0)
		return;
	r = api_route_find(rq->path, &id, &bad_id);
	if (r == NULL) {
		api_error(rs, 404, "not_found", NULL, "no such route");
		return;
	}
	memset(&x, 0, sizeof(x));
	x.w = w;
	x.route = r;
	x.rs = rs;
	x.rq = rq;
	canon[0] = '\0';
	if (api_check(w, rq, &x, id, bad_id, canon, sizeof(canon)) != 0)
		return;
	fn = api_route_handler(r, (unsigned)rq->method);
	if (!(r->flags & API_F_DB)) {
		fn(&x);
		return;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		int st;

		if (api_db_ready(w) != 0) {
			api_error(rs, 503, "db_unavailable", NULL,
			          "the database is not available: try again "
			          "shortly");
			return;
		}
		x.db_failed = 0;
		st = api_dispatch(w, rq, &x, fn, canon);
		/* A connection lost and regained at once: run it again. */
		if (!(st == 503 && x.db_failed && w->db != NULL &&
		      w->db->my != NULL))
			break;
		api_resp_reset(rs);
	}
	if (rs->status >= 400)
		rs->etag[0] = '\0';
}

/* One declared parameter as JSON, for the route dump. */
static json_t *
api_pdef_dump(const struct api_pdef *d, int *failed)
{
	static const char *const tnames[] = {
	    "int",    "number",   "date",     "enum",   "string",
	    "cursor", "csv-keys", "int-list", "period", "path-id"};
	json_t *p = json_pack("{s:s,s:s,s:s,s:b}", "name", d->name, "in",
	                      d->type == API_P_PATHID ? "path" : "query",
	                      "type", tnames[d->type], "required", d->required);
	int k;

	if (p == NULL)
		return NULL;
	if (d->def != NULL)
		api_set(failed, p, "default", json_string(d->def));
	if (d->type == API_P_INT || d->type == API_P_NUMBER ||
	    d->type == API_P_INTLIST || d->type == API_P_PERIOD) {
		api_set(failed, p, "min", json_real(d->min));
		api_set(failed, p, "max", json_real(d->max));
	}
	if (d->type == API_P_STRING)
		api_set(failed, p, "maxLength",
		        json_integer((json_int_t)d->max));
	if (d->choices != NULL) {
		json_t *e = json_array();

		for (k = 0; d->choices[k] != NULL; k++)
			api_append(failed, e, json_string(d->choices[k]));
		api_set(failed, p, "enum", e);
	}
	return p;
}

json_t *
api_routes_dump(void)
{
	json_t *out = json_array();
	int failed = 0, i;
	size_t r;

	for (r = 0; r < api_nroutes; r++) {
		const struct api_route *rt = &api_routes[r];
		json_t *ps = json_array(), *ms = json_array(), *o;

		if (rt->get != NULL)
			api_append(&failed, ms, json_string("get"));
		if (rt->put != NULL)
			api_append(&failed, ms, json_string("put"));
		if (rt->post != NULL)
			api_append(&failed, ms, json_string("post"));
		for (i = 0; rt->params != NULL && rt->params[i] != P__MAX; i++)
			api_append(
			    &failed, ps,
			    api_pdef_dump(&api_pdefs[rt->params[i]], &failed));
		o = json_pack("{s:s,s:o,s:o}", "path", rt->path, "methods", ms,
		              "params", ps);
		/* Rows whose handler reads the query (names Strava chooses). */
		if (o != NULL && (rt->flags & API_F_RAWQUERY))
			api_set(&failed, o, "own_query", json_true());
		api_append(&failed, out, o);
	}
	if (failed) {
		json_decref(out);
		return NULL;
	}
	return out;
}
