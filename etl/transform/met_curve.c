/* met_curve.c: exact mean-maximal curves (every duration 1..n) over prefix sums */
#include "met.h"

#include <math.h>   /* isnan */
#include <stdlib.h> /* malloc, free */

/*
 * The best window sum of every length is O(n^2/2) subtractions; the inner
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
		__m256d m0 = _mm256_sub_pd(_mm256_loadu_pd(S + d),
		                           _mm256_loadu_pd(S));
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

int
met_meanmax(const double *v, size_t n, double *out)
{
	double *S;
	size_t i, d;
	int wide = 0;

	if (n == 0)
		return 0;
	S = malloc((n + 1) * sizeof(*S));
	if (S == NULL)
		return -1;
	S[0] = 0;
	for (i = 0; i < n; i++)
		S[i + 1] = S[i] + (isnan(v[i]) ? 0 : v[i]);
#ifdef MET_X86
	wide = __builtin_cpu_supports("avx2");
#endif
	for (d = 1; d <= n; d++)
		out[d - 1] = met_best_sum(S, d, n - d + 1, wide) / (double)d;
	free(S);
	return 0;
}
