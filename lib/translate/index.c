/*
 * Lookups (SPEC.md 1.1): Services, ServiceImports and Backends by
 * namespace/name, the last definition winning (items 4); EndpointSlices
 * grouped by (backend kind, namespace, service-name label) in input order,
 * never deduplicated (item 5).
 */
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
	int n = snprintf(key, sizeof key, "%s/%s", ns ? ns : "", name ? name : "");
	if (n < 0 || (size_t)n >= sizeof key)
		return NULL; /* longer than any valid Kubernetes name pair */
	return rb__map_get(map, key, (size_t)n);
}

static int index_by_name(rb__tr *t, rb__map *map, const rb__vec *list)
{
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

static int index_slices(rb__tr *t)
{
	const rb__vec *list = &t->m->endpoint_slices;
	for (size_t i = 0; i < list->len; i++) {
		const rb__endpoint_slice *s = RB_VEC_AT(list, const rb__endpoint_slice *, i);
		/* A Service label wins over a ServiceImport label (SPEC.md 1.5). */
		const char *owner = label(&s->meta, "kubernetes.io/service-name");
		const char *kind = "S";
		if (!owner) {
			owner = label(&s->meta, "multicluster.kubernetes.io/service-name");
			kind = "I";
		}
		if (!owner)
			continue;
		const char *key = rb__key3(t, kind, s->meta.namespace_, owner);
		if (!key)
			return RB_ENOMEM;
		void **slot = rb__map_slot_for(&t->slices, key, strlen(key));
		if (!slot)
			return RB_ENOMEM;
		rb__vec *group = *slot;
		if (!group) {
			group = rb__arena_calloc(&t->scratch, 1, sizeof(*group));
			if (!group)
				return RB_ENOMEM;
			*slot = group;
		}
		if (!rb__vec_push_ptr(t->mem, group, s))
			return RB_ENOMEM;
	}
	return RB_OK;
}

int rb__index_build(rb__tr *t)
{
	const rb__model *m = t->m;
	int rc;
	if ((rc = index_by_name(t, &t->services, &m->services)) ||
	    (rc = index_by_name(t, &t->service_imports, &m->service_imports)) ||
	    (rc = index_by_name(t, &t->backends, &m->backends)) ||
	    (rc = index_by_name(t, &t->gateways, &m->gateways)) ||
	    (rc = index_by_name(t, &t->listener_sets, &m->listener_sets)) ||
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
	return lookup(&t->services, ns, name);
}

const rb__service_import *rb__find_service_import(rb__tr *t, const char *ns, const char *name)
{
	return lookup(&t->service_imports, ns, name);
}

const rb__backend *rb__find_backend(rb__tr *t, const char *ns, const char *name)
{
	return lookup(&t->backends, ns, name);
}

const rb__gateway *rb__find_gateway(rb__tr *t, const char *ns, const char *name)
{
	return lookup(&t->gateways, ns, name);
}

const rb__listener_set *rb__find_listener_set(rb__tr *t, const char *ns, const char *name)
{
	return lookup(&t->listener_sets, ns, name);
}

const rb__envoy_proxy *rb__find_envoy_proxy(rb__tr *t, const char *ns, const char *name)
{
	return lookup(&t->envoy_proxies, ns, name);
}

const rb__namespace *rb__find_namespace(rb__tr *t, const char *name)
{
	return rb__map_get(&t->namespaces, name, strlen(name));
}

const rb__vec *rb__find_slices(rb__tr *t, char backend_kind, const char *ns, const char *name)
{
	char key[1024];
	int n = snprintf(key, sizeof key, "%c:%s/%s", backend_kind, ns ? ns : "", name ? name : "");
	if (n < 0 || (size_t)n >= sizeof key)
		return NULL;
	return rb__map_get(&t->slices, key, (size_t)n);
}
