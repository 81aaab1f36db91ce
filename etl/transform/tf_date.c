/* tf_date.c: calendar arithmetic on day numbers (days since 1970-01-01) */
#include "tf.h"

#include <stdio.h>  /* snprintf, sscanf */
#include <string.h> /* memcpy */

/* Howard Hinnant's days_from_civil, proleptic Gregorian. */
static long
tf_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
tf_to_civil(long z, long *y, long *m, long *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

long
tf_day(const char *ymd)
{
	int y, m, d;

	if (ymd == NULL || sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	return tf_from_civil(y, m, d);
}

void
tf_ymd(long day, char *out)
{
	long y, m, d;
	char tmp[48];

	tf_to_civil(day, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04ld-%02ld-%02ld", y % 10000, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

long
tf_week_start(long d)
{
	/* 1970-01-01 was a Thursday: Monday-based weekday is (d + 3) % 7. */
	long wd = ((d + 3) % 7 + 7) % 7;

	return d - wd;
}

long
tf_month_start(long d)
{
	long y, m, dd;

	tf_to_civil(d, &y, &m, &dd);
	return tf_from_civil(y, m, 1);
}

long
tf_year_start(long d)
{
	long y, m, dd;

	tf_to_civil(d, &y, &m, &dd);
	return tf_from_civil(y, 1, 1);
}
