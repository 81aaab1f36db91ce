/* fuzz_gpx.c: libFuzzer target: the GPX reader, then the summary, polyline and JSON of what it read */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "gpx.h"
#include "imp_in.h"
#include "imp_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imp_activity a;
	struct imp_summary s;
	struct imp_in in;
	char err[256];

	imp_activity_init(&a);
	imp_in_mem(&in, data, size);
	if (gpx_read(&in, &a, err, sizeof err) == 0 &&
	    imp_activity_finish(&a, &s, err, sizeof err) == 0) {
		char *js = imp_streams_json(&a);
		json_t *sj = imp_summary_json(&a, &s, -1, 1, "fuzz");

		free(js);
		json_decref(sj);
		imp_summary_free(&s);
	}
	imp_in_close(&in);
	imp_activity_free(&a);
	return 0;
}
