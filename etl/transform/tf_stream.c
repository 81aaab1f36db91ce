/* tf_stream.c: a Strava StreamSet (key_by_type JSON) into raw channels */
#include "tf.h"

#include <jansson.h>
#include <math.h>   /* NAN */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* malloc */
#include <string.h> /* strcmp */

const char *
tf_sport_group(const char *sport)
{
	static const char *const ride[] = {
	    "Ride",       "VirtualRide",       "EBikeRide",  "MountainBikeRide",
	    "GravelRide", "EMountainBikeRide", "Velomobile", "Handcycle",
	    NULL};
	static const char *const run[] = {"Run", "TrailRun", "VirtualRun",
	                                  NULL};
	size_t i;

	if (sport == NULL)
		return "other";
	for (i = 0; ride[i] != NULL; i++)
		if (strcmp(sport, ride[i]) == 0)
			return "ride";
	for (i = 0; run[i] != NULL; i++)
		if (strcmp(sport, run[i]) == 0)
			return "run";
	if (strcmp(sport, "Swim") == 0)
		return "swim";
	return "other";
}

/* The "data" array of stream `key`, or NULL. */
static json_t *
tf_stream_data(json_t *root, const char *key)
{
	json_t *s = json_object_get(root, key), *d;

	if (s == NULL)
		return NULL;
	d = json_is_object(s) ? json_object_get(s, "data") : s;
	return json_is_array(d) ? d : NULL;
}

static double
tf_num(const json_t *v)
{
	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_true(v))
		return 1;
	if (json_is_false(v))
		return 0;
	return NAN;
}

int
tf_stream_parse(const char *text, size_t len, struct met_raw *raw, char *err,
                size_t errlen)
{
	if (tf_stream_fast(text, len, raw))
		return 0;
	return tf_stream_parse_json(text, len, raw, err, errlen);
}

int
tf_stream_parse_json(const char *text, size_t len, struct met_raw *raw,
                     char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = NULL, *t, *ll;
	size_t n, i;
	int c, rc = -1;

	memset(raw, 0, sizeof(*raw));
	root = json_loadb(text, len, 0, &je);
	if (root == NULL) {
		snprintf(err, errlen, "cannot parse streams: %s (line %d)",
		         je.text, je.line);
		goto out;
	}
	/* A list of streams (key_by_type=false) becomes an object. */
	if (json_is_array(root)) {
		json_t *obj = json_object(), *it;

		if (obj == NULL)
			goto nomem;
		json_array_foreach(root, i, it)
		{
			const char *type =
			    json_string_value(json_object_get(it, "type"));

			if (type != NULL)
				json_object_set(obj, type, it);
		}
		json_decref(root);
		root = obj;
	}
	t = tf_stream_data(root, "time");
	if (t == NULL || json_array_size(t) == 0) {
		rc = 0; /* no time stream: no usable streams */
		goto out;
	}
	n = json_array_size(t);
	raw->n = n;
	for (c = 0; c < MET_NCH; c++) {
		json_t *d;

		if (c == MET_LAT || c == MET_LNG)
			continue;
		d = tf_stream_data(root, met_ch_names[c]);
		if (d == NULL)
			continue;
		raw->ch[c] = malloc(n * sizeof(double));
		if (raw->ch[c] == NULL)
			goto nomem;
		for (i = 0; i < n; i++)
			raw->ch[c][i] = tf_num(json_array_get(d, i));
	}
	ll = tf_stream_data(root, "latlng");
	if (ll != NULL) {
		raw->ch[MET_LAT] = malloc(n * sizeof(double));
		raw->ch[MET_LNG] = malloc(n * sizeof(double));
		if (raw->ch[MET_LAT] == NULL || raw->ch[MET_LNG] == NULL)
			goto nomem;
		for (i = 0; i < n; i++) {
			json_t *p = json_array_get(ll, i);

			raw->ch[MET_LAT][i] = tf_num(json_array_get(p, 0));
			raw->ch[MET_LNG][i] = tf_num(json_array_get(p, 1));
		}
	}
	rc = 0;
	goto out;
nomem:
	snprintf(err, errlen, "cannot parse streams: out of memory");
out:
	json_decref(root);
	if (rc != 0)
		met_raw_free(raw);
	return rc;
}
