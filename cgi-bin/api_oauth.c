/* api_oauth.c: the two Strava OAuth calls cairn-api makes itself: code exchange at login, deauthorize at disconnect */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* free, realloc */
#include <string.h> /* memcpy, strlen */

#include <curl/curl.h>

#include "api_auth.h"
#include "cfg.h"
#include "log.h"

#define API_OAUTH_MAX (256 * 1024) /* bytes of an answer accepted */
#define API_FORM_MAX 2048

struct api_buf {
	char *p;
	size_t len;
	int too_big;
};

static size_t
api_oauth_write(char *data, size_t size, size_t n, void *arg)
{
	struct api_buf *b = arg;
	size_t k = size * n;
	char *nb;

	if (b->len + k > API_OAUTH_MAX) {
		b->too_big = 1;
		return 0;
	}
	nb = realloc(b->p, b->len + k + 1);
	if (nb == NULL)
		return 0;
	b->p = nb;
	memcpy(b->p + b->len, data, k);
	b->len += k;
	b->p[b->len] = '\0';
	return k;
}

/* Append "&key=escaped(value)". 0 or -1. */
static int
api_form_add(CURL *h, char *form, size_t cap, const char *key,
             const char *value)
{
	char *e = curl_easy_escape(h, value, 0);
	size_t n = strlen(form);
	int w;

	if (e == NULL)
		return -1;
	w = snprintf(form + n, cap - n, "%s%s=%s", n ? "&" : "", key, e);
	memset(e, 0, strlen(e));
	curl_free(e);
	return w < 0 || (size_t)w >= cap - n ? -1 : 0;
}

/*
 * POST `form` to strava_oauth_url + `path`. *status gets the HTTP status,
 * b the body. 0 when an answer came, -1 with err.
 */
static int
api_oauth_post(const struct cfg *c, const char *path, const char *form,
               long *status, struct api_buf *b, char *err, size_t errlen)
{
	const char *base =
	    cfg_get(c, "strava_oauth_url", "https://www.strava.com/oauth");
	char url[640];
	CURL *h = NULL;
	CURLcode cr;
	int rc = -1;

	*status = 0;
	if (snprintf(url, sizeof(url), "%s%s", base, path) >=
	    (int)sizeof(url)) {
		snprintf(err, errlen, "strava_oauth_url is too long");
		return -1;
	}
	h = curl_easy_init();
	if (h == NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		return -1;
	}
	if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDS, form) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, api_oauth_write) !=
	        CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, b) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT, 15L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") !=
	        CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_USERAGENT, "cairn-api") != CURLE_OK) {
		snprintf(err, errlen, "cannot set up the request");
		goto out;
	}
	cr = curl_easy_perform(h);
	if (cr != CURLE_OK) {
		snprintf(err, errlen, "POST %s failed: %s", path,
		         b->too_big ? "answer too large"
		                    : curl_easy_strerror(cr));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	rc = 0;
out:
	curl_easy_cleanup(h);
	return rc;
}

int
api_oauth_exchange(const struct cfg *c, const char *code, json_t **answer,
                   char *err, size_t errlen)
{
	const char *id = cfg_get(c, "strava_client_id", NULL);
	const char *secret = cfg_get(c, "strava_client_secret", NULL);
	struct api_buf b = {NULL, 0, 0};
	char form[API_FORM_MAX] = "";
	json_error_t je;
	long status = 0;
	CURL *h = curl_easy_init();
	int rc = -1;

	*answer = NULL;
	if (h == NULL || id == NULL || secret == NULL) {
		snprintf(err, errlen, "no Strava application configured");
		goto out;
	}
	if (api_form_add(h, form, sizeof(form), "client_id", id) != 0 ||
	    api_form_add(h, form, sizeof(form), "client_secret", secret) != 0 ||
	    api_form_add(h, form, sizeof(form), "code", code) != 0 ||
	    api_form_add(h, form, sizeof(form), "grant_type",
	                 "authorization_code") != 0) {
		snprintf(err, errlen, "the authorisation code is too long");
		goto out;
	}
	if (api_oauth_post(c, "/token", form, &status, &b, err, errlen) != 0)
		goto out;
	if (status != 200) {
		snprintf(err, errlen,
		         "Strava refused the authorisation code (HTTP %ld)",
		         status);
		goto out;
	}
	*answer = json_loadb(b.p ? b.p : "", b.len, 0, &je);
	if (*answer == NULL || !json_is_object(*answer)) {
		snprintf(err, errlen, "Strava's token answer is not JSON");
		json_decref(*answer);
		*answer = NULL;
		goto out;
	}
	rc = 0;
out:
	memset(form, 0, sizeof(form));
	if (b.p != NULL)
		memset(b.p, 0, b.len);
	free(b.p);
	curl_easy_cleanup(h);
	return rc;
}

int
api_oauth_deauthorize(const struct cfg *c, const char *access, char *err,
                      size_t errlen)
{
	struct api_buf b = {NULL, 0, 0};
	char form[API_FORM_MAX] = "";
	long status = 0;
	CURL *h = curl_easy_init();
	int rc = -1;

	if (h == NULL ||
	    api_form_add(h, form, sizeof(form), "access_token", access) != 0) {
		snprintf(err, errlen, "cannot build the deauthorize request");
		goto out;
	}
	if (api_oauth_post(c, "/deauthorize", form, &status, &b, err, errlen) !=
	    0)
		goto out;
	/* 401: already revoked, which is what was wanted */
	if (status != 200 && status != 401) {
		snprintf(err, errlen, "Strava answered HTTP %ld to deauthorize",
		         status);
		goto out;
	}
	rc = 0;
out:
	memset(form, 0, sizeof(form));
	if (b.p != NULL)
		memset(b.p, 0, b.len);
	free(b.p);
	curl_easy_cleanup(h);
	return rc;
}
