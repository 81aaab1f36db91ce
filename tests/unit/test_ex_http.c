/* test_ex_http.c: Strava rate-limit header parsing (recorded headers and odd ones) and window edges */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "ex_http.h"
#include "ex_rate.h"
#include "test.h"

static void
feed(struct ex_rate_hdr *r, const char *line)
{
	ex_rate_hdr_line(r, line, strlen(line));
}

/* Headers of a recorded interaction, fed as "Name: value\r\n" lines. */
static void
feed_fixture(struct ex_rate_hdr *r, const char *name)
{
	char path[256], line[256];
	json_t *root, *h, *v;
	const char *k;

	snprintf(path, sizeof(path), "tests/data/strava-api/%s", name);
	root = json_load_file(path, 0, NULL);
	h = json_object_get(root, "headers");
	json_object_foreach(h, k, v)
	{
		snprintf(line, sizeof(line), "%s: %s\r\n", k,
		         json_string_value(json_array_get(v, 0)));
		feed(r, line);
	}
	json_decref(root);
}

int
main(void)
{
	struct ex_rate_hdr r;
	long used = 0, limit = 0;

	/* recorded: X-Ratelimit-Usage 68,211 / 200,2000; read 67,210 / 100,1000
	 */
	ex_rate_hdr_clear(&r);
	feed_fixture(&r, "client__athlete.json");
	T_OK(r.usage[EX_SHORT] == 68 && r.usage[EX_DAY] == 211,
	     "overall usage 68,211 from recorded X-Ratelimit-Usage");
	T_OK(r.limit[EX_SHORT] == 200 && r.limit[EX_DAY] == 2000,
	     "overall limit 200,2000");
	T_OK(r.rusage[EX_SHORT] == 67 && r.rlimit[EX_DAY] == 1000,
	     "read usage and limit from X-Readratelimit-*");
	T_OK(ex_rate_hdr_pair(&r, EX_SHORT, &used, &limit) == 0 && used == 67 &&
	         limit == 100,
	     "short window binds on the read limit (33 left < 132 left)");
	T_OK(ex_rate_hdr_pair(&r, EX_DAY, &used, &limit) == 0 && used == 210 &&
	         limit == 1000,
	     "day binds on the read limit");

	/* case-insensitive names, spaces, empty fields (upload endpoints) */
	ex_rate_hdr_clear(&r);
	feed(&r, "x-readratelimit-usage: ,\r\n");
	feed(&r, "X-READRATELIMIT-LIMIT:100,1000\r\n");
	feed(&r, "X-RateLimit-Usage:  66 , 209\r\n");
	feed(&r, "X-RateLimit-Limit: 200,2000\r\n");
	T_OK(r.rusage[0] == -1 && r.rusage[1] == -1,
	     "empty read usage \",\" is unknown, not 0");
	T_OK(r.usage[0] == 66 && r.usage[1] == 209, "spaces tolerated");
	T_OK(ex_rate_hdr_pair(&r, EX_SHORT, &used, &limit) == 0 && used == 66 &&
	         limit == 200,
	     "unknown read usage falls back to the overall pair");
	ex_rate_hdr_clear(&r);
	feed(&r, "X-RateLimit-Usage: 5\r\n");
	feed(&r, "X-RateLimit-Limit: abc,2000\r\n");
	feed(&r, "X-RateLimit-Other: 1,2\r\n");
	feed(&r, "X-RateLimit-Usage-Extra: 1,2\r\n");
	T_OK(r.usage[0] == 5 && r.usage[1] == -1, "missing day value unknown");
	T_OK(r.limit[0] == -1 && r.limit[1] == 2000, "junk value unknown");
	T_OK(ex_rate_hdr_pair(&r, EX_SHORT, &used, &limit) == -1,
	     "no usable short pair");
	ex_rate_hdr_clear(&r);
	T_OK(ex_rate_hdr_line(&r, "Content-Type: x\r\n", 17) == 0,
	     "other headers ignored");

	/* quarter-hour edges: 21:26:33 -> 21:30:00; exactly on an edge moves on
	 */
	T_OK(ex_rate_next_boundary(1760822793.5, 900) == 1760823000,
	     "21:26:33.5 waits for 21:30:00");
	T_OK(ex_rate_next_boundary(1760823000.0, 900) == 1760823900,
	     "21:30:00 waits for 21:45:00");
	T_OK(ex_rate_next_boundary(1003.9, 4) == 1004,
	     "4 s windows align to epoch");
	return T_DONE();
}
