/* tf_settings.c: the athlete's effective-dated settings: user rows, Strava's values, estimates */
#include "tf.h"

#include <jansson.h>
#include <limits.h> /* LONG_MIN, LONG_MAX */
#include <math.h>   /* NAN, round */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* realloc, strtod */
#include <string.h> /* strcmp */

#include "db.h"

void
tf_settings_free(struct tf_settings *s)
{
	if (s == NULL)
		return;
	free(s->rows);
	s->rows = NULL;
	s->n = 0;
}

static int
tf_set_add(struct tf_settings *s, const char *name, long from,
           const char *value, const char *source)
{
	struct tf_set_row *r = realloc(s->rows, (s->n + 1) * sizeof(*r));

	if (r == NULL)
		return -1;
	s->rows = r;
	r = &s->rows[s->n++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->from = from;
	snprintf(r->value, sizeof(r->value), "%s", value);
	snprintf(r->source, sizeof(r->source), "%s", source);
	return 0;
}

/* Is there a user-table row for name in force from day 0? */
static int
tf_set_has_base(const struct tf_settings *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->rows[i].name, name) == 0 && s->rows[i].from <= 0)
			return 1;
	return 0;
}

/* Add the Strava or estimated base value (from 1970-01-01) of name. */
static int
tf_set_base(struct tf_settings *s, const char *name, double v,
            const char *source, int decimals)
{
	char buf[64];

	if (isnan(v) || v <= 0 || tf_set_has_base(s, name))
		return 0;
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return tf_set_add(s, name, 0, buf, source);
}

static int
tf_set_cmp(const void *a, const void *b)
{
	const struct tf_set_row *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->from < y->from ? -1 : x->from > y->from;
}

static void
tf_hash(unsigned long long *h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		*h ^= b[i];
		*h *= 1099511628211ULL;
	}
}

/* Strava heart-rate zones: lower bounds of each zone. */
static void
tf_hr_zones(const char *text, size_t len, struct tf_settings *s)
{
	json_t *root = json_loadb(text, len, 0, NULL), *z, *it;
	size_t i;

	s->nhr = 0;
	z = json_object_get(json_object_get(root, "heart_rate"), "zones");
	json_array_foreach(z, i, it)
	{
		json_t *mn = json_object_get(it, "min");

		if (s->nhr >= 8 || !json_is_number(mn))
			break;
		s->hr_lo[s->nhr++] = json_number_value(mn);
	}
	if (s->nhr < 2)
		s->nhr = 0;
	json_decref(root);
}

/* Add the rows of statement q (name, day, value, source) for the athlete:
 * 0, -1 when the query failed, -2 when out of memory. */
static int
tf_set_rows(struct db_conn *db, int q, long long athlete, struct tf_settings *s)
{
	struct db_param p[1] = {DB_I64(athlete)};
	struct db_res res;
	int r;

	if (db_query(db, q, p, 1, &res) != 0)
		return -1;
	while ((r = db_fetch(&res)) == 1) {
		const char *name = db_str(&res, 0), *v = db_str(&res, 2);
		const char *src = db_str(&res, 3);

		if (name == NULL || v == NULL ||
		    tf_set_add(s, name, tf_day(db_str(&res, 1)), v,
		               src != NULL ? src : "user") != 0) {
			r = -2;
			break;
		}
	}
	db_res_free(&res);
	return r < 0 ? r : 0;
}

int
tf_settings_load(struct db_conn *db, long long athlete, struct tf_settings *s,
                 char *err, size_t errlen)
{
	struct db_res res;
	struct db_param p[1] = {DB_I64(athlete)};
	double ftp = NAN, weight = NAN, maxhr = NAN, wap = NAN, rspeed = NAN;
	char sex[8] = "";
	unsigned long long h = 1469598103934665603ULL, hz = h;
	size_t i;
	int r, rc = -1;

	memset(s, 0, sizeof(*s));
	if ((r = tf_set_rows(db, TF_SETTINGS, athlete, s)) == -2)
		goto nomem;
	if (r < 0)
		goto dberr;
	if (db_query(db, TF_ATHLETE_ROW, p, 1, &res) != 0)
		goto dberr;
	if (db_fetch(&res) == 1) {
		ftp = db_isnull(&res, 0) ? NAN : (double)db_i64(&res, 0);
		weight = db_dbl(&res, 1);
		if (db_str(&res, 2) != NULL)
			snprintf(sex, sizeof(sex), "%s", db_str(&res, 2));
	}
	db_res_free(&res);
	if (db_query(db, TF_ESTIMATES, p, 1, &res) != 0)
		goto dberr;
	if (db_fetch(&res) == 1) {
		maxhr = db_dbl(&res, 0);
		wap = db_dbl(&res, 1);
		rspeed = db_dbl(&res, 2);
	}
	db_res_free(&res);
	if (db_query(db, TF_ZONES, p, 1, &res) != 0)
		goto dberr;
	if (db_fetch(&res) == 1 && db_str(&res, 0) != NULL)
		tf_hr_zones(db_str(&res, 0), strlen(db_str(&res, 0)), s);
	db_res_free(&res);

	if (tf_set_base(s, "ftp", ftp, "strava", 0) != 0 ||
	    (isnan(ftp) || ftp <= 0
	         ? tf_set_base(s, "ftp", round(0.95 * wap), "estimated", 0)
	         : 0) != 0 ||
	    tf_set_base(s, "weight", weight, "strava", 1) != 0 ||
	    tf_set_base(s, "max_hr", maxhr, "estimated", 0) != 0 ||
	    tf_set_base(s, "resting_hr", 60, "estimated", 0) != 0 ||
	    tf_set_base(s, "threshold_pace",
	                rspeed > 0 ? round(1000.0 / rspeed) : NAN, "estimated",
	                0) != 0)
		goto nomem;
	if (sex[0] != '\0' && !tf_set_has_base(s, "sex") &&
	    tf_set_add(s, "sex", 0, sex, "strava") != 0)
		goto nomem;
	if (s->n > 1)
		qsort(s->rows, s->n, sizeof(*s->rows), tf_set_cmp);
	for (i = 0; i < s->n; i++) {
		tf_hash(&h, s->rows[i].name, strlen(s->rows[i].name) + 1);
		tf_hash(&h, &s->rows[i].from, sizeof(s->rows[i].from));
		tf_hash(&h, s->rows[i].value, strlen(s->rows[i].value) + 1);
	}
	tf_hash(&hz, s->hr_lo, s->nhr * sizeof(double));
	snprintf(s->sig, sizeof(s->sig), "%016llx/%016llx", h, hz);
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "cannot read settings of athlete %lld: %s",
	         athlete, db->err);
	goto out;
nomem:
	snprintf(err, errlen,
	         "cannot read settings of athlete %lld: out of "
	         "memory",
	         athlete);
out:
	if (rc != 0)
		tf_settings_free(s);
	return rc;
}

const char *
tf_setting_text(const struct tf_settings *s, const char *name, long d)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->rows[i].name, name) == 0 && s->rows[i].from <= d)
			v = s->rows[i].value;
	if (v == NULL) /* before the first dated value: the earliest one */
		for (i = 0; i < s->n && v == NULL; i++)
			if (strcmp(s->rows[i].name, name) == 0)
				v = s->rows[i].value;
	return v;
}

double
tf_setting_at(const struct tf_settings *s, const char *name, long d)
{
	const char *v = tf_setting_text(s, name, d);
	char *end;
	double x;

	if (v == NULL) {
		/* Threshold HR defaults to 90 % of max HR. */
		if (strcmp(name, "threshold_hr") == 0) {
			x = tf_setting_at(s, "max_hr", d);
			return isnan(x) ? NAN : round(0.9 * x);
		}
		return NAN;
	}
	x = strtod(v, &end);
	if (end == v)
		return NAN;
	/* Pace may be written m:ss per km. */
	if (*end == ':' && strcmp(name, "threshold_pace") == 0)
		x = x * 60 + strtod(end + 1, NULL);
	return x > 0 ? x : NAN;
}

int
tf_settings_used(struct db_conn *db, long long athlete, struct tf_settings *s,
                 char *err, size_t errlen)
{
	int r;

	memset(s, 0, sizeof(*s));
	r = tf_set_rows(db, TF_SIF_ROWS, athlete, s);
	if (r == 0)
		return 0;
	snprintf(err, errlen,
	         "cannot read the settings in force of athlete %lld: %s",
	         athlete, r == -2 ? "out of memory" : db->err);
	tf_settings_free(s);
	return -1;
}

/* Does any setting in force on day d differ between a and b? */
static int
tf_set_differs_on(const struct tf_settings *a, const struct tf_settings *b,
                  long d)
{
	const struct tf_settings *x[2] = {a, b};
	size_t i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < x[k]->n; i++) {
			const char *name = x[k]->rows[i].name;
			const char *va = tf_setting_text(a, name, d);
			const char *vb = tf_setting_text(b, name, d);

			if (va == NULL || vb == NULL ? va != vb
			                             : strcmp(va, vb) != 0)
				return 1;
		}
	return 0;
}

/*
 * The values in force are step functions of the day that change only at a
 * row's `from`, and before the first row they hold the earliest value: so
 * comparing on LONG_MIN and on every row's day finds the first difference.
 */
long
tf_settings_diff(const struct tf_settings *a, const struct tf_settings *b)
{
	const struct tf_settings *x[2] = {a, b};
	long first = LONG_MAX;
	size_t i, k;

	if (tf_set_differs_on(a, b, LONG_MIN))
		return LONG_MIN;
	for (k = 0; k < 2; k++)
		for (i = 0; i < x[k]->n; i++) {
			long d = x[k]->rows[i].from;

			if (d < first && tf_set_differs_on(a, b, d))
				first = d;
		}
	return first;
}

int
tf_sig_rest_differs(const char *a, const char *b)
{
	const char *ra = strchr(a, '/'), *rb = strchr(b, '/');

	return ra == NULL || rb == NULL || strcmp(ra, rb) != 0;
}

int
tf_settings_store(struct db_conn *db, long long athlete,
                  const struct tf_settings *s)
{
	struct db_param p[5];
	size_t i;
	char day[11];
	const char *dayp = day;

	p[0] = DB_I64(athlete);
	if (db_exec(db, TF_DEL_SIF, p, 1) < 0)
		return -1;
	for (i = 0; i < s->n; i++) {
		tf_ymd(s->rows[i].from, day);
		p[1] = DB_STR(s->rows[i].name);
		p[2] = DB_STR(dayp);
		p[3] = DB_STR(s->rows[i].value);
		p[4] = DB_STR(s->rows[i].source);
		if (db_exec(db, TF_INS_SIF, p, 5) < 0)
			return -1;
	}
	return 0;
}
