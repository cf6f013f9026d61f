/*
 * The model: typed resources decoded from the node trees (docs/semantics/inputs.md).
 * Only the fields that change destinations or route statuses are kept.
 *
 * Conventions: strings are NUL-terminated and live in the model arena; an
 * absent string is NULL (an explicitly empty one is ""). Lists are a pointer
 * and a 32-bit count (a list past UINT32_MAX items is refused: decode.c), the
 * counts after the pointers, so that a struct has no padding between them.
 * Optional scalars carry a has_ flag. Namespaces are never
 * defaulted here ([input.namespace.not-defaulted]): an object without one has "".
 */
#ifndef RB_MODEL_MODEL_H
#define RB_MODEL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/vec.h"
#include "load/node.h"

typedef struct rb__kv {
	const char *key;
	const char *value;
} rb__kv;

/* A tri-state boolean: absent, false, true. One byte (packed), as it is
 * stored in every endpoint of every EndpointSlice. */
typedef enum __attribute__((packed)) rb__tri {
	RB_TRI_UNSET = 0,
	RB_TRI_FALSE = 1,
	RB_TRI_TRUE = 2
} rb__tri;

/* The source and the JSON pointer of an object, or of the list it is an item of. */
typedef struct rb__place {
	const char *source;
	const char *path;
} rb__place;

/* Where an object came from, for explanations. */
typedef struct rb__origin {
	/* Source name and JSON pointer of the object in its document: path (""
	 * for a root), then "/index" when has_index (an item of a list: the items
	 * share the list's place, and the index is formatted only when a warning
	 * needs it). NULL in an object the library made (what_if.c). */
	const rb__place *place;
	uint32_t line;
	uint32_t column;
	/* 32 bits, as line and column: 24 bytes in every object's metadata (a
	 * list past UINT32_MAX items is refused). */
	uint32_t index;
	bool has_index;
} rb__origin;

/* The source name and path of an origin ("" when unknown). */
static inline const char *rb__origin_source(const rb__origin *o)
{
	return o->place && o->place->source ? o->place->source : "";
}
static inline const char *rb__origin_path(const rb__origin *o)
{
	return o->place && o->place->path ? o->place->path : "";
}

/* An object's metadata, and its kind. Its apiVersion is checked, not kept:
 * only the objects of extensionRefFilters, of any API, need theirs
 * (rb__unstructured). */
typedef struct rb__objmeta {
	const char *kind; /* TypeMeta kind as written (NULL when absent) */
	const char *name;
	const char *namespace_; /* "" when absent */
	rb__kv *labels;
	rb__kv *annotations;
	uint32_t label_count;
	uint32_t annotation_count;
	rb__origin origin;
} rb__objmeta;

/* ---- label selectors ---------------------------------------------------- */

typedef struct rb__label_requirement {
	const char *key;
	const char *op; /* In, NotIn, Exists, DoesNotExist */
	const char **values;
	uint32_t value_count;
} rb__label_requirement;

typedef struct rb__label_selector {
	rb__kv *match_labels;
	uint32_t match_label_count;
	rb__label_requirement *match_expressions;
	uint32_t match_expression_count;
} rb__label_selector;

/* ---- Gateway ------------------------------------------------------------ */

typedef struct rb__group_kind {
	const char *group; /* NULL: absent */
	const char *kind;
} rb__group_kind;

typedef struct rb__secret_ref {
	const char *group;
	const char *kind;
	const char *name;
	const char *namespace_;
} rb__secret_ref;

typedef struct rb__listener {
	const char *name;
	const char *hostname; /* NULL: any */
	bool has_port;
	uint32_t port;
	const char *protocol; /* HTTP, HTTPS, TLS, TCP, UDP */
	bool has_tls;         /* a `tls` block is present (even an empty one) */
	const char *tls_mode; /* Terminate, Passthrough, NULL */
	rb__secret_ref *certificate_refs;
	uint32_t certificate_ref_count;
	const char *allowed_from; /* All, Same, Selector; NULL means Same */
	bool has_allowed_selector;
	rb__label_selector allowed_selector;
	rb__group_kind *allowed_kinds;
	uint32_t allowed_kind_count;
} rb__listener;

typedef struct rb__gateway {
	rb__objmeta meta;
	const char *gateway_class_name;
	rb__listener *listeners;
	uint32_t listener_count;
	/* spec.allowedListeners.namespaces: which ListenerSets may attach (NULL: None) */
	const char *allowed_listeners_from;
	bool has_allowed_listeners_selector;
	rb__label_selector allowed_listeners_selector;
	/* spec.infrastructure.parametersRef */
	const char *params_group;
	const char *params_kind;
	const char *params_name;
} rb__gateway;

/* A ListenerSet (gateway.networking.k8s.io/v1): listeners added to a Gateway that allows them. */
typedef struct rb__listener_set {
	rb__objmeta meta;
	const char *parent_group;
	const char *parent_kind;
	const char *parent_name;
	const char *parent_namespace;
	rb__listener *listeners;
	uint32_t listener_count;
} rb__listener_set;

/* ---- routes -------------------------------------------------------------- */

typedef enum rb__route_kind {
	RB_ROUTE_HTTP = 0,
	RB_ROUTE_GRPC = 1,
	RB_ROUTE_TLS = 2,
	RB_ROUTE_TCP = 3,
	RB_ROUTE_UDP = 4,
	RB_ROUTE_KIND_COUNT = 5
} rb__route_kind;

typedef struct rb__parent_ref {
	const char *group; /* NULL when absent */
	const char *kind;
	const char *namespace_;
	const char *name;
	const char *section_name;
	bool has_port;
	uint32_t port;
} rb__parent_ref;

/* The parentRef's port, 0 when absent (as the IR's output writes it). */
static inline uint32_t rb__parent_ref_port(const rb__parent_ref *p)
{
	return p->has_port ? p->port : 0;
}

typedef struct rb__header_value {
	const char *name;
	const char *value;
} rb__header_value;

typedef struct rb__header_modifier {
	rb__header_value *set;
	uint32_t set_count;
	rb__header_value *add;
	uint32_t add_count;
	const char **remove;
	uint32_t remove_count;
} rb__header_modifier;

typedef struct rb__object_ref {
	const char *group;
	const char *kind;
	const char *name;
	const char *namespace_;
	bool has_port;
	uint32_t port;
} rb__object_ref;

/* The path of a URLRewrite or RequestRedirect filter (Gateway API HTTPPathModifier). */
typedef struct rb__path_modifier {
	const char *type;                 /* ReplaceFullPath, ReplacePrefixMatch */
	const char *replace_full_path;    /* NULL: unset */
	const char *replace_prefix_match; /* NULL: unset */
} rb__path_modifier;

/* An HTTPRoute/GRPCRoute filter, rule-level or backendRef-level. */
typedef struct rb__filter {
	const char *type; /* RequestHeaderModifier, ResponseHeaderModifier, URLRewrite, ... */
	bool has_request_header_modifier;
	rb__header_modifier request_header_modifier;
	bool has_response_header_modifier;
	rb__header_modifier response_header_modifier;
	/* URLRewrite */
	bool has_url_rewrite;
	const char *rewrite_hostname;
	bool rewrite_has_path;
	rb__path_modifier rewrite_path;
	/* RequestMirror */
	bool has_mirror;
	rb__object_ref mirror_backend;
	/* ExtensionRef (group, kind, name) */
	bool has_extension_ref;
	rb__object_ref extension_ref;
	/* RequestRedirect */
	bool has_redirect;
	const char *redirect_scheme;
	const char *redirect_hostname;
	bool redirect_has_path;
	rb__path_modifier redirect_path;
	bool has_redirect_status;
	uint32_t redirect_status;
} rb__filter;

typedef struct rb__backend_ref {
	rb__object_ref ref;
	rb__filter *filters;
	uint32_t filter_count;
	/* 0 to 1000000, and whether it was given, in one word: 56 bytes where
	 * a bool of its own made 64, in every backendRef (decode_route.c). */
	uint32_t weight : 31;
	uint32_t has_weight : 1;
} rb__backend_ref;

/* One header or query parameter match: only regular expressions matter ([l7.rule-drop]). */
typedef struct rb__value_match {
	const char *type; /* NULL: Exact */
	const char *name; /* header or query parameter name */
	const char *value;
} rb__value_match;

/* A GRPCRoute method match, apart from the matches of the far more numerous HTTPRoutes. */
typedef struct rb__method_match {
	const char *type; /* NULL: Exact */
	const char *service;
	const char *method;
} rb__method_match;

/*
 * One entry of a rule's matches, as far as it can make the rule unbuildable:
 * regular expressions that do not compile drop the rule ([l7.rule-drop]).
 * HTTPRoute: path, headers, queryParams. GRPCRoute: method, headers.
 */
typedef struct rb__route_match {
	const char *path_type; /* NULL: PathPrefix */
	const char *path_value;
	rb__value_match *headers;
	rb__value_match *query_params;
	uint32_t header_count;
	uint32_t query_param_count;
	const char *http_method; /* HTTPRoute: the request method to match, or NULL */
	const rb__method_match *grpc_method; /* GRPCRoute: the method to match, or NULL */
} rb__route_match;

/* The GRPCRoute method match of m, every field absent when it has none. */
static inline const rb__method_match *rb__route_match_method(const rb__route_match *m)
{
	static const rb__method_match none;
	return m->grpc_method ? m->grpc_method : &none;
}

/* HTTPRoute sessionPersistence: only what can make the rule unbuildable ([l7.rule-drop]). */
typedef struct rb__session_persistence {
	const char *type; /* NULL: Cookie */
	const char *idle_timeout;
} rb__session_persistence;

typedef struct rb__route_rule {
	const char *name;
	rb__route_match *matches;
	rb__filter *filters;
	rb__backend_ref *backend_refs;
	rb__session_persistence session_persistence;
	uint32_t match_count;
	uint32_t filter_count;
	uint32_t backend_ref_count;
	bool has_session_persistence;
} rb__route_rule;

typedef struct rb__route {
	rb__objmeta meta; /* first, as in every object struct */
	rb__route_kind kind;
	uint32_t hostname_count;
	const char **hostnames;
	rb__parent_ref *parent_refs;
	rb__route_rule *rules;
	uint32_t parent_ref_count;
	uint32_t rule_count;
} rb__route;

/* ---- Service, ServiceImport, EndpointSlice ------------------------------- */

typedef struct rb__service_port {
	const char *name; /* "" when absent */
	bool has_port;
	uint32_t port;
	const char *protocol; /* NULL: TCP */
	const char *app_protocol;
} rb__service_port;

typedef struct rb__service {
	rb__objmeta meta;
	const char *type;
	const char *cluster_ip;
	rb__service_port *ports;
	const char *traffic_distribution;
	const char *ip_family_policy;
	const char **ip_families;
	uint32_t port_count;
	uint32_t ip_family_count;
} rb__service;

typedef struct rb__service_import {
	rb__objmeta meta;
	const char **ips;
	uint32_t ip_count;
	rb__service_port *ports;
	uint32_t port_count;
} rb__service_import;

typedef struct rb__slice_port {
	const char *name;     /* "" when absent (Kubernetes default) */
	bool has_port; /* entries without a number are skipped ([input.slices.port-defaults]) */
	uint32_t port;
	const char *protocol; /* NULL: TCP */
} rb__slice_port;

typedef struct rb__slice_endpoint {
	const char **addresses;
	const char *zone;
	uint32_t address_count;
	rb__tri ready;
	rb__tri serving;
	rb__tri terminating;
} rb__slice_endpoint;

typedef struct rb__endpoint_slice {
	rb__objmeta meta;
	const char *address_type;
	rb__slice_port *ports;
	rb__slice_endpoint *endpoints;
	uint32_t port_count;
	uint32_t endpoint_count;
} rb__endpoint_slice;

/* A reference to CA certificates: a ConfigMap (default), Secret or ClusterTrustBundle. */
typedef struct rb__ca_ref {
	const char *group;
	const char *kind;
	const char *name;
} rb__ca_ref;

/* ---- Backend (gateway.envoyproxy.io) -------------------------------------- */

typedef enum rb__backend_endpoint_kind {
	RB_BEP_NONE = 0,
	RB_BEP_IP = 1,
	RB_BEP_FQDN = 2,
	RB_BEP_UNIX = 3
} rb__backend_endpoint_kind;

typedef struct rb__backend_endpoint {
	rb__backend_endpoint_kind kind;
	const char *address; /* ip.address, fqdn.hostname or unix.path */
	bool has_port;
	uint32_t port;
	const char *hostname;
	const char *zone;
	bool has_ip, has_fqdn, has_unix; /* which of ip/fqdn/unix was given */
} rb__backend_endpoint;

typedef struct rb__backend {
	rb__objmeta meta;
	const char *type; /* Endpoints (default), DynamicResolver */
	rb__backend_endpoint *endpoints;
	uint32_t endpoint_count;
	const char **app_protocols;
	uint32_t app_protocol_count;
	rb__tri fallback;
	bool has_tls;
	rb__tri tls_insecure_skip_verify;
	const char *tls_well_known_ca;
	rb__ca_ref *tls_ca_refs;
	uint32_t tls_ca_ref_count;
	bool has_tls_client_cert;
	const char *tls_client_cert_namespace;
} rb__backend;

/* ---- ReferenceGrant ---------------------------------------------------------- */

typedef struct rb__grant_from {
	const char *group;
	const char *kind;
	const char *namespace_;
} rb__grant_from;

typedef struct rb__grant_to {
	const char *group;
	const char *kind;
	const char *name;
} rb__grant_to;

typedef struct rb__reference_grant {
	rb__objmeta meta;
	rb__grant_from *from;
	uint32_t from_count;
	rb__grant_to *to;
	uint32_t to_count;
} rb__reference_grant;

/* ---- policies and configuration -------------------------------------------- */

typedef struct rb__policy_target {
	const char *group;
	const char *kind;
	const char *name;
	const char *section_name;
} rb__policy_target;

typedef struct rb__target_selector {
	const char *group;
	const char *kind;
	rb__label_selector selector;
} rb__target_selector;

/*
 * What a policy attaches to, in every policy kind: targetRefs, the deprecated
 * singular targetRef (which, when given, takes the place of targetRefs:
 * rb__policy_targets_settle), and targetSelectors (not in BackendTLSPolicy).
 * Decoded by RB_F_POLICY_TARGET_REFS / RB_F_POLICY_TARGET_SELECTORS (schemas.h).
 */
typedef struct rb__policy_targets {
	rb__policy_target *refs;
	uint32_t ref_count;
	bool has_ref;
	rb__policy_target ref;
	rb__target_selector *selectors;
	uint32_t selector_count;
} rb__policy_targets;

/*
 * ---- what can make a policy invalid ----
 * Envoy Gateway answers 500 on the routes an invalid BackendTrafficPolicy,
 * SecurityPolicy, EnvoyExtensionPolicy or ClientTrafficPolicy targets (fail
 * closed; docs/policies.md). Only the fields its validation reads are kept:
 * durations and quantities as written (checked by the translator), references
 * as names.
 */

/* A header a rate-limit client selector matches. */
typedef struct rb__rate_limit_header {
	const char *name;
	const char *type; /* Exact (default), RegularExpression, Distinct */
	const char *value;
	bool invert;
} rb__rate_limit_header;

/* A rate-limit client selector: what it matches on. */
typedef struct rb__client_selector {
	rb__rate_limit_header *headers;
	uint32_t header_count;
	bool has_source_cidr;
	const char *source_cidr;
	uint32_t method_count;
	bool has_path;
	uint32_t query_param_count;
} rb__client_selector;

/* A rate-limit rule: its client selectors and its unit. */
typedef struct rb__rate_limit_rule {
	rb__client_selector *client_selectors;
	uint32_t client_selector_count;
	const char *unit;
} rb__rate_limit_rule;

/* responseOverride[].response.body */
typedef struct rb__response_override {
	const char *body_type; /* Inline (default), ValueRef */
	const char *value_ref_kind;
	const char *value_ref_name;
} rb__response_override;

typedef struct rb__btp_checks {
	const char *rate_limit_type; /* deprecated: Global, Local */
	bool has_local_rate_limit;
	bool has_global_rate_limit;
	rb__rate_limit_rule *local_rules;
	uint32_t local_rule_count;
	rb__rate_limit_rule *global_rules;
	uint32_t global_rule_count;
	bool has_table_size;
	uint32_t table_size; /* loadBalancer.consistentHash.tableSize */
	const char *slow_start_window;
	int64_t circuit_breaker[5]; /* maxConnections, ...PendingRequests, ...ParallelRequests,
	                             * ...ParallelRetries, ...RequestsPerConnection */
	const char *keepalive_idle_time;
	const char *keepalive_interval;
	const char *retry_timeout;
	const char *backoff_base;
	const char *backoff_max;
	const char *timeouts[6]; /* tcp.connectTimeout, http.{connectionIdleTimeout,
	                          * maxConnectionDuration, requestTimeout, maxStreamDuration,
	                          * streamIdleTimeout} */
	const char *buffer_limit;         /* backendConnection.bufferLimit (a quantity) */
	const char *request_buffer_limit; /* requestBuffer.limit (a quantity) */
	bool has_request_buffer;
	bool has_http_upgrade;
	const char *http2_stream_window;     /* http2.initialStreamWindowSize (a quantity) */
	const char *http2_connection_window; /* http2.initialConnectionWindowSize */
	rb__response_override *overrides;
	uint32_t override_count;
} rb__btp_checks;

/* The backendRefs of an external service a policy calls (ExtAuth, ExtProc,
 * remote JWKS, OIDC provider): backendRefs, or the older single backendRef. */
typedef struct rb__ext_service {
	rb__backend_ref *refs;
	uint32_t ref_count;
	bool has_ref;
	rb__backend_ref ref;
} rb__ext_service;

typedef struct rb__jwt_provider {
	const char *name;
	bool has_remote_jwks;
	rb__ext_service remote_jwks;
	bool has_local_jwks;
	const char *local_jwks_type; /* Inline, ValueRef */
	const char *local_jwks_value_ref_name;
} rb__jwt_provider;

/* An authorization rule: what its principal asks for. */
typedef struct rb__authz_rule {
	const char **client_cidrs;
	uint32_t client_cidr_count;
	uint32_t geo_count; /* clientIPGeoLocations entries */
	bool geo_country, geo_region, geo_city, geo_asn, geo_isp, geo_anonymous;
} rb__authz_rule;

typedef struct rb__security_policy {
	rb__objmeta meta;
	rb__policy_targets targets;
	const char *merge_type;
	bool has_ext_auth;
	bool has_ext_auth_http;
	rb__ext_service ext_auth_http;
	bool has_ext_auth_grpc;
	rb__ext_service ext_auth_grpc;
	rb__tri ext_auth_fail_open;
	bool has_basic_auth;
	rb__secret_ref basic_auth_users;
	bool has_api_key_auth;
	rb__secret_ref *api_key_credentials;
	uint32_t api_key_credential_count;
	bool has_jwt;
	rb__jwt_provider *jwt_providers;
	uint32_t jwt_provider_count;
	bool has_oidc;
	rb__secret_ref oidc_client_secret;
	bool has_oidc_provider_service;
	rb__ext_service oidc_provider;
	bool has_authorization;
	rb__authz_rule *authz_rules;
	uint32_t authz_rule_count;
} rb__security_policy;

typedef struct rb__ext_proc {
	rb__ext_service service;
	rb__tri fail_open;
	const char *message_timeout;
} rb__ext_proc;

typedef struct rb__lua {
	const char *type; /* Inline, ValueRef */
	const char *inline_script;
	const char *value_ref_kind;
	const char *value_ref_name;
} rb__lua;

typedef struct rb__wasm {
	rb__tri fail_open;
	const char *code_type; /* HTTP, Image */
	bool has_http;
	bool has_image;
	bool has_pull_secret;
	rb__secret_ref pull_secret;
} rb__wasm;

typedef struct rb__dynamic_module {
	const char *name;
} rb__dynamic_module;

typedef struct rb__extension_policy {
	rb__objmeta meta;
	rb__policy_targets targets;
	const char *merge_type;
	rb__ext_proc *ext_procs;
	uint32_t ext_proc_count;
	rb__lua *luas;
	uint32_t lua_count;
	rb__wasm *wasms;
	uint32_t wasm_count;
	rb__dynamic_module *dynamic_modules;
	uint32_t dynamic_module_count;
} rb__extension_policy;

typedef struct rb__client_traffic_policy {
	rb__objmeta meta;
	rb__policy_targets targets;
	bool has_client_validation;
	rb__tri client_validation_optional;
	rb__secret_ref *client_ca_refs; /* tls.clientValidation.caCertificateRefs */
	uint32_t client_ca_ref_count;
	bool has_client_ip_detection;
	bool has_xff;
	uint32_t xff_trusted_cidr_count;
	bool has_xff_trusted_hops;
	bool has_custom_header;
	const char *timeouts[4]; /* http.{requestReceivedTimeout, idleTimeout, streamIdleTimeout},
	                          * tcp.idleTimeout */
	const char *keepalive_idle_time;
	const char *keepalive_interval;
	const char *buffer_limit; /* connection.bufferLimit (a quantity) */
	const char *http2_stream_window;     /* http2.initialStreamWindowSize */
	const char *http2_connection_window; /* http2.initialConnectionWindowSize */
	/* mergeBackends (translate/merge_backends.c): HTTP/1.1 settings that
	 * Envoy Gateway also applies to the upstream clusters of the listener's
	 * routes (http1.preserveHeaderCase, enableTrailers, http10). */
	bool http1_override;
} rb__client_traffic_policy;

typedef struct rb__backend_traffic_policy {
	rb__objmeta meta;
	/* The targets: the deprecated singular targetRef when given, else targetRefs. */
	rb__policy_targets targets;
	const char *routing_type; /* Service, Endpoint, NULL */
	const char *merge_type;   /* NULL when absent */
	rb__tri rebalance_on_no_endpoints;
	rb__tri rebalance_on_no_ready_endpoints;
	bool has_prefer_local; /* loadBalancer.zoneAware.preferLocal or weighted zones */
	rb__btp_checks checks;  /* what can make the policy invalid (fail closed) */
	/* mergeBackends (translate/merge_backends.c): what keeps a backend out of
	 * a shared cluster. Any field Envoy Gateway writes onto the cluster
	 * itself, and a ConsistentHash load balancer. */
	bool sets_cluster_fields;
	bool consistent_hash;
	/* What it configures that explain's Envoy model does not cover (active or
	 * passive health checks, a panic threshold, ConsistentHash), or NULL. */
	const char *unmodelled;
} rb__backend_traffic_policy;

typedef struct rb__envoy_proxy {
	rb__objmeta meta;
	const char *routing_type;
	const char *merge_type;
	rb__tri merge_gateways;
	/* spec.mergeBackends: a struct whose mere presence (even {}) turns it on;
	 * an absent selector selects every backend. */
	bool has_merge_backends;
	bool has_merge_backends_selector;
	rb__label_selector merge_backends_selector;
	const char **dynamic_modules; /* spec.dynamicModules[].name: the allowed modules */
	uint32_t dynamic_module_count;
	bool has_geoip_provider;
	bool geoip_country_db, geoip_city_db, geoip_asn_db, geoip_isp_db, geoip_anonymous_db;
	bool has_backend_client_cert; /* spec.backendTLS.clientCertificateRef */
	rb__secret_ref backend_client_cert;
	const char *lua_validation;      /* spec.luaValidation (deprecated) */
	const char *lua_validation_type; /* spec.lua.validationType */
} rb__envoy_proxy;


typedef struct rb__backend_tls_policy {
	rb__objmeta meta;
	rb__policy_targets targets; /* no targetSelectors */
	const char *well_known_ca;
	rb__ca_ref *ca_refs;
	uint32_t ca_ref_count;
} rb__backend_tls_policy;

/* A ConfigMap or ClusterTrustBundle: only whether it carries a CA bundle. */
typedef struct rb__ca_holder {
	rb__objmeta meta;
	bool has_ca; /* data["ca.crt"] (ConfigMap, Secret) or spec.trustBundle, non-empty */
	/* ConfigMap: a key "response.body", or any data / binaryData at all (a
	 * direct response body, getCustomResponseBody) */
	bool has_response_body;
	bool has_any_data;
	const char **data_keys; /* a ConfigMap's data keys whose value is not empty */
	uint32_t data_key_count;
	const char *lua_script; /* a ConfigMap's data["lua"] when not empty (an EEP's ValueRef) */
	struct rb__cert_validity *ca_certs; /* the certificates of ca.crt (ConfigMap) */
	uint32_t ca_cert_count;
} rb__ca_holder;

typedef struct rb__namespace {
	rb__objmeta meta;
} rb__namespace;

/* An object of extensionRefFilters: only its identity matters ([custom.select]). */
typedef struct rb__unstructured {
	rb__objmeta meta;
	const char *api_version;
} rb__unstructured;

/* A Secret: only what listener TLS needs (type and which keys are present). */
typedef struct rb__secret {
	rb__objmeta meta;
	const char *type;
	bool has_tls_crt;
	bool has_tls_key;
	bool has_ca_crt;
	bool has_credential; /* a non-empty "credential" key (HTTPRouteFilter credentialInjection) */
	const char **data_keys; /* every data key (policies check .htpasswd, client-secret...) */
	uint32_t data_key_count;
	struct rb__cert_validity *ca_certs; /* the certificates of ca.crt */
	uint32_t ca_cert_count;
} rb__secret;

/* One cookie match of an HTTPRouteFilter's `matches`. */
typedef struct rb__cookie_match {
	const char *type; /* NULL: Exact; RegularExpression */
	const char *name;
	const char *value;
} rb__cookie_match;

typedef struct rb__hrf_match {
	rb__cookie_match *cookies;
	uint32_t cookie_count;
} rb__hrf_match;

/*
 * Envoy Gateway's HTTPRouteFilter, as far as it decides whether a rule is
 * valid and what it answers (lib/translate/filter_hrf.c): matches, the
 * urlRewrite, the directResponse and the credentialInjection.
 */
typedef struct rb__http_route_filter {
	rb__objmeta meta;
	rb__hrf_match *matches;
	uint32_t match_count;
	/* spec.urlRewrite */
	bool has_url_rewrite;
	bool has_rewrite_path;
	const char *rewrite_path_type; /* ReplaceRegexMatch */
	const char *rewrite_path_pattern;
	bool has_rewrite_hostname;
	const char *rewrite_hostname_type; /* urlRewrite.hostname.type: Header, Backend, PathRegex... */
	const char *rewrite_host_header;
	const char *rewrite_host_pattern;
	const char *rewrite_host_substitution;
	/* spec.directResponse */
	bool has_direct_response;
	bool has_status_code;
	uint32_t status_code;
	const char *body_type; /* NULL: Inline */
	bool has_body_value_ref;
	const char *body_value_ref_name;
	/* spec.credentialInjection */
	bool has_credential_injection;
	rb__object_ref credential_ref;
} rb__http_route_filter;

/* A legacy core/v1 Endpoints object: kept only to say it is not read. */
typedef struct rb__legacy_endpoints {
	rb__objmeta meta;
} rb__legacy_endpoints;

typedef struct rb__gateway_class {
	rb__objmeta meta;
	const char *controller_name;
	/* spec.parametersRef: the class-level EnvoyProxy */
	const char *params_group;
	const char *params_kind;
	const char *params_name;
	const char *params_namespace;
} rb__gateway_class;

/* ---- the model ---------------------------------------------------------------- */

/* The last list a schema decoded, for the next equal one to share (decode.h, RB_FF_SHARE). */
typedef struct rb__list_share {
	const void *schema;
	rb__arena_last last;
} rb__list_share;
enum { RB_LIST_SHARE_SLOTS = 4 };

typedef struct rb__model {
	const rb__mem *mem;
	rb__arena arena;
	rb__vec gateways;        /* rb__gateway * */
	rb__vec routes[RB_ROUTE_KIND_COUNT]; /* rb__route *, per kind, input order */
	rb__vec services;        /* rb__service * */
	rb__vec service_imports; /* rb__service_import * */
	rb__vec endpoint_slices; /* rb__endpoint_slice * */
	rb__vec backends;        /* rb__backend * */
	rb__vec reference_grants;
	rb__vec backend_traffic_policies;
	rb__vec envoy_proxies_for_gateways; /* rb__envoy_proxy * */
	rb__envoy_proxy *envoy_proxy_for_class;
	rb__envoy_proxy *envoy_proxy_default;
	rb__vec backend_tls_policies;
	rb__vec namespaces;
	rb__vec extension_objects; /* rb__unstructured *, from extensionRefFilters */
	rb__vec secrets;           /* rb__secret * */
	rb__vec http_route_filters; /* rb__http_route_filter * */
	rb__vec listener_sets;     /* rb__listener_set * */
	rb__vec config_maps;       /* rb__ca_holder * */
	rb__vec legacy_endpoints;  /* rb__legacy_endpoints *: core/v1 Endpoints, never read */
	rb__vec cluster_trust_bundles; /* rb__ca_holder * */
	rb__gateway_class *gateway_class; /* the last one: its parametersRef is the class EnvoyProxy */
	rb__vec gateway_classes;          /* rb__gateway_class *, every one (which Gateways are ours) */
	rb__vec security_policies;   /* rb__security_policy * */
	rb__vec extension_policies;  /* rb__extension_policy * */
	rb__vec client_traffic_policies; /* rb__client_traffic_policy * */
	const struct rb__config *config; /* the EnvoyGateway configuration, when given */
	size_t object_count;
	/* The path of the last list objects came from, and its key (in arena): rb__origin. */
	const char *list_path;
	const char *list_key;
	size_t list_key_len;
	/* The place of the last object: the next items of its list share it. */
	const rb__place *last_place;
	/* Lists that the next objects may share (parentRefs, ports: decode.h, RB_FF_SHARE). */
	rb__list_share share[RB_LIST_SHARE_SLOTS];
} rb__model;

void rb__model_init(rb__model *m, const rb__mem *mem);
/*
 * Decode one object handed over by the loader (an rb__sink callback: `ud` is
 * the rb__model_sink_ctx). Dispatch is by testdata key when given, else by
 * kind and API group; unknown kinds are ignored.
 */
typedef struct rb__model_sink_ctx {
	rb__model *model;
	rb__diags *diags;
	const char *source;
	const char *source_copy; /* source in the model arena, made by the first object (NULL before) */
	/* The namespace of a namespaced manifest object without metadata.namespace,
	 * as kubectl applies it (NULL: "default"). The testdata layout never gets one. */
	const char *default_namespace;
	/* Where warnings go (unknown fields, kinds, apiVersions); NULL: none. */
	rb__diags *warnings;
	/* model.c: the kind of the last testdata key (the loader's static names, so
	 * known again by address: a list's objects come one after another). */
	const char *last_layout_key;
	const void *last_layout_kind;
} rb__model_sink_ctx;
int rb__model_add_object(void *ud, const rb__node *obj, const char *layout_key);
/* kind_check.c: warn about an unknown kind or apiVersion of a group we read. */
int rb__check_manifest_kind(rb__model_sink_ctx *c, const rb__node *kind, const rb__node *api);
void rb__model_free(rb__model *m);

/* The model's lists, numbered once for everyone (model.c, the engine). */
typedef enum rb__list {
	RB_LIST_GATEWAY,
	RB_LIST_SERVICE,
	RB_LIST_SERVICE_IMPORT,
	RB_LIST_SLICE,
	RB_LIST_BACKEND,
	RB_LIST_GRANT,
	RB_LIST_BTP,
	RB_LIST_PROXY,
	RB_LIST_BTLS,
	RB_LIST_NAMESPACE,
	RB_LIST_EXT,
	RB_LIST_SECRET,
	RB_LIST_HTTP_FILTER,
	RB_LIST_CONFIG_MAP,
	RB_LIST_TRUST_BUNDLE,
	RB_LIST_LISTENER_SET,
	RB_LIST_GATEWAY_CLASS,
	RB_LIST_ENDPOINTS, /* legacy core/v1 Endpoints: kept only to warn that they are not read */
	RB_LIST_SECURITY_POLICY,
	RB_LIST_EXTENSION_POLICY,
	RB_LIST_CLIENT_POLICY,
	RB_LIST_ROUTE, /* + rb__route_kind */
	RB_LIST_COUNT = RB_LIST_ROUTE + RB_ROUTE_KIND_COUNT
} rb__list;

/* A list of the model by rb__list (NULL for another number); the const one for readers. */
rb__vec *rb__model_list(rb__model *m, int list);
const rb__vec *rb__model_list_const(const rb__model *m, int list);
/* The list of a manifest kind ("Service", "ListenerSet"...), or -1 (GatewayClass
 * and kinds that are not kept are not lists). */
int rb__model_list_of_kind(const char *kind);

/* The lengths of every list, to take a buffer back out on failure. */
typedef struct rb__model_mark {
	size_t len[RB_LIST_COUNT];
	rb__envoy_proxy *envoy_proxy_for_class;
	rb__envoy_proxy *envoy_proxy_default;
	rb__gateway_class *gateway_class;
	const struct rb__config *config;
	size_t object_count;
} rb__model_mark;

rb__model_mark rb__model_get_mark(rb__model *m);
void rb__model_rewind(rb__model *m, const rb__model_mark *mark);

/* Route kind names: "HTTPRoute" and "httproute". */
const char *rb__route_kind_name(rb__route_kind k);
const char *rb__route_kind_prefix(rb__route_kind k);

#endif
