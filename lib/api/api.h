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

/* result.c, shared with the engine: the public options checked and
 * completed (only user->size bytes read), then the translator's. */
int rb__copy_options(rb_translate_options *o, const rb_translate_options *user);
struct rb__tr_options;
int rb__tr_options_from(struct rb__tr_options *to, const rb_translate_options *o, rb__arena *arena);

#endif
