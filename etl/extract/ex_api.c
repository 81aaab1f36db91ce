/* ex_api.c: one logical Strava request: budget, retries with jittered backoff, 429 waits */
#include "ex_api.h"

#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* rand */
#include <string.h> /* strlen */

#include "db.h"
#include "ex_ctx.h"
#include "ex_rate.h"
#include "log.h"

/* Jittered exponential backoff before retry number `attempt` (1-based). */
static void
ex_api_backoff(struct ex_ctx *x, int attempt, const char *what, const char *why)
{
	double base = (double)x->backoff_ms / 1000.0, d;
	int i;

	d = base;
	for (i = 1; i < attempt && d < 60.0; i++)
		d *= 2.0;
	if (d > 60.0)
		d = 60.0;
	/* full jitter between d/2 and d */
	d = d / 2.0 + d / 2.0 * ((double)rand() / (double)RAND_MAX);
	if (x->tty)
		fprintf(stderr, "\r\033[K");
	log_warn("%s failed (%s); retry %d of %ld in %.1f s", what, why,
	         attempt, x->retries, d);
	x->n_retries++;
	ex_sleep(d);
}

/* Path without its query, for messages (never carries a token). */
static void
ex_api_what(const char *path, char *out, size_t outlen)
{
	size_t n = strcspn(path, "?");

	snprintf(out, outlen, "GET %.*s", (int)(n < 200 ? n : 200), path);
}

enum ex_api_res
ex_api_get(struct ex_ctx *x, const char *path, const char *token,
           struct ex_resp *r)
{
	char url[2048], what[256], why[300];
	int attempt = 0, limited = 0;
	long long win;

	memset(r, 0, sizeof(*r));
	ex_api_what(path, what, sizeof(what));
	if (snprintf(url, sizeof(url), "%s%s", x->api_url, path) >=
	    (int)sizeof(url)) {
		snprintf(r->err, sizeof(r->err), "URL too long");
		return EX_API_FAIL;
	}
	for (;;) {
		int t = ex_rate_take(x, &win);

		if (t < 0) {
			log_err("cannot use the rate budget: %s", x->db->err);
			return EX_API_FAIL;
		}
		if (t > 0)
			return EX_API_DAILY;
		ex_resp_free(r);
		x->requests++;
		if (ex_http_request(x->http, url, token, NULL, r) != 0) {
			if (!r->transport || attempt >= x->retries) {
				log_err("%s failed: %s", what, r->err);
				return EX_API_FAIL;
			}
			snprintf(why, sizeof(why), "%s", r->err);
			ex_api_backoff(x, ++attempt, what, why);
			continue;
		}
		if (ex_rate_seen(x, &r->rate, win, r->status == 429) != 0)
			log_warn("cannot record the rate budget: %s",
			         x->db->err);
		if (r->status == 429) {
			long used, limit;

			x->n_429++;
			if (ex_rate_hdr_pair(&r->rate, EX_DAY, &used, &limit) ==
			        0 &&
			    used >= limit)
				return EX_API_DAILY;
			if (++limited > x->max_429) {
				log_err("%s: Strava kept answering 429 after "
				        "%ld waits for a new window",
				        what, x->max_429);
				return EX_API_RATE;
			}
			if (x->tty)
				fprintf(stderr, "\r\033[K");
			log_warn("%s: 429 Too Many Requests; waiting for the "
			         "next rate window",
			         what);
			continue; /* ex_rate_take() now waits for the window */
		}
		if (r->status >= 500) {
			if (attempt >= x->retries) {
				log_err("%s failed: HTTP %ld after %d retries",
				        what, r->status, attempt);
				return EX_API_FAIL;
			}
			snprintf(why, sizeof(why), "HTTP %ld", r->status);
			ex_api_backoff(x, ++attempt, what, why);
			continue;
		}
		if (r->status == 401)
			return EX_API_AUTH;
		if (r->status == 404)
			return EX_API_NOTFOUND;
		if (r->status >= 200 && r->status < 300)
			return EX_API_OK;
		log_err("%s failed: HTTP %ld", what, r->status);
		return EX_API_FAIL;
	}
}

enum ex_api_res
ex_api_token(struct ex_ctx *x, const char *form, struct ex_resp *r)
{
	char url[600];
	int attempt = 0;

	memset(r, 0, sizeof(*r));
	snprintf(url, sizeof(url), "%s/token", x->oauth_url);
	for (;;) {
		ex_resp_free(r);
		x->requests++;
		if (ex_http_request(x->http, url, NULL, form, r) != 0) {
			if (!r->transport || attempt >= x->retries) {
				log_err("POST /oauth/token failed: %s", r->err);
				return EX_API_FAIL;
			}
			ex_api_backoff(x, ++attempt, "POST /oauth/token",
			               r->err);
			continue;
		}
		if (r->status >= 500 && attempt < x->retries) {
			char why[32];

			snprintf(why, sizeof(why), "HTTP %ld", r->status);
			ex_api_backoff(x, ++attempt, "POST /oauth/token", why);
			continue;
		}
		if (r->status >= 200 && r->status < 300)
			return EX_API_OK;
		if (r->status == 400 || r->status == 401)
			return EX_API_AUTH;
		return EX_API_FAIL;
	}
}
