/* imp_xml.h: a small streaming layer over expat shared by the GPX and TCX readers */
#ifndef CAIRN_IMP_XML_H
#define CAIRN_IMP_XML_H

#include <stddef.h> /* size_t */

#include <expat.h>

#include "imp_in.h"

#define IMP_XML_DEPTH 32
#define IMP_XML_NAME 32
#define IMP_XML_TEXT 1024

/*
 * Element names are local names (any "prefix:" dropped). The text of an
 * element (its own character data, capped at IMP_XML_TEXT - 1 bytes, white
 * space trimmed) is in `text` when on_end runs.
 */
struct imp_xml {
	XML_Parser p;
	int depth;
	char stack[IMP_XML_DEPTH][IMP_XML_NAME];
	char text[IMP_XML_TEXT];
	size_t tlen;
	void (*on_start)(struct imp_xml *x, const char *name,
	                 const char **attrs);
	void (*on_end)(struct imp_xml *x, const char *name);
	void *ud;
	int stop; /* set by a callback to end with `stop_err` */
	char stop_err[200];
};

/* Parse the whole stream. 0, or -1 with `err` (XML error, read error). */
int imp_xml_run(struct imp_xml *x, struct imp_in *in, char *err, size_t errlen);

/* Local name of the k-th ancestor of the current element ("" if none). */
const char *imp_xml_up(const struct imp_xml *x, int k);

/* Attribute value by local name, or NULL. */
const char *imp_xml_attr(const char **attrs, const char *name);

/*
 * strtod, with a fast exact path for plain decimals ([sign] digits [.
 * digits], at most 15 digits, nothing after): their value is the integer
 * of the digits divided by a power of ten, both exact doubles, so the one
 * IEEE division is the correctly rounded result strtod gives.
 */
double imp_xml_strtod(const char *s, char **end);

/* The trimmed text as a number, NaN when not one. */
double imp_xml_num(const struct imp_xml *x);

/* Stop parsing with an error from inside a callback. */
void imp_xml_fail(struct imp_xml *x, const char *msg);

/*
 * Parse ISO 8601 "YYYY-MM-DDThh:mm:ss[.fff][Z|+hh:mm]" (no zone: UTC).
 * 0 with *t epoch seconds; *off seconds east (only when *has_off), or -1.
 */
int imp_parse_iso(const char *s, double *t, int *has_off, int *off);

#endif
