/* The engine's dependencies: which routes looked which key up (rb__dep_kind),
 * recorded while they are translated and read to mark them dirty. */
#include "engine/engine_int.h"

#include <string.h>

/* ---- dependencies ---- */

void rb__engine_deps_reset(rb_engine *e)
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

static size_t dep_key(char *key, size_t size, rb__dep_kind kind, const char *ns, const char *name)
{
	size_t a = strlen(ns), b = strlen(name);
	if (a + b + 3 > size)
		return 0;
	key[0] = (char)kind;
	memcpy(key + 1, ns, a);
	key[1 + a] = '/';
	memcpy(key + 2 + a, name, b);
	return a + b + 2;
}

/* The recorder the translator calls (tr.h): the current slot depends on (kind, ns, name). */
void rb__engine_on_dep(void *ud, rb__dep_kind kind, const char *ns, const char *name)
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

int rb__engine_make_dirty(rb_engine *e, uint32_t id)
{
	slot *s = SLOT(e, id);
	if (s->dirty || !s->alive)
		return RB_OK;
	s->dirty = true;
	return push_u32(e->mem, &e->dirty, id);
}

/* Every route whose last translation looked (kind, ns, name) up becomes dirty. */
int rb__engine_mark(rb_engine *e, rb__dep_kind kind, const char *ns, const char *name)
{
	char key[2100];
	size_t n = dep_key(key, sizeof key, kind, ns ? ns : "", name ? name : "");
	dep_list *d = n ? rb__map_get(&e->deps, key, n) : NULL;
	if (!d)
		return RB_OK;
	dep_clean(e, d);
	for (size_t i = 0; i < d->v.len; i++) {
		int rc = rb__engine_make_dirty(e, RB_VEC_AT(&d->v, dep_entry, i).slot);
		if (rc)
			return rc;
	}
	return RB_OK;
}
