/* The context (rb_ctx): allocator, limits and the hash key. */
#include "core/ctx.h"

#include "rebalance/errors.h"

void rb__limits_default(rb__limits *l)
{
	l->input_bytes = 64u * 1024 * 1024;
	l->documents = 100000;
	l->depth = 64;
	l->scalar_bytes = 1024 * 1024;
	l->nodes = 1024u * 1024; /* about 1 s and 100-200 MB at most */
	l->alias_expansion = 0;
}

int rb_ctx_new(rb_ctx **out, const rb_allocator *alloc)
{
	if (!out || (alloc && !alloc->realloc))
		return RB_EINVAL;
	*out = NULL;
	rb__mem mem;
	if (alloc) {
		mem.a = *alloc;
		rb__hash_key_random(&mem.hash_key);
	} else
		rb__mem_default(&mem);
	rb_ctx *ctx = rb__malloc(&mem, sizeof(*ctx));
	if (!ctx)
		return RB_ENOMEM;
	ctx->mem = mem;
	rb__limits_default(&ctx->limits);
	*out = ctx;
	return RB_OK;
}

void rb_ctx_free(rb_ctx *ctx)
{
	if (!ctx)
		return;
	rb__mem mem = ctx->mem;
	rb__free(&mem, ctx);
}

static uint64_t *limit_slot(rb__limits *l, rb_limit limit)
{
	switch (limit) {
	case RB_LIMIT_INPUT_BYTES:
		return &l->input_bytes;
	case RB_LIMIT_DOCUMENTS:
		return &l->documents;
	case RB_LIMIT_DEPTH:
		return &l->depth;
	case RB_LIMIT_SCALAR_BYTES:
		return &l->scalar_bytes;
	case RB_LIMIT_NODES:
		return &l->nodes;
	case RB_LIMIT_ALIAS_EXPANSION:
		return &l->alias_expansion;
	}
	return NULL;
}

int rb_ctx_set_limit(rb_ctx *ctx, rb_limit limit, uint64_t value)
{
	if (!ctx)
		return RB_EINVAL;
	uint64_t *slot = limit_slot(&ctx->limits, limit);
	if (!slot || (value == 0 && limit != RB_LIMIT_ALIAS_EXPANSION))
		return RB_EINVAL;
	*slot = value;
	return RB_OK;
}

int rb_ctx_set_hash_seed(rb_ctx *ctx, uint64_t seed)
{
	if (!ctx)
		return RB_EINVAL;
	rb__hash_key_from_seed(&ctx->mem.hash_key, seed);
	return RB_OK;
}

uint64_t rb_ctx_get_limit(const rb_ctx *ctx, rb_limit limit)
{
	if (!ctx)
		return 0;
	rb__limits l = ctx->limits;
	uint64_t *slot = limit_slot(&l, limit);
	return slot ? *slot : 0;
}

void rb_free(rb_ctx *ctx, void *ptr)
{
	if (ctx && ptr)
		rb__free(&ctx->mem, ptr);
}
