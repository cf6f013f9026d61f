/* The reference count of an input: results and explanations keep theirs alive. */
#include <stdint.h>

#include "model/input.h"

rb_input *rb__input_ref(const rb_input *in)
{
	/* The count is the one mutable part of a shared, filled input. */
	rb_input *mut = (rb_input *)(uintptr_t)in;
	atomic_fetch_add_explicit(&mut->refs, 1, memory_order_relaxed);
	return mut;
}

void rb__input_unref(rb_input *in)
{
	if (!in || atomic_fetch_sub_explicit(&in->refs, 1, memory_order_acq_rel) != 1)
		return;
	rb__model_free(&in->model);
	rb__diags_free(&in->diags);
	rb__diags_free(&in->warnings);
	rb__arena_free(&in->diag_arena);
	rb__free(&in->ctx->mem, in);
}
