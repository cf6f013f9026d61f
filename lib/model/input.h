/* The input behind the rb_input handle: a model, its diagnostics, a reference count. */
#ifndef RB_MODEL_INPUT_H
#define RB_MODEL_INPUT_H

#include <stdatomic.h>

#include "core/ctx.h"
#include "core/diag.h"
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

/* Take and drop a reference on an input (see above). */
rb_input *rb__input_ref(const rb_input *in);
void rb__input_unref(rb_input *in);

#endif
