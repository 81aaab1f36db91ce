/* api_h_archive.c: everything Cairn holds about the athlete as one ZIP, streamed to the client as it is built */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* free */
#include <string.h> /* strlen, memset */
#include <time.h>   /* time */

#include "api.h"
#include "api_sql.h"
#include "api_zip.h"
#include "db.h"

/* Bytes of archive kept before they go to nginx (api_resp_flush). */
#define API_ARCH_FLUSH (256 * 1024)

/* The archive's state: the writer, one file at a time, what went in. */
struct api_arch {
	struct api_ctx *x;
	struct api_zip zw;
	struct api_resp tmp; /* a GPX or the CSV before it is deflated */
	size_t acts, gpx, raw, streams;
	int dbfail; /* a statement failed (x->db->err) */
};

/* api_zip_out_fn: archive bytes into the answer, sent in parts. */
static int
api_arch_out(void *arg, const void *p, size_t n)
{
	struct api_resp *rs = arg;

	if (api_resp_append(rs, p, n) != 0)
		return -1;
	if (rs->len >= API_ARCH_FLUSH && api_resp_flush(rs) != 0)
		return -1;
	return 0;
}

/* j (stolen) as an indented JSON file. 0, or -1. */
static int
api_arch_json(struct api_arch *a, const char *name, json_t *j)
{
	char *s = j != NULL ? json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS |
	                                        JSON_REAL_PRECISION(10))
	                    : NULL;
	int rc = -1;

	if (s != NULL && api_zip_file(&a->zw, name, s, strlen(s)) == 0)
		rc = 0;
	free(s);
	json_decref(j);
	return rc;
}

/* A database column holding JSON text as a value (null when NULL or not
 * JSON). */
static json_t *
api_arch_parse(const char *s)
{
	json_t *v = s != NULL ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;

	return v != NULL ? v : json_null();
}

/* athlete.json: the profile as stored. */
static int
api_arch_athlete(struct api_arch *a)
{
	static const char *const keys[] = {"id",       "username", "firstname",
	                                   "lastname", "sex",      "city",
	                                   "country"};
	struct db_param p[] = {DB_I64(a->x->athlete_id)};
	struct db_res r;
	json_t *j = json_object();
	int f, k, bad = 0;

	if (db_query(a->x->db, API_Q_ARCH_ATHLETE, p, 1, &r) != 0) {
		a->dbfail = 1;
		json_decref(j);
		return -1;
	}
	if ((f = db_fetch(&r)) == 1) {
		api_set(&bad, j, keys[0], json_integer(db_i64(&r, 0)));
		for (k = 1; k < 7; k++)
			api_set(&bad, j, keys[k], api_str(db_str(&r, k)));
	}
	db_res_free(&r);
	if (f < 0)
		a->dbfail = 1;
	if (f < 0 || bad) {
		json_decref(j);
		return -1;
	}
	return api_arch_json(a, "athlete.json", j);
}

/* activities.csv: every activity, the list's columns. */
static int
api_arch_csv(struct api_arch *a)
{
	if (api_activities_csv_to(a->x, &a->tmp, &a->acts) != 0) {
		a->dbfail = a->x->db->err[0] != '\0';
		return -1;
	}
	return api_zip_file(&a->zw, "activities.csv", a->tmp.body, a->tmp.len);
}

/* gpx/<id>.gpx of every activity with positions (privacy-filtered). */
static int
api_arch_gpx(struct api_arch *a)
{
	long long after = 0;
	size_t got;

	do {
		struct db_param p[] = {DB_I64(a->x->athlete_id), DB_I64(after)};
		struct db_res r;
		long long ids[500];
		size_t i;
		int f;

		got = 0;
		if (db_query(a->x->db, API_Q_ARCH_ACTS, p, 2, &r) != 0)
			goto dbfail;
		while ((f = db_fetch(&r)) == 1 && got < 500)
			ids[got++] = db_i64(&r, 0);
		db_res_free(&r);
		if (f < 0)
			goto dbfail;
		for (i = 0; i < got; i++) {
			char name[64];
			int w = api_export_gpx_to(a->x, ids[i], &a->tmp);

			if (w < 0)
				goto dbfail;
			after = ids[i];
			if (w == 0)
				continue;
			snprintf(name, sizeof(name), "gpx/%lld.gpx", ids[i]);
			if (api_zip_file(&a->zw, name, a->tmp.body,
			                 a->tmp.len) != 0)
				return -1;
			a->gpx++;
		}
	} while (got == 500);
	return 0;
dbfail:
	a->dbfail = 1;
	return -1;
}

/* raw/<id>/summary.json, detail.json, streams.json: the records as
 * fetched from Strava or built by the importer, unfiltered. */
static int
api_arch_raw(struct api_arch *a)
{
	long long after = 0;
	int f;

	for (;;) {
		struct db_param p[] = {DB_I64(a->x->athlete_id), DB_I64(after)};
		struct db_res r;
		char name[96];
		const char *s;
		long long id;
		int rc = 0;

		if (db_query(a->x->db, API_Q_ARCH_RAW, p, 2, &r) != 0)
			goto dbfail;
		if ((f = db_fetch(&r)) != 1) {
			db_res_free(&r);
			break;
		}
		id = db_i64(&r, 0);
		after = id;
		if ((s = db_str(&r, 1)) != NULL) {
			snprintf(name, sizeof(name), "raw/%lld/summary.json",
			         id);
			rc |= api_zip_file(&a->zw, name, s, strlen(s));
		}
		if ((s = db_str(&r, 2)) != NULL) {
			snprintf(name, sizeof(name), "raw/%lld/detail.json",
			         id);
			rc |= api_zip_file(&a->zw, name, s, strlen(s));
		}
		db_res_free(&r);
		if (rc != 0)
			return -1;
		a->raw++;
		p[1] = DB_I64(id);
		if (db_query(a->x->db, API_Q_ARCH_RAW_STREAM, p, 2, &r) != 0)
			goto dbfail;
		if ((f = db_fetch(&r)) == 1 && (s = db_str(&r, 0)) != NULL) {
			snprintf(name, sizeof(name), "raw/%lld/streams.json",
			         id);
			rc = api_zip_file(&a->zw, name, s, strlen(s));
			a->streams++;
		}
		db_res_free(&r);
		if (f < 0)
			goto dbfail;
		if (rc != 0)
			return -1;
	}
	if (f < 0)
		goto dbfail;
	return 0;
dbfail:
	a->dbfail = 1;
	return -1;
}

/* settings.json: every user setting row, its history included. */
static int
api_arch_settings(struct api_arch *a)
{
	struct db_param p[] = {DB_I64(a->x->athlete_id)};
	struct db_res r;
	json_t *list = json_array();
	int f, bad = 0;

	if (db_query(a->x->db, API_Q_ARCH_SETTINGS, p, 1, &r) != 0) {
		json_decref(list);
		a->dbfail = 1;
		return -1;
	}
	while ((f = db_fetch(&r)) == 1)
		api_append(&bad, list,
		           json_pack("{s:o,s:o,s:o,s:o,s:o}", "name",
		                     api_str(db_str(&r, 0)), "value",
		                     api_str(db_str(&r, 1)), "effective_from",
		                     api_str(db_str(&r, 2)), "source",
		                     api_str(db_str(&r, 3)), "set_at",
		                     api_str(db_str(&r, 4))));
	db_res_free(&r);
	if (f < 0 || bad) {
		a->dbfail = f < 0;
		json_decref(list);
		return -1;
	}
	return api_arch_json(a, "settings.json",
	                     json_pack("{s:o}", "settings", list));
}

/* privacy.json: the zones and the trim. */
static int
api_arch_privacy(struct api_arch *a)
{
	int bad = 0;
	json_t *j = api_privacy_json(a->x, &bad);

	if (j == NULL) {
		a->dbfail = !bad;
		return -1;
	}
	json_object_del(j, "limits");
	return api_arch_json(a, "privacy.json", j);
}

/* models.json: the athlete model of every day, both sports. */
static int
api_arch_models(struct api_arch *a)
{
	static const char *const nums[] = {"cp", "w_prime", "pmax",    "eftp",
	                                   "r2", "cs",      "d_prime", "vdot"};
	struct db_param p[] = {DB_I64(a->x->athlete_id)};
	struct db_res r;
	json_t *list = json_array();
	int f, k, bad = 0;

	if (db_query(a->x->db, API_Q_ARCH_MODELS, p, 1, &r) != 0) {
		json_decref(list);
		a->dbfail = 1;
		return -1;
	}
	while ((f = db_fetch(&r)) == 1) {
		json_t *o = json_object();

		api_set(&bad, o, "sport", api_str(db_str(&r, 0)));
		api_set(&bad, o, "day", api_str(db_str(&r, 1)));
		api_set(&bad, o, "window_days", json_integer(db_i64(&r, 2)));
		for (k = 0; k < 8; k++)
			api_set(&bad, o, nums[k],
			        api_num(db_dbl(&r, 3 + (unsigned)k)));
		api_set(&bad, o, "reason", api_str(db_str(&r, 11)));
		api_set(&bad, o, "efforts", api_arch_parse(db_str(&r, 12)));
		api_set(&bad, o, "predictions", api_arch_parse(db_str(&r, 13)));
		api_append(&bad, list, o);
	}
	db_res_free(&r);
	if (f < 0 || bad) {
		a->dbfail = f < 0;
		json_decref(list);
		return -1;
	}
	return api_arch_json(a, "models.json",
	                     json_pack("{s:o}", "models", list));
}

/* README.txt: what each file is, and how many went in. */
static int
api_arch_readme(struct api_arch *a)
{
	char txt[3072];
	int n;

	n = snprintf(
	    txt, sizeof(txt),
	    "Cairn: everything it holds about athlete %lld\r\n"
	    "\r\n"
	    "athlete.json     the profile as stored (Strava's, or an "
	    "export's profile.csv)\r\n"
	    "activities.csv   every activity (%zu), the columns of the "
	    "activities list's CSV download\r\n"
	    "gpx/ID.gpx       each activity with a GPS track (%zu), GPX 1.1 "
	    "from its cleaned 1 Hz streams,\r\n"
	    "                 as GET /api/v1/activities/ID/export gives it: "
	    "positions inside your privacy\r\n"
	    "                 zones and the trimmed start and end are left "
	    "out\r\n"
	    "settings.json    every setting you made, with its effective "
	    "date (the whole history)\r\n"
	    "privacy.json     your privacy zones (centre, radius in m) and "
	    "the trim of each route's ends (m)\r\n"
	    "models.json      the athlete model of every day (CP, W', "
	    "Pmax, eFTP; CS, D', VDOT, predictions)\r\n"
	    "raw/ID/          the records of each activity (%zu) as fetched "
	    "from Strava or read from a file,\r\n"
	    "                 unchanged and NOT privacy-filtered: "
	    "summary.json, detail.json (when fetched),\r\n"
	    "                 streams.json (%zu activities have streams)\r\n"
	    "\r\n"
	    "Units: metres, seconds, m/s, watts, bpm; dates are local "
	    "days, times UTC unless named local.\r\n",
	    a->x->athlete_id, a->acts, a->gpx, a->raw, a->streams);
	if (n < 0 || (size_t)n >= sizeof(txt))
		return -1;
	return api_zip_file(&a->zw, "README.txt", txt, (size_t)n);
}

int
api_h_archive(struct api_ctx *x)
{
	struct api_arch *a = calloc(1, sizeof(*a));
	int st = 500;

	x->rs->no_store = 1;
	if (a == NULL) {
		st = api_error(x->rs, 500, "internal", NULL, "out of memory");
		goto out;
	}
	a->x = x;
	x->rs->len = 0;
	x->rs->status = 200;
	x->rs->content_type = "application/zip";
	snprintf(x->rs->extra, sizeof(x->rs->extra),
	         "Content-Disposition: attachment; "
	         "filename=\"cairn-archive-%lld.zip\"\r\n",
	         x->athlete_id);
	if (x->rq != NULL && x->rq->method == API_HEAD) {
		st = 200; /* the head only: no archive is built */
		goto out;
	}
	api_resp_reset(&a->tmp);
	api_zip_init(&a->zw, api_arch_out, x->rs, time(NULL));
	if (api_arch_athlete(a) != 0 || api_arch_csv(a) != 0 ||
	    api_arch_settings(a) != 0 || api_arch_privacy(a) != 0 ||
	    api_arch_models(a) != 0 || api_arch_gpx(a) != 0 ||
	    api_arch_raw(a) != 0 || api_arch_readme(a) != 0 ||
	    api_zip_finish(&a->zw) != 0) {
		/* before the first part: a plain error answer; after it,
		 * the FastCGI loop cuts the connection (a 500 cannot follow
		 * a 200 that has gone) */
		st = a->dbfail ? api_db_failed(x)
		               : api_error(x->rs, 500, "internal", NULL,
		                           "cannot build the archive");
		goto out;
	}
	st = 200;
out:
	if (a != NULL) {
		api_zip_free(&a->zw);
		api_resp_free(&a->tmp);
	}
	free(a);
	return st;
}
