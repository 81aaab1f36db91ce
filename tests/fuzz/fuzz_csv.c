/* fuzz_csv.c: libFuzzer target: activities.csv and profile.csv parsing and the date and number readers */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_file f;
	struct csv_profile p;
	char err[256], *s;
	double t;

	if (csv_parse((const char *)data, size, &f, err, sizeof err) == 0) {
		if (f.n > 0 && f.rows[0].filename)
			(void)csv_find_file(&f, f.rows[0].filename);
		csv_free(&f);
	}
	if (csv_profile_parse((const char *)data, size, &p, err, sizeof err) ==
	        0 &&
	    p.id <= 0)
		abort(); /* a profile is accepted only with a positive id */
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)csv_parse_date(s, &t);
	(void)csv_number(s);
	free(s);
	return 0;
}
