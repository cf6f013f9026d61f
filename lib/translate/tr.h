/*
 * Internal state and shared helpers of the translator. One file per part of
 * the rules (docs/semantics/), each with the rule IDs it implements:
 *
 *   index.c      lookups: Services, ServiceImports, Backends, slices, Gateways ([input.order])
 *   attach.c     parentRefs, listeners, Accepted conditions ([attach.per-parent])
 *   listeners.c  listener readiness: validity, conflicts, ListenerSets taken in
 *   routing.c    Service vs endpoint routing: BackendTrafficPolicy, EnvoyProxy ([routing.order])
 *   validate.c   validateBackendRef, in its exact order ([validate.order])
 *   grants.c     ReferenceGrant check for cross-namespace refs ([validate.cross-namespace])
 *   address.c    IP and hostname rules of Backend endpoints ([addr.hostname] [addr.ip])
 *   tls.c        upstream TLS validity: CA references of policies and Backends ([tls.ca-refs])
 *   setting.c    one backendRef -> one DestinationSetting ([dest.dispatch] [custom.select]
 *                [svc.port-by-number] [proto.refine] [backend.endpoints] [meta.backend])
 *   endpoints.c  EndpointSlice extraction and address types ([endpoints.slices.match]
 *                [addr.slices])
 *   rule_build.c why a rule's IR routes cannot be built: the rule is dropped ([l7.rule-drop])
 *   regex.c      does Go's regexp accept a regular expression ([l7.regex.go])
 *   filters.c    route filters and what they make a rule answer (filter_*.c, filters.h;
 *                docs/filters.md)
 *   rule_l7.c    HTTPRoute/GRPCRoute rules: buckets, direct responses, rebalance ([l7.backend-ref]
 *                [grpc.not-invalid] [rebalance.exclude])
 *   rule_l4.c    TCPRoute/UDPRoute/TLSRoute ([l4.drop-failing] [tlsroute.pool])
 *   status.c     route status conditions ([status.group-by-type])
 *   overlap.c    routes of different objects matching the same requests on a
 *                listener: the RouteRulesOverlap condition
 *   merge_backends.c  EnvoyProxy mergeBackends: shared backend clusters
 *                (docs/merge-backends.md)
 *   translate.c  the walk over routes and parents, dedupe, output
 */
#ifndef RB_TRANSLATE_TR_H
#define RB_TRANSLATE_TR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/map.h"
#include "core/vec.h"
#include "ir/ir.h"
#include "model/model.h"
#include "model/vocab.h"
#include "translate/lua_sandbox.h"
#include "translate/translate.h"

/* ---- condition types and the errors collected per parent ([status.group-by-type]) ---- */

typedef enum rb__cond_type {
	RB_COND_ACCEPTED = 0,
	RB_COND_RESOLVED_REFS = 1,
	RB_COND_BACKENDS_AVAILABLE = 2,
	RB_COND_TYPE_COUNT = 3
} rb__cond_type;

typedef struct rb__route_error {
	rb__cond_type type;
	const char *reason;
	const char *message; /* raw text (in t->temp), formatted later */
	int32_t rule;        /* rule index for Accepted-type errors, else -1 */
} rb__route_error;

/* ---- the translator ---- */

/* endpoints.c: the endpoints of one backend for one port name and protocol. */
typedef struct rb__endpoint_table rb__endpoint_table;

/*
 * A Service ('S') or ServiceImport ('I') by namespace/name: the object (the
 * last definition wins), its EndpointSlices in input order (index.c), and
 * the endpoint tables made from them, shared by every setting that uses them
 * (endpoints.c): one map entry per backend for all three.
 */
typedef struct rb__slice_group {
	const void *backend; /* rb__service * or rb__service_import *; NULL: none */
	rb__vec slices;      /* const rb__endpoint_slice * */
	rb__endpoint_table *tables;
	/* setting.c: the metadata of the backend's settings, as last made */
	const rb__ir_metadata *metadata;
	bool in_scratch; /* slices.data is in t->scratch, exactly sized (index.c) */
} rb__slice_group;

/*
 * What a recorded lookup looked up (rb__tr.dep). The values are the first
 * byte of the engine's dependency keys, so they stay distinct characters.
 */
typedef enum rb__dep_kind {
	RB_DEP_SERVICE = 'S',        /* a Service by namespace/name */
	RB_DEP_SERVICE_IMPORT = 'I', /* a ServiceImport by namespace/name */
	RB_DEP_BACKEND = 'B',        /* a Backend by namespace/name */
	RB_DEP_GATEWAY = 'G',        /* a Gateway by namespace/name */
	RB_DEP_NAMESPACE = 'N',      /* a Namespace by name (namespace field) */
	RB_DEP_ENVOY_PROXY = 'P',    /* an EnvoyProxy by namespace/name */
	RB_DEP_SERVICE_SLICES = 's', /* the EndpointSlices of a Service */
	RB_DEP_IMPORT_SLICES = 'i',  /* the EndpointSlices of a ServiceImport */
	RB_DEP_GRANTS = 'R',         /* the ReferenceGrants of a namespace (name "") */
} rb__dep_kind;

/* EndpointSlices belong to a Service or a ServiceImport: the letter that keys
 * their groups and endpoint tables, and the dependency of a lookup of them. */
static inline char rb__slice_owner_letter(rb__backend_kind owner_kind)
{
	return owner_kind == RB_BACKEND_SERVICE ? 'S' : 'I';
}
static inline rb__dep_kind rb__slices_dep(rb__backend_kind owner_kind)
{
	return owner_kind == RB_BACKEND_SERVICE ? RB_DEP_SERVICE_SLICES : RB_DEP_IMPORT_SLICES;
}

/* index.c: a lookup's answer (NULL: none kept) with the namespace and name it
 * was for, copied ("ns\0name\0"). */
typedef struct rb__tr_found {
	const void *found;
	char key[128];
} rb__tr_found;

typedef struct rb__tr {
	const rb__model *m;
	const rb__tr_options *o;
	const rb__mem *mem;
	rb__arena *out;     /* the result's arena */
	rb__arena scratch;  /* keys and temporaries, freed at the end */
	/* What dies with the route being translated (the raw error texts that
	 * status.c joins into condition messages): rewound after each route. */
	rb__arena temp;

	/* index.c */
	rb__map backends;        /* "ns/name" -> rb__backend * */
	/* "S:ns/name" / "I:ns/name" -> rb__slice_group *: Services and
	 * ServiceImports with their slices */
	rb__map slices;
	rb__map gateways;        /* "ns/name" -> rb__gateway * */
	rb__map listener_sets;   /* "ns/name" -> rb__listener_set * */
	rb__map secrets;         /* "ns/name" -> rb__secret * (last wins) */
	rb__map namespaces;      /* "name" -> rb__namespace * */
	rb__map envoy_proxies;   /* "ns/name" -> rb__envoy_proxy * */

	/* listeners.c: verdicts computed once per Gateway (keys: pointer bytes) */
	rb__map gateway_verdicts;  /* rb__gateway * -> its recorded lookups */
	rb__map listener_verdicts; /* rb__listener * -> its verdict */

	/* attach.c: TCP/UDP listeners already programmed by an earlier route */
	rb__map l4_listener_owner; /* "gwns/gw/listener" -> rb__route * */

	/* routing.c: BackendTrafficPolicy routing-type scopes, first writer wins */
	rb__map btp_scopes; /* scope key -> rb__btp_scope * */

	/* gateway_class.c: the names of the classes whose Gateways are ours */
	const char **our_classes;
	size_t our_class_count;
	bool class_fallback; /* none named, none in the input: RB_FALLBACK_GATEWAY_CLASS */

	/* policy_claims.c: which policy claimed each target, per policy kind */
	rb__map policy_claims; /* "<kind letter>|<scope key>" -> const rb__claim * */

	/* route_copies.c: routes by "Kind:ns/name" -> the last object of that
	 * identity; route_copy_count says how many earlier copies there are */
	rb__map route_copies;
	size_t route_copy_count;

	/* lua_check.c: a script (the model's text, no copy) -> its error, or ""
	 * when accepted; one map per validation mode that runs anything */
	rb__map lua_strict_verdicts;
	rb__map lua_syntax_verdicts;
	/* What the Lua validator may still spend in this translation
	 * (lua_sandbox.h). The engine's single-route translations spend what the
	 * full one left: only a translation that ran out can differ from a full one. */
	rb__lua_budget lua_budget;

	/* translate.c: one parent's destinations (rb__ir_destination, copied into
	 * dests) and errors (rb__route_error, read by its status), kept from one
	 * parent to the next with their storage, emptied each time */
	rb__vec parent_dests;
	rb__vec parent_errors;

	/* output */
	rb__vec dests;    /* rb__ir_destination */
	rb__vec statuses; /* rb__ir_route_status */
	rb__vec overlap;  /* rb__overlap_key: what each programmed parent matches (overlap.c) */
	rb__buf overlap_buf; /* overlap.c: where a key is put together */
	/* The previous value of each kind the IR shares when the next reads the
	 * same (rb__arena_share), all in t->out: a parent's Gateway and
	 * ListenerSet as "ns/name" and its listeners (translate.c), a status's
	 * conditions (status.c), a rule's knobs (rule_l7.c), a ref's port as a
	 * string (setting.c). */
	rb__arena_last last_gateway;      /* char */
	rb__arena_last last_listener_set; /* char */
	rb__arena_last last_listeners;    /* rb__ir_listener_ref */
	rb__arena_last last_conditions;   /* rb__ir_condition */
	rb__arena_last last_knobs;        /* rb__ir_knob[2] */
	rb__arena_last last_section;      /* char */

	/*
	 * The incremental engine's dependency recorder (lib/engine/), NULL for a
	 * plain translation. Every keyed lookup made while a route is translated
	 * is reported, found or not (rb__dep_kind). Whatever else a route's
	 * result depends on (a scan of a whole model list, state one route leaves
	 * for another, as TCP listener ownership) must be a kind whose changes
	 * make the engine translate everything again (lib/engine/changes.c,
	 * engine_effects): keep the two in step when adding lookups.
	 */
	void (*dep)(void *ud, rb__dep_kind kind, const char *ns, const char *name);
	void *dep_ud;

	/* index.c: what the last lookup found in t->slices (with the owner's kind)
	 * and in t->gateways. A backendRef is looked up by several steps in a row
	 * (validation, TLS, endpoints, metadata), a route's Gateway twice; a group,
	 * once in the map, stays there under its key, and the Gateways' map is
	 * made once. */
	rb__tr_found found_group;
	rb__backend_kind found_group_kind;
	rb__tr_found found_gateway;
} rb__tr;

static inline void rb__tr_dep(rb__tr *t, rb__dep_kind kind, const char *ns, const char *name)
{
	if (t->dep)
		t->dep(t->dep_ud, kind, ns ? ns : "", name ? name : "");
}

/* translate.c: rb__translate in steps, for the engine. rb__tr_init indexes the
 * model (rb__tr_free is needed even when it fails); rb__tr_route appends one
 * route's destinations and statuses to t->dests / t->statuses. */
int rb__tr_init(rb__tr *t, const rb__model *m, const rb__tr_options *opts, const rb__mem *mem,
                rb__arena *arena);
int rb__tr_route(rb__tr *t, const rb__route *r);

/* gateway_class.c: decide which classes are ours (from rb__tr_init), and ask. */
int rb__our_classes_init(rb__tr *t);
bool rb__class_is_ours(const rb__tr *t, const char *class_name);

/* warnings.c: the translation's warnings, after every route (t->o->warnings). */
int rb__translation_warnings(rb__tr *t);
void rb__tr_free(rb__tr *t);

/* One relevant parentRef of a route, and what attachment made of it. */
typedef struct rb__parent {
	const rb__route *route;
	const rb__parent_ref *ref;
	size_t ref_index;
	const rb__gateway *gateway;
	/* The ListenerSet the parentRef names, when it names one (its listeners are used). */
	const rb__listener_set *listener_set;
	bool accepted;
	const char *accepted_reason;
	const char *accepted_message;
	/* listeners the route attached to (allowed, hostname-matching) */
	rb__vec listeners; /* const rb__listener * */
	/* at least one attached listener programs this route: destinations are emitted */
	bool programmed;
	/* attached listeners that are not ready: rb__ir_idle_listener */
	rb__vec idle;
	/* the attached listeners that program it (const rb__listener *) */
	rb__vec programming;
	/* TCP/UDP with more than one rule: only Accepted=False is reported ([l4.one-rule]) */
	bool invalid_rule;
	/* TLS: a terminating listener cannot carry a dynamic resolver ([tlsroute.dr-terminate]) */
	bool tls_terminate_dr;
} rb__parent;

/* What one backendRef produced ([dest.one-per-ref]): the setting, and maybe an error. */
typedef struct rb__ref_result {
	rb__ir_setting ds;
	const char *target_namespace; /* the namespace the ref names, defaulted */
	rb__ref_reason reason; /* RB_REF_OK: no error; rb__ref_reason_name writes it */
	const char *message;   /* the raw error text */
} rb__ref_result;

/* A backendRef with its defaults applied, worked out once (backend_ref.c) and
 * passed to validation and processing. Strings point into the model. */
typedef struct rb__backend_target {
	const char *group;     /* "" for the core group */
	const char *kind;      /* "Service" when omitted */
	const char *namespace_; /* the route's when omitted */
	rb__backend_kind backend_kind; /* RB_BACKEND_CUSTOM for a registered extension kind */
	bool cross_namespace;  /* a namespace other than the route's is named */
} rb__backend_target;

/* ---- helpers across parts ---- */

/* prefix + ns + "/" + name into key (NUL-terminated; NULL strings are ""):
 * the length, or -1 when it does not fit. For lookups: no printf per query. */
static inline int rb__tr_key(char *key, size_t size, const char *prefix, const char *ns,
                             const char *name)
{
	const char *parts[4] = {prefix, ns, "/", name};
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		const char *p = parts[i] ? parts[i] : "";
		size_t l = strlen(p);
		if (l >= size - n)
			return -1;
		memcpy(key + n, p, l);
		n += l;
	}
	key[n] = '\0';
	return (int)n;
}

/* "a/b" in the scratch arena. */
const char *rb__key2(rb__tr *t, const char *a, const char *b);
/* "prefix:ns/name" in the scratch arena. */
const char *rb__key3(rb__tr *t, const char *prefix, const char *ns, const char *name);

/* index.c */
int rb__index_build(rb__tr *t);
const rb__service *rb__find_service(rb__tr *t, const char *ns, const char *name);
const rb__service_import *rb__find_service_import(rb__tr *t, const char *ns, const char *name);
const rb__backend *rb__find_backend(rb__tr *t, const char *ns, const char *name);
const rb__gateway *rb__find_gateway(rb__tr *t, const char *ns, const char *name);
const rb__listener_set *rb__find_listener_set(rb__tr *t, const char *ns, const char *name);
const rb__namespace *rb__find_namespace(rb__tr *t, const char *name);
/* The Secret ns/name (the last definition wins), or NULL: the one Secret lookup. */
const rb__secret *rb__find_secret(rb__tr *t, const char *ns, const char *name);
const rb__envoy_proxy *rb__find_envoy_proxy(rb__tr *t, const char *ns, const char *name);
/* Slices of a Service ('S') or ServiceImport ('I'), in input order; NULL when none. */
const rb__vec *rb__find_slices(rb__tr *t, rb__backend_kind owner_kind, const char *ns,
                               const char *name);
/* The group of a backend (created empty when absent and `create`), or NULL:
 * none, out of memory, or a name too long to be looked up. */
rb__slice_group *rb__slice_group_of(rb__tr *t, rb__backend_kind owner_kind, const char *ns,
                                    const char *name, bool create);
/* The backend a slice belongs to ([input.slices.owner]): its name, and *kind "S"
 * (Service) or "I" (ServiceImport); NULL when it has no owner label. */
const char *rb__slice_owner(const rb__endpoint_slice *s, rb__backend_kind *kind);
/* The engine: bring the slice groups up to date after the model's slice list
 * changed: `old` replaced by `new_` in place, `old` removed (new_ NULL), or
 * `new_` appended (old NULL). Cached endpoint tables of the groups are dropped. */
int rb__index_slice_changed(rb__tr *t, const rb__endpoint_slice *old,
                            const rb__endpoint_slice *new_);
/* The engine: the lookup of a Service, ServiceImport or Backend (kind) ns/name
 * now finds obj (NULL: nothing). */
int rb__index_set(rb__tr *t, rb__backend_kind kind, const char *ns, const char *name,
                  const void *obj);

/* translate.c: the Gateway ns/name when it is one of ours, else NULL. */
const rb__gateway *rb__our_gateway(rb__tr *t, const char *ns, const char *name);

/* route_copies.c: a route defined more than once keeps the status of its last
 * copy only (rb__route_last_copy(t, r) != r: r is an earlier copy). */
int rb__route_copies_build(rb__tr *t);
const rb__route *rb__route_last_copy(const rb__tr *t, const rb__route *r);

/* attach.c */
int rb__attach(rb__tr *t, rb__parent *p);
const char *rb__served_hostname(const char *listener_host, const char *route_host);
bool rb__label_selector_matches(const rb__label_selector *s, const rb__kv *labels, size_t n);

/* target_selector.c: fn(t, ud, kind, name) for each Gateway or route of
 * namespace ns whose labels the policy's targetSelector matches, in input
 * order; stops at the first non-zero return. */
typedef int (*rb__selected_fn)(rb__tr *t, const void *ud, const char *kind, const char *name);
int rb__for_each_selected(rb__tr *t, const char *ns, const rb__target_selector *s,
                          rb__selected_fn fn, const void *ud);
/* Would Envoy Gateway find the Namespace `name`? *ns is its object, NULL when the
 * input lists no Namespaces (then every namespace exists, without labels). */
bool rb__namespace_exists(rb__tr *t, const char *name, const rb__namespace **ns);
/* Does the selector pick the Namespace `name` (false when it does not exist)? */
bool rb__namespace_selected(rb__tr *t, const rb__label_selector *s, const char *name);

/* listeners.c: may a listener program the routes attached to it (ProcessListeners)?
 * When not, a listener condition reason and a message say why. */
typedef struct rb__listener_verdict {
	bool ready;
	const char *reason;
	const char *message;
} rb__listener_verdict;
int rb__listener_verdict_of(rb__tr *t, const rb__gateway *g, const rb__listener_set *ls,
                            const rb__listener *l, rb__listener_verdict *v);
/* The same, computed once per Gateway and translation (use this one). */
int rb__listener_readiness(rb__tr *t, const rb__gateway *g, const rb__listener_set *ls,
                         const rb__listener *l, rb__listener_verdict *v);
/* The engine: a ReferenceGrant changed, the verdicts may have too. */
void rb__listeners_forget(rb__tr *t);
/* The Gateway of ours that takes the ListenerSet in (spec.allowedListeners), or NULL. */
const rb__gateway *rb__listener_set_gateway(rb__tr *t, const rb__listener_set *ls);
/* Does the listener accept routes of kind k (its protocol and allowedRoutes.kinds)? */
bool rb__listener_allows_kind(const rb__listener *l, rb__route_kind k);

/* routing.c */
int rb__routing_build(rb__tr *t);
/* Does the EnvoyProxy of g's GatewayClass merge its Gateways into one (mergeGateways)? */
bool rb__gateways_merged(rb__tr *t, const rb__gateway *g);
bool rb__service_routing(rb__tr *t, const rb__parent *p, const rb__route_rule *rule);
/* The BackendTrafficPolicies that claimed (first writer wins) the scopes of a
 * rule, most specific first; NULL where none. The listener scope is the one
 * named by the parentRef's sectionName, as for routingType. */
typedef enum rb__btp_scope {
	RB_BTP_SCOPE_RULE = 0,
	RB_BTP_SCOPE_ROUTE = 1,
	RB_BTP_SCOPE_LISTENER = 2,
	RB_BTP_SCOPE_GATEWAY = 3,
	RB_BTP_SCOPE_COUNT = 4
} rb__btp_scope;
void rb__btp_chain(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                   const rb__backend_traffic_policy *out[RB_BTP_SCOPE_COUNT]);

/* ---- policies that fail closed (docs/policies.md) ---- */

/* The policy kinds, as their letters in claim keys. */
typedef enum rb__policy_kind {
	RB_POLICY_BTP = 'B',
	RB_POLICY_SP = 'S',
	RB_POLICY_EEP = 'E',
	RB_POLICY_CTP = 'C'
} rb__policy_kind;

/* A policy that claimed a target (the first one per target; later ones are
 * Conflicted and have no effect, as in Envoy Gateway). */
typedef struct rb__claim {
	rb__policy_kind kind;
	const rb__objmeta *meta;
	const char *merge_type;
	const void *policy; /* rb__backend_traffic_policy, rb__security_policy, ... */
} rb__claim;

/* policy_claims.c: index every policy's targets (at init). */
int rb__policy_claims_build(rb__tr *t);
/* The claimants of one kind for an IR route of rule `rule` on `listener`,
 * most specific first: rule, route, listener (of a ListenerSet: its listener,
 * then the ListenerSet), Gateway. Unclaimed scopes are skipped; returns the count. */
size_t rb__policy_chain(rb__tr *t, rb__policy_kind kind, const rb__parent *p,
                        const rb__route_rule *rule, const rb__listener *listener,
                        const rb__claim *out[5]);
/* The same, telling for each claimant whether it targets the route or a rule
 * of it (only those merge with a parent policy through mergeType). */
size_t rb__policy_chain_scoped(rb__tr *t, rb__policy_kind kind, const rb__parent *p,
                               const rb__route_rule *rule, const rb__listener *listener,
                               const rb__claim *out[5], bool route_level[5]);

/* policy_check.c (with policy_btp.c, policy_sp.c, policy_eep.c, policy_ctp.c):
 * why a policy is invalid for a Gateway's listener (NULL: valid).
 * *fails says whether the error fails closed (SecurityPolicy ExtAuth and
 * EnvoyExtensionPolicy ExtProc/Wasm may fail open). *rc: RB_ENOMEM when a
 * check could not be made (the Lua validator ran out of memory). */
const char *rb__policy_error(rb__tr *t, const rb__claim *c, const rb__parent *parent,
                             const rb__listener *listener, bool *fails, int *rc);

/* policy_check.c: the most specific EnvoyProxy of a Gateway -- its own, else
 * the GatewayClass's, else the default spec -- or NULL. */
const rb__envoy_proxy *rb__gateway_envoy_proxy(rb__tr *t, const rb__gateway *g);

/* ext_service.c: the first problem of the backendRefs of a policy's external
 * service (translateExtServiceBackendRefs) for Gateway g, or NULL. */
const char *rb__ext_service_error(rb__tr *t, const rb__gateway *g, const rb__objmeta *policy,
                                  const char *policy_kind, const rb__ext_service *svc);

/* fail_closed.c: does a policy make this rule answer 500 on this parent?
 * *by: the policy ("SecurityPolicy ns/name"), *why: its error as Envoy
 * Gateway's status words it; both NULL when no policy fails the rule. */
int rb__policy_fail_closed(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                           const char **by, const char **why);

/* fail_closed.c: does an invalid ClientTrafficPolicy take this TCP/TLS route
 * off every listener it is attached to (*dropped)? */
int rb__policy_l4_unprogrammed(rb__tr *t, const rb__parent *p, bool *dropped);

/* policy_values.c: Go's time.ParseDuration and Kubernetes quantities. */
bool rb__parse_go_duration(const char *s, double *seconds);
bool rb__parse_quantity(const char *s, double *value);
/* The BackendTrafficPolicies that claimed the scopes of one listener: a
 * Gateway listener's own scope in out[0]; for a ListenerSet listener, its
 * own scope in out[0] and the ListenerSet's in out[1]. NULL where none. */
void rb__btp_listener_scopes(rb__tr *t, const rb__gateway *g, const rb__listener_set *ls,
                             const char *listener, const rb__backend_traffic_policy *out[2]);
/* Service routing by the Gateway's own settings alone (its BackendTrafficPolicy,
 * else its EnvoyProxy): the baseline every route of it starts from. */
bool rb__gateway_service_routing(rb__tr *t, const rb__gateway *g);
/* The EnvoyProxy of the Gateway's GatewayClass, and the Gateway's own one (parametersRef;
 * never with merged Gateways), or NULL. */
const rb__envoy_proxy *rb__class_envoy_proxy(rb__tr *t, const rb__gateway *g);
const rb__envoy_proxy *rb__gateway_own_envoy_proxy(rb__tr *t, const rb__gateway *g);

/* merge_backends.c: EnvoyProxy mergeBackends (docs/merge-backends.md).
 * rb__merge_backends_rejects: the Gateway has both mergeGateways and
 * mergeBackends on, so it is not translated at all. rb__merge_backends: the
 * destinations of one parent as its programming listeners see them, with the
 * backendRefs that qualify moved into shared clusters. */
bool rb__merge_backends_rejects(rb__tr *t, const rb__gateway *g);
int rb__merge_backends(rb__tr *t, const rb__parent *p, rb__vec *dests);

/* validate.c: 2.3; on failure sets res->reason/message. */
int rb__validate_backend_ref(rb__tr *t, const rb__route *r, const rb__backend_ref *br,
                             const rb__backend_target *bt, rb__ref_result *res);

/* backend_ref.c: the vocabulary of backendRefs and the step every rule kind takes per ref. */
/* Whether group/kind is an extension kind of the EnvoyGateway configuration. */
bool rb__is_extension_kind(const rb__tr *t, const char *group, const char *kind);
/* Whether an extensionRef names a filter object Envoy Gateway knows: its own
 * HTTPRouteFilter, or an extension kind. */
bool rb__is_known_filter_ref(const rb__tr *t, const rb__object_ref *e);
/* The defaults of a backendRef of route r applied (group, kind, namespace). */
void rb__resolve_backend_ref(const rb__tr *t, const rb__route *r, const rb__backend_ref *br,
                             rb__backend_target *out);
/* Set res's reason and message: RB_OK, or RB_ENOMEM when message is NULL (it
 * came from a failed allocation). */
int rb__ref_fail(rb__ref_result *res, rb__ref_reason reason, const char *message);
/* A Service of type ExternalName as a backend: UnsupportedValue. */
bool rb__is_external_name(const rb__service *s);
int rb__ref_fail_external_name(rb__tr *t, rb__ref_result *res, const char *ns, const char *name);
/* The route condition a failed backendRef of an L7 rule or filter reports:
 * BackendsAvailable for missing endpoints, else ResolvedRefs. */
rb__cond_type rb__ref_condition(rb__ref_reason reason);
/* The step every rule kind takes per backendRef: the ref named
 * "<dest_name>/backend/<index>", processed into *res, its weight and target
 * copied into ref. */
int rb__rule_backend_ref(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                         size_t index, const char *dest_name, rb__ir_ref *ref,
                         rb__ref_result *res);

/* grants.c: may an object of from_kind in from_ns refer to group/kind target_ns/name? */
bool rb__grant_permits(rb__tr *t, const char *from_kind, const char *from_ns, const char *group,
                       const char *kind, const char *target_ns, const char *name);
/* The same for a referrer of another API group (Envoy Gateway's policies). */
bool rb__grant_permits_from(rb__tr *t, const char *from_group, const char *from_kind,
                            const char *from_ns, const char *group, const char *kind,
                            const char *target_ns, const char *name);
bool rb__ref_permitted(rb__tr *t, const rb__route *r, const char *group, const char *kind,
                       const char *target_ns, const char *name);

/* address.c */
const char *rb__check_backend_addresses(rb__tr *t, const rb__backend *b, rb__ref_reason *reason);
bool rb__parse_ip(const char *s, bool *is_loopback);

/* tls.c: upstream TLS validity ([dest.tls-before-endpoints] [tls.ca-refs]); on failure sets
 * res->reason/message. */
int rb__check_upstream_tls(rb__tr *t, const rb__gateway *g, const rb__backend_ref *br,
                           const rb__backend_target *bt, rb__ref_result *res);

/* setting.c: one backendRef -> DS ([dest.dispatch]). */
int rb__process_backend_ref(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                            const rb__backend_ref *br, const char *setting_name,
                            rb__ref_result *res);

/* endpoints.c; rb__endpoints_forget drops the cached tables of one backend. */
void rb__endpoints_forget(rb__tr *t, rb__backend_kind owner_kind, const char *ns,
                          const char *name);
int rb__slice_endpoints(rb__tr *t, rb__backend_kind owner_kind, const char *ns, const char *name,
                        const char *port_name, const char *protocol, const rb__ir_endpoint **eps,
                        uint32_t *count, uint8_t *address_type);

/* rule_build.c: why the IR routes of an HTTP/GRPC rule cannot be built (the
 * raw error text in *msg), or *msg NULL. regex.c: Go's regexp.Compile error
 * text for `re` into *err (in arena `a`), or NULL when it compiles; RB_ENOMEM. */
int rb__rule_build_error(rb__tr *t, const rb__route *r, const rb__route_rule *rule,
                         const char **msg);
int rb__regex_check(rb__arena *a, const char *re, const char **err);

/* rule_l7.c / rule_l4.c: one parent of a route; destinations appended to `dests`
 * (rb__ir_destination), errors to `errors` (rb__route_error). */
int rb__route_l7(rb__tr *t, rb__parent *p, rb__vec *dests, rb__vec *errors);
int rb__route_l4(rb__tr *t, rb__parent *p, rb__vec *dests, rb__vec *errors);

/*
 * filters.c: what a rule's filters make of it (Envoy Gateway's
 * ProcessHTTPFilters / ProcessGRPCFilters). Errors go to `errors`; the rule
 * answers 500 when filter_error is set, else its filter's own direct response
 * or redirect (rule_l7.c decides). The reasons say which filter did it, for
 * `explain` (they end up in the destination's direct_response_by/why).
 */
typedef struct rb__rule_filters {
	bool filter_error;          /* an error whose type is not BackendsAvailable */
	const char *error_filter;   /* the first such error: which filter, */
	const char *error_message;  /* and its raw text */
	uint32_t direct_response;   /* the filters answer on their own with this status; 0: no */
	const char *answer_filter;  /* which filter answers, */
	const char *answer_message; /* and why */
	bool redirect;              /* a RequestRedirect: the rule has no destination */
	bool host_from_path;        /* an HTTPRouteFilter rewrites the host from the path (PathRegex) */
	const char *build_error;    /* an HTTPRouteFilter cookie match drops the rule (raw text) */
	/* the pass's own state: what earlier filters of the rule contributed */
	size_t mirror_count;
	bool has_url_rewrite;
	bool core_host_rewrite, core_path_rewrite; /* URLRewrite hostname / full or prefix path */
	bool ext_host_rewrite, ext_path_rewrite;   /* HTTPRouteFilter host (any type) / regex path */
	size_t request_headers, response_headers;  /* header names added or removed so far */
	bool hrf_matches;
} rb__rule_filters;
int rb__process_rule_filters(rb__tr *t, const rb__parent *p, size_t rule_index, rb__vec *errors,
                             rb__rule_filters *out);
/* The errors of a backendRef's own filters, joined ('\n'), or NULL (processDestinationFilters). */
int rb__backend_filter_errors(rb__tr *t, const rb__parent *p, const rb__backend_ref *br,
                              const char **joined);

/* policy.c: the rebalance knobs of a rule ([rebalance.policy.scopes], [rebalance.exclude]) --
 * zero-endpoint exclusion and strict readiness, each decided by the most specific policy that sets
 * it, else by the options -- into knobs (indexed by rb_knob); into *zone_aware whether the rule's
 * policy asks for zone-aware load balancing ([xds.per-setting-triggers]); into notes what the
 * policy configures that explain's model does not cover. RB_ENOMEM when a name cannot be
 * copied. */
int rb__policy_knobs(rb__tr *t, const rb__parent *p, const rb__route_rule *rule,
                     rb__ir_knob knobs[2], bool *zone_aware, rb__ir_notes *notes);

/* status.c */
int rb__add_error(rb__tr *t, rb__vec *errors, rb__cond_type type, const char *reason,
                  int32_t rule, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int rb__route_status(rb__tr *t, const rb__parent *p, const rb__vec *errors);
/* How many distinct rules have an Accepted-type error (dropped or filter-invalid). */
size_t rb__unaccepted_rules(const rb__vec *errors);
/* The longest status message kept (longer ones are cut, saying so). */
enum { RB_STATUS_MESSAGE_MAX = 32768 };
/* Cut a status message that is too long at a character boundary, and say so. */
void rb__truncate_message(rb__buf *b);

/*
 * overlap.c: one request a parent's IR routes match -- listener, hostname and
 * match, as one string -- with the route and its status (an index the caller
 * gives meaning to: into t->statuses for a translation, into a slot's
 * statuses for the engine, with `owner` naming the slot).
 */
typedef struct rb__overlap_key {
	const char *key; /* in t->scratch */
	const rb__route *route;
	uint32_t klen;   /* (push_key refuses a key or an index past 32 bits) */
	int32_t rule;    /* the route rule the match is of */
	uint32_t status;
	uint32_t owner;
} rb__overlap_key;

/* Append to t->overlap the keys of parent p, whose status is t->statuses' last. */
int rb__overlap_record(rb__tr *t, const rb__parent *p, const rb__vec *errors);
/* Add RouteRulesOverlap=True to every status whose keys another route shares.
 * status_of(ud, k) is the status key k belongs to. */
typedef rb__ir_route_status *(*rb__status_of_fn)(void *ud, const rb__overlap_key *k);
int rb__overlap_conditions(rb__tr *t, const rb__overlap_key *keys, size_t n,
                           rb__status_of_fn status_of, void *ud);
/* The engine keeps, per key, how many routes have it (`counts`, keys not
 * copied): add (delta 1) or remove (-1) one route's keys; *shared is set when
 * one of them is or was another route's too (its statuses, or theirs, change). */
int rb__overlap_count(rb__map *counts, const rb__mem *mem, const rb__overlap_key *keys, size_t n,
                      int delta, bool *shared);

/* names and metadata (setting.c) */
/* "httproute/<ns>/<name>/rule/<i>" (rule -1 for L4 routes, [name.destination]), in the result
 * arena. */
const char *rb__destination_name(rb__tr *t, const rb__route *r, int32_t rule);
/* The same name for a destination of parent p, at the end of its key
 * "<gateway-ns>/<gateway-name>/<name>" (*key): one string for both, which
 * translate.c's destination_keys keeps when the key needs no listeners. */
const char *rb__destination_name_in_key(rb__tr *t, const rb__parent *p, int32_t rule,
                                        const char **key);
/* Append a destination with its name and route identity filled in. */
rb__ir_destination *rb__push_destination(rb__tr *t, rb__vec *dests, const rb__route *r,
                                         const char *name, int32_t rule);
/* The weight bucket of a kept setting ([bucket.classify]). */
rb_weight_bucket rb__weight_bucket(const rb__ir_setting *s);
const rb__ir_metadata *rb__backend_metadata(rb__tr *t, const rb__objmeta *meta,
                                            const char *fallback_kind, const char *section_name);

#endif
