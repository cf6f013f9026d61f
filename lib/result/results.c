/*
 * The life of a result: a reference count (rb_result_ref, rb_result_free),
 * the memory handed to it (`retired`), and the chain of an engine's
 * results (`newer`), freed oldest first without recursion.
 */
#include <stdint.h>

#include "result/result.h"

rb_result *rb__result_new(rb_ctx *ctx, const rb_input *owner)
{
	rb_result *res = rb__calloc(&ctx->mem, 1, sizeof(*res));
	if (!res)
		return NULL;
	res->ctx = ctx;
	res->input = owner ? rb__input_ref(owner) : NULL;
	rb__arena_init(&res->arena, &ctx->mem);
	rb__diags_init(&res->warnings, &ctx->mem, &res->arena);
	atomic_init(&res->refs, 1);
	atomic_init(&res->chained, false);
	return res;
}

rb_result *rb_result_ref(const rb_result *res)
{
	if (!res)
		return NULL;
	/* The count is the one mutable part of a finished result. */
	rb_result *mut = (rb_result *)(uintptr_t)res;
	atomic_fetch_add_explicit(&mut->refs, 1, memory_order_relaxed);
	return mut;
}

void rb_result_free(rb_result *res)
{
	while (res && atomic_fetch_sub_explicit(&res->refs, 1, memory_order_acq_rel) == 1) {
		const rb__mem *mem = &res->ctx->mem;
		rb_result *newer = res->newer;
		for (rb__retired *r = res->retired, *next; r; r = next) {
			next = r->next;
			r->free(mem, r);
		}
		rb__diags_free(&res->warnings);
		rb__arena_free(&res->arena);
		rb__input_unref(res->input);
		rb__free(mem, res);
		if (newer) /* this result's reference to the next one goes too */
			atomic_store_explicit(&newer->chained, false, memory_order_release);
		res = newer;
	}
}
