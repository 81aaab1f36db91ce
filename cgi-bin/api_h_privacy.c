/* api_h_privacy.c: the athlete's privacy zones and start/end trim: read them, replace them and queue the rebuild of every map mart */
#include <math.h>   /* isfinite, floor */
#include <string.h> /* strcmp */

#include "api.h"
#include "api_sql.h"
#include "db.h"

/* The body's rules (docs/API.md, "Privacy"). */
#define API_PRIV_MAX_ZONES 20
#define API_PRIV_RADIUS_MIN 50.0
#define API_PRIV_RADIUS_MAX 5000.0
#define API_PRIV_TRIM_MAX 2000

json_t *
api_privacy_json(struct api_ctx *x, int *bad)
{
	struct db_param p[] = {DB_I64(x->athlete_id)};
	struct db_res r;
	json_t *j = NULL, *zones = json_array();
	long long trim = 0;
	int f;

	if (zones == NULL)
		goto oom;
	if (db_query(x->db, API_Q_PRIV_TRIM, p, 1, &r) != 0)
		goto out;
	if ((f = db_fetch(&r)) == 1)
		trim = db_i64(&r, 0);
	db_res_free(&r);
	if (f < 0)
		goto out;
	if (db_query(x->db, API_Q_PRIV_ZONES, p, 1, &r) != 0)
		goto out;
	while ((f = db_fetch(&r)) == 1)
		api_append(bad, zones,
		           json_pack("{s:o,s:o,s:o}", "lat",
		                     api_numr(db_dbl(&r, 0), 6), "lng",
		                     api_numr(db_dbl(&r, 1), 6), "radius",
		                     api_numr(db_dbl(&r, 2), 1)));
	db_res_free(&r);
	if (f < 0)
		goto out;
	j = json_pack("{s:o,s:I,s:{s:i,s:f,s:f,s:i}}", "zones", zones, "trim",
	              (json_int_t)trim, "limits", "zones", API_PRIV_MAX_ZONES,
	              "radius_min", API_PRIV_RADIUS_MIN, "radius_max",
	              API_PRIV_RADIUS_MAX, "trim_max", API_PRIV_TRIM_MAX);
	zones = NULL;
	if (j == NULL)
		goto oom;
	goto out;
oom:
	*bad = 1;
out:
	json_decref(zones);
	return j;
}

int
api_h_privacy_get(struct api_ctx *x)
{
	int bad = 0;
	json_t *j;

	x->rs->no_store = 1;
	j = api_privacy_json(x, &bad);
	if (j == NULL && !bad)
		return api_db_failed(x);
	if (j == NULL)
		return api_error(x->rs, 500, "internal", NULL, "out of memory");
	return api_send_json(x->rs, 200, j);
}

/* A number member of o in [lo, hi] into *v: 0, or -1. */
static int
api_priv_num(const json_t *o, const char *key, double lo, double hi, double *v)
{
	const json_t *n = json_object_get(o, key);

	if (!json_is_number(n))
		return -1;
	*v = json_number_value(n);
	return isfinite(*v) && *v >= lo && *v <= hi ? 0 : -1;
}

/* Check one zone object: 0, or the status of the 400 in x->rs. */
static int
api_priv_zone(struct api_ctx *x, const json_t *z, size_t i, double v[3])
{
	static const char *const keys[] = {"lat", "lng", "radius"};
	static const double lo[] = {-90, -180, API_PRIV_RADIUS_MIN};
	static const double hi[] = {90, 180, API_PRIV_RADIUS_MAX};
	const char *key;
	json_t *jv;
	int k;

	if (!json_is_object(z))
		return api_error(x->rs, 400, "invalid_body", "zones",
		                 "zones[%zu] must be an object with lat, lng "
		                 "and radius",
		                 i);
	json_object_foreach((json_t *)z, key, jv)
	{
		if (strcmp(key, "lat") && strcmp(key, "lng") &&
		    strcmp(key, "radius"))
			return api_error(x->rs, 400, "invalid_body", "zones",
			                 "zones[%zu] has an unknown field "
			                 "(lat, lng, radius)",
			                 i);
	}
	for (k = 0; k < 3; k++)
		if (api_priv_num(z, keys[k], lo[k], hi[k], &v[k]) != 0)
			return api_error(x->rs, 400, "invalid_body", "zones",
			                 "zones[%zu].%s must be a number "
			                 "between %g and %g%s",
			                 i, keys[k], lo[k], hi[k],
			                 k == 2 ? " (m)" : " (degrees)");
	return 0;
}

/* Check the whole body into zones (n of them) and trim: 0, or the status
 * of the 400 in x->rs. */
static int
api_priv_body(struct api_ctx *x, const json_t *b,
              double zones[API_PRIV_MAX_ZONES][3], size_t *n, double *trim)
{
	const char *key;
	json_t *jv, *zs;
	size_t i;
	int st;

	if (!json_is_object(b))
		return api_error(x->rs, 400, "invalid_body", NULL,
		                 "send a JSON object {\"zones\": [{\"lat\", "
		                 "\"lng\", \"radius\"}], \"trim\": metres}");
	json_object_foreach((json_t *)b, key, jv)
	{
		if (strcmp(key, "zones") && strcmp(key, "trim"))
			return api_error(x->rs, 400, "invalid_body", key,
			                 "unknown field in the body");
	}
	zs = json_object_get(b, "zones");
	if (!json_is_array(zs))
		return api_error(x->rs, 400, "invalid_body", "zones",
		                 "zones must be an array (may be empty)");
	if (json_array_size(zs) > API_PRIV_MAX_ZONES)
		return api_error(x->rs, 400, "invalid_body", "zones",
		                 "at most %d zones, not %zu",
		                 API_PRIV_MAX_ZONES, json_array_size(zs));
	for (i = 0; i < json_array_size(zs); i++)
		if ((st = api_priv_zone(x, json_array_get(zs, i), i,
		                        zones[i])) != 0)
			return st;
	*n = json_array_size(zs);
	*trim = 0;
	jv = json_object_get(b, "trim");
	if (jv != NULL && !json_is_null(jv) &&
	    (api_priv_num(b, "trim", 0, API_PRIV_TRIM_MAX, trim) != 0 ||
	     *trim != floor(*trim)))
		return api_error(x->rs, 400, "invalid_body", "trim",
		                 "trim must be an integer between 0 and %d (m)",
		                 API_PRIV_TRIM_MAX);
	return 0;
}

/* Replace the zones and the trim, and queue the rebuild of every activity
 * of the athlete, in one transaction: 0 or -1 (x->db->err). */
static int
api_priv_write(struct api_ctx *x, double zones[API_PRIV_MAX_ZONES][3], size_t n,
               double trim)
{
	struct db_param p[5];
	const char *reason = "privacy";
	size_t i;
	int rc = -1;

	if (db_begin(x->db) != 0)
		goto out;
	p[0] = DB_I64(x->athlete_id);
	if (db_exec(x->db, API_Q_PRIV_ZONES_DEL, p, 1) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		p[1] = DB_I64(i);
		p[2] = DB_DBL(zones[i][0]);
		p[3] = DB_DBL(zones[i][1]);
		p[4] = DB_DBL(zones[i][2]);
		if (db_exec(x->db, API_Q_PRIV_ZONE_PUT, p, 5) < 0)
			goto fail;
	}
	p[1] = DB_I64((long long)trim);
	if (db_exec(x->db, API_Q_PRIV_TRIM_PUT, p, 2) < 0)
		goto fail;
	/* every past activity: from_date NULL */
	p[1] = DB_NULL;
	p[2] = api_s(reason);
	if (db_exec(x->db, API_Q_RECOMPUTE, p, 3) < 0 || db_commit(x->db) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	if (x->db->my != NULL)
		db_rollback(x->db);
out:
	return rc;
}

int
api_h_privacy_put(struct api_ctx *x)
{
	double zones[API_PRIV_MAX_ZONES][3], trim = 0;
	json_error_t je;
	json_t *b = NULL, *j = NULL;
	size_t n = 0;
	int st, bad = 0;

	x->rs->no_store = 1;
	if (x->body == NULL || x->body_len == 0) {
		st = api_error(x->rs, 400, "invalid_body", NULL,
		               "send a JSON object with zones and trim");
		goto out;
	}
	b = json_loadb(x->body, x->body_len, JSON_REJECT_DUPLICATES, &je);
	if ((st = api_priv_body(x, b, zones, &n, &trim)) != 0)
		goto out;
	if (api_priv_write(x, zones, n, trim) != 0) {
		st = api_db_failed(x);
		goto out;
	}
	j = api_privacy_json(x, &bad);
	if (j == NULL) {
		st = bad ? api_error(x->rs, 500, "internal", NULL,
		                     "out of memory")
		         : api_db_failed(x);
		goto out;
	}
	api_set(&bad, j, "recompute",
	        json_pack("{s:b,s:n}", "queued", 1, "from"));
	st = api_send_json(x->rs, 200, j);
	j = NULL;
out:
	json_decref(b);
	json_decref(j);
	return st;
}
