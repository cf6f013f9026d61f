/*
 * A streaming structured writer with two back ends: YAML (libyaml's
 * emitter, width -1, explicit scalar styles) and JSON (our own). Whoever
 * serializes something (the IR, a node tree, explain, xds) calls the same
 * functions, so YAML and JSON always carry the same keys in the same order.
 *
 * Layout: block collections one entry per line; "flow" collections (the small
 * leaf objects of docs/ir.md such as endpoints) on one line, in YAML as
 * `{host: 7.7.7.7, port: 8080}` and in JSON as `{"host": "7.7.7.7", "port": 8080}`.
 * Indentation 2 spaces; LF line endings; a final newline; deterministic bytes.
 *
 * YAML scalar styles: a string is written plain only when it would read back
 * as the same string under both YAML 1.1 and 1.2 rules (not null/bool/int/
 * float/timestamp-like, not empty, no leading/trailing space, no indicator or
 * character that libyaml would refuse in plain style); otherwise it is
 * double-quoted (never single-quoted, never a block scalar; line breaks are
 * written as escapes, so every scalar is one line). The same rule applies to
 * keys. Text must be valid UTF-8 (RB_EINVAL otherwise, in both back ends).
 * The exact rule, as a table, is in writer_yaml.c ("scalar analysis").
 *
 * Errors are sticky: after the first failure every call returns the same
 * error code, and rb__writer_finish returns it. Return values: RB_OK,
 * RB_ENOMEM, RB_EIO (the sink returned non-zero; it is not called again),
 * RB_EINVAL (misuse: a key outside a mapping, a value where a key is expected,
 * an unbalanced end, a second root value, a call after finish, finish with
 * collections left open or no root; or text that is not valid UTF-8).
 *
 * Output goes to the sink in chunks of 64 KiB, and the rest at finish.
 */
#ifndef RB_EMIT_WRITER_H
#define RB_EMIT_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"
#include "rebalance/output.h"

typedef struct rb__writer rb__writer;

/* Return from the enclosing function when a writer call fails (errors are sticky). */
#define RB_TRY(expr)              \
	do {                          \
		int rc_ = (expr);         \
		if (rc_)                  \
			return rc_;           \
	} while (0)

/* One document per writer: the first value written is the root. */
int rb__writer_new(rb__writer **out, const rb__mem *mem, rb_format format, rb_write_fn write,
                   void *ud);
/* Flush and check: returns the sticky error, or RB_EINVAL when collections are left open. */
int rb__writer_finish(rb__writer *w);
void rb__writer_free(rb__writer *w);

int rb__w_map_begin(rb__writer *w, bool flow);
int rb__w_map_end(rb__writer *w);
int rb__w_seq_begin(rb__writer *w, bool flow);
int rb__w_seq_end(rb__writer *w);
/* A key of n bytes (may contain NUL); any text, quoted by the same rule as values. */
int rb__w_keyn(rb__writer *w, const char *key, size_t n);
int rb__w_strn(rb__writer *w, const char *s, size_t n);
/*
 * The bytes of x that are not printable ASCII other than '"' and '\\' (the
 * lowest one flagged exactly, so 0 exactly when there is none).
 */
static inline __attribute__((always_inline)) uint64_t rb__w_bad8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
	return (((x - ones * 0x20) & ~x)  /* a byte below 0x20 */
	        | (x + ones) | x          /* 0x7F (DEL) or above */
	        | ((q - ones) & ~q)       /* '"' */
	        | ((b - ones) & ~b)) &    /* '\\' */
	       high;
}

/*
 * True when s[0, n) is printable ASCII other than '"' and '\\': JSON writes it
 * as is. Word tests only (the last word overlaps the one before, a short
 * text is spread over one word), so that the compiler works it out for a
 * literal: the keys of the IR are never checked at run time.
 */
static inline __attribute__((always_inline)) bool rb__w_plain_ascii(const char *s, size_t n)
{
	uint64_t x;
	if (n >= 8) {
		size_t last = n - 8;
		for (size_t i = 0; i < last; i += 8) {
			__builtin_memcpy(&x, &s[i], 8);
			if (rb__w_bad8(x))
				return false;
		}
		__builtin_memcpy(&x, &s[last], 8);
		return !rb__w_bad8(x);
	}
	if (n >= 4) {
		uint32_t a, z;
		__builtin_memcpy(&a, s, 4);
		__builtin_memcpy(&z, &s[n - 4], 4);
		return !rb__w_bad8((uint64_t)a | (uint64_t)z << 32);
	}
	if (n == 0)
		return true;
	/* 1 to 3 bytes: the first, middle and last, each repeated. */
	x = 0x0101010101010101ull * (unsigned char)s[0];
	x = (x & ~0xFFFF00ull) | (uint64_t)(unsigned char)s[n / 2] << 8 |
	    (uint64_t)(unsigned char)s[n - 1] << 16;
	return !rb__w_bad8(x);
}

/* One member of a flow mapping written in one call (rb__w_flow_map). */
typedef enum rb__w_ftype {
	RB_WF_STR = 1,  /* s: a string */
	RB_WF_UINT = 2, /* u */
	RB_WF_INT = 3,  /* i */
	RB_WF_TRUE = 4, /* the boolean true */
	RB_WF_FALSE = 5 /* the boolean false */
} rb__w_ftype;
typedef struct rb__w_field {
	const char *key; /* NUL-terminated */
	size_t key_len;  /* strlen(key) */
	rb__w_ftype type;
	const char *s; /* RB_WF_STR: NUL-terminated */
	uint64_t u;
	int64_t i;
	/* rb__w_plain_ascii(key, key_len) as the caller worked it out (for a literal
	 * key, the compiler does); false: the writer looks. */
	bool key_plain;
} rb__w_field;
/*
 * A flow mapping of scalars as one value: rb__w_map_begin(w, true), the n
 * keys and values, rb__w_map_end. In JSON, when every key and string is
 * plain ASCII and the whole fits in the chunk, it goes out in one copy.
 */
int rb__w_flow_map(rb__writer *w, const rb__w_field *f, size_t n);
/*
 * rb__w_keyn, told rb__w_plain_ascii(key, n) by the caller (false: the writer
 * looks), so that a literal key is not looked at again.
 */
int rb__w_key_known(rb__writer *w, const char *key, size_t n, bool plain);
/*
 * The JSON text of a mapping member's value, kept to be written again: a
 * value the IR shares among many objects (one copy of equal conditions,
 * listeners, knobs, parentRefs: rb__arena_share) comes out byte for byte the
 * same at the same depth. The caller names the value by the address of what
 * it writes and a number (an item count, or a second address): only while
 * what they name never changes (the IR being written) is the memo sound.
 * Other formats keep nothing and write every value.
 */
typedef struct rb__w_memo {
	const void *key; /* the value written (NULL: nothing kept) */
	size_t n;        /* the number that goes with it */
	size_t depth;    /* the writer's depth, and its mapping's flow flag, when it was written */
	bool flow;
	size_t len;
	char text[1024];
} rb__w_memo;
typedef struct rb__w_memo_start {
	size_t pos;
	uint64_t flushes;
	size_t depth;
} rb__w_memo_start;
/* After a key: the kept text, when it is the value of (key, n) here; true when written. */
bool rb__w_memo_put(rb__writer *w, const rb__w_memo *m, const void *key, size_t n);
/* After a key, before its value: where the value starts. */
rb__w_memo_start rb__w_memo_begin(const rb__writer *w);
/* After the value (written from s on): kept in m as the value of (key, n), when all of it is
 * still in the output chunk and fits. */
void rb__w_memo_keep(const rb__writer *w, rb__w_memo *m, rb__w_memo_start s, const void *key,
                     size_t n);
/* A key and its string value: rb__w_keyn then rb__w_strn, in one call (key_plain as above). */
int rb__w_kv_strn(rb__writer *w, const char *key, size_t klen, bool key_plain, const char *s,
                  size_t n);
/* Inline, so that the length and plainness of a literal are known when compiling. */
static inline __attribute__((always_inline)) int rb__w_key(rb__writer *w, const char *key)
{
	if (!key)
		return rb__w_keyn(w, key, 0);
	size_t n = __builtin_strlen(key);
	return rb__w_key_known(w, key, n, rb__w_plain_ascii(key, n));
}
static inline int rb__w_str(rb__writer *w, const char *s)
{
	return rb__w_strn(w, s, s ? __builtin_strlen(s) : 0);
}
static inline __attribute__((always_inline)) int rb__w_kv_str(rb__writer *w, const char *key,
                                                              const char *s)
{
	size_t klen = key ? __builtin_strlen(key) : 0;
	return rb__w_kv_strn(w, key, klen, key && rb__w_plain_ascii(key, klen), s,
	                     s ? __builtin_strlen(s) : 0);
}
int rb__w_uint(rb__writer *w, uint64_t v);
int rb__w_int(rb__writer *w, int64_t v);
int rb__w_bool(rb__writer *w, bool v);
int rb__w_null(rb__writer *w);
/*
 * A number given as its token text (a node's INT or FLOAT text). YAML: plain
 * when the text is a YAML 1.2 core int or float (`1.5`, `-3`, `1e3`, `.inf`),
 * else a string. JSON: a number when the text is valid JSON number syntax,
 * else a string (so `.inf`, `.nan`, `+1`, `1.`, `0x1F` come out as JSON
 * strings: JSON has no spelling for them).
 */
int rb__w_number(rb__writer *w, const char *text, size_t n);


/* True when s (n bytes) may be written as a plain YAML scalar (see above). */
bool rb__yaml_plain_ok(const char *s, size_t n);

#endif
