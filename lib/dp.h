/* dp.h: Douglas-Peucker simplification of a lat/lng track with a tolerance in metres */
#ifndef CAIRN_DP_H
#define CAIRN_DP_H

#include <stddef.h> /* size_t */

/*
 * Mark in keep[0..n-1] (1 kept, 0 dropped) the points of the track that
 * Douglas-Peucker keeps: no dropped point lies farther than tol_m metres
 * from the simplified line. Distances are planar on an equirectangular
 * projection at the track's mean latitude (fine for one activity). The
 * first and last points are always kept. Coordinates must be finite.
 * Returns the number kept, or 0 when out of memory (n > 0).
 */
size_t dp_simplify(const double *lat, const double *lng, size_t n, double tol_m,
                   unsigned char *keep);

#endif
