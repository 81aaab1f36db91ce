/* ex_api.h: one logical Strava request: budget, retries, 429 waits */
#ifndef CAIRN_EX_API_H
#define CAIRN_EX_API_H

#include "ex_http.h"

struct ex_ctx;

/* Outcome of one logical request (after retries and waits). */
enum ex_api_res {
	EX_API_OK,       /* 2xx */
	EX_API_NOTFOUND, /* 404 */
	EX_API_AUTH,     /* 401: token revoked or lacking a scope */
	EX_API_DAILY,    /* the daily budget is spent: stop for today */
	EX_API_RATE,     /* 429 kept coming after max_429_waits waits */
	EX_API_FAIL,     /* other status, or retries used up */
};

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
