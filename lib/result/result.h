/*
 * A translation's result (the rb_result handle) and how one is made: the
 * public options checked and turned into the translator's, then a model
 * translated. Shared by the API, explanations and the engine.
 */
#ifndef RB_RESULT_RESULT_H
#define RB_RESULT_RESULT_H

#include <stdatomic.h>

#include "core/ctx.h"
#include "core/diag.h"
#include "ir/ir.h"
#include "model/input.h"
#include "rebalance/rebalance.h"

/* Memory a result reads that someone else allocated (the incremental
 * engine's arenas, applied buffers, arrays): freed with the result. The node
 * is the first member of what it frees: free(mem, node) frees both. */
typedef struct rb__retired {
	void (*free)(const rb__mem *mem, struct rb__retired *node);
	struct rb__retired *next;
} rb__retired;

struct rb_result {
	rb_ctx *ctx;
	rb__arena arena;
	rb__ir ir;
	rb_translate_options options;
	rb_input *input; /* the reference that keeps the strings of the IR alive */
	rb__diags warnings; /* rb_result_warning, strings in `arena` */
	atomic_size_t refs; /* rb_result_ref, rb_result_free */
	rb__retired *retired;
	/* An engine's results: the result of its next translation, which this one
	 * keeps alive (memory the engine gave up later, while this result was
	 * still read, is retired onto the later results; lib/engine/publish.c). */
	struct rb_result *newer;
	/* An older result keeps this one alive (its `newer`): set by the engine,
	 * cleared by whoever frees the older one, before its reference goes. */
	atomic_bool chained;
};

/* results.c: a new, empty result of one reference, keeping `owner` alive. */
rb_result *rb__result_new(rb_ctx *ctx, const rb_input *owner);
/* options.c: the public options checked and
 * completed (only user->size bytes read), then the translator's (with the
 * input's EnvoyGateway configuration). */
int rb__copy_options(rb_translate_options *o, const rb_translate_options *user);
/* Copy the strings of checked options into `arena`, so they outlive the caller's. */
int rb__options_own(rb_translate_options *o, rb__arena *arena);
struct rb__tr_options;
int rb__tr_options_from(struct rb__tr_options *to, const rb_translate_options *o,
                        const rb__model *m, rb__arena *arena);
/* translate_model.c: rb_translate on a model (of `owner`, or a what-if view of it), with checked options. */
int rb__translate_model(rb_result **out, const rb_input *owner, const rb__model *m,
                        const rb_translate_options *opts);

#endif
