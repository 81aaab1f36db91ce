/* test_met.c: unit tests of cleaning, NP/IF/TSS, zones and mean-max curves (etl/transform/met_*.c) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgrid.h"
#include "met.h"
#include "test.h"

#define W1_MAX 4000

/* sweatpy workout_1.csv: time,power,heartrate. Returns the count. */
static size_t
load_workout(double *w, double *hr)
{
	FILE *f = fopen("tests/data/metrics/workout_1.csv", "r");
	char line[128];
	size_t n = 0;

	if (f == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) == NULL) {
		fclose(f);
		return 0;
	}
	while (n < W1_MAX && fgets(line, sizeof(line), f) != NULL) {
		double t, p, h;

		if (sscanf(line, "%lf,%lf,%lf", &t, &p, &h) != 3)
			continue;
		w[n] = p;
		hr[n] = h;
		n++;
	}
	fclose(f);
	return n;
}

static void
test_sweatpy(void)
{
	static double w[W1_MAX], hr[W1_MAX], mm[W1_MAX];
	size_t n = load_workout(w, hr), d, i;
	double np;
	int brute_ok = 1;

	T_OK(n == 3578, "workout_1 has 3578 samples (got %zu)", n);
	if (n == 0)
		return;
	np = met_np(w, NULL, n);
	T_NEAR(np, 156.246, 0.0005, "workout_1 NP = 156.246");
	T_NEAR(np, 156.24624656343036, 1e-9, "workout_1 NP to 1e-9");
	T_OK(met_meanmax(w, n, mm) == 0, "mean-max runs");
	T_NEAR(mm[1], 263.0, 1e-9, "workout_1 mean-max 2 s = 263.0");
	T_NEAR(mm[300], 209.37209302325581, 1e-9,
	       "workout_1 mean-max 301 s = 209.372");
	/* Brute force on a sample of durations. */
	for (d = 1; d <= n; d += 97) {
		double best = -1;

		for (i = 0; i + d <= n; i++) {
			double s = 0;
			size_t k;

			for (k = 0; k < d; k++)
				s += w[i + k];
			if (s / (double)d > best)
				best = s / (double)d;
		}
		if (fabs(best - mm[d - 1]) > 1e-9)
			brute_ok = 0;
	}
	T_OK(brute_ok, "mean-max equals brute force on every 97th duration");
	T_NEAR(mm[n - 1], met_mean(w, NULL, n), 1e-9,
	       "mean-max at full length = mean");
}

/* A raw set of n seconds with the given channels allocated. */
static void
raw_alloc(struct met_raw *r, size_t n, const int *chs, size_t nch)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->n = n;
	for (i = 0; i < nch; i++)
		r->ch[chs[i]] = calloc(n, sizeof(double));
}

static void
test_constant_power(void)
{
	struct met_raw r;
	struct met_series s;
	int chs[] = {MET_TIME, MET_WATTS};
	size_t i;
	double np, ifac, tss;

	raw_alloc(&r, 3600, chs, 2);
	for (i = 0; i < 3600; i++) {
		r.ch[MET_TIME][i] = (double)i;
		r.ch[MET_WATTS][i] = 250;
	}
	T_OK(met_clean(&r, &s) == 0 && s.n == 3600, "clean 1 h at 250 W");
	np = met_np(s.ch[MET_WATTS], s.pause, s.n);
	ifac = np / 250.0;
	tss = met_tss(np, 250, (double)met_active_seconds(s.pause, s.n));
	T_NEAR(np, 250, 1e-9, "constant 250 W: NP 250");
	T_NEAR(ifac, 1.0, 1e-9, "constant 250 W at FTP 250: IF 1.00");
	T_NEAR(tss, 100.0, 1e-9, "constant 250 W at FTP 250: TSS 100.0");
	T_NEAR(np / met_mean(s.ch[MET_WATTS], s.pause, s.n), 1.0, 1e-12,
	       "constant power: VI 1.00");
	T_OK(isnan(met_np(s.ch[MET_WATTS], NULL, 29)), "NP of 29 s is NULL");
	T_OK(isnan(met_np(NULL, NULL, 100)), "NP without power is NULL");
	T_OK(isnan(met_tss(NAN, 250, 3600)), "TSS without NP is NULL");
	T_OK(isnan(met_tss(250, NAN, 3600)), "TSS without FTP is NULL");
	met_series_free(&s);
	met_raw_free(&r);
}

/* The gap rule: <= 10 s interpolated, longer is a pause; spikes. */
static void
test_clean(void)
{
	/* time 0 1 2 5 6 30 31: gap 3 s interpolated, gap 24 s a pause. */
	double t[] = {0, 1, 2, 5, 6, 30, 31};
	double w[] = {100, 110, 3000, 140, 150, 200, 210};
	double h[] = {120, 121, 122, 300, 126, 0, 130};
	double d[] = {0, 5, 10, 25, 30, 30, 36};
	struct met_raw r;
	struct met_series s;
	int chs[] = {MET_TIME, MET_WATTS, MET_HR, MET_DIST};
	size_t i, paused = 0;

	raw_alloc(&r, 7, chs, 4);
	for (i = 0; i < 7; i++) {
		r.ch[MET_TIME][i] = t[i] + 1000; /* any start */
		r.ch[MET_WATTS][i] = w[i];
		r.ch[MET_HR][i] = h[i];
		r.ch[MET_DIST][i] = d[i];
	}
	T_OK(met_clean(&r, &s) == 0, "clean the gap case");
	T_OK(s.n == 32, "32 seconds on the grid (got %zu)", s.n);
	T_OK(s.spikes == 2, "3000 W and 300 bpm counted as spikes (got %d)",
	     s.spikes);
	T_NEAR(s.ch[MET_WATTS][2], 110 + (140 - 110) * 1.0 / 4.0, 1e-9,
	       "power spike replaced by interpolation");
	T_NEAR(s.ch[MET_WATTS][3], 117.5 + 7.5, 1e-9,
	       "3 s gap interpolated linearly");
	for (i = 0; i < s.n; i++)
		paused += s.pause[i];
	T_OK(paused == 23 && s.pause[7] && s.pause[29] && !s.pause[30] &&
	         !s.pause[6],
	     "seconds 7..29 are a pause (got %zu)", paused);
	T_OK(s.ch[MET_WATTS][15] == 0, "power in a pause is 0 W");
	T_OK(isnan(s.ch[MET_HR][15]), "HR in a pause is missing");
	T_OK(isnan(s.ch[MET_HR][30]) && s.ch[MET_HR][31] == 130,
	     "HR 0 is a dropout, not a value");
	T_NEAR(s.ch[MET_DIST][18], 30, 1e-9, "distance held through a stop");
	T_OK(s.ch[MET_MOVING][15] == 0 && s.ch[MET_MOVING][1] == 1,
	     "moving off in the pause, on while riding");
	T_NEAR(met_mean(s.ch[MET_HR], s.pause, s.n),
	       met_mean(s.ch[MET_HR], NULL, s.n), 1e-9,
	       "pauses do not pull the HR mean down");
	met_series_free(&s);
	met_raw_free(&r);

	/* No time stream: cleaning fails, the caller stores NULL metrics. */
	memset(&r, 0, sizeof(r));
	T_OK(met_clean(&r, &s) != 0 && s.n == 0, "no time stream: no series");
}

static void
test_zones(void)
{
	/* Coggan bounds at FTP 200: 0,110,150,180,210,240,300. */
	double lo[7] = {0, 110, 150, 180, 210, 240, 300};
	double v[] = {0,   109.9, 110, 150, 179, 180,
	              210, 239,   240, 300, 900, NAN};
	int secs[7], want[7] = {2, 1, 2, 1, 2, 1, 2};
	size_t z;
	int same = 1;

	met_zones(v, NULL, 12, lo, 7, secs);
	for (z = 0; z < 7; z++)
		same &= secs[z] == want[z];
	T_OK(same, "power zones: lower bound inclusive, NaN not counted");
}

/* The pruned mean-max equals the full scan bit for bit, on every duration. */
static void
test_meanmax_pruned(void)
{
	enum { N = 5000 };
	static double v[N], a[N], b[N];
	static const char *const names[] = {
	    "noisy power", "constant", "one sprint in zeros",
	    "slow sine with NaN gaps", "a negative value (full scan)"};
	unsigned long long x = 0x9e3779b97f4a7c15ULL;
	size_t i, d, bad;
	int k;

	for (k = 0; k < 5; k++) {
		for (i = 0; i < N; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			v[i] = k == 0   ? (double)(x % 600)
			       : k == 1 ? 250.0
			       : k == 2 ? (i >= 3000 && i < 3030 ? 900.0 : 0.0)
			                : 200 + 80 * sin((double)i / 300.0) +
			                      (double)(x % 7) / 3.0;
			if (k == 3 && i % 401 < 5)
				v[i] = NAN;
		}
		if (k == 4)
			v[N / 2] = -3;
		T_OK(met_meanmax(v, N, a) == 0 &&
		         met_meanmax_full(v, N, b) == 0,
		     "mean-max of %s runs", names[k]);
		for (bad = 0, d = 0; d < N; d++)
			if (a[d] != b[d])
				bad++;
		T_OK(bad == 0,
		     "pruned mean-max of %s equals the full scan (%zu "
		     "durations differ)",
		     names[k], bad);
	}
}

/* The period-curve grid holds every standard duration (1 s .. 6 h) and
 * its value there is the exact best mean of that many seconds: checked
 * against a plain sliding window on integer watts (exact sums). */
static void
test_meanmax_standard(void)
{
	enum { N = 6 * 3600 + 500 };
	static double v[N], mm[N];
	unsigned char *grid = NULL;
	unsigned long long x = 0x2545f4914f6cdd1dULL;
	size_t i, j, d, idx, count = 0, bad = 0, found = 0;

	for (i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* noise around a slow fade, a 20 min block at 320 W */
		v[i] = (double)(x % 200) + (double)(N - i) / 200.0 -
		       fmod((double)(N - i) / 200.0, 1.0) +
		       (i >= 9000 && i < 10200 ? 150.0 : 0.0);
	}
	T_OK(met_meanmax(v, N, mm) == 0 &&
	         cgrid_pack(mm, N, &grid, &count) == 0,
	     "mean-max and grid of a 6 h 8 min ride");
	for (j = 0; j < CGRID_NSTD; j++) {
		double sum = 0, best;

		for (idx = 0, d = 1; d < cgrid_std[j]; d = cgrid_next(d))
			idx++;
		if (d != cgrid_std[j] || idx >= count) {
			bad++;
			continue;
		}
		found++;
		for (i = 0; i < d; i++)
			sum += v[i];
		best = sum;
		for (i = d; i < N; i++) {
			sum += v[i] - v[i - d];
			if (sum > best)
				best = sum;
		}
		if (cgrid_value(grid, count * 8, idx) != best / (double)d) {
			bad++;
			printf("# %zu s: grid %.17g, sliding window %.17g\n", d,
			       cgrid_value(grid, count * 8, idx),
			       best / (double)d);
		}
	}
	T_OK(
	    found == CGRID_NSTD && bad == 0,
	    "the grid value at each of the %zu standard durations is the exact "
	    "best mean of that many seconds (%zu wrong)",
	    found, bad);
	free(grid);
}

int
main(void)
{
	test_sweatpy();
	test_meanmax_pruned();
	test_meanmax_standard();
	test_constant_power();
	test_clean();
	test_zones();
	return T_DONE();
}
