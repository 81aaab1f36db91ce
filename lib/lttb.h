/* lttb.h: Largest-Triangle-Three-Buckets downsampling of a series for charts */
#ifndef CAIRN_LTTB_H
#define CAIRN_LTTB_H

#include <stddef.h> /* size_t */

/*
 * Choose at most `target` of the n points (x[i], y[i]) that keep the shape
 * of the series (Steinarsson 2013). x must be non-decreasing. The first and
 * the last point are always chosen; the n-2 points between are cut into
 * target-2 buckets of (nearly) equal count and from each bucket the point
 * forming the largest triangle with the previously chosen point and the
 * mean of the next bucket is chosen. Points whose y is NaN are chosen only
 * when their whole bucket is NaN (so gaps stay visible) and are left out of
 * the bucket means.
 *
 * Writes the chosen indices, increasing, into idx_out (room for
 * min(n, target) entries) and returns how many. When n <= target every
 * index is returned; target < 3 (with n > target) gives the first and last
 * point (or only the first when target is 1; none when 0).
 */
size_t lttb_select(const double *x, const double *y, size_t n, size_t target,
                   size_t *idx_out);

#endif
