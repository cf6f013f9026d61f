/* The chunked bump arena (arena.h): chunks, allocation, marks and vectors adopted into it. */
#include "core/arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/map.h"
#include "core/strutil.h"
#include "core/vec.h"
#include "rebalance/errors.h"

struct rb__chunk {
	rb__chunk *prev;
	size_t size; /* usable bytes in data */
	size_t used; /* data[0, used) is taken */
	size_t bytes; /* the whole block, header included (for rb__mem_pages_free) */
	bool paged;   /* from rb__mem_pages_alloc's mapping */
	_Alignas(max_align_t) unsigned char data[];
};

/* Chunk sizes (header included) double from FIRST_CHUNK up to MAX_REGULAR_CHUNK. */
enum { FIRST_CHUNK = 16 * 1024, MAX_REGULAR_CHUNK = 4 * 1024 * 1024 };
#define ALIGN RB_ARENA_ALIGN

_Static_assert(RB_ARENA_ALIGN >= _Alignof(void *) && RB_ARENA_ALIGN >= _Alignof(uint64_t) &&
                   RB_ARENA_ALIGN >= _Alignof(double) && RB_ARENA_ALIGN >= _Alignof(size_t),
               "RB_ARENA_ALIGN too small for the arena's contents");
_Static_assert(offsetof(rb__chunk, data) % RB_ARENA_ALIGN == 0, "chunk data misaligned");

/*
 * rb__arena_intern's cache: direct-mapped, one string per slot, the latest
 * wins. It starts small and doubles (up to INTERN_SLOTS) as strings come in,
 * so that a small load (one object through the engine) pays little.
 */
enum { INTERN_FIRST = 64, INTERN_SLOTS = 2048, INTERN_MAX = 64 };
typedef struct intern_slot {
	const char *s; /* NULL: empty */
	uint32_t len;
	uint32_t hash;
} intern_slot;
struct rb__intern {
	size_t cap;     /* slots, a power of two */
	size_t inserts; /* strings stored since the last growth */
	intern_slot slot[];
};

/* A vector's storage taken over by the arena. */
struct rb__adopted {
	rb__adopted *next;
	void *data;
	size_t paged; /* as rb__vec.paged */
};

void rb__arena_init(rb__arena *a, const rb__mem *mem)
{
	a->mem = mem;
	a->head = NULL;
	a->spare = NULL;
	a->chunk_size = FIRST_CHUNK;
	a->total = 0;
	a->huge_limit = SIZE_MAX;
	a->intern = NULL;
	a->adopted = NULL;
	a->pos = a->end = NULL;
}

/* Make c the current chunk, its free part the fast path's. */
static void set_head(rb__arena *a, rb__chunk *c)
{
	a->head = c;
	a->pos = c ? c->data + c->used : NULL;
	a->end = c ? c->data + c->size : NULL;
}

/* Bring the current chunk's count up to date. */
static void sync_head(rb__arena *a)
{
	if (a->head)
		a->head->used = (size_t)(a->pos - a->head->data);
}

void rb__arena_hint(rb__arena *a, size_t bytes)
{
	/* Chunks of at most half the expected size: two or three of them, or the maximum. */
	size_t max = bytes >= 2 * RB_MEM_PAGES ? MAX_REGULAR_CHUNK : RB_MEM_PAGES / 2;
	while (a->chunk_size < max && a->chunk_size * 2 <= bytes / 2)
		a->chunk_size *= 2;
}

void rb__arena_hint_filled(rb__arena *a, size_t bytes)
{
	a->huge_limit = bytes;
}

size_t rb__arena_used(const rb__arena *a)
{
	if (!a->head)
		return 0;
	size_t n = (size_t)(a->pos - a->head->data);
	for (const rb__chunk *c = a->head->prev; c; c = c->prev)
		n += c->used;
	return n;
}

static void free_list(const rb__mem *mem, rb__chunk *c)
{
	while (c) {
		rb__chunk *prev = c->prev;
		rb__mem_pages_free(mem, c, c->bytes, c->paged);
		c = prev;
	}
}

void rb__arena_free(rb__arena *a)
{
	free_list(a->mem, a->head);
	free_list(a->mem, a->spare);
	rb__free(a->mem, a->intern);
	while (a->adopted) {
		rb__adopted *next = a->adopted->next;
		if (a->adopted->paged)
			rb__mem_pages_free(a->mem, a->adopted->data, a->adopted->paged, true);
		else
			rb__free(a->mem, a->adopted->data);
		rb__free(a->mem, a->adopted);
		a->adopted = next;
	}
	a->head = NULL;
	a->spare = NULL;
	a->total = 0;
	a->intern = NULL;
	a->pos = a->end = NULL;
}

void *rb__arena_adopt_vec(rb__arena *a, rb__vec *v, int *rc)
{
	if (!v->len) {
		rb__vec_free(a->mem, v);
		return NULL;
	}
	rb__adopted *ad = rb__malloc(a->mem, sizeof(*ad));
	if (!ad) {
		*rc = RB_ENOMEM;
		return NULL;
	}
	ad->data = v->data;
	ad->paged = v->paged;
	ad->next = a->adopted;
	a->adopted = ad;
	void *data = v->data;
	v->data = NULL;
	v->len = v->cap = 0;
	v->paged = 0;
	return data;
}

static rb__chunk *new_chunk(rb__arena *a, size_t need)
{
	sync_head(a);
	/* A rewound chunk first: the loader rewinds after every object. */
	for (rb__chunk **pp = &a->spare; *pp; pp = &(*pp)->prev) {
		rb__chunk *s = *pp;
		if (s->size >= need) {
			*pp = s->prev;
			s->prev = a->head;
			s->used = 0;
			set_head(a, s);
			return s;
		}
	}
	size_t bytes = a->chunk_size;
	size_t min;
	if (!rb__add_size(need, sizeof(rb__chunk), &min))
		return NULL;
	if (bytes < min)
		bytes = min;
	bool paged;
	/* Huge pages for the part of the chunk below the arena's sure size. */
	size_t huge = a->huge_limit > a->total ? a->huge_limit - a->total : 0;
	rb__chunk *c = rb__mem_pages_reserve(a->mem, &bytes, huge, &paged);
	if (!c)
		return NULL;
	c->prev = a->head;
	c->size = bytes - sizeof(rb__chunk);
	c->used = 0;
	c->bytes = bytes;
	c->paged = paged;
	set_head(a, c);
	a->total += c->size;
	/* Grow geometrically so big inputs need few chunks. */
	if (a->chunk_size < MAX_REGULAR_CHUNK)
		a->chunk_size *= 2;
	return c;
}

void *rb__arena_alloc_slow(rb__arena *a, size_t n)
{
	size_t rounded;
	if (!rb__add_size(n, ALIGN - 1, &rounded))
		return NULL;
	rounded &= ~(ALIGN - 1);
	if (rounded == 0)
		rounded = ALIGN;
	/* Round the start up (a string may have left it unaligned). */
	uintptr_t p = ((uintptr_t)a->pos + (ALIGN - 1)) & ~(uintptr_t)(ALIGN - 1);
	if (!a->head || p > (uintptr_t)a->end || (uintptr_t)a->end - p < rounded) {
		if (!new_chunk(a, rounded))
			return NULL;
		p = (uintptr_t)a->pos;
	}
	a->pos = (unsigned char *)(p + rounded);
	return (void *)p;
}

/* n bytes with no alignment. */
static char *str_alloc(rb__arena *a, size_t n)
{
	if (!a->head || (size_t)(a->end - a->pos) < n) {
		if (!new_chunk(a, n))
			return NULL;
	}
	char *p = (char *)a->pos;
	a->pos += n;
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

const void *rb__arena_share(rb__arena *a, rb__arena_last *last, const void *items, size_t n,
                            size_t size, rb__same_fn same)
{
	bool equal = last->items && last->count == n;
	if (equal && !same)
		equal = !memcmp(last->items, items, n * size);
	for (size_t i = 0; i < n && equal && same; i++)
		equal = same((const char *)last->items + i * size, (const char *)items + i * size);
	if (equal)
		return last->items;
	size_t bytes;
	void *copy = rb__mul_size(n ? n : 1, size, &bytes) ? rb__arena_alloc(a, bytes) : NULL;
	if (!copy)
		return NULL;
	if (n)
		memcpy(copy, items, n * size);
	last->items = copy;
	last->count = n;
	return copy;
}

char *rb__arena_strndup(rb__arena *a, const char *s, size_t n)
{
	size_t total;
	if (!rb__add_size(n, 1, &total))
		return NULL;
	char *d = str_alloc(a, total);
	if (!d)
		return NULL;
	rb__copy_short(d, s, n);
	d[n] = '\0';
	return d;
}

char *rb__arena_strdup(rb__arena *a, const char *s)
{
	return rb__arena_strndup(a, s, strlen(s));
}

static rb__intern *intern_new(const rb__mem *mem, size_t cap)
{
	rb__intern *c = rb__calloc(mem, 1, sizeof(*c) + cap * sizeof(intern_slot));
	if (c)
		c->cap = cap;
	return c;
}

/*
 * The cache's slot for n bytes (at most INTERN_MAX): not the keyed rb__hash,
 * as a collision here only costs a copy (the string is kept apart), never a
 * longer search; up to 24 of the bytes and the length, a few multiplies.
 */
static inline uint32_t intern_hash(const char *s, size_t n)
{
	uint64_t a, b, c = 0;
	if (n >= 8) {
		a = rb__read_u64(s);
		b = rb__read_u64(s + n - 8);
		if (n > 16)
			c = rb__read_u64(s + n / 2 - 4);
	} else if (n >= 4) {
		a = rb__read_u32(s);
		b = rb__read_u32(s + n - 4);
	} else {
		a = n ? (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n / 2] << 8 |
		            (unsigned char)s[n - 1]
		      : 0;
		b = 0;
	}
	uint64_t h = a * 0x9E3779B97F4A7C15ull + b * 0xC2B2AE3D27D4EB4Full +
	             c * 0x165667B19E3779F9ull + n;
	h ^= h >> 29;
	return (uint32_t)((h * 0xBF58476D1CE4E5B9ull) >> 32);
}

const char *rb__arena_intern(rb__arena *a, const char *s, size_t n)
{
	if (n > INTERN_MAX)
		return rb__arena_strndup(a, s, n);
	rb__intern *c = a->intern;
	if (!c || (c->inserts > c->cap && c->cap < INTERN_SLOTS)) {
		/* Bigger (the old entries are dropped: a cache may forget). */
		rb__intern *bigger = intern_new(a->mem, c ? c->cap * 2 : INTERN_FIRST);
		if (bigger) {
			rb__free(a->mem, c);
			a->intern = c = bigger;
		} else if (!c) {
			return rb__arena_strndup(a, s, n);
		}
	}
	uint32_t h = intern_hash(s, n);
	intern_slot *slot = &c->slot[h & (c->cap - 1)];
	if (slot->s && slot->hash == h && slot->len == n && rb__eq_short(slot->s, s, n))
		return slot->s;
	char *d = rb__arena_strndup(a, s, n);
	if (d) {
		slot->s = d;
		slot->len = (uint32_t)n;
		slot->hash = h;
		c->inserts++;
	}
	return d;
}

void rb__arena_intern_done(rb__arena *a)
{
	rb__free(a->mem, a->intern);
	a->intern = NULL;
}

/*
 * The fast path of rb__arena_printf: formats made only of text, %s, %c, %%,
 * %u, %d, %zu, %zd, %lu, %ld, %llu, %lld and %.*s are formatted here, in one
 * pass into a small buffer (two for long results), without vsnprintf: the
 * translator builds names and keys this way for every route rule (bench/: it
 * was the largest cost of a translation). Any other format goes to
 * vsnprintf.
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

/* fmt_run's result for a format it does not handle (vsnprintf then does). */
#define FMT_UNSUPPORTED SIZE_MAX

/*
 * One pass: the formatted length, or FMT_UNSUPPORTED; the bytes that fit are
 * written to out[0, cap) (no NUL).
 */
static size_t fmt_run(char *out, size_t cap, const char *fmt, va_list ap)
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
			return FMT_UNSUPPORTED;
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
		if (len < cap)
			memcpy(out + len, piece, n < cap - len ? n : cap - len);
		len += n;
	}
	return len;
}

char *rb__arena_vprintf(rb__arena *a, const char *fmt, va_list args)
{
	va_list ap;
	/* The usual case: one pass into a small buffer, then one exact copy. */
	char small[256];
	va_copy(ap, args);
	size_t n = fmt_run(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < sizeof small)
		return rb__arena_strndup(a, small, n);
	if (n != FMT_UNSUPPORTED) {
		/* Longer: the length is known, a second pass writes the bytes. */
		char *d = n < SIZE_MAX ? str_alloc(a, n + 1) : NULL;
		if (!d)
			return NULL;
		va_copy(ap, args);
		fmt_run(d, n + 1, fmt, ap);
		va_end(ap);
		d[n] = '\0';
		return d;
	}
	va_copy(ap, args);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return NULL;
	char *d = str_alloc(a, (size_t)len + 1);
	if (!d)
		return NULL;
	va_copy(ap, args);
	vsnprintf(d, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return d;
}

char *rb__arena_join3(rb__arena *a, const char *x, const char *y, const char *z, char sep,
                      size_t *len)
{
	size_t lx = strlen(x), ly = strlen(y), lz = strlen(z);
	char *k = rb__arena_alloc(a, lx + ly + lz + 3);
	if (!k)
		return NULL;
	memcpy(k, x, lx);
	k[lx] = sep;
	memcpy(k + lx + 1, y, ly);
	k[lx + 1 + ly] = sep;
	memcpy(k + lx + ly + 2, z, lz + 1);
	*len = lx + ly + lz + 2;
	return k;
}

char *rb__arena_cat(rb__arena *a, const char *const *parts, size_t n, size_t *len)
{
	enum { MAX_PARTS = 16 };
	size_t lens[MAX_PARTS], total = 0;
	if (n > MAX_PARTS)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		lens[i] = parts[i] ? strlen(parts[i]) : 0;
		if (!rb__add_size(total, lens[i], &total))
			return NULL;
	}
	size_t bytes;
	char *d = rb__add_size(total, 1, &bytes) ? str_alloc(a, bytes) : NULL;
	if (!d)
		return NULL;
	char *o = d;
	for (size_t i = 0; i < n; i++) {
		if (lens[i])
			memcpy(o, parts[i], lens[i]);
		o += lens[i];
	}
	*o = '\0';
	if (len)
		*len = total;
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
	rb__arena_mark m = {a->head, a->head ? (size_t)(a->pos - a->head->data) : 0};
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
	set_head(a, a->head);
	/* The cache may point at released strings. */
	rb__arena_intern_done(a);
}
