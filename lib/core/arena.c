#include "core/arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
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

/*
 * The fast path of rb__arena_printf: formats made only of text, %s, %c, %%,
 * %u, %d, %zu, %zd, %lu, %ld, %llu, %lld and %.*s are formatted here, in two
 * passes (length, then bytes), without vsnprintf: the translator builds
 * names and keys this way for every route rule (bench/: it was the largest
 * cost of a translation). Returns false, consuming nothing, for any other
 * format.
 */
typedef enum fmt_conv { FC_END, FC_TEXT, FC_STR, FC_STRN, FC_CHAR, FC_PCT, FC_UINT, FC_INT,
                        FC_SIZE, FC_SSIZE, FC_ULONG, FC_LONG, FC_ULLONG, FC_LLONG, FC_OTHER } fmt_conv;

/* The next piece of fmt at *p: text up to the next '%', or one conversion. */
static fmt_conv fmt_next(const char **p, size_t *text_len)
{
	const char *f = *p;
	if (!*f)
		return FC_END;
	if (*f != '%') {
		const char *e = f;
		while (*e && *e != '%')
			e++;
		*text_len = (size_t)(e - f);
		*p = e;
		return FC_TEXT;
	}
	f++;
	fmt_conv c = FC_OTHER;
	switch (*f) {
	case 's': c = FC_STR; break;
	case 'c': c = FC_CHAR; break;
	case '%': c = FC_PCT; break;
	case 'u': c = FC_UINT; break;
	case 'd': c = FC_INT; break;
	case 'z':
		f++;
		c = *f == 'u' ? FC_SIZE : *f == 'd' ? FC_SSIZE : FC_OTHER;
		break;
	case 'l':
		f++;
		if (*f == 'l') {
			f++;
			c = *f == 'u' ? FC_ULLONG : *f == 'd' ? FC_LLONG : FC_OTHER;
		} else {
			c = *f == 'u' ? FC_ULONG : *f == 'd' ? FC_LONG : FC_OTHER;
		}
		break;
	case '.':
		if (f[1] == '*' && f[2] == 's') {
			f += 2;
			c = FC_STRN;
		}
		break;
	default:
		break;
	}
	if (c != FC_OTHER)
		*p = f + 1;
	return c;
}

static bool fmt_simple(const char *fmt)
{
	size_t n;
	fmt_conv c;
	while ((c = fmt_next(&fmt, &n)) != FC_END)
		if (c == FC_OTHER)
			return false;
	return true;
}

/* Decimal digits of v into the end of buf[24]; returns the first digit. */
static char *fmt_u64(char *end, unsigned long long v)
{
	char *p = end;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

/* One pass: write into out (when non-NULL) and return the length. */
static size_t fmt_run(char *out, const char *fmt, va_list ap)
{
	size_t len = 0, n;
	fmt_conv c;
	char num[24];
	while ((c = fmt_next(&fmt, &n)) != FC_END) {
		const char *piece = NULL;
		long long sv = 0;
		unsigned long long uv = 0;
		bool is_num = false, neg = false;
		switch (c) {
		case FC_TEXT:
			piece = fmt - n;
			break;
		case FC_STR:
			piece = va_arg(ap, const char *);
			n = strlen(piece);
			break;
		case FC_STRN: {
			int w = va_arg(ap, int);
			piece = va_arg(ap, const char *);
			n = 0;
			while ((int)n < w && piece[n])
				n++;
			break;
		}
		case FC_CHAR:
			num[0] = (char)va_arg(ap, int);
			piece = num;
			n = 1;
			break;
		case FC_PCT:
			piece = "%";
			n = 1;
			break;
		case FC_UINT: uv = va_arg(ap, unsigned int); is_num = true; break;
		case FC_SIZE: uv = va_arg(ap, size_t); is_num = true; break;
		case FC_ULONG: uv = va_arg(ap, unsigned long); is_num = true; break;
		case FC_ULLONG: uv = va_arg(ap, unsigned long long); is_num = true; break;
		case FC_INT: sv = va_arg(ap, int); is_num = neg = true; break;
		case FC_SSIZE: sv = va_arg(ap, ptrdiff_t); is_num = neg = true; break;
		case FC_LONG: sv = va_arg(ap, long); is_num = neg = true; break;
		case FC_LLONG: sv = va_arg(ap, long long); is_num = neg = true; break;
		default:
			return len; /* not reached: fmt_simple checked */
		}
		if (is_num) {
			if (neg) {
				neg = sv < 0;
				uv = neg ? 0ull - (unsigned long long)sv : (unsigned long long)sv;
			}
			char *d = fmt_u64(num + sizeof num, uv);
			if (neg)
				*--d = '-';
			piece = d;
			n = (size_t)(num + sizeof num - d);
		}
		if (out)
			memcpy(out + len, piece, n);
		len += n;
	}
	return len;
}

char *rb__arena_vprintf(rb__arena *a, const char *fmt, va_list args)
{
	va_list ap;
	if (fmt_simple(fmt)) {
		va_copy(ap, args);
		size_t n = fmt_run(NULL, fmt, ap);
		va_end(ap);
		char *d = n < SIZE_MAX ? rb__arena_alloc(a, n + 1) : NULL;
		if (!d)
			return NULL;
		va_copy(ap, args);
		fmt_run(d, fmt, ap);
		va_end(ap);
		d[n] = '\0';
		return d;
	}
	va_copy(ap, args);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *d = rb__arena_alloc(a, (size_t)n + 1);
	if (!d)
		return NULL;
	va_copy(ap, args);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
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
