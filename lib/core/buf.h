/* A growable byte buffer on the context allocator. */
#ifndef RB_CORE_BUF_H
#define RB_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"

typedef struct rb__buf {
	const rb__mem *mem;
	char *data;
	size_t len;
	size_t cap;
	bool failed; /* an allocation failed: further appends are ignored */
} rb__buf;

void rb__buf_init(rb__buf *b, const rb__mem *mem);
void rb__buf_free(rb__buf *b);
bool rb__buf_reserve(rb__buf *b, size_t extra);
bool rb__buf_append(rb__buf *b, const void *p, size_t n);
bool rb__buf_puts(rb__buf *b, const char *s);
bool rb__buf_putc(rb__buf *b, char c);
bool rb__buf_put_u64(rb__buf *b, uint64_t v);
bool rb__buf_put_i64(rb__buf *b, int64_t v);
/* Hand the bytes over, NUL-terminated; the buffer is left empty. NULL on failure. */
char *rb__buf_take(rb__buf *b, size_t *len);

/* Decimal digits of v into out (at least 21 bytes); returns the length. No locale. */
size_t rb__fmt_u64(char *out, uint64_t v);
size_t rb__fmt_i64(char *out, int64_t v);

#endif
