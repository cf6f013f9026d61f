/*
 * ReferenceGrant, BackendTrafficPolicy, EnvoyProxy, BackendTLSPolicy,
 * Namespace and the unstructured objects of extensionRefFilters.
 */
#include <string.h>

#include "model/cert_validity.h"
#include "model/schemas.h"
#include "rebalance/errors.h"

/* ---- ReferenceGrant ([validate.cross-namespace]) ---- */

static const rb__field FROM_FIELDS[] = {
	RB_F_STR("group", rb__grant_from, group),
	RB_F_STR_REQ("kind", rb__grant_from, kind),
	RB_F_STR_REQ("namespace", rb__grant_from, namespace_),
};
static const rb__schema FROM = RB_SCHEMA("a ReferenceGrant from entry", rb__grant_from, FROM_FIELDS, NULL);

static const rb__field TO_FIELDS[] = {
	RB_F_STR("group", rb__grant_to, group),
	RB_F_STR_REQ("kind", rb__grant_to, kind),
	RB_F_STR("name", rb__grant_to, name),
};
static const rb__schema TO = RB_SCHEMA("a ReferenceGrant to entry", rb__grant_to, TO_FIELDS, NULL);

static const rb__field GRANT_SPEC_FIELDS[] = {
	RB_F_LIST_MAX("from", rb__reference_grant, from, from_count, FROM, 16),
	RB_F_LIST_MAX("to", rb__reference_grant, to, to_count, TO, 16),
};
static const rb__schema GRANT_SPEC =
	RB_SCHEMA("a ReferenceGrant spec", rb__reference_grant, GRANT_SPEC_FIELDS, NULL);

static int grant_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__reference_grant *)base)->meta, "a ReferenceGrant");
}

static const rb__field GRANT_FIELDS[] = {
	RB_F_OBJECT_META(rb__reference_grant),
	RB_F_NEST("spec", GRANT_SPEC),
};
const rb__schema rb__schema_reference_grant =
	RB_SCHEMA("a ReferenceGrant", rb__reference_grant, GRANT_FIELDS, grant_post);

/* ---- policy targets ---- */

static const rb__field TARGET_FIELDS[] = {
	RB_F_STR("group", rb__policy_target, group),
	RB_F_STR_REQ("kind", rb__policy_target, kind),
	RB_F_STR_REQ("name", rb__policy_target, name),
	RB_F_STR("sectionName", rb__policy_target, section_name),
};
const rb__schema rb__schema_policy_target = RB_SCHEMA("a policy target", rb__policy_target, TARGET_FIELDS, NULL);

static const rb__field SELECTOR_FIELDS[] = {
	RB_F_STR("group", rb__target_selector, group),
	RB_F_STR_REQ("kind", rb__target_selector, kind),
	RB_F_KV("matchLabels", rb__target_selector, selector.match_labels, selector.match_label_count),
};
const rb__schema rb__schema_target_selector =
	RB_SCHEMA("a target selector", rb__target_selector, SELECTOR_FIELDS, NULL);

void rb__policy_targets_settle(rb__policy_targets *t)
{
	/* The deprecated singular targetRef takes precedence over targetRefs. */
	if (t->has_ref) {
		t->refs = &t->ref;
		t->ref_count = 1;
	}
}

/* ---- BackendTrafficPolicy ([routing.btp.scopes], [rebalance.policy.field]) ---- */

/* ---- BackendTrafficPolicy fields that keep backends out of shared clusters ----
 * (mergeBackends, translate/merge_backends.c). Envoy Gateway writes these onto
 * the cluster; below Gateway scope they would differ between the routes that
 * share it. Only their presence matters, so they are read from the spec's
 * keys after decoding, apart from the fields' own decoders. */

static void merge_backends_fields(const rb__node *spec, rb__backend_traffic_policy *p)
{
	static const char *const cluster_fields[] = {
		"loadBalancer", "circuitBreaker", "healthCheck", "proxyProtocol", "tcpKeepalive",
		"timeout", "connection", "dns", "http2", "useClientProtocol", "admissionControl",
		"retry"};
	for (size_t i = 0; i < sizeof cluster_fields / sizeof cluster_fields[0]; i++)
		if (!rb__node_is_null(rb__node_get(spec, cluster_fields[i])))
			p->sets_cluster_fields = true;
	const rb__node *type = rb__node_get(rb__node_get(spec, "loadBalancer"), "type");
	p->consistent_hash = rb__node_is_scalar(type) && type->stype == RB_SCALAR_STRING &&
	                     !strcmp(type->scalar.text, "ConsistentHash");
	/* What explain's Envoy model leaves out (docs/explain.md): the first one
	 * named, in the order an operator would look for it. */
	const rb__node *hc = rb__node_get(spec, "healthCheck");
	if (!rb__node_is_null(rb__node_get(hc, "active")))
		p->unmodelled = "active health checks";
	else if (!rb__node_is_null(rb__node_get(hc, "passive")))
		p->unmodelled = "outlier detection (passive health checks)";
	else if (!rb__node_is_null(rb__node_get(hc, "panicThreshold")))
		p->unmodelled = "a panic threshold";
	else if (p->consistent_hash)
		p->unmodelled = "ConsistentHash load balancing";
}

/* Any zone-aware or weighted-zone load balancing forces per-setting clusters
 * ([xds.per-setting-triggers]). */
static int load_balancer(rb__dctx *d, const rb__node *v, void *base)
{
	if (!rb__node_is_map(v)) {
		rb__node_error(d->diags, d->source, v, "expected a mapping, got %s", rb__node_type_name(v));
		return RB_EPARSE;
	}
	const rb__node *za = rb__node_get(v, "zoneAware");
	if (rb__node_get(za, "preferLocal") || rb__node_get(za, "weightedZones"))
		((rb__backend_traffic_policy *)base)->has_prefer_local = true;
	return RB_OK;
}

static const rb__field BTP_SPEC_FIELDS[] = {
	RB_F_POLICY_TARGET_REFS(rb__backend_traffic_policy),
	RB_F_POLICY_TARGET_SELECTORS(rb__backend_traffic_policy),
	RB_F_STR("routingType", rb__backend_traffic_policy, routing_type),
	RB_F_STR("mergeType", rb__backend_traffic_policy, merge_type),
	RB_F_TRI("rebalanceOnNoEndpoints", rb__backend_traffic_policy, rebalance_on_no_endpoints),
	RB_F_TRI("rebalanceOnNoReadyEndpoints", rb__backend_traffic_policy,
	         rebalance_on_no_ready_endpoints),
	RB_F_FN("loadBalancer", load_balancer),
};
/* The same spec again, for what can make the policy invalid
 * (decode_policy_checks.c). Unknown fields were reported by the first pass:
 * this one does not warn (it knows only the checked fields). */
static int btp_spec_post(rb__dctx *d, const rb__node *map, void *base)
{
	rb__dctx checks = *d;
	checks.warnings = NULL;
	return rb__decode_struct(&checks, map, &rb__schema_btp_checks,
	                         &((rb__backend_traffic_policy *)base)->checks);
}

static const rb__schema BTP_SPEC = RB_SCHEMA("a BackendTrafficPolicy spec",
                                             rb__backend_traffic_policy, BTP_SPEC_FIELDS,
                                             btp_spec_post);

static int btp_post(rb__dctx *d, const rb__node *map, void *base)
{
	rb__backend_traffic_policy *p = base;
	rb__policy_targets_settle(&p->targets);
	merge_backends_fields(rb__node_get(map, "spec"), p);
	return rb__check_object_meta(d, map, &p->meta, "a BackendTrafficPolicy");
}

static const rb__field BTP_FIELDS[] = {
	RB_F_OBJECT_META(rb__backend_traffic_policy),
	RB_F_NEST("spec", BTP_SPEC),
};
const rb__schema rb__schema_backend_traffic_policy =
	RB_SCHEMA("a BackendTrafficPolicy", rb__backend_traffic_policy, BTP_FIELDS, btp_post);

/* ---- EnvoyProxy ([routing.order]) ---- */

/* mergeBackends is Envoy Gateway's *MergeBackendsConfig: present (even as {})
 * means on; its only field is an optional label selector. */
static const rb__field MERGE_BACKENDS_FIELDS[] = {
	RB_F_STRUCT_HAS("selector", rb__envoy_proxy, merge_backends_selector,
	                has_merge_backends_selector, rb__schema_label_selector),
};
static const rb__schema MERGE_BACKENDS =
	RB_SCHEMA("mergeBackends", rb__envoy_proxy, MERGE_BACKENDS_FIELDS, NULL);

static const rb__field EP_SPEC_FIELDS[] = {
	RB_F_STR("routingType", rb__envoy_proxy, routing_type),
	RB_F_STR("mergeType", rb__envoy_proxy, merge_type),
	RB_F_TRI("mergeGateways", rb__envoy_proxy, merge_gateways),
	RB_F_NEST_HAS("mergeBackends", rb__envoy_proxy, has_merge_backends, MERGE_BACKENDS),
};
/* The same spec again, for the policy checks: allowed dynamic modules, GeoIP. */
static int envoy_proxy_spec_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__decode_struct(d, map, &rb__schema_envoy_proxy_checks, base);
}

const rb__schema rb__schema_envoy_proxy_spec =
	RB_SCHEMA("an EnvoyProxy spec", rb__envoy_proxy, EP_SPEC_FIELDS, envoy_proxy_spec_post);

static int envoy_proxy_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__envoy_proxy *)base)->meta, "an EnvoyProxy");
}

static const rb__field EP_FIELDS[] = {
	RB_F_OBJECT_META(rb__envoy_proxy),
	RB_F_NEST("spec", rb__schema_envoy_proxy_spec),
};
const rb__schema rb__schema_envoy_proxy =
	RB_SCHEMA("an EnvoyProxy", rb__envoy_proxy, EP_FIELDS, envoy_proxy_post);

/* ---- BackendTLSPolicy ([validate.backend.tls-ca]) ---- */

static const rb__field VALIDATION_FIELDS[] = {
	RB_F_STR("wellKnownCACertificates", rb__backend_tls_policy, well_known_ca),
	RB_F_LIST("caCertificateRefs", rb__backend_tls_policy, ca_refs, ca_ref_count, rb__schema_ca_ref),
};
static const rb__schema VALIDATION =
	RB_SCHEMA("validation", rb__backend_tls_policy, VALIDATION_FIELDS, NULL);

static const rb__field BTLS_SPEC_FIELDS[] = {
	RB_F_POLICY_TARGET_REFS(rb__backend_tls_policy),
	RB_F_NEST("validation", VALIDATION),
};
static const rb__schema BTLS_SPEC =
	RB_SCHEMA("a BackendTLSPolicy spec", rb__backend_tls_policy, BTLS_SPEC_FIELDS, NULL);

static int btls_post(rb__dctx *d, const rb__node *map, void *base)
{
	rb__backend_tls_policy *p = base;
	rb__policy_targets_settle(&p->targets);
	return rb__check_object_meta(d, map, &p->meta, "a BackendTLSPolicy");
}

static const rb__field BTLS_FIELDS[] = {
	RB_F_OBJECT_META(rb__backend_tls_policy),
	RB_F_NEST("spec", BTLS_SPEC),
};
const rb__schema rb__schema_backend_tls_policy =
	RB_SCHEMA("a BackendTLSPolicy", rb__backend_tls_policy, BTLS_FIELDS, btls_post);

/* ---- Namespace and unstructured objects ---- */

static int namespace_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__namespace *)base)->meta, "a Namespace");
}

static const rb__field NAMESPACE_FIELDS[] = {
	RB_F_OBJECT_META(rb__namespace),
};
const rb__schema rb__schema_namespace =
	RB_SCHEMA("a Namespace", rb__namespace, NAMESPACE_FIELDS, namespace_post);

static const rb__field UNSTRUCTURED_FIELDS[] = {
	RB_F_STR("apiVersion", rb__unstructured, api_version),
	RB_F_STR("kind", rb__unstructured, meta.kind),
	RB_F_STRUCT("metadata", rb__unstructured, meta, rb__schema_objmeta),
};
const rb__schema rb__schema_unstructured =
	RB_SCHEMA("an object", rb__unstructured, UNSTRUCTURED_FIELDS, NULL);

/* ---- CA references and what they point at ([tls.ca-refs]) ---- */

static const rb__field CA_REF_FIELDS[] = {
	RB_F_STR("group", rb__ca_ref, group),
	RB_F_STR("kind", rb__ca_ref, kind),
	RB_F_STR_REQ("name", rb__ca_ref, name),
};
const rb__schema rb__schema_ca_ref = RB_SCHEMA("a CA certificate reference", rb__ca_ref, CA_REF_FIELDS, NULL);

/* A non-empty "ca.crt" in `data`. */
static bool has_nonempty(const rb__node *map, const char *key)
{
	const rb__node *v = rb__node_get(map, key);
	return rb__node_is_scalar(v) && v->stype == RB_SCALAR_STRING && v->scalar.len > 0;
}

/* The keys of a data mapping (only those with a non-empty value, if asked). */
static int data_keys(rb__dctx *d, const rb__node *v, bool nonempty_only, const char ***keys,
                     uint32_t *count)
{
	if (v->coll.count > UINT32_MAX)
		return RB_ELIMIT; /* the model counts in 32 bits (model.h) */
	*keys = rb__arena_calloc(d->arena, v->coll.count ? v->coll.count : 1, sizeof(**keys));
	if (!*keys)
		return RB_ENOMEM;
	for (size_t i = 0; i < v->coll.count; i++) {
		const rb__node *m = v->coll.items[i];
		if (nonempty_only && !has_nonempty(v, m->key))
			continue;
		const char *k = rb__arena_intern(d->arena, m->key, m->key_len);
		if (!k)
			return RB_ENOMEM;
		(*keys)[(*count)++] = k;
	}
	return RB_OK;
}

static int config_map_data(rb__dctx *d, const rb__node *v, void *base)
{
	if (!rb__node_is_map(v)) {
		rb__node_error(d->diags, d->source, v, "expected a mapping, got %s", rb__node_type_name(v));
		return RB_EPARSE;
	}
	rb__ca_holder *h = base;
	h->has_ca = has_nonempty(v, "ca.crt");
	h->has_response_body |= !rb__node_is_null(rb__node_get(v, "response.body"));
	h->has_any_data |= v->coll.count > 0;
	if (h->has_ca) {
		const rb__node *ca = rb__node_get(v, "ca.crt");
		int rc = rb__pem_certificates(d->arena, ca->scalar.text, ca->scalar.len, &h->ca_certs,
		                              &h->ca_cert_count);
		if (rc)
			return rc;
	}
	if (has_nonempty(v, "lua")) {
		const rb__node *lua = rb__node_get(v, "lua");
		h->lua_script = rb__arena_strndup(d->arena, lua->scalar.text, lua->scalar.len);
		if (!h->lua_script)
			return RB_ENOMEM;
	}
	return data_keys(d, v, true, &h->data_keys, &h->data_key_count);
}

/* binaryData only counts for a direct response body (getCustomResponseBody). */
static int config_map_binary_data(rb__dctx *d, const rb__node *v, void *base)
{
	if (!rb__node_is_map(v)) {
		rb__node_error(d->diags, d->source, v, "expected a mapping, got %s", rb__node_type_name(v));
		return RB_EPARSE;
	}
	((rb__ca_holder *)base)->has_any_data |= v->coll.count > 0;
	return RB_OK;
}

static int config_map_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__ca_holder *)base)->meta, "a ConfigMap");
}

static const rb__field CONFIG_MAP_FIELDS[] = {
	RB_F_OBJECT_META(rb__ca_holder),
	RB_F_FN("data", config_map_data),
	RB_F_FN("binaryData", config_map_binary_data),
};
const rb__schema rb__schema_config_map =
	RB_SCHEMA("a ConfigMap", rb__ca_holder, CONFIG_MAP_FIELDS, config_map_post);

static int trust_bundle_spec(rb__dctx *d, const rb__node *v, void *base)
{
	if (!rb__node_is_map(v)) {
		rb__node_error(d->diags, d->source, v, "expected a mapping, got %s", rb__node_type_name(v));
		return RB_EPARSE;
	}
	((rb__ca_holder *)base)->has_ca = has_nonempty(v, "trustBundle");
	return RB_OK;
}

static int trust_bundle_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__ca_holder *)base)->meta, "a ClusterTrustBundle");
}

static const rb__field TRUST_BUNDLE_FIELDS[] = {
	RB_F_OBJECT_META(rb__ca_holder),
	RB_F_FN("spec", trust_bundle_spec),
};
const rb__schema rb__schema_cluster_trust_bundle =
	RB_SCHEMA("a ClusterTrustBundle", rb__ca_holder, TRUST_BUNDLE_FIELDS, trust_bundle_post);

/* ---- Secret (listener certificates, credentials) ---- */

/* Which keys the data has, and the validity of the CA certificates. */
static int secret_data(rb__dctx *d, const rb__node *v, void *base)
{
	if (!rb__node_is_map(v)) {
		rb__node_error(d->diags, d->source, v, "expected a mapping, got %s", rb__node_type_name(v));
		return RB_EPARSE;
	}
	rb__secret *s = base;
	/* Envoy Gateway refuses a certificate whose tls.crt or tls.key is empty. */
	s->has_tls_crt = has_nonempty(v, "tls.crt");
	s->has_tls_key = has_nonempty(v, "tls.key");
	s->has_ca_crt = has_nonempty(v, "ca.crt");
	s->has_credential = has_nonempty(v, "credential");
	if (s->has_ca_crt) {
		/* Secret data is base64: the PEM inside, for the certificates' validity. */
		const rb__node *ca = rb__node_get(v, "ca.crt");
		size_t len;
		const unsigned char *pem =
			rb__base64_decode(d->arena, ca->scalar.text, ca->scalar.len, &len);
		int rc = pem ? rb__pem_certificates(d->arena, (const char *)pem, len, &s->ca_certs,
		                                    &s->ca_cert_count)
		             : RB_OK;
		if (rc)
			return rc;
	}
	return data_keys(d, v, false, &s->data_keys, &s->data_key_count);
}

static int secret_post(rb__dctx *d, const rb__node *map, void *base)
{
	return rb__check_object_meta(d, map, &((rb__secret *)base)->meta, "a Secret");
}

static const rb__field SECRET_FIELDS[] = {
	RB_F_OBJECT_META(rb__secret),
	RB_F_STR("type", rb__secret, type),
	RB_F_FN("data", secret_data),
};
const rb__schema rb__schema_secret = RB_SCHEMA("a Secret", rb__secret, SECRET_FIELDS, secret_post);
