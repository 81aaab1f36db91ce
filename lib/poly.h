/* poly.h: Google encoded polyline (precision 1e5), as Strava's map.summary_polyline */
#ifndef CAIRN_POLY_H
#define CAIRN_POLY_H

#include <stddef.h> /* size_t */

/*
 * Encode n points (degrees) as a polyline string, coordinates rounded to
 * 1e-5 degrees. Returns a NUL-terminated string the caller frees, "" for
 * n == 0, or NULL when out of memory or a coordinate is not finite or out of
 * range (|lat| > 90, |lng| > 180).
 */
char *poly_encode(const double *lat, const double *lng, size_t n);

/*
 * Decode polyline `s` (NUL-terminated; never read past it) into two arrays
 * the caller frees (both NULL when *n is 0). Returns 0, or -1 on malformed
 * input (bad character, truncated value, odd number of values, value out of
 * range), with *lat, *lng NULL and *n 0.
 */
int poly_decode(const char *s, double **lat, double **lng, size_t *n);

#endif
