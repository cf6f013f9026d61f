/*
 * What can make a policy invalid: the fields of BackendTrafficPolicy,
 * SecurityPolicy, EnvoyExtensionPolicy, ClientTrafficPolicy and EnvoyProxy
 * that Envoy Gateway's validation reads (docs/policies.md). Everything else
 * in those specs is ignored. Durations and quantities are kept as written:
 * whether they parse is the translator's question (translate/policy_check.c).
 */
#include "model/schemas.h"
#include "rebalance/errors.h"

/* A Kubernetes quantity may be written as a string ("5000Mi") or a number. */
static int quantity(rb__dctx *d, const rb__node *v, const char **out)
{
	if (!rb__node_is_scalar(v) || v->stype == RB_SCALAR_BOOL) {
		rb__node_error(d->diags, d->source, v, "expected a quantity, got %s",
		               rb__node_type_name(v));
		return RB_EPARSE;
	}
	*out = rb__arena_intern(d->arena, v->scalar.text, v->scalar.len);
	return *out ? RB_OK : RB_ENOMEM;
}

/* How many entries a list has, when only that matters. */
static int count_of(rb__dctx *d, const rb__node *v, uint32_t *out)
{
	if (!rb__node_is_seq(v)) {
		rb__node_error(d->diags, d->source, v, "expected a list, got %s",
		               rb__node_type_name(v));
		return RB_EPARSE;
	}
	if (v->coll.count > UINT32_MAX)
		return RB_ELIMIT; /* the model counts in 32 bits (model.h) */
	*out = (uint32_t)v->coll.count;
	return RB_OK;
}

/* ---- BackendTrafficPolicy ---- */

static const rb__field RL_HEADER_FIELDS[] = {
	RB_F_STR("name", rb__rate_limit_header, name),
	RB_F_STR("type", rb__rate_limit_header, type),
	RB_F_STR("value", rb__rate_limit_header, value),
	RB_F_BOOL("invert", rb__rate_limit_header, invert),
};
static const rb__schema RL_HEADER =
	RB_SCHEMA("a rate limit header", rb__rate_limit_header, RL_HEADER_FIELDS, NULL);

static const rb__field SOURCE_CIDR_FIELDS[] = {
	RB_F_STR("value", rb__client_selector, source_cidr),
};
static const rb__schema SOURCE_CIDR =
	RB_SCHEMA("a source CIDR", rb__client_selector, SOURCE_CIDR_FIELDS, NULL);

static int selector_methods(rb__dctx *d, const rb__node *v, void *base)
{
	return count_of(d, v, &((rb__client_selector *)base)->method_count);
}

static int selector_path(rb__dctx *d, const rb__node *v, void *base)
{
	(void)d;
	((rb__client_selector *)base)->has_path = !rb__node_is_null(v);
	return RB_OK;
}

static int selector_query_params(rb__dctx *d, const rb__node *v, void *base)
{
	return count_of(d, v, &((rb__client_selector *)base)->query_param_count);
}

static const rb__field CLIENT_SELECTOR_FIELDS[] = {
	RB_F_LIST("headers", rb__client_selector, headers, header_count, RL_HEADER),
	RB_F_NEST_HAS("sourceCIDR", rb__client_selector, has_source_cidr, SOURCE_CIDR),
	RB_F_FN("methods", selector_methods),
	RB_F_FN("path", selector_path),
	RB_F_FN("queryParams", selector_query_params),
};
static const rb__schema CLIENT_SELECTOR =
	RB_SCHEMA("a client selector", rb__client_selector, CLIENT_SELECTOR_FIELDS, NULL);

static const rb__field LIMIT_FIELDS[] = {
	RB_F_STR("unit", rb__rate_limit_rule, unit),
};
static const rb__schema LIMIT = RB_SCHEMA("a rate limit", rb__rate_limit_rule, LIMIT_FIELDS, NULL);

static const rb__field RL_RULE_FIELDS[] = {
	RB_F_LIST("clientSelectors", rb__rate_limit_rule, client_selectors, client_selector_count,
	          CLIENT_SELECTOR),
	RB_F_NEST("limit", LIMIT),
};
static const rb__schema RL_RULE =
	RB_SCHEMA("a rate limit rule", rb__rate_limit_rule, RL_RULE_FIELDS, NULL);

static const rb__field LOCAL_RL_FIELDS[] = {
	RB_F_LIST("rules", rb__btp_checks, local_rules, local_rule_count, RL_RULE),
};
static const rb__schema LOCAL_RL =
	RB_SCHEMA("a local rate limit", rb__btp_checks, LOCAL_RL_FIELDS, NULL);

static const rb__field GLOBAL_RL_FIELDS[] = {
	RB_F_LIST("rules", rb__btp_checks, global_rules, global_rule_count, RL_RULE),
};
static const rb__schema GLOBAL_RL =
	RB_SCHEMA("a global rate limit", rb__btp_checks, GLOBAL_RL_FIELDS, NULL);

static const rb__field RATE_LIMIT_FIELDS[] = {
	RB_F_STR("type", rb__btp_checks, rate_limit_type),
	RB_F_NEST_HAS("local", rb__btp_checks, has_local_rate_limit, LOCAL_RL),
	RB_F_NEST_HAS("global", rb__btp_checks, has_global_rate_limit, GLOBAL_RL),
};
static const rb__schema RATE_LIMIT =
	RB_SCHEMA("a rate limit", rb__btp_checks, RATE_LIMIT_FIELDS, NULL);

static const rb__field CONSISTENT_HASH_FIELDS[] = {
	RB_F_U32("tableSize", rb__btp_checks, table_size, has_table_size, 0, UINT32_MAX),
};
static const rb__schema CONSISTENT_HASH =
	RB_SCHEMA("consistentHash", rb__btp_checks, CONSISTENT_HASH_FIELDS, NULL);

static const rb__field SLOW_START_FIELDS[] = {
	RB_F_STR("window", rb__btp_checks, slow_start_window),
};
static const rb__schema SLOW_START =
	RB_SCHEMA("slowStart", rb__btp_checks, SLOW_START_FIELDS, NULL);

static const rb__field LB_FIELDS[] = {
	RB_F_NEST("consistentHash", CONSISTENT_HASH),
	RB_F_NEST("slowStart", SLOW_START),
};
static const rb__schema LB = RB_SCHEMA("a load balancer", rb__btp_checks, LB_FIELDS, NULL);

#define CB(key, i) RB_F_I64(key, rb__btp_checks, circuit_breaker[i], INT64_MIN, INT64_MAX)
static const rb__field CIRCUIT_BREAKER_FIELDS[] = {
	CB("maxConnections", 0),     CB("maxPendingRequests", 1),       CB("maxParallelRequests", 2),
	CB("maxParallelRetries", 3), CB("maxRequestsPerConnection", 4),
};
#undef CB
static const rb__schema CIRCUIT_BREAKER =
	RB_SCHEMA("a circuit breaker", rb__btp_checks, CIRCUIT_BREAKER_FIELDS, NULL);

static const rb__field KEEPALIVE_FIELDS[] = {
	RB_F_STR("idleTime", rb__btp_checks, keepalive_idle_time),
	RB_F_STR("interval", rb__btp_checks, keepalive_interval),
};
static const rb__schema KEEPALIVE =
	RB_SCHEMA("tcpKeepalive", rb__btp_checks, KEEPALIVE_FIELDS, NULL);

static const rb__field BACKOFF_FIELDS[] = {
	RB_F_STR("baseInterval", rb__btp_checks, backoff_base),
	RB_F_STR("maxInterval", rb__btp_checks, backoff_max),
};
static const rb__schema BACKOFF = RB_SCHEMA("a backoff", rb__btp_checks, BACKOFF_FIELDS, NULL);

static const rb__field PER_RETRY_FIELDS[] = {
	RB_F_STR("timeout", rb__btp_checks, retry_timeout),
	RB_F_NEST("backOff", BACKOFF),
};
static const rb__schema PER_RETRY = RB_SCHEMA("perRetry", rb__btp_checks, PER_RETRY_FIELDS, NULL);

static const rb__field RETRY_FIELDS[] = {
	RB_F_NEST("perRetry", PER_RETRY),
};
static const rb__schema RETRY = RB_SCHEMA("a retry", rb__btp_checks, RETRY_FIELDS, NULL);

static const rb__field TCP_TIMEOUT_FIELDS[] = {
	RB_F_STR("connectTimeout", rb__btp_checks, timeouts[0]),
};
static const rb__schema TCP_TIMEOUT =
	RB_SCHEMA("a TCP timeout", rb__btp_checks, TCP_TIMEOUT_FIELDS, NULL);

static const rb__field HTTP_TIMEOUT_FIELDS[] = {
	RB_F_STR("connectionIdleTimeout", rb__btp_checks, timeouts[1]),
	RB_F_STR("maxConnectionDuration", rb__btp_checks, timeouts[2]),
	RB_F_STR("requestTimeout", rb__btp_checks, timeouts[3]),
	RB_F_STR("maxStreamDuration", rb__btp_checks, timeouts[4]),
	RB_F_STR("streamIdleTimeout", rb__btp_checks, timeouts[5]),
};
static const rb__schema HTTP_TIMEOUT =
	RB_SCHEMA("an HTTP timeout", rb__btp_checks, HTTP_TIMEOUT_FIELDS, NULL);

static const rb__field TIMEOUT_FIELDS[] = {
	RB_F_NEST("tcp", TCP_TIMEOUT),
	RB_F_NEST("http", HTTP_TIMEOUT),
};
static const rb__schema TIMEOUT = RB_SCHEMA("a timeout", rb__btp_checks, TIMEOUT_FIELDS, NULL);

static int btp_buffer_limit(rb__dctx *d, const rb__node *v, void *base)
{
	return quantity(d, v, &((rb__btp_checks *)base)->buffer_limit);
}

static const rb__field CONNECTION_FIELDS[] = {
	RB_F_FN("bufferLimit", btp_buffer_limit),
};
static const rb__schema CONNECTION =
	RB_SCHEMA("a backend connection", rb__btp_checks, CONNECTION_FIELDS, NULL);

static int request_buffer_limit(rb__dctx *d, const rb__node *v, void *base)
{
	return quantity(d, v, &((rb__btp_checks *)base)->request_buffer_limit);
}

static const rb__field REQUEST_BUFFER_FIELDS[] = {
	RB_F_FN("limit", request_buffer_limit),
};
static const rb__schema REQUEST_BUFFER =
	RB_SCHEMA("a request buffer", rb__btp_checks, REQUEST_BUFFER_FIELDS, NULL);

static const rb__field VALUE_REF_FIELDS[] = {
	RB_F_STR("kind", rb__response_override, value_ref_kind),
	RB_F_STR("name", rb__response_override, value_ref_name),
};
static const rb__schema VALUE_REF =
	RB_SCHEMA("a valueRef", rb__response_override, VALUE_REF_FIELDS, NULL);

static const rb__field BODY_FIELDS[] = {
	RB_F_STR("type", rb__response_override, body_type),
	RB_F_NEST("valueRef", VALUE_REF),
};
static const rb__schema BODY =
	RB_SCHEMA("a response body", rb__response_override, BODY_FIELDS, NULL);

static const rb__field RESPONSE_FIELDS[] = {
	RB_F_NEST("body", BODY),
};
static const rb__schema RESPONSE =
	RB_SCHEMA("a response", rb__response_override, RESPONSE_FIELDS, NULL);

static const rb__field OVERRIDE_FIELDS[] = {
	RB_F_NEST("response", RESPONSE),
};
static const rb__schema OVERRIDE =
	RB_SCHEMA("a response override", rb__response_override, OVERRIDE_FIELDS, NULL);

/* http2 window sizes (buildIRHTTP2Settings). */
static int btp_stream_window(rb__dctx *d, const rb__node *v, void *base)
{
	return quantity(d, v, &((rb__btp_checks *)base)->http2_stream_window);
}

static int btp_connection_window(rb__dctx *d, const rb__node *v, void *base)
{
	return quantity(d, v, &((rb__btp_checks *)base)->http2_connection_window);
}

static const rb__field BTP_HTTP2_FIELDS[] = {
	RB_F_FN("initialStreamWindowSize", btp_stream_window),
	RB_F_FN("initialConnectionWindowSize", btp_connection_window),
};
static const rb__schema BTP_HTTP2 = RB_SCHEMA("http2", rb__btp_checks, BTP_HTTP2_FIELDS, NULL);

static int http_upgrade(rb__dctx *d, const rb__node *v, void *base)
{
	(void)d;
	((rb__btp_checks *)base)->has_http_upgrade = !rb__node_is_null(v);
	return RB_OK;
}

static const rb__field BTP_CHECK_FIELDS[] = {
	RB_F_NEST("rateLimit", RATE_LIMIT),
	RB_F_NEST("loadBalancer", LB),
	RB_F_NEST("circuitBreaker", CIRCUIT_BREAKER),
	RB_F_NEST("tcpKeepalive", KEEPALIVE),
	RB_F_NEST("retry", RETRY),
	RB_F_NEST("timeout", TIMEOUT),
	RB_F_NEST("backendConnection", CONNECTION),
	RB_F_NEST_HAS("requestBuffer", rb__btp_checks, has_request_buffer, REQUEST_BUFFER),
	RB_F_FN("httpUpgrade", http_upgrade),
	RB_F_NEST("http2", BTP_HTTP2),
	RB_F_LIST("responseOverride", rb__btp_checks, overrides, override_count, OVERRIDE),
};
const rb__schema rb__schema_btp_checks =
	RB_SCHEMA("a BackendTrafficPolicy spec", rb__btp_checks, BTP_CHECK_FIELDS, NULL);

/* ---- backendRefs of external services ---- */

static const rb__field EXT_REF_FIELDS[] = {
	RB_F_STR("group", rb__backend_ref, ref.group),
	RB_F_STR("kind", rb__backend_ref, ref.kind),
	RB_F_STR_REQ("name", rb__backend_ref, ref.name),
	RB_F_STR("namespace", rb__backend_ref, ref.namespace_),
	RB_F_U32("port", rb__backend_ref, ref.port, ref.has_port, 1, 65535),
};
static const rb__schema EXT_REF = RB_SCHEMA("a backendRef", rb__backend_ref, EXT_REF_FIELDS, NULL);

static const rb__field EXT_SERVICE_FIELDS[] = {
	RB_F_LIST("backendRefs", rb__ext_service, refs, ref_count, EXT_REF),
	RB_F_STRUCT_HAS("backendRef", rb__ext_service, ref, has_ref, EXT_REF),
};
static const rb__schema EXT_SERVICE =
	RB_SCHEMA("an external service", rb__ext_service, EXT_SERVICE_FIELDS, NULL);

static const rb__schema SECRET_REF =
	RB_SCHEMA("a secret reference", rb__secret_ref, rb__secret_ref_fields, NULL);

/* ---- SecurityPolicy ---- */

static const rb__field EXT_AUTH_FIELDS[] = {
	RB_F_STRUCT_HAS("http", rb__security_policy, ext_auth_http, has_ext_auth_http, EXT_SERVICE),
	RB_F_STRUCT_HAS("grpc", rb__security_policy, ext_auth_grpc, has_ext_auth_grpc, EXT_SERVICE),
	RB_F_TRI("failOpen", rb__security_policy, ext_auth_fail_open),
};
static const rb__schema EXT_AUTH = RB_SCHEMA("extAuth", rb__security_policy, EXT_AUTH_FIELDS, NULL);

static const rb__field BASIC_AUTH_FIELDS[] = {
	RB_F_STRUCT("users", rb__security_policy, basic_auth_users, SECRET_REF),
};
static const rb__schema BASIC_AUTH =
	RB_SCHEMA("basicAuth", rb__security_policy, BASIC_AUTH_FIELDS, NULL);

static const rb__field API_KEY_FIELDS[] = {
	RB_F_LIST("credentialRefs", rb__security_policy, api_key_credentials, api_key_credential_count,
              SECRET_REF),
};
static const rb__schema API_KEY =
	RB_SCHEMA("apiKeyAuth", rb__security_policy, API_KEY_FIELDS, NULL);

static const rb__field LOCAL_JWKS_VALUE_REF_FIELDS[] = {
	RB_F_STR("name", rb__jwt_provider, local_jwks_value_ref_name),
};
static const rb__schema LOCAL_JWKS_VALUE_REF =
	RB_SCHEMA("a valueRef", rb__jwt_provider, LOCAL_JWKS_VALUE_REF_FIELDS, NULL);

static const rb__field LOCAL_JWKS_FIELDS[] = {
	RB_F_STR("type", rb__jwt_provider, local_jwks_type),
	RB_F_NEST("valueRef", LOCAL_JWKS_VALUE_REF),
};
static const rb__schema LOCAL_JWKS =
	RB_SCHEMA("localJWKS", rb__jwt_provider, LOCAL_JWKS_FIELDS, NULL);

static const rb__field JWT_PROVIDER_FIELDS[] = {
	RB_F_STR("name", rb__jwt_provider, name),
	RB_F_STRUCT_HAS("remoteJWKS", rb__jwt_provider, remote_jwks, has_remote_jwks, EXT_SERVICE),
	RB_F_NEST_HAS("localJWKS", rb__jwt_provider, has_local_jwks, LOCAL_JWKS),
};
static const rb__schema JWT_PROVIDER =
	RB_SCHEMA("a JWT provider", rb__jwt_provider, JWT_PROVIDER_FIELDS, NULL);

static const rb__field JWT_FIELDS[] = {
	RB_F_LIST("providers", rb__security_policy, jwt_providers, jwt_provider_count, JWT_PROVIDER),
};
static const rb__schema JWT = RB_SCHEMA("jwt", rb__security_policy, JWT_FIELDS, NULL);

static const rb__field OIDC_FIELDS[] = {
	RB_F_STRUCT("clientSecret", rb__security_policy, oidc_client_secret, SECRET_REF),
	RB_F_STRUCT_HAS("provider", rb__security_policy, oidc_provider, has_oidc_provider_service,
                    EXT_SERVICE),
};
static const rb__schema OIDC = RB_SCHEMA("oidc", rb__security_policy, OIDC_FIELDS, NULL);

/* Which geolocation fields the principal's clientIPGeoLocations use (each needs a database). */
static int geo_locations(rb__dctx *d, const rb__node *v, void *base)
{
	rb__authz_rule *r = base;
	int rc = count_of(d, v, &r->geo_count);
	for (size_t i = 0; !rc && i < v->coll.count; i++) {
		const rb__node *g = v->coll.items[i];
		r->geo_country |= !rb__node_is_null(rb__node_get(g, "country"));
		r->geo_region |= !rb__node_is_null(rb__node_get(g, "region"));
		r->geo_city |= !rb__node_is_null(rb__node_get(g, "city"));
		r->geo_asn |= !rb__node_is_null(rb__node_get(g, "asn"));
		r->geo_isp |= !rb__node_is_null(rb__node_get(g, "isp"));
		r->geo_anonymous |= !rb__node_is_null(rb__node_get(g, "anonymous"));
	}
	return rc;
}

static const rb__field PRINCIPAL_FIELDS[] = {
	RB_F_STRS("clientCIDRs", rb__authz_rule, client_cidrs, client_cidr_count),
	RB_F_FN("clientIPGeoLocations", geo_locations),
};
static const rb__schema PRINCIPAL =
	RB_SCHEMA("a principal", rb__authz_rule, PRINCIPAL_FIELDS, NULL);

static const rb__field AUTHZ_RULE_FIELDS[] = {
	RB_F_NEST("principal", PRINCIPAL),
};
static const rb__schema AUTHZ_RULE =
	RB_SCHEMA("an authorization rule", rb__authz_rule, AUTHZ_RULE_FIELDS, NULL);

static const rb__field AUTHZ_FIELDS[] = {
	RB_F_LIST("rules", rb__security_policy, authz_rules, authz_rule_count, AUTHZ_RULE),
};
static const rb__schema AUTHZ = RB_SCHEMA("authorization", rb__security_policy, AUTHZ_FIELDS, NULL);

static const rb__field SP_SPEC_FIELDS[] = {
	RB_F_POLICY_TARGET_REFS(rb__security_policy),
	RB_F_POLICY_TARGET_SELECTORS(rb__security_policy),
	RB_F_STR("mergeType", rb__security_policy, merge_type),
	RB_F_NEST_HAS("extAuth", rb__security_policy, has_ext_auth, EXT_AUTH),
	RB_F_NEST_HAS("basicAuth", rb__security_policy, has_basic_auth, BASIC_AUTH),
	RB_F_NEST_HAS("apiKeyAuth", rb__security_policy, has_api_key_auth, API_KEY),
	RB_F_NEST_HAS("jwt", rb__security_policy, has_jwt, JWT),
	RB_F_NEST_HAS("oidc", rb__security_policy, has_oidc, OIDC),
	RB_F_NEST_HAS("authorization", rb__security_policy, has_authorization, AUTHZ),
};
static const rb__schema SP_SPEC =
	RB_SCHEMA("a SecurityPolicy spec", rb__security_policy, SP_SPEC_FIELDS, NULL);

static int sp_post(rb__dctx *d, const rb__node *map, void *base)
{
	rb__security_policy *p = base;
	rb__policy_targets_settle(&p->targets);
	return rb__check_object_meta(d, map, &p->meta, "a SecurityPolicy");
}

static const rb__field SP_FIELDS[] = {
	RB_F_OBJECT_META(rb__security_policy),
	RB_F_NEST("spec", SP_SPEC),
};
const rb__schema rb__schema_security_policy =
	RB_SCHEMA("a SecurityPolicy", rb__security_policy, SP_FIELDS, sp_post);

/* ---- EnvoyExtensionPolicy ---- */

static const rb__field EXT_PROC_FIELDS[] = {
	RB_F_LIST("backendRefs", rb__ext_proc, service.refs, service.ref_count, EXT_REF),
	RB_F_STRUCT_HAS("backendRef", rb__ext_proc, service.ref, service.has_ref, EXT_REF),
	RB_F_TRI("failOpen", rb__ext_proc, fail_open),
	RB_F_STR("messageTimeout", rb__ext_proc, message_timeout),
};
static const rb__schema EXT_PROC = RB_SCHEMA("an extProc", rb__ext_proc, EXT_PROC_FIELDS, NULL);

static const rb__field LUA_VALUE_REF_FIELDS[] = {
	RB_F_STR("kind", rb__lua, value_ref_kind),
	RB_F_STR("name", rb__lua, value_ref_name),
};
static const rb__schema LUA_VALUE_REF =
	RB_SCHEMA("a valueRef", rb__lua, LUA_VALUE_REF_FIELDS, NULL);

static const rb__field LUA_FIELDS[] = {
	RB_F_STR("type", rb__lua, type),
	RB_F_STR("inline", rb__lua, inline_script),
	RB_F_NEST("valueRef", LUA_VALUE_REF),
};
static const rb__schema LUA = RB_SCHEMA("a lua", rb__lua, LUA_FIELDS, NULL);

static const rb__field IMAGE_FIELDS[] = {
	RB_F_STRUCT_HAS("pullSecretRef", rb__wasm, pull_secret, has_pull_secret, SECRET_REF),
};
static const rb__schema IMAGE = RB_SCHEMA("an image", rb__wasm, IMAGE_FIELDS, NULL);

static int wasm_http(rb__dctx *d, const rb__node *v, void *base)
{
	(void)d;
	((rb__wasm *)base)->has_http = !rb__node_is_null(v);
	return RB_OK;
}

static const rb__field CODE_FIELDS[] = {
	RB_F_STR("type", rb__wasm, code_type),
	RB_F_FN("http", wasm_http),
	RB_F_NEST_HAS("image", rb__wasm, has_image, IMAGE),
};
static const rb__schema CODE = RB_SCHEMA("a wasm code source", rb__wasm, CODE_FIELDS, NULL);

static const rb__field WASM_FIELDS[] = {
	RB_F_TRI("failOpen", rb__wasm, fail_open),
	RB_F_NEST("code", CODE),
};
static const rb__schema WASM = RB_SCHEMA("a wasm", rb__wasm, WASM_FIELDS, NULL);

static const rb__field DYNAMIC_MODULE_FIELDS[] = {
	RB_F_STR("name", rb__dynamic_module, name),
};
static const rb__schema DYNAMIC_MODULE =
	RB_SCHEMA("a dynamic module", rb__dynamic_module, DYNAMIC_MODULE_FIELDS, NULL);

static const rb__field EEP_SPEC_FIELDS[] = {
	RB_F_POLICY_TARGET_REFS(rb__extension_policy),
	RB_F_POLICY_TARGET_SELECTORS(rb__extension_policy),
	RB_F_STR("mergeType", rb__extension_policy, merge_type),
	RB_F_LIST("extProc", rb__extension_policy, ext_procs, ext_proc_count, EXT_PROC),
	RB_F_LIST("lua", rb__extension_policy, luas, lua_count, LUA),
	RB_F_LIST("wasm", rb__extension_policy, wasms, wasm_count, WASM),
	RB_F_LIST("dynamicModule", rb__extension_policy, dynamic_modules, dynamic_module_count,
              DYNAMIC_MODULE),
};
static const rb__schema EEP_SPEC =
	RB_SCHEMA("an EnvoyExtensionPolicy spec", rb__extension_policy, EEP_SPEC_FIELDS, NULL);

static int eep_post(rb__dctx *d, const rb__node *map, void *base)
{
	rb__extension_policy *p = base;
	rb__policy_targets_settle(&p->targets);
	return rb__check_object_meta(d, map, &p->meta, "an EnvoyExtensionPolicy");
}

static const rb__field EEP_FIELDS[] = {
	RB_F_OBJECT_META(rb__extension_policy),
	RB_F_NEST("spec", EEP_SPEC),
};
const rb__schema rb__schema_extension_policy =
	RB_SCHEMA("an EnvoyExtensionPolicy", rb__extension_policy, EEP_FIELDS, eep_post);

/* ---- ClientTrafficPolicy ---- */

static const rb__field CLIENT_VALIDATION_FIELDS[] = {
	RB_F_TRI("optional", rb__client_traffic_policy, client_validation_optional),
	RB_F_LIST("caCertificateRefs", rb__client_traffic_policy, client_ca_refs, client_ca_ref_count,
              SECRET_REF),
};
static const rb__schema CLIENT_VALIDATION =
	RB_SCHEMA("clientValidation", rb__client_traffic_policy, CLIENT_VALIDATION_FIELDS, NULL);

static const rb__field CTP_TLS_FIELDS[] = {
	RB_F_NEST_HAS("clientValidation", rb__client_traffic_policy, has_client_validation,
                  CLIENT_VALIDATION),
};
static const rb__schema CTP_TLS = RB_SCHEMA("tls", rb__client_traffic_policy, CTP_TLS_FIELDS, NULL);

static int trusted_cidrs(rb__dctx *d, const rb__node *v, void *base)
{
	return count_of(d, v, &((rb__client_traffic_policy *)base)->xff_trusted_cidr_count);
}

static int trusted_hops(rb__dctx *d, const rb__node *v, void *base)
{
	(void)d;
	((rb__client_traffic_policy *)base)->has_xff_trusted_hops = !rb__node_is_null(v);
	return RB_OK;
}

static const rb__field XFF_FIELDS[] = {
	RB_F_FN("trustedCIDRs", trusted_cidrs),
	RB_F_FN("numTrustedHops", trusted_hops),
};
static const rb__schema XFF =
	RB_SCHEMA("xForwardedFor", rb__client_traffic_policy, XFF_FIELDS, NULL);

static int custom_header(rb__dctx *d, const rb__node *v, void *base)
{
	(void)d;
	((rb__client_traffic_policy *)base)->has_custom_header = !rb__node_is_null(v);
	return RB_OK;
}

static const rb__field IP_DETECTION_FIELDS[] = {
	RB_F_NEST_HAS("xForwardedFor", rb__client_traffic_policy, has_xff, XFF),
	RB_F_FN("customHeader", custom_header),
};
static const rb__schema IP_DETECTION =
	RB_SCHEMA("clientIPDetection", rb__client_traffic_policy, IP_DETECTION_FIELDS, NULL);

static const rb__field CTP_HTTP_TIMEOUT_FIELDS[] = {
	RB_F_STR("requestReceivedTimeout", rb__client_traffic_policy, timeouts[0]),
	RB_F_STR("idleTimeout", rb__client_traffic_policy, timeouts[1]),
	RB_F_STR("streamIdleTimeout", rb__client_traffic_policy, timeouts[2]),
};
static const rb__schema CTP_HTTP_TIMEOUT =
	RB_SCHEMA("an HTTP timeout", rb__client_traffic_policy, CTP_HTTP_TIMEOUT_FIELDS, NULL);

static const rb__field CTP_TCP_TIMEOUT_FIELDS[] = {
	RB_F_STR("idleTimeout", rb__client_traffic_policy, timeouts[3]),
};
static const rb__schema CTP_TCP_TIMEOUT =
	RB_SCHEMA("a TCP timeout", rb__client_traffic_policy, CTP_TCP_TIMEOUT_FIELDS, NULL);

static const rb__field CTP_TIMEOUT_FIELDS[] = {
	RB_F_NEST("http", CTP_HTTP_TIMEOUT),
	RB_F_NEST("tcp", CTP_TCP_TIMEOUT),
};
static const rb__schema CTP_TIMEOUT =
	RB_SCHEMA("a timeout", rb__client_traffic_policy, CTP_TIMEOUT_FIELDS, NULL);

static const rb__field CTP_KEEPALIVE_FIELDS[] = {
	RB_F_STR("idleTime", rb__client_traffic_policy, keepalive_idle_time),
	RB_F_STR("interval", rb__client_traffic_policy, keepalive_interval),
};
static const rb__schema CTP_KEEPALIVE =
	RB_SCHEMA("tcpKeepalive", rb__client_traffic_policy, CTP_KEEPALIVE_FIELDS, NULL);

static int ctp_buffer_limit(rb__dctx *d, const rb__node *v, void *base)
{
	return quantity(d, v, &((rb__client_traffic_policy *)base)->buffer_limit);
}

static const rb__field CTP_CONNECTION_FIELDS[] = {
	RB_F_FN("bufferLimit", ctp_buffer_limit),
};
static const rb__schema CTP_CONNECTION =
	RB_SCHEMA("a connection", rb__client_traffic_policy, CTP_CONNECTION_FIELDS, NULL);

static int ctp_stream_window(rb__dctx *d, const rb__node *v, void *base)
{
	return quantity(d, v, &((rb__client_traffic_policy *)base)->http2_stream_window);
}

static int ctp_connection_window(rb__dctx *d, const rb__node *v, void *base)
{
	return quantity(d, v, &((rb__client_traffic_policy *)base)->http2_connection_window);
}

static const rb__field CTP_HTTP2_FIELDS[] = {
	RB_F_FN("initialStreamWindowSize", ctp_stream_window),
	RB_F_FN("initialConnectionWindowSize", ctp_connection_window),
};
static const rb__schema CTP_HTTP2 =
	RB_SCHEMA("http2", rb__client_traffic_policy, CTP_HTTP2_FIELDS, NULL);

static const rb__field CTP_SPEC_FIELDS[] = {
	RB_F_NEST("http2", CTP_HTTP2),
	RB_F_POLICY_TARGET_REFS(rb__client_traffic_policy),
	RB_F_POLICY_TARGET_SELECTORS(rb__client_traffic_policy),
	RB_F_NEST("tls", CTP_TLS),
	RB_F_NEST_HAS("clientIPDetection", rb__client_traffic_policy, has_client_ip_detection,
                  IP_DETECTION),
	RB_F_NEST("timeout", CTP_TIMEOUT),
	RB_F_NEST("tcpKeepalive", CTP_KEEPALIVE),
	RB_F_NEST("connection", CTP_CONNECTION),
};
static const rb__schema CTP_SPEC =
	RB_SCHEMA("a ClientTrafficPolicy spec", rb__client_traffic_policy, CTP_SPEC_FIELDS, NULL);

/* ---- mergeBackends (translate/merge_backends.c): HTTP/1.1 overrides ---- */

/* Envoy Gateway applies a listener's HTTP/1.1 settings to the upstream
 * clusters of its routes, so a backend behind such a listener cannot share a
 * cluster with the other listeners' routes. Read from the spec after
 * decoding (only what mergeBackends needs). */
static int ctp_http1_override(rb__dctx *d, const rb__node *spec, rb__client_traffic_policy *p)
{
	const rb__node *v = rb__node_get(spec, "http1");
	if (rb__node_is_null(v))
		return RB_OK;
	if (!rb__node_is_map(v)) {
		rb__node_error(d->diags, d->source, v, "expected a mapping, got %s", rb__node_type_name(v));
		return RB_EPARSE;
	}
	static const char *const keys[] = {"enableTrailers", "preserveHeaderCase"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const rb__node *b = rb__node_get(v, keys[i]);
		bool on = false;
		if (!rb__node_is_null(b) && rb__decode_bool(d, b, &on))
			return RB_EPARSE;
		p->http1_override |= on;
	}
	if (!rb__node_is_null(rb__node_get(v, "http10")))
		p->http1_override = true;
	return RB_OK;
}

static int ctp_post(rb__dctx *d, const rb__node *map, void *base)
{
	rb__client_traffic_policy *p = base;
	rb__policy_targets_settle(&p->targets);
	int rc = ctp_http1_override(d, rb__node_get(map, "spec"), p);
	return rc ? rc : rb__check_object_meta(d, map, &p->meta, "a ClientTrafficPolicy");
}

static const rb__field CTP_FIELDS[] = {
	RB_F_OBJECT_META(rb__client_traffic_policy),
	RB_F_NEST("spec", CTP_SPEC),
};
const rb__schema rb__schema_client_traffic_policy =
	RB_SCHEMA("a ClientTrafficPolicy", rb__client_traffic_policy, CTP_FIELDS, ctp_post);

/* ---- EnvoyProxy: allowed dynamic modules, GeoIP databases, upstream client certificate ---- */

static int dynamic_modules(rb__dctx *d, const rb__node *v, void *base)
{
	rb__envoy_proxy *ep = base;
	uint32_t n;
	int rc = count_of(d, v, &n);
	if (rc)
		return rc;
	ep->dynamic_modules = rb__arena_calloc(d->arena, n ? n : 1, sizeof(*ep->dynamic_modules));
	if (!ep->dynamic_modules)
		return RB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const rb__node *name = rb__node_get(v->coll.items[i], "name");
		if (rb__node_is_null(name))
			continue;
		rc = rb__decode_string(d, name, &ep->dynamic_modules[ep->dynamic_module_count]);
		if (rc)
			return rc;
		ep->dynamic_module_count++;
	}
	return RB_OK;
}

static bool given(const rb__node *map, const char *key)
{
	return !rb__node_is_null(rb__node_get(map, key));
}

static int geoip(rb__dctx *d, const rb__node *v, void *base)
{
	(void)d;
	rb__envoy_proxy *ep = base;
	const rb__node *mm = rb__node_get(rb__node_get(v, "provider"), "maxMind");
	ep->has_geoip_provider = !rb__node_is_null(mm);
	ep->geoip_country_db = given(mm, "countryDbSource");
	ep->geoip_city_db = given(mm, "cityDbSource");
	ep->geoip_asn_db = given(mm, "asnDbSource");
	ep->geoip_isp_db = given(mm, "ispDbSource");
	ep->geoip_anonymous_db = given(mm, "anonymousIpDbSource");
	return RB_OK;
}

static const rb__field BACKEND_TLS_FIELDS[] = {
	RB_F_STRUCT_HAS("clientCertificateRef", rb__envoy_proxy, backend_client_cert,
	                has_backend_client_cert, SECRET_REF),
};
static const rb__schema BACKEND_TLS =
	RB_SCHEMA("backendTLS", rb__envoy_proxy, BACKEND_TLS_FIELDS, NULL);

static const rb__field LUA_SETTINGS_FIELDS[] = {
	RB_F_STR("validationType", rb__envoy_proxy, lua_validation_type),
};
static const rb__schema LUA_SETTINGS =
	RB_SCHEMA("lua", rb__envoy_proxy, LUA_SETTINGS_FIELDS, NULL);

static const rb__field EP_CHECK_FIELDS[] = {
	RB_F_STR("luaValidation", rb__envoy_proxy, lua_validation),
	RB_F_NEST("lua", LUA_SETTINGS),
	RB_F_NEST("backendTLS", BACKEND_TLS),
	RB_F_FN("dynamicModules", dynamic_modules),
	RB_F_FN("geoIP", geoip),
};
const rb__schema rb__schema_envoy_proxy_checks =
	RB_SCHEMA("an EnvoyProxy spec", rb__envoy_proxy, EP_CHECK_FIELDS, NULL);
