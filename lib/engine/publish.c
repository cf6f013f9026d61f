/*
 * The engine's results and the memory they read (engine.h, "Results and
 * snapshots").
 *
 * A result reads the assembled arrays (a layout), the IR arena and the
 * translator's scratch of the generation that made its entries, the applied
 * buffers (batches) of the objects its strings come from, and the engine's
 * option strings. Whatever the engine gives up during a translation goes to
 * `pending` first: the change set is computed while the previous result is
 * still whole. Then, when only the engine holds the previous result, pending
 * memory is freed and the previous result object is reused. When a reader
 * holds it (`frozen`), its arrays were copied before being patched, the
 * pending memory is handed to it, a new result is made, and the previous one
 * keeps the new one alive (`newer`, `chained`): a result older still may read
 * memory the engine gives up later, which is retired onto a newer result, so
 * each result keeps every newer one. A result kept only by an older one
 * (`kept`, not `frozen`) is reused, its arrays patched in place (the older
 * one never reads them), and the pending memory handed to it. Dropping the
 * last reference to the oldest frees the chain up to the first result still
 * held (result/results.c).
 */
#include "engine/engine_int.h"

static void free_layout(const rb__mem *mem, rb__retired *node)
{
	layout *l = (layout *)node;
	rb__vec_free(mem, &l->dests);
	rb__vec_free(mem, &l->statuses);
	rb__free(mem, l);
}

static void free_batch(const rb__mem *mem, rb__retired *node)
{
	batch *b = (batch *)node;
	rb__arena_free(&b->arena);
	rb__free(mem, b);
}

static void free_opt_strings(const rb__mem *mem, rb__retired *node)
{
	opt_strings *o = (opt_strings *)node;
	rb__arena_free(&o->arena);
	rb__free(mem, o);
}

static void free_generation(const rb__mem *mem, rb__retired *node)
{
	generation *g = (generation *)node;
	if (g->built)
		rb__tr_free(&g->tr);
	if (g->ir) {
		rb__arena_free(g->ir);
		rb__free(mem, g->ir);
	}
	rb__free(mem, g);
}

void rb__engine_discard(rb_engine *e, rb__retired *node)
{
	node->next = e->pending;
	e->pending = node;
}

static void free_list(const rb__mem *mem, rb__retired *r)
{
	while (r) {
		rb__retired *next = r->next;
		r->free(mem, r);
		r = next;
	}
}

layout *rb__engine_layout_new(rb_engine *e)
{
	layout *l = rb__calloc(e->mem, 1, sizeof(*l));
	if (l)
		l->node.free = free_layout;
	return l;
}

int rb__engine_opt_strings_new(rb_engine *e)
{
	e->opt = rb__calloc(e->mem, 1, sizeof(*e->opt));
	if (!e->opt)
		return RB_ENOMEM;
	e->opt->node.free = free_opt_strings;
	rb__arena_init(&e->opt->arena, e->mem);
	return RB_OK;
}

void rb__engine_batch_init(batch *b)
{
	b->node.free = free_batch;
}

generation *rb__engine_generation_new(rb_engine *e)
{
	generation *g = rb__calloc(e->mem, 1, sizeof(*g));
	if (g)
		g->node.free = free_generation;
	return g;
}

void rb__engine_generation_retire(rb_engine *e)
{
	generation *g = e->gen;
	e->gen = NULL;
	if (!g)
		return; /* every generation is made with its holder (translate_full) */
	g->tr = e->tr; /* the translator's state moves (it holds no pointer to itself) */
	g->built = e->built;
	g->ir = e->ir;
	memset(&e->tr, 0, sizeof e->tr);
	e->built = false;
	e->ir = NULL;
	rb__engine_discard(e, &g->node);
}

int rb__engine_layout_writable(rb_engine *e)
{
	if (!e->frozen || !e->lay_published)
		return RB_OK; /* no one reads these arrays but the engine */
	layout *copy = rb__engine_layout_new(e);
	if (!copy)
		return RB_ENOMEM;
	const layout *l = e->lay;
	if (vec_append(e->mem, &copy->dests, l->dests.data, l->dests.len, sizeof(rb__ir_destination)) ||
	    vec_append(e->mem, &copy->statuses, l->statuses.data, l->statuses.len,
	               sizeof(rb__ir_route_status))) {
		free_layout(e->mem, &copy->node);
		return RB_ENOMEM;
	}
	rb__engine_discard(e, &e->lay->node);
	e->lay = copy;
	e->lay_published = false;
	return RB_OK;
}

int rb__engine_publish(rb_engine *e)
{
	rb_result *old = e->published;
	rb_result *res = old;
	/* The same arrays (only memory was given up): the same result. A new
	 * result never shares its arrays with another one. */
	if (!old || (e->frozen && !e->lay_published)) {
		res = rb__result_new(e->ctx, e->input);
		if (!res)
			return RB_ENOMEM;
		res->options = e->opts;
	}
	if (res != old || !e->lay_published) { /* (never written while someone reads it) */
		res->ir.destinations = e->lay->dests.data;
		res->ir.destination_count = e->lay->dests.len;
		res->ir.statuses = e->lay->statuses.data;
		res->ir.status_count = e->lay->statuses.len;
	}
	if (old && e->kept) {
		/* The old result keeps what it (or an older one) reads. */
		rb__retired **tail = &old->retired;
		while (*tail)
			tail = &(*tail)->next;
		*tail = e->pending;
	} else {
		free_list(e->mem, e->pending);
	}
	if (old && old != res) {
		/* ... and every newer result. */
		atomic_store_explicit(&res->chained, true, memory_order_relaxed);
		old->newer = rb_result_ref(res);
		rb_result_free(old); /* the engine's reference */
	}
	e->pending = NULL;
	e->published = res;
	e->lay_published = true;
	e->frozen = e->kept = false;
	return RB_OK;
}

void rb__engine_retire_all(rb_engine *e)
{
	rb__engine_generation_retire(e);
	for (batch *b = e->batches, *next; b; b = next) {
		next = b->next;
		rb__engine_discard(e, &b->node);
	}
	for (batch *b = e->dead, *next; b; b = next) {
		next = b->next;
		rb__engine_discard(e, &b->node);
	}
	e->batches = e->dead = NULL;
	if (e->lay)
		rb__engine_discard(e, &e->lay->node);
	e->lay = NULL;
	if (e->opt)
		rb__engine_discard(e, &e->opt->node);
	e->opt = NULL;
	rb_result *res = e->published;
	if (res && atomic_load_explicit(&res->refs, memory_order_acquire) > 1) {
		rb__retired **tail = &res->retired;
		while (*tail)
			tail = &(*tail)->next;
		*tail = e->pending;
	} else {
		free_list(e->mem, e->pending);
	}
	e->pending = NULL;
	e->published = NULL;
	rb_result_free(res);
}

int rb_engine_snapshot(rb_engine *e, rb_result **out)
{
	if (!out)
		return RB_EINVAL;
	*out = NULL;
	if (!e || !e->published)
		return RB_EINVAL;
	*out = rb_result_ref(e->published);
	return RB_OK;
}
