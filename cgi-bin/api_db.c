/* api_db.c: each worker's MariaDB connection (reconnecting by itself) and the request's athlete */
#include <stdlib.h> /* strtoll */
#include <string.h> /* memcmp, memcpy */
#include <time.h>   /* clock_gettime */

#include "api.h"
#include "api_auth.h"
#include "api_sql.h"
#include "cfg.h"
#include "db.h"
#include "log.h"

#define API_RECONNECT_PAUSE 0.25 /* s between connection attempts */
/* s between looks at an idle connection (a server that went away closed
 * it), while answers need no statement */
#define API_ALIVE_CHECK 0.05

static double
api_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Open or reopen one connection of the worker: 0, or -1 with err filled. */
static int
api_db_connect(struct api_worker *w, struct db_conn **c, enum db_role role,
               char *err, size_t errlen)
{
	if (*c != NULL && (*c)->my != NULL)
		return 0;
	if (*c != NULL) {
		if (db_reconnect(*c) == 0) {
			log_info("worker %d reconnected to MariaDB%s", w->idx,
			         (*c)->replica ? " (a replica)" : "");
			return 0;
		}
		snprintf(err, errlen, "%s", (*c)->err);
		return -1;
	}
	*c = db_open(w->cfg, role, api_sql, API_SQL_COUNT, err, errlen);
	if (*c == NULL)
		return -1;
	log_info("worker %d connected to MariaDB%s", w->idx,
	         (*c)->replica ? " (a replica)" : "");
	return 0;
}

/*
 * Make sure the worker has its connections: the primary, and a read
 * connection when replicas are configured. 0, or -1 (answer 503).
 */
int
api_db_ready(struct api_worker *w)
{
	const char *replicas;
	char err[512];

	if (w->cfg == NULL)
		return -1;
	replicas = cfg_get(w->cfg, "api_db_read_hosts", "");
	if (w->db != NULL && w->db->my != NULL &&
	    (*replicas == '\0' || (w->rdb != NULL && w->rdb->my != NULL)))
		return 0;
	if (api_now() < w->retry_at)
		return -1;
	if (api_db_connect(w, &w->db, DB_API, err, sizeof(err)) == 0 &&
	    (*replicas == '\0' ||
	     api_db_connect(w, &w->rdb, DB_API_READ, err, sizeof(err)) == 0))
		return 0;
	w->retry_at = api_now() + API_RECONNECT_PAUSE;
	log_warn("worker %d: %s", w->idx, err);
	return -1;
}

/*
 * A statement failed: answer 503 when the server is gone (and drop the
 * connection so the next request reconnects), else 500. Returns the status.
 */
int
api_db_failed(struct api_ctx *x)
{
	struct db_conn *c = x->db;

	x->db_failed = 1;
	if (c == NULL || db_gone(c)) {
		if (c != NULL && c->my != NULL) {
			log_warn("worker %d lost MariaDB: %s", x->w->idx,
			         c->err);
			db_reconnect(c); /* fails fast while it is down */
			if (c->my == NULL)
				x->w->retry_at =
				    api_now() + API_RECONNECT_PAUSE;
		}
		return api_error(x->rs, 503, "db_unavailable", NULL,
		                 "the database is not available: try again "
		                 "shortly");
	}
	log_err("worker %d: %s", x->w->idx, c->err);
	return api_error(x->rs, 500, "internal", NULL,
	                 "the query failed; see the server log");
}

/*
 * The memo of the last lookup, when it still holds: the mart stamp reads as
 * before that lookup, it is younger than api_version_max_age, and the
 * connection was open within API_ALIVE_CHECK (so an outage answers 503
 * within that time, not a second of kept answers). *stamp gets
 * the stamp read now, for the memo of a new lookup; *have_stamp says
 * whether there was one.
 */
static int
api_memo_holds(struct api_ctx *x, unsigned char *stamp, int *have_stamp)
{
	struct api_worker *w = x->w;
	double now;

	*have_stamp = 0;
	if (w->stamp_path == NULL || w->version_max_age <= 0 || w->rdb != NULL)
		return 0;
	now = api_now();
	*have_stamp = stamp_read(&w->stamp, w->stamp_path, now, stamp) == 0;
	if (!*have_stamp || !w->memo.valid ||
	    now - w->memo.at >= w->version_max_age ||
	    memcmp(stamp, w->memo.stamp, STAMP_LEN) != 0)
		return 0;
	if (now - w->alive_at >= API_ALIVE_CHECK) {
		if (!db_alive(x->db)) {
			w->memo.valid = 0;
			return 0;
		}
		w->alive_at = now;
	}
	x->athlete_id = w->memo.athlete;
	x->mart_version = w->memo.version;
	return 1;
}

/*
 * The athlete this request acts for, with its mart version (for ETags).
 * auth_mode=none: the configured api_athlete_id, else the single athlete
 * in cairn_mart.athlete. A session lookup slots in here. 0, or the status
 * of the error answer.
 */
int
api_request_athlete(struct api_ctx *x)
{
	struct db_res r;
	const char *want = cfg_get(x->w->cfg, "api_athlete_id", NULL);
	unsigned char stamp[STAMP_LEN];
	int n = 0, rc = -1, have_stamp;

	if (api_auth_strava(x->w->cfg)) /* the session's athlete */
		return api_session_athlete(x);
	if (api_memo_holds(x, stamp, &have_stamp))
		return 0;
	x->w->memo.valid = 0;
	if (want != NULL) {
		struct db_param p[] = {DB_I64(strtoll(want, NULL, 10))};

		if (db_query(x->db, API_Q_ATHLETE_BY_ID, p, 1, &r) != 0)
			return api_db_failed(x);
	} else if (db_query(x->db, API_Q_ATHLETE_ONE, NULL, 0, &r) != 0) {
		return api_db_failed(x);
	}
	while ((rc = db_fetch(&r)) == 1) {
		if (n++ == 0) {
			x->athlete_id = db_i64(&r, 0);
			x->mart_version = db_i64(&r, 1);
		}
	}
	db_res_free(&r);
	if (rc < 0)
		return api_db_failed(x);
	if (n == 0)
		return api_error(x->rs, 404, "no_athlete", NULL,
		                 "no athlete data yet: authorise or import, "
		                 "then run cairn-transform");
	if (n > 1)
		return api_error(x->rs, 409, "athlete_ambiguous", NULL,
		                 "several athletes are stored: set "
		                 "api_athlete_id in the config");
	if (have_stamp) {
		/* The stamp was read before the query: a commit after it
		 * changes the stamp, so the memo cannot outlive it. */
		x->w->memo.valid = 1;
		x->w->memo.athlete = x->athlete_id;
		x->w->memo.version = x->mart_version;
		memcpy(x->w->memo.stamp, stamp, STAMP_LEN);
		x->w->memo.at = api_now();
	}
	return 0;
}
