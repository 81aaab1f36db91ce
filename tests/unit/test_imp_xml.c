/* test_imp_xml.c: the XML layer's fast number and time readers give what strtod and timegm give, bit for bit */
/* links: etl/import */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imp_xml.h"
#include "test.h"

/* 1 when imp_xml_strtod and strtod agree on s: same bits, same end. */
static int
same_num(const char *s)
{
	char *e1, *e2;
	double a = imp_xml_strtod(s, &e1), b = strtod(s, &e2);

	return memcmp(&a, &b, sizeof a) == 0 && e1 == e2;
}

static void
test_numbers(void)
{
	static const char *edge[] = {"0",
	                             "-0",
	                             "+0",
	                             "0.0",
	                             "-0.0",
	                             "1.",
	                             ".5",
	                             "-.5",
	                             ".",
	                             "-",
	                             "",
	                             "45.123456",
	                             "-122.6543210",
	                             "999999999999999",
	                             "9999999999999999",
	                             "0.000000000000001",
	                             "123456789012345.6",
	                             "1e5",
	                             "1.5E-3",
	                             "0x1A",
	                             "inf",
	                             "nan",
	                             " 12",
	                             "12 ",
	                             "12abc",
	                             "00000000000000012.5",
	                             "3.14159265358979",
	                             "0.1",
	                             "0.3",
	                             "2.675",
	                             "8848.86",
	                             "-33.8688197",
	                             "151.2092955",
	                             "1234.5678.9"};
	size_t i, bad = 0;
	char buf[64];

	for (i = 0; i < sizeof edge / sizeof edge[0]; i++)
		if (!same_num(edge[i])) {
			T_OK(0, "'%s' reads as strtod reads it", edge[i]);
			bad++;
		}
	T_OK(bad == 0, "%zu edge strings read as strtod reads them",
	     sizeof edge / sizeof edge[0]);
	bad = 0;
	for (i = 0; i < 500000; i++) {
		int ip = (int)(t_rand() % 10), fp = (int)(t_rand() % 12);
		int k, n = 0;

		if (t_rand() % 3 == 0)
			buf[n++] = '-';
		for (k = 0; k < ip; k++)
			buf[n++] = (char)('0' + t_rand() % 10);
		if (fp > 0 || t_rand() % 5 == 0)
			buf[n++] = '.';
		for (k = 0; k < fp; k++)
			buf[n++] = (char)('0' + t_rand() % 10);
		buf[n] = '\0';
		if (!same_num(buf) && !bad++)
			T_OK(0, "'%s' reads as strtod reads it", buf);
	}
	T_OK(bad == 0, "500000 random decimals read as strtod reads them");
}

static void
test_times(void)
{
	size_t bad = 0, n = 0;
	int y, mo, d;
	char buf[64];

	for (y = 1970; y <= 2200; y++)
		for (mo = 1; mo <= 12; mo++)
			for (d = 1; d <= 31; d++) {
				struct tm tm;
				int h = (int)(t_rand() % 25),
				    mi = (int)(t_rand() % 60),
				    se = (int)(t_rand() % 61), has, off;
				double t;

				snprintf(buf, sizeof buf,
				         "%04d-%02d-%02dT%02d:%02d:%02d.25Z", y,
				         mo, d, h, mi, se);
				memset(&tm, 0, sizeof tm);
				tm.tm_year = y - 1900;
				tm.tm_mon = mo - 1;
				tm.tm_mday = d;
				tm.tm_hour = h;
				tm.tm_min = mi;
				tm.tm_sec = se;
				n++;
				if (imp_parse_iso(buf, &t, &has, &off) != 0 ||
				    t != (double)timegm(&tm) + 0.25) {
					if (!bad++)
						T_OK(0, "%s as timegm", buf);
				}
			}
	T_OK(bad == 0,
	     "%zu dates 1970-2200 (day 29-31 of every month too) "
	     "give timegm's seconds",
	     n);
	{
		double t;
		int has, off;

		T_OK(imp_parse_iso("2017-06-11T07:34:09-07:00", &t, &has,
		                   &off) == 0 &&
		         t == 1497191649 && has && off == -25200,
		     "an offset time gives UTC seconds and the offset");
	}
}

int
main(void)
{
	test_numbers();
	test_times();
	return T_DONE();
}
