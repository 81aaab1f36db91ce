/* ex_http.c: HTTP for cairn-extract: libcurl, capped answers, Strava rate-limit headers */
#include "ex_http.h"

#include <stdio.h>   /* snprintf */
#include <stdlib.h>  /* calloc, free, realloc, strtol */
#include <string.h>  /* memcpy, strncasecmp */
#include <strings.h> /* strncasecmp */

#include <curl/curl.h>

#include "cfg.h"

struct ex_http {
	CURL *curl;
	long timeout;
	long connect_timeout;
	long stall; /* seconds without a byte before a transfer is abandoned */
	size_t max_body;
	char errbuf[CURL_ERROR_SIZE];
};

void
ex_rate_hdr_clear(struct ex_rate_hdr *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		r->limit[i] = -1;
		r->usage[i] = -1;
		r->rlimit[i] = -1;
		r->rusage[i] = -1;
	}
}

/* Parse "a,b" where either may be empty or junk (then -1). */
static void
ex_rate_pair(const char *v, size_t len, long out[2])
{
	size_t i = 0;
	int k;

	for (k = 0; k < 2; k++) {
		long n = 0;
		int digits = 0, bad = 0;

		while (i < len && (v[i] == ' ' || v[i] == '\t'))
			i++;
		while (i < len && v[i] != ',') {
			if (v[i] >= '0' && v[i] <= '9' && n < 100000000) {
				n = n * 10 + (v[i] - '0');
				digits++;
			} else if (v[i] != ' ' && v[i] != '\t' &&
			           v[i] != '\r' && v[i] != '\n') {
				bad = 1;
			}
			i++;
		}
		out[k] = digits > 0 && !bad ? n : -1;
		if (i < len && v[i] == ',')
			i++;
	}
}

int
ex_rate_hdr_line(struct ex_rate_hdr *r, const char *line, size_t len)
{
	static const struct {
		const char *name;
		int which; /* 0 limit 1 usage 2 rlimit 3 rusage */
	} names[] = {
	    {"x-ratelimit-limit", 0},
	    {"x-ratelimit-usage", 1},
	    {"x-readratelimit-limit", 2},
	    {"x-readratelimit-usage", 3},
	};
	size_t i, nl;
	long *dst[4];

	dst[0] = r->limit;
	dst[1] = r->usage;
	dst[2] = r->rlimit;
	dst[3] = r->rusage;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		nl = strlen(names[i].name);
		if (len > nl && strncasecmp(line, names[i].name, nl) == 0 &&
		    line[nl] == ':') {
			ex_rate_pair(line + nl + 1, len - nl - 1,
			             dst[names[i].which]);
			return 1;
		}
	}
	return 0;
}

int
ex_rate_hdr_pair(const struct ex_rate_hdr *r, int w, long *used, long *limit)
{
	int have = 0;

	if (r->limit[w] > 0 && r->usage[w] >= 0) {
		*used = r->usage[w];
		*limit = r->limit[w];
		have = 1;
	}
	if (r->rlimit[w] > 0 && r->rusage[w] >= 0 &&
	    (!have || r->rlimit[w] - r->rusage[w] < *limit - *used)) {
		*used = r->rusage[w];
		*limit = r->rlimit[w];
		have = 1;
	}
	return have ? 0 : -1;
}

void
ex_resp_free(struct ex_resp *r)
{
	if (r == NULL)
		return;
	free(r->body);
	r->body = NULL;
	r->len = 0;
	r->cap = 0;
}

static size_t
ex_http_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct ex_resp *r = arg;
	size_t n = size * nmemb;

	if (r->len + n > r->limit) {
		r->too_big = 1;
		return 0; /* makes curl stop with CURLE_WRITE_ERROR */
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 16384;
		char *nb;

		while (cap < r->len + n + 1)
			cap *= 2;
		if (cap > r->limit + 1)
			cap = r->limit + 1;
		nb = realloc(r->body, cap);
		if (nb == NULL)
			return 0;
		r->body = nb;
		r->cap = cap;
	}
	memcpy(r->body + r->len, ptr, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

static size_t
ex_http_header(char *buf, size_t size, size_t nitems, void *arg)
{
	struct ex_resp *r = arg;

	ex_rate_hdr_line(&r->rate, buf, size * nitems);
	return size * nitems;
}

struct ex_http *
ex_http_open(const struct cfg *c, char *err, size_t errlen)
{
	struct ex_http *h = NULL, *res = NULL;
	long mb;

	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		snprintf(err, errlen, "cannot set up HTTP: out of memory");
		goto out;
	}
	if (cfg_get_long(c, "http_timeout", 60, 1, 3600, &h->timeout, err,
	                 errlen) != 0 ||
	    cfg_get_long(c, "http_connect_timeout", 10, 1, 600,
	                 &h->connect_timeout, err, errlen) != 0 ||
	    cfg_get_long(c, "http_stall_seconds", 15, 1, 600, &h->stall, err,
	                 errlen) != 0 ||
	    cfg_get_long(c, "http_max_body_mb", 64, 1, 1024, &mb, err,
	                 errlen) != 0)
		goto out;
	h->max_body = (size_t)mb * 1024 * 1024;
	h->curl = curl_easy_init();
	if (h->curl == NULL) {
		snprintf(err, errlen,
		         "cannot set up HTTP: curl_easy_init failed");
		goto out;
	}
	res = h;
	h = NULL;
out:
	ex_http_close(h);
	return res;
}

void
ex_http_close(struct ex_http *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	free(h);
}

char *
ex_http_escape(struct ex_http *h, const char *s)
{
	char *e = curl_easy_escape(h->curl, s, 0);
	char *copy;

	if (e == NULL)
		return NULL;
	copy = strdup(e);
	curl_free(e);
	return copy;
}

/* Transport failures worth another try (network, server hiccups). */
static int
ex_http_retryable(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
		return 1;
	default:
		return 0;
	}
}

int
ex_http_request(struct ex_http *h, const char *url, const char *token,
                const char *form, struct ex_resp *r)
{
	struct curl_slist *hdrs = NULL, *n;
	char auth[600];
	CURLcode cc;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	ex_rate_hdr_clear(&r->rate);
	r->limit = h->max_body;
	h->errbuf[0] = '\0';
	curl_easy_reset(h->curl);
	n = curl_slist_append(hdrs, "Accept: application/json");
	if (n == NULL) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		goto out;
	}
	hdrs = n;
	if (token != NULL) {
		if (snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		             token) >= (int)sizeof(auth)) {
			snprintf(r->err, sizeof(r->err),
			         "access token is too long");
			goto out;
		}
		n = curl_slist_append(hdrs, auth);
		if (n == NULL) {
			snprintf(r->err, sizeof(r->err), "out of memory");
			goto out;
		}
		hdrs = n;
	}
	if (curl_easy_setopt(h->curl, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, h->timeout) !=
	        CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT,
	                     h->connect_timeout) != CURLE_OK ||
	    /* A transfer that stalls (a truncated answer on a kept-open
	     * connection) is abandoned long before the whole timeout. */
	    curl_easy_setopt(h->curl, CURLOPT_LOW_SPEED_LIMIT, 1L) !=
	        CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_LOW_SPEED_TIME, h->stall) !=
	        CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_ACCEPT_ENCODING, "") !=
	        CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https") !=
	        CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "cairn-extract/1") !=
	        CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf) !=
	        CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, ex_http_write) !=
	        CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, r) != CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, ex_http_header) !=
	        CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, r) != CURLE_OK) {
		snprintf(r->err, sizeof(r->err), "cannot set up HTTP request");
		goto out;
	}
	if (form != NULL &&
	    (curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, form) != CURLE_OK ||
	     curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE,
	                      (long)strlen(form)) != CURLE_OK)) {
		snprintf(r->err, sizeof(r->err), "cannot set up HTTP POST");
		goto out;
	}
	cc = curl_easy_perform(h->curl);
	if (cc != CURLE_OK) {
		if (r->too_big)
			snprintf(r->err, sizeof(r->err),
			         "answer larger than %zu MiB",
			         r->limit / (1024 * 1024));
		else
			snprintf(
			    r->err, sizeof(r->err), "curl %d: %.200s", (int)cc,
			    h->errbuf[0] ? h->errbuf : curl_easy_strerror(cc));
		r->transport = !r->too_big && ex_http_retryable(cc);
		goto out;
	}
	if (curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status) !=
	    CURLE_OK) {
		snprintf(r->err, sizeof(r->err), "cannot read HTTP status");
		goto out;
	}
	if (r->body == NULL) {
		r->body = calloc(1, 1);
		if (r->body == NULL) {
			snprintf(r->err, sizeof(r->err), "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	curl_slist_free_all(hdrs);
	/* The Authorization line held the token: wipe our copy. */
	memset(auth, 0, sizeof(auth));
	return rc;
}
