/* imp_json.c: build the SummaryActivity and StreamSet JSON of an imported activity */
#include "imp_json.h"

#include <math.h>   /* round, isnan, floor */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* abs */
#include <string.h> /* strcmp */
#include <time.h>   /* gmtime_r, strftime */

void
imp_fmt_time(double t, int iso, char *buf, size_t len)
{
	time_t tt = (time_t)floor(t);
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S",
	         &tm);
}

void
imp_tz_name(int offset, char *buf, size_t len)
{
	int a = abs(offset), h = a / 3600, m = a % 3600 / 60;
	char sign = offset < 0 ? '-' : '+';

	if (offset == 0)
		snprintf(buf, len, "(GMT+00:00) UTC");
	else if (m == 0)
		snprintf(buf, len, "(GMT%c%02d:00) Etc/GMT%c%d", sign, h,
		         offset < 0 ? '+' : '-', h);
	else
		snprintf(buf, len, "(GMT%c%02d:%02d) %c%02d:%02d", sign, h, m,
		         sign, h, m);
}

void
imp_default_name(double start_local, const char *sport, char *buf, size_t len)
{
	time_t tt = (time_t)floor(start_local);
	struct tm tm;
	const char *part;

	gmtime_r(&tt, &tm);
	if (tm.tm_hour >= 4 && tm.tm_hour < 11)
		part = "Morning";
	else if (tm.tm_hour < 14 && tm.tm_hour >= 11)
		part = "Lunch";
	else if (tm.tm_hour >= 14 && tm.tm_hour < 18)
		part = "Afternoon";
	else if (tm.tm_hour >= 18 && tm.tm_hour < 22)
		part = "Evening";
	else
		part = "Night";
	snprintf(buf, len, "%s %s", part, sport);
}

static json_t *
imp_num(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *
imp_int(double v)
{
	return isnan(v) ? json_null() : json_integer((json_int_t)llround(v));
}

static json_t *
imp_latlng(double lat, double lng)
{
	if (isnan(lat) || isnan(lng))
		return json_array();
	return json_pack("[ff]", lat, lng);
}

/* Set key to value; a NULL value (jansson out of memory) makes it fail. */
static int
imp_set(json_t *o, const char *k, json_t *v)
{
	return v ? json_object_set_new(o, k, v) : -1;
}

json_t *
imp_summary_json(const struct imp_activity *a, const struct imp_summary *s,
                 long long id, long long athlete_id, const char *external_id)
{
	json_t *o = json_object(), *res = NULL;
	char start[32], local[32], tz[48], mapid[32];
	int bad = 0, hr = !isnan(s->avg_hr), w = !isnan(s->avg_watts);

	if (!o)
		return NULL;
	imp_fmt_time(s->start, 1, start, sizeof start);
	imp_fmt_time(s->start + s->utc_offset, 1, local, sizeof local);
	imp_tz_name(s->utc_offset, tz, sizeof tz);
	snprintf(mapid, sizeof mapid, "a%lld", id);
	bad |= imp_set(o, "resource_state", json_integer(2));
	bad |= imp_set(o, "id", json_integer(id));
	bad |= imp_set(o, "athlete",
	               json_pack("{sIsi}", "id", (json_int_t)athlete_id,
	                         "resource_state", 1));
	bad |= imp_set(o, "name", json_string(a->name));
	bad |= imp_set(o, "distance", imp_num(s->distance));
	bad |= imp_set(o, "moving_time", imp_int(s->moving));
	bad |= imp_set(o, "elapsed_time", imp_int(s->elapsed));
	bad |= imp_set(o, "total_elevation_gain",
	               imp_num(isnan(s->elev_gain) ? 0 : s->elev_gain));
	bad |= imp_set(o, "type", json_string(imp_legacy_type(a->sport)));
	bad |= imp_set(o, "sport_type", json_string(a->sport));
	bad |= imp_set(o, "workout_type", json_null());
	bad |= imp_set(o, "start_date", json_string(start));
	bad |= imp_set(o, "start_date_local", json_string(local));
	bad |= imp_set(o, "timezone", json_string(tz));
	bad |= imp_set(o, "utc_offset", json_real(s->utc_offset));
	bad |= imp_set(o, "location_city", json_null());
	bad |= imp_set(o, "location_state", json_null());
	bad |= imp_set(o, "location_country", json_null());
	bad |= imp_set(o, "achievement_count", json_integer(0));
	bad |= imp_set(o, "kudos_count", json_integer(0));
	bad |= imp_set(o, "comment_count", json_integer(0));
	bad |= imp_set(o, "athlete_count", json_integer(1));
	bad |= imp_set(o, "photo_count", json_integer(0));
	bad |= imp_set(o, "map",
	               json_pack("{sssssi}", "id", mapid, "summary_polyline",
	                         s->polyline ? s->polyline : "",
	                         "resource_state", 2));
	bad |= imp_set(o, "trainer", json_boolean(a->trainer));
	bad |= imp_set(o, "commute", json_boolean(a->commute));
	bad |= imp_set(o, "manual", json_boolean(a->manual));
	bad |= imp_set(o, "private", json_false());
	bad |= imp_set(o, "visibility", json_string("only_me"));
	bad |= imp_set(o, "flagged", json_false());
	bad |= imp_set(o, "gear_id", json_null());
	bad |=
	    imp_set(o, "start_latlng", imp_latlng(s->start_lat, s->start_lng));
	bad |= imp_set(o, "end_latlng", imp_latlng(s->end_lat, s->end_lng));
	bad |= imp_set(o, "average_speed",
	               imp_num(isnan(s->avg_speed) ? 0 : s->avg_speed));
	bad |= imp_set(o, "max_speed",
	               imp_num(isnan(s->max_speed) ? 0 : s->max_speed));
	if (!isnan(s->avg_cad))
		bad |= imp_set(o, "average_cadence", imp_num(s->avg_cad));
	if (!isnan(s->avg_temp))
		bad |= imp_set(o, "average_temp", imp_num(s->avg_temp));
	if (w) {
		bad |= imp_set(o, "average_watts", imp_num(s->avg_watts));
		bad |= imp_set(o, "max_watts", imp_int(s->max_watts));
		bad |= imp_set(o, "kilojoules", imp_num(s->kilojoules));
		bad |= imp_set(o, "device_watts",
		               json_boolean(a->have & IMP_C_WATTS));
	}
	bad |= imp_set(o, "has_heartrate", json_boolean(hr));
	if (hr) {
		bad |= imp_set(o, "average_heartrate", imp_num(s->avg_hr));
		bad |= imp_set(o, "max_heartrate", imp_num(s->max_hr));
	}
	bad |= imp_set(o, "heartrate_opt_out", json_false());
	bad |= imp_set(o, "elev_high", imp_num(s->elev_high));
	bad |= imp_set(o, "elev_low", imp_num(s->elev_low));
	bad |= imp_set(o, "upload_id", json_null());
	bad |= imp_set(o, "external_id",
	               external_id ? json_string(external_id) : json_null());
	bad |= imp_set(o, "from_accepted_tag", json_false());
	bad |= imp_set(o, "pr_count", json_integer(0));
	bad |= imp_set(o, "total_photo_count", json_integer(0));
	bad |= imp_set(o, "has_kudoed", json_false());
	if (a->device[0])
		bad |= imp_set(o, "device_name", json_string(a->device));
	if (!isnan(s->calories))
		bad |= imp_set(o, "calories", imp_num(s->calories));
	if (a->description)
		bad |= imp_set(o, "description", json_string(a->description));
	if (a->gear[0])
		bad |= imp_set(o, "gear_name", json_string(a->gear));
	if (!bad) {
		res = o;
		o = NULL;
	}
	json_decref(o);
	return res;
}
