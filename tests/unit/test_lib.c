/* test_lib.c: unit tests of lib/: settings parsing, packed streams, the curve grid */
/* links: etl/migrate */
#include <math.h>     /* NAN, isnan */
#include <stdio.h>    /* FILE */
#include <stdlib.h>   /* setenv, free */
#include <string.h>   /* strcmp */
#include <sys/stat.h> /* chmod */
#include <unistd.h>   /* unlink */

#include "cfg.h"
#include "cgrid.h"
#include "spk.h"
#include "test.h"

static void
write_file(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, (mode_t)mode);
}

static void
test_cfg(void)
{
	char err[512], dir[] = "/tmp/cairn-test-cfgXXXXXX", path[600],
	               secret[600], text[1400];
	struct cfg *c;
	long v = 0;

	if (mkdtemp(dir) == NULL) {
		T_OK(0, "cannot make a temporary folder");
		return;
	}
	snprintf(path, sizeof(path), "%s/cairn.conf", dir);
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	write_file(secret, "  s3cret-from-file \n", 0600);
	snprintf(text, sizeof(text),
	         "# comment\n  db_host = db.example  \nworkers=8\n"
	         "api_db_password_file = %s\nempty =\n",
	         secret);
	write_file(path, text, 0600);
	setenv("CAIRN_WORKERS", "12", 1);
	c = cfg_load(path, err, sizeof(err));
	T_OK(c != NULL, "a valid config file loads (%s)", c ? "" : err);
	if (c != NULL) {
		T_OK(strcmp(cfg_get(c, "db_host", ""), "db.example") == 0,
		     "values are trimmed");
		T_OK(cfg_get_long(c, "workers", 4, 1, 64, &v, err,
		                  sizeof(err)) == 0 &&
		         v == 12,
		     "CAIRN_WORKERS overrides the file");
		T_OK(strcmp(cfg_get(c, "api_db_password", ""),
		            "s3cret-from-file") == 0,
		     "*_file reads the secret from a file");
		T_OK(strcmp(cfg_get(c, "missing", "dflt"), "dflt") == 0,
		     "an unset key gives the default");
		T_OK(strcmp(cfg_get(c, "empty", "x"), "") == 0,
		     "an empty value is empty, not the default");
		T_OK(cfg_get_long(c, "db_host", 1, 0, 9, &v, err,
		                  sizeof(err)) == -1 &&
		         strstr(err, "db_host") != NULL,
		     "a non-number says which setting is wrong");
	}
	cfg_free(c);
	unsetenv("CAIRN_WORKERS");

	write_file(path, "etl_db_password = hunter2\n", 0644);
	c = cfg_load(path, err, sizeof(err));
	T_OK(c == NULL && strstr(err, "world-readable") != NULL &&
	         strstr(err, "hunter2") == NULL,
	     "a world-readable config holding a secret is refused without "
	     "showing it");
	cfg_free(c);

	write_file(path, "no equals sign here\n", 0600);
	c = cfg_load(path, err, sizeof(err));
	T_OK(c == NULL && strstr(err, ":1:") != NULL,
	     "a malformed line is reported with its line number");
	cfg_free(c);

	c = cfg_load("/nonexistent/cairn.conf", err, sizeof(err));
	T_OK(c == NULL && strstr(err, "/nonexistent/cairn.conf") != NULL,
	     "a missing config file is named in the error");
	cfg_free(c);
	cfg_free(NULL);
	unlink(path);
	unlink(secret);
	rmdir(dir);
}

/* The compressed form: the same bits back, smaller, and damage refused. */
static void
test_spk_z(void)
{
	enum { N = 3600 };
	static float a[N], b[N], c[N];
	struct spk s, u;
	unsigned char *z = NULL, *plain = NULL;
	size_t zlen = 0, plen = 0, i, bad = 0;
	const float *p, *q;

	for (i = 0; i < N; i++) {
		a[i] = (float)i;
		b[i] = 46.0f + (float)i * 1.3e-5f;
		c[i] = i % 97 == 0 ? NAN : (float)(140 + i % 23);
	}
	spk_init(&s, N);
	spk_add(&s, "time", a);
	spk_add(&s, "lat", b);
	spk_add(&s, "heartrate", c);
	T_OK(spk_pack(&s, &plain, &plen) == 0 &&
	         spk_pack_z(&s, &z, &zlen) == 0 && memcmp(z, "SPKZ", 4) == 0,
	     "compressed pack");
	T_OK(zlen < plen / 3, "compressed to %zu of %zu bytes", zlen, plen);
	T_OK(spk_unpack(z, zlen, &u) == 0 && u.n == N && u.nch == 3,
	     "compressed pack unpacks to the shape");
	for (i = 0; i < 3; i++) {
		p = spk_channel(&u, s.names[i]);
		q = s.ch[i];
		if (p == NULL || memcmp(p, q, sizeof(float) * N) != 0)
			bad++;
	}
	T_OK(bad == 0, "every channel comes back bit for bit (NaN included)");
	spk_free(&u);
	T_OK(spk_unpack(z, zlen - 1, &u) == -1,
	     "a cut compressed pack is refused");
	z[zlen / 2] ^= 0x55;
	T_OK(spk_unpack(z, zlen, &u) == -1,
	     "a damaged compressed pack is refused");
	z[zlen / 2] ^= 0x55;
	z[4] = 0xff, z[5] = 0xff, z[6] = 0xff, z[7] = 0x7f;
	T_OK(spk_unpack(z, zlen, &u) == -1,
	     "a compressed pack claiming 2 GB is refused before inflating");
	free(z);
	free(plain);
	spk_free(&s);
}

static void
test_spk(void)
{
	struct spk s, u;
	float t[5] = {0, 1, 2, 3, 4}, hr[5] = {100, 101, NAN, 103, 104};
	unsigned char *buf = NULL;
	size_t len = 0;
	const float *p;

	spk_init(&s, 5);
	T_OK(spk_add(&s, "time", t) == 0 && spk_add(&s, "heartrate", hr) == 0,
	     "channels are added");
	T_OK(spk_add(&s, "a-name-that-is-far-too-long", t) == -1,
	     "a too long channel name is refused");
	T_OK(spk_pack(&s, &buf, &len) == 0 && len == 12 + 2 * 16 + 2 * 5 * 4,
	     "pack size is header + names + floats");
	T_OK(spk_unpack(buf, len, &u) == 0 && u.n == 5 && u.nch == 2,
	     "unpack gives back the shape");
	p = spk_channel(&u, "heartrate");
	T_OK(p != NULL && p[0] == 100 && isnan(p[2]) && p[4] == 104,
	     "values and NaN survive the round trip");
	T_OK(spk_channel(&u, "watts") == NULL, "a missing channel is NULL");
	spk_free(&u);
	T_OK(spk_unpack(buf, len - 1, &u) == -1, "a short pack is refused");
	buf[0] = 'X';
	T_OK(spk_unpack(buf, len, &u) == -1, "a bad magic is refused");
	free(buf);
	spk_free(&s);
	test_spk_z();
	spk_free(&u);
	spk_free(NULL);
}

/* The grid of docs/METRICS.md, and packed grids that give back the exact
 * doubles. */
static void
test_cgrid(void)
{
	static const size_t want[] = {
	    1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14,
	    15, 16, 17, 18, 20, 22, 23, 25, 27, 29, 30, 32, 34, 37,
	    40, 43, 46, 50, 54, 58, 60, 63, 68, 74, 79, 86, 93, 100};
	static const size_t std[] = {1,    5,    10,    15,    30,    60,
	                             120,  180,  300,   600,   1200,  1800,
	                             3600, 7200, 10800, 14400, 18000, 21600};
	double mm[3600];
	unsigned char *p = NULL;
	size_t i, d, count = 0, bad = 0, prev;

	for (i = 0, d = 1; i < sizeof(want) / sizeof(want[0]);
	     i++, d = cgrid_next(d))
		if (d != want[i])
			bad++;
	T_OK(bad == 0, "grid: 1..10 s, then 30 per decade up to 100 s, "
	               "with 30 s and 60 s");
	for (d = 1000, i = 0; d < 10000; i++)
		d = cgrid_next(d);
	T_OK(d == 10000 && i == 34,
	     "grid: 30 log steps and 1200, 1800, 3600, 7200 s lead from 1000 s "
	     "to 10000 s (got %zu in %zu steps)",
	     d, i);
	T_OK(CGRID_NSTD == sizeof(std) / sizeof(std[0]),
	     "18 standard durations");
	for (i = 0, bad = 0; i < CGRID_NSTD; i++) {
		if (cgrid_std[i] != std[i])
			bad++;
		for (d = 1; d < std[i]; d = cgrid_next(d))
			;
		if (d != std[i]) {
			bad++;
			printf("# %zu s is not on the grid (%zu)\n", std[i], d);
		}
	}
	T_OK(bad == 0, "every standard duration 1 s .. 6 h is a grid point");
	for (d = 1, bad = 0, i = 0; d <= 7 * 24 * 3600; d = cgrid_next(d)) {
		prev = d;
		if (cgrid_next(d) <= prev)
			bad++;
		i++;
	}
	T_OK(bad == 0 && i < CGRID_MAX,
	     "the grid rises and a week holds %zu durations (< CGRID_MAX)", i);
	for (prev = 1, bad = 0; prev < 30000; prev = cgrid_next(prev))
		for (d = prev; d < cgrid_next(prev); d++)
			if (cgrid_next(d) != cgrid_next(prev))
				bad++;
	T_OK(bad == 0,
	     "from a duration off the grid, the next grid duration "
	     "(%zu wrong)",
	     bad);
	for (i = 0; i < 3600; i++)
		mm[i] = 400.0 / (1.0 + (double)i / 7.0) + 1.0 / 3.0;
	T_OK(cgrid_pack(mm, 3600, &p, &count) == 0 && p != NULL, "pack");
	for (i = 0, d = 1, bad = 0; d <= 3600; i++, d = cgrid_next(d))
		if (cgrid_value(p, count * 8, i) != mm[d - 1])
			bad++;
	T_OK(i == count && bad == 0,
	     "an hour packs %zu grid values, each the exact double", count);
	T_OK(count == 95, "an hour has 95 grid durations (got %zu)", count);
	T_OK(isnan(cgrid_value(p, count * 8, count)) &&
	         isnan(cgrid_value(NULL, 0, 0)) && isnan(cgrid_value(p, 7, 0)),
	     "no value past the end or in a short buffer");
	free(p);
	T_OK(cgrid_pack(mm, 0, &p, &count) == 0 && count == 0,
	     "an empty curve packs nothing");
	free(p);
}

int
main(void)
{
	test_cfg();
	test_spk();
	test_cgrid();
	return T_DONE();
}
