/* The model's lifetime, marks, and the hand-off from the loader to the decoders. */
#include "model/model.h"

#include <stddef.h>
#include <string.h>

#include "core/invariant.h"
#include "core/strutil.h"
#include "load/node.h"
#include "model/schemas.h"
#include "model/vocab.h"
#include "rebalance/errors.h"

/* Where each list lives in the model: one table for the mutable and the const
 * accessor, so neither casts const away. 0: not a list (0 is `mem`, never a list). */
static size_t list_offset(int list)
{
	switch ((rb__list)list) {
	case RB_LIST_GATEWAY: return offsetof(rb__model, gateways);
	case RB_LIST_SERVICE: return offsetof(rb__model, services);
	case RB_LIST_SERVICE_IMPORT: return offsetof(rb__model, service_imports);
	case RB_LIST_SLICE: return offsetof(rb__model, endpoint_slices);
	case RB_LIST_BACKEND: return offsetof(rb__model, backends);
	case RB_LIST_GRANT: return offsetof(rb__model, reference_grants);
	case RB_LIST_BTP: return offsetof(rb__model, backend_traffic_policies);
	case RB_LIST_PROXY: return offsetof(rb__model, envoy_proxies_for_gateways);
	case RB_LIST_BTLS: return offsetof(rb__model, backend_tls_policies);
	case RB_LIST_NAMESPACE: return offsetof(rb__model, namespaces);
	case RB_LIST_EXT: return offsetof(rb__model, extension_objects);
	case RB_LIST_SECRET: return offsetof(rb__model, secrets);
	case RB_LIST_HTTP_FILTER: return offsetof(rb__model, http_route_filters);
	case RB_LIST_CONFIG_MAP: return offsetof(rb__model, config_maps);
	case RB_LIST_TRUST_BUNDLE: return offsetof(rb__model, cluster_trust_bundles);
	case RB_LIST_LISTENER_SET: return offsetof(rb__model, listener_sets);
	case RB_LIST_GATEWAY_CLASS: return offsetof(rb__model, gateway_classes);
	case RB_LIST_ENDPOINTS: return offsetof(rb__model, legacy_endpoints);
	case RB_LIST_SECURITY_POLICY: return offsetof(rb__model, security_policies);
	case RB_LIST_EXTENSION_POLICY: return offsetof(rb__model, extension_policies);
	case RB_LIST_CLIENT_POLICY: return offsetof(rb__model, client_traffic_policies);
	default:
		return list >= RB_LIST_ROUTE && list < RB_LIST_COUNT
		               ? offsetof(rb__model, routes) + (size_t)(list - RB_LIST_ROUTE) * sizeof(rb__vec)
		               : 0;
	}
}

/* Callers pass an rb__list; anything else is a bug (caught where asserts are
 * on) and reads the first list rather than NULL, which no caller checks. */
static size_t checked_offset(int list)
{
	size_t off = list_offset(list);
	if (NEVER(off == 0))
		off = offsetof(rb__model, gateways);
	return off;
}

rb__vec *rb__model_list(rb__model *m, int list)
{
	return (rb__vec *)(void *)((char *)m + checked_offset(list));
}

const rb__vec *rb__model_list_const(const rb__model *m, int list)
{
	return (const rb__vec *)(const void *)((const char *)m + checked_offset(list));
}

void rb__model_init(rb__model *m, const rb__mem *mem)
{
	memset(m, 0, sizeof *m);
	m->mem = mem;
	rb__arena_init(&m->arena, mem);
}

void rb__model_free(rb__model *m)
{
	for (size_t i = 0; i < RB_LIST_COUNT; i++)
		rb__vec_free(m->mem, rb__model_list(m, (int)i));
	rb__arena_free(&m->arena);
}

rb__model_mark rb__model_get_mark(rb__model *m)
{
	rb__model_mark mark;
	memset(&mark, 0, sizeof mark);
	for (size_t i = 0; i < RB_LIST_COUNT; i++)
		mark.len[i] = rb__model_list(m, (int)i)->len;
	mark.envoy_proxy_for_class = m->envoy_proxy_for_class;
	mark.envoy_proxy_default = m->envoy_proxy_default;
	mark.gateway_class = m->gateway_class;
	mark.config = m->config;
	mark.object_count = m->object_count;
	return mark;
}

void rb__model_rewind(rb__model *m, const rb__model_mark *mark)
{
	for (size_t i = 0; i < RB_LIST_COUNT; i++)
		rb__model_list(m, (int)i)->len = mark->len[i];
	m->envoy_proxy_for_class = mark->envoy_proxy_for_class;
	m->envoy_proxy_default = mark->envoy_proxy_default;
	m->gateway_class = mark->gateway_class;
	m->config = mark->config;
	m->object_count = mark->object_count;
	/* The caller rewinds the arena too: the cached list path may be past the mark. */
	m->list_path = NULL;
	m->list_key = NULL;
	m->list_key_len = 0;
	m->last_place = NULL;
	memset(m->share, 0, sizeof m->share);
}

const char *rb__route_kind_name(rb__route_kind k)
{
	static const char *const names[] = {"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute",
	                                    "UDPRoute"};
	return (unsigned)k < RB_ROUTE_KIND_COUNT ? names[k] : "";
}

const char *rb__route_kind_prefix(rb__route_kind k)
{
	static const char *const names[] = {"httproute", "grpcroute", "tlsroute", "tcproute",
	                                    "udproute"};
	return (unsigned)k < RB_ROUTE_KIND_COUNT ? names[k] : "";
}

/* ---- dispatch --------------------------------------------------------------------- */

typedef enum target_slot {
	SLOT_LIST = 0,           /* append to the list at `list` */
	SLOT_CLASS_PROXY = 1,    /* envoyProxyForGatewayClass */
	SLOT_DEFAULT_PROXY = 2,  /* envoyProxyDefaultSpec (a bare spec) */
	SLOT_GATEWAY_CLASS = 3
} target_slot;

typedef struct kind_entry {
	const char *layout_key; /* testdata key, or NULL when only in manifests */
	const char *kind;       /* manifest kind, or NULL when only in the testdata layout */
	const char *group;      /* API group a manifest must have ("" = core) */
	const rb__schema *schema;
	target_slot slot;
	int list; /* rb__list */
	int route_kind;
} kind_entry;

#define ROUTE(key, kind_, rk) {key, kind_, "gateway.networking.k8s.io", &rb__schema_route, SLOT_LIST, RB_LIST_ROUTE + (rk), rk}

static const kind_entry KINDS[] = {
	{"gateways", "Gateway", "gateway.networking.k8s.io", &rb__schema_gateway, SLOT_LIST, RB_LIST_GATEWAY, -1},
	{"services", "Service", "", &rb__schema_service, SLOT_LIST, RB_LIST_SERVICE, -1},
	{"serviceImports", "ServiceImport", "multicluster.x-k8s.io", &rb__schema_service_import,
	 SLOT_LIST, RB_LIST_SERVICE_IMPORT, -1},
	{"endpointSlices", "EndpointSlice", "discovery.k8s.io", &rb__schema_endpoint_slice,
	 SLOT_LIST, RB_LIST_SLICE, -1},
	{"backends", "Backend", "gateway.envoyproxy.io", &rb__schema_backend, SLOT_LIST, RB_LIST_BACKEND, -1},
	{"referenceGrants", "ReferenceGrant", "gateway.networking.k8s.io",
	 &rb__schema_reference_grant, SLOT_LIST, RB_LIST_GRANT, -1},
	{"backendTrafficPolicies", "BackendTrafficPolicy", "gateway.envoyproxy.io",
	 &rb__schema_backend_traffic_policy, SLOT_LIST, RB_LIST_BTP, -1},
	{"securityPolicies", "SecurityPolicy", "gateway.envoyproxy.io", &rb__schema_security_policy,
	 SLOT_LIST, RB_LIST_SECURITY_POLICY, -1},
	{"envoyExtensionPolicies", "EnvoyExtensionPolicy", "gateway.envoyproxy.io",
	 &rb__schema_extension_policy, SLOT_LIST, RB_LIST_EXTENSION_POLICY, -1},
	{"clientTrafficPolicies", "ClientTrafficPolicy", "gateway.envoyproxy.io",
	 &rb__schema_client_traffic_policy, SLOT_LIST, RB_LIST_CLIENT_POLICY, -1},
	{"envoyProxiesForGateways", "EnvoyProxy", "gateway.envoyproxy.io", &rb__schema_envoy_proxy,
	 SLOT_LIST, RB_LIST_PROXY, -1},
	{"backendTLSPolicies", "BackendTLSPolicy", "gateway.networking.k8s.io",
	 &rb__schema_backend_tls_policy, SLOT_LIST, RB_LIST_BTLS, -1},
	{"namespaces", "Namespace", "", &rb__schema_namespace, SLOT_LIST, RB_LIST_NAMESPACE, -1},
	{"extensionRefFilters", NULL, NULL, &rb__schema_unstructured, SLOT_LIST, RB_LIST_EXT, -1},
	{"secrets", "Secret", "", &rb__schema_secret, SLOT_LIST, RB_LIST_SECRET, -1},
	{"httpFilters", "HTTPRouteFilter", "gateway.envoyproxy.io", &rb__schema_http_route_filter,
	 SLOT_LIST, RB_LIST_HTTP_FILTER, -1},
	{"configMaps", "ConfigMap", "", &rb__schema_config_map, SLOT_LIST, RB_LIST_CONFIG_MAP, -1},
	{"clusterTrustBundles", "ClusterTrustBundle", "certificates.k8s.io",
	 &rb__schema_cluster_trust_bundle, SLOT_LIST, RB_LIST_TRUST_BUNDLE, -1},
	/* Only the Gateway API v1 ListenerSet: Envoy Gateway reads no XListenerSet. */
	{"listenerSets", "ListenerSet", "gateway.networking.k8s.io", &rb__schema_listener_set,
	 SLOT_LIST, RB_LIST_LISTENER_SET, -1},
	ROUTE("httpRoutes", "HTTPRoute", RB_ROUTE_HTTP),
	ROUTE("grpcRoutes", "GRPCRoute", RB_ROUTE_GRPC),
	ROUTE("tlsRoutes", "TLSRoute", RB_ROUTE_TLS),
	ROUTE("tcpRoutes", "TCPRoute", RB_ROUTE_TCP),
	ROUTE("udpRoutes", "UDPRoute", RB_ROUTE_UDP),
	{"envoyProxyForGatewayClass", NULL, NULL, &rb__schema_envoy_proxy, SLOT_CLASS_PROXY, 0, -1},
	{"envoyProxyDefaultSpec", NULL, NULL, &rb__schema_envoy_proxy_spec, SLOT_DEFAULT_PROXY, 0, -1},
	{"gatewayClass", "GatewayClass", "gateway.networking.k8s.io", &rb__schema_gateway_class,
	 SLOT_GATEWAY_CLASS, 0, -1},
	{NULL, "Endpoints", "", &rb__schema_legacy_endpoints, SLOT_LIST, RB_LIST_ENDPOINTS, -1},
};

/* Kinds without a namespace: kubectl gives them none (the others get -n, or default). */
static bool cluster_scoped(const kind_entry *e)
{
	return e->slot == SLOT_GATEWAY_CLASS || e->list == RB_LIST_NAMESPACE ||
	       e->list == RB_LIST_TRUST_BUNDLE;
}

int rb__model_list_of_kind(const char *kind)
{
	for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
		if (KINDS[i].kind && KINDS[i].slot == SLOT_LIST && !strcmp(KINDS[i].kind, kind))
			return (int)KINDS[i].list;
	return -1;
}

static const kind_entry *by_layout_key(const char *key)
{
	for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
		if (KINDS[i].layout_key && !strcmp(KINDS[i].layout_key, key))
			return &KINDS[i];
	return NULL;
}

static const kind_entry *by_kind(const char *kind, const char *api_version)
{
	for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++) {
		const kind_entry *e = &KINDS[i];
		if (!e->kind || strcmp(e->kind, kind))
			continue;
		/* A kind of the same name from another API (another vendor's Backend) is not ours. */
		if (api_version && !rb__api_version_in_group(api_version, e->group))
			return NULL;
		return e;
	}
	return NULL;
}

static int manifest_entry(rb__model_sink_ctx *c, const rb__node *obj, const kind_entry **out)
{
	*out = NULL;
	const rb__node *kind = rb__node_get(obj, "kind");
	const rb__node *api = rb__node_get(obj, "apiVersion");
	if (!rb__node_is_scalar(kind) || kind->stype != RB_SCALAR_STRING || !kind->scalar.len) {
		rb__node_error(c->diags, c->source, kind ? kind : obj,
		               "expected a Kubernetes object with a kind (e.g. kind: HTTPRoute)");
		return RB_EPARSE;
	}
	if (api && (!rb__node_is_scalar(api) || api->stype != RB_SCALAR_STRING)) {
		rb__node_error(c->diags, c->source, api, "expected apiVersion to be a string, got %s",
		               rb__node_type_name(api));
		return RB_EPARSE;
	}
	*out = by_kind(kind->scalar.text, api ? api->scalar.text : NULL);
	return rb__check_manifest_kind(c, kind, api);
}

/*
 * The path of a list of objects ("/httpRoutes", "/items", "" for a root
 * sequence), made once for all its items: the last one is kept, known again
 * by its key (a list under the root mapping has the path of its key).
 */
static const char *list_path(rb__model *m, const rb__node *list)
{
	if (!list->parent)
		return "";
	rb__arena *a = &m->arena;
	if (list->parent->parent || list->parent->kind != RB_NODE_MAP)
		return rb__node_path(list, a);
	if (m->list_path && m->list_key_len == list->key_len &&
	    memcmp(m->list_key, list->key, list->key_len) == 0)
		return m->list_path;
	const char *path = rb__node_path(list, a);
	const char *key = path ? rb__arena_strndup(a, list->key, list->key_len) : NULL;
	if (!key)
		return NULL;
	m->list_path = path;
	m->list_key = key;
	m->list_key_len = list->key_len;
	return path;
}

/* The place of (source, path): the last object's when the same strings (a list path is
 * made once per list: list_path), else a new one. NULL when out of memory. */
static const rb__place *place_of(rb__model *m, const char *source, const char *path)
{
	if (!path)
		return NULL;
	const rb__place *p = m->last_place;
	if (p && p->source == source && p->path == path)
		return p;
	rb__place *n = rb__arena_alloc(&m->arena, sizeof(*n));
	if (!n)
		return NULL;
	n->source = source;
	n->path = path;
	m->last_place = n;
	return n;
}

int rb__model_add_object(void *ud, const rb__node *obj, const char *layout_key)
{
	rb__model_sink_ctx *c = ud;
	rb__model *m = c->model;
	const kind_entry *e;
	if (layout_key) {
		if (layout_key != c->last_layout_key) {
			c->last_layout_kind = by_layout_key(layout_key);
			c->last_layout_key = layout_key;
		}
		e = c->last_layout_kind;
	} else {
		int rc = manifest_entry(c, obj, &e);
		if (rc)
			return rc;
	}
	if (!e)
		return RB_OK; /* a kind that never changes destinations */
	rb__dctx d = {.arena = &m->arena,
	              .diags = c->diags,
	              .source = c->source,
	              .warnings = c->warnings,
	              .share = m->share};
	size_t size = e->schema->size;
	void *o = rb__arena_calloc(&m->arena, 1, size);
	if (!o)
		return RB_ENOMEM;
	int rc = rb__decode_struct(&d, obj, e->schema, o);
	if (rc)
		return rc;
	/* Every object struct starts with its rb__objmeta except the bare EnvoyProxy spec. */
	rb__objmeta *meta = (rb__objmeta *)o;
	if (e->slot != SLOT_DEFAULT_PROXY) {
		/* kubectl's namespace for manifests; the testdata layout keeps "" (its
		 * harness semantics: such an object matches nothing namespaced). */
		if (!meta->namespace_ && !layout_key && e->slot == SLOT_LIST && !cluster_scoped(e))
			meta->namespace_ = c->default_namespace ? c->default_namespace : "default";
		if (!meta->namespace_)
			meta->namespace_ = "";
		/* One copy of the source name for every object of the buffer. */
		if (!c->source_copy)
			c->source_copy = rb__arena_strdup(&m->arena, c->source ? c->source : "");
		if (!c->source_copy)
			return RB_ENOMEM;
		meta->origin.line = obj->line;
		meta->origin.column = obj->column;
		/* Where warnings about the object point ("/items/3", "/httpRoutes/0"). */
		if (obj->parent && obj->parent->kind == RB_NODE_SEQ) {
			meta->origin.place = place_of(m, c->source_copy, list_path(m, obj->parent));
			if (obj->index > UINT32_MAX)
				return RB_ELIMIT; /* far past any input the limits let through */
			meta->origin.index = (uint32_t)obj->index;
			meta->origin.has_index = true;
		} else {
			meta->origin.place = place_of(
			    m, c->source_copy, obj->parent ? rb__node_path(obj, &m->arena) : "");
		}
		if (!meta->origin.place)
			return RB_ENOMEM;
	}
	switch (e->slot) {
	case SLOT_LIST:
		if (e->route_kind >= 0)
			((rb__route *)o)->kind = (rb__route_kind)e->route_kind;
		if (!rb__vec_push_ptr(m->mem, rb__model_list(m, (int)e->list), o))
			return RB_ENOMEM;
		break;
	case SLOT_CLASS_PROXY:
		m->envoy_proxy_for_class = o;
		break;
	case SLOT_DEFAULT_PROXY:
		m->envoy_proxy_default = o;
		break;
	case SLOT_GATEWAY_CLASS:
		m->gateway_class = o;
		/* Every class counts when deciding which Gateways are ours. */
		if (!rb__vec_push_ptr(m->mem, &m->gateway_classes, o))
			return RB_ENOMEM;
		break;
	}
	m->object_count++;
	return RB_OK;
}
