/* The decoding schemas of every kind (one file per family: decode_*.c). */
#ifndef RB_MODEL_SCHEMAS_H
#define RB_MODEL_SCHEMAS_H

#include "model/decode.h"
#include "model/model.h"

extern const rb__schema rb__schema_objmeta;
extern const rb__schema rb__schema_label_selector;
extern const rb__schema rb__schema_gateway;
extern const rb__schema rb__schema_listener_set;
extern const rb__schema rb__schema_gateway_class;
extern const rb__schema rb__schema_legacy_endpoints;
extern const rb__schema rb__schema_route;
extern const rb__schema rb__schema_service;
extern const rb__schema rb__schema_service_import;
extern const rb__schema rb__schema_endpoint_slice;
extern const rb__schema rb__schema_backend;
extern const rb__schema rb__schema_reference_grant;
extern const rb__schema rb__schema_backend_traffic_policy;
extern const rb__schema rb__schema_envoy_proxy;
extern const rb__schema rb__schema_envoy_proxy_spec; /* a bare spec (envoyProxyDefaultSpec) */
extern const rb__schema rb__schema_backend_tls_policy;
extern const rb__schema rb__schema_namespace;
extern const rb__schema rb__schema_unstructured;
extern const rb__schema rb__schema_secret;
extern const rb__schema rb__schema_http_route_filter;
extern const rb__schema rb__schema_config_map;
extern const rb__schema rb__schema_cluster_trust_bundle;
extern const rb__schema rb__schema_ca_ref;
extern const rb__schema rb__schema_security_policy;
extern const rb__schema rb__schema_extension_policy;
extern const rb__schema rb__schema_client_traffic_policy;
/* Shared by the policy decoders (decode_policy.c, decode_policy_checks.c). */
extern const rb__schema rb__schema_policy_target;
extern const rb__schema rb__schema_target_selector;
/* The fields of an rb__secret_ref (decode_gateway.c), shared by the schemas
 * that read one under their own name. */
enum { RB_SECRET_REF_FIELD_COUNT = 4 };
extern const rb__field rb__secret_ref_fields[RB_SECRET_REF_FIELD_COUNT];

/* The targets of a policy kind T (an rb__policy_targets `targets` member), in
 * its spec's field table; its post step calls rb__policy_targets_settle. */
#define RB_F_POLICY_TARGET_REFS(T) \
	RB_F_LIST("targetRefs", T, targets.refs, targets.ref_count, rb__schema_policy_target), \
	RB_F_STRUCT_HAS("targetRef", T, targets.ref, targets.has_ref, rb__schema_policy_target)
#define RB_F_POLICY_TARGET_SELECTORS(T) \
	RB_F_LIST("targetSelectors", T, targets.selectors, targets.selector_count, \
	          rb__schema_target_selector)
/* The singular targetRef, when given, takes the place of targetRefs. */
void rb__policy_targets_settle(rb__policy_targets *t);
/* A BackendTrafficPolicy spec, as far as its validation reads it, into rb__btp_checks. */
extern const rb__schema rb__schema_btp_checks;
/* An EnvoyProxy spec's dynamicModules and geoIP, into rb__envoy_proxy. */
extern const rb__schema rb__schema_envoy_proxy_checks;

/* The fields every object starts with: apiVersion (a string, checked, not
 * kept: model.h, rb__objmeta), kind, metadata. */
int rb__check_api_version(rb__dctx *d, const rb__node *v, void *base);
#define RB_F_OBJECT_META(T)                                                                  \
	RB_F_FN("apiVersion", rb__check_api_version), RB_F_STR("kind", T, meta.kind), \
		RB_F_STRUCT("metadata", T, meta, rb__schema_objmeta)

/* Post-check shared by objects: metadata.name is required. */
int rb__check_object_meta(rb__dctx *d, const rb__node *map, const rb__objmeta *meta,
                          const char *what);

#endif
