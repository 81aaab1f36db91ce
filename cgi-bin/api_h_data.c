/* api_h_data.c: the Data page's routes: sources (connection, runs, budget, timer), Sync now, uploads into the spool */
#include <errno.h>    /* errno */
#include <fcntl.h>    /* open, O_* */
#include <stdio.h>    /* snprintf, sscanf */
#include <string.h>   /* strlen, strrchr, strncmp */
#include <sys/stat.h> /* mkdir */
#include <time.h>     /* time */
#include <unistd.h>   /* write, fsync, close, unlink */

#include "api.h"
#include "api_auth.h"
#include "api_sql.h"
#include "cfg.h"
#include "db.h"
#include "log.h"

#define API_SPOOL_DEFAULT "/var/spool/cairn"
#define API_UPLOAD_MB_DEFAULT 200
#define API_CHUNK 65536

/* The file kinds an upload may be, by the end of its name. */
static const char *const api_upload_exts[] = {
    ".fit.gz", ".gpx.gz", ".tcx.gz", ".fit", ".gpx", ".tcx", ".zip", NULL};

/* Epoch seconds t as "YYYY-MM-DDTHH:MM:SSZ". */
static json_t *
api_iso(long long t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		return json_null();
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

/* Column c as a JSON integer. */
static json_t *
api_int_col(const struct db_res *r, unsigned c)
{
	return json_integer((json_int_t)db_i64(r, c));
}

/* The counts of a run's summary line ("...: 3 listed, 2 new, ..." of
 * cairn-extract, "imported 2, merged 0, ..." of cairn-import) into o. */
static void
api_run_counts(int *bad, json_t *o, const char *program, const char *sum)
{
	long a = 0, b = 0, c = 0, d = 0, e = 0, f = 0;

	if (sum == NULL)
		return;
	if (strcmp(program, "cairn-extract") == 0) {
		const char *p = strchr(sum, ':');

		if (p != NULL &&
		    sscanf(p + 1,
		           " %ld listed, %ld new, %ld changed, %ld unchanged, "
		           "%ld deleted, %ld skipped",
		           &a, &b, &c, &d, &e, &f) == 6) {
			api_set(bad, o, "listed", json_integer(a));
			api_set(bad, o, "added", json_integer(b));
			api_set(bad, o, "changed", json_integer(c));
			api_set(bad, o, "deleted", json_integer(e));
			api_set(bad, o, "skipped", json_integer(f));
		}
	} else if (sscanf(sum,
	                  "imported %ld, merged %ld, duplicate %ld, "
	                  "failed %ld",
	                  &a, &b, &c, &d) == 4) {
		api_set(bad, o, "added", json_integer(a));
		api_set(bad, o, "merged", json_integer(b));
		api_set(bad, o, "skipped", json_integer(c));
		api_set(bad, o, "failed", json_integer(d));
	}
}

/* One etl_run row (id, started, finished, status, summary) as JSON. */
static json_t *
api_run_json(int *bad, const struct db_res *r, const char *program)
{
	json_t *o = json_pack(
	    "{s:o,s:o,s:o,s:o,s:o}", "id", api_int_col(r, 0), "started_at",
	    api_str(db_str(r, 1)), "finished_at", api_str(db_str(r, 2)),
	    "status", api_str(db_str(r, 3)), "summary", api_str(db_str(r, 4)));

	if (o != NULL)
		api_run_counts(bad, o, program, db_str(r, 4));
	return o;
}

/* One sync_request row (SYNC_COLS) as JSON. */
static json_t *
api_sync_json(const struct db_res *r)
{
	return json_pack(
	    "{s:o,s:o,s:o,s:o,s:o,s:o}", "id", api_int_col(r, 0), "status",
	    api_str(db_str(r, 1)), "requested_at", api_str(db_str(r, 2)),
	    "started_at", api_str(db_str(r, 3)), "finished_at",
	    api_str(db_str(r, 4)), "message", api_str(db_str(r, 5)));
}

/* One upload row (UPLOAD_COLS) as JSON. */
static json_t *
api_upload_json(const struct db_res *r)
{
	return json_pack(
	    "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
	    api_int_col(r, 0), "name", api_str(db_str(r, 1)), "bytes",
	    api_int_col(r, 2), "status", api_str(db_str(r, 3)), "created_at",
	    api_str(db_str(r, 4)), "started_at", api_str(db_str(r, 5)),
	    "finished_at", api_str(db_str(r, 6)), "added", api_int_col(r, 7),
	    "merged", api_int_col(r, 8), "skipped", api_int_col(r, 9), "failed",
	    api_int_col(r, 10), "message", api_str(db_str(r, 11)));
}

/*
 * Run statement `id` with the athlete (after *id2 when id2 is not NULL) and
 * turn each row into JSON with `fn` (or api_run_json of `program`): an
 * array, or with `one` the first row or null. NULL when the database failed.
 */
static json_t *
api_rows(struct api_ctx *x, int id, const long long *id2, int one,
         json_t *(*fn)(const struct db_res *), const char *program)
{
	struct db_param p[] = {DB_I64(id2 != NULL ? *id2 : x->athlete_id),
	                       DB_I64(x->athlete_id)};
	json_t *out = one ? NULL : json_array(), *v;
	struct db_res r;
	int f;

	if (db_query(x->db, id, p, id2 != NULL ? 2 : 1, &r) != 0) {
		json_decref(out);
		return NULL;
	}
	while ((f = db_fetch(&r)) == 1) {
		v = fn != NULL ? fn(&r)
		               : api_run_json(&x->rs->failed, &r, program);
		if (one) {
			out = v;
			break;
		}
		api_append(&x->rs->failed, out, v);
	}
	db_res_free(&r);
	if (f < 0) {
		json_decref(out);
		return NULL;
	}
	return out != NULL ? out : json_null();
}

/* The shared Strava budget (cairn_app.rate_budget) as used now. */
static json_t *
api_budget(struct api_ctx *x, int *dbfail)
{
	long win = 900;
	char err[128];
	struct db_res r;
	json_t *o = json_null();
	long long now = (long long)time(NULL);
	int f;

	if (cfg_get_long(x->w->cfg, "rate_window_seconds", 900, 1, 86400, &win,
	                 err, sizeof(err)) != 0)
		win = 900;
	if (db_query(x->db, API_Q_SRC_BUDGET, NULL, 0, &r) != 0) {
		*dbfail = 1;
		return NULL;
	}
	f = db_fetch(&r);
	if (f == 1) {
		/* a window or day that has ended counts as unused */
		long long ws = db_i64(&r, 0), ds = db_i64(&r, 1);
		long long su = now >= ws + win ? 0 : db_i64(&r, 2);
		long long du = now >= ds + 86400 ? 0 : db_i64(&r, 4);
		long long sl = db_i64(&r, 3), dl = db_i64(&r, 5);
		long long wend = (now / win + 1) * win;
		long long dend = (now / 86400 + 1) * 86400;

		json_decref(o);
		o = json_pack("{s:{s:I,s:I,s:I,s:I,s:o},s:{s:I,s:I,s:I,s:o}}",
		              "window", "seconds", (json_int_t)win, "used",
		              (json_int_t)su, "limit", (json_int_t)sl, "left",
		              (json_int_t)(sl > su ? sl - su : 0), "resets_at",
		              api_iso(wend), "day", "used", (json_int_t)du,
		              "limit", (json_int_t)dl, "left",
		              (json_int_t)(dl > du ? dl - du : 0), "resets_at",
		              api_iso(dend));
	}
	db_res_free(&r);
	if (f < 0) {
		json_decref(o);
		*dbfail = 1;
		return NULL;
	}
	return o;
}

/* The sync timer's next run from sync_interval_minutes (the timer's
 * OnCalendar period, 0: no timer) and sync_delay_minutes (its
 * RandomizedDelaySec): the window [after, before] in epoch seconds. */
static json_t *
api_timer(struct api_ctx *x)
{
	long every = 60, delay = 20;
	char err[128];
	long long now = (long long)time(NULL), next;

	if (cfg_get_long(x->w->cfg, "sync_interval_minutes", 60, 0, 10080,
	                 &every, err, sizeof(err)) != 0 ||
	    cfg_get_long(x->w->cfg, "sync_delay_minutes", 20, 0, 1440, &delay,
	                 err, sizeof(err)) != 0)
		log_warn("%s", err);
	if (every <= 0)
		return json_pack("{s:I,s:n,s:n}", "interval_minutes",
		                 (json_int_t)0, "next_after", "next_before");
	next = (now / (every * 60) + 1) * (every * 60);
	return json_pack("{s:I,s:o,s:o}", "interval_minutes", (json_int_t)every,
	                 "next_after", api_iso(next), "next_before",
	                 api_iso(next + delay * 60));
}

/* The Strava connection: connected, scopes, state, last sync, request. */
static json_t *
api_strava(struct api_ctx *x, const json_t *budget, int *dbfail)
{
	struct db_param p[] = {DB_I64(x->athlete_id)};
	struct db_res r;
	json_t *o = NULL, *scopes = json_array(), *last, *req;
	const char *state;
	int f, connected = 0, *bad = &x->rs->failed;
	char scope[256], auth[16] = "none", *tok, *save = NULL;

	scope[0] = '\0';
	if (db_query(x->db, API_Q_SRC_STRAVA, p, 1, &r) != 0)
		goto dbfail;
	o = json_object();
	f = db_fetch(&r);
	if (f == 1) {
		if (db_str(&r, 0) != NULL)
			snprintf(auth, sizeof(auth), "%s", db_str(&r, 0));
		connected = db_i64(&r, 1) != 0 && strcmp(auth, "revoked") != 0;
		snprintf(scope, sizeof(scope), "%s",
		         db_str(&r, 2) != NULL ? db_str(&r, 2) : "");
		api_set(bad, o, "last_success_at", api_str(db_str(&r, 3)));
		api_set(bad, o, "last_result", api_str(db_str(&r, 4)));
	} else {
		api_set(bad, o, "last_success_at", json_null());
		api_set(bad, o, "last_result", json_null());
	}
	db_res_free(&r);
	if (f < 0)
		goto dbfail;
	for (tok = strtok_r(scope, ", ", &save); tok != NULL && connected;
	     tok = strtok_r(NULL, ", ", &save))
		api_append(bad, scopes, json_string(tok));
	if (!connected)
		state = "not_connected";
	else if (strcmp(auth, "reauth") == 0)
		state = "needs_reauth";
	else if (json_is_object(budget) &&
	         (json_integer_value(json_object_get(
	              json_object_get(budget, "day"), "left")) == 0 ||
	          json_integer_value(json_object_get(
	              json_object_get(budget, "window"), "left")) == 0))
		state = "rate_limited";
	else
		state = "ok";
	api_set(bad, o, "connected", json_boolean(connected));
	api_set(bad, o, "auth_state", json_string(auth));
	api_set(bad, o, "state", json_string(state));
	api_set(bad, o, "scopes", scopes);
	scopes = NULL;
	last = api_rows(x, API_Q_SRC_LAST_SYNC, NULL, 1, NULL, "cairn-extract");
	req = last != NULL ? api_rows(x, API_Q_SYNC_REQ_LAST, NULL, 1,
	                              api_sync_json, NULL)
	                   : NULL;
	if (last == NULL || req == NULL) {
		json_decref(last);
		goto dbfail;
	}
	api_set(bad, o, "last_sync", last);
	api_set(bad, o, "sync_request", req);
	return o;
dbfail:
	json_decref(scopes);
	json_decref(o);
	*dbfail = 1;
	return NULL;
}

int
api_h_sources(struct api_ctx *x)
{
	json_t *budget = NULL, *strava = NULL, *uploads = NULL, *imports = NULL;
	int dbfail = 0, st = 500;

	x->rs->no_store = 1;
	budget = api_budget(x, &dbfail);
	if (!dbfail)
		strava = api_strava(x, budget, &dbfail);
	if (!dbfail && (uploads = api_rows(x, API_Q_UPLOAD_LIST, NULL, 0,
	                                   api_upload_json, NULL)) == NULL)
		dbfail = 1;
	if (!dbfail && (imports = api_rows(x, API_Q_SRC_IMPORTS, NULL, 0, NULL,
	                                   "cairn-import")) == NULL)
		dbfail = 1;
	if (dbfail) {
		st = api_db_failed(x);
		goto out;
	}
	st = api_send_json(
	    x->rs, 200,
	    json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "athlete_id",
	              (json_int_t)x->athlete_id, "strava", strava, "uploads",
	              uploads, "imports", imports, "budget", budget, "timer",
	              api_timer(x), "now", api_iso((long long)time(NULL))));
	strava = uploads = imports = budget = NULL;
out:
	json_decref(budget);
	json_decref(strava);
	json_decref(uploads);
	json_decref(imports);
	return st;
}

/* spool_dir, and its tmp/ and new/ made when missing: 0, or -1. */
static int
api_spool_dirs(struct api_ctx *x, const char **dir)
{
	char p[1024];
	const char *sub[] = {"", "/tmp", "/new"};
	size_t i;

	*dir = cfg_get(x->w->cfg, "spool_dir", API_SPOOL_DEFAULT);
	for (i = 0; i < 3; i++) {
		if (snprintf(p, sizeof(p), "%s%s", *dir, sub[i]) >=
		        (int)sizeof(p) ||
		    (mkdir(p, 0700) != 0 && errno != EEXIST)) {
			log_err("cannot make the spool folder %s: %s", p,
			        strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* A marker new/sync-<id> that wakes the spool runner (cairn-spool.path). */
static int
api_sync_marker(struct api_ctx *x, long long id)
{
	const char *dir;
	char p[1100];
	int fd;

	if (api_spool_dirs(x, &dir) != 0)
		return -1;
	snprintf(p, sizeof(p), "%s/new/sync-%lld", dir, id);
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		log_err("cannot write %s: %s", p, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int
api_h_sync(struct api_ctx *x)
{
	struct db_param p[] = {DB_I64(x->athlete_id), DB_I64(x->athlete_id)};
	const char *ct = x->rq->content_type;
	json_t *req = NULL;
	long long added;
	int st = 500;

	x->rs->no_store = 1;
	/* a page of another site cannot send this without CORS's consent */
	if (ct == NULL || strncmp(ct, "application/json", 16) != 0)
		return api_error(x->rs, 415, "unsupported_media_type", NULL,
		                 "send the body as application/json ({})");
	added = db_exec(x->db, API_Q_SYNC_REQ_PUT, p, 2);
	if (added < 0)
		return api_db_failed(x);
	req = api_rows(x, API_Q_SYNC_REQ_OPEN, NULL, 1, api_sync_json, NULL);
	if (req == NULL)
		return api_db_failed(x);
	if (!json_is_object(req)) {
		/* ended between the insert and the read: ask again */
		json_decref(req);
		return api_error(x->rs, 409, "sync_just_ended", NULL,
		                 "the sync request just ended: send it again");
	}
	if (api_sync_marker(
	        x, json_integer_value(json_object_get(req, "id"))) != 0) {
		st = api_error(x->rs, 500, "spool_unavailable", NULL,
		               "cannot queue the sync: the spool folder "
		               "(spool_dir) cannot be written");
		goto out;
	}
	st = api_send_json(
	    x->rs, added > 0 ? 202 : 200,
	    json_pack("{s:b,s:O}", "queued", added > 0, "sync", req));
out:
	json_decref(req);
	return st;
}

/* The kind of upload `name` is (its extension), or NULL. */
static const char *
api_upload_ext(const char *name)
{
	size_t n = strlen(name), k, i;
	char low[8];

	for (i = 0; api_upload_exts[i] != NULL; i++) {
		k = strlen(api_upload_exts[i]);
		if (n <= k)
			continue;
		for (size_t j = 0; j < k; j++) {
			char c = name[n - k + j];

			low[j] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		if (memcmp(low, api_upload_exts[i], k) == 0)
			return api_upload_exts[i];
	}
	return NULL;
}

/*
 * Check the client's file name: no NUL or control character, no `..`
 * segment; its base name (after the last / or \) is the label. 0 with
 * *label, or the status of the error answer.
 */
static int
api_upload_name(struct api_ctx *x, const char *name, const char **label)
{
	const char *s, *base = name;

	for (s = name; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return api_error(x->rs, 400, "invalid_parameter",
			                 "name",
			                 "name must not hold control "
			                 "characters");
		if (*s == '/' || *s == '\\')
			base = s + 1;
		if (s[0] == '.' && s[1] == '.' &&
		    (s == name || s[-1] == '/' || s[-1] == '\\') &&
		    (s[2] == '\0' || s[2] == '/' || s[2] == '\\'))
			return api_error(x->rs, 400, "invalid_parameter",
			                 "name",
			                 "name must be a file's name, not a "
			                 "path with ..");
	}
	if (*base == '\0' || strcmp(base, ".") == 0)
		return api_error(x->rs, 400, "invalid_parameter", "name",
		                 "name must be a file's name");
	*label = base;
	return 0;
}

/* Write the body (n bytes) to fd: 0, -1 on a write error, -2 when the
 * body ended early. */
static int
api_upload_copy(struct api_ctx *x, int fd, long long n)
{
	const struct api_http_req *rq = x->rq;
	char buf[API_CHUNK];
	long long done = 0;

	if (rq->body != NULL && (long long)rq->body_len == n && n > 0)
		return write(fd, rq->body, rq->body_len) == (ssize_t)n ? 0 : -1;
	if (rq->read == NULL || rq->body_too_large == 0)
		return -2;
	while (done < n) {
		int want = n - done > API_CHUNK ? API_CHUNK : (int)(n - done);
		int got = rq->read(rq->in, buf, want), o = 0;

		if (got <= 0)
			return -2;
		while (o < got) {
			ssize_t w = write(fd, buf + o, (size_t)(got - o));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			o += (int)w;
		}
		done += got;
	}
	return 0;
}

/* The upload's row after it was spooled, as the answer (status 202). */
static int
api_upload_answer(struct api_ctx *x, long long id, int status)
{
	json_t *u =
	    api_rows(x, API_Q_UPLOAD_ONE, &id, 1, api_upload_json, NULL);

	if (u == NULL)
		return api_db_failed(x);
	if (!json_is_object(u)) {
		json_decref(u);
		return api_error(x->rs, 404, "no_upload", "id",
		                 "no such upload");
	}
	return api_send_json(x->rs, status, json_pack("{s:o}", "upload", u));
}

int
api_h_upload(struct api_ctx *x)
{
	const struct api_http_req *rq = x->rq;
	const char *ct = rq->content_type, *label = NULL, *ext, *dir;
	char tmp[1100], dst[1100], rnd[33], stored[64], err[128];
	long long n = rq->content_length, id = 0;
	long cap_mb = API_UPLOAD_MB_DEFAULT;
	int fd = -1, st = 0, rc;

	/* st 0 at out: the spool could not be written (a 500) */
	x->rs->no_store = 1;
	tmp[0] = '\0';
	if ((st = api_upload_name(x, x->p[P_UPLOAD_NAME].s, &label)) != 0)
		goto out;
	if ((ext = api_upload_ext(label)) == NULL) {
		st =
		    api_error(x->rs, 400, "invalid_parameter", "name",
		              "name must end in .fit, .gpx or .tcx (each maybe "
		              ".gz) or .zip (a Strava export)");
		goto out;
	}
	/* a page of another site cannot send this without CORS's consent */
	if (ct == NULL || strncmp(ct, "application/octet-stream", 24) != 0) {
		st = api_error(x->rs, 415, "unsupported_media_type", NULL,
		               "send the file as application/octet-stream");
		goto out;
	}
	if (cfg_get_long(x->w->cfg, "upload_max_mb", API_UPLOAD_MB_DEFAULT, 1,
	                 1048576, &cap_mb, err, sizeof(err)) != 0)
		cap_mb = API_UPLOAD_MB_DEFAULT;
	if (n > (long long)cap_mb * 1048576) {
		st = api_error(x->rs, 413, "body_too_large", NULL,
		               "the file is larger than upload_max_mb (%ld MB)",
		               cap_mb);
		goto out;
	}
	if (n <= 0) {
		st = api_error(x->rs, 400, "empty_file", NULL,
		               "the file is empty");
		goto out;
	}
	if (api_spool_dirs(x, &dir) != 0 ||
	    api_random_hex(rnd, sizeof(rnd), 16) != 0)
		goto out;
	snprintf(tmp, sizeof(tmp), "%s/tmp/%s.part", dir, rnd);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	          0600);
	if (fd < 0) {
		log_err("cannot create %s: %s", tmp, strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	rc = api_upload_copy(x, fd, n);
	if (rc == -2) {
		st = api_error(x->rs, 400, "upload_incomplete", NULL,
		               "the file ended before its Content-Length");
		goto out;
	}
	if (rc != 0 || fsync(fd) != 0) {
		log_err("cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	{
		struct db_param p[] = {DB_I64(x->athlete_id), DB_STR(label),
		                       DB_I64(n)};

		if (db_exec(x->db, API_Q_UPLOAD_PUT, p, 3) != 1 ||
		    (id = db_insert_id(x->db, API_Q_UPLOAD_PUT)) <= 0) {
			st = api_db_failed(x);
			goto out;
		}
	}
	/* the file appears whole under its final name, or not at all */
	snprintf(stored, sizeof(stored), "upload-%lld%s", id, ext);
	snprintf(dst, sizeof(dst), "%s/new/%s", dir, stored);
	if (rename(tmp, dst) != 0) {
		struct db_param p[] = {
		    DB_STR("cannot store the file in the spool"), DB_I64(id)};

		log_err("cannot rename %s to %s: %s", tmp, dst,
		        strerror(errno));
		if (db_exec(x->db, API_Q_UPLOAD_FAIL, p, 2) < 0)
			log_err("cannot mark upload %lld failed: %s", id,
			        x->db->err);
		goto out;
	}
	tmp[0] = '\0';
	{
		const char *sp = stored;
		struct db_param p[] = {DB_STR(sp), DB_I64(id)};

		if (db_exec(x->db, API_Q_UPLOAD_STORED, p, 2) < 0)
			log_warn("cannot record upload %lld's file name: %s",
			         id, x->db->err);
	}
	log_info("upload %lld: %lld bytes spooled as %s", id, n, stored);
	st = api_upload_answer(x, id, 202);
out:
	if (st == 0)
		st = api_error(x->rs, 500, "spool_unavailable", NULL,
		               "cannot store the file: the spool folder "
		               "(spool_dir) cannot be written");
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0' && unlink(tmp) != 0)
		log_err("cannot remove %s: %s", tmp, strerror(errno));
	return st;
}

int
api_h_upload_get(struct api_ctx *x)
{
	x->rs->no_store = 1;
	return api_upload_answer(x, x->p[P_UPLOAD_ID].i, 200);
}
