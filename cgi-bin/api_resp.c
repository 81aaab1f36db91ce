/* api_resp.c: builds answers: JSON and CSV bodies, error objects, status lines, headers */
#include <math.h>   /* isfinite, round, pow */
#include <stdarg.h> /* va_list */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* realloc */
#include <string.h> /* memcpy */

#include "api.h"

#define API_BODY_CAP_MAX (64UL * 1024 * 1024)
#define API_BODY_KEEP (1UL * 1024 * 1024) /* shrink back above this */

void
api_resp_reset(struct api_resp *rs)
{
	if (rs->cap > API_BODY_KEEP) {
		/* One huge answer must not pin memory in every worker. */
		free(rs->body);
		rs->body = NULL;
		rs->cap = 0;
	}
	rs->status = 200;
	rs->content_type = "application/json";
	rs->etag[0] = '\0';
	rs->allow[0] = '\0';
	rs->retry_after = 0;
	rs->no_store = 0;
	rs->extra[0] = '\0';
	rs->len = 0;
	rs->oom = 0;
	rs->failed = 0;
	rs->streaming = 0;
	api_cache_release(rs->shared);
	rs->shared = NULL;
}

void
api_resp_free(struct api_resp *rs)
{
	if (rs == NULL)
		return;
	api_resp_reset(rs); /* lets go of a kept body */
	free(rs->body);
	rs->body = NULL;
	rs->cap = 0;
}

const char *
api_resp_data(const struct api_resp *rs)
{
	return rs->shared != NULL ? rs->shared->data : rs->body;
}

int
api_resp_append(struct api_resp *rs, const void *p, size_t n)
{
	if (rs->shared != NULL) { /* writing a new body: not the kept one */
		api_cache_release(rs->shared);
		rs->shared = NULL;
		rs->len = 0;
	}
	if (rs->len + n + 1 > rs->cap) {
		size_t nc = rs->cap ? rs->cap : 16384;
		char *nb;

		while (nc < rs->len + n + 1)
			nc *= 2;
		if (nc > API_BODY_CAP_MAX) {
			rs->oom = 1;
			return -1;
		}
		nb = realloc(rs->body, nc);
		if (nb == NULL) {
			rs->oom = 1;
			return -1;
		}
		rs->body = nb;
		rs->cap = nc;
	}
	memcpy(rs->body + rs->len, p, n);
	rs->len += n;
	rs->body[rs->len] = '\0';
	return 0;
}

static int
api_dump_cb(const char *buf, size_t n, void *data)
{
	return api_resp_append(data, buf, n);
}

/* Replace the body with `j` (stolen) as compact JSON. Returns status. */
int
api_send_json(struct api_resp *rs, int status, json_t *j)
{
	rs->len = 0;
	rs->status = status;
	rs->content_type = "application/json";
	if (j == NULL || (rs->failed && status < 400) ||
	    json_dump_callback(j, api_dump_cb, rs,
	                       JSON_COMPACT | JSON_REAL_PRECISION(12)) != 0) {
		static const char oom[] =
		    "{\"error\":{\"code\":\"internal\",\"message\":\"cannot "
		    "build the answer\",\"param\":null}}";

		rs->len = 0;
		rs->status = 500;
		api_resp_append(rs, oom, sizeof(oom) - 1);
		json_decref(j);
		return 500;
	}
	json_decref(j);
	return status;
}

int
api_error(struct api_resp *rs, int status, const char *code, const char *param,
          const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	json_t *j;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!api_utf8_ok(msg, strlen(msg)))
		snprintf(msg, sizeof(msg), "%s", code);
	j = json_pack("{s:{s:s,s:s,s:o}}", "error", "code", code, "message",
	              msg, "param",
	              param != NULL && api_utf8_ok(param, strlen(param)) &&
	                      strlen(param) <= 64
	                  ? json_string(param)
	                  : json_null());
	rs->no_store = 1;
	rs->etag[0] = '\0';
	if (status == 503)
		rs->retry_after = API_RETRY_AFTER;
	return api_send_json(rs, status, j);
}

void
api_append(int *failed, json_t *arr, json_t *v)
{
	if (v == NULL || json_array_append_new(arr, v) != 0)
		*failed = 1;
}

void
api_set(int *failed, json_t *obj, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(obj, key, v) != 0)
		*failed = 1;
}

json_t *
api_num(double d)
{
	return isfinite(d) ? json_real(d) : json_null();
}

/* A number rounded to `decimals` places (integers stay integers). */
json_t *
api_numr(double d, int decimals)
{
	double m;

	if (!isfinite(d))
		return json_null();
	if (decimals == 0 && fabs(d) < 9e15)
		return json_integer((json_int_t)llround(d));
	m = pow(10, decimals);
	return json_real(round(d * m) / m);
}

json_t *
api_date_or_null(const struct api_val *v)
{
	char buf[16];

	if (!v->present)
		return json_null();
	api_format_date(v->i, buf, sizeof(buf));
	return json_string(buf);
}

json_t *
api_str(const char *s)
{
	json_t *j;

	if (s == NULL)
		return json_null();
	j = json_string(s);
	return j != NULL ? j : json_string("");
}

/* RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
static int
api_csv_field(struct api_resp *rs, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL)
		return api_resp_append(rs, s, strlen(s));
	if (api_resp_append(rs, "\"", 1) != 0)
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' && api_resp_append(rs, "\"", 1) != 0)
			return -1;
		if (api_resp_append(rs, p, 1) != 0)
			return -1;
	}
	return api_resp_append(rs, "\"", 1);
}

/* Rows (an array of flat objects) as text/csv with a header of `cols`. */
int
api_send_csv(struct api_resp *rs, json_t *rows, const char *const *cols)
{
	size_t i, c;
	char num[64];

	rs->len = 0;
	rs->status = 200;
	rs->content_type = "text/csv; charset=utf-8";
	if (rs->failed)
		goto fail;
	for (c = 0; cols[c] != NULL; c++) {
		if ((c > 0 && api_resp_append(rs, ",", 1) != 0) ||
		    api_csv_field(rs, cols[c]) != 0)
			goto fail;
	}
	if (api_resp_append(rs, "\r\n", 2) != 0)
		goto fail;
	for (i = 0; i < json_array_size(rows); i++) {
		json_t *row = json_array_get(rows, i);

		for (c = 0; cols[c] != NULL; c++) {
			json_t *f = json_object_get(row, cols[c]);
			const char *s = "";

			if (json_is_string(f))
				s = json_string_value(f);
			else if (json_is_integer(f)) {
				snprintf(num, sizeof(num), "%lld",
				         (long long)json_integer_value(f));
				s = num;
			} else if (json_is_real(f)) {
				snprintf(num, sizeof(num), "%.12g",
				         json_real_value(f));
				s = num;
			} else if (json_is_true(f))
				s = "true";
			else if (json_is_false(f))
				s = "false";
			if ((c > 0 && api_resp_append(rs, ",", 1) != 0) ||
			    api_csv_field(rs, s) != 0)
				goto fail;
		}
		if (api_resp_append(rs, "\r\n", 2) != 0)
			goto fail;
	}
	return 200;
fail:
	return api_error(rs, 500, "internal", NULL, "cannot build the answer");
}

const char *
api_status_text(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 202:
		return "Accepted";
	case 302:
		return "Found";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 413:
		return "Payload Too Large";
	case 414:
		return "URI Too Long";
	case 415:
		return "Unsupported Media Type";
	case 421:
		return "Misdirected Request";
	case 503:
		return "Service Unavailable";
	default:
		return "Internal Server Error";
	}
}

/* The CGI header block of the answer (ends with the blank line). */
size_t
api_resp_headers(const struct api_resp *rs, int method, char *buf, size_t len)
{
	int n;
	size_t o = 0;

#define API_H(...)                                                             \
	do {                                                                   \
		n = snprintf(buf + o, len - o, __VA_ARGS__);                   \
		if (n < 0 || (size_t)n >= len - o)                             \
			return 0;                                              \
		o += (size_t)n;                                                \
	} while (0)
	API_H("Status: %d %s\r\n", rs->status, api_status_text(rs->status));
	if (rs->status != 304)
		API_H("Content-Type: %s\r\n", rs->content_type);
	/* A HEAD answer carries no body, and nginx reads to the end of the
	 * request anyway: no length for it. */
	if (rs->status != 304 && method != API_HEAD && !rs->streaming)
		API_H("Content-Length: %zu\r\n", rs->len);
	if (rs->etag[0] != '\0')
		API_H("ETag: %s\r\n", rs->etag);
	API_H("Cache-Control: %s\r\n",
	      rs->no_store ? "no-store" : "private, no-cache");
	if (rs->allow[0] != '\0')
		API_H("Allow: %s\r\n", rs->allow);
	if (rs->retry_after > 0)
		API_H("Retry-After: %d\r\n", rs->retry_after);
	if (rs->extra[0] != '\0')
		API_H("%s", rs->extra);
	API_H("\r\n");
#undef API_H
	return o;
}

int
api_resp_flush(struct api_resp *rs)
{
	char head[2048];
	size_t hl = 0;
	int rc = -1;

	if (rs->sink == NULL)
		return 0;
	if (!rs->streaming) {
		rs->streaming = 1;
		hl = api_resp_headers(rs, API_GET, head, sizeof(head));
		if (hl == 0)
			goto out;
	}
	if (rs->sink(rs->sink_arg, head, hl, rs->body, rs->len) != 0)
		goto out;
	rs->len = 0;
	rc = 0;
out:
	if (rc != 0)
		rs->failed = 1;
	return rc;
}
