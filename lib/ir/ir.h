/*
 * The destination IR (docs/ir.md): what a translation produces. Built by the
 * translator, read by the emitters and the public accessors (api/result.c).
 * Everything lives in the result's arena; strings are NUL-terminated, and a
 * NULL string means "absent" (omitted from output).
 */
#ifndef RB_IR_IR_H
#define RB_IR_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rebalance/result.h"

typedef struct rb__ir_kv {
	const char *key;
	const char *value;
} rb__ir_kv;

/* DestinationSetting.metadata ([meta.backend]). */
typedef struct rb__ir_metadata {
	const char *kind;
	const char *name;
	const char *namespace_;
	const rb__ir_kv *annotations; /* prefix-stripped, sorted by key */
	size_t annotation_count;
	const char *section_name;
} rb__ir_metadata;

/* DestinationEndpoint. */
struct rb_endpoint {
	const char *host;
	const char *zone;
	const char *hostname;
	const char *path;
	uint32_t port;
	bool draining;
};
typedef struct rb_endpoint rb__ir_endpoint;

/* DestinationSetting.preferLocal ([svc.prefer-local]). */
typedef struct rb__ir_prefer_local {
	uint32_t min_endpoints_threshold;
	uint32_t min_endpoints_in_zone_threshold; /* force.minEndpointsInZoneThreshold */
} rb__ir_prefer_local;

/*
 * A setting's protocol, address type and IP family: each one of a few words
 * of the IR, kept in one byte (a setting per backendRef is the IR's most
 * numerous struct) and read back as the word by rb__ir_protocol_name and
 * its siblings. 0 is "absent" (the field is omitted).
 */
typedef enum rb__ir_protocol {
	RB_IR_PROTOCOL_NONE = 0,
	RB_IR_PROTOCOL_HTTP,
	RB_IR_PROTOCOL_HTTP2,
	RB_IR_PROTOCOL_GRPC,
	RB_IR_PROTOCOL_TCP,
	RB_IR_PROTOCOL_UDP,
	RB_IR_PROTOCOL_COUNT
} rb__ir_protocol;

typedef enum rb__ir_address_type {
	RB_IR_ADDRESS_NONE = 0,
	RB_IR_ADDRESS_IP,
	RB_IR_ADDRESS_FQDN,
	RB_IR_ADDRESS_UDS,
	RB_IR_ADDRESS_MIXED,  /* IP and FQDN endpoints */
	RB_IR_ADDRESS_STATIC, /* IP and Unix socket endpoints (a Backend) */
	RB_IR_ADDRESS_COUNT
} rb__ir_address_type;

typedef enum rb__ir_ip_family {
	RB_IR_IP_FAMILY_NONE = 0,
	RB_IR_IP_FAMILY_IPV4,
	RB_IR_IP_FAMILY_IPV6,
	RB_IR_IP_FAMILY_DUAL_STACK,
	RB_IR_IP_FAMILY_COUNT
} rb__ir_ip_family;

/* The IR's word for each value ("HTTP2", "FQDN", "DualStack"...), NULL for 0. */
const char *rb__ir_protocol_name(unsigned protocol);
const char *rb__ir_address_type_name(unsigned address_type);
const char *rb__ir_ip_family_name(unsigned ip_family);

/* DestinationSetting. Output order is emit_ir.c's; here fields are grouped by size,
 * the flags in bits (one setting per backendRef: the IR's most numerous struct:
 * 48 bytes). */
struct rb_setting {
	const char *name;
	/* May point into a table shared by every setting that uses the same
	 * backend port (endpoints are read-only once built). */
	const rb__ir_endpoint *endpoints;
	const rb__ir_prefer_local *prefer_local;
	const rb__ir_metadata *metadata;
	/* 32 bits, next to the weight (the translator refuses a table past
	 * UINT32_MAX endpoints). */
	uint32_t endpoint_count;
	uint32_t weight;
	uint8_t priority;       /* with has_priority: 1, a fallback Backend's */
	uint8_t protocol;       /* rb__ir_protocol */
	uint8_t address_type;   /* rb__ir_address_type */
	uint8_t ip_family;      /* rb__ir_ip_family */
	bool has_priority : 1;
	bool force_http1 : 1; /* forceHTTP1Upstream */
	bool invalid : 1;
	bool dynamic_resolver : 1;
	bool custom_backend : 1;
	/* Not serialized: every endpoint is draining (strict readiness, explain). */
	bool all_draining : 1;
	/* Not serialized: the rule routes to the Service cluster IP ([routing.service]). */
	bool service_routing : 1;
	/* Not serialized: the backendRef has filters, which forces one cluster per
	 * setting in xDS ([filter.backend-ref] [xds.per-setting-triggers]). */
	bool has_filters : 1;
	/* mergeBackends: this is a backendRef merged into the Gateway's shared
	 * backend cluster; `name` is the cluster's (docs/merge-backends.md). */
	bool shared_cluster : 1;
};
typedef struct rb_setting rb__ir_setting;

/* A backendRef left out by rebalance mode ([rebalance.exclude]). */
typedef struct rb__ir_excluded {
	const char *name;
	uint32_t weight;
	const char *reason; /* "NoReadyEndpoints" or "AllEndpointsDraining" */
} rb__ir_excluded;

/* What became of one backendRef of a rule, in spec order (not serialized in
 * R.3; explain and xds read it). */
typedef enum rb__ref_state {
	RB_REF_SERVING = 0,           /* in settings, with endpoints (or DR / custom) */
	RB_REF_NO_ENDPOINTS = 1,      /* in settings without endpoints (compat mode) */
	RB_REF_INVALID = 2,           /* in settings, invalid: true (500 share) */
	RB_REF_ZERO_WEIGHT = 3,       /* weight 0: skipped */
	RB_REF_EXCLUDED = 4,          /* rebalance: no endpoints at all */
	RB_REF_EXCLUDED_DRAINING = 5, /* rebalance, strict readiness: every endpoint draining */
	RB_REF_DROPPED = 6            /* L4: a failing ref is left out ([l4.drop-failing]) */
} rb__ref_state;

/* The object a backendRef names, as written (kind, namespace defaulted):
 * rb__ir_ref_target. */
typedef struct rb__ir_target {
	const char *group; /* NULL: the core group */
	const char *kind;
	const char *namespace_;
	const char *name;
	uint32_t port; /* 0: absent */
} rb__ir_target;

struct rb__backend_ref;

typedef struct rb__ir_ref {
	const char *name; /* the setting name */
	/* The backendRef in the model (a result keeps its input alive): what it
	 * names is read through rb__ir_ref_target, where a copy took 40 bytes of
	 * every ref. The namespace is kept, defaulted: the route's when the ref
	 * names none. */
	const struct rb__backend_ref *backend;
	const char *namespace_;
	const char *message; /* raw error text, when the ref failed */
	const rb__ir_setting *setting; /* the DS (also for excluded ones) */
	uint32_t weight;
	uint8_t state;   /* rb__ref_state */
	/* Why the ref failed: an rb__ref_reason (model/vocab.h), RB_REF_OK when
	 * it did not; rb__ref_reason_name writes it. (One byte each: 48 bytes a
	 * ref.) */
	uint8_t failure;
} rb__ir_ref;

/* What ref names: its group (NULL: core), kind ("Service" when the ref
 * names none), namespace, name ("" when absent) and port (0: absent). */
rb__ir_target rb__ir_ref_target(const rb__ir_ref *ref);

/* How a rebalance knob was decided for a rule ([rebalance.policy.scopes]): by a
 * BackendTrafficPolicy at some scope, or (policy NULL) by the options. */
typedef struct rb__ir_knob {
	bool on;
	const char *policy; /* "namespace/name" of the deciding policy, or NULL */
	const char *scope;  /* "rule", "route", "listener", "gateway"; NULL with policy */
} rb__ir_knob;

/* A listener that programs a destination: one of the Gateway's, or of a
 * ListenerSet attached to it (listener_set "namespace/name"). */
typedef struct rb__ir_listener_ref {
	const char *name;
	uint32_t port;
	const char *listener_set; /* NULL: the Gateway's own listener */
} rb__ir_listener_ref;

/* What explain says of a rule beyond its settings (not serialized in the
 * IR): few rules have any, so a destination points to them (NULL: none). */
typedef struct rb__ir_notes {
	/* What the rule's BackendTrafficPolicy configures that explain's Envoy
	 * model does not cover ("active health checks"...), with the policy's
	 * "ns/name"; NULL when nothing. */
	const char *unmodelled;
	const char *unmodelled_by;
	/* Why the rule answers direct_response instead of using its backends,
	 * when something in particular decided it (a filter, a policy): what did
	 * it ("HTTPRouteFilter default/deny", "RequestHeaderModifier") and the
	 * reason in its words. NULL otherwise (e.g. 500 because no backendRef is
	 * usable: the refs say why). */
	const char *direct_response_by;
	const char *direct_response_why;
} rb__ir_notes;

/* One route rule's destination, per parent Gateway (one per distinct result
 * among the parents of that Gateway). */
struct rb_destination {
	const char *name;
	const char *route_kind;
	const char *route_namespace;
	const char *route_name;
	const rb__ir_setting *settings;
	const rb__ir_excluded *excluded;
	const rb__ir_notes *notes; /* NULL: nothing to note */
	/* Not serialized: every backendRef of the rule and its fate; the
	 * settings a direct response hides are still reachable here. */
	const rb__ir_ref *refs;
	const char *gateway; /* "ns/name" of the parent Gateway */
	const char *gateway_namespace, *gateway_name;
	/* the listeners that program it, in the order the parents reached them */
	const rb__ir_listener_ref *listeners;
	/* unique in the result: "gateway-ns/gateway-name/name", and when one Gateway
	 * has several results for the rule, "#" and the listeners' names */
	const char *key;
	/* The two knobs, indexed by rb_knob (L7 rules only; NULL: both off, by
	 * the options: read them with rb__ir_knob_of). Shared by the
	 * destinations that read the same, most of them (translate/rule_l7.c). */
	const rb__ir_knob *knobs;
	/* The counts in 32 bits, after the pointers, so that nothing pads (a rule
	 * has at most 16 backendRefs and a route 16 rules, as in the CRDs). */
	uint32_t setting_count;
	uint32_t excluded_count;
	uint32_t ref_count;
	uint32_t listener_count;
	int32_t rule; /* -1 for L4 routes */
	uint32_t weights[3];  /* indexed by rb_weight_bucket */
	uint32_t direct_response; /* 0: none */
	bool rebalance;  /* zero-endpoint exclusion applied to this rule */
	/* Not serialized: the rule's BackendTrafficPolicy asks for zone-aware
	 * load balancing, which forces one cluster per setting ([xds.per-setting-triggers]). */
	bool zone_aware;
};
typedef struct rb_destination rb__ir_destination;

/* The notes of a destination: none when it has none. */
static inline const rb__ir_notes *rb__ir_notes_of(const rb__ir_destination *d)
{
	static const rb__ir_notes none = {NULL, NULL, NULL, NULL};
	return d->notes ? d->notes : &none;
}

/* Knob k of a destination (rb_knob): off, decided by the options, without knobs. */
static inline const rb__ir_knob *rb__ir_knob_of(const rb__ir_destination *d, int k)
{
	static const rb__ir_knob off = {false, NULL, NULL};
	return d->knobs ? &d->knobs[k] : &off;
}

struct rb_condition {
	const char *type;
	const char *status; /* "True" / "False" */
	const char *reason;
	const char *message;
};
typedef struct rb_condition rb__ir_condition;

/* The parentRef of a status (model/model.h: fields as written, NULL when absent). */
typedef struct rb__parent_ref rb__ir_parent_ref;

/* A listener a route attached to that programs nothing, because Envoy Gateway
 * would not program the listener (not serialized in R.3; explain reads it). */
typedef struct rb__ir_idle_listener {
	const char *name;    /* the listener, of the Gateway or ListenerSet the parentRef names */
	const char *reason;  /* a listener condition reason: HostnameConflict, InvalidCertificateRef... */
	const char *message;
} rb__ir_idle_listener;

/* Status of one route for one parentRef. */
struct rb_route_status {
	const char *kind;
	const char *namespace_;
	const char *name;
	/* The route's parentRef in the model, which a result keeps alive: a
	 * pointer where a copy took 48 bytes of every status. Never NULL. */
	const rb__ir_parent_ref *parent;
	const rb__ir_condition *conditions;
	const rb__ir_idle_listener *idle_listeners;
	/* Not serialized: with RouteRulesOverlap, the rules whose matches another
	 * route shares (explain puts its caveat on those only). */
	const int32_t *overlap_rules;
	/* The counts in 32 bits, after the pointers (72 bytes a status, not 80):
	 * at most 6 conditions, a rule count, a Gateway's listeners. */
	uint32_t condition_count;
	uint32_t idle_listener_count;
	uint32_t overlap_rule_count;
};
typedef struct rb_route_status rb__ir_route_status;

typedef struct rb__ir {
	const rb__ir_destination *destinations;
	size_t destination_count;
	const rb__ir_route_status *statuses;
	size_t status_count;
} rb__ir;

#endif
