/*
 * Warnings about manifest kinds and apiVersions: a kind of an API group we
 * read that no version of that group has (`HTTPRoutes`), and a version of
 * such a group that does not exist (`gateway.networking.k8s.io/v2`). Such
 * objects are skipped, as before; the warning says so.
 *
 * Rules: [warn.unknown-kind] [warn.unknown-api-version].
 */
#include <stdio.h>
#include <string.h>

#include "core/suggest.h"
#include "load/node.h"
#include "model/model.h"
#include "rebalance/errors.h"

typedef struct api_group {
	const char *group;
	const char *const *versions; /* NULL-terminated */
	const char *const *kinds;    /* NULL-terminated: every kind of the group, read or not */
} api_group;

static const char *const GATEWAY_API_VERSIONS[] = {"v1", "v1beta1", "v1alpha2", "v1alpha3", NULL};
static const char *const GATEWAY_API_KINDS[] = {"GatewayClass",
                                                "Gateway",
                                                "HTTPRoute",
                                                "GRPCRoute",
                                                "TLSRoute",
                                                "TCPRoute",
                                                "UDPRoute",
                                                "ReferenceGrant",
                                                "BackendTLSPolicy",
                                                "ListenerSet",
                                                "BackendLBPolicy",
                                                "GatewayClassList",
                                                "GatewayList",
                                                "HTTPRouteList",
                                                "GRPCRouteList",
                                                "TLSRouteList",
                                                "TCPRouteList",
                                                "UDPRouteList",
                                                "ReferenceGrantList",
                                                "BackendTLSPolicyList",
                                                "ListenerSetList",
                                                "BackendLBPolicyList",
                                                NULL};
static const char *const X_VERSIONS[] = {"v1alpha1", NULL};
static const char *const X_KINDS[] = {"XListenerSet",
                                      "XBackendTrafficPolicy",
                                      "XMesh",
                                      "XListenerSetList",
                                      "XBackendTrafficPolicyList",
                                      "XMeshList",
                                      NULL};
static const char *const EG_VERSIONS[] = {"v1alpha1", NULL};
static const char *const EG_KINDS[] = {"EnvoyProxy",
                                       "EnvoyGateway",
                                       "Backend",
                                       "BackendTrafficPolicy",
                                       "ClientTrafficPolicy",
                                       "SecurityPolicy",
                                       "EnvoyPatchPolicy",
                                       "EnvoyExtensionPolicy",
                                       "HTTPRouteFilter",
                                       "EnvoyProxyList",
                                       "BackendList",
                                       "BackendTrafficPolicyList",
                                       "ClientTrafficPolicyList",
                                       "SecurityPolicyList",
                                       "EnvoyPatchPolicyList",
                                       "EnvoyExtensionPolicyList",
                                       "HTTPRouteFilterList",
                                       NULL};
static const char *const DISCOVERY_VERSIONS[] = {"v1", "v1beta1", NULL};
static const char *const DISCOVERY_KINDS[] = {"EndpointSlice", "EndpointSliceList", NULL};
static const char *const MCS_VERSIONS[] = {"v1alpha1", "v1beta1", NULL};
static const char *const MCS_KINDS[] = {"ServiceImport", "ServiceExport", "ServiceImportList",
                                        "ServiceExportList", NULL};

static const api_group GROUPS[] = {
    {"gateway.networking.k8s.io", GATEWAY_API_VERSIONS, GATEWAY_API_KINDS},
    {"gateway.networking.x-k8s.io", X_VERSIONS, X_KINDS},
    {"gateway.envoyproxy.io", EG_VERSIONS, EG_KINDS},
    {"discovery.k8s.io", DISCOVERY_VERSIONS, DISCOVERY_KINDS},
    {"multicluster.x-k8s.io", MCS_VERSIONS, MCS_KINDS},
};

static bool in_list(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !memcmp(list[i], s, n))
			return true;
	return false;
}

static int warn(rb__model_sink_ctx *c, const rb__node *at, const char *msg)
{
	const char *raw = rb__node_path(at, c->warnings->arena);
	const char *path = raw ? rb__escape_dup(c->warnings->arena, raw) : NULL;
	if (!path)
		return RB_ENOMEM;
	if (!rb__diag_add(c->warnings, RB_OK, c->source, at->line, at->column, at->offset, path,
	                  "%s", msg))
		return RB_ENOMEM;
	return RB_OK;
}

int rb__check_manifest_kind(rb__model_sink_ctx *c, const rb__node *kind, const rb__node *api)
{
	if (!c->warnings || !api || !kind)
		return RB_OK;
	const char *av = api->scalar.text;
	const char *slash = strchr(av, '/');
	if (!slash) {
		/* The core group has one version; its kinds are too many to list. */
		if (strcmp(av, "v1") != 0) {
			char esc_k[160], esc_v[160], msg[512];
			snprintf(msg, sizeof msg, "unknown apiVersion \"%s\" (kind %s)",
			         rb__escape_text(esc_v, sizeof esc_v, av, api->scalar.len),
			         rb__escape_text(esc_k, sizeof esc_k, kind->scalar.text,
			                         kind->scalar.len));
			return warn(c, api, msg);
		}
		return RB_OK;
	}
	size_t glen = (size_t)(slash - av);
	for (size_t i = 0; i < sizeof GROUPS / sizeof GROUPS[0]; i++) {
		const api_group *g = &GROUPS[i];
		if (strlen(g->group) != glen || memcmp(g->group, av, glen))
			continue;
		bool known_version = in_list(g->versions, slash + 1, strlen(slash + 1));
		if (known_version && in_list(g->kinds, kind->scalar.text, kind->scalar.len))
			return RB_OK; /* the usual case: nothing to format */
		char esc_k[160], esc_v[160], msg[512];
		rb__escape_text(esc_v, sizeof esc_v, av, api->scalar.len);
		rb__escape_text(esc_k, sizeof esc_k, kind->scalar.text, kind->scalar.len);
		if (!known_version) {
			snprintf(msg, sizeof msg, "unknown apiVersion \"%s\" (kind %s)", esc_v,
			         esc_k);
			return warn(c, api, msg);
		}
		const char *near = rb__closest_word(kind->scalar.text, kind->scalar.len, g->kinds);
		snprintf(msg, sizeof msg, "unknown kind \"%s\" of %s: the object is skipped%s%s%s",
		         esc_k, esc_v, near ? " (did you mean \"" : "", near ? near : "",
		         near ? "\"?)" : "");
		return warn(c, kind, msg);
	}
	return RB_OK;
}
