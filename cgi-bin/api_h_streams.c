/* api_h_streams.c: an activity's streams downsampled with LTTB, and the heatmap's routes */
#include <math.h>   /* isfinite */
#include <stdlib.h> /* malloc, free */
#include <string.h> /* strcmp */

#include "api.h"
#include "api_sql.h"
#include "db.h"
#include "lttb.h"
#include "spk.h"

/* Channels tried, in order, as the one LTTB keeps the shape of. */
static const char *const api_main_order[] = {
    "watts", "heartrate", "velocity_smooth", "altitude", "cadence", "distance",
    "lat",   NULL};

static int
api_decimals(const char *key)
{
	if (strcmp(key, "velocity_smooth") == 0 || strcmp(key, "gap") == 0)
		return 3;
	if (strcmp(key, "distance") == 0 || strcmp(key, "altitude") == 0 ||
	    strcmp(key, "temp") == 0 || strcmp(key, "grade_smooth") == 0)
		return 1;
	return 0;
}

/* The chosen points of one channel as a JSON array (NaN as null); *bad
 * set when a point could not be added. */
static json_t *
api_series(const float *v, const size_t *idx, size_t m, int decimals, int *bad)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < m; i++)
		api_append(bad, a, api_numr(v[idx[i]], decimals));
	return a;
}

static int
api_streams_build(struct api_ctx *x, long long id, const struct spk *s)
{
	const struct api_val *kv = &x->p[P_KEYS];
	size_t n = s->n, m, i, target = (size_t)x->p[P_POINTS].i;
	const float *t = spk_channel(s, "time"), *y = NULL;
	const char *main = NULL;
	double *xs = NULL, *ys = NULL;
	size_t *idx = NULL;
	json_t *streams = NULL, *keys = NULL, *j;
	int k, st = 500, *bad = &x->rs->failed;

	for (k = 0; api_main_order[k] != NULL && y == NULL; k++)
		if ((y = spk_channel(s, api_main_order[k])) != NULL)
			main = api_main_order[k];
	xs = malloc((n ? n : 1) * sizeof(*xs));
	ys = malloc((n ? n : 1) * sizeof(*ys));
	idx = malloc((n ? n : 1) * sizeof(*idx));
	if (xs == NULL || ys == NULL || idx == NULL) {
		st = api_error(x->rs, 500, "internal", NULL, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		xs[i] = (double)i;
		ys[i] = y != NULL ? (double)y[i] : 0.0;
	}
	if (t != NULL) {
		int mono = 1;

		for (i = 0; i < n && mono; i++)
			mono = isfinite(t[i]) && (i == 0 || t[i] >= t[i - 1]);
		for (i = 0; mono && i < n; i++)
			xs[i] = (double)t[i];
	}
	m = lttb_select(xs, ys, n, target, idx);
	streams = json_object();
	keys = json_array();
	for (k = 0; api_stream_keys[k] != NULL; k++) {
		const char *key = api_stream_keys[k];

		if (kv->present && !(kv->keys & (1u << k)))
			continue;
		if (strcmp(key, "latlng") == 0) {
			const float *la = spk_channel(s, "lat");
			const float *lo = spk_channel(s, "lng");
			json_t *a;

			if (la == NULL || lo == NULL)
				continue;
			a = json_array();
			for (i = 0; i < m; i++) {
				float p = la[idx[i]], q = lo[idx[i]];

				api_append(bad, a,
				           isfinite(p) && isfinite(q)
				               ? json_pack("[o,o]",
				                           api_numr(p, 6),
				                           api_numr(q, 6))
				               : json_null());
			}
			api_set(bad, streams, key, a);
		} else {
			const float *v = spk_channel(s, key);

			if (v == NULL)
				continue;
			api_set(bad, streams, key,
			        api_series(v, idx, m, api_decimals(key), bad));
		}
		api_append(bad, keys, json_string(key));
	}
	j = json_object();
	api_set(bad, j, "activity_id", json_integer(id));
	api_set(bad, j, "points", json_integer((json_int_t)n));
	api_set(bad, j, "returned", json_integer((json_int_t)m));
	api_set(bad, j, "main", api_str(main));
	api_set(bad, j, "keys", keys);
	api_set(bad, j, "streams", streams);
	keys = streams = NULL;
	st = api_send_json(x->rs, 200, j);
out:
	json_decref(keys);
	json_decref(streams);
	free(xs);
	free(ys);
	free(idx);
	return st;
}

int
api_h_streams(struct api_ctx *x)
{
	long long id = x->p[P_ID].i;
	struct db_param p[] = {DB_I64(id), DB_I64(x->athlete_id)};
	struct db_res r;
	struct spk s;
	const void *blob;
	size_t len;
	int rc, found = 0, st;

	memset(&s, 0, sizeof(s));
	if (db_query(x->db, API_Q_ACT_STREAM, p, 2, &r) != 0)
		return api_db_failed(x);
	if ((rc = db_fetch(&r)) == 1) {
		found = 1;
		blob = db_blob(&r, 2, &len);
		if (blob != NULL && spk_unpack(blob, len, &s) == 0)
			found = 2;
	}
	db_res_free(&r);
	if (rc < 0)
		return api_db_failed(x);
	if (found == 0)
		return api_error(x->rs, 404, "not_found", "id",
		                 "no activity %lld", id);
	if (found == 1)
		return api_error(x->rs, 404, "no_streams", "id",
		                 "activity %lld has no streams", id);
	st = api_streams_build(x, id, &s);
	spk_free(&s);
	return st;
}

int
api_h_heatmap(struct api_ctx *x)
{
	const char *sport = api_sport(x);
	char from[32], to[32];
	struct db_res r;
	json_t *routes = json_array();
	int rc, *bad = &x->rs->failed;

	api_range(x, from, to);
	{
		struct db_param p[] = {DB_I64(x->athlete_id), api_s(sport),
		                       api_s(sport), api_s(from), api_s(to)};

		if (db_query(x->db, API_Q_HEATMAP, p, 5, &r) != 0) {
			json_decref(routes);
			return api_db_failed(x);
		}
	}
	while ((rc = db_fetch(&r)) == 1)
		api_append(bad, routes,
		           json_pack("{s:I,s:o,s:o,s:o}", "id",
		                     (json_int_t)db_i64(&r, 0), "sport_group",
		                     api_str(db_str(&r, 1)), "date",
		                     api_str(db_str(&r, 2)), "polyline",
		                     api_str(db_str(&r, 3))));
	db_res_free(&r);
	if (rc < 0) {
		json_decref(routes);
		return api_db_failed(x);
	}
	return api_send_json(
	    x->rs, 200,
	    json_pack("{s:s,s:o}", "sport", sport, "routes", routes));
}
