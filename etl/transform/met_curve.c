/* met_curve.c: exact mean-maximal curves (every duration 1..n) over prefix sums */
#include "met.h"

#include <float.h>  /* DBL_EPSILON */
#include <math.h>   /* isnan, fabs, INFINITY */
#include <stdlib.h> /* malloc, free */

/*
 * The best window sum of every length is O(n^2/2) subtractions at worst
 * (met_meanmax_full); met_meanmax skips the blocks of start positions
 * that cannot hold the best (met_best_pruned), which on real power, HR
 * and speed leaves a small part of that. The inner
 * loop runs 4 lanes at a time with AVX2 when the CPU has it (8 values per
 * iteration with two accumulators), else 2 lanes with SSE2.
 */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define MET_X86 1
#endif

/* max over i in [i0, cnt) of S[i+d] - S[i], seeded with best. */
static double
met_best_tail(const double *S, size_t d, size_t i0, size_t cnt, double best)
{
	size_t i;

	for (i = i0; i < cnt; i++) {
		double x = S[d + i] - S[i];

		if (x > best)
			best = x;
	}
	return best;
}

#ifdef MET_X86
__attribute__((target("avx2"))) static double
met_best_avx2(const double *S, size_t d, size_t cnt)
{
	size_t i = 0;
	double best = S[d] - S[0], r[4];

	if (cnt >= 8) {
		__m256d m0 =
		    _mm256_sub_pd(_mm256_loadu_pd(S + d), _mm256_loadu_pd(S));
		__m256d m1 = m0;

		for (; i + 8 <= cnt; i += 8) {
			m0 = _mm256_max_pd(
			    m0, _mm256_sub_pd(_mm256_loadu_pd(S + d + i),
			                      _mm256_loadu_pd(S + i)));
			m1 = _mm256_max_pd(
			    m1, _mm256_sub_pd(_mm256_loadu_pd(S + d + i + 4),
			                      _mm256_loadu_pd(S + i + 4)));
		}
		m0 = _mm256_max_pd(m0, m1);
		_mm256_storeu_pd(r, m0);
		best = r[0] > r[1] ? r[0] : r[1];
		if (r[2] > best)
			best = r[2];
		if (r[3] > best)
			best = r[3];
	}
	return met_best_tail(S, d, i, cnt, best);
}

static double
met_best_sse2(const double *S, size_t d, size_t cnt)
{
	size_t i = 0;
	double best = S[d] - S[0], r[2];

	if (cnt >= 4) {
		__m128d m0 = _mm_sub_pd(_mm_loadu_pd(S + d), _mm_loadu_pd(S));
		__m128d m1 = m0;

		for (; i + 4 <= cnt; i += 4) {
			m0 = _mm_max_pd(m0, _mm_sub_pd(_mm_loadu_pd(S + d + i),
			                               _mm_loadu_pd(S + i)));
			m1 = _mm_max_pd(m1,
			                _mm_sub_pd(_mm_loadu_pd(S + d + i + 2),
			                           _mm_loadu_pd(S + i + 2)));
		}
		m0 = _mm_max_pd(m0, m1);
		_mm_storeu_pd(r, m0);
		best = r[0] > r[1] ? r[0] : r[1];
	}
	return met_best_tail(S, d, i, cnt, best);
}
#endif

static double
met_best_sum(const double *S, size_t d, size_t cnt, int wide)
{
#ifdef MET_X86
	return wide ? met_best_avx2(S, d, cnt) : met_best_sse2(S, d, cnt);
#else
	(void)wide;
	return met_best_tail(S, d, 0, cnt, S[d] - S[0]);
#endif
}

/* Prefix sums of v (NaN counts 0) into a new array of n + 1. NULL when
 * out of memory. */
static double *
met_prefix(const double *v, size_t n)
{
	double *S = malloc((n + 1) * sizeof(*S));
	size_t i;

	if (S == NULL)
		return NULL;
	S[0] = 0;
	for (i = 0; i < n; i++)
		S[i + 1] = S[i] + (isnan(v[i]) ? 0 : v[i]);
	return S;
}

static int
met_wide(void)
{
#ifdef MET_X86
	return __builtin_cpu_supports("avx2");
#else
	return 0;
#endif
}

int
met_meanmax_full(const double *v, size_t n, double *out)
{
	double *S;
	size_t d;
	int wide = met_wide();

	if (n == 0)
		return 0;
	S = met_prefix(v, n);
	if (S == NULL)
		return -1;
	for (d = 1; d <= n; d++)
		out[d - 1] = met_best_sum(S, d, n - d + 1, wide) / (double)d;
	free(S);
	return 0;
}

/*
 * W[j] = max of x[j .. j+B) (clipped at n) in O(n) whatever B (van Herk,
 * Gil and Werman): with x cut into blocks of B, that window is a suffix
 * of j's block (Q) joined to a prefix of the next one (P). tmp holds n.
 */
static void
met_window_max(const double *x, size_t n, size_t B, double *W, double *tmp)
{
	double *P = W, *Q = tmp;
	size_t j, b;

	for (b = 0; b < n; b += B) {
		size_t e = b + B < n ? b + B : n;

		P[b] = x[b];
		for (j = b + 1; j < e; j++)
			P[j] = x[j] > P[j - 1] ? x[j] : P[j - 1];
		Q[e - 1] = x[e - 1];
		for (j = e - 1; j > b; j--)
			Q[j - 1] = x[j - 1] > Q[j] ? x[j - 1] : Q[j];
	}
	for (j = 0; j < n; j++) { /* ascending: P[k] for k > j still intact */
		size_t k = j + B - 1 < n ? j + B - 1 : n - 1;

		W[j] = k / B == j / B || Q[j] >= P[k] ? Q[j] : P[k];
	}
}

int
met_meanmax(const double *v, size_t n, double *out)
{
	enum { B = 128 }; /* start positions per block */
	double *S = NULL, *x = NULL, *W = NULL, *U = NULL, slack;
	size_t d, i, nb, ab = 0;
	int wide = met_wide(), rc = -1;

	if (n < 4 * B)
		return met_meanmax_full(v, n, out);
	S = met_prefix(v, n);
	x = malloc(n * sizeof(*x));
	W = malloc(n * sizeof(*W));
	nb = (n + B - 1) / B;
	U = malloc(nb * sizeof(*U));
	if (S == NULL || x == NULL || W == NULL || U == NULL)
		goto out;
	for (i = 0; i < n; i++)
		x[i] = isnan(v[i]) ? 0 : v[i];
	met_window_max(x, n, B, W, out); /* out: scratch until filled */
	/* Rounding of the prefix sums, a few ulps of the largest per step. */
	slack = 8 * DBL_EPSILON * (fabs(S[n]) + fabs(S[0]));
	for (i = 0; i < n; i++)
		if (fabs(S[i + 1]) * 8 * DBL_EPSILON > slack)
			slack = fabs(S[i + 1]) * 8 * DBL_EPSILON;
	for (i = 0; i < nb; i++)
		U[i] = INFINITY;
	for (d = 1; d <= n; d++) {
		size_t cnt = n - d + 1, nbd = (cnt + B - 1) / B, b;
		double best;

		/*
		 * A window starting in block b sums to its sum one second
		 * shorter plus one more sample from [bB+d-1, bB+B+d-1): the
		 * block's bound grows by W[bB+d-1]. A block whose bound is not
		 * above the best known holds no better window.
		 */
		if (d > 1)
			for (b = 0; b < nbd; b++)
				U[b] += W[b * B + d - 1] + slack;
		if (ab >= nbd)
			ab = nbd - 1;
		best = met_best_sum(S + ab * B, d,
		                    ab * B + B <= cnt ? B : cnt - ab * B, wide);
		U[ab] = best;
		for (b = 0; b < nbd; b++) {
			double m;

			if (b == ab || U[b] <= best)
				continue;
			m = met_best_sum(S + b * B, d,
			                 b * B + B <= cnt ? B : cnt - b * B,
			                 wide);
			U[b] = m;
			if (m > best) {
				best = m;
				ab = b;
			}
		}
		out[d - 1] = best / (double)d;
	}
	rc = 0;
out:
	free(S);
	free(x);
	free(W);
	free(U);
	return rc;
}
