/* imp_streams.c: the StreamSet JSON of an imported activity, written column by column straight into a buffer (the same bytes jansson's json_dumps gave) */
#include "imp_json.h"

#include <math.h> /* round, llround, isnan, NAN */

#include "imp_jw.h"

/* JSON_REAL_PRECISION the stored streams were always written with. */
#define IMP_STREAMS_PREC 10

enum imp_col {
	IMP_S_TIME,
	IMP_S_DIST,
	IMP_S_LATLNG,
	IMP_S_ALT,
	IMP_S_VEL,
	IMP_S_HR,
	IMP_S_CAD,
	IMP_S_WATTS,
	IMP_S_TEMP,
	IMP_S_MOVING,
	IMP_S_COUNT
};

static const char *const imp_col_key[IMP_S_COUNT] = {
    "time",      "distance", "latlng", "altitude", "velocity_smooth",
    "heartrate", "cadence",  "watts",  "temp",     "moving"};

/* Value i of x, else the nearest earlier known one, else the first known. */
static double
imp_fill(const double *x, size_t n, size_t i, double *last)
{
	size_t k;

	if (!isnan(x[i])) {
		*last = x[i];
		return x[i];
	}
	if (!isnan(*last))
		return *last;
	for (k = i; k < n; k++)
		if (!isnan(x[k]))
			return x[k];
	return 0;
}

static double
imp_r(double v, double scale)
{
	return round(v * scale) / scale;
}

static int
imp_col_on(const struct imp_activity *a, int k)
{
	switch (k) {
	case IMP_S_DIST:
		return (a->have & IMP_C_DIST) != 0;
	case IMP_S_LATLNG:
		return (a->have & IMP_C_POS) != 0;
	case IMP_S_ALT:
		return (a->have & IMP_C_ALT) != 0;
	case IMP_S_VEL:
		return (a->have & (IMP_C_DIST | IMP_C_SPEED)) != 0;
	case IMP_S_HR:
		return (a->have & IMP_C_HR) != 0;
	case IMP_S_CAD:
		return (a->have & IMP_C_CAD) != 0;
	case IMP_S_WATTS:
		return (a->have & IMP_C_WATTS) != 0;
	case IMP_S_TEMP:
		return (a->have & IMP_C_TEMP) != 0;
	default:
		return 1; /* time, moving */
	}
}

/* Speed at i: the file's own (gaps filled), else over two intervals. */
static double
imp_velocity(const struct imp_activity *a, size_t i, double *last)
{
	size_t j;
	double dt;

	if (a->have & IMP_C_SPEED)
		return imp_fill(a->speed, a->n, i, last);
	j = i >= 2 ? i - 2 : 0;
	dt = a->t[i] - a->t[j];
	return dt > 0 ? (a->dist[i] - a->dist[j]) / dt : 0;
}

/* One value of column k at sample i. */
static void
imp_col_value(struct imp_jw *w, const struct imp_activity *a, int k, size_t i,
              double t0, double *l1, double *l2)
{
	const int p = IMP_STREAMS_PREC;

	switch (k) {
	case IMP_S_TIME:
		imp_jw_int(w, llround(a->t[i] - t0));
		break;
	case IMP_S_DIST:
		imp_jw_real(w, imp_r(a->dist[i], 10), p);
		break;
	case IMP_S_LATLNG:
		imp_jw_raw(w, "[", 1);
		imp_jw_real(w, imp_r(imp_fill(a->lat, a->n, i, l1), 1e6), p);
		imp_jw_raw(w, ",", 1);
		imp_jw_real(w, imp_r(imp_fill(a->lng, a->n, i, l2), 1e6), p);
		imp_jw_raw(w, "]", 1);
		break;
	case IMP_S_ALT:
		imp_jw_real(w, imp_r(imp_fill(a->alt, a->n, i, l1), 10), p);
		break;
	case IMP_S_VEL:
		imp_jw_real(w, imp_r(imp_velocity(a, i, l1), 1000), p);
		break;
	case IMP_S_HR:
		imp_jw_int(w, llround(imp_fill(a->hr, a->n, i, l1)));
		break;
	case IMP_S_CAD:
		imp_jw_int(w, llround(imp_fill(a->cad, a->n, i, l1)));
		break;
	case IMP_S_WATTS:
		imp_jw_int(w, llround(imp_fill(a->watts, a->n, i, l1)));
		break;
	case IMP_S_TEMP:
		imp_jw_int(w, llround(imp_fill(a->temp, a->n, i, l1)));
		break;
	default:
		imp_jw_lit(w, imp_moving_at(a, i) ? "true" : "false");
		break;
	}
}

/*
 * The key order, separators and numbers are those of the jansson tree this
 * replaced (json_pack "{sosssIss}" per stream, JSON_COMPACT |
 * JSON_REAL_PRECISION(10)); a value jansson would refuse (NaN, infinity)
 * fails the whole text as it did there.
 */
char *
imp_streams_json(const struct imp_activity *a)
{
	struct imp_jw w;
	double t0;
	size_t i;
	int k, first = 1;

	if (a->n == 0)
		return NULL;
	t0 = !isnan(a->start) && a->start <= a->t[0] ? a->start : a->t[0];
	imp_jw_init(&w, a->n * 96 + 1024);
	imp_jw_raw(&w, "{", 1);
	for (k = 0; k < IMP_S_COUNT && !w.bad; k++) {
		double l1 = NAN, l2 = NAN;

		if (!imp_col_on(a, k))
			continue;
		if (!first)
			imp_jw_raw(&w, ",", 1);
		first = 0;
		imp_jw_raw(&w, "\"", 1);
		imp_jw_lit(&w, imp_col_key[k]);
		imp_jw_lit(&w, "\":{\"data\":[");
		for (i = 0; i < a->n && !w.bad; i++) {
			if (i > 0)
				imp_jw_raw(&w, ",", 1);
			imp_col_value(&w, a, k, i, t0, &l1, &l2);
		}
		imp_jw_lit(&w, "],\"series_type\":\"time\",\"original_size\":");
		imp_jw_int(&w, (long long)a->n);
		imp_jw_lit(&w, a->stride == 1 ? ",\"resolution\":\"high\"}"
		                              : ",\"resolution\":\"medium\"}");
	}
	imp_jw_raw(&w, "}", 1);
	return imp_jw_take(&w);
}
