/*
 * Lookups ([input.duplicates.last-wins], [input.slices.accumulate]): Services, ServiceImports and
 * Backends by namespace/name, the last definition winning (items 4); EndpointSlices grouped by
 * (backend kind, namespace, service-name label) in input order, never deduplicated (item 5).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

const char *rb__key2(rb__tr *t, const char *a, const char *b)
{
	return rb__arena_printf(&t->scratch, "%s/%s", a ? a : "", b ? b : "");
}

const char *rb__key3(rb__tr *t, const char *prefix, const char *ns, const char *name)
{
	return rb__arena_printf(&t->scratch, "%s:%s/%s", prefix, ns ? ns : "", name ? name : "");
}

/* Lookups build their key on the stack: no allocation per query. */
static void *lookup(const rb__map *map, const char *ns, const char *name)
{
	char key[1024];
	int n = rb__tr_key(key, sizeof key, "", ns, name);
	if (n < 0 || (size_t)n >= sizeof key)
		return NULL; /* longer than any valid Kubernetes name pair */
	return rb__map_get(map, key, (size_t)n);
}

static int index_by_name(rb__tr *t, rb__map *map, const rb__vec *list)
{
	if (!rb__map_reserve(map, list->len))
		return RB_ENOMEM;
	for (size_t i = 0; i < list->len; i++) {
		const rb__objmeta *meta = RB_VEC_AT(list, const rb__objmeta *, i);
		const char *key = rb__key2(t, meta->namespace_, meta->name);
		if (!key || !rb__map_put(map, key, strlen(key), RB_VEC_AT(list, void *, i)))
			return RB_ENOMEM;
	}
	return RB_OK;
}

static const char *label(const rb__objmeta *meta, const char *key)
{
	for (size_t i = 0; i < meta->label_count; i++)
		if (!strcmp(meta->labels[i].key, key))
			return meta->labels[i].value;
	return NULL;
}

/* The backend a slice belongs to: its kind ("S" or "I") and name; NULL when none. */
const char *rb__slice_owner(const rb__endpoint_slice *s, rb__backend_kind *kind)
{
	/* A Service label wins over a ServiceImport label ([input.slices.owner]). */
	const char *owner = label(&s->meta, "kubernetes.io/service-name");
	*kind = RB_BACKEND_SERVICE;
	if (!owner) {
		owner = label(&s->meta, "multicluster.kubernetes.io/service-name");
		*kind = RB_BACKEND_SERVICE_IMPORT;
	}
	return owner;
}

/* The group of slices of a backend, created empty when absent. */
static rb__slice_group *slice_group(rb__tr *t, rb__backend_kind kind, const char *ns,
                                    const char *owner)
{
	const char letter[2] = {rb__slice_owner_letter(kind), '\0'};
	const char *key = rb__key3(t, letter, ns, owner);
	if (!key)
		return NULL;
	void **slot = rb__map_slot_for(&t->slices, key, strlen(key));
	if (!slot)
		return NULL;
	rb__slice_group *group = *slot;
	if (!group) {
		group = rb__arena_calloc(&t->scratch, 1, sizeof(*group));
		if (!group)
			return NULL;
		*slot = group;
	}
	return group;
}

/* Whether f holds the answer for ns and name (neither NULL). */
static bool found_is(const rb__tr_found *f, const char *ns, const char *name)
{
	if (!f->found)
		return false;
	const char *k = f->key;
	if (strcmp(k, ns) != 0)
		return false;
	return strcmp(k + strlen(k) + 1, name) == 0;
}

/* Keep the answer found for ns and name (when their copies fit). */
static void found_set(rb__tr_found *f, const void *found, const char *ns, const char *name)
{
	size_t nl = strlen(ns), ml = strlen(name);
	if (nl + ml + 2 > sizeof f->key)
		return;
	memcpy(f->key, ns, nl + 1);
	memcpy(f->key + nl + 1, name, ml + 1);
	f->found = found;
}

/* The group's key on the stack, as slice_group writes it: no allocation per query. */
static rb__slice_group *find_group(rb__tr *t, rb__backend_kind owner_kind, const char *ns,
                                   const char *name)
{
	ns = ns ? ns : "";
	name = name ? name : "";
	if (t->found_group_kind == owner_kind && found_is(&t->found_group, ns, name))
		return (rb__slice_group *)(uintptr_t)t->found_group.found;
	char key[1024];
	char prefix[3] = {rb__slice_owner_letter(owner_kind), ':', '\0'};
	int n = rb__tr_key(key, sizeof key, prefix, ns, name);
	if (n < 0 || (size_t)n >= sizeof key)
		return NULL;
	rb__slice_group *g = rb__map_get(&t->slices, key, (size_t)n);
	if (g) {
		found_set(&t->found_group, g, ns, name);
		t->found_group_kind = owner_kind;
	}
	return g;
}

/* The group of a backend, found with a key on the stack, else made. */
static rb__slice_group *group_for(rb__tr *t, rb__backend_kind kind, const char *ns,
                                  const char *owner)
{
	rb__slice_group *g = find_group(t, kind, ns, owner);
	return g ? g : slice_group(t, kind, ns, owner);
}

/* Would a lookup of ns/name work (lookups cap the key's length)? */
static bool key_fits(const char *ns, const char *name)
{
	char key[1024];
	return rb__tr_key(key, sizeof key, "S:", ns, name) >= 0;
}

rb__slice_group *rb__slice_group_of(rb__tr *t, rb__backend_kind owner_kind, const char *ns,
                                    const char *name, bool create)
{
	rb__slice_group *g = find_group(t, owner_kind, ns, name);
	if (g || !create || !key_fits(ns, name))
		return g;
	return slice_group(t, owner_kind, ns ? ns : "", name ? name : "");
}

/* Services and ServiceImports by name, in their groups: the last definition wins. */
static int index_backends(rb__tr *t, rb__backend_kind kind, const rb__vec *list)
{
	for (size_t i = 0; i < list->len; i++) {
		const rb__objmeta *meta = RB_VEC_AT(list, const rb__objmeta *, i);
		rb__slice_group *g = group_for(t, kind, meta->namespace_, meta->name);
		if (!g)
			return RB_ENOMEM;
		g->backend = RB_VEC_AT(list, const void *, i);
	}
	return RB_OK;
}

/*
 * Two passes: count each group's slices, then fill storage of exactly that
 * many pointers in t->scratch, where a vector per group on the heap took a
 * block of 8 at least (bench/README.md, Peak memory). The engine's changes
 * move a group to the heap before it grows (own_slices).
 */
static int index_slices(rb__tr *t)
{
	const rb__vec *list = &t->m->endpoint_slices;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < list->len; i++) {
			const rb__endpoint_slice *s = RB_VEC_AT(list, const rb__endpoint_slice *, i);
			rb__backend_kind kind;
			const char *owner = rb__slice_owner(s, &kind);
			if (!owner)
				continue;
			rb__slice_group *g = group_for(t, kind, s->meta.namespace_, owner);
			if (!g)
				return RB_ENOMEM;
			if (pass == 0)
				g->slices.cap++;
			else
				RB_VEC_AT(&g->slices, const rb__endpoint_slice *, g->slices.len++) = s;
		}
		for (size_t i = 0; pass == 0 && i < t->slices.cap; i++) {
			rb__slice_group *g = t->slices.slots[i].key ? t->slices.slots[i].value : NULL;
			if (!g || !g->slices.cap)
				continue; /* a Service without slices (index_backends) */
			g->slices.data = rb__arena_calloc(&t->scratch, g->slices.cap, sizeof(void *));
			if (!g->slices.data)
				return RB_ENOMEM;
			g->in_scratch = true;
		}
	}
	return RB_OK;
}

/* Before an engine change grows a group: its slices move to the heap. */
static bool own_slices(rb__tr *t, rb__slice_group *g)
{
	if (!g->in_scratch)
		return true;
	rb__vec heap = RB_VEC_INIT;
	if (!rb__vec_reserve(t->mem, &heap, g->slices.len + 1, sizeof(void *)))
		return false;
	if (g->slices.len)
		memcpy(heap.data, g->slices.data, g->slices.len * sizeof(void *));
	heap.len = g->slices.len;
	g->slices = heap;
	g->in_scratch = false;
	return true;
}

/* ---- incremental maintenance (lib/engine/) ---- */

int rb__index_set(rb__tr *t, rb__backend_kind kind, const char *ns, const char *name,
                  const void *obj)
{
	if (kind != RB_BACKEND_BACKEND) {
		/* A name too long to be looked up gets no group, as it is never found. */
		rb__slice_group *g = rb__slice_group_of(t, kind, ns, name, true);
		if (g) {
			g->backend = obj;
			g->metadata = NULL; /* made from the previous object */
		}
		return g || !key_fits(ns, name) ? RB_OK : RB_ENOMEM;
	}
	rb__map *map = &t->backends;
	char key[1024];
	int n = rb__tr_key(key, sizeof key, "", ns, name);
	if (n < 0 || (size_t)n >= sizeof key)
		return RB_OK; /* never looked up (see lookup) */
	/* The map keeps a pointer to its key: a copy that lives as long as the map. */
	const char *copy = rb__arena_strndup(&t->scratch, key, (size_t)n);
	void **slot = copy ? rb__map_slot_for(map, copy, (size_t)n) : NULL;
	if (!slot)
		return RB_ENOMEM;
	*slot = (void *)(uintptr_t)obj;
	return RB_OK;
}

/* Rebuild one group from the model's list (its order). */
static int regroup(rb__tr *t, rb__backend_kind kind, const char *ns, const char *owner)
{
	rb__slice_group *g = slice_group(t, kind, ns, owner);
	if (!g || !own_slices(t, g))
		return RB_ENOMEM;
	rb__vec *group = &g->slices;
	group->len = 0;
	const rb__vec *list = &t->m->endpoint_slices;
	for (size_t i = 0; i < list->len; i++) {
		const rb__endpoint_slice *s = RB_VEC_AT(list, const rb__endpoint_slice *, i);
		rb__backend_kind k;
		const char *o = rb__slice_owner(s, &k);
		if (o && k == kind && !strcmp(o, owner) && !strcmp(s->meta.namespace_, ns) &&
		    !rb__vec_push_ptr(t->mem, group, s))
			return RB_ENOMEM;
	}
	rb__endpoints_forget(t, kind, ns, owner);
	return RB_OK;
}

int rb__index_slice_changed(rb__tr *t, const rb__endpoint_slice *old, const rb__endpoint_slice *new_)
{
	rb__backend_kind ok = RB_BACKEND_UNKNOWN, nk = RB_BACKEND_UNKNOWN;
	const char *oo = old ? rb__slice_owner(old, &ok) : NULL;
	const char *no = new_ ? rb__slice_owner(new_, &nk) : NULL;
	bool same = oo && no && ok == nk && !strcmp(oo, no) &&
	            !strcmp(old->meta.namespace_, new_->meta.namespace_);
	if (same) {
		/* In place: the new slice takes the old one's position in its group. */
		rb__slice_group *sg = slice_group(t, ok, old->meta.namespace_, oo);
		if (!sg)
			return RB_ENOMEM;
		rb__vec *g = &sg->slices;
		for (size_t i = 0; i < g->len; i++)
			if (RB_VEC_AT(g, const rb__endpoint_slice *, i) == old)
				RB_VEC_AT(g, const rb__endpoint_slice *, i) = new_;
		rb__endpoints_forget(t, ok, old->meta.namespace_, oo);
		return RB_OK;
	}
	if (oo) {
		rb__slice_group *sg = slice_group(t, ok, old->meta.namespace_, oo);
		if (!sg)
			return RB_ENOMEM;
		rb__vec *g = &sg->slices;
		size_t k = 0;
		for (size_t i = 0; i < g->len; i++)
			if (RB_VEC_AT(g, const rb__endpoint_slice *, i) != old)
				RB_VEC_AT(g, const rb__endpoint_slice *, k++) =
					RB_VEC_AT(g, const rb__endpoint_slice *, i);
		g->len = k;
		rb__endpoints_forget(t, ok, old->meta.namespace_, oo);
	}
	if (no) {
		/* Appended: last of its group; replacing a slice of another group: its position. */
		const rb__vec *list = &t->m->endpoint_slices;
		if (!old && list->len && RB_VEC_AT(list, const rb__endpoint_slice *, list->len - 1) == new_) {
			rb__slice_group *g = slice_group(t, nk, new_->meta.namespace_, no);
			if (!g || !own_slices(t, g) || !rb__vec_push_ptr(t->mem, &g->slices, new_))
				return RB_ENOMEM;
			rb__endpoints_forget(t, nk, new_->meta.namespace_, no);
		} else {
			return regroup(t, nk, new_->meta.namespace_, no);
		}
	}
	return RB_OK;
}

int rb__index_build(rb__tr *t)
{
	const rb__model *m = t->m;
	int rc;
	/* Reserved for the Services and ServiceImports, the slices' owners mostly. */
	if (!rb__map_reserve(&t->slices, m->services.len + m->service_imports.len))
		return RB_ENOMEM;
	if ((rc = index_backends(t, RB_BACKEND_SERVICE, &m->services)) ||
	    (rc = index_backends(t, RB_BACKEND_SERVICE_IMPORT, &m->service_imports)) ||
	    (rc = index_by_name(t, &t->backends, &m->backends)) ||
	    (rc = index_by_name(t, &t->gateways, &m->gateways)) ||
	    (rc = index_by_name(t, &t->listener_sets, &m->listener_sets)) ||
	    (rc = index_by_name(t, &t->secrets, &m->secrets)) ||
	    (rc = index_by_name(t, &t->envoy_proxies, &m->envoy_proxies_for_gateways)) ||
	    (rc = index_slices(t)))
		return rc;
	for (size_t i = 0; i < m->namespaces.len; i++) {
		rb__namespace *ns = RB_VEC_AT(&m->namespaces, rb__namespace *, i);
		if (!rb__map_put(&t->namespaces, ns->meta.name, strlen(ns->meta.name), ns))
			return RB_ENOMEM;
	}
	return RB_OK;
}

const rb__service *rb__find_service(rb__tr *t, const char *ns, const char *name)
{
	rb__tr_dep(t, RB_DEP_SERVICE, ns, name);
	const rb__slice_group *g = find_group(t, RB_BACKEND_SERVICE, ns, name);
	return g ? g->backend : NULL;
}

const rb__service_import *rb__find_service_import(rb__tr *t, const char *ns, const char *name)
{
	rb__tr_dep(t, RB_DEP_SERVICE_IMPORT, ns, name);
	const rb__slice_group *g = find_group(t, RB_BACKEND_SERVICE_IMPORT, ns, name);
	return g ? g->backend : NULL;
}

const rb__backend *rb__find_backend(rb__tr *t, const char *ns, const char *name)
{
	rb__tr_dep(t, RB_DEP_BACKEND, ns, name);
	return lookup(&t->backends, ns, name);
}

const rb__gateway *rb__find_gateway(rb__tr *t, const char *ns, const char *name)
{
	rb__tr_dep(t, RB_DEP_GATEWAY, ns, name);
	const char *n = ns ? ns : "", *m = name ? name : "";
	if (found_is(&t->found_gateway, n, m))
		return t->found_gateway.found;
	const rb__gateway *g = lookup(&t->gateways, ns, name);
	if (g)
		found_set(&t->found_gateway, g, n, m);
	return g;
}

/* Not recorded: a ListenerSet change re-translates everything (the engine treats the
 * kind as global, like Gateways). */
const rb__listener_set *rb__find_listener_set(rb__tr *t, const char *ns, const char *name)
{
	return lookup(&t->listener_sets, ns, name);
}

/*
 * Every Secret lookup of the translator (listener certificates, CA bundles)
 * goes through here, so that how Secrets are found is decided in one place.
 * Not recorded: a Secret change re-translates everything (lib/engine/changes.c).
 */
const rb__secret *rb__find_secret(rb__tr *t, const char *ns, const char *name)
{
	return lookup(&t->secrets, ns, name);
}

const rb__envoy_proxy *rb__find_envoy_proxy(rb__tr *t, const char *ns, const char *name)
{
	rb__tr_dep(t, RB_DEP_ENVOY_PROXY, ns, name);
	return lookup(&t->envoy_proxies, ns, name);
}

const rb__namespace *rb__find_namespace(rb__tr *t, const char *name)
{
	rb__tr_dep(t, RB_DEP_NAMESPACE, name, "");
	return rb__map_get(&t->namespaces, name, strlen(name));
}

const rb__vec *rb__find_slices(rb__tr *t, rb__backend_kind owner_kind, const char *ns,
                               const char *name)
{
	rb__tr_dep(t, rb__slices_dep(owner_kind), ns, name);
	const rb__slice_group *g = find_group(t, owner_kind, ns, name);
	return g ? &g->slices : NULL;
}
