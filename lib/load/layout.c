/* The Envoy Gateway testdata layout: recognising its top-level keys ([input.form.layout]). */
#include "load/layout.h"

#include "core/strutil.h"

static const rb__layout_key KEYS[] = {
	{"gateways", RB_LAYOUT_LIST},
	{"listenerSets", RB_LAYOUT_LIST},
	{"httpRoutes", RB_LAYOUT_LIST},
	{"grpcRoutes", RB_LAYOUT_LIST},
	{"tlsRoutes", RB_LAYOUT_LIST},
	{"tcpRoutes", RB_LAYOUT_LIST},
	{"udpRoutes", RB_LAYOUT_LIST},
	{"referenceGrants", RB_LAYOUT_LIST},
	{"namespaces", RB_LAYOUT_LIST},
	{"services", RB_LAYOUT_LIST},
	{"serviceImports", RB_LAYOUT_LIST},
	{"endpointSlices", RB_LAYOUT_LIST},
	{"secrets", RB_LAYOUT_LIST},
	{"configMaps", RB_LAYOUT_LIST},
	{"extensionRefFilters", RB_LAYOUT_LIST},
	{"envoyPatchPolicies", RB_LAYOUT_LIST},
	{"clientTrafficPolicies", RB_LAYOUT_LIST},
	{"backendTrafficPolicies", RB_LAYOUT_LIST},
	{"securityPolicies", RB_LAYOUT_LIST},
	{"backendTLSPolicies", RB_LAYOUT_LIST},
	{"envoyExtensionPolicies", RB_LAYOUT_LIST},
	{"extensionServerPolicies", RB_LAYOUT_LIST},
	{"backends", RB_LAYOUT_LIST},
	{"httpFilters", RB_LAYOUT_LIST},
	{"clusterTrustBundles", RB_LAYOUT_LIST},
	{"envoyProxiesForGateways", RB_LAYOUT_LIST},
	{"gatewayClass", RB_LAYOUT_SINGLE},
	{"envoyProxyForGatewayClass", RB_LAYOUT_SINGLE},
	{"envoyProxyDefaultSpec", RB_LAYOUT_SINGLE},
};

const rb__layout_key *rb__layout_find(const char *key, size_t n)
{
	for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) {
		const char *name = KEYS[i].name;
		if (strlen(name) == n && rb__ascii_casecmp_n(name, key, n) == 0)
			return &KEYS[i];
	}
	return NULL;
}
