/*
 * Routes defined more than once in the input (same kind, namespace and
 * name): a cluster holds one object per name, but a file can hold two, and
 * Envoy Gateway's file-based translation translates both. rebalance does the
 * same for destinations; a route's status, though, is one per object
 * identity -- Envoy Gateway writes each copy's in turn and the last one
 * stays -- so only the last copy's statuses are reported, and a warning says
 * which copy is set aside (docs/input.md).
 *
 * Rules: [input.duplicates.routes] [warn.duplicate-object].
 */
#include "core/escape.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

#include <stdio.h>
#include <string.h>

static int identity_key(char *key, size_t size, const rb__route *r)
{
	return rb__tr_key(key, size, rb__route_kind_name(r->kind), r->meta.namespace_,
	                  r->meta.name);
}

int rb__route_copies_build(rb__tr *t)
{
	rb__arena_mark mark = rb__arena_get_mark(&t->scratch);
	for (int k = 0; k < RB_ROUTE_KIND_COUNT; k++) {
		const rb__vec *routes = &t->m->routes[k];
		for (size_t i = 0; i < routes->len; i++) {
			void *r = RB_VEC_AT(routes, void *, i);
			char key[1024];
			int n = identity_key(key, sizeof key, r);
			if (n < 0 || (size_t)n >= sizeof key)
				continue; /* longer than any valid name: never equal to another */
			if (rb__map_get(&t->route_copies, key, (size_t)n)) {
				t->route_copy_count++;
				void **slot = rb__map_slot_for(&t->route_copies, key, (size_t)n);
				*slot =
				    r; /* present: the map keeps its own key; the last copy wins */
				continue;
			}
			/* The map keeps the key's address: a copy that outlives it. */
			char *kept = rb__arena_strndup(&t->scratch, key, (size_t)n);
			if (!kept || !rb__map_put(&t->route_copies, kept, (size_t)n, r))
				return RB_ENOMEM;
		}
	}
	/* Without copies (the usual case) the map is never read (rb__route_last_copy):
	 * its memory (a slot of 64 bytes per route, and the keys) goes back before the
	 * routes are translated. */
	if (!t->route_copy_count) {
		rb__map_free(&t->route_copies);
		rb__arena_rewind(&t->scratch, mark);
	}
	return RB_OK;
}

const rb__route *rb__route_last_copy(const rb__tr *t, const rb__route *r)
{
	if (!t->route_copy_count)
		return r;
	char key[1024];
	int n = identity_key(key, sizeof key, r);
	if (n < 0 || (size_t)n >= sizeof key)
		return r;
	const rb__route *last = rb__map_get(&t->route_copies, key, (size_t)n);
	return last ? last : r;
}
