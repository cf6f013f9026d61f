/*
 * Why a SecurityPolicy is invalid (translateSecurityPolicyForRoute /
 * ...ForListeners): basic auth, API keys, authorization and GeoIP, ext auth,
 * OIDC, JWT. Only ExtAuth errors may fail open.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/policy_check.h"

/* validateAuthorizationGeoIP: the listener's client IP detection and the proxy's databases. */
static void geoip(rb__pc_errs *e, const rb__security_policy *p, const rb__parent *parent,
                  const rb__listener *l)
{
	const rb__authz_rule *geo = NULL;
	for (size_t i = 0; i < p->authz_rule_count && !geo; i++)
		if (p->authz_rules[i].geo_count)
			geo = &p->authz_rules[i];
	if (!geo || !parent)
		return;
	const rb__claim *ctp[5];
	size_t n = rb__policy_chain(e->t, RB_POLICY_CTP, parent, NULL, l, ctp);
	const rb__client_traffic_policy *cp = n ? ctp[0]->policy : NULL;
	const char *P = "Authorization";
	if (!cp || !cp->has_client_ip_detection) {
		rb__pc_add(e, true, P,
		           "authorization clientIPGeoLocations requires "
		           "ClientTrafficPolicy.spec.clientIPDetection to be configured");
		return;
	}
	if (cp->has_xff && cp->has_custom_header) {
		rb__pc_add(e, true, P,
		           "authorization clientIPGeoLocations requires exactly one client IP "
		           "detection mode");
		return;
	}
	if (cp->has_xff && cp->xff_trusted_cidr_count) {
		rb__pc_add(e, true, P,
		           "authorization clientIPGeoLocations does not support "
		           "ClientIPDetection.XForwardedFor.TrustedCIDRs");
		return;
	}
	const rb__envoy_proxy *ep = rb__gateway_envoy_proxy(e->t, parent->gateway);
	if (!ep || !ep->has_geoip_provider) {
		rb__pc_add(
		    e, true, P,
		    "authorization clientIPGeoLocations requires EnvoyProxy.spec.geoIP.provider");
		return;
	}
	for (size_t i = 0; i < p->authz_rule_count; i++) {
		const rb__authz_rule *r = &p->authz_rules[i];
		bool missing = ((r->geo_country || r->geo_region || r->geo_city) &&
		                !ep->geoip_city_db && !ep->geoip_country_db) ||
		               ((r->geo_region || r->geo_city) && !ep->geoip_city_db) ||
		               (r->geo_asn && !ep->geoip_asn_db && !ep->geoip_isp_db) ||
		               (r->geo_isp && !ep->geoip_isp_db) ||
		               (r->geo_anonymous && !ep->geoip_anonymous_db);
		if (missing) {
			rb__pc_add(e, true, P,
			           "authorization clientIPGeoLocations needs a GeoIP database the "
			           "EnvoyProxy does not configure");
			return;
		}
	}
}

void rb__pc_sp_errors(rb__pc_errs *e, const rb__claim *c, const rb__parent *parent,
                      const rb__listener *l)
{
	const rb__security_policy *p = c->policy;
	rb__tr *t = e->t;
	const rb__secret *s;
	const char *err;
	if (p->has_basic_auth) {
		if ((err =
		         rb__pc_secret_ref_error(t, c, "SecurityPolicy", &p->basic_auth_users, &s)))
			rb__pc_add(e, true, "BasicAuth", "%s", err);
		else if (!rb__pc_has_key(s->data_keys, s->data_key_count, ".htpasswd"))
			rb__pc_add(e, true, "BasicAuth",
			           "users secret %s/%s must contain key .htpasswd",
			           s->meta.namespace_, s->meta.name);
	}
	for (size_t i = 0; i < p->api_key_credential_count; i++)
		if ((err = rb__pc_secret_ref_error(t, c, "SecurityPolicy",
		                                   &p->api_key_credentials[i], &s))) {
			rb__pc_add(e, true, "APIKeyAuth", "%s", err);
			break;
		}
	for (size_t i = 0; i < p->authz_rule_count; i++) {
		const rb__authz_rule *r = &p->authz_rules[i];
		for (size_t j = 0; j < r->client_cidr_count; j++)
			if (!rb__pc_cidr_ok(r->client_cidrs[j]))
				rb__pc_add(e, true, "Authorization", "invalid client CIDR %s",
				           r->client_cidrs[j]);
	}
	if (p->has_ext_auth) {
		if (p->has_ext_auth_http == p->has_ext_auth_grpc)
			rb__pc_add(e, p->ext_auth_fail_open != RB_TRI_TRUE, "ExtAuth",
			           "only one of grpc or http can be specified");
		else
			rb__pc_ext_service(
			    e, c, "SecurityPolicy", p->ext_auth_fail_open != RB_TRI_TRUE, "ExtAuth",
			    p->has_ext_auth_http ? &p->ext_auth_http : &p->ext_auth_grpc);
	}
	if (p->has_oidc) {
		if (p->has_oidc_provider_service &&
		    (p->oidc_provider.ref_count || p->oidc_provider.has_ref))
			rb__pc_ext_service(e, c, "SecurityPolicy", true, "OIDC", &p->oidc_provider);
		if ((err = rb__pc_secret_ref_error(t, c, "SecurityPolicy", &p->oidc_client_secret,
		                                   &s)))
			rb__pc_add(e, true, "OIDC", "%s", err);
		else if (!rb__pc_has_key(s->data_keys, s->data_key_count, "client-secret"))
			rb__pc_add(e, true, "OIDC", "client secret not found in secret %s/%s",
			           s->meta.namespace_, s->meta.name);
	}
	for (size_t i = 0; i < p->jwt_provider_count; i++) {
		const rb__jwt_provider *jp = &p->jwt_providers[i];
		/* validateJWTProvider: a unique name, exactly one JWKS source. */
		for (size_t j = 0; j < i; j++)
			if (jp->name && rb__str_eq(p->jwt_providers[j].name, jp->name))
				rb__pc_add(e, true, "JWT", "provider name %s must be unique",
				           jp->name);
		if (jp->has_remote_jwks == jp->has_local_jwks)
			rb__pc_add(e, true, "JWT",
			           "exactly one of remoteJWKS or localJWKS must be specified");
		if (jp->has_remote_jwks && (jp->remote_jwks.ref_count || jp->remote_jwks.has_ref))
			rb__pc_ext_service(e, c, "SecurityPolicy", true, "JWT", &jp->remote_jwks);
		if (jp->has_local_jwks && rb__str_eq(jp->local_jwks_type, "ValueRef") &&
		    jp->local_jwks_value_ref_name) {
			const rb__ca_holder *cm = rb__pc_find_config_map(
			    t, c->meta->namespace_, jp->local_jwks_value_ref_name);
			if (!cm || !cm->data_key_count)
				rb__pc_add(e, true, "JWT",
				           "local JWKS ConfigMap %s/%s not found or empty",
				           c->meta->namespace_, jp->local_jwks_value_ref_name);
		}
	}
	geoip(e, p, parent, l);
}
