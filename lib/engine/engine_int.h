/* The incremental engine's state, shared by its files (engine.c: the overview). */
#ifndef RB_ENGINE_ENGINE_INT_H
#define RB_ENGINE_ENGINE_INT_H

#include <string.h>

#include "core/invariant.h"
#include "core/map.h"
#include "rebalance/engine.h"
#include "result/result.h"
#include "translate/tr.h"

/* The arena of one applied buffer, alive while one of its objects is (and
 * then while a result that may point into it is: publish.c). */
typedef struct batch {
	rb__retired node; /* first: the batch is retired by this node */
	rb__arena arena;
	size_t live;
	struct batch *prev, *next;
} batch;

typedef struct owned {
	void *obj;
	batch *b; /* NULL: the input's */
} owned;

typedef struct ident {
	rb__vec objs; /* owned, in list order */
} ident;

typedef struct slot {
	const rb__route *r;
	uint32_t epoch;
	bool alive;
	bool dirty;
	bool translated; /* by this rb_engine_translate */
	const rb__ir_destination *dests;
	size_t ndest;
	rb__ir_route_status *st;
	size_t nst;
	size_t dest_off, st_off; /* in the assembled arrays */
	const rb__overlap_key *ov; /* what its rules match (translate/overlap.c) */
	size_t nov;
} slot;

/* The assembled arrays of a result: every slot's entries, in order. A result
 * reads them; the engine patches them in place only while no one else holds
 * that result (publish.c). */
typedef struct layout {
	rb__retired node; /* first */
	rb__vec dests;    /* rb__ir_destination */
	rb__vec statuses; /* rb__ir_route_status */
} layout;

/* What a full translation builds and a later one drops: the translator's
 * state and the IR arena (endpoint tables, strings, slot entries). */
typedef struct generation {
	rb__retired node; /* first */
	rb__tr tr;
	bool built;
	rb__arena *ir;
} generation;

/* The engine's option strings: results copy the options, so they go with the last result. */
typedef struct opt_strings {
	rb__retired node; /* first */
	rb__arena arena;
} opt_strings;

/* A route's entries before this translation (delta.c): of a slot translated
 * again (slot: its id) or removed (slot: NO_SLOT). */
#define NO_SLOT UINT32_MAX
typedef struct before {
	uint32_t slot;
	const rb__ir_destination *dests;
	size_t ndest;
	const rb__ir_route_status *st;
	size_t nst;
} before;

/* One entry of a change set (engine.h). */
typedef struct dest_change {
	rb_change what;
	const char *key;
	const rb__ir_destination *d; /* NULL when removed */
} dest_change;

typedef struct route_change {
	rb_change what;
	const char *kind, *namespace_, *name;
	const rb__ir_route_status *st; /* NULL when removed */
	size_t nst;
} route_change;

struct rb_changes {
	rb__vec dests;  /* dest_change */
	rb__vec routes; /* route_change */
	rb__arena arena; /* copies of what the removed entries name */
};

typedef struct dep_entry {
	uint32_t slot;
	uint32_t epoch;
} dep_entry;

typedef struct dep_list {
	rb__vec v;    /* dep_entry */
	size_t clean; /* length after the last clean-up */
} dep_list;

struct rb_engine {
	rb_ctx *ctx;
	const rb__mem *mem;
	const rb_input *input; /* borrowed; every result holds a reference */
	rb_translate_options opts;
	rb__tr_options to;
	opt_strings *opt;

	rb__model model; /* lists only: its arena stays empty */
	rb__map ids;     /* identity key -> ident */
	rb__arena id_arena;
	batch *batches; /* live */
	batch *dead;    /* freed after the next translation */
	batch *single_batch[3]; /* of gateway_class, envoy_proxy_for_class, envoy_proxy_default */
	int selectors;          /* policies with targetSelectors (full translations) */

	rb__vec slots;      /* slot */
	rb__vec free_slots; /* uint32_t */
	rb__vec order[RB_ROUTE_KIND_COUNT]; /* uint32_t slot ids, parallel to model.routes */

	bool built;     /* tr and ir hold a full translation */
	bool need_full; /* a change asks for everything */
	bool relayout;  /* the assembled arrays must be rebuilt */
	rb__tr tr;
	rb__arena *ir;
	size_t base_bytes; /* arena bytes after the last full translation */
	rb__map deps;      /* dep key -> dep_list */
	rb__arena dep_arena;
	bool dep_failed;
	uint32_t cur_slot, cur_epoch;
	rb__vec dirty; /* uint32_t slot ids */
	/* Overlapping routes: how many routes have each match key. A change that
	 * makes or breaks a shared key is translated in full (statuses of other
	 * routes change); on a healthy cluster keys are not shared. */
	rb__map overlap_counts;
	bool overlap_changed;
	bool full; /* translate_full is running */

	generation *gen;       /* the holder of tr and ir when they are given up */
	layout *lay;           /* the arrays of `published` (or of the next result) */
	bool lay_published;    /* `published` reads `lay` */
	rb_result *published;  /* the last result: one reference is the engine's */
	bool frozen;           /* someone else reads `published`: change nothing it reads */
	bool kept;             /* someone else keeps `published` (a reader, or an older
	                          result): what it may read is retired onto it, not freed */
	rb__retired *pending;  /* memory dropped by this translation, still read by `published` */
	rb__vec before;        /* before: entries replaced since the last result (delta.c) */
	struct rb_changes changes;

	rb__arena diag_arena;
	rb__diags diags;
	rb_engine_stats stats;
};

/* The slot of an id: ids come from the order vectors and dependency entries,
 * which only hold ids of existing slots. */
static inline slot *engine_slot(const rb__vec *slots, size_t id)
{
	RB_ASSERT(id < slots->len);
	return &RB_VEC_AT(slots, slot, id);
}
#define SLOT(e, i) engine_slot(&(e)->slots, (i))

static inline int push_u32(const rb__mem *m, rb__vec *v, uint32_t x)
{
	uint32_t *p = rb__vec_push(m, v, sizeof x);
	if (!p)
		return RB_ENOMEM;
	*p = x;
	return RB_OK;
}

/* Append n elements of size elem. */
static inline int vec_append(const rb__mem *m, rb__vec *v, const void *src, size_t n, size_t elem)
{
	if (!n)
		return RB_OK;
	if (!rb__vec_reserve(m, v, n, elem))
		return RB_ENOMEM;
	memcpy((char *)v->data + v->len * elem, src, n * elem);
	v->len += n;
	return RB_OK;
}

static inline const rb__objmeta *meta_of(const void *obj)
{
	return (const rb__objmeta *)obj; /* every list's objects start with their rb__objmeta */
}

/* lists.c: the identity index (list + namespace + name), batches, slots. */
ident *rb__engine_ident(rb_engine *e, int list, const char *ns, const char *name, bool create);
void rb__engine_release(rb_engine *e, batch *b);
int rb__engine_slot_new(rb_engine *e, const rb__route *r, uint32_t *out);
int rb__engine_slot_kill(rb_engine *e, uint32_t id);
/* Remove position pos of a list (and of the route order). */
int rb__engine_remove_at(rb_engine *e, int list, size_t pos);
size_t rb__engine_position(const rb__vec *v, const void *obj);

/* changes.c: keep the translator's indexes in step with one change of a list. */
int rb__engine_effects(rb_engine *e, int list, const void *old, void *new_);

/* deps.c */
void rb__engine_deps_reset(rb_engine *e);
void rb__engine_on_dep(void *ud, rb__dep_kind kind, const char *ns, const char *name);
int rb__engine_make_dirty(rb_engine *e, uint32_t id);
int rb__engine_mark(rb_engine *e, rb__dep_kind kind, const char *ns, const char *name);

/* assemble.c */
void rb__engine_tr_drop(rb_engine *e);

/* publish.c: memory given up, results made and kept apart. */
void rb__engine_discard(rb_engine *e, rb__retired *node);
layout *rb__engine_layout_new(rb_engine *e);
generation *rb__engine_generation_new(rb_engine *e);
/* tr and ir (with e->gen) to `pending`. */
void rb__engine_generation_retire(rb_engine *e);
int rb__engine_opt_strings_new(rb_engine *e);
void rb__engine_batch_init(batch *b);
/* The arrays about to be patched in place: copied first when someone holds them. */
int rb__engine_layout_writable(rb_engine *e);
int rb__engine_publish(rb_engine *e);
/* rb_engine_free: every arena, batch and array to the last result (or freed). */
void rb__engine_retire_all(rb_engine *e);

/* delta.c */
/* The slot's entries as they are, before it is translated again (or removed). */
int rb__engine_note_before(rb_engine *e, uint32_t slot_id, bool removed);
/* The change set: every touched route (after an incremental translation) or
 * everything (full) compared with `published`. */
int rb__engine_delta(rb_engine *e, bool full);
void rb__engine_changes_clear(rb_engine *e);
void rb__engine_changes_free(rb_engine *e);

#endif
