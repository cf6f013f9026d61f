/* YAML merge keys (`<<`), applied as go-yaml v2 applies them for Kubernetes clients. */
#include "load/merge.h"

#include "core/map.h"
#include "rebalance/errors.h"

#include <string.h>

/* Mappings with up to this many resulting members find keys linearly; bigger ones hash. */
enum { MERGE_LINEAR = 16 };

typedef struct merged {
	rb__node **items;
	size_t count;
	bool hashed;
	rb__map index; /* key -> position + 1 */
} merged;

/* Put member m in, replacing the member with the same key. */
static int put(merged *out, rb__node *m)
{
	if (!out->hashed) {
		for (size_t i = 0; i < out->count; i++) {
			const rb__node *o = out->items[i];
			if (o->key_len == m->key_len && memcmp(o->key, m->key, m->key_len) == 0) {
				out->items[i] = m;
				return RB_OK;
			}
		}
		out->items[out->count++] = m;
		return RB_OK;
	}
	void **slot = rb__map_slot_for(&out->index, m->key, m->key_len);
	if (!slot)
		return RB_ENOMEM;
	if (*slot) {
		out->items[(size_t)(uintptr_t)*slot - 1] = m;
		return RB_OK;
	}
	out->items[out->count++] = m;
	*slot = (void *)(uintptr_t)out->count;
	return RB_OK;
}

static int put_all(merged *out, const rb__node *map)
{
	for (size_t i = 0; i < map->coll.count; i++) {
		int rc = put(out, map->coll.items[i]);
		if (rc)
			return rc;
	}
	return RB_OK;
}

static int want_map(rb__ld *b, const rb__node *v)
{
	return rb__ld_fail_node(b, RB_EPARSE, v,
	                        "the merge key \"<<\" needs a mapping or a sequence of mappings, "
	                        "found %s",
	                        rb__node_type_name(v));
}

int rb__ld_merge(rb__ld *b, rb__node *n)
{
	/* Check the merge values and count the members they bring. */
	size_t total = 0;
	for (size_t i = 0; i < n->coll.count; i++) {
		const rb__node *m = n->coll.items[i];
		if (!m->merge) {
			total++;
		} else if (m->kind == RB_NODE_MAP) {
			total += m->coll.count;
		} else if (m->kind == RB_NODE_SEQ) {
			for (size_t k = 0; k < m->coll.count; k++) {
				const rb__node *s = m->coll.items[k];
				if (s->kind != RB_NODE_MAP)
					return want_map(b, s);
				total += s->coll.count;
			}
		} else {
			return want_map(b, m);
		}
	}
	merged out = {NULL, 0, total > MERGE_LINEAR, {0}};
	out.items = rb__arena_alloc(&b->arena, (total ? total : 1) * sizeof(*out.items));
	if (!out.items)
		return b->err = RB_ENOMEM;
	if (out.hashed)
		rb__map_init(&out.index, b->mem);
	int rc = RB_OK;
	for (size_t i = 0; i < n->coll.count && !rc; i++) {
		rb__node *m = n->coll.items[i];
		if (!m->merge)
			rc = put(&out, m);
		else if (m->kind == RB_NODE_MAP)
			rc = put_all(&out, m);
		else
			for (size_t k = m->coll.count; k > 0 && !rc; k--)
				rc = put_all(&out, m->coll.items[k - 1]);
	}
	if (out.hashed)
		rb__map_free(&out.index);
	if (rc)
		return b->err = rc;
	n->coll.items = out.items;
	n->coll.count = out.count;
	return RB_OK;
}
