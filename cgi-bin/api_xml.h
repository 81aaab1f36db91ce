/* api_xml.h: a small XML writer for the export answers (escaping by context, fixed-precision numbers) */
#ifndef CAIRN_API_XML_H
#define CAIRN_API_XML_H

#include <stddef.h> /* size_t */

struct api_resp;

#define API_XML_DEPTH 16

/*
 * Writes into an answer body (api_resp_append). Element and attribute
 * names are the caller's constants, never user text; values and text go
 * through the escaping of their context. Any failure (the answer's size
 * cap, nesting deeper than API_XML_DEPTH, a close without an open) sets
 * `failed`, after which nothing more is written.
 */
struct api_xml {
	struct api_resp *rs; /* borrowed */
	int depth;
	int in_tag; /* the last open tag still takes attributes */
	int failed;
	const char *open[API_XML_DEPTH]; /* borrowed names */
};

void api_xml_init(struct api_xml *w, struct api_resp *rs);
/* The XML declaration (UTF-8). */
void api_xml_decl(struct api_xml *w);
/* Start element `name`; attributes may follow until content is written. */
void api_xml_open(struct api_xml *w, const char *name);
/* An attribute of the element just opened, value escaped (& < > " '). */
void api_xml_attr(struct api_xml *w, const char *name, const char *value);
/* A numeric attribute with `decimals` places; left out when v is not
 * finite. */
void api_xml_attr_num(struct api_xml *w, const char *name, double v,
                      int decimals);
/* Text content, escaped (& < >); bytes XML cannot hold are dropped. */
void api_xml_text(struct api_xml *w, const char *s);
/* A line break between elements (before the next tag). */
void api_xml_nl(struct api_xml *w);
/* End the innermost open element (<x/> when it is empty). */
void api_xml_close(struct api_xml *w);
/* <name>text</name>; nothing for NULL text. */
void api_xml_elem(struct api_xml *w, const char *name, const char *text);
/* <name>v</name> with `decimals` places; nothing when v is not finite. */
void api_xml_elem_num(struct api_xml *w, const char *name, double v,
                      int decimals);
/* Escape s for text (attr = 0) or an attribute value (attr = 1) into buf
 * (len bytes, NUL-terminated): the length, or -1 when it does not fit. */
int api_xml_escape(const char *s, int attr, char *buf, size_t len);
/* v with exactly `decimals` places (0-9), '.' whatever the locale: the
 * length, or -1 when v is not finite, too large, or buf too small. */
int api_xml_fmt_num(double v, int decimals, char *buf, size_t len);

#endif
