/*
 * The node builder shared by the YAML and JSON loaders (private to load/).
 *
 * Both loaders turn their input into the same calls, in document order:
 *
 *     doc_begin  (begin (scalar | begin ... end)* end | scalar)  doc_end
 *
 * where, inside a mapping, scalars and collections alternate between key
 * position and value position (a collection in key position is an error).
 * The builder owns the scratch arena and knows every document-level rule of
 * load.h: node, depth and scalar limits, duplicate keys, layout recognition
 * (testdata keys, kind: List, a single object, a root sequence), and the
 * hand-off of each complete object to the sink followed by the release of
 * its nodes (arena mark before the object, rewind after the sink returns).
 *
 * Every function returns RB_OK or an error code; after an error every later
 * call returns the same code and the sink is never called again.
 */
#ifndef RB_LOAD_BUILDER_H
#define RB_LOAD_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/vec.h"
#include "load/load.h"
#include "load/node.h"

/* Where an event starts: 1-based line, 1-based column in code points, byte offset. */
typedef struct rb__ld_loc {
	uint32_t line;
	uint32_t column;
	uint64_t offset;
} rb__ld_loc;

/* An open collection (the builder's own; here so that rb__ld_want_key is inline). */
typedef struct ld_frame {
	rb__node *node;
	size_t first;  /* index in b->pending of the first child */
	size_t kfirst; /* index in b->keys of the first key (mappings) */
	size_t count;  /* children made so far (for streams: items handed over) */
	size_t *dup;   /* open-addressing table of key indexes + 1, once big */
	size_t dup_cap;
	const char *lkey;    /* stream: the layout key of its items; object: its own */
	rb__arena_mark mark; /* object: the arena before its first node */
	uint8_t role;
	uint8_t key_role;
	bool object; /* handed to the sink when complete, then released */
	bool have_key;
	bool key_merge; /* the pending key is YAML's merge key (merge.h) */
	bool has_merge; /* a member of this mapping is a merge */
	const char *key; /* the pending key (mappings) */
	size_t key_len;
	const struct rb__layout_key *key_lk;
} ld_frame;

typedef struct rb__ld {
	const char *source;
	const rb__limits *limits;
	const rb__mem *mem;
	rb__diags *diags;
	const rb__sink *sink;
	rb__arena arena;    /* scratch: nodes of the current document */
	rb__vec frames;     /* open collections (private ld_frame) */
	ld_frame *top;      /* the innermost open collection (the last of frames), NULL: none */
	rb__vec pending;    /* children of open collections (rb__node *) */
	rb__vec keys;       /* keys of open mappings (private ld_key) */
	uint64_t nodes;     /* nodes made so far in this buffer */
	uint64_t documents; /* documents begun so far */
	int err;            /* sticky: the first error */
	bool raw;           /* no layout rules: hand each document root over whole */
	bool yaml;          /* the YAML loader: every node gets from_yaml (node.h) */

	/* The current document. */
	bool in_doc;
	rb__arena_mark doc_mark;
	rb__node *root;            /* the root once complete, NULL for an empty document */
	bool has_kind;             /* the root mapping has a kind */
	bool kind_list;            /* ... ending in "List" */
	const char *kind;          /* its text (NULL when not a scalar) */
	const char *td_key;        /* the first testdata key, as written */
	bool items_streamed;       /* "items" came before the kind and is being streamed */
	const rb__node *items_bad; /* "items" that is neither a sequence nor null */
} rb__ld;

/*
 * Normalise the parameters of rb__load_yaml/json into *out (default limits
 * and allocator when NULL, stored in *limits and *mem) and check the input
 * size: RB_OK or RB_ELIMIT (with a diagnostic).
 */
int rb__ld_prepare(rb__load_params *out, const rb__load_params *in, rb__limits *limits,
                   rb__mem *mem);

void rb__ld_init(rb__ld *b, const rb__load_params *p, const rb__sink *sink);
void rb__ld_free(rb__ld *b);

int rb__ld_doc_begin(rb__ld *b, rb__ld_loc loc);
int rb__ld_doc_end(rb__ld *b);
/* A mapping or sequence starts (kind is RB_NODE_MAP or RB_NODE_SEQ). */
int rb__ld_begin(rb__ld *b, rb__node_kind kind, rb__ld_loc loc);
/* The innermost open collection ends. */
int rb__ld_end(rb__ld *b);
/*
 * A scalar: a key in key position, else a value. The text is copied.
 * flags: RB_LD_NO_NUL when the caller knows the text has no NUL byte (the
 * loader refused every way one could get in), so the builder need not look
 * for one.
 */
enum {
	RB_LD_NO_NUL = 1,
	/* A key that is YAML's merge key: a plain `<<` (merge.h). */
	RB_LD_MERGE_KEY = 2
};
int rb__ld_scalar_flags(rb__ld *b, const char *text, size_t len, rb__scalar_type type,
                        rb__ld_loc loc, unsigned flags);
/*
 * rb__ld_scalar_flags for a caller that knows where the scalar goes (from
 * rb__ld_want_key, nothing called in between): a mapping key, or a value (an
 * item, a member's value or a document root). Each does exactly what
 * rb__ld_scalar_flags does there.
 */
int rb__ld_key(rb__ld *b, const char *text, size_t len, rb__ld_loc loc, unsigned flags);
int rb__ld_value(rb__ld *b, const char *text, size_t len, rb__scalar_type type, rb__ld_loc loc,
                 unsigned flags);
/* The next scalar is a mapping key (its type does not matter then). */
static inline bool rb__ld_want_key(const rb__ld *b)
{
	const ld_frame *f = b->top;
	return f && f->node->kind == RB_NODE_MAP && !f->have_key;
}

/* The depth a new collection would have (1 for a document root). */
static inline size_t rb__ld_depth(const rb__ld *b)
{
	return b->frames.len;
}

/*
 * Record an error located at loc, with the path of the node that would be
 * made next (the path of the innermost open collection and the pending key
 * or index). Returns code, which becomes the sticky error.
 */
int rb__ld_fail(rb__ld *b, int code, rb__ld_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error at a complete node (its own location and path). Returns code, which becomes
 * the sticky error. */
int rb__ld_fail_node(rb__ld *b, int code, const rb__node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error with no path (syntax errors). Returns code, which becomes the sticky error. */
int rb__ld_fail_nopath(rb__ld *b, int code, rb__ld_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* How many bytes of s (n bytes) to show in a message: at most max, cut at a code point. */
size_t rb__ld_clip(const char *s, size_t n, size_t max);

#endif
