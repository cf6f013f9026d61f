/* Translates a tiny input through the installed library; checks the version gate. */
#include <rebalance/rebalance.h>
#include <stdio.h>
#include <string.h>

#if !RB_VERSION_CHECK(0, 1, 0)
#error "rebalance 0.1 or newer is needed"
#endif

int main(void)
{
	static const char doc[] = "services:\n- metadata: {namespace: default, name: s}\n";
	rb_ctx *ctx;
	rb_input *in;
	rb_result *res;
	char *out;
	size_t len;
	if (rb_version_number() / 100 != RB_VERSION_NUMBER / 100)
		return 1;
	if (rb_ctx_new(&ctx, NULL) || rb_input_new(&in, ctx) ||
	    rb_input_add_buffer(in, doc, strlen(doc), "doc", RB_INPUT_AUTO) ||
	    rb_translate(&res, in, NULL) || rb_result_to_buffer(res, RB_FORMAT_JSON, &out, &len))
		return 1;
	int ok = strstr(out, "\"destinations\": []") != NULL;
	rb_free(ctx, out);
	rb_result_free(res);
	rb_input_free(in);
	rb_ctx_free(ctx);
	return ok ? 0 : 1;
}
