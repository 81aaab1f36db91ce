/* api_xml.c: a small XML writer for the export answers (escaping by context, fixed-precision numbers) */
#include <math.h>   /* isfinite, fabs, llround */
#include <stdio.h>  /* snprintf */
#include <string.h> /* strlen, memcpy */

#include "api.h"
#include "api_xml.h"

typedef int api_xml_put_fn(void *arg, const char *p, size_t n);

/* The length of the well-formed UTF-8 sequence at s that XML may hold (a
 * Char), or 0 when the bytes there are not one. */
static size_t
api_xml_char_len(const unsigned char *s)
{
	unsigned c = s[0];

	if (c < 0x80)
		return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1
		                                                          : 0;
	if (c >= 0xC2 && c <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned lo = c == 0xE0 ? 0xA0 : 0x80;
		unsigned hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */

		if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80)
			return 0;
		/* U+FFFE and U+FFFF are no XML characters */
		if (c == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned lo = c == 0xF0 ? 0x90 : 0x80;
		unsigned hi = c == 0xF4 ? 0x8F : 0xBF;

		if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

/* s escaped for text or (attr) an attribute value, in pieces to put. */
static int
api_xml_esc_run(const char *s, int attr, api_xml_put_fn *put, void *arg)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = -1;

	while (*p != '\0') {
		const char *rep = NULL;
		size_t n = api_xml_char_len(p);

		if (n == 0) { /* dropped: no character XML can hold */
			p++;
			continue;
		}
		if (*p == '&')
			rep = "&amp;";
		else if (*p == '<')
			rep = "&lt;";
		else if (*p == '>')
			rep = "&gt;";
		else if (attr && *p == '"')
			rep = "&quot;";
		else if (attr && *p == '\'')
			rep = "&apos;";
		else if (attr && *p == '\t')
			rep = "&#9;"; /* kept through attribute normalisation */
		else if (attr && *p == '\n')
			rep = "&#10;";
		else if (*p == '\r')
			rep = "&#13;";
		if (rep != NULL ? put(arg, rep, strlen(rep)) != 0
		                : put(arg, (const char *)p, n) != 0)
			goto out;
		p += n;
	}
	rc = 0;
out:
	return rc;
}

struct api_xml_buf {
	char *buf;
	size_t len, used;
};

static int
api_xml_buf_put(void *arg, const char *p, size_t n)
{
	struct api_xml_buf *b = arg;

	if (b->used + n + 1 > b->len)
		return -1;
	memcpy(b->buf + b->used, p, n);
	b->used += n;
	b->buf[b->used] = '\0';
	return 0;
}

int
api_xml_escape(const char *s, int attr, char *buf, size_t len)
{
	struct api_xml_buf b = {buf, len, 0};

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (s == NULL)
		return 0;
	if (api_xml_esc_run(s, attr, api_xml_buf_put, &b) != 0)
		return -1;
	return (int)b.used;
}

int
api_xml_fmt_num(double v, int decimals, char *buf, size_t len)
{
	static const long long api_xml_p10[] = {
	    1,      10,      100,      1000,      10000,
	    100000, 1000000, 10000000, 100000000, 1000000000};
	long long m, ip, fp;
	int n, neg;

	if (!isfinite(v) || decimals < 0 || decimals > 9 || fabs(v) >= 1e9)
		return -1;
	m = llround(fabs(v) * (double)api_xml_p10[decimals]);
	neg = v < 0 && m != 0;
	ip = m / api_xml_p10[decimals];
	fp = m % api_xml_p10[decimals];
	if (decimals == 0)
		n = snprintf(buf, len, "%s%lld", neg ? "-" : "", ip);
	else
		n = snprintf(buf, len, "%s%lld.%0*lld", neg ? "-" : "", ip,
		             decimals, fp);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

static int
api_xml_rs_put(void *arg, const char *p, size_t n)
{
	return api_resp_append(arg, p, n);
}

static void
api_xml_put(struct api_xml *w, const char *s)
{
	if (!w->failed && api_resp_append(w->rs, s, strlen(s)) != 0)
		w->failed = 1;
}

/* End the start tag of the innermost element: it gets content. */
static void
api_xml_content(struct api_xml *w)
{
	if (w->in_tag) {
		api_xml_put(w, ">");
		w->in_tag = 0;
	}
}

void
api_xml_init(struct api_xml *w, struct api_resp *rs)
{
	memset(w, 0, sizeof(*w));
	w->rs = rs;
	w->failed = rs == NULL;
}

void
api_xml_decl(struct api_xml *w)
{
	api_xml_put(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

void
api_xml_open(struct api_xml *w, const char *name)
{
	if (w->depth >= API_XML_DEPTH) {
		w->failed = 1;
		return;
	}
	api_xml_content(w);
	api_xml_put(w, "<");
	api_xml_put(w, name);
	w->open[w->depth++] = name;
	w->in_tag = 1;
}

void
api_xml_attr(struct api_xml *w, const char *name, const char *value)
{
	if (!w->in_tag) {
		w->failed = 1;
		return;
	}
	api_xml_put(w, " ");
	api_xml_put(w, name);
	api_xml_put(w, "=\"");
	if (!w->failed && value != NULL &&
	    api_xml_esc_run(value, 1, api_xml_rs_put, w->rs) != 0)
		w->failed = 1;
	api_xml_put(w, "\"");
}

void
api_xml_attr_num(struct api_xml *w, const char *name, double v, int decimals)
{
	char num[48];

	if (api_xml_fmt_num(v, decimals, num, sizeof(num)) >= 0)
		api_xml_attr(w, name, num);
}

void
api_xml_text(struct api_xml *w, const char *s)
{
	if (w->depth == 0) {
		w->failed = 1;
		return;
	}
	api_xml_content(w);
	if (!w->failed && s != NULL &&
	    api_xml_esc_run(s, 0, api_xml_rs_put, w->rs) != 0)
		w->failed = 1;
}

void
api_xml_nl(struct api_xml *w)
{
	api_xml_content(w);
	api_xml_put(w, "\n");
}

void
api_xml_close(struct api_xml *w)
{
	const char *name;

	if (w->depth == 0) {
		w->failed = 1;
		return;
	}
	name = w->open[--w->depth];
	if (w->in_tag) {
		api_xml_put(w, "/>");
		w->in_tag = 0;
		return;
	}
	api_xml_put(w, "</");
	api_xml_put(w, name);
	api_xml_put(w, ">");
}

void
api_xml_elem(struct api_xml *w, const char *name, const char *text)
{
	if (text == NULL)
		return;
	api_xml_open(w, name);
	api_xml_text(w, text);
	api_xml_close(w);
}

void
api_xml_elem_num(struct api_xml *w, const char *name, double v, int decimals)
{
	char num[48];

	if (api_xml_fmt_num(v, decimals, num, sizeof(num)) < 0)
		return;
	api_xml_open(w, name);
	api_xml_text(w, num);
	api_xml_close(w);
}
