/* fuzz_strava_json.c: libFuzzer target for the Strava JSON -> typed row mapping (ex_map.c) */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ex_map.h"

static int
fuzz_item(const char *el, size_t len, size_t idx, size_t n, void *arg)
{
	struct ex_activity a;
	char err[256];

	(void)idx;
	(void)n;
	(void)arg;
	if (ex_map_activity(el, len, &a, err, sizeof(err)) == 0 &&
	    (a.id <= 0 || a.sport_type == NULL || strlen(a.start_date) != 19))
		__builtin_trap(); /* a mapped activity always has its keys */
	ex_activity_free(&a);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char err[256], out[20];
	struct ex_athlete at;
	struct ex_gear g;
	struct ex_token t;
	long points;
	long long ep;

	ex_map_split_array(s, size, fuzz_item, NULL, err, sizeof(err));
	fuzz_item(s, size, 0, 1, NULL);
	ex_map_athlete(s, size, &at, err, sizeof(err));
	ex_athlete_free(&at);
	ex_map_gear(s, size, &g, err, sizeof(err));
	ex_gear_free(&g);
	ex_map_token(s, size, &t, err, sizeof(err));
	ex_token_free(&t);
	ex_map_streams(s, size, &points, err, sizeof(err));
	ex_map_zones(s, size, err, sizeof(err));
	{
		struct ex_lap *laps = NULL;
		size_t nl = 0, k;

		if (ex_map_laps(s, size, 0, &laps, &nl, err, sizeof(err)) == 0)
			for (k = 0; k < nl; k++)
				if (laps[k].start_date[0] != '\0' &&
				    strlen(laps[k].start_date) != 19)
					__builtin_trap(); /* a kept date is
					                     whole */
		free(laps);
	}
	ex_map_fault_has(s, size, "invalid");
	if (size < 64) {
		char d[64];

		memcpy(d, s, size);
		d[size] = '\0';
		ex_map_date(d, out, &ep);
	}
	return 0;
}
