#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct rb__chunk {
	rb__chunk *prev;
	size_t size; /* usable bytes in data */
	size_t used;
	_Alignas(max_align_t) unsigned char data[];
};

enum { FIRST_CHUNK = 16 * 1024, MAX_REGULAR_CHUNK = 4 * 1024 * 1024 };
#define ALIGN ((size_t)_Alignof(max_align_t))

void rb__arena_init(rb__arena *a, const rb__mem *mem)
{
	a->mem = mem;
	a->head = NULL;
	a->spare = NULL;
	a->chunk_size = FIRST_CHUNK;
	a->total = 0;
}

static void free_list(const rb__mem *mem, rb__chunk *c)
{
	while (c) {
		rb__chunk *prev = c->prev;
		rb__free(mem, c);
		c = prev;
	}
}

void rb__arena_free(rb__arena *a)
{
	free_list(a->mem, a->head);
	free_list(a->mem, a->spare);
	a->head = NULL;
	a->spare = NULL;
	a->total = 0;
}

static rb__chunk *new_chunk(rb__arena *a, size_t need)
{
	/* A rewound chunk first: the loader rewinds after every object. */
	for (rb__chunk **pp = &a->spare; *pp; pp = &(*pp)->prev) {
		rb__chunk *s = *pp;
		if (s->size >= need) {
			*pp = s->prev;
			s->prev = a->head;
			s->used = 0;
			a->head = s;
			return s;
		}
	}
	size_t size = a->chunk_size;
	if (need > size)
		size = need;
	size_t total;
	if (!rb__add_size(size, sizeof(rb__chunk), &total))
		return NULL;
	rb__chunk *c = rb__malloc(a->mem, total);
	if (!c)
		return NULL;
	c->prev = a->head;
	c->size = size;
	c->used = 0;
	a->head = c;
	a->total += size;
	/* Grow geometrically so big inputs need few chunks. */
	if (a->chunk_size < MAX_REGULAR_CHUNK)
		a->chunk_size *= 2;
	return c;
}

void *rb__arena_alloc(rb__arena *a, size_t n)
{
	size_t rounded;
	if (!rb__add_size(n, ALIGN - 1, &rounded))
		return NULL;
	rounded &= ~(ALIGN - 1);
	if (rounded == 0)
		rounded = ALIGN;
	rb__chunk *c = a->head;
	if (!c || c->size - c->used < rounded) {
		c = new_chunk(a, rounded);
		if (!c)
			return NULL;
	}
	void *p = c->data + c->used;
	c->used += rounded;
	return p;
}

void *rb__arena_calloc(rb__arena *a, size_t count, size_t size)
{
	size_t n;
	if (!rb__mul_size(count, size, &n))
		return NULL;
	void *p = rb__arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *rb__arena_strndup(rb__arena *a, const char *s, size_t n)
{
	size_t total;
	if (!rb__add_size(n, 1, &total))
		return NULL;
	char *d = rb__arena_alloc(a, total);
	if (!d)
		return NULL;
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *rb__arena_strdup(rb__arena *a, const char *s)
{
	return rb__arena_strndup(a, s, strlen(s));
}

char *rb__arena_vprintf(rb__arena *a, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	char *d = n < 0 ? NULL : rb__arena_alloc(a, (size_t)n + 1);
	if (d)
		vsnprintf(d, (size_t)n + 1, fmt, again);
	va_end(again);
	return d;
}

char *rb__arena_printf(rb__arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *d = rb__arena_vprintf(a, fmt, ap);
	va_end(ap);
	return d;
}

rb__arena_mark rb__arena_get_mark(const rb__arena *a)
{
	rb__arena_mark m = {a->head, a->head ? a->head->used : 0};
	return m;
}

void rb__arena_rewind(rb__arena *a, rb__arena_mark mark)
{
	while (a->head && a->head != mark.chunk) {
		rb__chunk *c = a->head;
		a->head = c->prev;
		c->prev = a->spare;
		a->spare = c;
	}
	if (a->head)
		a->head->used = mark.used;
}
