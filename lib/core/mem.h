/*
 * Allocation through the context's allocator (never a global hook), with
 * overflow-checked size arithmetic (docs/conventions.md, Memory).
 */
#ifndef RB_CORE_MEM_H
#define RB_CORE_MEM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/hash.h"
#include "rebalance/ctx.h"

/* What every table of a context needs: its allocator, and the key of the
 * hash of its tables (core/hash.h), so that a table reaches both through
 * the one pointer it keeps. */
typedef struct rb__mem {
	rb_allocator a;
	rb__hash_key hash_key;
} rb__mem;

/* The default allocator: malloc/realloc/free, and a fresh random hash key. */
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

/*
 * Memory for big arena chunks, vectors and hash tables. Requests of
 * RB_MEM_PAGES bytes or more get, with the default allocator on Linux, an
 * anonymous mapping aligned to 2 MiB and advised for transparent huge pages
 * (one page fault per 2 MiB instead of one per 4 KiB: on the development VM a
 * fault costs about 11 us, bench/README.md); *size is rounded up to whole
 * 2 MiB pages and *paged set. Otherwise (a caller's allocator, a smaller
 * request, another system, a sanitizer build whose leak checker does not see
 * mappings, or the CMake option REBALANCE_HUGE_PAGES=OFF) the block comes from
 * rb__malloc and *paged is false. Free with rb__mem_pages_free and the same
 * size and flag.
 */
#define RB_MEM_PAGES ((size_t)2 * 1024 * 1024)
void *rb__mem_pages_alloc(const rb__mem *m, size_t *size, bool *paged);
/*
 * As rb__mem_pages_alloc, but only the whole 2 MiB pages of its first `huge`
 * bytes are advised for huge pages; rb__mem_pages_advise advises those of
 * [from, to) (offsets in a mapping from here, rounded down to whole pages)
 * when more is to be used. A huge page is resident whole once touched: a
 * mapping filled part way should not end in one (bench/README.md, Peak memory).
 */
void *rb__mem_pages_reserve(const rb__mem *m, size_t *size, size_t huge, bool *paged);
void rb__mem_pages_advise(void *p, size_t from, size_t to);
/* Whether rb__mem_pages_alloc can map pages for m (for requests of RB_MEM_PAGES or more). */
bool rb__mem_can_page(const rb__mem *m);
void rb__mem_pages_free(const rb__mem *m, void *p, size_t size, bool paged);

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
