/* ex_rate.c: the app-wide Strava rate budget in cairn_app.rate_budget, and pacing to window edges */
#include "ex_rate.h"

#include <errno.h>  /* EINTR */
#include <math.h>   /* floor */
#include <stdio.h>  /* snprintf */
#include <string.h> /* strlen */
#include <time.h>   /* clock_gettime, nanosleep, gmtime_r */

#include "cfg.h"
#include "db.h"
#include "ex_ctx.h"
#include "ex_http.h"
#include "ex_sql.h"
#include "ex_turn.h"
#include "log.h"

double
ex_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
ex_sleep(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

long long
ex_rate_next_boundary(double now, long window)
{
	long long w = window > 0 ? window : 900;

	return ((long long)floor(now) / w + 1) * w;
}

long long
ex_rate_day_reset(const struct ex_ctx *x)
{
	(void)x;
	return ((long long)ex_now() / 86400 + 1) * 86400;
}

int
ex_rate_init(struct ex_ctx *x, char *err, size_t errlen)
{
	if (cfg_get_long(x->cfg, "rate_window_seconds", 900, 1, 86400,
	                 &x->rate.window, err, errlen) != 0 ||
	    cfg_get_long(x->cfg, "rate_reserve", 0, 0, 1000, &x->rate.reserve,
	                 err, errlen) != 0)
		return -1;
	if (db_exec(x->db, EX_SQL_BUDGET_ENSURE, NULL, 0) < 0) {
		snprintf(err, errlen, "cannot set up the rate budget: %s",
		         x->db->err);
		return -1;
	}
	return 0;
}

/* Read the row (in a transaction, locked) and roll it to the current window. */
static int
ex_rate_load(struct ex_ctx *x, double now)
{
	struct db_res res;
	struct ex_rate *r = &x->rate;
	long long win = (long long)floor(now) / r->window * r->window;
	long long day = (long long)floor(now) / 86400 * 86400;
	int rc = -1;

	if (db_query(x->db, EX_SQL_BUDGET_LOCK, NULL, 0, &res) != 0)
		return -1;
	if (db_fetch(&res) != 1) {
		snprintf(x->db->err, sizeof(x->db->err),
		         "rate budget row is missing");
		goto out;
	}
	r->win_start = db_i64(&res, 0);
	r->day_start = db_i64(&res, 1);
	r->short_used = (long)db_i64(&res, 2);
	r->short_limit = (long)db_i64(&res, 3);
	r->day_used = (long)db_i64(&res, 4);
	r->day_limit = (long)db_i64(&res, 5);
	if (r->win_start != win) {
		r->win_start = win;
		r->short_used = 0;
	}
	if (r->day_start != day) {
		r->day_start = day;
		r->day_used = 0;
	}
	rc = 0;
out:
	db_res_free(&res);
	return rc;
}

static int
ex_rate_store(struct ex_ctx *x)
{
	struct ex_rate *r = &x->rate;
	struct db_param p[] = {
	    DB_I64(r->win_start),   DB_I64(r->day_start), DB_I64(r->short_used),
	    DB_I64(r->short_limit), DB_I64(r->day_used),  DB_I64(r->day_limit),
	};

	return db_exec(x->db, EX_SQL_BUDGET_PUT, p, 6) < 0 ? -1 : 0;
}

static void
ex_rate_say_wait(const struct ex_ctx *x, long long until, double secs)
{
	char ts[32];
	time_t t = (time_t)until;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%SZ", &tm);
	if (x->tty)
		fprintf(stderr, "\r\033[K");
	log_info("rate budget: %ld of %ld requests used in this window; "
	         "waiting %.1f s until %s",
	         x->rate.short_used, x->rate.short_limit, secs, ts);
}

int
ex_rate_take(struct ex_ctx *x, long long *win_at_send)
{
	struct ex_rate *r = &x->rate;

	for (;;) {
		double now = ex_now();
		long long next;
		double margin, secs;

		if (db_begin(x->db) != 0)
			return -1;
		if (ex_rate_load(x, now) != 0) {
			db_rollback(x->db);
			return -1;
		}
		if (r->day_used >= r->day_limit - r->reserve) {
			db_rollback(x->db);
			return 1;
		}
		if (r->short_used < r->short_limit - r->reserve) {
			/* Round robin among waiting athletes (ex_turn.c). */
			int mine = ex_turn_mine(&x->turn, x->db, now);

			if (mine < 0 || (mine == 0 && db_commit(x->db) != 0)) {
				db_rollback(x->db);
				return -1;
			}
			if (mine == 0) {
				ex_sleep(EX_TURN_POLL);
				continue;
			}
			r->short_used++;
			r->day_used++;
			if (ex_rate_store(x) != 0 || db_commit(x->db) != 0) {
				db_rollback(x->db);
				return -1;
			}
			*win_at_send = r->win_start;
			return 0;
		}
		db_rollback(x->db);
		/* Short budget spent: sleep to the next window edge, a little
		 * after it so that Strava's counter has surely reset. */
		next = ex_rate_next_boundary(now, r->window);
		margin = r->window >= 20 ? 1.0 : (double)r->window / 20.0;
		secs = (double)next - now + margin;
		ex_rate_say_wait(x, next, secs);
		r->waits++;
		r->waited += secs;
		ex_sleep(secs);
	}
}

int
ex_rate_seen(struct ex_ctx *x, const struct ex_rate_hdr *h,
             long long win_at_send, int limited)
{
	struct ex_rate *r = &x->rate;
	long used, limit;
	int rc = -1;

	if (ex_rate_hdr_pair(h, EX_SHORT, &used, &limit) != 0 &&
	    ex_rate_hdr_pair(h, EX_DAY, &used, &limit) != 0 && !limited)
		return 0;
	/* Nothing new (the usual case: we counted the request when we took
	 * it): spare the database a transaction. */
	if (!limited && r->win_start == win_at_send &&
	    ex_rate_hdr_pair(h, EX_SHORT, &used, &limit) == 0 &&
	    used <= r->short_used && limit == r->short_limit &&
	    ex_rate_hdr_pair(h, EX_DAY, &used, &limit) == 0 &&
	    used <= r->day_used && limit == r->day_limit)
		return 0;
	if (db_begin(x->db) != 0)
		return -1;
	if (ex_rate_load(x, ex_now()) != 0)
		goto out;
	/* The answer's short counter belongs to the window it was sent in. */
	if (r->win_start == win_at_send) {
		if (ex_rate_hdr_pair(h, EX_SHORT, &used, &limit) == 0) {
			r->short_limit = limit;
			if (used > r->short_used)
				r->short_used = used;
		}
		if (limited && r->short_used < r->short_limit)
			r->short_used = r->short_limit;
	}
	if (ex_rate_hdr_pair(h, EX_DAY, &used, &limit) == 0) {
		r->day_limit = limit;
		if (used > r->day_used)
			r->day_used = used;
	}
	if (ex_rate_store(x) != 0 || db_commit(x->db) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		db_rollback(x->db);
	return rc;
}
