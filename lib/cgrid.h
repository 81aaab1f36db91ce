/* cgrid.h: the log-spaced duration grid of period curves and its packed form (transform writes, API reads) */
#ifndef CAIRN_CGRID_H
#define CAIRN_CGRID_H

#include <stddef.h> /* size_t */

/*
 * The grid: every second from 1 to 10 s, then 30 durations per decade,
 * and beside them the standard durations cgrid_std (docs/METRICS.md), so
 * that the best 20 minutes is a point of every curve. A packed grid
 * (cairn_mart.curve_grid.data) holds the values of a mean-max curve at the grid
 * durations up to the curve's length, in grid order, as little-endian float64:
 * exactly the doubles the transform computed.
 */
#define CGRID_MAX 256 /* more grid durations than a week of seconds has */

/* The standard durations, in s, ascending: 1, 5, 10, 15, 30 s; 1, 2, 3, 5,
 * 10, 20, 30 min; 1 to 6 h. Each is a grid duration. */
#define CGRID_NSTD 18
extern const size_t cgrid_std[CGRID_NSTD];

/* The grid duration after d (d >= 1; d need not be on the grid). */
size_t cgrid_next(size_t d);

/* Pack mm[d - 1] for every grid duration d <= n into a new buffer (caller
 * frees *out) of *count values. 0, or -1 when out of memory. */
int cgrid_pack(const double *mm, size_t n, unsigned char **out, size_t *count);

/* Value i of a packed grid of len bytes; NaN past its end. */
double cgrid_value(const void *data, size_t len, size_t i);

#endif
