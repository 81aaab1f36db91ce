/* csv.c: activities.csv tokenizer, header mapping and row extraction */
#include "csv.h"

#include <ctype.h>   /* isdigit, isspace, tolower, toupper */
#include <math.h>    /* NAN, isnan */
#include <stdio.h>   /* snprintf */
#include <stdlib.h>  /* calloc, realloc, free, strtoll */
#include <string.h>  /* strcmp, strlen */
#include <strings.h> /* strcasecmp */
#include <time.h>    /* timegm */

#include "imp_activity.h"

enum csv_col {
	C_ID,
	C_DATE,
	C_NAME,
	C_TYPE,
	C_DESC,
	C_ELAPSED,
	C_DIST,
	C_MAXHR,
	C_COMMUTE,
	C_GEAR,
	C_FILE,
	C_MOVING,
	C_MAXSPEED,
	C_AVGSPEED,
	C_ELEVGAIN,
	C_AVGHR,
	C_MAXW,
	C_AVGW,
	C_CAL,
	C_AVGCAD,
	C_AVGTEMP,
	C_WAVGW,
	C_N
};

/* Header spellings (compared case-insensitively, trimmed). */
static const struct {
	const char *name;
	enum csv_col col;
} csv_names[] = {
    {"Activity ID", C_ID},
    {"Aktivitäts-ID", C_ID},
    {"ID de l'activité", C_ID},
    {"ID de la actividad", C_ID},
    {"Activity Date", C_DATE},
    {"Aktivitätsdatum", C_DATE},
    {"Date de l'activité", C_DATE},
    {"Fecha de la actividad", C_DATE},
    {"Activity Name", C_NAME},
    {"Aktivitätsname", C_NAME},
    {"Nom de l'activité", C_NAME},
    {"Nombre de la actividad", C_NAME},
    {"Activity Type", C_TYPE},
    {"Aktivitätsart", C_TYPE},
    {"Type d'activité", C_TYPE},
    {"Tipo de actividad", C_TYPE},
    {"Activity Description", C_DESC},
    {"Aktivitätsbeschreibung", C_DESC},
    {"Description de l'activité", C_DESC},
    {"Elapsed Time", C_ELAPSED},
    {"Verstrichene Zeit", C_ELAPSED},
    {"Temps écoulé", C_ELAPSED},
    {"Distance", C_DIST},
    {"Distanz", C_DIST},
    {"Distancia", C_DIST},
    {"Max Heart Rate", C_MAXHR},
    {"Commute", C_COMMUTE},
    {"Pendeln", C_COMMUTE},
    {"Activity Gear", C_GEAR},
    {"Aktivitätsausrüstung", C_GEAR},
    {"Filename", C_FILE},
    {"Dateiname", C_FILE},
    {"Nom du fichier", C_FILE},
    {"Moving Time", C_MOVING},
    {"Bewegungszeit", C_MOVING},
    {"Max Speed", C_MAXSPEED},
    {"Average Speed", C_AVGSPEED},
    {"Elevation Gain", C_ELEVGAIN},
    {"Höhenzunahme", C_ELEVGAIN},
    {"Average Heart Rate", C_AVGHR},
    {"Max Watts", C_MAXW},
    {"Average Watts", C_AVGW},
    {"Calories", C_CAL},
    {"Average Cadence", C_AVGCAD},
    {"Average Temperature", C_AVGTEMP},
    {"Weighted Average Power", C_WAVGW},
};

/* One tokenised record: fields point into a scratch buffer. */
struct csv_rec {
	char *buf;
	size_t blen, bcap;
	size_t *off;
	size_t nf, fcap;
};

static int
csv_putc(struct csv_rec *r, char c)
{
	if (r->blen + 1 >= r->bcap) {
		size_t cap = r->bcap ? r->bcap * 2 : 4096;
		char *b = realloc(r->buf, cap);

		if (!b)
			return -1;
		r->buf = b;
		r->bcap = cap;
	}
	r->buf[r->blen++] = c;
	return 0;
}

static int
csv_newfield(struct csv_rec *r)
{
	if (r->nf == r->fcap) {
		size_t cap = r->fcap ? r->fcap * 2 : 128;
		size_t *o = realloc(r->off, cap * sizeof *o);

		if (!o)
			return -1;
		r->off = o;
		r->fcap = cap;
	}
	r->off[r->nf++] = r->blen;
	return 0;
}

/*
 * Read one record starting at *pos. Returns 1 a record, 0 at the end,
 * -1 out of memory.
 */
static int
csv_next(const char *s, size_t len, size_t *pos, struct csv_rec *r)
{
	size_t i = *pos, flen = 0;
	int q = 0;

	if (i >= len)
		return 0;
	r->blen = 0;
	r->nf = 0;
	if (csv_newfield(r) < 0)
		return -1;
	for (; i < len; i++) {
		char c = s[i];

		if (q) {
			if (c == '"') {
				if (i + 1 < len && s[i + 1] == '"')
					i++;
				else {
					q = 0;
					continue;
				}
			}
		} else if (c == '"') {
			q = 1;
			continue;
		} else if (c == ',') {
			if (csv_putc(r, '\0') < 0 || csv_newfield(r) < 0)
				return -1;
			flen = 0;
			continue;
		} else if (c == '\r' || c == '\n') {
			if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
				i++;
			i++;
			break;
		}
		if (flen++ < CSV_MAX_FIELD && csv_putc(r, c) < 0)
			return -1;
	}
	if (csv_putc(r, '\0') < 0)
		return -1;
	*pos = i;
	return 1;
}

static const char *
csv_field(const struct csv_rec *r, long col)
{
	if (col < 0 || (size_t)col >= r->nf)
		return "";
	return r->buf + r->off[col];
}

double
csv_number(const char *s)
{
	char tmp[64], *end;
	size_t n = 0;
	int dot = strchr(s, '.') != NULL;
	double v;

	while (isspace((unsigned char)*s))
		s++;
	for (; *s && n + 1 < sizeof tmp; s++) {
		if (*s == ',') {
			if (dot)
				continue; /* thousands separator */
			tmp[n++] = '.';
		} else {
			tmp[n++] = *s;
		}
	}
	while (n > 0 && isspace((unsigned char)tmp[n - 1]))
		n--;
	tmp[n] = '\0';
	if (n == 0)
		return NAN;
	v = strtod(tmp, &end);
	if (*end || !isfinite(v))
		return NAN;
	return v;
}

static int
csv_month(const char *w)
{
	static const struct {
		const char *p;
		int m;
	} mon[] = {
	    {"janv", 1}, {"jan", 1},  {"ene", 1},  {"gen", 1},  {"feb", 2},
	    {"fév", 2},  {"fev", 2},  {"mär", 3},  {"mrz", 3},  {"mar", 3},
	    {"apr", 4},  {"avr", 4},  {"abr", 4},  {"may", 5},  {"mai", 5},
	    {"mag", 5},  {"juin", 6}, {"jun", 6},  {"giu", 6},  {"juil", 7},
	    {"jul", 7},  {"lug", 7},  {"aug", 8},  {"aoû", 8},  {"aou", 8},
	    {"ago", 8},  {"sep", 9},  {"set", 9},  {"oct", 10}, {"okt", 10},
	    {"ott", 10}, {"nov", 11}, {"dec", 12}, {"dez", 12}, {"déc", 12},
	    {"dic", 12},
	};
	size_t i;

	for (i = 0; i < sizeof mon / sizeof mon[0]; i++)
		if (strncasecmp(w, mon[i].p, strlen(mon[i].p)) == 0)
			return mon[i].m;
	return 0;
}

int
csv_parse_date(const char *s, double *t)
{
	long num[8];
	int nn = 0, month = 0, pm = -1, y, mo, d, h = 0, mi = 0, se = 0;
	char sep = 0;
	struct tm tm;

	while (*s) {
		unsigned char c = (unsigned char)*s;

		if (isdigit(c)) {
			long v = 0;
			int k = 0;

			for (; isdigit((unsigned char)*s) && k < 6; s++, k++)
				v = v * 10 + (*s - '0');
			if (nn < 8)
				num[nn++] = v;
			if (nn == 1 && (*s == '/' || *s == '.' || *s == '-'))
				sep = *s;
			continue;
		}
		if (isalpha(c) || c >= 0x80) {
			const char *w = s;

			while (*s && (isalpha((unsigned char)*s) ||
			              (unsigned char)*s >= 0x80))
				s++;
			if (strncasecmp(w, "pm", 2) == 0 && s - w == 2)
				pm = 1;
			else if (strncasecmp(w, "am", 2) == 0 && s - w == 2)
				pm = 0;
			else if (!month)
				month = csv_month(w);
			continue;
		}
		s++;
	}
	if (month) {
		if (nn < 2)
			return -1;
		mo = month;
		if (num[0] > 31) {
			y = (int)num[0];
			d = (int)num[1];
		} else {
			d = (int)num[0];
			y = (int)num[1];
		}
		nn -= 2;
		memmove(num, num + 2, (size_t)nn * sizeof num[0]);
	} else {
		if (nn < 3)
			return -1;
		if (num[0] > 31) {
			y = (int)num[0];
			mo = (int)num[1];
			d = (int)num[2];
		} else if (sep == '/') {
			mo = (int)num[0];
			d = (int)num[1];
			y = (int)num[2];
		} else {
			d = (int)num[0];
			mo = (int)num[1];
			y = (int)num[2];
		}
		nn -= 3;
		memmove(num, num + 3, (size_t)nn * sizeof num[0]);
	}
	if (nn >= 2) {
		h = (int)num[0];
		mi = (int)num[1];
		se = nn >= 3 ? (int)num[2] : 0;
	}
	if (pm == 1 && h < 12)
		h += 12;
	else if (pm == 0 && h == 12)
		h = 0;
	if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*t = (double)timegm(&tm);
	return 0;
}

static char *
csv_dup(const char *s)
{
	return *s ? strdup(s) : NULL;
}

/* Column of each field; for Distance the metres one (second) wins. */
static void
csv_map(const struct csv_rec *h, long *col, long *dist_km)
{
	size_t i, k;
	int recognised = 0;

	for (k = 0; k < C_N; k++)
		col[k] = -1;
	*dist_km = -1;
	for (i = 0; i < h->nf; i++) {
		const char *f = csv_field(h, (long)i);
		char name[128];
		size_t n;

		while (isspace((unsigned char)*f))
			f++;
		if ((unsigned char)f[0] == 0xEF &&
		    (unsigned char)f[1] == 0xBB && (unsigned char)f[2] == 0xBF)
			f += 3;
		imp_strcpy(name, sizeof name, f);
		n = strlen(name);
		while (n > 0 && isspace((unsigned char)name[n - 1]))
			name[--n] = '\0';
		for (k = 0; k < sizeof csv_names / sizeof csv_names[0]; k++) {
			enum csv_col c = csv_names[k].col;

			if (strcasecmp(name, csv_names[k].name) != 0)
				continue;
			recognised++;
			if (c == C_DIST && col[c] >= 0 && *dist_km < 0) {
				*dist_km = col[c]; /* the first was km */
				col[c] = (long)i;
			} else if (col[c] < 0) {
				col[c] = (long)i;
			}
			break;
		}
	}
	/* An unrecognised (localised) header: the first five by position. */
	if (col[C_ID] < 0 && col[C_DATE] < 0 && h->nf >= 5) {
		for (k = 0; k < 5; k++)
			if (col[k] < 0)
				col[k] = (long)k;
	}
	(void)recognised;
}

int
csv_parse(const char *buf, size_t len, struct csv_file *out, char *err,
          size_t errlen)
{
	int rc = -1, r;
	size_t pos = 0, cap = 0;
	struct csv_rec rec = {0};
	long col[C_N], dist_km, k;

	memset(out, 0, sizeof *out);
	if (len >= 3 && (unsigned char)buf[0] == 0xEF &&
	    (unsigned char)buf[1] == 0xBB && (unsigned char)buf[2] == 0xBF)
		pos = 3;
	r = csv_next(buf, len, &pos, &rec);
	if (r <= 0) {
		snprintf(err, errlen, r < 0 ? "out of memory" : "empty file");
		goto out;
	}
	out->ncols = rec.nf;
	csv_map(&rec, col, &dist_km);
	if (col[C_ID] < 0 || col[C_DATE] < 0) {
		snprintf(err, errlen,
		         "no Activity ID or Activity Date column "
		         "in the header");
		goto out;
	}
	while ((r = csv_next(buf, len, &pos, &rec)) > 0) {
		struct csv_act *a;
		const char *id = csv_field(&rec, col[C_ID]);
		char *end;
		double t;

		if (rec.nf == 1 && !*csv_field(&rec, 0))
			continue; /* blank line */
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct csv_act *rows =
			    realloc(out->rows, nc * sizeof *rows);

			if (!rows) {
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			out->rows = rows;
			cap = nc;
		}
		a = &out->rows[out->n];
		memset(a, 0, sizeof *a);
		a->id = strtoll(id, &end, 10);
		if (end == id || *end || a->id <= 0)
			a->id = 0;
		a->start = NAN;
		if (csv_parse_date(csv_field(&rec, col[C_DATE]), &t) == 0)
			a->start = t;
		if (!a->id && isnan(a->start)) {
			out->skipped++;
			continue;
		}
		out->n++;
		a->name = csv_dup(csv_field(&rec, col[C_NAME]));
		a->description = csv_dup(csv_field(&rec, col[C_DESC]));
		a->gear = csv_dup(csv_field(&rec, col[C_GEAR]));
		a->filename = csv_dup(csv_field(&rec, col[C_FILE]));
		imp_strcpy(a->sport, sizeof a->sport,
		           imp_sport_from_word(csv_field(&rec, col[C_TYPE])));
		a->elapsed = csv_number(csv_field(&rec, col[C_ELAPSED]));
		a->moving = csv_number(csv_field(&rec, col[C_MOVING]));
		a->distance = csv_number(csv_field(&rec, col[C_DIST]));
		if (dist_km < 0 && !isnan(a->distance) && col[C_DIST] >= 0 &&
		    col[C_MOVING] < 0)
			a->distance *= 1000; /* only the km column */
		else if (isnan(a->distance) && dist_km >= 0) {
			a->distance = csv_number(csv_field(&rec, dist_km));
			if (!isnan(a->distance))
				a->distance *= 1000;
		}
		a->max_speed = csv_number(csv_field(&rec, col[C_MAXSPEED]));
		a->avg_speed = csv_number(csv_field(&rec, col[C_AVGSPEED]));
		a->elev_gain = csv_number(csv_field(&rec, col[C_ELEVGAIN]));
		a->max_hr = csv_number(csv_field(&rec, col[C_MAXHR]));
		a->avg_hr = csv_number(csv_field(&rec, col[C_AVGHR]));
		a->avg_watts = csv_number(csv_field(&rec, col[C_AVGW]));
		a->max_watts = csv_number(csv_field(&rec, col[C_MAXW]));
		a->wavg_watts = csv_number(csv_field(&rec, col[C_WAVGW]));
		a->calories = csv_number(csv_field(&rec, col[C_CAL]));
		a->avg_cad = csv_number(csv_field(&rec, col[C_AVGCAD]));
		a->avg_temp = csv_number(csv_field(&rec, col[C_AVGTEMP]));
		{
			const char *c = csv_field(&rec, col[C_COMMUTE]);

			a->commute =
			    strcasecmp(c, "true") == 0 || strcmp(c, "1") == 0;
		}
		if (!a->filename) { /* Filename column not identified */
			for (k = 0; k < (long)rec.nf; k++) {
				const char *f = csv_field(&rec, k);

				if (strncmp(f, "activities/", 11) == 0) {
					a->filename = strdup(f);
					break;
				}
			}
		}
	}
	if (r < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (out->skipped)
		snprintf(out->warn, sizeof out->warn,
		         "%zu rows without Activity ID and date skipped",
		         out->skipped);
	rc = 0;
out:
	free(rec.buf);
	free(rec.off);
	if (rc < 0)
		csv_free(out);
	return rc;
}

void
csv_free(struct csv_file *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->rows[i].name);
		free(f->rows[i].description);
		free(f->rows[i].gear);
		free(f->rows[i].filename);
	}
	free(f->rows);
	memset(f, 0, sizeof *f);
}

struct csv_act *
csv_find_file(struct csv_file *f, const char *path)
{
	size_t i, pl = strlen(path);

	for (i = 0; i < f->n; i++) {
		const char *fn = f->rows[i].filename;
		size_t fl;

		if (!fn)
			continue;
		fl = strlen(fn);
		if (fl <= pl && strcmp(path + pl - fl, fn) == 0 &&
		    (fl == pl || path[pl - fl - 1] == '/'))
			return &f->rows[i];
	}
	return NULL;
}

/* The column of `name` in the header h, -1 when absent. */
static long
csv_col_of(const struct csv_rec *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nf; i++) {
		const char *f = csv_field(h, (long)i);
		char cell[128];
		size_t n;

		if ((unsigned char)f[0] == 0xEF &&
		    (unsigned char)f[1] == 0xBB && (unsigned char)f[2] == 0xBF)
			f += 3;
		while (isspace((unsigned char)*f))
			f++;
		imp_strcpy(cell, sizeof cell, f);
		n = strlen(cell);
		while (n > 0 && isspace((unsigned char)cell[n - 1]))
			cell[--n] = '\0';
		if (strcasecmp(cell, name) == 0)
			return (long)i;
	}
	return -1;
}

int
csv_profile_parse(const char *buf, size_t len, struct csv_profile *out,
                  char *err, size_t errlen)
{
	struct csv_rec head = {0}, row = {0};
	size_t pos = 0;
	long idc;
	char *end;
	const char *id, *sex;
	int rc = -1;

	memset(out, 0, sizeof *out);
	out->weight = NAN;
	if (csv_next(buf, len, &pos, &head) <= 0) {
		snprintf(err, errlen, "profile.csv: empty file");
		goto out;
	}
	idc = csv_col_of(&head, "Athlete ID");
	if (idc < 0) {
		snprintf(err, errlen, "profile.csv: no Athlete ID column");
		goto out;
	}
	if (csv_next(buf, len, &pos, &row) <= 0) {
		snprintf(err, errlen, "profile.csv: no row under the header");
		goto out;
	}
	id = csv_field(&row, idc);
	out->id = strtoll(id, &end, 10);
	if (end == id || *end != '\0' || out->id <= 0) {
		snprintf(err, errlen,
		         "profile.csv: Athlete ID is not a number");
		out->id = 0;
		goto out;
	}
	imp_strcpy(out->firstname, sizeof out->firstname,
	           csv_field(&row, csv_col_of(&head, "First Name")));
	imp_strcpy(out->lastname, sizeof out->lastname,
	           csv_field(&row, csv_col_of(&head, "Last Name")));
	sex = csv_field(&row, csv_col_of(&head, "Sex"));
	if (toupper((unsigned char)sex[0]) == 'M' ||
	    toupper((unsigned char)sex[0]) == 'F') {
		out->sex[0] = (char)toupper((unsigned char)sex[0]);
		out->sex[1] = '\0';
	}
	out->weight = csv_number(csv_field(&row, csv_col_of(&head, "Weight")));
	rc = 0;
out:
	free(head.buf);
	free(head.off);
	free(row.buf);
	free(row.off);
	return rc;
}
