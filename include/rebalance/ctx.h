/*
 * rebalance -- the library context: allocator and input limits.
 *
 * Threads: a context may be used by one thread at a time while it is being
 * configured; once configured, rb_input and rb_translate calls on separate
 * inputs may share it from several threads (the context is only read). The
 * library has no mutable global state (docs/threading.md).
 */
#ifndef REBALANCE_CTX_H
#define REBALANCE_CTX_H

#include "rebalance/common.h"

RB_BEGIN_DECLS

/**
 * A user allocator, one realloc-style function (zstd/nghttp2 style: per
 * context, never global). realloc(ud, NULL, 0, n) allocates, realloc(ud, p,
 * old, n) resizes, realloc(ud, p, old, 0) frees and returns NULL. `old` is the
 * size previously requested for `p`.
 */
typedef struct rb_allocator {
	void *(*realloc)(void *ud, void *ptr, size_t old_size, size_t new_size);
	void *ud;
} rb_allocator;

/**
 * Create a context. `alloc` may be NULL for malloc/realloc/free (on Linux,
 * blocks of 2 MiB and more then come from anonymous mappings advised for
 * transparent huge pages, unless built with REBALANCE_HUGE_PAGES=OFF). A
 * given allocator gets every allocation rebalance makes (libcyaml's included),
 * but not those of libyaml and cJSON, which allocate with malloc: libyaml's
 * parser and emitter buffers (tens of KiB, and stacks as deep as the
 * nesting) and cJSON's items for one JSON object at a time (docs/limits.md,
 * "Memory"). cJSON's hooks are process-global, so they are never installed.
 * A failed allocation of either kind is RB_ENOMEM. The allocator is copied.
 * @param out receives the new context (a new reference, free with rb_ctx_free)
 * @return RB_OK, RB_EINVAL (out is NULL), RB_ENOMEM
 */
RB_API int rb_ctx_new(rb_ctx **out, const rb_allocator *alloc);

/** Free a context. NULL is a no-op. Every input and result made with it must be freed first. */
RB_API void rb_ctx_free(rb_ctx *ctx);

/** Input limits, checked while reading, before anything is built from the offending part. */
typedef enum rb_limit {
	RB_LIMIT_INPUT_BYTES = 1,     /**< bytes per buffer or file (default 64 MiB) */
	RB_LIMIT_DOCUMENTS = 2,       /**< YAML documents per buffer (default 100000) */
	RB_LIMIT_DEPTH = 3,           /**< nesting depth of collections (default 64; YAML flow
	                                   collections at most 64 whatever the value) */
	RB_LIMIT_SCALAR_BYTES = 4,    /**< bytes of one scalar or key (default 1 MiB) */
	RB_LIMIT_NODES = 5,           /**< nodes per buffer (default 1048576) */
	RB_LIMIT_ALIAS_EXPANSION = 6  /**< YAML aliases: 0 rejects every alias (default); N allows
	                                   aliases as long as their expansion adds at most N nodes */
} rb_limit;

/**
 * Set a limit. A value of 0 is allowed only for RB_LIMIT_ALIAS_EXPANSION.
 * @return RB_OK, RB_EINVAL (unknown limit, zero value, NULL ctx)
 */
RB_API int rb_ctx_set_limit(rb_ctx *ctx, rb_limit limit, uint64_t value);

/** The current value of a limit, or 0 for an unknown limit. */
RB_API uint64_t rb_ctx_get_limit(const rb_ctx *ctx, rb_limit limit);

/**
 * Fix the key of the context's hash tables, for reproducible tests and
 * benchmarks only. By default each context draws a random key from the OS
 * (getrandom), so that input crafted to collide in the tables (hash
 * flooding) cannot be prepared in advance; with a seed known to whoever
 * writes the input, that protection is gone. Results never depend on the key
 * (only lookup speed does). Call it before adding inputs or creating an
 * engine with the context (tables made earlier keep the key they were made
 * with); like the limits, from one thread, while nothing else uses the
 * context.
 * @return RB_OK, RB_EINVAL (NULL ctx)
 */
RB_API int rb_ctx_set_hash_seed(rb_ctx *ctx, uint64_t seed);

/**
 * Free a buffer the library returned (rb_result_to_buffer and friends) with
 * the context's allocator. NULL is a no-op. Never pass such a buffer to free().
 */
RB_API void rb_free(rb_ctx *ctx, void *ptr);

RB_END_DECLS

#endif /* REBALANCE_CTX_H */
