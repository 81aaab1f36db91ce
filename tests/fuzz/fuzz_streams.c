/* fuzz_streams.c: libFuzzer target for the StreamSet readers: the one-pass reader must equal jansson's wherever it answers */
#include <stddef.h>
#include <stdint.h>

#include "tf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fast;

	if (!tf_stream_check((const char *)data, size, &fast))
		__builtin_trap(); /* the fast reader said something else */
	return 0;
}
