/*
 * Envoy Gateway's HTTPRouteFilter (gateway.envoyproxy.io/v1alpha1): the parts
 * that decide whether the rule naming it is valid and what it answers
 * (lib/translate/filter_hrf.c). Bodies, header values and substitutions
 * never change a destination and are not kept.
 */
#include "model/schemas.h"
#include "rebalance/errors.h"

static const rb__field COOKIE_FIELDS[] = {
    RB_F_STR("type", rb__cookie_match, type),
    RB_F_STR("name", rb__cookie_match, name),
    RB_F_STR("value", rb__cookie_match, value),
};
static const rb__schema COOKIE = RB_SCHEMA("a cookie match", rb__cookie_match, COOKIE_FIELDS, NULL);

static const rb__field MATCH_FIELDS[] = {
    RB_F_LIST("cookies", rb__hrf_match, cookies, cookie_count, COOKIE),
};
static const rb__schema MATCH = RB_SCHEMA("a match", rb__hrf_match, MATCH_FIELDS, NULL);

static const rb__field REGEX_PATH_FIELDS[] = {
    RB_F_STR("pattern", rb__http_route_filter, rewrite_path_pattern),
};
static const rb__schema REGEX_PATH =
    RB_SCHEMA("replaceRegexMatch", rb__http_route_filter, REGEX_PATH_FIELDS, NULL);

static const rb__field PATH_FIELDS[] = {
    RB_F_STR("type", rb__http_route_filter, rewrite_path_type),
    RB_F_NEST("replaceRegexMatch", REGEX_PATH),
};
static const rb__schema PATH = RB_SCHEMA("path", rb__http_route_filter, PATH_FIELDS, NULL);

static const rb__field PATH_REGEX_FIELDS[] = {
    RB_F_STR("pattern", rb__http_route_filter, rewrite_host_pattern),
    RB_F_STR("substitution", rb__http_route_filter, rewrite_host_substitution),
};
static const rb__schema PATH_REGEX =
    RB_SCHEMA("pathRegex", rb__http_route_filter, PATH_REGEX_FIELDS, NULL);

static const rb__field HOSTNAME_FIELDS[] = {
    RB_F_STR("type", rb__http_route_filter, rewrite_hostname_type),
    RB_F_STR("header", rb__http_route_filter, rewrite_host_header),
    RB_F_NEST("pathRegex", PATH_REGEX),
};
static const rb__schema HOSTNAME =
    RB_SCHEMA("hostname", rb__http_route_filter, HOSTNAME_FIELDS, NULL);

static const rb__field URL_REWRITE_FIELDS[] = {
    RB_F_NEST_HAS("hostname", rb__http_route_filter, has_rewrite_hostname, HOSTNAME),
    RB_F_NEST_HAS("path", rb__http_route_filter, has_rewrite_path, PATH),
};
static const rb__schema URL_REWRITE =
    RB_SCHEMA("urlRewrite", rb__http_route_filter, URL_REWRITE_FIELDS, NULL);

static const rb__field VALUE_REF_FIELDS[] = {
    RB_F_STR("name", rb__http_route_filter, body_value_ref_name),
};
static const rb__schema VALUE_REF =
    RB_SCHEMA("valueRef", rb__http_route_filter, VALUE_REF_FIELDS, NULL);

static const rb__field BODY_FIELDS[] = {
    RB_F_STR("type", rb__http_route_filter, body_type),
    RB_F_NEST_HAS("valueRef", rb__http_route_filter, has_body_value_ref, VALUE_REF),
};
static const rb__schema BODY = RB_SCHEMA("body", rb__http_route_filter, BODY_FIELDS, NULL);

/* Envoy Gateway does not check the range of the status code: neither do we. */
static const rb__field DIRECT_RESPONSE_FIELDS[] = {
    RB_F_U32("statusCode", rb__http_route_filter, status_code, has_status_code, 0, INT32_MAX),
    RB_F_NEST("body", BODY),
};
static const rb__schema DIRECT_RESPONSE =
    RB_SCHEMA("directResponse", rb__http_route_filter, DIRECT_RESPONSE_FIELDS, NULL);

static const rb__field SECRET_REF_FIELDS[] = {
    RB_F_STR("group", rb__object_ref, group),
    RB_F_STR("kind", rb__object_ref, kind),
    RB_F_STR("name", rb__object_ref, name),
    RB_F_STR("namespace", rb__object_ref, namespace_),
};
static const rb__schema SECRET_REF =
    RB_SCHEMA("a secret reference", rb__object_ref, SECRET_REF_FIELDS, NULL);

static const rb__field CREDENTIAL_FIELDS[] = {
    RB_F_STRUCT("valueRef", rb__http_route_filter, credential_ref, SECRET_REF),
};
static const rb__schema CREDENTIAL =
    RB_SCHEMA("credential", rb__http_route_filter, CREDENTIAL_FIELDS, NULL);

static const rb__field CREDENTIAL_INJECTION_FIELDS[] = {
    RB_F_NEST("credential", CREDENTIAL),
};
static const rb__schema CREDENTIAL_INJECTION =
    RB_SCHEMA("credentialInjection", rb__http_route_filter, CREDENTIAL_INJECTION_FIELDS, NULL);

static const rb__field HRF_SPEC_FIELDS[] = {
    RB_F_LIST("matches", rb__http_route_filter, matches, match_count, MATCH),
    RB_F_NEST_HAS("urlRewrite", rb__http_route_filter, has_url_rewrite, URL_REWRITE),
    RB_F_NEST_HAS("directResponse", rb__http_route_filter, has_direct_response, DIRECT_RESPONSE),
    RB_F_NEST_HAS("credentialInjection", rb__http_route_filter, has_credential_injection,
                  CREDENTIAL_INJECTION),
};
static const rb__schema HRF_SPEC =
    RB_SCHEMA("an HTTPRouteFilter spec", rb__http_route_filter, HRF_SPEC_FIELDS, NULL);

static int hrf_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__http_route_filter *)base)->meta,
	                             "an HTTPRouteFilter");
}

static const rb__field HRF_FIELDS[] = {
    RB_F_OBJECT_META(rb__http_route_filter),
    RB_F_NEST("spec", HRF_SPEC),
};
const rb__schema rb__schema_http_route_filter =
    RB_SCHEMA("an HTTPRouteFilter", rb__http_route_filter, HRF_FIELDS, hrf_post);
