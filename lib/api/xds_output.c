/* Serializing the xDS projection of a result (envoy/xds.c). */
#include "result/result.h"
#include "api/view.h"
#include "envoy/envoy.h"

static int xds_view(rb__writer *w, const void *res)
{
	const rb_result *r = res;
	return rb__emit_xds(w, &r->ir, &r->ctx->mem);
}

int rb_xds_write(const rb_result *res, rb_format format, rb_write_fn write, void *ud)
{
	return res ? rb__view_write(&res->ctx->mem, xds_view, res, format, write, ud) : RB_EINVAL;
}

int rb_xds_to_buffer(const rb_result *res, rb_format format, char **out, size_t *len)
{
	return res ? rb__view_to_buffer(&res->ctx->mem, xds_view, res, format, out, len) : RB_EINVAL;
}
