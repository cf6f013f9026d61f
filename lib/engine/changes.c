/* The engine's changes: an object added, replaced or deleted, the translator's
 * indexes kept in step, and the routes to translate again marked. */
#include "engine/engine_int.h"

#include <string.h>

#include "load/load.h"

/* Keep the translator's indexes in step and find what to translate again. */
int rb__engine_effects(rb_engine *e, int list, const void *old, void *new_)
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
		rc = rb__index_set(&e->tr, RB_BACKEND_SERVICE, m->namespace_, m->name, new_);
		return rc ? rc : rb__engine_mark(e, RB_DEP_SERVICE, m->namespace_, m->name);
	case RB_LIST_SERVICE_IMPORT:
		rc = rb__index_set(&e->tr, RB_BACKEND_SERVICE_IMPORT, m->namespace_, m->name, new_);
		return rc ? rc : rb__engine_mark(e, RB_DEP_SERVICE_IMPORT, m->namespace_, m->name);
	case RB_LIST_BACKEND:
		rc = rb__index_set(&e->tr, RB_BACKEND_BACKEND, m->namespace_, m->name, new_);
		return rc ? rc : rb__engine_mark(e, RB_DEP_BACKEND, m->namespace_, m->name);
	case RB_LIST_GRANT:
		/* Listener verdicts read grants for certificate Secrets (translate/listeners.c). */
		rb__listeners_forget(&e->tr);
		return rb__engine_mark(e, RB_DEP_GRANTS, m->namespace_, "");
	case RB_LIST_SLICE: {
		const rb__endpoint_slice *o = old, *n = new_;
		rc = rb__index_slice_changed(&e->tr, o, n);
		rb__backend_kind kind;
		const char *owner;
		if (!rc && o && (owner = rb__slice_owner(o, &kind)))
			rc = rb__engine_mark(e, rb__slices_dep(kind), o->meta.namespace_, owner);
		if (!rc && n && (owner = rb__slice_owner(n, &kind)))
			rc = rb__engine_mark(e, rb__slices_dep(kind), n->meta.namespace_, owner);
		return rc;
	}
	default:
		/* Gateways, Namespaces, policies, EnvoyProxies, extension objects: not per route. */
		e->need_full = true;
		return RB_OK;
	}
}

/* Add or replace one object (engine.h: it takes the place of the first of its identity). */
static int put(rb_engine *e, int list, void *obj, batch *b)
{
	const rb__objmeta *m = meta_of(obj);
	ident *id = rb__engine_ident(e, list, m->namespace_, m->name, true);
	if (!id)
		return RB_ENOMEM;
	rb__vec *v = rb__model_list(&e->model, list);
	int rc = RB_OK;
	if (!rb__vec_push(e->mem, &id->objs, sizeof(owned))) /* room first: no failure midway */
		return RB_ENOMEM;
	id->objs.len--;
	if (!id->objs.len) {
		/* The route order first: the list and the order never disagree, even
		 * when memory runs out. */
		if (list >= RB_LIST_ROUTE) {
			uint32_t sid;
			if ((rc = rb__engine_slot_new(e, obj, &sid)))
				return rc;
			if ((rc = push_u32(e->mem, &e->order[list - RB_LIST_ROUTE], sid))) {
				rb__engine_slot_kill(e, sid);
				return rc;
			}
			e->relayout = true;
		}
		if (!rb__vec_push_ptr(e->mem, v, obj)) {
			if (list >= RB_LIST_ROUTE) {
				rb__vec *o = &e->order[list - RB_LIST_ROUTE];
				rb__engine_slot_kill(e, RB_VEC_AT(o, uint32_t, --o->len));
			}
			return RB_ENOMEM;
		}
		RB_VEC_AT(&id->objs, owned, 0) = (owned){obj, b};
		id->objs.len = 1;
		b->live++;
		return rb__engine_effects(e, list, NULL, obj);
	}
	owned first = RB_VEC_AT(&id->objs, owned, 0);
	size_t pos = rb__engine_position(v, first.obj);
	if (NEVER(pos == SIZE_MAX))
		return RB_EINVAL;
	RB_VEC_AT(v, void *, pos) = obj;
	if (list >= RB_LIST_ROUTE) {
		uint32_t sid = RB_VEC_AT(&e->order[list - RB_LIST_ROUTE], uint32_t, pos);
		SLOT(e, sid)->r = obj;
		rc = rb__engine_make_dirty(e, sid);
	}
	/* Later duplicates (of the input) go. */
	for (size_t i = 1; i < id->objs.len && !rc; i++) {
		owned dup = RB_VEC_AT(&id->objs, owned, i);
		size_t p = rb__engine_position(v, dup.obj);
		if (p != SIZE_MAX)
			rc = rb__engine_remove_at(e, list, p);
	}
	for (size_t i = 1; i < id->objs.len && !rc; i++) {
		owned dup = RB_VEC_AT(&id->objs, owned, i);
		rc = rb__engine_effects(e, list, dup.obj, NULL);
		rb__engine_release(e, dup.b);
	}
	RB_VEC_AT(&id->objs, owned, 0) = (owned){obj, b};
	id->objs.len = 1;
	b->live++;
	if (!rc)
		rc = rb__engine_effects(e, list, first.obj, obj);
	rb__engine_release(e, first.b);
	return rc;
}

static int del(rb_engine *e, int list, const char *ns, const char *name)
{
	ident *id = rb__engine_ident(e, list, ns, name, false);
	if (!id || !id->objs.len)
		return RB_OK;
	rb__vec *v = rb__model_list(&e->model, list);
	int rc = RB_OK;
	for (size_t i = 0; i < id->objs.len && !rc; i++) {
		size_t p = rb__engine_position(v, RB_VEC_AT(&id->objs, owned, i).obj);
		if (p != SIZE_MAX)
			rc = rb__engine_remove_at(e, list, p);
	}
	for (size_t i = 0; i < id->objs.len; i++) {
		owned o = RB_VEC_AT(&id->objs, owned, i);
		if (!rc)
			rc = rb__engine_effects(e, list, o.obj, NULL);
		rb__engine_release(e, o.b);
	}
	id->objs.len = 0;
	return rc;
}

/* The model's single objects: the last one applied wins; any change is a full one. */
static void put_single(rb_engine *e, int which, void **field, void *obj, batch *b)
{
	if (!obj)
		return;
	rb__engine_release(e, e->single_batch[which]);
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
	rb__model_sink_ctx sink_ctx = {&tmp, &e->diags, source, NULL, NULL, NULL, NULL, NULL};
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
	rb__engine_batch_init(b);
	rb__arena_intern_done(&tmp.arena);
	b->arena = tmp.arena; /* the objects' memory moves to the batch */
	b->live = 1;          /* held while the objects are placed */
	b->next = e->batches;
	if (e->batches)
		e->batches->prev = b;
	e->batches = b;
	for (int l = 0; l < RB_LIST_COUNT && !rc; l++) {
		const rb__vec *v = rb__model_list(&tmp, l);
		for (size_t i = 0; i < v->len && !rc; i++)
			rc = put(e, l, RB_VEC_AT(v, void *, i), b);
	}
	if (!rc) {
		put_single(e, 0, (void **)&e->model.gateway_class, tmp.gateway_class, b);
		put_single(e, 1, (void **)&e->model.envoy_proxy_for_class, tmp.envoy_proxy_for_class, b);
		put_single(e, 2, (void **)&e->model.envoy_proxy_default, tmp.envoy_proxy_default, b);
	}
	for (int l = 0; l < RB_LIST_COUNT; l++)
		rb__vec_free(e->mem, rb__model_list(&tmp, l));
	rb__engine_release(e, b);
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
			rb__engine_release(e, e->single_batch[0]);
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
