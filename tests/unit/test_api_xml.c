/* test_api_xml.c: the XML writer of the export answers: escaping by context, numbers, nesting, the size cap */
/* links: cgi-bin */
#include <math.h>   /* NAN, INFINITY */
#include <stdlib.h> /* free */
#include <string.h> /* strcmp, memset */

#include "api.h"
#include "api_xml.h"
#include "test.h"

/* s escaped for text (attr 0) or an attribute (attr 1) equals want. */
static int
esc_is(const char *s, int attr, const char *want)
{
	char buf[256];

	return api_xml_escape(s, attr, buf, sizeof(buf)) == (int)strlen(want) &&
	       strcmp(buf, want) == 0;
}

static void
test_escape(void)
{
	char small[8];

	T_OK(esc_is("a & b < c > d", 0, "a &amp; b &lt; c &gt; d"),
	     "text escapes & < >");
	T_OK(esc_is("say \"hi\" 'x'", 0, "say \"hi\" 'x'"),
	     "text keeps quotes as they are");
	T_OK(esc_is("say \"hi\" & 'x' <y>", 1,
	            "say &quot;hi&quot; &amp; &apos;x&apos; &lt;y&gt;"),
	     "an attribute escapes & < > \" '");
	T_OK(esc_is("a\tb\nc", 1, "a&#9;b&#10;c"),
	     "an attribute keeps tab and newline as references");
	T_OK(esc_is("a\rb", 0, "a&#13;b"), "a CR survives as a reference");
	T_OK(esc_is("a\x01"
	            "b\x1f"
	            "c",
	            0, "abc"),
	     "control characters XML cannot hold are dropped");
	T_OK(esc_is("Col du T\xc3\xa9l\xc3\xa9graphe \xe2\x9b\xb0\xef\xb8\x8f",
	            0,
	            "Col du T\xc3\xa9l\xc3\xa9graphe \xe2\x9b\xb0\xef\xb8\x8f"),
	     "UTF-8 text is kept");
	T_OK(esc_is("a\xff"
	            "b\xc3"
	            "c\xed\xa0\x80"
	            "d",
	            0, "abcd"),
	     "bytes that are not UTF-8 (and surrogates) are dropped");
	T_OK(esc_is("x\xef\xbf\xbe"
	            "y",
	            0, "xy"),
	     "U+FFFE is dropped");
	T_OK(esc_is("&&&", 1, "&amp;&amp;&amp;"), "every & is escaped");
	T_OK(api_xml_escape("<<<<", 0, small, sizeof(small)) == -1,
	     "an escape that does not fit fails");
	T_OK(esc_is("", 0, "") && esc_is(NULL, 0, ""), "empty and NULL: empty");
	T_OK(esc_is("]]>", 0, "]]&gt;"), "]]> cannot end a text");
}

/* v formatted with d places equals want (NULL: refused). */
static int
num_is(double v, int d, const char *want)
{
	char buf[48];
	int n = api_xml_fmt_num(v, d, buf, sizeof(buf));

	if (want == NULL)
		return n == -1;
	return n == (int)strlen(want) && strcmp(buf, want) == 0;
}

static void
test_numbers(void)
{
	T_OK(num_is(51.5, 6, "51.500000"), "six places");
	T_OK(num_is(-0.0999, 6, "-0.099900"), "a negative fraction");
	T_OK(num_is(-0.0000001, 6, "0.000000"), "no -0 after rounding");
	T_OK(num_is(199.6, 0, "200"), "rounded to an integer");
	T_OK(num_is(-12.25, 1, "-12.3") || num_is(-12.25, 1, "-12.2"),
	     "one place");
	T_OK(num_is(0.5, 0, "1"), "half away from zero");
	T_OK(num_is(NAN, 1, NULL), "NaN is refused");
	T_OK(num_is(INFINITY, 1, NULL) && num_is(-INFINITY, 0, NULL),
	     "infinities are refused");
	T_OK(num_is(1e12, 1, NULL), "too large is refused");
	T_OK(num_is(1.0, 10, NULL), "more than nine places is refused");
}

static void
test_writer(void)
{
	struct api_resp rs;
	struct api_xml w;

	memset(&rs, 0, sizeof(rs));
	api_resp_reset(&rs);
	api_xml_init(&w, &rs);
	api_xml_open(&w, "gpx");
	api_xml_attr(&w, "creator", "A \"B\" & <C>");
	api_xml_open(&w, "trk");
	api_xml_elem(&w, "name", "Ride <to> \"Caf\xc3\xa9\" & back");
	api_xml_elem(&w, "skip", NULL);
	api_xml_elem_num(&w, "ele", NAN, 1);
	api_xml_elem_num(&w, "hr", 141.4, 0);
	api_xml_open(&w, "trkpt");
	api_xml_attr_num(&w, "lat", 51.5000991, 6);
	api_xml_attr_num(&w, "lon", NAN, 6);
	api_xml_close(&w);
	api_xml_close(&w);
	api_xml_close(&w);
	T_OK(!w.failed &&
	         strcmp(rs.body, "<gpx creator=\"A &quot;B&quot; &amp; "
	                         "&lt;C&gt;\"><trk><name>Ride &lt;to&gt; "
	                         "\"Caf\xc3\xa9\" &amp; back</name><hr>141</hr>"
	                         "<trkpt lat=\"51.500099\"/></trk></gpx>") == 0,
	     "nested elements, escaped text and attributes, no NaN: %s",
	     rs.body);
	api_xml_close(&w);
	T_OK(w.failed, "a close without an open fails the writer");

	api_resp_reset(&rs);
	api_xml_init(&w, &rs);
	api_xml_open(&w, "a");
	api_xml_text(&w, "x");
	api_xml_attr(&w, "late", "y");
	T_OK(w.failed, "an attribute after content fails the writer");

	api_resp_reset(&rs);
	api_xml_init(&w, &rs);
	for (int i = 0; i < API_XML_DEPTH + 1; i++)
		api_xml_open(&w, "d");
	T_OK(w.failed, "nesting deeper than %d fails the writer",
	     API_XML_DEPTH);

	/* 64 MB is the answer's cap: writing past it fails, never grows. */
	api_resp_reset(&rs);
	api_xml_init(&w, &rs);
	api_xml_open(&w, "big");
	for (int i = 0; i < 70 * 1024 && !w.failed; i++) {
		char kb[1025];

		memset(kb, 'x', 1024);
		kb[1024] = '\0';
		api_xml_text(&w, kb);
	}
	T_OK(w.failed && rs.oom, "an answer over the size cap fails (oom)");
	T_OK(rs.len < 64UL * 1024 * 1024, "and stays under the cap (%zu)",
	     rs.len);
	api_resp_free(&rs);
}

int
main(void)
{
	test_escape();
	test_numbers();
	test_writer();
	return T_DONE();
}
