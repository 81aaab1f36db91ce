/* test_met_lttb.c: unit tests of lib/lttb.c (downsampling for the API's charts) */
#include <math.h>
#include <stdlib.h>

#include "lttb.h"
#include "test.h"

int
main(void)
{
	enum { N = 10000 };
	static double x[N], y[N];
	static size_t idx[N];
	size_t i, k, inc = 1, spike = 0;

	for (i = 0; i < N; i++) {
		x[i] = (double)i;
		y[i] = sin((double)i / 500.0);
	}
	y[4321] = 50; /* a spike must survive */

	k = lttb_select(x, y, 5, 10, idx);
	T_OK(k == 5 && idx[0] == 0 && idx[4] == 4,
	     "n <= target returns every index");
	T_OK(lttb_select(x, y, 0, 10, idx) == 0, "empty series gives nothing");
	T_OK(lttb_select(x, y, N, 0, idx) == 0, "target 0 gives nothing");
	k = lttb_select(x, y, N, 2, idx);
	T_OK(k == 2 && idx[0] == 0 && idx[1] == N - 1,
	     "target 2 gives first and last");

	k = lttb_select(x, y, N, 500, idx);
	T_OK(k == 500, "returns exactly target points (got %zu)", k);
	T_OK(idx[0] == 0 && idx[k - 1] == N - 1, "first and last kept");
	for (i = 1; i < k; i++) {
		if (idx[i] <= idx[i - 1])
			inc = 0;
		if (idx[i] == 4321)
			spike = 1;
	}
	T_OK(inc, "indices strictly increasing");
	T_OK(spike, "the spike at 4321 is kept");

	/* Hand case, 4 of 6 points: buckets {1,2} and {3,4}. Bucket 1 (prev
	 * (0,0), next mean (3.5,-2.5)): doubled areas 37.5 for 1, 5 for 2.
	 * Bucket 2 (prev (1,10), last (5,0)): 20 for 3, 30 for 4. */
	{
		double sx[6] = {0, 1, 2, 3, 4, 5}, sy[6] = {0, 10, 0, 0, -5, 0};
		size_t si[6];

		k = lttb_select(sx, sy, 6, 4, si);
		T_OK(k == 4 && si[0] == 0 && si[1] == 1 && si[2] == 4 &&
		         si[3] == 5,
		     "hand case picks the peaks 1 and 4");
	}
	/* NaN gap: a bucket of only NaN still yields an index, NaN elsewhere
	 * never wins over a number. */
	{
		double sx[8], sy[8];
		size_t si[8];

		for (i = 0; i < 8; i++) {
			sx[i] = (double)i;
			sy[i] = (double)i;
		}
		sy[1] = sy[2] = NAN;
		sy[5] = NAN;
		k = lttb_select(sx, sy, 8, 5, si);
		T_OK(k == 5, "NaN series gives target points");
		T_OK(si[1] == 1, "all-NaN bucket yields its first index");
		for (i = 0, inc = 1; i < k; i++)
			if (si[i] == 5)
				inc = 0;
		T_OK(inc,
		     "NaN point not chosen when a number is in its bucket");
	}
	return T_DONE();
}
