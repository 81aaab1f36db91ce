/* ex_oauth.h: Strava OAuth2 for cairn-extract: authorize URL, code exchange, token refresh */
#ifndef CAIRN_EX_OAUTH_H
#define CAIRN_EX_OAUTH_H

#include <stddef.h> /* size_t */

struct ex_ctx;

#define EX_SCOPE "read,activity:read_all,profile:read_all"

enum ex_tok {
	EX_TOK_OK,     /* a valid access token */
	EX_TOK_STALE,  /* refresh refused or lost, old access token still valid
	                */
	EX_TOK_REAUTH, /* no usable token: the athlete must authorise again */
	EX_TOK_FAIL,   /* could not reach Strava or the database */
};

/* The URL to open in a browser. 0, or -1 with err (missing settings). */
int ex_oauth_authorize_url(struct ex_ctx *x, char *out, size_t outlen,
                           char *err, size_t errlen);

/*
 * Exchange an authorisation code: store the athlete (auth_state 'ok') and
 * its tokens in one transaction; mark it the demo athlete when `demo`;
 * adopt a lone import-only athlete, or refuse (nothing stored) when that
 * one is an export of another athlete (ex_account_adoptable). Returns an
 * exit status (0, 1, 2).
 */
int ex_oauth_exchange(struct ex_ctx *x, const char *code, const char *scope,
                      int demo, long long *athlete_id);

/*
 * An access token for `athlete`, refreshed when it expires within the hour
 * (or always when `force`, after a 401). A new refresh token is committed
 * before the new access token is used.
 */
enum ex_tok ex_oauth_access(struct ex_ctx *x, long long athlete, int force,
                            char *access, size_t len);

#endif
