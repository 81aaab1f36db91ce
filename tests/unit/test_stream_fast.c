/* test_stream_fast.c: the one-pass StreamSet reader (tf_stream_fast.c) answers like jansson or declines */
/* links: etl/transform */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "tf.h"

/* Input and whether the fast reader takes it (else jansson decides). */
static const struct {
	const char *json;
	int fast;
	const char *why;
} cases[] = {
    {"{\"time\":{\"data\":[0,1,2]},\"heartrate\":{\"data\":[120,null,true,"
     "false]}}",
     1, "numbers, null and booleans"},
    {"{}", 1, "no streams at all"},
    {"{\"watts\":{\"data\":[1,2]}}", 1, "no time stream"},
    {" {\"time\" : { \"data\" : [ 0 , 1 ] } }\n", 1, "whitespace"},
    {"{\"time\":{\"data\":[0.1,2.5e-3,1E22,-0.0,-0]}}", 1,
     "decimals and exponents in the exact range"},
    {"{\"time\":{\"data\":[0,1,2]},\"latlng\":{\"data\":[[1,2]]},"
     "\"watts\":[5]}",
     1, "short channels and a bare array"},
    {"{\"time\":{\"data\":[0,1]},\"watts\":\"x\",\"cadence\":{"
     "\"resolution\":\"high\"}}",
     1, "values that are not streams"},
    {"{\"time\":{\"data\":[0,1]},\"extra\":{\"a\":[1,{\"b\":null}]}}", 1,
     "an unknown key with nested values"},
    {"[{\"type\":\"time\",\"data\":[0,1]}]", 0, "the list form"},
    {"{\"time\":{\"data\":[0,1]},\"time\":{\"data\":[0]}}", 0, "a key twice"},
    {"{\"time\":{\"data\":[0],\"data\":[1]}}", 0, "data twice"},
    {"{\"ti\\u006de\":{\"data\":[0,1]}}", 0, "an escape in a key"},
    {"{\"time\":{\"data\":[0,1]},\"name\":\"caf\xc3\xa9\"}", 0,
     "non-ASCII text"},
    {"{\"time\":{\"data\":[0,1]}} x", 0, "text after the object"},
    {"{\"time\":{\"data\":[01]}}", 0, "a leading zero"},
    {"{\"time\":{\"data\":[0,1,]}}", 0, "a trailing comma"},
    {"{\"time\":{\"data\":[1e23]}}", 0, "an exponent beyond 10^22"},
    {"{\"time\":{\"data\":[12345678901234567890]}}", 0,
     "an integer of 20 digits"},
    {"{\"time\":{\"data\":[0.12345678901234567]}}", 0, "17 digits"},
    {"{\"time\":{\"data\":[0,1]},\"latlng\":{\"data\":[[1,2,3]]}}", 0,
     "a latlng triple"},
    {"{\"time\":{\"data\":[0,1]},\"watts\":{\"data\":5}}", 0,
     "data that is not an array"},
    {"{\"time\":{\"data\":[\"0\"]}}", 0, "a string sample"},
    {"{\"x\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]],\"time\":{\"data\":[0]}"
     "}",
     0, "nesting deeper than 16"},
    {"{\"time\":{\"data\":[0,1]}", 0, "cut short"},
    {"", 0, "empty input"},
};

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) != NULL &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void
test_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fast = -1, same;

		same = tf_stream_check(cases[i].json, strlen(cases[i].json),
		                       &fast);
		T_OK(same && fast == cases[i].fast, "%s: %s (fast %d)",
		     cases[i].why, cases[i].fast ? "read" : "left to jansson",
		     fast);
	}
}

static void
test_values(void)
{
	static const char *j = "{\"time\":{\"data\":[0,1,2]},\"heartrate\":{"
	                       "\"data\":[120,null,true,false]},\"latlng\":{"
	                       "\"data\":[[46.5,14.25],null]}}";
	struct met_raw r;

	T_OK(tf_stream_fast(j, strlen(j), &r) == 1, "values: read");
	T_OK(r.n == 3, "values: the time stream sets the length (%zu)", r.n);
	T_OK(r.ch[MET_HR] != NULL && r.ch[MET_HR][0] == 120 &&
	         isnan(r.ch[MET_HR][1]) && r.ch[MET_HR][2] == 1,
	     "values: 120, null as NaN, true as 1, the extra sample dropped");
	T_OK(r.ch[MET_LAT] != NULL && r.ch[MET_LAT][0] == 46.5 &&
	         r.ch[MET_LNG][0] == 14.25 && isnan(r.ch[MET_LAT][1]) &&
	         isnan(r.ch[MET_LNG][2]),
	     "values: latlng pairs, null and missing samples as NaN");
	T_OK(r.ch[MET_WATTS] == NULL, "values: an absent channel is NULL");
	met_raw_free(&r);
}

/* Recorded-shape streams of the local Strava, as stored and re-indented. */
static void
test_files(void)
{
	static const char *files[] = {
	    "tests/data/streams/local-strava-run.json",
	    "tests/data/streams/local-strava-ride.json",
	    "tests/data/streams/"
	    "local-strava-virtualride.json"};
	size_t i, len = 0;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *text = slurp(files[i], &len), *pretty = NULL;
		json_t *root;
		int fast = 0;

		T_OK(text != NULL, "%s opens (run from the checkout root)",
		     files[i]);
		if (text == NULL)
			continue;
		T_OK(tf_stream_check(text, len, &fast) && fast == 1,
		     "%s: read in one pass, equal to jansson", files[i]);
		root = json_loadb(text, len, 0, NULL);
		if (root != NULL)
			pretty = json_dumps(root, JSON_INDENT(2));
		T_OK(pretty != NULL &&
		         tf_stream_check(pretty, strlen(pretty), &fast),
		     "%s re-indented: equal to jansson (fast %d)", files[i],
		     fast);
		free(pretty);
		json_decref(root);
		free(text);
	}
}

int
main(void)
{
	test_cases();
	test_values();
	test_files();
	return T_DONE();
}
