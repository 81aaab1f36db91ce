/* api_auth.h: accounts: auth modes, Strava login, sessions and CSRF, the webhook endpoint */
#ifndef CAIRN_API_AUTH_H
#define CAIRN_API_AUTH_H

#include <stddef.h> /* size_t */

#include <jansson.h>

struct cfg;
struct api_ctx;
struct api_resp;
struct api_worker;
struct api_http_req;

#define API_COOKIE "cairn_session"     /* the session cookie */
#define API_STATE_COOKIE "cairn_oauth" /* binds an OAuth state to a browser */
#define API_SCOPE "read,activity:read_all,profile:read_all"
#define API_SCOPE_NEEDED "activity:read_all"
#define API_TOKEN_BYTES 32 /* 256 random bits per session */

/* api_auth.c */
/*
 * Check auth_mode and what it needs (auth_mode = none only with a loopback
 * listen_address). 0, or -1 with a one-line reason in err.
 */
int api_auth_check_config(const struct cfg *c, char *err, size_t errlen);
/* Is auth_mode strava? */
int api_auth_strava(const struct cfg *c);
/* Is `addr` a loopback address (127.0.0.0/8, ::1, localhost)? */
int api_loopback(const char *addr);
/*
 * API_F_SESSION: the request's session and its CSRF token; 0 with
 * x->athlete_id set, else the status of the answer made (401 without a
 * session, 403 without its CSRF token).
 */
int api_auth_session(struct api_ctx *x);

/* api_session.c */
/* Fill buf with n random bytes from getrandom(2). 0 or -1. */
int api_random(void *buf, size_t n);
/* n random bytes as 2n hex digits in out (outlen > 2n). 0 or -1. */
int api_random_hex(char *out, size_t outlen, size_t n);
/* Compare two strings in time independent of where they differ. */
int api_secret_eq(const char *a, const char *b);
/* The value of cookie `name` in a Cookie header (capped). 0 or -1. */
int api_cookie_get(const char *header, const char *name, char *out, size_t len);
/* The decoded value of `name` in a query string (capped). 0 or -1. */
int api_query_get(const char *query, const char *name, char *out, size_t len);
/* Append a Set-Cookie header; value NULL clears the cookie. */
void api_set_cookie(struct api_resp *rs, const struct cfg *c, const char *name,
                    const char *value, long max_age);
/* Append a Location header and make the answer a 302. */
void api_redirect(struct api_resp *rs, const char *url);
/*
 * A new session for `athlete`: its cookie in token (65 bytes), only the
 * SHA-256 stored. 0 or -1 (database).
 */
int api_session_new(struct api_worker *w, long long athlete, char *token,
                    size_t len);
/*
 * The session of the request's cookie: 1 found (athlete, csrf filled),
 * 0 none or expired, -1 database error.
 */
int api_session_find(struct api_worker *w, const char *cookie,
                     long long *athlete, char *csrf, size_t csrflen);
/* Delete the session of this cookie. 0 or -1. */
int api_session_end(struct api_worker *w, const char *cookie);
/*
 * auth_mode strava: the athlete of the request's session (401 without one,
 * 403 for a PUT without the session's CSRF token). 0 or the error status.
 */
int api_session_athlete(struct api_ctx *x);

/* api_sha256.c */
void api_sha256(const void *p, size_t n, unsigned char out[32]);

/* api_oauth.c */
/*
 * Exchange an authorisation code at strava_oauth_url/token. *answer gets
 * the parsed JSON (caller frees). 0, or -1 with err (no secret in it).
 */
int api_oauth_exchange(const struct cfg *c, const char *code, json_t **answer,
                       char *err, size_t errlen);
/* Revoke an access token at strava_oauth_url/deauthorize. 0 or -1. */
int api_oauth_deauthorize(const struct cfg *c, const char *access, char *err,
                          size_t errlen);

#endif
