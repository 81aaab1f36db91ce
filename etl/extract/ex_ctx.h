/* ex_ctx.h: the state of one cairn-extract run shared by its modules, and the API request layer */
#ifndef CAIRN_EX_CTX_H
#define CAIRN_EX_CTX_H

#include "ex_http.h"

struct cfg;
struct db_conn;

/* Outcome of one logical request (after retries and waits). */
enum ex_api_res {
	EX_API_OK,       /* 2xx */
	EX_API_NOTFOUND, /* 404 */
	EX_API_AUTH,     /* 401: token revoked or lacking a scope */
	EX_API_DAILY,    /* the daily budget is spent: stop for today */
	EX_API_RATE,     /* 429 kept coming after max_429_waits waits */
	EX_API_FAIL,     /* other status, or retries used up */
};

/* The app-wide rate budget (cairn_app.rate_budget) as this process sees it. */
struct ex_rate {
	long window;        /* rate_window_seconds */
	long reserve;       /* requests left unused in each window */
	long long win_start;
	long long day_start;
	long short_used, short_limit;
	long day_used, day_limit;
	long waits;         /* times we slept for the window */
	double waited;      /* seconds slept for the window */
};

struct ex_ctx {
	const struct cfg *cfg;
	struct db_conn *db;
	struct ex_http *http;
	struct ex_rate rate;
	char api_url[512];
	char oauth_url[512];
	long lookback_days;
	long fetch_detail;
	long athlete_refresh;   /* seconds before /athlete is fetched again */
	long retries;           /* http_retries */
	long backoff_ms;        /* http_backoff_ms: first retry delay */
	long max_429;           /* max_429_waits */
	int tty;
	/* counters of the whole run */
	long requests;          /* every HTTP request sent (API and OAuth) */
	long n_retries;
	long n_429;
	double t0;
};

/* Seconds since the epoch, with fractions. */
double ex_now(void);
/* Sleep `s` seconds (fractions allowed). */
void ex_sleep(double s);

/* The start of the window after `now` for windows of `window` s from epoch. */
long long ex_rate_next_boundary(double now, long window);

/* Load the budget settings; 0 or -1 with err. */
int ex_rate_init(struct ex_ctx *x, char *err, size_t errlen);

/*
 * Take one request from the shared budget, sleeping to the next window when
 * the short budget is spent. Returns 0, 1 when the daily budget is spent
 * (nothing taken), -1 on a database error (x->db->err).
 */
int ex_rate_take(struct ex_ctx *x, long long *win_at_send);

/* Correct the shared budget from an answer's headers (429: `limited`). */
int ex_rate_seen(struct ex_ctx *x, const struct ex_rate_hdr *h,
                 long long win_at_send, int limited);

/* When the daily budget resets (epoch s). */
long long ex_rate_day_reset(const struct ex_ctx *x);

/*
 * GET `path` (below strava_api_url, with its query) with the bearer token,
 * pacing, retrying 5xx and network failures with jittered exponential
 * backoff, and waiting out 429s. r holds the last answer.
 */
enum ex_api_res ex_api_get(struct ex_ctx *x, const char *path,
                           const char *token, struct ex_resp *r);

/* POST a form to strava_oauth_url/token (retried on network failures). */
enum ex_api_res ex_api_token(struct ex_ctx *x, const char *form,
                             struct ex_resp *r);

#endif
