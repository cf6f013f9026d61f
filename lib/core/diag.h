/*
 * Diagnostics: input errors as data, with source, line, column (code
 * points), byte offset and JSON-pointer path (docs/conventions.md, Errors and diagnostics).
 */
#ifndef RB_CORE_DIAG_H
#define RB_CORE_DIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/vec.h"
#include "rebalance/errors.h"

struct rb_diag {
	int code;
	const char *source;
	uint32_t line;   /* 1-based, 0 = unknown */
	uint32_t column; /* 1-based code points, 0 = unknown */
	uint64_t offset;
	const char *path;    /* "" when none */
	const char *message;
};

/* A list of diagnostics whose strings live in `arena`. */
typedef struct rb__diags {
	const rb__mem *mem;
	rb__arena *arena;
	rb__vec items; /* of rb_diag * */
	bool lost;     /* a diagnostic could not be recorded (allocation failure): the
	                  caller reports RB_ENOMEM rather than a vaguer error */
} rb__diags;

void rb__diags_init(rb__diags *d, const rb__mem *mem, rb__arena *arena);
void rb__diags_free(rb__diags *d);
static inline size_t rb__diags_count(const rb__diags *d)
{
	return d->items.len;
}
static inline const rb_diag *rb__diags_at(const rb__diags *d, size_t i)
{
	return i < d->items.len ? RB_VEC_AT(&d->items, rb_diag *, i) : NULL;
}

/* Record a diagnostic; the message is printf-formatted (integers and strings only). */
rb_diag *rb__diag_add(rb__diags *d, int code, const char *source, uint32_t line, uint32_t column,
                      uint64_t offset, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

#endif
