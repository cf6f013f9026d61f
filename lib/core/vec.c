#include "core/vec.h"

#include <string.h>

void *rb__vec_push(const rb__mem *m, rb__vec *v, size_t elem_size)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		size_t bytes;
		if (cap < v->cap || !rb__mul_size(cap, elem_size, &bytes))
			return NULL;
		void *d = rb__realloc(m, v->data, bytes);
		if (!d)
			return NULL;
		v->data = d;
		v->cap = cap;
	}
	void *slot = (char *)v->data + v->len * elem_size;
	memset(slot, 0, elem_size);
	v->len++;
	return slot;
}

bool rb__vec_push_ptr(const rb__mem *m, rb__vec *v, const void *p)
{
	const void **slot = rb__vec_push(m, v, sizeof(void *));
	if (!slot)
		return false;
	*slot = p;
	return true;
}

void rb__vec_free(const rb__mem *m, rb__vec *v)
{
	rb__free(m, v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}
