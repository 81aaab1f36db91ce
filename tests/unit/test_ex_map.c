/* test_ex_map.c: recorded Strava payloads mapped to typed columns, against tests/data/strava-api/expected-map.txt */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ex_map.h"
#include "test.h"

#define DATA "tests/data/strava-api/"

/* The payload of a fixture: "body" of a recorded interaction, or the only
 * member of a spec example file. Returned as compact JSON text. */
static char *
fixture_body(const char *name)
{
	char path[512];
	json_error_t je;
	json_t *root, *body;
	char *text = NULL;

	snprintf(path, sizeof(path), DATA "%s", name);
	root = json_load_file(path, 0, &je);
	if (root == NULL) {
		printf("# cannot load %s: %s\n", path, je.text);
		return NULL;
	}
	body = json_object_get(root, "body");
	if (body == NULL && json_object_size(root) == 1)
		body = json_object_iter_value(json_object_iter(root));
	if (body != NULL)
		text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(root);
	return text;
}

static void
fmt_num(char *out, size_t n, double v)
{
	if (isnan(v))
		snprintf(out, n, "NULL");
	else
		snprintf(out, n, "%.17g", v);
}

static void
fmt_str(char *out, size_t n, const char *s)
{
	snprintf(out, n, "%s", s ? s : "NULL");
}

static void
fmt_flag(char *out, size_t n, int v)
{
	if (v < 0)
		snprintf(out, n, "NULL");
	else
		snprintf(out, n, "%d", v);
}

/* A mapped activity column as text; 0, or -1 for an unknown field. */
static int
act_field(const struct ex_activity *a, const char *f, char *o, size_t n)
{
	if (strcmp(f, "id") == 0)
		snprintf(o, n, "%lld", a->id);
	else if (strcmp(f, "athlete_id") == 0)
		snprintf(o, n, "%lld", a->athlete_id);
	else if (strcmp(f, "name") == 0)
		fmt_str(o, n, a->name);
	else if (strcmp(f, "sport_type") == 0)
		fmt_str(o, n, a->sport_type);
	else if (strcmp(f, "type") == 0)
		fmt_str(o, n, a->type);
	else if (strcmp(f, "start_date") == 0)
		fmt_str(o, n, a->start_date);
	else if (strcmp(f, "start_date_local") == 0)
		fmt_str(o, n, a->start_date_local);
	else if (strcmp(f, "start_epoch") == 0)
		snprintf(o, n, "%lld", a->start_epoch);
	else if (strcmp(f, "timezone") == 0)
		fmt_str(o, n, a->timezone);
	else if (strcmp(f, "utc_offset") == 0)
		fmt_num(o, n, a->utc_offset);
	else if (strcmp(f, "distance") == 0)
		fmt_num(o, n, a->distance);
	else if (strcmp(f, "moving_time") == 0)
		fmt_num(o, n, a->moving_time);
	else if (strcmp(f, "elapsed_time") == 0)
		fmt_num(o, n, a->elapsed_time);
	else if (strcmp(f, "total_elevation_gain") == 0)
		fmt_num(o, n, a->total_elevation_gain);
	else if (strcmp(f, "average_speed") == 0)
		fmt_num(o, n, a->average_speed);
	else if (strcmp(f, "max_speed") == 0)
		fmt_num(o, n, a->max_speed);
	else if (strcmp(f, "average_heartrate") == 0)
		fmt_num(o, n, a->average_heartrate);
	else if (strcmp(f, "max_heartrate") == 0)
		fmt_num(o, n, a->max_heartrate);
	else if (strcmp(f, "average_watts") == 0)
		fmt_num(o, n, a->average_watts);
	else if (strcmp(f, "weighted_average_watts") == 0)
		fmt_num(o, n, a->weighted_average_watts);
	else if (strcmp(f, "kilojoules") == 0)
		fmt_num(o, n, a->kilojoules);
	else if (strcmp(f, "device_watts") == 0)
		fmt_flag(o, n, a->device_watts);
	else if (strcmp(f, "has_heartrate") == 0)
		fmt_flag(o, n, a->has_heartrate);
	else if (strcmp(f, "trainer") == 0)
		fmt_flag(o, n, a->trainer);
	else if (strcmp(f, "commute") == 0)
		fmt_flag(o, n, a->commute);
	else if (strcmp(f, "manual") == 0)
		fmt_flag(o, n, a->manual);
	else if (strcmp(f, "private") == 0)
		fmt_flag(o, n, a->private_);
	else if (strcmp(f, "gear_id") == 0)
		fmt_str(o, n, a->gear_id);
	else if (strcmp(f, "workout_type") == 0)
		fmt_num(o, n, a->workout_type);
	else if (strcmp(f, "summary_polyline_len") == 0)
		snprintf(o, n, "%zu",
		         a->summary_polyline ? strlen(a->summary_polyline) : 0);
	else if (strcmp(f, "external_id") == 0)
		fmt_str(o, n, a->external_id);
	else if (strcmp(f, "upload_id") == 0)
		if (a->has_upload_id)
			snprintf(o, n, "%lld", a->upload_id);
		else
			snprintf(o, n, "NULL");
	else if (strcmp(f, "description") == 0)
		fmt_str(o, n, a->description);
	else if (strcmp(f, "description_len") == 0)
		snprintf(o, n, "%zu",
		         a->description ? strlen(a->description) : 0);
	else if (strcmp(f, "description_prefix") == 0)
		snprintf(o, n, "%.22s", a->description ? a->description : "");
	else
		return -1;
	return 0;
}

static int
ath_field(const struct ex_athlete *a, const char *f, char *o, size_t n)
{
	if (strcmp(f, "id") == 0)
		snprintf(o, n, "%lld", a->id);
	else if (strcmp(f, "username") == 0)
		fmt_str(o, n, a->username);
	else if (strcmp(f, "firstname") == 0)
		fmt_str(o, n, a->firstname);
	else if (strcmp(f, "lastname") == 0)
		fmt_str(o, n, a->lastname);
	else if (strcmp(f, "sex") == 0)
		fmt_str(o, n, a->sex);
	else if (strcmp(f, "weight") == 0)
		fmt_num(o, n, a->weight);
	else if (strcmp(f, "ftp") == 0)
		fmt_num(o, n, a->ftp);
	else if (strcmp(f, "city") == 0)
		fmt_str(o, n, a->city);
	else if (strcmp(f, "country") == 0)
		fmt_str(o, n, a->country);
	else if (strcmp(f, "measurement_preference") == 0)
		fmt_str(o, n, a->measurement_preference);
	else
		return -1;
	return 0;
}

/* Equal as numbers when both are numbers, else as strings. */
static int
same_value(const char *got, const char *want)
{
	char *e1, *e2;
	double g, w;

	if (strcmp(got, want) == 0)
		return 1;
	g = strtod(got, &e1);
	w = strtod(want, &e2);
	if (*got && *want && *e1 == '\0' && *e2 == '\0')
		return fabs(g - w) <= 1e-9 * (fabs(w) > 1 ? fabs(w) : 1);
	return 0;
}

struct pick {
	long want;
	const char *el;
	size_t len;
};

static int
pick_el(const char *el, size_t len, size_t idx, size_t n, void *arg)
{
	struct pick *p = arg;

	(void)n;
	if ((long)idx == p->want) {
		p->el = el;
		p->len = len;
	}
	return 0;
}

/* Check one expectation line. */
static void
check_line(const char *fixture, const char *kind, long item, const char *field,
           const char *want)
{
	char *body = fixture_body(fixture), got[512] = "?", err[256] = "";
	const char *el;
	size_t len;
	int known = 0;

	if (body == NULL) {
		T_OK(0, "%s loads", fixture);
		return;
	}
	el = body;
	len = strlen(body);
	if (item >= 0) {
		struct pick p = {item, NULL, 0};

		if (ex_map_split_array(body, len, pick_el, &p, err,
		                       sizeof(err)) != 0 ||
		    p.el == NULL) {
			T_OK(0, "%s item %ld found: %s", fixture, item, err);
			free(body);
			return;
		}
		el = p.el;
		len = p.len;
	}
	if (strcmp(kind, "activity") == 0) {
		struct ex_activity a;

		if (ex_map_activity(el, len, &a, err, sizeof(err)) == 0)
			known = act_field(&a, field, got, sizeof(got)) == 0;
		else
			snprintf(got, sizeof(got), "error: %s", err);
		ex_activity_free(&a);
	} else if (strcmp(kind, "athlete") == 0) {
		struct ex_athlete a;

		if (ex_map_athlete(el, len, &a, err, sizeof(err)) == 0)
			known = ath_field(&a, field, got, sizeof(got)) == 0;
		ex_athlete_free(&a);
	} else if (strcmp(kind, "gear") == 0) {
		struct ex_gear g;

		if (ex_map_gear(el, len, &g, err, sizeof(err)) == 0) {
			known = 1;
			if (strcmp(field, "id") == 0)
				fmt_str(got, sizeof(got), g.id);
			else if (strcmp(field, "name") == 0)
				fmt_str(got, sizeof(got), g.name);
			else if (strcmp(field, "kind") == 0)
				fmt_str(got, sizeof(got), g.kind);
			else if (strcmp(field, "retired") == 0)
				fmt_flag(got, sizeof(got), g.retired);
			else if (strcmp(field, "distance") == 0)
				fmt_num(got, sizeof(got), g.distance);
			else
				known = 0;
		}
		ex_gear_free(&g);
	} else if (strcmp(kind, "token") == 0) {
		struct ex_token t;
		int r = ex_map_token(el, len, &t, err, sizeof(err));

		known = 1;
		if (strcmp(field, "error") == 0)
			snprintf(got, sizeof(got), "%d", r != 0);
		else if (r != 0)
			snprintf(got, sizeof(got), "error: %s", err);
		else if (strcmp(field, "access_token") == 0)
			fmt_str(got, sizeof(got), t.access_token);
		else if (strcmp(field, "refresh_token") == 0)
			fmt_str(got, sizeof(got), t.refresh_token);
		else if (strcmp(field, "expires_at") == 0)
			snprintf(got, sizeof(got), "%lld", t.expires_at);
		else if (strncmp(field, "athlete_", 8) == 0 && !t.has_athlete)
			snprintf(got, sizeof(got), "NULL");
		else if (strcmp(field, "athlete_id") == 0)
			snprintf(got, sizeof(got), "%lld", t.athlete.id);
		else if (strncmp(field, "athlete_", 8) == 0)
			known = ath_field(&t.athlete, field + 8, got,
			                  sizeof(got)) == 0;
		else
			known = 0;
		ex_token_free(&t);
	} else if (strcmp(kind, "fault") == 0) {
		known = 1;
		snprintf(got, sizeof(got), "%d",
		         ex_map_fault_has(el, len, field));
	} else if (strcmp(kind, "zones") == 0) {
		known = 1;
		snprintf(got, sizeof(got), "%d",
		         ex_map_zones(el, len, err, sizeof(err)) == 0);
	} else if (strcmp(kind, "streams") == 0) {
		long pts = -1;

		known = 1;
		if (ex_map_streams(el, len, &pts, err, sizeof(err)) == 0)
			snprintf(got, sizeof(got), "%ld", pts);
	}
	T_OK(known && same_value(got, want), "%s %s[%ld].%s = '%s' (got '%s')",
	     fixture, kind, item, field, want, got);
	free(body);
}

static void
run_expectations(void)
{
	FILE *f = fopen(DATA "expected-map.txt", "r");
	char line[1024];
	int n = 0;

	T_OK(f != NULL, "expected-map.txt opens (run from the checkout root)");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char fixture[128], kind[32], field[64];
		long item;
		int off = 0;
		size_t l = strlen(line);

		while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (sscanf(line, "%127s %31s %ld %63s %n", fixture, kind, &item,
		           field, &off) < 4) {
			T_OK(0, "expectation line parses: %s", line);
			continue;
		}
		/* the value is the rest of the line, possibly empty */
		if (off == 0)
			off = (int)l;
		check_line(fixture, kind, item, field, line + off);
		n++;
	}
	fclose(f);
	T_OK(n > 400, "ran %d expectations", n);
}

/* Elements come back byte for byte, whatever the whitespace. */
static int
collect(const char *el, size_t len, size_t idx, size_t n, void *arg)
{
	char(*out)[32] = arg;

	(void)n;
	if (idx < 4)
		snprintf(out[idx], sizeof(out[idx]), "%.*s", (int)len, el);
	return 0;
}

static void
test_split(void)
{
	const char *s = " [ {\"a\":\"x,]}\\\"\"} ,\n[1,[2]] , 3.50 ,\"s\"]\n";
	char out[4][32];
	char err[128];

	memset(out, 0, sizeof(out));
	T_OK(ex_map_split_array(s, strlen(s), collect, out, err, sizeof(err)) ==
	         0,
	     "split array with strings, nesting and spaces");
	T_OK(strcmp(out[0], "{\"a\":\"x,]}\\\"\"}") == 0,
	     "element 0 verbatim (%s)", out[0]);
	T_OK(strcmp(out[1], "[1,[2]]") == 0, "element 1 verbatim");
	T_OK(strcmp(out[2], "3.50") == 0, "element 2 keeps 3.50 (not 3.5)");
	T_OK(strcmp(out[3], "\"s\"") == 0, "element 3 verbatim");
	T_OK(ex_map_split_array("[]", 2, collect, out, err, sizeof(err)) == 0,
	     "empty array");
	T_OK(ex_map_split_array("[{\"a\":1}", 8, collect, out, err,
	                        sizeof(err)) == -1,
	     "truncated array refused");
	T_OK(ex_map_split_array("{\"a\":1}", 7, collect, out, err,
	                        sizeof(err)) == -1,
	     "object refused as list");
}

static void
test_required(void)
{
	struct ex_activity a;
	char err[256];
	const char *cases[][2] = {
	    {"{\"start_date\":\"2020-01-01T00:00:00Z\",\"start_date_local\":"
	     "\"2020-01-01T00:00:00Z\",\"type\":\"Run\"}",
	     "no id"},
	    {"{\"id\":5,\"start_date_local\":\"2020-01-01T00:00:00Z\","
	     "\"type\":\"Run\"}",
	     "start_date"},
	    {"{\"id\":5,\"start_date\":\"2020-01-01\",\"start_date_local\":"
	     "\"2020-01-01T00:00:00Z\",\"type\":\"Run\"}",
	     "start_date"},
	    {"{\"id\":5,\"start_date\":\"2020-01-01T00:00:00Z\","
	     "\"start_date_local\":\"2020-01-01T00:00:00Z\"}",
	     "sport_type"},
	    {"{\"id\":5,\"start_date\":\"2020-01-01T00:00:00Z\",\"start_date",
	     "cannot parse"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = ex_map_activity(cases[i][0], strlen(cases[i][0]), &a,
		                        err, sizeof(err));

		T_OK(r == -1 && strstr(err, cases[i][1]) != NULL,
		     "missing field refused: %s (%s)", cases[i][1], err);
		ex_activity_free(&a);
	}
	/* manual activity: empty latlng, empty polyline, no streams needed */
	{
		const char *m =
		    "{\"id\":7,\"start_date\":\"2020-02-29T23:59:59Z\","
		    "\"start_date_local\":\"2020-03-01T00:59:59Z\","
		    "\"sport_type\":\"Yoga\",\"manual\":true,"
		    "\"start_latlng\":[],\"map\":{\"summary_polyline\":"
		    "\"\"},\"gear_id\":\"\",\"utc_offset\":3600.0}";

		T_OK(ex_map_activity(m, strlen(m), &a, err, sizeof(err)) == 0 &&
		         a.manual == 1 && a.gear_id == NULL &&
		         a.start_epoch == 1583020799 && a.utc_offset == 3600.0,
		     "manual activity maps (leap day, empty gear id is NULL)");
		ex_activity_free(&a);
	}
}

/* The laps of the recorded DetailedActivity and of hand-made ones. */
static void
test_laps(void)
{
	char *body = fixture_body("client__activity.json"), err[256] = "";
	const char *m = "{\"laps\":[{\"start_date\":\"2020-01-01T10:01:00Z\","
	                "\"elapsed_time\":-5},7,{\"start_date\":\"bad\"}]}";
	struct ex_activity a;
	struct ex_lap *l = NULL;
	size_t n = 0;
	int rc;

	rc = body ? ex_map_activity(body, strlen(body), &a, err, sizeof(err))
	          : -1;
	T_OK(rc == 0, "recorded detail maps (%s)", err);
	if (rc == 0)
		rc = ex_map_laps(body, strlen(body), a.start_epoch, &l, &n, err,
		                 sizeof(err));
	T_OK(rc == 0 && n == 1, "recorded detail: one lap (got %zu)", n);
	T_OK(n == 1 && l[0].start_offset == 0 && l[0].elapsed == 13306 &&
	         l[0].moving == 13299 && l[0].distance == 42882.9 &&
	         l[0].start_index == 0 && l[0].end_index == 13128 &&
	         l[0].avg_hr == 170.1 && l[0].max_hr == 187 &&
	         strcmp(l[0].start_date, "2018-11-04 14:53:46") == 0 &&
	         isnan(l[0].avg_watts),
	     "recorded lap: offset 0, 13306 s, 13299 s, 42882.9 m, indices "
	     "0..13128, HR 170.1/187, no power");
	free(l);
	ex_activity_free(&a);
	free(body);
	rc = ex_map_laps(m, strlen(m), 1577872800, &l, &n, err, sizeof(err));
	T_OK(rc == 0 && n == 2 && l[0].start_offset == 60 &&
	         l[0].elapsed == -5 && l[0].start_index == -1 &&
	         isnan(l[1].start_offset) && l[1].start_date[0] == '\0',
	     "hand-made laps: offset from the activity's start, a non-object "
	     "skipped, values as given (the transform judges them)");
	free(l);
	rc = ex_map_laps("{}", 2, 0, &l, &n, err, sizeof(err));
	T_OK(rc == 0 && n == 0 && l == NULL, "no laps key: no laps");
	rc = ex_map_laps("{", 1, 0, &l, &n, err, sizeof(err));
	T_OK(rc == -1 && n == 0 && l == NULL && strstr(err, "laps") != NULL,
	     "not JSON: an error naming the laps (%s)", err);
}

int
main(void)
{
	run_expectations();
	test_laps();
	test_split();
	test_required();
	return T_DONE();
}
