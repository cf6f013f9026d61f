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

#endif
