/* tf_stream_fast.c: a one-pass reader of the usual StreamSet JSON straight into channels, jansson's result or nothing */
#include "tf.h"

#include <math.h>   /* NAN */
#include <stdint.h> /* uint64_t */
#include <stdlib.h> /* realloc, free */
#include <string.h> /* memcmp, memset */

/*
 * Strava's streams are a few MB of numbers in arrays. jansson builds a
 * value per number and frees it again, which was a fifth of the
 * transform's time. This reader walks the text once and writes the
 * numbers of the channels it wants straight into their arrays.
 *
 * It says yes only where it is sure to give what tf_stream_parse_json
 * (jansson) gives; anything unusual (a list of streams instead of an
 * object, escapes or non-ASCII bytes in a string, a number that needs
 * more than the exact fast conversion, a key twice, nesting deeper than
 * 16, invalid JSON) makes it say "not mine" and the caller asks jansson,
 * which then decides, errors included. tests/fuzz/fuzz_streams.c holds
 * the two to the same answer.
 */

#define TF_FAST_DEPTH 16

struct tf_fast {
	const char *p, *end;
};

/* A growing array of doubles. */
struct tf_vec {
	double *v;
	size_t n, cap;
};

static int
tf_vec_push(struct tf_vec *a, double x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 1024;
		double *v = realloc(a->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 0;
}

static void
tf_ws(struct tf_fast *f)
{
	while (f->p < f->end && (*f->p == ' ' || *f->p == '\n' ||
	                         *f->p == '\r' || *f->p == '\t'))
		f->p++;
}

/* Expect c after whitespace. */
static int
tf_eat(struct tf_fast *f, char c)
{
	tf_ws(f);
	if (f->p < f->end && *f->p == c) {
		f->p++;
		return 1;
	}
	return 0;
}

/* A plain ASCII string (no escape, no control byte): its body. */
static int
tf_str(struct tf_fast *f, const char **s, size_t *len)
{
	const char *q;

	tf_ws(f);
	if (f->p >= f->end || *f->p != '"')
		return 0;
	for (q = ++f->p; q < f->end && *q != '"'; q++)
		if (*q == '\\' || (unsigned char)*q < 0x20 ||
		    (unsigned char)*q >= 0x80)
			return 0;
	if (q >= f->end)
		return 0;
	*s = f->p;
	*len = (size_t)(q - f->p);
	f->p = q + 1;
	return 1;
}

static int
tf_word(struct tf_fast *f, const char *w, size_t n)
{
	if ((size_t)(f->end - f->p) < n || memcmp(f->p, w, n) != 0)
		return 0;
	f->p += n;
	return 1;
}

/*
 * A JSON number converted exactly as strtoll / strtod would: integers of
 * up to 18 digits, and decimals whose digits make an integer below 2^53
 * scaled by at most 10^22 (one correctly rounded multiplication or
 * division of two exact doubles, Clinger's fast path).
 */
static int
tf_num(struct tf_fast *f, double *out)
{
	static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
	                               1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	                               1e18, 1e19, 1e20, 1e21, 1e22};
	const char *q = f->p;
	uint64_t m = 0;
	int neg = 0, digits = 0, frac = 0, real = 0, ex = 0, eneg = 0, en = 0;
	long e;

	if (q < f->end && *q == '-') {
		neg = 1;
		q++;
	}
	if (q >= f->end || *q < '0' || *q > '9')
		return 0;
	if (*q == '0') {
		q++;
		digits = 1;
	} else
		for (; q < f->end && *q >= '0' && *q <= '9'; q++) {
			if (++digits > 18)
				return 0;
			m = m * 10 + (uint64_t)(*q - '0');
		}
	if (q < f->end && *q == '.') {
		real = 1;
		q++;
		if (q >= f->end || *q < '0' || *q > '9')
			return 0;
		for (; q < f->end && *q >= '0' && *q <= '9'; q++) {
			if (++digits > 18)
				return 0;
			m = m * 10 + (uint64_t)(*q - '0');
			frac++;
		}
	}
	if (q < f->end && (*q == 'e' || *q == 'E')) {
		real = 1;
		q++;
		if (q < f->end && (*q == '+' || *q == '-'))
			eneg = *q++ == '-';
		if (q >= f->end || *q < '0' || *q > '9')
			return 0;
		for (; q < f->end && *q >= '0' && *q <= '9'; q++) {
			if (++en > 3)
				return 0;
			ex = ex * 10 + (*q - '0');
		}
	}
	f->p = q;
	if (!real) { /* jansson: an integer, as a double */
		long long i = (long long)m;

		*out = (double)(neg ? -i : i);
		return 1;
	}
	if (m >= (1ULL << 53))
		return 0;
	e = (eneg ? -ex : ex) - frac;
	if (e < -22 || e > 22)
		return 0;
	*out = e >= 0 ? (double)m * p10[e] : (double)m / p10[-e];
	if (neg)
		*out = -*out;
	return 1;
}

static int tf_skip(struct tf_fast *f, int depth);

/* The members of an object or the elements of an array, skipped. */
static int
tf_skip_list(struct tf_fast *f, int depth, char close, int object)
{
	const char *s;
	size_t n;

	if (tf_eat(f, close))
		return 1;
	do {
		if (object && (!tf_str(f, &s, &n) || !tf_eat(f, ':')))
			return 0;
		if (!tf_skip(f, depth + 1))
			return 0;
	} while (tf_eat(f, ','));
	return tf_eat(f, close);
}

/* Any value, checked and passed over. */
static int
tf_skip(struct tf_fast *f, int depth)
{
	const char *s;
	size_t n;
	double x;

	if (depth > TF_FAST_DEPTH)
		return 0;
	tf_ws(f);
	if (f->p >= f->end)
		return 0;
	switch (*f->p) {
	case '{':
		f->p++;
		return tf_skip_list(f, depth, '}', 1);
	case '[':
		f->p++;
		return tf_skip_list(f, depth, ']', 0);
	case '"':
		return tf_str(f, &s, &n);
	case 't':
		return tf_word(f, "true", 4);
	case 'f':
		return tf_word(f, "false", 5);
	case 'n':
		return tf_word(f, "null", 4);
	default:
		return tf_num(f, &x);
	}
}

/* One element of a data array as tf_stream.c's tf_num sees it. */
static int
tf_elem(struct tf_fast *f, double *x)
{
	tf_ws(f);
	if (f->p >= f->end)
		return 0;
	if (*f->p == 't')
		return (*x = 1, tf_word(f, "true", 4));
	if (*f->p == 'f')
		return (*x = 0, tf_word(f, "false", 5));
	if (*f->p == 'n')
		return (*x = NAN, tf_word(f, "null", 4));
	return tf_num(f, x);
}

/* A data array: numbers into a; for latlng, [lat, lng] pairs into a and b
 * (anything but such a pair or null is not ours). */
static int
tf_data(struct tf_fast *f, struct tf_vec *a, struct tf_vec *b)
{
	double x, y;

	if (!tf_eat(f, '['))
		return 0;
	if (tf_eat(f, ']'))
		return 1;
	do {
		if (b == NULL) {
			if (!tf_elem(f, &x) || tf_vec_push(a, x) != 0)
				return 0;
			continue;
		}
		tf_ws(f);
		if (f->p < f->end && *f->p == 'n') {
			if (!tf_word(f, "null", 4))
				return 0;
			x = y = NAN;
		} else if (!tf_eat(f, '[') || !tf_elem(f, &x) ||
		           !tf_eat(f, ',') || !tf_elem(f, &y) ||
		           !tf_eat(f, ']'))
			return 0;
		if (tf_vec_push(a, x) != 0 || tf_vec_push(b, y) != 0)
			return 0;
	} while (tf_eat(f, ','));
	return tf_eat(f, ']');
}

/* One stream: {"data": [...], ...} or the bare array. */
static int
tf_stream(struct tf_fast *f, struct tf_vec *a, struct tf_vec *b, int *have)
{
	const char *s;
	size_t n;
	int data = 0;

	tf_ws(f);
	if (f->p < f->end && *f->p == '[')
		return (*have = 1, tf_data(f, a, b));
	if (!tf_eat(f, '{'))
		return tf_skip(f, 1); /* not a stream: the channel is absent */
	if (tf_eat(f, '}'))
		return 1;
	do {
		if (!tf_str(f, &s, &n) || !tf_eat(f, ':'))
			return 0;
		if (n == 4 && memcmp(s, "data", 4) == 0) {
			tf_ws(f);
			if (data++ || f->p >= f->end || *f->p != '[')
				return 0; /* twice, or not an array: jansson */
			if (!tf_data(f, a, b))
				return 0;
			*have = 1;
		} else if (!tf_skip(f, 2))
			return 0;
	} while (tf_eat(f, ','));
	return tf_eat(f, '}');
}

/* Which channel a key names: 0..MET_NCH-1, MET_NCH for latlng, -1 none. */
static int
tf_key(const char *s, size_t n)
{
	int c;

	if (n == 6 && memcmp(s, "latlng", 6) == 0)
		return MET_NCH;
	for (c = 0; c < MET_NCH; c++)
		if (c != MET_LAT && c != MET_LNG &&
		    strlen(met_ch_names[c]) == n &&
		    memcmp(met_ch_names[c], s, n) == 0)
			return c;
	return -1;
}

int
tf_stream_fast(const char *text, size_t len, struct met_raw *raw)
{
	struct tf_fast f = {text, text + len};
	struct tf_vec v[MET_NCH];
	int have[MET_NCH], seen[MET_NCH + 1];
	const char *s;
	size_t n, i, k;
	int c, ok = 0;

	memset(raw, 0, sizeof(*raw));
	memset(v, 0, sizeof(v));
	memset(have, 0, sizeof(have));
	memset(seen, 0, sizeof(seen));
	if (!tf_eat(&f, '{'))
		goto out;
	if (!tf_eat(&f, '}')) {
		do {
			if (!tf_str(&f, &s, &n) || !tf_eat(&f, ':'))
				goto out;
			c = tf_key(s, n);
			if (c < 0) {
				if (!tf_skip(&f, 1))
					goto out;
				continue;
			}
			if (seen[c]++)
				goto out; /* a key twice: jansson keeps the last
				           */
			if (c == MET_NCH) {
				if (!tf_stream(&f, &v[MET_LAT], &v[MET_LNG],
				               &have[MET_LAT]))
					goto out;
				have[MET_LNG] = have[MET_LAT];
			} else if (!tf_stream(&f, &v[c], NULL, &have[c]))
				goto out;
		} while (tf_eat(&f, ','));
		if (!tf_eat(&f, '}'))
			goto out;
	}
	tf_ws(&f);
	if (f.p != f.end)
		goto out; /* text after the object */
	ok = 1;
	n = have[MET_TIME] ? v[MET_TIME].n : 0;
	if (n == 0)
		goto out; /* no time stream: no usable streams (ok, empty) */
	raw->n = n;
	for (c = 0; c < MET_NCH; c++) {
		double *d;

		if (!have[c])
			continue;
		d = realloc(v[c].v, (n > 0 ? n : 1) * sizeof(double));
		if (d == NULL) {
			ok = 0;
			goto out;
		}
		for (k = v[c].n; k < n; k++)
			d[k] = NAN; /* shorter than time: missing samples */
		raw->ch[c] = d;
		v[c].v = NULL;
	}
out:
	for (i = 0; i < MET_NCH; i++)
		free(v[i].v);
	if (!ok || raw->n == 0) {
		met_raw_free(raw);
		memset(raw, 0, sizeof(*raw));
	}
	return ok;
}

/* Same shape and the same bits in every channel (NaN equals NaN). */
static int
tf_raw_same(const struct met_raw *a, const struct met_raw *b)
{
	size_t i;
	int c;

	if (a->n != b->n)
		return 0;
	for (c = 0; c < MET_NCH; c++) {
		if ((a->ch[c] == NULL) != (b->ch[c] == NULL))
			return 0;
		for (i = 0; a->ch[c] != NULL && i < a->n; i++)
			if (memcmp(&a->ch[c][i], &b->ch[c][i],
			           sizeof(double)) != 0 &&
			    !(a->ch[c][i] != a->ch[c][i] &&
			      b->ch[c][i] != b->ch[c][i]))
				return 0;
	}
	return 1;
}

int
tf_stream_check(const char *text, size_t len, int *fast)
{
	struct met_raw f, j;
	char err[256];
	int rc = 1;

	*fast = tf_stream_fast(text, len, &f);
	if (*fast)
		rc = tf_stream_parse_json(text, len, &j, err, sizeof(err)) ==
		         0 &&
		     tf_raw_same(&f, &j);
	if (*fast) {
		met_raw_free(&f);
		met_raw_free(&j);
	}
	return rc;
}
