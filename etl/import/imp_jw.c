/* imp_jw.c: JSON text written straight into a buffer, numbers byte for byte as jansson prints them */
#include "imp_jw.h"

#include <math.h>   /* isfinite, llround, signbit, fabs */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* malloc, realloc, free */
#include <string.h> /* memcpy, strchr, memmove */

/* Decimal places tried for the fast path (imported streams use 0..6). */
#define IMP_JW_MAX_DEC 6

static const double imp_p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

void
imp_jw_init(struct imp_jw *w, size_t hint)
{
	w->len = 0;
	w->bad = 0;
	w->cap = hint > 64 ? hint : 64;
	w->buf = malloc(w->cap);
	if (!w->buf) {
		w->cap = 0;
		w->bad = 1;
	}
}

void
imp_jw_free(struct imp_jw *w)
{
	if (!w)
		return;
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

/* Room for n more bytes plus a NUL. 0 or -1 (and bad). */
static int
imp_jw_room(struct imp_jw *w, size_t n)
{
	size_t cap;
	char *b;

	if (w->bad)
		return -1;
	if (w->len + n + 1 <= w->cap)
		return 0;
	cap = w->cap ? w->cap : 64;
	while (cap < w->len + n + 1)
		cap *= 2;
	b = realloc(w->buf, cap);
	if (!b) {
		w->bad = 1;
		return -1;
	}
	w->buf = b;
	w->cap = cap;
	return 0;
}

void
imp_jw_raw(struct imp_jw *w, const char *s, size_t n)
{
	if (imp_jw_room(w, n) < 0)
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

void
imp_jw_lit(struct imp_jw *w, const char *s)
{
	imp_jw_raw(w, s, strlen(s));
}

/* Digits of u, most significant first, into buf (at least 20 bytes). */
static size_t
imp_jw_utoa(char *buf, unsigned long long u)
{
	char tmp[24];
	size_t n = 0, k;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	for (k = 0; k < n; k++)
		buf[k] = tmp[n - 1 - k];
	return n;
}

void
imp_jw_int(struct imp_jw *w, long long v)
{
	char buf[24];
	size_t n = 0;
	unsigned long long u;

	if (v < 0) {
		buf[n++] = '-';
		u = 0ULL - (unsigned long long)v;
	} else {
		u = (unsigned long long)v;
	}
	n += imp_jw_utoa(buf + n, u);
	imp_jw_raw(w, buf, n);
}

/*
 * The fast path: v is the double nearest to m / 10^d with |m| < 10^prec
 * and 1e-4 <= |v| (or v is zero). Then "%.<prec>g" of v prints exactly
 * that decimal (v is within half an ulp of it, far closer than half a
 * unit of the prec-th digit, and the exponent is in %g's fixed range),
 * with trailing zeros dropped. Returns the length, 0 when v does not
 * qualify.
 */
static int
imp_jw_fast(char *buf, double v, int prec)
{
	double a = fabs(v), lim;
	unsigned long long u, ip, fp;
	long long m = 0;
	int d, n = 0, k;
	char frac[IMP_JW_MAX_DEC];

	if (prec > 15)
		return 0;
	lim = imp_p10[prec];
	if (a != 0 && (a < 1e-4 || a >= lim))
		return 0;
	for (d = 0; d <= IMP_JW_MAX_DEC; d++) {
		double x = a * imp_p10[d];

		if (x >= lim)
			return 0;
		m = llround(x);
		if ((double)m < lim && (double)m / imp_p10[d] == a)
			break;
	}
	if (d > IMP_JW_MAX_DEC)
		return 0;
	u = (unsigned long long)m;
	ip = u / (unsigned long long)imp_p10[d];
	fp = u % (unsigned long long)imp_p10[d];
	if (signbit(v))
		buf[n++] = '-';
	n += (int)imp_jw_utoa(buf + n, ip);
	buf[n++] = '.';
	for (k = d - 1; k >= 0; k--) {
		frac[k] = (char)('0' + fp % 10);
		fp /= 10;
	}
	while (d > 0 && frac[d - 1] == '0')
		d--;
	if (d == 0) {
		buf[n++] = '0';
	} else {
		memcpy(buf + n, frac, (size_t)d);
		n += d;
	}
	buf[n] = '\0';
	return n;
}

/* snprintf and jansson's clean-up of its output. */
static int
imp_jw_slow(char *buf, size_t size, double v, int prec)
{
	int ret = snprintf(buf, size, "%.*g", prec, v);
	size_t len;
	char *start, *end;

	if (ret < 0 || (size_t)ret >= size)
		return -1;
	len = (size_t)ret;
	if (!strchr(buf, '.') && !strchr(buf, 'e')) {
		if (len + 3 >= size)
			return -1;
		buf[len++] = '.';
		buf[len++] = '0';
		buf[len] = '\0';
	}
	start = strchr(buf, 'e');
	if (start) {
		start++;
		end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, len - (size_t)(end - buf) + 1);
			len -= (size_t)(end - start);
		}
	}
	return (int)len;
}

int
imp_jw_fmt_real(char *buf, size_t size, double v, int prec)
{
	int n;

	if (!isfinite(v) || prec < 1 || prec > IMP_JW_MAX_PREC || size < 32)
		return -1;
	n = imp_jw_fast(buf, v, prec);
	return n > 0 ? n : imp_jw_slow(buf, size, v, prec);
}

void
imp_jw_real(struct imp_jw *w, double v, int prec)
{
	char buf[64];
	int n = imp_jw_fmt_real(buf, sizeof buf, v, prec);

	if (n < 0) {
		w->bad = 1;
		return;
	}
	imp_jw_raw(w, buf, (size_t)n);
}

char *
imp_jw_take(struct imp_jw *w)
{
	char *s = NULL;

	if (!w->bad && imp_jw_room(w, 0) == 0) {
		w->buf[w->len] = '\0';
		s = w->buf;
		w->buf = NULL;
	}
	imp_jw_free(w);
	w->bad = 0;
	return s;
}
