/* ex_map.c: Strava JSON answers mapped to the typed rows cairn_raw stores (pure, no I/O) */
#include "ex_map.h"

#include <math.h>   /* NAN */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* calloc, free */
#include <string.h> /* memset, strcmp */
#include <time.h>   /* timegm, struct tm */

/* A string member or NULL (JSON null, missing, or not a string). */
static const char *
ex_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A number member as double, NaN when missing or not a number. */
static double
ex_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A boolean member: 1, 0, or `def` when missing or not a boolean. */
static int
ex_bool(json_t *o, const char *key, int def)
{
	json_t *v = json_object_get(o, key);

	return json_is_boolean(v) ? json_is_true(v) : def;
}

static json_t *
ex_parse(const char *buf, size_t len, const char *what, char *err,
         size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, 0, &je);

	if (root == NULL)
		snprintf(err, errlen, "cannot parse %s: %s (line %d)", what,
		         je.text, je.line);
	return root;
}

static int
ex_digits(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
ex_map_date(const char *s, char out[20], long long *epoch)
{
	struct tm tm;
	time_t t;

	/* YYYY-MM-DDTHH:MM:SS then Z or end (fractions not seen from Strava) */
	if (s == NULL || strlen(s) < 19 || !ex_digits(s, 4) || s[4] != '-' ||
	    !ex_digits(s + 5, 2) || s[7] != '-' || !ex_digits(s + 8, 2) ||
	    (s[10] != 'T' && s[10] != ' ') || !ex_digits(s + 11, 2) ||
	    s[13] != ':' || !ex_digits(s + 14, 2) || s[16] != ':' ||
	    !ex_digits(s + 17, 2) ||
	    (s[19] != '\0' && strcmp(s + 19, "Z") != 0))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	             (s[2] - '0') * 10 + (s[3] - '0') - 1900;
	tm.tm_mon = (s[5] - '0') * 10 + (s[6] - '0') - 1;
	tm.tm_mday = (s[8] - '0') * 10 + (s[9] - '0');
	tm.tm_hour = (s[11] - '0') * 10 + (s[12] - '0');
	tm.tm_min = (s[14] - '0') * 10 + (s[15] - '0');
	tm.tm_sec = (s[17] - '0') * 10 + (s[18] - '0');
	if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	t = timegm(&tm);
	if (epoch != NULL)
		*epoch = (long long)t;
	if (out != NULL) {
		memcpy(out, s, 19);
		out[10] = ' ';
		out[19] = '\0';
	}
	return 0;
}

void
ex_activity_free(struct ex_activity *a)
{
	if (a == NULL)
		return;
	json_decref(a->root);
	a->root = NULL;
}

int
ex_map_activity(const char *buf, size_t len, struct ex_activity *a, char *err,
                size_t errlen)
{
	json_t *o, *v, *map;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	a->root = ex_parse(buf, len, "activity", err, errlen);
	o = a->root;
	if (o == NULL)
		goto out;
	if (!json_is_object(o)) {
		snprintf(err, errlen, "cannot parse activity: not an object");
		goto out;
	}
	v = json_object_get(o, "id");
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		snprintf(err, errlen, "cannot parse activity: no id");
		goto out;
	}
	a->id = json_integer_value(v);
	v = json_object_get(json_object_get(o, "athlete"), "id");
	a->athlete_id = json_is_integer(v) ? json_integer_value(v) : 0;
	a->name = ex_str(o, "name");
	a->type = ex_str(o, "type");
	a->sport_type = ex_str(o, "sport_type");
	if (a->sport_type == NULL)
		a->sport_type = a->type;
	if (a->sport_type == NULL) {
		snprintf(err, errlen,
		         "cannot parse activity %lld: no sport_type or type",
		         a->id);
		goto out;
	}
	if (ex_map_date(ex_str(o, "start_date"), a->start_date,
	                &a->start_epoch) != 0) {
		snprintf(
		    err, errlen,
		    "cannot parse activity %lld: start_date missing or not "
		    "ISO 8601",
		    a->id);
		goto out;
	}
	if (ex_map_date(ex_str(o, "start_date_local"), a->start_date_local,
	                NULL) != 0) {
		snprintf(
		    err, errlen,
		    "cannot parse activity %lld: start_date_local missing or "
		    "not ISO 8601",
		    a->id);
		goto out;
	}
	a->timezone = ex_str(o, "timezone");
	a->utc_offset = ex_num(o, "utc_offset");
	a->distance = ex_num(o, "distance");
	a->moving_time = ex_num(o, "moving_time");
	a->elapsed_time = ex_num(o, "elapsed_time");
	a->total_elevation_gain = ex_num(o, "total_elevation_gain");
	a->average_speed = ex_num(o, "average_speed");
	a->max_speed = ex_num(o, "max_speed");
	a->average_heartrate = ex_num(o, "average_heartrate");
	a->max_heartrate = ex_num(o, "max_heartrate");
	a->average_watts = ex_num(o, "average_watts");
	a->weighted_average_watts = ex_num(o, "weighted_average_watts");
	a->kilojoules = ex_num(o, "kilojoules");
	a->device_watts = ex_bool(o, "device_watts", -1);
	a->has_heartrate = ex_bool(o, "has_heartrate", -1);
	a->trainer = ex_bool(o, "trainer", 0);
	a->commute = ex_bool(o, "commute", 0);
	a->manual = ex_bool(o, "manual", 0);
	a->private_ = ex_bool(o, "private", 0);
	a->gear_id = ex_str(o, "gear_id");
	if (a->gear_id != NULL && a->gear_id[0] == '\0')
		a->gear_id = NULL;
	a->workout_type = ex_num(o, "workout_type");
	map = json_object_get(o, "map");
	a->summary_polyline = ex_str(map, "summary_polyline");
	a->external_id = ex_str(o, "external_id");
	v = json_object_get(o, "upload_id");
	if (json_is_integer(v)) {
		a->upload_id = json_integer_value(v);
		a->has_upload_id = 1;
	}
	a->description = ex_str(o, "description");
	rc = 0;
out:
	return rc;
}

/* An integer member, -1 when missing or not an integer. */
static long long
ex_index(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

int
ex_map_laps(const char *buf, size_t len, long long start_epoch,
            struct ex_lap **laps, size_t *n, char *err, size_t errlen)
{
	json_t *root = ex_parse(buf, len, "activity laps", err, errlen);
	json_t *arr = json_object_get(root, "laps");
	size_t i, m = json_array_size(arr);
	int rc = -1;

	*laps = NULL;
	*n = 0;
	if (root == NULL)
		goto out;
	if (m > 0 && (*laps = calloc(m, sizeof(**laps))) == NULL) {
		snprintf(err, errlen,
		         "cannot parse activity laps: out of "
		         "memory");
		goto out;
	}
	for (i = 0; i < m; i++) {
		json_t *o = json_array_get(arr, i);
		struct ex_lap *l = &(*laps)[*n];
		long long ep;

		if (!json_is_object(o))
			continue;
		l->start_offset = NAN;
		if (ex_map_date(ex_str(o, "start_date"), l->start_date, &ep) ==
		    0)
			l->start_offset = (double)(ep - start_epoch);
		else
			l->start_date[0] = '\0';
		l->elapsed = ex_num(o, "elapsed_time");
		l->moving = ex_num(o, "moving_time");
		l->distance = ex_num(o, "distance");
		l->avg_speed = ex_num(o, "average_speed");
		l->max_speed = ex_num(o, "max_speed");
		l->avg_hr = ex_num(o, "average_heartrate");
		l->max_hr = ex_num(o, "max_heartrate");
		l->avg_watts = ex_num(o, "average_watts");
		l->max_watts = ex_num(o, "max_watts");
		l->avg_cad = ex_num(o, "average_cadence");
		l->elev_gain = ex_num(o, "total_elevation_gain");
		l->start_index = ex_index(o, "start_index");
		l->end_index = ex_index(o, "end_index");
		(*n)++;
	}
	rc = 0;
out:
	if (rc != 0) {
		free(*laps);
		*laps = NULL;
		*n = 0;
	}
	json_decref(root);
	return rc;
}

int
ex_map_athlete_obj(json_t *o, struct ex_athlete *at, char *err, size_t errlen)
{
	json_t *v;

	memset(at, 0, sizeof(*at));
	v = json_object_get(o, "id");
	if (!json_is_object(o) || !json_is_integer(v) ||
	    json_integer_value(v) <= 0) {
		snprintf(err, errlen, "cannot parse athlete: no id");
		return -1;
	}
	at->id = json_integer_value(v);
	at->username = ex_str(o, "username");
	at->firstname = ex_str(o, "firstname");
	at->lastname = ex_str(o, "lastname");
	at->sex = ex_str(o, "sex");
	if (at->sex != NULL && at->sex[0] == '\0')
		at->sex = NULL;
	at->weight = ex_num(o, "weight");
	if (at->weight == 0.0) /* Strava sends 0 for "not set" */
		at->weight = NAN;
	at->ftp = ex_num(o, "ftp");
	at->city = ex_str(o, "city");
	at->country = ex_str(o, "country");
	at->measurement_preference = ex_str(o, "measurement_preference");
	return 0;
}

int
ex_map_athlete(const char *buf, size_t len, struct ex_athlete *at, char *err,
               size_t errlen)
{
	json_t *root = ex_parse(buf, len, "athlete", err, errlen);
	int rc;

	if (root == NULL) {
		memset(at, 0, sizeof(*at));
		return -1;
	}
	rc = ex_map_athlete_obj(root, at, err, errlen);
	at->root = root;
	return rc;
}

void
ex_athlete_free(struct ex_athlete *at)
{
	if (at == NULL)
		return;
	json_decref(at->root);
	at->root = NULL;
}

int
ex_map_gear(const char *buf, size_t len, struct ex_gear *g, char *err,
            size_t errlen)
{
	json_t *o;

	memset(g, 0, sizeof(*g));
	g->root = ex_parse(buf, len, "gear", err, errlen);
	o = g->root;
	if (o == NULL)
		return -1;
	g->id = ex_str(o, "id");
	if (!json_is_object(o) || g->id == NULL || g->id[0] == '\0') {
		snprintf(err, errlen, "cannot parse gear: no id");
		return -1;
	}
	g->name = ex_str(o, "name");
	/* Strava gear ids: b… bikes, g… shoes; frame_type only on bikes */
	if (g->id[0] == 'b' || json_object_get(o, "frame_type") != NULL)
		g->kind = "bike";
	else
		g->kind = "shoe";
	g->retired = ex_bool(o, "retired", 0);
	g->distance = ex_num(o, "distance");
	return 0;
}

void
ex_gear_free(struct ex_gear *g)
{
	if (g == NULL)
		return;
	json_decref(g->root);
	g->root = NULL;
}

int
ex_map_token(const char *buf, size_t len, struct ex_token *t, char *err,
             size_t errlen)
{
	json_t *o, *v, *ath;

	memset(t, 0, sizeof(*t));
	t->root = ex_parse(buf, len, "token answer", err, errlen);
	o = t->root;
	if (o == NULL)
		return -1;
	t->access_token = ex_str(o, "access_token");
	t->refresh_token = ex_str(o, "refresh_token");
	v = json_object_get(o, "expires_at");
	if (t->access_token == NULL || t->access_token[0] == '\0' ||
	    t->refresh_token == NULL || t->refresh_token[0] == '\0' ||
	    !json_is_number(v)) {
		snprintf(err, errlen,
		         "cannot parse token answer: access_token, "
		         "refresh_token or expires_at missing");
		return -1;
	}
	t->expires_at = (long long)json_number_value(v);
	ath = json_object_get(o, "athlete");
	if (json_is_object(ath)) {
		if (ex_map_athlete_obj(ath, &t->athlete, err, errlen) != 0)
			return -1;
		t->has_athlete = 1;
	}
	return 0;
}

void
ex_token_free(struct ex_token *t)
{
	if (t == NULL)
		return;
	json_decref(t->root);
	t->root = NULL;
}

int
ex_map_streams(const char *buf, size_t len, long *points, char *err,
               size_t errlen)
{
	json_t *root = ex_parse(buf, len, "streams", err, errlen);
	const char *key;
	json_t *s;
	long n = 0;
	int rc = -1;

	if (root == NULL)
		goto out;
	if (!json_is_object(root)) {
		snprintf(err, errlen,
		         "cannot parse streams: not an object keyed by type");
		goto out;
	}
	json_object_foreach(root, key, s)
	{
		json_t *d = json_object_get(s, "data");

		if (!json_is_array(d)) {
			snprintf(err, errlen,
			         "cannot parse streams: %s has no data array",
			         key);
			goto out;
		}
		if ((long)json_array_size(d) > n)
			n = (long)json_array_size(d);
	}
	*points = n;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

int
ex_map_zones(const char *buf, size_t len, char *err, size_t errlen)
{
	json_t *root = ex_parse(buf, len, "zones", err, errlen);
	int rc = -1;

	if (root == NULL)
		return -1;
	if (!json_is_object(root))
		snprintf(err, errlen, "cannot parse zones: not an object");
	else
		rc = 0;
	json_decref(root);
	return rc;
}

int
ex_map_fault_has(const char *buf, size_t len, const char *code)
{
	json_t *root = json_loadb(buf, len, 0, NULL);
	json_t *errs, *e;
	size_t i;
	int found = 0;

	errs = json_object_get(root, "errors");
	json_array_foreach(errs, i, e)
	{
		const char *c = ex_str(e, "code");

		if (c != NULL && strcmp(c, code) == 0)
			found = 1;
	}
	json_decref(root);
	return found;
}

static int
ex_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int
ex_map_split_array(const char *buf, size_t len,
                   int (*fn)(const char *el, size_t ellen, size_t idx, size_t n,
                             void *arg),
                   void *arg, char *err, size_t errlen)
{
	json_t *root = ex_parse(buf, len, "list", err, errlen);
	size_t pos = 0, idx = 0, n;
	int rc = -1, r;

	if (root == NULL)
		goto out;
	if (!json_is_array(root)) {
		snprintf(err, errlen, "cannot parse list: not an array");
		goto out;
	}
	n = json_array_size(root);
	/* The text is well-formed JSON now: walk it to find element bounds. */
	while (pos < len && ex_is_space(buf[pos]))
		pos++;
	pos++; /* '[' */
	while (idx < n) {
		size_t start, end;
		int depth = 0, in_str = 0;

		while (pos < len && ex_is_space(buf[pos]))
			pos++;
		start = pos;
		for (; pos < len; pos++) {
			char c = buf[pos];

			if (in_str) {
				if (c == '\\')
					pos++;
				else if (c == '"')
					in_str = 0;
			} else if (c == '"') {
				in_str = 1;
			} else if (c == '[' || c == '{') {
				depth++;
			} else if (c == ']' || c == '}') {
				if (depth == 0)
					break;
				depth--;
			} else if (c == ',' && depth == 0) {
				break;
			}
		}
		if (pos >= len) {
			snprintf(err, errlen,
			         "cannot parse list: element %zu "
			         "has no end",
			         idx);
			goto out;
		}
		end = pos;
		while (end > start && ex_is_space(buf[end - 1]))
			end--;
		r = fn(buf + start, end - start, idx, n, arg);
		if (r != 0) {
			rc = r;
			goto out;
		}
		idx++;
		pos++; /* ',' or ']' */
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}
