#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

static void *default_realloc(void *ud, void *p, size_t old, size_t n)
{
	(void)ud;
	(void)old;
	if (n == 0) {
		free(p);
		return NULL;
	}
	return realloc(p, n);
}

void rb__mem_default(rb__mem *m)
{
	m->a.realloc = default_realloc;
	m->a.ud = NULL;
}

/* The header keeps 16-byte alignment for whatever follows it. */
typedef union block_header {
	size_t size;
	max_align_t align;
} block_header;

void *rb__malloc(const rb__mem *m, size_t n)
{
	size_t total;
	if (!rb__add_size(n, sizeof(block_header), &total))
		return NULL;
	block_header *h = m->a.realloc(m->a.ud, NULL, 0, total);
	if (!h)
		return NULL;
	h->size = n;
	return h + 1;
}

void *rb__calloc(const rb__mem *m, size_t count, size_t size)
{
	size_t n;
	if (!rb__mul_size(count, size, &n))
		return NULL;
	void *p = rb__malloc(m, n);
	if (p)
		memset(p, 0, n);
	return p;
}

void *rb__realloc(const rb__mem *m, void *p, size_t n)
{
	if (!p)
		return rb__malloc(m, n);
	size_t total;
	if (!rb__add_size(n, sizeof(block_header), &total))
		return NULL;
	block_header *h = (block_header *)p - 1;
	size_t old_total = h->size + sizeof(block_header);
	block_header *nh = m->a.realloc(m->a.ud, h, old_total, total);
	if (!nh)
		return NULL;
	nh->size = n;
	return nh + 1;
}

void rb__free(const rb__mem *m, void *p)
{
	if (!p)
		return;
	block_header *h = (block_header *)p - 1;
	m->a.realloc(m->a.ud, h, h->size + sizeof(block_header), 0);
}

char *rb__strdup(const rb__mem *m, const char *s)
{
	size_t n = strlen(s);
	char *d = rb__malloc(m, n + 1);
	if (d)
		memcpy(d, s, n + 1);
	return d;
}
