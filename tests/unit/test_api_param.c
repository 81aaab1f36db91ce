/* test_api_param.c: cairn-api's query parsing, validation, cursors, routing and answer cache without a database */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* free */
#include <string.h> /* strcmp, memset */

#include "api.h"
#include "test.h"

static struct api_worker w;
static struct api_srv *srv;

/* Route by path and query; the status of the answer (503: it needed the DB). */
static int
req(int method, const char *path, const char *query)
{
	struct api_http_req rq;

	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = path;
	rq.query = query;
	api_handle(&w, &rq);
	return w.rs.status;
}

/* The "code" of the error answer now in w.rs, or "". */
static const char *
code(void)
{
	static char buf[64];
	json_t *j = json_loadb(w.rs.body, w.rs.len, 0, NULL);
	const char *c = json_string_value(
	    json_object_get(json_object_get(j, "error"), "code"));

	snprintf(buf, sizeof(buf), "%s", c ? c : "");
	json_decref(j);
	return buf;
}

static const char *
param(void)
{
	static char buf[64];
	json_t *j = json_loadb(w.rs.body, w.rs.len, 0, NULL);
	const char *c = json_string_value(
	    json_object_get(json_object_get(j, "error"), "param"));

	snprintf(buf, sizeof(buf), "%s", c ? c : "(null)");
	json_decref(j);
	return buf;
}

static const struct api_route *
route(const char *path)
{
	size_t i;

	for (i = 0; i < api_nroutes; i++)
		if (strcmp(api_routes[i].path, path) == 0)
			return &api_routes[i];
	return NULL;
}

static void
test_dates(void)
{
	long long d;
	char buf[16];

	T_OK(api_parse_date("1970-01-01", &d) == 0 && d == 0,
	     "1970-01-01 is day 0");
	T_OK(api_parse_date("2024-02-29", &d) == 0, "2024-02-29 exists");
	api_format_date(d, buf, sizeof(buf));
	T_OK(strcmp(buf, "2024-02-29") == 0, "day number round trip (%s)", buf);
	T_OK(api_parse_date("2025-02-29", &d) != 0,
	     "2025-02-29 does not exist");
	T_OK(api_parse_date("1900-02-29", &d) != 0, "1900 is not a leap year");
	T_OK(api_parse_date("2000-02-29", &d) == 0, "2000 is a leap year");
	T_OK(api_parse_date("2025-1-05", &d) != 0, "one-digit month refused");
	T_OK(api_parse_date("2025-01-05x", &d) != 0, "trailing text refused");
	T_OK(api_parse_date("1899-12-31", &d) != 0, "before 1900 refused");
	T_OK(api_parse_date("2025-06-31", &d) != 0, "June 31 refused");
}

static void
test_cursor(void)
{
	struct api_cursor c, d;
	char buf[160];

	memset(&c, 0, sizeof(c));
	strcpy(c.sort, "date");
	strcpy(c.order, "desc");
	strcpy(c.text, "2025-02-03 07:00:00");
	c.id = 106;
	T_OK(api_cursor_encode(&c, buf, sizeof(buf)) == 0 &&
	         strcmp(buf,
	                "MXxkYXRlfGRlc2N8MjAyNS0wMi0wMyAwNzowMDowMHwxMDY") == 0,
	     "date cursor encodes as base64url (%s)", buf);
	T_OK(api_cursor_decode(buf, &d) == 0 && d.id == 106 && !d.is_num &&
	         strcmp(d.text, c.text) == 0 && strcmp(d.sort, "date") == 0,
	     "date cursor decodes");
	memset(&c, 0, sizeof(c));
	strcpy(c.sort, "distance");
	strcpy(c.order, "asc");
	c.is_num = 1;
	c.num = 12345.678;
	c.id = -7;
	T_OK(api_cursor_encode(&c, buf, sizeof(buf)) == 0 &&
	         api_cursor_decode(buf, &d) == 0 && d.is_num &&
	         d.num == c.num && d.id == -7,
	     "number cursor round trip, negative id");
	T_OK(api_cursor_decode("", &d) != 0, "empty cursor refused");
	T_OK(api_cursor_decode("MXxkYXRl", &d) != 0,
	     "truncated cursor refused");
	T_OK(api_cursor_decode(
	         "MXxkYXRlfGRlc2N8MjAyNS0wMi0wMyAwNzowMDowMHwxMDY=", &d) != 0,
	     "padding refused");
	T_OK(api_cursor_decode(
	         "MXxkYXRlfGRlc2N8MjAyNS0wMi0zMCAwNzowMDowMHwxMDY", &d) != 0,
	     "cursor with Feb 30 refused");
	T_OK(api_cursor_decode("a+b/", &d) != 0, "non-url alphabet refused");
}

static void
test_parse(void)
{
	const struct api_route *r = route("/api/v1/activities");
	struct api_val v[P__MAX];
	char canon[API_QUERY_MAX + 256];

	T_OK(r != NULL, "activities route exists");
	T_OK(api_parse_query(&w, r, "sport=ride&limit=10&q=a%20b+c", 0, v,
	                     canon, sizeof(canon)) == 0,
	     "a valid query parses");
	T_OK(strcmp(v[P_Q].s, "a b c") == 0, "percent and plus decoding (%s)",
	     v[P_Q].s);
	T_OK(v[P_LIMIT].i == 10, "limit is an integer 10");
	T_OK(v[P_SORT].present && !v[P_SORT].given &&
	         strcmp(v[P_SORT].s, "date") == 0,
	     "absent sort takes its default");
	T_OK(strcmp(canon, "sport=ride&q=a b c&limit=10&") == 0,
	     "normalised query in declared order (%s)", canon);
	T_OK(api_parse_query(&w, r, "limit=10&sport=ride&q=a+b%20c", 0, v,
	                     canon, sizeof(canon)) == 0 &&
	         strcmp(canon, "sport=ride&q=a b c&limit=10&") == 0,
	     "the same query in another order normalises the same");
	T_OK(api_parse_query(&w, r, "gear=&&sport=", 0, v, canon,
	                     sizeof(canon)) == 0 &&
	         !v[P_GEAR].present,
	     "empty values and empty pairs count as absent");
	T_OK(api_parse_query(&w, r, "limit=5&limit=5", 0, v, canon,
	                     sizeof(canon)) == 400 &&
	         strcmp(code(), "duplicate_parameter") == 0,
	     "repeated parameter: 400 duplicate_parameter");
	T_OK(api_parse_query(&w, r, "LIMIT=5", 0, v, canon, sizeof(canon)) ==
	             400 &&
	         strcmp(code(), "unknown_parameter") == 0 &&
	         strcmp(param(), "LIMIT") == 0,
	     "names are case-sensitive: unknown_parameter LIMIT");
	T_OK(api_parse_query(&w, r, "q=%4", 0, v, canon, sizeof(canon)) ==
	             400 &&
	         strcmp(code(), "bad_encoding") == 0,
	     "truncated escape: bad_encoding");
	T_OK(api_parse_query(&w, r, "q=%ff", 0, v, canon, sizeof(canon)) ==
	             400 &&
	         strcmp(code(), "bad_encoding") == 0,
	     "lone 0xff byte: bad_encoding");
	T_OK(api_parse_query(&w, r, "q=%ED%A0%80", 0, v, canon,
	                     sizeof(canon)) == 400,
	     "UTF-8 surrogate refused");
	T_OK(api_parse_query(&w, r, "from=2025-02-01&to=2025-01-01", 0, v,
	                     canon, sizeof(canon)) == 400 &&
	         strcmp(code(), "invalid_range") == 0 &&
	         strcmp(param(), "from") == 0,
	     "from after to: invalid_range on from");
	T_OK(api_parse_query(&w, r, "min_distance=1e3", 0, v, canon,
	                     sizeof(canon)) == 0 &&
	         v[P_MIN_DISTANCE].d == 1000.0,
	     "numbers accept exponents");
	T_OK(api_parse_query(&w, r, "limit=00000000000000000000001", 0, v,
	                     canon, sizeof(canon)) == 400,
	     "over-long integers refused");
	r = route("/api/v1/curves/power");
	T_OK(api_parse_query(&w, r, "period=year:2024", 0, v, canon,
	                     sizeof(canon)) == 0 &&
	         strcmp(v[P_PERIOD].s, "year") == 0 && v[P_PERIOD].i == 2024,
	     "period year:2024");
	T_OK(api_parse_query(&w, r, "period=days:042", 0, v, canon,
	                     sizeof(canon)) == 400,
	     "period days:042 refused (one spelling per value)");
	r = route("/api/v1/cumulative");
	T_OK(api_parse_query(&w, r, "years=2024,2025", 0, v, canon,
	                     sizeof(canon)) == 0 &&
	         v[P_YEARS].nlist == 2 && v[P_YEARS].list[1] == 2025,
	     "int list");
	r = route("/api/v1/activities/{id}/streams");
	T_OK(api_parse_query(&w, r, "keys=watts,latlng", 101, v, canon,
	                     sizeof(canon)) == 0 &&
	         v[P_ID].i == 101 && v[P_KEYS].keys == ((1u << 7) | (1u << 2)),
	     "keys bitmask and path id");
	r = route("/api/v1/eddington");
	T_OK(api_parse_query(&w, r, "sport=swim", 0, v, canon, sizeof(canon)) ==
	             400 &&
	         strcmp(code(), "invalid_parameter") == 0,
	     "eddington's own sport: swim refused");
	T_OK(api_parse_query(&w, r, "", 0, v, canon, sizeof(canon)) == 0 &&
	         strcmp(v[P_RIDE_RUN].s, "ride") == 0 && !v[P_SPORT].present,
	     "eddington's sport defaults to ride, in its own slot");
	r = route("/api/v1/zones");
	T_OK(api_parse_query(&w, r, "group=year", 0, v, canon, sizeof(canon)) ==
	         400,
	     "zones' group has no year (summary's has)");
}

static void
test_route(void)
{
	char big[API_QUERY_MAX + 10];

	T_OK(req(API_GET, "/api/v1/nope", NULL) == 404 &&
	         strcmp(code(), "not_found") == 0,
	     "unknown route: 404 not_found");
	T_OK(req(API_GET, "/api/v1/gear/", NULL) == 404, "trailing slash: 404");
	T_OK(req(API_GET, "/other", NULL) == 404, "outside /api/v1/: 404");
	T_OK(req(API_PUT, "/api/v1/gear", NULL) == 405 &&
	         strcmp(w.rs.allow, "GET, HEAD") == 0,
	     "PUT on a GET route: 405 with Allow (%s)", w.rs.allow);
	T_OK(req(API_OTHER, "/api/v1/settings", NULL) == 405 &&
	         strcmp(w.rs.allow, "GET, HEAD, PUT") == 0,
	     "DELETE on settings: 405 with Allow GET, HEAD, PUT");
	T_OK(req(API_GET, "/api/v1/activities/x1", NULL) == 400 &&
	         strcmp(param(), "id") == 0,
	     "a path id that is not an integer: 400 on id");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "q=", 2);
	T_OK(req(API_GET, "/api/v1/activities", big) == 414 &&
	         strcmp(code(), "query_too_long") == 0,
	     "query over 2 KiB: 414 query_too_long");
	T_OK(req(API_GET, "/api/v1/summary", "group=day") == 400 &&
	         strcmp(code(), "invalid_parameter") == 0,
	     "validation runs before the database");
	T_OK(req(API_GET, "/api/v1/summary", "group=week") == 503 &&
	         strcmp(code(), "db_unavailable") == 0 &&
	         w.rs.retry_after == 2 && w.rs.etag[0] == '\0',
	     "valid request without a database: 503 with Retry-After");
	T_OK(req(API_GET, "/api/v1/openapi.json", NULL) == 200 &&
	         w.rs.len > 1000,
	     "openapi.json is served without a database");
}

/* Every row of the table is routed to, with each of its methods: the
 * answer is never the router's "no such route" nor its 405. */
static void
test_table(void)
{
	static const int methods[] = {API_GET, API_PUT, API_POST};
	size_t i, k;
	int bad = 0, n = 0;

	for (i = 0; i < api_nroutes; i++) {
		const struct api_route *r = &api_routes[i];
		api_handler_fn *fn[] = {r->get, r->put, r->post};
		char path[128], *id;

		snprintf(path, sizeof(path), "%s", r->path);
		id = strstr(path, "{id}");
		if (id != NULL) { /* "{id}" becomes "101" */
			memcpy(id, "101", 3);
			memmove(id + 3, id + 4, strlen(id + 4) + 1);
		}
		for (k = 0; k < 3; k++) {
			int st;

			if (fn[k] == NULL)
				continue;
			n++;
			st = req(methods[k], path, NULL);
			if ((st == 404 && strcmp(code(), "not_found") == 0) ||
			    st == 405) {
				bad++;
				printf("# %s: %d %s\n", path, st, code());
			}
		}
	}
	T_OK(bad == 0 && n > (int)api_nroutes,
	     "every row of the table is routed to (%d requests)", n);
	T_OK(route("/auth/login") != NULL && route("/webhook/strava") != NULL,
	     "/auth/ and /webhook/ are rows of the one table");
}

static void
test_csv(void)
{
	static const char *const cols[] = {"a", "b", "c", NULL};
	json_t *rows =
	    json_pack("[{s:s,s:i,s:n},{s:s,s:f,s:b}]", "a", "x,\"y\"", "b", 3,
	              "c", "a", "line\nbreak", "b", 1.5, "c", 1);

	api_resp_reset(&w.rs);
	api_send_csv(&w.rs, rows, cols);
	T_OK(strcmp(w.rs.body, "a,b,c\r\n\"x,\"\"y\"\"\",3,\r\n\"line\nbreak\","
	                       "1.5,true\r\n") == 0,
	     "CSV quoting follows RFC 4180");
	json_decref(rows);
	T_OK(json_is_null(api_num(0.0 / 0.0)), "NaN becomes null");
}

/* A row whose json_pack failed is never dropped silently. */
static void
test_append(void)
{
	json_t *a = json_array(), *o = json_object();
	int bad = 0;

	api_append(&bad, a, json_pack("{s:i}", "ok", 1));
	T_OK(bad == 0 && json_array_size(a) == 1, "api_append adds a row");
	api_append(&bad, a, json_pack("{s:s}", "name", (const char *)NULL));
	T_OK(bad == 1 && json_array_size(a) == 1,
	     "api_append of a failed json_pack marks the failure");
	bad = 0;
	api_set(&bad, o, "x", NULL);
	T_OK(bad == 1, "api_set of NULL marks the failure");
	json_decref(a);
	json_decref(o);
	api_resp_reset(&w.rs);
	w.rs.failed = 1;
	T_OK(api_send_json(&w.rs, 200, json_pack("{s:[]}", "rows")) == 500 &&
	         strcmp(code(), "internal") == 0,
	     "an answer with a part missing is a 500, not a short 200");
	api_resp_reset(&w.rs);
	T_OK(w.rs.failed == 0, "a reset clears the failure");
}

/* The answer cache: a hit gives the kept body; an answer for a newer mart
 * version drops the athlete's older ones, not another athlete's. */
static void
test_cache(void)
{
	struct api_cache *c = api_cache_new();
	struct api_resp in, out;
	char tag[48];
	int k, old_hits = 0;

	T_OK(c != NULL, "cache: made");

	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	in.status = 200;
	in.content_type = "application/json";
	in.body = "{\"v\":1}";
	in.len = strlen(in.body);
	for (k = 0; k < 20; k++) {
		snprintf(tag, sizeof(tag), "\"1-%016x\"", k);
		api_cache_put(c, tag, 7, 1, &in);
	}
	api_cache_put(c, "\"1-other\"", 8, 1, &in);
	T_OK(api_cache_get(c, "\"1-0000000000000003\"", &out) == 1 &&
	         out.len == in.len &&
	         memcmp(api_resp_data(&out), in.body, in.len) == 0,
	     "cache: a kept answer comes back");
	api_cache_put(c, "\"2-0000000000000000\"", 7, 2, &in);
	for (k = 0; k < 20; k++) {
		snprintf(tag, sizeof(tag), "\"1-%016x\"", k);
		old_hits += api_cache_get(c, tag, &out);
	}
	T_OK(old_hits == 0,
	     "cache: a newer version drops the athlete's older answers (%d "
	     "left)",
	     old_hits);
	T_OK(api_cache_get(c, "\"2-0000000000000000\"", &out) == 1,
	     "cache: the newer answer is kept");
	T_OK(api_cache_get(c, "\"1-other\"", &out) == 1,
	     "cache: another athlete's answer stays");
	T_OK(out.body == NULL && out.shared != NULL,
	     "cache: a hit is sent from the kept body, not copied");
	/* The table lets go while the answer is still being sent. */
	api_cache_clear(c);
	T_OK(api_cache_get(c, "\"1-other\"", &out) == 0 &&
	         memcmp(api_resp_data(&out), in.body, in.len) == 0,
	     "cache: an answer in flight keeps its body after the table "
	     "dropped it");
	api_resp_reset(&out);
	T_OK(out.shared == NULL && out.len == 0,
	     "cache: a reset lets go of the kept body");
	api_resp_free(&out);
	api_cache_free(c);
	T_OK(api_cache_get(NULL, "\"1-other\"", &out) == 0,
	     "cache: none (api_cache = 0) never hits");
}

int
main(void)
{
	srv = api_srv_new(NULL, 1);
	w.srv = srv;
	test_dates();
	test_cursor();
	test_parse();
	test_route();
	test_table();
	test_csv();
	test_append();
	test_cache();
	free(w.rs.body);
	api_srv_free(srv);
	return T_DONE();
}
