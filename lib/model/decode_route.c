/* HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute: one shape (docs/semantics/route-kinds.md). */
#include <string.h>

#include "model/schemas.h"
#include "rebalance/errors.h"

static const rb__field HEADER_VALUE_FIELDS[] = {
	RB_F_STR_REQ("name", rb__header_value, name),
	RB_F_STR("value", rb__header_value, value),
};
static const rb__schema HEADER_VALUE = RB_SCHEMA("a header", rb__header_value, HEADER_VALUE_FIELDS, NULL);

static const rb__field HEADER_MODIFIER_FIELDS[] = {
	RB_F_LIST_MAX("set", rb__header_modifier, set, set_count, HEADER_VALUE, 16),
	RB_F_LIST_MAX("add", rb__header_modifier, add, add_count, HEADER_VALUE, 16),
	RB_F_STRS_MAX("remove", rb__header_modifier, remove, remove_count, 16),
};
static const rb__schema HEADER_MODIFIER =
	RB_SCHEMA("a header modifier", rb__header_modifier, HEADER_MODIFIER_FIELDS, NULL);

static const rb__field OBJECT_REF_FIELDS[] = {
	RB_F_STR("group", rb__object_ref, group),
	RB_F_STR("kind", rb__object_ref, kind),
	RB_F_STR_REQ("name", rb__object_ref, name),
	RB_F_STR("namespace", rb__object_ref, namespace_),
	RB_F_U32("port", rb__object_ref, port, has_port, 1, 65535),
};
static const rb__schema OBJECT_REF = RB_SCHEMA("an object reference", rb__object_ref, OBJECT_REF_FIELDS, NULL);

static const rb__field PATH_MODIFIER_FIELDS[] = {
	RB_F_STR("type", rb__path_modifier, type),
	RB_F_STR("replaceFullPath", rb__path_modifier, replace_full_path),
	RB_F_STR("replacePrefixMatch", rb__path_modifier, replace_prefix_match),
};
static const rb__schema PATH_MODIFIER =
	RB_SCHEMA("a path modifier", rb__path_modifier, PATH_MODIFIER_FIELDS, NULL);

static const rb__field URL_REWRITE_FIELDS[] = {
	RB_F_STR("hostname", rb__filter, rewrite_hostname),
	RB_F_STRUCT_HAS("path", rb__filter, rewrite_path, rewrite_has_path, PATH_MODIFIER),
};
static const rb__schema URL_REWRITE = RB_SCHEMA("urlRewrite", rb__filter, URL_REWRITE_FIELDS, NULL);

static const rb__field MIRROR_FIELDS[] = {
	RB_F_STRUCT("backendRef", rb__filter, mirror_backend, OBJECT_REF),
};
static const rb__schema MIRROR = RB_SCHEMA("requestMirror", rb__filter, MIRROR_FIELDS, NULL);

/* The status code is checked by the translator (processRedirectFilter), not here. */
static const rb__field REDIRECT_FIELDS[] = {
	RB_F_STR("scheme", rb__filter, redirect_scheme),
	RB_F_STR("hostname", rb__filter, redirect_hostname),
	RB_F_STRUCT_HAS("path", rb__filter, redirect_path, redirect_has_path, PATH_MODIFIER),
	RB_F_U32("statusCode", rb__filter, redirect_status, has_redirect_status, 0, INT32_MAX),
};
static const rb__schema REDIRECT = RB_SCHEMA("requestRedirect", rb__filter, REDIRECT_FIELDS, NULL);

static const rb__field FILTER_FIELDS[] = {
	RB_F_STR_REQ("type", rb__filter, type),
	RB_F_STRUCT_HAS("requestHeaderModifier", rb__filter, request_header_modifier,
	                has_request_header_modifier, HEADER_MODIFIER),
	RB_F_STRUCT_HAS("responseHeaderModifier", rb__filter, response_header_modifier,
	                has_response_header_modifier, HEADER_MODIFIER),
	RB_F_NEST_HAS("urlRewrite", rb__filter, has_url_rewrite, URL_REWRITE),
	RB_F_NEST_HAS("requestMirror", rb__filter, has_mirror, MIRROR),
	RB_F_STRUCT_HAS("extensionRef", rb__filter, extension_ref, has_extension_ref, OBJECT_REF),
	RB_F_NEST_HAS("requestRedirect", rb__filter, has_redirect, REDIRECT),
};
static const rb__schema FILTER = RB_SCHEMA("a filter", rb__filter, FILTER_FIELDS, NULL);

/* Gateway API bounds weights to 0..1000000; negative ones are unusable ([weight.range]). */
static int backend_ref_weight(rb__dctx *d, const rb__node *v, void *base)
{
	rb__backend_ref *br = base;
	int64_t w;
	int rc = rb__decode_int(d, v, 0, 1000000, &w);
	if (rc)
		return rc;
	br->weight = (uint32_t)w & 0x7fffffffu; /* a bit-field: at most 1000000 */
	br->has_weight = 1;
	return RB_OK;
}

static const rb__field BACKEND_REF_FIELDS[] = {
    RB_F_STR("group", rb__backend_ref, ref.group),
    RB_F_STR("kind", rb__backend_ref, ref.kind),
    RB_F_STR_REQ("name", rb__backend_ref, ref.name),
    RB_F_STR("namespace", rb__backend_ref, ref.namespace_),
    RB_F_U32("port", rb__backend_ref, ref.port, ref.has_port, 1, 65535),
    RB_F_FN("weight", backend_ref_weight),
    RB_F_LIST_MAX("filters", rb__backend_ref, filters, filter_count, FILTER, 16),
};
static const rb__schema BACKEND_REF = RB_SCHEMA("a backendRef", rb__backend_ref, BACKEND_REF_FIELDS, NULL);

/* Matches: a regular expression that does not compile drops the rule
 * ([l7.rule-drop]); the whole match tells overlapping routes apart
 * (translate/overlap.c). */
static const rb__field VALUE_MATCH_FIELDS[] = {
	RB_F_STR("type", rb__value_match, type),
	RB_F_STR("name", rb__value_match, name),
	RB_F_STR("value", rb__value_match, value),
};
static const rb__schema VALUE_MATCH = RB_SCHEMA("a match", rb__value_match, VALUE_MATCH_FIELDS, NULL);

static const rb__field PATH_MATCH_FIELDS[] = {
	RB_F_STR("type", rb__route_match, path_type),
	RB_F_STR("value", rb__route_match, path_value),
};
static const rb__schema PATH_MATCH = RB_SCHEMA("a path match", rb__route_match, PATH_MATCH_FIELDS, NULL);

static const rb__field GRPC_METHOD_FIELDS[] = {
	RB_F_STR("type", rb__method_match, type),
	RB_F_STR("service", rb__method_match, service),
	RB_F_STR("method", rb__method_match, method),
};
static const rb__schema GRPC_METHOD =
	RB_SCHEMA("a method match", rb__method_match, GRPC_METHOD_FIELDS, NULL);

/* `method` is a mapping in a GRPCRoute and an HTTP method name in an HTTPRoute. */
static int match_method(rb__dctx *d, const rb__node *v, void *base)
{
	rb__route_match *m = base;
	if (!rb__node_is_map(v))
		return rb__decode_string(d, v, &m->http_method);
	rb__method_match *mm = rb__arena_calloc(d->arena, 1, sizeof(*mm));
	if (!mm)
		return RB_ENOMEM;
	m->grpc_method = mm;
	return rb__decode_struct(d, v, &GRPC_METHOD, mm);
}

static const rb__field MATCH_FIELDS[] = {
	RB_F_NEST("path", PATH_MATCH),
	RB_F_LIST_MAX("headers", rb__route_match, headers, header_count, VALUE_MATCH, 16),
	RB_F_LIST_MAX("queryParams", rb__route_match, query_params, query_param_count, VALUE_MATCH, 16),
	RB_F_FN("method", match_method),
};
static const rb__schema MATCH = RB_SCHEMA("a match", rb__route_match, MATCH_FIELDS, NULL);

static const rb__field SESSION_PERSISTENCE_FIELDS[] = {
	RB_F_STR("type", rb__session_persistence, type),
	RB_F_STR("idleTimeout", rb__session_persistence, idle_timeout),
};
static const rb__schema SESSION_PERSISTENCE =
	RB_SCHEMA("sessionPersistence", rb__session_persistence, SESSION_PERSISTENCE_FIELDS, NULL);

/*
 * The Gateway API CRD bounds of a route (HTTPRoute's; the other route kinds
 * have the same or none tighter that we decode, except GRPCRoute's 8 matches
 * per rule, checked in route_post). 16 backendRefs of weight at most 1000000
 * keep every weight sum far below 2^32 (docs/limits.md).
 */
static const rb__field RULE_FIELDS[] = {
	RB_F_STR("name", rb__route_rule, name),
	RB_F_LIST_MAX("matches", rb__route_rule, matches, match_count, MATCH, 64),
	RB_F_STRUCT_HAS("sessionPersistence", rb__route_rule, session_persistence,
	                has_session_persistence, SESSION_PERSISTENCE),
	RB_F_LIST_MAX("filters", rb__route_rule, filters, filter_count, FILTER, 16),
	RB_F_LIST_MAX("backendRefs", rb__route_rule, backend_refs, backend_ref_count, BACKEND_REF, 16),
};
static const rb__schema RULE = RB_SCHEMA("a rule", rb__route_rule, RULE_FIELDS, NULL);

static const rb__field PARENT_REF_FIELDS[] = {
	RB_F_STR("group", rb__parent_ref, group),
	RB_F_STR("kind", rb__parent_ref, kind),
	RB_F_STR("namespace", rb__parent_ref, namespace_),
	RB_F_STR_REQ("name", rb__parent_ref, name),
	RB_F_STR("sectionName", rb__parent_ref, section_name),
	RB_F_U32("port", rb__parent_ref, port, has_port, 1, 65535),
};
static const rb__schema PARENT_REF = RB_SCHEMA("a parentRef", rb__parent_ref, PARENT_REF_FIELDS, NULL);

static const rb__field ROUTE_SPEC_FIELDS[] = {
	RB_F_STRS_MAX("hostnames", rb__route, hostnames, hostname_count, 16),
	RB_F_LIST_SHARED("parentRefs", rb__route, parent_refs, parent_ref_count, PARENT_REF, 32),
	RB_F_LIST_MAX("rules", rb__route, rules, rule_count, RULE, 16),
};
static const rb__schema ROUTE_SPEC = RB_SCHEMA("a route spec", rb__route, ROUTE_SPEC_FIELDS, NULL);

/* The node of `key` in mapping n, or n itself when absent (for locating an error). */
static const rb__node *member_or_self(const rb__node *n, const char *key)
{
	const rb__node *m = n && rb__node_is_map(n) ? rb__node_get(n, key) : NULL;
	return m ? m : n;
}

/* GRPCRouteRule bounds its matches tighter than HTTPRouteRule: 8 (MaxItems=8). */
enum { GRPC_MATCHES_MAX = 8 };

static int check_grpc_matches(rb__dctx *d, const rb__node *map, const rb__route *r)
{
	if (!r->meta.kind || strcmp(r->meta.kind, "GRPCRoute"))
		return RB_OK;
	const rb__node *rules = member_or_self(member_or_self(map, "spec"), "rules");
	for (size_t i = 0; i < r->rule_count; i++) {
		if (r->rules[i].match_count <= GRPC_MATCHES_MAX)
			continue;
		const rb__node *at = rules;
		if (rules && rb__node_is_seq(rules) && i < rules->coll.count)
			at = member_or_self(rules->coll.items[i], "matches");
		rb__node_error(d->diags, d->source, at,
		               "%u items, more than the %d the API server accepts in a GRPCRoute "
		               "(maxItems: %d)",
		               r->rules[i].match_count, GRPC_MATCHES_MAX, GRPC_MATCHES_MAX);
		return RB_EPARSE;
	}
	return RB_OK;
}

static int route_post(rb__dctx *d, const rb__node *map, void *base)
{
	int rc = rb__check_object_meta(d, map, &((rb__route *)base)->meta, "a route");
	return rc ? rc : check_grpc_matches(d, map, base);
}

static const rb__field ROUTE_FIELDS[] = {
	RB_F_OBJECT_META(rb__route),
	RB_F_NEST("spec", ROUTE_SPEC),
};
const rb__schema rb__schema_route = RB_SCHEMA("a route", rb__route, ROUTE_FIELDS, route_post);
