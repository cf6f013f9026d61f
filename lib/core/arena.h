/*
 * A chunked bump arena (docs/conventions.md, Memory): nodes, model objects, IR
 * entries and strings live in one, and are released all at once. A mark can
 * be taken and rewound to, which the loader uses to drop each object's node
 * tree as soon as the object is decoded.
 *
 * Strings take no alignment (a struct after a string is aligned by a few
 * bytes of padding). Big chunks come from the allocator in pages (mem.h,
 * rb__mem_pages_alloc): with the default allocator on Linux they are backed
 * by transparent huge pages, which makes touching fresh memory much cheaper
 * (bench/README.md). A chunk fills from its start, so the huge pages at its
 * end stay untouched (not resident) until needed.
 */
#ifndef RB_CORE_ARENA_H
#define RB_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"

typedef struct rb__chunk rb__chunk;
typedef struct rb__intern rb__intern;
typedef struct rb__adopted rb__adopted;
struct rb__vec;

typedef struct rb__arena {
	const rb__mem *mem;
	rb__chunk *head;   /* current chunk; older chunks follow ->prev */
	rb__chunk *spare;  /* chunks released by a rewind, reused before allocating */
	size_t chunk_size; /* size of the next regular chunk */
	size_t total;      /* bytes held in chunks, for statistics */
	size_t huge_limit; /* chunk bytes that may be on huge pages (rb__arena_hint_filled) */
	rb__intern *intern; /* rb__arena_intern's cache, made on first use */
	rb__adopted *adopted; /* blocks handed over by rb__arena_adopt_vec */
	/* The free part of the current chunk, [pos, end): the fast path of
	 * rb__arena_alloc. The chunk's own count is brought up to date when the
	 * arena leaves it. NULL without a chunk. */
	unsigned char *pos;
	unsigned char *end;
} rb__arena;

typedef struct rb__arena_mark {
	rb__chunk *chunk;
	size_t used;
} rb__arena_mark;

/*
 * The alignment of rb__arena_alloc: enough for pointers, size_t, 64-bit
 * integers and double (8 on the usual ABIs), not for long double or vector
 * types, which nothing in an arena holds.
 */
#define RB_ARENA_ALIGN ((size_t)8)

void rb__arena_init(rb__arena *a, const rb__mem *mem);
void rb__arena_free(rb__arena *a);
/*
 * The arena is expected to grow by about `bytes`: its next chunks start
 * bigger, so a big input takes few chunks (and, from 4 MiB, huge pages from
 * the start). Memory is touched as it is used, so a hint too big costs
 * address space; but a huge page is resident as a whole, so smaller hints
 * stay below RB_MEM_PAGES.
 */
void rb__arena_hint(rb__arena *a, size_t bytes);
/*
 * The arena will surely fill its first `bytes` (a lower bound, where the hint
 * is a guess): only whole huge pages within them are advised, and chunk space
 * past them is in small pages. A huge page is resident whole once touched,
 * so the one an arena ends in costs up to 2 MiB it never uses; small pages
 * cost a page fault per 4 KiB instead. Without this call every page of a
 * big chunk is advised.
 */
void rb__arena_hint_filled(rb__arena *a, size_t bytes);
/* Bytes allocated in the arena (padding and the unused ends of chunks excluded). */
size_t rb__arena_used(const rb__arena *a);

/* Aligned to RB_ARENA_ALIGN. NULL on allocation failure or overflow. */
void *rb__arena_alloc_slow(rb__arena *a, size_t n);
static inline void *rb__arena_alloc(rb__arena *a, size_t n)
{
	/* Inline when it fits in the current chunk (n from 1 to 1 GiB). */
	const uintptr_t al = RB_ARENA_ALIGN;
	uintptr_t p = ((uintptr_t)a->pos + (al - 1)) & ~(al - 1);
	uintptr_t end = (uintptr_t)a->end;
	uintptr_t r = ((uintptr_t)n + (al - 1)) & ~(al - 1);
	if (n - 1 < ((size_t)1 << 30) && p <= end && end - p >= r) {
		a->pos = (unsigned char *)(p + r);
		return (void *)p;
	}
	return rb__arena_alloc_slow(a, n);
}
void *rb__arena_calloc(rb__arena *a, size_t count, size_t size);
/*
 * One copy where consecutive values of a kind read the same: the last value
 * kept (its items and their count), given again when the next is equal
 * instead of a copy of its own. Used where most objects repeat their
 * predecessor's (the model's parentRef and port lists, the IR's listeners,
 * conditions, knobs: bench/README.md, Peak memory). Equality is by content,
 * never by address, and a shared value is never written once given out.
 */
typedef struct rb__arena_last {
	const void *items;
	size_t count;
} rb__arena_last;
typedef bool (*rb__same_fn)(const void *a, const void *b);
/* items[0, n) of `size` bytes each: *last's when each item is the same
 * (same(x, y); the bytes when same is NULL), else a copy in a, which becomes
 * *last. NULL when out of memory. */
const void *rb__arena_share(rb__arena *a, rb__arena_last *last, const void *items, size_t n,
                            size_t size, rb__same_fn same);
/* A NUL-terminated copy of n bytes (not aligned). */
char *rb__arena_strndup(rb__arena *a, const char *s, size_t n);
char *rb__arena_strdup(rb__arena *a, const char *s);
/*
 * Like rb__arena_strndup, but equal short strings may share one copy: the
 * result must be treated as read-only and never compared by address. A cache
 * of recent strings (made on first use, growing with use up to 2048 entries,
 * freed with the arena or by rb__arena_intern_done) finds the copies; a
 * rewind drops it.
 */
const char *rb__arena_intern(rb__arena *a, const char *s, size_t n);
/* Drop the intern cache (a long-lived arena that will intern no more). */
void rb__arena_intern_done(rb__arena *a);
/* "x<sep>y<sep>z" in the arena (sep may be '\0': a key of three strings that
 * cannot collide); *len is its length without the final NUL. NULL when out of
 * memory. */
char *rb__arena_join3(rb__arena *a, const char *x, const char *y, const char *z, char sep,
                      size_t *len);
/* parts[0, n) one after another in the arena, NUL-terminated (a NULL part is
 * empty); *len, when len is not NULL, is its length. NULL when out of memory.
 * For names made for every route rule, where rb__arena_printf would walk its
 * format each time. */
char *rb__arena_cat(rb__arena *a, const char *const *parts, size_t n, size_t *len);
/* printf into the arena (integers and strings only: no locale-dependent conversions). */
char *rb__arena_printf(rb__arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *rb__arena_vprintf(rb__arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/*
 * Take over the storage of a vector (core/vec.h) instead of copying it: the
 * elements stay where they are, and are freed with the arena (a rewind does
 * not free them). v is left empty. Returns the elements (NULL when v was
 * empty), or NULL with *rc = RB_ENOMEM.
 */
void *rb__arena_adopt_vec(rb__arena *a, struct rb__vec *v, int *rc);

rb__arena_mark rb__arena_get_mark(const rb__arena *a);
/* Release everything allocated since the mark (chunks added since are kept as spares). */
void rb__arena_rewind(rb__arena *a, rb__arena_mark mark);

#endif
