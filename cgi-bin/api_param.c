/* api_param.c: parses QUERY_STRING into the typed, validated values a route declares */
#include <errno.h>  /* errno */
#include <math.h>   /* isfinite */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* strtoll, strtod */
#include <string.h> /* strcmp, strchr */

#include "api.h"

static const char api_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int
api_utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i], need, cp, k;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (k = 1; k <= need; k++) {
			if (i + k >= n || (p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((need == 2 &&
		     (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long long
api_days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

void
api_format_date(long long z, char *buf, size_t len)
{
	long long era, y;
	unsigned doe, yoe, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, len, "%04lld-%02u-%02u", y + (m <= 2), m, d);
}

int
api_parse_date(const char *s, long long *days)
{
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30,
	                                 31, 31, 30, 31, 30, 31};
	unsigned y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (unsigned)((s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	               (s[2] - '0') * 10 + (s[3] - '0'));
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 &&
	    !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	*days = api_days_from_civil(y, m, d);
	return 0;
}

/* Strict decimal integer (optional '-'), no spaces, no '+'. */
static int
api_parse_int(const char *s, long long *out)
{
	char *end;
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9' || strlen(p) > 19)
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

static int
api_parse_number(const char *s, double *out)
{
	char *end;
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		      *p == 'e' || *p == 'E' || *p == '+'))
			return -1;
	if (*s == '\0' || strlen(s) > 32)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return errno != 0 || *end != '\0' || !isfinite(*out) ? -1 : 0;
}

static int
api_choice(const char *const *choices, const char *s, size_t n)
{
	int i;

	for (i = 0; choices != NULL && choices[i] != NULL; i++)
		if (strlen(choices[i]) == n && strncmp(choices[i], s, n) == 0)
			return i;
	return -1;
}

int
api_cursor_encode(const struct api_cursor *c, char *out, size_t len)
{
	char raw[96];
	int n;
	size_t i, o = 0;
	unsigned v;

	if (c->is_num)
		n = snprintf(raw, sizeof(raw), "1|%s|%s|%.17g|%lld", c->sort,
		             c->order, c->num, c->id);
	else
		n = snprintf(raw, sizeof(raw), "1|%s|%s|%s|%lld", c->sort,
		             c->order, c->text, c->id);
	if (n < 0 || (size_t)n >= sizeof(raw))
		return -1;
	for (i = 0; i < (size_t)n; i += 3) {
		size_t k = (size_t)n - i;

		v = (unsigned)(unsigned char)raw[i] << 16;
		if (k > 1)
			v |= (unsigned)(unsigned char)raw[i + 1] << 8;
		if (k > 2)
			v |= (unsigned char)raw[i + 2];
		if (o + 5 > len)
			return -1;
		out[o++] = api_b64[(v >> 18) & 63];
		out[o++] = api_b64[(v >> 12) & 63];
		if (k > 1)
			out[o++] = api_b64[(v >> 6) & 63];
		if (k > 2)
			out[o++] = api_b64[v & 63];
	}
	out[o] = '\0';
	return 0;
}

int
api_cursor_decode(const char *s, struct api_cursor *c)
{
	char raw[96], *f[5], *p, *end;
	size_t n = strlen(s), i, o = 0;
	unsigned acc = 0, bits = 0;
	int nf = 0, k;

	memset(c, 0, sizeof(*c));
	if (n == 0 || n > 120 || n % 4 == 1)
		return -1;
	for (i = 0; i < n; i++) {
		const char *q = strchr(api_b64, s[i]);

		if (q == NULL || s[i] == '\0')
			return -1;
		acc = (acc << 6) | (unsigned)(q - api_b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o + 1 >= sizeof(raw))
				return -1;
			raw[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	if ((acc & ((1u << bits) - 1)) != 0)
		return -1; /* non-canonical trailing bits */
	raw[o] = '\0';
	if (strlen(raw) != o)
		return -1;
	for (p = raw, k = 0; k < 5; k++) {
		f[k] = p;
		nf++;
		p = strchr(p, '|');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	if (nf != 5 || p != NULL || strcmp(f[0], "1") != 0)
		return -1;
	if (strlen(f[1]) >= sizeof(c->sort) || strlen(f[2]) >= sizeof(c->order))
		return -1;
	strcpy(c->sort, f[1]);
	strcpy(c->order, f[2]);
	if (api_parse_int(f[4], &c->id) != 0)
		return -1;
	if (strcmp(c->sort, "date") == 0) {
		/* YYYY-MM-DD HH:MM:SS */
		long long d;
		char day[11];

		if (strlen(f[3]) != 19 || f[3][10] != ' ' || f[3][13] != ':' ||
		    f[3][16] != ':')
			return -1;
		for (i = 11; i < 19; i++)
			if (i != 13 && i != 16 &&
			    (f[3][i] < '0' || f[3][i] > '9'))
				return -1;
		memcpy(day, f[3], 10);
		day[10] = '\0';
		if (api_parse_date(day, &d) != 0)
			return -1;
		strcpy(c->text, f[3]);
	} else {
		c->is_num = 1;
		c->num = strtod(f[3], &end);
		if (*f[3] == '\0' || *end != '\0' || !isfinite(c->num))
			return -1;
	}
	return 0;
}

/* The parameter of route r called `name`, or P__MAX. */
static enum api_param
api_param_named(const struct api_route *r, const char *name)
{
	int i;

	for (i = 0; r->params != NULL && r->params[i] != P__MAX; i++)
		if (strcmp(api_pdefs[r->params[i]].name, name) == 0)
			return r->params[i];
	return P__MAX;
}

/* Percent-decode [s, s+n) into the arena; NULL on a bad escape or NUL. */
static char *
api_decode(struct api_worker *w, const char *s, size_t n, size_t *outlen)
{
	char *d = w->arena + w->arena_used;
	size_t i, o = 0;

	if (w->arena_used + n + 1 > sizeof(w->arena))
		return NULL;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;
			const char *hx = "0123456789abcdef";
			const char *a, *b;

			if (i + 2 >= n)
				return NULL;
			a = strchr(hx, s[i + 1] | 0x20);
			b = strchr(hx, s[i + 2] | 0x20);
			if (s[i + 1] == '\0' || s[i + 2] == '\0' || a == NULL ||
			    b == NULL)
				return NULL;
			hi = (int)(a - hx);
			lo = (int)(b - hx);
			c = (char)(hi * 16 + lo);
			i += 2;
			if (c == '\0')
				return NULL;
		}
		d[o++] = c;
	}
	d[o] = '\0';
	w->arena_used += o + 1;
	*outlen = o;
	return d;
}

/* Validate the text `s` of parameter `p` into `v`. 0, or an error answer. */
static int
api_validate(struct api_worker *w, const struct api_pdef *p, const char *s,
             size_t n, struct api_val *v)
{
	struct api_resp *rs = &w->rs;
	long long iv;
	double dv;
	const char *c, *e;
	int k;

	v->s = s;
	switch (p->type) {
	case API_P_INT:
	case API_P_PATHID:
		if (api_parse_int(s, &iv) != 0)
			return api_error(rs, 400, "invalid_parameter", p->name,
			                 "%s must be an integer", p->name);
		if (p->type == API_P_PATHID ? iv == 0
		                            : (iv < p->min || iv > p->max))
			return api_error(rs, 400, "out_of_range", p->name,
			                 "%s must be between %.0f and %.0f",
			                 p->name, p->min, p->max);
		v->i = iv;
		break;
	case API_P_NUMBER:
		if (api_parse_number(s, &dv) != 0)
			return api_error(rs, 400, "invalid_parameter", p->name,
			                 "%s must be a number", p->name);
		if (dv < p->min || dv > p->max)
			return api_error(rs, 400, "out_of_range", p->name,
			                 "%s must be between %g and %g",
			                 p->name, p->min, p->max);
		v->d = dv;
		break;
	case API_P_DATE:
		if (api_parse_date(s, &v->i) != 0)
			return api_error(rs, 400, "invalid_parameter", p->name,
			                 "%s must be a date YYYY-MM-DD "
			                 "(1900-2200)",
			                 p->name);
		break;
	case API_P_ENUM:
		k = api_choice(p->choices, s, n);
		if (k < 0)
			return api_error(rs, 400, "invalid_parameter", p->name,
			                 "%s must be one of the documented "
			                 "values",
			                 p->name);
		v->s = p->choices[k];
		v->i = k;
		break;
	case API_P_STRING:
		if (n > (size_t)p->max)
			return api_error(rs, 400, "out_of_range", p->name,
			                 "%s must be at most %.0f bytes",
			                 p->name, p->max);
		break;
	case API_P_CURSOR:
		if (api_cursor_decode(s, &v->cur) != 0)
			return api_error(rs, 400, "invalid_cursor", p->name,
			                 "cursor is malformed: pass back "
			                 "next_cursor unchanged");
		break;
	case API_P_KEYS:
	case API_P_INTLIST:
		v->keys = 0;
		v->nlist = 0;
		for (c = s;; c = e + 1) {
			e = strchr(c, ',');
			if (e == NULL)
				e = c + strlen(c);
			if (p->type == API_P_KEYS) {
				k = api_choice(p->choices, c, (size_t)(e - c));
				if (k < 0)
					return api_error(
					    rs, 400, "invalid_parameter",
					    p->name,
					    "%s must be a comma-separated "
					    "list of documented keys",
					    p->name);
				v->keys |= 1u << k;
			} else {
				char num[24];

				if (e - c <= 0 || e - c >= (long)sizeof(num) ||
				    v->nlist >= API_LIST_MAX)
					return api_error(
					    rs, 400, "invalid_parameter",
					    p->name,
					    "%s must be a list of at most %d "
					    "integers",
					    p->name, API_LIST_MAX);
				memcpy(num, c, (size_t)(e - c));
				num[e - c] = '\0';
				if (api_parse_int(num, &iv) != 0 ||
				    iv < p->min || iv > p->max)
					return api_error(
					    rs, 400, "invalid_parameter",
					    p->name,
					    "%s must hold integers between "
					    "%.0f and %.0f",
					    p->name, p->min, p->max);
				v->list[v->nlist++] = (int)iv;
			}
			if (*e == '\0')
				break;
		}
		break;
	case API_P_PERIOD:
		if (strcmp(s, "all") == 0) {
			v->s = "all";
			v->i = 0;
		} else if (strncmp(s, "year:", 5) == 0 &&
		           api_parse_int(s + 5, &iv) == 0 && iv >= 1900 &&
		           iv <= 2200 && strlen(s) == 9) {
			v->s = "year";
			v->i = iv;
		} else if (strncmp(s, "days:", 5) == 0 &&
		           api_parse_int(s + 5, &iv) == 0 && s[5] != '-' &&
		           s[5] != '0') {
			if (iv < p->min || iv > p->max)
				return api_error(rs, 400, "out_of_range",
				                 p->name,
				                 "days:N needs N between %.0f "
				                 "and %.0f",
				                 p->min, p->max);
			v->s = "days";
			v->i = iv;
		} else {
			return api_error(rs, 400, "invalid_parameter", p->name,
			                 "%s must be all, year:YYYY or days:N",
			                 p->name);
		}
		break;
	}
	v->present = 1;
	return 0;
}

/*
 * Parse `query` for route r into v[] (indexed by enum api_param). On
 * success 0 and `canon` holds the normalised query (declared order);
 * otherwise the error answer is in w->rs and its status is returned.
 */
int
api_parse_query(struct api_worker *w, const struct api_route *r,
                const char *query, long long path_id, struct api_val *v,
                char *canon, size_t canonlen)
{
	const char *p = query != NULL ? query : "";
	size_t qlen = strlen(p), co = 0;
	enum api_param i;
	int k;

	w->arena_used = 0;
	memset(v, 0, sizeof(*v) * P__MAX);
	canon[0] = '\0';
	if (qlen > API_QUERY_MAX)
		return api_error(&w->rs, 414, "query_too_long", NULL,
		                 "the query string is longer than %d bytes",
		                 API_QUERY_MAX);
	while (*p != '\0') {
		const char *amp = strchr(p, '&'), *eq;
		size_t seg = amp != NULL ? (size_t)(amp - p) : strlen(p);
		size_t nlen, vlen;
		char *name, *val;

		if (seg == 0) {
			p++;
			continue;
		}
		eq = memchr(p, '=', seg);
		name = api_decode(w, p, eq != NULL ? (size_t)(eq - p) : seg,
		                  &nlen);
		val = eq != NULL ? api_decode(w, eq + 1,
		                              seg - (size_t)(eq - p) - 1, &vlen)
		                 : api_decode(w, "", 0, &vlen);
		if (name == NULL || val == NULL || !api_utf8_ok(name, nlen) ||
		    !api_utf8_ok(val, vlen))
			return api_error(&w->rs, 400, "bad_encoding", NULL,
			                 "the query string is not valid "
			                 "percent-encoded UTF-8");
		i = api_param_named(r, name);
		if (i == P__MAX || api_pdefs[i].type == API_P_PATHID)
			return api_error(&w->rs, 400, "unknown_parameter", name,
			                 "unknown parameter: %s",
			                 nlen > 64 ? "(name too long)" : name);
		if (v[i].given)
			return api_error(&w->rs, 400, "duplicate_parameter",
			                 api_pdefs[i].name,
			                 "parameter %s is given twice",
			                 api_pdefs[i].name);
		v[i].given = 1;
		if (vlen > 0 &&
		    api_validate(w, &api_pdefs[i], val, vlen, &v[i]) != 0)
			return w->rs.status;
		if (vlen == 0)
			v[i].given = 2; /* empty: counts as absent */
		p += seg;
		if (*p == '&')
			p++;
	}
	for (k = 0; r->params != NULL && r->params[k] != P__MAX; k++) {
		const struct api_pdef *d = &api_pdefs[r->params[k]];
		char idbuf[24];

		i = r->params[k];
		if (d->type == API_P_PATHID) {
			/* The id is part of what the answer depends on (ETag).
			 */
			int n = snprintf(idbuf, sizeof(idbuf), "%lld", path_id);

			v[i].present = 1;
			v[i].given = 1;
			v[i].i = path_id;
			if (n < 0 || co + (size_t)n + 5 >= canonlen)
				return api_error(&w->rs, 414, "query_too_long",
				                 NULL, "the query is too long");
			co += (size_t)snprintf(canon + co, canonlen - co,
			                       "%s=%s&", d->name, idbuf);
			continue;
		}
		if (!v[i].present && d->required)
			return api_error(&w->rs, 400, "missing_parameter",
			                 d->name, "parameter %s is required",
			                 d->name);
		if (v[i].present) {
			/* A period's text is its kind; its number counts too.
			 */
			int n = d->type == API_P_PERIOD
			            ? snprintf(canon + co, canonlen - co,
			                       "%s=%s:%lld&", d->name, v[i].s,
			                       v[i].i)
			            : snprintf(canon + co, canonlen - co,
			                       "%s=%s&", d->name, v[i].s);

			if (n < 0 || (size_t)n >= canonlen - co)
				return api_error(&w->rs, 414, "query_too_long",
				                 NULL, "the query is too long");
			co += (size_t)n;
		} else if (d->def != NULL) {
			if (api_validate(w, d, d->def, strlen(d->def), &v[i]) !=
			    0)
				return w->rs.status;
		}
	}
	if (v[P_FROM].present && v[P_TO].present && v[P_FROM].i > v[P_TO].i)
		return api_error(&w->rs, 400, "invalid_range", "from",
		                 "from (%s) is after to (%s)", v[P_FROM].s,
		                 v[P_TO].s);
	return 0;
}
