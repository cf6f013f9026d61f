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

/* ---- one entry of the IR alone ---- */

static int destination_view(rb__writer *w, const void *d)
{
	return rb__emit_destination(w, d);
}

static int route_status_view(rb__writer *w, const void *st)
{
	return rb__emit_route_status(w, st);
}

int rb_destination_write(rb_ctx *ctx, const rb_destination *d, rb_format format,
                         rb_write_fn write, void *ud)
{
	return ctx && d ? rb__view_write(&ctx->mem, destination_view, d, format, write, ud)
	                : RB_EINVAL;
}

int rb_destination_to_buffer(rb_ctx *ctx, const rb_destination *d, rb_format format, char **out,
                             size_t *len)
{
	if (out)
		*out = NULL;
	return ctx && d ? rb__view_to_buffer(&ctx->mem, destination_view, d, format, out, len)
	                : RB_EINVAL;
}

int rb_route_status_write(rb_ctx *ctx, const rb_route_status *st, rb_format format,
                          rb_write_fn write, void *ud)
{
	return ctx && st ? rb__view_write(&ctx->mem, route_status_view, st, format, write, ud)
	                 : RB_EINVAL;
}

int rb_route_status_to_buffer(rb_ctx *ctx, const rb_route_status *st, rb_format format,
                              char **out, size_t *len)
{
	if (out)
		*out = NULL;
	return ctx && st ? rb__view_to_buffer(&ctx->mem, route_status_view, st, format, out, len)
	                 : RB_EINVAL;
}
