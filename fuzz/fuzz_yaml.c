/*
 * fuzz_yaml: the YAML stream loader and the decoders -- rb_input_add_buffer
 * with RB_INPUT_YAML, i.e. libyaml events, limits, anchors and aliases (an
 * expansion budget is set so that the alias code is reached), layouts, node
 * trees and every resource decoder into the model.
 *
 * Checks the contract of a failed buffer (fuzz_common.h): one diagnostic
 * with a consistent location, the input unchanged.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rb_ctx *ctx = rb_fuzz_ctx(4096);
	rb_input *in = NULL;
	if (rb_input_new(&in, ctx) != RB_OK)
		rb_fuzz_fail("rb_input_new");
	rb_fuzz_add(in, data, size, "input.yaml", RB_INPUT_YAML);
	rb_input_free(in);
	rb_ctx_free(ctx);
	return 0;
}
