/* A growable array of fixed-size elements on the context allocator. */
#ifndef RB_CORE_VEC_H
#define RB_CORE_VEC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/mem.h"

typedef struct rb__vec {
	void *data;
	size_t len;
	size_t cap;
	/* Bytes of data when it is a page mapping (rb__mem_pages_alloc: big
	 * vectors, default allocator), 0 when it comes from rb__realloc. */
	size_t paged;
} rb__vec;

#define RB_VEC_INIT {NULL, 0, 0, 0}
#define RB_VEC_AT(v, T, i) (((T *)(v)->data)[i])

/* Room for n more elements of elem_size bytes (len unchanged). false on allocation failure. */
bool rb__vec_reserve(const rb__mem *m, rb__vec *v, size_t n, size_t elem_size);
/* Append a zeroed element and return it (NULL on allocation failure). */
static inline void *rb__vec_push(const rb__mem *m, rb__vec *v, size_t elem_size)
{
	if (v->len == v->cap && !rb__vec_reserve(m, v, 1, elem_size))
		return NULL;
	void *slot = (char *)v->data + v->len * elem_size;
	__builtin_memset(slot, 0, elem_size);
	v->len++;
	return slot;
}
/* Append the pointer p to a vector of pointers. */
static inline bool rb__vec_push_ptr(const rb__mem *m, rb__vec *v, const void *p)
{
	if (v->len == v->cap && !rb__vec_reserve(m, v, 1, sizeof(void *)))
		return false;
	((const void **)v->data)[v->len++] = p;
	return true;
}
void rb__vec_free(const rb__mem *m, rb__vec *v);

#endif
