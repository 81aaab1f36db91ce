/* gpx.c: GPX reader on expat: track, route or waypoints to samples */
#include "gpx.h"

#include <math.h>   /* NAN, isnan */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* calloc, free */
#include <string.h> /* strcmp */

#include "imp_xml.h"

enum gpx_kind { GPX_TRK, GPX_RTE, GPX_WPT, GPX_NKIND };

struct gpx_st {
	struct imp_activity *a;
	struct imp_activity alt[GPX_NKIND - 1]; /* route, waypoints */
	size_t count[GPX_NKIND];
	int in_pt; /* a point is open */
	enum gpx_kind kind;
	struct imp_sample s;
	size_t untimed;
	int off_seen, off;
	int failed;
};

static enum gpx_kind
gpx_pt_kind(const char *name)
{
	if (strcmp(name, "trkpt") == 0)
		return GPX_TRK;
	if (strcmp(name, "rtept") == 0)
		return GPX_RTE;
	if (strcmp(name, "wpt") == 0)
		return GPX_WPT;
	return GPX_NKIND;
}

static double
gpx_coord(const char *v, double lim)
{
	char *end;
	double d;

	if (!v)
		return NAN;
	d = imp_xml_strtod(v, &end);
	if (end == v || *end || !(d >= -lim && d <= lim))
		return NAN;
	return d;
}

static void
gpx_start(struct imp_xml *x, const char *name, const char **attrs)
{
	struct gpx_st *g = x->ud;
	enum gpx_kind k = gpx_pt_kind(name);

	if (k == GPX_NKIND)
		return;
	g->in_pt = 1;
	g->kind = k;
	imp_sample_clear(&g->s);
	g->s.lat = gpx_coord(imp_xml_attr(attrs, "lat"), 90);
	g->s.lng = gpx_coord(imp_xml_attr(attrs, "lon"), 180);
	if (isnan(g->s.lat) || isnan(g->s.lng))
		g->s.lat = g->s.lng = NAN;
}

static void
gpx_point_end(struct imp_xml *x, struct gpx_st *g)
{
	struct imp_activity *dst =
	    g->kind == GPX_TRK ? g->a : &g->alt[g->kind - 1];

	g->in_pt = 0;
	if (isnan(g->s.t)) {
		if (g->kind == GPX_TRK)
			g->untimed++;
		return;
	}
	if (g->kind != GPX_TRK && g->count[GPX_TRK] > 0)
		return;
	g->count[g->kind]++;
	if (imp_activity_add(dst, &g->s) < 0)
		imp_xml_fail(x, "out of memory");
}

static void
gpx_end(struct imp_xml *x, const char *name)
{
	struct gpx_st *g = x->ud;
	const char *up = imp_xml_up(x, 1);
	double v;

	if (g->in_pt) {
		if (gpx_pt_kind(name) != GPX_NKIND) {
			gpx_point_end(x, g);
			return;
		}
		if (strcmp(name, "time") == 0) {
			double t;
			int has, off;

			if (imp_parse_iso(x->text, &t, &has, &off) == 0) {
				g->s.t = t;
				if (has && !g->off_seen) {
					g->off_seen = 1;
					g->off = off;
				}
			}
			return;
		}
		v = imp_xml_num(x); /* not for <time>: it is no number */
		if (strcmp(name, "ele") == 0)
			g->s.alt = v;
		else if (strcmp(name, "hr") == 0 ||
		         strcmp(name, "heartrate") == 0)
			g->s.hr = v;
		else if (strcmp(name, "cad") == 0 ||
		         strcmp(name, "cadence") == 0)
			g->s.cad = v;
		else if (strcmp(name, "power") == 0 ||
		         strcmp(name, "watts") == 0 ||
		         strcmp(name, "PowerInWatts") == 0)
			g->s.watts = v;
		else if (strcmp(name, "atemp") == 0 ||
		         strcmp(name, "temp") == 0 ||
		         strcmp(name, "wtemp") == 0) {
			if (isnan(g->s.temp))
				g->s.temp = v;
		} else if (strcmp(name, "speed") == 0)
			g->s.speed = v;
		return;
	}
	if (strcmp(up, "trk") != 0)
		return;
	if (strcmp(name, "name") == 0 && !g->a->name[0])
		imp_strcpy(g->a->name, sizeof g->a->name, x->text);
	else if (strcmp(name, "type") == 0 && !g->a->sport[0])
		imp_strcpy(g->a->sport, sizeof g->a->sport,
		           imp_sport_from_word(x->text));
	else if (strcmp(name, "desc") == 0 && !g->a->description && x->text[0])
		g->a->description = strdup(x->text);
}

/* Move the samples of `from` into `to` (which has none). */
static void
gpx_take(struct imp_activity *to, struct imp_activity *from)
{
	struct imp_activity keep = *to;

	*to = *from;
	memcpy(to->sport, keep.sport, sizeof to->sport);
	memcpy(to->name, keep.name, sizeof to->name);
	to->description = keep.description;
	memcpy(to->warn, keep.warn, sizeof to->warn);
	keep.description = NULL;
	imp_activity_free(&keep);
	imp_activity_init(from);
}

int
gpx_read(struct imp_in *in, struct imp_activity *a, char *err, size_t errlen)
{
	int rc = -1, i;
	struct imp_xml x;
	struct gpx_st *g = calloc(1, sizeof *g);

	if (!g) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(&x, 0, sizeof x);
	g->a = a;
	for (i = 0; i < GPX_NKIND - 1; i++)
		imp_activity_init(&g->alt[i]);
	x.ud = g;
	x.on_start = gpx_start;
	x.on_end = gpx_end;
	if (imp_xml_run(&x, in, err, errlen) < 0)
		goto out;
	if (g->count[GPX_TRK] == 0) {
		if (g->count[GPX_RTE] > 0)
			gpx_take(a, &g->alt[0]);
		else if (g->count[GPX_WPT] > 0)
			gpx_take(a, &g->alt[1]);
	}
	if (a->n == 0) {
		snprintf(err, errlen, "no point with a time%s",
		         g->untimed ? " (track points lack <time>)" : "");
		goto out;
	}
	if (g->untimed)
		imp_activity_warn(a, "%zu track points without a time skipped",
		                  g->untimed);
	if (g->off_seen) {
		a->has_offset = 1;
		a->utc_offset = g->off;
	}
	if (!a->sport[0])
		snprintf(a->sport, sizeof a->sport, "Workout");
	rc = 0;
out:
	for (i = 0; i < GPX_NKIND - 1; i++)
		imp_activity_free(&g->alt[i]);
	free(g);
	return rc;
}
