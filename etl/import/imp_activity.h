/* imp_activity.h: the one in-memory activity every reader (FIT, GPX, TCX, CSV) produces */
#ifndef CAIRN_IMP_ACTIVITY_H
#define CAIRN_IMP_ACTIVITY_H

#include <stddef.h> /* size_t */

/*
 * Most samples kept per activity. A file with more points is thinned (every
 * 2nd kept, then every 4th, ...) so memory stays bounded; imp_activity.warn
 * says so and the stream's resolution is "medium" instead of "high".
 */
#define IMP_MAX_POINTS 100000
/* Most track points in map.summary_polyline (thinned evenly beyond). */
#define IMP_MAX_POLY_POINTS 20000
/* A sample interval counts as moving at or above this speed (m/s). */
#define IMP_MOVING_SPEED 0.5
/* Elevation gain: climbs count once they exceed this hysteresis (m). */
#define IMP_ELEV_HYST 2.0

/* Most laps kept per activity (more are dropped, with a warning). */
#define IMP_MAX_LAPS 5000

/* One lap as the file records it; NaN marks what it does not say. */
struct imp_lap {
	double start; /* epoch s UTC */
	double elapsed, moving, distance, avg_speed, max_speed;
	double avg_hr, max_hr, avg_watts, max_watts, avg_cad, elev_gain;
	double calories;
};

/* Channels a sample may carry (bits of imp_activity.have). */
enum imp_chan {
	IMP_C_POS = 1 << 0,
	IMP_C_ALT = 1 << 1,
	IMP_C_DIST = 1 << 2,
	IMP_C_SPEED = 1 << 3,
	IMP_C_HR = 1 << 4,
	IMP_C_CAD = 1 << 5,
	IMP_C_WATTS = 1 << 6,
	IMP_C_TEMP = 1 << 7,
};

/* One sample as a reader hands it over; NaN marks a missing value. */
struct imp_sample {
	double t; /* epoch seconds, UTC */
	double lat, lng, alt, dist, speed, hr, cad, watts, temp;
};

/*
 * Totals a file states itself (FIT session, TCX laps, activities.csv);
 * NaN when not stated. They win over values computed from the samples.
 */
struct imp_totals {
	double distance, elapsed, moving, elev_gain, avg_speed, max_speed;
	double avg_hr, max_hr, avg_watts, max_watts, avg_cad, avg_temp;
	double kilojoules, calories;
};

struct imp_activity {
	/* What the file or activities.csv says about the activity. */
	long long strava_id; /* 0: unknown */
	char sport[48];      /* Strava sport_type, "" unknown */
	char name[256];
	char *description; /* malloc'd or NULL */
	char gear[128];    /* gear name (activities.csv) */
	char device[64];
	int commute, trainer, manual;
	double start;   /* epoch s UTC of the first sample, NaN unknown */
	int has_offset; /* 1: utc_offset came from the file */
	int utc_offset; /* seconds east of UTC */
	struct imp_totals tot;

	/* Samples, parallel arrays of n (time is epoch seconds). */
	size_t n, cap;
	unsigned have; /* enum imp_chan bits seen */
	double *t, *lat, *lng, *alt, *dist, *speed, *hr, *cad, *watts, *temp;
	size_t stride; /* 1, or the thinning step once over the cap */
	size_t seen;   /* samples offered, before thinning */
	size_t skip;   /* countdown to the next kept sample */
	struct imp_sample pending; /* the last sample, if thinning skipped it */
	int has_pending;

	/* Laps, in the file's order (cairn_raw.activity_lap). */
	struct imp_lap *laps;
	size_t nlaps, lapcap;
	const char *lap_source; /* "fit", "tcx" */

	char warn[256]; /* non-fatal notes (bad CRC, truncated, thinned) */
};

/* A fresh empty activity (all totals NaN). Free with imp_activity_free(). */
void imp_activity_init(struct imp_activity *a);
void imp_activity_free(struct imp_activity *a);

/* An empty sample (every value NaN). */
void imp_sample_clear(struct imp_sample *s);

/* Append one sample (thinning past IMP_MAX_POINTS). 0 or -1 (memory). */
int imp_activity_add(struct imp_activity *a, const struct imp_sample *s);

/* An empty lap (every value NaN). */
void imp_lap_clear(struct imp_lap *l);

/* Append one lap (past IMP_MAX_LAPS: dropped, a warning). 0 or -1. */
int imp_activity_lap(struct imp_activity *a, const struct imp_lap *l);

/* Add a note to a->warn ("; " separated, truncated to fit). */
void imp_activity_warn(struct imp_activity *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Copy src into dst of size n, cut at a UTF-8 character boundary. */
void imp_strcpy(char *dst, size_t n, const char *src);

/* Great-circle distance in metres. */
double imp_haversine(double lat1, double lng1, double lat2, double lng2);

/*
 * The summary built from samples and stated totals: what goes into the
 * typed columns and summary_json. Every double NaN when unknown.
 */
struct imp_summary {
	double start; /* epoch s UTC */
	int utc_offset;
	double distance, elapsed, moving, elev_gain, avg_speed, max_speed;
	double avg_hr, max_hr, avg_watts, max_watts, avg_cad, avg_temp;
	double kilojoules, calories, elev_high, elev_low;
	double start_lat, start_lng, end_lat, end_lng;
	char *polyline; /* malloc'd, "" without positions */
};

/*
 * Complete the samples (distance from positions when the file has none,
 * time relative to start) and compute the summary. 0, or -1 when the
 * activity has no start time. Free the summary with imp_summary_free().
 */
int imp_activity_finish(struct imp_activity *a, struct imp_summary *s,
                        char *err, size_t errlen);
void imp_summary_free(struct imp_summary *s);

/* Per-interval moving flag for sample i (i >= 1), as the summary uses it. */
int imp_moving_at(const struct imp_activity *a, size_t i);

/* Strava's legacy ActivityType for a sport_type. */
const char *imp_legacy_type(const char *sport);
/* A group name used to match duplicates ("ride", "run", ... or the sport). */
const char *imp_sport_group(const char *sport);
/*
 * Map a free-form sport word (TCX Sport, GPX type, activities.csv "Activity
 * Type", localised) to a Strava sport_type; "" when unknown.
 */
const char *imp_sport_from_word(const char *w);

#endif
