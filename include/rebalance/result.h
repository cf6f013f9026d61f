/*
 * rebalance -- translating, and reading a result.
 *
 * A result holds, per route rule (and per parent Gateway when parents
 * differ), the destination IR of docs/ir.md: the weighted settings, the
 * excluded backendRefs (rebalance mode), the Valid/Invalid/NoEndpoints
 * weights and the direct response; and, per route and parentRef, the status
 * conditions. Every accessor returns borrowed data, valid until
 * rb_result_free. A finished result is immutable: any number of threads may
 * read it concurrently.
 */
#ifndef REBALANCE_RESULT_H
#define REBALANCE_RESULT_H

#include "rebalance/common.h"
#include "rebalance/options.h"

RB_BEGIN_DECLS

typedef struct rb_destination rb_destination;
typedef struct rb_setting rb_setting;
typedef struct rb_endpoint rb_endpoint;
typedef struct rb_route_status rb_route_status;
typedef struct rb_condition rb_condition;

/**
 * Translate an input. Pure: reads `in` and `opts` only, no I/O, no globals;
 * reentrant. Route-level problems are data in the result, never errors.
 * @param out receives the result (a new reference, free with rb_result_free)
 * @param opts NULL means RB_TRANSLATE_OPTIONS_INIT
 * @return RB_OK, RB_EINVAL (NULL argument, bad options), RB_ENOMEM
 */
RB_API int rb_translate(rb_result **out, const rb_input *in, const rb_translate_options *opts);

/**
 * Drop one reference to a result; the last one frees it. NULL is a no-op.
 * Any thread may drop its reference, while other threads read the result.
 */
RB_API void rb_result_free(rb_result *res);

/**
 * Take one more reference to a result (freed by one more rb_result_free).
 * With a result borrowed from an engine (rb_engine_translate), this keeps it
 * valid and unchanged after the engine moves on: take it before the next
 * rb_engine_translate, from the thread that uses the engine.
 * @return `res` (NULL for NULL)
 */
RB_API rb_result *rb_result_ref(const rb_result *res);

/** The context the result was made with (for rb_free). */
RB_API rb_ctx *rb_result_ctx(const rb_result *res);

/**
 * Number of warnings of the translation: which GatewayClass was used when the
 * input names none of ours, nothing reaching a Gateway of ours, parentRefs that
 * name no Gateway of ours, Services without any EndpointSlice (and legacy
 * Endpoints instead), listener Secrets absent from the input. Each is an
 * rb_diag (code RB_OK: source, line, column of the object, JSON pointer,
 * message). The input's own warnings (rb_input_warning) are not repeated.
 */
RB_API size_t rb_result_warning_count(const rb_result *res);

/** Warning `i` (borrowed, valid until rb_result_free), or NULL when out of range. */
RB_API const rb_diag *rb_result_warning(const rb_result *res, size_t i);

/* ---- destinations -------------------------------------------------- */

/** Number of destinations, in route input order, then rule order. */
RB_API size_t rb_result_destination_count(const rb_result *res);
/** Destination `i`, or NULL when out of range. */
RB_API const rb_destination *rb_result_destination(const rb_result *res, size_t i);

/** e.g. "httproute/default/httproute-1/rule/0". */
RB_API const char *rb_destination_name(const rb_destination *d);
/** Route kind ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"). */
RB_API const char *rb_destination_route_kind(const rb_destination *d);
RB_API const char *rb_destination_route_namespace(const rb_destination *d);
RB_API const char *rb_destination_route_name(const rb_destination *d);
/** Rule index; -1 for TCP, UDP and TLS routes (all rules pooled). */
RB_API int32_t rb_destination_rule(const rb_destination *d);
/** The direct-response status code, or 0 when the rule routes normally: 500 or 503 when
 *  its backends cannot serve or a filter is invalid, or the status a filter answers with
 *  (an HTTPRouteFilter directResponse: 200, 404...). */
RB_API uint32_t rb_destination_direct_response(const rb_destination *d);
/** What made the rule answer its direct response, when one thing in particular did (a
 *  filter: "RequestHeaderModifier", "HTTPRouteFilter default/deny"...), else NULL (e.g. no
 *  usable backendRef: the backendRefs say why). */
RB_API const char *rb_destination_direct_response_by(const rb_destination *d);
/** Why, in the words of what decided it (e.g. the filter's error), or NULL. */
RB_API const char *rb_destination_direct_response_reason(const rb_destination *d);

/** Weight buckets of [bucket.classify]. */
typedef enum rb_weight_bucket {
	RB_WEIGHT_VALID = 0,
	RB_WEIGHT_INVALID = 1,
	RB_WEIGHT_NO_ENDPOINTS = 2
} rb_weight_bucket;
/** Sum of the weights of the settings in `bucket`. */
RB_API uint32_t rb_destination_backend_weight(const rb_destination *d, rb_weight_bucket bucket);

/** The parent Gateway the destination was computed for, "namespace/name". */
RB_API const char *rb_destination_gateway(const rb_destination *d);

/** A key unique in the result and stable across translations of the same
 *  objects: "gateway-namespace/gateway-name/destination-name"; when one
 *  Gateway has several results for a rule (its listeners differ, e.g. by
 *  policy), "#" and the listeners' names follow. */
RB_API const char *rb_destination_key(const rb_destination *d);

/** The listeners of the Gateway that program the destination. */
RB_API size_t rb_destination_listener_count(const rb_destination *d);
RB_API const char *rb_destination_listener_name(const rb_destination *d, size_t i);
RB_API uint32_t rb_destination_listener_port(const rb_destination *d, size_t i);
/** "namespace/name" of the ListenerSet listener i belongs to; NULL for the Gateway's own. */
RB_API const char *rb_destination_listener_set(const rb_destination *d, size_t i);

/** The two rebalance knobs of a rule (see options.h for how they are decided). */
typedef enum rb_knob {
	RB_KNOB_NO_ENDPOINTS = 0, /**< spec.rebalanceOnNoEndpoints: exclude zero-endpoint refs */
	RB_KNOB_NOT_READY = 1     /**< spec.rebalanceOnNoReadyEndpoints: strict readiness */
} rb_knob;
/** 1 when the knob is on for this rule, else 0 (always 0 for TCP, UDP and TLS routes). */
RB_API int rb_destination_knob(const rb_destination *d, rb_knob knob);
/** The BackendTrafficPolicy ("namespace/name") that decided the knob, or NULL
 *  when the options did (no policy, or policies not read). */
RB_API const char *rb_destination_knob_policy(const rb_destination *d, rb_knob knob);
/** Where that policy attaches: "rule", "route", "listener" or "gateway"; NULL without policy. */
RB_API const char *rb_destination_knob_scope(const rb_destination *d, rb_knob knob);

/** Number of settings (0 when the rule has a direct response). */
RB_API size_t rb_destination_setting_count(const rb_destination *d);
RB_API const rb_setting *rb_destination_setting(const rb_destination *d, size_t i);

/** Number of excluded backendRefs (rebalance mode only). */
RB_API size_t rb_destination_excluded_count(const rb_destination *d);
/** Setting name of excluded ref `i` (".../backend/2"), or NULL when out of range. */
RB_API const char *rb_destination_excluded_name(const rb_destination *d, size_t i);
RB_API uint32_t rb_destination_excluded_weight(const rb_destination *d, size_t i);
/** Why it was excluded: "NoReadyEndpoints" (no endpoints at all) or "AllEndpointsDraining". */
RB_API const char *rb_destination_excluded_reason(const rb_destination *d, size_t i);

/* ---- settings ------------------------------------------------------- */

/** Setting flags (rb_setting_flags). */
enum {
	RB_SETTING_INVALID = 1u << 0,          /**< invalid: true (answered 500) */
	RB_SETTING_DYNAMIC_RESOLVER = 1u << 1, /**< isDynamicResolver */
	RB_SETTING_CUSTOM_BACKEND = 1u << 2,   /**< isCustomBackend */
	RB_SETTING_FORCE_HTTP1 = 1u << 3,      /**< forceHTTP1Upstream */
	RB_SETTING_HAS_PRIORITY = 1u << 4,     /**< priority is set (fallback Backend) */
	RB_SETTING_SHARED_CLUSTER = 1u << 5    /**< sharedCluster: a backendRef merged into the
	                                            Gateway's shared cluster (EnvoyProxy
	                                            mergeBackends); the name is the cluster's */
};

RB_API const char *rb_setting_name(const rb_setting *s);
RB_API uint32_t rb_setting_weight(const rb_setting *s);
/** Priority (1 for a fallback Backend); 0 when not set. */
RB_API uint32_t rb_setting_priority(const rb_setting *s);
RB_API uint32_t rb_setting_flags(const rb_setting *s);
/** "HTTP", "HTTP2", "GRPC", "TCP", "UDP", or NULL when not set. */
RB_API const char *rb_setting_protocol(const rb_setting *s);
/** "IP", "FQDN", "Mixed", or NULL when not set. */
RB_API const char *rb_setting_address_type(const rb_setting *s);
/** Backend object of the setting: kind, name, namespace, sectionName (NULL when absent). */
RB_API const char *rb_setting_metadata_kind(const rb_setting *s);
RB_API const char *rb_setting_metadata_name(const rb_setting *s);
RB_API const char *rb_setting_metadata_namespace(const rb_setting *s);
RB_API const char *rb_setting_metadata_section_name(const rb_setting *s);

RB_API size_t rb_setting_endpoint_count(const rb_setting *s);
RB_API const rb_endpoint *rb_setting_endpoint(const rb_setting *s, size_t i);
RB_API const char *rb_endpoint_host(const rb_endpoint *e);
RB_API uint32_t rb_endpoint_port(const rb_endpoint *e);
/** 1 when the endpoint is draining (not ready, or terminating). */
RB_API int rb_endpoint_draining(const rb_endpoint *e);
/** Zone, hostname and unix-socket path; NULL when not set. */
RB_API const char *rb_endpoint_zone(const rb_endpoint *e);
RB_API const char *rb_endpoint_hostname(const rb_endpoint *e);
RB_API const char *rb_endpoint_path(const rb_endpoint *e);

/* ---- route statuses ------------------------------------------------- */

/** Number of route status entries: one per route and relevant parentRef. */
RB_API size_t rb_result_route_status_count(const rb_result *res);
RB_API const rb_route_status *rb_result_route_status(const rb_result *res, size_t i);
RB_API const char *rb_route_status_kind(const rb_route_status *rs);
RB_API const char *rb_route_status_namespace(const rb_route_status *rs);
RB_API const char *rb_route_status_name(const rb_route_status *rs);
/** The parentRef as written (NULL when a field is absent; port 0 when absent). */
RB_API const char *rb_route_status_parent_group(const rb_route_status *rs);
RB_API const char *rb_route_status_parent_kind(const rb_route_status *rs);
RB_API const char *rb_route_status_parent_namespace(const rb_route_status *rs);
RB_API const char *rb_route_status_parent_name(const rb_route_status *rs);
RB_API const char *rb_route_status_parent_section_name(const rb_route_status *rs);
RB_API uint32_t rb_route_status_parent_port(const rb_route_status *rs);
RB_API size_t rb_route_status_condition_count(const rb_route_status *rs);
RB_API const rb_condition *rb_route_status_condition(const rb_route_status *rs, size_t i);
/** Condition type ("Accepted", "ResolvedRefs", ...), status ("True"/"False"), reason, message. */
RB_API const char *rb_condition_type(const rb_condition *c);
RB_API const char *rb_condition_status(const rb_condition *c);
RB_API const char *rb_condition_reason(const rb_condition *c);
RB_API const char *rb_condition_message(const rb_condition *c);
/**
 * Listeners the route attached to through this parentRef that program
 * nothing: Envoy Gateway leaves a listener out of its configuration when it
 * is invalid (TLS configuration, certificate Secrets, route kinds...) or in
 * conflict with another listener on its port. The route is still Accepted and
 * counted in the listener's attachedRoutes, but gets no destination from it.
 * Name of listener `i` (of the Gateway or ListenerSet the parentRef names),
 * the listener condition reason ("HostnameConflict", "InvalidCertificateRef"...)
 * and a message; NULL when `i` is out of range.
 */
RB_API size_t rb_route_status_idle_listener_count(const rb_route_status *rs);
RB_API const char *rb_route_status_idle_listener_name(const rb_route_status *rs, size_t i);
RB_API const char *rb_route_status_idle_listener_reason(const rb_route_status *rs, size_t i);
RB_API const char *rb_route_status_idle_listener_message(const rb_route_status *rs, size_t i);

RB_END_DECLS

#endif /* REBALANCE_RESULT_H */
