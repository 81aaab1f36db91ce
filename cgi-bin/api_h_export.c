/* api_h_export.c: one activity as a GPX 1.1 or TCX v2 file, built from its full-resolution streams */
#include <math.h>   /* isfinite, llround, NAN */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* calloc, free */
#include <string.h> /* strcmp, memset */
#include <time.h>   /* gmtime_r, strftime */

#include "api.h"
#include "api_sql.h"
#include "api_xml.h"
#include "db.h"
#include "spk.h"

#define API_GPX_NS "http://www.topografix.com/GPX/1/1"
#define API_TPX_NS "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
#define API_TCX_NS "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
#define API_AX_NS "http://www.garmin.com/xmlschemas/ActivityExtension/v2"

/* What an export is built from; s owns its channels (spk_free). */
struct api_export {
	long long id;
	char name[1024];
	char sport[64];
	char group[16];
	long long start; /* seconds since 1970, UTC */
	double distance; /* metres, NaN when unknown */
	double elapsed;  /* seconds, NaN when unknown */
	struct spk s;
	/* borrowed from s, NULL when absent */
	const float *t, *lat, *lng, *alt, *dist, *hr, *cad, *watts, *temp;
};

/* sec + ms/1000 (seconds since 1970) as ISO 8601 UTC into buf: 0 or -1. */
static int
api_export_iso(long long sec, long long ms, char *buf, size_t len)
{
	time_t tt = (time_t)(sec + ms / 1000);
	struct tm tm;
	size_t n;
	int rc = -1;

	if (gmtime_r(&tt, &tm) == NULL)
		goto out;
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n == 0)
		goto out;
	if (ms % 1000 != 0)
		snprintf(buf + n, len - n, ".%03lldZ", ms % 1000);
	else
		snprintf(buf + n, len - n, "Z");
	rc = 0;
out:
	return rc;
}

/* The time of sample i (start + its time offset; i seconds without a time
 * channel) into buf: 0, or -1 when the sample has no time. */
static int
api_export_time(const struct api_export *e, size_t i, char *buf, size_t len)
{
	double off = e->t != NULL ? (double)e->t[i] : (double)i;

	if (!isfinite(off) || off < 0 || off > 1e9)
		return -1;
	return api_export_iso(e->start, llround(off * 1000.0), buf, len);
}

/* v[i] when the channel exists and the sample is finite, else NaN. */
static double
api_export_v(const float *v, size_t i)
{
	return v != NULL && isfinite(v[i]) ? (double)v[i] : NAN;
}

/* v[i] rounded, when it lies in [lo, hi]; else NaN. */
static double
api_export_byte(const float *v, size_t i, double lo, double hi)
{
	double d = api_export_v(v, i);

	if (!isfinite(d))
		return NAN;
	d = (double)llround(d);
	return d >= lo && d <= hi ? d : NAN;
}

static int
api_export_has_gps(const struct api_export *e)
{
	uint32_t i;

	for (i = 0; e->lat != NULL && e->lng != NULL && i < e->s.n; i++)
		if (isfinite(e->lat[i]) && isfinite(e->lng[i]))
			return 1;
	return 0;
}

static void
api_export_gpx(struct api_xml *w, const struct api_export *e)
{
	char ts[40];
	uint32_t i;

	api_xml_decl(w);
	api_xml_open(w, "gpx");
	api_xml_attr(w, "version", "1.1");
	api_xml_attr(w, "creator", "Cairn");
	api_xml_attr(w, "xmlns", API_GPX_NS);
	api_xml_attr(w, "xmlns:gpxtpx", API_TPX_NS);
	api_xml_attr(w, "xmlns:xsi",
	             "http://www.w3.org/2001/XMLSchema-instance");
	api_xml_attr(w, "xsi:schemaLocation",
	             API_GPX_NS " " API_GPX_NS "/gpx.xsd " API_TPX_NS
	                        " http://www.garmin.com/xmlschemas/"
	                        "TrackPointExtensionv1.xsd");
	api_xml_nl(w);
	api_xml_open(w, "metadata");
	api_xml_elem(w, "name", e->name);
	if (api_export_iso(e->start, 0, ts, sizeof(ts)) == 0)
		api_xml_elem(w, "time", ts);
	api_xml_close(w);
	api_xml_nl(w);
	api_xml_open(w, "trk");
	api_xml_elem(w, "name", e->name);
	api_xml_elem(w, "type", e->sport);
	api_xml_nl(w);
	api_xml_open(w, "trkseg");
	api_xml_nl(w);
	for (i = 0; i < e->s.n && !w->failed; i++) {
		double la = api_export_v(e->lat, i),
		       lo = api_export_v(e->lng, i);
		double hr = api_export_byte(e->hr, i, 1, 255);
		double cad = api_export_byte(e->cad, i, 0, 255);
		double pw = api_export_v(e->watts, i);
		double tp = api_export_v(e->temp, i);

		if (!isfinite(la) || !isfinite(lo))
			continue; /* GPX has no point without a position */
		api_xml_open(w, "trkpt");
		api_xml_attr_num(w, "lat", la, 6);
		api_xml_attr_num(w, "lon", lo, 6);
		api_xml_elem_num(w, "ele", api_export_v(e->alt, i), 1);
		if (api_export_time(e, i, ts, sizeof(ts)) == 0)
			api_xml_elem(w, "time", ts);
		if (isfinite(hr) || isfinite(cad) || isfinite(pw) ||
		    isfinite(tp)) {
			api_xml_open(w, "extensions");
			api_xml_elem_num(w, "power", pw, 0);
			if (isfinite(hr) || isfinite(cad) || isfinite(tp)) {
				api_xml_open(w, "gpxtpx:TrackPointExtension");
				api_xml_elem_num(w, "gpxtpx:atemp", tp, 1);
				api_xml_elem_num(w, "gpxtpx:hr", hr, 0);
				api_xml_elem_num(w, "gpxtpx:cad", cad, 0);
				api_xml_close(w);
			}
			api_xml_close(w);
		}
		api_xml_close(w);
		api_xml_nl(w);
	}
	api_xml_close(w); /* trkseg */
	api_xml_nl(w);
	api_xml_close(w); /* trk */
	api_xml_nl(w);
	api_xml_close(w); /* gpx */
	api_xml_nl(w);
}

/* The last finite sample of v, or NaN. */
static double
api_export_last(const float *v, uint32_t n)
{
	while (v != NULL && n > 0) {
		n--;
		if (isfinite(v[n]))
			return (double)v[n];
	}
	return NAN;
}

static void
api_export_tcx(struct api_xml *w, const struct api_export *e)
{
	double total = e->elapsed, dist = e->distance;
	char ts[40];
	uint32_t i;

	if (!isfinite(total))
		total = api_export_last(e->t, e->s.n);
	if (!isfinite(dist))
		dist = api_export_last(e->dist, e->s.n);
	if (api_export_iso(e->start, 0, ts, sizeof(ts)) != 0)
		ts[0] = '\0';
	api_xml_decl(w);
	api_xml_open(w, "TrainingCenterDatabase");
	api_xml_attr(w, "xmlns", API_TCX_NS);
	api_xml_attr(w, "xmlns:ns3", API_AX_NS);
	api_xml_attr(w, "xmlns:xsi",
	             "http://www.w3.org/2001/XMLSchema-instance");
	api_xml_attr(w, "xsi:schemaLocation",
	             API_TCX_NS " http://www.garmin.com/xmlschemas/"
	                        "TrainingCenterDatabasev2.xsd");
	api_xml_nl(w);
	api_xml_open(w, "Activities");
	api_xml_open(w, "Activity");
	api_xml_attr(w, "Sport",
	             strcmp(e->group, "run") == 0    ? "Running"
	             : strcmp(e->group, "ride") == 0 ? "Biking"
	                                             : "Other");
	api_xml_elem(w, "Id", ts);
	api_xml_nl(w);
	/* One lap over the whole activity: laps are not stored (yet). */
	api_xml_open(w, "Lap");
	api_xml_attr(w, "StartTime", ts);
	api_xml_elem_num(w, "TotalTimeSeconds", isfinite(total) ? total : 0, 1);
	api_xml_elem_num(w, "DistanceMeters", isfinite(dist) ? dist : 0, 1);
	api_xml_elem(w, "Calories", "0"); /* not known to Cairn */
	api_xml_elem(w, "Intensity", "Active");
	api_xml_elem(w, "TriggerMethod", "Manual");
	api_xml_nl(w);
	api_xml_open(w, "Track");
	api_xml_nl(w);
	for (i = 0; i < e->s.n && !w->failed; i++) {
		double la = api_export_v(e->lat, i),
		       lo = api_export_v(e->lng, i);
		double hr = api_export_byte(e->hr, i, 1, 255);
		double cad = api_export_byte(e->cad, i, 0, 254);
		double pw = api_export_v(e->watts, i);

		if (api_export_time(e, i, ts, sizeof(ts)) != 0)
			continue; /* a TCX trackpoint needs its time */
		api_xml_open(w, "Trackpoint");
		api_xml_elem(w, "Time", ts);
		if (isfinite(la) && isfinite(lo)) {
			api_xml_open(w, "Position");
			api_xml_elem_num(w, "LatitudeDegrees", la, 6);
			api_xml_elem_num(w, "LongitudeDegrees", lo, 6);
			api_xml_close(w);
		}
		api_xml_elem_num(w, "AltitudeMeters", api_export_v(e->alt, i),
		                 1);
		api_xml_elem_num(w, "DistanceMeters", api_export_v(e->dist, i),
		                 1);
		if (isfinite(hr)) {
			api_xml_open(w, "HeartRateBpm");
			api_xml_elem_num(w, "Value", hr, 0);
			api_xml_close(w);
		}
		api_xml_elem_num(w, "Cadence", cad, 0);
		if (isfinite(pw)) {
			api_xml_open(w, "Extensions");
			api_xml_open(w, "ns3:TPX");
			api_xml_elem_num(w, "ns3:Watts", pw, 0);
			api_xml_close(w);
			api_xml_close(w);
		}
		api_xml_close(w);
		api_xml_nl(w);
	}
	api_xml_close(w); /* Track */
	api_xml_nl(w);
	api_xml_close(w); /* Lap */
	api_xml_elem(w, "Notes", e->name);
	api_xml_nl(w);
	api_xml_close(w); /* Activity */
	api_xml_close(w); /* Activities */
	api_xml_nl(w);
	api_xml_close(w); /* TrainingCenterDatabase */
	api_xml_nl(w);
}

/* Read the activity and its streams into e, touching no answer: 2 found
 * with streams, 1 found without, 0 none, -1 a statement failed. */
static int
api_export_read(struct api_ctx *x, struct api_export *e)
{
	struct db_param p[] = {DB_I64(e->id), DB_I64(x->athlete_id)};
	struct db_res r;
	const void *blob;
	size_t len;
	int rc, found = 0;

	if (db_query(x->db, API_Q_ACT_EXPORT, p, 2, &r) != 0)
		return -1;
	if ((rc = db_fetch(&r)) == 1) {
		const char *s;

		found = 1;
		snprintf(e->name, sizeof(e->name), "%s",
		         (s = db_str(&r, 0)) != NULL ? s : "");
		snprintf(e->sport, sizeof(e->sport), "%s",
		         (s = db_str(&r, 1)) != NULL ? s : "");
		snprintf(e->group, sizeof(e->group), "%s",
		         (s = db_str(&r, 2)) != NULL ? s : "");
		e->start = db_i64(&r, 3);
		e->distance = db_dbl(&r, 4);
		e->elapsed = db_dbl(&r, 5);
		blob = db_blob(&r, 6, &len);
		if (blob != NULL && spk_unpack(blob, len, &e->s) == 0)
			found = 2;
	}
	db_res_free(&r);
	if (rc < 0)
		return -1;
	if (found == 2 && e->s.n == 0)
		found = 1;
	if (found == 2) {
		e->t = spk_channel(&e->s, "time");
		e->lat = spk_channel(&e->s, "lat");
		e->lng = spk_channel(&e->s, "lng");
		e->alt = spk_channel(&e->s, "altitude");
		e->dist = spk_channel(&e->s, "distance");
		e->hr = spk_channel(&e->s, "heartrate");
		e->cad = spk_channel(&e->s, "cadence");
		e->watts = spk_channel(&e->s, "watts");
		e->temp = spk_channel(&e->s, "temp");
	}
	return found;
}

/* Read the activity and its streams into e: 0, or the status of the error
 * answer already in x->rs. */
static int
api_export_load(struct api_ctx *x, struct api_export *e)
{
	int found = api_export_read(x, e), st = 500;

	if (found < 0) {
		st = api_db_failed(x);
		goto out;
	}
	if (found == 0) {
		st = api_error(x->rs, 404, "not_found", "id",
		               "no activity %lld", e->id);
		goto out;
	}
	if (found == 1) {
		st = api_error(x->rs, 404, "no_streams", "id",
		               "activity %lld has no streams", e->id);
		goto out;
	}
	st = 0;
out:
	return st;
}

int
api_h_export(struct api_ctx *x)
{
	const struct api_val *f = &x->p[P_EXPORT_FORMAT];
	int tcx = f->present && strcmp(f->s, "tcx") == 0, st;
	struct api_export *e = calloc(1, sizeof(*e));
	struct api_xml w;

	if (e == NULL) {
		st = api_error(x->rs, 500, "internal", NULL, "out of memory");
		goto out;
	}
	e->id = x->p[P_ID].i;
	if ((st = api_export_load(x, e)) != 0)
		goto out;
	if (!tcx && !api_export_has_gps(e)) {
		st = api_error(x->rs, 404, "no_gps", "id",
		               "activity %lld has no GPS positions, which GPX "
		               "needs: ask for format=tcx",
		               e->id);
		goto out;
	}
	x->rs->len = 0;
	api_xml_init(&w, x->rs);
	if (tcx)
		api_export_tcx(&w, e);
	else
		api_export_gpx(&w, e);
	if (w.failed || x->rs->failed) {
		st = api_error(x->rs, 500, "internal", NULL, "%s",
		               x->rs->oom
		                   ? "the export is larger than an answer "
		                     "may be"
		                   : "cannot build the export");
		goto out;
	}
	x->rs->status = 200;
	x->rs->content_type =
	    tcx ? "application/vnd.garmin.tcx+xml" : "application/gpx+xml";
	snprintf(x->rs->extra, sizeof(x->rs->extra),
	         "Content-Disposition: attachment; "
	         "filename=\"cairn-%lld.%s\"\r\n",
	         e->id, tcx ? "tcx" : "gpx");
	st = 200;
out:
	if (e != NULL)
		spk_free(&e->s);
	free(e);
	return st;
}

int
api_export_gpx_to(struct api_ctx *x, long long id, struct api_resp *out)
{
	struct api_export *e = calloc(1, sizeof(*e));
	struct api_xml w;
	int rc = -1, found;

	out->len = 0;
	if (e == NULL)
		goto out;
	e->id = id;
	if ((found = api_export_read(x, e)) < 0)
		goto out;
	rc = 0;
	if (found != 2 || !api_export_has_gps(e))
		goto out;
	api_xml_init(&w, out);
	api_export_gpx(&w, e);
	rc = w.failed || out->failed ? -1 : 1;
out:
	if (e != NULL)
		spk_free(&e->s);
	free(e);
	return rc;
}
