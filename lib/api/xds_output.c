/* Serializing the xDS projection of a result (envoy/xds.c). */
#include "result/result.h"
#include "api/view.h"
#include "core/ctx.h"
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

/* ---- the entry of one destination ---- */

typedef struct rule_subject {
	const rb_destination *d;
	const rb__mem *mem;
} rule_subject;

static int xds_rule_view(rb__writer *w, const void *subject)
{
	const rule_subject *r = subject;
	return rb__emit_xds_rule(w, r->d, r->mem);
}

int rb_destination_xds_write(rb_ctx *ctx, const rb_destination *d, rb_format format,
                             rb_write_fn write, void *ud)
{
	if (!ctx || !d)
		return RB_EINVAL;
	rule_subject r = {d, &ctx->mem};
	return rb__view_write(&ctx->mem, xds_rule_view, &r, format, write, ud);
}

int rb_destination_xds_to_buffer(rb_ctx *ctx, const rb_destination *d, rb_format format,
                                 char **out, size_t *len)
{
	if (out)
		*out = NULL;
	if (!ctx || !d)
		return RB_EINVAL;
	rule_subject r = {d, &ctx->mem};
	return rb__view_to_buffer(&ctx->mem, xds_rule_view, &r, format, out, len);
}
