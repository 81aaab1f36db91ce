/* test_imp_jw_ref.h: the jansson StreamSet builder imp_streams.c replaced, kept as the reference the writer is checked against (test only) */
/* Value i of x, else the nearest earlier known one, else the first known. */
static double
ref_fill(const double *x, size_t n, size_t i, double *last)
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

static json_t *
ref_stream(json_t *data, size_t n, int high)
{
	if (!data)
		return NULL;
	return json_pack("{sosssIss}", "data", data, "series_type", "time",
	                 "original_size", (json_int_t)n, "resolution",
	                 high ? "high" : "medium");
}

static double
ref_r(double v, double scale)
{
	return round(v * scale) / scale;
}

static char *
ref_streams_json(const struct imp_activity *a)
{
	json_t *o = NULL, *d[11] = {0};
	const char *keys[11] = {
	    "time",      "distance", "latlng", "altitude", "velocity_smooth",
	    "heartrate", "cadence",  "watts",  "temp",     "moving",
	    NULL};
	int on[11] = {1,
	              (a->have & IMP_C_DIST) != 0,
	              (a->have & IMP_C_POS) != 0,
	              (a->have & IMP_C_ALT) != 0,
	              (a->have & (IMP_C_DIST | IMP_C_SPEED)) != 0,
	              (a->have & IMP_C_HR) != 0,
	              (a->have & IMP_C_CAD) != 0,
	              (a->have & IMP_C_WATTS) != 0,
	              (a->have & IMP_C_TEMP) != 0,
	              1,
	              0};
	double la = NAN, ln = NAN, al = NAN, hr = NAN, ca = NAN, wa = NAN,
	       te = NAN, sp = NAN;
	size_t i, k;
	char *out = NULL;
	int bad = 0;

	if (a->n == 0)
		return NULL;
	for (k = 0; k < 10; k++)
		if (on[k] && !(d[k] = json_array()))
			goto out;
	for (i = 0; i < a->n && !bad; i++) {
		double t0 = !isnan(a->start) && a->start <= a->t[0] ? a->start
		                                                    : a->t[0];

		bad |= json_array_append_new(
		    d[0], json_integer((json_int_t)llround(a->t[i] - t0)));
		if (on[1])
			bad |= json_array_append_new(
			    d[1], json_real(ref_r(a->dist[i], 10)));
		if (on[2]) {
			double y = ref_fill(a->lat, a->n, i, &la);
			double x = ref_fill(a->lng, a->n, i, &ln);

			bad |= json_array_append_new(
			    d[2],
			    json_pack("[ff]", ref_r(y, 1e6), ref_r(x, 1e6)));
		}
		if (on[3])
			bad |= json_array_append_new(
			    d[3], json_real(ref_r(
			              ref_fill(a->alt, a->n, i, &al), 10)));
		if (on[4]) {
			double v;

			if (a->have & IMP_C_SPEED) {
				v = ref_fill(a->speed, a->n, i, &sp);
			} else {
				size_t j = i >= 2 ? i - 2 : 0;
				double dt = a->t[i] - a->t[j];

				v = dt > 0 ? (a->dist[i] - a->dist[j]) / dt : 0;
			}
			bad |= json_array_append_new(d[4],
			                             json_real(ref_r(v, 1000)));
		}
		if (on[5])
			bad |= json_array_append_new(
			    d[5], json_integer((json_int_t)llround(
			              ref_fill(a->hr, a->n, i, &hr))));
		if (on[6])
			bad |= json_array_append_new(
			    d[6], json_integer((json_int_t)llround(
			              ref_fill(a->cad, a->n, i, &ca))));
		if (on[7])
			bad |= json_array_append_new(
			    d[7], json_integer((json_int_t)llround(
			              ref_fill(a->watts, a->n, i, &wa))));
		if (on[8])
			bad |= json_array_append_new(
			    d[8], json_integer((json_int_t)llround(
			              ref_fill(a->temp, a->n, i, &te))));
		bad |= json_array_append_new(d[9],
		                             json_boolean(imp_moving_at(a, i)));
	}
	if (bad)
		goto out;
	o = json_object();
	if (!o)
		goto out;
	for (k = 0; k < 10; k++) {
		if (!on[k])
			continue;
		if (json_object_set_new(
		        o, keys[k], ref_stream(d[k], a->n, a->stride == 1)) <
		    0) {
			d[k] = NULL;
			goto out;
		}
		d[k] = NULL;
	}
	out = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
out:
	for (k = 0; k < 10; k++)
		json_decref(d[k]);
	json_decref(o);
	return out;
}
