/*
 * The incremental engine (include/rebalance/engine.h).
 *
 * State:
 *  - a model of its own whose lists start as copies of the input's lists
 *    (the objects stay where they are: in the input's model arena, or in the
 *    arena of the buffer that brought them, a "batch", freed when none of
 *    its objects is left and the IR no longer points into it);
 *  - an identity index: list + namespace + name -> the objects of that
 *    identity, in list order (several only for duplicates of the input);
 *  - one slot per route, in list order (`order`, parallel to the model's
 *    route lists), with the route's destinations and statuses as its last
 *    translation left them (in the IR arena), and an epoch;
 *  - the translator's state of the last full translation (indexes, endpoint
 *    tables, BackendTrafficPolicy scopes, TCP listener owners), kept up to
 *    date by the changes that are translated incrementally;
 *  - dependencies: dep key ("S" ns/name, "s" ns/service, ...; tr.h) -> the
 *    (slot, epoch) pairs of the translations that looked it up; an entry
 *    whose epoch is not its slot's current one is stale (dropped lazily);
 *  - the assembled result: every slot's destinations and statuses, in order.
 *
 * A change edits the lists (engine.h says where), keeps the translator's
 * indexes in step, and marks the dependent slots dirty, or the whole engine
 * (kinds not tracked per route). rb_engine_translate translates the dirty
 * slots (or everything) and patches the assembled arrays in place when no
 * slot changed its number of entries (else it assembles them again).
 *
 * Memory left behind by incremental translations (replaced IR, endpoint
 * tables, index keys) stays in the arenas of the last full translation; when
 * it exceeds what that translation held, the next one is full again.
 */
#include "rebalance/engine.h"

#include <stdio.h>
#include <string.h>

#include "result/result.h"
#include "core/map.h"
#include "load/load.h"
#include "translate/tr.h"

/* The lists are the model's (rb__list); the GatewayClass is a single object. */
static rb__vec *mlist(rb__model *m, int l)
{
	return rb__model_list(m, l);
}

/* The arena of one applied buffer, alive while one of its objects is. */
typedef struct batch {
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
	rb_translate_options opts;
	rb__tr_options to;
	rb__arena opt_arena;

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

	rb__vec dests;    /* rb__ir_destination, assembled */
	rb__vec statuses; /* rb__ir_route_status, assembled */
	struct rb_result result;

	rb__arena diag_arena;
	rb__diags diags;
	rb_engine_stats stats;
};

#define SLOT(e, i) (&RB_VEC_AT(&(e)->slots, slot, (i)))

/* ---- small helpers ---- */

static int push_u32(const rb__mem *m, rb__vec *v, uint32_t x)
{
	uint32_t *p = rb__vec_push(m, v, sizeof x);
	if (!p)
		return RB_ENOMEM;
	*p = x;
	return RB_OK;
}

/* Append n elements of size elem. */
static int vec_append(const rb__mem *m, rb__vec *v, const void *src, size_t n, size_t elem)
{
	if (!n)
		return RB_OK;
	if (!rb__vec_reserve(m, v, n, elem))
		return RB_ENOMEM;
	memcpy((char *)v->data + v->len * elem, src, n * elem);
	v->len += n;
	return RB_OK;
}

static const rb__objmeta *meta_of(const void *obj)
{
	return (const rb__objmeta *)obj; /* every list's objects start with their rb__objmeta */
}

/* "<list><ns>/<name>" into key; its length, or 0 when too long. */
static size_t id_key(char *key, size_t size, int list, const char *ns, const char *name)
{
	int n = snprintf(key, size, "%c%s/%s", 'A' + list, ns ? ns : "", name ? name : "");
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

static ident *ident_get(rb_engine *e, int list, const char *ns, const char *name, bool create)
{
	char key[2100];
	size_t n = id_key(key, sizeof key, list, ns, name);
	if (!n)
		return NULL;
	ident *id = rb__map_get(&e->ids, key, n);
	if (id || !create)
		return id;
	char *copy = rb__arena_strndup(&e->id_arena, key, n);
	id = copy ? rb__arena_calloc(&e->id_arena, 1, sizeof(*id)) : NULL;
	if (!id || !rb__map_put(&e->ids, copy, n, id))
		return NULL;
	return id;
}

/* ---- dependencies ---- */

static void deps_reset(rb_engine *e)
{
	for (size_t i = 0; i < e->deps.cap; i++)
		if (e->deps.slots[i].key)
			rb__vec_free(e->mem, &((dep_list *)e->deps.slots[i].value)->v);
	rb__map_free(&e->deps);
	rb__arena_free(&e->dep_arena);
	rb__arena_init(&e->dep_arena, e->mem);
}

static bool entry_live(rb_engine *e, const dep_entry *d)
{
	const slot *s = SLOT(e, d->slot);
	return s->alive && s->epoch == d->epoch;
}

/* Drop the stale entries of a list. */
static void dep_clean(rb_engine *e, dep_list *d)
{
	size_t k = 0;
	for (size_t i = 0; i < d->v.len; i++) {
		dep_entry x = RB_VEC_AT(&d->v, dep_entry, i);
		if (entry_live(e, &x))
			RB_VEC_AT(&d->v, dep_entry, k++) = x;
	}
	d->v.len = k;
	d->clean = k;
}

static size_t dep_key(char *key, size_t size, char kind, const char *ns, const char *name)
{
	size_t a = strlen(ns), b = strlen(name);
	if (a + b + 3 > size)
		return 0;
	key[0] = kind;
	memcpy(key + 1, ns, a);
	key[1 + a] = '/';
	memcpy(key + 2 + a, name, b);
	return a + b + 2;
}

/* The recorder the translator calls (tr.h): the current slot depends on (kind, ns, name). */
static void on_dep(void *ud, char kind, const char *ns, const char *name)
{
	rb_engine *e = ud;
	char key[2100];
	size_t n = dep_key(key, sizeof key, kind, ns, name);
	if (!n)
		return; /* too long to be looked up: nothing can change what it finds */
	dep_list *d = rb__map_get(&e->deps, key, n);
	if (!d) {
		char *copy = rb__arena_strndup(&e->dep_arena, key, n);
		d = copy ? rb__arena_calloc(&e->dep_arena, 1, sizeof(*d)) : NULL;
		if (!d || !rb__map_put(&e->deps, copy, n, d)) {
			e->dep_failed = true;
			return;
		}
	}
	if (d->v.len) {
		const dep_entry *last = &RB_VEC_AT(&d->v, dep_entry, d->v.len - 1);
		if (last->slot == e->cur_slot && last->epoch == e->cur_epoch)
			return;
	}
	if (d->v.len >= 2 * d->clean + 16)
		dep_clean(e, d);
	dep_entry *x = rb__vec_push(e->mem, &d->v, sizeof *x);
	if (!x) {
		e->dep_failed = true;
		return;
	}
	x->slot = e->cur_slot;
	x->epoch = e->cur_epoch;
}

static int make_dirty(rb_engine *e, uint32_t id)
{
	slot *s = SLOT(e, id);
	if (s->dirty || !s->alive)
		return RB_OK;
	s->dirty = true;
	return push_u32(e->mem, &e->dirty, id);
}

/* Every route whose last translation looked (kind, ns, name) up becomes dirty. */
static int mark(rb_engine *e, char kind, const char *ns, const char *name)
{
	char key[2100];
	size_t n = dep_key(key, sizeof key, kind, ns ? ns : "", name ? name : "");
	dep_list *d = n ? rb__map_get(&e->deps, key, n) : NULL;
	if (!d)
		return RB_OK;
	dep_clean(e, d);
	for (size_t i = 0; i < d->v.len; i++) {
		int rc = make_dirty(e, RB_VEC_AT(&d->v, dep_entry, i).slot);
		if (rc)
			return rc;
	}
	return RB_OK;
}

/* ---- batches and slots ---- */

static void release(rb_engine *e, batch *b)
{
	if (!b || --b->live)
		return;
	/* Unlink from the live list; freed once the IR no longer points into it. */
	if (b->prev)
		b->prev->next = b->next;
	else
		e->batches = b->next;
	if (b->next)
		b->next->prev = b->prev;
	b->prev = NULL;
	b->next = e->dead;
	e->dead = b;
}

static void free_batches(rb_engine *e, batch *b)
{
	while (b) {
		batch *next = b->next;
		rb__arena_free(&b->arena);
		rb__free(e->mem, b);
		b = next;
	}
}

static int slot_new(rb_engine *e, const rb__route *r, uint32_t *out)
{
	uint32_t id;
	if (e->free_slots.len) {
		id = RB_VEC_AT(&e->free_slots, uint32_t, --e->free_slots.len);
	} else {
		if (e->slots.len >= UINT32_MAX || !rb__vec_push(e->mem, &e->slots, sizeof(slot)))
			return RB_ENOMEM;
		id = (uint32_t)(e->slots.len - 1);
	}
	slot *s = SLOT(e, id);
	uint32_t epoch = s->epoch;
	memset(s, 0, sizeof *s);
	s->epoch = epoch + 1; /* entries of a former slot of this id are stale */
	s->r = r;
	s->alive = true;
	*out = id;
	return make_dirty(e, id);
}

static int slot_kill(rb_engine *e, uint32_t id)
{
	slot *s = SLOT(e, id);
	bool shared = false;
	if (e->built && !e->need_full &&
	    rb__overlap_count(&e->overlap_counts, e->mem, s->ov, s->nov, -1, &shared))
		e->need_full = true; /* no memory to count: start again */
	if (shared)
		e->need_full = true;
	s->ov = NULL;
	s->nov = 0;
	s->alive = false;
	s->dirty = false;
	s->epoch++;
	return push_u32(e->mem, &e->free_slots, id);
}

/* ---- changes ---- */

/* Keep the translator's indexes in step and find what to translate again. */
static int effects(rb_engine *e, int list, const void *old, const void *new_)
{
	if (list >= RB_LIST_ROUTE) {
		rb__route_kind k = (rb__route_kind)(list - RB_LIST_ROUTE);
		/* TCP/UDP listeners program their first route; selectors read route labels;
		 * a route defined twice in the input reports its last copy's status only
		 * (translate/route_copies.c), and a change replaces the copies. */
		if (k == RB_ROUTE_TCP || k == RB_ROUTE_UDP || e->selectors ||
		    (e->built && e->tr.route_copy_count))
			e->need_full = true;
		return RB_OK; /* the slot itself is dirty already */
	}
	if (!e->built || e->need_full)
		return RB_OK; /* everything is translated next time, indexes included */
	const rb__objmeta *m = meta_of(old ? old : new_);
	int rc = RB_OK;
	switch (list) {
	case RB_LIST_SERVICE:
		rc = rb__index_set(&e->tr, &e->tr.services, m->namespace_, m->name, (void *)(uintptr_t)new_);
		return rc ? rc : mark(e, 'S', m->namespace_, m->name);
	case RB_LIST_SERVICE_IMPORT:
		rc = rb__index_set(&e->tr, &e->tr.service_imports, m->namespace_, m->name,
		                   (void *)(uintptr_t)new_);
		return rc ? rc : mark(e, 'I', m->namespace_, m->name);
	case RB_LIST_BACKEND:
		rc = rb__index_set(&e->tr, &e->tr.backends, m->namespace_, m->name, (void *)(uintptr_t)new_);
		return rc ? rc : mark(e, 'B', m->namespace_, m->name);
	case RB_LIST_GRANT:
		/* Listener verdicts read grants for certificate Secrets (translate/listeners.c). */
		rb__listeners_forget(&e->tr);
		return mark(e, 'R', m->namespace_, "");
	case RB_LIST_SLICE: {
		const rb__endpoint_slice *o = old, *n = new_;
		rc = rb__index_slice_changed(&e->tr, o, n);
		const char *kind;
		const char *owner;
		if (!rc && o && (owner = rb__slice_owner(o, &kind)))
			rc = mark(e, kind[0] == 'S' ? 's' : 'i', o->meta.namespace_, owner);
		if (!rc && n && (owner = rb__slice_owner(n, &kind)))
			rc = mark(e, kind[0] == 'S' ? 's' : 'i', n->meta.namespace_, owner);
		return rc;
	}
	default:
		/* Gateways, Namespaces, policies, EnvoyProxies, extension objects: not per route. */
		e->need_full = true;
		return RB_OK;
	}
}

/* Remove position pos of a list (and of the route order). */
static int remove_at(rb_engine *e, int list, size_t pos)
{
	rb__vec *v = mlist(&e->model, list);
	memmove((void **)v->data + pos, (void **)v->data + pos + 1, (v->len - pos - 1) * sizeof(void *));
	v->len--;
	if (list < RB_LIST_ROUTE)
		return RB_OK;
	rb__vec *o = &e->order[list - RB_LIST_ROUTE];
	uint32_t id = RB_VEC_AT(o, uint32_t, pos);
	memmove((uint32_t *)o->data + pos, (uint32_t *)o->data + pos + 1,
	        (o->len - pos - 1) * sizeof(uint32_t));
	o->len--;
	e->relayout = true;
	return slot_kill(e, id);
}

static size_t position(const rb__vec *v, const void *obj)
{
	for (size_t i = 0; i < v->len; i++)
		if (RB_VEC_AT(v, const void *, i) == obj)
			return i;
	return SIZE_MAX; /* not reached: the identity index and the lists agree */
}

/* Add or replace one object (engine.h: it takes the place of the first of its identity). */
static int put(rb_engine *e, int list, void *obj, batch *b)
{
	const rb__objmeta *m = meta_of(obj);
	ident *id = ident_get(e, list, m->namespace_, m->name, true);
	if (!id)
		return RB_ENOMEM;
	rb__vec *v = mlist(&e->model, list);
	int rc = RB_OK;
	if (!rb__vec_push(e->mem, &id->objs, sizeof(owned))) /* room first: no failure midway */
		return RB_ENOMEM;
	id->objs.len--;
	if (!id->objs.len) {
		/* The route order first: the list and the order never disagree, even
		 * when memory runs out. */
		if (list >= RB_LIST_ROUTE) {
			uint32_t sid;
			if ((rc = slot_new(e, obj, &sid)))
				return rc;
			if ((rc = push_u32(e->mem, &e->order[list - RB_LIST_ROUTE], sid))) {
				slot_kill(e, sid);
				return rc;
			}
			e->relayout = true;
		}
		if (!rb__vec_push_ptr(e->mem, v, obj)) {
			if (list >= RB_LIST_ROUTE) {
				rb__vec *o = &e->order[list - RB_LIST_ROUTE];
				slot_kill(e, RB_VEC_AT(o, uint32_t, --o->len));
			}
			return RB_ENOMEM;
		}
		RB_VEC_AT(&id->objs, owned, 0) = (owned){obj, b};
		id->objs.len = 1;
		b->live++;
		return effects(e, list, NULL, obj);
	}
	owned first = RB_VEC_AT(&id->objs, owned, 0);
	size_t pos = position(v, first.obj);
	if (pos == SIZE_MAX)
		return RB_EINVAL;
	RB_VEC_AT(v, void *, pos) = obj;
	if (list >= RB_LIST_ROUTE) {
		uint32_t sid = RB_VEC_AT(&e->order[list - RB_LIST_ROUTE], uint32_t, pos);
		SLOT(e, sid)->r = obj;
		rc = make_dirty(e, sid);
	}
	/* Later duplicates (of the input) go. */
	for (size_t i = 1; i < id->objs.len && !rc; i++) {
		owned dup = RB_VEC_AT(&id->objs, owned, i);
		size_t p = position(v, dup.obj);
		if (p != SIZE_MAX)
			rc = remove_at(e, list, p);
	}
	for (size_t i = 1; i < id->objs.len && !rc; i++) {
		owned dup = RB_VEC_AT(&id->objs, owned, i);
		rc = effects(e, list, dup.obj, NULL);
		release(e, dup.b);
	}
	RB_VEC_AT(&id->objs, owned, 0) = (owned){obj, b};
	id->objs.len = 1;
	b->live++;
	if (!rc)
		rc = effects(e, list, first.obj, obj);
	release(e, first.b);
	return rc;
}

static int del(rb_engine *e, int list, const char *ns, const char *name)
{
	ident *id = ident_get(e, list, ns, name, false);
	if (!id || !id->objs.len)
		return RB_OK;
	rb__vec *v = mlist(&e->model, list);
	int rc = RB_OK;
	for (size_t i = 0; i < id->objs.len && !rc; i++) {
		size_t p = position(v, RB_VEC_AT(&id->objs, owned, i).obj);
		if (p != SIZE_MAX)
			rc = remove_at(e, list, p);
	}
	for (size_t i = 0; i < id->objs.len; i++) {
		owned o = RB_VEC_AT(&id->objs, owned, i);
		if (!rc)
			rc = effects(e, list, o.obj, NULL);
		release(e, o.b);
	}
	id->objs.len = 0;
	return rc;
}

/* The model's single objects: the last one applied wins; any change is a full one. */
static void put_single(rb_engine *e, int which, void **field, void *obj, batch *b)
{
	if (!obj)
		return;
	release(e, e->single_batch[which]);
	*field = obj;
	e->single_batch[which] = b;
	b->live++;
	e->need_full = true;
}

int rb_engine_apply_buffer(rb_engine *e, const void *buf, size_t len, const char *source_name,
                           rb_input_format format)
{
	if (!e || (!buf && len) || (unsigned)format > RB_INPUT_JSON)
		return RB_EINVAL;
	rb__diags_free(&e->diags);
	rb__arena_free(&e->diag_arena);
	rb__arena_init(&e->diag_arena, e->mem);
	rb__diags_init(&e->diags, e->mem, &e->diag_arena);

	const char *source = source_name ? source_name : "<buffer>";
	rb__model tmp;
	rb__model_init(&tmp, e->mem);
	rb__model_sink_ctx sink_ctx = {&tmp, &e->diags, source, NULL, NULL, NULL};
	rb__sink sink = {rb__model_add_object, &sink_ctx};
	rb__format f = format == RB_INPUT_JSON ? RB_FMT_JSON
	               : format == RB_INPUT_YAML ? RB_FMT_YAML
	                                         : RB_FMT_AUTO;
	rb__load_params p = {source, buf ? buf : "", len, f, &e->ctx->limits, e->mem, &e->diags,
	                     false};
	int rc = rb__load(&p, &sink);
	if (rc) {
		if (rb__diags_count(&e->diags) == 0 || rc == RB_ENOMEM)
			rb__diag_add(&e->diags, rc, source, 0, 0, 0, "", "%s", rb_strerror(rc));
		rb__model_free(&tmp);
		return rc;
	}
	batch *b = rb__calloc(e->mem, 1, sizeof(*b));
	if (!b) {
		rb__model_free(&tmp);
		return RB_ENOMEM;
	}
	rb__arena_intern_done(&tmp.arena);
	b->arena = tmp.arena; /* the objects' memory moves to the batch */
	b->live = 1;          /* held while the objects are placed */
	b->next = e->batches;
	if (e->batches)
		e->batches->prev = b;
	e->batches = b;
	for (int l = 0; l < RB_LIST_COUNT && !rc; l++) {
		const rb__vec *v = mlist(&tmp, l);
		for (size_t i = 0; i < v->len && !rc; i++)
			rc = put(e, l, RB_VEC_AT(v, void *, i), b);
	}
	if (!rc) {
		put_single(e, 0, (void **)&e->model.gateway_class, tmp.gateway_class, b);
		put_single(e, 1, (void **)&e->model.envoy_proxy_for_class, tmp.envoy_proxy_for_class, b);
		put_single(e, 2, (void **)&e->model.envoy_proxy_default, tmp.envoy_proxy_default, b);
	}
	for (int l = 0; l < RB_LIST_COUNT; l++)
		rb__vec_free(e->mem, mlist(&tmp, l));
	release(e, b);
	if (rc)
		e->need_full = true; /* out of memory midway: start again from the lists */
	return rc;
}

int rb_engine_delete(rb_engine *e, const char *kind, const char *namespace_, const char *name)
{
	if (!e || !kind || !name)
		return RB_EINVAL;
	const char *ns = namespace_ ? namespace_ : "";
	if (!strcmp(kind, "GatewayClass")) {
		rb__gateway_class *gc = e->model.gateway_class;
		/* Every class of that name leaves the list that decides which Gateways are ours. */
		if (del(e, RB_LIST_GATEWAY_CLASS, "", name))
			e->need_full = true;
		if (gc && !strcmp(gc->meta.name ? gc->meta.name : "", name)) {
			e->model.gateway_class = NULL;
			release(e, e->single_batch[0]);
			e->single_batch[0] = NULL;
			e->need_full = true;
		}
		return RB_OK;
	}
	/* The kinds the model keeps in lists (model.c's table). */
	int list = rb__model_list_of_kind(kind);
	if (list < 0)
		return RB_EINVAL;
	int rc = del(e, list, ns, name);
	if (rc)
		e->need_full = true;
	return rc;
}

/* ---- translation ---- */

/* The slot's new match keys replace its old ones in the counts. */
static int keep_overlap_keys(rb_engine *e, uint32_t id)
{
	slot *s = SLOT(e, id);
	size_t n = e->tr.overlap.len;
	rb__overlap_key *ov = n ? rb__arena_alloc(e->ir, n * sizeof(*ov)) : NULL;
	if (n && !ov)
		return RB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		ov[i] = RB_VEC_AT(&e->tr.overlap, rb__overlap_key, i);
		ov[i].owner = id;
	}
	bool shared = false;
	int rc = e->full ? RB_OK
	                 : rb__overlap_count(&e->overlap_counts, e->mem, s->ov, s->nov, -1, &shared);
	if (!rc)
		rc = rb__overlap_count(&e->overlap_counts, e->mem, ov, n, 1, &shared);
	s->ov = ov;
	s->nov = n;
	if (shared && !e->full)
		e->overlap_changed = true;
	return rc;
}

static int translate_slot(rb_engine *e, uint32_t id)
{
	slot *s = SLOT(e, id);
	s->epoch++;
	s->dirty = false;
	s->translated = true;
	e->cur_slot = id;
	e->cur_epoch = s->epoch;
	e->tr.dests.len = 0;
	e->tr.statuses.len = 0;
	e->tr.overlap.len = 0;
	int rc = rb__tr_route(&e->tr, s->r);
	if (!rc && e->dep_failed)
		rc = RB_ENOMEM;
	if (rc)
		return rc;
	size_t nd = e->tr.dests.len, ns = e->tr.statuses.len;
	if (nd != s->ndest || ns != s->nst)
		e->relayout = true;
	rb__ir_destination *d = NULL;
	rb__ir_route_status *st = NULL;
	if (nd && !(d = rb__arena_alloc(e->ir, nd * sizeof(*d))))
		return RB_ENOMEM;
	if (ns && !(st = rb__arena_alloc(e->ir, ns * sizeof(*st))))
		return RB_ENOMEM;
	if (nd)
		memcpy(d, e->tr.dests.data, nd * sizeof(*d));
	if (ns)
		memcpy(st, e->tr.statuses.data, ns * sizeof(*st));
	s->dests = d;
	s->ndest = nd;
	s->st = st;
	s->nst = ns;
	e->stats.routes_translated++;
	return keep_overlap_keys(e, id);
}

/* Every slot's entries, in route kind order then list order. */
static int assemble(rb_engine *e)
{
	e->dests.len = 0;
	e->statuses.len = 0;
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++) {
		const rb__vec *o = &e->order[k];
		for (size_t i = 0; i < o->len; i++) {
			slot *s = SLOT(e, RB_VEC_AT(o, uint32_t, i));
			s->dest_off = e->dests.len;
			s->st_off = e->statuses.len;
			if (vec_append(e->mem, &e->dests, s->dests, s->ndest, sizeof(rb__ir_destination)) ||
			    vec_append(e->mem, &e->statuses, s->st, s->nst, sizeof(rb__ir_route_status)))
				return RB_ENOMEM;
		}
	}
	e->relayout = false;
	return RB_OK;
}

static void tr_drop(rb_engine *e)
{
	if (e->built) {
		rb__tr_free(&e->tr);
		e->built = false;
	}
	if (e->ir) {
		rb__arena_free(e->ir);
		rb__free(e->mem, e->ir);
		e->ir = NULL;
	}
}

/* Does a policy select routes by label (then a route's labels change its result)? */
static bool has_selectors(const rb__model *m)
{
	for (size_t i = 0; i < m->backend_traffic_policies.len; i++)
		if (RB_VEC_AT(&m->backend_traffic_policies, const rb__backend_traffic_policy *, i)
		        ->target_selector_count)
			return true;
	for (size_t i = 0; i < m->security_policies.len; i++)
		if (RB_VEC_AT(&m->security_policies, const rb__security_policy *, i)
		        ->target_selector_count)
			return true;
	for (size_t i = 0; i < m->extension_policies.len; i++)
		if (RB_VEC_AT(&m->extension_policies, const rb__extension_policy *, i)
		        ->target_selector_count)
			return true;
	return false;
}

static rb__ir_route_status *status_in_slot(void *ud, const rb__overlap_key *k)
{
	return &SLOT((rb_engine *)ud, k->owner)->st[k->status];
}

/* Every slot's match keys, in translation order: the RouteRulesOverlap conditions. */
static int overlap_conditions(rb_engine *e)
{
	rb__vec all = RB_VEC_INIT;
	int rc = RB_OK;
	for (int k = 0; k < RB_ROUTE_KIND_COUNT && !rc; k++) {
		const rb__vec *o = &e->order[k];
		for (size_t i = 0; i < o->len && !rc; i++) {
			const slot *s = SLOT(e, RB_VEC_AT(o, uint32_t, i));
			rc = vec_append(e->mem, &all, s->ov, s->nov, sizeof(rb__overlap_key));
		}
	}
	if (!rc)
		rc = rb__overlap_conditions(&e->tr, all.data, all.len, status_in_slot, e);
	rb__vec_free(e->mem, &all);
	return rc;
}

static int translate_full(rb_engine *e)
{
	tr_drop(e);
	deps_reset(e);
	/* The keys lived in the dropped translator's arena. */
	rb__map_free(&e->overlap_counts);
	for (size_t i = 0; i < e->slots.len; i++) {
		SLOT(e, i)->ov = NULL;
		SLOT(e, i)->nov = 0;
	}
	e->overlap_changed = false;
	e->dirty.len = 0;
	e->ir = rb__calloc(e->mem, 1, sizeof(*e->ir));
	if (!e->ir)
		return RB_ENOMEM;
	rb__arena_init(e->ir, e->mem);
	int rc = rb__tr_init(&e->tr, &e->model, &e->to, e->mem, e->ir);
	e->built = true; /* tr holds memory from here on, even after a failure */
	if (rc)
		return rc;
	e->tr.dep = on_dep;
	e->tr.dep_ud = e;
	e->selectors = has_selectors(&e->model);
	e->full = true;
	for (int k = 0; k < RB_ROUTE_KIND_COUNT && !rc; k++) {
		const rb__vec *o = &e->order[k];
		for (size_t i = 0; i < o->len && !rc; i++)
			rc = translate_slot(e, RB_VEC_AT(o, uint32_t, i));
	}
	e->full = false;
	if (!rc)
		rc = overlap_conditions(e);
	if (!rc)
		rc = assemble(e);
	e->base_bytes = e->ir->total + e->tr.scratch.total;
	e->stats.full_translations++;
	return rc;
}

static int translate_dirty(rb_engine *e)
{
	int rc = RB_OK;
	size_t n = e->dirty.len;
	for (size_t i = 0; i < n && !rc; i++) {
		uint32_t id = RB_VEC_AT(&e->dirty, uint32_t, i);
		if (SLOT(e, id)->alive && SLOT(e, id)->dirty)
			rc = translate_slot(e, id);
	}
	if (rc)
		return rc;
	if (e->relayout) {
		rc = assemble(e);
	} else {
		/* The same number of entries everywhere: patch them in place. */
		for (size_t i = 0; i < n; i++) {
			slot *s = SLOT(e, RB_VEC_AT(&e->dirty, uint32_t, i));
			if (!s->alive || !s->translated)
				continue;
			if (s->ndest)
				memcpy(&RB_VEC_AT(&e->dests, rb__ir_destination, s->dest_off), s->dests,
				       s->ndest * sizeof(rb__ir_destination));
			if (s->nst)
				memcpy(&RB_VEC_AT(&e->statuses, rb__ir_route_status, s->st_off), s->st,
				       s->nst * sizeof(rb__ir_route_status));
		}
	}
	for (size_t i = 0; i < n; i++)
		SLOT(e, RB_VEC_AT(&e->dirty, uint32_t, i))->translated = false;
	e->dirty.len = 0;
	return RB_OK;
}

int rb_engine_translate(rb_engine *e, const rb_result **out)
{
	if (!e || !out)
		return RB_EINVAL;
	*out = NULL;
	e->stats.routes_translated = 0;
	e->dep_failed = false;
	int rc;
	bool garbage = e->built && e->ir->total + e->tr.scratch.total >
	                                    2 * e->base_bytes + (size_t)1024 * 1024;
	if (!e->built || e->need_full || garbage) {
		e->need_full = false;
		rc = translate_full(e);
		e->stats.translations++;
	} else if (e->dirty.len || e->relayout) {
		rc = translate_dirty(e);
		if (!rc && e->overlap_changed)
			rc = translate_full(e); /* other routes' statuses change too */
		e->stats.translations++;
	} else {
		rc = RB_OK;
	}
	for (size_t i = 0; i < e->slots.len; i++)
		SLOT(e, i)->translated = false;
	if (rc) {
		e->need_full = true;
		return rc;
	}
	/* Nothing points into the batches that lost their last object any more. */
	free_batches(e, e->dead);
	e->dead = NULL;
	e->result.ctx = e->ctx;
	e->result.options = e->opts;
	e->result.ir.destinations = e->dests.data;
	e->result.ir.destination_count = e->dests.len;
	e->result.ir.statuses = e->statuses.data;
	e->result.ir.status_count = e->statuses.len;
	*out = &e->result;
	return RB_OK;
}

/* ---- life ---- */

int rb_engine_new(rb_engine **out, const rb_input *in, const rb_translate_options *opts)
{
	if (!out || !in)
		return RB_EINVAL;
	*out = NULL;
	rb_translate_options o;
	int rc = rb__copy_options(&o, opts);
	if (rc)
		return rc;
	rb_ctx *ctx = in->ctx;
	rb_engine *e = rb__calloc(&ctx->mem, 1, sizeof(*e));
	if (!e)
		return RB_ENOMEM;
	e->ctx = ctx;
	e->mem = &ctx->mem;
	e->opts = o;
	rb__arena_init(&e->opt_arena, e->mem);
	rb__model_init(&e->model, e->mem);
	rb__map_init(&e->ids, e->mem);
	rb__arena_init(&e->id_arena, e->mem);
	rb__map_init(&e->deps, e->mem);
	rb__map_init(&e->overlap_counts, e->mem);
	rb__arena_init(&e->dep_arena, e->mem);
	rb__arena_init(&e->diag_arena, e->mem);
	rb__diags_init(&e->diags, e->mem, &e->diag_arena);
	e->stats.size = sizeof e->stats;
	/* The engine keeps its own copy of the option strings. Warnings are per
	 * rb_translate / rb_input (docs/warnings.md): the engine records none. */
	rc = rb__options_own(&e->opts, &e->opt_arena);
	if (!rc)
		rc = rb__tr_options_from(&e->to, &e->opts, &in->model, &e->opt_arena);
	rb__model *src = (rb__model *)(uintptr_t)&in->model;
	for (int l = 0; l < RB_LIST_COUNT && !rc; l++) {
		const rb__vec *v = mlist(src, l);
		if (vec_append(e->mem, mlist(&e->model, l), v->data, v->len, sizeof(void *)))
			rc = RB_ENOMEM;
		for (size_t i = 0; i < v->len && !rc; i++) {
			void *obj = RB_VEC_AT(v, void *, i);
			const rb__objmeta *m = meta_of(obj);
			ident *id = ident_get(e, l, m->namespace_, m->name, true);
			owned *ow = id ? rb__vec_push(e->mem, &id->objs, sizeof(owned)) : NULL;
			if (!ow) {
				rc = RB_ENOMEM;
				break;
			}
			ow->obj = obj;
			if (l >= RB_LIST_ROUTE) {
				uint32_t sid;
				rc = slot_new(e, obj, &sid);
				if (!rc)
					rc = push_u32(e->mem, &e->order[l - RB_LIST_ROUTE], sid);
			}
		}
	}
	e->model.gateway_class = src->gateway_class;
	e->model.config = src->config;
	e->model.envoy_proxy_for_class = src->envoy_proxy_for_class;
	e->model.envoy_proxy_default = src->envoy_proxy_default;
	e->need_full = true;
	if (rc) {
		rb_engine_free(e);
		return rc;
	}
	*out = e;
	return RB_OK;
}

void rb_engine_free(rb_engine *e)
{
	if (!e)
		return;
	tr_drop(e);
	deps_reset(e);
	rb__map_free(&e->deps);
	rb__map_free(&e->overlap_counts);
	rb__arena_free(&e->dep_arena);
	for (size_t i = 0; i < e->ids.cap; i++)
		if (e->ids.slots[i].key)
			rb__vec_free(e->mem, &((ident *)e->ids.slots[i].value)->objs);
	rb__map_free(&e->ids);
	rb__arena_free(&e->id_arena);
	free_batches(e, e->batches);
	free_batches(e, e->dead);
	for (int l = 0; l < RB_LIST_COUNT; l++)
		rb__vec_free(e->mem, mlist(&e->model, l));
	rb__arena_free(&e->model.arena);
	rb__vec_free(e->mem, &e->slots);
	rb__vec_free(e->mem, &e->free_slots);
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++)
		rb__vec_free(e->mem, &e->order[k]);
	rb__vec_free(e->mem, &e->dirty);
	rb__vec_free(e->mem, &e->dests);
	rb__vec_free(e->mem, &e->statuses);
	rb__diags_free(&e->diags);
	rb__arena_free(&e->diag_arena);
	rb__arena_free(&e->opt_arena);
	rb__free(e->mem, e);
}

size_t rb_engine_diag_count(const rb_engine *e)
{
	return e ? rb__diags_count(&e->diags) : 0;
}

const rb_diag *rb_engine_diag(const rb_engine *e, size_t i)
{
	return e ? rb__diags_at(&e->diags, i) : NULL;
}

int rb_engine_get_stats(const rb_engine *e, rb_engine_stats *out)
{
	if (!e || !out || out->size < sizeof(uint32_t))
		return RB_EINVAL;
	rb_engine_stats s = e->stats;
	s.routes = 0;
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++)
		s.routes += e->order[k].len;
	size_t n = out->size < sizeof s ? out->size : sizeof s;
	uint32_t size = out->size;
	memcpy(out, &s, n);
	out->size = size;
	return RB_OK;
}
