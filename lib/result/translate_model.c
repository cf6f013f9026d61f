/* rb_translate: a model translated into a new result, which keeps its input alive. */
#include "result/result.h"
#include "translate/translate.h"

int rb_translate(rb_result **out, const rb_input *in, const rb_translate_options *opts)
{
	if (!out || !in)
		return RB_EINVAL;
	*out = NULL;
	rb_translate_options o;
	int rc = rb__copy_options(&o, opts);
	if (rc)
		return rc;
	return rb__translate_model(out, in, &in->model, &o);
}

int rb__translate_model(rb_result **out, const rb_input *owner, const rb__model *m,
                        const rb_translate_options *opts)
{
	*out = NULL;
	rb_ctx *ctx = owner->ctx;
	rb_translate_options o = *opts;
	int rc = RB_OK;
	rb_result *res = rb__result_new(ctx, owner);
	if (!res)
		return RB_ENOMEM;
	res->options = o;
	/* The IR takes about twice the model's size (bench/); huge pages only for
	 * what it surely fills. */
	rb__arena_hint(&res->arena, rb__arena_used(&m->arena) / 4 * 9);
	rb__arena_hint_filled(&res->arena, rb__translate_ir_floor(m));
	rb__tr_options to;
	rc = rb__tr_options_from(&to, &o, m, &res->arena);
	to.warnings = &res->warnings;
	if (!rc)
		rc = rb__translate(m, &to, &ctx->mem, &res->arena, &res->ir);
	if (rc) {
		rb_result_free(res);
		return rc;
	}
	*out = res;
	return RB_OK;
}
