/*
 * A streaming structured writer with two back ends: YAML (libyaml's
 * emitter, width -1, explicit scalar styles) and JSON (our own). Whoever
 * serializes something (the IR, a node tree, explain, xds) calls the same
 * functions, so YAML and JSON always carry the same keys in the same order.
 *
 * Layout: block collections one entry per line; "flow" collections (the small
 * leaf objects of SPEC.md R.3 such as endpoints) on one line, in YAML as
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
/* A key and its string value: rb__w_keyn then rb__w_strn, in one call. */
int rb__w_kv_strn(rb__writer *w, const char *key, size_t klen, const char *s, size_t n);
/* Inline, so that the length of a literal is known when compiling. */
static inline int rb__w_key(rb__writer *w, const char *key)
{
	return rb__w_keyn(w, key, key ? __builtin_strlen(key) : 0);
}
static inline int rb__w_str(rb__writer *w, const char *s)
{
	return rb__w_strn(w, s, s ? __builtin_strlen(s) : 0);
}
static inline int rb__w_kv_str(rb__writer *w, const char *key, const char *s)
{
	return rb__w_kv_strn(w, key, key ? __builtin_strlen(key) : 0, s, s ? __builtin_strlen(s) : 0);
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

/*
 * Writing a value again: a value written many times (an endpoint table
 * shared by the settings of every rule that uses the Service) is rendered
 * once, then copied. Only the JSON back end can (rb__w_can_replay): the YAML
 * one's emitter keeps its own state. rb__w_capture_begin before a mapping's
 * value returns a token; rb__w_capture_end after the value gives the bytes
 * it took, valid until the next writer call, or NULL when they cannot be
 * given (YAML, an error, or the output chunk went to the sink in between).
 * rb__w_replay writes such bytes as the value of the current key: the same
 * bytes as writing that value again at the same depth (rb__w_depth), which
 * is the caller's to ensure.
 */
bool rb__w_can_replay(const rb__writer *w);
size_t rb__w_capture_begin(rb__writer *w);
const char *rb__w_capture_end(rb__writer *w, size_t token, size_t *n);
int rb__w_replay(rb__writer *w, const char *bytes, size_t n);
/* Open collections (0 at the root). */
size_t rb__w_depth(const rb__writer *w);
/* The writer's allocator (for serializers' own state). */
const rb__mem *rb__w_mem(const rb__writer *w);

/* True when s (n bytes) may be written as a plain YAML scalar (see above). */
bool rb__yaml_plain_ok(const char *s, size_t n);

#endif
