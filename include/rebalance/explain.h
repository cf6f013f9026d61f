/*
 * rebalance -- explaining what Envoy does with each route rule.
 *
 * rb_explanation translates an input twice -- once as Envoy Gateway does
 * (RB_SIDE_UPSTREAM: the compat preset, keeping only the environment flags
 * RB_OPT_DISABLE_BACKEND_API, RB_OPT_RUNNING_ON_HOST,
 * RB_OPT_GATEWAY_NAMESPACE_MODE and the gateway class) and once with the
 * caller's options (RB_SIDE_SELECTED) -- and projects every destination onto
 * Envoy (docs/semantics/xds.md): whether the rule becomes one cluster with one
 * locality per backendRef, weighted clusters, or a direct response; and which
 * share of the requests each backendRef receives, and which share is answered
 * 500 or 503 (or, for TCP/UDP/TLS routes, reset).
 *
 * The Envoy model behind the shares ([xds.per-setting-triggers], [xds.envoy.priorities]), with no
 * active health checks (every non-draining endpoint counts as healthy):
 *  - weighted clusters: Envoy picks an entry by weight; the
 *    `invalid-backend-cluster` entry (Invalid + NoEndpoints weight) is answered
 *    with the route's cluster-not-found code: 503 when any NoEndpoints weight,
 *    else 500. Settings without endpoints get no entry (a custom backend's
 *    weight is dropped);
 *  - inside one cluster: the highest priority level with a non-draining
 *    endpoint takes everything; within it, localities share by weight and a
 *    locality whose endpoints all drain gets nothing. When no level has a
 *    non-draining endpoint, every level is in panic: Envoy splits the load
 *    across levels by their share of all hosts (recalculateLoadInTotalPanic,
 *    whole percents, the rounding remainder to the first non-empty level) and
 *    spreads each level's part over all its hosts (503 when there is none).
 *  - Envoy 1.30 or later (RB_ENVOY_MODEL_VERSION): draining endpoints are
 *    excluded from load balancing. Envoy Gateway ships such an Envoy from
 *    v1.1 on (RB_ENVOY_GATEWAY_MODEL_VERSION).
 *
 * Shares are fractions of all requests of the rule, between 0 and 1.
 *
 * Ownership: an rb_explanation owns its two results; every accessor returns
 * borrowed data, valid until rb_explanation_free. Threads: a finished rb_explanation is
 * immutable and may be read from any number of threads.
 */
#ifndef REBALANCE_EXPLAIN_H
#define REBALANCE_EXPLAIN_H

#include "rebalance/common.h"
#include "rebalance/options.h"
#include "rebalance/output.h"
#include "rebalance/result.h"

RB_BEGIN_DECLS

typedef struct rb_explanation rb_explanation;
typedef struct rb_explained_rule rb_explained_rule;
typedef struct rb_explained_ref rb_explained_ref;

/** The two translations an explanation compares. */
typedef enum rb_side {
	RB_SIDE_UPSTREAM = 0, /**< Envoy Gateway as it is (compat preset) */
	RB_SIDE_SELECTED = 1  /**< the caller's options */
} rb_side;

/** What Envoy gets for a rule. Explicit numbers, never renumbered. */
typedef enum rb_routing {
	RB_ROUTING_NONE = 0,              /**< the rule has no counterpart on this side */
	RB_ROUTING_DIRECT_RESPONSE = 1,   /**< every request answered with a status code */
	RB_ROUTING_CLUSTER = 2,           /**< one cluster, one locality per setting */
	RB_ROUTING_WEIGHTED_CLUSTERS = 3, /**< one cluster per setting, picked by weight */
	RB_ROUTING_L4_CLUSTER = 4         /**< TCP/UDP/TLS: one cluster, every setting a locality */
} rb_routing;

/** What became of one backendRef on one side. Explicit numbers, never renumbered. */
typedef enum rb_ref_state {
	RB_REF_STATE_SERVING = 1,      /**< receives requests */
	RB_REF_STATE_STANDBY = 2,      /**< a fallback (lower priority) while a higher level serves */
	RB_REF_STATE_DRAINING = 3,     /**< every endpoint draining: Envoy sends nothing */
	RB_REF_STATE_PANIC = 4,        /**< every endpoint draining, but Envoy panics and uses them */
	RB_REF_STATE_NO_ENDPOINTS = 5, /**< kept without endpoints: no traffic of its own */
	RB_REF_STATE_INVALID = 6,      /**< misconfigured (invalid: true) */
	RB_REF_STATE_EXCLUDED = 7,     /**< rebalance: left out, no endpoints */
	RB_REF_STATE_EXCLUDED_NOT_READY = 8, /**< strict readiness: left out, every endpoint draining */
	RB_REF_STATE_ZERO_WEIGHT = 9,  /**< weight 0: skipped */
	RB_REF_STATE_DROPPED = 10,     /**< TCP/UDP/TLS: a failing ref is left out */
	RB_REF_STATE_UNROUTED = 11     /**< kept, but Envoy never routes to it (direct response, or a
	                                    custom backend without a weighted-cluster entry) */
} rb_ref_state;

/** Where requests end up. */
typedef enum rb_outcome {
	RB_OUTCOME_SERVED = 0, /**< reach a backend */
	RB_OUTCOME_500 = 1,    /**< answered 500 */
	RB_OUTCOME_503 = 2,    /**< answered 503 */
	RB_OUTCOME_RESET = 3,  /**< TCP/UDP/TLS: no host, the connection is reset */
	RB_OUTCOME_OTHER = 4   /**< answered with the rule's own status (a filter's direct response) */
} rb_outcome;

/** Options of rb_explanation: a transparent struct, size first, fields only appended. */
typedef struct rb_explain_options {
	uint32_t size; /**< sizeof(rb_explain_options) as the caller knows it */
	/** Changes made to the input before translating, on both sides. Copied.
	 *  "NAMESPACE/NAME": scale that Service to zero (its EndpointSlices are
	 *  kept, emptied); "NAMESPACE/NAME=N": the Service with N ready endpoints
	 *  (in its first EndpointSlice, or one made from its ports);
	 *  "NAMESPACE/ROUTE:RULE:REF=weight:W": backendRef REF (index) of rule RULE
	 *  (name or index) of that route gets weight W. N, W <= 1000000;
	 *  "NAMESPACE/ROUTE:RULE:REF=fallback": that backendRef, to a Service with
	 *  a clusterIP and with a port, is served through a Backend with
	 *  `fallback: true` instead (SERVICE-fallback in the route's namespace, one
	 *  ip endpoint at the clusterIP and the ref's port; weight and filters
	 *  kept). */
	const char *const *what_if;
	size_t what_if_count;
	/** Which rules the explanation keeps (after translating everything): a
	 *  rule passes when its route is in `namespace_` (NULL: any), its route
	 *  "NAMESPACE/NAME" is one of `routes` (none given: any) and its Gateway
	 *  "NAMESPACE/NAME" one of `gateways` (none given: any) -- kubectl's -n
	 *  and explain's --route and --gateway. Read during rb_explain only. */
	const char *namespace_;
	const char *const *routes;
	size_t route_count;
	const char *const *gateways;
	size_t gateway_count;
	/** Nonzero: compute the advice for stock Envoy Gateway
	 *  (rb_explained_rule_advice), at the cost of up to two more
	 *  explanations (one per remedy), made only when some rule needs one. */
	int advice;
} rb_explain_options;

/** Static initializer: no what-if, every rule, no advice. */
#define RB_EXPLAIN_OPTIONS_INIT { sizeof(rb_explain_options), NULL, 0, NULL, NULL, 0, NULL, 0, 0 }

/** Fill `opts`, a struct of `size` bytes (pass sizeof(rb_explain_options)), with the
 *  defaults of RB_EXPLAIN_OPTIONS_INIT; only `size` bytes are written, so callers
 *  built against older headers are safe. @return RB_OK or RB_EINVAL */
RB_API int rb_explain_options_init(rb_explain_options *opts, size_t size);

/**
 * Translate `in` on both sides and project every destination onto Envoy.
 * Rules come in the order of the selected side's destinations; each is paired
 * with the upstream destination of the same name and Gateway (or, when the
 * upstream side merged identical parents, of the same name).
 * @param out receives the explanation (a new reference, free with rb_explanation_free)
 * @param opts the selected side's options; NULL means RB_TRANSLATE_OPTIONS_INIT
 * @param eopts NULL means RB_EXPLAIN_OPTIONS_INIT
 * @return RB_OK; RB_EINVAL (NULL argument, bad options, a what-if target in
 *         none of the forms above); RB_ENOMEM
 */
RB_API int rb_explain(rb_explanation **out, const rb_input *in, const rb_translate_options *opts,
                      const rb_explain_options *eopts);

/** Free an explanation. NULL is a no-op. */
RB_API void rb_explanation_free(rb_explanation *ex);

/** The translation of one side (borrowed; valid until rb_explanation_free). */
RB_API const rb_result *rb_explanation_result(const rb_explanation *ex, rb_side side);

/** Number of what-if targets, as given. */
RB_API size_t rb_explanation_what_if_count(const rb_explanation *ex);
/** What-if target `i` ("NAMESPACE/NAME"), or NULL when out of range. */
RB_API const char *rb_explanation_what_if(const rb_explanation *ex, size_t i);
/** 1 when the input has a Service of that name (a typo leaves nothing to scale), or
 *  for a weight target that backendRef, for a fallback target that backendRef
 *  with a Service it could be served through (a clusterIP, a port, the name
 *  SERVICE-fallback free); else 0. */
RB_API int rb_explanation_what_if_found(const rb_explanation *ex, size_t i);
/** Number of EndpointSlices the target owned (and that were emptied). */
RB_API size_t rb_explanation_what_if_slices(const rb_explanation *ex, size_t i);

/** Number of explained rules (destinations of the selected side). */
RB_API size_t rb_explanation_rule_count(const rb_explanation *ex);
/** Rule `i`, or NULL when out of range. */
RB_API const rb_explained_rule *rb_explanation_rule(const rb_explanation *ex, size_t i);

/** The rule's destination on one side (see result.h for its accessors: name,
 *  route, rule index, Gateway, knobs...); NULL when it has no counterpart. */
RB_API const rb_destination *rb_explained_rule_destination(const rb_explained_rule *r, rb_side side);
/** What Envoy gets for the rule on one side. */
RB_API rb_routing rb_explained_rule_routing(const rb_explained_rule *r, rb_side side);
/** Why Envoy Gateway builds weighted clusters ([xds.per-setting-triggers]), e.g. "no-endpoint
 * weight"; or, for RB_ROUTING_DIRECT_RESPONSE, what other than the backends decided it, e.g.
 *  "SecurityPolicy default/p: ExtAuth: service default/auth not found." (an invalid
 *  policy fails closed, docs/policies.md). NULL otherwise. Valid as long as the
 *  explanation. */
RB_API const char *rb_explained_rule_routing_reason(const rb_explained_rule *r, rb_side side);
/** The direct-response status, or for weighted clusters the cluster-not-found
 *  code (503 or 500); 0 otherwise. */
RB_API uint32_t rb_explained_rule_status_code(const rb_explained_rule *r, rb_side side);
/** Share of the rule's requests with that outcome, between 0 and 1. */
RB_API double rb_explained_rule_share(const rb_explained_rule *r, rb_side side, rb_outcome outcome);

/** The rule's `name:` as written, or NULL when it has none (the index is in
 *  the destination, rb_destination_rule). */
RB_API const char *rb_explained_rule_name(const rb_explained_rule *r);
/** The listeners of the rule's Gateway its route attaches to, as the
 *  parentRefs name them: "http, https" (sectionNames), "port 80", or "all"
 *  for a parentRef without either; NULL when unknown (e.g. a ListenerSet). */
RB_API const char *rb_explained_rule_listeners(const rb_explained_rule *r);
/** When the rule's BackendTrafficPolicy configures what the model does not
 *  cover (active or passive health checks, a panic threshold, ConsistentHash
 *  load balancing): a sentence saying so, ending in "the shares assume every
 *  ready endpoint passes"; NULL otherwise. */
RB_API const char *rb_explained_rule_caveat(const rb_explained_rule *r);

/** The remedies explain advises for stock Envoy Gateway when it answers 503
 *  for backendRefs without endpoints while another backendRef serves
 *  (docs/explain.md, "Advice"). */
typedef enum rb_advice {
	/** `weight: 0` on each such backendRef. */
	RB_ADVICE_WEIGHT_0 = 0,
	/** Each such backendRef (to a Service) served through a Backend with
	 *  `fallback: true` at the Service's clusterIP (the what-if
	 *  NAMESPACE/ROUTE:RULE:REF=fallback); advised only when compat then
	 *  answers less 5xx and every such Backend stands by. */
	RB_ADVICE_FALLBACK = 1
} rb_advice;

/** The rule translated again with `remedy` applied (the input's what-if
 *  targets first): its upstream side is what stock Envoy Gateway would then
 *  do, and its backendRefs (same indices) show the change. NULL when the
 *  remedy is not advised for the rule, or rb_explain_options.advice was 0.
 *  Borrowed: valid while the explanation lives. */
RB_API const rb_explained_rule *rb_explained_rule_advice(const rb_explained_rule *r,
                                                         rb_advice remedy);
/** Number of backendRefs the remedy changes (0 when not advised), and the
 *  index of the i-th of them among the rule's backendRefs (0 when out of range). */
RB_API size_t rb_explained_rule_advice_ref_count(const rb_explained_rule *r, rb_advice remedy);
RB_API size_t rb_explained_rule_advice_ref(const rb_explained_rule *r, rb_advice remedy,
                                           size_t i);

/** Number of backendRefs of the rule, in spec order (TLS: every rule's refs, pooled). */
RB_API size_t rb_explained_rule_ref_count(const rb_explained_rule *r);
/** BackendRef `i`, or NULL when out of range. */
RB_API const rb_explained_ref *rb_explained_rule_ref(const rb_explained_rule *r, size_t i);

/** The setting name (".../rule/0/backend/1"). */
RB_API const char *rb_explained_ref_name(const rb_explained_ref *ref);
/** The object the ref names, as written with defaults applied: group (NULL for
 *  the core group), kind ("Service" by default), namespace (the route's by
 *  default), name, port (0 when absent). */
RB_API const char *rb_explained_ref_group(const rb_explained_ref *ref);
RB_API const char *rb_explained_ref_kind(const rb_explained_ref *ref);
RB_API const char *rb_explained_ref_namespace(const rb_explained_ref *ref);
RB_API const char *rb_explained_ref_backend_name(const rb_explained_ref *ref);
RB_API uint32_t rb_explained_ref_port(const rb_explained_ref *ref);
/** The spec weight (1 when absent). */
RB_API uint32_t rb_explained_ref_weight(const rb_explained_ref *ref);
/** Priority of its setting (1 for a fallback Backend), 0 otherwise. */
RB_API uint32_t rb_explained_ref_priority(const rb_explained_ref *ref);
/** Its setting on the selected side (see result.h: flags, protocol, endpoints...): the
 *  kept setting, or the one that was excluded or skipped; for a ref that failed,
 *  the empty setting (name and weight only); NULL for a TCP/UDP/TLS ref that was
 *  dropped. */
RB_API const rb_setting *rb_explained_ref_setting(const rb_explained_ref *ref);
/** Endpoints of its setting, and how many of them are draining (selected side). */
RB_API size_t rb_explained_ref_endpoint_count(const rb_explained_ref *ref);
RB_API size_t rb_explained_ref_draining_count(const rb_explained_ref *ref);
/** Why the ref failed (a status reason such as "BackendNotFound"), or NULL. */
RB_API const char *rb_explained_ref_reason(const rb_explained_ref *ref);
/** The raw error text of that failure, or NULL. */
RB_API const char *rb_explained_ref_message(const rb_explained_ref *ref);
/** What became of the ref on one side (0 when out of range). */
RB_API rb_ref_state rb_explained_ref_state(const rb_explained_ref *ref, rb_side side);
/** Share of the rule's requests the ref serves on one side, between 0 and 1. */
RB_API double rb_explained_ref_share(const rb_explained_ref *ref, rb_side side);

/** Share of the rule's requests that end in `outcome` because of this ref on
 *  one side: RB_OUTCOME_SERVED is its share; RB_OUTCOME_503 / RB_OUTCOME_500
 *  what its weighted-cluster entry or its empty cluster answers (an empty or
 *  invalid ref's weight is answered with the route's not-found code). A
 *  direct response is the rule's, not a ref's: 0 for every ref. */
RB_API double rb_explained_ref_outcome(const rb_explained_ref *ref, rb_side side, rb_outcome outcome);

/** The Envoy version the load-balancing model assumes, as a minimum ("1.30"):
 *  from 1.30 on, DRAINING endpoints are excluded from load balancing (before,
 *  they counted as unhealthy hosts). RB_ENVOY_MODEL_VERSION as a string.
 *
 *  The Envoy Gateway releases that ship such an Envoy, per Envoy Gateway's
 *  published compatibility matrix: v1.1 and later (v1.1 ships Envoy 1.31,
 *  v1.2 1.32, ... v1.5 1.35); v1.0 ships Envoy 1.29, where the model does not
 *  hold. RB_ENVOY_GATEWAY_MODEL_VERSION is that minimum release ("1.1"). */
#define RB_ENVOY_MODEL_VERSION "1.30"
#define RB_ENVOY_GATEWAY_MODEL_VERSION "1.1"
RB_API const char *rb_envoy_model_version(void);

/** Static names: "serving", "standby", "draining", "panic", "noEndpoints",
 *  "invalid", "excluded", "excludedNotReady", "zeroWeight", "dropped",
 *  "unrouted"; "" for an unknown value. */
RB_API const char *rb_ref_state_name(rb_ref_state state);
/** Static names: "none", "directResponse", "cluster", "weightedClusters",
 *  "l4Cluster"; "" for an unknown value. */
RB_API const char *rb_routing_name(rb_routing routing);

/**
 * Stream the explanation as data (YAML or JSON, same keys): the what-if
 * targets, then per rule its route, Gateway, backendRefs (with, per side,
 * state and share) and per side the routing, its reason, the status code, the
 * knobs and the outcome shares. Shares are written as percentages with at most
 * two decimals (33.33). The layout is described in docs/explain.md.
 * @return RB_OK, RB_EINVAL, RB_EIO (write returned non-zero), RB_ENOMEM
 */
RB_API int rb_explanation_write(const rb_explanation *ex, rb_format format, rb_write_fn write, void *ud);

/** The same into a new NUL-terminated buffer; free it with rb_free(ctx, *out).
 *  @return RB_OK, RB_EINVAL, RB_ENOMEM */
RB_API int rb_explanation_to_buffer(const rb_explanation *ex, rb_format format, char **out, size_t *len);

RB_END_DECLS

#endif /* REBALANCE_EXPLAIN_H */
