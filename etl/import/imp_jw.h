/* imp_jw.h: a growable buffer that writes JSON numbers exactly as jansson's json_dumps does, without building a jansson tree */
#ifndef CAIRN_IMP_JW_H
#define CAIRN_IMP_JW_H

#include <stddef.h> /* size_t */

/* Largest precision imp_jw_real accepts (as JSON_REAL_PRECISION). */
#define IMP_JW_MAX_PREC 17

struct imp_jw {
	char *buf;
	size_t len, cap;
	int bad; /* out of memory, or a value jansson refuses (NaN, inf) */
};

/* An empty writer with room for `hint` bytes (0: a small start). */
void imp_jw_init(struct imp_jw *w, size_t hint);
void imp_jw_free(struct imp_jw *w);

/* Append n bytes as they are (JSON punctuation, keys known to need no
 * escaping). */
void imp_jw_raw(struct imp_jw *w, const char *s, size_t n);
/* Append a NUL-terminated string as it is. */
void imp_jw_lit(struct imp_jw *w, const char *s);
/* Append an integer as json_integer prints it. */
void imp_jw_int(struct imp_jw *w, long long v);

/*
 * Append a real exactly as json_dumps(..., JSON_REAL_PRECISION(prec))
 * prints json_real(v) ("%.<prec>g", ".0" added when there is neither '.'
 * nor 'e', exponent without '+' and leading zeros). NaN and infinities
 * mark the writer bad, as json_real refuses them. prec 1..IMP_JW_MAX_PREC.
 */
void imp_jw_real(struct imp_jw *w, double v, int prec);

/* The same text into buf (at least 32 bytes): its length, or -1 for NaN,
 * infinities or a bad precision. */
int imp_jw_fmt_real(char *buf, size_t size, double v, int prec);

/* The NUL-terminated text (the caller frees it), or NULL when bad; the
 * writer is empty afterwards. */
char *imp_jw_take(struct imp_jw *w);

#endif
