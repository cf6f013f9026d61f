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
 *  - dependencies: dep key (rb__dep_kind + ns/name; tr.h) -> the
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
#include "engine/engine_int.h"

#include <string.h>

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
	e->input = in;
	e->opts = o;
	rb__arena_init(&e->changes.arena, e->mem);
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
	rc = rb__engine_opt_strings_new(e);
	if (!rc)
		rc = rb__options_own(&e->opts, &e->opt->arena);
	if (!rc)
		rc = rb__tr_options_from(&e->to, &e->opts, &in->model, &e->opt->arena);
	const rb__model *src = &in->model;
	for (int l = 0; l < RB_LIST_COUNT && !rc; l++) {
		const rb__vec *v = rb__model_list_const(src, l);
		if (vec_append(e->mem, rb__model_list(&e->model, l), v->data, v->len, sizeof(void *)))
			rc = RB_ENOMEM;
		for (size_t i = 0; i < v->len && !rc; i++) {
			void *obj = RB_VEC_AT(v, void *, i);
			const rb__objmeta *m = meta_of(obj);
			ident *id = rb__engine_ident(e, l, m->namespace_, m->name, true);
			owned *ow = id ? rb__vec_push(e->mem, &id->objs, sizeof(owned)) : NULL;
			if (!ow) {
				rc = RB_ENOMEM;
				break;
			}
			ow->obj = obj;
			if (l >= RB_LIST_ROUTE) {
				uint32_t sid;
				rc = rb__engine_slot_new(e, obj, &sid);
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
	/* What the last result reads goes with it when someone holds it. */
	rb__engine_retire_all(e);
	rb__engine_tr_drop(e);
	rb__engine_deps_reset(e);
	rb__map_free(&e->deps);
	rb__map_free(&e->overlap_counts);
	rb__arena_free(&e->dep_arena);
	for (size_t i = 0; i < e->ids.cap; i++)
		if (e->ids.slots[i].key)
			rb__vec_free(e->mem, &((ident *)e->ids.slots[i].value)->objs);
	rb__map_free(&e->ids);
	rb__arena_free(&e->id_arena);
	for (int l = 0; l < RB_LIST_COUNT; l++)
		rb__vec_free(e->mem, rb__model_list(&e->model, l));
	rb__arena_free(&e->model.arena);
	rb__vec_free(e->mem, &e->slots);
	rb__vec_free(e->mem, &e->free_slots);
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++)
		rb__vec_free(e->mem, &e->order[k]);
	rb__vec_free(e->mem, &e->dirty);
	rb__vec_free(e->mem, &e->before);
	rb__engine_changes_free(e);
	rb__diags_free(&e->diags);
	rb__arena_free(&e->diag_arena);
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
