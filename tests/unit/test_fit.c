/* test_fit.c: FIT decoder against golden record decodes, plus damaged and odd files */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fit.h"
#include "imp_in.h"
#include "test.h"

#define DATA "tests/data/files/fit/"

static unsigned char *
load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b)
		*len = (size_t)n;
	return b;
}

/* "Mon Jun 12 09:10:15 PDT 2017" as epoch seconds. */
static double
golden_time(const char *s)
{
	static const char *mon = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char wd[4], mo[4], tz[8];
	int d, h, mi, se, y;
	struct tm tm;
	const char *m;

	if (sscanf(s, "%3s %3s %d %d:%d:%d %7s %d", wd, mo, &d, &h, &mi, &se,
	           tz, &y) != 8)
		return NAN;
	m = strstr(mon, mo);
	if (!m)
		return NAN;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = (int)(m - mon) / 3;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	return (double)timegm(&tm) +
	       (strcmp(tz, "PDT") == 0 ? 7 * 3600 : 8 * 3600);
}

static double
cell(char **p)
{
	char *s = *p, *e = strchr(s, ',');
	double v;

	if (e)
		*e = '\0';
	v = *s && *s != '\n' ? strtod(s, NULL) : NAN;
	*p = e ? e + 1 : s + strlen(s);
	return v;
}

static int
same(double got, double want)
{
	if (isnan(want))
		return isnan(got);
	return !isnan(got) && fabs(got - want) <= 1e-9 * (1 + fabs(want));
}

/* Compare every record of `fit` with the golden CSV. */
static void
golden(const char *fit, const char *csv)
{
	struct imp_activity a;
	struct imp_in in;
	char err[256] = "", line[512];
	FILE *f = fopen(csv, "r");
	size_t row = 0, bad = 0;
	const double k = 2147483648.0 / 180.0;

	imp_activity_init(&a);
	T_OK(imp_in_file(&in, fit) == 0, "open %s", fit);
	T_OK(fit_read(&in, &a, err, sizeof err) == 0, "decode %s (%s)", fit,
	     err);
	imp_in_close(&in);
	T_OK(a.warn[0] == '\0', "%s decodes without warnings (%s)", fit,
	     a.warn);
	T_OK(f != NULL, "golden %s", csv);
	if (!f)
		return;
	if (!fgets(line, sizeof line, f))
		line[0] = '\0';
	while (fgets(line, sizeof line, f)) {
		char *p = strchr(line, ','), *q;
		double t = golden_time(line), hr, cad, sp, di, la, lo, al, te;

		if (!p)
			continue;
		q = p + 1;
		hr = cell(&q);
		cad = cell(&q);
		sp = cell(&q);
		di = cell(&q);
		la = cell(&q);
		lo = cell(&q);
		al = cell(&q);
		te = cell(&q);
		if (row >= a.n) {
			row++;
			continue;
		}
		if (!same(a.t[row], t) || !same(a.hr[row], hr) ||
		    !same(a.cad[row], cad) || !same(a.speed[row], sp) ||
		    !same(a.dist[row], di) ||
		    !same(round(a.lat[row] * k), la) ||
		    !same(round(a.lng[row] * k), lo) || !same(a.alt[row], al) ||
		    !same(a.temp[row], te)) {
			bad++;
			printf("# row %zu differs: t %.0f/%.0f hr %g/%g cad "
			       "%g/%g speed %g/%g dist %g/%g lat %.0f/%.0f "
			       "alt %g/%g temp %g/%g\n",
			       row, a.t[row], t, a.hr[row], hr, a.cad[row], cad,
			       a.speed[row], sp, a.dist[row], di,
			       a.lat[row] * k, la, a.alt[row], al, a.temp[row],
			       te);
		}
		row++;
	}
	fclose(f);
	T_OK(row == a.n, "%s: %zu records, golden has %zu", fit, a.n, row);
	T_OK(bad == 0,
	     "%s: every field of every record equals golden (%zu "
	     "rows differ)",
	     fit, bad);
	imp_activity_free(&a);
}

static int
parse_mem(const unsigned char *b, size_t n, struct imp_activity *a, char *err,
          size_t errlen)
{
	imp_activity_init(a);
	return fit_parse(b, n, a, err, errlen);
}

int
main(void)
{
	struct imp_activity a, full;
	char err[256];
	size_t len, i;
	unsigned char *b;
	int rc;

	golden(DATA "garmin-fenix-5-run.fit",
	       DATA "garmin-fenix-5-run-records.csv");
	golden(DATA "garmin-fenix-5-run.fit.gz",
	       DATA "garmin-fenix-5-run-records.csv");
	golden(DATA "garmin-edge-820-bike.fit",
	       DATA "garmin-edge-820-bike-records.csv");

	/* Session facts of the Fenix run. */
	b = load(DATA "garmin-fenix-5-run.fit", &len);
	T_OK(b && parse_mem(b, len, &full, err, sizeof err) == 0,
	     "fenix from memory");
	T_OK(strcmp(full.sport, "Run") == 0, "fenix sport Run (%s)",
	     full.sport);
	T_OK(full.has_offset && full.utc_offset == -7 * 3600,
	     "fenix local offset -7 h (%d)", full.utc_offset);
	T_OK(!isnan(full.tot.elapsed) && !isnan(full.tot.distance),
	     "fenix session totals present");

	/* Truncated at every length: never crashes, keeps a prefix. */
	{
		size_t worst_lost = 0, fails = 0;

		for (i = 0; i < len; i++) {
			rc = parse_mem(b, i, &a, err, sizeof err);
			if (rc < 0)
				fails++;
			else if (a.n > full.n || (i > 14 && !a.warn[0]))
				worst_lost++;
			imp_activity_free(&a);
		}
		T_OK(worst_lost == 0,
		     "every truncation keeps a prefix and "
		     "warns (%zu bad)",
		     worst_lost);
		T_OK(fails > 0 && fails < len,
		     "short prefixes fail, long "
		     "ones decode (%zu of %zu fail)",
		     fails, len);
	}
	rc = parse_mem(b, len - 200, &a, err, sizeof err);
	T_OK(rc == 0 && a.n > 0 && a.n <= full.n && strstr(a.warn, "truncated"),
	     "truncated file keeps %zu of %zu records and says so (%s)", a.n,
	     full.n, a.warn);
	imp_activity_free(&a);

	/* A flipped bit in the data: CRC warning, not a failure. */
	b[len / 2] ^= 0x01;
	rc = parse_mem(b, len, &a, err, sizeof err);
	T_OK(rc == 0 && strstr(a.warn, "CRC"),
	     "bit flip gives a CRC warning "
	     "(%s)",
	     a.warn);
	imp_activity_free(&a);
	/* Every single-bit flip: no crash. */
	{
		size_t ok = 0;

		for (i = 0; i < len * 8; i += 7) {
			b[i / 8] ^= (unsigned char)(1u << (i % 8));
			if (parse_mem(b, len, &a, err, sizeof err) == 0)
				ok++;
			imp_activity_free(&a);
			b[i / 8] ^= (unsigned char)(1u << (i % 8));
		}
		T_OK(ok > 0, "bit flips survive (%zu decoded)", ok);
	}
	b[len / 2] ^= 0x01;

	/* Big-endian copy of a definition is not easy to build from the
	 * file; build a tiny big-endian file by hand instead. */
	{
		unsigned char f[64];
		size_t n = 0;
		unsigned crc;
		unsigned ts = 1000000000u;

		memset(f, 0, sizeof f);
		f[n++] = 12;
		f[n++] = 0x10;
		f[n++] = 0;
		f[n++] = 0;
		n += 4; /* data size later */
		memcpy(f + n, ".FIT", 4);
		n += 4;
		/* definition local 0, big-endian, record(20): ts u32, hr u8 */
		f[n++] = 0x40;
		f[n++] = 0;
		f[n++] = 1;
		f[n++] = 0;
		f[n++] = 20;
		f[n++] = 2;
		f[n++] = 253;
		f[n++] = 4;
		f[n++] = 0x86;
		f[n++] = 3;
		f[n++] = 1;
		f[n++] = 0x02;
		/* data: ts big endian, hr 150 */
		f[n++] = 0x00;
		f[n++] = (unsigned char)(ts >> 24);
		f[n++] = (unsigned char)(ts >> 16);
		f[n++] = (unsigned char)(ts >> 8);
		f[n++] = (unsigned char)ts;
		f[n++] = 150;
		/* compressed timestamp header, local 0, offset ts+3 */
		f[n++] = (unsigned char)(0x80 | ((ts + 3) & 0x1F));
		f[n++] = 0xFF;
		f[n++] = 0xFF;
		f[n++] = 0xFF;
		f[n++] = 0xFF;
		f[n++] = 151;
		f[4] = (unsigned char)(n - 12);
		crc = fit_crc(0, f, n);
		f[n++] = (unsigned char)crc;
		f[n++] = (unsigned char)(crc >> 8);
		rc = parse_mem(f, n, &a, err, sizeof err);
		T_OK(rc == 0 && a.n == 2,
		     "hand-made big-endian file: 2 records");
		T_OK(a.n == 2 && a.t[0] == (double)ts + FIT_EPOCH &&
		         a.t[1] == (double)ts + 3 + FIT_EPOCH,
		     "compressed timestamp adds 3 s");
		T_OK(a.n == 2 && a.hr[0] == 150 && a.hr[1] == 151,
		     "big-endian values");
		T_OK(a.warn[0] == '\0', "hand-made file has a good CRC (%s)",
		     a.warn);
		imp_activity_free(&a);
	}

	/* Indoor trainer sample: decodes, has power, no position. */
	free(b);
	b = load(DATA "sample-activity-indoor-trainer.fit", &len);
	rc = b ? parse_mem(b, len, &a, err, sizeof err) : -1;
	T_OK(rc == 0 && a.n > 100,
	     "indoor trainer file decodes (%zu records, "
	     "%s)",
	     a.n, rc ? err : a.warn);
	T_OK(!(a.have & IMP_C_POS), "indoor trainer has no positions");
	imp_activity_free(&a);
	free(b);

	/* Empty and garbage. */
	rc = parse_mem((const unsigned char *)"", 0, &a, err, sizeof err);
	T_OK(rc == -1 && strstr(err, "not a FIT"), "empty file refused (%s)",
	     err);
	imp_activity_free(&a);
	rc = parse_mem((const unsigned char *)"<gpx></gpx>............", 20, &a,
	               err, sizeof err);
	T_OK(rc == -1, "non-FIT refused");
	imp_activity_free(&a);
	imp_activity_free(&full);
	return T_DONE();
}
