/*
 * The change set of a translation (engine.h, "What changed"): destinations
 * by key, route statuses by route identity, compared as they serialize
 * (ir/ir_same.c; builds with invariant checks also compare the JSON bytes).
 *
 * After an incremental translation only the touched routes are compared:
 * the entries their slots held before (noted as they are translated again or
 * removed, `before`) with the entries they hold now. After a full one, the
 * previous result's arrays with the new ones (the previous result and what
 * it reads are still whole: publish.c). Keys are matched across routes, so a
 * route removed and added again in one step gives "changed" or nothing.
 */
#include "engine/engine_int.h"

#include "core/buf.h"
#include "core/strutil.h"
#include "emit/emit.h"
#include "ir/ir_same.h"

int rb__engine_note_before(rb_engine *e, uint32_t slot_id, bool removed)
{
	const slot *s = SLOT(e, slot_id);
	before *b = rb__vec_push(e->mem, &e->before, sizeof(*b));
	if (!b)
		return RB_ENOMEM;
	*b = (before){removed ? NO_SLOT : slot_id, s->dests, s->ndest, s->st, s->nst};
	return RB_OK;
}

void rb__engine_changes_clear(rb_engine *e)
{
	e->changes.dests.len = 0;
	e->changes.routes.len = 0;
	rb__arena_free(&e->changes.arena);
	rb__arena_init(&e->changes.arena, e->mem);
}

void rb__engine_changes_free(rb_engine *e)
{
	rb__vec_free(e->mem, &e->changes.dests);
	rb__vec_free(e->mem, &e->changes.routes);
	rb__arena_free(&e->changes.arena);
}

/* ---- comparing entries ---- */

typedef struct cmp {
	rb_engine *e;
	rb__buf a, b;
} cmp;

#ifdef REBALANCE_ASSERTS
static int to_buf(void *ud, const void *p, size_t n)
{
	return rb__buf_append(ud, p, n) ? 0 : 1;
}

/* The JSON of a destination (st NULL) or of n status entries, into b. */
static int entry_bytes(cmp *c, rb__buf *b, const rb__ir_destination *d,
                       const rb__ir_route_status *st, size_t n)
{
	b->len = 0;
	rb__writer *w;
	int rc = rb__writer_new(&w, c->e->mem, RB_FORMAT_JSON, to_buf, b);
	if (rc)
		return rc;
	if (d) {
		rc = rb__emit_destination(w, d);
	} else {
		rc = rb__w_seq_begin(w, false);
		for (size_t i = 0; i < n && !rc; i++)
			rc = rb__emit_route_status(w, &st[i]);
		if (!rc)
			rc = rb__w_seq_end(w);
	}
	int frc = rb__writer_finish(w);
	rb__writer_free(w);
	rc = rc ? rc : frc;
	return rc == RB_EIO ? RB_ENOMEM : rc; /* the buffer could not grow */
}
#endif

static bool same_fields(const rb__ir_destination *d0, const rb__ir_destination *d1,
                        const rb__ir_route_status *s0, size_t n0, const rb__ir_route_status *s1,
                        size_t n1)
{
	if (d0)
		return rb__ir_destination_same(d0, d1);
	if (n0 != n1)
		return false;
	for (size_t i = 0; i < n0; i++)
		if (!rb__ir_route_status_same(&s0[i], &s1[i]))
			return false;
	return true;
}

/* Do two destinations (d0, d1), or two routes' status entries, serialize the same? */
static int same(cmp *c, const rb__ir_destination *d0, const rb__ir_destination *d1,
                const rb__ir_route_status *s0, size_t n0, const rb__ir_route_status *s1, size_t n1,
                bool *eq)
{
	*eq = same_fields(d0, d1, s0, n0, s1, n1);
#ifdef REBALANCE_ASSERTS
	/* The field comparison must agree with the bytes. */
	int rc = entry_bytes(c, &c->a, d0, s0, n0);
	if (!rc)
		rc = entry_bytes(c, &c->b, d1, s1, n1);
	if (rc)
		return rc;
	RB_ASSERT(*eq == (c->a.len == c->b.len && !memcmp(c->a.data, c->b.data, c->a.len)));
#else
	(void)c;
#endif
	return RB_OK;
}

/* ---- the two sides ---- */

/* Keys are unique in a result, except when the input defines a route twice
 * (its copies' destinations share keys): entries of one key are then paired
 * in order, through `next`. */
typedef struct old_dest {
	const rb__ir_destination *d;
	bool seen;
	struct old_dest *next; /* the next entry of the same key */
} old_dest;

/* The status entries of one route. */
typedef struct group {
	const rb__ir_route_status *st;
	size_t n;
	bool seen;
	struct group *next;
} group;

typedef struct sides {
	rb__vec old_d; /* old_dest */
	rb__vec new_d; /* const rb__ir_destination * */
	rb__vec old_g; /* group */
	rb__vec new_g; /* group */
} sides;

static bool same_route(const rb__ir_route_status *a, const rb__ir_route_status *b)
{
	return rb__str_eq(a->kind, b->kind) && rb__str_eq(a->namespace_, b->namespace_) &&
	       rb__str_eq(a->name, b->name);
}

static int add_dests(rb_engine *e, rb__vec *v, bool old, const rb__ir_destination *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		void *p = rb__vec_push(e->mem, v, old ? sizeof(old_dest) : sizeof(void *));
		if (!p)
			return RB_ENOMEM;
		if (old)
			((old_dest *)p)->d = &d[i];
		else
			*(const rb__ir_destination **)p = &d[i];
	}
	return RB_OK;
}

/* Status entries, one group per run of the same route. */
static int add_groups(rb_engine *e, rb__vec *v, const rb__ir_route_status *st, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && same_route(&st[i], &st[j]))
			j++;
		group *g = rb__vec_push(e->mem, v, sizeof(*g));
		if (!g)
			return RB_ENOMEM;
		*g = (group){&st[i], j - i, false, NULL};
		i = j;
	}
	return RB_OK;
}

static int collect(rb_engine *e, sides *sd, bool full)
{
	int rc = RB_OK;
	if (full) {
		const rb_result *prev = e->published;
		if (prev)
			rc = add_dests(e, &sd->old_d, true, prev->ir.destinations, prev->ir.destination_count);
		if (!rc && prev)
			rc = add_groups(e, &sd->old_g, prev->ir.statuses, prev->ir.status_count);
		if (!rc)
			rc = add_dests(e, &sd->new_d, false, e->lay->dests.data, e->lay->dests.len);
		if (!rc)
			rc = add_groups(e, &sd->new_g, e->lay->statuses.data, e->lay->statuses.len);
		return rc;
	}
	for (size_t i = 0; i < e->before.len && !rc; i++) {
		const before *b = &RB_VEC_AT(&e->before, before, i);
		rc = add_dests(e, &sd->old_d, true, b->dests, b->ndest);
		if (!rc)
			rc = add_groups(e, &sd->old_g, b->st, b->nst);
		if (rc || b->slot == NO_SLOT)
			continue;
		const slot *s = SLOT(e, b->slot);
		if (!s->alive)
			continue; /* translated, then removed: its entries are in no result */
		rc = add_dests(e, &sd->new_d, false, s->dests, s->ndest);
		if (!rc)
			rc = add_groups(e, &sd->new_g, s->st, s->nst);
	}
	return rc;
}

/* "kind/namespace/name" of a route (names hold no "/"), in the scratch arena. */
static const char *route_key(rb__arena *a, const rb__ir_route_status *st, size_t *n)
{
	return rb__arena_join3(a, st->kind ? st->kind : "", st->namespace_ ? st->namespace_ : "",
	                       st->name ? st->name : "", '/', n);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int diff_dests(rb_engine *e, cmp *c, sides *sd, rb__map *m)
{
	struct rb_changes *ch = &e->changes;
	for (size_t i = sd->old_d.len; i-- > 0;) {
		old_dest *o = &RB_VEC_AT(&sd->old_d, old_dest, i);
		const char *k = nz(o->d->key);
		o->next = rb__map_get(m, k, strlen(k));
		if (!rb__map_put(m, k, strlen(k), o))
			return RB_ENOMEM;
	}
	for (size_t i = 0; i < sd->new_d.len; i++) {
		const rb__ir_destination *d = RB_VEC_AT(&sd->new_d, const rb__ir_destination *, i);
		const char *k = nz(d->key);
		old_dest *o = rb__map_get(m, k, strlen(k));
		while (o && o->seen)
			o = o->next;
		rb_change what = RB_CHANGE_ADDED;
		if (o) {
			bool eq;
			o->seen = true;
			int rc = same(c, o->d, d, NULL, 0, NULL, 0, &eq);
			if (rc)
				return rc;
			if (eq)
				continue;
			what = RB_CHANGE_CHANGED;
		}
		dest_change *x = rb__vec_push(e->mem, &ch->dests, sizeof(*x));
		if (!x)
			return RB_ENOMEM;
		*x = (dest_change){what, k, d};
	}
	for (size_t i = 0; i < sd->old_d.len; i++) {
		const old_dest *o = &RB_VEC_AT(&sd->old_d, old_dest, i);
		if (o->seen)
			continue;
		const char *k = rb__arena_strdup(&ch->arena, nz(o->d->key));
		dest_change *x = k ? rb__vec_push(e->mem, &ch->dests, sizeof(*x)) : NULL;
		if (!x)
			return RB_ENOMEM;
		*x = (dest_change){RB_CHANGE_REMOVED, k, NULL};
	}
	return RB_OK;
}

static int diff_routes(rb_engine *e, cmp *c, sides *sd, rb__map *m, rb__arena *scratch)
{
	struct rb_changes *ch = &e->changes;
	size_t n;
	for (size_t i = sd->old_g.len; i-- > 0;) {
		group *g = &RB_VEC_AT(&sd->old_g, group, i);
		const char *k = route_key(scratch, g->st, &n);
		if (!k)
			return RB_ENOMEM;
		g->next = rb__map_get(m, k, n);
		if (!rb__map_put(m, k, n, g))
			return RB_ENOMEM;
	}
	for (size_t i = 0; i < sd->new_g.len; i++) {
		const group *g = &RB_VEC_AT(&sd->new_g, group, i);
		const char *k = route_key(scratch, g->st, &n);
		if (!k)
			return RB_ENOMEM;
		group *o = rb__map_get(m, k, n);
		while (o && o->seen)
			o = o->next;
		rb_change what = RB_CHANGE_ADDED;
		if (o) {
			bool eq;
			o->seen = true;
			int rc = same(c, NULL, NULL, o->st, o->n, g->st, g->n, &eq);
			if (rc)
				return rc;
			if (eq)
				continue;
			what = RB_CHANGE_CHANGED;
		}
		route_change *x = rb__vec_push(e->mem, &ch->routes, sizeof(*x));
		if (!x)
			return RB_ENOMEM;
		*x = (route_change){what, nz(g->st->kind), nz(g->st->namespace_), nz(g->st->name), g->st,
		                    g->n};
	}
	for (size_t i = 0; i < sd->old_g.len; i++) {
		const group *g = &RB_VEC_AT(&sd->old_g, group, i);
		if (g->seen)
			continue;
		route_change *x = rb__vec_push(e->mem, &ch->routes, sizeof(*x));
		if (!x)
			return RB_ENOMEM;
		*x = (route_change){RB_CHANGE_REMOVED, rb__arena_strdup(&ch->arena, nz(g->st->kind)),
		                    rb__arena_strdup(&ch->arena, nz(g->st->namespace_)),
		                    rb__arena_strdup(&ch->arena, nz(g->st->name)), NULL, 0};
		if (!x->kind || !x->namespace_ || !x->name)
			return RB_ENOMEM;
	}
	return RB_OK;
}

int rb__engine_delta(rb_engine *e, bool full)
{
	rb__engine_changes_clear(e);
	sides sd = {RB_VEC_INIT, RB_VEC_INIT, RB_VEC_INIT, RB_VEC_INIT};
	cmp c;
	c.e = e;
	rb__buf_init(&c.a, e->mem);
	rb__buf_init(&c.b, e->mem);
	rb__map dm, rm;
	rb__map_init(&dm, e->mem);
	rb__map_init(&rm, e->mem);
	rb__arena scratch;
	rb__arena_init(&scratch, e->mem);
	int rc = collect(e, &sd, full);
	if (!rc)
		rc = diff_dests(e, &c, &sd, &dm);
	if (!rc)
		rc = diff_routes(e, &c, &sd, &rm, &scratch);
	rb__arena_free(&scratch);
	rb__map_free(&dm);
	rb__map_free(&rm);
	rb__buf_free(&c.a);
	rb__buf_free(&c.b);
	rb__vec_free(e->mem, &sd.old_d);
	rb__vec_free(e->mem, &sd.new_d);
	rb__vec_free(e->mem, &sd.old_g);
	rb__vec_free(e->mem, &sd.new_g);
	if (rc)
		rb__engine_changes_clear(e);
	return rc;
}

/* ---- the public view ---- */

const rb_changes *rb_engine_changes(const rb_engine *e)
{
	return e ? &e->changes : NULL;
}

static const dest_change *dest_at(const rb_changes *c, size_t i)
{
	return c && i < c->dests.len ? &RB_VEC_AT(&c->dests, dest_change, i) : NULL;
}

static const route_change *route_at(const rb_changes *c, size_t i)
{
	return c && i < c->routes.len ? &RB_VEC_AT(&c->routes, route_change, i) : NULL;
}

size_t rb_changes_destination_count(const rb_changes *c)
{
	return c ? c->dests.len : 0;
}

rb_change rb_changes_destination_change(const rb_changes *c, size_t i)
{
	const dest_change *x = dest_at(c, i);
	return x ? x->what : (rb_change)0;
}

const char *rb_changes_destination_key(const rb_changes *c, size_t i)
{
	const dest_change *x = dest_at(c, i);
	return x ? x->key : NULL;
}

const rb_destination *rb_changes_destination(const rb_changes *c, size_t i)
{
	const dest_change *x = dest_at(c, i);
	return x ? x->d : NULL;
}

size_t rb_changes_route_count(const rb_changes *c)
{
	return c ? c->routes.len : 0;
}

rb_change rb_changes_route_change(const rb_changes *c, size_t i)
{
	const route_change *x = route_at(c, i);
	return x ? x->what : (rb_change)0;
}

const char *rb_changes_route_kind(const rb_changes *c, size_t i)
{
	const route_change *x = route_at(c, i);
	return x ? x->kind : NULL;
}

const char *rb_changes_route_namespace(const rb_changes *c, size_t i)
{
	const route_change *x = route_at(c, i);
	return x ? x->namespace_ : NULL;
}

const char *rb_changes_route_name(const rb_changes *c, size_t i)
{
	const route_change *x = route_at(c, i);
	return x ? x->name : NULL;
}

size_t rb_changes_route_status_count(const rb_changes *c, size_t i)
{
	const route_change *x = route_at(c, i);
	return x ? x->nst : 0;
}

const rb_route_status *rb_changes_route_status(const rb_changes *c, size_t i, size_t j)
{
	const route_change *x = route_at(c, i);
	return x && j < x->nst ? &x->st[j] : NULL;
}
