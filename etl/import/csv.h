/* csv.h: Strava's activities.csv, read by column name across its known variants */
#ifndef CAIRN_CSV_H
#define CAIRN_CSV_H

#include <stddef.h> /* size_t */

/* Largest activities.csv read (bytes). */
#define CSV_MAX_BYTES (64u * 1024 * 1024)
/* Longest field kept (longer descriptions are cut). */
#define CSV_MAX_FIELD (64u * 1024)

/* One row. Strings malloc'd or NULL; numbers NaN when empty. */
struct csv_act {
	long long id; /* Activity ID, 0 when missing */
	double start; /* Activity Date as epoch s (UTC), NaN */
	char *name, *description, *gear, *filename;
	char sport[48]; /* Strava sport_type from Activity Type, "" */
	double elapsed, moving, distance; /* s, s, m */
	double max_speed, avg_speed, elev_gain, max_hr, avg_hr;
	double avg_watts, wavg_watts, max_watts, calories, avg_cad, avg_temp;
	int commute;
	int used; /* set by the importer when a file matched */
};

struct csv_file {
	struct csv_act *rows;
	size_t n;
	size_t ncols;   /* header columns */
	size_t skipped; /* rows without id and date */
	char warn[256];
};

/*
 * Parse activities.csv (RFC 4180 quoting, multi-line fields, CRLF, a BOM).
 * Columns are found by name (English and a few localised spellings, the
 * first five also by position when the header is not recognised); of
 * duplicated names the second Distance (metres) wins, the first in km is
 * used only when there is no second. 0, or -1 with `err` (no Activity ID
 * or date column). Free with csv_free().
 */
int csv_parse(const char *buf, size_t len, struct csv_file *out, char *err,
              size_t errlen);
void csv_free(struct csv_file *f);

/* What an export's profile.csv says of its athlete ("" / 0 / NaN when absent).
 */
struct csv_profile {
	long long id; /* Athlete ID: Strava's athlete id */
	char firstname[101], lastname[101];
	char sex[2];   /* "M", "F" or "" */
	double weight; /* kg */
};

/*
 * Parse profile.csv (a header and one row; columns found by name,
 * case-insensitively). 0 with the fields, or -1 with `err` (no Athlete ID
 * column, or no positive id in it).
 */
int csv_profile_parse(const char *buf, size_t len, struct csv_profile *out,
                      char *err, size_t errlen);

/* The row whose Filename is `path` or a suffix of it (NULL when none). */
struct csv_act *csv_find_file(struct csv_file *f, const char *path);

/*
 * Parse an activities.csv date: "Oct 6, 2022, 11:19:20 PM",
 * "24 Dec 2020, 08:13:59", "6. Okt. 2022, 23:19:20", "2022-10-06 23:19:20".
 * 0 with *t (UTC epoch seconds) or -1.
 */
int csv_parse_date(const char *s, double *t);

/* A number cell: "1234.5", "1,234.5", "2,43" (decimal comma); NaN else. */
double csv_number(const char *s);

#endif
