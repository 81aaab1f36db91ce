/* test_csv.c: activities.csv header variants, duplicated names, quoting and dates; profile.csv */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "test.h"

/* The "95-column" header of 2024-25 exports as research/strava-api.md §7
 * cites it (the cited text holds 94 names). */
#define H95                                                                    \
	"Activity ID,Activity Date,Activity Name,Activity Type,Activity "      \
	"Description,Elapsed Time,Distance,Max Heart Rate,Relative "           \
	"Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete " \
	"Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max "            \
	"Speed,Average Speed,Elevation Gain,Elevation Loss,Elevation "         \
	"Low,Elevation High,Max Grade,Average Grade,Average Positive "         \
	"Grade,Average Negative Grade,Max Cadence,Average Cadence,Max Heart "  \
	"Rate,Average Heart Rate,Max Watts,Average Watts,Calories,Max "        \
	"Temperature,Average Temperature,Relative Effort,Total "               \
	"Work,Number of Runs,Uphill Time,Downhill Time,Other "                 \
	"Time,Perceived Exertion,Type,Start Time,Weighted Average "            \
	"Power,Power Count,Prefer Perceived Exertion,Perceived Relative "      \
	"Effort,Commute,Total Weight Lifted,From Upload,Grade Adjusted "       \
	"Distance,Weather Observation Time,Weather Condition,Weather "         \
	"Temperature,Apparent Temperature,Dewpoint,Humidity,Weather "          \
	"Pressure,Wind Speed,Wind Gust,Wind Bearing,Precipitation "            \
	"Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,Gear,"             \
	"Precipitation Probability,Precipitation Type,Cloud Cover,Weather "    \
	"Visibility,UV Index,Weather Ozone,Jump Count,Total Grit,Average "     \
	"Flow,Flagged,Average Elapsed Speed,Dirt Distance,Newly Explored "     \
	"Distance,Newly Explored Dirt Distance,Activity Count,Total "          \
	"Steps,Carbon Saved,Pool Length,Training Load,Intensity,Average "      \
	"Grade Adjusted Pace,Timer Time,Total Cycles,Media"

static size_t
count_cols(const char *h)
{
	size_t n = 1;

	for (; *h; h++)
		n += *h == ',';
	return n;
}

/* A data row for the 95-column header; cells after Filename are given. */
static void
row95(char *buf, size_t len, const char *head, const char *tail)
{
	size_t n = count_cols(head) + count_cols(tail), i;
	size_t k = (size_t)snprintf(buf, len, "%s", head);

	for (i = n; i < count_cols(H95); i++)
		k += (size_t)snprintf(buf + k, len - k, ",");
	snprintf(buf + k, len - k, ",%s\n", tail);
}

int
main(void)
{
	struct csv_file f;
	char buf[16384], err[256] = "", r1[2048], r2[2048];
	double t;
	int rc;

	T_OK(count_cols(H95) == 94, "cited header (%zu names)",
	     count_cols(H95));

	/* dates */
	T_OK(csv_parse_date("Oct 6, 2022, 11:19:20 PM", &t) == 0 &&
	         t == 1665098360,
	     "en-US date with PM");
	T_OK(csv_parse_date("24 Dec 2020, 08:13:59", &t) == 0 &&
	         t == 1608797639,
	     "en-GB date");
	T_OK(csv_parse_date("Jan 1, 2021, 12:05:00 AM", &t) == 0 &&
	         t == 1609459500,
	     "12 AM is midnight");
	T_OK(csv_parse_date("6. Okt. 2022, 23:19:20", &t) == 0 &&
	         t == 1665098360,
	     "de date");
	T_OK(csv_parse_date("2022-10-06 23:19:20", &t) == 0 && t == 1665098360,
	     "ISO-like date");
	T_OK(csv_parse_date("soon", &t) < 0, "no date refused");
	T_OK(csv_number("1,234.5") == 1234.5 && csv_number("2,43") == 2.43 &&
	         isnan(csv_number("")) && isnan(csv_number("n/a")),
	     "numbers: thousands, decimal comma, empty, text");

	/* 95 columns: duplicated Distance (km then m), quoted multi-line
	 * description, commute true */
	row95(r1, sizeof r1,
	      "8000000001,\"Oct 6, 2022, 11:19:20 PM\",Evening Ride,Ride,"
	      "\"Line one\nline \"\"two\"\", with comma\",3600,24.30,170,50,"
	      "true,,Trek,activities/111.fit.gz,70,9,3600.0,3400.0,24300.5,"
	      "15.2,7.1,250",
	      "");
	row95(r2, sizeof r2,
	      "8000000002,\"24 Dec 2020, 08:13:59\",Lunch Run,Run,,1800,5.00,"
	      ",,false,,,activities/222.gpx,,,1800.0,1700.0,5001.2",
	      "");
	snprintf(buf, sizeof buf, "%s\r\n%s%s", H95, r1, r2);
	rc = csv_parse(buf, strlen(buf), &f, err, sizeof err);
	T_OK(rc == 0 && f.n == 2 && f.ncols == count_cols(H95),
	     "95-col file: 2 rows (%s)", err);
	if (rc == 0 && f.n == 2) {
		T_OK(f.rows[0].id == 8000000001LL &&
		         f.rows[0].start == 1665098360,
		     "row 1: id and date");
		T_OK(f.rows[0].distance == 24300.5,
		     "second Distance (metres) wins: %.1f", f.rows[0].distance);
		T_OK(f.rows[0].elapsed == 3600 && f.rows[0].moving == 3400,
		     "elapsed and moving time");
		T_OK(f.rows[0].description &&
		         strcmp(f.rows[0].description,
		                "Line one\nline \"two\", with comma") == 0,
		     "quoted multi-line description");
		T_OK(f.rows[0].commute == 1 && f.rows[1].commute == 0,
		     "commute");
		T_OK(strcmp(f.rows[0].sport, "Ride") == 0 &&
		         strcmp(f.rows[1].sport, "Run") == 0,
		     "sport types");
		T_OK(f.rows[0].gear && strcmp(f.rows[0].gear, "Trek") == 0,
		     "gear");
		T_OK(f.rows[0].max_speed == 15.2 && f.rows[0].elev_gain == 250,
		     "max speed, elevation gain");
		T_OK(csv_find_file(&f, "export/activities/222.gpx") ==
		         &f.rows[1],
		     "find by file path suffix");
		T_OK(csv_find_file(&f, "x/activities/2222.gpx") == NULL,
		     "no partial-name match");
	}
	csv_free(&f);

	/* 103 columns: the extra columns before Media do not matter */
	{
		char h103[4096];

		snprintf(
		    h103, sizeof h103,
		    "%.*s,Recovery,With Pet,Competition,"
		    "Long Run,For a Cause,With Kid,Downhill Distance,Total "
		    "Sets,Total Reps,Media",
		    (int)(strlen(H95) - strlen(",Media")), H95);
		T_OK(count_cols(h103) == count_cols(H95) + 9,
		     "103-column variant: 9 more");
		snprintf(buf, sizeof buf, "%s\n%s", h103, r1);
		rc = csv_parse(buf, strlen(buf), &f, err, sizeof err);
		T_OK(rc == 0 && f.n == 1 && f.rows[0].distance == 24300.5 &&
		         f.rows[0].filename &&
		         strcmp(f.rows[0].filename, "activities/111.fit.gz") ==
		             0,
		     "103-col file reads the same");
		csv_free(&f);
	}

	/* older export: translation missing headers, one Distance (km) */
	snprintf(buf, sizeof buf,
	         "Activity ID,Activity Date,Activity Name,Activity Type,"
	         "Activity Description,Elapsed Time,Distance,Commute,Activity "
	         "Gear,Filename,translation missing: "
	         "en-GB.lib.export.portability_exporter.activities.horton_"
	         "values.total_steps\n"
	         "123,\"24 Dec 2020, 08:13:59\",Walk,Walk,,600,1.50,false,,"
	         "activities/9.tcx.gz,\n");
	rc = csv_parse(buf, strlen(buf), &f, err, sizeof err);
	T_OK(rc == 0 && f.n == 1 && f.rows[0].distance == 1500,
	     "old export: single Distance in km (%.1f)",
	     rc == 0 && f.n ? f.rows[0].distance : -1.0);
	csv_free(&f);

	/* localised (German) header, BOM */
	snprintf(buf, sizeof buf,
	         "\xEF\xBB\xBF"
	         "Aktivitäts-ID,Aktivitätsdatum,Aktivitätsname,Aktivitätsart,"
	         "Aktivitätsbeschreibung,Verstrichene Zeit,Distanz,Dateiname\n"
	         "77,\"6. Okt. 2022, 23:19:20\",Abendlauf,Lauf,,100,1,"
	         "activities/1.fit\n");
	rc = csv_parse(buf, strlen(buf), &f, err, sizeof err);
	T_OK(rc == 0 && f.n == 1 && f.rows[0].id == 77 &&
	         strcmp(f.rows[0].sport, "Run") == 0 &&
	         f.rows[0].start == 1665098360 && f.rows[0].filename,
	     "German header with BOM (%s)", err);
	csv_free(&f);

	/* unknown language: first five columns by position, file by value */
	snprintf(
	    buf, sizeof buf,
	    "X,Y,Z,W,V,U\n"
	    "55,\"Oct 6, 2022, 11:19:20 PM\",Nome,Ride,,activities/5.gpx\n");
	rc = csv_parse(buf, strlen(buf), &f, err, sizeof err);
	T_OK(rc == 0 && f.n == 1 && f.rows[0].id == 55 && f.rows[0].filename &&
	         strcmp(f.rows[0].filename, "activities/5.gpx") == 0,
	     "unknown header: by position, Filename by content");
	csv_free(&f);

	/* broken input */
	rc = csv_parse("", 0, &f, err, sizeof err);
	T_OK(rc == -1, "empty refused (%s)", err);
	rc = csv_parse("a,b\n1,2\n", 8, &f, err, sizeof err);
	T_OK(rc == -1, "no id/date column refused (%s)", err);
	snprintf(buf, sizeof buf,
	         "Activity ID,Activity Date\n1,\"never closed");
	rc = csv_parse(buf, strlen(buf), &f, err, sizeof err);
	T_OK(rc == 0 && f.n == 1, "unterminated quote ends at end of file");
	csv_free(&f);
	snprintf(buf, sizeof buf, "Activity ID,Activity Date\n,\n,,,\nabc,x\n");
	rc = csv_parse(buf, strlen(buf), &f, err, sizeof err);
	T_OK(rc == 0 && f.n == 0 && f.skipped == 3,
	     "rows without id and date skipped (%zu)", f.skipped);
	csv_free(&f);

	/* profile.csv: Strava's athlete id and names, by column name */
	{
		struct csv_profile p;
		const char *prof = "\xEF\xBB\xBF"
		                   "Athlete ID,Email Address,First Name,Last "
		                   "Name,Sex,Description,Weight,City\r\n"
		                   "12345678,a@example.org,Ana,\"Novak, "
		                   "Jr\",F,\"Runs,\nrides\","
		                   "61.5,Ljubljana\r\n";

		rc = csv_profile_parse(prof, strlen(prof), &p, err, sizeof err);
		T_OK(rc == 0 && p.id == 12345678LL, "profile: athlete id (%s)",
		     err);
		T_OK(strcmp(p.firstname, "Ana") == 0 &&
		         strcmp(p.lastname, "Novak, Jr") == 0,
		     "profile: names, a quoted comma");
		T_OK(strcmp(p.sex, "F") == 0 && p.weight == 61.5,
		     "profile: sex and weight");
		snprintf(buf, sizeof buf, "Sex,Weight,Athlete ID\nM,,99\n");
		rc = csv_profile_parse(buf, strlen(buf), &p, err, sizeof err);
		T_OK(rc == 0 && p.id == 99 && strcmp(p.sex, "M") == 0 &&
		         isnan(p.weight) && p.firstname[0] == '\0',
		     "profile: columns in any order, empty weight NaN");
		snprintf(buf, sizeof buf, "First Name\nAna\n");
		T_OK(csv_profile_parse(buf, strlen(buf), &p, err, sizeof err) ==
		         -1,
		     "profile without Athlete ID refused (%s)", err);
		snprintf(buf, sizeof buf, "Athlete ID,Sex\nabc,F\n");
		T_OK(csv_profile_parse(buf, strlen(buf), &p, err, sizeof err) ==
		             -1 &&
		         p.id == 0,
		     "profile with a non-numeric id refused (%s)", err);
		snprintf(buf, sizeof buf, "Athlete ID,Sex\n");
		T_OK(csv_profile_parse(buf, strlen(buf), &p, err, sizeof err) ==
		         -1,
		     "profile without a row refused (%s)", err);
	}
	return T_DONE();
}
