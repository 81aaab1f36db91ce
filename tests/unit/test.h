/* test.h: the few macros Cairn's C unit tests use; prints `ok - name` / `not ok - name` lines */
#ifndef CAIRN_TEST_H
#define CAIRN_TEST_H

#include <math.h>  /* fabs, isnan */
#include <stdio.h> /* printf */

static int test_failed;
static int test_count;

/* Check a condition; the name says what is expected. */
#define T_OK(cond, ...)                                                        \
	do {                                                                   \
		test_count++;                                                  \
		if (cond) {                                                    \
			printf("ok - ");                                       \
		} else {                                                       \
			test_failed++;                                         \
			printf("not ok - %s:%d: ", __FILE__, __LINE__);        \
		}                                                              \
		printf(__VA_ARGS__);                                           \
		printf("\n");                                                  \
	} while (0)

/* Check two doubles agree within eps (NaN never agrees). */
#define T_NEAR(got, want, eps, name)                                           \
	do {                                                                   \
		double t_g_ = (got), t_w_ = (want);                            \
		T_OK(!isnan(t_g_) && fabs(t_g_ - t_w_) <= (eps),               \
		     "%s (got %.6f, want %.6f)", name, t_g_, t_w_);            \
	} while (0)

/* A small deterministic generator (xorshift64*) for randomised cases. */
static unsigned long long test_rng = 0x9E3779B97F4A7C15ULL;

static inline unsigned long long
t_rand(void)
{
	test_rng ^= test_rng >> 12;
	test_rng ^= test_rng << 25;
	test_rng ^= test_rng >> 27;
	return test_rng * 2685821657736338717ULL;
}

/* End of main: exit status 1 when anything failed or nothing ran. */
#define T_DONE() (test_failed > 0 || test_count == 0 ? 1 : 0)

#endif
