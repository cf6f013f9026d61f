/* A growable array of fixed-size elements on the context allocator. */
#include "core/vec.h"

#include <string.h>

/*
 * Capacity doubles. Once the storage reaches RB_MEM_PAGES and the allocator
 * can give pages, it moves to a page mapping (transparent huge pages: fresh
 * memory at a fraction of the page faults, core/mem.h). Not before: a huge
 * page is resident whole once touched, so a vector of a few hundred KiB on
 * one cost 2 MiB of RSS (the translator's statuses and overlap keys at 8,000
 * routes, bench/README.md). A mapping
 * reserves 8 times the bytes asked for: pages are only made (and zeroed)
 * where they are written, so the reserve costs address space, not memory,
 * and a growing vector is copied far less often (each copy writes fresh
 * pages: at 50000 routes the translator's vectors were copied through 14 MB).
 * The capacity still doubles inside the mapping, and only the whole huge
 * pages of the capacity are advised: the vector's last, partly filled 2 MiB
 * are small pages (the translator's destinations, 2.4 MB at 10,000 routes,
 * were resident as 4 MiB).
 */
bool rb__vec_reserve(const rb__mem *m, rb__vec *v, size_t n, size_t elem_size)
{
	if (v->cap - v->len >= n)
		return true;
	size_t need;
	if (!rb__add_size(v->len, n, &need))
		return false;
	size_t cap = v->cap ? v->cap : 8;
	while (cap < need)
		if (!rb__mul_size(cap, 2, &cap))
			return false;
	size_t bytes;
	if (!rb__mul_size(cap, elem_size, &bytes))
		return false;
	if (v->paged && bytes <= v->paged) {
		/* Room in the mapping: no copy, more of it on huge pages. */
		rb__mem_pages_advise(v->data, v->cap * elem_size, bytes);
		v->cap = cap;
		return true;
	}
	if (bytes >= RB_MEM_PAGES && rb__mem_can_page(m)) {
		size_t size;
		if (!rb__mul_size(bytes, 8, &size))
			size = bytes;
		bool paged;
		void *d = rb__mem_pages_reserve(m, &size, bytes, &paged);
		if (!d && size != bytes) {
			/* No room for the reserve (strict overcommit): just what is asked. */
			size = bytes;
			d = rb__mem_pages_reserve(m, &size, bytes, &paged);
		}
		if (!d)
			return false;
		if (v->len)
			memcpy(d, v->data, v->len * elem_size);
		if (v->paged)
			rb__mem_pages_free(m, v->data, v->paged, true);
		else
			rb__free(m, v->data);
		v->data = d;
		v->cap = paged ? cap : size / elem_size;
		v->paged = paged ? size : 0;
		return true;
	}
	void *d = rb__realloc(m, v->data, bytes);
	if (!d)
		return false;
	v->data = d;
	v->cap = cap;
	return true;
}

void rb__vec_free(const rb__mem *m, rb__vec *v)
{
	if (v->paged)
		rb__mem_pages_free(m, v->data, v->paged, true);
	else
		rb__free(m, v->data);
	v->data = NULL;
	v->len = v->cap = 0;
	v->paged = 0;
}
