/* fuzz_polyline.c: libFuzzer target: polyline decoding never reads past the string; decode/encode round trip */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "poly.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *again;
	double *lat = NULL, *lng = NULL, *lat2 = NULL, *lng2 = NULL;
	size_t n = 0, n2 = 0, i;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (poly_decode(s, &lat, &lng, &n) == 0) {
		/* what decodes re-encodes and decodes to the same points */
		again = poly_encode(lat, lng, n);
		if (!again || poly_decode(again, &lat2, &lng2, &n2) != 0 ||
		    n2 != n)
			abort();
		for (i = 0; i < n; i++)
			if (fabs(lat[i] - lat2[i]) > 1e-9 ||
			    fabs(lng[i] - lng2[i]) > 1e-9)
				abort();
		free(again);
	}
	free(s);
	free(lat);
	free(lng);
	free(lat2);
	free(lng2);
	return 0;
}
