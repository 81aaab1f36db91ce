/* api_session.c: login sessions (random cookie, only its SHA-256 stored), CSRF, cookie and query helpers */
#include <errno.h>      /* EINTR */
#include <stdio.h>      /* snprintf */
#include <string.h>     /* strlen, strncmp */
#include <sys/random.h> /* getrandom */

#include "api.h"
#include "api_auth.h"
#include "api_sql.h"
#include "cfg.h"
#include "db.h"
#include "log.h"

int
api_random(void *buf, size_t n)
{
	unsigned char *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(p + got, n - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int
api_random_hex(char *out, size_t outlen, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[64];
	size_t i;

	if (n > sizeof(b) || outlen < 2 * n + 1 || api_random(b, n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
	memset(b, 0, sizeof(b));
	return 0;
}

int
api_secret_eq(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), i;
	unsigned char d = na != nb;

	for (i = 0; i < na; i++)
		d |= (unsigned char)(a[i] ^ b[i % (nb ? nb : 1)]);
	return nb > 0 && d == 0;
}

int
api_cookie_get(const char *header, const char *name, char *out, size_t len)
{
	size_t n = strlen(name);
	const char *p = header;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			size_t v = strcspn(p + n + 1, ";");

			while (v > 0 && p[n + v] == ' ')
				v--;
			if (v == 0 || v >= len)
				return -1;
			memcpy(out, p + n + 1, v);
			out[v] = '\0';
			return 0;
		}
		p = strchr(p, ';');
	}
	return -1;
}

static int
api_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
api_query_get(const char *query, const char *name, char *out, size_t len)
{
	size_t n = strlen(name);
	const char *p = query;

	while (p != NULL && *p != '\0') {
		size_t klen = strcspn(p, "=&");

		if (klen == n && strncmp(p, name, n) == 0 && p[n] == '=') {
			const char *v = p + n + 1;
			size_t o = 0;

			for (; *v != '\0' && *v != '&'; v++) {
				char c = *v;

				if (c == '+') {
					c = ' ';
				} else if (c == '%') {
					int hi = api_hexval(v[1]),
					    lo = hi < 0 ? -1 : api_hexval(v[2]);

					if (hi < 0 || lo < 0)
						return -1;
					c = (char)(hi * 16 + lo);
					v += 2;
				}
				if (c == '\0' || o + 1 >= len)
					return -1;
				out[o++] = c;
			}
			out[o] = '\0';
			return 0;
		}
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
	return -1;
}

/* Append one header line to rs->extra (dropped whole when it does not fit). */
static void
api_header_add(struct api_resp *rs, const char *line)
{
	size_t o = strlen(rs->extra), n = strlen(line);

	if (o + n + 3 > sizeof(rs->extra)) {
		log_err("response header dropped: too long");
		return;
	}
	memcpy(rs->extra + o, line, n);
	memcpy(rs->extra + o + n, "\r\n", 3);
}

void
api_set_cookie(struct api_resp *rs, const struct cfg *c, const char *name,
               const char *value, long max_age)
{
	char line[256];
	int secure = strcmp(cfg_get(c, "cookie_secure", "1"), "0") != 0;

	snprintf(line, sizeof(line),
	         "Set-Cookie: %s=%s; Path=/; Max-Age=%ld; HttpOnly; "
	         "SameSite=Lax%s",
	         name, value ? value : "", value ? max_age : 0L,
	         secure ? "; Secure" : "");
	api_header_add(rs, line);
	memset(line, 0, sizeof(line));
}

void
api_redirect(struct api_resp *rs, const char *url)
{
	char line[1400];

	if (snprintf(line, sizeof(line), "Location: %s", url) >=
	    (int)sizeof(line)) {
		api_error(rs, 500, "internal", NULL, "redirect too long");
		return;
	}
	api_header_add(rs, line);
	rs->status = 302;
	rs->no_store = 1;
	rs->content_type = "text/plain; charset=utf-8";
	rs->len = 0;
}

static void
api_hash_token(const char *token, unsigned char h[32])
{
	api_sha256(token, strlen(token), h);
}

int
api_session_new(struct api_worker *w, long long athlete, char *token,
                size_t len)
{
	char csrf[2 * 16 + 1];
	unsigned char h[32];
	long days = 30;
	char err[128];
	int rc = -1;

	if (cfg_get_long(w->cfg, "session_days", 30, 1, 365, &days, err,
	                 sizeof(err)) != 0)
		days = 30;
	if (api_random_hex(token, len, API_TOKEN_BYTES) != 0 ||
	    api_random_hex(csrf, sizeof(csrf), 16) != 0) {
		log_err("cannot read random bytes for a session");
		goto out;
	}
	api_hash_token(token, h);
	{
		const char *cv = csrf;
		struct db_param p[] = {DB_BLOB(h, 32), DB_I64(athlete),
		                       DB_STR(cv), DB_I64(days)};

		db_exec(w->db, API_Q_SESSION_PURGE, NULL, 0);
		if (db_exec(w->db, API_Q_SESSION_PUT, p, 4) != 1)
			goto out;
	}
	rc = 0;
out:
	memset(h, 0, sizeof(h));
	memset(csrf, 0, sizeof(csrf));
	return rc;
}

int
api_session_find(struct api_worker *w, const char *cookie, long long *athlete,
                 char *csrf, size_t csrflen)
{
	char token[2 * API_TOKEN_BYTES + 8];
	unsigned char h[32];
	struct db_res r;
	int rc = 0, f;

	if (api_cookie_get(cookie, API_COOKIE, token, sizeof(token)) != 0 ||
	    strlen(token) != 2 * API_TOKEN_BYTES)
		return 0;
	api_hash_token(token, h);
	memset(token, 0, sizeof(token));
	{
		struct db_param p[] = {DB_BLOB(h, 32)};

		if (db_query(w->db, API_Q_SESSION_GET, p, 1, &r) != 0)
			return -1;
	}
	f = db_fetch(&r);
	if (f == 1) {
		*athlete = db_i64(&r, 0);
		snprintf(csrf, csrflen, "%s",
		         db_str(&r, 1) ? db_str(&r, 1) : "");
		rc = 1;
	} else if (f < 0) {
		rc = -1;
	}
	db_res_free(&r);
	return rc;
}

int
api_session_end(struct api_worker *w, const char *cookie)
{
	char token[2 * API_TOKEN_BYTES + 8];
	unsigned char h[32];

	if (api_cookie_get(cookie, API_COOKIE, token, sizeof(token)) != 0)
		return 0;
	api_hash_token(token, h);
	memset(token, 0, sizeof(token));
	{
		struct db_param p[] = {DB_BLOB(h, 32)};

		return db_exec(w->db, API_Q_SESSION_DEL, p, 1) < 0 ? -1 : 0;
	}
}

int
api_session_athlete(struct api_ctx *x)
{
	const struct api_http_req *rq = x->rq;
	char csrf[80];
	long long athlete = 0;
	struct db_res r;
	int f;

	f = api_session_find(x->w, rq != NULL ? rq->cookie : NULL, &athlete,
	                     csrf, sizeof(csrf));
	if (f < 0)
		return api_db_failed(x);
	if (f == 0)
		return api_error(x->rs, 401, "login_required", NULL,
		                 "log in with Strava first (/auth/login)");
	/* every change (PUT, POST) carries the session's token */
	if (rq->method != API_GET && rq->method != API_HEAD &&
	    (rq->csrf == NULL || !api_secret_eq(rq->csrf, csrf)))
		return api_error(x->rs, 403, "csrf_failed", NULL,
		                 "send the session's CSRF token in the "
		                 "X-CSRF-Token header (GET /auth/me gives it)");
	x->athlete_id = athlete;
	{
		struct db_param p[] = {DB_I64(athlete)};

		if (db_query(x->db, API_Q_ATHLETE_BY_ID, p, 1, &r) != 0)
			return api_db_failed(x);
	}
	f = db_fetch(&r);
	if (f == 1)
		x->mart_version = db_i64(&r, 1);
	db_res_free(&r);
	if (f < 0)
		return api_db_failed(x);
	if (f == 0)
		return api_error(x->rs, 404, "no_athlete", NULL,
		                 "no data yet: the first sync of your "
		                 "activities is still to come");
	return 0;
}
