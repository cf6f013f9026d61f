/*
 * The node builder shared by the YAML and JSON loaders: nodes from events,
 * limits, and the hand-off of each finished object.
 */
#include "load/builder.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/map.h"
#include "core/strutil.h"
#include "load/layout.h"
#include "load/merge.h"
#include "load/text.h"

/* What a collection is for. */
enum {
	ROLE_PLAIN = 0,    /* an ordinary node, kept in its parent */
	ROLE_ROOT_MAP = 1, /* the root mapping: layout recognition on its keys */
	ROLE_STREAM = 2    /* a sequence whose items are objects handed to the sink */
};

/* What the pending key of the root mapping means. */
enum { KR_NORMAL = 0, KR_LIST, KR_SINGLE, KR_KIND, KR_ITEMS };

/* Mappings up to this many keys look for duplicates linearly; bigger ones hash. */
enum { DUP_LINEAR = 8 };

typedef struct ld_key {
	const char *text;
	size_t len;
	uint32_t line;
} ld_key;

/* ld_frame: builder.h (rb__ld_want_key reads it inline). */

void rb__ld_init(rb__ld *b, const rb__load_params *p, const rb__sink *sink)
{
	memset(b, 0, sizeof(*b));
	b->source = p->source;
	b->limits = p->limits;
	b->mem = p->mem;
	b->diags = p->diags;
	b->sink = sink;
	b->raw = p->raw;
	rb__arena_init(&b->arena, p->mem);
	b->frames = (rb__vec)RB_VEC_INIT;
	b->pending = (rb__vec)RB_VEC_INIT;
	b->keys = (rb__vec)RB_VEC_INIT;
}

int rb__ld_prepare(rb__load_params *out, const rb__load_params *in, rb__limits *limits,
                   rb__mem *mem)
{
	*out = *in;
	if (!out->limits) {
		rb__limits_default(limits);
		out->limits = limits;
	}
	if (!out->mem) {
		rb__mem_default(mem);
		out->mem = mem;
	}
	if (!out->buf)
		out->len = 0;
	if ((uint64_t)out->len > out->limits->input_bytes) {
		/* Located at the first byte past the limit. */
		const unsigned char *s = out->buf;
		bool json = out->format == RB_FMT_JSON;
		if (out->format == RB_FMT_AUTO) {
			size_t i = rb__has_bom(s, out->len) ? 3 : 0;
			while (i < out->len &&
			       (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
				i++;
			json = i < out->len && (s[i] == '{' || s[i] == '[');
		}
		rb__ld_loc loc = rb__text_loc(s, out->len, (size_t)out->limits->input_bytes, !json);
		rb__diag_add(out->diags, RB_ELIMIT, out->source, loc.line, loc.column, loc.offset, "",
		             "input is larger than the limit of %" PRIu64 " bytes",
		             out->limits->input_bytes);
		return RB_ELIMIT;
	}
	return RB_OK;
}

void rb__ld_free(rb__ld *b)
{
	rb__arena_free(&b->arena);
	rb__vec_free(b->mem, &b->frames);
	rb__vec_free(b->mem, &b->pending);
	rb__vec_free(b->mem, &b->keys);
}

static ld_frame *top(rb__ld *b)
{
	return b->top;
}

size_t rb__ld_clip(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* Fill n as the next node of the innermost collection f (NULL: the document root). */
static inline __attribute__((always_inline)) void place(rb__ld *b, rb__node *n,
                                                        const ld_frame *f, rb__node_kind kind,
                                                        rb__ld_loc loc)
{
	/* Every field, without clearing the node first (the value union is the caller's). */
	n->kind = (uint8_t)kind;
	n->stype = 0;
	n->from_yaml = b->yaml;
	n->merge = 0;
	n->line = loc.line;
	n->column = loc.column;
	n->offset = loc.offset;
	n->parent = f ? f->node : NULL;
	n->key = NULL;
	n->key_len = 0;
	n->index = 0;
	n->coll.items = NULL;
	n->coll.count = 0;
	if (!f)
		return;
	if (f->node->kind == RB_NODE_MAP) {
		n->key = f->key;
		n->key_len = f->key_len;
		n->merge = f->key_merge;
	} else {
		n->index = f->count;
	}
}

static int vfail(rb__ld *b, int code, rb__ld_loc loc, bool with_path, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static int vfail(rb__ld *b, int code, rb__ld_loc loc, bool with_path, const char *fmt, va_list ap)
{
	if (b->err)
		return b->err;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	const char *path = "";
	if (with_path) {
		ld_frame *f = top(b);
		if (f) {
			rb__node tmp;
			place(b, &tmp, f, RB_NODE_SCALAR, loc);
			/* A key in key position: the problem is in the mapping itself. */
			const rb__node *at =
			    (f->node->kind == RB_NODE_MAP && !f->have_key) ? f->node : &tmp;
			if (!at->parent)
				at = NULL;
			if (at)
				path = rb__node_path(at, b->diags->arena);
		}
	}
	rb__diag_add(b->diags, code, b->source, loc.line, loc.column, loc.offset, path ? path : "",
	             "%s", msg);
	b->err = code;
	return code;
}

int rb__ld_fail(rb__ld *b, int code, rb__ld_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(b, code, loc, true, fmt, ap);
	va_end(ap);
	return rc;
}

int rb__ld_fail_nopath(rb__ld *b, int code, rb__ld_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(b, code, loc, false, fmt, ap);
	va_end(ap);
	return rc;
}

int rb__ld_fail_node(rb__ld *b, int code, const rb__node *n, const char *fmt, ...)
{
	if (b->err)
		return b->err;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const char *path = n->parent ? rb__node_path(n, b->diags->arena) : "";
	rb__diag_add(b->diags, code, b->source, n->line, n->column, n->offset, path ? path : "",
	             "%s", msg);
	b->err = code;
	return code;
}

static int nomem(rb__ld *b)
{
	if (!b->err)
		b->err = RB_ENOMEM;
	return b->err;
}

/* A human name for what a node of this kind and type would be. */
static const char *type_name(rb__node_kind kind, rb__scalar_type type)
{
	rb__node tmp;
	memset(&tmp, 0, sizeof tmp);
	tmp.kind = (uint8_t)kind;
	tmp.stype = (uint8_t)type;
	return rb__node_type_name(&tmp);
}

static int count_node(rb__ld *b, rb__ld_loc loc)
{
	if (++b->nodes > b->limits->nodes)
		return rb__ld_fail(b, RB_ELIMIT, loc, "more than %" PRIu64 " nodes",
		                   b->limits->nodes);
	return RB_OK;
}

/* ---- documents ---- */

int rb__ld_doc_begin(rb__ld *b, rb__ld_loc loc)
{
	if (b->err)
		return b->err;
	if (++b->documents > b->limits->documents)
		return rb__ld_fail_nopath(b, RB_ELIMIT, loc, "more than %" PRIu64 " documents",
		                          b->limits->documents);
	b->in_doc = true;
	b->doc_mark = rb__arena_get_mark(&b->arena);
	b->root = NULL;
	b->has_kind = b->kind_list = b->items_streamed = false;
	b->kind = NULL;
	b->td_key = NULL;
	b->items_bad = NULL;
	return RB_OK;
}

static bool ends_with_list(const char *s, size_t n)
{
	return n >= 4 && memcmp(s + n - 4, "List", 4) == 0;
}

int rb__ld_doc_end(rb__ld *b)
{
	if (b->err)
		return b->err;
	int rc = RB_OK;
	rb__node *root = b->root;
	if (b->raw) {
		if (root && b->sink && b->sink->object) {
			rc = b->sink->object(b->sink->ud, root, NULL);
			if (rc)
				b->err = rc;
		}
	} else if (root && root->kind == RB_NODE_MAP) {
		if (b->has_kind && !b->kind_list && !b->td_key && !b->items_streamed) {
			if (b->sink && b->sink->object) {
				rc = b->sink->object(b->sink->ud, root, NULL);
				if (rc)
					b->err = rc;
			}
		} else if (b->has_kind && b->kind_list && b->items_bad) {
			rc = rb__ld_fail_node(
			    b, RB_EPARSE, b->items_bad,
			    "\"items\" of a List must be a sequence of objects, found %s",
			    rb__node_type_name(b->items_bad));
		} else if (!b->has_kind && !b->td_key) {
			rc = rb__ld_fail_node(
			    b, RB_EPARSE, root,
			    "expected a Kubernetes object (with apiVersion and kind) or the Envoy "
			    "Gateway testdata layout (keys such as httpRoutes, services)");
		} else if (!b->has_kind && b->items_streamed) {
			rc = rb__ld_fail_node(
			    b, RB_EPARSE, root,
			    "\"items\" needs a List kind (ending in \"List\"), found no kind");
		}
	}
	rb__arena_rewind(&b->arena, b->doc_mark);
	b->in_doc = false;
	b->root = NULL;
	return rc;
}

/* ---- duplicate keys ---- */

static ld_key *key_at(rb__ld *b, size_t i)
{
	return &RB_VEC_AT(&b->keys, ld_key, i);
}

static bool dup_insert(rb__ld *b, ld_frame *f, size_t idx)
{
	size_t mask = f->dup_cap - 1;
	const ld_key *k = key_at(b, f->kfirst + idx);
	for (size_t i = (size_t)rb__hash(&b->mem->hash_key, k->text, k->len) & mask;; i = (i + 1) & mask) {
		if (!f->dup[i]) {
			f->dup[i] = idx + 1;
			return true;
		}
	}
}

static bool dup_grow(rb__ld *b, ld_frame *f)
{
	size_t cap = f->dup_cap ? f->dup_cap * 2 : 4 * DUP_LINEAR;
	size_t *t = rb__arena_calloc(&b->arena, cap, sizeof(*t));
	if (!t)
		return false;
	f->dup = t;
	f->dup_cap = cap;
	size_t n = b->keys.len - f->kfirst;
	for (size_t i = 0; i < n; i++)
		dup_insert(b, f, i);
	return true;
}

/* The earlier key equal to (s, n) in f, or NULL. */
static const ld_key *dup_find(rb__ld *b, const ld_frame *f, const char *s, size_t n)
{
	size_t nkeys = b->keys.len - f->kfirst;
	if (!f->dup) {
		const ld_key *k = nkeys ? key_at(b, f->kfirst) : NULL;
		for (size_t i = 0; i < nkeys; i++, k++)
			if (k->len == n &&
			    (n == 0 || (k->text[0] == s[0] && rb__eq_short(k->text, s, n))))
				return k;
		return NULL;
	}
	size_t mask = f->dup_cap - 1;
	for (size_t i = (size_t)rb__hash(&b->mem->hash_key, s, n) & mask; f->dup[i]; i = (i + 1) & mask) {
		const ld_key *k = key_at(b, f->kfirst + f->dup[i] - 1);
		if (k->len == n && memcmp(k->text, s, n) == 0)
			return k;
	}
	return NULL;
}

/* ---- keys of the root mapping ---- */

static int mix_error(rb__ld *b, rb__ld_loc loc)
{
	size_t tl = strlen(b->td_key);
	if (b->kind) {
		size_t kl = strlen(b->kind);
		return rb__ld_fail(
		    b, RB_EPARSE, loc,
		    "kind \"%.*s\" cannot be mixed with testdata layout keys such as "
		    "\"%.*s\"",
		    (int)rb__ld_clip(b->kind, kl, 100), b->kind,
		    (int)rb__ld_clip(b->td_key, tl, 100), b->td_key);
	}
	return rb__ld_fail(b, RB_EPARSE, loc,
	                   "a kind cannot be mixed with testdata layout keys such as \"%.*s\"",
	                   (int)rb__ld_clip(b->td_key, tl, 100), b->td_key);
}

static int root_key(rb__ld *b, ld_frame *f, rb__ld_loc loc)
{
	const rb__layout_key *lk = rb__layout_find(f->key, f->key_len);
	f->key_lk = lk;
	if (lk) {
		f->key_role = lk->shape == RB_LAYOUT_LIST ? KR_LIST : KR_SINGLE;
		if (!b->td_key)
			b->td_key = f->key;
		if (b->has_kind && !b->kind_list)
			return mix_error(b, loc);
	} else if (f->key_len == 4 && rb__ascii_casecmp_n(f->key, "kind", 4) == 0) {
		f->key_role = KR_KIND;
	} else if (f->key_len == 5 && rb__ascii_casecmp_n(f->key, "items", 5) == 0 &&
	           (!b->has_kind || b->kind_list)) {
		f->key_role = KR_ITEMS;
	} else {
		f->key_role = KR_NORMAL;
	}
	return RB_OK;
}

/* The value of the root mapping's kind key is a scalar (text) or a collection (NULL). */
static int root_kind(rb__ld *b, const char *text, size_t len, rb__ld_loc loc)
{
	b->has_kind = true;
	b->kind = text;
	b->kind_list = text && ends_with_list(text, len);
	if (b->kind_list)
		return RB_OK;
	if (b->td_key)
		return mix_error(b, loc);
	if (b->items_streamed)
		return rb__ld_fail(
		    b, RB_EPARSE, loc,
		    "\"items\" before the kind were read as the items of a List, but kind "
		    "\"%.*s\" does not end in \"List\"",
		    text ? (int)rb__ld_clip(text, len, 100) : 0, text ? text : "");
	return RB_OK;
}

/* ---- collections and scalars ---- */

static inline __attribute__((always_inline)) int push_child(rb__ld *b, rb__node *n)
{
	if (!rb__vec_push_ptr(b->mem, &b->pending, n))
		return nomem(b);
	return RB_OK;
}

/* A child of f is complete: keep it (unless released) and move to the next position. */
static inline __attribute__((always_inline)) int child_done(rb__ld *b, ld_frame *f, rb__node *n, bool released)
{
	if (!released && f->role != ROLE_STREAM) {
		int rc = push_child(b, n);
		if (rc)
			return rc;
	}
	f->count++;
	f->have_key = false;
	f->key_merge = false;
	return RB_OK;
}

int rb__ld_begin(rb__ld *b, rb__node_kind kind, rb__ld_loc loc)
{
	if (b->err)
		return b->err;
	ld_frame *f = top(b);
	const char *kname = kind == RB_NODE_MAP ? "a mapping" : "a sequence";
	if (f && f->node->kind == RB_NODE_MAP && !f->have_key)
		return rb__ld_fail(b, RB_EPARSE, loc, "a mapping key must be a scalar, found %s",
		                   kname);
	if ((uint64_t)b->frames.len + 1 > b->limits->depth)
		return rb__ld_fail(b, RB_ELIMIT, loc, "nesting deeper than %" PRIu64 " levels",
		                   b->limits->depth);
	int rc = count_node(b, loc);
	if (rc)
		return rc;

	uint8_t role = ROLE_PLAIN;
	bool object = false;
	const char *lkey = NULL;
	if (!f) {
		if (!b->raw)
			role = kind == RB_NODE_MAP ? ROLE_ROOT_MAP : ROLE_STREAM;
	} else if (f->role == ROLE_STREAM) {
		if (kind != RB_NODE_MAP)
			return rb__ld_fail(b, RB_EPARSE, loc,
			                   "expected an object (a mapping), found %s", kname);
		object = true;
		lkey = f->lkey;
	} else if (f->role == ROLE_ROOT_MAP) {
		switch (f->key_role) {
		case KR_LIST:
			if (kind != RB_NODE_SEQ)
				return rb__ld_fail(
				    b, RB_EPARSE, loc,
				    "\"%.*s\" must be a sequence of objects, found %s",
				    (int)rb__ld_clip(f->key, f->key_len, 100), f->key, kname);
			role = ROLE_STREAM;
			lkey = f->key_lk->name;
			break;
		case KR_SINGLE:
			if (kind != RB_NODE_MAP)
				return rb__ld_fail(
				    b, RB_EPARSE, loc,
				    "\"%.*s\" must be an object (a mapping), found %s",
				    (int)rb__ld_clip(f->key, f->key_len, 100), f->key, kname);
			object = true;
			lkey = f->key_lk->name;
			break;
		case KR_KIND:
			rc = root_kind(b, NULL, 0, loc);
			if (rc)
				return rc;
			break;
		case KR_ITEMS:
			if (kind == RB_NODE_SEQ) {
				role = ROLE_STREAM;
				if (!b->has_kind)
					b->items_streamed = true;
			} else if (b->has_kind) {
				return rb__ld_fail(
				    b, RB_EPARSE, loc,
				    "\"items\" of a List must be a sequence of objects, found %s",
				    kname);
			}
			break;
		default:
			break;
		}
	}

	/* Only an object is released (rb__ld_end): only its frame needs the mark. */
	rb__arena_mark mark = {NULL, 0};
	if (object)
		mark = rb__arena_get_mark(&b->arena);
	rb__node *n = rb__arena_alloc(&b->arena, sizeof(*n));
	if (!n)
		return nomem(b);
	place(b, n, f, kind, loc);
	if (f && f->role == ROLE_ROOT_MAP && f->key_role == KR_ITEMS && kind != RB_NODE_SEQ)
		b->items_bad = n;

	ld_frame *nf = rb__vec_push(b->mem, &b->frames, sizeof(ld_frame));
	if (!nf)
		return nomem(b);
	b->top = nf;
	nf->node = n;
	nf->first = b->pending.len;
	nf->kfirst = b->keys.len;
	nf->role = role;
	nf->object = object;
	nf->lkey = lkey;
	nf->mark = mark;
	return RB_OK;
}

int rb__ld_end(rb__ld *b)
{
	if (b->err)
		return b->err;
	if (!b->frames.len)
		return b->err = RB_EINVAL;
	/* The popped frame stays in place until the next rb__ld_begin (nothing below pushes one). */
	const ld_frame *fp = top(b);
	b->frames.len--;
	b->top = b->frames.len ? &RB_VEC_AT(&b->frames, ld_frame, b->frames.len - 1) : NULL;
	b->keys.len = fp->kfirst;
	rb__node *n = fp->node;
	if (fp->role == ROLE_STREAM) {
		n->coll.items = NULL;
		n->coll.count = 0;
	} else {
		size_t cnt = b->pending.len - fp->first;
		n->coll.count = cnt;
		n->coll.items = NULL;
		if (cnt) {
			rb__node **items = rb__arena_alloc(&b->arena, cnt * sizeof(*items));
			if (!items)
				return nomem(b);
			memcpy(items, &RB_VEC_AT(&b->pending, rb__node *, fp->first),
			       cnt * sizeof(*items));
			n->coll.items = items;
		}
		b->pending.len = fp->first;
		if (fp->has_merge) {
			int rc = rb__ld_merge(b, n);
			if (rc)
				return rc;
		}
	}
	ld_frame *parent = top(b);
	if (fp->object) {
		if (b->sink && b->sink->object) {
			int rc = b->sink->object(b->sink->ud, n, fp->lkey);
			if (rc) {
				b->err = rc;
				return rc;
			}
		}
		rb__arena_rewind(&b->arena, fp->mark);
		return child_done(b, parent, NULL, true);
	}
	if (!parent) {
		b->root = n;
		return RB_OK;
	}
	return child_done(b, parent, n, false);
}

/* The checks every scalar passes first: its length, and no NUL byte. */
static inline __attribute__((always_inline)) int scalar_checks(rb__ld *b, const char *text,
                                                               size_t len, rb__ld_loc loc,
                                                               unsigned flags, bool is_key)
{
	if (len > b->limits->scalar_bytes)
		return rb__ld_fail(b, RB_ELIMIT, loc,
		                   "%s of %zu bytes is longer than the limit of %" PRIu64 " bytes",
		                   is_key ? "key" : "scalar", len, b->limits->scalar_bytes);
	if (!(flags & RB_LD_NO_NUL) && memchr(text, '\0', len))
		return rb__ld_fail(b, RB_EPARSE, loc, "%s must not contain a NUL character",
		                   is_key ? "a key" : "a scalar");
	return RB_OK;
}

int rb__ld_scalar_flags(rb__ld *b, const char *text, size_t len, rb__scalar_type type,
                        rb__ld_loc loc, unsigned flags)
{
	if (rb__ld_want_key(b)) /* each checks for an earlier error */
		return rb__ld_key(b, text, len, loc, flags);
	return rb__ld_value(b, text, len, type, loc, flags);
}

int rb__ld_key(rb__ld *b, const char *text, size_t len, rb__ld_loc loc, unsigned flags)
{
	if (b->err)
		return b->err;
	ld_frame *f = top(b);
	int rc = scalar_checks(b, text, len, loc, flags, true);
	if (rc)
		return rc;
	const ld_key *prev = dup_find(b, f, text, len);
	if (prev) {
		/* Point at the second key, with the path of the member it would make. */
		f->have_key = true;
		f->key = text;
		f->key_len = len;
		return rb__ld_fail(b, RB_EPARSE, loc,
		                   "duplicate key \"%.*s\" (first at line %" PRIu32 ")",
		                   (int)rb__ld_clip(text, len, 200), text, prev->line);
	}
	/* The copy inline: keys are half of all scalars. */
	size_t ksize;
	char *k = rb__add_size(len, 1, &ksize) ? rb__arena_alloc(&b->arena, ksize) : NULL;
	if (!k)
		return nomem(b);
	rb__copy_short(k, text, len);
	k[len] = '\0';
	/* Every field set: no clearing first (rb__vec_push's). */
	if (b->keys.len == b->keys.cap && !rb__vec_reserve(b->mem, &b->keys, 1, sizeof(ld_key)))
		return nomem(b);
	ld_key *slot = &RB_VEC_AT(&b->keys, ld_key, b->keys.len++);
	slot->text = k;
	slot->len = len;
	slot->line = loc.line;
	size_t nkeys = b->keys.len - f->kfirst;
	if (f->dup) {
		if ((nkeys * 2 > f->dup_cap && !dup_grow(b, f)) ||
		    (nkeys * 2 <= f->dup_cap && !dup_insert(b, f, nkeys - 1)))
			return nomem(b);
	} else if (nkeys > DUP_LINEAR && !dup_grow(b, f)) {
		return nomem(b);
	}
	f->have_key = true;
	f->key_merge = (flags & RB_LD_MERGE_KEY) != 0;
	f->has_merge |= f->key_merge;
	f->key = k;
	f->key_len = len;
	f->key_role = KR_NORMAL;
	if (f->role == ROLE_ROOT_MAP)
		return root_key(b, f, loc);
	return RB_OK;
}

int rb__ld_value(rb__ld *b, const char *text, size_t len, rb__scalar_type type, rb__ld_loc loc,
                 unsigned flags)
{
	if (b->err)
		return b->err;
	ld_frame *f = top(b);
	int rc = scalar_checks(b, text, len, loc, flags, false);
	if (rc)
		return rc;
	rc = count_node(b, loc);
	if (rc)
		return rc;
	if (!f && !b->raw) {
		/* A lone scalar: an empty document when null, else an error. */
		if (type == RB_SCALAR_NULL)
			return RB_OK;
		return rb__ld_fail_nopath(
		    b, RB_EPARSE, loc,
		    "expected a mapping or a sequence of objects at the document "
		    "root, found %s",
		    type_name(RB_NODE_SCALAR, type));
	}
	/* f is NULL here only in raw mode (a scalar document root, found by fuzz_roundtrip). */
	if (f && f->role == ROLE_STREAM)
		return rb__ld_fail(b, RB_EPARSE, loc, "expected an object (a mapping), found %s",
		                   type_name(RB_NODE_SCALAR, type));
	if (f && f->role == ROLE_ROOT_MAP && type != RB_SCALAR_NULL) {
		if (f->key_role == KR_LIST)
			return rb__ld_fail(b, RB_EPARSE, loc,
			                   "\"%.*s\" must be a sequence of objects, found %s",
			                   (int)rb__ld_clip(f->key, f->key_len, 100), f->key,
			                   type_name(RB_NODE_SCALAR, type));
		if (f->key_role == KR_SINGLE)
			return rb__ld_fail(b, RB_EPARSE, loc,
			                   "\"%.*s\" must be an object (a mapping), found %s",
			                   (int)rb__ld_clip(f->key, f->key_len, 100), f->key,
			                   type_name(RB_NODE_SCALAR, type));
		if (f->key_role == KR_ITEMS && b->has_kind)
			return rb__ld_fail(
			    b, RB_EPARSE, loc,
			    "\"items\" of a List must be a sequence of objects, found %s",
			    type_name(RB_NODE_SCALAR, type));
	}

	size_t size;
	if (!rb__add_size(sizeof(rb__node), len + 1, &size))
		return nomem(b);
	rb__node *n = rb__arena_alloc(&b->arena, size);
	if (!n)
		return nomem(b);
	place(b, n, f, RB_NODE_SCALAR, loc);
	char *t = (char *)(n + 1);
	rb__copy_short(t, text, len);
	t[len] = '\0';
	n->stype = (uint8_t)type;
	n->scalar.text = t;
	n->scalar.len = len;
	if (!f) { /* raw mode: a scalar document root */
		b->root = n;
		return RB_OK;
	}
	if (f->role == ROLE_ROOT_MAP) {
		if (f->key_role == KR_KIND) {
			rc = root_kind(b, t, len, loc);
			if (rc)
				return rc;
		} else if (f->key_role == KR_ITEMS && type != RB_SCALAR_NULL) {
			b->items_bad = n;
		}
	}
	return child_done(b, f, n, false);
}
