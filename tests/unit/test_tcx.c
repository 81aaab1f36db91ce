/* test_tcx.c: TCX reader on the sample files, TPX extensions, BOM and broken input */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "imp_in.h"
#include "tcx.h"
#include "test.h"

#define DATA "tests/data/files/tcx/"

static int
mem(const char *xml, struct imp_activity *a, char *err, size_t errlen)
{
	struct imp_in in;

	imp_activity_init(a);
	imp_in_mem(&in, xml, strlen(xml));
	return tcx_read(&in, a, err, errlen);
}

static int
file(const char *path, struct imp_activity *a, char *err, size_t errlen)
{
	struct imp_in in;
	int rc;

	imp_activity_init(a);
	if (imp_in_file(&in, path) < 0)
		return -1;
	rc = tcx_read(&in, a, err, errlen);
	imp_in_close(&in);
	return rc;
}

int
main(void)
{
	struct imp_activity a;
	char err[256] = "";
	int rc;

	rc = file(DATA "tcxparser-test.tcx", &a, err, sizeof err);
	T_OK(rc == 0 && strcmp(a.sport, "Run") == 0, "test.tcx: Run (%s)", err);
	T_OK(a.n > 300 && (a.have & IMP_C_HR) && (a.have & IMP_C_POS),
	     "test.tcx: %zu trackpoints with hr and position", a.n);
	T_NEAR(a.tot.distance, 4686.31, 5, "test.tcx: laps' distance");
	T_OK(a.n > 0 && a.t[0] == 1356557393, "test.tcx: first time");
	T_OK(a.description && strcmp(a.description, "Aerobics") == 0,
	     "test.tcx: notes as description");
	imp_activity_free(&a);

	rc = file(DATA "tcxparser-sup_activity_1.tcx", &a, err, sizeof err);
	T_OK(rc == 0 && strcmp(a.sport, "Workout") == 0,
	     "sup: Sport Other is Workout (%s)", a.sport);
	T_OK(a.have & IMP_C_SPEED, "sup: ns3:TPX Speed read");
	imp_activity_free(&a);

	rc = mem("\xEF\xBB\xBF<?xml version=\"1.0\"?>"
	         "<TrainingCenterDatabase xmlns:ns3=\"http://www.garmin.com/"
	         "xmlschemas/ActivityExtension/v2\"><Activities>"
	         "<Activity Sport=\"Biking\"><Id>2020-05-01T08:00:00-04:00</Id>"
	         "<Lap StartTime=\"2020-05-01T08:00:00-04:00\">"
	         "<TotalTimeSeconds>10</TotalTimeSeconds>"
	         "<DistanceMeters>50</DistanceMeters><Track><Trackpoint>"
	         "<Time>2020-05-01T08:00:00-04:00</Time>"
	         "<Cadence>90</Cadence><Extensions><ns3:TPX>"
	         "<ns3:Speed>5.5</ns3:Speed><ns3:Watts>210</ns3:Watts>"
	         "</ns3:TPX></Extensions></Trackpoint><Trackpoint>"
	         "<Time>2020-05-01T08:00:10-04:00</Time>"
	         "<HeartRateBpm><Value>120</Value></HeartRateBpm>"
	         "</Trackpoint></Track></Lap></Activity></Activities>"
	         "</TrainingCenterDatabase>",
	         &a, err, sizeof err);
	T_OK(rc == 0 && a.n == 2, "BOM file reads (%s)", err);
	T_OK(a.n == 2 && a.speed[0] == 5.5 && a.watts[0] == 210 &&
	         a.cad[0] == 90 && a.hr[1] == 120,
	     "TPX speed and watts, cadence, heart rate");
	T_OK(strcmp(a.sport, "Ride") == 0 && a.has_offset &&
	         a.utc_offset == -14400,
	     "Biking is Ride, offset -04:00");
	T_OK(a.tot.distance == 50, "lap distance");
	imp_activity_free(&a);

	rc = mem("<TrainingCenterDatabase><Activities></Activities>"
	         "</TrainingCenterDatabase>",
	         &a, err, sizeof err);
	T_OK(rc == -1 && strstr(err, "Activity"), "no activity (%s)", err);
	imp_activity_free(&a);
	rc =
	    mem("<TrainingCenterDatabase><Activities><Activity Sport='Running'>"
	        "<Lap><Track><Trackpoint><Time>bad</Time></Trackpoint>",
	        &a, err, sizeof err);
	T_OK(rc == -1, "truncated XML refused (%s)", err);
	imp_activity_free(&a);
	return T_DONE();
}
