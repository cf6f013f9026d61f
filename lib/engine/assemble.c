/* The engine's translations: everything, or the dirty routes only, and the
 * result assembled (or patched in place) from every route slot, compared with
 * the previous one (delta.c) and published (publish.c). */
#include "engine/engine_int.h"

#include <string.h>

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
	if (!e->full) {
		int rc = rb__engine_note_before(e, id, false);
		if (rc)
			return rc;
	}
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

/* Every slot's entries, in route kind order then list order, in new arrays
 * (the previous ones stay whole for the result that reads them). */
static int assemble(rb_engine *e)
{
	layout *l = rb__engine_layout_new(e);
	if (!l)
		return RB_ENOMEM;
	size_t nd = 0, ns = 0;
	for (size_t i = 0; i < e->slots.len; i++)
		if (SLOT(e, i)->alive) {
			nd += SLOT(e, i)->ndest;
			ns += SLOT(e, i)->nst;
		}
	int rc = RB_OK;
	if ((nd && !rb__vec_reserve(e->mem, &l->dests, nd, sizeof(rb__ir_destination))) ||
	    (ns && !rb__vec_reserve(e->mem, &l->statuses, ns, sizeof(rb__ir_route_status))))
		rc = RB_ENOMEM;
	for (int k = 0; k < RB_ROUTE_KIND_COUNT && !rc; k++) {
		const rb__vec *o = &e->order[k];
		for (size_t i = 0; i < o->len && !rc; i++) {
			slot *s = SLOT(e, RB_VEC_AT(o, uint32_t, i));
			s->dest_off = l->dests.len;
			s->st_off = l->statuses.len;
			if (vec_append(e->mem, &l->dests, s->dests, s->ndest, sizeof(rb__ir_destination)) ||
			    vec_append(e->mem, &l->statuses, s->st, s->nst, sizeof(rb__ir_route_status)))
				rc = RB_ENOMEM;
		}
	}
	if (rc) {
		l->node.free(e->mem, &l->node);
		return rc;
	}
	if (e->lay)
		rb__engine_discard(e, &e->lay->node);
	e->lay = l;
	e->lay_published = false;
	e->relayout = false;
	return RB_OK;
}

void rb__engine_tr_drop(rb_engine *e)
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
	rb__free(e->mem, e->gen);
	e->gen = NULL;
}

/* Does a policy select routes by label (then a route's labels change its result)? */
static bool has_selectors(const rb__model *m)
{
	for (size_t i = 0; i < m->backend_traffic_policies.len; i++)
		if (RB_VEC_AT(&m->backend_traffic_policies, const rb__backend_traffic_policy *, i)
		        ->targets.selector_count)
			return true;
	for (size_t i = 0; i < m->security_policies.len; i++)
		if (RB_VEC_AT(&m->security_policies, const rb__security_policy *, i)
		        ->targets.selector_count)
			return true;
	for (size_t i = 0; i < m->extension_policies.len; i++)
		if (RB_VEC_AT(&m->extension_policies, const rb__extension_policy *, i)
		        ->targets.selector_count)
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
	/* The previous generation stays whole until the result reading it goes. */
	generation *holder = rb__engine_generation_new(e);
	if (!holder)
		return RB_ENOMEM;
	rb__engine_generation_retire(e);
	e->gen = holder;
	rb__engine_deps_reset(e);
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
	e->tr.dep = rb__engine_on_dep;
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
	return rc;
}

/* The new entries of the translated slots into the arrays: assembled again
 * when a slot changed its number of entries, else patched in place (on a
 * copy when someone holds the result that reads them). */
static int update_layout(rb_engine *e)
{
	if (e->relayout || !e->lay)
		return assemble(e);
	int rc = rb__engine_layout_writable(e);
	if (rc)
		return rc;
	for (size_t i = 0; i < e->dirty.len; i++) {
		slot *s = SLOT(e, RB_VEC_AT(&e->dirty, uint32_t, i));
		if (!s->alive || !s->translated)
			continue;
		if (s->ndest)
			memcpy(&RB_VEC_AT(&e->lay->dests, rb__ir_destination, s->dest_off), s->dests,
			       s->ndest * sizeof(rb__ir_destination));
		if (s->nst)
			memcpy(&RB_VEC_AT(&e->lay->statuses, rb__ir_route_status, s->st_off), s->st,
			       s->nst * sizeof(rb__ir_route_status));
	}
	return RB_OK;
}

static int translate(rb_engine *e)
{
	bool garbage = e->built && e->ir->total + e->tr.scratch.total >
	                                    2 * e->base_bytes + (size_t)1024 * 1024;
	bool full = !e->built || e->need_full || garbage;
	if (!full && !e->dirty.len && !e->relayout) {
		rb__engine_changes_clear(e); /* nothing to translate */
		return RB_OK;
	}
	e->stats.translations++;
	int rc = RB_OK;
	if (!full) {
		rc = translate_dirty(e);
		full = !rc && e->overlap_changed; /* other routes' statuses change too */
		if (!rc && !full)
			rc = rb__engine_delta(e, false); /* before the arrays change */
		if (!rc && !full)
			rc = update_layout(e);
	}
	if (full && !rc) {
		e->need_full = false;
		rc = translate_full(e);
		if (!rc)
			rc = rb__engine_delta(e, true);
	}
	return rc;
}

int rb_engine_translate(rb_engine *e, const rb_result **out)
{
	if (!e || !out)
		return RB_EINVAL;
	*out = NULL;
	e->stats.routes_translated = 0;
	e->dep_failed = false;
	/* The engine's reference, an older result's (`chained`), readers' ones;
	 * the count first: `chained` is cleared before the older result's
	 * reference goes, so a count without it is never read with it set. */
	size_t refs = e->published
	                  ? atomic_load_explicit(&e->published->refs, memory_order_acquire)
	                  : 0;
	bool chained = e->published &&
	               atomic_load_explicit(&e->published->chained, memory_order_acquire);
	e->kept = refs > 1;
	e->frozen = refs > 1 + (size_t)chained;
	int rc = translate(e);
	for (size_t i = 0; i < e->slots.len; i++)
		SLOT(e, i)->translated = false;
	e->dirty.len = 0;
	e->before.len = 0;
	if (!rc) {
		/* The batches that lost their last object: the previous result may read them. */
		for (batch *b = e->dead, *next; b; b = next) {
			next = b->next;
			rb__engine_discard(e, &b->node);
		}
		e->dead = NULL;
		if (e->pending || !e->published || !e->lay_published)
			rc = rb__engine_publish(e);
	}
	if (rc) {
		e->need_full = true;
		rb__engine_changes_clear(e);
		return rc;
	}
	*out = e->published;
	return RB_OK;
}
