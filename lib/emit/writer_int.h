/*
 * Private to lib/emit/writer*.c: the writer's state, shared by the common
 * state machine (writer.c) and the three back ends (writer_yaml.c,
 * writer_json.c, writer_pickle.c). Not for use outside lib/emit.
 */
#ifndef RB_EMIT_WRITER_INT_H
#define RB_EMIT_WRITER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <yaml.h>

#include "core/utf8.h"
#include "emit/writer.h"

/* Bytes collected before the sink is called (the last chunk may be shorter). */
#define RB_W_CHUNK ((size_t)64 * 1024)

enum { W_MAP = 1, W_SEQ = 2 };

typedef struct w_frame {
	unsigned char kind; /* W_MAP or W_SEQ */
	bool flow;          /* effective: requested flow, or inside a flow collection */
	bool want_value;    /* W_MAP: a key was written, its value is due */
	size_t count;       /* members or items written so far */
} w_frame;

/* The pickle back end's own state (writer_pickle.c). */
typedef struct rb__wp_state rb__wp_state;

struct rb__writer {
	const rb__mem *mem;
	rb_format format;
	rb_write_fn write;
	void *ud;
	int err;        /* sticky: the first error, RB_OK while none */
	bool finished;  /* rb__writer_finish ran */
	bool root_done; /* the root value is complete */
	bool sink_dead; /* the sink failed: it is never called again */
	w_frame *stack;
	size_t depth, stack_cap;
	char *out; /* RB_W_CHUNK bytes */
	size_t out_len;
	uint64_t flushes; /* times the chunk was emptied: a memo's start holds while this stays */
	bool yaml_init;
	yaml_emitter_t yaml;
	rb__wp_state *pk; /* RB_FORMAT_PICKLE */
};

/* Hand the collected bytes to the sink. false when the sink failed (err = RB_EIO). */
bool rb__w_flush(rb__writer *w);

/* Slow path of w_out: fills the chunk, flushing as it goes. */
bool rb__w_out_slow(rb__writer *w, const char *p, size_t n);

/* Append bytes to the output chunk. false once the sink has failed. */
static inline bool w_out(rb__writer *w, const char *p, size_t n)
{
	if (n <= RB_W_CHUNK - w->out_len) {
		memcpy(w->out + w->out_len, p, n);
		w->out_len += n;
		return true;
	}
	return rb__w_out_slow(w, p, n);
}

/*
 * Classify a string: 1 when it may be written plain in YAML, 0 when it must be
 * double-quoted, -1 when it is not valid UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF).
 */
int rb__yaml_classify(const char *s, size_t n);

/* Length of the valid UTF-8 sequence at p (1..4), 0 when invalid. p[0] >= 0x80. */


/* True when text is a JSON number token: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
bool rb__json_number_ok(const char *s, size_t n);
/* True when text is a YAML 1.2 core-schema int or float token. */
bool rb__yaml_number_ok(const char *s, size_t n);

/* Back ends. Each returns RB_OK or an error (the caller makes it sticky). */
int rb__wy_init(rb__writer *w);
void rb__wy_free(rb__writer *w);
int rb__wy_finish(rb__writer *w);
int rb__wy_coll_begin(rb__writer *w, bool map, bool flow);
int rb__wy_coll_end(rb__writer *w, bool map);
/* A scalar: quoted decides double-quoted versus plain (already checked). */
int rb__wy_scalar(rb__writer *w, const char *s, size_t n, bool plain);

/* JSON: separator and indentation before a key (maps) or an item (sequences). */
int rb__wj_begin_member(rb__writer *w);
int rb__wj_coll_begin(rb__writer *w, bool map);
int rb__wj_coll_end(rb__writer *w, bool map);
int rb__wj_string(rb__writer *w, const char *s, size_t n);
/*
 * The separator and indentation rb__wj_begin_member would write now, as a
 * pointer to static bytes; false when it would take more than one copy.
 */
static inline bool rb__wj_sep(const rb__writer *w, const char **p, size_t *n)
{
	/* ",\n" and 2 spaces per level. */
	static const char sep_nl[] = ",\n                                "
	                             "                                ";
	const w_frame *t = &w->stack[w->depth - 1];
	if (t->flow) {
		*p = ", ";
		*n = t->count ? 2 : 0;
		return true;
	}
	if (w->depth * 2 + 2 > sizeof sep_nl - 1)
		return false;
	size_t skip = t->count ? 0 : 1; /* the first member has no comma */
	*p = sep_nl + skip;
	*n = 2 - skip + w->depth * 2;
	return true;
}
/* A key and its ": ". */
int rb__wj_key(rb__writer *w, const char *s, size_t n);
int rb__wj_raw(rb__writer *w, const char *s, size_t n);
int rb__wj_finish(rb__writer *w);

/*
 * Pickle. The chunk holds one frame (and, first, PROTO): rb__w_flush seals
 * it before sending the chunk and opens the next one after.
 */
int rb__wp_init(rb__writer *w);
void rb__wp_free(rb__writer *w);
void rb__wp_seal(rb__writer *w);
void rb__wp_frame_open(rb__writer *w);
int rb__wp_finish(rb__writer *w);
int rb__wp_coll_begin(rb__writer *w, bool map);
/* MARK, before the first member of a collection. */
int rb__wp_mark(rb__writer *w);
/* SETITEMS / APPENDS after the last of `count` members (nothing when none). */
int rb__wp_coll_end(rb__writer *w, bool map, size_t count);
int rb__wp_string(rb__writer *w, const char *s, size_t n);
/* A key, memoized; plain: printable ASCII (no UTF-8 check needed). */
int rb__wp_key(rb__writer *w, const char *key, size_t n, bool plain);
int rb__wp_uint(rb__writer *w, uint64_t v);
int rb__wp_int(rb__writer *w, int64_t v);
int rb__wp_bool(rb__writer *w, bool v);
int rb__wp_null(rb__writer *w);
/* rb__w_number's text: an int, a float or a string, as json.loads reads the JSON back end's. */
int rb__wp_number(rb__writer *w, const char *text, size_t n);

#endif
