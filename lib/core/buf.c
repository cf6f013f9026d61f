/* A growable byte buffer on the context allocator. */
#include "core/buf.h"

#include <string.h>

#include "core/strutil.h"

void rb__buf_init(rb__buf *b, const rb__mem *mem)
{
	b->mem = mem;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}

void rb__buf_free(rb__buf *b)
{
	rb__free(b->mem, b->data);
	rb__buf_init(b, b->mem);
}

bool rb__buf_reserve(rb__buf *b, size_t extra)
{
	if (b->failed)
		return false;
	size_t need;
	if (!rb__add_size(b->len, extra, &need) || !rb__add_size(need, 1, &need)) {
		b->failed = true;
		return false;
	}
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need) {
		if (!rb__mul_size(cap, 2, &cap)) {
			cap = need;
			break;
		}
	}
	char *d = rb__realloc(b->mem, b->data, cap);
	if (!d) {
		b->failed = true;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

bool rb__buf_append(rb__buf *b, const void *p, size_t n)
{
	if (!rb__buf_reserve(b, n))
		return false;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return true;
}

bool rb__buf_puts(rb__buf *b, const char *s)
{
	return rb__buf_append(b, s, strlen(s));
}

bool rb__buf_putc(rb__buf *b, char c)
{
	if (!rb__buf_reserve(b, 1))
		return false;
	b->data[b->len++] = c;
	return true;
}

/* "00" to "99": two digits per division. */
static const char DIGIT_PAIRS[] = "0001020304050607080910111213141516171819"
                                  "2021222324252627282930313233343536373839"
                                  "4041424344454647484950515253545556575859"
                                  "6061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

size_t rb__fmt_u64(char *out, uint64_t v)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, DIGIT_PAIRS + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, DIGIT_PAIRS + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	size_t n = (size_t)(tmp + sizeof tmp - p);
	rb__copy_short(out, p, n);
	out[n] = '\0';
	return n;
}

size_t rb__fmt_i64(char *out, int64_t v)
{
	if (v < 0) {
		out[0] = '-';
		/* -(v+1)+1 avoids overflow on INT64_MIN */
		return 1 + rb__fmt_u64(out + 1, (uint64_t)(-(v + 1)) + 1u);
	}
	return rb__fmt_u64(out, (uint64_t)v);
}

bool rb__buf_put_u64(rb__buf *b, uint64_t v)
{
	char tmp[24];
	size_t n = rb__fmt_u64(tmp, v);
	return rb__buf_append(b, tmp, n);
}

bool rb__buf_put_i64(rb__buf *b, int64_t v)
{
	char tmp[24];
	size_t n = rb__fmt_i64(tmp, v);
	return rb__buf_append(b, tmp, n);
}

char *rb__buf_take(rb__buf *b, size_t *len)
{
	if (!rb__buf_reserve(b, 0)) {
		rb__buf_free(b);
		return NULL;
	}
	b->data[b->len] = '\0';
	char *d = b->data;
	if (len)
		*len = b->len;
	rb__buf_init(b, b->mem);
	return d;
}
