/* Serializing a result: the IR (docs/ir.md). */
#include "result/result.h"
#include "api/view.h"
#include "emit/emit.h"

static int ir_view(rb__writer *w, const void *res)
{
	return rb__emit_ir(w, &((const rb_result *)res)->ir);
}

int rb_result_write(const rb_result *res, rb_format format, rb_write_fn write, void *ud)
{
	return res ? rb__view_write(&res->ctx->mem, ir_view, res, format, write, ud) : RB_EINVAL;
}

int rb_result_to_buffer(const rb_result *res, rb_format format, char **out, size_t *len)
{
	return res ? rb__view_to_buffer(&res->ctx->mem, ir_view, res, format, out, len) : RB_EINVAL;
}
