/* imp_json.h: an imported activity as Strava-shaped JSON (SummaryActivity, key_by_type StreamSet) */
#ifndef CAIRN_IMP_JSON_H
#define CAIRN_IMP_JSON_H

#include <stddef.h> /* size_t */

#include <jansson.h>

#include "imp_activity.h"

/* "YYYY-MM-DD HH:MM:SS" (and with 'T' ... 'Z' when iso) of epoch t. */
void imp_fmt_time(double t, int iso, char *buf, size_t len);

/*
 * Strava's timezone text for an offset: "(GMT+00:00) UTC",
 * "(GMT-07:00) Etc/GMT+7", "(GMT+05:30) +05:30".
 */
void imp_tz_name(int offset, char *buf, size_t len);

/* A name like Strava's default: "Morning Run" from local hour and sport. */
void imp_default_name(double start_local, const char *sport, char *buf,
                      size_t len);

/*
 * The SummaryActivity object (same keys Strava uses; absent values are
 * null). `external_id` is the file name (may be NULL). New reference.
 */
json_t *imp_summary_json(const struct imp_activity *a,
                         const struct imp_summary *s, long long id,
                         long long athlete_id, const char *external_id);

/*
 * The streams as /activities/{id}/streams?key_by_type=true gives them:
 * time, distance, latlng, altitude, velocity_smooth, heartrate, cadence,
 * watts, temp, moving (only channels the file has; gaps filled with the
 * nearest earlier value, as Strava's streams have no nulls). A malloc'd
 * compact JSON string, NULL on failure or without samples.
 */
char *imp_streams_json(const struct imp_activity *a);

#endif
