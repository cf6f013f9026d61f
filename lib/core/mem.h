/*
 * Allocation through the context's allocator (never a global hook), with
 * overflow-checked size arithmetic (CONVENTIONS.md rules 16 and 20).
 */
#ifndef RB_CORE_MEM_H
#define RB_CORE_MEM_H

#include <stdbool.h>
#include <stddef.h>

#include "rebalance/ctx.h"

typedef struct rb__mem {
	rb_allocator a;
} rb__mem;

/* The default allocator: malloc/realloc/free. */
void rb__mem_default(rb__mem *m);

/*
 * Blocks carry their size in a small header, so that rb__free (and the
 * public rb_free) need no size from the caller. Zero-size requests return a
 * valid, unique block.
 */
void *rb__malloc(const rb__mem *m, size_t n);
void *rb__calloc(const rb__mem *m, size_t count, size_t size);
void *rb__realloc(const rb__mem *m, void *p, size_t n);
void rb__free(const rb__mem *m, void *p);
char *rb__strdup(const rb__mem *m, const char *s);

/* a*b and a+b, false on overflow. */
static inline bool rb__mul_size(size_t a, size_t b, size_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

static inline bool rb__add_size(size_t a, size_t b, size_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

#endif
