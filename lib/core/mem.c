/* mmap and madvise (MAP_ANONYMOUS, MADV_HUGEPAGE) are not in ISO C. */
#define _DEFAULT_SOURCE 1
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define RB_MEM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define RB_MEM_SANITIZED 1
#endif
#endif

#if defined(__linux__) && !defined(RB_MEM_SANITIZED) && !defined(REBALANCE_NO_HUGE_PAGES)
#include <sys/mman.h>
#if defined(MADV_HUGEPAGE)
#define RB_MEM_HUGE 1
#endif
#endif

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
	rb__hash_key_random(&m->hash_key);
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

#ifdef RB_MEM_HUGE
/* A fresh mapping of size bytes (a multiple of RB_MEM_PAGES) aligned to RB_MEM_PAGES,
 * its first `huge` bytes advised for huge pages. */
static void *map_aligned(size_t size, size_t huge)
{
	size_t span;
	if (!rb__add_size(size, RB_MEM_PAGES, &span))
		return NULL;
	unsigned char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	uintptr_t a = ((uintptr_t)p + RB_MEM_PAGES - 1) & ~(uintptr_t)(RB_MEM_PAGES - 1);
	unsigned char *aligned = (unsigned char *)a;
	size_t head = (size_t)(aligned - p);
	if (head)
		munmap(p, head);
	if (span - head > size)
		munmap(aligned + size, span - head - size);
	/* Only advice: where huge pages are off, the mapping works with small pages. */
	if (huge)
		(void)madvise(aligned, huge, MADV_HUGEPAGE);
	return aligned;
}
#endif

/* Whole pages of RB_MEM_PAGES, rounded down. */
static size_t whole_pages(size_t n)
{
	return n & ~(RB_MEM_PAGES - 1);
}

bool rb__mem_can_page(const rb__mem *m)
{
#ifdef RB_MEM_HUGE
	return m->a.realloc == default_realloc;
#else
	(void)m;
	return false;
#endif
}

void *rb__mem_pages_alloc(const rb__mem *m, size_t *size, bool *paged)
{
	return rb__mem_pages_reserve(m, size, SIZE_MAX, paged);
}

void *rb__mem_pages_reserve(const rb__mem *m, size_t *size, size_t huge, bool *paged)
{
	*paged = false;
	(void)huge;
#ifdef RB_MEM_HUGE
	if (rb__mem_can_page(m) && *size >= RB_MEM_PAGES) {
		size_t rounded;
		if (rb__add_size(*size, RB_MEM_PAGES - 1, &rounded)) {
			rounded = whole_pages(rounded);
			void *p = map_aligned(rounded, whole_pages(huge < rounded ? huge : rounded));
			if (p) {
				*size = rounded;
				*paged = true;
				return p;
			}
		}
	}
#endif
	return rb__malloc(m, *size);
}

void rb__mem_pages_advise(void *p, size_t from, size_t to)
{
	from = whole_pages(from);
	to = whole_pages(to);
#ifdef RB_MEM_HUGE
	if (to > from)
		(void)madvise((unsigned char *)p + from, to - from, MADV_HUGEPAGE);
#else
	(void)p;
#endif
}

void rb__mem_pages_free(const rb__mem *m, void *p, size_t size, bool paged)
{
	if (!p)
		return;
#ifdef RB_MEM_HUGE
	if (paged) {
		munmap(p, size);
		return;
	}
#else
	(void)size;
	(void)paged;
#endif
	rb__free(m, p);
}
