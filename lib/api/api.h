/* The public objects behind the opaque handles. */
#ifndef RB_API_API_H
#define RB_API_API_H

#include "core/ctx.h"
#include "core/diag.h"
#include "ir/ir.h"
#include "model/model.h"
#include "rebalance/rebalance.h"

struct rb_input {
	rb_ctx *ctx;
	rb__model model;
	rb__arena diag_arena;
	rb__diags diags;
};

struct rb_result {
	rb_ctx *ctx;
	rb__arena arena;
	rb__ir ir;
	rb_translate_options options;
};

/* Check and complete caller options (only their `size` bytes are read). */
int rb__check_options(rb_translate_options *out, const rb_translate_options *user);
/* rb_translate on a model (a what-if view, say), with checked options. */
int rb__translate_model(rb_result **out, rb_ctx *ctx, const rb__model *m,
                        const rb_translate_options *opts);

#endif
