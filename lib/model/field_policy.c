/*
 * Which decoded structs are complete, for unknown-field warnings.
 *
 * The decoders read only what changes destinations, so a key that matches no
 * field is usually a field we deliberately skip. For the structs below we
 * know every field of the upstream type (Gateway API, Kubernetes core,
 * discovery/v1, Envoy Gateway): the ones we decode are in the schema, the
 * others are listed here as known and ignored. Any other key there is
 * unknown -- most likely a typo (`backendRef`, `wieght`) -- and gets a
 * warning with the closest known name. Structs not listed are open: we
 * cannot tell a typo from a field we skip, so they never warn.
 *
 * Schemas are named by their `what` text (each is unique among the listed
 * ones), which keeps this table apart from the decoders.
 *
 * Rules: [warn.unknown-field].
 */
#include <string.h>

#include "core/strutil.h"
#include "core/suggest.h"
#include "model/decode.h"

typedef struct closed_schema {
	const char *what;
	const char *const *ignored; /* NULL-terminated; known fields we do not decode */
} closed_schema;

static const char *const OBJECT_META[] = {"uid",
                                          "resourceVersion",
                                          "creationTimestamp",
                                          "deletionTimestamp",
                                          "deletionGracePeriodSeconds",
                                          "managedFields",
                                          "generateName",
                                          "selfLink",
                                          "finalizers",
                                          "ownerReferences",
                                          "clusterName",
                                          NULL};
static const char *const STATUS_ONLY[] = {"status", NULL};
static const char *const NONE[] = {NULL};
static const char *const ROUTE_SPEC[] = {"useDefaultGateways", NULL};
static const char *const ROUTE_RULE[] = {"timeouts", "retry", NULL};
static const char *const SERVICE_SPEC[] = {"selector",
                                           "sessionAffinity",
                                           "sessionAffinityConfig",
                                           "externalIPs",
                                           "externalName",
                                           "externalTrafficPolicy",
                                           "internalTrafficPolicy",
                                           "healthCheckNodePort",
                                           "loadBalancerIP",
                                           "loadBalancerSourceRanges",
                                           "loadBalancerClass",
                                           "allocateLoadBalancerNodePorts",
                                           "publishNotReadyAddresses",
                                           "clusterIPs",
                                           NULL};
static const char *const SERVICE_PORT[] = {"targetPort", "nodePort", NULL};
static const char *const SLICE_ENDPOINT[] = {"hostname", "nodeName",           "targetRef",
                                             "hints",    "deprecatedTopology", NULL};
static const char *const SLICE_PORT[] = {"appProtocol", NULL};
static const char *const GATEWAY_SPEC[] = {"addresses", "tls", "backendTLS", "defaultScope", NULL};
static const char *const LISTENER_TLS[] = {"options", "frontendValidation", NULL};
static const char *const CLASS_SPEC[] = {"description", NULL};
static const char *const BTP_SPEC[] = {"rateLimit",
                                       "proxyProtocol",
                                       "tcpKeepalive",
                                       "healthCheck",
                                       "faultInjection",
                                       "circuitBreaker",
                                       "retry",
                                       "useClientProtocol",
                                       "timeout",
                                       "connection",
                                       "dns",
                                       "http2",
                                       "responseOverride",
                                       "compression",
                                       "compressor",
                                       "httpUpgrade",
                                       "requestBuffer",
                                       "telemetry",
                                       "backendUtilization",
                                       NULL};

static const closed_schema CLOSED[] = {
    {"metadata", OBJECT_META},
    {"a route", STATUS_ONLY},
    {"a route spec", ROUTE_SPEC},
    {"a rule", ROUTE_RULE},
    {"a backendRef", NONE},
    {"a parentRef", NONE},
    {"a Service", STATUS_ONLY},
    {"a Service spec", SERVICE_SPEC},
    {"a Service port", SERVICE_PORT},
    {"an EndpointSlice", NONE},
    {"an EndpointSlice endpoint", SLICE_ENDPOINT},
    {"endpoint conditions", NONE},
    {"an EndpointSlice port", SLICE_PORT},
    {"a Gateway", STATUS_ONLY},
    {"a Gateway spec", GATEWAY_SPEC},
    {"a listener", NONE},
    {"listener tls", LISTENER_TLS},
    {"allowedRoutes", NONE},
    {"a certificate reference", NONE},
    {"a GatewayClass", STATUS_ONLY},
    {"a GatewayClass spec", CLASS_SPEC},
    {"a ReferenceGrant", NONE},
    {"a ReferenceGrant spec", NONE},
    {"a BackendTrafficPolicy", STATUS_ONLY},
    {"a BackendTrafficPolicy spec", BTP_SPEC},
};

static const closed_schema *closed_entry(const rb__schema *s)
{
	for (size_t i = 0; i < sizeof CLOSED / sizeof CLOSED[0]; i++)
		if (!strcmp(CLOSED[i].what, s->what))
			return &CLOSED[i];
	return NULL;
}

static bool is_ignored(const closed_schema *c, const char *key, size_t len)
{
	for (size_t i = 0; c->ignored[i]; i++)
		if (strlen(c->ignored[i]) == len && !rb__ascii_casecmp_n(c->ignored[i], key, len))
			return true;
	return false;
}

int rb__warn_unknown_field(rb__dctx *d, const rb__schema *s, const rb__node *member)
{
	if (!d->warnings)
		return RB_OK;
	if (d->memo_schema != s) {
		d->memo_schema = s;
		d->memo_closed = closed_entry(s);
	}
	const closed_schema *c = d->memo_closed;
	if (!c || is_ignored(c, member->key, member->key_len))
		return RB_OK;
	/* Candidates: the decoded fields, then the known-but-ignored ones. */
	enum { MAX_CANDS = 96 };
	const char *cands[MAX_CANDS + 1];
	size_t n = 0;
	for (size_t i = 0; i < s->field_count && n < MAX_CANDS; i++)
		cands[n++] = s->fields[i].key;
	for (size_t i = 0; c->ignored[i] && n < MAX_CANDS; i++)
		cands[n++] = c->ignored[i];
	cands[n] = NULL;
	const char *near = rb__closest_word(member->key, member->key_len, cands);
	char key[160];
	rb__escape_text(key, sizeof key, member->key, member->key_len);
	const char *raw = rb__node_path(member, d->warnings->arena);
	const char *path = raw ? rb__escape_dup(d->warnings->arena, raw) : NULL;
	if (!path)
		return RB_ENOMEM;
	if (!rb__diag_add(d->warnings, RB_OK, d->source, member->line, member->column,
	                  member->offset, path, "unknown field \"%s\" in %s%s%s%s", key, s->what,
	                  near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : ""))
		return RB_ENOMEM;
	return RB_OK;
}
