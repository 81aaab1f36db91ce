/* ex_subscribe.c: cairn-extract subscribe|unsubscribe|subscriptions: Strava's webhook subscription */
#include "ex_subscribe.h"

#include <stdio.h>  /* printf */
#include <stdlib.h> /* free, realloc, strtoll */
#include <string.h> /* strcmp */

#include <curl/curl.h>
#include <jansson.h>

#include "cfg.h"
#include "ex_exit.h"
#include "log.h"

#define EX_SUB_MAX (64 * 1024)
#define EX_SUB_FORM 2048

static const char *const ex_sub_cmds[] = {"subscribe", "unsubscribe",
                                          "subscriptions", NULL};

int
ex_sub_is_cmd(int argc, char **argv)
{
	int i, k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0) {
			i++;
			continue;
		}
		for (k = 0; ex_sub_cmds[k] != NULL; k++)
			if (strcmp(argv[i], ex_sub_cmds[k]) == 0)
				return 1;
		return 0;
	}
	return 0;
}

struct ex_sub_buf {
	char *p;
	size_t len;
};

static size_t
ex_sub_write(char *data, size_t size, size_t n, void *arg)
{
	struct ex_sub_buf *b = arg;
	size_t k = size * n;
	char *nb;

	if (b->len + k > EX_SUB_MAX)
		return 0;
	nb = realloc(b->p, b->len + k + 1);
	if (nb == NULL)
		return 0;
	b->p = nb;
	memcpy(b->p + b->len, data, k);
	b->len += k;
	b->p[b->len] = '\0';
	return k;
}

static int
ex_sub_add(CURL *h, char *form, const char *key, const char *value)
{
	char *e = curl_easy_escape(h, value, 0);
	size_t n = strlen(form);
	int w;

	if (e == NULL)
		return -1;
	w = snprintf(form + n, EX_SUB_FORM - n, "%s%s=%s", n ? "&" : "", key,
	             e);
	memset(e, 0, strlen(e));
	curl_free(e);
	return w < 0 || (size_t)w >= EX_SUB_FORM - n ? -1 : 0;
}

/*
 * `method` strava_api_url/push_subscriptions[/id] with the application's
 * credentials in the form body (never in the URL). *status, *answer (parsed
 * JSON or NULL). 0 when an answer came.
 */
static int
ex_sub_call(const struct cfg *c, const char *method, long long id,
            const char *cb, long *status, json_t **answer)
{
	const char *api =
	    cfg_get(c, "strava_api_url", "https://www.strava.com/api/v3");
	const char *cid = cfg_get(c, "strava_client_id", NULL);
	const char *sec = cfg_get(c, "strava_client_secret", NULL);
	const char *vt = cfg_get(c, "webhook_verify_token", NULL);
	char url[640], form[EX_SUB_FORM] = "";
	struct ex_sub_buf b = {NULL, 0};
	CURL *h = curl_easy_init();
	json_error_t je;
	CURLcode cr;
	int rc = -1;

	*status = 0;
	*answer = NULL;
	if (h == NULL || cid == NULL || sec == NULL) {
		log_err("no Strava application: set strava_client_id and "
		        "strava_client_secret");
		goto out;
	}
	if (id > 0)
		snprintf(url, sizeof(url), "%s/push_subscriptions/%lld", api,
		         id);
	else
		snprintf(url, sizeof(url), "%s/push_subscriptions", api);
	if (ex_sub_add(h, form, "client_id", cid) != 0 ||
	    ex_sub_add(h, form, "client_secret", sec) != 0 ||
	    (cb != NULL &&
	     (ex_sub_add(h, form, "callback_url", cb) != 0 ||
	      ex_sub_add(h, form, "verify_token", vt ? vt : "") != 0))) {
		log_err("cannot build the request: values too long");
		goto out;
	}
	if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDS, form) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, ex_sub_write) !=
	        CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") !=
	        CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_USERAGENT, "cairn-extract") !=
	        CURLE_OK) {
		log_err("cannot set up the request");
		goto out;
	}
	cr = curl_easy_perform(h);
	if (cr != CURLE_OK) {
		log_err("%s push_subscriptions failed: %s", method,
		        curl_easy_strerror(cr));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	if (b.len > 0)
		*answer = json_loadb(b.p, b.len, 0, &je);
	rc = 0;
out:
	memset(form, 0, sizeof(form));
	free(b.p);
	curl_easy_cleanup(h);
	return rc;
}

static const char *
ex_sub_why(json_t *ans)
{
	json_t *e = json_array_get(json_object_get(ans, "errors"), 0);
	const char *m = json_string_value(json_object_get(e, "code"));

	if (m == NULL)
		m = json_string_value(json_object_get(ans, "message"));
	return m ? m : "no reason given";
}

static void
ex_sub_print(json_t *s)
{
	printf("subscription %lld: callback %s (created %s)\n",
	       (long long)json_integer_value(json_object_get(s, "id")),
	       json_string_value(json_object_get(s, "callback_url"))
	           ? json_string_value(json_object_get(s, "callback_url"))
	           : "?",
	       json_string_value(json_object_get(s, "created_at"))
	           ? json_string_value(json_object_get(s, "created_at"))
	           : "?");
}

/* GET: the subscription's id (0 none), printing the list when `print`. */
static int
ex_sub_list(const struct cfg *c, int print, long long *id)
{
	json_t *ans = NULL, *s;
	long st;
	size_t i;

	*id = 0;
	if (ex_sub_call(c, "GET", 0, NULL, &st, &ans) != 0)
		return EX_EXIT_FAILED;
	if (st != 200 || !json_is_array(ans)) {
		log_err("Strava refused the subscription list (HTTP %ld): %s",
		        st, ex_sub_why(ans));
		json_decref(ans);
		return EX_EXIT_FAILED;
	}
	json_array_foreach(ans, i, s)
	{
		if (print)
			ex_sub_print(s);
		*id = (long long)json_integer_value(json_object_get(s, "id"));
	}
	if (print && json_array_size(ans) == 0)
		printf("no subscription\n");
	json_decref(ans);
	return EX_EXIT_OK;
}

static int
ex_sub_run(const struct cfg *c, const char *cmd, const char *cb, long long id)
{
	json_t *ans = NULL;
	long st;
	int rc;

	if (strcmp(cmd, "subscriptions") == 0)
		return ex_sub_list(c, 1, &id);
	if (strcmp(cmd, "unsubscribe") == 0) {
		if (id == 0 && (rc = ex_sub_list(c, 0, &id)) != EX_EXIT_OK)
			return rc;
		if (id == 0) {
			printf("no subscription: nothing to do\n");
			return EX_EXIT_OK;
		}
		if (ex_sub_call(c, "DELETE", id, NULL, &st, &ans) != 0)
			return EX_EXIT_FAILED;
		json_decref(ans);
		if (st != 204 && st != 200) {
			log_err("Strava refused to delete subscription %lld "
			        "(HTTP %ld)",
			        id, st);
			return EX_EXIT_FAILED;
		}
		printf("subscription %lld deleted\n", id);
		return EX_EXIT_OK;
	}
	/* subscribe: Strava checks the callback with a GET before answering */
	if (ex_sub_call(c, "POST", 0, cb, &st, &ans) != 0)
		return EX_EXIT_FAILED;
	if (st != 201 && st != 200) {
		log_err("Strava refused the subscription (HTTP %ld): %s; check "
		        "that %s answers from the internet and that "
		        "webhook_verify_token is the same for cairn-api",
		        st, ex_sub_why(ans), cb);
		json_decref(ans);
		return EX_EXIT_FAILED;
	}
	ex_sub_print(ans);
	json_decref(ans);
	return EX_EXIT_OK;
}

int
ex_sub_main(int argc, char **argv)
{
	const char *config = NULL, *cmd = NULL, *cb = NULL;
	char err[512], defcb[600];
	long long id = 0;
	struct cfg *c = NULL;
	int i, rc = EX_EXIT_USAGE;

	log_init("cairn-extract", NULL);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config = argv[++i];
		} else if (cmd == NULL &&
		           ex_sub_is_cmd(2, (char *[]){argv[0], argv[i]})) {
			cmd = argv[i];
		} else if (strcmp(argv[i], "--callback") == 0 && i + 1 < argc) {
			cb = argv[++i];
		} else if (strcmp(argv[i], "--id") == 0 && i + 1 < argc) {
			id = strtoll(argv[++i], NULL, 10);
		} else {
			fprintf(
			    stderr,
			    "usage: cairn-extract [--config FILE] subscribe "
			    "[--callback URL]\n"
			    "       cairn-extract [--config FILE] "
			    "unsubscribe [--id ID]\n"
			    "       cairn-extract [--config FILE] "
			    "subscriptions\n");
			return EX_EXIT_USAGE;
		}
	}
	c = cfg_load(config, err, sizeof(err));
	if (c == NULL) {
		fprintf(stderr, "cairn-extract: %s\n", err);
		return EX_EXIT_USAGE;
	}
	log_init("cairn-extract", cfg_get(c, "log_level", "info"));
	if (cb == NULL) {
		const char *pub = cfg_get(c, "public_url", NULL);
		size_t n = pub ? strlen(pub) : 0;

		while (n > 0 && pub[n - 1] == '/')
			n--;
		if (pub == NULL || n == 0) {
			if (strcmp(cmd, "subscribe") == 0) {
				log_err("no callback: set public_url or pass "
				        "--callback URL");
				goto out;
			}
		} else {
			snprintf(defcb, sizeof(defcb), "%.*s/webhook/strava",
			         (int)n, pub);
			cb = defcb;
		}
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		rc = EX_EXIT_FAILED;
		goto out;
	}
	rc = ex_sub_run(c, cmd, cb, id);
	curl_global_cleanup();
out:
	cfg_free(c);
	return rc;
}
