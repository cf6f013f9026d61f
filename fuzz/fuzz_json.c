/*
 * fuzz_json: the JSON loader and the decoders -- rb_input_add_buffer with
 * RB_INPUT_JSON on an unterminated buffer (cJSON_ParseWithLengthOpts, the
 * depth pre-scan, the lockstep text scanner, layouts, every decoder).
 *
 * Checks the contract of a failed buffer (fuzz_common.h): one diagnostic
 * with a consistent location, the input unchanged.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rb_ctx *ctx = rb_fuzz_ctx(0);
	rb_input *in = NULL;
	if (rb_input_new(&in, ctx) != RB_OK)
		rb_fuzz_fail("rb_input_new");
	rb_fuzz_add(in, data, size, "input.json", RB_INPUT_JSON);
	rb_input_free(in);
	rb_ctx_free(ctx);
	return 0;
}
