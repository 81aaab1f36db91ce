/* api_h_core.c: the health, me, settings (GET and PUT) and openapi.json routes */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* free */
#include <string.h> /* strcmp */
#include <time.h>   /* time, localtime_r */

#include "api.h"
#include "api_sql.h"
#include "db.h"

#define API_VERSION "1.0.0"

int
api_h_health(struct api_ctx *x)
{
	struct db_res r;
	long long schema = 0;
	int rc;

	x->rs->no_store = 1;
	if (db_query(x->db, API_Q_HEALTH, NULL, 0, &r) != 0)
		return api_db_failed(x);
	rc = db_fetch(&r);
	if (rc == 1)
		schema = db_i64(&r, 0);
	db_res_free(&r);
	if (rc < 0)
		return api_db_failed(x);
	return api_send_json(x->rs, 200,
	                     json_pack("{s:s,s:I,s:s}", "status", "ok",
	                               "schema", (json_int_t)schema, "version",
	                               API_VERSION));
}

/* The settings in force today: {"ftp":{"value":..}, ...} or NULL. */
static json_t *
api_in_force(struct api_ctx *x)
{
	struct db_param p[] = {DB_I64(x->athlete_id)};
	struct db_res r;
	json_t *o = json_object();
	int rc;

	if (db_query(x->db, API_Q_SETTINGS_IN_FORCE, p, 1, &r) != 0) {
		json_decref(o);
		return NULL;
	}
	while ((rc = db_fetch(&r)) == 1)
		api_set(&x->rs->failed, o, db_str(&r, 0),
		        json_pack("{s:o,s:o,s:o}", "value",
		                  api_str(db_str(&r, 1)), "effective_from",
		                  api_str(db_str(&r, 2)), "source",
		                  api_str(db_str(&r, 3))));
	db_res_free(&r);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
api_h_me(struct api_ctx *x)
{
	struct db_param p[] = {DB_I64(x->athlete_id)};
	struct db_res r;
	json_t *j = NULL, *by = json_object(), *set, *a, *counts;
	int rc, *bad = &x->rs->failed;

	if (db_query(x->db, API_Q_ME_COUNTS, p, 1, &r) != 0)
		goto dbfail;
	while ((rc = db_fetch(&r)) == 1)
		api_set(bad, by, db_str(&r, 0),
		        json_pack("{s:I,s:o,s:o}", "count",
		                  (json_int_t)db_i64(&r, 1), "first",
		                  api_str(db_str(&r, 2)), "last",
		                  api_str(db_str(&r, 3))));
	db_res_free(&r);
	if (rc < 0 || (set = api_in_force(x)) == NULL)
		goto dbfail;
	if (db_query(x->db, API_Q_ME, p, 1, &r) != 0) {
		json_decref(set);
		goto dbfail;
	}
	if ((rc = db_fetch(&r)) == 1) {
		a = json_object();
		api_set(bad, a, "id", json_integer(db_i64(&r, 0)));
		api_set(bad, a, "firstname", api_str(db_str(&r, 1)));
		api_set(bad, a, "lastname", api_str(db_str(&r, 2)));
		api_set(bad, a, "sex", api_str(db_str(&r, 3)));
		api_set(bad, a, "city", api_str(db_str(&r, 4)));
		api_set(bad, a, "country", api_str(db_str(&r, 5)));
		api_set(bad, a, "measurement_preference",
		        api_str(db_str(&r, 6)));
		api_set(bad, a, "auth_state", api_str(db_str(&r, 7)));
		counts = json_pack("{s:I,s:o}", "activities",
		                   (json_int_t)db_i64(&r, 11), "by_sport", by);
		j = json_object();
		api_set(bad, j, "athlete", a);
		api_set(bad, j, "last_sync_at", api_str(db_str(&r, 8)));
		api_set(bad, j, "last_transform_at", api_str(db_str(&r, 9)));
		api_set(bad, j, "mart_version", json_integer(db_i64(&r, 10)));
		api_set(bad, j, "counts", counts);
		api_set(bad, j, "settings", set);
	} else {
		json_decref(by);
		json_decref(set);
	}
	db_res_free(&r);
	if (rc < 0) {
		json_decref(j);
		return api_db_failed(x);
	}
	return api_send_json(x->rs, 200, j);
dbfail:
	json_decref(by);
	return api_db_failed(x);
}

/* The settings an athlete may change, with their validation. */
struct api_setting_def {
	const char *name;
	const char *unit;
	int is_int;
	double min, max;
	const char *c1, *c2; /* choices, for text settings */
};
static const struct api_setting_def api_setting_defs[] = {
    {"ftp", "W", 1, 30, 2500, NULL, NULL},
    {"cp", "W", 1, 30, 2500, NULL, NULL},
    {"w_prime", "J", 1, 1000, 100000, NULL, NULL},
    {"threshold_hr", "bpm", 1, 60, 240, NULL, NULL},
    {"max_hr", "bpm", 1, 80, 250, NULL, NULL},
    {"resting_hr", "bpm", 1, 20, 150, NULL, NULL},
    {"threshold_pace", "s/km", 0, 120, 1200, NULL, NULL},
    {"weight", "kg", 0, 20, 300, NULL, NULL},
    {"sex", NULL, 0, 0, 0, "M", "F"},
    {"units", NULL, 0, 0, 0, "metric", "imperial"},
    {"bike_weight", "kg", 0, 3, 50, NULL, NULL},
    {"cda", "m2", 0, 0.1, 1.0, NULL, NULL},
    {"crr", NULL, 0, 0.001, 0.05, NULL, NULL},
    {"use_estimated_power", NULL, 1, 0, 1, NULL, NULL},
};
#define API_NSETTINGS (sizeof(api_setting_defs) / sizeof(api_setting_defs[0]))

static const struct api_setting_def *
api_setting_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < API_NSETTINGS; i++)
		if (strcmp(api_setting_defs[i].name, name) == 0)
			return &api_setting_defs[i];
	return NULL;
}

/* Is v a value of the numeric setting d? Then its stored text into out. */
static int
api_setting_format(const struct api_setting_def *d, double v, char *out,
                   size_t outlen)
{
	if (d == NULL || d->c1 != NULL || !(v >= d->min) || !(v <= d->max) ||
	    (d->is_int && v != (double)(long long)v))
		return -1;
	if (d->is_int)
		snprintf(out, outlen, "%lld", (long long)v);
	else
		snprintf(out, outlen, "%g", v);
	return 0;
}

int
api_setting_value(const char *name, double v, char *out, size_t outlen)
{
	return api_setting_format(api_setting_find(name), v, out, outlen);
}

int
api_h_settings_get(struct api_ctx *x)
{
	struct db_param p[] = {DB_I64(x->athlete_id)};
	struct db_res r;
	json_t *list = json_array(), *known = json_array(), *force, *o;
	size_t i;
	int rc, *bad = &x->rs->failed;

	x->rs->no_store = 1;
	for (i = 0; i < API_NSETTINGS; i++) {
		const struct api_setting_def *d = &api_setting_defs[i];
		json_t *k = json_pack("{s:s,s:s}", "name", d->name, "type",
		                      d->c1       ? "enum"
		                      : d->is_int ? "integer"
		                                  : "number");

		if (d->c1)
			api_set(bad, k, "enum",
			        json_pack("[s,s]", d->c1, d->c2));
		else
			api_set(bad, k, "range",
			        json_pack("[f,f]", d->min, d->max));
		api_set(bad, k, "unit", api_str(d->unit));
		api_append(bad, known, k);
	}
	if (db_query(x->db, API_Q_SETTINGS_USER, p, 1, &r) != 0)
		goto dbfail;
	while ((rc = db_fetch(&r)) == 1) {
		o = json_object();
		api_set(bad, o, "name", api_str(db_str(&r, 0)));
		api_set(bad, o, "value", api_str(db_str(&r, 1)));
		api_set(bad, o, "effective_from", api_str(db_str(&r, 2)));
		api_set(bad, o, "source", api_str(db_str(&r, 3)));
		api_set(bad, o, "set_at", api_str(db_str(&r, 4)));
		api_append(bad, list, o);
	}
	db_res_free(&r);
	if (rc < 0 || (force = api_in_force(x)) == NULL)
		goto dbfail;
	return api_send_json(x->rs, 200,
	                     json_pack("{s:o,s:o,s:o}", "settings", list,
	                               "in_force", force, "known", known));
dbfail:
	json_decref(list);
	json_decref(known);
	return api_db_failed(x);
}

static int
api_bad_body(struct api_ctx *x, const char *param, const char *msg)
{
	return api_error(x->rs, 400, "invalid_body", param, "%s", msg);
}

int
api_h_settings_put(struct api_ctx *x)
{
	json_error_t je;
	json_t *b = NULL, *jv;
	const char *key, *name = NULL, *eff = NULL;
	const struct api_setting_def *d = NULL;
	char value[64], today[16];
	long long days;
	size_t i;
	int st;

	x->rs->no_store = 1;
	if (x->body == NULL || x->body_len == 0)
		return api_bad_body(x, NULL,
		                    "send a JSON object with name, "
		                    "value and effective_from");
	b = json_loadb(x->body, x->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(b)) {
		json_decref(b);
		return api_bad_body(x, NULL, "the body is not a JSON object");
	}
	json_object_foreach(b, key, jv)
	{
		if (strcmp(key, "name") && strcmp(key, "value") &&
		    strcmp(key, "effective_from")) {
			st = api_error(x->rs, 400, "invalid_body", key,
			               "unknown field in the body");
			goto out;
		}
	}
	name = json_string_value(json_object_get(b, "name"));
	if ((d = api_setting_find(name)) == NULL) {
		char names[256];
		size_t n = 0;

		for (i = 0; i < API_NSETTINGS && n < sizeof(names); i++)
			n += (size_t)snprintf(names + n, sizeof(names) - n,
			                      "%s%s", i ? ", " : "",
			                      api_setting_defs[i].name);
		st = api_error(x->rs, 400, "invalid_body", "name",
		               "name must be one of %s", names);
		goto out;
	}
	jv = json_object_get(b, "value");
	if (d->c1 != NULL) {
		const char *s = json_string_value(jv);

		if (s == NULL || (strcmp(s, d->c1) && strcmp(s, d->c2))) {
			st = api_error(x->rs, 400, "invalid_body", "value",
			               "%s must be %s or %s", d->name, d->c1,
			               d->c2);
			goto out;
		}
		snprintf(value, sizeof(value), "%s", s);
	} else {
		double v;
		char *end = NULL;
		const char *s = json_string_value(jv);

		if (json_is_number(jv))
			v = json_number_value(jv);
		else if (s != NULL && *s != '\0' && strlen(s) < 32)
			v = strtod(s, &end);
		else
			v = -1e300;
		if ((end != NULL && *end != '\0') ||
		    api_setting_format(d, v, value, sizeof(value)) != 0) {
			st = api_error(
			    x->rs, 400, "invalid_body", "value",
			    "%s must be %s between %g and %g%s%s%s", d->name,
			    d->is_int ? "an integer" : "a number", d->min,
			    d->max, d->unit ? " (" : "", d->unit ? d->unit : "",
			    d->unit ? ")" : "");
			goto out;
		}
	}
	jv = json_object_get(b, "effective_from");
	if (jv == NULL || json_is_null(jv)) {
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		eff = today;
	} else {
		eff = json_string_value(jv);
		if (eff == NULL || api_parse_date(eff, &days) != 0) {
			st = api_bad_body(x, "effective_from",
			                  "effective_from must be a date "
			                  "YYYY-MM-DD");
			goto out;
		}
	}
	{
		char reason[64];
		struct db_param ps[] = {DB_I64(x->athlete_id), api_s(d->name),
		                        api_s(eff), api_s(value)};
		struct db_param pr[3];

		/* api_s() takes the length: write the text before binding */
		snprintf(reason, sizeof(reason), "setting %s", d->name);
		pr[0] = DB_I64(x->athlete_id);
		pr[1] = api_s(eff);
		pr[2] = api_s(reason);
		if (db_begin(x->db) != 0 ||
		    db_exec(x->db, API_Q_SETTING_PUT, ps, 4) < 0 ||
		    db_exec(x->db, API_Q_RECOMPUTE, pr, 3) < 0 ||
		    db_commit(x->db) != 0) {
			st = api_db_failed(x);
			if (x->db->my != NULL)
				db_rollback(x->db);
			goto out;
		}
	}
	st = api_send_json(x->rs, 200,
	                   json_pack("{s:{s:s,s:s,s:s,s:s},s:{s:b,s:s}}",
	                             "setting", "name", d->name, "value", value,
	                             "effective_from", eff, "source", "user",
	                             "recompute", "queued", 1, "from", eff));
out:
	json_decref(b);
	return st;
}

/* The document api_srv_new built from the routing table. */
int
api_h_openapi(struct api_ctx *x)
{
	const struct api_srv *srv = x->w->srv;

	if (srv == NULL || srv->openapi == NULL)
		return api_error(x->rs, 500, "internal", NULL,
		                 "cannot build the OpenAPI document");
	x->rs->len = 0;
	x->rs->status = 200;
	if (api_resp_append(x->rs, srv->openapi, srv->openapi_len) != 0)
		return api_error(x->rs, 500, "internal", NULL, "out of memory");
	return 200;
}
