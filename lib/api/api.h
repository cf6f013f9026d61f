/* The public objects behind the opaque handles. */
#ifndef RB_API_API_H
#define RB_API_API_H

#include <stdatomic.h>

#include "core/ctx.h"
#include "core/diag.h"
#include "ir/ir.h"
#include "model/model.h"
#include "rebalance/rebalance.h"

/*
 * Results point into their input's model (names, hosts, ...) instead of
 * copying it, so an input lives as long as the last result made from it: the
 * caller's rb_input_free drops one reference, each result holds another.
 */
struct rb_input {
	rb_ctx *ctx;
	rb__model model;
	rb__arena diag_arena;
	rb__diags diags;
	rb__diags warnings; /* rb_input_warning */
	const char *default_namespace; /* rb_input_set_namespace (model arena); NULL: "default" */
	atomic_size_t refs;
};

struct rb_result {
	rb_ctx *ctx;
	rb__arena arena;
	rb__ir ir;
	rb_translate_options options;
	rb_input *input; /* the reference that keeps the strings of the IR alive */
	rb__diags warnings; /* rb_result_warning, strings in `arena` */
};

/* Take and drop a reference on an input (see above). */
rb_input *rb__input_ref(const rb_input *in);
void rb__input_unref(rb_input *in);

/* result.c, shared with explain and the engine: the public options checked and
 * completed (only user->size bytes read), then the translator's (with the
 * input's EnvoyGateway configuration). */
int rb__copy_options(rb_translate_options *o, const rb_translate_options *user);
/* Copy the strings of checked options into `arena`, so they outlive the caller's. */
int rb__options_own(rb_translate_options *o, rb__arena *arena);
struct rb__tr_options;
int rb__tr_options_from(struct rb__tr_options *to, const rb_translate_options *o,
                        const rb__model *m, rb__arena *arena);
/* rb_translate on a model (of `owner`, or a what-if view of it), with checked options. */
int rb__translate_model(rb_result **out, const rb_input *owner, const rb__model *m,
                        const rb_translate_options *opts);

#endif
