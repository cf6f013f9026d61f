/* Gateway and GatewayClass (only what attachment needs, [attach.per-parent]). */
#include "model/schemas.h"
#include "rebalance/errors.h"

static const rb__field GROUP_KIND_FIELDS[] = {
	RB_F_STR("group", rb__group_kind, group),
	RB_F_STR_REQ("kind", rb__group_kind, kind),
};
static const rb__schema GROUP_KIND = RB_SCHEMA("a route kind", rb__group_kind, GROUP_KIND_FIELDS, NULL);

const rb__field rb__secret_ref_fields[RB_SECRET_REF_FIELD_COUNT] = {
	RB_F_STR("group", rb__secret_ref, group),
	RB_F_STR("kind", rb__secret_ref, kind),
	RB_F_STR_REQ("name", rb__secret_ref, name),
	RB_F_STR("namespace", rb__secret_ref, namespace_),
};
/* Closed (field_policy.c keys on the text): unknown fields of a listener's
 * certificate reference are reported; the same fields elsewhere are not. */
static const rb__schema SECRET_REF =
	RB_SCHEMA("a certificate reference", rb__secret_ref, rb__secret_ref_fields, NULL);

static const rb__field LISTENER_TLS_FIELDS[] = {
	RB_F_STR("mode", rb__listener, tls_mode),
	RB_F_LIST_MAX("certificateRefs", rb__listener, certificate_refs, certificate_ref_count,
	              SECRET_REF, 64),
};
static const rb__schema LISTENER_TLS = RB_SCHEMA("listener tls", rb__listener, LISTENER_TLS_FIELDS, NULL);

static const rb__field ALLOWED_NAMESPACES_FIELDS[] = {
	RB_F_STR("from", rb__listener, allowed_from),
	RB_F_STRUCT_HAS("selector", rb__listener, allowed_selector, has_allowed_selector,
	                rb__schema_label_selector),
};
static const rb__schema ALLOWED_NAMESPACES =
	RB_SCHEMA("allowedRoutes.namespaces", rb__listener, ALLOWED_NAMESPACES_FIELDS, NULL);

static const rb__field ALLOWED_ROUTES_FIELDS[] = {
	RB_F_NEST("namespaces", ALLOWED_NAMESPACES),
	RB_F_LIST_MAX("kinds", rb__listener, allowed_kinds, allowed_kind_count, GROUP_KIND, 8),
};
static const rb__schema ALLOWED_ROUTES =
	RB_SCHEMA("allowedRoutes", rb__listener, ALLOWED_ROUTES_FIELDS, NULL);

static const rb__field LISTENER_FIELDS[] = {
	RB_F_STR("name", rb__listener, name),
	RB_F_STR("hostname", rb__listener, hostname),
	RB_F_U32_REQ("port", rb__listener, port, has_port, 1, 65535),
	RB_F_STR_REQ("protocol", rb__listener, protocol),
	RB_F_NEST_HAS("tls", rb__listener, has_tls, LISTENER_TLS),
	RB_F_NEST("allowedRoutes", ALLOWED_ROUTES),
};
/* Envoy Gateway's translator never checks a listener's name (only the Gateway CRD
 * does): an unnamed listener is programmed, and its IR name ends in "/". */
static int listener_post(rb__dctx *d, const rb__node *map, void *base)
{
	(void)d;
	(void)map;
	rb__listener *l = base;
	if (!l->name)
		l->name = "";
	return RB_OK;
}
static const rb__schema LISTENER = RB_SCHEMA("a listener", rb__listener, LISTENER_FIELDS, listener_post);

static const rb__field PARAMS_REF_FIELDS[] = {
	RB_F_STR("group", rb__gateway, params_group),
	RB_F_STR("kind", rb__gateway, params_kind),
	RB_F_STR("name", rb__gateway, params_name),
};
static const rb__schema PARAMS_REF = RB_SCHEMA("parametersRef", rb__gateway, PARAMS_REF_FIELDS, NULL);

static const rb__field INFRA_FIELDS[] = {
	RB_F_NEST("parametersRef", PARAMS_REF),
};
static const rb__schema INFRA = RB_SCHEMA("infrastructure", rb__gateway, INFRA_FIELDS, NULL);

static const rb__field ALLOWED_LISTENER_NS_FIELDS[] = {
	RB_F_STR("from", rb__gateway, allowed_listeners_from),
	RB_F_STRUCT_HAS("selector", rb__gateway, allowed_listeners_selector,
	                has_allowed_listeners_selector, rb__schema_label_selector),
};
static const rb__schema ALLOWED_LISTENER_NS =
	RB_SCHEMA("allowedListeners.namespaces", rb__gateway, ALLOWED_LISTENER_NS_FIELDS, NULL);

static const rb__field ALLOWED_LISTENERS_FIELDS[] = {
	RB_F_NEST("namespaces", ALLOWED_LISTENER_NS),
};
static const rb__schema ALLOWED_LISTENERS =
	RB_SCHEMA("allowedListeners", rb__gateway, ALLOWED_LISTENERS_FIELDS, NULL);

static const rb__field GATEWAY_SPEC_FIELDS[] = {
	RB_F_STR("gatewayClassName", rb__gateway, gateway_class_name),
	RB_F_LIST_MAX("listeners", rb__gateway, listeners, listener_count, LISTENER, 64),
	RB_F_NEST("infrastructure", INFRA),
	RB_F_NEST("allowedListeners", ALLOWED_LISTENERS),
};
static const rb__schema GATEWAY_SPEC = RB_SCHEMA("a Gateway spec", rb__gateway, GATEWAY_SPEC_FIELDS, NULL);

static int gateway_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__gateway *)base)->meta, "a Gateway");
}

static const rb__field GATEWAY_FIELDS[] = {
	RB_F_OBJECT_META(rb__gateway),
	RB_F_NEST("spec", GATEWAY_SPEC),
};
const rb__schema rb__schema_gateway = RB_SCHEMA("a Gateway", rb__gateway, GATEWAY_FIELDS, gateway_post);

static const rb__field CLASS_PARAMS_FIELDS[] = {
	RB_F_STR("group", rb__gateway_class, params_group),
	RB_F_STR("kind", rb__gateway_class, params_kind),
	RB_F_STR("name", rb__gateway_class, params_name),
	RB_F_STR("namespace", rb__gateway_class, params_namespace),
};
static const rb__schema CLASS_PARAMS =
	RB_SCHEMA("parametersRef", rb__gateway_class, CLASS_PARAMS_FIELDS, NULL);

static const rb__field GATEWAY_CLASS_SPEC_FIELDS[] = {
	RB_F_STR("controllerName", rb__gateway_class, controller_name),
	RB_F_NEST("parametersRef", CLASS_PARAMS),
};
static const rb__schema GATEWAY_CLASS_SPEC =
	RB_SCHEMA("a GatewayClass spec", rb__gateway_class, GATEWAY_CLASS_SPEC_FIELDS, NULL);

static int gateway_class_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__gateway_class *)base)->meta, "a GatewayClass");
}

static const rb__field GATEWAY_CLASS_FIELDS[] = {
	RB_F_OBJECT_META(rb__gateway_class),
	RB_F_NEST("spec", GATEWAY_CLASS_SPEC),
};
const rb__schema rb__schema_gateway_class =
	RB_SCHEMA("a GatewayClass", rb__gateway_class, GATEWAY_CLASS_FIELDS, gateway_class_post);

/* ---- ListenerSet ---- */

static const rb__field LS_PARENT_FIELDS[] = {
	RB_F_STR("group", rb__listener_set, parent_group),
	RB_F_STR("kind", rb__listener_set, parent_kind),
	RB_F_STR_REQ("name", rb__listener_set, parent_name),
	RB_F_STR("namespace", rb__listener_set, parent_namespace),
};
static const rb__schema LS_PARENT = RB_SCHEMA("parentRef", rb__listener_set, LS_PARENT_FIELDS, NULL);

static const rb__field LS_SPEC_FIELDS[] = {
	RB_F_NEST("parentRef", LS_PARENT),
	RB_F_LIST_MAX("listeners", rb__listener_set, listeners, listener_count, LISTENER, 64),
};
static const rb__schema LS_SPEC = RB_SCHEMA("a ListenerSet spec", rb__listener_set, LS_SPEC_FIELDS, NULL);

static int listener_set_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__listener_set *)base)->meta, "a ListenerSet");
}

static const rb__field LS_FIELDS[] = {
	RB_F_OBJECT_META(rb__listener_set),
	RB_F_NEST("spec", LS_SPEC),
};
const rb__schema rb__schema_listener_set =
	RB_SCHEMA("a ListenerSet", rb__listener_set, LS_FIELDS, listener_set_post);
