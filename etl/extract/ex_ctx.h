/* ex_ctx.h: the state of one cairn-extract run shared by its modules */
#ifndef CAIRN_EX_CTX_H
#define CAIRN_EX_CTX_H

#include "ex_turn.h"

struct cfg;
struct db_conn;
struct ex_http;

/* The app-wide rate budget (cairn_app.rate_budget) as this process sees it. */
struct ex_rate {
	long window;  /* rate_window_seconds */
	long reserve; /* requests left unused in each window */
	long long win_start;
	long long day_start;
	long short_used, short_limit;
	long day_used, day_limit;
	long waits;    /* times we slept for the window */
	double waited; /* seconds slept for the window */
};

struct ex_ctx {
	const struct cfg *cfg;
	struct db_conn *db;
	struct ex_http *http;
	struct ex_rate rate;
	struct ex_turn turn; /* whose turn: ex_turn.c */
	char api_url[512];
	char oauth_url[512];
	long lookback_days;
	long fetch_detail;
	long athlete_refresh; /* seconds before /athlete is fetched again */
	long retries;         /* http_retries */
	long backoff_ms;      /* http_backoff_ms: first retry delay */
	long max_429;         /* max_429_waits */
	int tty;
	/* counters of the whole run */
	long requests; /* every HTTP request sent (API and OAuth) */
	long n_retries;
	long n_429;
	double t0;
};

#endif
