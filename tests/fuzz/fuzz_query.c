/* fuzz_query.c: libFuzzer target for cairn-api's path routing, query parsing, validation and cursors */
#include <stdint.h> /* uint8_t */
#include <stdlib.h> /* malloc, free */
#include <string.h> /* memcpy, memchr */

#include "api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct api_worker fz_w; /* no config: anything valid answers 503 */

/*
 * Input: "PATH\nQUERY" (no newline: the whole input is the query of
 * /api/v1/activities). Routed like a real GET, without a database.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_http_req rq;
	struct api_cursor c;
	char *buf = malloc(size + 1), *nl;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(&rq, 0, sizeof(rq));
	rq.method = API_GET;
	nl = memchr(buf, '\n', size);
	if (nl != NULL) {
		*nl = '\0';
		rq.path = buf;
		rq.query = nl + 1;
	} else {
		rq.path = "/api/v1/activities";
		rq.query = buf;
	}
	api_handle(&fz_w, &rq);
	/* Every answer is a status with a JSON body that parses. */
	if (fz_w.rs.status != 200) {
		json_t *j = json_loadb(fz_w.rs.body, fz_w.rs.len, 0, NULL);

		if (j == NULL || json_object_get(j, "error") == NULL)
			abort();
		json_decref(j);
	}
	api_cursor_decode(rq.query, &c);
	free(buf);
	return 0;
}
