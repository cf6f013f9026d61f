/*
 * Why a policy is invalid, per kind, as Envoy Gateway's builders find out
 * (buildTrafficFeatures, translateSecurityPolicyFor*,
 * translateEnvoyExtensionPolicyFor*, translateClientTrafficPolicyForListener).
 * Every error is prefixed by its feature ("Retry: ...") and the errors of a
 * policy are joined by newlines, in the order Envoy Gateway builds them.
 * Checks that need what rebalance cannot know (a Lua interpreter, the Wasm
 * cache, certificate contents, OIDC discovery over the network) are not made.
 */
#include "core/buf.h"
#include "model/cert_validity.h"
#include "core/strutil.h"
#include "rebalance/errors.h"
#include "translate/tr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The errors of one policy: joined text, and whether one of them fails closed. */
typedef struct errs {
	rb__tr *t;
	const rb__gateway *gateway; /* the Gateway whose routes the policy reaches */
	const char *text; /* NULL: none */
	bool fails;
} errs;

static void add(errs *e, bool fails, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(errs *e, bool fails, const char *prefix, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	const char *joined = e->text
	                         ? rb__arena_printf(e->t->out, "%s\n%s: %s", e->text, prefix, line)
	                         : rb__arena_printf(e->t->out, "%s: %s", prefix, line);
	e->text = joined ? joined : "out of memory";
	e->fails |= fails;
}

/* ---- lookups ---- */

static const rb__ca_holder *find_config_map(rb__tr *t, const char *ns, const char *name)
{
	const rb__ca_holder *found = NULL;
	for (size_t i = 0; i < t->m->config_maps.len; i++) {
		const rb__ca_holder *h = RB_VEC_AT(&t->m->config_maps, const rb__ca_holder *, i);
		if (!strcmp(h->meta.namespace_, ns) && rb__str_eq(h->meta.name, name))
			found = h; /* the last definition wins */
	}
	return found;
}

static const rb__secret *find_secret(rb__tr *t, const char *ns, const char *name)
{
	const rb__secret *found = NULL;
	for (size_t i = 0; i < t->m->secrets.len; i++) {
		const rb__secret *s = RB_VEC_AT(&t->m->secrets, const rb__secret *, i);
		if (!strcmp(s->meta.namespace_, ns) && rb__str_eq(s->meta.name, name))
			found = s;
	}
	return found;
}

static bool has_key(const char *const *keys, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], key))
			return true;
	return false;
}

/* A Secret reference of a policy (validateSecretRef): NULL when it resolves. */
static const char *secret_ref_error(rb__tr *t, const rb__claim *c, const char *policy_kind,
                                    const rb__secret_ref *ref, const rb__secret **out)
{
	*out = NULL;
	if (!rb__str_empty(ref->group) ||
	    (!rb__str_empty(ref->kind) && strcmp(ref->kind, "Secret")))
		return rb__arena_printf(
		    t->out, "secret ref %s must be of kind Secret in the core group", ref->name);
	const char *own = c->meta->namespace_;
	const char *ns = rb__str_empty(ref->namespace_) ? own : ref->namespace_;
	if (strcmp(ns, own) && !rb__grant_permits_from(t, "gateway.envoyproxy.io", policy_kind, own,
	                                               "", "Secret", ns, ref->name))
		return rb__arena_printf(t->out,
		                        "certificate ref to secret %s/%s not permitted by any "
		                        "ReferenceGrant",
		                        ns, ref->name);
	*out = find_secret(t, ns, ref->name);
	if (!*out)
		return rb__arena_printf(t->out, "secret %s/%s does not exist", ns, ref->name);
	return NULL;
}

const rb__envoy_proxy *rb__gateway_envoy_proxy(rb__tr *t, const rb__gateway *g)
{
	if (g->params_kind && !strcmp(g->params_kind, "EnvoyProxy") && g->params_name) {
		const rb__envoy_proxy *own =
		    rb__find_envoy_proxy(t, g->meta.namespace_, g->params_name);
		if (own)
			return own;
	}
	if (t->m->envoy_proxy_for_class)
		return t->m->envoy_proxy_for_class;
	const rb__gateway_class *gc = t->m->gateway_class;
	if (gc && gc->params_kind && !strcmp(gc->params_kind, "EnvoyProxy") && gc->params_name) {
		const rb__envoy_proxy *cls = rb__find_envoy_proxy(
		    t, gc->params_namespace ? gc->params_namespace : "", gc->params_name);
		if (cls)
			return cls;
	}
	return t->m->envoy_proxy_default;
}

static void duration(errs *e, const char *prefix, const char *field, const char *value)
{
	double s;
	if (value && !rb__parse_go_duration(value, &s))
		add(e, true, prefix, "invalid %s value %s", field, value);
}

/* A quantity that must fit in [0, 2^32-1]. */
static void uint32_quantity(errs *e, const char *prefix, const char *field, const char *value)
{
	double v;
	if (!value)
		return;
	if (!rb__parse_quantity(value, &v))
		add(e, true, prefix, "invalid %s value %s", field, value);
	else if (v < 0 || v > 4294967295.0)
		add(e, true, prefix, "%s value %s is out of range, must be between 0 and %u", field,
		    value, 4294967295u);
}

/* buildIRHTTP2Settings: HTTP/2 window sizes within Envoy's limits. */
static void http2_windows(errs *e, const char *stream, const char *connection)
{
	const char *names[2] = {"InitialStreamWindowSize", "InitialConnectionWindowSize"};
	const char *values[2] = {stream, connection};
	for (int i = 0; i < 2; i++) {
		double v;
		if (!values[i])
			continue;
		if (!rb__parse_quantity(values[i], &v))
			add(e, true, "HTTP2", "invalid %s value %s", names[i], values[i]);
		else if (v < 65535 || v > 2147483647.0)
			add(e, true, "HTTP2", "%s value %s is out of range, must be between %d and %d",
			    names[i], values[i], 65535, 2147483647);
	}
}

/* ---- BackendTrafficPolicy (buildTrafficFeatures) ---- */

static uint64_t unit_seconds(const char *unit)
{
	static const struct {
		const char *name;
		uint64_t seconds;
	} UNITS[] = {{"Second", 1},  {"Minute", 60},     {"Hour", 3600},
	             {"Day", 86400}, {"Month", 2592000}, {"Year", 31536000}};
	for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
		if (rb__str_eq(unit, UNITS[i].name))
			return UNITS[i].seconds;
	return 0;
}

static bool cidr_ok(const char *s);

/* buildRateLimitRule: what each client selector matches on must make sense. */
static void rate_limit_rule(errs *e, const rb__rate_limit_rule *r)
{
	for (size_t i = 0; i < r->client_selector_count; i++) {
		const rb__client_selector *cs = &r->client_selectors[i];
		if (!cs->header_count && !cs->has_source_cidr && !cs->method_count && !cs->has_path &&
		    !cs->query_param_count) {
			add(e, true, "RateLimit", "unable to translate rateLimit. At least one of the "
			                          "header or method or path or sourceCIDR or queryParams "
			                          "must be specified");
			continue;
		}
		for (size_t j = 0; j < cs->header_count; j++) {
			const rb__rate_limit_header *h = &cs->headers[j];
			const char *type = h->type ? h->type : "Exact";
			const char *err = NULL;
			if (!strcmp(type, "Distinct") && h->invert)
				add(e, true, "RateLimit",
				    "unable to translate rateLimit. Invert is not applicable for distinct "
				    "header match type");
			else if (!strcmp(type, "RegularExpression") && h->value &&
			         rb__regex_check(e->t->out, h->value, &err) == RB_OK && err)
				add(e, true, "RateLimit", "regex %s is invalid: %s", h->value, err);
		}
		if (cs->has_source_cidr && (!cs->source_cidr || !cidr_ok(cs->source_cidr)))
			add(e, true, "RateLimit", "unable to translate rateLimit: invalid sourceCIDR %s",
			    cs->source_cidr ? cs->source_cidr : "");
	}
}

static void rate_limit(errs *e, const rb__btp_checks *k)
{
	const char *type = k->rate_limit_type;
	if (type && strcmp(type, "Global") && strcmp(type, "Local"))
		add(e, true, "RateLimit", "invalid rateLimit type: %s", type);
	else if (rb__str_eq(type, "Local") && !k->has_local_rate_limit)
		add(e, true, "RateLimit", "local configuration empty for rateLimit");
	else if (rb__str_eq(type, "Global") && !k->has_global_rate_limit)
		add(e, true, "RateLimit", "global configuration empty for rateLimit");
	for (size_t i = 0; i < k->global_rule_count; i++)
		rate_limit_rule(e, &k->global_rules[i]);
	for (size_t i = 0; i < k->local_rule_count; i++)
		rate_limit_rule(e, &k->local_rules[i]);
	if (!k->has_local_rate_limit || rb__str_eq(type, "Global"))
		return;
	/* buildLocalRateLimit: one default rule at most; every unit a multiple of its unit. */
	size_t defaults = 0;
	const char *default_unit = "Second";
	for (size_t i = 0; i < k->local_rule_count; i++)
		if (!k->local_rules[i].client_selector_count) {
			defaults++;
			default_unit = k->local_rules[i].unit;
		}
	if (defaults > 1) {
		add(e, true, "RateLimit",
		    "local rateLimit can not have more than one rule without clientSelectors");
		return;
	}
	uint64_t base = unit_seconds(default_unit);
	for (size_t i = 0; i < k->local_rule_count; i++) {
		uint64_t u = unit_seconds(k->local_rules[i].unit);
		if (!base || u % base) {
			add(e, true, "RateLimit",
			    "local rateLimit rule limit unit must be a multiple of the default "
			    "limit unit");
			return;
		}
	}
}

static bool is_prime(uint32_t n)
{
	if (n < 2)
		return false;
	for (uint32_t d = 2; (uint64_t)d * d <= n; d++)
		if (n % d == 0)
			return false;
	return true;
}

static void btp_errors(errs *e, const rb__claim *c)
{
	const rb__backend_traffic_policy *p = c->policy;
	const rb__btp_checks *k = &p->checks;
	rate_limit(e, k);
	/* buildConsistentHashLoadBalancer: Envoy's maglev table size limit, and a prime. */
	if (k->has_table_size && (k->table_size > 5000011 || !is_prime(k->table_size)))
		add(e, true, "LoadBalancer",
		    "invalid TableSize value %u: must be prime number and less than or equal to "
		    "5000011",
		    k->table_size);
	duration(e, "LoadBalancer", "slowStart window", k->slow_start_window);
	static const char *const CB[5] = {"maxConnections", "maxPendingRequests",
	                                  "maxParallelRequests", "maxParallelRetries",
	                                  "maxRequestsPerConnection"};
	for (int i = 0; i < 5; i++)
		if (k->circuit_breaker[i] < 0 || k->circuit_breaker[i] > 4294967295LL)
			add(e, true, "CircuitBreaker", "invalid %s value %lld", CB[i],
			    (long long)k->circuit_breaker[i]);
	duration(e, "TCPKeepalive", "idleTime", k->keepalive_idle_time);
	duration(e, "TCPKeepalive", "interval", k->keepalive_interval);
	/* buildRetry */
	duration(e, "Retry", "perRetry timeout", k->retry_timeout);
	double base = 0, max = 0;
	bool has_base = k->backoff_base && rb__parse_go_duration(k->backoff_base, &base);
	bool has_max = k->backoff_max && rb__parse_go_duration(k->backoff_max, &max);
	duration(e, "Retry", "baseInterval", k->backoff_base);
	duration(e, "Retry", "maxInterval", k->backoff_max);
	if (has_base && base == 0)
		add(e, true, "Retry", "baseInterval cannot be set to 0s");
	if (has_max && max == 0)
		add(e, true, "Retry", "maxInterval cannot be set to 0s");
	if (has_base && has_max && base > 0 && max > 0 && max < base)
		add(e, true, "Retry", "maxInterval cannot be less than baseInterval");
	static const char *const TIMEOUTS[6] = {"connectTimeout",        "connectionIdleTimeout",
	                                        "maxConnectionDuration", "requestTimeout",
	                                        "maxStreamDuration",     "streamIdleTimeout"};
	for (int i = 0; i < 6; i++)
		duration(e, "Timeout", TIMEOUTS[i], k->timeouts[i]);
	uint32_quantity(e, "BackendConnection", "BufferLimit", k->buffer_limit);
	http2_windows(e, k->http2_stream_window, k->http2_connection_window);
	/* buildResponseOverride: a body from a ConfigMap of the policy's namespace. */
	for (size_t i = 0; i < k->override_count; i++) {
		const rb__response_override *o = &k->overrides[i];
		if (!rb__str_eq(o->body_type, "ValueRef") || !o->value_ref_name)
			continue;
		const rb__ca_holder *cm =
		    find_config_map(e->t, c->meta->namespace_, o->value_ref_name);
		if (!cm)
			add(e, true, "ResponseOverride", "can't find the referenced configmap %s",
			    o->value_ref_name);
		else if (!cm->data_key_count)
			add(e, true, "ResponseOverride",
			    "can't find the body in the referenced configmap %s",
			    o->value_ref_name);
	}
	uint32_quantity(e, "RequestBuffer", "limit", k->request_buffer_limit);
	if (k->has_request_buffer && k->has_http_upgrade)
		add(e, true, "RequestBuffer",
		    "requestBuffer cannot be used together with httpUpgrade");
}

/* ---- SecurityPolicy ---- */

static bool cidr_ok(const char *s)
{
	const char *slash = strchr(s, '/');
	if (!slash)
		return false;
	char ip[64];
	size_t n = (size_t)(slash - s);
	if (n >= sizeof ip)
		return false;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (!rb__parse_ip(ip, NULL))
		return false;
	const char *bits = slash + 1;
	int v = 0;
	if (!*bits || strlen(bits) > 3)
		return false;
	for (const char *q = bits; *q; q++) {
		if (*q < '0' || *q > '9')
			return false;
		v = v * 10 + (*q - '0');
	}
	return v <= (strchr(ip, ':') ? 128 : 32);
}

/* validateAuthorizationGeoIP: the listener's client IP detection and the proxy's databases. */
static void geoip(errs *e, const rb__security_policy *p, const rb__parent *parent,
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
		add(e, true, P,
		    "authorization clientIPGeoLocations requires "
		    "ClientTrafficPolicy.spec.clientIPDetection to be configured");
		return;
	}
	if (cp->has_xff && cp->has_custom_header) {
		add(e, true, P,
		    "authorization clientIPGeoLocations requires exactly one client IP "
		    "detection mode");
		return;
	}
	if (cp->has_xff && cp->xff_trusted_cidr_count) {
		add(e, true, P,
		    "authorization clientIPGeoLocations does not support "
		    "ClientIPDetection.XForwardedFor.TrustedCIDRs");
		return;
	}
	const rb__envoy_proxy *ep = rb__gateway_envoy_proxy(e->t, parent->gateway);
	if (!ep || !ep->has_geoip_provider) {
		add(e, true, P,
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
			add(e, true, P,
			    "authorization clientIPGeoLocations needs a GeoIP database the "
			    "EnvoyProxy does not configure");
			return;
		}
	}
}

static void ext_service(errs *e, const rb__claim *c, const char *policy_kind, bool fails,
                        const char *prefix, const rb__ext_service *svc)
{
	const char *err = rb__ext_service_error(e->t, e->gateway, c->meta, policy_kind, svc);
	if (err)
		add(e, fails, prefix, "%s", err);
}

static void sp_errors(errs *e, const rb__claim *c, const rb__parent *parent, const rb__listener *l)
{
	const rb__security_policy *p = c->policy;
	rb__tr *t = e->t;
	const rb__secret *s;
	const char *err;
	if (p->has_basic_auth) {
		if ((err = secret_ref_error(t, c, "SecurityPolicy", &p->basic_auth_users, &s)))
			add(e, true, "BasicAuth", "%s", err);
		else if (!has_key(s->data_keys, s->data_key_count, ".htpasswd"))
			add(e, true, "BasicAuth", "users secret %s/%s must contain key .htpasswd",
			    s->meta.namespace_, s->meta.name);
	}
	for (size_t i = 0; i < p->api_key_credential_count; i++)
		if ((err = secret_ref_error(t, c, "SecurityPolicy", &p->api_key_credentials[i],
		                            &s))) {
			add(e, true, "APIKeyAuth", "%s", err);
			break;
		}
	for (size_t i = 0; i < p->authz_rule_count; i++) {
		const rb__authz_rule *r = &p->authz_rules[i];
		for (size_t j = 0; j < r->client_cidr_count; j++)
			if (!cidr_ok(r->client_cidrs[j]))
				add(e, true, "Authorization", "invalid client CIDR %s",
				    r->client_cidrs[j]);
	}
	if (p->has_ext_auth) {
		if (p->has_ext_auth_http == p->has_ext_auth_grpc)
			add(e, p->ext_auth_fail_open != RB_TRI_TRUE, "ExtAuth",
			    "only one of grpc or http can be specified");
		else
			ext_service(e, c, "SecurityPolicy", p->ext_auth_fail_open != RB_TRI_TRUE,
			            "ExtAuth",
			            p->has_ext_auth_http ? &p->ext_auth_http : &p->ext_auth_grpc);
	}
	if (p->has_oidc) {
		if (p->has_oidc_provider_service &&
		    (p->oidc_provider.ref_count || p->oidc_provider.has_ref))
			ext_service(e, c, "SecurityPolicy", true, "OIDC", &p->oidc_provider);
		if ((err = secret_ref_error(t, c, "SecurityPolicy", &p->oidc_client_secret, &s)))
			add(e, true, "OIDC", "%s", err);
		else if (!has_key(s->data_keys, s->data_key_count, "client-secret"))
			add(e, true, "OIDC", "client secret not found in secret %s/%s",
			    s->meta.namespace_, s->meta.name);
	}
	for (size_t i = 0; i < p->jwt_provider_count; i++) {
		const rb__jwt_provider *jp = &p->jwt_providers[i];
		/* validateJWTProvider: a unique name, exactly one JWKS source. */
		for (size_t j = 0; j < i; j++)
			if (jp->name && rb__str_eq(p->jwt_providers[j].name, jp->name))
				add(e, true, "JWT", "provider name %s must be unique", jp->name);
		if (jp->has_remote_jwks == jp->has_local_jwks)
			add(e, true, "JWT", "exactly one of remoteJWKS or localJWKS must be specified");
		if (jp->has_remote_jwks && (jp->remote_jwks.ref_count || jp->remote_jwks.has_ref))
			ext_service(e, c, "SecurityPolicy", true, "JWT", &jp->remote_jwks);
		if (jp->has_local_jwks && rb__str_eq(jp->local_jwks_type, "ValueRef") &&
		    jp->local_jwks_value_ref_name) {
			const rb__ca_holder *cm =
			    find_config_map(t, c->meta->namespace_, jp->local_jwks_value_ref_name);
			if (!cm || !cm->data_key_count)
				add(e, true, "JWT", "local JWKS ConfigMap %s/%s not found or empty",
				    c->meta->namespace_, jp->local_jwks_value_ref_name);
		}
	}
	geoip(e, p, parent, l);
}

/* ---- EnvoyExtensionPolicy ---- */

static void eep_errors(errs *e, const rb__claim *c, const rb__gateway *g)
{
	const rb__extension_policy *p = c->policy;
	rb__tr *t = e->t;
	for (size_t i = 0; i < p->wasm_count; i++) {
		const rb__wasm *w = &p->wasms[i];
		bool fails = w->fail_open != RB_TRI_TRUE;
		const rb__secret *s;
		const char *err;
		if (rb__str_eq(w->code_type, "HTTP") && !w->has_http)
			add(e, fails, "Wasm", "missing HTTP field in code source");
		else if (rb__str_eq(w->code_type, "Image") && !w->has_image)
			add(e, fails, "Wasm", "missing Image field in code source");
		else if (w->has_image && w->has_pull_secret) {
			if ((err = secret_ref_error(t, c, "EnvoyExtensionPolicy", &w->pull_secret,
			                            &s)))
				add(e, fails, "Wasm", "%s", err);
			else if (!has_key(s->data_keys, s->data_key_count, ".dockerconfigjson"))
				add(e, fails, "Wasm",
				    "secret %s/%s does not contain .dockerconfigjson",
				    s->meta.namespace_, s->meta.name);
		}
	}
	for (size_t i = 0; i < p->lua_count; i++) {
		const rb__lua *lua = &p->luas[i];
		if (!rb__str_eq(lua->type, "ValueRef") || !lua->value_ref_name)
			continue;
		const rb__ca_holder *cm =
		    find_config_map(t, c->meta->namespace_, lua->value_ref_name);
		if (!cm)
			add(e, true, "Lua",
			    "can't find the referenced configmap %s in namespace %s",
			    lua->value_ref_name, c->meta->namespace_);
		else if (!has_key(cm->data_keys, cm->data_key_count, "lua"))
			add(e, true, "Lua", "can't find the key lua in the referenced configmap %s",
			    lua->value_ref_name);
	}
	for (size_t i = 0; i < p->ext_proc_count; i++) {
		const rb__ext_proc *x = &p->ext_procs[i];
		bool fails = x->fail_open != RB_TRI_TRUE;
		ext_service(e, c, "EnvoyExtensionPolicy", fails, "ExtProc", &x->service);
		double s;
		if (x->message_timeout && !rb__parse_go_duration(x->message_timeout, &s))
			add(e, fails, "ExtProc", "invalid messageTimeout value %s",
			    x->message_timeout);
	}
	/* buildDynamicModules: only modules the Gateway's EnvoyProxy allows. */
	const rb__envoy_proxy *ep = p->dynamic_module_count ? rb__gateway_envoy_proxy(t, g) : NULL;
	for (size_t i = 0; i < p->dynamic_module_count; i++) {
		const char *name = p->dynamic_modules[i].name;
		if (!ep || !name || !has_key(ep->dynamic_modules, ep->dynamic_module_count, name))
			add(e, true, "DynamicModule",
			    "dynamic module %s is not registered in the EnvoyProxy dynamicModules",
			    name ? name : "");
	}
}

/* ---- ClientTrafficPolicy (per listener) ---- */

static bool terminates_tls(const rb__listener *l)
{
	return l && (rb__str_eq(l->protocol, "HTTPS") ||
	             (rb__str_eq(l->protocol, "TLS") && !rb__str_eq(l->tls_mode, "Passthrough")));
}

/* Unix seconds as Go prints a UTC time.Time: "2020-01-01 15:00:01 +0000 UTC". */
static void utc_stamp(int64_t secs, char *out, size_t size)
{
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* civil_from_days (H. Hinnant) */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	snprintf(out, size, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld +0000 UTC", (long long)y,
	         (long long)m, (long long)d, (long long)(rem / 3600), (long long)(rem / 60 % 60),
	         (long long)(rem % 60));
}

/*
 * A CA bundle none of whose certificates is valid now (validateCertificates):
 * why, one line per certificate; NULL when one is valid, or when a block could
 * not be read (then the bundle is not judged: certificate parsing is minimal).
 */
static const char *no_valid_certificate(rb__tr *t, const rb__cert_validity *certs, size_t n)
{
	if (!n)
		return NULL;
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; i < n; i++)
		if (!certs[i].parsed || (certs[i].not_before <= now && now <= certs[i].not_after))
			return NULL;
	const char *why = NULL;
	for (size_t i = 0; i < n; i++) {
		bool early = now < certs[i].not_before;
		char stamp[64];
		utc_stamp(early ? certs[i].not_before : certs[i].not_after, stamp, sizeof stamp);
		const char *line = rb__arena_printf(t->out, "certificate %s %s %s",
		                                    certs[i].common_name,
		                                    early ? "is not valid until" : "has expired since",
		                                    stamp);
		why = why ? rb__arena_printf(t->out, "%s\n%s", why, line) : line;
		if (!why)
			return "out of memory";
	}
	return why;
}

static void ctp_errors(errs *e, const rb__claim *c, const rb__listener *l)
{
	const rb__client_traffic_policy *p = c->policy;
	duration(e, "TCP KeepAlive", "idleTime", p->keepalive_idle_time);
	duration(e, "TCP KeepAlive", "interval", p->keepalive_interval);
	uint32_quantity(e, "Connection", "BufferLimit", p->buffer_limit);
	static const char *const TIMEOUTS[4] = {"requestReceivedTimeout", "idleTimeout",
	                                        "streamIdleTimeout", "tcp idleTimeout"};
	for (int i = 0; i < 4; i++)
		duration(e, "Timeout", TIMEOUTS[i], p->timeouts[i]);
	if (!l || rb__str_eq(l->protocol, "HTTP") || rb__str_eq(l->protocol, "HTTPS"))
		http2_windows(e, p->http2_stream_window, p->http2_connection_window);
	if (!terminates_tls(l) || !p->has_client_validation)
		return;
	if (!p->client_ca_ref_count) {
		if (p->client_validation_optional == RB_TRI_TRUE)
			add(e, true, "TLS",
			    "optional client validation requires caCertificateRefs");
		return;
	}
	rb__tr *t = e->t;
	for (size_t i = 0; i < p->client_ca_ref_count; i++) {
		const rb__secret_ref *ref = &p->client_ca_refs[i];
		const char *kind = rb__str_empty(ref->kind) ? "Secret" : ref->kind;
		const char *ns =
		    rb__str_empty(ref->namespace_) ? c->meta->namespace_ : ref->namespace_;
		bool found = false, has_ca = false;
		const rb__cert_validity *certs = NULL;
		size_t cert_count = 0;
		if (!strcmp(kind, "Secret")) {
			const rb__secret *s = find_secret(t, ns, ref->name);
			found = s != NULL;
			has_ca = s && s->has_ca_crt;
			certs = s ? s->ca_certs : NULL;
			cert_count = s ? s->ca_cert_count : 0;
		} else if (!strcmp(kind, "ConfigMap")) {
			const rb__ca_holder *h = find_config_map(t, ns, ref->name);
			found = h != NULL;
			has_ca = h && h->has_ca;
			certs = h ? h->ca_certs : NULL;
			cert_count = h ? h->ca_cert_count : 0;
		} else if (!strcmp(kind, "ClusterTrustBundle")) {
			for (size_t j = 0; j < t->m->cluster_trust_bundles.len; j++) {
				const rb__ca_holder *h = RB_VEC_AT(&t->m->cluster_trust_bundles,
				                                   const rb__ca_holder *, j);
				if (rb__str_eq(h->meta.name, ref->name)) {
					found = true;
					has_ca = h->has_ca;
				}
			}
		} else {
			add(e, true, "TLS", "unsupported caCertificateRef kind %s", kind);
			return;
		}
		if (!found || !has_ca) {
			add(e, true, "TLS", "failed to get certificate from ref: %s %s/%s %s", kind,
			    ns, ref->name,
			    found ? "has none of the expected keys [ca.crt]" : "not found");
			return;
		}
		const char *expired = no_valid_certificate(t, certs, cert_count);
		if (expired) {
			add(e, true, "TLS", "no valid certificates exist in %s: %s", ref->name, expired);
			return;
		}
	}
}

/* ---- dispatch ---- */

static const char *error_of(rb__tr *t, const rb__claim *c, const rb__parent *parent,
                            const rb__gateway *g, const rb__listener *l, bool *fails)
{
	errs e = {t, g, NULL, false};
	switch (c->kind) {
	case RB_POLICY_BTP:
		btp_errors(&e, c);
		break;
	case RB_POLICY_SP:
		sp_errors(&e, c, parent, l);
		break;
	case RB_POLICY_EEP:
		eep_errors(&e, c, g);
		break;
	case RB_POLICY_CTP:
		ctp_errors(&e, c, l);
		break;
	}
	*fails = e.fails;
	return e.text;
}

const char *rb__policy_error(rb__tr *t, const rb__claim *c, const rb__parent *parent,
                             const rb__listener *listener, bool *fails)
{
	return error_of(t, c, parent, parent->gateway, listener, fails);
}
