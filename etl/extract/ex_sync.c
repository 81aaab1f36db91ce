/* ex_sync.c: the incremental (and --full) sync of one athlete's Strava data into cairn_raw */
#include "ex_sync.h"

#include <math.h>   /* isnan */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* qsort, bsearch, free, realloc */
#include <string.h> /* memcmp */
#include <time.h>   /* time */

#include "db.h"
#include "ex_api.h"
#include "ex_ctx.h"
#include "ex_map.h"
#include "ex_oauth.h"
#include "ex_rate.h"
#include "ex_sql.h"
#include "ex_store.h"
#include "log.h"

#define EX_PER_PAGE 200
#define EX_STREAM_KEYS                                                         \
	"time,distance,latlng,altitude,velocity_smooth,heartrate,cadence,"     \
	"watts,temp,moving,grade_smooth"
#define EX_GEAR_MEMO 64

/* One athlete's walk through the activity list. */
struct ex_walk {
	struct ex_ctx *x;
	long long athlete;
	char access[256];
	int full;
	int page;
	enum ex_status stop; /* EX_ST_OK while the walk may go on */
	long listed, fresh, changed, unchanged, skipped, deleted;
	/* the cursor moves at the end of a complete walk only: Strava does
	 * not promise an order for `after` queries (the local one answers
	 * newest first), so no prefix of a walk is known to be complete */
	int unknown_skip;
	long long min_skip;
	long long max_seen;
	/* --full: ids Strava listed */
	long long *seen;
	size_t nseen, capseen;
	int seen_incomplete;
	char gear[EX_GEAR_MEMO][40];
	int ngear;
	double t0;
	long req0;
};

static void
ex_progress(struct ex_walk *w, int more)
{
	struct ex_ctx *x = w->x;
	long done = w->fresh + w->changed + w->unchanged + w->skipped;
	long pending = w->listed - done, left, reqs;
	double el = ex_now() - w->t0, eta, per;
	long sent = x->requests - w->req0;

	if (!x->tty)
		return;
	reqs = pending > 0 ? pending : 0;
	left = x->rate.short_limit - x->rate.short_used;
	per = sent > 0 ? el / (double)sent : 0.1;
	if (reqs <= left || x->rate.short_limit <= 0) {
		eta = (double)reqs * per;
	} else {
		long windows = (reqs - left + x->rate.short_limit - 1) /
		               x->rate.short_limit;

		eta = (double)ex_rate_next_boundary(ex_now(), x->rate.window) -
		      ex_now() +
		      (double)(windows - 1) * (double)x->rate.window +
		      (double)x->rate.short_limit * per;
	}
	fprintf(stderr,
	        "\r\033[Kathlete %lld: %ld/%ld%s activities, requests %ld "
	        "(window %ld/%ld, day %ld/%ld), ETA %.0f s%s",
	        w->athlete, done, w->listed, more ? "+" : "", x->requests,
	        x->rate.short_used, x->rate.short_limit, x->rate.day_used,
	        x->rate.day_limit, eta, more ? "+" : "");
}

static void
ex_progress_clear(const struct ex_walk *w)
{
	if (w->x->tty)
		fprintf(stderr, "\r\033[K");
}

/* Map an API outcome that ends the walk to a status; EX_ST_OK otherwise. */
static enum ex_status
ex_stop_of(enum ex_api_res r)
{
	switch (r) {
	case EX_API_AUTH:
		return EX_ST_REAUTH;
	case EX_API_DAILY:
		return EX_ST_DAILY;
	case EX_API_RATE:
		return EX_ST_RATE;
	default:
		return EX_ST_OK;
	}
}

/*
 * GET with the athlete's token. A 401 first forces a token refresh (the
 * token may have expired early) and retries once; a second 401 or a refused
 * refresh marks the athlete for re-authorisation. A 401 for a missing scope
 * is returned as EX_API_AUTH with *scope_missing set and nothing marked.
 */
static enum ex_api_res
ex_get(struct ex_walk *w, const char *path, struct ex_resp *r,
       int *scope_missing)
{
	enum ex_api_res res;
	enum ex_tok tk;
	int tries;

	if (scope_missing != NULL)
		*scope_missing = 0;
	for (tries = 0;; tries++) {
		res = ex_api_get(w->x, path, w->access, r);
		if (res != EX_API_AUTH)
			return res;
		if (ex_map_fault_has(r->body, r->len, "missing")) {
			if (scope_missing != NULL)
				*scope_missing = 1;
			return res;
		}
		if (tries > 0)
			break;
		ex_progress_clear(w);
		log_warn("Strava answered 401; trying a token refresh");
		tk = ex_oauth_access(w->x, w->athlete, 1, w->access,
		                     sizeof(w->access));
		if (tk == EX_TOK_REAUTH)
			return EX_API_AUTH;
		if (tk != EX_TOK_OK)
			return EX_API_FAIL;
	}
	return res;
}

/* Mark re-authorisation after a second 401 (ex_oauth marks refusals). */
static void
ex_walk_reauth(struct ex_walk *w, const char *what)
{
	struct db_param p[] = {DB_STR("reauth"), DB_I64(w->athlete)};

	if (db_exec(w->x->db, EX_SQL_ATHLETE_SET_AUTH, p, 2) < 0)
		log_err("cannot mark athlete %lld for re-authorisation: %s",
		        w->athlete, w->x->db->err);
	ex_progress_clear(w);
	log_err("%s: Strava says the authorisation was revoked (401); athlete "
	        "%lld must authorise Cairn again (`cairn-extract auth`); "
	        "nothing stored was changed",
	        what, w->athlete);
	w->stop = EX_ST_REAUTH;
}

static void
ex_seen_add(struct ex_walk *w, long long id)
{
	if (!w->full)
		return;
	if (w->nseen == w->capseen) {
		size_t cap = w->capseen ? w->capseen * 2 : 1024;
		long long *nb = realloc(w->seen, cap * sizeof(*nb));

		if (nb == NULL) {
			w->seen_incomplete = 1;
			return;
		}
		w->seen = nb;
		w->capseen = cap;
	}
	w->seen[w->nseen++] = id;
}

static int
ex_cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Gear ids are short alphanumeric strings (b123, g456): nothing else. */
static int
ex_gear_id_ok(const char *id)
{
	size_t i, n = strlen(id);

	if (n == 0 || n >= 40)
		return 0;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '_'))
			return 0;
	return 1;
}

/* Fetch a piece of gear the first time it is seen. */
static void
ex_sync_gear(struct ex_walk *w, const char *id)
{
	struct ex_ctx *x = w->x;
	char path[96], err[256];
	struct ex_resp r;
	struct ex_gear g;
	enum ex_api_res res;
	int i, known;

	memset(&g, 0, sizeof(g));
	memset(&r, 0, sizeof(r));
	if (!ex_gear_id_ok(id))
		return;
	for (i = 0; i < w->ngear; i++)
		if (strcmp(w->gear[i], id) == 0)
			return;
	if (w->ngear < EX_GEAR_MEMO)
		snprintf(w->gear[w->ngear++], sizeof(w->gear[0]), "%s", id);
	known = ex_store_gear_known(x, id);
	if (known != 0) {
		if (known < 0)
			log_warn("cannot look up gear %s: %s", id, x->db->err);
		return;
	}
	snprintf(path, sizeof(path), "/gear/%s", id);
	res = ex_get(w, path, &r, NULL);
	if (res == EX_API_OK) {
		if (ex_map_gear(r.body, r.len, &g, err, sizeof(err)) != 0)
			log_warn("gear %s: %s", id, err);
		else if (ex_store_gear(x, w->athlete, &g,
		                       (struct ex_text){r.body, r.len}) != 0)
			log_warn("cannot store gear %s: %s", id, x->db->err);
	} else if (res == EX_API_NOTFOUND) {
		log_warn("gear %s: Strava does not know it (404)", id);
	} else if (res == EX_API_AUTH) {
		ex_walk_reauth(w, "GET /gear");
	} else {
		w->stop = ex_stop_of(res);
	}
	ex_gear_free(&g);
	ex_resp_free(&r);
}

/* Did anything change that changes the streams (crop, re-upload)? */
static int
ex_streams_stale(const struct ex_stored *st, const struct ex_activity *a)
{
	struct ex_activity old;
	char err[128];
	int stale = 1;

	if (st->summary == NULL)
		return 1;
	if (ex_map_activity(st->summary, st->summary_len, &old, err,
	                    sizeof(err)) == 0)
		stale = old.start_epoch != a->start_epoch ||
		        old.manual != a->manual ||
		        !(old.distance == a->distance ||
		          (isnan(old.distance) && isnan(a->distance))) ||
		        !(old.elapsed_time == a->elapsed_time ||
		          (isnan(old.elapsed_time) && isnan(a->elapsed_time)));
	ex_activity_free(&old);
	return stale;
}

/*
 * GET a JSON document and check it with `check` (one retry when the body
 * is malformed: truncation in transit is the usual cause). Returns the API
 * outcome; EX_API_FAIL with *bad set when the body stayed malformed.
 */
static enum ex_api_res
ex_get_json(struct ex_walk *w, const char *path, struct ex_resp *r,
            int (*check)(const char *, size_t, long *, char *, size_t),
            long *points, int *bad)
{
	enum ex_api_res res = EX_API_FAIL;
	char err[256];
	int i;

	*bad = 0;
	for (i = 0; i < 2; i++) {
		ex_resp_free(r);
		res = ex_get(w, path, r, NULL);
		if (res != EX_API_OK)
			return res;
		if (check(r->body, r->len, points, err, sizeof(err)) == 0) {
			*bad = 0;
			return EX_API_OK;
		}
		*bad = 1;
		ex_progress_clear(w);
		log_warn("%.*s: %s%s", (int)strcspn(path, "?"), path, err,
		         i == 0 ? "; asking again" : "");
	}
	return EX_API_FAIL;
}

static int
ex_check_streams(const char *b, size_t n, long *points, char *err,
                 size_t errlen)
{
	return ex_map_streams(b, n, points, err, errlen);
}

static int
ex_check_detail(const char *b, size_t n, long *unused, char *err, size_t errlen)
{
	struct ex_activity d;
	int rc = ex_map_activity(b, n, &d, err, errlen);

	(void)unused;
	ex_activity_free(&d);
	return rc;
}

/* Handle one listed activity: 0 stored or unchanged, 1 skipped, -1 stop. */
static int
ex_sync_activity(struct ex_walk *w, struct ex_activity *a, const char *el,
                 size_t len)
{
	struct ex_ctx *x = w->x;
	struct ex_stored st;
	struct ex_resp sr, dr;
	struct ex_activity det;
	struct ex_text stext = {NULL, 0}, dtext = {NULL, 0};
	char path[160];
	long points = 0, unused;
	int same, need_streams, need_detail, has_streams, bad, rc = 1;
	enum ex_api_res res;

	memset(&sr, 0, sizeof(sr));
	memset(&dr, 0, sizeof(dr));
	memset(&det, 0, sizeof(det));
	if (ex_store_get(x, a->id, &st) != 0) {
		log_err("cannot read activity %lld: %s", a->id, x->db->err);
		w->stop = EX_ST_FAILED;
		rc = -1;
		goto out;
	}
	same = st.found && st.summary != NULL && st.summary_len == len &&
	       memcmp(st.summary, el, len) == 0;
	if (same && !st.deleted && (a->manual || st.has_streams) &&
	    (!x->fetch_detail || st.has_detail)) {
		w->unchanged++;
		rc = 0;
		goto out;
	}
	need_streams = !a->manual && (!st.found || !st.has_streams ||
	                              st.deleted || ex_streams_stale(&st, a));
	need_detail = x->fetch_detail && (!same || !st.has_detail);
	if (a->gear_id != NULL) {
		ex_sync_gear(w, a->gear_id);
		if (w->stop != EX_ST_OK) {
			rc = -1;
			goto out;
		}
	}
	if (need_detail) {
		snprintf(path, sizeof(path), "/activities/%lld", a->id);
		res = ex_get_json(w, path, &dr, ex_check_detail, &unused, &bad);
		if (res == EX_API_OK) {
			char err[64];

			if (ex_map_activity(dr.body, dr.len, &det, err,
			                    sizeof(err)) == 0 &&
			    det.description != NULL)
				a->description = det.description;
			dtext = (struct ex_text){dr.body, dr.len};
		} else if (res == EX_API_NOTFOUND) {
			log_warn("activity %lld: gone from Strava (404); "
			         "skipped",
			         a->id);
			goto out;
		} else if (ex_stop_of(res) != EX_ST_OK) {
			if (res == EX_API_AUTH)
				ex_walk_reauth(w, "GET /activities");
			else
				w->stop = ex_stop_of(res);
			rc = -1;
			goto out;
		} else {
			log_warn("activity %lld: detail not fetched; skipped",
			         a->id);
			goto out;
		}
	}
	has_streams = a->manual ? 0 : st.has_streams && !st.deleted;
	if (need_streams) {
		snprintf(path, sizeof(path),
		         "/activities/%lld/streams?keys=" EX_STREAM_KEYS
		         "&key_by_type=true",
		         a->id);
		res =
		    ex_get_json(w, path, &sr, ex_check_streams, &points, &bad);
		if (res == EX_API_OK) {
			stext = (struct ex_text){sr.body, sr.len};
			has_streams = 1;
		} else if (res == EX_API_NOTFOUND) {
			log_warn("activity %lld: Strava has no streams (404); "
			         "storing the summary alone",
			         a->id);
			has_streams = 0;
		} else if (ex_stop_of(res) != EX_ST_OK) {
			if (res == EX_API_AUTH)
				ex_walk_reauth(w, "GET /activities/streams");
			else
				w->stop = ex_stop_of(res);
			rc = -1;
			goto out;
		} else {
			log_warn("activity %lld: streams not fetched%s; "
			         "skipped, a later run retries it",
			         a->id, bad ? " (malformed answer)" : "");
			goto out;
		}
	}
	if (ex_store_activity(x, w->athlete, a, (struct ex_text){el, len},
	                      dtext, stext, points, has_streams, 0) != 0) {
		log_err("cannot store activity %lld: %s", a->id, x->db->err);
		if (db_gone(x->db)) {
			w->stop = EX_ST_FAILED;
			rc = -1;
		}
		goto out;
	}
	if (st.found && !st.deleted)
		w->changed++;
	else
		w->fresh++;
	rc = 0;
out:
	ex_activity_free(&det);
	ex_stored_free(&st);
	ex_resp_free(&sr);
	ex_resp_free(&dr);
	return rc;
}

static void
ex_note_skip(struct ex_walk *w, long long start)
{
	w->skipped++;
	if (start <= 0)
		w->unknown_skip = 1;
	else if (w->min_skip == 0 || start < w->min_skip)
		w->min_skip = start;
}

static int
ex_sync_item(const char *el, size_t len, size_t idx, size_t n, void *arg)
{
	struct ex_walk *w = arg;
	struct ex_activity a;
	char err[256];
	int r;

	if (idx == 0)
		w->listed += (long)n; /* the whole page is known now */
	if (ex_map_activity(el, len, &a, err, sizeof(err)) != 0) {
		ex_progress_clear(w);
		log_warn("page %d item %zu skipped: %s", w->page, idx, err);
		if (a.id > 0)
			ex_seen_add(w, a.id);
		else
			w->seen_incomplete = 1;
		ex_note_skip(w, a.start_epoch);
		ex_activity_free(&a);
		return 0;
	}
	ex_seen_add(w, a.id);
	r = ex_sync_activity(w, &a, el, len);
	if (r == 1)
		ex_note_skip(w, a.start_epoch);
	else if (r == 0 && a.start_epoch > w->max_seen)
		w->max_seen = a.start_epoch;
	ex_activity_free(&a);
	ex_progress(w, 1);
	return r < 0 ? 1 : 0;
}

/* The athlete and zones: when unknown, on --full, or once a day. */
static void
ex_sync_profile(struct ex_walk *w)
{
	struct ex_ctx *x = w->x;
	struct ex_athlete at;
	struct ex_resp r;
	char auth[16], err[256];
	long long age = -1;
	int zones = 0, missing, again;
	enum ex_api_res res;

	memset(&r, 0, sizeof(r));
	memset(&at, 0, sizeof(at));
	if (ex_store_athlete_state(x, w->athlete, auth, sizeof(auth), &age,
	                           &zones) < 0) {
		log_warn("cannot read the athlete row: %s", x->db->err);
		return;
	}
	again = age < 0 || age > x->athlete_refresh;
	if (again) {
		res = ex_get(w, "/athlete", &r, &missing);
		if (res == EX_API_OK) {
			if (ex_map_athlete(r.body, r.len, &at, err,
			                   sizeof(err)) != 0)
				log_warn("athlete not stored: %s", err);
			else if (at.id != w->athlete)
				log_warn("athlete not stored: token belongs to "
				         "athlete %lld",
				         at.id);
			else if (ex_store_athlete(
			             x, w->athlete, &at,
			             (struct ex_text){r.body, r.len}) != 0)
				log_warn("cannot store the athlete: %s",
				         x->db->err);
		} else if (res == EX_API_AUTH && !missing) {
			ex_walk_reauth(w, "GET /athlete");
		} else if (ex_stop_of(res) != EX_ST_OK && res != EX_API_AUTH) {
			w->stop = ex_stop_of(res);
		}
		ex_athlete_free(&at);
		ex_resp_free(&r);
	}
	if (w->stop != EX_ST_OK || (zones && !again))
		return;
	res = ex_get(w, "/athlete/zones", &r, &missing);
	if (res == EX_API_OK) {
		if (ex_map_zones(r.body, r.len, err, sizeof(err)) != 0)
			log_warn("zones not stored: %s", err);
		else if (ex_store_zones(x, w->athlete,
		                        (struct ex_text){r.body, r.len}) != 0)
			log_warn("cannot store the zones: %s", x->db->err);
	} else if (res == EX_API_AUTH && missing) {
		log_warn("zones not fetched: the token lacks profile:read_all");
	} else if (res == EX_API_AUTH) {
		ex_walk_reauth(w, "GET /athlete/zones");
	} else {
		w->stop = ex_stop_of(res);
	}
	ex_resp_free(&r);
}

/* Walk the list pages. Returns 1 when the walk reached the end. */
static int
ex_sync_list(struct ex_walk *w, long long after)
{
	struct ex_ctx *x = w->x;
	char path[160], err[256];
	struct ex_resp r;
	enum ex_api_res res;
	int done = 0, bad, missing;

	memset(&r, 0, sizeof(r));
	for (w->page = 1; w->stop == EX_ST_OK; w->page++) {
		long before = w->listed, n;
		long c0 = w->fresh, c1 = w->changed, c2 = w->unchanged,
		     c3 = w->skipped;

		if (after >= 0)
			snprintf(path, sizeof(path),
			         "/athlete/activities?after=%lld&per_page=%d"
			         "&page=%d",
			         after, EX_PER_PAGE, w->page);
		else
			snprintf(path, sizeof(path),
			         "/athlete/activities?per_page=%d&page=%d",
			         EX_PER_PAGE, w->page);
		for (bad = 0; bad < 2; bad++) {
			ex_resp_free(&r);
			res = ex_get(w, path, &r, &missing);
			if (res != EX_API_OK)
				break;
			if (ex_map_split_array(r.body, r.len, ex_sync_item, w,
			                       err, sizeof(err)) >= 0)
				break;
			ex_progress_clear(w);
			log_warn("page %d: %s%s", w->page, err,
			         bad == 0 ? "; asking again" : "");
		}
		if (res == EX_API_AUTH) {
			ex_walk_reauth(w, "GET /athlete/activities");
			break;
		}
		if (res != EX_API_OK) {
			w->stop = ex_stop_of(res) != EX_ST_OK ? ex_stop_of(res)
			                                      : EX_ST_FAILED;
			break;
		}
		if (bad == 2) {
			log_err("page %d stayed malformed; the list walk stops "
			        "here",
			        w->page);
			w->stop = EX_ST_FAILED;
			break;
		}
		n = w->listed - before;
		ex_progress_clear(w);
		log_info("page %d: %ld activities (%ld new, %ld changed, %ld "
		         "unchanged, %ld skipped); requests %ld, window "
		         "%ld/%ld, day %ld/%ld",
		         w->page, n, w->fresh - c0, w->changed - c1,
		         w->unchanged - c2, w->skipped - c3, x->requests,
		         x->rate.short_used, x->rate.short_limit,
		         x->rate.day_used, x->rate.day_limit);
		if (w->stop != EX_ST_OK)
			break;
		/* A short page ends an incremental walk; --full goes on to an
		 * empty page, as Strava advises for complete walks. */
		if (n == 0 || (!w->full && n < EX_PER_PAGE)) {
			done = 1;
			break;
		}
	}
	ex_resp_free(&r);
	return done;
}

/* --full: tombstone what Strava no longer lists. */
static void
ex_sync_deletions(struct ex_walk *w)
{
	long long *live = NULL;
	size_t n = 0, i;

	if (w->seen_incomplete) {
		log_warn("some listed items had no id; deletions not applied");
		return;
	}
	if (ex_store_live_ids(w->x, w->athlete, &live, &n) != 0) {
		log_err("cannot list stored activities: %s", w->x->db->err);
		w->stop = EX_ST_FAILED;
		return;
	}
	if (w->nseen > 0)
		qsort(w->seen, w->nseen, sizeof(*w->seen), ex_cmp_ll);
	for (i = 0; i < n; i++) {
		int r;

		if (w->nseen > 0 && bsearch(&live[i], w->seen, w->nseen,
		                            sizeof(*w->seen), ex_cmp_ll))
			continue;
		r = ex_store_tombstone(w->x, live[i]);
		if (r < 0) {
			log_err("cannot mark activity %lld deleted: %s",
			        live[i], w->x->db->err);
			w->stop = EX_ST_FAILED;
			break;
		}
		if (r > 0) {
			log_info("activity %lld: deleted on Strava", live[i]);
			w->deleted++;
		}
	}
	free(live);
}

static const char *
ex_status_name(enum ex_status s)
{
	static const char *const names[] = {
	    "ok",         "partial",    "failed", "reauth",
	    "rate_limit", "rate_limit", "busy"};

	return names[s];
}

enum ex_status
ex_sync_athlete(struct ex_ctx *x, long long athlete, int full,
                struct ex_totals *tot)
{
	struct ex_walk w;
	long long cursor = 0, after, run;
	enum ex_tok tk;
	enum ex_status st;
	char summary[512];
	int complete = 0, locked;

	memset(&w, 0, sizeof(w));
	w.x = x;
	w.athlete = athlete;
	w.full = full;
	w.t0 = ex_now();
	w.req0 = x->requests;
	log_set_athlete(athlete);
	locked = ex_store_lock(x, athlete, 1);
	if (locked <= 0) {
		if (locked == 0)
			log_warn("another cairn-extract is syncing athlete "
			         "%lld; skipped",
			         athlete);
		else
			log_err("cannot take the athlete lock: %s", x->db->err);
		log_set_athlete(0);
		return locked == 0 ? EX_ST_BUSY : EX_ST_FAILED;
	}
	run = ex_store_run_start(x, athlete);
	if (ex_store_cursor(x, athlete, &cursor) != 0) {
		log_err("cannot read the sync cursor: %s", x->db->err);
		w.stop = EX_ST_FAILED;
		goto out;
	}
	tk = ex_oauth_access(x, athlete, 0, w.access, sizeof(w.access));
	if (tk == EX_TOK_REAUTH) {
		w.stop = EX_ST_REAUTH;
		goto out;
	}
	if (tk == EX_TOK_FAIL) {
		w.stop = EX_ST_FAILED;
		goto out;
	}
	ex_sync_profile(&w);
	if (w.stop != EX_ST_OK)
		goto out;
	after = full ? -1 : cursor - x->lookback_days * 86400;
	if (!full && after < 0)
		after = 0;
	log_info("%s sync from %lld (cursor %lld, look-back %ld days)",
	         full ? "full" : "incremental", full ? 0 : after, cursor,
	         x->lookback_days);
	complete = ex_sync_list(&w, after);
	if (complete && full && w.stop == EX_ST_OK)
		ex_sync_deletions(&w);
	if (complete && !w.unknown_skip && w.stop == EX_ST_OK) {
		long long to = w.max_seen;

		if (w.min_skip > 0 && w.min_skip - 1 < to)
			to = w.min_skip - 1;
		if (to > cursor && ex_store_cursor_move(x, athlete, to) != 0) {
			log_err("cannot move the sync cursor: %s", x->db->err);
			w.stop = EX_ST_FAILED;
		}
	}
out:
	ex_progress_clear(&w);
	st = w.stop;
	if (st == EX_ST_OK && (w.skipped > 0 || !complete))
		st = EX_ST_PARTIAL;
	snprintf(summary, sizeof(summary),
	         "%s: %ld listed, %ld new, %ld changed, %ld unchanged, %ld "
	         "deleted, %ld skipped; %ld requests in %.1f s",
	         ex_status_name(st), w.listed, w.fresh, w.changed, w.unchanged,
	         w.deleted, w.skipped, x->requests - w.req0, ex_now() - w.t0);
	log_info("%s", summary);
	if (ex_store_sync_result(x, athlete, summary, st == EX_ST_OK,
	                         full && st == EX_ST_OK) != 0 ||
	    ex_store_run_end(x, run, ex_status_name(st), summary) != 0)
		log_warn("cannot record the run: %s", x->db->err);
	ex_store_lock(x, athlete, 0);
	tot->stored += w.fresh + w.changed;
	tot->skipped += w.skipped;
	tot->deleted += w.deleted;
	tot->listed += w.listed;
	free(w.seen);
	memset(w.access, 0, sizeof(w.access));
	log_set_athlete(0);
	return st;
}
