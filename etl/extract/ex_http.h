/* ex_http.h: HTTP for cairn-extract: libcurl, capped answers, Strava rate-limit headers */
#ifndef CAIRN_EX_HTTP_H
#define CAIRN_EX_HTTP_H

#include <stddef.h> /* size_t */

struct cfg;

/* Index into the rate-limit pairs: the 15-minute window, then the day. */
enum { EX_SHORT = 0, EX_DAY = 1 };

/* X-RateLimit-* (overall) and X-ReadRateLimit-* (reads); -1 unknown. */
struct ex_rate_hdr {
	long limit[2];
	long usage[2];
	long rlimit[2];
	long rusage[2];
};

void ex_rate_hdr_clear(struct ex_rate_hdr *r);

/*
 * Read one header line ("Name: value\r\n"). Names match case-insensitively;
 * values are "short,day" with either side possibly empty. Returns 1 when the
 * line was a rate-limit header, 0 otherwise.
 */
int ex_rate_hdr_line(struct ex_rate_hdr *r, const char *line, size_t len);

/*
 * The binding (used, limit) pair of window `w` (EX_SHORT or EX_DAY): of the
 * overall and read counters, the one with the fewest requests left. Returns
 * 0, or -1 when the answer carried neither.
 */
int ex_rate_hdr_pair(const struct ex_rate_hdr *r, int w, long *used,
                     long *limit);

/* One answer. body is NUL-terminated (not counted in len). */
struct ex_resp {
	long status; /* 0 when no HTTP answer arrived */
	char *body;
	size_t len;
	size_t cap;
	size_t limit; /* largest body accepted */
	int too_big;
	int transport; /* a connection-level failure (retryable) */
	struct ex_rate_hdr rate;
	char err[256];
};

void ex_resp_free(struct ex_resp *r);

struct ex_http;

/* Settings: http_timeout, http_connect_timeout, http_max_body_mb. */
struct ex_http *ex_http_open(const struct cfg *c, char *err, size_t errlen);
void ex_http_close(struct ex_http *h);

/*
 * GET `url` with "Authorization: Bearer <token>" (token may be NULL), or POST
 * the form `form` (application/x-www-form-urlencoded) when form != NULL.
 * Returns 0 when an HTTP answer arrived (any status, see r->status), -1 when
 * not (r->err says why, r->transport tells a retryable network failure from
 * a local one). Free r with ex_resp_free() either way.
 */
int ex_http_request(struct ex_http *h, const char *url, const char *token,
                    const char *form, struct ex_resp *r);

/* URL-encode `s` (caller frees with free()); NULL on failure. */
char *ex_http_escape(struct ex_http *h, const char *s);

#endif
