/* The engine's lists and identities: the identity index, the batches that own
 * applied objects, the route slots, and removing an object from a list. */
#include "engine/engine_int.h"

#include <string.h>
#include <stdio.h>

/* "<list><ns>/<name>" into key; its length, or 0 when too long. */
static size_t id_key(char *key, size_t size, int list, const char *ns, const char *name)
{
	int n = snprintf(key, size, "%c%s/%s", 'A' + list, ns ? ns : "", name ? name : "");
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

ident *rb__engine_ident(rb_engine *e, int list, const char *ns, const char *name, bool create)
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

/* ---- batches and slots ---- */

void rb__engine_release(rb_engine *e, batch *b)
{
	if (!b)
		return;
	RB_ASSERT(b->live > 0); /* one count per placed object, plus the apply in progress */
	if (--b->live)
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

int rb__engine_slot_new(rb_engine *e, const rb__route *r, uint32_t *out)
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
	return rb__engine_make_dirty(e, id);
}

int rb__engine_slot_kill(rb_engine *e, uint32_t id)
{
	slot *s = SLOT(e, id);
	/* Its entries leave the result: the change set reports them removed. */
	if (e->built && !e->need_full && s->alive && rb__engine_note_before(e, id, true))
		e->need_full = true;
	bool shared = false;
	if (e->built && !e->need_full &&
	    rb__overlap_count(&e->overlap_counts, e->mem, s->ov, s->nov, -1, &shared))
		e->need_full = true; /* no memory to count: start again */
	if (shared)
		e->need_full = true;
	s->ov = NULL;
	s->nov = 0;
	s->alive = false;
	s->dests = NULL;
	s->ndest = 0;
	s->st = NULL;
	s->nst = 0;
	s->dirty = false;
	s->epoch++;
	return push_u32(e->mem, &e->free_slots, id);
}

/* Remove position pos of a list (and of the route order). */
int rb__engine_remove_at(rb_engine *e, int list, size_t pos)
{
	rb__vec *v = rb__model_list(&e->model, list);
	RB_ASSERT(v && pos < v->len);
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
	return rb__engine_slot_kill(e, id);
}

size_t rb__engine_position(const rb__vec *v, const void *obj)
{
	for (size_t i = 0; i < v->len; i++)
		if (RB_VEC_AT(v, const void *, i) == obj)
			return i;
	return SIZE_MAX; /* the identity index and the lists agree: callers say NEVER */
}
