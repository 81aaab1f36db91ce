/* fuzz_spk.c: libFuzzer target: packed streams (SPK1 and SPKZ) never read past the blob or inflate past the cap, and what unpacks packs again to the same channels */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spk s, again;
	unsigned char *buf = NULL;
	size_t len = 0;
	uint32_t i;

	if (spk_unpack(data, size, &s) != 0)
		return 0;
	if (spk_pack_z(&s, &buf, &len) != 0 ||
	    spk_unpack(buf, len, &again) != 0 || again.n != s.n ||
	    again.nch != s.nch)
		abort();
	for (i = 0; i < s.nch; i++)
		if (memcmp(s.names[i], again.names[i], SPK_NAME) != 0 ||
		    (s.n > 0 && memcmp(s.ch[i], again.ch[i], s.n * 4) != 0))
			abort();
	free(buf);
	spk_free(&s);
	spk_free(&again);
	return 0;
}
