/* imp_xml.c: expat driver with element stack, capped text and ISO 8601 times */
#include "imp_xml.h"

#include <ctype.h>  /* isspace, isdigit */
#include <math.h>   /* NAN, isfinite */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* strtod */
#include <string.h> /* strrchr, strcmp */

static const char *
imp_local(const char *name)
{
	const char *c = strrchr(name, ':');

	return c ? c + 1 : name;
}

static void XMLCALL
imp_xml_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct imp_xml *x = ud;
	const char *ln = imp_local(name);

	if (x->stop)
		return;
	if (x->depth < IMP_XML_DEPTH) {
		size_t n = strnlen(ln, IMP_XML_NAME - 1);

		memcpy(x->stack[x->depth], ln, n);
		x->stack[x->depth][n] = '\0';
	}
	x->depth++;
	x->tlen = 0;
	x->text[0] = '\0';
	if (x->on_start)
		x->on_start(x, ln, attrs);
}

static void XMLCALL
imp_xml_end(void *ud, const XML_Char *name)
{
	struct imp_xml *x = ud;
	size_t a = 0;

	if (x->stop)
		return;
	while (x->tlen > 0 && isspace((unsigned char)x->text[x->tlen - 1]))
		x->text[--x->tlen] = '\0';
	while (isspace((unsigned char)x->text[a]))
		a++;
	if (a)
		memmove(x->text, x->text + a, x->tlen - a + 1);
	x->tlen -= a;
	/* the current element stays on the stack while on_end runs */
	if (x->on_end)
		x->on_end(x, imp_local(name));
	x->depth--;
	x->tlen = 0;
	x->text[0] = '\0';
}

static void XMLCALL
imp_xml_chars(void *ud, const XML_Char *s, int len)
{
	struct imp_xml *x = ud;
	size_t n = (size_t)len;

	if (x->tlen + n > IMP_XML_TEXT - 1)
		n = IMP_XML_TEXT - 1 - x->tlen;
	memcpy(x->text + x->tlen, s, n);
	x->tlen += n;
	x->text[x->tlen] = '\0';
}

void
imp_xml_fail(struct imp_xml *x, const char *msg)
{
	if (x->stop)
		return;
	x->stop = 1;
	snprintf(x->stop_err, sizeof x->stop_err, "%s", msg);
	XML_StopParser(x->p, XML_FALSE);
}

int
imp_xml_run(struct imp_xml *x, struct imp_in *in, char *err, size_t errlen)
{
	int rc = -1;
	char buf[65536];
	ssize_t n;

	x->p = XML_ParserCreate(NULL);
	if (!x->p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, imp_xml_start, imp_xml_end);
	XML_SetCharacterDataHandler(x->p, imp_xml_chars);
	for (;;) {
		n = imp_in_read(in, buf, sizeof buf);
		if (n < 0) {
			snprintf(err, errlen, "%s", in->err);
			goto out;
		}
		if (XML_Parse(x->p, buf, (int)n, n == 0) != XML_STATUS_OK) {
			if (x->stop)
				snprintf(err, errlen, "%s", x->stop_err);
			else
				snprintf(
				    err, errlen, "bad XML at line %lu: %s",
				    (unsigned long)XML_GetCurrentLineNumber(
				        x->p),
				    XML_ErrorString(XML_GetErrorCode(x->p)));
			goto out;
		}
		if (n == 0)
			break;
	}
	rc = 0;
out:
	XML_ParserFree(x->p);
	x->p = NULL;
	return rc;
}

const char *
imp_xml_up(const struct imp_xml *x, int k)
{
	int i = x->depth - 1 - k;

	if (i < 0 || i >= IMP_XML_DEPTH)
		return "";
	return x->stack[i];
}

const char *
imp_xml_attr(const char **attrs, const char *name)
{
	for (; attrs && attrs[0]; attrs += 2)
		if (strcmp(imp_local(attrs[0]), name) == 0)
			return attrs[1];
	return NULL;
}

double
imp_xml_strtod(const char *s, char **end)
{
	static const double p10[] = {1e0,  1e1,  1e2,  1e3, 1e4,  1e5,
	                             1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
	                             1e12, 1e13, 1e14, 1e15};
	const char *p = s;
	long long m = 0;
	int digits = 0, frac = 0, neg = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		m = digits < 15 ? m * 10 + (*p - '0') : m;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, digits++, frac++)
			m = digits < 15 ? m * 10 + (*p - '0') : m;
	if (digits == 0 || digits > 15 || *p != '\0')
		return strtod(s, end);
	*end = (char *)p;
	return neg ? -((double)m / p10[frac]) : (double)m / p10[frac];
}

double
imp_xml_num(const struct imp_xml *x)
{
	char *end;
	double v;

	if (!x->text[0])
		return NAN;
	v = imp_xml_strtod(x->text, &end);
	if (*end || !isfinite(v))
		return NAN;
	return v;
}

static int
imp_digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d, the proleptic Gregorian calendar; days
 * past the month's end run on into the next (as timegm normalises). */
static long long
imp_days(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2; /* years start in March: the leap day comes last */
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
imp_parse_iso(const char *s, double *t, int *has_off, int *off)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 1;
	double frac = 0;

	*has_off = 0;
	*off = 0;
	while (isspace((unsigned char)*s))
		s++;
	if (imp_digits(&s, 4, &y) || *s++ != '-' || imp_digits(&s, 2, &mo) ||
	    *s++ != '-' || imp_digits(&s, 2, &d) || (*s != 'T' && *s != ' '))
		return -1;
	s++;
	if (imp_digits(&s, 2, &h) || *s++ != ':' || imp_digits(&s, 2, &mi) ||
	    *s++ != ':' || imp_digits(&s, 2, &se))
		return -1;
	if (*s == '.' || *s == ',') {
		double scale = 0.1;

		for (s++; isdigit((unsigned char)*s); s++, scale /= 10)
			frac += (*s - '0') * scale;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (imp_digits(&s, 2, &oh))
			return -1;
		if (*s == ':')
			s++;
		if (isdigit((unsigned char)*s) && imp_digits(&s, 2, &om))
			return -1;
		if (oh > 14 || om > 59)
			return -1;
		*has_off = 1;
		*off = sign * (oh * 3600 + om * 60);
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s || y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 ||
	    d > 31 || h > 24 || mi > 59 || se > 60)
		return -1;
	*t = (double)(imp_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se) +
	     frac - *off;
	return 0;
}
