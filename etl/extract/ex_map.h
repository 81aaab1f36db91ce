/* ex_map.h: Strava JSON answers mapped to the typed rows cairn_raw stores (pure, no I/O) */
#ifndef CAIRN_EX_MAP_H
#define CAIRN_EX_MAP_H

#include <stddef.h> /* size_t */

#include <jansson.h>

/*
 * A SummaryActivity (list item) or DetailedActivity mapped to the typed
 * columns of cairn_raw.activity. Strings are borrowed from `root` and live
 * until ex_activity_free(). Missing numbers are NaN, missing flags -1,
 * missing strings NULL.
 */
struct ex_activity {
	json_t *root;
	long long id;
	long long athlete_id; /* 0 when the payload does not say */
	const char *name;
	const char *sport_type; /* falls back to `type` */
	const char *type;
	char start_date[20];       /* "YYYY-MM-DD HH:MM:SS", UTC */
	char start_date_local[20]; /* local wall time */
	long long start_epoch;     /* start_date as epoch seconds */
	const char *timezone;
	double utc_offset; /* seconds (a float in 2025 answers) */
	double distance;
	double moving_time;
	double elapsed_time;
	double total_elevation_gain;
	double average_speed;
	double max_speed;
	double average_heartrate;
	double max_heartrate;
	double average_watts;
	double weighted_average_watts;
	double kilojoules;
	int device_watts;  /* -1 unknown */
	int has_heartrate; /* -1 unknown */
	int trainer;
	int commute;
	int manual;
	int private_;
	const char *gear_id;
	double workout_type;
	const char *summary_polyline;
	const char *external_id;
	long long upload_id;
	int has_upload_id;
	const char *description; /* detailed activity only */
};

/* One lap of a DetailedActivity's `laps` (NaN where it says nothing). */
struct ex_lap {
	char start_date[20]; /* "YYYY-MM-DD HH:MM:SS" UTC, "" unknown */
	double start_offset; /* s from the activity's start_date */
	double elapsed, moving, distance, avg_speed, max_speed;
	double avg_hr, max_hr, avg_watts, max_watts, avg_cad, elev_gain;
	long long start_index, end_index; /* -1 unknown */
};

/*
 * The `laps` of a DetailedActivity (buf, len) whose start_date is
 * start_epoch, in the answer's order: *laps malloc'd (caller frees; NULL
 * and *n 0 when none). Items that are not objects are skipped. 0, or -1
 * with err (not JSON, out of memory).
 */
int ex_map_laps(const char *buf, size_t len, long long start_epoch,
                struct ex_lap **laps, size_t *n, char *err, size_t errlen);

/*
 * Parse one activity. Required: id, start_date, start_date_local and
 * sport_type (or type). Returns 0, or -1 with `err` saying what is wrong
 * (the activity id first when it is known). Call ex_activity_free() either
 * way.
 */
int ex_map_activity(const char *buf, size_t len, struct ex_activity *a,
                    char *err, size_t errlen);
void ex_activity_free(struct ex_activity *a);

/* An athlete (DetailedAthlete, or the summary inside a token answer). */
struct ex_athlete {
	json_t *root;
	long long id;
	const char *username;
	const char *firstname;
	const char *lastname;
	const char *sex;
	double weight; /* kg, NaN when missing or 0 */
	double ftp;
	const char *city;
	const char *country;
	const char *measurement_preference;
};

int ex_map_athlete(const char *buf, size_t len, struct ex_athlete *at,
                   char *err, size_t errlen);
/* The same from an already parsed object (borrowed, not freed). */
int ex_map_athlete_obj(json_t *o, struct ex_athlete *at, char *err,
                       size_t errlen);
void ex_athlete_free(struct ex_athlete *at);

/* A DetailedGear. kind is "bike" or "shoe". */
struct ex_gear {
	json_t *root;
	const char *id;
	const char *name;
	const char *kind;
	int retired;
	double distance;
};

int ex_map_gear(const char *buf, size_t len, struct ex_gear *g, char *err,
                size_t errlen);
void ex_gear_free(struct ex_gear *g);

/* An answer of POST /oauth/token (code exchange or refresh). */
struct ex_token {
	json_t *root;
	const char *access_token;
	const char *refresh_token;
	long long expires_at;
	int has_athlete; /* code exchange answers carry the athlete */
	struct ex_athlete athlete;
};

int ex_map_token(const char *buf, size_t len, struct ex_token *t, char *err,
                 size_t errlen);
void ex_token_free(struct ex_token *t);

/*
 * Check a StreamSet (key_by_type=true): an object of stream objects each with
 * a `data` array. *points gets the longest data length. 0 or -1 with `err`.
 */
int ex_map_streams(const char *buf, size_t len, long *points, char *err,
                   size_t errlen);

/* Check that the zones answer is a JSON object. 0 or -1 with `err`. */
int ex_map_zones(const char *buf, size_t len, char *err, size_t errlen);

/*
 * True when a Fault body ({"message":..,"errors":[{resource,field,code}]})
 * has an error whose `code` equals `code` (e.g. "missing" for a scope the
 * token lacks, "invalid" for a dead refresh token).
 */
int ex_map_fault_has(const char *buf, size_t len, const char *code);

/*
 * Split a JSON array into its elements without re-encoding them, so each list
 * item is stored byte for byte as Strava sent it. Calls `fn` for each element
 * (start, length, index, number of elements); a non-zero return of `fn` stops
 * and is returned. Returns 0, or -1 when `buf` is not a well-formed array
 * (`err` filled).
 */
int ex_map_split_array(const char *buf, size_t len,
                       int (*fn)(const char *el, size_t ellen, size_t idx,
                                 size_t n, void *arg),
                       void *arg, char *err, size_t errlen);

/* Parse "2025-10-18T12:49:52Z" into "2025-10-18 12:49:52" and epoch s. */
int ex_map_date(const char *s, char out[20], long long *epoch);

#endif
