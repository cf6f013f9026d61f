/*
 * Why a policy is invalid, per kind, as Envoy Gateway's builders find out
 * (buildTrafficFeatures, translateSecurityPolicyFor*,
 * translateEnvoyExtensionPolicyFor*, translateClientTrafficPolicyForListener).
 * Every error is prefixed by its feature ("Retry: ...") and the errors of a
 * policy are joined by newlines, in the order Envoy Gateway builds them.
 * Checks that need what rebalance cannot know (a Lua interpreter, the Wasm
 * cache, certificate contents, OIDC discovery over the network) are not made.
 *
 * Rules: [policy.checks].
 */
#include "translate/policy_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "rebalance/errors.h"

void rb__pc_add(rb__pc_errs *e, bool fails, const char *prefix, const char *fmt, ...)
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

const rb__ca_holder *rb__pc_find_config_map(rb__tr *t, const char *ns, const char *name)
{
	const rb__ca_holder *found = NULL;
	for (size_t i = 0; i < t->m->config_maps.len; i++) {
		const rb__ca_holder *h = RB_VEC_AT(&t->m->config_maps, const rb__ca_holder *, i);
		if (!strcmp(h->meta.namespace_, ns) && rb__str_eq(h->meta.name, name))
			found = h; /* the last definition wins */
	}
	return found;
}

bool rb__pc_has_key(const char *const *keys, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], key))
			return true;
	return false;
}

/* A Secret reference of a policy (validateSecretRef): NULL when it resolves. */
const char *rb__pc_secret_ref_error(rb__tr *t, const rb__claim *c, const char *policy_kind,
                                    const rb__secret_ref *ref, const rb__secret **out)
{
	*out = NULL;
	if (!rb__str_empty(ref->group) ||
	    (!rb__str_empty(ref->kind) && strcmp(ref->kind, "Secret")))
		return rb__arena_printf(
		    t->out, "secret ref %s must be of kind Secret in the core group", ref->name);
	const char *own = c->meta->namespace_;
	const char *ns = rb__str_empty(ref->namespace_) ? own : ref->namespace_;
	if (strcmp(ns, own) && !rb__grant_permits_from(t, RB_GROUP_ENVOY_GATEWAY, policy_kind, own,
	                                               "", "Secret", ns, ref->name))
		return rb__arena_printf(t->out,
		                        "certificate ref to secret %s/%s not permitted by any "
		                        "ReferenceGrant",
		                        ns, ref->name);
	*out = rb__find_secret(t, ns, ref->name);
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

void rb__pc_duration(rb__pc_errs *e, const char *prefix, const char *field, const char *value)
{
	double s;
	if (value && !rb__parse_go_duration(value, &s))
		rb__pc_add(e, true, prefix, "invalid %s value %s", field, value);
}

/* A quantity that must fit in [0, 2^32-1]. */
void rb__pc_uint32_quantity(rb__pc_errs *e, const char *prefix, const char *field,
                            const char *value)
{
	double v;
	if (!value)
		return;
	if (!rb__parse_quantity(value, &v))
		rb__pc_add(e, true, prefix, "invalid %s value %s", field, value);
	else if (v < 0 || v > 4294967295.0)
		rb__pc_add(e, true, prefix, "%s value %s is out of range, must be between 0 and %u",
		           field, value, 4294967295u);
}

/* buildIRHTTP2Settings: HTTP/2 window sizes within Envoy's limits. */
void rb__pc_http2_windows(rb__pc_errs *e, const char *stream, const char *connection)
{
	const char *names[2] = {"InitialStreamWindowSize", "InitialConnectionWindowSize"};
	const char *values[2] = {stream, connection};
	for (int i = 0; i < 2; i++) {
		double v;
		if (!values[i])
			continue;
		if (!rb__parse_quantity(values[i], &v))
			rb__pc_add(e, true, "HTTP2", "invalid %s value %s", names[i], values[i]);
		else if (v < 65535 || v > 2147483647.0)
			rb__pc_add(e, true, "HTTP2",
			           "%s value %s is out of range, must be between %d and %d",
			           names[i], values[i], 65535, 2147483647);
	}
}

bool rb__pc_cidr_ok(const char *s)
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

void rb__pc_ext_service(rb__pc_errs *e, const rb__claim *c, const char *policy_kind, bool fails,
                        const char *prefix, const rb__ext_service *svc)
{
	const char *err = rb__ext_service_error(e->t, e->gateway, c->meta, policy_kind, svc);
	if (err)
		rb__pc_add(e, fails, prefix, "%s", err);
}

/* ---- dispatch ---- */

static const char *error_of(rb__tr *t, const rb__claim *c, const rb__parent *parent,
                            const rb__gateway *g, const rb__listener *l, bool *fails, int *rc)
{
	rb__pc_errs e = {t, g, NULL, false, RB_OK};
	switch (c->kind) {
	case RB_POLICY_BTP:
		rb__pc_btp_errors(&e, c);
		break;
	case RB_POLICY_SP:
		rb__pc_sp_errors(&e, c, parent, l);
		break;
	case RB_POLICY_EEP:
		rb__pc_eep_errors(&e, c, g);
		break;
	case RB_POLICY_CTP:
		rb__pc_ctp_errors(&e, c, l);
		break;
	}
	*fails = e.fails;
	*rc = e.rc;
	return e.text;
}

const char *rb__policy_error(rb__tr *t, const rb__claim *c, const rb__parent *parent,
                             const rb__listener *listener, bool *fails, int *rc)
{
	return error_of(t, c, parent, parent->gateway, listener, fails, rc);
}
