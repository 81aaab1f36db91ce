/* test_gpx.c: GPX reader on the sample files, extensions, fallbacks and broken input */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpx.h"
#include "imp_in.h"
#include "imp_xml.h"
#include "test.h"

#define DATA "tests/data/files/gpx/"

static int
mem(const char *xml, struct imp_activity *a, char *err, size_t errlen)
{
	struct imp_in in;

	imp_activity_init(a);
	imp_in_mem(&in, xml, strlen(xml));
	return gpx_read(&in, a, err, errlen);
}

static int
file(const char *path, struct imp_activity *a, char *err, size_t errlen)
{
	struct imp_in in;
	int rc;

	imp_activity_init(a);
	if (imp_in_file(&in, path) < 0)
		return -1;
	rc = gpx_read(&in, a, err, errlen);
	imp_in_close(&in);
	return rc;
}

int
main(void)
{
	struct imp_activity a;
	char err[256] = "";
	double t;
	int rc, has, off;

	/* ISO 8601 times */
	T_OK(imp_parse_iso("2012-12-26T21:29:53Z", &t, &has, &off) == 0 &&
	         t == 1356557393 && !has,
	     "iso Z");
	T_OK(imp_parse_iso("2012-12-26T17:29:53-04:00", &t, &has, &off) == 0 &&
	         t == 1356557393 && has && off == -14400,
	     "iso -04:00");
	T_OK(imp_parse_iso("2012-12-26T21:29:53.500Z", &t, &has, &off) == 0 &&
	         t == 1356557393.5,
	     "iso fraction");
	T_OK(imp_parse_iso("2013-01-01T12:00:00", &t, &has, &off) == 0 &&
	         t == 1357041600,
	     "iso without zone is UTC");
	T_OK(imp_parse_iso("2012-13-26T21:29:53Z", &t, &has, &off) < 0,
	     "month 13 refused");
	T_OK(imp_parse_iso("yesterday", &t, &has, &off) < 0, "words refused");

	rc = file(DATA "cerknicko-jezero.gpx", &a, err, sizeof err);
	T_OK(rc == 0 && a.n == 296, "cerknicko: 296 track points (%zu)", a.n);
	T_OK(strcmp(a.name, "ACTIVE LOG") == 0, "cerknicko: track name");
	T_OK(a.have & IMP_C_ALT, "cerknicko: altitude");
	imp_activity_free(&a);

	rc = file(DATA "strava-offline-export_gpx-synthetic.gpx", &a, err,
	          sizeof err);
	T_OK(rc == 0 && a.n == 1 && strcmp(a.sport, "Ride") == 0 &&
	         strcmp(a.name, "Morning Ride") == 0,
	     "strava export: Ride (type 1), name (%s, %s)", a.sport, a.name);
	T_NEAR(a.lat[0], 49.1234567, 1e-9, "strava export: lat");
	imp_activity_free(&a);

	rc = file(DATA "gpx_with_garmin_extension.gpx", &a, err, sizeof err);
	T_OK(rc == 0 && a.n == 1 && a.hr[0] == 171,
	     "waypoint-only file falls back to waypoints, hr 171");
	imp_activity_free(&a);

	rc = file(DATA "gpx1.1_with_all_fields.gpx", &a, err, sizeof err);
	T_OK(rc == 0 && a.n == 1 && a.lat[0] == 10.1 && a.lng[0] == -20.2 &&
	         a.alt[0] == 11.1,
	     "all-fields file: the one track point, not routes or waypoints");
	T_OK(strcmp(a.sport, "Workout") == 0,
	     "all-fields: unknown <type> is Workout (%s)", a.sport);
	imp_activity_free(&a);

	/* TrackPointExtension v1 and v2 with power, GPX 1.0 speed */
	rc = mem("<?xml version='1.0'?><gpx version='1.1' "
	         "xmlns:gpxtpx='http://www.garmin.com/xmlschemas/"
	         "TrackPointExtension/v2'><trk><type>running</type><trkseg>"
	         "<trkpt lat='1' lon='2'><ele>5</ele>"
	         "<time>2020-01-01T10:00:00+02:00</time><extensions>"
	         "<power>250</power><gpxtpx:TrackPointExtension>"
	         "<gpxtpx:hr>140</gpxtpx:hr><gpxtpx:cad>85</gpxtpx:cad>"
	         "<gpxtpx:atemp>21.5</gpxtpx:atemp>"
	         "</gpxtpx:TrackPointExtension></extensions></trkpt>"
	         "<trkpt lat='1.001' lon='2'><time>2020-01-01T10:00:05+02:00"
	         "</time></trkpt><trkpt lat='1.002' lon='2'></trkpt>"
	         "</trkseg></trk></gpx>",
	         &a, err, sizeof err);
	T_OK(rc == 0 && a.n == 2, "two timed points, untimed skipped");
	T_OK(a.n == 2 && a.hr[0] == 140 && a.cad[0] == 85 &&
	         a.watts[0] == 250 && a.temp[0] == 21.5,
	     "hr, cad, power, atemp from extensions");
	T_OK(a.has_offset && a.utc_offset == 7200, "offset +02:00 kept");
	T_OK(a.n == 2 && a.t[0] == 1577865600, "time converted to UTC");
	T_OK(strcmp(a.sport, "Run") == 0, "type running is Run");
	T_OK(strstr(a.warn, "without a time") != NULL, "untimed point noted");
	imp_activity_free(&a);

	/* broken input */
	rc = mem("<gpx><trk><trkseg><trkpt lat='1' lon='2'><time>2020-01-01"
	         "T10:00:00Z</time></trkpt>",
	         &a, err, sizeof err);
	T_OK(rc == -1 && strstr(err, "XML"), "truncated XML refused (%s)", err);
	imp_activity_free(&a);
	rc = mem("", &a, err, sizeof err);
	T_OK(rc == -1, "empty refused (%s)", err);
	imp_activity_free(&a);
	rc = mem("<gpx><trk><trkseg><trkpt lat='1' lon='2'/></trkseg></trk>"
	         "</gpx>",
	         &a, err, sizeof err);
	T_OK(rc == -1 && strstr(err, "time"), "no timed point refused (%s)",
	     err);
	imp_activity_free(&a);
	rc = mem("<gpx><trk><trkseg><trkpt lat='91' lon='2'><time>2020-01-01"
	         "T10:00:00Z</time></trkpt></trkseg></trk></gpx>",
	         &a, err, sizeof err);
	T_OK(rc == 0 && a.n == 1 && isnan(a.lat[0]),
	     "latitude 91 dropped, point kept");
	imp_activity_free(&a);
	/* billion laughs: expat refuses amplification */
	rc = mem("<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'>"
	         "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
	         "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>"
	         "<!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>"
	         "<!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'>"
	         "<!ENTITY f '&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;'>"
	         "<!ENTITY g '&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;'>]>"
	         "<gpx><trk><name>&g;</name></trk></gpx>",
	         &a, err, sizeof err);
	T_OK(rc == -1, "entity expansion does not import (%s)", err);
	imp_activity_free(&a);
	return T_DONE();
}
